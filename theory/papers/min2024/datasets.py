"""min2024 datasets (catalog claims_001.md §1.1) and the validator of Assumptions 1-2 (mu-separated data, init
not aligned with the opposite class).

Every dataset carries the paper's model settings: ReLU (gamma = 0), the loss as a SUM over the data (l.100) and the
exponential loss e^{-y yhat} (l.104), for which every result of the paper is stated correctly; the two printed
logistic losses (ln(1 + e^{-y yhat}), l.105, and 2 ln(1 + e^{-y yhat}), App. B l.1068: finding F5) are
``loss="logistic"`` and ``loss="logistic2"`` of :mod:`numerics.network`.

Datasets: DS-A (2-D, n = 4, exact rationals), DS-B (3-D, n = 6), DS-C(delta) (the mu-sweep, mu = sin delta), DS-A2
(the two positive points of App. A.2), DS-A3 (orthogonal positives, App. A.3), DS-E3 / DS-E4 (the one-point
examples of App. E.3 / E.4), DS-F9(n_-) (one positive point, n_- negatives: the imbalanced case of finding F9),
DIG(p, q) (scikit-learn's bundled 8x8 digits, the offline stand-in for the MNIST pairs of §4 and App. A.4) and random
mu-separated data.
"""
from __future__ import annotations

import math

import numpy as np

from numerics import geometry as geo
from numerics.datasets import Dataset, DatasetError, Validation, as_rng, assumption_check, fmt_number, unit_vector

from .paper import KEY


# ============================================================================ min2024 (mu-separated data)



#: the loss every dataset carries by default (Theorem 1 holds as printed for it; finding F5 for the logistic)
DEFAULT_LOSS = "exponential"


def _m24(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{KEY}.{name}", f"{KEY} {source}", KEY, params, gamma=0.0, loss=DEFAULT_LOSS,
                   reduction="sum", notes=notes)


def mu_separated(n_plus: int = 5, n_minus: int = 5, d: int = 2, mu: float = 0.3, norms=(0.5, 1.5),
                 seed=0) -> Dataset:
    """Random mu-separated data (min2024 Assumption 1, l.281): min_{i,j} <y_i x_i, y_j x_j>/(||x_i|| ||x_j||) >= mu.

    The signed unit data u_i = y_i x_i/||x_i|| are drawn in the spherical cap of angular radius
    arccos(mu)/2 around a random centre (angle to the centre uniform), so every pair is within arccos(mu);
    x_i = y_i r_i u_i with r_i ~ U[norms]. Loss: sum over data (min2024 §2.1); logistic labels +-1.
    """
    if not 0 < mu < 1:
        raise DatasetError(f"mu must lie in (0, 1); got {mu}")
    rng = as_rng(seed)
    n = n_plus + n_minus
    c = unit_vector(rng.standard_normal(d))
    rho = math.acos(mu) / 2
    theta = rng.uniform(0, rho, size=n)
    v = rng.standard_normal((n, d))
    v -= np.outer(v @ c, c)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    U = np.cos(theta)[:, None] * c + np.sin(theta)[:, None] * v
    y = np.concatenate([np.ones(n_plus), -np.ones(n_minus)])
    r = rng.uniform(*norms, size=n)
    return _m24(y[:, None] * r[:, None] * U, y, "mu-separated", "Assumption 1 (l.281): random mu-separated data",
                {"n_plus": n_plus, "n_minus": n_minus, "d": d, "mu": mu, "norms": tuple(norms),
                 "seed": seed if not isinstance(seed, np.random.Generator) else None})


def ds_a() -> Dataset:
    """min2024 DS-A (catalog 001 §1.1): x_1 = (1, 0), x_2 = (24/25, 7/25) (y = +1); x_3 = (-4/5, -3/5),
    x_4 = (-3/5, -4/5) (y = -1). mu = 3/5 exactly; x_+ = (49/25, 7/25), x_- = (-7/5, -7/5)."""
    X = np.array([[1.0, 0.0], [24 / 25, 7 / 25], [-4 / 5, -3 / 5], [-3 / 5, -4 / 5]])
    return _m24(X, [1.0, 1.0, -1.0, -1.0], "DS-A", "Assumption 1; catalog 001 DS-A", {})


