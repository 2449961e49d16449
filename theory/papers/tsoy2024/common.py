"""tsoy2024, what several parts share: the instance data, the paper-wide hypotheses, the inits, the constants of the
proofs (lambda, b_0, b_1, kappa*, a, c_0, c_1), the phase-1 and phase-2 runs, the capture Monte Carlo and the
four-neuron runs of §5.4.

Setting (§3, l.201-333): f(theta, x) = sum_j u_j phi(v_j, x) with the smoothed ReLU phi = phi_{Q,xi}
(numerics.smooth_relu; xi = 0 is the ReLU of the experiments), logistic loss L = (1/n) sum_i ln(1 + e^{-y_i f}),
gradient flow from theta(0) = sigma theta_0 with a balanced theta_0 (|u_0j| = ||v_0j||). Flows are integrated in
the neuron-wise log-polar state (numerics.smooth_flow: DOP853 for xi > 0, the kink-aware numerics.flows engine for
xi = 0), so sigma = r^{1 + kappa*} with r = 1e-800 costs the same as r = 1e-2: below ~1e-150 every output underflows
and the full flow is the linearised one (2) exactly, which is the physics (the coupling is O(r^2)).

An instance's ``params`` name its dataset (``dataset``, see :func:`dataset`), the smoothing ``xi`` and the run
(``init``, ``m``, ``seed``, ...); every run is memoised on the JSON of the params.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np
from scipy.special import expit

from numerics.patterns import cover_bound
from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from numerics.smooth_relu import SmoothReLU
from numerics.sphere import maximize_on_sphere
from theory.claims import Hypothesis

from . import datasets
from .datasets import designed_init, extremum_region_angle, is_user, isotropic_init, paper_lr, planar, sphere_init
from .paper import PAPER

KEY = PAPER.key
LN10 = math.log(10.0)


def run_group(name: str) -> str:
    """The ``share`` of claims measured on one cached run (the runner schedules them together)."""
    return f"{KEY}.{name}"


def pj(p: dict) -> str:
    return json.dumps(p, sort_keys=True)


# =========================================================================== data


#: the params that define an instance's data (memo keys of the data-only runs)
DATA_KEYS = ("dataset", "p", "n", "ds_n", "d", "mu", "delta", "sigma", "ds_seed", "alpha", "X", "y")


def dataset(p: dict):
    """The instance's dataset: a name of :data:`datasets.DATASETS` (``"D3A"``, ``"D2B"``, ``"skew-pi/3"``, ...), an
    orbit ``"orbit"`` with ``p`` = (p1, p2[, p3]), random XOR clusters ``"xor-random"`` (``n`` / ``ds_n``, ``d``, ``mu``,
    ``delta``, ``sigma``, ``ds_seed``), or explicit ``X``, ``y`` (a user dataset)."""
    name = p.get("dataset", "user")
    if "X" in p:
        from numerics.datasets import Dataset
        return Dataset(np.asarray(p["X"], dtype=float), np.asarray(p["y"], dtype=float), str(name),
                       "user data", KEY, loss="logistic", reduction="mean", gamma=0.0)
    if name == "orbit":
        return datasets.xor_orbit(tuple(p["p"]))
    if name == "skewed":
        return datasets.skewed_xor(float(p["alpha"]), n=int(p.get("n", 512)))
    if name == "xor-random":
        return datasets.xor_clusters(n=int(p.get("ds_n", p.get("n", 64))), d=int(p.get("d", 3)),
                                     mu=float(p.get("mu", 0.98)),
                                     delta=float(p.get("delta", 0.02)), sigma=float(p.get("sigma", 0.01)),
                                     seed=int(p.get("ds_seed", 1)))
    return datasets.DATASETS[name]()


@lru_cache(maxsize=64)
def _arrays(key: str):
    ds = dataset(json.loads(key))
    return np.array(ds.X), np.array(ds.y)


def arrays(p: dict):
    """(X, y) of the instance's dataset (memoised)."""
    return _arrays(pj({k: v for k, v in p.items() if k in DATA_KEYS}))


def activation(p: dict) -> SmoothReLU:
    X, _ = arrays(p)
    return SmoothReLU(float(p.get("xi", 0.0)), X.shape[1])


# =========================================================================== hypotheses


def validation(p):
    """theory.papers.tsoy2024.datasets.validate on the instance's dataset, at the instance's xi."""
    return datasets.validate(dataset(p), xi=float(p.get("xi", 0.0)))


def _validator_hypothesis(name, prefix, where):
    def test(inst):
        v = validation(inst.params)
        hits = [c for c in v if c.name.startswith(prefix)]
        if not hits:
            return False, f"validator has no check {prefix!r}"
        bad = [c for c in hits if not c.passed]
        return (not bad), "; ".join(f"{c.name}: {c.reason}" for c in (bad or hits))
    return Hypothesis(name, test, where)


