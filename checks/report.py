"""The lemma-by-lemma report: ``report.md``, a self-contained ``index.html``, ``results.json``, PNG plots
and, per paper, the dependency graph of its results coloured by status.

Reading order (HTML and Markdown alike):

1. Overview: per paper one line of claim counts by status, linking to the paper's section; total time and
   code version.
2. Findings: the claims tagged "finding" (a printed statement shown false, e.g. a typo's literal reading), as a
   table grouped by paper: the result (label, section, lines), what the paper states (LaTeX), what was measured
   at the witness (lhs vs rhs, on the instance named in words), the control that holds (the corrected
   statement, judged on the same measurement; "no control yet" when none is registered), links to the claim
   and its plot. The same records are ``findings`` in ``results.json``.
3. Other diagnostics: VIOLATED claims not registered as findings, ERRORs, INCONCLUSIVE verdicts, checks that
   could not fail (mutant), thresholds, tight bounds, failing hypotheses (``diagnostics`` in the JSON).
4. One section per paper: its results graph (inline SVG, each node links to the result's claims), then the
   claims in the paper's order (grouped by result), each with its plot beside it and details folded.

Every number is read from the run's evidence; nothing is typed in. The HTML has no external reference:
formulas are rendered by matplotlib's mathtext once per distinct formula into an inline SVG sprite, plots are
palette PNGs inlined as data URIs, graphs are inline SVG, CSS is inline, and there is no script.
"""
from __future__ import annotations

import datetime as _dt
import html
import json
import platform
import re
from pathlib import Path

from theory import registry
from theory.claims import Status, aggregate_status

from .graph import AS_CORRECTED, NODE_COLORS, draw_paper_graph, graph_svg, rests_on_failure
from .plots import STATUS_COLORS, claim_figure, safe_name
from .render import BASE_SIZE, MathBook, png_data_uri, prerender
from .runner import RunResult, fmt_num
from .witness import WITNESS_RULE, measured_text, witness_text

__all__ = ["write_report", "findings", "diagnostics", "LEGEND", "NOTES", "graph_status", "ordered_claims",
           "NO_CONTROL"]

STATUSES = [s.value for s in Status]

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
    "equality the deviation |lhs - rhs| is judged (slack = -|lhs - rhs|; HOLDS if it is within the claim's "
    "tolerance after the error estimate, VIOLATED if it exceeds it by more than the error estimate).",
    "Error estimate: the symbols' error estimates (two integrator tolerances, accumulated tolerance, rounding) "
    "propagated linearly to the slack, plus the evaluation rounding at the working precision.",
    "Precision: float64 first; a grid point whose slack is within the error estimate is re-measured in mpmath "
    "(digits shown as mpNN).",
    "Witness: for a HOLDS instance, the " + WITNESS_RULE["HOLDS"] + "; for a VIOLATED one, the "
    + WITNESS_RULE["VIOLATED"] + ". Claims stated for 'lambda <= lambda*' with lambda* unspecified are decided "
    "at the " + WITNESS_RULE["asymptotic"].split(", where")[0] + "; the empirical threshold is the largest grid "
    "lambda from which the bound holds at every smaller grid lambda.",
    "A mutant is a deliberately wrong variant of the statement judged on the same measurements; it must be "
    "rejected (VIOLATED), otherwise the check could not fail. A finding's control is the corrected statement, "
    "judged on the same measurements as the printed one; it must hold.",
]

NO_CONTROL = "no control yet"
NO_CONTROL_LONG = "no control yet: no corrected statement is registered for this finding"


# ----------------------------------------------------------------------------- data


def graph_status(paper, summaries: list) -> tuple[dict, dict]:
    """{result id: status or None} and {result id: number of claims} for a paper's graph.

    A node's status aggregates the claims that state the result (as printed or as read after a typo fix).
    Claims tagged "finding" (a printed variant shown false) colour a node by themselves only when it has no
    other claim; a result whose other claims HOLD but whose printed statement has a VIOLATED finding is
    :data:`checks.graph.AS_CORRECTED` (never painted green)."""
    st, cnt = {}, {}
    for r in paper.results:
        rows = [s for s in summaries if s["paper"] == paper.key and s["result"] == r.id]
        cnt[r.id] = len(rows)
        if not rows:
            st[r.id] = None
            continue
        fnd = [s for s in rows if "finding" in s.get("tags", [])]
        main = [s for s in rows if s not in fnd] or rows
        agg = str(aggregate_status([s["status"] for s in main]))
        if agg == "HOLDS" and main is not rows and any(s["status"] == "VIOLATED" for s in fnd):
            agg = AS_CORRECTED
        st[r.id] = agg
    return st, cnt


def related_claims(paper, summaries: list, counts: dict) -> dict:
    """{result id: [claim summaries]} for the results with no claim of their own whose claims are filed under
    another result (the claim's id is ``<paper>.<result id>[...]`` or its label starts with the result's label,
    e.g. "Assumption 5 (printed) on Assumption-3 data (Lemma 8)" filed under Lemma 8): such a node is never
    "no claim yet"; it links to those claims."""
    out = {}
    for r in paper.results:
        if counts.get(r.id):
            continue
        rows = [s for s in summaries if s["paper"] == paper.key and s["result"] != r.id and (
            s["id"] == f"{paper.key}.{r.id}" or s["id"].startswith(f"{paper.key}.{r.id}.")
            or s["label"] == r.label or s["label"].startswith(r.label + " "))]
        if rows:
            out[r.id] = rows
    return out


def ordered_claims(paper, claims) -> list:
    """The paper's claims in the paper's order: by the position of their result in ``paper.results`` (the
    paper's numbering), then in registration order; claims of no declared result last."""
    idx = {r.id: k for k, r in enumerate(paper.results)}
    mine = [c for c in claims if c.paper == paper.key]
    return [c for _, _, c in sorted((idx.get(c.result, len(idx)), k, c) for k, c in enumerate(mine))]


_LINES = re.compile(r"\bl{1,2}\.\s*\d+(?:\s*[-–]\s*\d+)?")


def split_where(where: str) -> tuple[str, str]:
    """("§4.2", "l.619-625") from "§4.2, l.619-625 (appendix ...)": the section and the first line range."""
    m = _LINES.search(where or "")
    section = (where or "").split(",")[0].strip() if where else ""
    if m and section.startswith(("l.", "ll.")):
        section = ""
    return section, (m.group(0) if m else "")


def _instance_counts(s) -> str:
    by = {}
    for i in s["instances"]:
        by[i["status"]] = by.get(i["status"], 0) + 1
    n = len(s["instances"])
    return ", ".join(f"{v} of {n} {k}" for k, v in by.items())


