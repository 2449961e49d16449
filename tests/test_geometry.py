"""Tests of numerics.geometry: G and its exact extrema, min-norm D at kinks, extremal vectors, cone constants.

Exact references are computed here with sympy from the (rational) data, never copied from the code's output.
"""

import numpy as np
import pytest
import sympy as sp

from numerics import datasets as D
from numerics import geometry as geo
from theory.papers.boursier2024 import datasets as boursier2024_datasets
from theory.papers.lyu2021 import datasets as lyu2021_datasets
from theory.papers.min2024 import datasets as min2024_datasets
from theory.papers.tsoy2024 import datasets as tsoy2024_datasets
from theory.papers.boursier2022 import datasets as boursier2022_datasets

R = sp.Rational


def circle(N=200_000):
    t = np.linspace(0.0, 2 * np.pi, N, endpoint=False)
    return np.stack([np.cos(t), np.sin(t)], axis=1)


def fibonacci_sphere(N=200_000):
    i = np.arange(N) + 0.5
    phi = np.arccos(1 - 2 * i / N)
    theta = np.pi * (1 + 5 ** 0.5) * i
    return np.stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi), np.cos(phi)], axis=1)


def lipschitz(X, y, loss="square", reduction="mean"):
    """A Lipschitz constant of G on the sphere: sum_k |c_k| ||x_k||."""
    c = -geo.loss_slopes(y, None, loss) / (len(y) if reduction == "mean" else 1)
    return float(np.abs(c) @ np.linalg.norm(X, axis=1))


def sym_matrix(rows):
    return sp.Matrix([[sp.nsimplify(v) for v in row] for row in rows])


# --------------------------------------------------------------------------- G, patterns


def test_G_is_the_papers_formula_for_both_losses():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((7, 3))
    y = np.sign(rng.standard_normal(7))
    W = rng.standard_normal((5, 3))
    for gamma in (0.0, 0.3):
        s = np.maximum(W @ X.T, gamma * (W @ X.T))
        np.testing.assert_allclose(geo.G(W, X, y, gamma=gamma), s @ y / 7, rtol=1e-14)  # (1/n) sum y sigma
        np.testing.assert_allclose(geo.G(W, X, y, gamma=gamma, loss="logistic"), s @ y / 14, rtol=1e-14)  # 1/(2n)
        np.testing.assert_allclose(geo.G(W, X, y, gamma=gamma, reduction="sum"), s @ y, rtol=1e-14)


def test_activation_and_sign_pattern():
    X = np.array([[1.0, 0.3], [-0.4, 1.0], [0.0, 1.0]])
    w = np.array([1.0, 0.4])  # exactly orthogonal to x_2
    assert geo.activation(w, X).tolist() == [True, False, True]
    assert geo.sign_pattern(w, X).tolist() == [1, 0, 1]
    assert geo.sign_pattern(-w, X).tolist() == [-1, 0, -1]
    W = np.stack([w, -w])
    assert geo.activation(W, X).shape == (2, 3)


def test_faces_in_2d_are_2n_sectors_and_2n_rays_and_cover_the_circle():
    ds = boursier2024_datasets.ds_g()
    faces = geo.activation_faces(ds.X)
    sectors = [f for f in faces if f.dim == 2]
    rays = [f for f in faces if f.dim == 1]
    assert len(sectors) == 2 * ds.n and len(rays) == 2 * ds.n  # boursier2024 E07
    for f in faces:  # each representative point has its pattern
        assert np.array_equal(geo.sign_pattern(f.point, ds.X, 1e-9), f.pattern)
    seen = {p.tobytes() for p in geo.sign_pattern(circle(20_000), ds.X)}
    assert seen <= {f.pattern.tobytes() for f in faces}


def test_faces_in_3d_contain_every_sampled_pattern():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((7, 3))
    faces = geo.activation_faces(X)
    pats = {f.pattern.tobytes() for f in faces}
    sampled = {p.tobytes() for p in geo.sign_pattern(fibonacci_sphere(100_000), X)}
    assert sampled <= pats
    full = [f for f in faces if f.dim == 3]
    assert len(full) == len(sampled)  # every cell found, none invented (n generic planes in R^3: n(n-1)+2)
    assert len(full) == 7 * 6 + 2
    for f in faces:
        assert np.array_equal(geo.sign_pattern(f.point, X, 1e-9), f.pattern)


