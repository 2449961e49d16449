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
from scipy.optimize import minimize

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


def svm_by_dual(X, y):
    """(w*, gamma_w*) computed here, independently of the package (cvxpy + exact polish): the min-norm point of
    conv{y_i x_i} by SLSQP on the simplex (gamma_w* = its norm, w* its direction; Definition 3.3 by duality)."""
    Z = np.asarray(y, dtype=float)[:, None] * np.asarray(X, dtype=float)
    n = len(Z)
    res = minimize(lambda p: float(np.sum((p @ Z) ** 2)), np.full(n, 1.0 / n), jac=lambda p: 2 * Z @ (p @ Z),
                   bounds=[(0, 1)] * n, constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1}], method="SLSQP",
                   options={"ftol": 1e-16, "maxiter": 1000})
    v = res.x @ Z
    return v / np.linalg.norm(v), float(np.linalg.norm(v))


def generic_symmetric(n_half, d, seed, alpha):
    """The generic symmetric instances' data, rebuilt from the dataset constructor (not from the claims' module)."""
    from theory.papers.lyu2021.datasets import symmetric_separable
    ds = symmetric_separable(n_half=n_half, d=d, margin=0.2, seed=seed, alpha=alpha)
    return ds.X, ds.y


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
    assert kkt.status == Status.HOLDS
    # the mutant (the finite-time direction at t = 1e250 is already KKT) is rejected on the generic set, whose
    # support-vector margins are still spread at t_end; on DS-S the direction has converged by then
    assert _ev(run, "lyu2021.theorem3.1.kkt", "generic").mutant["status"] == "VIOLATED"
    # generic symmetric set (n = 10, d = 2, seed 2): the flow's limit margin against (1 + alpha)/4 gamma_w*, with
    # gamma_w* computed here by the dual (independent of the package's SVM and of its convex program)
    X, y = generic_symmetric(5, 2, 2, 0.5)
    _, g = svm_by_dual(X, y)
    c44g = _ev(run, "lyu2021.corollary4.4", "generic")
    assert c44g.status == Status.HOLDS and _f(c44g.lhs) == pytest.approx(1.5 / 4 * g, rel=1e-7)
    assert _f(c44g.rhs) == pytest.approx(1.5 / 4 * g, rel=1e-7)
    assert _ev(run, "lyu2021.D1", "DS-S").control["status"] == "HOLDS"   # 0.1401 < 0.2102


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
    # the m = 1 net (-w^-/sqrt2, -1/sqrt2) has y_i f(x_i) = y_i <w^-, x_i^->/2 on S^-, i.e. gamma^-/2: recomputed here
    # on DS-H^- (flipped labels, scaled by 1/70) with w^- from the dual (independent of the package's SVM)
    X, y, alpha = common.data({"dataset": "DS-H", "scale": 1 / 70, "flip": True})
    Xm = geo.x_pm(X, y, alpha)[1]
    wm, gm = svm_by_dual(Xm, y)
    assert np.allclose(wm, [-1.0, 0.0], atol=1e-6)                        # catalog E32: w^- = (-1, 0)
    S = np.flatnonzero(y * (Xm @ wm) <= gm * (1 + 1e-6))
    z = -(X[S] @ wm)
    wit = float(np.min(y[S] * (-0.5 * np.where(z > 0, z, alpha * z))))
    assert wit == pytest.approx(gm / 2, rel=1e-6)
    e = _ev(run, "lyu2021.finding.A9", "DS-H/70")
    assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
    assert _f(e.lhs) == pytest.approx(wit, rel=1e-6) and _f(e.rhs) == pytest.approx(gm / 2, rel=1e-6)
    assert e.control["status"] == "HOLDS"                                  # the sign-corrected A.9 holds
    g = _ev(run, "lyu2021.finding.A9", "generic")
    assert g.status == Status.HOLDS and g.control["status"] == "HOLDS"


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


