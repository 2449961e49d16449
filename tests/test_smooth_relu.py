"""numerics.smooth_relu (tsoy2024 Prop. B.2): the closed forms against the catalog's independent formulas (claims_000
§1.3, E06, E08), Monte Carlo of the defining integral with an interval, Euler's identity, the Hessian against finite
differences of the gradient, C^2 but not C^3 at the band edges, and the ReLU at xi = 0."""
import math

import numpy as np
import pytest

from numerics.smooth_relu import SmoothReLU, kappa_vol, phi_monte_carlo


def test_volume_ratio():
    assert kappa_vol(3) == pytest.approx(0.75, abs=1e-15)
    assert kappa_vol(5) == pytest.approx(15 / 16, abs=1e-15)
    assert kappa_vol(2) == pytest.approx(2 / math.pi, abs=1e-15)


@pytest.mark.parametrize("d,formula", [
    (3, lambda c: (1 + c) ** 3 * (3 - c) / 16),                      # catalog §1.3
    (5, lambda c: (1 + c) ** 4 * (c * c - 4 * c + 5) / 32),           # catalog §1.3
    (2, lambda c: ((2 + c * c) * np.sqrt(1 - c * c) / 3 + c * (np.pi / 2 + np.arcsin(c))) / np.pi),  # catalog E08
])
def test_profile_matches_catalog(d, formula):
    c = np.linspace(-1, 1, 41)
    assert np.max(np.abs(SmoothReLU(0.1, d).shape(c) - formula(c))) < 1e-14


@pytest.mark.parametrize("d", [3, 5])
def test_monte_carlo_of_the_defining_integral(d):
    rng = np.random.default_rng(7)
    act = SmoothReLU(0.3, d)
    for _ in range(3):
        v = rng.standard_normal(d) * 2
        x = rng.standard_normal(d)
        x *= 0.2 / np.linalg.norm(x)           # inside the band for most z: the smoothing matters
        mean, se = phi_monte_carlo(v, x, 0.3, 400_000, seed=int(rng.integers(1 << 30)))
        val = float(act.values(v, x)[0, 0])
        assert abs(val - mean) < 4.5 * se, (val, mean, se)
        assert se < 0.01 * val


def test_euler_identity_and_homogeneity():
    rng = np.random.default_rng(3)
    for d in (3, 5, 4):
        act = SmoothReLU(0.05, d)
        V = rng.standard_normal((30, d))
        X = rng.standard_normal((20, d)) * 0.05
        P = act.values(V, X)
        Gr = act.grad(V, X)
        assert np.max(np.abs(np.einsum("jd,jkd->jk", V, Gr) - P)) < 1e-14
        assert np.max(np.abs(act.values(3.7 * V, X) - 3.7 * P)) < 1e-13
        # the contraction agrees with the full gradient
        C = rng.standard_normal(20)
        assert np.max(np.abs(act.grad_contract(V, X, C) - np.einsum("k,jkd->jd", C, Gr))) < 1e-14


def test_hessian_against_finite_differences_and_the_printed_typo():
    act = SmoothReLU(0.1, 3)
    x = np.array([0.05, 0.02, -0.01])
    for v in (np.array([0.6, -0.2, 0.77]) / np.linalg.norm([0.6, -0.2, 0.77]), np.array([0.6, -0.4, 1.5])):
        e = 1e-6
        H = np.array([(act.grad(v + e * u, x)[0, 0] - act.grad(v - e * u, x)[0, 0]) / (2 * e) for u in np.eye(3)])
        assert np.max(np.abs(H - act.hessian(v, x))) < 1e-8
        assert np.max(np.abs(act.hessian(v, x) @ v)) < 1e-14       # annihilates v (1-homogeneity)
        nv = np.linalg.norm(v)
        gap = np.max(np.abs(H - act.hessian_printed(v, x)))
        assert (gap < 1e-8) if abs(nv - 1) < 1e-12 else (gap > 1e-3)  # F8: right on the sphere only


def test_c2_not_c3_at_the_band_edges():
    act = SmoothReLU(1.0, 3)
    # phi/(xi||v||) as a function of c: (1+c)^3(3-c)/16 inside, c beyond 1, 0 below -1
    for c0, outside_val, outside_slope in ((1.0, 1.0, 1.0), (-1.0, 0.0, 0.0)):
        h = 1e-4
        f = lambda c: float(act.shape(np.array(c)))
        assert f(c0) == pytest.approx(outside_val, abs=1e-15)
        assert (f(c0) - f(c0 - np.sign(c0) * h)) / h == pytest.approx(outside_slope, abs=1e-3)
        d2 = (f(c0) - 2 * f(c0 - np.sign(c0) * h) + f(c0 - 2 * np.sign(c0) * h)) / h ** 2
        assert abs(d2) < 1e-3                                       # second derivative -> 0 (C^2)
    # third derivative of (1+c)^3(3-c)/16 at c = 1: d^3/dc^3 = (6*(3-c)... ) -> -3/2 != 0 (not C^3)
    c = np.array([1 - 3e-3, 1 - 2e-3, 1 - 1e-3, 1.0])
    f = act.shape(c)
    d3 = (f[3] - 3 * f[2] + 3 * f[1] - f[0]) / 1e-9
    assert d3 == pytest.approx(-1.5, abs=0.02)


def test_relu_at_xi_zero():
    act = SmoothReLU(0.0, 3)
    rng = np.random.default_rng(0)
    V = rng.standard_normal((5, 3))
    X = rng.standard_normal((7, 3))
    Z = V @ X.T
    assert np.array_equal(act.values(V, X), np.maximum(Z, 0))
    assert np.array_equal(act.grad(V, X), (Z > 0)[:, :, None] * X[None])
    # and xi -> 0 converges to it
    small = SmoothReLU(1e-9, 3)
    assert np.max(np.abs(small.values(V, X) - np.maximum(Z, 0))) < 1e-9


def test_outside_the_band_is_the_relu():
    act = SmoothReLU(0.02, 3)
    v = np.array([1.0, 0.0, 0.0])
    X = np.array([[0.5, 0.1, 0.0], [-0.5, 0.3, 0.1], [0.01, 0.0, 0.0]])
    P = act.values(v, X)[0]
    assert P[0] == 0.5 and P[1] == 0.0
    assert P[2] == pytest.approx(0.02 * (1 + 0.5) ** 3 * (3 - 0.5) / 16, rel=1e-14)


def test_mpmath_value_agrees():
    act = SmoothReLU(0.1, 5)
    v, x = [0.3, -0.2, 0.5, 0.1, 0.0], [0.02, 0.02, 0.01, -0.03, 0.0]
    assert float(act.value_mp(v, x)) == pytest.approx(float(act.values(v, x)[0, 0]), rel=1e-13)
    act4 = SmoothReLU(0.1, 4)
    assert float(act4.value_mp(v[:4], x[:4], dps=30)) == pytest.approx(float(act4.values(v[:4], x[:4])[0, 0]),
                                                                        rel=1e-12)
