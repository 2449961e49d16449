"""Convex programs behind the papers' limit objects (cvxpy + Clarabel, exact polishing).

Conventions (:mod:`numerics.network`): data X (n, d) with rows x_k, labels y (n,);
h_theta(x) = sum_j a_j sigma(<w_j, x>), sigma(z) = max(z, gamma z), gamma in [0, 1]
(lyu2021 calls the slope alpha); no biases (append a constant coordinate);
||theta||^2 = sum_j a_j^2 + ||W||_F^2.

What is computed here, with the paper quantity it stands for:

* :func:`svm_hard_margin` -- the max-margin linear separator w*, gamma_{w*}
  (lyu2021 Def. 3.3; catalog 002 E03): min 1/2||w||^2 s.t. y_k <w, x_k> >= 1.
  :func:`polish_svm` re-solves its KKT system exactly on the support set.
* :func:`min_norm_least_squares` / :func:`ols` -- beta* = X^+ y and the OLS
  estimator (X^T X)^{-1} X^T y with its loss L(beta*) = 1/(2n)||X beta* - y||^2
  (boursier2024 Thm 2 and l.1766: the spurious stationary point).
* :func:`min_norm_interpolator` -- min 1/2||theta||^2 over networks of any width
  with h(x_k) = y_k (boursier2022 problem (34), Eq. (8); catalog 004 P1, L12, E8).
* :func:`max_margin_network` -- val(P) = min 1/2||theta||^2 s.t. y_k h(x_k) >= 1 and
  the global max normalised margin gamma_max = 1/(2 val(P)) of the network class
  (lyu2021 problems (M), (P), l.224-253, and Thm 4.2; catalog 002 E04, E06).
* :func:`kkt_margin_residual` -- the KKT-margin test of a given direction
  (Lyu & Li 2020; lyu2021 Defs. B.6-B.8; catalog 002 E37).

Both network programs use the exact convex reformulation over activation
patterns (Pilanci & Ergen, "Neural networks are convex regularizers", ICML 2020,
PMLR 119:7695-7705: the group-lasso program of their main theorem), extended here
to leaky ReLU (cf. Ergen & Pilanci, arXiv:2312.12657, piecewise-linear activations); see
:func:`min_norm_interpolator` for the statement and the short exactness proof.
The patterns are enumerated exactly by :mod:`numerics.patterns`.

Solver discipline (ANCHORS.md 3.1). The solver is always passed explicitly to
``Problem.solve`` (default ``cp.CLARABEL``; cvxpy would send the QPs to OSQP, which
reports ``optimal`` on clearly worse points, cvxpy #2554). A ``SolverError`` (e.g.
Clarabel InsufficientProgress) or any status other than optimal /
optimal_inaccurate raises :class:`ConvexSolverError` (:class:`InfeasibleProblemError`
for infeasible problems) carrying cvxpy's status, cvxpy's message and the raw
solver status; ``optimal_inaccurate`` is returned with ``accurate=False``. Duality
gaps are computed here from the dual variables (cvxpy does not expose Clarabel's
dual objective): for the network programs the dual point is rescaled to be
exactly feasible, so ``dual_bound`` is a rigorous lower bound (weak duality, up to
float rounding) and ``value - dual_bound`` a certified gap, except that ``value``
is the objective at the solver's point, which meets the constraints only to the
solver's feasibility tolerance (so a gap of -1e-10 relative can occur).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import cvxpy as cp
import numpy as np

from .backend import get_backend
from .network import forward, normalized_margin, sigma
from .patterns import PatternSet, _independent_rows, _inverse, enumerate_patterns, to_fraction

__all__ = [
    "DEFAULT_SOLVER",
    "ConvexSolverError",
    "InfeasibleProblemError",
    "ConvexResult",
    "SVMResult",
    "SVMPolish",
    "LeastSquaresResult",
    "NetworkConvexResult",
    "KKTResult",
    "svm_hard_margin",
    "separability_certificate",
    "polish_svm",
    "min_norm_least_squares",
    "ols",
    "min_norm_interpolator",
    "max_margin_network",
    "normalized_margin",
    "kkt_margin_residual",
]

DEFAULT_SOLVER = cp.CLARABEL
_OK = (cp.OPTIMAL, cp.OPTIMAL_INACCURATE)
_INFEASIBLE = (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE)


# =========================================================================== errors


class ConvexSolverError(RuntimeError):
    """A convex program was not solved to optimality.

    Attributes: ``problem`` (what was being solved), ``solver``, ``status`` (cvxpy's
    status string, or ``"solver_error"`` when cvxpy raised ``SolverError``),
    ``solver_message`` (cvxpy's own message) and ``raw_status`` (the solver's own
    status, e.g. Clarabel ``InsufficientProgress``, when it could be retrieved).
    """

    def __init__(self, message, *, problem="", solver="", status="", solver_message="", raw_status=""):
        super().__init__(message)
        self.problem = problem
        self.solver = solver
        self.status = status
        self.solver_message = solver_message
        self.raw_status = raw_status


class InfeasibleProblemError(ConvexSolverError):
    """The program is infeasible; ``cause`` names why, ``certificate`` holds a proof
    when one is available (e.g. Farkas weights for non-separable data)."""

    def __init__(self, message, *, cause="", certificate=None, **kw):
        super().__init__(message, **kw)
        self.cause = cause
        self.certificate = certificate


# =========================================================================== results


@dataclass(kw_only=True)
class ConvexResult:
    """Outcome of one convex program.

    ``value``: optimal objective (as defined by the function that returns it);
    ``primal`` / ``dual``: named solution arrays; ``solver``, ``status`` (cvxpy status
    string), ``accurate`` (False for ``optimal_inaccurate``); ``duality_gap`` = value
    minus a dual objective computed here from the dual variables (``dual_value``);
    ``iterations``, ``solve_time`` from the solver; ``a``, ``W``: network weights
    recovered from the solution (network programs only).
    """

    problem: str
    value: float
    primal: dict
    dual: dict
    solver: str
    status: str
    accurate: bool
    duality_gap: float | None
    dual_value: float | None
    iterations: int | None
    solve_time: float | None
    a: np.ndarray | None = None
    W: np.ndarray | None = None


@dataclass(kw_only=True)
class SVMResult(ConvexResult):
    """Hard-margin SVM without bias (lyu2021 Def. 3.3; catalog 002 E03).

    ``w`` = w_hat = argmin{1/2||w||^2 : y_k <w, x_k> >= 1}; ``direction`` = w* =
    w_hat/||w_hat||; ``margin`` = gamma_{w*} = 1/||w_hat|| = min_k y_k <w*, x_k>;
    ``alpha`` the dual multipliers (w_hat = sum_k alpha_k y_k x_k); ``support`` the
    indices with alpha_k > sv_rtol max(alpha); ``active`` the indices with
    y_k <w_hat, x_k> - 1 <= active_atol (support plus weakly active points);
    ``min_slack`` = min_k y_k <w_hat, x_k> - 1 (>= -feasibility tolerance).
    """

    w: np.ndarray
    direction: np.ndarray
    margin: float
    alpha: np.ndarray
    support: np.ndarray
    active: np.ndarray
    min_slack: float


@dataclass(kw_only=True)
class SVMPolish:
    """Exact re-solution of the SVM KKT system on a guessed active set (see :func:`polish_svm`).

    Exact rationals: ``w_exact`` (w_hat), ``alpha_exact`` (n multipliers, zero off
    ``basis``), ``margin_sq_exact`` = gamma_{w*}^2 = 1/||w_hat||^2, and the residuals
    ``primal_slack`` = min_k y_k <w_hat, x_k> - 1 (feasible iff >= 0),
    ``min_alpha`` (dual feasible iff >= 0), ``stationarity`` = ||w_hat - sum alpha_k y_k x_k||^2,
    ``complementarity`` = max_k |alpha_k (y_k <w_hat, x_k> - 1)|, ``gap`` = primal - dual
    objective. mpmath values at ``dps`` digits: ``w``, ``direction`` (w*), ``margin``
    (gamma_{w*}). ``ok`` is True iff all KKT conditions hold exactly; ``message``
    says which failed (a wrong active-set guess) otherwise. ``float_discrepancy`` is
    ||w_hat(float solver) - w_hat(exact)||.
    """

    ok: bool
    message: str
    dps: int
    support: tuple
    basis: tuple
    w_exact: tuple
    alpha_exact: tuple
    margin_sq_exact: Fraction | None
    primal_slack: Fraction | None
    min_alpha: Fraction | None
    stationarity: Fraction | None
    complementarity: Fraction | None
    gap: Fraction | None
    w: np.ndarray | None = None
    direction: np.ndarray | None = None
    margin: object = None
    float_discrepancy: float | None = None


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


@dataclass(kw_only=True)
class NetworkConvexResult(ConvexResult):
    """Group-lasso reformulation solved over activation patterns; network recovered.

    ``value`` is the optimum of the convex program = min sum_i (||u_i|| + ||v_i||), which
    equals min 1/2||theta||^2 over the network class (certified when ``certified``).
    ``dual_bound`` <= value is a feasible dual objective (certified lower bound) and
    ``duality_gap`` = value - dual_bound. ``polish_message`` reports the support-shrinking
    re-solves at tight tolerances (see ``_polish``). Recovered network (``a``, ``W``): one neuron
    per nonzero u_i / v_i, ``neuron_pattern`` its pattern index, ``half_sq_norm`` its
    1/2||theta||^2, ``pruned_mass`` the sum of ||u_i||, ||v_i|| below the pruning
    threshold. ``fit_error`` = max_k |h(x_k) - y_k| (interpolation) and ``q_min`` =
    min_k y_k h(x_k), ``normalized_margin`` = q_min/||theta||^2 (margin problem) are
    evaluated on the recovered network with :func:`numerics.network.forward`.
    ``max_normalized_margin`` = 1/(2 value) (margin problem). ``certified`` is True only
    when the patterns were enumerated exactly (all chambers).
    """

    gamma: float
    patterns: np.ndarray
    n_patterns: int
    certified: bool
    dual_bound: float
    dual_infeasibility: float
    neuron_pattern: np.ndarray
    half_sq_norm: float
    pruned_mass: float
    polish_message: str = ""
    fit_error: float | None = None
    q_min: float | None = None
    normalized_margin: float | None = None
    max_normalized_margin: float | None = None

    @property
    def patterns_used(self) -> np.ndarray:
        """Indices of the patterns carrying at least one recovered neuron."""
        return np.unique(self.neuron_pattern)


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


# =========================================================================== helpers


def _float_data(X, y=None):
    """float64 copies of (possibly exact: Fraction / sympy / str) data."""
    def conv(A):
        A = np.asarray(A)
        if A.dtype == object or A.dtype.kind in "US":
            return np.vectorize(lambda v: float(to_fraction(v)), otypes=[float])(A)
        return np.asarray(A, dtype=float)

    Xf = conv(X)
    if Xf.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n, d); got shape {Xf.shape}")
    if y is None:
        return Xf
    yf = conv(y)
    if yf.ndim != 1 or yf.shape[0] != Xf.shape[0]:
        raise ValueError(f"y must have shape ({Xf.shape[0]},); got {yf.shape}")
    if not (np.all(np.isfinite(Xf)) and np.all(np.isfinite(yf))):
        raise ValueError("X and y must be finite")
    return Xf, yf


def _exact(A) -> list:
    A = np.asarray(A, dtype=object)
    if A.ndim == 1:
        return [to_fraction(v) for v in A]
    return [[to_fraction(v) for v in row] for row in A]


def _check_pm1(y, what):
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"{what} needs labels in {{-1, +1}}; got {np.unique(y)}")


def _check_gamma(gamma):
    if not (0.0 <= float(gamma) <= 1.0):
        raise ValueError(f"leaky slope gamma must lie in [0, 1]; got {gamma}")


def _raw_status(prob, solver, solver_opts):
    """Re-run the solver on the problem data to read its own status (diagnostics only)."""
    try:
        data, chain, _ = prob.get_problem_data(solver)
        raw = chain.solve_via_data(prob, data, solver_opts=dict(solver_opts or {}))
        return str(getattr(raw, "status", type(raw).__name__))
    except Exception as exc:  # the message is what matters: say why the status is unknown
        return f"unavailable ({type(exc).__name__}: {exc})"


def _solve(prob: cp.Problem, problem: str, solver, solver_opts) -> dict:
    """Solve with an explicit solver; raise on anything but optimal / optimal_inaccurate."""
    if solver is None:
        raise ValueError("pass a solver explicitly (default numerics.convex.DEFAULT_SOLVER = cp.CLARABEL)")
    opts = dict(solver_opts or {})
    try:
        prob.solve(solver=solver, **opts)
    except cp.error.SolverError as exc:
        raw = _raw_status(prob, solver, opts)
        raise ConvexSolverError(
            f"{problem}: solver {solver} failed (cvxpy SolverError: {exc}; raw solver status: {raw})",
            problem=problem, solver=str(solver), status="solver_error", solver_message=str(exc),
            raw_status=raw) from exc
    status = prob.status
    if status in _INFEASIBLE:
        raise InfeasibleProblemError(
            f"{problem}: solver {solver} returned status '{status}'",
            problem=problem, solver=str(solver), status=status, cause="solver reports infeasibility")
    if status not in _OK:
        raise ConvexSolverError(
            f"{problem}: solver {solver} returned status '{status}' (not optimal)",
            problem=problem, solver=str(solver), status=status)
    st = prob.solver_stats
    return {"solver": str(solver), "status": status, "accurate": status == cp.OPTIMAL,
            "iterations": getattr(st, "num_iters", None), "solve_time": getattr(st, "solve_time", None)}


def _eq_multiplier(con) -> np.ndarray:
    """Multiplier nu of ``expr == b`` with Lagrangian f - nu^T (expr - b) (cvxpy's sign is the opposite)."""
    return -np.asarray(con.dual_value, dtype=float)


# =========================================================================== SVM


def separability_certificate(X, y, *, solver=DEFAULT_SOLVER, solver_opts=None):
    """Farkas/Gordan weights proving that no w has y_k <w, x_k> > 0 for all k.

    Returns lam >= 0 with sum lam = 1 and sum_k lam_k y_k x_k = 0 (an LP), or None if
    the data are strictly linearly separable through the origin (catalog 002 E02).
    """
    Xf, yf = _float_data(X, y)
    Z = yf[:, None] * Xf
    lam = cp.Variable(Xf.shape[0], nonneg=True)
    prob = cp.Problem(cp.Minimize(0), [cp.sum(lam) == 1, Z.T @ lam == 0])
    try:
        _solve(prob, "Farkas certificate of non-separability (LP)", solver, solver_opts)
    except InfeasibleProblemError:
        return None
    return np.maximum(lam.value, 0.0)


def svm_hard_margin(X, y, *, solver=DEFAULT_SOLVER, solver_opts=None, sv_rtol=1e-6,
                    active_atol=1e-7) -> SVMResult:
    """Max-margin linear separator without bias (lyu2021 Def. 3.3, l.299; catalog 002 E03).

    Solves the QP  min 1/2||w||^2  s.t.  y_k <w, x_k> >= 1 (k = 1..n) with an explicit
    solver (Clarabel by default; never OSQP by accident). Then w* = w_hat/||w_hat|| and
    gamma_{w*} = 1/||w_hat||; by duality w_hat = sum_k alpha_k y_k x_k with alpha >= 0,
    and gamma_{w*} w* is the min-norm point of conv{y_k x_k}. The duality gap is
    1/2||w_hat||^2 - (sum alpha - 1/2||sum alpha_k y_k x_k||^2).

    Non-separable data (no w with y_k <w, x_k> > 0 for all k) raise
    :class:`InfeasibleProblemError` whose ``certificate`` holds Farkas weights lam
    (lam >= 0, sum lam = 1, sum lam_k y_k x_k = 0), whatever the solver's own status.
    """
    Xf, yf = _float_data(X, y)
    _check_pm1(yf, "svm_hard_margin")
    n, d = Xf.shape
    w = cp.Variable(d)
    con = cp.multiply(yf, Xf @ w) >= 1
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(w)), [con])
    name = "hard-margin SVM (min 1/2||w||^2 s.t. y_k<w,x_k> >= 1)"
    try:
        info = _solve(prob, name, solver, solver_opts)
    except ConvexSolverError as exc:
        # diagnose with an LP at default settings (the user's options, e.g. max_iter, may be the cause)
        try:
            cert = separability_certificate(Xf, yf, solver=solver)
        except ConvexSolverError as diag:
            exc.add_note(f"separability diagnosis failed too: {diag}")
            raise exc
        if cert is None:
            raise
        support = np.flatnonzero(cert > 1e-9)
        raise InfeasibleProblemError(
            f"{name}: data are not linearly separable through the origin (solver {solver} status "
            f"'{exc.status}'{'; raw status ' + exc.raw_status if exc.raw_status else ''}). "
            f"Farkas weights lam >= 0, sum lam = 1, sum lam_k y_k x_k = 0 on samples {support.tolist()}: "
            f"{np.round(cert[support], 6).tolist()}",
            problem=name, solver=str(solver), status=exc.status, solver_message=exc.solver_message,
            raw_status=exc.raw_status, cause="not linearly separable", certificate=cert) from exc
    w_hat = np.asarray(w.value, dtype=float)
    alpha = np.maximum(np.asarray(con.dual_value, dtype=float), 0.0)
    nw = float(np.linalg.norm(w_hat))
    q = yf * (Xf @ w_hat)
    primal = 0.5 * nw * nw
    dual = float(alpha.sum() - 0.5 * np.sum(((alpha * yf) @ Xf) ** 2))
    support = np.flatnonzero(alpha > sv_rtol * alpha.max()) if alpha.max() > 0 else np.array([], int)
    return SVMResult(
        problem=name, value=primal, primal={"w": w_hat}, dual={"alpha": alpha}, duality_gap=primal - dual,
        dual_value=dual, w=w_hat, direction=w_hat / nw, margin=1.0 / nw, alpha=alpha, support=support,
        active=np.flatnonzero(q - 1.0 <= active_atol), min_slack=float(q.min() - 1.0), **info)


