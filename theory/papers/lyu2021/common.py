"""lyu2021, what several parts share: the instance data, the paper-wide hypotheses, the inits, the
t -> infinity flow runs, the instance constructors used by several parts, and a few closed forms.

Setting (§3.2, l.255-296): f_theta(x) = sum_k a_k phi(<w_k, x>), phi(z) = max(z, alpha z), alpha in (0, 1),
theta = (w_1..w_m, a_1..a_m); logistic loss L = (1/n) sum_i ln(1 + e^{-q_i}), q_i = y_i f_theta(x_i); the
Clarke gradient flow from small initialisation theta_0 = sigma_init theta_bar_0 with
theta_bar_0 ~ D_init(1) (w_k ~ N(0, I), a_k ~ N(0, c_a^2), drawn W then a: numerics.network.init_gaussian)
or the balanced D~_init(1) of §6. Weights diverge: every t -> infinity claim is judged on normalised
quantities (gamma = q_min/||theta||^2, theta/||theta||, f_theta/||theta||^2), extrapolated in
s = 1/||theta||^2 from log-spaced samples up to t = 1e200 (numerics.margins; catalog NP rate rule).

An instance's ``params`` name its dataset (``dataset`` + options, see :func:`dataset`) and its run (``m``,
``seed``, ``sigma``, ``init``, ...); every run is memoised on the JSON of the params. On a user's data (``earlyalign
--data``) the params carry the arrays ``X``, ``y`` and ``alpha`` instead (:func:`is_user`; built by the claims'
``data_instances`` with :class:`datasets.UserSettings` and :func:`user_init_instance`, :func:`user_limit_instance`, ...),
and the hypotheses MODEL, SETTINGS, PATTERNS_ENUMERABLE judge the user's model, settings and size.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.convex import kkt_margin_residual, max_margin_network, polish_svm, svm_hard_margin
from numerics.flows import PolarState
from numerics.geometry import G_extrema
from numerics.margins import extrapolate_limit, flow_to_infinity, m_norm, normalized_function
from numerics.network import Model, init_gaussian, normalized_margin
from numerics.patterns import enumerate_patterns
from theory.claims import Hypothesis, Instance, NeedsPrecision
from theory.usersettings import SETTINGS as USER_SETTINGS_APPLY

from . import datasets
from .paper import PAPER

KEY = PAPER.key


def run_group(name: str) -> str:
    """The ``share`` of claims measured on one cached run (the runner schedules them together)."""
    return f"{KEY}.{name}"


# --------------------------------------------------------------------------- datasets


def dataset(p: dict):
    """The instance's dataset (theory.papers.lyu2021.datasets), from JSON-able params: the user's arrays ``X``, ``y``
    (``earlyalign --data``, :func:`is_user`) or a catalog construction (``dataset`` + options); ``flip=True`` negates
    every label (the reversed case of App. A.3, l.1218-1221: "flipping all the labels")."""
    ds = _user_dataset(p) if is_user(p) else _dataset_base(p)
    return ds.with_data(y=-ds.y, name=ds.name + " (labels flipped)") if p.get("flip") else ds


def is_user(p: dict) -> bool:
    """True for an instance on a user's data (``earlyalign --data``): its params carry the arrays X, y."""
    return "X" in p


def _user_dataset(p: dict):
    if p.get("setting") == "hinted":
        ds = datasets.hinted_from_points(p["X"], p["y"], float(p["alpha"]))
        if ds is not None:
            return ds
    return datasets.user_dataset(p["X"], p["y"], str(p.get("dataset", "user data")), float(p["alpha"]),
                                 p.get("setting"))


def _dataset_base(p: dict):
    name = p["dataset"]
    alpha = float(p.get("alpha", 0.5))
    if name == "DS-S":
        return datasets.ds_s(alpha)
    if name == "DS-S2":
        return datasets.ds_s2(alpha)
    if name == "DS-A":
        return datasets.ds_a(alpha)
    if name == "DS-O":
        return datasets.ds_o()
    if name == "DS-O-rot":   # DS-O rotated by 40 degrees (orthogonal separability is rotation invariant)
        return datasets.ds_o_rotated(40)
    if name == "DS-K":
        return datasets.ds_k(alpha)
    if name == "DS-H":
        return datasets.ds_h(H=float(p.get("H", 70.0)), K=float(p.get("K", 1.0)), eps=float(p.get("eps", 0.1)),
                             scale=float(p.get("scale", 1.0)), alpha=alpha)
    if name == "symmetric":
        return datasets.symmetric_separable(n_half=int(p.get("n_half", 6)), d=int(p.get("d", 3)),
                                            margin=float(p.get("margin", 0.2)), seed=int(p.get("ds_seed", 0)),
                                            alpha=alpha)
    if name == "hinted-generic":
        return datasets.hinted_generic(int(p.get("ds_seed", 4)), alpha)
    raise ValueError(f"unknown lyu2021 dataset {name!r}")


def data(p: dict):
    """(X, y, alpha) of the instance (alpha = 0 on the ReLU sets DS-O, DS-O-rot; on user data: params["alpha"])."""
    ds = dataset(p)
    if is_user(p):
        return ds.X, ds.y, float(p["alpha"])
    return ds.X, ds.y, float(p.get("alpha", 0.5)) if not p["dataset"].startswith("DS-O") else 0.0


def model(p: dict):
    """numerics.network.Model of the instance: leaky slope alpha, logistic loss."""
    X, y, alpha = data(p)
    return Model(X, y, gamma=alpha, loss="logistic")


