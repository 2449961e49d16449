"""boursier2024 on a user's dataset (issue 12): ``earlyalign check --paper boursier2024 --data FILE`` on data made up
here (none of the catalog's), its numbers against values computed independently in the test with numpy (OLS beta*,
L_{beta*}, D* = (1/n) sum y_k x_k, the Gram matrix, Assumption 3's box, Assumption 5's margins, Assumption 6's
residuals), data that fail an assumption, settings the paper excludes, and data too large for the exact enumeration.

The CLI runs in a subprocess with its own cache directory under tmp_path (nothing shared with other tests).
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from cli_inprocess import check_json

#: the console script (the CLI's entry point ``checks.cli:main``), or the module if the script is not on PATH

#: a 3-point set in Assumption 3's box with eta = 0.08 < 1/6 (made up for this test): x_k = (z_k, b_k)
X3 = [[-0.93, 1.03], [0.04, 1.02], [0.95, 1.05]]
Y3 = [1.04, 0.06, 1.08]


def _check(tmp_path, data: dict, *ids, name="mine.json"):
    """``earlyalign check [ids] --paper boursier2024 --data FILE --json -`` (in process, tests/cli_inprocess.py) with its
    own cache; the JSON and the exit code."""
    f = tmp_path / name
    f.write_text(json.dumps(data))
    out, rc, _ = check_json([*ids, "--paper", "boursier2024", "--data", str(f)], tmp_path / "cache")
    return out, rc


def _results(out, cid):
    return [r for r in out["results"] if r["id"] == cid]


def _num(v):
    return float(v) if not isinstance(v, str) else float(v.replace("mpf(", "").strip("')"))


def _ols(X, y):
    X, y = np.asarray(X, float), np.asarray(y, float)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    return beta, 0.5 * float(np.mean((X @ beta - y) ** 2))


@pytest.fixture(scope="module")
def three_point(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("b24data")
    data = {"name": "mine3", "X": X3, "y": Y3, "params": {"m": 10, "lam10": -6}}
    return _check(tmp, data, *(f"boursier2024.assumption{i}" for i in (3, 4, 5, 6)), "boursier2024.lemma9", "boursier2024.lemma10",
                  "boursier2024.lemma2", "boursier2024.lemma3", "boursier2024.theorem2", "boursier2024.theorem4",
                  "boursier2024.lemma7.iii")


def test_three_point_set_runs_without_error(three_point):
    out, code = three_point
    st = {(r["id"], r["instance"]): r["status"] for r in out["results"]}
    assert "ERROR" not in st.values(), st
    assert code in (0, 1)  # theorem2.all_x / theorem4.all_x are findings (F2): VIOLATED off the data cone
    assert out["data_summary"]["n"] == 3 and out["data_summary"]["settings"]["m"] == 10
    # every claim run on the data: the assumptions hold (the set lies in the box with eta = 0.08)
    for cid in ("boursier2024.assumption3", "boursier2024.assumption4", "boursier2024.assumption5",
                "boursier2024.assumption6", "boursier2024.theorem2", "boursier2024.theorem4",
                "boursier2024.theorem2.spurious", "boursier2024.theorem4.spurious", "boursier2024.lemma7.iii",
                "boursier2024.lemma9", "boursier2024.lemma10"):
        assert [r["status"] for r in _results(out, cid)] == ["HOLDS"], cid
    # the settings actually used are in the JSON: the file's m and lambda, the paper's init and eps
    r = _results(out, "boursier2024.theorem2")[0]
    assert r["settings"]["m"] == 10 and r["settings"]["grid"] == [-6.0] and r["settings"]["init"] == "sphere-sign"
    assert r["settings"]["eps"] == 0.25
    # a constant of the data says which settings of the file it does not use
    assert any("m (width)" in s for s in _results(out, "boursier2024.lemma9")[0]["settings"]["settings_not_used"])


def test_ols_limit_and_spurious_level_agree_with_numpy(three_point):
    out, _ = three_point
    X, y = np.asarray(X3), np.asarray(Y3)
    beta, L = _ols(X, y)
    for cid in ("boursier2024.theorem2.spurious", "boursier2024.theorem4.spurious"):
        r = _results(out, cid)[0]
        assert _num(r["lhs"]) == pytest.approx(L, rel=1e-12)                   # L_{beta*}
        assert abs(_num(r["rhs"])) < 1e-8                                       # a network interpolates: min 0
    info = _results(out, "boursier2024.theorem2.spurious")[0]["grid"][0]["info"]
    assert np.allclose(info["beta_star"], beta, rtol=1e-12, atol=1e-14)
    # Theorem 2 / 4: the flow's outputs at T against <beta*, x_k> at the witness point k
    for cid in ("boursier2024.theorem2", "boursier2024.theorem4"):
        r = _results(out, cid)[0]
        k = int(r["witness"]["k"]) - 1
        assert _num(r["rhs"]) == pytest.approx(float(X[k] @ beta), rel=1e-12)
        assert _num(r["lhs"]) == pytest.approx(float(X[k] @ beta), rel=1e-6)
        assert r["mutant"]["status"] == "VIOLATED"                           # h = y (a global min) is rejected
    # Lemma 7 (3): beta^inf = sum of a_i w_i over the neurons active on every point, through <., x_k>
    r = _results(out, "boursier2024.lemma7.iii")[0]
    k = int(r["witness"]["k"]) - 1
    assert _num(r["rhs"]) == pytest.approx(float(X[k] @ beta), rel=1e-12)


def test_d1_constants_and_assumptions_agree_with_numpy(three_point):
    out, _ = three_point
    X, y = np.asarray(X3), np.asarray(Y3)
    n = len(y)
    # D_max = ||D*||, D* = (1/n) sum y_k x_k (Assumption 4: positive Gram, positive labels -> the all-active cone)
    info = _results(out, "boursier2024.lemma9")[0]["grid"][0]["info"]
    assert info["D_max"] == pytest.approx(float(np.linalg.norm(y @ X / n)), rel=1e-12)
    assert info["n_extremal"] == 1
    # Assumption 3: the smallest eta of the box
    a1, b1 = X[0]
    a2, b2 = X[1]
    a3, b3 = X[2]
    eta = max(a1 + 1, b1 - 1, y[0] - 1, abs(a2), abs(b2 - 1), y[1], 1 - a3, b3 - 1, y[2] - 1)
    r = _results(out, "boursier2024.assumption3")[0]
    assert _num(r["lhs"]) == pytest.approx(eta, rel=1e-12) and eta < 1 / 6
    # Assumption 4 (via Lemma 8): the smallest Gram entry
    assert _num(_results(out, "boursier2024.assumption4")[0]["lhs"]) == pytest.approx(float((X @ X.T).min()), rel=1e-12)
    # Assumption 5 (printed): y_k ||x_k||^2 - ||y|| sqrt(sum_{k' != k} <x_k', x_k>^2) on K = {1, 3}
    Gm = X @ X.T
    margins = [y[k] * Gm[k, k] - np.linalg.norm(y) * np.linalg.norm(np.delete(Gm[k], k)) for k in (0, 2)]
    assert _num(_results(out, "boursier2024.assumption5")[0]["slack"]) == pytest.approx(min(margins), rel=1e-10)
    # Assumption 6 (i): the OLS residuals y_k - <beta*, x_k> on K
    beta, _ = _ols(X, y)
    res = [y[k] - X[k] @ beta for k in (0, 2)]
    assert _num(_results(out, "boursier2024.assumption6")[0]["slack"]) == pytest.approx(min(res), rel=1e-10)


def test_theorem4_beyond_the_three_point_box(tmp_path):
    """Four points outside Assumption 3 (made up) where Assumptions 4-6 hold: Theorem 4, Lemma 7 (3) and the spurious
    level run (Assumption 6 (ii) evaluated on the circle), Theorem 2 is NOT_APPLICABLE naming Assumption 3."""
    X = np.array([[1, 0.05], [0.24, 0.18], [0.18, 0.24], [0.05, 1]])
    y = np.array([1, 0.08, 0.08, 1])
    data = {"name": "four", "X": X.tolist(), "y": y.tolist(), "params": {"m": 10, "lam10": -6}}
    out, code = _check(tmp_path, data, "boursier2024.theorem4", "boursier2024.lemma7.iii",
                       "boursier2024.theorem2.spurious")
    assert code == 1  # theorem4.all_x: the printed 'for all x' is false off the data cone (finding F2)
    beta, L = _ols(X, y)
    assert beta == pytest.approx([0.847291, 0.847291], abs=1e-6)              # symmetric data: beta* on the diagonal
    for cid in ("boursier2024.theorem4", "boursier2024.lemma7.iii", "boursier2024.theorem4.spurious"):
        r = _results(out, cid)[0]
        assert r["status"] == "HOLDS", (cid, r["message"])
        a6 = [h for h in r["hypotheses"] if h["name"] == "Assumption 6"][0]
        assert a6["state"] == "holds" and "on the circle" in a6["detail"]
    r = _results(out, "boursier2024.theorem4")[0]
    k = int(r["witness"]["k"]) - 1
    assert _num(r["lhs"]) == pytest.approx(float(X[k] @ beta), rel=1e-6)
    r = _results(out, "boursier2024.theorem4.spurious")[0]
    assert _num(r["lhs"]) == pytest.approx(L, rel=1e-12) and abs(_num(r["rhs"])) < 1e-8
    off = [r for r in _results(out, "boursier2024.theorem4.all_x") if "off the data cone" in r["instance"]][0]
    assert off["status"] == "VIOLATED" and off["control"]["status"] == "HOLDS"
    # at x = -beta*/||beta*|| (mean norm): the limit is 0 = sigma(<beta*, x>), not <beta*, x> < 0
    r0 = float(np.mean(np.linalg.norm(X, axis=1)))
    assert -_num(off["slack"]) == pytest.approx(r0 * np.linalg.norm(beta), rel=1e-6)
    sp = _results(out, "boursier2024.theorem2.spurious")[0]
    assert sp["status"] == "NOT_APPLICABLE" and "Assumption 3" in sp["message"]


def test_assumption_failing_on_the_data_is_named(tmp_path):
    """The same points with a negative middle label: Assumption 4 (y_k > 0) fails, Theorem 4 is NOT_APPLICABLE naming
    it and the value; outside the box, Lemma 8's implication and Theorem 2 are NOT_APPLICABLE naming the coordinate."""
    data = {"name": "neg", "X": X3, "y": [1.04, -0.06, 1.08], "params": {"m": 10, "lam10": -4}}
    out, code = _check(tmp_path, data, "boursier2024.theorem4", "boursier2024.theorem2", "boursier2024.assumption5")
    assert code == 0
    for r in out["results"]:
        assert r["status"] == "NOT_APPLICABLE", (r["id"], r["status"])
    msg = _results(out, "boursier2024.theorem4")[0]["message"]
    assert "Assumption 4" in msg and "y_2 = -0.06 <= 0" in msg
    assert "y_2 > 0" in _results(out, "boursier2024.assumption5")[0]["message"]
    failing = {a["name"] for a in out["data_summary"]["assumptions"] if a["state"] == "fails"}
    assert "Assumption 4" in failing


