"""boursier2022, the third phase (§4.2, l.711-732; Lemma 11, App. B.5) on the measured t_2, t_3: Lemma 4's time
bound and (i), (iii), (iv), Lemma 11 (iv), Lemma 12, and Lemma 3 (i) (read on the same states at t_2).

t_2, t_3 are the hitting times of Lemma 3 (ii) / Lemma 4 (ii) (sum_{S_{+-,1}} ||w_j||^2 reaching n||D_+-|| minus
lambda^{eps/5}, lambda^{eps/29}), read off the long runs (:func:`.common.phase_times`), at two tolerances.

* (i)   for j in S_{-,1}: <bold w_j^{t_3}, -D_-> >= ||D_-|| - lambda^{eps/14};
* (iii) for j in S_{+,1}: ||w_j^{t_2} - w_j^{t_3}|| <= lambda^{eps/15} (main text only; not in Lemma 11, F-16);
* (iv)  for j outside S_{+,1} ∪ S_{-,1}: ||w_j^{t_3}|| <= 3c lambda^eps.

The t_3 level is non-vacuous only if lambda^{eps/29} < ||y_-|| (catalog §1.5): on DS-A with an admissible eps
(0.02) that means lambda < 1e-340, so the fast tier uses DS-C (eps = 0.14) and a generic orthonormal instance with
||y_-|| > 1 (non-vacuous at every lambda), and the full tier adds the catalog's literal runs, DS-A at eps = 0.02,
lambda = 1e-400 and 1e-900 (catalog: t_3 = 6302.08 and 14209.03), and the generic n = 5 instance at 1e-400.

A lambda outside a lemma's regime is INCONCLUSIVE (infinite error, the reason in ``info['outside_regime']``), never a
verdict: the level of t_2 or t_3 <= 0 there (the hitting time is then the start of the window), or, for Lemma 12, the
distance the t_3 level alone forces above the bound. On a user's data (``--data``) the default lambda grid reaches 1.5
times the log10 lambda below which the t_3 level is positive, Lemma 12 can hold and Lemma 4 (i)'s bound is informative
(all from the data: :func:`.datasets.level_thresholds`); Lemma 3 (i) keeps Lemma 3's grid (t_2 level).
"""
from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (LN10, LONG_FAST_GRID, LONG_FULL_GRID, RTOL_LOOSE, RTOL_TIGHT, SETTING_EPS, core_geometry,
                     data_long_instances, distance, ds_a_params, flow_core, generic_params, hitting_time_error,
                     lam_grid_kw, limit_objects, long_instances, long_run, outside_regime, phase_setting,
                     phase_times)
from .datasets import ds_c, lemma12_floor, level_thresholds
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING_EPS, ladder=LADDER_F64,
                  share=f"{PAPER.key}.longrun")


def ds_c_params(eps=0.14):
    """DS-C (catalog §1.3): x = e_1, e_2, y = (1.7, -1), r = 1.7; corrected eps_max = 10/71 = 0.1408, so the
    Lemma 4 level n||D_-|| - lambda^{eps/29} is positive for every lambda < 1 (non-vacuous). m = 20, seed 0."""
    ds = ds_c()
    return {"dataset": "DS-C", "X": ds.X.tolist(), "y": ds.y.tolist(), "m": 20, "seed": 0, "eps": eps,
            "gamma": 0.0, "loss": "square"}


def _generic4(eps=0.025):
    """Orthonormal x_k = e_k in R^5 (n = 4), y = (2, 1.5, -1, -0.7): ||y_-|| = 1.22 > 1, so the t_3 level
    n||D_-|| - lambda^{eps/29} is positive for every lambda < 1; corrected eps_max = 0.0268; m = 30, seed 4."""
    return {"dataset": "orthonormal(n=4, d=5), y = (2, 1.5, -1, -0.7)", "X": np.eye(4, 5).tolist(),
            "y": [2.0, 1.5, -1.0, -0.7], "m": 30, "seed": 4, "eps": eps, "gamma": 0.0, "loss": "square"}


