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
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant, NeedsPrecision
from theory.claimset import ClaimSet

from .common import (ALPHA, ASSUMPTION_A2, ASSUMPTION_A3, FUNCTION_EQ_ATOL, FUNCTION_EQ_NOTE, F_INF,
                     INPUTS_IN_UNIT_BALL, LIN, LOGISTIC_LEAKY, MODEL, SEPARABLE, SETTINGS, SOME_POSITIVE_SIGN,
                     accept_data, data, dataset, dot_mp, fp_bound, hinted_limit_instances, init_bar, is_user, limit_run,
                     limit_run_info, limit_run_series, needs_separable, phi, resolved_limit_run, run_group,
                     svm, svm_exact_data, user_limit_instance, user_static)
from .datasets import validate_appendix_a
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


# =========================================================================== finding F2 (A.5 vs A.5*), Lemma A.4


def _a5_values(X, y, alpha, n_angles: int = 200001):
    """A.5* value sup_u -1/2 sum_{i in S^+} lambda*_i y_i phi(<u, x_i>) (catalog E28), with lambda* the SVM dual of
    w^+ on S^+ (normalised to the simplex); d = 2: max over the circle (the function is piecewise linear in u, so the
    max is at a ray perpendicular to some x_i or at a cone's gradient direction; an n_angles scan plus those rays).
    Returns (value, gamma^+, lambda*, S^+); gamma^+ from the SVM polished exactly (common.svm_exact_data)."""
    Xp, _ = geo.x_pm(X, y, alpha)
    s = svm_hard_margin(Xp, y)
    gp = float(svm_exact_data(Xp, y)[1])
    Sp = [int(i) for i in s.support]
    lam = np.asarray(s.alpha, dtype=float)[Sp]
    lam = lam / lam.sum()
    th = np.linspace(0, 2 * np.pi, n_angles)
    U = np.stack([np.cos(th), np.sin(th)], 1)
    for i in Sp:   # rays perpendicular to x_i
        v = np.array([-X[i, 1], X[i, 0]]) / np.linalg.norm(X[i])
        U = np.vstack([U, v, -v])
    vals = -0.5 * (phi(U @ X[Sp].T, alpha) * (lam * y[Sp])[None, :]).sum(1)
    return float(vals.max()), gp, lam.tolist(), Sp


def _a5_star(X, y, alpha):
    """(A.5* value, its error, gamma^+ at 50 digits): the error is the difference between scans of 200001 and 50001
    angles (the maximiser is usually one of the exact candidate rays, then the two agree) plus the solver's
    inaccuracy in lambda* (the value is linear in lambda*: |value| times the relative KKT inaccuracy of the dual,
    measured against the exact polish of w^+) plus rounding."""
    v, gp, lam, Sp = _a5_values(X, y, alpha)
    v2, _, _, _ = _a5_values(X, y, alpha, n_angles=50001)
    Xp, _ = geo.x_pm(X, y, alpha)
    w_ex, g_ex, _ = svm_exact_data(Xp, y)
    s = svm_hard_margin(Xp, y)
    lam_err = float(np.linalg.norm(np.asarray(s.direction) - np.array([float(c) for c in w_ex])))
    return v, abs(v - v2) + abs(v) * lam_err + float(fp_bound(np.abs(X).sum() / 2, 4 * len(y))), g_ex


def _a5_lp(X, y, alpha):
    """(V, error): the A.5 LP value (a5_lp_value) at 20000 angles, error = the difference with 5000 angles."""
    V, _ = a5_lp_value(X, y, alpha)
    V2, _ = a5_lp_value(X, y, alpha, n_angles=5000)
    return V, abs(V - V2) + float(fp_bound(abs(V), 64))


def _f2_measure(inst, point, precision):
    """Finding F2: the A.5* value (what the proof of Theorem G.11 bounds) against gamma^+/2; the control's value: the
    A.5 LP value V of Lemma G.10 (the assumption as printed: inf over lambda)."""
    X, y, alpha = data(inst.params)
    v, verr, gp = _a5_star(X, y, alpha)
    V, Verr = _a5_lp(X, y, alpha)
    _, _, lam, Sp = _a5_values(X, y, alpha, n_angles=11)
    return Measurement(values={"a5star": v, "a5": V, "gplus": gp, "alpha": mpmath.mpf(alpha)},
                       errors={"a5star": verr, "a5": Verr}, exact=("gplus", "alpha"),
                       info={"S^+ (0-based)": Sp, "lambda*": lam, "gamma^+/2": float(gp) / 2})


