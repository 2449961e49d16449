"""boursier2022 Lemma 6 (App. B.2, l.1056-1060, via Eq. (11)): a coordinate <w_j, x_k> that is negative at some
time stays negative (deactivation is permanent), read off the raw pre-activations of the long flows
(:func:`.common.long_run`).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (H_A1, H_INIT, H_MODEL, RTOL_TIGHT, core_geometry, data_eps, ds_a_params, flow_core, flow_cost,
                     generic_params, horizon, long_run, user_instance)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_A1, H_MODEL, H_INIT], ladder=LADDER_F64)


def _instances(tier):
    return [Instance("DS-A, lambda = 1e-8", {**ds_a_params(0.05), "lam10": -8},
                     description="z_jk = <w_j, x_k> at every trajectory node up to the horizon"),
            Instance("generic orthonormal (n=5, d=6), lambda = 1e-8", {**generic_params(0.05), "lam10": -8},
                     description="z_jk = <w_j, x_k> at every trajectory node up to the horizon")]


def _data_instances(ds):
    """Lemma 6 on a user's dataset: the long run (:func:`.common.long_run`) from the file's ``m``, ``seed``, ``init`` at
    one lambda (``lam10`` or ``lam``; default 1e-8); every (j, k) pair of the trajectory is read."""
    s, unused, _ = data_eps(ds, ("m", "seed", "init", "lam10"), lam10=-8.0)
    X, y = np.asarray(ds.X, float), np.asarray(ds.y, float)
    nDm = float(np.linalg.norm(np.minimum(y, 0) @ X)) / len(y)
    desc = ("z_jk = <w_j, x_k> at every trajectory node up to the horizon (ln(1/lambda) + 25)/||D_-||; "
            + flow_cost(ds.n, int(s["m"]), [horizon(float(s["lam10"]), nDm)] if nDm > 0 else [], runs=1))
    return [user_instance(ds, s, unused, f"m = {s['m']}, seed {s['seed']}, lambda = 10^{float(s['lam10']):g}", None,
                          desc)]


def _measure(inst, point, precision) -> Measurement:
    """For every pair (j, k) negative at some node t: max of z_jk over the later nodes (must stay < 0); for
    every pair positive at t = 0: min of z_jk over later nodes (the mutant 'active stays active')."""
    core = flow_core(inst.params)
    tr = long_run(core, float(inst.params["lam10"]), RTOL_TIGHT)
    q, X, y, *_ = core_geometry(core)
    Zs = [np.asarray(st.W(), float) @ X.T for st in tr.states]
    Z = np.stack(Zs)  # (nodes, m, n)
    steps = tr.nsteps + len(tr.events) + 1
    scale = np.max(np.abs(Z), axis=0)  # per pair
    # inputs along the axes (x_k = c_k e_{i_k}, as x_k = e_k): <w_j, x_k> = c_k w_{j, i_k} is one product, exactly 0
    # once the engine has projected the coordinate; otherwise (rotated inputs) a dot product with rounding
    rotated = not bool(np.all(np.count_nonzero(X, axis=1) == 1))
    # rotated inputs: a coordinate the engine projected onto <w_j, x_k> = 0 is left at a rounding-level +-1e-16; it is
    # negative only beyond the rounding of the d-term dot product, 16 (d + 2) eps ||w_j^t|| ||x_k|| (a dead coordinate
    # at 0 is not negative: Lemma 6 says nothing of it, and the flow may leave 0 when its residual changes sign)
    floor = np.zeros_like(Z)
    if rotated:
        Wn = np.stack([np.linalg.norm(np.asarray(st.W(), float), axis=1) for st in tr.states])   # (nodes, m)
        floor = 16 * (X.shape[1] + 2) * np.finfo(float).eps * Wn[:, :, None] * np.linalg.norm(X, axis=1)[None, None, :]
    zneg, eneg, jn, kn = [], [], [], []
    zpos, jp, kp_ = [], [], []
    m, n = Z.shape[1], Z.shape[2]
    for j in range(m):
        for k in range(n):
            col = Z[:, j, k]
            neg = np.flatnonzero(col < -floor[:, j, k])
            if len(neg):
                i0 = neg[0]
                zneg.append(float(np.max(col[i0:])))
                eneg.append(RTOL_TIGHT * steps * abs(col[i0]) + (1e-13 * scale[j, k] if rotated else 0.0))
                jn.append(j)
                kn.append(k)
            if col[0] > 0:
                zpos.append(float(np.min(col)))
                jp.append(j)
                kp_.append(k)
    # one row per negative pair; the mutant quantity is broadcast as its worst value (min over positive pairs)
    iw = int(np.argmin(zpos))
    deaths = [(float(e.t), int(e.j), int(e.k)) for e in tr.events if e.kind in ("deactivate", "slide_enter")]
    if zpos[iw] == 0 and not rotated:
        # an exact zero: the engine's projection onto <w_j, x_k> = 0 at the located death event (Filippov sliding; the
        # exact flow also stays at 0, Eq. (11)); exact once that event lies before the last node
        td = [t for t, j, k in deaths if (j, k) == (jp[iw], kp_[iw])]
        errp = 0.0 if td and td[-1] < float(tr.t_final) else float("inf")
    else:
        errp = RTOL_TIGHT * steps * abs(zpos[iw]) + (1e-13 * float(scale[jp[iw], kp_[iw]]) if rotated else 0.0)
    return Measurement(
        values={"z_neg_later": zneg, "z_pos_later": zpos[iw]},
        errors={"z_neg_later": eneg, "z_pos_later": errp},
        coords={"j": jn, "k": kn},
        info={"pairs_negative": len(zneg), "pairs_initially_positive": len(zpos),
              "worst_active_pair": [jp[iw], kp_[iw]], "its_min_z": zpos[iw], "nodes": len(Zs),
              "its_death_time": next((t for t, j, k in reversed(deaths) if (j, k) == (jp[iw], kp_[iw])), None),
              "deaths (t, j, k)": deaths[:20],
              "note": "a coordinate that dies is EXACTLY 0 afterwards: the engine projects it onto <w_j, x_k> = 0 at "
                      "the located death event (error 0 once that event precedes the last node)"})


Z_NEG_LATER, Z_POS_LATER = sp.symbols("z_neg_later z_pos_later", real=True)

claims.add(
    "lemma6", "Lemma 6 (deactivation is permanent)", "App. B.2, l.1056-1060 (via Eq. (11))", "flow-inequality",
    result="lemma6", catalog_ref="L6, F-7", share=f"{PAPER.key}.lemma6", instances=_instances,
    data_instances=_data_instances,
    statement=sp.Lt(Z_NEG_LATER, 0),
    latex_names={"z_neg_later": r"\langle w_j^{t'}, x_k\rangle",
                 "z_pos_later": r"\min_{t'}\langle w_j^{t'},x_k\rangle"},
    symbols_doc={"z_neg_later": "max over t' >= t of <w_j^{t'}, x_k>, for every (j, k) with <w_j^t, x_k> < 0",
                 "z_pos_later": "min over t' of <w_j^{t'}, x_k> among pairs with <w_j^0, x_k> > 0"},
    quantifier="for all t' >= t, j, k with <w_j^t, x_k> < 0",
    quantifier_latex=r"\langle w_j^t,x_k\rangle<0 \Rightarrow \langle w_j^{t'},x_k\rangle<0\ \forall t'\geq t",
    measure=_measure, provides=("z_pos_later",),
    mutant=Mutant(sp.Lt(sp.Max(Z_NEG_LATER, -Z_POS_LATER), 0),
                  "activity frozen both ways: negative stays negative AND active stays active (the statement plus its "
                  "converse, catalog L6 mutation); coordinates die at t = 0.32 .. 4.72 on DS-A seed 0"),
    notes="Raw pre-activations of the Filippov flow (which is not built to freeze negative coordinates: they "
          "stay constant because their velocity s_j||w_j||(y_k - h_k)/n 1_{z>0} vanishes). The mutant adds the "
          "converse (z > 0 at t = 0 stays > 0) to the statement; it is rejected on the coordinates that die, which "
          "are EXACT zeros produced by the engine's projection onto <w_j, x_k> = 0 at the located death event (error 0 "
          "once that event precedes the last node; see info).")
