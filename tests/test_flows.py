"""Gradient-flow engine against independent answers (issue 2, item 7).

Expected values come from invariants of the exact flow (balancedness), from a second precision,
from the catalogs' closed forms (min-norm value 2(||y+|| + ||y-||) on orthonormal data, DS-2N's
extremal vector D_(1,0) computed here by hand) or from the qualitative facts the papers prove
(deactivation is permanent on orthonormal data), never from the engine's own output.
"""
import math

import numpy as np
import pytest

from numerics.backend import get_backend
from numerics.flows import PolarState, balanced_gaussian_state, solve_flow
from numerics.flows.gbs import GBS, illinois
from numerics.network import Model, gradient, init_balanced_gaussian

DSA_X = np.eye(4)
DSA_Y = np.array([1.0, 0.6, -0.5, -0.3])


def dsa():
    return Model(DSA_X, DSA_Y)


# --------------------------------------------------------------------------- integrator core


def test_gbs_reaches_requested_digits_in_both_precisions():
    for prec, rtol, tol in (("float64", 1e-12, 1e-11), (40, 1e-35, 1e-34)):
        xp = get_backend(prec)
        f = lambda y: np.array([y[1], -y[0]], dtype=y.dtype)  # noqa: E731
        g = GBS(f, xp, xp.scalar(rtol), xp.scalar(rtol * 1e-3))
        y, t, H, k, T = xp.asarray([1.0, 0.0]), xp.scalar(0), xp.scalar(0.1), g.k0, xp.scalar(10)
        while t < T:
            H = min(H, T - t)
            r = g.step(y, f(y), H, k, t_scale=t)
            y, t, H, k = r.y1, t + r.H, r.H_next, r.k_next
        c = xp.ctx if prec != "float64" else math
        assert abs(float(y[0] - c.cos(T))) < tol
        assert abs(float(y[1] + c.sin(T))) < tol


def test_illinois_brackets_root():
    lo, hi, _, _ = illinois(lambda x: 2.0 - x * x, 0.0, 2.0, 2.0, -2.0, 1e-14)
    assert abs(hi - math.sqrt(2)) < 1e-13 and lo <= math.sqrt(2) <= hi


# --------------------------------------------------------------------------- the vector field


