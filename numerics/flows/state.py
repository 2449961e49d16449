"""The state of the flow: neuron-wise log-polar coordinates and the initial states.

Each neuron theta_j = (a_j, w_j) in R^{1+d} is written theta_j = e^{r_j} v_j with ||v_j|| = 1
(:class:`PolarState`: ``r`` the log norms, ``V`` the unit rows). The paper quantities are read off
it: a_j, w_j, ln||w_j|| (boursier2022's rho_j, finite far below the float64 range), the unit
direction w_j/||w_j|| (the bold w_j of boursier2022 Eq. (9)) and the balancedness a_j^2 - ||w_j||^2
(boursier2022 Lemma 1). lambda enters only through r_j(0) = ln lambda + O(1), so
:func:`balanced_gaussian_state` (boursier2022 Eq. (4)) takes lambda = 1e-300 or ln lambda = -10^4
alike; e^{2 r} underflows harmlessly to 0 in float64 while it is negligible.

The integrator works on flat vectors ``(r_1..r_m, v_1..v_m)`` (:meth:`PolarState.to_vector`);
:func:`renormalise` puts their direction rows back on the unit sphere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..backend import Backend, get_backend
from ..network import Model, init_balanced_gaussian, loss_value

__all__ = ["PolarState", "balanced_gaussian_state", "renormalise", "to_balanced"]


@dataclass
class PolarState:
    """theta_j = e^{r_j} v_j: ``r`` (m,) log norms of (a_j, w_j), ``V`` (m, 1+d) unit rows (column 0: a)."""

    r: np.ndarray
    V: np.ndarray
    xp: Backend = field(default=None, repr=False)

    def __post_init__(self):
        if self.xp is None:
            self.xp = get_backend("float64")

    @property
    def m(self):
        return self.V.shape[0]

    @property
    def d(self):
        return self.V.shape[1] - 1

    # ----- constructors
    @classmethod
    def from_cartesian(cls, a, W, precision="float64"):
        """Polar form of (a, W) (every neuron must be nonzero)."""
        xp = get_backend(precision)
        a = xp.asarray(a)
        W = xp.asarray(W)
        theta = np.concatenate([a[:, None], W], axis=1)
        nrm = xp.sqrt(np.sum(theta * theta, axis=1))
        if any(v == 0 for v in nrm):
            raise ValueError("a neuron with (a_j, w_j) = 0 stays at 0 forever: drop it from the network")
        return cls(xp.log(nrm), theta / nrm[:, None], xp)

    def to_vector(self):
        return np.concatenate([self.r, self.V.ravel()])

    @classmethod
    def from_vector(cls, y, m, d, xp):
        V = y[m:].reshape(m, d + 1)
        nrm = xp.sqrt(np.sum(V * V, axis=1))
        return cls(y[:m].copy(), V / nrm[:, None], xp)

    # ----- paper quantities
    def a(self):
        """Output weights a_j (backend numbers; in float64 they underflow to 0 for tiny lambda)."""
        return self.xp.exp(self.r) * self.V[:, 0]

    def W(self):
        """Hidden weights w_j, shape (m, d)."""
        return self.xp.exp(self.r)[:, None] * self.V[:, 1:]

    def norm_w(self):
        """||w_j|| (may underflow in float64: use :meth:`log_norm_w`)."""
        return self.xp.exp(self.log_norm_w())

    def log_norm_w(self):
        """ln ||w_j|| (boursier2022's rho_j), finite far below float64 range."""
        Vw = self.V[:, 1:]
        return self.r + self.xp.log(self.xp.sqrt(np.sum(Vw * Vw, axis=1)))

    def u(self):
        """Unit direction w_j / ||w_j|| (the bold w_j of boursier2022 Eq. (9))."""
        Vw = self.V[:, 1:]
        return Vw / self.xp.sqrt(np.sum(Vw * Vw, axis=1))[:, None]

    def balancedness(self):
        """a_j^2 - ||w_j||^2 (boursier2022 Lemma 1)."""
        return self.xp.exp(2 * self.r) * (self.V[:, 0] ** 2 - np.sum(self.V[:, 1:] ** 2, axis=1))

    def balancedness_relative(self):
        """(a_j^2 - ||w_j||^2) / (a_j^2 + ||w_j||^2): scale-free, meaningful for any lambda."""
        return self.V[:, 0] ** 2 - np.sum(self.V[:, 1:] ** 2, axis=1)

    def norm2(self):
        """||theta||^2 = sum_j (a_j^2 + ||w_j||^2)."""
        return np.sum(self.xp.exp(2 * self.r))

    def output(self, model: Model):
        """h_theta(x_k) for the model's data, shape (n,)."""
        X, _ = model.data(self.xp)
        Z = self.V[:, 1:] @ X.T
        S = np.where(Z > 0, Z, Z * model.gamma)
        return (self.xp.exp(2 * self.r) * self.V[:, 0]) @ S

    def loss(self, model: Model):
        """L(theta) = w sum_k ell(h_k, y_k)."""
        _, y = model.data(self.xp)
        return model.weight * np.sum(loss_value(self.output(model), y, model.loss, self.xp))

    def patterns(self, X):
        """Activation pattern 1_{<w_j, x_k> > 0}, bool (m, n)."""
        return np.asarray(self.V[:, 1:] @ np.asarray(X).T > 0, dtype=bool)

    def with_precision(self, precision):
        xp = get_backend(precision)
        return PolarState(xp.asarray(self.r), xp.asarray(self.V), xp)


def balanced_gaussian_state(m, d, lam=None, log_lam=None, seed=0, precision="float64"):
    """Balanced Gaussian init (boursier2022 Eq. (4)) in polar form, for any lambda.

    Same draws as :func:`numerics.network.init_balanced_gaussian` (g then s). Give ``lam`` or
    ``log_lam = ln lambda`` (e.g. -2000 for lambda = e^{-2000}, beyond any float).
    ||(a_j, w_j)|| = sqrt 2 lambda ||g_j||, v_j = (s_j, g_j/||g_j||)/sqrt 2.
    """
    xp = get_backend(precision)
    if (lam is None) == (log_lam is None):
        raise ValueError("give exactly one of lam, log_lam")
    _, _, info = init_balanced_gaussian(m, d, 1.0, seed)
    g, s = info["g"], info["s"]
    if log_lam is None:
        lam_x = xp.scalar(lam)
        if lam_x <= 0:
            raise ValueError(f"lambda must be > 0, got {lam}")
        log_lam = xp.log(xp.asarray([lam_x]))[0]
    else:
        log_lam = xp.scalar(log_lam)
    gx = xp.asarray(g)
    gn = xp.sqrt(np.sum(gx * gx, axis=1))
    half = xp.sqrt(xp.asarray([2.0]))[0]
    r = log_lam + xp.log(gn) + xp.log(xp.asarray([half]))[0]
    V = np.concatenate([xp.asarray(s)[:, None], gx / gn[:, None]], axis=1) / half
    st = PolarState(r, V, xp)
    st.info = {"g": g, "s": s, "log_lam": log_lam}
    return st


def renormalise(Y, m, d, xp):
    """The flat state vector ``Y`` = (r, V) with every direction row v_j divided by its norm (r unchanged).

    Applied after each accepted step and at every kink event: the exact flow keeps ||v_j|| = 1, the
    integrator only to its tolerance."""
    V = Y[m:].reshape(m, d + 1)
    nrm = xp.sqrt(np.sum(V * V, axis=1))
    return np.concatenate([Y[:m], (V / nrm[:, None]).ravel()])


def to_balanced(Y, m, d, xp, signs):
    """The flat state ``Y`` projected on the balanced manifold: v_a = s_j / sqrt 2 and v_w scaled to norm 1/sqrt 2
    (the unit direction rows of exactly balanced neurons, |a_j| = ||w_j||; r unchanged)."""
    V = Y[m:].reshape(m, d + 1)
    half = xp.sqrt(xp.asarray([0.5]))[0]
    nw = xp.sqrt(np.sum(V[:, 1:] * V[:, 1:], axis=1))
    Vn = np.concatenate([(xp.asarray(signs.astype(float)) * half)[:, None], V[:, 1:] * (half / nw)[:, None]], axis=1)
    return np.concatenate([Y[:m], Vn.ravel()])
