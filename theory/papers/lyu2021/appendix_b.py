"""lyu2021 App. B, the preliminaries every phase uses: homogeneity and Euler's identity (Theorems B.2-B.3),
the maximiser of |G| (Lemmas B.4-B.5), KKT-margin directions (Definitions B.6-B.8, Lemma B.9), the bounds on
L - L~ near 0 (Lemmas B.10-B.12, B.14) and the hitting time of the loss (Theorem B.19, Lemma B.20 with finding F3);
the flow invariants of App. B.4 (Lemmas B.15-B.16, Corollary B.18) are in :mod:`.appendix_b4`.

Sampled checks draw their random parameters from numpy default_rng(instance seed); a statement "for all theta"
is judged on every sample (the witness names the worst one); a sampled HOLDS means "no counterexample among
these samples", never a proof.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.flows import PolarState, solve_flow
from numerics.geometry import G_extrema
from numerics.margins import m_norm, split_theta
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (INPUTS_IN_UNIT_BALL, KKT, KKT_LATEX, KKT_MUTANT, KKT_TOL, KKT_TOLERANCE, LOGISTIC_LEAKY, MODEL,
                     MU_NOT_ORTHOGONAL, SEPARABLE, SETTING, SETTINGS, SYMMETRIC, WIDTH, accept_data, data, dataset,
                     fp_bound, kkt_residual_pair, lam0_err, loss_gradient, model, phi, random_theta, resolved_limit_run,
                     run_group, sampled_instances, svm, symmetric_limit_instances, user_limit_instance, user_sampled,
                     user_static)
from .datasets import UserSettings, dsk_kkt_point, flow_cost
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


def _gradq(X, y, alpha, a, W, i):
    """Gradient of q_i(theta) = y_i f_theta(x_i) (Eq. (9)): (dq/da, dq/dW)."""
    z = W @ X[i]
    return y[i] * phi(z, alpha), y[i] * (a * np.where(z > 0, 1.0, alpha))[:, None] * X[i][None, :]


# =========================================================================== Theorems B.2-B.3 (Euler)


def _euler_measure(inst, point, precision):
    """Theorem B.3 for q_i (L = 2): <grad q_i(theta), theta> = 2 q_i(theta) at random smooth theta."""
    X, y, alpha = data(inst.params)
    rng = np.random.default_rng(inst.params["rng"])
    lhs, q2, el, eq = [], [], [], []
    d = X.shape[1]
    for _ in range(inst.params["samples"] // 20):
        m = int(rng.integers(1, 6))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-2, 1))
        for i in range(len(y)):
            ga, gW = _gradq(X, y, alpha, a, W, i)
            lhs.append(float(ga @ a + np.sum(gW * W)))
            q2.append(float(y[i] * (a @ phi(W @ X[i], alpha))))
            # float64 rounding bounds from the absolute terms (the sums cancel when q_i ~ 0)
            el.append(float(fp_bound(np.abs(ga) @ np.abs(a) + np.sum(np.abs(gW * W)), 2 * m * (d + 1) + 4)))
            eq.append(float(fp_bound(np.abs(a) @ np.abs(phi(W @ X[i], alpha)), 2 * m * (d + 1) + 4)))
    return Measurement(values={"euler": lhs, "q": q2}, errors={"euler": el, "q": eq},
                       coords={"sample": list(range(len(lhs)))})


EULER_LHS, Q_I = sp.symbols("euler q", real=True)
THEOREMB3 = claims.add(
    "theoremB.3", "Theorems B.2-B.3 (homogeneity; Euler: <∂q_i, θ> = 2 q_i)",
    "App. B.1, l.1529-1539", "closed-form", statement=sp.Eq(EULER_LHS, 2 * Q_I),
    latex_names={"euler": r"\langle \nabla q_i(\theta), \theta\rangle", "q": r"q_i(\theta)"},
    symbols_doc={"euler": "<grad q_i, theta> at a random smooth theta", "q": "q_i(theta)"},
    quantifier="for all samples and all i", hypotheses=[LOGISTIC_LEAKY], instances=sampled_instances,
    measure=_euler_measure, mutant=Mutant(sp.Eq(EULER_LHS, Q_I), "homogeneity degree L = 1 (catalog E35 mutation)"),
    catalog_ref="E35", result="theoremB.2")


# =========================================================================== Lemmas B.4-B.5


def _b4_measure(inst, point, precision):
    """Lemma B.5: at the maximiser w of |G| on the sphere (exact, numerics.geometry.G_extrema), grad G(w) =
    G(w) w, with grad G(w) = (1/2n) sum y_i phi'(<w, x_i>) x_i (G is smooth there: Assumption 4.5)."""
    X, y, alpha = data(inst.params)
    g = G_extrema(X, y, gamma=alpha, loss="logistic")
    w = np.asarray(g.argmax, dtype=float).ravel()[: X.shape[1]]
    w = w / np.linalg.norm(w)
    Gw = float((phi(X @ w, alpha) @ y) / (2 * len(y)))
    grad = (np.where(X @ w > 0, 1.0, alpha) * y) @ X / (2 * len(y))
    n, d = X.shape
    scale = float(np.linalg.norm(X, axis=1).sum() / (2 * n))
    return Measurement(values={"gradG": grad.tolist(), "Gw": (Gw * w).tolist()},
                       errors={"gradG": [float(fp_bound(scale, 2 * n + 4))] * d,
                               "Gw": [lam0_err(X) + float(fp_bound(scale, 2 * n + 2 * d + 8))] * d},
                       coords={"component": list(range(1, len(w) + 1))}, info={"G(w)": Gw, "w": w.tolist()})


