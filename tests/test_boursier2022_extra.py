"""boursier2022 Lemma 5 ball form and finding F-17 against the catalog (claims_004.md L5: adversarial ratio
0.29164 -> 2||D_-|| = 0.29155 on DS-A; the ball-radius witness at distance 0.4003 with L = 0.01125, which needs
lambda < 10^-4771 for eps = 0.02) and closed forms (DC-6)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from theory.papers.boursier2022 import ball, lemma13, phase3, probability
from theory.papers.boursier2022.common import ds_a_params, flow_core

DM = math.sqrt(0.34) / 4  # ||D_-|| on DS-A


def test_adversarial_ball_infimum_tends_to_two_Dminus():
    p = ds_a_params(0.05)
    r2 = ball.ball_search(p, 1e-2)["ratio"]
    r4 = ball.ball_search(p, 1e-4)["ratio"]
    assert r2 == pytest.approx(0.29164, abs=2e-4)       # catalog, rho_B = 1e-2
    assert r4 == pytest.approx(2 * DM, rel=1e-6)        # DC-6 limit
    assert r2 >= DM                                     # Lemma 5's bound holds with a factor 2 slack (F-18)


def test_drop_a_label_witness_matches_the_catalog():
    pts = ball.drop_label_points(ds_a_params(0.02))
    k3 = [q for q in pts if q["k"] == 3][0]
    assert k3["dist"] == pytest.approx(0.4003, abs=1e-4)
    assert k3["loss"] == pytest.approx(0.01125, rel=1e-12)       # y_4^2/(2n) = 0.09/8
    assert k3["grad2"] < 1e-28                                   # a critical point (sigma'(0) = 0)
    assert min(q["dist"] for q in pts) == k3["dist"]
    assert 240 / 0.02 * math.log10(k3["dist"]) == pytest.approx(-4771, abs=1)


@pytest.mark.parametrize("cell,expected", [((2, 2, 10), 0.53016), ((2, 2, 40), 0.99043), ((3, 1, 20), 0.72233),
                                           ((1, 1, 2), 0.12500)])
def test_dc8_closed_form_and_monte_carlo_match_the_catalog_table(cell, expected):
    assert float(probability.p_a3(*cell)) == pytest.approx(expected, abs=1e-5)
    mc = probability.monte_carlo_a3(*cell, draws=20000, seed=1)
    assert mc == pytest.approx(expected, abs=0.015)   # > 4 standard errors at 2e4 draws


def test_dc8_mutant_without_the_sign_coin_is_far_off():
    # catalog A3 mutation
    assert float(probability.p_a3(2, 2, 10, extra_coin=False)) == pytest.approx(0.888, abs=1e-3)


@pytest.fixture(scope="module")
def run(fast_run):
    """The session's fast-tier run (tests/conftest.py)."""
    return fast_run


def _row(run, cid, prefix, label):
    ev = [e for e in run.by_claim(cid) if e.instance.startswith(prefix)][0]
    return [r for r in ev.grid if r["label"] == label][0]


def test_f12_ds_e_neurons_end_on_the_interpolating_direction(run):
    row = _row(run, "boursier2022.finding.F12", "DS-E", "λ=1e-16")
    # catalog F-12 [pre-checked]: neurons end along (0.44, 0.90) instead of D_+/||D_+|| = (0.89, 0.45), and the
    # norm gap to the min-norm value is 1.2e-4 at lambda = 1e-16
    d = row["info"]["final_direction_largest_S+1"]
    assert d[0] == pytest.approx(0.4472, abs=2e-3) and d[1] == pytest.approx(0.8944, abs=2e-3)
    assert float(row["lhs"]) == pytest.approx(0.8, abs=2e-3)   # cos between (1,2)/sqrt5 and (2,1)/sqrt5
    assert 0.5e-4 < row["info"]["norm2_gap"] < 2.5e-4
    assert row["status"] == "VIOLATED"
    # control: they end along the interpolating direction sum_{y_k > 0} (y_k/||x_k||^2) x_k = (1/4 (2,0,0) + (0,1,0)),
    # normalised here
    u = np.array([0.5, 1.0, 0.0]) / np.linalg.norm([0.5, 1.0, 0.0])
    assert float(np.dot(d, u)) == pytest.approx(1.0, abs=1e-5)
    assert row["control"]["status"] == "HOLDS" and float(row["control"]["lhs"]) >= 0.99


