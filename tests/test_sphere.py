"""numerics.sphere: global extrema on the sphere against known answers (a quadratic form's top eigenvector, a
piecewise-linear function with its maximum at a kink)."""
import math

import numpy as np
import pytest

from numerics.sphere import angle_between, maximize_on_sphere, sphere_grid


def test_grids_are_on_the_sphere():
    for d in (2, 3, 5):
        G = sphere_grid(d, 500)
        assert np.allclose(np.linalg.norm(G, axis=1), 1.0)


def test_quadratic_form():
    A = np.diag([1.0, 4.0, -2.0])
    best = maximize_on_sphere(lambda V: np.einsum("ij,jk,ik->i", V, A, V), 3)
    assert best[0].value == pytest.approx(4.0, abs=1e-10)
    assert abs(abs(best[0].point[1]) - 1) < 1e-5


def test_kink_maximum():
    # f(v) = min(v_1, v_2) on the circle: maximum 1/sqrt(2) at 45 degrees, a kink
    best = maximize_on_sphere(lambda V: np.minimum(V[:, 0], V[:, 1]), 2)[0]
    assert best.value == pytest.approx(1 / math.sqrt(2), abs=1e-12)
    assert angle_between(best.point, [1, 1]) < 1e-8


def test_nearly_equal_antipodal_peaks_are_both_found():
    # two peaks of nearly equal height at 0 and pi: the best grid points all sit near the higher one
    f = lambda V: np.maximum(V[:, 0], -1.0001 * V[:, 0]) - np.abs(V[:, 1])
    peaks = maximize_on_sphere(f, 2, n_start=4)
    angles = sorted(round(math.degrees(math.atan2(p.point[1], p.point[0])) % 360, 6) for p in peaks[:2])
    assert angles == [0.0, 180.0]
