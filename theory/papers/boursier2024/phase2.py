"""boursier2024, phase 2 of the convergence proof (§4.1.2, App. F.2-F.3): Lemma 5 at tau_2 (phase 2a) and
Lemmas 6, 16, 17, 18 on [tau_2, tau_3] (phase 2b), on the shared flow runs (:func:`common.run`,
:func:`common.phases`), in their general versions (App. F, l.1324: under Assumptions 4 and 5)."""
from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import sympy as sp

from numerics.geometry import cone_constants, null_space
from theory.claims import LADDER_F64, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (EPSILON_2, EPSILON_3, FLOW_SHARE, LEMMA56_SETTING, LN10, RTOL_LOOSE, RTOL_TIGHT,
                     data_flow_instances, eps_of, flow_instances, invariant_errors, lambda_at, phases, run, run_key,
                     window_states)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=LEMMA56_SETTING, share=FLOW_SHARE,
                  instances=flow_instances, data_instances=data_flow_instances)
LAMBDA, EPSILON_SYMBOL = sp.symbols("lam eps", positive=True)

# =========================================================================== Lemma 5 (phase 2a)


def _misalignment(R, ph, I):
    """max_{i,j in I} 1 - <w_i/a_i, w_j/a_j> at tau_2, computed stably (catalog E20):
    1/2||w_i - w_j||^2 + 1/2(1 - ||w_i||^2) + 1/2(1 - ||w_j||^2), with 1 - ||bold w_i||^2 = B_i/(a_i)^2 exactly
    by Lemma 1 (B_i = a_i^0^2 - ||w_i^0||^2)."""
    a = np.asarray(ph["tau2_a"])[I]
    W = np.asarray(ph["tau2_W"])[I]
    B0 = R["a0"][I] ** 2 - np.sum(R["W0"][I] ** 2, axis=1)
    bw = W / a[:, None]
    oneminus = B0 / a ** 2
    worst = 0.0
    for i in range(len(I)):
        for j in range(i + 1, len(I)):
            v = 0.5 * float(np.sum((bw[i] - bw[j]) ** 2)) + 0.5 * oneminus[i] + 0.5 * oneminus[j]
            worst = max(worst, v)
    return worst


def _lemma5_values(inst, point, rtol):
    """Lemma 5's quantities from the runs at one tolerance (see :func:`_lemma5_measure`)."""
    core = run_key(inst.params)
    lam10 = float(point["lam10"])
    R, ph = run(core, lam10, rtol), phases(core, lam10, rtol)
    X = R["X"]
    I, N = ph["I"], ph["N"]
    a2, W2 = np.asarray(ph["tau2_a"]), np.asarray(ph["tau2_W"])
    bw = W2[I] / a2[I, None]
    RN = a2[N] / R["a0"][N]
    grid = sorted(inst.params.get("slope_grid", inst.params["grid"]), reverse=True)  # largest lambda first
    pos = grid.index(lam10)
    other = grid[pos + 1] if pos + 1 < len(grid) else grid[pos - 1]
    R2, ph2 = run(core, other, rtol), phases(core, other, rtol)
    mis1, mis2 = _misalignment(R, ph, I), _misalignment(R2, ph2, I)
    return {"mincos2": float(np.min((bw @ X.T) / np.linalg.norm(X, axis=1))), "RN": RN,
            "slope_mis": (math.log10(mis1) - math.log10(mis2)) / (lam10 - other),
            "slope_tau2": (ph["tau2"] - ph2["tau2"]) / (-(lam10 - other) * LN10),
            "info": {"tau2": ph["tau2"], "tau": ph["tau"], "misalignment": mis1, "misalignment_other": mis2,
                     "other_lam10": other, "tau2_other": ph2["tau2"]}}


