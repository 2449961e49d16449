"""lyu2021 (the package theory/papers/lyu2021/) against the claim catalog claims_002.md
(sympy-exact closed forms of §1.1 and the pre-checked numbers of E06, E11, E13, E15, E17, E28, D1, computed by an
independent scratch integrator) and against closed forms derived here; never the checker's own output.

The fast tier runs through the shared test cache (same key as test_mutants: the work is done once per code
version).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from numerics import geometry as geo
from numerics.datasets import Dataset
from theory import registry
from theory.claims import Status
from theory.papers.lyu2021 import common
from theory.papers.lyu2021.datasets import ds_s, validate


# catalog 002 §1.1 (sympy-exact): DS-S
W_STAR = np.array([28.0, -13.0]) / math.sqrt(953)
GAMMA_W = 173 * math.sqrt(953) / 9530                      # 0.560401969
LAMBDA0 = 3 * math.sqrt(34) / 64                            # corrected lambda_0 = (1+alpha)/4 ||mu||
MU_NORM = math.sqrt(34) / 8


@pytest.fixture(scope="module")
def run(fast_run):
    """The session's fast-tier run (tests/conftest.py)."""
    return fast_run


from evidence_helpers import ev as _ev, num as _f, rows as _rows  # noqa: E402


def test_every_numbered_result_of_the_issue_is_registered():
    registry.reload()
    labels = " ".join(c.label + " " + c.id for c in registry.claims("lyu2021"))
    for item in ["3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5.1", "5.2", "5.3", "5.4", "5.5",
                 "5.6", "6.1", "6.2", "A.1", "A.2", "A.3", "A.4", "A.5", "A.6", "A.7", "A.8", "A.9", "A.10", "B.2",
                 "B.3", "B.4", "B.5", "B.6", "B.7", "B.8", "B.9", "B.10", "B.11", "B.12", "B.13", "B.14", "B.15",
                 "B.16", "B.18", "B.19", "B.20", "D.1", "D.2", "E.1", "E.2", "E.3", "E.4", "E.5", "E.6", "E.7",
                 "E.8", "E.9", "E.10", "E.11", "F.1", "F.2", "F.3", "F.4", "F.5", "F.6", "F.7", "F.8", "F.9", "F.10",
                 "F.11", "G.1", "G.2"]:
        assert item in labels, f"numbered result {item} is not registered"


def test_datasets_and_inits_match_the_catalog():
    X, y, alpha = common.data({"dataset": "DS-S"})
    ws, gs, _ = common.svm({"dataset": "DS-S"})
    assert np.allclose(ws, W_STAR, atol=1e-8) and gs == pytest.approx(GAMMA_W, rel=1e-8)
    assert common.lam0(X, y, alpha) == pytest.approx(LAMBDA0, rel=1e-12)
    # INIT-A / INIT-B (catalog §1.1): b_bar and ||theta_bar_0||_M
    bA = common.b_bar({"dataset": "DS-S", "m": 4, "seed": 2})
    assert np.allclose(bA, [0.041947, -0.122762, 0.291323, -0.055997], atol=2e-6)
    bB = common.b_bar({"dataset": "DS-S", "m": 4, "seed": 1})
    assert np.allclose(bB, [0.147439, 0.090881, 0.181290, 0.013464], atol=2e-6)


def test_validators_reject_the_catalog_mutations():
    ds = ds_s()
    ok = validate(ds, setting="symmetric")
    assert ok.ok
    X = ds.X.copy()
    X[5] += 1e-3                                   # E05: one negated copy perturbed
    v = validate(Dataset(X, ds.y, "perturbed", "test", "lyu2021", gamma=0.5, loss="logistic"),
                 setting="symmetric")
    assert not v["Assumption 4.1 (symmetric: (x, y) in S => (-x, -y) in S)"].passed
    X2 = np.vstack([ds.X, [[0.9, 0.4]]])             # E02: (0.9, 0.4) with label -1 is not separable
    v2 = validate(Dataset(X2, np.r_[ds.y, -1.0], "E02", "test", "lyu2021", gamma=0.5, loss="logistic"),
                  setting="symmetric")
    assert not v2["Assumption 3.2 (linearly separable)"].passed
    v3 = validate(ds, setting="nonsymmetric")  # E25: symmetric data give ||mu^+|| = ||mu^-||
    assert not v3["Assumption A.3 (||mu^+|| > ||mu^-||)"].passed


