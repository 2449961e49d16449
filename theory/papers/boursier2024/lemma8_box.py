"""boursier2024, Lemma 8 over the whole Assumption-3 box (App. A, l.548-623): the worst case of the printed
Assumption 5 (finding F1), step (b) (Eq. (13)) and the proof's step (a) (finding F15). The box is parametrised by
its 9 coordinates v = (x_1, y_1, x_2, y_2, x_3, y_3); worst cases by corner enumeration + L-BFGS-B."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.optimize import minimize

from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

HYP_BOX_GRID = Hypothesis("box sizes eta in (0, 1/6) (Theorem 2 / Lemma 8)",
                          lambda inst: (True, "grid eta values < 1/6 = 0.16667"), "§4, l.240; App. A, l.548")
claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_BOX_GRID])


def box_point(v):
    """(X, y) of the box point with coordinates v."""
    X = np.array([[v[0], v[1]], [v[3], v[4]], [v[6], v[7]]])
    return X, np.array([v[2], v[5], v[8]])


def box_bounds(eta):
    """Lower and upper ends of the 9 coordinates of the Assumption-3 box (open ends approached to 1e-12)."""
    e = 1e-12
    lo = np.array([-1 + e, 1, 1, -eta, 1 - eta, e, 1 - eta, 1, 1])
    hi = np.array([-1 + eta, 1 + eta, 1 + eta, eta, 1 + eta, eta, 1 - e, 1 + eta, 1 + eta])
    return lo, hi


def box_margin(v, excluded):
    """min over k in {1, 3} (= K on the box, Lemma 8 (c)) of the Assumption-5 margin at box point v."""
    X, y = box_point(v)
    Gm = X @ X.T
    out = math.inf
    for k in (0, 2):
        ys = np.delete(y, k) if excluded else y
        out = min(out, y[k] * Gm[k, k] - np.linalg.norm(ys) * np.linalg.norm(np.delete(Gm[k], k)))
    return out


@lru_cache(maxsize=256)
def box_worst_margin(eta: float, excluded: bool = False, refine: bool = True):
    """Worst case of the Assumption-5 margin over the closed Assumption-3 box (catalog E26 recipe): the 512
    corners, then L-BFGS-B from the 8 best corners (the margin is a smooth function of the 9 box variables
    away from ties of the min). Returns (margin, point)."""
    lo, hi = box_bounds(eta)
    corners = []
    for bits in itertools.product((0, 1), repeat=9):
        v = np.where(np.array(bits) == 1, hi, lo)
        corners.append((box_margin(v, excluded), tuple(v)))
    corners.sort()
    best = corners[0]
    if refine:
        for val, v0 in corners[:8]:
            res = minimize(lambda v: box_margin(v, excluded), np.array(v0), method="L-BFGS-B",
                           bounds=list(zip(lo, hi)))
            if res.fun < best[0]:
                best = (float(res.fun), tuple(res.x))
    return float(best[0]), best[1]


def box_eta_threshold(excluded=False, lo=0.01, hi=1 / 6, iters=40):
    """Smallest eta at which the worst-case margin over the box reaches 0 (bisection on the corner search;
    the margin decreases with eta since the boxes are nested). None if it stays > 0 on (lo, hi]."""
    if box_worst_margin(hi, excluded, False)[0] > 0:
        return None
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if box_worst_margin(mid, excluded, False)[0] > 0:
            lo = mid
        else:
            hi = mid
    return hi


# =========================================================================== Lemma 8 => Assumption 5: worst case

ETA_GRID_FAST = [0.05, 0.09, 0.1, 0.12, 0.14, 0.16, 0.1666]


def _worst_case_instances(tier):
    kw = dict(grid=[{"eta": e} for e in ETA_GRID_FAST], grid_param="eta", grid_symbol="η")
    return [Instance("Assumption-3 box, printed Assumption 5 (sum over all k')", {"variant": "printed"}, **kw,
                     description="worst case over the 9 box variables (512 corners + L-BFGS-B)"),
            Instance("Assumption-3 box, the proof's variant (sum over k' != k)", {"variant": "excluded"}, **kw,
                     description="worst case over the 9 box variables (512 corners + L-BFGS-B)")]


def _worst_case_measure(inst, point, precision) -> Measurement:
    ex = inst.params["variant"] == "excluded"
    eta = float(point["eta"])
    val, v = box_worst_margin(eta, ex)
    X, y = box_point(np.array(v))
    thr = box_eta_threshold(ex)
    return Measurement(values={"worst_margin": val}, errors={"worst_margin": 1e-12},
                       coords={"x1": str(np.round(X[0], 6).tolist()), "x2": str(np.round(X[1], 6).tolist()),
                               "x3": str(np.round(X[2], 6).tolist()), "y": str(np.round(y, 6).tolist())},
                       info={"eta_threshold": thr, "witness_X": X.tolist(), "witness_y": y.tolist()})


WORST_MARGIN = sp.Symbol("worst_margin", real=True)
claims.add(
    "lemma8.worst_case", "Lemma 8 => Assumption 5, worst case over the box", "App. A, l.548-577", "closed-form",
    catalog_ref="E26, E28 (d), F1", result="lemma8", statement=sp.Gt(WORST_MARGIN, 0),
    latex_names={"worst_margin": r"\min_{\mathrm{box}(\eta)}\min_{k\in\mathcal{K}}(y_k\|x_k\|^2-\mathrm{RHS}_k)"},
    symbols_doc={"worst_margin": "min over the Assumption-3 box of the Assumption-5 margin"},
    quantifier="for every dataset in the Assumption-3 box with eta < 1/6",
    instances=_worst_case_instances, measure=_worst_case_measure,
    mutant=Mutant(sp.Gt(WORST_MARGIN, sp.Rational(1, 10)), "worst-case margin above 0.1"), tags=("finding",),
    notes="The printed Assumption 5 fails on part of the box from the eta in info['eta_threshold'] on (catalog: "
          "0.09765): Lemma 8's implication is false there (F1); the proof's variant (sum over k' != k) holds on "
          "the whole box. The proof's chain also has y_k||x_k||^2 >= (1+(1-eta)^2)^2 (should be 1+(1-eta)^2) "
          "and <x_2,x_1> <= eta(1-eta)+(1+eta)^2 (should be eta+(1+eta)^2).")

# =========================================================================== Lemma 8 (b), Eq. (13)


def _step_b_measure(inst, point, precision) -> Measurement:
    """Eq. (13): x_2 = alpha_1 x_1 + alpha_3 x_3; min over the box of alpha_1 - eta and of alpha_3 (corners
    + L-BFGS-B, as for the margin)."""
    eta = float(point["eta"])
    lo, hi = box_bounds(eta)

    def alphas(v):
        X, _ = box_point(v)
        return np.linalg.solve(np.stack([X[0], X[2]], axis=1), X[1])

    def alpha1_gap(v):
        return alphas(v)[0] - eta

    def alpha3(v):
        return alphas(v)[1]

    vals = []
    for f in (alpha1_gap, alpha3):
        cs = sorted((f(np.where(np.array(b) == 1, hi, lo)), tuple(np.where(np.array(b) == 1, hi, lo)))
                    for b in itertools.product((0, 1), repeat=9))
        best = cs[0][0]
        for _, v0 in cs[:4]:
            r = minimize(f, np.array(v0), method="L-BFGS-B", bounds=list(zip(lo, hi)))
            best = min(best, float(r.fun))
        vals.append(best)
    return Measurement(values={"a1_gap": vals[0], "a3": vals[1], "eta": eta},
                       errors={"a1_gap": 1e-12, "a3": 1e-12, "eta": 0})


ALPHA1_GAP, ALPHA3_MIN, ETA = sp.symbols("a1_gap a3 eta", real=True)
claims.add(
    "lemma8.b", "Lemma 8 (b), Eq. (13): alpha_1 > eta on the box", "App. A, l.556-560", "closed-form",
    catalog_ref="E28 (b)", result="lemma8", statement=sp.Gt(ALPHA1_GAP, 0),
    latex_names={"a1_gap": r"\min_{\mathrm{box}}(\alpha_1-\eta)", "a3": r"\min\alpha_3", "eta": r"\eta"},
    symbols_doc={"a1_gap": "min over the box of alpha_1 - eta", "a3": "min over the box of alpha_3",
                 "eta": "box size"},
    quantifier="for every dataset in the box, eta < 1/6",
    instances=lambda tier: [Instance("Assumption-3 box", {}, grid=[{"eta": e} for e in (0.05, 0.1, 0.1666)],
                                     grid_param="eta", grid_symbol="η"),
                            Instance("Assumption-3 box at eta = 1/6 - 1e-4 (edge)", {}, grid=[{"eta": 0.1665}],
                                     grid_param="eta", grid_symbol="η")],
    measure=_step_b_measure, provides=("a3", "eta"),
    mutant=Mutant(sp.Gt(ALPHA1_GAP, ETA), "alpha_1 > 2 eta"),
    notes="Catalog: min(alpha_1 - eta) = 0.067 at eta = 1/6; fails somewhere in (1/6, 1/4).")

# =========================================================================== Lemma 8 proof step (a) (finding F15)


def _step_a_measure(inst, point, precision) -> Measurement:
    """min over the Assumption-3 box of min_{k != k'} <x_k, x_k'> (bilinear in the box coordinates: attained at
    a corner; the 64 corners of the x-box are enumerated; open ends approached to 1e-12)."""
    eta = float(point["eta"])
    lo, hi = box_bounds(eta)
    best = (math.inf, None)
    for bits in itertools.product((0, 1), repeat=9):
        v = np.where(np.array(bits) == 1, hi, lo)
        X, _ = box_point(v)
        Gm = X @ X.T
        val = float(min(Gm[0, 1], Gm[0, 2], Gm[1, 2]))
        if val < best[0]:
            best = (val, X)
    return Measurement(values={"min_gram": best[0]}, errors={"min_gram": 1e-15},
                       coords={"X": str(np.round(best[1], 6).tolist())},
                       info={"1 - 2 eta": 1 - 2 * eta})


MIN_GRAM = sp.Symbol("min_gram", real=True)
claims.add(
    "lemma8.a_proof", "Lemma 8 proof (a): '<x_k, x_k'> > 0 if eta < 1'", "App. A, l.552", "closed-form",
    catalog_ref="E28 (a), F15", result="lemma8", statement=sp.Gt(MIN_GRAM, 0),
    latex_names={"min_gram": r"\min_{\mathrm{box}(\eta)}\min_{k\neq k'}\langle x_k,x_{k'}\rangle"},
    symbols_doc={"min_gram": "min over the Assumption-3 box of the off-diagonal Gram entries"},
    quantifier="for every dataset in the box, eta < 1",
    hypotheses=[Hypothesis("eta < 1 (the proof's condition)", lambda inst: (True, "grid eta values < 1"), "l.552")],
    instances=lambda tier: [Instance("Assumption-3 box, eta < 1/6", {}, grid=[{"eta": e} for e in (0.05, 0.1666)],
                                     grid_param="eta", grid_symbol="η"),
                            Instance("Assumption-3 box, 1/2 <= eta < 1 (the proof's range)", {},
                                     grid=[{"eta": e} for e in (0.6, 0.9)], grid_param="eta", grid_symbol="η")],
    measure=_step_a_measure, mutant=Mutant(sp.Gt(MIN_GRAM, sp.Rational(1, 2)), "Gram entries above 1/2"),
    tags=("finding",),
    notes="min <x_1, x_2> = 1 - 2 eta: the proof's 'if eta < 1' needs eta < 1/2 (F15; harmless for eta < 1/6).")
