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
from numerics.flows import PolarState, balanced_gaussian_state, solve_flow
from numerics.geometry import D_plus_minus
from numerics.network import Model, gradient, init_balanced_gaussian, total_loss
from numerics.patterns import cover_bound
from theory.claims import Hypothesis, Instance
from theory.usersettings import read_settings

from .datasets import data_basis, ds_a, key_sets, level_thresholds, orthonormal_inputs, validate

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
    """(g, s) of Eq. (4) with the catalog's draw order (g carried into the data's own basis, ``params['basis']``, on a
    user's rotated data: :func:`.datasets.data_basis`)."""
    X, _ = inst.arrays()
    _, _, info = init_balanced_gaussian(int(inst.params["m"]), X.shape[1], 1.0, seed=int(inst.params["seed"]))
    return rotate_draw(info["g"], inst.params.get("basis")), info["s"]


def rotate_draw(g, basis):
    """The draw g (m x d, in the file's coordinates) in the data's own basis Q: g Q (``basis`` None: g)."""
    return g if basis is None else np.asarray(g, float) @ np.asarray(basis, float)


def init_state(m, d, log_lam, seed, basis=None, precision="float64"):
    """The balanced init (4) in polar form (numerics.flows.balanced_gaussian_state), its draw carried into the data's
    own basis Q when ``basis`` is given (w_j^0 = lambda g_j Q: the user's init, mapped with the data)."""
    st = balanced_gaussian_state(m, d, log_lam=log_lam, seed=seed, precision=precision)
    if basis is None:
        return st
    xp = st.xp
    g = rotate_draw(st.info["g"], basis)
    gx = xp.asarray(g)
    gn = xp.sqrt(np.sum(gx * gx, axis=1))
    half = xp.sqrt(xp.asarray([2.0]))[0]
    out = PolarState(st.r, np.concatenate([xp.asarray(st.info["s"])[:, None], gx / gn[:, None]], axis=1) / half, xp)
    out.info = {**st.info, "g": g}
    return out


def key_set_lists(X, y, g, s):
    """S_{+,1}, S_{-,1} of Eqs. (5)-(6) (:func:`.datasets.key_sets`), as lists of ints."""
    plus, minus = key_sets(np.asarray(X, float), np.asarray(y, float), g, s)
    return [int(j) for j in plus], [int(j) for j in minus]


# =========================================================================== hypotheses


def _validation(inst: Instance):
    """Assumptions 1-3 on the instance's data; Assumption 3 on its init draw (an instance with no width, a claim on the
    data alone, is validated without it)."""
    X, y = inst.arrays()
    g, s = init_draws(inst) if "m" in inst.params else (None, None)
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


def _init_eq4(inst):
    init = inst.params.get("init") or PAPER_INIT
    return (init == PAPER_INIT,
            f"init {init} (the paper: {PAPER_INIT}, Eq. (4): w_j^0 = lambda g_j, g_j ~ N(0, I_d), "
            "a_j^0 = s_j ||w_j^0||)")


#: the initialisation of Eq. (4), by its name among the user settings (numerics.datasets.USER_PARAMS)
PAPER_INIT = "balanced-gaussian"
H_INIT = Hypothesis("initialisation of Eq. (4) (balanced Gaussian)", _init_eq4, "§2.1, Eq. (4)")
H_FLOW = Hypothesis("gradient flow of Eq. (2)/(3) (square loss, ReLU)", _general_flow, "§2.1-2.2, Eq. (1)-(3)")
#: Assumption 1 alone, read off X (for instances that carry no init draw)
H_A1_ONLY = Hypothesis("Assumption 1 (orthonormal inputs)", _a1_only, "§2.1, l.161")

#: the paper-wide setting (Assumptions 1-3, r > 1, square loss and ReLU, the init (4)), and the same with eps admissible
SETTING = [H_A1, H_A2, H_A3, H_R, H_MODEL, H_INIT]
SETTING_EPS = SETTING + [H_EPS]

# =========================================================================== the user's data (earlyalign check --data)

#: what the settings of a user's file mean here (an instance lists those its claim does not use)
SETTING_ROLES = {"m": "width", "seed": "seed of the init draw (4)", "init": "init scheme",
                 "eps": "the paper's eps (App. B.2)", "T": "flow horizon (the claim's own: past t_3, or t_1)",
                 "lam10_grid": "lambda grid", "lam10": "lambda", "lam": "lambda"}