def test_data_outside_the_box_for_every_eta_is_not_applicable(tmp_path):
    """x_3^2 = 0.8 < 1 breaks an eta-free side of the Assumption-3 box: assumption3 is NOT_APPLICABLE naming that
    side (it was an ERROR raised by the measure)."""
    data = {"name": "outside", "X": [[-0.5, 1.0], [0.05, 1.02], [0.5, 0.8]], "y": [1.2, 0.3, 1.1]}
    out, code = _check(tmp_path, data, "boursier2024.assumption3")
    (r,) = _results(out, "boursier2024.assumption3")
    assert code == 0 and r["status"] == "NOT_APPLICABLE", r
    assert "x_3^2 >= 1" in r["message"] and "for every eta" in r["message"]


def test_settings_the_paper_excludes_are_refused_by_name(tmp_path):
    """reduction 'sum' (Eq. (10) is the mean), an init violating Eq. (4) and eps outside (0, 1/3): NOT_APPLICABLE
    naming the setting and its value, never silently replaced."""
    data = {"name": "sum", "X": X3, "y": Y3, "reduction": "sum", "params": {"m": 5, "lam10": -3}}
    out, _ = _check(tmp_path, data, "boursier2024.theorem4", "boursier2024.lemma9", "boursier2024.lemma1")
    for r in out["results"]:
        assert r["status"] == "NOT_APPLICABLE" and "reduction = 'sum'" in r["message"], (r["id"], r["message"])
    data = {"name": "unbalanced", "X": X3, "y": Y3, "params": {"m": 5, "init": "gaussian", "eps": 0.4}}
    out, _ = _check(tmp_path, data, "boursier2024.lemma1", "boursier2024.theorem1.i", name="g.json")
    for r in out["results"]:
        assert r["status"] == "NOT_APPLICABLE", (r["id"], r["status"])
        assert "init gaussian" in r["message"] and "Eq. (4) needs >= 0" in r["message"]
    assert "eps = 0.4 not in (0, 1/3)" in _results(out, "boursier2024.theorem1.i")[0]["message"]


