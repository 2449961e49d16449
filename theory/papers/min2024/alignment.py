"""min2024 Appendix C.2, the alignment proof along the flow: the boundary push (7)-(8) (catalog E38), the monotone
activation patterns it implies (E20), the dwell-time bound Delta t = 4/(min{zeta, xi} sqrt(mu) X_min n_a) (E39) and the
cap avoidance of Case 2 (E39, with finding F2's printed zeta = max{zeta_1, zeta_2} as the rejected near miss).

Event logs come from the engine's event-located switches (Caratheodory, sigma'(0) = 0); the rigorous instance is
DS-A + I-A8 at eps_2 (every hypothesis of C.2 holds), with the generic random 2-D instance at its own eps_2
(common.generic_eps2_instance); DS-A + R-A (eps = 1e-6) and DS-B (h = 30, eps = 1e-8) are outside (28) and show the same
structure.
"""
from __future__ import annotations


import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import (DATA_SETTING, FLOW_SETTING, THEOREM1_SETTING, arrays, data_params, dsb_instance,
                     generic_eps2_instance, ia8_instance, inst_constants, log_eps_of, ra_eps2_instance, ra_instance,
                     region, run_for, state_arrays, user_flow_instance)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)

# =========================================================================== (7)-(8): the boundary push


def _push_instances(tier):
    out = [Instance("DS-A", data_params(datasets.ds_a())), Instance("DS-B", data_params(datasets.ds_b())),
           Instance("mu-separated (d = 3, mu >= 0.3, seed 0)",
                    data_params(datasets.mu_separated(4, 6, 3, 0.3, seed=0)))]
    return out


def _push_measure(inst, point, precision) -> Measurement:
    """eps -> 0 limit of d/dt <w^_j, x_i y_i/||x_i||> at <w_j, x_i> = 0 for j in V_+: <u_i, x_a(w)>, at boundary points
    of every datum's hyperplane (2-D: both; D >= 3: 200 per hyperplane) that are not in S_dead, with n_a(w)."""
    X, y = arrays(inst.params)
    D = X.shape[1]
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    rng = np.random.default_rng(7)
    push, na, lab = [], [], []
    for i in range(len(y)):
        xi = X[i] / np.linalg.norm(X[i])
        B = np.linalg.svd(np.eye(D) - np.outer(xi, xi))[0][:, :D - 1]
        pts = [B[:, 0], -B[:, 0]] if D == 2 else [B @ v / np.linalg.norm(v) for v in rng.standard_normal((200, D - 1))]
        for w in pts:
            act = X @ w > 1e-12 * np.linalg.norm(X, axis=1)
            act[i] = False
            if not act.any():
                continue
            xa = y[act] @ X[act]
            push.append(float(U[i] @ xa))
            na.append(int(act.sum()))
            lab.append(f"w perp x_{i + 1}, active {np.flatnonzero(act) + 1}")
    mu = float(np.min(U @ U.T))
    return Measurement(values={"push": push, "n_a": na, "mu": mu, "X_min": float(np.min(np.linalg.norm(X, axis=1)))},
                       errors={"push": "rounding", "mu": "rounding", "X_min": "rounding"}, exact=("n_a",),
                       coords={"at": lab})


PUSH, NA, MU, XMIN = sp.symbols("push n_a mu X_min", positive=True)
claims.add(
    "activation.push", "(7)-(8): at <w_j, x_i> = 0 the flow pushes w_j into {<x_i y_i, w> > 0} (V_+), rate >= "
    "mu^{3/2} X_min", "§3.3 l.588-648; App. C.2 l.2248-2290", "closed-form", catalog_ref="E38, E20", result="activation",
    hypotheses=DATA_SETTING, statement=sp.Ge(PUSH, MU ** sp.Rational(3, 2) * XMIN), measure=_push_measure,
    instances=_push_instances, provides=("n_a",),
    mutant=Mutant(sp.Ge(PUSH, 2 * MU * XMIN * NA), ">= 2 mu X_min n_a (catalog E38 mutation: DS-A 1.167 < 2)"),
    latex_names={"push": r"\langle x_iy_i/\|x_i\|,x_a(w)\rangle", "n_a": "n_a", "mu": r"\mu", "X_min": r"X_{\min}"},
    symbols_doc={"push": "eps -> 0 rate of <w^, u_i> at the boundary <w, x_i> = 0", "n_a": "active data"},
    quantifier="boundary points of every hyperplane {<w, x_i> = 0} outside S_dead",
    notes="The finite-eps version subtracts 2 n X_max max|f| (Lemma 10), which (29) keeps below mu^{3/2} X_min/2 only "
          "with F1's corrected (28) (min2024.finding.F1). Catalog: min ratio to mu^{3/2} n_a X_min is 1.506 (DS-A), "
          "1.890 (DS-B): the bound even holds with the factor n_a.")