H_UNIT_BALL = _validator_hypothesis("||x_i|| <= 1", "||x_i||", "§3, l.235")
H_ASS51 = _validator_hypothesis("Assumption 5.1 (XOR-like data, items 1-4)", "Assumption 5.1", "§5.1, l.776-800")
H_L52 = _validator_hypothesis("xi + delta < 1/6 (Lemma 5.2)", "Lemma 5.2", "l.809")


def _xor_if_data(inst):
    """Assumption 5.1 and Lemma 5.2's condition on the instance's data, when it has data (a closed form in (delta +
    xi, d) run on a user's data reads delta from it); a data-free instance holds by construction."""
    if not is_user(inst.params):
        return True, "closed form in (delta + xi, d): no data"
    bad = [c for c in validation(inst.params) if c.name.startswith(("Assumption 5.1", "Lemma 5.2")) and not c.passed]
    return not bad, "; ".join(f"{c.name}: {c.reason}" for c in bad) or "Assumption 5.1 and xi + delta < 1/6 hold"


H_XOR_IF_DATA = Hypothesis("Assumption 5.1 and xi + delta < 1/6 (on data)", _xor_if_data, "§5.1-5.2, l.776-812")


def _d_odd(inst):
    X, _ = arrays(inst.params)
    d = X.shape[1]
    return d >= 3 and d % 2 == 1, f"d = {d}"


def _xi_positive(inst):
    xi = float(inst.params.get("xi", 0.0))
    return xi > 0, f"xi = {xi:g}" + ("" if xi > 0 else " (plain ReLU: outside the smoothed setting)")


H_D_ODD = Hypothesis("d >= 2 and d odd (Theorem 4.1)", _d_odd, "l.417-419")
H_XI = Hypothesis("xi > 0 (smoothed ReLU phi_{Q,xi})", _xi_positive, "l.272-287")


def _balanced(inst):
    u, V = init_of(inst.params)
    dev = float(np.max(np.abs(np.abs(u) - np.linalg.norm(V, axis=1))))
    return dev <= 1e-12 * max(1.0, float(np.max(np.abs(u)))), f"max_j ||u_0j| - ||v_0j|| = {dev:.2e}"


H_BALANCED = Hypothesis("balanced init |u_j(0)| = ||v_j(0)||", _balanced, "l.328-333")


def _regular(inst):
    """Theorem 4.4: every global extremum of |G| is (xi + 2 Delta)-regular for some Delta > 0, i.e.
    min_i |v*^T x_i| > xi at every global extremum v* (found numerically)."""
    X, _ = arrays(inst.params)
    xi = float(inst.params.get("xi", 0.0))
    ext = global_extrema(inst.params)
    reg = min(float(np.min(np.abs(X @ e))) for e in ext["argmax"] + ext["argmin"])
    return reg > xi, (f"min over the {len(ext['argmax']) + len(ext['argmin'])} global extrema of min_i |v*^T x_i| = "
                      f"{reg:.6g} vs xi = {xi:g}: Delta = {(reg - xi) / 2:.6g}")


H_REGULAR = Hypothesis("global extrema (xi + 2 Delta)-regular, Delta > 0 (Definition 4.3)", _regular, "l.630-632")

def _phi_setting(inst):
    p = inst.params
    d = int(p["d"]) if "d" in p else arrays(p)[0].shape[1]
    xi = float(p["xi"]) if "xi" in p else None
    ok = d % 2 == 1 and (xi is None or xi > 0)
    return ok, f"d = {d}, " + (f"xi = {xi:g}" if xi is not None else "xi sampled in [1e-3, 0.5]")


#: the activation of Prop. B.2 (its polynomial closed form): xi > 0 and d odd
H_PHI = Hypothesis("phi_{Q,xi} with xi > 0 and d odd (Prop. B.2)", _phi_setting, "App. B.1.1, l.1415-1440")


def declared(name: str, detail: str, where: str) -> Hypothesis:
    """A hypothesis that holds by the construction of the claim's instances (``detail`` says how)."""
    return Hypothesis(name, lambda inst: (True, detail), where)


#: the standing hypotheses of §4 (Theorems 4.1 and 4.4)
SETTING = [H_UNIT_BALL, H_D_ODD, H_XI, H_BALANCED]
#: the XOR setting of §5 (Lemma 5.2)
XOR_SETTING = [H_UNIT_BALL, H_ASS51, H_L52]


# =========================================================================== inits

def init_of(p: dict):
    """(u_0, V_0) (sigma-free) of an instance: ``init`` = "designed" (``alpha0``, ``cap``), "isotropic" (``m``,
    ``seed``), "sphere" (``m``, ``seed``), "aligned" (``m``, ``seed``: :func:`aligned_init` on the instance's data)
    or "explicit" (``u0``, ``V0``)."""
    kind = p.get("init", "designed")
    if kind == "designed":
        return designed_init(float(p.get("alpha0", 30.0)), bool(p.get("cap", True)))
    if kind in ("isotropic", "sphere"):
        X, _ = arrays(p)
        return (isotropic_init if kind == "isotropic" else sphere_init)(int(p["m"]), X.shape[1], int(p.get("seed", 0)))
    if kind == "aligned":
        a = aligned_init(p)
        return np.array(a["u0"]), np.array(a["V0"])
    return np.asarray(p["u0"], dtype=float), np.asarray(p["V0"], dtype=float)


