"""min2024 Theorem 1 (2), low-rank bias, and its proof D.3 (catalog E13, E47): ||W||_F^2 <= 2 ||W||_2^2 + 4 sqrt(h) eps
W_max^2 for t >= t_1, the invariance of W_+^T W_+ - v_+ v_+^T, the sharper ceiling 2/(1 + |cos(z_+, z_-)|) of the
stable rank from the max-margin directions (beyond the paper; a t -> infinity limit, registered NOT_CHECKABLE), and
finding F13 (the proof's 'limsup = 2' and
'||A - B|| <= ||A|| - ||B||').

Instances: DS-A + I-A8 and the generic random 2-D instance, each at its eps_2 (every hypothesis holds; D = 2, so the
stable rank is <= 2 anyway), and DS-B (3-D) with the random init (seed 0, h = 30) and the generic random 3-D instance
(common.GENERIC_3D) at eps = 1e-8 to t = 3000 (outside (28): DS-B's eps_2 is e^{-357175}, whose run to t_2 ~ 1.1e5
needs more than 1e5 engine steps).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (FLOW_SETTING, HYP_BOTH, THEOREM1_SETTING, dsb_instance, generic_eps2_instance,
                     generic_practical_instance, ia8_instance, inst_constants, log_eps_of, run_for, state_arrays)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, share=f"{KEY}.flow")
T_DSB = 3000.0


def _rigorous(tier):
    return [ia8_instance("eps2", T=705.0), generic_eps2_instance()]


def _practical(tier):
    """DS-B and the generic random 3-D instance (n = 6, h = 12), eps = 1e-8, to t = 3000."""
    return [dsb_instance(-8.0, T=T_DSB), generic_practical_instance(-8.0, T=T_DSB)]


def _times(R, n=120):
    t0 = max(R.trap_time(j)[0] for j in range(R.h))
    return t0, np.geomspace(max(t0, 1e-3) * (1 + 1e-9), R.T, n)


def _stable(st, R, C, le):
    """(r, b): stable rank ||W||_F^2/||W||_2^2 and b = 4 sqrt(h) eps W_max^2/||W||_2^2, both computed from the scaled
    matrix (log norms: no underflow at eps_2); b is capped at 1e6 (then both sides are trivially large)."""
    U, lnw = state_arrays(st)
    m = float(np.max(lnw))
    Wn = np.exp(lnw - m)[:, None] * U
    sv = np.linalg.svd(Wn, compute_uv=False)
    r = float(np.sum(sv ** 2) / sv[0] ** 2)
    lb = math.log(4 * math.sqrt(C.h)) + le + 2 * math.log(C.Wmax) - (2 * m + 2 * math.log(sv[0]))
    return r, min(math.exp(min(lb, 700.0)), 1e6)


def _bound_measure(inst, point, precision) -> Measurement:
    """r(t) and b(t) at 120 times from the end of the alignment (max_j tau_j) to the end of the run, two tolerances."""
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    t0, times = _times(R)
    vals = {w: np.array([_stable(st, R, C, le) for st in R.states(times, w)]) for w in ("tight", "loose")}
    r, b = vals["tight"][:, 0], vals["tight"][:, 1]
    return Measurement(values={"r": r.tolist(), "b": b.tolist()},
                       errors={"r": (np.abs(r - vals["loose"][:, 0]) + 1e-13).tolist(),
                               "b": (np.abs(b - vals["loose"][:, 1]) + 1e-12 * b).tolist()},
                       coords={"t": times.tolist()}, info={"alignment_end": t0, "max_r": float(np.max(r)),
                                                          "r_end": float(r[-1])})


RR, BB = sp.symbols("r b", positive=True)
BOUND_KW = dict(
    statement=sp.Le(RR, 2 + BB), measure=_bound_measure,
    mutant=Mutant(sp.Le(RR, 1 + BB), "stable rank <= 1 + O(eps) (catalog E13 mutation: DS-B 1.36, DS-A 1.11)"),
    latex_names={"r": r"\|W\|_F^2/\|W\|_2^2", "b": r"4\sqrt{h}\epsilon W_{\max}^2/\|W\|_2^2"},
    symbols_doc={"r": "stable rank of W(t)", "b": "the O(eps) term relative to ||W||_2^2 (capped at 1e6)"},
    quantifier="120 times from the end of the alignment to the end of the run", catalog_ref="E13, E47",
    result="theorem1_ii")
claims.add("theorem1.ii.low_rank", "Theorem 1 (2) / D.3: ||W(t)||_F^2 <= 2 ||W(t)||_2^2 + 4 sqrt(h) eps W_max^2",
           "§3.1 l.383-384; D.3 l.4109-4326", "flow-inequality", hypotheses=THEOREM1_SETTING + [HYP_BOTH],
           instances=_rigorous, **BOUND_KW,
           notes="On D = 2 data the stable rank is <= 2 for any W: the rigorous instance shows the hypotheses hold, "
                 "the content is in the practical 3-D instance (min2024.theorem1.ii.low_rank.practical).")
claims.add("theorem1.ii.low_rank.practical", "Theorem 1 (2) low rank beyond (28): DS-B (3-D), eps = 1e-8",
           "§3.1 l.383-384; D.3", "flow-inequality", hypotheses=FLOW_SETTING + [HYP_BOTH], instances=_practical,
           tags=("beyond-paper",), **BOUND_KW,
           notes="Catalog E13: r(t) <= 1.36206 for t >= 0.982 (max at t ~ 100), r(3000) = 1.3615; max_t (||W||_F^2 - "
                 "2||W||_2^2) = -5.5e-13 while 4 sqrt(h) eps W_max^2 = 6.3e-7.")

# =========================================================================== D.3: the invariant


def _blocks(R):
    fin = R.final_regions()
    return [("S+", [j for j in range(R.h) if fin[j] == "S+"]), ("S-", [j for j in range(R.h) if fin[j] == "S-"])]


def _inv_measure(inst, point, precision) -> Measurement:
    """Entries (j, k) of W_+^T W_+ and v_+ v_+^T (and for S_-) at 60 times after the alignment, from the engine's
    (v, W) (not projected: the invariance is a property of the flow), and their values at the end of the alignment."""
    R = run_for(inst)
    t0, times = _times(R, 60)
    out = {k: [] for k in ("WtW", "vvT", "WtW0", "vvT0")}
    err = {k: [] for k in ("WtW", "vvT")}
    lab = []
    ref = {w: R.states([t0 * (1 + 1e-9)], w)[0] for w in ("tight", "loose")}
    for tag, idx in _blocks(R):
        if len(idx) < 1:
            continue
        ii, kk = np.triu_indices(len(idx))
        for which in ("tight", "loose"):
            W0 = np.asarray(ref[which].W(), float)[idx]
            a0 = np.asarray(ref[which].a(), float)[idx]
            A0, B0 = (W0 @ W0.T)[ii, kk], np.outer(a0, a0)[ii, kk]
            sts = R.states(times, which)
            A = np.array([(np.asarray(s.W(), float)[idx] @ np.asarray(s.W(), float)[idx].T)[ii, kk] for s in sts])
            B = np.array([np.outer(np.asarray(s.a(), float)[idx], np.asarray(s.a(), float)[idx])[ii, kk] for s in sts])
            if which == "tight":
                At, Bt = A, B
                out["WtW"] += A.ravel().tolist()
                out["vvT"] += B.ravel().tolist()
                out["WtW0"] += np.tile(A0, len(times)).tolist()
                out["vvT0"] += np.tile(B0, len(times)).tolist()
                lab += [f"{tag} ({idx[a]}, {idx[b]}), t={t:.4g}" for t in times for a, b in zip(ii, kk)]
            else:
                # the two tolerances move W^T W and v v^T together (their difference is the invariant): the error of
                # the relation is the tolerance change of the difference, attributed to W^T W (v v^T: round-off)
                err["WtW"] += (np.abs((At - Bt) - (A - B)) + 1e-15 * (np.abs(At) + np.abs(Bt))).ravel().tolist()
                err["vvT"] += (1e-15 * np.abs(Bt)).ravel().tolist()
    dev = np.abs(np.array(out["WtW"]) - np.array(out["vvT"]) - np.array(out["WtW0"]) + np.array(out["vvT0"]))
    return Measurement(values=out, errors={**err, "WtW0": "rounding", "vvT0": "rounding"}, coords={"entry": lab},
                       info={"alignment_end": t0, "max_abs_deviation_of_the_invariant": float(np.max(dev)),
                             "max_entry": float(np.max(np.abs(out["WtW"])))})


WTW, VVT, WTW0, VVT0 = sp.symbols("WtW vvT WtW0 vvT0", real=True)
claims.add(
    "low_rank.invariance", "D.3: W_+^T W_+ - v_+ v_+^T (and W_-^T W_- - v_- v_-^T) is constant after t_1",
    "App. D.3, l.4180-4200 (Arora et al. 2018)", "flow-inequality", catalog_ref="E47", result="low_rank",
    hypotheses=FLOW_SETTING, statement=sp.Eq(WTW, VVT + WTW0 - VVT0), measure=_inv_measure, instances=_practical,
    mutant=Mutant(sp.Eq(WTW, -VVT + WTW0 + VVT0), "W_+^T W_+ + v_+ v_+^T constant (catalog E47 mutation)"),
    latex_names={"WtW": r"[W_+^\top W_+](t)", "vvT": r"[v_+v_+^\top](t)", "WtW0": r"[W_+^\top W_+](t_1)",
                 "vvT0": r"[v_+v_+^\top](t_1)"},
    symbols_doc={"WtW": "entry of W^T W of the block", "vvT": "entry of v v^T", "WtW0": "at t_1", "vvT0": "at t_1"},
    quantifier="every entry of both blocks, 60 times in [t_1, 3000]",
    notes="Judged relative to the entries (default 1e-6), which grow from ~1e-16 to ~10: the invariant itself (~1e-16) "
          "drifts by at most info.max_abs_deviation_of_the_invariant (catalog: 1.8e-15, round-off).")

# =========================================================================== beyond the paper: the QP ceiling

claims.not_checkable(
    "low_rank.qp_ceiling", "Beyond the paper: the late stable rank tends to <= 2/(1 + |cos(z_+, z_-)|) (max-margin "
    "directions)", "D.3 (beyond the paper)",
    reason="a t -> infinity limit with no finite-time inequality: two rank-one blocks along the max-margin directions "
    "z_+- with masses A, B have stable rank 2(A + B)/(A + B + sqrt((A - B)^2 + 4 A B c^2)) <= 2/(1 + c), but at finite "
    "t each block's neurons still spread around z_+- (their directions converge only logarithmically) and the masses "
    "are unequal, so r approaches its limit from either side: above the ceiling on the generic 3-D instance (c = "
    "0.98579, ceiling 1.00716; r = 1.0300 at t = 1000, 1.0282 at t = 3000, 1.0253 at t = 3e4), below it and still "
    "falling on DS-B (ceiling 1.387560, r(3000) = 1.3614). Judging 'r <= ceiling' at any finite t would test the "
    "horizon, not the statement",
    result="low_rank", catalog_ref="E13, E16", tags=("beyond-paper",),
    notes="Earlier registered as a finite-time inequality on 40 times of [1000, 3000]: refuted on the generic 3-D "
          "instance and unjustified on DS-B; withdrawn. For centred data z_+ = -z_- and the ceiling is 1 (finding "
          "F11).")

# =========================================================================== finding F13


def _f13_measure(inst, point, precision) -> Measurement:
    """r at the last 20 times of the run (the printed limsup = 2), and at the end of the alignment the spectral norms
    of A = W_+^T W_+, B = v_+ v_+^T and A - B (scaled by tr A), for the proof's step ||A - B|| <= ||A|| - ||B||."""
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    times = np.linspace(0.9 * R.T, R.T, 20)
    r = np.array([_stable(st, R, C, le)[0] for st in R.states(times)])
    rl = np.array([_stable(st, R, C, le)[0] for st in R.states(times, "loose")])
    t0, _ = _times(R)
    st = R.states([t0 * (1 + 1e-9)])[0]
    idx = _blocks(R)[0][1]
    U, lnw = state_arrays(st)
    wn = np.exp(lnw[idx] - np.max(lnw[idx]))
    Wb = wn[:, None] * U[idx]
    vb = R.s[idx] * wn
    A, B = Wb @ Wb.T, np.outer(vb, vb)
    tr = float(np.trace(A))
    n2 = lambda M: float(np.linalg.norm(M, 2)) / tr  # noqa: E731
    return Measurement(values={"r": r.tolist(), "nAB": n2(A - B), "nA": n2(A), "nB": n2(B)},
                       errors={"r": (np.abs(r - rl) + 1e-13).tolist(), "nAB": "rounding", "nA": "rounding",
                               "nB": "rounding"},
                       coords={"t": times.tolist()}, info={"alignment_end": t0})


