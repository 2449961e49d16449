"""boursier2024, the assumptions on the catalog data: Assumption 1 (the losses of §2), Assumption 3 (the 3-point
box, §4) and Assumptions 4, 5, 6 on Assumption-3 data (what Lemma 8 claims, App. A)."""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.geometry import data_cone_extreme_indices
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import HYP_ASSUMPTION3, beta_star, catalog_instance, ds_params
from .datasets import assumption3_eta_min
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_ASSUMPTION3])

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
                                                                    "X": [[1.0, 0.0], [0.0, 1.0]]}),
            Instance("(yhat - y)^2 (the authors' MSELoss; 'covered' by §2, l.58)",
                     {**ds_params("DS-G"), "loss": "square (MSELoss of the authors' code)"})]


def _a1_measure(inst, point, precision) -> Measurement:
    """Lipschitz constant of yhat -> d ell/d yhat = sup |d^2 ell/d yhat^2| (sympy; sup over a yhat grid of 20001
    points in [-50, 50], which contains the maximiser yhat = 0 of the logistic case) for every label of the
    instance, and min_{y != 0} |d ell/d yhat (0, y)|."""
    ell = LOSSES_SYM[inst.params["loss"]]
    d2 = sp.lambdify((YHAT, LABEL), sp.diff(ell, YHAT, 2), "numpy")
    d1 = sp.lambdify((YHAT, LABEL), sp.diff(ell, YHAT), "numpy")
    grid = np.linspace(-50, 50, 20001)
    labels = sorted(set(float(v) for v in inst.params["y"]))
    lip = max(float(np.max(np.abs(np.broadcast_to(d2(grid, yv), grid.shape)))) for yv in labels)
    c0 = min(abs(float(d1(0.0, yv))) for yv in labels if yv != 0)
    exact = YHAT not in sp.diff(ell, YHAT, 2).free_symbols  # a constant second derivative is evaluated exactly
    return Measurement(values={"Lip": lip, "c0": c0}, errors={"Lip": 0 if exact else 1e-12, "c0": 1e-12},
                       info={"loss": str(ell), "labels": labels, "d2ell": str(sp.simplify(sp.diff(ell, YHAT, 2)))})


LIPSCHITZ, ELL_PRIME_AT_0 = sp.symbols("Lip c0", nonnegative=True)
claims.add(
    "assumption1", "Assumption 1 (the losses of §2 satisfy it)", "§2, l.58-62", "closed-form",
    catalog_ref="E01, F12", result="assumption1", statement=sp.Le(LIPSCHITZ, 1),
    latex_names={"Lip": r"\mathrm{Lip}(\partial_1\ell)", "c0": r"\min_{y\neq0}|\partial_1\ell(0,y)|"},
    symbols_doc={"Lip": "sup over yhat and the labels of |d^2 ell / d yhat^2|", "c0": "min |ell'(0, y)|, y != 0"},
    quantifier="for every label y of the instance", quantifier_latex=r"\forall y",
    hypotheses=[HYP_LOSS_NAMED], instances=_a1_instances, measure=_a1_measure, provides=("c0",),
    mutant=Mutant(sp.Le(LIPSCHITZ, sp.Rational(1, 2)), "d ell/d yhat 1/2-Lipschitz (rejected by Eq. (10))"),
    tags=("finding",),
    notes="§2 (l.58) says the square loss is covered; the unhalved (yhat - y)^2 used by the authors' code "
          "(MSELoss) has a 2-Lipschitz derivative: VIOLATED on that instance (finding F12). Eq. (10)'s 1/2 "
          "square loss and the logistic loss with labels +-1 satisfy it.")

# =========================================================================== Assumption 3 (the box)


def _a3_instances(tier):
    return [catalog_instance("DS-P(0.1)", desc="the paper's symmetric 3-point picture (Figure 1 family)"),
            catalog_instance("DS-G", desc="generic eta = 0.1 point"),
            catalog_instance("box(0.1, seed 7)", desc="random box point")]


def _a3_measure(inst, point, precision) -> Measurement:
    """eta_min: the smallest eta for which the data lie in the Assumption-3 box (datasets.assumption3_eta_min)."""
    X, y = inst.arrays()
    ok, eta_min, why = assumption3_eta_min(X, y)
    if not ok:
        raise ValueError(f"not in the box for any eta: {why}")
    return Measurement(values={"eta_min": eta_min}, errors={"eta_min": 4e-16}, info={"detail": why})


HYP_THREE_POINTS = Hypothesis("three points x_k = (z_k, b_k) in R^2 (§4 setting)",
                              lambda inst: (np.asarray(inst.params["X"]).shape == (3, 2), f"X of shape "
                                            f"{np.asarray(inst.params['X']).shape}"), "§4, l.222")
ETA_MIN = sp.Symbol("eta_min", nonnegative=True)
claims.add(
    "assumption3", "Assumption 3 (3-point box) with eta < 1/6", "§4, l.226-240", "closed-form",
    catalog_ref="E15", result="assumption3", statement=sp.Lt(ETA_MIN, sp.Rational(1, 6)),
    latex_names={"eta_min": r"\eta_{\min}"},
    symbols_doc={"eta_min": "smallest eta such that the data lie in the Assumption-3 box"},
    quantifier="the data of the instance", hypotheses=[HYP_THREE_POINTS], instances=_a3_instances,
    measure=_a3_measure, mutant=Mutant(sp.Lt(ETA_MIN, sp.Rational(1, 24)), "the box with a 4x smaller eta (1/24)"),
    notes="Figure 1 draws eta = 1/6, not < 1/6 (F24, a typo-level remark, not encoded).")

# =========================================================================== Lemma 8 => Assumptions 4, 5, 6


