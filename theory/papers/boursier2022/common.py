"""boursier2022, shared by several parts: the instances' settings, the paper-wide hypotheses, the precision
helpers of the two-tolerance flows and the long-time flow runs (with the limit objects derived from them).

Setting (§2.1, Eq. (1)-(4)): h(x) = sum_j a_j sigma(<w_j, x>), sigma = ReLU with sigma'(0) = 0,
L = (1/2n) sum_k (h(x_k) - y_k)^2, gradient flow (2)/(3), balanced init w_j^0 = lambda g_j,
a_j^0 = s_j ||w_j^0|| (Eq. (4)); draws g = rng.standard_normal((m, d)) then s = rng.choice([-1, 1], m) with
rng = default_rng(seed) (catalog §1.3).

Derived limit objects (catalog §1.6, not in the paper, computed here rather than typed in; :func:`limit_objects`):

* kappa_j (DC-1): the amplitude of the lambda-free flow (28), ||w~_j(t)|| ~ kappa_j e^{||v|| t}, read off
  the flow integrated at lambda = e^{-5000} (where h = 0 to all float64 digits for t <= T_kappa) as
  kappa_j = exp(rho_j(T) - ln lambda - ||v|| T), with v = D_+ on S_{+,1} and -D_- on S_{-,1}; the
  neglected cosh tail is e^{-2 ||v|| (T - tau_j)} < e^{-100}.
* theta* (DC-2 = the paper's Lemma 12 theta*, App. B.6 l.4018-4040): w*_j = sqrt(||y_+|| kappa_j^2/K_+) D^_+
  on S_{+,1}, w*_j = -sqrt(||y_-|| kappa_j^2/K_-) D^_- on S_{-,1}, a*_j = s_j ||w*_j||, all other neurons 0.
* theta_S (DC-7, Fact 1's saddle): theta* with its S_{-,1} part set to 0.

The long runs (:func:`long_run`) integrate the balanced flow from Eq. (4) at lambda = 10^lam10 to the horizon
(ln(1/lambda) + 25)/||D_-|| at two tolerances (``RTOL_TIGHT``, ``RTOL_LOOSE``), memoised on the JSON of the
part of the parameters the flow depends on (:func:`flow_core`), so the parts of the paper share them.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np

from numerics.backend import get_backend
from numerics.convex import min_norm_interpolator
from numerics.datasets import Dataset
from numerics.flows import balanced_gaussian_state, solve_flow
from numerics.geometry import D_plus_minus
from numerics.network import Model, gradient, init_balanced_gaussian, total_loss
from theory.claims import Hypothesis, Instance

from .datasets import ds_a, key_sets, orthonormal_inputs, validate

LN10 = math.log(10.0)

# =========================================================================== instances


def ds_a_params(eps=0.05):
    """DS-A (catalog §1.3): n = d = 4, x_k = e_k, y = (1, 0.6, -0.5, -0.3), m = 40, seed 0."""
    ds = ds_a()
    return {"dataset": "DS-A", "X": ds.X.tolist(), "y": ds.y.tolist(), "m": 40, "seed": 0, "eps": eps,
            "gamma": 0.0, "loss": "square"}


def generic_rotated_params(eps=0.05):
    """Generic instance of the first phase: random orthonormal inputs x_k = Q e_k in R^7 (n = 5), random labels
    of both signs (:func:`.datasets.orthonormal_inputs`, seed 3), width m = 60, init seed 3."""
    ds = orthonormal_inputs(5, 7, seed=3, rotate=True)
    return {"dataset": "orthonormal(n=5, d=7, seed=3, rotated)", "X": ds.X.tolist(), "y": ds.y.tolist(),
            "m": 60, "seed": 3, "eps": eps, "gamma": 0.0, "loss": "square"}


def generic_params(eps=0.05):
    """Generic instance for the long-time claims: orthonormal inputs x_k = e_k in R^6 (n = 5, so the init has an
    orthogonal-complement component), random labels of both signs (:func:`.datasets.orthonormal_inputs`, seed 3),
    m = 40, init seed 3. Unrotated: the flow is rotation-equivariant, and the engine's Filippov projections on
    rotated inputs make the long runs ~10x slower and tolerance-sensitive (see the issue-4 note)."""
    ds = orthonormal_inputs(5, 6, seed=3, rotate=False)
    return {"dataset": "orthonormal(n=5, d=6, seed=3)", "X": ds.X.tolist(), "y": ds.y.tolist(), "m": 40,
            "seed": 3, "eps": eps, "gamma": 0.0, "loss": "square"}


GENERIC_NAME = "generic orthonormal (n=5, d=6), eps = 0.05"

#: lambda grids (log10) of the long-time claims
LONG_FAST_GRID = [-4, -8, -16, -32]
LONG_FULL_GRID = [-4, -8, -16, -32, -48, -64, -96, -128]


def lam_grid_kw(grid, desc):
    """Instance keywords of a grid over lambda = 10^lam10, judged at the smallest lambda (asymptotic)."""
    return dict(grid=[{"lam10": v} for v in grid], grid_param="lam10", grid_symbol="λ", grid_log10=True,
                asymptotic="small", description=desc)


def long_instances(tier):
    """DS-A (eps = 0.05) and the generic orthonormal instance, lambda grid 1e-4 .. 1e-32 (full: .. 1e-128)."""
    g = LONG_FAST_GRID if tier == "fast" else LONG_FULL_GRID
    desc = "balanced init (4), flow to T = (ln(1/lambda) + 25)/||D_-|| (past t_3), rtol 1e-12 vs 1e-10"
    return [Instance("DS-A, eps = 0.05", ds_a_params(0.05), **lam_grid_kw(g, desc)),
            Instance(GENERIC_NAME, generic_params(0.05), **lam_grid_kw(g, desc))]


def init_draws(inst: Instance):
    """(g, s) of Eq. (4) with the catalog's draw order."""
    X, _ = inst.arrays()
    _, _, info = init_balanced_gaussian(int(inst.params["m"]), X.shape[1], 1.0, seed=int(inst.params["seed"]))
    return info["g"], info["s"]