def findings(run: RunResult, plots: dict | None = None) -> list[dict]:
    """The findings table: one record per claim tagged "finding", in the papers' order (see the module doc)."""
    plots = plots or {}
    sums = {s["id"]: s for s in run.claim_summaries()}
    out = []
    for paper in _papers(run):
        for c in ordered_claims(paper, run.claims):
            if "finding" not in c.tags:
                continue
            s = sums[c.id]
            section, lines = split_where(c.where)
            measured = None
            if s["lhs"] is not None or s["rhs"] is not None:
                measured = {"instance": s["instance"], "lhs": s["lhs"], "rhs": s["rhs"], "slack": s["slack"],
                            "error_estimate": s["error_estimate"], "witness": s["witness"],
                            "witness_text": witness_text(s["witness"]),
                            "text": measured_text(s)}
            ctl = s.get("control")
            if ctl is None:
                ctext = NO_CONTROL
            else:
                ctext = f"{ctl['description']}: {ctl['status'] or 'not measured'}"
                if ctl.get("lhs") is not None:
                    ctext += f" on {ctl['instance']}: {measured_text(ctl)}"
            knobs = []
            for e in run.shown(c.id):
                if str(e.status) == s["status"]:
                    knobs = [k for k in e.knobs if k.get("value") is not None]
                    if knobs:
                        break
            out.append({
                "paper": c.paper, "id": c.id, "label": c.label, "where": c.where, "section": section, "lines": lines,
                "result": c.result, "catalog": c.catalog, "status": s["status"],
                "statement_latex": c.statement_latex() if c.checkable else "", "quantifier": c.quantifier,
                "reason": c.reason if not c.checkable else "",
                "measured": measured, "instances": _instance_counts(s), "message": s["message"],
                "knobs": [f"holds iff {k['name']} {k['required']} {fmt_num(k['value'], 4)} (paper: {k['paper_value']:g})"
                          for k in knobs],
                "control": ctl, "control_text": ctext,
                "anchor": f"#{c.id}", "plot": plots[c.id].name if c.id in plots else None,
            })
    return out


def diagnostics(run: RunResult) -> list[dict]:
    """Everything else a reader should look at, most severe first: a VIOLATED claim not registered as a
    finding, ERROR, INCONCLUSIVE, a mutant not rejected (the check could not fail) or missing, a bound that holds
    only from some grid value down, an instance where a hypothesis fails, a relative slack below 1e-3 (tight),
    a paper module that failed to load. ``{"severity", "kind", "id", "label", "paper", "text"}``."""
    out = []
    for s in run.claim_summaries():
        evs = run.shown(s["id"])
        st = Status(s["status"])
        base = {"id": s["id"], "label": s["label"], "paper": s["paper"]}
        is_finding = "finding" in s.get("tags", [])
        if st == Status.VIOLATED and not is_finding:
            for e in evs:
                if e.status == Status.VIOLATED:
                    knob = "; ".join(f"holds iff {k['name']} {k['required']} {fmt_num(k['value'], 4)} (paper: "
                                     f"{k['paper_value']:g})" for k in e.knobs if k.get("value") is not None)
                    out.append({**base, "severity": 0, "kind": "VIOLATED",
                                "text": f"{e.instance}: {measured_text(e)}. {e.message}".rstrip(" .") + "."
                                        + (f" At the witness: {knob}." if knob else "")})
        elif st == Status.ERROR:
            for e in evs:
                if e.status == Status.ERROR:
                    out.append({**base, "severity": 1, "kind": "ERROR", "text": f"{e.instance}: {e.message}"})
        elif st == Status.INCONCLUSIVE:
            for e in evs:
                if e.status == Status.INCONCLUSIVE:
                    mt = measured_text(e)
                    out.append({**base, "severity": 2, "kind": "INCONCLUSIVE",
                                "text": f"{e.instance}: " + (f"{mt}. " if mt else "") + (e.message or "")})
            if s["message"] and not any(e.status == Status.INCONCLUSIVE for e in evs):
                out.append({**base, "severity": 2, "kind": "INCONCLUSIVE", "text": s["message"]})
        m = s.get("mutant")
        if st not in (Status.NOT_CHECKABLE, Status.ERROR) and m is None:
            out.append({**base, "severity": 2, "kind": "NO MUTANT",
                        "text": "no mutant registered: nothing shows this check can fail"})
        elif m is not None and m["instances"] and not m["rejected"]:
            out.append({**base, "severity": 1, "kind": "MUTANT NOT REJECTED",
                        "text": f"the mutant ({m['description']}) was judged {m['status']}, not VIOLATED, on an "
                                "instance where the statement holds: this check cannot be trusted to fail"})
        ctl = s.get("control")
        if ctl is not None and ctl["status"] not in (None, "HOLDS"):
            out.append({**base, "severity": 1, "kind": "CONTROL NOT HOLDING",
                        "text": f"the control ({ctl['description']}) was judged {ctl['status']}"})
        for e in evs:
            if e.status == Status.NOT_APPLICABLE:
                out.append({**base, "severity": 3, "kind": "NOT_APPLICABLE", "text": f"{e.instance}: {e.message}"})
            th = e.threshold
            if e.status == Status.HOLDS and th and th.get("not_holding_above"):
                out.append({**base, "severity": 3, "kind": "THRESHOLD",
                            "text": f"{e.instance}: holds only from {th['label']} down; not at "
                                    f"{', '.join(th['not_holding_above'])} (the paper's lambda* must be below)"})
            if e.status == Status.HOLDS:
                tight = [r for r in e.grid if r.get("rel_slack") is not None and not isinstance(r["rel_slack"], str)
                         and 0 <= r["rel_slack"] < 1e-3 and r["status"] == "HOLDS"]
                if tight:
                    out.append({**base, "severity": 4, "kind": "TIGHT",
                                "text": f"{e.instance}: relative slack {fmt_num(tight[0]['rel_slack'])} at "
                                        f"{tight[0]['label']}"})
    for le in run.load_errors:
        out.append({"severity": 1, "kind": "LOAD ERROR", "id": le["module"], "label": "", "paper": "",
                    "text": le["error"]})
    out.sort(key=lambda f: f["severity"])
    return out


def _papers(run) -> list:
    return [p for p in registry.papers() if any(c.paper == p.key for c in run.claims)]


def _versions() -> dict:
    import matplotlib
    import mpmath
    import numpy
    import scipy
    import sympy

    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "sympy": sympy.__version__, "mpmath": mpmath.__version__, "matplotlib": matplotlib.__version__,
            "mpmath_backend": getattr(mpmath.libmp, "BACKEND", "?")}


