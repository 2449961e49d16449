"""tsoy2024 on a user's dataset (issue 12): ``earlyalign check --paper tsoy2024 --data FILE`` on XOR data made up here
(two orbits of the symmetry group of Assumption 5.1, none of the catalog's D2(p) / D3(p) sets), its numbers against
values computed in the test with numpy (G(e_1) = (a_1 + a_2 - b_1 - b_2)/16, theta^mm's margin min_k (a_k - b_k)/8 and
the convex value 1/(2 gamma), delta of Assumption 5.1, kappa* from Remark B.7's bound in the d = 3 closed form and the
linearised closed form of catalog §1.3 for Theorem 4.1's direction error), data that fail an assumption (d even,
delta + xi > 0.01, several orbits) and settings the paper excludes (sum reduction, an unused setting, an unbalanced
init), each NOT_APPLICABLE by name.

The CLI runs in a subprocess with its own cache directory under tmp_path (nothing shared with other tests); the
refusals run the same runner in process (no cache)."""
from __future__ import annotations

import json
import math
from itertools import product

import numpy as np
import pytest

from cli_inprocess import check_json
from checks.runner import run_claims
from numerics.datasets import load_user_dataset
from theory import registry


#: the base points of the two orbits (made up for this test): x = (a, b, c), a - b = 0.89 for both
BASE = [(0.93, 0.04, 0.06), (0.96, 0.07, 0.03)]
XI = 0.01   # the smoothing of the smoothed-ReLU claims on user data (theory.papers.tsoy2024.datasets.DATA_XI)


def orbit_data(base, d):
    """The orbit under R_1, R_2, R_r, P of each base point (first d coordinates), labels +1 at +-e_1, -1 at +-e_2."""
    X = []
    for pt in base:
        p = np.array(pt[:d])
        for s in product((1.0, -1.0), repeat=d):
            q = np.array(s) * p
            X.append(q)
            X.append(np.r_[q[1], q[0], q[2:]])
    X = np.unique(np.array(X), axis=0)
    y = np.where(np.abs(X[:, 0]) > np.abs(X[:, 1]), 1.0, -1.0)
    return X, y


def _check(tmp_path, data: dict, *ids, name="mine.json"):
    """``earlyalign check [ids] --paper tsoy2024 --data FILE --json -`` (in process, tests/cli_inprocess.py) with its
    own cache; the JSON and the exit code."""
    f = tmp_path / name
    f.write_text(json.dumps(data))
    out, rc, _ = check_json([*ids, "--paper", "tsoy2024", "--data", str(f)], tmp_path / "cache")
    return out, rc


def _one(out, cid, contains=""):
    rows = [r for r in out["results"] if r["id"] == cid and contains in r["instance"]]
    assert len(rows) == 1, (cid, [r["instance"] for r in out["results"] if r["id"] == cid])
    return rows[0]


def _failing(r):
    return [h["name"] + ": " + h["detail"] for h in r["hypotheses"] if h["state"] == "fails"]


def _kappa_star(X, lam, xi):
    """kappa* = 2 lambda/(b_1 - lambda), b_1 = 2 (1 + xi)/2 + (1/2) sup ||hess phi|| (Remark B.7), the d = 3 Hessian
    on the sphere in closed form (catalog §1.3): xi 3 (1 - c^2)^2/16 + (3/4)(1 - c^2)(||x||^2 - xi^2 c^2)/xi."""
    nx2 = float(np.max(np.sum(X * X, axis=1)))
    c = np.linspace(-1, 1, 400001)
    hess = xi * 3 * (1 - c * c) ** 2 / 16 + 0.75 * (1 - c * c) * (nx2 - xi * xi * c * c) / xi
    b1 = (1 + xi) + 0.5 * float(hess.max())
    return 2 * lam / (b1 - lam)


@pytest.fixture(scope="module")
def xor3(tmp_path_factory):
    X, y = orbit_data(BASE, 3)
    out = _check(tmp_path_factory.mktemp("tsoy3"), {"name": "two-orbit-xor3", "X": X.tolist(), "y": y.tolist()},
                 "tsoy2024.lemma5.2", "tsoy2024.theorem4.1.direction", "tsoy2024.theorem4.1.R", "tsoy2024.prop5.8",
                 "tsoy2024.prop5.7", "tsoy2024.propD.2", "tsoy2024.remarkB.4", "tsoy2024.finding.F3")
    return X, y, out


def test_made_up_xor_runs_without_error(xor3):
    X, y, (out, code) = xor3
    st = {(r["id"], r["instance"]): r["status"] for r in out["results"]}
    assert "ERROR" not in st.values(), st
    assert code == 1            # finding.F3 is VIOLATED (the printed strictness is false), nothing ERRORs
    assert len(X) == 32 and np.max(np.linalg.norm(X, axis=1)) <= 1
    for cid in ("tsoy2024.lemma5.2", "tsoy2024.lemma5.2.bound", "tsoy2024.theorem4.1.direction",
                "tsoy2024.prop5.8.kkt", "tsoy2024.prop5.8.i", "tsoy2024.propD.2", "tsoy2024.remarkB.4"):
        assert {r["status"] for r in out["results"] if r["id"] == cid} == {"HOLDS"}, cid
    assert _one(out, "tsoy2024.finding.F3")["status"] == "VIOLATED"