def data_instances(ds):
    """A user's dataset: the long run of :func:`.common.data_long_instances`, its default lambda grid reaching the
    lambda below which the t_3 level (hence the t_2 level) is positive, Lemma 12's bound is not below what that level
    forces and Lemma 4 (i)'s bound is informative (all computed from the data, :func:`.common.level_thresholds`)."""
    return data_long_instances(ds, levels=("t3", "l12", "l4i"))


def t2_data_instances(ds):
    """Lemma 3 (i) (read at t_2) on a user's dataset: the instance of the other parts of Lemma 3 (its grid reaches the
    lambda where the t_2 level is positive; the deeper grid of phase 3 would take its bound lambda^{eps/2} below what
    float64 resolves)."""
    return data_long_instances(ds, levels=("t2",))


def _instances(tier):
    fast = [-8, -16, -32]
    desc = "t_2, t_3 = measured hitting times (Lemmas 3 (ii), 4 (ii)); non-vacuous t_3 level at every lambda"
    out = [Instance("DS-C, eps = 0.14", ds_c_params(0.14), **lam_grid_kw(fast, desc)),
           Instance("generic orthonormal (n=4, d=5), eps = 0.025", _generic4(0.025), **lam_grid_kw(fast, desc))]
    if tier == "full":
        lit = "catalog literal mode: eps = 0.02, t_3 level non-vacuous below lambda = 1e-340"
        out += [Instance("DS-A, eps = 0.02 (literal)", ds_a_params(0.02), **lam_grid_kw([-400, -900], lit)),
                Instance("generic orthonormal (n=5, d=6), eps = 0.02 (literal)", generic_params(0.02),
                         **lam_grid_kw([-400], lit))]
    return out


# =========================================================================== Lemma 4: t_3


def _l4_time_instances(tier):
    g = LONG_FAST_GRID if tier == "fast" else LONG_FULL_GRID
    desc = ("DS-C with eps = 0.14 (admissible also for the corrected alpha, beta): the t_3 level is non-vacuous "
            "for every lambda")
    return long_instances(tier) + [Instance("DS-C, eps = 0.14", ds_c_params(0.14), **lam_grid_kw(g, desc))]


def _l4_time_measure(inst, point, precision) -> Measurement:
    core, lam10, X, y, nDp, nDm, kp, eps, lam = phase_setting(inst, point)
    P = phase_times(core, lam10, eps)
    t = P["tight"]
    if t["t3"] is None:
        raise RuntimeError("u_- never reached n||D_-|| - lambda^(eps/29) before the horizon")
    r = nDp / nDm
    return Measurement(
        values={"t_3": t["t3"], "ln_lam": mpmath.mpf(lam10) * mpmath.log(10), "eps": mpmath.mpf(eps), "Dp": nDp,
                "Dm": nDm, "r": r},
        errors={"t_3": hitting_time_error(P, "t3"), "ln_lam": "rounding", "eps": 0, "Dp": "rounding", "Dm": "rounding",
                "r": "rounding"},
        coords={"vacuous": "yes: n||D_-|| - lambda^(eps/29) <= 0, t_3 = t_{-1}" if P["vacuous3"] else "no"},
        info={"t3": t["t3"], "t_m1": P["t_m1"], "vacuous": P["vacuous3"], "delta3": P["delta3"],
              "bound": -(1 + 3 * r * eps) * lam10 * LN10 / nDm})


T3, LN_LAM, EPS_REAL, DP_REAL, DM_REAL, R_REAL = sp.symbols("t_3 ln_lam eps Dp Dm r", real=True)

