"""boursier2022 Proposition 1 (App. C, l.4758-4794): the value of min ||theta||^2 s.t. L = 0 (closed form against
the convex reformulation), (a) "every balanced KKT point of (34) is a global minimiser" (finding F-3) and the
argmin set (b), read with +D_+ (finding F-5 is the set as printed, with -D_+).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from numerics.geometry import D_plus_minus
from numerics.network import total_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (H_A1, H_A1_ONLY, H_A2, H_A3, H_CVX_SIZE, H_INIT, H_MODEL, MAX_CVX_PATTERNS,
                     data_constant_instances, data_limit_instances, ds_a_params, flow_core, generic_params,
                     generic_rotated_params, limit_objects, prop1_values)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_A1_ONLY], ladder=LADDER_F64)

# =========================================================================== the value (closed form vs convex)


def _value_instances(tier):
    return [Instance("DS-A", ds_a_params(0.05), description="convex reformulation, exact pattern enumeration"),
            Instance("generic orthonormal (n=5, d=7)", generic_rotated_params(0.05),
                     description="convex reformulation, exact pattern enumeration")]


def _value_data_instances(ds):
    """Prop. 1's value on a user's dataset: a function of the data alone (no init, no flow), within the exact
    enumeration's limit (:data:`.common.MAX_CVX_PATTERNS` activation patterns; larger data fail
    :data:`.common.H_CVX_SIZE`, named)."""
    return data_constant_instances(ds, what="convex reformulation, exact pattern enumeration (at most "
                                            f"{MAX_CVX_PATTERNS} patterns), against ||y_+|| + ||y_-||")


def _value_measure(inst, point, precision) -> Measurement:
    p = inst.params  # the value depends on the data alone (a user's instance carries no width)
    P1 = prop1_values(flow_core({"X": p["X"], "y": p["y"], "m": p.get("m", 0), "seed": p.get("seed", 0)}))
    return Measurement(values={"V_cvx": P1["cvx"], "V_prop1": P1["closed"], "y_l1": P1["l1"]},
                       errors={"V_cvx": P1["err"], "V_prop1": "rounding", "y_l1": "rounding"},
                       info=P1)


V_CVX, V_PROP1 = sp.symbols("V_cvx V_prop1", real=True)
Y_L1 = sp.Symbol("y_l1", positive=True)

claims.add(
    "prop1", "Proposition 1 (value of min ||theta||^2 s.t. L = 0)",
    "App. C, l.4758-4775 (and the interpolator of l.4777-4794)", "convex", result="prop1", catalog_ref="P1 (2), E8",
    hypotheses=[H_A1, H_A2, H_MODEL, H_CVX_SIZE], instances=_value_instances, data_instances=_value_data_instances,
    statement=sp.Eq(V_CVX, V_PROP1), latex_names={"V_cvx": r"V_{\mathrm{cvx}}", "V_prop1": r"\|y_+\|+\|y_-\|"},
    symbols_doc={"V_cvx": "min 1/2||theta||^2 s.t. L(theta) = 0: convex reformulation (numerics.convex)",
                 "V_prop1": "n(||D_+|| + ||D_-||) = ||y_+|| + ||y_-|| (half the paper's objective value)",
                 "y_l1": "sum_k |y_k| (one neuron per data point)"},
    quantifier="error = certified duality gap + sqrt(2n) x the solver point's interpolation residual",
    measure=_value_measure, provides=("y_l1",),
    mutant=Mutant(sp.Eq(V_CVX, Y_L1), "min value = sum_k |y_k| (one neuron per point, as the linear-per-point "
                                      "interpolator): larger than ||y_+|| + ||y_-||"),
    notes="The value statement of Prop. 1 (a) and (b); the claim 'every balanced KKT point is a global "
          "minimiser' is boursier2022.prop1.kkt (finding F-3).")

# =========================================================================== (a): balanced KKT points (F-3)


def _kkt_instances(tier):
    return [Instance("DS-D(i): y = (1,1), w = (e_1, e_2), a = (1,1), multipliers (1,1)",
                     {"X": np.eye(2).tolist(), "y": [1.0, 1.0], "a": [1.0, 1.0], "W": np.eye(2).tolist(),
                      "mult": [1.0, 1.0]}),
            Instance("DS-A at theta* (a KKT point that is a global minimiser)",
                     {"from": "theta*", **ds_a_params(0.05)})]


def _kkt_measure(inst, point, precision) -> Measurement:
    """KKT conditions (35)-(37) of problem (34) at a balanced interpolating theta: theta = sum_k lam_k grad h(x_k)
    with sigma'(0) = 0; for theta* the multipliers are solved by least squares. Returns ||theta||^2, the min value
    2(||y_+|| + ||y_-||) and the KKT residual."""
    p = inst.params
    X, y = inst.arrays()
    if p.get("from") == "theta*":
        kp = limit_objects(flow_core(p))
        a, W = kp["a"], kp["W"]
    else:
        a, W = np.asarray(p["a"], float), np.asarray(p["W"], float)
    Z = W @ X.T
    act = (Z > 0).astype(float)
    n = len(y)
    # grad_theta h(x_k): d/da_j = sigma(z_jk), d/dw_j = a_j 1_{z>0} x_k
    G = np.stack([np.concatenate([np.maximum(Z[:, k], 0), (a[:, None] * act[:, k:k + 1] * X[k][None, :]).ravel()])
                  for k in range(n)], axis=1)
    th = np.concatenate([a, W.ravel()])
    mult = np.asarray(p["mult"], float) if "mult" in p else np.linalg.lstsq(G, th, rcond=None)[0]
    res = float(np.linalg.norm(G @ mult - th))
    h = a @ np.maximum(Z, 0)
    yp, ym = np.linalg.norm(np.maximum(y, 0)), np.linalg.norm(np.minimum(y, 0))
    # the proof's step l.4836 as a hypothesis: A_k = {j : <w_j, x_k> > 0} is S^theta_{sign(y_k)} = {j : w_j != 0,
    # s_j = sign(y_k)} for every k (exact: pre-activations are exactly 0 or away from rounding on these points)
    nz = np.linalg.norm(W, axis=1) > 0
    s = np.sign(a)
    cond = all(set(np.flatnonzero(Z[:, k] > 0)) == set(np.flatnonzero(nz & (s == np.sign(y[k])))) for k in range(n))
    eps = np.finfo(float).eps
    return Measurement(values={"norm2": float(th @ th), "V2": float(2 * (yp + ym)), "kkt_res": res,
                               "proof_step": 1.0 if cond else 0.0, "V2_sum": float(2 * np.sum(np.abs(y)))},
                       errors={"norm2": (2 * len(th) + 2) * eps * float(th @ th), "V2": "rounding",
                               "V2_sum": "rounding",
                               "kkt_res": len(th) * eps * float(np.linalg.norm(G) * np.linalg.norm(mult)
                                                                + np.linalg.norm(th))},
                       exact=("proof_step",),
                       info={"kkt_residual": res, "multipliers": mult.tolist(), "A_k = S^theta_sign(y_k)": bool(cond),
                             "fit_error": float(np.max(np.abs(h - y))),
                             "balanced": float(np.max(np.abs(np.abs(a) - np.linalg.norm(W, axis=1))))})


NORM2, V2, KKT_RESIDUAL, PROOF_STEP, V2_SUM = sp.symbols("norm2 V2 kkt_res proof_step V2_sum", real=True)

claims.add(
    "prop1.kkt", "Proposition 1 (a) (balanced KKT points of (34) are global minimisers)",
    "App. C, l.4758-4760 (proof step l.4836)", "closed-form", result="prop1", catalog_ref="P1 (3), F-3, DS-D(i)",
    instances=_kkt_instances,
    statement=sp.Eq(NORM2, V2), latex_names={"norm2": r"\|\theta\|^2", "V2": r"2(\|y_+\|+\|y_-\|)",
                                             "kkt_res": r"\|\theta - \sum_k\lambda_k\nabla h(x_k)\|",
                                             "proof_step": r"\mathbb{1}[A_k = S^\theta_{\mathrm{sign} y_k}\,\forall k]",
                                             "V2_sum": r"2\sum_k|y_k|"},
    symbols_doc={"norm2": "||theta||^2 of a balanced interpolating KKT point (residual in info)",
                 "V2": "2n(||D_+|| + ||D_-||), the value claimed for every such point",
                 "kkt_res": "KKT residual of (35)-(37) with sigma'(0) = 0"},
    quantifier="for every balanced KKT point of (34)",
    quantifier_latex=r"\theta\in\Theta\ \text{KKT} \Rightarrow \|\theta\|^2 = 2n(\|D_+\|+\|D_-\|)",
    measure=_kkt_measure, provides=("kkt_res", "proof_step", "V2_sum"),
    mutant=Mutant(sp.Eq(NORM2, V2_SUM), "every balanced KKT point has the norm 2 sum_k |y_k| of one neuron per label "
                                       "(||y_+|| + ||y_-|| replaced by sum_k |y_k|): true at DS-D(i), not at theta*"),
    control=Mutant(sp.Eq(PROOF_STEP * NORM2, PROOF_STEP * V2),
                   "corrected (catalog F-3): a balanced KKT point is a global minimiser when every non-zero neuron is "
                   "active exactly on the labels of its sign (A_k = S^theta_{sign y_k}, the proof's step l.4836 made "
                   "a hypothesis; an indicator multiplies both sides, vacuous elsewhere)"),
    tags=("finding",),
    notes="DS-D(i) satisfies (35)-(37) exactly (kkt_res = 0 in info) with ||theta||^2 = 4 > 2 sqrt 2: a "
          "constrained saddle, so Prop. 1 (a) is false as printed (F-3); the set description (b) is correct.")

# =========================================================================== (b): the argmin set, and F-5


def _set_instances(tier):
    """theta* (DC-2, the interpolator the flow selects) and the equal-split interpolator (also in the argmin) of
    DS-A and the generic orthonormal instance: Prop. 1 (b) must describe both."""
    return [Instance(name, params, description="two exact min-norm interpolators: theta* (DC-2) and the equal split")
            for name, params in (("DS-A", ds_a_params(0.05)), ("generic orthonormal (n=5, d=6)",
                                                                generic_params(0.05)))]


def _set_measure(inst, point, precision) -> Measurement:
    """The conditions of Prop. 1 (b) on the point: for j in S_+^theta (a_j > 0) <w_j, D_+> against ||w_j|| ||D_+||
    (printed: <w_j, -D_+>), for j in S_-^theta <w_j, -D_-> against ||w_j|| ||D_-||, and sum_{S_+-^theta} ||w_j||^2
    against n||D_+-||; the point's loss and ||theta||^2 in info."""
    kp = limit_objects(flow_core(inst.params))
    X, y = inst.arrays()
    n = len(y)
    dp, dm = D_plus_minus(X, y)
    lhs, lhs_pr, rhs, which, info = [], [], [], [], {}
    for name, (a, W) in (("theta*", (kp["a"], kp["W"])), ("equal split", (kp["a_eq"], kp["W_eq"]))):
        Sp = [j for j in range(len(a)) if a[j] > 0]
        Sm = [j for j in range(len(a)) if a[j] < 0]
        for j in Sp:
            lhs.append(float(W[j] @ dp))
            lhs_pr.append(float(W[j] @ (-dp)))
            rhs.append(float(np.linalg.norm(W[j]) * np.linalg.norm(dp)))
            which.append(f"{name}: j = {j} in S_+")
        for j in Sm:
            v = float(W[j] @ (-dm))
            lhs.append(v)
            lhs_pr.append(v)
            rhs.append(float(np.linalg.norm(W[j]) * np.linalg.norm(dm)))
            which.append(f"{name}: j = {j} in S_-")
        for js, D, lab in ((Sp, dp, "S_+"), (Sm, dm, "S_-")):
            v = float(sum(W[j] @ W[j] for j in js))
            lhs.append(v)
            lhs_pr.append(v)
            rhs.append(n * float(np.linalg.norm(D)))
            which.append(f"{name}: sum over {lab}")
        info[name] = {"loss": float(total_loss(inst.model(), a, W)), "norm2": float(a @ a + np.sum(W * W))}
    info["min_norm2"] = 2 * (float(np.linalg.norm(y[y > 0])) + float(np.linalg.norm(y[y < 0])))
    # rounding of float64 sums of at most max(d, m) products (the conditions are identities of the construction
    # of theta* and of the equal split: directions exactly +-D_+-/||D_+-||, squared norms summing to n||D_+-||)
    k = (X.shape[1] + len(kp["a"]) + 4) * np.finfo(float).eps
    return Measurement(values={"lhs": lhs, "lhs_printed": lhs_pr, "rhs": rhs},
                       errors={"lhs": [k * (abs(u) + abs(v)) for u, v in zip(lhs, rhs)],
                               "lhs_printed": [k * (abs(u) + abs(v)) for u, v in zip(lhs_pr, rhs)],
                               "rhs": [k * abs(v) for v in rhs]},
                       coords={"condition": which}, precision="float64", info=info)


