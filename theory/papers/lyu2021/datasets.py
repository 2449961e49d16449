"""lyu2021's datasets (catalog claims_002.md §1.1) and the validator of its hypotheses.

Constructions: :func:`symmetric_separable` (random symmetric separable data, Assumptions 3.2 and 4.1),
:func:`hinted` (Definition 6.1), the catalog's named sets :func:`ds_s`, :func:`ds_s2`, :func:`ds_h`,
:func:`ds_a`, :func:`ds_k`, :func:`ds_o` (``DATASETS``, exposed by the registry as ``"lyu2021.DS-S"``, ...),
and two sets the claims use besides: :func:`ds_o_rotated` and :func:`hinted_generic`.

:func:`validate` evaluates the paper's hypotheses for the symmetric (§4-5), non-symmetric (App. A),
orthogonal (App. H) or hinted (§6, App. A.2) setting; every reason carries the numbers.
"""
from __future__ import annotations

import math
from functools import lru_cache

import cvxpy as cp
import numpy as np
from scipy.optimize import brentq, linprog

from numerics import geometry as geo
from numerics.convex import polish_svm
from numerics.patterns import cover_bound
from numerics.datasets import (AssumptionCheck, Dataset, DatasetError, Validation, assumption_check, fmt_number, as_rng, unit_vector,
                               fmt_vector)

from theory.usersettings import UserSettings as BaseUserSettings

from .paper import PAPER

__all__ = ["symmetric_separable", "hinted", "hinted_generic", "ds_s", "ds_s2", "ds_h", "ds_a", "ds_k", "ds_o",
           "ds_o_rotated", "validate", "validate_appendix_a", "hinted_thresholds", "user_dataset", "hinted_from_points",
           "linearly_separable", "UserSettings", "flow_cost", "pattern_count_bound", "dsk_kkt_point", "DATASETS"]

KEY = PAPER.key


def _dataset(X, y, name, source, params, alpha=0.5, notes=""):
    return Dataset(X, y, f"{KEY}.{name}", f"{KEY} {source}", KEY, params, gamma=alpha, loss="logistic",
                   reduction="mean", notes=notes)


# ============================================================================ constructions


def symmetric_separable(n_half: int = 8, d: int = 2, margin: float = 0.1, radius: float = 1.0, seed=0,
                        alpha: float = 0.5) -> Dataset:
    """Symmetric linearly separable data (lyu2021 Assumptions 3.2 and 4.1, l.298-309).

    Draw a unit w_true and n_half points uniform in the ball of radius ``radius`` <= 1 with
    <w_true, x> >= margin (rejection sampling), then x_{i + n/2} = -x_i with y = (+1,...,+1,-1,...,-1).
    ||x|| <= 1 (l.296) holds for radius <= 1. Assumption 4.5 (<mu, x_i> != 0) holds almost surely.
    """
    if not 0 < margin < radius:
        raise DatasetError(f"need 0 < margin < radius; got margin = {margin}, radius = {radius}")
    rng = as_rng(seed)
    w = unit_vector(rng.standard_normal(d))
    pts = []
    while len(pts) < n_half:
        g = rng.standard_normal((4 * n_half, d))
        r = radius * rng.uniform(size=(4 * n_half, 1)) ** (1.0 / d)
        cand = g / np.linalg.norm(g, axis=1, keepdims=True) * r
        pts.extend(cand[cand @ w >= margin])
    P = np.array(pts[:n_half])
    X = np.vstack([P, -P])
    y = np.concatenate([np.ones(n_half), -np.ones(n_half)])
    return _dataset(X, y, "symmetric", "Assumptions 3.2, 4.1 (§3-4): random symmetric separable data",
                    {"n_half": n_half, "d": d, "margin": margin, "radius": radius, "alpha": alpha,
                     "seed": seed if not isinstance(seed, np.random.Generator) else None, "w_true": tuple(w)},
                    alpha=alpha)


def _max_margin(X, y):
    """(w*, gamma_w*) of lyu2021 Def. 3.3: min 1/2 ||w||^2 s.t. y_i <w, x_i> >= 1 (cvxpy + Clarabel)."""
    w = cp.Variable(X.shape[1])
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(w)), [cp.multiply(y, X @ w) >= 1])
    prob.solve(solver=cp.CLARABEL)
    if prob.status != cp.OPTIMAL:
        raise RuntimeError(f"max-margin QP not solved to optimality: status {prob.status}")
    wv = np.asarray(w.value, dtype=float)
    return wv / np.linalg.norm(wv), 1.0 / np.linalg.norm(wv)