def test_lemma52_value_is_the_closed_form(xor3):
    X, y, (out, _) = xor3
    a = sum(b[0] for b in BASE) - sum(b[1] for b in BASE)
    lam = a / 16                                                  # G(e_1) = (a_1 + a_2 - b_1 - b_2)/16
    assert lam == pytest.approx(float(np.mean(y * np.maximum(X[:, 0], 0))) / 2, rel=1e-14)
    for tag in ("ReLU", "smoothed"):                              # every |x_i^1| >= 0.04 > xi: phi = ReLU at e_1
        r = _one(out, "tsoy2024.lemma5.2", tag)
        assert r["lhs"] == pytest.approx(lam, rel=1e-9) and r["rhs"] == pytest.approx(lam, rel=1e-12)
        delta = max(math.dist(b, (1, 0, 0)) for b in BASE)
        xi = 0.0 if tag == "ReLU" else XI
        rb = _one(out, "tsoy2024.lemma5.2.bound", tag)
        assert rb["rhs"] == pytest.approx((1 - 3 * delta - 2 * xi) / 8, rel=1e-9)


def test_theorem41_direction_error_is_the_linearised_closed_form(xor3):
    X, _, (out, _) = xor3
    lam = (sum(b[0] for b in BASE) - sum(b[1] for b in BASE)) / 16
    kap = _kappa_star(X, lam, XI)
    reg = min(min(b[0], b[1]) for b in BASE)                       # min_i |x_i^1| at the extremum e_1
    R = math.hypot(1.0, reg)                                      # alpha_0: inside the activation region of e_1
    a0 = math.acos((reg + XI) / (2 * R)) - math.atan2(1.0, reg)
    r = _one(out, "tsoy2024.theorem4.1.direction")
    assert len(r["grid"]) == 4
    for g in r["grid"]:
        assert g["info"]["kappa*"] == pytest.approx(kap, rel=1e-6)
        rk = 10.0 ** (kap * g["log10_param"])
        half = math.atan(math.tan(a0 / 2) * rk)                    # tan(alpha/2) = tan(alpha_0/2) e^{-lambda T_1}
        assert g["lhs"] == pytest.approx(2 * math.sin(half), rel=1e-5)
    nr = _one(out, "tsoy2024.theorem4.1.R")                       # no R-neuron on these data: said, not faked
    assert nr["status"] == "NOT_APPLICABLE" and "R-neuron" in " ".join(_failing(nr))


def test_max_margin_is_theta_mm_and_the_hypotheses_name_what_fails(xor3):
    X, y, (out, _) = xor3
    g_mm = min(b[0] - b[1] for b in BASE) / 8                      # gamma(theta^mm), ||theta^mm||^2 = 8
    kkt = _one(out, "tsoy2024.prop5.8.kkt")
    assert kkt["grid"][0]["info"]["val(P)"] == pytest.approx(1 / (2 * g_mm), rel=1e-7)   # the global max margin
    glob = _one(out, "tsoy2024.prop5.8.global")                  # two orbits: the hypothesis says so
    assert glob["status"] == "NOT_APPLICABLE" and "single orbit" in " ".join(_failing(glob))
    c = np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]], dtype=float)
    delta = float(np.max(np.min(np.linalg.norm(X[:, None] - c[None], axis=2), axis=1)))
    p57 = _one(out, "tsoy2024.prop5.7")                           # delta + xi = 0.1005 > 0.01
    assert p57["status"] == "NOT_APPLICABLE"
    assert f"delta + xi = {delta:.6g}" in " ".join(_failing(p57))


def test_even_d_unbalanced_init_and_sum_reduction_are_refused_by_name(tmp_path):
    """In process (checks.runner.run_claims with the loaded file, as the CLI does): no second interpreter start."""
    X, y = orbit_data(BASE, 2)
    f = tmp_path / "mine2.json"
    f.write_text(json.dumps({"name": "two-orbit-xor2", "X": X.tolist(), "y": y.tolist(), "reduction": "sum",
                             "params": {"init": "gaussian", "eps": 0.01}}))
    ids = ("tsoy2024.theorem4.1.direction", "tsoy2024.eq1.conservation", "tsoy2024.lemma5.2")
    run = run_claims(registry.select(list(ids)), data=load_user_dataset(f), jobs=1, cache=None, quiet=True)
    out = {"results": [e.to_json() for e in run.evidences]}
    assert {r["status"] for r in out["results"]} == {"NOT_APPLICABLE"}
    t41 = " ".join(_failing(_one(out, "tsoy2024.theorem4.1.direction")))
    assert "d = 2" in t41 and "reduction = 'sum'" in t41 and "params.eps" in t41 and "params.init" in t41
    cons = " ".join(_failing(_one(out, "tsoy2024.eq1.conservation")))
    assert "params.init = 'gaussian'" in cons and "balanced" in cons and "params.eps" in cons
    l52 = " ".join(_failing(_one(out, "tsoy2024.lemma5.2", "ReLU")))
    assert "reduction = 'sum'" in l52 and "params.init" in l52


@pytest.mark.slow
def test_every_class_claim_runs_on_made_up_data(tmp_path):
    """The whole paper on the made-up d = 3 set (about 30 s): no ERROR; the findings F1 (Lemma 5.3's product bound)
    and F7 are VIOLATED on these data too, their controls hold."""
    X, y = orbit_data(BASE, 3)
    out, code = _check(tmp_path, {"name": "two-orbit-xor3", "X": X.tolist(), "y": y.tolist(),
                                  "params": {"seed": 1}})
    st = {(r["id"], r["instance"]): r["status"] for r in out["results"]}
    assert "ERROR" not in st.values(), st
    for cid in ("tsoy2024.finding.F1", "tsoy2024.finding.F7"):
        r = _one(out, cid)
        assert r["status"] == "VIOLATED" and r["control"]["status"] == "HOLDS", cid
