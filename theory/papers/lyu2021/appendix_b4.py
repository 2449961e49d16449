"""lyu2021 App. B.4, the flow invariants along a trajectory from small initialisation: Lemma B.15 (dL/dt =
-||theta'||^2), Lemma B.16 (a_k^2 - ||w_k||^2 is conserved; float64, then a 20-digit mpmath flow) and Lemma B.17 /
Corollary B.18 (a balanced start stays balanced and keeps its signs). They hold for any data: on a user's data
(``earlyalign --data``) the flow starts from the user's width, seed, init scheme, sigma_init and horizon T.
"""
from __future__ import annotations

import json
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.flows import PolarState, solve_flow
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant, NeedsPrecision
from theory.claimset import ClaimSet

from .common import (LOGISTIC_LEAKY, accept_data, data, fp_bound, init_bar, is_user, loss_gradient, model, phi,
                     run_group, user_init_instance)
from .datasets import flow_cost
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


# =========================================================================== flow invariants: B.15, B.16, B.18


def _traj_instances(tier):
    return [Instance("DS-S, INIT-A (m=4, seed 2), sigma = 1e-3, t in [0, 100]",
                     {"dataset": "DS-S", "m": 4, "seed": 2, "sigma": 1e-3, "c_a": 1.0, "T": 100.0}),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, D_init m=5 seed 3, sigma = 1e-3",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 5, "seed": 3,
                      "sigma": 1e-3, "c_a": 1.0, "T": 100.0})]


def _balanced_instances(tier):
    return [Instance("DS-S, balanced m=4 seed 2, sigma = 1e-3, t in [0, 100]",
                     {"dataset": "DS-S", "m": 4, "seed": 2, "init": "balanced", "sigma": 1e-3, "T": 100.0}),
            Instance("generic symmetric (n=12, d=3, seed 1), alpha = 0.3, balanced m=5 seed 3, sigma = 1e-3",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "m": 5, "seed": 3,
                      "init": "balanced", "sigma": 1e-3, "T": 100.0})]


@lru_cache(maxsize=8)
def _traj(pj):
    """Flow from sigma theta_bar_0 on [0, T] sampled at 201 times (rtol 1e-12), plus a 1e-9 run (error)."""
    p = json.loads(pj)
    X, y, alpha = data(p)
    a0, W0 = init_bar(p)
    s = float(p["sigma"])
    ts = np.linspace(0.0, float(p["T"]), 201)
    out = []
    for rtol in (1e-12, 1e-9):
        tr = solve_flow(model(p), PolarState.from_cartesian(s * a0, s * W0), float(p["T"]), rtol=rtol, t_eval=ts)
        A = np.array([[float(v) for v in st.a()] for st in tr.sampled])
        Wt = np.array([[[float(v) for v in r] for r in st.W()] for st in tr.sampled])
        out.append((A, Wt))
    return ts, out, s * a0, s * W0


#: measured cost of the 20-digit rung of Lemma B.16 per unit of n m at T = 100 (DS-S 0.9 s, the generic d = 3 set
#: 1.3 s), and the budget beyond which a user's data stays at float64 (INCONCLUSIVE, saying so)
B16_MP_SECONDS = 1.3
B16_MP_BUDGET = 300.0

#: sample times of the 20-digit rung of Lemma B.16 (every 5 time units: the mpmath flow costs ~10 s per run)
B16_MP_SAMPLES = 21


@lru_cache(maxsize=4)
def _traj_mp(pj, dps):
    """The Lemma B.16 flow at ``dps`` digits (mpmath), rtol 10^-(dps-5) and 10^-(dps-7), sampled at B16_MP_SAMPLES
    times in [0, T]: a_k(t), ||w_k(t)||^2 as mpf."""
    p = json.loads(pj)
    a0, W0 = init_bar(p)
    s = float(p["sigma"])
    ts = np.linspace(0.0, float(p["T"]), B16_MP_SAMPLES)
    out = []
    for rtol in (10.0 ** -(dps - 5), 10.0 ** -(dps - 7)):
        tr = solve_flow(model(p), PolarState.from_cartesian(s * a0, s * W0), float(p["T"]), precision=dps, rtol=rtol,
                        t_eval=ts)
        with mpmath.workdps(dps):
            out.append(([list(st.a()) for st in tr.sampled],
                        [[mpmath.fsum(x * x for x in row) for row in st.W()] for st in tr.sampled]))
    return ts, out, s * a0, s * W0