@lru_cache(maxsize=64)
def _svm(pj: str):
    X, y, _ = data(json.loads(pj))
    s = svm_hard_margin(X, y)
    pol = polish_svm(X, y, s, dps=50)
    if not pol.ok:
        raise RuntimeError(f"the exact KKT polish of the SVM failed ({pol.message}): w* is not certified")
    return (np.array([float(v) for v in pol.direction]), float(pol.margin), [mpmath.mpf(v) for v in pol.direction],
            mpmath.mpf(pol.margin), float(pol.float_discrepancy or 0.0))


@lru_cache(maxsize=64)
def _svm_exact_bytes(xb: bytes, yb: bytes, d: int):
    X = np.frombuffer(xb, dtype=float).reshape(-1, d)
    y = np.frombuffer(yb, dtype=float)
    pol = polish_svm(X, y, svm_hard_margin(X, y), dps=50)
    if not pol.ok:
        raise RuntimeError(f"the exact KKT polish of the SVM failed ({pol.message}): the separator is not certified")
    return [mpmath.mpf(v) for v in pol.direction], mpmath.mpf(pol.margin), [int(k) for k in pol.support]


def svm_exact_data(X, y):
    """(direction, margin, support) at 50 digits of the hard-margin SVM of arbitrary data (X, y) (e.g. the transformed
    x^+, x^- of App. A, or one class of App. H), polished exactly on its support set (numerics.convex.polish_svm)."""
    X = np.ascontiguousarray(X, dtype=float)
    y = np.ascontiguousarray(y, dtype=float)
    return _svm_exact_bytes(X.tobytes(), y.tobytes(), X.shape[1])


def svm(p):
    """(w*, gamma_w*, 0.0) of Definition 3.3: the hard-margin SVM (cvxpy + Clarabel) polished exactly on its support
    set (numerics.convex.polish_svm: the KKT system solved in rationals on the data as given, every KKT condition
    verified exactly), rounded to float64 (error: rounding). The third entry (formerly the solver's duality gap) is
    0: the polished solution is exact."""
    ws, gs, _, _, _ = _svm(json.dumps(p, sort_keys=True))
    return ws, gs, 0.0


def svm_mp(p):
    """(w*, gamma_w*) at 50 digits (mpmath) from the exact polish of the SVM (see :func:`svm`); the
    float discrepancy ||w_hat(solver) - w_hat(exact)|| is the third entry."""
    _, _, wm, gm, disc = _svm(json.dumps(p, sort_keys=True))
    return wm, gm, disc


def dot_mp(w_mp, X):
    """<w, x> for the rows x of X (float64 data, exact dyadic rationals) with w given in mpmath: the values at
    50 digits, so a closed form built on the exact w* carries no float64 error."""
    X = np.asarray(X, dtype=float)
    with mpmath.workdps(50):
        return [mpmath.fsum(mpmath.mpf(float(v)) * w for v, w in zip(row, w_mp)) for row in X]


def mu_bar(X, y):
    mu = (y[:, None] * X).mean(axis=0)
    return mu / np.linalg.norm(mu), mu


def test_points(d: int, seed: int = 11) -> np.ndarray:
    """Points where normalised functions are compared: an 8 x 8 grid on [-0.9, 0.9]^2 (d = 2; no point on the
    coordinate axes, where an axis-aligned w* would make the target exactly 0), else 40 uniform points of
    [-1, 1]^d (seeded)."""
    if d == 2:
        g = np.linspace(-0.9, 0.9, 8)
        return np.array([[u, v] for u in g for v in g])
    return np.random.default_rng(seed).uniform(-1, 1, size=(40, d))


def phi(z, alpha):
    return np.where(z > 0, z, alpha * z)


# --------------------------------------------------------------------------- hypotheses


def validation(p, setting):
    """theory.papers.lyu2021.datasets.validate on the instance's dataset, in the given setting."""
    return datasets.validate(dataset(p), alpha=float(p.get("alpha", 0.5)), setting=setting)


def validator_hypothesis(name, setting, where, key=None):
    """Hypothesis from theory.papers.lyu2021.datasets.validate (``key``: the check's name prefix)."""
    def test(inst):
        v = validation(inst.params, inst.params.get("setting", setting))
        pre = (key or name).split(" (")[0]
        hits = [c for c in v if c.name == (key or name) or c.name.split(" (")[0] == pre]
        if not hits and v.failures:   # the validator stopped early (e.g. no w* on non-separable data): say why
            return False, "not evaluated: " + "; ".join(f"{c.name} fails ({c.reason})" for c in v.failures)
        if not hits:
            return False, f"validator has no check {pre!r} for setting {inst.params.get('setting', setting)!r}"
        return hits[0].passed, hits[0].reason
    return Hypothesis(name, test, where)


INPUTS_IN_UNIT_BALL = validator_hypothesis("||x_i|| <= 1 (l.296)", "symmetric", "§3.2, l.296")
SEPARABLE = validator_hypothesis("Assumption 3.2 (linearly separable)", "symmetric", "l.298")
SYMMETRIC = validator_hypothesis("Assumption 4.1 (symmetric)", "symmetric", "l.309")
MU_NOT_ORTHOGONAL = validator_hypothesis("Assumption 4.5 (<mu, x_i> != 0)", "symmetric", "l.410")
HINTED = validator_hypothesis("Definition 6.1 (hinted dataset)", "hinted", "l.849")
THEOREM62_CONDITIONS = validator_hypothesis("Theorem 6.2 conditions (App. A.2)", "hinted", "App. A.2, l.1113-1140")
ASSUMPTION_A2 = validator_hypothesis("Assumption A.2", "nonsymmetric", "l.986")
ASSUMPTION_A3 = validator_hypothesis("Assumption A.3 (||mu^+|| > ||mu^-||)", "nonsymmetric", "l.1005")


def _width_at_least(k):
    def test(inst):
        m = int(inst.params.get("m", 2))
        return m >= k, f"width m = {m}"
    return test


