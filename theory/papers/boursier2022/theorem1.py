"""boursier2022 Theorem 1 (§3.1, l.309-322, Eq. (7)) and the last phase, on the long flows to convergence:
the limit lim_lambda lim_t theta = theta* (its exponent, the value 1/2||theta||^2, the catalog's sharp rate DC-5),
Lemma 5 / 15 in its trajectory form (local PL after phase 3) and Theorem 2's exponential rate (DC-6).

theta* is the lambda-free Lemma 12 interpolator (catalog DC-2, :func:`.common.limit_objects`); the flows are
:func:`.common.long_run` at two tolerances.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from numerics.network import gradient, total_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (GENERIC_NAME, MAX_CVX_PATTERNS, RTOL_LOOSE, RTOL_TIGHT, SETTING, cartesian, core_geometry,
                     cvx_patterns, data_long_instances, distance, ds_a_params, flow_core, generic_params, hitting_time,
                     lam_grid_kw, limit_objects, long_instances, long_run, prop1_values)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING, ladder=LADDER_F64, share=f"{PAPER.key}.longrun")

UNRESOLVED = 1e3  # error of an exponent the float64 flow cannot resolve (the quantity is within its error)


def data_instances(ds):
    """A user's dataset: the long run of :func:`.common.data_long_instances` (no eps: these claims have none), on the
    file's lambda grid (default 1e-4 .. 1e-32), decided at the smallest lambda."""
    return data_long_instances(ds, eps=False)


def convex_values(core: str) -> dict:
    """:func:`.common.prop1_values` (the convex min-norm value and Prop. 1's closed form), or on data beyond the exact
    enumeration's limit the closed form only, with the reason (the convex value is information here, not judged)."""
    q, X, y, *_ = core_geometry(core)
    if cvx_patterns(X) <= MAX_CVX_PATTERNS:
        return prop1_values(core)
    why = f"not computed: {cvx_patterns(X)} activation patterns exceed the exact enumeration's limit {MAX_CVX_PATTERNS}"
    return {"cvx": why, "gap": why, "err": None, "closed": float(np.linalg.norm(y[y > 0]) + np.linalg.norm(y[y < 0]))}


def _rate_instances(tier):
    """As :func:`.common.long_instances` without the grid values where the float64 flow cannot resolve the
    distance (an equality statement must not be judged on an unresolved exponent)."""
    if tier == "fast":
        return long_instances(tier)
    g = [-4, -8, -16, -32, -48]
    desc = "balanced init (4), flow to T = (ln(1/lambda) + 25)/||D_-|| (past t_3), rtol 1e-12 vs 1e-10"
    return [Instance("DS-A, eps = 0.05", ds_a_params(0.05), **lam_grid_kw(g, desc)),
            Instance(GENERIC_NAME, generic_params(0.05), **lam_grid_kw(g, desc))]


def norm_excess(a, W, X) -> dict:
    """G(theta) = 1/2||theta||^2 - V(h_theta), V(h) = ||h_+|| + ||h_-||: the norm of theta in excess of the smallest
    norm that interpolates the outputs theta itself produces (Prop. 1's closed form with labels h_theta(x_k),
    orthonormal inputs). G >= 0 everywhere and G = 0 exactly at the min-norm interpolators of h_theta, so at the
    flow's limit G = 1/2||theta^inf||^2 - min_{L=0} 1/2||theta||^2 without the first-order contamination of a
    residual h - y. Returns G, ||grad G|| (activation pattern of theta kept) and a bound on the operator norm of
    its Hessian (1 + ||J||_F^2/min(||h_+||, ||h_-||) + ||dV/dh|| (sum_k ||x_k||^2)^{1/2}, J = dh/dtheta)."""
    a, W, X = np.asarray(a, float), np.asarray(W, float), np.asarray(X, float)
    Z = W @ X.T
    act = (Z > 0).astype(float)
    R = np.maximum(Z, 0.0)
    h = a @ R
    Vp, Vm = float(np.linalg.norm(h[h > 0])), float(np.linalg.norm(h[h < 0]))
    if Vp == 0 or Vm == 0:
        raise ValueError("the network's outputs have one sign only: V(h) is not differentiable there")
    half = 0.5 * float(a @ a + np.sum(W * W))
    c = np.where(h > 0, h / Vp, np.where(h < 0, h / Vm, 0.0))   # dV/dh
    ga = a - R @ c
    gW = W - (a[:, None] * (act * c[None, :])) @ X
    xn2 = np.sum(X * X, axis=1)
    JF2 = float(np.sum(R * R) + np.sum((a[:, None] ** 2) * act * xn2[None, :]))
    curv = 1.0 + JF2 / min(Vp, Vm) + float(np.linalg.norm(c)) * math.sqrt(float(np.sum(xn2)))
    return {"G": half - (Vp + Vm), "half_norm2": half, "V_h": Vp + Vm,
            "grad": float(math.sqrt(float(ga @ ga) + float(np.sum(gW * gW)))), "curv": curv}