def _b16_measure(inst, point, precision):
    """Lemma B.16: a_k(t)^2 - ||w_k(t)||^2 = a_k(0)^2 - ||w_k(0)||^2 at 201 times, every neuron (float64, rtol 1e-12;
    error: the difference with the rtol-1e-9 run plus the rounding of the difference of two O(||theta||^2) squares).
    The invariant is O(sigma^2) = 1e-6 while a_k^2 + ||w_k||^2 grows to O(10): float64 resolves it to ~1e-12 only, so
    the default 1e-6 relative tolerance is not reached and the ladder escalates to 20 digits (mpmath flow at rtol
    1e-15 and 1e-13, 21 times). a_k(0), w_k(0) are the float64 start (exact as given): inv0 is exact at 20 digits."""
    pj = json.dumps(inst.params, sort_keys=True)
    if precision != "float64":
        if is_user(inst.params):   # the 20-digit flow costs ~1.3 s per unit of n m (T = 100): bounded on user data
            n, m = len(inst.params["y"]), int(inst.params["m"])
            est = B16_MP_SECONDS * n * m * float(inst.params["T"]) / 100.0
            if est > B16_MP_BUDGET:
                raise NeedsPrecision(f"float64 does not resolve the invariant and the 20-digit flow would take "
                                     f"~{est:.0f} s (n = {n}, m = {m}, T = {inst.params['T']:g}) > the "
                                     f"{B16_MP_BUDGET:.0f} s budget of a user's data")
        dps = int(precision)
        ts, ((A, N), (A2, N2)), a0, W0 = _traj_mp(pj, dps)
        with mpmath.workdps(dps + 10):
            inv0 = [mpmath.mpf(float(a)) ** 2 - mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in w) for a, w in zip(a0, W0)]
            sq0 = [mpmath.mpf(float(a)) ** 2 + mpmath.fsum(mpmath.mpf(float(v)) ** 2 for v in w) for a, w in zip(a0, W0)]
            inv, sq, err, tt, kk = [], [], [], [], []
            for i, t in enumerate(ts):
                for k in range(len(a0)):
                    inv.append(A[i][k] ** 2 - N[i][k])
                    sq.append(A[i][k] ** 2 + N[i][k])
                    err.append(abs(inv[-1] - (A2[i][k] ** 2 - N2[i][k])) + 10 * mpmath.mpf(10) ** (-dps) * sq[-1])
                    tt.append(float(t))
                    kk.append(k)
        nk = len(a0)
        return Measurement(values={"inv": inv, "inv0": inv0 * len(ts), "sq": sq, "sq0": sq0 * len(ts)},
                           errors={"inv": err, "sq": err}, exact=("inv0", "sq0"), precision=dps,
                           coords={"t": tt, "k": kk},
                           info={"max drift": float(max(abs(inv[j] - inv0[j % nk]) for j in range(len(inv)))),
                                 "samples": f"{len(ts)} times x {nk} neurons"})
    ts, ((A, Wt), (A9, W9)), a0, W0 = _traj(pj)
    inv = A ** 2 - np.sum(Wt ** 2, axis=2)
    inv9 = A9 ** 2 - np.sum(W9 ** 2, axis=2)
    sq = A ** 2 + np.sum(Wt ** 2, axis=2)
    inv0 = a0 ** 2 - np.sum(W0 ** 2, axis=1)
    sq0 = a0 ** 2 + np.sum(W0 ** 2, 1)
    d = W0.shape[1]
    err = np.abs(inv - inv9) + fp_bound(sq, 2 * d + 4)
    T, Kk = np.meshgrid(ts, np.arange(A.shape[1]), indexing="ij")
    return Measurement(values={"inv": inv.ravel().tolist(), "inv0": np.broadcast_to(inv0, inv.shape).ravel().tolist(),
                               "sq": sq.ravel().tolist(), "sq0": np.broadcast_to(sq0, inv.shape).ravel().tolist()},
                       errors={"inv": err.ravel().tolist(), "sq": err.ravel().tolist(),
                               "inv0": np.broadcast_to(fp_bound(sq0, 2 * d + 4), inv.shape).ravel().tolist(),
                               "sq0": np.broadcast_to(fp_bound(sq0, 2 * d + 4), inv.shape).ravel().tolist()},
                       coords={"t": T.ravel().tolist(), "k": Kk.ravel().tolist()},
                       info={"max drift": float(np.max(np.abs(inv - inv0)))})


