"""boursier2024, the early alignment phase [0, tau]: Theorem 1 (i) (output weights barely move), Theorem 1 (ii)
(alignment rate and its printed alternatives), Lemma 13 (patterns frozen after entering an extremal cone),
Lemma 15 (direction of the positive neurons) and Theorem 3 (ii) (Condition-2 neurons align, saddles allowed).

The rate claims run on the "G-flow" (:func:`gflow`): the flow at lambda = e^{-5000}, where h_theta = 0 in float64,
i.e. the lambda -> 0 limit of the direction dynamics on [0, tau]."""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.flows import solve_flow
from numerics.geometry import D_min_norm, D_u, cone_constants, sign_pattern
from numerics.network import Model
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (EPSILON, FLOW_SETTING, FLOW_SHARE, HYP_ASSUMPTION1, HYP_ASSUMPTION4, HYP_GENERIC_DATA,
                     HYP_INIT_EQ4, HYP_RELU_SQUARE, LN10, RTOL_LOOSE, RTOL_TIGHT, THEOREM1_SETTING, branch_state,
                     data_flow_instances, data_gflow_instances, ds_params, eps_of, flow_cost, flow_instances, flow_params,
                     init_state, invariant_errors, lambda_at, phases, phases_at, run_at, run_key, user_instance,
                     user_settings)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64,
                  hypotheses=[HYP_RELU_SQUARE] + THEOREM1_SETTING + FLOW_SETTING)
GFLOW_SHARE = f"{KEY}.gflow"
LAMBDA, EPSILON_SYMBOL = sp.symbols("lam eps", positive=True)

# =========================================================================== Theorem 1 (i)


def _ratios_on_tau(R, ph):
    """max and min over the nodes of [0, tau] and tau itself of r_j(t) = |a_j^t|/|a_j^0|, per neuron."""
    sel = R["t"] <= ph["tau"]
    r = np.abs(R["a"][sel]) / np.abs(R["a0"])
    a_tau = np.abs(np.asarray(ph["tau_a"])) / np.abs(R["a0"])
    return np.maximum(r.max(0), a_tau), np.minimum(r.min(0), a_tau)


def _theorem1_i_measure(inst, point, precision) -> Measurement:
    """r_j(t) = |a_j^t|/|a_j^0| on [0, tau], tau = eps ln(1/lambda)/D_max (eps = 1/4): the max (upper bound) and the
    min (lower bound) per neuron over the integrator's nodes and tau (a_j is monotone on [0, tau], Lemma 4's proof:
    the extremes are at the ends), at both tolerances: error estimate |tight - loose| + 4 ulp. lambda and eps exact."""
    R, Rl = run_at(inst, point), run_at(inst, point, RTOL_LOOSE)
    ph, phl = phases_at(inst, point), phases(run_key(inst.params), float(point["lam10"]), RTOL_LOOSE)
    rmax, rmin = _ratios_on_tau(R, ph)
    lmax, lmin = _ratios_on_tau(Rl, phl)
    ulp = 4 * np.finfo(float).eps
    sel = R["t"] <= ph["tau"]
    w_over_a = float(np.max(np.linalg.norm(R["W"][sel], axis=2) / np.abs(R["a"][sel])))
    eps = eps_of(inst.params)
    return Measurement(values={"r_max": rmax.tolist(), "r_min": rmin.tolist(), "lam": lambda_at(point),
                               "eps": mpmath.mpf(eps)},
                       errors={"r_max": (np.abs(rmax - lmax) + ulp * rmax).tolist(),
                               "r_min": (np.abs(rmin - lmin) + ulp * rmin).tolist()}, exact=("lam", "eps"),
                       coords={"j": list(range(len(rmax)))},
                       info={"tau": ph["tau"], "max_r": float(rmax.max()), "min_r": float(rmin.min()),
                             "max_w_over_a_on_[0,tau]": w_over_a,
                             "sum_a2_tau_vs_lam^(2-4eps)": [float(np.sum(np.asarray(ph["tau_a"]) ** 2)),
                                                            float(10.0 ** (point["lam10"] * (2 - 4 * eps)))]})


RATIO_MAX, RATIO_MIN = sp.symbols("r_max r_min", positive=True)
THEOREM1_LATEX = {"r_max": r"\max_{t\leq\tau}|a_j^t|/|a_j^0|", "r_min": r"\min_{t\leq\tau}|a_j^t|/|a_j^0|",
                  "lam": r"\lambda", "eps": r"\varepsilon"}
