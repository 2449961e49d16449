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
from itertools import product
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
