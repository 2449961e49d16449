"""boursier2024, the assumptions on the catalog data: Assumption 1 (the losses of §2), Assumption 3 (the 3-point
box, §4) and Assumptions 4, 5, 6 on Assumption-3 data (what Lemma 8 claims, App. A)."""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from numerics.geometry import data_cone_extreme_indices
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (HYP_ASSUMPTION3, as_rational, catalog_instance, data_constant_instances,
                     ds_params, gram_exact, ols_exact)
from .datasets import assumption3_eta_min
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_ASSUMPTION3])
#: Lemma 8 (App. A, l.548): on Assumption-3 data with eta < 1/6, Assumptions 4, 5, 6 hold; on a user's data the three
#: claims below judge that implication (NOT_APPLICABLE, naming the box coordinate, outside the box)
LEMMA8_DATA = dict(data_instances=data_constant_instances)

# =========================================================================== Assumption 1 (loss regularity)

YHAT, LABEL = sp.symbols("yhat y", real=True)
LOSSES_SYM = {
    "half-square": sp.Rational(1, 2) * (YHAT - LABEL) ** 2,
    "square (MSELoss of the authors' code)": (YHAT - LABEL) ** 2,
    "logistic": sp.log(1 + sp.exp(-YHAT * LABEL)),
}
HYP_LOSS_NAMED = Hypothesis("a loss named in §2 (l.58)", lambda inst: (inst.params.get("loss") in LOSSES_SYM,
                                                                       f"loss = {inst.params.get('loss')}"),
                            "§2, l.58")


def _a1_instances(tier):
    return [Instance("1/2 (yhat - y)^2 (Eq. (10)), DS-G labels", {**ds_params("DS-G"), "loss": "half-square"}),
            Instance("logistic ln(1 + e^{-y yhat}), labels +-1", {"loss": "logistic", "y": [1.0, -1.0],
                                                                    "X": [[1.0, 0.0], [0.0, 1.0]]})]


def _a1_mse_instances(tier):
    return [Instance("(yhat - y)^2 (the authors' MSELoss; 'covered' by §2, l.58), DS-G labels",
                     {**ds_params("DS-G"), "loss": "square (MSELoss of the authors' code)"}),
            Instance("(yhat - y)^2 (the authors' MSELoss; 'covered' by §2, l.58), labels +-1",
                     {"loss": "square (MSELoss of the authors' code)", "y": [1.0, -1.0],
                      "X": [[1.0, 0.0], [0.0, 1.0]]})]


#: the user's loss (numerics.datasets: "square" is Eq. (10)'s 1/2 (yhat - y)^2) -> the losses of §2 above
USER_LOSS = {"square": "half-square", "logistic": "logistic"}


def _a1_data_instances(ds):
    """Assumption 1 for the loss of the user's file (default Eq. (10)'s 1/2 square loss) and its labels."""
    loss = USER_LOSS.get(ds.loss or "square", ds.loss)
    return data_constant_instances(ds, extra={"loss": loss}, label=f"loss {loss}")


def _lipschitz(d2, labels, npts):
    grid = np.linspace(-50, 50, npts)
    return max(float(np.max(np.abs(np.broadcast_to(d2(grid, yv), grid.shape)))) for yv in labels)


def _a1_measure(inst, point, precision) -> Measurement:
    """Lipschitz constant of yhat -> d ell/d yhat = sup |d^2 ell/d yhat^2| (sympy) for every label of the instance: a
    constant second derivative exactly (sympy), otherwise its sup over yhat grids of 20001 and 40001 points in
    [-50, 50] (both contain the logistic maximiser yhat = 0), error = their difference + 4 ulp; and
    min_{y != 0} |d ell/d yhat (0, y)| (closed form in float64: 'rounding')."""
    ell = LOSSES_SYM[inst.params["loss"]]
    d2e = sp.diff(ell, YHAT, 2)
    d1 = sp.lambdify((YHAT, LABEL), sp.diff(ell, YHAT), "numpy")
    labels = sorted(set(float(v) for v in inst.params["y"]))
    c0 = min(abs(float(d1(0.0, yv))) for yv in labels if yv != 0)
    if YHAT not in d2e.free_symbols:  # a constant second derivative: its sup is exact (sympy)
        lip = float(max(abs(d2e.subs(LABEL, sp.Rational(yv))) for yv in labels))
        return Measurement(values={"Lip": lip, "c0": c0}, errors={"c0": "rounding"}, exact=("Lip",),
                           info={"loss": str(ell), "labels": labels, "d2ell": str(sp.simplify(d2e))})
    d2 = sp.lambdify((YHAT, LABEL), d2e, "numpy")
    lip, lip2 = _lipschitz(d2, labels, 20001), _lipschitz(d2, labels, 40001)
    return Measurement(values={"Lip": lip, "c0": c0},
                       errors={"Lip": abs(lip - lip2) + 4 * np.finfo(float).eps * lip, "c0": "rounding"},
                       info={"loss": str(ell), "labels": labels, "d2ell": str(sp.simplify(d2e))})