def _formulas(claims) -> list:
    """Every (latex, size) the HTML report renders: each distinct formula once."""
    out = []
    for c in claims:
        if not c.checkable:
            continue
        out += [c.statement_latex(), c.quantifier_latex]
        out += [c.latex_names.get(k, k) for k in c.symbols_doc]
        if c.mutant:
            out.append(c.mutant_latex())
        if c.control:
            out.append(c.control_latex())
    return [(x, BASE_SIZE) for x in dict.fromkeys(out) if x]


def _figure_task(args):
    summary, evs_json, path = args
    from theory.claims import Evidence

    return summary["id"], claim_figure(summary, [Evidence.from_json(d) for d in evs_json], Path(path), tall=True)


def _overview(run, papers, summaries) -> list[dict]:
    rows = []
    for p in papers:
        ps = [s for s in summaries if s["paper"] == p.key]
        counts = {k: 0 for k in STATUSES}
        for s in ps:
            counts[s["status"]] += 1
        rows.append({"paper": p.key, "title": p.title, "counts": counts, "claims": len(ps),
                     "findings": sum(1 for s in ps if "finding" in s.get("tags", [])),
                     "compute_s": round(sum(s["runtime_s"] for s in ps), 2), "anchor": f"#paper-{p.key}"})
    return rows


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
    papers = _papers(run)
    plots, graphs = {}, {}
    tasks = [(sum_by_id[c.id], [e.to_json() for e in run.shown(c.id)], str(out / "plots" / f"{safe_name(c.id)}.png"))
             for c in claims]
    if jobs > 1 and len(tasks) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = list(pool.map(_figure_task, tasks, chunksize=8))
            prerender(_formulas(claims), pool)
    else:
        done = [_figure_task(t) for t in tasks]
    for cid, p in done:
        if p is not None:
            plots[cid] = p
    registered = {(c.paper, c.result) for c in registry.claims()}
    graph_data, svgs = {}, {}
    for paper in papers:
        st, cnt = graph_status(paper, summaries)
        not_run = {r.id for r in paper.results if not cnt[r.id] and (paper.key, r.id) in registered}
        rel = related_claims(paper, summaries, cnt)
        via = {rid: (", ".join(dict.fromkeys(paper.result(s["result"]).label if paper.result(s["result"]) else s["result"]
                                              for s in rows)), len(rows)) for rid, rows in rel.items()}
        graphs[paper.key] = draw_paper_graph(paper, st, out / "graphs" / f"{safe_name(paper.key)}.png", cnt, not_run,
                                             via=via)
        svgs[paper.key] = graph_svg(paper, st, cnt, href=lambda rid, k=paper.key: f"#res-{k}-{rid}", not_run=not_run,
                                    via=via)
        graph_data[paper.key] = {"status": st, "claims": cnt, "not_run": sorted(not_run),
                                 "related": {rid: [s["id"] for s in rows] for rid, rows in rel.items()},
                                 "rests_on_violated": sorted(rests_on_failure(paper.results, st)),
                                 "edges": [[u, r.id] for r in paper.results for u in r.uses]}
    fnd = findings(run, plots)
    diag = diagnostics(run)
    overview = _overview(run, papers, summaries)
    generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    data = run.to_json()
    data.update(generated=generated, versions=_versions(), overview=overview, findings=fnd, diagnostics=diag,
                legend={k: v for k, v in LEGEND}, notes=NOTES, witness_rule=WITNESS_RULE,
                papers=[{"key": p.key, "title": p.title, "authors": p.authors, "venue": p.venue, "source": p.source,
                         "catalog": p.catalog, "graph": graph_data[p.key],
                         "claim_order": [c.id for c in ordered_claims(p, claims)],
                         "results": [{"id": r.id, "label": r.label, "where": r.where, "kind": r.kind,
                                      "uses": list(r.uses), "note": r.note} for r in p.results]} for p in papers])
    (out / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    ctx = _Ctx(run, papers, summaries, sum_by_id, fnd, diag, overview, plots, graphs, svgs, graph_data, generated, out)
    (out / "report.md").write_text(_markdown(ctx), encoding="utf-8")
    (out / "index.html").write_text(_html(ctx), encoding="utf-8")
    return {"dir": out, "markdown": out / "report.md", "html": out / "index.html", "json": out / "results.json",
            "plots": list(plots.values()), "graphs": list(graphs.values())}


class _Ctx:
    def __init__(self, run, papers, summaries, sum_by_id, fnd, diag, overview, plots, graphs, svgs, graph_data,
                 generated, out):
        self.run, self.papers, self.summaries, self.sum_by_id = run, papers, summaries, sum_by_id
        self.fnd, self.diag, self.overview, self.plots, self.graphs = fnd, diag, overview, plots, graphs
        self.svgs, self.graph_data, self.generated, self.out = svgs, graph_data, generated, out


def _meta_line(run, summaries) -> str:
    return (f"code version {run.code_version}; tier {run.tier}; {len(summaries)} claims, {len(run.evidences)} "
            f"(claim, instance) results; total wall time {run.wall_s:.1f} s on {run.jobs} job(s) "
            f"({run.cache_hits} results from the cache)")


def _mutant_cell(s) -> str:
    m = s.get("mutant")
    if not m:
        return "no mutant" if s["status"] != "NOT_CHECKABLE" else "-"
    if not m["instances"]:
        return "-"
    if s["status"] not in ("HOLDS", "INCONCLUSIVE") and not m["rejected"]:
        return f"judged {m['status']} (no HOLDS instance to show it rejected)"
    return f"yes ({m['rejected_on']}/{m['instances']})" if m["rejected"] else f"NO ({m['status']})"


def _fmt_threshold(th: dict | None) -> str:
    if not th:
        return ""
    if th.get("value") is None:
        return "no holding tail"
    s = "whole grid" if th.get("holds_on_whole_grid") else f"holds for {th['param']} <= {th['label'].split('=')[-1]}"
    if th.get("inconclusive_below"):
        s += f"; inconclusive at {', '.join(th['inconclusive_below'])}"
    return s


def _claim_groups(paper, claims, empty: bool = False):
    """[(Result or None, [claims])] in the paper's order; ``empty``: also the results with no claim in the run
    (so that every node of the graph has its place in the page)."""
    byres: dict = {r.id: [] for r in paper.results}
    orphans = []
    for c in ordered_claims(paper, claims):
        (byres[c.result] if c.result in byres else orphans).append(c)
    groups = [(r, byres[r.id]) for r in paper.results if byres[r.id] or empty]
    return groups + ([(None, orphans)] if orphans else [])


# ----------------------------------------------------------------------------- markdown


def _md_latex(latex: str) -> str:
    """LaTeX for a Markdown table cell: no pipe (\\Vert, \\vert) so the table is not split."""
    return latex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(x: _Ctx) -> str:
    run = x.run
    L = ["# earlyalign report", "",
         f"Generated {x.generated}; {_meta_line(run, x.summaries)}.", "",
         "## Overview", "",
         "| paper | " + " | ".join(STATUSES) + " | claims | findings | compute (s) |",
         "|---|" + "---|" * (len(STATUSES) + 3)]
    tot = {k: 0 for k in STATUSES}
    for o in x.overview:
        for k in STATUSES:
            tot[k] += o["counts"][k]
        L.append(f"| [{o['paper']}](#{o['paper']}) | " + " | ".join(str(o["counts"][k]) for k in STATUSES)
                 + f" | {o['claims']} | {o['findings']} | {o['compute_s']:.1f} |")
    L.append("| **total** | " + " | ".join(f"**{tot[k]}**" for k in STATUSES)
             + f" | **{sum(tot.values())}** | **{len(x.fnd)}** | wall {run.wall_s:.1f} |")
    if run.load_errors:
        L += ["", "**Modules that failed to load:** " + "; ".join(f"`{e['module']}`: {e['error']}"
                                                                  for e in run.load_errors)]
    L += ["", "## Findings", "",
          "Claims tagged *finding*: a statement as printed in the paper, shown false. The control is the corrected "
          "statement, judged on the same measurement.", ""]
    if not x.fnd:
        L.append("No finding in this run.")
    for p in x.papers:
        rows = [f for f in x.fnd if f["paper"] == p.key]
        if not rows:
            continue
        L += [f"### Findings in {p.key}", "",
              "| result | the paper states | we measured | the control that holds | links |", "|---|---|---|---|---|"]
        for f in rows:
            res = f"**{f['label']}**<br>{f['where']}<br>`{f['id']}`"
            states = f"${_md_latex(f['statement_latex'])}$" if f["statement_latex"] else f["reason"]
            if f["quantifier"]:
                states += f"<br>*{f['quantifier']}*"
            meas = f"**{f['status']}**"
            if f["measured"]:
                meas += f" on *{f['measured']['instance']}*: {f['measured']['text']}"
            elif f["message"]:
                meas += f": {f['message']}"
            meas += f" ({f['instances']})" if f["instances"] else ""
            if f["knobs"]:
                meas += "<br>" + "; ".join(f["knobs"])
            c = f["control"]
            if c is None:
                ctl = f"*{NO_CONTROL}*"
            else:
                ctl = f"${_md_latex(c['statement_latex'])}$<br>{c['description']}: **{c['status']}**"
                if c.get("lhs") is not None:
                    ctl += f" on *{c['instance']}*: {measured_text(c)}"
            links = f"[claim](#{safe_name(f['id'])})" + (f", [plot](plots/{f['plot']})" if f["plot"] else "")
            L.append("| " + " | ".join(_md_cell(v) for v in (res, states, meas, ctl, links)) + " |")
        L.append("")
    L += ["## Other diagnostics", ""]
    if not x.diag:
        L.append("Nothing else to look at.")
    for f in x.diag:
        L.append(f"- **{f['kind']}** `{f['id']}` {f['label']}: {f['text']}")
    L += ["", "## Legend", ""]
    for k, v in LEGEND:
        L.append(f"- **{k}**: {v}")
    L.append("")
    for n in NOTES:
        L.append(f"- {n}")
    for p in x.papers:
        ps = [x.sum_by_id[c.id] for c in ordered_claims(p, run.claims)]
        o = next(o for o in x.overview if o["paper"] == p.key)
        L += ["", f"## {p.key}", "", f"**{p.title}**. {p.authors}, {p.venue}. Source `{p.source}`, catalog "
              f"`{p.catalog}`.", "",
              "Claims: " + ", ".join(f"{k} {v}" for k, v in o["counts"].items() if v) + ".", "",
              f"![dependency graph of {p.key}]({x.graphs[p.key].relative_to(x.out).as_posix()})", "",
              "| id | label | where | status | slack | error | precision | mutant rejected |",
              "|---|---|---|---|---|---|---|---|"]
        for s in ps:
            L.append(f"| `{s['id']}` | {_md_cell(s['label'])} | {_md_cell(s['where'])} | **{s['status']}** | "
                     f"{fmt_num(s['slack'])} | {fmt_num(s['error_estimate'])} | {', '.join(s['precision']) or '-'} | "
                     f"{_mutant_cell(s)} |")
        for r, cl in _claim_groups(p, run.claims):
            L += ["", f"### {r.label} ({r.where})" if r else "### Claims of no declared result"]
            for c in cl:
                L += _md_claim(x, c)
    if run.skipped:
        L += ["", "## Skipped", ""] + [f"- `{k['id']}`: {k['reason']}" for k in run.skipped]
    L.append("")
    return "\n".join(L)


def _md_claim(x: _Ctx, c) -> list:
    s = x.sum_by_id[c.id]
    L = ["", f"<a id=\"{safe_name(c.id)}\"></a>", "", f"#### {s['label']} (`{s['id']}`): {s['status']}", "",
         f"{s['where']}; catalog {s['catalog'] or '-'}; kind {s['kind']}" + (f"; tags {', '.join(c.tags)}" if c.tags
                                                                            else "") + ".", ""]
    if c.checkable:
        L += [f"Statement: $${c.statement_latex()}$$", ""]
        if c.quantifier:
            L += [f"Quantifier: {c.quantifier}.", ""]
    else:
        L += [f"Not numerically checkable: {c.reason}", ""]
    for e in x.run.shown(c.id):
        if not c.checkable:
            continue
        mt = measured_text(e)
        L.append(f"- *{e.instance}*: **{e.status}**" + (f"; {mt}" if mt else "") + f"; precision {e.precision}; "
                 f"grid {e.grid_description or '-'}" + (f" [{_fmt_threshold(e.threshold)}]" if e.threshold else "")
                 + (f". {e.message}" if e.message else ""))
        bad = [h for h in e.hypotheses if not h["ok"]]
        if bad:
            L.append("  - hypothesis fails: " + "; ".join(f"{h['name']} ({h['detail']})" for h in bad))
        for kind in ("mutant", "control"):
            v = getattr(e, kind)
            if v:
                w = witness_text(v.get("witness"))
                L.append(f"  - {kind}: {v['status']} (slack {fmt_num(v['slack'])}" + (f" at {w}" if w else "") + ")")
    if c.mutant is not None:
        L += ["", f"Mutant ({c.mutant.description}): $${c.mutant_latex()}$$"]
    if c.control is not None:
        L += ["", f"Control ({c.control.description}): $${c.control_latex()}$$"]
    elif "finding" in c.tags:
        L += ["", f"Control: *{NO_CONTROL_LONG}*."]
    if c.id in x.plots:
        L += ["", f"![{s['id']}]({x.plots[c.id].relative_to(x.out).as_posix()})"]
    return L


# ----------------------------------------------------------------------------- html

_CSS = """
*{box-sizing:border-box}
html{scroll-padding-top:3.2em}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;
background:#f6f7f9}
header.top{position:sticky;top:0;z-index:5;background:#263238;color:#eceff1;padding:.45em 1em;display:flex;
flex-wrap:wrap;gap:.2em 1.1em;align-items:baseline;font-size:.9em}
header.top a{color:#eceff1;text-decoration:none}header.top a:hover{text-decoration:underline}
header.top b{margin-right:.4em}
main{max-width:1240px;margin:0 auto;padding:.5em 1.2em 4em}
h1{margin:.4em 0 .1em}h2{margin:1.6em 0 .5em;padding-bottom:.2em;border-bottom:2px solid #cfd8dc}
h3{margin:1.2em 0 .4em}
a{color:#0b57d0}
table{border-collapse:collapse;width:100%;background:#fff;margin:.4em 0}
th,td{border:1px solid #d7dde2;padding:.35em .5em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#eef1f4;font-weight:600;overflow-wrap:normal}
table.fixed{table-layout:fixed}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.zero{color:#b0bec5;text-align:right}
#overview-table th .st{font-size:.68em}#overview-table th{font-size:.92em}
code{font-size:.88em;overflow-wrap:anywhere}
.small{color:#57606a;font-size:.86em}
.st{display:inline-block;font-weight:600;font-size:.8em;padding:.05em .45em;border-radius:3px;white-space:nowrap;
vertical-align:baseline}
svg.math{vertical-align:middle;height:auto;max-width:100%}
code.math-src{background:#fff3e0}
.scroll{overflow-x:auto;max-width:100%}
.nocontrol{display:inline-block;background:#fff3e0;border:1px dashed #e65100;color:#bf360c;padding:.05em .4em;
border-radius:3px;font-weight:600}
.msg{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3e5f5;border-left:4px solid #6a1b9a;padding:.3em .6em;
font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.82em;margin:.3em 0}
.warn{background:#ffebee;border-left:4px solid #c62828;padding:.4em .7em}
.legend-strip{display:flex;flex-wrap:wrap;gap:.3em 1em;font-size:.86em;margin:.5em 0}
.graphwrap{overflow-x:auto;background:#fff;border:1px solid #d7dde2;padding:.4em;margin:.4em 0}
svg.graph{display:block;margin:0 auto;max-width:100%;height:auto}
svg.graph a.node:hover rect,svg.graph a.node:hover ellipse{stroke:#0b57d0;stroke-width:3}
svg.graph line.e{stroke:#9e9e9e;stroke-width:1.1}svg.graph line.bad{stroke:#c62828;stroke-width:1.8}
section.result{margin:1.2em 0}section.result.empty{margin:.3em 0;color:#57606a}
section.result.empty h3{font-size:1em;font-weight:500;margin:.2em 0}
section.result>h3{display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}
article.claim{background:#fff;border:1px solid #d7dde2;border-left:6px solid #999;border-radius:4px;margin:.6em 0;
padding:.55em .8em}
.claim-head{display:flex;flex-wrap:wrap;gap:.2em .6em;align-items:baseline}
.claim-body{display:grid;grid-template-columns:minmax(0,1fr) 400px;gap:.4em 1.2em;margin-top:.3em}
.claim-body.noplot{grid-template-columns:minmax(0,1fr)}
figure.plot{margin:0}figure.plot img{width:100%;height:auto;border:1px solid #e0e0e0;display:block}
figure.plot figcaption{font-size:.78em;color:#57606a}
.stmt{margin:.3em 0;font-size:1.05em}
details{margin:.3em 0}summary{cursor:pointer;color:#0b57d0}
details>table,details>.scroll{font-size:.86em}
.inst td{font-size:.88em}
.tag{font-size:.75em;border:1px solid #e65100;color:#e65100;border-radius:3px;padding:0 .3em}
dl.legend dt{margin-top:.4em}dl.legend dd{margin-left:1.5em}
@media (max-width:1000px){.claim-body{grid-template-columns:minmax(0,1fr)}figure.plot{max-width:480px}}
"""


def _e(x) -> str:
    return html.escape(str(x), quote=True)


_CHIP = {AS_CORRECTED: "printed VIOLATED, corrected HOLDS"}


def _st(s, title: str = "", wrap: bool = False) -> str:
    col = NODE_COLORS.get(str(s), "#fff")
    fg = "#fff" if str(s) in ("VIOLATED", "ERROR", "HOLDS") else "#222"
    t = f' title="{_e(title)}"' if title else ""
    text = _CHIP.get(str(s), str(s))
    if wrap:
        text = text.replace("_", " ")
    w = ";white-space:normal" if wrap else ""
    return f'<span class="st" style="background:{col};color:{fg}{w}"{t}>{_e(text)}</span>'


def _inline_md(text: str) -> str:
    """Escape, then *emphasis*, **strong** and `code` of the legend's own wording."""
    s = _e(text)
    s = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", s)
    s = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", s)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", s)