def test_findings_controls_against_closed_forms(run):
    """Each finding's corrected statement (its control) HOLDS, with the values recomputed here."""
    # F1: lambda_0 = max|G| = (1 + alpha)/4 ||mu|| = 3 sqrt(34)/64 on DS-S; the mutant of the control drops alpha
    f1 = _ev(run, "lyu2021.finding.F1", "DS-S")
    assert f1.control["status"] == "HOLDS" and _f(f1.control["rhs"]) == pytest.approx(LAMBDA0, rel=1e-12)
    assert _f(f1.mutant["rhs"]) == pytest.approx(MU_NORM / 4, rel=1e-12) and f1.mutant["status"] == "VIOLATED"
    # F5 on DS-S: epsilon = min_i arcsin(<y_i x_i, w*>/||x_i||) from the catalog's exact w*; the printed threshold
    # gives r = 1, the corrected one r = cos(epsilon) exactly
    X, y, alpha = common.data({"dataset": "DS-S"})
    eps = float(np.min(np.arcsin(y * (X @ W_STAR) / np.linalg.norm(X, axis=1))))
    f5 = _ev(run, "lyu2021.finding.F5", "DS-S")
    assert f5.status == Status.VIOLATED and _f(f5.lhs) == pytest.approx(1.0, abs=1e-15)
    assert _f(f5.rhs) == pytest.approx(math.cos(eps), rel=1e-12)
    assert f5.control["status"] == "HOLDS" and _f(f5.control["lhs"]) == pytest.approx(math.cos(eps), rel=1e-12)
    c = math.cos(eps)
    assert _f(f5.mutant["lhs"]) == pytest.approx((c + alpha) / (alpha * c + 1), rel=1e-12)   # x = cos(eps)
    assert f5.mutant["status"] == "VIOLATED"
    # finding.theorem5.5: the limit is 1/2 (w*, -w*, 1, -1) (unit norm), not the printed 1/4
    t55 = _ev(run, "lyu2021.finding.theorem5.5", "DS-S")
    assert t55.control["status"] == "HOLDS" and t55.status == Status.VIOLATED
    # F11 (catalog E91): val(P) = ||w+|| + ||w-|| = 2.225147 on DS-O; the printed formula gives 1.238599
    f11 = _ev(run, "lyu2021.finding.F11", "DS-O (ReLU)")
    assert f11.control["status"] == "HOLDS"
    assert _f(f11.control["lhs"]) == pytest.approx(2.225147, abs=2e-6)
    assert _f(f11.control["rhs"]) == pytest.approx(2.225147, abs=2e-6)
    # F3: the step the proof needs (subadditivity) holds on the same loss vectors
    for prefix in ("random loss vectors (n", "random loss vectors (second"):
        f3 = _ev(run, "lyu2021.finding.F3", prefix)
        assert f3.status == Status.VIOLATED and f3.control["status"] == "HOLDS"
    # F2: on DS-A the A.5 LP (the assumption as printed) is below gamma^+/2 = 0.1409 while A.5* = 0.1646 is not
    f2 = _ev(run, "lyu2021.finding.F2", "DS-A")
    assert f2.control["status"] == "HOLDS" and _f(f2.control["rhs"]) == pytest.approx(0.281876 / 2, abs=2e-6)
    f2f = _ev(run, "lyu2021.finding.F2.flow", "DS-A")
    assert f2f.status == Status.VIOLATED and f2f.control["status"] == "HOLDS"
    # F1.lemma5.2: the corrected T_1 gives the catalog's ratio 0.990 at the smallest r, within C = 4/lambda_0 + sqrt 2
    f152 = _ev(run, "lyu2021.finding.F1.lemma5.2", "DS-S")
    assert f152.control["status"] == "HOLDS"
    r = 0.02
    assert _f(f152.control["lhs"]) == pytest.approx(0.990 * r ** 3 / 2, rel=0.02)                 # m = 4
    assert _f(f152.control["rhs"]) == pytest.approx((4 / LAMBDA0 + math.sqrt(2)) * r ** 3 / 2, rel=1e-9)