# --------------------------------------------------------------------------- exact extrema of G


CASES_2D = [
    ("DS-G", boursier2024_datasets.ds_g(), {}),
    ("DS-2N", boursier2024_datasets.ds_2n(), {}),
    ("DS-S6", boursier2024_datasets.ds_s6(), {}),
    ("stewart", boursier2024_datasets.stewart(n=40, seed=0), {}),
    ("lyu DS-S leaky logistic", lyu2021_datasets.ds_s(), {"gamma": 0.5, "loss": "logistic"}),
    ("DS-F", boursier2022_datasets.ds_f(), {}),
    ("mixed leaky", D.Dataset(np.random.default_rng(5).standard_normal((12, 2)),
                              np.random.default_rng(6).standard_normal(12), "mixed", "test"), {"gamma": 0.2}),
]


@pytest.mark.parametrize("label,ds,kw", CASES_2D, ids=[c[0] for c in CASES_2D])
def test_G_extrema_match_dense_sampling_on_the_circle(label, ds, kw):
    r = geo.G_extrema(ds.X, ds.y, **kw)
    W = circle()
    g = geo.G(W, ds.X, ds.y, **kw)
    step = lipschitz(ds.X, ds.y, kw.get("loss", "square")) * (2 * np.pi / len(W))
    assert r.max_value >= g.max() - 1e-12  # no sampled point beats the exact max
    assert r.max_value <= g.max() + step  # and it is within one grid cell of the samples
    assert r.min_value <= g.min() + 1e-12
    assert r.min_value >= g.min() - step
    np.testing.assert_allclose(geo.G(r.argmax, ds.X, ds.y, **kw), r.max_value, atol=1e-13)
    np.testing.assert_allclose(geo.G(r.argmin, ds.X, ds.y, **kw), r.min_value, atol=1e-13)
    np.testing.assert_allclose(np.linalg.norm(r.argmax, axis=1), 1.0, atol=1e-14)


def test_G_extrema_hand_derived_negative_maximum():
    # y all negative, data spanning both directions: G(w) = -(|w_1| + |w_2|)/4 < 0 everywhere on the circle
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    r = geo.G_extrema(X, -np.ones(4))
    assert r.max_value == pytest.approx(-0.25, abs=1e-15)
    assert r.min_value == pytest.approx(-np.sqrt(2) / 4, abs=1e-15)
    axes = {tuple(np.round(v, 12)) for v in r.argmax}
    assert axes == {(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)}
    assert len(r.argmin) == 4


def test_G_extrema_ds_p_closed_form():
    # boursier2024 DS-P(1/10): max G = ||D*|| = (4 + eta)/6 at D*/||D*|| = (0, 1); exact in sympy from the data
    eta = R(1, 10)
    Xs = sp.Matrix([[-(1 - eta), 1], [0, 1], [1 - eta, 1]])
    ys = sp.Matrix([1, eta / 2, 1])
    Dstar = (Xs.T * ys) / 3
    exact = sp.sqrt(Dstar.dot(Dstar))
    assert sp.simplify(exact - (4 + eta) / 6) == 0
    ds = boursier2024_datasets.three_point(0.1)
    r = geo.G_extrema(ds.X, ds.y)
    assert r.max_value == pytest.approx(float(exact), rel=1e-14)
    np.testing.assert_allclose(r.argmax, [[0.0, 1.0]], atol=1e-14)
    assert r.min_value == pytest.approx(0.0, abs=1e-15)  # the dead arc


