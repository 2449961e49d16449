"""boursier2022, the second phase and the saddle (§4.2, l.655-697): Lemma 3's time bound and (iii) (= Lemma 10 (i),
(ii)), finding F-1 (Lemma 10 (ii) under the printed alpha, beta) and Fact 1 (the trajectory passes the saddle
theta_S, catalog DC-7), measured on the long flows (:func:`.common.long_run`) at the hitting time t_2 of
Lemma 3 (ii) (:func:`.common.phase_times`).
"""
from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.geometry import D_plus_minus
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (LN10, RTOL_LOOSE, RTOL_TIGHT, SETTING_EPS, cartesian, core_geometry, data_long_instances, distance,
                     ds_a_params, eps_admissible, flow_core, hitting_time_error, lam_grid_kw, limit_objects,
                     long_instances, long_run, outside_regime, phase_setting, phase_times)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING_EPS, ladder=LADDER_F64,
                  share=f"{PAPER.key}.longrun")


def data_instances(ds):
    """A user's dataset: the long run of :func:`.common.data_long_instances`, its default lambda grid reaching the
    lambda below which the t_2 level is positive (computed from the data)."""
    return data_long_instances(ds, levels=("t2",))



def _power10(x):
    return mpmath.mpf(10) ** mpmath.mpf(x)


T2, LN_LAM, EPS, D_PLUS, D_MINUS = sp.symbols("t_2 ln_lam eps Dp Dm", real=True)
NORM_OTHERS, C_MAX, RATE_C = sp.symbols("nw_others c rate_c", positive=True)
LAM = sp.Symbol("lam", positive=True)
PHASE_NAMES = {"t_2": "t_2", "t_3": "t_3", "ln_lam": r"\ln\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|",
               "Dm": r"\|D_-\|", "r": "r", "nw_others": r"\max_{j\notin S_{+,1}}\|w_j^{t_2}\|", "c": "c",
               "lam": r"\lambda", "rate_c": r"\rho_c"}

# =========================================================================== Lemma 3: t_2 and the other neurons at t_2


def _l3_time_measure(inst, point, precision) -> Measurement:
    core, lam10, X, y, nDp, nDm, kp, eps, lam = phase_setting(inst, point)
    P = phase_times(core, lam10, eps)
    if P["tight"]["t2"] is None:
        raise RuntimeError("u_+ never reached n||D_+|| - lambda^(eps/5) before the horizon")
    t = P["tight"]
    off = outside_regime(P, ("t2",))
    return Measurement(
        values={"t_2": t["t2"], "ln_lam": mpmath.mpf(lam10) * mpmath.log(10), "eps": mpmath.mpf(eps), "Dp": nDp,
                "Dm": nDm},
        errors={"t_2": math.inf if off else hitting_time_error(P, "t2"), "ln_lam": "rounding", "eps": 0,
                "Dp": "rounding", "Dm": "rounding"},
        coords={"threshold u_+": f"n||D_+|| - lambda^(eps/5) = {kp['yp'] - P['delta2']:.6g}"},
        info={"t2": t["t2"], "bound": -(1 + 3 * eps) * lam10 * LN10 / nDp, "sharp_DC4": (1 + eps / 10) * (-lam10 * LN10)
              / nDp, "hit_1e-2_plus": t["hit_1e-2_plus"], "pred_DC4_1e-2_plus": t["pred_1e-2_plus"],
              "hit_1e-2_minus": t["hit_1e-2_minus"], "pred_DC4_1e-2_minus": t["pred_1e-2_minus"],
              "delta2": P["delta2"], **({"outside_regime": off} if off else {})})