def _html(x: _Ctx) -> str:
    run, mb = x.run, MathBook()
    nav = ["<header class='top'><b>earlyalign report</b><a href='#overview'>Overview</a>",
           f"<a href='#findings'>Findings ({len(x.fnd)})</a>", f"<a href='#diagnostics'>Diagnostics ({len(x.diag)})</a>"]
    nav += [f"<a href='#paper-{_e(p.key)}'>{_e(p.key)}</a>" for p in x.papers]
    nav += ["<a href='#legend'>Legend</a></header>"]
    body = [_html_overview(x), _html_findings(x, mb), _html_diagnostics(x)]
    for p in x.papers:
        body.append(_html_paper(x, p, mb))
    body.append(_html_legend(x))
    if run.skipped:
        body.append("<h2 id='skipped'>Skipped</h2><ul>" + "".join(f"<li><code>{_e(k['id'])}</code>: {_e(k['reason'])}</li>"
                                                                  for k in run.skipped) + "</ul>")
    return "\n".join(["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
                      "<meta name='viewport' content='width=device-width,initial-scale=1'>",
                      "<title>earlyalign report</title>", f"<style>{_CSS}</style></head><body>", *nav, "<main>",
                      *body, "</main>", mb.sprite(), "</body></html>"])


def _html_overview(x: _Ctx) -> str:
    run = x.run
    H = ["<section id='overview'><h1>earlyalign report</h1>",
         f"<p class='small'>Generated {_e(x.generated)}; code version <code>{_e(run.code_version)}</code>; tier "
         f"<code>{_e(run.tier)}</code>; {len(x.summaries)} claims, {len(run.evidences)} (claim, instance) results; "
         f"<b>total wall time {run.wall_s:.1f} s</b> on {run.jobs} job(s) ({run.cache_hits} results from the cache)."
         "</p>"]
    if run.load_errors:
        H.append("<p class='warn'><b>Modules that failed to load</b> (their claims are missing): "
                 + "; ".join(f"<code>{_e(e['module'])}</code>: {_e(e['error'])}" for e in run.load_errors) + "</p>")
    H.append("<table id='overview-table' class='fixed'><colgroup><col style='width:24%'>"
             + "<col>" * (len(STATUSES) + 3) + "</colgroup><tr><th>paper</th>"
             + "".join(f"<th class='num'>{_st(k, wrap=True)}</th>" for k in STATUSES)
             + "<th class='num'>claims</th><th class='num'>findings</th><th class='num' title='sum of the claims&#39; "
               "evaluation times'>time (s)</th></tr>")
    tot = {k: 0 for k in STATUSES}
    for o in x.overview:
        for k in STATUSES:
            tot[k] += o["counts"][k]
        H.append(f"<tr data-paper='{_e(o['paper'])}'><td><a href='{_e(o['anchor'])}'><b>{_e(o['paper'])}</b></a>"
                 f"<br><span class='small'>{_e(o['title'])}</span></td>"
                 + "".join(_num_cell(o["counts"][k], k) for k in STATUSES)
                 + f"<td class='num'>{o['claims']}</td><td class='num'>"
                 + (f"<a href='#findings-{_e(o['paper'])}'>{o['findings']}</a>" if o["findings"] else "0")
                 + f"</td><td class='num'>{o['compute_s']:.1f}</td></tr>")
    H.append("<tr><th>total</th>" + "".join(_num_cell(tot[k], k, bold=True) for k in STATUSES)
             + f"<th class='num'>{sum(tot.values())}</th><th class='num'>{len(x.fnd)}</th>"
               f"<th class='num'>wall {run.wall_s:.1f}</th></tr></table>")
    H.append("<div class='legend-strip'>" + "".join(f"<span>{_st(k)} {_inline_md(v.split(':')[0].split('. ')[0])}"
                                                      f"</span>" for k, v in LEGEND)
             + "<span><a href='#legend'>full legend and notes</a></span></div></section>")
    return "\n".join(H)