def test_lyu2021_symmetric_G_is_linear_with_the_corrected_factor():
    # lyu2021 F1: under Assumption 4.1, G(w) = (1+alpha)/4 <w, mu> (not (1+alpha)/2); max G = (1+alpha)/4 ||mu||
    ds = lyu2021_datasets.ds_s()
    alpha = R(1, 2)
    P = sym_matrix(ds.X[:4])
    mu = (P.T * sp.ones(4, 1)) * 2 / 8  # (1/n) sum y_i x_i with the negatives contributing the same
    assert list(mu) == [R(29, 40), R(3, 40)]
    lam0 = (1 + alpha) / 4 * sp.sqrt(mu.dot(mu))
    assert sp.simplify(lam0 - 3 * sp.sqrt(34) / 64) == 0
    r = geo.G_extrema(ds.X, ds.y, gamma=0.5, loss="logistic")
    assert r.max_value == pytest.approx(float(lam0), rel=1e-14)
    assert r.min_value == pytest.approx(-float(lam0), rel=1e-14)
    np.testing.assert_allclose(r.argmax[0], np.array([29, 3]) / np.hypot(29, 3), atol=1e-14)
    W = np.random.default_rng(0).standard_normal((50, 2))
    g = geo.G(W, ds.X, ds.y, gamma=0.5, loss="logistic")
    np.testing.assert_allclose(g, 1.5 / 4 * W @ np.array([0.725, 0.075]), rtol=1e-13)
    assert not np.allclose(g, 1.5 / 2 * W @ np.array([0.725, 0.075]))  # the printed identity is off by 2


def test_tsoy2024_xor_extrema_are_the_cluster_axes():
    # D3(p): lambda = max G = G(e_1) = (p1 - p2)/8 (logistic), maximisers +-e_1, minimisers +-e_2
    ds = tsoy2024_datasets.xor_orbit((0.95, 0.05, 0.05))
    r = geo.G_extrema(ds.X, ds.y, loss="logistic")
    exact = (R(95, 100) - R(5, 100)) / 8
    assert r.max_value == pytest.approx(float(exact), rel=1e-14)
    assert r.min_value == pytest.approx(-float(exact), rel=1e-14)
    assert {tuple(np.round(v, 12)) for v in r.argmax} == {(1.0, 0.0, 0.0), (-1.0, 0.0, 0.0)}
    assert {tuple(np.round(v, 12)) for v in r.argmin} == {(0.0, 1.0, 0.0), (0.0, -1.0, 0.0)}


def test_G_extrema_3d_against_sphere_sampling_and_cone_projections():
    import cvxpy as cp

    rng = np.random.default_rng(11)
    X = rng.standard_normal((6, 3))
    y = rng.standard_normal(6)
    r = geo.G_extrema(X, y)
    S = fibonacci_sphere(200_000)
    g = geo.G(S, X, y)
    step = lipschitz(X, y) * 2 * np.sqrt(4 * np.pi / len(S))
    assert g.max() - 1e-12 <= r.max_value <= g.max() + step
    assert g.min() - step <= r.min_value <= g.min() + 1e-12
    # independent route: cells found by sampling, max over each closed cone of <D_u, w>, ||w|| <= 1 (SOCP)
    pats = np.unique(geo.sign_pattern(S, X), axis=0)
    c = y / 6
    best = -np.inf
    for u in pats:
        Du = (np.where(u > 0, 1.0, 0.0) * c) @ X
        w = cp.Variable(3)
        prob = cp.Problem(cp.Maximize(Du @ w), [cp.multiply(u.astype(float), X @ w) >= 0, cp.norm(w) <= 1])
        prob.solve(solver=cp.CLARABEL)
        assert prob.status == cp.OPTIMAL
        best = max(best, prob.value)
    assert best > 0
    assert r.max_value == pytest.approx(best, abs=1e-7)


def test_G_extrema_rank_deficient_embedding():
    ds = boursier2024_datasets.ds_g()
    X3 = np.hstack([ds.X, np.zeros((3, 1))])  # rank 2 in R^3: G = 0 on the e_3 axis
    r2 = geo.G_extrema(ds.X, ds.y)
    r3 = geo.G_extrema(X3, ds.y)
    assert r3.max_value == pytest.approx(r2.max_value, rel=1e-14)
    np.testing.assert_allclose(r3.argmax[0][:2], r2.argmax[0], atol=1e-12)
    assert r3.min_value == pytest.approx(0.0, abs=1e-15)


# --------------------------------------------------------------------------- D(w, theta) and its min-norm selection