claims.add(
    "lemma3.time", "Lemma 3 (t_2 <= -(1+3 eps) ln(lambda)/||D_+||)",
    "§4.2, l.655-674 (= Lemma 10 (i), App. B.4, l.1929)", "flow-inequality", result="lemma3",
    catalog_ref="L3/L10, DC-4", instances=long_instances, data_instances=data_instances,
    statement=sp.Le(T2, -(1 + 3 * EPS) * LN_LAM / D_PLUS), latex_names=PHASE_NAMES,
    symbols_doc={"t_2": "first time sum_{S_{+,1}} ||w_j||^2 = n||D_+|| - lambda^{eps/5} (Lemma 3 (ii))",
                 "ln_lam": "ln lambda", "eps": "epsilon", "Dp": "||D_+||", "Dm": "||D_-||"},
    quantifier="for lambda <= lambda*", quantifier_latex=r"t_2 \leq -(1+3\varepsilon)\ln(\lambda)/\|D_+\|",
    measure=_l3_time_measure, provides=("Dm",),
    mutant=Mutant(sp.Le(T2, -(1 - 3 * EPS) * LN_LAM / D_PLUS),
                  "(1 - 3 eps) instead of (1 + 3 eps) (catalog L3 mutation a)"),
    display=("t_2", T2, "-(1+3 eps) ln(lambda)/||D_+||", -(1 + 3 * EPS) * LN_LAM / D_PLUS),
    notes="t_2 read as the u_+ hitting time of Lemma 3 (ii); info gives DC-4's sharp prediction "
          "(1 + eps/10) ln(1/lambda)/||D_+|| and the delta = 1e-2 hitting times vs DC-4.")


def corrected_growth_rate(X, y) -> tuple[float, float]:
    """(alpha_c, rate_c): catalog F-1's corrected alpha = min_{y_k > 0} y_k^2/(2 n^2 ||D_+||^2) and the growth rate
    bound of the neurons outside S_{+,1} it gives, max((1 - alpha_c)||D_+||, ||D_-||): a partial s = +1 neuron
    active on a proper subset P of the positive labels grows at most at ||y_P||/n <= (1 - alpha_c)||D_+||
    (sqrt(1 - x) <= 1 - x/2), a s = -1 neuron at most at ||D_-||."""
    dp, dm = D_plus_minus(X, y)
    nDp, nDm = float(np.linalg.norm(dp)), float(np.linalg.norm(dm))
    alpha = float(np.min(y[y > 0] ** 2)) / (2 * len(y) ** 2 * nDp ** 2)
    return alpha, max((1 - alpha) * nDp, nDm)


def _l3_others_measure(inst, point, precision) -> Measurement:
    core, lam10, X, y, nDp, nDm, kp, eps, lam = phase_setting(inst, point)
    P = phase_times(core, lam10, eps)
    t, lo = P["tight"], P["loose"]
    ln = t["log_nw_others_t2"]
    v = mpmath.exp(mpmath.mpf(ln))
    e = v * (abs(ln - lo["log_nw_others_t2"]) + RTOL_TIGHT * (t["nsteps"] + 1) + 8 * np.finfo(float).eps * abs(ln))
    alpha_c, rate_c = corrected_growth_rate(X, y)
    off = outside_regime(P, ("t2",))
    return Measurement(
        values={"nw_others": v, "c": kp["c"], "lam": _power10(lam10), "eps": mpmath.mpf(eps), "t_2": t["t2"],
                "rate_c": rate_c},
        errors={"nw_others": math.inf if off else e, "c": "rounding", "lam": 0, "eps": 0,
                "t_2": math.inf if off else hitting_time_error(P, "t2"), "rate_c": "rounding"},
        coords={"j": t["j_others_t2"], "t_2": t["t2"]},
        info={**({"outside_regime": off} if off else {}),
              "t2": t["t2"], "eps_admissible (printed, corrected)": list(eps_admissible(X, y, eps)),
              "alpha_corrected": alpha_c, "rate_corrected": rate_c,
              "alpha_printed": float(np.min(y[y > 0] ** 2)) / (2 * nDp ** 2)})


LEMMA3_III_DOC = {"nw_others": "max_{j not in S_{+,1}} ||w_j^{t_2}||", "c": "max_j ||g_j||", "lam": "lambda",
                  "eps": "epsilon"}
LEMMA3_III_QUANTIFIER = "for all j not in S_{+,1}, at t_2, for lambda <= lambda*"
LEMMA3_III_QUANTIFIER_LATEX = r"\forall j\notin S_{+,1}:\ \|w_j^{t_2}\| \leq 2c\lambda^{\varepsilon}"