LIPSCHITZ, ELL_PRIME_AT_0 = sp.symbols("Lip c0", nonnegative=True)
A1_FIELDS = dict(
    statement=sp.Le(LIPSCHITZ, 1),
    latex_names={"Lip": r"\mathrm{Lip}(\partial_1\ell)", "c0": r"\min_{y\neq0}|\partial_1\ell(0,y)|"},
    symbols_doc={"Lip": "sup over yhat and the labels of |d^2 ell / d yhat^2|", "c0": "min |ell'(0, y)|, y != 0"},
    quantifier="for every label y of the instance", quantifier_latex=r"\forall y",
    hypotheses=[HYP_LOSS_NAMED], measure=_a1_measure, provides=("c0",),
    mutant=Mutant(sp.Le(LIPSCHITZ, sp.Rational(1, 2)), "d ell/d yhat 1/2-Lipschitz (rejected by Eq. (10))"))
claims.add(
    "assumption1", "Assumption 1 for the losses the paper uses (Eq. (10), logistic with labels +-1)", "§2, l.58-62",
    "closed-form", catalog_ref="E01", result="assumption1", instances=_a1_instances,
    data_instances=_a1_data_instances, **A1_FIELDS,
    notes="Eq. (10)'s 1/2 square loss (Lip = 1, exact) and the logistic loss with labels +-1 (Lip = 1/4) satisfy it; "
          "the unhalved square loss does not (boursier2024.assumption1.mse, F12).")
claims.add(
    "assumption1.mse", "Assumption 1 covers the square loss (yhat - y)^2 (§2, l.58, as printed)", "§2, l.58-62",
    "closed-form", catalog_ref="E01, F12", result="assumption1", instances=_a1_mse_instances, tags=("finding",),
    control=Mutant(sp.Le(LIPSCHITZ, 2), "the corrected reading of l.58: the losses of §2 have a 2-Lipschitz "
                                        "derivative (Assumption 1 for (yhat - y)^2 after halving it, i.e. Eq. (10))"),
    **A1_FIELDS,
    notes="§2 (l.58) says the square loss is covered; the unhalved (yhat - y)^2 used by the authors' code "
          "(MSELoss) has a 2-Lipschitz derivative (finding F12). The control is exactly tight (Lip = 2, exact).")

# =========================================================================== Assumption 3 (the box)


def _a3_instances(tier):
    return [catalog_instance("DS-P(0.1)", desc="the paper's symmetric 3-point picture (Figure 1 family)"),
            catalog_instance("DS-G", desc="generic eta = 0.1 point"),
            catalog_instance("box(0.1, seed 7)", desc="random box point")]


def _a3_measure(inst, point, precision) -> Measurement:
    """eta_min: the smallest eta for which the data lie in the Assumption-3 box (datasets.assumption3_eta_min), the
    largest of nine differences of data coordinates, each one float64 operation ('rounding')."""
    X, y = inst.arrays()
    ok, eta_min, why = assumption3_eta_min(X, y)
    if not ok:   # HYP_BOX_FIXED says NOT_APPLICABLE first; reached only if that hypothesis is removed
        raise ValueError(f"not in the box for any eta: {why}")
    return Measurement(values={"eta_min": eta_min}, errors={"eta_min": "rounding"}, info={"detail": why})


HYP_THREE_POINTS = Hypothesis("three points x_k = (z_k, b_k) in R^2 (§4 setting)",
                              lambda inst: (np.asarray(inst.params["X"]).shape == (3, 2), f"X of shape "
                                            f"{np.asarray(inst.params['X']).shape}"), "§4, l.222")
HYP_BOX_FIXED = Hypothesis("the eta-free sides of the Assumption-3 box (x_1^1 > -1, x_1^2 >= 1, y_1 >= 1, y_2 > 0, "
                           "x_3^1 < 1, x_3^2 >= 1, y_3 >= 1)",
                           lambda inst: assumption3_eta_min(*inst.arrays())[::2], "§4, l.226-232")
