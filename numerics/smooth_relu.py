"""The smoothed ReLU phi_{Q,xi}(v, x) = E_{z ~ U(D^d)} (v^T (x + xi z))_+ (tsoy2024 §3, l.272-287; Prop. B.2).

Q is the uniform distribution on the unit ball D^d and xi > 0 the smoothing radius. phi is 1-positively homogeneous
in v (so a two-layer net sum_j u_j phi(v_j, x) is 2-homogeneous) and C^2 but not C^3 in v != 0. With

    c = clip(v^T x / (xi ||v||), -1, 1),   K_d = Vol(D^{d-1}) / Vol(D^d),
    M0(c) = K_d int_{-c}^1 (1 - a^2)^{(d-1)/2} da   (= P(z_1 >= -c), z uniform in D^d),
    M1(c) = K_d int_{-c}^1 a (1 - a^2)^{(d-1)/2} da = K_d (1 - c^2)^{(d+1)/2} / (d + 1),

the closed forms (Prop. B.2, its gradient and Hessian with the 1/||v|| the printed Hessian misses) are

    phi(v, x)        = v^T x M0(c) + xi ||v|| M1(c)                      (= (v^T x)_+ outside the band |c| < 1),
    grad_v phi(v, x) = x M0(c) + xi v^ M1(c),
    hess_v phi(v, x) = xi M1(c) / ||v|| P_v + K_d (1 - c^2)^{(d-1)/2} / (xi ||v||) (P_v x)(P_v x)^T,

with v^ = v/||v||, P_v = I - v^ v^T. For odd d, M0 and M1 are polynomials in c (d = 3: phi = xi ||v|| (1 + c)^3
(3 - c)/16), computed here from exact rational coefficients; for even d, M0 is a regularised incomplete beta
function (Remark B.3: an arcsin term appears). xi = 0 is the ReLU itself, (v^T x)_+ with gradient 1[v^T x > 0] x
(the convention sigma'(0) = 0 of numerics.network).
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import mpmath
import numpy as np
from scipy import special

__all__ = ["kappa_vol", "profile_coefficients", "SmoothReLU", "phi_monte_carlo", "uniform_ball"]


def kappa_vol(d: int) -> float:
    """K_d = Vol(D^{d-1}) / Vol(D^d) = Gamma(d/2 + 1) / (sqrt(pi) Gamma((d+1)/2)) (3/4 for d = 3, 15/16 for d = 5,
    2/pi for d = 2)."""
    return math.exp(math.lgamma(d / 2 + 1) - math.lgamma((d + 1) / 2)) / math.sqrt(math.pi)


@lru_cache(maxsize=16)
def profile_coefficients(d: int) -> tuple:
    """Exact coefficients (Fractions, increasing powers of c) of the polynomials M0(c) and c M0(c) + M1(c) for odd
    d >= 1, and K_d (rational for odd d), from the binomial expansion of (1 - a^2)^q, q = (d-1)/2."""
    if d % 2 != 1:
        raise ValueError(f"polynomial profile needs odd d; got d = {d}")
    q = (d - 1) // 2
    # int_{-1}^{1} (1 - a^2)^q da = sum_k C(q,k) (-1)^k 2/(2k+1); K_d is its inverse
    total = sum(Fraction(math.comb(q, k) * (-1) ** k * 2, 2 * k + 1) for k in range(q + 1))
    K = 1 / total
    m0 = [Fraction(0)] * (2 * q + 2)
    for k in range(q + 1):
        coef = K * Fraction(math.comb(q, k) * (-1) ** k, 2 * k + 1)
        m0[0] += coef                      # int_{-c}^1 a^{2k} da = (1 + c^{2k+1}) / (2k + 1)
        m0[2 * k + 1] += coef
    # M1 = K (1 - c^2)^{q+1} / (d + 1)
    m1 = [Fraction(0)] * (2 * q + 3)
    for k in range(q + 2):
        m1[2 * k] += K * math.comb(q + 1, k) * (-1) ** k / (d + 1)
    shape = [Fraction(0)] * (2 * q + 3)   # c M0 + M1
    for i, v in enumerate(m0):
        shape[i + 1] += v
    for i, v in enumerate(m1):
        shape[i] += v
    return tuple(m0), tuple(shape), K


def _horner(coefs, c):
    out = np.zeros_like(c) + float(coefs[-1])
    for a in reversed(coefs[:-1]):
        out = out * c + float(a)
    return out


class SmoothReLU:
    """phi_{Q,xi} in dimension d (tsoy2024 Prop. B.2), vectorised over neurons (rows of V) and data (rows of X).

    ``xi = 0`` is the plain ReLU (gradient 1[v^T x > 0] x). For xi > 0 the activation is C^2 and the gradient flow
    of a network using it has no kink events.
    """

    def __init__(self, xi: float, d: int):
        if xi < 0:
            raise ValueError(f"xi must be >= 0; got {xi}")
        if d < 1:
            raise ValueError(f"d must be >= 1; got {d}")
        self.xi, self.d = float(xi), int(d)
        self.K = kappa_vol(d)
        if self.d % 2 == 1:
            self._m0, self._shape, _ = profile_coefficients(self.d)
        else:
            self._m0 = self._shape = None

    def __repr__(self):
        return f"SmoothReLU(xi={self.xi:g}, d={self.d})"

    # ------------------------------------------------------------------ the profile in c
    def m0(self, c):
        """M0(c) = P(z_1 >= -c), z uniform in D^d (c in [-1, 1])."""
        c = np.asarray(c, dtype=float)
        if self._m0 is not None:
            return _horner(self._m0, c)
        return 0.5 + 0.5 * np.sign(c) * special.betainc(0.5, (self.d + 1) / 2, c * c)

    def m1(self, c):
        """M1(c) = K_d (1 - c^2)^{(d+1)/2} / (d + 1)."""
        c = np.asarray(c, dtype=float)
        w = np.maximum(1 - c * c, 0.0)
        if self.d % 2 == 1:                   # integer power: repeated products, not exp(log)
            out = w
            for _ in range((self.d + 1) // 2 - 1):
                out = out * w
            return self.K / (self.d + 1) * out
        return self.K * w ** ((self.d + 1) / 2) / (self.d + 1)

    def shape(self, c):
        """phi / (xi ||v||) = c M0(c) + M1(c) inside the band."""
        c = np.asarray(c, dtype=float)
        if self._shape is not None:
            return _horner(self._shape, c)
        return c * self.m0(c) + self.m1(c)

    # ------------------------------------------------------------------ network quantities
    def _cz(self, V, X):
        V = np.atleast_2d(np.asarray(V, dtype=float))
        X = np.atleast_2d(np.asarray(X, dtype=float))
        Z = V @ X.T
        nv = np.linalg.norm(V, axis=1)
        if self.xi == 0:
            return Z, nv, None
        c = np.clip(Z / (self.xi * nv[:, None]), -1.0, 1.0)
        return Z, nv, c

    def values(self, V, X):
        """phi(v_j, x_k), shape (m, n)."""
        Z, nv, c = self._cz(V, X)
        if c is None:
            return np.maximum(Z, 0.0)
        inner = self.xi * nv[:, None] * self.shape(c)
        return np.where(c >= 1.0, Z, np.where(c <= -1.0, 0.0, inner))

    def coefficients(self, V, X):
        """(M0, xi M1) of every pair (m, n): grad_v phi(v_j, x_k) = M0_jk x_k + xi M1_jk v^_j."""
        Z, nv, c = self._cz(V, X)
        if c is None:
            return (Z > 0).astype(float), np.zeros_like(Z)
        return self.m0(c), self.xi * self.m1(c)

    def grad(self, V, X):
        """grad_v phi(v_j, x_k), shape (m, n, d)."""
        V = np.atleast_2d(np.asarray(V, dtype=float))
        X = np.atleast_2d(np.asarray(X, dtype=float))
        A, B = self.coefficients(V, X)
        vh = V / np.linalg.norm(V, axis=1, keepdims=True)
        return A[:, :, None] * X[None, :, :] + B[:, :, None] * vh[:, None, :]

    def grad_contract(self, V, X, C):
        """sum_k C_jk grad_v phi(v_j, x_k) for every neuron j (C: (n,) or (m, n)), shape (m, d)."""
        V = np.atleast_2d(np.asarray(V, dtype=float))
        X = np.atleast_2d(np.asarray(X, dtype=float))
        A, B = self.coefficients(V, X)
        C = np.broadcast_to(np.asarray(C, dtype=float), A.shape)
        vh = V / np.linalg.norm(V, axis=1, keepdims=True)
        return (A * C) @ X + np.sum(B * C, axis=1)[:, None] * vh

    def hessian(self, v, x):
        """hess_v phi(v, x) (d, d) for one pair (xi > 0): xi M1 P_v/||v|| + K (1-c^2)^{(d-1)/2}/(xi||v||) P_v x x^T P_v
        (Prop. B.2 with grad_v c = P_v x / (xi ||v||); the printed P_v x / xi misses 1/||v||, catalog F8)."""
        if self.xi == 0:
            raise ValueError("the ReLU (xi = 0) has no Hessian at its kink")
        v = np.asarray(v, dtype=float)
        x = np.asarray(x, dtype=float)
        nv = float(np.linalg.norm(v))
        vh = v / nv
        P = np.eye(len(v)) - np.outer(vh, vh)
        c = float(np.clip(v @ x / (self.xi * nv), -1, 1))
        px = P @ x
        w = self.K * max(0.0, 1 - c * c) ** ((self.d - 1) / 2)
        return self.xi * float(self.m1(c)) / nv * P + w / (self.xi * nv) * np.outer(px, px)

    def hessian_printed(self, v, x):
        """The Hessian as printed in Prop. B.2 (grad_v c = P_v x / xi, no 1/||v||): equal to :meth:`hessian` on the
        unit sphere only (catalog F8)."""
        v = np.asarray(v, dtype=float)
        x = np.asarray(x, dtype=float)
        nv = float(np.linalg.norm(v))
        vh = v / nv
        P = np.eye(len(v)) - np.outer(vh, vh)
        c = float(np.clip(v @ x / (self.xi * nv), -1, 1))
        px = P @ x
        w = self.K * max(0.0, 1 - c * c) ** ((self.d - 1) / 2)
        return self.xi * float(self.m1(c)) / nv * P + w / self.xi * np.outer(px, px)

    def G(self, V, X, y, weight=None):
        """G(v) = (-ell'(0)/n) sum_i phi(v, x_i) y_i = (1/2n) sum_i y_i phi(v, x_i) (tsoy2024 Eq. (2), logistic loss),
        for every row of V."""
        y = np.asarray(y, dtype=float)
        w = 0.5 / len(y) if weight is None else weight
        return w * (self.values(V, X) @ y)

    def g(self, V, X, y, weight=None):
        """grad G(v) (0-homogeneous), rows of V."""
        y = np.asarray(y, dtype=float)
        w = 0.5 / len(y) if weight is None else weight
        return w * self.grad_contract(V, X, y)

    def forward(self, u, V, X):
        """f(theta, x_k) = sum_j u_j phi(v_j, x_k), shape (n,)."""
        return np.asarray(u, dtype=float) @ self.values(V, X)

    # ------------------------------------------------------------------ high precision (scalar)
    def value_mp(self, v, x, dps: int = 40):
        """phi(v, x) in mpmath at ``dps`` digits (odd d: the exact polynomial; even d: the incomplete beta)."""
        with mpmath.workdps(dps):
            v = [mpmath.mpf(t) for t in v]
            x = [mpmath.mpf(t) for t in x]
            z = mpmath.fsum(a * b for a, b in zip(v, x))
            if self.xi == 0:
                return max(z, mpmath.mpf(0))
            nv = mpmath.sqrt(mpmath.fsum(a * a for a in v))
            xi = mpmath.mpf(self.xi)
            c = z / (xi * nv)
            if c >= 1:
                return z
            if c <= -1:
                return mpmath.mpf(0)
            if self._shape is not None:
                s = mpmath.mpf(0)
                for a in reversed(self._shape):
                    s = s * c + mpmath.mpf(a.numerator) / a.denominator
            else:
                K = mpmath.gamma(mpmath.mpf(self.d) / 2 + 1) / (mpmath.sqrt(mpmath.pi) * mpmath.gamma(
                    mpmath.mpf(self.d + 1) / 2))
                m0 = K * mpmath.quad(lambda a: (1 - a * a) ** (mpmath.mpf(self.d - 1) / 2), [-c, 1])
                s = c * m0 + K * (1 - c * c) ** (mpmath.mpf(self.d + 1) / 2) / (self.d + 1)
            return xi * nv * s


def uniform_ball(n: int, d: int, rng) -> np.ndarray:
    """n points uniform in the unit ball D^d (Gaussian direction, radius U^{1/d})."""
    g = rng.standard_normal((n, d))
    g /= np.linalg.norm(g, axis=1, keepdims=True)
    return g * rng.uniform(size=(n, 1)) ** (1.0 / d)


def phi_monte_carlo(v, x, xi: float, n_samples: int = 1_000_000, seed=0, chunk: int = 250_000):
    """Monte Carlo estimate of the defining integral E_{z ~ U(D^d)} (v^T (x + xi z))_+ with its standard error
    (tsoy2024 l.272-287): returns (mean, standard error)."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    v = np.asarray(v, dtype=float)
    x = np.asarray(x, dtype=float)
    s1 = s2 = 0.0
    done = 0
    while done < n_samples:
        k = min(chunk, n_samples - done)
        z = uniform_ball(k, len(v), rng)
        vals = np.maximum(v @ x + xi * (z @ v), 0.0)
        s1 += float(vals.sum())
        s2 += float((vals * vals).sum())
        done += k
    mean = s1 / n_samples
    var = max(s2 / n_samples - mean * mean, 0.0)
    return mean, math.sqrt(var / n_samples)
