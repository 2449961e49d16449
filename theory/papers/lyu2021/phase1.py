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

from .common import (ALPHA, INPUTS_IN_UNIT_BALL, LOGISTIC_LEAKY, MODEL, MU_NOT_ORTHOGONAL, SEPARABLE, SETTING,
                     SETTINGS, SYMMETRIC, WIDTH, accept_data, b_bar, data, fp_bound, init_bar, lam0, lam0_err, model,
                     mu_bar, random_theta, run_group, user_init_instance, user_static)
from .datasets import flow_cost
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
    n, d = X.shape
    return Measurement(values={"maxG": g, "mu": float(np.linalg.norm(mu)), "alpha": mpmath.mpf(alpha)},
                       errors={"maxG": lam0_err(X),
                               "mu": float(fp_bound(np.abs(X).sum(0) @ np.ones(d) / n, n + 2 * d + 4))},
                       exact=("alpha",), info={"mu": mu.tolist(), "argmax": "mu_bar"})


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
    control=Mutant(sp.Eq(MAX_G, (1 + ALPHA) / 4 * MU_NORM), "corrected mu~ = (1+alpha)/4 mu (lyu2021.eq3.corrected)"),
    mutant=Mutant(sp.Eq(MAX_G, MU_NORM / 4), "near miss of the corrected value: the leaky slope dropped, ||mu||/4 "
                  "(the ReLU value); rejected where the control holds"),
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
    X, y, _ = data(inst.params)
    n, d = X.shape
    return Measurement(values={"rate": r["slope"], "mu": r["mu"], "alpha": mpmath.mpf(r["alpha"])},
                       errors={"rate": r["err"],
                               "mu": float(fp_bound(np.abs(X).sum(0) @ np.ones(d) / n, n + 2 * d + 4))},
                       exact=("alpha",), info={"window t": r["window"], "samples": r["npts"], "max|G|": r["lam0"]})


def _mu_nonzero(inst):
    """||mu|| above its rounding bound (that of the measurement's mu): with mu = 0, lambda_0 = 0 and there is no
    exponential Phase I to fit (the flow would never leave the window's lower end)."""
    X, y, _ = data(inst.params)
    n, d = X.shape
    mu = float(np.linalg.norm((y[:, None] * X).mean(0)))
    eps = float(fp_bound(np.abs(X).sum(0) @ np.ones(d) / n, n + 2 * d + 4))
    ok = mu > eps
    return ok, f"||mu|| = {mu:.4g} (rounding bound {eps:.1e})" + ("" if ok else ": mu = 0, lambda_0 = 0, no Phase I")


MU_NONZERO = Hypothesis("mu != 0 (lambda_0 > 0)", _mu_nonzero, "l.575-593")
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
    catalog_ref="E11 (3), F1", result="linearization", share=run_group("rate"), eq_rtol=1e-3,
    notes="Tolerance 1e-3 relative (a rate fit, not an identity): the growth of ||theta||_M is exponential at rate "
          "lambda_0 only up to the transient of the other eigen-directions of the linear flow, relative size "
          "<= sigma ||theta_bar_0||_M/||theta||_M <= 1e-3 at the lower end of the fit window, and the nonlinear "
          "correction O(||theta||_M^2) <= 1e-4 at its upper end; the printed lambda_0 (F1) is off by a factor 2.")


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
    return {"dM": out[1], "err": abs(out[1] - out[0]), "T1": T1, "sigma": sig, "lam": lam, "m": m,
            "lam_true": lam0(X, y, alpha)}


