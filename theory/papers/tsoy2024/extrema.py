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

from .common import (H_UNIT_BALL, XOR_SETTING, activation, arrays, declared, global_extrema, run_group, user_static,
                     xor_delta)
from .datasets import DATA_HYPOTHESES, wide_gd
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
    pr, co, hf = [], [], []
    for k in range(1, 5):
        e = np.eye(d)
        b = 1 - 2 * ((k - 1) // 2)
        vp = u[k - 1] * e[k % 2]                                     # printed: a(k) = k mod 2
        vc = abs(u[k - 1]) * b * e[(k + 1) % 2]                      # corrected
        vh = abs(u[k - 1]) * b * e[k % 2]                            # half-fix: corrected b(k), printed a(k)
        sg = lambda v: float(np.sign(u[k - 1]) * act.G(v / np.linalg.norm(v), X, y)[0] / lam)
        pr.append(sg(vp))
        co.append(sg(vc))
        hf.append(sg(vh))
    return Measurement(values={"sg_printed": pr, "sg": co, "sg_half": hf},
                       errors={"sg_printed": 1e-13, "sg": 1e-13, "sg_half": 1e-13},
                       coords={"k": [1, 2, 3, 4]},
                       info={"printed clusters b(k) e_{a(k)+1}": ["-e2", "-e1", "+e2", "+e1"],
                             "proofs and Fig. 1": ["+e1", "+e2", "-e1", "-e2"]})


SG_P, SG_C, SG_H = sp.symbols("sg_printed sg sg_half", real=True)
F5_NAMES = {"sg_printed": r"s_kG(\hat v^e_k(0))/\lambda\ (\mathrm{printed})", "sg": r"s_kG(\hat v^e_k(0))/\lambda",
            "sg_half": r"s_kG(\hat v^e_k(0))/\lambda\ (\text{corrected }b(k)\text{ only})"}
claims.add(
    "finding.F5", "Finding F5: Assumption 5.1's a(k) = k mod 2 and §5.4.2's v^e_k(0) = u^e_k(0) e_{a(k)+1}",
    "§5.1, l.776-790; §5.4.2, l.1045-1050", "closed-form", statement=sp.Eq(SG_P, 1), latex_names=F5_NAMES,
    symbols_doc={"sg_printed": "s_k G at neuron k's initial direction, printed formulas (signs of Fig. 1)",
                 "sg": "the same with a(k) = (k+1) mod 2, b(k) = 1 - 2 floor((k-1)/2), v = |u| b(k) e_{a(k)+1}",
                 "sg_half": "half-fix: v = |u| b(k) e_{a(k)+1} with the corrected b(k) but the printed a(k) = k mod 2"},
    quantifier="k = 1..4: each neuron on an extremum of its sign (the setting of Lemma 5.2)",
    hypotheses=[H_UNIT_BALL] + XOR_SETTING[1:] + DATA_HYPOTHESES, instances=_f5_instances, measure=_f5_measure,
    provides=("sg", "sg_half"), data_instances=lambda ds: user_static(ds, "§5.4.2 init with Fig. 1's scales", {"scales": [
        1e-4, -1e-5, 1e-7, -1e-6]}, xi=0.0),
    mutant=Mutant(sp.Eq(SG_H, -SG_P), "half-fix: correcting only the signs b(k) (keeping a(k) = k mod 2) flips "
                  "every neuron onto the extremum of its own sign"),
    control=Mutant(sp.Eq(SG_C, 1), "consistent indexing a(k) = (k+1) mod 2, b(k) = 1 - 2 floor((k-1)/2), "
                   "v^e_k(0) = |u^e_k(0)| b(k) e_{a(k)+1} (catalog F5)"),
    catalog_ref="E19, E22, F5", result="assumption5.1", tags=("finding",),
    notes="The printed a(k), b(k) put S_1 = -e_2, S_2 = -e_1, S_3 = +e_2, S_4 = +e_1 (labels still +1 at +-e_1); the "
          "proofs (D.1-D.4) and Fig. 1 use S_1 = e_1, S_2 = e_2, S_3 = -e_1, S_4 = -e_2. With the printed init "
          "all four neurons start where s_k G = -lambda (they decay): neurons 1 and 3 both on +e_2 (s = +1, G(e_2) = "
          "-lambda), neurons 2 and 4 both on -e_1 (s = -1, G(-e_1) = +lambda). Mutant: the half-fix (corrected b(k), "
          "printed a(k)) does not flip s_k G: G is even on these symmetric data (G(-v) = G(v)), so only the axis a(k) "
          "matters and every neuron stays on -lambda (the earlier mutant sg_printed = -1 was true and could not be "
          "rejected).")

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

# =========================================================================== F9: a factor 2 in the proof of Lemma 5.2


def _f9_instances(tier):
    return [Instance("D3A, xi = 0.01", {"dataset": "D3A", "xi": 0.01}),
            Instance("random XOR clusters (n = 64, d = 3, mu = 0.98, delta = 0.02, seed 1), xi = 2e-4",
                     {"dataset": "xor-random", "n": 64, "d": 3, "mu": 0.98, "delta": 0.02, "sigma": 0.01, "ds_seed": 1,
                      "xi": 2e-4})]


def _f9_measure(inst, point, precision):
    """D.1 (l.4150-4175): the left side sum_{i in S_2 u S_4} phi(e_1, x_i) and the printed right side sum_{i in S_2,
    x_i^1 > 0} int |x_i^1 + xi z^1| Q(dz) + sum_{i in S_2, x_i^1 = 0} int (xi z^1)_+ Q(dz), each integral written with
    phi: int |a + xi z^1| Q(dz) = phi(e_1, a e_1) + phi(e_1, -a e_1) (Q is symmetric), int (xi z^1)_+ = phi(e_1, 0).
    S_2 = the cluster at +e_2 (the proofs' indexing, F5), S_4 at -e_2."""
    p = inst.params
    X, _ = arrays(p)
    act = activation(p)
    d = X.shape[1]
    e1 = np.eye(d)[:1]
    k = np.argmax(np.abs(X[:, :2]), axis=1)
    S2 = (k == 1) & (X[:, 1] > 0)
    S24 = k == 1
    lhs = float(np.sum(act.values(e1, X[S24])))
    a = X[S2, 0]
    pos, zero = a[a > 0], a[a == 0]
    E = lambda t: np.outer(t, np.eye(d)[0])
    rhs = float(np.sum(act.values(e1, E(pos))) + np.sum(act.values(e1, E(-pos))) + np.sum(act.values(e1, E(zero))))
    return Measurement(values={"lhs": lhs, "rhs": rhs}, errors={"lhs": 1e-15 * len(X), "rhs": 1e-15 * len(X)},
                       info={"|S_2 u S_4|": int(S24.sum()), "points of S_2 with x^1 > 0": int(len(pos)),
                             "ratio lhs/rhs": lhs / rhs if rhs else None})


LHS9, RHS9 = sp.symbols("lhs rhs", nonnegative=True)
claims.add(
    "finding.F9", "Finding F9: Lemma 5.2's proof, sum_{S2 u S4} phi(e1, x_i) = sum_{S2, x^1 > 0} int |x^1 + xi z^1| + ...",
    "App. D.1, l.4150-4175", "closed-form", statement=sp.Eq(LHS9, RHS9),
    latex_names={"lhs": r"\sum_{i\in S_2\cup S_4}\phi(e_1,x_i)",
                 "rhs": r"\sum_{i\in S_2, x^1_i>0}\int|x^1_i+\xi z^1|Q(dz)+\sum_{i\in S_2, x^1_i=0}\int(\xi z^1)_+Q(dz)"},
    symbols_doc={"lhs": "the sum over the clusters at +-e_2 of phi(e_1, x_i)", "rhs": "the printed right-hand side"},
    instances=_f9_instances, measure=_f9_measure,
    mutant=Mutant(sp.Eq(LHS9, 4 * RHS9), "a factor 4 (pairing each point with its three images)"),
    control=Mutant(sp.Eq(LHS9, 2 * RHS9), "corrected: twice the printed right side (each x_i, i in S_2, x^1 > 0, "
                   "comes with R_2 R_r x_i in S_4, R_1 x_i in S_2 and R_1 R_2 R_r x_i in S_4: 2 int |x^1 + xi z^1|)"),
    catalog_ref="E20, F9", result="lemma5.2", tags=("finding",),
    notes="The conclusion of Lemma 5.2 survives: the lower bound for v^ doubles by the same pairing and convexity, "
          "(a + b)_+ + (a - b)_+ >= 2 a_+ (catalog F9); 'four extrema' means four global extrema (D3A has flat "
          "G = 0 regions around +-e_3, see tsoy2024.lemma5.2's info).")

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


# =========================================================================== §6 / Fig. 2: the wide network (E28)


def _wide_instances(tier):
    if tier == "full":   # the paper's run: m = 2^12, 2^13 epochs, the authors' data size n = 512
        return [Instance(f"skewed XOR (gen_skew_data, n = 512), alpha = {lab}, m = 4096, 8192 epochs (t = 512)",
                         {"dataset": "skewed", "alpha": a, "n": 512, "m": 4096, "epochs": 8192})
                for a, lab in ((math.pi / 3, "pi/3"), (math.pi / 2, "pi/2"))]
    return [Instance(f"skewed XOR (gen_skew_data, n = 64), alpha = {lab}, m = 256, 2048 epochs (t = 128)",
                     {"dataset": "skewed", "alpha": a, "n": 64, "m": 256, "epochs": 2048})
            for a, lab in ((math.pi / 3, "pi/3"), (math.pi / 2, "pi/2"))]


def _wide_measure(inst, point, precision):
    """§6's wide ReLU net by GD (lr 2^-4, sigma = 2^-7, mean logistic loss; common.wide_gd, seed 2) from the balanced
    init and from PyTorch's default init x 2^-7: the share of sum_j ||w_j||^2 within 2 degrees of the four extrema of
    G (the two largest local maxima and minima found on the data, numerics.sphere), and within 2 degrees of the four
    cluster directions (the mutant); the first-layer scale ||W||_F before and after (info)."""
    p = inst.params
    X, y = arrays(p)
    ext = global_extrema({**p, "xi": 0.0})
    pred = np.array([math.atan2(v[1], v[0]) for v, _ in ext["local_max"][:2] + ext["local_min"][:2]])
    a = float(p["alpha"])
    clus = np.array([0.0, math.pi, a, a + math.pi])
    mass, mass_c, scales = [], [], []
    for init in ("balanced", "torch"):
        sc, _, W = wide_gd(X, y, int(p["m"]), int(p["epochs"]), 2.0 ** -4, init, seed=2)
        share = np.sum(W * W, axis=1) / np.sum(W * W)
        ang = np.arctan2(W[:, 1], W[:, 0])
        near = lambda ref: np.min(np.abs(np.angle(np.exp(1j * (ang[:, None] - ref[None, :])))), axis=1)
        mass.append(float(np.sum(share[near(pred) <= math.radians(2)])))
        mass_c.append(float(np.sum(share[near(clus) <= math.radians(2)])))
        scales.append([float(sc[0]), float(sc[-1])])
    return Measurement(values={"mass": mass, "mass_cl": mass_c}, errors={"mass": 1e-12, "mass_cl": 1e-12},
                       coords={"init": ["balanced", "torch x 2^-7"]},
                       info={"extrema of G (degrees)": np.degrees(pred).round(3).tolist(),
                             "||W||_F start -> end": scales})


MASS, MASS_CL = sp.symbols("mass mass_cl", nonnegative=True)
claims.add(
    "section6.alignment", "§6 / Fig. 2: the wide net's first-layer mass concentrates on the four extrema of G",
    "§6, l.1101-1150", "asymptotic", statement=sp.Ge(MASS, sp.Rational(95, 100)),
    latex_names={"mass": r"\sum_{j:\angle(w_j, v^*) \le 2^\circ}\|w_j\|^2/\sum_j\|w_j\|^2",
                 "mass_cl": r"\text{the same at the cluster directions}"},
    symbols_doc={"mass": "share of ||W||_F^2 within 2 degrees of an extremum of G",
                 "mass_cl": "the same within 2 degrees of a cluster direction"},
    quantifier="both inits (balanced; PyTorch default x 2^-7); 'most of the mass' read as >= 95 %",
    hypotheses=[declared("§6's setting: skewed XOR in R^2 (gen_skew_data), ReLU, GD lr 2^-4, sigma = 2^-7",
                         "the instances' data and run (outside Theorem 4.1: d = 2, xi = 0; catalog F13)", "l.1101-1125")],
    instances=_wide_instances, measure=_wide_measure, provides=("mass_cl",),
    mutant=Mutant(sp.Ge(MASS + MASS_CL, sp.Rational(190, 100)), "the mass concentrates at the cluster directions "
                  "too, i.e. the extrema are the cluster directions (true only for alpha = pi/2; catalog E28 mutation)"),
    catalog_ref="E28", result="section6",
    notes="Outside Theorem 4.1's hypotheses (d = 2, ReLU; catalog F13) and, for alpha = pi/3, Theorem 4.4's (the "
          "extrema are kinks: tsoy2024.section6.extrema). The fast tier runs a smaller copy (n = 64, m = 256, t = "
          "128); the full tier the paper's sizes; the scale growth 0.3 -> 5.5 / 5.9 is in the figure tsoy2024.fig2.")
