"""boursier2024, §3: extremal vectors. Definition 1 (extremal vectors = critical points of G), Lemma 2 (linear
independence; no extremal vector on a cone boundary), Lemma 3 (an extremal vector exists) and Condition 1 at the
init (3)-(5)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.geometry import G, D_min_norm, G_extrema, extremal_vectors, face_selections, sign_pattern
from numerics.network import init_mean_field
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (HYP_ASSUMPTION1, HYP_ASSUMPTION4, HYP_GENERIC_DATA, catalog_instance, ds_params, generic_data,
                     min_family_singular_value)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_GENERIC_DATA])

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


def _def1_measure(inst, point, precision) -> Measurement:
    """Extremal vectors by cone enumeration (numerics.geometry.extremal_vectors) vs the strict local extrema of
    G on a 1e5-point angular grid; also the largest angle between an extremal direction sign*D/||D|| and the
    nearest grid extremum of the right type."""
    X, y = inst.arrays()
    ext = extremal_vectors(X, y)
    th, W, g, mx, mn = _grid_extrema(X, y)
    crit = np.concatenate([mx, mn])
    worst = 0.0
    for e in ext:
        v = e.sign * e.D / np.linalg.norm(e.D)
        ang = np.min(np.abs(np.angle(np.exp(1j * (th[crit] - math.atan2(v[1], v[0]))))))
        worst = max(worst, float(ang))
    return Measurement(values={"n_ext": len(ext), "n_crit": int(len(crit)), "n_max": int(len(mx))},
                       errors={"n_ext": 0, "n_crit": 0, "n_max": 0},
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
    mutant=Mutant(sp.Eq(N_EXTREMAL, N_MAXIMA), "extremal vectors are the local maxima of G only"),
    notes="Flat arcs of G (the dead arc G = 0, 26.5% of the circle for DS-G) are non-strict minima and carry no "
          "extremal vector (F28: 'no saddle' is undefined for non-smooth G).")

# =========================================================================== Lemma 3


def _lemma3_instances(tier):
    return [catalog_instance("DS-G"), catalog_instance("DS-2N"), catalog_instance("DS-S6"),
            catalog_instance("box(0.1, seed 7)")]


def _lemma3_measure(inst, point, precision) -> Measurement:
    """Number of extremal vectors, and the KKT facts of the proof (C.3): at a maximiser w* of G on the sphere
    D(w*, 0) = mu w* with mu = G(w*) (the parallelism residual ||D - <D,w*>w*||)."""
    X, y = inst.arrays()
    ext = extremal_vectors(X, y)
    ge = G_extrema(X, y)
    w = ge.argmax[0]
    Dw = D_min_norm(w, X, y, tol=1e-9).D
    return Measurement(values={"n_ext": len(ext)}, errors={"n_ext": 0},
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
    (min over k with u_k != 0 of |<D_u, x_k>|/(||D_u|| ||x_k||) when D_u is in the closed cone +-cl A^{-1}(u))."""
    X, y = inst.arrays()
    ok, detail = generic_data(inst)
    smin = min_family_singular_value(X, y)
    bd = math.inf
    for s in face_selections(X, y, 0.0, "square", "mean", 1e-10):
        nD = np.linalg.norm(s.D)
        if nD < 1e-14 or not np.any(s.pattern):
            continue
        for sg in (1, -1):
            p = sign_pattern(sg * s.D, X, 1e-9)
            u = s.pattern
            weak = all((u[k] == 0 and p[k] == 0) or (u[k] != 0 and p[k] * u[k] >= 0) for k in range(len(u)))
            if weak:
                nz = np.flatnonzero(u != 0)
                bd = min(bd, float(np.min(np.abs(X[nz] @ s.D) / (nD * np.linalg.norm(X[nz], axis=1)))))
    return Measurement(values={"smin": smin, "bdist": bd if bd < math.inf else 1.0},
                       errors={"smin": 1e-13, "bdist": 1e-12}, info={"detail": detail})


