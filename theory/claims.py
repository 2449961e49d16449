"""The claim model: what a paper states, as data the runner can evaluate.

A :class:`Claim` is one checkable statement of one paper (DESIGN.md, "The claim model"):

* provenance: ``id`` (``<paper>.<label>[.<part>]``), ``paper``, ``label``, ``where``, ``catalog``;
* ``kind``: one of :data:`KINDS`;
* ``statement``: a sympy relational (``Ge``/``Gt``/``Le``/``Lt``/``Eq``) over named symbols, the
  paper's inequality written as the paper writes it (LaTeX names in ``latex_names``);
* ``hypotheses``: the paper's assumptions as named predicates evaluated on an instance; one that
  fails gives NOT_APPLICABLE with its name, never a pass;
* ``instances(tier)``: the concrete, seeded settings it is checked on, each with an optional grid
  (e.g. over lambda);
* ``measure(instance, point, precision) -> Measurement``: the values (and error estimates) of the
  statement's symbols at every "point" (neuron j, time t) for one grid point;
* ``mutant``: a deliberately wrong variant of the statement, judged on the same measurements;
  a check whose mutant is not rejected cannot fail and is a defect;
* ``knobs``: the statement with one constant or exponent made a free symbol, so ``inspect`` can
  say what value would make the slack zero.

The judgement (:meth:`Claim.evaluate`) is generic: both sides are evaluated in mpmath at a working
precision above the measurement's, the slack is signed so that >= 0 means the claim holds, and the
error estimate of the slack is propagated linearly from the symbols' error estimates
(sum_s |d slack / d s| err_s) plus the evaluation rounding. Statuses follow LeanCert's rule
"failure to find a counterexample is never a proof": HOLDS means *held on these instances at this
precision*.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
import traceback
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Sequence

import mpmath
import numpy as np
import sympy as sp

__all__ = [
    "Status", "KINDS", "Hypothesis", "Instance", "Measurement", "Mutant", "Knob", "Claim",
    "Evidence", "NeedsPrecision", "judge_measurement", "aggregate_status", "json_number",
    "precision_label", "Paper", "Result", "Figure", "not_checkable",
]

KINDS = ("closed-form", "flow-inequality", "convex", "asymptotic", "probabilistic", "qualitative")
TIERS = ("fast", "full")


class Status(str, Enum):
    """Verdict of one claim on one instance (or aggregated over instances).

    HOLDS: slack > error estimate on the instance (held at this precision, never "proved").
    VIOLATED: slack < -error estimate, with a witness. INCONCLUSIVE: |slack| within the error
    estimate (or a regime not reached). NOT_APPLICABLE: a hypothesis of the paper fails on the
    instance (named). ERROR: the computation failed (message kept). NOT_CHECKABLE: a qualitative
    statement registered with the reason it is not numerically checkable (never shown as HOLDS).
    """

    HOLDS = "HOLDS"
    VIOLATED = "VIOLATED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    ERROR = "ERROR"
    NOT_CHECKABLE = "NOT_CHECKABLE"

    def __str__(self):
        return self.value


# aggregation: the first status present in this order wins (NOT_APPLICABLE only if nothing else)
_SEVERITY = [Status.ERROR, Status.VIOLATED, Status.INCONCLUSIVE, Status.HOLDS, Status.NOT_APPLICABLE,
             Status.NOT_CHECKABLE]


def aggregate_status(statuses: Sequence[Status | str]) -> Status:
    """Worst status of a collection: ERROR > VIOLATED > INCONCLUSIVE > HOLDS > NOT_APPLICABLE > NOT_CHECKABLE.

    A claim HOLDS only if no instance is VIOLATED, INCONCLUSIVE or ERROR and at least one instance
    HOLDS (instances where a hypothesis fails do not count either way).
    """
    st = {Status(s) for s in statuses}
    for s in _SEVERITY:
        if s in st:
            return s
    return Status.NOT_APPLICABLE


class NeedsPrecision(Exception):
    """Raised by a ``measure`` function when this precision cannot resolve the quantity (the ladder escalates)."""


# ============================================================================ helpers


def precision_label(precision) -> str:
    """'float64' or 'mp<dps>'."""
    if precision in (None, "float64"):
        return "float64"
    if isinstance(precision, str):
        return precision if precision.startswith("mp") else f"mp{precision}"
    return f"mp{int(precision)}"


def precision_dps(precision) -> int:
    """Decimal digits carried by a precision label (float64 = 15)."""
    lab = precision_label(precision)
    return 15 if lab == "float64" else int(lab[2:])


def json_number(x):
    """A JSON-safe number: float when representable (finite, no underflow to 0), else a decimal string."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    try:
        mx = mpmath.mpf(x) if not isinstance(x, mpmath.mpf) else x
    except (TypeError, ValueError):
        return str(x)
    if mpmath.isnan(mx):
        return "nan"
    if mpmath.isinf(mx):
        return "inf" if mx > 0 else "-inf"
    f = float(mx)
    if math.isinf(f) or (f == 0.0 and mx != 0):
        return mpmath.nstr(mx, 8)
    return f


