"""Tests of boursier2024's datasets and validator (theory/papers/boursier2024/datasets.py): the constructions
validate as the paper and its catalog (claims_003.md) say, perturbations fail the right assumption with the numbers
in the reason, and the registry exposes them as ``boursier2024.<name>``."""
import numpy as np
import pytest
import sympy as sp

from numerics.datasets import Dataset
from numerics.network import Model
from theory import registry
from theory.papers.boursier2024.datasets import (DATASETS, STEWART_KNOTS, assumption3_eta_min, ds_2n, ds_g, ds_s6, ds_v,
                                                 stewart, three_point, three_point_box, validate)


def failed(v):
    return [c.name for c in v.failures]


# --------------------------------------------------------------------------- registry


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_builds_deterministically_and_validates(name):
    a, b = DATASETS[name](), DATASETS[name]()
    assert a.X.dtype == np.float64 and a.X.ndim == 2 and a.y.shape == (a.n,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.paper == "boursier2024" and a.name.startswith("boursier2024.") and a.source.startswith("boursier2024")
    assert (a.gamma, a.loss, a.reduction) == (0.0, "square", "mean")  # Eq. (10): ReLU, 1/2 square loss, mean
    assert isinstance(a.model(), Model)
    v = validate(a)
    assert len(v) >= 2 and all(isinstance(c.reason, str) and c.reason for c in v)
    with pytest.raises(ValueError):
        a.X[0, 0] = 1.0  # read-only


def test_the_registry_exposes_the_datasets_under_the_paper_key():
    reg = registry.datasets()
    assert {f"boursier2024.{k}" for k in DATASETS} <= set(reg)
    assert {"DS-P", "DS-G", "DS-S6", "DS-V", "DS-2N", "box", "stewart"} == set(DATASETS)
    np.testing.assert_array_equal(reg["boursier2024.DS-P"](eta=0.1).X, three_point(0.1).X)


@pytest.mark.parametrize("make", [three_point_box, stewart])
def test_seeds_change_random_constructions(make):
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.params["seed"] == 1


# --------------------------------------------------------------------------- constructions and the validator


def test_three_point_family_satisfies_assumptions_3_to_6():
    for eta in (0.05, 0.1, 0.15):
        v = validate(three_point(eta))
        assert v.ok, v.summary()
    assert validate(ds_g()).ok
    # the random box family: Lemma 8's conclusion holds for small eta (printed A5 holds for eta < 0.0977)
    for seed in range(15):
        v = validate(three_point_box(0.05, seed=seed))
        assert v.ok, v.summary()


def test_eta_region_and_box_edges():
    v = validate(three_point(0.2))
    assert v["Assumption 3"].passed and not v["Theorem 2"].passed
    assert "0.2" in v["Theorem 2"].reason
    assert validate(ds_g(), eta=0.1)["Assumption 3"].passed
    assert not validate(ds_g(), eta=0.05)["Assumption 3"].passed  # DS-G needs eta >= 0.08
    X = ds_g().X.copy()
    X[2, 0] = 1.0  # x_3^1 must be < 1 (open end)
    v = validate(ds_g().with_data(X=X))
    assert "x_3^1 < 1" in v["Assumption 3"].reason and not v["Assumption 3"].passed
    X[2, 0] = 0.92
    X[0, 0] = -1.0  # x_1^1 must be > -1 (open end)
    assert "x_1^1 > -1" in validate(ds_g().with_data(X=X))["Assumption 3"].reason
    assert assumption3_eta_min(ds_s6().X, ds_s6().y)[1] == pytest.approx(0.875)


def test_s6_v_2n_fail_the_right_assumptions():
    s6 = validate(ds_s6())
    assert set(failed(s6)) == {"Assumption 3 (3-point box)", "Theorem 2 (Assumption 3 with eta < 1/6)",
                               "Assumption 5 (printed, l.517)"}
    assert "0.8125 vs" in s6["Assumption 5"].reason and "1.7783" in s6["Assumption 5"].reason
    v = validate(ds_v())  # catalog 003 F1: in the eta < 1/6 box, printed A5 fails
    assert failed(v) == ["Assumption 5 (printed, l.517)"]
    assert "1.7056 vs" in v["Assumption 5"].reason and "2.11246" in v["Assumption 5"].reason
    n2 = validate(ds_2n())
    assert "<x_1,x_2> = -0.1" in n2["Assumption 4"].reason


def test_assumption5_threshold_on_the_box_worst_case():
    # catalog 003 E26: worst box point x_1 = (-1+eta, 1), x_2 = (-eta, 1+eta), x_3 = (1-eta, 1+eta),
    # y = (1, eta, 1+eta); the printed A5 margin (k = 1) changes sign at eta ~ 0.09765. Root by sympy.
    e = sp.symbols("eta", positive=True)
    x1, x2, x3 = sp.Matrix([-1 + e, 1]), sp.Matrix([-e, 1 + e]), sp.Matrix([1 - e, 1 + e])
    ynorm = sp.sqrt(1 + e ** 2 + (1 + e) ** 2)
    margin = x1.dot(x1) - ynorm * sp.sqrt(x2.dot(x1) ** 2 + x3.dot(x1) ** 2)
    root = sp.nsolve(margin, e, 0.1)
    assert abs(float(root) - 0.09765) < 5e-5
    for eta, expect in ((float(root) - 1e-4, True), (float(root) + 1e-4, False)):
        X = np.array([[-1 + eta, 1], [-eta, 1 + eta], [1 - eta, 1 + eta]])
        ds = Dataset(X, [1, eta, 1 + eta], "worst", "catalog 003 E26", paper="boursier2024")
        v = validate(ds)
        assert v["Assumption 3"].passed and v["Assumption 5"].passed is expect


def test_stewart_and_loss_assumption():
    st = stewart()
    assert st.n == 40 and np.all((st.X[:, 0] >= -1) & (st.X[:, 0] <= 1)) and np.all(st.X[:, 1] == 1)
    np.testing.assert_allclose(st.y, np.interp(st.X[:, 0], *STEWART_KNOTS))
    v = validate(ds_g(), loss="logistic")
    assert v["Assumption 1"].passed  # labels <= 2
    big = ds_g().with_data(y=np.array([3.0, 0.05, 1.02]))
    assert not validate(big, loss="logistic")["Assumption 1"].passed