INVARIANT, INVARIANT_0, SQUARES, SQUARES_0 = sp.symbols("inv inv0 sq sq0", real=True)
LEMMAB16 = claims.add(
    "lemmaB.16", "Lemma B.16 (a_k² − ||w_k||² is conserved)",
    "App. B.4, l.2138-2332", "flow-inequality", statement=sp.Eq(INVARIANT, INVARIANT_0),
    latex_names={"inv": r"a_k(t)^2 - \|w_k(t)\|^2", "inv0": r"a_k(0)^2 - \|w_k(0)\|^2",
                 "sq": r"a_k^2 + \|w_k\|^2", "sq0": r"(a_k^2 + \|w_k\|^2)(0)"},
    symbols_doc={"inv": "the invariant at time t", "inv0": "its initial value",
                 "sq": "a_k(t)^2 + ||w_k(t)||^2 (mutant)", "sq0": "its initial value"},
    quantifier="every neuron, 201 times in [0, T] (21 times at the 20-digit rung)", hypotheses=[LOGISTIC_LEAKY],
    instances=_traj_instances, measure=_b16_measure, ladder=("float64", 20),
    mutant=Mutant(sp.Eq((3 * INVARIANT - SQUARES) / 2, (3 * INVARIANT_0 - SQUARES_0) / 2),
                  "a_k^2 - 2||w_k||^2 conserved (the coefficient of ||w_k||^2 changed; equal at t = 0, so only the "
                  "dynamics can reject it)"),
    provides=("sq", "sq0"), catalog_ref="E44", result="lemmaB.16", share=run_group("traj"),
    notes="The invariant is O(sigma^2) while the state grows to O(10): float64 resolves its conservation to ~1e-12 "
          "absolute, not to the 1e-6 relative tolerance, so the check escalates to a 20-digit flow (~20-40 s per "
          "instance).")


def _b18_measure(inst, point, precision):
    """Corollary B.18 (and Lemma B.17): from a balanced start a_k(t) = s_k ||w_k(t)|| for all t (error: the rtol-1e-9
    run's difference plus rounding). Mutant values: s_k ||w_k(0)|| (the start), for the near miss
    'a_k - 2 s_k ||w_k|| conserved'."""
    ts, ((A, Wt), (A9, W9)), a0, W0 = _traj(json.dumps(inst.params, sort_keys=True))
    nw = np.linalg.norm(Wt, axis=2)
    nw9 = np.linalg.norm(W9, axis=2)
    s = np.sign(a0)
    err_a = np.abs(A - A9) + fp_bound(np.abs(A), 1)
    err_w = np.abs(nw - nw9) + fp_bound(nw, W0.shape[1] + 4)
    T, Kk = np.meshgrid(ts, np.arange(A.shape[1]), indexing="ij")
    snw0 = np.broadcast_to(s * np.linalg.norm(W0, axis=1), A.shape)
    return Measurement(values={"a": A.ravel().tolist(), "snw": (s * nw).ravel().tolist(), "snw0": snw0.ravel().tolist()},
                       errors={"a": err_a.ravel().tolist(), "snw": err_w.ravel().tolist(),
                               "snw0": fp_bound(np.abs(snw0), W0.shape[1] + 4).ravel().tolist()},
                       coords={"t": T.ravel().tolist(), "k": Kk.ravel().tolist()})


A_K, SIGNED_NORM_W, SIGNED_NORM_W0 = sp.symbols("a snw snw0", real=True)


def _balanced_start(inst):
    a, W = init_bar(inst.params)
    ok = np.allclose(np.abs(a), np.linalg.norm(W, axis=1), rtol=1e-14)
    return ok, "balanced D~_init" if ok else "D_init (unbalanced): Corollary B.18 needs |a_k| = ||w_k|| at t = 0"


COROLLARYB18 = claims.add(
    "corollaryB.18", "Lemma B.17 / Corollary B.18 (balanced stays balanced, signs kept)",
    "App. B.4, l.2336-2381", "flow-inequality", statement=sp.Eq(A_K, SIGNED_NORM_W),
    latex_names={"a": r"a_k(t)", "snw": r"s_k\|w_k(t)\|", "snw0": r"s_k\|w_k(0)\|"},
    symbols_doc={"a": "a_k(t)", "snw": "sign(a_k(0)) ||w_k(t)||", "snw0": "sign(a_k(0)) ||w_k(0)|| (mutant)"},
    quantifier="every neuron, 201 times", hypotheses=[LOGISTIC_LEAKY, Hypothesis("balanced start |a_k| = ||w_k||",
                                                                                _balanced_start, "l.2377")],
    instances=_balanced_instances,
    measure=_b18_measure,
    mutant=Mutant(sp.Eq(A_K, 2 * SIGNED_NORM_W - SIGNED_NORM_W0),
                  "a_k - 2 s_k||w_k|| conserved, i.e. a_k(t) = 2 s_k||w_k(t)|| - s_k||w_k(0)|| (a coefficient changed; "
                  "equal at t = 0, so only the dynamics can reject it)"),
    provides=("snw0",), catalog_ref="E19, E45", result="corollaryB.18", share=run_group("traj"))