def _canon(obj):
    """Canonical JSON-able form (numpy -> lists, floats by repr) for hashing instance keys."""
    if isinstance(obj, dict):
        return {str(k): _canon(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_canon(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _canon(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        return repr(float(obj))
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, mpmath.mpf):
        return "mpf:" + mpmath.nstr(obj, 50)
    return obj


def _fmt(x, digits=3) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    try:
        return mpmath.nstr(mpmath.mpf(x), digits, min_fixed=-3, max_fixed=4)
    except Exception:  # pragma: no cover - display only
        return str(x)


# ============================================================================ building blocks


@dataclass(frozen=True)
class Hypothesis:
    """A named assumption of the paper, evaluated on an instance.

    ``test(instance) -> (ok, detail)`` (or a bare bool). ``where`` cites the paper.
    """

    name: str
    test: Callable[["Instance"], Any]
    where: str = ""

    def evaluate(self, instance: "Instance") -> dict:
        try:
            out = self.test(instance)
        except Exception as exc:  # a hypothesis that cannot be evaluated is not satisfied
            return {"name": self.name, "where": self.where, "ok": False,
                    "detail": f"could not be evaluated: {type(exc).__name__}: {exc}"}
        ok, detail = (out if isinstance(out, tuple) else (bool(out), ""))
        return {"name": self.name, "where": self.where, "ok": bool(ok), "detail": str(detail)}


@dataclass
class Instance:
    """A concrete, seeded setting a claim is checked on.

    ``params`` is JSON-able (data, seed, eps, width, ...). ``grid`` is a list of grid points (dicts);
    ``grid_param`` names the swept key, ``grid_log10`` says the key is log10 of the parameter
    (``lam10 = -16`` means lambda = 1e-16), and ``asymptotic="small"`` says the claim is stated for
    the parameter small enough ("for lambda <= lambda*", lambda* unspecified): the verdict is then
    decided at the smallest grid value and the empirical threshold is reported.
    """

    name: str
    params: dict
    grid: list = field(default_factory=lambda: [{}])
    grid_param: str | None = None
    grid_symbol: str = ""
    grid_log10: bool = False
    asymptotic: str | None = None
    description: str = ""

    def key(self) -> str:
        blob = json.dumps(_canon({"name": self.name, "params": self.params, "grid": self.grid,
                                  "grid_param": self.grid_param, "asymptotic": self.asymptotic}),
                          sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def to_json(self) -> dict:
        return {"name": self.name, "params": _canon_json(self.params), "grid": self.grid,
                "grid_param": self.grid_param, "grid_symbol": self.grid_symbol, "grid_log10": self.grid_log10,
                "asymptotic": self.asymptotic, "description": self.description}

    @classmethod
    def from_json(cls, d: dict) -> "Instance":
        return cls(**d)

    def param_value(self, point: dict):
        """The swept parameter's value at a grid point (10**v when ``grid_log10``), as mpf."""
        if self.grid_param is None or self.grid_param not in point:
            return None
        v = point[self.grid_param]
        return mpmath.mpf(10) ** mpmath.mpf(v) if self.grid_log10 else mpmath.mpf(v)

    def point_label(self, point: dict) -> str:
        if not point:
            return "-"
        if self.grid_param in point:
            sym = self.grid_symbol or self.grid_param
            v = point[self.grid_param]
            if self.grid_log10:
                v = float(v)
                return f"{sym}=1e{int(v)}" if float(v).is_integer() else f"{sym}=10^{v:g}"
            return f"{sym}={v}"
        return ", ".join(f"{k}={v}" for k, v in point.items())

    def grid_description(self) -> str:
        """Human-readable grid, e.g. 'λ ∈ {1e-4, 1e-8, 1e-16}'."""
        if self.grid == [{}] or not self.grid:
            return "single point"
        if self.grid_param:
            vals = []
            for p in self.grid:
                lab = self.point_label(p)
                vals.append(lab.split("=", 1)[1] if "=" in lab else lab)
            return f"{self.grid_symbol or self.grid_param} ∈ {{{', '.join(vals)}}}"
        return f"{len(self.grid)} grid points"


def _canon_json(obj):
    """JSON-able copy (numpy arrays -> lists)."""
    if isinstance(obj, dict):
        return {k: _canon_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_canon_json(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


@dataclass
class Measurement:
    """Values of a statement's symbols at the points of one grid point.

    ``values[name]`` is a scalar or a 1-D sequence (float64 or mpf) over the points (scalars are
    broadcast); ``errors[name]`` the absolute error estimate (default for a float value: 2 ulp);
    ``coords[name]`` per-point coordinates used in the witness (``j``, ``t``, ...).
    ``info`` is JSON-able (solver status, tolerances, notes), ``series`` small arrays for plots:
    ``{name: {"x": [...], "y": {label: [...]}, "xlabel": str, "ylabel": str, "logy": bool}}``.
    """

    values: dict
    errors: dict = field(default_factory=dict)
    coords: dict = field(default_factory=dict)
    precision: str = "float64"
    info: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)

    @property
    def npoints(self) -> int:
        n = 1
        for v in list(self.values.values()) + list(self.coords.values()):
            if np.ndim(v) == 1:
                n = max(n, len(v))
        return n


@dataclass
class Mutant:
    """A deliberately wrong variant of the statement (same symbols), which the check must reject."""

    statement: sp.Rel
    description: str


@dataclass
class Knob:
    """A constant or exponent of the statement made free (``symbol``), with the paper's value.

    ``statement`` is the claim's statement with the knob symbol in place of the paper's value;
    ``inspect`` reports which value of the knob would make the worst slack zero.
    """

    name: str
    symbol: sp.Symbol
    statement: sp.Rel
    paper_value: float


# ============================================================================ compiled relations

_OPS = {sp.GreaterThan: "ge", sp.StrictGreaterThan: "gt", sp.LessThan: "le", sp.StrictLessThan: "lt",
        sp.Equality: "eq"}


class CompiledRelation:
    """A sympy relational compiled for mpmath: lhs, rhs, slack and its gradient.

    slack = lhs - rhs for >=, >; rhs - lhs for <=, <; for == the deviation |lhs - rhs| is judged and
    ``slack`` = -|lhs - rhs|.
    """

    def __init__(self, rel: sp.Rel):
        op = _OPS.get(type(rel))
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


def _as_list(v, n):
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
    cols = [_as_list(meas.values[nm], n) for nm in comp.names]
    ecols = [_as_list(meas.errors[nm], n) if nm in meas.errors else [_default_err(v) for v in col]
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
    op = _OPS.get(type(comp_stmt))
    raw = comp_stmt.lhs - comp_stmt.rhs if op in ("ge", "gt", "eq") else comp_stmt.rhs - comp_stmt.lhs
    syms = sorted(raw.free_symbols - {knob.symbol}, key=lambda s: s.name)
    n = meas.npoints
    cols = {s.name: _as_list(meas.values[s.name], n) for s in syms}
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


# ============================================================================ evidence


@dataclass
class Evidence:
    """Result of one claim on one instance (the unit cached on disk and written to JSON)."""

    claim_id: str
    instance: str
    instance_key: str
    status: Status
    lhs: Any = None
    rhs: Any = None
    slack: Any = None
    error_estimate: Any = None
    precision: str = "float64"
    witness: dict = field(default_factory=dict)
    runtime_s: float = 0.0
    message: str = ""
    hypotheses: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    grid_description: str = ""
    threshold: dict | None = None
    mutant: dict | None = None
    knobs: list = field(default_factory=list)
    escalations: list = field(default_factory=list)
    series: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    cached: bool = False

    def to_json(self) -> dict:
        d = {
            "id": self.claim_id, "instance": self.instance, "instance_key": self.instance_key,
            "status": str(self.status), "lhs": json_number(self.lhs), "rhs": json_number(self.rhs),
            "slack": json_number(self.slack), "error_estimate": json_number(self.error_estimate),
            "precision": self.precision, "witness": self.witness, "runtime_s": round(float(self.runtime_s), 4),
            "message": self.message, "hypotheses": self.hypotheses, "grid": self.grid,
            "grid_description": self.grid_description, "threshold": self.threshold, "mutant": self.mutant,
            "knobs": self.knobs, "escalations": self.escalations, "series": self.series, "info": self.info,
            "cached": self.cached,
        }
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Evidence":
        return cls(claim_id=d["id"], instance=d["instance"], instance_key=d["instance_key"],
                   status=Status(d["status"]), lhs=d.get("lhs"), rhs=d.get("rhs"), slack=d.get("slack"),
                   error_estimate=d.get("error_estimate"), precision=d.get("precision", "float64"),
                   witness=d.get("witness") or {}, runtime_s=d.get("runtime_s", 0.0), message=d.get("message", ""),
                   hypotheses=d.get("hypotheses") or [], grid=d.get("grid") or [],
                   grid_description=d.get("grid_description", ""), threshold=d.get("threshold"),
                   mutant=d.get("mutant"), knobs=d.get("knobs") or [], escalations=d.get("escalations") or [],
                   series=d.get("series") or {}, info=d.get("info") or {}, cached=d.get("cached", False))


# ============================================================================ the claim


def _jsonable_info(d):
    return _canon_json(d) if d else {}


@dataclass
class Claim:
    """One checkable (or explicitly not checkable) statement of a paper. See the module docstring."""

    id: str
    paper: str
    label: str
    where: str
    kind: str
    statement: sp.Rel | None = None
    latex_names: dict = field(default_factory=dict)
    symbols_doc: dict = field(default_factory=dict)
    quantifier: str = ""
    quantifier_latex: str = ""
    hypotheses: list = field(default_factory=list)
    instances: Callable[[str], list] | None = None
    measure: Callable[[Instance, dict, Any], Measurement] | None = None
    mutant: Mutant | None = None
    knobs: list = field(default_factory=list)
    catalog: str = ""
    result: str = ""
    share: str = ""
    ladder: tuple = ("float64", 30, 60)
    data_instances: Callable[[dict], list] | None = None
    checkable: bool = True
    reason: str = ""
    notes: str = ""
    tags: tuple = ()
    provides: tuple = ()
    display: tuple = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"claim {self.id}: kind must be one of {KINDS}, got {self.kind!r}")
        if not self.id.startswith(self.paper + "."):
            raise ValueError(f"claim id {self.id!r} must start with its paper key {self.paper!r}.")
        if self.kind == "qualitative" or not self.checkable:
            self.checkable = False
            if not self.reason:
                raise ValueError(f"claim {self.id}: a not-checkable claim must say why (reason=...)")
        else:
            if self.statement is None or self.measure is None or self.instances is None:
                raise ValueError(f"claim {self.id}: a checkable claim needs statement, measure and instances")
            compiled(self.statement)  # fail early on a malformed statement
            if self.mutant is not None:
                ms = {s.name for s in self.mutant.statement.free_symbols}
                ss = {s.name for s in self.statement.free_symbols} | set(self.provides)
                if not ms <= ss:
                    raise ValueError(f"claim {self.id}: the mutant uses symbols {sorted(ms - ss)} that the "
                                     "statement's measurement does not provide (declare them in provides=)")
        if not self.share:
            self.share = self.id

    # ----------------------------------------------------------------- presentation
    def statement_latex(self) -> str:
        """LaTeX of the statement (sympy), with the claim's symbol names."""
        if self.statement is None:
            return ""
        return _latex(self.statement, self.latex_names)

    def mutant_latex(self) -> str:
        return _latex(self.mutant.statement, self.latex_names) if self.mutant else ""

    def statement_pretty(self) -> str:
        return sp.pretty(self.statement, use_unicode=True) if self.statement is not None else ""

    def describe(self) -> dict:
        """The ``earlyalign list --json`` record."""
        return {
            "id": self.id, "paper": self.paper, "label": self.label, "where": self.where, "kind": self.kind,
            "statement_latex": self.statement_latex(), "quantifier": self.quantifier,
            "quantifier_latex": self.quantifier_latex, "has_mutant": self.mutant is not None,
            "mutant_latex": self.mutant_latex(), "mutant_description": self.mutant.description if self.mutant else "",
            "checkable": self.checkable, "reason": self.reason, "catalog": self.catalog, "result": self.result,
            "hypotheses": [h.name for h in self.hypotheses], "general_data": self.data_instances is not None,
            "symbols": {k: v for k, v in self.symbols_doc.items()}, "notes": self.notes, "tags": list(self.tags),
        }

    # ----------------------------------------------------------------- evaluation
    def evaluate(self, instance: Instance, precision="auto", ladder=None) -> Evidence:
        """Evidence of this claim on ``instance``.

        ``precision="auto"`` walks the precision ladder (float64 first, then mpmath digits) per grid
        point, escalating while the point is INCONCLUSIVE or ``measure`` raises
        :class:`NeedsPrecision`; any other value measures at exactly that precision. Exceptions
        become an ERROR evidence with the message kept.
        """
        t0 = time.perf_counter()
        ev = Evidence(self.id, instance.name, instance.key(), Status.ERROR,
                      grid_description=instance.grid_description())
        try:
            self._evaluate(instance, precision, ladder, ev)
        except Exception as exc:
            ev.status = Status.ERROR
            tb = traceback.extract_tb(exc.__traceback__)
            loc = f" (at {tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno})" if tb else ""
            ev.message = f"{type(exc).__name__}: {exc}{loc}"
        ev.runtime_s = time.perf_counter() - t0
        return ev

    def not_checkable_evidence(self) -> Evidence:
        return Evidence(self.id, "-", "-", Status.NOT_CHECKABLE, message=self.reason)

    def _evaluate(self, instance, precision, ladder, ev: Evidence):
        if not self.checkable:
            ev.status, ev.message = Status.NOT_CHECKABLE, self.reason
            return
        ev.hypotheses = [h.evaluate(instance) for h in self.hypotheses]
        failing = [h for h in ev.hypotheses if not h["ok"]]
        if failing:
            ev.status = Status.NOT_APPLICABLE
            ev.message = "hypothesis fails: " + "; ".join(f"{h['name']} ({h['detail']})" for h in failing)
            return
        rungs = list(ladder or self.ladder) if precision == "auto" else [precision]
        points = []
        for point in instance.grid or [{}]:
            points.append(self._evaluate_point(instance, point, rungs, ev))
        self._aggregate(instance, points, ev)

    def _evaluate_point(self, instance, point, rungs, ev):
        """Walk the precision ladder at one grid point; returns the point record."""
        log = []
        rec = None
        for i, prec in enumerate(rungs):
            lab = precision_label(prec)
            try:
                meas = self.measure(instance, point, prec)
            except NeedsPrecision as exc:
                log.append(f"{lab}: {exc}")
                if i + 1 < len(rungs):
                    continue
                rec = {"status": Status.INCONCLUSIVE, "precision": lab, "reason": str(exc)}
                break
            meas.precision = precision_label(meas.precision or prec)
            j = judge_measurement(self.statement, meas)
            jm = judge_measurement(self.mutant.statement, meas) if self.mutant else None
            rec = {"status": j["status"], "precision": meas.precision, "judgement": j, "mutant": jm,
                   "meas": meas}
            if j["status"] == Status.INCONCLUSIVE and i + 1 < len(rungs):
                log.append(f"{lab}: |slack| = {_fmt(abs(j['slack']))} within error {_fmt(j['err'])}"
                           f" -> {precision_label(rungs[i + 1])}")
                continue
            break
        if log:
            ev.escalations.append({"point": instance.point_label(point), "log": log})
        rec["point"] = point
        rec["escalated"] = bool(log)
        return rec

    def _aggregate(self, instance: Instance, recs: list, ev: Evidence):
        """Combine grid points: asymptotic grids are decided at the smallest parameter value."""
        rows = []
        for rec in recs:
            row = {"point": rec["point"], "label": instance.point_label(rec["point"]),
                   "status": str(rec["status"]), "precision": rec["precision"]}
            pv = instance.param_value(rec["point"])
            row["param"] = json_number(pv) if pv is not None else None
            if instance.grid_log10 and instance.grid_param in rec["point"]:
                row["log10_param"] = float(rec["point"][instance.grid_param])
            if "judgement" in rec:
                j, meas = rec["judgement"], rec["meas"]
                row.update(lhs=json_number(j["lhs"]), rhs=json_number(j["rhs"]), slack=json_number(j["slack"]),
                           error_estimate=json_number(j["err"]), rel_slack=json_number(j["rel_slack"]),
                           n_points=j["n_points"], n_violated=j["n_violated"],
                           witness=self._witness(instance, rec["point"], meas, j["index"]),
                           info=_jsonable_info(meas.info))
                if rec["mutant"] is not None:
                    jm = rec["mutant"]
                    row["mutant"] = {"status": str(jm["status"]), "slack": json_number(jm["slack"]),
                                     "lhs": json_number(jm["lhs"]), "rhs": json_number(jm["rhs"]),
                                     "error_estimate": json_number(jm["err"]),
                                     "witness": self._witness(instance, rec["point"], meas, jm["index"])}
                if self.display:
                    row["display"] = _display_values(self.display, meas, j["index"])
                    # relative slack in the display form: 1 - measured/bound (0 = the bound is attained)
                    dm, db = row["display"].get("measured"), row["display"].get("bound")
                    if dm is not None and db is not None and _num(db) > 0:
                        row["rel_slack"] = json_number(1 - mpmath.mpf(dm) / mpmath.mpf(db))
                if meas.series:
                    ev.series[row["label"]] = _canon_json(meas.series)
                row["knobs"] = []
                for kn in self.knobs:
                    try:
                        kr = knob_requirement(kn, meas)
                    except Exception as exc:  # knob analysis is diagnostic only
                        kr = {"name": kn.name, "error": f"{type(exc).__name__}: {exc}"}
                    if kr:
                        row["knobs"].append(kr)
            else:
                row["message"] = rec.get("reason", "")
            rows.append(row)
        ev.grid = rows
        statuses = [Status(r["status"]) for r in rows]
        decisive = self._decisive(instance, rows)
        ev.status = _grid_status(instance, rows, decisive)
        d = rows[decisive]
        ev.lhs, ev.rhs, ev.slack = d.get("lhs"), d.get("rhs"), d.get("slack")
        ev.error_estimate, ev.witness = d.get("error_estimate"), d.get("witness", {})
        ev.precision = max((r["precision"] for r in rows), key=precision_dps)
        ev.knobs = d.get("knobs", [])
        if instance.asymptotic == "small" and instance.grid_param:
            ev.threshold = _threshold(instance, rows, "status")
        measured = [r for r in rows if "mutant" in r]
        if self.mutant is not None and measured:
            # the mutant is judged on every measured grid point (an unmeasured point, e.g. one
            # refused by the precision budget, must not drop the mutant for the whole instance)
            mrows = [{**r["mutant"], "point": r["point"], "param": r.get("param"),
                      "log10_param": r.get("log10_param"), "label": r["label"]} for r in measured]
            md = self._decisive(instance, mrows)
            ev.mutant = {"description": self.mutant.description, "status": str(_grid_status(instance, mrows, md)),
                         "slack": mrows[md]["slack"], "error_estimate": mrows[md]["error_estimate"],
                         "lhs": mrows[md]["lhs"], "rhs": mrows[md]["rhs"], "witness": mrows[md]["witness"],
                         "unmeasured_points": len(rows) - len(measured)}
            if instance.asymptotic == "small" and instance.grid_param:
                ev.mutant["threshold"] = _threshold(instance, mrows, "status")
        ev.message = _summary_message(instance, rows, ev, statuses)

    def _decisive(self, instance, rows) -> int:
        """Index of the row that decides: smallest parameter for asymptotic grids, else the worst row."""
        if instance.asymptotic == "small" and instance.grid_param:
            order = sorted(range(len(rows)), key=lambda i: _order_key(rows[i]))
            conclusive = [i for i in order if Status(rows[i]["status"]) in (Status.HOLDS, Status.VIOLATED)]
            if not conclusive:
                return order[0]
            first = conclusive[0]
            if Status(rows[first]["status"]) == Status.HOLDS:
                # tightest point of the holding tail
                tail = []
                for i in order[order.index(first):]:
                    if Status(rows[i]["status"]) != Status.HOLDS:
                        break
                    tail.append(i)
                return min(tail, key=lambda i: _num(rows[i].get("rel_slack")))
            return first
        worst = aggregate_status([r["status"] for r in rows])
        cands = [i for i, r in enumerate(rows) if Status(r["status"]) == worst]
        return min(cands, key=lambda i: _num(rows[i].get("rel_slack")))

    def _witness(self, instance, point, meas: Measurement, idx: int) -> dict:
        w = {}
        if instance.grid_param and instance.grid_param in point:
            pv = instance.param_value(point)
            w[instance.grid_symbol or instance.grid_param] = json_number(pv)
            w["point"] = instance.point_label(point)
        for k, v in meas.coords.items():
            val = v[idx] if np.ndim(v) == 1 else v
            w[k] = json_number(val) if not isinstance(val, str) else val
        w["precision"] = precision_label(meas.precision)
        return w


def not_checkable(paper: str, cid: str, label: str, where: str, reason: str, result: str, catalog: str,
                  tags: tuple = ()) -> "Claim":
    """A result registered as not numerically checkable (kind "qualitative"), with the reason the report shows."""
    return Claim(id=f"{paper}.{cid}", paper=paper, label=label, where=where, kind="qualitative", reason=reason,
                 result=result, catalog=catalog, tags=tags)


def _display_values(display, meas: Measurement, idx: int) -> dict:
    """Evaluate the claim's display pair (measured, bound) at point ``idx`` (plots only)."""
    lab_m, e_m, lab_b, e_b = display
    n = meas.npoints
    out = {"measured_label": lab_m, "bound_label": lab_b}
    with mpmath.workdps(max(30, precision_dps(meas.precision) + 15)):
        for key, ex in (("measured", e_m), ("bound", e_b)):
            syms = sorted(ex.free_symbols, key=lambda s: s.name)
            f = sp.lambdify(syms, ex, "mpmath")
            try:
                out[key] = json_number(f(*[mpmath.mpf(_as_list(meas.values[s.name], n)[idx]) for s in syms]))
            except Exception:
                out[key] = None
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


def _latex(rel, names) -> str:
    sym_names = {}
    for s in rel.free_symbols:
        if s.name in names:
            sym_names[s] = names[s.name]
    return sp.latex(rel, symbol_names=sym_names, order="old")


# ============================================================================ papers, results, figures


@dataclass
class Result:
    """A numbered result of a paper (node of its dependency graph), with the results its proof uses."""

    id: str
    label: str
    where: str = ""
    kind: str = "lemma"  # assumption | definition | lemma | theorem | proposition | fact | corollary
    uses: tuple = ()
    note: str = ""


@dataclass
class Paper:
    """Metadata of a paper module: key, citation, and its results graph (Lean-blueprint style)."""

    key: str
    title: str
    authors: str = ""
    venue: str = ""
    source: str = ""
    catalog: str = ""
    results: list = field(default_factory=list)
    order: int = 0

    def result(self, rid: str) -> Result | None:
        return next((r for r in self.results if r.id == rid), None)


@dataclass
class Figure:
    """A reproducible figure of a paper: ``make(out_dir: Path, tier: str) -> list[Path]``."""

    id: str
    paper: str
    label: str
    where: str
    description: str
    make: Callable