SIGMA_MIN, BOUNDARY_DISTANCE = sp.symbols("smin bdist", nonnegative=True)
claims.add(
    "lemma2", "Lemma 2 (linear independence; no extremal vector on a cone boundary)", "§3, l.121-129 (proof C.2)",
    "closed-form", catalog_ref="E06", result="lemma2", statement=sp.Gt(SIGMA_MIN, 0),
    latex_names={"smin": r"\min_{|S|\leq d}\sigma_{\min}((\partial_1\ell(0,y_k)x_k)_{k\in S})",
                 "bdist": r"\min|\langle D_u,\hat x_k\rangle|/\|D_u\|"},
    symbols_doc={"smin": "min singular value over families of <= d vectors ell'(0,y_k) x_k",
                 "bdist": "relative distance of extremal D_u to the boundary of its cone (info)"},
    quantifier="a.s. over the data", hypotheses=[HYP_ASSUMPTION1],
    instances=lambda tier: [catalog_instance("DS-G"), catalog_instance("DS-2N"), catalog_instance("DS-S6")],
    measure=_lemma2_measure, provides=("bdist",),
    mutant=Mutant(sp.Gt(SIGMA_MIN, 1), "families well conditioned (sigma_min > 1)"))

# =========================================================================== Condition 1 at init


def _condition1_measure(inst, point, precision) -> Measurement:
    """q_j = <D(w_j^0, 0), w_j^0/a_j^0>/||D(w_j^0, 0)|| (Condition 1 (1) holds iff q_j > -sqrt(1 - alpha0^2)),
    for the paper's init (Eq. (3)-(5), sphere-sign, m = 2000, seed 0); min over I = {a > 0, active somewhere}
    (F.1 l.1335: every i in I satisfies it with alpha0 = 1) and over every neuron with D != 0."""
    X, y = inst.arrays()
    a, W, _ = init_mean_field(int(inst.params["m"]), X.shape[1], 1.0, seed=int(inst.params["seed"]))
    qI, qall, fr = [], [], []
    for aj, wj in zip(a, W):
        D = D_min_norm(wj, X, y, tol=1e-12).D
        nD = np.linalg.norm(D)
        if nD == 0:
            continue
        q = float(D @ (wj / aj) / nD)
        qall.append(q)
        if aj > 0 and np.any(X @ wj > 0):
            qI.append(q)
    qall = np.array(qall)
    for a0 in (0.01, 0.1, 0.5):
        fr.append(float(np.mean(qall > -math.sqrt(1 - a0 ** 2))))
    return Measurement(values={"qI": min(qI), "qall": float(qall.min())}, errors={"qI": 1e-13, "qall": 1e-13},
                       info={"n_I": len(qI), "fraction_condition1_alpha0_0.01_0.1_0.5": fr})


CONDITION1_MIN_I, CONDITION1_MIN_ALL = sp.symbols("qI qall", real=True)
claims.add(
    "condition1", "Condition 1 (1) at init: every i in I satisfies it with alpha0 = 1", "§3, l.148-155; F.1 l.1335",
    "closed-form", catalog_ref="E09, E39", result="condition1", statement=sp.Gt(CONDITION1_MIN_I, 0),
    latex_names={"qI": r"\min_{i\in\mathcal{I}}\langle D(w_i^0,0),\mathbf{w}_i^0\rangle/\|D\|",
                 "qall": r"\min_j\langle D(w_j^0,0),\mathbf{w}_j^0\rangle/\|D\|"},
    symbols_doc={"qI": "min over I of the normalised Condition-1 quantity", "qall": "the same over all neurons"},
    quantifier="for all i in I", hypotheses=[HYP_ASSUMPTION4],
    instances=lambda tier: [Instance("DS-G, init (3)-(5) sphere-sign, m = 2000, seed 0",
                                     {**ds_params("DS-G"), "m": 2000, "seed": 0}),
                            Instance("DS-P(0.1), init (3)-(5) sphere-sign, m = 2000, seed 1",
                                     {**ds_params("DS-P(0.1)"), "m": 2000, "seed": 1})],
    measure=_condition1_measure, provides=("qall",),
    mutant=Mutant(sp.Gt(CONDITION1_MIN_ALL, 0), "every neuron (negative ones included) satisfies it with alpha0 = 1"),
    notes="Remark 1: the fraction of neurons failing Condition 1 (1) vanishes as alpha0 -> 0 (info).")