GRAD_G, G_W_TIMES_W = sp.symbols("gradG Gw", real=True)
LEMMAB5 = claims.add(
    "lemmaB.4", "Lemmas B.4-B.5 (∇G(w) = G(w) w at a maximiser of |G|)",
    "App. B.1, l.1542-1554", "closed-form", statement=sp.Eq(GRAD_G, G_W_TIMES_W),
    latex_names={"gradG": r"\nabla G(w)", "Gw": r"G(w)\,w"},
    symbols_doc={"gradG": "component of grad G at the maximiser", "Gw": "component of G(w) w"},
    quantifier="every component", hypotheses=[LOGISTIC_LEAKY, SYMMETRIC, MU_NOT_ORTHOGONAL],
    instances=lambda tier: sampled_instances(tier, 20)[:2], measure=_b4_measure,
    mutant=Mutant(sp.Eq(GRAD_G, 2 * G_W_TIMES_W), "grad G = 2 G(w) w (the L = 2 version; catalog E36 mutation)"),
    catalog_ref="E36", result="lemmaB.4")


# =========================================================================== Lemma B.10


def _b10_measure(inst, point, precision):
    """Lemma B.10: |f_theta(x)| <= m ||theta||_M^2 for ||x|| <= 1, random theta and x (plus the tight witness:
    all neurons equal, w_k parallel to x, a_k = ||w_k||)."""
    X, y, alpha = data(inst.params)
    d = X.shape[1]
    rng = np.random.default_rng(inst.params["rng"])
    F, B, M = [], [], []
    for k in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-2, 1))
        if k % 10 == 0:   # aligned (tight) samples
            u = rng.standard_normal(d)
            u /= np.linalg.norm(u)
            W = np.outer(np.ones(m), u) * abs(a[0])
            a = np.full(m, abs(a[0]))
            x = 0.99 * u        # |f| = 0.99 m ||theta||_M^2: near-tight (equality is not resolvable in float)
        else:
            x = rng.standard_normal(d)
            x /= max(1.0, np.linalg.norm(x))
        F.append(abs(float(a @ phi(W @ x, alpha))))
        M.append(m_norm(a, W))
        B.append(m)
    B_ = np.asarray(B)
    return Measurement(values={"absf": F, "mM": M, "m": B},
                       errors={"absf": fp_bound(B_ * np.asarray(M) ** 2, 2 * B_ * (d + 1) + 4).tolist(),
                               "mM": fp_bound(M, d + 4).tolist()}, exact=("m",),
                       coords={"sample": list(range(len(F)))})


ABS_F, M_NORM = sp.symbols("absf mM", positive=True)
LEMMAB10 = claims.add(
    "lemmaB.10", "Lemma B.10 (|f_θ(x)| ≤ m ||θ||_M^2 for ||x|| ≤ 1)",
    "App. B.3, l.1667-1721", "closed-form", statement=sp.Le(ABS_F, WIDTH * M_NORM ** 2),
    latex_names={"absf": r"|f_\theta(x)|", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"absf": "|f_theta(x)| at a random (theta, x)", "mM": "M-norm (Def. 5.1)", "m": "width"},
    quantifier="for all samples (10% aligned with ||x|| = 0.99: |f| = 0.99 m ||theta||_M^2, near-tight)",
    hypotheses=[LOGISTIC_LEAKY],
    instances=sampled_instances, measure=_b10_measure,
    mutant=Mutant(sp.Le(ABS_F, M_NORM ** 2), "drop the factor m (catalog E39 mutation)"),
    catalog_ref="E39", result="lemmaB.10")


# =========================================================================== Lemma B.12 / Corollary B.13


