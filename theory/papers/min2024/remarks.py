"""min2024 remarks checked numerically: "Merits of random initialization" (l.402-435, catalog E14: the probability that
S_+ receives a neuron is >= 1 - 2^{-m}) and the experiments' centring (§4, l.736-831: cos(x_+, x_-) ~ -1 "almost" is
exact for centred data, finding F11), on the offline digits stand-in.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.directional import directional_flow_2d
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import DATA_SETTING, GENERIC_2D, HYP_LABELS, arrays, data_params, generic_data, generic_data_name
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)

NGRID = 36000


def fate_probabilities(X, y, ngrid=NGRID) -> dict:
    """Angle-uniform init (the 2-D Gaussian [W_0]_ij ~ N(0, 1/D) is angle-uniform), eps -> 0: the fraction of initial
    angles whose exact directional flow (numerics.directional) ends in S_+ (s = +1) and S_- (s = -1), and the fraction
    initially activating a positive datum; midpoint rule on ``ngrid`` angles (error <= number of fate switches along
    the circle / ngrid)."""
    angles = (np.arange(ngrid) + 0.5) * 2 * math.pi / ngrid
    own = {1.0: y > 0, -1.0: y < 0}
    fate = {1.0: [], -1.0: []}
    act = 0
    for th in angles:
        u = np.array([math.cos(th), math.sin(th)])
        act += bool(np.any(X[y > 0] @ u > 0))
        for s in (1.0, -1.0):
            p = directional_flow_2d(X, y, s, th).patterns[-1]
            fate[s].append(bool(np.array_equal(p, own[s])))
    # the fate map is a union of arcs: each switch of the fate along the circle misplaces at most one grid cell
    sw = {s: int(np.sum(np.array(f) != np.roll(np.array(f), 1))) for s, f in fate.items()}
    return {"p_plus": float(np.mean(fate[1.0])), "p_minus": float(np.mean(fate[-1.0])), "p_act": act / ngrid,
            "err": max(sw.values()) / ngrid, "fate_switches": sw}


def _rinit_measure(inst, point, precision) -> Measurement:
    """P(at least one of m V_+ neurons reaches S_+) = 1 - (1 - p_+)^m (exact fate map, eps -> 0) against 1 - 2^{-m},
    m = 1..8, and P(initial positive activation) (info; the remark's >= 1/2)."""
    X, y = arrays(inst.params)
    fp = fate_probabilities(X, y, int(inst.params.get("ngrid", NGRID)))
    ms = list(range(1, 9))
    p = fp["p_plus"]
    P = [1 - (1 - p) ** m for m in ms]
    return Measurement(values={"P": P, "m": ms}, errors={"P": [m * (1 - p + fp["err"]) ** (m - 1) * fp["err"]
                                                               for m in ms]}, exact=("m",),
                       coords={"m": ms}, info=fp)


PP, MS = sp.symbols("P m", positive=True)
claims.add(
    "remark.random_init", "Remark (merits of random init): P(S_+ receives one of m V_+ neurons) >= 1 - 2^{-m}",
    "§3.1, l.402-435", "probabilistic", catalog_ref="E14", result="remarks_theorem1", hypotheses=DATA_SETTING,
    statement=sp.Ge(PP, 1 - 2 ** (-MS)), measure=_rinit_measure,
    instances=lambda tier: [Instance("DS-A, angle-uniform init (Gaussian W_0 in 2-D), eps -> 0",
                                     {**data_params(datasets.ds_a()), "ngrid": NGRID if tier == "full" else 7200}),
                            Instance(f"{generic_data_name(GENERIC_2D)}, angle-uniform init, eps -> 0",
                                     {**generic_data(GENERIC_2D), "ngrid": NGRID if tier == "full" else 3600})],
    mutant=Mutant(sp.Ge(PP, 1 - 4 ** (-MS)), "1 - 4^{-m} (catalog E14: m = 3 gives 0.984 > 0.964)"),
    latex_names={"P": r"1-(1-p_+)^m", "m": "m"}, symbols_doc={"P": "P(some V_+ neuron reaches S_+)", "m": "|V_+|"},
    quantifier="m = 1..8 neurons in V_+",
    notes="Exact fate map (catalog): a V_+ neuron reaches S_+ iff its angle is outside [106.26, 225] deg, p_+ = p_- = "
          "0.67017; P(initial positive activation) = 0.54514 >= 1/2 (info). The remark is conditional on m = |V_+| "
          "(with random signs m ~ Bin(h, 1/2)).")


def _centred_instances(tier):
    return [Instance(f"DIG({a},{b}) centred digits", data_params(datasets.digits_pair(a, b)))
            for a, b in ((1, 0), (3, 8), (1, 7))]


def _centred(inst):
    X, _ = arrays(inst.params)
    m = float(np.linalg.norm(X.mean(axis=0)))
    scale = float(np.max(np.linalg.norm(X, axis=1)))
    return m <= 1e-12 * scale, f"||mean_i x_i|| = {m:.3g} (max ||x_i|| = {scale:.3g})"


def _centred_measure(inst, point, precision) -> Measurement:
    X, y = arrays(inst.params)
    xp, xm = X[y > 0].sum(axis=0), X[y < 0].sum(axis=0)
    c = float(xp @ xm / (np.linalg.norm(xp) * np.linalg.norm(xm)))
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    G = U @ U.T
    return Measurement(values={"c": c}, errors={"c": 1e-13},
                       info={"sign_consistent_pairs": float(np.mean((G > 0)[~np.eye(len(y), dtype=bool)])),
                             "mu": float(G.min()), "n": len(y), "n_plus": int((y > 0).sum())})


CC = sp.Symbol("c", real=True)
claims.add(
    "experiments.centring", "§4: after centring x_i <- x_i - mean, cos(x_+, x_-) ~ -1 'almost': it is exactly -1",
    "§4, l.736, l.812-823", "closed-form", catalog_ref="F11, X2, X6", result="experiments",
    hypotheses=[HYP_LABELS, Hypothesis("centred data: sum_i x_i = 0 (§4 l.736)", _centred, "§4, l.736")],
    tags=("beyond-paper",), statement=sp.Eq(CC, -1), measure=_centred_measure, instances=_centred_instances,
    mutant=Mutant(sp.Ge(CC, -sp.Rational(99, 100)), "only approximately antiparallel (cos >= -0.99)"),
    latex_names={"c": r"\cos(x_+,x_-)"}, symbols_doc={"c": "cos(x_+, x_-) of the centred data"},
    notes="Finding F11: sum_i x_i = 0 after centring with the full mean, so x_+ = -x_- identically (error: 1e-13 "
          "round-off over ~360 vectors). The stable rank ~ 1 of Figure 5 is forced by the preprocessing; it says "
          "little about the <= 2 bound. 93.3% (0 vs 1), 78.5% (3 vs 8), 81.1% (1 vs 7) of the pairs are "
          "sign-consistent (info), mu < 0: Assumption 1 fails on all three.")