def polish_svm(X, y, svm: SVMResult | None = None, *, support=None, dps: int = 50,
               max_bases: int = 10_000, solver=DEFAULT_SOLVER) -> SVMPolish:
    """Exact KKT polish of the hard-margin SVM on a guessed active set (catalog 002 E03).

    On the support set S (from ``svm`` or the explicit ``support``), the KKT system is
        w = sum_{k in S} alpha_k y_k x_k,   y_k <w, x_k> = 1 (k in S),   alpha >= 0.
    With Z_S the rows y_k x_k (k in S) and B a basis of its row space (exact rank),
    w = Z_B^T (Z_B Z_B^T)^{-1} 1 is the min-norm solution of Z_S w = 1 and alpha_B =
    (Z_B Z_B^T)^{-1} 1. Duplicated / dependent support vectors (e.g. x and -x on symmetric
    data) make alpha non-unique; bases are tried (largest solver multipliers first)
    until alpha_B >= 0 (Caratheodory guarantees one exists if S is right).

    Everything is solved in exact rational arithmetic on the data as given (floats
    are dyadic rationals; Fractions / sympy Rationals / decimal strings are exact), so
    the residuals are exact; the margin gamma_{w*} = 1/||w|| and w* are returned in
    mpmath at ``dps`` digits. Then primal feasibility (all n samples), dual feasibility,
    stationarity, complementary slackness and the duality gap are verified exactly;
    if the active-set guess is wrong ``ok`` is False and ``message`` says what failed.
    """
    Xe, ye = _exact(X), _exact(y)
    n = len(Xe)
    if svm is None and support is None:
        svm = svm_hard_margin(X, y, solver=solver)
    if support is None:
        order = sorted(svm.support.tolist(), key=lambda k: -svm.alpha[k])
    else:
        order = [int(k) for k in support]
        if svm is not None:
            order.sort(key=lambda k: -svm.alpha[k])
    if not order:
        raise ValueError("empty support set")
    Z = [[ye[k] * v for v in Xe[k]] for k in range(n)]
    ZS = [Z[k] for k in order]
    r = len(_independent_rows(ZS))
    ctx = get_backend(dps).ctx

    def fail(msg, basis=(), w=(), alpha=()):
        return SVMPolish(ok=False, message=msg, dps=dps, support=tuple(order), basis=tuple(basis),
                         w_exact=tuple(w), alpha_exact=tuple(alpha), margin_sq_exact=None, primal_slack=None,
                         min_alpha=None, stationarity=None, complementarity=None, gap=None)

    w_ex, alpha_ex, basis, tried = None, None, None, 0
    for comb in combinations(range(len(order)), r):
        rows = [ZS[i] for i in comb]
        if len(_independent_rows(rows)) < r:
            continue
        tried += 1
        if tried > max_bases:
            break
        G = [[sum(a * b for a, b in zip(p, q)) for q in rows] for p in rows]
        coef = _solve_exact(G, [Fraction(1)] * r)
        w_c = [sum(coef[i] * rows[i][t] for i in range(r)) for t in range(len(Xe[0]))]
        if w_ex is None:
            w_ex = w_c  # the same for every basis
            off = [k for k in order if sum(a * b for a, b in zip(Z[k], w_ex)) != 1]
            if off:
                return fail(f"active-set guess wrong: the equations y_k<w,x_k> = 1 on the support are "
                            f"inconsistent (fail for samples {off})", w=w_ex)
        if min(coef) >= 0:
            alpha_ex = [Fraction(0)] * n
            for i, c in zip(comb, coef):
                alpha_ex[order[i]] = c
            basis = tuple(order[i] for i in comb)
            break
    if alpha_ex is None:
        return fail(f"active-set guess wrong: w is not a nonnegative combination of y_k x_k over the "
                    f"support (no nonnegative basis among {tried} tried)", w=w_ex or ())
    q = [sum(a * b for a, b in zip(Z[k], w_ex)) for k in range(n)]
    slack = min(q) - 1
    wz = [sum(alpha_ex[k] * Z[k][t] for k in range(n)) for t in range(len(w_ex))]
    stat = sum((a - b) ** 2 for a, b in zip(w_ex, wz))
    comp = max(abs(alpha_ex[k] * (q[k] - 1)) for k in range(n))
    nw2 = sum(v * v for v in w_ex)
    gap = nw2 / 2 - (sum(alpha_ex) - sum(v * v for v in wz) / 2)
    problems = []
    if slack < 0:
        bad = [k for k in range(n) if q[k] < 1]
        problems.append(f"active-set guess wrong: primal infeasible, y_k<w,x_k> < 1 for samples {bad} "
                        f"(min slack {float(slack):.3e}; a violated sample must join the support)")
    if stat != 0 or comp != 0 or gap != 0:
        problems.append(f"KKT identities not exact (stationarity {float(stat):.3e}, complementarity "
                        f"{float(comp):.3e}, gap {float(gap):.3e})")
    w_mp = np.array([_mpf(ctx, v) for v in w_ex], dtype=object)
    norm = ctx.sqrt(_mpf(ctx, nw2))
    fd = None
    if svm is not None:
        fd = float(np.linalg.norm(svm.w - np.array([float(v) for v in w_ex])))
    return SVMPolish(
        ok=not problems, message="; ".join(problems) or "KKT conditions hold exactly on this active set",
        dps=dps, support=tuple(order), basis=basis, w_exact=tuple(w_ex), alpha_exact=tuple(alpha_ex),
        margin_sq_exact=1 / nw2, primal_slack=slack, min_alpha=min(alpha_ex), stationarity=stat,
        complementarity=comp, gap=gap, w=w_mp, direction=w_mp / norm, margin=1 / norm, float_discrepancy=fd)


