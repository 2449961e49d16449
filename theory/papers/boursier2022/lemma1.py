"""boursier2022 Lemma 1 (§2.2, l.240-253): balancedness, a_j(t)^2 - ||w_j(t)||^2 is conserved by the flow.

Checked on an unbalanced init (the first statement of Lemma 1 is for any init) in the coordinates of the full
neuron (a_j, w_j), which do not impose balancedness (the balanced log-polar coordinates of Eq. (9) would
enforce the conclusion).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.flows import PolarState, solve_flow
from numerics.network import init_balanced_gaussian, init_gaussian, init_mean_field, total_loss as model_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (H_FLOW, ds_a_params, flow_cost, generic_rotated_params, rotate_draw, rtols, two_tolerance_error,
                     ulp, user_instance, user_settings)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_FLOW])


def _instances(tier):
    """DS-A with the catalog's unbalanced init a^0 = 2 s_j ||w_j^0||, lambda = 1e-3, T = 300 (catalog L1
    recipe (b)), and the generic orthonormal instance with a^0 = s_j u_j ||w_j^0||, u_j ~ U[0.25, 2]
    (seeded); the full tier adds DS-A at lambda = 1e-8."""
    T = 300.0
    out = [Instance("DS-A, unbalanced a0 = 2 s |w0|, lambda = 1e-3",
                    {**ds_a_params(), "lam": 1e-3, "unbalance": "factor2", "T": T},
                    description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)"),
           Instance("generic orthonormal (n=5, d=7), unbalanced, lambda = 1e-2",
                    {**generic_rotated_params(), "lam": 1e-2, "unbalance": "uniform", "T": T},
                    description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)")]
    if tier == "full":
        out.append(Instance("DS-A, unbalanced a0 = 2 s |w0|, lambda = 1e-8",
                            {**ds_a_params(), "lam": 1e-8, "unbalance": "factor2", "T": T},
                            description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)"))
    return out


#: the user's init schemes (numerics.datasets.USER_PARAMS) -> the init of :func:`_unbalanced_init` (Lemma 1 holds for
#: any init); none given: the Eq. (4) draw made unbalanced, a_j^0 = s_j u_j ||w_j^0|| (the informative case)
USER_INITS = {None: "uniform", "balanced-gaussian": "none", "gaussian": "gaussian", "sphere-sign": "sphere-sign"}


def _data_instances(ds):
    """Lemma 1 on a user dataset (:class:`numerics.datasets.Dataset`): raw flow from the file's ``init`` (any: Lemma 1
    holds for every init; default the Eq. (4) draw made unbalanced), width ``m`` (default 20), ``seed`` (0), scale
    ``lam`` / ``lam10`` (1e-2) and horizon ``T`` (300). The dataset's ``reduction`` ("mean" or "sum") is honoured:
    conservation holds for either (it holds for any loss that depends on theta through the outputs h(x_k), Lemma 1's
    proof). The file's ``eps`` and lambda grid are listed as not used."""
    s, unused = user_settings(ds, ("m", "seed", "lam10", "T", "init"), m=20, seed=0, lam10=-2.0, T=300.0)
    init = s.pop("init", None)
    lam = 10.0 ** float(s.pop("lam10"))
    p = {**s, "lam": lam, "unbalance": USER_INITS[init], "T": float(s["T"])}
    if init is not None:
        p["init"] = init
    what = {"uniform": "the Eq. (4) draw made unbalanced (a_j^0 = s_j u_j ||w_j^0||, u_j ~ U[0.25, 2])",
            "none": "the balanced Eq. (4) init (the invariant is 0)", "gaussian": "i.i.d. Gaussian a_j^0, w_j^0",
            "sphere-sign": "a_j^0 = +-lambda/sqrt(m), w_j^0 uniform in the ball of radius lambda/sqrt(m)",
            }[p["unbalance"]]
    desc = (f"raw (a, W) flow from {what}, t in [0, {p['T']:g}] (61 sample times); "
            + flow_cost(ds.n, int(p["m"]), [p["T"]], kind="long"))
    return [user_instance(ds, p, unused, f"init {init or 'unbalanced (4)'}, lambda = {lam:g}", None, desc)]