def _l52_measure_for(which):
    def measure(inst, point, precision):
        """Lemma 5.2: ||Delta theta||_M at T_1(r) and the bound C r^3/sqrt(m), C = 4/lambda_0 + sqrt(2) (the
        constant of the proof, App. D l.3094-3280; the statement's 'universal C'), lambda_0 = max |G|. Error of
        ||Delta theta||_M: the difference of two runs (rtol 1e-9 and 1e-12) plus the rounding of the decomposition.
        With ``which="printed"`` (finding F1) the state is read at the printed T_1(r), and the measurement also
        carries ``dM_c``, the corrected-T_1 value (the control)."""
        pj = json.dumps(inst.params, sort_keys=True)
        q = _l52_run(pj, float(point["r10"]), which)
        r = 10.0 ** float(point["r10"])
        X, _, _ = data(inst.params)
        rounding = float(fp_bound(r * 2.0, 16))
        values = {"dM": q["dM"], "r": r, "m": q["m"], "lam0": q["lam_true"]}
        errors = {"dM": q["err"] + rounding, "lam0": lam0_err(X)}
        info = {"T_1(r)": q["T1"], "sigma_init": q["sigma"], "lambda used in T_1": q["lam"],
                "ratio ||Delta||_M / (r^3/sqrt m)": q["dM"] / (r ** 3 / math.sqrt(q["m"]))}
        if which == "printed":
            qc = _l52_run(pj, float(point["r10"]), "corrected")
            values["dM_c"] = qc["dM"]
            errors["dM_c"] = qc["err"] + rounding
            info["corrected-T_1 ratio ||Delta||_M / (r^3/sqrt m)"] = qc["dM"] / (r ** 3 / math.sqrt(q["m"]))
        return Measurement(values=values, errors=errors, exact=("r", "m"), coords={"t": q["T1"]}, info=info)
    return measure


DELTA_M, RADIUS, LAMBDA_0, DELTA_M_CORRECTED = sp.symbols("dM r lam0 dM_c", positive=True)
LEMMA52_LATEX = {"dM": r"\|\Delta\theta\|_M", "r": "r", "m": "m", "lam0": r"\lambda_0",
                 "dM_c": r"\|\Delta\theta\|_M^{\rm corr}"}
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
    control=Mutant(sp.Le(DELTA_M_CORRECTED, (4 / LAMBDA_0 + sp.sqrt(2)) * RADIUS ** 3 / sp.sqrt(WIDTH)),
                   "the corrected lambda_0 = max|G| in T_1(r) (lyu2021.lemma5.2), same instances and grid"),
    mutant=Mutant(sp.Le(DELTA_M_CORRECTED, RADIUS ** 3 / (2 * sp.sqrt(WIDTH))),
                  "near miss of the corrected statement: constant C = 1/2 (catalog E52 mutation); rejected where the "
                  "control holds"),
    provides=("dM_c",), catalog_ref="E13 (4), F1", result="lemma5.2", share=run_group("l52"), tags=("finding",),
    notes="With the printed lambda_0 the time T_1(r) is half the true one: the neurons are still ~sqrt(r^3)-small "
          "and the decomposition error r|b_k| dwarfs r^3 (ratio -> infinity as r -> 0).")


# =========================================================================== Definition 5.1 (the M-norm)


def _d51_samples(params):
    """The random theta of a Definition 5.1 instance (numpy default_rng(rng)): m in 1..6, d in 1..3, scale 10^U(-3, 2);
    one sample in 10 near-tight: every neuron equal, a_k = 0.99 ||w_k|| (||theta||_2/(sqrt(2m)||theta||_M) = 0.995)."""
    rng = np.random.default_rng(params["rng"])
    out = []
    for k in range(params["samples"]):
        m, d = int(rng.integers(1, 7)), int(rng.integers(1, 4))
        a, W = random_theta(rng, m, d, 10 ** rng.uniform(-3, 2))
        if k % 10 == 0:
            W = np.outer(np.ones(m), W[0])
            a = np.full(m, 0.99 * np.linalg.norm(W[0]))
        out.append((a, W))
    return out


def _d51_hyp(inst):
    """Definition 5.1 is stated for any theta = (w_1..w_m, a_1..a_m): the samples are finite, m >= 1, theta != 0."""
    S = _d51_samples(inst.params)
    ok = all(len(a) >= 1 and np.all(np.isfinite(W)) and np.all(np.isfinite(a)) and m_norm(a, W) > 0 for a, W in S)
    return ok, f"{len(S)} samples, widths {sorted({len(a) for a, _ in S})}, all finite and nonzero: {ok}"