# =========================================================================== G, its extrema, the constants


@lru_cache(maxsize=64)
def _extrema(key: str):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    f = lambda V: act.G(V, X, y)
    mx = maximize_on_sphere(f, X.shape[1], n_start=16)
    mn = maximize_on_sphere(lambda V: -f(V), X.shape[1], n_start=16)
    top, bot = mx[0].value, -mn[0].value
    lam = max(top, -bot)
    tol = 1e-9 * max(lam, 1e-300)
    amax = [s.point for s in mx if s.value >= top - tol]
    amin = [s.point for s in mn if -s.value <= bot + tol]
    return {"max": top, "min": bot, "lam": lam, "argmax": amax, "argmin": amin,
            "err": max([s.error for s in mx[:1] + mn[:1]]), "local_max": [(s.point, s.value) for s in mx],
            "local_min": [(s.point, -s.value) for s in mn]}


def global_extrema(p: dict) -> dict:
    """max and min of G on S^{d-1}, lambda = max |G|, the argmax / argmin sets (numerics.sphere: grid + pattern
    search), the value error estimate, and all local extrema found."""
    keys = (*DATA_KEYS, "xi")
    return _extrema(pj({k: v for k, v in p.items() if k in keys}))


def hess_sup(act: SmoothReLU, X) -> float:
    """sup_{i, v^} ||hess_v phi(v^, x_i)|| (operator norm on the sphere): max over i and c in [-1, 1] (|c| <=
    ||x_i||/xi) of xi M1(c) + K_d (1 - c^2)^{(d-1)/2} (||x_i||^2 - xi^2 c^2)/xi (the Hessian's largest eigenvalue,
    along P_v x)."""
    c = np.linspace(-1, 1, 4001)
    best = 0.0
    for nx in np.unique(np.round(np.linalg.norm(X, axis=1), 15)):
        cc = c[np.abs(c) * act.xi <= nx + 1e-15]
        w = act.K * np.clip(1 - cc * cc, 0, None) ** ((act.d - 1) / 2)
        val = act.xi * act.m1(cc) + w * (nx * nx - act.xi ** 2 * cc * cc) / act.xi
        best = max(best, float(np.max(val)))
    return best