def _l8_instances(tier):
    return [catalog_instance("DS-P(0.1)"), catalog_instance("DS-G"), catalog_instance("box(0.1, seed 7)"),
            catalog_instance("DS-V", desc="eta = 0.16 < 1/6 point of the box (catalog F1)")]


def _gram_measure(inst, point, precision) -> Measurement:
    X, y = inst.arrays()
    Gm = X @ X.T
    return Measurement(values={"min_gram": float(Gm.min()), "min_y": float(y.min())},
                       errors={"min_gram": 1e-14, "min_y": 0}, info={"gram": Gm.tolist()})


MIN_GRAM, MIN_LABEL = sp.symbols("min_gram min_y", real=True)
claims.add(
    "assumption4", "Assumption 4 (via Lemma 8 (a)): <x_k, x_k'> > 0", "App. A, l.513; Lemma 8 proof l.552",
    "closed-form", catalog_ref="E25, E28 (a), F15", result="assumption4", statement=sp.Gt(MIN_GRAM, 0),
    latex_names={"min_gram": r"\min_{k,k'}\langle x_k,x_{k'}\rangle", "min_y": r"\min_k y_k"},
    symbols_doc={"min_gram": "smallest Gram entry", "min_y": "smallest label"},
    quantifier="for all k, k'", instances=_l8_instances, measure=_gram_measure, provides=("min_y",),
    mutant=Mutant(sp.Gt(MIN_GRAM, sp.Rational(1, 2)), "<x_k, x_k'> > 1/2 (the box's <x_1, x_3> can approach 0)"),
    notes="Positive labels and general position are checked in the hypothesis validator; the proof's "
          "'<x_k,x_k'> > 0 if eta < 1' is wrong (min <x_1,x_2> = 1 - 2 eta needs eta < 1/2, F15).")


def a5_margins(X, y, excluded=False):
    """Printed Assumption 5 (l.517) for k in K: (y_k ||x_k||^2, sqrt(sum_k' y_k'^2) sqrt(sum_{k' != k}
    <x_k', x_k>^2)); ``excluded=True`` uses the proof's sum_{k' != k} y_k'^2 (Lemma 8, l.566)."""
    Gm = X @ X.T
    out = []
    for k in data_cone_extreme_indices(X):
        ys = np.delete(y, k) if excluded else y
        out.append((k, float(y[k] * Gm[k, k]), float(np.linalg.norm(ys) * np.linalg.norm(np.delete(Gm[k], k)))))
    return out


def _a5_measure(inst, point, precision) -> Measurement:
    X, y = inst.arrays()
    rows = a5_margins(X, y)
    return Measurement(values={"lhs5": [r[1] for r in rows], "rhs5": [r[2] for r in rows]},
                       errors={"lhs5": [1e-13] * len(rows), "rhs5": [1e-13] * len(rows)},
                       coords={"k": [r[0] + 1 for r in rows]},
                       info={"proof_variant_margins": [l - r for _, l, r in a5_margins(X, y, True)]})


A5_LHS, A5_RHS = sp.symbols("lhs5 rhs5", positive=True)
claims.add(
    "assumption5", "Assumption 5 (printed) on Assumption-3 data (Lemma 8)", "App. A, l.517-522; Lemma 8 l.548-577",
    "closed-form", catalog_ref="E26, E28 (d), F1, DS-V", result="lemma8", statement=sp.Gt(A5_LHS, A5_RHS),
    latex_names={"lhs5": r"y_k\|x_k\|^2",
                 "rhs5": r"\sqrt{\sum_{k'}y_{k'}^2}\sqrt{\sum_{k'\neq k}\langle x_{k'},x_k\rangle^2}"},
    symbols_doc={"lhs5": "y_k ||x_k||^2", "rhs5": "sqrt(sum y^2) sqrt(sum_{k' != k} <x_k', x_k>^2)"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}",
    instances=_l8_instances, measure=_a5_measure,
    mutant=Mutant(sp.Gt(A5_LHS, 2 * A5_RHS), "margin by a factor 2"), tags=("finding",),
    notes="DS-V (eta = 0.16 < 1/6, inside the box) violates the printed Assumption 5 (margin -0.43): Lemma 8 "
          "does not establish it (finding F1); see boursier2024.lemma8.worst_case for the eta from which the "
          "implication fails over the whole box.")


def _a6_measure(inst, point, precision) -> Measurement:
    X, y = inst.arrays()
    b = beta_star(X, y)
    K = data_cone_extreme_indices(X)
    r = y - X @ b
    return Measurement(values={"res6": [float(r[k]) for k in K]}, errors={"res6": [1e-13] * len(K)},
                       coords={"k": [k + 1 for k in K]}, info={"beta_star": b.tolist(), "residuals": r.tolist()})


OLS_RESIDUAL = sp.Symbol("res6", real=True)
claims.add(
    "assumption6", "Assumption 6 (i) on Assumption-3 data (Lemma 8, Eq. (14))", "App. A, l.530-546; Lemma 8 l.580-623",
    "closed-form", catalog_ref="E27, E28 (e)", result="assumption6", statement=sp.Gt(OLS_RESIDUAL, 0),
    latex_names={"res6": r"y_k-\langle\beta^*,x_k\rangle"}, symbols_doc={"res6": "OLS residual y_k - <beta*, x_k>"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}",
    instances=_l8_instances, measure=_a6_measure,
    mutant=Mutant(sp.Gt(OLS_RESIDUAL, sp.Rational(1, 2)), "residuals above 1/2 on K"),
    notes="For n = 3 the two conditions of Assumption 6 (ii) reduce to (i) (Lemma 8, Eqs. (15)-(16)).")