def key_set_lists(X, y, g, s):
    """S_{+,1}, S_{-,1} of Eqs. (5)-(6) (:func:`.datasets.key_sets`), as lists of ints."""
    plus, minus = key_sets(np.asarray(X, float), np.asarray(y, float), g, s)
    return [int(j) for j in plus], [int(j) for j in minus]


# =========================================================================== hypotheses


def _validation(inst: Instance):
    X, y = inst.arrays()
    g, s = init_draws(inst)
    ds = Dataset(X, y, name=inst.params.get("dataset", inst.name), source="earlyalign instance")
    return validate(ds, g=g, s=s)


def _assumption(prefix):
    def test(inst):
        chk = _validation(inst)[prefix]
        return chk.passed, chk.reason
    return test


def _square_relu(inst):
    loss, gamma = inst.params.get("loss", "square"), float(inst.params.get("gamma", 0.0))
    red = inst.params.get("reduction", "mean")
    return (loss == "square" and gamma == 0.0 and red == "mean",
            f"loss = {loss}, reduction = {red}, gamma = {gamma:g} (the paper: square loss with reduction mean, "
            "L = (1/2n) sum_k (h(x_k) - y_k)^2, Eq. (1); ReLU, sigma'(0) = 0)")


def _both_signs(y):
    """None if y has labels of both signs, else why not (D_+ or D_- = 0: r and eps are undefined)."""
    n_pos, n_neg = int(np.sum(y > 0)), int(np.sum(y < 0))
    if n_pos and n_neg:
        return None
    return f"labels of one sign only (n_+ = {n_pos}, n_- = {n_neg}): ||D_{'+' if not n_pos else '-'}|| = 0"


def _r_gt_1(inst):
    X, y = inst.arrays()
    why = _both_signs(y)
    if why:
        return False, f"r = ||D_+||/||D_-|| undefined: {why}"
    dp, dm = D_plus_minus(X, y)
    r = np.linalg.norm(dp) / np.linalg.norm(dm)
    return r > 1, f"r = ||D_+||/||D_-|| = {r:.6g} (the paper assumes r > 1 WLOG, l.516; swap the label signs otherwise)"