claims.add(
    "lemma4.time", "Lemma 4 (t_3 <= -(1+3 r eps) ln(lambda)/||D_-||)",
    "§4.2, l.711-732 (= Lemma 11 (i), App. B.5, l.2757)", "flow-inequality", result="lemma4",
    catalog_ref="L4/L11, D8, §1.5", instances=_l4_time_instances, data_instances=data_instances,
    statement=sp.Le(T3, -(1 + 3 * R_REAL * EPS_REAL) * LN_LAM / DM_REAL),
    latex_names={"t_3": "t_3", "ln_lam": r"\ln\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|", "Dm": r"\|D_-\|",
                 "r": "r"},
    symbols_doc={"t_3": "first time >= t_{-1} with sum_{S_{-,1}} ||w_j||^2 = n||D_-|| - lambda^{eps/29} "
                        "(= t_{-1} when that level is <= 0: the vacuous regime of catalog §1.5)",
                 "ln_lam": "ln lambda", "eps": "epsilon", "Dp": "||D_+||", "Dm": "||D_-||", "r": "||D_+||/||D_-||"},
    quantifier="for lambda <= lambda*", quantifier_latex=r"t_3 \leq -(1+3r\varepsilon)\ln(\lambda)/\|D_-\|",
    measure=_l4_time_measure, provides=("Dp",),
    mutant=Mutant(sp.Le(T3, -(1 + 3 * EPS_REAL) * LN_LAM / DP_REAL),
                  "||D_+|| in place of ||D_-|| (catalog L4 mutation)"),
    display=("t_3", T3, "-(1+3 r eps) ln(lambda)/||D_-||", -(1 + 3 * R_REAL * EPS_REAL) * LN_LAM / DM_REAL),
    notes="With eps = 0.05 the level n||D_-|| - lambda^{eps/29} is <= 0 for lambda >= 1e-136 on DS-A: t_3 "
          "collapses to t_{-1} (coordinate 'vacuous' of the witness).")

# =========================================================================== the states at t_2, t_3


