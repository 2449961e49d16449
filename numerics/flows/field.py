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
per set of surfaces by :class:`Projectors`). :class:`Field` is the right-hand side of that mode, smooth
until the next kink event (:mod:`numerics.flows.kinks`). Everything is vectorised over neurons and
data: a mode change costs numpy work of size m n, not Python work per neuron.

**Where an activation plugs in.** The field reads the activation only through
:meth:`Activation.values` (``sigma(e^r z)/e^r`` and ``sigma'(e^r z)`` of the frozen pattern, arrays
(m, n)) and :attr:`Activation.has_kinks`; :func:`activation_for` picks the activation of a
:class:`~numerics.network.Model`. The (leaky) ReLU is :class:`PiecewiseLinear` (positively
homogeneous, so both arrays are independent of r and constant inside a mode). A smooth activation
subclasses :class:`Activation` with ``has_kinks = False`` and returns ``sigma(e^r z)/e^r`` and
``sigma'(e^r z)``; the driver then has no kink events to locate.
"""
from __future__ import annotations

import numpy as np

from ..backend import Backend
from ..network import Model, loss_derivative
from .state import PolarState

__all__ = ["Activation", "PiecewiseLinear", "activation_for", "Mode", "Field", "Projectors", "complement_projector",
           "parallel_sign", "frozen_pattern_field"]


# ----------------------------------------------------------------------------- activations


class Activation:
    """The activation as the field sees it (the single place where one plugs in).

    ``values(mode, Z, r)`` returns ``(S, Eta)``, arrays (m, n): S_jk = sigma(e^{r_j} z_jk) / e^{r_j}
    (the activation per unit neuron norm; z_jk = <v_wj, x_k>) and Eta_jk = sigma'(e^{r_j} z_jk) of the
    frozen pattern (the generalised derivative the free motion uses). ``has_kinks``: whether sigma has
    kinks whose surfaces z_jk = 0 the driver must locate (False for a smooth activation).
    """

    has_kinks = True

    def values(self, mode: "Mode", Z, r):  # pragma: no cover - interface
        raise NotImplementedError


class PiecewiseLinear(Activation):
    """sigma(z) = max(z, gamma z): positively homogeneous, so S = sig_coef * z and Eta = eta_free of the mode."""

    has_kinks = True

    def __init__(self, gamma=0.0, sigma_prime_zero=0.0):
        self.gamma, self.sigma_prime_zero = gamma, sigma_prime_zero

    def values(self, mode, Z, r):
        return mode.sig_coef * Z, mode.eta_free


def activation_for(model: Model) -> Activation:
    """The activation of ``model`` (``model.activation`` if it names one, else the leaky ReLU of slope gamma)."""
    act = getattr(model, "activation", None)
    if isinstance(act, Activation):
        return act
    return PiecewiseLinear(model.gamma, model.sigma_prime_zero)


# ----------------------------------------------------------------------------- projectors


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


class Projectors:
    """Memo of :func:`complement_projector` by the set of surfaces (one per flow: the sets that occur are few,
    so a mode change builds no projector it has built before), with the parallel-vector classes of the data."""

    def __init__(self, X, xp):
        self.X, self.xp = X, xp
        self._memo = {}
        n = X.shape[0]
        self._par = {(k, l): parallel_sign(X, k, l) for k in range(n) for l in range(n)}

    def __call__(self, S):
        key = tuple(sorted(int(k) for k in S))
        P = self._memo.get(key)
        if P is None:
            P = self._memo[key] = complement_projector(self.X, key, self.xp)
        return P

    def parallel(self, k, l):
        return self._par[(int(k), int(l))]

    def without(self, S, k):
        """Projector for the surfaces S less x_k and its parallels."""
        return self([l for l in S if self.parallel(k, l) == 0])

    def row(self, S):
        """For a neuron on the surfaces S: (its projector, [P_without(S, k) x_k for k in S]) (memoised)."""
        key = ("row",) + tuple(sorted(int(k) for k in S))
        out = self._memo.get(key)
        if out is None:
            out = self._memo[key] = (self(S), [self.without(S, k) @ self.X[k] for k in key[1:]])
        return out


# ----------------------------------------------------------------------------- the mode


class Mode:
    """A frozen activation configuration: side (m, n) in {+1, -1, 0 (on the surface z_jk = 0)}.

    ``eta_free`` (m, n): sigma'(z_jk) of the free motion (gamma or 1 off the surface; on it sigma'(0) in
    convention mode, 0 in Filippov mode, where the projection does the work); ``sig_coef``: sigma(z) / z
    of the frozen pattern. Filippov: ``slide_idx`` the sliding neurons and ``P_slide`` (len, d, d) their
    projectors onto span{x_k : k on j's surface}^perp; ``proj[j]`` the same per neuron. For the exit
    functions of every surface pair p = (surf_j[p], surf_k[p]): ``surf_q[p]`` = P_without x_k (P_without
    the projector of j's other surfaces) and ``surf_s[p]`` = <surf_q[p], x_k>.
    """

    def __init__(self, side, model: Model, X, xp, kink, projectors: Projectors | None = None, prev=None,
                 changed=None):
        """``prev`` and ``changed`` (the neurons whose sides differ from ``prev``'s): the other neurons' projector
        rows are taken from ``prev`` (a switch costs Python work for the switching neurons only)."""
        self.side = side
        self.xp = xp
        self.kink = kink
        gamma = model.gamma
        self.surface = side == 0
        eta = np.where(side > 0, 1.0, gamma).astype(float)
        if kink == "convention":
            eta = np.where(self.surface, model.sigma_prime_zero, eta)
        else:
            eta = np.where(self.surface, 0.0, eta)
        sig = np.where(self.surface, 0.0, np.where(side > 0, 1.0, gamma))
        if xp.name == "float64":
            self.eta_free, self.sig_coef = eta, sig
        else:
            self.eta_free, self.sig_coef = _mp_codes(eta, xp), _mp_codes(sig, xp)
        self.cross_idx = np.nonzero(~self.surface)
        self.surf_j, self.surf_k = np.nonzero(self.surface)
        self.proj = {}
        d = X.shape[1]
        pr = self.projectors = projectors or Projectors(X, xp)
        if kink == "filippov" and len(self.surf_j):
            self.slide_idx = np.unique(self.surf_j)
            q = []
            self._rows = {}
            prev_rows = getattr(prev, "_rows", None) or {}
            for j in self.slide_idx:  # surf_j is sorted (np.nonzero order): rows come in the same order
                j = int(j)
                row = prev_rows.get(j) if (changed is not None and j not in changed) else None
                if row is None:
                    row = pr.row(np.nonzero(self.surface[j])[0])
                self._rows[j] = row
                self.proj[j] = row[0]
                q.extend(row[1])
            self.P_slide = np.stack([self.proj[int(j)] for j in self.slide_idx])
            self.surf_q = np.stack(q)
        else:
            self.slide_idx = np.zeros(0, dtype=int)
            self.P_slide = None
            self.surf_q = X[self.surf_k] if len(self.surf_j) else np.zeros((0, d))
        self.surf_s = np.sum(self.surf_q * X[self.surf_k], axis=1) if len(self.surf_j) else np.zeros(0)
        self.sliding_neurons = [int(j) for j in self.slide_idx]


def _mp_codes(a, xp):
    """An object array of backend numbers for a float array whose values are few (0, 1, gamma, sigma'(0))."""
    vals = {v: xp.scalar(v) for v in np.unique(a)}
    out = np.empty(a.shape, dtype=object)
    for v, mv in vals.items():
        out[a == v] = mv
    return out


# ----------------------------------------------------------------------------- the field


class Field:
    """The log-polar vector field of one mode (its event functions are in :mod:`numerics.flows.kinks`)."""

    def __init__(self, model: Model, mode: Mode, X, y, xp, activation: Activation | None = None):
        self.model, self.mode, self.X, self.y, self.xp = model, mode, X, y, xp
        self.m, self.n = mode.side.shape
        self.d = X.shape[1]
        self.w = xp.scalar(model.weight)
        self.activation = activation or activation_for(model)
        # hysteresis band of the crossing functions side * z + hyst: a pair that has just been put
        # on z = 0 and moves away slowly must not re-fire on integration noise (set by solve_flow)
        self.hyst = 0

    def split(self, Y):
        """(r (m,), V (m, 1+d)) views of a flat state vector."""
        m, d = self.m, self.d
        return Y[:m], Y[m:].reshape(m, d + 1)

    def residual_coef(self, r, V):
        """c_k = w * ell'(h_k, y_k), the activation matrix S (sigma per unit norm) and Z = <v_w, x>."""
        Z = V[:, 1:] @ self.X.T
        S, _ = self.activation.values(self.mode, Z, r)
        h = (self.xp.exp(2 * r) * V[:, 0]) @ S
        c = loss_derivative(h, self.y, self.model.loss, self.xp) * self.w
        return c, S, Z

    def free_b(self, r, Z, c):
        """b_j = sum_k c_k eta_jk x_k (the w-velocity is -v_a b_j before any sliding projection)."""
        _, Eta = self.activation.values(self.mode, Z, r)
        return (Eta * c[None, :]) @ self.X

    def velocity(self, r, V, c, S, Z=None):
        """F_j(v_j) for every neuron (Filippov projection on sliding neurons)."""
        if Z is None:
            Z = V[:, 1:] @ self.X.T
        Fa = -(S @ c)
        Fw = -V[:, :1] * self.free_b(r, Z, c)
        mode = self.mode
        if len(mode.slide_idx):
            idx = mode.slide_idx
            Fw[idx] = np.matmul(mode.P_slide, Fw[idx][:, :, None])[:, :, 0]
        return np.concatenate([Fa[:, None], Fw], axis=1)

    def __call__(self, Y):
        r, V = self.split(Y)
        if self.xp.name == "float64":  # the same formulas, fused (the hot path of the integrator)
            Vw = V[:, 1:]
            Z = Vw @ self.X.T
            S, Eta = self.activation.values(self.mode, Z, r)
            c = loss_derivative((np.exp(2 * r) * V[:, 0]) @ S, self.y, self.model.loss, self.xp) * self.w
            F = np.empty_like(V)
            F[:, 0] = -(S @ c)
            F[:, 1:] = (Eta * c) @ self.X
            F[:, 1:] *= -V[:, :1]
            idx = self.mode.slide_idx
            if len(idx):
                F[idx, 1:] = np.matmul(self.mode.P_slide, F[idx, 1:][:, :, None])[:, :, 0]
            rdot = np.einsum("ij,ij->i", V, F)
            F -= rdot[:, None] * V
            return np.concatenate([rdot, F.ravel()])
        c, S, Z = self.residual_coef(r, V)
        F = self.velocity(r, V, c, S, Z)
        if self.xp.name == "float64":
            rdot = np.einsum("ij,ij->i", V, F)
        else:
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
