"""lyu2021 §6, hinted data: Definition 6.1 (the hinted set keeps w* and has margin eps) and Theorem 6.2 (the
flow converges to 1/2 phi(<w*, x>), whose margin is suboptimal, with probability >= 1 - 2^-m).
"""
from __future__ import annotations

import json
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.flows import PolarState
from numerics.margins import flow_to_infinity, normalized_function, wilson_interval
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (ALPHA, ASSUMPTION_A2, ASSUMPTION_A3, FUNCTION_EQ_ATOL, FUNCTION_EQ_NOTE, F_INF, G_GLOB, G_INF,
                     HINTED, INPUTS_IN_UNIT_BALL, LIN, LOGISTIC_LEAKY, MODEL, PATTERNS_ENUMERABLE, PROBABILITY_DOC,
                     PROBABILITY_LATEX, P_HI, SEPARABLE, SETTINGS, SOME_POSITIVE_SIGN, THEOREM62_CONDITIONS, WIDTH,
                     accept_data, data, dataset, fp_bound, global_max_margin, hinted_limit_instances, init_bar,
                     limit_run_info, limit_run_series, model, phi, resolved_limit_run, run_group, svm, svm_mp,
                     test_points, user_limit_instance, user_static)
from .datasets import UserSettings, flow_cost
from .paper import CATALOG, PAPER

#: the setting of Theorem 6.2: hinted data (Definition 6.1, the parameter conditions of App. A.2) and a draw
#: with some s_k = +1
HINTED_SETTING = [LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SEPARABLE, HINTED, THEOREM62_CONDITIONS, ASSUMPTION_A2,
                  ASSUMPTION_A3, SOME_POSITIVE_SIGN]

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=HINTED_SETTING)


# =========================================================================== Definition 6.1


def _d61_measure(inst, point, precision):
    """Definition 6.1 / App. A.2 (c): the SVM of the hinted set S' keeps w* and has margin eps (scaled). The SVM is
    polished exactly on its support set (common.svm), so its margin is exact on the data as given (float64); eps
    times the scale is one float64 product (rounding)."""
    ds = dataset(inst.params)
    ws_poly, g_mp, _ = svm_mp(inst.params)
    eps = float(ds.params["eps"]) * float(ds.params.get("scale", 1.0))
    ws = np.asarray(ds.params["w_star"], dtype=float)
    cos = float(sum(a * float(b) for a, b in zip(ws_poly, ws)) / np.linalg.norm(ws))
    return Measurement(values={"g": g_mp, "eps": eps, "cos": cos},
                       errors={"eps": "rounding", "cos": float(fp_bound(1.0, 4 * len(ws)))}, exact=("g",),
                       info={"w* of S' (exact polish)": svm(inst.params)[0].tolist(), "w* of the construction":
                             ws.tolist()})


G_HINTED, EPS, COS_W = sp.symbols("g eps cos", positive=True)
DEF61 = claims.add(
    "definition6.1", "Definition 6.1 (hinted set: w* kept, γ_w*(S') = ε)",
    "§6, l.849-855; App. A.2 (c), l.1141-1165", "convex", statement=sp.Eq(G_HINTED, EPS),
    latex_names={"g": r"\gamma_{w^*}(S')", "eps": r"\epsilon", "cos": r"\cos\angle(w^*(S'), w^*)"},
    symbols_doc={"g": "max-margin of the hinted set (SVM)", "eps": "epsilon (times the dataset scale)"},
    hypotheses=[HINTED], instances=lambda tier: [
        Instance("DS-H/70", {"dataset": "DS-H", "scale": 1 / 70, "setting": "hinted"}),
        Instance("generic hinted (seed 4)", {"dataset": "hinted-generic", "ds_seed": 4, "setting": "hinted"})],
    measure=_d61_measure, mutant=Mutant(sp.Eq(G_HINTED, 2 * EPS), "margin 2 eps"), provides=("cos",),
    catalog_ref="E20, E31 (c)", result="definition6.1")


# =========================================================================== Theorem 6.2 (hinted data)




def _w_star_of(p):
    ds = dataset(p)
    return np.asarray(ds.params["w_star"], dtype=float)


