"""boursier2022 long-time claims (theory/papers/boursier2022/: theorem1, phase2, phase3, prop1, lemma6, prop2,
closed_forms) against the catalog's pre-checked numbers (claims_004.md: DC-2, DC-4, DC-5, L3 mutation (a), F1
"Expected", F-1 witness, P1, P2, L14, L16), which were computed by an independent scratch integrator: never the
checker's own output.

Runs the fast tier of these claims through the shared test cache (same key as test_mutants, so the work is
done once per code version).
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from theory.claims import Status

IDS = ["boursier2022.theorem1", "boursier2022.theorem1.value", "boursier2022.theorem1.rate", "boursier2022.prop1",
       "boursier2022.prop1.kkt", "boursier2022.lemma3.time", "boursier2022.lemma3.iii", "boursier2022.finding.F1",
       "boursier2022.fact1", "boursier2022.lemma4.time", "boursier2022.lemma6", "boursier2022.prop2",
       "boursier2022.lemma14", "boursier2022.lemma16", "boursier2022.lemma5", "boursier2022.theorem2.rate"]


@pytest.fixture(scope="module")
def run(fast_run):
    """The session's fast-tier run (tests/conftest.py)."""
    return fast_run


def _ev(run, cid, prefix):
    return [e for e in run.by_claim(cid) if e.instance.startswith(prefix)][0]


def _row(run, cid, prefix, label):
    return {r["label"]: r for r in _ev(run, cid, prefix).grid}[label]


def _f(v):
    return float(mpmath.mpf(v)) if isinstance(v, str) else float(v)


def test_theorem1_distance_rate_and_limit_objects(run):
    # catalog DC-2: ||theta^inf - theta*|| = 8.70e-3 (1e-16), 4.57e-5 (1e-32); DC-5 slope 0.1425, gamma = 0.142507;
    # K_+ = 17.390239, K_- = 6.555574 (DS-A seed 0)
    r16 = _row(run, "boursier2022.theorem1", "DS-A", "λ=1e-16")
    r32 = _row(run, "boursier2022.theorem1", "DS-A", "λ=1e-32")
    assert r16["info"]["dist_theta_star"] == pytest.approx(8.70e-3, rel=0.02)
    assert r32["info"]["dist_theta_star"] == pytest.approx(4.57e-5, rel=0.02)
    assert r32["info"]["K_plus"] == pytest.approx(17.390239, rel=1e-5)
    assert r32["info"]["K_minus"] == pytest.approx(6.555574, rel=1e-5)
    assert r32["info"]["gamma_DC5"] == pytest.approx(1 - 5 / math.sqrt(34), abs=1e-9)
    assert _f(r32["lhs"]) == pytest.approx(0.1425, abs=1e-3)
    ev = _ev(run, "boursier2022.theorem1.rate", "DS-A")
    assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"
    # the top row's exponent is taken against sqrt(lambda) = 1e-2 (no longer a copy of the 1e-8 row)
    rows = {r["label"]: r for r in _ev(run, "boursier2022.theorem1", "DS-A").grid}
    assert rows["λ=1e-4"]["witness"]["lambda_pair"] == "1e-4 / 1e-2"
    assert rows["λ=1e-8"]["witness"]["lambda_pair"] == "1e-8 / 1e-4"
    assert not any(r.get("duplicate_of") for r in rows.values())
    # the exponent is the decay of the distance between consecutive lambdas, recomputed here from the distances
    d8, d4 = rows["λ=1e-8"]["info"]["dist_theta_star"], rows["λ=1e-4"]["info"]["dist_theta_star"]
    assert _f(rows["λ=1e-8"]["lhs"]) == pytest.approx((math.log10(d8) - math.log10(d4)) / -4, rel=1e-9)
    # Prop. 1 closed form = convex optimum = 3 sqrt(34)/10
    assert r32["info"]["min_prop1"] == pytest.approx(3 * math.sqrt(34) / 10, rel=1e-12)
    assert r32["info"]["min_cvx"] == pytest.approx(3 * math.sqrt(34) / 10, rel=1e-6)
    # the flow's 1/2||theta||^2 approaches it
    assert r32["info"]["half_norm2_flow"] == pytest.approx(3 * math.sqrt(34) / 10, abs=1e-6)
    # the equal-split interpolator's distance stalls (catalog L12 mutation: 0.627 on DS-A seed 0)
    assert r32["info"]["dist_equal_split"] == pytest.approx(0.627, abs=0.01)