@lru_cache(maxsize=32)
def _limit(core: str, lam10: float) -> dict:
    """theta^infty_lambda (state at the horizon) at two tolerances: distances to theta*, to the equal-split
    interpolator, 1/2||theta||^2, the norm excess G (:func:`norm_excess`), the loss, and an error estimate for each.

    Error of theta (absolute): ||theta_tight - theta_loose|| + the tight tolerance accumulated over its steps and
    events (x ||theta||) + the path still to travel after the horizon T, at most 2 (L(theta^T)/||D_-||)^{1/2}
    (Chatterjee's bound with Lemma 5's PL constant ||D_-||, catalog T1 proof mechanics; boursier2022.lemma5 checks
    that constant on these trajectories). Error of G: |G_tight - G_loose| + ||grad G|| e_theta + curv e_theta^2 +
    the rounding 8 eps (1/2||theta||^2 + V(h)): G is stationary at the min-norm interpolators, so the integrator's
    error enters it at second order in the distance (perturbations that keep the activation pattern: the dead
    coordinates are exactly 0 in both runs, as in the exact flow)."""
    kp = limit_objects(core)
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    out = {}
    for name, rt in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
        tr = long_run(core, lam10, rt)
        a, W = cartesian(tr.final)
        G = norm_excess(a, W, X)
        out[name] = {"dist": distance(a, W, kp["a"], kp["W"]), "dist_eq": distance(a, W, kp["a_eq"], kp["W_eq"]),
                     "half_norm2": G["half_norm2"], "gap": G["G"], "V_h": G["V_h"], "grad_gap": G["grad"],
                     "curv_gap": G["curv"], "a": a, "W": W, "loss": float(tr.final.loss(tr.model)),
                     "nsteps": tr.nsteps, "events": len(tr.events), "T": float(tr.t_final)}
    t, lo = out["tight"], out["loose"]
    if not all(math.isfinite(v) for v in (t["loss"], lo["loss"], t["half_norm2"], lo["half_norm2"])):
        raise FloatingPointError(f"non-finite flow at lambda = 1e{lam10:g}")
    tail = 2.0 * math.sqrt(max(t["loss"], 0.0) / nDm)
    eth = (distance(t["a"], t["W"], lo["a"], lo["W"])
           + RTOL_TIGHT * (t["nsteps"] + t["events"] + 1) * math.sqrt(2 * t["half_norm2"]) + tail)
    out["tail"] = tail
    out["err_theta"] = eth
    out["err_dist"] = eth + kp["theta_star_err"]   # theta* itself from the lambda-free flow at two tolerances
    out["err_half_norm2"] = abs(t["half_norm2"] - lo["half_norm2"]) + eth * math.sqrt(2 * t["half_norm2"]) + eth ** 2
    out["err_gap"] = (abs(t["gap"] - lo["gap"]) + t["grad_gap"] * eth + t["curv_gap"] * eth ** 2
                      + 8 * np.finfo(float).eps * (t["half_norm2"] + t["V_h"]))
    return out


