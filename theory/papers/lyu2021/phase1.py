"""lyu2021 §5.1, Phase I (the linearisation at small init) and its proof (App. D): the growth rate lambda_0 of
Eqs. (2)-(3) (finding F1: the printed mu~ = (1+alpha)/2 mu is off by a factor 2), the M-norm (Definition
5.1), Lemma 5.2 (the Phase-I decomposition at T_1(r), with the corrected and the printed lambda_0) and Lemmas
D.1-D.2 (the linear flow of L~ and the distance of the flow to it).
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from scipy.linalg import expm

from numerics.flows import PolarState, solve_flow
from numerics.margins import m_norm
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (ALPHA, INPUTS_IN_UNIT_BALL, LOGISTIC_LEAKY, MU_NOT_ORTHOGONAL, SEPARABLE, SETTING, SYMMETRIC,
                     WIDTH, b_bar, data, init_bar, lam0, model, mu_bar, random_theta, run_group)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=SETTING)


# =========================================================================== F1: G(w) = <w, mu~>, lambda_0


def _f1_instances(tier):
    out = [Instance("DS-S (alpha = 1/2)", {"dataset": "DS-S", "alpha": 0.5}),
           Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3",
                    {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3})]
    if tier == "full":
        out.append(Instance("DS-S2 (alpha = 1/2)", {"dataset": "DS-S2", "alpha": 0.5}))
    return out


def _f1_measure(inst, point, precision):
    """max_{||w||=1} |G(w)| (exact piecewise-linear maximisation, numerics.geometry.G_extrema, with G the
    definition l.497: G(w) = (1/2n) sum y_i phi(<w, x_i>)) and ||mu||."""
    X, y, alpha = data(inst.params)
    g = lam0(X, y, alpha)
    mu = (y[:, None] * X).mean(0)
    return Measurement(values={"maxG": g, "mu": float(np.linalg.norm(mu)), "alpha": mpmath.mpf(alpha)},
                       errors={"maxG": 1e-13, "mu": 1e-15, "alpha": 0},
                       info={"mu": mu.tolist(), "argmax": "mu_bar"})


MAX_G, MU_NORM = sp.symbols("maxG mu", positive=True)
F1_LATEX = {"maxG": r"\max_{\|w\|=1}|G(w)|", "mu": r"\|\mu\|", "alpha": r"\alpha"}
F1_DOC = {"maxG": "lambda_0 as the top growth rate = max |G| on the sphere (exact)", "mu": "||mu||"}

EQ3_CORRECTED = claims.add(
    "eq3.corrected", "Eq. (2)-(3) corrected: λ0 = max|G| = (1+α)/4 ||μ||",
    "§5.1, l.551-593 (corrected, catalog F1)", "closed-form",
    statement=sp.Eq(MAX_G, (1 + ALPHA) / 4 * MU_NORM), latex_names=F1_LATEX, symbols_doc=F1_DOC,
    hypotheses=[SYMMETRIC, SEPARABLE], instances=_f1_instances, measure=_f1_measure,
    mutant=Mutant(sp.Eq(MAX_G, (1 + ALPHA) / 2 * MU_NORM), "the printed mu~ = (1+alpha)/2 mu (catalog E11)"),
    catalog_ref="E11, E36, F1", result="linearization", share=run_group("f1"))

F1_PRINTED = claims.add(
    "finding.F1", "Finding F1: printed λ0 = ||(1+α)/2 μ|| (G(w) = <w, μ~>)",
    "§5.1, l.549-593 (as printed)", "closed-form",
    statement=sp.Eq(MAX_G, (1 + ALPHA) / 2 * MU_NORM), latex_names=F1_LATEX, symbols_doc=F1_DOC,
    hypotheses=[SYMMETRIC, SEPARABLE], instances=_f1_instances, measure=_f1_measure,
    mutant=Mutant(sp.Eq(MAX_G, (1 + ALPHA) * MU_NORM), "lambda_0 = (1+alpha)||mu|| (a further factor 2)"),
    catalog_ref="F1, E11", result="linearization", share=run_group("f1"),
    tags=("finding",),
    notes="sum_{i <= n/2} x_i = (n/2) mu, so (1/2n) sum_{i<=n/2} (1+alpha) <w, x_i> = (1+alpha)/4 <w, mu>: the "
          "printed mu~ and lambda_0 are twice the true ones. All phase times T_1, T_2, T_12 are halved.")

# --- Phase-I growth rate (the dynamic witness of F1)


def _rate_instances(tier):
    return [Instance("DS-S, INIT-B (m=4, seed 1), sigma = 1e-9", {"dataset": "DS-S", "m": 4, "seed": 1,
                                                                 "sigma": 1e-9, "c_a": 1.0}),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, m=4, seed 5, sigma = 1e-9",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 4, "seed": 5,
                      "sigma": 1e-9, "c_a": 1.0})]


@lru_cache(maxsize=8)
def _rate_run(pj):
    p = json.loads(pj)
    X, y, alpha = data(p)
    a, W = init_bar(p)
    s = float(p["sigma"])
    lam = lam0(X, y, alpha)
    T = math.log(1e-2 / (s * m_norm(a, W))) / lam + 2.0
    ts = np.linspace(0, T, 200)
    tr = solve_flow(model(p), PolarState.from_cartesian(s * a, s * W), T, rtol=1e-11, t_eval=ts)
    M = np.array([m_norm([float(v) for v in st.a()], [[float(v) for v in r] for r in st.W()]) for st in tr.sampled])
    lo, hi = 1e3 * s * m_norm(a, W), 1e-2
    sel = (M >= lo) & (M <= hi)
    tt, lm = ts[sel], np.log(M[sel])
    slope = np.polyfit(tt, lm, 1)[0]
    h = len(tt) // 2
    s1, s2 = np.polyfit(tt[:h], lm[:h], 1)[0], np.polyfit(tt[h:], lm[h:], 1)[0]
    return {"slope": float(slope), "err": float(abs(s1 - s2) + abs(slope - s1) + abs(slope - s2)),
            "window": [float(tt[0]), float(tt[-1])], "npts": int(sel.sum()), "lam0": lam,
            "mu": float(np.linalg.norm((y[:, None] * X).mean(0))), "alpha": alpha}


def _rate_measure(inst, point, precision):
    """Phase I growth rate: slope of ln ||theta(t)||_M over the window ||theta||_M in [1e3 sigma ||theta_bar||_M,
    1e-2] (catalog E11 (3)); error = spread of the slopes of the two halves of the window."""
    r = _rate_run(json.dumps(inst.params, sort_keys=True))
    return Measurement(values={"rate": r["slope"], "mu": r["mu"], "alpha": mpmath.mpf(r["alpha"])},
                       errors={"rate": r["err"] + 1e-6, "mu": 1e-15, "alpha": 0},
                       info={"window t": r["window"], "samples": r["npts"], "max|G|": r["lam0"]})


RATE = sp.Symbol("rate", positive=True)
PHASE1_RATE = claims.add(
    "linearization.rate", "Phase I growth rate λ0 (Eq. (3), corrected)",
    "§5.1, l.575-593; App. D, l.2895-2917", "flow-inequality",
    statement=sp.Eq(RATE, (1 + ALPHA) / 4 * MU_NORM),
    latex_names={"rate": r"\frac{d}{dt}\ln\|\theta(t)\|_M", **F1_LATEX},
    symbols_doc={"rate": "fitted exponential growth rate of ||theta||_M in Phase I", "mu": "||mu||"},
    quantifier="on the window 1e3 sigma ||theta_bar_0||_M <= ||theta||_M <= 1e-2",
    hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SYMMETRIC], instances=_rate_instances, measure=_rate_measure,
    mutant=Mutant(sp.Eq(RATE, (1 + ALPHA) / 2 * MU_NORM), "the printed lambda_0 = ||(1+alpha)/2 mu|| (F1)"),
    catalog_ref="E11 (3), F1", result="linearization", share=run_group("rate"))


# =========================================================================== Lemma 5.2


def _l52_instances(tier):
    grid = [{"r10": v} for v in ([math.log10(r) for r in (0.2, 0.1, 0.05, 0.02)] if tier == "fast"
                                 else [math.log10(r) for r in (0.2, 0.1, 0.05, 0.02, 0.01, 0.003, 0.001)])]
    kw = dict(grid=grid, grid_param="r10", grid_symbol="r", grid_log10=True, asymptotic="small",
              description="sigma_init = r^3/(sqrt(m) ||theta_bar_0||_M), state at T_1(r)")
    return [Instance("DS-S, INIT-B (m=4, seed 1)", {"dataset": "DS-S", "m": 4, "seed": 1, "c_a": 1.0}, **kw),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, m=5, seed 7",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 5, "seed": 7,
                      "c_a": 1.0}, **kw)]


@lru_cache(maxsize=64)
def _l52_run(pj, r10, which):
    """Flow from sigma theta_bar_0, sigma = r^3/(sqrt(m)||theta_bar_0||_M), to T_1(r) = (1/lam) ln(r/(sqrt(m)
    sigma ||theta_bar_0||_M)) with lam = max|G| (``which="corrected"``) or the printed ||(1+alpha)/2 mu||;
    returns ||Delta theta||_M of the decomposition w_k = r b_k mu_bar + Dw_k, a_k = r b_k + Da_k, at two
    tolerances."""
    p = json.loads(pj)
    X, y, alpha = data(p)
    a, W = init_bar(p)
    m = len(a)
    r = 10.0 ** r10
    nM = m_norm(a, W)
    sig = r ** 3 / (math.sqrt(m) * nM)
    lam = lam0(X, y, alpha)
    if which == "printed":
        lam = (1 + alpha) / 2 * float(np.linalg.norm((y[:, None] * X).mean(0)))
    T1 = math.log(r / (math.sqrt(m) * sig * nM)) / lam
    mb, _ = mu_bar(X, y)
    b = b_bar(p)
    out = []
    for rtol in (1e-9, 1e-12):
        tr = solve_flow(model(p), PolarState.from_cartesian(sig * a, sig * W), T1, rtol=rtol)
        st = tr.final
        aT = np.array([float(v) for v in st.a()])
        WT = np.array([[float(v) for v in row] for row in st.W()])
        out.append(m_norm(aT - r * b, WT - r * np.outer(b, mb)))
    return {"dM": out[1], "err": abs(out[1] - out[0]) + 1e-12 * r, "T1": T1, "sigma": sig, "lam": lam, "m": m,
            "lam_true": lam0(X, y, alpha)}


def _l52_measure_for(which):
    def measure(inst, point, precision):
        """Lemma 5.2: ||Delta theta||_M at T_1(r) and the bound C r^3/sqrt(m), C = 4/lambda_0 + sqrt(2) (the
        constant of the proof, App. D l.3094-3280; the statement's 'universal C'), lambda_0 = max |G|."""
        q = _l52_run(json.dumps(inst.params, sort_keys=True), float(point["r10"]), which)
        r = 10.0 ** float(point["r10"])
        return Measurement(values={"dM": q["dM"], "r": r, "m": q["m"], "lam0": q["lam_true"]},
                           errors={"dM": q["err"], "r": 0, "m": 0, "lam0": 1e-13},
                           coords={"t": q["T1"]},
                           info={"T_1(r)": q["T1"], "sigma_init": q["sigma"], "lambda used in T_1": q["lam"],
                                 "ratio ||Delta||_M / (r^3/sqrt m)": q["dM"] / (r ** 3 / math.sqrt(q["m"]))})
    return measure


DELTA_M, RADIUS, LAMBDA_0 = sp.symbols("dM r lam0", positive=True)
LEMMA52_LATEX = {"dM": r"\|\Delta\theta\|_M", "r": "r", "m": "m", "lam0": r"\lambda_0"}
LEMMA52_DOC = {"dM": "||Delta theta||_M at T_1(r) (decomposition of Lemma 5.2)", "r": "the radius r",
           "m": "width", "lam0": "max |G| on the sphere (corrected lambda_0)"}

LEMMA52 = claims.add(
    "lemma5.2", "Lemma 5.2 (Phase I decomposition, corrected λ0)",
    "§5.1, l.597-630; proof App. D, l.3094-3280", "flow-inequality",
    statement=sp.Le(DELTA_M, (4 / LAMBDA_0 + sp.sqrt(2)) * RADIUS ** 3 / sp.sqrt(WIDTH)), latex_names=LEMMA52_LATEX,
    symbols_doc=LEMMA52_DOC, quantifier="at T_1(r) with lambda_0 = max|G|, for small r (r <= sqrt(lambda_0)/2)",
    extra_hypotheses=[MU_NOT_ORTHOGONAL], instances=_l52_instances, measure=_l52_measure_for("corrected"),
    mutant=Mutant(sp.Le(DELTA_M, RADIUS ** 3 / (2 * sp.sqrt(WIDTH))), "constant C = 1/2 (catalog E52 mutation)"),
    catalog_ref="E13, E52, F4", result="lemma5.2", share=run_group("l52"),
    notes="C = 4/lambda_0 + sqrt(2) (the proof's constant) depends on the data through lambda_0 (F4); the measured "
          "ratio ||Delta||_M/(r^3/sqrt m) is ~1 (the sqrt(2) sigma ||theta_bar_0||_M term dominates).")

LEMMA52_PRINTED = claims.add(
    "finding.F1.lemma5.2", "Finding F1: Lemma 5.2 with the printed λ0 in T_1(r)",
    "§5.1, l.597-630 (T_1 with lambda_0 = ||(1+alpha)/2 mu||)", "flow-inequality",
    statement=sp.Le(DELTA_M, (4 / LAMBDA_0 + sp.sqrt(2)) * RADIUS ** 3 / sp.sqrt(WIDTH)), latex_names=LEMMA52_LATEX,
    symbols_doc={**LEMMA52_DOC, "dM": "||Delta theta||_M at the printed T_1(r) (half the true time)"},
    quantifier="at the printed T_1(r), small r", extra_hypotheses=[MU_NOT_ORTHOGONAL], instances=_l52_instances,
    measure=_l52_measure_for("printed"),
    mutant=Mutant(sp.Le(DELTA_M, (4 / LAMBDA_0 + sp.sqrt(2)) * RADIUS ** 3 / (2 * sp.sqrt(WIDTH))),
                  "half the constant"),
    catalog_ref="E13 (4), F1", result="lemma5.2", share=run_group("l52"), tags=("finding",),
    notes="With the printed lambda_0 the time T_1(r) is half the true one: the neurons are still ~sqrt(r^3)-small "
          "and the decomposition error r|b_k| dwarfs r^3 (ratio -> infinity as r -> 0).")


# =========================================================================== Definition 5.1 (the M-norm)


def _d51_measure(inst, point, precision):
    """Definition 5.1: ||theta||_M <= ||theta||_2 <= sqrt(2m) ||theta||_M on random theta (10% with all neurons
    equal, the tight case of the upper bound); mutant values: the 'sum over k' variant of the M-norm."""
    rng = np.random.default_rng(inst.params["rng"])
    n2, up, lo, sm = [], [], [], []
    for k in range(inst.params["samples"]):
        m, d = int(rng.integers(1, 7)), int(rng.integers(1, 4))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-3, 2))
        if k % 10 == 0:
            W = np.outer(np.ones(m), W[0])
            a = np.full(m, np.linalg.norm(W[0]))
        M = m_norm(a, W)
        n2.append(float(math.sqrt(a @ a + np.sum(W * W))))
        up.append(math.sqrt(2 * m) * M * (1 + 1e-12))
        lo.append(M)
        sm.append(float(sum(max(np.linalg.norm(W[j]), abs(a[j])) for j in range(m))))
    e = lambda v: (1e-14 * np.asarray(v)).tolist()  # noqa: E731
    return Measurement(values={"n2": n2, "up": up, "lo": lo, "msum": sm},
                       errors={"n2": e(n2), "up": e(up), "lo": e(lo), "msum": e(sm)},
                       coords={"sample": list(range(len(n2)))})


