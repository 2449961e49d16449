"""Activation-cone geometry at the origin: the G function, its extrema, extremal vectors, D_u, D_+-.

Notation (shared with :mod:`numerics.network`): data ``X`` (n, d) with rows x_k, labels ``y`` (n,),
leaky slope ``gamma`` (sigma(z) = max(z, gamma z)), loss ``"square"`` (1/2 (yhat - y)^2) or
``"logistic"`` (ln(1 + e^{-y yhat})), ``reduction="mean"`` (the papers' 1/n) or ``"sum"`` (min2024).
``ell'_k`` denotes d ell / d yhat at (h_k, y_k); at the origin theta = 0 every h_k = 0.

Quantities (paper and equation in each docstring):

* A(w) = (1_{<w,x_k> > 0})_k, boursier2022 l.237: :func:`activation`
* A(w) = (sign <w,x_k>)_k in {-1,0,1}^n, boursier2024 l.107: :func:`sign_pattern`
* D(w,theta) with a fixed derivative selection, boursier2022 Eq. (3) D_j^t: :func:`D_vector`
* D(w,theta), the min-norm element of the Clarke set, boursier2024 l.93-97 / Eq. (6): :func:`D_min_norm`,
  :func:`D_u`
* G(w) = -(1/n) sum_k ell'(0, y_k) sigma(<w,x_k>), boursier2024 Eq. (7), tsoy2024 Eq. (2), lyu2021 l.497:
  :func:`G`, :func:`G_extrema`
* activation cones A^{-1}(u) (all faces of the arrangement {x_k^perp}): :func:`activation_faces`
* extremal vectors (boursier2024 Def. 1), D_max, D_min, alpha_min, delta_0 (Eqs. (20)-(24)):
  :func:`extremal_vectors`, :func:`cone_constants`
* D_+, D_- (boursier2022 l.495-511): :func:`D_plus_minus`
* mu, x_+, x_- (min2024 Assumption 1, l.281, l.343-352): :func:`mu_separation`, :func:`x_plus_minus`
* mu, x_i^+-, mu^+- (lyu2021 l.392, Eq. (6)): :func:`mu_vector`, :func:`x_pm`, :func:`mu_pm`
* K, the extreme data rays (boursier2024 l.521): :func:`data_cone_extreme_indices`
* Delta-regularity (tsoy2024 Def. 4.3): :func:`regularity`

Normalisation of G (read before comparing with a paper). With the loss conventions above,
ell'(0, y) = -y (square) and -y/2 (logistic), so

* square loss:   G(w) = (1/n) sum_k y_k sigma(<w,x_k>)   (boursier2024 Eq. (7) with Eq. (10));
* logistic loss: G(w) = (1/(2n)) sum_k y_k sigma(<w,x_k>) (tsoy2024 Eq. (2), lyu2021 l.497).

Under lyu2021's symmetry (Assumption 4.1) this gives G(w) = (1+alpha)/4 <w, mu>, NOT the printed
(1+alpha)/2 <w, mu> (catalog finding lyu2021 F1): we implement the definition, not the printed identity.

Exactness. The arrangement of the hyperplanes x_k^perp is enumerated combinatorially (flats by
intersection, cells around their extreme rays, angles in 2-D), so G's extrema, the extremal vectors and
the cone constants are exact up to floating-point rounding for any rank(X) <= 3 and n <= 40 in well under a
second; the same code runs for higher rank with a cost growing like n^(rank-1).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

import numpy as np
from scipy.optimize import lsq_linear, nnls

from .network import LOSSES, loss_derivative, sigma

__all__ = [
    "null_space",
    "face_selections",
    "activation",
    "sign_pattern",
    "loss_slopes",
    "G",
    "D_vector",
    "DSelection",
    "D_u",
    "D_min_norm",
    "Face",
    "activation_faces",
    "cone_max_cos",
    "GExtrema",
    "G_extrema",
    "Extremal",
    "extremal_vectors",
    "ConeConstants",
    "cone_constants",
    "D_plus_minus",
    "mu_separation",
    "x_plus_minus",
    "mu_vector",
    "x_pm",
    "mu_pm",
    "data_cone_extreme_indices",
    "regularity",
]

#: relative tolerance for "<w, x_k> = 0" in the arrangement (|<w,x_k>| <= TOL ||w|| ||x_k||)
TOL = 1e-10


# ----------------------------------------------------------------------------- small helpers


def _as_data(X, y=None):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n, d); got shape {X.shape}")
    if y is None:
        return X
    y = np.asarray(y, dtype=float)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},); got {y.shape}")
    return X, y


def _weight(n: int, reduction: str) -> float:
    if reduction == "mean":
        return 1.0 / n
    if reduction == "sum":
        return 1.0
    raise ValueError(f"reduction must be 'mean' or 'sum'; got {reduction!r}")


def loss_slopes(y, h=None, loss: str = "square"):
    """ell'_k = d ell / d yhat at (h_k, y_k); h = 0 (the origin theta = 0) by default.

    Square: h - y (so -y at 0); logistic: -y / (1 + e^{y h}) (so -y/2 at 0). Reuses
    :func:`numerics.network.loss_derivative` (stable logistic form).
    """
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}; got {loss!r}")
    y = np.asarray(y, dtype=float)
    h = np.zeros_like(y) if h is None else np.asarray(h, dtype=float)
    return np.asarray(loss_derivative(h, y, loss), dtype=float)


def _coef(y, h, loss, reduction):
    """c_k = -weight * ell'_k: G(w) = sum_k c_k sigma(<w,x_k>) and D = sum_k eta_k c_k x_k."""
    return -_weight(len(y), reduction) * loss_slopes(y, h, loss)


