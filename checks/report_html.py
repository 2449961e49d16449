"""index.html: the self-contained HTML writer of the lemma-by-lemma report (inline SVG formulas and graphs,
palette PNG plots, no script, no external reference)."""
from __future__ import annotations

import html
import re


from theory.claims import Status

from .graph import AS_CORRECTED, NODE_COLORS
from .plots import STATUS_COLORS
from .render import MathBook, png_data_uri
from .runner import fmt_num
from .witness import measured_text, witness_text
from .report_common import (verdict_changes, data_lines, LEGEND, NOTES, NO_CONTROL, NO_CONTROL_LONG, STATUSES, ReportContext, claim_groups, fmt_threshold, mutant_cell)


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


def _html(x: ReportContext) -> str:
    run, mb = x.run, MathBook()
    nav = ["<header class='top'><b>earlyalign report</b><a href='#overview'>Overview</a>",
           f"<a href='#findings'>Findings ({len(x.fnd)})</a>", f"<a href='#diagnostics'>Diagnostics ({len(x.diag)})</a>"]
    nav += [f"<a href='#paper-{_e(p.key)}'>{_e(p.key)}</a>" for p in x.papers]
    nav += ["<a href='#legend'>Legend</a></header>"]
    body = [_html_data(x), _html_overview(x), _html_findings(x, mb), _html_diagnostics(x)]
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


def _html_data(x: ReportContext) -> str:
    """The "your data" block of a --data report: the dataset and the assumptions as evaluated on it."""
    dl = data_lines(x.run)
    if not dl:
        return ""
    look = {"holds": "HOLDS", "fails": "NOT_APPLICABLE", "assumed": "INCONCLUSIVE", "error": "ERROR"}

    def chip(state):
        col = NODE_COLORS.get(look.get(state, ""), "#fff")
        fg = "#fff" if state in ("holds", "error") else "#222"
        return f'<span class="st" style="background:{col};color:{fg}">{_e(state)}</span>'
    items = "".join(f"<li>{chip(k)} {_e(t)}</li>" for k, t in dl[1:])
    return f"<section id='data'><h2>Your data</h2><p>{_e(dl[0][1])}</p><ul class='small'>{items}</ul></section>"


def _html_overview(x: ReportContext) -> str:
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
    vc = verdict_changes(x.summaries) if run.data is None and run.tier == "fast" else None
    if vc:
        H.append(f"<details id='verdict-changes'><summary>Verdicts changed by the rules of issue 11 (compared with "
                 f"<code>{_e(vc['baseline'])}</code>): "
                 + ", ".join(f"{_e(p['paper'])} {len(p['changed'])} of {p['compared']}" for p in vc["papers"])
                 + f"</summary><p class='small'>{_e(vc['description'])}</p><ul class='small'>"
                 + "".join(f"<li><code>{_e(c['id'])}</code> {_st(c['before'])} &rarr; {_st(c['after'])}</li>"
                           for p in vc["papers"] for c in p["changed"]) + "</ul></details>")
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


def _html_findings(x: ReportContext, mb: MathBook) -> str:
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


def _html_diagnostics(x: ReportContext) -> str:
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


def _html_paper(x: ReportContext, p, mb: MathBook) -> str:
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
    for r, cl in claim_groups(p, run.claims, empty=True):
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


def _html_claim(x: ReportContext, c, mb: MathBook) -> str:
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
            grid = _e(e.grid_description or "-") + (f"<br><span class='small'>{_e(fmt_threshold(e.threshold))}</span>"
                                                    if e.threshold else "")
            H.append(f"<tr><td>{_e(e.instance)}</td><td>{_st(e.status)}<br><span class='small'>{_e(e.precision)}"
                     f"</span></td><td>{cell}</td><td>{grid}</td>"
                     f"<td>{_st(e.mutant['status']) if e.mutant else '-'}</td></tr>")
        H.append("</table></div>")
    elif s["status"] == "ERROR":
        H.append(f"<div class='msg'>{_e(s['message'])}</div>")
    if c.mutant is not None:
        H.append(f"<p class='small'>Mutant ({_e(c.mutant.description)}): {mb.tag(c.mutant_latex(), 1.0)} "
                 f"&mdash; rejected: {_e(mutant_cell(s))}</p>")
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


def _html_claim_details(x: ReportContext, c, s, evs, mb: MathBook) -> str:
    H = ["<details><summary>details: provenance, symbols, hypotheses, grid</summary>",
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


def _html_legend(x: ReportContext) -> str:
    H = ["<section id='legend'><h2>Legend</h2><dl class='legend'>"]
    for k, v in LEGEND:
        H.append(f"<dt>{_st(k)}</dt><dd>{_inline_md(v)}</dd>")
    H.append(f"<dt>{_st(AS_CORRECTED)}</dt><dd>(results graph only) the result's printed statement is VIOLATED (a "
             "finding) while the claims of its corrected reading hold.</dd>")
    H.append("</dl><ul>" + "".join(f"<li>{_inline_md(n)}</li>" for n in NOTES) + "</ul></section>")
    return "\n".join(H)