def _num_cell(v, k, bold=False) -> str:
    if not v:
        return "<td class='zero'>0</td>"
    col = STATUS_COLORS.get(k, "#fff")
    fg = "#fff" if k in ("VIOLATED", "ERROR", "HOLDS") else "#222"
    return (f"<td class='num'><span class='st' style='background:{col};color:{fg}' title='{_e(k)}'>"
            f"{'<b>' if bold else ''}{v}{'</b>' if bold else ''}</span></td>")


def _measured_html(instance, ev_like, status=None) -> str:
    """"lhs 4.0 vs rhs 2.83 (slack -1.17, error 1e-12) at λ=1e-64, j=18 on <i>instance</i>" (no empty "at")."""
    mt = measured_text(ev_like)
    if not mt:
        return ""
    return (f"{_st(status) + ' ' if status else ''}on <i>{_e(instance)}</i>: {_e(mt)}")


def _html_findings(x: _Ctx, mb: MathBook) -> str:
    H = ["<section id='findings'><h2>Findings</h2>",
         "<p class='small'>Claims tagged <i>finding</i>: a statement as printed in the paper (or a remark of it), "
         "checked and shown false. <b>Measured</b> is at the witness (the point where it fails worst). The "
         "<b>control</b> is the corrected statement, judged on the same measurements; it must hold.</p>"]
    if not x.fnd:
        H.append("<p>No finding in this run.</p>")
    for p in x.papers:
        rows = [f for f in x.fnd if f["paper"] == p.key]
        if not rows:
            continue
        H.append(f"<h3 id='findings-{_e(p.key)}'>{_e(p.key)} <span class='small'>({len(rows)} finding"
                 f"{'s' if len(rows) > 1 else ''}; <a href='#paper-{_e(p.key)}'>paper section</a>)</span></h3>")
        H.append("<table class='fixed findings' data-paper='" + _e(p.key) + "'><colgroup><col style='width:17%'>"
                 "<col style='width:26%'><col style='width:27%'><col style='width:23%'><col style='width:7%'>"
                 "</colgroup><tr><th>result</th><th>the paper states</th><th>we measured</th>"
                 "<th>the control that holds</th><th>links</th></tr>")
        for f in rows:
            c = x.run.claim(f["id"])
            res = (f"<b>{_e(f['label'])}</b><br><span class='small'>{_e(f['where'])}</span><br>"
                   f"<code>{_e(f['id'])}</code>")
            states = mb.tag(f["statement_latex"], 1.05) if f["statement_latex"] else _e(f["reason"])
            if c.quantifier_latex:
                states += " " + mb.tag(c.quantifier_latex, 0.9)
            if f["quantifier"]:
                states += f"<br><span class='small'>{_e(f['quantifier'])}</span>"
            meas = _st(f["status"]) + " "
            if f["measured"]:
                m = f["measured"]
                meas += (f"on <i>{_e(m['instance'])}</i>: <b>lhs {_e(fmt_num(m['lhs'], 6))}</b> vs <b>rhs "
                         f"{_e(fmt_num(m['rhs'], 6))}</b> (slack {_e(fmt_num(m['slack']))}, error "
                         f"{_e(fmt_num(m['error_estimate']))})")
                if m["witness_text"]:
                    meas += f" at {_e(m['witness_text'])}"
            elif f["message"]:
                meas += f"<div class='msg'>{_e(f['message'])}</div>"
            if f["instances"]:
                meas += f"<br><span class='small'>{_e(f['instances'])}</span>"
            for k in f["knobs"]:
                meas += f"<br><span class='small'>{_e(k)}</span>"
            ctl = f["control"]
            if ctl is None:
                cc = f"<span class='nocontrol' title='{_e(NO_CONTROL_LONG)}'>{_e(NO_CONTROL)}</span>"
            else:
                cc = (mb.tag(ctl["statement_latex"], 1.0) + f"<br><span class='small'>{_e(ctl['description'])}</span><br>"
                      + _st(ctl["status"] or "not measured")
                      + (f" on {ctl['holds_on']}/{ctl['instances']} instance(s)" if ctl.get("instances") else ""))
                if ctl.get("lhs") is not None:
                    cc += "<br>" + _e(measured_text(ctl)) + (f" on <i>{_e(ctl['instance'])}</i>" if ctl.get("instance")
                                                             else "")
            links = f"<a href='#{_e(f['id'])}'>claim</a>" + (f"<br><a href='#plot-{_e(f['id'])}'>plot</a>"
                                                             if f["plot"] else "")
            H.append(f"<tr data-finding='{_e(f['id'])}'><td>{res}</td><td>{states}</td><td>{meas}</td><td>{cc}</td>"
                     f"<td>{links}</td></tr>")
        H.append("</table>")
    H.append("</section>")
    return "\n".join(H)