def _grad_L_minus_Ltilde(X, y, alpha, a, W):
    """grad(L - L~) at a smooth theta, L~ = ell(0) - sum_k a_k G(w_k) (l.1463), G(w) = (1/2n) sum_i y_i phi(<w, x_i>):
    (d/da_k, d/dw_k) as arrays of shapes (m,), (m, d)."""
    n = len(y)
    ga, gW, _ = loss_gradient(X, y, alpha, a, W)
    Z = W @ X.T
    gGa = -(phi(Z, alpha) @ y) / (2 * n)                                     # -G(w_k)
    gGW = -a[:, None] * ((np.where(Z > 0, 1.0, alpha) * (y / (2 * n))[None, :]) @ X)
    return ga - gGa, gW - gGW


def _b11_measure(inst, point, precision):
    """Lemma B.11 (l.1724-1969), per neuron k at random smooth theta (||x_i|| <= 1); errors: float64 rounding bounds
    (the partials are differences of two O(||theta||_M ||v||) gradients: bounded by fp_bound on that scale).
    ||d/dw_k (L - L~)|| <= m ||theta||_M^2 |a_k| and |d/da_k (L - L~)| <= m ||theta||_M^2 ||w_k||.
    One point per (sample, neuron, block): ``part`` = the partial's norm, ``fac`` = |a_k| (w-block) or ||w_k||
    (a-block)."""
    X, y, alpha = data(inst.params)
    d = X.shape[1]
    rng = np.random.default_rng(inst.params["rng"])
    part, fac, Ms, ms = [], [], [], []
    for _ in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-2, 0.5))
        da, dW = _grad_L_minus_Ltilde(X, y, alpha, a, W)
        M = m_norm(a, W)
        part += np.linalg.norm(dW, axis=1).tolist() + np.abs(da).tolist()
        fac += np.abs(a).tolist() + np.linalg.norm(W, axis=1).tolist()
        Ms += [M] * (2 * m)
        ms += [m] * (2 * m)
    part, fac, Ms, ms = map(np.asarray, (part, fac, Ms, ms))
    n = len(y)
    return Measurement(values={"part": part.tolist(), "fac": fac.tolist(), "mM": Ms.tolist(), "m": ms.tolist()},
                       errors={"part": fp_bound(Ms * fac + part, 4 * n * (d + 2) + 20).tolist(),
                               "fac": fp_bound(fac, d + 4).tolist(), "mM": fp_bound(Ms, d + 4).tolist()},
                       exact=("m",),
                       coords={"point": list(range(len(part)))},
                       info={"max ratio": float(np.max(part / (ms * Ms ** 2 * fac)))})


PARTIAL, FACTOR = sp.symbols("part fac", positive=True)
LEMMAB11 = claims.add(
    "lemmaB.11", "Lemma B.11 (per-neuron bounds on ∂(L − L~))",
    "App. B.3, l.1724-1969", "closed-form", statement=sp.Le(PARTIAL, WIDTH * M_NORM ** 2 * FACTOR),
    latex_names={"part": r"\|\partial_{u}(\mathcal{L}-\tilde{L})\|", "fac": r"\|v\|", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"part": "(u, v) = (w_k, a_k) or (a_k, w_k): norm of the w_k-partial (resp. |a_k-partial|) of "
                         "L - L~ at a random smooth theta",
                 "fac": "|a_k| for the w_k-partial, ||w_k|| for the a_k-partial"},
    quantifier="for all samples and neurons", hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL],
    instances=sampled_instances,
    measure=_b11_measure,
    mutant=Mutant(sp.Le(PARTIAL, WIDTH * M_NORM ** 2 * FACTOR / 10),
                  "bound / 10 (catalog E40 proposes / 8; on these samples "
                  "the worst ratio is ~0.11 < 1/8, so / 8 is not rejected and / 10 is used)"),
    catalog_ref="E40, F18", result="lemmaB.11",
    notes="The proof uses |ell''| <= 1 where 1/4 holds (F18): |delta_i| <= |f(x_i)|/4, so the ratio to the bound is "
          "<= 1/4; the data (||x_i|| < 1, averaging over i) make it smaller still (~0.11 on DS-S).")