def ds_b() -> Dataset:
    """min2024 DS-B (catalog 001): 3-D, n = 6, non-coplanar, unequal norms; mu = 0.28."""
    X = np.array([[1.2, 0, 1.6], [0, 0.6, 0.8], [0.48, 0.36, 0.8], [0.6, 0, -0.8], [0, 0.9, -1.2], [0.36, 0.48, -0.8]])
    return _m24(X, [1.0, 1.0, 1.0, -1.0, -1.0, -1.0], "DS-B", "Assumption 1; catalog 001 DS-B", {})


def ds_c(delta: float = 0.1) -> Dataset:
    """min2024 DS-C(delta) (catalog 001): x_1 = (1, 0), x_2 = (sin d, cos d) (y = +1),
    x_3 = -(x_1 + x_2)/||x_1 + x_2|| (y = -1); mu = sin(delta) exactly (the mu-sweep family)."""
    x1, x2 = np.array([1.0, 0.0]), np.array([math.sin(delta), math.cos(delta)])
    x3 = -unit_vector(x1 + x2)
    return _m24(np.array([x1, x2, x3]), [1.0, 1.0, -1.0], "DS-C", "Assumption 1; catalog 001 DS-C(delta)",
                {"delta": delta})


def ds_a2(delta: float = 0.1) -> Dataset:
    """min2024 App. A.2 (Figures 7-8): x_1 = (1, 0), x_2 = (sin delta, cos delta), both y = +1 (n_- = 0, so x_- = 0:
    Assumption 2 and Theorem 1 part 2 are ill-posed; mu = sin delta)."""
    X = np.array([[1.0, 0.0], [math.sin(delta), math.cos(delta)]])
    return _m24(X, [1.0, 1.0], "DS-A2", "App. A.2 (Figures 7-8)", {"delta": delta})


def ds_a3() -> Dataset:
    """min2024 App. A.3 (Figure 9): orthogonal positives x_1 = (1, 0), x_2 = (0, 1) (mu = 0: Assumption 1 fails at
    its boundary)."""
    return _m24(np.eye(2), [1.0, 1.0], "DS-A3", "App. A.3 (Figure 9)", {})


def ds_e(label: float = -1.0) -> Dataset:
    """min2024 App. E.3 (label -1) / E.4 (label +1): one datum x = (1, 0)."""
    name = "DS-E3" if label < 0 else "DS-E4"
    return _m24(np.array([[1.0, 0.0]]), [float(label)], name, f"App. {'E.3' if label < 0 else 'E.4'}",
                {"label": float(label)})


def ds_f9(n_minus: int = 3, spread_deg: float = 30.0, offset_deg: float = 7.0) -> Dataset:
    """Finding F9's imbalanced family: one positive x_1 = (1, 0) and n_- negatives x_k = -(cos phi_k, sin phi_k), phi_k
    equally spaced in offset + [-spread/2, spread/2] (every signed unit datum within offset + spread/2 of (1, 0): mu =
    cos(offset + spread/2) > 0). ||x_+|| = 1 for every n_-, ||x_-|| grows like n_-. The offset keeps x_- off the axis
    (with x_- exactly along (-1, 0) the flow engine's steps collapse near the fit, see the issue-14 note)."""
    if n_minus > 1:
        phis = np.deg2rad(offset_deg + np.linspace(-spread_deg / 2, spread_deg / 2, n_minus))
    else:
        phis = np.deg2rad([offset_deg])
    X = np.vstack([[1.0, 0.0], -np.stack([np.cos(phis), np.sin(phis)], axis=1)])
    return _m24(X, [1.0] + [-1.0] * n_minus, "DS-F9", "finding F9 (imbalanced classes, n_+ = 1)",
                {"n_minus": n_minus, "spread_deg": spread_deg, "offset_deg": offset_deg})