A5_STAR, A5_LP, GAMMA_PLUS = sp.symbols("a5star a5 gplus", real=True)
F2_A5 = claims.add(
    "finding.F2", "Finding F2: Theorem G.11 / A.7 need A.5* (sup_u with the SVM dual λ*) < γ+/2",
    "App. G.5, l.8679-8687 (proof of Theorem G.11); Assumption A.5, l.1063-1070", "convex",
    statement=sp.Lt(A5_STAR, GAMMA_PLUS / 2),
    latex_names={"a5star": r"\sup_u -\frac{1}{2}\sum_{S^+}\lambda^*_i y_i\phi(\langle u,x_i\rangle)",
                 "a5": r"\min_\lambda\sup_u -\frac{1}{2}\sum_{S^+}\lambda_i y_i\phi(\langle u,x_i\rangle)",
                 "gplus": r"\gamma^+", "alpha": r"\alpha"},
    symbols_doc={"a5star": "the quantity the proof of Theorem G.11 bounds by A.5 (catalog A.5*)",
                 "gplus": "max margin of the transformed data x^+ (SVM)"},
    quantifier="on data satisfying A.2, A.3 and A.5 (A.5 is the inf over lambda; the proof uses lambda*)",
    hypotheses=[SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A3], instances=lambda tier: [
        Instance("DS-A (A.2, A.3, A.5 hold; S^+ has mixed labels)", {"dataset": "DS-A", "setting": "nonsymmetric"}),
        Instance("generic hinted (seed 4): S^+ all positive", {"dataset": "hinted-generic", "ds_seed": 4,
                                                               "setting": "hinted"}),
        Instance("DS-H/70", {"dataset": "DS-H", "scale": 1 / 70, "setting": "hinted"})],
    measure=_f2_measure,
    control=Mutant(sp.Lt(A5_LP, GAMMA_PLUS / 2), "Assumption A.5 as printed (the inf over lambda, Lemma G.10 LP) "
                   "holds on the same data: the gap between A.5 and the A.5* the proof uses is the finding"),
    mutant=Mutant(sp.Lt(A5_LP, ALPHA * GAMMA_PLUS / 2), "near miss of the control: A.5 with the bound alpha gamma^+/2 "
                  "(the all-negative value); rejected on DS-A where the control holds"),
    provides=("alpha", "a5"), catalog_ref="F2, E28, E88", result="theoremA.7", tags=("finding",),
    notes="On DS-A (all of A.2, A.3, A.5 hold) the sup is 0.1646 > gamma^+/2 = 0.1409: the proof step 'A.5 + Lemma "
          "G.10 => sum lambda*_i q_i(theta^-) < gamma^+/2' fails, and with it Theorem G.11 item 1 / Theorem A.7 "
          "(catalog E30/E88: the flow's smoothed margin exceeds gamma^+/2). On hinted data S^+ is all-positive and "
          "the value is alpha gamma^+/2 < gamma^+/2.")


def _a4_measure(inst, point, precision):
    """Lemma A.4: the one-neuron direction (w^+/sqrt 2, 1/sqrt 2) has normalised margin gamma^+/2 (min_i y_i
    phi(<w^+, x_i>)/2 at 50 digits from the exactly polished w^+, ||theta|| = 1) and is a KKT-margin direction
    (residual of numerics.convex.kkt_margin_residual, in info)."""
    X, y, alpha = data(inst.params)
    Xp, _ = geo.x_pm(X, y, alpha)
    w_mp, g_mp, _ = svm_exact_data(Xp, y)
    z = dot_mp(w_mp, X)
    with mpmath.workdps(50):
        al = mpmath.mpf(alpha)
        g = min(yi * (zi if zi > 0 else al * zi) for zi, yi in zip(z, y)) / 2
    wp = np.array([float(v) for v in w_mp])
    kk = kkt_margin_residual(X, y, np.array([1 / math.sqrt(2)]), (wp / math.sqrt(2))[None, :], alpha)
    return Measurement(values={"gamma": g, "gplus": g_mp}, errors={"gamma": 1e-40, "gplus": 1e-40},
                       info={"kkt residual": kk.residual, "w^+": wp.tolist()})


