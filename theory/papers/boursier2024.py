"""boursier2024: Boursier, Flammarion, "Early alignment in two-layer networks training is a two-edged
sword". Seed text ``seeds/003_ca14e658bf765476.txt``, claim catalog ``claims/claims_003.md`` (entries cited
as "catalog E16", findings as "F2").

Setting (§2, Eq. (1)-(7)): h(x) = sum_j a_j sigma(<w_j, x>), sigma = ReLU (gamma = 0 in §4), loss
L = (1/n) sum_k 1/2 (h(x_k) - y_k)^2 (Eq. (10)), Clarke subgradient flow (2)/(6) with the min-norm
selection D(w, theta) (exactly the Filippov sliding of :func:`numerics.flows.solve_flow`), init
(a_j^0, w_j^0) = (lambda/sqrt(m)) (a~_j, w~_j) with |a~_j| >= ||w~_j|| (Eq. (3)-(5);
:func:`numerics.network.init_mean_field`, "sphere-sign" = the paper's example, dominated).

Module layout: this file holds the paper graph, shared data/hypotheses and the closed-form / convex
claims (Assumptions 1, 3-6 via Lemma 8, Definition 1, Lemmas 2, 3, 8, 9, 10, 11, 14, Condition 1,
Theorem 2's convex part); :mod:`theory.papers._boursier2024_flow` the flow claims (Lemma 1 and the GD
pitfall, Theorem 1, Lemmas 4-7, 13, 15-19, 21-24, Corollary 1, Theorem 2/4 and its findings) and the
figures; results not numerically checkable are registered at the end with their reason.
"""
from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np
import sympy as sp

from theory.claims import Claim, Hypothesis, Instance, Measurement, Mutant, Paper, Result, not_checkable

KEY = "boursier2024"
CATALOG = "claims_003.md"
F64 = ("float64",)

PAPER = Paper(
    key=KEY,
    title="Early alignment in two-layer networks training is a two-edged sword",
    authors="E. Boursier, N. Flammarion",
    venue="(venue not given in the text)",
    source="seeds/003_ca14e658bf765476.txt",
    catalog="claims/claims_003.md",
    order=3,
    results=[
        Result("assumption1", "Assumption 1", "§2, l.60", "assumption", (), "loss regularity"),
        Result("assumption2", "Assumption 2", "§3, l.117", "assumption", (), "generic data"),
        Result("definition1", "Definition 1", "§3, l.133", "definition", (), "extremal vectors"),
        Result("condition1", "Condition 1", "§3, l.148", "definition", ("definition1",), "per-neuron condition"),
        Result("condition2", "Condition 2", "App. E, l.1223", "definition", (), "per-neuron condition (saddles)"),
        Result("lemma1", "Lemma 1", "§3, l.111 (proof C.1)", "lemma", (), "balancedness"),
        Result("lemma2", "Lemma 2", "§3, l.121 (proof C.2)", "lemma", ("assumption1", "assumption2"), ""),
        Result("lemma3", "Lemma 3", "§3, l.144 (proof C.3)", "lemma", ("assumption2", "definition1"), ""),
        Result("lemma9", "Lemma 9", "App. D.1, l.815", "lemma", ("assumption2", "lemma2"), "alpha_min, D_min > 0"),
        Result("lemma10", "Lemma 10", "App. D.1, l.825", "lemma", ("assumption2", "lemma2"), "delta_0 > 0"),
        Result("lemma11", "Lemma 11", "App. D.2, l.839", "lemma", ("assumption1", "lemma10"), "cone stability"),
        Result("lemma12", "Lemma 12", "App. D.4, l.944", "lemma", ("lemma11",), "critical manifolds"),
        Result("lemma13", "Lemma 13", "App. D.5, l.1040", "lemma", ("lemma11", "lemma12"), "no exit before tau"),
        Result("lemma14", "Lemma 14", "App. D.6, l.1099", "lemma", (), "misalignment quantised"),
        Result("theorem1", "Theorem 1", "§3, l.159 (proof D.3-D.7)", "theorem",
               ("assumption1", "assumption2", "lemma1", "lemma9", "lemma10", "lemma11", "lemma13", "lemma14",
                "condition1"), "early alignment"),
        Result("theorem3", "Theorem 3", "App. E, l.1232", "theorem", ("theorem1", "condition2"), "with saddles"),
        Result("assumption3", "Assumption 3", "§4, l.226", "assumption", (), "3-point data"),
        Result("assumption4", "Assumption 4", "App. A, l.513", "assumption", (), ""),
        Result("assumption5", "Assumption 5", "App. A, l.517", "assumption", (), ""),
        Result("assumption6", "Assumption 6", "App. A, l.530", "assumption", (), ""),
        Result("lemma8", "Lemma 8", "App. A, l.548", "lemma", ("assumption3",), "A3 => A4, A5, A6"),
        Result("lemma4", "Lemma 4", "§4.1.1, l.280 (proof F.1)", "lemma", ("theorem1", "assumption4"), "phase 1"),
        Result("lemma15", "Lemma 15", "App. F.2, l.1420", "lemma", ("lemma4",), ""),
        Result("lemma5", "Lemma 5", "§4.1.2, l.298 (proof F.2)", "lemma", ("lemma4", "lemma15", "assumption5"),
               "phase 2a"),
        Result("lemma16", "Lemma 16", "App. F.3, l.1539", "lemma", (), ""),
        Result("lemma17", "Lemma 17", "App. F.3, l.1580", "lemma", ("assumption5",), ""),
        Result("lemma18", "Lemma 18", "App. F.3, l.1622", "lemma", (), ""),
        Result("lemma6", "Lemma 6", "§4.1.2, l.313 (proof F.3)", "lemma", ("lemma5", "lemma16", "lemma17", "lemma18"),
               "phase 2b"),
        Result("lemma19", "Lemma 19", "App. F.4, l.1647", "lemma", (), ""),
        Result("lemma20", "Lemma 20", "App. F.4, l.1687", "lemma", ("assumption6",), ""),
        Result("lemma21", "Lemma 21", "App. F.4, l.1766", "lemma", ("lemma19", "lemma20"), "local PL"),
        Result("lemma22", "Lemma 22", "App. F.4, l.1840", "lemma", ("lemma21",), "loss rate"),
        Result("lemma23", "Lemma 23", "App. F.4, l.1869", "lemma", ("lemma22",), ""),
        Result("lemma24", "Lemma 24", "App. F.4, l.1890", "lemma", ("lemma23",), ""),
        Result("corollary1", "Corollary 1", "App. F.4, l.1936", "corollary", ("lemma24", "lemma20"), "tau_4 = inf"),
        Result("lemma7", "Lemma 7", "§4.1.3, l.327 (proof F.4)", "lemma", ("lemma6", "corollary1", "lemma22"),
               "phase 3"),
        Result("theorem4", "Theorem 4", "App. F, l.1319", "theorem",
               ("lemma4", "lemma5", "lemma6", "lemma7", "assumption4", "assumption5", "assumption6"), ""),
        Result("theorem2", "Theorem 2", "§4, l.240", "theorem", ("theorem4", "lemma8", "assumption3"),
               "convergence to OLS"),
    ],
)

# =========================================================================== datasets


def ds_params(name: str) -> dict:
    """Instance parameters of a catalog dataset (numerics.datasets; catalog §1.1)."""
    from numerics import datasets as D

    table = {
        "DS-G": D.boursier2024_ds_g, "DS-P(0.1)": lambda: D.three_point(0.1), "DS-S6": D.boursier2024_ds_s6,
        "DS-V": D.boursier2024_ds_v, "DS-2N": lambda: D.boursier2024_ds_2n((1.0, 1.0)),
        "DS-2N(-)": lambda: D.boursier2024_ds_2n((-1.0, -1.0)), "box(0.1, seed 7)": lambda: D.three_point_box(0.1, 7),
    }
    ds = table[name]()
    return {"dataset": name, "X": ds.X.tolist(), "y": ds.y.tolist(), "gamma": 0.0, "loss": "square"}


def data(inst_or_params):
    p = inst_or_params.params if isinstance(inst_or_params, Instance) else inst_or_params
    return np.asarray(p["X"], dtype=float), np.asarray(p["y"], dtype=float)


def beta_star(X, y):
    """beta* = (X^T X)^{-1} X^T y (l.240) in float64 (exact rational cross-check: numerics.convex.ols)."""
    return np.linalg.solve(X.T @ X, X.T @ y)


def L_beta(X, y):
    """L_{beta*} = (1/2n) sum_k (<beta*, x_k> - y_k)^2 (l.1766), the spurious loss level."""
    b = beta_star(X, y)
    return float(0.5 * np.mean((X @ b - y) ** 2))


# =========================================================================== hypotheses


def _validation(inst):
    from numerics.datasets import Dataset, validate_boursier2024

    X, y = data(inst)
    return validate_boursier2024(Dataset(X, y, name=inst.params.get("dataset", inst.name), source="instance"),
                                 loss=inst.params.get("loss", "square"))


