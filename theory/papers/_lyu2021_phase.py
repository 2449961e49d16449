"""lyu2021, part 2: Phase I (Lemma 5.2 and finding F1), the embedding (Lemma 5.3), the two-neuron late
phase (Theorem 5.5, with the printed-normalisation finding) and the hinted datasets (Theorem 6.2), plus the
figures. Imported by :mod:`theory.papers.lyu2021`; shared helpers live there.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Figure, Hypothesis, Instance, Measurement, Mutant
from theory.papers import lyu2021 as L

CAT, K = L.CAT, L.K

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
    X, y, alpha = L.data(inst.params)
    g = L.lam0(X, y, alpha)
    mu = (y[:, None] * X).mean(0)
    return Measurement(values={"maxG": g, "mu": float(np.linalg.norm(mu)), "alpha": mpmath.mpf(alpha)},
                       errors={"maxG": 1e-13, "mu": 1e-15, "alpha": 0},
                       info={"mu": mu.tolist(), "argmax": "mu_bar"})


MAXG, MUN, AL = sp.symbols("maxG mu alpha", positive=True)
F1_NAMES = {"maxG": r"\max_{\|w\|=1}|G(w)|", "mu": r"\|\mu\|", "alpha": r"\alpha"}
F1_DOC = {"maxG": "lambda_0 as the top growth rate = max |G| on the sphere (exact)", "mu": "||mu||"}

EQ3_CORRECTED = Claim(
    id="lyu2021.eq3.corrected", paper=K, label="Eq. (2)-(3) corrected: λ0 = max|G| = (1+α)/4 ||μ||",
    where="§5.1, l.551-593 (corrected, catalog F1)", kind="closed-form",
    statement=sp.Eq(MAXG, (1 + AL) / 4 * MUN), latex_names=F1_NAMES, symbols_doc=F1_DOC,
    hypotheses=[L.H_41, L.H_32], instances=_f1_instances, measure=_f1_measure,
    mutant=Mutant(sp.Eq(MAXG, (1 + AL) / 2 * MUN), "the printed mu~ = (1+alpha)/2 mu (catalog E11)"),
    catalog=f"{CAT} E11, E36, F1", result="linearization", share="lyu2021.f1", ladder=("float64",))

F1_PRINTED = Claim(
    id="lyu2021.finding.F1", paper=K, label="Finding F1: printed λ0 = ||(1+α)/2 μ|| (G(w) = <w, μ~>)",
    where="§5.1, l.549-593 (as printed)", kind="closed-form",
    statement=sp.Eq(MAXG, (1 + AL) / 2 * MUN), latex_names=F1_NAMES, symbols_doc=F1_DOC,
    hypotheses=[L.H_41, L.H_32], instances=_f1_instances, measure=_f1_measure,
    mutant=Mutant(sp.Eq(MAXG, (1 + AL) * MUN), "lambda_0 = (1+alpha)||mu|| (a further factor 2)"),
    catalog=f"{CAT} F1, E11", result="linearization", share="lyu2021.f1", ladder=("float64",),
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
    from numerics.flows import PolarState, solve_flow
    from numerics.margins import m_norm

    p = json.loads(pj)
    X, y, alpha = L.data(p)
    a, W = L.init_bar(p)
    s = float(p["sigma"])
    lam = L.lam0(X, y, alpha)
    T = math.log(1e-2 / (s * m_norm(a, W))) / lam + 2.0
    ts = np.linspace(0, T, 200)
    tr = solve_flow(L.model(p), PolarState.from_cartesian(s * a, s * W), T, rtol=1e-11, t_eval=ts)
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
PHASE1_RATE = Claim(
    id="lyu2021.linearization.rate", paper=K, label="Phase I growth rate λ0 (Eq. (3), corrected)",
    where="§5.1, l.575-593; App. D, l.2895-2917", kind="flow-inequality",
    statement=sp.Eq(RATE, (1 + AL) / 4 * MUN),
    latex_names={"rate": r"\frac{d}{dt}\ln\|\theta(t)\|_M", **F1_NAMES},
    symbols_doc={"rate": "fitted exponential growth rate of ||theta||_M in Phase I", "mu": "||mu||"},
    quantifier="on the window 1e3 sigma ||theta_bar_0||_M <= ||theta||_M <= 1e-2",
    hypotheses=[L.H_LOGISTIC, L.H_NORM, L.H_41], instances=_rate_instances, measure=_rate_measure,
    mutant=Mutant(sp.Eq(RATE, (1 + AL) / 2 * MUN), "the printed lambda_0 = ||(1+alpha)/2 mu|| (F1)"),
    catalog=f"{CAT} E11 (3), F1", result="linearization", share="lyu2021.rate", ladder=("float64",))

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
    from numerics.flows import PolarState, solve_flow
    from numerics.margins import m_norm

    p = json.loads(pj)
    X, y, alpha = L.data(p)
    a, W = L.init_bar(p)
    m = len(a)
    r = 10.0 ** r10
    nM = m_norm(a, W)
    sig = r ** 3 / (math.sqrt(m) * nM)
    lam = L.lam0(X, y, alpha)
    if which == "printed":
        lam = (1 + alpha) / 2 * float(np.linalg.norm((y[:, None] * X).mean(0)))
    T1 = math.log(r / (math.sqrt(m) * sig * nM)) / lam
    mb, _ = L.mu_bar(X, y)
    b = L.b_bar(p)
    out = []
    for rtol in (1e-9, 1e-12):
        tr = solve_flow(L.model(p), PolarState.from_cartesian(sig * a, sig * W), T1, rtol=rtol)
        st = tr.final
        aT = np.array([float(v) for v in st.a()])
        WT = np.array([[float(v) for v in row] for row in st.W()])
        out.append(m_norm(aT - r * b, WT - r * np.outer(b, mb)))
    return {"dM": out[1], "err": abs(out[1] - out[0]) + 1e-12 * r, "T1": T1, "sigma": sig, "lam": lam, "m": m,
            "lam_true": L.lam0(X, y, alpha)}


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


DM, RR, M_, LAM0 = sp.symbols("dM r m lam0", positive=True)
L52_NAMES = {"dM": r"\|\Delta\theta\|_M", "r": "r", "m": "m", "lam0": r"\lambda_0"}
L52_DOC = {"dM": "||Delta theta||_M at T_1(r) (decomposition of Lemma 5.2)", "r": "the radius r",
           "m": "width", "lam0": "max |G| on the sphere (corrected lambda_0)"}

LEMMA52 = Claim(
    id="lyu2021.lemma5.2", paper=K, label="Lemma 5.2 (Phase I decomposition, corrected λ0)",
    where="§5.1, l.597-630; proof App. D, l.3094-3280", kind="flow-inequality",
    statement=sp.Le(DM, (4 / LAM0 + sp.sqrt(2)) * RR ** 3 / sp.sqrt(M_)), latex_names=L52_NAMES,
    symbols_doc=L52_DOC, quantifier="at T_1(r) with lambda_0 = max|G|, for small r (r <= sqrt(lambda_0)/2)",
    hypotheses=L.SYM_HYP + [L.H_45], instances=_l52_instances, measure=_l52_measure_for("corrected"),
    mutant=Mutant(sp.Le(DM, RR ** 3 / (2 * sp.sqrt(M_))), "constant C = 1/2 (catalog E52 mutation)"),
    catalog=f"{CAT} E13, E52, F4", result="lemma5.2", share="lyu2021.l52", ladder=("float64",),
    notes="C = 4/lambda_0 + sqrt(2) (the proof's constant) depends on the data through lambda_0 (F4); the measured "
          "ratio ||Delta||_M/(r^3/sqrt m) is ~1 (the sqrt(2) sigma ||theta_bar_0||_M term dominates).")

LEMMA52_PRINTED = Claim(
    id="lyu2021.finding.F1.lemma5.2", paper=K, label="Finding F1: Lemma 5.2 with the printed λ0 in T_1(r)",
    where="§5.1, l.597-630 (T_1 with lambda_0 = ||(1+alpha)/2 mu||)", kind="flow-inequality",
    statement=sp.Le(DM, (4 / LAM0 + sp.sqrt(2)) * RR ** 3 / sp.sqrt(M_)), latex_names=L52_NAMES,
    symbols_doc={**L52_DOC, "dM": "||Delta theta||_M at the printed T_1(r) (half the true time)"},
    quantifier="at the printed T_1(r), small r", hypotheses=L.SYM_HYP + [L.H_45], instances=_l52_instances,
    measure=_l52_measure_for("printed"),
    mutant=Mutant(sp.Le(DM, (4 / LAM0 + sp.sqrt(2)) * RR ** 3 / (2 * sp.sqrt(M_))), "half the constant"),
    catalog=f"{CAT} E13 (4), F1", result="lemma5.2", share="lyu2021.l52", ladder=("float64",), tags=("finding",),
    notes="With the printed lambda_0 the time T_1(r) is half the true one: the neurons are still ~sqrt(r^3)-small "
          "and the decomposition error r|b_k| dwarfs r^3 (ratio -> infinity as r -> 0).")

# =========================================================================== Lemma 5.3 (embedding)


def pi_b(b, w_hat, a_hat):
    """pi_b of §5.2 (l.659-713): (w_k, a_k) = (b_k/b_+)(w^_1, a^_1) if b_k > 0, (b_k/b_-)(w^_2, a^_2) if
    b_k < 0, 0 if b_k = 0; b_+ = sqrt(sum_{b_k>0} b_k^2), b_- = -sqrt(sum_{b_k<0} b_k^2)."""
    b = np.asarray(b, dtype=float)
    bp = math.sqrt(float(np.sum(b[b > 0] ** 2)))
    bm = -math.sqrt(float(np.sum(b[b < 0] ** 2)))
    W = np.zeros((len(b), len(w_hat[0])))
    a = np.zeros(len(b))
    for k, bk in enumerate(b):
        if bk > 0:
            W[k], a[k] = bk / bp * np.asarray(w_hat[0]), bk / bp * a_hat[0]
        elif bk < 0:
            W[k], a[k] = bk / bm * np.asarray(w_hat[1]), bk / bm * a_hat[1]
    return a, W


def pi_b_squared(b, w_hat, a_hat):
    """The mutant embedding with weights b_k^2/b_+^2 (catalog E14 mutation): does not preserve f."""
    b = np.asarray(b, dtype=float)
    bp2 = float(np.sum(b[b > 0] ** 2))
    bm2 = float(np.sum(b[b < 0] ** 2))
    W = np.zeros((len(b), len(w_hat[0])))
    a = np.zeros(len(b))
    for k, bk in enumerate(b):
        c = bk * bk / (bp2 if bk > 0 else bm2)
        j = 0 if bk > 0 else 1
        W[k], a[k] = c * np.asarray(w_hat[j]), c * a_hat[j]
    return a, W


def _l53_instances(tier):
    return [Instance("DS-S, b = (0.7,-0.3,0.2,-0.9,0.1), theta^ = ((0.1,0.05),(-0.08,0.02),0.2,-0.15)",
                     {"dataset": "DS-S", "b": [0.7, -0.3, 0.2, -0.9, 0.1],
                      "w_hat": [[0.1, 0.05], [-0.08, 0.02]], "a_hat": [0.2, -0.15], "T": [5.0, 15.0, 30.0]},
                     description="catalog E15 recipe"),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, random b (m=4) and theta^",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3,
                      "b": [0.4, -1.1, -0.25, 0.8], "w_hat": [[0.3, -0.1, 0.2], [-0.2, 0.15, -0.05]],
                      "a_hat": [0.25, -0.3], "T": [5.0, 15.0, 30.0]})]


@lru_cache(maxsize=8)
def _l53_run(pj):
    from numerics.flows import PolarState, solve_flow

    p = json.loads(pj)
    mdl = L.model(p)
    wh, ah, b = np.asarray(p["w_hat"]), np.asarray(p["a_hat"]), np.asarray(p["b"])
    T = np.asarray(p["T"])
    tr2 = solve_flow(mdl, PolarState.from_cartesian(ah, wh), float(T[-1]), rtol=1e-12, t_eval=T)
    aM, WM = pi_b(b, wh, ah)
    trm = solve_flow(mdl, PolarState.from_cartesian(aM, WM), float(T[-1]), rtol=1e-12, t_eval=T)
    trm9 = solve_flow(mdl, PolarState.from_cartesian(aM, WM), float(T[-1]), rtol=1e-9, t_eval=T)
    aS, WS = pi_b_squared(b, wh, ah)
    trs = solve_flow(mdl, PolarState.from_cartesian(aS, WS), float(T[-1]), rtol=1e-12, t_eval=T)
    emb, big, mut, err, tt = [], [], [], [], []

    def flat(st):
        return np.concatenate([np.array([[float(v) for v in r] for r in st.W()]).ravel(),
                               np.array([float(v) for v in st.a()])])
    for t, s2, sm, sm9, ss in zip(T, tr2.sampled, trm.sampled, trm9.sampled, trs.sampled):
        a2 = np.array([float(v) for v in s2.a()])
        W2 = np.array([[float(v) for v in r] for r in s2.W()])
        ae, We = pi_b(b, W2, a2)
        e = np.concatenate([We.ravel(), ae])
        v, v9, vs = flat(sm), flat(sm9), flat(ss)
        emb += e.tolist()
        big += v.tolist()
        mut += vs.tolist()
        err += (np.abs(v - v9) + 1e-11 * (np.abs(v) + 1)).tolist()
        tt += [float(t)] * len(e)
    return {"emb": emb, "big": big, "mut": mut, "err": err, "t": tt,
            "max_diff": float(np.max(np.abs(np.asarray(emb) - np.asarray(big))))}


def _l53_measure(inst, point, precision):
    """Lemma 5.3: every coordinate of phi(pi_b(theta^), t) against pi_b(phi(theta^, t)) at t in T (two flows of
    widths m and 2, rtol 1e-12; error: rtol 1e-9 vs 1e-12 difference of the m-neuron run plus 1e-11)."""
    q = _l53_run(json.dumps(inst.params, sort_keys=True))
    return Measurement(values={"emb": q["emb"], "big": q["big"], "mut": q["mut"]},
                       errors={"emb": q["err"], "big": q["err"], "mut": q["err"]}, coords={"t": q["t"]},
                       info={"max |difference|": q["max_diff"]})


EMB, BIG, MUT = sp.symbols("emb big mut", real=True)
LEMMA53 = Claim(
    id="lyu2021.lemma5.3", paper=K, label="Lemma 5.3 (π_b commutes with the flow)",
    where="§5.2, l.718-719; proof E.1 (Lemmas E.1-E.2), l.3288-3460", kind="flow-inequality",
    statement=sp.Eq(BIG, EMB),
    latex_names={"big": r"\varphi(\pi_b(\hat\theta), t)", "emb": r"\pi_b(\varphi(\hat\theta, t))",
                 "mut": r"\varphi(\pi'_b(\hat\theta), t)"},
    symbols_doc={"big": "a coordinate of the m-neuron flow from pi_b(theta^)",
                 "emb": "the same coordinate of pi_b applied to the 2-neuron flow"},
    quantifier="for every coordinate and t in {5, 15, 30}",
    hypotheses=[L.H_LOGISTIC, Hypothesis("good embedding vector b, a^_1 > 0 > a^_2",
                                         lambda i: (all(v != 0 for v in i.params["b"]) and max(i.params["b"]) > 0 >
                                                    min(i.params["b"]) and i.params["a_hat"][0] > 0 >
                                                    i.params["a_hat"][1], f"b = {i.params['b']}"), "l.642-643")],
    instances=_l53_instances, measure=_l53_measure,
    mutant=Mutant(sp.Eq(MUT, EMB), "the b_k^2/b_+^2 embedding (catalog E14/E15 mutation)"), provides=("mut",),
    catalog=f"{CAT} E15, E53", result="lemma5.3", share="lyu2021.l53", ladder=("float64",))

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
                             "theta0": [[[0.01, -0.3], [-0.2, 0.25]], [math.hypot(0.01, 0.3), -math.hypot(0.2, 0.25)]]}))
    return out


def _t55_hyp(inst):
    ws, _, _ = L.svm(inst.params)
    W, a = np.asarray(inst.params["theta0"][0]), np.asarray(inst.params["theta0"][1])
    n = np.linalg.norm(W, axis=1)
    ok = (abs(a[0] - n[0]) < 1e-12 and abs(a[1] + n[1]) < 1e-12 and W[0] @ ws > 0 > W[1] @ ws)
    return ok, f"a = {a.tolist()}, ||w|| = {n.tolist()}, <w_1,w*> = {W[0] @ ws:.4g}, <w_2,w*> = {W[1] @ ws:.4g}"


H55 = Hypothesis("a_1 = ||w_1||, a_2 = -||w_2||, <w_1,w*> > 0 > <w_2,w*>", _t55_hyp, "l.774-776")


def _t55_measure_for(scale):
    def measure(inst, point, precision):
        """Theorem 5.5: the components of lim theta/||theta|| (extrapolated in 1/||theta||^2 from t <= 1e200)
        against c (w*, -w*, 1, -1), c = 1/2 (unit norm) or the printed 1/4; mutant target (1/sqrt 2)(w*, 0, 1, 0)."""
        r = L.lrun(inst)
        ws, gs, _ = L.svm(inst.params)
        tgt = np.concatenate([ws, -ws, [1.0, -1.0]])
        bad = np.concatenate([ws, np.zeros_like(ws), [1.0, 0.0]]) / math.sqrt(2)
        return Measurement(values={"dir": r["d_inf"], "tgt": (scale * tgt).tolist(), "bad": bad.tolist()},
                           errors={"dir": r["d_err"], "tgt": [1e-9] * len(tgt), "bad": [1e-9] * len(tgt)},
                           coords={"component": [f"theta_{i + 1}" for i in range(len(tgt))]},
                           info={**L._lr_info(r), "||direction limit||": float(np.linalg.norm(r["d_inf"]))},
                           series=L._lr_series(r, (1 + r["alpha"]) / 4 * gs))
    return measure


DIR, TGT, BAD = sp.symbols("dir tgt bad", real=True)
T55_NAMES = {"dir": r"\lim_t \theta/\|\theta\|", "tgt": r"c\,(w^*, -w^*, 1, -1)", "bad": r"\bar\theta_{F.3}"}
THEOREM55 = Claim(
    id="lyu2021.theorem5.5", paper=K, label="Theorem 5.5 (two neurons → ½(w*, −w*, 1, −1))",
    where="§5.3, l.774-794; proof F.1, l.4840-5608", kind="asymptotic",
    statement=sp.Eq(DIR, TGT), latex_names=T55_NAMES,
    symbols_doc={"dir": "component of the limit direction (extrapolated)",
                 "tgt": "component of 1/2 (w*, -w*, 1, -1) (the unit-norm normalisation)"},
    quantifier="every component; the printed constant 1/4 is the finding lyu2021.finding.theorem5.5",
    hypotheses=L.SYM_HYP + [H55], instances=_t55_instances, measure=_t55_measure_for(0.5),
    mutant=Mutant(sp.Eq(DIR, BAD), "limit (1/sqrt 2)(w*, 0, 1, 0) (Lemma F.3 case 2; catalog E17 mutation (i))"),
    provides=("bad",), catalog=f"{CAT} E17", result="theorem5.5", share="lyu2021.t55", ladder=("float64",))

THEOREM55_PRINTED = Claim(
    id="lyu2021.finding.theorem5.5", paper=K, label="Finding: Theorem 5.5 prints the limit ¼(w*, −w*, 1, −1)",
    where="§5.3, l.774-794 (display)", kind="asymptotic",
    statement=sp.Eq(DIR, TGT), latex_names=T55_NAMES,
    symbols_doc={"dir": "component of the limit of theta/||theta||", "tgt": "component of the printed "
                                                                              "1/4 (w*, -w*, 1, -1)"},
    quantifier="every component", hypotheses=L.SYM_HYP + [H55], instances=_t55_instances,
    measure=_t55_measure_for(0.25),
    mutant=Mutant(sp.Eq(DIR, BAD), "limit (1/sqrt 2)(w*, 0, 1, 0)"), provides=("bad",),
    catalog=f"{CAT} E17 (new finding)", result="theorem5.5", share="lyu2021.t55", ladder=("float64",),
    tags=("finding",),
    notes="||(w*, -w*, 1, -1)|| = 2, so 1/4 (w*, -w*, 1, -1) has norm 1/2 and cannot be the limit of the unit "
          "vector theta/||theta||; the limit is 1/2 (w*, -w*, 1, -1) (App. C and F.3 use A = 1/sqrt 2, i.e. 1/2).")

# =========================================================================== Theorem 6.2 (hinted data)


def _t62_instances(tier):
    out = [Instance("DS-H/70 (H=70, K=1, eps=0.1, scaled by 1/70), INIT-H (m=4), sigma = 1e-12",
                    {"dataset": "DS-H", "scale": 1 / 70, "m": 4, "seed": 1, "init": "balanced",
                     "s": [1, 1, -1, -1], "sigma": 1e-12, "setting": "hinted", "log10_t": 100.0},
                    description="balanced D~_init(1): W_bar = INIT-B draw, s = (+,+,-,-) (catalog INIT-H)"),
           Instance("generic hinted (random base set, seed 4), m=3, balanced seed 2, sigma = 1e-12",
                    {"dataset": "hinted-generic", "ds_seed": 4, "m": 3, "seed": 2, "init": "balanced",
                     "sigma": 1e-12, "setting": "hinted", "log10_t": 100.0})]
    return out


def _has_pos(inst):
    a, _ = L.init_bar(inst.params)
    return bool(np.any(a > 0)), f"signs s = {np.sign(a).astype(int).tolist()} (success event: some s_k = +1)"


H_POS = Hypothesis("some s_k = +1 (the 1 - 2^-m event)", _has_pos, "l.857-885")
H62 = [L.H_LOGISTIC, L.H_NORM, L.H_32, L.H_DEF61, L.H_T62, L.H_A2, L.H_A3, H_POS]


def _w_star_of(p):
    ds = L.dataset(p)
    return np.asarray(ds.params["w_star"], dtype=float)


def _t62_measure(inst, point, precision):
    """Theorem 6.2: f_inf(x) (extrapolated) against 1/2 phi(<w*, x>) at the test points (mutant: the symmetric
    answer (1+alpha)/4 <w*, x>)."""
    r = L.lrun(inst)
    ws = _w_star_of(inst.params)
    Xt = np.asarray(r["Xt"])
    z = Xt @ ws
    alpha = r["alpha"]
    return Measurement(values={"f_inf": r["f_inf"], "half_phi": (0.5 * L.phi(z, alpha)).tolist(),
                               "lin": z.tolist(), "alpha": mpmath.mpf(alpha)},
                       errors={"f_inf": r["f_err"], "half_phi": [1e-12] * len(z), "lin": [1e-12] * len(z),
                               "alpha": 0},
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]}, info=L._lr_info(r),
                       series=L._lr_series(r))


HPHI = sp.Symbol("half_phi", real=True)
THEOREM62 = Claim(
    id="lyu2021.theorem6.2", paper=K, label="Theorem 6.2 (hinted data: flow → ½ φ(<w*, x>))",
    where="§6, l.857-885; proof App. A.2, l.1109-1217", kind="asymptotic",
    statement=sp.Eq(L.FINF, HPHI),
    latex_names={"f_inf": r"f_\infty(x)", "half_phi": r"\frac{1}{2}\phi(\langle w^*, x\rangle)",
                 "lin": r"\langle w^*,x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_inf": "limit normalised function (extrapolated)", "half_phi": "1/2 phi(<w*, x>)"},
    quantifier="for all test points, on a draw with some s_k = +1, sigma small",
    hypotheses=H62, instances=_t62_instances, measure=_t62_measure,
    mutant=Mutant(sp.Eq(L.FINF, (1 + L.AL) / 4 * L.LIN), "the symmetric answer (1+alpha)/4 <w*, x> (E21 (i))"),
    provides=("lin", "alpha"), catalog=f"{CAT} E21, E30", result="theorem6.2", share="lyu2021.t62",
    ladder=("float64",))


def _t62_sub_measure(inst, point, precision):
    """Theorem 6.2 'Moreover': the limit margin gamma_inf (extrapolated) against the global max margin gamma_glob
    of the network class on the hinted set (convex reformulation) and gamma_w*/2 (the linear-boundary ceiling D2)."""
    r = L.lrun(inst)
    gg, rel = L._gglob(json.dumps(inst.params, sort_keys=True))
    from numerics.convex import svm_hard_margin

    X, y, _ = L.data(inst.params)
    gw = float(svm_hard_margin(X, y).margin)
    return Measurement(values={"g_inf": r["g_inf"], "g_glob": gg, "g_w": gw},
                       errors={"g_inf": r["g_err"], "g_glob": gg * rel, "g_w": 1e-9 * gw},
                       info={**L._lr_info(r), "gamma_w*/2": gw / 2, "gap to the global max": gg - r["g_inf"]},
                       series=L._lr_series(r, gg))


THEOREM62_SUB = Claim(
    id="lyu2021.theorem6.2.suboptimal", paper=K, label="Theorem 6.2 (the limit margin is suboptimal)",
    where="§6, l.880-885 (asserted, not proven: catalog F7)", kind="convex",
    statement=sp.Lt(L.GINF, L.GGLOB),
    latex_names={"g_inf": r"\lim_t\gamma(\theta(t))", "g_glob": r"\max\gamma", "g_w": r"\gamma_{w^*}"},
    symbols_doc={"g_inf": "limit normalised margin (extrapolated)", "g_glob": "global max margin (convex)"},
    quantifier="on the instance's draw", hypotheses=H62, instances=_t62_instances, measure=_t62_sub_measure,
    mutant=Mutant(sp.Ge(L.GINF, L.GGLOB), "the convergent margin is globally optimal (E21 mutation (ii))"),
    provides=("g_w",), catalog=f"{CAT} E21 (5), F7, D2", result="theorem6.2", share="lyu2021.t62",
    ladder=("float64",))


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
    from numerics.flows import PolarState
    from numerics.margins import flow_to_infinity, normalized_function, wilson_interval

    p = json.loads(pj)
    X, y, alpha = L.data(p)
    mdl = L.model(p)
    ws = _w_star_of(p)
    Xt = L.test_points(2)
    target = 0.5 * L.phi(Xt @ ws, alpha)
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
                       errors={"p_hi": 0, "p_lo": 0, "m": 0},
                       info={"successes": r["succ"], "draws": r["n"], "99% Wilson interval": [r["lo"], r["hi"]],
                             "outcome = (some s_k = +1)": r["agree"]})


THEOREM62_PROB = Claim(
    id="lyu2021.theorem6.2.prob", paper=K, label="Theorem 6.2 (success probability ≥ 1 − 2^{−m})",
    where="§6, l.857-885 (display prints 1 - delta, F19)", kind="probabilistic",
    statement=sp.Ge(L.PHI, 1 - 2 ** (-L.MM)),
    latex_names=L.THEOREM43_PROB.latex_names, symbols_doc=L.THEOREM43_PROB.symbols_doc,
    quantifier="over theta_bar_0 ~ balanced D~_init(1) (Monte Carlo)",
    hypotheses=[L.H_LOGISTIC, L.H_NORM, L.H_32, L.H_DEF61, L.H_T62], instances=_p62_instances,
    measure=_p62_measure,
    mutant=Mutant(sp.Ge(L.PHI, 1 - 2 ** (-L.MM - 1)), "probability 1 - 2^-(m+1)"),
    provides=("p_lo",), catalog=f"{CAT} E21 (6), F19", result="theorem6.2", share="lyu2021.mc62",
    ladder=("float64",))

CLAIMS_PHASE = [EQ3_CORRECTED, F1_PRINTED, PHASE1_RATE, LEMMA52, LEMMA52_PRINTED, LEMMA53, THEOREM55,
                THEOREM55_PRINTED, THEOREM62, THEOREM62_SUB, THEOREM62_PROB]


# =========================================================================== figures


def _contour(ax, f, X, y, lim, title, lines=()):
    g = np.linspace(-lim, lim, 241)
    U, V = np.meshgrid(g, g)
    P = np.stack([U.ravel(), V.ravel()], 1)
    Z = f(P).reshape(U.shape)
    ax.contourf(U, V, np.sign(Z), levels=[-2, 0, 2], colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
    ax.contour(U, V, Z, levels=[0], colors="k", linewidths=1.5)
    for lab, h in lines:
        ax.contour(U, V, h(P).reshape(U.shape), levels=[0], colors="tab:green", linestyles="--", linewidths=1.2)
    ax.scatter(X[y > 0, 0], X[y > 0, 1], c="tab:blue", marker="o", s=25, label="y = +1")
    ax.scatter(X[y < 0, 0], X[y < 0, 1], c="tab:red", marker="x", s=25, label="y = -1")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    far = np.max(np.abs(X), axis=1) > lim
    if far.any():
        ax.annotate(f"{int(far.sum())} point(s) outside the window (e.g. H w* = {np.round(X[far][0], 3).tolist()})",
                    (0.02, 0.02), xycoords="axes fraction", fontsize=7)
    ax.set_title(title, fontsize=8)
    ax.set_aspect("equal")


def _net(a, W, alpha):
    return lambda P: np.asarray(a) @ L.phi(np.asarray(W) @ P.T, alpha)


def _make_fig1(out: Path, tier: str) -> list:
    """Figure 1 (l.161-169, App. I.1): left, the I.1.1 KKT-margin direction with a non-linear boundary (DS-K,
    alpha = 1/2) against the global-max-margin linear classifier; right, the hinted dataset DS-H/70 where the flow
    from small init converges to 1/2 phi(<w*, x>) (black) while a 2-neuron net with a non-linear boundary
    (green, catalog F7 competitor) has a larger margin. Margins printed in the titles are computed."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from numerics.margins import normalized_margin
    from theory.papers._lyu2021_more import dsk_kkt_point

    out.mkdir(parents=True, exist_ok=True)
    fig, axs = plt.subplots(1, 2, figsize=(10, 4.6))
    p = {"dataset": "DS-K", "alpha": 0.5}
    ds = L.dataset(p)
    a, W = dsk_kkt_point(0.5, float(ds.params["beta"]))
    gk = normalized_margin(ds.X, ds.y, a, W, 0.5)
    ws, gs, _ = L.svm(p)
    _contour(axs[0], _net(a, W, 0.5), ds.X, ds.y, 2.5,
             f"DS-K (alpha = 1/2): KKT-margin direction, gamma = {gk:.6f}\n"
             f"vs global max (1+alpha)/4 gamma_w* = {0.375 * gs:.6f} (linear, dashed)",
             lines=[("linear", lambda P: P @ ws)])
    pr = _t62_instances("fast")[0].params
    r = L.limit_run(json.dumps(pr, sort_keys=True))
    dsh = L.dataset(pr)
    aT, WT = np.asarray(r["a_T"]), np.asarray(r["W_T"])
    gflow = normalized_margin(dsh.X, dsh.y, aT, WT, 0.5)
    c = 10 / 9 / 70
    Wc = np.array([[c, 1 / 70], [c, -1 / 70]])
    ac = np.linalg.norm(Wc, axis=1)
    gc = normalized_margin(dsh.X, dsh.y, ac, Wc, 0.5)
    _contour(axs[1], _net(aT, WT, 0.5), dsh.X, dsh.y, 0.02,
             f"DS-H/70: flow limit (black) gamma = {gflow:.3e}\ncompetitor (green) gamma = {gc:.3e}",
             lines=[("competitor", _net(ac, Wc, 0.5))])
    axs[1].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path = out / "lyu2021_fig1.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


