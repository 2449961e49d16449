"""Gradient flow of a two-layer network with a smooth activation (the smoothed ReLU phi_{Q,xi} of
:mod:`numerics.smooth_relu`, xi > 0), logistic loss: a small separate integrator (scipy ``solve_ivp``, DOP853).

Why separate: for xi > 0 the field is C^1 (phi is C^2), so there are no kink events and a standard adaptive
integrator is exact to its tolerance; the kink machinery of :mod:`numerics.flows` (events, Filippov sliding) is
only needed for xi = 0, where :func:`smooth_flow` hands the run to :func:`numerics.flows.solve_flow` (same state,
same result type). Keeping the smooth case here leaves the flow engine untouched.

Coordinates are those of :mod:`numerics.flows`: theta_j = (a_j, w_j) = e^{r_j} q_j with ||q_j|| = 1, and because
f is 2-homogeneous and phi(., x) 1-homogeneous (grad phi 0-homogeneous),

    F_j = ( -sum_k c_k phi(q_wj, x_k),  -q_aj sum_k c_k grad phi(q_wj, x_k) ),   c_k = w ell'(h_k, y_k),
    r_j' = <q_j, F_j>,    q_j' = F_j - r_j' q_j,    h_k = sum_j e^{2 r_j} q_aj phi(q_wj, x_k),

with w = 1/n (the mean loss of tsoy2024 Eq. (1)). ``linearized=True`` freezes ell' at ell'(0) = -1/2 (tsoy2024
Eq. (2)): the neurons then evolve independently, and the system is scale-equivariant (u_j^l(t; sigma theta_0) =
sigma u_j^l(t; theta_0)). The scale sigma enters only through r_j(0) = ln sigma + O(1), so sigma = 1e-400 costs
the same as 1e-3 (e^{2r} underflows harmlessly to 0 while it is negligible).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import expit

from .flows import PolarState, solve_flow
from .network import Model
from .smooth_relu import SmoothReLU

__all__ = ["SmoothFlowResult", "smooth_flow", "polar_from_cartesian"]

#: shift of the log norms used to run the linearised ReLU system (2) through numerics.flows: at scale e^{-1000}
#: every output h_k underflows to exactly 0 in float64, so ell'(h) = ell'(0) exactly
_LINEAR_SHIFT = 1000.0


@dataclass
class SmoothFlowResult:
    """Samples of the flow at ``t`` (T,): log norms ``r`` (T, m) and unit rows ``Q`` (T, m, 1+d) (column 0: a)."""

    t: np.ndarray
    r: np.ndarray
    Q: np.ndarray
    nfev: int = 0
    status: int = 0
    message: str = ""
    info: dict = field(default_factory=dict)

    @property
    def m(self) -> int:
        return self.Q.shape[1]

    def log_abs_u(self, k: int = -1) -> np.ndarray:
        """ln |u_j| = r_j + ln |q_aj| at sample k (finite far below float64 range)."""
        return self.r[k] + np.log(np.abs(self.Q[k, :, 0]))

    def log_norm_v(self, k: int = -1) -> np.ndarray:
        """ln ||v_j|| at sample k."""
        return self.r[k] + np.log(np.linalg.norm(self.Q[k, :, 1:], axis=1))

    def direction(self, k: int = -1) -> np.ndarray:
        """v^_j = v_j / ||v_j|| at sample k, (m, d)."""
        W = self.Q[k, :, 1:]
        return W / np.linalg.norm(W, axis=1, keepdims=True)

    def sign(self, k: int = -1) -> np.ndarray:
        return np.sign(self.Q[k, :, 0])

    def u(self, k: int = -1) -> np.ndarray:
        """u_j (may underflow to 0 for tiny scales: use :meth:`log_abs_u`)."""
        return np.exp(self.r[k]) * self.Q[k, :, 0]

    def V(self, k: int = -1) -> np.ndarray:
        """v_j (m, d)."""
        return np.exp(self.r[k])[:, None] * self.Q[k, :, 1:]

    def balance(self, k: int = -1) -> np.ndarray:
        """(u_j^2 - ||v_j||^2) / (u_j^2 + ||v_j||^2): scale-free balancedness."""
        return self.Q[k, :, 0] ** 2 - np.sum(self.Q[k, :, 1:] ** 2, axis=1)


def polar_from_cartesian(u, V):
    """(r, Q) of theta_j = (u_j, v_j): r_j = ln ||(u_j, v_j)||, Q_j the unit row."""
    th = np.concatenate([np.asarray(u, dtype=float)[:, None], np.asarray(V, dtype=float)], axis=1)
    nrm = np.linalg.norm(th, axis=1)
    if np.any(nrm == 0):
        raise ValueError("a neuron with (u_j, v_j) = 0 stays at 0: drop it")
    return np.log(nrm), th / nrm[:, None]


def _rhs_factory(X, y, act: SmoothReLU, linearized: bool, weight: float):
    m_d = {}
    c_lin = -weight * 0.5 * y   # w ell'(0) y-part: ell'(h, y) = -y expit(-y h) -> -y/2 at h = 0

    def rhs(t, Y):
        m = m_d["m"]
        r = Y[:m]
        Q = Y[m:].reshape(m, -1)
        qa, qw = Q[:, 0], Q[:, 1:]
        S = act.values(qw, X)
        if linearized:
            c = c_lin
        else:
            h = (np.exp(2 * r) * qa) @ S
            c = -weight * y * expit(-y * h)
        Fa = -(S @ c)
        Fw = -qa[:, None] * act.grad_contract(qw, X, c)
        F = np.concatenate([Fa[:, None], Fw], axis=1)
        rdot = np.sum(Q * F, axis=1)
        return np.concatenate([rdot, (F - rdot[:, None] * Q).ravel()])

    return rhs, m_d


def smooth_flow(X, y, act: SmoothReLU, r0, Q0, t_eval, *, linearized: bool = False, rtol: float = 1e-11,
                atol: float = 1e-14, method: str = "DOP853", reduction: str = "mean",
                max_step: float = math.inf) -> SmoothFlowResult:
    """Integrate the gradient flow of L = w sum_k ln(1 + e^{-y_k f(theta, x_k)}) (tsoy2024 Eq. (1); w = 1/n for
    ``reduction="mean"``) or its linearisation (Eq. (2), ``linearized=True``) from the polar state (r0, Q0), with
    f(theta, x) = sum_j u_j phi(v_j, x) and phi = ``act``; samples at the increasing times ``t_eval``.

    ``act.xi > 0``: scipy ``solve_ivp`` (``method``, default DOP853) with relative tolerance ``rtol`` and absolute
    tolerance ``rtol`` on the log norms, ``atol`` on the unit rows. ``act.xi == 0`` (ReLU): the kink-aware engine
    :func:`numerics.flows.solve_flow` (Filippov sliding at kinks), the linearised system being the flow run at
    scale e^{-1000} (every output underflows to 0: ell' = ell'(0) exactly).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    r0 = np.asarray(r0, dtype=float)
    Q0 = np.asarray(Q0, dtype=float)
    Q0 = Q0 / np.linalg.norm(Q0, axis=1, keepdims=True)
    t_eval = np.asarray(t_eval, dtype=float)
    m, d1 = Q0.shape
    if d1 != X.shape[1] + 1:
        raise ValueError(f"state rows have {d1 - 1} input coordinates but the data has d = {X.shape[1]}")
    weight = 1.0 / len(y) if reduction == "mean" else 1.0
    if act.xi == 0:
        return _relu_flow(X, y, r0, Q0, t_eval, linearized, rtol, reduction)
    rhs, m_d = _rhs_factory(X, y, act, linearized, weight)
    m_d["m"] = m
    Y0 = np.concatenate([r0, Q0.ravel()])
    atol_vec = np.concatenate([np.full(m, rtol), np.full(m * d1, atol)])
    sol = solve_ivp(rhs, (0.0, float(t_eval[-1])), Y0, method=method, t_eval=t_eval, rtol=rtol, atol=atol_vec,
                    max_step=max_step)
    if sol.status != 0:
        raise RuntimeError(f"smooth flow failed: {sol.message}")
    Ys = sol.y.T
    r = Ys[:, :m]
    Q = Ys[:, m:].reshape(len(sol.t), m, d1)
    Q = Q / np.linalg.norm(Q, axis=2, keepdims=True)
    return SmoothFlowResult(sol.t, r, Q, nfev=int(sol.nfev), status=sol.status, message=sol.message,
                            info={"method": method, "rtol": rtol, "atol": atol, "xi": act.xi,
                                  "linearized": linearized})


def _relu_flow(X, y, r0, Q0, t_eval, linearized, rtol, reduction):
    model = Model(X, y, gamma=0.0, loss="logistic", reduction=reduction)
    shift = _LINEAR_SHIFT if linearized else 0.0
    st = PolarState(r0 - shift, Q0)
    tr = solve_flow(model, st, float(t_eval[-1]), rtol=rtol, t_eval=list(t_eval))
    if tr.status != 0:
        raise RuntimeError(f"ReLU flow failed: {tr.message}")
    r = np.array([np.asarray(s.r, dtype=float) + shift for s in tr.sampled])
    Q = np.array([np.asarray(s.V, dtype=float) for s in tr.sampled])
    return SmoothFlowResult(np.asarray(t_eval), r, Q, nfev=int(tr.nfev), status=tr.status, message=tr.message,
                            info={"method": "numerics.flows.solve_flow (GBS, Filippov kinks)", "rtol": rtol,
                                  "xi": 0.0, "linearized": linearized, "kink_events": len(tr.events)})