GAMMA_ONE_NEURON = sp.Symbol("gamma", positive=True)
LEMMAA4 = claims.add(
    "lemmaA.4", "Lemma A.4 (one-neuron KKT direction (w+/√2, 1/√2), margin γ+/2)",
    "App. A.1, l.1046-1056", "convex", statement=sp.Eq(GAMMA_ONE_NEURON, GAMMA_PLUS / 2),
    latex_names={"gamma": r"\gamma((w^+, 1)/\sqrt{2})", "gplus": r"\gamma^+"},
    symbols_doc={"gamma": "normalised margin of (w^+/sqrt 2, 1/sqrt 2) (50 digits from the exact w^+)",
                 "gplus": "max margin of x^+ (SVM polished exactly, 50 digits)"},
    hypotheses=[SEPARABLE], instances=lambda tier: [
        Instance("DS-H/70", {"dataset": "DS-H", "scale": 1 / 70, "setting": "hinted"}),
        Instance("DS-A", {"dataset": "DS-A", "setting": "nonsymmetric"})],
    measure=_a4_measure, mutant=Mutant(sp.Eq(GAMMA_ONE_NEURON, GAMMA_PLUS), "margin gamma^+ (catalog E27 mutation)"),
    catalog_ref="E27", result="lemmaA.4")


# =========================================================================== Lemma G.2


def _g2_samples(params):
    """The random datasets of a Lemma G.2 instance (numpy default_rng(rng)): (alpha, Z) with n in 3..7, d in 2..3,
    alpha ~ U(0.05, 0.95), Z ~ N(0, I); on a user's data the one dataset (alpha, Z = y x)."""
    if is_user(params):
        X, y, alpha = data(params)
        return [(alpha, y[:, None] * X)]
    rng = np.random.default_rng(params["rng"])
    out = []
    for _ in range(params["samples"]):
        n, d = int(rng.integers(3, 8)), int(rng.integers(2, 4))
        alpha = float(rng.uniform(0.05, 0.95))
        out.append((alpha, rng.standard_normal((n, d))))
    return out


def _g2_alpha(inst):
    al = [a for a, _ in _g2_samples(inst.params)]
    return all(0 < a < 1 for a in al), f"{len(al)} datasets, alpha in [{min(al):.3f}, {max(al):.3f}]"


def _g2_measure(inst, point, precision):
    """Lemma G.2: sum_j min(alpha <z_i, z_j>, <z_i, z_j>) (closed form, z = y x) equals min over alpha_j in
    [alpha, 1] of <z_i, sum_j alpha_j z_j> (solved coordinatewise: the LP is separable), on random data; the
    mutant uses the swapped weights alpha min(., 0) + (1 - alpha) <.>. Errors: rounding bounds of the row sums."""
    cf, lp, sw, e = [], [], [], []
    for alpha, Z in _g2_samples(inst.params):
        n, d = Z.shape
        Gm = Z @ Z.T
        cf += (((1 - alpha) * np.minimum(Gm, 0) + alpha * Gm).sum(1)).tolist()
        lp += (np.where(Gm >= 0, alpha * Gm, Gm).sum(1)).tolist()
        sw += ((alpha * np.minimum(Gm, 0) + (1 - alpha) * Gm).sum(1)).tolist()
        e += fp_bound((np.abs(Z) @ np.abs(Z).T).sum(1), 2 * d + n + 6).tolist()
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
    quantifier="every row of random datasets", hypotheses=[Hypothesis("alpha in (0, 1)", _g2_alpha, "l.986")],
    instances=lambda tier: [Instance("random data (n 3..7, d 2..3), 300 sets", {"samples": 300, "rng": 5}),
                            Instance("random data, second seed, 300 sets", {"samples": 300, "rng": 6})],
    measure=_g2_measure, mutant=Mutant(sp.Eq(SWAPPED_WEIGHTS, LP_VALUE), "swapped weights (catalog E79 mutation)"),
    provides=("sw",), catalog_ref="E79", result="lemmaG.1")