claims.add(
    "lemma3.iii", "Lemma 3 (iii) (||w_j^{t_2}|| <= 2c lambda^eps, j not in S_{+,1})",
    "§4.2, l.655-674 (= Lemma 10 (ii), App. B.4)", "flow-inequality", result="lemma3",
    catalog_ref="L3/L10 (iii)", instances=long_instances, data_instances=data_instances,
    statement=sp.Le(NORM_OTHERS, 2 * C_MAX * LAM ** EPS), latex_names=PHASE_NAMES, symbols_doc=LEMMA3_III_DOC,
    quantifier=LEMMA3_III_QUANTIFIER, quantifier_latex=LEMMA3_III_QUANTIFIER_LATEX,
    measure=_l3_others_measure,
    mutant=Mutant(sp.Le(NORM_OTHERS, 2 * C_MAX * LAM ** (5 * EPS)),
                  "2c lambda^(5 eps): the partial neurons are larger"),
    display=("max others ||w_j^{t_2}||", NORM_OTHERS, "2c lambda^eps", 2 * C_MAX * LAM ** EPS))


def _f1_witness_instances(tier):
    g = [-16, -32, -64]
    desc = ("eps = 0.19: admissible under the PRINTED alpha, beta (eps_max = 1/5), not under the corrected ones "
            "(9/422); catalog F-1 witness")
    # contrast: the generic instance at eps = 0.05 (same measurement, the partial neurons stay below the bound)
    return [Instance("DS-A, eps = 0.19 (printed-alpha admissible)", ds_a_params(0.19), **lam_grid_kw(g, desc)),
            long_instances(tier)[1]]


claims.add(
    "finding.F1", "Finding F-1: Lemma 10 (ii) under the printed alpha, beta",
    "App. B.2, l.1023-1038 (alpha, beta), Lemma 10 (ii)", "flow-inequality", result="lemma3",
    catalog_ref="F-1, L3 mutation (c)", instances=_f1_witness_instances,
    statement=sp.Le(NORM_OTHERS, 2 * C_MAX * LAM ** EPS), latex_names=PHASE_NAMES, symbols_doc=LEMMA3_III_DOC,
    quantifier=LEMMA3_III_QUANTIFIER, quantifier_latex=LEMMA3_III_QUANTIFIER_LATEX,
    measure=_l3_others_measure,
    mutant=Mutant(sp.Le(NORM_OTHERS, C_MAX * LAM ** EPS), "c lambda^eps (constant 1 instead of 2)"),
    provides=("t_2", "rate_c"),
    control=Mutant(sp.Le(NORM_OTHERS, C_MAX * LAM * sp.exp(RATE_C * T2)),
                   "the growth step of Lemma 10 (ii) with the corrected alpha = min y_k^2/(2 n^2 ||D_+||^2) (catalog "
                   "F-1): ||w_j^{t_2}|| <= c lambda e^{max((1 - alpha)||D_+||, ||D_-||) t_2} for j not in S_{+,1}; "
                   "at eps = 0.19 it no longer yields 2c lambda^eps (eps is not admissible)"),
    display=("max others ||w_j^{t_2}||", NORM_OTHERS, "2c lambda^eps", 2 * C_MAX * LAM ** EPS),
    tags=("finding",),
    notes="The printed alpha = min y_k^2/(2||D_+||^2) lacks a factor n^2: it admits eps up to 1/5 on DS-A. At "
          "eps = 0.19 a partial s = +1 neuron (active on x_1 only) grows at rate y_1/n = 0.25 and exceeds "
          "2c lambda^eps at t_2: the hypothesis 'eps admissible' (printed) holds and the conclusion fails.")

# =========================================================================== Fact 1 (saddle)