def test_D_min_norm_at_a_kink_equals_sympy_and_beats_an_eta_grid():
    # boursier2024 DS-2N, w on the ray orthogonal to x_2: D = (1/2)(x_1 + eta x_2), eta in [0, 1]
    ds = boursier2024_datasets.ds_2n()
    w = np.array([1.0, 0.4])
    sel = geo.D_min_norm(w, ds.X, ds.y)
    x1, x2 = sp.Matrix([1, R(3, 10)]), sp.Matrix([R(-2, 5), 1])
    e = sp.symbols("e")
    Dsym = (x1 + e * x2) / 2
    e_star = sp.solve(sp.diff(Dsym.dot(Dsym), e), e)[0]
    assert e_star == R(5, 58)
    np.testing.assert_allclose(sel.D, [float(v) for v in Dsym.subs(e, e_star)], rtol=1e-14)
    assert sel.eta[1] == pytest.approx(float(e_star), rel=1e-13)
    grid = np.linspace(0, 1, 100_001)
    norms = np.linalg.norm(0.5 * (ds.X[0][None] + grid[:, None] * ds.X[1][None]), axis=1)
    assert np.linalg.norm(sel.D) <= norms.min() + 1e-15
    assert norms.min() - np.linalg.norm(sel.D) < 1e-9
    # the sigma'(0) = 0 selection (boursier2022 D_j^t) is another element of the set, not the min-norm one
    np.testing.assert_allclose(geo.D_vector(w, ds.X, ds.y), 0.5 * ds.X[0])
    assert np.linalg.norm(geo.D_vector(w, ds.X, ds.y)) > np.linalg.norm(sel.D) + 1e-3


@pytest.mark.parametrize("gamma", [0.0, 0.25])
def test_D_min_norm_two_kinks_and_theta_against_brute_force(gamma):
    rng = np.random.default_rng(7)
    X = rng.standard_normal((5, 3))
    y = rng.standard_normal(5)
    h = 0.3 * rng.standard_normal(5)  # theta != 0: ell'_k = h_k - y_k
    w = np.cross(X[0], X[1])  # <w, x_1> = <w, x_2> = 0
    sel = geo.D_min_norm(w, X, y, h, gamma=gamma, tol=1e-12)
    assert sel.pattern[0] == 0 and sel.pattern[1] == 0 and np.all(sel.pattern[2:] != 0)
    c = -(h - y) / 5
    base = sum((1.0 if sel.pattern[k] > 0 else gamma) * c[k] * X[k] for k in range(2, 5))
    g = np.linspace(gamma, 1, 1501)
    E1, E2 = np.meshgrid(g, g, indexing="ij")
    cand = base + E1[..., None] * c[0] * X[0] + E2[..., None] * c[1] * X[1]
    norms = np.linalg.norm(cand, axis=-1)
    assert np.linalg.norm(sel.D) <= norms.min() + 1e-14
    assert norms.min() - np.linalg.norm(sel.D) < 1e-5
    assert np.all((sel.eta[:2] >= gamma) & (sel.eta[:2] <= 1))
    # away from kinks the min-norm selection is the ordinary derivative
    w2 = w + 0.1 * X[0]
    np.testing.assert_allclose(geo.D_min_norm(w2, X, y, h, gamma=gamma).D,
                               geo.D_vector(w2, X, y, h, gamma=gamma), rtol=1e-14)


def test_D_min_norm_all_kinks_leaky_origin():
    # w = 0: every eta_k is free in [gamma, 1] (catalog 003 F26: D(0, 0) != 0 for leaky ReLU)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([1.0, 1.0, 1.0])
    sel = geo.D_min_norm(np.zeros(2), X, y, gamma=0.2)
    # all c_k > 0 and all x_k in the positive quadrant: the min-norm point takes eta = gamma everywhere
    np.testing.assert_allclose(sel.eta, 0.2)
    np.testing.assert_allclose(sel.D, 0.2 * (y / 3) @ X)
    assert np.all(geo.D_min_norm(np.zeros(2), X, y).D == 0)  # ReLU: 0 is in the set


# --------------------------------------------------------------------------- extremal vectors and constants