def _t62_measure(inst, point, precision):
    """Theorem 6.2: f_inf(x) (extrapolated) against 1/2 phi(<w*, x>) at the test points (mutant: the symmetric
    answer (1+alpha)/4 <w*, x>)."""
    r = resolved_limit_run(inst.params)
    ws = _w_star_of(inst.params)
    Xt = np.asarray(r["Xt"])
    z = Xt @ ws
    alpha = r["alpha"]
    zerr = fp_bound(np.abs(Xt) @ np.abs(ws), 2 * len(ws))
    return Measurement(values={"f_inf": r["f_inf"], "half_phi": (0.5 * phi(z, alpha)).tolist(),
                               "lin": z.tolist(), "alpha": mpmath.mpf(alpha)},
                       errors={"f_inf": r["f_err"], "half_phi": (zerr + fp_bound(np.abs(z), 2)).tolist(),
                               "lin": zerr.tolist()}, exact=("alpha",),
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]}, info=limit_run_info(r),
                       series=limit_run_series(r))


HALF_PHI = sp.Symbol("half_phi", real=True)
THEOREM62 = claims.add(
    "theorem6.2", "Theorem 6.2 (hinted data: flow → ½ φ(<w*, x>))",
    "§6, l.857-885; proof App. A.2, l.1109-1217", "asymptotic",
    statement=sp.Eq(F_INF, HALF_PHI),
    latex_names={"f_inf": r"f_\infty(x)", "half_phi": r"\frac{1}{2}\phi(\langle w^*, x\rangle)",
                 "lin": r"\langle w^*,x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_inf": "limit normalised function (extrapolated)", "half_phi": "1/2 phi(<w*, x>)"},
    quantifier="for all test points, on a draw with some s_k = +1, sigma small", instances=hinted_limit_instances,
    measure=_t62_measure,
    mutant=Mutant(sp.Eq(F_INF, (1 + ALPHA) / 4 * LIN), "the symmetric answer (1+alpha)/4 <w*, x> (E21 (i))"),
    provides=("lin", "alpha"), catalog_ref="E21, E30", result="theorem6.2", share=run_group("t62"),
    eq_atol=FUNCTION_EQ_ATOL,
    notes="w* is the construction's hint direction (Definition 6.1; lyu2021.definition6.1 checks it is the SVM "
          "direction of the hinted set). " + FUNCTION_EQ_NOTE)


def _t62_sub_measure(inst, point, precision):
    """Theorem 6.2 'Moreover': the limit margin gamma_inf (extrapolated) against the global max margin gamma_glob
    of the network class on the hinted set (convex reformulation) and gamma_w*/2 (the linear-boundary ceiling D2)."""
    r = resolved_limit_run(inst.params)
    gg, gerr = global_max_margin(inst.params)
    _, g_mp, _ = svm_mp(inst.params)
    gw = float(g_mp)
    return Measurement(values={"g_inf": r["g_inf"], "g_glob": gg, "g_w": g_mp},
                       errors={"g_inf": r["g_err"], "g_glob": gerr}, exact=("g_w",),
                       info={**limit_run_info(r), "gamma_w*/2": gw / 2, "gap to the global max": gg - r["g_inf"]},
                       series=limit_run_series(r, gg))


THEOREM62_SUB = claims.add(
    "theorem6.2.suboptimal", "Theorem 6.2 (the limit margin is suboptimal)",
    "§6, l.880-885 (asserted, not proven: catalog F7)", "convex",
    statement=sp.Lt(G_INF, G_GLOB),
    latex_names={"g_inf": r"\lim_t\gamma(\theta(t))", "g_glob": r"\max\gamma", "g_w": r"\gamma_{w^*}"},
    symbols_doc={"g_inf": "limit normalised margin (extrapolated)", "g_glob": "global max margin (convex)"},
    quantifier="on the instance's draw", instances=hinted_limit_instances, measure=_t62_sub_measure,
    mutant=Mutant(sp.Ge(G_INF, G_GLOB), "the convergent margin is globally optimal (E21 mutation (ii))"),
    provides=("g_w",), catalog_ref="E21 (5), F7, D2", result="theorem6.2", share=run_group("t62"))


def _p62_instances(tier):
    n = 40 if tier == "fast" else 200
    return [Instance(f"DS-H/70, m=1, {n} balanced draws, sigma = 1e-6",
                     {"dataset": "DS-H", "scale": 1 / 70, "m": 1, "draws": n, "sigma": 1e-6, "seed0": 100,
                      "setting": "hinted"}),
            Instance(f"generic hinted (seed 4), m=2, {n // 4} balanced draws",
                     {"dataset": "hinted-generic", "ds_seed": 4, "m": 2, "draws": n // 4, "sigma": 1e-6, "seed0": 500,
                      "setting": "hinted"})]


