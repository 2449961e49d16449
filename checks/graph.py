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

__all__ = ["layout", "transitive_reduction", "rests_on_failure", "draw_paper_graph"]

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


def draw_paper_graph(paper, status: dict, path: Path, counts: dict | None = None) -> Path:
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
        if counts and counts.get(r.id):
            lab += f"\n{st} ({counts[r.id]} claim{'s' if counts[r.id] > 1 else ''})"
        elif st is None:
            lab += "\n(no claim yet)"
        bad = r.id in failing
        ax.text(x * xs, -y, lab, ha="center", va="center", fontsize=8.5,
                fontweight="bold" if r.kind == "theorem" else "normal",
                bbox=dict(boxstyle=f"{SHAPES.get(r.kind, 'round')},pad=0.45", fc=STATUS_COLORS.get(st, "#ffffff"),
                          ec="#c62828" if bad else "0.25", lw=2.6 if bad else (1.8 if r.kind == "theorem" else 1.0),
                          ls="--" if bad else "-"))
    handles = [Patch(fc=STATUS_COLORS[s], ec="0.25", label=s) for s in
               ("HOLDS", "VIOLATED", "INCONCLUSIVE", "NOT_APPLICABLE", "ERROR", "NOT_CHECKABLE")]
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