def test_extremal_vectors_of_ds_2n_exact():
    ds = boursier2024_datasets.ds_2n()
    ext = {tuple(e.pattern): e for e in geo.extremal_vectors(ds.X, ds.y)}
    x1, x2 = sp.Matrix([1, R(3, 10)]), sp.Matrix([R(-2, 5), 1])

    def minnorm(a, b):  # min over eta in [0, 1] of ||(a + eta b)/2||
        e = sp.Max(0, sp.Min(1, -a.dot(b) / b.dot(b)))
        return (a + e * b) / 2

    expected = {(1, 1): (x1 + x2) / 2, (1, -1): x1 / 2, (-1, 1): x2 / 2, (1, 0): minnorm(x1, x2),
                (0, 1): minnorm(x2, x1)}
    assert set(ext) == set(expected)  # five extremal vectors: three sector maxima, two rays (catalog 003)
    for u, v in expected.items():
        np.testing.assert_allclose(ext[u].D, [float(t) for t in v], rtol=1e-13)
        assert ext[u].sign == 1
    mirrored = geo.extremal_vectors(ds.X, -ds.y)
    assert len(mirrored) == 5 and all(e.sign == -1 for e in mirrored)
    # G at the extremal directions equals +-||D_u||
    for e in ext.values():
        assert geo.G(e.D / e.norm, ds.X, ds.y) == pytest.approx(e.norm, rel=1e-13)


def test_ds_g_has_the_single_extremal_vector_d_star():
    ds = boursier2024_datasets.ds_g()
    ext = geo.extremal_vectors(ds.X, ds.y)
    assert len(ext) == 1 and ext[0].pattern.tolist() == [1, 1, 1]
    Xs, ys = sym_matrix(ds.X), sp.Matrix([sp.nsimplify(v) for v in ds.y])
    np.testing.assert_allclose(ext[0].D, [float(v) for v in Xs.T * ys / 3], rtol=1e-14)


def test_cone_constants_ds_p_closed_forms():
    # catalog 003 DS-P(eta): D_max = (4+eta)/6, D_min = sqrt(1+s^2)/3, delta_0 = (4+eta)/(6 sqrt(1+s^2)),
    # alpha_min,+ = sqrt(1 - c^2), c = s(2+eta/2)/(sqrt(1+s^2) sqrt(s^2+(1+eta/2)^2)), alpha_min,- = 1
    for eta in (R(1, 10), R(1, 20), R(3, 20)):
        s = 1 - eta
        c = s * (2 + eta / 2) / (sp.sqrt(1 + s ** 2) * sp.sqrt(s ** 2 + (1 + eta / 2) ** 2))
        k = geo.cone_constants(*(lambda d: (d.X, d.y))(boursier2024_datasets.three_point(float(eta))))
        assert k.D_max == pytest.approx(float((4 + eta) / 6), rel=1e-13)
        assert k.D_min == pytest.approx(float(sp.sqrt(1 + s ** 2) / 3), rel=1e-13)
        assert k.delta0 == pytest.approx(float((4 + eta) / (6 * sp.sqrt(1 + s ** 2))), rel=1e-13)
        assert k.delta0_prime == np.inf  # the only extremal pattern (1,1,1) has no zero
        assert k.alpha_min_plus == pytest.approx(float(sp.sqrt(1 - c ** 2)), rel=1e-9)
        assert k.alpha_min_minus == 1.0 and k.alpha_min == k.alpha_min_plus
        assert k.n_extremal == 1


def test_cone_constants_ds_g_precheck_values():
    # catalog 003 DS-G (pre-checked, 6 digits): D_min = 0.472098, alpha_min,+ = 0.117944, delta_0 = 0.531749
    ds = boursier2024_datasets.ds_g()
    k = geo.cone_constants(ds.X, ds.y)
    assert k.D_max == pytest.approx(0.7271868, abs=5e-8)
    assert k.D_min == pytest.approx(0.472098, abs=5e-7)
    assert k.alpha_min_plus == pytest.approx(0.117944, abs=5e-7)
    assert k.delta0 == pytest.approx(0.531749, abs=5e-7)
    assert k.alpha_min_minus == 1.0


def test_delta0_prime_and_alpha_minus_readings_on_ds_2n():
    # DS-2N has extremal rays (zeros in u): delta_0' is finite and positive; both alpha_min,- readings computed
    ds = boursier2024_datasets.ds_2n()
    k = geo.cone_constants(ds.X, ds.y)
    assert 0 < k.delta0_prime < np.inf
    # ray (1, 0): Z_u = (1/2) x_2 (one column), eta = 5/58: sigma_min(Z) min(eta, 1 - eta) = (sqrt(1.16)/2)(5/58)
    ray10 = float(sp.sqrt(R(116, 100)) / 2 * R(5, 58))
    ray01 = float(sp.sqrt(R(109, 100)) / 2 * R(10, 109))
    assert k.delta0_prime == pytest.approx(min(ray10, ray01), rel=1e-12)
    assert 0 <= k.alpha_min_minus <= 1 and 0 <= k.alpha_min_minus_sym <= 1


