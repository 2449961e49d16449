"""lyu2021 §5.3 and App. F, the late phase with two neurons and its proof: Theorem 5.5 (two opposite neurons
converge to 1/2 (w*, -w*, 1, -1); the printed 1/4 is a finding), Lemma F.1 (2-neuron feasibility implies the
cross inequality on symmetric data), Lemmas F.2-F.3 (the width-2 KKT directions), finding F5 (the proof's
threshold max{., 1} should be a min) and the cited Lemmas F.6 (Ji-Telgarsky identity) and F.8 (beta -> 1)
along the limit runs.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy.special import logsumexp

from numerics.network import normalized_margin
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (DIRECTION_EQ_ATOL, DIRECTION_EQ_NOTE, KKT, KKT_LATEX, KKT_MUTANT, KKT_TOL, KKT_TOLERANCE, LOG10_T,
                     LOGISTIC_LEAKY, SEPARABLE, SETTING, SYMMETRIC, WIDTH_AT_LEAST_2, accept_data, data, fp_bound,
                     kkt_residual_pair, limit_run, limit_run_info, limit_run_series, needs_separable, phi,
                     resolved_limit_run, run_group, sampled_instances, svm, svm_mp, symmetric_limit_instances,
                     user_limit_instance, user_sampled, user_static)
from .datasets import UserSettings, flow_cost
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=SETTING)


# =========================================================================== Theorem 5.5


def _t55_instances(tier):
    out = [Instance("DS-S, w1 = (0.05,0.1), w2 = (-0.02,0.08), balanced",
                    {"dataset": "DS-S", "m": 2, "seed": 0, "sigma": 1.0,
                     "theta0": [[[0.05, 0.1], [-0.02, 0.08]], [math.hypot(0.05, 0.1), -math.hypot(0.02, 0.08)]]},
                    description="catalog E17 init 1, flow to t = 1e200"),
           Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, balanced random init",
                    {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 2, "seed": 0,
                     "sigma": 1.0, "theta0": [[[0.2, 0.1, -0.05], [0.1, -0.3, -0.2]],
                                              [math.sqrt(0.0525), -math.sqrt(0.14)]]})]
    if tier == "full":
        out.append(Instance("DS-S, w1 = (0.01,-0.3), w2 = (-0.2,0.25), balanced",
                            {"dataset": "DS-S", "m": 2, "seed": 0, "sigma": 1.0,
                             "theta0": [[[0.01, -0.3], [-0.2, 0.25]],
                                        [math.hypot(0.01, 0.3), -math.hypot(0.2, 0.25)]]}))
    return out


@needs_separable
def _t55_hyp(inst):
    ws, _, _ = svm(inst.params)
    W, a = np.asarray(inst.params["theta0"][0]), np.asarray(inst.params["theta0"][1])
    n = np.linalg.norm(W, axis=1)
    ok = (abs(a[0] - n[0]) < 1e-12 and abs(a[1] + n[1]) < 1e-12 and W[0] @ ws > 0 > W[1] @ ws)
    return ok, f"a = {a.tolist()}, ||w|| = {n.tolist()}, <w_1,w*> = {W[0] @ ws:.4g}, <w_2,w*> = {W[1] @ ws:.4g}"


THEOREM55_START = Hypothesis("a_1 = ||w_1||, a_2 = -||w_2||, <w_1,w*> > 0 > <w_2,w*>", _t55_hyp, "l.774-776")


def _t55_target(p, scale):
    """scale (w*, -w*, 1, -1) in the paper's ordering, at 50 digits from the exact w* (common.svm_mp)."""
    w = svm_mp(p)[0]
    with mpmath.workdps(50):
        return [scale * v for v in list(w) + [-v for v in w] + [mpmath.mpf(1), mpmath.mpf(-1)]]