#: step of the difference stencils of Lemma B.15 and the stride of the sample times used
B15_H = 0.01
B15_STRIDE = 2


@lru_cache(maxsize=4)
def _b15_run(pj):
    """Loss along the flow at every B15_STRIDE-th interior sample time t of [0, T] and at t +- h, +- 2h, +- 4h
    (h = B15_H; rtol 1e-12), with the state at t (for ||grad L||^2) and its rtol-1e-9 counterpart."""
    p = json.loads(pj)
    X, y, alpha = data(p)
    a0, W0 = init_bar(p)
    s = float(p["sigma"])
    base = np.linspace(0.0, float(p["T"]), 201)[1:-1][::B15_STRIDE]
    base = base[base > 4 * B15_H]
    offs = np.array([-4, -2, -1, 0, 1, 2, 4]) * B15_H
    ts = np.unique(np.round((base[:, None] + offs[None, :]).ravel(), 12))
    idx = {round(float(t), 12): i for i, t in enumerate(ts)}
    runs = []
    for rtol in (1e-12, 1e-9):
        tr = solve_flow(model(p), PolarState.from_cartesian(s * a0, s * W0), float(ts[-1]), rtol=rtol, t_eval=ts)
        runs.append(([np.array([float(v) for v in st.a()]) for st in tr.sampled],
                     [np.array([[float(v) for v in r] for r in st.W()]) for st in tr.sampled]))
    return base, offs, idx, runs


def _b15_measure(inst, point, precision):
    """Lemma B.15: d/dt L(theta(t)) = -||theta'(t)||^2 = -||grad L||^2 at smooth points. dL/dt by the fourth-order
    central stencil (L(t-2h) - 8 L(t-h) + 8 L(t+h) - L(t+2h))/(12h), h = 0.01, on the flow (rtol 1e-12); its error:
    the difference with the same stencil at step 2h (truncation ~ h^4: the 2h stencil is 16 times worse), plus the
    difference with the rtol-1e-9 flow and the rounding eps L/h. ||grad L||^2 at the sample (exact gradient, Eq. (10));
    its error: the rtol-1e-9 difference plus rounding. Times whose stencil crosses an activation switch are skipped
    (L is not smooth there), and so are times where a neuron sits on a kink, |<w_k, x_i>| <= 1e-9 ||w_k|| ||x_i||
    (the flow slides along it, e.g. on XOR data: theta' is then the min-norm Clarke element, not the one-sided
    gradient of Eq. (10)); with no smooth time left it is unresolved (INCONCLUSIVE, saying so)."""
    pj = json.dumps(inst.params, sort_keys=True)
    base, offs, idx, runs = _b15_run(pj)
    X, y, alpha = data(inst.params)

    def loss(a, W):
        """L - ln 2 = mean log((1 + e^{-q_i})/2) = mean log1p(expm1(-q_i)/2): no cancellation against ln 2 while
        the q_i are small (early times), so the rounding is relative to |L - ln 2|, not to ln 2."""
        q = y * (a @ phi(W @ X.T, alpha))
        v = np.log1p(np.expm1(-q) / 2)
        return float(np.mean(v)), float(np.mean(np.abs(v)))
    h = B15_H
    dL, dLerr, g2, g2err, tt, skipped, on_kink = [], [], [], [], [], 0, 0
    xn = np.linalg.norm(X, axis=1)
    for t in base:
        ii = [idx[round(float(t + o), 12)] for o in offs]
        pats = [np.sign(runs[0][1][i] @ X.T) for i in ii]
        if any(np.any(pt != pats[3]) for pt in pats):
            skipped += 1
            continue
        W0 = runs[0][1][ii[3]]
        if np.any(np.abs(W0 @ X.T) <= 1e-9 * np.linalg.norm(W0, axis=1)[:, None] * xn[None, :]):
            on_kink += 1
            continue
        est = []
        for A, Wt in runs:
            LL = [loss(A[i], Wt[i]) for i in ii]         # offsets -4h, -2h, -h, 0, h, 2h, 4h
            Lv = [v for v, _ in LL]
            d_h = (Lv[1] - 8 * Lv[2] + 8 * Lv[4] - Lv[5]) / (12 * h)
            d_2h = (Lv[0] - 8 * Lv[1] + 8 * Lv[5] - Lv[6]) / (24 * h)
            est.append((d_h, d_2h, max(a for _, a in LL)))
        (d_h, d_2h, L0), (d_h9, _, _) = est
        ga, gW, _ = loss_gradient(X, y, alpha, runs[0][0][ii[3]], runs[0][1][ii[3]])
        ga9, gW9, _ = loss_gradient(X, y, alpha, runs[1][0][ii[3]], runs[1][1][ii[3]])
        G = float(ga @ ga + np.sum(gW * gW))
        dL.append(d_h)
        # rounding: each L - ln 2 to ~(n + 8) ulp of the mean |terms|, amplified by the stencil (18/12h)
        dLerr.append(abs(d_h - d_2h) + abs(d_h - d_h9) + 1.5 * float(fp_bound(L0, len(y) + 8)) / h)
        g2.append(G)
        g2err.append(abs(G - float(ga9 @ ga9 + np.sum(gW9 * gW9))) + float(fp_bound(G, 8 * len(y))))
        tt.append(float(t))
    if not tt:   # (a user's data) every sample time is at a switch or on a kink: nothing measured
        raise NeedsPrecision(f"no smooth sample time: {skipped} stencils cross an activation switch and {on_kink} "
                             "times have a neuron on a kink (L is not differentiable there)")
    info = {"stencils across a switch (skipped)": skipped, "times": len(tt),
            "max relative error estimate of dL/dt": float(max(e / abs(v) for e, v in zip(dLerr, dL)))}
    if on_kink:
        info["times on a kink (skipped)"] = on_kink
    return Measurement(values={"dL": dL, "g2": g2}, errors={"dL": dLerr, "g2": g2err}, coords={"t": tt}, info=info)


