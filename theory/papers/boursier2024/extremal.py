"""boursier2024, §3: extremal vectors. Definition 1 (extremal vectors = critical points of G), Lemma 2 (linear
independence; no extremal vector on a cone boundary), Lemma 3 (an extremal vector exists) and Condition 1 at the
init (3)-(5)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.geometry import G, D_min_norm, G_extrema, extremal_vectors
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (HYP_ASSUMPTION1, HYP_ASSUMPTION4, HYP_GENERIC_DATA, HYP_PLANAR, HYP_RELU_SQUARE, ROTATIONS,
                     catalog_instance, data_constant_instances, ds_params, generic_data, init_draw, invariant_errors,
                     lemma2_boundary_distance, min_family_singular_value, rotation, user_instance, user_settings)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_RELU_SQUARE, HYP_GENERIC_DATA],
                  data_instances=data_constant_instances)

# =========================================================================== Definition 1


def _grid_extrema(X, y, N=100_000):
    """Strict local extrema of G((cos t, sin t)) on a grid of N angles (Clarke-critical, non-flat points)."""
    th = np.arange(N) * (2 * np.pi / N)
    W = np.stack([np.cos(th), np.sin(th)], axis=1)
    g = G(W, X, y)
    gp, gn = np.roll(g, 1), np.roll(g, -1)
    scale = 1e-13 * max(1.0, float(np.max(np.abs(g))))
    mx = np.flatnonzero((g > gp + scale) & (g > gn + scale))
    mn = np.flatnonzero((g < gp - scale) & (g < gn - scale))
    return th, W, g, mx, mn


def _def1_instances(tier):
    return [catalog_instance("DS-G", desc="one extremal vector D* expected (catalog E07)"),
            catalog_instance("DS-2N", desc="five extremal vectors expected (three sector maxima, two ray minima)"),
            catalog_instance("DS-S6", desc="the §6 data")]


def _def1_counts(X, y) -> dict:
    ext = extremal_vectors(X, y)
    _, _, _, mx, mn = _grid_extrema(X, y)
    return {"n_ext": len(ext), "n_crit": int(len(mx) + len(mn)), "n_max": int(len(mx))}


def _def1_measure(inst, point, precision) -> Measurement:
    """Extremal vectors by cone enumeration (numerics.geometry.extremal_vectors) vs the strict local extrema of
    G on a 1e5-point angular grid; also the largest angle between an extremal direction sign*D/||D|| and the
    nearest grid extremum of the right type. Error estimates of the counts: their change on rotated copies of the
    data (the grid then falls elsewhere relative to the data: :func:`common.invariant_errors`)."""
    X, y = inst.arrays()
    vals, errs = invariant_errors(_def1_counts, X, y)
    ext = extremal_vectors(X, y)
    th, W, g, mx, mn = _grid_extrema(X, y)
    crit = np.concatenate([mx, mn])
    worst = 0.0
    for e in ext:
        v = e.sign * e.D / np.linalg.norm(e.D)
        ang = np.min(np.abs(np.angle(np.exp(1j * (th[crit] - math.atan2(v[1], v[0]))))))
        worst = max(worst, float(ang))
    return Measurement(values=vals, errors=errs,
                       info={"extremal": [{"pattern": e.pattern.tolist(), "D": e.D.tolist(), "sign": e.sign,
                                           "norm": e.norm} for e in ext],
                             "grid_max_angles": th[mx].tolist(), "grid_min_angles": th[mn].tolist(),
                             "max_angle_mismatch": worst,
                             "dead_arc_fraction": float(np.mean(np.abs(g) <= 1e-14))})


N_EXTREMAL, N_CRITICAL, N_MAXIMA = sp.symbols("n_ext n_crit n_max", nonnegative=True)
claims.add(
    "definition1", "Definition 1 + l.133-142: extremal vectors = critical points of G", "§3, l.133-142, l.173",
    "closed-form", catalog_ref="E07, F28", result="definition1", statement=sp.Eq(N_EXTREMAL, N_CRITICAL),
    latex_names={"n_ext": r"\#\{\text{extremal vectors}\}", "n_crit": r"\#\{\text{strict critical points of }G\}",
                 "n_max": r"\#\{\text{local maxima of }G\}"},
    symbols_doc={"n_ext": "number of extremal vectors (cone enumeration)",
                 "n_crit": "strict local extrema of G on the circle (grid of 1e5 angles)",
                 "n_max": "strict local maxima of G on the grid"},
    quantifier="on the circle", instances=_def1_instances, measure=_def1_measure, provides=("n_max",),
    extra_hypotheses=[HYP_PLANAR],
    mutant=Mutant(sp.Eq(N_EXTREMAL, N_MAXIMA), "extremal vectors are the local maxima of G only"),
    notes="Flat arcs of G (the dead arc G = 0, 26.5% of the circle for DS-G) are non-strict minima and carry no "
          "extremal vector (F28: 'no saddle' is undefined for non-smooth G).")

# =========================================================================== Lemma 3


def _lemma3_instances(tier):
    return [catalog_instance("DS-G"), catalog_instance("DS-2N"), catalog_instance("DS-S6"),
            catalog_instance("box(0.1, seed 7)")]


def _lemma3_measure(inst, point, precision) -> Measurement:
    """Number of extremal vectors (error: its change on rotated copies of the data), and the KKT facts of the proof
    (C.3): at a maximiser w* of G on the sphere D(w*, 0) = mu w* with mu = G(w*) (the parallelism residual
    ||D - <D,w*>w*||)."""
    X, y = inst.arrays()
    vals, errs = invariant_errors(lambda X_, y_: {"n_ext": len(extremal_vectors(X_, y_))}, X, y)
    ge = G_extrema(X, y)
    w = ge.argmax[0]
    Dw = D_min_norm(w, X, y, tol=1e-9).D
    return Measurement(values=vals, errors=errs,
                       info={"G_max": ge.max_value, "argmax": w.tolist(), "D_at_argmax": Dw.tolist(),
                             "parallel_residual": float(np.linalg.norm(Dw - (Dw @ w) * w))})


claims.add(
    "lemma3", "Lemma 3 (an extremal vector exists)", "§3, l.144 (proof C.3)", "closed-form",
    catalog_ref="E08, E30", result="lemma3", statement=sp.Ge(N_EXTREMAL, 1),
    latex_names={"n_ext": r"\#\{\text{extremal vectors}\}"},
    symbols_doc={"n_ext": "number of extremal vectors (cone enumeration)"}, quantifier="a.s. over the data",
    instances=_lemma3_instances, measure=_lemma3_measure,
    mutant=Mutant(sp.Ge(N_EXTREMAL, 2), "at least two extremal vectors"))

# =========================================================================== Lemma 2


def _lemma2_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (second part): min over families of <= d vectors ell'(0,y_k) x_k of their smallest singular
    value; first part: for every face u with 0 not in 𝔇_u, the distance of D_u's pattern to the boundary
    (:func:`common.lemma2_boundary_distance`). Error estimates: deviation over rotated copies of the data (both are
    rotation invariant)."""
    X, y = inst.arrays()
    ok, detail = generic_data(inst)
    vals, errs = invariant_errors(lambda X_, y_: {"smin": min_family_singular_value(X_, y_),
                                                   "bdist": lemma2_boundary_distance(X_, y_)}, X, y)
    return Measurement(values=vals, errors=errs, info={"detail": detail})