#: defaults on a user's dataset: the catalog's width and init seed of DS-A (m = 40, seed 0) and eps = 0.05 where it is
#: admissible on the data (else half the admissible eps_max of App. B.2, :func:`default_eps`)
USER_M, USER_SEED, USER_EPS = 40, 0, 0.05
#: seconds of one long run (:func:`long_run`) with m = 40 neurons on n = 4 points to the horizon T = 677 (DS-A,
#: lambda = 1e-32: 1.6 to 3.8 s, 150 steps and 43 events, depending on the load), and of one phase-1 flow to t_1 with
#: its 106 sample times; :func:`flow_cost` scales them by (m/40)^1.2 (n/4) (T/T_ref) (measured on n = 4, m = 30: 127,
#: 321, 1441 steps and 2.2, 5.0, 17 s to T = 430, 1614, 8136, lambda = 1e-32, 1e-150, 1e-800)
RUN_SECONDS = {"long": (3.0, 677.0), "phase1": (1.0, 25.0)}


def user_settings(ds, uses=(), **defaults) -> tuple[dict, list]:
    """The settings a claim runs with on a user's dataset ``ds`` (the conventions of boursier2024's ``user_settings``):
    for each key of ``uses`` the user's value from ``ds.params`` (validated by numerics.datasets.check_user_params),
    else ``defaults[key]``. Keys: ``m``, ``seed``, ``eps``, ``init`` (kept as the user names it: a scheme other than
    the paper's fails :data:`H_INIT`, named); ``grid`` (log10 lambda values: ``lam10_grid``, else the single ``lam10``
    or ``lam``); ``lam10`` (one lambda: ``lam10`` or ``lam``). Returns (settings, the keys of the user's params the
    claim does not use), the latter listed in the instance's settings and description, never silently dropped."""
    return read_settings(ds, uses, **defaults)


def default_eps(X, y) -> tuple[float, str]:
    """eps on a user's dataset when the file gives none: 0.05 (the catalog's) where it is admissible (:data:`H_EPS`:
    App. B.2's printed conditions and r eps < 1), else half the admissible eps_max (two significant digits). Returns
    (eps, how it was chosen)."""
    X, y = np.asarray(X, float), np.asarray(y, float)
    if _both_signs(y) is not None:
        return USER_EPS, f"eps = {USER_EPS:g} (default; App. B.2 undefined on labels of one sign)"
    dp, dm = D_plus_minus(X, y)
    r = float(np.linalg.norm(dp) / np.linalg.norm(dm))
    printed, _, emax, _ = eps_admissible(X, y, USER_EPS)
    if printed and r * USER_EPS < 1:
        return USER_EPS, f"eps = {USER_EPS:g} (default, admissible: eps_max = {emax:.4g}, App. B.2)"
    cap = min(emax, 1.0 / r) if r > 0 else emax
    if not cap > 0:
        return USER_EPS, f"eps = {USER_EPS:g} (default; no admissible eps on the data: eps_max = {emax:.4g})"
    eps = float(f"{0.5 * cap:.2g}")
    return eps, (f"eps = {eps:g} (default: half of eps_max = {cap:.4g} of App. B.2 and r eps < 1; {USER_EPS:g} is not "
                 "admissible on the data)")


def user_instance(ds, settings=None, not_used=(), label="", extra=None, description="", **kw) -> Instance:
    """An instance on the user's dataset (:meth:`Instance.from_dataset`: its data and model settings), with the claim's
    settings (:func:`user_settings`) and fixed method parameters ``extra`` in ``params``; the settings of the file the
    claim does not use in ``params['settings_not_used']`` and the description; the cost of its flows (the ``cost: ...``
    end of the description, :func:`flow_cost`) also in ``params['cost']``, so that the JSON shows it."""
    params = {**(settings or {}), **(extra or {})}
    if "cost: " in description:
        params["cost"] = description[description.index("cost: "):]
    if not_used:
        params["settings_not_used"] = [f"{k} ({SETTING_ROLES.get(k, k)})" for k in not_used]
        description += (("; " if description else "") + "settings of the file not used by this claim: "
                        + ", ".join(params["settings_not_used"]))
    Xc, Q = data_basis(ds.X)
    if Xc is not None:  # rotated orthonormal inputs: run in their own basis, the init draw carried along
        dev = float(np.max(np.abs(ds.X @ ds.X.T - np.eye(ds.n))))
        ds = ds.with_data(X=Xc)
        params["basis"] = Q.tolist()
        description += ("; run in the data's own orthonormal basis (x_k -> +-e_k, the init draw carried along, "
                        "w_j^0 = lambda g_j Q: the same flow, every inner product unchanged; max |X X^T - I| = "
                        f"{dev:.3g} on the file)")
    name = f"user data {ds.name}" + (f", {label}" if label else "")
    return Instance.from_dataset(ds, name=name, params=params, description=description, **kw)