claims.add(
    "theorem1.i", "Theorem 1 (i): |a_j^t| <= |a_j^0| lambda^{-2 eps} on [0, tau]", "§3, l.159-163 (proof D.3)",
    "flow-inequality", catalog_ref="E10, F4, F31", result="theorem1",
    statement=sp.Le(RATIO_MAX, LAMBDA ** (-2 * EPSILON_SYMBOL)), measure=_theorem1_i_measure,
    mutant=Mutant(sp.Le(RATIO_MAX, LAMBDA ** (-EPSILON_SYMBOL / 2)),
                  "lambda^{-eps/2} (catalog E10 mutation; the growth is ~lambda^{-eps})"),
    latex_names=THEOREM1_LATEX, provides=("r_min",),
    symbols_doc={"r_max": "max over [0, tau] of |a_j^t|/|a_j^0|", "r_min": "min over [0, tau]", "lam": "lambda",
                 "eps": "epsilon = 1/4"},
    quantifier="for all j and t in [0, tau], lambda small", instances=flow_instances, share=FLOW_SHARE,
    data_instances=data_flow_instances, display=("max_j |a_j^tau|/|a_j^0|", RATIO_MAX, "lambda^{-2 eps}", LAMBDA ** (-2 * EPSILON_SYMBOL)),
    notes="Measured growth ~ lambda^{-eps}: the exponent 2 eps is loose by a factor 2 (F4); the 'output weights "
          "do not change' reading allows lambda^{+-2 eps} factors (F31).")
claims.add(
    "theorem1.i.lower", "Theorem 1 (i): |a_j^t| >= |a_j^0| lambda^{2 eps} on [0, tau]", "§3, l.159-163",
    "flow-inequality", catalog_ref="E10", result="theorem1",
    statement=sp.Ge(RATIO_MIN, LAMBDA ** (2 * EPSILON_SYMBOL)), measure=_theorem1_i_measure,
    mutant=Mutant(sp.Ge(RATIO_MIN, 1), "no output weight decreases before tau (negative neurons do)"),
    latex_names=THEOREM1_LATEX, provides=("r_max",),
    symbols_doc={"r_min": "min over [0, tau] of |a_j^t|/|a_j^0|", "r_max": "max", "lam": "lambda",
                 "eps": "eps = 1/4"},
    quantifier="for all j and t in [0, tau], lambda small", instances=flow_instances, share=FLOW_SHARE,
    data_instances=data_flow_instances)

# =========================================================================== Theorem 1 (ii): G-flow rates

LOG_LAMBDA_GFLOW = -5000.0  # lambda = e^{-5000}: h = O(lambda^2) vanishes to every float64 digit; tau ~ 1e3 >> T_G


@lru_cache(maxsize=16)
def gflow(core: str, T: float, nsamp: int = 61, rtol: float = RTOL_TIGHT):
    """The lambda -> 0 limit of the direction dynamics on [0, tau] (the 'G-flow' of catalog E11 A): the flow at
    lambda = e^{-5000}, where h_theta = 0 in float64, sampled at nsamp times of [0, T]. Per sample and neuron:
    gap_j = ||D(w_j,0)|| - <bold w_j, D(w_j,0)>, computed stably as ||D|| ((1 - ||bold w||) + ||bold w|| (1 - cos))
    with 1 - cos = 1/2 ||s_j w^_j - D^||^2 and 1 - ||bold w|| from the invariant B_j = a_j^2 - ||w_j||^2 (Lemma 1,
    exact at init), and the direction deviation max_k |<D^* - bold w_j, x_k>| (Lemma 15)."""
    q = json.loads(core)
    X, y = np.asarray(q["X"], float), np.asarray(q["y"], float)
    m = int(q["m"])
    s0 = init_state(X, m, int(q["seed"]), q["init"], LOG_LAMBDA_GFLOW)
    B0 = s0.V[:, 0] ** 2 - np.sum(s0.V[:, 1:] ** 2, axis=1)  # relative invariant at init: B_j e^{-2 r_j(0)}
    r0 = np.asarray(s0.r, float)
    times = np.linspace(0.0, T, nsamp)
    tr = solve_flow(Model(X, y), s0, T, rtol=rtol, t_eval=times)
    if tr.status != 0:
        raise RuntimeError(f"G-flow: {tr.message}")
    Ds = (y @ X) / len(y)
    Dsh = Ds / np.linalg.norm(Ds)
    gap = np.zeros((nsamp, m))
    dev = np.zeros((nsamp, m))
    nD = np.zeros((nsamp, m))
    pats = np.zeros((nsamp, m, len(y)), dtype=int)
    for i, st in enumerate(tr.sampled):
        V = np.asarray(st.V, float)
        r = np.asarray(st.r, float)
        va, vw = V[:, 0], V[:, 1:]
        nvw = np.linalg.norm(vw, axis=1)
        what = vw / np.where(nvw > 0, nvw, 1.0)[:, None]  # w_j = 0 exactly (Condition 1 (2)): D(0,0) = 0
        sgn = np.sign(va)
        # 1 - ||bold w|| = (va^2 - |vw|^2)/(|va| (|va| + |vw|)), va^2 - |vw|^2 = B0 e^{-2 (r - r0)}
        om = B0 * np.exp(-2 * (r - r0)) / (np.abs(va) * (np.abs(va) + nvw))
        for j in range(m):
            if nvw[j] == 0:
                continue
            D = D_min_norm(what[j], X, y, tol=1e-9).D
            n_ = np.linalg.norm(D)
            nD[i, j] = n_
            pats[i, j] = np.sign(np.round(X @ what[j], 12)).astype(int)
            if n_ == 0:
                continue
            one_m_cos = 0.5 * float(np.sum((sgn[j] * what[j] - D / n_) ** 2))
            gap[i, j] = n_ * (om[j] + (1 - om[j]) * one_m_cos)
            bw = (1 - om[j]) * sgn[j] * what[j]
            dev[i, j] = float(np.max(np.abs(X @ (Dsh - bw))))
    a0 = np.asarray(s0.V[:, 0])
    return {"t": times, "gap": gap, "dev": dev, "nD": nD, "pats": pats, "a0": a0, "X": X, "y": y,
            "events": len(tr.events), "nsteps": tr.nsteps}