def eps_admissible(X, y, eps):
    """App. B.2 (l.1013-1038): (1+3 eps) max(1-alpha, ||D_-||/||D_+||) <= 1-eps and (1+3 r eps)(1-beta) <= 1-eps.

    Returns (printed_ok, corrected_ok, eps_max_printed, eps_max_corrected): alpha, beta as printed
    (min y_k^2/(2||D_+||^2)) and corrected by a factor n^2 (catalog F-1, D9).
    """
    n = len(y)
    dp, dm = D_plus_minus(X, y)
    Dp, Dm = np.linalg.norm(dp), np.linalg.norm(dm)
    r = Dp / Dm

    def emax(alpha, beta):
        M = max(1 - alpha, 1 / r)
        return min((1 - M) / (1 + 3 * M), beta / (1 + 3 * r * (1 - beta)) if beta < 1 else math.inf)

    def ok(alpha, beta):
        return ((1 + 3 * eps) * max(1 - alpha, Dm / Dp) <= 1 - eps) and ((1 + 3 * r * eps) * (1 - beta) <= 1 - eps)

    ap = min(v * v for v in y[y > 0]) / (2 * Dp * Dp)
    bp = min(v * v for v in y[y < 0]) / (2 * Dm * Dm)
    ac, bc = ap / n ** 2, bp / n ** 2
    return ok(ap, bp), ok(ac, bc), emax(ap, bp), emax(ac, bc)


def _eps_ok(inst):
    X, y = inst.arrays()
    eps = float(inst.params["eps"])
    why = _both_signs(y)
    if why:
        return False, f"eps = {eps:g}: the conditions of App. B.2 (alpha, beta, r) are undefined: {why}"
    dp, dm = D_plus_minus(X, y)
    r = np.linalg.norm(dp) / np.linalg.norm(dm)
    pr, co, ep, ec = eps_admissible(X, y, eps)
    ok = pr and r * eps < 1
    return ok, (f"eps = {eps:g}: printed condition (App. B.2) {'holds' if pr else 'fails'} (eps_max = {ep:.4g}); "
                f"r eps = {r * eps:.3g} < 1 needed for 2c lambda^(1-r eps) -> 0. With the corrected alpha, beta of "
                f"catalog F-1 eps_max = {ec:.4g} ({'admissible' if co else 'not admissible'}); Lemma 2's proof "
                f"(Lemmas 7-8) uses neither alpha nor beta.")


def _general_flow(inst):
    g = float(inst.params.get("gamma", 0.0))
    loss = inst.params.get("loss", "square")
    return (loss == "square" and g == 0.0,
            f"loss = {loss}, gamma = {g:g}: Lemma 1 is stated for the flow (2)/(3) of the square loss with ReLU")


def _a1_only(inst):
    X, _ = inst.arrays()
    dev = float(np.max(np.abs(X @ X.T - np.eye(len(X)))))
    return dev <= 1e-14, f"max |X X^T - I| = {dev:.3g}"


H_A1 = Hypothesis("Assumption 1 (orthonormal inputs)", _assumption("Assumption 1"), "§2.1, l.161")
H_A2 = Hypothesis("Assumption 2 (non-zero labels, ||y_+|| != ||y_-||)", _assumption("Assumption 2"), "§2.1, l.166")
H_A3 = Hypothesis("Assumption 3 (S_{+,1}, S_{-,1} non-empty)", _assumption("Assumption 3"), "§2.1, l.293")
H_R = Hypothesis("r = ||D_+||/||D_-|| > 1 (WLOG)", _r_gt_1, "§4.1, l.514-516")
H_EPS = Hypothesis("eps admissible", _eps_ok, "App. B.2, l.1013-1038")
H_MODEL = Hypothesis("square loss with reduction mean (1/2n), ReLU with sigma'(0) = 0", _square_relu,
                     "Eq. (1)-(3), App. D")
H_FLOW = Hypothesis("gradient flow of Eq. (2)/(3) (square loss, ReLU)", _general_flow, "§2.1-2.2, Eq. (1)-(3)")
#: Assumption 1 alone, read off X (for instances that carry no init draw)
H_A1_ONLY = Hypothesis("Assumption 1 (orthonormal inputs)", _a1_only, "§2.1, l.161")

#: the paper-wide setting (Assumptions 1-3, r > 1, square loss and ReLU), and the same with eps admissible
SETTING = [H_A1, H_A2, H_A3, H_R, H_MODEL]
SETTING_EPS = SETTING + [H_EPS]

# =========================================================================== precision of the two-tolerance flows


def rtols(precision):
    """The two relative tolerances (loose, tight) of a flow at ``precision``."""
    if precision in (None, "float64"):
        return 1e-10, 1e-12
    dps = int(precision)
    return 10.0 ** (-(dps - 8)), 10.0 ** (-(dps - 5))


def ulp(precision):
    return np.finfo(float).eps if precision in (None, "float64") else 10.0 ** (-int(precision))


