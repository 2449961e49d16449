"""lyu2021 App. A (non-symmetric data) and its proofs in App. G: Lemma A.4 (the one-neuron KKT direction),
Theorem A.7 (f_inf = 1/2 phi(<w^+, x>)) with finding F2 (its proof needs A.5*, not A.5; static and dynamic
witnesses on DS-A), Theorem A.10 (the reversed case) with the finding that Assumption A.9 as printed fails,
and Lemmas G.1-G.2 (Assumption A.1 implies A.2; the Gram-matrix form of A.2).
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import linprog

from numerics import geometry as geo
from numerics.convex import kkt_margin_residual, svm_hard_margin
from numerics.network import normalized_margin
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (ALPHA, ASSUMPTION_A2, ASSUMPTION_A3, F_INF, INPUTS_IN_UNIT_BALL, LIN, LOGISTIC_LEAKY,
                     SEPARABLE, SOME_POSITIVE_SIGN, data, dataset, hinted_limit_instances, init_bar,
                     limit_run, limit_run_info, limit_run_series, phi, run_group)
from .datasets import validate_appendix_a
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


# =========================================================================== finding F2 (A.5 vs A.5*), Lemma A.4


def _a5_values(X, y, alpha):
    """A.5* value sup_u -1/2 sum_{i in S^+} lambda*_i y_i phi(<u, x_i>) (catalog E28), with lambda* the SVM dual of
    w^+ on S^+ (normalised to the simplex); d = 2: exact max over the circle (the function is piecewise linear in u,
    so the max is at a ray perpendicular to some x_i or at a cone's gradient direction; a 2e5-angle scan plus those
    candidates). Returns (value, gamma^+, lambda*, S^+)."""
    Xp, _ = geo.x_pm(X, y, alpha)
    s = svm_hard_margin(Xp, y)
    gp = float(s.margin)
    Sp = [int(i) for i in s.support]
    lam = np.asarray(s.alpha, dtype=float)[Sp]
    lam = lam / lam.sum()
    th = np.linspace(0, 2 * np.pi, 200001)
    U = np.stack([np.cos(th), np.sin(th)], 1)
    for i in Sp:   # rays perpendicular to x_i
        v = np.array([-X[i, 1], X[i, 0]]) / np.linalg.norm(X[i])
        U = np.vstack([U, v, -v])
    vals = -0.5 * (phi(U @ X[Sp].T, alpha) * (lam * y[Sp])[None, :]).sum(1)
    return float(vals.max()), gp, lam.tolist(), Sp


def _f2_measure(inst, point, precision):
    X, y, alpha = data(inst.params)
    v, gp, lam, Sp = _a5_values(X, y, alpha)
    return Measurement(values={"a5star": v, "gplus": gp, "alpha": mpmath.mpf(alpha)},
                       errors={"a5star": 1e-9 * abs(v) + 1e-12, "gplus": 1e-9 * gp, "alpha": 0},
                       info={"S^+ (0-based)": Sp, "lambda*": lam, "gamma^+/2": gp / 2})


A5_STAR, GAMMA_PLUS = sp.symbols("a5star gplus", real=True)
F2_A5 = claims.add(
    "finding.F2", "Finding F2: Theorem G.11 / A.7 need A.5* (sup_u with the SVM dual λ*) < γ+/2",
    "App. G.5, l.8679-8687 (proof of Theorem G.11); Assumption A.5, l.1063-1070", "convex",
    statement=sp.Lt(A5_STAR, GAMMA_PLUS / 2),
    latex_names={"a5star": r"\sup_u -\frac{1}{2}\sum_{S^+}\lambda^*_i y_i\phi(\langle u,x_i\rangle)",
                 "gplus": r"\gamma^+", "alpha": r"\alpha"},
    symbols_doc={"a5star": "the quantity the proof of Theorem G.11 bounds by A.5 (catalog A.5*)",
                 "gplus": "max margin of the transformed data x^+ (SVM)"},
    quantifier="on data satisfying A.2, A.3 and A.5 (A.5 is the inf over lambda; the proof uses lambda*)",
    hypotheses=[SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A3], instances=lambda tier: [
        Instance("DS-A (A.2, A.3, A.5 hold; S^+ has mixed labels)", {"dataset": "DS-A", "setting": "nonsymmetric"}),
        Instance("generic hinted (seed 4): S^+ all positive", {"dataset": "hinted-generic", "ds_seed": 4,
                                                               "setting": "hinted"}),
        Instance("DS-H/70", {"dataset": "DS-H", "scale": 1 / 70, "setting": "hinted"})],
    measure=_f2_measure, mutant=Mutant(sp.Lt(A5_STAR, ALPHA * GAMMA_PLUS / 2), "bound alpha gamma^+/2"),
    provides=("alpha",), catalog_ref="F2, E28, E88", result="theoremA.7", tags=("finding",),
    notes="On DS-A (all of A.2, A.3, A.5 hold) the sup is 0.1646 > gamma^+/2 = 0.1409: the proof step 'A.5 + Lemma "
          "G.10 => sum lambda*_i q_i(theta^-) < gamma^+/2' fails, and with it Theorem G.11 item 1 / Theorem A.7 "
          "(catalog E30/E88: the flow's smoothed margin exceeds gamma^+/2). On hinted data S^+ is all-positive and "
          "the value is alpha gamma^+/2 < gamma^+/2.")


def _a4_measure(inst, point, precision):
    """Lemma A.4: the one-neuron direction (w^+/sqrt 2, 1/sqrt 2) has normalised margin gamma^+/2 and is a
    KKT-margin direction (residual of numerics.convex.kkt_margin_residual)."""
    X, y, alpha = data(inst.params)
    Xp, _ = geo.x_pm(X, y, alpha)
    s = svm_hard_margin(Xp, y)
    wp, gp = s.direction, float(s.margin)
    a, W = np.array([1 / math.sqrt(2)]), (wp / math.sqrt(2))[None, :]
    g = normalized_margin(X, y, a, W, alpha)
    kk = kkt_margin_residual(X, y, a, W, alpha)
    rel = abs(float(s.duality_gap or 0)) / float(s.value) + 1e-9
    return Measurement(values={"gamma": g, "gplus": gp}, errors={"gamma": rel * g, "gplus": rel * gp},
                       info={"kkt residual": kk.residual, "w^+": wp.tolist()})


GAMMA_ONE_NEURON = sp.Symbol("gamma", positive=True)
LEMMAA4 = claims.add(
    "lemmaA.4", "Lemma A.4 (one-neuron KKT direction (w+/√2, 1/√2), margin γ+/2)",
    "App. A.1, l.1046-1056", "convex", statement=sp.Eq(GAMMA_ONE_NEURON, GAMMA_PLUS / 2),
    latex_names={"gamma": r"\gamma((w^+, 1)/\sqrt{2})", "gplus": r"\gamma^+"},
    symbols_doc={"gamma": "normalised margin of (w^+/sqrt 2, 1/sqrt 2)"},
    hypotheses=[SEPARABLE], instances=lambda tier: [
        Instance("DS-H/70", {"dataset": "DS-H", "scale": 1 / 70, "setting": "hinted"}),
        Instance("DS-A", {"dataset": "DS-A", "setting": "nonsymmetric"})],
    measure=_a4_measure, mutant=Mutant(sp.Eq(GAMMA_ONE_NEURON, GAMMA_PLUS), "margin gamma^+ (catalog E27 mutation)"),
    catalog_ref="E27", result="lemmaA.4")


# =========================================================================== Lemma G.2


def _g2_measure(inst, point, precision):
    """Lemma G.2: sum_j min(alpha <z_i, z_j>, <z_i, z_j>) (closed form, z = y x) equals min over alpha_j in
    [alpha, 1] of <z_i, sum_j alpha_j z_j> (solved coordinatewise: the LP is separable), on random data; the
    mutant uses the swapped weights alpha min(., 0) + (1 - alpha) <.>."""
    rng = np.random.default_rng(inst.params["rng"])
    cf, lp, sw = [], [], []
    for _ in range(inst.params["samples"]):
        n, d = int(rng.integers(3, 8)), int(rng.integers(2, 4))
        alpha = float(rng.uniform(0.05, 0.95))
        Z = rng.standard_normal((n, d))
        Gm = Z @ Z.T
        cf += (((1 - alpha) * np.minimum(Gm, 0) + alpha * Gm).sum(1)).tolist()
        lp += (np.where(Gm >= 0, alpha * Gm, Gm).sum(1)).tolist()
        sw += ((alpha * np.minimum(Gm, 0) + (1 - alpha) * Gm).sum(1)).tolist()
    e = (1e-13 * (np.abs(cf) + 1)).tolist()
    return Measurement(values={"cf": cf, "lp": lp, "sw": sw}, errors={"cf": e, "lp": e, "sw": e},
                       coords={"row": list(range(len(cf)))})


CLOSED_FORM, LP_VALUE, SWAPPED_WEIGHTS = sp.symbols("cf lp sw", real=True)
LEMMAG2 = claims.add(
    "lemmaG.2", "Lemma G.2 (A.2 ⟺ K ⊆ C°: the Gram-matrix form)",
    "App. G.1, l.6943-7053", "closed-form", statement=sp.Eq(CLOSED_FORM, LP_VALUE),
    latex_names={"cf": r"\sum_j \Delta_{ij}",
                 "lp": r"\min_{\alpha_j\in[\alpha,1]}\langle z_i, \sum_j\alpha_j z_j\rangle",
                 "sw": r"\sum_j \Delta'_{ij}"},
    symbols_doc={"cf": "(1-alpha) sum_j min(<z_i,z_j>,0) + alpha sum_j <z_i,z_j>", "lp": "the separable LP value"},
    quantifier="every row of random datasets", hypotheses=[Hypothesis("alpha in (0, 1)", lambda i: True, "l.986")],
    instances=lambda tier: [Instance("random data (n 3..7, d 2..3), 300 sets", {"samples": 300, "rng": 5}),
                            Instance("random data, second seed, 300 sets", {"samples": 300, "rng": 6})],
    measure=_g2_measure, mutant=Mutant(sp.Eq(SWAPPED_WEIGHTS, LP_VALUE), "swapped weights (catalog E79 mutation)"),
    provides=("sw",), catalog_ref="E79", result="lemmaG.1")


# =========================================================================== Lemma G.1


def _g1_measure(inst, point, precision):
    """Lemma G.1 (A.1 => A.2): random datasets (d = 2, n 2..6, near the principal direction e_1) satisfying A.1 at
    w = e_1: min over them of the A.2 margin; mutant value: the A.1 slack (best over 2e4 directions) of DS-H with
    H = 20, where A.2 holds (catalog E78 witness of 'A.2 does not imply A.1', finding F8)."""
    rng = np.random.default_rng(inst.params["rng"])
    alpha = float(inst.params.get("alpha", 0.5))
    mins, kept = [], 0
    e1 = np.array([1.0, 0.0])
    for _ in range(inst.params["samples"]):
        n = int(rng.integers(2, 7))
        y = rng.choice([-1.0, 1.0], size=n)
        X = y[:, None] * np.stack([rng.uniform(0.3, 1.0, n), rng.uniform(-0.15, 0.15, n)], 1)
        chk = validate_appendix_a(X, y, alpha, e1)
        if not chk[0].passed:
            continue
        kept += 1
        Z = y[:, None] * X
        mu = Z.mean(0)
        a2 = (Z @ mu) - (1 - alpha) / (n * alpha) * np.maximum(-(Z @ Z.T), 0).sum(axis=1)
        mins.append(float(a2.min()))
    ds = dataset({"dataset": "DS-H", "H": 20.0})
    X, y = ds.X, ds.y
    best = -np.inf
    for th in np.linspace(0, 2 * np.pi, 20000, endpoint=False):
        w = np.array([math.cos(th), math.sin(th)])
        Pn = np.linalg.norm(X - np.outer(X @ w, w), axis=1)
        gam = float(np.min(y * (X @ w)))
        mu = (y[:, None] * X).mean(0)
        if gam <= 0 or mu @ w <= 0:
            continue
        best = max(best, gam / Pn.max() - Pn.mean() / (alpha * (mu @ w)))
    return Measurement(values={"a2min": min(mins), "a1slack": best},
                       errors={"a2min": 1e-12, "a1slack": 1e-3},
                       info={"datasets satisfying A.1": kept, "A.1 best slack on DS-H (H = 20)": best})


A2_MIN_MARGIN, A1_SLACK = sp.symbols("a2min a1slack", real=True)
LEMMAG1 = claims.add(
    "lemmaG.1", "Lemma G.1 (Assumption A.1 ⇒ Assumption A.2)",
    "App. G.1, l.6881-6939 (l.6879 states the reverse: finding F8)", "closed-form",
    statement=sp.Gt(A2_MIN_MARGIN, 0), latex_names={"a2min": r"\min_{\rm A.1\ data}\min_i\ {\rm A.2\ margin}",
                                            "a1slack": r"\max_w {\rm A.1\ slack}(\mathrm{DS\text{-}H}, H=20)"},
    symbols_doc={"a2min": "smallest A.2 margin over random datasets satisfying A.1"},
    quantifier="random datasets satisfying A.1", hypotheses=[LOGISTIC_LEAKY], instances=lambda tier: [
        Instance("random 2-D datasets near e_1, 400 draws, alpha = 1/2", {"samples": 400, "rng": 21}),
        Instance("random 2-D datasets near e_1, 400 draws, alpha = 0.3", {"samples": 400, "rng": 22, "alpha": 0.3})],
    measure=_g1_measure, mutant=Mutant(sp.Gt(A1_SLACK, 0), "A.2 => A.1 (the reversed sentence, F8): DS-H at H = 20"),
    provides=("a1slack",), catalog_ref="E78, F8", result="lemmaG.1")


# =========================================================================== finding F2, dynamic witness (Theorem A.7)


def a5_lp_value(X, y, alpha, n_angles: int = 20000):
    """Assumption A.5 through Lemma G.10 (catalog E28): V = min_{lambda in simplex(S^+)} max_u
    -1/2 sum_i lambda_i y_i phi(<u, x_i>) (d = 2: u on n_angles directions plus the rays perpendicular to the x_i;
    an LP in (lambda, t), scipy HiGHS). A.5 holds iff V < gamma^+/2."""
    _, gp, _, Sp = _a5_values(X, y, alpha)
    th = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
    U = np.stack([np.cos(th), np.sin(th)], 1)
    for i in Sp:
        v = np.array([-X[i, 1], X[i, 0]]) / np.linalg.norm(X[i])
        U = np.vstack([U, v, -v])
    C = -0.5 * phi(U @ X[Sp].T, alpha) * y[Sp][None, :]        # rows: directions, cols: lambda_i
    k = len(Sp)
    res = linprog(np.r_[np.zeros(k), 1.0], A_ub=np.hstack([C, -np.ones((len(U), 1))]), b_ub=np.zeros(len(U)),
                  A_eq=np.r_[np.ones(k), 0.0][None, :], b_eq=[1.0], bounds=[(0, None)] * k + [(None, None)],
                  method="highs")
    return float(res.x[-1]), gp


def _a5_hyp(inst):
    X, y, alpha = data(inst.params)
    V, gp = a5_lp_value(X, y, alpha)
    return V < gp / 2, f"A.5 LP value V = {V:.6g} vs gamma^+/2 = {gp / 2:.6g}"


ASSUMPTION_A5 = Hypothesis("Assumption A.5 (LP value < gamma^+/2)", _a5_hyp, "l.1063-1070 (Lemma G.10)")


def _f2flow_instances(tier):
    return [Instance("DS-A, balanced m=4 (INIT-H signs), sigma = 1e-8, t to 1e290",
                     {"dataset": "DS-A", "m": 4, "seed": 1, "init": "balanced", "s": [1, 1, -1, -1], "sigma": 1e-8,
                      "setting": "nonsymmetric", "log10_t": 290.0}),
            hinted_limit_instances("fast")[0]]


def _f2flow_measure(inst, point, precision):
    """Theorem A.7 on one draw: f_inf = 1/2 phi(<w^+, x>) has normalised margin exactly gamma^+/2 (Lemma A.4), and
    the smoothed margin gamma~(theta(t)) is non-decreasing with gamma~ <= gamma (catalog E67, Lyu & Li), so the
    conclusion implies gamma~(t) <= gamma^+/2 at every t. Measured: gamma~ at the last sample."""
    r = limit_run(inst.params)
    X, y, alpha = data(inst.params)
    _, gp, _, _ = _a5_values(X, y, alpha)
    gts = [g for g in r["gamma_tilde"] if g is not None]
    gt = gts[-1]
    inc = np.diff(gts[-40:])
    return Measurement(values={"gt": gt, "gplus": gp, "alpha": mpmath.mpf(alpha)},
                       errors={"gt": 1e-10 * (r["nsteps"] + 1) * abs(gt), "gplus": 1e-9 * gp, "alpha": 0},
                       coords={"t": r["t"][-1]},
                       info={**limit_run_info(r), "gamma^+/2": gp / 2, "gamma~ min increment (last 40 samples)":
                             float(inc.min()) if len(inc) else None})


GAMMA_TILDE_END = sp.Symbol("gt", positive=True)
F2_FLOW = claims.add(
    "finding.F2.flow", "Finding F2 (dynamic): Theorem A.7's limit margin γ+/2 exceeded on DS-A",
    "App. A.1, l.1084-1107 (Theorem A.7); catalog E30", "asymptotic", statement=sp.Le(GAMMA_TILDE_END, GAMMA_PLUS / 2),
    latex_names={"gt": r"\tilde\gamma(\theta(t_{\rm end}))", "gplus": r"\gamma^+", "alpha": r"\alpha"},
    symbols_doc={"gt": "smoothed margin at the last sample (a lower bound of the limit margin)",
                 "gplus": "max margin of x^+ (SVM)"},
    quantifier="one balanced draw with some s_k = +1, at the instance's sigma",
    hypotheses=[LOGISTIC_LEAKY, SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A3, ASSUMPTION_A5], instances=_f2flow_instances,
    measure=_f2flow_measure,
    mutant=Mutant(sp.Le(GAMMA_TILDE_END, ALPHA * GAMMA_PLUS / 2),
                  "limit margin alpha gamma^+/2 (the all-negative value)"),
    provides=("alpha",), catalog_ref="F2, E30", result="theoremA.7", share=run_group("t62"),
    tags=("finding",),
    notes="On DS-A at sigma = 1e-8 the smoothed margin passes gamma^+/2 (catalog: 0.1409440 at t = 1e290), so the "
          "limit margin exceeds the one of 1/2 phi(<w^+, x>). Theorem A.7 quantifies 'exists sigma_max, for all "
          "sigma < sigma_max'; the catalog's sigma = 1e-12 run shows the negative neurons still escape "
          "(exponent 0.164 vs the predicted 0.168), only at astronomically large t. On hinted data (A.5* holds) the "
          "bound holds.")


# =========================================================================== Theorems A.7, A.10, Assumptions A.8-A.9


def w_pm(X, y, alpha, sign: int):
    """(w^s, gamma^s), s = +1: max-margin separator of (x_i^+, y_i) (l.1030-1040); s = -1: of (x_i^-, y_i)
    (l.1222-1235); hard-margin SVM (numerics.convex)."""
    Xs = geo.x_pm(X, y, alpha)[0 if sign > 0 else 1]
    sv = svm_hard_margin(Xs, y)
    return np.asarray(sv.direction, dtype=float), float(sv.margin)


def _one_neuron_measure_for(sign: int):
    def measure(inst, point, precision):
        """Theorem A.7 (sign = +1): f_inf(x) = 1/2 phi(<w^+, x>); Theorem A.10 (sign = -1): f_inf(x) =
        -1/2 phi(-<w^-, x>). f_inf extrapolated at the test points (common.limit_run). ``target`` is the
        theorem's one-neuron classifier, ``lin`` = <w^s, x>, ``flipsign`` = 1/2 phi(s <w^s, x>) * s with the other
        sign of the output (the mutant: the neuron of the opposite sign)."""
        r = limit_run(inst.params)
        X, y, alpha = data(inst.params)
        ws, gs = w_pm(X, y, alpha, sign)
        z = np.asarray(r["Xt"]) @ ws
        tgt = sign * 0.5 * phi(sign * z, alpha)
        return Measurement(values={"f_inf": r["f_inf"], "target": tgt.tolist(), "other": (-tgt).tolist(),
                                   "lin": z.tolist(), "alpha": mpmath.mpf(alpha)},
                           errors={"f_inf": r["f_err"], "target": [1e-12] * len(z), "other": [1e-12] * len(z),
                                   "lin": [1e-12] * len(z), "alpha": 0},
                           coords={"x": [str(np.round(x, 3).tolist()) for x in np.asarray(r["Xt"])]},
                           info={**limit_run_info(r), f"w^{'+' if sign > 0 else '-'}": ws.tolist(),
                                 f"gamma^{'+' if sign > 0 else '-'}": gs,
                                 "sup |f_inf - target|": float(np.max(np.abs(np.asarray(r["f_inf"]) - tgt)))},
                           series=limit_run_series(r, gs / 2))
    return measure


def _a7_instances(tier):
    return [_f2flow_instances(tier)[0], hinted_limit_instances("fast")[0]]


def _a10_instances(tier):
    return [Instance(i.name.replace("DS-H/70", "DS-H/70 labels flipped (DS-H^-)").replace(
                "generic hinted", "generic hinted, labels flipped,"),
                     {**i.params, "flip": True, "setting": "nonsymmetric"}) for i in hinted_limit_instances(tier)]


def _a8_hyp(inst):
    X, y, alpha = data(inst.params)
    mp, mm = (float(np.linalg.norm(v)) for v in geo.mu_pm(X, y, alpha))
    return mp < mm, f"||mu^+|| = {mp:.6g}, ||mu^-|| = {mm:.6g}"


def _a9_corrected_hyp(inst):
    """Assumption A.9 with the sign the mirror y -> -y of A.5 gives (a_k >= 0): the A.5 LP (Lemma G.10) on the
    flipped labels, whose gamma^+ is gamma^-."""
    X, y, alpha = data(inst.params)
    V, gm = a5_lp_value(X, -y, alpha)
    return V < gm / 2, f"mirror-A.5 LP value V = {V:.6g} vs gamma^-/2 = {gm / 2:.6g}"


def _neg_sign(inst):
    a, _ = init_bar(inst.params)
    return bool(np.any(a < 0)), f"signs s = {np.sign(a).astype(int).tolist()} (success event: some s_k = -1)"


ASSUMPTION_A8 = Hypothesis("Assumption A.8 (||mu^+|| < ||mu^-||)", _a8_hyp, "App. A.3, l.1222")
ASSUMPTION_A9_CORRECTED = Hypothesis("Assumption A.9, sign corrected (all a_k >= 0 nets below gamma^-/2; printed "
                                     "a_k <= 0 is unsatisfiable, lyu2021.finding.A9)", _a9_corrected_hyp,
                                     "App. A.3, l.1236-1240")
SOME_NEGATIVE_SIGN = Hypothesis("some s_k = -1 (the 1 - 2^-m event, reversed case)", _neg_sign, "l.1262-1281")
NON_BRANCHING_A6 = Hypothesis("Assumption A.6 (non-branching starts)",
                              lambda inst: (True, "assumed: not verifiable numerically "
                  "(catalog E29)"), "l.1074-1081")
TARGET, OTHER_SIGN = sp.symbols("target other", real=True)
_ONE_NEURON_LATEX = {"f_inf": r"f_\infty(x)", "lin": r"\langle w^\pm, x\rangle", "alpha": r"\alpha",
             "other": r"\frac{1}{2}\phi(-\langle w^-, x\rangle)"}

THEOREMA7 = claims.add(
    "theoremA.7", "Theorem A.7 (non-symmetric data: f_inf = ½ φ(<w+, x>))",
    "App. A.1, l.1084-1107", "asymptotic", statement=sp.Eq(F_INF, TARGET),
    latex_names={**_ONE_NEURON_LATEX, "target": r"\frac{1}{2}\phi(\langle w^+, x\rangle)",
                 "other": r"-\frac{1}{2}\phi(\langle w^+, x\rangle)"},
    symbols_doc={"f_inf": "limit normalised function (extrapolated)", "target": "1/2 phi(<w^+, x>)"},
    quantifier="for all test points, on a draw with some s_k = +1, at the instance's sigma",
    hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A3, ASSUMPTION_A5,
                NON_BRANCHING_A6, SOME_POSITIVE_SIGN],
    instances=_a7_instances, measure=_one_neuron_measure_for(+1),
    mutant=Mutant(sp.Eq(F_INF, (1 + ALPHA) / 4 * LIN), "the symmetric answer (1+alpha)/4 <w^+, x> (catalog E30 "
                  "mutation for w^+ = w*)"),
    provides=("lin", "alpha", "other"), catalog_ref="E30, F2", result="theoremA.7", share=run_group("t62"),
    notes="DS-A (A.2, A.3, A.5 hold; S^+ has a negative point): finding F2, the negative neurons escape and "
          "f_inf != 1/2 phi(<w^+, x>) (catalog E30: sup-err 1.5e-4 at sigma = 1e-12, 3.9e-2 at 1e-4). DS-H/70: "
          "w^+ = w*, the hinted special case of Theorem 6.2.")

THEOREMA10 = claims.add(
    "theoremA.10", "Theorem A.10 (reversed case: f_inf = −½ φ(−<w−, x>))",
    "App. A.3, l.1260-1281", "asymptotic", statement=sp.Eq(F_INF, TARGET),
    latex_names={**_ONE_NEURON_LATEX, "target": r"-\frac{1}{2}\phi(-\langle w^-, x\rangle)"},
    symbols_doc={"f_inf": "limit normalised function (extrapolated)", "target": "-1/2 phi(-<w^-, x>)",
                 "other": "+1/2 phi(-<w^-, x>) (a positive neuron)"},
    quantifier="for all test points, on a draw with some s_k = -1, at the instance's sigma",
    hypotheses=[LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A8, ASSUMPTION_A9_CORRECTED,
                NON_BRANCHING_A6, SOME_NEGATIVE_SIGN],
    instances=_a10_instances, measure=_one_neuron_measure_for(-1),
    mutant=Mutant(sp.Eq(F_INF, OTHER_SIGN), "the opposite-sign neuron +1/2 phi(-<w^-, x>) (catalog E32 mutation)"),
    provides=("lin", "alpha", "other"), catalog_ref="E32", result="theoremA.10", share=run_group("a10"),
    notes="DS-H^- (catalog E32): ||mu^+|| = 5.257 < ||mu^-|| = 10.257 before the 1/70 scaling, w^- = (-1, 0); the "
          "flow is run on the flipped data (not mapped from Theorem 6.2's run), so the y -> -y symmetry is tested too.")


def _a9_measure(inst, point, precision):
    """Assumption A.9 as printed (l.1236-1240): every net with all a_k <= 0 has normalised margin < gamma^-/2 on
    S^- = {i : y_i <w^-, x_i^-> = gamma^-}. Witness: m = 1, theta = (-w^-/sqrt 2, -1/sqrt 2) (||theta|| = 1),
    f(x) = -1/2 phi(-<w^-, x>), whose margin on S^- is exactly gamma^-/2 (y_i f(x_i) = y_i <w^-, x_i^->/2)."""
    X, y, alpha = data(inst.params)
    wm, gm = w_pm(X, y, alpha, -1)
    Xm = geo.x_pm(X, y, alpha)[1]
    S = np.flatnonzero(y * (Xm @ wm) <= gm * (1 + 1e-6))
    a, w = -1 / math.sqrt(2), -wm / math.sqrt(2)
    gw = float(np.min(y[S] * a * phi(X[S] @ w, alpha)))                      # / ||theta||^2 = 1
    return Measurement(values={"g_wit": gw, "g_minus": gm}, errors={"g_wit": 1e-9 * gm, "g_minus": 1e-9 * gm},
                       info={"w^-": wm.tolist(), "S^- (0-based)": S.tolist(), "witness": "m = 1, theta = "
                             "(-w^-/sqrt2, -1/sqrt2)"})


G_WITNESS, GAMMA_MINUS = sp.symbols("g_wit g_minus", positive=True)
FINDING_A9 = claims.add(
    "finding.A9",
    "Finding: an all-negative net attains γ−/2 on S−, so Assumption A.9 as printed (a_k ≤ 0, '< γ−/2') fails",
    "App. A.3, l.1236-1240", "closed-form", statement=sp.Eq(G_WITNESS, GAMMA_MINUS / 2),
    latex_names={"g_wit": r"\gamma_{S^-}(\theta_{\rm wit})", "g_minus": r"\gamma^-"},
    symbols_doc={"g_wit": "normalised margin on S^- of the all-negative net -1/2 phi(-<w^-, x>)",
                 "g_minus": "max margin of (x^-, y) (SVM)"},
    quantifier="the witness net", hypotheses=[SEPARABLE, ASSUMPTION_A8], instances=lambda tier: [
        Instance("DS-H/70 labels flipped (DS-H^-)", {"dataset": "DS-H", "scale": 1 / 70, "flip": True}),
        Instance("generic hinted (seed 4), labels flipped", {"dataset": "hinted-generic", "ds_seed": 4,
                                                             "flip": True})],
    measure=_a9_measure, mutant=Mutant(sp.Eq(G_WITNESS, GAMMA_MINUS / 4), "margin gamma^-/4"),
    catalog_ref="E32", result="theoremA.10", tags=("finding",),
    notes="New finding (not in the catalog). HOLDS here confirms the finding: A.9 asks every all-negative net to "
          "stay strictly below gamma^-/2 on S^-, but the reversed theorem's own limit -1/2 phi(-<w^-, x>) is an "
          "all-negative net (m = 1) with margin exactly gamma^-/2 there, so A.9 as printed fails on every dataset "
          "with gamma^- > 0 and Theorem A.10 would be vacuous. A.9 is meant as the mirror of A.5 under y -> -y, "
          "which maps a_k <= 0 to a_k >= 0; Theorem A.10 is checked under that corrected sign.")