def _fit_rate(t, v, lo=1e-12, hi=1e-4, min_pts=5):
    """Decay rate -d/dt ln v fitted on the last contiguous stretch of v inside (lo, hi), with its window."""
    ok = (v > lo) & (v < hi)
    if ok.sum() < min_pts:
        return None, None
    # the last contiguous run inside the window (the asymptotic regime)
    idx = np.flatnonzero(ok)
    brk = np.flatnonzero(np.diff(idx) > 1)
    idx = idx[brk[-1] + 1:] if brk.size else idx
    if len(idx) < min_pts:
        return None, None
    c = np.polyfit(t[idx], np.log(v[idx]), 1)
    res = np.log(v[idx]) - np.polyval(c, t[idx])
    return -float(c[0]), (float(t[idx[0]]), float(t[idx[-1]]), float(np.max(np.abs(res))))


def _gflow_instances(tier):
    return [Instance("DS-G, init (3)-(5) sphere-sign, m = 40, seed 0, lambda -> 0 (e^-5000)",
                     {**flow_params("DS-G"), "T": 30.0}, description="G-flow (lambda-free limit on [0, tau])"),
            Instance("DS-2N (three maxima of G), balanced init, m = 40, seed 0, lambda -> 0",
                     {**flow_params("DS-2N", init="balanced"), "T": 40.0}, description="G-flow"),
            Instance("DS-S6 (§6 data), balanced init (B.1), m = 40, seed 0, lambda -> 0",
                     {**flow_params("DS-S6", init="balanced"), "T": 30.0}, description="G-flow")]


def _aligned_rates(G, neurons):
    """{j: (rate, ||D||, window)} for the given neurons that end aligned with an extremal vector (gap < 1e-10 at T),
    the decay rate of gap_j(t) fitted on its last stretch inside (1e-12, 1e-4)."""
    out = {}
    for j in neurons:
        if G["gap"][-1, j] >= 1e-10 or G["nD"][-1, j] == 0:
            continue
        rt, w = _fit_rate(G["t"], G["gap"][:, j])
        if rt is not None:
            out[int(j)] = (rt, float(G["nD"][-1, j]), w)
    return out


def _rates_measurement(p, neurons_of, extra=None) -> Measurement:
    """The fitted alignment rates of :func:`_aligned_rates` on the G-flow at both tolerances: error estimate of a
    rate |rate(tight) - rate(loose)| + the fit's largest log-residual over its window length (a non-exponential
    stretch shows there), of ||D|| |tight - loose| + 4 ulp; neurons fitted at one tolerance only are dropped."""
    core = run_key(p)
    G, Gl = gflow(core, float(p["T"])), gflow(core, float(p["T"]), 61, RTOL_LOOSE)
    A, Al = _aligned_rates(G, neurons_of(G)), _aligned_rates(Gl, neurons_of(Gl))
    js = sorted(set(A) & set(Al))
    if not js:
        raise RuntimeError("no positive neuron aligned within the horizon")
    rates = [A[j][0] for j in js]
    nds = [A[j][1] for j in js]
    win = [A[j][2] for j in js]
    err = [abs(A[j][0] - Al[j][0]) + A[j][2][2] / max(A[j][2][1] - A[j][2][0], 1e-9) for j in js]
    enD = [abs(A[j][1] - Al[j][1]) + 4 * np.finfo(float).eps * A[j][1] for j in js]
    values, errors = {"rate": rates, "nD": nds}, {"rate": err, "nD": enD}
    if extra:
        values.update(extra[0])
        errors.update(extra[1])
    return Measurement(values=values, errors=errors,
                       coords={"j": js, "window": [f"[{w[0]:.2f}, {w[1]:.2f}]" for w in win]},
                       info={"n_positive": int(np.sum(G["a0"] > 0)), "n_fitted": len(js),
                             "rate_over_nD": [r / n for r, n in zip(rates, nds)], "events": G["events"],
                             "distinct_limits_nD": sorted(set(round(v, 6) for v in nds))})


def _theorem1_ii_measure(inst, point, precision) -> Measurement:
    """Per positive neuron that ends aligned with an extremal vector (gap < 1e-10 at T): the decay rate of
    gap_j(t) fitted on its last stretch inside (1e-12, 1e-4) (the claim's lambda^{eps||D||/D_max} at
    tau = eps ln(1/lambda)/D_max is a decay rate ||D|| in t), and ||D(w_j, 0)|| (:func:`_rates_measurement`)."""
    return _rates_measurement(inst.params, lambda G: np.flatnonzero(G["a0"] > 0))