def _separable(X, y):
    """LP feasibility of y_i <w, x_i> >= 1 (lyu2021 Assumption 3.2); returns (feasible, w or None)."""
    res = linprog(np.zeros(X.shape[1]), A_ub=-(y[:, None] * X), b_ub=-np.ones(len(y)),
                  bounds=[(None, None)] * X.shape[1], method="highs")
    return res.status == 0, (res.x if res.status == 0 else None)


def linearly_separable(X, y) -> bool:
    """Assumption 3.2 (l.298): the LP y_i <w, x_i> >= 1 is feasible."""
    return _separable(np.asarray(X, dtype=float), np.asarray(y, dtype=float))[0]


def hinted(X, y, H: float, K: float, eps: float, w_perp=None, w_star=None, alpha: float = 0.5,
           name: str = "hinted", source: str = "") -> Dataset:
    """A (H, K, eps, w_perp)-hinted dataset, lyu2021 Definition 6.1 (l.849-855).

    S' = S ∪ {(H w*, 1), (eps w* + K w_perp, 1), (eps w* - K w_perp, 1)}, w* the max-margin direction of the
    separable base set S = (X, y) and w_perp a unit vector orthogonal to w*. The hints come FIRST (indices
    1, 2, 3; App. A.2 indexing), then S. ``w_star`` is computed by the SVM QP when not given;
    ``w_perp`` defaults to the unit vector of (e_2 - <e_2, w*> w*) (d >= 2).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w_star = _max_margin(X, y)[0] if w_star is None else unit_vector(np.asarray(w_star, dtype=float))
    if w_perp is None:
        if X.shape[1] < 2:
            raise DatasetError("hinted datasets need d >= 2 (a w_perp orthogonal to w*)")
        e = np.zeros(X.shape[1])
        e[1 if abs(w_star[1]) < 0.9 else 0] = 1.0
        w_perp = unit_vector(e - (e @ w_star) * w_star)
    w_perp = np.asarray(w_perp, dtype=float)
    hints = np.array([H * w_star, eps * w_star + K * w_perp, eps * w_star - K * w_perp])
    return _dataset(np.vstack([hints, X]), np.concatenate([np.ones(3), y]), name,
                    source or "Definition 6.1 (§6): hinted dataset",
                    {"H": H, "K": K, "eps": eps, "w_star": tuple(w_star), "w_perp": tuple(w_perp), "alpha": alpha,
                     "n_base": len(y), "hinted": True, "setting": "hinted"}, alpha=alpha)


def ds_s(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-S (catalog 002 §1.1, default for §4-5): positives (9/10, 2/5), (19/20, 3/10), (17/20, 1/2),
    (1/5, -9/10), negatives their negations (Assumption 4.1 order). mu = (29/40, 3/40),
    w* = (28, -13)/sqrt(953), max G = (1+alpha)/4 ||mu|| (= 3 sqrt(34)/64 at alpha = 1/2).
    """
    P = np.array([[0.9, 0.4], [0.95, 0.3], [0.85, 0.5], [0.2, -0.9]])
    return _dataset(np.vstack([P, -P]), np.r_[np.ones(4), -np.ones(4)], "DS-S",
                    "Assumptions 3.2, 4.1, 4.5 (§4); catalog 002 DS-S", {"alpha": alpha}, alpha=alpha)


