"""Least squares: beta* = X^+ y (min-norm least squares) and the OLS estimator (X^T X)^{-1} X^T y,
with the loss L(beta*) = 1/(2n)||X beta* - y||^2 (boursier2024 Thm 2 and l.1766: the spurious
stationary point; catalog 003 E16), computed exactly, by cvxpy and by numpy, and cross-checked.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import cvxpy as cp
import numpy as np

from ..backend import get_backend
from ..patterns import independent_rows
from .data import exact_data, float_data, fraction_to_mpf, solve_exact
from .solver import DEFAULT_SOLVER, ConvexResult, eq_multiplier, solve_problem

__all__ = ["LeastSquaresResult", "min_norm_least_squares", "ols"]


@dataclass(kw_only=True)
class LeastSquaresResult(ConvexResult):
    """beta* = X^+ y (min-norm least squares) and its loss (boursier2024 l.240, l.1766).

    ``kind``: ``"interpolation"`` (rank X = n: X beta* = y, beta* = X^T (X X^T)^{-1} y,
    cvxpy value 1/2||beta*||^2), ``"ols"`` (rank X = d < n: beta* = (X^T X)^{-1} X^T y,
    cvxpy value 1/2||X beta* - y||^2) or ``"min-norm least squares"`` (rank-deficient).
    ``beta`` (float64, rounded from the exact value), ``beta_exact`` (Fractions of the
    data as given), ``beta_mp`` (mpmath at ``dps``); ``loss`` = L(beta*) =
    1/(2n)||X beta* - y||^2 likewise (``loss_exact``, ``loss_mp``). Independent
    solutions for the cross-check: ``beta_cvxpy`` and ``beta_lstsq`` (numpy), with their
    distances to the exact beta* relative to max(1, ||beta*||). ``rank`` is exact,
    ``numerical_rank`` from the SVD (numpy's default tolerance).
    """

    kind: str
    beta: np.ndarray
    beta_exact: tuple
    beta_mp: np.ndarray
    loss: float
    loss_exact: Fraction
    loss_mp: object
    residual: np.ndarray
    rank: int
    numerical_rank: int
    beta_cvxpy: np.ndarray
    beta_lstsq: np.ndarray
    cvxpy_discrepancy: float
    lstsq_discrepancy: float
    dps: int


def min_norm_least_squares(X, y, *, dps: int = 50, solver=DEFAULT_SOLVER,
                           solver_opts=None) -> LeastSquaresResult:
    """beta* = X^+ y, the minimum-norm least-squares solution, and L(beta*) = 1/(2n)||X beta* - y||^2.

    Three independent computations (boursier2024 Thm 2 uses beta* = (X^T X)^{-1} X^T y,
    l.240; its loss L_{beta*}, l.1766; catalog 003 E16):

    * exact: with B a maximal set of independent rows of X (exact rank r) and
      M = X X_B^T (n x r, full column rank), beta* = X_B^T (M^T M)^{-1} M^T y in rational
      arithmetic; this is X^T (X X^T)^{-1} y when rank X = n and (X^T X)^{-1} X^T y when
      rank X = d. Returned exactly, in mpmath at ``dps`` and rounded to float64 (``beta``);
    * cvxpy (explicit solver): min 1/2||beta||^2 s.t. X beta = y if rank X = n; otherwise
      min 1/2||r||^2 s.t. r + X Q z = y, beta = Q z, with Q an orthonormal basis of the row
      space (Q = I when rank X = d); duality gap from the equality multipliers;
    * numpy ``lstsq`` (SVD, min-norm).

    The distances of the cvxpy and lstsq solutions to the exact beta* are reported
    (``cvxpy_discrepancy``, ``lstsq_discrepancy``), never silently reconciled.
    """
    Xf, yf = float_data(X, y)
    Xe, ye = exact_data(X), exact_data(y)
    n, d = Xf.shape
    B = independent_rows(Xe)
    r = len(B)
    if r == 0:
        raise ValueError("X is zero: beta* = 0 trivially")
    # exact beta*
    XB = [Xe[i] for i in B]
    M = [[sum(a * b for a, b in zip(Xe[k], XB[j])) for j in range(r)] for k in range(n)]
    MtM = [[sum(M[k][i] * M[k][j] for k in range(n)) for j in range(r)] for i in range(r)]
    Mty = [sum(M[k][i] * ye[k] for k in range(n)) for i in range(r)]
    c = solve_exact(MtM, Mty)
    beta_ex = [sum(c[j] * XB[j][t] for j in range(r)) for t in range(d)]
    res_ex = [ye[k] - sum(a * b for a, b in zip(Xe[k], beta_ex)) for k in range(n)]
    loss_ex = sum(v * v for v in res_ex) / (2 * n)
    ctx = get_backend(dps).ctx
    beta_mp = np.array([fraction_to_mpf(ctx, v) for v in beta_ex], dtype=object)
    beta = np.array([float(v) for v in beta_ex])
    # cvxpy
    if r == n:
        kind = "interpolation"
        b = cp.Variable(d)
        con = Xf @ b == yf
        prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(b)), [con])
        info = solve_problem(prob, "min-norm interpolation (min 1/2||beta||^2 s.t. X beta = y)", solver, solver_opts)
        beta_cvx = np.asarray(b.value, dtype=float)
        nu = eq_multiplier(con)
        dual = float(nu @ yf - 0.5 * np.sum((Xf.T @ nu) ** 2))
        primal = 0.5 * float(beta_cvx @ beta_cvx)
    else:
        kind = "ols" if r == d else "min-norm least squares"
        Q = np.eye(d) if r == d else np.linalg.svd(Xf)[2][:r].T
        z = cp.Variable(Q.shape[1])
        res = cp.Variable(n)
        con = res + (Xf @ Q) @ z == yf
        prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(res)), [con])
        info = solve_problem(prob, f"{kind} (min 1/2||y - X beta||^2, beta in row space)", solver, solver_opts)
        beta_cvx = Q @ np.asarray(z.value, dtype=float)
        nu = eq_multiplier(con)  # dual: max nu^T y - 1/2||nu||^2 s.t. Q^T X^T nu = 0
        dual = float(nu @ yf - 0.5 * nu @ nu)
        primal = 0.5 * float(np.sum((yf - Xf @ beta_cvx) ** 2))
    beta_lstsq = np.linalg.lstsq(Xf, yf, rcond=None)[0]
    scale = max(1.0, float(np.linalg.norm(beta)))
    return LeastSquaresResult(
        problem=f"beta* = X^+ y ({kind})", value=primal, primal={"beta": beta_cvx}, dual={"nu": nu},
        duality_gap=primal - dual, dual_value=dual, kind=kind, beta=beta, beta_exact=tuple(beta_ex),
        beta_mp=beta_mp, loss=float(loss_ex), loss_exact=loss_ex, loss_mp=fraction_to_mpf(ctx, loss_ex),
        residual=np.array([float(v) for v in res_ex]), rank=r, numerical_rank=int(np.linalg.matrix_rank(Xf)),
        beta_cvxpy=beta_cvx, beta_lstsq=beta_lstsq,
        cvxpy_discrepancy=float(np.linalg.norm(beta_cvx - beta)) / scale,
        lstsq_discrepancy=float(np.linalg.norm(beta_lstsq - beta)) / scale, dps=dps, **info)


def ols(X, y, *, dps: int = 50, solver=DEFAULT_SOLVER, solver_opts=None) -> LeastSquaresResult:
    """OLS estimator beta* = (X^T X)^{-1} X^T y and its loss L(beta*) = 1/(2n)||X beta* - y||^2.

    boursier2024 Thm 2 (l.240): with small init the network converges to h(x) = <beta*, x>,
    a spurious stationary point with loss L_{beta*} > 0 (l.1766). Requires rank X = d
    (exact); see :func:`min_norm_least_squares` for the computation and cross-checks.
    """
    Xe = exact_data(X)
    d = len(Xe[0])
    r = len(independent_rows(Xe))
    if r < d:
        raise ValueError(f"X^T X is singular (rank X = {r} < d = {d}): the OLS estimator (X^T X)^{{-1}} X^T y "
                         "is undefined; use min_norm_least_squares for X^+ y")
    return min_norm_least_squares(X, y, dps=dps, solver=solver, solver_opts=solver_opts)