_DIAG_INFO = {
    "VIOLATED": "claims expected to hold (not registered as findings) with a counterexample",
    "ERROR": "the computation failed; the message says why",
    "LOAD ERROR": "a paper module failed to load",
    "MUTANT NOT REJECTED": "the deliberately wrong variant was not rejected: the check could not fail",
    "CONTROL NOT HOLDING": "a finding's corrected statement did not hold",
    "INCONCLUSIVE": "slack within the error estimate, or the regime not reached",
    "NO MUTANT": "nothing shows the check can fail",
    "THRESHOLD": "holds only from some grid value down",
    "NOT_APPLICABLE": "a hypothesis of the paper fails on the instance",
    "TIGHT": "relative slack below 1e-3",
}


def _html_diagnostics(x: _Ctx) -> str:
    H = ["<section id='diagnostics'><h2>Other diagnostics</h2>"]
    if not x.diag:
        H.append("<p>Nothing else to look at.</p>")
    kinds = list(dict.fromkeys(d["kind"] for d in x.diag))
    for k in kinds:
        rows = [d for d in x.diag if d["kind"] == k]
        opn = " open" if k in ("VIOLATED", "LOAD ERROR", "CONTROL NOT HOLDING") else ""
        H.append(f"<details{opn} data-kind='{_e(k)}'><summary><b>{_e(k)}</b> ({len(rows)}): "
                 f"{_e(_DIAG_INFO.get(k, ''))}</summary><table class='fixed'><colgroup><col style='width:30%'><col>"
                 "</colgroup><tr><th>claim</th><th>what</th></tr>")
        for d in rows:
            link = f"<a href='#{_e(d['id'])}'><code>{_e(d['id'])}</code></a>" if d.get("paper") else \
                f"<code>{_e(d['id'])}</code>"
            H.append(f"<tr><td>{link}<br><span class='small'>{_e(d['label'])}</span></td>"
                     f"<td>{_e(d['text'])}</td></tr>")
        H.append("</table></details>")
    H.append("</section>")
    return "\n".join(H)