# =========================================================================== monotone activation patterns


def _flow_instances(tier):
    out = [ia8_instance("eps2", T=705.0), ra_instance(-6.0, T=60.0), dsb_instance(-8.0, T=20.0)]
    return out


def _monotone_measure(inst, point, precision) -> Measurement:
    """Every activation switch of the run: g = +1 (gain) / -1 (loss) and y_k s_j; crossings per (j, k) pair in info."""
    R = run_for(inst)
    g, ys, lab = [], [], []
    pairs = {}
    for j in range(R.h):
        hist = R.history(j)
        for (t0, p0, _), (t1, p1, _) in zip(hist, hist[1:]):
            for k in np.flatnonzero(p0 != p1):
                g.append(1 if p1[k] else -1)
                ys.append(int(R.y[k] * R.s[j]))
                lab.append(f"t={t1:.6g}, j={j}, x_{k + 1}: {'gain' if p1[k] else 'loss'}")
                pairs[(j, int(k))] = pairs.get((j, int(k)), 0) + 1
    if not g:
        raise RuntimeError("no activation switch on this run")
    return Measurement(values={"g": g, "ys": ys}, exact=True, coords={"switch": lab},
                       info={"n_switches": len(g), "max_crossings_per_pair": max(pairs.values()),
                             "n_pairs_crossed": len(pairs)})


G_SW, YS = sp.symbols("g ys", real=True)
claims.add(
    "activation.monotone", "V_+ neurons only gain positive and lose negative data (V_- the reverse)",
    "§3.3 l.640-648 (from (7)-(8))", "flow-inequality", catalog_ref="E20 (b), E49", result="activation",
    hypotheses=FLOW_SETTING, statement=sp.Gt(G_SW * YS, 0), measure=_monotone_measure, instances=_flow_instances,
    share=f"{KEY}.flow", data_instances=lambda ds: [user_flow_instance(ds)], mutant=Mutant(sp.Gt(G_SW, 0), "activation sets only grow (I-A8's 300-deg neuron loses x_3)"),
    latex_names={"g": r"\pm1\ (\text{gain/loss})", "ys": r"y_k\,\mathrm{sign}(v_j)"},
    symbols_doc={"g": "+1 gain, -1 loss", "ys": "y_k s_j"}, quantifier="every activation switch of the run",
    notes="(7)-(8) are proven under (28) (I-A8 at eps_2); R-A at 1e-6 and DS-B at 1e-8 show the same (no forbidden "
          "switch; every hyperplane crossed at most once, info.max_crossings_per_pair, the no-Zeno condition of E.2).")

# =========================================================================== Delta t: the dwell-time bound


def _dwell_instances(tier):
    """I-A8 and the generic 2-D instance at their eps_2 (every hypothesis of C.2 holds), R-A at its eps_2 (full)."""
    out = [ia8_instance("eps2", T=705.0), generic_eps2_instance()]
    if tier == "full":
        out.append(ra_eps2_instance())
    return out


def _dwells(R):
    """(d, n_a, label) for every stay in a pattern outside the trap set (the proof's Delta t applies to neurons not in
    S_+ u S_dead (V_+) / S_- u S_dead (V_-)), with the time error of its end points."""
    out = []
    for j in range(R.h):
        hist = R.history(j)
        trap = ("S+", "dead") if R.s[j] > 0 else ("S-", "dead")
        for (t0, p0, e0), (t1, p1, e1) in zip(hist, hist[1:]):
            if region(p0, R.y) in trap:
                break
            if t1 == t0:
                continue
            out.append((t1 - t0, int(p0.sum()), e0 + e1, f"j={j}, pattern {np.flatnonzero(p0) + 1}, from t={t0:.4g}"))
    return out


def _dwell_measure(inst, point, precision) -> Measurement:
    """Every dwell d in an activation pattern before the trap set, its n_a, and c = min{zeta, xi} sqrt(mu) X_min."""
    R = run_for(inst)
    C = inst_constants(inst)
    dw = _dwells(R)
    if not dw:
        raise RuntimeError("no dwell before the trap sets on this run")
    return Measurement(values={"d": [x[0] for x in dw], "n_a": [x[1] for x in dw], "c": C.c},
                       errors={"d": [x[2] for x in dw], "c": "rounding"}, exact=("n_a",),
                       coords={"dwell": [x[3] for x in dw]},
                       info={"longest": max(x[0] for x in dw), "Delta_t_1": 4 / C.c, "min_zeta_xi": min(C.zeta, C.xi)})


