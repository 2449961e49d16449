"""boursier2022 Lemmas 7, 8 (iii), 9 and finding F-6 (theory/papers/boursier2022/phase1.py) against the
catalog (claims_004.md L7, L8, L9: death times from the closed form DC-1, and the pre-checked no-collapse ratio),
through the shared test cache (same key as test_mutants)."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest


IDS = ["boursier2022.lemma7.i", "boursier2022.lemma7.ii", "boursier2022.lemma7.iii", "boursier2022.lemma8.iii",
       "boursier2022.finding.F6", "boursier2022.lemma9.i", "boursier2022.lemma9.ii"]
DP, DM = math.sqrt(1.36) / 4, math.sqrt(0.34) / 4  # DS-A: ||D_+|| = ||(1, 0.6)||/4, ||D_-|| = ||(0.5, 0.3)||/4


@pytest.fixture(scope="module")
def run(fast_run):
    """The session's fast-tier run (tests/conftest.py)."""
    return fast_run


def _ev(run, cid, prefix="DS-A"):
    return [e for e in run.by_claim(cid) if e.instance.startswith(prefix)][0]


def _f(v):
    return float(mpmath.mpf(v)) if isinstance(v, str) else float(v)


def test_lemma7_iii_holds_exactly_past_the_last_death_time(run):
    # catalog L7 (DC-1): the last S_{+,1} death time on DS-A seed 0 is 4.7168, so (iii) holds iff
    # t_{+1} = eps ln(1/lambda)/||D_+|| > 4.7168
    ev = _ev(run, "boursier2022.lemma7.iii")
    for row in ev.grid:
        lam10 = row["point"]["lam10"]
        t_plus = 0.05 * (-lam10 * math.log(10)) / DP
        assert row["status"] == ("HOLDS" if t_plus > 4.7168 else "VIOLATED"), (lam10, t_plus, row["status"])
        if row["status"] == "HOLDS":  # dead coordinates are exactly 0: the strict mutant '< 0' fails there
            assert _f(row["lhs"]) == 0.0 and row["mutant"]["status"] == "VIOLATED"
    assert ev.threshold["label"] == "λ=1e-16"


def test_lemma8_iii_death_times(run):
    # catalog L8: S_{-,1} death times 0.7191, 0, 2.5550, 1.9616: holds iff eps ln(1/lambda)/||D_-|| > 2.555
    ev = _ev(run, "boursier2022.lemma8.iii")
    for row in ev.grid:
        t_minus = 0.05 * (-row["point"]["lam10"] * math.log(10)) / DM
        assert t_minus > 2.555 and row["status"] == "HOLDS"


def test_finding_f6_printed_equality_fails(run):
    for prefix in ("DS-A", "generic"):
        ev = _ev(run, "boursier2022.finding.F6", prefix)
        assert str(ev.status) == "VIOLATED" and _f(ev.lhs) < 0  # an initially negative coordinate stays negative


def test_lemma9_no_collapse_ratio_matches_the_catalog(run):
    # catalog L9 [pre-checked]: min_{j in S_{+,1}, t <= t_{+1}} ||w_j^t|| / (c_low lambda) = 1.129 on DS-A
    ev = _ev(run, "boursier2022.lemma9.i")
    g = np.random.default_rng(0).standard_normal((40, 4))  # DS-A draw order (catalog §1.3): g first
    c_low = float(np.min(np.linalg.norm(g, axis=1)))
    ratios = [_f(r["lhs"]) / c_low for r in ev.grid]
    assert ratios[0] == pytest.approx(1.129, abs=5e-4)
    # the early window is lambda-free: the minimum is the same on the whole grid
    assert max(ratios) - min(ratios) < 1e-6
    assert ev.mutant["status"] == "VIOLATED"


def test_lemma7_i_ii_hold_and_their_mutants_fail_at_small_lambda(run):
    for cid in ("boursier2022.lemma7.i", "boursier2022.lemma7.ii"):
        for prefix in ("DS-A", "generic"):
            ev = _ev(run, cid, prefix)
            assert str(ev.status) == "HOLDS" and ev.threshold["holds_on_whole_grid"]
            assert ev.grid[-1]["mutant"]["status"] == "VIOLATED"