def _dc5_gamma(core: str) -> float:
    """DC-5: gamma = 1 - max(max_P ||y_P||/||y_+||, max_N ||y_N||/||y_-||) over the proper active label subsets
    P (positive labels on which some s = +1 neuron outside S_{+,1} is initially active; N likewise)."""
    kp = limit_objects(core)
    q, X, y, *_ = core_geometry(core)
    g, s = kp["g"], kp["s"]
    Z = g @ X.T
    best = 0.0
    for sign, ynorm in ((1, kp["yp"]), (-1, kp["ym"])):
        lab = (sign * y) > 0
        for j in range(len(s)):
            if s[j] != sign:
                continue
            act = (Z[j] > 0) & lab
            if act.sum() == 0 or act.sum() == lab.sum():
                continue
            best = max(best, float(np.linalg.norm(y[act])) / ynorm)
    return 1.0 - best


_ERR = {"dist": "err_dist", "dist_eq": "err_theta", "gap": "err_gap"}


def _other(grid, lam10):
    """The grid value the local exponent at ``lam10`` is taken against: the previous (larger) one, and sqrt(lambda)
    above the top of the grid (so that no two grid points hand back the same measurement)."""
    i = grid.index(lam10)
    return grid[i - 1] if i > 0 else lam10 / 2


def _log10_err(q, e):
    """Error of log10 q for q known to +-e (e < q): the larger of the two one-sided changes."""
    return float(max(math.log10(q + e) - math.log10(q), math.log10(q) - math.log10(q - e)))


def _local_slope(core, grid, lam10, key):
    """Local exponent d log10 Q / d log10 lambda between lam10 and :func:`_other` (Q = ``key`` of :func:`_limit`), with
    its error from the error estimates of Q, the other grid value, and (0, UNRESOLVED) when Q is within its error
    at either end."""
    other = _other(grid, lam10)
    here, there = _limit(core, lam10), _limit(core, other)
    qa, qb = here["tight"][key], there["tight"][key]
    ea, eb = here[_ERR[key]], there[_ERR[key]]
    if qa <= ea or qb <= eb:
        return 0.0, UNRESOLVED, other
    span = abs(lam10 - other)
    sl = (math.log10(qa) - math.log10(qb)) / (lam10 - other)
    return sl, (_log10_err(qa, ea) + _log10_err(qb, eb)) / span, other


def _pre_asymptotic(core, grid, lam10, key, sl, err):
    """Change of the local exponent from the previous pair of lambdas (how far the exponent is from settling)."""
    if err >= UNRESOLVED:
        return 0.0
    other = _other(grid, lam10)
    if other not in grid:
        return 0.0
    sp_, ep_, _ = _local_slope(core, grid, other, key)
    return abs(sl - sp_) if ep_ < UNRESOLVED else 0.0


def _grid_of(inst):
    return [p["lam10"] for p in inst.grid]


# =========================================================================== Theorem 1 (limit, value, rate)


def _t1_measure(inst, point, precision) -> Measurement:
    """Theorem 1, Eq. (7): local exponent of ||theta^infty_lambda - theta*|| in lambda (theta* of DC-2, lambda-free),
    with its error: the distances' errors + the change from the previous local exponent (pre-asymptotic)."""
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    grid = _grid_of(inst)
    sl, err, other = _local_slope(core, grid, lam10, "dist")
    pre = _pre_asymptotic(core, grid, lam10, "dist", sl, err)
    L, Q = _limit(core, lam10), _limit(core, other)
    sln, errn, _ = _local_slope(core, grid, lam10, "gap")
    gam = _dc5_gamma(core)
    P1 = convex_values(core)
    kp = limit_objects(core)
    lams = sorted({v for v in grid if v >= lam10} | {other}, reverse=True)
    return Measurement(
        values={"slope": sl, "gamma_DC5": gam, "one": 1.0},
        errors={"slope": err + pre, "gamma_DC5": "rounding"}, exact=("one",),
        coords={"lambda_pair": f"1e{lam10:g} / 1e{other:g}"},
        info={"dist_theta_star": L["tight"]["dist"], "dist_err": L["err_dist"], "dist_other": Q["tight"]["dist"],
              "dist_equal_split": L["tight"]["dist_eq"], "half_norm2_flow": L["tight"]["half_norm2"],
              "half_norm2_err": L["err_half_norm2"], "norm_excess_G": L["tight"]["gap"],
              "norm_excess_err": L["err_gap"],
              "min_cvx": P1["cvx"], "min_prop1": P1["closed"], "cvx_duality_gap": P1["gap"],
              "slope_norm_excess": sln, "slope_norm_excess_err": errn, "loss_T": L["tight"]["loss"],
              "path_after_T_bound": L["tail"], "T": L["tight"]["T"], "K_plus": kp["K_plus"], "K_minus": kp["K_minus"],
              "pre_asymptotic_err": pre, "gamma_DC5": gam, "S_plus": kp["plus"], "S_minus": kp["minus"]},
        series={"distance": {"x": [float(v) for v in lams],
                             "y": {"log10 ||theta^inf - theta*||": [math.log10(_limit(core, v)["tight"]["dist"])
                                                                  for v in lams]},
                             "xlabel": "log10 lambda", "ylabel": "log10 distance", "logy": False}})


