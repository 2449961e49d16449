"""boursier2022's datasets (orthonormal inputs, the catalog's DS-A ... DS-F) and its assumption validator.

Every construction returns a :class:`numerics.datasets.Dataset` named ``"boursier2022.<name>"`` with the
paper's model settings (square loss, ReLU, 1/n): ``DATASETS`` maps the short names (``"DS-A"``) to the
constructors (the registry exposes them as ``"boursier2022.DS-A"``). :func:`validate` checks Assumptions 1-3
(§2.1, l.161-301) and :func:`key_sets` computes S_{+,1}, S_{-,1} of Eqs. (5)-(6).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from numerics.datasets import Dataset, DatasetError, Validation, assumption_check, fmt_number, as_rng, append_bias
from numerics.geometry import D_plus_minus

from .paper import KEY

__all__ = ["orthonormal_inputs", "ds_a", "ds_b", "ds_c", "ds_e", "ds_f", "key_sets", "validate", "data_basis",
           "lemma12_floor", "level_thresholds", "DATASETS"]


def _dataset(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{KEY}.{name}", f"{KEY} {source}", KEY, params, gamma=0.0, loss="square",
                   reduction="mean", notes=notes)


def orthonormal_inputs(n: int = 4, d: int | None = None, y=None, seed=0, rotate: bool = False) -> Dataset:
    """Orthonormal inputs, boursier2022 Assumption 1 (§2.1, l.161): <x_k, x_k'> = 1_{k=k'}.

    x_k = e_k (``rotate=False``) or the first n rows of a Haar-random orthogonal d x d matrix (QR of a
    Gaussian with sign fix). ``y`` defaults to |y_k| ~ U[0.2, 1] with signs +,-,+,-,... shuffled (both
    signs present). Square loss, ReLU (Eq. (1)).
    """
    y_given = y is not None
    d = n if d is None else int(d)
    if d < n:
        raise DatasetError(f"orthonormal inputs need d >= n; got n = {n}, d = {d}")
    rng = as_rng(seed)
    if rotate:
        q, r = np.linalg.qr(rng.standard_normal((d, d)))
        X = (q * np.sign(np.diag(r)))[:n]
    else:
        X = np.eye(n, d)
    if y is None:
        if n < 2:
            raise DatasetError("need n >= 2 for labels of both signs")
        signs = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        y = rng.permutation(signs) * rng.uniform(0.2, 1.0, size=n)
    params = {"n": n, "d": d, "seed": seed if not isinstance(seed, np.random.Generator) else None,
              "rotate": rotate, "y_given": y_given}
    return _dataset(X, y, "orthonormal", "Assumption 1 (§2.1): orthonormal inputs", params)


def ds_a(rotate: bool = False, d: int = 6, seed: int = 0) -> Dataset:
    """DS-A (catalog 004 §1.3): n = d = 4, x_k = e_k, y = (1.0, 0.6, -0.5, -0.3).

    ||D_+|| = sqrt(34)/20, ||D_-|| = sqrt(34)/40, r = 2. Canonical init m = 40, seed 0 (Eq. (4)).
    ``rotate=True``: the catalog's rotated variant X = Q[:4, :] with orthonormal rows in R^d (d = 6).
    """
    y = np.array([1.0, 0.6, -0.5, -0.3])
    if rotate:
        X = orthonormal_inputs(4, d, y, seed=seed, rotate=True).X
    else:
        X = np.eye(4)
    return _dataset(X, y, "DS-A", "Assumption 1 (§2.1, l.161), x_k = e_k; catalog 004 §1.3 DS-A",
                    {"rotate": rotate, "d": X.shape[1], "seed": seed if rotate else None, "m": 40, "init_seed": 0})


def ds_b() -> Dataset:
    """DS-B, the §5 toy (Figs. 2-3): x_1 = (-0.5, 1), y_1 = -1; x_2 = (2, 1), y_2 = +1.

    Orthogonal but NOT normalised (||x_1||^2 = 1.25, ||x_2||^2 = 5): Assumption 1 fails as printed.
    Authors' code: 1-D inputs (-0.5, 2) with a bias coordinate, m = 60, lambda = 1e-6/sqrt(m).
    """
    return _dataset(append_bias([-0.5, 2.0]), [-1.0, 1.0], "DS-B", "§5 toy example, Figs. 2-3; catalog 004 DS-B",
                    {"m": 60})


def ds_c() -> Dataset:
    """DS-C (catalog 004 §1.3): x = e_1, e_2, y = (1.7, -1); r = 1.7 (allows larger eps)."""
    return _dataset(np.eye(2), [1.7, -1.0], "DS-C", "Assumption 1 (§2.1), two points; catalog 004 DS-C", {})


def ds_e() -> Dataset:
    """DS-E (catalog 004 F-12): X = diag(2, 1, 1), y = (1, 1, -1); orthogonal, unequal norms."""
    return _dataset(np.diag([2.0, 1.0, 1.0]), [1.0, 1.0, -1.0], "DS-E",
                    "§5 remark l.780 (orthogonal, unequal norms); catalog 004 DS-E, F-12", {"m": 40})


def ds_f(variant: str = "39688ff") -> Dataset:
    """DS-F, App. A.1 non-orthogonal 1-D data (authors' notebook training_dynamics.ipynb).

    x = (-1.5, -1, 0, 0.25, 2) with a bias coordinate 1. Labels differ between notebook versions:
    commit 39688ff (the catalog's DS-F) y = (0.7, -0.3, -0.4, 0.4, 0.2); HEAD dc5fce5 (commented out)
    y = (0.7, -0.3, -0.3, 0.4, 0.2). ``variant`` selects one.
    """
    ys = {"39688ff": [0.7, -0.3, -0.4, 0.4, 0.2], "dc5fce5": [0.7, -0.3, -0.3, 0.4, 0.2]}
    if variant not in ys:
        raise DatasetError(f"unknown DS-F variant {variant!r}; choose one of {sorted(ys)}")
    return _dataset(append_bias([-1.5, -1.0, 0.0, 0.25, 2.0]), ys[variant], "DS-F",
                    "App. A.1 non-orthogonal data; catalog 004 DS-F", {"variant": variant, "m": 60})


def key_sets(X, y, g, s):
    """S_{+,1}, S_{-,1} of Eqs. (5)-(6): s_j = +-1 and <g_j, x_k> >= 0 for all k with +-y_k > 0."""
    Z = np.asarray(g, dtype=float) @ X.T
    s = np.asarray(s, dtype=float)
    plus = np.flatnonzero((s > 0) & np.all(Z[:, y > 0] >= 0, axis=1))
    minus = np.flatnonzero((s < 0) & np.all(Z[:, y < 0] >= 0, axis=1))
    return plus, minus


def validate(ds: Dataset, *, g=None, s=None, tol: float = 1e-14) -> Validation:
    """Assumptions 1-3 (§2.1, l.161-301).

    * Assumption 1: <x_k, x_k'> = 1_{k=k'} (max |X X^T - I| <= tol); the reason says whether the inputs are
      orthogonal but not normalised.
    * Assumption 2: y_k != 0 and sum_{y_k>0} y_k^2 != sum_{y_k<0} y_k^2, decided exactly in rationals.
    * Assumption 3 (needs the init directions ``g`` (m, d) with w_j^0 = lambda g_j, and signs ``s``):
      S_{+,1} != ∅ and S_{-,1} != ∅ (Eqs. (5)-(6)); labels of one sign only fail it (the set of the missing sign is
      defined by a vacuous condition and D_+ or D_- = 0). Omitted when g, s are not given.
    """
    X, y = ds.X, ds.y
    out = Validation(dataset=ds.name)
    Gm = X @ X.T
    off = Gm - np.diag(np.diag(Gm))
    diag_err = np.abs(np.diag(Gm) - 1.0)
    if np.max(np.abs(Gm - np.eye(ds.n))) <= tol:
        out.append(assumption_check("Assumption 1 (orthonormal inputs)", True,
                          f"max |X X^T - I| = {fmt_number(np.max(np.abs(Gm - np.eye(ds.n))))}"))
    elif np.max(np.abs(off)) <= tol:
        k = int(np.argmax(diag_err))
        out.append(assumption_check("Assumption 1 (orthonormal inputs)", False,
                          f"orthogonal but not normalised: ||x_{k + 1}||^2 = {fmt_number(Gm[k, k])}"))
    else:
        i, j = np.unravel_index(np.argmax(np.abs(off)), off.shape)
        out.append(assumption_check("Assumption 1 (orthonormal inputs)", False,
                          f"not orthogonal: <x_{i + 1},x_{j + 1}> = {fmt_number(off[i, j])}"))
    zero = np.flatnonzero(y == 0)
    yp2 = sum((Fraction(float(v)) ** 2 for v in y if v > 0), Fraction(0))
    ym2 = sum((Fraction(float(v)) ** 2 for v in y if v < 0), Fraction(0))
    if zero.size:
        out.append(assumption_check("Assumption 2 (non-zero labels, ||y_+|| != ||y_-||)", False,
                                    f"y_{zero[0] + 1} = 0"))
    else:
        dp, dm = D_plus_minus(X, y)
        r = np.linalg.norm(dp) / np.linalg.norm(dm) if np.linalg.norm(dm) > 0 else math.inf
        out.append(assumption_check("Assumption 2 (non-zero labels, ||y_+|| != ||y_-||)", yp2 != ym2,
                          f"||y_+||^2 - ||y_-||^2 = {fmt_number(float(yp2 - ym2))} (exact rational test); "
                          f"r = ||D_+||/||D_-|| = {fmt_number(r)}"))
    if g is not None and s is not None:
        plus, minus = key_sets(X, y, g, s)
        n_pos, n_neg = int(np.sum(y > 0)), int(np.sum(y < 0))
        if n_pos == 0 or n_neg == 0:
            # Eqs. (5)-(6) quantify over the labels of one sign: with none, the condition is vacuous and D_+ or D_- = 0
            missing, sgn, eq = ("positive", "+", "5") if n_pos == 0 else ("negative", "-", "6")
            out.append(assumption_check(
                "Assumption 3 (S_{+,1} and S_{-,1} non-empty)", False,
                f"no {missing} label (n_+ = {n_pos}, n_- = {n_neg}): S_{{{sgn},1}} of Eq. ({eq}) is defined by the "
                f"{missing} labels and ||D_{sgn}|| = 0; the paper's phases need labels of both signs"))
        else:
            out.append(assumption_check("Assumption 3 (S_{+,1} and S_{-,1} non-empty)",
                                        plus.size > 0 and minus.size > 0,
                                        f"|S_+1| = {plus.size}, |S_-1| = {minus.size} of m = {len(np.ravel(s))} "
                                        "neurons"))
    return out


# =========================================================================== a user's data (earlyalign check --data)


def data_basis(X, tol: float = 1e-14):
    """The data's own orthonormal basis: for inputs with orthonormal rows (Assumption 1 to ``tol``) that are not along
    the axes, an orthogonal Q (d x d, from the complete QR of X^T) with X Q = [diag(s), 0] up to rounding, s_k = +-1;
    returns (X', Q) with X' = [diag(s), 0] exactly, else (None, None) (inputs along the axes already, or not
    orthonormal: then Assumption 1 fails on the data themselves).

    The flow (2)/(3) is rotation-equivariant: from the init w_j^0 = lambda g_j Q (the user's draw g_j carried along) on
    X' it is the user's flow mapped by Q^T, with every inner product, norm, loss and output unchanged. In that basis a
    coordinate <w_j, x_k> is a state component, exactly 0 once it dies (Lemma 6), as on x_k = e_k; on rotated inputs
    the engine leaves it at +-1e-16, whose sign float64 cannot decide (a dead neuron may then revive)."""
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    if n > d or np.all(np.count_nonzero(X, axis=1) == 1):
        return None, None
    if np.max(np.abs(X @ X.T - np.eye(n))) > tol:
        return None, None
    Q, R = np.linalg.qr(X.T, mode="complete")
    s = np.sign(np.diag(R))
    Xc = np.zeros((n, d))
    Xc[np.arange(n), np.arange(n)] = s
    return Xc, Q


def lemma12_floor(ym: float, delta3: float) -> float:
    """The distance ||theta^{t_3} - theta*|| that the definition of t_3 alone forces: at t_3 the S_{-,1} neurons carry
    sum ||w_j||^2 = ||y_-|| - delta_3 (delta_3 = lambda^{eps/29}, Lemma 4 (ii)), theta*'s carry ||y_-|| (DC-2), both
    balanced (|a_j| = ||w_j||, Lemma 1), so the distance is at least sqrt 2 (||y_-||^{1/2} - (||y_-|| - delta_3)^{1/2})
    (reverse triangle inequality on the S_{-,1} block)."""
    return math.sqrt(2.0) * (math.sqrt(ym) - math.sqrt(max(ym - delta3, 0.0)))


def level_thresholds(y, eps) -> dict:
    """log10 lambda below which the phase-3 claims can be judged: the levels of t_2 and t_3 are positive,
    n||D_+|| - lambda^{eps/5} > 0 iff lambda < ||y_+||^{5/eps} (Lemma 3 (ii)), n||D_-|| - lambda^{eps/29} > 0 iff
    lambda < ||y_-||^{29/eps} (Lemma 4 (ii)) (0 where every lambda < 1 qualifies: ||y_+-|| >= 1), and ("l12") Lemma 12's
    bound lambda^{eps/31} is at least :func:`lemma12_floor` (above that lambda the lemma is false by the definition of
    t_3 alone: its regime starts below; bisection in log10 lambda), ("l4i") Lemma 4 (i)'s allowed gap lambda^{eps/14}
    is below ||D_-|| (above, the bound says nothing of the alignment: every s_j = -1 neuron meets it, and its mutant
    cannot be rejected)."""
    y = np.asarray(y, float)
    out = {}
    for key, v, k in (("t2", y[y > 0], 5.0), ("t3", y[y < 0], 29.0)):
        nrm = float(np.linalg.norm(v)) if v.size else 0.0
        out[key] = 0.0 if nrm >= 1 else (-math.inf if nrm == 0 else k / eps * math.log10(nrm))
    ym = float(np.linalg.norm(y[y < 0]))
    out["l4i"] = min(0.0, 14.0 / eps * math.log10(ym / len(y))) if ym > 0 else -math.inf

    def ok(l10):  # the t_3 level is positive and the distance it forces is within the bound
        d3 = 10.0 ** (l10 * eps / 29)
        return ym > d3 and lemma12_floor(ym, d3) <= 10.0 ** (l10 * eps / 31)

    top = min(0.0, out["t3"]) if math.isfinite(out["t3"]) else 0.0
    if ok(top):
        out["l12"] = top
    elif not ok(-1e7):
        out["l12"] = -math.inf
    else:
        lo, hi = -1e7, top
        while hi - lo > 1e-3 * max(1.0, abs(hi)):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if ok(mid) else (lo, mid)
        out["l12"] = lo
    return out



DATASETS = {
    "DS-A": ds_a,
    "DS-B": ds_b,
    "DS-C": ds_c,
    "DS-E": ds_e,
    "DS-F": ds_f,
    "orthonormal": orthonormal_inputs,
}
