"""lyu2021 on a user's data (issue 12): made-up datasets (not the catalog's) run through
``earlyalign check --paper lyu2021 --data FILE``; their numbers are compared with values computed here, independently of
the package (closed forms, scipy SLSQP duals); data failing an assumption is NOT_APPLICABLE naming it, and a setting the
paper does not have (reduction "sum", a horizon on a static claim, ...) is refused by name.

The data:

* SYM, symmetric and separable (Assumptions 3.2, 4.1, 4.5): x = (0.9, 0.1), (0.5, 0.7), (0.6, -0.3) with y = +1 and
  their negations with y = -1. Its max-margin separator is w* = (10, 1)/sqrt(101) with gamma_w* = 5.7/sqrt(101) (the
  support vectors (0.5, 0.7) and (0.6, -0.3) differ by (0.1, -1), orthogonal to (10, 1); the third point has margin
  9.1/sqrt(101)); mu = (2/3, 1/6), ||mu|| = sqrt(17)/6. It is also orthogonally separable (App. H), with
  w^+ = -w^- = w*/gamma_w*.
* NS, non-symmetric: x = (0.35, 0.3), (0.4, -0.3), (0.6, 0.45), (0.65, -0.35) with y = +1, (-0.9, 0.1), (-0.85, -0.2)
  with y = -1. Assumptions A.2, A.3, A.5 hold; the SVM of x^+ (negatives scaled by alpha = 1/2) has the two positive
  support vectors (0.35, 0.3), (0.4, -0.3): w^+ = (12, 1)/sqrt(145), gamma^+ = 4.5/sqrt(145). It is orthogonally
  separable too.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess

import numpy as np
import pytest
from scipy.optimize import minimize

from checks.runner import run_claims
from numerics.datasets import load_user_dataset
from theory import registry

EXE = shutil.which("earlyalign")
SYM_P = [[0.9, 0.1], [0.5, 0.7], [0.6, -0.3]]
SYM = {"X": SYM_P + [[-a, -b] for a, b in SYM_P], "y": [1, 1, 1, -1, -1, -1], "name": "made-up symmetric"}
NS = {"X": [[0.35, 0.3], [0.4, -0.3], [0.6, 0.45], [0.65, -0.35], [-0.9, 0.1], [-0.85, -0.2]],
      "y": [1, 1, 1, 1, -1, -1], "name": "made-up non-symmetric"}

# closed forms (module docstring)
W_STAR = np.array([10.0, 1.0]) / math.sqrt(101)
GAMMA_W = 5.7 / math.sqrt(101)
MU_NORM = math.sqrt(17) / 6
W_PLUS = np.array([12.0, 1.0]) / math.sqrt(145)
GAMMA_PLUS = 4.5 / math.sqrt(145)


def ea(*args, cache):
    env = dict(os.environ, EARLYALIGN_CACHE_DIR=str(cache))
    env.pop("EARLYALIGN_PLUGINS", None)
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, timeout=1800)


def write(tmp_path, name, obj):
    f = tmp_path / name
    f.write_text(json.dumps(obj))
    return f


def results(stdout):
    return {r["id"]: r for r in json.loads(stdout)["results"]}


def run_api(tmp_path, ids, obj):
    """The same path as --data, in process: the user file loaded by numerics.datasets.load_user_dataset and handed to
    the claims' data_instances by checks.runner.run_claims."""
    registry.reload()
    claims = [c for c in registry.claims("lyu2021") if c.id in ids]
    run = run_claims(claims, data=load_user_dataset(write(tmp_path, "d.json", obj)), quiet=True)
    return {e.claim_id: e for e in run.evidences}


# ----------------------------------------------------------------------------- independent values