def _t1_value_measure(inst, point, precision) -> Measurement:
    """1/2||theta^infty_lambda||^2 against the min-norm value: the norm excess G of :func:`norm_excess` (>= 0, = 0
    exactly at a min-norm interpolator of the outputs) must vanish as lambda -> 0 (Theorem 1); the check is the
    local exponent of G in lambda (> 0), with the error of the two G's and the change from the previous exponent.
    1/2||theta||^2, the convex optimum and Prop. 1's closed form are given alongside (info, display)."""
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    grid = _grid_of(inst)
    sln, errn, other = _local_slope(core, grid, lam10, "gap")
    pre = _pre_asymptotic(core, grid, lam10, "gap", sln, errn)
    L = _limit(core, lam10)
    P1 = convex_values(core)
    cvx = {"V_cvx": P1["cvx"]} if P1["err"] is not None else {}
    return Measurement(
        values={"slope_norm": sln, "gap": L["tight"]["gap"], "half_norm2": L["tight"]["half_norm2"],
                "V_prop1": P1["closed"], **cvx},
        errors={"slope_norm": errn + pre, "gap": L["err_gap"], "half_norm2": L["err_half_norm2"],
                "V_prop1": "rounding", **({"V_cvx": P1["err"]} if cvx else {})},
        coords={"lambda_pair": f"1e{lam10:g} / 1e{other:g}"},
        info={"norm_excess_G": L["tight"]["gap"], "norm_excess_err": L["err_gap"],
              "norm_excess_other": _limit(core, other)["tight"]["gap"],
              "half_norm2_flow": L["tight"]["half_norm2"], "min_prop1 (||y_+|| + ||y_-||)": P1["closed"],
              "half_norm2_minus_prop1": L["tight"]["half_norm2"] - P1["closed"], "half_norm2_err": L["err_half_norm2"],
              "V_of_outputs": L["tight"]["V_h"], "cvx_duality_gap": P1["gap"], "loss_T": L["tight"]["loss"],
              **({} if cvx else {"V_cvx": P1["cvx"]}),
              "path_after_T_bound": L["tail"], "pre_asymptotic_err": pre})


SLOPE, GAMMA_DC5, ONE = sp.symbols("slope gamma_DC5 one", real=True)
SLOPE_NORM = sp.Symbol("slope_norm", real=True)
HALF_NORM2, V_CVX, V_PROP1, GAP = sp.symbols("half_norm2 V_cvx V_prop1 gap", real=True)
THEOREM1_NAMES = {"slope": r"p(\lambda)", "gamma_DC5": r"\gamma", "one": "1", "slope_norm": r"p_{G}(\lambda)",
                  "half_norm2": r"\frac{1}{2}\|\theta^\infty_\lambda\|^2", "V_cvx": r"V_{\mathrm{cvx}}",
                  "V_prop1": r"\|y_+\|+\|y_-\|", "gap": r"G(\theta^\infty_\lambda)"}
THEOREM1_WHERE = "§3.1, l.309-322, Eq. (7) (= Theorem 2, App. B.6, l.4533)"
THEOREM1_DOC = {"slope": "local exponent d log||theta^inf_lambda - theta*|| / d log lambda between consecutive grid "
                         "lambdas (sqrt(lambda) above the top of the grid)",
                "gamma_DC5": "catalog DC-5 exponent 1 - max ||y_P||/||y_+|| (derived, computed from the draw)",
                "one": "the constant 1"}
