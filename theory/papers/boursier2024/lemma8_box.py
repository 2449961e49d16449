"""boursier2024, Lemma 8 over the whole Assumption-3 box (App. A, l.548-623): the worst case of the printed
Assumption 5 (finding F1), step (b) (Eq. (13)) and the proof's step (a) (finding F15). The box is parametrised by
its 9 coordinates v = (x_1, y_1, x_2, y_2, x_3, y_3); worst cases by corner enumeration + L-BFGS-B."""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize

from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import gram_exact
from .paper import CATALOG, PAPER

def _grid_etas_below(bound, label):
    """The hypothesis 'every box size eta of the instance's grid lies in (0, bound)', evaluated on the grid."""
    def test(inst):
        etas = [float(p["eta"]) for p in inst.grid]
        return all(0 < e < bound for e in etas), f"grid eta values {etas} in (0, {label})"
    return test


HYP_BOX_GRID = Hypothesis("box sizes eta in (0, 1/6) (Theorem 2 / Lemma 8)", _grid_etas_below(1 / 6, "1/6"),
                          "§4, l.240; App. A, l.548")
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


def box_margin_mp(v, excluded, dps=40):
    """:func:`box_margin` at ``dps`` digits (mpmath) from the same box point: the rounding of the float64 value."""
    with mpmath.workdps(dps):
        X = [[mpmath.mpf(v[0]), mpmath.mpf(v[1])], [mpmath.mpf(v[3]), mpmath.mpf(v[4])],
             [mpmath.mpf(v[6]), mpmath.mpf(v[7])]]
        y = [mpmath.mpf(v[2]), mpmath.mpf(v[5]), mpmath.mpf(v[8])]
        Gm = [[X[i][0] * X[j][0] + X[i][1] * X[j][1] for j in range(3)] for i in range(3)]
        out = mpmath.inf
        for k in (0, 2):
            ys = [y[i] for i in range(3) if not (excluded and i == k)]
            rhs = mpmath.sqrt(sum(t ** 2 for t in ys)) * mpmath.sqrt(sum(Gm[k][j] ** 2 for j in range(3) if j != k))
            out = min(out, y[k] * Gm[k][k] - rhs)
        return out


def box_minimise(f, eta, starts=8, refine=True):
    """min over the closed Assumption-3 box of f (catalog E26 recipe): the 512 corners, then L-BFGS-B from the
    ``starts`` best corners (f smooth away from ties of a min). Returns (value, point)."""
    lo, hi = box_bounds(eta)
    corners = []
    for bits in itertools.product((0, 1), repeat=9):
        v = np.where(np.array(bits) == 1, hi, lo)
        corners.append((f(v), tuple(v)))
    corners.sort()
    best = corners[0]
    if refine:
        for val, v0 in corners[:starts]:
            res = minimize(f, np.array(v0), method="L-BFGS-B", bounds=list(zip(lo, hi)))
            if res.fun < best[0]:
                best = (float(res.fun), tuple(res.x))
    return float(best[0]), best[1]


@lru_cache(maxsize=256)
def box_worst_margin(eta: float, excluded: bool = False, refine: bool = True, starts: int = 8):
    """Worst case of the Assumption-5 margin over the closed Assumption-3 box (:func:`box_minimise`).
    Returns (margin, point)."""
    return box_minimise(lambda v: box_margin(v, excluded), eta, starts, refine)


def searched_min_error(val, val_more, v, val_mp) -> float:
    """Error estimate of a worst case found by :func:`box_minimise`: the change when the local search starts from
    twice as many corners (the search's own resolution), plus the rounding of the value at the witness (float64 vs
    40 digits), plus 4 ulp."""
    return abs(val - val_more) + abs(val - float(val_mp)) + 4 * np.finfo(float).eps * abs(val)


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
    near = dict(grid=[{"eta": e} for e in (0.095, 0.0975, 0.098, 0.1)], grid_param="eta", grid_symbol="η")
    return [Instance("Assumption-3 box, printed Assumption 5 (sum over all k')", {"variant": "printed"}, **kw,
                     description="worst case over the 9 box variables (512 corners + L-BFGS-B); the proof's variant "
                                 "(sum over k' != k) is measured beside it (the control)"),
            Instance("Assumption-3 box, printed Assumption 5, eta around the threshold 0.0977", {"variant": "printed"},
                     **near, description="the same worst case on a finer eta grid around the catalog's threshold")]


