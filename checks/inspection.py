"""``earlyalign inspect``: one claim in detail.

Statement (pretty and LaTeX), symbols, every hypothesis with its evaluated value, per-instance and
per-grid-point evidence, the witness, the mutant's verdict, for each knob (a constant or exponent
of the statement) the value that would make the worst slack zero, and plots of LHS vs RHS over the
grid and of the recorded time series.
"""
from __future__ import annotations

from pathlib import Path

from theory.claims import Claim

from .plots import claim_figure, safe_name, series_figure
from .runner import RunResult, fmt_num, summarize_claim
from .witness import WITNESS_RULE, witness_text

__all__ = ["inspect_text", "inspect_plots"]


def _knob_lines(rows) -> list[str]:
    out = []
    for r in rows:
        for k in r.get("knobs", []):
            if k.get("value") is None:
                continue
            out.append(f"      {r['label']:>12}: holds iff {k['name']} {k['required']} {fmt_num(k['value'], 5)}"
                       f"   (paper: {k['paper_value']:g})")
    return out


def inspect_text(claim: Claim, run: RunResult) -> str:
    """Plain-text inspection of ``claim`` from the evidence in ``run``."""
    L = [f"{claim.id}   {claim.label}   ({claim.paper}, {claim.where})",
         f"kind: {claim.kind}; catalog: {claim.catalog or '-'}; result node: {claim.result or '-'}"]
    if not claim.checkable:
        L.append(f"NOT_CHECKABLE: {claim.reason}")
        return "\n".join(L)
    L += ["", "statement:", _indent(claim.statement_pretty(), 4), f"    LaTeX: {claim.statement_latex()}"]
    if claim.quantifier:
        L.append(f"    {claim.quantifier}")
    if claim.symbols_doc:
        L.append("symbols:")
        L += [f"    {k:>6} = {v}" for k, v in claim.symbols_doc.items()]
    if claim.mutant:
        L += ["mutant (must be rejected):", f"    {claim.mutant.description}", f"    LaTeX: {claim.mutant_latex()}"]
    if claim.control:
        L += ["control (the corrected statement, must hold):", f"    {claim.control.description}",
              f"    LaTeX: {claim.control_latex()}"]
    raw = run.by_claim(claim.id)
    evs = run.shown(claim.id)
    s = summarize_claim(claim, raw)
    L += ["", f"verdict: {s['status']}  (over {len(evs)} instance(s); precision {', '.join(s['precision']) or '-'}; "
              f"{s['runtime_s']:.2f} s)"]
    for i, e in enumerate(evs):
        L += ["", f"[{i}] instance: {e.instance}   -> {e.status}{'  (cached)' if e.cached else ''}"]
        if e.grid_description:
            L.append(f"    grid: {e.grid_description}")
        if e.hypotheses:
            L.append("    hypotheses:")
            for h in e.hypotheses:
                L.append(f"      [{'ok' if h['ok'] else 'FAILS'}] {h['name']} ({h['where']}): {h['detail']}")
        if e.message:
            L.append(f"    {e.message}")
        if e.grid and e.grid[0].get("lhs") is not None:
            L.append(f"    {'point':>12} {'status':>13} {'lhs':>12} {'rhs':>12} {'slack':>11} {'error':>10} "
                     f"{'prec':>7}  witness   | mutant")
            for r in e.grid:
                w = ", ".join(f"{k}={fmt_num(v, 4) if not isinstance(v, str) else v}"
                              for k, v in r.get("witness", {}).items() if k not in ("point", "precision"))
                mu = r.get("mutant", {})
                L.append(f"    {r['label']:>12} {r['status']:>13} {fmt_num(r.get('lhs'), 6):>12} "
                         f"{fmt_num(r.get('rhs'), 6):>12} {fmt_num(r.get('slack')):>11} "
                         f"{fmt_num(r.get('error_estimate')):>10} {r['precision']:>7}  {w}   | "
                         f"{mu.get('status', '-')} {fmt_num(mu.get('slack'))}")
        if e.witness and e.lhs is not None:
            rule = ("asymptotic" if e.threshold is not None else str(e.status)) if len(e.grid) > 1 else ""
            w = witness_text(e.witness)
            L.append(f"    witness{' (' + WITNESS_RULE[rule] + ')' if rule in WITNESS_RULE else ''}: "
                     + (f"{w}; " if w else "single measurement; ")
                     + f"lhs {fmt_num(e.lhs, 6)}, rhs {fmt_num(e.rhs, 6)}, slack {fmt_num(e.slack)} "
                       f"(error {fmt_num(e.error_estimate)}), precision {e.witness.get('precision', e.precision)}")
        if e.threshold:
            th = e.threshold
            L.append(f"    empirical threshold: {'holds on the whole grid' if th['holds_on_whole_grid'] else th['label']}"
                     + (f"; not above: {', '.join(th['not_holding_above'])}" if th["not_holding_above"] else ""))
        for kind in ("mutant", "control"):
            v = getattr(e, kind)
            if v:
                w = witness_text(v.get("witness"))
                L.append(f"    {kind}: {v['status']} (slack {fmt_num(v['slack'])}" + (f" at {w}" if w else "") + ")")
        kl = _knob_lines(e.grid)
        if kl:
            L.append("    what would make the worst slack zero (per grid point):")
            L += kl
        for esc in e.escalations:
            L.append(f"    precision ladder at {esc['point']}: " + " | ".join(esc["log"]))
    return "\n".join(L)


def _indent(s, n):
    return "\n".join(" " * n + line for line in s.splitlines())


def inspect_plots(claim: Claim, run: RunResult, out_dir) -> list[Path]:
    """LHS/RHS and slack vs the grid parameter, and every time series, as PNGs in ``out_dir``."""
    out = Path(out_dir)
    evs = run.shown(claim.id)
    paths = []
    p = claim_figure({"id": claim.id, "label": claim.label}, evs, out / f"{safe_name(claim.id)}_grid.png")
    if p:
        paths.append(p)
    for i, e in enumerate(evs):
        if e.series:
            q = series_figure(f"{claim.id}: {e.instance}", e.series, out / f"{safe_name(claim.id)}_series_{i}.png")
            if q:
                paths.append(q)
    return paths