def _html_paper(x: _Ctx, p, mb: MathBook) -> str:
    run = x.run
    o = next(o for o in x.overview if o["paper"] == p.key)
    H = [f"<section class='paper' id='paper-{_e(p.key)}' data-paper='{_e(p.key)}'>",
         f"<h2>{_e(p.key)}: {_e(p.title)}</h2>",
         f"<p class='small'>{_e(p.authors)}, {_e(p.venue)}. Source <code>{_e(p.source)}</code>, catalog "
         f"<code>{_e(p.catalog)}</code>. Claims: " + ", ".join(f"{_st(k)} {v}" for k, v in o["counts"].items() if v)
         + (f"; <a href='#findings-{_e(p.key)}'>{o['findings']} finding(s)</a>" if o["findings"] else "") + ".</p>",
         "<details open class='graph'><summary>Results graph: each node links to the result's claims (arrow: "
         "used by; ellipse = assumption, rounded = lemma / proposition, square = theorem; "
         f"<span class='st' style='background:{NODE_COLORS[AS_CORRECTED]}'>printed: VIOLATED</span> = the "
         "printed statement is VIOLATED while its corrected reading holds; red dashed border = rests on a "
         "VIOLATED result)</summary>", f"<div class='graphwrap'>{x.svgs[p.key]}</div></details>"]
    for r, cl in _claim_groups(p, run.claims, empty=True):
        if r is not None and not cl:
            rel = x.graph_data[p.key]["related"].get(r.id)
            if rel:
                why = "stated by " + ", ".join(f"<a href='#{_e(cid)}'><code>{_e(cid)}</code></a> ({_st(x.sum_by_id[cid]['status'])}, "
                                               f"filed under {_e(x.sum_by_id[cid]['result'])})" for cid in rel)
            else:
                why = "not in this run" if r.id in x.graph_data[p.key]["not_run"] else "no claim registered yet"
            H.append(f"<section class='result empty' id='res-{_e(p.key)}-{_e(r.id)}'><h3>{_e(r.label)} "
                     f"<span class='small'>{_e(r.where)}; {_e(r.kind)}; {why}</span>"
                     + (f"<span class='small'>{_e(r.note)}</span>" if r.note else "") + "</h3></section>")
            continue
        if r is not None:
            st = x.graph_data[p.key]["status"].get(r.id)
            H.append(f"<section class='result' id='res-{_e(p.key)}-{_e(r.id)}'><h3>{_e(r.label)} "
                     f"<span class='small'>{_e(r.where)}; {_e(r.kind)}</span>{_st(st) if st else ''}"
                     + (f"<span class='small'>{_e(r.note)}</span>" if r.note else "") + "</h3>")
        else:
            H.append(f"<section class='result' id='res-{_e(p.key)}-none'><h3>Claims of no declared result</h3>")
        for c in cl:
            H.append(_html_claim(x, c, mb))
        H.append("</section>")
    H.append("</section>")
    return "\n".join(H)


