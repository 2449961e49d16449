"""tsoy2024 datasets (catalog claims_000.md §1.2: XOR clusters, the orbit datasets D2(p), D3(p)), the validator
of ||x_i|| <= 1, Assumption 5.1 and Lemma 5.2's condition, and :class:`UserSettings`: how a claim reads the settings of
a user's dataset (``earlyalign check --data FILE``)."""
from __future__ import annotations

import math
from functools import partial
from itertools import product

import numpy as np
from scipy.special import expit

from numerics.datasets import Dataset, DatasetError, Validation, as_rng, assumption_check, fmt_number, fmt_vector
from theory.claims import Hypothesis
from theory.usersettings import SETTINGS as USER_SETTINGS_APPLY, UserSettings as BaseUserSettings

from .paper import KEY


# ============================================================================ tsoy2024 (XOR-like clusters)



def _t24(X, y, name, source, params, notes=""):
    return Dataset(X, y, f"{KEY}.{name}", f"{KEY} {source}", KEY, params, gamma=0.0, loss="logistic",
                   reduction="mean", notes=notes)


def _xor_symmetrize(base):
    """Orbit of base points around mu e_1 under R_1, R_2, R_r and P (tsoy2024 §5.1; authors' gen_sym_data)."""
    x = base
    for idx in (np.s_[0], np.s_[1], np.s_[2:]):
        r = np.ones(x.shape[1])
        r[idx] = -1.0
        x = np.vstack([x, r * x])
    swap = x.copy()
    swap[:, [0, 1]] = x[:, [1, 0]]
    return np.vstack([x, swap])


def xor_orbit_of(base) -> np.ndarray:
    """The orbit of the rows of ``base`` under R_1, R_2, R_r and P (with repetitions: 16 rows per base point)."""
    return _xor_symmetrize(np.atleast_2d(np.asarray(base, dtype=float)))