NORM_2, UPPER, LOWER, M_SUM = sp.symbols("n2 up lo msum", positive=True)
DEF51 = claims.add(
    "definition5.1", "Definition 5.1 (M-norm: ||θ||_M ≤ ||θ||_2 ≤ √(2m) ||θ||_M)",
    "§5.1, l.595-596", "closed-form", statement=sp.Le(NORM_2, UPPER),
    latex_names={"n2": r"\|\theta\|_2", "up": r"\sqrt{2m}\|\theta\|_M", "lo": r"\|\theta\|_M",
                 "msum": r"\sum_k\max(\|w_k\|,|a_k|)"},
    symbols_doc={"n2": "||theta||_2", "up": "sqrt(2m) ||theta||_M (x (1 + 1e-12): equality in the tight case)"},
    quantifier="random theta (10% with equal neurons)", hypotheses=[Hypothesis("any theta", lambda i: True, "l.595")],
    instances=lambda tier: [Instance("random theta, 2000 samples", {"samples": 2000, "rng": 11}),
                            Instance("random theta (second seed), 2000 samples", {"samples": 2000, "rng": 12})],
    measure=_d51_measure, mutant=Mutant(sp.Le(NORM_2, M_SUM / 2), "the sum-over-k variant (halved; catalog E12)"),
    provides=("lo", "msum"), catalog_ref="E12", result="definition5.1")