def _d51_measure(inst, point, precision):
    """Definition 5.1: ||theta||_2 <= sqrt(2m) ||theta||_M on random theta (10% near-tight, see _d51_samples); errors:
    float64 rounding bounds of the two norms (fp_bound)."""
    n2, M, ms = [], [], []
    for a, W in _d51_samples(inst.params):
        n2.append(float(math.sqrt(a @ a + np.sum(W * W))))
        M.append(m_norm(a, W))
        ms.append(len(a))
    n2, M = np.asarray(n2), np.asarray(M)
    ops = 2 * np.asarray(ms) * 4 + 8
    return Measurement(values={"n2": n2.tolist(), "mM": M.tolist(), "m": ms},
                       errors={"n2": fp_bound(n2, ops).tolist(), "mM": fp_bound(M, 12).tolist()}, exact=("m",),
                       coords={"sample": list(range(len(ms)))},
                       info={"max ||theta||_2/(sqrt(2m)||theta||_M)": float(np.max(n2 / (np.sqrt(2 * np.asarray(ms))
                                                                                        * M)))})


NORM_2, M_NORM_THETA = sp.symbols("n2 mM", positive=True)
DEF51 = claims.add(
    "definition5.1", "Definition 5.1 (M-norm: ||θ||_2 ≤ √(2m) ||θ||_M)",
    "§5.1, l.595-596", "closed-form", statement=sp.Le(NORM_2, sp.sqrt(2 * WIDTH) * M_NORM_THETA),
    latex_names={"n2": r"\|\theta\|_2", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"n2": "||theta||_2", "mM": "||theta||_M = max_k max(||w_k||, |a_k|)", "m": "width"},
    quantifier="random theta (10% near-tight: equal neurons, a_k = 0.99||w_k||)",
    hypotheses=[Hypothesis("any theta = (w_1..w_m, a_1..a_m), m >= 1", _d51_hyp, "l.595")],
    instances=lambda tier: [Instance("random theta, 2000 samples", {"samples": 2000, "rng": 11}),
                            Instance("random theta (second seed), 2000 samples", {"samples": 2000, "rng": 12})],
    measure=_d51_measure,
    mutant=Mutant(sp.Le(NORM_2, sp.sqrt(WIDTH) * M_NORM_THETA), "constant sqrt(m) in place of sqrt(2m) (the "
                  "factor 2 counting both w_k and a_k dropped)"),
    catalog_ref="E12", result="definition5.1",
    notes="The equality case ||theta||_2 = sqrt(2m)||theta||_M (every |a_k| = ||w_k|| equal) is not resolvable in "
          "float64 (slack 0 within rounding), so the tight family is sampled at a_k = 0.99||w_k|| (ratio 0.995).")


# =========================================================================== Lemmas D.1-D.2 (linear flow)