def two_tolerance_error(v_tight, v_loose, tight, precision):
    """Error estimate of a quantity read off the tight run: |tight - loose| (two tolerances) plus the tight
    run's relative tolerance accumulated linearly over its steps and events (a conservative floor the
    two-tolerance comparison misses when both runs share a systematic error), plus 4 ulp."""
    rt = tight.rtol if hasattr(tight, "rtol") else tight["rtol"]
    steps = (tight.nsteps + len(tight.events)) if hasattr(tight, "nsteps") else tight["nsteps"] + tight["events"]
    return abs(v_tight - v_loose) + (rt * (steps + 1) + 4 * ulp(precision)) * abs(v_tight)


# =========================================================================== long-time flows

#: the long runs at two tolerances (measured: at 1e-12 a run costs what it does at 1e-10 (1.6 s vs 1.7 s on DS-A at
#: lambda = 1e-32) and its loss floor drops from 2e-18 to 8e-25, which the lambda -> 0 limits of Theorem 1 need)
RTOL_TIGHT, RTOL_LOOSE = 1e-12, 1e-10


def flow_core(p: dict) -> str:
    """The part of an instance's parameters the flow depends on (eps does not enter the flow)."""
    return json.dumps({"X": p["X"], "y": p["y"], "m": int(p["m"]), "seed": int(p["seed"])}, sort_keys=True)


def core_geometry(core: str):
    """(q, X, y, D_+, D_-, ||D_+||, ||D_-||) of a :func:`flow_core`."""
    q = json.loads(core)
    X, y = np.asarray(q["X"], float), np.asarray(q["y"], float)
    dp, dm = D_plus_minus(X, y)
    return q, X, y, dp, dm, float(np.linalg.norm(dp)), float(np.linalg.norm(dm))


@lru_cache(maxsize=8)
def limit_objects(core: str) -> dict:
    """kappa_j of DC-1 on S_{+,1} and S_{-,1} (see the module docstring), K_+-, and theta*, theta_S (DC-2, DC-7), with
    ``theta_star_err``: ||theta*(rtol tight) - theta*(rtol loose)|| + rounding (the error of theta* and theta_S)."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    m, d = int(q["m"]), X.shape[1]
    log_lam = -5000.0
    T = 60.0 / nDm
    s0 = balanced_gaussian_state(m, d, log_lam=log_lam, seed=int(q["seed"]))
    g, s = s0.info["g"], s0.info["s"]
    plus, minus = key_set_lists(X, y, g, s)
    yp, ym = float(np.linalg.norm(np.maximum(y, 0))), float(np.linalg.norm(np.minimum(y, 0)))

    def theta_star(rtol):
        tr = solve_flow(Model(X, y), s0, T, rtol=rtol)
        if tr.status != 0:
            raise RuntimeError(f"lambda-free flow: {tr.message}")
        rho = np.asarray(tr.final.log_norm_w(), float)
        kap = np.zeros(m)
        for j in plus:
            kap[j] = math.exp(rho[j] - log_lam - nDp * T)
        for j in minus:
            kap[j] = math.exp(rho[j] - log_lam - nDm * T)
        Kp, Km = float(np.sum(kap[plus] ** 2)), float(np.sum(kap[minus] ** 2))
        W = np.zeros((m, d))
        a = np.zeros(m)
        for j in plus:
            W[j] = math.sqrt(yp * kap[j] ** 2 / Kp) * dp / nDp
            a[j] = np.linalg.norm(W[j])
        for j in minus:
            W[j] = -math.sqrt(ym * kap[j] ** 2 / Km) * dm / nDm
            a[j] = -np.linalg.norm(W[j])
        return kap, Kp, Km, a, W

    kap, Kp, Km, a, W = theta_star(RTOL_TIGHT)
    _, _, _, a_lo, W_lo = theta_star(RTOL_LOOSE)
    # error of theta* (and theta_S): the two tolerances of the lambda-free flow, plus rounding
    star_err = distance(a, W, a_lo, W_lo) + 8 * np.finfo(float).eps * math.sqrt(float(a @ a + np.sum(W * W)))
    # the equal-split min-norm interpolator (catalog L12 mutation): also in argmin, ignores kappa
    We, ae = np.zeros((m, d)), np.zeros(m)
    for j in plus:
        We[j] = math.sqrt(yp / len(plus)) * dp / nDp
        ae[j] = np.linalg.norm(We[j])
    for j in minus:
        We[j] = -math.sqrt(ym / len(minus)) * dm / nDm
        ae[j] = -np.linalg.norm(We[j])
    aS, WS = a.copy(), W.copy()
    aS[minus], WS[minus] = 0.0, 0.0
    return {"kappa": kap, "K_plus": Kp, "K_minus": Km, "plus": plus, "minus": minus, "a": a, "W": W,
            "theta_star_err": star_err,
            "a_eq": ae, "W_eq": We, "a_S": aS, "W_S": WS, "yp": yp, "ym": ym, "T_kappa": T,
            "c": float(np.max(np.linalg.norm(g, axis=1))), "s": s, "g": g}


def horizon(lam10: float, nDm: float) -> float:
    """T = (ln(1/lambda) + 25)/||D_-||: past t_3 ~ ln(1/lambda)/||D_-|| (DC-4) by 25/||D_-|| (loss ~ e^{-100})."""
    return (-lam10 * LN10 + 25.0) / nDm


@lru_cache(maxsize=32)
def long_run(core: str, lam10: float, rtol: float):
    """The balanced flow (Eq. (4) init at lambda = 10^lam10, log-polar, numerics.flows) up to :func:`horizon`."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    s0 = balanced_gaussian_state(int(q["m"]), X.shape[1], log_lam=lam10 * LN10, seed=int(q["seed"]))
    tr = solve_flow(Model(X, y), s0, horizon(lam10, nDm), rtol=rtol)
    if tr.status != 0:
        raise RuntimeError(f"flow solver at lambda = 1e{lam10:g}: {tr.message}")
    return tr