WIDTH_AT_LEAST_2 = Hypothesis("width m >= 2", _width_at_least(2), "Theorem 4.2/4.3, l.326, l.362")
NON_BRANCHING = Hypothesis("Assumption 4.6 (non-branching starts)", where="l.418", assumed=True,
                           detail="assumed, not evaluated: uniqueness of the Clarke flow from the embedded start is not "
                                  "decidable numerically (catalog E10); the engine follows the Filippov (small-step) "
                                  "selection")
LOGISTIC_LEAKY = Hypothesis("logistic loss, leaky ReLU alpha in (0, 1)",
                            lambda inst: (0 < float(inst.params.get("alpha", 0.5)) < 1,
                                          f"alpha = {inst.params.get('alpha', 0.5)}"), "§3.2, l.255-294")
#: the symmetric setting of §4-5: the hypotheses every claim of a part carries unless it says otherwise
SETTING = [LOGISTIC_LEAKY, INPUTS_IN_UNIT_BALL, SEPARABLE, SYMMETRIC]

# --------------------------------------------------------------------------- user data (earlyalign --data)


def _model_test(relu: bool):
    want = "ReLU alpha = 0 (App. H)" if relu else "leaky ReLU alpha in (0, 1)"

    def test(inst):
        p = inst.params
        if not is_user(p):
            return True, f"catalog instance: logistic loss, mean reduction, {want}"
        y = np.asarray(p["y"], dtype=float)
        bad = []
        if not np.all(np.isin(y, (-1.0, 1.0))):
            bad.append(f"labels {sorted(set(y.tolist()))[:5]} are not in {{-1, +1}}")
        if p.get("loss") not in (None, "logistic"):
            bad.append(f"loss = {p['loss']!r}: the paper's loss is the logistic loss ln(1 + e^-q) (l.255-270)")
        if p.get("reduction") not in (None, "mean"):
            bad.append(f"reduction = {p['reduction']!r}: the paper's L is the mean (1/n) sum_i ln(1 + e^-q_i) "
                       "(l.255-270)")
        g = p.get("gamma")
        if g is not None and not (g == 0 if relu else 0 < g < 1):
            bad.append(f"gamma = {g!r}: this claim is stated for {want}")
        if bad:
            return False, "; ".join(bad)
        src = "the user gamma" if g is not None else "default: no gamma given"
        if inst.grid_param == "alpha":
            return True, f"logistic loss, mean reduction, alpha swept over the grid ({src})"
        return True, f"logistic loss, mean reduction, alpha = {float(p['alpha']):g} ({src})"
    return test


#: the paper's model on a user's data: labels +-1, logistic loss, mean reduction and the claim's leaky slope (a user
#: setting that differs is named, never ignored); on the catalog's instances it holds by construction
MODEL = Hypothesis("the paper's model (logistic loss, mean reduction, leaky ReLU)", _model_test(False),
                   "§3.2, l.255-294")
MODEL_RELU = Hypothesis("the paper's model (logistic loss, mean reduction, ReLU)", _model_test(True), "App. H, l.8867")


SETTINGS = USER_SETTINGS_APPLY   # theory.usersettings.SETTINGS

#: the largest number of activation patterns the exact convex reformulation enumerates on a user's data (measured:
#: ~7 ms per pattern at n = 100, d = 3, i.e. ~10 s at the limit); beyond it the claim is NOT_APPLICABLE, never a hang
PATTERN_LIMIT = 1024


def _patterns_test(inst):
    """Cover's bound within PATTERN_LIMIT, then the exact enumeration itself (numerics.patterns.enumerate_patterns),
    which refuses inputs parallel up to float rounding but not exactly (a chamber thinner than float64 resolution,
    e.g. decimal inputs (0.2, 0.6) and (0.3, 0.9))."""
    X, _, _ = data(inst.params)
    bound, nh, rank = datasets.pattern_count_bound(X)
    head = f"at most {bound} activation patterns (n' = {nh} hyperplanes, rank {rank}), limit {PATTERN_LIMIT}"
    if bound > PATTERN_LIMIT:
        return False, head + ": beyond the limit of the exact enumeration"
    try:
        P = enumerate_patterns(X, max_patterns=PATTERN_LIMIT).P
    except (ArithmeticError, ValueError) as exc:
        return False, f"{head}; the exact enumeration refuses the data: {exc}"
    return True, f"{P} activation patterns enumerated exactly ({head})"


PATTERNS_ENUMERABLE = Hypothesis(f"exact pattern enumeration (<= {PATTERN_LIMIT} patterns)", _patterns_test,
                                 "numerics.convex.max_margin_network")


def symmetric_pm1(p) -> tuple:
    """(ok, why): the data's labels are +-1 and it is symmetric (Assumption 4.1): the precondition of the constructions
    from mu_bar and lambda_0 (Phase I-II) that some hypotheses evaluate."""
    X, y, _ = data(p)
    if not np.all(np.isin(y, (-1.0, 1.0))):
        return False, "labels are not +-1"
    c = validation(p, "symmetric")["Assumption 4.1"]
    return c.passed, "" if c.passed else f"the data is not symmetric (Assumption 4.1: {c.reason})"


def needs_separable(test):
    """A hypothesis test that needs w* (the SVM of the data): on a user's data that is not linearly separable it fails,
    naming Assumption 3.2, instead of raising."""
    def guarded(inst):
        if is_user(inst.params):
            X, y, _ = data(inst.params)
            if not datasets.linearly_separable(X, y):
                return False, "not evaluated: the data is not linearly separable (Assumption 3.2), no w*"
        return test(inst)
    return guarded


# --------------------------------------------------------------------------- inits


