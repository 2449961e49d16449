"""Datasets of the five papers, seeded constructions, assumption validators and a user-file loader.

A :class:`Dataset` is data (X (n, d), y (n,)) plus provenance (``name``, ``source`` = paper + label /
section, ``params``) and optional default model settings (``gamma``, ``loss``, ``reduction``). Every random
construction takes a ``seed`` for ``numpy.random.default_rng``; the same seed gives the same bits.

Validators return a :class:`Validation`: a list of :class:`AssumptionCheck` triples
``(name, passed, reason)`` whose reasons carry the numbers, so a claim can report
``NOT_APPLICABLE: Assumption 1 (orthonormal inputs) fails: <x_1,x_2> = 0.3``.

Papers (keys of :data:`VALIDATORS`): ``tsoy2024`` (XOR clusters, Assumption 5.1), ``min2024``
(mu-separated data, Assumption 1), ``lyu2021`` (symmetric separable data, Assumptions 3.2/4.1/4.5;
hinted datasets, Definition 6.1), ``boursier2024`` (3-point data, Assumptions 1, 3-6), ``boursier2022``
(orthonormal inputs, Assumptions 1-3). Dataset names in :data:`DATASETS` are ``"<paper>.<catalog name>"``
(the catalogs reuse names such as DS-A across papers).

Bias: a hidden bias is an appended constant coordinate (boursier2022 l.156, boursier2024 §2).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import combinations, product
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from . import geometry as geo
from .network import LOSSES, Model

__all__ = [
    "Dataset",
    "DatasetError",
    "AssumptionCheck",
    "Validation",
    "append_bias",
    "symmetrize",
    # boursier2024
    "three_point",
    "three_point_box",
    "boursier2024_ds_g",
    "boursier2024_ds_s6",
    "boursier2024_ds_v",
    "boursier2024_ds_2n",
    "stewart",
    "validate_boursier2024",
    "assumption3_eta_min",
    # lyu2021
    "symmetric_separable",
    "hinted",
    "lyu2021_ds_s",
    "lyu2021_ds_s2",
    "lyu2021_ds_h",
    "lyu2021_ds_a",
    "lyu2021_ds_k",
    "lyu2021_ds_o",
    "validate_lyu2021",
    "hinted_thresholds",
    # min2024
    "mu_separated",
    "min2024_ds_a",
    "min2024_ds_b",
    "min2024_ds_c",
    "validate_min2024",
    # tsoy2024
    "xor_clusters",
    "xor_orbit",
    "validate_tsoy2024",
    # registry / io
    "DATASETS",
    "VALIDATORS",
    "build",
    "validate",
    "load_user_dataset",
]


class DatasetError(ValueError):
    """A dataset is malformed (shapes, values, labels, file format); the message names the problem."""


# ============================================================================ core types


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs X (n, d), labels y (n,), provenance and default model settings.

    ``source`` names the paper and its label/section ("boursier2022 §1.3 DS-A (catalog); Eq. (4) ...");
    ``params`` records every construction parameter (seed included) so the dataset can be rebuilt.
    ``gamma``/``loss``/``reduction`` are the paper's model settings (None: not fixed by the paper).
    """

    X: np.ndarray
    y: np.ndarray
    name: str
    source: str
    paper: str | None = None
    params: dict = field(default_factory=dict)
    gamma: float | None = None
    loss: str | None = None
    reduction: str | None = None
    notes: str = ""

    def __post_init__(self):
        X, y = _checked_arrays(self.X, self.y, where=f"dataset {self.name!r}")
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        _check_settings(self.gamma, self.loss, self.reduction, y, where=f"dataset {self.name!r}")

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def model(self, **overrides) -> Model:
        """A :class:`numerics.network.Model` with this data and the paper's settings (overridable)."""
        kw = {k: v for k, v in (("gamma", self.gamma), ("loss", self.loss), ("reduction", self.reduction))
              if v is not None}
        kw.update(overrides)
        return Model(np.array(self.X), np.array(self.y), meta={"dataset": self.name}, **kw)

    def with_data(self, X=None, y=None, name=None, **changes) -> "Dataset":
        """A copy with replaced data (e.g. a perturbed negative control), keeping the provenance."""
        return replace(self, X=self.X if X is None else X, y=self.y if y is None else y,
                       name=name or self.name, **changes)

    def __repr__(self):
        return f"Dataset({self.name!r}, n={self.n}, d={self.d}, source={self.source!r})"


class AssumptionCheck(NamedTuple):
    """One evaluated hypothesis: (name, passed, reason with the numbers)."""

    name: str
    passed: bool
    reason: str


class Validation(list):
    """A list of :class:`AssumptionCheck` for one dataset, in the paper's order."""

    def __init__(self, checks=(), dataset: str = ""):
        super().__init__(checks)
        self.dataset = dataset

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self)

    @property
    def failures(self) -> list[AssumptionCheck]:
        return [c for c in self if not c.passed]

    def __getitem__(self, key):
        if isinstance(key, str):
            for c in self:
                if c.name == key or c.name.startswith(key):
                    return c
            raise KeyError(f"no check named {key!r}; have {[c.name for c in self]}")
        return super().__getitem__(key)

    def not_applicable(self) -> str | None:
        """"NOT_APPLICABLE: <name> fails: <reason>" for the first failed check, None if all pass."""
        f = self.failures
        return None if not f else f"NOT_APPLICABLE: {f[0].name} fails: {f[0].reason}"

    def summary(self) -> str:
        head = f"{self.dataset}: " if self.dataset else ""
        return head + "; ".join(f"[{'ok' if c.passed else 'FAIL'}] {c.name}: {c.reason}" for c in self)


def _check(name: str, passed, reason: str) -> AssumptionCheck:
    return AssumptionCheck(name, bool(passed), reason)


def _g(x) -> str:
    """Compact number formatting for reasons."""
    return f"{float(x):.6g}"


def _vec(v) -> str:
    return "(" + ", ".join(_g(t) for t in np.ravel(v)) + ")"


def _unit(v):
    return v / np.linalg.norm(v)


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def append_bias(Z, value: float = 1.0) -> np.ndarray:
    """Append a constant coordinate: x <- (z, value) (the papers' hidden bias, boursier2022 l.156)."""
    Z = np.asarray(Z, dtype=float)
    Z = Z[:, None] if Z.ndim == 1 else Z
    return np.hstack([Z, np.full((Z.shape[0], 1), float(value))])