DW, CRATE = sp.symbols("d c", positive=True)
claims.add(
    "dwell", "C.2: a neuron outside its trap set changes pattern within Delta t = 4/(min{zeta, xi} sqrt(mu) X_min n_a)",
    "App. C.2, l.2292-2521", "flow-inequality", catalog_ref="E39", result="dwell", hypotheses=THEOREM1_SETTING,
    statement=sp.Le(DW, 4 / (CRATE * NA)), measure=_dwell_measure, instances=_dwell_instances,
    share=f"{KEY}.flow",
    mutant=Mutant(sp.Le(DW, sp.Rational(1, 20) / (CRATE * NA)), "constant 4 -> 0.05 (catalog E39: neuron 180 deg "
                                                               "stays 0.374 with n_a = 2)"),
    latex_names={"d": r"d_k", "n_a": r"n_a", "c": r"\min\{\zeta,\xi\}\sqrt{\mu} X_{\min}"},
    symbols_doc={"d": "time spent in one activation pattern before the trap set", "n_a": "active data in it",
                 "c": "min{zeta, xi} sqrt(mu) X_min"}, quantifier="every dwell of every neuron before its trap set",
    display=("dwell", DW, "Delta t", 4 / (CRATE * NA)),
    notes="Catalog E39: the longest dwell on I-A8 is 0.374 (neuron 180 deg, n_a = 2) against Delta t(2) = 7.17.")


def _cap_measure(inst, point, precision) -> Measurement:
    """cos(w_j(t), x_{-s_j}) for every neuron at 200 times of [1e-4, T] (geometric) (T = Lemma 3's T: the alignment phase), with the
    sup zeta_2* of (26) and the printed zeta = max{zeta_1, zeta_2} (F2)."""
    R = run_for(inst)
    C = inst_constants(inst)
    T = min(C.T(log_eps_of(inst)), R.T)
    times = np.geomspace(1e-4, T, 200)
    xh = {1.0: C.x_minus / np.linalg.norm(C.x_minus), -1.0: C.x_plus / np.linalg.norm(C.x_plus)}
    vals = {}
    for which in ("tight", "loose"):
        cs = []
        for st in R.states(times, which):
            U, _ = state_arrays(st)
            cs += [float(U[j] @ xh[R.s[j]]) for j in range(R.h)]
        vals[which] = np.array(cs)
    c, cl = vals["tight"], vals["loose"]
    return Measurement(values={"c": c.tolist(), "zeta2": C.zeta2, "zeta_pr": C.zeta_printed},
                       errors={"c": (np.abs(c - cl) + 1e-15).tolist(), "zeta2": "rounding", "zeta_pr": "rounding"},
                       coords={"t": np.repeat(times, R.h).tolist(), "j": list(range(R.h)) * len(times)},
                       info={"T": T, "zeta1": C.zeta1, "zeta2": C.zeta2})


CC, Z2, ZPR = sp.symbols("c zeta2 zeta_pr", positive=True)
claims.add(
    "dwell.cap", "C.2 Case 2: no V_+ neuron enters the cap S^zeta_{x_-} during [0, T] (V_-: S^zeta_{x_+})",
    "App. C.2, l.2404-2455", "flow-inequality", catalog_ref="E39, F2", result="dwell", hypotheses=THEOREM1_SETTING,
    statement=sp.Lt(CC, sp.sqrt(1 - Z2)), measure=_cap_measure, instances=lambda tier: _dwell_instances("fast"),
    share=f"{KEY}.flow", provides=("zeta_pr",),
    mutant=Mutant(sp.Lt(CC, sp.sqrt(1 - ZPR)), "the printed zeta := max{zeta_1, zeta_2} (F2): the cap is wider than "
                                              "(26) allows"),
    latex_names={"c": r"\cos(w_j(t),x_{-s_j})", "zeta2": r"\zeta_2", "zeta_pr": r"\max\{\zeta_1,\zeta_2\}"},
    symbols_doc={"c": "cos(w_j(t), x_{-s_j})", "zeta2": "the sup of zeta_2 in (26)",
                 "zeta_pr": "the printed zeta = max{zeta_1, zeta_2}"},
    quantifier="every neuron, 200 times of (0, T]",
    notes="With zeta_2 at its sup (26) is tight at t = 0 (I-A8's 265-deg neuron: cos = 0.766 = sqrt(1 - zeta_2*)); the "
          "flow moves it away at once (catalog: V_+ neurons' cos(w, x_-) only decreases). With the printed max the cap "
          "radius is set by zeta_1 = 1/2 and the init already lies inside it.")
