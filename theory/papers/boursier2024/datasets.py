"""boursier2024's datasets (catalog ``claims_003.md`` §1.1) and the validator of its assumptions.

Every construction returns a :class:`numerics.datasets.Dataset` named ``boursier2024.<name>`` with the paper's
model settings (ReLU, 1/2 square loss, mean reduction: Eq. (10)); :func:`validate` checks Assumptions 1, 3
(+ Theorem 2's eta < 1/6), 4, 5 and 6 with the numbers in every reason. The registry exposes
:data:`DATASETS` as ``"boursier2024.DS-P"``, ...
"""
from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from numerics.datasets import Dataset, DatasetError, Validation, assumption_check, fmt_number, as_rng, fmt_vector, append_bias
from numerics.geometry import data_cone_extreme_indices

from .paper import KEY

__all__ = ["three_point", "three_point_box", "ds_g", "ds_s6", "ds_v", "ds_2n", "stewart", "STEWART_KNOTS",
           "assumption3_eta_min", "validate", "DATASETS"]


def _dataset(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{KEY}.{name}", f"{KEY} {source}", KEY, params, gamma=0.0, loss="square",
                   reduction="mean", notes=notes)


def three_point(eta: float = 0.1) -> Dataset:
    """boursier2024 DS-P(eta) (catalog 003 §1.1): the symmetric member of the Assumption-3 family.

    x_1 = (-(1-eta), 1), x_2 = (0, 1), x_3 = (1-eta, 1), y = (1, eta/2, 1); satisfies Assumptions 3-6 for
    eta in (0, 1/6]. Closed forms: D_max = ||D*|| = (4+eta)/6, D_min = sqrt(1+s^2)/3 (s = 1-eta),
    delta_0 = (4+eta)/(6 sqrt(1+s^2)), L_{beta*} = (2-eta)^2/36.
    """
    if not 0 < eta < 1:
        raise DatasetError(f"DS-P needs eta in (0, 1); got {eta}")
    s = 1.0 - eta
    X = np.array([[-s, 1.0], [0.0, 1.0], [s, 1.0]])
    return _dataset(X, [1.0, eta / 2, 1.0], "DS-P", "Assumption 3 (§4, l.226-232); catalog 003 DS-P(eta)",
                {"eta": eta})


def three_point_box(eta: float = 0.1, seed=0) -> Dataset:
    """A random 3-point dataset uniform in the Assumption-3 box of boursier2024 (§4, l.226-232).

    x_1 in (-1, -1+eta] x [1, 1+eta], y_1 in [1, 1+eta]; x_2 in [-eta, eta] x [1-eta, 1+eta],
    y_2 in (0, eta]; x_3 in [1-eta, 1) x [1, 1+eta], y_3 in [1, 1+eta]. Open ends are avoided by
    drawing from the closed box shrunk by 1e-9 eta at the open sides. Theorem 2 needs eta < 1/6.
    """
    if not 0 < eta < 1:
        raise DatasetError(f"the Assumption-3 box needs eta in (0, 1); got {eta}")
    rng = as_rng(seed)
    e = 1e-9 * eta
    lo = np.array([-1 + e, 1, 1, -eta, 1 - eta, e, 1 - eta, 1, 1])
    hi = np.array([-1 + eta, 1 + eta, 1 + eta, eta, 1 + eta, eta, 1 - e, 1 + eta, 1 + eta])
    v = rng.uniform(lo, hi)
    X = np.array([[v[0], v[1]], [v[3], v[4]], [v[6], v[7]]])
    return _dataset(X, [v[2], v[5], v[8]], "box", "Assumption 3 (§4, l.226-232): random point of the box",
                {"eta": eta, "seed": seed if not isinstance(seed, np.random.Generator) else None})