def _worst_case_measure(inst, point, precision) -> Measurement:
    """The worst case over the box of the printed Assumption-5 margin and of the proof's variant (the control), each
    with its searched-minimum error (:func:`searched_min_error`)."""
    eta = float(point["eta"])
    out, err, wit = {}, {}, {}
    for key, ex in (("worst_margin", False), ("worst_margin_proof", True)):
        val, v = box_worst_margin(eta, ex)
        more, _ = box_worst_margin(eta, ex, True, 16)
        out[key], err[key] = val, searched_min_error(val, more, v, box_margin_mp(v, ex))
        wit[key] = v
    X, y = box_point(np.array(wit["worst_margin"]))
    thr = box_eta_threshold(False)
    return Measurement(values=out, errors=err,
                       coords={"x1": str(np.round(X[0], 6).tolist()), "x2": str(np.round(X[1], 6).tolist()),
                               "x3": str(np.round(X[2], 6).tolist()), "y": str(np.round(y, 6).tolist())},
                       info={"eta_threshold": thr, "eta_threshold_proof_variant": box_eta_threshold(True),
                             "witness_X": X.tolist(), "witness_y": y.tolist()})


WORST_MARGIN, WORST_MARGIN_PROOF = sp.symbols("worst_margin worst_margin_proof", real=True)
claims.add(
    "lemma8.worst_case", "Lemma 8 => Assumption 5, worst case over the box", "App. A, l.548-577", "closed-form",
    catalog_ref="E26, E28 (d), F1", result="lemma8", statement=sp.Gt(WORST_MARGIN, 0),
    latex_names={"worst_margin": r"\min_{\mathrm{box}(\eta)}\min_{k\in\mathcal{K}}(y_k\|x_k\|^2-\mathrm{RHS}_k)",
                 "worst_margin_proof": r"\min_{\mathrm{box}(\eta)}\min_{k\in\mathcal{K}}(y_k\|x_k\|^2-"
                                       r"\mathrm{RHS}^{k'\neq k}_k)"},
    symbols_doc={"worst_margin": "min over the Assumption-3 box of the Assumption-5 margin",
                 "worst_margin_proof": "the same with the proof's label sum over k' != k (l.566)"},
    quantifier="for every dataset in the Assumption-3 box with eta < 1/6",
    instances=_worst_case_instances, measure=_worst_case_measure,
    provides=("worst_margin_proof",),
    mutant=Mutant(sp.Gt(WORST_MARGIN, sp.Rational(1, 10)), "worst-case margin above 0.1"),
    control=Mutant(sp.Gt(WORST_MARGIN_PROOF, 0), "Lemma 8's implication for Assumption 5 as its proof uses it (label "
                                                 "sum over k' != k, l.566): holds on the whole box for eta < 1/6"),
    tags=("finding",),
    notes="The printed Assumption 5 fails on part of the box from the eta in info['eta_threshold'] on (catalog: "
          "0.09765): Lemma 8's implication is false there (F1); the proof's variant (sum over k' != k) holds on "
          "the whole box. The proof's chain also has y_k||x_k||^2 >= (1+(1-eta)^2)^2 (should be 1+(1-eta)^2) "
          "and <x_2,x_1> <= eta(1-eta)+(1+eta)^2 (should be eta+(1+eta)^2).")

# =========================================================================== Lemma 8 (b), Eq. (13)


def _alphas(v):
    """(alpha_1, alpha_3) of Eq. (13), x_2 = alpha_1 x_1 + alpha_3 x_3, at box point v (float64)."""
    X, _ = box_point(v)
    return np.linalg.solve(np.stack([X[0], X[2]], axis=1), X[1])


