"""boursier2022 Lemma 1 (§2.2, l.240-253): balancedness, a_j(t)^2 - ||w_j(t)||^2 is conserved by the flow.

Checked on an unbalanced init (the first statement of Lemma 1 is for any init) in the coordinates of the full
neuron (a_j, w_j), which do not impose balancedness (the balanced log-polar coordinates of Eq. (9) would
enforce the conclusion).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.flows import PolarState, solve_flow
from numerics.network import init_balanced_gaussian
from theory.claims import Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import H_FLOW, ds_a_params, generic_rotated_params, rtols, two_tolerance_error
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


def _data_instances(ds):
    """Lemma 1 on a user dataset (:class:`numerics.datasets.Dataset`): raw flow from an unbalanced init."""
    prm = ds.params or {}
    p = {"dataset": ds.name, "X": np.asarray(ds.X).tolist(), "y": np.asarray(ds.y).tolist(),
         "m": int(prm.get("m", 20)), "seed": int(prm.get("seed", 0)), "eps": 0.05,
         "gamma": float(ds.gamma or 0.0), "loss": ds.loss or "square",
         "lam": float(prm.get("lam", 1e-2)), "unbalance": "uniform", "T": float(prm.get("T", 300.0))}
    return [Instance(f"user data {p['dataset']}, unbalanced, lambda = {p['lam']:g}", p,
                     description="raw (a, W) flow from an unbalanced init")]


def _unbalanced_init(inst):
    """Unbalanced init: w_j^0 = lambda g_j (Eq. (4) draws), a_j^0 = 2 s_j ||w_j^0|| (DS-A recipe) or
    s_j u_j ||w_j^0|| with u_j ~ U[0.25, 2] from default_rng(seed + 1000)."""
    X, _ = inst.arrays()
    a, W, info = init_balanced_gaussian(int(inst.params["m"]), X.shape[1], float(inst.params["lam"]),
                                        seed=int(inst.params["seed"]))
    if inst.params["unbalance"] == "factor2":
        a = 2.0 * a
    else:
        u = np.random.default_rng(int(inst.params["seed"]) + 1000).uniform(0.25, 2.0, size=len(a))
        a = u * a
    return a, W


def _measure(inst: Instance, point: dict, precision) -> Measurement:
    """Lemma 1 on one instance: a_j^t, ||w_j^t|| on a time grid, from the flow integrated in the
    coordinates theta_j = e^{r_j} v_j of the full neuron (a_j, w_j) (numerics.flows), which do not
    impose balancedness (the balanced log-polar coordinates of Eq. (9) would enforce the conclusion).
    Error estimate (see :func:`.common.two_tolerance_error`): |loose - tight| between the rtol and rtol/100
    runs, plus the tight run's tolerance accumulated over its steps, plus 4 ulp."""
    model = inst.model()
    a0, W0 = _unbalanced_init(inst)
    T = float(inst.params["T"])
    times = np.linspace(0.0, T, 61)
    runs = []
    for rtol in rtols(precision):
        s0 = PolarState.from_cartesian(a0, W0, precision=precision or "float64")
        tr = solve_flow(model, s0, T, precision=precision, rtol=rtol, t_eval=times)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        tr.rtol = float(rtol)
        runs.append(tr)
    loose, tight = runs
    m = len(a0)
    at, nwt, ea, enw, tt, jj = [], [], [], [], [], []
    for ti, (sl, st) in enumerate(zip(loose.sampled, tight.sampled)):
        a_t, a_l = st.a(), sl.a()
        n_t = st.xp.sqrt(np.sum(st.W() * st.W(), axis=1))
        n_l = sl.xp.sqrt(np.sum(sl.W() * sl.W(), axis=1))
        for j in range(m):
            at.append(a_t[j])
            nwt.append(n_t[j])
            ea.append(two_tolerance_error(a_t[j], a_l[j], tight, precision))
            enw.append(two_tolerance_error(n_t[j], n_l[j], tight, precision))
            tt.append(float(times[ti]))
            jj.append(j)
    npts = len(at)
    a0n = np.asarray([float(v) for v in a0])
    w0n = np.linalg.norm(np.asarray(W0, dtype=float), axis=1)
    invariant0 = a0n ** 2 - w0n ** 2
    drift = [max(abs(float(at[i * m + j]) ** 2 - float(nwt[i * m + j]) ** 2 - invariant0[j]) for j in range(m))
             for i in range(len(times))]
    return Measurement(
        values={"a_t": at, "nw_t": nwt, "a_0": [a0n[j] for j in jj], "nw_0": [w0n[j] for j in jj]},
        errors={"a_t": ea, "nw_t": enw},
        coords={"t": tt, "j": jj},
        precision=precision or "float64",
        info={"rtol": [float(r) for r in rtols(precision)], "nsteps": tight.nsteps, "events": len(tight.events),
              "T": T, "points": npts, "loss_T": float(tight.final.loss(model)),
              "max_abs_invariant": float(np.max(np.abs(invariant0)))},
        series={"drift": {"x": [float(t) for t in times],
                          "y": {"max_j |(a^2-|w|^2)(t) - (a^2-|w|^2)(0)|": [float(v) for v in drift]},
                          "xlabel": "t", "ylabel": "drift of the invariant", "logy": True}},
    )


A_T, NW_T, A_0, NW_0 = sp.symbols("a_t nw_t a_0 nw_0", real=True)

claims.add(
    "lemma1", "Lemma 1", "§2.2, l.240-253", "flow-inequality", result="lemma1", catalog_ref="L1",
    statement=sp.Eq(A_T ** 2 - NW_T ** 2, A_0 ** 2 - NW_0 ** 2),
    latex_names={"a_t": r"a_j(t)", "nw_t": r"\|w_j(t)\|", "a_0": r"a_j(0)", "nw_0": r"\|w_j(0)\|"},
    symbols_doc={"a_t": "output weight a_j at time t", "nw_t": "||w_j^t||", "a_0": "a_j^0", "nw_0": "||w_j^0||"},
    quantifier="for all t >= 0 (time grid of 61 points on [0, T]) and every neuron j",
    quantifier_latex=r"\forall t \geq 0,\ \forall j \in [m]",
    instances=_instances, measure=_measure, data_instances=_data_instances,
    display=("|a^2 - |w|^2 (t) - (a^2 - |w|^2)(0)|", sp.Abs(A_T ** 2 - NW_T ** 2 - A_0 ** 2 + NW_0 ** 2),
             "|a_j(0)^2 - ||w_j(0)||^2|", sp.Abs(A_0 ** 2 - NW_0 ** 2)),
    mutant=Mutant(sp.Eq(A_T ** 2 + NW_T ** 2, A_0 ** 2 + NW_0 ** 2),
                  "a_j^2 + ||w_j||^2 conserved (catalog L1 mutation): it grows by about 2||y||"),
    notes="Checked on an unbalanced init (the first statement of Lemma 1 is for any init); the balanced "
          "corollary a_j = s_j ||w_j|| is what the log-polar coordinates of Eq. (9) assume.")