def _unbalanced_init(inst):
    """Unbalanced init: w_j^0 = lambda g_j (Eq. (4) draws), a_j^0 = 2 s_j ||w_j^0|| (DS-A recipe) or
    s_j u_j ||w_j^0|| with u_j ~ U[0.25, 2] from default_rng(seed + 1000); on a user's data also the init the file
    names (:data:`USER_INITS`: balanced (4), i.i.d. Gaussian, sphere-sign)."""
    X, _ = inst.arrays()
    m, d, lam, seed, how = (int(inst.params["m"]), X.shape[1], float(inst.params["lam"]), int(inst.params["seed"]),
                            inst.params["unbalance"])
    basis = inst.params.get("basis")   # a user's rotated data run in their own basis: the draw carried along
    if how == "gaussian":
        a, W = init_gaussian(m, d, lam, seed=seed)[:2]
        return a, rotate_draw(W, basis)
    if how == "sphere-sign":
        a, W = init_mean_field(m, d, lam, seed=seed, scheme="sphere-sign")[:2]
        return a, rotate_draw(W, basis)
    a, W, info = init_balanced_gaussian(m, d, lam, seed=seed)
    W = rotate_draw(W, basis)
    if how == "none":
        return a, W
    if how == "factor2":
        a = 2.0 * a
    else:
        u = np.random.default_rng(int(inst.params["seed"]) + 1000).uniform(0.25, 2.0, size=len(a))
        a = u * a
    return a, W


#: the two relative tolerances of the Lemma 1 flows in float64 (loose, tight): the invariant is O(lambda^2) while
#: a_j, ||w_j|| grow to O(1), so the pair is chosen where the loose run's error on it is already ~1e-9 relative
#: (measured on DS-A: drift 4e-9 of the invariant at rtol 1e-12, 4e-6 at 1e-10)
RTOLS_F64 = (1e-12, 1e-13)


def _rtols(precision):
    return RTOLS_F64 if precision in (None, "float64") else rtols(precision)


def _finite(name, values, inst):
    """Raise (the claim is ERROR) if a flow quantity is not finite: a verdict on overflowed numbers is none."""
    arr = np.asarray([float(v) for v in np.ravel(values)], dtype=float)
    if not np.all(np.isfinite(arr)):
        X, _ = inst.arrays()
        raise FloatingPointError(f"{name} is not finite (max |x_k| = {float(np.max(np.abs(X))):.3g}): the flow "
                                 "overflows float64 on this data; rescale the inputs")


def _measure(inst: Instance, point: dict, precision) -> Measurement:
    """Lemma 1 on one instance: the balancedness B_j(t) = a_j(t)^2 - ||w_j(t)||^2 on a time grid, read off the
    flow integrated in the coordinates theta_j = e^{r_j} v_j of the full neuron (a_j, w_j) (numerics.flows) as
    e^{2 r_j} (v_{j0}^2 - ||v_{j,1:}||^2) (no cancellation of O(1) squares: the state stores the direction), and
    a_j(t), ||w_j(t)|| for the mutant. These coordinates do not impose balancedness (the balanced log-polar
    coordinates of Eq. (9) would enforce the conclusion).

    Errors: B_j(t): |tight - loose| between the rtol 1e-12 and 1e-13 runs + the tight tolerance accumulated over
    its steps (:func:`.common.two_tolerance_error`) + the rounding of the direction renormalised at every step
    and event, 4 eps (steps + 1) (a_j^2 + ||w_j||^2) (the common drift both runs share: measured 4e-13 of
    a_j^2 + ||w_j||^2 on DS-A after ~150 steps and events, for every rtol from 1e-11 to 1e-13) + the initial
    conversion, 8 eps (a_j(0)^2 + ||w_j(0)||^2); B_j(0) = a_j(0)^2 - ||w_j(0)||^2 in float64 from the init
    draw: 4 eps (a_j(0)^2 + ||w_j(0)||^2); a_j(0), ||w_j(0)||: rounding. A non-finite loss or state is an ERROR."""
    model = inst.model()
    a0, W0 = _unbalanced_init(inst)
    with np.errstate(over="ignore", invalid="ignore"):
        loss0 = float(model_loss(model, a0, W0))
    _finite("the initial loss", [loss0], inst)
    T = float(inst.params["T"])
    times = np.linspace(0.0, T, 61)
    runs = []
    for rtol in _rtols(precision):
        s0 = PolarState.from_cartesian(a0, W0, precision=precision or "float64")
        tr = solve_flow(model, s0, T, precision=precision, rtol=rtol, t_eval=times)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        tr.rtol = float(rtol)
        runs.append(tr)
    loose, tight = runs
    loss_T = float(tight.final.loss(model))
    _finite("the loss at T", [loss_T], inst)
    m = len(a0)
    a0n = np.asarray([float(v) for v in a0])
    w0n = np.linalg.norm(np.asarray(W0, dtype=float), axis=1)
    bal0 = a0n ** 2 - w0n ** 2
    size0 = a0n ** 2 + w0n ** 2
    eps64 = np.finfo(float).eps
    steps = tight.nsteps + len(tight.events)
    bt, at, nwt, eb, ea, enw, tt, jj = [], [], [], [], [], [], [], []
    for ti, (sl, st) in enumerate(zip(loose.sampled, tight.sampled)):
        b_t, b_l = st.balancedness(), sl.balancedness()
        a_t, a_l = st.a(), sl.a()
        n_t, n_l = st.norm_w(), sl.norm_w()
        _finite(f"the state at t = {times[ti]:g}", list(b_t) + list(a_t) + list(n_t), inst)
        for j in range(m):
            size_t = float(a_t[j]) ** 2 + float(n_t[j]) ** 2
            bt.append(b_t[j])
            at.append(a_t[j])
            nwt.append(n_t[j])
            eb.append(two_tolerance_error(b_t[j], b_l[j], tight, precision)
                      + 4 * ulp(precision) * (steps + 1) * size_t + 8 * eps64 * size0[j])
            ea.append(two_tolerance_error(a_t[j], a_l[j], tight, precision))
            enw.append(two_tolerance_error(n_t[j], n_l[j], tight, precision))
            tt.append(float(times[ti]))
            jj.append(j)
    npts = len(bt)
    drift = [max(abs(float(bt[i * m + j]) - bal0[j]) for j in range(m)) for i in range(len(times))]
    return Measurement(
        values={"bal_t": bt, "bal_0": [bal0[j] for j in jj], "a_t": at, "nw_t": nwt,
                "a_0": [a0n[j] for j in jj], "nw_0": [w0n[j] for j in jj]},
        errors={"bal_t": eb, "bal_0": [4 * eps64 * size0[j] for j in jj], "a_t": ea, "nw_t": enw,
                "a_0": "rounding", "nw_0": "rounding"},
        coords={"t": tt, "j": jj},
        precision=precision or "float64",
        info={"rtol": [float(r) for r in _rtols(precision)], "nsteps": tight.nsteps, "events": len(tight.events),
              "T": T, "points": npts, "loss_T": loss_T, "reduction": model.reduction,
              "max_abs_invariant": float(np.max(np.abs(bal0))),
              "max_relative_drift": float(max(abs(float(bt[i]) - bal0[jj[i]]) / abs(bal0[jj[i]])
                                              for i in range(npts)))},
        series={"drift": {"x": [float(t) for t in times],
                          "y": {"max_j |(a^2-|w|^2)(t) - (a^2-|w|^2)(0)|": [float(v) for v in drift]},
                          "xlabel": "t", "ylabel": "drift of the invariant", "logy": True}},
    )