RATE, NORM_D = sp.symbols("rate nD", positive=True)
claims.add(
    "theorem1.ii.rate", "Theorem 1 (ii): <D, w_j^tau/a_j^tau> >= ||D|| - O(lambda^{eps ||D||/D_max}) (rate form)",
    "§3, l.165-171 (proof D.7); Theorem 3 (ii)", "asymptotic", catalog_ref="E11 (A), E40, F4", result="theorem1",
    statement=sp.Ge(RATE, NORM_D), measure=_theorem1_ii_measure,
    mutant=Mutant(sp.Ge(RATE, 3 * NORM_D), "rate 3||D|| (catalog E11 mutation; the sharp rate is 2||D||, so a 2x "
                                           "mutant would pass, F4)"),
    latex_names={"rate": r"-\frac{d}{dt}\ln(\|D\|-\langle\mathbf{w}_j,D\rangle)", "nD": r"\|D(w_j^\tau,0)\|"},
    symbols_doc={"rate": "fitted decay rate of the alignment gap of neuron j (G-flow)",
                 "nD": "||D(w_j, 0)|| at the end"},
    quantifier="for every positive neuron aligned with an extremal vector", instances=_gflow_instances,
    share=GFLOW_SHARE, data_instances=data_gflow_instances,
    hypotheses=[HYP_RELU_SQUARE] + THEOREM1_SETTING + [HYP_INIT_EQ4],
    notes="Measured rate = 2||D|| (catalog 1.45435 = 2||D*|| on DS-G; 1.044, 1.432, 1.077 for DS-2N's three "
          "maxima): the exponent is valid but loose by 2 (tanh x >= 1 - e^{-x} used where 1 - tanh x <= 2e^{-2x}).")

# =========================================================================== Lemma 15 (rate form)


def _deviation_rates(G, act, p):
    rates = {}
    for j in np.flatnonzero((G["a0"] > 0) & act):
        rt, w = _fit_rate(G["t"], G["dev"][:, j], lo=1e-7, hi=1e-2)
        if rt is not None:
            rates[int(j)] = (rt, w)
    return rates


def _lemma15_measure(inst, point, precision) -> Measurement:
    """Lemma 15 in rate form: max_k |<D^* - bold w_i, x_k>| for i in I (G-flow) decays at rate ||D*|| (the stated
    O(lambda^{eps/2}) at tau is a rate D_max/2 = ||D*||/2 under Assumption 4). Error estimate of a rate: |tight -
    loose| + the fit's largest log-residual over its window; ||D*|| a closed form ('rounding')."""
    p = inst.params
    core = run_key(p)
    G, Gl = gflow(core, float(p["T"])), gflow(core, float(p["T"]), 61, RTOL_LOOSE)
    X = G["X"]
    act = np.any(np.asarray(init_state(X, int(p["m"]), int(p["seed"]), p["init"], 0.0).V)[:, 1:] @ X.T > 0, axis=1)
    A, Al = _deviation_rates(G, act, p), _deviation_rates(Gl, act, p)
    js = sorted(set(A) & set(Al))
    nDs = float(np.linalg.norm((G["y"] @ X) / len(G["y"])))
    return Measurement(values={"rate15": [A[j][0] for j in js], "nDs": nDs},
                       errors={"rate15": [abs(A[j][0] - Al[j][0]) + A[j][1][2] / max(A[j][1][1] - A[j][1][0], 1e-9)
                                          for j in js], "nDs": "rounding"}, coords={"i": js})


DEVIATION_RATE = sp.Symbol("rate15", positive=True)
NORM_D_STAR = sp.Symbol("nDs", real=True)
claims.add(
    "lemma15", "Lemma 15: <bold w_i^tau, x_k> >= <D^*, x_k> - O(lambda^{eps/2}) (rate form)", "App. F.2, l.1420-1436",
    "asymptotic", catalog_ref="E44, F4", result="lemma15", statement=sp.Ge(DEVIATION_RATE, NORM_D_STAR / 2),
    measure=_lemma15_measure,
    mutant=Mutant(sp.Ge(DEVIATION_RATE, 2 * NORM_D_STAR), "rate 2||D*|| (catalog E44 mutation)"),
    latex_names={"rate15": r"-\frac{d}{dt}\ln\max_k|\langle\hat D^*-\mathbf{w}_i,x_k\rangle|", "nDs": r"\|D^*\|"},
    symbols_doc={"rate15": "fitted decay rate of the direction deviation of i in I (G-flow)", "nDs": "||D*||"},
    quantifier="for all i in I", hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION4, HYP_INIT_EQ4], share=GFLOW_SHARE,
    data_instances=data_gflow_instances,
    instances=lambda tier: _gflow_instances(tier)[:1] + [
        Instance("DS-P(0.1), balanced init (B.1), m = 40, seed 0, lambda -> 0 (e^-5000)",
                 {**flow_params("DS-P(0.1)", init="balanced"), "T": 30.0}, description="G-flow")],
    notes="Measured rate ||D*|| (deviation ~ sqrt(gap)): lambda^{eps} vs the stated lambda^{eps/2} (F4).")

