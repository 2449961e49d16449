"""boursier2022, the first phase (early alignment): Lemma 2 (i)-(iii) (§4.2, l.619-625) and its appendix form,
Lemma 7 (phase +1, at t_{+1}), Lemma 8 (iii) (phase -1, at t_{-1}), Lemma 9 (no collapse) and finding F-6
(Lemmas 7 (iii) / 8 (iii) print "= 0" for "<= 0").

Times (App. B.3, l.1080-1096, l.1542-1552): t_{+1} = -eps ln(lambda)/||D_+||, t_{-1} = -eps r ln(lambda)/||D_+||
= -eps ln(lambda)/||D_-|| (= Lemma 2's t_1). Lemma 8 (i)-(ii) are therefore Lemma 2 (iii)-(ii) at the same
time and are checked there (boursier2022.lemma2.iii / .ii); only 8 (iii) is new here.

One flow per (instance, lambda, precision) at two tolerances (rtol 1e-10 and 1e-12 in float64), in log-polar
coordinates (numerics.flows): the norms are carried as ln||w_j|| (exact far below float64 range) and the
directions bold w_j = w_j/||w_j|| are O(1). That flow (:func:`_phase1`) serves Lemmas 2, 7, 8 (iii) and 9.
"""
from __future__ import annotations

import json
import os
import time
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.flows import solve_flow
from numerics.flows.field import Field, Mode
from numerics.geometry import D_plus_minus
from numerics.network import Model
from theory.claims import Instance, Knob, Measurement, Mutant, NeedsPrecision
from theory.claimset import ClaimSet

from .common import (H_A1, H_A2, H_A3, H_EPS, H_INIT, H_MODEL, H_R, LN10, data_eps, ds_a_params, flow_cost,
                     generic_rotated_params, init_state, key_set_lists, rtols, two_tolerance_error, ulp, user_instance)
from .datasets import orthonormal_inputs
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_A1, H_A2, H_A3, H_R, H_EPS, H_MODEL, H_INIT],
                  share=f"{PAPER.key}.lemma2")

# =========================================================================== instances

FAST_GRID = [-4, -8, -16, -32, -64]
FULL_GRID = [-2, -4, -8, -16, -32, -64, -128, -192]


def lemma2_instances(tier):
    """DS-A with eps = 0.05 (catalog L2 recipe) and the generic orthonormal instance, over a lambda grid."""
    grid = [{"lam10": v} for v in (FAST_GRID if tier == "fast" else FULL_GRID)]
    kw = dict(grid=grid, grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small",
              description="balanced init (4), state at t_1 = -eps ln(lambda)/||D_-||")
    return [Instance("DS-A, eps = 0.05", ds_a_params(0.05), **kw),
            Instance("generic orthonormal (n=5, d=7), eps = 0.05", generic_rotated_params(0.05), **kw)]


def lemma2_data_instances(ds, sharp_gap=False):
    """The first phase on a user dataset (:class:`numerics.datasets.Dataset`): Lemmas 2, 7, 8 (iii), 9 and F-6, from
    the file's ``m`` (default 40), ``seed`` (0), ``init`` (the paper's Eq. (4); another fails the hypothesis, named),
    ``eps`` (default :func:`.common.default_eps`: 0.05 where admissible on the data) and lambda grid (``lam10_grid``,
    ``lam10`` or ``lam``; default 1e-4 .. 1e-64; with ``sharp_gap`` (Lemma 2 (i)) down to where lambda^{2 r eps} >=
    1e-9). The dataset's loss settings go into the instance, where the hypothesis "square loss with reduction mean"
    judges them (a sum reduction rescales time by n: the statement's t_1 and D_+- are those of the mean). The file's
    ``T`` is not used (the flow stops at t_1)."""
    s, unused, note = data_eps(ds, ("m", "seed", "init", "eps", "grid"), grid=FAST_GRID)
    grid = s["grid"]
    X, y = np.asarray(ds.X, float), np.asarray(ds.y, float)
    dp, dm = D_plus_minus(X, y)
    nDm = float(np.linalg.norm(dm))
    user_grid = any(k in (ds.params or {}) for k in ("lam10_grid", "lam10", "lam"))
    if sharp_gap and not user_grid and nDm > 0 and np.linalg.norm(dp) > 0:
        # Lemma 2 (i): the default grid stops where its sharp gap lambda^{2 r eps} (catalog L2) falls below 1e-9:
        # beyond, the gap is below what the float64 flows resolve (a few 1e-11) and its mutant (exponent 3 r eps) cannot
        # be rejected there; the other parts keep the whole grid (Lemma 7 (i)'s mutant needs the small lambdas)
        lo = -9.0 / (2 * float(np.linalg.norm(dp)) / nDm * float(s["eps"]))
        grid = [v for v in grid if v >= lo] or grid[:2]
        s["grid"] = grid
        note += f"; lambda grid down to 1e{min(grid):g} (lambda^(2 r eps) >= 1e-9)"
    Ts = [-float(s["eps"]) * v * LN10 / nDm for v in grid] if nDm > 0 else []
    desc = (f"balanced init (4), states at t_{{+1}} and t_1 = -eps ln(lambda)/||D_-||; {note}; "
            + flow_cost(ds.n, int(s["m"]), Ts, kind="phase1"))
    return [user_instance(ds, s, unused, f"m = {s['m']}, seed {s['seed']}, eps = {float(s['eps']):g}", None, desc,
                          grid=[{"lam10": v} for v in grid], grid_param="lam10", grid_symbol="λ", grid_log10=True,
                          asymptotic="small")]


def _appendix_kw(tier):
    grid = [{"lam10": v} for v in (FAST_GRID if tier == "fast" else FULL_GRID)]
    return dict(grid=grid, grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small",
                description="balanced init (4), states at t_{+1} = -eps ln(lambda)/||D_+|| and t_{-1} = t_1")