def svm_dual(X, y):
    """(w*, gamma_w*): the min-norm point of conv{y_i x_i} (SLSQP on the simplex; Definition 3.3 by duality)."""
    Z = np.asarray(y, dtype=float)[:, None] * np.asarray(X, dtype=float)
    n = len(Z)
    res = minimize(lambda p: float(np.sum((p @ Z) ** 2)), np.full(n, 1.0 / n), jac=lambda p: 2 * Z @ (p @ Z),
                   bounds=[(0, 1)] * n, constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1}], method="SLSQP",
                   options={"ftol": 1e-16, "maxiter": 1000})
    v = res.x @ Z
    return v / np.linalg.norm(v), float(np.linalg.norm(v))


def min_norm_one_class(Xc):
    """||w|| of min ||w|| s.t. <w, x_i> >= 1 on the rows of Xc (the (Q+-) of App. H), SLSQP."""
    Xc = np.asarray(Xc, dtype=float)
    res = minimize(lambda w: float(w @ w), Xc.mean(0) * 5, jac=lambda w: 2 * w, method="SLSQP",
                   constraints=[{"type": "ineq", "fun": lambda w: Xc @ w - 1, "jac": lambda w: Xc}],
                   options={"ftol": 1e-16, "maxiter": 1000})
    return float(np.linalg.norm(res.x))


def test_the_closed_forms_of_the_made_up_data():
    """The closed forms used below, against the SLSQP duals (two independent routes)."""
    w, g = svm_dual(SYM["X"], SYM["y"])
    assert np.allclose(w, W_STAR, atol=1e-7) and g == pytest.approx(GAMMA_W, rel=1e-9)
    X, y = np.array(NS["X"]), np.array(NS["y"], dtype=float)
    Xp = np.where((y > 0)[:, None], X, 0.5 * X)
    w, g = svm_dual(Xp, y)
    assert np.allclose(w, W_PLUS, atol=1e-7) and g == pytest.approx(GAMMA_PLUS, rel=1e-9)
    assert min_norm_one_class(SYM_P) == pytest.approx(1 / GAMMA_W, rel=1e-8)


# ----------------------------------------------------------------------------- the made-up symmetric set


def test_symmetric_set_through_the_cli(tmp_path):
    """Theorem 4.2 / Definition 3.3 / Eq. (3) / Theorem H.2 on SYM: no ERROR, and the global max margin (the convex
    reformulation) is (1 + alpha)/4 times the linear max margin at every alpha of the default sweep; lambda_0 =
    (1 + alpha)/4 ||mu||; with ReLU (the default of App. H when no gamma is given) val(P) = ||w^+|| + ||w^-|| =
    2/gamma_w*."""
    f = write(tmp_path, "sym.json", SYM)
    ids = ["lyu2021.definition3.3", "lyu2021.theorem4.2", "lyu2021.eq3.corrected", "lyu2021.theoremH.2"]
    # ids are prefixes: lyu2021.theorem4.2 runs lyu2021.theorem4.2.linear too
    p = ea("check", "--paper", "lyu2021", *ids, "--data", str(f), "--json", "-", "--jobs", "1", "--quiet",
           cache=tmp_path / "cache")
    assert p.returncode == 0, p.stderr
    r = results(p.stdout)
    assert sorted(r) == sorted(ids + ["lyu2021.theorem4.2.linear"])
    assert not [k for k, v in r.items() if v["status"] == "ERROR"]
    assert all(r[k]["status"] == "HOLDS" for k in ids), {k: (v["status"], v["message"]) for k, v in r.items()}
    assert r["lyu2021.definition3.3"]["lhs"] == pytest.approx(GAMMA_W, rel=1e-12)
    rows = r["lyu2021.theorem4.2"]["grid"]
    assert [row["point"]["alpha"] for row in rows] == [0.1, 0.5, 0.9]       # no gamma given: the paper's sweep
    for row in rows:
        a = row["point"]["alpha"]
        assert row["lhs"] == pytest.approx((1 + a) / 4 * GAMMA_W, rel=1e-9)  # the convex reformulation's value
    assert r["lyu2021.eq3.corrected"]["lhs"] == pytest.approx(0.375 * MU_NORM, rel=1e-12)
    assert r["lyu2021.theoremH.2"]["lhs"] == pytest.approx(2 * min_norm_one_class(SYM_P), rel=1e-8)
    assert r["lyu2021.theoremH.2"]["settings"]["alpha"] == 0.0
    assert r["lyu2021.theorem4.2"]["settings"] == {"dataset": "made-up symmetric", "alpha": 0.5, "m": 2}
    summary = json.loads(p.stdout)["data_summary"]
    assert summary["n"] == 6 and summary["d"] == 2
    assert {a["name"] for a in summary["assumptions"] if a["state"] == "holds"} >= {
        "Assumption 4.1 (symmetric)", "Assumption 3.2 (linearly separable)", "Definition H.1 (orthogonally separable)"}