def _make_fig_margin(out: Path, tier: str) -> list:
    """Normalised margin gamma(theta(t)) against log10 t on DS-S from small init (Theorem 4.3 / D1): INIT-A (good
    b_bar) rises to the global (1+alpha)/4 gamma_w*, INIT-B (one-signed b_bar) to the one-neuron alpha gamma_w*/2;
    inset: the rate rule gap * ||theta||^2."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    ws, gs, _ = L.svm({"dataset": "DS-S"})
    fig, axs = plt.subplots(1, 2, figsize=(10, 4))
    for seed, lab, tgt in ((2, "INIT-A (good b_bar)", 0.375 * gs), (1, "INIT-B (one-signed b_bar)", 0.25 * gs)):
        r = L.limit_run(json.dumps({"dataset": "DS-S", "m": 4, "seed": seed, "sigma": 1e-6, "c_a": 1.0},
                                   sort_keys=True))
        lt = np.log10(r["t"])
        g = np.asarray(r["gamma"])
        axs[0].plot(lt, g, label=lab)
        axs[0].axhline(tgt, ls="--", lw=0.8, color="gray")
        sel = g > 0
        axs[1].semilogy(lt[sel], np.abs(tgt - g[sel]) * np.asarray(r["n2"])[sel], label=lab)
    axs[0].set_xlabel("log10 t")
    axs[0].set_ylabel("normalised margin q_min/||theta||^2")
    axs[0].set_ylim(0.1, 0.22)
    axs[0].legend(fontsize=8)
    axs[1].set_xlabel("log10 t")
    axs[1].set_ylabel("(gamma_limit - gamma) ||theta||^2")
    axs[1].legend(fontsize=8)
    fig.suptitle("DS-S, m = 4, sigma_init = 1e-6: margin convergence (dashed: (1+alpha)/4 and alpha/2 times gamma_w*)",
                 fontsize=9)
    fig.tight_layout()
    path = out / "lyu2021_margin_convergence.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


def _make_fig2(out: Path, tier: str) -> list:
    """Figure 2 (App. I.1.3): the flow from small initialisation on the Figure-1 datasets converges to a linear
    decision boundary. Gradient FLOW (numerics.flows), not the paper's GD (width, learning rate, steps unstated);
    m = 8, D_init(1) seed 0, sigma_init = 1e-6, t = 1e60. Left: DS-K (alpha = 1/2; Theorem 4.3 predicts
    (1+alpha)/4 <w*, x>); right: DS-H/70 (balanced init; Theorem 6.2 predicts 1/2 phi(<w*, x>)). The middle panel
    of the paper (a Shah-et-al. dataset) is not reproduced: its parameters are not given (catalog E94)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    fig, axs = plt.subplots(1, 2, figsize=(10, 4.6))
    cases = [({"dataset": "DS-K", "alpha": 0.5, "m": 8, "seed": 0, "sigma": 1e-6, "c_a": 1.0, "log10_t": 60.0}, 2.5),
             ({"dataset": "DS-H", "scale": 1 / 70, "m": 8, "seed": 0, "init": "balanced", "sigma": 1e-6,
               "setting": "hinted", "log10_t": 60.0}, 0.02)]
    for ax, (p, lim) in zip(axs, cases):
        r = L.limit_run(json.dumps(p, sort_keys=True))
        ds = L.dataset(p)
        ws = np.asarray(ds.params["w_star"]) if "w_star" in ds.params else L.svm(p)[0]
        _contour(ax, _net(r["a_T"], r["W_T"], 0.5), ds.X, ds.y, lim,
                 f"{ds.name}: flow limit at t = 1e60 (black), <w*, x> = 0 (green)\n"
                 f"gamma = {r['gamma'][-1]:.4e}", lines=[("w*", lambda P, w=ws: P @ w)])
    fig.tight_layout()
    path = out / "lyu2021_fig2.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