def _unrotated_generic(eps=0.05):
    """Generic orthonormal instance in the data basis (x_k = e_k in R^7, n = 5, random labels of both signs,
    seed 3, m = 60). Coordinates <w_j, x_k> are then state components, exactly 0 once they die (Lemma 6);
    in a rotated basis a dead coordinate is left at +-1e-15 by rounding, whose sign float64 cannot decide
    (the rotated instance makes Lemma 7 (iii) INCONCLUSIVE there, honestly, not HOLDS)."""
    ds = orthonormal_inputs(5, 7, seed=3, rotate=False)
    return {"dataset": "orthonormal(n=5, d=7, seed=3, data basis)", "X": ds.X.tolist(), "y": ds.y.tolist(),
            "m": 60, "seed": 3, "eps": eps, "gamma": 0.0, "loss": "square"}


def _coord_instances(tier):
    return [Instance("DS-A, eps = 0.05", ds_a_params(0.05), **_appendix_kw(tier)),
            Instance("generic orthonormal (n=5, d=7, data basis), eps = 0.05", _unrotated_generic(0.05),
                     **_appendix_kw(tier))]


# =========================================================================== the phase-1 flow

N_TIME = 25  # uniform sample times on [0, t_1] (Lemma 9's minima over time); plus t_{+1}
N_EARLY, EARLY_T = 81, 8.0  # plus a fixed grid of 81 times on [0, 8] (the lambda-free early window)
#: mpmath flows at rtol 10^-(dps-5) make about dps/3 times the field evaluations of the float64 flows at rtol
#: 1e-10, 1e-12 (deeper extrapolation, longer event polishing): measured 7938 vs 834 evaluations (9.5x) over the
#: first two steps and two events on DS-A, lambda = 1e-8, at 30 digits (numerics.flows, 2026-12)
MP_NFEV_PER_DIGIT = 1.0 / 3.0
RHS_PROBE_S = 0.2  # seconds spent timing field evaluations at the requested precision


def _mp_budget() -> float:
    return float(os.environ.get("EARLYALIGN_MP_BUDGET_S", "900"))


def _rhs_seconds(params_json: str, lam10: float, precision) -> float:
    """Seconds per evaluation of the flow's field at ``precision`` on this instance's initial state (median of
    repeated evaluations after a warm-up, timed now: the cost of mpmath arithmetic on this machine)."""
    p = json.loads(params_json)
    X, y = np.asarray(p["X"], dtype=float), np.asarray(p["y"], dtype=float)
    s0 = init_state(int(p["m"]), X.shape[1], lam10 * LN10, int(p["seed"]), p.get("basis"), precision=precision)
    model = Model(X, y)
    Xp, yp = model.data(s0.xp)
    side = np.where(np.asarray(s0.V[:, 1:] @ Xp.T) > 0, 1, -1).astype(int)
    field = Field(model, Mode(side, model, Xp, s0.xp, "filippov"), Xp, yp, s0.xp)
    Y = s0.to_vector()
    field(Y)  # warm-up (mpmath caches)
    times = []
    t_start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - t_start < RHS_PROBE_S and len(times) < 50):
        t0 = time.perf_counter()
        field(Y)
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def mp_cost_estimate(params_json: str, lam10: float, precision) -> tuple[float, str]:
    """Estimated seconds of the two mpmath flows of :func:`_phase1_run` at ``precision`` digits, and how it was
    obtained: the field evaluations of the same two flows in float64 (the memoised float64 run counts them) times
    ``MP_NFEV_PER_DIGIT * precision`` times the seconds per field evaluation at ``precision``, timed now on this
    instance (:func:`_rhs_seconds`). Nothing here reads a memoised wall time."""
    f64 = _phase1_run(params_json, lam10, "float64")
    nfev = sum(int(r["nfev"]) for r in f64["runs"])
    factor = MP_NFEV_PER_DIGIT * int(precision)
    rhs = _rhs_seconds(params_json, lam10, int(precision))
    est = nfev * factor * rhs
    return est, (f"{nfev} field evaluations of the float64 flows x {factor:.0f} (mpmath at {int(precision)} digits) "
                 f"x {rhs * 1e3:.3g} ms per mpmath evaluation, timed now")


def _phase1(params_json: str, lam10: float, precision) -> dict:
    """:func:`_phase1_run`, refusing (NeedsPrecision) an mpmath run whose estimated cost (:func:`mp_cost_estimate`)
    is above the budget ``$EARLYALIGN_MP_BUDGET_S`` (default 900 s)."""
    if precision not in (None, "float64") and (params_json, lam10, precision) not in _MP_DONE:
        est, how = mp_cost_estimate(params_json, lam10, precision)
        if est > _mp_budget():
            raise NeedsPrecision(f"mpmath flow at {precision} digits estimated at ~{est:.0f} s ({how}), above the "
                                 f"budget of {_mp_budget():g} s (set EARLYALIGN_MP_BUDGET_S to allow it)")
    out = _phase1_run(params_json, lam10, precision)
    if precision not in (None, "float64"):
        _MP_DONE.add((params_json, lam10, precision))
    return out


_MP_DONE: set = set()  # mpmath runs already computed (memoised by _phase1_run): no second estimate