def init_bar(p):
    """theta_bar_0: D_init(1) (w ~ N(0, I), a ~ N(0, c_a^2); W drawn first, then a) or the balanced
    D~_init(1) of §6 (``init="balanced"``: w_k ~ N(0, I), a_k = s_k ||w_k|| with signs ``s`` or drawn)."""
    X, y, _ = data(p)
    m, d = int(p["m"]), X.shape[1]
    if p.get("init", "gaussian") == "balanced":
        rng = np.random.default_rng(int(p["seed"]))
        Wb = rng.standard_normal((m, d))
        s = np.asarray(p["s"], dtype=float) if "s" in p else rng.choice([-1.0, 1.0], size=m)
        return s * np.linalg.norm(Wb, axis=1), Wb
    a, W, _ = init_gaussian(m, d, 1.0, c_a=float(p.get("c_a", 1.0)), seed=int(p["seed"]))
    return a, W


def b_bar(p):
    """b_bar_k = (<w_bar_k, mu_bar> + a_bar_k)/(2 sqrt(m) ||theta_bar_0||_M) (Lemma 5.2, l.618-624)."""
    X, y, _ = data(p)
    a, W = init_bar(p)
    mb, _ = mu_bar(X, y)
    return (W @ mb + a) / (2 * math.sqrt(len(a)) * m_norm(a, W))


def good_b(inst):
    """(b_bar has both signs and no zero, the values): the success event of Lemma E.7."""
    with np.errstate(all="ignore"):
        b = b_bar(inst.params)
    if not np.all(np.isfinite(b)):
        return False, "b_bar undefined: mu = 0, so mu_bar = mu/||mu|| does not exist"
    ok = bool(np.all(b != 0) and b.max() > 0 and b.min() < 0)
    return ok, f"b_bar = {np.round(b, 6).tolist()} ({'mixed signs: good' if ok else 'one sign: the 2^-(m-1) event'})"


GOOD_B_BAR = Hypothesis("b_bar good (the 1 - 2^-(m-1) event of Lemma E.7)", good_b, "l.642-643, l.4445")


def _has_positive_sign(inst):
    a, _ = init_bar(inst.params)
    return bool(np.any(a > 0)), f"signs s = {np.sign(a).astype(int).tolist()} (success event: some s_k = +1)"


SOME_POSITIVE_SIGN = Hypothesis("some s_k = +1 (the 1 - 2^-m event)", _has_positive_sign, "l.857-885")


def lam0(X, y, alpha):
    """lambda_0 = max_{||w|| = 1} |G(w)| (exact, numerics.geometry.G_extrema; the corrected value of F1)."""
    g = G_extrema(X, y, gamma=alpha, loss="logistic")
    return max(g.max_value, -g.min_value)


def lam0_err(X):
    """Float64 rounding bound of lam0 (a closed form: G(w) = (1/2n) sum_i y_i phi(<w, x_i>) at the exact maximiser,
    itself a normalised projection): fp_bound on (1/2n) sum_i ||x_i|| with 2(n + d) + 20 operations."""
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    return float(fp_bound(np.linalg.norm(X, axis=1).sum() / (2 * n), 2 * (n + d) + 20))


# --------------------------------------------------------------------------- t -> infinity runs

LOG10_T = 250.0
RTOL = 1e-10
#: the second tolerance of a limit run: the limits are extrapolated from both runs and their difference is the
#: measured integration error (a conservative estimate for the RTOL run)
RTOL_CHECK = 1e-9


def _flow_limits(p, rtol):
    X, y, alpha = data(p)
    mdl = model(p)
    a0, W0 = init_bar(p)
    sig = float(p["sigma"])
    if "theta0" in p:   # an explicit start (Theorem 5.5): ((w_1..w_m), (a_1..a_m))
        W0 = np.asarray(p["theta0"][0], dtype=float)
        a0 = np.asarray(p["theta0"][1], dtype=float)
        sig = 1.0
    st0 = PolarState.from_cartesian(sig * a0, sig * W0)
    run = flow_to_infinity(mdl, st0, float(p.get("log10_t", LOG10_T)), per_decade=0.5, rtol=rtol)
    Xt = test_points(X.shape[1])
    F = np.array([normalized_function(Xt, a, W, alpha) for a, W in zip(run.a, run.W)])
    # |a_k| - ||w_k|| of the direction theta/||theta|| (Lemma B.9), extrapolated on its own: its error is not
    # the sum of the errors of |a_k| and ||w_k|| (they are strongly correlated)
    B = np.array([(np.abs(a) - np.linalg.norm(W, axis=1)) / math.sqrt(n2) for a, W, n2 in zip(run.a, run.W, run.n2)])
    return run, Xt, {"g": extrapolate_limit(run.s, run.gamma), "f": extrapolate_limit(run.s, F),
                     "d": extrapolate_limit(run.s, run.direction), "b": extrapolate_limit(run.s, B)}


