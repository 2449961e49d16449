"""The smooth vector field of one frozen activation pattern (between two kinks).

Because h is 2-homogeneous and each neuron's velocity is 1-homogeneous in theta_j (for a fixed
residual), the flow d theta/dt = -grad L in the log-polar coordinates theta_j = e^{r_j} v_j of
:mod:`numerics.flows.state` becomes

    F_j(v)  = ( -sum_k c_k sigma(<v_w, x_k>),  -v_a sum_k c_k eta_jk x_k ),   c_k = w ell'(h_k, y_k),
    r_j'    = <v_j, F_j(v_j)>,        v_j' = F_j(v_j) - r_j' v_j,
    h_k     = sum_j e^{2 r_j} v_aj sigma(<v_wj, x_k>),

(boursier2022 Eq. (9) is the balanced special case with rho_j = r_j - ln sqrt 2). The error control
is relative in e^{r_j} (an absolute tolerance on r_j).

A :class:`Mode` freezes the pattern: eta_jk in {gamma, 1} off the kink surfaces z_jk = <w_j, x_k> = 0;
on a surface, either sigma'(0) (``kink="convention"``, boursier2022 App. D) or the Filippov sliding
velocity, the projection of the free velocity onto span{x_k : k sliding}^perp, i.e. the minimal-norm
subgradient D(w, theta) of boursier2024 Eq. (6) (``kink="filippov"``; the projectors are built once
per mode by :func:`complement_projector`). :class:`Field` is the right-hand side of that mode, smooth
until the next kink event (:mod:`numerics.flows.kinks`).
"""
from __future__ import annotations

import numpy as np

from ..backend import Backend
from ..network import Model, loss_derivative
from .state import PolarState

__all__ = ["Mode", "Field", "complement_projector", "parallel_sign", "frozen_pattern_field"]


class Mode:
    """A frozen activation configuration: side (m, n) in {+1, -1, 0 (on the surface z_jk = 0)}.

    ``eta_free`` (m, n): sigma'(z_jk) of the free motion (gamma or 1 off the surface; on it sigma'(0) in
    convention mode, 0 in Filippov mode, where the projection does the work); ``sig_coef``: sigma(z) / z
    of the frozen pattern; ``proj[j]``: projector onto span{x_k : k on j's surface}^perp for every
    sliding neuron j (Filippov), ``proj_without[(j, k)]``: the same without x_k and its parallels.
    """

    def __init__(self, side, model: Model, X, xp, kink):
        self.side = side
        self.xp = xp
        self.kink = kink
        gamma = model.gamma
        self.surface = side == 0
        eta = np.where(side > 0, 1.0, gamma).astype(float)
        if kink == "convention":
            eta = np.where(self.surface, model.sigma_prime_zero, eta)
            self.eta_free = xp.asarray(eta)
        else:
            self.eta_free = xp.asarray(np.where(self.surface, 0.0, eta))
        # sigma(z) = eta z off the surface (the smooth continuation of the frozen pattern), 0 on it
        self.sig_coef = xp.asarray(np.where(self.surface, 0.0, np.where(side > 0, 1.0, gamma)))
        # projectors onto span{x_k : k on j's surface}^perp (Filippov); constant inside the mode
        self.proj = {}
        self.proj_without = {}
        if kink == "filippov":
            for j in np.nonzero(self.surface.any(axis=1))[0]:
                S = list(np.nonzero(self.surface[j])[0])
                self.proj[j] = complement_projector(X, S, xp)
                for k in S:
                    others = [l for l in S if parallel_sign(X, k, l) == 0]
                    self.proj_without[(j, k)] = complement_projector(X, others, xp)
        self.sliding_neurons = list(self.proj)


def _independent(X, S):
    """A maximal subset of rows S of X that is linearly independent (greedy, float64 test).

    Parallel data vectors (x and -x in lyu2021's symmetric sets) share one kink surface; keeping
    both would make the Gram matrix singular."""
    keep, basis = [], []
    for k in S:
        v = np.asarray(X[k], dtype=float)
        r = v.copy()
        for q in basis:
            r = r - (q @ r) * q
        nv = np.linalg.norm(v)
        if nv > 0 and np.linalg.norm(r) > 1e-9 * nv:
            keep.append(k)
            basis.append(r / np.linalg.norm(r))
    return keep