@lru_cache(maxsize=64)
def _phase1_run(params_json: str, lam10: float, precision) -> dict:
    """Integrate the balanced flow (Eq. (4) init, log-polar, numerics.flows) to t_1 = -eps ln(lambda)/||D_-||
    at two tolerances; return the Lemma 2 quantities of both runs (shared by parts (i)-(iii)) and the
    appendix-form quantities of Lemmas 7-9 (state at t_{+1} = -eps ln(lambda)/||D_+||, coordinates
    <bold w_j, x_k> on opposite-sign labels, min over sampled times of ||w_j^t||/lambda), so that one flow
    serves all of them."""
    p = json.loads(params_json)
    X, y = np.asarray(p["X"], dtype=float), np.asarray(p["y"], dtype=float)
    m, d, eps = int(p["m"]), X.shape[1], float(p["eps"])
    model = Model(X, y)
    prec = precision or "float64"
    log_lam = lam10 * LN10
    dp, dm = D_plus_minus(X, y)
    out = {"runs": []}
    neg, pos = np.flatnonzero(y < 0), np.flatnonzero(y > 0)
    for rtol in rtols(precision):
        s0 = init_state(m, d, log_lam, int(p["seed"]), p.get("basis"), precision=prec)
        xp = s0.xp
        Dp, Dm = xp.asarray(dp), xp.asarray(dm)
        nDp, nDm = xp.sqrt(np.sum(Dp * Dp)), xp.sqrt(np.sum(Dm * Dm))
        t1 = -xp.scalar(eps) * xp.scalar(log_lam) / nDm
        tp = -xp.scalar(eps) * xp.scalar(log_lam) / nDp
        # samples: t_{+1} (Lemma 7) and a uniform grid on [0, t_1] (Lemma 9 minima over time)
        # the early O(1) window is lambda-free (directions align on an O(1) time scale), so it gets its own
        # fixed grid: a norm dip there (Lemma 9) would fall between coarse samples at small lambda
        early = [xp.scalar(EARLY_T * k / (N_EARLY - 1)) for k in range(1, N_EARLY)]
        te = sorted(set([tp] + [t1 * k / (N_TIME - 1) for k in range(N_TIME - 1)] + [v for v in early if v < t1]),
                    key=float)
        ip = [float(v) for v in te].index(float(tp))
        tr = solve_flow(model, s0, t1, precision=prec, rtol=rtol, t_eval=te)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        st = tr.final
        U = st.u()
        # alignment gaps along the trajectory nodes (for plots only)
        g, s = s0.info["g"], s0.info["s"]
        plus, minus = key_set_lists(X, y, g, s)
        ser_t, ser_p, ser_m, ser_n = [], [], [], []
        for tt, stt in zip(tr.t, tr.states):
            Ut = stt.u()
            ser_t.append(float(tt))
            ser_p.append(float(nDp - min(Ut[j] @ Dp for j in plus)) if plus else float("nan"))
            ser_m.append(float(nDm - min(-(Ut[j] @ Dm) for j in minus)) if minus else float("nan"))
            ser_n.append(float(max(stt.log_norm_w())) / LN10)
        # Lemmas 7-9 (App. B.3): state at t_{+1}; min over sampled t of ln||w_j^t|| - ln(lambda)
        Sp = tr.sampled[ip]
        Up = Sp.u()
        lnw = [list(sm.log_norm_w()) for sm in tr.sampled] + [list(st.log_norm_w())]
        out["runs"].append({
            "A": [U[j] @ Dp for j in plus], "B": [-(U[j] @ Dm) for j in minus],
            "log_nw": list(st.log_norm_w()), "nDp": nDp, "nDm": nDm, "t1": t1, "nsteps": tr.nsteps, "nfev": tr.nfev,
            "events": len(tr.events), "rtol": float(rtol),
            "series": {"t": ser_t, "gap_plus": ser_p, "gap_minus": ser_m, "log10_max_norm": ser_n},
            "deaths": [(float(e.t), int(e.j), int(e.k)) for e in tr.events if e.kind in ("slide_enter", "deactivate")],
            "tp": tp, "log_nw_tp": list(Sp.log_norm_w()), "A_tp": [Up[j] @ Dp for j in plus],
            "z_plus": [(Up[j] @ xp.asarray(X[k]), (j, int(k))) for j in plus for k in neg],
            "z_minus": [(U[j] @ xp.asarray(X[k]), (j, int(k))) for j in minus for k in pos],
            "U_tp": Up, "U_t1": U,
            "rho_plus": [min(row[j] for row in lnw[: ip + 1]) - log_lam for j in plus],
            "rho_minus": [min(row[j] for row in lnw) - log_lam for j in minus],
            "sample_t": [float(v) for v in te] + [float(t1)],
            "sample_min_plus": [float(min(row[j] for j in plus) - log_lam) / LN10 if plus else None for row in lnw],
            "sample_min_minus": [float(min(row[j] for j in minus) - log_lam) / LN10 if minus else None
                                 for row in lnw]})
    out.update(plus=plus, minus=minus, c=float(np.max(np.linalg.norm(g, axis=1))),
               c_low=float(np.min(np.linalg.norm(g, axis=1))), g_norm=[float(v) for v in np.linalg.norm(g, axis=1)],
               r=float(np.linalg.norm(dp) / np.linalg.norm(dm)), eps=eps, log_lam=log_lam)
    return out


def _phase1_state(inst, point, precision):
    """The shared phase-1 flow at one grid point: (result, loose run, tight run, lambda as mpf)."""
    # the flow's memo key: the params without what only describes the instance (a user's grid, cost, unused settings)
    key = {k: v for k, v in inst.params.items() if k not in ("grid", "cost", "settings_not_used")}
    res = _phase1(json.dumps(key, sort_keys=True), float(point["lam10"]), precision)
    loose, tight = res["runs"]
    lam = mpmath.exp(mpmath.mpf(res["log_lam"]))
    return res, loose, tight, lam


# =========================================================================== Lemma 2 (i)-(iii)


def _lemma2_info(res, tight):
    return {"rtol": [r["rtol"] for r in res["runs"]], "t1": float(tight["t1"]), "nsteps": tight["nsteps"],
            "events": tight["events"], "S_plus": res["plus"], "S_minus": res["minus"], "c": res["c"],
            "r": res["r"]}