def _html_claim(x: _Ctx, c, mb: MathBook) -> str:
    s = x.sum_by_id[c.id]
    evs = x.run.shown(c.id)
    col = STATUS_COLORS.get(s["status"], "#999")
    tags = "".join(f" <span class='tag'>{_e(t)}</span>" for t in c.tags)
    H = [f"<article class='claim' id='{_e(c.id)}' data-claim-id='{_e(c.id)}' data-status='{_e(s['status'])}' "
         f"style='border-left-color:{col}'>",
         f"<div class='claim-head'>{_st(s['status'])} <b>{_e(c.label)}</b> <code>{_e(c.id)}</code>{tags}"
         f"<span class='small'>{_e(c.where)}</span></div>"]
    has_plot = c.id in x.plots
    H.append(f"<div class='claim-body{'' if has_plot else ' noplot'}'><div class='claim-text'>")
    if c.checkable:
        H.append(f"<p class='stmt'>{mb.tag(c.statement_latex(), 1.15)}"
                 + (f" &nbsp; {mb.tag(c.quantifier_latex, 0.95)}" if c.quantifier_latex else "") + "</p>")
        if c.quantifier:
            H.append(f"<p class='small'>{_e(c.quantifier)}</p>")
    else:
        H.append(f"<p>Not numerically checkable: {_e(c.reason)}</p>")
    if c.checkable and evs:
        H.append("<div class='scroll'><table class='inst'><tr><th>instance</th><th>status</th><th>measured at the "
                 "witness</th><th>grid</th><th>mutant</th></tr>")
        for e in evs:
            mt = measured_text(e)
            cell = _e(mt) if mt else ""
            if e.status in (Status.ERROR, Status.NOT_APPLICABLE) or (not mt and e.message):
                cell += f"<div class='msg'>{_e(e.message)}</div>" if e.status == Status.ERROR else \
                    f"<span class='small'>{_e(e.message)}</span>"
            elif e.message:
                cell += f"<br><span class='small'>{_e(e.message)}</span>"
            grid = _e(e.grid_description or "-") + (f"<br><span class='small'>{_e(_fmt_threshold(e.threshold))}</span>"
                                                    if e.threshold else "")
            H.append(f"<tr><td>{_e(e.instance)}</td><td>{_st(e.status)}<br><span class='small'>{_e(e.precision)}"
                     f"</span></td><td>{cell}</td><td>{grid}</td>"
                     f"<td>{_st(e.mutant['status']) if e.mutant else '-'}</td></tr>")
        H.append("</table></div>")
    elif s["status"] == "ERROR":
        H.append(f"<div class='msg'>{_e(s['message'])}</div>")
    if c.mutant is not None:
        H.append(f"<p class='small'>Mutant ({_e(c.mutant.description)}): {mb.tag(c.mutant_latex(), 1.0)} "
                 f"&mdash; rejected: {_e(_mutant_cell(s))}</p>")
    if c.control is not None:
        ctl = s.get("control") or {}
        H.append(f"<p>Control ({_e(c.control.description)}): {mb.tag(c.control_latex(), 1.05)} "
                 f"{_st(ctl.get('status') or 'not measured')}</p>")
    elif "finding" in c.tags:
        H.append(f"<p>Control: <span class='nocontrol'>{_e(NO_CONTROL)}</span> <span class='small'>no corrected "
                 "statement is registered for this finding</span></p>")
    H.append(_html_claim_details(x, c, s, evs, mb))
    H.append("</div>")
    if has_plot:
        H.append(f"<figure class='plot' id='plot-{_e(c.id)}'><img alt='plot of {_e(c.id)}' decoding='async' "
                 f"src='{png_data_uri(x.plots[c.id])}'><figcaption>slack and the two sides over the grid "
                 "(or the recorded time series)</figcaption></figure>")
    H.append("</div></article>")
    return "\n".join(H)


def _html_claim_details(x: _Ctx, c, s, evs, mb: MathBook) -> str:
    H = [f"<details><summary>details: provenance, symbols, hypotheses, grid</summary>",
         f"<p class='small'>Provenance: {_e(c.paper)}, {_e(c.label)}, {_e(c.where)}; catalog entry "
         f"{_e(c.catalog or '-')}; result node <code>{_e(c.result or '-')}</code>; kind {_e(c.kind)}; runtime "
         f"{s['runtime_s']:.2f} s; precision {_e(', '.join(s['precision']) or '-')}.</p>"]
    if c.checkable and c.symbols_doc:
        H.append("<p class='small'>Symbols: " + "; ".join(
            f"{mb.tag(c.latex_names.get(k, k), 0.95)} = {_e(v)}" for k, v in c.symbols_doc.items()) + "</p>")
    for e in evs if c.checkable else []:
        H.append(f"<p><b>{_e(e.instance)}</b>: {_st(e.status)} <span class='small'>{_e(e.message)}</span></p>")
        if e.hypotheses:
            H.append("<ul class='small'>" + "".join(f"<li>{'&#10003;' if h['ok'] else '&#10007;'} {_e(h['name'])} "
                                                   f"({_e(h['where'])}) {_e(h['detail'])}</li>" for h in e.hypotheses)
                     + "</ul>")
        if e.grid and e.grid[0].get("lhs") is not None:
            H.append("<div class='scroll'><table><tr><th>point</th><th>status</th><th>lhs</th><th>rhs</th><th>slack</th>"
                     "<th>error</th><th>precision</th><th>witness</th><th>mutant</th><th>control</th></tr>")
            for r in e.grid:
                H.append(f"<tr><td>{_e(r['label'])}</td><td>{_st(r['status'])}</td>"
                         f"<td class='num'>{_e(fmt_num(r.get('lhs'), 6))}</td><td class='num'>{_e(fmt_num(r.get('rhs'), 6))}"
                         f"</td><td class='num'>{_e(fmt_num(r.get('slack')))}</td>"
                         f"<td class='num'>{_e(fmt_num(r.get('error_estimate')))}</td><td>{_e(r['precision'])}</td>"
                         f"<td>{_e(witness_text(r.get('witness')) or '-')}</td>"
                         f"<td>{_e(r.get('mutant', {}).get('status', '-'))}</td>"
                         f"<td>{_e(r.get('control', {}).get('status', '-'))}</td></tr>")
            H.append("</table></div>")
        for esc in e.escalations:
            H.append(f"<p class='small'>precision ladder at {_e(esc['point'])}: {_e(' | '.join(esc['log']))}</p>")
    H.append("</details>")
    return "\n".join(H)


def _html_legend(x: _Ctx) -> str:
    H = ["<section id='legend'><h2>Legend</h2><dl class='legend'>"]
    for k, v in LEGEND:
        H.append(f"<dt>{_st(k)}</dt><dd>{_inline_md(v)}</dd>")
    H.append(f"<dt>{_st(AS_CORRECTED)}</dt><dd>(results graph only) the result's printed statement is VIOLATED (a "
             "finding) while the claims of its corrected reading hold.</dd>")
    H.append("</dl><ul>" + "".join(f"<li>{_inline_md(n)}</li>" for n in NOTES) + "</ul></section>")
    return "\n".join(H)