ETA_MIN = sp.Symbol("eta_min", nonnegative=True)
claims.add(
    "assumption3", "Assumption 3 (3-point box) with eta < 1/6", "§4, l.226-240", "closed-form",
    catalog_ref="E15", result="assumption3", statement=sp.Lt(ETA_MIN, sp.Rational(1, 6)),
    latex_names={"eta_min": r"\eta_{\min}"},
    symbols_doc={"eta_min": "smallest eta such that the data lie in the Assumption-3 box"},
    quantifier="the data of the instance", hypotheses=[HYP_THREE_POINTS, HYP_BOX_FIXED], instances=_a3_instances,
    data_instances=data_constant_instances,
    measure=_a3_measure, mutant=Mutant(sp.Lt(ETA_MIN, sp.Rational(1, 24)), "the box with a 4x smaller eta (1/24)"),
    notes="Figure 1 draws eta = 1/6, not < 1/6 (F24, a typo-level remark, not encoded).")

# =========================================================================== Lemma 8 => Assumptions 4, 5, 6


def _l8_instances(tier):
    return [catalog_instance("DS-P(0.1)"), catalog_instance("DS-G"), catalog_instance("box(0.1, seed 7)"),
            catalog_instance("DS-V", desc="eta = 0.16 < 1/6 point of the box (catalog F1)")]


def _gram_measure(inst, point, precision) -> Measurement:
    """The smallest Gram entry <x_k, x_k'> in exact rational arithmetic on the data as given (rounded once: error
    'rounding') and the smallest label (data: exact)."""
    X, y = inst.arrays()
    Gm = gram_exact(X)
    return Measurement(values={"min_gram": float(Gm.min()), "min_y": float(y.min())},
                       errors={"min_gram": "rounding"}, exact=("min_y",), info={"gram": Gm.tolist()})


MIN_GRAM, MIN_LABEL = sp.symbols("min_gram min_y", real=True)
claims.add(
    "assumption4", "Assumption 4 (via Lemma 8 (a)): <x_k, x_k'> > 0", "App. A, l.513; Lemma 8 proof l.552",
    "closed-form", catalog_ref="E25, E28 (a), F15", result="assumption4", statement=sp.Gt(MIN_GRAM, 0),
    latex_names={"min_gram": r"\min_{k,k'}\langle x_k,x_{k'}\rangle", "min_y": r"\min_k y_k"},
    symbols_doc={"min_gram": "smallest Gram entry", "min_y": "smallest label"},
    quantifier="for all k, k'", instances=_l8_instances, measure=_gram_measure, provides=("min_y",), **LEMMA8_DATA,
    mutant=Mutant(sp.Gt(MIN_GRAM, sp.Rational(1, 2)), "<x_k, x_k'> > 1/2 (the box's <x_1, x_3> can approach 0)"),
    notes="Positive labels and general position are checked in the hypothesis validator; the proof's "
          "'<x_k,x_k'> > 0 if eta < 1' is wrong (min <x_1,x_2> = 1 - 2 eta needs eta < 1/2, F15).")


def a5_margins(X, y, excluded=False):
    """Printed Assumption 5 (l.517) for k in K: (k, y_k ||x_k||^2, sqrt(sum_k' y_k'^2) sqrt(sum_{k' != k}
    <x_k', x_k>^2)); ``excluded=True`` uses the proof's sum_{k' != k} y_k'^2 (Lemma 8, l.566). Exact rational
    sums on the data as given, square roots at 50 digits: each float is one rounding of the exact value."""
    Xe = [[as_rational(v) for v in row] for row in np.asarray(X, float)]
    ye = [as_rational(v) for v in np.asarray(y, float)]
    n = len(ye)
    Gm = [[sum(a * b for a, b in zip(Xe[i], Xe[j])) for j in range(n)] for i in range(n)]
    out = []
    for k in data_cone_extreme_indices(X):
        ys = [ye[i] for i in range(n) if not (excluded and i == k)]
        s_y = sum(v ** 2 for v in ys)
        s_g = sum(Gm[k][j] ** 2 for j in range(n) if j != k)
        with mpmath.workdps(50):
            rhs = mpmath.sqrt(mpmath.mpf(s_y.p) / s_y.q) * mpmath.sqrt(mpmath.mpf(s_g.p) / s_g.q)
        out.append((k, float(ye[k] * Gm[k][k]), float(rhs)))
    return out