def _series(tight, key, label, bound, bound_label, logy=True):
    s = tight["series"]
    return {"alignment": {"x": s["t"], "y": {label: s[key]}, "xlabel": "t", "ylabel": label, "logy": logy,
                          "hline": {bound_label: float(bound)}, "vline": {"t_1": float(tight["t1"])}}}


def _l2i_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (i): A_j = <bold w_j^{t_1}, D_+> for j in S_{+,1}, with ||D_+||, lambda, eps."""
    res, loose, tight, lam = _phase1_state(inst, point, precision)
    u = ulp(precision)
    A = tight["A"]
    errA = [two_tolerance_error(a, b, tight, precision) for a, b in zip(tight["A"], loose["A"])]
    bound = 2 * lam ** res["eps"] * mpmath.mpf(tight["nDp"])
    return Measurement(
        values={"A": A, "Dp": tight["nDp"], "lam": lam, "eps": mpmath.mpf(res["eps"]), "r": res["r"]},
        errors={"A": errA, "Dp": 4 * u * float(tight["nDp"]), "lam": 0, "eps": 0, "r": 8 * u * res["r"]},
        coords={"j": res["plus"], "t": float(tight["t1"])}, precision=precision or "float64",
        info=_lemma2_info(res, tight),
        series=_series(tight, "gap_plus", "||D_+|| - min_{S+,1} <w_j, D_+>", bound, "2 lambda^eps ||D_+||"))


def _l2ii_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (ii): B_j = <bold w_j^{t_1}, -D_-> for j in S_{-,1}, with ||D_-||, lambda, eps."""
    res, loose, tight, lam = _phase1_state(inst, point, precision)
    u = ulp(precision)
    errB = [two_tolerance_error(a, b, tight, precision) for a, b in zip(tight["B"], loose["B"])]
    bound = 2 * lam ** res["eps"] * mpmath.mpf(tight["nDm"])
    return Measurement(
        values={"B": tight["B"], "Dm": tight["nDm"], "lam": lam, "eps": mpmath.mpf(res["eps"])},
        errors={"B": errB, "Dm": 4 * u * float(tight["nDm"]), "lam": 0, "eps": 0},
        coords={"j": res["minus"], "t": float(tight["t1"])}, precision=precision or "float64",
        info=_lemma2_info(res, tight),
        series=_series(tight, "gap_minus", "||D_-|| - min_{S-,1} <w_j, -D_->", bound, "2 lambda^eps ||D_-||"))


