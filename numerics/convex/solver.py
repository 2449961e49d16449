"""Solver plumbing shared by the convex programs: the default solver, the errors, the base result.

Solver discipline (ANCHORS.md 3.1). The solver is always passed explicitly to
``Problem.solve`` (default ``cp.CLARABEL``; cvxpy would send the QPs to OSQP, which
reports ``optimal`` on clearly worse points, cvxpy #2554). A ``SolverError`` (e.g.
Clarabel InsufficientProgress) or any status other than optimal /
optimal_inaccurate raises :class:`ConvexSolverError` (:class:`InfeasibleProblemError`
for infeasible problems) carrying cvxpy's status, cvxpy's message and the raw
solver status; ``optimal_inaccurate`` is returned with ``accurate=False``
(:func:`solve_problem`). Duality gaps are computed by each program from the dual variables
(cvxpy does not expose Clarabel's dual objective; :func:`eq_multiplier` gives the sign
convention of equality multipliers).
"""
from __future__ import annotations

from dataclasses import dataclass

import cvxpy as cp
import numpy as np

__all__ = ["DEFAULT_SOLVER", "ConvexSolverError", "InfeasibleProblemError", "ConvexResult", "solve_problem",
           "eq_multiplier"]

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
    minus a dual objective computed from the dual variables (``dual_value``);
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


# =========================================================================== solving


def _raw_status(prob, solver, solver_opts):
    """Re-run the solver on the problem data to read its own status (diagnostics only)."""
    try:
        data, chain, _ = prob.get_problem_data(solver)
        raw = chain.solve_via_data(prob, data, solver_opts=dict(solver_opts or {}))
        return str(getattr(raw, "status", type(raw).__name__))
    except Exception as exc:  # the message is what matters: say why the status is unknown
        return f"unavailable ({type(exc).__name__}: {exc})"


def solve_problem(prob: cp.Problem, problem: str, solver, solver_opts) -> dict:
    """Solve ``prob`` with an explicit solver; raise on anything but optimal / optimal_inaccurate.

    ``problem`` names the program in error messages. Raises :class:`ConvexSolverError` (cvxpy
    ``SolverError``, with the raw solver status, or a non-optimal status) or
    :class:`InfeasibleProblemError`. Returns the solve info every result type carries:
    ``{"solver", "status", "accurate" (False for optimal_inaccurate), "iterations", "solve_time"}``.
    """
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


def eq_multiplier(con) -> np.ndarray:
    """Multiplier nu of ``expr == b`` with Lagrangian f - nu^T (expr - b) (cvxpy's sign is the opposite)."""
    return -np.asarray(con.dual_value, dtype=float)