def test_user_gamma_and_settings_are_used_and_named(tmp_path):
    """gamma = 0.3 replaces the alpha sweep of Theorem 4.2 and Eq. (3) uses it; the file's m, seed, lam reach the limit
    run (its settings say so), whose limit margin is the global max (1 + alpha)/4 gamma_w* (Corollary 4.4) and limit
    function (1 + alpha)/4 <w*, x> (Theorem 4.3); the static claims refuse those init settings by name."""
    ev = run_api(tmp_path, {"lyu2021.theorem4.2", "lyu2021.eq3.corrected"}, {**SYM, "gamma": 0.3})
    t42 = ev["lyu2021.theorem4.2"]
    assert str(t42.status) == "HOLDS" and [row["point"]["alpha"] for row in t42.grid] == [0.3]
    assert float(t42.grid[0]["lhs"]) == pytest.approx(1.3 / 4 * GAMMA_W, rel=1e-9)
    assert float(ev["lyu2021.eq3.corrected"].grid[0]["lhs"]) == pytest.approx(1.3 / 4 * MU_NORM, rel=1e-12)
    ev = run_api(tmp_path, {"lyu2021.theorem4.2", "lyu2021.corollary4.4", "lyu2021.theorem3.1.kkt",
                            "lyu2021.theorem4.3"}, {**SYM, "gamma": 0.3, "params": {"m": 3, "seed": 4, "lam": 1e-5}})
    msg = ev["lyu2021.theorem4.2"].message
    assert str(ev["lyu2021.theorem4.2"].status) == "NOT_APPLICABLE"
    assert "params.seed = 4 is not a setting of this claim (it uses: m)" in msg and "params.lam = 1e-05" in msg
    for cid in ("lyu2021.corollary4.4", "lyu2021.theorem3.1.kkt", "lyu2021.theorem4.3"):
        e = ev[cid]
        assert str(e.status) == "HOLDS", (cid, e.message)
        assert e.settings["m"] == 3 and e.settings["seed"] == 4 and e.settings["sigma"] == 1e-5
        assert e.settings["alpha"] == 0.3
    assert float(ev["lyu2021.corollary4.4"].grid[0]["lhs"]) == pytest.approx(1.3 / 4 * GAMMA_W, rel=1e-7)
    row = ev["lyu2021.theorem4.3"].grid[0]
    x = np.array(json.loads(row["witness"]["x"]))
    assert float(row["lhs"]) == pytest.approx(1.3 / 4 * float(W_STAR @ x), rel=1e-6)


# ----------------------------------------------------------------------------- assumptions and settings that fail