@lru_cache(maxsize=32)
def _limit_run(pj: str) -> dict:
    p = json.loads(pj)
    X, y, alpha = data(p)
    run, Xt, lim = _flow_limits(p, RTOL)
    run_c, _, chk = _flow_limits(p, RTOL_CHECK)
    m, d = len(run.a[0]), X.shape[1]

    def err(key):   # extrapolation error (two windows, numerics.margins) + integration error (two tolerances)
        return np.abs(np.asarray(lim[key][1])) + np.abs(np.asarray(lim[key][0]) - np.asarray(chk[key][0]))
    kk = kkt_margin_residual(X, y, run.a[-1], run.W[-1], alpha, active_rtol=1e-3)
    return {"t": run.t.tolist(), "n2": run.n2.tolist(), "gamma": run.gamma.tolist(),
            "gamma_tilde": [None if not np.isfinite(v) else float(v) for v in run.gamma_tilde],
            "gamma_tilde_end_check": float(run_c.gamma_tilde[-1]),
            "g_inf": float(lim["g"][0]), "g_err": float(err("g")), "gap_times_n2": lim["g"][2],
            "f_inf": np.asarray(lim["f"][0]).tolist(), "f_err": err("f").tolist(),
            "d_inf": np.asarray(lim["d"][0]).tolist(), "d_err": err("d").tolist(),
            "d_inf_check": np.asarray(chk["d"][0]).tolist(),
            "bal_inf": np.asarray(lim["b"][0]).tolist(), "bal_err": err("b").tolist(), "Xt": Xt.tolist(),
            "dir_final": run.direction[-1].tolist(), "a_T": run.a[-1].tolist(), "W_T": run.W[-1].tolist(),
            "a_all": [np.asarray(a).tolist() for a in run.a], "W_all": [np.asarray(W).tolist() for W in run.W],
            "kkt_final": float(kk.residual), "kkt_active": kk.active.tolist(), "nsteps": run.nsteps,
            "events": run.events, "m": m, "d": d, "alpha": alpha,
            "integration error (|limit(rtol 1e-10) - limit(rtol 1e-9)|)": {
                "gamma": float(abs(lim["g"][0] - chk["g"][0])),
                "f": float(np.max(np.abs(np.asarray(lim["f"][0]) - np.asarray(chk["f"][0])))),
                "direction": float(np.max(np.abs(np.asarray(lim["d"][0]) - np.asarray(chk["d"][0]))))}}


def limit_run(p: dict) -> dict:
    """Flow from sigma_init theta_bar_0 (or ``theta0``) to t = 10^log10_t (default 1e250) sampled twice a decade
    (numerics.margins), with the limits of gamma, theta/||theta||, f_theta/||theta||^2 (test points) and
    (|a_k| - ||w_k||)/||theta|| extrapolated in s = 1/||theta||^2. Error of each limit, measured: the extrapolation
    error (two fit windows, numerics.margins.extrapolate_limit) plus the difference between the limits of two runs at
    rtol 1e-10 and 1e-9 (integration error). Memoised on the params."""
    return _limit_run(json.dumps(p, sort_keys=True))


def resolved_limit_run(p: dict) -> dict:
    """:func:`limit_run` for a claim judged on its extrapolated limits, with a certificate that the extrapolation is
    not biased upward: no network's normalised margin exceeds the global max margin of the class on the data
    (:func:`global_max_margin`, when the exact enumeration is within PATTERN_LIMIT), so an extrapolated limit margin
    above it (beyond both errors) proves the run has not reached its asymptotic regime by t_end (slow convergence;
    seen on a made-up symmetric set in d = 3 at t = 1e250): the claim is then unresolved (NeedsPrecision ->
    INCONCLUSIVE with this reason), never VIOLATED on biased limits."""
    r = limit_run(p)
    X, _, _ = data(p)
    if datasets.pattern_count_bound(X)[0] <= PATTERN_LIMIT:
        try:
            gg, gerr = global_max_margin(p)
        except (ArithmeticError, ValueError, RuntimeError):   # no certified global max: no check
            return r
        if r["g_inf"] - r["g_err"] > gg + gerr:
            raise NeedsPrecision(f"extrapolated limit margin {r['g_inf']:.10g} (error {r['g_err']:.1e}) above the "
                                 f"global max margin {gg:.10g} of the network class: the limits extrapolated from "
                                 f"t <= {r['t'][-1]:.0e} are biased (asymptotic regime not reached)")
    return r