def _b12_measure(inst, point, precision):
    """Lemma B.12 / Corollary B.13: ||grad L - grad L~||_M <= m ||theta||_M^3 at random smooth theta (||x|| <= 1),
    with L~ = ell(0) - sum_k a_k G(w_k) (l.1463)."""
    X, y, alpha = data(inst.params)
    n, d = X.shape
    rng = np.random.default_rng(inst.params["rng"])
    lhs, Ms, ms = [], [], []
    for _ in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-2, 0.5))
        lhs.append(m_norm(*_grad_L_minus_Ltilde(X, y, alpha, a, W)))
        Ms.append(m_norm(a, W))
        ms.append(m)
    Ms_ = np.asarray(Ms)
    return Measurement(values={"dg": lhs, "mM": Ms, "m": ms},
                       errors={"dg": fp_bound(Ms_ ** 2 + np.asarray(lhs), 4 * n * (d + 2) + 20).tolist(),
                               "mM": fp_bound(Ms_, d + 4).tolist()}, exact=("m",),
                       coords={"sample": list(range(len(lhs)))},
                       info={"max ratio": float(np.max(np.asarray(lhs) / (np.asarray(ms) * np.asarray(Ms) ** 3)))})


GRAD_DIFF_M_NORM = sp.Symbol("dg", positive=True)
LEMMAB12 = claims.add(
    "lemmaB.12", "Lemma B.12 / Corollary B.13 (||∇L − ∇L~||_M ≤ m ||θ||_M^3)",
    "App. B.3, l.1973-2004", "closed-form", statement=sp.Le(GRAD_DIFF_M_NORM, WIDTH * M_NORM ** 3),
    latex_names={"dg": r"\|\nabla(\mathcal{L} - \tilde{L})\|_M", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"dg": "M-norm of grad(L - L~) at a random smooth theta"},
    quantifier="for all samples", hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL], instances=sampled_instances,
    measure=_b12_measure,
    mutant=Mutant(sp.Le(GRAD_DIFF_M_NORM, WIDTH * M_NORM ** 3 / 20),
                  "m ||theta||_M^3 / 20 (catalog E41 mutation; true slack ~4-9)"),
    catalog_ref="E40, E41, F18", result="lemmaB.12",
    notes="The proof uses |ell''| <= 1 where 1/4 holds (F18): the bound is loose by about 4.")


# =========================================================================== Lemma B.20 and finding F3


def _loss_vectors(params):
    """The random loss vectors of a Lemma B.20 instance (numpy default_rng(rng)): n in 2..11, ell_i = 10^U(-4, 1)."""
    rng = np.random.default_rng(params["rng"])
    out = []
    for _ in range(params["samples"]):
        n = int(rng.integers(2, 12))
        out.append(10 ** rng.uniform(-4, 1, size=n))
    return out


def _positive_losses(inst):
    """Lemma B.20 is about ell_i = ell(q_i) > 0 (the logistic loss is positive): evaluated on the drawn vectors."""
    V = _loss_vectors(inst.params)
    lo = min(float(v.min()) for v in V)
    return lo > 0, f"{len(V)} vectors, min ell_i = {lo:.3g}"


POSITIVE_LOSSES = Hypothesis("ell_i > 0 (logistic losses)", _positive_losses, "l.2394")


def _b20_closed_measure(inst, point, precision):
    """Lemma B.20's proof chain (l.2394-2497) on random loss vectors ell_i > 0: the statement's quantity
    sum_i (1 - e^{-ell_i}) against 1 - e^{-n L} (true by subadditivity) and the proof's intermediate
    1 - e^{-max ell_i} (mutant/finding values). Errors: float64 rounding bounds (expm1 is accurate to 1 ulp; the
    sum over n terms adds n ulp of the sum)."""
    S, R, P, NS = [], [], [], []
    for ell in _loss_vectors(inst.params):
        S.append(float(np.sum(-np.expm1(-ell))))
        R.append(float(-np.expm1(-ell.sum())))
        P.append(float(-np.expm1(-ell.max())))
        NS.append(len(ell))
    S, R, P, NS = map(np.asarray, (S, R, P, NS))
    return Measurement(values={"sumg": S.tolist(), "rhs": R.tolist(), "chain": P.tolist()},
                       errors={"sumg": fp_bound(S, NS + 2).tolist(), "rhs": fp_bound(R, NS + 2).tolist(),
                               "chain": fp_bound(P, 4).tolist()},
                       coords={"sample": list(range(len(S)))})


def _b20_instances(tier):
    n = 2000 if tier == "fast" else 100000
    return [Instance(f"random loss vectors (n in 2..11), {n} samples", {"samples": n, "rng": 3}),
            Instance(f"random loss vectors (second seed), {n} samples", {"samples": n, "rng": 4})]


SUM_G, ONE_MINUS_EXP_NL, PROOF_CHAIN = sp.symbols("sumg rhs chain", positive=True)
LEMMAB20_LATEX = {"sumg": r"\sum_i (1 - e^{-\ell_i})", "rhs": r"1 - e^{-n\mathcal{L}}",
                  "chain": r"1 - e^{-\max_i \ell_i}"}