def _lemma5_measure(inst, point, precision) -> Measurement:
    """Lemma 5 at tau_2 (eps_2 = 0.05): min_{i in I, k} <bold w_i, x_k>/||x_k|| (part 2, bold w = w/a: F6),
    max_{i in N} a_i^{tau_2}/a_i^0 (part 4), the pairwise misalignment (part 3) and its local slope in lambda,
    the slope of tau_2 against ln(1/lambda) (Eq. (42)), both from the neighbouring grid value lambda 1e-3
    (smaller; larger for the smallest grid value). Error estimates: |tight - loose| (every run and tau_2 at both
    tolerances) + 4 ulp (a ratio a^{tau_2}/a^0 of a neuron that never moved is exactly 1); ||D*|| a closed form
    ('rounding'); D_max from rotated copies of the data; eps exact."""
    v, vl = _lemma5_values(inst, point, RTOL_TIGHT), _lemma5_values(inst, point, RTOL_LOOSE)
    X, y = inst.arrays()
    ulp = 4 * np.finfo(float).eps
    iN = int(np.argmax(v["RN"]))
    RN, RNl = float(v["RN"][iN]), float(vl["RN"][iN])
    dv, de = invariant_errors(lambda X_, y_: {"D_max": cone_constants(X_, y_).D_max}, X, y)
    Ds = np.linalg.norm((y @ X) / len(y))
    lam10 = float(point["lam10"])
    return Measurement(values={"mincos2": v["mincos2"], "RN2": RN, "slope_mis": v["slope_mis"],
                               "slope_tau2": v["slope_tau2"], "nDs": float(Ds), "D_max": dv["D_max"],
                               "eps": mpmath.mpf(eps_of(inst.params))},
                       errors={k: abs(v[k] - vl[k]) + ulp * abs(v[k]) for k in ("mincos2", "slope_mis", "slope_tau2")}
                       | {"RN2": abs(RN - RNl) + (ulp * RN if RN != 1.0 else 0.0), "nDs": "rounding",
                          "D_max": de["D_max"]},
                       exact=("eps",),
                       info={**v["info"], "tau2_times_nDs_over_ln": v["info"]["tau2"] * float(Ds) / (-lam10 * LN10)})


(MIN_COS_TAU2, RATIO_N_TAU2, MISALIGNMENT_SLOPE, TAU2_SLOPE, NORM_D_STAR,
 D_MAX) = sp.symbols("mincos2 RN2 slope_mis slope_tau2 nDs D_max", real=True)
LEMMA5_FIELDS = dict(
    latex_names={"mincos2": r"\min_{i\in\mathcal{I},k}\langle\mathbf{w}_i^{\tau_2},\hat x_k\rangle",
                 "RN2": r"\max_{i\in\mathcal{N}}a_i^{\tau_2}/a_i^0",
                 "slope_mis": r"\frac{d\log(1-\langle\mathbf{w}_i,\mathbf{w}_j\rangle)}{d\log\lambda}",
                 "slope_tau2": r"\frac{d\tau_2}{d\ln(1/\lambda)}", "nDs": r"\|D^*\|", "D_max": r"D_{\max}",
                 "eps": r"\varepsilon"},
    symbols_doc={"mincos2": "min over I, k of <w_i/a_i, x_k>/||x_k|| at tau_2",
                 "RN2": "max over N of a_i^{tau_2}/a_i^0",
                 "slope_mis": "local slope of log max pairwise misalignment vs log lambda",
                 "slope_tau2": "local slope of tau_2 vs ln(1/lambda)", "nDs": "||D*||", "D_max": "D_max",
                 "eps": "1/4"},
    provides=("mincos2", "RN2", "slope_mis", "slope_tau2", "nDs", "D_max", "eps"), measure=_lemma5_measure,
    result="lemma5")
claims.add(
    "lemma5.ii", "Lemma 5 (2): <bold w_i^{tau_2}, x_k> = Omega(1) (i in I)", "§4.1.2, l.298-303", "flow-inequality",
    catalog_ref="E20, F6", statement=sp.Gt(MIN_COS_TAU2, 0),
    mutant=Mutant(sp.Ge(MIN_COS_TAU2, sp.Rational(9, 10)), "min cos >= 0.9"), quantifier="for all i in I, k",
    **LEMMA5_FIELDS,
    notes="Printed with w_i (not bold w_i = w_i/a_i): individual ||w_i|| ~ sqrt(eps_2/m) cannot be Omega(1) "
          "uniformly in m (F6).")
claims.add(
    "lemma5.iii", "Lemma 5 (3): 1 - <bold w_i, bold w_j> = O(lambda^{1-eps}) at tau_2", "§4.1.2, l.298-303",
    "asymptotic", catalog_ref="E20, F4", statement=sp.Ge(MISALIGNMENT_SLOPE, 1 - EPSILON_SYMBOL),
    mutant=Mutant(sp.Ge(MISALIGNMENT_SLOPE, sp.Rational(5, 2)), "misalignment exponent >= 2.5"),
    quantifier="for all i, j in I (local slope in lambda)", **LEMMA5_FIELDS,
    notes="Measured exponent ~2 (catalog 1.996) vs the stated 1 - eps = 0.75 (F4).")