def b1_sampled(p: dict, n_pairs: int = 20000, seed: int = 0) -> float:
    """A lower estimate of b_1 = sup ||P_v g(v) - P_v' g(v')|| / ||v - v'|| (l.2537): the largest difference
    quotient over pairs at distance 1e-4 xi, half of them inside the band |x_i^T v| <= xi of a data hyperplane (where
    the curvature of phi lives) and displaced across it (along the tangent part of x_i), half uniformly random."""
    X, y = arrays(p)
    act = activation(p)
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    A = rng.standard_normal((n_pairs, d))
    A /= np.linalg.norm(A, axis=1, keepdims=True)
    # pull half of the points onto a band |x_i^T v| <= xi of a random data point
    idx = rng.integers(0, len(X), n_pairs // 2)
    xs = X[idx] / np.linalg.norm(X[idx], axis=1, keepdims=True)
    h = A[: n_pairs // 2]
    off = rng.uniform(-1, 1, n_pairs // 2) * max(act.xi, 1e-9) / np.linalg.norm(X[idx], axis=1)
    h = h - (np.sum(h * xs, axis=1) - off)[:, None] * xs
    A[: n_pairs // 2] = h / np.linalg.norm(h, axis=1, keepdims=True)
    E = rng.standard_normal((n_pairs, d))
    E[: n_pairs // 2] = xs            # across the band: along the data direction (projected below)
    E -= np.sum(E * A, axis=1)[:, None] * A
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    eps = 1e-4 * max(act.xi, 1e-3)
    B = A + eps * E
    B /= np.linalg.norm(B, axis=1, keepdims=True)

    def tangent(V):
        g = act.g(V, X, y)
        return g - np.sum(g * V, axis=1)[:, None] * V

    q = np.linalg.norm(tangent(A) - tangent(B), axis=1) / np.linalg.norm(A - B, axis=1)
    return float(np.max(q))


@lru_cache(maxsize=64)
def _constants(key: str):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    ext = global_extrema(p)
    lam = ext["lam"]
    hs = hess_sup(act, X) if act.xi > 0 else math.inf
    b0 = 0.5 * (1 + act.xi)                    # Remark B.4
    b1_up = 2 * b0 + 0.5 * hs                 # Remark B.7
    b1 = max(b1_up, 4 * lam)                  # b_1 >= 4 lambda (l.2689): any upper bound is a valid b_1
    kappa = 2 * lam / (b1 - lam)
    return {"lam": lam, "b0": b0, "hess_sup": hs, "b1_up": b1_up, "b1": b1, "kappa_star": kappa,
            "b1_sampled": b1_sampled(p) if act.xi > 0 else math.inf}


def constants(p: dict) -> dict:
    """The proofs' constants on the instance's data: lambda (max |G|), b_0 <= (1 + xi)/2 (Remark B.4), b_1 from
    Remark B.7's bound 2 b_0 + (-ell'(0)) sup ||hess phi|| (a valid Lipschitz constant, hence a valid b_1 of the
    proof; raised to 4 lambda if needed, l.2689), kappa* = 2 lambda/(b_1 - lambda) (l.2781) and a sampled lower
    estimate of the true b_1 (catalog F4)."""
    keys = (*DATA_KEYS, "xi")
    return _constants(pj({k: v for k, v in p.items() if k in keys}))


def a_const(m: int, xi: float) -> float:
    """a = m (1 + xi)^2 / 4 (Prop. B.5, Theorem 4.4)."""
    return m * (1 + xi) ** 2 / 4


# =========================================================================== phase 1 (Theorem 4.1)

T_LIMIT = 400.0


@lru_cache(maxsize=32)
def _linear_limit(key: str):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    u0, V0 = init_of(p)
    lam = constants(p)["lam"]
    r0, Q0 = polar_from_cartesian(u0, V0)
    res = smooth_flow(X, y, act, r0, Q0, np.array([0.0, T_LIMIT]), linearized=True, rtol=1e-12)
    vstar = res.direction(-1)
    s = np.sign(u0)
    lam_j = s * act.G(vstar, X, y)
    # u*_j = lim u^l_j e^{-lambda t} (sigma-free)
    ustar = s * np.exp(res.log_abs_u(-1) - lam * T_LIMIT)
    P = np.abs(lam_j - lam) < 1e-8 * max(lam, 1e-300)
    ustar = np.where(P, ustar, 0.0)
    return {"ustar": ustar.tolist(), "vstar": vstar.tolist(), "lam_j": lam_j.tolist(), "P": P.tolist(),
            "s": s.tolist(), "u0": u0.tolist(), "V0": V0.tolist()}


def linear_limit(p: dict) -> dict:
    """The limits of the linearised system (2) from the sigma-free init (integrated to t = 400): u*_j (sigma-free,
    the theorem's u*_j; App. B's carries a factor sigma), v^*_j, lambda_j = s_j G(v^*_j), the prominent set P
    (lambda_j = lambda to 1e-8)."""
    return _linear_limit(pj(p))


def kappa_of(p: dict) -> float:
    """The instance's kappa: the proof's kappa* (``kappa = "star"``, default) or a number."""
    k = p.get("kappa", "star")
    return constants(p)["kappa_star"] if k == "star" else float(k)


@lru_cache(maxsize=128)
def _phase1(key: str, r10: float, rtol: float):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    lam = constants(p)["lam"]
    kap = kappa_of(p)
    u0, V0 = init_of(p)
    ln_r = r10 * LN10
    ln_sigma = (1 + kap) * ln_r
    T1 = -kap * ln_r / lam
    r0, Q0 = polar_from_cartesian(u0, V0)
    res = smooth_flow(X, y, act, r0 + ln_sigma, Q0, np.array([0.0, T1]), rtol=rtol)
    return {"log_abs_u_over_r": (res.log_abs_u(-1) - ln_r).tolist(), "sign": res.sign(-1).tolist(),
            "dir": res.direction(-1).tolist(), "log_norm_v_over_r": (res.log_norm_v(-1) - ln_r).tolist(),
            "T1": T1, "kappa": kap, "ln_sigma": ln_sigma}


def phase1(p: dict, r10: float, rtol: float = 1e-12) -> dict:
    """The full flow (1) from sigma theta_0, sigma = r^{1 + kappa}, to T_1 = (1/lambda) ln(r/sigma), r = 10^r10:
    |u_j(T_1)|/r (log), signs, directions, ||v_j(T_1)||/r (log)."""
    return _phase1(pj(p), float(r10), float(rtol))


def phase1_errors(p: dict, r10: float) -> dict:
    """E_v = max_{j in P} ||v^_j(T_1) - v^*_j||, E_u/r = max_{j in P} |u_j(T_1)/r - u*_j|, E_R/r = max_{j in R}
    |u_j(T_1)|/r, the mutant's |u_j(T_1)/r - u_0j| (catalog E03 mutation (ii)), each at rtol 1e-12 with the change
    from rtol 1e-9 as its error."""
    L = linear_limit(p)
    P = np.array(L["P"])
    ust = np.array(L["ustar"])
    vst = np.array(L["vstar"])
    u0 = np.array(L["u0"])
    out = {}
    for rtol in (1e-9, 1e-12):
        q = phase1(p, r10, rtol)
        uor = np.array(q["sign"]) * np.exp(np.array(q["log_abs_u_over_r"]))
        D = np.array(q["dir"])
        ev = np.linalg.norm(D - vst, axis=1)
        out[rtol] = {"Ev": float(np.max(ev[P])), "jv": int(np.flatnonzero(P)[np.argmax(ev[P])]),
                     "Eu": float(np.max(np.abs(uor - ust)[P])), "ju": int(np.flatnonzero(P)[np.argmax(
                         np.abs(uor - ust)[P])]),
                     "Eu0": float(np.min(np.abs(uor - u0)[P])),
                     "ER": float(np.max(np.abs(uor)[~P])) if (~P).any() else 0.0,
                     "jR": int(np.flatnonzero(~P)[np.argmax(np.abs(uor)[~P])]) if (~P).any() else -1,
                     "balance": float(np.max(np.abs(np.array(q["log_abs_u_over_r"]) -
                                                    np.array(q["log_norm_v_over_r"])))),
                     "T1": q["T1"], "kappa": q["kappa"]}
    hi, lo = out[1e-12], out[1e-9]
    err = {k: abs(hi[k] - lo[k]) + 1e-15 * abs(hi[k]) for k in ("Ev", "Eu", "Eu0", "ER")}
    return {**hi, "err": err}


def proof_constants(p: dict) -> dict:
    """Constants of the explicit phase-1 bounds of App. B (per unit theta_0 scale): c_0 = max_{j in P} 2 ||v^_j(0) -
    v^*_j|| (t_{0,j} = 0: the designed neurons start in the region where B.1.2 (c) holds), a = m (1 + xi)^2/4,
    ||theta_0||_[m], c_1 = a sqrt 2/lambda + 2 a b_0/(b_1 - 2 lambda)^2 (l.2689), and the coefficient of r^kappa* in
    the direction bound, K_v = c_0 + 2 a ||theta_0||^2_[m]/(b_1 - 2 lambda) (B.1.2 + B.2.2)."""
    C = constants(p)
    L = linear_limit(p)
    u0, V0 = np.array(L["u0"]), np.array(L["V0"])
    P = np.array(L["P"])
    V0h = V0 / np.linalg.norm(V0, axis=1, keepdims=True)
    c0 = float(np.max(2 * np.linalg.norm(V0h - np.array(L["vstar"]), axis=1)[P]))
    X, _ = arrays(p)
    a = a_const(len(u0), float(p.get("xi", 0.0)))
    n0 = float(max(np.max(np.abs(u0)), np.max(np.linalg.norm(V0, axis=1))))
    lam, b0, b1 = C["lam"], C["b0"], C["b1"]
    c1 = a * math.sqrt(2) / lam + 2 * a * b0 / (b1 - 2 * lam) ** 2
    return {"c0": c0, "a": a, "theta0_m": n0, "c1": c1, "K_v": c0 + 2 * a * n0 ** 2 / (b1 - 2 * lam), **C}


@lru_cache(maxsize=16)
def _linear_path(key: str, t_end: float, n: int, rtol: float):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    u0, V0 = init_of(p)
    r0, Q0 = polar_from_cartesian(u0, V0)
    ts = np.linspace(0.0, t_end, n)
    res = smooth_flow(X, y, act, r0, Q0, ts, linearized=True, rtol=rtol)
    return {"t": ts.tolist(), "log_abs_u": [res.log_abs_u(k).tolist() for k in range(n)],
            "dir": [res.direction(k).tolist() for k in range(n)],
            "G": [(np.sign(u0) * act.G(res.direction(k), X, y)).tolist() for k in range(n)]}


def linear_path(p: dict, t_end: float = 200.0, n: int = 201, rtol: float = 1e-12) -> dict:
    """Samples of the linearised system (2) from the sigma-free init: times, ln |u^l_j|, v^l_j/||v^l_j||, s_j G."""
    return _linear_path(pj(p), float(t_end), int(n), float(rtol))


# =========================================================================== capture Monte Carlo (Lemma 5.3, §B.1)

CAPTURE_DEG = 2.0


@lru_cache(maxsize=8)
def _capture(key: str, n: int, seed: int, t_max: float, dt: float):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    d = X.shape[1]
    rng = np.random.default_rng(seed)
    V = rng.standard_normal((n, d))
    V /= np.linalg.norm(V, axis=1, keepdims=True)
    s = rng.choice([-1.0, 1.0], size=n)
    targets = np.vstack([np.eye(d)[:2], -np.eye(d)[:2]])[[0, 2, 1, 3]]      # +e1, -e1, +e2, -e2
    tsign = np.array([1.0, 1.0, -1.0, -1.0])
    cos_cap = math.cos(math.radians(CAPTURE_DEG))
    out = np.full(n, -1)
    active = np.arange(n)
    t = 0.0

    def field(W, ss):
        g = act.g(W, X, y)
        g = g - np.sum(g * W, axis=1)[:, None] * W
        return ss[:, None] * g

    while t < t_max and active.size:
        W, ss = V[active], s[active]
        k1 = field(W, ss)
        k2 = field(W + dt / 2 * k1, ss)
        k3 = field(W + dt / 2 * k2, ss)
        k4 = field(W + dt * k3, ss)
        W = W + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        W /= np.linalg.norm(W, axis=1, keepdims=True)
        V[active] = W
        t += dt
        C = W @ targets.T
        for k in range(4):
            hit = (C[:, k] >= cos_cap) & (ss == tsign[k])
            out[active[hit]] = k
        # a flat region of G (the caps around +-e_3 of D3A, where g = 0): the tangent field vanishes, the neuron stays
        still = np.linalg.norm(k1, axis=1) < 1e-13
        out[active[still & (out[active] < 0)]] = -2
        active = active[out[active] == -1]
    return {"outcome": out.tolist(), "unresolved_t": t, "n": n}


def capture_outcomes(p: dict, n: int = 40000, seed: int = 0, t_max: float = 400.0, dt: float = 0.25) -> np.ndarray:
    """Outcome of n isotropic neurons (directions uniform on S^{d-1}, signs Rademacher; numpy default_rng(seed))
    under the direction flow of (2), v^' = s P_v g(v) (RK4, step dt, renormalised): 0, 1, 2, 3 once a neuron of the
    right sign is within 2 degrees of +e_1, -e_1, +e_2, -e_2 (inside the activation region of the extremum, where g
    is constant and the neuron is captured), -2 once its tangent field vanishes (< 1e-13: a flat region of G, the
    caps of D3A), -1 if still unresolved at t_max. Memoised."""
    keys = (*DATA_KEYS, "xi")
    return np.array(_capture(pj({k: v for k, v in p.items() if k in keys}), int(n), int(seed), float(t_max),
                             float(dt))["outcome"])


def xor_delta(p: dict) -> float:
    """delta of Assumption 5.1 item 1: the largest distance of a data point to its nearest centre +-e_1, +-e_2."""
    X, _ = arrays(p)
    C = np.zeros((4, X.shape[1]))
    C[0, 0], C[1, 0], C[2, 1], C[3, 1] = 1, -1, 1, -1
    return float(np.max(np.min(np.linalg.norm(X[:, None, :] - C[None], axis=2), axis=1)))


# =========================================================================== the four-neuron network of §5.4


def four_neuron_init(p: dict):
    """(u(0), V(0)) of the 4-neuron net of §5.4.2 in the proofs' convention (catalog F5): neuron k on +e_1, +e_2,
    -e_1, -e_2 with |v_k(0)| = |u_k(0)| and u_k(0) = ``scales[k]`` (signs + - + -: e.g. Fig. 1's (1e-4, -1e-5,
    1e-7, -1e-6)); ``indexing = "printed"``: §5.4.2's printed v^e_k(0) = u^e_k(0) e_{a(k)+1}, a(k) = k mod 2 (F5)."""
    X, _ = arrays(p)
    d = X.shape[1]
    u = np.asarray(p["scales"], dtype=float)
    D = np.zeros((4, d))
    if p.get("indexing") == "printed":
        D[0, 1], D[1, 0], D[2, 1], D[3, 0] = 1, 1, 1, 1
        return u, u[:, None] * D
    D[0, 0], D[1, 1], D[2, 0], D[3, 1] = 1, 1, -1, -1
    return u, np.abs(u)[:, None] * D


@lru_cache(maxsize=16)
def _four_flow(key: str, t_end: float, n: int, rtol: float):
    p = json.loads(key)
    X, y = arrays(p)
    act = activation(p)
    u, V = four_neuron_init(p)
    ts = np.linspace(0.0, t_end, n)
    Xr, yr, k = planar(X, y) if act.xi == 0 else (X, y, 0)
    if k:   # ReLU: the flow of the merged planar data, embedded back (exact: the features stay in the plane)
        res = smooth_flow(Xr, yr, SmoothReLU(0.0, 2), *polar_from_cartesian(u, V[:, :2]), ts, rtol=rtol)
        pad = lambda W: np.hstack([W, np.zeros((4, X.shape[1] - 2))])
    else:
        res = smooth_flow(X, y, act, *polar_from_cartesian(u, V), ts, rtol=rtol)
        pad = lambda W: W
    return {"t": ts.tolist(), "u": [res.u(j).tolist() for j in range(n)],
            "V": [pad(res.V(j)).tolist() for j in range(n)], "info": {**res.info, "planar merge": k}}


def four_flow(p: dict, t_end: float, n: int, rtol: float) -> dict:
    """The gradient flow of the 4-neuron net from :func:`four_neuron_init`, sampled at n times of [0, t_end]."""
    return _four_flow(pj(p), float(t_end), int(n), float(rtol))


@lru_cache(maxsize=8)
def _four_gd(key: str, epochs: int):
    p = json.loads(key)
    X, y = arrays(p)
    u, V = four_neuron_init(p)
    u, V = u.copy(), V.copy()
    n = len(y)
    T = [0.0]
    U, W = [u.copy()], [V.copy()]
    t = 0.0
    for e in range(epochs):
        Z = V @ X.T
        A = np.maximum(Z, 0.0)
        q = y * (u @ A)
        c = -expit(-q) * y / n                                  # d L / d f_i
        gu = A @ c
        gV = u[:, None] * (((Z > 0) * c[None, :]) @ X)
        lr = paper_lr(e)
        u -= lr * gu
        V -= lr * gV
        t += lr
        T.append(t)
        U.append(u.copy())
        W.append(V.copy())
    return {"t": T, "u": np.array(U).tolist(), "V": np.array(W).tolist()}


def four_gd(p: dict, epochs: int) -> dict:
    """Full-batch gradient descent of the 4-neuron ReLU net on the mean logistic loss with §5.4.2's schedule
    (:func:`paper_lr`), every epoch recorded; flow time t = sum of the steps (the loss is the mean, as BCE)."""
    return _four_gd(pj(p), int(epochs))


# =========================================================================== user data (earlyalign --data)


def _single_orbit(inst):
    X, _ = arrays(inst.params)
    orb = np.unique(np.round(datasets.xor_orbit_of(X[:1]), 12), axis=0)
    pts = np.unique(np.round(X, 12), axis=0)
    same = orb.shape == pts.shape and np.allclose(orb, pts, atol=1e-10)
    return same, (f"the orbit of x_1 under R_1, R_2, R_r, P has {len(orb)} distinct points; the data {len(pts)}"
                  + ("" if same else " (several orbits: theta^mm need not be globally max-margin)"))


#: prop5.8.global: the data are one orbit of the symmetry group of Assumption 5.1 (catalog E26: then chi(theta^mm) is
#: globally max-margin)
H_ORBIT = Hypothesis("the data are a single orbit of x_1 (catalog E26)", _single_orbit, "App. D.4, l.4874-4900")


#: the largest number of activation patterns the exact convex reformulation enumerates on a user's data (Cover's
#: bound; D3A has 242 and solves in 0.2 s); beyond it the claim is NOT_APPLICABLE, never a hang
PATTERN_LIMIT = 1024


def _patterns_test(inst):
    X, _ = arrays(inst.params)
    b = cover_bound(X.shape[0], X.shape[1])
    return b <= PATTERN_LIMIT, (f"Cover's bound on the activation patterns of n = {X.shape[0]} points in d = "
                                f"{X.shape[1]}: {b} (limit {PATTERN_LIMIT} for the exact convex reformulation)")


PATTERNS_ENUMERABLE = Hypothesis("activation patterns few enough to enumerate exactly", _patterns_test,
                                 "numerics.convex.max_margin_network")


@lru_cache(maxsize=16)
def _aligned(key: str):
    p = json.loads(key)
    X, _ = arrays(p)
    xi = float(p.get("xi", 0.0))
    ext = global_extrema(p)
    lam = ext["lam"]
    targets = [(np.asarray(v), 1.0) for v in ext["argmax"] if ext["max"] >= lam * (1 - 1e-9)] + \
              [(np.asarray(v), -1.0) for v in ext["argmin"] if -ext["min"] >= lam * (1 - 1e-9)]
    reg = lambda v: float(np.min(np.abs(X @ v)))
    # an R-neuron: the best strict local extremum of s G that is not global (value in (0, lambda)), if regular
    rc = [(np.asarray(v), 1.0, g) for v, g in ext["local_max"] if 1e-9 * lam < g < lam * (1 - 1e-6)] + \
         [(np.asarray(v), -1.0, -g) for v, g in ext["local_min"] if 1e-9 * lam < -g < lam * (1 - 1e-6)]
    rc = [(v, s) for v, s, _ in sorted(rc, key=lambda c: -c[2]) if reg(v) > xi][:1]
    m = int(p.get("m", len(targets)))
    plan = [targets[j % len(targets)] for j in range(m if targets else 0)] + rc
    rng = np.random.default_rng(int(p.get("seed", 0)))
    u0, V0 = [], []
    for v, s in plan:
        a0 = extremum_region_angle(reg(v), xi) if reg(v) > xi else 0.0
        w = rng.standard_normal(len(v))
        w -= (w @ v) * v
        w /= np.linalg.norm(w)
        sc = float(rng.uniform(0.5, 1.0))
        u0.append(s * sc)
        V0.append(sc * (math.cos(a0) * v + math.sin(a0) * w))
    return {"u0": u0, "V0": np.array(V0).tolist(), "n_R": len(rc), "targets": len(targets),
            "min_reg": min((reg(v) for v, _ in targets), default=0.0)}


def aligned_init(p: dict) -> dict:
    """The catalog's designed init (E03) carried to any data: ``m`` neurons (default: one per global extremum of |G|)
    cycling over the global extrema v* of |G| (found numerically), neuron j with the sign s = sign G(v*), scale
    U(0.5, 1) and direction tilted from v* by alpha_0 towards a random orthogonal direction (default_rng(seed)),
    alpha_0 inside the activation region of v* (:func:`_extremum_region_angle`; t_{0,j} = 0 in the proofs'
    constants), plus one R-neuron started in the region of the best non-global strict local extremum of s G, when
    there is a regular one. Returns u0, V0 (sigma-free), the number of R-neurons and min_i |v*^T x_i| over the
    targets."""
    keys = (*DATA_KEYS, "xi", "m", "seed")
    return _aligned(pj({k: v for k, v in p.items() if k in keys}))


def _aligned_ok(inst):
    if inst.params.get("init") != "aligned":
        return True, "catalog instance (its own init)"
    a = aligned_init(inst.params)
    xi = float(inst.params.get("xi", 0.0))
    ok = a["min_reg"] > xi
    why = ("each neuron starts inside the activation region of its extremum" if ok else
           "no activation region around an extremum (a kink): the init cannot start inside it")
    return ok, f"min over the global extrema v* of min_i |v*^T x_i| = {a['min_reg']:.6g} vs xi = {xi:g}: {why}"


#: user data: the aligned init needs regular global extrema (the proofs' constants are evaluated with t_{0,j} = 0)
H_ALIGNED = Hypothesis("aligned init inside the activation regions of the global extrema (t_0 = 0)", _aligned_ok,
                       "catalog E03 designed init; App. B.1.2 (c)")


def _has_r(inst):
    if not is_user(inst.params) or inst.params.get("init") != "aligned":
        return True, "catalog instance (the flat-cap neuron)"
    n = aligned_init(inst.params)["n_R"]
    return n > 0, ("one R-neuron at a non-global local extremum of s G" if n else
                   "no regular non-global local extremum of s G on this data: no R-neuron to check")


H_HAS_R = Hypothesis("the init has an R-neuron (lambda_j < lambda)", _has_r, "Theorem 4.1, l.430-433")


def user_static(ds, what: str = "the data as given", extra: dict | None = None, xi: float | None = None):
    """[Instance] of a claim that reads only the data (no init, no flow) on a user's data, at the smoothing
    ``xi`` (default datasets.DATA_XI): every setting given in the data file is refused by name (SETTINGS)."""
    xi = datasets.DATA_XI if xi is None else float(xi)
    return [datasets.UserSettings(ds).instance(f"{what}, xi = {xi:g}", {"xi": xi, **(extra or {})})]


def user_isotropic(ds, what: str, m: int, sigma: float | None = None, T: float | None = None, xi: float | None = None,
                   extra: dict | None = None, runs: int = 2):
    """[Instance] on a user's data from the paper's isotropic balanced init: width ``m``, seed (default 0), the init
    scheme, the init scale sigma (when the claim has one) and the horizon T (when it has one), the user's or the
    claim's defaults."""
    u = datasets.UserSettings(ds)
    xi = datasets.DATA_XI if xi is None else float(xi)
    p = {"xi": xi, "init": u.init(), "m": int(u.get("m", m)), "seed": int(u.get("seed", 0))}
    if sigma is not None:
        p["sigma"] = u.sigma(sigma)
    if T is not None:
        p["T"] = float(u.get("T", T))
    p.update(extra or {})
    lab = ", ".join(f"{k} = {p[k]:g}" if isinstance(p[k], float) else f"{k} = {p[k]}"
                    for k in ("m", "seed", "sigma", "T") if k in p)
    return [u.instance(f"{what}, xi = {xi:g}, {p['init']} init, {lab}", p,
                       cost=datasets.flow_cost(len(ds.y), p["m"], p.get("T", 200.0), runs))]


def user_aligned(ds, what: str, extra: dict | None = None, grid=None, settings=None, **kw):
    """[Instance] on a user's data from :func:`aligned_init` (xi = datasets.DATA_XI): width m (default one neuron per
    global extremum of |G|) and seed; ``grid`` (log10 r values) from params.lam10_grid when given (log10 sigma);
    ``settings``: the claim's datasets.UserSettings when it has read some already."""
    u = settings or datasets.UserSettings(ds)
    p = {"xi": datasets.DATA_XI, "init": "aligned", "seed": int(u.get("seed", 0))}
    if "m" in u.given:
        p["m"] = int(u.get("m", 0))
    p.update(extra or {})
    if grid is not None:   # the r -> 0 sweep: params.lam10_grid are log10 sigma, sigma = r^(1 + kappa*)
        g = list(grid)
        if "lam10_grid" in u.given:
            s10 = [float(v) for v in u.get("lam10_grid", [])]
            if len(s10) < 2 or max(s10) >= 0:
                u.refused["lam10_grid"] = (f"params.lam10_grid = {s10}: the r -> 0 sweep needs >= 2 values of "
                                           "log10 sigma < 0")
            else:
                k = constants(p | {"X": np.asarray(ds.X).tolist(), "y": np.asarray(ds.y).tolist()})["kappa_star"]
                g = [v / (1 + k) for v in s10]
        kw.update(grid=[{"r10": v} for v in sorted(g, reverse=True)], grid_param="r10", grid_symbol="r",
                  grid_log10=True, asymptotic="small")
    lab = f"aligned init (seed {p['seed']}" + (f", m = {p['m']})" if "m" in p else ")")
    return [u.instance(f"{what}, xi = {p['xi']:g}, {lab}", p, description="one neuron per global extremum of |G| "
                       "(cycled to m), tilted inside its activation region, + an R-neuron when the data have a regular "
                       "non-global local extremum (common.aligned_init)", **kw)]