LEMMAB20_CORE = claims.add(
    "lemmaB.20.subadditivity", "Lemma B.20 (key inequality Σ(1 − e^{−ℓ_i}) ≥ 1 − e^{−nL})",
    "App. B.5, l.2394-2497", "closed-form", statement=sp.Ge(SUM_G, ONE_MINUS_EXP_NL), latex_names=LEMMAB20_LATEX,
    symbols_doc={"sumg": "sum_i g_i with g_i = 1 - e^{-ell_i}", "rhs": "1 - e^{-n L}"},
    quantifier="for all random loss vectors", hypotheses=[POSITIVE_LOSSES],
    instances=_b20_instances, measure=_b20_closed_measure,
    mutant=Mutant(sp.Ge(PROOF_CHAIN, ONE_MINUS_EXP_NL),
                  "the proof's step 1 - e^{-max ell} >= 1 - e^{-nL} (finding F3)"),
    provides=("chain",), catalog_ref="E47", result="lemmaB.20")

F3 = claims.add(
    "finding.F3", "Finding F3: Lemma B.20 proof step 1 − e^{−max ℓ_i} ≥ 1 − e^{−nL}",
    "App. B.5, l.2470-2497 (proof of Lemma B.20)", "closed-form", statement=sp.Ge(PROOF_CHAIN, ONE_MINUS_EXP_NL),
    latex_names=LEMMAB20_LATEX, symbols_doc={"chain": "1 - e^{-max_i ell_i}", "rhs": "1 - e^{-n L}"},
    quantifier="for all random loss vectors", hypotheses=[POSITIVE_LOSSES],
    instances=_b20_instances, measure=_b20_closed_measure,
    control=Mutant(sp.Ge(SUM_G, ONE_MINUS_EXP_NL), "the step the proof needs, by subadditivity of 1 - e^{-x}: "
                   "sum_i (1 - e^{-ell_i}) >= 1 - e^{-n L} (lyu2021.lemmaB.20.subadditivity)"),
    mutant=Mutant(sp.Ge(SUM_G, 2 * ONE_MINUS_EXP_NL), "near miss of the corrected step: a factor 2 on the right; "
                  "rejected where the control holds"),
    provides=("sumg",), catalog_ref="F3, E47", result="lemmaB.20", tags=("finding",),
    notes="max_i ell_i <= sum_i ell_i = n L, so the step is reversed; Lemma B.20 itself survives by subadditivity "
          "(lyu2021.lemmaB.20.subadditivity).")


# =========================================================================== Definitions B.6-B.8, Lemma B.9