# =========================================================================== Lemmas D.1-D.2 (linear flow)


def _d1_measure(inst, point, precision):
    """Lemma D.1: for the linear flow of L~ (symmetric data: d/dt (w_k, a_k) = M (w_k, a_k), M = [[0, mu~],
    [mu~^T, 0]] with the corrected mu~ = (1+alpha)/4 mu), ||theta~(t)||_M <= e^{lambda_0 t} ||theta~_0||_M, t in
    [0, 20] (exact matrix exponential, scipy.linalg.expm)."""
    X, y, alpha = data(inst.params)
    d = X.shape[1]
    mu = (y[:, None] * X).mean(0)
    mut = (1 + alpha) / 4 * mu
    M = np.zeros((d + 1, d + 1))
    M[:d, d] = mut
    M[d, :d] = mut
    lam = float(np.linalg.norm(mut))
    a0, W0 = init_bar(inst.params)
    V0 = np.hstack([W0, a0[:, None]])
    n0 = m_norm(a0, W0)
    lhs, rhs, rm, ts = [], [], [], []
    for t in np.linspace(0.5, 60, 120):
        V = V0 @ expm(t * M).T
        lhs.append(m_norm(V[:, d], V[:, :d]))
        rhs.append(math.exp(lam * t) * n0)
        rm.append(math.exp(0.9 * lam * t) * n0)
        ts.append(float(t))
    return Measurement(values={"nM": lhs, "bound": rhs, "bound09": rm},
                       errors={"nM": (1e-13 * np.asarray(lhs)).tolist(), "bound": (1e-14 * np.asarray(rhs)).tolist(),
                               "bound09": 0}, coords={"t": ts}, info={"lambda_0": lam})


