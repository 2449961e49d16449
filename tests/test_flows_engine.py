"""Engine tests of issue 13: the dense-output event locator, the heyoka backend against the GBS engine, and the
engine limits reported in the previous round (item 7), each with its regression case. Independent references:
gradient descent with a small step, a second backend, closed-form invariants. No timed assertions."""
import math

import numpy as np
import pytest

from numerics.flows import PolarState, balanced_gaussian_state, solve_flow
from numerics.flows.events import Hermite
from numerics.network import Model, gradient, init_balanced_gaussian, init_mean_field


def _gd(model, a, W, T, h):
    a, W = a.copy(), W.copy()
    for _ in range(int(round(T / h))):
        ga, gW = gradient(model, a, W)
        a, W = a - h * ga, W - h * gW
    return a, W


def _random_problem(m, seed=0, n=12, d=4, lam=1e-6):
    """The issue's width-scaling problem: unit-norm random data, square loss, balanced init."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = rng.standard_normal(n)
    return Model(X, y), balanced_gaussian_state(m, d, lam=lam, seed=seed)


# --------------------------------------------------------------------------- dense output and event location


def test_hermite_dense_output_is_exact_for_cubics():
    """u(s) interpolates values and slopes at both ends, so it reproduces any cubic exactly."""
    p = lambda s: np.array([1 + 2 * s - s**2 + 0.5 * s**3, -s**3])  # noqa: E731
    dp = lambda s: np.array([2 - 2 * s + 1.5 * s**2, -3 * s**2])  # noqa: E731
    H = 0.7
    u = Hermite(p(0.0), dp(0.0), p(H), dp(H), H)
    for s in (0.0, 0.1, 0.35, 0.6, H):
        assert np.allclose(u(s), p(s), atol=1e-15)


def test_events_many_kinks_agree_with_gradient_descent():
    """m = 30 on the width-scaling problem (dozens of kinks): the flow at T = 15 is gradient descent's limit,
    GD(h) = flow + O(h): the flow is closer to the Richardson extrapolation 2 GD(h/2) - GD(h) than GD(h/2) is to
    GD(h) (kinks make the O(h^2) term non-smooth, so not by a large factor), and GD(h/2) is within 2 |GD(h/2) -
    GD(h)| of it."""
    model, s0 = _random_problem(30, lam=1e-2)
    T = 15.0
    tr = solve_flow(model, s0, T)
    assert tr.status == 0 and len(tr.events) > 20
    a0, W0 = s0.a(), s0.W()
    a1, W1 = _gd(model, a0, W0, T, 2e-3)
    a2, W2 = _gd(model, a0, W0, T, 1e-3)
    a_rich, W_rich = 2 * a2 - a1, 2 * W2 - W1
    err_gd = max(np.max(np.abs(a2 - a1)), np.max(np.abs(W2 - W1)))
    dev = max(np.max(np.abs(tr.final.a() - a_rich)), np.max(np.abs(tr.final.W() - W_rich)))
    assert dev < 0.8 * err_gd, (dev, err_gd)
    dev2 = max(np.max(np.abs(tr.final.a() - a2)), np.max(np.abs(tr.final.W() - W2)))
    assert dev2 < 2 * err_gd, (dev2, err_gd)


def test_event_times_are_exact_roots():
    """Every crossing is at a root of <w_j, x_k> to the time resolution (the state there is the integrator's)."""
    model, s0 = _random_problem(20, lam=1e-3)
    tr = solve_flow(model, s0, 20.0)
    assert tr.status == 0
    crossings = [e for e in tr.events if e.kind in ("activate", "deactivate")]
    assert len(crossings) > 10
    for e in crossings[:40]:
        st = tr.at(e.t)
        assert abs(st.u()[e.j] @ model.X[e.k]) < 1e-9
    # a handful of re-integrations per event, not one per root-finding iteration
    assert tr.nrelocate <= 4 * len(tr.events) + 10


# --------------------------------------------------------------------------- heyoka backend

heyoka = pytest.importorskip("heyoka")


@pytest.mark.parametrize("problem", ["random", "dsa", "leaky-logistic"])
def test_heyoka_backend_matches_gbs_float64(problem):
    """Same flows, same events (kinds, pairs, times) and the same final state to the requested tolerance."""
    if problem == "random":
        model, s0 = _random_problem(25)
        T = 40.0
    elif problem == "dsa":
        model = Model(np.eye(4), np.array([1.0, 0.6, -0.5, -0.3]))
        s0 = balanced_gaussian_state(12, 4, lam=1e-12, seed=0)
        T = 300.0
    else:
        rng = np.random.default_rng(5)
        X = rng.standard_normal((6, 3))
        model = Model(X, np.array([1.0, -1, 1, -1, 1, -1]), gamma=0.2, loss="logistic")
        a, W, _ = init_balanced_gaussian(8, 3, 0.3, seed=2)
        s0 = PolarState.from_cartesian(a, W)
        T = 20.0
    g = solve_flow(model, s0, T, rtol=1e-11, backend="gbs")
    h = solve_flow(model, s0, T, rtol=1e-11, backend="heyoka")
    assert g.status == h.status == 0, (g.message, h.message)
    assert [(e.kind, e.j, e.k) for e in g.events] == [(e.kind, e.j, e.k) for e in h.events]
    assert max(abs(float(a.t) - float(b.t)) for a, b in zip(g.events, h.events)) < 1e-8
    assert np.max(np.abs(g.final.V - h.final.V)) < 1e-8
    assert np.max(np.abs(g.final.r - h.final.r)) < 1e-8


def test_heyoka_backend_real_precision_matches_gbs_mpmath():
    """heyoka `real` at 30 digits against the mpmath GBS engine on a flow with kinks (DS-A, m = 5)."""
    model = Model(np.eye(4), np.array([1.0, 0.6, -0.5, -0.3]))
    s0 = balanced_gaussian_state(5, 4, lam=1e-6, seed=0)
    T = 70.0
    g = solve_flow(model, s0, T, precision=30, rtol=1e-24, backend="gbs")
    h = solve_flow(model, s0, T, precision=30, rtol=1e-24, backend="heyoka")
    assert g.status == h.status == 0
    assert [(e.kind, e.j, e.k) for e in g.events] == [(e.kind, e.j, e.k) for e in h.events]
    for a, b in zip(g.events, h.events):
        assert abs(a.t - b.t) < 1e-18
    dv = max(abs(x - y) for x, y in zip(g.final.V.ravel(), h.final.V.ravel()))
    dr = max(abs(x - y) for x, y in zip(g.final.r, h.final.r))
    assert dv < 1e-20 and dr < 1e-20, (dv, dr)


def test_heyoka_backend_needs_known_name():
    with pytest.raises(ValueError, match="backend"):
        solve_flow(Model(np.eye(2), np.ones(2)), balanced_gaussian_state(2, 2, lam=1e-3), 1.0, backend="bogus")


# --------------------------------------------------------------------------- item 7: engine limits


def test_direction_floor_no_thrash_when_a_coordinate_decays_to_roundoff():
    """boursier2024 DS-P(0.1), init (3)-(5) sphere-sign, m = 40, seed 0, lambda = 1e-8: a coordinate of w_19
    decays to 4e-11 by t = 30.6, where its GBS error estimate is rounding noise (5e-18); with pure relative
    control the step size underflowed there (status -4). The absolute floor at 64 eps lets it through."""
    s = 0.9
    X = np.array([[-s, 1.0], [0.0, 1.0], [s, 1.0]])
    y = np.array([1.0, 0.05, 1.0])
    at, wt, _ = init_mean_field(40, 2, 1.0, seed=0, scheme="sphere-sign")
    th = np.concatenate([at[:, None], wt], axis=1)
    nrm = np.linalg.norm(th, axis=1)
    s0 = PolarState(math.log(1e-8) + np.log(nrm), th / nrm[:, None])
    T = 8 * math.log(10) / float(np.linalg.norm(y @ X / 3)) + 60
    tr = solve_flow(Model(X, y), s0, T)
    assert tr.status == 0, tr.message
    assert tr.nsteps < 1000
    # the pure relative control of the previous default still stalls (documents what the floor fixes)
    old = solve_flow(Model(X, y), s0, T, atol=1e-300, max_steps=3000)
    assert old.status in (-1, -4)


def test_direction_floor_lyu2021_hinted_limit_without_workaround():
    """lyu2021 DS-H/70 with INIT-H (m = 4, sigma = 1e-12), logistic loss, leaky slope 1/2, to t = 1e100: the limit
    direction has an exact zero coordinate; numerics.margins needed atol = 1e-13, the engine default now does."""
    X = np.array([[1.0, 0.0], [0.1, 1.0], [0.1, -1.0], [0.5, 0.4], [0.5, -0.4], [-0.6, 0.3], [-0.6, -0.3]]) / 70
    X[0] = [1 / 70, 0.0]
    y = np.array([1.0, 1, 1, 1, 1, -1, -1])
    a0 = np.array([0.8913387725973559, 1.344398538975466, -1.0094154269539308, -0.7912123785613072])
    W0 = np.array([[0.345584192064786, 0.8216181435011584], [0.33043707618338714, -1.303157231604361],
                   [0.9053558666731177, 0.4463745723640113], [-0.5369532353602852, 0.5811181041963531]])
    model = Model(X, y, gamma=0.5, loss="logistic")
    s0 = PolarState.from_cartesian(1e-12 * a0, 1e-12 * W0)
    tr = solve_flow(model, s0, 1e100, rtol=1e-10, max_steps=20000)
    assert tr.status == 0, tr.message
    from numerics.margins import flow_to_infinity
    run = flow_to_infinity(model, s0, 100.0, per_decade=0.5, rtol=1e-10)
    assert run.gamma[-1] > 0


def test_w_collapsing_to_zero_in_finite_time_continues():
    """A dominated neuron (|a| > ||w||) whose w shrinks at a bounded rate reaches w = 0 in finite time; the flow
    goes on through it (sliding on one surface, then the other) and matches gradient descent."""
    X = np.eye(2)
    model = Model(X, np.array([-1.0, -0.5]))
    a = np.array([1.0, 0.5])
    W = np.array([[0.3, 0.2], [0.1, -0.3]])
    tr = solve_flow(model, PolarState.from_cartesian(a, W), 3.0)
    assert tr.status == 0, tr.message
    assert np.all(tr.final.W()[0] == 0)
    ag, Wg = _gd(model, a, W, 3.0, 1e-4)
    assert np.allclose(tr.final.a(), ag, atol=1e-4) and np.allclose(tr.final.W(), Wg, atol=1e-4)


def test_balanced_manifold_option():
    """Off by default; on, an exactly balanced init stays exactly balanced and the flow is the same flow."""
    model = Model(np.eye(4), np.array([1.0, 0.6, -0.5, -0.3]))
    s0 = balanced_gaussian_state(10, 4, lam=1e-8, seed=1)
    free = solve_flow(model, s0, 150.0)
    on = solve_flow(model, s0, 150.0, balanced_manifold=True)
    assert on.status == free.status == 0
    assert [(e.kind, e.j, e.k) for e in on.events] == [(e.kind, e.j, e.k) for e in free.events]
    assert np.max(np.abs(on.final.balancedness_relative())) < 4e-16
    assert np.max(np.abs(on.final.V - free.final.V)) < 1e-8
    a, W, _ = init_balanced_gaussian(3, 4, 0.1, seed=0)
    with pytest.raises(ValueError, match="exactly balanced"):
        solve_flow(model, PolarState.from_cartesian(2 * a, W), 1.0, balanced_manifold=True)


def test_auto_backend_uses_heyoka_for_mpmath_and_dense_output_at():
    """backend='auto' (the default): heyoka for mpmath precisions, GBS for float64; Trajectory.at on a heyoka run
    reads heyoka's continuous output and agrees with the GBS run at the requested tolerance."""
    model = Model(np.eye(2), np.array([1.0, -0.5]))
    s0 = balanced_gaussian_state(4, 2, lam=1e-20, seed=1, precision=30)
    h = solve_flow(model, s0, 200.0, precision=30, rtol=1e-22)
    g = solve_flow(model, s0, 200.0, precision=30, rtol=1e-22, backend="gbs")
    assert getattr(h, "backend", "gbs") == "heyoka" and getattr(g, "backend", "gbs") == "gbs"
    assert getattr(solve_flow(model, balanced_gaussian_state(4, 2, lam=1e-3), 1.0), "backend", "gbs") == "gbs"
    for tt in (50.0, 123.4, 199.0):
        a, b = h.at(tt), g.at(tt)
        assert max(abs(x - y) for x, y in zip(a.V.ravel(), b.V.ravel())) < 1e-18
        assert max(abs(x - y) for x, y in zip(a.r, b.r)) < 1e-18


def test_progress_bar_reports_flow_time_and_events():
    """Item 8: the bar shows the flow time reached and the events so far (forced on, into a buffer)."""
    import io

    from numerics.flows.progress import FlowProgress
    buf = io.StringIO()
    model, s0 = _random_problem(10, lam=1e-3)
    bar = FlowProgress(0.0, 20.0, delay=0.0, file=buf)
    bar.last = -1e9  # no rate limit for the test
    orig = bar.update

    def update(t, nevents):
        bar.last = -1e9
        orig(t, nevents)
    bar.update = update
    tr = solve_flow(model, s0, 20.0, progress=bar)
    out = buf.getvalue()
    assert tr.status == 0 and "events" in out and "/ 20" in out
    # off by default when stderr is not a terminal (pytest captures it)
    assert solve_flow(model, s0, 1.0).status == 0
