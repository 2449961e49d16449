"""min2024 Appendix D.1-D.2, final convergence: Lemma 12 (trapping regions, catalog E41), Lemma 13 (norms at t_1,
E42), Lemma 14 (monotone norms after t_1, E43), Lemma 15 (the linear-network loss inequality, E44), and D.2's (34)
(norm floor after t_2), (37) with cos(x_+, x~_a) >= 1/3 (refined alignment internals, E46, F15) and the bound (39) on
t_2 (E46, E12 b).

Rates are evaluated on the balanced manifold (Eq. (3); :func:`common.balanced_quantities`): d ln||w_j||^2/dt = 2 s_j
sum_i sigma'(<x_i, w_j>) (-ell'_i) <x_i, w^_j> and d/dt w^_j = s_j P_j sum_i sigma' (-ell'_i) x_i (16).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.convex import svm_hard_margin
from numerics.network import Model, gradient, total_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import (HYP_A1, HYP_BOTH, HYP_INIT, HYP_LABELS, HYP_LOSS, HYP_REGULAR, THEOREM1_SETTING, arrays,
                     balanced_quantities, data_params, dsb_instance, g_minus_y, generic_eps2_instance, ia8_instance,
                     inst_constants, log_eps_of, ra_instance, run_for, state_arrays, t2_times, trap_counts,
                     user_flow_instance)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, share=f"{KEY}.flow")
D_SETTING = [HYP_LABELS, HYP_A1, HYP_INIT, HYP_LOSS, HYP_REGULAR]

# =========================================================================== Lemma 12


def _practical(tier):
    return [ia8_instance("1e-6", T=60.0), ra_instance(-6.0, T=60.0), dsb_instance(-8.0, T=20.0)]


def _trap_measure(inst, point, precision) -> Measurement:
    R = run_for(inst)
    et, eo = trap_counts(R)
    return Measurement(values={"e_trap": et, "e_opp": eo}, exact=True,
                       coords={"j": list(range(R.h)), "s_j": [int(v) for v in R.s], "fate": R.final_regions()},
                       info={"horizon": R.T})


E_TRAP, E_OPP = sp.symbols("e_trap e_opp", real=True)
claims.add(
    "lemma12", "Lemma 12: S_dead, S_+ (for V_+) and S_- (for V_-) are trapping regions of any regular solution",
    "App. D.1, l.2760-2905", "flow-inequality", catalog_ref="E41, F6", result="lemma12", hypotheses=D_SETTING,
    statement=sp.Le(E_TRAP, 0), measure=_trap_measure, instances=_practical, provides=("e_opp",),
    data_instances=lambda ds: [user_flow_instance(ds)],
    mutant=Mutant(sp.Le(E_TRAP + E_OPP, 0), "(ii)/(iii) for the other sign: V_- neurons in S_+ (V_+ in S_-) stay"),
    latex_names={"e_trap": r"\#\{\text{exits after entering the trap set}\}",
                 "e_opp": r"\#\{\text{exits from }\mathcal{S}_{-s_j}\}"},
    symbols_doc={"e_trap": "region changes after the trap set was entered", "e_opp": "exits from the opposite cone"},
    quantifier="every neuron, over the whole run (any eps: Lemma 12 has no eps hypothesis)",
    notes="'Any solution' must read 'any regular solution': the irregular Caratheodory solutions of E.4 leave S_dead "
          "(min2024.finding.F6). The proof's sum over I_+ presumes the conclusion; the integrand lies in K for every "
          "activation pattern, which is the correct argument (catalog E41).")

# =========================================================================== Lemma 13


def _lemma13_measure(inst, point, precision) -> Measurement:
    """dl = ln||w_j(t)||^2 - ln||w_j(0)||^2 for every neuron at 150 times of (0, t_1] (t_1 = the theorem's, the
    proof's differential inequality d||w_j||^2/dt >= -4 n X_max ||w_j||^2 integrated), two tolerances."""
    R = run_for(inst)
    C = inst_constants(inst)
    t1 = min(C.t1, R.T)
    times = np.geomspace(1e-3, t1, 150)
    vals = {}
    for which in ("tight", "loose"):
        l0 = state_arrays(R.states([0.0], which)[0])[1]
        vals[which] = np.array([2 * (state_arrays(st)[1] - l0) for st in R.states(times, which)])
    dl, dll = vals["tight"], vals["loose"]
    fin = R.final_regions()
    sums = {}
    for cls in ("S+", "S-"):
        idx = [j for j in range(R.h) if fin[j] == cls]
        if idx:
            sums[cls] = float(np.log(np.sum(np.exp(dl[-1, idx]))))  # ln(sum ||w(t1)||^2/sum ||w(0)||^2): unit W_0
    return Measurement(values={"dl": dl.ravel().tolist(), "t": np.repeat(times, R.h).tolist(), "n": C.n,
                               "X_max": C.Xmax},
                       errors={"dl": (np.abs(dl - dll) + 1e-12).ravel().tolist(), "X_max": "rounding"},
                       exact=("t", "n"), coords={"t": np.repeat(times, R.h).tolist(), "j": list(range(R.h)) * len(times)},
                       info={"t1": t1, "ln_sum_ratio_at_t1": sums, "lemma13_rhs": -4 * C.n * C.Xmax * t1})


DL, TT, NN, XMAX = sp.symbols("dl t n X_max", real=True)
claims.add(
    "lemma13", "Lemma 13: sum_{V~_+-} ||w_j(t_1)||^2 >= e^{-4 n X_max t_1} sum ||w_j(0)||^2 (per neuron, as proved)",
    "App. D.1, l.2908-2994", "flow-inequality", catalog_ref="E42", result="lemma13", hypotheses=THEOREM1_SETTING,
    statement=sp.Ge(DL, -4 * NN * XMAX * TT), measure=_lemma13_measure,
    instances=lambda tier: _d2_instances(tier),
    mutant=Mutant(sp.Ge(DL, 0), "every ||w_j|| non-decreasing on [0, t_1] (catalog E42: 265 deg shrinks in S_-)"),
    latex_names={"dl": r"\log\frac{\|w_j(t)\|^2}{\|w_j(0)\|^2}", "t": "t", "n": "n", "X_max": r"X_{\max}"},
    symbols_doc={"dl": "ln(||w_j(t)||^2/||w_j(0)||^2)"}, quantifier="every neuron, 150 times of (0, t_1]",
    notes="The proof bounds every neuron; the lemma sums over V~_+- (info: ln of the summed ratio at t_1, e.g. I-A8 at "
          "eps_2 and t_1 = 79.5: the S_+ neurons have grown by e^{~300}).")

# =========================================================================== Lemma 14


def _lemma14_measure(inst, point, precision) -> Measurement:
    """rate = d ln||w_j||^2/dt = 2 s_j sum_i sigma' (-ell'_i) <x_i, w^_j> (balanced manifold) at 200 times of [0, T],
    for every neuron, with in = 1[j in V~_+- and t >= max_j tau_j] (after the alignment, Lemma 14's scope)."""
    R = run_for(inst)
    fin = R.final_regions()
    tmax = max(R.trap_time(j)[0] for j in range(R.h))
    times = np.linspace(0.0, R.T, 200)
    rate, rl = [], []
    for which, out in (("tight", rate), ("loose", rl)):
        for st in R.states(times, which):
            U, lnw = state_arrays(st)
            q = balanced_quantities(R.X, R.y, R.s, U, lnw, R.model.loss)
            gneg = R.y + g_minus_y(q["f"], R.y, R.model.loss)  # -ell'(y_i, f_i)
            out += (2 * R.s * np.sum((q["Z"] > 0) * gneg[None, :] * q["Z"], axis=1)).tolist()
    inside = [float(fin[j] in ("S+", "S-") and t >= tmax) for t in times for j in range(R.h)]
    rate, rl = np.array(rate), np.array(rl)
    return Measurement(values={"rate": rate.tolist(), "in": inside},
                       errors={"rate": (np.abs(rate - rl) + 1e-14 * np.abs(rate) + 1e-300).tolist()}, exact=("in",),
                       coords={"t": np.repeat(times, R.h).tolist(), "j": list(range(R.h)) * len(times)},
                       info={"alignment_end": tmax})


RATE, INS = sp.symbols("rate in", real=True)
claims.add(
    "lemma14", "Lemma 14: after t_1, the norms of the neurons in S_+- are non-decreasing", "App. D.1, l.2996-3083",
    "flow-inequality", catalog_ref="E43", result="lemma14", hypotheses=D_SETTING,
    statement=sp.Ge(RATE * INS, 0), measure=_lemma14_measure, instances=_practical, provides=("in",),
    mutant=Mutant(sp.Ge(RATE, 0), "every norm non-decreasing from t = 0 (dead-bound neurons shrink; catalog E43)"),
    latex_names={"rate": r"\frac{d}{dt}\log\|w_j\|^2", "in": r"\mathbb{1}[j\in\tilde{\mathcal{V}}_\pm,\ t\ge t_1]"},
    symbols_doc={"rate": "d ln||w_j||^2/dt", "in": "j in V~_+- and t after the alignment"},
    quantifier="every neuron, 200 times of the run",
    notes="(30)'s right side is printed without the square (F14). Per neuron, d||w_j||^2/dt = 2 sum_{I_+} (-ell'_i) "
          "<x_i, w_j> ||w_j|| >= 0 in S_+ (catalog E43).")

# =========================================================================== Lemma 15


def _lemma15_instances(tier):
    base = data_params(datasets.ds_b())
    return [Instance("DS-B positives, exp loss, gamma = gamma* (hard margin, cvxpy)", {**base, "gam": "star"}),
            Instance("DS-B positives, 2 ln(1 + e^{-y yhat}), gamma = gamma*", {**base, "loss": "logistic2",
                                                                                 "gam": "star"}),
            Instance("DS-B positives, exp loss, gamma = mu X_min (D.2's choice)", {**base, "gam": "muXmin"})]


def _lemma15_measure(inst, point, precision) -> Measurement:
    """At 4000 random (W in R^{3 x k}, v in R^k), k in 1..5, scale 10^U(-3, 1), kept when every margin v^T W^T x_i >= 0
    on the positives of DS-B: dL/dt = -||grad_W L||^2 - ||grad_v L||^2 of L_lin = sum_{I_+} ell(1, v^T W^T x_i), ||v||^2,
    L and gamma (the hard-margin gamma* = 0.963328 via cvxpy, or mu X_min)."""
    X, y = arrays(inst.params)
    Xp = X[y > 0]
    loss = inst.params["loss"]
    svm = svm_hard_margin(Xp, np.ones(len(Xp)))
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    gam = svm.margin if inst.params["gam"] == "star" else float(np.min(U @ U.T) * np.min(np.linalg.norm(X, axis=1)))
    model = Model(Xp, np.ones(len(Xp)), gamma=1.0, loss=loss, reduction="sum")  # a linear network: sigma(z) = z
    rng = np.random.default_rng(15)
    Ld, v2, L = [], [], []
    while len(Ld) < 4000:  # samples whose loss underflows (margins > ~700) carry no information: skipped
        k = int(rng.integers(1, 6))
        sc = 10.0 ** rng.uniform(-3, 1)
        W = rng.standard_normal((k, 3)) * sc
        v = rng.standard_normal(k) * sc
        if np.any(Xp @ (W.T @ v) < 0):
            continue
        Lv = float(total_loss(model, v, W))
        if Lv < 1e-100:
            continue
        ga, gW = gradient(model, v, W)
        Ld.append(-float(np.sum(gW * gW) + ga @ ga))
        v2.append(float(v @ v))
        L.append(Lv)
    rho = [-a / (b * c * c) for a, b, c in zip(Ld, v2, L)]
    return Measurement(values={"rho": rho, "gamma": gam}, errors={"rho": "rounding", "gamma": 1e-7},
                       coords={"sample": list(range(len(Ld)))},
                       info={"gamma_star": svm.margin, "min_ratio_to_bound": float(min(rho) / (gam * gam / 4))})


RHO15, GAM = sp.symbols("rho gamma", positive=True)
claims.add(
    "lemma15", "Lemma 15 (31): dL_lin/dt <= -(1/4) ||v||^2 L^2 gamma^2 whenever every margin is >= 0",
    "App. D.1, l.3086-3273", "closed-form", catalog_ref="E44", result="lemma15", hypotheses=[HYP_LABELS],
    statement=sp.Ge(RHO15, GAM ** 2 / 4), measure=_lemma15_measure, instances=_lemma15_instances,
    share=f"{KEY}.lemma15",
    mutant=Mutant(sp.Ge(RHO15, sp.Rational(121, 100) * GAM ** 2),
                  "no 1/4 and gamma -> 1.1 gamma (catalog E44: exp 1.051/1.21 < 1, logistic 0.584 < 1)"),
    latex_names={"rho": r"-\dot{\mathcal{L}}_{\mathrm{lin}}/(\|v\|^2\mathcal{L}^2)", "gamma": r"\gamma"},
    symbols_doc={"rho": "-(dL_lin/dt)/(||v||^2 L^2), dL/dt = -||grad L||^2", "gamma": "the margin used"},
    quantifier="4000 random linear networks with non-negative margins",
    notes="Catalog E44 minimum ratios: exp 49.8 (gamma = mu X_min), 4.21 (gamma*), 1.051 (gamma*, no 1/4); logistic "
          "(either scaling) 2.33 (gamma*), 0.584 without the 1/4: the 1/4 is needed for the logistic loss only.")

# =========================================================================== D.2: (34), (37), (39)


def _d2_instances(tier):
    """I-A8 and the generic random 2-D instance, each at its own eps_2, past t_2."""
    return [ia8_instance("eps2", T=705.0), generic_eps2_instance()]


def _eq34_measure(inst, point, precision) -> Measurement:
    """S_+-(t) = sum_{j in V~_+-} ||w_j(t)||^2 at t_2^+- and 100 later times (two tolerances), against 1/(4 X_max)."""
    R = run_for(inst)
    C = inst_constants(inst)
    d = t2_times(inst.params, log_eps_of(inst), R.T)
    S, Sl, tt, cl = [], [], [], []
    for tag, idx in (("+", d["V+"]), ("-", d["V-"])):
        t2 = d["t2" + tag]
        times = t2 + np.concatenate([[0.0], np.geomspace(1e-3, R.T - t2, 100)])
        for which, out in (("tight", S), ("loose", Sl)):
            for st in R.states(times, which):
                out.append(float(np.sum(np.exp(2 * state_arrays(st)[1][idx]))))
        tt += times.tolist()
        cl += [tag] * len(times)
    S, Sl = np.array(S), np.array(Sl)
    return Measurement(values={"S": S.tolist(), "X_max": C.Xmax},
                       errors={"S": (np.abs(S - Sl) + 1e-12 * S).tolist(), "X_max": "rounding"},
                       coords={"t": tt, "class": cl}, info={"t2+": d["t2+"], "t2-": d["t2-"], "S_at_t2": [S[0], S[101]]})


SNORM = sp.Symbol("S", positive=True)
XM = sp.Symbol("X_max", positive=True)
claims.add(
    "final_convergence.eq34", "D.2 (33)-(35): sum_{V~_+-} ||w_j(t)||^2 >= 1/(4 X_max) for t >= t_2^+-",
    "App. D.2, l.3345-3380", "flow-inequality", catalog_ref="E45", result="final_convergence",
    hypotheses=THEOREM1_SETTING + [HYP_BOTH], statement=sp.Ge(SNORM, 1 / (4 * XM)), measure=_eq34_measure,
    instances=_d2_instances, mutant=Mutant(sp.Ge(SNORM, 1 / (2 * XM)), "1/(2 X_max) (catalog E45: 0.2675 at t_2^+)"),
    latex_names={"S": r"\sum_{j\in\tilde{\mathcal{V}}_\pm}\|w_j(t)\|^2", "X_max": r"X_{\max}"},
    symbols_doc={"S": "summed squared norms of the neurons in S_+ (S_-)"}, quantifier="t in [t_2^+-, T], both classes",
    notes="A thin margin (catalog: 0.2675 and 0.2798 against 0.25 right after t_2 on I-A8 at eps = 1e-6).")


def _eq39_measure(inst, point, precision) -> Measurement:
    """t_2^+- (bisection, two tolerances) and the bound (39) with n_+- and t_1 the theorem's (36): t_1 + 6/(sqrt(mu)
    n_+- X_min) + 4/(sqrt(mu) n_+- X_min)(ln(2/(eps^2 sqrt(mu) X_min W_min^2)) + 4 n X_max t_1)."""
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    d = t2_times(inst.params, le, R.T)
    vals, errs, bnd = [], [], []
    for tag, nc in (("+", C.n_plus), ("-", C.n_minus)):
        k = math.sqrt(C.mu) * nc * C.Xmin
        b = C.t1 + 6 / k + 4 / k * (math.log(2 / (math.sqrt(C.mu) * C.Xmin * C.Wmin ** 2)) - 2 * le
                                    + 4 * C.n * C.Xmax * C.t1)
        vals.append(d["t2" + tag])
        errs.append(d["err" + tag])
        bnd.append(b)
    return Measurement(values={"t2": vals, "B39": bnd}, errors={"t2": errs, "B39": "rounding"},
                       coords={"class": ["+", "-"]}, info={"t1_formula": C.t1, "T_lemma3": C.T(le)})


T2S, B39 = sp.symbols("t2 B39", positive=True)
claims.add(
    "final_convergence.eq39", "D.2 (39): t_2^+ <= t_1 + 6/(sqrt(mu) n_+ X_min) + 4/(sqrt(mu) n_+ X_min)(log(2/(eps^2 "
    "sqrt(mu) X_min W_min^2)) + 4 n X_max t_1)", "App. D.2, l.3508-3863", "flow-inequality",
    catalog_ref="E46, E12 (b)", result="final_convergence", hypotheses=THEOREM1_SETTING + [HYP_BOTH],
    statement=sp.Le(T2S, B39), measure=_eq39_measure, instances=_d2_instances,
    mutant=Mutant(sp.Le(T2S, B39 / 16), "every constant of (39) divided by 16 (I-A8 at eps_2: 621 < 643)"),
    latex_names={"t2": r"t_2^\pm", "B39": r"(39)"}, symbols_doc={"t2": "t_2^+ and t_2^-", "B39": "the bound (39)"},
    quantifier="both classes (n_- for t_2^-)",
    notes="Catalog: 643.1 against ~6.6e3 (with the actual t_1) or ~1e4 (with t_1 = 79.54) at eps_2: loose by ~15; "
          "the slope in ln(1/eps) is 8/(sqrt(mu) n_+ X_min) = 5.2 against the true 1/min||x_+-|| = 0.505 (finding F9).")