FIGURES = [
    Figure("lyu2021.fig1", K, "Figure 1 (left and right)", "§1, l.161-169; App. I.1",
           "left: I.1.1 KKT-margin direction with a non-linear boundary vs the global linear max-margin classifier "
           "(DS-K, alpha = 1/2); right: hinted dataset DS-H/70, flow limit 1/2 phi(<w*, x>) vs a non-linear "
           "competitor with a larger margin", _make_fig1),
    Figure("lyu2021.fig2", K, "Figure 2 (flow version)", "App. I.1.3, l.9244-9255",
           "gradient flow from small init converges to a linear boundary on the Figure-1 datasets (left, right)",
           _make_fig2),
    Figure("lyu2021.margin", K, "Margin convergence (Theorem 4.3 / D1)", "§4.2; catalog NP rate rule",
           "normalised margin vs log10 t on DS-S, INIT-A and INIT-B, and the rate rule gap ||theta||^2",
           _make_fig_margin),
]


# =========================================================================== Lemma 5.4 (sigma sweep)


def _l54_instances(tier):
    return [Instance("DS-S, INIT-A (m=4, seed 2), sigma in {1e-2, 1e-4, 1e-6, 1e-8}, t in {0, 5, 10}",
                     {"dataset": "DS-S", "m": 4, "seed": 2, "c_a": 1.0, "sigmas": [-2, -4, -6, -8],
                      "ts": [0.0, 5.0, 10.0], "r_ref": 1e-7}),
            Instance("generic symmetric (n=10, d=2, seed 2), m=4 seed 5, same sweep",
                     {"dataset": "symmetric", "n_half": 5, "d": 2, "ds_seed": 2, "m": 4, "seed": 5, "c_a": 1.0,
                      "sigmas": [-2, -4, -6, -8], "ts": [0.0, 5.0, 10.0], "r_ref": 1e-7})]