def test_margins_helpers_against_closed_forms():
    from numerics.margins import extrapolate_limit, m_norm, wilson_interval

    s = np.geomspace(1e-2, 1e-4, 60)
    v, e, _ = extrapolate_limit(s, 1 + 2 * s + 3 * s ** 2)
    assert abs(v - 1) < 1e-10 and abs(v - 1) <= e + 1e-12
    v, e, _ = extrapolate_limit(s, 1 + 0.5 * np.sqrt(s) - s)
    assert abs(v - 1) < 1e-9
    lo, hi = wilson_interval(5, 10, z=1.959963984540054)   # textbook: [0.2366, 0.7634]
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    assert m_norm([0.5, -2.0], [[1.0, 1.0], [0.0, 0.1]]) == 2.0


def test_theorem42_value_against_the_closed_form(run):
    rows = _rows(run, "lyu2021.theorem4.2", "DS-S")
    for lab, alpha in (("α=0.1", 0.1), ("α=0.5", 0.5), ("α=0.9", 0.9)):
        assert _f(rows[lab]["lhs"]) == pytest.approx((1 + alpha) / 4 * GAMMA_W, rel=1e-7)
        assert rows[lab]["info"]["certified"]
    assert _f(rows["α=0.5"]["lhs"]) == pytest.approx(0.210150739, abs=1e-9)   # catalog E06
    assert rows["α=0.5"]["mutant"]["status"] == "VIOLATED"


def test_F1_lambda0_and_phase1_rate(run):
    ev = _ev(run, "lyu2021.finding.F1", "DS-S")
    assert ev.status == Status.VIOLATED
    assert _f(ev.lhs) == pytest.approx(LAMBDA0, rel=1e-12)
    assert _f(ev.rhs) == pytest.approx(0.546651740, rel=1e-8)       # the printed (1+alpha)/2 ||mu||
    assert _ev(run, "lyu2021.eq3.corrected", "DS-S").status == Status.HOLDS
    rate = _ev(run, "lyu2021.linearization.rate", "DS-S")
    assert rate.status == Status.HOLDS and _f(rate.lhs) == pytest.approx(0.27333, abs=2e-4)   # catalog E11 (3)


def test_lemma52_ratios_match_the_catalog(run):
    # catalog E13 (3)-(4): ratio ||Delta||_M/(r^3/sqrt m) = 0.990 (corrected lambda_0) and 7.3, 32.7, 137.8, 888.3
    # with the printed lambda_0, r = 0.2, 0.1, 0.05, 0.02 (DS-S, INIT-B)
    good = _rows(run, "lyu2021.lemma5.2", "DS-S")
    bad = _rows(run, "lyu2021.finding.F1.lemma5.2", "DS-S")
    for r, paper_ratio in ((0.2, 7.3), (0.1, 32.7), (0.05, 137.8), (0.02, 888.3)):
        lab = f"r = {r}"
        row_g = [v for v in good.values() if abs(_f(v["param"]) - r) < 1e-9 * r][0]
        row_b = [v for v in bad.values() if abs(_f(v["param"]) - r) < 1e-9 * r][0]
        assert row_g["info"]["ratio ||Delta||_M / (r^3/sqrt m)"] == pytest.approx(0.990, abs=0.01), lab
        assert row_b["info"]["ratio ||Delta||_M / (r^3/sqrt m)"] == pytest.approx(paper_ratio, rel=0.05)
    assert _ev(run, "lyu2021.lemma5.2", "DS-S").status == Status.HOLDS
    assert _ev(run, "lyu2021.finding.F1.lemma5.2", "DS-S").status == Status.VIOLATED


def test_lemma53_embedding_and_mutant(run):
    ev = _ev(run, "lyu2021.lemma5.3", "DS-S")
    assert ev.status == Status.HOLDS
    assert ev.grid[0]["info"]["max |difference|"] < 1e-8          # catalog E15: ODE-tolerance floor
    assert ev.mutant["status"] == "VIOLATED"