def test_delta0_prime_uses_both_ends_of_the_box():
    # x_1 = (1, 0), x_2 = (-3/5, 4/5), y = (1, 1): on the ray orthogonal to x_2, eta = -<x_1,x_2>/||x_2||^2 = 3/5,
    # sigma_min(Z_u) = ||x_2||/2 = 1/2, so delta_0' = (1/2) min(3/5, 2/5) = 1/5 (the same on the other ray)
    x1, x2 = sp.Matrix([1, 0]), sp.Matrix([R(-3, 5), R(4, 5)])
    eta = -x1.dot(x2) / x2.dot(x2)
    exact = sp.sqrt(x2.dot(x2)) / 2 * sp.Min(eta, 1 - eta)
    assert exact == R(1, 5)
    k = geo.cone_constants(np.array([[1.0, 0.0], [-0.6, 0.8]]), np.ones(2))
    assert k.delta0_prime == pytest.approx(float(exact), rel=1e-13)


def test_alpha_min_minus_printed_index_set_is_degenerate():
    # catalog 003 F9: with the printed index set of alpha_min,- (same as alpha_min,+), a cone whose D_u lies in
    # -A^{-1}(u) enters, its min cos is -1, and alpha_min = 0 (lambda* = 0): mirrored DS-2N shows it
    ds = boursier2024_datasets.ds_2n(y=(-1.0, -1.0))
    k = geo.cone_constants(ds.X, ds.y)
    assert k.alpha_min_minus == 0.0 and k.alpha_min == 0.0
    assert k.alpha_min_minus_sym == 1.0  # the symmetric reading excludes those cones


def test_alpha_min_plus_literal_formula_on_ds_1d():
    # catalog 003 DS-1D (x = 1, y = -1): the only cone u = (1) has D_u = -1 in -A^{-1}(u), so it is in the
    # printed index set of alpha_min,+ with max cos = -1, and sqrt(1 - c^2) gives alpha_min,+ = 0 (lambda* = 0)
    k = geo.cone_constants(np.array([[1.0]]), np.array([-1.0]))
    assert k.alpha_min_plus == 0.0 and k.D_max == 1.0 and k.n_extremal == 1


def test_cone_max_cos_simple_cones():
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    # closed first quadrant, D in it: cos = 1; D = (1, -1): best w = (1, 0), cos = 1/sqrt(2)
    assert geo.cone_max_cos([1.0, 2.0], [1, 1], X) == pytest.approx(1.0)
    assert geo.cone_max_cos([1.0, -1.0], [1, 1], X) == pytest.approx(1 / np.sqrt(2))
    # D = (-1, -2) in the polar cone: the max is at the extreme ray e_1 (cos = -1/sqrt(5))
    assert geo.cone_max_cos([-1.0, -2.0], [1, 1], X) == pytest.approx(-1 / np.sqrt(5))
    # the ray {w_1 = 0, w_2 > 0}
    assert geo.cone_max_cos([1.0, 1.0], [0, 1], X) == pytest.approx(1 / np.sqrt(2))


# --------------------------------------------------------------------------- the papers' vectors