def limit_run_info(r):
    """The ``info`` of a measurement on a limit run."""
    return {"t_final": r["t"][-1], "nsteps": r["nsteps"], "events": r["events"], "rtol": RTOL,
            "gamma(t=1e100)": r["gamma"][len(r["gamma"]) // 2], "gamma(t_end)": r["gamma"][-1],
            "gamma_inf (extrapolated)": r["g_inf"], "extrapolation error": r["g_err"],
            "gap * ||theta||^2 (fitted, rate rule)": -r["gap_times_n2"], "||theta(t_end)||^2": r["n2"][-1],
            "integration error of the limits (rtol 1e-10 vs 1e-9)":
                r["integration error (|limit(rtol 1e-10) - limit(rtol 1e-9)|)"]}


def limit_run_series(r, target=None, label="gamma(theta(t))"):
    """The margin-vs-log10 t series of a limit run (with the target as a horizontal line)."""
    ser = {"margin": {"x": [math.log10(t) for t in r["t"]], "y": {label: r["gamma"]},
                      "xlabel": "log10 t", "ylabel": "normalised margin", "logy": False}}
    if target is not None:
        ser["margin"]["hline"] = {"target": float(target)}
    return ser


def symmetric_limit_instances(tier):
    """DS-S INIT-A (catalog E07) and a generic symmetric set in d = 2; the full tier adds a generic d = 3 set
    (only two support vectors in d = 3: the normalised function converges like 1/sqrt(ln t) along the flat
    directions of the max-margin set and is resolved to ~1e-8 only, INCONCLUSIVE at that level) and DS-S2."""
    out = [Instance("DS-S, INIT-A (m=4, seed 2), sigma = 1e-6",
                    {"dataset": "DS-S", "m": 4, "seed": 2, "sigma": 1e-6, "c_a": 1.0},
                    description="D_init(1) draw numpy default_rng(2) (catalog INIT-A), flow to t = 1e250"),
           Instance("generic symmetric (n=10, d=2, seed 2), m=4, seed 5, sigma = 1e-6",
                    {"dataset": "symmetric", "n_half": 5, "d": 2, "ds_seed": 2, "m": 4, "seed": 5,
                     "sigma": 1e-6, "c_a": 1.0},
                    description="D_init(1) draw default_rng(5), flow to t = 1e250")]
    if tier == "full":
        out.append(Instance("generic symmetric (n=12, d=3, seed 1), m=4, seed 5, sigma = 1e-6",
                            {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 4, "seed": 5,
                             "sigma": 1e-6, "c_a": 1.0}, description="flow to t = 1e250"))
        out.append(Instance("DS-S2, m=6, seed 0, sigma = 1e-8",
                            {"dataset": "DS-S2", "m": 6, "seed": 0, "sigma": 1e-8, "c_a": 1.0},
                            description="catalog E07 stress test (mu_bar not a separator)"))
    return out


def first_seed(p: dict, event, limit: int = 200) -> int:
    """The first init seed s < ``limit`` whose draw theta_bar_0 satisfies ``event(params)`` (e.g. Lemma E.7's good
    b_bar), 0 if none does (the claim's hypothesis then says so)."""
    with np.errstate(all="ignore"):
        for s in range(limit):
            if event({**p, "seed": s}):
                return s
    return 0


def _b_good(p):
    b = b_bar(p)
    return bool(np.all(np.isfinite(b)) and np.all(b != 0) and b.max() > 0 > b.min())


def user_limit_instance(ds, event=_b_good, what="the success event: b_bar good", inits=("gaussian",), sigma=1e-6,
                        log10_t=LOG10_T, params=None):
    """A t -> infinity limit run (common.limit_run) on a user's data: theta_bar_0 with width m (default 4), seed
    (default: the first seed of ``event``, the good b_bar of Lemma E.7), the claim's init scheme, sigma_init (default
    1e-6, as the catalog instances) and horizon T (default 1e``log10_t``, within [1e20, 1e300])."""
    (inst,) = user_init_instance(ds, m=4, seed=None, event=event, sigma=sigma, log10_t=log10_t, inits=inits,
                                 description=f"theta_bar_0 draw default_rng(seed) ({what})", params=params,
                                 cost=lambda p: datasets.flow_cost(len(ds.y), p["m"], p.get("log10_t", LOG10_T)))
    return inst


def user_static(ds, what="the data as given", params=None, relu=False):
    """A claim that reads only the data (no init, no flow, no sweep) on a user's data: every given setting is refused
    by name (hypothesis SETTINGS)."""
    return [datasets.UserSettings(ds, relu=relu).instance(what, dict(params or {}))]


def user_sampled(ds, samples: int):
    """A "for all theta" claim sampled on a user's data: ``samples`` random theta from default_rng(seed) (the user's
    seed, default 0)."""
    u = datasets.UserSettings(ds)
    rng = int(u.get("seed", 0))
    return [u.instance(f"{samples} random samples (rng {rng})", {"samples": samples, "rng": rng},
                       description="random theta as on the catalog instances")]


def user_init_instance(ds, m: int = 4, seed: int | None = 0, sigma: float | None = None, T: float | None = None,
                       inits=("gaussian",), sweep=None, params=None, description: str = "", cost=None, event=None,
                       log10_t: float | None = None):
    """[Instance] on a user's data for a claim that draws theta_bar_0: width m, seed and init scheme (the user's, else
    the claim's defaults; ``seed=None``: the first seed of ``event``, default the success event b_bar good), the init
    scale sigma_init when the claim has one (``sigma`` = its default), the horizon when it has one (``T``: a window
    [0, T]; ``log10_t``: a limit run to 1e``log10_t``, the user's T within [1e20, 1e300]) and the sigma sweep
    (``sweep``, log10); ``cost(params) -> str`` says what the run will cost."""
    u = datasets.UserSettings(ds)
    p = {"m": int(u.get("m", m)), **u.init(inits)}
    if seed is None:   # the theorem's event (default: b_bar has mixed signs, Lemma E.7): its first seed
        base = {"X": np.asarray(ds.X, dtype=float).tolist(), "y": np.asarray(ds.y, dtype=float).tolist(),
                "alpha": u.alpha, **p}
        p["seed"] = u.seed(0, pick=lambda: first_seed(base, event or _b_good))
    else:
        p["seed"] = int(u.get("seed", seed))
    if sigma is not None:
        p["sigma"] = u.sigma(sigma)
    if T is not None:
        p["T"] = float(u.get("T", T))
    if log10_t is not None:
        Tu = u.get("T", None)
        if Tu is not None and not 1e20 <= float(Tu) <= 1e300:
            u.refused["T"] = f"params.T = {Tu!r}: the t -> infinity limits need a horizon in [1e20, 1e300]"
        elif Tu is not None or log10_t != LOG10_T:
            p["log10_t"] = math.log10(float(Tu)) if Tu is not None else float(log10_t)
    if sweep is not None:   # a sigma sweep (log10): params.lam10_grid, at least 3 values for a rate fit
        p["sigmas"] = [float(v) for v in u.get("lam10_grid", sweep)]
        if len(p["sigmas"]) < 3:
            u.refused["lam10_grid"] = f"params.lam10_grid = {p['sigmas']}: the rate fit needs at least 3 values"
    p.update(params or {})
    label = ", ".join(f"{k} = {p[k]:g}" if isinstance(p[k], float) else f"{k} = {p[k]}"
                      for k in ("m", "seed", "sigma", "T") if k in p)
    if log10_t is not None:
        label += f", t to 1e{p.get('log10_t', LOG10_T):g}"
    return [u.instance(label, p, description=description, cost=cost(p) if cost else "")]


def accept_data(claim, data_instances, *hypotheses):
    """Open ``claim`` to ``earlyalign --data``: its ``data_instances`` and the hypotheses judging a user's model and
    settings (default MODEL, SETTINGS), appended after the claim's own (the catalog instances hold them by
    construction)."""
    claim.data_instances = data_instances
    claim.hypotheses = list(claim.hypotheses) + list(hypotheses or (MODEL, SETTINGS))
    return claim


def hinted_limit_instances(tier):
    """Theorem 6.2's flows on hinted data: DS-H/70 with the catalog's INIT-H and a generic hinted set."""
    out = [Instance("DS-H/70 (H=70, K=1, eps=0.1, scaled by 1/70), INIT-H (m=4), sigma = 1e-12",
                    {"dataset": "DS-H", "scale": 1 / 70, "m": 4, "seed": 1, "init": "balanced",
                     "s": [1, 1, -1, -1], "sigma": 1e-12, "setting": "hinted", "log10_t": 100.0},
                    description="balanced D~_init(1): W_bar = INIT-B draw, s = (+,+,-,-) (catalog INIT-H)"),
           Instance("generic hinted (random base set, seed 4), m=3, balanced seed 2, sigma = 1e-12",
                    {"dataset": "hinted-generic", "ds_seed": 4, "m": 3, "seed": 2, "init": "balanced",
                     "sigma": 1e-12, "setting": "hinted", "log10_t": 100.0})]
    return out


# --------------------------------------------------------------------------- the global max margin (convex)


@lru_cache(maxsize=64)
def _max_margin_network(pj: str):
    X, y, alpha = data(json.loads(pj))
    return max_margin_network(X, y, alpha)


def max_margin_network_of(p: dict):
    """The exact global max-margin network of the instance's data (numerics.convex.max_margin_network)."""
    return _max_margin_network(json.dumps(p, sort_keys=True))


_DATA_KEYS = ("dataset", "alpha", "n_half", "d", "ds_seed", "H", "K", "eps", "scale", "margin", "X", "y")


@lru_cache(maxsize=32)
def _global_max_margin(pj):
    p = json.loads(pj)
    X, y, alpha = data(p)
    r = max_margin_network_of({k: v for k, v in p.items() if k in _DATA_KEYS})
    if not r.certified:
        raise RuntimeError("max_margin_network did not enumerate every activation pattern: the global max margin is "
                           "not certified")
    val = float(r.value)
    lo = normalized_margin(X, y, r.a, r.W, alpha)        # a network's margin is <= the global max
    hi = 1 / (2 * float(r.dual_bound))                     # weak duality: val(P) >= dual bound
    g = 1 / (2 * val)
    return g, max(hi - g, g - lo, 0.0) + 4 * np.finfo(float).eps * g


def global_max_margin(p: dict):
    """(gamma_glob, absolute error): the global max normalised margin of the network class on the instance's data,
    1/(2 val(P)) (exact convex reformulation over every activation pattern, numerics.convex.max_margin_network),
    bracketed by two certificates: below by the normalised margin of the recovered network (any network's margin is
    at most the max), above by 1/(2 dual bound) (weak duality); the error is the distance to the far end of the
    bracket."""
    return _global_max_margin(json.dumps(p, sort_keys=True))


# --------------------------------------------------------------------------- sampled checks


def sampled_instances(tier, n=2000):
    """DS-S (alpha = 1/2) and a generic symmetric set (d = 3, alpha = 0.3), ``n`` random samples each."""
    nn = n if tier == "fast" else 10 * n
    return [Instance(f"DS-S, {nn} samples", {"dataset": "DS-S", "samples": nn, "rng": 0}),
            Instance(f"generic symmetric (n=12, d=3, seed 1), alpha = 0.3, {nn} samples",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "samples": nn,
                      "rng": 1})]