@lru_cache(maxsize=32)
def _phase3(core: str, lam10: float, eps: float) -> dict:
    """The Lemma 4 quantities at the measured t_2, t_3 of both tolerance runs."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    kp = limit_objects(core)
    P = phase_times(core, lam10, eps)
    plus, minus = kp["plus"], kp["minus"]
    m = len(kp["s"])
    others = [j for j in range(m) if j not in plus and j not in minus]
    out = {"vacuous": P["vacuous3"], "vacuous2": P["vacuous2"], "vacuous3": P["vacuous3"], "c": kp["c"], "plus": plus,
           "minus": minus, "others": others}
    for name, rt in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
        t2, t3 = P[name]["t2"], P[name]["t3"]
        if t2 is None or t3 is None:
            raise RuntimeError("t_2 or t_3 not reached before the horizon")
        tr = long_run(core, lam10, rt)
        s2, s3 = tr.at(t2), tr.at(t3)
        U3 = np.asarray(s3.u(), float)
        ln3 = np.asarray(s3.log_norm_w(), float)
        W2, W3 = np.asarray(s2.W(), float), np.asarray(s3.W(), float)
        a3 = np.asarray(s3.a(), float)
        U2 = np.asarray(s2.u(), float)
        h3 = np.asarray(s3.output(tr.model), float)
        Dp3 = -((h3 - y) * (y > 0)) @ X / len(y)   # D_+^t of l.975-991 at t_3
        pos_others = [j for j in range(m) if kp["s"][j] > 0 and j not in plus]
        out[name] = {"t2": t2, "t3": t3, "nsteps": tr.nsteps + len(tr.events),
                     "A2": [float(U2[j] @ dp) for j in plus], "Dp_t3": float(np.linalg.norm(Dp3)),
                     # the mutant's extra neurons (s_j = +1 outside S_{+,1}); none: the mutant is the statement
                     "A2_pos_others": min((float(U2[j] @ dp) for j in pos_others),
                                          default=min(float(U2[j] @ dp) for j in plus)),
                     "dist_star": distance(a3, W3, kp["a"], kp["W"]),
                     "dist_eq": distance(a3, W3, kp["a_eq"], kp["W_eq"]),
                     "B": [float(U3[j] @ (-dm)) for j in minus],
                     # the s_j = -1 neurons outside S_{-,1} (lemma4.i's mutant); none: the mutant is the statement
                     "B_neg_others": min((float(U3[j] @ (-dm)) for j in range(m) if kp["s"][j] < 0 and j not in minus),
                                         default=min(float(U3[j] @ (-dm)) for j in minus)),
                     "move": [float(np.linalg.norm(W2[j] - W3[j])) for j in plus],
                     "log_nw_others": [float(ln3[j]) for j in others]}
    return out


def _at_point(inst, point):
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    eps = float(inst.params["eps"])
    return core, lam10, eps, _phase3(core, lam10, eps), mpmath.power(10, mpmath.mpf(lam10))


def _info(P, eps, lam10, levels=("t3",)):
    t = P["tight"]
    off = outside_regime(P, levels)
    return {**({"outside_regime": off} if off else {}), "t2": t["t2"], "t3": t["t3"], "vacuous_t3_level": P["vacuous"],
            "S_plus": P["plus"], "S_minus": P["minus"], "eps": eps, "lambda": f"1e{lam10:g}"}


def _err(a, b, t):
    """Two tolerances + the tight tolerance accumulated over its steps and events + 4 ulp."""
    return abs(a - b) + (RTOL_TIGHT * (t["nsteps"] + 1) + 4 * np.finfo(float).eps) * abs(a)


def _listed(inst, point, key, sym, js=None, t_key=None, extra=None, levels=("t3",)):
    """Measurement of the per-neuron list ``key`` of :func:`_phase3` (both tolerances) as symbol ``sym``, with
    lambda, eps and the constant symbols of ``extra`` ({symbol: function of the geometry}). At a lambda where the
    level of a time of ``levels`` is <= 0 (:func:`.common.outside_regime`) the errors are infinite (INCONCLUSIVE)."""
    core, lam10, eps, P, lam = _at_point(inst, point)
    t, lo = P["tight"], P["loose"]
    geo = core_geometry(core)
    vals = {sym: t[key], "lam": lam, "eps": mpmath.mpf(eps)}
    errs = {sym: [_err(a, b, t) for a, b in zip(t[key], lo[key])] if isinstance(t[key], list)
            else _err(t[key], lo[key], t), "lam": 0, "eps": 0}
    if outside_regime(P, levels):
        errs[sym] = [math.inf] * len(t[key]) if isinstance(t[key], list) else math.inf
    for name, fn in (extra or {}).items():
        vals[name], errs[name] = fn(geo), "rounding"
    coords = {}
    if js is not None:
        coords["j"] = P[js]
    if t_key is not None:
        coords["t"] = t[t_key]
    return Measurement(values=vals, errors=errs, coords=coords, precision="float64", info=_info(P, eps, lam10, levels))


ALIGN_MINUS, D_MINUS, LAM, EPS, MOVE, NORM_W, C_MAX = sp.symbols("B Dm lam eps mv nw c", positive=True)
ALIGN_PLUS, D_PLUS, D_PLUS_T3 = sp.symbols("A Dp Dpt", positive=True)
ALIGN_OTHERS, ALIGN_MINUS_OTHERS = sp.symbols("A_o B_o", real=True)
NAMES = {"B": r"\langle\mathbf{w}_j^{t_3}, -D_-\rangle", "Dm": r"\|D_-\|", "lam": r"\lambda", "eps": r"\varepsilon",
         "mv": r"\|w_j^{t_2}-w_j^{t_3}\|", "nw": r"\|w_j^{t_3}\|", "c": "c"}
COMMON = dict(latex_names=NAMES, instances=_instances, result="lemma4", data_instances=data_instances)

# =========================================================================== Lemma 3 (i) at t_2


def _l3i_measure(inst, point, precision) -> Measurement:
    """Lemma 3 (i): <bold w_j^{t_2}, D_+> for j in S_{+,1}, with ||D_+||, and (mutant) the smallest
    <bold w_j^{t_2}, D_+> over the s_j = +1 neurons outside S_{+,1}."""
    m = _listed(inst, point, "A2", "A", "plus", "t2", {"Dp": lambda g: g[5]}, levels=("t2",))
    o = _listed(inst, point, "A2_pos_others", "A_o", levels=("t2",))
    m.values["A_o"], m.errors["A_o"] = o.values["A_o"], o.errors["A_o"]
    return m


claims.add(
    "lemma3.i", "Lemma 3 (i) (S_{+,1} aligned with D_+ at t_2)", "§4.2, l.655-674 (= Lemma 10 (iii))",
    "flow-inequality", catalog_ref="L3/L10 (i)", statement=sp.Ge(ALIGN_PLUS, D_PLUS - LAM ** (EPS / 2)),
    symbols_doc={"A": "<bold w_j^{t_2}, D_+> for j in S_{+,1}", "Dp": "||D_+||", "lam": "lambda", "eps": "epsilon",
                 "A_o": "smallest <bold w_j^{t_2}, D_+> over the s_j = +1 neurons outside S_{+,1} (mutant)"},
    quantifier="for all j in S_{+,1}, at the measured t_2, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{+,1}", measure=_l3i_measure, provides=("A_o",),
    mutant=Mutant(sp.Ge(sp.Min(ALIGN_PLUS, ALIGN_OTHERS), D_PLUS - LAM ** (EPS / 2)),
                  "quantifier S_{+,1} widened to every s_j = +1 neuron: those outside S_{+,1} keep a negative "
                  "coordinate on a positive label (Lemma 6) and never align with D_+"),
    display=("gap ||D_+|| - <w_j, D_+>", D_PLUS - ALIGN_PLUS, "lambda^(eps/2)", LAM ** (EPS / 2)),
    **{**COMMON, "result": "lemma3", "data_instances": t2_data_instances,
       "latex_names": {**NAMES, "A": r"\langle\mathbf{w}_j^{t_2}, D_+\rangle", "Dp": r"\|D_+\|",
                       "A_o": r"\min_{s_j=+1,\,j\notin S_{+,1}}\langle\mathbf{w}_j^{t_2}, D_+\rangle"}})

# =========================================================================== Lemma 4 (i), (iii), (iv) at t_3


def _i_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (i): <bold w_j^{t_3}, -D_-> for j in S_{-,1}, with ||D_-||, and (mutant) the smallest
    <bold w_j^{t_3}, -D_-> over the s_j = -1 neurons outside S_{-,1}."""
    m = _listed(inst, point, "B", "B", "minus", "t3", {"Dm": lambda g: g[6]})
    o = _listed(inst, point, "B_neg_others", "B_o")
    m.values["B_o"], m.errors["B_o"] = o.values["B_o"], o.errors["B_o"]
    return m