# =========================================================================== Lemma G.1


def _a1_slack(X, y, alpha, w):
    """Assumption A.1 slack at w (l.958-975): gamma^w/max||P x|| - mean||P x||/(alpha <mu, w>) (-inf when gamma^w <= 0
    or <mu, w> <= 0), P the projection orthogonal to w."""
    Pn = np.linalg.norm(X - np.outer(X @ w, w), axis=1)
    gam = float(np.min(y * (X @ w)))
    mu = (y[:, None] * X).mean(0)
    if gam <= 0 or mu @ w <= 0 or Pn.max() == 0:
        return -math.inf
    return gam / Pn.max() - Pn.mean() / (alpha * (mu @ w))


def _a2_min_margin(X, y, alpha):
    """min_i of the Assumption A.2 margin <z_i, mu> - (1 - alpha)/(n alpha) sum_j max(-<z_i, z_j>, 0), z = y x."""
    n = len(y)
    Z = y[:, None] * X
    mu = Z.mean(0)
    return float(((Z @ mu) - (1 - alpha) / (n * alpha) * np.maximum(-(Z @ Z.T), 0).sum(axis=1)).min())


def _a1_sup(X, y, alpha, n, extra=()):
    """The A.1 slack maximised over n directions on the circle (and the unit vectors ``extra``)."""
    dirs = [np.array([math.cos(t), math.sin(t)]) for t in np.linspace(0, 2 * np.pi, n, endpoint=False)]
    return max(_a1_slack(X, y, alpha, w) for w in dirs + list(extra))


def _g1_measure(inst, point, precision):
    """Lemma G.1 (A.1 => A.2) as an implication per dataset, max(-a1, a2) > 0, where a1 is an A.1 slack and a2 the A.2
    min margin: random datasets (d = 2, n 2..6, near the principal direction e_1) satisfying A.1 at w = e_1 (a1 = the
    slack there, a lower bound of the sup over w), plus the catalog's DS-H (H = 20), where a1 = the sup over 2e4
    directions (error: the difference with 1e4 directions) is negative and A.2 holds (catalog E78, finding F8). The
    mutant is the converse A.2 => A.1, max(-a2, a1) > 0, judged on the same points. On a user's data (d = 2,
    separable): that dataset alone, a1 = the sup of the A.1 slack over 2e4 directions and w* (as DS-H; finite: gamma^w*
    > 0 and <mu, w*> >= gamma^w* > 0), unresolved when every input is parallel to w* (the slack is undefined)."""
    if is_user(inst.params):
        X, y, alpha = data(inst.params)
        ws = svm(inst.params)[0]
        s20, s10 = _a1_sup(X, y, alpha, 20000, [ws]), _a1_sup(X, y, alpha, 10000, [ws])
        if not math.isfinite(s20):
            raise NeedsPrecision("the A.1 slack is undefined: every input is parallel to w* (max ||P x|| = 0)")
        a2 = _a2_min_margin(X, y, alpha)
        return Measurement(values={"a1": s20, "a2": a2},
                           errors={"a1": abs(s20 - s10) + float(fp_bound(4.0, 8 * len(y))),
                                   "a2": float(fp_bound(2.0 / alpha * float(np.max(np.abs(X))) ** 2, 4 * len(y)))},
                           info={"sup A.1 slack (A.1 holds iff > 0)": s20, "A.2 min margin": a2})
    rng = np.random.default_rng(inst.params["rng"])
    alpha = float(inst.params.get("alpha", 0.5))
    a1, a2, e1_, e2_, which = [], [], [], [], []
    e1 = np.array([1.0, 0.0])
    for _ in range(inst.params["samples"]):
        n = int(rng.integers(2, 7))
        y = rng.choice([-1.0, 1.0], size=n)
        X = y[:, None] * np.stack([rng.uniform(0.3, 1.0, n), rng.uniform(-0.15, 0.15, n)], 1)
        if not validate_appendix_a(X, y, alpha, e1)[0].passed:
            continue
        a1.append(_a1_slack(X, y, alpha, e1))
        a2.append(_a2_min_margin(X, y, alpha))
        e1_.append(float(fp_bound(4.0, 8 * n)))
        e2_.append(float(fp_bound(2.0 / alpha, 4 * n)))
        which.append("random")
    ds = dataset({"dataset": "DS-H", "H": 20.0})
    s20, s10 = _a1_sup(ds.X, ds.y, alpha, 20000), _a1_sup(ds.X, ds.y, alpha, 10000)
    a1.append(s20)
    a2.append(_a2_min_margin(ds.X, ds.y, alpha))
    e1_.append(abs(s20 - s10) + float(fp_bound(4.0, 8 * len(ds.y))))
    e2_.append(float(fp_bound(2.0 / alpha * float(np.max(np.abs(ds.X))) ** 2, 4 * len(ds.y))))
    which.append("DS-H (H = 20)")
    return Measurement(values={"a1": a1, "a2": a2}, errors={"a1": e1_, "a2": e2_}, coords={"dataset": which},
                       info={"datasets satisfying A.1 at e_1": len(a1) - 1,
                             "min A.2 margin over them": float(min(a2[:-1])),
                             "DS-H (H = 20): sup A.1 slack, A.2 margin": [s20, a2[-1]]})