LINEAR_M_NORM, BOUND, BOUND_09 = sp.symbols("nM bound bound09", positive=True)
LEMMAD1 = claims.add(
    "lemmaD.1", "Lemma D.1 (||θ~(t)||_M ≤ e^{λ0 t} ||θ~0||_M)",
    "App. D, l.2919-2940", "flow-inequality", statement=sp.Le(LINEAR_M_NORM, BOUND),
    latex_names={"nM": r"\|\tilde\theta(t)\|_M", "bound": r"e^{\lambda_0 t}\|\tilde\theta_0\|_M",
                 "bound09": r"e^{0.9\lambda_0 t}\|\tilde\theta_0\|_M"},
    symbols_doc={"nM": "M-norm of the linear flow", "bound": "e^{lambda_0 t} ||theta~_0||_M (corrected lambda_0)"},
    quantifier="t in [0.5, 60] (120 times; at t = 0 both sides are equal)", hypotheses=[SYMMETRIC, LOGISTIC_LEAKY],
    instances=lambda tier: [Instance("DS-S, INIT-A (m=4, seed 2)", {"dataset": "DS-S", "m": 4, "seed": 2}),
                            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, m=5 seed 7",
                                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3,
                                      "m": 5, "seed": 7})],
    measure=_d1_measure, mutant=Mutant(sp.Le(LINEAR_M_NORM, BOUND_09), "e^{0.9 lambda_0 t} (catalog E50 mutation)"),
    provides=("bound09",), catalog_ref="E49, E50", result="lemmaD.1")