def test_polar_field_equals_minus_gradient():
    """The log-polar field, mapped back to (a, W), is -grad L of numerics.network (no kink crossed)."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((5, 3))
    y = rng.standard_normal(5)
    model = Model(X, y, gamma=0.3)
    a = rng.standard_normal(6)
    W = rng.standard_normal((6, 3))
    s0 = PolarState.from_cartesian(a, W)
    dt = 1e-8
    tr = solve_flow(model, s0, dt, rtol=1e-13)
    a1, W1 = tr.final.a(), tr.final.W()
    ga, gW = gradient(model, a, W)
    # forward difference: truncation error O(dt |Hess| |grad|) ~ 1e-6, rounding ~ 1e-8
    assert np.allclose((a1 - a) / dt, -ga, rtol=1e-5, atol=1e-6)
    assert np.allclose((W1 - W) / dt, -gW, rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- invariants


def test_balancedness_conserved_float64_unbalanced_init():
    """boursier2022 Lemma 1: a_j^2 - ||w_j||^2 is constant, for an UNBALANCED init (raw check)."""
    model = dsa()
    a, W, _ = init_balanced_gaussian(12, 4, 0.3, seed=1)
    a = 2 * a  # unbalanced: a_j = 2 s_j ||w_j||
    s0 = PolarState.from_cartesian(a, W)
    b0 = a**2 - np.sum(W**2, axis=1)
    tr = solve_flow(model, s0, 60.0, rtol=1e-12, t_eval=np.linspace(0, 60, 13))
    assert tr.status == 0
    for st in tr.sampled + [tr.final]:
        drift = np.max(np.abs(st.balancedness() - b0))
        assert drift < 1e-10, drift
    assert tr.final.loss(model) < 1e-3  # the flow actually moved


def test_balancedness_conserved_mpmath_dps40():
    model = Model(np.eye(2), np.array([1.0, -0.5]))
    a, W, _ = init_balanced_gaussian(3, 2, 0.5, seed=2)
    a = 1.5 * a
    s0 = PolarState.from_cartesian(a, W, precision=40)
    b0 = s0.balancedness()
    tr = solve_flow(model, s0, 4.0, precision=40, rtol=1e-37)
    assert tr.status == 0
    drift = max(abs(x) for x in (tr.final.balancedness() - b0)) / max(abs(x) for x in b0)
    assert drift < 1e-35, drift
    with pytest.raises(ValueError, match="raise the precision"):
        solve_flow(model, s0, 4.0, precision=40, rtol=1e-39)


def test_float64_and_mpmath_trajectories_agree():
    model = dsa()
    s0 = balanced_gaussian_state(5, 4, lam=1e-6, seed=0)
    T = 70.0
    tf = solve_flow(model, s0, T, rtol=1e-13)
    tm = solve_flow(model, s0, T, precision=30, rtol=1e-25)
    assert tf.status == tm.status == 0
    assert [(e.kind, e.j, e.k) for e in tf.events] == [(e.kind, e.j, e.k) for e in tm.events]
    for ef, em in zip(tf.events, tm.events):
        assert abs(float(ef.t) - float(em.t)) < 1e-9
    for tt in (10.0, 40.0, T):
        a, b = tf.at(tt), tm.at(tt)
        assert np.max(np.abs(a.r - b.r.astype(float))) < 1e-9
        assert np.max(np.abs(a.V - b.V.astype(float))) < 1e-9


# --------------------------------------------------------------------------- small init, kinks


def test_deactivation_is_permanent_and_limit_is_min_norm():
    """Orthonormal data (boursier2022 Lemma 6, Theorem 1): no coordinate ever re-activates and the
    limit norm approaches min ||theta||^2 = 2(||y+|| + ||y-||) (catalog 004 DS-A, Prop. 1)."""
    model = dsa()
    s0 = balanced_gaussian_state(40, 4, lam=1e-64, seed=0)
    tr = solve_flow(model, s0, 2400.0)
    assert tr.status == 0
    assert all(e.kind in ("slide_enter", "deactivate") for e in tr.events), {e.kind for e in tr.events}
    target = 2 * (np.linalg.norm(DSA_Y.clip(min=0)) + np.linalg.norm(DSA_Y.clip(max=0)))
    assert abs(float(tr.final.norm2()) - target) < 1e-6
    assert float(tr.final.loss(model)) < 1e-18


def test_step_count_grows_at_most_linearly_in_log_lambda():
    model = dsa()
    rows = []
    for lam in (1e-5, 1e-20, 1e-80, 1e-300):
        L = -math.log(lam)
        tr = solve_flow(model, balanced_gaussian_state(8, 4, lam=lam, seed=0), 2.5 * L / 0.1457738 + 60)
        assert tr.status == 0
        rows.append((L, tr.nsteps))
    # nsteps <= A + B ln(1/lambda) with (A, B) set by the two smallest scales, 25% slack
    (L1, n1), (L2, n2) = rows[0], rows[1]
    B = max((n2 - n1) / (L2 - L1), 0.0)
    A = n1 - B * L1
    for L, n in rows[2:]:
        assert n <= 1.25 * (A + B * L) + 10, rows


def test_lambda_beyond_float64_range():
    """lambda = e^{-5000} (far below 1e-300) in float64 log-polar coordinates: same limit."""
    model = Model(np.eye(2), np.array([1.0, -0.5]))
    s0 = balanced_gaussian_state(4, 2, log_lam=-5000.0, seed=1)
    tr = solve_flow(model, s0, 2.5 * 5000 / 0.25 + 50)
    assert tr.status == 0
    assert abs(float(tr.final.norm2()) - 2 * 1.5) < 1e-6


def test_sliding_on_ds2n_ray_stays_on_surface():
    """boursier2024 DS-2N, y = (1, 1), a < 0 neuron at 40 degrees (catalog 003 E10 recipe): the
    neuron reaches the ray <w, x_2> = 0 and slides on it (Filippov, eta in (0, 1)) to the
    extremal direction of the cone, D_(1,0) = P_{x_2}^perp (x_1/2 + eta x_2/2) / ... (computed here)."""
    X = np.array([[1.0, 0.3], [-0.4, 1.0]])
    model = Model(X, np.array([1.0, 1.0]))
    th = math.radians(40)
    u = np.array([math.cos(th), math.sin(th)])
    lam = 1e-30
    s0 = PolarState.from_cartesian(np.array([-lam]), lam * u[None, :])
    # horizon 25: this neuron shrinks like e^{-||D|| t}, and the relative imbalance
    # (a^2 - ||w||^2)/(a^2 + ||w||^2), an exact invariant times e^{-2r}, amplifies the float64
    # rounding of the balanced init (1e-16) by e^{2 ||D|| t}: real flow behaviour, not an engine
    # error (mpmath pushes it further out)
    T = 25.0
    tr = solve_flow(model, s0, T)
    assert tr.status == 0
    kinds = [e.kind for e in tr.events]
    assert kinds.count("slide_enter") == 1 and tr.nsteps < 500
    t_slide = next(e.t for e in tr.events if e.kind == "slide_enter")
    for tt in np.linspace(float(t_slide) + 0.5, T, 6):
        uu = tr.at(tt).u()[0]
        assert abs(uu @ X[1]) < 1e-12  # stays on the surface, no chattering across it
    # independent answer: on the ray, D = (1/n)(x_1 + eta x_2) with eta chosen so <D, x_2> = 0
    x1, x2 = X
    eta = -(x1 @ x2) / (x2 @ x2)
    D = 0.5 * (x1 + eta * x2)
    uf = tr.final.u()[0]
    assert np.allclose(uf, D / np.linalg.norm(D), atol=1e-8)
    assert 0 < eta < 1


def test_convention_mode_reproduces_proposition2():
    """boursier2022 Prop. 2: with sigma'(0) = 1/2 the classical ODE has no continuation once an
    active coordinate reaches 0 (seed-0 DS-A has such deaths), with sigma'(0) = 0 it does."""
    m = 40
    s0 = balanced_gaussian_state(m, 4, lam=1e-8, seed=0)
    bad = solve_flow(Model(DSA_X, DSA_Y, sigma_prime_zero=0.5), s0, 20.0, kink="convention")
    assert bad.status == -2 and "sigma'(0) = 0.5" in bad.message
    good = solve_flow(Model(DSA_X, DSA_Y, sigma_prime_zero=0.0), s0, 20.0, kink="convention")
    assert good.status == 0