def _d1_measure(inst, point, precision):
    """Lemma D.1: for the linear flow of L~ (symmetric data: d/dt (w_k, a_k) = M (w_k, a_k), M = [[0, mu~],
    [mu~^T, 0]] with the corrected mu~ = (1+alpha)/4 mu), ||theta~(t)||_M <= e^{lambda_0 t} ||theta~_0||_M, t in
    [0.5, 60] (matrix exponential, scipy.linalg.expm; error: its difference with the closed-form propagator
    I + sinh(lambda t)/lambda M + (cosh(lambda t) - 1)/lambda^2 M^2, two methods)."""
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
    lhs, err, rhs, rm, ts = [], [], [], [], []
    M2 = M @ M
    for t in np.linspace(0.5, 60, 120):
        V = V0 @ expm(t * M).T
        # the same propagator in closed form (M^3 = lambda^2 M): I + sinh(lt)/l M + (cosh(lt) - 1)/l^2 M^2
        Vc = V0 @ (np.eye(d + 1) + math.sinh(lam * t) / lam * M + (math.cosh(lam * t) - 1) / lam ** 2 * M2).T
        lhs.append(m_norm(V[:, d], V[:, :d]))
        err.append(abs(lhs[-1] - m_norm(Vc[:, d], Vc[:, :d])) + float(fp_bound(lhs[-1], 8)))
        rhs.append(math.exp(lam * t) * n0)
        rm.append(math.exp(0.9 * lam * t) * n0)
        ts.append(float(t))
    return Measurement(values={"nM": lhs, "bound": rhs, "bound09": rm},
                       errors={"nM": err, "bound": fp_bound(rhs, 8).tolist(), "bound09": fp_bound(rm, 8).tolist()},
                       coords={"t": ts}, info={"lambda_0": lam,
                                               "max |expm - closed form| (error of nM)": float(max(err))})


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
    exponential; theta: numerics.flows), 60 times in the window; corrected lambda_0 = max|G|. Error of the
    deviation: the difference of two runs (rtol 1e-12 and 1e-11) plus the rounding of the subtraction."""
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
    V0 = np.hstack([W0, a0[:, None]])
    devs = []
    for rtol in (1e-12, 1e-11):
        tr = solve_flow(model(p), PolarState.from_cartesian(a0, W0), Tw, rtol=rtol, t_eval=ts)
        dv, nm = [], []
        for t, st in zip(ts, tr.sampled):
            V = V0 @ expm(t * M).T
            a = np.array([float(v) for v in st.a()])
            W = np.array([[float(v) for v in r] for r in st.W()])
            dv.append(m_norm(a - V[:, d], W - V[:, :d]))
            nm.append(m_norm(a, W))
        devs.append((np.asarray(dv), np.asarray(nm)))
    (lhs, nm), (lhs11, _) = devs
    b3 = np.array([4 * m * n0 ** 3 / lam * math.exp(3 * lam * t) for t in ts])
    b2 = np.array([4 * m * n0 ** 3 / lam * math.exp(2 * lam * t) for t in ts])
    return Measurement(values={"dev": lhs.tolist(), "b3": b3.tolist(), "b2": b2.tolist()},
                       errors={"dev": (np.abs(lhs - lhs11) + fp_bound(nm, 16)).tolist(),
                               "b3": fp_bound(b3, 12).tolist(), "b2": fp_bound(b2, 12).tolist()},
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



# =========================================================================== user data (earlyalign --data)


def _l52_data(ds):
    """Lemma 5.2 on a user's data: D_init(1) draw (m default 4, seed default 0) on the catalog's grid of r, sigma_init =
    r^3/(sqrt(m)||theta_bar_0||_M) fixed by r (so no sigma setting)."""
    base = _l52_instances("fast")[0]
    kw = {k: getattr(base, k) for k in ("grid", "grid_param", "grid_symbol", "grid_log10", "asymptotic")}
    (inst,) = user_init_instance(ds, m=4, seed=0, params={"c_a": 1.0}, description=base.description,
                                 cost=lambda p: flow_cost(len(ds.y), p["m"], 3.0, runs=4 * len(kw["grid"])))
    for k, v in kw.items():
        setattr(inst, k, v)
    return [inst]


def _d2_cost(ds):
    return lambda p: flow_cost(len(ds.y), p["m"], 2.0, runs=2)


accept_data(EQ3_CORRECTED, user_static)
accept_data(F1_PRINTED, user_static)
accept_data(PHASE1_RATE, lambda ds: user_init_instance(
    ds, m=4, seed=1, sigma=1e-9, params={"c_a": 1.0}, description="Phase I window of ||theta||_M in [1e3 sigma "
    "||theta_bar_0||_M, 1e-2]", cost=lambda p: flow_cost(len(ds.y), p["m"], 2.0, runs=1)),
    MODEL, SETTINGS, MU_NONZERO)
accept_data(LEMMA52, _l52_data)
accept_data(LEMMA52_PRINTED, _l52_data)
accept_data(LEMMAD1, lambda ds: user_init_instance(ds, m=4, seed=2, description="linear flow of L~ (matrix "
                                                   "exponential), t in [0.5, 60]"))
accept_data(LEMMAD2, lambda ds: user_init_instance(ds, m=4, seed=2, sigma=1e-6, cost=_d2_cost(ds),
                                                   description="flow vs the linear flow over the lemma's window"))