claims.add(
    "lemma5.iv", "Lemma 5 (4): a_i^0 <= a_i^{tau_2} <= 0 (i in N)", "§4.1.2, l.298-303", "flow-inequality",
    catalog_ref="E20", statement=sp.Le(RATIO_N_TAU2, 1),
    mutant=Mutant(sp.Le(RATIO_N_TAU2, sp.Rational(1, 2)), "every negative neuron at least halves by tau_2"),
    quantifier="for all i in N", **LEMMA5_FIELDS)
claims.add(
    "lemma5.tau2", "Lemma 5, Eq. (42): tau_2 - tau >= ((1 - 2 eps)/||D*||) ln(1/lambda) - O(1)",
    "App. F.2, l.1380-1400", "asymptotic", catalog_ref="E20",
    statement=sp.Ge(TAU2_SLOPE - EPSILON_SYMBOL / D_MAX, (1 - 2 * EPSILON_SYMBOL) / NORM_D_STAR),
    mutant=Mutant(sp.Ge(TAU2_SLOPE, sp.Rational(6, 5) / NORM_D_STAR),
                  "tau_2 >= 1.2 ln(1/lambda)/||D*|| (catalog E20 mutation)"),
    quantifier="slope in ln(1/lambda)", **LEMMA5_FIELDS,
    notes="The measured slope of tau_2 is 1/||D*|| (catalog 1.37522 vs 1/||D*|| = 1.37516 on DS-G).")

# =========================================================================== Lemma 6 / 16 / 17 / 18 (phase 2b)


def _phase2b(inst, point, rtol=RTOL_TIGHT):
    core = run_key(inst.params)
    R, ph = run(core, float(point["lam10"]), rtol), phases(core, float(point["lam10"]), rtol)
    X = R["X"]
    I, N = ph["I"], ph["N"]
    tt, a, W, _ = window_states(R, ph["tau2"], ph["tau3"])
    return R, ph, X, I, N, a, W, tt


def _alpha_eq49(X) -> float:
    """alpha of Eq. (49): inf over unit w with <w, x_k> >= 0 of (1/n) sum <w, x_k>; attained at an extreme ray of the
    dual cone {w : <w, x_k> >= 0} (a linear function >= 0 on a pointed cone: its minimum on the unit sphere is at an
    extreme ray). 2-D: the unit normals of the x_k that lie in it; d > 2: the unit null vectors of the families of
    d - 1 inputs that lie in it."""
    if X.shape[1] != 2:
        cands = []
        for sub in itertools.combinations(range(len(X)), X.shape[1] - 1):
            ns = null_space(X[list(sub)])
            if ns.shape[1] != 1:
                continue
            for w in (ns[:, 0], -ns[:, 0]):
                if np.all(X @ w >= -1e-12 * np.linalg.norm(X, axis=1)):
                    cands.append(float(np.mean(X @ w)))
        return min(cands)
    cands = []
    for k in range(len(X)):
        for sg in (1, -1):
            w = sg * np.array([-X[k, 1], X[k, 0]]) / np.linalg.norm(X[k])
            if np.all(X @ w >= -1e-12):
                cands.append(float(np.mean(X @ w)))
    return min(cands)


def _data_constants(X, y) -> dict:
    """The data constants of phase 2b: (48)'s bound with the O-terms dropped, (1/(sigma_min eps_2))
    ln(kappa ||beta*||/eps_3), Lemma 16's bound 2||y||/(sqrt(n) alpha) and ||beta*|| (all rotation invariant)."""
    n = len(y)
    ev = np.linalg.eigvalsh(X.T @ X / n)
    nb = float(np.linalg.norm(np.linalg.solve(X.T @ X, X.T @ y)))
    kappa = math.sqrt(ev[-1] / ev[0])
    return {"b48": (1 / (ev[0] * EPSILON_2)) * math.log(kappa * nb / EPSILON_3),
            "B16": float(2 * np.linalg.norm(y) / (math.sqrt(n) * _alpha_eq49(X))), "nb": nb}