SIGMA_MIN, BOUNDARY_DISTANCE = sp.symbols("smin bdist", nonnegative=True)
claims.add(
    "lemma2", "Lemma 2 (linear independence; no extremal vector on a cone boundary)", "§3, l.121-129 (proof C.2)",
    "closed-form", catalog_ref="E06", result="lemma2", statement=sp.Gt(SIGMA_MIN, 0),
    latex_names={"smin": r"\min_{|S|\leq d}\sigma_{\min}((\partial_1\ell(0,y_k)x_k)_{k\in S})",
                 "bdist": r"\min|\langle D_u,\hat x_k\rangle|/\|D_u\|"},
    symbols_doc={"smin": "min singular value over families of <= d vectors ell'(0,y_k) x_k",
                 "bdist": "relative distance of extremal D_u to the boundary of its cone (info)"},
    quantifier="a.s. over the data", hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION1],
    instances=lambda tier: [catalog_instance("DS-G"), catalog_instance("DS-2N"), catalog_instance("DS-S6")],
    measure=_lemma2_measure, provides=("bdist",),
    mutant=Mutant(sp.Gt(SIGMA_MIN, 1), "families well conditioned (sigma_min > 1)"))

# =========================================================================== Condition 1 at init


def _condition1_values(X, y, a, W) -> tuple:
    """q_j = <D(w_j^0, 0), w_j^0/a_j^0>/||D(w_j^0, 0)|| for the neurons with D != 0, and their index j."""
    q, js = [], []
    for j, (aj, wj) in enumerate(zip(a, W)):
        D = D_min_norm(wj, X, y, tol=1e-12).D
        nD = np.linalg.norm(D)
        if nD == 0:
            continue
        q.append(float(D @ (wj / aj) / nD))
        js.append(j)
    return np.array(q), js