def flow_cost(n, m, Ts, runs=2, kind="long") -> str:
    """What the flows of an instance will cost, said before they start: n, m, the horizons ``Ts`` (one run each at
    ``runs`` tolerances) and a wall-time estimate from :data:`RUN_SECONDS`."""
    sec, t_ref = RUN_SECONDS[kind]
    est = runs * sum(sec * (m / 40) ** 1.2 * (n / 4) * max(t / t_ref, 0.1) for t in Ts)
    return (f"cost: n = {n}, m = {m}, {len(Ts)} run(s) x {runs} tolerances, horizon T = "
            + ", ".join(f"{t:.4g}" for t in Ts) + f"; estimated ~{est:.0f} s on one core (--timeout bounds it)")


def data_eps(ds, uses, **defaults) -> tuple[dict, list, str]:
    """:func:`user_settings` with the defaults m = 40, seed 0, the paper's init (and ``defaults``), and eps from
    :func:`default_eps` when ``uses`` has it and the file gives none; returns (settings, not used, a note on eps)."""
    s, unused = user_settings(ds, uses, **{"m": USER_M, "seed": USER_SEED, "init": PAPER_INIT, **defaults})
    note = ""
    if "eps" in uses:
        if "eps" in s:
            note = f"eps = {float(s['eps']):g} (the file's)"
        else:
            s["eps"], note = default_eps(ds.X, ds.y)
    return s, unused, note


#: what the thresholds of :func:`level_thresholds` mean, in an instance's description
LEVEL_WHAT = {"t2": "the t_2 level is positive", "t3": "the t_3 level is positive",
              "l12": "Lemma 12's bound can hold (the t_3 level forces less than lambda^{eps/31})",
              "l4i": "Lemma 4 (i)'s gap lambda^{eps/14} is below ||D_-||"}


def data_long_instances(ds, levels=(), label="", grid=None, eps=True):
    """The long-run instance of a user's dataset (:func:`long_run`: Eq. (4) init, flow to (ln(1/lambda) + 25)/||D_-||
    at two tolerances): the file's ``m``, ``seed``, ``init``, ``eps`` (if the claim has one) and lambda grid (default
    ``grid`` or 1e-4 .. 1e-32), decided at the smallest lambda. ``levels`` ("t2", "t3", "l12"): the claim reads the
    state at t_2 / t_3, whose levels are positive (and, "l12", where Lemma 12's bound is not below what the t_3 level
    forces) only below a lambda computed from the data (:func:`level_thresholds`); a default grid is then extended to
    1.5 times the smallest such log10 lambda, so that the smallest lambda lies in the lemmas' regime (a user's grid is
    kept; its points outside the regime are INCONCLUSIVE)."""
    uses = ("m", "seed", "init", "grid") + (("eps",) if eps else ())
    s, unused, note = data_eps(ds, uses, grid=list(grid or LONG_FAST_GRID))
    g = s["grid"]
    user_grid = any(k in (ds.params or {}) for k in ("lam10_grid", "lam10", "lam"))
    thr = level_thresholds(ds.y, float(s.get("eps", USER_EPS))) if levels else {}
    if levels and not user_grid:
        lo = min(thr[k] for k in levels)
        if math.isfinite(lo) and lo < 0 and min(g) > 1.5 * lo:
            g = g + [float(math.floor(1.5 * lo))]
    s["grid"] = g
    dp, dm = D_plus_minus(np.asarray(ds.X, float), np.asarray(ds.y, float))
    nDm = float(np.linalg.norm(dm))
    Ts = [horizon(v, nDm) for v in g] if nDm > 0 else []
    desc = ("balanced init (4), flow to T = (ln(1/lambda) + 25)/||D_-|| (past t_3), rtol 1e-12 vs 1e-10"
            + (f"; {note}" if note else "")
            + "".join(f"; {LEVEL_WHAT[k]} below lambda = 10^{thr[k]:.4g}" for k in levels
                      if math.isfinite(thr[k]) and thr[k] < 0)
            + "; " + flow_cost(ds.n, int(s["m"]), Ts))
    lab = label or f"m = {s['m']}, seed {s['seed']}" + (f", eps = {float(s['eps']):g}" if "eps" in s else "")
    return [user_instance(ds, s, unused, lab, None, desc, grid=[{"lam10": v} for v in g], grid_param="lam10",
                          grid_symbol="λ", grid_log10=True, asymptotic="small")]