def _lemma6_measure(inst, point, precision) -> Measurement:
    """Phase 2b (Lemma 6, eps_2 = eps_3 = 0.05): tau_3 - tau_2 vs the bound (48) with the O-terms dropped,
    (1/(sigma_min eps_2)) ln(kappa ||beta*||/eps_3); min over [tau_2, tau_3], I, k of <bold w_i, x^_k> (Lemma 6 (2),
    Lemma 17); max over N of |a_i^{tau_3}|/|a_i^0| vs lambda^{-eps} (Lemma 6 (3)); sum_I a_i^2 on
    (tau_2, tau_3] (Lemmas 16, 18) at the window's samples (common.window_states) with B_16 = 2||y||/(sqrt n alpha),
    alpha of Eq. (49). Error estimates: the same from the loose run (tau_2, tau_3 located on it; sum_I a_i^2 on it at the tight run's times) minus the tight
    values, + 4 ulp; the data constants from rotated copies of the data; ln(1/lambda) rounding; lambda, eps, eps_2
    exact."""
    R, ph, X, I, N, a, W, tt = _phase2b(inst, point)
    Rl, phl, _, _, _, al, Wl, _ = _phase2b(inst, point, RTOL_LOOSE)
    y = R["y"]
    ulp = 4 * np.finfo(float).eps
    mincos = float(np.min((W[:, I] / a[:, I, None] @ X.T) / np.linalg.norm(X, axis=1)))
    mincos_l = float(np.min((Wl[:, I] / al[:, I, None] @ X.T) / np.linalg.norm(X, axis=1)))
    a3, a3l = np.asarray(ph["tau3_a"]), np.asarray(phl["tau3_a"])
    rn, rnl = np.abs(a3[N]) / np.abs(R["a0"][N]), np.abs(a3l[N]) / np.abs(R["a0"][N])
    iN = int(np.argmax(rn))
    # sum_I a^2 on (tau_2, tau_3]: at tau_2 itself it equals eps_2 by definition (l.1350)
    SA = np.sum(a[1:, I] ** 2, axis=1)
    tt = tt[1:]
    SAl = np.array([float(np.sum(np.asarray(Rl["tr"].at(min(max(t_, phl["tau2"]), Rl["T"])).a(), float)[I] ** 2))
                    for t_ in tt])
    dt3, dt3l = ph["tau3"] - ph["tau2"], phl["tau3"] - phl["tau2"]
    dc, de = invariant_errors(_data_constants, X, y)
    Hm = X.T @ X / len(y)
    ev = np.linalg.eigvalsh(Hm)
    return Measurement(values={"dt3": dt3, "b48": dc["b48"], "lnl": -float(point["lam10"]) * LN10,
                               "mincos3": mincos, "RN3": float(rn[iN]), "lam": lambda_at(point),
                               "eps": mpmath.mpf(eps_of(inst.params)), "SA": SA.tolist(), "B16": dc["B16"], "nb": dc["nb"],
                               "eps2": EPSILON_2},
                       errors={"dt3": abs(dt3 - dt3l) + ulp * dt3, "b48": de["b48"], "lnl": "rounding",
                               "mincos3": abs(mincos - mincos_l) + ulp * abs(mincos),
                               "RN3": abs(float(rn[iN]) - float(rnl[iN])) + (ulp * float(rn[iN]) if rn[iN] != 1 else 0),
                               "SA": (np.abs(SA - SAl) + ulp * SA).tolist(), "B16": de["B16"], "nb": de["nb"]},
                       exact=("lam", "eps", "eps2"), coords={"t": tt.tolist()},
                       info={"tau2": ph["tau2"], "tau3": ph["tau3"], "alpha_eq49": _alpha_eq49(X),
                             "sigma_H": ev.tolist(), "kappa": math.sqrt(ev[-1] / ev[0]),
                             "max_sum_I_a2": float(SA.max()), "min_sum_I_a2": float(SA.min())})


(PHASE2B_DURATION, BOUND48, LOG_INV_LAMBDA, MIN_COS_PHASE2B, RATIO_N_TAU3, SUM_A2_I, BOUND16, NORM_BETA_STAR,
 EPSILON_2_SYMBOL) = sp.symbols("dt3 b48 lnl mincos3 RN3 SA B16 nb eps2", real=True)
