"""The claim model, judgement rules, precision ladder, thresholds, knobs, registry, cache and runner.

Expected values are computed by hand from the fixture statements (tests/fixture_claims.py) or taken
from the boursier2022 claim catalog (claims_004.md), never from the checker's own output.
"""
from __future__ import annotations

import json
import math
import pickle
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from checks.cache import Cache, code_version
from checks.runner import exit_code_for, run_claims
from numerics.datasets import Dataset
from theory import registry
from theory.claims import (Claim, Hypothesis, Instance, Measurement, Mutant, NeedsPrecision, Status, aggregate_status,
                           judge_measurement)

FIXTURE = str(Path(__file__).with_name("fixture_claims.py"))


@pytest.fixture
def fixtures(monkeypatch):
    """Registry with the fixture plugin loaded (restored afterwards)."""
    monkeypatch.setenv("EARLYALIGN_PLUGINS", FIXTURE)
    monkeypatch.delenv("EARLYALIGN_FIXTURE_ERROR", raising=False)
    registry.reload()
    yield registry
    monkeypatch.delenv("EARLYALIGN_PLUGINS")
    registry.reload()


def _fx():
    import importlib.util
    import sys

    name = "earlyalign_plugin_fixture_claims"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FIXTURE)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


x, y = sp.symbols("x y", real=True)


# ----------------------------------------------------------------------------- judgement rules


def test_judge_inequality_statuses_and_signed_slack():
    rel = sp.Ge(x, y)
    j = judge_measurement(rel, Measurement({"x": [3.0, 1.0], "y": [1.0, 0.5]}, errors={"x": 0.1, "y": 0.0}))
    assert j["status"] == Status.HOLDS and float(j["slack"]) == pytest.approx(0.5)   # worst point: 1 - 0.5
    assert j["index"] == 1 and float(j["err"]) == pytest.approx(0.1)
    j = judge_measurement(rel, Measurement({"x": [1.0], "y": [2.0]}, errors={"x": 0.1, "y": 0.1}))
    assert j["status"] == Status.VIOLATED and float(j["slack"]) == pytest.approx(-1.0)
    assert float(j["err"]) == pytest.approx(0.2)  # |d/dx| 0.1 + |d/dy| 0.1
    j = judge_measurement(rel, Measurement({"x": [1.0], "y": [1.05]}, errors={"x": 0.1, "y": 0.0}))
    assert j["status"] == Status.INCONCLUSIVE
    # <= flips the sign of the slack
    j = judge_measurement(sp.Le(x, y), Measurement({"x": [1.0], "y": [3.0]}, errors={"x": 0, "y": 0}))
    assert float(j["slack"]) == pytest.approx(2.0) and j["status"] == Status.HOLDS


def test_judge_error_propagation_uses_the_gradient():
    # slack = x^2 - 3 y: d/dx = 2x = 4 at x = 2, d/dy = -3
    j = judge_measurement(sp.Ge(x ** 2, 3 * y), Measurement({"x": 2.0, "y": 1.0}, errors={"x": 1e-3, "y": 1e-4}))
    assert float(j["err"]) == pytest.approx(4e-3 + 3e-4, rel=1e-6)


def test_judge_exact_zero_slack():
    m = Measurement({"x": mpmath.mpf(1), "y": mpmath.mpf(1)}, exact=True)
    assert judge_measurement(sp.Ge(x, y), m)["status"] == Status.HOLDS       # non-strict, exact
    assert judge_measurement(sp.Gt(x, y), m)["status"] == Status.VIOLATED    # strict, exact


def test_judge_needs_an_explicit_error_estimate():
    """Rule 5: a value handed over without an error estimate is an error, never error 0."""
    with pytest.raises(ValueError, match="no error estimate for symbol 'y'"):
        judge_measurement(sp.Ge(x, y), Measurement({"x": 1.0, "y": 1.0}, errors={"x": 0.0}))
    # exact for some symbols only
    j = judge_measurement(sp.Ge(x, y), Measurement({"x": 2.0, "y": 1.0}, errors={"x": 0.1}, exact=("y",)))
    assert j["status"] == Status.HOLDS and float(j["err"]) == pytest.approx(0.1)
    # 'rounding': 4 ulp of the float64 value
    j = judge_measurement(sp.Ge(x, y), Measurement({"x": 2.0, "y": 1.0}, errors={"x": "rounding"}, exact=("y",)))
    assert float(j["err"]) == pytest.approx(4 * 2.0 * np.finfo(float).eps, rel=1e-6)
    with pytest.raises(ValueError, match="must be a number"):
        judge_measurement(sp.Ge(x, y), Measurement({"x": 2.0, "y": 1.0}, errors={"x": "small"}, exact=("y",)))


