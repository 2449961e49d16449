"""The generic judgement: a sympy relational compiled for mpmath and judged point by point on a
measurement (slack, propagated error estimate, status), the knob analysis used by ``inspect``, and the
rules that combine the grid points of one instance (asymptotic grids, empirical thresholds)."""
from __future__ import annotations

import math

from typing import TYPE_CHECKING

import mpmath
import numpy as np
import sympy as sp

from .instances import Measurement
from .status import Status, aggregate_status, json_number, precision_dps

if TYPE_CHECKING:  # pragma: no cover
    from .claims import Knob

__all__ = ["CompiledRelation", "compiled", "judge_measurement", "knob_requirement", "as_list", "OPS"]

# ============================================================================ compiled relations

OPS = {sp.GreaterThan: "ge", sp.StrictGreaterThan: "gt", sp.LessThan: "le", sp.StrictLessThan: "lt",
        sp.Equality: "eq"}


class CompiledRelation:
    """A sympy relational compiled for mpmath: lhs, rhs, slack and its gradient.

    slack = lhs - rhs for >=, >; rhs - lhs for <=, <; for == the deviation |lhs - rhs| is judged and
    ``slack`` = -|lhs - rhs|.
    """

    def __init__(self, rel: sp.Rel):
        op = OPS.get(type(rel))
        if op is None:
            raise TypeError(f"statement must be a sympy Ge/Gt/Le/Lt/Eq relational, got {type(rel).__name__}")
        self.rel, self.op = rel, op
        lhs, rhs = rel.lhs, rel.rhs
        raw = lhs - rhs if op in ("ge", "gt", "eq") else rhs - lhs
        self.symbols = sorted(rel.free_symbols, key=lambda s: s.name)
        self.names = [s.name for s in self.symbols]
        self.f_lhs = sp.lambdify(self.symbols, lhs, "mpmath")
        self.f_rhs = sp.lambdify(self.symbols, rhs, "mpmath")
        self.f_raw = sp.lambdify(self.symbols, raw, "mpmath")
        self.f_grad = [sp.lambdify(self.symbols, sp.diff(raw, s), "mpmath") for s in self.symbols]


_COMPILED: dict = {}


def compiled(rel: sp.Rel) -> CompiledRelation:
    k = sp.srepr(rel)
    if k not in _COMPILED:
        _COMPILED[k] = CompiledRelation(rel)
    return _COMPILED[k]


def as_list(v, n):
    if np.ndim(v) == 0:
        return [v] * n
    v = list(v)
    if len(v) != n:
        raise ValueError(f"measurement arrays have inconsistent lengths ({len(v)} vs {n})")
    return v


def _default_err(v):
    """Error of a value given without an estimate: 2 ulp for a float, 0 for an exact/mpf value."""
    if isinstance(v, (float, np.floating)):
        return 2.0 * np.finfo(float).eps * abs(float(v))
    return 0