THEOREM1_COMMON = dict(latex_names=THEOREM1_NAMES, result="theorem1", data_instances=data_instances)

claims.add(
    "theorem1", "Theorem 1 (Eq. (7): lim_lambda lim_t theta = theta*)", THEOREM1_WHERE, "asymptotic",
    catalog_ref="T1 (b), L12 (c), DC-2", instances=long_instances,
    statement=sp.Gt(SLOPE, 0), symbols_doc=THEOREM1_DOC,
    quantifier="lambda -> 0 along the grid (decided at the smallest lambda); theta* = DC-2 (lambda-independent, "
               "in argmin ||theta||)",
    quantifier_latex=r"\|\theta^\infty_\lambda - \theta^*\| \asymp \lambda^{p},\ p > 0",
    measure=_t1_measure, provides=("one", "gamma_DC5"),
    mutant=Mutant(sp.Gt(SLOPE, sp.Rational(1, 2)),
                  "convergence at least like lambda^{1/2} (exponent 0 -> 1/2): the measured exponent is the DC-5 "
                  "gamma (0.1425 on DS-A)"),
    notes="Decay of ||theta^infty_lambda - theta*|| with a positive exponent, theta* the explicit Lemma 12 "
          "interpolator (DC-2, from the lambda-free amplitudes kappa_j). The error of each distance includes the "
          "path still to travel after the horizon (2 (L/||D_-||)^{1/2}). info: the distance to the equal-split "
          "interpolator (also in the argmin; it stalls at 0.627 on DS-A, catalog L12 mutation), 1/2||theta||^2 vs "
          "the convex optimum and Prop. 1's closed form, the norm excess. Full tier: from lambda = 1e-64 down the "
          "distance (~lambda^{0.14}: 1e-9 at 1e-64 on DS-A, 1e-18 at 1e-128) is at or below what the float64 flows "
          "resolve (a few 1e-9), so the full tier is INCONCLUSIVE (the smallest lambda, 1e-128, decides).",
    **THEOREM1_COMMON)

claims.add(
    "theorem1.value", "Theorem 1 (1/2||theta^inf||^2 -> min-norm value)", THEOREM1_WHERE, "asymptotic",
    catalog_ref="T1 (b), P1 (2)", instances=long_instances,
    statement=sp.Gt(SLOPE_NORM, 0),
    symbols_doc={"slope_norm": "local exponent of the norm excess G(theta^inf_lambda) = 1/2||theta||^2 - "
                               "(||h_+|| + ||h_-||) (h = the network's outputs) between consecutive grid lambdas",
                 "gap": "G(theta^inf_lambda), >= 0, = 0 exactly at a min-norm interpolator of the outputs",
                 "half_norm2": "1/2||theta^infty_lambda||^2 (flow at the horizon)",
                 "V_cvx": "min 1/2||theta||^2 s.t. L = 0 (convex reformulation)",
                 "V_prop1": "||y_+|| + ||y_-|| (Prop. 1 closed form)"},
    quantifier="lambda -> 0 along the grid (decided at the smallest lambda)",
    quantifier_latex=r"\frac{1}{2}\|\theta^\infty_\lambda\|^2 - \min_{L=0}\frac{1}{2}\|\theta\|^2 \asymp "
                     r"\lambda^{p_G},\ p_G>0",
    measure=_t1_value_measure, provides=("gap", "half_norm2", "V_cvx", "V_prop1"),
    mutant=Mutant(sp.Gt(SLOPE_NORM, sp.Rational(1, 2)),
                  "the norm excess vanishes at least like lambda^{1/2} (exponent 0 -> 1/2): it decays like the "
                  "squared distance, lambda^{2 gamma} = lambda^{0.285} on DS-A"),
    display=("norm excess G", GAP, "0", sp.Integer(0)),
    notes="The excess is measured as G = 1/2||theta||^2 - V(h_theta), V(h) = ||h_+|| + ||h_-|| the min-norm value for "
          "the outputs the network fits (Prop. 1 with labels h): G = 0 exactly at a min-norm interpolator and G is "
          "stationary there, so the flows' error (and the residual h - y at the horizon) enters at second order. "
          "The difference 1/2||theta||^2 - (||y_+|| + ||y_-||) used before was dominated by the residual at "
          "lambda = 1e-32 (-4e-9 on DS-A: below the minimum) and left the smallest lambda unresolved (error 1e3). "
          "Full tier: from 1e-48 down G (~lambda^{0.285}: 4e-15 +- 7e-15 at 1e-48 on DS-A) is below the float64 "
          "resolution and the claim is INCONCLUSIVE there.",
    **THEOREM1_COMMON)