def _kkt_point_instances(tier):
    return [Instance("DS-K (alpha = 0): the I.1.1 KKT point", {"dataset": "DS-K", "alpha": 0.0, "point": "DS-K0"}),
            Instance("DS-K (alpha = 1/2, beta = 0.4416): the I.1.1 KKT point (Figure 1 left)",
                     {"dataset": "DS-K", "alpha": 0.5, "point": "DS-K"}),
            Instance("DS-S: 1/2 (w*, -w*, 1, -1)", {"dataset": "DS-S", "point": "global"}),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3: 1/2 (w*, -w*, 1, -1)",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "point": "global"})]


def _kkt_point(p):
    X, y, alpha = data(p)
    if p["point"] == "DS-K":
        a, W = dsk_kkt_point(alpha, float(dataset(p).params["beta"]))
        return X, y, alpha, a, W
    if p["point"] == "DS-K0":
        c = 2 ** -0.75
        a = np.array([2 ** -0.25, 2 ** -0.25, -1.0])
        W = np.array([[c, c], [c, -c], [-1.0, 0.0]])
        return X, y, alpha, a, W
    ws, _, _ = svm(p)
    return X, y, alpha, np.array([0.5, -0.5]), np.vstack([ws / 2, -ws / 2])


def _kktdef_measure(inst, point, precision):
    """Definitions B.6-B.8: relative KKT residual (numerics.convex.kkt_margin_residual: multipliers lambda >= 0 and
    Clarke slopes h in [alpha, 1] at kinks) of explicit KKT-margin points; mutant: the same test with the slope at
    kinks fixed to sigma'(0) = 1 (catalog E37 mutation). Errors: two solver tolerances (kkt_residual_pair)."""
    X, y, alpha, a, W = _kkt_point(inst.params)
    r, res, err = kkt_residual_pair(X, y, a, W, alpha)
    _, res_m, err_m = kkt_residual_pair(X, y, a, W, alpha, sigma_prime_zero=1.0)
    return Measurement(values={"kkt": res, "tol": KKT_TOL, "kkt_mut": res_m},
                       errors={"kkt": err, "kkt_mut": err_m}, exact=("tol",),
                       info={"multipliers": r.lam.tolist(), "kink slopes": [list(k) for k in r.kinks],
                             "normalised margin": r.normalized_margin})


KKTDEF = claims.add(
    "definitionB.6-B.8", "Definitions B.6-B.8 (KKT-margin directions; I.1.1 example)",
    "App. B.2, l.1558-1620; App. I.1.1, l.9151-9218", "convex", statement=sp.Le(KKT, KKT_TOLERANCE),
    latex_names=KKT_LATEX, symbols_doc={"kkt": "relative KKT residual of the explicit point"},
    quantifier="explicit points", hypotheses=[SEPARABLE], instances=_kkt_point_instances, measure=_kktdef_measure,
    mutant=Mutant(sp.Le(KKT_MUTANT, KKT_TOLERANCE), "sigma'(0) = 1 at kinks instead of the Clarke interval [alpha, 1]"),
    provides=("kkt_mut",), catalog_ref="E37, E93", result="definitionB.6",
    notes="DS-K (alpha = 0): KKT margin 1/(2 + 2 sqrt 2) = 0.2071 < 1/4 (global): a suboptimal KKT-margin "
          "direction (Figure 1 left).")


def _b9_measure(inst, point, precision):
    """Lemma B.9: at a KKT-margin direction |a_k| = ||w_k|| (the flow's extrapolated limit direction, whose KKT
    residual is lyu2021.theorem3.1.kkt). Measured: the limit of (|a_k| - ||w_k||)/||theta|| extrapolated on its own
    (common.limit_run: its error is far below the sum of the errors of |a_k| and ||w_k||, which are correlated), and
    ||w_k|| of the limit direction (for the mutant)."""
    r = resolved_limit_run(inst.params)
    a, W = split_theta(np.asarray(r["d_inf"]), r["m"], r["d"])
    nw = np.linalg.norm(W, axis=1)
    return Measurement(values={"bal": r["bal_inf"], "nw": nw.tolist()},
                       errors={"bal": r["bal_err"], "nw": (np.abs(np.asarray(r["d_err"][: r["m"] * r["d"]]))
                                                           .reshape(r["m"], r["d"]).sum(1)).tolist()},
                       coords={"k": list(range(len(a)))})


BALANCE, NORM_W_K = sp.symbols("bal nw", real=True)
LEMMAB9 = claims.add(
    "lemmaB.9", "Lemma B.9 (KKT ⇒ |a_k| = ||w_k||)", "App. B.2, l.1625-1661",
    "closed-form", statement=sp.Eq(BALANCE, 0),
    latex_names={"bal": r"|a_k| - \|w_k\|", "nw": r"\|w_k\|"},
    symbols_doc={"bal": "|a_k| - ||w_k|| at the limit direction (unit norm)", "nw": "||w_k|| there"},
    quantifier="every neuron of the flow's limit direction", hypotheses=SETTING, instances=symmetric_limit_instances,
    measure=_b9_measure, mutant=Mutant(sp.Eq(BALANCE, NORM_W_K), "|a_k| = 2||w_k|| (catalog E38 mutation)"),
    provides=("nw",), catalog_ref="E38", result="lemmaB.9", share=run_group("symrun"), eq_atol=1e-6,
    notes="Written as |a_k| - ||w_k|| = 0 on the unit-norm limit direction, judged within 1e-6 absolute (1e-6 of the "
          "direction's norm; a relative tolerance is meaningless for a difference equal to 0). The difference is "
          "extrapolated on its own: the limits of |a_k| and ||w_k|| have errors ~1e-9 each, but they are correlated "
          "(the flow conserves a_k^2 - ||w_k||^2 = O(sigma^2), Lemma B.16).")


# =========================================================================== Lemma B.14


def _b14_measure(inst, point, precision):
    """Lemma B.14: at ||theta||_M = sqrt(eps/(2m)) (random smooth theta, 10% with all neurons aligned with a data
    point, the near-extreme case), the w-subgradient is -(a_k/2n) sum (1 + eps_i) phi'_ki y_i x_i with
    eps_i = -2 (ell'(q_i) - ell'(0)) (the proof's choice, l.2060-2110); |eps_i| <= eps is the claim. eps is drawn
    (exact as given); |eps_i| = |1 - 2 expit(-q_i)| is an O(1)-scale difference: absolute rounding bound."""
    X, y, alpha = data(inst.params)
    n, d = X.shape
    rng = np.random.default_rng(inst.params["rng"])
    E, EPSV = [], []
    for k in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        eps = float(10 ** rng.uniform(-3, -0.5))
        a, W = random_theta(rng, m, d, 1.0)
        if k % 10 == 0:
            i = int(rng.integers(n))
            u = y[i] * X[i] / np.linalg.norm(X[i])
            W = np.outer(np.ones(m), u)
            a = np.ones(m)
        s = math.sqrt(eps / (2 * m)) / m_norm(a, W)
        a, W = s * a, s * W
        q = y * (a @ phi(W @ X.T, alpha))
        lp = -1.0 / (1.0 + np.exp(q))
        e = np.abs(-2 * (lp + 0.5))
        E += e.tolist()
        EPSV += [eps] * n
    return Measurement(values={"abs_eps": E, "eps": EPSV},
                       errors={"abs_eps": fp_bound(1.0, 8 * d + 16).tolist()}, exact=("eps",),
                       coords={"sample": list(range(len(E)))},
                       info={"max |eps_i| / eps": float(np.max(np.asarray(E) / np.asarray(EPSV)))})


ABS_EPS, EPS = sp.symbols("abs_eps eps", positive=True)
LEMMAB14 = claims.add(
    "lemmaB.14", "Lemma B.14 (near 0: ∂_w L = perturbed G-subgradient, |ε_i| ≤ ε)",
    "App. B.3, l.2006-2110", "closed-form", statement=sp.Le(ABS_EPS, EPS),
    latex_names={"abs_eps": r"|\epsilon_i|", "eps": r"\epsilon"},
    symbols_doc={"abs_eps": "|eps_i| = 2|ell'(q_i) - ell'(0)| at ||theta||_M = sqrt(eps/(2m))"},
    quantifier="random smooth theta, eps in [1e-3, 0.3]", hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL],
    instances=lambda tier: sampled_instances(tier, 800), measure=_b14_measure,
    mutant=Mutant(sp.Le(ABS_EPS, EPS / 8), "|eps_i| <= eps/8 (the true bound is eps/4: slack 4, F18)"),
    catalog_ref="E42, F18", result="lemmaB.14")