def _alphas_mp(v, dps=40):
    """The same by Cramer's rule at ``dps`` digits from the same point."""
    with mpmath.workdps(dps):
        x1, x2, x3 = ([mpmath.mpf(v[i]), mpmath.mpf(v[i + 1])] for i in (0, 3, 6))
        det = x1[0] * x3[1] - x3[0] * x1[1]
        return ((x2[0] * x3[1] - x3[0] * x2[1]) / det, (x1[0] * x2[1] - x2[0] * x1[1]) / det)


def _step_b_measure(inst, point, precision) -> Measurement:
    """Eq. (13): x_2 = alpha_1 x_1 + alpha_3 x_3; min over the box of alpha_1 - eta and of alpha_3
    (:func:`box_minimise`), each with its searched-minimum error (:func:`searched_min_error`); eta exact (the grid
    value)."""
    eta = float(point["eta"])
    out, err = {}, {}
    for key, i, shift in (("a1_gap", 0, eta), ("a3", 1, 0.0)):
        def f(v, i=i, shift=shift):
            return float(_alphas(v)[i] - shift)
        val, v = box_minimise(f, eta, 4)
        more, _ = box_minimise(f, eta, 8)
        out[key], err[key] = val, searched_min_error(val, more, v, _alphas_mp(v)[i] - mpmath.mpf(shift))
    return Measurement(values={**out, "eta": eta}, errors=err, exact=("eta",))


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
    a corner; the corners are enumerated; open ends approached to 1e-12), the minimum recomputed in exact rational
    arithmetic at its corner ('rounding'); eta exact (the grid value) for the control's 1 - 2 eta."""
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
    Ge = gram_exact(best[1])
    return Measurement(values={"min_gram": float(min(Ge[0, 1], Ge[0, 2], Ge[1, 2])), "eta": eta},
                       errors={"min_gram": "rounding"}, exact=("eta",),
                       coords={"X": str(np.round(best[1], 6).tolist())}, info={"1 - 2 eta": 1 - 2 * eta})


MIN_GRAM = sp.Symbol("min_gram", real=True)
claims.add(
    "lemma8.a_proof", "Lemma 8 proof (a): '<x_k, x_k'> > 0 if eta < 1'", "App. A, l.552", "closed-form",
    catalog_ref="E28 (a), F15", result="lemma8", statement=sp.Gt(MIN_GRAM, 0),
    latex_names={"min_gram": r"\min_{\mathrm{box}(\eta)}\min_{k\neq k'}\langle x_k,x_{k'}\rangle", "eta": r"\eta"},
    symbols_doc={"min_gram": "min over the Assumption-3 box of the off-diagonal Gram entries", "eta": "box size"},
    quantifier="for every dataset in the box, eta < 1",
    hypotheses=[Hypothesis("eta < 1 (the proof's condition)", _grid_etas_below(1, "1"), "l.552")],
    instances=lambda tier: [Instance("Assumption-3 box, eta < 1/6", {}, grid=[{"eta": e} for e in (0.05, 0.1666)],
                                     grid_param="eta", grid_symbol="η"),
                            Instance("Assumption-3 box, 1/2 <= eta < 1 (the proof's range)", {},
                                     grid=[{"eta": e} for e in (0.6, 0.9)], grid_param="eta", grid_symbol="η")],
    measure=_step_a_measure, mutant=Mutant(sp.Gt(MIN_GRAM, sp.Rational(1, 2)), "Gram entries above 1/2"),
    provides=("eta",),
    control=Mutant(sp.Ge(MIN_GRAM, sp.Min(0, 1 - 2 * ETA)),
                   "the corrected step: <x_k, x_k'> >= min(0, 1 - 2 eta) on the box, i.e. > 0 for eta < 1/2 (the "
                   "infima: <x_1, x_3> -> 0 and <x_1, x_2>, <x_2, x_3> -> 1 - 2 eta at the open ends)"),
    tags=("finding",),
    notes="min <x_1, x_2> = 1 - 2 eta: the proof's 'if eta < 1' needs eta < 1/2 (F15; harmless for eta < 1/6).")
