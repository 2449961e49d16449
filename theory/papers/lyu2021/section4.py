"""lyu2021 §3-4, the symmetric case: Definition 3.3 (the max-margin separator), Theorem 4.2 (the global max
margin of the network class is (1+alpha)/4 gamma_w*, attained by a linear function), Theorem 4.3 (the flow
from small init converges to it), Corollary 4.4, its success probability, the derived claim D1 (the bad
event reaches only the one-neuron margin) and the KKT test of Theorem 3.1 on the flow's limit direction.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize

from numerics.convex import kkt_margin_residual
from numerics.flows import PolarState
from numerics.margins import flow_to_infinity, normalized_function, split_theta, wilson_interval
from numerics.network import init_gaussian, normalized_margin
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant, NeedsPrecision
from theory.claimset import ClaimSet

from .common import (ALPHA, FUNCTION_EQ_ATOL, FUNCTION_EQ_NOTE, F_INF, GOOD_B_BAR, G_GLOB, G_INF, INPUTS_IN_UNIT_BALL,
                     KKT, KKT_LATEX, KKT_MUTANT, KKT_TOL, KKT_TOLERANCE, LIN, MODEL, MU_NOT_ORTHOGONAL, NON_BRANCHING,
                     PATTERNS_ENUMERABLE, PROBABILITY_DOC, PROBABILITY_LATEX, P_HI, SEPARABLE, SETTING, SETTINGS,
                     SYMMETRIC, WIDTH, WIDTH_AT_LEAST_2, accept_data, b_bar, data, dot_mp, fp_bound, global_max_margin,
                     good_b, limit_run, limit_run_info, limit_run_series, max_margin_network_of, model, mu_bar,
                     resolved_limit_run, run_group, svm, svm_mp, symmetric_limit_instances, test_points,
                     user_limit_instance, user_static)
from .datasets import UserSettings, flow_cost
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=SETTING)


# =========================================================================== Definition 3.3 (w*)


def _slsqp_min_norm_point(Z, ftol):
    n = len(Z)
    res = minimize(lambda l: float(np.sum((l @ Z) ** 2)), np.full(n, 1.0 / n), jac=lambda l: 2 * Z @ (l @ Z),
                   bounds=[(0, 1)] * n, constraints=[{"type": "eq", "fun": lambda l: l.sum() - 1}],
                   method="SLSQP", options={"ftol": ftol, "maxiter": 500})
    p = np.clip(res.x, 0, None)
    return p / p.sum(), res.message


def _d33_measure(inst, point, precision):
    """Definition 3.3: gamma_w* from the primal SVM, 1/||w_hat|| (polished exactly on its support set, common.svm),
    against the dual form: the norm of the min-norm point of conv{y_i x_i} (scipy SLSQP on the simplex, independent
    of cvxpy). Error of the dual value, certified from the SLSQP solution alone: any p in the simplex and any unit w
    bracket the max margin, min_i y_i <w, x_i> <= gamma_w* <= ||sum_i p_i y_i x_i|| (weak duality), here with
    w = p Z/||p Z||; the bracket width (plus rounding) is the error. Mutant value: the margin of mu_bar."""
    X, y, _ = data(inst.params)
    _, g_mp, _ = svm_mp(inst.params)
    Z = y[:, None] * X
    p, msg = _slsqp_min_norm_point(Z, 1e-15)
    v = p @ Z
    dual = float(np.linalg.norm(v))
    lo = float(np.min(Z @ (v / dual)))
    mb, _ = mu_bar(X, y)
    g_mu = Z @ mb
    imin = int(np.argmin(g_mu))
    return Measurement(values={"g_primal": g_mp, "g_dual": dual, "g_mu": float(g_mu[imin])},
                       errors={"g_dual": max(dual - lo, 0.0) + float(fp_bound(np.abs(Z).sum(), 4 * len(Z) + 8)),
                               "g_mu": float(fp_bound(np.abs(Z[imin]) @ np.abs(mb), 2 * X.shape[1] + 8))},
                       exact=("g_primal",),
                       info={"w* (exact polish)": svm(inst.params)[0].tolist(), "SLSQP": msg,
                             "dual bracket [min_i y_i<w,x_i>, ||pZ||]": [lo, dual]})


GPR, GDU, GMU = sp.symbols("g_primal g_dual g_mu", positive=True)
DEF33 = claims.add(
    "definition3.3", "Definition 3.3 (max-margin separator: primal = dual)",
    "§3.2, l.299-300; l.2834", "convex", statement=sp.Eq(GPR, GDU),
    latex_names={"g_primal": r"1/\|\hat w\|", "g_dual": r"\min_{p\in\Delta}\|\sum_i p_i y_i x_i\|",
                 "g_mu": r"\min_i y_i\langle\bar\mu, x_i\rangle"},
    symbols_doc={"g_primal": "gamma_w* from the SVM QP, polished exactly on its support set",
                 "g_dual": "norm of the min-norm point of conv{y_i x_i} (SLSQP), error from its weak-duality bracket"},
    hypotheses=[SEPARABLE], instances=lambda tier: [
        Instance("DS-S", {"dataset": "DS-S"}), Instance("generic symmetric (n=12, d=3, seed 1)",
                                                        {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1}),
        Instance("DS-A", {"dataset": "DS-A"})],
    measure=_d33_measure, mutant=Mutant(sp.Eq(GMU, GDU), "mu_bar as the max-margin direction (catalog E03 mutation)"),
    provides=("g_mu",), catalog_ref="E03", result="definition3.3")


# =========================================================================== Theorem 4.2 (convex)

ALPHAS = [0.1, 0.5, 0.9]


def _t42_instances(tier):
    grid = [{"alpha": a} for a in (ALPHAS if tier == "fast" else [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95])]
    kw = dict(grid=grid, grid_param="alpha", grid_symbol="α",
              description="global max normalised margin of the network class (exact convex reformulation over "
                          "activation patterns, numerics.convex.max_margin_network) vs the linear SVM")
    out = [Instance("DS-S", {"dataset": "DS-S", "m": 2}, **kw),
           Instance("generic symmetric (n=12, d=3, seed 1)", {"dataset": "symmetric", "n_half": 6, "d": 3,
                                                              "ds_seed": 1, "m": 2}, **kw)]
    if tier == "full":
        out.append(Instance("DS-S2", {"dataset": "DS-S2", "m": 2}, **kw))
    return out


def _t42_common(inst, point):
    p = {**inst.params, "alpha": float(point["alpha"])}
    X, y, alpha = data(p)
    ws, _, _ = svm(p)
    _, g_mp, _ = svm_mp(p)
    r = max_margin_network_of(p)
    gmax, gerr = global_max_margin(p)
    return p, X, y, alpha, ws, g_mp, r, gmax, gerr


def _t42_measure(inst, point, precision):
    """Theorem 4.2 value: gamma_max (the exact convex reformulation over every activation pattern, bracketed by the
    recovered network's margin and weak duality: common.global_max_margin) against (1+alpha)/4 gamma_w* (gamma_w*
    exact: the polished SVM); also the explicit witness 1/2(w*, -w*, 1, -1) zero-padded to m = 2, 3, 5."""
    p, X, y, alpha, ws, g_mp, r, gmax, gerr = _t42_common(inst, point)
    wit = []
    for m in (2, 3, 5):
        W = np.zeros((m, X.shape[1]))
        a = np.zeros(m)
        W[0], W[1], a[0], a[1] = ws / 2, -ws / 2, 0.5, -0.5
        wit.append(normalized_margin(X, y, a, W, alpha))
    return Measurement(values={"g_max": gmax, "g_w": g_mp, "alpha": mpmath.mpf(point["alpha"])},
                       errors={"g_max": gerr}, exact=("g_w", "alpha"),
                       info={"certified": bool(r.certified), "duality_gap": float(r.duality_gap or 0),
                             "gamma_max bracket half-width": gerr,
                             "witness margins (m = 2, 3, 5)": wit, "patterns": int(len(r.patterns_used))
                             if hasattr(r, "patterns_used") else None})


def _t42_linear_measure(inst, point, precision):
    """Theorem 4.2 (function): the convex optimum network f/||theta||^2 at test points vs (1+alpha)/4 <w*, x>
    (<w*, x> at 50 digits from the exact w*)."""
    p, X, y, alpha, ws, g_mp, r, gmax, gerr = _t42_common(inst, point)
    Xt = test_points(X.shape[1])
    f = normalized_function(Xt, r.a, r.W, alpha)
    lin = dot_mp(svm_mp(p)[0], Xt)
    # the recovered network is optimal up to its margin defect delta (relative width of the certified bracket of
    # gamma_max); near the (function-unique) optimum the margin decays quadratically in the distance, so its function
    # is accurate to ~ sqrt(delta) max|f| (a first-order estimate, no constant is certified)
    delta = 2 * gerr / gmax
    err = np.abs(f) * delta + math.sqrt(delta) * float(np.max(np.abs(f))) + fp_bound(np.abs(f), 20)
    return Measurement(values={"f_opt": f.tolist(), "lin": lin, "alpha": mpmath.mpf(point["alpha"])},
                       errors={"f_opt": err.tolist()}, exact=("lin", "alpha"),
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]},
                       info={"width of the optimum": int(np.sum(np.abs(r.a) > 1e-9)),
                             "certified": bool(r.certified), "relative margin defect delta": delta})


G_MAX, G_W = sp.symbols("g_max g_w", positive=True)
F_OPT = sp.Symbol("f_opt", real=True)

THEOREM42 = claims.add(
    "theorem4.2", "Theorem 4.2 (global max margin = (1+α)/4 γ_w*)",
    "§4.1, l.326-332; proof App. C, l.2621-2888", "convex",
    statement=sp.Eq(G_MAX, (1 + ALPHA) / 4 * G_W),
    latex_names={"g_max": r"\gamma_{\max}", "g_w": r"\gamma_{w^*}", "alpha": r"\alpha"},
    symbols_doc={"g_max": "max over ||theta|| = 1 of q_min(theta) (any width >= 2; exact convex reformulation)",
                 "g_w": "linear max margin gamma_w* (SVM)", "alpha": "leaky slope"},
    quantifier="for every width m >= 2 (the optimum of the convex program uses at most 2 patterns here; the "
               "witness 1/2(w*, -w*, 1, -1) attains it at m = 2, 3, 5)",
    hypotheses=[INPUTS_IN_UNIT_BALL, SEPARABLE, SYMMETRIC, WIDTH_AT_LEAST_2], instances=_t42_instances,
    measure=_t42_measure,
    mutant=Mutant(sp.Eq(G_MAX, (1 + ALPHA) / 2 * G_W), "value (1+alpha)/2 gamma_w* (catalog E06 mutation (i))"),
    catalog_ref="E06", result="theorem4.2", share=run_group("t42"))

THEOREM42_LINEAR = claims.add(
    "theorem4.2.linear", "Theorem 4.2 (the global max-margin f is (1+α)/4 <w*, x>)",
    "§4.1, l.326-332", "convex",
    statement=sp.Eq(F_OPT, (1 + ALPHA) / 4 * LIN),
    latex_names={"f_opt": r"f_{\theta^*}(x)", "lin": r"\langle w^*, x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_opt": "f of the convex optimum, normalised to ||theta|| = 1, at a test point",
                 "lin": "<w*, x> at the test point"},
    quantifier="for all test points x (7 x 7 grid of [-1,1]^2, or 40 points of [-1,1]^d)",
    hypotheses=[INPUTS_IN_UNIT_BALL, SEPARABLE, SYMMETRIC, WIDTH_AT_LEAST_2], instances=_t42_instances,
    measure=_t42_linear_measure,
    mutant=Mutant(sp.Eq(F_OPT, (1 + ALPHA) / 2 * LIN), "scaling (1+alpha)/2 (catalog E07 mutation (i))"),
    catalog_ref="E06 (b)", result="theorem4.2", share=run_group("t42"), eq_atol=FUNCTION_EQ_ATOL,
    notes="INCONCLUSIVE by design of the measurement: the convex solver returns a network whose margin is optimal to "
          "a relative defect delta ~ 1e-11 (certified bracket), but its function is then known only to ~ sqrt(delta) "
          "max|f| ~ 1e-6 (the margin is flat to first order around the optimum), which does not resolve a 1e-6 "
          "equality. The value part (lyu2021.theorem4.2) is resolved. " + FUNCTION_EQ_NOTE)


# =========================================================================== Theorem 4.3, Corollary 4.4, KKT


def _t43_measure(inst, point, precision):
    """Theorem 4.3: f_inf(x) = lim f_{theta(t)/||theta(t)||}(x) (extrapolated in 1/||theta||^2 from t <= 1e250; error:
    extrapolation + two tolerances, common.limit_run) against (1+alpha)/4 <w*, x> (exact w*)."""
    r = resolved_limit_run(inst.params)
    ws, gs, _ = svm(inst.params)
    Xt = np.asarray(r["Xt"])
    return Measurement(values={"f_inf": r["f_inf"], "lin": dot_mp(svm_mp(inst.params)[0], Xt),
                               "alpha": mpmath.mpf(r["alpha"])},
                       errors={"f_inf": r["f_err"]}, exact=("lin", "alpha"),
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]}, info=limit_run_info(r),
                       series=limit_run_series(r, (1 + r["alpha"]) / 4 * gs))


THEOREM43 = claims.add(
    "theorem4.3", "Theorem 4.3 (flow converges to (1+α)/4 <w*, x>)",
    "§4.2, l.362-383; proof F.3, l.6621-6707", "asymptotic",
    statement=sp.Eq(F_INF, (1 + ALPHA) / 4 * LIN),
    latex_names={"f_inf": r"f_\infty(x)", "lin": r"\langle w^*, x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_inf": "lim_t f_theta(t)(x)/||theta(t)||^2, extrapolated in 1/||theta||^2 (rate rule)",
                 "lin": "<w*, x>"},
    quantifier="for all test points x, on a draw of the success event (b_bar good), sigma_init small",
    extra_hypotheses=[MU_NOT_ORTHOGONAL, NON_BRANCHING, WIDTH_AT_LEAST_2, GOOD_B_BAR],
    instances=symmetric_limit_instances, measure=_t43_measure,
    mutant=Mutant(sp.Eq(F_INF, (1 + ALPHA) / 2 * LIN), "scaling (1+alpha)/2 (catalog E07 mutation (i))"),
    catalog_ref="E07", result="theorem4.3", share=run_group("symrun"), eq_atol=FUNCTION_EQ_ATOL,
    notes="Order of limits: t -> infinity at a fixed small sigma_init (the theorem's order). The limit is read "
          "from the trend in s = 1/||theta||^2 (gap ~ c s), not from one end point; its error is the extrapolation "
          "error plus the difference of two runs at rtol 1e-10 and 1e-9. " + FUNCTION_EQ_NOTE)


def _c44_measure(inst, point, precision):
    """Corollary 4.4: the limit normalised margin gamma_inf (extrapolated; error: extrapolation + two tolerances)
    against the global max margin gamma_glob of the network class (convex reformulation with a certified bracket, not
    the closed form); gamma_w* exact (polished SVM)."""
    r = resolved_limit_run(inst.params)
    gg, gerr = global_max_margin(inst.params)
    _, g_mp, _ = svm_mp(inst.params)
    return Measurement(values={"g_inf": r["g_inf"], "g_glob": gg, "g_w": g_mp, "alpha": mpmath.mpf(r["alpha"])},
                       errors={"g_inf": r["g_err"], "g_glob": gerr}, exact=("g_w", "alpha"),
                       info=limit_run_info(r), series=limit_run_series(r, gg))


COROLLARY44 = claims.add(
    "corollary4.4", "Corollary 4.4 (the flow reaches the global max margin)",
    "§4.2, l.387-388", "asymptotic",
    statement=sp.Eq(G_INF, G_GLOB),
    latex_names={"g_inf": r"\lim_t \gamma(\theta(t))", "g_glob": r"\max_{S^{D-1}}\gamma", "g_w": r"\gamma_{w^*}",
                 "alpha": r"\alpha"},
    symbols_doc={"g_inf": "limit normalised margin of the flow (extrapolated)",
                 "g_glob": "global max normalised margin (convex reformulation)"},
    quantifier="on a draw of the success event, sigma_init small",
    extra_hypotheses=[MU_NOT_ORTHOGONAL, NON_BRANCHING, WIDTH_AT_LEAST_2, GOOD_B_BAR],
    instances=symmetric_limit_instances, measure=_c44_measure,
    mutant=Mutant(sp.Eq(G_INF, ALPHA / 2 * G_W), "the one-neuron KKT margin alpha gamma_w*/2 (Lemma F.3 cases 2-3)"),
    provides=("g_w", "alpha"),
    catalog_ref="E08", result="corollary4.4", share=run_group("symrun"))


def _kkt_measure(inst, point, precision):
    """Theorem 3.1 / Definitions B.7-B.8: KKT residual (numerics.convex.kkt_margin_residual, an SOCP over the
    multipliers lambda_i >= 0 and the Clarke slopes at kinks; near-active set q_i <= (1 + 1e-3) q_min) of the
    flow's extrapolated limit direction. Error: the difference of the residuals of the limit directions of the two
    runs (rtol 1e-10 and 1e-9) plus the direction's error (max component; the residual of a unit direction moves by
    about its displacement). Mutant value: the residual of the direction theta(t_end)/||theta(t_end)|| itself, at
    the last sample t = 1e250 (the same test, the same run, with "t -> infinity" replaced by the finite time)."""
    r = resolved_limit_run(inst.params)
    X, y, alpha = data(inst.params)
    m, d = r["m"], r["d"]
    a_l, W_l = split_theta(np.asarray(r["d_inf"]), m, d)
    kl = kkt_margin_residual(X, y, a_l, W_l, alpha, active_rtol=1e-3)
    a_c, W_c = split_theta(np.asarray(r["d_inf_check"]), m, d)
    kc = kkt_margin_residual(X, y, a_c, W_c, alpha, active_rtol=1e-3)
    return Measurement(values={"kkt": float(kl.residual), "tol": KKT_TOL, "kkt_mut": r["kkt_final"]},
                       errors={"kkt": abs(float(kl.residual) - float(kc.residual)) + float(np.max(r["d_err"])),
                               "kkt_mut": abs(float(kl.residual) - float(kc.residual))},
                       exact=("tol",), coords={"direction": "extrapolated limit"},
                       info={**limit_run_info(r), "near-active set": r["kkt_active"],
                             "multipliers (limit)": kl.lam.tolist(),
                             "kkt residual of the flow direction at t_end (mutant)": r["kkt_final"],
                             "kkt residual of the rtol-1e-9 run's limit": float(kc.residual)})


KKT_CLAIM = claims.add(
    "theorem3.1.kkt", "Theorem 3.1 / Defs. B.7-B.8 (limit direction is KKT-margin)",
    "§3.1, l.272-278; App. B.2, l.1576-1620", "convex",
    statement=sp.Le(KKT, KKT_TOLERANCE),
    latex_names=KKT_LATEX,
    symbols_doc={"kkt": "relative KKT residual (Def. B.8) of the flow's limit direction (extrapolated)",
                 "tol": "1e-5 (the SOCP solves to ~1e-8; a non-KKT direction has residual >= 1e-2)"},
    quantifier="at the limit direction the flow reaches (extrapolated from t <= 1e250)",
    instances=symmetric_limit_instances, measure=_kkt_measure,
    mutant=Mutant(sp.Le(KKT_MUTANT, KKT_TOLERANCE),
                  "quantifier changed: the direction at the finite time t_end = 1e250 is already KKT-margin"),
    provides=("kkt_mut",),
    catalog_ref="E01, E37", result="theorem3.1", share=run_group("symrun"),
    notes="The mutant is rejected where the flow is still far from its limit at t = 1e250 (the generic set: margins "
          "of the support vectors still spread by more than the 1e-3 near-active window); on DS-S the direction has "
          "converged by then and the mutant holds too.")

# --- D1: the bad event (INIT-B) goes to the one-neuron KKT margin


def _d1_instances(tier):
    return [Instance("DS-S, INIT-B (m=4, seed 1, b_bar all > 0), sigma = 1e-6",
                     {"dataset": "DS-S", "m": 4, "seed": 1, "sigma": 1e-6, "c_a": 1.0},
                     description="catalog INIT-B: default_rng(1), the probability-2^-(m-1) bad event"),
            Instance("generic symmetric (n=12, d=3, seed 1), m=2, seed 3 (b_bar one-signed), sigma = 1e-6",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 2, "seed": 3, "sigma": 1e-6,
                      "c_a": 1.0},
                     description="a one-signed b_bar draw")]


def _bad_b(inst):
    ok, det = good_b(inst)
    return (not ok and "undefined" not in det), det


BAD_B_BAR = Hypothesis("b_bar one-signed (the 2^-(m-1) bad event)", _bad_b, "l.642-643")


def _d1_measure(inst, point, precision):
    """Derived claim D1: on the bad event the limit margin is the one-neuron KKT value alpha gamma_w*/2. Certificate of
    the extrapolation (as common.resolved_limit_run): a net whose output weights share one sign has normalised margin
    <= alpha gamma_w*/2 on symmetric data (-f(-x) <= alpha <sum_k a_k w_k, x> and ||sum_k a_k w_k|| <= ||theta||^2/2),
    so a one-signed run whose extrapolated limit margin exceeds it (beyond the error) has not reached its regime."""
    meas = _c44_measure(inst, point, precision)
    r = limit_run(inst.params)
    a = np.asarray(r["a_T"])
    one = float(meas.values["alpha"]) / 2 * float(meas.values["g_w"])
    if (np.all(a > 0) or np.all(a < 0)) and r["g_inf"] - r["g_err"] > one * (1 + 1e-15):
        raise NeedsPrecision(f"extrapolated limit margin {r['g_inf']:.10g} (error {r['g_err']:.1e}) above alpha "
                             f"gamma_w*/2 = {one:.10g}, the largest margin of a one-signed net: the limit extrapolated "
                             f"from t <= {r['t'][-1]:.0e} is biased (asymptotic regime not reached)")
    return meas


D1 = claims.add(
    "D1", "Derived D1 (Thm 4.3 bound is attained: bad event -> α γ_w*/2)",
    "catalog D1 (Theorem 4.3, l.362-383; Lemma F.3, l.5183)", "asymptotic",
    statement=sp.Eq(G_INF, ALPHA / 2 * G_W),
    latex_names=COROLLARY44.latex_names, symbols_doc=COROLLARY44.symbols_doc,
    quantifier="on a draw where b_bar is one-signed",
    extra_hypotheses=[MU_NOT_ORTHOGONAL, BAD_B_BAR], instances=_d1_instances, measure=_d1_measure,
    mutant=Mutant(sp.Eq(G_INF, G_GLOB), "the bad event also reaches the global max margin"),
    control=Mutant(sp.Lt(G_INF, G_GLOB), "what makes the bound exact: the bad event's limit margin is strictly below "
                   "the global max margin (convex), so these draws fail Corollary 4.4"),
    provides=("g_glob",), catalog_ref="D1, F16", result="theorem4.3", share=run_group("badrun"), tags=("finding",),
    notes="The probability bound 1 - 2^-(m-1) of Theorem 4.3 is exact: the one-signed b_bar draws converge to the "
          "one-neuron KKT direction. A derived claim (catalog D1, note F16) that HOLDS; its control checks that "
          "these draws indeed end strictly below the global max margin.")

# --- Theorem 4.3 probability (Monte Carlo over the flow)


def _prob_instances(tier):
    n = 64 if tier == "fast" else 400
    out = [Instance(f"DS-S, m=2, {n} draws, sigma = 1e-6", {"dataset": "DS-S", "m": 2, "draws": n, "sigma": 1e-6,
                                                           "c_a": 1.0, "seed0": 1000},
                    description="D_init(1) draws default_rng(1000 + k); success: both output signs carry >= 1e-4 "
                                "of ||theta||^2 at t = 1e8 (see _mc_flows)"),
           Instance(f"generic symmetric (n=12, d=3, seed 1), m=2, {n // 6} draws",
                    {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 2, "draws": n // 6,
                     "sigma": 1e-6, "c_a": 1.0, "seed0": 2000}, description="as DS-S")]
    if tier == "full":
        out.append(Instance(f"DS-S, m=3, {n} draws", {"dataset": "DS-S", "m": 3, "draws": n, "sigma": 1e-6,
                                                      "c_a": 1.0, "seed0": 3000}))
    return out


@lru_cache(maxsize=16)
def _mc_flows(pj):
    """Flows from N draws of D_init(1) (default_rng(seed0 + k)), sigma_init = 1e-6, to t = 1e8 (rtol 1e-8; Phase
    II ends near T_12 ~ 50). Success: neurons of BOTH output signs carry >= 1e-4 of ||theta||^2 at t = 1e8 (the
    output signs are frozen after Phase I, Cor. B.18 / Lemma B.16; a one-signed net can only reach the one-neuron
    KKT margin alpha gamma_w*/2, and two opposite-sign groups converge to the global direction by Theorem 5.5). Also
    counted: the rigorous but slower certificate gamma~(t) > alpha gamma_w*/2 (gamma~ is non-decreasing)."""
    p = json.loads(pj)
    X, y, alpha = data(p)
    mdl = model(p)
    ws, gs, _ = svm(p)
    m, n = int(p["m"]), int(p["draws"])
    one = alpha / 2 * gs
    mb, _ = mu_bar(X, y)
    succ, agree, cert = 0, 0, 0
    for k in range(n):
        a, W, _ = init_gaussian(m, X.shape[1], 1.0, c_a=float(p["c_a"]), seed=int(p["seed0"]) + k)
        b = W @ mb + a
        good = bool(b.max() > 0 and b.min() < 0)
        s = float(p["sigma"])
        run = flow_to_infinity(mdl, PolarState.from_cartesian(s * a, s * W), 8.0, log10_t_min=8.0, rtol=1e-8)
        aT, WT = run.a[-1], run.W[-1]
        mass = aT ** 2 + np.sum(WT ** 2, axis=1)
        tot = float(mass.sum())
        minority = min(float(mass[aT > 0].sum()), float(mass[aT < 0].sum())) / tot
        ok = minority >= 1e-4
        succ += ok
        agree += ok == good
        gt = run.gamma_tilde[-1]
        cert += bool(np.isfinite(gt) and gt > one * (1 + 1e-9))
    lo, hi = wilson_interval(succ, n)
    return {"succ": succ, "n": n, "lo": lo, "hi": hi, "agree_with_b_bar": agree, "one_neuron": one,
            "gamma_tilde_certified": cert}


def _prob_measure(inst, point, precision):
    """Theorem 4.3 probability: success fraction of the flow over D_init(1) draws, 99% Wilson interval
    [p_lo, p_hi]; the claim P >= 1 - 2^-(m-1) is refuted iff p_hi < 1 - 2^-(m-1)."""
    r = _mc_flows(json.dumps(inst.params, sort_keys=True))
    return Measurement(values={"p_hi": r["hi"], "p_lo": r["lo"], "m": int(inst.params["m"])},
                       errors={"p_hi": "rounding", "p_lo": "rounding"}, exact=("m",),
                       info={"successes": r["succ"], "draws": r["n"], "99% Wilson interval": [r["lo"], r["hi"]],
                             "runs whose outcome matches the sign of b_bar": r["agree_with_b_bar"],
                             "runs certified by gamma~(1e8) > alpha gamma_w*/2": r["gamma_tilde_certified"],
                             "one-neuron KKT margin": r["one_neuron"]})


THEOREM43_PROB = claims.add(
    "theorem4.3.prob", "Theorem 4.3 (success probability ≥ 1 − 2^{−(m−1)})",
    "§4.2, l.362-383; Lemma E.7, l.4445", "probabilistic",
    statement=sp.Ge(P_HI, 1 - 2 ** (1 - WIDTH)),
    latex_names=PROBABILITY_LATEX, symbols_doc=PROBABILITY_DOC,
    quantifier="over theta_bar_0 ~ D_init(1) (Monte Carlo; the claim is refuted only if the whole interval lies "
               "below the bound)",
    extra_hypotheses=[MU_NOT_ORTHOGONAL, NON_BRANCHING, WIDTH_AT_LEAST_2], instances=_prob_instances,
    measure=_prob_measure,
    mutant=Mutant(sp.Ge(P_HI, 1 - 2 ** (-WIDTH)), "probability 1 - 2^-m (catalog E07 mutation (iii))"),
    provides=("p_lo",), catalog_ref="E07 (6), E58, D1", result="theorem4.3", share=run_group("mc43"))




# =========================================================================== user data (earlyalign --data)


def _t42_data(ds):
    """Theorem 4.2 on a user's data: the convex reformulation at the user's gamma (else the catalog's alpha sweep
    0.1, 0.5, 0.9); the width m (default 2) only enters the hypothesis m >= 2 (the optimum is width-free)."""
    u = UserSettings(ds)
    m = int(u.get("m", 2))
    alphas = [u.alpha] if ds.gamma is not None else ALPHAS
    return [u.instance(f"alpha in {alphas}", {"m": m}, grid=[{"alpha": a} for a in alphas], grid_param="alpha",
                       grid_symbol="α", description="global max normalised margin (exact convex reformulation over "
                                                    "the activation patterns of the data) vs the linear SVM")]


def _bad_event(p):
    b = b_bar(p)
    return bool(np.all(np.isfinite(b)) and (b.min() > 0 or b.max() < 0))


def _prob_data(ds):
    """Theorem 4.3's probability on a user's data: 32 D_init(1) draws default_rng(seed + k) (seed default 1000), m
    (default 2), sigma_init (default 1e-6), each flow to t = 1e8."""
    u = UserSettings(ds)
    init = u.init(("gaussian",))
    m, seed0, sigma = int(u.get("m", 2)), int(u.get("seed", 1000)), u.sigma(1e-6)
    n = 32
    return [u.instance(f"m={m}, {n} draws from seed {seed0}, sigma = {sigma:g}",
                       {"m": m, "draws": n, "sigma": sigma, "seed0": seed0, **init},
                       description="success: both output signs carry >= 1e-4 of ||theta||^2 at t = 1e8",
                       cost=flow_cost(len(ds.y), m, 8.0, runs=n))]


accept_data(DEF33, user_static)
accept_data(THEOREM42, _t42_data, MODEL, SETTINGS, PATTERNS_ENUMERABLE)
accept_data(THEOREM42_LINEAR, _t42_data, MODEL, SETTINGS, PATTERNS_ENUMERABLE)
for _c in (THEOREM43, KKT_CLAIM):
    accept_data(_c, lambda ds: [user_limit_instance(ds)])
accept_data(COROLLARY44, lambda ds: [user_limit_instance(ds)], MODEL, SETTINGS, PATTERNS_ENUMERABLE)
accept_data(D1, lambda ds: [user_limit_instance(ds, _bad_event, "the bad event: b_bar one-signed")], MODEL, SETTINGS,
            PATTERNS_ENUMERABLE)
accept_data(THEOREM43_PROB, _prob_data)