# =========================================================================== Theorem B.19 (hitting time)


B19_SCALES = (0.5, 2.0)   # catalog E46 uses {0.5, 1, 1.5, 2}; the two ends keep the fast tier within budget


def _unit_perp(w):
    """A unit vector orthogonal to w (d > 2: Gram-Schmidt on the axis of smallest |w_k|; d = 1: 0)."""
    if len(w) < 2:
        return np.zeros(len(w))
    e = np.eye(len(w))[int(np.argmin(np.abs(w)))]
    v = e - (e @ w) * w
    return v / np.linalg.norm(v)


def _b19_measure(inst, point, precision):
    """Theorem B.19 (proof's quantitative content, l.2387-2614): with c = <w_k(0), w*>^2 - ||w_k(0)||^2 + a_k(0)^2 > 0,
    the loss reaches ln2/n by T_bd = (L(theta_0) - ln2/n) / (c^2 (alpha gamma*/(2n))^2). Catalog E46 construction:
    W ~ N(0, 0.3^2) (default_rng(seed)), neuron 0 set to w = s (0.2, 0.1), a_0 = 0.9||w|| + 0.02, s in {0.5, 1, 1.5, 2};
    measured: the first time n L < ln 2 (located on a grid of step 0.01: error 0.01); T_bd: a closed form in float64
    (rounding bound)."""
    X, y, alpha = data(inst.params)
    n, d = X.shape
    ws, gs, _ = svm(inst.params)
    m = 3
    Th, Tb, cs = [], [], []
    for s in B19_SCALES:
        rng = np.random.default_rng(int(inst.params["seed"]))
        W = 0.3 * rng.standard_normal((m, d))
        a = 0.3 * rng.standard_normal(m)
        if inst.params.get("w0") == "wstar":   # generic data: w0 = s (0.2 w* + 0.1 w_perp)
            perp = np.array([-ws[1], ws[0]]) if d == 2 else _unit_perp(ws)
            w0 = s * (0.2 * ws + 0.1 * perp)
        else:                                   # catalog E46: w0 = s (0.2, 0.1)
            w0 = np.zeros(d)
            w0[0], w0[1] = 0.2 * s, 0.1 * s
        W[0] = w0
        a[0] = 0.9 * np.linalg.norm(w0) + 0.02
        c = float((W[0] @ ws) ** 2 - W[0] @ W[0] + a[0] ** 2)
        q0 = y * (a @ phi(W @ X.T, alpha))
        L0 = float(np.mean(np.logaddexp(0.0, -q0)))
        Tbd = (L0 - math.log(2) / n) / (c ** 2 * (alpha * gs / (2 * n)) ** 2)
        mdl = model(inst.params)
        hit, t_lo, st0 = None, 0.0, PolarState.from_cartesian(a, W)
        while hit is None and t_lo < min(Tbd, 2000.0):   # coarse steps of 1, then 0.01 inside the crossing step
            tr = solve_flow(mdl, st0, t_lo + 50.0, rtol=1e-10, t_eval=np.arange(t_lo, t_lo + 50.0 + 1e-9, 1.0), t0=t_lo)
            Ls = [float(x.loss(mdl)) * n for x in tr.sampled]
            k = next((i for i, v in enumerate(Ls) if v < math.log(2)), None)
            if k is not None:
                tb = t_lo + k - 1.0 if k > 0 else t_lo
                tr2 = solve_flow(mdl, tr.sampled[max(k - 1, 0)], tb + 1.0, rtol=1e-10,
                                 t_eval=np.arange(tb, tb + 1.0 + 1e-9, 0.01), t0=tb)
                hit = next(t for t, x in zip(np.arange(tb, tb + 1.0 + 1e-9, 0.01), tr2.sampled)
                           if float(x.loss(mdl)) * n < math.log(2))
            t_lo += 50.0
            st0 = tr.final
        Th.append(float(hit) if hit is not None else float("inf"))
        Tb.append(Tbd)
        cs.append(c)
    if any(c <= 0 for c in cs):
        raise ValueError(f"construction gives c <= 0 (c = {cs}): the hypothesis of Theorem B.19 fails")
    return Measurement(values={"T_hit": Th, "T_bd": Tb},
                       errors={"T_hit": [0.01] * len(Th), "T_bd": fp_bound(Tb, 8 * n + 20).tolist()},
                       coords={"s": list(B19_SCALES)}, info={"c": cs, "T_bd / T_hit": [b / h for b, h in zip(Tb, Th)]})