@lru_cache(maxsize=8)
def _l54_run(pj, which):
    """Lemma 5.4: theta~(t) ~ phi(r theta^, T_2(r) + t), r = r_ref, theta^ = (b_+ mu_bar, b_- mu_bar, b_+, b_-)
    (the intended reading of l.722, catalog F13), T_2(r) = ln(1/r)/lambda_0; theta(T_12 + t) from sigma theta_bar_0
    with T_12 = ln(1/(sqrt(m) sigma ||theta_bar_0||_M))/lambda_0; e(sigma, t) = max-abs distance to
    pi_b(theta~(t)). lambda_0 = max|G| (``which="corrected"``) or the printed ||(1+alpha)/2 mu||. Returns the
    fitted slope d ln e / d ln sigma per t."""
    from numerics.flows import PolarState, solve_flow
    from numerics.margins import m_norm

    p = json.loads(pj)
    X, y, alpha = L.data(p)
    mdl = L.model(p)
    a0, W0 = L.init_bar(p)
    m = len(a0)
    lam = L.lam0(X, y, alpha) if which == "corrected" else \
        (1 + alpha) / 2 * float(np.linalg.norm((y[:, None] * X).mean(0)))
    mb, _ = L.mu_bar(X, y)
    b = L.b_bar(p)
    bp = math.sqrt(float(np.sum(b[b > 0] ** 2)))
    bm = -math.sqrt(float(np.sum(b[b < 0] ** 2)))
    r = float(p["r_ref"])
    ts = np.asarray(p["ts"], dtype=float)
    T2 = math.log(1 / r) / lam
    th = solve_flow(mdl, PolarState.from_cartesian(r * np.array([bp, bm]), r * np.vstack([bp * mb, bm * mb])),
                    T2 + ts[-1], rtol=1e-12, t_eval=T2 + ts)
    tilde = []
    for st in th.sampled:
        a2 = np.array([float(v) for v in st.a()])
        W2 = np.array([[float(v) for v in rr] for rr in st.W()])
        aE, WE = pi_b(b, W2, a2)
        tilde.append(np.concatenate([WE.ravel(), aE]))
    nM = m_norm(a0, W0)
    errs = []
    for l10 in p["sigmas"]:
        s = 10.0 ** l10
        T12 = math.log(1 / (math.sqrt(m) * s * nM)) / lam
        tr = solve_flow(mdl, PolarState.from_cartesian(s * a0, s * W0), T12 + ts[-1], rtol=1e-12, t_eval=T12 + ts)
        row = []
        for st, tv in zip(tr.sampled, tilde):
            v = np.concatenate([np.array([[float(q) for q in rr] for rr in st.W()]).ravel(),
                                np.array([float(q) for q in st.a()])])
            row.append(float(np.max(np.abs(v - tv))))
        errs.append(row)
    E = np.asarray(errs)
    ls = np.log(10.0 ** np.asarray(p["sigmas"], dtype=float))
    slopes, serr = [], []
    for j in range(len(ts)):
        c = np.polyfit(ls, np.log(E[:, j]), 1)
        c1 = np.polyfit(ls[:-1], np.log(E[:-1, j]), 1)
        c2 = np.polyfit(ls[1:], np.log(E[1:, j]), 1)
        slopes.append(float(c[0]))
        serr.append(float(abs(c1[0] - c2[0]) + 1e-3))
    return {"E": E.tolist(), "slopes": slopes, "serr": serr, "lam": lam}