def test_theorem42_on_the_generic_set_against_an_independent_svm(run):
    # Theorem 4.2 on the generic symmetric set (n = 12, d = 3, seed 1): gamma_max = (1 + alpha)/4 gamma_w*, with
    # gamma_w* computed here by the dual (independent of the package's SVM and of the convex reformulation)
    X, y = generic_symmetric(6, 3, 1, 0.5)
    _, g = svm_by_dual(X, y)
    rows = _rows(run, "lyu2021.theorem4.2", "generic")
    for lab, alpha in (("α=0.1", 0.1), ("α=0.5", 0.5), ("α=0.9", 0.9)):
        assert _f(rows[lab]["lhs"]) == pytest.approx((1 + alpha) / 4 * g, rel=1e-8)
        assert _f(rows[lab]["rhs"]) == pytest.approx((1 + alpha) / 4 * g, rel=1e-8)
    # Definition 3.3: the primal (polished) and the package's dual agree with the dual computed here
    d33 = _ev(run, "lyu2021.definition3.3", "generic")
    assert d33.status == Status.HOLDS and _f(d33.lhs) == pytest.approx(g, rel=1e-9)


def test_invariants_resolved_and_their_near_misses(run):
    """Lemma B.16 escalates to a 20-digit flow (float64 resolves the O(sigma^2) invariant to ~1e-12 only); its
    near miss a_k^2 - 2||w_k||^2 and Corollary B.18's a_k - 2 s_k||w_k|| are exact at t = 0 and rejected."""
    from numerics.network import init_gaussian
    b16 = _ev(run, "lyu2021.lemmaB.16", "DS-S")
    assert b16.status == Status.HOLDS and b16.precision == "mp20" and b16.mutant["status"] == "VIOLATED"
    # the invariant of INIT-A (catalog: D_init(1), default_rng(2), m = 4), sigma = 1e-3, recomputed here
    a, W, _ = init_gaussian(4, 2, 1.0, c_a=1.0, seed=2)
    inv0 = 1e-6 * (a ** 2 - np.sum(W ** 2, axis=1))
    assert min(abs(_f(b16.rhs) - v) for v in inv0) < 1e-18
    assert abs(_f(b16.lhs) - _f(b16.rhs)) < 1e-13
    for prefix in ("DS-S", "generic"):
        b18 = _ev(run, "lyu2021.corollaryB.18", prefix)
        assert b18.status == Status.HOLDS and b18.mutant["status"] == "VIOLATED"
        # the near miss is exact at t = 0: the witness of its rejection is at t > 0
        assert b18.mutant["witness"]["t"] > 0
    # Lemma B.9: |a_k| - ||w_k|| of the unit limit direction is O(sigma^2/||theta||^2), resolved to 1e-6
    for prefix in ("DS-S", "generic"):
        b9 = _ev(run, "lyu2021.lemmaB.9", prefix)
        assert b9.status == Status.HOLDS and abs(_f(b9.lhs)) < 1e-9


def test_definition51_near_tight_family_and_mutant(run):
    # ||theta||_2 / (sqrt(2m)||theta||_M) = sqrt((1 + 0.99^2)/2) = 0.99499 on the near-tight samples (closed form), so
    # the largest ratio is at least that and at most 1; the sqrt(m) mutant fails already at m = 1
    # (||theta||_2^2 = a^2 + ||w||^2 > max(a^2, ||w||^2))
    for prefix in ("random theta, 2000", "random theta (second"):
        e = _ev(run, "lyu2021.definition5.1", prefix)
        assert e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED"
        ratio = e.grid[0]["info"]["max ||theta||_2/(sqrt(2m)||theta||_M)"]
        assert math.sqrt((1 + 0.99 ** 2) / 2) * (1 - 1e-12) <= ratio <= 1
