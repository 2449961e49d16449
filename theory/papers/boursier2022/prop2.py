"""boursier2022 Proposition 2 (App. D, l.4983, proof l.4985-5079): the classical ODE (39) with a fixed sigma'(0)
has a global solution iff sigma'(0) = 0 (catalog F-11: the 'only if' needs an active coordinate reaching 0).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.flows import PolarState, balanced_gaussian_state, solve_flow
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import H_A1_ONLY, ds_a_params
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_A1_ONLY], ladder=LADDER_F64)


def _instances(tier):
    return [Instance("DS-A seed 0, lambda = 1e-8", {**ds_a_params(0.05), "lam10": -8, "T": 60.0},
                     grid=[{"sigma0": 0.0}, {"sigma0": 0.5}, {"sigma0": 1.0}], grid_param="sigma0",
                     grid_symbol="σ0", description="ODE (39) with fixed sigma'(0) = sigma0, integrated to T = 60"),
            Instance("DS-D(iii): y = (2, -1), g = [[1,-1],[-1,1]], s = (+1,-1)",
                     {"dataset": "DS-D(iii)", "X": np.eye(2).tolist(), "y": [2.0, -1.0], "m": 2, "seed": 0,
                      "eps": 0.05, "gamma": 0.0, "loss": "square", "g": [[1.0, -1.0], [-1.0, 1.0]], "s": [1.0, -1.0],
                      "lam10": -3, "T": 200.0},
                     grid=[{"sigma0": 0.0}, {"sigma0": 0.5}, {"sigma0": 1.0}], grid_param="sigma0",
                     grid_symbol="σ0", description="catalog counterexample init: no active coordinate reaches 0")]


def _measure(inst, point, precision) -> Measurement:
    p = inst.params
    X, _ = inst.arrays()
    s0v = float(point["sigma0"])
    model = inst.model(sigma_prime_zero=s0v)
    lam = 10.0 ** float(p["lam10"])
    if "g" in p:
        g, s = np.asarray(p["g"], float), np.asarray(p["s"], float)
        W = lam * g
        st = PolarState.from_cartesian(s * np.linalg.norm(W, axis=1), W)
    else:
        st = balanced_gaussian_state(int(p["m"]), X.shape[1], lam=lam, seed=int(p["seed"]))
    tr = solve_flow(model, st, float(p["T"]), kink="convention")
    ok = 1.0 if tr.status == 0 else 0.0
    return Measurement(values={"global_solution": ok, "sigma0_is_zero": 1.0 if s0v == 0 else 0.0},
                       exact=True,  # indicators: the solver's status (0 or -2) and sigma0 = 0 exactly
                       coords={"solver_status": tr.status, "message": tr.message[:160]},
                       info={"status": tr.status, "message": tr.message, "t_final": float(tr.t_final),
                             "loss_final": float(tr.final.loss(model)), "h_final": list(np.asarray(
                                 tr.final.output(model), float))})


GLOBAL_SOLUTION, SIGMA0_IS_ZERO = sp.symbols("global_solution sigma0_is_zero", real=True)

claims.add(
    "prop2", "Proposition 2 (ODE (39) has a global solution iff sigma'(0) = 0)", "App. D, l.4983 (proof l.4985-5079)",
    "flow-inequality", result="prop2", catalog_ref="P2, F-11, DS-D(iii)", instances=_instances,
    statement=sp.Eq(GLOBAL_SOLUTION, SIGMA0_IS_ZERO),
    latex_names={"global_solution": r"\mathbb{1}[\mathrm{global\ solution}]",
                 "sigma0_is_zero": r"\mathbb{1}[\sigma_0 = 0]"},
    symbols_doc={"global_solution": "1 if the classical ODE (39) was continued to T (numerics.flows "
                                    "kink='convention', status 0), 0 if it stopped with status -2 (no continuation)",
                 "sigma0_is_zero": "1 if the fixed value sigma'(0) = sigma0 is 0, else 0"},
    quantifier="for sigma0 in {0, 1/2, 1}",
    quantifier_latex=r"\exists\ \mathrm{global\ solution} \Leftrightarrow \sigma_0 = 0",
    measure=_measure,
    mutant=Mutant(sp.Eq(GLOBAL_SOLUTION, 1), "a global solution exists for every sigma0 (catalog P2 mutation)"),
    control=Mutant(sp.Ge(GLOBAL_SOLUTION, SIGMA0_IS_ZERO),
                   "the 'if' half alone (catalog F-11 correction): sigma'(0) = 0 gives a global solution; for "
                   "sigma0 > 0 "
                   "existence fails only for some inits (here DS-A, not DS-D(iii))"),
    tags=("finding",),
    notes="Status -2 is the engine's detection of the mechanism of the proof (the field points back into z = 0 "
          "from the side sigma0 > 0 pushes to), not a proof of non-existence. Catalog verdict (F-11): the 'only "
          "if' holds only when an active coordinate reaches 0; on DS-D(iii) none does and the solution is global "
          "for every sigma0, so the statement as printed is VIOLATED there.")