def _g1_plane(inst):
    if not is_user(inst.params):   # the catalog instances draw their own 2-D datasets
        return True, "catalog instance: 2-D datasets by construction"
    return PLANE.test(inst)


A1_SLACK, A2_MARGIN = sp.symbols("a1 a2", real=True)
LEMMAG1 = claims.add(
    "lemmaG.1", "Lemma G.1 (Assumption A.1 ⇒ Assumption A.2)",
    "App. G.1, l.6881-6939 (l.6879 states the reverse: finding F8)", "closed-form",
    statement=sp.Gt(sp.Max(-A1_SLACK, A2_MARGIN), 0),
    latex_names={"a1": r"s_{\rm A.1}", "a2": r"\min_i m^{\rm A.2}_i"},
    symbols_doc={"a1": "an Assumption A.1 slack (> 0: A.1 holds)", "a2": "the A.2 min margin (> 0: A.2 holds)"},
    quantifier="random datasets satisfying A.1, and DS-H (H = 20) where A.1 fails: the implication a1 > 0 => a2 > 0",
    hypotheses=[LOGISTIC_LEAKY], instances=lambda tier: [
        Instance("random 2-D datasets near e_1, 400 draws, alpha = 1/2", {"samples": 400, "rng": 21}),
        Instance("random 2-D datasets near e_1, 400 draws, alpha = 0.3", {"samples": 400, "rng": 22, "alpha": 0.3})],
    measure=_g1_measure,
    mutant=Mutant(sp.Gt(sp.Max(-A2_MARGIN, A1_SLACK), 0), "the converse A.2 => A.1 (the reversed sentence l.6879, "
                  "F8): rejected on DS-H at H = 20"),
    catalog_ref="E78, F8", result="lemmaG.1")


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


def in_the_plane(test):
    """A hypothesis test that evaluates the A.1 sup, the A.5 LP or the A.5* value (directions scanned on the circle): on
    a user's data with d != 2 it fails, naming that limit, and on non-separable data it fails naming Assumption 3.2."""
    @needs_separable
    def guarded(inst):
        d = data(inst.params)[0].shape[1]
        if d != 2:
            return False, (f"not evaluated: d = {d}; the A.1 sup, the A.5 LP (Lemma G.10) and the A.5* value scan "
                           "directions on the circle, d = 2 only")
        return test(inst)
    return guarded


PLANE = Hypothesis("d = 2 (the A.1 sup, the A.5 / A.5* values scan the circle)",
                   in_the_plane(lambda inst: (True, "d = 2")), "Lemma G.10, l.8679")