def _t55_measure_for(scale):
    def measure(inst, point, precision):
        """Theorem 5.5: the components of lim theta/||theta|| (extrapolated in 1/||theta||^2 from t <= 1e250; error:
        extrapolation + two tolerances) against c (w*, -w*, 1, -1), c = 1/2 (unit norm) or the printed 1/4 (then the
        measurement also carries the corrected 1/2 target, the control); mutant target (1/sqrt 2)(w*, 0, 1, 0).
        Targets from the exact w*."""
        r = resolved_limit_run(inst.params)
        ws, gs, _ = svm(inst.params)
        w = svm_mp(inst.params)[0]
        with mpmath.workdps(50):
            h = 1 / mpmath.sqrt(2)
            bad = [h * v for v in w] + [mpmath.mpf(0)] * len(w) + [h, mpmath.mpf(0)]
        values = {"dir": r["d_inf"], "tgt": _t55_target(inst.params, scale), "bad": bad}
        if scale != 0.5:
            values["tgt_c"] = _t55_target(inst.params, 0.5)
        return Measurement(values=values, errors={"dir": r["d_err"]}, exact=("tgt", "bad", "tgt_c"),
                           coords={"component": [f"theta_{i + 1}" for i in range(len(bad))]},
                           info={**limit_run_info(r), "||direction limit||": float(np.linalg.norm(r["d_inf"]))},
                           series=limit_run_series(r, (1 + r["alpha"]) / 4 * gs))
    return measure


DIRECTION, TARGET, ONE_NEURON_DIRECTION, TARGET_CORRECTED = sp.symbols("dir tgt bad tgt_c", real=True)
THEOREM55_LATEX = {"dir": r"\lim_t \theta/\|\theta\|", "tgt": r"c\,(w^*, -w^*, 1, -1)", "bad": r"\bar\theta_{F.3}",
                   "tgt_c": r"\frac{1}{2}(w^*, -w^*, 1, -1)"}
THEOREM55 = claims.add(
    "theorem5.5", "Theorem 5.5 (two neurons → ½(w*, −w*, 1, −1))",
    "§5.3, l.774-794; proof F.1, l.4840-5608", "asymptotic",
    statement=sp.Eq(DIRECTION, TARGET), latex_names=THEOREM55_LATEX,
    symbols_doc={"dir": "component of the limit direction (extrapolated)",
                 "tgt": "component of 1/2 (w*, -w*, 1, -1) (the unit-norm normalisation)"},
    quantifier="every component; the printed constant 1/4 is the finding lyu2021.finding.theorem5.5",
    extra_hypotheses=[THEOREM55_START], instances=_t55_instances, measure=_t55_measure_for(0.5),
    mutant=Mutant(sp.Eq(DIRECTION, ONE_NEURON_DIRECTION),
                  "limit (1/sqrt 2)(w*, 0, 1, 0) (Lemma F.3 case 2; catalog E17 mutation (i))"),
    provides=("bad",), catalog_ref="E17", result="theorem5.5", share=run_group("t55"), eq_atol=DIRECTION_EQ_ATOL,
    notes=DIRECTION_EQ_NOTE)

THEOREM55_PRINTED = claims.add(
    "finding.theorem5.5", "Finding: Theorem 5.5 prints the limit ¼(w*, −w*, 1, −1)",
    "§5.3, l.774-794 (display)", "asymptotic",
    statement=sp.Eq(DIRECTION, TARGET), latex_names=THEOREM55_LATEX,
    symbols_doc={"dir": "component of the limit of theta/||theta||", "tgt": "component of the printed "
                                                                              "1/4 (w*, -w*, 1, -1)"},
    quantifier="every component", extra_hypotheses=[THEOREM55_START], instances=_t55_instances,
    measure=_t55_measure_for(0.25),
    control=Mutant(sp.Eq(DIRECTION, TARGET_CORRECTED), "the unit-norm normalisation 1/2 (w*, -w*, 1, -1) "
                   "(lyu2021.theorem5.5)"),
    mutant=Mutant(sp.Eq(DIRECTION, ONE_NEURON_DIRECTION), "near miss of the corrected limit: the one-neuron KKT "
                  "direction (1/sqrt 2)(w*, 0, 1, 0) (Lemma F.3 case 2); rejected where the control holds"),
    provides=("bad", "tgt_c"), catalog_ref="E17 (new finding)", result="theorem5.5", share=run_group("t55"),
    tags=("finding",), eq_atol=DIRECTION_EQ_ATOL,
    notes="||(w*, -w*, 1, -1)|| = 2, so 1/4 (w*, -w*, 1, -1) has norm 1/2 and cannot be the limit of the unit "
          "vector theta/||theta||; the limit is 1/2 (w*, -w*, 1, -1) (App. C and F.3 use A = 1/sqrt 2, i.e. 1/2). "
          + DIRECTION_EQ_NOTE)