DL_DT, GRAD_SQUARED = sp.symbols("dL g2", real=True)
LEMMAB15 = claims.add(
    "lemmaB.15", "Lemma B.15 (dL/dt = −||θ'||²)",
    "App. B.4, l.2115-2135", "flow-inequality", statement=sp.Eq(DL_DT, -GRAD_SQUARED),
    latex_names={"dL": r"\frac{d}{dt}\mathcal{L}(\theta(t))", "g2": r"\|\nabla\mathcal{L}\|^2"},
    symbols_doc={"dL": "fourth-order central difference of L along the trajectory (h = 0.01)",
                 "g2": "||grad L||^2 at the sample"},
    quantifier="every other interior sample time of [0, T] whose difference stencil has one activation pattern",
    hypotheses=[LOGISTIC_LEAKY], instances=_traj_instances,
    measure=_b15_measure,
    mutant=Mutant(sp.Eq(DL_DT, -GRAD_SQUARED / 2), "dL/dt = -1/2 ||theta'||^2 (catalog E43 mutation)"),
    catalog_ref="E43", result="lemmaB.15", share=run_group("traj"))


# =========================================================================== user data (earlyalign --data)


def _traj_data(inits, mp=False):
    """Lemmas B.15-B.16, Corollary B.18 on a user's data: flow from sigma_init theta_bar_0 (m 4, seed 2, sigma 1e-3,
    T = 100 unless given); Lemma B.16 escalates to a 20-digit mpmath flow (``mp``: its cost said up front)."""
    def cost(ds, p):
        c = flow_cost(len(ds.y), p["m"], T=p["T"], runs=2)
        est = B16_MP_SECONDS * len(ds.y) * p["m"] * p["T"] / 100.0
        return c + (f"; then a 20-digit mpmath flow if float64 does not resolve the invariant (~{est:.0f} s; skipped "
                    f"above {B16_MP_BUDGET:.0f} s)" if mp else "")
    return lambda ds: user_init_instance(ds, m=4, seed=2, sigma=1e-3, T=100.0, inits=inits,
                                         cost=lambda p: cost(ds, p))


accept_data(LEMMAB15, _traj_data(("gaussian", "balanced-gaussian")))
accept_data(LEMMAB16, _traj_data(("gaussian", "balanced-gaussian"), mp=True))
accept_data(COROLLARYB18, _traj_data(("balanced-gaussian",)))
