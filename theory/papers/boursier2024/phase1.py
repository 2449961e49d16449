"""boursier2024, phase 1 of the convergence proof (§4.1.1, App. F.1): Lemma 4 at tau = eps ln(1/lambda)/D_max,
on the shared flow runs (:func:`common.run`, :func:`common.phases`)."""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import EPSILON, FLOW_SHARE, SECTION4_SETTING, flow_instances, lambda_at, phases_at, run_at
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=SECTION4_SETTING, share=FLOW_SHARE,
                  instances=flow_instances)
LAMBDA, EPSILON_SYMBOL = sp.symbols("lam eps", positive=True)


def _lemma4_measure(inst, point, precision) -> Measurement:
    """Lemma 4 at tau: R_I = a_i^tau/a_i^0 (i in I), R_N = a_i^tau/a_i^0 (i in N), the largest displacement of the
    dead neurons max_t ||w_i^t - w_i^0|| (and of the I neurons, for the mutant), and min_{t <= tau} da_i/dt over
    all neurons via the sign of a_i increments (proof claim: a_i non-decreasing on [0, tau])."""
    R = run_at(inst, point)
    ph = phases_at(inst, point)
    I, N, dead = ph["I"], ph["N"], ph["dead"]
    a_tau = np.asarray(ph["tau_a"])
    RI = a_tau[I] / R["a0"][I]
    RN = a_tau[N] / R["a0"][N]
    dW = np.max(np.linalg.norm(R["W"] - R["W0"][None], axis=2), axis=0)
    sel = R["t"] <= ph["tau"]
    inc = np.diff(R["a"][sel], axis=0)
    # neurons never active keep a bitwise (the engine's field is exactly 0 for them): their ratio is exact
    return Measurement(values={"R_I": RI.tolist(), "R_N_max": float(RN.max()), "dW_dead": float(dW[dead].max())
                               if len(dead) else 0.0, "dW_I": float(dW[I].min()), "lam": lambda_at(point),
                               "eps": mpmath.mpf(EPSILON)},
                       errors={"R_I": (1e-8 * RI).tolist(), "R_N_max": 0.0 if RN.max() == 1.0 else 1e-8 * RN.max(),
                               "dW_dead": 0, "dW_I": 1e-12, "lam": 0,
                               "eps": 0},
                       coords={"i": list(I)},
                       info={"n_I": len(I), "n_N": len(N), "n_dead": len(dead), "R_N": RN.tolist(),
                             "min_increment_of_a_on_[0,tau]": float(inc.min()) if inc.size else 0.0})


RATIO_I, RATIO_N_MAX, DEAD_DISPLACEMENT, I_DISPLACEMENT = sp.symbols("R_I R_N_max dW_dead dW_I", real=True)
LEMMA4_LATEX = {"R_I": r"a_i^\tau/a_i^0", "R_N_max": r"\max_{i\in\mathcal{N}}a_i^\tau/a_i^0",
                "dW_dead": r"\max_{i\notin\mathcal{I}\cup\mathcal{N},t}\|w_i^t-w_i^0\|",
                "dW_I": r"\min_{i\in\mathcal{I}}\max_t\|w_i^t-w_i^0\|", "lam": r"\lambda", "eps": r"\varepsilon"}
LEMMA4_DOC = {"R_I": "a_i^tau/a_i^0 for i in I", "R_N_max": "max over N of a_i^tau/a_i^0",
              "dW_dead": "largest displacement of a dead neuron (i not in I u N)", "dW_I": "smallest displacement in I",
              "lam": "lambda", "eps": "eps = 1/4"}
claims.add(
    "lemma4.i", "Lemma 4 (1): a_i^0 <= a_i^tau <= a_i^0 lambda^{-2 eps} (i in I)", "§4.1.1, l.280-284",
    "flow-inequality", catalog_ref="E19", result="lemma4", statement=sp.Le(RATIO_I, LAMBDA ** (-2 * EPSILON_SYMBOL)),
    measure=_lemma4_measure, mutant=Mutant(sp.Le(RATIO_I, 1), "positive neurons do not grow in phase 1 "
                                                              "(catalog E19 mutation)"),
    latex_names=LEMMA4_LATEX, symbols_doc=LEMMA4_DOC, provides=("R_N_max", "dW_dead", "dW_I"),
    quantifier="for all i in I")
claims.add(
    "lemma4.ii", "Lemma 4 (2): a_i^0 <= a_i^tau <= 0 (i in N)", "§4.1.1, l.280-284", "flow-inequality",
    catalog_ref="E19", result="lemma4", statement=sp.Le(RATIO_N_MAX, 1), measure=_lemma4_measure,
    mutant=Mutant(sp.Le(RATIO_N_MAX, sp.Rational(1, 2)), "every negative neuron at least halves by tau"),
    latex_names=LEMMA4_LATEX, symbols_doc=LEMMA4_DOC, provides=("R_I", "dW_dead", "dW_I", "lam", "eps"),
    quantifier="for all i in N")
claims.add(
    "lemma4.iii", "Lemma 4 (3): dead neurons never move", "§4.1.1, l.280-284 (proof F.1)", "flow-inequality",
    catalog_ref="E19 (3)", result="lemma4", statement=sp.Eq(DEAD_DISPLACEMENT, 0), measure=_lemma4_measure,
    mutant=Mutant(sp.Eq(I_DISPLACEMENT, 0), "the I neurons do not move either"), latex_names=LEMMA4_LATEX,
    symbols_doc=LEMMA4_DOC, provides=("R_I", "R_N_max", "dW_I", "lam", "eps"),
    quantifier="for all i not in I u N, t >= 0",
    notes="Exact: the flow of a neuron inactive on every point is 0 (bitwise in the engine).")
