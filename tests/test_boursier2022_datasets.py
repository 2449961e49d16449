"""boursier2022's datasets and validator (theory/papers/boursier2022/datasets.py): the constructions validate as
the paper and the catalog say (claims_004.md §1.3), perturbations fail the right assumption with a readable
reason, and the registry exposes them as "boursier2022.<name>"."""
import numpy as np
import pytest
import sympy as sp

from numerics.datasets import DatasetError
from numerics.network import Model, init_balanced_gaussian
from theory import registry
from theory.papers.boursier2022 import datasets


def failed(v):
    return [c.name for c in v.failures]


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_every_dataset_builds_deterministically_and_is_registered(name):
    a, b = datasets.DATASETS[name](), datasets.DATASETS[name]()
    assert a.X.dtype == np.float64 and a.X.ndim == 2 and a.y.shape == (a.n,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.paper == "boursier2022" and a.name == f"boursier2022.{name}" and a.source.startswith("boursier2022")
    assert isinstance(a.model(), Model)
    v = datasets.validate(a)
    assert len(v) >= 2 and all(isinstance(c.reason, str) and c.reason for c in v)
    with pytest.raises(ValueError):
        a.X[0, 0] = 1.0  # read-only
    assert registry.datasets()[f"boursier2022.{name}"] is datasets.DATASETS[name]


def test_seeds_change_the_random_orthonormal_inputs():
    a = datasets.orthonormal_inputs(3, 5, seed=1, rotate=True)
    b = datasets.orthonormal_inputs(3, 5, seed=1, rotate=True)
    c = datasets.orthonormal_inputs(3, 5, seed=2, rotate=True)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.params["seed"] == 1
    with pytest.raises(DatasetError, match="d >= n"):
        datasets.orthonormal_inputs(4, 3)


def test_validation_report_helpers():
    ds = datasets.ds_a()
    X = ds.X.copy()
    X[0, 1] = 0.3  # <x_1, x_2> = 0.3 (the brief's example)
    v = datasets.validate(ds.with_data(X=X, name="perturbed"))
    assert not v.ok
    assert v.not_applicable() == ("NOT_APPLICABLE: Assumption 1 (orthonormal inputs) fails: "
                                  "not orthogonal: <x_1,x_2> = 0.3")
    assert v["Assumption 1"].passed is False
    name, passed, reason = v[0]  # a plain (name, passed, reason) triple
    assert name.startswith("Assumption 1") and passed is False and "0.3" in reason
    assert "FAIL" in v.summary()
    assert datasets.validate(ds).not_applicable() is None


def test_canonical_datasets():
    assert datasets.validate(datasets.ds_a()).ok
    assert datasets.validate(datasets.ds_a(rotate=True)).ok
    assert datasets.validate(datasets.ds_c()).ok
    assert datasets.validate(datasets.orthonormal_inputs(5, 8, seed=3, rotate=True)).ok
    b = datasets.validate(datasets.ds_b())
    assert "orthogonal but not normalised" in b["Assumption 1"].reason
    assert "not orthogonal" in datasets.validate(datasets.ds_f())["Assumption 1"].reason
    assert "not normalised" in datasets.validate(datasets.ds_e())["Assumption 1"].reason
    # the two versions of the authors' notebook for DS-F differ in y_3
    assert datasets.ds_f().y[2] == -0.4 and datasets.ds_f("dc5fce5").y[2] == -0.3


def test_assumption2_exact():
    a2 = "Assumption 2"
    assert not datasets.validate(datasets.orthonormal_inputs(2, y=[1.0, -1.0]))[a2].passed  # r = 1 (catalog mutation)
    assert "y_2 = 0" in datasets.validate(datasets.orthonormal_inputs(3, y=[1.0, 0.0, -0.5]))[a2].reason
    assert datasets.validate(datasets.orthonormal_inputs(2, y=[1.0, -1.0 + 2 ** -40]))[a2].passed  # decided exactly
    ds = datasets.ds_a()
    yp = sum(sp.nsimplify(v) ** 2 for v in ds.y if v > 0) - sum(sp.nsimplify(v) ** 2 for v in ds.y if v < 0)
    assert yp == sp.Rational(102, 100)
    assert "1.02" in datasets.validate(ds)[a2].reason


def test_assumption3_key_sets_match_catalog_seed0():
    # catalog 004 DS-A, m = 40, seed 0 (draw order g then s): S_+1 = [6,14,25,29,30,33,34,35], S_-1 = [0,4,19,21]
    ds = datasets.ds_a()
    _, _, info = init_balanced_gaussian(40, 4, 1.0, seed=0)
    v = datasets.validate(ds, g=info["g"], s=info["s"])
    assert v.ok and "|S_+1| = 8, |S_-1| = 4" in v["Assumption 3"].reason
    plus, minus = datasets.key_sets(ds.X, ds.y, info["g"], info["s"])
    assert plus.tolist() == [6, 14, 25, 29, 30, 33, 34, 35] and minus.tolist() == [0, 4, 19, 21]
    # the key sets are defined with >= 0 (closed, catalog F-15): a direction orthogonal to every positive x_k counts
    plus, minus = datasets.key_sets(ds.X, ds.y, np.array([[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]]), [1.0, -1.0])
    assert plus.tolist() == [0] and minus.tolist() == [1]
    # DS-D(iv) witness: S_+1 is empty
    g = np.array([[1, -1, 0.2], [-1, 1, 0.3], [0.1, 0.2, 1]])
    w = datasets.validate(datasets.orthonormal_inputs(3, y=[1, 0.8, -0.5]), g=g, s=[1, 1, -1])
    assert failed(w) == ["Assumption 3 (S_{+,1} and S_{-,1} non-empty)"]
    assert "|S_+1| = 0, |S_-1| = 1" in w["Assumption 3"].reason
