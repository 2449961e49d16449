"""lyu2021 App. H, orthogonally separable data (ReLU): Theorem H.2 (val(P) = ||w^+|| + ||w^-||) and finding
F11 (the proof prints ||theta||^2 = ||w^+||^2 + ||w^-||^2).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.convex import max_margin_network
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (MODEL_RELU, PATTERNS_ENUMERABLE, SETTINGS, accept_data, data, fp_bound, run_group, svm_exact_data,
                     user_static, validation)
from .paper import CATALOG, PAPER


def _orthogonally_separable(inst):
    check = validation(inst.params, "orthogonal")[-1]
    return check.passed, check.reason


ORTHOGONALLY_SEPARABLE = Hypothesis("Definition H.1 (orthogonally separable)", _orthogonally_separable, "l.8867")

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[ORTHOGONALLY_SEPARABLE],
                  share=run_group("h2"))


# =========================================================================== Theorem H.2 and finding F11


def _f11_measure(inst, point, precision):
    """Theorem H.2 (orthogonally separable data, ReLU): val(P) (exact convex reformulation,
    numerics.convex.max_margin_network with alpha = 0) against the corrected ||w^+|| + ||w^-|| and the printed
    ||w^+||^2 + ||w^-||^2, w^+- the solutions of (Q+-): min ||w|| s.t. <w, x_i> >= 1 for y_i = +-1 (hard-margin SVM
    of one class, polished exactly: ||w^+-|| = 1/gamma at 50 digits). Error of val(P): its certified bracket (dual
    bound, recovered network)."""
    X, y, _ = data(inst.params)
    r = max_margin_network(X, y, 0.0)
    if not r.certified:
        raise RuntimeError("max_margin_network did not enumerate every activation pattern: val(P) is not certified")
    val = float(r.value)
    # val(P) is bracketed by weak duality (dual bound) and by any feasible network: 1/2||theta||^2/q_min of the
    # recovered one
    sq = float(np.sum(r.a ** 2) + np.sum(r.W ** 2))
    upper = min(val, 0.5 * sq / float(r.q_min)) if r.q_min and r.q_min > 0 else val
    err = max(val - float(r.dual_bound), upper - val, 0.0) + float(fp_bound(val, 16))
    _, gp, _ = svm_exact_data(X[y > 0], np.ones(int((y > 0).sum())))
    _, gm, _ = svm_exact_data(X[y < 0], np.ones(int((y < 0).sum())))
    return Measurement(values={"valP": val, "nwp": 1 / gp, "nwm": 1 / gm}, errors={"valP": err},
                       exact=("nwp", "nwm"),
                       info={"certified": bool(r.certified), "dual bound": float(r.dual_bound),
                             "||w+||": float(1 / gp), "||w-||": float(1 / gm)})


def _instances(tier):
    return [Instance("DS-O (ReLU)", {"dataset": "DS-O"}),
            Instance("DS-O rotated by 40 degrees (ReLU)", {"dataset": "DS-O-rot"})]


VAL_P, NORM_W_PLUS, NORM_W_MINUS = sp.symbols("valP nwp nwm", positive=True)
THEOREMH2 = claims.add(
    "theoremH.2", "Theorem H.2 (orthogonally separable: val(P) = ||w+|| + ||w−||)",
    "App. H, l.8877-8973 (corrected: catalog F11)", "convex", statement=sp.Eq(VAL_P, NORM_W_PLUS + NORM_W_MINUS),
    latex_names={"valP": r"\mathrm{val}(P)", "nwp": r"\|w^+\|", "nwm": r"\|w^-\|"},
    symbols_doc={"valP": "min 1/2||theta||^2 s.t. q_i >= 1 (exact convex reformulation)"},
    instances=_instances, measure=_f11_measure,
    mutant=Mutant(sp.Eq(VAL_P, (NORM_W_PLUS ** 2 + NORM_W_MINUS ** 2) / 2),
                  "the printed ||theta||^2 = ||w+||^2 + ||w-||^2 (F11)"),
    catalog_ref="E91, F11", result="theoremH.2",
    notes="The paper's proof writes ||theta||^2 = ||w^-||^2 + ||w^+||^2; the exact value is ||w^+|| + ||w^-||, "
          "i.e. ||theta||^2 = 2(||w^+|| + ||w^-||) at KKT points (catalog F11: 2.2251 vs the printed 1.2386).")

F11 = claims.add(
    "finding.F11", "Finding F11: App. H prints ||θ||² = ||w+||² + ||w−||² (val(P) = ½||θ||²)",
    "App. H, l.8877-8973 (proof of Theorem H.2)", "convex",
    statement=sp.Eq(VAL_P, (NORM_W_PLUS ** 2 + NORM_W_MINUS ** 2) / 2),
    latex_names=THEOREMH2.latex_names, symbols_doc=THEOREMH2.symbols_doc, instances=_instances, measure=_f11_measure,
    control=Mutant(sp.Eq(VAL_P, NORM_W_PLUS + NORM_W_MINUS), "the corrected value ||w+|| + ||w-|| "
                   "(lyu2021.theoremH.2)"),
    mutant=Mutant(sp.Eq(VAL_P, 2 * (NORM_W_PLUS + NORM_W_MINUS)), "near miss of the corrected value: "
                  "2(||w+|| + ||w-||) = ||theta||^2 at the optimum in place of val(P) = 1/2||theta||^2 (the factor "
                  "1/2 dropped); rejected where the control holds"),
    catalog_ref="F11", result="theoremH.2", tags=("finding",))


# =========================================================================== user data (earlyalign --data)

for _c in (THEOREMH2, F11):
    accept_data(_c, lambda ds: user_static(ds, relu=True), MODEL_RELU, SETTINGS, PATTERNS_ENUMERABLE)