def judge_measurement(rel: sp.Rel, meas: Measurement) -> dict:
    """Judge a relational on every point of a measurement.

    Returns ``{"status", "index", "lhs", "rhs", "slack", "err", "n_points", "n_violated",
    "n_inconclusive", "slacks"}`` where ``index`` is the witness point (the smallest slack; for
    an equality the largest deviation). Per-point rule: HOLDS if slack > err, VIOLATED if
    slack < -err, otherwise INCONCLUSIVE (an exact zero slack with zero error holds for a
    non-strict inequality); equality: HOLDS if |lhs - rhs| <= err (INCONCLUSIVE instead when
    err >= max(|lhs|, |rhs|) > 0: unresolved values must not pass vacuously), VIOLATED if > 10 err.
    """
    comp = compiled(rel)
    n = meas.npoints
    missing = [nm for nm in comp.names if nm not in meas.values]
    if missing:
        raise KeyError(f"measurement lacks values for symbols {missing}")
    cols = [as_list(meas.values[nm], n) for nm in comp.names]
    ecols = [as_list(meas.errors[nm], n) if nm in meas.errors else [_default_err(v) for v in col]
             for nm, col in zip(comp.names, cols)]
    work = max(30, precision_dps(meas.precision) + 15)
    rows = []
    with mpmath.workdps(work):
        tiny = mpmath.mpf(10) ** (-(work - 3))
        for i in range(n):
            args = [mpmath.mpf(c[i]) for c in cols]
            if any(not mpmath.isfinite(a) for a in args):
                raise ValueError(f"non-finite measured value at point {i}: "
                                 + ", ".join(f"{nm}={a}" for nm, a in zip(comp.names, args)))
            lhs, rhs = comp.f_lhs(*args), comp.f_rhs(*args)
            raw = comp.f_raw(*args)
            err_meas = sum(abs(g(*args)) * abs(mpmath.mpf(e[i])) for g, e in zip(comp.f_grad, ecols))
            err = err_meas + tiny * (abs(lhs) + abs(rhs))
            if comp.op == "eq":
                dev = abs(raw)
                slack = -dev
                scale = max(abs(lhs), abs(rhs))
                if dev <= err and scale > 0 and err >= scale:
                    # the error is as large as the values: nothing was resolved, so the equality
                    # cannot be said to hold (it would pass vacuously)
                    st = Status.INCONCLUSIVE
                else:
                    st = Status.HOLDS if dev <= err else (Status.VIOLATED if dev > 10 * err else Status.INCONCLUSIVE)
            else:
                slack = raw
                if err_meas == 0 and slack == 0:  # exact data, exactly on the boundary
                    st = Status.HOLDS if comp.op in ("ge", "le") else Status.VIOLATED
                else:
                    st = Status.HOLDS if slack > err else (Status.VIOLATED if slack < -err else Status.INCONCLUSIVE)
            rows.append((st, slack, err, lhs, rhs))
    nviol = sum(r[0] == Status.VIOLATED for r in rows)
    ninc = sum(r[0] == Status.INCONCLUSIVE for r in rows)
    if nviol:
        status = Status.VIOLATED
        idx = min((i for i in range(n) if rows[i][0] == Status.VIOLATED), key=lambda i: rows[i][1])
    elif ninc:
        status = Status.INCONCLUSIVE
        idx = min((i for i in range(n) if rows[i][0] == Status.INCONCLUSIVE), key=lambda i: rows[i][1])
    else:
        status = Status.HOLDS
        idx = min(range(n), key=lambda i: rows[i][1])
    st, slack, err, lhs, rhs = rows[idx]
    return {"status": status, "index": idx, "lhs": lhs, "rhs": rhs, "slack": slack, "err": err,
            "n_points": n, "n_violated": nviol, "n_inconclusive": ninc,
            "rel_slack": slack / (abs(lhs) + abs(rhs)) if (abs(lhs) + abs(rhs)) > 0 else slack}


def knob_requirement(knob: Knob, meas: Measurement) -> dict | None:
    """Value of the knob making the worst slack of this measurement zero, and its direction.

    Solves slack(knob) = 0 per point (sympy closed form if available, else mpmath.findroot) and
    returns ``{"name", "paper_value", "required": "<= v" | ">= v", "value"}``.
    """
    comp_stmt = knob.statement
    op = OPS.get(type(comp_stmt))
    raw = comp_stmt.lhs - comp_stmt.rhs if op in ("ge", "gt", "eq") else comp_stmt.rhs - comp_stmt.lhs
    syms = sorted(raw.free_symbols - {knob.symbol}, key=lambda s: s.name)
    n = meas.npoints
    cols = {s.name: as_list(meas.values[s.name], n) for s in syms}
    f_raw = sp.lambdify(syms + [knob.symbol], raw, "mpmath")
    f_der = sp.lambdify(syms + [knob.symbol], sp.diff(raw, knob.symbol), "mpmath")
    try:
        sols = sp.solve(sp.Eq(raw, 0), knob.symbol)
    except Exception:
        sols = []
    f_sol = [sp.lambdify(syms, s_, "mpmath") for s_ in sols]
    crit = []
    with mpmath.workdps(max(30, precision_dps(meas.precision) + 15)):
        k0 = mpmath.mpf(knob.paper_value)
        for i in range(n):
            args = [mpmath.mpf(cols[s.name][i]) for s in syms]
            val = None
            for fs in f_sol:
                try:
                    v = fs(*args)
                except Exception:
                    continue
                if isinstance(v, mpmath.mpc):
                    if abs(v.imag) > 1e-20 * (1 + abs(v.real)):
                        continue
                    v = v.real
                if mpmath.isfinite(v):
                    val = v
                    break
            if val is None:
                try:
                    val = mpmath.findroot(lambda k: f_raw(*args, k), k0)
                except Exception:
                    continue
            der = f_der(*args, k0)
            crit.append((val, der))
    if not crit:
        return None
    up = [v for v, d in crit if d > 0]   # slack grows with the knob: need knob >= v
    down = [v for v, d in crit if d < 0]
    out = {"name": knob.name, "paper_value": knob.paper_value}
    if up and not down:
        v = max(up)
        out.update(required=">=", value=json_number(v))
    elif down and not up:
        v = min(down)
        out.update(required="<=", value=json_number(v))
    else:
        out.update(required="mixed", value=None)
    return out