NAB, NA_, NB_ = sp.symbols("nAB nA nB", positive=True)
claims.add(
    "finding.F13", "Finding F13: D.3 concludes 'limsup ||W||_F^2/||W||_2^2 = 2'; the theorem (and the flow) says <= 2",
    "App. D.3, l.4320-4326", "flow-inequality", catalog_ref="F13, E47", result="low_rank", hypotheses=FLOW_SETTING,
    tags=("finding",), statement=sp.Eq(RR, 2), measure=_f13_measure, instances=_practical, provides=("nAB",),
    mutant=Mutant(sp.Le(RR, 1), "near miss of the control: constant 2 -> 1 (rank one); rejected where the control "
                                "holds"),
    control=Mutant(sp.Le(RR, 2), "limsup <= 2 (Theorem 1 (2))"),
    latex_names={"r": r"\|W\|_F^2/\|W\|_2^2"}, symbols_doc={"r": "stable rank at late times"},
    quantifier="20 times in [2700, 3000]",
    notes="DS-B: r = 1.3614 at t = 3000 (catalog 1.3615) is the stable rank at the end of the run, not the limsup. "
          "The limit is about 2/(1 + c) = 1.3876 (c = |cos(z_+, z_-)| = 0.441379 from the max-margin directions): "
          "two rank-one blocks with masses A, B have stable rank 2(A + B)/(A + B + sqrt((A - B)^2 + 4 A B c^2)), "
          "which is 2/(1 + c) when A = B, and the class masses balance (A/B -> 1; A = 12.21, B = 12.26 on DS-B at "
          "t = 3000). Either way the late stable rank stays far below the printed 'limsup = 2': the finding stands.")
