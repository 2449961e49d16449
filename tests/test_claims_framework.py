"""The claim model, judgement rules, precision ladder, thresholds, knobs, registry, cache and runner.

Expected values are computed by hand from the fixture statements (tests/fixture_claims.py) or taken
from the boursier2022 claim catalog (claims_004.md), never from the checker's own output.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import mpmath
import numpy as np
import pytest
import sympy as sp

from checks.cache import Cache, code_version
from checks.runner import exit_code_for, run_claims
from numerics.datasets import Dataset
from theory import registry
from theory.claims import (Claim, Instance, Measurement, Mutant, Status, aggregate_status,
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
    m = Measurement({"x": mpmath.mpf(1), "y": mpmath.mpf(1)})
    assert judge_measurement(sp.Ge(x, y), m)["status"] == Status.HOLDS       # non-strict, exact
    assert judge_measurement(sp.Gt(x, y), m)["status"] == Status.VIOLATED    # strict, exact


def test_judge_equality():
    ok = Measurement({"x": [1.0 + 1e-12], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    assert judge_measurement(sp.Eq(x, y), ok)["status"] == Status.HOLDS
    bad = Measurement({"x": [1.0 + 1e-9], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    j = judge_measurement(sp.Eq(x, y), bad)
    assert j["status"] == Status.VIOLATED and float(j["slack"]) == pytest.approx(-1e-9, rel=1e-6)
    mid = Measurement({"x": [1.0 + 5e-11], "y": [1.0]}, errors={"x": 1e-11, "y": 0})
    assert judge_measurement(sp.Eq(x, y), mid)["status"] == Status.INCONCLUSIVE
    # values below their own error: unresolved, must not pass vacuously
    blur = Measurement({"x": [3e-13], "y": [1e-13]}, errors={"x": 1e-12, "y": 1e-12})
    assert judge_measurement(sp.Eq(x, y), blur)["status"] == Status.INCONCLUSIVE
    exact0 = Measurement({"x": [0.0], "y": [0.0]}, errors={"x": 1e-16, "y": 0})
    assert judge_measurement(sp.Eq(x, y), exact0)["status"] == Status.HOLDS


def test_judge_far_outside_float_range():
    lam = mpmath.mpf(10) ** -400
    j = judge_measurement(sp.Le(x, 2 * y), Measurement({"x": lam, "y": lam}, errors={"x": 0, "y": 0}))
    assert j["status"] == Status.HOLDS and mpmath.mpf(j["slack"]) == lam


def test_nonfinite_measurement_is_an_error():
    c = Claim(id="t.nan", paper="t", label="L", where="-", kind="closed-form", statement=sp.Ge(x, 0),
              instances=lambda tier: [Instance("i", {})],
              measure=lambda inst, pt, prec: Measurement({"x": float("nan")}))
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


def test_code_version_covers_the_sources():
    import checks
    import numerics
    import theory

    for pkg in (theory, numerics, checks):
        assert list(Path(pkg.__file__).parent.rglob("*.py"))
    # the hash is over paths and contents: recompute independently
    import hashlib

    h = hashlib.sha256()
    for name, pkg in (("theory", theory), ("numerics", numerics), ("checks", checks)):
        root = Path(pkg.__file__).resolve().parent
        for f in sorted(root.rglob("*.py")):
            if "__pycache__" in f.parts:
                continue
            h.update(f"{name}/{f.relative_to(root).as_posix()}\0".encode())
            h.update(f.read_bytes())
            h.update(b"\0")
    assert code_version() == h.hexdigest()[:16]


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
