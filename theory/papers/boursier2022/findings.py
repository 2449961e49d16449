"""boursier2022 findings and discussion claims checked on flows to convergence (catalog §2.4, §4):

* ``boursier2022.finding.F12``: "our analysis is not specific to" unit norms (§5, l.780-781) together with IC-10
  ("neurons do not change direction once they have non-zero norm", l.436-437). For orthogonal inputs of
  unequal norms with n_+ >= 2, the phase-1 direction D_+ ∝ sum y_k x_k differs from the interpolating
  direction ∝ sum (y_k/||x_k||^2) x_k: the S_{+,1} neurons rotate after they grow (catalog F-12, DS-E).
* ``boursier2022.ic3``: Assumption 3 is "necessary" for the min-l2 bias (l.458-460): on a draw with
  S_{+,1} empty the flow converges to an interpolator with ||theta||^2 = 2 sum |y_k| > 2 (||y_+|| + ||y_-||)
  (catalog IC-3, DS-D(iv): 4.6 vs 3.56125).
* ``boursier2022.finding.F13``: the catalog's "GD's limit is off the flow's by O(dt^2)" (F-13), which holds only
  at small lambda.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import numpy as np
import sympy as sp

from numerics.convex import min_norm_interpolator
from numerics.flows import PolarState, solve_flow
from numerics.gd import gradient_descent
from numerics.geometry import D_plus_minus
from numerics.network import Model, init_balanced_gaussian
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import H_A1_ONLY, LN10, ds_a_params, key_set_lists
from .datasets import ds_e, orthonormal_inputs
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)

RTOLS = (1e-10, 1e-8)


@lru_cache(maxsize=32)
def _limit_run(params_json: str, lam10: float) -> dict:
    """Balanced flow from lambda g (g, s from the instance, or drawn by Eq. (4) with the instance seed) to
    T = n (ln(1/lambda) + 40)/min_k |y_k|, at two tolerances: final (a, W), loss, ||theta||^2; an ERROR if the
    loss has not reached 1e-12 (the comparisons below are between interpolators)."""
    p = json.loads(params_json)
    X, y = np.asarray(p["X"], float), np.asarray(p["y"], float)
    n = len(y)
    if "g" in p:
        g, s = np.asarray(p["g"], float), np.asarray(p["s"], float)
    else:
        _, _, info = init_balanced_gaussian(int(p["m"]), X.shape[1], 1.0, seed=int(p["seed"]))
        g, s = info["g"], info["s"]
    # slowest possible growth: a neuron fitting one label alone grows at rate |y_k|/n (Eq. (11))
    T = n * (-lam10 * LN10 + 40.0) / float(np.min(np.abs(y)))
    out = {"g": g.tolist(), "s": s.tolist()}
    for name, rt in zip(("tight", "loose"), RTOLS):
        lam = 10.0 ** lam10
        W = lam * g
        a = s * np.linalg.norm(W, axis=1)
        model = Model(X, y)
        tr = solve_flow(model, PolarState.from_cartesian(a, W), T, rtol=rt)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        st = tr.final
        if float(st.loss(model)) > 1e-12:
            raise RuntimeError(f"not converged by T = {T:.4g}: L = {float(st.loss(model)):.3g} (a label without an "
                               "active neuron of its sign cannot be fitted, Lemma 6)")
        out[name] = {"a": np.asarray(st.a(), float).tolist(), "W": np.asarray(st.W(), float).tolist(),
                     "loss": float(st.loss(tr.model)), "norm2": float(st.norm2()), "nsteps": tr.nsteps + len(tr.events)}
    return out


# =========================================================================== F-12


def _orthogonal_unequal(inst):
    X, y = inst.arrays()
    G = X @ X.T
    off = float(np.max(np.abs(G - np.diag(np.diag(G)))))
    nrm = np.sqrt(np.diag(G))[y > 0]
    ok = off <= 1e-14 and (y > 0).sum() >= 2 and float(np.ptp(nrm)) > 1e-12
    return ok, (f"orthogonal (max off-diagonal {off:.2g}), n_+ = {(y > 0).sum()}, positive-input norms "
                f"{np.round(nrm, 4).tolist()} (the remark's setting: orthogonal, not unit norm, n_+ >= 2)")


def _f12_instances(tier):
    ds = ds_e()
    lam = [{"lam10": v} for v in ((-16,) if tier == "fast" else (-8, -16, -32))]
    kw = dict(grid=lam, grid_param="lam10", grid_symbol="λ", grid_log10=True,
              description="balanced init (4), flow to convergence; direction of the S_{+,1} neurons at the end")
    gen = {"dataset": "orthogonal, unequal norms (n=4)", "X": np.diag([1.5, 0.6, 1.2, 0.9]).tolist(),
           "y": [0.7, 0.5, -0.6, 0.4], "m": 40, "seed": 2}
    return [Instance("DS-E (X = diag(2,1,1), y = (1,1,-1))", {"dataset": "DS-E", "X": ds.X.tolist(),
                                                            "y": ds.y.tolist(), "m": 40, "seed": 0}, **kw),
            Instance("orthogonal, unequal norms: X = diag(1.5, .6, 1.2, .9), y = (.7, .5, -.6, .4)", gen, **kw)]


def _f12_measure(inst, point, precision) -> Measurement:
    """min over j in S_{+,1} of <bold w_j^infty, D_+/||D_+||> (two tolerances), plus the interpolating direction
    and the norm gap to the global min-norm interpolator (numerics.convex) in info."""
    R = _limit_run(json.dumps(dict(inst.params), sort_keys=True), float(point["lam10"]))
    X, y = inst.arrays()
    dp = D_plus_minus(X, y)[0]
    u = dp / np.linalg.norm(dp)
    g, s = np.asarray(R["g"]), np.asarray(R["s"])
    plus, _ = key_set_lists(X, y, g, s)
    if not plus:
        raise ValueError("S_{+,1} is empty on this draw")
    interp = ((y * (y > 0)) / np.sum(X * X, axis=1)) @ X
    interp /= np.linalg.norm(interp)
    cos, cosi = {}, {}
    for name in ("tight", "loose"):
        W = np.asarray(R[name]["W"])
        cos[name] = [float(W[j] @ u / np.linalg.norm(W[j])) for j in plus]
        cosi[name] = [float(W[j] @ interp / np.linalg.norm(W[j])) for j in plus]
    # two tolerances + the rounding of a d-term cosine
    rnd = (X.shape[1] + 4) * np.finfo(float).eps
    c, e = cos["tight"], [abs(a - b) + rnd for a, b in zip(cos["tight"], cos["loose"])]
    ci, ei = cosi["tight"], [abs(a - b) + rnd for a, b in zip(cosi["tight"], cosi["loose"])]
    W = np.asarray(R["tight"]["W"])
    jbig = max(plus, key=lambda j: np.linalg.norm(W[j]))
    vmin = 2 * float(min_norm_interpolator(X, y).value)
    return Measurement(values={"cos_plus": c, "cos_interp": ci}, errors={"cos_plus": e, "cos_interp": ei},
                       coords={"j": plus}, precision="float64",
                       info={"D_plus_hat": u.tolist(), "interpolating_direction": interp.tolist(),
                             "final_direction_largest_S+1": (W[jbig] / np.linalg.norm(W[jbig])).tolist(),
                             "norm2_flow": R["tight"]["norm2"], "norm2_min_convex": vmin,
                             "norm2_gap": R["tight"]["norm2"] - vmin, "loss_final": R["tight"]["loss"]})


COS, COS_INTERP = sp.symbols("cos_plus cos_interp", real=True)

claims.add(
    "finding.F12", "Finding F-12: unit norms matter (S_{+,1} neurons rotate after growing)",
    "§5, l.780-781 ('not specific to' unit norms); IC-10 l.436-437", "flow-inequality", result="theorem1",
    catalog_ref="F-12, IC-10, DS-E", share=f"{PAPER.key}.findings", tags=("finding",),
    hypotheses=[Hypothesis("orthogonal inputs of unequal norms, n_+ >= 2", _orthogonal_unequal, "§5, l.780-781")],
    statement=sp.Ge(COS, sp.Rational(99, 100)),
    latex_names={"cos_plus": r"\langle \mathbf{w}_j^\infty, D_+/\|D_+\|\rangle",
                 "cos_interp": r"\langle \mathbf{w}_j^\infty, \hat u_{\mathrm{int}}\rangle"},
    symbols_doc={"cos_plus": "cosine between the final direction of j in S_{+,1} and D_+ (where the neuron grew)",
                 "cos_interp": "cosine between the final direction of j in S_{+,1} and the interpolating direction "
                               "sum_{y_k > 0} (y_k/||x_k||^2) x_k"},
    quantifier="for all j in S_{+,1}: the neurons keep the phase-1 direction D_+ (IC-10) up to 8 degrees",
    quantifier_latex=r"\forall j\in S_{+,1}:\ \angle(\mathbf{w}_j^\infty, D_+) \le 8^\circ",
    instances=_f12_instances, measure=_f12_measure, provides=("cos_interp",),
    mutant=Mutant(sp.Ge(COS, sp.Rational(9, 10)), "a 25-degree cone (cos >= 0.9): still fails on DS-E (cos 0.8)"),
    control=Mutant(sp.Ge(COS_INTERP, sp.Rational(99, 100)),
                   "corrected (catalog F-12): the S_{+,1} neurons end along the interpolating direction "
                   "sum_{y_k > 0} (y_k/||x_k||^2) x_k, not along D_+ (they rotate after growing)"),
    display=("min_j cos(w_j, D_+)", COS, "0.99", sp.Rational(99, 100)),
    notes="With unit norms (Assumption 1) the S_{+,1} directions stay at D_+ (boursier2022.lemma7.ii and the "
          "Theorem 1 checks). Here they end along the interpolating direction sum (y_k/||x_k||^2) x_k (info), so "
          "the proof's structure does not carry over; the implicit bias itself appears to survive (info.norm2_gap).")

# =========================================================================== IC-3


def _ds_d_iv():
    return {"dataset": "DS-D(iv)", "X": np.eye(3).tolist(), "y": [1.0, 0.8, -0.5], "m": 3,
            "g": [[1, -1, 0.2], [-1, 1, 0.3], [0.1, 0.2, 1]], "s": [1, 1, -1]}


def _a3_failing_generic():
    """Orthonormal n = 4 (numerics.datasets.orthonormal_inputs seed 5), m = 6, the first init seed whose draw has
    S_{+,1} or S_{-,1} empty while every label has an active neuron of its own sign (so L -> 0 is possible)."""
    ds = orthonormal_inputs(4, 4, seed=5)
    X, y = ds.X, ds.y
    for seed in range(500):
        _, _, info = init_balanced_gaussian(6, 4, 1.0, seed=seed)
        g, s = info["g"], info["s"]
        plus, minus = key_set_lists(X, y, g, s)
        Z = g @ X.T
        covered = all(np.any((np.sign(y[k]) == s) & (Z[:, k] > 0)) for k in range(4))
        if (not plus or not minus) and covered:
            return {"dataset": f"orthonormal(n=4, seed=5), A3-failing draw seed {seed}", "X": X.tolist(),
                    "y": y.tolist(), "m": 6, "g": g.tolist(), "s": s.tolist()}
    raise RuntimeError("no A3-failing draw found")


def _ic3_instances(tier):
    lam = [{"lam10": v} for v in ((-8, -16) if tier == "fast" else (-4, -8, -16, -32))]
    kw = dict(grid=lam, grid_param="lam10", grid_symbol="λ", grid_log10=True,
              description="fixed draw (g, s) with Assumption 3 failing; flow to convergence")
    return [Instance("DS-D(iv) (S_{+,1} empty)", _ds_d_iv(), **kw),
            Instance("generic orthonormal n=4, A3-failing draw", _a3_failing_generic(), **kw)]


def _a3_fails(inst):
    X, y = inst.arrays()
    plus, minus = key_set_lists(X, y, np.asarray(inst.params["g"], float), np.asarray(inst.params["s"], float))
    return (not plus or not minus), f"S_+,1 = {plus}, S_-,1 = {minus} (the witness needs one of them empty)"


def _ic3_measure(inst, point, precision) -> Measurement:
    """||theta^infty||^2 of the flow (two tolerances), the loss, 2 x the min-norm value (||y_+|| + ||y_-||,
    Prop. 1) and 2 sum |y_k| (one neuron per label)."""
    R = _limit_run(json.dumps(dict(inst.params), sort_keys=True), float(point["lam10"]))
    X, y = inst.arrays()
    vmin = 2 * (float(np.linalg.norm(y[y > 0])) + float(np.linalg.norm(y[y < 0])))
    t, lo = R["tight"], R["loose"]
    # two tolerances + the tight tolerance accumulated over its steps and events
    return Measurement(values={"norm2": t["norm2"], "V2": vmin, "loss": t["loss"]},
                       errors={"norm2": abs(t["norm2"] - lo["norm2"]) + RTOLS[0] * (t["nsteps"] + 1) * t["norm2"],
                               "V2": "rounding", "loss": abs(t["loss"] - lo["loss"]) + 4 * np.finfo(float).eps},
                       precision="float64",
                       info={"loss_final": t["loss"], "two_sum_abs_y": 2 * float(np.sum(np.abs(y))), "min_norm2": vmin})


NORM2, V2 = sp.symbols("norm2 V2", positive=True)

claims.add(
    "ic3", "IC-3: without Assumption 3 the limit is not the min-norm interpolator", "§3.2, l.458-460",
    "flow-inequality", result="assumption3", catalog_ref="IC-3, IC-4, DS-D(iv)", share=f"{PAPER.key}.findings",
    # Assumption 1 alone: the draws are given in the instance
    hypotheses=[Hypothesis("Assumption 3 fails on the draw", _a3_fails, "§2.1, l.293"), H_A1_ONLY],
    statement=sp.Gt(NORM2, V2), latex_names={"norm2": r"\|\theta^\infty\|^2", "V2": r"2(\|y_+\|+\|y_-\|)"},
    symbols_doc={"norm2": "||theta^infty||^2 of the flow", "V2": "2 x min_{L=0} 1/2||theta||^2 (Prop. 1)"},
    quantifier="on a draw violating Assumption 3",
    instances=_ic3_instances, measure=_ic3_measure,
    mutant=Mutant(sp.Eq(NORM2, V2), "the limit is min-norm anyway (catalog IC-3 mutation: 3.56125 on DS-D(iv))"),
    display=("||theta^inf||^2", NORM2, "2(||y_+|| + ||y_-||)", V2),
    notes="Lemma 6 forbids the s = +1 neurons outside S_{+,1} from reaching D_+, so the positive labels are fitted "
          "by separate neurons (catalog: ||theta||^2 = 2 sum |y_k| = 4.6 on DS-D(iv)).")

# =========================================================================== F-13 (GD vs GF)

GD_STEPS = (0.2, 0.1, 0.05, 0.025)


@lru_cache(maxsize=16)
def _gd_vs_gf(params_json: str, lam10: float) -> dict:
    """||theta^infty||^2 of gradient descent (numerics.gd, flow-time steps dt in GD_STEPS) minus that of the flow
    (numerics.flows, rtol 1e-12 vs 1e-11), same balanced init (Eq. (4), the instance's seed), same horizon."""
    p = json.loads(params_json)
    X, y = np.asarray(p["X"], float), np.asarray(p["y"], float)
    lam = 10.0 ** lam10
    a0, W0, _ = init_balanced_gaussian(int(p["m"]), X.shape[1], lam, seed=int(p["seed"]))
    T = 1.5 * (-lam10 * LN10 + 30.0) / min(np.linalg.norm(v) for v in D_plus_minus(X, y))
    model = Model(X, y)
    gf = {}
    for rt in (1e-12, 1e-11):
        tr = solve_flow(model, PolarState.from_cartesian(a0, W0), T, rtol=rt)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        gf[rt] = float(tr.final.norm2())
        gf_steps = tr.nsteps + len(tr.events)
    # two tolerances + the tight tolerance accumulated over the steps and events of a run
    out = {"gf": gf[1e-12], "gf_err": abs(gf[1e-12] - gf[1e-11]) + 1e-12 * (gf_steps + 1) * gf[1e-12], "T": T,
           "gd": [], "loss": []}
    for dt in GD_STEPS:
        a, W, info = gradient_descent(model, a0, W0, dt, T)
        out["gd"].append(float(a @ a + np.sum(W * W)))
        out["loss"].append(info["loss"])
    return out


def _f13_instances(tier):
    ds = ds_e()
    e = {"dataset": "DS-E", "X": ds.X.tolist(), "y": ds.y.tolist(), "m": 40, "seed": 0}
    a = {**{k: ds_a_params()[k] for k in ("X", "y", "m", "seed")}, "dataset": "DS-A"}
    return [Instance("DS-E, lambda = 1e-30 (the catalog's setting)", {**e, "lam10": -30},
                     description=f"GD with dt = {GD_STEPS} (flow-time steps) vs the flow, same init and horizon"),
            Instance("DS-E, lambda = 1e-8", {**e, "lam10": -8}, description="as above, moderate lambda"),
            Instance("DS-A, lambda = 1e-8", {**a, "lam10": -8}, description="as above")]


def _f13_measure(inst, point, precision) -> Measurement:
    """Local exponent p of |||theta_GD||^2 - ||theta_GF||^2| in dt between the two smallest steps, with its error
    (the error of the differences plus the change from the previous pair of steps)."""
    q = dict(inst.params)
    R = _gd_vs_gf(json.dumps(q, sort_keys=True), float(q["lam10"]))
    diff = [abs(g - R["gf"]) for g in R["gd"]]
    if min(diff) <= 10 * R["gf_err"]:
        raise RuntimeError(f"GD and flow limits agree to the flow's error ({R['gf_err']:.2g}): no exponent")
    ps = [math.log(diff[i] / diff[i + 1]) / math.log(GD_STEPS[i] / GD_STEPS[i + 1]) for i in range(len(diff) - 1)]
    p = ps[-1]
    err = abs(ps[-1] - ps[-2]) + 2 * R["gf_err"] / min(diff) / math.log(2)
    # the exponent over the whole range of steps (largest / smallest): an O(dt^p) bound on that range; its error is
    # the flow's only (no extrapolation)
    span = math.log(GD_STEPS[0] / GD_STEPS[-1])
    p_range = math.log(diff[0] / diff[-1]) / span
    err_range = (R["gf_err"] / diff[0] + R["gf_err"] / diff[-1]) / span
    return Measurement(values={"p": p, "p_range": p_range, "two": 2.0, "one": 1.0},
                       errors={"p": err, "p_range": err_range}, exact=("two", "one"),
                       precision="float64",
                       info={"dt": list(GD_STEPS), "norm2_gd_minus_gf": [g - R["gf"] for g in R["gd"]],
                             "local_exponents": ps, "norm2_gf": R["gf"], "gd_final_loss": R["loss"]})


EXPONENT, TWO, ONE, EXPONENT_RANGE = sp.symbols("p two one p_range", real=True)


def _square_relu_model(inst):
    """The model the GD and flow runs use (:func:`_gd_vs_gf` builds Model(X, y)): its settings, read off it."""
    X, y = inst.arrays()
    mdl = Model(X, y)
    ok = mdl.loss == "square" and mdl.gamma == 0 and mdl.sigma_prime_zero == 0 and mdl.reduction == "mean"
    return ok, (f"loss = {mdl.loss}, reduction = {mdl.reduction}, gamma = {mdl.gamma:g}, "
                f"sigma'(0) = {mdl.sigma_prime_zero:g} (the model both runs use)")


claims.add(
    "finding.F13", "Finding F-13: GD's limit is off the flow's by O(dt^2) (catalog claim)",
    "§5 / App. A figures (GD runs); catalog F-13", "asymptotic", result="theorem1", catalog_ref="F-13",
    share=f"{PAPER.key}.gd", tags=("finding",),
    hypotheses=[Hypothesis("square loss, ReLU, sigma'(0) = 0", _square_relu_model, "Eq. (1)-(3)")],
    statement=sp.Eq(EXPONENT, TWO), latex_names={"p": r"p", "two": "2", "one": "1", "p_range": r"p_{[0.025, 0.2]}"},
    symbols_doc={"p": "local exponent of | ||theta_GD^inf||^2 - ||theta_GF^inf||^2 | in the step dt (two smallest "
                      "steps)",
                 "p_range": "the same exponent over the whole range of steps, 0.2 to 0.025"},
    quantifier="dt -> 0 (steps 0.2 ... 0.025)",
    instances=_f13_instances, measure=_f13_measure, provides=("one", "p_range"), eq_rtol=0.05,
    mutant=Mutant(sp.Eq(EXPONENT, ONE), "first order, O(dt)"),
    control=Mutant(sp.Ge(EXPONENT_RANGE, ONE),
                   "corrected: GD's limit is off the flow's by O(dt) at every lambda (|difference|/dt does not grow "
                   "from dt = 0.2 to 0.025: exponent over the range >= 1), by O(dt^2) only at small lambda"),
    display=("exponent p", EXPONENT, "2", TWO),
    notes="Declared tolerance: the order within 5% (eq_rtol = 0.05): the claim is 'second order' against 'first "
          "order' (the mutant); local exponents between steps a factor 2 apart resolve the order to a few percent. "
          "The catalog states O(dt^2) from DS-E at small lambda. It holds there, but at lambda = 1e-8 the GD and "
          "flow limits differ at first order (p = 1): the O(dt) error made during the saddle-to-saddle transient "
          "selects a different interpolator. Any GD-based reproduction must budget O(dt), not O(dt^2).")