@lru_cache(maxsize=32)
def _fact1(core, lam10, eps):
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    kp = limit_objects(core)
    ln_lam = lam10 * LN10
    ta, tb = -(1 + 3 * eps) * ln_lam / nDp, -(1 - eps) * ln_lam / nDm
    times = np.linspace(ta, tb, 25)
    out = {"window": (ta, tb)}
    for name, rt in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
        tr = long_run(core, lam10, rt)
        dS, d0 = [], []
        for tt in times:
            a, W = cartesian(tr.at(tt))
            dS.append(distance(a, W, kp["a_S"], kp["W_S"]))
            d0.append(math.sqrt(float(np.sum(a * a) + np.sum(W * W))))
        i = int(np.argmax(dS))
        out[name] = {"sup": dS[i], "t": float(times[i]), "sup0": min(d0), "curve": dS, "nsteps": tr.nsteps,
                     "events": len(tr.events), "max_norm": max(d0),
                     "loss_mid": float(tr.at(0.5 * (ta + tb)).loss(tr.model))}
    out["times"] = times.tolist()
    return out


def _fact1_measure(inst, point, precision) -> Measurement:
    core = flow_core(inst.params)
    lam10, eps = float(point["lam10"]), float(inst.params["eps"])
    F = _fact1(core, lam10, eps)
    t, lo = F["tight"], F["loose"]
    kp = limit_objects(core)
    # two tolerances + the tight tolerance accumulated over its steps and events, relative to the largest ||theta||
    floor = RTOL_TIGHT * (t["nsteps"] + t["events"] + 1) * t["max_norm"]
    _, y = inst.arrays()
    return Measurement(
        values={"dist_S": t["sup"], "dist_0": t["sup0"], "lam": _power10(lam10), "eps": mpmath.mpf(eps)},
        errors={"dist_S": abs(t["sup"] - lo["sup"]) + floor + kp["theta_star_err"],
                "dist_0": abs(t["sup0"] - lo["sup0"]) + floor, "lam": 0,
                "eps": 0},
        coords={"t": t["t"]},
        info={"window": list(F["window"]), "loss_at_window_middle": t["loss_mid"],
              "plateau ||y_-||^2/(2n)": float(kp["ym"] ** 2 / (2 * len(y)))},
        series={"distance": {"x": F["times"], "y": {"||theta^t - theta_S||": t["curve"]}, "xlabel": "t",
                             "ylabel": "distance to the saddle", "logy": True,
                             "hline": {"lambda^(eps/5)": float(_power10(lam10 * eps / 5))}}})


DIST_SADDLE, DIST_ZERO = sp.symbols("dist_S dist_0", positive=True)

claims.add(
    "fact1", "Fact 1 (||theta^t - theta_S|| <= lambda^{eps/5} on the saddle window)",
    "§4.2, l.681-697 (no proof in the paper)", "flow-inequality", result="fact1", catalog_ref="F1, DC-7",
    instances=long_instances, data_instances=data_instances,
    statement=sp.Le(DIST_SADDLE, LAM ** (EPS / 5)),
    latex_names={"dist_S": r"\sup_t\|\theta^t-\theta_S\|", "dist_0": r"\inf_t\|\theta^t\|", "lam": r"\lambda",
                 "eps": r"\varepsilon"},
    symbols_doc={"dist_S": "sup over the window of ||theta^t - theta_S||, theta_S = theta* without S_{-,1} (DC-7)",
                 "dist_0": "inf over the window of ||theta^t|| (distance to the saddle 0)", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all t in [-(1+3eps) ln(lambda)/||D_+||, -(1-eps) ln(lambda)/||D_-||], lambda <= lambda*",
    quantifier_latex=r"\forall t\in[-(1+3\varepsilon)\frac{\ln\lambda}{\|D_+\|}, "
                     r"-(1-\varepsilon)\frac{\ln\lambda}{\|D_-\|}]",
    measure=_fact1_measure, provides=("dist_0",),
    mutant=Mutant(sp.Le(DIST_ZERO, LAM ** (EPS / 5)),
                  "theta_S := 0 (the first saddle instead of the intermediate one)"),
    display=("sup ||theta^t - theta_S||", DIST_SADDLE, "lambda^(eps/5)", LAM ** (EPS / 5)),
    notes="theta_S is lambda-independent (built from the kappa ratios), so the check is not trivial.")
