"""The lemma-by-lemma report: ``report.md``, a self-contained ``index.html``, ``results.json``, PNG plots
and, per paper, the dependency graph of its results coloured by status.

Every number in the report is read from the run's evidence; nothing is typed in. The HTML has no
external reference: statements are rendered by matplotlib's mathtext to SVG and inlined as data
URIs, plots and graphs are inlined PNGs, CSS is inline.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import platform
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
import mpmath
import numpy
import scipy
import sympy

from theory import registry
from theory.claims import Evidence, Status, aggregate_status

from .graph import draw_paper_graph, rests_on_failure
from .plots import STATUS_COLORS, claim_figure, safe_name
from .render import latex_img_tag, png_data_uri, prerender
from .runner import RunResult, fmt_num

__all__ = ["write_report", "findings", "LEGEND", "graph_status"]

LEGEND = [
    ("HOLDS", "slack > error estimate on every instance it was checked on, at the precision shown. It means "
              "*held on these instances at this precision* (and, for a grid, on that grid); it is never a proof."),
    ("VIOLATED", "slack < -error estimate: a counterexample, with its witness (instance, lambda*, neuron j*, time t*)."),
    ("INCONCLUSIVE", "|slack| within the error estimate at the highest precision tried, or the regime not reached."),
    ("NOT_APPLICABLE", "a hypothesis of the paper fails on the instance (named); neither a pass nor a failure."),
    ("ERROR", "the computation failed; the message is kept."),
    ("NOT_CHECKABLE", "a qualitative statement, registered with the reason it is not numerically checkable; "
                      "never shown as HOLDS."),
]

NOTES = [
    "Slack is signed so that slack >= 0 means the statement holds (lhs - rhs for >=, rhs - lhs for <=); for an "
    "equality the deviation |lhs - rhs| is judged (slack = -|lhs - rhs|; HOLDS if it is within the error estimate, "
    "VIOLATED if it exceeds 10 times the error estimate).",
    "Error estimate: the symbols' error estimates (two integrator tolerances, accumulated tolerance, rounding) "
    "propagated linearly to the slack, plus the evaluation rounding at the working precision.",
    "Precision: float64 first; a grid point whose slack is within the error estimate is re-measured in mpmath "
    "(digits shown as mpNN).",
    "Claims stated for 'lambda <= lambda*' with lambda* unspecified are decided at the smallest grid lambda at "
    "which the check is conclusive; the empirical threshold is the largest grid lambda from which the bound holds "
    "at every smaller grid lambda.",
    "A mutant is a deliberately wrong variant of the statement judged on the same measurements; it must be "
    "rejected (VIOLATED), otherwise the check could not fail.",
]


def graph_status(paper, summaries: list) -> tuple[dict, dict]:
    """{result id: aggregated status or None} and {result id: number of claims} for a paper's graph.

    A node's status aggregates the claims that state the result (as printed or as read after a typo fix);
    claims tagged "finding" (a printed variant shown false, e.g. a typo's literal reading) are listed in the
    Findings section and only colour a node that has no other claim."""
    st, cnt = {}, {}
    for r in paper.results:
        rows = [s for s in summaries if s["paper"] == paper.key and s["result"] == r.id]
        cnt[r.id] = len(rows)
        main = [s for s in rows if "finding" not in s.get("tags", [])] or rows
        st[r.id] = str(aggregate_status([s["status"] for s in main])) if rows else None
    return st, cnt


def _fmt_threshold(th: dict | None) -> str:
    if not th:
        return ""
    if th.get("value") is None:
        return "no holding tail"
    s = "whole grid" if th.get("holds_on_whole_grid") else f"holds for {th['param']} <= {th['label'].split('=')[-1]}"
    if th.get("inconclusive_below"):
        s += f"; inconclusive at {', '.join(th['inconclusive_below'])}"
    return s


def _witness_text(w: dict) -> str:
    if not w:
        return ""
    keys = [k for k in w if k not in ("point", "precision")]
    return ", ".join(f"{k}={fmt_num(w[k], 4) if not isinstance(w[k], str) else w[k]}" for k in keys)


def findings(run: RunResult) -> list[dict]:
    """Every VIOLATED, ERROR, INCONCLUSIVE or suspicious claim, most severe first.

    Suspicious: a mutant not rejected (the check could not fail), no mutant registered, a bound
    that holds only from some grid value down, an instance where a hypothesis fails, a relative
    slack below 1e-3 (tight), a paper module that failed to load.
    """
    out = []
    for s in run.claim_summaries():
        evs = run.by_claim(s["id"])
        st = Status(s["status"])
        if st == Status.VIOLATED:
            for e in evs:
                if e.status == Status.VIOLATED:
                    knob = "; ".join(f"holds iff {k['name']} {k['required']} {fmt_num(k['value'], 4)} (paper: "
                                     f"{k['paper_value']:g})" for k in e.knobs if k.get("value") is not None)
                    out.append({"severity": 0, "kind": "VIOLATED", "id": s["id"], "label": s["label"],
                                "text": f"{e.instance}: slack {fmt_num(e.slack)} (error {fmt_num(e.error_estimate)}) "
                                        f"at {_witness_text(e.witness)}; lhs {fmt_num(e.lhs, 6)}, rhs "
                                        f"{fmt_num(e.rhs, 6)}. {e.message}" + (f" At the witness: {knob}." if knob else "")})
        elif st == Status.ERROR:
            for e in evs:
                if e.status == Status.ERROR:
                    out.append({"severity": 1, "kind": "ERROR", "id": s["id"], "label": s["label"],
                                "text": f"{e.instance}: {e.message}"})
        elif st == Status.INCONCLUSIVE:
            for e in evs:
                if e.status == Status.INCONCLUSIVE:
                    out.append({"severity": 2, "kind": "INCONCLUSIVE", "id": s["id"], "label": s["label"],
                                "text": f"{e.instance}: |slack| {fmt_num(e.slack)} vs error {fmt_num(e.error_estimate)}"
                                        f" at {_witness_text(e.witness)}. {e.message}"})
        m = s.get("mutant")
        checkable = st not in (Status.NOT_CHECKABLE,)
        if checkable and m is None and st != Status.ERROR:
            out.append({"severity": 2, "kind": "NO MUTANT", "id": s["id"], "label": s["label"],
                        "text": "no mutant registered: nothing shows this check can fail"})
        elif m is not None and m["instances"] and not m["rejected"]:
            out.append({"severity": 1, "kind": "MUTANT NOT REJECTED", "id": s["id"], "label": s["label"],
                        "text": f"the mutant ({m['description']}) was judged {m['status']}, not VIOLATED: "
                                "this check cannot be trusted to fail"})
        for e in evs:
            if e.status == Status.NOT_APPLICABLE:
                out.append({"severity": 3, "kind": "NOT_APPLICABLE", "id": s["id"], "label": s["label"],
                            "text": f"{e.instance}: {e.message}"})
            th = e.threshold
            if e.status == Status.HOLDS and th and th.get("not_holding_above"):
                out.append({"severity": 3, "kind": "THRESHOLD", "id": s["id"], "label": s["label"],
                            "text": f"{e.instance}: holds only from {th['label']} down; not at "
                                    f"{', '.join(th['not_holding_above'])} (the paper's lambda* must be below)"})
            if e.status == Status.HOLDS:
                tight = [r for r in e.grid if r.get("rel_slack") is not None and not isinstance(r["rel_slack"], str)
                         and 0 <= r["rel_slack"] < 1e-3 and r["status"] == "HOLDS"]
                if tight:
                    out.append({"severity": 4, "kind": "TIGHT", "id": s["id"], "label": s["label"],
                                "text": f"{e.instance}: relative slack {fmt_num(tight[0]['rel_slack'])} at "
                                        f"{tight[0]['label']}"})
    for le in run.load_errors:
        out.append({"severity": 1, "kind": "LOAD ERROR", "id": le["module"], "label": "",
                    "text": le["error"]})
    out.sort(key=lambda f: f["severity"])
    return out


def _versions() -> dict:
    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "sympy": sympy.__version__, "mpmath": mpmath.__version__, "matplotlib": matplotlib.__version__,
            "mpmath_backend": getattr(mpmath.libmp, "BACKEND", "?")}


def _formulas(claims) -> list:
    """Every (latex, fontsize) the HTML report renders (see _claims_table_html / _claim_detail_html)."""
    out = []
    for c in claims:
        if not c.checkable:
            continue
        out += [(c.statement_latex(), 13.0), (c.statement_latex(), 15.0), (c.quantifier_latex, 12.0)]
        out += [(c.latex_names.get(k, k), 10.0) for k in c.symbols_doc]
        if c.mutant:
            out.append((c.mutant_latex(), 13.0))
    return out


def _figure_task(args):
    summary, evs_json, path = args
    return summary["id"], claim_figure(summary, [Evidence.from_json(d) for d in evs_json], Path(path))


def write_report(run: RunResult, out_dir, jobs: int = 1) -> dict:
    """Write report.md, index.html, results.json, plots/*.png, graphs/*.png into ``out_dir``; the per-claim plots
    and the LaTeX formulas are rendered in ``jobs`` processes.

    Returns {"dir", "markdown", "html", "json", "plots", "graphs"}.
    """
    out = Path(out_dir)
    (out / "plots").mkdir(parents=True, exist_ok=True)
    (out / "graphs").mkdir(parents=True, exist_ok=True)
    summaries = run.claim_summaries()
    sum_by_id = {s["id"]: s for s in summaries}
    claims = run.claims
    papers = [p for p in registry.papers() if any(c.paper == p.key for c in claims)]
    plots, graphs = {}, {}
    tasks = [(sum_by_id[c.id], [e.to_json() for e in run.by_claim(c.id)], str(out / "plots" / f"{safe_name(c.id)}.png"))
             for c in claims]
    if jobs > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(pool.map(_figure_task, tasks, chunksize=8))
            prerender(_formulas(claims), pool)
    else:
        done = [_figure_task(t) for t in tasks]
    for cid, p in done:
        if p is not None:
            plots[cid] = p
    graph_data = {}
    for paper in papers:
        st, cnt = graph_status(paper, summaries)
        graphs[paper.key] = draw_paper_graph(paper, st, out / "graphs" / f"{safe_name(paper.key)}.png", cnt)
        graph_data[paper.key] = {"status": st, "claims": cnt,
                                 "rests_on_violated": sorted(rests_on_failure(paper.results, st)),
                                 "edges": [[u, r.id] for r in paper.results for u in r.uses]}
    fnd = findings(run)
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    data = run.to_json()
    data.update(generated=generated, versions=_versions(), findings=fnd,
                legend={k: v for k, v in LEGEND}, notes=NOTES,
                papers=[{"key": p.key, "title": p.title, "authors": p.authors, "venue": p.venue, "source": p.source,
                         "catalog": p.catalog, "graph": graph_data[p.key],
                         "results": [{"id": r.id, "label": r.label, "where": r.where, "kind": r.kind,
                                      "uses": list(r.uses), "note": r.note} for r in p.results]} for p in papers])
    (out / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    md = _markdown(run, papers, summaries, fnd, plots, graphs, out, generated)
    (out / "report.md").write_text(md, encoding="utf-8")
    page = _html(run, papers, summaries, fnd, plots, graphs, generated)
    (out / "index.html").write_text(page, encoding="utf-8")
    return {"dir": out, "markdown": out / "report.md", "html": out / "index.html", "json": out / "results.json",
            "plots": list(plots.values()), "graphs": list(graphs.values())}


# ----------------------------------------------------------------------------- markdown


def _summary_rows(run: RunResult, summaries):
    cl = {s.value: 0 for s in Status}
    for s in summaries:
        cl[s["status"]] += 1
    inst = run.summary()
    return [(s.value, cl[s.value], inst[s.value]) for s in Status]


def _mutant_cell(s) -> str:
    m = s.get("mutant")
    if not m:
        return "no mutant" if s["status"] != "NOT_CHECKABLE" else "-"
    if not m["instances"]:
        return "-"
    return f"yes ({m['rejected_on']}/{m['instances']})" if m["rejected"] else f"NO ({m['status']})"


def _grid_cell(run, s) -> str:
    parts = []
    for e in run.by_claim(s["id"]):
        g = e.grid_description or ""
        th = _fmt_threshold(e.threshold)
        parts.append(f"{e.instance}: {g}" + (f" [{th}]" if th else ""))
    return "; ".join(parts)


def _markdown(run, papers, summaries, fnd, plots, graphs, out, generated) -> str:
    L = ["# earlyalign report", "",
         f"Generated {generated}; code version `{run.code_version}`; tier `{run.tier}`; "
         f"{len(summaries)} claims, {len(run.evidences)} (claim, instance) results; wall time {run.wall_s:.1f} s "
         f"({run.cache_hits} results from the cache).", "",
         "## Legend", ""]
    for k, v in LEGEND:
        L.append(f"- **{k}**: {v}")
    L.append("")
    for n in NOTES:
        L.append(f"- {n}")
    L += ["", "## Summary", "", "| status | claims | (claim, instance) results |", "|---|---|---|"]
    for st, nc, ni in _summary_rows(run, summaries):
        L.append(f"| {st} | {nc} | {ni} |")
    L += ["", "## Findings", ""]
    if not fnd:
        L.append("No VIOLATED, ERROR, INCONCLUSIVE or suspicious claim in this run.")
    for f in fnd:
        L.append(f"- **{f['kind']}** `{f['id']}` {f['label']}: {f['text']}")
    for p in papers:
        L += ["", f"## {p.key}: {p.title}", "", f"{p.authors}, {p.venue}. Source `{p.source}`, catalog `{p.catalog}`.",
              "", f"![dependency graph of {p.key}]({graphs[p.key].relative_to(out).as_posix()})", "",
              "| id | label | where | kind | status | slack | error | precision | runtime (s) | mutant rejected | "
              "instances, grid [threshold] |", "|---|---|---|---|---|---|---|---|---|---|---|"]
        ps = [s for s in summaries if s["paper"] == p.key]
        for s in ps:
            L.append(f"| `{s['id']}` | {s['label']} | {s['where']} | {s['kind']} | **{s['status']}** | "
                     f"{fmt_num(s['slack'])} | {fmt_num(s['error_estimate'])} | {', '.join(s['precision']) or '-'} | "
                     f"{s['runtime_s']:.2f} | {_mutant_cell(s)} | {_grid_cell(run, s)} |")
        for s in ps:
            c = run.claim(s["id"])
            L += ["", f"### {s['label']} (`{s['id']}`): {s['status']}", "",
                  f"Provenance: {p.key}, {s['label']}, {s['where']}; catalog entry {s['catalog'] or '-'}; "
                  f"result node `{s['result'] or '-'}`; kind {s['kind']}.", ""]
            if c.checkable:
                L += [f"Statement: $${c.statement_latex()}$$", ""]
                if c.quantifier:
                    L += [f"Quantifier: {c.quantifier}.", ""]
            else:
                L += [f"Not numerically checkable: {c.reason}", ""]
            for e in run.by_claim(s["id"]):
                L.append(f"- instance *{e.instance}*: **{e.status}**; slack {fmt_num(e.slack)}, error "
                         f"{fmt_num(e.error_estimate)}, precision {e.precision}, witness {_witness_text(e.witness) or '-'}; "
                         f"grid {e.grid_description or '-'}; {_fmt_threshold(e.threshold) or ''} {e.message}")
                bad = [h for h in e.hypotheses if not h["ok"]]
                if e.hypotheses:
                    L.append("  - hypotheses: " + "; ".join(f"{h['name']}: {'ok' if h['ok'] else 'FAILS'}"
                                                            for h in e.hypotheses) + ("" if not bad else
                                                                                      f" ({bad[0]['detail']})"))
                if e.mutant:
                    L.append(f"  - mutant: {e.mutant['status']} (slack {fmt_num(e.mutant['slack'])}, witness "
                             f"{_witness_text(e.mutant['witness'])})")
            if c.mutant is not None:
                L += ["", f"Mutant ({c.mutant.description}): $${c.mutant_latex()}$$"]
            if s["id"] in plots:
                L += ["", f"![{s['id']}]({plots[s['id']].relative_to(out).as_posix()})"]
    if run.skipped:
        L += ["", "## Skipped", ""] + [f"- `{k['id']}`: {k['reason']}" for k in run.skipped]
    L.append("")
    return "\n".join(L)


# ----------------------------------------------------------------------------- html

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1300px;
color:#222;line-height:1.4;padding:0 1em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top}th{background:#f3f3f3}code{font-size:.9em}
.st{font-weight:bold;padding:.1em .4em;border-radius:3px;white-space:nowrap}
img.math{vertical-align:middle;max-width:100%}img.plot{max-width:100%;border:1px solid #ddd}
.find{margin:.2em 0}.legend dt{font-weight:bold}.small{color:#555;font-size:.85em}
details{margin:.5em 0 1em 0}summary{cursor:pointer}
"""


def _st(s) -> str:
    col = STATUS_COLORS.get(str(s), "#fff")
    fg = "#fff" if str(s) in ("VIOLATED", "ERROR", "HOLDS") else "#222"
    return f'<span class="st" style="background:{col};color:{fg}">{html.escape(str(s))}</span>'


def _e(x) -> str:
    return html.escape(str(x))


def _html(run, papers, summaries, fnd, plots, graphs, generated) -> str:
    H = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>earlyalign report</title>",
         f"<style>{_CSS}</style></head><body>", "<h1>earlyalign report</h1>",
         f"<p class='small'>Generated {_e(generated)}; code version <code>{_e(run.code_version)}</code>; tier "
         f"<code>{_e(run.tier)}</code>; {len(summaries)} claims, {len(run.evidences)} (claim, instance) results; "
         f"wall time {run.wall_s:.1f} s ({run.cache_hits} from the cache).</p>",
         "<h2 id='legend'>Legend</h2><dl class='legend'>"]
    for k, v in LEGEND:
        H.append(f"<dt>{_st(k)}</dt><dd>{_e(v)}</dd>")
    H.append("</dl><ul>" + "".join(f"<li>{_e(n)}</li>" for n in NOTES) + "</ul>")
    H.append("<h2 id='summary'>Summary</h2><table id='summary-table'><tr><th>status</th><th>claims</th>"
             "<th>(claim, instance) results</th></tr>")
    for st, nc, ni in _summary_rows(run, summaries):
        H.append(f"<tr><td>{_st(st)}</td><td>{nc}</td><td>{ni}</td></tr>")
    H.append("</table><h2 id='findings'>Findings</h2>")
    if not fnd:
        H.append("<p>No VIOLATED, ERROR, INCONCLUSIVE or suspicious claim in this run.</p>")
    else:
        H.append("<ul>")
        for f in fnd:
            H.append(f"<li class='find'><b>{_e(f['kind'])}</b> <a href='#{_e(f['id'])}'><code>{_e(f['id'])}</code></a> "
                     f"{_e(f['label'])}: {_e(f['text'])}</li>")
        H.append("</ul>")
    for p in papers:
        H.append(f"<h2 id='paper-{_e(p.key)}'>{_e(p.key)}: {_e(p.title)}</h2>")
        H.append(f"<p class='small'>{_e(p.authors)}, {_e(p.venue)}. Source <code>{_e(p.source)}</code>, catalog "
                 f"<code>{_e(p.catalog)}</code>.</p>")
        H.append(f"<p><img class='plot' alt='dependency graph of {_e(p.key)}' src='{png_data_uri(graphs[p.key])}'></p>")
        H.append("<table class='claims'><tr><th>id</th><th>label</th><th>where</th><th>kind</th><th>statement</th>"
                 "<th>status</th><th>slack</th><th>error</th><th>precision</th><th>runtime (s)</th>"
                 "<th>mutant rejected</th><th>instances, grid [threshold]</th></tr>")
        ps = [s for s in summaries if s["paper"] == p.key]
        for s in ps:
            c = run.claim(s["id"])
            stmt = latex_img_tag(c.statement_latex()) if c.checkable else _e(c.reason)
            H.append(f"<tr data-claim-id='{_e(s['id'])}' data-status='{_e(s['status'])}'>"
                     f"<td><a href='#{_e(s['id'])}'><code>{_e(s['id'])}</code></a></td><td>{_e(s['label'])}</td>"
                     f"<td>{_e(s['where'])}</td><td>{_e(s['kind'])}</td><td>{stmt}</td><td>{_st(s['status'])}</td>"
                     f"<td>{_e(fmt_num(s['slack']))}</td><td>{_e(fmt_num(s['error_estimate']))}</td>"
                     f"<td>{_e(', '.join(s['precision']) or '-')}</td><td>{s['runtime_s']:.2f}</td>"
                     f"<td>{_e(_mutant_cell(s))}</td><td class='small'>{_e(_grid_cell(run, s))}</td></tr>")
        H.append("</table>")
        for s in ps:
            H.append(_claim_detail_html(run, s, plots))
    if run.skipped:
        H.append("<h2>Skipped</h2><ul>" + "".join(f"<li><code>{_e(k['id'])}</code>: {_e(k['reason'])}</li>"
                                                 for k in run.skipped) + "</ul>")
    H.append("</body></html>")
    return "\n".join(H)


def _claim_detail_html(run, s, plots) -> str:
    c = run.claim(s["id"])
    H = [f"<h3 id='{_e(s['id'])}'>{_e(s['label'])} <code>{_e(s['id'])}</code> {_st(s['status'])}</h3>",
         f"<p class='small'>Provenance: {_e(c.paper)}, {_e(c.label)}, {_e(c.where)}; catalog entry "
         f"{_e(c.catalog or '-')}; result node <code>{_e(c.result or '-')}</code>; kind {_e(c.kind)}.</p>"]
    if c.checkable:
        H.append(f"<p>Statement: {latex_img_tag(c.statement_latex(), 15)}")
        if c.quantifier_latex:
            H.append(f" &nbsp; {latex_img_tag(c.quantifier_latex, 12)}")
        H.append("</p>")
        if c.quantifier:
            H.append(f"<p class='small'>Quantifier: {_e(c.quantifier)}.</p>")
        if c.symbols_doc:
            H.append("<p class='small'>Symbols: " + "; ".join(
                f"{latex_img_tag(c.latex_names.get(k, k), 10)} = {_e(v)}" for k, v in c.symbols_doc.items()) + "</p>")
    else:
        H.append(f"<p>Not numerically checkable: {_e(c.reason)}</p>")
    evs = run.by_claim(s["id"])
    if evs and c.checkable:
        H.append("<table><tr><th>instance</th><th>status</th><th>slack</th><th>error</th><th>precision</th>"
                 "<th>witness</th><th>grid</th><th>threshold</th><th>mutant</th><th>runtime (s)</th></tr>")
        for e in evs:
            H.append(f"<tr><td>{_e(e.instance)}</td><td>{_st(e.status)}</td><td>{_e(fmt_num(e.slack))}</td>"
                     f"<td>{_e(fmt_num(e.error_estimate))}</td><td>{_e(e.precision)}</td>"
                     f"<td>{_e(_witness_text(e.witness))}</td><td>{_e(e.grid_description)}</td>"
                     f"<td>{_e(_fmt_threshold(e.threshold))}</td>"
                     f"<td>{_st(e.mutant['status']) if e.mutant else '-'}</td><td>{e.runtime_s:.2f}</td></tr>")
        H.append("</table>")
        for e in evs:
            H.append(f"<details><summary>{_e(e.instance)}: hypotheses and grid</summary>")
            if e.hypotheses:
                H.append("<ul>" + "".join(f"<li>{'&#10003;' if h['ok'] else '&#10007;'} {_e(h['name'])} "
                                          f"<span class='small'>({_e(h['where'])}) {_e(h['detail'])}</span></li>"
                                          for h in e.hypotheses) + "</ul>")
            if e.message:
                H.append(f"<p class='small'>{_e(e.message)}</p>")
            if e.grid and e.grid[0].get("lhs") is not None:
                H.append("<table><tr><th>point</th><th>status</th><th>lhs</th><th>rhs</th><th>slack</th><th>error</th>"
                         "<th>precision</th><th>witness</th><th>mutant</th></tr>")
                for r in e.grid:
                    mst = r.get("mutant", {}).get("status", "-")
                    H.append(f"<tr><td>{_e(r['label'])}</td><td>{_st(r['status'])}</td><td>{_e(fmt_num(r.get('lhs'), 6))}</td>"
                             f"<td>{_e(fmt_num(r.get('rhs'), 6))}</td><td>{_e(fmt_num(r.get('slack')))}</td>"
                             f"<td>{_e(fmt_num(r.get('error_estimate')))}</td><td>{_e(r['precision'])}</td>"
                             f"<td>{_e(_witness_text(r.get('witness', {})))}</td><td>{_e(mst)}</td></tr>")
                H.append("</table>")
            H.append("</details>")
    if c.mutant is not None:
        H.append(f"<p>Mutant ({_e(c.mutant.description)}): {latex_img_tag(c.mutant_latex(), 13)}</p>")
    if s["id"] in plots:
        H.append(f"<p><img class='plot' alt='plot of {_e(s['id'])}' src='{png_data_uri(plots[s['id']])}'></p>")
    return "\n".join(H)