def _l54_measure(inst, point, precision):
    """Lemma 5.4 (5): the sigma -> 0 convergence of theta(T_12 + t) to pi_b(theta~(t)) as a fitted rate e ~ sigma^p
    (at t = 0, 5, 10), judged against the rate the proof implies (r^2 with sigma ~ r^3: p >= 2/3); mutant values:
    the same sweep with the printed lambda_0 in T_12 and T_2 (F1), where nothing converges."""
    pj = json.dumps(inst.params, sort_keys=True)
    g = _l54_run(pj, "corrected")
    b = _l54_run(pj, "printed")
    return Measurement(values={"p": g["slopes"], "p_printed": b["slopes"]},
                       errors={"p": g["serr"], "p_printed": b["serr"]}, coords={"t": inst.params["ts"]},
                       info={"e(sigma, t) rows sigma, cols t": g["E"], "printed-lambda e(sigma, t)": b["E"],
                             "fitted exponents": g["slopes"], "printed-lambda exponents": b["slopes"]})


PEXP, PPR = sp.symbols("p p_printed", real=True)
LEMMA54 = Claim(
    id=f"{K}.lemma5.4", paper=K, label="Lemma 5.4 (Phase II: θ(T12 + t) → π_b̄(θ~(t)) as σ → 0; rate)",
    where="§5.2, l.729-769; proof E.3-E.4, l.4426-4836", kind="asymptotic",
    statement=sp.Ge(PEXP, sp.Rational(2, 3)),
    latex_names={"p": r"\frac{d\ln e(\sigma,t)}{d\ln\sigma}", "p_printed": r"p_{\rm printed\ \lambda_0}"},
    symbols_doc={"p": "fitted exponent of e(sigma, t) = ||theta(T_12 + t) - pi_b(theta~(t))||_inf over sigma"},
    quantifier="t in {0, 5, 10}; sigma in {1e-2 .. 1e-8}; theta~ approximated at r = 1e-7",
    hypotheses=L.SYM_HYP + [L.H_45, L.H_GOOD_B], instances=_l54_instances, measure=_l54_measure,
    mutant=Mutant(sp.Ge(PPR, sp.Rational(2, 3)), "T_12, T_2 with the printed lambda_0 (catalog E16 mutation, F1)"),
    provides=("p_printed",), catalog=f"{CAT} E16, E59, E60, F17", result="lemma5.4", share=f"{K}.l54",
    ladder=("float64",),
    notes="Catalog F17: the convergence is Theta(sigma) (exponent 1.000), better than the proof's implied sigma^(2/3).")