# =========================================================================== Theorem 1 (ii): the printed alternatives


def _branch_instances(tier):
    base = {"m": 1, "angle_deg": 40.0, "log_lam": -50.0, "eps": EPSILON}
    return [Instance("DS-2N y = (1,1), balanced a < 0 neuron at 40 deg", {**ds_params("DS-2N"), **base, "s": -1}),
            Instance("DS-2N y = (-1,-1), balanced a > 0 neuron at 40 deg", {**ds_params("DS-2N(-)"), **base, "s": 1})]


#: alpha0 of the branch claim's Condition 1, and lambda = e^-200 on a user's data (the O-terms of Theorem 1 (ii),
#: lambda^{eps ||D||/D_max} = e^{-50 ||D||/D_max} at eps = 1/4, are then below the tolerance 1e-6 down to ||D|| = 0.28 D_max)
BRANCH_ALPHA0, BRANCH_LOG_LAMBDA = 0.1, -200.0


def _branch_data_instances(ds):
    """Theorem 1 (ii)'s alternatives on the user's data: every neuron of the file's init (3)-(5) (default sphere-sign,
    m = 40, seed 0) that satisfies Condition 1 with alpha0 = 0.1, flowed to tau = eps ln(1/lambda)/D_max at
    lambda = e^-200 (or the file's lambda; eps the file's, default 1/4)."""
    s, unused = user_settings(ds, ("m", "seed", "init", "eps", "lam10"), m=40, seed=0, init="sphere-sign",
                              eps=EPSILON, lam10=0.0)
    lam10 = s.pop("lam10")
    log_lam = lam10 * LN10 if ({"lam", "lam10"} & set(ds.params or {})) else BRANCH_LOG_LAMBDA
    desc = (f"every Condition-1 neuron (alpha0 = {BRANCH_ALPHA0:g}) flowed to tau = eps ln(1/lambda)/D_max, lambda = "
            f"e^{log_lam:.4g}; " + flow_cost(ds.n, int(s["m"]), [-eps_of(s) * log_lam / max(  # D_max >= ||D*||
                float(np.linalg.norm(ds.y @ ds.X)) / ds.n, 1e-12)]))
    return [user_instance(ds, s, unused, f"init {s['init']}, m = {s['m']}, seed {s['seed']}, lambda = e^{log_lam:.4g}",
                          {"log_lam": log_lam}, desc)]


def _condition1_neurons(X, y, a, W):
    """The neurons j with D(w_j^0, 0) != 0 satisfying Condition 1 (1) with alpha0 = BRANCH_ALPHA0:
    <D(w_j^0, 0), w_j^0/a_j^0>/||D|| > -sqrt(1 - alpha0^2) (l.148)."""
    out = []
    for j in range(len(a)):
        D = D_min_norm(W[j] / np.linalg.norm(W[j]), X, y).D
        nD = float(np.linalg.norm(D))
        if nD > 0 and float(D @ W[j] / a[j]) / nD > -math.sqrt(1 - BRANCH_ALPHA0 ** 2):
            out.append(j)
    return out


def _condition1(inst):
    p = inst.params
    X, y = inst.arrays()
    if "angle_deg" not in p:  # a user's data: the neurons of the init draw
        st = init_state(X, int(p["m"]), int(p["seed"]), p["init"], 0.0)
        sel = _condition1_neurons(X, y, st.info["a0"], st.info["W0"])
        return bool(sel), (f"{len(sel)} of {p['m']} neurons satisfy Condition 1 (1) with alpha0 = {BRANCH_ALPHA0:g} "
                           "(and D(w^0, 0) != 0): the claim is judged on them")
    th = math.radians(float(p["angle_deg"]))
    w = np.array([math.cos(th), math.sin(th)])
    D = D_min_norm(w, X, y).D
    q = float(D @ (w * float(p["s"])) / np.linalg.norm(D))
    return q > -math.sqrt(1 - 0.1 ** 2), f"<D(w^0,0), w^0/a^0>/||D|| = {q:.4g} > -sqrt(1 - 0.1^2) (alpha0 = 0.1)"


def _branch_residuals(inst, rtol):
    p = inst.params
    X, y = inst.arrays()
    tau = -float(p["eps"]) * float(p["log_lam"]) / cone_constants(X, y).D_max
    tr = solve_flow(inst.model(), branch_state(p), tau, rtol=rtol)
    if tr.status != 0:
        raise RuntimeError(tr.message)
    st = tr.final
    w = np.asarray(st.u(), float)[0]
    s = float(np.sign(np.asarray(st.V, float)[0, 0]))
    D = D_min_norm(w, X, y, tol=1e-9).D
    c = float(w @ D / np.linalg.norm(D))
    aln, anti, corr = 1 - s * c, 1 + c, 1 + s * c
    return {"br": min(aln, anti), "aln": aln, "brc": min(aln, corr)}, (tr, st, w, s, D, c, tau)


#: ||w_j|| / ||(a_j, w_j)|| below which a neuron's w has collapsed to 0 (a dominated neuron reaches w = 0 in finite
#: time; the engine keeps integrating its direction, which is then round-off noise, not a direction to align)
COLLAPSE_RATIO = 1e-12