def null_space(M, tol=TOL):
    """Orthonormal basis (columns) of {v : M v = 0}; M has shape (r, q)."""
    M = np.atleast_2d(M)
    q = M.shape[1]
    if M.shape[0] == 0:
        return np.eye(q)
    _, s, vt = np.linalg.svd(M)
    scale = s[0] if s.size and s[0] > 0 else 1.0
    rank = int(np.sum(s > tol * scale))
    return vt[rank:].T


def _row_space(M, tol=TOL):
    """Orthonormal basis (columns) of the span of the rows of M."""
    M = np.atleast_2d(M)
    if M.shape[0] == 0:
        return np.zeros((M.shape[1], 0))
    _, s, vt = np.linalg.svd(M)
    scale = s[0] if s.size and s[0] > 0 else 1.0
    rank = int(np.sum(s > tol * scale))
    return vt[:rank].T


def _unit(v):
    return v / np.linalg.norm(v)


# ----------------------------------------------------------------------------- patterns, G, D


def activation(w, X):
    """A(w) = (1_{<w,x_k> > 0})_k (boursier2022 l.237), bool (n,) or (m, n) for rows w_j of w."""
    X = _as_data(X)
    return np.asarray(np.asarray(w, dtype=float) @ X.T > 0, dtype=bool)


def sign_pattern(w, X, tol: float = 0.0):
    """A(w) = (sign <w,x_k>)_k in {-1,0,1}^n (boursier2024 l.107), int8 (n,) or (m, n).

    ``<w,x_k>`` counts as 0 when |<w,x_k>| <= tol ||w|| ||x_k|| (tol = 0: exact zeros only).
    """
    X = _as_data(X)
    w = np.asarray(w, dtype=float)
    z = w @ X.T
    thr = tol * np.linalg.norm(w, axis=-1)[..., None] * np.linalg.norm(X, axis=1)
    return np.where(z > thr, 1, np.where(z < -thr, -1, 0)).astype(np.int8)