CLAIMS_PHASE = CLAIMS_PHASE + [LEMMA54]


# =========================================================================== Theorem E.4 (r -> 0 Cauchy rate)


def _e4_instances(tier):
    grid = [{"r10": v} for v in ([-2, -3, -4] if tier == "fast" else [-2, -3, -4, -5])]
    kw = dict(grid=grid, grid_param="r10", grid_symbol="r", grid_log10=True, asymptotic="small",
              description="phi(r theta^, T_2(r) + t_0) against the reference r' = 1e-7, t_0 of Eq. (14)")
    return [Instance("DS-S, theta^ = (0.6 mu_bar, -0.8 mu_bar, 0.6, -0.8) (catalog E55)",
                     {"dataset": "DS-S", "b": [0.6, -0.8]}, **kw),
            Instance("generic symmetric (n=10, d=2, seed 2), theta^ = (0.5 mu_bar, -0.7 mu_bar, 0.5, -0.7)",
                     {"dataset": "symmetric", "n_half": 5, "d": 2, "ds_seed": 2, "b": [0.5, -0.7]}, **kw)]


def t0_eq14(X, a_h, W_h, lam):
    """t_0 = (1/(2 lambda)) ln(lambda Delta^ / (16 m ||theta^||_M^2)) (Eq. (14), l.3530-3546), Delta^ =
    min_{k, i} |<w^_k, x_i>| / ||theta^||_M, m = len(a_h). Returns (t_0, ||theta^||_M, Delta^)."""
    from numerics.margins import m_norm

    M = m_norm(a_h, W_h)
    Dh = float(np.min(np.abs(W_h @ X.T))) / M
    return math.log(lam * Dh / (16 * len(a_h) * M ** 2)) / (2 * lam), M, Dh