def test_assumptions_failing_on_the_data_are_named(tmp_path):
    """SYM without its last point breaks Assumption 4.1 (Theorem 4.2 NOT_APPLICABLE, naming x_3); SYM itself has
    ||mu^+|| = ||mu^-|| (Assumption A.3 fails for Theorem A.7); SYM in d = 3 (a zero third coordinate) cannot evaluate
    the A.5 LP (d = 2 only) and says so; a ReLU file (gamma = 0) is refused by the leaky claims, a leaky one by App. H."""
    ev = run_api(tmp_path, {"lyu2021.theorem4.2"}, {"X": SYM["X"][:5], "y": SYM["y"][:5]})
    e = ev["lyu2021.theorem4.2"]
    assert str(e.status) == "NOT_APPLICABLE" and "Assumption 4.1" in e.message and "x_3" in e.message
    ev = run_api(tmp_path, {"lyu2021.theoremA.7"}, SYM)
    e = ev["lyu2021.theoremA.7"]
    assert str(e.status) == "NOT_APPLICABLE" and "Assumption A.3" in e.message
    ev = run_api(tmp_path, {"lyu2021.finding.F2"}, {"X": [r + [0.0] for r in NS["X"]], "y": NS["y"]})
    e = ev["lyu2021.finding.F2"]
    assert str(e.status) == "NOT_APPLICABLE" and "d = 3" in e.message and "d = 2 only" in e.message
    ev = run_api(tmp_path, {"lyu2021.theorem4.2", "lyu2021.theoremH.2"}, {**SYM, "gamma": 0.0})
    assert str(ev["lyu2021.theoremH.2"].status) == "HOLDS"
    assert str(ev["lyu2021.theorem4.2"].status) == "NOT_APPLICABLE" and "gamma = 0.0" in ev["lyu2021.theorem4.2"].message
    ev = run_api(tmp_path, {"lyu2021.theoremH.2"}, {**SYM, "gamma": 0.5})
    assert str(ev["lyu2021.theoremH.2"].status) == "NOT_APPLICABLE" and "gamma = 0.5" in ev["lyu2021.theoremH.2"].message


def test_bad_settings_are_refused_by_name(tmp_path):
    """reduction "sum" and loss "square" (the paper's L is the mean logistic loss), labels not +-1, a horizon T on a
    static claim or too short for a limit, an init scheme a theorem does not start from: NOT_APPLICABLE, naming them."""
    ids = {"lyu2021.definition3.3", "lyu2021.theorem4.3", "lyu2021.corollaryB.18"}
    for obj, needle in (({**SYM, "reduction": "sum"}, "reduction = 'sum'"),
                        ({**SYM, "loss": "square"}, "loss = 'square'"),
                        ({"X": SYM["X"], "y": [2, 2, 2, -1, -1, -1]}, "labels")):
        ev = run_api(tmp_path, ids, obj)
        for cid in ids:
            assert str(ev[cid].status) == "NOT_APPLICABLE" and needle in ev[cid].message, (cid, ev[cid].message)
    ev = run_api(tmp_path, ids, {**SYM, "params": {"T": 20.0, "m": 2}})
    msg = ev["lyu2021.definition3.3"].message
    assert "params.T = 20.0 is not a setting of this claim" in msg and "params.m = 2 is not a setting" in msg
    assert "horizon in [1e20, 1e300]" in ev["lyu2021.theorem4.3"].message
    b18 = ev["lyu2021.corollaryB.18"]                                       # a window [0, T] of width m: both used
    assert str(b18.status) == "HOLDS" and b18.settings["T"] == 20.0 and b18.settings["m"] == 2, b18.message
    ev = run_api(tmp_path, {"lyu2021.corollaryB.18", "lyu2021.definition3.3"}, {**SYM, "params": {"init": "gaussian"}})
    assert "params.init = 'gaussian'" in ev["lyu2021.corollaryB.18"].message    # B.18 starts balanced
    assert "params.init = 'gaussian'" in ev["lyu2021.definition3.3"].message    # no init at all
    ev = run_api(tmp_path, {"lyu2021.lemma5.4"}, {**SYM, "params": {"lam10_grid": [-3.0, -5.0]}})
    assert "params.lam10_grid" in ev["lyu2021.lemma5.4"].message