def data_limit_instances(ds, extra=None, what="", uses=("m", "seed", "init"), **kw):
    """An instance on a user's dataset for the claims that read theta* (DC-2: the amplitudes kappa_j of the lambda-free
    flow from the Eq. (4) draw, :func:`limit_objects`) and no lambda-flow: the file's ``m``, ``seed``, ``init``."""
    s, unused, note = data_eps(ds, uses)
    desc = (what or "theta* of DC-2 (kappa_j from the lambda-free flow of the draw)") + (f"; {note}" if note else "")
    dp, dm = D_plus_minus(np.asarray(ds.X, float), np.asarray(ds.y, float))
    nDm = float(np.linalg.norm(dm))
    if nDm > 0:
        desc += "; " + flow_cost(ds.n, int(s["m"]), [60.0 / nDm])
    return [user_instance(ds, s, unused, f"m = {s['m']}, seed {s['seed']}", extra, desc, **kw)]


def data_constant_instances(ds, extra=None, what="a function of the data alone (no init, no flow)", **kw):
    """One instance on a user's dataset for a claim on the data alone: every setting of the file is listed as not
    used."""
    _, unused = user_settings(ds)
    return [user_instance(ds, {}, unused, "", extra, what, **kw)]

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
    """The part of an instance's parameters the flow depends on (eps does not enter the flow; the data's own basis of a
    user's rotated data does, through the init draw)."""
    basis = {"basis": p["basis"]} if p.get("basis") is not None else {}
    return json.dumps({"X": p["X"], "y": p["y"], "m": int(p["m"]), "seed": int(p["seed"]), **basis}, sort_keys=True)


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
    # h = 0 to all float64 digits up to T needs lambda e^{||D_+|| T} << 1: -5000 for r < 66 (every built-in instance),
    # lower on a user's data with a larger r
    log_lam = -max(5000.0, 60.0 * nDp / nDm + 1000.0)
    T = 60.0 / nDm
    s0 = init_state(m, d, log_lam, int(q["seed"]), q.get("basis"))
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
    s0 = init_state(int(q["m"]), X.shape[1], lam10 * LN10, int(q["seed"]), q.get("basis"))
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
    out = {"delta2": d2, "delta3": d3, "t_m1": t_m1, "vacuous3": Um - d3 <= 0, "vacuous2": Up - d2 <= 0}
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


def outside_regime(P, levels) -> str:
    """Why a phase-time measurement is outside its lemma's regime ("" if it is not): the level of t_2 (Lemma 3 (ii),
    n||D_+|| - lambda^{eps/5}) or of t_3 (Lemma 4 (ii), n||D_-|| - lambda^{eps/29}) is <= 0 at this lambda, so the
    hitting time is the start of the window and says nothing of the lemma (the point's error is then infinite:
    INCONCLUSIVE, never a verdict)."""
    why = [f"the {k} level n||D_{sg}|| - lambda^(eps/{q}) is <= 0 at this lambda" for k, sg, q in
           (("t2", "+", 5), ("t3", "-", 29)) if k in levels and P.get(f"vacuous{k[1]}")]
    return "; ".join(why) + (" (outside the lemma's regime: smaller lambda needed)" if why else "")


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



#: the largest number of activation patterns the exact convex reformulation of :func:`prop1_values` enumerates on a
#: user's data (2^n for n orthonormal inputs: n <= 10; measured: n = 10, 1024 patterns, ~s) -- larger data are
#: NOT_APPLICABLE for the convex value (:data:`H_CVX_SIZE`), the convex value left out of Theorem 1's info
MAX_CVX_PATTERNS = 1024


def cvx_patterns(X) -> int:
    """Cover's bound on the activation patterns of X (= 2^n for n orthonormal inputs), the size of the enumeration."""
    X = np.asarray(X, float)
    return int(cover_bound(X.shape[0], int(np.linalg.matrix_rank(X))))


def _cvx_size(inst):
    X, _ = inst.arrays()
    P = cvx_patterns(X)
    return P <= MAX_CVX_PATTERNS, (f"{P} activation patterns to enumerate (n = {X.shape[0]}, rank "
                                   f"{np.linalg.matrix_rank(X)}; limit {MAX_CVX_PATTERNS} for the exact convex "
                                   "reformulation)")


H_CVX_SIZE = Hypothesis("data within the exact convex reformulation's limit", _cvx_size,
                        "numerics.convex.min_norm_interpolator (Pilanci & Ergen), not the paper")


@lru_cache(maxsize=8)
def prop1_values(core: str) -> dict:
    """min 1/2||theta||^2 s.t. L = 0: convex reformulation (numerics.convex.min_norm_interpolator, exact pattern
    enumeration) and Prop. 1's closed form n(||D_+|| + ||D_-||) = ||y_+|| + ||y_-|| (orthonormal inputs). Data
    beyond :data:`MAX_CVX_PATTERNS` raise ValueError (never a long enumeration)."""
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    if cvx_patterns(X) > MAX_CVX_PATTERNS:
        raise ValueError(f"{cvx_patterns(X)} activation patterns exceed the limit {MAX_CVX_PATTERNS} of the exact "
                         "convex reformulation")
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