def test_theorem1_value_is_the_norm_excess_decaying_like_the_squared_distance(run):
    # G = 1/2||theta||^2 - (||h_+|| + ||h_-||) >= 0 vanishes like ||theta - theta*||^2, i.e. like lambda^{2 gamma}
    # (DC-5: gamma = 1 - 5/sqrt(34) on DS-A); at 1e-32 G ~ 1.5e-10 is resolved (it was -4e-9 +- 1.5e-7 as
    # 1/2||theta||^2 - min, dominated by the residual h - y)
    gamma = 1 - 5 / math.sqrt(34)
    ev = _ev(run, "boursier2022.theorem1.value", "DS-A")
    assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"
    r32 = _row(run, "boursier2022.theorem1.value", "DS-A", "λ=1e-32")
    assert r32["status"] == "HOLDS" and _f(r32["lhs"]) == pytest.approx(2 * gamma, rel=2e-3)
    G32, G16 = r32["info"]["norm_excess_G"], _row(run, "boursier2022.theorem1.value", "DS-A", "λ=1e-16")["info"][
        "norm_excess_G"]
    assert 0 < r32["info"]["norm_excess_err"] < 1e-3 * G32
    # G scales like the squared distance: G / dist^2 is the same constant at 1e-16 and 1e-32
    t32 = _row(run, "boursier2022.theorem1", "DS-A", "λ=1e-32")["info"]["dist_theta_star"]
    t16 = _row(run, "boursier2022.theorem1", "DS-A", "λ=1e-16")["info"]["dist_theta_star"]
    assert G32 / t32 ** 2 == pytest.approx(G16 / t16 ** 2, rel=0.02)
    # and it agrees with 1/2||theta||^2 - 3 sqrt(34)/10 where the residual is negligible (1e-16)
    assert G16 == pytest.approx(_row(run, "boursier2022.theorem1.value", "DS-A", "λ=1e-16")["info"][
        "half_norm2_minus_prop1"], rel=1e-3)


def test_phase_times_match_dc4_and_the_l3_mutation(run):
    r = _row(run, "boursier2022.lemma3.time", "DS-A", "λ=1e-32")
    assert _f(r["lhs"]) == pytest.approx(248.7, abs=0.1)                    # catalog L3 mutation (a)
    assert _f(r["mutant"]["rhs"]) == pytest.approx(214.8, abs=0.1)
    # DC-4 table (delta = 1e-2): catalog measured 256.246 / 511.061, predicted 256.242 / 511.046 at lambda = 1e-32
    # (this engine lands closer to the prediction on the negative block: 511.046; the catalog's scratch
    # measurement differs from it by 0.015)
    assert r["info"]["hit_1e-2_plus"] == pytest.approx(256.246, abs=0.01)
    assert r["info"]["hit_1e-2_minus"] == pytest.approx(511.061, abs=0.02)
    assert r["info"]["hit_1e-2_minus"] == pytest.approx(r["info"]["pred_DC4_1e-2_minus"], abs=0.02)
    assert r["info"]["pred_DC4_1e-2_plus"] == pytest.approx(256.242, abs=0.005)
    assert r["info"]["pred_DC4_1e-2_minus"] == pytest.approx(511.046, abs=0.005)
    r = _row(run, "boursier2022.lemma3.time", "DS-A", "λ=1e-16")
    assert r["info"]["hit_1e-2_plus"] == pytest.approx(129.885, abs=0.01)
    assert r["info"]["hit_1e-2_minus"] == pytest.approx(258.329, abs=0.02)
    # Lemma 4 is vacuous on DS-A at eps = 0.05 for these lambdas, non-vacuous on DS-C where its mutant fails
    assert "yes" in _row(run, "boursier2022.lemma4.time", "DS-A", "λ=1e-32")["witness"]["vacuous"]
    ev = _ev(run, "boursier2022.lemma4.time", "DS-C")
    assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"


