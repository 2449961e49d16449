"""Tests of numerics.datasets: constructions validate as the papers say, perturbations fail the right
assumption with a readable reason, and the user loader rejects every malformed file with a DatasetError."""
import importlib
import json
import math

import numpy as np
import pytest

from numerics import datasets as D
from numerics.network import Model
from theory import registry


def failed(v):
    return [c.name for c in v.failures]


# --------------------------------------------------------------------------- registry and Dataset type


def _validator(paper):
    return importlib.import_module(f"theory.papers.{paper}.datasets").validate


@pytest.mark.parametrize("name", sorted(registry.datasets()))
def test_every_registered_dataset_builds_deterministically(name):
    make = registry.datasets()[name]
    a, b = make(), make()
    assert a.X.dtype == np.float64 and a.X.ndim == 2 and a.y.shape == (a.n,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    paper = name.split(".")[0]
    assert a.paper == paper and a.name.startswith(paper + ".") and a.source.startswith(paper)
    assert isinstance(a.model(), Model)
    v = _validator(paper)(a)
    assert len(v) >= 2 and all(isinstance(c.reason, str) and c.reason for c in v)
    with pytest.raises(ValueError):
        a.X[0, 0] = 1.0  # read-only


def test_every_paper_package_exposes_datasets():
    papers = {n.split(".")[0] for n in registry.datasets()}
    assert papers == {"boursier2022", "boursier2024", "lyu2021", "min2024", "tsoy2024"}


@pytest.mark.parametrize("name", ["min2024.mu-separated", "tsoy2024.xor", "boursier2024.box", "boursier2024.stewart",
                                  "lyu2021.symmetric"])
def test_seeds_change_random_constructions(name):
    make = registry.datasets()[name]
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    np.testing.assert_array_equal(a.X, b.X)
    assert not np.array_equal(a.X, c.X)
    assert a.params["seed"] == 1


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
    ({"X": np.array([["a", "b"]]), "y": np.ones(1)}, "array .X. has dtype <U1, not numbers"),
    ({"X": np.ones((1, 2), dtype=complex), "y": np.ones(1)}, "X must be numeric, got dtype complex128"),
    ({"X": np.ones((1, 2), dtype=bool), "y": np.ones(1)}, "array .X. has dtype bool, not numbers"),
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