LHS, LHS_PRINTED, RHS = sp.symbols("lhs lhs_printed rhs", real=True)
SET_NAMES = {"lhs": r"\langle w_j, \pm D_\pm\rangle,\ \sum_{S_\pm^\theta}\|w_j\|^2",
             "lhs_printed": r"\langle w_j, -D_+\rangle\ (\mathrm{printed})", "rhs": r"\|w_j\|\|D_\pm\|,\ n\|D_\pm\|"}
SET_DOC = {"lhs": "<w_j, D_+> (j in S_+^theta), <w_j, -D_-> (j in S_-^theta), then the two sums of ||w_j||^2",
           "rhs": "||w_j|| ||D_+-||, then n||D_+-||", "lhs_printed": "the same with <w_j, -D_+> as printed"}
SET_QUANTIFIER = "for every j in S_+-^theta and both sums, at exact min-norm interpolators"
def _set_data_instances(ds):
    """Prop. 1 (b) on a user's dataset: theta* of the file's draw (``m``, ``seed``, ``init``: the kappa_j of the
    lambda-free flow) and the equal-split interpolator, both built from the data's D_+-."""
    return data_limit_instances(ds, what="two exact min-norm interpolators: theta* (DC-2, kappa_j from the lambda-free "
                                         "flow of the draw) and the equal split")