def test_boursier2022_D_plus_minus_ds_a_and_ds_b():
    ds = boursier2022_datasets.ds_a()
    dp, dm = geo.D_plus_minus(ds.X, ds.y)
    ys = sp.Matrix([1, R(6, 10), R(-5, 10), R(-3, 10)])
    Dp = sp.Matrix([max(v, 0) for v in ys]) / 4  # x_k = e_k
    Dm = sp.Matrix([min(v, 0) for v in ys]) / 4
    assert sp.simplify(sp.sqrt(Dp.dot(Dp)) - sp.sqrt(34) / 20) == 0  # the catalog closed form
    assert sp.simplify(sp.sqrt(Dm.dot(Dm)) - sp.sqrt(34) / 40) == 0
    np.testing.assert_allclose(dp, [float(v) for v in Dp], rtol=1e-15)
    np.testing.assert_allclose(dm, [float(v) for v in Dm], rtol=1e-15)
    assert np.linalg.norm(dp) == pytest.approx(float(sp.sqrt(34) / 20), rel=1e-15)
    dsr = boursier2022_datasets.ds_a(rotate=True)  # rotated variant: same norms
    dpr, dmr = geo.D_plus_minus(dsr.X, dsr.y)
    assert np.linalg.norm(dpr) == pytest.approx(np.linalg.norm(dp), rel=1e-14)
    b = boursier2022_datasets.ds_b()
    dp, dm = geo.D_plus_minus(b.X, b.y)
    assert np.linalg.norm(dp) == pytest.approx(float(sp.sqrt(5) / 2), rel=1e-15)
    assert np.linalg.norm(dm) == pytest.approx(float(sp.sqrt(5) / 4), rel=1e-15)


def test_min2024_mu_and_class_sums():
    ds = min2024_datasets.ds_a()
    Xs = sp.Matrix([[1, 0], [R(24, 25), R(7, 25)], [R(-4, 5), R(-3, 5)], [R(-3, 5), R(-4, 5)]])
    ys = [1, 1, -1, -1]
    U = [ys[i] * Xs.row(i) / sp.sqrt(Xs.row(i).dot(Xs.row(i))) for i in range(4)]
    mu_exact = min(U[i].dot(U[j]) for i in range(4) for j in range(4))
    assert mu_exact == R(3, 5)
    assert geo.mu_separation(ds.X, ds.y) == pytest.approx(0.6, rel=1e-15)
    xp, xm = geo.x_plus_minus(ds.X, ds.y)
    np.testing.assert_allclose(xp, [49 / 25, 7 / 25], rtol=1e-15)
    np.testing.assert_allclose(xm, [-7 / 5, -7 / 5], rtol=1e-15)
    assert np.linalg.norm(xp) == pytest.approx(float(7 * sp.sqrt(2) / 5), rel=1e-15)
    for delta in (0.3, 0.01):
        c = min2024_datasets.ds_c(delta)
        assert geo.mu_separation(c.X, c.y) == pytest.approx(np.sin(delta), rel=1e-12)


def test_lyu2021_transformed_inputs_and_mu_pm():
    ds = lyu2021_datasets.ds_h()
    mup, mum = geo.mu_pm(ds.X, ds.y, 0.5)
    np.testing.assert_allclose(mup, [71.8 / 7, 0.0], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(mum, [36.8 / 7, 0.0], rtol=1e-14, atol=1e-15)
    s = lyu2021_datasets.ds_s()
    mup, mum = geo.mu_pm(s.X, s.y, 0.5)  # symmetric data: mu^+ = mu^- = (1 + alpha)/2 mu
    np.testing.assert_allclose(mup, 0.75 * geo.mu_vector(s.X, s.y), rtol=1e-14)
    np.testing.assert_allclose(mum, mup, rtol=1e-14)
    Xp, Xm = geo.x_pm(s.X, s.y, 0.5)
    rng = np.random.default_rng(0)
    for _ in range(20):  # y phi(<w,x>) = y <w, x^+> on the separating cone (w* lies in it)
        w = np.array([28.0, -13.0]) + 0.5 * rng.standard_normal(2)
        if np.all(s.y * (s.X @ w) > 0):
            z = s.X @ w
            np.testing.assert_allclose(s.y * np.maximum(z, 0.5 * z), s.y * (Xp @ w), rtol=1e-14)


def test_data_cone_extreme_indices_and_regularity():
    assert geo.data_cone_extreme_indices(boursier2024_datasets.ds_g().X) == [0, 2]
    assert geo.data_cone_extreme_indices(boursier2024_datasets.three_point(0.1).X) == [0, 2]
    d3 = tsoy2024_datasets.xor_orbit((0.95, 0.05, 0.05))
    assert geo.regularity([1, 0, 0], d3.X) == pytest.approx(0.05)
    assert geo.regularity([1, 0, 1], d3.X) == pytest.approx(0.0, abs=1e-16)  # catalog 000 E14 negative example