def test_fact1_catalog_values(run):
    # catalog F1 Expected (DS-A, eps = 0.05): 0.870 > 0.832 at 1e-8; 0.506 at 1e-16; 9.0e-2 at 1e-32
    for lab, v, st in (("λ=1e-8", 0.870, "VIOLATED"), ("λ=1e-16", 0.506, "HOLDS"), ("λ=1e-32", 9.0e-2, "HOLDS")):
        r = _row(run, "boursier2022.fact1", "DS-A", lab)
        assert _f(r["lhs"]) == pytest.approx(v, rel=0.02) and r["status"] == st, lab
    ev = _ev(run, "boursier2022.fact1", "DS-A")
    assert ev.status == Status.HOLDS and ev.threshold["label"] == "λ=1e-16"
    r = _row(run, "boursier2022.fact1", "DS-A", "λ=1e-32")
    assert r["info"]["plateau ||y_-||^2/(2n)"] == pytest.approx(0.0425, rel=1e-12)
    assert r["info"]["loss_at_window_middle"] == pytest.approx(0.0425, rel=1e-3)


def test_finding_f1_witness(run):
    # catalog F-1: at lambda = 1e-64, eps = 0.19, a partial s = +1 neuron has norm 3.7e-10 vs 2c lambda^eps = 4.5e-12
    ev = _ev(run, "boursier2022.finding.F1", "DS-A")
    assert ev.status == Status.VIOLATED
    r = _row(run, "boursier2022.finding.F1", "DS-A", "λ=1e-64")
    assert _f(r["lhs"]) == pytest.approx(3.7e-10, rel=0.03) and _f(r["rhs"]) == pytest.approx(4.5e-12, rel=0.03)
    # with eps = 0.05 (the same flow) Lemma 3 (iii) holds
    assert _ev(run, "boursier2022.lemma3.iii", "DS-A").status == Status.HOLDS
    # control: the growth step with the corrected alpha = min y_k^2/(2 n^2 ||D_+||^2) = 0.36/2.72 (DS-A), rate
    # max((1 - alpha)||D_+||, ||D_-||), from the init draw (catalog §1.3: g first, seed 0)
    g = np.random.default_rng(0).standard_normal((40, 4))
    c = float(np.max(np.linalg.norm(g, axis=1)))
    alpha = 0.36 / (2 * 16 * (1.36 / 16))
    rate = max((1 - alpha) * math.sqrt(1.36) / 4, math.sqrt(0.34) / 4)
    t2 = r["info"]["t2"]
    assert r["control"]["status"] == "HOLDS"
    assert _f(r["control"]["rhs"]) == pytest.approx(c * 1e-64 * math.exp(rate * t2), rel=1e-9)
    assert ev.control["status"] == "HOLDS"


def test_closed_form_findings(run):
    e = _ev(run, "boursier2022.prop1.kkt", "DS-D(i)")
    assert e.status == Status.VIOLATED and _f(e.lhs) == 4.0 and _f(e.rhs) == pytest.approx(2 * math.sqrt(2))
    assert e.grid[0]["info"]["kkt_residual"] == 0.0 and e.grid[0]["info"]["fit_error"] == 0.0
    e = _ev(run, "boursier2022.lemma14", "DS-D(ii)")
    assert e.status == Status.VIOLATED and _f(e.lhs) == 0.0 and _f(e.rhs) == pytest.approx(1 / 9)
    e = _ev(run, "boursier2022.lemma16", "DS-D(v)")
    assert e.status == Status.VIOLATED and _f(e.lhs) == pytest.approx(100 * (1 - math.exp(-5)), rel=1e-9)
    # control, the catalog's c/a^2: (0 + 1/0.01)(1 + e^0) = 200 at t = 50 (b = 0)
    assert e.control["status"] == "HOLDS" and _f(e.control["rhs"]) == pytest.approx(200.0, rel=1e-12)
    # mutant (exponent b/(2a)): the extremal f grows like e^{mu t}, mu = (sqrt(a^2 + 4b) - a)/2 = 0.366 > 0.25, so
    # on a = 1, b = 0.5, c = 0.2, f(0) = 1 it fails by t = 30 while the statement holds
    e2 = _ev(run, "boursier2022.lemma16", "a = 1")
    assert e2.status == Status.HOLDS and e2.mutant["status"] == "VIOLATED"
    F, f = 0.0, 1.0                      # independent RK4 of F' = f, f' = -f + 0.5 F + 0.2 to t = 30
    h = 1e-3
    for _ in range(30000):
        k1 = (f, -f + 0.5 * F + 0.2)
        k2 = (f + h / 2 * k1[1], -(f + h / 2 * k1[1]) + 0.5 * (F + h / 2 * k1[0]) + 0.2)
        k3 = (f + h / 2 * k2[1], -(f + h / 2 * k2[1]) + 0.5 * (F + h / 2 * k2[0]) + 0.2)
        k4 = (f + h * k3[1], -(f + h * k3[1]) + 0.5 * (F + h * k3[0]) + 0.2)
        F += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        f += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
    row = e2.grid[0]
    assert f > 1.2 * (1 + math.exp(0.25 * 30))           # the mutant's bound at t = 30
    assert _f(row["mutant"]["lhs"]) == pytest.approx(f, rel=1e-6)
    assert _ev(run, "boursier2022.prop1", "DS-A").status == Status.HOLDS