def _hyp(prefix):
    def test(inst):
        chk = _validation(inst)[prefix]
        return chk.passed, chk.reason
    return test


def _relu_square(inst):
    g, loss = float(inst.params.get("gamma", 0.0)), inst.params.get("loss", "square")
    return (g == 0.0 and loss == "square", f"gamma = {g:g}, loss = {loss} (§4: ReLU and 1/2 square loss, Eq. (10))")


def _generic(inst):
    """Assumption 2 (generic data) is probabilistic; what the proofs use of it (Lemma 2's linear independence
    of every family of <= d vectors ell'(0,y_k) x_k, and y_k != 0) is tested on the fixed data."""
    X, y = data(inst)
    d = X.shape[1]
    if np.any(y == 0):
        return False, "a label is 0 (ell'(0, y_k) = 0)"
    smin = math.inf
    for size in range(1, min(d, len(y)) + 1):
        for sub in itertools.combinations(range(len(y)), size):
            M = (y[list(sub), None] * X[list(sub)])
            smin = min(smin, float(np.linalg.svd(M, compute_uv=False)[-1]))
    return smin > 1e-9, f"min over families of <= d vectors y_k x_k of sigma_min = {smin:.4g}"


def _no_saddle(inst):
    X, _ = data(inst)
    if X.shape[1] == 2:
        return True, ("d = 2: on the circle every Clarke-critical point of the piecewise-linear G is a strict "
                      "local extremum or lies on a flat arc (no saddle in the paper's sense; see F28)")
    return False, f"not decided for d = {X.shape[1]} > 2"


H_LOSS = Hypothesis("a loss named in §2 (l.58)", lambda inst: (inst.params.get("loss") in LOSSES_SYM,
                                                                 f"loss = {inst.params.get('loss')}"), "§2, l.58")
H_3PT = Hypothesis("three points x_k = (z_k, b_k) in R^2 (§4 setting)",
                   lambda inst: (np.asarray(inst.params["X"]).shape == (3, 2), f"X of shape "
                                 f"{np.asarray(inst.params['X']).shape}"), "§4, l.222")
H_BOXGRID = Hypothesis("box sizes eta in (0, 1/6) (Theorem 2 / Lemma 8)",
                       lambda inst: (True, "grid eta values < 1/6 = 0.16667"), "§4, l.240; App. A, l.548")
H_MODEL = Hypothesis("ReLU, 1/2 square loss (Eq. (10))", _relu_square, "§4, l.222")
H_A1 = Hypothesis("Assumption 1 (loss regularity)", _hyp("Assumption 1"), "§2, l.60")
H_A2 = Hypothesis("Assumption 2 (generic data; its consequences of Lemma 2)", _generic, "§3, l.117")
H_NS = Hypothesis("G has no saddle point", _no_saddle, "Theorem 1, l.159")
H_A3 = Hypothesis("Assumption 3 with eta < 1/6", _hyp("Theorem 2 (Assumption 3"), "§4, l.226-240")
H_A4 = Hypothesis("Assumption 4", _hyp("Assumption 4"), "App. A, l.513")
H_A5 = Hypothesis("Assumption 5 (printed)", _hyp("Assumption 5"), "App. A, l.517")
H_A6 = Hypothesis("Assumption 6", _hyp("Assumption 6 (i)"), "App. A, l.530")


def _nc(cid, label, where, reason, result, catalog, tags=()):
    return not_checkable(KEY, cid, label, where, reason, result, f"{CATALOG} {catalog}", tags)


def _inst(name, extra=None, desc=""):
    return Instance(name, {**ds_params(name), **(extra or {})}, description=desc)


def _err(v, rel=1e-12):
    """Error estimate of a float64 closed-form quantity: relative 1e-12 (a few hundred ulp of linear algebra)."""
    return [rel * (1 + abs(float(x))) for x in np.atleast_1d(v)] if np.ndim(v) else rel * (1 + abs(float(v)))


# =========================================================================== Assumption 1 (loss regularity)

YH, YY = sp.symbols("yhat y", real=True)
LOSSES_SYM = {
    "half-square": sp.Rational(1, 2) * (YH - YY) ** 2,
    "square (MSELoss of the authors' code)": (YH - YY) ** 2,
    "logistic": sp.log(1 + sp.exp(-YH * YY)),
}


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
    d2 = sp.lambdify((YH, YY), sp.diff(ell, YH, 2), "numpy")
    d1 = sp.lambdify((YH, YY), sp.diff(ell, YH), "numpy")
    grid = np.linspace(-50, 50, 20001)
    labels = sorted(set(float(v) for v in inst.params["y"]))
    lip = max(float(np.max(np.abs(np.broadcast_to(d2(grid, yv), grid.shape)))) for yv in labels)
    c0 = min(abs(float(d1(0.0, yv))) for yv in labels if yv != 0)
    exact = YH not in sp.diff(ell, YH, 2).free_symbols  # a constant second derivative is evaluated exactly
    return Measurement(values={"Lip": lip, "c0": c0}, errors={"Lip": 0 if exact else 1e-12, "c0": 1e-12},
                       info={"loss": str(ell), "labels": labels, "d2ell": str(sp.simplify(sp.diff(ell, YH, 2)))})


LIP, C0 = sp.symbols("Lip c0", nonnegative=True)
ASSUMPTION1 = Claim(
    id=f"{KEY}.assumption1", paper=KEY, label="Assumption 1 (the losses of §2 satisfy it)",
    where="§2, l.58-62", kind="closed-form", statement=sp.Le(LIP, 1),
    latex_names={"Lip": r"\mathrm{Lip}(\partial_1\ell)", "c0": r"\min_{y\neq0}|\partial_1\ell(0,y)|"},
    symbols_doc={"Lip": "sup over yhat and the labels of |d^2 ell / d yhat^2|", "c0": "min |ell'(0, y)|, y != 0"},
    quantifier="for every label y of the instance", quantifier_latex=r"\forall y",
    hypotheses=[H_LOSS], instances=_a1_instances, measure=_a1_measure, provides=("c0",),
    mutant=Mutant(sp.Le(LIP, sp.Rational(1, 2)), "d ell/d yhat 1/2-Lipschitz (rejected by Eq. (10))"),
    catalog=f"{CATALOG} E01, F12", result="assumption1", ladder=F64, tags=("finding",),
    notes="§2 (l.58) says the square loss is covered; the unhalved (yhat - y)^2 used by the authors' code "
          "(MSELoss) has a 2-Lipschitz derivative: VIOLATED on that instance (finding F12). Eq. (10)'s 1/2 "
          "square loss and the logistic loss with labels +-1 satisfy it.")

# =========================================================================== Assumption 3 (the box)


def _a3_instances(tier):
    return [_inst("DS-P(0.1)", desc="the paper's symmetric 3-point picture (Figure 1 family)"),
            _inst("DS-G", desc="generic eta = 0.1 point"), _inst("box(0.1, seed 7)", desc="random box point")]


def _a3_measure(inst, point, precision) -> Measurement:
    """eta_min: the smallest eta for which the data lie in the Assumption-3 box (numerics.datasets)."""
    from numerics.datasets import assumption3_eta_min

    X, y = data(inst)
    ok, eta_min, why = assumption3_eta_min(X, y)
    if not ok:
        raise ValueError(f"not in the box for any eta: {why}")
    return Measurement(values={"eta_min": eta_min}, errors={"eta_min": 4e-16}, info={"detail": why})


ETAMIN = sp.Symbol("eta_min", nonnegative=True)
ASSUMPTION3 = Claim(
    id=f"{KEY}.assumption3", paper=KEY, label="Assumption 3 (3-point box) with eta < 1/6", where="§4, l.226-240",
    kind="closed-form", statement=sp.Lt(ETAMIN, sp.Rational(1, 6)), latex_names={"eta_min": r"\eta_{\min}"},
    symbols_doc={"eta_min": "smallest eta such that the data lie in the Assumption-3 box"},
    quantifier="the data of the instance", hypotheses=[H_3PT], instances=_a3_instances, measure=_a3_measure,
    mutant=Mutant(sp.Lt(ETAMIN, sp.Rational(1, 24)), "the box with a 4x smaller eta (1/24)"),
    catalog=f"{CATALOG} E15", result="assumption3", ladder=F64,
    notes="Figure 1 draws eta = 1/6, not < 1/6 (F24, a typo-level remark, not encoded).")

# =========================================================================== Lemma 8 => Assumptions 4, 5, 6


def _l8_instances(tier):
    return [_inst("DS-P(0.1)"), _inst("DS-G"), _inst("box(0.1, seed 7)"),
            _inst("DS-V", desc="eta = 0.16 < 1/6 point of the box (catalog F1)")]