def xor_clusters(n: int = 256, d: int = 2, mu: float = 1.0, delta: float = 0.01, sigma: float = 0.005,
                 seed=100) -> Dataset:
    """XOR-like clusters of tsoy2024 Assumption 5.1 (§5.1), generated like the authors' gen_sym_data.

    n/16 base offsets z ~ N(0, sigma^2 I_d) truncated to ||z|| < delta (redrawn until exactly n/16 are
    accepted; the authors keep a random number), shifted to mu e_1, then the orbit under R_1, R_2, R_r
    (coordinates 3..d) and the swap P: clusters at +-e_1 (label +1) and +-e_2 (label -1), n points.
    Labels follow the paper (y_i = 1 - 2a(k): +-e_1 -> +1); the authors' BCE labels give +-e_1 the class 0,
    i.e. the opposite sign (G -> -G). For d = 2 R_r is the identity and the orbit has duplicates; the
    paper's Fig. 1 setting is d = 2, n = 256, delta = 0.01, sigma = 0.005, data seed 100.
    mu = 1 gives max ||x_i|| up to 1 + delta, outside the standing ||x_i|| <= 1; use mu <= 1 - delta.
    """
    if n % 16:
        raise DatasetError(f"n must be a multiple of 16 (orbit of size 16); got {n}")
    if d < 2:
        raise DatasetError(f"XOR data need d >= 2; got {d}")
    rng = as_rng(seed)
    base = np.zeros((0, d))
    while base.shape[0] < n // 16:
        z = rng.normal(0.0, sigma, size=(n // 16, d))
        base = np.vstack([base, z[np.sum(z * z, axis=1) < delta ** 2]])
    base = base[: n // 16]
    base[:, 0] += mu
    X = _xor_symmetrize(base)
    y = np.where(np.abs(X[:, 0]) > np.abs(X[:, 1]), 1.0, -1.0)
    return _t24(X, y, "xor", "Assumption 5.1 (§5.1): XOR clusters (authors' gen_sym_data)",
                {"n": n, "d": d, "mu": mu, "delta": delta, "sigma": sigma,
                 "seed": seed if not isinstance(seed, np.random.Generator) else None})


def xor_orbit(p=(0.95, 0.05, 0.05)) -> Dataset:
    """Deterministic XOR data D2(p) / D3(p) of catalog 000 §1.2: label +1 at (+-p1, +-p2[, +-p3]) and
    label -1 at (+-p2, +-p1[, +-p3]) (p1 > p2 > 0). Closed forms: lambda = max G = G(e_1) = (p1 - p2)/8,
    delta = ||x - e_1||, regularity margin min(p2, p3). D3A = (0.95, 0.05, 0.05), D3B = (0.995, 0.005, 0.005),
    D2B = (0.995, 0.005).
    """
    p = tuple(float(t) for t in p)
    if len(p) not in (2, 3) or not p[0] > p[1] > 0:
        raise DatasetError(f"xor_orbit needs p = (p1, p2[, p3]) with p1 > p2 > 0; got {p}")
    signs = np.array(list(product((1.0, -1.0), repeat=len(p))))
    pos = signs * np.array(p)
    q = (p[1], p[0]) + p[2:]
    neg = signs * np.array(q)
    name = f"D{len(p)}({', '.join(fmt_number(t) for t in p)})"
    return _t24(np.vstack([pos, neg]), np.r_[np.ones(len(pos)), -np.ones(len(neg))], name,
                "Assumption 5.1 (§5.1); catalog 000 orbit dataset", {"p": p})


def single_point(d: int = 3) -> Dataset:
    """D1 of catalog 000 §1.2: the one-point dataset {(e_1, +1)} in R^d, used for tightness (Remark B.4, Prop. B.5)."""
    X = np.zeros((1, d))
    X[0, 0] = 1.0
    return _t24(X, np.ones(1), f"D1 (d={d})", "catalog 000 §1.2 D1 (tightness)", {"d": d})


def skewed_points(alpha: float, scale: float = 0.99) -> Dataset:
    """Point-cluster skewed XOR of §6 (catalog 000 §3.2): label +1 at +-scale e_1, label -1 at +-scale (cos alpha,
    sin alpha). alpha = pi/2 is D2-type XOR data; alpha = pi/3 puts the extrema of G at -pi/6, 5pi/6 (max) and
    +-pi/2 (min), directions orthogonal to a cluster (kinks), not cluster directions."""
    c = np.array([[1.0, 0.0], [-1.0, 0.0], [math.cos(alpha), math.sin(alpha)],
                  [-math.cos(alpha), -math.sin(alpha)]]) * scale
    return _t24(c, np.array([1.0, 1.0, -1.0, -1.0]), f"skew(alpha={alpha:.6g})",
                "§6 (l.1101-1150): skewed XOR, point clusters (catalog 000 §3.2)", {"alpha": alpha, "scale": scale})


def skewed_xor(alpha: float, n: int = 512, mu: float = 1.0, delta: float = 0.2, sigma: float = 0.1 / math.sqrt(2),
               seed=100) -> Dataset:
    """Skewed XOR of §6 / Fig. 2 generated like the authors' gen_skew_data (d = 2): n/4 offsets z ~ N(0, sigma^2 I)
    truncated to ||z|| < delta (redrawn until exactly n/4 are kept), shifted to mu e_1 and reflected (clusters at
    +-mu e_1, label +1), then mapped by the reflection [[cos a, sin a], [sin a, -cos a]] (clusters at +-mu (cos a,
    sin a), label -1). The authors' BCE labels put +-e_1 in class 0 (the opposite sign, G -> -G: the same set of
    extrema). mu = 1, delta = 0.2 give ||x_i|| up to 1.2 (the experiment lies outside ||x|| <= 1)."""
    if n % 4:
        raise DatasetError(f"n must be a multiple of 4; got {n}")
    rng = as_rng(seed)
    base = np.zeros((0, 2))
    while base.shape[0] < n // 4:
        z = rng.normal(0.0, sigma, size=(n // 4, 2))
        base = np.vstack([base, z[np.sum(z * z, axis=1) < delta ** 2]])
    base = base[: n // 4]
    base[:, 0] += mu
    pos = np.vstack([base, base * np.array([-1.0, 1.0])])
    R = np.array([[math.cos(alpha), math.sin(alpha)], [math.sin(alpha), -math.cos(alpha)]])
    X = np.vstack([pos, pos @ R])
    y = np.r_[np.ones(len(pos)), -np.ones(len(pos))]
    return _t24(X, y, f"skewed-xor(alpha={alpha:.6g}, n={n})",
                "§6 / Fig. 2 (authors' gen_skew_data: mu = 1, delta = 0.2, sigma = 0.1/sqrt(2))",
                {"alpha": alpha, "n": n, "mu": mu, "delta": delta, "sigma": sigma,
                 "seed": seed if not isinstance(seed, np.random.Generator) else None})


def validate(ds: Dataset, *, xi: float = 0.0, tol: float = 1e-12) -> Validation:
    """tsoy2024 standing assumption ||x_i|| <= 1 (l.235), Assumption 5.1 items 1-4 (l.776-800) and Lemma 5.2's
    condition xi + delta < 1/6 (``xi`` is the smoothing radius; 0 for ReLU).

    Item 1: nearest centre b(k) e_{a(k)+1} in {+-e_1, +-e_2}, delta = max distance < sqrt(2)/2 and labels +1 at
    +-e_1, -1 at +-e_2 (the paper's a(k), b(k) indexing and the proofs' order give the same labels, F5).
    Items 2-3: D_x invariant (as a set, up to ``tol``) under R_1, R_2, R_r (negate coordinates 3..d) and P
    (swap coordinates 1, 2). Item 4: |e_k^T x_i| >= xi + 2 Delta with Delta > 0, for k in {1, 2} (the catalog's
    reading; k in [d] would forbid zero coordinates).
    """
    X, y = ds.X, ds.y
    out = Validation(dataset=ds.name)
    xmax = float(np.max(np.linalg.norm(X, axis=1)))
    out.append(assumption_check("||x_i|| <= 1 (l.235)", xmax <= 1 + 1e-12, f"max ||x_i|| = {fmt_number(xmax)}"))
    if ds.d < 2:
        out.append(assumption_check("Assumption 5.1", False, f"needs d >= 2; got d = {ds.d}"))
        return out
    centres = np.zeros((4, ds.d))
    centres[0, 0], centres[1, 0], centres[2, 1], centres[3, 1] = 1, -1, 1, -1
    dist = np.linalg.norm(X[:, None, :] - centres[None], axis=2)
    k = np.argmin(dist, axis=1)
    delta = float(np.max(dist[np.arange(ds.n), k]))
    want = np.where(k < 2, 1.0, -1.0)
    wrong = np.flatnonzero(y != want)
    ok1 = delta < math.sqrt(2) / 2 and wrong.size == 0
    why1 = f"delta = {fmt_number(delta)} (< sqrt(2)/2 = {fmt_number(math.sqrt(2) / 2)} needed)"
    if wrong.size:
        i = wrong[0]
        why1 += f"; y_{i + 1} = {fmt_number(y[i])} but its cluster centre {fmt_vector(centres[k[i]])} has label {fmt_number(want[i])}"
    out.append(assumption_check("Assumption 5.1.1 (clusters at +-e_1 (y=+1), +-e_2 (y=-1))", ok1, why1))
    scale = max(1.0, xmax)
    maps = {"R_1": lambda Z: Z * _sign_vec(ds.d, [0]), "R_2": lambda Z: Z * _sign_vec(ds.d, [1]),
            "R_r": lambda Z: Z * _sign_vec(ds.d, list(range(2, ds.d))), "P": lambda Z: Z[:, _swap01(ds.d)]}
    for label, names in (("Assumption 5.1.2 (R_a D_x = D_x, a in {1, 2, r})", ("R_1", "R_2", "R_r")),
                         ("Assumption 5.1.3 (P D_x = D_x)", ("P",))):
        bad = None
        for nm in names:
            miss = _set_mismatch(X, maps[nm](X), tol * scale)
            if miss is not None:
                bad = f"{nm} x_{miss[0] + 1} = {fmt_vector(maps[nm](X)[miss[0]])} is at distance {fmt_number(miss[1])} from D_x"
                break
        out.append(assumption_check(label, bad is None, bad or "invariant"))
    m = float(np.min(np.abs(X[:, :2])))
    Delta = (m - xi) / 2
    out.append(assumption_check("Assumption 5.1.4 (|e_k^T x_i| >= xi + 2 Delta, Delta > 0)", Delta > 0,
                      f"min_(i, k<=2) |x_i^k| = {fmt_number(m)}, xi = {fmt_number(xi)}: Delta = {fmt_number(Delta)}"))
    out.append(assumption_check("Lemma 5.2 condition (xi + delta < 1/6)", xi + delta < 1 / 6,
                      f"xi + delta = {fmt_number(xi + delta)} vs 1/6 = {fmt_number(1 / 6)}"))
    return out


def _sign_vec(d, idx):
    v = np.ones(d)
    v[idx] = -1.0
    return v


def _swap01(d):
    p = list(range(d))
    p[0], p[1] = 1, 0
    return p


def _set_mismatch(X, TX, atol):
    """First row of TX not within atol of a row of X (and vice versa); None if the sets coincide."""
    for A, B in ((TX, X), (X, TX)):
        D = np.min(np.linalg.norm(A[:, None, :] - B[None, :, :], axis=2), axis=1)
        i = int(np.argmax(D))
        if D[i] > atol:
            return i, float(D[i])
    return None


DATASETS = {"xor": partial(xor_clusters, mu=0.99), "xor-authors": xor_clusters,
            "D3A": partial(xor_orbit, p=(0.95, 0.05, 0.05)), "D3B": partial(xor_orbit, p=(0.995, 0.005, 0.005)),
            "D2B": partial(xor_orbit, p=(0.995, 0.005)), "D1": single_point,
            "skew-pi/3": partial(skewed_points, math.pi / 3), "skew-pi/2": partial(skewed_points, math.pi / 2),
            "fig2-pi/2": partial(skewed_xor, math.pi / 2), "fig2-pi/3": partial(skewed_xor, math.pi / 3)}


# ============================================================================ user data (earlyalign --data)

#: the smoothing radius of the smoothed-ReLU claims on a user's data (xi is not a data-file setting: the theory needs
#: xi > 0 and the numbers do not depend on it much as long as the data's extrema are xi-regular)
DATA_XI = 0.01


class UserSettings(BaseUserSettings):
    """The settings of a user's dataset as one tsoy2024 claim reads them (:class:`theory.usersettings.UserSettings`:
    ``get``, ``sigma``, ``instance``), plus the paper's balanced init."""

    def init(self):
        """The isotropic init of the paper (balanced: |u_0j| = ||v_0j||): "balanced-gaussian" (v_0j ~ N(0, I/d),
        the default) or "sphere-sign" (v_0j uniform on the sphere); "gaussian" (unbalanced) is refused: the paper's
        init is balanced (l.328-333)."""
        v = self._use("init", "balanced-gaussian")
        if v == "gaussian":
            self.refused["init"] = ("params.init = 'gaussian': the paper's init is balanced, |u_j(0)| = ||v_j(0)|| "
                                    "(l.328-333); use 'balanced-gaussian' or 'sphere-sign'")
        return "sphere" if v == "sphere-sign" else "isotropic"


def flow_cost(n: int, m: int, horizon: float, runs: int = 2) -> str:
    """What a flow on a user's data will cost, said before it starts (n, m, horizon, an estimate: the smooth
    integrator takes ~1e-5 s per neuron, data point and unit of time on this machine, measured on D3A)."""
    est = runs * (0.2 + 1e-5 * n * m * horizon)
    return f"cost: n = {n}, m = {m}, t in [0, {horizon:.4g}], {runs} run(s): estimated ~{est:.0f} s"


# ============================================================================ inits and angles (shared by the parts)

#: catalog E03 Recipe A: four neurons each inside the linear region of its target extremum and one in the flat cap
#: around e_3 (where G = 0): (direction, sign, scale)
DESIGNED = (((1, 0, 1), +1, 1.0), ((-1, 0, 1), +1, 0.7), ((0, 1, 1), -1, 0.9), ((0, -1, 1), -1, 0.5))
CAP_NEURON = ((0.02, 0.01, 1.0), +1, 1.0)


def designed_init(alpha0_deg: float = 30.0, cap: bool = True):
    """(u_0, V_0), balanced: neuron k at angle alpha_0 from its target (+e_1, -e_1, +e_2, -e_2) tilted towards e_3,
    signs (+, +, -, -), scales (1, 0.7, 0.9, 0.5), plus (``cap``) the flat-cap neuron (0.02, 0.01, 1) (catalog E03)."""
    a = math.radians(alpha0_deg)
    us, vs = [], []
    for (dx, dy, _), s, sc in DESIGNED:
        v = np.array([dx * math.cos(a), dy * math.cos(a), math.sin(a)])
        us.append(s * sc)
        vs.append(sc * v / np.linalg.norm(v))
    if cap:
        v, s, sc = CAP_NEURON
        v = np.asarray(v, dtype=float)
        us.append(s * sc)
        vs.append(sc * v / np.linalg.norm(v))
    return np.array(us), np.array(vs)


def isotropic_init(m: int, d: int, seed: int):
    """Isotropic balanced init (catalog NP): v_0j = z_j/sqrt(d), z_j ~ N(0, I_d), then s_j Rademacher; u_0j = s_j
    ||v_0j|| (numpy default_rng(seed), draws in that order)."""
    rng = np.random.default_rng(seed)
    V = rng.standard_normal((m, d)) / math.sqrt(d)
    s = rng.choice([-1.0, 1.0], size=m)
    return s * np.linalg.norm(V, axis=1), V


def sphere_init(m: int, d: int, seed: int):
    """Balanced init with directions uniform on S^{d-1} and unit norms (the data file's init "sphere-sign"): v_0j =
    z_j/||z_j||, s_j Rademacher, u_0j = s_j (numpy default_rng(seed), draws in that order)."""
    rng = np.random.default_rng(seed)
    V = rng.standard_normal((m, d))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    return rng.choice([-1.0, 1.0], size=m), V


def extremum_region_angle(reg: float, xi: float) -> float:
    """An angle alpha_0 such that every direction within alpha_0 of a unit v* with min_i |v*^T x_i| = reg (> xi,
    ||x_i|| <= 1) has min_i |v^T x_i| >= (reg + xi)/2: reg cos a - sin a = R cos(a + atan(1/reg)), R = sqrt(1 +
    reg^2). Inside, G is linear and the neuron of (2) aligns by the closed form of catalog §1.3."""
    R = math.sqrt(1 + reg * reg)
    return min(math.radians(30.0), math.acos((reg + xi) / (2 * R)) - math.atan2(1.0, reg))


CLUSTER_DIRS = ((1, 0), (0, 1), (-1, 0), (0, -1))


def tilt(V) -> np.ndarray:
    """|sin alpha_k| of the four neurons: the norm of the part of v^_k orthogonal to its cluster direction (F12: the
    printed signed-angle definition is inconsistent; this is the natural one). ``V`` is (4, d), or (..., 4, d) for
    a whole run (then (..., 4))."""
    V = np.asarray(V, dtype=float)
    C = np.zeros((4, V.shape[-1]))
    C[:, :2] = CLUSTER_DIRS
    vh = V / np.linalg.norm(V, axis=-1, keepdims=True)
    return np.linalg.norm(vh - np.sum(vh * C, axis=-1, keepdims=True) * C, axis=-1)


def signed_angles(V) -> np.ndarray:
    """The authors' signed angles (code-figs-1-5-6-7.ipynb): atan2(v_1y, v_1x), atan2(v_2x, v_2y), atan2(v_3y, -v_3x),
    atan2(v_4x, -v_4y) (first two coordinates)."""
    V = np.asarray(V, dtype=float)
    return np.array([math.atan2(V[0, 1], V[0, 0]), math.atan2(V[1, 0], V[1, 1]), math.atan2(V[2, 1], -V[2, 0]),
                     math.atan2(V[3, 0], -V[3, 1])])


def paper_lr(epoch: int) -> float:
    """§5.4.2's step schedule (l.1060-1095; the authors' my_lr x 2^-7): 4 for epoch < 12, 2^-7 until 2^13,
    2^-7 (1 + 2^5 (epoch/2^13 - 1)) until 2^14, then 2^-7 (1 + 2^(5 + (epoch - 2^14)/2^9)). "t < 12" is the epoch
    count (12 steps of size 4, flow time 48), as in the authors' code."""
    if epoch < 12:
        return 4.0
    if epoch < 8192:
        return 2.0 ** -7
    if epoch < 16384:
        return 2.0 ** -7 * (1 + 2 ** 5 * (epoch / 8192 - 1))
    return 2.0 ** -7 * (1 + 2.0 ** (5 + (epoch - 16384) / 512))


def planar(X, y):
    """(X', y', k): the data projected on span{e_1, e_2} with repeated points merged (first occurrences, in order)
    when that is exact for a network whose features lie in span{e_1, e_2}: the labelled set is R_r-invariant (so the
    features stay in the plane, Lemma D.1; always in d = 2) and every projected point repeats the same number k > 1
    of times with one label (the mean loss is then the mean over the merged points). Else (X, y, 0). The kink-aware
    engine then does not have to resolve the simultaneous switches of x_i and R_r x_i."""
    Z = np.c_[np.round(X, 14), y]
    if X.shape[1] > 2:
        R = Z.copy()
        R[:, 2:-1] *= -1
        if not np.array_equal(np.unique(Z, axis=0), np.unique(R, axis=0)):
            return X, y, 0
    U, idx, inv, cnt = np.unique(Z[:, [0, 1, -1]], axis=0, return_index=True, return_inverse=True, return_counts=True)
    if cnt.min() != cnt.max() or cnt.max() == 1 or len(np.unique(U[:, :2], axis=0)) != len(U):
        return X, y, 0
    keep = np.sort(idx)
    return X[keep, :2], y[keep], int(cnt[0])


# ============================================================================ user data: the model and the settings


def is_user(p: dict) -> bool:
    """True for an instance on a user's data (``earlyalign check --data``): its params carry the arrays X, y."""
    return "X" in p


def _model_test(inst):
    p = inst.params
    if not is_user(p):
        return True, "catalog instance: logistic loss, mean reduction, (smoothed) ReLU"
    bad = []
    y = np.asarray(p["y"], dtype=float)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        bad.append(f"labels {sorted(set(y.tolist()))[:5]} are not in {{-1, +1}} (l.233)")
    if p.get("loss") not in (None, "logistic"):
        bad.append(f"loss = {p['loss']!r}: the paper's loss is the logistic loss ln(1 + e^-z) (l.236-244)")
    if p.get("reduction") not in (None, "mean"):
        bad.append(f"reduction = {p['reduction']!r}: the paper's L is the mean (1/n) sum_i l(f(theta, x_i) y_i) "
                   "(l.236-244)")
    g = p.get("gamma")
    if g is not None and float(g) != 0.0:
        bad.append(f"gamma = {g!r}: the paper's activation is the (smoothed) ReLU, slope 0 for v^T x < 0 (l.256-287)")
    if bad:
        return False, "; ".join(bad)
    return True, "logistic loss, mean reduction, (smoothed) ReLU (the settings given or the paper's defaults)"


#: the paper's model on a user's data: labels +-1, logistic loss, mean reduction, (smoothed) ReLU; a user setting that
#: differs is named, never ignored (on the catalog's instances it holds by construction)
MODEL = Hypothesis("the paper's model (logistic loss, mean reduction, (smoothed) ReLU)", _model_test, "§3, l.231-287")


SETTINGS = USER_SETTINGS_APPLY   # theory.usersettings.SETTINGS

#: the hypotheses a claim open to ``--data`` carries after its own
DATA_HYPOTHESES = [MODEL, SETTINGS]


# ============================================================================ §6: the wide network


def wide_gd(X, y, m, epochs, lr, init, seed):
    """GD of the wide ReLU net f = sum_j a_j relu(w_j^T x) on the mean logistic loss (§6, Fig. 2); init "torch" =
    PyTorch's default nn.Linear init (W ~ U(+-1/sqrt(d)), a ~ U(+-1/sqrt(m))) times 2^-7, or "balanced" (W the same,
    a_j = s_j ||w_j||). Returns ||W||_F per epoch and the final (a, W)."""
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    W = rng.uniform(-1, 1, (m, d)) / math.sqrt(d) * 2.0 ** -7
    if init == "torch":
        a = rng.uniform(-1, 1, m) / math.sqrt(m) * 2.0 ** -7
    else:
        a = rng.choice([-1.0, 1.0], m) * np.linalg.norm(W, axis=1)
    n = len(y)
    scale = [float(np.linalg.norm(W))]
    for _ in range(epochs):
        Z = W @ X.T
        A = np.maximum(Z, 0.0)
        c = -expit(-y * (a @ A)) * y / n
        ga = A @ c
        gW = a[:, None] * (((Z > 0) * c[None, :]) @ X)
        a -= lr * ga
        W -= lr * gW
        scale.append(float(np.linalg.norm(W)))
    return np.array(scale), a, W