def _condition1_measure(inst, point, precision) -> Measurement:
    """q_j = <D(w_j^0, 0), w_j^0/a_j^0>/||D(w_j^0, 0)|| per neuron (Condition 1 (1) holds iff q_j > -sqrt(1 - alpha0^2))
    for the paper's init (Eq. (3)-(5), sphere-sign, m = 2000, seed 0), every neuron with D != 0, with
    iI_j = 1 for j in I = {a > 0, active somewhere} (F.1 l.1335: every i in I satisfies it with alpha0 = 1), 0 else.
    Error of q_j: its deviation when data and weights are rotated together (q_j is rotation invariant, every rounding
    of D_min_norm changes), two rotations, + 4 ulp."""
    X, y = inst.arrays()
    a, W = init_draw(int(inst.params["m"]), X.shape[1], 1.0, int(inst.params["seed"]),
                     inst.params.get("init", "sphere-sign"))
    q, js = _condition1_values(X, y, a, W)
    err = np.zeros(len(q))
    for th in ROTATIONS:
        R = rotation(th, X.shape[1])
        q2, js2 = _condition1_values(X @ R.T, y, a, W @ R.T)
        if js2 != js:
            raise RuntimeError("the set of neurons with D(w_j^0, 0) != 0 changes under rotation")
        err = np.maximum(err, np.abs(q - q2))
    err += 4 * np.finfo(float).eps * np.abs(q)
    iI = np.array([float(a[j] > 0 and np.any(X @ W[j] > 0)) for j in js])
    fr = [float(np.mean(q > -math.sqrt(1 - a0 ** 2))) for a0 in (0.01, 0.1, 0.5)]
    return Measurement(values={"q": q.tolist(), "iI": iI.tolist()}, errors={"q": err.tolist()}, exact=("iI",),
                       coords={"j": js},
                       info={"n_I": int(iI.sum()), "min_q_over_I": float(q[iI == 1].min()),
                             "min_q_over_all": float(q.min()), "fraction_condition1_alpha0_0.01_0.1_0.5": fr})


def _condition1_data_instances(ds):
    """Condition 1 at the init of the user's file (default: the paper's example, sphere-sign, m = 2000, seed 0)."""
    s, unused = user_settings(ds, ("m", "seed", "init"), m=2000, seed=0, init="sphere-sign")
    return [user_instance(ds, s, unused, f"init (3)-(5) {s['init']}, m = {s['m']}, seed {s['seed']}", None,
                          "the init draw only (no flow)")]


CONDITION1_Q, IN_I = sp.symbols("q iI", real=True)
claims.add(
    "condition1", "Condition 1 (1) at init: every i in I satisfies it with alpha0 = 1", "§3, l.148-155; F.1 l.1335",
    "closed-form", catalog_ref="E09, E39", result="condition1", statement=sp.Gt(CONDITION1_Q + 2 * (1 - IN_I), 0),
    latex_names={"q": r"\langle D(w_j^0,0),\mathbf{w}_j^0\rangle/\|D(w_j^0,0)\|",
                 "iI": r"\mathbb{1}[j\in\mathcal{I}]"},
    symbols_doc={"q": "the normalised Condition-1 quantity of neuron j (alpha0 = 1: q_j > 0)",
                 "iI": "1 if j is in I (a_j > 0, active on some x_k), 0 otherwise"},
    quantifier="for all i in I (q_j >= -1 for every j: the term 2 (1 - 1[j in I]) makes j not in I vacuous)",
    hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION4], data_instances=_condition1_data_instances,
    instances=lambda tier: [Instance("DS-G, init (3)-(5) sphere-sign, m = 2000, seed 0",
                                     {**ds_params("DS-G"), "m": 2000, "seed": 0}),
                            Instance("DS-P(0.1), init (3)-(5) sphere-sign, m = 2000, seed 1",
                                     {**ds_params("DS-P(0.1)"), "m": 2000, "seed": 1})],
    measure=_condition1_measure, provides=("iI",),
    mutant=Mutant(sp.Gt(CONDITION1_Q, 0), "the quantifier widened from i in I to every neuron (negative ones "
                                          "included)"),
    notes="Remark 1: the fraction of neurons failing Condition 1 (1) vanishes as alpha0 -> 0 (info). q_j is a cosine "
          "(in [-1, 1]), so the statement q_j + 2 (1 - 1[j in I]) > 0 says q_i > 0 on I and nothing elsewhere; the near "
          "miss drops the restriction to I and is rejected by the negative neurons.")