def _l2iii_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (iii): ||w_j^{t_1}|| for every j (from ln||w_j||, exact far below float64), with c, r, lambda, eps."""
    res, loose, tight, lam = _phase1_state(inst, point, precision)
    u = ulp(precision)
    nw, err = [], []
    for lt, ll in zip(tight["log_nw"], loose["log_nw"]):
        v = mpmath.exp(mpmath.mpf(lt))
        nw.append(v)
        # ln||w|| carries an absolute error: |tight - loose| + rtol (steps + 1) (the engine's absolute
        # tolerance on r_j) + ulp |ln||w|||; exp turns it into a relative error of ||w||
        rt, steps = tight["rtol"], tight["nsteps"] + tight["events"]
        err.append(v * (abs(mpmath.mpf(lt) - mpmath.mpf(ll)) + rt * (steps + 1) + 8 * u * abs(mpmath.mpf(lt))))
    c, r = res["c"], res["r"]
    bound = 2 * c * lam ** (1 - r * res["eps"])
    s = tight["series"]
    return Measurement(
        values={"nw": nw, "c": c, "r": r, "lam": lam, "eps": mpmath.mpf(res["eps"])},
        errors={"nw": err, "c": 4 * u * c, "r": 8 * u * r, "lam": 0, "eps": 0},
        coords={"j": list(range(len(nw))), "t": float(tight["t1"])}, precision=precision or "float64",
        info=_lemma2_info(res, tight),
        series={"norm": {"x": s["t"], "y": {"log10 max_j ||w_j||": s["log10_max_norm"]}, "xlabel": "t",
                         "ylabel": "log10 max_j ||w_j^t||", "logy": False,
                         "hline": {"log10 2c lambda^(1-r eps)": float(mpmath.log10(bound))},
                         "vline": {"t_1": float(tight["t1"])}}})


A_PLUS, B_MINUS, NORM_W, LAM, EPS = sp.symbols("A B nw lam eps", positive=True)
D_PLUS, D_MINUS, C_MAX, R_RATIO = sp.symbols("Dp Dm c r", positive=True)
KNOB_K, KNOB_P = sp.symbols("K_c p", positive=True)
LEMMA2_NAMES = {"A": r"\langle \mathbf{w}_j^{t_1}, D_+\rangle", "B": r"\langle \mathbf{w}_j^{t_1}, -D_-\rangle",
                "nw": r"\|w_j^{t_1}\|", "lam": r"\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|",
                "Dm": r"\|D_-\|", "c": "c", "r": "r", "K_c": "K", "p": "p"}
LEMMA2_DOC = {"lam": "initialisation scale lambda", "eps": "the constant epsilon (App. B.2)",
              "Dp": "||D_+||", "Dm": "||D_-||", "c": "max_j ||w_j^0||/lambda", "r": "||D_+||/||D_-||"}
LEMMA2_WHERE = "§4.2, l.619-625 (appendix: Lemmas 7-8, l.1080, l.1542)"
def _lemma2i_data_instances(ds):
    """Lemma 2 (i) on a user's dataset: :func:`lemma2_data_instances` with the default grid stopped where the sharp gap
    resolves (``sharp_gap=True``)."""
    return lemma2_data_instances(ds, sharp_gap=True)


LEMMA2_COMMON = dict(latex_names=LEMMA2_NAMES, instances=lemma2_instances, data_instances=lemma2_data_instances,
                     result="lemma2", catalog_ref="L2")

LEMMA2_I = claims.add(
    "lemma2.i", "Lemma 2 (i)", LEMMA2_WHERE, "flow-inequality",
    **{**LEMMA2_COMMON, "data_instances": _lemma2i_data_instances},
    statement=sp.Ge(A_PLUS, (1 - 2 * LAM ** EPS) * D_PLUS),
    symbols_doc={"A": "<bold w_j^{t_1}, D_+> for j in S_{+,1}", **LEMMA2_DOC},
    quantifier="for all j in S_{+,1}, at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in S_{+,1},\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2i_measure,
    provides=("r",),
    display=("gap ||D_+|| - <w_j, D_+>", D_PLUS - A_PLUS, "allowed 2 lambda^eps ||D_+||", 2 * LAM ** EPS * D_PLUS),
    mutant=Mutant(sp.Ge(A_PLUS, (1 - 2 * LAM ** (3 * R_RATIO * EPS)) * D_PLUS),
                  "exponent 3 r eps instead of eps (the sharp gap exponent is 2 r eps, catalog L2)"),
    knobs=[Knob("constant K in 1 - K lambda^eps", KNOB_K, sp.Ge(A_PLUS, (1 - KNOB_K * LAM ** EPS) * D_PLUS), 2.0),
           Knob("exponent p in 1 - 2 lambda^(p eps)", KNOB_P,
                sp.Ge(A_PLUS, (1 - 2 * LAM ** (KNOB_P * EPS)) * D_PLUS), 1.0)])

LEMMA2_II = claims.add(
    "lemma2.ii", "Lemma 2 (ii)", LEMMA2_WHERE, "flow-inequality",
    statement=sp.Ge(B_MINUS, (1 - 2 * LAM ** EPS) * D_MINUS),
    symbols_doc={"B": "<bold w_j^{t_1}, -D_-> for j in S_{-,1}", **LEMMA2_DOC},
    quantifier="for all j in S_{-,1}, at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in S_{-,1},\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2ii_measure,
    display=("gap ||D_-|| - <w_j, -D_->", D_MINUS - B_MINUS, "allowed 2 lambda^eps ||D_-||",
             2 * LAM ** EPS * D_MINUS),
    mutant=Mutant(sp.Ge(B_MINUS, (1 - 2 * LAM ** (3 * EPS)) * D_MINUS),
                  "2 lambda^(3 eps) instead of 2 lambda^eps (catalog L2 mutation; sharp exponent 2 eps)"),
    knobs=[Knob("constant K in 1 - K lambda^eps", KNOB_K, sp.Ge(B_MINUS, (1 - KNOB_K * LAM ** EPS) * D_MINUS), 2.0),
           Knob("exponent p in 1 - 2 lambda^(p eps)", KNOB_P,
                sp.Ge(B_MINUS, (1 - 2 * LAM ** (KNOB_P * EPS)) * D_MINUS), 1.0)],
    **LEMMA2_COMMON)

LEMMA2_III = claims.add(
    "lemma2.iii", "Lemma 2 (iii)", LEMMA2_WHERE, "flow-inequality",
    statement=sp.Le(NORM_W, 2 * C_MAX * LAM ** (1 - R_RATIO * EPS)),
    symbols_doc={"nw": "||w_j^{t_1}|| for every neuron j", **LEMMA2_DOC},
    quantifier="for all j in [m], at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in [m],\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2iii_measure,
    display=("||w_j^{t_1}||", NORM_W, "2 c lambda^(1 - r eps)", 2 * C_MAX * LAM ** (1 - R_RATIO * EPS)),
    mutant=Mutant(sp.Le(NORM_W, 2 * C_MAX * LAM ** (1 - R_RATIO * EPS / 2)),
                  "2 c lambda^(1 - r eps/2) (catalog L2 mutation; the norms scale like lambda^(1 - r eps))"),
    knobs=[Knob("constant K in K c lambda^(1 - r eps)", KNOB_K,
                sp.Le(NORM_W, KNOB_K * C_MAX * LAM ** (1 - R_RATIO * EPS)), 2.0),
           Knob("exponent p in 2 c lambda^(1 - p r eps)", KNOB_P,
                sp.Le(NORM_W, 2 * C_MAX * LAM ** (1 - KNOB_P * R_RATIO * EPS)), 1.0)],
    **LEMMA2_COMMON)

# =========================================================================== Lemmas 7-9 (appendix form)


def _error(vt, vl, ti, precision, floor=0.0):
    u = ulp(precision)
    return (abs(vt - vl) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1) * abs(vt) + 4 * u * abs(vt)
            + floor)


def _appendix_info(P, ti):
    return {"t_+1": float(ti["tp"]), "t_-1 (= t_1)": float(ti["t1"]), "rtol": [r["rtol"] for r in P["runs"]],
            "nsteps": ti["nsteps"], "events": ti["events"], "S_plus": P["plus"], "S_minus": P["minus"],
            "c": P["c"], "c_low": P["c_low"], "r": P["r"]}


RHO, C_LOW, RHO0 = sp.symbols("rho c_low rho0", positive=True)
Z_REAL = sp.Symbol("z", real=True)
APPENDIX_NAMES = {"nw": r"\|w_j^{t_{+1}}\|", "A": r"\langle \mathbf{w}_j^{t_{+1}}, D_+\rangle", "c": "c",
                  "lam": r"\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|", "z": r"\langle w_j, x_k\rangle",
                  "rho": r"\min_{t}\|w_j^t\|/\lambda", "c_low": r"\underline{c}", "rho0": r"\|w_j^0\|/\lambda"}
APPENDIX_COMMON = dict(latex_names=APPENDIX_NAMES, result="lemma2", data_instances=lemma2_data_instances)


def _l7i_measure(inst, point, precision) -> Measurement:
    """Lemma 7 (i): ||w_j^{t_{+1}}|| for every j, from ln||w_j|| (log-polar state)."""
    P, lo, ti, lam = _phase1_state(inst, point, precision)
    u = ulp(precision)
    nw, err = [], []
    for a, b in zip(ti["log_nw_tp"], lo["log_nw_tp"]):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        v = mpmath.exp(a)
        nw.append(v)
        err.append(v * (abs(a - b) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1) + 8 * u * abs(a)))
    return Measurement(values={"nw": nw, "c": P["c"], "lam": lam, "eps": mpmath.mpf(P["eps"])},
                       errors={"nw": err, "c": 4 * u * P["c"], "lam": 0, "eps": 0},
                       coords={"j": list(range(len(nw))), "t": float(ti["tp"])}, precision=precision or "float64",
                       info=_appendix_info(P, ti))


claims.add(
    "lemma7.i", "Lemma 7 (i)", "App. B.3, l.1080-1096", "flow-inequality", catalog_ref="L7 (i)",
    instances=lemma2_instances,
    statement=sp.Le(NORM_W, 2 * C_MAX * LAM ** (1 - EPS)),
    symbols_doc={"nw": "||w_j^{t_{+1}}||, every j", "c": "max_j ||g_j|| (w_j^0 = lambda g_j)", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j in [m], at t_{+1} = -eps ln(lambda)/||D_+||, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in[m],\ t_{+1} = -\varepsilon\ln(\lambda)/\|D_+\|",
    measure=_l7i_measure,
    display=("max ||w_j^{t_{+1}}||", NORM_W, "2c lambda^(1-eps)", 2 * C_MAX * LAM ** (1 - EPS)),
    mutant=Mutant(sp.Le(NORM_W, 2 * C_MAX * LAM ** (1 - EPS / 2)),
                  "2c lambda^(1 - eps/2): the S_{+,1} norms grow like lambda^(1-eps) by t_{+1}"),
    **APPENDIX_COMMON)


def _l7ii_measure(inst, point, precision) -> Measurement:
    """Lemma 7 (ii): <bold w_j^{t_{+1}}, D_+> for j in S_{+,1}."""
    P, lo, ti, lam = _phase1_state(inst, point, precision)
    return Measurement(values={"A": ti["A_tp"], "Dp": ti["nDp"], "lam": lam, "eps": mpmath.mpf(P["eps"])},
                       errors={"A": [_error(a, b, ti, precision) for a, b in zip(ti["A_tp"], lo["A_tp"])],
                               "Dp": 4 * ulp(precision) * float(ti["nDp"]), "lam": 0, "eps": 0},
                       coords={"j": P["plus"], "t": float(ti["tp"])}, precision=precision or "float64",
                       info=_appendix_info(P, ti))


claims.add(
    "lemma7.ii", "Lemma 7 (ii)", "App. B.3, l.1080-1096", "flow-inequality", catalog_ref="L7 (ii)",
    instances=lemma2_instances,
    statement=sp.Ge(A_PLUS, (1 - 2 * LAM ** EPS) * D_PLUS),
    symbols_doc={"A": "<bold w_j^{t_{+1}}, D_+> for j in S_{+,1}", "Dp": "||D_+||", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j in S_{+,1}, at t_{+1}, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{+,1},\ t = t_{+1}",
    measure=_l7ii_measure,
    display=("gap ||D_+|| - <w_j, D_+>", D_PLUS - A_PLUS, "2 lambda^eps ||D_+||", 2 * LAM ** EPS * D_PLUS),
    mutant=Mutant(sp.Ge(A_PLUS, (1 - 2 * LAM ** (3 * EPS)) * D_PLUS),
                  "2 lambda^(3 eps) instead of 2 lambda^eps (the gap at t_{+1} decays like lambda^(2 eps))"),
    **APPENDIX_COMMON)


# --------------------------------------------------------------------------- Lemmas 7 (iii), 8 (iii): "<= 0"


def _death_time(run, j, k, t_sample):
    """Time of the last located death event (the pair (j, k) reaching <w_j, x_k> = 0, kind slide_enter or
    deactivate) of ``run`` at or before ``t_sample``, or None."""
    ts = [t for t, jj, kk in run["deaths"] if jj == j and kk == k and t <= t_sample]
    return max(ts) if ts else None


def _coord_measure(side):
    def measure(inst, point, precision) -> Measurement:
        P, lo, ti, lam = _phase1_state(inst, point, precision)
        if not ti[f"z_{side}"]:
            raise ValueError(f"no (j, k) pair: S_{{{'+' if side == 'plus' else '-'},1}} or the opposite labels empty")
        X, _ = inst.arrays()
        U = np.abs(np.asarray(ti["U_tp" if side == "plus" else "U_t1"], float))
        t_s = float(ti["tp"] if side == "plus" else ti["t1"])
        z = [v for v, _ in ti[f"z_{side}"]]
        zl = [v for v, _ in lo[f"z_{side}"]]
        jk = [p for _, p in ti[f"z_{side}"]]
        # rounding bound of the d-term dot product, gamma_d sum_i |u_i x_ki| (exactly 0 when x_k = e_k)
        d = X.shape[1]
        fl = [(d + 2) * ulp(precision) * float(U[j] @ np.abs(X[k])) for j, k in jk]
        err, projected, unconfirmed = [], [], []
        for v, vl, f, (j, k) in zip(z, zl, fl, jk):
            if v == 0 and vl == 0:
                # an exact zero is the engine's projection onto <w_j, x_k> = 0 at a located death event (sliding,
                # Filippov); the exact flow has the same exact zero after the death time (Eq. (11): the coordinate's
                # velocity vanishes at 0). It is exact iff both runs located the event before the sampling time,
                # by more than the two runs disagree on it; otherwise nothing is known (infinite error).
                td, tdl = _death_time(ti, j, k, t_s), _death_time(lo, j, k, t_s)
                if td is not None and tdl is not None and t_s - max(td, tdl) > abs(td - tdl):
                    err.append(0.0)
                    projected.append([j, k, td, abs(td - tdl)])
                else:
                    err.append(float("inf"))
                    unconfirmed.append([j, k])
            else:
                err.append(_error(v, vl, ti, precision, f))
        return Measurement(values={"z": z}, errors={"z": err},
                           coords={"j": [p[0] for p in jk], "k": [p[1] for p in jk], "t": t_s},
                           precision=precision or "float64",
                           info={**_appendix_info(P, ti), "exact_zeros": int(sum(v == 0 for v in z)),
                                 "negative": int(sum(v < 0 for v in z)), "positive": int(sum(v > 0 for v in z)),
                                 "exact_zeros_by_projection (j, k, death time, |tight - loose|)": projected,
                                 "zeros_without_a_located_death_event": unconfirmed,
                                 "note": "the exact zeros are the engine's projection onto <w_j, x_k> = 0 at the "
                                         "located death event (error 0 when the event precedes the sampling time "
                                         "by more than the two tolerances disagree on it, else infinite)"})
    measure.__doc__ = (f"<bold w_j, x_k> at t_{{{'+1' if side == 'plus' else '-1'}}} for j in "
                       f"S_{{{'+' if side == 'plus' else '-'},1}} and k with y_k {'<' if side == 'plus' else '>'} 0; "
                       "error: two tolerances + the d-term dot-product rounding bound (0 for x_k = e_k); an exact "
                       "zero (the engine's projection at a located death event) has error 0 only if both runs "
                       "located the event before the sampling time.")
    return measure


COORD_NOTE = ("Printed '= 0'; the proofs' first lines (l.1097, l.1554) only give that coordinates which reach 0 "
              "stay 0 (Lemma 6) while initially negative ones stay negative, so '<= 0' is checked (catalog F-6; the "
              "printed '= 0' is boursier2022.finding.F6). It holds from a threshold lambda down: before the last "
              "death time the coordinate is still positive (catalog DC-1 death times). The verdict at the largest "
              "coordinates rests on EXACT ZEROS produced by the flow engine's projection onto <w_j, x_k> = 0 at the "
              "located death event (Filippov sliding; the exact flow also stays exactly at 0, Eq. (11)): they count "
              "as exact (error 0) only where both tolerance runs located that event before the sampling time by more "
              "than they disagree on it (listed per grid point in info); an unconfirmed zero has an infinite error. "
              "The strict mutant '< 0' is rejected on those exact zeros.")


def _coord_claim(lemma, side, where):
    """Lemma 7 (iii) (side "plus": S_{+,1}, y_k < 0, at t_{+1}) or Lemma 8 (iii) (side "minus": S_{-,1}, y_k > 0,
    at t_{-1}), read '<= 0' (F-6)."""
    S, sgn, t = ("S_{+,1}", "<", "t_{+1}") if side == "plus" else ("S_{-,1}", ">", "t_{-1}")
    return claims.add(
        f"lemma{lemma}.iii", f"Lemma {lemma} (iii) (read '<= 0', F-6)", where, "flow-inequality",
        catalog_ref=f"L{lemma} (iii), F-6", instances=_coord_instances,
        statement=sp.Le(Z_REAL, 0), symbols_doc={"z": f"<bold w_j^{{{t}}}, x_k>, j in {S}, y_k {sgn} 0"},
        quantifier=f"for all j in {S} and k with y_k {sgn} 0, at {t}, for lambda <= lambda*",
        quantifier_latex=rf"\forall j\in {S},\ \forall k: y_k{sgn}0,\ t = {t}",
        measure=_coord_measure(side), display=("<w_j, x_k>", Z_REAL, "0", sp.Integer(0)),
        mutant=Mutant(sp.Lt(Z_REAL, 0),
                      f"'< 0' strictly (catalog L{lemma} mutation): coordinates that died are exactly 0"),
        notes=COORD_NOTE, **APPENDIX_COMMON)


_coord_claim(7, "plus", "App. B.3, l.1089-1091")
_coord_claim(8, "minus", "App. B.3, l.1550-1552")

claims.add(
    "finding.F6", "Finding F-6: Lemma 7 (iii) as printed ('= 0')",
    "App. B.3, l.1089-1091 (and Lemma 8 (iii), l.1550-1552)", "flow-inequality", catalog_ref="F-6",
    instances=_coord_instances,  # the instances of Lemma 7 (iii): same flows, same worker group
    statement=sp.Eq(Z_REAL, 0),
    symbols_doc={"z": "<bold w_j^{t_{+1}}, x_k>, j in S_{+,1}, y_k < 0"},
    quantifier="for all j in S_{+,1} and k with y_k < 0, at t_{+1}",
    quantifier_latex=r"\forall j\in S_{+,1},\ \forall k: y_k<0",
    measure=_coord_measure("plus"),
    display=("<w_j, x_k>", Z_REAL, "0", sp.Integer(0)),
    mutant=Mutant(sp.Ge(Z_REAL, 0), "'>= 0' (coordinates on negative labels non-negative)"),
    control=Mutant(sp.Le(Z_REAL, 0), "'<= 0' (catalog F-6 correction, = boursier2022.lemma7.iii): coordinates that "
                                     "reach 0 stay 0, initially negative ones stay negative"),
    tags=("finding",),
    notes="The printed equality fails: an S_{+,1} neuron whose initial coordinate on a negative-label input is "
          "negative keeps it negative (the flow never moves an inactive coordinate, Eq. (11)); the witness is "
          "the most negative one. The corrected '<= 0' is boursier2022.lemma7.iii.", **APPENDIX_COMMON)

# --------------------------------------------------------------------------- Lemma 9 (no collapse)


def _l9_measure(side):
    def measure(inst, point, precision) -> Measurement:
        P, lo, ti, lam = _phase1_state(inst, point, precision)
        u = ulp(precision)
        key = f"rho_{side}"
        js = P["plus"] if side == "plus" else P["minus"]
        if not js:
            raise ValueError("S_{+-,1} empty")
        rho = [mpmath.exp(mpmath.mpf(v)) for v in ti[key]]
        err = [r * (abs(mpmath.mpf(a) - mpmath.mpf(b)) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1)
                    + 8 * u * abs(mpmath.mpf(P["log_lam"])))
               for r, a, b in zip(rho, ti[key], lo[key])]
        ser = {"min_norm": {"x": ti["sample_t"], "y": {"log10 min_j ||w_j^t||/lambda": ti[f"sample_min_{side}"]},
                            "xlabel": "t",
                            "ylabel": "log10 min ||w_j^t||/lambda", "logy": False,
                            "hline": {"log10 c_low lambda^eps / 2": float(mpmath.log10(P["c_low"] * lam ** (
                                P["eps"] * (1 if side == "plus" else P["r"])) / 2))}}}
        return Measurement(values={"rho": rho, "c_low": P["c_low"], "lam": lam, "eps": mpmath.mpf(P["eps"]),
                                   "r": P["r"], "rho0": [P["g_norm"][j] for j in js]},
                           errors={"rho": err, "c_low": 4 * u * P["c_low"], "lam": 0, "eps": 0, "r": 8 * u * P["r"],
                                   "rho0": "rounding"},
                           coords={"j": js}, precision=precision or "float64", info=_appendix_info(P, ti),
                           series=ser)
    measure.__doc__ = (f"Lemma 9 ({'i' if side == 'plus' else 'ii'}): min over the sampled t <= "
                       f"t_{{{'+1' if side == 'plus' else '-1'}}} ({N_TIME} times on [0, t_1]) of ||w_j^t||/lambda "
                       f"for j in S_{{{'+' if side == 'plus' else '-'},1}}.")
    return measure


LEMMA9_NOTE = ("c_low = min_j ||g_j|| (printed 'c', catalog reads an underlined c). The minimum over time is taken "
               f"on {N_TIME} sample times plus {N_EARLY - 1} on [0, {EARLY_T:g}]; the S_{{+-,1}} norms barely dip "
               "before they grow (catalog: 1.129 c_low on DS-A, the initial value). Mutant: the catalog's "
               "'> 2 c_low lambda' is rejected by the initial norms alone (the minimum includes t = 0, and "
               "1.129 < 2 there), with no dynamics; it is replaced by 'no dip at all' (||w_j^t|| >= ||w_j^0||), "
               "rejected on the generic instance where the S_{+-,1} norms dip by 3% (0.1% for S_{-,1}) before "
               "growing.")
LEMMA9_MUTANT = ("no dip at all: ||w_j^t|| >= ||w_j^0|| for t <= t_{+-1} (the constant c_low lambda^{eps}/2 "
                 "replaced by each neuron's initial norm)")
LEMMA9_COMMON = dict(latex_names=APPENDIX_NAMES, result="lemma9", instances=lemma2_instances, notes=LEMMA9_NOTE,
                     data_instances=lemma2_data_instances)

claims.add(
    "lemma9.i", "Lemma 9 (i) (no collapse of S_{+,1})", "App. B.3, l.1795-1800", "flow-inequality",
    catalog_ref="L9 (i)",
    statement=sp.Gt(RHO, C_LOW * LAM ** EPS / 2),
    symbols_doc={"rho": "min_{t <= t_{+1}} ||w_j^t||/lambda, j in S_{+,1}", "c_low": "min_j ||g_j||",
                 "lam": "lambda", "eps": "epsilon"},
    quantifier="for all t <= t_{+1} and j in S_{+,1}",
    quantifier_latex=r"\forall t\leq t_{+1},\ \forall j\in S_{+,1}",
    measure=_l9_measure("plus"), provides=("r", "rho0"),
    display=("min_t ||w_j^t||/lambda", RHO, "c_low lambda^eps / 2", C_LOW * LAM ** EPS / 2),
    mutant=Mutant(sp.Ge(RHO, RHO0), LEMMA9_MUTANT),
    **LEMMA9_COMMON)

claims.add(
    "lemma9.ii", "Lemma 9 (ii) (no collapse of S_{-,1})", "App. B.3, l.1795-1800", "flow-inequality",
    catalog_ref="L9 (ii)",
    statement=sp.Gt(RHO, C_LOW * LAM ** (R_RATIO * EPS) / 2),
    symbols_doc={"rho": "min_{t <= t_{-1}} ||w_j^t||/lambda, j in S_{-,1}", "c_low": "min_j ||g_j||",
                 "lam": "lambda", "eps": "epsilon", "r": "||D_+||/||D_-||"},
    quantifier="for all t <= t_{-1} and j in S_{-,1}",
    quantifier_latex=r"\forall t\leq t_{-1},\ \forall j\in S_{-,1}",
    measure=_l9_measure("minus"), provides=("rho0",),
    display=("min_t ||w_j^t||/lambda", RHO, "c_low lambda^(r eps) / 2", C_LOW * LAM ** (R_RATIO * EPS) / 2),
    mutant=Mutant(sp.Ge(RHO, RHO0), LEMMA9_MUTANT),
    **LEMMA9_COMMON)