def test_theorem55_limit_direction_and_printed_normalisation(run):
    ev = _ev(run, "lyu2021.theorem5.5", "DS-S")
    assert ev.status == Status.HOLDS
    target = 0.5 * np.r_[W_STAR, -W_STAR, 1.0, -1.0]
    assert ev.grid[0]["info"]["||direction limit||"] == pytest.approx(1.0, abs=1e-6)
    assert _f(ev.rhs) in [pytest.approx(t, abs=1e-9) for t in target]
    fnd = _ev(run, "lyu2021.finding.theorem5.5", "DS-S")
    assert fnd.status == Status.VIOLATED and _f(fnd.slack) == pytest.approx(-0.25, abs=1e-6)   # |1/2 - 1/4|


def test_theorem43_corollary44_d1_margins(run):
    c44 = _ev(run, "lyu2021.corollary4.4", "DS-S")
    assert c44.status == Status.HOLDS and _f(c44.lhs) == pytest.approx(1.5 / 4 * GAMMA_W, abs=1e-7)
    assert _ev(run, "lyu2021.theorem4.3", "DS-S").status == Status.HOLDS
    d1 = _ev(run, "lyu2021.D1", "DS-S")                                  # catalog D1: 0.1401005
    assert d1.status == Status.HOLDS and _f(d1.lhs) == pytest.approx(0.5 / 2 * GAMMA_W, abs=1e-7)
    # catalog NP rate rule: gap * ||theta||^2 -> 0.049 on DS-S (INIT-A and INIT-B)
    assert c44.grid[0]["info"]["gap * ||theta||^2 (fitted, rate rule)"] == pytest.approx(0.049, abs=0.002)
    kkt = _ev(run, "lyu2021.theorem3.1.kkt", "DS-S")
    assert kkt.status == Status.HOLDS and kkt.mutant["status"] == "VIOLATED"


def test_probabilities(run):
    ev = _ev(run, "lyu2021.theorem4.3.prob", "DS-S")
    info = ev.grid[0]["info"]
    lo, hi = info["99% Wilson interval"]
    assert lo <= 0.5 <= hi                                         # the bound 1 - 2^-(m-1) is attained (D1)
    assert info["runs whose outcome matches the sign of b_bar"] == info["draws"]
    assert ev.mutant["status"] == "VIOLATED"
    e7 = _ev(run, "lyu2021.lemmaE.7", "DS-S")
    assert e7.status == Status.HOLDS and e7.mutant["status"] == "VIOLATED"


def test_theorem62_hinted_margins(run):
    sub = _ev(run, "lyu2021.theorem6.2.suboptimal", "DS-H/70")
    assert sub.status == Status.HOLDS
    assert _f(sub.lhs) == pytest.approx(0.05 / 70, rel=1e-6)            # eps/2 on DS-H, scaled by 1/70
    assert _f(sub.rhs) >= 3 / (2 * math.sqrt(181)) / 70 - 1e-9           # catalog competitor (F7)
    assert _ev(run, "lyu2021.theorem6.2", "DS-H/70").status == Status.HOLDS


def test_F2_and_F3_and_F5(run):
    f2 = _ev(run, "lyu2021.finding.F2", "DS-A")
    assert f2.status == Status.VIOLATED
    assert _f(f2.lhs) == pytest.approx(0.164615, abs=2e-6)               # catalog E28
    assert _f(f2.rhs) == pytest.approx(0.281876 / 2, abs=2e-6)
    assert _ev(run, "lyu2021.finding.F2", "DS-H/70").status == Status.HOLDS
    assert _ev(run, "lyu2021.finding.F3", "random").status == Status.VIOLATED
    assert _ev(run, "lyu2021.lemmaB.20.subadditivity", "random").status == Status.HOLDS
    f5 = _ev(run, "lyu2021.finding.F5", "DS-S")
    assert f5.status == Status.VIOLATED and _f(f5.lhs) == pytest.approx(1.0, abs=1e-15)


