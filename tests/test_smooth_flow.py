"""numerics.smooth_flow: the smooth-activation gradient flow against independent values: the closed form of the
linearised flow inside the activation region of a regular extremum (catalog claims_000 §1.3: tan(alpha/2) =
tan(alpha_0/2) e^{-lambda t}, u(t) = u_0 e^{lambda t} (1 + tan^2(alpha_0/2) e^{-2 lambda t})/(1 + tan^2(alpha_0/2))),
the conservation of u_j^2 - ||v_j||^2 (Du et al. 2018) along the full flow, a separate numpy Euler integration of
the same field, and the xi = 0 hand-off to the kink-aware engine."""
import math

import numpy as np
import pytest

from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from numerics.smooth_relu import SmoothReLU


def d3a():
    from itertools import product
    s = np.array(list(product((1.0, -1.0), repeat=3)))
    pos = s * np.array([0.95, 0.05, 0.05])
    neg = s * np.array([0.05, 0.95, 0.05])
    return np.vstack([pos, neg]), np.r_[np.ones(8), -np.ones(8)]


@pytest.mark.parametrize("xi", [0.01, 0.0])
def test_linearised_closed_form(xi):
    X, y = d3a()
    lam = 0.1125                       # (p1 - p2)/8, catalog §1.2
    a0 = math.radians(30)
    v0 = np.array([[math.cos(a0), 0.0, math.sin(a0)]])
    r0, Q0 = polar_from_cartesian([1.0], v0)
    ts = np.array([0.0, 5.0, 20.0, 60.0])
    res = smooth_flow(X, y, SmoothReLU(xi, 3), r0, Q0, ts, linearized=True, rtol=1e-12)
    for k, t in enumerate(ts):
        vh = res.direction(k)[0]
        alpha = math.atan2(math.hypot(vh[1], vh[2]), vh[0])
        assert math.tan(alpha / 2) == pytest.approx(math.tan(a0 / 2) * math.exp(-lam * t), rel=1e-9)
        t2 = math.tan(a0 / 2) ** 2
        u = math.exp(lam * t) * (1 + t2 * math.exp(-2 * lam * t)) / (1 + t2)
        assert res.u(k)[0] == pytest.approx(u, rel=1e-9)
    # u* = lim u e^{-lambda t} = u_0 cos^2(alpha_0/2)
    assert res.u(-1)[0] * math.exp(-lam * ts[-1]) == pytest.approx(math.cos(a0 / 2) ** 2, rel=2e-6)


def test_scale_equivariance_of_the_linearised_system():
    X, y = d3a()
    rng = np.random.default_rng(1)
    V = rng.standard_normal((6, 3))
    u = rng.choice([-1.0, 1.0], 6) * np.linalg.norm(V, axis=1)
    r0, Q0 = polar_from_cartesian(u, V)
    ts = np.array([0.0, 30.0])
    act = SmoothReLU(0.05, 3)
    a = smooth_flow(X, y, act, r0, Q0, ts, linearized=True)
    b = smooth_flow(X, y, act, r0 + math.log(1e-300), Q0, ts, linearized=True)
    assert np.max(np.abs((b.r[-1] - math.log(1e-300)) - a.r[-1])) < 1e-9
    assert np.max(np.abs(b.Q[-1] - a.Q[-1])) < 1e-9
    # at scale 1e-300 the full flow is the linearised one (outputs underflow)
    c = smooth_flow(X, y, act, r0 + math.log(1e-300), Q0, ts)
    assert np.max(np.abs(c.Q[-1] - b.Q[-1])) < 1e-12


def test_full_flow_conserves_balance_and_matches_an_independent_euler():
    X, y = d3a()
    rng = np.random.default_rng(0)
    m = 8
    V = rng.standard_normal((m, 3)) * 0.3
    u = rng.choice([-1.0, 1.0], m) * np.linalg.norm(V, axis=1)
    act = SmoothReLU(0.05, 3)
    r0, Q0 = polar_from_cartesian(u, V)
    T = 40.0
    res = smooth_flow(X, y, act, r0, Q0, np.array([0.0, T]), rtol=1e-12)
    uT, VT = res.u(-1), res.V(-1)
    assert np.max(np.abs(uT ** 2 - np.sum(VT ** 2, axis=1))) < 1e-9 * max(1.0, np.max(uT ** 2))
    assert np.all(np.sign(uT) == np.sign(u))
    # independent cartesian RK4 in numpy with the explicit formulas of tsoy2024 Eq. (1)
    n = len(y)

    def field(uu, VV):
        f = uu @ act.values(VV, X)
        w = y / (1 + np.exp(y * f)) / n                     # (-ell'(f y)) y / n
        du = act.values(VV, X) @ w
        dV = uu[:, None] * act.grad_contract(VV, X, w)
        return du, dV

    uu, VV = u.copy(), V.copy()
    h = 0.01
    for _ in range(int(T / h)):
        k1 = field(uu, VV)
        k2 = field(uu + h / 2 * k1[0], VV + h / 2 * k1[1])
        k3 = field(uu + h / 2 * k2[0], VV + h / 2 * k2[1])
        k4 = field(uu + h * k3[0], VV + h * k3[1])
        uu = uu + h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        VV = VV + h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    assert np.max(np.abs(uu - uT)) < 1e-7
    assert np.max(np.abs(VV - VT)) < 1e-7


def test_relu_hand_off_uses_the_kink_engine():
    X, y = d3a()
    v0 = np.array([[0.3, 0.2, 0.9], [0.1, -0.8, 0.2]])
    r0, Q0 = polar_from_cartesian([0.5, -0.6], v0 * np.array([[0.5 / np.linalg.norm(v0[0])],
                                                             [0.6 / np.linalg.norm(v0[1])]]))
    res = smooth_flow(X, y, SmoothReLU(0.0, 3), r0, Q0, np.array([0.0, 30.0]))
    assert "Filippov" in res.info["method"]
    assert abs(res.balance(-1)).max() < 1e-9
