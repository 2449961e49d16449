"""Per-paper dependency graph of results, coloured by status, in the manner of a Lean blueprint.

Nodes are the paper's numbered results (:class:`theory.claims.Result`), edges go from a result to
the results whose proofs use it. Shape encodes the kind (assumption: ellipse, lemma / proposition /
fact: rounded box, theorem: square bold box), fill encodes the checked status (aggregated over the
claims registered for that result; white = no claim registered yet), and a thick red dashed
border marks a result that rests, directly or transitively, on a VIOLATED result. Drawn with
matplotlib only (layered layout, barycentre ordering); no graphviz.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from .plots import STATUS_COLORS  # noqa: E402

__all__ = ["layout", "transitive_reduction", "rests_on_failure", "draw_paper_graph", "graph_svg", "AS_CORRECTED",
           "NODE_COLORS"]

SHAPES = {"assumption": "ellipse", "definition": "ellipse", "theorem": "square", "corollary": "round",
          "lemma": "round", "proposition": "round", "fact": "round4"}


def layout(results) -> dict:
    """Layered layout: level = 1 + max level of the results used (sources on top); within a level,
    order by the mean x of the used results (two sweeps). Returns {id: (x, level)}."""
    ids = [r.id for r in results]
    uses = {r.id: [u for u in r.uses if u in ids] for r in results}
    level: dict = {}

    def lev(i, stack=()):
        if i in level:
            return level[i]
        if i in stack:  # a cycle in declared uses: break it
            return 0
        level[i] = 0 if not uses[i] else 1 + max(lev(u, stack + (i,)) for u in uses[i])
        return level[i]

    for i in ids:
        lev(i)
    layers: dict = {}
    for i in ids:
        layers.setdefault(level[i], []).append(i)
    pos = {}
    for L in sorted(layers):
        for k, i in enumerate(layers[L]):
            pos[i] = (k - (len(layers[L]) - 1) / 2, L)
    for _ in range(2):
        for L in sorted(layers):
            if L == 0:
                continue
            bary = {i: (sum(pos[u][0] for u in uses[i]) / len(uses[i]) if uses[i] else pos[i][0]) for i in layers[L]}
            layers[L].sort(key=lambda i: bary[i])
            for k, i in enumerate(layers[L]):
                pos[i] = (k - (len(layers[L]) - 1) / 2, L)
    return pos


def transitive_reduction(results) -> dict:
    """{id: direct uses that are not also reachable through another use} (drawing only; the data keep all)."""
    uses = {r.id: [u for u in r.uses] for r in results}

    def reach(i, seen=None):
        seen = set() if seen is None else seen
        for u in uses.get(i, []):
            if u not in seen:
                seen.add(u)
                reach(u, seen)
        return seen

    out = {}
    for i, us in uses.items():
        out[i] = [u for u in us if not any(u in reach(v) for v in us if v != u)]
    return out


def rests_on_failure(results, status: dict) -> set:
    """Results that use, directly or transitively, a result whose status is VIOLATED."""
    uses = {r.id: list(r.uses) for r in results}
    bad = {i for i, s in status.items() if s == "VIOLATED"}
    out = set()
    changed = True
    while changed:
        changed = False
        for i, us in uses.items():
            if i not in out and any(u in bad or u in out for u in us):
                out.add(i)
                changed = True
    return out


def draw_paper_graph(paper, status: dict, path: Path, counts: dict | None = None, not_run=frozenset(),
                     via: dict | None = None) -> Path:
    """Draw ``paper.results`` with ``status`` {result id: status string or None}; returns the PNG path.

    ``counts`` {result id: number of registered claims} is printed under each label.
    """
    results = paper.results
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not results:
        fig, ax = plt.subplots(figsize=(5, 1.5))
        ax.text(0.5, 0.5, f"{paper.key}: no results graph declared", ha="center", va="center")
        ax.axis("off")
        fig.savefig(path, dpi=90)
        plt.close(fig)
        return path
    pos = layout(results)
    width = max(sum(1 for p in pos.values() if p[1] == L) for L in {p[1] for p in pos.values()})
    depth = max(p[1] for p in pos.values()) + 1
    fig, ax = plt.subplots(figsize=(max(7.0, 2.3 * width), 1.45 * depth + 1.6))
    failing = rests_on_failure(results, status)
    xs = 2.3
    reduced = transitive_reduction(results)
    for r in results:
        for u in reduced[r.id]:
            if u not in pos:
                continue
            (x0, y0), (x1, y1) = pos[u], pos[r.id]
            red = status.get(u) == "VIOLATED" or u in failing
            ax.annotate("", xy=(x1 * xs, -y1), xytext=(x0 * xs, -y0),
                        arrowprops=dict(arrowstyle="-|>", color="#c62828" if red else "0.45", lw=1.6 if red else 1.0,
                                        shrinkA=15, shrinkB=15, connectionstyle="arc3,rad=0.06"))
    for r in results:
        x, y = pos[r.id]
        st = status.get(r.id)
        lab = r.label
        if st == AS_CORRECTED:
            lab += "\nprinted: VIOLATED"
        elif counts and counts.get(r.id):
            lab += f"\n{st} ({counts[r.id]} claim{'s' if counts[r.id] > 1 else ''})"
        elif via and r.id in via:
            lab += f"\n(claims under {via[r.id][0]})"
        elif r.id in not_run:
            lab += "\n(not in this run)"
        elif st is None:
            lab += "\n(no claim yet)"
        bad = r.id in failing
        ax.text(x * xs, -y, lab, ha="center", va="center", fontsize=8.5,
                fontweight="bold" if r.kind == "theorem" else "normal",
                bbox=dict(boxstyle=f"{SHAPES.get(r.kind, 'round')},pad=0.45", fc=NODE_COLORS.get(st, "#ffffff"),
                          ec="#c62828" if bad else "0.25", lw=2.6 if bad else (1.8 if r.kind == "theorem" else 1.0),
                          ls="--" if bad else "-"))
    handles = [Patch(fc=STATUS_COLORS[s], ec="0.25", label=s) for s in
               ("HOLDS", "VIOLATED", "INCONCLUSIVE", "NOT_APPLICABLE", "ERROR", "NOT_CHECKABLE")]
    handles.append(Patch(fc=NODE_COLORS[AS_CORRECTED], ec="#c62828", label="printed statement VIOLATED (finding)"))
    handles.append(Patch(fc="#ffffff", ec="0.25", label="no claim registered"))
    handles.append(Patch(fc="#ffffff", ec="#c62828", ls="--", lw=2.2, label="rests on a VIOLATED result"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=4, fontsize=7.5, frameon=False)
    allx = [p[0] * xs for p in pos.values()]
    ax.set_xlim(min(allx) - 1.4, max(allx) + 1.4)
    ax.set_ylim(-(depth - 1) - 0.6, 0.6)
    ax.axis("off")
    ax.set_title(f"{paper.key}: results and the results their proofs use (arrow: used by)\n"
                 "ellipse = assumption, rounded = lemma/proposition, square bold = theorem; edges implied by "
                 "transitivity are not drawn", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


# ----------------------------------------------------------------------------- clickable inline SVG (HTML report)

#: a result whose printed statement is VIOLATED (a "finding" claim) while the claims of its corrected reading
#: hold: not green (graph status value and its colour)
AS_CORRECTED = "HOLDS_AS_CORRECTED"
NODE_COLORS = {**STATUS_COLORS, AS_CORRECTED: "#f4a582"}
NODE_TEXT = {"HOLDS": "#fff", "VIOLATED": "#fff", "ERROR": "#fff"}
NODE_W, NODE_H, PITCH_X, PITCH_Y, PER_ROW = 132, 46, 146, 84, 8


def _wrap(text: str, width: int, lines: int) -> list:
    words, out, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        out.append(cur)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return [o if len(o) <= width else o[: width - 1] + "…" for o in out]


def grid_positions(results) -> dict:
    """{id: (x_px, y_px)} of node centres: the layered :func:`layout`, a layer wider than ``PER_ROW`` nodes
    folded onto several rows so that the drawing fits a page."""
    pos = layout(results)
    layers: dict = {}
    for i, (x, lv) in pos.items():
        layers.setdefault(lv, []).append((x, i))
    out, row = {}, 0
    width = min(PER_ROW, max(len(v) for v in layers.values())) if layers else 1
    for lv in sorted(layers):
        ids = [i for _, i in sorted(layers[lv])]
        for k in range(0, len(ids), PER_ROW):
            chunk = ids[k:k + PER_ROW]
            off = (width - len(chunk)) / 2
            for j, i in enumerate(chunk):
                out[i] = (PITCH_X * (off + j) + PITCH_X / 2, PITCH_Y * row + NODE_H / 2 + 8)
            row += 1
    return out


def graph_svg(paper, status: dict, counts: dict, href, not_run=frozenset(), via: dict | None = None) -> str:
    """The paper's results graph as inline SVG: each node an ``<a>`` to ``href(result_id)`` (its claims in
    the report), filled by ``status`` (:data:`NODE_COLORS`), with the number of claims; a red dashed border
    marks a result resting on a VIOLATED one. ``not_run``: results with registered claims that this run did not
    include (never labelled "no claim yet"); ``via``: {result id: (label of the result its claims are filed
    under, number)} for a result stated by claims filed under another one."""
    import html as _h

    results = paper.results
    if not results:
        return f"<p class='small'>{_h.escape(paper.key)}: no results graph declared.</p>"
    pos = grid_positions(results)
    failing = rests_on_failure(results, status)
    reduced = transitive_reduction(results)
    W = max(x for x, _ in pos.values()) + PITCH_X / 2
    H = max(y for _, y in pos.values()) + NODE_H / 2 + 10
    E, N = [], []
    for r in results:
        for u in reduced[r.id]:
            if u not in pos:
                continue
            (x0, y0), (x1, y1) = pos[u], pos[r.id]
            red = status.get(u) == "VIOLATED" or u in failing
            ya, yb = (y0 + NODE_H / 2, y1 - NODE_H / 2 - 3) if y1 > y0 else (y0 - NODE_H / 2, y1 + NODE_H / 2 + 3)
            E.append(f'<line x1="{x0:.0f}" y1="{ya:.0f}" x2="{x1:.0f}" y2="{yb:.0f}" class="{"e bad" if red else "e"}" '
                     f'marker-end="url(#{"ar" if red else "a"}-{paper.key})"/>')
    for r in results:
        x, y = pos[r.id]
        st = status.get(r.id)
        n = counts.get(r.id, 0)
        fill = NODE_COLORS.get(st, "#ffffff")
        fg = NODE_TEXT.get(st, "#222")
        if st == AS_CORRECTED:
            sub = "printed: VIOLATED"
        elif n:
            sub = f"{st} · {n} claim{'s' if n > 1 else ''}"
        elif via and r.id in via:
            sub = f"claims under {via[r.id][0]}"
        elif r.id in not_run:
            sub = "(not in this run)"
        else:
            sub = "(no claim yet)"
        lines = _wrap(r.label, 20, 2)
        bad = r.id in failing
        stroke = "#c62828" if bad or st == AS_CORRECTED else "#444"
        sw = 2.6 if bad else (2.0 if r.kind == "theorem" else 1.0)
        dash = ' stroke-dasharray="5 3"' if bad else ""
        x0, y0 = x - NODE_W / 2, y - NODE_H / 2
        if r.kind in ("assumption", "definition"):
            shape = (f'<ellipse cx="{x:.0f}" cy="{y:.0f}" rx="{NODE_W / 2:.0f}" ry="{NODE_H / 2:.0f}" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="{sw}"{dash}/>')
        else:
            rx = 2 if r.kind == "theorem" else 9
            shape = (f'<rect x="{x0:.0f}" y="{y0:.0f}" width="{NODE_W}" height="{NODE_H}" rx="{rx}" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="{sw}"{dash}/>')
        ty = y - 6 * (len(lines) - 1) - 2
        text = "".join(f'<tspan x="{x:.0f}" y="{ty + 12 * k:.0f}">{_h.escape(t)}</tspan>' for k, t in enumerate(lines))
        weight = ' font-weight="bold"' if r.kind == "theorem" else ""
        tip = f"{r.label} ({r.where}): {sub}" + (f". {r.note}" if r.note else "") + \
              (". Rests on a VIOLATED result." if bad else "")
        N.append(f'<a href="{_h.escape(href(r.id), quote=True)}" class="node" data-result="{_h.escape(r.id)}">'
                 f'<title>{_h.escape(tip)}</title>{shape}'
                 f'<text fill="{fg}" font-size="11"{weight} text-anchor="middle">{text}</text>'
                 f'<text fill="{fg}" font-size="9" text-anchor="middle" x="{x:.0f}" y="{y + NODE_H / 2 - 6:.0f}">'
                 f'{_h.escape(sub)}</text></a>')
    defs = "".join(f'<marker id="{m}-{paper.key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                   f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{c}"/></marker>'
                   for m, c in (("a", "#777"), ("ar", "#c62828")))
    return (f'<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W:.0f} {H:.0f}" '
            f'width="{W:.0f}" height="{H:.0f}" role="img" aria-label="results graph of {_h.escape(paper.key)}">'
            f'<defs>{defs}</defs><g>{"".join(E)}</g><g>{"".join(N)}</g></svg>')