def cartesian(st):
    """(a, W) of a state as float arrays (O(1) at the end of training)."""
    return np.asarray(st.a(), float), np.asarray(st.W(), float)


def distance(a, W, a2, W2):
    """||theta - theta'|| for theta = (a, W), theta' = (a2, W2)."""
    return float(math.sqrt(np.sum((a - a2) ** 2) + np.sum((W - W2) ** 2)))


def hitting_time(tr, fn, level, t_lo=0.0):
    """First time t >= t_lo with fn(state(t)) >= level: bracket on the trajectory nodes, then bisection on
    the dense solution (Trajectory.at) to 1e-9 relative. Returns None if never reached."""
    ts, sts = tr.t, tr.states
    prev = None
    for i, (t, st) in enumerate(zip(ts, sts)):
        if t < t_lo:
            prev = i
            continue
        if fn(st) >= level:
            if prev is None or i == 0:
                return float(t)
            lo, hi = max(float(ts[prev]), t_lo), float(t)
            if fn(tr.at(lo)) >= level:
                return lo
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                if fn(tr.at(mid)) >= level:
                    hi = mid
                else:
                    lo = mid
                if hi - lo <= 1e-8 * max(1.0, hi):
                    break
            return hi
        prev = i
    return None


def squared_norm_sum(idx):
    """state -> sum_{j in idx} ||w_j||^2 (the u_+, u_- of Lemmas 3 (ii), 4 (ii))."""
    def f(st):
        ln = np.asarray(st.log_norm_w(), float)
        return float(np.sum(np.exp(2 * ln[idx]))) if len(idx) else 0.0
    return f