def ds_g() -> Dataset:
    """boursier2024 DS-G (catalog 003 §1.1, the recommended default): a generic eta = 0.1 point of Assumption 3.

    x = (-0.95, 1.02), (0.03, 0.98), (0.92, 1.04), y = (1.05, 0.05, 1.02). D* = (-0.0192, 0.7269333),
    D_min = 0.472098, alpha_min,+ = 0.117944, delta_0 = 0.531749 (pre-checked values).
    """
    X = np.array([[-0.95, 1.02], [0.03, 0.98], [0.92, 1.04]])
    return _dataset(X, [1.05, 0.05, 1.02], "DS-G", "Assumption 3 (§4); catalog 003 DS-G", {"eta": 0.1})


def ds_s6() -> Dataset:
    """boursier2024 §6 / Figure 2 / App. B.1 data (the authors' '3 points'): z = (-0.75, -0.5, 0.125),
    y = (1.1, 0.1, 0.8), x_k = (z_k, 1). Outside Assumption 3 (needs eta >= 0.875); Assumption 5 fails.

    Authors' setting: balanced init, lambda = 1e-3, m = 200 000, GD lr 1e-3 on MSELoss(mean) (= 2 x Eq. (10)).
    """
    return _dataset(append_bias([-0.75, -0.5, 0.125]), [1.1, 0.1, 0.8], "DS-S6",
                "§6 / Figure 2 / App. B.1 (authors' '3 points'; catalog 003 DS-S6)",
                {"lambda": 1e-3, "m": 200_000, "init": "balanced"})


def ds_v() -> Dataset:
    """boursier2024 DS-V (catalog 003 F1): an eta = 0.16 < 1/6 point of the Assumption-3 box where the
    printed Assumption 5 FAILS (margin -0.43), contradicting Lemma 8.

    x = (-0.84, 1), (-0.16, 1.16), (0.84, 1.16), y = (1, 0.16, 1.16).
    """
    X = np.array([[-0.84, 1.0], [-0.16, 1.16], [0.84, 1.16]])
    return _dataset(X, [1.0, 0.16, 1.16], "DS-V", "Lemma 8 counterexample (catalog 003 DS-V, finding F1)",
                {"eta": 0.16})


def ds_2n(y=(1.0, 1.0)) -> Dataset:
    """boursier2024 DS-2N (catalog 003 §1.1): x_1 = (1, 0.3), x_2 = (-0.4, 1), <x_1, x_2> = -0.1.

    With y = (1, 1): five extremal vectors (three sector maxima of G, two ray minima); violates
    Assumption 4. y = (-1, -1) mirrors the picture.
    """
    X = np.array([[1.0, 0.3], [-0.4, 1.0]])
    return _dataset(X, list(y), "DS-2N", "Theorem 1 multi-extremal example (catalog 003 DS-2N)", {"y": tuple(y)})


STEWART_KNOTS = (
    (-1.0, -0.7, -0.55, -0.4, 0.0, 0.5, 0.6, 0.7, 1.0),
    (0.0, 0.7, 0.5, 1.0, 0.0, 1.0, 0.6, 0.7, 0.0),
)


def stewart(n: int = 40, seed: int = 0) -> Dataset:
    """boursier2024 App. B.2 / Figure 3 (Stewart et al. 2022): z_i ~ U[-1, 1], y_i = f*(z_i), x_i = (z_i, 1).

    f* is the piecewise-linear interpolant of the knots in ``STEWART_KNOTS`` (authors' early_alignment.py,
    'stewart'). The authors set no seed, so their sample is not reproducible; here the seed is fixed.
    Authors' setting: unbalanced init w~ ~ N(0, I_2), a~ ~ N(0, 1), lambda = 1e-3.
    """
    z = as_rng(seed).uniform(-1.0, 1.0, size=n)
    y = np.interp(z, *STEWART_KNOTS)
    return _dataset(append_bias(z), y, "stewart", "App. B.2 / Figure 3 (Stewart et al. data)",
                {"n": n, "seed": seed, "init": "unbalanced", "lambda": 1e-3})