# =========================================================================== Lemmas F.2-F.3


def _f3_measure(inst, point, precision):
    """Lemma F.3: the width-2 KKT-margin directions with a_1 >= 0 >= a_2 are 1/2 (w*, -w*, 1, -1), (w*, 0, 1, 0)/sqrt 2
    and (0, -w*, 0, -1)/sqrt 2: KKT residuals of the three; mutant: the wrong-sign (w*, 0, -1, 0)/sqrt 2
    (q < 0: not a margin direction, residual set to 1). Errors: two solver tolerances (common.kkt_residual_pair)."""
    X, y, alpha = data(inst.params)
    ws, gs, _ = svm(inst.params)
    z = np.zeros_like(ws)
    r2 = 1 / math.sqrt(2)
    dirs = [(np.array([0.5, -0.5]), np.vstack([ws / 2, -ws / 2])), (np.array([r2, 0.0]), np.vstack([ws * r2, z])),
            (np.array([0.0, -r2]), np.vstack([z, -ws * r2]))]
    res, err, gam = [], [], []
    for a, W in dirs:
        _, rv, ev = kkt_residual_pair(X, y, a, W, alpha)
        res.append(rv)
        err.append(ev)
        gam.append(normalized_margin(X, y, a, W, alpha))
    _, mut, merr = kkt_residual_pair(X, y, np.array([-r2, 0.0]), np.vstack([ws * r2, z]), alpha)
    if not math.isfinite(mut):
        mut, merr = 1.0, 0.0
    return Measurement(values={"kkt": res, "tol": KKT_TOL, "kkt_mut": mut},
                       errors={"kkt": err, "kkt_mut": merr}, exact=("tol",),
                       coords={"direction": ["1/2(w*,-w*,1,-1)", "(w*,0,1,0)/sqrt2", "(0,-w*,0,-1)/sqrt2"]},
                       info={"margins": gam, "(1+alpha)/4 gamma_w*": (1 + alpha) / 4 * gs,
                             "alpha/2 gamma_w*": alpha / 2 * gs})


LEMMAF3 = claims.add(
    "lemmaF.3", "Lemmas F.2-F.3 (the three width-2 KKT directions)",
    "App. F.1, l.4938-5220", "convex", statement=sp.Le(KKT, KKT_TOLERANCE),
    latex_names=KKT_LATEX, symbols_doc={"kkt": "KKT residual of each listed direction"},
    quantifier="the three directions of Lemma F.3", hypotheses=[SEPARABLE, SYMMETRIC], instances=lambda tier: [
        Instance("DS-S", {"dataset": "DS-S"}),
        Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3",
                 {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3})],
    measure=_f3_measure,
    mutant=Mutant(sp.Le(KKT_MUTANT, KKT_TOLERANCE), "a fourth direction (w*, 0, -1, 0)/sqrt 2 (E65)"),
    provides=("kkt_mut",), catalog_ref="E64, E65", result="lemmaF.1",
    notes="Only that the listed directions ARE KKT is checked; that there are no others (Lemma F.3's 'only') "
          "needs a global search (catalog E65: SLSQP multistart found only these margins).")