def test_F11_and_theoremE4_against_the_catalog(run):
    # catalog E91/F11 (DS-O): val(P) = ||w+|| + ||w-|| = 2.225147, the printed formula gives 1.238599
    f11 = _ev(run, "lyu2021.finding.F11", "DS-O (ReLU)")
    assert f11.status == Status.VIOLATED
    assert _f(f11.lhs) == pytest.approx(2.225147, abs=2e-6) and _f(f11.rhs) == pytest.approx(1.238599, abs=2e-6)
    assert _ev(run, "lyu2021.theoremH.2", "DS-O (ReLU)").status == Status.HOLDS
    # catalog E55 (DS-S, theta^ = (0.6 mu_bar, -0.8 mu_bar, 0.6, -0.8)): t_0 = -12.5225, Cauchy differences
    # 4.58e-7 (r = 1e-2), 4.62e-9 (r = 1e-3) against r' -> 0; bound 1.96e-4 at r = 1e-2
    rows = _rows(run, "lyu2021.theoremE.4", "DS-S")
    assert rows["r=1e-2"]["info"]["t_0 (Eq. 14)"] == pytest.approx(-12.5225, abs=1e-3)
    assert _f(rows["r=1e-2"]["lhs"]) == pytest.approx(4.58e-7, rel=0.02)
    assert _f(rows["r=1e-3"]["lhs"]) == pytest.approx(4.6e-9, rel=0.02)
    assert _f(rows["r=1e-2"]["rhs"]) == pytest.approx(1.96e-4, rel=0.01)


def test_lemmaB11_per_neuron_bounds(run):
    # catalog E40 / F18: the proof's |ell''| <= 1 is really 1/4, so the ratio to m ||theta||_M^2 |a_k| (||w_k||)
    # is at most 1/4 (closed form), and the bound holds on both instances
    for prefix in ("DS-S", "generic"):
        e = _ev(run, "lyu2021.lemmaB.11", prefix)
        assert e.status == Status.HOLDS, prefix
        assert 0.0 < e.grid[0]["info"]["max ratio"] <= 0.25, prefix
    assert _ev(run, "lyu2021.lemmaB.11", "DS-S").mutant["status"] == "VIOLATED"


def test_reversed_case_A8_and_theoremA10(run):
    # catalog E32: DS-H with all labels flipped (DS-H^-): ||mu^+|| = 5.257 < ||mu^-|| = 10.257, w^- = (-1, 0)
    X, y, alpha = common.data({"dataset": "DS-H", "scale": 1.0, "flip": True})
    mp, mm = (np.linalg.norm(v) for v in geo.mu_pm(X, y, alpha))
    assert mp == pytest.approx(5.257, abs=1e-3) and mm == pytest.approx(10.257, abs=1e-3)
    e = _ev(run, "lyu2021.theoremA.10", "DS-H/70 labels flipped")
    assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
    assert np.allclose(e.grid[0]["info"]["w^-"], [-1.0, 0.0], atol=1e-6)
    assert _ev(run, "lyu2021.theoremA.10", "generic hinted, labels flipped").status == Status.HOLDS


def test_theoremA7_general_statement_fails_on_DS_A(run):
    # catalog E30 (F2): on DS-A the limit is not 1/2 phi(<w^+, x>); sup-error 3.9e-2 at sigma = 1e-4 and
    # 1.5e-4 at sigma = 1e-12, so the sigma = 1e-8 run lies between; on DS-H/70 (w^+ = w*) it holds
    e = _ev(run, "lyu2021.theoremA.7", "DS-A")
    assert e.status == Status.VIOLATED
    assert 1.5e-4 < e.grid[0]["info"]["sup |f_inf - target|"] < 3.9e-2
    assert _ev(run, "lyu2021.theoremA.7", "DS-H/70").status == Status.HOLDS


def test_finding_A9_printed_sign(run):
    # closed form: the m = 1 net (-w^-/sqrt2, -1/sqrt2) has y_i f(x_i) = y_i <w^-, x_i^->/2 on S^-, i.e. gamma^-/2
    for prefix in ("DS-H/70", "generic"):
        e = _ev(run, "lyu2021.finding.A9", prefix)
        assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
        assert _f(e.lhs) == pytest.approx(_f(e.rhs), rel=1e-8)