def symmetrize(X, y):
    """lyu2021's augmentation (x, y) -> {(x, y), (-x, -y)} in Assumption 4.1 order.

    Returns (X', y') with X'_i = x_i, y'_i = +1 for the points relabelled so that y = +1 comes first
    (x_i <- y_i x_i), and X'_{i+n} = -X'_i, y'_{i+n} = -1.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    P = np.sign(y)[:, None] * X
    return np.vstack([P, -P]), np.concatenate([np.ones(len(y)), -np.ones(len(y))])


# ============================================================================ input checking (shared by all)


def _checked_arrays(X, y, where: str):
    """Convert to float64 and check shapes / finiteness; raise DatasetError naming the problem."""
    for label, A in (("X", X), ("y", y)):
        arr = np.asarray(A)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            raise DatasetError(f"{where}: {label} must be numeric, got dtype {arr.dtype}")
        if arr.dtype.kind == "b":
            raise DatasetError(f"{where}: {label} must be numeric, got booleans")
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    if X.ndim != 2:
        raise DatasetError(f"{where}: X must be a 2-D array (n, d); got shape {X.shape}")
    n, d = X.shape
    if n == 0 or d == 0:
        raise DatasetError(f"{where}: X is empty (shape {X.shape}); need n >= 1 points and d >= 1 coordinates")
    if y.ndim != 1 or y.shape[0] != n:
        hint = " (flatten it to a 1-D array)" if y.ndim == 2 and y.shape == (n, 1) else ""
        raise DatasetError(f"{where}: y must be a 1-D array of length n = {n}; got shape {y.shape}{hint}")
    for label, A in (("X", X), ("y", y)):
        bad = np.argwhere(~np.isfinite(A))
        if bad.size:
            idx = tuple(int(i) for i in bad[0])
            raise DatasetError(f"{where}: {label} has a non-finite value {A[idx]} at index {idx} "
                               f"({len(bad)} non-finite entries in total)")
    return X, y


def _check_settings(gamma, loss, reduction, y, where: str):
    if gamma is not None:
        if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.integer, np.floating)):
            raise DatasetError(f"{where}: gamma must be a number in [0, 1]; got {gamma!r}")
        if not (math.isfinite(float(gamma)) and 0.0 <= float(gamma) <= 1.0):
            raise DatasetError(f"{where}: gamma must lie in [0, 1]; got {gamma!r}")
    if loss is not None and loss not in LOSSES:
        raise DatasetError(f"{where}: loss must be one of {LOSSES}; got {loss!r}")
    if reduction is not None and reduction not in ("mean", "sum"):
        raise DatasetError(f"{where}: reduction must be 'mean' or 'sum'; got {reduction!r}")
    if loss == "logistic" and not np.all(np.isin(y, (-1.0, 1.0))):
        bad = np.flatnonzero(~np.isin(y, (-1.0, 1.0)))
        raise DatasetError(f"{where}: logistic loss needs labels in {{-1, +1}}; y[{bad[0]}] = {y[bad[0]]}")


# ============================================================================ boursier2024 (3-point data)

_B24 = "boursier2024"


def _b24(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{_B24}.{name}", f"{_B24} {source}", _B24, params, gamma=0.0, loss="square",
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
    return _b24(X, [1.0, eta / 2, 1.0], "DS-P", "Assumption 3 (§4, l.226-232); catalog 003 DS-P(eta)",
                {"eta": eta})


def three_point_box(eta: float = 0.1, seed=0) -> Dataset:
    """A random 3-point dataset uniform in the Assumption-3 box of boursier2024 (§4, l.226-232).

    x_1 in (-1, -1+eta] x [1, 1+eta], y_1 in [1, 1+eta]; x_2 in [-eta, eta] x [1-eta, 1+eta],
    y_2 in (0, eta]; x_3 in [1-eta, 1) x [1, 1+eta], y_3 in [1, 1+eta]. Open ends are avoided by
    drawing from the closed box shrunk by 1e-9 eta at the open sides. Theorem 2 needs eta < 1/6.
    """
    if not 0 < eta < 1:
        raise DatasetError(f"the Assumption-3 box needs eta in (0, 1); got {eta}")
    rng = _rng(seed)
    e = 1e-9 * eta
    lo = np.array([-1 + e, 1, 1, -eta, 1 - eta, e, 1 - eta, 1, 1])
    hi = np.array([-1 + eta, 1 + eta, 1 + eta, eta, 1 + eta, eta, 1 - e, 1 + eta, 1 + eta])
    v = rng.uniform(lo, hi)
    X = np.array([[v[0], v[1]], [v[3], v[4]], [v[6], v[7]]])
    return _b24(X, [v[2], v[5], v[8]], "box", "Assumption 3 (§4, l.226-232): random point of the box",
                {"eta": eta, "seed": seed if not isinstance(seed, np.random.Generator) else None})


def boursier2024_ds_g() -> Dataset:
    """boursier2024 DS-G (catalog 003 §1.1, the recommended default): a generic eta = 0.1 point of Assumption 3.

    x = (-0.95, 1.02), (0.03, 0.98), (0.92, 1.04), y = (1.05, 0.05, 1.02). D* = (-0.0192, 0.7269333),
    D_min = 0.472098, alpha_min,+ = 0.117944, delta_0 = 0.531749 (pre-checked values).
    """
    X = np.array([[-0.95, 1.02], [0.03, 0.98], [0.92, 1.04]])
    return _b24(X, [1.05, 0.05, 1.02], "DS-G", "Assumption 3 (§4); catalog 003 DS-G", {"eta": 0.1})


def boursier2024_ds_s6() -> Dataset:
    """boursier2024 §6 / Figure 2 / App. B.1 data (the authors' '3 points'): z = (-0.75, -0.5, 0.125),
    y = (1.1, 0.1, 0.8), x_k = (z_k, 1). Outside Assumption 3 (needs eta >= 0.875); Assumption 5 fails.

    Authors' setting: balanced init, lambda = 1e-3, m = 200 000, GD lr 1e-3 on MSELoss(mean) (= 2 x Eq. (10)).
    """
    return _b24(append_bias([-0.75, -0.5, 0.125]), [1.1, 0.1, 0.8], "DS-S6",
                "§6 / Figure 2 / App. B.1 (authors' '3 points'; catalog 003 DS-S6)",
                {"lambda": 1e-3, "m": 200_000, "init": "balanced"})


def boursier2024_ds_v() -> Dataset:
    """boursier2024 DS-V (catalog 003 F1): an eta = 0.16 < 1/6 point of the Assumption-3 box where the
    printed Assumption 5 FAILS (margin -0.43), contradicting Lemma 8.

    x = (-0.84, 1), (-0.16, 1.16), (0.84, 1.16), y = (1, 0.16, 1.16).
    """
    X = np.array([[-0.84, 1.0], [-0.16, 1.16], [0.84, 1.16]])
    return _b24(X, [1.0, 0.16, 1.16], "DS-V", "Lemma 8 counterexample (catalog 003 DS-V, finding F1)",
                {"eta": 0.16})


def boursier2024_ds_2n(y=(1.0, 1.0)) -> Dataset:
    """boursier2024 DS-2N (catalog 003 §1.1): x_1 = (1, 0.3), x_2 = (-0.4, 1), <x_1, x_2> = -0.1.

    With y = (1, 1): five extremal vectors (three sector maxima of G, two ray minima); violates
    Assumption 4. y = (-1, -1) mirrors the picture.
    """
    X = np.array([[1.0, 0.3], [-0.4, 1.0]])
    return _b24(X, list(y), "DS-2N", "Theorem 1 multi-extremal example (catalog 003 DS-2N)", {"y": tuple(y)})


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
    z = _rng(seed).uniform(-1.0, 1.0, size=n)
    y = np.interp(z, *STEWART_KNOTS)
    return _b24(append_bias(z), y, "stewart", "App. B.2 / Figure 3 (Stewart et al. data)",
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
                                f"would need eta >= {_g(eta_min)}")
    return True, eta_min, f"smallest eta = {_g(eta_min)} (set by {arg})"


def _beta_star(X, y):
    """OLS beta* = (X^T X)^{-1} X^T y (boursier2024 l.240)."""
    return np.linalg.lstsq(X, y, rcond=None)[0]


def validate_boursier2024(ds: Dataset, *, eta: float | None = None, loss: str | None = None) -> Validation:
    """boursier2024 Assumptions 1, 3 (+ Theorem 2's eta < 1/6), 4, 5, 6 (§2, §4, App. A l.513-546).

    * Assumption 1 (loss): d ell/d yhat 1-Lipschitz, ell'(0, y) != 0 for y != 0: square 1/2 (yhat - y)^2 yes;
      logistic iff |y| <= 2.
    * Assumption 3: the 3-point box (see :func:`assumption3_eta_min`); with ``eta`` given, membership for that
      eta; "Theorem 2 (eta < 1/6)": the box holds for some eta < 1/6.
    * Assumption 4: <x_k, x_k'> > 0, y_k > 0, n >= d, every family of <= d inputs linearly independent.
    * Assumption 5 (printed, l.517): for k in K, y_k ||x_k||^2 > sqrt(sum_k' y_k'^2) sqrt(sum_{k' != k}
      <x_k', x_k>^2) (K: :func:`numerics.geometry.data_cone_extreme_indices`).
    * Assumption 6 (i): <beta*, x_k> < y_k for k in K. Item (ii) is decided only for n = 3, d = 2, where the
      proof of Lemma 8 (Eqs. (15)-(16)) reduces it to (i); for other data it is reported as not decided (fails).
    """
    X, y = ds.X, ds.y
    loss = loss or ds.loss or "square"
    out = Validation(dataset=ds.name)
    if loss == "square":
        out.append(_check("Assumption 1 (loss regularity)", True, "1/2 (yhat - y)^2: ell' = yhat - y is 1-Lipschitz"))
    else:
        ymax = float(np.max(np.abs(y)))
        out.append(_check("Assumption 1 (loss regularity)", ymax <= 2 and np.all(y != 0),
                          f"logistic: sup |ell''| = max y^2/4 = {_g(ymax ** 2 / 4)} (needs <= 1), "
                          f"min |y| = {_g(np.min(np.abs(y)))}"))
    fixed_ok, eta_min, why = assumption3_eta_min(X, y)
    if eta is None:
        out.append(_check("Assumption 3 (3-point box)", fixed_ok, why))
    else:
        out.append(_check("Assumption 3 (3-point box)", fixed_ok and eta >= eta_min,
                          f"eta = {_g(eta)}: " + why))
    out.append(_check("Theorem 2 (Assumption 3 with eta < 1/6)", fixed_ok and eta_min < 1 / 6,
                      f"smallest admissible eta = {_g(eta_min)} vs 1/6 = {_g(1 / 6)}" if fixed_ok else why))
    # Assumption 4
    Gm = X @ X.T
    i, j = np.unravel_index(np.argmin(Gm), Gm.shape)
    reasons, ok4 = [], True
    if Gm[i, j] <= 0:
        ok4 = False
        reasons.append(f"<x_{i + 1},x_{j + 1}> = {_g(Gm[i, j])} <= 0")
    if np.any(y <= 0):
        ok4 = False
        k = int(np.argmin(y))
        reasons.append(f"y_{k + 1} = {_g(y[k])} <= 0")
    if ds.n < ds.d:
        ok4 = False
        reasons.append(f"n = {ds.n} < d = {ds.d}")
    for size in range(1, min(ds.d, ds.n) + 1):
        for sub in combinations(range(ds.n), size):
            if np.linalg.matrix_rank(X[list(sub)], tol=1e-12 * np.max(np.abs(X))) < size:
                ok4 = False
                reasons.append("x_" + ",x_".join(str(s + 1) for s in sub) + " linearly dependent")
                break
    out.append(_check("Assumption 4 (positive Gram, positive labels, general position)", ok4,
                      "; ".join(reasons) if reasons else f"min <x_k,x_k'> = {_g(Gm[i, j])}, min y = {_g(np.min(y))}"))
    # Assumption 5 (printed) and 6
    K = geo.data_cone_extreme_indices(X)
    ynorm = float(np.linalg.norm(y))
    margins = []
    for k in K:
        rhs = ynorm * math.sqrt(float(np.sum(np.delete(Gm[k], k) ** 2)))
        margins.append((y[k] * Gm[k, k] - rhs, k, y[k] * Gm[k, k], rhs))
    if margins:
        worst = min(margins)
        out.append(_check("Assumption 5 (printed, l.517)", worst[0] > 0,
                          f"K = {[k + 1 for k in K]}; worst k = {worst[1] + 1}: y_k ||x_k||^2 = {_g(worst[2])} vs "
                          f"sqrt(sum y^2) sqrt(sum_k'!=k <x_k',x_k>^2) = {_g(worst[3])} (margin {_g(worst[0])})"))
    else:
        out.append(_check("Assumption 5 (printed, l.517)", False,
                          "K is empty (no data ray on the boundary of the data cone)"))
    beta = _beta_star(X, y)
    resid = y - X @ beta
    ok6 = bool(K) and all(resid[k] > 1e-12 * float(np.max(np.abs(y))) for k in K)
    detail = ", ".join(f"y_{k + 1} - <beta*,x_{k + 1}> = {_g(resid[k])}" for k in K)
    out.append(_check("Assumption 6 (i) (<beta*, x_k> < y_k on K)", ok6, f"beta* = {_vec(beta)}; {detail}"))
    if ds.n == 3 and ds.d == 2:
        out.append(_check("Assumption 6 (ii)", ok6, "n = 3: reduces to (i) (Lemma 8 proof, Eqs. (15)-(16))"))
    else:
        out.append(_check("Assumption 6 (ii)", False, f"not decided by this validator for n = {ds.n}, d = {ds.d}"))
    return out


# ============================================================================ lyu2021 (symmetric / hinted data)

_L21 = "lyu2021"


def _l21(X, y, name, source, params, alpha=0.5, notes=""):
    return Dataset(X, y, f"{_L21}.{name}", f"{_L21} {source}", _L21, params, gamma=alpha, loss="logistic",
                   reduction="mean", notes=notes)


def symmetric_separable(n_half: int = 8, d: int = 2, margin: float = 0.1, radius: float = 1.0, seed=0,
                        alpha: float = 0.5) -> Dataset:
    """Symmetric linearly separable data (lyu2021 Assumptions 3.2 and 4.1, l.298-309).

    Draw a unit w_true and n_half points uniform in the ball of radius ``radius`` <= 1 with
    <w_true, x> >= margin (rejection sampling), then x_{i + n/2} = -x_i with y = (+1,...,+1,-1,...,-1).
    ||x|| <= 1 (l.296) holds for radius <= 1. Assumption 4.5 (<mu, x_i> != 0) holds almost surely.
    """
    if not 0 < margin < radius:
        raise DatasetError(f"need 0 < margin < radius; got margin = {margin}, radius = {radius}")
    rng = _rng(seed)
    w = _unit(rng.standard_normal(d))
    pts = []
    while len(pts) < n_half:
        g = rng.standard_normal((4 * n_half, d))
        r = radius * rng.uniform(size=(4 * n_half, 1)) ** (1.0 / d)
        cand = g / np.linalg.norm(g, axis=1, keepdims=True) * r
        pts.extend(cand[cand @ w >= margin])
    P = np.array(pts[:n_half])
    X = np.vstack([P, -P])
    y = np.concatenate([np.ones(n_half), -np.ones(n_half)])
    return _l21(X, y, "symmetric", "Assumptions 3.2, 4.1 (§3-4): random symmetric separable data",
                {"n_half": n_half, "d": d, "margin": margin, "radius": radius, "alpha": alpha,
                 "seed": seed if not isinstance(seed, np.random.Generator) else None, "w_true": tuple(w)},
                alpha=alpha)


def _max_margin(X, y):
    """(w*, gamma_w*) of lyu2021 Def. 3.3: min 1/2 ||w||^2 s.t. y_i <w, x_i> >= 1 (cvxpy + Clarabel)."""
    import cvxpy as cp

    w = cp.Variable(X.shape[1])
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(w)), [cp.multiply(y, X @ w) >= 1])
    prob.solve(solver=cp.CLARABEL)
    if prob.status != cp.OPTIMAL:
        raise RuntimeError(f"max-margin QP not solved to optimality: status {prob.status}")
    wv = np.asarray(w.value, dtype=float)
    return wv / np.linalg.norm(wv), 1.0 / np.linalg.norm(wv)


def _separable(X, y):
    """LP feasibility of y_i <w, x_i> >= 1 (lyu2021 Assumption 3.2); returns (feasible, w or None)."""
    from scipy.optimize import linprog

    res = linprog(np.zeros(X.shape[1]), A_ub=-(y[:, None] * X), b_ub=-np.ones(len(y)),
                  bounds=[(None, None)] * X.shape[1], method="highs")
    return res.status == 0, (res.x if res.status == 0 else None)


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
    w_star = _max_margin(X, y)[0] if w_star is None else _unit(np.asarray(w_star, dtype=float))
    if w_perp is None:
        if X.shape[1] < 2:
            raise DatasetError("hinted datasets need d >= 2 (a w_perp orthogonal to w*)")
        e = np.zeros(X.shape[1])
        e[1 if abs(w_star[1]) < 0.9 else 0] = 1.0
        w_perp = _unit(e - (e @ w_star) * w_star)
    w_perp = np.asarray(w_perp, dtype=float)
    hints = np.array([H * w_star, eps * w_star + K * w_perp, eps * w_star - K * w_perp])
    return _l21(np.vstack([hints, X]), np.concatenate([np.ones(3), y]), name,
                source or "Definition 6.1 (§6): hinted dataset",
                {"H": H, "K": K, "eps": eps, "w_star": tuple(w_star), "w_perp": tuple(w_perp), "alpha": alpha,
                 "n_base": len(y), "hinted": True, "setting": "hinted"}, alpha=alpha)


def lyu2021_ds_s(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-S (catalog 002 §1.1, default for §4-5): positives (9/10, 2/5), (19/20, 3/10), (17/20, 1/2),
    (1/5, -9/10), negatives their negations (Assumption 4.1 order). mu = (29/40, 3/40),
    w* = (28, -13)/sqrt(953), max G = (1+alpha)/4 ||mu|| (= 3 sqrt(34)/64 at alpha = 1/2).
    """
    P = np.array([[0.9, 0.4], [0.95, 0.3], [0.85, 0.5], [0.2, -0.9]])
    return _l21(np.vstack([P, -P]), np.r_[np.ones(4), -np.ones(4)], "DS-S",
                "Assumptions 3.2, 4.1, 4.5 (§4); catalog 002 DS-S", {"alpha": alpha}, alpha=alpha)


def lyu2021_ds_s2(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-S2 (catalog 002): symmetric, mu-bar is NOT a separator; positives (0.6, 0.7), (0.7, 0.6),
    (0.65, 0.65), (0.1, -0.5)."""
    P = np.array([[0.6, 0.7], [0.7, 0.6], [0.65, 0.65], [0.1, -0.5]])
    return _l21(np.vstack([P, -P]), np.r_[np.ones(4), -np.ones(4)], "DS-S2",
                "Theorem 4.3 stress test; catalog 002 DS-S2", {"alpha": alpha}, alpha=alpha)


def lyu2021_ds_h(H: float = 70.0, K: float = 1.0, eps: float = 0.1, scale: float = 1.0,
                 alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-H (catalog 002): the hinted dataset of Definition 6.1 on S = {(0.5, +-0.4)^+, (-0.6, +-0.3)^-}.

    w* = (1, 0) (reflection symmetry), w_perp = (0, 1); defaults H = 70, K = 1, eps = 0.1 (n = 7). ||x|| = 70
    violates ||x|| <= 1; ``scale = 1/70`` gives the catalog's DS-H/70 twin.
    """
    S = np.array([[0.5, 0.4], [0.5, -0.4], [-0.6, 0.3], [-0.6, -0.3]])
    ds = hinted(S, np.array([1.0, 1.0, -1.0, -1.0]), H, K, eps, w_perp=[0.0, 1.0], w_star=[1.0, 0.0],
                alpha=alpha, name="DS-H" if scale == 1 else f"DS-H/{_g(1 / scale)}",
                source="Definition 6.1 / Theorem 6.2; catalog 002 DS-H")
    return ds.with_data(X=ds.X * scale, params={**ds.params, "scale": scale})


def lyu2021_ds_a(alpha: float = 0.5) -> Dataset:
    """lyu2021 DS-A (catalog 002, finding F2): non-symmetric, A.2/A.3/A.5 hold, S^+ has mixed labels.

    Positives (0.31, -0.02), (0.87, 0.04), (0.86, -0.32); negatives (-0.38, -0.58), (-0.59, -0.35).
    """
    X = np.array([[0.31, -0.02], [0.87, 0.04], [0.86, -0.32], [-0.38, -0.58], [-0.59, -0.35]])
    return _l21(X, [1.0, 1.0, 1.0, -1.0, -1.0], "DS-A", "App. A (Theorem G.11 counterexample; catalog 002 DS-A)",
                {"alpha": alpha, "setting": "nonsymmetric"}, alpha=alpha)


def lyu2021_ds_k(alpha: float = 0.0) -> Dataset:
    """lyu2021 I.1.1 / Figure 1 (left): symmetric data with a suboptimal KKT direction (catalog 002 DS-K).

    alpha = 0: x = (1, -1), (1, 0), (1, 1) (y = +1) and negations. alpha in (0, 1): x = (1, cot b), (1, 0),
    (1, -cot b) with alpha = cos 2b / (2 sin^2 b + cos b) (b solved numerically; b = 0.441594 at 1/2).
    Inputs have norm > 1 (the paper's ||x|| <= 1 does not hold for this example).
    """
    from scipy.optimize import brentq

    if alpha == 0:
        t = 1.0
        beta = math.pi / 4
    else:
        beta = brentq(lambda b: math.cos(2 * b) / (2 * math.sin(b) ** 2 + math.cos(b)) - alpha, 1e-9, math.pi / 4)
        t = 1.0 / math.tan(beta)
    P = np.array([[1.0, t], [1.0, 0.0], [1.0, -t]])
    return _l21(np.vstack([P, -P]), np.r_[np.ones(3), -np.ones(3)], "DS-K",
                "App. I.1.1 / Figure 1 left (catalog 002 DS-K)", {"alpha": alpha, "beta": beta}, alpha=alpha)


def lyu2021_ds_o() -> Dataset:
    """lyu2021 App. H orthogonally separable data (catalog 002 DS-O), ReLU (alpha = 0).

    Positives (1, 0.2), (0.8, 0.6), (0.9, -0.1); negatives (-0.3, -1), (-0.6, -0.7).
    """
    X = np.array([[1.0, 0.2], [0.8, 0.6], [0.9, -0.1], [-0.3, -1.0], [-0.6, -0.7]])
    return _l21(X, [1.0, 1.0, 1.0, -1.0, -1.0], "DS-O", "App. H (catalog 002 DS-O)",
                {"alpha": 0.0, "setting": "orthogonal"}, alpha=0.0)


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


def validate_lyu2021(ds: Dataset, *, alpha: float | None = None, setting: str = "auto", w_odot=None,
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
    out.append(_check("labels in {-1, +1}", labels_ok, "ok" if labels_ok else f"labels {np.unique(y)}"))
    xmax = float(np.max(np.linalg.norm(X, axis=1)))
    out.append(_check("||x_i|| <= 1 (l.296)", xmax <= 1 + 1e-12, f"max ||x_i|| = {_g(xmax)}"))
    feas, _ = _separable(X, y)
    out.append(_check("Assumption 3.2 (linearly separable)", feas,
                      "LP y_i <w,x_i> >= 1 feasible" if feas else "LP y_i <w,x_i> >= 1 infeasible"))
    if setting == "symmetric":
        miss = _symmetric_pairs(X, y, tol)
        out.append(_check("Assumption 4.1 (symmetric: (x, y) in S => (-x, -y) in S)", miss is None,
                          "every point has its negation with the opposite label" if miss is None else
                          f"x_{miss[0] + 1} = {_vec(X[miss[0]])} (y = {_g(y[miss[0]])}) has no (-x, -y) partner "
                          f"(nearest at distance {_g(miss[1])})"))
        mu = geo.mu_vector(X, y)
        dots = np.abs(X @ mu)
        k = int(np.argmin(dots))
        out.append(_check("Assumption 4.5 (<mu, x_i> != 0)", dots[k] > tol * max(1.0, float(np.linalg.norm(mu))),
                          f"mu = {_vec(mu)}, min_i |<mu,x_i>| = {_g(dots[k])} at i = {k + 1}"))
        return out
    if setting == "orthogonal":
        Gm = X @ X.T
        same = np.equal.outer(y, y)
        bad = np.argwhere((same & (Gm <= 0)) | (~same & (Gm > 0)))
        out.append(_check("Definition H.1 (orthogonally separable)", bad.size == 0,
                          "same-label pairs have <x_i,x_j> > 0, opposite-label pairs <= 0" if bad.size == 0 else
                          f"<x_{bad[0][0] + 1},x_{bad[0][1] + 1}> = {_g(Gm[tuple(bad[0])])} with y = "
                          f"({_g(y[bad[0][0]])}, {_g(y[bad[0][1]])})"))
        return out
    if not 0 < alpha < 1:
        out.append(_check("leaky slope alpha in (0, 1) (App. A)", False, f"alpha = {_g(alpha)}"))
        return out
    if setting == "hinted":
        out.extend(_validate_hinted(ds, alpha))
        if w_odot is None and "w_star" in ds.params:
            w_odot = np.asarray(ds.params["w_star"])
    if w_odot is None:
        if not feas:
            out.append(_check("Assumption A.1", False, "no max-margin direction: data not separable"))
            return out
        w_odot = _max_margin(X, y)[0]
    out.extend(_validate_appendix_a(X, y, alpha, _unit(np.asarray(w_odot, dtype=float))))
    return out


def _validate_hinted(ds: Dataset, alpha: float) -> list[AssumptionCheck]:
    """Definition 6.1 and the parameter conditions of Theorem 6.2 (lyu2021 App. A.2, l.1113-1217)."""
    p = ds.params
    need = ("H", "K", "eps", "w_star", "w_perp", "n_base")
    if any(k not in p for k in need):
        return [_check("Definition 6.1 (hinted dataset)", False,
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
        problems.append(f"w* = {_vec(ws)} but the SVM of S gives {_vec(w_svm)}")
    if abs(np.linalg.norm(wp) - 1) > 1e-12 or abs(wp @ ws) > 1e-12:
        problems.append(f"w_perp = {_vec(wp)} is not a unit vector orthogonal to w*")
    if np.max(np.abs(X[:3] - hints)) > 1e-12 * max(1.0, H) or np.any(y[:3] != 1):
        problems.append("the first three points are not (H w*, 1), (eps w* + K w_perp, 1), (eps w* - K w_perp, 1)")
    if min(H, K, eps) <= 0:
        problems.append(f"H, K, eps must be > 0 (H = {_g(H)}, K = {_g(K)}, eps = {_g(eps)})")
    checks = [_check("Definition 6.1 (hinted dataset)", not problems,
                     "; ".join(problems) if problems else
                     f"S separable with gamma_w* = {_g(g_svm)}, w* = {_vec(ws)}, w_perp = {_vec(wp)}")]
    t = hinted_thresholds(ds, alpha)
    ok = eps < t["eps_max"] and K > 0 and H > max(eps, t["H0"], t["H_mu"])
    checks.append(_check("Theorem 6.2 conditions (App. A.2)", ok,
                         f"eps = {_g(eps)} vs alpha min_S y<w*,x> = {_g(t['eps_max'])}; H = {_g(H)} vs max(eps, "
                         f"H_0 = {_g(t['H0'])}, n||mu^-|| + ||sum_(j>1) y_j x_j^+|| = {_g(t['H_mu'])})"))
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


def _validate_appendix_a(X, y, alpha, w_odot) -> list[AssumptionCheck]:
    """lyu2021 Assumption A.1 at a given w^⊙ (l.958-975), A.2 (l.986-996), A.3 (l.1005)."""
    n = len(y)
    mu = geo.mu_vector(X, y)
    Pn = np.linalg.norm(X - np.outer(X @ w_odot, w_odot), axis=1)
    gam = float(np.min(y * (X @ w_odot)))
    lhs = Pn.mean() / (alpha * (mu @ w_odot)) if mu @ w_odot > 0 else math.inf
    rhs = gam / Pn.max() if Pn.max() > 0 else math.inf
    checks = [_check("Assumption A.1 at w^⊙", gam > 0 and lhs < rhs,
                     f"w^⊙ = {_vec(w_odot)}, gamma^⊙ = {_g(gam)}; mean||P x|| / (alpha <mu,w^⊙>) = {_g(lhs)} vs "
                     f"gamma^⊙ / max||P x|| = {_g(rhs)} (slack {_g(rhs - lhs)})")]
    Z = y[:, None] * X
    a2 = (Z @ mu) - (1 - alpha) / (n * alpha) * np.maximum(-(Z @ Z.T), 0).sum(axis=1)
    checks.append(_check("Assumption A.2", a2.min() > 0,
                         f"min_i margin = {_g(a2.min())} at i = {int(np.argmin(a2)) + 1}"))
    mu_p, mu_m = geo.mu_pm(X, y, alpha)
    checks.append(_check("Assumption A.3 (||mu^+|| > ||mu^-||)", np.linalg.norm(mu_p) > np.linalg.norm(mu_m),
                         f"||mu^+|| = {_g(np.linalg.norm(mu_p))}, ||mu^-|| = {_g(np.linalg.norm(mu_m))}"))
    return checks


# ============================================================================ min2024 (mu-separated data)

_M24 = "min2024"


def _m24(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{_M24}.{name}", f"{_M24} {source}", _M24, params, gamma=0.0, loss="logistic",
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
    rng = _rng(seed)
    n = n_plus + n_minus
    c = _unit(rng.standard_normal(d))
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


def min2024_ds_a() -> Dataset:
    """min2024 DS-A (catalog 001 §1.1): x_1 = (1, 0), x_2 = (24/25, 7/25) (y = +1); x_3 = (-4/5, -3/5),
    x_4 = (-3/5, -4/5) (y = -1). mu = 3/5 exactly; x_+ = (49/25, 7/25), x_- = (-7/5, -7/5)."""
    X = np.array([[1.0, 0.0], [24 / 25, 7 / 25], [-4 / 5, -3 / 5], [-3 / 5, -4 / 5]])
    return _m24(X, [1.0, 1.0, -1.0, -1.0], "DS-A", "Assumption 1; catalog 001 DS-A", {})


def min2024_ds_b() -> Dataset:
    """min2024 DS-B (catalog 001): 3-D, n = 6, non-coplanar, unequal norms; mu = 0.28."""
    X = np.array([[1.2, 0, 1.6], [0, 0.6, 0.8], [0.48, 0.36, 0.8], [0.6, 0, -0.8], [0, 0.9, -1.2], [0.36, 0.48, -0.8]])
    return _m24(X, [1.0, 1.0, 1.0, -1.0, -1.0, -1.0], "DS-B", "Assumption 1; catalog 001 DS-B", {})


def min2024_ds_c(delta: float = 0.1) -> Dataset:
    """min2024 DS-C(delta) (catalog 001): x_1 = (1, 0), x_2 = (sin d, cos d) (y = +1),
    x_3 = -(x_1 + x_2)/||x_1 + x_2|| (y = -1); mu = sin(delta) exactly (the mu-sweep family)."""
    x1, x2 = np.array([1.0, 0.0]), np.array([math.sin(delta), math.cos(delta)])
    x3 = -_unit(x1 + x2)
    return _m24(np.array([x1, x2, x3]), [1.0, 1.0, -1.0], "DS-C", "Assumption 1; catalog 001 DS-C(delta)",
                {"delta": delta})


def validate_min2024(ds: Dataset, *, W0=None, s=None) -> Validation:
    """min2024 hypotheses: labels in {-1, +1}, Assumption 1 (mu > 0, l.281) and, with the init directions
    ``W0`` (h, D) (rows w_j(0), any scale) and signs ``s``, Assumption 2 (l.329-352):
    max_{j in V_+} <w^_j(0), x^_-> < 1 and max_{j in V_-} <w^_j(0), x^_+> < 1 (ill-posed if n_+ or n_- = 0).
    """
    X, y = ds.X, ds.y
    out = Validation(dataset=ds.name)
    labels_ok = bool(np.all(np.isin(y, (-1.0, 1.0))))
    out.append(_check("labels in {-1, +1}", labels_ok, "ok" if labels_ok else f"labels {np.unique(y)}"))
    nx = np.linalg.norm(X, axis=1)
    if np.any(nx == 0):
        out.append(_check("Assumption 1 (mu-separated data)", False, f"x_{int(np.argmin(nx)) + 1} = 0"))
    else:
        U = (np.sign(y)[:, None] * X) / nx[:, None]
        Gm = U @ U.T
        i, j = np.unravel_index(np.argmin(Gm), Gm.shape)
        out.append(_check("Assumption 1 (mu-separated data)", Gm[i, j] > 0,
                          f"mu = {_g(Gm[i, j])} (pair {i + 1}, {j + 1})"))
    if W0 is not None and s is not None:
        xp, xm = geo.x_plus_minus(X, y)
        if np.linalg.norm(xp) == 0 or np.linalg.norm(xm) == 0:
            out.append(_check("Assumption 2 (init not aligned with the opposite class)", False,
                              "ill-posed: one class is empty (x_+ or x_- = 0)"))
        else:
            W = np.asarray(W0, dtype=float)
            Wn = W / np.linalg.norm(W, axis=1, keepdims=True)
            s = np.asarray(s, dtype=float)
            cp = Wn[s > 0] @ _unit(xm)
            cm = Wn[s < 0] @ _unit(xp)
            worst = max(cp.max(initial=-1.0), cm.max(initial=-1.0))
            out.append(_check("Assumption 2 (init not aligned with the opposite class)", worst < 1 - 1e-15,
                              f"max cos(w_j(0), x_(-s_j)) = {_g(worst)}; zeta_2* = {_g(1 - max(0.0, worst) ** 2)}"))
    return out


# ============================================================================ tsoy2024 (XOR-like clusters)

_T24 = "tsoy2024"


def _t24(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{_T24}.{name}", f"{_T24} {source}", _T24, params, gamma=0.0, loss="logistic",
                   reduction="mean", notes=notes)


def _xor_symmetrize(base):
    """Orbit of base points around mu e_1 under R_1, R_2, R_r and P (tsoy2024 §5.1; authors' gen_sym_data)."""
    x = base
    for idx in (np.s_[0], np.s_[1], np.s_[2:]):
        r = np.ones(x.shape[1])
        r[idx] = -1.0
        x = np.vstack([x, r * x])
    swap = x.copy()
    swap[:, [0, 1]] = x[:, [1, 0]]
    return np.vstack([x, swap])


def xor_clusters(n: int = 256, d: int = 2, mu: float = 1.0, delta: float = 0.01, sigma: float = 0.005,
                 seed=100) -> Dataset:
    """XOR-like clusters of tsoy2024 Assumption 5.1 (§5.1), generated like the authors' gen_sym_data.

    n/16 base offsets z ~ N(0, sigma^2 I_d) truncated to ||z|| < delta (redrawn until exactly n/16 are
    accepted; the authors keep a random number), shifted to mu e_1, then the orbit under R_1, R_2, R_r
    (coordinates 3..d) and the swap P: clusters at +-e_1 (label +1) and +-e_2 (label -1), n points.
    Labels follow the paper (y_i = 1 - 2a(k): +-e_1 -> +1); the authors' BCE labels give +-e_1 the class 0,
    i.e. the opposite sign (G -> -G). For d = 2 R_r is the identity and the orbit has duplicates; the
    paper's Fig. 1 setting is d = 2, n = 256, delta = 0.01, sigma = 0.005, data seed 100.
    mu = 1 gives max ||x_i|| up to 1 + delta, outside the standing ||x_i|| <= 1; use mu <= 1 - delta.
    """
    if n % 16:
        raise DatasetError(f"n must be a multiple of 16 (orbit of size 16); got {n}")
    if d < 2:
        raise DatasetError(f"XOR data need d >= 2; got {d}")
    rng = _rng(seed)
    base = np.zeros((0, d))
    while base.shape[0] < n // 16:
        z = rng.normal(0.0, sigma, size=(n // 16, d))
        base = np.vstack([base, z[np.sum(z * z, axis=1) < delta ** 2]])
    base = base[: n // 16]
    base[:, 0] += mu
    X = _xor_symmetrize(base)
    y = np.where(np.abs(X[:, 0]) > np.abs(X[:, 1]), 1.0, -1.0)
    return _t24(X, y, "xor", "Assumption 5.1 (§5.1): XOR clusters (authors' gen_sym_data)",
                {"n": n, "d": d, "mu": mu, "delta": delta, "sigma": sigma,
                 "seed": seed if not isinstance(seed, np.random.Generator) else None})


def xor_orbit(p=(0.95, 0.05, 0.05)) -> Dataset:
    """Deterministic XOR data D2(p) / D3(p) of catalog 000 §1.2: label +1 at (+-p1, +-p2[, +-p3]) and
    label -1 at (+-p2, +-p1[, +-p3]) (p1 > p2 > 0). Closed forms: lambda = max G = G(e_1) = (p1 - p2)/8,
    delta = ||x - e_1||, regularity margin min(p2, p3). D3A = (0.95, 0.05, 0.05), D3B = (0.995, 0.005, 0.005),
    D2B = (0.995, 0.005).
    """
    p = tuple(float(t) for t in p)
    if len(p) not in (2, 3) or not p[0] > p[1] > 0:
        raise DatasetError(f"xor_orbit needs p = (p1, p2[, p3]) with p1 > p2 > 0; got {p}")
    signs = np.array(list(product((1.0, -1.0), repeat=len(p))))
    pos = signs * np.array(p)
    q = (p[1], p[0]) + p[2:]
    neg = signs * np.array(q)
    name = f"D{len(p)}({', '.join(_g(t) for t in p)})"
    return _t24(np.vstack([pos, neg]), np.r_[np.ones(len(pos)), -np.ones(len(neg))], name,
                "Assumption 5.1 (§5.1); catalog 000 orbit dataset", {"p": p})


def validate_tsoy2024(ds: Dataset, *, xi: float = 0.0, tol: float = 1e-12) -> Validation:
    """tsoy2024 standing assumption ||x_i|| <= 1 (l.235), Assumption 5.1 items 1-4 (l.776-800) and Lemma 5.2's
    condition xi + delta < 1/6 (``xi`` is the smoothing radius; 0 for ReLU).

    Item 1: nearest centre b(k) e_{a(k)+1} in {+-e_1, +-e_2}, delta = max distance < sqrt(2)/2 and labels +1 at
    +-e_1, -1 at +-e_2 (the paper's a(k), b(k) indexing and the proofs' order give the same labels, F5).
    Items 2-3: D_x invariant (as a set, up to ``tol``) under R_1, R_2, R_r (negate coordinates 3..d) and P
    (swap coordinates 1, 2). Item 4: |e_k^T x_i| >= xi + 2 Delta with Delta > 0, for k in {1, 2} (the catalog's
    reading; k in [d] would forbid zero coordinates).
    """
    X, y = ds.X, ds.y
    out = Validation(dataset=ds.name)
    xmax = float(np.max(np.linalg.norm(X, axis=1)))
    out.append(_check("||x_i|| <= 1 (l.235)", xmax <= 1 + 1e-12, f"max ||x_i|| = {_g(xmax)}"))
    if ds.d < 2:
        out.append(_check("Assumption 5.1", False, f"needs d >= 2; got d = {ds.d}"))
        return out
    centres = np.zeros((4, ds.d))
    centres[0, 0], centres[1, 0], centres[2, 1], centres[3, 1] = 1, -1, 1, -1
    dist = np.linalg.norm(X[:, None, :] - centres[None], axis=2)
    k = np.argmin(dist, axis=1)
    delta = float(np.max(dist[np.arange(ds.n), k]))
    want = np.where(k < 2, 1.0, -1.0)
    wrong = np.flatnonzero(y != want)
    ok1 = delta < math.sqrt(2) / 2 and wrong.size == 0
    why1 = f"delta = {_g(delta)} (< sqrt(2)/2 = {_g(math.sqrt(2) / 2)} needed)"
    if wrong.size:
        i = wrong[0]
        why1 += f"; y_{i + 1} = {_g(y[i])} but its cluster centre {_vec(centres[k[i]])} has label {_g(want[i])}"
    out.append(_check("Assumption 5.1.1 (clusters at +-e_1 (y=+1), +-e_2 (y=-1))", ok1, why1))
    scale = max(1.0, xmax)
    maps = {"R_1": lambda Z: Z * _sign_vec(ds.d, [0]), "R_2": lambda Z: Z * _sign_vec(ds.d, [1]),
            "R_r": lambda Z: Z * _sign_vec(ds.d, list(range(2, ds.d))), "P": lambda Z: Z[:, _swap01(ds.d)]}
    for label, names in (("Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})", ("R_1", "R_2", "R_r")),
                         ("Assumption 5.1.3 (P D_x = D_x)", ("P",))):
        bad = None
        for nm in names:
            miss = _set_mismatch(X, maps[nm](X), tol * scale)
            if miss is not None:
                bad = f"{nm} x_{miss[0] + 1} = {_vec(maps[nm](X)[miss[0]])} is at distance {_g(miss[1])} from D_x"
                break
        out.append(_check(label, bad is None, bad or "invariant"))
    m = float(np.min(np.abs(X[:, :2])))
    Delta = (m - xi) / 2
    out.append(_check("Assumption 5.1.4 (|e_k^T x_i| >= xi + 2 Delta, Delta > 0)", Delta > 0,
                      f"min_(i, k<=2) |x_i^k| = {_g(m)}, xi = {_g(xi)}: Delta = {_g(Delta)}"))
    out.append(_check("Lemma 5.2 condition (xi + delta < 1/6)", xi + delta < 1 / 6,
                      f"xi + delta = {_g(xi + delta)} vs 1/6 = {_g(1 / 6)}"))
    return out


def _sign_vec(d, idx):
    v = np.ones(d)
    v[idx] = -1.0
    return v


def _swap01(d):
    p = list(range(d))
    p[0], p[1] = 1, 0
    return p


def _set_mismatch(X, TX, atol):
    """First row of TX not within atol of a row of X (and vice versa); None if the sets coincide."""
    for A, B in ((TX, X), (X, TX)):
        D = np.min(np.linalg.norm(A[:, None, :] - B[None, :, :], axis=2), axis=1)
        i = int(np.argmax(D))
        if D[i] > atol:
            return i, float(D[i])
    return None


# ============================================================================ registry

DATASETS: dict[str, Callable[..., Dataset]] = {
    "boursier2024.DS-P": three_point,
    "boursier2024.DS-G": boursier2024_ds_g,
    "boursier2024.DS-S6": boursier2024_ds_s6,
    "boursier2024.DS-V": boursier2024_ds_v,
    "boursier2024.DS-2N": boursier2024_ds_2n,
    "boursier2024.box": three_point_box,
    "boursier2024.stewart": stewart,
    "lyu2021.DS-S": lyu2021_ds_s,
    "lyu2021.DS-S2": lyu2021_ds_s2,
    "lyu2021.DS-H": lyu2021_ds_h,
    "lyu2021.DS-A": lyu2021_ds_a,
    "lyu2021.DS-K": lyu2021_ds_k,
    "lyu2021.DS-O": lyu2021_ds_o,
    "lyu2021.symmetric": symmetric_separable,
    "min2024.DS-A": min2024_ds_a,
    "min2024.DS-B": min2024_ds_b,
    "min2024.DS-C": min2024_ds_c,
    "min2024.mu-separated": mu_separated,
    "tsoy2024.xor": partial(xor_clusters, mu=0.99),
    "tsoy2024.xor-authors": xor_clusters,
    "tsoy2024.D3A": partial(xor_orbit, p=(0.95, 0.05, 0.05)),
    "tsoy2024.D3B": partial(xor_orbit, p=(0.995, 0.005, 0.005)),
    "tsoy2024.D2B": partial(xor_orbit, p=(0.995, 0.005)),
}

VALIDATORS: dict[str, Callable[..., Validation]] = {
    "boursier2024": validate_boursier2024,
    "lyu2021": validate_lyu2021,
    "min2024": validate_min2024,
    "tsoy2024": validate_tsoy2024,
}


def build(name: str, **params) -> Dataset:
    """Build a registered dataset by name, e.g. ``build("boursier2024.DS-P", eta=0.1)``."""
    try:
        ctor = DATASETS[name]
    except KeyError:
        raise DatasetError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}") from None
    return ctor(**params)


def validate(ds: Dataset, paper: str | None = None, **kw) -> Validation:
    """Run the validator of ``paper`` (default: the dataset's own paper) on ``ds``."""
    paper = paper or ds.paper
    if paper not in VALIDATORS:
        raise DatasetError(f"no validator for paper {paper!r}; known: {sorted(VALIDATORS)}")
    return VALIDATORS[paper](ds, **kw)


# ============================================================================ user files

_SETTINGS = ("gamma", "loss", "reduction")
_JSON_KEYS = {"X", "y", "name", "source", "notes", "params", *_SETTINGS}


def _json_matrix(rows, where):
    if not isinstance(rows, list) or not rows:
        raise DatasetError(f"{where}: 'X' must be a non-empty list of rows (lists of numbers)")
    width = None
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise DatasetError(f"{where}: X row {i} is {type(row).__name__}, not a list of numbers "
                               f"(X must be a list of rows, e.g. [[0.5, 1.0], [2.0, 1.0]])")
        if width is None:
            width = len(row)
        if len(row) != width:
            raise DatasetError(f"{where}: ragged X: row {i} has {len(row)} entries, row 0 has {width}")
        out.append([_json_number(v, f"X[{i}][{j}]", where) for j, v in enumerate(row)])
    return out


def _json_number(v, label, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DatasetError(f"{where}: {label} = {v!r} is not a number")
    if not math.isfinite(v):
        raise DatasetError(f"{where}: {label} = {v!r} is not finite")
    return float(v)


def _load_json(path: Path):
    where = str(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DatasetError(f"{where}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    except UnicodeDecodeError as e:
        raise DatasetError(f"{where}: not UTF-8 text ({e.reason})") from None
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: the top level must be an object {{\"X\": [[...]], \"y\": [...]}}")
    for key in ("X", "y"):
        if key not in obj:
            raise DatasetError(f"{where}: missing key {key!r} (need 'X' (n x d) and 'y' (n))")
    unknown = sorted(set(obj) - _JSON_KEYS)
    if unknown:
        raise DatasetError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_JSON_KEYS)}")
    X = _json_matrix(obj["X"], where)
    if not isinstance(obj["y"], list):
        raise DatasetError(f"{where}: 'y' must be a list of numbers")
    y = [_json_number(v, f"y[{i}]", where) for i, v in enumerate(obj["y"])]
    if obj.get("params") is not None and not isinstance(obj["params"], dict):
        raise DatasetError(f"{where}: 'params' must be an object")
    meta = {k: obj[k] for k in ("name", "source", "notes") if k in obj}
    for k, v in meta.items():
        if not isinstance(v, str):
            raise DatasetError(f"{where}: {k!r} must be a string; got {v!r}")
    return X, y, {k: obj[k] for k in _SETTINGS if k in obj}, meta, obj.get("params") or {}


def _load_npz(path: Path):
    where = str(path)
    with open(path, "rb") as fh:
        magic = fh.read(6)
        if magic == b"\x93NUMPY":
            raise DatasetError(f"{where}: this is a single .npy array, not an .npz archive; "
                               "save with numpy.savez(path, X=X, y=y)")
        if not magic.startswith(b"PK"):
            raise DatasetError(f"{where}: not a readable NPZ archive (not a zip file)")
        fh.seek(0)
        try:
            with np.load(fh, allow_pickle=False) as f:
                files = {k: f[k] for k in f.files}
        except ValueError as e:
            if "pickle" not in str(e):
                raise DatasetError(f"{where}: not a readable NPZ archive ({e})") from None
            raise DatasetError(f"{where}: cannot read NPZ without pickles (an object array); "
                               "store X, y as numeric arrays") from None
        except Exception as e:  # zipfile.BadZipFile, EOFError, OSError, ...
            raise DatasetError(f"{where}: not a readable NPZ archive ({type(e).__name__}: {e})") from None
    for key in ("X", "y"):
        if key not in files:
            raise DatasetError(f"{where}: missing array {key!r}; found {sorted(files)}")
    unknown = sorted(set(files) - {"X", "y", *_SETTINGS})
    if unknown:
        raise DatasetError(f"{where}: unknown array(s) {unknown}; allowed: X, y, {', '.join(_SETTINGS)}")
    settings = {}
    for k in _SETTINGS:
        if k in files:
            a = files[k]
            if a.ndim != 0:
                raise DatasetError(f"{where}: {k!r} must be a scalar; got shape {a.shape}")
            settings[k] = a.item()
    return files["X"], files["y"], settings, {}, {}


def load_user_dataset(path) -> Dataset:
    """Load a user dataset: ``.npz`` with arrays X (n, d), y (n,) [, gamma, loss, reduction scalars], or
    ``.json`` {"X": [[...], ...], "y": [...], optional "gamma", "loss", "reduction", "name", "source",
    "notes", "params"}. Every malformed input raises :class:`DatasetError` naming the problem (missing key,
    ragged or non-numeric rows, wrong shapes, NaN/inf, empty data, labels not +-1 for logistic loss,
    unknown keys or extension).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".npz", ".json"):
        raise DatasetError(f"{path}: unknown extension {path.suffix!r}; use .npz or .json")
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    X, y, settings, meta, params = (_load_json if suffix == ".json" else _load_npz)(path)
    where = str(path)
    X, y = _checked_arrays(X, y, where)
    gamma = settings.get("gamma")
    if gamma is not None and (isinstance(gamma, bool) or not isinstance(gamma, (int, float))):
        raise DatasetError(f"{where}: gamma must be a number in [0, 1]; got {gamma!r}")
    for k in ("loss", "reduction"):
        if k in settings and not isinstance(settings[k], str):
            raise DatasetError(f"{where}: {k} must be a string; got {settings[k]!r}")
    _check_settings(None if gamma is None else float(gamma), settings.get("loss"), settings.get("reduction"), y, where)
    return Dataset(X, y, name=meta.get("name", path.stem), source=meta.get("source", f"user file {path.name}"),
                   paper=None, params=dict(params), gamma=None if gamma is None else float(gamma),
                   loss=settings.get("loss"), reduction=settings.get("reduction"), notes=meta.get("notes", ""))