SET_COMMON = dict(latex_names=SET_NAMES, symbols_doc=SET_DOC, quantifier=SET_QUANTIFIER, instances=_set_instances,
                  measure=_set_measure, result="prop1", share=f"{PAPER.key}.prop1set",
                  data_instances=_set_data_instances, hypotheses=[H_A1, H_A2, H_A3, H_MODEL, H_INIT])

claims.add(
    "prop1.set", "Proposition 1 (b) (the argmin set, read with +D_+ and S_+-^theta, F-5)", "App. C, l.4765-4775",
    "closed-form", catalog_ref="P1 (b), F-5",
    statement=sp.Eq(LHS, RHS), provides=("lhs_printed",),
    mutant=Mutant(sp.Eq(LHS_PRINTED, RHS),
                  "the set as printed, <w_j, -D_+> (catalog P1 mutation): h < 0 on the positive points"),
    display=("condition value", LHS, "required", RHS),
    notes="Both theta* and the equal-split interpolator are min-norm (info.norm2 = info.min_norm2), so the set is "
          "not a single point; the printed -D_+ describes no interpolator (F-5).", **SET_COMMON)

claims.add(
    "finding.F5", "Finding F-5: Proposition 1 (b) as printed (<w_j, -D_+>)", "App. C, l.4765-4775", "closed-form",
    catalog_ref="F-5",
    statement=sp.Eq(LHS_PRINTED, RHS), provides=("lhs",),
    mutant=Mutant(sp.Ge(LHS_PRINTED, 0), "'>= 0' (the printed inner products are not even non-negative)"),
    control=Mutant(sp.Eq(LHS, RHS), "the set read with +D_+ (catalog F-5 typo fix, = boursier2022.prop1.set)"),
    display=("condition value (printed)", LHS_PRINTED, "required", RHS),
    tags=("finding",),
    notes="At every min-norm interpolator the S_+ neurons point along +D_+, so <w_j, -D_+> = -||w_j|| ||D_+||.",
    **SET_COMMON)