def _gram_measure(inst, point, precision) -> Measurement:
    X, y = data(inst)
    Gm = X @ X.T
    return Measurement(values={"min_gram": float(Gm.min()), "min_y": float(y.min())},
                       errors={"min_gram": 1e-14, "min_y": 0}, info={"gram": Gm.tolist()})


MG, MY = sp.symbols("min_gram min_y", real=True)
ASSUMPTION4 = Claim(
    id=f"{KEY}.assumption4", paper=KEY, label="Assumption 4 (via Lemma 8 (a)): <x_k, x_k'> > 0",
    where="App. A, l.513; Lemma 8 proof l.552", kind="closed-form", statement=sp.Gt(MG, 0),
    latex_names={"min_gram": r"\min_{k,k'}\langle x_k,x_{k'}\rangle", "min_y": r"\min_k y_k"},
    symbols_doc={"min_gram": "smallest Gram entry", "min_y": "smallest label"},
    quantifier="for all k, k'", hypotheses=[H_A3], instances=_l8_instances, measure=_gram_measure,
    provides=("min_y",),
    mutant=Mutant(sp.Gt(MG, sp.Rational(1, 2)), "<x_k, x_k'> > 1/2 (the box's <x_1, x_3> can approach 0)"),
    catalog=f"{CATALOG} E25, E28 (a), F15", result="assumption4", ladder=F64,
    notes="Positive labels and general position are checked in the hypothesis validator; the proof's "
          "'<x_k,x_k'> > 0 if eta < 1' is wrong (min <x_1,x_2> = 1 - 2 eta needs eta < 1/2, F15).")


def a5_margins(X, y, excluded=False):
    """Printed Assumption 5 (l.517) for k in K: (y_k ||x_k||^2, sqrt(sum_k' y_k'^2) sqrt(sum_{k' != k}
    <x_k', x_k>^2)); ``excluded=True`` uses the proof's sum_{k' != k} y_k'^2 (Lemma 8, l.566)."""
    from numerics.geometry import data_cone_extreme_indices

    Gm = X @ X.T
    out = []
    for k in data_cone_extreme_indices(X):
        ys = np.delete(y, k) if excluded else y
        out.append((k, float(y[k] * Gm[k, k]), float(np.linalg.norm(ys) * np.linalg.norm(np.delete(Gm[k], k)))))
    return out


def _a5_measure(inst, point, precision) -> Measurement:
    X, y = data(inst)
    rows = a5_margins(X, y)
    return Measurement(values={"lhs5": [r[1] for r in rows], "rhs5": [r[2] for r in rows]},
                       errors={"lhs5": [1e-13] * len(rows), "rhs5": [1e-13] * len(rows)},
                       coords={"k": [r[0] + 1 for r in rows]},
                       info={"proof_variant_margins": [l - r for _, l, r in a5_margins(X, y, True)]})


L5, R5 = sp.symbols("lhs5 rhs5", positive=True)
ASSUMPTION5 = Claim(
    id=f"{KEY}.assumption5", paper=KEY, label="Assumption 5 (printed) on Assumption-3 data (Lemma 8)",
    where="App. A, l.517-522; Lemma 8 l.548-577", kind="closed-form", statement=sp.Gt(L5, R5),
    latex_names={"lhs5": r"y_k\|x_k\|^2", "rhs5": r"\sqrt{\sum_{k'}y_{k'}^2}\sqrt{\sum_{k'\neq k}\langle x_{k'},x_k\rangle^2}"},
    symbols_doc={"lhs5": "y_k ||x_k||^2", "rhs5": "sqrt(sum y^2) sqrt(sum_{k' != k} <x_k', x_k>^2)"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}",
    hypotheses=[H_A3], instances=_l8_instances, measure=_a5_measure,
    mutant=Mutant(sp.Gt(L5, 2 * R5), "margin by a factor 2"),
    catalog=f"{CATALOG} E26, E28 (d), F1, DS-V", result="lemma8", ladder=F64, tags=("finding",),
    notes="DS-V (eta = 0.16 < 1/6, inside the box) violates the printed Assumption 5 (margin -0.43): Lemma 8 "
          "does not establish it (finding F1); see boursier2024.lemma8.worst_case for the eta from which the "
          "implication fails over the whole box.")


def _a6_measure(inst, point, precision) -> Measurement:
    from numerics.geometry import data_cone_extreme_indices

    X, y = data(inst)
    b = beta_star(X, y)
    K = data_cone_extreme_indices(X)
    r = y - X @ b
    return Measurement(values={"res6": [float(r[k]) for k in K]}, errors={"res6": [1e-13] * len(K)},
                       coords={"k": [k + 1 for k in K]}, info={"beta_star": b.tolist(), "residuals": r.tolist()})


RES6 = sp.Symbol("res6", real=True)
ASSUMPTION6 = Claim(
    id=f"{KEY}.assumption6", paper=KEY, label="Assumption 6 (i) on Assumption-3 data (Lemma 8, Eq. (14))",
    where="App. A, l.530-546; Lemma 8 l.580-623", kind="closed-form", statement=sp.Gt(RES6, 0),
    latex_names={"res6": r"y_k-\langle\beta^*,x_k\rangle"}, symbols_doc={"res6": "OLS residual y_k - <beta*, x_k>"},
    quantifier="for all k in K", quantifier_latex=r"\forall k\in\mathcal{K}", hypotheses=[H_A3],
    instances=_l8_instances, measure=_a6_measure,
    mutant=Mutant(sp.Gt(RES6, sp.Rational(1, 2)), "residuals above 1/2 on K"),
    catalog=f"{CATALOG} E27, E28 (e)", result="assumption6", ladder=F64,
    notes="For n = 3 the two conditions of Assumption 6 (ii) reduce to (i) (Lemma 8, Eqs. (15)-(16)).")

# =========================================================================== Lemma 8: worst case over the box


def _box_point(v):
    X = np.array([[v[0], v[1]], [v[3], v[4]], [v[6], v[7]]])
    return X, np.array([v[2], v[5], v[8]])


def _box_bounds(eta):
    e = 1e-12
    lo = np.array([-1 + e, 1, 1, -eta, 1 - eta, e, 1 - eta, 1, 1])
    hi = np.array([-1 + eta, 1 + eta, 1 + eta, eta, 1 + eta, eta, 1 - e, 1 + eta, 1 + eta])
    return lo, hi


