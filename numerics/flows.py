"""Gradient FLOW of two-layer (leaky) ReLU networks, in float64 or mpmath, with kinks handled.

Coordinates (neuron-wise log-polar). Each neuron theta_j = (a_j, w_j) in R^{1+d} is written
theta_j = e^{r_j} v_j with ||v_j|| = 1. Because h is 2-homogeneous and each neuron's velocity is
1-homogeneous in theta_j (for a fixed residual), the flow d theta/dt = -grad L becomes

    F_j(v)  = ( -sum_k c_k sigma(<v_w, x_k>),  -v_a sum_k c_k eta_jk x_k ),   c_k = w ell'(h_k, y_k),
    r_j'    = <v_j, F_j(v_j)>,        v_j' = F_j(v_j) - r_j' v_j,
    h_k     = sum_j e^{2 r_j} v_aj sigma(<v_wj, x_k>),

(boursier2022 Eq. (9) is the balanced special case with rho_j = r_j - ln sqrt 2). lambda enters
only through r_j(0) = ln lambda + O(1), so lambda = 1e-300 or e^{-10^4} costs the same as 1e-3
(e^{2 r} underflows harmlessly to 0 in float64 while it is negligible), and the error control is
relative in e^{r_j} (an absolute tolerance on r_j).

Kinks. Between activation switches the pattern eta_jk in {gamma, 1} is frozen and the field is
smooth; the integrator (:class:`numerics.integrators.GBS`) stops at every switch z_jk = <w_j, x_k> = 0
(located by Illinois root finding to the time resolution) and restarts. At a switch the default
``kink="filippov"`` is the small-step limit of gradient descent: if the fields on both sides push
into the surface z_jk = 0 (or the side the neuron would go to does not move it), the neuron
*slides*: eta_jk is chosen in [gamma, 1] so that the motion stays on the surface, which for the
constrained neurons is the projection of the free velocity onto span{x_k : k sliding}^perp, the
minimal-norm subgradient D(w, theta) of boursier2024 Eq. (6). Sliding is left when the field on
one side starts to point away (also located as an event). ``kink="convention"`` instead uses the
fixed value sigma'(0) = ``Model.sigma_prime_zero`` on the surface, the classical ODE of
boursier2022 App. D: when that ODE has no continuation (its Proposition 2) the solver stops with
``status = -2`` and says where.

Every switch is recorded as a :class:`KinkEvent`; the trajectory keeps the accepted nodes of each
smooth segment and gives the state at any time by re-integrating inside the segment.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .backend import Backend, get_backend
from .integrators import GBS, StepSizeTooSmall, illinois
from .network import Model, loss_derivative, loss_value, init_balanced_gaussian

__all__ = ["PolarState", "balanced_gaussian_state", "solve_flow", "Trajectory", "KinkEvent"]

STATUS = {
    0: "reached t_end",
    -1: "max_steps reached",
    -2: "no classical solution continues through a kink (sigma'(0) convention)",
    -3: "chattering: repeated switches without progress in time",
    -4: "step size underflow",
}


# ============================================================================ states


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


# ============================================================================ modes


@dataclass
class KinkEvent:
    """An activation switch of neuron j on sample k at time t.

    kind: ``activate`` (crosses to <w_j,x_k> > 0), ``deactivate`` (crosses to < 0), ``slide_enter``
    (stays on <w_j,x_k> = 0, Filippov), ``slide_exit_up`` / ``slide_exit_down``, ``stick``
    (convention mode: stays on the surface with sigma'(0) fixed).
    """

    t: object
    kind: str
    j: int
    k: int


class _Mode:
    """A frozen activation configuration: side (m, n) in {+1, -1, 0 (on the surface z_jk = 0)}."""

    def __init__(self, side, model: Model, X, G, xp, kink):
        self.side = side
        self.xp = xp
        self.kink = kink
        gamma = model.gamma
        m, n = side.shape
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
                self.proj[j] = _projector(X, S, xp)
                for k in S:
                    self.proj_without[(j, k)] = _projector(X, [l for l in S if _parallel(X, k, l) == 0], xp)
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


def _parallel(X, k, l):
    """+1 / -1 if x_l is a positive / negative multiple of x_k, else 0."""
    a, b = np.asarray(X[k], dtype=float), np.asarray(X[l], dtype=float)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return 0
    cs = float(a @ b) / (na * nb)
    return 1 if cs > 1 - 1e-12 else (-1 if cs < -1 + 1e-12 else 0)


def _projector(X, S, xp):
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


class _Field:
    """The log-polar vector field of one mode, plus its event functions."""

    def __init__(self, model: Model, mode: _Mode, X, y, xp):
        self.model, self.mode, self.X, self.y, self.xp = model, mode, X, y, xp
        self.m, self.n = mode.side.shape
        self.d = X.shape[1]
        self.w = xp.scalar(model.weight)
        # hysteresis band of the crossing functions side * z + hyst: a pair that has just been put
        # on z = 0 and moves away slowly must not re-fire on integration noise (set by solve_flow)
        self.hyst = 0

    def split(self, Y):
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

    # ------------------------------------------------------------- one-sided normal velocities
    def zdot_sides(self, V, c, j, k, on_surface):
        """(dz/dt on the + side, on the - side, scale) for pair (j, k), up to the factor e^{r_j} > 0.

        The other surface pairs of neuron j stay constrained. For the convention mode the third
        value is dz/dt with eta_jk = sigma'(0).
        """
        mode, X = self.mode, self.X
        eta = mode.eta_free[j].copy()
        eta[k] = 0
        if mode.kink == "filippov":
            P = mode.proj_without[(j, k)] if on_surface else mode.proj.get(j)
        else:
            P = None
        b = (eta * c) @ X
        xk = X[k]
        vals = []
        for e in (1, self.model.gamma, self.model.sigma_prime_zero):
            vec = b + (c[k] * e) * xk
            if P is not None:
                vec = P @ vec
            vals.append(-V[j, 0] * np.sum(vec * xk))
        scale = abs(V[j, 0]) * (self.xp.sqrt(np.sum(b * b)) + abs(c[k]) * self.xp.sqrt(np.sum(xk * xk))) \
            * self.xp.sqrt(np.sum(xk * xk))
        return vals[0], vals[1], vals[2], scale

    def event_values(self, Y, tol):
        """Signed event functions, positive while the mode is consistent.

        Off the surface: side_jk * <v_wj, x_k>. On the surface (Filippov): tol*scale - dz+/dt and
        dz-/dt + tol*scale (exit upward / downward). Convention mode: tol*scale - |dz/dt|.
        Returns (array of values, list of (j, k, kind)).
        """
        r, V = self.split(Y)
        Z = V[:, 1:] @ self.X.T
        mode = self.mode
        vals = list((mode.side * Z + self.hyst)[~mode.surface])
        keys = [(j, k, "cross") for j, k in zip(*np.nonzero(~mode.surface))]
        if mode.surface.any():
            c, _, _ = self.residual_coef(r, V)
            for j, k in zip(*np.nonzero(mode.surface)):
                up, down, conv, scale = self.zdot_sides(V, c, j, k, on_surface=True)
                if mode.kink == "filippov":
                    # leave when the fields on BOTH sides push the same way (else Filippov keeps
                    # z = 0: the small-step limit of gradient descent, whose iterates stay at z <= 0),
                    # or when the surface turns repelling (up > 0 > down, e.g. a_j changed sign)
                    vals += [tol * scale - min(up, down), max(up, down) + tol * scale,
                             tol * scale - min(up, -down)]
                    keys += [(j, k, "exit_up"), (j, k, "exit_down"), (j, k, "exit_rep")]
                else:
                    vals.append(tol * scale - abs(conv))
                    keys.append((j, k, "unstick"))
        return vals, keys

    def cross_values(self, Y):
        """Only the crossing functions side * z (cheap; for probes inside a step)."""
        V = Y[self.m:].reshape(self.m, self.d + 1)
        Z = V[:, 1:] @ self.X.T
        return (self.mode.side * Z + self.hyst)[~self.mode.surface]


# ============================================================================ trajectory


@dataclass
class _Segment:
    mode: _Mode
    t: list
    Y: list
    k: list  # order used from each node


class Trajectory:
    """Result of :func:`solve_flow` (in the manner of scipy's ``OdeResult``).

    Attributes: ``t`` (node times), ``states`` (:class:`PolarState` per node), ``events``
    (:class:`KinkEvent` list), ``status`` / ``message``, ``nsteps``, ``nfev``, ``precision``,
    ``t_eval`` / ``sampled`` (states at the requested times). ``at(t)`` gives the state at any
    time in [t0, t_final] to the integrator's tolerance.
    """

    def __init__(self, model, xp, m, d, solver_opts):
        self.model, self.xp, self.m, self.d = model, xp, m, d
        self.segments: list[_Segment] = []
        self.events: list[KinkEvent] = []
        self.status = 0
        self.message = STATUS[0]
        self.nsteps = 0
        self.nfev = 0
        self.precision = xp.name
        self._opts = solver_opts
        self.t_eval = None
        self.sampled = None

    @property
    def t(self):
        out = []
        for s in self.segments:
            out.extend(s.t if not out else s.t[1:] if out[-1] == s.t[0] else s.t)
        return out

    @property
    def states(self):
        out, last = [], None
        for s in self.segments:
            for t, Y in zip(s.t, s.Y):
                if last is not None and t == last:
                    out[-1] = self._state(Y)
                    continue
                out.append(self._state(Y))
                last = t
        return out

    @property
    def t_final(self):
        return self.segments[-1].t[-1]

    @property
    def final(self) -> PolarState:
        return self._state(self.segments[-1].Y[-1])

    def _state(self, Y):
        return PolarState.from_vector(Y, self.m, self.d, self.xp)

    def at(self, t) -> PolarState:
        """State at time t, integrating from the last node before t inside its smooth segment."""
        xp = self.xp
        t = xp.scalar(t)
        if t < self.segments[0].t[0] or t > self.t_final:
            raise ValueError(f"t = {t} outside the integrated interval [{self.segments[0].t[0]}, {self.t_final}]")
        seg = self.segments[-1]
        for s in self.segments:
            if s.t[0] <= t <= s.t[-1]:
                seg = s
                break
        i = max(i for i, ti in enumerate(seg.t) if ti <= t)
        if seg.t[i] == t:
            return self._state(seg.Y[i])
        X, y = self.model.data(xp)
        f = _Field(self.model, seg.mode, X, y, xp)
        gbs = GBS(f, xp, *self._opts)
        Y = _integrate_to(gbs, f, seg.t[i], seg.Y[i], t, seg.k[i])
        self.nfev += gbs.nfev
        return self._state(Y)

    def sample(self, times):
        return [self.at(t) for t in times]

    def loss(self, t=None):
        """L(theta(t)) (at every node if t is None)."""
        if t is None:
            return [s.loss(self.model) for s in self.states]
        return self.at(t).loss(self.model)

    def __repr__(self):
        return (f"Trajectory(precision={self.precision}, t_final={float(self.t_final):.6g}, nodes={len(self.t)}, "
                f"events={len(self.events)}, nsteps={self.nsteps}, nfev={self.nfev}, status={self.status}: {self.message})")


def _integrate_to(gbs, f, t0, Y0, t1, k):
    """Adaptive integration inside one mode from t0 to t1 (no event handling)."""
    t, Y, H = t0, Y0, (t1 - t0)
    while t < t1:
        H = min(H, t1 - t)
        res = gbs.step(Y, f(Y), H, k, t_scale=t)
        gbs.nfev += 1
        t, Y, H, k = t + res.H, res.y1, res.H_next, res.k_next
        if t1 - t <= 16 * gbs.xp.eps * max(1.0, abs(float(t1))):
            break
    return Y


# ============================================================================ the solver


def solve_flow(model: Model, state0: PolarState, t_end, precision=None, rtol=None, atol=None, t_eval=None,
               kink="filippov", max_steps=100_000, kink_tol=None, max_events=100_000, t0=0.0):
    """Integrate the gradient flow d theta/dt = -grad L(theta) from ``state0`` up to ``t_end``.

    Parameters: ``precision`` "float64" (default: the precision of ``state0``) or digits for mpmath;
    ``rtol`` relative tolerance (default 1e-11 in float64, 10^{-(dps-5)} in mpmath); ``atol``
    absolute tolerance on the direction components (default 1e-300, i.e. pure relative control,
    so an exponentially decaying component never changes sign by integration error: a sign change
    is an activation switch; the log norms r_j get the absolute tolerance rtol, i.e. a relative
    tolerance on e^{r_j}); ``t_eval`` times at which
    states are returned in ``sampled``; ``kink`` "filippov" (default) or "convention"
    (sigma'(0) = ``model.sigma_prime_zero`` on the surface); ``kink_tol`` relative threshold under
    which a one-sided normal velocity counts as zero (default eps^0.75).
    """
    if kink not in ("filippov", "convention"):
        raise ValueError(f"kink must be 'filippov' or 'convention', got {kink!r}")
    xp = get_backend(precision if precision is not None else state0.xp)
    state0 = state0.with_precision(xp) if state0.xp is not xp else state0
    m, d = state0.m, state0.d
    if d != model.d:
        raise ValueError(f"state has input dimension {d} but the data has d = {model.d}")
    if rtol is None:
        rtol = 1e-11 if xp.name == "float64" else 10.0 ** (-(xp.dps - 5))
    # high-order extrapolation amplifies rounding: below these floors the controller cannot converge
    if float(rtol) < (50 if xp.name == "float64" else 1000) * xp.eps:
        raise ValueError(f"rtol = {float(rtol):.1e} is below what {xp.name} can resolve (eps = {xp.eps:.1e}): "
                         f"raise the precision (dps >= {int(-math.log10(float(rtol))) + 5}) or the tolerance")
    rtol = xp.scalar(rtol)
    if atol is None:  # effectively pure relative control: signs of decaying components are kept
        atol = 1e-300 if xp.name == "float64" else xp.ctx.mpf(10) ** (-100_000)
    a_tol = xp.scalar(atol)
    atol_vec = np.where(np.arange(m * (d + 2)) < m, rtol, a_tol) if xp.name == "float64" else \
        np.array([rtol if i < m else a_tol for i in range(m * (d + 2))], dtype=object)
    if kink_tol is None:
        kink_tol = xp.eps ** 0.75
    tol = xp.scalar(kink_tol)
    X, y = model.data(xp)
    G = X @ X.T
    t = xp.scalar(t0)
    t_end = xp.scalar(t_end)
    traj = Trajectory(model, xp, m, d, (rtol, atol_vec))

    Y = state0.to_vector()
    r, V = Y[:m], Y[m:].reshape(m, d + 1)
    Z = V[:, 1:] @ X.T
    # exact zeros are blurred to ~1e-17 by the normalisation of the state: snap them back
    xn = np.array([float(v) for v in xp.sqrt(np.sum(X * X, axis=1))])
    vn = np.array([float(v) for v in xp.sqrt(np.sum(V[:, 1:] * V[:, 1:], axis=1))])
    snap = np.abs(np.vectorize(float)(Z)) <= 16 * xp.eps * np.outer(vn, xn)
    side = np.where(snap, 0, np.where(Z > 0, 1, -1)).astype(int)
    hyst = xp.asarray(max(float(tol), 10 * float(rtol)) * xn)

    def make_field(mode_):
        fld = _Field(model, mode_, X, y, xp)
        fld.hyst = hyst
        return fld

    mode = _Mode(side, model, X, G, xp, kink)
    # pairs exactly on a kink at t0: classify them like an event with no prior side
    if (side == 0).any():
        mode, Y, stop = _classify(model, mode, Y, list(zip(*np.nonzero(side == 0))), None, t, X, y, G, xp, kink, tol, traj)
        if stop:
            traj.segments.append(_Segment(mode, [t], [Y], [3]))
            return _finish(traj, t_eval)
    f = make_field(mode)
    gbs = GBS(f, xp, rtol, atol_vec)
    seg = _Segment(mode, [t], [Y], [gbs.k0])
    traj.segments.append(seg)
    k = gbs.k0
    H = None
    n_events_here, last_event_t = 0, None

    while t < t_end:
        if traj.nsteps >= max_steps:
            traj.status, traj.message = -1, f"{STATUS[-1]} ({max_steps}) at t = {float(t):.6g}"
            break
        f0 = f(Y)
        gbs.nfev += 1
        if H is None:
            fn = max(float(abs(v)) for v in f0) if len(f0) else 1.0
            H = xp.scalar(min(float(t_end - t), 0.1 / max(fn, 1e-8)))
        H = min(H, t_end - t)
        try:
            res = gbs.step(Y, f0, H, k, t_scale=t, keep_probes=True)
        except StepSizeTooSmall as exc:
            traj.status, traj.message = -4, f"{STATUS[-4]}: {exc}"
            break
        traj.nsteps += 1
        Y1 = res.y1
        # ---------------------------------------------------------------- event detection
        g0, keys = f.event_values(Y, tol)
        g1, _ = f.event_values(Y1, tol)
        fired = [i for i, (a0, a1) in enumerate(zip(g0, g1)) if a1 < 0]
        s_hi = res.H
        if not fired:
            # a double sign change inside the step: look at the midpoint-rule probes
            ncross = len(f.cross_values(Y))
            for frac, Yp in res.probes[:-1]:
                gp = f.cross_values(Yp)
                bad = [i for i in range(ncross) if gp[i] < 0]
                if bad:
                    fired, s_hi = bad, res.H * xp.scalar(frac)
                    break
        if not fired:
            t, Y = t + res.H, _renormalise(_project_surfaces(Y1, mode, m, d), m, d, xp)
            seg.t.append(t)
            seg.Y.append(Y)
            seg.k.append(res.k)
            H, k = res.H_next, res.k_next
            continue
        # ---------------------------------------------------------------- locate the earliest event
        kk = res.k
        cache = {}

        def state_at(s):
            key = s
            if key not in cache:
                cache[key] = gbs.advance(Y, f0, s, kk)
            return cache[key]

        def gfun(i):
            return lambda s: f.event_values(state_at(s), tol)[0][i] if keys[i][2] != "cross" else \
                f.cross_values(state_at(s))[i]

        lo = xp.scalar(0)
        hi = s_hi
        g_hi_all = f.event_values(state_at(hi), tol)[0] if hi != res.H else g1
        cand = [i for i in range(len(keys)) if g_hi_all[i] < 0]
        if not cand:  # probe-detected crossing not confirmed by an accurate evaluation: use the step
            cand = fired
        xtol = 8 * xp.eps * max(1.0, abs(float(t)) + abs(float(res.H)))
        xtol = xp.scalar(xtol)
        first = None
        for _ in range(len(keys) + 1):
            # estimate crossing positions linearly, refine the earliest
            def est(i):
                a0, a1 = g0[i], g_hi_all[i]
                return hi * (a0 / (a0 - a1)) if a0 - a1 != 0 else hi
            cand.sort(key=lambda i: est(i))
            i0 = cand[0]
            lo_i, hi_i, _, _ = illinois(gfun(i0), lo, hi, g0[i0], g_hi_all[i0], xtol)
            progressed = first is None or hi - hi_i > xtol
            first = (i0, hi_i)
            # did another function change sign before hi_i? (within xtol: simultaneous, switch together)
            g_at = f.event_values(state_at(hi_i), tol)[0]
            earlier = [i for i in range(len(keys)) if i != i0 and g_at[i] < 0]
            if not earlier or not progressed:
                break
            hi, g_hi_all, cand = hi_i, g_at, earlier
        i0, s_ev = first
        t_ev = t + s_ev
        Y_ev = _renormalise(state_at(s_ev), m, d, xp)
        # all pairs whose functions are <= 0 at the event point switch together
        g_ev = f.event_values(Y_ev, tol)[0]
        switching = sorted({(keys[i][0], keys[i][1], keys[i][2]) for i in range(len(keys)) if g_ev[i] < 0 or i == i0})
        seg.t.append(t_ev)
        seg.Y.append(Y_ev)
        seg.k.append(kk)
        # chattering guard
        if last_event_t is not None and abs(float(t_ev - last_event_t)) <= 1e3 * float(xtol):
            n_events_here += 1
        else:
            n_events_here = 0
        last_event_t = t_ev
        if n_events_here > 50 or len(traj.events) >= max_events:
            traj.status, traj.message = -3, f"{STATUS[-3]} at t = {float(t_ev):.6g}, pairs {switching[:4]}"
            t, Y = t_ev, Y_ev
            break
        mode, Y_new, stop = _classify(model, mode, Y_ev, [(j, kk_) for j, kk_, _ in switching],
                                      {(j, kk_): kind for j, kk_, kind in switching}, t_ev, X, y, G, xp, kink, tol, traj)
        t, Y = t_ev, Y_new
        f = make_field(mode)
        nf = gbs.nfev
        gbs = GBS(f, xp, rtol, atol_vec)
        gbs.nfev = nf
        seg = _Segment(mode, [t], [Y], [kk])
        traj.segments.append(seg)
        if stop:
            break
        H, k = max(s_ev, res.H_next * xp.scalar(0.25)), kk
    traj.nfev += gbs.nfev
    return _finish(traj, t_eval)


def _finish(traj, t_eval):
    if t_eval is not None:
        traj.t_eval = list(t_eval)
        traj.sampled = [traj.at(min(traj.xp.scalar(tt), traj.t_final)) for tt in t_eval]
    return traj


def _project_surfaces(Y, mode, m, d):
    """Put sliding neurons back exactly on their surfaces (the exact flow keeps them there; this
    removes the O(rtol) drift of the integrator so sliding never chatters across the kink)."""
    if not mode.sliding_neurons:
        return Y
    Y = Y.copy()
    V = Y[m:].reshape(m, d + 1)
    for j in mode.sliding_neurons:
        V[j, 1:] = mode.proj[j] @ V[j, 1:]
    return Y


def _renormalise(Y, m, d, xp):
    V = Y[m:].reshape(m, d + 1)
    nrm = xp.sqrt(np.sum(V * V, axis=1))
    return np.concatenate([Y[:m], (V / nrm[:, None]).ravel()])


def _zdots(f, V, c, j, etas, freed):
    """dz_jk/dt (up to e^{r_j} > 0) for every k in ``etas`` when the pairs in ``etas`` use the given
    generalised derivatives, the pairs in ``freed`` leave j's surface set and the other surface
    pairs of j stay constrained (Filippov projection)."""
    mode, X = f.mode, f.X
    eta = mode.eta_free[j].copy()
    for k, e in etas.items():
        eta[k] = e
    b = (eta * c) @ X
    if mode.kink == "filippov":
        S = [l for l in np.nonzero(mode.surface[j])[0] if l not in freed]
        b = _projector(X, S, f.xp) @ b
    vel = -V[j, 0] * b
    return {k: np.sum(vel * X[k]) for k in etas}


def _decide_filippov(f, V, c, j, ks, old, kinds, thr, conv_side):
    """New sides of the simultaneously switching pairs ks of neuron j (Filippov).

    Candidate assignments in {+1, -1} (tied for parallel data vectors) are tried; one is
    consistent when every pair moves into its own side (side * dz/dt > thr). The old assignment,
    if consistent, wins (a tangential touch); a unique other consistent one is a crossing; if
    none is consistent the pairs slide (0); if several, the sigma'(0) convention decides.
    """
    X, gamma = f.X, f.model.gamma
    free = set(ks)
    # tie parallel vectors: groups with a representative and a relative orientation
    rep = {}
    for k in ks:
        for r0 in list(rep):
            o = _parallel(X, r0, k)
            if o:
                rep[k] = (rep[r0][0], rep[r0][1] * o)
                break
        else:
            rep[k] = (k, 1)
    roots = sorted({r0 for r0, _ in rep.values()})
    consistent = []
    for bits in range(2 ** len(roots)):
        sg = {r0: (1 if (bits >> i) & 1 else -1) for i, r0 in enumerate(roots)}
        cand = {k: sg[rep[k][0]] * rep[k][1] for k in ks}
        zd = _zdots(f, V, c, j, {k: (1 if cand[k] > 0 else gamma) for k in ks}, free)
        if all(cand[k] * zd[k] > thr[k] for k in ks):
            consistent.append(cand)
    olds = {k: old[k] for k in ks}
    if any(c_ == olds for c_ in consistent) and all(v != 0 for v in olds.values()):
        return olds
    others = [c_ for c_ in consistent if c_ != olds]
    if len(others) == 1:
        return others[0]
    if len(others) > 1:  # repelling: every side is consistent; the sigma'(0) convention decides
        pick = [c_ for c_ in others if all(c_[k] == conv_side[k] for k in ks if conv_side[k] != 0)]
        return pick[0] if pick else others[0]
    # nothing consistent: attractive or neutral -> slide, unless an exit was decided on the band
    out = {}
    for k in ks:
        kind = (kinds or {}).get((j, k))
        out[k] = 1 if kind == "exit_up" else (-1 if kind == "exit_down" else 0)
        if kind == "exit_rep":
            out[k] = conv_side[k] or -1
    return out


def _classify(model, mode, Y, pairs, kinds, t, X, y, G, xp, kink, tol, traj):
    """Decide the new side of every switching pair, record the events, project on surfaces.

    Returns (new mode, projected state, stop flag). ``kinds`` maps a pair to the event that fired
    (None at t0: pairs lying exactly on a kink initially). Pairs of one neuron switching at the
    same instant are decided jointly (needed for parallel data vectors, e.g. x and -x).
    """
    m, d = mode.side.shape[0], X.shape[1]
    side = mode.side.copy()
    f = _Field(model, mode, X, y, xp)
    r, V = f.split(Y)
    c, _, _ = f.residual_coef(r, V)
    stop = False
    by_neuron = {}
    for (j, k) in pairs:
        by_neuron.setdefault(int(j), []).append(int(k))
    for j, ks in by_neuron.items():
        ks = sorted(set(ks))
        sides = {}
        info = {}
        for k in ks:
            on_surface = bool(mode.surface[j, k])
            up, down, conv, scale = f.zdot_sides(V, c, j, k, on_surface=on_surface)
            info[k] = (on_surface, up, down, conv, tol * scale)
        if kink == "filippov":
            conv_side = {k: (1 if info[k][3] > info[k][4] else -1 if info[k][3] < -info[k][4] else 0) for k in ks}
            sides = _decide_filippov(f, V, c, j, ks, {k: int(mode.side[j, k]) for k in ks}, kinds,
                                     {k: info[k][4] for k in ks}, conv_side)
        else:
            for k in ks:
                _, up, down, conv, thr = info[k]
                if abs(conv) <= thr:
                    new = 0
                else:
                    new = 1 if conv > 0 else -1
                    # a classical solution can leave z = 0 only if the field on the side it enters
                    # carries it away (strictly); otherwise it neither stays nor leaves (Prop. 2)
                    if (new > 0 and not up > thr) or (new < 0 and not down < -thr):
                        traj.status = -2
                        traj.message = (f"{STATUS[-2]}: at t = {float(t):.9g}, neuron {j}, sample {k}: with sigma'(0) = "
                                        f"{model.sigma_prime_zero} the pre-activation leaves z = 0 towards side {new:+d}, "
                                        f"but the field there points back (dz/dt = {float(up if new > 0 else down):.3e})")
                        stop = True
                        new = 0
                sides[k] = new
        for k in ks:
            new, old, on_surface = sides[k], int(mode.side[j, k]), info[k][0]
            side[j, k] = new
            if new == old and kinds is not None:
                continue  # no switch (a touch, or a re-fire on noise): no event, only the projection
            if kinds is None:
                kind = {1: "activate", -1: "deactivate", 0: "slide_enter" if kink == "filippov" else "stick"}[new]
            elif on_surface:
                kind = "slide_exit_up" if new > 0 else "slide_exit_down"
            else:
                kind = {1: "activate", -1: "deactivate", 0: "slide_enter" if kink == "filippov" else "stick"}[new]
            traj.events.append(KinkEvent(t, kind, j, k))
    new_mode = _Mode(side, model, X, G, xp, kink)
    # project: pairs on a surface get z = 0 exactly; pairs that just switched get z = 0 too (they move away)
    Yp = Y.copy()
    Vp = Yp[m:].reshape(m, d + 1)
    for j, ks in by_neuron.items():
        S = sorted(set([int(l) for l in np.nonzero(new_mode.surface[j])[0]] + ks))
        Vp[j, 1:] = _projector(X, S, xp) @ Vp[j, 1:]
    Yp = _renormalise(Yp, m, d, xp)
    return new_mode, Yp, stop


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
    return _Field(model, _Mode(side, model, X, X @ X.T, xp, "filippov"), X, y, xp)