def test_judge_nonfinite_error_is_never_holds():
    for rel in (sp.Ge(x, y), sp.Eq(x, y)):
        j = judge_measurement(rel, Measurement({"x": [0.0], "y": [0.0]}, errors={"x": math.inf, "y": 0.0}))
        assert j["status"] == Status.INCONCLUSIVE
        j = judge_measurement(rel, Measurement({"x": [1.0], "y": [0.0]}, errors={"x": math.nan, "y": 0.0}))
        assert j["status"] == Status.INCONCLUSIVE


def test_judge_equality_within_the_declared_tolerance():
    """Rule 2: lhs == rhs HOLDS iff |lhs - rhs| + err <= eq_rtol max(|lhs|, |rhs|) + eq_atol (resolved inside the
    tolerance), VIOLATED iff |lhs - rhs| - err > tolerance; default eq_rtol 1e-6."""
    eq = sp.Eq(x, y)
    ok = Measurement({"x": [1.0 + 1e-12], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    assert judge_measurement(eq, ok)["status"] == Status.HOLDS
    assert judge_measurement(eq, ok, eq_rtol=1e-12)["status"] == Status.INCONCLUSIVE   # error 1e-11 > tol 1e-12
    bad = Measurement({"x": [1.0 + 1e-9], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    assert judge_measurement(eq, bad)["status"] == Status.HOLDS                       # 1e-9 within 1e-6
    j = judge_measurement(eq, bad, eq_rtol=1e-10)
    assert j["status"] == Status.VIOLATED and float(j["slack"]) == pytest.approx(-1e-9, rel=1e-6)
    mid = Measurement({"x": [1.0 + 5e-11], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    assert judge_measurement(eq, mid, eq_rtol=5e-11)["status"] == Status.INCONCLUSIVE
    # a 23% relative error (the old rule accepted errors up to 100% of the value) is not HOLDS
    wide = Measurement({"x": [1.0], "y": [1.1]}, errors={"x": 0.23, "y": 0})
    assert judge_measurement(eq, wide)["status"] == Status.INCONCLUSIVE
    assert judge_measurement(eq, wide, eq_rtol=0.5)["status"] == Status.HOLDS
    # values below their own error: unresolved, must not pass vacuously
    blur = Measurement({"x": [3e-13], "y": [1e-13]}, errors={"x": 1e-12, "y": 1e-12})
    assert judge_measurement(eq, blur)["status"] == Status.INCONCLUSIVE
    # zero against zero: relative tolerance is empty; exact zeros hold, measured ones need eq_atol
    assert judge_measurement(eq, Measurement({"x": [0.0], "y": [0.0]}, exact=True))["status"] == Status.HOLDS
    zero = Measurement({"x": [0.0], "y": [0.0]}, errors={"x": 1e-16, "y": 0})
    assert judge_measurement(eq, zero)["status"] == Status.INCONCLUSIVE
    assert judge_measurement(eq, zero, eq_atol=1e-12)["status"] == Status.HOLDS


def test_judge_far_outside_float_range():
    lam = mpmath.mpf(10) ** -400
    j = judge_measurement(sp.Le(x, 2 * y), Measurement({"x": lam, "y": lam}, errors={"x": 0, "y": 0}))
    assert j["status"] == Status.HOLDS and mpmath.mpf(j["slack"]) == lam


def test_nonfinite_measurement_is_an_error():
    c = Claim(id="t.nan", paper="t", label="L", where="-", kind="closed-form", statement=sp.Ge(x, 0),
              instances=lambda tier: [Instance("i", {})],
              measure=lambda inst, pt, prec: Measurement({"x": float("nan")}, errors={"x": 0.0}))
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.ERROR and "non-finite" in ev.message


def test_aggregate_status_order():
    assert aggregate_status(["HOLDS", "VIOLATED", "NOT_APPLICABLE"]) == Status.VIOLATED
    assert aggregate_status(["HOLDS", "ERROR", "VIOLATED"]) == Status.ERROR
    assert aggregate_status(["HOLDS", "NOT_APPLICABLE"]) == Status.HOLDS
    assert aggregate_status(["NOT_APPLICABLE"]) == Status.NOT_APPLICABLE
    assert aggregate_status(["NOT_CHECKABLE"]) == Status.NOT_CHECKABLE
    assert exit_code_for(["HOLDS", "NOT_CHECKABLE"]) == 0
    assert exit_code_for(["HOLDS", "VIOLATED"]) == 1
    assert exit_code_for(["VIOLATED", "ERROR"]) == 2


# ----------------------------------------------------------------------------- claim validation


def test_claim_validation():
    with pytest.raises(ValueError, match="kind"):
        Claim(id="t.a", paper="t", label="L", where="-", kind="magic", statement=sp.Ge(x, 0),
              instances=lambda t: [], measure=lambda *a: None)
    with pytest.raises(ValueError, match="must start with its paper"):
        Claim(id="other.a", paper="t", label="L", where="-", kind="closed-form", statement=sp.Ge(x, 0),
              instances=lambda t: [], measure=lambda *a: None)
    with pytest.raises(ValueError, match="mutant uses symbols"):
        Claim(id="t.a", paper="t", label="L", where="-", kind="closed-form", statement=sp.Ge(x, 0),
              instances=lambda t: [], measure=lambda *a: None, mutant=Mutant(sp.Ge(y, 0), "other symbol"))
    with pytest.raises(ValueError, match="must say why"):
        Claim(id="t.q", paper="t", label="L", where="-", kind="qualitative")
    with pytest.raises(ValueError, match="needs statement"):
        Claim(id="t.b", paper="t", label="L", where="-", kind="closed-form")


def test_not_checkable_never_holds(fixtures):
    c = fixtures.get_claim("fixture.qualitative")
    assert not c.checkable
    ev = c.evaluate(Instance("x", {}))
    assert ev.status == Status.NOT_CHECKABLE and "existence" in ev.message
    run = run_claims([c])
    assert [str(e.status) for e in run.evidences] == ["NOT_CHECKABLE"]
    assert run.claim_summaries()[0]["status"] == "NOT_CHECKABLE"


# ----------------------------------------------------------------------------- fixture claims end to end


def test_fixture_verdicts_by_hand(fixtures):
    fx = _fx()
    run = run_claims(fixtures.claims("fixture"))
    st = {e.claim_id: e for e in run.evidences}
    assert st["fixture.amgm"].status == Status.HOLDS
    assert st["fixture.amgm"].mutant["status"] == "VIOLATED"
    tay = st["fixture.taylor"]
    assert tay.status == Status.VIOLATED
    # the worst point is x = 1 with slack e - 3 (by hand: e^x - 1 - x - x^2 on {-0.5, 0.5, 1, 2})
    assert tay.witness["x_point"] == 1.0 and tay.slack == pytest.approx(math.e - 3, rel=1e-12)
    knob = [k for k in tay.knobs if k["name"].startswith("coefficient")][0]
    assert knob["required"] == "<=" and knob["value"] == pytest.approx(fx.EXPECTED_TAYLOR_K, rel=1e-12)
    assert st["fixture.pythagoras"].status == Status.HOLDS
    assert st["fixture.pythagoras"].mutant["status"] == "VIOLATED"
    hyp = st["fixture.hyp"]
    assert hyp.status == Status.NOT_APPLICABLE and "Assumption Z" in hyp.message
    assert st["fixture.cauchy"].status == Status.HOLDS
    assert st["fixture.qualitative"].status == Status.NOT_CHECKABLE


def test_asymptotic_grid_threshold_and_knob(fixtures):
    """v = lam + 1e6 lam^2 <= 2 lam holds iff lam <= 1e-6: on {1e-2, 1e-4, 1e-8, 1e-16} the threshold is 1e-8."""
    c = fixtures.get_claim("fixture.scaling")
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.HOLDS
    th = ev.threshold
    assert th["label"] == "λ=1e-8" and th["value"] == pytest.approx(1e-8)
    assert sorted(th["not_holding_above"]) == ["λ=1e-2", "λ=1e-4"] and not th["holds_on_whole_grid"]
    rows = {r["label"]: r for r in ev.grid}
    assert rows["λ=1e-2"]["status"] == "VIOLATED" and rows["λ=1e-16"]["status"] == "HOLDS"
    assert rows["λ=1e-4"]["slack"] == pytest.approx(1e-4 - 1e6 * 1e-8)
    # knob: holds iff K >= v/lam = 1 + 1e6 lam, per grid point
    for lab, lam in (("λ=1e-2", 1e-2), ("λ=1e-8", 1e-8)):
        k = rows[lab]["knobs"][0]
        assert k["required"] == ">=" and k["value"] == pytest.approx(1 + 1e6 * lam, rel=1e-12)
    # the mutant v <= lam never holds: VIOLATED, decided at the smallest lambda
    assert ev.mutant["status"] == "VIOLATED" and ev.mutant["witness"]["λ"] == pytest.approx(1e-16)
    assert rows["λ=1e-8"]["display"]["measured"] == pytest.approx(1e-8 + 1e-10)


def test_scaling_law_fit():
    from theory.asymptotics import fit_loglog

    lams = [10.0 ** -k for k in (2, 4, 8)] + [mpmath.mpf(10) ** -400]
    fit = fit_loglog(lams, [5 * mpmath.mpf(l) ** 1.5 for l in lams])
    assert fit["slope"] == pytest.approx(1.5, abs=1e-12) and fit["stderr"] < 1e-10
    assert fit["intercept"] == pytest.approx(math.log10(5), abs=1e-10)
    noisy = fit_loglog([1e-2, 1e-4, 1e-6], [1e-2, 3e-4, 1e-6])
    assert noisy["stderr"] > 0.01


def test_asymptotic_claim_is_judged_on_the_exponent(fixtures):
    c = fixtures.get_claim("fixture.exponent")
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.HOLDS
    assert float(ev.lhs) == pytest.approx(2, abs=1e-3) and float(ev.rhs) == 2.0
    assert ev.grid[0]["info"]["fit"]["slope"] == pytest.approx(2, abs=1e-3)
    assert ev.mutant["status"] == "VIOLATED"


def test_precision_ladder_escalates(fixtures):
    c = fixtures.get_claim("fixture.ladder")
    inst = c.instances("fast")[0]
    only64 = c.evaluate(inst, precision="float64")
    assert only64.status == Status.INCONCLUSIVE
    ev = c.evaluate(inst)  # auto: float64 -> mp30
    assert ev.status == Status.HOLDS and ev.precision == "mp30"
    assert ev.escalations and "float64" in ev.escalations[0]["log"][0]
    assert ev.slack == pytest.approx(0.5e-17, rel=1e-9)
    assert ev.mutant["status"] == "VIOLATED"


def test_general_data_instances(fixtures):
    c = fixtures.get_claim("fixture.cauchy")
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    run = run_claims([c], data=Dataset(X, np.ones(3), "mine", "tests"))
    ev = run.evidences[0]
    assert ev.status == Status.HOLDS and ev.instance == "user mine"
    # tightest pair by hand: |<x_i,x_j>| / (||x_i|| ||x_j||) largest for (x_0, x_2): 1.5 vs sqrt(5 * 0.5)
    assert ev.witness["i"] == 0 and ev.witness["j"] == 2
    assert ev.slack == pytest.approx(math.sqrt(2.5) - 1.5)
    run1 = run_claims([c], data=Dataset(X[:1], np.ones(1), "one", "tests"))
    assert run1.evidences[0].status == Status.NOT_APPLICABLE and "n >= 2" in run1.evidences[0].message
    # a claim not stated for a general dataset is skipped
    run2 = run_claims([fixtures.get_claim("fixture.amgm")], data=Dataset(X, np.ones(3), "mine", "tests"))
    assert run2.evidences == [] and run2.skipped[0]["id"] == "fixture.amgm"


def test_error_is_kept_not_raised(fixtures, monkeypatch):
    monkeypatch.setenv("EARLYALIGN_FIXTURE_ERROR", "1")
    import sys
    sys.modules.pop("earlyalign_plugin_fixture_claims", None)
    registry.reload()
    c = registry.get_claim("fixture.boom")
    run = run_claims([c])
    assert run.evidences[0].status == Status.ERROR
    assert "fixture failure on purpose" in run.evidences[0].message
    assert run.exit_code() == 2
    sys.modules.pop("earlyalign_plugin_fixture_claims", None)


# ----------------------------------------------------------------------------- registry


def test_registry_selection(fixtures):
    ids = [c.id for c in fixtures.select(["boursier2022.lemma2"])]
    assert ids == ["boursier2022.lemma2.i", "boursier2022.lemma2.ii", "boursier2022.lemma2.iii"]
    with pytest.raises(fixtures.UnknownName, match="did you mean"):
        fixtures.select(["boursier2022.lemma2.iv"])
    with pytest.raises(fixtures.UnknownName, match="unknown paper"):
        fixtures.claims("nopaper")
    with pytest.raises(fixtures.UnknownName):
        fixtures.get_figure("nofigure")
    assert fixtures.get_figure("fixture.fig1").paper == "fixture"


def test_every_registered_claim_is_well_formed():
    from checks.render import latex_svg

    registry.reload()
    assert registry.load_errors() == []
    claims = registry.claims()
    assert len(claims) >= 4
    for c in claims:
        assert c.id.startswith(c.paper + ".") and c.label and c.where and c.catalog, c.id
        paper = registry.get_paper(c.paper)
        assert paper.result(c.result) is not None, f"{c.id}: result node {c.result!r} not in the paper graph"
        if c.checkable:
            assert c.hypotheses, f"{c.id} has no hypotheses"
            assert c.mutant is not None, f"{c.id} has no mutant"
            assert latex_svg(c.statement_latex()) is not None, f"{c.id}: statement not renderable"
            assert latex_svg(c.mutant_latex()) is not None, f"{c.id}: mutant not renderable"
            if c.control is not None:
                assert latex_svg(c.control_latex()) is not None, f"{c.id}: control not renderable"
            for what, rel in (("statement", c.statement), ("mutant", c.mutant.statement),
                              ("control", c.control.statement if c.control is not None else None)):
                if rel is not None:   # workers receive claims pickled: an unevaluated Eq must not collapse to False
                    back = pickle.loads(pickle.dumps(rel))
                    assert isinstance(back, sp.core.relational.Relational), f"{c.id}: {what} unpickles to {back!r}"
            for tier in ("fast", "full"):
                insts = c.instances(tier)
                assert len(insts) >= 2, f"{c.id}: needs the paper's instance and a generic one"
                assert len({i.key() for i in insts}) == len(insts)
        else:
            assert c.reason
    for p in registry.papers():
        ids = {r.id for r in p.results}
        for r in p.results:
            assert set(r.uses) <= ids, f"{p.key}: {r.id} uses unknown results {set(r.uses) - ids}"


# ----------------------------------------------------------------------------- boursier2022 facts from the catalog


def test_boursier2022_instances_match_the_catalog():
    """claims_004.md §1.3 DS-A seed 0: S_{+,1} = [6,14,25,29,30,33,34,35], S_{-,1} = [0,4,19,21], c = 3.223904;
    D9: printed eps_max = 1/5, corrected eps_max = 9/422."""
    from theory.papers.boursier2022 import common, phase1

    inst = phase1.lemma2_instances("fast")[0]
    X, yv = inst.arrays()
    g, s = common.init_draws(inst)
    plus, minus = common.key_set_lists(X, yv, g, s)
    assert plus == [6, 14, 25, 29, 30, 33, 34, 35] and minus == [0, 4, 19, 21]
    assert float(np.max(np.linalg.norm(g, axis=1))) == pytest.approx(3.223904, abs=1e-6)
    pr, co, ep, ec = common.eps_admissible(X, yv, 0.05)
    assert pr and not co
    assert ep == pytest.approx(1 / 5) and ec == pytest.approx(9 / 422)
    for h in phase1.LEMMA2_I.hypotheses:
        assert h.evaluate(inst)["ok"], h.name
    gen = phase1.lemma2_instances("fast")[1]
    assert all(h.evaluate(gen)["ok"] for h in phase1.LEMMA2_I.hypotheses)
    Xg, _ = gen.arrays()
    assert Xg.shape[1] >= 4 and np.allclose(Xg @ Xg.T, np.eye(len(Xg)), atol=1e-14)


def test_boursier2022_not_applicable_on_non_orthonormal_data():
    from theory.papers.boursier2022 import phase1

    data = Dataset(np.array([[-0.5, 1.0], [2.0, 1.0]]), np.array([-1.0, 1.0]), "DS-B", "tests")
    inst = phase1.lemma2_data_instances(data)[0]
    ev = phase1.LEMMA2_III.evaluate(inst)
    assert ev.status == Status.NOT_APPLICABLE
    assert "Assumption 1" in ev.message and "not normalised" in ev.message


# ----------------------------------------------------------------------------- cache and runner


def test_cache_key_and_roundtrip(tmp_path):
    v = code_version()
    assert v == code_version() and len(v) == 16
    k = Cache.key("a", "i", "auto", v)
    assert k != Cache.key("b", "i", "auto", v) != Cache.key("a", "j", "auto", v)
    assert k != Cache.key("a", "i", "float64", v) and k != Cache.key("a", "i", "auto", "other-version")
    c = Cache(tmp_path)
    assert c.get(k) is None
    rec = {"id": "a", "instance": "inst", "instance_key": "i", "status": "HOLDS"}
    c.put(k, rec)
    assert c.get(k) == rec
    path = c.dir / k[:2] / f"{k}.json"
    for bad in ("{corrupt", "{}", "[]", '{"id": "a", "instance": "x", "instance_key": "i", "status": "MAYBE"}',
                '{"id": "a", "instance": "x", "instance_key": "i", "status": "HOLDS", "grid": 5}'):
        path.write_text(bad)
        assert c.get(k) is None, bad           # a malformed entry is a miss ...
        assert c.malformed[-1] == str(path)    # ... naming the file
    c.put(k, rec)                              # and the next store rewrites it
    assert c.get(k) == rec
    off = Cache(tmp_path, enabled=False)
    off.put(k, rec)
    assert off.get(k) is None


def test_cache_key_follows_the_code_a_claim_runs(tmp_path):
    """Issue 10 item 6, observed on a copy of the sources: editing one paper's package changes that paper's claim
    code versions only; editing shared code changes every claim's; an untouched tree keeps them."""
    import shutil
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    for pkg in ("theory", "numerics", "checks"):
        shutil.copytree(root / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    probe = ("import json; from theory import registry; from checks.cache import claim_code_version as v;"
             "print(json.dumps({k: v(registry.get_claim(c)) for k, c in "
             "[('b22', 'boursier2022.lemma1'), ('b24', 'boursier2024.lemma2'), ('l21', 'lyu2021.theorem4.2')]}))")

    def versions():
        r = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                           env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=300)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout.strip().splitlines()[-1])

    v0 = versions()
    assert versions() == v0 and len(set(v0.values())) == 3
    with open(tmp_path / "theory" / "papers" / "boursier2024" / "common.py", "a") as fh:
        fh.write("\n# edited\n")
    v1 = versions()
    assert v1["b24"] != v0["b24"] and v1["b22"] == v0["b22"] and v1["l21"] == v0["l21"]
    with open(tmp_path / "numerics" / "network.py", "a") as fh:
        fh.write("\n# edited\n")
    v2 = versions()
    assert all(v2[k] != v1[k] for k in v2)



def test_runner_cache_and_parallel_jobs_agree(fixtures, tmp_path):
    claims = [fixtures.get_claim(i) for i in ("fixture.amgm", "fixture.taylor", "fixture.scaling")]
    cache = Cache(tmp_path)
    first = run_claims(claims, cache=cache, quiet=True)
    assert first.cache_hits == 0
    second = run_claims(claims, cache=cache, quiet=True)
    assert second.cache_hits == len(second.evidences) == 3 and all(e.cached for e in second.evidences)
    par = run_claims(claims, jobs=2, quiet=True)
    for a, b_, c in zip(first.evidences, second.evidences, par.evidences):
        assert a.claim_id == b_.claim_id == c.claim_id
        assert a.status == b_.status == c.status
        assert json.dumps(a.to_json()["slack"]) == json.dumps(c.to_json()["slack"])
    s = first.to_json()
    assert s["summary"]["HOLDS"] == 2 and s["summary"]["VIOLATED"] == 1
    assert [r["id"] for r in s["results"]] == ["fixture.amgm", "fixture.taylor", "fixture.scaling"]


# ----------------------------------------------------------------------------- verdict rules (issue 11)

lam_, v_ = sp.symbols("lam v", positive=True)


def _claim(cid, statement, measure, instances, mutant=None, **kw):
    return Claim(id=f"t.{cid}", paper="t", label=cid, where="-", kind="closed-form", statement=statement,
                 measure=measure, instances=instances, mutant=mutant, **kw)


def _lam_grid(tier, values=(-4, -8, -16, -32)):
    return [Instance("grid", {}, grid=[{"lam10": v} for v in values], grid_param="lam10", grid_symbol="λ",
                     grid_log10=True, asymptotic="small")]


def test_rule1_smallest_lambda_decides_even_when_unresolved():
    """v(lam) <= 2 lam resolved at 1e-4 and 1e-8 but unresolved (error 1e3) at 1e-16 and 1e-32: INCONCLUSIVE,
    never 'holds from 1e-4 down' (the old rule skipped unresolved rows at small lambda)."""
    def measure(inst, point, precision):
        lam = mpmath.mpf(10) ** point["lam10"]
        err = 0 if point["lam10"] > -10 else 1e3
        return Measurement({"v": lam, "lam": lam}, errors={"v": err, "lam": 0})
    c = _claim("r1", sp.Le(v_, 2 * lam_), measure, _lam_grid, Mutant(sp.Le(v_, lam_ / 2), "1/2"))
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.INCONCLUSIVE
    assert "unresolved at the smallest grid value λ=1e-32" in ev.message
    assert ev.witness["point"] == "λ=1e-32"
    assert ev.threshold["label"] == "λ=1e-4"  # kept as a diagnostic


def test_rule1_nan_at_small_lambda_is_not_hidden():
    def measure(inst, point, precision):
        lam = mpmath.mpf(10) ** point["lam10"]
        if point["lam10"] < -10:
            raise NeedsPrecision("beyond the budget")
        return Measurement({"v": lam, "lam": lam}, exact=True)
    c = _claim("r1b", sp.Le(v_, 2 * lam_), measure, _lam_grid, Mutant(sp.Le(v_, lam_ / 2), "1/2"),
               ladder=("float64",))
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.INCONCLUSIVE and "beyond the budget" in ev.message


def test_rule1_duplicated_measurements_count_once():
    """Two grid points handing back the very same measurement are one piece of evidence."""
    def measure(inst, point, precision):
        lam = mpmath.mpf(10) ** max(point["lam10"], -8)   # clamped: 1e-16 and 1e-32 repeat 1e-8
        return Measurement({"v": lam * 3, "lam": lam}, exact=True)
    c = _claim("dup", sp.Le(v_, 2 * lam_), measure, _lam_grid, Mutant(sp.Le(v_, 4 * lam_), "4"))
    ev = c.evaluate(c.instances("fast")[0])
    dups = [r for r in ev.grid if r.get("duplicate_of")]
    assert len(dups) == 2 and all(r["duplicate_of"] == "λ=1e-8" for r in dups)
    assert "counted once" in ev.message


def test_rule3_a_crashing_hypothesis_is_an_error():
    def boom(inst):
        raise ZeroDivisionError("no data")
    c = _claim("r3", sp.Ge(x, 0), lambda i, p, q: Measurement({"x": 1.0}, exact=True),
               lambda tier: [Instance("i", {})], Mutant(sp.Ge(x, 2), "2"),
               hypotheses=[Hypothesis("Assumption Q", boom, "§1")])
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.ERROR and "Assumption Q" in ev.message and "ZeroDivisionError" in ev.message
    assert ev.hypotheses[0]["state"] == "error"


def test_rule3_a_failing_hypothesis_outranks_a_crashing_one():
    """Data that clearly fail one assumption are NOT_APPLICABLE even if another assumption cannot be evaluated on
    them (e.g. an SVM-based hypothesis on labels outside {-1, +1}); both are named."""
    def boom(inst):
        raise ValueError("labels must be +-1")
    c = _claim("r3d", sp.Ge(x, 0), lambda i, p, q: Measurement({"x": 1.0}, exact=True),
               lambda tier: [Instance("i", {})], Mutant(sp.Ge(x, 2), "2"),
               hypotheses=[Hypothesis("Assumption Q", boom, "§1"),
                           Hypothesis("labels in {-1, +1}", lambda i: (False, "y = 0.5 found"), "§2")])
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.NOT_APPLICABLE
    assert "labels in {-1, +1} (y = 0.5 found)" in ev.message and "Assumption Q" in ev.message
    assert [h["state"] for h in ev.hypotheses] == ["error", "fails"]


def test_rule3_a_claim_without_instances_is_an_error():
    c = _claim("r3b", sp.Ge(x, 0), lambda i, p, q: Measurement({"x": 1.0}, exact=True), lambda tier: [],
               Mutant(sp.Ge(x, 2), "2"))
    run = run_claims([c], quiet=True)
    assert run.evidences[0].status == Status.ERROR and "no instance" in run.evidences[0].message
    assert run.exit_code() == 2 and run.claim_summaries()[0]["status"] == "ERROR"
    def broken(tier):
        raise KeyError("X")
    c2 = _claim("r3c", sp.Ge(x, 0), lambda i, p, q: Measurement({"x": 1.0}, exact=True), broken,
                Mutant(sp.Ge(x, 2), "2"))
    run = run_claims([c2], quiet=True)
    assert run.evidences[0].status == Status.ERROR and "building its instances failed" in run.evidences[0].message


def test_rule4_assumed_hypotheses_are_shown_as_assumed():
    h = Hypothesis("Assumption 4.6 (the flow converges in direction)", assumed=True,
                   detail="not evaluable on a finite run")
    c = _claim("r4", sp.Ge(x, 0), lambda i, p, q: Measurement({"x": 1.0}, exact=True),
               lambda tier: [Instance("i", {})], Mutant(sp.Ge(x, 2), "2"), hypotheses=[h])
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.HOLDS
    assert ev.hypotheses == [{"name": h.name, "where": "", "state": "assumed", "ok": True,
                              "detail": "not evaluable on a finite run"}]
    with pytest.raises(ValueError, match="assumed"):
        Hypothesis("a stub", None)


def test_rule9_mutant_not_rejected_means_inconclusive():
    """A claim whose mutant is rejected on no instance where the statement holds could not have failed."""
    meas = lambda i, p, q: Measurement({"x": 3.0}, exact=True)  # noqa: E731
    one = lambda tier: [Instance("i", {})]  # noqa: E731
    weak = _claim("r9", sp.Ge(x, 0), meas, one, Mutant(sp.Ge(x, 1), "1 instead of 0"))   # mutant holds too
    strong = _claim("r9s", sp.Ge(x, 0), meas, one, Mutant(sp.Ge(x, 5), "5 instead of 0"))
    none = _claim("r9n", sp.Ge(x, 0), meas, one)
    run = run_claims([weak, strong, none], quiet=True)
    rows = {s["id"]: s for s in run.claim_summaries()}
    assert rows["t.r9"]["status"] == "INCONCLUSIVE" and "could not fail" in rows["t.r9"]["message"]
    assert rows["t.r9"]["mutant"]["rejected"] is False
    assert rows["t.r9s"]["status"] == "HOLDS" and rows["t.r9s"]["mutant"]["rejected_on"] == 1
    assert rows["t.r9n"]["status"] == "INCONCLUSIVE"


def test_rule9_mutant_rejected_only_where_the_statement_fails_does_not_count():
    def meas(inst, point, precision):
        return Measurement({"x": inst.params["x"]}, exact=True)
    two = lambda tier: [Instance("a", {"x": 3.0}), Instance("b", {"x": -1.0})]  # noqa: E731
    c = _claim("r9v", sp.Ge(x, 0), meas, two, Mutant(sp.Ge(x, -2), "-2 instead of 0"))
    run = run_claims([c], quiet=True)
    s = run.claim_summaries()[0]
    assert s["status"] == "VIOLATED"           # instance b
    assert s["mutant"]["rejected_on"] == 0     # the mutant never fails where the statement holds


def test_rule10_control_is_judged_on_the_same_measurement():
    def meas(inst, point, precision):
        return Measurement({"x": [0.5, 2.0], "y": [1.0, 1.0]}, exact=True)
    c = _claim("F1", sp.Ge(x, y), meas, lambda tier: [Instance("i", {})], Mutant(sp.Ge(x, 3 * y), "3"),
               control=Mutant(sp.Ge(x, y / 2), "corrected constant 1/2"), tags=("finding",))
    ev = c.evaluate(c.instances("fast")[0])
    assert ev.status == Status.VIOLATED
    assert ev.control["status"] == "HOLDS" and float(ev.control["slack"]) == pytest.approx(0.0)
    assert ev.control["statement_latex"] == sp.latex(sp.Ge(x, y / 2))
    run = run_claims([c], quiet=True)
    s = run.claim_summaries()[0]
    assert s["control"]["status"] == "HOLDS" and s["control"]["statement_latex"]
    assert run.to_json()["results"][0]["control"]["status"] == "HOLDS"


def test_unregistered_claims_run_in_worker_processes():
    """Workers receive the Claim objects (cloudpickle), not ids to look up: a claim built here, in no registry,
    runs with jobs=2 and agrees with the serial run."""
    k = 3.0

    def meas(inst, point, precision):
        return Measurement({"x": inst.params["x"] * k}, exact=True)   # a closure
    c = _claim("local", sp.Ge(x, 1), meas, lambda tier: [Instance("a", {"x": 1.0}), Instance("b", {"x": 0.1})],
               Mutant(sp.Ge(x, 4), "4"))
    ser = run_claims([c], quiet=True)
    par = run_claims([c], jobs=2, quiet=True)
    assert [e.status for e in par.evidences] == [e.status for e in ser.evidences] == [Status.HOLDS,
                                                                                       Status.VIOLATED]


def test_cache_never_serves_a_stale_verdict_for_claims_outside_the_packages(tmp_path):
    """A claim built in a script or notebook (not in any package) is keyed by its declaration and its code: change
    the bound or the measure and the cached verdict is not served."""
    x = sp.Symbol("x")

    def make(bound, value):
        def meas(inst, point, precision):
            return Measurement({"x": value}, errors={"x": 0.0})
        return Claim(id="t.stale", paper="t", label="s", where="-", kind="closed-form", statement=sp.Le(x, bound),
                     instances=lambda tier: [Instance("i", {})], measure=meas, mutant=Mutant(sp.Le(x, 0), "0"))
    cache = Cache(tmp_path)
    first = run_claims([make(2.0, 1.5)], cache=cache, quiet=True)
    assert first.evidences[0].status == Status.HOLDS and first.cache_hits == 0
    assert run_claims([make(2.0, 1.5)], cache=cache, quiet=True).cache_hits == 1
    tighter = run_claims([make(1.2, 1.5)], cache=cache, quiet=True)        # the statement changed
    assert tighter.cache_hits == 0 and tighter.evidences[0].status == Status.VIOLATED
    moved = run_claims([make(2.0, 2.5)], cache=cache, quiet=True)          # a value captured by the measure changed
    assert moved.cache_hits == 0 and moved.evidences[0].status == Status.VIOLATED

    def make2(bound):  # same id and statement, another measure function
        def meas(inst, point, precision):
            return Measurement({"x": 3.0}, errors={"x": 0.0})
        return Claim(id="t.stale", paper="t", label="s", where="-", kind="closed-form", statement=sp.Le(x, bound),
                     instances=lambda tier: [Instance("i", {})], measure=meas, mutant=Mutant(sp.Le(x, 0), "0"))
    other = run_claims([make2(2.0)], cache=cache, quiet=True)
    assert other.cache_hits == 0 and other.evidences[0].status == Status.VIOLATED


def test_a_malformed_statement_fails_at_declaration():
    """The statement's type is checked when the claim is declared (its compilation waits for the first evaluation)."""
    with pytest.raises(TypeError, match="statement must be a sympy Ge/Gt/Le/Lt/Eq relational, got"):
        _claim("bad", x + 1, lambda i, p, q: Measurement({"x": 1.0}, exact=True), lambda tier: [Instance("i", {})],
               Mutant(sp.Ge(x, 2), "2"))