claims.add(
    "finding.F13.step", "Finding F13: D.3's step ||A - B||_2 <= ||A||_2 - ||B||_2 (A = W_+^T W_+, B = v_+ v_+^T)",
    "App. D.3, l.4221", "flow-inequality", catalog_ref="F13", result="low_rank", hypotheses=FLOW_SETTING,
    tags=("finding",), statement=sp.Le(NAB, NA_ - NB_), measure=_f13_measure, instances=_practical, provides=("r",),
    mutant=Mutant(sp.Le(NAB, NB_ - NA_), "near miss of the control: the sign of ||A|| flipped, ||A - B|| <= ||B|| - "
                                         "||A|| (>= 0 by balancedness: the reverse triangle bound used as an upper "
                                         "bound); rejected where the control holds"),
    control=Mutant(sp.Le(NAB, NA_ + NB_), "the triangle inequality ||A - B|| <= ||A|| + ||B|| (the proof's next "
                                          "line uses tr A + ||v||^2)"),
    latex_names={"nAB": r"\|A-B\|_2", "nA": r"\|A\|_2", "nB": r"\|B\|_2"},
    symbols_doc={"nAB": "||A - B||_2/tr A", "nA": "||A||_2/tr A", "nB": "||B||_2/tr A"},
    notes="Balancedness gives ||B||_2 = ||v_+||^2 = ||W_+||_F^2 >= ||W_+||_2^2 = ||A||_2, so the printed right side is "
          "<= 0: the step is false whenever A != B.")