def assumption3_eta_min(X, y):
    """(fixed_ok, eta_min, reason) for boursier2024 Assumption 3 (l.226-232).

    The box constraints split into eta-free ones (x_1^1 > -1, x_1^2 >= 1, y_1 >= 1, y_2 > 0, x_3^1 < 1,
    x_3^2 >= 1, y_3 >= 1) and lower bounds on eta; the data lie in the box for eta iff fixed_ok and
    eta >= eta_min (all eta-dependent ends are closed). Points are taken in the given order (x_1 left,
    x_2 middle, x_3 right).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.shape != (3, 2) or y.shape != (3,):
        return False, math.inf, f"needs 3 points in R^2 (x_k = (z_k, 1)-like); got X of shape {X.shape}"
    (a1, b1), (a2, b2), (a3, b3) = X
    fixed = [("x_1^1 > -1", a1 > -1), ("x_1^2 >= 1", b1 >= 1), ("y_1 >= 1", y[0] >= 1), ("y_2 > 0", y[1] > 0),
             ("x_3^1 < 1", a3 < 1), ("x_3^2 >= 1", b3 >= 1), ("y_3 >= 1", y[2] >= 1)]
    bad = [name for name, ok in fixed if not ok]
    need = {"x_1^1 + 1": a1 + 1, "x_1^2 - 1": b1 - 1, "y_1 - 1": y[0] - 1, "|x_2^1|": abs(a2),
            "|x_2^2 - 1|": abs(b2 - 1), "y_2": y[1], "1 - x_3^1": 1 - a3, "x_3^2 - 1": b3 - 1, "y_3 - 1": y[2] - 1}
    arg = max(need, key=need.get)
    eta_min = float(need[arg])
    if bad:
        return False, eta_min, (f"violates {', '.join(bad)} (for every eta); the eta-dependent ends alone "
                                f"would need eta >= {fmt_number(eta_min)}")
    return True, eta_min, f"smallest eta = {fmt_number(eta_min)} (set by {arg})"


def _ols_least_squares(X, y):
    """OLS beta* = (X^T X)^{-1} X^T y (boursier2024 l.240)."""
    return np.linalg.lstsq(X, y, rcond=None)[0]


def assumption6_ii_circle(X, y, N: int = 100_000):
    """Assumption 6 (ii) (App. A, l.530-546) on the circle (d = 2), by a grid of N angles (offset by half a step from
    the axes). With r = y - X beta* and, for a pattern u, D~_u = (1/n) sum_{u_k = 1} r_k x_k (Eq. (12)):

    * condition 1: for every mixed sector u (entries +-1, both signs) whose closure touches x_k^perp with k in K
      (a sign change of <w, x_k> between consecutive grid angles), u_k <D~_u, x_k>/||x_k|| > 0 (on a sector
      𝔇_u = {D~_u}; for a ray the infimum over A^{-1}(u) of |cos(w, x_k)| is a positive constant, above a small enough
      delta_u, so the condition is vacuous there);
    * condition 2: <D~_u, w> > 0 at every grid angle w in a mixed sector where w is strictly K-mixed (max_{k in K}
      cos(w, x_k) > 0 > min_{k in K} cos(w, x_k)): the union over delta > 0 of the sets A_delta^{-1}(u) (any delta_u
      serves), so 'inf over A_delta > 0 for every small delta' holds iff the minimum found is > 0 (it may tend to 0
      at the boundary of that union, where every A_delta stays away).

    Returns (cond1_min, cond2_min) (+inf where no (u, k) or no angle qualifies)."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    n = len(y)
    r = y - X @ _ols_least_squares(X, y)
    K = data_cone_extreme_indices(X)
    th = (np.arange(N) + 0.5) * (2 * np.pi / N)
    Wg = np.stack([np.cos(th), np.sin(th)], axis=1)
    Z = Wg @ X.T
    U = np.sign(Z)
    mixed = np.any(U > 0, axis=1) & np.any(U < 0, axis=1)
    Dt = ((U > 0) * r / n) @ X
    f = np.sum(Dt * Wg, axis=1)
    C = Z[:, K] / np.linalg.norm(X[K], axis=1)
    kmixed = mixed & (C.max(axis=1) > 0) & (C.min(axis=1) < 0) if K else np.zeros(N, bool)
    cond2 = float(f[kmixed].min()) if kmixed.any() else math.inf
    cond1 = math.inf
    xn = np.linalg.norm(X, axis=1)
    nxt = np.roll(np.arange(N), -1)
    for i in np.flatnonzero(np.any(U != U[nxt], axis=1)):
        crossed = [k for k in np.flatnonzero(U[i] != U[nxt[i]]) if k in K]
        for j in (i, nxt[i]):
            if mixed[j]:
                for k in crossed:
                    cond1 = min(cond1, float(U[j, k] * (Dt[j] @ X[k]) / xn[k]))
    return cond1, cond2