@lru_cache(maxsize=32)
def _e4_run(pj, r10):
    """Theorem E.4 (proof-internal fact, l.4329-4424): for r' < r <= r_max,
    ||phi(r' theta^, T_2(r') + t) - phi(r theta^, T_2(r) + t)||_M <= 4 C' r^2 e^{lambda t}, C' = 4m||theta^||_M^3/lambda,
    at t = t_0 = (1/(2 lambda)) ln(lambda Delta^ / (16 m ||theta^||_M^2)) (Eq. (14)); lambda = max|G|."""
    from numerics.flows import PolarState, solve_flow
    from numerics.margins import m_norm

    p = json.loads(pj)
    X, y, alpha = L.data(p)
    lam = L.lam0(X, y, alpha)
    mb, _ = L.mu_bar(X, y)
    bp, bm = p["b"]
    a_h = np.array([bp, bm])
    W_h = np.vstack([abs(bp) * mb, -abs(bm) * mb])
    m = 2
    t0, M, Dh = t0_eq14(X, a_h, W_h, lam)

    def state(r):
        T = math.log(1 / r) / lam + t0
        tr = solve_flow(L.model(p), PolarState.from_cartesian(r * a_h, r * W_h), T, rtol=1e-13)
        st = tr.final
        return np.array([float(v) for v in st.a()]), np.array([[float(v) for v in rr] for rr in st.W()])
    a_ref, W_ref = state(1e-7)
    a_r, W_r = state(10.0 ** r10)
    Cp = 4 * m * M ** 3 / lam
    return {"diff": m_norm(a_r - a_ref, W_r - W_ref), "Cp": Cp, "t0": t0, "lam": lam, "Delta": Dh,
            "scale": m_norm(a_ref, W_ref)}