def test_higher_dimension_and_the_enumeration_limit(tmp_path):
    """d = 3 (the rotations of the error estimates act on R^3): Lemma 9 holds and D_max = ||D*|| on positive data;
    on the circle-only claims d = 3 is NOT_APPLICABLE by name; 250 points exceed the exact enumeration's limit."""
    rng = np.random.default_rng(11)
    X = np.abs(rng.normal(size=(5, 3))) + 0.2
    y = rng.uniform(0.5, 1.5, size=5)
    out, _ = _check(tmp_path, {"name": "d3", "X": X.tolist(), "y": y.tolist()}, "boursier2024.lemma9",
                    "boursier2024.definition1", "boursier2024.lemma2")
    r = _results(out, "boursier2024.lemma9")[0]
    assert r["status"] == "HOLDS"
    assert r["grid"][0]["info"]["D_max"] == pytest.approx(float(np.linalg.norm(y @ X / 5)), rel=1e-12)
    assert _results(out, "boursier2024.lemma2")[0]["status"] == "HOLDS"
    d1 = _results(out, "boursier2024.definition1")[0]
    assert d1["status"] == "NOT_APPLICABLE" and "d = 3" in d1["message"]
    z = np.linspace(-1, 1, 250)
    big = {"name": "big", "X": np.stack([z, np.ones_like(z)], axis=1).tolist(), "y": (1 + z ** 2).tolist()}
    out, _ = _check(tmp_path, big, "boursier2024.lemma9", name="big.json")
    r = _results(out, "boursier2024.lemma9")[0]
    assert r["status"] == "NOT_APPLICABLE" and "too large for the exact enumerations" in r["message"]
    assert "n limit 200" in r["message"]