def _a5_measure(inst, point, precision) -> Measurement:
    """Assumption 5 (printed) per k in K, and the proof's variant (sum over k' != k of y_k'^2, Lemma 8 l.566):
    :func:`a5_margins`, exact up to the final rounding."""
    X, y = inst.arrays()
    rows = a5_margins(X, y)
    rx = a5_margins(X, y, True)
    return Measurement(values={"lhs5": [r[1] for r in rows], "rhs5": [r[2] for r in rows],
                               "rhs5x": [r[2] for r in rx]},
                       errors={"lhs5": "rounding", "rhs5": "rounding", "rhs5x": "rounding"},
                       coords={"k": [r[0] + 1 for r in rows]},
                       info={"proof_variant_margins": [l - r for _, l, r in rx]})


A5_LHS, A5_RHS, A5_RHS_PROOF = sp.symbols("lhs5 rhs5 rhs5x", positive=True)
claims.add(
    "assumption5", "Assumption 5 (printed) on Assumption-3 data (Lemma 8)", "App. A, l.517-522; Lemma 8 l.548-577",
    "closed-form", catalog_ref="E26, E28 (d), F1, DS-V", result="assumption5", statement=sp.Gt(A5_LHS, A5_RHS),
    latex_names={"lhs5": r"y_k\|x_k\|^2",
                 "rhs5": r"\sqrt{\sum_{k'}y_{k'}^2}\sqrt{\sum_{k'\neq k}\langle x_{k'},x_k\rangle^2}",
                 "rhs5x": r"\sqrt{\sum_{k'\neq k}y_{k'}^2}\sqrt{\sum_{k'\neq k}\langle x_{k'},x_k\rangle^2}"},
    symbols_doc={"lhs5": "y_k ||x_k||^2", "rhs5": "sqrt(sum y^2) sqrt(sum_{k' != k} <x_k', x_k>^2)",
                 "rhs5x": "the proof's variant: sqrt(sum_{k' != k} y^2) sqrt(sum_{k' != k} <x_k', x_k>^2)"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}",
    **LEMMA8_DATA,
    instances=_l8_instances, measure=_a5_measure, provides=("rhs5x",),
    mutant=Mutant(sp.Gt(A5_LHS, 2 * A5_RHS), "margin by a factor 2"),
    control=Mutant(sp.Gt(A5_LHS, A5_RHS_PROOF), "Assumption 5 as the proof of Lemma 8 uses it (l.566: the label sum "
                                                "over k' != k), which Assumption 3 with eta < 1/6 does imply"),
    tags=("finding",),
    notes="DS-V (eta = 0.16 < 1/6, inside the box) violates the printed Assumption 5 (margin -0.41): Lemma 8 "
          "does not establish it (finding F1); see boursier2024.lemma8.worst_case for the eta from which the "
          "implication fails over the whole box. The proof's variant (control) holds on every instance.")


def _a6_measure(inst, point, precision) -> Measurement:
    """OLS residuals y_k - <beta*, x_k> for k in K, in exact rational arithmetic (:func:`common.ols_exact`), rounded
    once ('rounding')."""
    X, y = inst.arrays()
    o = ols_exact(X, y)
    K = data_cone_extreme_indices(X)
    r = o["residual"]
    return Measurement(values={"res6": [r[k] for k in K]}, errors={"res6": "rounding"},
                       coords={"k": [k + 1 for k in K]}, info={"beta_star": o["beta"], "residuals": r})


OLS_RESIDUAL = sp.Symbol("res6", real=True)
claims.add(
    "assumption6", "Assumption 6 (i) on Assumption-3 data (Lemma 8, Eq. (14))", "App. A, l.530-546; Lemma 8 l.580-623",
    "closed-form", catalog_ref="E27, E28 (e)", result="assumption6", statement=sp.Gt(OLS_RESIDUAL, 0),
    latex_names={"res6": r"y_k-\langle\beta^*,x_k\rangle"}, symbols_doc={"res6": "OLS residual y_k - <beta*, x_k>"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}",
    **LEMMA8_DATA,
    instances=_l8_instances, measure=_a6_measure,
    mutant=Mutant(sp.Gt(OLS_RESIDUAL, sp.Rational(1, 2)), "residuals above 1/2 on K"),
    notes="For n = 3 the two conditions of Assumption 6 (ii) reduce to (i) (Lemma 8, Eqs. (15)-(16)).")
