"""numerics.directional (the exact eps -> 0 directional flow in the plane) against independent answers: the gradient
flow engine in log-polar coordinates at ln eps = -10^4 (where the output underflows and the flow IS the directional
flow), the closed form of one region (tan(psi/2) decays like e^{-|c| t}), and the catalog's I-A8 event table (min2024
catalog §1.1, computed there by RK4 on the reduced system)."""
import math

import numpy as np
import pytest

from numerics.directional import boundary_angles, directional_flow_2d
from numerics.flows import PolarState, solve_flow
from numerics.network import Model

DSA_X = np.array([[1.0, 0.0], [24 / 25, 7 / 25], [-4 / 5, -3 / 5], [-3 / 5, -4 / 5]])
DSA_Y = np.array([1.0, 1.0, -1.0, -1.0])
IA8 = [(100, 1), (135, 1), (180, 1), (265, 1), (300, 1), (60, -1), (115, -1), (280, -1), (320, -1)]


def _engine_events(X, y, angles, signs, T):
    a = np.deg2rad(angles)
    V = np.stack([signs, np.cos(a), np.sin(a)], axis=1) / math.sqrt(2)
    st = PolarState(np.full(len(a), -1e4), V)
    tr = solve_flow(Model(X, y, loss="exponential", reduction="sum"), st, T, rtol=1e-12, kink="convention")
    assert tr.status == 0
    return tr


def test_matches_the_engine_at_vanishing_eps():
    tr = _engine_events(DSA_X, DSA_Y, [a for a, _ in IA8], np.array([s for _, s in IA8], float), 3.0)
    for j, (ang, s) in enumerate(IA8):
        path = directional_flow_2d(DSA_X, DSA_Y, s, math.radians(ang))
        ev = [float(e.t) for e in tr.events if e.j == j]
        assert len(ev) == len(path.times) - 1, (ang, ev, path.times)
        np.testing.assert_allclose(path.times[1:], ev, rtol=1e-8, atol=1e-10)


def test_catalog_event_table_of_ia8():
    # catalog §1.1 (RK4 dt = 1e-3): times to the printed 3 decimals, up to one step
    expect = {100: [0.179], 135: [0.143], 180: [0.374, 0.661], 265: [0.066, 0.177, 0.273, 0.384],
              300: [0.033, 0.143], 60: [0.293, 0.581], 115: [], 280: [0.070], 320: [0.089, 0.185, 0.296]}
    fates = {100: "S+", 135: "dead", 180: "dead", 265: "S+", 300: "S+", 60: "dead", 115: "dead", 280: "S-",
             320: "S-"}
    for ang, s in IA8:
        p = directional_flow_2d(DSA_X, DSA_Y, s, math.radians(ang))
        np.testing.assert_allclose(p.times[1:], expect[ang], atol=1.5e-3)
        last = p.patterns[-1]
        fate = "dead" if not last.any() else ("S+" if np.array_equal(last, DSA_Y > 0) else "S-")
        assert fate == fates[ang], ang


def test_one_region_closed_form():
    # one datum x = (2, 0), y = 1, s = 1 from 60 deg: stays in the region, tan(th/2) = tan(30 deg) e^{-2 t}
    X, y = np.array([[2.0, 0.0]]), np.array([1.0])
    p = directional_flow_2d(X, y, 1.0, math.radians(60))
    assert p.final == "converges" and p.limit_angle == pytest.approx(0.0)
    # from 120 deg the neuron is dead (<x, u> < 0): constant
    assert directional_flow_2d(X, y, 1.0, math.radians(120)).final == "dead"
    # s = -1 from 60 deg: repelled to the boundary at 90 deg, reached when tan(pi/4)/tan(pi/6) = e^{2 t}
    q = directional_flow_2d(X, y, -1.0, math.radians(60))
    assert q.final == "dead" and q.times[-1] == pytest.approx(math.log(1 / math.tan(math.pi / 6)) / 2, rel=1e-12)


def test_boundary_angles():
    np.testing.assert_allclose(boundary_angles(np.array([[1.0, 0.0]])), [math.pi / 2, 3 * math.pi / 2])