def _iii_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (iii): ||w_j^{t_2} - w_j^{t_3}|| for j in S_{+,1}."""
    return _listed(inst, point, "move", "mv", "plus", levels=("t2", "t3"))


def _iv_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (iv): ||w_j^{t_3}|| off S_{+,1} ∪ S_{-,1} (from ln||w_j||, exact far below float64), with c."""
    core, lam10, eps, P, lam = _at_point(inst, point)
    t, lo = P["tight"], P["loose"]
    if not P["others"]:
        raise ValueError("every neuron is in S_{+,1} ∪ S_{-,1}")
    v = [mpmath.exp(mpmath.mpf(a)) for a in t["log_nw_others"]]
    e = [x * (abs(a - b) + RTOL_TIGHT * (t["nsteps"] + 1) + 8 * np.finfo(float).eps * abs(a))
         for x, a, b in zip(v, t["log_nw_others"], lo["log_nw_others"])]
    if outside_regime(P, ("t3",)):
        e = [math.inf] * len(e)
    return Measurement(values={"nw": v, "c": P["c"], "lam": lam, "eps": mpmath.mpf(eps)},
                       errors={"nw": e, "c": "rounding", "lam": 0, "eps": 0}, coords={"j": P["others"]},
                       precision="float64", info=_info(P, eps, lam10))


