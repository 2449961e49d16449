"""Tests of numerics.datasets: constructions validate as the papers say, perturbations fail the right
assumption with a readable reason, and the user loader rejects every malformed file with a DatasetError."""
import json
import math

import numpy as np
import pytest
import sympy as sp

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


@pytest.mark.parametrize("name,kw", [
                                     ("boursier2024.box", {}), ("boursier2024.stewart", {}),
                                     ("lyu2021.symmetric", {}), ("min2024.mu-separated", {}), ("tsoy2024.xor", {})])
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


# --------------------------------------------------------------------------- boursier2024


def test_boursier2024_three_point_family_satisfies_assumptions_3_to_6():
    for eta in (0.05, 0.1, 0.15):
        v = D.validate(D.three_point(eta))
        assert v.ok, v.summary()
    assert D.validate(D.boursier2024_ds_g()).ok
    # the random box family: Lemma 8's conclusion holds for small eta (printed A5 holds for eta < 0.0977)
    for seed in range(15):
        v = D.validate(D.three_point_box(0.05, seed=seed))
        assert v.ok, v.summary()


def test_boursier2024_eta_region_and_box_edges():
    v = D.validate(D.three_point(0.2))
    assert v["Assumption 3"].passed and not v["Theorem 2"].passed
    assert "0.2" in v["Theorem 2"].reason
    assert D.validate(D.boursier2024_ds_g(), eta=0.1)["Assumption 3"].passed
    assert not D.validate(D.boursier2024_ds_g(), eta=0.05)["Assumption 3"].passed  # DS-G needs eta >= 0.08
    X = D.boursier2024_ds_g().X.copy()
    X[2, 0] = 1.0  # x_3^1 must be < 1 (open end)
    v = D.validate(D.boursier2024_ds_g().with_data(X=X))
    assert "x_3^1 < 1" in v["Assumption 3"].reason and not v["Assumption 3"].passed
    X[2, 0] = 0.92
    X[0, 0] = -1.0  # x_1^1 must be > -1 (open end)
    assert "x_1^1 > -1" in D.validate(D.boursier2024_ds_g().with_data(X=X))["Assumption 3"].reason
    assert D.assumption3_eta_min(D.boursier2024_ds_s6().X, D.boursier2024_ds_s6().y)[1] == pytest.approx(0.875)


def test_boursier2024_s6_v_2n_fail_the_right_assumptions():
    s6 = D.validate(D.boursier2024_ds_s6())
    assert set(failed(s6)) == {"Assumption 3 (3-point box)", "Theorem 2 (Assumption 3 with eta < 1/6)",
                               "Assumption 5 (printed, l.517)"}
    assert "0.8125 vs" in s6["Assumption 5"].reason and "1.7783" in s6["Assumption 5"].reason
    v = D.validate(D.boursier2024_ds_v())  # catalog 003 F1: in the eta < 1/6 box, printed A5 fails
    assert failed(v) == ["Assumption 5 (printed, l.517)"]
    assert "1.7056 vs" in v["Assumption 5"].reason and "2.11246" in v["Assumption 5"].reason
    n2 = D.validate(D.boursier2024_ds_2n())
    assert "<x_1,x_2> = -0.1" in n2["Assumption 4"].reason


def test_boursier2024_assumption5_threshold_on_the_box_worst_case():
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
        ds = D.Dataset(X, [1, eta, 1 + eta], "worst", "catalog 003 E26", paper="boursier2024")
        v = D.validate(ds)
        assert v["Assumption 3"].passed and v["Assumption 5"].passed is expect


def test_boursier2024_stewart_and_loss_assumption():
    st = D.stewart()
    assert st.n == 40 and np.all((st.X[:, 0] >= -1) & (st.X[:, 0] <= 1)) and np.all(st.X[:, 1] == 1)
    np.testing.assert_allclose(st.y, np.interp(st.X[:, 0], *D.STEWART_KNOTS))
    v = D.validate(D.boursier2024_ds_g(), loss="logistic")
    assert v["Assumption 1"].passed  # labels <= 2
    big = D.boursier2024_ds_g().with_data(y=np.array([3.0, 0.05, 1.02]))
    assert not D.validate(big, loss="logistic")["Assumption 1"].passed


# --------------------------------------------------------------------------- lyu2021


def test_lyu2021_symmetric_datasets():
    for ds in (D.lyu2021_ds_s(), D.lyu2021_ds_s2(), *(D.symmetric_separable(seed=s) for s in range(5))):
        assert D.validate(ds).ok, D.validate(ds).summary()
    k = D.validate(D.lyu2021_ds_k(0.5))
    assert failed(k) == ["||x_i|| <= 1 (l.296)"]
    assert D.lyu2021_ds_k(0.5).params["beta"] == pytest.approx(0.441594194, abs=1e-9)


