"""tsoy2024 datasets and validator (theory/papers/tsoy2024/datasets.py): constructions validate as the paper says,
perturbations fail the right assumption with a readable reason."""
import numpy as np

from numerics.datasets import Dataset
from theory.papers.tsoy2024.datasets import xor_clusters
from theory.papers.tsoy2024.datasets import DATASETS, validate


def failed(v):
    return [c.name for c in v.failures]


def _build(name):
    return DATASETS[name]()


# --------------------------------------------------------------------------- tsoy2024


def test_tsoy2024_xor_clusters():
    for seed in (100, 1, 2):
        v = validate(xor_clusters(n=64, d=3, mu=0.98, delta=0.02, sigma=0.01, seed=seed))
        assert v.ok, v.summary()
    auth = validate(_build("xor-authors"))
    assert failed(auth) == ["||x_i|| <= 1 (l.235)"]  # mu = 1: points up to 1 + delta
    d3 = validate(_build("D3A"))
    assert d3.ok and "delta = 0.0866025" in d3["Assumption 5.1.1"].reason
    assert "Delta = 0.025" in d3["Assumption 5.1.4"].reason


def test_tsoy2024_perturbations():
    ds = _build("D3A")
    v = validate(ds.with_data(X=ds.X[1:], y=ds.y[1:]))  # drop one point: symmetry breaks
    assert "Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})" in failed(v)
    t = np.deg2rad(5)
    Rz = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    v = validate(ds.with_data(X=ds.X @ Rz.T))  # rotated by 5 degrees
    assert {"Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})", "Assumption 5.1.3 (P D_x = D_x)"} <= set(failed(v))
    v = validate(ds.with_data(y=-ds.y))  # the authors' BCE label convention (+-e_1 in class 0)
    assert failed(v) == ["Assumption 5.1.1 (clusters at +-e_1 (y=+1), +-e_2 (y=-1))"]
    assert "has label 1" in v["Assumption 5.1.1"].reason
    assert not validate(ds, xi=0.09)["Lemma 5.2"].passed  # xi + delta >= 1/6
    # skewed XOR (Fig. 2, alpha = pi/3): clusters at 0, pi (+1) and +-(cos pi/3, sin pi/3) (-1)
    c = np.array([[1, 0], [-1, 0], [0.5, np.sqrt(3) / 2], [-0.5, -np.sqrt(3) / 2]]) * 0.99
    skew = Dataset(c, [1.0, 1.0, -1.0, -1.0], "skew", "tsoy2024 §6", paper="tsoy2024")
    assert not validate(skew).ok