@lru_cache(maxsize=64)
def phase_times(core: str, lam10: float, eps: float) -> dict:
    """Measured t_2 (u_+ reaches n||D_+|| - lambda^{eps/5}, Lemma 3 (ii)), t_3 (u_- reaches n||D_-|| -
    lambda^{eps/29} after t_{-1}, Lemma 4 (ii)), the others' max norm at t_2 and t_3, at two tolerances,
    plus DC-4 predictions for delta = 1e-2."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    kp = limit_objects(core)
    plus, minus = kp["plus"], kp["minus"]
    n = len(y)
    Up, Um = n * nDp, n * nDm
    ln_lam = lam10 * LN10
    d2 = math.exp(eps / 5 * ln_lam)
    d3 = math.exp(eps / 29 * ln_lam)
    t_m1 = -eps * ln_lam / nDm
    out = {"delta2": d2, "delta3": d3, "t_m1": t_m1, "vacuous3": Um - d3 <= 0}
    m = len(kp["s"])
    not_plus = [j for j in range(m) if j not in plus]
    not_pm = [j for j in range(m) if j not in plus and j not in minus]
    for name, rt in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
        tr = long_run(core, lam10, rt)
        t2 = hitting_time(tr, squared_norm_sum(plus), Up - d2)
        t3 = t_m1 if Um - d3 <= 0 else hitting_time(tr, squared_norm_sum(minus), Um - d3, t_lo=t_m1)
        r = {"t2": t2, "t3": t3, "nsteps": tr.nsteps}
        if t2 is not None:
            ln = np.asarray(tr.at(t2).log_norm_w(), float)
            r["log_nw_others_t2"] = float(max(ln[not_plus]))
            r["j_others_t2"] = int(not_plus[int(np.argmax(ln[not_plus]))])
        if t3 is not None:
            ln = np.asarray(tr.at(t3).log_norm_w(), float)
            r["log_nw_others_t3"] = float(max(ln[not_pm]))
        for lab, idx, U, K, D in ((("plus", plus, Up, kp["K_plus"], nDp), ("minus", minus, Um, kp["K_minus"], nDm))
                                  if name == "tight" else ()):
            r[f"hit_1e-2_{lab}"] = hitting_time(tr, squared_norm_sum(idx), U - 1e-2)
            r[f"pred_1e-2_{lab}"] = (math.log(U * (U - 1e-2) / (1e-2 * K)) - 2 * ln_lam) / (2 * D)
        out[name] = r
    return out


def hitting_time_error(P, key):
    """Error of the hitting time ``key`` of :func:`phase_times`: the two tolerances, the bisection, the tight
    tolerance accumulated over the steps."""
    t, lo = P["tight"][key], P["loose"][key]
    return abs(t - lo) + 2e-8 * abs(t) + RTOL_TIGHT * (P["tight"]["nsteps"] + 1) * abs(t)


def phase_setting(inst, point):
    """(core, lam10, X, y, ||D_+||, ||D_-||, limit objects, eps, lambda) of a phase-time measurement."""
    core = flow_core(inst.params)
    lam10 = float(point["lam10"])
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    kp = limit_objects(core)
    eps = float(inst.params["eps"])
    lam = 10.0 ** lam10 if lam10 > -300 else 0.0
    return core, lam10, X, y, nDp, nDm, kp, eps, lam



@lru_cache(maxsize=8)
def prop1_values(core: str) -> dict:
    """min 1/2||theta||^2 s.t. L = 0: convex reformulation (numerics.convex.min_norm_interpolator, exact pattern
    enumeration) and Prop. 1's closed form n(||D_+|| + ||D_-||) = ||y_+|| + ||y_-|| (orthonormal inputs)."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    res = min_norm_interpolator(X, y)
    n = len(y)
    # error of the convex value: the certified duality gap, plus the interpolation residual of the solver's point
    # times the Lipschitz constant of the value in y (||y_+|| + ||y_-|| moves by <= sqrt(2) ||dy|| <= sqrt(2n) max|dy|)
    err = float(abs(res.duality_gap)) + math.sqrt(2 * n) * float(res.fit_error)
    return {"cvx": float(res.value), "gap": float(abs(res.duality_gap)), "fit_error": float(res.fit_error), "err": err,
            "closed": n * (nDp + nDm), "l1": float(np.sum(np.abs(y))), "certified": bool(res.certified),
            "status": res.status if hasattr(res, "status") else ""}


# =========================================================================== float64 evaluations checked in mpmath

CHECK_DPS = 30


def loss_grad_two_precisions(model: Model, a, W) -> dict:
    """L(theta) and ||grad L(theta)||^2 (sigma'(0) = 0) of a float64 point, in float64 and again in mpmath at
    ``CHECK_DPS`` digits from the same (exactly representable) numbers: the float64 values with their measured
    rounding errors |float64 - mpmath| (two precisions), for the closed-form evaluations of Lemmas 5, 13, 14."""
    out = {}
    for name, xp in (("f64", get_backend("float64")), ("mp", get_backend(CHECK_DPS))):
        aa, WW = xp.asarray(np.asarray(a, float)), xp.asarray(np.asarray(W, float))
        ga, gW = gradient(model, aa, WW, xp)
        out[name] = (total_loss(model, aa, WW, xp), np.sum(ga * ga) + np.sum(gW * gW))
    (L64, g64), (Lmp, gmp) = out["f64"], out["mp"]
    L64, g64 = float(L64), float(g64)
    eps = np.finfo(float).eps
    # + 4 ulp: the mpmath value is itself rounded at CHECK_DPS digits and read back in float64
    return {"L": L64, "grad2": g64, "L_err": float(abs(mpmath.mpf(L64) - Lmp)) + 4 * eps * abs(L64),
            "grad2_err": float(abs(mpmath.mpf(g64) - gmp)) + 4 * eps * abs(g64), "L_mp": Lmp, "grad2_mp": gmp}