claims.add(
    "lemma4.i", "Lemma 4 (i) (S_{-,1} aligned with -D_- at t_3)", "§4.2, l.711-732 (= Lemma 11 (iii))",
    "flow-inequality", catalog_ref="L4/L11 (i)", statement=sp.Ge(ALIGN_MINUS, D_MINUS - LAM ** (EPS / 14)),
    symbols_doc={"B": "<bold w_j^{t_3}, -D_-> for j in S_{-,1}", "Dm": "||D_-||", "lam": "lambda", "eps": "epsilon",
                 "B_o": "smallest <bold w_j^{t_3}, -D_-> over the s_j = -1 neurons outside S_{-,1} (mutant)"},
    quantifier="for all j in S_{-,1}, at the measured t_3, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{-,1}", measure=_i_measure, provides=("B_o",),
    mutant=Mutant(sp.Ge(sp.Min(ALIGN_MINUS, ALIGN_MINUS_OTHERS), D_MINUS - LAM ** (EPS / 14)),
                  "quantifier S_{-,1} widened to every s_j = -1 neuron: those outside S_{-,1} keep a negative "
                  "coordinate on a negative label (Lemma 6) and never align with -D_-"),
    display=("gap ||D_-|| - <w_j, -D_->", D_MINUS - ALIGN_MINUS, "lambda^(eps/14)", LAM ** (EPS / 14)),
    **{**COMMON, "latex_names": {**NAMES,
                                 "B_o": r"\min_{s_j=-1,\,j\notin S_{-,1}}\langle\mathbf{w}_j^{t_3}, -D_-\rangle"}})

claims.add(
    "lemma4.iii", "Lemma 4 (iii) (S_{+,1} neurons barely move in phase 3)", "§4.2, l.711-732 (main text only; F-16)",
    "flow-inequality", catalog_ref="L4 (iii), F-16, IC-10", statement=sp.Le(MOVE, LAM ** (EPS / 15)),
    symbols_doc={"mv": "||w_j^{t_2} - w_j^{t_3}|| for j in S_{+,1}", "lam": "lambda", "eps": "epsilon"},
    quantifier="for all j in S_{+,1}, for lambda <= lambda*", quantifier_latex=r"\forall j\in S_{+,1}",
    measure=_iii_measure,
    mutant=Mutant(sp.Le(MOVE, LAM ** EPS),
                  "lambda^eps (exponent 15x larger): the S_{+,1} neurons do move by O(lambda^{small})"),
    display=("max ||w^{t_2} - w^{t_3}||", MOVE, "lambda^(eps/15)", LAM ** (EPS / 15)),
    **COMMON)

