"""report.md: the Markdown writer of the lemma-by-lemma report (same reading order as the HTML)."""
from __future__ import annotations




from .plots import safe_name
from .runner import fmt_num
from .witness import measured_text, witness_text
from .report_common import (verdict_changes, data_lines, LEGEND, NOTES, NO_CONTROL, NO_CONTROL_LONG, STATUSES, ReportContext, claim_groups, fmt_threshold, meta_line, mutant_cell, ordered_claims)


# ----------------------------------------------------------------------------- markdown


def _md_latex(latex: str) -> str:
    """LaTeX for a Markdown table cell: no pipe (\\Vert, \\vert) so the table is not split."""
    return latex.replace(r"\|", r"\Vert ").replace("|", r"\vert ")


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(x: ReportContext) -> str:
    run = x.run
    L = ["# earlyalign report", "",
         f"Generated {x.generated}; {meta_line(run, x.summaries)}.", "",
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
    vc = verdict_changes(x.summaries) if run.data is None and run.tier == "fast" else None
    if vc:
        L += ["", "## Verdicts changed by the rules of issue 11", "",
              f"Compared with `{vc['baseline']}`: {vc['description']}", "",
              "| paper | claims compared | changed | which (before -> now) | new claims |", "|---|---|---|---|---|"]
        for p in vc["papers"]:
            which = "; ".join(f"`{c['id']}` {c['before']} -> {c['after']}" for c in p["changed"]) or "-"
            L.append(f"| {p['paper']} | {p['compared']} | {len(p['changed'])} | {which} | {p['new']} |")
    dl = data_lines(run)
    if dl:
        L += ["", "## Your data", "", dl[0][1], ""]
        L += [f"- **{k}**: {t}" for k, t in dl[1:]]
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
                     f"{mutant_cell(s)} |")
        for r, cl in claim_groups(p, run.claims):
            L += ["", f"### {r.label} ({r.where})" if r else "### Claims of no declared result"]
            for c in cl:
                L += _md_claim(x, c)
    if run.skipped:
        L += ["", "## Skipped", ""] + [f"- `{k['id']}`: {k['reason']}" for k in run.skipped]
    L.append("")
    return "\n".join(L)


def _md_claim(x: ReportContext, c) -> list:
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
                 f"grid {e.grid_description or '-'}" + (f" [{fmt_threshold(e.threshold)}]" if e.threshold else "")
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