@lru_cache(maxsize=8)
def _mc62(pj):
    p = json.loads(pj)
    X, y, alpha = data(p)
    mdl = model(p)
    ws = _w_star_of(p)
    Xt = test_points(X.shape[1])
    target = 0.5 * phi(Xt @ ws, alpha)
    m, n = int(p["m"]), int(p["draws"])
    succ, sign_ok = 0, 0
    errs = []
    for k in range(n):
        rng = np.random.default_rng(int(p["seed0"]) + k)
        Wb = rng.standard_normal((m, X.shape[1]))
        s = rng.choice([-1.0, 1.0], size=m)
        a = s * np.linalg.norm(Wb, axis=1)
        sg = float(p["sigma"])
        run = flow_to_infinity(mdl, PolarState.from_cartesian(sg * a, sg * Wb), 4.0, log10_t_min=4.0, rtol=1e-9)
        e = float(np.max(np.abs(normalized_function(Xt, run.a[-1], run.W[-1], alpha) - target)))
        ok = e < 0.05 * float(np.max(np.abs(target)))
        succ += ok
        sign_ok += ok == bool(np.any(s > 0))
        errs.append(e)
    lo, hi = wilson_interval(succ, n)
    return {"succ": succ, "n": n, "lo": lo, "hi": hi, "agree": sign_ok, "errs": errs}


def _p62_measure(inst, point, precision):
    """Theorem 6.2 probability: fraction of balanced draws whose flow at t = 1e4 is within 5% (sup over the test
    grid, relative to max |target|) of 1/2 phi(<w*, x>); 99% Wilson interval."""
    r = _mc62(json.dumps(inst.params, sort_keys=True))
    return Measurement(values={"p_hi": r["hi"], "p_lo": r["lo"], "m": int(inst.params["m"])},
                       errors={"p_hi": "rounding", "p_lo": "rounding"}, exact=("m",),
                       info={"successes": r["succ"], "draws": r["n"], "99% Wilson interval": [r["lo"], r["hi"]],
                             "outcome = (some s_k = +1)": r["agree"]})


THEOREM62_PROB = claims.add(
    "theorem6.2.prob", "Theorem 6.2 (success probability ≥ 1 − 2^{−m})",
    "§6, l.857-885 (display prints 1 - delta, F19)", "probabilistic",
    statement=sp.Ge(P_HI, 1 - 2 ** (-WIDTH)),
    latex_names=PROBABILITY_LATEX, symbols_doc=PROBABILITY_DOC,
    quantifier="over theta_bar_0 ~ balanced D~_init(1) (Monte Carlo)",
    hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SEPARABLE, HINTED, THEOREM62_CONDITIONS], instances=_p62_instances,
    measure=_p62_measure,
    mutant=Mutant(sp.Ge(P_HI, 1 - 2 ** (-WIDTH - 1)), "probability 1 - 2^-(m+1)"),
    provides=("p_lo",), catalog_ref="E21 (6), F19", result="theorem6.2", share=run_group("mc62"))




# =========================================================================== user data (earlyalign --data)
# A user's data is read as a hinted set (datasets.hinted_from_points): the first three points are the hints, the rest
# is S; Definition 6.1 and the conditions of Theorem 6.2 then say whether it IS one (NOT_APPLICABLE, by name, if not).

HINTED_READING = {"setting": "hinted"}


def _t62_data(ds):
    """Theorem 6.2 on a user's data read as hinted: balanced D~_init(1) draw (m default 4; seed default: the first seed
    with some s_k = +1), sigma_init default 1e-12, flow to T (default 1e100, as the catalog's hinted runs)."""
    return [user_limit_instance(ds, lambda p: bool(np.any(init_bar(p)[0] > 0)), "some s_k = +1",
                                inits=("balanced-gaussian",), sigma=1e-12, log10_t=100.0, params=HINTED_READING)]


def _p62_data(ds):
    """Theorem 6.2's probability on a user's data read as hinted: 32 balanced draws default_rng(seed + k) (seed default
    100), m (default 2), sigma_init (default 1e-6), each flow to t = 1e4."""
    u = UserSettings(ds)
    u.init(("balanced-gaussian",))
    m, seed0, sigma = int(u.get("m", 2)), int(u.get("seed", 100)), u.sigma(1e-6)
    return [u.instance(f"m={m}, 32 balanced draws from seed {seed0}, sigma = {sigma:g}",
                       {"m": m, "draws": 32, "sigma": sigma, "seed0": seed0, **HINTED_READING},
                       description="success: within 5% of 1/2 phi(<w*, x>) at t = 1e4",
                       cost=flow_cost(len(ds.y), m, 4.0, runs=32))]


accept_data(DEF61, lambda ds: user_static(ds, "read as hinted (the first three points are the hints)", HINTED_READING))
accept_data(THEOREM62, _t62_data)
accept_data(THEOREM62_SUB, _t62_data, MODEL, SETTINGS, PATTERNS_ENUMERABLE)
accept_data(THEOREM62_PROB, _p62_data)
