"""boursier2024, phase 1 of the convergence proof (§4.1.1, App. F.1): Lemma 4 at tau = eps ln(1/lambda)/D_max,
on the shared flow runs (:func:`common.run`, :func:`common.phases`), in its general version (App. F, l.1323: under
Assumption 4 only, instead of Assumption 3)."""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (FLOW_SHARE, LEMMA4_SETTING, RTOL_LOOSE, data_flow_instances, eps_of, flow_instances, lambda_at,
                     phases, phases_at, run_at, run_key)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=LEMMA4_SETTING, share=FLOW_SHARE,
                  instances=flow_instances, data_instances=data_flow_instances)
LAMBDA, EPSILON_SYMBOL = sp.symbols("lam eps", positive=True)


def _lemma4_values(R, ph):
    I, N, dead = ph["I"], ph["N"], ph["dead"]
    a_tau = np.asarray(ph["tau_a"])
    dW = np.max(np.linalg.norm(R["W"] - R["W0"][None], axis=2), axis=0)
    return a_tau[I] / R["a0"][I], a_tau[N] / R["a0"][N], dW


def _lemma4_measure(inst, point, precision, part="ratios") -> Measurement:
    """Lemma 4 at tau: R_I = a_i^tau/a_i^0 (i in I) and max over N of a_i^tau/a_i^0 (part "ratios"), or per neuron of I
    and of the dead set (i not in I u N) the largest displacement max_t ||w_i^t - w_i^0|| over the integrator's nodes,
    with iI = 1 on I, 0 on the dead set (part "displacements"). Error estimates: |tight - loose| (two tolerances)
    + 4 ulp of the values that moved; a neuron inactive on every point has a field exactly 0 in the engine: its
    ratio is exactly 1 and its displacement exactly 0 at both tolerances (error 0). lambda, eps exact."""
    R, Rl = run_at(inst, point), run_at(inst, point, RTOL_LOOSE)
    ph = phases_at(inst, point)
    phl = phases(run_key(inst.params), float(point["lam10"]), RTOL_LOOSE)
    I, N, dead = ph["I"], ph["N"], ph["dead"]
    RI, RN, dW = _lemma4_values(R, ph)
    RIl, RNl, dWl = _lemma4_values(Rl, phl)
    ulp = 4 * np.finfo(float).eps
    moved = (lambda v, ref: ulp * np.abs(v) * (v != ref))
    exact = {"lam": lambda_at(point), "eps": mpmath.mpf(eps_of(inst.params))}
    info = {"n_I": len(I), "n_N": len(N), "n_dead": len(dead), "R_N": RN.tolist(),
            "max_displacement_dead": float(dW[dead].max()) if len(dead) else 0.0,
            "min_displacement_I": float(dW[I].min())}
    if part == "displacements":
        pts = list(I) + list(dead)
        return Measurement(values={"dW": dW[pts].tolist(), "iI": [1.0] * len(I) + [0.0] * len(dead), **exact},
                           errors={"dW": (np.abs(dW - dWl)[pts] + moved(dW, 0.0)[pts]).tolist()},
                           exact=("iI", "lam", "eps"), coords={"i": pts}, info=info)
    iN = int(np.argmax(RN))
    sel = R["t"] <= ph["tau"]
    inc = np.diff(R["a"][sel], axis=0)
    return Measurement(values={"R_I": RI.tolist(), "R_N_max": float(RN[iN]), **exact},
                       errors={"R_I": (np.abs(RI - RIl) + moved(RI, 1.0)).tolist(),
                               "R_N_max": abs(float(RN[iN]) - float(RNl[iN])) + float(moved(RN[iN], 1.0))},
                       exact=("lam", "eps"), coords={"i": list(I)},
                       info={**info, "min_increment_of_a_on_[0,tau]": float(inc.min()) if inc.size else 0.0})


RATIO_I, RATIO_N_MAX, DISPLACEMENT, IN_I = sp.symbols("R_I R_N_max dW iI", real=True)
LEMMA4_LATEX = {"R_I": r"a_i^\tau/a_i^0", "R_N_max": r"\max_{i\in\mathcal{N}}a_i^\tau/a_i^0",
                "dW": r"\max_t\|w_i^t-w_i^0\|", "iI": r"\mathbb{1}[i\in\mathcal{I}]", "lam": r"\lambda",
                "eps": r"\varepsilon"}
LEMMA4_DOC = {"R_I": "a_i^tau/a_i^0 for i in I", "R_N_max": "max over N of a_i^tau/a_i^0",
              "dW": "largest displacement of neuron i (i in I or dead)", "iI": "1 if i is in I, 0 if dead",
              "lam": "lambda", "eps": "eps = 1/4"}
LEMMA4_PROVIDES = ("R_I", "R_N_max", "lam", "eps")
claims.add(
    "lemma4.i", "Lemma 4 (1): a_i^0 <= a_i^tau <= a_i^0 lambda^{-2 eps} (i in I)", "§4.1.1, l.280-284",
    "flow-inequality", catalog_ref="E19", result="lemma4", statement=sp.Le(RATIO_I, LAMBDA ** (-2 * EPSILON_SYMBOL)),
    measure=_lemma4_measure, mutant=Mutant(sp.Le(RATIO_I, 1), "positive neurons do not grow in phase 1 "
                                                              "(catalog E19 mutation)"),
    latex_names=LEMMA4_LATEX, symbols_doc=LEMMA4_DOC, provides=LEMMA4_PROVIDES, quantifier="for all i in I")
claims.add(
    "lemma4.ii", "Lemma 4 (2): a_i^0 <= a_i^tau <= 0 (i in N)", "§4.1.1, l.280-284", "flow-inequality",
    catalog_ref="E19", result="lemma4", statement=sp.Le(RATIO_N_MAX, 1), measure=_lemma4_measure,
    mutant=Mutant(sp.Le(RATIO_N_MAX, sp.Rational(1, 2)), "every negative neuron at least halves by tau"),
    latex_names=LEMMA4_LATEX, symbols_doc=LEMMA4_DOC, provides=LEMMA4_PROVIDES, quantifier="for all i in N")
claims.add(
    "lemma4.iii", "Lemma 4 (3): dead neurons never move", "§4.1.1, l.280-284 (proof F.1)", "flow-inequality",
    catalog_ref="E19 (3)", result="lemma4", statement=sp.Eq(DISPLACEMENT * (1 - IN_I), 0),
    measure=lambda inst, point, precision: _lemma4_measure(inst, point, precision, "displacements"),
    mutant=Mutant(sp.Eq(DISPLACEMENT, 0), "the quantifier widened from the dead neurons to I as well: the I neurons "
                                          "do not move either"),
    latex_names=LEMMA4_LATEX, symbols_doc=LEMMA4_DOC, provides=("iI",),
    quantifier="for all i not in I u N, t >= 0 (the factor 1 - 1[i in I] leaves the I neurons out)",
    notes="Exact: the flow of a neuron inactive on every point is 0 (bitwise in the engine). The measurement holds the "
          "dead neurons and the I neurons; the statement multiplies the displacement by 1 - 1[i in I] (the lemma says "
          "nothing about I), the near miss drops that factor and is rejected by the I neurons, which move.")