@in_the_plane
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
    conclusion implies gamma~(t) <= gamma^+/2 at every t. Measured: gamma~ at the last sample (error: the difference
    with the rtol-1e-9 run, plus rounding), and the A.5* value of the data (lyu2021.finding.F2) for the control."""
    r = limit_run(inst.params)
    X, y, alpha = data(inst.params)
    v, verr, gp = _a5_star(X, y, alpha)
    gts = [g for g in r["gamma_tilde"] if g is not None]
    gt = gts[-1]
    inc = np.diff(gts[-40:])
    return Measurement(values={"gt": gt, "gplus": gp, "alpha": mpmath.mpf(alpha), "a5star": v},
                       errors={"gt": abs(gt - r["gamma_tilde_end_check"]) + float(fp_bound(abs(gt), 4 * len(y))),
                               "a5star": verr}, exact=("gplus", "alpha"),
                       coords={"t": r["t"][-1]},
                       info={**limit_run_info(r), "gamma^+/2": float(gp) / 2, "A.5* value": v,
                             "gamma~ min increment (last 40 samples)": float(inc.min()) if len(inc) else None})


GAMMA_TILDE_END = sp.Symbol("gt", positive=True)
F2_FLOW = claims.add(
    "finding.F2.flow", "Finding F2 (dynamic): Theorem A.7's limit margin γ+/2 exceeded on DS-A",
    "App. A.1, l.1084-1107 (Theorem A.7); catalog E30", "asymptotic", statement=sp.Le(GAMMA_TILDE_END, GAMMA_PLUS / 2),
    latex_names={"gt": r"\tilde\gamma(\theta(t_{\rm end}))", "gplus": r"\gamma^+", "alpha": r"\alpha",
                 "a5star": r"{\rm A.5}^*"},
    symbols_doc={"gt": "smoothed margin at the last sample (a lower bound of the limit margin)",
                 "gplus": "max margin of x^+ (SVM, polished exactly)", "a5star": "the A.5* value of the data"},
    quantifier="one balanced draw with some s_k = +1, at the instance's sigma",
    hypotheses=[LOGISTIC_LEAKY, SEPARABLE, ASSUMPTION_A2, ASSUMPTION_A3, ASSUMPTION_A5], instances=_f2flow_instances,
    measure=_f2flow_measure,
    control=Mutant(sp.Ge((GAMMA_TILDE_END - GAMMA_PLUS / 2) * (A5_STAR - GAMMA_PLUS / 2), 0),
                   "corrected criterion: the flow's smoothed margin ends on the side of gamma^+/2 where A.5* lies "
                   "(Theorem A.7 with A.5* in place of A.5 on DS-H/70; the escape predicted by A.5* > gamma^+/2, "
                   "catalog D3, on DS-A)"),
    mutant=Mutant(sp.Le(GAMMA_TILDE_END, ALPHA * GAMMA_PLUS / 2),
                  "limit margin alpha gamma^+/2 (the all-negative value)"),
    provides=("alpha", "a5star"), catalog_ref="F2, E30", result="theoremA.7", share=run_group("t62"),
    tags=("finding",),
    notes="On DS-A at sigma = 1e-8 the smoothed margin passes gamma^+/2 (catalog: 0.1409440 at t = 1e290), so the "
          "limit margin exceeds the one of 1/2 phi(<w^+, x>). Theorem A.7 quantifies 'exists sigma_max, for all "
          "sigma < sigma_max'; the catalog's sigma = 1e-12 run shows the negative neurons still escape "
          "(exponent 0.164 vs the predicted 0.168), only at astronomically large t. On hinted data (A.5* holds) the "
          "bound holds.")


# =========================================================================== Theorems A.7, A.10, Assumptions A.8-A.9


def w_pm(X, y, alpha, sign: int):
    """(w^s, gamma^s), s = +1: max-margin separator of (x_i^+, y_i) (l.1030-1040); s = -1: of (x_i^-, y_i)
    (l.1222-1235); hard-margin SVM polished exactly (common.svm_exact_data), rounded to float64."""
    w, g = w_pm_mp(X, y, alpha, sign)
    return np.array([float(v) for v in w]), float(g)


def w_pm_mp(X, y, alpha, sign: int):
    """(w^s, gamma^s) of :func:`w_pm` at 50 digits."""
    Xs = geo.x_pm(X, y, alpha)[0 if sign > 0 else 1]
    w, g, _ = svm_exact_data(Xs, y)
    return w, g


def _one_neuron_measure_for(sign: int):
    def measure(inst, point, precision):
        """Theorem A.7 (sign = +1): f_inf(x) = 1/2 phi(<w^+, x>); Theorem A.10 (sign = -1): f_inf(x) =
        -1/2 phi(-<w^-, x>). f_inf extrapolated at the test points (common.limit_run). ``target`` is the
        theorem's one-neuron classifier, ``lin`` = <w^s, x>, ``other`` = -target (the mutant: the neuron of the
        opposite sign); w^s polished exactly, the targets at 50 digits."""
        r = resolved_limit_run(inst.params)
        X, y, alpha = data(inst.params)
        ws, gs = w_pm(X, y, alpha, sign)
        z_mp = dot_mp(w_pm_mp(X, y, alpha, sign)[0], np.asarray(r["Xt"]))
        with mpmath.workdps(50):
            al = mpmath.mpf(alpha)
            tgt_mp = [sign * (sign * v if sign * v > 0 else al * sign * v) / 2 for v in z_mp]
        tgt = np.array([float(v) for v in tgt_mp])
        return Measurement(values={"f_inf": r["f_inf"], "target": tgt_mp, "other": [-v for v in tgt_mp],
                                   "lin": z_mp, "alpha": mpmath.mpf(alpha)},
                           errors={"f_inf": r["f_err"]}, exact=("target", "other", "lin", "alpha"),
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


@in_the_plane
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
NON_BRANCHING_A6 = Hypothesis("Assumption A.6 (non-branching starts)", where="l.1074-1081", assumed=True,
                              detail="assumed, not evaluated: uniqueness of the Clarke flow is not decidable "
                                     "numerically (catalog E29); the engine follows the Filippov (small-step) selection")
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
    eq_atol=FUNCTION_EQ_ATOL,
    notes="DS-A (A.2, A.3, A.5 hold; S^+ has a negative point): finding F2, the negative neurons escape and "
          "f_inf != 1/2 phi(<w^+, x>) (catalog E30: sup-err 1.5e-4 at sigma = 1e-12, 3.9e-2 at 1e-4). DS-H/70: "
          "w^+ = w*, the hinted special case of Theorem 6.2. " + FUNCTION_EQ_NOTE)

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
    eq_atol=FUNCTION_EQ_ATOL,
    notes="DS-H^- (catalog E32): ||mu^+|| = 5.257 < ||mu^-|| = 10.257 before the 1/70 scaling, w^- = (-1, 0); the "
          "flow is run on the flipped data (not mapped from Theorem 6.2's run), so the y -> -y symmetry is tested too. "
          + FUNCTION_EQ_NOTE)


def _a9_measure(inst, point, precision):
    """Assumption A.9 as printed (l.1236-1240): every net with all a_k <= 0 has normalised margin < gamma^-/2 on
    S^- = {i : y_i <w^-, x_i^-> = gamma^-}. Witness: m = 1, theta = (-w^-/sqrt 2, -1/sqrt 2) (||theta|| = 1),
    f(x) = -1/2 phi(-<w^-, x>), whose margin on S^- is exactly gamma^-/2 (y_i f(x_i) = y_i <w^-, x_i^->/2); w^- and
    gamma^- polished exactly, the margins at 50 digits. Control value: the LP value of A.9 with the corrected sign
    (a_k >= 0: the A.5 LP of Lemma G.10 on the flipped labels; error: two angle resolutions)."""
    X, y, alpha = data(inst.params)
    wm, gm = w_pm(X, y, alpha, -1)
    wm_mp, gm_mp = w_pm_mp(X, y, alpha, -1)
    Xm = geo.x_pm(X, y, alpha)[1]
    S = np.flatnonzero(y * (Xm @ wm) <= gm * (1 + 1e-6))
    # f(x) = a phi(<w, x>) with a = -1/sqrt2, w = -w^-/sqrt2: f(x) = -1/2 phi(-<w^-, x>), ||theta|| = 1
    z = dot_mp(wm_mp, X[S])
    with mpmath.workdps(50):
        al = mpmath.mpf(alpha)
        gw = min(yi * (-(-v if -v > 0 else al * -v) / 2) for v, yi in zip(z, y[S]))
    V, Verr = _a5_lp(X, -y, alpha)
    return Measurement(values={"g_wit": gw, "g_minus": gm_mp, "a9": V}, errors={"g_wit": 1e-40, "g_minus": 1e-40,
                                                                                 "a9": Verr},
                       info={"w^-": wm.tolist(), "S^- (0-based)": S.tolist(), "witness": "m = 1, theta = "
                             "(-w^-/sqrt2, -1/sqrt2)", "mirror-A.5 LP value (a_k >= 0 nets)": V})


G_WITNESS, GAMMA_MINUS, A9_LP = sp.symbols("g_wit g_minus a9", positive=True)
FINDING_A9 = claims.add(
    "finding.A9",
    "Finding: an all-negative net attains γ−/2 on S−, so Assumption A.9 as printed (a_k ≤ 0, '< γ−/2') fails",
    "App. A.3, l.1236-1240", "closed-form", statement=sp.Eq(G_WITNESS, GAMMA_MINUS / 2),
    latex_names={"g_wit": r"\gamma_{S^-}(\theta_{\rm wit})", "g_minus": r"\gamma^-", "a9": r"V_{\rm A.9}^{a\ge0}"},
    symbols_doc={"g_wit": "normalised margin on S^- of the all-negative net -1/2 phi(-<w^-, x>)",
                 "g_minus": "max margin of (x^-, y) (SVM)",
                 "a9": "A.9 with the sign corrected (a_k >= 0): the A.5 LP value on the flipped labels"},
    quantifier="the witness net", hypotheses=[SEPARABLE, ASSUMPTION_A8], instances=lambda tier: [
        Instance("DS-H/70 labels flipped (DS-H^-)", {"dataset": "DS-H", "scale": 1 / 70, "flip": True}),
        Instance("generic hinted (seed 4), labels flipped", {"dataset": "hinted-generic", "ds_seed": 4,
                                                             "flip": True})],
    measure=_a9_measure, mutant=Mutant(sp.Eq(G_WITNESS, GAMMA_MINUS / 4), "margin gamma^-/4"),
    control=Mutant(sp.Lt(A9_LP, GAMMA_MINUS / 2), "Assumption A.9 with the sign corrected (a_k >= 0, the mirror of A.5 "
                   "under y -> -y) holds on the same data"),
    provides=("a9",), catalog_ref="E32", result="theoremA.10", tags=("finding",),
    notes="New finding (not in the catalog). HOLDS here confirms the finding: A.9 asks every all-negative net to "
          "stay strictly below gamma^-/2 on S^-, but the reversed theorem's own limit -1/2 phi(-<w^-, x>) is an "
          "all-negative net (m = 1) with margin exactly gamma^-/2 there, so A.9 as printed fails on every dataset "
          "with gamma^- > 0 and Theorem A.10 would be vacuous. A.9 is meant as the mirror of A.5 under y -> -y, "
          "which maps a_k <= 0 to a_k >= 0; Theorem A.10 is checked under that corrected sign.")




# =========================================================================== user data (earlyalign --data)


def _some_sign(sign):
    return lambda p: bool(np.any(sign * init_bar(p)[0] > 0))


def _a7_data(ds, sign=+1):
    """Theorems A.7 (sign +1) and A.10 (sign -1) on a user's data: balanced D~_init(1) draw (m default 4; seed default:
    the first seed with some s_k = +1, resp. -1), sigma_init default 1e-8 (the catalog's DS-A run), flow to T (default
    1e250)."""
    return [user_limit_instance(ds, _some_sign(sign), f"some s_k = {'+' if sign > 0 else '-'}1",
                                inits=("balanced-gaussian",), sigma=1e-8)]


accept_data(LEMMAG2, user_static)
accept_data(LEMMAG1, user_static, MODEL, SETTINGS,
            Hypothesis(PLANE.name, _g1_plane, PLANE.where))
accept_data(LEMMAA4, user_static)
accept_data(F2_A5, user_static, MODEL, SETTINGS, PLANE)
accept_data(F2_FLOW, _a7_data)
accept_data(THEOREMA7, _a7_data)
accept_data(THEOREMA10, lambda ds: _a7_data(ds, -1))
accept_data(FINDING_A9, user_static, MODEL, SETTINGS, PLANE)