def test_a_biased_extrapolation_is_unresolved_not_violated(tmp_path):
    """A made-up symmetric set in d = 3 (symmetric_separable(n_half=5, d=3, margin=0.15, seed=7), not a catalog set)
    whose flow has not reached its asymptotic regime by t = 1e250: the margin extrapolated in 1/||theta||^2 lands
    above the global max margin of the network class (computed here independently by the same closed form
    (1 + alpha)/4 gamma_w*, gamma_w* by SLSQP), which no network can exceed; the limit claims on that run are then
    INCONCLUSIVE with that reason, not VIOLATED (they were VIOLATED before the certificate)."""
    from theory.papers.lyu2021.datasets import symmetric_separable
    ds = symmetric_separable(n_half=5, d=3, margin=0.15, seed=7)
    obj = {"X": ds.X.tolist(), "y": ds.y.tolist(), "name": "made-up symmetric d = 3"}
    ev = run_api(tmp_path, {"lyu2021.corollary4.4", "lyu2021.theorem4.3"}, obj)
    g_glob = 0.375 * svm_dual(ds.X, ds.y)[1]
    for cid in ("lyu2021.corollary4.4", "lyu2021.theorem4.3"):
        e = ev[cid]
        assert str(e.status) == "INCONCLUSIVE", (cid, e.status, e.message)
        log = " ".join(" ".join(x["log"]) for x in e.escalations)
        assert "above the global max margin" in log and "asymptotic regime not reached" in log
        g_inf = float(log.split("extrapolated limit margin ")[1].split(" ")[0])
        assert g_inf > g_glob * (1 + 1e-6)


def test_appendix_g_lemmas_on_the_non_symmetric_set(tmp_path):
    """Lemmas G.2 and G.1 on NS (alpha = 1/2): every row's closed form sum_j Delta_ij equals the LP value
    min_{alpha_j in [alpha, 1]} <z_i, sum_j alpha_j z_j> (scipy linprog here); the A.2 min margin is the paper's formula
    evaluated here, and the A.1 sup is at least the A.1 slack at w^+ (closed form). NS in d = 3 is refused by name (the
    A.1 sup scans the circle), and a symmetric set with mu = 0 (three inputs at 120 degrees and their negations) is
    refused by the Phase-I rate (lambda_0 = 0), never a flow that cannot leave its window."""
    from scipy.optimize import linprog
    ev = run_api(tmp_path, {"lyu2021.lemmaG.1", "lyu2021.lemmaG.2"}, NS)
    X, y, alpha = np.array(NS["X"]), np.array(NS["y"], dtype=float), 0.5
    Z = y[:, None] * X
    G = Z @ Z.T
    lp = [linprog(G[i], bounds=[(alpha, 1.0)] * len(y), method="highs").fun for i in range(len(y))]
    g2 = ev["lyu2021.lemmaG.2"]
    assert str(g2.status) == "HOLDS", g2.message
    row = g2.grid[0]
    assert float(row["lhs"]) == pytest.approx(lp[row["witness"]["row"]], rel=1e-12)
    mu = Z.mean(0)
    a2 = float(np.min(Z @ mu - (1 - alpha) / (len(y) * alpha) * np.maximum(-G, 0).sum(1)))
    P = np.linalg.norm(X - np.outer(X @ W_PLUS, W_PLUS), axis=1)
    a1_at_w_plus = float(np.min(y * (X @ W_PLUS))) / P.max() - P.mean() / (alpha * mu @ W_PLUS)
    g1 = ev["lyu2021.lemmaG.1"]
    info = g1.grid[0]["info"]
    assert str(g1.status) == "HOLDS", g1.message
    assert info["A.2 min margin"] == pytest.approx(a2, rel=1e-12) and float(g1.grid[0]["lhs"]) == pytest.approx(a2)
    assert info["sup A.1 slack (A.1 holds iff > 0)"] >= a1_at_w_plus > 0
    e = run_api(tmp_path, {"lyu2021.lemmaG.1"}, {"X": [r + [0.0] for r in NS["X"]], "y": NS["y"]})["lyu2021.lemmaG.1"]
    assert str(e.status) == "NOT_APPLICABLE" and "d = 3" in e.message
    tri = [[0.9 * math.cos(2 * math.pi * k / 3), 0.9 * math.sin(2 * math.pi * k / 3)] for k in range(3)]
    e = run_api(tmp_path, {"lyu2021.linearization.rate"},
                {"X": tri + [[-a, -b] for a, b in tri], "y": [1, 1, 1, -1, -1, -1]})["lyu2021.linearization.rate"]
    assert str(e.status) == "NOT_APPLICABLE" and "lambda_0 = 0" in e.message, e.message


