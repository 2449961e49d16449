"""Tests of numerics.datasets: constructions validate as the papers say, perturbations fail the right
assumption with a readable reason, and the user loader rejects every malformed file with a DatasetError."""
import json
import math

import numpy as np
import pytest

from numerics import datasets as D
from numerics.network import Model


def failed(v):
    return [c.name for c in v.failures]


# --------------------------------------------------------------------------- registry and Dataset type


@pytest.mark.parametrize("name", sorted(D.DATASETS))
def test_every_registered_dataset_builds_deterministically(name):
    a, b = D.build(name), D.build(name)
    assert a.X.dtype == np.float64 and a.X.ndim == 2 and a.y.shape == (a.n,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.paper in D.VALIDATORS and a.name.startswith(a.paper + ".")
    assert a.source.startswith(a.paper)
    assert isinstance(a.model(), Model)
    v = D.validate(a)
    assert len(v) >= 2 and all(isinstance(c.reason, str) and c.reason for c in v)
    with pytest.raises(ValueError):
        a.X[0, 0] = 1.0  # read-only


@pytest.mark.parametrize("name,kw", [("min2024.mu-separated", {}), ("tsoy2024.xor", {})])
def test_seeds_change_random_constructions(name, kw):
    a = D.build(name, seed=1, **kw)
    b = D.build(name, seed=1, **kw)
    c = D.build(name, seed=2, **kw)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.params["seed"] == 1


def test_unknown_dataset_and_validator_names():
    with pytest.raises(D.DatasetError, match="unknown dataset 'nope'"):
        D.build("nope")
    ds = D.Dataset([[1.0]], [1.0], "u", "user")
    with pytest.raises(D.DatasetError, match="no validator"):
        D.validate(ds)




# --------------------------------------------------------------------------- min2024


def test_min2024_mu_separated():
    assert D.validate(D.min2024_ds_a()).ok
    assert "mu = 0.6 (pair 1, 4)" in D.validate(D.min2024_ds_a())["Assumption 1"].reason
    assert D.validate(D.min2024_ds_b()).ok
    for seed in range(10):
        ds = D.mu_separated(n_plus=4, n_minus=6, d=3, mu=0.4, seed=seed)
        from numerics.geometry import mu_separation

        assert mu_separation(ds.X, ds.y) >= 0.4 - 1e-12
        assert D.validate(ds).ok
    X = D.min2024_ds_a().X.copy()
    X[3] = [0.2, -1.0]  # catalog 001 E06 mutation: <u_1, u_4> = -0.196
    v = D.validate(D.min2024_ds_a().with_data(X=X))
    assert failed(v) == ["Assumption 1 (mu-separated data)"] and "mu = -0.196116" in v["Assumption 1"].reason


def test_min2024_assumption2_init():
    ds = D.min2024_ds_a()
    ang = np.deg2rad([100, 135, 180, 265, 300, 60, 115, 280, 320])  # catalog 001 I-A8
    W0 = np.stack([np.cos(ang), np.sin(ang)], axis=1)
    s = np.array([1, 1, 1, 1, 1, -1, -1, -1, -1])
    v = D.validate(ds, W0=W0, s=s)
    assert v.ok
    assert f"zeta_2* = {float(np.sin(np.deg2rad(40)) ** 2):.6g}" in v["Assumption 2"].reason
    W0[0] = [np.cos(np.deg2rad(225)), np.sin(np.deg2rad(225))]  # a V_+ neuron exactly at x_-^ (E09 mutation)
    assert not D.validate(ds, W0=W0, s=s)["Assumption 2"].passed
    one_class = ds.with_data(X=ds.X[:2], y=ds.y[:2])
    assert "ill-posed" in D.validate(one_class, W0=W0, s=s)["Assumption 2"].reason


# --------------------------------------------------------------------------- tsoy2024


def test_tsoy2024_xor_clusters():
    for seed in (100, 1, 2):
        v = D.validate(D.xor_clusters(n=64, d=3, mu=0.98, delta=0.02, sigma=0.01, seed=seed))
        assert v.ok, v.summary()
    auth = D.validate(D.build("tsoy2024.xor-authors"))
    assert failed(auth) == ["||x_i|| <= 1 (l.235)"]  # mu = 1: points up to 1 + delta
    d3 = D.validate(D.build("tsoy2024.D3A"))
    assert d3.ok and "delta = 0.0866025" in d3["Assumption 5.1.1"].reason
    assert "Delta = 0.025" in d3["Assumption 5.1.4"].reason


def test_tsoy2024_perturbations():
    ds = D.build("tsoy2024.D3A")
    v = D.validate(ds.with_data(X=ds.X[1:], y=ds.y[1:]))  # drop one point: symmetry breaks
    assert "Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})" in failed(v)
    t = np.deg2rad(5)
    Rz = np.array([[np.cos(t), -np.sin(t), 0], [np.sin(t), np.cos(t), 0], [0, 0, 1]])
    v = D.validate(ds.with_data(X=ds.X @ Rz.T))  # rotated by 5 degrees
    assert {"Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})", "Assumption 5.1.3 (P D_x = D_x)"} <= set(failed(v))
    v = D.validate(ds.with_data(y=-ds.y))  # the authors' BCE label convention (+-e_1 in class 0)
    assert failed(v) == ["Assumption 5.1.1 (clusters at +-e_1 (y=+1), +-e_2 (y=-1))"]
    assert "has label 1" in v["Assumption 5.1.1"].reason
    assert not D.validate(ds, xi=0.09)["Lemma 5.2"].passed  # xi + delta >= 1/6
    # skewed XOR (Fig. 2, alpha = pi/3): clusters at 0, pi (+1) and +-(cos pi/3, sin pi/3) (-1)
    c = np.array([[1, 0], [-1, 0], [0.5, np.sqrt(3) / 2], [-0.5, -np.sqrt(3) / 2]]) * 0.99
    skew = D.Dataset(c, [1.0, 1.0, -1.0, -1.0], "skew", "tsoy2024 §6", paper="tsoy2024")
    assert not D.validate(skew).ok


# --------------------------------------------------------------------------- user loader


def test_load_valid_json_and_npz(tmp_path):
    p = tmp_path / "toy.json"
    p.write_text(json.dumps({"X": [[0.5, 1], [2, 1]], "y": [-1, 1], "gamma": 0.1, "loss": "logistic",
                             "name": "toy", "params": {"m": 60}}))
    ds = D.load_user_dataset(p)
    assert ds.name == "toy" and ds.gamma == 0.1 and ds.loss == "logistic" and ds.params == {"m": 60}
    np.testing.assert_array_equal(ds.X, [[0.5, 1.0], [2.0, 1.0]])
    assert ds.model().gamma == 0.1
    q = tmp_path / "toy.NPZ"
    with open(q, "wb") as f:
        np.savez(f, X=np.eye(3), y=np.array([1.0, -0.5, 0.3]), gamma=np.float64(0.0), loss=np.str_("square"))
    ds = D.load_user_dataset(q)
    assert ds.n == 3 and ds.loss == "square" and ds.name == "toy" and "toy.NPZ" in ds.source


def _json(tmp_path, obj, raw=None):
    p = tmp_path / "bad.json"
    p.write_text(raw if raw is not None else json.dumps(obj))
    return p


BAD_JSON = [
    ({"y": [1]}, "missing key 'X'"),
    ({"X": [[1.0]]}, "missing key 'y'"),
    ({"X": [[1, 2], [3]], "y": [1, 1]}, "ragged X: row 1 has 1 entries, row 0 has 2"),
    ({"X": [[1, "a"]], "y": [1]}, r"X\[0\]\[1\] = 'a' is not a number"),
    ({"X": [[1, None]], "y": [1]}, "is not a number"),
    ({"X": [[1, True]], "y": [1]}, "is not a number"),
    ({"X": [1, 2, 3], "y": [1, 1, 1]}, "X row 0 is int, not a list"),
    ({"X": [], "y": []}, "non-empty list of rows"),
    ({"X": [[]], "y": [1]}, "X is empty"),
    ({"X": [[1, 2], [3, 4]], "y": [1]}, "y must be a 1-D array of length n = 2; got shape"),
    ({"X": [[1, 2], [3, 4]], "y": [[1], [2]]}, r"y\[0\] = \[1\] is not a number"),
    ({"X": [[1, 2]], "y": [1], "gamma": 2}, r"gamma must lie in \[0, 1\]"),
    ({"X": [[1, 2]], "y": [1], "gamma": "0.1"}, "gamma must be a number"),
    ({"X": [[1, 2]], "y": [1], "loss": "hinge"}, "loss must be one of"),
    ({"X": [[1, 2], [3, 4]], "y": [1, 0], "loss": "logistic"}, r"labels in \{-1, \+1\}; y\[1\] = 0"),
    ({"X": [[1, 2]], "y": [1], "lr": 0.1}, r"unknown key\(s\) \['lr'\]"),
    ([[1, 2]], "top level must be an object"),
]


@pytest.mark.parametrize("obj,msg", BAD_JSON, ids=[m for _, m in BAD_JSON])
def test_loader_rejects_malformed_json(tmp_path, obj, msg):
    with pytest.raises(D.DatasetError, match=msg):
        D.load_user_dataset(_json(tmp_path, obj))


@pytest.mark.parametrize("raw,msg", [('{"X": [[1, NaN]], "y": [1]}', r"X\[0\]\[1\] = nan is not finite"),
                                     ('{"X": [[1, Infinity]], "y": [1]}', "is not finite"),
                                     ('{"X": [[1, 2]], "y": [1]', "invalid JSON at line 1"),
                                     ("", "invalid JSON")])
def test_loader_rejects_bad_json_text(tmp_path, raw, msg):
    with pytest.raises(D.DatasetError, match=msg):
        D.load_user_dataset(_json(tmp_path, None, raw))


def _npz(tmp_path, **arrays):
    p = tmp_path / "bad.npz"
    with open(p, "wb") as f:
        np.savez(f, **arrays)
    return p


BAD_NPZ = [
    ({"y": np.ones(2)}, "missing array 'X'"),
    ({"X": np.ones((2, 2))}, "missing array 'y'"),
    ({"X": np.ones(3), "y": np.ones(3)}, r"X must be a 2-D array \(n, d\); got shape \(3,\)"),
    ({"X": np.ones((3, 2)), "y": np.ones((3, 1))}, "flatten it to a 1-D array"),
    ({"X": np.ones((3, 2)), "y": np.ones(2)}, "length n = 3"),
    ({"X": np.array([[1.0, np.nan]]), "y": np.ones(1)}, r"X has a non-finite value nan at index \(0, 1\)"),
    ({"X": np.ones((1, 2)), "y": np.array([np.inf])}, "y has a non-finite value inf"),
    ({"X": np.array([["a", "b"]]), "y": np.ones(1)}, "X must be numeric, got dtype <U1"),
    ({"X": np.ones((1, 2), dtype=complex), "y": np.ones(1)}, "X must be numeric, got dtype complex128"),
    ({"X": np.ones((1, 2), dtype=bool), "y": np.ones(1)}, "got booleans"),
    ({"X": np.zeros((0, 2)), "y": np.zeros(0)}, "X is empty"),
    ({"X": np.ones((2, 2)), "y": np.array([1.0, 0.5]), "loss": np.str_("logistic")}, "logistic loss needs labels"),
    ({"X": np.ones((1, 2)), "y": np.ones(1), "gamma": np.array([0.1, 0.2])}, "'gamma' must be a scalar"),
    ({"X": np.ones((1, 2)), "y": np.ones(1), "extra": np.ones(1)}, r"unknown array\(s\) \['extra'\]"),
    ({"X": np.array([[1, None]], dtype=object), "y": np.ones(1)}, "without pickles"),
]


@pytest.mark.parametrize("arrays,msg", BAD_NPZ, ids=[m for _, m in BAD_NPZ])
def test_loader_rejects_malformed_npz(tmp_path, arrays, msg):
    with pytest.raises(D.DatasetError, match=msg):
        D.load_user_dataset(_npz(tmp_path, **arrays))


def test_loader_rejects_bad_paths_and_corrupt_files(tmp_path):
    with pytest.raises(D.DatasetError, match=r"unknown extension '\.csv'; use \.npz or \.json"):
        D.load_user_dataset(tmp_path / "data.csv")
    with pytest.raises(D.DatasetError, match="no such file"):
        D.load_user_dataset(tmp_path / "missing.json")
    p = tmp_path / "corrupt.npz"
    p.write_bytes(b"this is not a zip archive")
    with pytest.raises(D.DatasetError, match="not a readable NPZ archive"):
        D.load_user_dataset(p)
    r = tmp_path / "single.npz"
    with open(r, "wb") as f:
        np.save(f, np.eye(2))
    with pytest.raises(D.DatasetError, match="single .npy array, not an .npz archive"):
        D.load_user_dataset(r)
    z = tmp_path / "truncated.npz"
    with open(z, "wb") as f:
        np.savez(f, X=np.eye(2), y=np.ones(2))
    z.write_bytes(z.read_bytes()[:40])
    with pytest.raises(D.DatasetError, match="not a readable NPZ archive"):
        D.load_user_dataset(z)
    q = tmp_path / "latin.json"
    q.write_bytes(b'{"X": [[1]], "y": [1], "name": "\xe9"}')
    with pytest.raises(D.DatasetError, match="not UTF-8"):
        D.load_user_dataset(q)


def test_dataset_constructor_checks():
    with pytest.raises(D.DatasetError, match="non-finite"):
        D.Dataset([[math.nan]], [1.0], "x", "t")
    with pytest.raises(D.DatasetError, match="logistic loss needs labels"):
        D.Dataset([[1.0]], [0.5], "x", "t", loss="logistic")