LEMMA6_FIELDS = dict(
    latex_names={"dt3": r"\tau_3-\tau_2",
                 "b48": r"\frac{1}{\sigma_{\min}\varepsilon_2}\ln\frac{\kappa\|\beta^*\|}{\varepsilon_3}",
                 "lnl": r"\ln(1/\lambda)",
                 "mincos3": r"\min_{[\tau_2,\tau_3],i\in\mathcal{I},k}\langle\mathbf{w}_i,\hat x_k\rangle",
                 "RN3": r"\max_{i\in\mathcal{N}}|a_i^{\tau_3}|/|a_i^0|", "lam": r"\lambda", "eps": r"\varepsilon",
                 "SA": r"\sum_{i\in\mathcal{I}}(a_i^t)^2", "B16": r"\frac{2\|y\|}{\sqrt{n}\alpha}",
                 "nb": r"\|\beta^*\|", "eps2": r"\varepsilon_2"},
    symbols_doc={"dt3": "duration of phase 2b", "b48": "bound (48) with the O-terms dropped", "lnl": "ln(1/lambda)",
                 "mincos3": "min over phase 2b of <bold w_i, x^_k>", "RN3": "max over N of |a^{tau_3}|/|a^0|",
                 "lam": "lambda", "eps": "1/4", "SA": "sum_I a_i^2 at the sample times of [tau_2, tau_3]",
                 "B16": "Lemma 16's explicit bound 2||y||/(sqrt(n) alpha)", "nb": "||beta*||",
                 "eps2": "eps_2 = 0.05"},
    provides=("dt3", "b48", "lnl", "mincos3", "RN3", "lam", "eps", "SA", "B16", "nb", "eps2"),
    measure=_lemma6_measure)
claims.add(
    "lemma6.time", "Lemma 6, Eq. (48): tau_3 - tau_2 <= (1/(sigma_min eps_2)) ln(kappa ||beta*||/eps_3)",
    "§4.1.2, l.313-319; App. F.3, Eq. (48)", "flow-inequality", catalog_ref="E21, E45", result="lemma6",
    statement=sp.Le(PHASE2B_DURATION, BOUND48),
    mutant=Mutant(sp.Ge(PHASE2B_DURATION, LOG_INV_LAMBDA / 2),
                  "phase 2b lasts >= 0.5 ln(1/lambda) (catalog E21 mutation)"),
    quantifier="eps_2 = eps_3 = 0.05", **LEMMA6_FIELDS,
    notes="'Phase 2b lasts O(-ln(eps_3)/eps_2), independent of lambda': the measured tau_3 - tau_2 is flat in "
          "lambda (catalog 3.57) and far below (48) (~100 on DS-G).")
claims.add(
    "lemma6.ii", "Lemma 6 (2) / Lemma 17: <bold w_i^t, x_k> > delta' ||x_k|| on [tau_2, tau_3]",
    "§4.1.2, l.313-319; App. F.3, l.1580", "flow-inequality", catalog_ref="E21, E47", result="lemma17",
    statement=sp.Gt(MIN_COS_PHASE2B, 0),
    mutant=Mutant(sp.Ge(MIN_COS_PHASE2B, sp.Rational(9, 10)), "min cos >= 0.9 (catalog E47 mutation)"),
    quantifier="for all t in [tau_2, tau_3], i in I, k", **LEMMA6_FIELDS)
claims.add(
    "lemma6.iii", "Lemma 6 (3): a_i^0 lambda^{-eps} < a_i^{tau_3} <= 0 (i in N)", "§4.1.2, l.313-319",
    "flow-inequality", catalog_ref="E21", result="lemma6", statement=sp.Lt(RATIO_N_TAU3, LAMBDA ** (-EPSILON_SYMBOL)),
    mutant=Mutant(sp.Lt(RATIO_N_TAU3, sp.Rational(1, 2)), "every negative neuron at least halves by tau_3"),
    quantifier="for all i in N", **LEMMA6_FIELDS)
claims.add(
    "lemma16", "Lemma 16: sum_I a_i^2 = O(1) on [tau_2, tau_3] (explicit 2||y||/(sqrt n alpha))",
    "App. F.3, l.1539-1578", "flow-inequality", catalog_ref="E46", result="lemma16",
    statement=sp.Le(SUM_A2_I, BOUND16),
    mutant=Mutant(sp.Le(SUM_A2_I, NORM_BETA_STAR / 2), "sum_I a^2 <= ||beta*||/2 (catalog E46 mutation)"),
    quantifier="for all t in [tau_2, tau_3]", **LEMMA6_FIELDS)
claims.add(
    "lemma18", "Lemma 18: sum_I a_i^2 >= eps_2 on [tau_2, tau_3]", "App. F.3, l.1622-1636", "flow-inequality",
    catalog_ref="E48", result="lemma18", statement=sp.Ge(SUM_A2_I, EPSILON_2_SYMBOL),
    mutant=Mutant(sp.Le(SUM_A2_I, 2 * EPSILON_2_SYMBOL),
                  "sum_I a^2 <= 2 eps_2 on the whole phase (catalog E48 mutation)"),
    quantifier="for all t in [tau_2, tau_3]", **LEMMA6_FIELDS)
