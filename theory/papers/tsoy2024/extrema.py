"""tsoy2024 §5.1-5.2 and §6: Assumption 5.1's indexing (finding F5: the printed a(k), b(k) and the §5.4.2 init put
neurons where s_k G < 0), Lemma 5.2 (the global extrema of G on XOR data are +-e_1 (max) and +-e_2 (min), with
G(e_1) >= (1/8)(1 - 3 delta - 2 xi)), and the negative control of §6: on skewed XOR (alpha = pi/3) the extrema of G
are kinks (directions orthogonal to a cluster), not cluster directions.

Global extrema are found numerically on the sphere (numerics.sphere: grid + pattern search), never assumed.
Lemma 5.2 is stated for a class of datasets: ``earlyalign check --data FILE`` runs it on a user's data.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.smooth_relu import SmoothReLU
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (DATA_HYPOTHESES, H_UNIT_BALL, XOR_SETTING, activation, arrays, global_extrema, run_group,
                     user_static, xor_delta)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=XOR_SETTING)

# =========================================================================== F5: the indexing of Assumption 5.1


def _f5_instances(tier):
    return [Instance("D2B, §5.4.2 init with Fig. 1's scales (1e-4, -1e-5, 1e-7, -1e-6)",
                     {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6]}),
            Instance("D3A, xi = 0.01, the init with Fig. 6's scales (1e-4, -1e-5, 1e-6, -1e-7)",
                     {"dataset": "D3A", "xi": 0.01, "scales": [1e-4, -1e-5, 1e-6, -1e-7]})]


def _f5_measure(inst, point, precision):
    """s_k G(v^_k(0))/lambda for the four neurons of §5.4.2 (l.1045-1050): printed, v^e_k(0) = u^e_k(0) e_{a(k)+1}
    with a(k) = k mod 2; corrected (catalog F5), v^e_k(0) = |u^e_k(0)| b(k) e_{a(k)+1} with a(k) = (k+1) mod 2,
    b(k) = 1 - 2 floor((k-1)/2). Each neuron must start on an extremum of its own sign (s_k G = lambda), "the setting
    of Lemma 5.2"."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    d = X.shape[1]
    lam = global_extrema(p)["lam"]
    u = np.array(p["scales"], dtype=float)
    pr, co = [], []
    for k in range(1, 5):
        e = np.eye(d)
        vp = u[k - 1] * e[k % 2]                                     # printed: a(k) = k mod 2
        vc = abs(u[k - 1]) * (1 - 2 * ((k - 1) // 2)) * e[(k + 1) % 2]  # corrected
        pr.append(float(np.sign(u[k - 1]) * act.G(vp / np.linalg.norm(vp), X, y)[0] / lam))
        co.append(float(np.sign(u[k - 1]) * act.G(vc / np.linalg.norm(vc), X, y)[0] / lam))
    return Measurement(values={"sg_printed": pr, "sg": co}, errors={"sg_printed": 1e-13, "sg": 1e-13},
                       coords={"k": [1, 2, 3, 4]},
                       info={"printed clusters b(k) e_{a(k)+1}": ["-e2", "-e1", "+e2", "+e1"],
                             "proofs and Fig. 1": ["+e1", "+e2", "-e1", "-e2"]})


SG_P, SG_C = sp.symbols("sg_printed sg", real=True)
F5_NAMES = {"sg_printed": r"s_kG(\hat v^e_k(0))/\lambda\ (\mathrm{printed})", "sg": r"s_kG(\hat v^e_k(0))/\lambda"}
claims.add(
    "finding.F5", "Finding F5: Assumption 5.1's a(k) = k mod 2 and §5.4.2's v^e_k(0) = u^e_k(0) e_{a(k)+1}",
    "§5.1, l.776-790; §5.4.2, l.1045-1050", "closed-form", statement=sp.Eq(SG_P, 1), latex_names=F5_NAMES,
    symbols_doc={"sg_printed": "s_k G at neuron k's initial direction, printed formulas (signs of Fig. 1)",
                 "sg": "the same with a(k) = (k+1) mod 2, b(k) = 1 - 2 floor((k-1)/2), v = |u| b(k) e_{a(k)+1}"},
    quantifier="k = 1..4: each neuron on an extremum of its sign (the setting of Lemma 5.2)",
    hypotheses=[H_UNIT_BALL] + XOR_SETTING[1:] + DATA_HYPOTHESES, instances=_f5_instances, measure=_f5_measure,
    provides=("sg",), data_instances=lambda ds: user_static(ds, "§5.4.2 init with Fig. 1's scales", {"scales": [
        1e-4, -1e-5, 1e-7, -1e-6]}, xi=0.0),
    mutant=Mutant(sp.Eq(SG_P, -1), "every neuron on an extremum of the opposite sign"),
    control=Mutant(sp.Eq(SG_C, 1), "consistent indexing a(k) = (k+1) mod 2, b(k) = 1 - 2 floor((k-1)/2), "
                   "v^e_k(0) = |u^e_k(0)| b(k) e_{a(k)+1} (catalog F5)"),
    catalog_ref="E19, E22, F5", result="assumption5.1", tags=("finding",),
    notes="The printed a(k), b(k) put S_1 = -e_2, S_2 = -e_1, S_3 = +e_2, S_4 = +e_1 (labels still +1 at +-e_1); the "
          "proofs (D.1-D.4) and Fig. 1 use S_1 = e_1, S_2 = e_2, S_3 = -e_1, S_4 = -e_2. With the printed init "
          "neurons 1 and 4 start where s_k G = -lambda (they decay) and neuron 3 duplicates neuron 1's direction.")

# =========================================================================== Lemma 5.2


def _l52_instances(tier):
    out = [Instance("D3A, xi = 0.01", {"dataset": "D3A", "xi": 0.01}),
           Instance("D3A, xi = 0.04", {"dataset": "D3A", "xi": 0.04}),
           Instance("D3B, xi = 0.001", {"dataset": "D3B", "xi": 0.001}),
           Instance("D2B (ReLU, xi = 0)", {"dataset": "D2B", "xi": 0.0}),
           Instance("random XOR clusters (n = 64, d = 3, mu = 0.98, delta = 0.02, seed 1), xi = 2e-4",
                    {"dataset": "xor-random", "n": 64, "d": 3, "mu": 0.98, "delta": 0.02, "sigma": 0.01, "ds_seed": 1,
                     "xi": 2e-4})]
    if tier == "full":
        out.append(Instance("random XOR clusters (n = 128, d = 5, seed 2), xi = 0.005",
                            {"dataset": "xor-random", "n": 128, "d": 5, "mu": 0.97, "delta": 0.03, "sigma": 0.015,
                             "ds_seed": 2, "xi": 0.005}))
    return out


def _l52_data_instances(ds):
    return user_static(ds, "ReLU", xi=0.0) + user_static(ds, "smoothed")


def _l52_measure(inst, point, precision):
    """max G and -min G on S^{d-1} (numerics.sphere; error: the search's last gain + rounding), G at e_1 and at e_2,
    the distance of every global argmax / argmin found to {+-e_1} / {+-e_2}, delta (Assumption 5.1) and xi."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    ext = global_extrema(p)
    d = X.shape[1]
    e = np.eye(d)
    G1 = float(act.G(e[0], X, y)[0])
    G2 = float(act.G(e[1], X, y)[0])
    dmax = max(min(np.linalg.norm(a - e[0]), np.linalg.norm(a + e[0])) for a in ext["argmax"])
    dmin = max(min(np.linalg.norm(a - e[1]), np.linalg.norm(a + e[1])) for a in ext["argmin"])
    return Measurement(values={"Gext": [ext["max"], -ext["min"]], "Gaxis": [G1, -G2], "delta": xor_delta(p),
                               "xi": act.xi},
                       errors={"Gext": ext["err"] + 1e-15, "Gaxis": "rounding", "delta": "rounding", "xi": 0},
                       coords={"extremum": ["max (e_1)", "min (e_2)"]},
                       info={"argmax found": [np.round(a, 9).tolist() for a in ext["argmax"]],
                             "argmin found": [np.round(a, 9).tolist() for a in ext["argmin"]],
                             "distance of argmax to +-e_1": dmax, "distance of argmin to +-e_2": dmin,
                             "other local maxima (value)": [float(v) for _, v in ext["local_max"][:6]]})


GEXT, GAXIS, DELTA, XI = sp.symbols("Gext Gaxis delta xi", real=True)
L52_NAMES = {"Gext": r"\max_{S^{d-1}} |G|\ (\text{max, min})", "Gaxis": r"|G(e_1)|, |G(e_2)|", "delta": r"\delta",
             "xi": r"\xi"}
L52_DOC = {"Gext": "global max of G and -(global min), numerical", "Gaxis": "G(e_1) and -G(e_2)",
           "delta": "cluster radius (Assumption 5.1)", "xi": "smoothing radius"}
claims.add(
    "lemma5.2", "Lemma 5.2: |G| has its global extrema at ±e₁ (max) and ±e₂ (min)", "§5.2, l.809-812; App. D.1",
    "closed-form", statement=sp.Eq(GEXT, GAXIS), latex_names=L52_NAMES, symbols_doc=L52_DOC,
    quantifier="max and min; the argmax / argmin points found are listed in info", instances=_l52_instances,
    data_instances=_l52_data_instances, measure=_l52_measure, provides=("delta", "xi"),
    extra_hypotheses=DATA_HYPOTHESES,
    mutant=Mutant(sp.Eq(GEXT, sp.Rational(1, 8)), "the value 1/8 of data exactly on the axes (delta = 0)"),
    catalog_ref="E20", result="lemma5.2", share=run_group("l52"),
    notes="'four extrema' means four global extrema: D3A also has flat regions G = 0 around +-e_3 (non-strict local "
          "extrema, catalog F9); eq_rtol 1e-6 covers the pattern search's resolution.")

claims.add(
    "lemma5.2.bound", "Lemma 5.2 proof: G(e₁) ≥ (−ℓ'(0)/4)(1 − 3δ − 2ξ)", "App. D.1, l.3890-3930", "closed-form",
    statement=sp.Ge(GAXIS, (1 - 3 * DELTA - 2 * XI) / 8), latex_names=L52_NAMES, symbols_doc=L52_DOC,
    quantifier="G(e_1) and -G(e_2)", instances=_l52_instances, data_instances=_l52_data_instances,
    measure=_l52_measure, provides=("Gext",), extra_hypotheses=DATA_HYPOTHESES,
    mutant=Mutant(sp.Ge(GAXIS, (1 - DELTA) / 8), "(1/8)(1 - delta) (catalog E20 mutation)"),
    catalog_ref="E20", result="lemma5.2", share=run_group("l52"),
    notes="Loose: only half of the +-e_2 points have x^1 > 0 (catalog E20); D3A: 0.1125 vs 0.0917.")

# =========================================================================== §6: the negative control (skewed XOR)


def _skew_instances(tier):
    return [Instance("skewed XOR point clusters, alpha = pi/3 (Ass. 5.1 fails)", {"dataset": "skew-pi/3", "xi": 0.0,
                                                                                   "alpha": math.pi / 3}),
            Instance("skewed XOR point clusters, alpha = pi/2 (D2-type)", {"dataset": "skew-pi/2", "xi": 0.0,
                                                                           "alpha": math.pi / 2})]


def _skew_measure(inst, point, precision):
    """Global max / -min of G (numerical) against G at the predicted kink directions alpha -+ pi/2 (max: orthogonal to
    the negative cluster) and +-pi/2 (min: orthogonal to the positive cluster e_1), and G at the cluster directions
    (the mutant: extrema at the clusters)."""
    p = inst.params
    X, y = arrays(p)
    act = SmoothReLU(0.0, 2)
    ext = global_extrema(p)
    a = float(p["alpha"])
    ang = lambda t: np.array([math.cos(t), math.sin(t)])
    Gmax_pred = max(float(act.G(ang(a - math.pi / 2), X, y)[0]), float(act.G(ang(a + math.pi / 2), X, y)[0]))
    Gmin_pred = min(float(act.G(ang(math.pi / 2), X, y)[0]), float(act.G(ang(-math.pi / 2), X, y)[0]))
    Gmax_cl = max(float(act.G(ang(0.0), X, y)[0]), float(act.G(ang(math.pi), X, y)[0]))
    Gmin_cl = min(float(act.G(ang(a), X, y)[0]), float(act.G(ang(a + math.pi), X, y)[0]))
    degs = [math.degrees(math.atan2(v[1], v[0])) for v in ext["argmax"] + ext["argmin"]]
    return Measurement(values={"Gext": [ext["max"], -ext["min"]], "Gkink": [Gmax_pred, -Gmin_pred],
                               "Gcluster": [Gmax_cl, -Gmin_cl]},
                       errors={"Gext": ext["err"] + 1e-15, "Gkink": "rounding", "Gcluster": "rounding"},
                       coords={"extremum": ["max", "min"]}, info={"extrema found (degrees)": degs})


GKINK, GCLUSTER = sp.symbols("Gkink Gcluster", real=True)
claims.add(
    "section6.extrema", "§6: on skewed XOR (α = π/3) the extrema of G are at −π/6, 5π/6 (max) and ±π/2 (min)",
    "§6, l.1101-1125", "closed-form", statement=sp.Eq(GEXT, GKINK),
    latex_names={"Gext": L52_NAMES["Gext"], "Gkink": r"|G|\ \text{at}\ \alpha\mp\pi/2,\ \pm\pi/2",
                 "Gcluster": r"|G|\ \text{at the cluster directions}"},
    symbols_doc={"Gext": "global max and -min of G (numerical)", "Gkink": "G at the directions orthogonal to a cluster",
                 "Gcluster": "G at the cluster directions"},
    quantifier="max and min", hypotheses=[H_UNIT_BALL], instances=_skew_instances, measure=_skew_measure,
    provides=("Gcluster",),
    mutant=Mutant(sp.Eq(GEXT, GCLUSTER), "the extrema at the cluster directions (true only for alpha = pi/2; catalog "
                  "E28 mutation)"),
    catalog_ref="E20 (negative control), E28", result="section6",
    notes="The negative control of Lemma 5.2: Assumption 5.1 fails on this data (the claim lemma5.2 is NOT_APPLICABLE "
          "there) and the extremum finder returns kinks, not cluster directions; value 0.99 sqrt(3)/16 = 0.10717.")