def _d2_measure(inst, point, precision):
    """Lemma D.2: ||theta(t) - theta~(t)||_M <= (4m ||theta_0||_M^3/lambda_0) e^{3 lambda_0 t} for
    t <= (1/lambda_0) ln(sqrt(lambda_0)/2 / (sqrt(m) ||theta_0||_M)) (theta~: the linear flow of L~, exact matrix
    exponential; theta: numerics.flows), 60 times in the window; corrected lambda_0 = max|G|."""
    p = inst.params
    X, y, alpha = data(p)
    d = X.shape[1]
    lam = lam0(X, y, alpha)
    mut = (1 + alpha) / 4 * (y[:, None] * X).mean(0)
    M = np.zeros((d + 1, d + 1))
    M[:d, d] = mut
    M[d, :d] = mut
    a0, W0 = init_bar(p)
    s = float(p["sigma"])
    a0, W0 = s * a0, s * W0
    m = len(a0)
    n0 = m_norm(a0, W0)
    Tw = math.log(math.sqrt(lam) / 2 / (math.sqrt(m) * n0)) / lam
    ts = np.linspace(Tw / 60, Tw, 60)
    tr = solve_flow(model(p), PolarState.from_cartesian(a0, W0), Tw, rtol=1e-12, t_eval=ts)
    V0 = np.hstack([W0, a0[:, None]])
    lhs, b3, b2, nm = [], [], [], []
    for t, st in zip(ts, tr.sampled):
        V = V0 @ expm(t * M).T
        a = np.array([float(v) for v in st.a()])
        W = np.array([[float(v) for v in r] for r in st.W()])
        lhs.append(m_norm(a - V[:, d], W - V[:, :d]))
        nm.append(m_norm(a, W))
        b3.append(4 * m * n0 ** 3 / lam * math.exp(3 * lam * t))
        b2.append(4 * m * n0 ** 3 / lam * math.exp(2 * lam * t))
    return Measurement(values={"dev": lhs, "b3": b3, "b2": b2},
                       errors={"dev": (1e-10 * np.asarray(lhs) + 1e-11 * np.asarray(nm)).tolist(), "b3": 0, "b2": 0},
                       coords={"t": ts.tolist()}, info={"window end": Tw, "lambda_0": lam})


