"""The exact convex reformulation of two-layer (leaky) ReLU training, and the network it recovers.

* :func:`min_norm_interpolator` -- min 1/2||theta||^2 over networks of any width
  with h(x_k) = y_k (boursier2022 problem (34), Eq. (8); catalog 004 P1, L12, E8).
* :func:`max_margin_network` -- val(P) = min 1/2||theta||^2 s.t. y_k h(x_k) >= 1 and
  the global max normalised margin gamma_max = 1/(2 val(P)) of the network class
  (lyu2021 problems (M), (P), l.224-253, and Thm 4.2; catalog 002 E04, E06).

Both use the exact convex reformulation over activation patterns (Pilanci & Ergen, "Neural
networks are convex regularizers", ICML 2020, PMLR 119:7695-7705: the group-lasso program of
their main theorem), extended here to leaky ReLU (cf. Ergen & Pilanci, arXiv:2312.12657,
piecewise-linear activations); see :func:`min_norm_interpolator` for the statement and the short
exactness proof. The patterns are enumerated exactly by :mod:`numerics.patterns`.

Duality: for the network programs the dual point is rescaled to be exactly feasible, so
``dual_bound`` is a rigorous lower bound (weak duality, up to float rounding) and
``value - dual_bound`` a certified gap, except that ``value`` is the objective at the solver's
point, which meets the constraints only to the solver's feasibility tolerance (so a gap of -1e-10
relative can occur). Interior-point solutions are polished by support-shrinking re-solves
(``_polish``), each certified against all patterns.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
from scipy.optimize import nnls

from ..network import forward
from ..patterns import PatternSet, enumerate_patterns
from .data import check_gamma, check_pm1_labels, exact_data, float_data
from .solver import (DEFAULT_SOLVER, ConvexResult, ConvexSolverError, InfeasibleProblemError, eq_multiplier,
                     solve_problem)

__all__ = ["NetworkConvexResult", "POLISH_OPTS_CLARABEL", "min_norm_interpolator", "max_margin_network"]


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
    info = solve_problem(prob, name, solver, solver_opts)
    if mode == "interpolate":
        coef = eq_multiplier(fit)
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
    Xf, yf = float_data(X, y)
    check_gamma(gamma)
    gamma = float(gamma)
    if mode == "margin":
        check_pm1_labels(yf, "max_margin_network")
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
        why = _homogeneity_obstruction(exact_data(X), exact_data(y), mode)
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
