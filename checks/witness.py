"""Which grid point a reader is shown as the witness of an instance, and how a witness is written.

The witness of an instance is where the statement comes closest to failing (HOLDS) or fails worst
(VIOLATED): among the grid rows whose status is the instance's, the one of smallest signed slack (for a
HOLDS instance the tightest point, for a VIOLATED one the most negative slack; for an equality the largest
deviation, as slack = -|lhs - rhs|). Within a grid row the framework already picks the point (neuron j,
time t) of smallest slack. An asymptotic grid ("for lambda small enough", recognisable by its empirical
threshold) keeps the framework's deciding row, the smallest parameter value, since the verdict is taken
there. INCONCLUSIVE, ERROR and NOT_APPLICABLE instances keep the framework's choice.

:func:`tightened` applies the rule to a copy of an :class:`theory.claims.Evidence` (statement, mutant and
control alike) for the report, ``inspect`` and the JSON; the cached evidence is never modified. The same
rule is in ``theory.claims.Claim._decisive`` (rows ranked by slack, ties broken by relative slack), so for
evidence computed by this version the re-selection is a no-op; it still tightens evidence read from an older
cache entry or results file.
"""
from __future__ import annotations

import copy
import math

import mpmath

from theory.claims import Evidence, Status

__all__ = ["tightened", "witness_row", "witness_text", "num", "measured_text", "WITNESS_RULE"]

WITNESS_RULE = {
    "HOLDS": "smallest slack over the grid, where the statement comes closest to failing",
    "VIOLATED": "most negative slack over the grid, where the statement fails worst",
    "asymptotic": "smallest grid value of the parameter, where 'for lambda small enough' is decided",
}


def num(x) -> float:
    """A JSON number (float, int or decimal string) as a float; +inf for None or an unparsable value;
    values beyond float range keep their sign (+-inf) so that ordering stays right."""
    if x is None:
        return math.inf
    if isinstance(x, str):
        try:
            v = mpmath.mpf(x)
        except Exception:
            return math.inf
        try:
            return float(v)
        except OverflowError:
            return math.inf if v > 0 else -math.inf
    return float(x)


def _pick(rows: list, status: str) -> int | None:
    live = [i for i, r in enumerate(rows) if not r.get("duplicate_of") and r.get("slack") is not None]
    cands = [i for i in live if rows[i].get("status") == status]
    if not cands:
        return None
    return min(cands, key=lambda i: (num(rows[i]["slack"]), num(rows[i].get("rel_slack"))))


def witness_row(ev: Evidence, kind: str | None = None) -> dict | None:
    """The grid row shown as the witness of ``ev`` (``kind`` "mutant"/"control": of that variant), or None
    when the framework's choice stands (asymptotic grid, single row, status other than HOLDS/VIOLATED)."""
    if ev.threshold is not None or len(ev.grid) < 2:
        return None
    if kind is None:
        rows = ev.grid
        status = str(ev.status)
    else:
        variant = getattr(ev, kind)
        if not variant:
            return None
        rows = [{**r[kind], "label": r["label"], "duplicate_of": r.get("duplicate_of")} for r in ev.grid if kind in r]
        if len(rows) < 2:
            return None
        status = variant["status"]
    if status not in (Status.HOLDS.value, Status.VIOLATED.value):
        return None
    i = _pick(rows, status)
    return None if i is None else rows[i]


def tightened(ev: Evidence) -> Evidence:
    """A copy of ``ev`` whose witness (lhs, rhs, slack, error estimate, witness coordinates, knobs; and the
    mutant's and control's) follows the rule of this module."""
    out = copy.copy(ev)
    row = witness_row(ev)
    if row is not None:
        out.lhs, out.rhs, out.slack = row.get("lhs"), row.get("rhs"), row.get("slack")
        out.error_estimate, out.witness = row.get("error_estimate"), dict(row.get("witness") or {})
        out.knobs = list(row.get("knobs") or [])
    for kind in ("mutant", "control"):
        vrow = witness_row(ev, kind)
        if vrow is not None:
            v = dict(getattr(ev, kind))
            v.update(slack=vrow.get("slack"), error_estimate=vrow.get("error_estimate"), lhs=vrow.get("lhs"),
                     rhs=vrow.get("rhs"), witness=dict(vrow.get("witness") or {}))
            setattr(out, kind, v)
    return out


def _fmt(x, digits=4) -> str:
    from .runner import fmt_num

    return fmt_num(x, digits) if not isinstance(x, str) else x


def witness_text(w: dict | None) -> str:
    """``λ=1e-64, j=18, t_2=510.7`` (grid value first); "" when the witness has no coordinate (a single
    measurement: then there is no point to name)."""
    if not w:
        return ""
    keys = [k for k in w if k not in ("point", "precision")]
    return ", ".join(f"{k}={_fmt(w[k])}" for k in keys)


def measured_text(ev, digits: int = 6) -> str:
    """One sentence: what was measured at the witness of ``ev`` (an Evidence or a variant dict with lhs, rhs,
    slack, error_estimate, witness). Never prints an empty "at"."""
    from .runner import fmt_num

    get = (lambda k: ev.get(k)) if isinstance(ev, dict) else (lambda k: getattr(ev, k))
    lhs, rhs, slack, err = get("lhs"), get("rhs"), get("slack"), get("error_estimate")
    if lhs is None and rhs is None:
        return ""
    s = f"lhs {fmt_num(lhs, digits)} vs rhs {fmt_num(rhs, digits)} (slack {fmt_num(slack)}, error {fmt_num(err)})"
    w = witness_text(get("witness"))
    return s + (f" at {w}" if w else "")