def test_ic3_ds_d_iv_limit_is_two_sum_abs_y(run):
    row = _row(run, "boursier2022.ic3", "DS-D(iv)", "λ=1e-8")
    assert float(row["lhs"]) == pytest.approx(4.6, abs=1e-6)            # catalog IC-3: 4.600000 = 2 sum |y_k|
    assert float(row["rhs"]) == pytest.approx(2 * (math.sqrt(1.64) + 0.5), rel=1e-12)   # 3.56125
    assert row["status"] == "HOLDS" and row["mutant"]["status"] == "VIOLATED"


def test_lemma13_set_and_the_printed_sign_of_condition_iv():
    p = ds_a_params(0.05)
    # corrected (-D_-): every sampled point of the set is far below eta^{1/2}
    for eta in (1e-2, 1e-4):
        assert lemma13.sample_max_loss(p, eta, n_samples=300)["loss"] <= math.sqrt(eta) / 5
    # printed (+D_-): S_{-,1} neurons inactive on the negative inputs, L >= ||y_-||^2/(2n) = 0.34/8 (F-8)
    Lp = lemma13.sample_max_loss(p, 1e-6, printed_sign=True, n_samples=300)["loss"]
    assert Lp == pytest.approx(0.34 / 8, rel=0.02) and Lp > math.sqrt(1e-6)


@pytest.mark.slow
def test_lemma4_literal_mode_matches_the_catalog():
    # catalog L4 literal mode [pre-checked]: DS-A, eps = 0.02, lambda = 1e-400: t_3 = 6302.08 (u_- trigger), others
    # 4.9e-58, S_{+,1} movement 6.8e-3 <= 0.293, S_- gap 2.8e-17 (below float64 resolution)
    P = phase3._phase3(flow_core(ds_a_params(0.02)), -400.0, 0.02)
    assert P["tight"]["t3"] == pytest.approx(6302.08, abs=0.05)
    assert P["tight"]["t2"] == pytest.approx(3161.05, abs=0.05)
    assert max(P["tight"]["move"]) == pytest.approx(6.8e-3, rel=0.05)
    assert math.exp(max(P["tight"]["log_nw_others"])) == pytest.approx(4.9e-58, rel=0.1)


def _f13(run, prefix):
    (ev,) = [e for e in run.by_claim("boursier2022.finding.F13") if e.instance.startswith(prefix)]
    return ev, ev.grid[0]


@pytest.mark.parametrize("prefix,order,status", [("DS-E, lambda = 1e-30", 2, "HOLDS"),
                                                 ("DS-E, lambda = 1e-8", 1, "VIOLATED"),
                                                 ("DS-A, lambda = 1e-8", 1, "VIOLATED")])
def test_f13_gd_limit_error_is_second_order_only_at_small_lambda(run, prefix, order, status):
    # the raw differences | ||theta_GD||^2 - ||theta_GF||^2 | for dt = 0.2, 0.1, 0.05, 0.025: halving dt divides them by
    # 2^order (catalog F-13: second order at small lambda on DS-E; first order at lambda = 1e-8, this finding)
    ev, row = _f13(run, prefix)
    diffs = [abs(v) for v in row["info"]["norm2_gd_minus_gf"]]
    ratios = [a / b for a, b in zip(diffs, diffs[1:])]
    assert all(r == pytest.approx(2 ** order, rel=0.1) for r in ratios), ratios
    # the claim's exponent is the last ratio's log2, recomputed here from the differences
    assert float(ev.lhs) == pytest.approx(math.log2(ratios[-1]), rel=1e-9)
    assert str(ev.status) == status
    # control (O(dt) at every lambda): the exponent over the whole range of steps, log(d_0.2/d_0.025)/log 8, is >= 1
    assert ev.control["status"] == "HOLDS"
    assert float(ev.control["lhs"]) == pytest.approx(math.log(diffs[0] / diffs[-1]) / math.log(8), rel=1e-9)
    assert float(ev.control["lhs"]) >= 1.0