def _e4_measure(inst, point, precision):
    q = _e4_run(json.dumps(inst.params, sort_keys=True), float(point["r10"]))
    r = 10.0 ** float(point["r10"])
    return Measurement(values={"diff": q["diff"], "r": r, "Cp": q["Cp"], "lam": q["lam"], "t0": q["t0"]},
                       errors={"diff": 1e-12 * q["scale"] * 20, "r": 0, "Cp": 1e-13 * q["Cp"], "lam": 1e-15, "t0": 1e-13},
                       coords={"t": q["t0"]}, info={"t_0 (Eq. 14)": q["t0"], "Delta^": q["Delta"], "C'": q["Cp"],
                                                    "diff / r^2": q["diff"] / r ** 2})


DIFF, CP, LAMS, T0S = sp.symbols("diff Cp lam t0", real=True)
THEOREME4 = Claim(
    id=f"{K}.theoremE.4", paper=K, label="Theorem E.4 (r → 0 limit from a well-aligned start; Cauchy rate r²)",
    where="App. E.2, l.3491-3546; proof l.4329-4424", kind="flow-inequality",
    statement=sp.Le(DIFF, 4 * CP * RR ** 2 * sp.exp(LAMS * T0S)),
    latex_names={"diff": r"\|\varphi(r\hat\theta, T_2(r)+t_0) - \varphi(r'\hat\theta, T_2(r')+t_0)\|_M",
                 "Cp": "C'", "r": "r", "lam": r"\lambda", "t0": "t_0"},
    symbols_doc={"diff": "Cauchy difference against r' = 1e-7 at t = t_0", "Cp": "4 m ||theta^||_M^3/lambda"},
    quantifier="at t = t_0 (Eq. (14)), small r", hypotheses=[L.H_LOGISTIC, L.H_41, L.H_45], instances=_e4_instances,
    measure=_e4_measure,
    mutant=Mutant(sp.Le(DIFF, 4 * CP * RR ** 3 * sp.exp(LAMS * T0S)), "Cauchy differences ~ r^3 (catalog E55)"),
    catalog=f"{CAT} E55, F17", result="theoremE.4", share=f"{K}.e4", ladder=("float64",))

CLAIMS_PHASE = CLAIMS_PHASE + [THEOREME4]