def _margin_fun(v, excluded):
    """min over k in {1, 3} (= K on the box, Lemma 8 (c)) of the Assumption-5 margin at box point v."""
    X, y = _box_point(v)
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
    from scipy.optimize import minimize

    lo, hi = _box_bounds(eta)
    corners = []
    for bits in itertools.product((0, 1), repeat=9):
        v = np.where(np.array(bits) == 1, hi, lo)
        corners.append((_margin_fun(v, excluded), tuple(v)))
    corners.sort()
    best = corners[0]
    if refine:
        for val, v0 in corners[:8]:
            res = minimize(lambda v: _margin_fun(v, excluded), np.array(v0), method="L-BFGS-B",
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


ETA_GRID_FAST = [0.05, 0.09, 0.1, 0.12, 0.14, 0.16, 0.1666]


def _l8w_instances(tier):
    kw = dict(grid=[{"eta": e} for e in ETA_GRID_FAST], grid_param="eta", grid_symbol="η")
    return [Instance("Assumption-3 box, printed Assumption 5 (sum over all k')", {"variant": "printed"}, **kw,
                     description="worst case over the 9 box variables (512 corners + L-BFGS-B)"),
            Instance("Assumption-3 box, the proof's variant (sum over k' != k)", {"variant": "excluded"}, **kw,
                     description="worst case over the 9 box variables (512 corners + L-BFGS-B)")]


def _l8w_measure(inst, point, precision) -> Measurement:
    ex = inst.params["variant"] == "excluded"
    eta = float(point["eta"])
    val, v = box_worst_margin(eta, ex)
    X, y = _box_point(np.array(v))
    thr = box_eta_threshold(ex)
    return Measurement(values={"worst_margin": val}, errors={"worst_margin": 1e-12},
                       coords={"x1": str(np.round(X[0], 6).tolist()), "x2": str(np.round(X[1], 6).tolist()),
                               "x3": str(np.round(X[2], 6).tolist()), "y": str(np.round(y, 6).tolist())},
                       info={"eta_threshold": thr, "witness_X": X.tolist(), "witness_y": y.tolist()})


WM = sp.Symbol("worst_margin", real=True)
LEMMA8_WORST = Claim(
    id=f"{KEY}.lemma8.worst_case", paper=KEY, label="Lemma 8 => Assumption 5, worst case over the box",
    where="App. A, l.548-577", kind="closed-form", statement=sp.Gt(WM, 0),
    latex_names={"worst_margin": r"\min_{\mathrm{box}(\eta)}\min_{k\in\mathcal{K}}(y_k\|x_k\|^2-\mathrm{RHS}_k)"},
    symbols_doc={"worst_margin": "min over the Assumption-3 box of the Assumption-5 margin"},
    quantifier="for every dataset in the Assumption-3 box with eta < 1/6", hypotheses=[H_BOXGRID],
    instances=_l8w_instances, measure=_l8w_measure,
    mutant=Mutant(sp.Gt(WM, sp.Rational(1, 10)), "worst-case margin above 0.1"),
    catalog=f"{CATALOG} E26, E28 (d), F1", result="lemma8", ladder=F64, tags=("finding",),
    notes="The printed Assumption 5 fails on part of the box from the eta in info['eta_threshold'] on (catalog: "
          "0.09765): Lemma 8's implication is false there (F1); the proof's variant (sum over k' != k) holds on "
          "the whole box. The proof's chain also has y_k||x_k||^2 >= (1+(1-eta)^2)^2 (should be 1+(1-eta)^2) "
          "and <x_2,x_1> <= eta(1-eta)+(1+eta)^2 (should be eta+(1+eta)^2).")


def _l8b_measure(inst, point, precision) -> Measurement:
    """Eq. (13): x_2 = alpha_1 x_1 + alpha_3 x_3; min over the box of alpha_1 - eta and of alpha_3 (corners
    + L-BFGS-B, as for the margin)."""
    from scipy.optimize import minimize

    eta = float(point["eta"])
    lo, hi = _box_bounds(eta)

    def alphas(v):
        X, _ = _box_point(v)
        return np.linalg.solve(np.stack([X[0], X[2]], axis=1), X[1])

    def f1(v):
        return alphas(v)[0] - eta

    def f3(v):
        return alphas(v)[1]

    vals = []
    for f in (f1, f3):
        cs = sorted((f(np.where(np.array(b) == 1, hi, lo)), tuple(np.where(np.array(b) == 1, hi, lo)))
                    for b in itertools.product((0, 1), repeat=9))
        best = cs[0][0]
        for _, v0 in cs[:4]:
            r = minimize(f, np.array(v0), method="L-BFGS-B", bounds=list(zip(lo, hi)))
            best = min(best, float(r.fun))
        vals.append(best)
    return Measurement(values={"a1_gap": vals[0], "a3": vals[1], "eta": eta},
                       errors={"a1_gap": 1e-12, "a3": 1e-12, "eta": 0})


A1G, A3V, ETA = sp.symbols("a1_gap a3 eta", real=True)
LEMMA8_B = Claim(
    id=f"{KEY}.lemma8.b", paper=KEY, label="Lemma 8 (b), Eq. (13): alpha_1 > eta on the box",
    where="App. A, l.556-560", kind="closed-form", statement=sp.Gt(A1G, 0),
    latex_names={"a1_gap": r"\min_{\mathrm{box}}(\alpha_1-\eta)", "a3": r"\min\alpha_3", "eta": r"\eta"},
    symbols_doc={"a1_gap": "min over the box of alpha_1 - eta", "a3": "min over the box of alpha_3",
                 "eta": "box size"},
    quantifier="for every dataset in the box, eta < 1/6", hypotheses=[H_BOXGRID],
    instances=lambda tier: [Instance("Assumption-3 box", {}, grid=[{"eta": e} for e in (0.05, 0.1, 0.1666)],
                                     grid_param="eta", grid_symbol="η"),
                            Instance("Assumption-3 box at eta = 1/6 - 1e-4 (edge)", {}, grid=[{"eta": 0.1665}],
                                     grid_param="eta", grid_symbol="η")],
    measure=_l8b_measure, provides=("a3", "eta"),
    mutant=Mutant(sp.Gt(A1G, ETA), "alpha_1 > 2 eta"),
    catalog=f"{CATALOG} E28 (b)", result="lemma8", ladder=F64,
    notes="Catalog: min(alpha_1 - eta) = 0.067 at eta = 1/6; fails somewhere in (1/6, 1/4).")

# =========================================================================== Definition 1, Lemmas 2, 3, 14


def _grid_extrema(X, y, N=100_000):
    """Strict local extrema of G((cos t, sin t)) on a grid of N angles (Clarke-critical, non-flat points)."""
    from numerics.geometry import G

    th = np.arange(N) * (2 * np.pi / N)
    W = np.stack([np.cos(th), np.sin(th)], axis=1)
    g = G(W, X, y)
    gp, gn = np.roll(g, 1), np.roll(g, -1)
    scale = 1e-13 * max(1.0, float(np.max(np.abs(g))))
    mx = np.flatnonzero((g > gp + scale) & (g > gn + scale))
    mn = np.flatnonzero((g < gp - scale) & (g < gn - scale))
    return th, W, g, mx, mn


def _def1_instances(tier):
    return [_inst("DS-G", desc="one extremal vector D* expected (catalog E07)"),
            _inst("DS-2N", desc="five extremal vectors expected (three sector maxima, two ray minima)"),
            _inst("DS-S6", desc="the §6 data")]


def _def1_measure(inst, point, precision) -> Measurement:
    """Extremal vectors by cone enumeration (numerics.geometry.extremal_vectors) vs the strict local extrema of
    G on a 1e5-point angular grid; also the largest angle between an extremal direction sign*D/||D|| and the
    nearest grid extremum of the right type."""
    from numerics.geometry import extremal_vectors

    X, y = data(inst)
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


NE, NC, NMX = sp.symbols("n_ext n_crit n_max", nonnegative=True)
DEFINITION1 = Claim(
    id=f"{KEY}.definition1", paper=KEY, label="Definition 1 + l.133-142: extremal vectors = critical points of G",
    where="§3, l.133-142, l.173", kind="closed-form", statement=sp.Eq(NE, NC),
    latex_names={"n_ext": r"\#\{\text{extremal vectors}\}", "n_crit": r"\#\{\text{strict critical points of }G\}",
                 "n_max": r"\#\{\text{local maxima of }G\}"},
    symbols_doc={"n_ext": "number of extremal vectors (cone enumeration)",
                 "n_crit": "strict local extrema of G on the circle (grid of 1e5 angles)",
                 "n_max": "strict local maxima of G on the grid"},
    quantifier="on the circle", hypotheses=[H_A2], instances=_def1_instances, measure=_def1_measure,
    provides=("n_max",),
    mutant=Mutant(sp.Eq(NE, NMX), "extremal vectors are the local maxima of G only"),
    catalog=f"{CATALOG} E07, F28", result="definition1", ladder=F64,
    notes="Flat arcs of G (the dead arc G = 0, 26.5% of the circle for DS-G) are non-strict minima and carry no "
          "extremal vector (F28: 'no saddle' is undefined for non-smooth G).")


def _lemma3_instances(tier):
    return [_inst("DS-G"), _inst("DS-2N"), _inst("DS-S6"), _inst("box(0.1, seed 7)")]


def _lemma3_measure(inst, point, precision) -> Measurement:
    """Number of extremal vectors, and the KKT facts of the proof (C.3): at a maximiser w* of G on the sphere
    D(w*, 0) = mu w* with mu = G(w*) (the parallelism residual ||D - <D,w*>w*||)."""
    from numerics.geometry import D_min_norm, G_extrema, extremal_vectors

    X, y = data(inst)
    ext = extremal_vectors(X, y)
    ge = G_extrema(X, y)
    w = ge.argmax[0]
    Dw = D_min_norm(w, X, y, tol=1e-9).D
    return Measurement(values={"n_ext": len(ext)}, errors={"n_ext": 0},
                       info={"G_max": ge.max_value, "argmax": w.tolist(), "D_at_argmax": Dw.tolist(),
                             "parallel_residual": float(np.linalg.norm(Dw - (Dw @ w) * w))})


LEMMA3 = Claim(
    id=f"{KEY}.lemma3", paper=KEY, label="Lemma 3 (an extremal vector exists)", where="§3, l.144 (proof C.3)",
    kind="closed-form", statement=sp.Ge(NE, 1), latex_names={"n_ext": r"\#\{\text{extremal vectors}\}"},
    symbols_doc={"n_ext": "number of extremal vectors (cone enumeration)"}, quantifier="a.s. over the data",
    hypotheses=[H_A2], instances=_lemma3_instances, measure=_lemma3_measure,
    mutant=Mutant(sp.Ge(NE, 2), "at least two extremal vectors"),
    catalog=f"{CATALOG} E08, E30", result="lemma3", ladder=F64)


def _lemma2_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (second part): min over families of <= d vectors ell'(0,y_k) x_k of their smallest singular
    value; first part: for every face u with 0 not in 𝔇_u, the distance of D_u's pattern to the boundary
    (min over k with u_k != 0 of |<D_u, x_k>|/(||D_u|| ||x_k||) when D_u is in the closed cone +-cl A^{-1}(u))."""
    from numerics.geometry import face_selections, sign_pattern

    X, y = data(inst)
    ok, detail = _generic(inst)
    d = X.shape[1]
    smin = math.inf
    for size in range(1, min(d, len(y)) + 1):
        for sub in itertools.combinations(range(len(y)), size):
            smin = min(smin, float(np.linalg.svd(y[list(sub), None] * X[list(sub)], compute_uv=False)[-1]))
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


SMIN, BDIST = sp.symbols("smin bdist", nonnegative=True)
LEMMA2 = Claim(
    id=f"{KEY}.lemma2", paper=KEY, label="Lemma 2 (linear independence; no extremal vector on a cone boundary)",
    where="§3, l.121-129 (proof C.2)", kind="closed-form", statement=sp.Gt(SMIN, 0),
    latex_names={"smin": r"\min_{|S|\leq d}\sigma_{\min}((\partial_1\ell(0,y_k)x_k)_{k\in S})",
                 "bdist": r"\min|\langle D_u,\hat x_k\rangle|/\|D_u\|"},
    symbols_doc={"smin": "min singular value over families of <= d vectors ell'(0,y_k) x_k",
                 "bdist": "relative distance of extremal D_u to the boundary of its cone (info)"},
    quantifier="a.s. over the data", hypotheses=[H_A1], instances=lambda tier: [_inst("DS-G"), _inst("DS-2N"),
                                                                                _inst("DS-S6")],
    measure=_lemma2_measure, provides=("bdist",),
    mutant=Mutant(sp.Gt(SMIN, 1), "families well conditioned (sigma_min > 1)"),
    catalog=f"{CATALOG} E06", result="lemma2", ladder=F64)


def _local_type(w, X, y, tol=0.0):
    """Local max / min of G at the unit w on the circle: compare with the two neighbours at angle 1e-6 (strict for
    tol = 0; with tol > 0, a side where G differs by <= tol is flat and counts for both: 'flat' if both sides are
    flat, 'saddle' if G increases on one side and decreases on the other)."""
    from numerics.geometry import G

    c, sn = math.cos(1e-6), math.sin(1e-6)
    R = np.array([[c, -sn], [sn, c]])
    g0, g1, g2 = (float(G(v, X, y)) for v in (w, R @ w, R.T @ w))
    if tol == 0.0:
        return "max" if g0 > max(g1, g2) else ("min" if g0 < min(g1, g2) else "neither")
    up = [g > g0 + tol for g in (g1, g2)]
    down = [g < g0 - tol for g in (g1, g2)]
    if not any(up) and not any(down):
        return "flat"
    return "min" if not any(down) else ("max" if not any(up) else "saddle")


def _critical_manifolds(X, y):
    """Critical manifolds M_u of the data at theta = 0 (D.4 l.932-942, catalog E34; d = 2): faces u != 0 with
    D_u = 0 or D_u in M_u or -M_u. Each entry: u, D_u, inp / inm (D_u in M_u / -M_u), ray (u has a zero), w (a
    unit critical direction in cl(M_u): +-D^_u if D_u != 0, else the ray's direction; None for a flat sector) and
    kind (local type of G at w: strict when D_u != 0, flat sides allowed when D_u = 0)."""
    from numerics.geometry import face_selections, null_space, sign_pattern

    out = []
    for s in face_selections(X, y, 0.0, "square", "mean", 1e-10):
        u = s.pattern
        if not np.any(u):
            continue
        nD = float(np.linalg.norm(s.D))
        ray = bool(np.any(u == 0))
        inp = nD >= 1e-14 and np.array_equal(sign_pattern(s.D, X, 1e-9), u)
        inm = nD >= 1e-14 and np.array_equal(sign_pattern(-s.D, X, 1e-9), u)
        if nD >= 1e-14 and not (inp or inm):
            continue
        if nD >= 1e-14:
            w = (s.D if inp else -s.D) / nD
        elif ray:
            w = null_space(X[u == 0])[:, 0]
            w = w if np.array_equal(sign_pattern(w, X, 1e-9), u) else -w
        else:
            w = None
        kind = "flat" if w is None else _local_type(w, X, y, 0.0 if nD >= 1e-14 else 1e-12 * (1 + float(np.abs(y).max())))
        out.append({"u": u, "D": s.D, "nD": nD, "inp": inp, "inm": inm, "ray": ray, "w": w, "kind": kind})
    return out


def _l14_measure(inst, point, precision) -> Measurement:
    """Lemma 14 on every critical manifold M_u (:func:`_critical_manifolds`) with D_u != 0 whose critical point
    +-D^_u is a strict local max / min of G: alt1 = 1 if D_u in M_u (max) / -M_u (min), alt2 = 1 if
    M_u cap S = {-D^_u} (max) / {D^_u} (min)."""
    X, y = data(inst)
    alt1, alt2, lab = [], [], []
    for cm in _critical_manifolds(X, y):
        if cm["nD"] < 1e-14 or cm["kind"] not in ("max", "min"):
            continue
        inp, inm, is_max = cm["inp"], cm["inm"], cm["kind"] == "max"
        if is_max:
            a1, a2 = int(inp), int(cm["ray"] and inm)
        else:
            a1, a2 = int(inm), int(cm["ray"] and inp)
        alt1.append(a1)
        alt2.append(a2)
        lab.append(f"{cm['kind']} on u = {cm['u'].tolist()}")
    if not alt1:
        raise ValueError("no critical manifold with D_u != 0")
    return Measurement(values={"alt1": alt1, "alt2": alt2}, errors={"alt1": 0, "alt2": 0}, coords={"manifold": lab})


ALT1, ALT2 = sp.symbols("alt1 alt2", nonnegative=True)
LEMMA14 = Claim(
    id=f"{KEY}.lemma14", paper=KEY, label="Lemma 14 (critical manifolds: D_u in +-M_u or M_u cap S = {-+D^_u})",
    where="App. D.6, l.1099-1109", kind="closed-form", statement=sp.Ge(ALT1 + ALT2, 1),
    latex_names={"alt1": r"\mathbb{1}[D_u\in\pm M_u]", "alt2": r"\mathbb{1}[M_u\cap\mathbb{S}=\{\mp\hat D_u\}]"},
    symbols_doc={"alt1": "first alternative (D_u in M_u for a max, in -M_u for a min)",
                 "alt2": "second alternative (M_u cap S = {-D^_u} for a max, {D^_u} for a min)"},
    quantifier="for every critical manifold with D_u != 0", hypotheses=[H_A2],
    instances=lambda tier: [_inst("DS-2N"), _inst("DS-2N(-)"), _inst("DS-G")], measure=_l14_measure,
    mutant=Mutant(sp.Ge(ALT1, 1), "'local min => D_u in -M_u' alone (catalog E37 mutation)"),
    catalog=f"{CATALOG} E37", result="lemma14", ladder=F64,
    notes="DS-2N's ray perpendicular to x_2 is a local min with D_u in M_u: only the second alternative holds, "
          "the configuration that breaks Theorem 1 (ii)'s printed branch for a < 0 (F2b).")

# =========================================================================== Lemmas 9, 10 and the D.1 constants


def d1_constants(X, y, eps=0.25, alpha0=1.0) -> dict:
    """D_max, D_min, alpha_min, delta_0 (Eqs. (20)-(24), numerics.geometry.cone_constants) and lambda*_{alpha0}
    of Eq. (22): (min{(n/sum||x_k||^2) min(alpha_min^2 D_min/8, alpha0^2 D_min/4, delta_0);
    min_k |ell'(0,y_k)|/||x_k||})^{1/(2-4 eps)}."""
    from numerics.geometry import cone_constants

    cc = cone_constants(X, y)
    if not (cc.alpha_min > 0 and cc.D_min > 0):
        raise ValueError(f"Lemma 9's conclusion fails on this data (alpha_min = {cc.alpha_min:.6g}, D_min = "
                         f"{cc.D_min:.6g}): lambda* of Eq. (22) and the constant (37) are undefined (they divide by "
                         "alpha_min^2 D_min^2); the extremal-vector analysis of App. D does not apply")
    n = len(y)
    sx = float(np.sum(X * X))
    inner = (n / sx) * min(cc.alpha_min ** 2 * cc.D_min / 8, alpha0 ** 2 * cc.D_min / 4, cc.delta0)
    other = float(np.min(np.abs(y) / np.linalg.norm(X, axis=1)))
    lam = min(inner, other) ** (1 / (2 - 4 * eps))
    # constant (37) of Theorem 1 (ii) (log10: it overflows float64 for the 3-point data) and the entry-time bound
    am = min(cc.alpha_min, alpha0)
    log_c37 = (math.log(4 * cc.D_max / am ** 2) + 4 * cc.D_max ** 2 / (cc.D_min ** 2 * am ** 2)
               + math.sqrt(2 * sx / (n * cc.D_max * math.e ** 2)))
    t2_bound = 4 * cc.D_max / (cc.D_min ** 2 * am ** 2)
    return {"log10_c_alpha0_eq37": log_c37 / math.log(10), "t2_bound": t2_bound,"D_max": cc.D_max, "D_min": cc.D_min, "alpha_min_plus": cc.alpha_min_plus,
            "alpha_min_minus": cc.alpha_min_minus, "alpha_min_minus_sym": cc.alpha_min_minus_sym,
            "alpha_min": cc.alpha_min, "delta0": cc.delta0, "delta0_prime": cc.delta0_prime,
            "delta0_second": cc.delta0_second, "lambda_star": lam, "n_extremal": cc.n_extremal,
            "lambda_star_eps": {str(e): min(inner, other) ** (1 / (2 - 4 * e)) for e in (0.1, 0.25, 0.3)}}


def _d1_instances(tier):
    return [_inst("DS-P(0.1)"), _inst("DS-G"), _inst("DS-2N"), _inst("DS-S6")]


def _d1_measure(inst, point, precision) -> Measurement:
    X, y = data(inst)
    c = d1_constants(X, y)
    fin = {k: (v if (not isinstance(v, float) or math.isfinite(v)) else "inf") for k, v in c.items()}
    return Measurement(values={"D_min": c["D_min"], "alpha_min": c["alpha_min"], "D_max": c["D_max"],
                               "delta0": c["delta0"] if math.isfinite(c["delta0"]) else 1e300,
                               "lam_star": c["lambda_star"]},
                       errors={"D_min": 1e-12, "alpha_min": 1e-9, "D_max": 1e-12, "delta0": 1e-12,
                               "lam_star": 1e-9 * c["lambda_star"]}, info=fin)


DMIN, AMIN, DMAX, DEL0, LSTAR = sp.symbols("D_min alpha_min D_max delta0 lam_star", real=True)
D1_NAMES = {"D_min": r"D_{\min}", "alpha_min": r"\alpha_{\min}", "D_max": r"D_{\max}", "delta0": r"\delta_0",
            "lam_star": r"\lambda^*_{\alpha_0}"}
D1_DOC = {"D_min": "min_{u: 0 not in 𝔇_u} ||D_u|| (l.796)", "alpha_min": "Eq. (23)-(24), closure reading",
          "D_max": "max_u ||D_u|| (l.159)", "delta0": "Eq. (21)", "lam_star": "Eq. (22), eps = 1/4, alpha0 = 1"}
LEMMA9 = Claim(
    id=f"{KEY}.lemma9", paper=KEY, label="Lemma 9 (alpha_min > 0 and D_min > 0)", where="App. D.1, l.796-823",
    kind="closed-form", statement=sp.Gt(AMIN * DMIN, 0), latex_names=D1_NAMES, symbols_doc=D1_DOC,
    quantifier="a.s. over the data", hypotheses=[H_A2], instances=_d1_instances, measure=_d1_measure,
    provides=("D_max", "delta0", "lam_star"),
    mutant=Mutant(sp.Ge(DMIN, DMAX), "D_min = D_max (a single cone norm)"),
    catalog=f"{CATALOG} E31, F9", result="lemma9", ladder=F64,
    notes="alpha_min,- follows the printed index set of Eq. (24); the symmetric reading (F9) is in info. "
          "Values compared with the catalog and DS-P closed forms in tests/test_boursier2024.py.")
LEMMA10 = Claim(
    id=f"{KEY}.lemma10", paper=KEY, label="Lemma 10 (delta_0 > 0) and Eq. (22) lambda*", where="App. D.1, l.784-835",
    kind="closed-form", statement=sp.Gt(DEL0, 0), latex_names=D1_NAMES, symbols_doc=D1_DOC,
    quantifier="a.s. over the data", hypotheses=[H_A2], instances=_d1_instances, measure=_d1_measure,
    provides=("D_max", "D_min", "alpha_min", "lam_star"),
    mutant=Mutant(sp.Ge(DEL0, DMAX), "delta_0 >= D_max"),
    catalog=f"{CATALOG} E31, F8", result="lemma10", ladder=F64,
    notes="lambda*_{alpha0} (Eq. (22)) depends on eps through its exponent 1/(2 - 4 eps) although Theorem 1 says "
          "it depends only on the data and alpha0 (F8): info['lambda_star_eps'].")

# =========================================================================== Lemma 11 (tightness of delta_0)


def _l11_margin(X, y, h):
    """Pattern-preservation margin of Lemma 11 for every extremal u at residual perturbation h: for
    D_u^theta (min-norm, with ell'(h_k, y_k)), min over u_k != 0 of s u_k <D_u^theta, x_k>/||x_k|| and over
    u_k = 0 of sigma_min-free box margin min(eta_k, 1 - eta_k) (> 0 iff the pattern is kept)."""
    from numerics.geometry import D_u, extremal_vectors

    out = math.inf
    for e in extremal_vectors(X, y):
        sel = D_u(e.pattern, X, y, h)
        u = e.pattern
        nz = np.flatnonzero(u != 0)
        m1 = float(np.min(e.sign * u[nz] * (X[nz] @ sel.D) / np.linalg.norm(X[nz], axis=1)))
        z = np.flatnonzero(u == 0)
        m2 = float(np.min(np.minimum(sel.eta[z], 1 - sel.eta[z]))) if z.size else math.inf
        out = min(out, m1, m2)
    return out


def _l11_instances(tier):
    kw = dict(grid=[{"rho": r} for r in (0.5, 0.999)], grid_param="rho", grid_symbol="ρ")
    return [Instance("DS-G", {**ds_params("DS-G"), "nsamp": 60}, **kw),
            Instance("DS-P(0.1)", {**ds_params("DS-P(0.1)"), "nsamp": 60}, **kw),
            Instance("DS-2N", {**ds_params("DS-2N"), "nsamp": 60}, **kw)]


def _concentrated(X, y, delta0, rho):
    """The concentrated perturbation of catalog E32: all the mass (1/n) sum |h_k| ||x_k|| = rho delta_0 on the k
    (and sign) that minimises the margin."""
    n = len(y)
    best = (math.inf, None)
    for k in range(n):
        for s in (1, -1):
            h = np.zeros(n)
            h[k] = s * n * rho * delta0 / np.linalg.norm(X[k])
            val = _l11_margin(X, y, h)
            if val < best[0]:
                best = (val, (k, s))
    return best


def _l11_measure(inst, point, precision) -> Measurement:
    """min over 60 random perturbations h (directions uniform, scaled so (1/n) sum |h_k| ||x_k|| = rho delta_0;
    seed 0) and over the concentrated one of the pattern-preservation margin; the same at 1.05 delta_0 (mutant);
    rho_crit: where the concentrated perturbation first breaks the pattern (bisection)."""
    X, y = data(inst)
    n = len(y)
    c = d1_constants(X, y)
    d0 = c["delta0"]
    rho = float(point["rho"])
    rng = np.random.default_rng(0)
    xn = np.linalg.norm(X, axis=1)
    worst = math.inf
    for _ in range(int(inst.params["nsamp"])):
        g = rng.standard_normal(n)
        h = g * rho * d0 * n / float(np.abs(g) @ xn)
        worst = min(worst, _l11_margin(X, y, h))
    conc, ks = _concentrated(X, y, d0, rho)
    worst = min(worst, conc)
    m105, _ = _concentrated(X, y, d0, 1.05)
    lo, hi = 0.5, 1.5
    for _ in range(34):
        mid = 0.5 * (lo + hi)
        if _concentrated(X, y, d0, mid)[0] > 0:
            lo = mid
        else:
            hi = mid
    return Measurement(values={"margin": worst, "margin105": m105}, errors={"margin": 1e-12, "margin105": 1e-12},
                       coords={"k": ks[0] + 1, "sign": ks[1]},
                       info={"delta0": d0, "rho_crit": hi, "D_max": c["D_max"]})


MARG, M105 = sp.symbols("margin margin105", real=True)
LEMMA11 = Claim(
    id=f"{KEY}.lemma11", paper=KEY, label="Lemma 11 (extremal cones stable while (1/n) sum ||h_k x_k|| < delta_0)",
    where="App. D.2, l.839-904", kind="closed-form", statement=sp.Gt(MARG, 0),
    latex_names={"margin": r"\min_{h}\ \mathrm{margin}(D_u^\theta)", "margin105": r"\mathrm{margin}\ \text{at}\ 1.05\delta_0"},
    symbols_doc={"margin": "min over perturbations of size rho delta_0 of the pattern-preservation margin",
                 "margin105": "the same for the concentrated perturbation at 1.05 delta_0"},
    quantifier="for every theta with (1/n) sum ||h_theta(x_k) x_k|| = rho delta_0 < delta_0",
    hypotheses=[H_A1, H_A2], instances=_l11_instances, measure=_l11_measure, provides=("margin105",),
    mutant=Mutant(sp.Gt(M105, 0), "the lemma with threshold 1.05 delta_0 (catalog E32 mutation)"),
    catalog=f"{CATALOG} E32, E31", result="lemma11", ladder=F64,
    notes="delta_0 is exactly tight: the concentrated perturbation breaks the pattern at rho_crit = 1 (info).")

# =========================================================================== Lemma 12 (local stability of critical manifolds)


def _l12_perturbations(X, y, rho, nsamp, seed=0):
    """Residual perturbations h (h_k = h_theta(x_k)) inside Lemma 12's hypotheses at level rho < 1: Lemma 11's
    (1/n) sum |h_k| ||x_k|| <= rho delta_0 and |h_k| <= rho |ell'(0, y_k)| = rho |y_k|. h = 0, the 2n
    concentrated ones (all the mass on one k, either sign: the worst case of E32) and nsamp Gaussian directions
    scaled to the largest admissible size (seed 0)."""
    n = len(y)
    d0 = d1_constants(X, y)["delta0"]
    xn = np.linalg.norm(X, axis=1)
    lim = np.abs(y)  # |ell'(0, y_k)| for the 1/2 square loss

    def scale(g):
        t = rho * float(np.min(lim[g != 0] / np.abs(g[g != 0])))
        if math.isfinite(d0):
            t = min(t, rho * d0 * n / float(np.abs(g) @ xn))
        return t * g

    hs = [np.zeros(n)] + [scale(sg * np.eye(n)[k]) for k in range(n) for sg in (1, -1)]
    rng = np.random.default_rng(seed)
    hs += [scale(rng.standard_normal(n)) for _ in range(nsamp)]
    return hs, d0


def _l12_hyp(inst):
    """The theta-hypotheses of Lemma 12, evaluated on the perturbations actually sampled."""
    X, y = data(inst)
    n = len(y)
    r1 = r2 = 0.0
    for pt in inst.grid or [{"rho": inst.params.get("rho", 0.99)}]:
        hs, d0 = _l12_perturbations(X, y, float(pt["rho"]), int(inst.params["nsamp"]))
        for h in hs:
            r1 = max(r1, float(np.max(np.abs(h) / np.abs(y))))
            if math.isfinite(d0):
                r2 = max(r2, float(np.abs(h) @ np.linalg.norm(X, axis=1)) / (n * d0))
    return r1 < 1 and r2 < 1, (f"max_k |h_k|/|ell'(0,y_k)| = {r1:.4g} < 1, max (1/n) sum |h_k| ||x_k|| / delta_0 = "
                               f"{r2:.4g} < 1 over the sampled theta")


H_L12 = Hypothesis("theta: Lemma 11's condition and |h_theta(x_k)| < |ell'(0, y_k)| (sampled perturbations)",
                   _l12_hyp, "App. D.4, l.944")


def _l12_instances(tier):
    kw = dict(grid=[{"rho": r} for r in (0.5, 0.99)], grid_param="rho", grid_symbol="ρ")
    return [Instance(nm, {**ds_params(nm), "nsamp": 40}, **kw) for nm in ("DS-2N", "DS-G", "DS-P(0.1)")]


def _l12_measure(inst, point, precision) -> Measurement:
    """For every critical ray M_u (:func:`_critical_manifolds`; sectors have cl(M)^perp = {0}: trivial, counted in
    info) and both unit normals v of cl(M)^perp (d = 2), max over the sampled theta (:func:`_l12_perturbations`) of
    eps_M <v, D^theta_{u(v)}>, with u(v)_k = u_k if u_k != 0, sign<v, x_k> otherwise (l.940), D^theta_{u(v)} the
    min-norm element with ell'(h_k, y_k) = h_k - y_k, and eps_M = +1 / -1 if the critical point of M is a local
    max / min of G (l.950-953). Error 0 where every D^theta_{u(v)} is exactly 0 (all eta = gamma = 0)."""
    from numerics.geometry import D_u, null_space

    X, y = data(inst)
    hs, d0 = _l12_perturbations(X, y, float(point["rho"]), int(inst.params["nsamp"]))
    vals, errs, lab, nsec, kinds = [], [], [], 0, {}
    for cm in _critical_manifolds(X, y):
        if not cm["ray"]:
            nsec += 1
            continue
        if cm["kind"] == "saddle":
            raise ValueError(f"saddle of G on u = {cm['u'].tolist()} (outside the hypothesis)")
        eps = -1 if cm["kind"] == "min" else 1  # 'flat' (both sides flat): either sign, D_{u(v)} = 0
        nrm = null_space(cm["w"][None, :])[:, 0]
        for sv, v in (("+", nrm), ("-", -nrm)):
            uv = np.where(cm["u"] != 0, cm["u"], np.sign(X @ v)).astype(np.int8)
            ip = [float(v @ D_u(uv, X, y, h).D) for h in hs]
            vals.append(max(eps * t for t in ip))
            errs.append(0.0 if all(t == 0.0 for t in ip) else 1e-12 * (1 + max(abs(t) for t in ip)))
            lab.append(f"{cm['kind']} ray u = {cm['u'].tolist()}, eps = {eps:+d}, v = {sv}n")
            kinds[lab[-1]] = {"v": v.tolist(), "u(v)": uv.tolist(), "<v,D_u(v)> at theta = 0": ip[0],
                              "range over theta": [min(ip), max(ip)]}
    if not vals:
        raise ValueError("no critical ray")
    return Measurement(values={"s": vals}, errors={"s": errs}, coords={"manifold_normal": lab},
                       info={"n_sectors_trivial": nsec, "n_theta": len(hs), "delta0": d0, "rays": kinds})


S12 = sp.Symbol("s", real=True)
LEMMA12 = Claim(
    id=f"{KEY}.lemma12", paper=KEY, label="Lemma 12 (critical manifolds locally stable: eps_M <v, D^theta_{u(v)}> <= 0)",
    where="App. D.4, l.944-1036", kind="closed-form", statement=sp.Le(S12, 0),
    latex_names={"s": r"\max_{\theta}\,\varepsilon_{\mathcal{M}}\langle v,D^{\theta}_{u(v)}\rangle"},
    symbols_doc={"s": "max over the sampled theta of eps_M <v, D^theta_{u(v)}>, per critical ray and unit normal v"},
    quantifier="for every critical manifold, v in cl(M)^perp and sampled theta within the hypotheses (level rho)",
    hypotheses=[H_A1, H_A2, H_NS, H_L12], instances=_l12_instances, measure=_l12_measure,
    mutant=Mutant(sp.Ge(S12, 0), "eps_M flipped (local min <-> local max: +1 for a min)"),
    catalog=f"{CATALOG} E35, E34", result="lemma12", ladder=F64,
    notes="Sectors have cl(M)^perp = {0} (trivial, counted in info). On the rays bounding the dead arc D_{u(v)} = 0 "
          "exactly on the dead side (eps_M <v, D> = 0, exact).")

# =========================================================================== Condition 1 at init


def _c1_measure(inst, point, precision) -> Measurement:
    """q_j = <D(w_j^0, 0), w_j^0/a_j^0>/||D(w_j^0, 0)|| (Condition 1 (1) holds iff q_j > -sqrt(1 - alpha0^2)),
    for the paper's init (Eq. (3)-(5), sphere-sign, m = 2000, seed 0); min over I = {a > 0, active somewhere}
    (F.1 l.1335: every i in I satisfies it with alpha0 = 1) and over every neuron with D != 0."""
    from numerics.geometry import D_min_norm
    from numerics.network import init_mean_field

    X, y = data(inst)
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


QI, QALL = sp.symbols("qI qall", real=True)
CONDITION1 = Claim(
    id=f"{KEY}.condition1", paper=KEY, label="Condition 1 (1) at init: every i in I satisfies it with alpha0 = 1",
    where="§3, l.148-155; F.1 l.1335", kind="closed-form", statement=sp.Gt(QI, 0),
    latex_names={"qI": r"\min_{i\in\mathcal{I}}\langle D(w_i^0,0),\mathbf{w}_i^0\rangle/\|D\|",
                 "qall": r"\min_j\langle D(w_j^0,0),\mathbf{w}_j^0\rangle/\|D\|"},
    symbols_doc={"qI": "min over I of the normalised Condition-1 quantity", "qall": "the same over all neurons"},
    quantifier="for all i in I", hypotheses=[H_A4],
    instances=lambda tier: [Instance("DS-G, init (3)-(5) sphere-sign, m = 2000, seed 0",
                                     {**ds_params("DS-G"), "m": 2000, "seed": 0}),
                            Instance("DS-P(0.1), init (3)-(5) sphere-sign, m = 2000, seed 1",
                                     {**ds_params("DS-P(0.1)"), "m": 2000, "seed": 1})],
    measure=_c1_measure, provides=("qall",),
    mutant=Mutant(sp.Gt(QALL, 0), "every neuron (negative ones included) satisfies it with alpha0 = 1"),
    catalog=f"{CATALOG} E09, E39", result="condition1", ladder=F64,
    notes="Remark 1: the fraction of neurons failing Condition 1 (1) vanishes as alpha0 -> 0 (info).")

# =========================================================================== Theorem 2: convex part


def _t2c_measure(inst, point, precision) -> Measurement:
    """L_{beta*} (exact OLS, numerics.convex.ols at 50 digits) vs the loss of a two-neuron interpolator from the
    exact convex reformulation (numerics.convex.min_norm_interpolator restricted to two activation patterns; the
    global min-norm interpolator over all patterns is in info): the OLS point is spurious."""
    from numerics.convex import min_norm_interpolator, ols
    from numerics.network import forward

    X, y = data(inst)
    res = ols(X, y)
    Lb = float(res.loss)
    net = min_norm_interpolator(X, y)  # the global min-norm interpolator (all patterns: certified)
    # the explicit 2-neuron interpolator of l.246: the same convex program restricted to the activation patterns
    # (1,1,0) and (0,1,1) (a neuron on {x_1, x_2}, one on {x_2, x_3}; catalog DS-P closed form)
    two = min_norm_interpolator(X, y, patterns=np.array([[1, 1, 0], [0, 1, 1]]))
    h = forward(two.a, two.W, X)
    Li = float(0.5 * np.mean((h - y) ** 2))
    return Measurement(values={"L_beta": Lb, "L_interp": Li}, errors={"L_beta": 1e-14, "L_interp": 1e-12},
                       info={"beta_star": [float(v) for v in res.beta], "n_neurons_two": int(len(two.a)),
                             "two_a": np.asarray(two.a).tolist(), "two_W": np.asarray(two.W).tolist(),
                             "two_fit_error": two.fit_error, "two_half_sq_norm": two.value,
                             "n_neurons_global": int(len(net.a)), "global_fit_error": net.fit_error,
                             "global_half_sq_norm": net.value, "global_certified": net.certified})


LB, LI = sp.symbols("L_beta L_interp", nonnegative=True)
THEOREM2_SPURIOUS = Claim(
    id=f"{KEY}.theorem2.spurious", paper=KEY, label="Theorem 2 / l.246: L_{beta*} > 0 = global min (2 neurons fit)",
    where="§4, l.240-248", kind="convex", statement=sp.Gt(LB, LI),
    latex_names={"L_beta": r"L_{\beta^*}", "L_interp": r"L(\theta_{\mathrm{interp}})"},
    symbols_doc={"L_beta": "loss of the OLS estimator (the limit of the flow)",
                 "L_interp": "loss of the exact convex-reformulation interpolator"},
    quantifier="the instance's data", hypotheses=[H_A3],
    instances=lambda tier: [_inst("DS-P(0.1)"), _inst("DS-G"), _inst("DS-V")],
    measure=_t2c_measure,
    mutant=Mutant(sp.Le(LB, LI), "the OLS point is a global minimum"),
    catalog=f"{CATALOG} E16 (1)", result="theorem2", ladder=F64)

CLAIMS = [ASSUMPTION1, ASSUMPTION3, ASSUMPTION4, ASSUMPTION5, ASSUMPTION6, LEMMA8_WORST, LEMMA8_B, DEFINITION1,
          LEMMA2, LEMMA3, LEMMA9, LEMMA10, LEMMA11, LEMMA12, LEMMA14, CONDITION1, THEOREM2_SPURIOUS]
FIGURES: list = []

# findings VIOLATED by design, with their witness: (claim id, instance prefix); used by tests/test_mutants.py
EXPECTED_VIOLATED = {
    (f"{KEY}.assumption1", "(yhat - y)^2"),                      # F12
    (f"{KEY}.assumption5", "DS-V"),                              # F1
    (f"{KEY}.lemma8.worst_case", "Assumption-3 box, printed"),  # F1 (box worst case)
}
# "for lambda small enough" claims whose empirical threshold is inside the grid
THRESHOLD_CLAIMS: set = {f"{KEY}.lemma5.ii", f"{KEY}.lemma6.ii"}  # 'lambda < lambda~': fail at 1e-2 on DS-G

# Part 2: the flow claims (Lemma 1 + GD pitfall, Theorem 1 (i), Lemmas 4-7, 16-22, Corollary 1, Theorem 2/4)
from theory.papers._boursier2024_flow import CLAIMS_FLOW, EXPECTED_VIOLATED_FLOW  # noqa: E402

CLAIMS = CLAIMS + CLAIMS_FLOW
EXPECTED_VIOLATED |= EXPECTED_VIOLATED_FLOW

# =========================================================================== not numerically checkable (reasons)
NOT_CHECKABLE = [
    _nc("assumption2", "Assumption 2 (data drawn from a density)", "§3, l.117",
        "a probabilistic assumption on how the data were drawn, not a property of a fixed dataset; what the proofs "
        "use of it (Lemma 2's linear independence, Lemmas 9-11 > 0) is checked on every instance as the hypothesis "
        "'Assumption 2 (generic data; its consequences of Lemma 2)'", "assumption2", "E05"),
    _nc("condition2", "Condition 2 (2) (no spontaneous exit from a manifold)", "App. E, l.1223-1230",
        "point (2) selects among the non-unique solutions of the inclusion (2): it is a property of the solution "
        "concept, satisfied by construction by the Filippov/min-norm engine (numerics.flows); point (1) is the "
        "selection used in boursier2024.theorem3.ii", "condition2", "E39, E41"),
    _nc("remark3", "Remark 3 (eta < 1/6 is not tight)", "l.256",
        "an empirical remark without a quantitative statement; DS-S6 (outside Assumptions 3 and 5) converging to its "
        "OLS line is shown by the reproduced Figure 2 (boursier2024.fig2) and DS-V (Assumption 5 false) by "
        "boursier2024.theorem2.width; §5's unbalanced-init remark is checked as boursier2024.finding.F22",
        "theorem2", "E17, E24, F29"),
]
CLAIMS = CLAIMS + NOT_CHECKABLE

# figures (earlyalign reproduce boursier2024.fig1 / .fig2), as flows, with the authors' time convention stated
from theory.papers._boursier2024_figures import FIGURES  # noqa: E402,F811


# =========================================================================== Lemma 8 proof step (a) (finding F15)


def _l8a_measure(inst, point, precision) -> Measurement:
    """min over the Assumption-3 box of min_{k != k'} <x_k, x_k'> (bilinear in the box coordinates: attained at
    a corner; the 64 corners of the x-box are enumerated; open ends approached to 1e-12)."""
    eta = float(point["eta"])
    lo, hi = _box_bounds(eta)
    best = (math.inf, None)
    for bits in itertools.product((0, 1), repeat=9):
        v = np.where(np.array(bits) == 1, hi, lo)
        X, _ = _box_point(v)
        Gm = X @ X.T
        val = float(min(Gm[0, 1], Gm[0, 2], Gm[1, 2]))
        if val < best[0]:
            best = (val, X)
    return Measurement(values={"min_gram": best[0]}, errors={"min_gram": 1e-15},
                       coords={"X": str(np.round(best[1], 6).tolist())},
                       info={"1 - 2 eta": 1 - 2 * eta})


LEMMA8_A = Claim(
    id=f"{KEY}.lemma8.a_proof", paper=KEY, label="Lemma 8 proof (a): '<x_k, x_k'> > 0 if eta < 1'",
    where="App. A, l.552", kind="closed-form", statement=sp.Gt(MG, 0),
    latex_names={"min_gram": r"\min_{\mathrm{box}(\eta)}\min_{k\neq k'}\langle x_k,x_{k'}\rangle"},
    symbols_doc={"min_gram": "min over the Assumption-3 box of the off-diagonal Gram entries"},
    quantifier="for every dataset in the box, eta < 1",
    hypotheses=[Hypothesis("eta < 1 (the proof's condition)", lambda inst: (True, "grid eta values < 1"), "l.552")],
    instances=lambda tier: [Instance("Assumption-3 box, eta < 1/6", {}, grid=[{"eta": e} for e in (0.05, 0.1666)],
                                     grid_param="eta", grid_symbol="η"),
                            Instance("Assumption-3 box, 1/2 <= eta < 1 (the proof's range)", {},
                                     grid=[{"eta": e} for e in (0.6, 0.9)], grid_param="eta", grid_symbol="η")],
    measure=_l8a_measure, mutant=Mutant(sp.Gt(MG, sp.Rational(1, 2)), "Gram entries above 1/2"),
    catalog=f"{CATALOG} E28 (a), F15", result="lemma8", ladder=F64, tags=("finding",),
    notes="min <x_1, x_2> = 1 - 2 eta: the proof's 'if eta < 1' needs eta < 1/2 (F15; harmless for eta < 1/6).")
CLAIMS.append(LEMMA8_A)
EXPECTED_VIOLATED.add((f"{KEY}.lemma8.a_proof", "Assumption-3 box, 1/2 <= eta < 1"))