# =========================================================================== Theorem 5.5 proof threshold (F5)


def _f5_measure(inst, point, precision):
    """Finding F5 (c): Case 2 of Theorem 5.5's proof needs r(x) = (x + alpha)/(alpha x + 1) <= cos(epsilon) at the
    chosen threshold x. Printed threshold: max{(cos e - alpha)/(1 - alpha cos e), 1} = 1; corrected: the min (the
    control, r = cos e exactly); mutant values: the threshold with alpha dropped, x = cos e. epsilon =
    min_i arcsin(<y_i x_i, w*>/||x_i||) (F.1 (b)), all in mpmath at 30 digits from the exact w* (polished SVM) and the
    float64 data (exact as given): errors 1e-25."""
    X, y, alpha = data(inst.params)
    w = svm_mp(inst.params)[0]
    with mpmath.workdps(30):
        al = mpmath.mpf(alpha)
        e = min(mpmath.asin(mpmath.fsum(mpmath.mpf(float(yi * v)) * wj for v, wj in zip(x, w))
                            / mpmath.sqrt(mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in x))) for x, yi in zip(X, y))
        c = mpmath.cos(e)
        x_c = (c - al) / (1 - al * c)

        def f(x):
            return (x + al) / (al * x + 1)
        vals = {"ratio_printed": f(max(x_c, mpmath.mpf(1))), "ratio_corr": f(min(x_c, mpmath.mpf(1))),
                "ratio_noalpha": f(c), "cos_eps": c}
    return Measurement(values=vals, errors={k: mpmath.mpf(10) ** -25 for k in vals},
                       info={"epsilon": float(e), "cos(epsilon) > alpha": bool(c > al)})


RATIO_PRINTED, RATIO_CORRECTED, RATIO_NO_ALPHA, COS_EPS = sp.symbols("ratio_printed ratio_corr ratio_noalpha cos_eps",
                                                                    positive=True)
F5 = claims.add(
    "finding.F5", "Finding F5: Theorem 5.5 proof threshold max{·, 1} (should be min)",
    "App. F.1, l.5326-5333", "closed-form", statement=sp.Le(RATIO_PRINTED, COS_EPS),
    latex_names={"ratio_printed": r"r(x_{\max})", "ratio_corr": r"r(x_{\min})", "ratio_noalpha": r"r(\cos\epsilon)",
                 "cos_eps": r"\cos\epsilon"},
    symbols_doc={"ratio_printed": "(x+alpha)/(alpha x+1) at the printed threshold",
                 "ratio_corr": "the same at the corrected threshold (min)",
                 "ratio_noalpha": "the same at x = cos epsilon (alpha dropped from the threshold)",
                 "cos_eps": "cos(epsilon)"},
    hypotheses=[SYMMETRIC, SEPARABLE], instances=lambda tier: [
        Instance("DS-S", {"dataset": "DS-S"}),
        Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3",
                 {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3})],
    measure=_f5_measure,
    control=Mutant(sp.Eq(RATIO_CORRECTED, COS_EPS), "threshold min{(cos e - alpha)/(1 - alpha cos e), 1}: the ratio "
                   "is then exactly cos epsilon, so Case 2's condition holds (with equality)"),
    mutant=Mutant(sp.Le(RATIO_NO_ALPHA, COS_EPS), "near miss of the corrected threshold: x = cos epsilon (alpha dropped); "
                  "r(cos e) - cos e = alpha sin^2 e/(alpha cos e + 1) > 0, rejected where the control holds"),
    provides=("ratio_corr", "ratio_noalpha"), catalog_ref="F5, E66 (e)", result="theorem5.5", tags=("finding",),
    notes="With the printed max the threshold is 1 and Case 2 needs 1 <= cos(epsilon): false for every epsilon > 0. "
          "With the min (and cos epsilon > alpha) it holds with equality (the control).")


# =========================================================================== Lemma F.1