def random_theta(rng, m, d, scale):
    """(a, W): W ~ N(0, scale^2) (m, d) then a ~ N(0, scale^2) (m,)."""
    W = rng.standard_normal((m, d)) * scale
    a = rng.standard_normal(m) * scale
    return a, W


def loss_gradient(X, y, alpha, a, W):
    """Exact gradient of L (Eq. (10), App. B.1) at a smooth point: (dL/da, dL/dW), and the margins q."""
    n = len(y)
    Z = W @ X.T
    q = y * (a @ phi(Z, alpha))
    lp = -1.0 / (1.0 + np.exp(np.clip(q, -700, 700)))          # ell'(q) = -expit(-q)
    c = lp * y / n
    ga = phi(Z, alpha) @ c
    gW = a[:, None] * ((np.where(Z > 0, 1.0, alpha) * c[None, :]) @ X)
    return ga, gW, q


# --------------------------------------------------------------------------- the embedding pi_b (§5.2), Eq. (14)


def pi_b(b, w_hat, a_hat):
    """pi_b of §5.2 (l.659-713): (w_k, a_k) = (b_k/b_+)(w^_1, a^_1) if b_k > 0, (b_k/b_-)(w^_2, a^_2) if
    b_k < 0, 0 if b_k = 0; b_+ = sqrt(sum_{b_k>0} b_k^2), b_- = -sqrt(sum_{b_k<0} b_k^2)."""
    b = np.asarray(b, dtype=float)
    bp = math.sqrt(float(np.sum(b[b > 0] ** 2)))
    bm = -math.sqrt(float(np.sum(b[b < 0] ** 2)))
    W = np.zeros((len(b), len(w_hat[0])))
    a = np.zeros(len(b))
    for k, bk in enumerate(b):
        if bk > 0:
            W[k], a[k] = bk / bp * np.asarray(w_hat[0]), bk / bp * a_hat[0]
        elif bk < 0:
            W[k], a[k] = bk / bm * np.asarray(w_hat[1]), bk / bm * a_hat[1]
    return a, W


