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
from theory.claims import Evidence, Paper, Status

from .graph import draw_paper_graph, graph_svg, rests_on_failure
from .plots import claim_figure, safe_name
from .render import BASE_SIZE, prerender
from .runner import RunResult, fmt_num
from .witness import WITNESS_RULE, measured_text, witness_text
from .report_common import (verdict_changes, LEGEND, NOTES, NO_CONTROL, STATUSES, ReportContext, instance_counts, graph_status, ordered_claims, related_claims, split_where)
from .report_html import _html
from .report_markdown import _markdown

__all__ = ["write_report", "findings", "diagnostics", "LEGEND", "NOTES", "graph_status", "ordered_claims",
           "NO_CONTROL"]


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
                "measured": measured, "instances": instance_counts(s), "message": s["message"],
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
        elif m is not None and m["instances"] and not m["rejected"] and st != Status.VIOLATED:
            out.append({**base, "severity": 1, "kind": "MUTANT NOT REJECTED",
                        "text": f"the mutant ({m['description']}) was judged {m['status']}, not VIOLATED, on an "
                                "instance where the statement holds: this check cannot be trusted to fail"})
        elif m is not None and m["instances"] and st == Status.VIOLATED and not m.get("rejected_anywhere"):
            # a finding: the printed statement holds nowhere, so its near miss can only be judged beside it
            out.append({**base, "severity": 2, "kind": "MUTANT NOT REJECTED",
                        "text": f"the statement is VIOLATED, and its near miss ({m['description']}) was rejected on "
                                "no instance either"})
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
    """The papers of the run's claims: the registered Paper where there is one, else a bare Paper for the key (an
    unregistered claim, a notebook's, still gets its section)."""
    known = {p.key: p for p in registry.papers()}
    keys = list(dict.fromkeys(c.paper for c in run.claims))
    out = [known[k] if k in known else Paper(key=k, title=k) for k in keys]
    return sorted(out, key=lambda p: (p.order if p.key in known else 10**6, p.key))


def _versions() -> dict:
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
    changes = verdict_changes(summaries) if run.data is None and run.tier == "fast" else None
    data.update(generated=generated, versions=_versions(), overview=overview, findings=fnd, diagnostics=diag,
                verdict_changes=changes,
                legend={k: v for k, v in LEGEND}, notes=NOTES, witness_rule=WITNESS_RULE,
                papers=[{"key": p.key, "title": p.title, "authors": p.authors, "venue": p.venue, "source": p.source,
                         "catalog": p.catalog, "graph": graph_data[p.key],
                         "claim_order": [c.id for c in ordered_claims(p, claims)],
                         "results": [{"id": r.id, "label": r.label, "where": r.where, "kind": r.kind,
                                      "uses": list(r.uses), "note": r.note} for r in p.results]} for p in papers])
    (out / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    ctx = ReportContext(run, papers, summaries, sum_by_id, fnd, diag, overview, plots, graphs, svgs, graph_data, generated, out)
    (out / "report.md").write_text(_markdown(ctx), encoding="utf-8")
    (out / "index.html").write_text(_html(ctx), encoding="utf-8")
    return {"dir": out, "markdown": out / "report.md", "html": out / "index.html", "json": out / "results.json",
            "plots": list(plots.values()), "graphs": list(graphs.values())}


