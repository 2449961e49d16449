"""Tests of theory.papers.lyu2021.datasets: the catalog's datasets (claims_002.md §1.1) validate as the paper
says, perturbations (the catalog's mutations) fail the right assumption with a readable reason, and the
registry exposes the datasets as "lyu2021.<name>". Moved from tests/test_datasets.py with the datasets."""
import numpy as np
import pytest
import sympy as sp

from numerics.datasets import symmetrize
from numerics.network import Model
from theory import registry
from theory.papers.lyu2021 import datasets


def failed(v):
    return [c.name for c in v.failures]


# --------------------------------------------------------------------------- the registered datasets


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_every_dataset_builds_deterministically_and_validates(name):
    make = datasets.DATASETS[name]
    a, b = make(), make()
    assert a.X.dtype == np.float64 and a.X.ndim == 2 and a.y.shape == (a.n,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.paper == "lyu2021" and a.name.startswith("lyu2021.") and a.source.startswith("lyu2021")
    assert isinstance(a.model(), Model)
    v = datasets.validate(a)
    assert len(v) >= 2 and all(isinstance(c.reason, str) and c.reason for c in v)
    with pytest.raises(ValueError):
        a.X[0, 0] = 1.0  # read-only


def test_the_registry_exposes_the_datasets_under_the_paper_key():
    registry.reload()
    exposed = registry.datasets()
    for name, make in datasets.DATASETS.items():
        assert exposed[f"lyu2021.{name}"] is make


def test_seeds_change_the_random_construction():
    a = datasets.symmetric_separable(seed=1)
    b = datasets.symmetric_separable(seed=1)
    c = datasets.symmetric_separable(seed=2)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.params["seed"] == 1


# --------------------------------------------------------------------------- the paper's settings


def test_lyu2021_symmetric_datasets():
    for ds in (datasets.ds_s(), datasets.ds_s2(), *(datasets.symmetric_separable(seed=s) for s in range(5))):
        assert datasets.validate(ds).ok, datasets.validate(ds).summary()
    k = datasets.validate(datasets.ds_k(0.5))
    assert failed(k) == ["||x_i|| <= 1 (l.296)"]
    assert datasets.ds_k(0.5).params["beta"] == pytest.approx(0.441594194, abs=1e-9)


def test_lyu2021_perturbations_fail_the_right_assumption():
    ds = datasets.ds_s()
    X = ds.X.copy()
    X[5] += 1e-3  # a negated copy moved (catalog 002 E05 mutation)
    v = datasets.validate(ds.with_data(X=X))
    assert failed(v) == ["Assumption 4.1 (symmetric: (x, y) in S => (-x, -y) in S)"]
    assert "no (-x, -y) partner" in v["Assumption 4.1"].reason
    # E09 mutation: add (x, +1), (-x, -1) with x orthogonal to the NEW mu = (8 mu + 2x)/10, i.e.
    # |x + 2 mu|^2 = 4 |mu|^2 (adding x orthogonal to the old mu, as the catalog suggests, moves mu)
    mu = np.array([0.725, 0.075])
    m, q = mu / np.linalg.norm(mu), np.array([-mu[1], mu[0]]) / np.linalg.norm(mu)
    x = 2 * np.linalg.norm(mu) * ((np.cos(0.3) - 1) * m + np.sin(0.3) * q)
    Xp = np.vstack([ds.X[:4], x, -ds.X[:4], -x])
    yp = np.r_[np.ones(5), -np.ones(5)]
    v = datasets.validate(ds.with_data(X=Xp, y=yp))
    assert "Assumption 4.5 (<mu, x_i> != 0)" in failed(v)
    assert "at i = 5" in v["Assumption 4.5"].reason
    bad = ds.with_data(X=np.vstack([ds.X, [[0.9, 0.4]]]), y=np.r_[ds.y, -1.0])  # E02 mutation
    assert "Assumption 3.2 (linearly separable)" in failed(datasets.validate(bad, setting="symmetric"))


def test_lyu2021_hinted_dataset():
    h = datasets.ds_h()
    v = datasets.validate(h)
    assert failed(v) == ["||x_i|| <= 1 (l.296)"]  # DS-H: ||x_1|| = 70
    assert datasets.validate(datasets.ds_h(scale=1 / 70)).ok  # the rescaled twin DS-H/70
    # Theorem 6.2's H_0 (App. A.2) for DS-H in closed form: max(K, 0.4)(2K + 1.4)/0.05 - 2.4 (catalog 002 E31)
    K = sp.symbols("K", positive=True)
    H0 = sp.Max(K, sp.Rational(2, 5)) * (2 * K + sp.Rational(7, 5)) / sp.Rational(1, 20) - sp.Rational(12, 5)
    for k in (0.5, 1.0, 2.0):
        t = datasets.hinted_thresholds(datasets.ds_h(K=k))
        assert t["H0"] == pytest.approx(float(H0.subs(K, sp.nsimplify(k))), rel=1e-13)
    low = datasets.validate(datasets.ds_h(H=65.0))  # below H_0 = 65.6: both Theorem 6.2 and A.1 fail
    assert {"Theorem 6.2 conditions (App. A.2)", "Assumption A.1 at w^⊙"} <= set(failed(low))
    assert "H_0 = 65.6" in low["Theorem 6.2"].reason
    # hint labels flipped (E20 mutation). Flipping y_2 alone leaves the set separable (w = (1, -1)
    # separates it, contrary to the catalog's remark), but it is no longer a hinted dataset
    yh = h.y.copy()
    yh[1] = -1.0
    v = datasets.validate(h.with_data(y=yh))
    assert "Definition 6.1 (hinted dataset)" in failed(v) and v["Assumption 3.2"].passed
    yh[2] = -1.0  # both side hints negative: not separable
    assert "Assumption 3.2 (linearly separable)" in failed(datasets.validate(h.with_data(y=yh)))
    # a generic base set: w* from the SVM, default w_perp
    base = datasets.symmetric_separable(n_half=4, seed=3)
    hd = datasets.hinted(base.X, base.y, H=200.0, K=1.0, eps=0.01)
    assert datasets.validate(hd)["Definition 6.1"].passed


def test_symmetrize_builds_assumption_4_1_data():
    a = datasets.ds_a()
    X, y = symmetrize(a.X, a.y)
    v = datasets.validate(a.with_data(X=X, y=y), setting="symmetric")
    assert v.ok, v.summary()
    np.testing.assert_array_equal(X[5:], -X[:5])
    assert y.tolist() == [1.0] * 5 + [-1.0] * 5


def test_lyu2021_appendix_settings():
    a = datasets.validate(datasets.ds_a())
    assert a["Assumption A.2"].passed and a["Assumption A.3"].passed  # catalog 002 DS-A
    assert "0.1841" in a["Assumption A.2"].reason
    o = datasets.validate(datasets.ds_o())
    assert o["Definition H.1"].passed
    assert not datasets.validate(datasets.ds_s(), setting="orthogonal")["Definition H.1"].passed
    s = datasets.validate(datasets.ds_s(), setting="nonsymmetric")
    assert not s["Assumption A.3"].passed  # symmetric data: ||mu^+|| = ||mu^-|| (E25 mutation)