def _f1_pairs(X, y, alpha, rng, N):
    """N random (u_1, u_2) rescaled by the smallest c > 0 making y_i(phi(<u_1,x_i>) - phi(-<u_2,x_i>)) >= 1 for all
    i (skipped when some left side is <= 0); returns min over pairs and i of y_i(h1_i <u_2,x_i> + h2_i <u_1,x_i>),
    h1_i = phi'(<u_1,x_i>), h2_i = phi'(-<u_2,x_i>) (Lemma F.1 at points off the kinks)."""
    d = X.shape[1]
    vals = []
    for _ in range(N):
        u1, u2 = rng.standard_normal(d), rng.standard_normal(d)
        z1, z2 = X @ u1, X @ u2
        lhs = y * (phi(z1, alpha) - phi(-z2, alpha))
        if np.min(lhs) <= 0:
            continue
        c = 1.0 / np.min(lhs)          # 2-homogeneity in (u_1, u_2) jointly is 1-homogeneity here: scale by c
        z1, z2 = c * z1, c * z2
        h1 = np.where(z1 > 0, 1.0, alpha)
        h2 = np.where(-z2 > 0, 1.0, alpha)
        vals.append(float(np.min(y * (h1 * z2 + h2 * z1))))
    return vals


def _lf1_measure(inst, point, precision):
    """Lemma F.1 on the instance's symmetric data: the number of feasible pairs whose cross quantity is below 1 - 1e-9
    (counts: exact). Mutant value: the number in [1 - 1e-9, 1 + 1e-3), for the near miss "cross >= 1 + 1e-3". Reported
    in info: the same test on the non-symmetric DS-A (catalog E63: the symmetry hypothesis is needed)."""
    X, y, alpha = data(inst.params)
    rng = np.random.default_rng(inst.params["rng"])
    v = _f1_pairs(X, y, alpha, rng, inst.params["samples"])
    Xa, ya, aa = data({"dataset": "DS-A"})
    va = _f1_pairs(Xa, ya, aa, np.random.default_rng(inst.params["rng"] + 100), inst.params["samples"])
    # the bound is attained (min = 1 at the binding sample), so a ">= 1" judged in floating point would stay
    # INCONCLUSIVE: count the feasible pairs whose cross quantity is below 1 by more than 1e-9 (rounding of the
    # rescaling is ~1e-15 on O(1) values)
    nv = int(np.sum(np.asarray(v) < 1 - 1e-9))
    nnear = int(np.sum((np.asarray(v) >= 1 - 1e-9) & (np.asarray(v) < 1 + 1e-3)))
    nva = int(np.sum(np.asarray(va) < 1 - 1e-9))
    if not v:   # (a user's data) no random pair is feasible: nothing is tested, the count 0 proves nothing
        return Measurement(values={"nviol": 0, "nnear": 0}, errors={"nviol": 1, "nnear": 1},
                           info={"feasible pairs": 0, "samples": inst.params["samples"]})
    return Measurement(values={"nviol": nv, "nnear": nnear}, exact=True,
                       info={"feasible pairs": len(v), "min cross (symmetric data)": min(v),
                             "pairs with cross in [1 - 1e-9, 1 + 1e-3) (the bound is attained)": nnear,
                             "feasible pairs on DS-A (no symmetry)": len(va), "min cross on DS-A": min(va),
                             "pairs below 1 on DS-A (catalog E63: symmetry is needed)": nva})