def digits_pair(pos: int = 1, neg: int = 0) -> Dataset:
    """DIG(pos, neg): scikit-learn's bundled 8x8 digits (``load_digits``, shipped with the package, no download)
    restricted to two classes, pixels / 16 in [0, 1], label +1 for ``pos``, -1 for ``neg``, then centred with the full
    mean x_i <- x_i - mean (min2024 §4, l.736). The offline stand-in for the paper's MNIST pairs (0, 1), (3, 8),
    (1, 7): D = 64, n ~ 360. Centring makes x_+ = -x_- exactly (finding F11)."""
    # lazy: importing sklearn.datasets costs 0.73 s (measured), paid by every registry load if done at the top
    from sklearn.datasets import load_digits

    d = load_digits()
    m = (d.target == pos) | (d.target == neg)
    X = d.data[m] / 16.0
    y = np.where(d.target[m] == pos, 1.0, -1.0)
    X = X - X.mean(axis=0)
    return _m24(X, y, f"DIG({pos},{neg})", f"§4 / App. A.4 (MNIST {pos} vs {neg}), offline digits stand-in",
                {"pos": pos, "neg": neg}, notes="sklearn.datasets.load_digits, pixels/16, centred")


def validate(ds: Dataset, *, W0=None, s=None) -> Validation:
    """min2024 hypotheses: labels in {-1, +1}, Assumption 1 (mu > 0, l.281) and, with the init directions
    ``W0`` (h, D) (rows w_j(0), any scale) and signs ``s``, Assumption 2 (l.329-352):
    max_{j in V_+} <w^_j(0), x^_-> < 1 and max_{j in V_-} <w^_j(0), x^_+> < 1 (ill-posed if n_+ or n_- = 0).
    """
    X, y = ds.X, ds.y
    out = Validation(dataset=ds.name)
    labels_ok = bool(np.all(np.isin(y, (-1.0, 1.0))))
    out.append(assumption_check("labels in {-1, +1}", labels_ok, "ok" if labels_ok else f"labels {np.unique(y)}"))
    nx = np.linalg.norm(X, axis=1)
    if np.any(nx == 0):
        out.append(assumption_check("Assumption 1 (mu-separated data)", False, f"x_{int(np.argmin(nx)) + 1} = 0"))
    else:
        U = (np.sign(y)[:, None] * X) / nx[:, None]
        Gm = U @ U.T
        i, j = np.unravel_index(np.argmin(Gm), Gm.shape)
        out.append(assumption_check("Assumption 1 (mu-separated data)", Gm[i, j] > 0,
                          f"mu = {fmt_number(Gm[i, j])} (pair {i + 1}, {j + 1})"))
    if W0 is not None and s is not None:
        xp, xm = geo.x_plus_minus(X, y)
        if np.linalg.norm(xp) == 0 or np.linalg.norm(xm) == 0:
            out.append(assumption_check("Assumption 2 (init not aligned with the opposite class)", False,
                              "ill-posed: one class is empty (x_+ or x_- = 0)"))
        else:
            W = np.asarray(W0, dtype=float)
            Wn = W / np.linalg.norm(W, axis=1, keepdims=True)
            s = np.asarray(s, dtype=float)
            cp = Wn[s > 0] @ unit_vector(xm)
            cm = Wn[s < 0] @ unit_vector(xp)
            worst = max(cp.max(initial=-1.0), cm.max(initial=-1.0))
            out.append(assumption_check("Assumption 2 (init not aligned with the opposite class)", worst < 1 - 1e-15,
                              f"max cos(w_j(0), x_(-s_j)) = {fmt_number(worst)}; zeta_2* = {fmt_number(1 - max(0.0, worst) ** 2)}"))
    return out


DATASETS = {"DS-A": ds_a, "DS-B": ds_b, "DS-C": ds_c, "DS-A2": ds_a2, "DS-A3": ds_a3, "DS-E3": lambda: ds_e(-1.0),
            "DS-E4": lambda: ds_e(1.0), "DS-F9": ds_f9, "DIG": digits_pair, "mu-separated": mu_separated}