def test_lyu2021_perturbations_fail_the_right_assumption():
    ds = D.lyu2021_ds_s()
    X = ds.X.copy()
    X[5] += 1e-3  # a negated copy moved (catalog 002 E05 mutation)
    v = D.validate(ds.with_data(X=X))
    assert failed(v) == ["Assumption 4.1 (symmetric: (x, y) in S => (-x, -y) in S)"]
    assert "no (-x, -y) partner" in v["Assumption 4.1"].reason
    # E09 mutation: add (x, +1), (-x, -1) with x orthogonal to the NEW mu = (8 mu + 2x)/10, i.e.
    # |x + 2 mu|^2 = 4 |mu|^2 (adding x orthogonal to the old mu, as the catalog suggests, moves mu)
    mu = np.array([0.725, 0.075])
    m, q = mu / np.linalg.norm(mu), np.array([-mu[1], mu[0]]) / np.linalg.norm(mu)
    x = 2 * np.linalg.norm(mu) * ((np.cos(0.3) - 1) * m + np.sin(0.3) * q)
    Xp = np.vstack([ds.X[:4], x, -ds.X[:4], -x])
    yp = np.r_[np.ones(5), -np.ones(5)]
    v = D.validate(ds.with_data(X=Xp, y=yp))
    assert "Assumption 4.5 (<mu, x_i> != 0)" in failed(v)
    assert "at i = 5" in v["Assumption 4.5"].reason
    bad = ds.with_data(X=np.vstack([ds.X, [[0.9, 0.4]]]), y=np.r_[ds.y, -1.0])  # E02 mutation
    assert "Assumption 3.2 (linearly separable)" in failed(D.validate(bad, setting="symmetric"))


def test_lyu2021_hinted_dataset():
    h = D.lyu2021_ds_h()
    v = D.validate(h)
    assert failed(v) == ["||x_i|| <= 1 (l.296)"]  # DS-H: ||x_1|| = 70
    assert D.validate(D.lyu2021_ds_h(scale=1 / 70)).ok  # the rescaled twin DS-H/70
    # Theorem 6.2's H_0 (App. A.2) for DS-H in closed form: max(K, 0.4)(2K + 1.4)/0.05 - 2.4 (catalog 002 E31)
    K = sp.symbols("K", positive=True)
    H0 = sp.Max(K, sp.Rational(2, 5)) * (2 * K + sp.Rational(7, 5)) / sp.Rational(1, 20) - sp.Rational(12, 5)
    for k in (0.5, 1.0, 2.0):
        t = D.hinted_thresholds(D.lyu2021_ds_h(K=k))
        assert t["H0"] == pytest.approx(float(H0.subs(K, sp.nsimplify(k))), rel=1e-13)
    low = D.validate(D.lyu2021_ds_h(H=65.0))  # below H_0 = 65.6: both Theorem 6.2 and A.1 fail
    assert {"Theorem 6.2 conditions (App. A.2)", "Assumption A.1 at w^⊙"} <= set(failed(low))
    assert "H_0 = 65.6" in low["Theorem 6.2"].reason
    # hint labels flipped (E20 mutation). Flipping y_2 alone leaves the set separable (w = (1, -1)
    # separates it, contrary to the catalog's remark), but it is no longer a hinted dataset
    yh = h.y.copy()
    yh[1] = -1.0
    v = D.validate(h.with_data(y=yh))
    assert "Definition 6.1 (hinted dataset)" in failed(v) and v["Assumption 3.2"].passed
    yh[2] = -1.0  # both side hints negative: not separable
    assert "Assumption 3.2 (linearly separable)" in failed(D.validate(h.with_data(y=yh)))
    # a generic base set: w* from the SVM, default w_perp
    base = D.symmetric_separable(n_half=4, seed=3)
    hd = D.hinted(base.X, base.y, H=200.0, K=1.0, eps=0.01)
    assert D.validate(hd)["Definition 6.1"].passed


def test_symmetrize_builds_assumption_4_1_data():
    a = D.lyu2021_ds_a()
    X, y = D.symmetrize(a.X, a.y)
    v = D.validate(a.with_data(X=X, y=y), setting="symmetric")
    assert v.ok, v.summary()
    np.testing.assert_array_equal(X[5:], -X[:5])
    assert y.tolist() == [1.0] * 5 + [-1.0] * 5


def test_lyu2021_appendix_settings():
    a = D.validate(D.lyu2021_ds_a())
    assert a["Assumption A.2"].passed and a["Assumption A.3"].passed  # catalog 002 DS-A
    assert "0.1841" in a["Assumption A.2"].reason
    o = D.validate(D.lyu2021_ds_o())
    assert o["Definition H.1"].passed
    assert not D.validate(D.lyu2021_ds_s(), setting="orthogonal")["Definition H.1"].passed
    s = D.validate(D.lyu2021_ds_s(), setting="nonsymmetric")
    assert not s["Assumption A.3"].passed  # symmetric data: ||mu^+|| = ||mu^-|| (E25 mutation)


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