def test_lemmas_F6_F8_along_the_limit_runs(run):
    # catalog E69: the Ji-Telgarsky identity to relative error < 1e-8, the tangential-term-free mutant rejected;
    # catalog E71: max beta over the last decade of ln t exceeds 1 - 1e-4, "beta <= 0.9 eventually" rejected
    for prefix in ("DS-S", "generic"):
        f6 = _ev(run, "lyu2021.lemmaF.6", prefix)
        assert f6.status == Status.HOLDS and f6.mutant["status"] == "VIOLATED"
        assert f6.grid[0]["info"]["max relative |lhs - rhs|"] < 1e-8
        assert f6.grid[0]["info"]["samples with nL < ln 2"] >= 100      # t = 1e2 .. 1e250, twice a decade
        f8 = _ev(run, "lyu2021.lemmaF.8", prefix)
        assert f8.status == Status.HOLDS and f8.mutant["status"] == "VIOLATED"
        assert f8.grid[0]["info"]["1 - max beta (last decade of ln t)"] < 1e-4


def test_lemmaE11_phase2_lipschitz(run):
    # catalog E62: holds with large slack, the bound without e^{t - t_0} is rejected (the norm grows in Phase II).
    # Closed form for the slack at t = t_0: ||grad L|| <= max_i |ell'(q_i)| max ||x_i|| ||theta|| and, with
    # |q_i| ~ ||theta||^2 ~ 1e-3 there, |ell'| ~ 1/2, so the ratio bound/lhs is at least ~2 (||x_i|| <= 1)
    for prefix in ("DS-S", "generic"):
        e = _ev(run, "lyu2021.lemmaE.11", prefix)
        assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
        assert e.grid[0]["info"]["min slack ratio bound/lhs"] > 1.9


def test_lemmasE8_E9_sigma_sweep(run):
    # catalog E59/E60 (and E16, F17): e(sigma, t) ~ sigma^1 (pre-checked slope 1.0000 up to t = 10 past T_12), better
    # than the proof's implied 2/3; the printed lambda_0 (F1) breaks the convergence on at least one instance
    for prefix in ("DS-S", "generic"):
        e = _ev(run, "lyu2021.lemmaE.8-E.9", prefix)
        assert e.status == Status.HOLDS
        assert np.allclose(e.grid[0]["info"]["fitted exponents"], 1.0, atol=1e-3)
    assert any(_ev(run, "lyu2021.lemmaE.8-E.9", p).mutant["status"] == "VIOLATED" for p in ("DS-S", "generic"))


def test_lemmaE8_item1_bound(run):
    # Lemma E.8 (1): the deviation from e^{lambda_0 t} theta^ is a cubic correction, so dev / e^{3 lambda_0 t} is
    # constant in t (to the r = 1e-7 approximation), and it stays below the printed constant
    for prefix in ("DS-S", "generic"):
        e = _ev(run, "lyu2021.lemmaE.8.bound", prefix)
        assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
        ratios = e.grid[0]["info"]["dev / bound (m as printed)"]
        assert max(ratios) < 1 and max(ratios) / min(ratios) < 1.01
    # catalog E55 / Eq. (14): lambda_0 of DS-S is the corrected 3 sqrt(34)/64 (F1)
    assert _ev(run, "lyu2021.lemmaE.8.bound", "DS-S").grid[0]["info"]["lambda_0"] == pytest.approx(LAMBDA0, rel=1e-9)


def test_lemmasE5_E6_near_aligned_starts(run):
    # catalog E55: t_0 = -12.5225 on DS-S for theta^ = (0.6 mu_bar, -0.8 mu_bar, 0.6, -0.8); catalog E56: the
    # R-block grows at rate lambda from size C r^{1+kappa}, so item 4 holds with slack < 8 and the /4 mutant fails;
    # E.6 at t = -T_2: ||delta||_M = r^2 against 4 r e^{-lambda T_2} = 4 r^2 (ratio exactly 1/4)
    e = _ev(run, "lyu2021.lemmaE.5-E.6", "DS-S")
    info = e.grid[0]["info"]
    assert info["t_0 (Eq. 14)"] == pytest.approx(-12.5225, abs=1e-3)
    assert max(info["r"]) <= info["r_max"]
    for prefix in ("DS-S", "generic"):
        e = _ev(run, "lyu2021.lemmaE.5-E.6", prefix)
        assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
        w = e.grid[0]["info"]["max lhs/bound per item (item 1: pattern flips)"]
        assert w["E.5 item 1"] == 0 and 1 / 8 < w["E.5 item 4"] < 1
        assert w["E.6"] == pytest.approx(0.25, abs=1e-6)