def _branch_data_residuals(inst, rtol):
    """The residuals of :func:`_branch_residuals` for every Condition-1 neuron of a user's init whose D(w^tau, 0) != 0
    (D = 0: the alternative 'D is 0' holds trivially, counted in info) and whose w has not collapsed to 0 by tau
    (||w_j|| <= COLLAPSE_RATIO ||(a_j, w_j)||: the direction w_j/||w_j|| the theorem speaks of no longer exists;
    listed under 'collapsed' and counted in info)."""
    p = inst.params
    X, y = inst.arrays()
    tau = -eps_of(p) * float(p["log_lam"]) / cone_constants(X, y).D_max
    s0 = init_state(X, int(p["m"]), int(p["seed"]), p["init"], float(p["log_lam"]))
    sel = _condition1_neurons(X, y, s0.info["a0"], s0.info["W0"])
    tr = solve_flow(inst.model(), s0, tau, rtol=rtol)
    if tr.status != 0:
        raise RuntimeError(tr.message)
    U, sg = np.asarray(tr.final.u(), float), np.sign(np.asarray(tr.final.V, float)[:, 0])
    a_t, W_t = np.asarray(tr.final.a(), float), np.asarray(tr.final.W(), float)
    wn = np.linalg.norm(W_t, axis=1)
    collapsed = wn <= COLLAPSE_RATIO * np.hypot(a_t, wn)   # w_j reached 0 in finite time: no direction to align
    rows = {}
    for j in sel:
        if collapsed[j]:
            rows.setdefault("collapsed", []).append(int(j))
            continue
        D = D_min_norm(U[j], X, y, tol=1e-9).D
        nD = float(np.linalg.norm(D))
        if nD < 1e-14:
            continue
        c = float(U[j] @ D / nD)
        rows[j] = {"br": min(1 - sg[j] * c, 1 + c), "aln": 1 - sg[j] * c, "brc": min(1 - sg[j] * c, 1 + sg[j] * c),
                   "pattern": str(sign_pattern(U[j], X, 1e-9).tolist())}
    return rows, len(sel), tau, tr


def _branch_data_measure(inst, point, precision) -> Measurement:
    """The branch residuals (see :func:`_branch_measure`) of every Condition-1 neuron of the user's init at tau, error
    |tight - loose| + 4 ulp per neuron (a neuron whose D(w^tau, 0) is 0 at one tolerance only is dropped)."""
    rows, nsel, tau, tr = _branch_data_residuals(inst, RTOL_TIGHT)
    loose, _, _, _ = _branch_data_residuals(inst, RTOL_LOOSE)
    collapsed = sorted(set(rows.pop("collapsed", [])) | set(loose.pop("collapsed", [])))
    js = sorted((set(rows) & set(loose)) - set(collapsed))
    if not js:
        raise ValueError("no Condition-1 neuron with D(w^tau, 0) != 0: the alternatives hold trivially (D = 0)")
    ulp = 4 * np.finfo(float).eps
    keys = ("br", "aln", "brc")
    return Measurement(values={**{k: [rows[j][k] for j in js] for k in keys}, "tolb": 1e-6},
                       errors={k: [abs(rows[j][k] - loose[j][k]) + ulp for j in js] for k in keys}, exact=("tolb",),
                       coords={"j": js, "pattern": [rows[j]["pattern"] for j in js]},
                       info={"tau": tau, "condition1_neurons": nsel, "measured": len(js),
                             "collapsed_w_zero": collapsed, "trivial_D_zero": nsel - len(js) - len(collapsed),
                             "events": len(tr.events)})


def _branch_measure(inst, point, precision) -> Measurement:
    """One balanced neuron of DS-2N, flow (min-norm / Filippov selection) at lambda = e^-50 up to
    tau = -eps ln(lambda)/D_max (eps = 1/4; h = O(lambda^2): Theorem 1's regime). At tau: c = cos(w, D(w, 0))
    with D the min-norm selection on the final cone; aligned branch residual 1 - sign(a) c, printed anti-aligned
    residual 1 + c (w/||w|| = -D/||D||); the claim's two alternatives give br = min of both; the corrected
    alternative (bold w/||bold w|| = -D/||D||, i.e. 1 + sign(a) c) gives brc = min(1 - sign(a) c, 1 + sign(a) c).
    Error estimates: |tight - loose| (two tolerances) + 4 ulp; tolb exact. A user's data: :func:`_branch_data_measure`."""
    if "angle_deg" not in inst.params:
        return _branch_data_measure(inst, point, precision)
    vals, (tr, st, w, s, D, c, tau) = _branch_residuals(inst, RTOL_TIGHT)
    loose, _ = _branch_residuals(inst, RTOL_LOOSE)
    errs = {k: abs(v - loose[k]) + 4 * np.finfo(float).eps for k, v in vals.items()}
    return Measurement(values={**vals, "tolb": 1e-6}, errors=errs, exact=("tolb",),
                       coords={"pattern": str(sign_pattern(w, inst.arrays()[0], 1e-9).tolist())},
                       info={"sign_a": s, "cos_w_D": c, "D": D.tolist(), "w_hat": w.tolist(),
                             "corrected_residual_1_plus_sign_a_cos": 1 + s * c, "events": len(tr.events),
                             "final_pattern": sign_pattern(w, inst.arrays()[0], 1e-9).tolist(), "tau": tau,
                             "relative_imbalance_at_tau": float(st.balancedness_relative()[0])})