A_T, NW_T, A_0, NW_0 = sp.symbols("a_t nw_t a_0 nw_0", real=True)
BAL_T, BAL_0 = sp.symbols("bal_t bal_0", real=True)

claims.add(
    "lemma1", "Lemma 1", "§2.2, l.240-253", "flow-inequality", result="lemma1", catalog_ref="L1",
    statement=sp.Eq(BAL_T, BAL_0),
    latex_names={"bal_t": r"a_j(t)^2 - \|w_j(t)\|^2", "bal_0": r"a_j(0)^2 - \|w_j(0)\|^2", "a_t": r"a_j(t)",
                 "nw_t": r"\|w_j(t)\|", "a_0": r"a_j(0)", "nw_0": r"\|w_j(0)\|"},
    symbols_doc={"bal_t": "a_j(t)^2 - ||w_j(t)||^2, read off the state as e^{2 r_j}(v_{j0}^2 - ||v_{j,1:}||^2)",
                 "bal_0": "a_j(0)^2 - ||w_j(0)||^2 of the init draw", "a_t": "output weight a_j at time t",
                 "nw_t": "||w_j^t||", "a_0": "a_j^0", "nw_0": "||w_j^0||"},
    quantifier="for all t >= 0 (time grid of 61 points on [0, T]) and every neuron j",
    quantifier_latex=r"\forall t \geq 0,\ \forall j \in [m]",
    instances=_instances, measure=_measure, data_instances=_data_instances, provides=("a_t", "nw_t", "a_0", "nw_0"),
    display=("|a^2 - |w|^2 (t) - (a^2 - |w|^2)(0)|", sp.Abs(BAL_T - BAL_0), "|a_j(0)^2 - ||w_j(0)||^2|",
             sp.Abs(BAL_0)),
    mutant=Mutant(sp.Eq(BAL_T + 2 * NW_T ** 2, BAL_0 + 2 * NW_0 ** 2),
                  "a_j^2 + ||w_j||^2 (= B_j + 2||w_j||^2) conserved (catalog L1 mutation): it grows by about 2||y||"),
    ladder=LADDER_F64,
    notes="Checked on an unbalanced init (the first statement of Lemma 1 is for any init); the balanced "
          "corollary a_j = s_j ||w_j|| is what the log-polar coordinates of Eq. (9) assume. Equality within the "
          "default relative tolerance 1e-6 of the invariant (float64 flows at rtol 1e-12 vs 1e-13 resolve it to "
          "~1e-9). On user data (--data) the dataset's reduction (mean or sum) is used; a flow that overflows "
          "float64 (e.g. inputs of norm 1e200) is an ERROR, never a verdict.")
