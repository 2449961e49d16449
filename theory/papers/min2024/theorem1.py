"""min2024 Theorem 1 (§3.1, l.355-384): part 1, directional convergence by t_1 (catalog E10), and part 2, trapping after
t_1 (E11), t_1 <= T <= t_2 (E12 b) and the O(1/t) loss rate after t_2 (E12 c, E45).

The rigorous regime: DS-A with the deterministic init I-A8 at eps = eps_2 = e^{-1273.77} (about 10^-553.19), the
second branch of (28), integrated in log-polar coordinates (the engine runs eps through r_j(0) = ln eps + O(1)), and
DS-A with the random init R-A (seed 0, h = 20) at its own eps_2 (e^{-10670}); the generic instance is random
mu-separated data (n = 4) with a random init (h = 6) at its own eps_2 (e^{-1942}). Every hypothesis is evaluated:
Assumptions 1-2, init (3), a loss satisfying Lemma 2, eps <= (28), and Definition 1 on the run itself. The same statements at
eps = 1e-6 (I-A8) and at eps in {1e-3, 1e-6, 1e-12} (R-A) are outside (28): they are registered as separate
"practical regime" claims (tag beyond-paper), where a pass is evidence and a failure would not refute the theorem.

Times: t_1 = 16 ln n/(min{zeta, xi} sqrt(mu) X_min) with the sups zeta_1* (Lemma 8), zeta_2* (26), xi* = mu^2 (Lemma
9, catalog E34) and zeta = min(zeta_1, zeta_2) (finding F2; I-A8: min{zeta, xi} = xi = 9/25 either way); tau_j = the
first time neuron j is in its trap set (S_+ or S_dead for j in V_+; S_- or S_dead for j in V_-), from the event-located
activation switches (error: the two tolerances).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (FLOW_SETTING, GENERIC_2D, HYP_BOTH, HYP_REGULAR, LN10, THEOREM1_SETTING, arrays,
                     generic_eps2_instance, generic_name, generic_params, horizon, ia8_instance, inst_constants,
                     log_eps_of, ra_eps2_instance, ra_instance, ra_params, region, run, run_for, t2_times, trap_counts,
                     user_flow_instance)
from .paper import CATALOG, KEY, PAPER

SHARE = f"{KEY}.flow"
claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, share=SHARE)

# =========================================================================== instances

IA8_T = 705.0  # past t_2 = 643.1 at eps_2 (catalog §1.1)


def rigorous_instances(tier, part2=False):
    """I-A8 at eps_2 (past t_2), the generic random 2-D instance (n = 4, h = 6) at its own eps_2 (e^{-1942}, past its
    t_2 = 971), and (full tier, part 1) R-A seed 0 at its eps_2 up to its t_1 = 667 (2e3 steps)."""
    out = [ia8_instance("eps2", T=IA8_T), generic_eps2_instance()]
    if tier == "full" and not part2:
        out.append(ra_eps2_instance())
    return out


def _past_t1(inst, T: float):
    """The instance with horizon max(T, 1.01 t_1): a neuron not trapped by the end of the run is then not trapped by
    t_1 (tau = inf below is a genuine violation, not an artefact of a short run)."""
    return dataclasses.replace(inst, params={**inst.params, "T": max(T, 1.01 * inst_constants(inst).t1)})


def user_past_t1(ds):
    """The ``--data`` instance (common.user_flow_instance) run to max(its t_2 horizon, 1.01 t_1)."""
    inst = user_flow_instance(ds)
    try:
        out = _past_t1(inst, horizon(inst.params, log_eps_of(inst)))
        return out if math.isfinite(out.params["T"]) else inst
    except (ValueError, ZeroDivisionError, FloatingPointError):  # t_1 undefined (Assumption 1/2 fails): the
        return inst                                               # hypotheses decide (NOT_APPLICABLE)


def practical_instances(tier):
    """I-A8 at eps = 1e-6 and R-A at eps in {1e-3, 1e-6, 1e-12} (full) / 1e-6 (fast), each run past its t_1 (79.54,
    666.9): the horizons 60 used before were below t_1, so an untrapped neuron could not have failed the claim."""
    eps = (-3, -6, -12) if tier == "full" else (-6,)
    return [_past_t1(ia8_instance("1e-6"), 60.0)] + [_past_t1(ra_instance(e), max(60.0, -e * LN10 / 1.9 + 40))
                                                     for e in eps]


# =========================================================================== part 1: tau_j <= t_1


def _angles(R):
    if R.X.shape[1] != 2:
        return None
    return [float(np.degrees(np.arctan2(w[1], w[0])) % 360) for w in R.W0]


def _t1_of(inst):
    C = inst_constants(inst)
    return C, C.t1


def _tau_measure(inst, point, precision) -> Measurement:
    """tau_j (first time in the trap set, event-located, two tolerances) and t_1 (closed form) for every neuron. A run
    whose horizon is below 1.01 t_1 with a neuron still untrapped is extended to 1.01 t_1 (a short run cannot
    decide); a neuron untrapped at the end of a run past t_1 gets tau = the horizon (a lower bound: tau_j > horizon
    > t_1), so the statement fails there (the judge needs finite values; info.untrapped lists those neurons)."""
    R = run_for(inst, point)
    C, t1 = _t1_of(inst)
    if R.T < 1.01 * t1 and any(not math.isfinite(R.trap_time(j)[0]) for j in range(R.h)):
        R = run(inst.params, log_eps_of(inst, point), 1.01 * t1)
    taus, errs = [], []
    for j in range(R.h):
        tau, e = R.trap_time(j)
        if not math.isfinite(tau):
            tau, e = R.T, 0.0
        taus.append(tau)
        errs.append(e)
    untrapped = [j for j in range(R.h) if not math.isfinite(R.trap_time(j)[0])]
    fin = R.final_regions()
    ang = _angles(R)
    coords = {"j": list(range(R.h)), "s_j": [int(v) for v in R.s], "fate": fin}
    if ang:
        coords["angle_0_deg"] = [round(a, 4) for a in ang]
    return Measurement(values={"tau": taus, "t_1": t1}, errors={"tau": errs, "t_1": "rounding"}, coords=coords,
                       info={"t1_formula": t1, "min_zeta_xi": min(C.zeta, C.xi), "zeta1": C.zeta1, "zeta2": C.zeta2,
                             "xi": C.xi, "mu": C.mu, "max_tau": max(taus), "ln_eps": log_eps_of(inst),
                             "events": [[round(t, 6), k, j, i] for t, k, j, i in R.events],
                             "T_lemma3": C.T(log_eps_of(inst)), "horizon": R.T, "untrapped": untrapped})


TAU, T1 = sp.symbols("tau t_1", nonnegative=True)
TIME_KW = dict(
    statement=sp.Le(TAU, T1), measure=_tau_measure,
    mutant=Mutant(sp.Le(TAU, T1 / 160), "constant 16 -> 0.1 in t_1 (catalog E10 mutation iii: 0.497 < 0.661)"),
    latex_names={"tau": r"\tau_j", "t_1": r"t_1"},
    symbols_doc={"tau": "first time neuron j is in S_+ u S_dead (V_+) or S_- u S_dead (V_-)",
                 "t_1": "t_1 = 16 ln n/(min{zeta, xi} sqrt(mu) X_min) with the sups zeta_1*, zeta_2*, xi* = mu^2"},
    quantifier="for every neuron j", quantifier_latex=r"\forall j\in[h]",
    display=("max_j tau_j", TAU, "t_1", T1), catalog_ref="E10, F2", result="theorem1_i")

claims.add("theorem1.i.time", "Theorem 1 (1): every neuron reaches its trap set by t_1", "§3.1, l.355-371 (C.2)",
           "flow-inequality", hypotheses=THEOREM1_SETTING,
           instances=lambda tier: rigorous_instances(tier), **TIME_KW,
           notes="Rigorous regime (catalog E10 recipe A): I-A8 at eps_2 gives max tau_j = 0.661 against t_1 = 79.542 "
                 "(pattern-change times in info.events, identical at eps = 1e-6); eps = 1e-6 is outside (28) (the "
                 "hypothesis evaluates to false there: ln eps = -13.8 > ln eps_2 = -1273.8) and is checked by "
                 "min2024.theorem1.i.time.practical.")
claims.add("theorem1.i.time.practical", "Theorem 1 (1) beyond (28): trap times at practical eps",
           "§3.1, l.355-371", "flow-inequality", hypotheses=FLOW_SETTING + [HYP_REGULAR], instances=practical_instances,
           tags=("beyond-paper",), data_instances=lambda ds: [user_past_t1(ds)], **TIME_KW,
           notes="Catalog E10 recipe B: eps far above eps_2 (outside the theorem's hypothesis); a pass is evidence "
                 "that (28) is very conservative, a failure would not refute Theorem 1. The runs go past t_1 (79.54 "
                 "for I-A8, 666.9 for R-A): a neuron untrapped by t_1 fails the claim (tau = the horizon > t_1).")


def _fate_measure(inst, point, precision) -> Measurement:
    """At t_1 (the formula; the run's horizon if shorter: every event is long over): a_j = 1 if w_j(t_1) is in its own
    cone (S_+ for j in V_+, S_- for j in V_-), d_j = 1 if dead, p_j = 1 if max_{i in I_{s_j}} <w_j(0), x_i> > 0.
    Combinatorial, from the event-located switches (the two tolerances give the same event sequence): exact."""
    R = run_for(inst)
    _, t1 = _t1_of(inst)
    tcut = min(t1, R.T)
    a, d, pp, reg = [], [], [], []
    for j in range(R.h):
        hist = [hh for hh in R.history(j) if hh[0] <= tcut]
        near = [hh for hh in R.history(j) if abs(hh[0] - tcut) <= hh[2]]
        if near:
            raise RuntimeError(f"neuron {j} switches within the time error of t_1 = {tcut}")
        rg = region(hist[-1][1], R.y)
        own = "S+" if R.s[j] > 0 else "S-"
        a.append(int(rg == own))
        d.append(int(rg == "dead"))
        cls = R.y > 0 if R.s[j] > 0 else R.y < 0
        pp.append(int(np.any(R.X[cls] @ R.W0[j] > 0)))
        reg.append(rg)
    coords = {"j": list(range(R.h)), "s_j": [int(v) for v in R.s], "region_t1": reg}
    ang = _angles(R)
    if ang:
        coords["angle_0_deg"] = [round(v, 4) for v in ang]
    return Measurement(values={"a": a, "d": d, "p": pp}, exact=True, coords=coords,
                       info={"t_cut": tcut, "fates": dict(zip([str(j) for j in range(R.h)], reg))})


A_OWN, D_DEAD, P_ACT = sp.symbols("a d p", nonnegative=True)
FATE_KW = dict(
    statement=sp.Ge(2 * A_OWN + D_DEAD - P_ACT, 1), measure=_fate_measure,
    mutant=Mutant(sp.Ge(A_OWN, 1), "every V_+ neuron ends in S_+ (none dies; catalog E10 mutation i)"),
    latex_names={"a": r"\mathbb{1}[w_j(t_1)\in\mathcal{S}_{s_j}]", "d": r"\mathbb{1}[w_j(t_1)\in\mathcal{S}_{\mathrm{dead}}]",
                 "p": r"\mathbb{1}[\max_{i\in I_{s_j}}\langle w_j(0),x_i\rangle>0]"},
    symbols_doc={"a": "w_j(t_1) in its own cone", "d": "w_j(t_1) dead", "p": "w_j(0) activates a datum of its class"},
    quantifier="for every neuron j: (a or d) and (p => a), i.e. 2a + d - p >= 1",
    quantifier_latex=r"\forall j:\ (a_j\vee d_j)\wedge(p_j\Rightarrow a_j)", catalog_ref="E10", result="theorem1_i")

claims.add("theorem1.i.fate", "Theorem 1 (1): fates at t_1 (own cone or dead; own cone if initially active)",
           "§3.1, l.357-371", "flow-inequality", hypotheses=THEOREM1_SETTING,
           instances=lambda tier: rigorous_instances(tier), **FATE_KW)
claims.add("theorem1.i.fate.practical", "Theorem 1 (1) beyond (28): fates at practical eps", "§3.1, l.357-371",
           "flow-inequality", hypotheses=FLOW_SETTING + [HYP_REGULAR], instances=practical_instances,
           tags=("beyond-paper",), data_instances=lambda ds: [user_past_t1(ds)], **FATE_KW)

# =========================================================================== part 2: trapping after t_1


def _trap_measure(inst, point, precision) -> Measurement:
    """Per neuron: e_trap = number of region changes after tau_j (the trap set is left), e_opp = number of exits from
    the opposite cone S_{-s_j} (a V_+ neuron leaving S_-). Exact (event sequence identical at both tolerances)."""
    R = run_for(inst)
    et, eo = trap_counts(R)
    return Measurement(values={"e_trap": et, "e_opp": eo}, exact=True,
                       coords={"j": list(range(R.h)), "s_j": [int(v) for v in R.s], "fate": R.final_regions()},
                       info={"horizon": R.T, "n_events": len(R.events)})


E_TRAP, E_OPP = sp.symbols("e_trap e_opp", nonnegative=True)
claims.add(
    "theorem1.ii.trap", "Theorem 1 (2): S_+, S_-, S_dead trap the neurons after t_1", "§3.1, l.373 (Lemma 12)",
    "flow-inequality", catalog_ref="E11, E41", result="theorem1_ii", hypotheses=THEOREM1_SETTING,
    statement=sp.Le(E_TRAP, 0), measure=_trap_measure,
    instances=lambda tier: rigorous_instances(tier, part2=True),
    mutant=Mutant(sp.Le(E_TRAP + E_OPP, 0), "the opposite cone traps too (V_+ neurons in S_- stay; catalog E11)"),
    provides=("e_opp",), latex_names={"e_trap": r"\#\{\text{exits after }\tau_j\}", "e_opp": r"\#\{\text{exits from }\mathcal{S}_{-s_j}\}"},
    symbols_doc={"e_trap": "number of region changes after the neuron entered its trap set",
                 "e_opp": "number of exits from the opposite cone"},
    quantifier="for every neuron j, over the whole run (to past t_2)",
    notes="R-A at eps = 1e-6 is outside (28) (NOT_APPLICABLE here); trapping for any eps is Lemma 12 "
          "(min2024.lemma12).")

# =========================================================================== part 2: t_2 >= T >= t_1


def _t2_measure(inst, point, precision) -> Measurement:
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    d = t2_times(inst.params, le, R.T)
    if not math.isfinite(d["t2"]):
        raise RuntimeError(f"t_2 not reached by the horizon {R.T}")
    return Measurement(values={"t_2": d["t2"], "T_eps": C.T(le)}, errors={"t_2": d["err"], "T_eps": "rounding"},
                       coords={"which": "t2+" if d["t2+"] >= d["t2-"] else "t2-"},
                       info={"t2_plus": d["t2+"], "t2_minus": d["t2-"], "t1_formula": C.t1, "T_lemma3": C.T(le),
                             "ln_eps": le, "V_plus": d["V+"], "V_minus": d["V-"]})


T2, T_EPS = sp.symbols("t_2 T_eps", positive=True)
claims.add(
    "theorem1.ii.t2_lower", "Theorem 1 (2): t_1 <= T <= t_2 (the loss stays put until T)", "§3.1 l.377; D.2 l.3318",
    "flow-inequality", catalog_ref="E12 (b), E45", result="theorem1_ii", hypotheses=THEOREM1_SETTING + [HYP_BOTH],
    statement=sp.Ge(T2, T_EPS), measure=_t2_measure, instances=lambda tier: rigorous_instances(tier, part2=True),
    mutant=Mutant(sp.Ge(T2, 16 * T_EPS), "the factor 1/(4n) dropped: t_2 >= ln(1/(sqrt h eps))/X_max"),
    latex_names={"t_2": r"t_2=\max\{t_2^+,t_2^-\}", "T_eps": r"T=\frac{1}{4nX_{\max}}\log\frac{1}{\sqrt{h}\epsilon}"},
    symbols_doc={"t_2": "max(t_2^+, t_2^-), t_2^+- = inf{t: max_{I_+-} |f_+-(x_i)| > 1/4}", "T_eps": "Lemma 3's T"},
    notes="At eps_2, T = t_1 exactly (eps_2 solves T(eps) = t_1, catalog E15), so t_2 >= T is also t_2 >= t_1. "
          "t_2 is located by bisection on the trajectory (two tolerances).")

# =========================================================================== part 2: O(1/t) after t_2


def _rate_measure(inst, point, precision) -> Measurement:
    """L(t) at 400 times in (t_2, t_2 + 60] (geometrically denser near t_2, where the bound is tightest), L(t_2),
    t_2 (bisection, two tolerances), alpha = (mu X_min)^2/(32 X_max) (l.3500)."""
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    d = t2_times(inst.params, le, R.T)
    t2 = d["t2"]
    end = min(R.T, t2 + 60.0)
    dts = np.geomspace(1e-3, end - t2, 400)
    times = t2 + dts
    L = {w: np.array([float(st.loss(R.model)) for st in R.states(times, w)]) for w in ("tight", "loose")}
    L2 = {w: float(R.states([t2], w)[0].loss(R.model)) for w in ("tight", "loose")}
    errL = np.abs(L["tight"] - L["loose"]) + 1e-13 * L["tight"]
    # d(1/L)/dt >= alpha is the differential form (catalog E12 c): minimum over the window, for info
    invL = 1.0 / L["tight"]
    rate = np.diff(invL) / np.diff(times)
    return Measurement(values={"L": L["tight"].tolist(), "L_2": L2["tight"], "alpha": C.alpha, "t": times.tolist(),
                               "t_2": t2},
                       errors={"L": errL.tolist(), "L_2": abs(L2["tight"] - L2["loose"]) + 1e-13 * L2["tight"],
                               "alpha": "rounding", "t": 0.0, "t_2": d["err"]},
                       coords={"t": times.tolist()},
                       info={"t2": t2, "alpha": C.alpha, "min_d_invL_dt": float(np.min(rate)),
                             "t_at_min_rate": float(times[int(np.argmin(rate))])})


LOSS, L2, ALPHA, TT = sp.symbols("L L_2 alpha t", positive=True)
claims.add(
    "theorem1.ii.rate", "Theorem 1 (2): L(t) <= L(t_2)/(L(t_2) alpha (t - t_2) + 1), alpha = (mu X_min)^2/(32 X_max)",
    "§3.1 l.377-381; D.2 l.3500", "flow-inequality", catalog_ref="E12 (c), E45", result="theorem1_ii",
    hypotheses=THEOREM1_SETTING + [HYP_BOTH], statement=sp.Le(LOSS, L2 / (L2 * ALPHA * (TT - T2) + 1)),
    measure=_rate_measure, instances=lambda tier: rigorous_instances(tier, part2=True),
    mutant=Mutant(sp.Le(LOSS, L2 / (L2 * 30 * ALPHA * (TT - T2) + 1)), "alpha -> 30 alpha (catalog E12 mutation)"),
    latex_names={"L": r"\mathcal{L}(t)", "L_2": r"\mathcal{L}(t_2)", "alpha": r"\alpha", "t": "t", "t_2": "t_2"},
    symbols_doc={"L": "loss (sum, exp) at t", "L_2": "loss at t_2", "alpha": "(mu X_min)^2/(32 X_max)",
                 "t": "time", "t_2": "max(t_2^+, t_2^-)"},
    quantifier="for 400 times t in (t_2, t_2 + 60]", display=("L(t)", LOSS, "bound", L2 / (L2 * ALPHA * (TT - T2) + 1)),
    notes="Catalog E12: min d(1/L)/dt = 0.276 on I-A8 (info.min_d_invL_dt), against alpha = 0.01125: the bound is "
          "loose by a factor ~25 just after t_2, and 1/L grows like t log t later (the implicit bias), so every "
          "linear lower bound on 1/L eventually holds; the early window decides.")


# =========================================================================== beyond the paper: the t_2 slope

SLOPE_GRID = {"fast": [-24, -48], "full": [-12, -24, -48, -96, -192]}
SLOPE_GRID_GENERIC = {"fast": [-24], "full": [-12, -24, -48, -96]}


def _slope_instances(tier):
    return [Instance(f"{name}: t_2 over an eps grid", {**p, "grid": g}, grid=[{"eps10": v} for v in g],
                     grid_param="eps10", grid_symbol="ε", grid_log10=True, asymptotic="small",
                     description="local slope of t_2 in ln(1/eps) against the previous eps")
            for name, p, g in (("DS-A + R-A (seed 0, h = 20)", ra_params(), SLOPE_GRID[tier]),
                               (generic_name(GENERIC_2D), generic_params(**GENERIC_2D), SLOPE_GRID_GENERIC[tier]))]


def _t2_at(p, e10):
    le = e10 * LN10
    X, y = arrays(p)
    m = min(np.linalg.norm(X[y > 0].sum(0)), np.linalg.norm(X[y < 0].sum(0)))
    return t2_times(p, le, -le / m + 40.0), m


def _slope_measure(inst, point, precision) -> Measurement:
    """(t_2(eps) - t_2(eps'))/(ln(1/eps) - ln(1/eps')) with eps' the previous (larger) grid value (1e12 eps' at the
    first point), and m = min(||x_+||, ||x_-||)."""
    p = {k: v for k, v in inst.params.items() if k != "grid"}
    e10 = float(point["eps10"])
    prev = [g for g in sorted(inst.params["grid"]) if g > e10]
    e10p = min(prev) if prev else e10 + 12
    (a, m), (b, _) = _t2_at(p, e10), _t2_at(p, e10p)
    d = (e10p - e10) * LN10
    return Measurement(values={"slope": (a["t2"] - b["t2"]) / d, "m": float(m)},
                       errors={"slope": (a["err"] + b["err"]) / d, "m": "rounding"},
                       coords={"eps_prev": f"1e{e10p:g}"}, info={"t2": a["t2"], "t2_prev": b["t2"]})


SLOPE, MNORM = sp.symbols("slope m", positive=True)
claims.add(
    "theorem1.ii.t2_slope", "t_2 = ln(1/eps)/min(||x_+||, ||x_-||) + O(1) (the Theta of Theorem 1 (2), made exact)",
    "§3.1 l.377-381 (beyond the paper)", "asymptotic", catalog_ref="E05, E12 (a), F9", result="theorem1_ii",
    hypotheses=FLOW_SETTING, tags=("beyond-paper",), statement=sp.Eq(SLOPE, 1 / MNORM), measure=_slope_measure,
    instances=_slope_instances, share=f"{KEY}.t2slope",
    mutant=Mutant(sp.Eq(SLOPE, 1 / (2 * MNORM)), "slope 1/(2 ||x_+||) (catalog E12 mutation)"),
    latex_names={"slope": r"\frac{\Delta t_2}{\Delta\log(1/\epsilon)}", "m": r"\min(\|x_+\|,\|x_-\|)"},
    symbols_doc={"slope": "local slope of t_2 in ln(1/eps)", "m": "min(||x_+||, ||x_-||)"},
    notes="Catalog E12 (a): fitted slope 0.505073 against 1/min||x_+-|| = 0.505076 (intercept -0.498) on eps = "
          "1e-3 ... 1e-96. With balanced classes ||x_+-|| ~ n and this is the paper's 1/n; with n_+ = 1 it is not "
          "(finding F9).")
