"""Hard-margin SVM without bias: the max-margin linear separator w*, gamma_{w*} (lyu2021 Def. 3.3;
catalog 002 E03), the Farkas certificate of non-separability (catalog 002 E02) and the exact KKT
polish of the SVM on its support set.

* :func:`svm_hard_margin` -- min 1/2||w||^2 s.t. y_k <w, x_k> >= 1 (explicit solver);
* :func:`separability_certificate` -- lam >= 0, sum lam = 1, sum lam_k y_k x_k = 0 (an LP), or None;
* :func:`polish_svm` -- re-solves the KKT system exactly (rationals) on the support set.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

import cvxpy as cp
import numpy as np

from ..backend import get_backend
from ..patterns import independent_rows
from .data import check_pm1_labels, exact_data, float_data, fraction_to_mpf, solve_exact
from .solver import DEFAULT_SOLVER, ConvexResult, ConvexSolverError, InfeasibleProblemError, solve_problem

__all__ = ["SVMResult", "SVMPolish", "separability_certificate", "svm_hard_margin", "polish_svm"]


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


def separability_certificate(X, y, *, solver=DEFAULT_SOLVER, solver_opts=None):
    """Farkas/Gordan weights proving that no w has y_k <w, x_k> > 0 for all k.

    Returns lam >= 0 with sum lam = 1 and sum_k lam_k y_k x_k = 0 (an LP), or None if
    the data are strictly linearly separable through the origin (catalog 002 E02).
    """
    Xf, yf = float_data(X, y)
    Z = yf[:, None] * Xf
    lam = cp.Variable(Xf.shape[0], nonneg=True)
    prob = cp.Problem(cp.Minimize(0), [cp.sum(lam) == 1, Z.T @ lam == 0])
    try:
        solve_problem(prob, "Farkas certificate of non-separability (LP)", solver, solver_opts)
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
    Xf, yf = float_data(X, y)
    check_pm1_labels(yf, "svm_hard_margin")
    n, d = Xf.shape
    w = cp.Variable(d)
    con = cp.multiply(yf, Xf @ w) >= 1
    prob = cp.Problem(cp.Minimize(0.5 * cp.sum_squares(w)), [con])
    name = "hard-margin SVM (min 1/2||w||^2 s.t. y_k<w,x_k> >= 1)"
    try:
        info = solve_problem(prob, name, solver, solver_opts)
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
    Xe, ye = exact_data(X), exact_data(y)
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
    r = len(independent_rows(ZS))
    ctx = get_backend(dps).ctx

    def fail(msg, basis=(), w=(), alpha=()):
        return SVMPolish(ok=False, message=msg, dps=dps, support=tuple(order), basis=tuple(basis),
                         w_exact=tuple(w), alpha_exact=tuple(alpha), margin_sq_exact=None, primal_slack=None,
                         min_alpha=None, stationarity=None, complementarity=None, gap=None)

    w_ex, alpha_ex, basis, tried = None, None, None, 0
    for comb in combinations(range(len(order)), r):
        rows = [ZS[i] for i in comb]
        if len(independent_rows(rows)) < r:
            continue
        tried += 1
        if tried > max_bases:
            break
        G = [[sum(a * b for a, b in zip(p, q)) for q in rows] for p in rows]
        coef = solve_exact(G, [Fraction(1)] * r)
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
    w_mp = np.array([fraction_to_mpf(ctx, v) for v in w_ex], dtype=object)
    norm = ctx.sqrt(fraction_to_mpf(ctx, nw2))
    fd = None
    if svm is not None:
        fd = float(np.linalg.norm(svm.w - np.array([float(v) for v in w_ex])))
    return SVMPolish(
        ok=not problems, message="; ".join(problems) or "KKT conditions hold exactly on this active set",
        dps=dps, support=tuple(order), basis=basis, w_exact=tuple(w_ex), alpha_exact=tuple(alpha_ex),
        margin_sq_exact=1 / nw2, primal_slack=slack, min_alpha=min(alpha_ex), stationarity=stat,
        complementarity=comp, gap=gap, w=w_mp, direction=w_mp / norm, margin=1 / norm, float_discrepancy=fd)