def G(w, X, y, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean"):
    """G(w) = -(1/n) sum_k ell'(0, y_k) sigma(<w, x_k>) (boursier2024 Eq. (7), l.136).

    1-homogeneous and piecewise linear (linear on every activation cone). Square loss:
    (1/n) sum_k y_k sigma(<w,x_k>); logistic: (1/(2n)) sum_k y_k sigma(<w,x_k>) = tsoy2024 Eq. (2)
    = lyu2021 l.497. ``w`` may be (d,) or (m, d) (one value per row).
    """
    X, y = _as_data(X, y)
    c = _coef(y, None, loss, reduction)
    return sigma(np.asarray(w, dtype=float) @ X.T, gamma) @ c


def D_vector(w, X, y, h=None, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean",
             at_zero: float = 0.0):
    """D(w, theta) = -(1/n) sum_k sigma'(<w,x_k>) ell'(h_k, y_k) x_k with a FIXED selection sigma'(0) = at_zero.

    boursier2022 Eq. (3): D_j^t = -(1/n) sum_k 1_{<w_j,x_k> > 0} (h_theta(x_k) - y_k) x_k (ReLU,
    at_zero = 0). ``h`` are the network outputs h_theta(x_k) (default 0: theta = 0). At a kink this is one
    element of the Clarke set, not its min-norm element: use :func:`D_min_norm` for boursier2024's D(w,theta).
    ``w`` may be (d,) or (m, d).
    """
    X, y = _as_data(X, y)
    c = _coef(y, h, loss, reduction)
    z = np.asarray(w, dtype=float) @ X.T
    eta = np.where(z > 0, 1.0, np.where(z < 0, gamma, at_zero))
    return (eta * c) @ X


class DSelection(NamedTuple):
    """A min-norm selection D = sum_k eta_k c_k x_k of the Clarke set, with its eta and the pattern u."""

    D: np.ndarray
    eta: np.ndarray
    pattern: np.ndarray


def _min_norm_box(b, Z, lo, hi):
    """argmin_{eta in [lo, hi]^K} ||b + Z eta|| (Z: (d, K)); exact active-set solution (BVLS + polish)."""
    K = Z.shape[1]
    if K == 0:
        return np.zeros(0)
    if hi - lo <= 0:
        return np.full(K, float(lo))
    if K == 1:
        zz = float(Z[:, 0] @ Z[:, 0])
        t = lo if zz == 0 else -float(b @ Z[:, 0]) / zz
        return np.array([min(max(t, lo), hi)])
    eta = lsq_linear(Z, -b, bounds=(lo, hi), method="bvls", tol=1e-15).x
    # polish: re-solve the free coordinates exactly on the active set found by BVLS
    span = hi - lo
    free = (eta > lo + 1e-9 * span) & (eta < hi - 1e-9 * span)
    fixed = np.where(eta <= lo + 1e-9 * span, lo, hi)
    if free.any():
        rhs = -(b + Z[:, ~free] @ fixed[~free])
        sol = np.linalg.lstsq(Z[:, free], rhs, rcond=None)[0]
        if np.all(sol >= lo) and np.all(sol <= hi):
            out = fixed.copy()
            out[free] = sol
            if np.linalg.norm(b + Z @ out) <= np.linalg.norm(b + Z @ eta) + 1e-15:
                return out
        return eta
    return fixed


def D_u(u, X, y, h=None, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean") -> DSelection:
    """D_u^theta: the min-norm element of the set 𝔇_u^theta (boursier2024 l.93-107, App. D.1).

    𝔇_u^theta = { -(1/n) sum_k eta_k ell'(h_k, y_k) x_k : eta_k = 1 if u_k = 1, gamma if u_k = -1,
    eta_k in [gamma, 1] if u_k = 0 }. The min-norm point is a box-constrained least-squares problem in the
    eta_k with u_k = 0, solved exactly (active set). ``h`` = outputs h_theta(x_k); default 0 gives D_u = D_u^0.
    """
    X, y = _as_data(X, y)
    u = np.asarray(u, dtype=np.int8)
    c = _coef(y, h, loss, reduction)
    eta = np.where(u > 0, 1.0, np.where(u < 0, gamma, np.nan))
    K = np.flatnonzero(u == 0)
    fixed = np.flatnonzero(u != 0)
    b = (eta[fixed] * c[fixed]) @ X[fixed]
    Z = (c[K, None] * X[K]).T
    eta[K] = _min_norm_box(b, Z, float(gamma), 1.0)
    return DSelection(D=(eta * c) @ X, eta=eta, pattern=u)


def D_min_norm(w, X, y, h=None, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean",
               tol: float = 1e-12) -> DSelection:
    """boursier2024's D(w, theta) = argmin_{D in 𝔇(w,theta)} ||D|| (l.93-97; the min-norm / Filippov selection).

    The kinks are the k with |<w,x_k>| <= tol ||w|| ||x_k|| (exact zeros for tol = 0). Away from kinks this
    equals :func:`D_vector`. Equals D_u^theta with u = sign_pattern(w).
    """
    X, y = _as_data(X, y)
    return D_u(sign_pattern(w, X, tol), X, y, h, gamma=gamma, loss=loss, reduction=reduction)


# ----------------------------------------------------------------------------- the arrangement


@dataclass(frozen=True)
class Face:
    """A non-zero activation cone A^{-1}(u) (a relatively open face of the arrangement {x_k^perp}).

    ``pattern`` u in {-1,0,1}^n; ``point`` a unit vector in it; ``flat`` an orthonormal basis (d, q) of
    span(face) ∩ span(X); ``dim`` the dimension of the face in R^d (q + d - rank X).
    """

    pattern: np.ndarray
    point: np.ndarray
    flat: np.ndarray
    dim: int


def _cells_2d(N):
    """Cells of a central line arrangement in R^2 with normals N (c, 2) of rank 2: unit midpoints."""
    phi = np.arctan2(N[:, 1], N[:, 0])
    b = np.sort(np.mod(np.concatenate([phi + np.pi / 2, phi + 3 * np.pi / 2]), 2 * np.pi))
    keep = np.concatenate([[True], np.diff(b) > 1e-10])
    b = b[keep]
    if b.size > 1 and (b[0] + 2 * np.pi - b[-1]) <= 1e-10:
        b = b[:-1]
    nxt = np.concatenate([b[1:], [b[0] + 2 * np.pi]])
    mid = (b + nxt) / 2
    return np.stack([np.cos(mid), np.sin(mid)], axis=1)


def _cells(N, tol=TOL):
    """Cells (full-dimensional regions) of the central arrangement {z : <N_k, z> = 0} in R^q.

    Returns (patterns (c, rows) in {-1, 1}, unit points (c, q)). Rank <= 2 by angles; rank >= 3 by
    walking around every ray (1-dim face): each cell of an essential arrangement is a pointed cone, so it
    touches a ray v, and the cells around v are the cells of the hyperplanes through v, taken in v^perp.
    """
    rows, q = N.shape
    if rows == 0:
        e = np.zeros((1, q))
        e[0, 0] = 1.0
        return np.zeros((1, 0), dtype=np.int8), e
    S = _row_space(N, tol)
    s = S.shape[1]
    if s < q:  # non-essential: cells = cells of the essentialisation (lineality adds nothing to signs)
        pats, pts = _cells(N @ S, tol)
        return pats, pts @ S.T
    if s == 1:
        v = _unit(N[np.argmax(np.linalg.norm(N, axis=1))])
        pts = np.stack([v, -v])
    elif s == 2:
        pts = _cells_2d(N)
    else:
        norms = np.linalg.norm(N, axis=1)
        found = {}
        seen_rays = set()
        for sub in combinations(range(rows), s - 1):
            ns = null_space(N[list(sub)], tol)
            if ns.shape[1] != 1:
                continue
            for v in (ns[:, 0], -ns[:, 0]):
                dots = N @ v
                on = np.abs(dots) <= tol * norms
                key = (tuple(np.flatnonzero(on)), tuple(np.sign(dots[~on]).astype(int)))
                if key in seen_rays:
                    continue
                seen_rays.add(key)
                T = null_space(v[None, :], tol)  # (s, s-1) basis of v^perp
                sub_pats, sub_pts = _cells(N[on] @ T, tol)
                off_sign = np.sign(dots[~on]).astype(np.int8)
                for tau, t in zip(sub_pats, sub_pts):
                    tt = T @ t
                    if (~on).any():
                        eps = 0.5 * np.min(np.abs(dots[~on])) / (np.max(np.abs(N[~on] @ tt)) + 1e-300)
                    else:
                        eps = 1.0
                    pat = np.empty(rows, dtype=np.int8)
                    pat[on] = tau
                    pat[~on] = off_sign
                    k = pat.tobytes()
                    if k not in found:
                        found[k] = (pat, _unit(v + min(eps, 1.0) * tt))
        pats = np.array([p for p, _ in found.values()], dtype=np.int8)
        return pats, np.array([x for _, x in found.values()])
    pats = np.sign(N @ pts.T).T.astype(np.int8)
    return pats, pts


@dataclass(frozen=True)
class _Flat:
    basis: np.ndarray  # (d, q) orthonormal, inside span(X)
    zero: np.ndarray  # bool (n,): x_k orthogonal to the flat
    patterns: np.ndarray  # (c, n) int8, 0 on `zero`
    points: np.ndarray  # (c, d) unit


@dataclass(frozen=True)
class _Arrangement:
    flats: tuple  # of _Flat
    rank: int  # rank of X
    ray_patterns: np.ndarray  # (c, n) patterns of the 1-dim faces inside span(X)
    ray_points: np.ndarray  # (c, d) their unit directions


@lru_cache(maxsize=64)
def _arrangement_cached(key, shape, tol):
    X = np.frombuffer(key, dtype=float).reshape(shape)
    n, d = shape
    xn = np.linalg.norm(X, axis=1)
    B0 = _row_space(X, tol) if n else np.zeros((d, 0))
    flats = []

    def zero_set(B):
        return np.linalg.norm(X @ B, axis=1) <= tol * np.maximum(xn, 1e-300)

    todo = [B0] if B0.shape[1] else []
    seen = {zero_set(B0).tobytes()}
    while todo:
        B = todo.pop()
        Z = zero_set(B)
        live = np.flatnonzero(~Z)
        pats_live, pts = _cells(X[live] @ B, tol)
        pats = np.zeros((pats_live.shape[0], n), dtype=np.int8)
        pats[:, live] = pats_live
        flats.append(_Flat(*(_frozen(a) for a in (B, Z, pats, pts @ B.T))))
        if B.shape[1] == 1:
            continue
        for k in live:
            Bn = B @ null_space((X[k] @ B)[None, :], tol)
            key_k = zero_set(Bn).tobytes()
            if key_k not in seen:
                seen.add(key_k)
                todo.append(Bn)
    ones = [f for f in flats if f.basis.shape[1] == 1]
    ray_pats = np.concatenate([f.patterns for f in ones]) if ones else np.zeros((0, n), dtype=np.int8)
    ray_pts = np.concatenate([f.points for f in ones]) if ones else np.zeros((0, d))
    return _Arrangement(tuple(flats), B0.shape[1], _frozen(ray_pats), _frozen(ray_pts))


def _frozen(a):
    """Read-only view: the arrangement is cached and shared between callers."""
    a = np.asarray(a)
    a.setflags(write=False)
    return a


def _arrangement(X, tol=TOL) -> _Arrangement:
    X = np.ascontiguousarray(np.asarray(X, dtype=float))
    return _arrangement_cached(X.tobytes(), X.shape, float(tol))


def activation_faces(X, tol: float = TOL) -> list[Face]:
    """All activation cones A^{-1}(u) other than {0} (boursier2024 l.107), with a point in each.

    These are the relatively open faces of the hyperplane arrangement {x_k^perp}: full-dimensional
    sectors (no zero in u), walls, rays, ... In 2-D with n generic bias-augmented points there are 2n
    sectors and 2n rays (boursier2024 E07). If rank X < d, the face {w : <w,x_k> = 0 for all k} =
    span(X)^perp is included with pattern 0. Zeros of <w,x_k> are decided with relative tolerance ``tol``.
    """
    X = _as_data(X)
    arr = _arrangement(X, tol)
    flats, r = arr.flats, arr.rank
    d = X.shape[1]
    out = [Face(p, x, f.basis, f.basis.shape[1] + d - r) for f in flats for p, x in zip(f.patterns, f.points)]
    if r < d:
        L = null_space(X, tol) if X.shape[0] else np.eye(d)
        out.append(Face(np.zeros(X.shape[0], dtype=np.int8), L[:, 0], np.zeros((d, 0)), d - r))
    return out


def cone_max_cos(D, u, X, tol: float = TOL):
    """max_{w in cl A^{-1}(u), w != 0} <w, D> / (||w|| ||D||) (used in boursier2024 Eq. (24)).

    cl A^{-1}(u) = {w : u_k <w,x_k> >= 0 (u_k != 0), <w,x_k> = 0 (u_k = 0)}. If the projection P of D on
    this closed convex cone is non-zero the value is ||P||/||D|| (P by NNLS on the polar cone, Moreau);
    otherwise the maximum is <= 0 and attained on an extreme ray of the cone (or 0 on its lineality).
    Returns nan if the cone is {0}.
    """
    X = _as_data(X)
    D = np.asarray(D, dtype=float)
    u = np.asarray(u, dtype=np.int8)
    nD = np.linalg.norm(D)
    if nD == 0:
        raise ValueError("cone_max_cos needs D != 0")
    V = null_space(X[u == 0], tol) if np.any(u == 0) else np.eye(X.shape[1])
    if V.shape[1] == 0:
        return float("nan")
    M = (u[u != 0, None] * X[u != 0]) @ V  # cone in V-coordinates: {z : M z >= 0}
    z0 = V.T @ D
    if M.shape[0]:
        lam, _ = nnls(M.T, -z0)
        P = z0 + M.T @ lam
    else:
        P = z0
    if np.linalg.norm(P) > 1e-12 * nD:
        return float(min(np.linalg.norm(P) / nD, 1.0))
    lineality = null_space(M, tol).shape[1] if M.shape[0] else V.shape[1]
    if lineality > 0:
        return 0.0  # the cone contains a line, orthogonal to D (D is in the polar cone)
    arr = _arrangement(X, tol)
    pats, pts = arr.ray_patterns, arr.ray_points
    inside = np.all((pats == u) | (pats == 0), axis=1) & np.all(pats[:, u == 0] == 0, axis=1)
    if not inside.any():
        return float("nan")
    return float(np.max(pts[inside] @ D) / nD)


# ----------------------------------------------------------------------------- G extrema


@dataclass(frozen=True)
class GExtrema:
    """Global extrema of G on the unit sphere, with the maximisers / minimisers (unit rows).

    If an extremum is attained on a continuum (a flat piece of G, e.g. a dead arc where G = 0), the
    arrays hold representative points of it (its extreme rays), not the whole set.
    """

    max_value: float
    argmax: np.ndarray
    min_value: float
    argmin: np.ndarray


def _max_piecewise_linear(X, c, gamma, tol):
    """max over the unit sphere of g(w) = sum_k c_k sigma(<w,x_k>) and its maximisers (exact).

    The maximiser w* lies in the relative interior of a face F with flat V; there g = <D~, w> with
    D~ = sum_{u_k=1} c_k x_k + gamma sum_{u_k=-1} c_k x_k, so w* = P_V D~ / ||P_V D~|| (or, for a ray,
    the ray itself; on a flat piece g = 0, reached at an extreme ray or on span(X)^perp).
    """
    arr = _arrangement(X, tol)
    flats, r = arr.flats, arr.rank
    d = X.shape[1]
    cand = []
    for f in flats:
        if f.basis.shape[1] == 1:
            cand.append(f.points)
            continue
        E = np.where(f.patterns > 0, 1.0, np.where(f.patterns < 0, gamma, 0.0))
        Dt = (E * c) @ X
        P = (Dt @ f.basis) @ f.basis.T
        nP = np.linalg.norm(P, axis=1)
        # candidates whose projection leaves the face are harmless: g is evaluated at every candidate point
        ok = nP > 1e-14 * (np.abs(c) @ np.linalg.norm(X, axis=1))
        if ok.any():
            cand.append(P[ok] / nP[ok, None])
    if r < d:
        cand.append(null_space(X, tol)[:, :1].T if X.shape[0] else np.eye(d)[:1])
    W = np.concatenate(cand) if cand else np.eye(d)[:1]
    vals = sigma(W @ X.T, gamma) @ c
    best = float(np.max(vals))
    atol = 1e-12 * max(1.0, float(np.abs(c) @ np.linalg.norm(X, axis=1)))
    top = W[vals >= best - atol]
    uniq = []
    for w in top:
        if all(np.linalg.norm(w - v) > 1e-9 for v in uniq):
            uniq.append(w)
    return best, np.array(uniq)


def G_extrema(X, y, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean",
              tol: float = TOL) -> GExtrema:
    """Global max and min of G on the unit sphere and where they are attained (boursier2024 Eq. (7)).

    Exact: on each activation cone G is linear, G(w) = <D~_u, w>; the candidates are, for every face of
    the arrangement, the normalised projection of D~_u on the face's span when it lies in the face's closure,
    plus every ray. The max over these candidates is the max of G (see :func:`_max_piecewise_linear`).
    The maximisers are the cluster directions of positive neurons (tsoy2024 Thm 4.1: lambda = max |G|;
    lyu2021: lambda_0 = max |G|); the minimisers those of negative neurons.
    """
    X, y = _as_data(X, y)
    c = _coef(y, None, loss, reduction)
    mx, amx = _max_piecewise_linear(X, c, gamma, tol)
    mn, amn = _max_piecewise_linear(X, -c, gamma, tol)
    return GExtrema(max_value=mx, argmax=amx, min_value=-mn, argmin=amn)


# ----------------------------------------------------------------------------- extremal vectors, constants


@dataclass(frozen=True)
class Extremal:
    """An extremal vector D_u (boursier2024 Def. 1): D_u != 0 and D_u in sign * A^{-1}(u).

    sign = +1: D_u/||D_u|| lies in the cone and is a critical point of G on the sphere with G = +||D_u||
    (a local max on a sector; on a ray it may be a local min, e.g. boursier2024 DS-2N's ray ⊥x_2);
    sign = -1: -D_u/||D_u|| lies in the cone, with G = -||D_u|| there.
    """

    pattern: np.ndarray
    D: np.ndarray
    eta: np.ndarray
    sign: int

    @property
    def norm(self) -> float:
        return float(np.linalg.norm(self.D))


def _same_pattern(D, X, u, tol):
    return np.array_equal(sign_pattern(D, X, tol), u)


def face_selections(X, y, gamma, loss, reduction, tol):
    """D_u (min-norm of 𝔇_u at theta = 0, boursier2024 Eq. (8)) for every realisable activation pattern u of the
    data's hyperplane arrangement, including u = 0 (w = 0); ``tol`` is the face tolerance of
    :func:`activation_faces`."""
    faces = activation_faces(X, tol)
    pats = [f.pattern for f in faces]
    if not any(np.all(p == 0) for p in pats):
        pats.append(np.zeros(X.shape[0], dtype=np.int8))  # A(0) = 0: w = 0 is always realisable
    return [D_u(p, X, y, gamma=gamma, loss=loss, reduction=reduction) for p in pats]


def extremal_vectors(X, y, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean",
                     tol: float = 1e-9) -> list[Extremal]:
    """All extremal vectors of the data at theta = 0 (boursier2024 Def. 1, l.133).

    D in 𝔇_u is extremal iff D != 0 and D in A^{-1}(u) ∪ -A^{-1}(u). Testing the min-norm D_u suffices:
    if D(eta) in 𝔇_u has <D, x_k> = 0 for all k with u_k = 0, the gradient of ||D(eta)||^2 in the free
    eta_k vanishes, so D(eta) is the (unique) min-norm point D_u (boursier2024 Eq. (17)). Signs are decided
    with relative tolerance ``tol``.
    """
    X, y = _as_data(X, y)
    out = []
    for sel in face_selections(X, y, gamma, loss, reduction, TOL):
        if np.linalg.norm(sel.D) <= 1e-14 or not np.any(sel.pattern):
            continue
        for s in (1, -1):
            if _same_pattern(sel.D, X, s * sel.pattern, tol):
                out.append(Extremal(sel.pattern, sel.D, sel.eta, s))
    return out


@dataclass(frozen=True)
class ConeConstants:
    """boursier2024 App. D.1 constants (Eqs. (21), (23), (24)) at theta = 0.

    alpha_min_minus follows the printed index set of Eq. (24) (𝔇_u ∩ A^{-1}(u) = ∅);
    alpha_min_minus_sym uses the symmetric reading 𝔇_u ∩ -A^{-1}(u) = ∅ (catalog finding F9).
    Empty index sets: min ∅ = +inf (paper's convention) for delta_0', delta_0''; alpha = 1.
    """

    D_max: float
    D_min: float
    alpha_min_plus: float
    alpha_min_minus: float
    alpha_min_minus_sym: float
    alpha_min: float
    delta0_prime: float
    delta0_second: float
    delta0: float
    n_extremal: int


def _alpha(cosines, pick):
    if not cosines:
        return 1.0
    c = pick(cosines)
    return float(np.sqrt(max(0.0, 1.0 - c * c)))


def cone_constants(X, y, *, gamma: float = 0.0, loss: str = "square", reduction: str = "mean",
                   tol: float = 1e-9) -> ConeConstants:
    """D_max, D_min, alpha_min(+-), delta_0', delta_0'', delta_0 of boursier2024 (App. D.1, l.767-808).

    * D_max = max_u ||D_u|| (l.159); D_min = min_{u : 0 not in 𝔇_u} ||D_u|| (l.796).
    * alpha_min,+ = sqrt(1 - (max_{u in I} max_{w in cl A^{-1}(u) \\ 0} cos(w, D_u))^2), I = {u : 0 not in 𝔇_u,
      𝔇_u ∩ A^{-1}(u) = ∅} (Eq. (24), closure reading); alpha_min,- with the min of the min of cos.
    * delta_0' = min over extremal u and k with u_k = 0 of sigma_min(Z_u) min(eta_k - gamma, 1 - eta_k),
      Z_u = (1/n)(ell'(0,y_i) x_i)_{i in K(u)} (Eq. (20)); delta_0'' = min over extremal u and u_k != 0 of
      |<D_u, x_k>| / ||x_k|| (Eq. (21)). eta^u are the coefficients in 𝔇_u's own parametrisation (in
      [gamma, 1]); the printed "D_u = D~_u + Z_u eta^u" has the opposite sign of Z_u (sign slip).
    """
    X, y = _as_data(X, y)
    c = _coef(y, None, loss, reduction)
    sels = face_selections(X, y, gamma, loss, reduction, TOL)
    norms = np.array([np.linalg.norm(s.D) for s in sels])
    zero_tol = 1e-14 * max(1.0, float(np.abs(c) @ np.linalg.norm(X, axis=1)))
    D_max = float(norms.max())
    nonzero = [s for s, nm in zip(sels, norms) if nm > zero_tol]
    D_min = float(min((np.linalg.norm(s.D) for s in nonzero), default=np.inf))
    cos_plus, cos_minus, cos_minus_sym = [], [], []
    d0p, d0s, n_ext = np.inf, np.inf, 0
    xn = np.linalg.norm(X, axis=1)
    for s in nonzero:
        u = s.pattern
        in_plus = np.any(u) and _same_pattern(s.D, X, u, tol)
        in_minus = np.any(u) and _same_pattern(s.D, X, -u, tol)
        if in_plus or in_minus:
            n_ext += 1
            K = np.flatnonzero(u == 0)
            if K.size:
                Zu = (c[K, None] * X[K]).T  # = -(1/n) ell'(0,y) x: same singular values as Eq. (20)
                sv = np.linalg.svd(Zu, compute_uv=False)
                smin = 0.0 if K.size > X.shape[1] else float(sv[-1])
                e = s.eta[K]
                d0p = min(d0p, smin * float(np.min(np.minimum(e - gamma, 1.0 - e))))
            nz = np.flatnonzero(u != 0)
            if nz.size:
                d0s = min(d0s, float(np.min(np.abs(X[nz] @ s.D) / xn[nz])))
        if in_plus and in_minus:
            continue
        cmin = -cone_max_cos(-s.D, u, X)  # min of cos over the closed cone
        if np.isnan(cmin):
            continue  # cl A^{-1}(u) = {0}: no w != 0 to take
        if not in_plus:
            cos_plus.append(cone_max_cos(s.D, u, X))
            cos_minus.append(cmin)
        if not in_minus:
            cos_minus_sym.append(cmin)
    a_plus = _alpha(cos_plus, max)
    a_minus = _alpha(cos_minus, min)
    return ConeConstants(
        D_max=D_max,
        D_min=D_min,
        alpha_min_plus=a_plus,
        alpha_min_minus=a_minus,
        alpha_min_minus_sym=_alpha(cos_minus_sym, min),
        alpha_min=min(a_plus, a_minus),
        delta0_prime=d0p,
        delta0_second=d0s,
        delta0=min(d0p, d0s),
        n_extremal=n_ext,
    )


# ----------------------------------------------------------------------------- paper vectors


def D_plus_minus(X, y):
    """(D_+, D_-) with D_+- = (1/n) sum_{k : +-y_k > 0} y_k x_k (boursier2022 l.495-511).

    Under orthonormal inputs ||D_+-|| = ||y_+-|| / n and r = ||D_+|| / ||D_-||.
    """
    X, y = _as_data(X, y)
    n = len(y)
    return ((y * (y > 0)) @ X) / n, ((y * (y < 0)) @ X) / n


def mu_separation(X, y) -> float:
    """mu = min_{i,j} <x_i y_i, x_j y_j> / (||x_i|| ||x_j||) (min2024 Assumption 1, l.281; includes i = j).

    Assumption 1 (mu-separated data) is mu > 0. Requires non-zero inputs.
    """
    X, y = _as_data(X, y)
    nx = np.linalg.norm(X, axis=1)
    if np.any(nx == 0):
        raise ValueError("mu is undefined for a zero input x_i")
    U = (np.sign(y)[:, None] * X) / nx[:, None]
    return float(np.min(U @ U.T))


def x_plus_minus(X, y):
    """(x_+, x_-) = (sum_{i in I_+} x_i, sum_{i in I_-} x_i) (min2024 l.343-352; sums, not means)."""
    X, y = _as_data(X, y)
    return X[y > 0].sum(axis=0), X[y < 0].sum(axis=0)


def mu_vector(X, y):
    """mu = (1/n) sum_i y_i x_i (lyu2021 l.392; also boursier2024's D* = D_(1,...,1) for square loss, l.272)."""
    X, y = _as_data(X, y)
    return (y @ X) / len(y)


def x_pm(X, y, alpha: float):
    """(X^+, X^-): x_i^+ = x_i if y_i = 1 else alpha x_i; x_i^- = alpha x_i if y_i = 1 else x_i (lyu2021 Eq. (6)).

    y_i phi(<w,x_i>) = y_i <w, x_i^+-> on +-C° (the open separating cone), lyu2021 l.908-914.
    """
    X, y = _as_data(X, y)
    pos = (y > 0)[:, None]
    return np.where(pos, X, alpha * X), np.where(pos, alpha * X, X)


def mu_pm(X, y, alpha: float):
    """(mu^+, mu^-) = (1/n) sum_i y_i x_i^+- (lyu2021 Eq. (6)); symmetric data: both = (1+alpha)/2 mu.

    On +-C°, grad G = mu^+- / 2 (logistic loss), so the Phase-I growth rates are ||mu^+-|| / 2 (catalog F1).
    """
    X, y = _as_data(X, y)
    Xp, Xm = x_pm(X, y, alpha)
    return (y @ Xp) / len(y), (y @ Xm) / len(y)


def data_cone_extreme_indices(X, tol: float = TOL) -> list[int]:
    """K = {k : exists w != 0 with <w, x_k> = 0 and <w, x_k'> >= 0 for all k'} (boursier2024 l.521).

    The k whose hyperplane supports the data cone: some non-zero face of the arrangement has u_k = 0 and
    u >= 0. For 3-point data in the Assumption-3 box K = {1, 3} (0-based [0, 2]).
    """
    X = _as_data(X)
    faces = [f.pattern for f in activation_faces(X, tol) if np.all(f.pattern >= 0)]
    return [k for k in range(X.shape[0]) if any(p[k] == 0 for p in faces)]


def regularity(v, X) -> float:
    """min_i |<v/||v||, x_i>|: v is Delta-regular iff this is >= Delta (tsoy2024 Def. 4.3, l.623)."""
    X = _as_data(X)
    v = np.asarray(v, dtype=float)
    return float(np.min(np.abs(X @ (v / np.linalg.norm(v)))))