def _num(x) -> float:
    if x is None:
        return math.inf
    if isinstance(x, str):
        try:
            return float(mpmath.mpf(x))
        except Exception:
            return math.inf
    return float(x)


def _log10(x) -> float:
    if x is None:
        return 0.0
    v = mpmath.mpf(x) if not isinstance(x, str) else mpmath.mpf(x)
    return float(mpmath.log10(v)) if v > 0 else -math.inf


def _order_key(row) -> float:
    """Sort key of a grid row by its parameter (log10 scale)."""
    if row.get("log10_param") is not None:
        return float(row["log10_param"])
    return _log10(row.get("param"))


def _grid_status(instance, rows, decisive) -> Status:
    statuses = [Status(r["status"]) for r in rows]
    if Status.ERROR in statuses:
        return Status.ERROR
    if instance.asymptotic == "small" and instance.grid_param:
        return Status(rows[decisive]["status"])
    return aggregate_status(statuses)


def _threshold(instance, rows, key) -> dict:
    """Empirical threshold: the largest grid value from which the bound holds at every smaller grid value.

    Grid values below the smallest conclusive one (INCONCLUSIVE: beyond the resolution reached) are
    skipped and listed in ``inconclusive_below``.
    """
    order = sorted(range(len(rows)), key=lambda i: _order_key(rows[i]))
    start = 0
    while start < len(order) and Status(rows[order[start]][key]) == Status.INCONCLUSIVE:
        start += 1
    thr = None
    for pos in range(start, len(order)):
        if Status(rows[order[pos]][key]) == Status.HOLDS:
            thr = pos
        else:
            break
    above = [rows[i]["label"] for pos, i in enumerate(order)
             if thr is not None and pos > thr and Status(rows[i][key]) != Status.HOLDS]
    return {"param": instance.grid_symbol or instance.grid_param,
            "value": rows[order[thr]].get("param") if thr is not None else None,
            "label": rows[order[thr]]["label"] if thr is not None else None,
            "holds_on_whole_grid": thr is not None and thr == len(order) - 1 and start == 0,
            "not_holding_above": above,
            "inconclusive_below": [rows[order[p]]["label"] for p in range(start)]}


def _summary_message(instance, rows, ev, statuses) -> str:
    parts = []
    nviol = sum(s == Status.VIOLATED for s in statuses)
    if ev.threshold is not None:
        th = ev.threshold
        if th["value"] is None:
            conc = [r for r in rows if Status(r["status"]) in (Status.HOLDS, Status.VIOLATED)]
            if conc:
                smallest = min(conc, key=_order_key)["label"]
                parts.append(f"does not hold at the smallest conclusive grid value ({smallest})")
            else:
                parts.append("inconclusive on the whole grid")
        elif th["holds_on_whole_grid"]:
            parts.append("holds on the whole grid")
        else:
            msg = f"holds from {th['label']} down"
            if th["not_holding_above"]:
                msg += f" (not above: {', '.join(th['not_holding_above'])})"
            parts.append(msg)
        if th.get("inconclusive_below"):
            parts.append(f"inconclusive at {', '.join(th['inconclusive_below'])} (error estimate exceeds |slack|)")
    elif nviol:
        parts.append(f"violated at {nviol} of {len(rows)} grid points")
    if ev.escalations:
        parts.append(f"escalated precision at {len(ev.escalations)} point(s)")
    return "; ".join(parts)