def pi_b_unnormalised(b, w_hat, a_hat):
    """The mutant embedding with weights |b_k| (not b_k/b_+, b_k/b_-), and the per-coordinate factor s with
    pi'_b(theta) = s * pi_b(theta) for every theta (s = b_+ on the neurons with b_k > 0, |b_-| on those with b_k < 0,
    1 on the zero ones), in the order (w_1..w_m, a_1..a_m). Equal to s * pi_b at every fixed point, but it splits the
    neurons with squared weights summing to b_+^2 != 1, so it changes f and does not commute with the flow."""
    b = np.asarray(b, dtype=float)
    bp = math.sqrt(float(np.sum(b[b > 0] ** 2)))
    bm = math.sqrt(float(np.sum(b[b < 0] ** 2)))
    a, W = pi_b(b, w_hat, a_hat)
    fac = np.where(b > 0, bp, np.where(b < 0, bm, 1.0))
    d = len(w_hat[0])
    return fac * a, fac[:, None] * W, np.concatenate([np.repeat(fac, d), fac])


def t0_eq14(X, a_h, W_h, lam):
    """t_0 = (1/(2 lambda)) ln(lambda Delta^ / (16 m ||theta^||_M^2)) (Eq. (14), l.3530-3546), Delta^ =
    min_{k, i} |<w^_k, x_i>| / ||theta^||_M, m = len(a_h). Returns (t_0, ||theta^||_M, Delta^)."""
    M = m_norm(a_h, W_h)
    Dh = float(np.min(np.abs(W_h @ X.T))) / M
    return math.log(lam * Dh / (16 * len(a_h) * M ** 2)) / (2 * lam), M, Dh


# --------------------------------------------------------------------------- KKT points (Definitions B.6-B.8)

#: residual below which a direction counts as KKT-margin (the SOCP solves to ~1e-8; a non-KKT direction has
#: residual >= 1e-2)
KKT_TOL = 1e-5
KKT, KKT_TOLERANCE, KKT_MUTANT = sp.symbols("kkt tol kkt_mut", nonnegative=True)
KKT_LATEX = {"kkt": r"\mathrm{res}_{KKT}(\theta/\|\theta\|)", "tol": r"\tau", "kkt_mut": r"\mathrm{res}_{KKT}"}


#: a looser solve of the KKT SOCP (Clarabel): the residuals of the two solves differ by the solver's inaccuracy
KKT_LOOSE_OPTS = {"tol_gap_abs": 1e-7, "tol_gap_rel": 1e-7, "tol_feas": 1e-7}


def kkt_residual_pair(X, y, a, W, alpha, **kw):
    """(residual, error): the relative KKT residual (numerics.convex.kkt_margin_residual: attained by exactly feasible
    multipliers) and its error, measured as the difference with a solve at looser solver tolerances (plus rounding)."""
    r = kkt_margin_residual(X, y, a, W, alpha, **kw)
    r2 = kkt_margin_residual(X, y, a, W, alpha, solver_opts=KKT_LOOSE_OPTS, **kw)
    if not math.isfinite(r.residual):
        return r, r.residual, 0.0
    return r, float(r.residual), abs(float(r.residual) - float(r2.residual)) + float(fp_bound(1.0, 4 * len(y)))


# --------------------------------------------------------------------------- error estimates and tolerances

EPS64 = float(np.finfo(float).eps)


def fp_bound(abs_terms, n_ops):
    """A priori float64 rounding bound of a sum / dot product / short formula: n_ops * eps * sum|terms| (Higham's
    gamma_n bound, first order), elementwise on arrays. Used for closed forms evaluated once in float64 whose
    cancellation makes "rounding" (4 ulp of the result) too optimistic."""
    return n_ops * EPS64 * np.asarray(abs_terms, dtype=float)


#: absolute part of the tolerance of an equality between normalised functions f(x) = f_theta(x)/||theta||^2 at test
#: points: 1e-6 of the largest value a unit-norm net can take, |f_theta(x)| <= sum_k |a_k| ||w_k|| ||x|| <=
#: ||theta||^2 ||x||/2 = ||x||/2 (||x|| <= 1): sup-norm scale (see FUNCTION_EQ_NOTE)
FUNCTION_EQ_ATOL = 5e-7
FUNCTION_EQ_NOTE = ("Tolerance: at every test point |f - target| + error <= 1e-6 max(|f|, |target|) + 5e-7, where "
                    "5e-7 = 1e-6 x 1/2, the largest value |f_theta(x)| <= ||theta||^2 ||x||/2 of a unit-norm net on "
                    "the unit ball: the default relative tolerance measured on the sup-norm scale of the function. A "
                    "purely pointwise relative tolerance would demand absolute accuracy 1e-6 |f(x)| at test points "
                    "near the decision boundary, where f(x) -> 0.")
#: absolute part of the tolerance of an equality between unit vectors (limit directions): 1e-6 of their norm
DIRECTION_EQ_ATOL = 1e-6
DIRECTION_EQ_NOTE = ("Tolerance: each component within 1e-6 relative plus 1e-6 absolute, i.e. 1e-6 of the norm of "
                     "the unit vector theta/||theta|| (a purely componentwise relative tolerance would demand "
                     "absolute accuracy 1e-6 |component| from components near 0).")

# --------------------------------------------------------------------------- statement symbols shared by parts

ALPHA = sp.Symbol("alpha", positive=True)
F_INF = sp.Symbol("f_inf", real=True)
LIN = sp.Symbol("lin", real=True)
G_INF, G_GLOB = sp.symbols("g_inf g_glob", positive=True)
P_HI, WIDTH = sp.symbols("p_hi m", positive=True)
#: names of a success-probability claim (Monte Carlo over the init, 99% Wilson interval)
PROBABILITY_LATEX = {"p_hi": r"\hat p_{\rm up}", "p_lo": r"\hat p_{\rm low}", "m": "m"}
PROBABILITY_DOC = {"p_hi": "upper end of the 99% Wilson interval of the flow's success fraction", "m": "width"}