@pytest.mark.slow
def test_every_claim_runs_on_the_three_point_set(tmp_path):
    """The whole paper on the made-up set: no ERROR; the findings are the paper's (F2 off the data cone, F22 at small
    lambda, F3 when I is empty), each with its control holding; the claims that quantify over the box or the engine are skipped."""
    data = {"name": "mine3", "X": X3, "y": Y3, "params": {"m": 20, "lam10_grid": [-3, -6]}}
    out, code = _check(tmp_path, data)
    assert code == 1
    st = {}
    for r in out["results"]:
        st.setdefault(r["id"], []).append(r["status"])
    assert not any("ERROR" in v for v in st.values()), {k: v for k, v in st.items() if "ERROR" in v}
    violated = {k for k, v in st.items() if "VIOLATED" in v}
    assert violated <= {"boursier2024.theorem2.all_x", "boursier2024.theorem4.all_x", "boursier2024.finding.F22",
                        "boursier2024.finding.F3"}
    # F3 at the finding's widths 1 and 3 (the first seed drawing I empty): h <= 0 stays off the OLS fit
    assert set(st["boursier2024.finding.F3"]) == {"VIOLATED"}
    for s in out["claims"]:
        if s["id"] in violated:
            assert s["control"]["status"] == "HOLDS", s["id"]
    assert {s["id"] for s in out["skipped"]} == {"boursier2024.assumption1.mse", "boursier2024.lemma8.worst_case",
                                                 "boursier2024.lemma8.b", "boursier2024.lemma8.a_proof",
                                                 "boursier2024.finding.F23"}
    # Theorem 1 (i): |a_j^tau| / |a_j^0| <= lambda^{-2 eps} at the smallest lambda, with the rate of F4 (~lambda^-eps)
    r = _results(out, "boursier2024.theorem1.i")[0]
    assert r["status"] == "HOLDS" and _num(r["rhs"]) == pytest.approx(1e-6 ** -0.5, rel=1e-12)
    assert math.isfinite(_num(r["lhs"]))