BRANCH_RESIDUAL, ALIGNED_RESIDUAL, CORRECTED_RESIDUAL, TOLERANCE = sp.symbols("br aln brc tolb", real=True)
claims.add(
    "theorem1.ii.branch", "Theorem 1 (ii) alternatives: aligned, or w^tau/||w^tau|| = -D/||D|| (as printed)",
    "§3, l.165-171", "flow-inequality", catalog_ref="E11 (C), E37, F2b", result="theorem1",
    statement=sp.Le(BRANCH_RESIDUAL, TOLERANCE), measure=_branch_measure,
    mutant=Mutant(sp.Le(ALIGNED_RESIDUAL, TOLERANCE), "only the aligned branch (no anti-aligned alternative)"),
    control=Mutant(sp.Le(CORRECTED_RESIDUAL, TOLERANCE), "the sign-robust second alternative bold w^tau/||bold w^tau|| "
                                                         "= -D/||D||, i.e. w/||w|| = -sign(a_j) D/||D|| (Lemma 14)"),
    latex_names={"br": r"\min(1-\mathrm{sign}(a)\cos(w,D),\ 1+\cos(w,D))", "aln": r"1-\mathrm{sign}(a)\cos(w,D)",
                 "brc": r"\min(1-\mathrm{sign}(a)\cos(w,D),\ 1+\mathrm{sign}(a)\cos(w,D))", "tolb": r"10^{-6}"},
    symbols_doc={"br": "residual of the closer printed alternative at tau",
                 "aln": "residual of the aligned branch at tau",
                 "brc": "residual of the closer corrected alternative at tau",
                 "tolb": "tolerance for 'holds at tau' (the O-terms are e^{-50}-small here)"},
    quantifier="for the neuron (Condition 1, alpha0 = 0.1)",
    extra_hypotheses=[Hypothesis("Condition 1 (1) with alpha0 = 0.1", _condition1, "l.148")],
    instances=_branch_instances, share=f"{KEY}.branch", tags=("finding",), provides=("aln", "brc"),
    data_instances=_branch_data_instances,
    notes="a < 0 on DS-2N y = (1,1): the neuron slides into the ray perpendicular to x_2 (a local min of G, "
          "D(w,0) = D_(1,0) extremal) with w/||w|| = +D/||D||: neither printed alternative holds (finding F2b); "
          "the sign-robust form bold w/||bold w|| = -D/||D|| holds (info). The mirrored a > 0 case satisfies the "
          "printed form.")

# =========================================================================== Theorem 3 (saddles allowed)


def _theorem3_measure(inst, point, precision) -> Measurement:
    """Theorem 3 (ii) on the G-flow: every neuron satisfying Condition 2 (1) (<D(w^0,0), w^0/a^0> > 0) aligns with
    an extremal vector at rate >= ||D|| (fitted and error-estimated as for Theorem 1 (ii), :func:`_rates_measurement`);
    D_max = max_u ||D_u|| for the mutant (error: rotated copies of the data)."""
    p = inst.params
    X, y = inst.arrays()
    s0 = init_state(X, int(p["m"]), int(p["seed"]), p["init"], 0.0)
    V0 = np.asarray(s0.V, float)
    cond2 = [j for j in range(int(p["m"]))
             if float(D_min_norm(V0[j, 1:] / np.linalg.norm(V0[j, 1:]), X, y, tol=1e-12).D @ V0[j, 1:] / V0[j, 0]) > 0]
    dv, de = invariant_errors(lambda X_, y_: {"D_max": cone_constants(X_, y_).D_max}, X, y)
    return _rates_measurement(p, lambda G: cond2, (dv, de))


D_MAX = sp.Symbol("D_max", real=True)
claims.add(
    "theorem3.ii", "Theorem 3 (ii): Condition-2 neurons align with an extremal vector (rate form)",
    "App. E, l.1232-1242", "asymptotic", catalog_ref="E40", result="theorem3", statement=sp.Ge(RATE, NORM_D),
    measure=_theorem3_measure,
    mutant=Mutant(sp.Eq(NORM_D, D_MAX), "every Condition-2 neuron aligns with the global max of G (catalog E40 "
                                        "mutation)"),
    latex_names={"rate": r"-\frac{d}{dt}\ln(\|D\|-\langle\mathbf{w}_j,D\rangle)", "nD": r"\|D(w_j^\tau,0)\|",
                 "D_max": r"D_{\max}"},
    symbols_doc={"rate": "fitted decay rate of the alignment gap", "nD": "||D(w_j, 0)|| at the end", "D_max": "D_max"},
    quantifier="for every neuron satisfying Condition 2",
    hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION1, HYP_GENERIC_DATA, HYP_INIT_EQ4], data_instances=data_gflow_instances,
    provides=("D_max",), instances=lambda tier: _gflow_instances(tier)[1:2] + _gflow_instances(tier)[:1],
    share=GFLOW_SHARE,
    notes="DS-2N: neurons starting in the cones of the two secondary maxima align with them "
          "(rates 2||D|| for ||D|| = 0.522, 0.539, 0.716), not with the global max.")