def ds_s2(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-S2 (catalog 002): symmetric, mu-bar is NOT a separator; positives (0.6, 0.7), (0.7, 0.6),
    (0.65, 0.65), (0.1, -0.5)."""
    P = np.array([[0.6, 0.7], [0.7, 0.6], [0.65, 0.65], [0.1, -0.5]])
    return _dataset(np.vstack([P, -P]), np.r_[np.ones(4), -np.ones(4)], "DS-S2",
                    "Theorem 4.3 stress test; catalog 002 DS-S2", {"alpha": alpha}, alpha=alpha)


def ds_h(H: float = 70.0, K: float = 1.0, eps: float = 0.1, scale: float = 1.0, alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-H (catalog 002): the hinted dataset of Definition 6.1 on S = {(0.5, +-0.4)^+, (-0.6, +-0.3)^-}.

    w* = (1, 0) (reflection symmetry), w_perp = (0, 1); defaults H = 70, K = 1, eps = 0.1 (n = 7). ||x|| = 70
    violates ||x|| <= 1; ``scale = 1/70`` gives the catalog's DS-H/70 twin.
    """
    S = np.array([[0.5, 0.4], [0.5, -0.4], [-0.6, 0.3], [-0.6, -0.3]])
    ds = hinted(S, np.array([1.0, 1.0, -1.0, -1.0]), H, K, eps, w_perp=[0.0, 1.0], w_star=[1.0, 0.0],
                alpha=alpha, name="DS-H" if scale == 1 else f"DS-H/{fmt_number(1 / scale)}",
                source="Definition 6.1 / Theorem 6.2; catalog 002 DS-H")
    return ds.with_data(X=ds.X * scale, params={**ds.params, "scale": scale})


def ds_a(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-A (catalog 002, finding F2): non-symmetric, A.2/A.3/A.5 hold, S^+ has mixed labels.

    Positives (0.31, -0.02), (0.87, 0.04), (0.86, -0.32); negatives (-0.38, -0.58), (-0.59, -0.35).
    """
    X = np.array([[0.31, -0.02], [0.87, 0.04], [0.86, -0.32], [-0.38, -0.58], [-0.59, -0.35]])
    return _dataset(X, [1.0, 1.0, 1.0, -1.0, -1.0], "DS-A", "App. A (Theorem G.11 counterexample; catalog 002 DS-A)",
                    {"alpha": alpha, "setting": "nonsymmetric"}, alpha=alpha)


def ds_k(alpha: float = 0.0) -> Dataset:
    """lyu2021 I.1.1 / Figure 1 (left): symmetric data with a suboptimal KKT direction (catalog 002 DS-K).

    alpha = 0: x = (1, -1), (1, 0), (1, 1) (y = +1) and negations. alpha in (0, 1): x = (1, cot b), (1, 0),
    (1, -cot b) with alpha = cos 2b / (2 sin^2 b + cos b) (b solved numerically; b = 0.441594 at 1/2).
    Inputs have norm > 1 (the paper's ||x|| <= 1 does not hold for this example).
    """
    if alpha == 0:
        t = 1.0
        beta = math.pi / 4
    else:
        beta = brentq(lambda b: math.cos(2 * b) / (2 * math.sin(b) ** 2 + math.cos(b)) - alpha, 1e-9, math.pi / 4)
        t = 1.0 / math.tan(beta)
    P = np.array([[1.0, t], [1.0, 0.0], [1.0, -t]])
    return _dataset(np.vstack([P, -P]), np.r_[np.ones(3), -np.ones(3)], "DS-K",
                    "App. I.1.1 / Figure 1 left (catalog 002 DS-K)", {"alpha": alpha, "beta": beta}, alpha=alpha)


def ds_o() -> Dataset:
    """lyu2021 App. H orthogonally separable data (catalog 002 DS-O), ReLU (alpha = 0).

    Positives (1, 0.2), (0.8, 0.6), (0.9, -0.1); negatives (-0.3, -1), (-0.6, -0.7).
    """
    X = np.array([[1.0, 0.2], [0.8, 0.6], [0.9, -0.1], [-0.3, -1.0], [-0.6, -0.7]])
    return _dataset(X, [1.0, 1.0, 1.0, -1.0, -1.0], "DS-O", "App. H (catalog 002 DS-O)",
                    {"alpha": 0.0, "setting": "orthogonal"}, alpha=0.0)


def ds_o_rotated(degrees: float = 40.0) -> Dataset:
    """DS-O rotated by ``degrees`` (orthogonal separability is rotation invariant): ``x -> x R`` with
    R = [[cos, sin], [-sin, cos]]."""
    ds = ds_o()
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return ds.with_data(X=ds.X @ np.array([[c, s], [-s, c]]), name=f"{KEY}.DS-O-rot")


@lru_cache(maxsize=8)
def hinted_generic(seed: int = 4, alpha: float = 0.5) -> Dataset:
    """A generic (H, K, eps, w_perp)-hinted dataset (Definition 6.1) on a random separable base set S
    (3 positives, 3 negatives in d = 2, :func:`symmetric_separable` (n_half=3, margin=0.3)),
    K = 1, eps = alpha min_S y<w*,x>/2, H = 2 max(H_0, (||sum y x^-|| + ||sum y x^+||)/(1 - alpha)) (App. A.2
    with the explicit form of catalog F6), all inputs divided by max ||x|| so ||x|| <= 1 (l.296)."""
    base = symmetric_separable(n_half=3, d=2, margin=0.3, seed=seed, alpha=alpha)
    X, y = base.X, base.y
    ws, gs = _max_margin(X, y)
    eps = 0.5 * alpha * gs
    probe = hinted(X, y, 1.0, 1.0, eps, w_star=ws, alpha=alpha)
    th = hinted_thresholds(probe, alpha)
    Xp, Xm = geo.x_pm(probe.X, probe.y, alpha)
    expl = (np.linalg.norm((probe.y[1:, None] * Xm[1:]).sum(0)) + np.linalg.norm((probe.y[1:, None] * Xp[1:]).sum(0)))
    H = 2.0 * max(th["H0"], expl / (1 - alpha), eps)
    ds = hinted(X, y, H, 1.0, eps, w_star=ws, alpha=alpha, name="hinted-generic",
                source="Definition 6.1 on random separable data")
    sc = 1.0 / float(np.max(np.linalg.norm(ds.X, axis=1)))
    return ds.with_data(X=ds.X * sc, params={**ds.params, "scale": sc})


def dsk_kkt_point(alpha: float, beta: float):
    """The KKT-margin point of App. I.1.1 (l.9190-9210) for alpha in (0, 1): a_1 = a_2 = (2(1+alpha) cos b)^{-1/2},
    w_{1,2} = a_1 (cos b, +-sin b), a_3 = -(1+alpha)^{-1/2}, w_3 = -a_3 (-1, 0); alpha = 0: a_{1,2} = 2^{-1/4},
    w_{1,2} = 2^{-3/4}(1, +-1), a_3 = -1, w_3 = (-1, 0)."""
    if alpha == 0:
        c = 2 ** -0.75
        return np.array([2 ** -0.25, 2 ** -0.25, -1.0]), np.array([[c, c], [c, -c], [-1.0, 0.0]])
    a1 = (2 * (1 + alpha) * math.cos(beta)) ** -0.5
    a3 = -(1 + alpha) ** -0.5
    return (np.array([a1, a1, a3]),
            np.array([[a1 * math.cos(beta), a1 * math.sin(beta)], [a1 * math.cos(beta), -a1 * math.sin(beta)],
                      [a3, 0.0]]))


# ============================================================================ validation


def _symmetric_pairs(X, y, tol):
    """Match every (x, y) with a (-x, -y); return the first unmatched index or None."""
    unmatched = None
    used = np.zeros(len(y), dtype=bool)
    scale = max(1.0, float(np.max(np.abs(X))))
    for i in range(len(y)):
        if used[i]:
            continue
        dist = np.linalg.norm(X + X[i], axis=1)
        dist[used | (y != -y[i])] = np.inf
        dist[i] = np.inf
        j = int(np.argmin(dist))
        if dist[j] > tol * scale:
            return i, float(dist[j])
        used[i] = used[j] = True
    return unmatched


def validate(ds: Dataset, *, alpha: float | None = None, setting: str = "auto", w_odot=None,
             tol: float = 1e-12) -> Validation:
    """lyu2021 hypotheses for the symmetric (§4-5), non-symmetric (App. A) or hinted (§6, App. A.2) setting.

    Always: labels in {-1, +1}; ||x_i|| <= 1 (l.296, used by every constant of App. B-E); Assumption 3.2
    (linear separability, an LP).

    * ``"symmetric"``: Assumption 4.1 (x in S => (-x, -y) in S, matched up to ``tol``) and 4.5 (<mu, x_i> != 0).
    * ``"nonsymmetric"``: Assumption A.1 evaluated at one candidate w^⊙ (``w_odot``, default the max-margin w*;
      A.1 asks for SOME w^⊙, so a failure here only means "not established at this w^⊙"), A.2, A.3.
    * ``"orthogonal"`` (App. H, ReLU): Definition H.1, <x_i, x_j> > 0 if y_i = y_j and <= 0 otherwise.
    * ``"hinted"``: Definition 6.1 (w* is the max-margin direction of the base set, w_perp ⊥ w*, the three
      hints), the parameter conditions of Theorem 6.2 (App. A.2: eps < alpha min_S y <w*, x>, K > 0,
      H > max{eps, H_0, n ||mu^-|| + ||sum_{j>1} y_j x_j^+||}), then the non-symmetric checks with w^⊙ = w*.

    ``setting="auto"`` uses ``ds.params["setting"]`` (hinted datasets: "hinted"), else "symmetric".
    ``alpha`` is the leaky slope (default: the dataset's gamma, else 1/2 as in Figure 1).
    """
    X, y = ds.X, ds.y
    alpha = ds.gamma if alpha is None else alpha
    alpha = 0.5 if alpha is None else alpha
    if setting == "auto":
        setting = ds.params.get("setting", "hinted" if ds.params.get("hinted") else "symmetric")
    if setting not in ("symmetric", "nonsymmetric", "hinted", "orthogonal"):
        raise ValueError("setting must be 'auto', 'symmetric', 'nonsymmetric', 'hinted' or 'orthogonal'; "
                         f"got {setting!r}")
    out = Validation(dataset=ds.name)
    labels_ok = bool(np.all(np.isin(y, (-1.0, 1.0))))
    out.append(assumption_check("labels in {-1, +1}", labels_ok, "ok" if labels_ok else f"labels {np.unique(y)}"))
    xmax = float(np.max(np.linalg.norm(X, axis=1)))
    out.append(assumption_check("||x_i|| <= 1 (l.296)", xmax <= 1 + 1e-12, f"max ||x_i|| = {fmt_number(xmax)}"))
    feas, _ = _separable(X, y)
    out.append(assumption_check("Assumption 3.2 (linearly separable)", feas,
                      "LP y_i <w,x_i> >= 1 feasible" if feas else "LP y_i <w,x_i> >= 1 infeasible"))
    if setting == "symmetric":
        miss = _symmetric_pairs(X, y, tol)
        out.append(assumption_check("Assumption 4.1 (symmetric: (x, y) in S => (-x, -y) in S)", miss is None,
                          "every point has its negation with the opposite label" if miss is None else
                          f"x_{miss[0] + 1} = {fmt_vector(X[miss[0]])} (y = {fmt_number(y[miss[0]])}) has no (-x, -y) partner "
                          f"(nearest at distance {fmt_number(miss[1])})"))
        mu = geo.mu_vector(X, y)
        dots = np.abs(X @ mu)
        k = int(np.argmin(dots))
        out.append(assumption_check("Assumption 4.5 (<mu, x_i> != 0)", dots[k] > tol * max(1.0, float(np.linalg.norm(mu))),
                          f"mu = {fmt_vector(mu)}, min_i |<mu,x_i>| = {fmt_number(dots[k])} at i = {k + 1}"))
        return out
    if setting == "orthogonal":
        Gm = X @ X.T
        same = np.equal.outer(y, y)
        bad = np.argwhere((same & (Gm <= 0)) | (~same & (Gm > 0)))
        out.append(assumption_check("Definition H.1 (orthogonally separable)", bad.size == 0,
                          "same-label pairs have <x_i,x_j> > 0, opposite-label pairs <= 0" if bad.size == 0 else
                          f"<x_{bad[0][0] + 1},x_{bad[0][1] + 1}> = {fmt_number(Gm[tuple(bad[0])])} with y = "
                          f"({fmt_number(y[bad[0][0]])}, {fmt_number(y[bad[0][1]])})"))
        return out
    if not 0 < alpha < 1:
        out.append(assumption_check("leaky slope alpha in (0, 1) (App. A)", False, f"alpha = {fmt_number(alpha)}"))
        return out
    if setting == "hinted":
        out.extend(_validate_hinted(ds, alpha))
        if w_odot is None and "w_star" in ds.params:
            w_odot = np.asarray(ds.params["w_star"])
    if w_odot is None:
        if not feas:
            out.append(assumption_check("Assumption A.1", False, "no max-margin direction: data not separable"))
            return out
        w_odot = _max_margin(X, y)[0]
    out.extend(validate_appendix_a(X, y, alpha, unit_vector(np.asarray(w_odot, dtype=float))))
    return out


def _validate_hinted(ds: Dataset, alpha: float) -> list[AssumptionCheck]:
    """Definition 6.1 and the parameter conditions of Theorem 6.2 (lyu2021 App. A.2, l.1113-1217)."""
    p = ds.params
    need = ("H", "K", "eps", "w_star", "w_perp", "n_base")
    if any(k not in p for k in need):
        if p.get("user"):   # a user's data that hinted_from_points could not read (too few points, S not separable)
            return [assumption_check("Definition 6.1 (hinted dataset)", False,
                                     f"not a hinted set: needs n >= 5 points in d >= 2 whose points 4..n (S) are "
                                     f"linearly separable; here n = {len(ds.y)}, d = {ds.X.shape[1]}")]
        return [assumption_check("Definition 6.1 (hinted dataset)", False,
                       f"params lack {[k for k in need if k not in p]}; build the data with hinted()")]
    X, y = ds.X, ds.y
    sc = p.get("scale", 1.0)
    H, K, eps = p["H"] * sc, p["K"] * sc, p["eps"] * sc
    ws, wp = np.asarray(p["w_star"]), np.asarray(p["w_perp"])
    S, Sy = X[3:], y[3:]
    w_svm, g_svm = _max_margin(S, Sy)
    hints = np.array([H * ws, eps * ws + K * wp, eps * ws - K * wp])
    problems = []
    if np.linalg.norm(w_svm - ws) > 1e-6:
        problems.append(f"w* = {fmt_vector(ws)} but the SVM of S gives {fmt_vector(w_svm)}")
    if abs(np.linalg.norm(wp) - 1) > 1e-12 or abs(wp @ ws) > 1e-12:
        problems.append(f"w_perp = {fmt_vector(wp)} is not a unit vector orthogonal to w*")
    if np.max(np.abs(X[:3] - hints)) > 1e-12 * max(1.0, H) or np.any(y[:3] != 1):
        problems.append("the first three points are not (H w*, 1), (eps w* + K w_perp, 1), (eps w* - K w_perp, 1)")
    if min(H, K, eps) <= 0:
        problems.append(f"H, K, eps must be > 0 (H = {fmt_number(H)}, K = {fmt_number(K)}, eps = {fmt_number(eps)})")
    checks = [assumption_check("Definition 6.1 (hinted dataset)", not problems,
                     "; ".join(problems) if problems else
                     f"S separable with gamma_w* = {fmt_number(g_svm)}, w* = {fmt_vector(ws)}, w_perp = {fmt_vector(wp)}")]
    t = hinted_thresholds(ds, alpha)
    ok = eps < t["eps_max"] and K > 0 and H > max(eps, t["H0"], t["H_mu"])
    checks.append(assumption_check("Theorem 6.2 conditions (App. A.2)", ok,
                         f"eps = {fmt_number(eps)} vs alpha min_S y<w*,x> = {fmt_number(t['eps_max'])}; H = {fmt_number(H)} vs max(eps, "
                         f"H_0 = {fmt_number(t['H0'])}, n||mu^-|| + ||sum_(j>1) y_j x_j^+|| = {fmt_number(t['H_mu'])})"))
    return checks


def hinted_thresholds(ds: Dataset, alpha: float | None = None) -> dict:
    """The parameter thresholds of lyu2021 Theorem 6.2 (App. A.2, l.1113-1140) for a hinted dataset.

    eps_max = alpha min_{i in S} y_i <w*, x_i>; H0 = max_i ||P* x_i|| sum_i ||P* x_i|| / (alpha min_{i>1}
    <y_i x_i, w*>) - sum_{i>1} <w*, y_i x_i> (P* = I - w* w*^T; indices over S', hints first);
    H_mu = n ||mu^-|| + ||sum_{j>1} y_j x_j^+|| (it contains alpha H itself: catalog finding F6).
    """
    alpha = (ds.gamma if ds.gamma is not None else 0.5) if alpha is None else alpha
    X, y = ds.X, ds.y
    ws = np.asarray(ds.params["w_star"], dtype=float)
    Xp, _ = geo.x_pm(X, y, alpha)
    _, mu_m = geo.mu_pm(X, y, alpha)
    Pn = np.linalg.norm(X - np.outer(X @ ws, ws), axis=1)
    yxw = y * (X @ ws)
    return {
        "eps_max": float(alpha * np.min(y[3:] * (X[3:] @ ws))),
        "H0": float(Pn.max() * Pn.sum() / (alpha * yxw[1:].min()) - yxw[1:].sum()),
        "H_mu": float(len(y) * np.linalg.norm(mu_m) + np.linalg.norm((y[1:, None] * Xp[1:]).sum(axis=0))),
    }


def validate_appendix_a(X, y, alpha, w_odot) -> list[AssumptionCheck]:
    """lyu2021 Assumption A.1 at a given w^⊙ (l.958-975), A.2 (l.986-996), A.3 (l.1005)."""
    n = len(y)
    mu = geo.mu_vector(X, y)
    Pn = np.linalg.norm(X - np.outer(X @ w_odot, w_odot), axis=1)
    gam = float(np.min(y * (X @ w_odot)))
    lhs = Pn.mean() / (alpha * (mu @ w_odot)) if mu @ w_odot > 0 else math.inf
    rhs = gam / Pn.max() if Pn.max() > 0 else math.inf
    checks = [assumption_check("Assumption A.1 at w^⊙", gam > 0 and lhs < rhs,
                     f"w^⊙ = {fmt_vector(w_odot)}, gamma^⊙ = {fmt_number(gam)}; mean||P x|| / (alpha <mu,w^⊙>) = {fmt_number(lhs)} vs "
                     f"gamma^⊙ / max||P x|| = {fmt_number(rhs)} (slack {fmt_number(rhs - lhs)})")]
    Z = y[:, None] * X
    a2 = (Z @ mu) - (1 - alpha) / (n * alpha) * np.maximum(-(Z @ Z.T), 0).sum(axis=1)
    checks.append(assumption_check("Assumption A.2", a2.min() > 0,
                         f"min_i margin = {fmt_number(a2.min())} at i = {int(np.argmin(a2)) + 1}"))
    mu_p, mu_m = geo.mu_pm(X, y, alpha)
    checks.append(assumption_check("Assumption A.3 (||mu^+|| > ||mu^-||)", np.linalg.norm(mu_p) > np.linalg.norm(mu_m),
                         f"||mu^+|| = {fmt_number(np.linalg.norm(mu_p))}, ||mu^-|| = {fmt_number(np.linalg.norm(mu_m))}"))
    return checks


# ============================================================================ user data (earlyalign --data)


def user_dataset(X, y, name: str = "user data", alpha: float = 0.5, setting: str | None = None) -> Dataset:
    """A user's data (``earlyalign --data``) as a lyu2021 :class:`Dataset`: the arrays as given, leaky slope
    ``alpha`` (the user's gamma), ``setting`` for :func:`validate` ("symmetric", "nonsymmetric", "orthogonal",
    "hinted"). The loss is left unset (None): labels that are not +-1 are reported by :func:`validate` and the
    claims' model hypothesis (NOT_APPLICABLE), never an exception while the data is being read."""
    params = {"user": True}
    if setting:
        params["setting"] = setting
    return Dataset(np.asarray(X, dtype=float), np.asarray(y, dtype=float), name, "user data (earlyalign --data)",
                   None, params, gamma=alpha)


def hinted_from_points(X, y, alpha: float = 0.5) -> Dataset | None:
    """Read a user dataset as a hinted one (Definition 6.1, l.849-855): the first three points are the hints, the rest
    is S. w* is the max-margin direction of S (SVM polished exactly, numerics.convex.polish_svm), and the hints give
    H = <x_1, w*>, eps = <(x_2 + x_3)/2, w*>, K w_perp = (x_2 - x_3)/2 (K = its norm). Returns the dataset with those
    parameters (``setting="hinted"``, scale 1), for :func:`validate` to judge whether it IS hinted (x_1 = H w*, the
    hints' components, w_perp orthogonal to w*); None when S is empty or not separable (no w*)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(y) < 5 or X.shape[1] < 2 or not _separable(X[3:], y[3:])[0]:
        return None
    pol = polish_svm(X[3:], y[3:], dps=30)
    if not pol.ok:
        return None
    ws = np.array([float(v) for v in pol.direction])
    kp = (X[1] - X[2]) / 2
    K = float(np.linalg.norm(kp))
    wp = kp / K if K > 0 else np.zeros_like(kp)
    params = {"H": float(X[0] @ ws), "K": K, "eps": float((X[1] + X[2]) @ ws / 2), "w_star": tuple(ws),
              "w_perp": tuple(wp), "alpha": alpha, "n_base": len(y) - 3, "hinted": True, "setting": "hinted",
              "user": True}
    return Dataset(X, y, "user data (read as hinted)", "user data (earlyalign --data), Definition 6.1 reading",
                   None, params, gamma=alpha)


class UserSettings(BaseUserSettings):
    """The settings of a user's dataset as one lyu2021 claim reads them (:class:`theory.usersettings.UserSettings`:
    ``get``, ``sigma``, ``instance``, which refuses every unread setting by name), plus ``seed`` and ``init``.
    ``alpha`` is the user's gamma, or the paper's default (1/2, as in Figure 1; 0 for the ReLU claims of App. H);
    every instance carries it."""

    def __init__(self, ds, relu: bool = False):
        super().__init__(ds)
        self.alpha = float(ds.gamma) if ds.gamma is not None else (0.0 if relu else 0.5)
        self.source = {"alpha": "gamma given" if ds.gamma is not None else "default"}

    def extra_params(self) -> dict:
        return {"alpha": self.alpha}

    def seed(self, default=0, pick=None):
        """The init seed: the user's, else ``pick()`` (e.g. the first seed of the success event) or ``default``."""
        if "seed" in self.given or pick is None:
            return int(self._use("seed", default))
        self.used.append("seed")
        self.source["seed"] = "default: first seed of the theorem's event"
        return int(pick())

    def init(self, allowed=("gaussian",)):
        """The init scheme: "gaussian" is the paper's D_init (w ~ N(0, I), a ~ N(0, c_a^2)), "balanced-gaussian" its
        balanced D~_init (a_k = s_k ||w_k||); the first of ``allowed`` is the claim's default."""
        v = self._use("init", allowed[0])
        if v not in allowed:
            self.refused["init"] = f"params.init = {v!r}: this claim runs from {' or '.join(map(repr, allowed))}"
            v = allowed[0]
        return {"gaussian": {"c_a": 1.0}, "balanced-gaussian": {"init": "balanced"}}[v]


def flow_cost(n: int, m: int, log10_t: float | None = None, runs: int = 2, T: float | None = None) -> str:
    """What a flow on a user's data will cost, said before it starts: n, m, horizon and an estimate. A limit run to
    t = 1e250 takes ~1200 adaptive steps, measured on this toolkit (2 shared cores) at ~2 + 0.011 n m seconds; a shorter
    horizon 1e(log10_t) costs about the fraction log10_t/250 of it (at least 5%), a finite window [0, T] ~ T/300."""
    hor = f"t to 1e{log10_t:g}" if log10_t is not None else f"t in [0, {T:g}]"
    frac = max(0.05, log10_t / 250.0) if log10_t is not None else max(0.05, min(1.0, float(T) / 300.0))
    est = runs * (2.0 + 0.011 * n * m) * frac
    return f"cost: n = {n}, m = {m}, {hor}, {runs} flow(s): estimated ~{est:.0f} s"


def pattern_count_bound(X) -> tuple[int, int, int]:
    """(bound, n', rank): Cover's bound 2 sum_{k<rank} binom(n'-1, k) (numerics.patterns.cover_bound) on the number of
    activation patterns of the arrangement {<x_i, u> = 0}, n' the number of distinct hyperplanes (x and -x, and
    parallel inputs, share one; directions compared to 1e-12), rank the rank of X. The exact enumeration of the convex
    reformulation (numerics.convex.max_margin_network) solves one group-lasso block per pattern."""
    X = np.asarray(X, dtype=float)
    nz = X[np.linalg.norm(X, axis=1) > 0]
    if len(nz) == 0:
        return 1, 0, 0
    U = nz / np.linalg.norm(nz, axis=1, keepdims=True)
    first = np.array([row[np.flatnonzero(np.abs(row) > 1e-12)[0]] for row in U])
    U = U * np.sign(first)[:, None]
    distinct = len({tuple(np.round(u, 12)) for u in U})
    rank = int(np.linalg.matrix_rank(nz))
    return cover_bound(distinct, rank), distinct, rank


# ============================================================================ registry

DATASETS = {
    "DS-S": ds_s,
    "DS-S2": ds_s2,
    "DS-H": ds_h,
    "DS-A": ds_a,
    "DS-K": ds_k,
    "DS-O": ds_o,
    "symmetric": symmetric_separable,
}