def validate(ds: Dataset, *, eta: float | None = None, loss: str | None = None) -> Validation:
    """boursier2024 Assumptions 1, 3 (+ Theorem 2's eta < 1/6), 4, 5, 6 (§2, §4, App. A l.513-546).

    * Assumption 1 (loss): d ell/d yhat 1-Lipschitz, ell'(0, y) != 0 for y != 0: square 1/2 (yhat - y)^2 yes;
      logistic iff |y| <= 2.
    * Assumption 3: the 3-point box (see :func:`assumption3_eta_min`); with ``eta`` given, membership for that
      eta; "Theorem 2 (eta < 1/6)": the box holds for some eta < 1/6.
    * Assumption 4: <x_k, x_k'> > 0, y_k > 0, n >= d, every family of <= d inputs linearly independent.
    * Assumption 5 (printed, l.517): for k in K, y_k ||x_k||^2 > sqrt(sum_k' y_k'^2) sqrt(sum_{k' != k}
      <x_k', x_k>^2) (K: :func:`numerics.geometry.data_cone_extreme_indices`).
    * Assumption 6 (i): <beta*, x_k> < y_k for k in K. Item (ii): for n = 3, d = 2 the proof of Lemma 8 (Eqs.
      (15)-(16)) reduces it to (i); for other data in R^2 it is evaluated on the circle (:func:`assumption6_ii_circle`);
      for d > 2 it is reported as not decided (fails).
    """
    X, y = ds.X, ds.y
    loss = loss or ds.loss or "square"
    out = Validation(dataset=ds.name)
    if loss == "square":
        out.append(assumption_check("Assumption 1 (loss regularity)", True, "1/2 (yhat - y)^2: ell' = yhat - y is 1-Lipschitz"))
    else:
        ymax = float(np.max(np.abs(y)))
        out.append(assumption_check("Assumption 1 (loss regularity)", ymax <= 2 and np.all(y != 0),
                          f"logistic: sup |ell''| = max y^2/4 = {fmt_number(ymax ** 2 / 4)} (needs <= 1), "
                          f"min |y| = {fmt_number(np.min(np.abs(y)))}"))
    fixed_ok, eta_min, why = assumption3_eta_min(X, y)
    if eta is None:
        out.append(assumption_check("Assumption 3 (3-point box)", fixed_ok, why))
    else:
        out.append(assumption_check("Assumption 3 (3-point box)", fixed_ok and eta >= eta_min,
                          f"eta = {fmt_number(eta)}: " + why))
    out.append(assumption_check("Theorem 2 (Assumption 3 with eta < 1/6)", fixed_ok and eta_min < 1 / 6,
                      f"smallest admissible eta = {fmt_number(eta_min)} vs 1/6 = {fmt_number(1 / 6)}" if fixed_ok else why))
    # Assumption 4
    Gm = X @ X.T
    i, j = np.unravel_index(np.argmin(Gm), Gm.shape)
    reasons, ok4 = [], True
    if Gm[i, j] <= 0:
        ok4 = False
        reasons.append(f"<x_{i + 1},x_{j + 1}> = {fmt_number(Gm[i, j])} <= 0")
    if np.any(y <= 0):
        ok4 = False
        k = int(np.argmin(y))
        reasons.append(f"y_{k + 1} = {fmt_number(y[k])} <= 0")
    if ds.n < ds.d:
        ok4 = False
        reasons.append(f"n = {ds.n} < d = {ds.d}")
    for size in range(1, min(ds.d, ds.n) + 1):
        for sub in combinations(range(ds.n), size):
            if np.linalg.matrix_rank(X[list(sub)], tol=1e-12 * np.max(np.abs(X))) < size:
                ok4 = False
                reasons.append("x_" + ",x_".join(str(s + 1) for s in sub) + " linearly dependent")
                break
    out.append(assumption_check("Assumption 4 (positive Gram, positive labels, general position)", ok4,
                      "; ".join(reasons) if reasons else f"min <x_k,x_k'> = {fmt_number(Gm[i, j])}, min y = {fmt_number(np.min(y))}"))
    # Assumption 5 (printed) and 6
    K = data_cone_extreme_indices(X)
    ynorm = float(np.linalg.norm(y))
    margins = []
    for k in K:
        rhs = ynorm * math.sqrt(float(np.sum(np.delete(Gm[k], k) ** 2)))
        margins.append((y[k] * Gm[k, k] - rhs, k, y[k] * Gm[k, k], rhs))
    if margins:
        worst = min(margins)
        out.append(assumption_check("Assumption 5 (printed, l.517)", worst[0] > 0,
                          f"K = {[k + 1 for k in K]}; worst k = {worst[1] + 1}: y_k ||x_k||^2 = {fmt_number(worst[2])} vs "
                          f"sqrt(sum y^2) sqrt(sum_k'!=k <x_k',x_k>^2) = {fmt_number(worst[3])} (margin {fmt_number(worst[0])})"))
    else:
        out.append(assumption_check("Assumption 5 (printed, l.517)", False,
                          "K is empty (no data ray on the boundary of the data cone)"))
    beta = _ols_least_squares(X, y)
    resid = y - X @ beta
    ok6 = bool(K) and all(resid[k] > 1e-12 * float(np.max(np.abs(y))) for k in K)
    detail = ", ".join(f"y_{k + 1} - <beta*,x_{k + 1}> = {fmt_number(resid[k])}" for k in K)
    out.append(assumption_check("Assumption 6 (i) (<beta*, x_k> < y_k on K)", ok6, f"beta* = {fmt_vector(beta)}; {detail}"))
    if ds.n == 3 and ds.d == 2:
        out.append(assumption_check("Assumption 6 (ii)", ok6, "n = 3: reduces to (i) (Lemma 8 proof, Eqs. (15)-(16))"))
    elif ds.d == 2:
        c1, c2 = assumption6_ii_circle(X, y)
        out.append(assumption_check("Assumption 6 (ii)", c1 > 0 and c2 > 0,
                                    f"on the circle (1e5 angles): condition 1 min u_k <D~_u, x^_k> = {fmt_number(c1)}, "
                                    f"condition 2 min <D~_u, w> = {fmt_number(c2)} (both must be > 0)"))
    else:
        out.append(assumption_check("Assumption 6 (ii)", False, f"not decided by this validator for n = {ds.n}, d = {ds.d} "
                                    "(evaluated on the circle, d = 2, only)"))
    return out


DATASETS = {
    "DS-P": three_point,
    "DS-G": ds_g,
    "DS-S6": ds_s6,
    "DS-V": ds_v,
    "DS-2N": ds_2n,
    "box": three_point_box,
    "stewart": stewart,
}