N_VIOLATED, N_NEAR = sp.symbols("nviol nnear", nonnegative=True)
LEMMAF1 = claims.add(
    "lemmaF.1", "Lemma F.1 (2-neuron feasibility ⇒ cross inequality, symmetric data)",
    "App. F.1, l.4847-4936", "closed-form", statement=sp.Le(N_VIOLATED, 0),
    latex_names={"nviol": r"\#\{y_i(h^{(1)}_i\langle u_2,x_i\rangle + h^{(2)}_i\langle u_1,x_i\rangle) < 1\}",
                 "nnear": r"\#\{1 \le \cdot < 1 + 10^{-3}\}"},
    symbols_doc={"nviol": "feasible random pairs whose cross quantity is < 1 - 1e-9 (the bound is attained)"},
    quantifier="random feasible (u_1, u_2)", hypotheses=[SYMMETRIC, LOGISTIC_LEAKY], instances=sampled_instances,
    measure=_lf1_measure,
    mutant=Mutant(sp.Le(N_VIOLATED + N_NEAR, 0), "constant 1 raised to 1 + 1e-3 (cross >= 1.001): rejected because the "
                  "bound is attained"),
    provides=("nnear",), catalog_ref="E63", result="lemmaF.1")


# =========================================================================== Lemmas F.6, F.8 along the limit runs


def _scale_free_grad(X, y, alpha, a, W):
    """g = grad L / L at a smooth theta, computed in the log domain so it survives L ~ e^{-700} and below
    (t up to 1e250), with log(n L) and the smoothed output margin alpha(theta) = ell^{-1}(n L) (l.5615-5619).
    Returns (g, theta) flattened in the same order (a, W), log(nL), alpha(theta), kappa = nL e^{nL}/expm1(nL)
    (so that grad alpha(theta) = -kappa g)."""
    Z = W @ X.T
    q = y * (a @ phi(Z, alpha))
    big = q > 30
    logl = np.where(big, -q - 0.5 * np.exp(-np.where(big, q, 30)),
                    np.log(np.log1p(np.exp(-np.where(big, 0, q)))))                 # log ell(q_i)
    lognl = float(logsumexp(logl))
    c = -np.exp(-np.logaddexp(0.0, q) - lognl) * y                                  # ell'(q_i) y_i / sum ell
    ga = phi(Z, alpha) @ c
    gW = a[:, None] * ((np.where(Z > 0, 1.0, alpha) * c[None, :]) @ X)
    nl = math.exp(lognl)
    if nl < 1e-8:
        corr, kappa = nl / 2, 1 + nl / 2
    else:
        corr, kappa = math.log(math.expm1(nl) / nl), nl * math.exp(nl) / math.expm1(nl)
    return np.r_[ga, gW.ravel()], np.r_[a, np.asarray(W).ravel()], lognl, -lognl - corr, kappa


def _limit_run_instances(tier):
    return symmetric_limit_instances("fast")


def _along_run(inst):
    """Per sample of common.limit_run (twice a decade, t = 1 .. 1e250): t, g, theta, log(nL), alpha, kappa."""
    r = limit_run(inst.params)
    X, y, alpha = data(inst.params)
    out = []
    for t, a, W in zip(r["t"], r["a_all"], r["W_all"]):
        out.append((t, *_scale_free_grad(X, y, alpha, np.asarray(a), np.asarray(W))))
    return r, out


def _f8_measure(inst, point, precision):
    """Lemma F.8 (Lyu & Li C.12): beta(t) = <dtheta/dt, theta>/(||dtheta/dt|| ||theta||) has limsup 1. Measured
    (catalog E71 recipe): the max of beta over the samples in the last decade of ln t (t >= t_end^{1/10}),
    with dtheta/dt = -grad L (a smooth point); error: rounding bound of a cosine of D-vectors."""
    r, rows = _along_run(inst)
    t_end = r["t"][-1]
    betas = [(t, float(-(g @ th) / (np.linalg.norm(g) * np.linalg.norm(th)))) for t, g, th, *_ in rows]
    late = [b for t, b in betas if math.log(t) >= math.log(t_end) / 10]
    bmax = max(late)
    D = len(rows[0][2])
    return Measurement(values={"beta": bmax}, errors={"beta": float(fp_bound(1.0, 6 * D + 8))},
                       info={"1 - max beta (last decade of ln t)": 1 - bmax, "samples in the window": len(late),
                             "t_end": t_end, "1 - beta(t=1e10)": 1 - [b for t, b in betas if t >= 1e10][0]},
                       series={"beta": {"x": [math.log10(t) for t, _ in betas],
                                        "y": {"1 - beta(t)": [max(1 - b, 1e-17) for _, b in betas]},
                                        "xlabel": "log10 t", "ylabel": "1 - beta", "logy": True}})