DEVIATION, BOUND_E3, BOUND_E2 = sp.symbols("dev b3 b2", positive=True)
LEMMAD2 = claims.add(
    "lemmaD.2", "Lemma D.2 (Phase I linearisation error ≤ 4m||θ0||³/λ0 e^{3λ0 t})",
    "App. D, l.2942-3092", "flow-inequality", statement=sp.Le(DEVIATION, BOUND_E3),
    latex_names={"dev": r"\|\theta(t) - \tilde\varphi(\theta_0, t)\|_M",
                 "b3": r"\frac{4m\|\theta_0\|_M^3}{\lambda_0}e^{3\lambda_0 t}",
                 "b2": r"\frac{4m\|\theta_0\|_M^3}{\lambda_0}e^{2\lambda_0 t}"},
    symbols_doc={"dev": "distance between the flow and the linear flow (M-norm)"},
    quantifier="60 times in the lemma's window", instances=lambda tier: [
        Instance("DS-S, INIT-A (m=4, seed 2), sigma = 1e-6", {"dataset": "DS-S", "m": 4, "seed": 2, "sigma": 1e-6}),
        Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, m=5 seed 7, sigma = 1e-6",
                 {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 5, "seed": 7,
                  "sigma": 1e-6})],
    measure=_d2_measure, mutant=Mutant(sp.Le(DEVIATION, BOUND_E2), "e^{2 lambda_0 t} (catalog E51 mutation)"),
    provides=("b2",),
    catalog_ref="E51", result="lemmaD.2")