# ----------------------------------------------------------------------------- the whole paper (slow)


@pytest.mark.slow
def test_whole_paper_on_the_made_up_sets(tmp_path):
    """``earlyalign check --paper lyu2021 --data FILE`` on SYM and NS: no ERROR, every claim stated for a general
    dataset runs (or is NOT_APPLICABLE by name), and the numbers agree with the closed forms: Theorem 5.5's limit
    direction 1/2 (w*, -w*, 1, -1), the Phase-I rate lambda_0 = (1 + alpha)/4 ||mu|| (1e-3, the claim's tolerance),
    Lemma A.4's margin gamma^+/2, Theorem A.7's limit 1/2 phi(<w^+, x>), Theorem H.2 on NS."""
    p = ea("check", "--paper", "lyu2021", "--data", str(write(tmp_path, "sym.json", SYM)), "--json", "-", "--jobs", "1",
           "--quiet", cache=tmp_path / "cache")
    r = results(p.stdout)
    assert not [k for k, v in r.items() if v["status"] == "ERROR"], p.stdout[-2000:]
    run = [k for k, v in r.items() if v["status"] != "NOT_CHECKABLE"]
    assert len(run) >= 50
    t55 = r["lyu2021.theorem5.5"]["grid"][0]
    k = int(t55["witness"]["component"].split("_")[1]) - 1
    target = 0.5 * np.r_[W_STAR, -W_STAR, 1.0, -1.0]
    assert t55["lhs"] == pytest.approx(target[k], abs=1e-6)
    assert r["lyu2021.linearization.rate"]["lhs"] == pytest.approx(0.375 * MU_NORM, rel=1e-3)
    for cid in ("lyu2021.theorem4.2", "lyu2021.corollary4.4", "lyu2021.theorem4.3", "lyu2021.theorem5.5",
                "lyu2021.lemma5.2", "lyu2021.theoremH.2"):
        assert r[cid]["status"] == "HOLDS", (cid, r[cid]["status"], r[cid]["message"])
    p = ea("check", "--paper", "lyu2021", "--data", str(write(tmp_path, "ns.json", NS)), "--json", "-", "--jobs", "1",
           "--quiet", cache=tmp_path / "cache")
    r = results(p.stdout)
    assert not [k for k, v in r.items() if v["status"] == "ERROR"], p.stdout[-2000:]
    assert r["lyu2021.lemmaA.4"]["lhs"] == pytest.approx(GAMMA_PLUS / 2, rel=1e-12)
    a7 = r["lyu2021.theoremA.7"]
    assert a7["status"] == "HOLDS", a7["message"]
    x = np.array(json.loads(a7["grid"][0]["witness"]["x"]))
    z = float(W_PLUS @ x)
    assert a7["lhs"] == pytest.approx(0.5 * (z if z > 0 else 0.5 * z), rel=1e-6)
    X, y = np.array(NS["X"]), np.array(NS["y"])
    assert r["lyu2021.theoremH.2"]["lhs"] == pytest.approx(min_norm_one_class(X[y > 0]) + min_norm_one_class(X[y < 0]),
                                                           rel=1e-8)
    assert r["lyu2021.theorem4.2"]["status"] == "NOT_APPLICABLE" and "Assumption 4.1" in r["lyu2021.theorem4.2"]["message"]