BETA = sp.Symbol("beta", real=True)
LEMMAF8 = claims.add(
    "lemmaF.8", "Lemma F.8 (β(t_j) → 1 along a sequence t_j → ∞, cited)",
    "App. F.2, l.5737-5738", "asymptotic", statement=sp.Ge(BETA, 1 - sp.Rational(1, 10 ** 4)),
    latex_names={"beta": r"\max_{\ln t \geq \ln t_{\rm end}/10}\beta(t)"},
    symbols_doc={"beta": "max of beta(t) = cos(dtheta/dt, theta) over the last decade of ln t"},
    quantifier="along the instance's flow (t to 1e250)", extra_hypotheses=[WIDTH_AT_LEAST_2],
    instances=_limit_run_instances,
    measure=_f8_measure, mutant=Mutant(sp.Le(BETA, sp.Rational(9, 10)), "beta(t) <= 0.9 eventually (catalog E71)"),
    catalog_ref="E71", result="lemmaF.4", share=run_group("symrun"),
    notes="The 1e-4 threshold is the catalog's recipe (E71), not the paper's: the lemma is a limsup statement.")


def _f6_measure(inst, point, precision):
    """Lemma F.6 (Ji-Telgarsky), at every sample with n L < ln 2 (a smooth point, dtheta/dt = -grad L):
    d gamma~/dt = <grad gamma~, -grad L> equals ||d_r gamma~|| ||d_r L|| + ||d_perp gamma~|| ||d_perp L||
    (radial / tangential parts w.r.t. theta). Both sides divided by L (scale-free, so t up to 1e250 is
    representable); grad gamma~ = grad alpha/||theta||^2 - 2 alpha theta/||theta||^4, grad alpha = -kappa g."""
    _, rows = _along_run(inst)
    lhs, rhs, rad, ts = [], [], [], []
    for t, g, th, lognl, al, kappa in rows:
        if lognl >= math.log(math.log(2)):
            continue
        n2 = float(th @ th)
        u = th / math.sqrt(n2)
        gg = -kappa * g / n2 - 2 * al * th / n2 ** 2                                   # grad gamma~ / L^0
        gr, Lr = gg @ u, g @ u
        gp, Lp = gg - gr * u, g - Lr * u
        lhs.append(float(-(gg @ g)))
        r_ = abs(gr) * abs(Lr)
        rad.append(float(r_))
        rhs.append(float(r_ + np.linalg.norm(gp) * np.linalg.norm(Lp)))
        ts.append(t)
    sc = np.abs(lhs) + np.abs(rhs)
    e = fp_bound(sc, 40 * len(rows[0][2])).tolist()   # ~40 operations per component of theta (norms, projections)
    return Measurement(values={"dgt": lhs, "jt": rhs, "rad": rad}, errors={"dgt": e, "jt": e, "rad": e},
                       coords={"t": ts},
                       info={"samples with nL < ln 2": len(ts),
                             "max tangential share (jt - rad)/jt": float(np.max(1 - np.asarray(rad) / np.asarray(rhs))),
                             "max relative |lhs - rhs|": float(np.max(np.abs(np.asarray(lhs) - rhs) / sc))})