T_HIT, T_BOUND = sp.symbols("T_hit T_bd", positive=True)
THEOREMB19 = claims.add(
    "theoremB.19", "Theorem B.19 (one good neuron ⇒ loss below ln2/n by T_bd)",
    "App. B.5, l.2387-2614", "flow-inequality", statement=sp.Le(T_HIT, T_BOUND),
    latex_names={"T_hit": r"T_{\rm hit}", "T_bd": r"\frac{\mathcal{L}(\theta_0) - \ln 2/n}{c^2(\alpha\gamma^*/2n)^2}"},
    symbols_doc={"T_hit": "first sampled time with n L < ln 2", "T_bd": "the proof's hitting-time bound"},
    quantifier="s in {0.5, 2} (catalog E46 construction)", hypotheses=[LOGISTIC_LEAKY, SEPARABLE, INPUTS_IN_UNIT_BALL],
    instances=lambda tier: [Instance("DS-S, m=3, rng 3", {"dataset": "DS-S", "seed": 3}),
                            Instance("generic symmetric (n=10, d=2, seed 2), m=3, rng 4",
                                     {"dataset": "symmetric", "n_half": 5, "d": 2, "ds_seed": 2, "seed": 4,
                                      "w0": "wstar"})],
    measure=_b19_measure,
    mutant=Mutant(sp.Le(T_HIT, T_BOUND / 10 ** 5), "T_bd / 1e5 (the bound is ~1e5 loose: catalog E46, F18)"),
    catalog_ref="E46, F18", result="theoremB.19")


# =========================================================================== user data (earlyalign --data)

for _c, _n in ((THEOREMB3, 2000), (LEMMAB5, 20), (LEMMAB10, 2000), (LEMMAB11, 2000), (LEMMAB12, 2000), (LEMMAB14, 800)):
    accept_data(_c, lambda ds, n=_n: user_sampled(ds, n))


def _b19_data(ds):
    """Theorem B.19 on a user's data: the catalog E46 construction (m = 3, W, a ~ N(0, 0.3^2) from default_rng(seed),
    seed default 3, neuron 0 set to s (0.2 w* + 0.1 w_perp)); its width and init are the construction's."""
    u = UserSettings(ds)
    seed = int(u.get("seed", 3))
    return [u.instance(f"m = 3, seed {seed}", {"seed": seed, "w0": "wstar"}, cost=flow_cost(
        len(ds.y), 3, T=2000.0, runs=2) + " at most (the flow stops when n L < ln 2)")]


accept_data(KKTDEF, lambda ds: user_static(ds, "1/2 (w*, -w*, 1, -1)", {"point": "global"}), MODEL, SETTINGS, SYMMETRIC)
accept_data(LEMMAB9, lambda ds: [user_limit_instance(ds)])
accept_data(THEOREMB19, _b19_data)