claims.add(
    "theorem1.rate", "Theorem 1, rate of the lambda -> 0 limit (catalog DC-5)", THEOREM1_WHERE, "asymptotic",
    catalog_ref="DC-5", instances=_rate_instances,
    statement=sp.Eq(SLOPE, GAMMA_DC5), symbols_doc=THEOREM1_DOC,
    quantifier="local exponent at the smallest grid lambda; error = distances' errors + change of the local exponent",
    quantifier_latex=r"\|\theta^\infty_\lambda - \theta^*\| \asymp \lambda^{\gamma}",
    measure=_t1_measure, provides=("one",), eq_rtol=0.05,
    mutant=Mutant(sp.Eq(SLOPE, ONE), "O(lambda) convergence (a linearisation around theta* would suggest exponent 1)"),
    notes="Not stated by the paper (Theorem 1 gives no rate): the catalog's derived sharp exponent, "
          "gamma = 1 - 5/sqrt(34) = 0.1425 on DS-A. Declared tolerance: the exponent within 5% of gamma (eq_rtol = "
          "0.05). A local exponent between two lambdas 16 decades apart still moves by up to 4e-3 from one pair to "
          "the next on the generic instance (counted in the error), so a fit on this grid identifies an exponent "
          "to a few percent, not to 1e-6; 5% separates gamma from every competing exponent: 1 (the mutant), 2 gamma "
          "(the norm excess), and the exponent of the second-largest active label subset (0.486 on DS-A).",
    **THEOREM1_COMMON)

# =========================================================================== Lemma 5 / 15 (local PL), Theorem 2 (rate)

#: the loss window of the tail fits: the catalog T1 recipe (L in [1e-14, 1e-8], after phase 3 and above the loss
#: floor of both tolerances: 8e-25 at rtol 1e-12, 2e-18 at 1e-10 on DS-A). The earlier window [1e-10, 1e-5] still
#: carries the decaying fast mode: its two halves differ by 2.5e-3 in slope, against 6e-6 here (DS-A, 1e-32)
LOSS_WINDOW = (1e-8, 1e-14)
N_WINDOW = 41