def parallel_sign(X, k, l):
    """+1 / -1 if x_l is a positive / negative multiple of x_k, else 0."""
    a, b = np.asarray(X[k], dtype=float), np.asarray(X[l], dtype=float)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 0
    cs = float(a @ b) / (na * nb)
    return 1 if cs > 1 - 1e-12 else (-1 if cs < -1 + 1e-12 else 0)


def complement_projector(X, S, xp):
    """I - X_S^T (X_S X_S^T)^{-1} X_S over an independent subset of S: projection onto the
    complement of span{x_k : k in S}."""
    d = X.shape[1]
    eye = xp.asarray(np.eye(d))
    S = _independent(X, list(S))
    if not S:
        return eye
    XS = X[S]
    Gs = XS @ XS.T
    if xp.name == "float64":
        inv = np.linalg.inv(Gs)
    else:
        ctx = xp.ctx
        Minv = ctx.inverse(ctx.matrix(Gs.tolist()))
        inv = np.array([[Minv[i, j] for j in range(len(S))] for i in range(len(S))], dtype=object)
    return eye - XS.T @ inv @ XS


class Field:
    """The log-polar vector field of one mode (its event functions are in :mod:`numerics.flows.kinks`)."""

    def __init__(self, model: Model, mode: Mode, X, y, xp):
        self.model, self.mode, self.X, self.y, self.xp = model, mode, X, y, xp
        self.m, self.n = mode.side.shape
        self.d = X.shape[1]
        self.w = xp.scalar(model.weight)
        # hysteresis band of the crossing functions side * z + hyst: a pair that has just been put
        # on z = 0 and moves away slowly must not re-fire on integration noise (set by solve_flow)
        self.hyst = 0

    def split(self, Y):
        """(r (m,), V (m, 1+d)) views of a flat state vector."""
        m, d = self.m, self.d
        return Y[:m], Y[m:].reshape(m, d + 1)

    def residual_coef(self, r, V):
        """c_k = w * ell'(h_k, y_k) and the frozen-pattern sigma matrix."""
        xp = self.xp
        Z = V[:, 1:] @ self.X.T
        S = self.mode.sig_coef * Z
        h = (xp.exp(2 * r) * V[:, 0]) @ S
        c = loss_derivative(h, self.y, self.model.loss, xp) * self.w
        return c, S, Z

    def velocity(self, r, V, c, S):
        """F_j(v_j) for every neuron (Filippov projection on sliding neurons)."""
        Fa = -(S @ c)
        B = (self.mode.eta_free * c[None, :]) @ self.X
        Fw = -V[:, :1] * B
        for j in self.mode.sliding_neurons:
            Fw[j] = self.mode.proj[j] @ Fw[j]
        return np.concatenate([Fa[:, None], Fw], axis=1)

    def __call__(self, Y):
        r, V = self.split(Y)
        c, S, _ = self.residual_coef(r, V)
        F = self.velocity(r, V, c, S)
        rdot = np.sum(V * F, axis=1)
        Vdot = F - rdot[:, None] * V
        return np.concatenate([rdot, Vdot.ravel()])


def frozen_pattern_field(model: Model, state: PolarState, xp: Backend | None = None):
    """The log-polar field with the activation pattern of ``state`` frozen (no kink handling).

    Returns ``f(Y)`` on flat state vectors (``PolarState.to_vector``), in the state's precision.
    Valid as the gradient flow only while no pre-activation changes sign: meant for baselines
    (benchmarks against fixed-step or Taylor integrators) and for tests of the field itself.
    """
    xp = xp or state.xp
    X, y = model.data(xp)
    Z = xp.asarray(state.V[:, 1:]) @ X.T
    if any(v == 0 for v in np.ravel(Z)):
        raise ValueError("a pre-activation is exactly 0: the frozen pattern is ambiguous")
    side = np.where(Z > 0, 1, -1).astype(int)
    return Field(model, Mode(side, model, X, xp, "filippov"), X, y, xp)