claims.add(
    "lemma4.iv", "Lemma 4 (iv) (other neurons stay small at t_3)", "§4.2, l.711-732 (= Lemma 11 (ii))",
    "flow-inequality", catalog_ref="L4/L11 (iv)", statement=sp.Le(NORM_W, 3 * C_MAX * LAM ** EPS),
    symbols_doc={"nw": "||w_j^{t_3}||, j outside S_{+,1} ∪ S_{-,1}", "c": "max_j ||g_j||", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j outside S_{+,1} ∪ S_{-,1}, for lambda <= lambda*",
    quantifier_latex=r"\forall j\notin S_{+,1}\cup S_{-,1}", measure=_iv_measure,
    mutant=Mutant(sp.Le(NORM_W, 3 * C_MAX * LAM ** 1), "3c lambda (no growth at all): the partial neurons do grow"),
    display=("max others ||w^{t_3}||", NORM_W, "3c lambda^eps", 3 * C_MAX * LAM ** EPS),
    **COMMON)

# =========================================================================== Lemma 11 (iv), Lemma 12


def _l11iv_measure(inst, point, precision) -> Measurement:
    """Lemma 11 (iv): ||D_+^{t_3}||, D_+^t = -(1/n) sum_{y_k > 0} (h(x_k) - y_k) x_k (l.975-991)."""
    return _listed(inst, point, "Dp_t3", "Dpt")


claims.add(
    "lemma11.iv", "Lemma 11 (iv) (||D_+^{t_3}|| < lambda^{eps/14})",
    "App. B.5, l.2757-2772 (not in the main-text Lemma 4, F-16)", "flow-inequality", catalog_ref="L4/L11 (iv), F-16",
    statement=sp.Lt(D_PLUS_T3, LAM ** (EPS / 14)),
    symbols_doc={"Dpt": "||D_+^{t_3}||, the positive-label residual correlation at t_3", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="at the measured t_3, for lambda <= lambda*",
    quantifier_latex=r"\|D_+^{t_3}\| < \lambda^{\varepsilon/14}",
    measure=_l11iv_measure,
    mutant=Mutant(sp.Ge(D_PLUS_T3, LAM ** (EPS / 14) / 2),
                  "reversed: the positive labels are not yet fitted at t_3 (||D_+^{t_3}|| >= lambda^{eps/14}/2)"),
    display=("||D_+^{t_3}||", D_PLUS_T3, "lambda^(eps/14)", LAM ** (EPS / 14)),
    **{**COMMON, "latex_names": {**NAMES, "Dpt": r"\|D_+^{t_3}\|"}})


def _l12_measure(inst, point, precision) -> Measurement:
    """Lemma 12: ||theta^{t_3} - theta*|| with theta* the lambda-free DC-2 interpolator (kappa-weighted), and the
    distance to the equal-split min-norm interpolator (mutant)."""
    m = _listed(inst, point, "dist_star", "dist")
    m2 = _listed(inst, point, "dist_eq", "dist_eq")
    m.values["dist_eq"], m.errors["dist_eq"] = m2.values["dist_eq"], m2.errors["dist_eq"]
    m.errors["dist"] += limit_objects(flow_core(inst.params))["theta_star_err"]   # theta* at two tolerances
    # outside the lemma's regime: the definition of t_3 alone forces a distance above the bound at this lambda
    core, lam10, eps, P, lam = _at_point(inst, point)
    ym = float(np.linalg.norm(np.minimum(core_geometry(core)[2], 0.0)))
    if P["vacuous"]:  # the t_3 level is <= 0: already outside the regime (:func:`_listed`)
        return m
    floor, bound = lemma12_floor(ym, 10.0 ** (lam10 * eps / 29)), 10.0 ** (lam10 * eps / 31)
    m.info["forced_distance"] = floor
    if floor > bound:
        m.errors["dist"] = math.inf
        l12 = level_thresholds(core_geometry(core)[2], eps)["l12"]
        m.info["outside_regime"] = (f"the t_3 level forces ||theta^{{t_3}} - theta*|| >= {floor:.4g} > "
                                    f"lambda^(eps/31) = {bound:.4g} (lemma12_floor): the lemma can hold only below "
                                    f"lambda = 10^{l12:.4g}")
    return m


DIST, DIST_EQ = sp.symbols("dist dist_eq", positive=True)

claims.add(
    "lemma12", "Lemma 12 (||theta^{t_3} - theta*|| <= lambda^{eps/31})", "App. B.6, l.3568-3573", "flow-inequality",
    catalog_ref="L12 (b)", statement=sp.Le(DIST, LAM ** (EPS / 31)),
    symbols_doc={"dist": "||theta^{t_3} - theta*||, theta* = DC-2 (lambda-independent, in argmin ||theta||^2)",
                 "dist_eq": "distance to the equal-split min-norm interpolator", "lam": "lambda", "eps": "epsilon"},
    quantifier="at the measured t_3, for lambda <= lambda*",
    quantifier_latex=r"\|\theta^{t_3}-\theta^*\| \le \lambda^{\varepsilon/31}",
    measure=_l12_measure, provides=("dist_eq",),
    mutant=Mutant(sp.Le(DIST_EQ, LAM ** (EPS / 31)),
                  "the equal-split interpolator in place of theta* (also a min-norm interpolator, ignores kappa; "
                  "catalog L12 mutation)"),
    display=("||theta^{t_3} - theta*||", DIST, "lambda^(eps/31)", LAM ** (EPS / 31)),
    **{**COMMON, "result": "lemma12"},
    notes="Literal bound: on DS-A with eps = 0.02 only non-vacuous below 1e-850 (catalog: 0.2486 <= 0.2626 at "
          "1e-900, full tier); the fast tier uses instances whose t_3 level is non-vacuous at every lambda. A lambda "
          "where the definition of t_3 alone forces ||theta^{t_3} - theta*|| >= sqrt 2 (||y_-||^{1/2} - (||y_-|| - "
          "lambda^{eps/29})^{1/2}) > lambda^{eps/31} is outside the lemma's regime: INCONCLUSIVE there, with the "
          "lambda below which the lemma can hold in info (DS-C: 1e-15.6, so its 1e-8 point), never a violation. On a "
          "user's data the default lambda grid reaches 1.5 times that log10 lambda.")