@lru_cache(maxsize=32)
def _loss_tail(core: str, lam10: float) -> dict:
    """On the cached long runs (:func:`.common.long_run`, both tolerances): the times t_a, t_b where L first falls
    to 1e-8 and 1e-14 (after phase 3: far below the Fact 1 plateau ||y_-||^2/(2n)), and on N_WINDOW
    uniform times of [t_a, t_b] (dense output) the PL ratio ||grad L||^2/L (numerics.network.gradient on the
    cartesian (a, W), sigma'(0) = 0) and ln L; the least-squares slope d ln L/dt and the slopes of the two halves."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    out = {"nDm": nDm}
    for name, rt in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
        tr = long_run(core, lam10, rt)
        model = tr.model
        negL = lambda st: -float(st.loss(model))  # noqa: E731
        ta, tb = hitting_time(tr, negL, -LOSS_WINDOW[0]), hitting_time(tr, negL, -LOSS_WINDOW[1])
        if ta is None or tb is None:
            raise RuntimeError(f"loss never fell to {LOSS_WINDOW[1]:g} before the horizon (lambda = 1e{lam10:g})")
        ts = np.linspace(ta, tb, N_WINDOW)
        R, lnL, rel = [], [], []
        for t in ts:
            a, W = cartesian(tr.at(float(t)))
            ga, gW = gradient(model, a, W)
            Lv = float(total_loss(model, a, W))
            R.append(float(ga @ ga + np.sum(gW * gW)) / Lv)
            lnL.append(math.log(Lv))
            # rounding of the residuals h - y (|h|, |y| <= 1 + max|y|) relative to their size (2nL)^{1/2}, doubled
            # for the squares of the ratio's numerator and denominator
            rel.append(16 * np.finfo(float).eps * (1 + float(np.max(np.abs(y)))) / math.sqrt(2 * len(y) * Lv))
        h = N_WINDOW // 2
        out[name] = {"t": ts.tolist(), "ratio": R, "lnL": lnL, "nsteps": tr.nsteps, "rounding_rel": rel,
                     "slope": float(np.polyfit(ts, lnL, 1)[0]),
                     "slope_1": float(np.polyfit(ts[:h + 1], lnL[:h + 1], 1)[0]),
                     "slope_2": float(np.polyfit(ts[h:], lnL[h:], 1)[0])}
    return out


def _l5_measure(inst, point, precision) -> Measurement:
    """Lemma 5 / 15 along the trajectory after phase 3: ||grad L||^2/L at N_WINDOW times of the loss window
    [1e-8, 1e-14] (the trajectory enters every ball around theta* there; catalog L5 recipe (b))."""
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    T5 = _loss_tail(core, lam10)
    t, lo = T5["tight"], T5["loose"]
    R = t["ratio"]
    err = [abs(r - r2) + 2 * q * r + RTOL_TIGHT * (t["nsteps"] + 1) * r
           for r, r2, q in zip(R, lo["ratio"], t["rounding_rel"])]
    nDm = T5["nDm"]
    return Measurement(
        values={"pl_ratio": R, "Dm_norm": nDm}, errors={"pl_ratio": err, "Dm_norm": "rounding"},
        coords={"t": t["t"]},
        info={"min_ratio": min(R), "max_ratio": max(R), "min_ratio_over_Dm": min(R) / nDm,
              "four_Dm": 4 * nDm, "two_Dm_ball_inf_DC6": 2 * nDm, "window_t": [t["t"][0], t["t"][-1]],
              "loss_window": list(LOSS_WINDOW)},
        series={"pl_ratio": {"x": t["t"], "y": {"||grad L||^2 / L": R}, "xlabel": "t", "ylabel": "PL ratio",
                             "logy": False, "hline": {"||D_-||": nDm, "4||D_-||": 4 * nDm}}})


PL_RATIO, DM_NORM, RATE = sp.symbols("pl_ratio Dm_norm rate", real=True)

claims.add(
    "lemma5", "Lemma 5 / Lemma 15 (local PL: ||grad L||^2/L >= ||D_-|| after phase 3)",
    "§4.2, l.747-760 / App. B.6, l.4398-4409", "flow-inequality", result="lemma5",
    catalog_ref="L5/L15 (b), DC-6", instances=long_instances, data_instances=data_instances,
    statement=sp.Ge(PL_RATIO, DM_NORM),
    latex_names={"pl_ratio": r"\|\nabla L(\theta^t)\|^2/L(\theta^t)", "Dm_norm": r"\|D_-\|"},
    symbols_doc={"pl_ratio": "||grad L(theta^t)||^2 / L(theta^t) (sigma'(0) = 0) at 41 times of the window where "
                             "L falls from 1e-8 to 1e-14 (after t_3, inside every small ball around theta*)",
                 "Dm_norm": "||D_-|| = ||y_-||/n"},
    quantifier="for all t >= t_3 (window L in [1e-14, 1e-8]), for lambda <= lambda*",
    quantifier_latex=r"\forall t\geq t_3:\ \|\nabla L(\theta^t)\|^2 \geq \|D_-\| L(\theta^t)",
    measure=_l5_measure,
    mutant=Mutant(sp.Ge(PL_RATIO, sp.Rational(9, 2) * DM_NORM),
                  "constant 4.5||D_-|| (above the trajectory value 4||D_-|| of catalog DC-6; the ball infimum is "
                  "2||D_-||, so 2.5||D_-|| (catalog L5 mutation) would only be rejected adversarially)"),
    display=("min ||grad L||^2/L", PL_RATIO, "||D_-||", DM_NORM),
    notes="Trajectory form only (catalog recipe (b)): the ratio stays at 4||D_-|| because the residual stays "
          "parallel to y_-. The ball form (recipe (a), adversarial infimum 2||D_-||) is boursier2022.lemma5.ball; "
          "the literal radius lambda^{eps/240}, which contains a spurious critical point unless lambda < 1e-4771, "
          "is boursier2022.finding.F17.")


def _t2_rate_measure(inst, point, precision) -> Measurement:
    """Theorem 2's exponential convergence after t_3: least-squares d ln L/dt on the loss window [1e-14, 1e-8]
    against the catalog's closed form -4||D_-|| (DC-6). Error: tolerance comparison (rtol 1e-12 vs 1e-10) +
    the change of the slope between the two halves of the window (curvature of ln L) + the rounding of ln L."""
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    T5 = _loss_tail(core, lam10)
    t, lo = T5["tight"], T5["loose"]
    # + the rounding of ln L (twice the residuals' relative rounding) at both ends of the window, over its length
    err = (abs(t["slope"] - lo["slope"]) + abs(t["slope_1"] - t["slope_2"])
           + 4 * max(t["rounding_rel"]) / (t["t"][-1] - t["t"][0]))
    return Measurement(
        values={"rate": t["slope"], "Dm_norm": T5["nDm"]}, errors={"rate": err, "Dm_norm": "rounding"},
        coords={"window_t": f"[{t['t'][0]:.4g}, {t['t'][-1]:.4g}]"},
        info={"slope_tight": t["slope"], "slope_loose": lo["slope"], "slope_first_half": t["slope_1"],
              "slope_second_half": t["slope_2"], "pred_-4Dm": -4 * T5["nDm"], "loss_window": list(LOSS_WINDOW)})


claims.add(
    "theorem2.rate", "Theorem 2 (exponential convergence after t_3: d ln L/dt = -4||D_-||)",
    "App. B.6, l.4533-4554 (= Theorem 1's last phase, §3.1 l.326)", "asymptotic", result="theorem1",
    catalog_ref="T1/T2 (d), DC-6", instances=long_instances, data_instances=data_instances,
    statement=sp.Eq(RATE, -4 * DM_NORM),
    latex_names={"rate": r"\frac{d\ln L}{dt}", "Dm_norm": r"\|D_-\|"},
    symbols_doc={"rate": "least-squares slope of ln L(theta^t) in t on the window L in [1e-14, 1e-8] (after t_3)",
                 "Dm_norm": "||D_-|| = ||y_-||/n"},
    quantifier="lambda -> 0 along the grid; error = |rtol 1e-12 - rtol 1e-10| + change of slope across the window",
    quantifier_latex=r"L(\theta^t) \asymp e^{-4\|D_-\| t},\ t\geq t_3",
    measure=_t2_rate_measure, eq_rtol=1e-3,
    mutant=Mutant(sp.Eq(RATE, -2 * DM_NORM), "rate -2||D_-|| (the slow mode / ball-infimum PL constant of DC-6)"),
    notes="The paper gives exponential convergence with rate >= ||D_-|| (via Lemma 5); the sharp trajectory rate "
          "4||D_-|| is the catalog's derived constant (DC-6). The slow mode 2||D_-|| is excited only at loss "
          "levels that vanish with lambda (catalog: -0.374 at lambda = 1e-8, measured here -0.3746). Declared "
          "tolerance: the rate within 0.1% of 4||D_-|| (eq_rtol = 1e-3). A least-squares slope of ln L over a finite "
          "window carries what is left of the faster modes (5e-5 relative on DS-A at lambda = 1e-32, and the two "
          "halves of the window differ by 1e-4), so it identifies the constant to about 1e-4, not to the default "
          "1e-6; 0.1% is far below the distance to the competing constants 2||D_-|| (the mutant, 50% off) and "
          "||D_-|| (Lemma 5's bound). Window: the catalog's L in [1e-14, 1e-8] (T1 pitfall), tolerances 1e-12 vs "
          "1e-10.")