def _solve_exact(A, b) -> list[Fraction]:
    """Solve a square invertible rational system exactly (via the exact Gauss-Jordan inverse)."""
    inv = _inverse(A)
    bb = [Fraction(v) for v in b]
    return [sum((row[j] * bb[j] for j in range(len(bb))), Fraction(0)) for row in inv]


def _mpf(ctx, v: Fraction):
    v = Fraction(v)
    return ctx.mpf(v.numerator) / v.denominator


# =========================================================================== least squares


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
    Xf, yf = _float_data(X, y)
    Xe, ye = _exact(X), _exact(y)
    n, d = Xf.shape
    B = _independent_rows(Xe)
    r = len(B)
    if r == 0:
        raise ValueError("X is zero: beta* = 0 trivially")
    # exact beta*
    XB = [Xe[i] for i in B]
    M = [[sum(a * b for a, b in zip(Xe[k], XB[j])) for j in range(r)] for k in range(n)]
    MtM = [[sum(M[k][i] * M[k][j] for k in range(n)) for j in range(r)] for i in range(r)]
    Mty = [sum(M[k][i] * ye[k] for k in range(n)) for i in range(r)]
    c = _solve_exact(MtM, Mty)
    beta_ex = [sum(c[j] * XB[j][t] for j in range(r)) for t in range(d)]
    res_ex = [ye[k] - sum(a * b for a, b in zip(Xe[k], beta_ex)) for k in range(n)]
    loss_ex = sum(v * v for v in res_ex) / (2 * n)
    ctx = get_backend(dps).ctx
    beta_mp = np.array([_mpf(ctx, v) for v in beta_ex], dtype=object)
    beta = np.array([float(v) for v in beta_ex])
    # cvxpy
    if r == n:
        kind = "interpolation"
        b = cp.Variable(d)
        con = Xf @ b == yf
        prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(b)), [con])
        info = _solve(prob, "min-norm interpolation (min 1/2||beta||^2 s.t. X beta = y)", solver, solver_opts)
        beta_cvx = np.asarray(b.value, dtype=float)
        nu = _eq_multiplier(con)
        dual = float(nu @ yf - 0.5 * np.sum((Xf.T @ nu) ** 2))
        primal = 0.5 * float(beta_cvx @ beta_cvx)
    else:
        kind = "ols" if r == d else "min-norm least squares"
        Q = np.eye(d) if r == d else np.linalg.svd(Xf)[2][:r].T
        z = cp.Variable(Q.shape[1])
        res = cp.Variable(n)
        con = res + (Xf @ Q) @ z == yf
        prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(res)), [con])
        info = _solve(prob, f"{kind} (min 1/2||y - X beta||^2, beta in row space)", solver, solver_opts)
        beta_cvx = Q @ np.asarray(z.value, dtype=float)
        nu = _eq_multiplier(con)  # dual: max nu^T y - 1/2||nu||^2 s.t. Q^T X^T nu = 0
        dual = float(nu @ yf - 0.5 * nu @ nu)
        primal = 0.5 * float(np.sum((yf - Xf @ beta_cvx) ** 2))
    beta_lstsq = np.linalg.lstsq(Xf, yf, rcond=None)[0]
    scale = max(1.0, float(np.linalg.norm(beta)))
    return LeastSquaresResult(
        problem=f"beta* = X^+ y ({kind})", value=primal, primal={"beta": beta_cvx}, dual={"nu": nu},
        duality_gap=primal - dual, dual_value=dual, kind=kind, beta=beta, beta_exact=tuple(beta_ex),
        beta_mp=beta_mp, loss=float(loss_ex), loss_exact=loss_ex, loss_mp=_mpf(ctx, loss_ex),
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
    Xe = _exact(X)
    d = len(Xe[0])
    r = len(_independent_rows(Xe))
    if r < d:
        raise ValueError(f"X^T X is singular (rank X = {r} < d = {d}): the OLS estimator (X^T X)^{{-1}} X^T y "
                         "is undefined; use min_norm_least_squares for X^+ y")
    return min_norm_least_squares(X, y, dps=dps, solver=solver, solver_opts=solver_opts)


# =========================================================================== network programs


def _resolve_patterns(X, patterns, max_patterns):
    """(D (P, n) bool, certified, cone-constraint mask (P, n) bool).

    For an exact enumeration only the facet rows of each cone are constrained (the same
    cone, ~10x fewer constraints for n = 40, d = 3); otherwise every row is.
    """
    n = np.asarray(X).shape[0]
    if patterns is None:
        patterns = enumerate_patterns(X, max_patterns=max_patterns)
    if isinstance(patterns, PatternSet):
        if patterns.patterns.shape[1] != n:
            raise ValueError(f"PatternSet is for n = {patterns.patterns.shape[1]} samples, X has {n}")
        if patterns.exact:
            return patterns.patterns, True, patterns.facet_mask()
        return patterns.patterns, False, np.ones(patterns.patterns.shape, dtype=bool)
    D = np.asarray(patterns, dtype=bool)
    if D.ndim != 2 or D.shape[1] != n:
        raise ValueError(f"patterns must be a boolean (P, n) array with n = {n}; got shape {D.shape}")
    return D, False, np.ones(D.shape, dtype=bool)


def _homogeneity_obstruction(Xe, ye, mode) -> str | None:
    """Name an exact reason why no positively homogeneous h can meet the constraints."""
    n = len(Xe)
    for k in range(n):
        if not any(Xe[k]) and (mode == "margin" or ye[k] != 0):
            return (f"x_{k} = 0 forces h(x_{k}) = 0, but " +
                    ("y_k h(x_k) >= 1 is required" if mode == "margin" else f"y_{k} = {float(ye[k])}"))
    for k in range(n):
        for l in range(k + 1, n):
            ratio = None
            ok = True
            for a, b in zip(Xe[k], Xe[l]):
                if a == 0 and b == 0:
                    continue
                if a == 0 or b == 0:
                    ok = False
                    break
                if ratio is None:
                    ratio = b / a
                elif b / a != ratio:
                    ok = False
                    break
            if ok and ratio is not None and ratio > 0:
                bad = (ye[l] != ratio * ye[k]) if mode == "interpolate" else (ye[l] * ye[k] <= 0)
                if bad:
                    return (f"x_{l} = {float(ratio):g} x_{k} and h is positively homogeneous, so "
                            f"h(x_{l}) = {float(ratio):g} h(x_{k}), incompatible with "
                            f"y_{k} = {float(ye[k]):g}, y_{l} = {float(ye[l]):g}")
    return None


POLISH_OPTS_CLARABEL = {"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "max_iter": 400}


def _gl_solve(Xf, yf, slope, S, mask, iu, iv, mode, solver, solver_opts, name):
    """Build and solve the group-lasso program with u_i for the patterns ``iu`` and v_i for
    ``iv`` (index arrays into the rows of slope, S); cone constraints on the rows of ``mask``.
    Returns full-size (P, d) U, V (zero off iu / iv) and (P, n) cone multipliers."""
    P, d = slope.shape[0], Xf.shape[1]
    U = cp.Variable((iu.size, d))
    V = cp.Variable((iv.size, d))
    XU, XV = U @ Xf.T, V @ Xf.T              # <x_k, u_i>
    pred = cp.sum(cp.multiply(slope[iu], XU), axis=0) - cp.sum(cp.multiply(slope[iv], XV), axis=0)
    cone_u = cp.multiply(S[iu], XU)[mask[iu]] >= 0
    cone_v = cp.multiply(S[iv], XV)[mask[iv]] >= 0
    fit = (pred == yf) if mode == "interpolate" else (cp.multiply(yf, pred) >= 1)
    obj = cp.sum(cp.norm(U, 2, axis=1)) + cp.sum(cp.norm(V, 2, axis=1))
    prob = cp.Problem(cp.Minimize(obj), [fit, cone_u, cone_v])
    info = _solve(prob, name, solver, solver_opts)
    if mode == "interpolate":
        coef = _eq_multiplier(fit)
        dual_obj = float(coef @ yf)
    else:
        lam = np.maximum(np.asarray(fit.dual_value, dtype=float), 0.0)
        coef, dual_obj = lam * yf, float(lam.sum())
    Uf, Vf = np.zeros((P, d)), np.zeros((P, d))
    Uf[iu], Vf[iv] = np.asarray(U.value, dtype=float), np.asarray(V.value, dtype=float)
    mu_u, mu_v = np.zeros(mask.shape), np.zeros(mask.shape)
    sub = np.zeros(mask[iu].shape)
    sub[mask[iu]] = np.maximum(np.asarray(cone_u.dual_value, dtype=float), 0.0)
    mu_u[iu] = sub
    sub = np.zeros(mask[iv].shape)
    sub[mask[iv]] = np.maximum(np.asarray(cone_v.dual_value, dtype=float), 0.0)
    mu_v[iv] = sub
    return {"U": Uf, "V": Vf, "value": float(prob.value), "coef": coef, "dual_obj": dual_obj,
            "mu_u": mu_u, "mu_v": mu_v, "info": info}


def _dual_bound(Xf, slope, S, coef, dual_obj, mu_u=None, mu_v=None):
    """Certified lower bound on the group-lasso optimum from multipliers (coef = nu or lam*y).

    Dual of the program: max dual_obj s.t. for every pattern i there are mu, mu' >= 0 with
    ||X^T(Dg_i coef + S_i mu)|| <= 1 and ||X^T(-Dg_i coef + S_i mu')|| <= 1. With
    c = max of those norms, (coef, mu, mu')/max(1, c) is dual feasible, so
    dual_obj / max(1, c) is a lower bound (weak duality). If mu, mu' are not given, the
    best ones are computed pattern by pattern (NNLS).
    """
    from scipy.optimize import nnls

    def norms(sign, mu):
        base = sign * slope * coef                              # (P, n)
        if mu is not None:
            return np.linalg.norm((base + S * mu) @ Xf, axis=1)
        out = np.empty(slope.shape[0])
        for i in range(slope.shape[0]):
            A = (S[i][:, None] * Xf).T                          # (d, n)
            out[i] = nnls(A, -(base[i] @ Xf))[1]
        return out

    c = float(max(norms(1.0, mu_u).max(), norms(-1.0, mu_v).max()))
    return max(0.0, dual_obj / max(1.0, c)), max(0.0, c - 1.0)


def _polish(Xf, yf, slope, S, mask, mode, solver, solver_opts, polish_opts, name, sol, info, value,
            dual_bound, dual_inf, support_rtol=1e-6, max_rounds=4):
    """Re-solve on the neurons the solution uses, at tight tolerances, until the support is stable.

    Round r keeps u_i (v_i) with ||u_i|| > support_rtol * value and re-solves on those only;
    the round is accepted if the solver says ``optimal`` and the point is certified optimal
    for the FULL program: value - (best dual lower bound) <= 1e-7 relative (so the dropped
    neurons were solver noise, not needed patterns). Interior-point solutions
    spread tiny masses over degenerate optimal faces; the directions of such tiny neurons
    are inaccurate, which would spoil :func:`kkt_margin_residual` on the recovered network.
    Every accepted point is certified against ALL patterns by its multipliers (per-pattern
    NNLS in :func:`_dual_bound`). Returns the updated state and a message.
    """
    opts = polish_opts if polish_opts is not None else (
        POLISH_OPTS_CLARABEL if str(solver) == cp.CLARABEL else solver_opts)
    msgs = []
    for rnd in range(max_rounds):
        iu = np.flatnonzero(np.linalg.norm(sol["U"], axis=1) > support_rtol * value)
        iv = np.flatnonzero(np.linalg.norm(sol["V"], axis=1) > support_rtol * value)
        try:
            with warnings.catch_warnings():  # an inaccurate polish is reported, not used
                warnings.filterwarnings("ignore", message="Solution may be inaccurate")
                pol = _gl_solve(Xf, yf, slope, S, mask, iu, iv, mode, solver, opts,
                                name + f" [polish round {rnd + 1}: {iu.size}+{iv.size} neurons]")
        except ConvexSolverError as exc:
            msgs.append(f"round {rnd + 1} failed ({exc.status}); previous point kept")
            break
        if not pol["info"]["accurate"]:
            msgs.append(f"round {rnd + 1} ended '{pol['info']['status']}' (not accepted); previous point kept")
            break
        pb, pinf = _dual_bound(Xf, slope, S, pol["coef"], pol["dual_obj"])
        lower = max(pb, dual_bound)  # both are lower bounds on the FULL program
        if pol["value"] - lower > max(1e-9, 1e-7 * abs(pol["value"])):
            msgs.append(f"round {rnd + 1} rejected: value {pol['value']:.12g} not certified optimal for all "
                        f"patterns (best lower bound {lower:.12g}); previous point kept")
            break
        sol, info, value = pol, pol["info"], pol["value"]
        if pb >= dual_bound:
            dual_bound, dual_inf = pb, pinf
        msgs.append(f"round {rnd + 1}: {iu.size}+{iv.size} neurons, optimal")
        same_u = np.array_equal(iu, np.flatnonzero(np.linalg.norm(sol["U"], axis=1) > support_rtol * value))
        same_v = np.array_equal(iv, np.flatnonzero(np.linalg.norm(sol["V"], axis=1) > support_rtol * value))
        if same_u and same_v:
            break
    return sol, info, value, dual_bound, dual_inf, "polish: " + "; ".join(msgs)


def _group_lasso(X, y, gamma, patterns, max_patterns, mode, solver, solver_opts, prune_rtol, polish,
                 polish_opts):
    Xf, yf = _float_data(X, y)
    _check_gamma(gamma)
    gamma = float(gamma)
    if mode == "margin":
        _check_pm1(yf, "max_margin_network")
    n, d = Xf.shape
    D, certified, mask = _resolve_patterns(X, patterns, max_patterns)
    P = D.shape[0]
    Df = D.astype(float)
    slope = Df + gamma * (1.0 - Df)          # diag of D_i + gamma (I - D_i), (P, n)
    S = 2.0 * Df - 1.0                       # diag of 2 D_i - I
    name = ("min-norm interpolation, group-lasso form over activation patterns" if mode == "interpolate"
            else "max-margin network (problem (P)), group-lasso form over activation patterns")
    name += f" (gamma = {gamma:g}, P = {P})"
    allp = np.arange(P)
    try:
        sol = _gl_solve(Xf, yf, slope, S, mask, allp, allp, mode, solver, solver_opts, name)
    except InfeasibleProblemError as exc:
        why = _homogeneity_obstruction(_exact(X), _exact(y), mode)
        msg = str(exc) + (f"; cause: {why}" if why else
                          "; no exact obstruction found (if patterns were passed explicitly, they may be too few)")
        raise InfeasibleProblemError(msg, problem=name, solver=exc.solver, status=exc.status,
                                     cause=why or "solver reports infeasibility") from exc
    info, value = sol["info"], sol["value"]
    dual_bound, dual_inf = _dual_bound(Xf, slope, S, sol["coef"], sol["dual_obj"], sol["mu_u"], sol["mu_v"])
    polish_message = "not requested"
    if polish:
        sol, info, value, dual_bound, dual_inf, polish_message = _polish(
            Xf, yf, slope, S, mask, mode, solver, solver_opts, polish_opts, name, sol, info, value,
            dual_bound, dual_inf)
    Uv, Vv = sol["U"], sol["V"]
    # recover the network
    nu_, nv_ = np.linalg.norm(Uv, axis=1), np.linalg.norm(Vv, axis=1)
    thr = prune_rtol * max(value, np.finfo(float).tiny)
    keep_u, keep_v = nu_ > thr, nv_ > thr
    a = np.concatenate([np.sqrt(nu_[keep_u]), -np.sqrt(nv_[keep_v])])
    W = np.concatenate([Uv[keep_u] / np.sqrt(nu_[keep_u])[:, None], Vv[keep_v] / np.sqrt(nv_[keep_v])[:, None]])
    W = W.reshape(-1, d)
    which = np.concatenate([np.flatnonzero(keep_u), np.flatnonzero(keep_v)])
    h = forward(a, W, Xf, gamma) if a.size else np.zeros(n)
    sq = float(a @ a + np.sum(W * W))
    extra = {}
    if mode == "interpolate":
        extra["fit_error"] = float(np.max(np.abs(h - yf)))
    else:
        qmin = float(np.min(yf * h))
        extra.update(q_min=qmin, normalized_margin=qmin / sq if sq > 0 else float("nan"),
                     max_normalized_margin=1.0 / (2.0 * value))
    return NetworkConvexResult(
        problem=name, value=value, primal={"U": Uv, "V": Vv}, dual={"fit": sol["coef"]},
        duality_gap=value - dual_bound, dual_value=sol["dual_obj"], a=a, W=W, gamma=gamma, patterns=D,
        n_patterns=P, certified=certified, dual_bound=dual_bound, dual_infeasibility=dual_inf,
        neuron_pattern=which, half_sq_norm=0.5 * sq, pruned_mass=float(nu_[~keep_u].sum() + nv_[~keep_v].sum()),
        polish_message=polish_message, **extra, **info)


def min_norm_interpolator(X, y, gamma: float = 0.0, *, patterns=None, max_patterns: int = 200_000,
                          solver=DEFAULT_SOLVER, solver_opts=None, polish: bool = True, polish_opts=None,
                          prune_rtol: float = 1e-9) -> NetworkConvexResult:
    """Global min of 1/2||theta||^2 over two-layer (leaky) ReLU networks of any width with h(x_k) = y_k.

    The paper quantity: min_{L(theta)=0} 1/2||theta||^2 (boursier2022 problem (34) and
    Eq. (8), = the F1 / variation norm of the interpolant; catalog 004 P1, L12, E8: for
    orthonormal inputs it is ||y_+|| + ||y_-||).

    Convex reformulation (Pilanci & Ergen, ICML 2020, main theorem; group-lasso form). Let
    D_1..D_P be the activation patterns (chambers of {<x_k, u> = 0}, enumerated exactly
    by :func:`numerics.patterns.enumerate_patterns`), K_i = {u : (2D_i - I) X u >= 0}
    their closed cones and Dg_i = D_i + gamma (I - D_i). Then

        min sum_i (||u_i|| + ||v_i||)  s.t.  sum_i Dg_i X (u_i - v_i) = y,  u_i, v_i in K_i.

    Exactness, for every gamma in [0, 1]: (1) rescaling (a_j, w_j) -> (a_j/c, c w_j)
    leaves h unchanged and min_c (a_j^2/c^2 + c^2||w_j||^2)/2 = |a_j| ||w_j||, so the
    min of 1/2||theta||^2 equals the min of the path norm sum_j |a_j| ||w_j||; (2) write
    neuron j as sign(a_j) sigma(<u_j, x>) with u_j = |a_j| w_j (sigma is positively
    homogeneous) and put u_j in a chamber closure K_i containing it: on K_i,
    sigma(X u) = Dg_i X u exactly (<x_k,u> >= 0 where D_i is 1, <= 0 where it is 0), which
    is linear in u, so all neurons of one sign in one K_i merge into their sum (a point
    of the convex cone K_i) without changing h and without increasing the norm sum
    (triangle inequality); (3) conversely each nonzero u_i (v_i) is the neuron
    a = sqrt||u_i||, w = u_i/sqrt||u_i|| (a = -sqrt||v_i||) with a^2 = ||w||^2 = ||u_i||,
    whose 1/2||theta||^2 is the convex objective. So the two optima coincide and at most
    2P neurons are needed. For leaky ReLU no extra linear term is needed: the identity
    sigma(z) - sigma(-z) = (1 + gamma) z (lyu2021 l.282-294) is realised by the pair
    u_i in K_i, v_{i'} = -u_i in K_{i'} = -K_i (pattern I - D_i), at path cost
    2||beta||/(1 + gamma) for the linear function <beta, x>, and
    sigma(z) + sigma(-z) = (1 - gamma)|z| by the pair with equal signs. (Pilanci & Ergen state
    the ReLU case; the argument above is the same with D_i replaced by Dg_i.)

    Returns :class:`NetworkConvexResult`: ``value`` = the minimum, the recovered
    network (``a``, ``W``) with ``fit_error`` and ``half_sq_norm`` (= value up to solver
    tolerance and pruning), ``dual_bound`` and ``duality_gap``. ``certified`` is True
    only when all patterns were enumerated exactly (``patterns=None`` or an exact
    :class:`~numerics.patterns.PatternSet`); a subset of patterns gives an upper bound.
    Infeasibility (e.g. x_l = c x_k, c > 0, with y_l != c y_k: h is positively
    homogeneous) raises :class:`InfeasibleProblemError` naming the cause.
    """
    return _group_lasso(X, y, gamma, patterns, max_patterns, "interpolate", solver, solver_opts, prune_rtol,
                        polish, polish_opts)


def max_margin_network(X, y, gamma: float = 0.0, *, patterns=None, max_patterns: int = 200_000,
                       solver=DEFAULT_SOLVER, solver_opts=None, polish: bool = True, polish_opts=None,
                       prune_rtol: float = 1e-9) -> NetworkConvexResult:
    """Global max normalised margin of two-layer (leaky) ReLU networks (any width >= 2P).

    lyu2021 (l.206-253): q_k(theta) = y_k h_theta(x_k), the normalised margin is
    gamma(theta) = q_min(theta)/||theta||^2 (2-homogeneous, L = 2), problem (M) is
    max_{||theta|| = 1} gamma(theta) and problem (P) is min 1/2||theta||^2 s.t. q_k >= 1.
    Since theta/sqrt(q_min(theta)) is feasible for (P) with objective
    1/2||theta||^2/q_min = 1/(2 gamma(theta)),

        val(P) = 1/(2 gamma_max),   i.e.   gamma_max = 1/(2 val(P)).

    By the rescaling/merging argument of :func:`min_norm_interpolator`,

        val(P) = min sum_i (||u_i|| + ||v_i||)  s.t.  y_k (sum_i Dg_i X (u_i - v_i))_k >= 1,
                 u_i, v_i in K_i,

    exactly (labels in {-1, +1}). ``value`` = val(P), ``max_normalized_margin`` =
    1/(2 value); the recovered network has ``normalized_margin`` = q_min/||theta||^2
    (equal to it up to solver tolerance). Check: on symmetric separable data
    (Assumption 4.1) lyu2021 Thm 4.2 gives gamma_max = (1 + gamma)/4 gamma_{w*} with
    gamma_{w*} the linear SVM margin, attained by h(x) = (1 + gamma)/4 <w*, x> at
    ||theta|| = 1 (catalog 002 E06).
    """
    return _group_lasso(X, y, gamma, patterns, max_patterns, "margin", solver, solver_opts, prune_rtol,
                        polish, polish_opts)


# =========================================================================== KKT test


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
    Xf, yf = _float_data(X, y)
    _check_pm1(yf, "kkt_margin_residual")
    _check_gamma(gamma)
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
    info = _solve(prob, "KKT-margin residual (NNLS over multipliers and kink slopes)", solver, solver_opts)
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