def test_leaky_relu_crossing_events_are_located():
    """Leaky ReLU (gamma = 0.5) on non-orthogonal data: the switch times are roots of <w_j, x_k>."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((4, 2))
    model = Model(X, np.array([1.0, -1.0, 0.5, -0.2]), gamma=0.5)
    a, W, _ = init_balanced_gaussian(6, 2, 0.5, seed=3)
    tr = solve_flow(model, PolarState.from_cartesian(a, W), 30.0)
    assert tr.status == 0 and tr.events
    for e in tr.events:
        if e.kind in ("activate", "deactivate"):
            st = tr.at(e.t)
            z = st.u()[e.j] @ X[e.k]
            assert abs(z) < 1e-9


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="gamma"):
        Model(np.eye(2), np.ones(2), gamma=2.0)
    with pytest.raises(ValueError, match="kink"):
        solve_flow(dsa(), balanced_gaussian_state(2, 4, lam=1e-3), 1.0, kink="bogus")
    with pytest.raises(ValueError, match="dimension"):
        solve_flow(dsa(), balanced_gaussian_state(2, 3, lam=1e-3), 1.0)
    with pytest.raises(ValueError, match="stays at 0"):
        PolarState.from_cartesian(np.zeros(1), np.zeros((1, 2)))


# --------------------------------------------------------------------------- review regressions
# (independent reference: explicit gradient descent with a small step, whose error is O(step))


def _gd(a, W, model, T, h):
    from numerics.network import gradient as grad
    a, W = a.copy(), W.copy()
    for _ in range(int(round(T / h))):
        ga, gW = grad(model, a, W)
        a, W = a - h * ga, W - h * gW
    return a, W


def test_parallel_data_vectors_cross_together():
    """x and -x in the data (lyu2021's symmetric sets): both pairs switch at once and must be
    decided jointly (a per-pair decision froze the neuron on z = 0)."""
    x = np.array([1.0, 0.5])
    X = np.array([x, -x, [0.2, -1.0]])
    model = Model(X, np.array([1.0, -1.0, 0.5]))
    a = np.array([0.3, 0.4, 0.2])
    W = np.array([[0.5, -0.2], [-0.1, 0.6], [0.3, 0.3]])
    tr = solve_flow(model, PolarState.from_cartesian(a, W), 2.0)
    assert tr.status == 0
    ag, Wg = _gd(a, W, model, 2.0, 1e-4)
    assert np.allclose(tr.final.a(), ag, atol=2e-3) and np.allclose(tr.final.W(), Wg, atol=2e-3)
    tm = solve_flow(model, PolarState.from_cartesian(a, W, precision=30), 2.0, precision=30)
    assert tm.status == 0  # the singular Gram matrix of {x, -x} is handled in mpmath too


def test_kink_at_t0_follows_sigma_prime_zero_on_a_repelling_kink():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    model0 = Model(X, np.array([1.0, 1.0]))
    a = np.array([0.5])
    W = np.array([[0.8, 0.0]])  # <w, x_2> = 0 exactly, field pushes up on the + side only
    for s0, sign in ((0.0, -1), (1.0, +1)):
        model = Model(X, model0.y, sigma_prime_zero=s0)
        tr = solve_flow(model, PolarState.from_cartesian(a, W), 1.0)
        z2 = float(tr.final.W()[0] @ X[1])
        assert tr.status == 0 and (z2 == 0 or np.sign(z2) == sign or sign < 0)
        if s0 == 1.0:
            assert z2 > 1e-3 and tr.events[0].kind == "activate"


def test_sliding_ends_when_the_surface_turns_repelling():
    """An output weight changing sign turns an attractive kink into a repelling one (both one-sided
    normal velocities flip together): the neuron must leave, as gradient descent does."""
    X = np.array([[-1.0, -1.0, -3.0], [-3.0, 0.0, 3.0]])
    model = Model(X, np.array([-1.0, -1.0]), loss="logistic")
    a = np.array([0.5])
    W = np.array([[-1.125, 0.0, -1.125]])
    tr = solve_flow(model, PolarState.from_cartesian(a, W), 3.0)
    assert tr.status == 0
    ag, Wg = _gd(a, W, model, 3.0, 1e-4)
    assert abs(float(tr.final.W()[0] @ X[1]) - float(Wg[0] @ X[1])) < 5e-3
    assert float(tr.final.W()[0] @ X[1]) < -0.1
