"""lyu2021 App. H, orthogonally separable data (ReLU): Theorem H.2 (val(P) = ||w^+|| + ||w^-||) and finding
F11 (the proof prints ||theta||^2 = ||w^+||^2 + ||w^-||^2).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.convex import max_margin_network, svm_hard_margin
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import data, run_group, validation
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
    of one class)."""
    X, y, _ = data(inst.params)
    r = max_margin_network(X, y, 0.0)
    wp = svm_hard_margin(X[y > 0], np.ones(int((y > 0).sum()))).w
    wm = svm_hard_margin(X[y < 0], np.ones(int((y < 0).sum()))).w
    val = float(r.value)
    return Measurement(values={"valP": val, "nwp": float(np.linalg.norm(wp)), "nwm": float(np.linalg.norm(wm))},
                       errors={"valP": 1e-8 * val, "nwp": 1e-8, "nwm": 1e-8},
                       info={"w+": wp.tolist(), "w-": wm.tolist(), "certified": bool(r.certified)})


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
    mutant=Mutant(sp.Eq(VAL_P, NORM_W_PLUS ** 2 + NORM_W_MINUS ** 2), "twice the printed value"),
    catalog_ref="F11", result="theoremH.2", tags=("finding",))
