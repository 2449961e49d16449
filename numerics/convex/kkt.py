"""KKT-margin test of a given network direction (Lyu & Li 2020; lyu2021 Defs. B.6-B.8; catalog 002 E37):
:func:`kkt_margin_residual`, a nonnegative least-squares problem over the multipliers and the kink
slopes of the Clarke subdifferential, solved as an SOCP.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import cvxpy as cp
import numpy as np

from ..network import forward, sigma
from .data import check_gamma, check_pm1_labels, float_data
from .solver import DEFAULT_SOLVER, solve_problem

__all__ = ["KKTResult", "kkt_margin_residual"]


@dataclass(kw_only=True)
class KKTResult:
    """KKT-margin test of a network direction (lyu2021 Def. B.8; catalog 002 E37).

    theta is rescaled to theta_hat = theta / sqrt(q_min) (so min_k q_k(theta_hat) = 1) and
    ``residual`` = ||theta_hat - sum_k lam_k g_k|| / ||theta_hat|| with g_k in the Clarke
    subdifferential of q_k at theta_hat, minimised over lam >= 0 supported on the
    near-active set and over the kink slopes; the multipliers returned are exactly
    feasible (lam >= 0, slopes in [gamma, 1]), so ``residual`` is attained by them.
    ``lam`` (n,), ``active`` indices, ``kinks``: list of (neuron j, sample k, slope h_jk
    used). ``complementarity`` = max_k lam_k (q_k(theta_hat) - 1). ``lambda_sum`` should
    equal 1/2||theta_hat||^2 = 1/(2 gamma(theta)) at a KKT point (Euler identity);
    ``euler_gap`` is the relative difference. ``is_margin_direction`` is False when
    q_min <= 0 (then ``residual`` = inf).
    """

    residual: float
    lam: np.ndarray
    active: np.ndarray
    kinks: list
    complementarity: float
    q_min: float
    normalized_margin: float
    lambda_sum: float
    euler_gap: float
    is_margin_direction: bool
    message: str
    solver: str = ""
    status: str = ""
    accurate: bool = True

    def holds(self, tol: float = 1e-6) -> bool:
        """KKT-margin direction up to ``tol`` (relative residual)."""
        return self.is_margin_direction and self.residual <= tol


def kkt_margin_residual(X, y, a, W, gamma: float = 0.0, *, active_rtol: float = 1e-6, kink_rtol: float = 1e-7,
                        sigma_prime_zero: float | None = None, solver=DEFAULT_SOLVER,
                        solver_opts=None) -> KKTResult:
    """Is theta/||theta|| a KKT-margin direction? (Lyu & Li 2020; lyu2021 Defs. B.6-B.8, l.1558-1620.)

    theta is a KKT-margin direction iff q_min(theta) > 0 and theta_hat = theta/sqrt(q_min)
    is a KKT point of (P) min 1/2||theta||^2 s.t. q_k(theta) >= 1: there are lam_k >= 0,
    lam_k = 0 unless q_k(theta_hat) = 1, with theta_hat in sum_k lam_k d°q_k(theta_hat)
    (Clarke subdifferential). For the two-layer net (B.8):
        a_j = sum_k lam_k y_k sigma(<w_j, x_k>),
        w_j = sum_k lam_k y_k a_j h_jk x_k,  h_jk = sigma'(<w_j, x_k>), h_jk in [gamma, 1] at a kink.
    (q_k is 2-homogeneous, so the same lam serve theta and theta_hat.)

    What is computed: the near-active set A = {k : q_k <= (1 + active_rtol) q_min}; kinks
    are the pairs (j, k in A) with |<w_j, x_k>| <= kink_rtol ||w_j|| ||x_k||, where the
    slope is a free variable h_jk in [gamma, 1] (Clarke; the Clarke subdifferential of a
    sum of functions of disjoint parameter blocks is the product, so slopes are
    independent per pair), linearised exactly as nu_jk = lam_k h_jk with
    gamma lam_k <= nu_jk <= lam_k (catalog 002 E37). With ``sigma_prime_zero`` set, the
    slope at kinks is fixed to that value instead (e.g. 1, the PyTorch-like convention:
    a mutation that must fail on points needing h = gamma). Then the nonnegative
    least-squares problem min ||theta_hat - G lam - H nu|| over those constraints is
    solved as an SOCP (minimising the norm itself; minimising its square as a QP would
    resolve the residual only to sqrt(solver tolerance) ~ 1e-5); the multipliers are
    clipped to exact feasibility and the residual is recomputed from them:
    ``residual`` = ||theta_hat - G lam - H nu|| / ||theta_hat||. Also reported:
    complementarity max_k lam_k (q_k(theta_hat) - 1), and sum(lam) against the Euler
    identity sum(lam) = 1/2||theta_hat||^2 = 1/(2 gamma(theta)) (every Clarke element g_k
    has <theta, g_k> = 2 q_k).

    Tolerances: ``active_rtol`` and ``kink_rtol`` must exceed the accuracy of theta. For
    analytic points exact zeros are ~1e-16; for networks recovered from a convex solve
    (~1e-9 .. 1e-7 accurate) the defaults suit small problems, and degenerate large ones
    may need ~1e-6; for gradient-flow directions use the observed spread of the margins
    (catalog 002 uses active_rtol = 1e-3).
    """
    Xf, yf = float_data(X, y)
    check_pm1_labels(yf, "kkt_margin_residual")
    check_gamma(gamma)
    gamma = float(gamma)
    a = np.asarray(a, dtype=float).ravel()
    W = np.asarray(W, dtype=float).reshape(a.size, -1)
    n, d = Xf.shape
    m = a.size
    q = yf * forward(a, W, Xf, gamma)
    sq = float(a @ a + np.sum(W * W))
    q_min = float(q.min())
    if not q_min > 0:
        return KKTResult(residual=math.inf, lam=np.zeros(n), active=np.array([], int), kinks=[],
                         complementarity=math.nan, q_min=q_min,
                         normalized_margin=q_min / sq if sq else math.nan,
                         lambda_sum=math.nan, euler_gap=math.nan, is_margin_direction=False,
                         message=f"q_min(theta) = {q_min:.6g} <= 0: not a margin direction (lyu2021 Def. B.8 "
                                 "needs q_k > 0 for all k)")
    s = 1.0 / math.sqrt(q_min)
    a_h, W_h = a * s, W * s
    q_h = q / q_min
    theta = np.concatenate([a_h, W_h.ravel()])
    A = np.flatnonzero(q_h <= 1.0 + active_rtol)
    Z = W_h @ Xf.T                                           # (m, n) preactivations
    scale = np.linalg.norm(W_h, axis=1)[:, None] * np.linalg.norm(Xf, axis=1)[None, :]
    is_kink = np.abs(Z) <= kink_rtol * scale
    slope = np.where(Z > 0, 1.0, gamma)
    G = np.zeros((theta.size, A.size))                        # columns: gradients of q_k (k in A)
    kink_cols, kink_pairs = [], []
    for c, k in enumerate(A):
        for j in range(m):
            if is_kink[j, k] and a_h[j] != 0:  # (a zero output weight makes the w_j-column vanish)
                if sigma_prime_zero is None:
                    col = np.zeros(theta.size)
                    col[m + j * d: m + (j + 1) * d] = yf[k] * a_h[j] * Xf[k]
                    kink_cols.append(col)
                    kink_pairs.append((j, int(k), c))
                    continue
                h_jk = float(sigma_prime_zero)
                G[j, c] = 0.0  # sigma(0) = 0
            else:
                h_jk = slope[j, k]
                G[j, c] = yf[k] * float(sigma(Z[j, k], gamma))
            G[m + j * d: m + (j + 1) * d, c] = yf[k] * a_h[j] * h_jk * Xf[k]
    lam = cp.Variable(A.size, nonneg=True)
    resid = theta - G @ lam
    cons = []
    if kink_cols:
        H = np.array(kink_cols).T
        nu = cp.Variable(len(kink_cols))
        owner = np.array([c for _, _, c in kink_pairs])
        resid = resid - H @ nu
        cons = [nu >= gamma * lam[owner], nu <= lam[owner]]
    prob = cp.Problem(cp.Minimize(cp.norm(resid, 2)), cons)
    info = solve_problem(prob, "KKT-margin residual (NNLS over multipliers and kink slopes)", solver, solver_opts)
    lam_v = np.maximum(np.asarray(lam.value, dtype=float), 0.0)
    r = theta - G @ lam_v
    kinks = []
    if kink_cols:
        nu_v = np.clip(np.asarray(nu.value, dtype=float), gamma * lam_v[owner], lam_v[owner])
        r = r - H @ nu_v
        for (j, k, c), v in zip(kink_pairs, nu_v):
            kinks.append((j, k, float(v / lam_v[c]) if lam_v[c] > 0 else float("nan")))
    lam_full = np.zeros(n)
    lam_full[A] = lam_v
    half = 0.5 * float(theta @ theta)
    lsum = float(lam_v.sum())
    return KKTResult(
        residual=float(np.linalg.norm(r) / np.linalg.norm(theta)), lam=lam_full, active=A, kinks=kinks,
        complementarity=float(np.max(lam_full * (q_h - 1.0))), q_min=q_min, normalized_margin=q_min / sq,
        lambda_sum=lsum, euler_gap=abs(lsum - half) / half, is_margin_direction=True,
        message=f"{A.size} near-active samples, {len(kinks)} kink pairs", solver=info["solver"],
        status=info["status"], accurate=info["accurate"])
