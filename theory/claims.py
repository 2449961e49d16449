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

The model is split by role: :mod:`theory.status` (statuses, precision labels), :mod:`theory.instances`
(hypotheses, instances, measurements), :mod:`theory.judgement` (compiled relations, the point-wise and grid
judgement), :mod:`theory.evidence` (the per-instance result), :mod:`theory.paper` (papers, results,
figures), :mod:`theory.claimset` (declaring a paper's claims). This module holds :class:`Claim` and
re-exports the public names of the others, so ``from theory.claims import ...`` serves every need.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable

import mpmath
import numpy as np
import sympy as sp

from .evidence import Evidence
from .instances import Hypothesis, Instance, Measurement, canon_json
from .judgement import (DEFAULT_EQ_RTOL, OPS, _grid_status, _num, _order_key, _summary_message, _threshold, as_list,
                        judge_measurement, knob_requirement)
from .paper import Figure, Paper, Result
from .status import (KINDS, TIERS, NeedsPrecision, Status, aggregate_status, fmt, json_number, precision_dps,
                     precision_label)

__all__ = [
    "Status", "KINDS", "TIERS", "Hypothesis", "Instance", "Measurement", "Mutant", "Knob", "Claim",
    "Evidence", "NeedsPrecision", "judge_measurement", "aggregate_status", "json_number",
    "precision_label", "precision_dps", "Paper", "Result", "Figure", "not_checkable", "knob_requirement",
    "LADDER_F64", "LADDER_DEFAULT",
]

#: precision ladders: float64 only (claims whose quantities float64 resolves at every grid point), and the
#: default escalation float64 -> 30 -> 60 digits
LADDER_F64 = ("float64",)
LADDER_DEFAULT = ("float64", 30, 60)


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


# ============================================================================ the claim


def _jsonable_info(d):
    return canon_json(d) if d else {}


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
    control: "Mutant | None" = None
    eq_rtol: float = DEFAULT_EQ_RTOL
    eq_atol: float = 0.0

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
            # fail early on a malformed statement; compiling it (lambdify and its gradient, ~10 ms a claim, 2.7 s
            # for every registered claim at each start of the CLI) waits for its first evaluation
            if type(self.statement) not in OPS:
                raise TypeError(f"claim {self.id}: statement must be a sympy Ge/Gt/Le/Lt/Eq relational, got "
                                f"{type(self.statement).__name__}")
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
        if "_statement_latex" not in self.__dict__:  # sympy's latex printer is slow: render once per claim
            self.__dict__["_statement_latex"] = _latex(self.statement, self.latex_names)
        return self.__dict__["_statement_latex"]

    def mutant_latex(self) -> str:
        if not self.mutant:
            return ""
        if "_mutant_latex" not in self.__dict__:
            self.__dict__["_mutant_latex"] = _latex(self.mutant.statement, self.latex_names)
        return self.__dict__["_mutant_latex"]

    def control_latex(self) -> str:
        """LaTeX of the control (the corrected statement a finding carries)."""
        return _latex(self.control.statement, self.latex_names) if self.control else ""

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
                      grid_description=instance.grid_description(), settings=instance.settings())
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
        broken = [h for h in ev.hypotheses if h.get("state") == "error"]
        failing = [h for h in ev.hypotheses if not h["ok"] and h.get("state") != "error"]
        if failing:   # an assumption that clearly fails decides, even beside one that could not be evaluated
            ev.status = Status.NOT_APPLICABLE
            ev.message = "hypothesis fails: " + "; ".join(f"{h['name']} ({h['detail']})" for h in failing)
            if broken:
                ev.message += "; could not be evaluated: " + "; ".join(f"{h['name']} ({h['detail']})" for h in broken)
            return
        if broken:
            ev.status = Status.ERROR
            ev.message = "hypothesis could not be evaluated: " + "; ".join(f"{h['name']} ({h['detail']})"
                                                                            for h in broken)
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
            tol = {"eq_rtol": self.eq_rtol, "eq_atol": self.eq_atol}
            j = judge_measurement(self.statement, meas, **tol)
            jm = judge_measurement(self.mutant.statement, meas, **tol) if self.mutant else None
            jc = judge_measurement(self.control.statement, meas, **tol) if self.control else None
            rec = {"status": j["status"], "precision": meas.precision, "judgement": j, "mutant": jm,
                   "control": jc, "meas": meas}
            if j["status"] == Status.INCONCLUSIVE and i + 1 < len(rungs):
                log.append(f"{lab}: |slack| = {fmt(abs(j['slack']))} within error {fmt(j['err'])}"
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
                for kind in ("mutant", "control"):
                    jv = rec.get(kind)
                    if jv is not None:
                        row[kind] = {"status": str(jv["status"]), "slack": json_number(jv["slack"]),
                                     "lhs": json_number(jv["lhs"]), "rhs": json_number(jv["rhs"]),
                                     "error_estimate": json_number(jv["err"]),
                                     "witness": self._witness(instance, rec["point"], meas, jv["index"])}
                if self.display:
                    row["display"] = _display_values(self.display, meas, j["index"])
                    # relative slack in the display form: 1 - measured/bound (0 = the bound is attained)
                    dm, db = row["display"].get("measured"), row["display"].get("bound")
                    if dm is not None and db is not None and _num(db) > 0:
                        row["rel_slack"] = json_number(1 - mpmath.mpf(dm) / mpmath.mpf(db))
                if meas.series:
                    ev.series[row["label"]] = canon_json(meas.series)
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
        _mark_duplicates(rows)
        ev.grid = rows
        statuses = [Status(r["status"]) for r in rows if not r.get("duplicate_of")]
        decisive = self._decisive(instance, rows)
        ev.status = _grid_status(instance, rows, decisive)
        d = rows[decisive]
        ev.lhs, ev.rhs, ev.slack = d.get("lhs"), d.get("rhs"), d.get("slack")
        ev.error_estimate, ev.witness = d.get("error_estimate"), d.get("witness", {})
        ev.precision = max((r["precision"] for r in rows), key=precision_dps)
        ev.knobs = d.get("knobs", [])
        if instance.asymptotic == "small" and instance.grid_param:
            ev.threshold = _threshold(instance, rows, "status")
        for kind, variant in (("mutant", self.mutant), ("control", self.control)):
            if variant is not None:
                setattr(ev, kind, self._aggregate_variant(instance, rows, kind, variant, decisive))
        ev.message = _summary_message(instance, rows, ev, statuses)

    def _aggregate_variant(self, instance, rows, kind, variant, decisive) -> dict | None:
        """The mutant's (or control's) verdict on this instance, judged on the same measurements as the
        statement and decided the same way (at the statement's deciding row for an asymptotic grid)."""
        measured = [r for r in rows if kind in r]
        if not measured:
            return None
        vrows = [{**r[kind], "point": r["point"], "param": r.get("param"), "log10_param": r.get("log10_param"),
                  "label": r["label"], "duplicate_of": r.get("duplicate_of")} for r in measured]
        if instance.asymptotic == "small" and instance.grid_param:
            # same deciding grid point as the statement: the smallest parameter value
            lab = rows[decisive]["label"]
            vd = next((i for i, r in enumerate(vrows) if r["label"] == lab), None)
            status = Status(vrows[vd]["status"]) if vd is not None else Status.INCONCLUSIVE
            if vd is None:
                vd = 0
        else:
            vd = self._decisive(instance, vrows)
            status = _grid_status(instance, vrows, vd)
        out = {"description": variant.description, "status": str(status),
               "statement_latex": _latex(variant.statement, self.latex_names),
               "slack": vrows[vd]["slack"], "error_estimate": vrows[vd]["error_estimate"],
               "lhs": vrows[vd]["lhs"], "rhs": vrows[vd]["rhs"], "witness": vrows[vd]["witness"],
               "unmeasured_points": len(rows) - len(measured)}
        if instance.asymptotic == "small" and instance.grid_param:
            out["threshold"] = _threshold(instance, vrows, "status")
        return out

    def _decisive(self, instance, rows) -> int:
        """Index of the row that decides the instance.

        Asymptotic grid ("for lambda small enough"): the row of the smallest parameter value, whatever its
        status: an unresolved smallest point makes the instance INCONCLUSIVE (the threshold stays a
        diagnostic). Otherwise the worst row (the status order of :func:`aggregate_status`), and among rows
        of that status the one of smallest slack (for HOLDS the tightest point, for VIOLATED the most
        negative; ties broken by the relative slack)."""
        if instance.asymptotic == "small" and instance.grid_param:
            return min(range(len(rows)), key=lambda i: _order_key(rows[i]))
        live = [i for i, r in enumerate(rows) if not r.get("duplicate_of")] or list(range(len(rows)))
        worst = aggregate_status([rows[i]["status"] for i in live])
        cands = [i for i in live if Status(rows[i]["status"]) == worst]
        if worst in (Status.HOLDS, Status.VIOLATED):
            # the witness is where the statement comes closest to failing (HOLDS) or fails most (VIOLATED)
            return min(cands, key=lambda i: (_num(rows[i].get("slack")), _num(rows[i].get("rel_slack"))))
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


def _mark_duplicates(rows):
    """Mark a grid row whose measurement repeats an earlier row's exactly (same lhs, rhs, slack, error and
    witness coordinates other than the grid parameter) with ``duplicate_of``: it counts once."""
    seen = {}
    for r in rows:
        if "lhs" not in r:
            continue
        wit = {k: v for k, v in (r.get("witness") or {}).items() if k not in ("point", "precision")
               and not (isinstance(v, (int, float)) and r.get("param") is not None and v == r.get("param"))}
        key = repr((r.get("lhs"), r.get("rhs"), r.get("slack"), r.get("error_estimate"),
                    sorted(wit.items(), key=lambda kv: kv[0]) if wit else None, r.get("info")))
        if key in seen:
            r["duplicate_of"] = seen[key]
        else:
            seen[key] = r["label"]


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
                out[key] = json_number(f(*[mpmath.mpf(as_list(meas.values[s.name], n)[idx]) for s in syms]))
            except Exception:
                out[key] = None
    return out


def _latex(rel, names) -> str:
    sym_names = {}
    for s in rel.free_symbols:
        if s.name in names:
            sym_names[s] = names[s.name]
    return sp.latex(rel, symbol_names=sym_names, order="old")


