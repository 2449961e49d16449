"""Tests of numerics.convex and numerics.patterns against independent answers.

Every expected value below comes from a closed form, a hand computation, sympy, an
independent algorithm (brute-force nonconvex optimisation, random sampling, numpy) or
a theorem of the papers -- never from the code under test.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import cvxpy as cp
import mpmath
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize, nnls

from numerics.convex import (
    ConvexSolverError,
    InfeasibleProblemError,
    kkt_margin_residual,
    max_margin_network,
    min_norm_interpolator,
    min_norm_least_squares,
    normalized_margin,
    ols,
    polish_svm,
    svm_hard_margin,
)
from numerics.network import forward
from numerics.patterns import cover_bound, enumerate_patterns, in_general_position, sample_patterns

# ----------------------------------------------------------------------------- datasets

# lyu2021 catalog DS-S (symmetric, Assumption 4.1): positives p1..p4, negatives -p_j
DS_S_POS = np.array([[0.9, 0.4], [0.95, 0.3], [0.85, 0.5], [0.2, -0.9]])
DS_S_X = np.vstack([DS_S_POS, -DS_S_POS])
DS_S_Y = np.r_[np.ones(4), -np.ones(4)]

# hand-solvable symmetric set: positives (2,1), (-1,3), (3,3) and their negatives
HAND_POS = np.array([[2.0, 1.0], [-1.0, 3.0], [3.0, 3.0]])
HAND_X = np.vstack([HAND_POS, -HAND_POS])
HAND_Y = np.r_[np.ones(3), -np.ones(3)]


def _orthogonal(k, seed):
    q, r = np.linalg.qr(np.random.default_rng(seed).standard_normal((k, k)))
    return q * np.sign(np.diag(r))


def _pos_neg_norms(y):
    return float(np.linalg.norm(np.maximum(y, 0)) + np.linalg.norm(np.maximum(-y, 0)))


def _slsqp_best(X, y, gamma, m, starts, mode, seed=0):
    """Brute force: multistart SLSQP on min 1/2||theta||^2 s.t. h(x_k) = y_k (or y_k h(x_k) >= 1)."""
    n, d = X.shape
    rng = np.random.default_rng(seed)

    def cons(t):
        h = forward(t[:m], t[m:].reshape(m, d), X, gamma)
        return h - y if mode == "interp" else y * h - 1.0

    best, values = math.inf, []
    for _ in range(starts):
        r = minimize(lambda t: 0.5 * t @ t, rng.standard_normal(m * (d + 1)), jac=lambda t: t, method="SLSQP",
                     constraints=[{"type": "eq" if mode == "interp" else "ineq", "fun": cons}],
                     options={"maxiter": 500, "ftol": 1e-12})
        c = cons(r.x)
        viol = np.max(np.abs(c)) if mode == "interp" else max(0.0, -c.min())
        if viol < 1e-8:
            values.append(r.fun)
            best = min(best, r.fun)
    return best, values


# ============================================================================= (d) patterns


@pytest.mark.parametrize("n,d,seed", [(5, 2, 0), (12, 3, 1), (7, 5, 2), (8, 6, 3), (3, 5, 4), (40, 2, 5)])
def test_pattern_count_equals_cover_bound_in_general_position(n, d, seed):
    X = np.random.default_rng(seed).standard_normal((n, d))
    assert in_general_position(X)
    ps = enumerate_patterns(X)
    assert ps.exact and ps.P == cover_bound(n, d)
    assert len({tuple(p) for p in ps.patterns}) == ps.P
    # every witness is strictly inside its cone: <x_k, u> > 0 on active, < 0 on inactive
    s = np.sign(ps.witnesses @ X.T)
    assert np.all(s == np.where(ps.patterns, 1, -1))
    # brute force: every pattern hit by random neurons is among the enumerated ones
    sampled = {tuple(p) for p in sample_patterns(X, 20_000, seed=seed + 10)}
    assert sampled <= {tuple(p) for p in ps.patterns}


def test_pattern_enumeration_n40_d3_is_fast_and_complete():
    X = np.random.default_rng(7).standard_normal((40, 3))
    t = time.perf_counter()
    ps = enumerate_patterns(X)
    assert time.perf_counter() - t < 5.0
    assert ps.P == cover_bound(40, 3) == 1562
    assert {tuple(p) for p in sample_patterns(X, 20_000, seed=1)} <= {tuple(p) for p in ps.patterns}


def test_cover_bound_values():
    # 2 sum_{k<d} C(n-1, k): hand values
    assert cover_bound(3, 2) == 6 and cover_bound(4, 3) == 14 and cover_bound(8, 6) == 240
    assert cover_bound(3, 5) == 8  # n <= d: all 2^n sign vectors


def test_patterns_degenerate_arrangement_hand_count():
    # e1, e2, e1+e2 all contain the e3-axis: 3 planes through a line cut R^3 into 6 wedges,
    # and the plane e3^perp halves each -> 12 chambers (Cover bound for 4 planes would be 14)
    X = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)
    assert not in_general_position(X)
    ps = enumerate_patterns(X)
    assert ps.P == 12
    assert {tuple(p) for p in sample_patterns(X, 20_000, seed=0)} == {tuple(p) for p in ps.patterns}
    # symmetric data: x and -x give the same hyperplane -> DS-S has 4 lines in R^2 -> 8 chambers
    assert enumerate_patterns(DS_S_X).P == 8


def test_patterns_zero_and_duplicate_rows():
    X = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [2.0, 0.0]])
    ps = enumerate_patterns(X)
    assert ps.P == 4  # two distinct lines in R^2
    assert not ps.patterns[:, 1].any() and ps.zero_rows.tolist() == [False, True, False, False]
    assert np.array_equal(ps.patterns[:, 0], ps.patterns[:, 3])  # x_4 = 2 x_1


def test_patterns_accept_exact_rationals():
    X = np.array([[sp.Rational(-3, 4), 1], [Fraction(-1, 2), 1], ["0.125", 1]], dtype=object)
    assert enumerate_patterns(X).P == 6


# ============================================================================= (a) min-norm interpolation


def test_min_norm_interpolator_orthonormal_square():
    # catalog 004 DS-A rotated: min ||theta||^2 = 2(||y+|| + ||y-||), so min 1/2||theta||^2 = ||y+|| + ||y-||
    X = _orthogonal(4, 0)
    y = np.array([1.0, 0.6, -0.5, -0.3])
    r = min_norm_interpolator(X, y)
    expected = _pos_neg_norms(y)
    assert expected == pytest.approx(3 * math.sqrt(34) / 10, rel=1e-15)
    assert r.certified and r.n_patterns == 16 and r.status == "optimal"
    # the certified bracket [dual_bound, value] contains the closed form, and is narrow
    assert r.dual_bound - 1e-12 <= expected <= r.value + 1e-12
    assert r.value == pytest.approx(expected, rel=1e-7) and 0 <= r.duality_gap < 1e-6
    assert r.fit_error < 1e-7
    assert r.half_sq_norm == pytest.approx(expected, rel=1e-7)
    np.testing.assert_allclose(r.a ** 2, np.sum(r.W ** 2, axis=1), rtol=1e-12)  # balanced neurons
    np.testing.assert_allclose(forward(r.a, r.W, X), y, atol=1e-7)


def test_min_norm_interpolator_rotated_n3_in_R5():
    X = _orthogonal(5, 1)[:3]
    y = np.array([0.7, -1.2, 0.4])
    r = min_norm_interpolator(X, y)
    assert r.n_patterns == 8
    assert r.dual_bound - 1e-12 <= _pos_neg_norms(y) <= r.value + 1e-12
    assert r.value == pytest.approx(_pos_neg_norms(y), rel=1e-7)
    assert r.fit_error < 1e-7 and r.half_sq_norm == pytest.approx(r.value, rel=1e-7)


def test_min_norm_interpolator_nonunit_orthogonal_inputs():
    # catalog 004 DS-B: x1 = (-0.5, 1), y1 = -1; x2 = (2, 1), y2 = 1 -> sum |y_k|/||x_k||
    X = np.array([[-0.5, 1.0], [2.0, 1.0]])
    y = np.array([-1.0, 1.0])
    expected = 1 / math.sqrt(1.25) + 1 / math.sqrt(5)
    assert expected == pytest.approx(1.3416408, abs=1e-7)
    r = min_norm_interpolator(X, y)
    assert r.dual_bound - 1e-12 <= expected <= r.value + 1e-12
    assert r.value == pytest.approx(expected, rel=1e-8)
    assert r.fit_error < 1e-7 and r.half_sq_norm == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_min_norm_interpolator_matches_bruteforce_nonconvex(gamma):
    # boursier2024 DS-P(0.1): x = (-0.9,1), (0,1), (0.9,1), y = (1, 0.05, 1)
    X = np.array([[-0.9, 1.0], [0.0, 1.0], [0.9, 1.0]])
    y = np.array([1.0, 0.05, 1.0])
    r = min_norm_interpolator(X, y, gamma)
    best, values = _slsqp_best(X, y, gamma, m=4, starts=12, mode="interp")
    assert r.value == pytest.approx(best, rel=1e-6)
    assert min(values) >= r.value - 1e-7  # no network beats the global (convex) value
    if gamma == 0.0:  # the catalog's explicit 2-neuron interpolator is an upper bound
        assert r.value <= 2 * (13 / 12) * math.hypot(1, 3 / 130)
    np.testing.assert_allclose(forward(r.a, r.W, X, gamma), y, atol=1e-7)


def test_min_norm_interpolator_leaky_two_points_bruteforce():
    X = np.array([[-0.5, 1.0], [2.0, 1.0]])
    y = np.array([-1.0, 1.0])
    r = min_norm_interpolator(X, y, 0.5)
    best, _ = _slsqp_best(X, y, 0.5, m=3, starts=10, mode="interp")
    assert r.value == pytest.approx(best, rel=1e-6)
    assert r.half_sq_norm == pytest.approx(r.value, rel=1e-7)


def test_facet_reduced_cones_give_the_same_programs():
    # exact PatternSet -> only facet rows constrained; plain array -> every row (the textbook
    # form). Same cones, so the same optimum; also polish on/off agree.
    rng = np.random.default_rng(11)
    X = rng.standard_normal((12, 3))
    y = np.sign(X @ np.array([1.0, -0.5, 0.2]) + 0.4 * np.cos(3 * X[:, 1]))
    ps = enumerate_patterns(X)
    M = ps.facet_mask()
    assert M.sum() < M.size  # a real reduction
    fast = max_margin_network(X, y, 0.3, patterns=ps)
    full = max_margin_network(X, y, 0.3, patterns=ps.patterns, polish=False)
    assert fast.certified and not full.certified
    assert fast.value == pytest.approx(full.value, rel=1e-7)
    z = rng.standard_normal(12)
    assert min_norm_interpolator(X, z, patterns=ps).value == pytest.approx(
        min_norm_interpolator(X, z, patterns=ps.patterns, polish=False).value, rel=1e-7)


def test_min_norm_interpolator_subset_of_patterns_is_not_certified():
    X = _orthogonal(4, 0)
    y = np.array([1.0, 0.6, -0.5, -0.3])
    full = enumerate_patterns(X)
    r = min_norm_interpolator(X, y, patterns=full.patterns)  # a plain array: provenance unknown
    assert not r.certified and r.value == pytest.approx(_pos_neg_norms(y), rel=1e-7)


# ============================================================================= (b) SVM


def test_svm_hand_solved_symmetric_set_and_exact_polish():
    # conv{y_k x_k} = conv{(2,1), (-1,3), (3,3)}: its min-norm point is on the segment
    # (2,1)-(-1,3): (2-3t, 1+2t) with t = 4/13 -> (14,21)/13 = (7/13)(2,3). So
    # gamma_{w*} = 7/sqrt(13), w* = (2,3)/sqrt(13), w_hat = w*/gamma = (2/7, 3/7).
    s = svm_hard_margin(HAND_X, HAND_Y)
    assert s.status == "optimal" and s.accurate
    np.testing.assert_allclose(s.w, [2 / 7, 3 / 7], atol=1e-8)
    assert s.margin == pytest.approx(7 / math.sqrt(13), rel=1e-8)
    np.testing.assert_allclose(s.direction, np.array([2, 3]) / math.sqrt(13), atol=1e-8)
    assert sorted(s.support.tolist()) == [0, 1, 3, 4]
    assert abs(s.duality_gap) < 1e-7
    p = polish_svm(HAND_X, HAND_Y, s, dps=50)
    assert p.ok, p.message
    assert p.w_exact == (Fraction(2, 7), Fraction(3, 7))
    assert p.margin_sq_exact == Fraction(49, 13)
    assert p.primal_slack == 0 and p.min_alpha >= 0 and p.stationarity == 0 and p.complementarity == 0
    assert p.gap == 0
    with mpmath.workdps(60):
        assert abs(mpmath.mpf(p.margin) - 7 / mpmath.sqrt(13)) < mpmath.mpf(10) ** -30
        assert abs(mpmath.mpf(p.direction[1]) - 3 / mpmath.sqrt(13)) < mpmath.mpf(10) ** -30


def test_svm_catalog_DS_S_closed_form():
    # catalog 002 DS-S: w* = (28,-13)/sqrt(953), gamma_{w*} = 173 sqrt(953)/9530 (sympy closed form)
    s = svm_hard_margin(DS_S_X, DS_S_Y)
    g = sp.Rational(173, 9530) * sp.sqrt(953)
    assert s.margin == pytest.approx(float(g), rel=1e-8)
    np.testing.assert_allclose(s.direction, np.array([28, -13]) / math.sqrt(953), atol=1e-8)
    p = polish_svm(DS_S_X, DS_S_Y, s, dps=50)
    assert p.ok, p.message
    # float data: the exact SVM of the binary numbers as given; agrees with the decimal
    # closed form to float64 input resolution only
    assert abs(float(p.margin) - float(g)) < 1e-14
    # exact decimal data: agreement to 1e-30
    Xd = np.array([[sp.Rational(str(v)) for v in row] for row in DS_S_X], dtype=object)
    pd = polish_svm(Xd, DS_S_Y, s, dps=50)
    assert pd.ok
    with mpmath.workdps(60):
        assert abs(mpmath.mpf(pd.margin) - mpmath.mpf(str(sp.N(g, 60)))) < mpmath.mpf(10) ** -30


def test_polish_svm_reports_wrong_active_set():
    # only (2,1) as support: w = (2,1)/5 violates y<w,x> >= 1 at (-1,3)
    p = polish_svm(HAND_X, HAND_Y, support=[0])
    assert not p.ok
    assert "active-set guess wrong" in p.message and "primal infeasible" in p.message


# ============================================================================= (c) OLS / min-norm LS


def _sympy_ols(xs, ys):
    X = sp.Matrix([[x, 1] for x in xs])
    y = sp.Matrix(ys)
    beta = (X.T * X).inv() * X.T * y
    r = X * beta - y
    return beta, (r.T * r)[0] / (2 * len(ys))


def test_ols_three_point_hand_solved():
    # boursier2024 section 6 / Figure 2 data (catalog 003 DS-S6): x = (-3/4, -1/2, 1/8), bias 1
    xs = [sp.Rational(-3, 4), sp.Rational(-1, 2), sp.Rational(1, 8)]
    ys = [sp.Rational(11, 10), sp.Rational(1, 10), sp.Rational(4, 5)]
    beta, loss = _sympy_ols(xs, ys)
    assert list(beta) == [sp.Rational(-4, 65), sp.Rational(251, 390)] and loss == sp.Rational(256, 2925)
    # exact input -> exact output
    XR = np.array([[x, 1] for x in xs], dtype=object)
    r = ols(XR, np.array(ys, dtype=object))
    assert r.kind == "ols" and r.rank == 2
    assert r.beta_exact == (Fraction(-4, 65), Fraction(251, 390)) and r.loss_exact == Fraction(256, 2925)
    with mpmath.workdps(50):
        assert abs(r.loss_mp - mpmath.mpf(256) / 2925) < mpmath.mpf(10) ** -30
    # float input (1.1 is not 11/10): agreement to float64 resolution, cross-checks consistent
    rf = ols(np.array([[-0.75, 1], [-0.5, 1], [0.125, 1]]), np.array([1.1, 0.1, 0.8]))
    np.testing.assert_allclose(rf.beta, [float(b) for b in beta], atol=1e-14)
    assert rf.loss == pytest.approx(256 / 2925, rel=1e-13)
    assert rf.cvxpy_discrepancy < 1e-7 and rf.lstsq_discrepancy < 1e-12
    assert abs(rf.duality_gap) < 1e-8


def test_min_norm_least_squares_underdetermined_and_rank_deficient():
    X = sp.Matrix([[1, 2, 0], [0, 1, 1]])
    y = sp.Matrix([1, 2])
    beta = X.T * (X * X.T).inv() * y  # sympy: X^T (X X^T)^{-1} y
    r = min_norm_least_squares(np.array(X.tolist(), dtype=float), np.array([1.0, 2.0]))
    assert r.kind == "interpolation" and r.loss_exact == 0
    assert r.beta_exact == tuple(Fraction(int(b.p), int(b.q)) for b in beta)
    assert r.cvxpy_discrepancy < 1e-7 and abs(r.duality_gap) < 1e-8
    Xd = np.array([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 0.0]])
    yd = np.array([1.0, 2.0, 3.0])
    rd = min_norm_least_squares(Xd, yd)
    assert rd.kind == "min-norm least squares" and rd.rank == 1
    np.testing.assert_allclose(rd.beta, np.linalg.pinv(Xd) @ yd, atol=1e-12)
    assert rd.loss == pytest.approx(9 / 6, rel=1e-12)  # only the third sample is missed
    with pytest.raises(ValueError, match="singular"):
        ols(Xd, yd)


# ============================================================================= (e) solver failures


def test_infeasible_svm_raises_with_status_and_farkas_weights():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([1.0, 1.0, -1.0])  # (1,0) + (0,1) - (1,1) = 0: not separable
    with pytest.raises(InfeasibleProblemError) as ei:
        svm_hard_margin(X, y)
    e = ei.value
    assert e.status in ("infeasible", "infeasible_inaccurate", "solver_error")
    assert e.status in str(e) and "not linearly separable" in str(e)
    lam = e.certificate
    assert lam.min() >= -1e-9 and lam.sum() == pytest.approx(1.0)
    np.testing.assert_allclose((lam * y) @ X, 0.0, atol=1e-8)


@pytest.mark.filterwarnings("ignore:Solution may be inaccurate")
def test_solver_limit_raises_not_returned():
    with pytest.raises(ConvexSolverError) as ei:
        svm_hard_margin(HAND_X, HAND_Y, solver_opts={"max_iter": 1})
    assert ei.value.status == "user_limit" and "user_limit" in str(ei.value)


def test_solver_error_is_wrapped_with_raw_status(monkeypatch):
    def boom(self, *args, **kwargs):
        raise cp.error.SolverError("Solver 'CLARABEL' failed (simulated)")

    monkeypatch.setattr(cp.Problem, "solve", boom)
    with pytest.raises(ConvexSolverError) as ei:
        svm_hard_margin(HAND_X, HAND_Y)
    e = ei.value
    assert e.status == "solver_error" and "simulated" in str(e) and "simulated" in e.solver_message
    assert e.raw_status  # read by re-running Clarabel on the problem data


def test_optimal_inaccurate_is_flagged(monkeypatch):
    monkeypatch.setattr(cp.Problem, "status", property(lambda self: cp.OPTIMAL_INACCURATE))
    s = svm_hard_margin(HAND_X, HAND_Y)
    assert s.status == "optimal_inaccurate" and s.accurate is False


def test_solver_is_always_explicit(monkeypatch):
    seen = []
    orig = cp.Problem.solve

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("solver"))
        return orig(self, *args, **kwargs)

    monkeypatch.setattr(cp.Problem, "solve", spy)
    svm_hard_margin(HAND_X, HAND_Y)  # a QP: cvxpy alone would pick OSQP
    min_norm_least_squares(np.eye(2), np.ones(2))
    kkt_margin_residual(HAND_X, HAND_Y, np.array([0.5, -0.5]), np.array([[1.0, 1.0], [-1.0, -1.0]]))
    assert seen and all(s == cp.CLARABEL for s in seen)


def test_network_interpolation_infeasible_names_homogeneity():
    X = np.array([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])
    y = np.array([1.0, 1.0, 1.0])  # h(2x) = 2h(x) for every network without bias
    with pytest.raises(InfeasibleProblemError, match="positively homogeneous"):
        min_norm_interpolator(X, y)


# ============================================================================= (f) max-margin network


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_max_margin_network_symmetric_equals_theorem_4_2(gamma):
    # lyu2021 Thm 4.2 (catalog 002 E06): on symmetric separable data the global max normalised
    # margin is (1 + gamma)/4 * gamma_{w*}, attained by h(x) = (1 + gamma)/4 <w*, x> at ||theta|| = 1
    svm = svm_hard_margin(DS_S_X, DS_S_Y)
    r = max_margin_network(DS_S_X, DS_S_Y, gamma)
    target = (1 + gamma) / 4 * svm.margin
    assert r.certified and r.n_patterns == 8
    assert r.max_normalized_margin == pytest.approx(target, rel=1e-8)
    assert r.value == pytest.approx(1 / (2 * target), rel=1e-8)  # val(P) = 1/(2 gamma_max)
    assert 0 <= r.duality_gap < 1e-7
    assert r.normalized_margin == pytest.approx(target, rel=1e-7)
    assert normalized_margin(DS_S_X, DS_S_Y, r.a, r.W, gamma) == pytest.approx(target, rel=1e-7)
    if gamma == 0.5:
        assert r.max_normalized_margin == pytest.approx(0.210150739, abs=1e-9)  # catalog value
    # uniqueness in function space: f_{theta/||theta||}(x) = (1+gamma)/4 <w*, x>
    Xt = np.random.default_rng(0).uniform(-1, 1, (200, 2))
    f = forward(r.a, r.W, Xt, gamma) / np.sum(r.a ** 2 + np.sum(r.W ** 2, axis=1))
    np.testing.assert_allclose(f, (1 + gamma) / 4 * Xt @ svm.direction, atol=1e-7)


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_max_margin_network_theorem_4_2_n40_d3(gamma):
    # a larger symmetric separable set in R^3: 20 random positives pushed off a plane, and -x
    rng = np.random.default_rng(5)
    w = np.array([1.0, 0.4, -0.7])
    pos = rng.standard_normal((20, 3))
    pos = pos * np.sign(pos @ w)[:, None] + 0.3 * w / np.linalg.norm(w)
    X, y = np.vstack([pos, -pos]), np.r_[np.ones(20), -np.ones(20)]
    target = (1 + gamma) / 4 * svm_hard_margin(X, y).margin
    r = max_margin_network(X, y, gamma)
    assert r.certified and r.n_patterns == cover_bound(20, 3)  # 20 distinct planes through 0
    assert r.max_normalized_margin == pytest.approx(target, rel=1e-8)
    assert kkt_margin_residual(X, y, r.a, r.W, gamma).residual < 1e-7


def test_max_margin_network_relu_DS_K_is_quarter():
    # lyu2021 I.1.1 data (alpha = 0): y x_k all have first coordinate 1 -> w* = (1,0), gamma_{w*} = 1
    X = np.array([[1, -1], [1, 0], [1, 1], [-1, 1], [-1, 0], [-1, -1]], dtype=float)
    y = np.array([1, 1, 1, -1, -1, -1.0])
    assert max_margin_network(X, y, 0.0).max_normalized_margin == pytest.approx(0.25, rel=1e-8)


def test_max_margin_network_orthogonally_separable_theorem_H2():
    # lyu2021 Thm H.2 (ReLU): val(P) = ||w+|| + ||w-||, w+- = min-norm w with <w, x_i> >= 1 on each class
    X = np.array([[1, 0.2], [0.8, 0.6], [0.9, -0.1], [-0.3, -1], [-0.6, -0.7]])
    y = np.array([1, 1, 1, -1, -1.0])
    wp = svm_hard_margin(X[:3], np.ones(3)).w
    wm = svm_hard_margin(X[3:], np.ones(2)).w
    np.testing.assert_allclose(wp, [35 / 31, 5 / 31], atol=1e-8)  # catalog closed forms
    np.testing.assert_allclose(wm, [-12 / 17, -14 / 17], atol=1e-8)
    r = max_margin_network(X, y, 0.0)
    assert r.value == pytest.approx(np.linalg.norm(wp) + np.linalg.norm(wm), rel=1e-8)


def test_max_margin_network_nonsymmetric_bruteforce():
    # catalog 002 DS-A (alpha = 1/2): global value for m = 2, 3 reported as 0.141618
    X = np.array([[0.31, -0.02], [0.87, 0.04], [0.86, -0.32], [-0.38, -0.58], [-0.59, -0.35]])
    y = np.array([1, 1, 1, -1, -1.0])
    r = max_margin_network(X, y, 0.5)
    best, values = _slsqp_best(X, y, 0.5, m=3, starts=15, mode="margin")
    assert min(values) >= r.value - 1e-7  # no network beats the convex value
    assert r.value == pytest.approx(best, rel=1e-6)
    assert r.max_normalized_margin == pytest.approx(0.141618, abs=1e-6)


# ============================================================================= (g) KKT residual


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_kkt_residual_zero_at_max_margin_and_positive_when_perturbed(gamma):
    r = max_margin_network(DS_S_X, DS_S_Y, gamma)
    k = kkt_margin_residual(DS_S_X, DS_S_Y, r.a, r.W, gamma)
    assert k.is_margin_direction and k.residual < 1e-7 and k.holds(1e-6)
    assert k.euler_gap < 1e-7  # sum lam = 1/2||theta_hat||^2 = 1/(2 gamma(theta))
    assert set(np.flatnonzero(k.lam > 1e-6)) <= set(svm_hard_margin(DS_S_X, DS_S_Y).support.tolist())
    # independent check without kinks: scipy NNLS on the same gradient columns gives ~0 too
    a_h, W_h = r.a / math.sqrt(k.q_min), r.W / math.sqrt(k.q_min)
    theta = np.concatenate([a_h, W_h.ravel()])
    cols = []
    for kk in k.active:
        Z = W_h @ DS_S_X[kk]
        s = np.where(Z > 0, 1.0, gamma)
        # gradient of q_k: d/da_j = y_k sigma(z_j), d/dw_j = y_k a_j sigma'(z_j) x_k
        gw = (DS_S_Y[kk] * a_h * s)[:, None] * DS_S_X[kk]
        cols.append(np.concatenate([DS_S_Y[kk] * s * Z, gw.ravel()]))
    _, rn = nnls(np.array(cols).T, theta)
    assert rn / np.linalg.norm(theta) < 1e-7
    # perturbed direction: clearly not KKT
    rng = np.random.default_rng(3)
    a2 = r.a + 0.05 * rng.standard_normal(r.a.shape)
    W2 = r.W + 0.05 * rng.standard_normal(r.W.shape)
    k2 = kkt_margin_residual(DS_S_X, DS_S_Y, a2, W2, gamma)
    assert k2.is_margin_direction and k2.residual > 1e-3 and not k2.holds(1e-6)


def test_kkt_paper_example_relu_with_kinks():
    # lyu2021 I.1.1 (alpha = 0): a_{1,2} = 2^{-1/4}, w_{1,2} = 2^{-3/4}(1, +-1), a_3 = -1, w_3 = (-1, 0);
    # all q_i = 1, ||theta||^2 = 2 + 2 sqrt 2, KKT with lam = (1/sqrt2, 0, 1/sqrt2, 0, 1, 0)
    X = np.array([[1, -1], [1, 0], [1, 1], [-1, 1], [-1, 0], [-1, -1]], dtype=float)
    y = np.array([1, 1, 1, -1, -1, -1.0])
    c = 2 ** -0.75
    a = np.array([2 ** -0.25, 2 ** -0.25, -1.0])
    W = np.array([[c, c], [c, -c], [-1.0, 0.0]])
    k = kkt_margin_residual(X, y, a, W, 0.0)
    assert k.residual < 1e-8 and len(k.kinks) > 0
    assert k.normalized_margin == pytest.approx(1 / (2 + 2 * math.sqrt(2)), rel=1e-12)
    assert k.lambda_sum == pytest.approx(1 + math.sqrt(2), rel=1e-7)  # = sum of the paper's lam
    assert kkt_margin_residual(X, y, a, W, 0.0, sigma_prime_zero=1.0).residual > 1e-2


def test_kkt_paper_example_leaky_needs_clarke_slope():
    # lyu2021 I.1.1 (alpha = 1/2): beta solves alpha = cos 2b / (2 sin^2 b + cos b); the KKT point needs
    # slope h = alpha at the two kinks (catalog 002 E37 mutation: forcing h = 1 must fail)
    al = 0.5
    b = float(mpmath.findroot(lambda t: al * (2 * mpmath.sin(t) ** 2 + mpmath.cos(t)) - mpmath.cos(2 * t),
                              0.44))
    assert b == pytest.approx(0.441594194, abs=1e-9)
    ct = 1 / math.tan(b)
    X = np.array([[1, ct], [1, 0], [1, -ct], [-1, -ct], [-1, 0], [-1, ct]])
    y = np.array([1, 1, 1, -1, -1, -1.0])
    a1, a3 = (2 * (1 + al) * math.cos(b)) ** -0.5, -(1 + al) ** -0.5
    a = np.array([a1, a1, a3])
    W = np.array([a1 * math.sin(b) * np.array([ct, 1.0]), a1 * math.sin(b) * np.array([ct, -1.0]),
                  [-1 / math.sqrt(1 + al), 0.0]])
    k = kkt_margin_residual(X, y, a, W, al)
    assert k.residual < 1e-8
    assert k.normalized_margin == pytest.approx((1 + al) * math.cos(b) / (2 * (1 + math.cos(b))), rel=1e-10)
    assert all(h == pytest.approx(al, abs=1e-6) for _, kk, h in k.kinks if k.lam[kk] > 1e-6)
    # the paper's lam: (l, 0, l, 0, 1 - 2 alpha sin^2 b / ((1 - alpha) cos b), 0), l = sin^2 b / (cos b (1 - alpha))
    lam_paper = 2 * math.sin(b) ** 2 / (math.cos(b) * (1 - al)) + 1 - 2 * al * math.sin(b) ** 2 / ((1 - al) * math.cos(b))
    assert k.lambda_sum == pytest.approx(lam_paper, rel=1e-7)
    assert kkt_margin_residual(X, y, a, W, al, sigma_prime_zero=1.0).residual > 1e-2


def test_kkt_rejects_non_margin_direction():
    k = kkt_margin_residual(HAND_X, HAND_Y, np.array([-1.0]), np.array([[1.0, 1.0]]), 0.0)
    assert not k.is_margin_direction and k.residual == math.inf and "q_min" in k.message
