"""Shared pieces of the report writers (:mod:`checks.report`, :mod:`checks.report_markdown`,
:mod:`checks.report_html`): the legend, the graph colouring by claim status, the paper's claim order, the
provenance split, and the run context the writers read."""
from __future__ import annotations

import json
from pathlib import Path

import re


from theory.claims import Status, aggregate_status

from .graph import AS_CORRECTED
from .witness import WITNESS_RULE

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


def instance_counts(s) -> str:
    by = {}
    for i in s["instances"]:
        by[i["status"]] = by.get(i["status"], 0) + 1
    n = len(s["instances"])
    return ", ".join(f"{v} of {n} {k}" for k, v in by.items())



class ReportContext:
    def __init__(self, run, papers, summaries, sum_by_id, fnd, diag, overview, plots, graphs, svgs, graph_data,
                 generated, out):
        self.run, self.papers, self.summaries, self.sum_by_id = run, papers, summaries, sum_by_id
        self.fnd, self.diag, self.overview, self.plots, self.graphs = fnd, diag, overview, plots, graphs
        self.svgs, self.graph_data, self.generated, self.out = svgs, graph_data, generated, out


def meta_line(run, summaries) -> str:
    return (f"code version {run.code_version}; tier {run.tier}; {len(summaries)} claims, {len(run.evidences)} "
            f"(claim, instance) results; total wall time {run.wall_s:.1f} s on {run.jobs} job(s) "
            f"({run.cache_hits} results from the cache)")


def mutant_cell(s) -> str:
    m = s.get("mutant")
    if not m:
        return "no mutant" if s["status"] != "NOT_CHECKABLE" else "-"
    if not m["instances"]:
        return "-"
    if s["status"] not in ("HOLDS", "INCONCLUSIVE") and not m["rejected"]:
        return f"judged {m['status']} (no HOLDS instance to show it rejected)"
    return f"yes ({m['rejected_on']}/{m['instances']})" if m["rejected"] else f"NO ({m['status']})"


def fmt_threshold(th: dict | None) -> str:
    if not th:
        return ""
    if th.get("value") is None:
        return "no holding tail"
    s = "whole grid" if th.get("holds_on_whole_grid") else f"holds for {th['param']} <= {th['label'].split('=')[-1]}"
    if th.get("inconclusive_below"):
        s += f"; inconclusive at {', '.join(th['inconclusive_below'])}"
    return s


def claim_groups(paper, claims, empty: bool = False):
    """[(Result or None, [claims])] in the paper's order; ``empty``: also the results with no claim in the run
    (so that every node of the graph has its place in the page)."""
    byres: dict = {r.id: [] for r in paper.results}
    orphans = []
    for c in ordered_claims(paper, claims):
        (byres[c.result] if c.result in byres else orphans).append(c)
    groups = [(r, byres[r.id]) for r in paper.results if byres[r.id] or empty]
    return groups + ([(None, orphans)] if orphans else [])




def data_lines(run) -> list[tuple[str, str]]:
    """(kind, text) lines of the "your data" block of a ``--data`` report: the dataset, then per paper the
    assumptions as evaluated on it (fails first), kind one of "head", "holds", "fails", "assumed", "error"."""
    ds = run.data_summary()
    if ds is None:
        return []
    out = [("head", f"Dataset {ds['name']} ({ds['file']}): n = {ds['n']}, d = {ds['d']}; settings "
                    + ", ".join(f"{k} = {v}" for k, v in ds["settings"].items() if v is not None)
                    + f"; {ds['claims_run']} claims ran on it, {ds['claims_skipped']} are instance-specific.")]
    for a in ds["assumptions"]:
        out.append((a["state"], f"{a['paper']}: {a['name']} - {a['state']} ({a['detail']}); used by "
                                f"{len(a['claims'])} claim(s)"))
    return out


HISTORY = Path(__file__).with_name("history")


def verdict_changes(summaries, baseline: str = "before_issue11.json") -> dict | None:
    """Claims whose claim-level status differs from a recorded earlier run (``checks/history/<baseline>``, the fast
    tier under the verdict rules before issue 11), per paper: ``{"baseline", "description", "papers": [{"paper",
    "changed": [{"id", "before", "after"}], "compared", "new"}]}``; None when the run is not the fast tier of the
    registered claims or the baseline is missing."""
    path = HISTORY / baseline
    try:
        base = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    before = base.get("claims", {})
    papers: dict = {}
    for s in summaries:
        p = papers.setdefault(s["paper"], {"paper": s["paper"], "changed": [], "compared": 0, "new": 0})
        if s["id"] not in before:
            p["new"] += 1
        else:
            p["compared"] += 1
            if before[s["id"]] != s["status"]:
                p["changed"].append({"id": s["id"], "before": before[s["id"]], "after": s["status"]})
    return {"baseline": f"checks/history/{baseline}", "description": base.get("description", ""),
            "papers": list(papers.values())}