# =========================================================================== Lemma 13 (patterns frozen before tau)

SIDE_AFTER_EVENT = {"activate": 1, "deactivate": -1, "slide_enter": 0, "stick": 0, "slide_exit_up": 1,
                    "slide_exit_down": -1}


def _pattern_changes(R, tau):
    """Per neuron: the number of activation-pattern changes on [0, t_e(j)] and on (t_e(j), tau], with
    t_e(j) = first time the pattern u satisfies a_j D_u in A^{-1}(u) or D_u = 0 (an extremal / dead cone of the
    neuron), the pattern A(w_j^t) rebuilt from the initial signs and the engine's exact switch events; and t_e."""
    X, y, tr = R["X"], R["y"], R["tr"]
    m = R["W0"].shape[0]
    pat = sign_pattern(R["W0"], X).astype(int)
    sgn = np.sign(R["a0"])
    cache = {}

    def good(j, u):
        key = (int(sgn[j]), tuple(u))
        if key not in cache:
            D = D_u(np.array(u, dtype=np.int8), X, y).D
            nD = np.linalg.norm(D)
            cache[key] = bool(nD <= 1e-14 or np.array_equal(sign_pattern(sgn[j] * D, X, 1e-9), np.array(u)))
        return cache[key]

    t_e = [0.0 if good(j, pat[j]) else None for j in range(m)]
    before, after = np.zeros(m), np.zeros(m)
    for e in sorted(tr.events, key=lambda e: float(e.t)):
        t = float(e.t)
        if t > tau:
            break
        j = int(e.j)
        if pat[j, e.k] == SIDE_AFTER_EVENT[e.kind]:
            continue
        pat[j, e.k] = SIDE_AFTER_EVENT[e.kind]
        if t_e[j] is not None:
            after[j] += 1
        else:
            before[j] += 1
            if good(j, pat[j]):
                t_e[j] = t
    return before, after, t_e


def _lemma13_measure(inst, point, precision) -> Measurement:
    """Lemma 13 on [0, tau] from the exact switch events of the flow (:func:`_pattern_changes`), per neuron: c_after =
    the number of pattern changes after entering an extremal (or dead) cone, c_before = before it (the near miss
    counts both: 'A(w_j^t) is constant from t = 0'). The counts are classifications of the trajectory: error
    estimate = their change between the runs at the two tolerances (0 when robust)."""
    R, Rl = run_at(inst, point), run_at(inst, point, RTOL_LOOSE)
    tau = phases_at(inst, point)["tau"]
    before, after, t_e = _pattern_changes(R, tau)
    bl, al, _ = _pattern_changes(Rl, tau)
    m = len(before)
    return Measurement(values={"c_after": after.tolist(), "c_before": before.tolist()},
                       errors={"c_after": np.abs(after - al).tolist(), "c_before": np.abs(before - bl).tolist()},
                       coords={"j": list(range(m))},
                       info={"tau": tau, "neurons_entered_by_tau": sum(v is not None for v in t_e), "m": m,
                             "changed_after_entry": np.flatnonzero(after).tolist(),
                             "changed_before_entry": int(np.sum(before > 0))})


CHANGES_AFTER_ENTRY, CHANGES_BEFORE_ENTRY = sp.symbols("c_after c_before", nonnegative=True)
claims.add(
    "lemma13", "Lemma 13: after entering an extremal (or dead) cone a neuron keeps its pattern until tau",
    "App. D.5, l.1040-1095", "flow-inequality", catalog_ref="E36, F13", result="lemma13",
    statement=sp.Eq(CHANGES_AFTER_ENTRY, 0), measure=_lemma13_measure,
    mutant=Mutant(sp.Eq(CHANGES_AFTER_ENTRY + CHANGES_BEFORE_ENTRY, 0),
                  "A(w_j^t) is constant from t = 0 (catalog E36 mutation: the quantifier t >= t_e(j) widened to t >= 0)"),
    latex_names={"c_after": r"\#\{\mathrm{changes\ of}\ A(w_j^t)\ \mathrm{on}\ (t_e(j),\tau]\}",
                 "c_before": r"\#\{\mathrm{changes\ of}\ A(w_j^t)\ \mathrm{on}\ [0,t_e(j)]\}"},
    symbols_doc={"c_after": "pattern changes of neuron j after entering an extremal/dead cone (before tau)",
                 "c_before": "pattern changes of neuron j before entering it"},
    provides=("c_before",), quantifier="for all j, t in [t_e(j), tau]", instances=flow_instances, share=FLOW_SHARE,
    data_instances=data_flow_instances,
    notes="Exact: patterns rebuilt from the engine's switch events (no sampling). Hypothesis printed as 'Assumption "
          "2 holds for eta < 1/6' (F13).")