def test_prop2_conventions(run):
    ev = _ev(run, "boursier2022.prop2", "DS-A")
    rows = {r["label"]: r for r in ev.grid}
    assert rows["σ0=0.0"]["witness"]["solver_status"] == 0
    assert rows["σ0=0.5"]["witness"]["solver_status"] == -2
    assert ev.status == Status.HOLDS
    ev = _ev(run, "boursier2022.prop2", "DS-D(iii)")       # catalog F-11: the 'only if' fails here
    assert ev.status == Status.VIOLATED
    rows = {r["label"]: r for r in ev.grid}
    assert rows["σ0=0.5"]["witness"]["solver_status"] == 0
    assert rows["σ0=0.5"]["info"]["h_final"] == pytest.approx([2.0, -1.0], abs=1e-6)


def test_lemma6_and_its_mutant(run):
    for prefix in ("DS-A", "generic"):
        ev = _ev(run, "boursier2022.lemma6", prefix)
        assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"
        assert _f(ev.mutant["lhs"]) == 0.0   # a coordinate that died is exactly 0 afterwards


# catalog DC-6 / L5 (b) / T1 (d), DS-A: trajectory ratio ~ 4||D_-|| = 0.583095 (pre-check: >= 0.5732 after phase 3);
# fitted d ln L/dt = -0.5831 for lambda <= 1e-16. ||D_-|| = ||y_-||/n from DS-A's labels (catalog §1.3)
DM_A = float(np.linalg.norm([-0.5, -0.3])) / 4


def test_lemma5_trajectory_pl_ratio(run):
    for lab in ("λ=1e-16", "λ=1e-32"):
        r = _row(run, "boursier2022.lemma5", "DS-A", lab)
        assert _f(r["rhs"]) == pytest.approx(DM_A, rel=1e-12)
        assert r["info"]["min_ratio"] >= 0.5732 and r["info"]["min_ratio"] == pytest.approx(0.583095, rel=0.02)
        assert r["info"]["max_ratio"] == pytest.approx(0.583095, rel=1e-3)
        assert r["info"]["min_ratio"] < 4.5 * DM_A          # the 4.5||D_-|| mutant is rejected on the trajectory
        assert r["mutant"]["status"] == "VIOLATED"
    for prefix in ("DS-A", "generic"):
        ev = _ev(run, "boursier2022.lemma5", prefix)
        assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"


def test_theorem2_rate_matches_dc6(run):
    for lab in ("λ=1e-16", "λ=1e-32"):
        r = _row(run, "boursier2022.theorem2.rate", "DS-A", lab)
        assert _f(r["lhs"]) == pytest.approx(-0.5831, abs=2e-3)
        assert _f(r["rhs"]) == pytest.approx(-0.583095, abs=1e-6)
        assert r["status"] == "HOLDS" and r["mutant"]["status"] == "VIOLATED"
    ev = _ev(run, "boursier2022.theorem2.rate", "DS-A")
    assert ev.status == Status.HOLDS and ev.mutant["status"] == "VIOLATED"
