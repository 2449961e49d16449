"""min2024 datasets and validator (theory/papers/min2024/datasets.py): constructions validate as the paper says,
perturbations fail the right assumption with a readable reason."""
import numpy as np

from theory.papers.min2024.datasets import ds_a, ds_b, mu_separated
from theory.papers.min2024.datasets import DATASETS, validate


def failed(v):
    return [c.name for c in v.failures]


def _build(name):
    return DATASETS[name]()


# --------------------------------------------------------------------------- min2024


def test_min2024_mu_separated():
    assert validate(ds_a()).ok
    assert "mu = 0.6 (pair 1, 4)" in validate(ds_a())["Assumption 1"].reason
    assert validate(ds_b()).ok
    for seed in range(10):
        ds = mu_separated(n_plus=4, n_minus=6, d=3, mu=0.4, seed=seed)
        from numerics.geometry import mu_separation

        assert mu_separation(ds.X, ds.y) >= 0.4 - 1e-12
        assert validate(ds).ok
    X = ds_a().X.copy()
    X[3] = [0.2, -1.0]  # catalog 001 E06 mutation: <u_1, u_4> = -0.196
    v = validate(ds_a().with_data(X=X))
    assert failed(v) == ["Assumption 1 (mu-separated data)"] and "mu = -0.196116" in v["Assumption 1"].reason


def test_min2024_assumption2_init():
    ds = ds_a()
    ang = np.deg2rad([100, 135, 180, 265, 300, 60, 115, 280, 320])  # catalog 001 I-A8
    W0 = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    s = np.array([1, 1, 1, 1, 1, -1, -1, -1, -1])
    v = validate(ds, W0=W0, s=s)
    assert v.ok
    assert f"zeta_2* = {float(np.sin(np.deg2rad(40)) ** 2):.6g}" in v["Assumption 2"].reason
    W0[0] = [np.cos(np.deg2rad(225)), np.sin(np.deg2rad(225))]  # a V_+ neuron exactly at x_-^ (E09 mutation)
    assert not validate(ds, W0=W0, s=s)["Assumption 2"].passed
    one_class = ds.with_data(X=ds.X[:2], y=ds.y[:2])
    assert "ill-posed" in validate(one_class, W0=W0, s=s)["Assumption 2"].reason