DGAMMA_DT, JI_TELGARSKY, RADIAL_ONLY = sp.symbols("dgt jt rad", real=True)
LEMMAF6 = claims.add(
    "lemmaF.6", "Lemma F.6 (Ji–Telgarsky margin-rate identity, cited)",
    "App. F.2, l.5702-5728", "flow-inequality", statement=sp.Eq(DGAMMA_DT, JI_TELGARSKY),
    latex_names={"dgt": r"\frac{d\tilde\gamma}{dt} / \mathcal{L}",
                 "jt": r"(\|\bar\partial_r\tilde\gamma\|\|\bar\partial_r\mathcal{L}\| + "
                       r"\|\bar\partial_\perp\tilde\gamma\|\|\bar\partial_\perp\mathcal{L}\|) / \mathcal{L}",
                 "rad": r"\|\bar\partial_r\tilde\gamma\|\|\bar\partial_r\mathcal{L}\| / \mathcal{L}"},
    symbols_doc={"dgt": "<grad gamma~, -grad L>/L at a sampled theta(t) with nL < ln 2",
                 "jt": "radial plus tangential products (divided by L)", "rad": "the radial product alone"},
    quantifier="at every sample with n L < ln 2", extra_hypotheses=[WIDTH_AT_LEAST_2], instances=_limit_run_instances,
    measure=_f6_measure,
    mutant=Mutant(sp.Eq(DGAMMA_DT, RADIAL_ONLY), "drop the tangential term (catalog E69 mutation)"),
    provides=("rad",), catalog_ref="E69", result="lemmaF.4", share=run_group("symrun"),
    notes="Checked at the flow's samples (smooth points), both sides divided by L so t up to 1e250 stays in float64. "
          "At a smooth point the identity is algebraic once the radial parts have opposite signs and the tangential "
          "part of grad gamma~ is anti-parallel to that of grad L (grad alpha = -kappa grad L / L); the check tests "
          "exactly those sign conditions along the flow, at float64 rounding (relative deviation ~3e-16).")




# =========================================================================== user data (earlyalign --data)


def _t55_data(ds):
    """Theorem 5.5 on a user's data: two neurons w_1, w_2 ~ sigma N(0, I_d) from default_rng(seed) (seed default 0,
    sigma = params.lam, default 0.1), signed so that <w_1, w*> > 0 > <w_2, w*>, balanced a = (||w_1||, -||w_2||);
    the flow to T (default 1e250). The width is the theorem's, 2."""
    u = UserSettings(ds)
    seed, scale = int(u.get("seed", 0)), u.sigma(0.1)
    T = u.get("T", None)
    p = {"m": 2, "seed": 0, "sigma": 1.0}
    if T is not None:
        if not 1e20 <= float(T) <= 1e300:
            u.refused["T"] = f"params.T = {T!r}: the t -> infinity limits need a horizon in [1e20, 1e300]"
        else:
            p["log10_t"] = math.log10(float(T))
    W = scale * np.random.default_rng(seed).standard_normal((2, ds.X.shape[1]))
    try:
        ws = svm({"X": np.asarray(ds.X, dtype=float).tolist(), "y": np.asarray(ds.y, dtype=float).tolist(),
                  "alpha": u.alpha})[0]
        W[0] *= 1.0 if W[0] @ ws > 0 else -1.0
        W[1] *= 1.0 if W[1] @ ws < 0 else -1.0
    except Exception:   # no w* (the data is not separable): the start hypothesis says so, the flow never starts
        pass
    p["theta0"] = [W.tolist(), [float(np.linalg.norm(W[0])), -float(np.linalg.norm(W[1]))]]
    return [u.instance(f"w_1, w_2 from seed {seed}, scale {scale:g}, balanced", p,
                       description=f"flow to t = 1e{p.get('log10_t', LOG10_T):g}",
                       cost=flow_cost(len(ds.y), 2, p.get("log10_t", LOG10_T)))]


accept_data(THEOREM55, _t55_data)
accept_data(THEOREM55_PRINTED, _t55_data)
accept_data(LEMMAF3, user_static)
accept_data(F5, user_static)
accept_data(LEMMAF1, lambda ds: user_sampled(ds, 2000))
accept_data(LEMMAF8, lambda ds: [user_limit_instance(ds)])
accept_data(LEMMAF6, lambda ds: [user_limit_instance(ds)])
