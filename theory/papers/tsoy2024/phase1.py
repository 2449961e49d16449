"""tsoy2024 §3-4.1 and App. B.1: the setting (Eq. (1): homogeneity, the conservation law), the linearisation bound
and system (2), Theorem 4.1 (phase 1: prominent neurons align with the global extrema of G) with the proof's own
constants (kappa* = 2 lambda/(b_1 - lambda), c_0, c_1 of App. B), and the convergence facts of App. B.1.1-B.1.2 for
the linearised system.

Theorem 4.1 is checked literally: sigma = r^{1 + kappa*} with kappa* from the proof (b_1 by Remark B.7's bound, a
valid Lipschitz constant; kappa* = 0.0064 on D3A at xi = 0.01), T_1 = (1/lambda) ln(r/sigma), r down to 1e-800
(log-polar state). Its O(.) constants are the proof's: the direction error is bounded by (c_0 + 2a||theta_0||^2_[m]
/(b_1 - 2 lambda)) r^kappa* (B.1.2 (c) and B.2.2; with sigma = r^{1+kappa*} both terms scale as r^kappa*), the
scale error by r u*_j (exp(c_0 b_0 r^kappa*/lambda) - 1) + c_1 ||theta_0||^3_[m] r^{1+kappa*} (B.1.2 (d) and B.2.3),
and an R-neuron by |u_0j| r^{1+kappa_j} + c_1 ||theta_0||^3 r^{1+kappa_j+kappa*} (B.1.2 (b) and B.2.3). The designed
init of catalog E03 puts every prominent neuron in the activation region of its extremum from t = 0 (t_{0,j} = 0)
and one neuron in the flat cap around e_3, where G = 0 (lambda_j = 0, an R-neuron).
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp
from scipy.special import expit

from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (H_ALIGNED, H_HAS_R, H_PHI, H_UNIT_BALL, SETTING, activation, arrays, constants, declared,
                     global_extrema, init_of, linear_limit, linear_path, phase1_errors, proof_constants, run_group,
                     user_aligned, user_isotropic)
from .datasets import DATA_HYPOTHESES, DATA_XI, UserSettings
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=SETTING)

# =========================================================================== Eq. (1): homogeneity, conservation


def _homog_instances(tier):
    n = 400 if tier == "fast" else 4000
    return [Instance(f"phi_(Q,xi), d = {d}, {n} random (v, x, c)", {"d": d, "samples": n, "rng": d})
            for d in (3, 5)]


def _homog_measure(inst, point, precision):
    """phi(c v, x) and c phi(v, x) at random v, x (||x|| <= 1), c in [1e-2, 1e2], xi in [1e-3, 0.5] (closed form of
    numerics.smooth_relu, float64: error 'rounding' of each side plus the rounding of the product)."""
    from numerics.smooth_relu import SmoothReLU
    d = int(inst.params["d"])
    rng = np.random.default_rng(inst.params["rng"])
    lhs, rhs, cs, scale = [], [], [], []
    for _ in range(inst.params["samples"]):
        act = SmoothReLU(10 ** rng.uniform(-3, np.log10(0.5)), d)
        v = rng.standard_normal(d)
        x = rng.standard_normal(d)
        x *= rng.uniform(0, 1) / np.linalg.norm(x)
        c = 10 ** rng.uniform(-2, 2)
        lhs.append(float(act.values(c * v, x)[0, 0]))
        rhs.append(float(act.values(v, x)[0, 0]))
        cs.append(c)
        scale.append(act.xi * np.linalg.norm(v) + abs(v @ x))
    lhs, rhs, scale, cs = np.array(lhs), np.array(rhs), np.array(scale), np.array(cs)
    eps = np.finfo(float).eps
    return Measurement(values={"phicv": lhs, "phiv": rhs, "c": cs},
                       errors={"phicv": 64 * eps * (np.abs(lhs) + cs * scale),
                               "phiv": 64 * eps * (np.abs(rhs) + scale), "c": 0},
                       coords={"sample": list(range(len(cs)))})


PHI_CV, PHI_V, C_SCALE = sp.symbols("phicv phiv c", positive=True)
claims.add(
    "eq1.homogeneity", "Eq. (1) setting: φ(cv, x) = c φ(v, x) (1-homogeneity)", "§3, l.287-291", "closed-form",
    statement=sp.Eq(PHI_CV, C_SCALE * PHI_V), eq_atol=1e-10,
    latex_names={"phicv": r"\phi(cv, x)", "phiv": r"\phi(v, x)", "c": "c"},
    symbols_doc={"phicv": "phi(c v, x), closed form (Prop. B.2)", "phiv": "phi(v, x)", "c": "scale c > 0"},
    quantifier="every sample (v, x, c, xi)", hypotheses=[H_PHI], instances=_homog_instances, measure=_homog_measure,
    mutant=Mutant(sp.Eq(PHI_CV, C_SCALE ** 2 * PHI_V), "2-homogeneity of the activation (the network's degree)"),
    catalog_ref="E01", result="eq1",
    notes="Error estimate: 64 ulp of |phi| + xi||v|| + |v^T x| per side: the monomial form of the profile loses "
          "relative accuracy near c = -1, where phi ~ xi||v|| (1 + c)^{(d+3)/2} is tiny (absolute rounding); "
          "eq_atol = 1e-10 is that absolute rounding (xi||cv|| + |cv^T x| <= ~500 here: 64 ulp x 500 = 7e-12).")


def _cons_instances(tier):
    out = [Instance("D3A, xi = 0.02, isotropic m = 8 (seed 0), sigma = 0.1, balanced and unbalanced (u = 2||v||)",
                    {"dataset": "D3A", "xi": 0.02, "init": "isotropic", "m": 8, "seed": 0, "sigma": 0.1, "T": 100.0}),
           Instance("D3(0.92, 0.08, 0.05), xi = 0.05, isotropic m = 4 (seed 3), sigma = 0.3, balanced and unbalanced",
                    {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.05, "init": "isotropic", "m": 4, "seed": 3, "sigma": 0.3,
                     "T": 40.0})]
    if tier == "full":
        out.append(Instance("D3B, xi = 0.001, isotropic m = 32 (seed 1), sigma = 0.05, balanced and unbalanced",
                            {"dataset": "D3B", "xi": 0.001, "init": "isotropic", "m": 32, "seed": 1, "sigma": 0.05,
                             "T": 200.0}))
    return out


def _cons_measure(inst, point, precision):
    """Per neuron and sampled time (21 times of [0, T]) of the full flow (1), from the balanced start and from
    u_j(0) = 2 ||v_j(0)||: b = (u_j^2 - ||v_j||^2)(t), its initial value b_0 (both relative to ||theta(0)||^2), and
    the growth N(t)/N(0) of u_j^2 + ||v_j||^2 (the mutant: the relative balancedness b/N is conserved). rtol 1e-12,
    error = change at 1e-9."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    u0, V0 = init_of(p)
    s = float(p["sigma"])
    ts = np.linspace(0, float(p["T"]), 21)
    out = {}
    for rtol in (1e-9, 1e-12):
        B, B0, NR = [], [], []
        for uu in (u0, 2 * u0):
            r0, Q0 = polar_from_cartesian(s * uu, s * V0)
            res = smooth_flow(X, y, act, r0, Q0, ts, rtol=rtol)
            n0 = float(np.sum((s * uu) ** 2 + np.sum((s * V0) ** 2, axis=1)))
            b = np.array([res.u(k) ** 2 - np.sum(res.V(k) ** 2, axis=1) for k in range(len(ts))]) / n0
            N = np.array([res.u(k) ** 2 + np.sum(res.V(k) ** 2, axis=1) for k in range(len(ts))])
            B.append(b.ravel())
            B0.append(np.tile(b[0], len(ts)))
            NR.append((N / N[0]).ravel())
        out[rtol] = tuple(np.concatenate(v) for v in (B, B0, NR))
    (b, b0, nr), (bl, _, _) = out[1e-12], out[1e-9]
    m = len(u0)
    tt = np.tile(np.repeat(ts, m), 2)
    return Measurement(values={"b": b, "b0": b0, "nr": nr}, errors={"b": np.abs(b - bl) + 1e-16, "b0": 1e-16, "nr": 0},
                       coords={"t": tt.tolist(), "j": np.tile(np.arange(m), 2 * len(ts)).tolist(),
                               "start": ["balanced"] * (m * len(ts)) + ["u = 2||v||"] * (m * len(ts))})


BAL, BAL0, NRATIO = sp.symbols("b b0 nr", real=True)
claims.add(
    "eq1.conservation", "Eq. (1): u_j² − ||v_j||² is conserved (Du et al. 2018)", "§3, l.328-333", "flow-inequality",
    statement=sp.Eq(BAL, BAL0), eq_atol=1e-9,
    latex_names={"b": r"(u_j^2 - \|v_j\|^2)(t)/\|\theta(0)\|^2", "b0": r"(u_j^2 - \|v_j\|^2)(0)/\|\theta(0)\|^2",
                 "nr": r"\frac{(u_j^2+\|v_j\|^2)(t)}{(u_j^2+\|v_j\|^2)(0)}"},
    symbols_doc={"b": "u_j^2 - ||v_j||^2 at t, relative to ||theta(0)||^2", "b0": "its initial value",
                 "nr": "growth of u_j^2 + ||v_j||^2"},
    quantifier="every neuron, 21 times in [0, T], balanced and unbalanced starts",
    hypotheses=[H_UNIT_BALL] + DATA_HYPOTHESES, instances=_cons_instances, measure=_cons_measure, provides=("nr",),
    data_instances=lambda ds: user_isotropic(ds, "balanced and unbalanced (u = 2||v||) starts", m=8, sigma=0.1,
                                             T=100.0, runs=4),
    mutant=Mutant(sp.Eq(BAL, BAL0 * NRATIO), "the relative balancedness (u^2 - ||v||^2)/(u^2 + ||v||^2) is conserved "
                  "(fails from the unbalanced start as the neurons grow)"),
    catalog_ref="E01", result="eq1", share=run_group("conservation"),
    notes="eq_atol = 1e-9: the equality is judged to the integration accuracy (rtol 1e-12; the rtol 1e-9 run differs "
          "by ~1e-10 relative to ||theta(0)||^2).")

# =========================================================================== Eq. (2): linearisation bound


def _lin_instances(tier):
    return [Instance("z in [-50, 50] (2001 points)", {"zmax": 50.0, "n": 2001}),
            Instance("z in [-5, 5] (4000 points)", {"zmax": 5.0, "n": 4000})]


def _lin_measure(inst, point, precision):
    """|-ell'(z) - 1/2| = |expit(-z) - 1/2| and |z| on a grid (ell(z) = ln(1 + e^{-z}); sup |ell''| = 1/4 at z = 0)."""
    z = np.linspace(-inst.params["zmax"], inst.params["zmax"], inst.params["n"])
    dev = np.abs(expit(-z) - 0.5)
    return Measurement(values={"dev": dev, "absz": np.abs(z)}, errors={"dev": "rounding", "absz": 0},
                       coords={"z": z.tolist()})


DEV, ABSZ = sp.symbols("dev absz", nonnegative=True)
claims.add(
    "eq2.bound", "§4.1: |ℓ'(z) − ℓ'(0)| ≤ |z| sup|ℓ''| = |z|/4", "§4.1, l.360-372", "closed-form",
    statement=sp.Le(DEV, ABSZ / 4), latex_names={"dev": r"|\ell'(z) - \ell'(0)|", "absz": "|z|"},
    symbols_doc={"dev": "|expit(-z) - 1/2|", "absz": "|z|"}, quantifier="every grid z",
    hypotheses=[declared("logistic loss l(z) = ln(1 + e^{-z})", "the paper's loss", "l.236-244")],
    instances=_lin_instances, measure=_lin_measure,
    mutant=Mutant(sp.Le(DEV, ABSZ / 5), "sup |ell''| = 1/5 (catalog E02 mutation)"),
    catalog_ref="E02", result="eq2",
    notes="Equality at z = 0 (both sides 0, exact): non-strict, holds.")

# =========================================================================== Theorem 4.1 (literal kappa*)

R_GRID_FAST = [-100, -200, -400, -800]


def _t41_instances(tier):
    kw = dict(grid=[{"r10": v} for v in R_GRID_FAST], grid_param="r10", grid_symbol="r", grid_log10=True,
              asymptotic="small",
              description="designed init (catalog E03): sigma = r^(1 + kappa*), state at T_1 = (1/lambda) ln(r/sigma)")
    out = [Instance("D3A, xi = 0.01, designed init (alpha_0 = 30 deg) + flat-cap neuron",
                    {"dataset": "D3A", "xi": 0.01, "init": "designed", "alpha0": 30.0}, **kw),
           Instance("D3A, xi = 0.02, designed init (alpha_0 = 20 deg) + flat-cap neuron",
                    {"dataset": "D3A", "xi": 0.02, "init": "designed", "alpha0": 20.0}, **kw)]
    if tier == "full":
        out.append(Instance("D3B, xi = 0.001, designed init (alpha_0 = 30 deg) + flat-cap neuron",
                            {"dataset": "D3B", "xi": 0.001, "init": "designed", "alpha0": 30.0}, **kw))
    return out


def _t41_measure(inst, point, precision):
    """Theorem 4.1 at r = 10^r10: E_v, E_u/r, E_R/r (common.phase1_errors, two tolerances) and the proof's
    constants (common.proof_constants, rounding)."""
    p = inst.params
    r10 = float(point["r10"])
    e = phase1_errors(p, r10)
    C = proof_constants(p)
    L = linear_limit(p)
    kap = C["kappa_star"]
    lam = C["lam"]
    P = np.array(L["P"])
    jR = e["jR"]
    lam_R = L["lam_j"][jR] if jR >= 0 else 0.0
    kj = kap * (1 - lam_R / lam)
    with mpmath.workdps(30):
        lr = mpmath.mpf(r10) * mpmath.log(10)
        rk = mpmath.exp(kap * lr)
        rkj = mpmath.exp(kj * lr)
        rkj2 = mpmath.exp(kap * (2 - lam_R / lam) * lr)
    us = float(np.max(np.abs(np.array(L["ustar"])[P])))
    u0R = abs(L["u0"][jR]) if jR >= 0 else 0.0
    vals = {"Ev": e["Ev"], "Eu": e["Eu"], "Eu0": e["Eu0"], "ER": e["ER"], "Kv": C["K_v"], "rk": rk, "rkj": rkj,
            "rkj2": rkj2, "us": us, "c0": C["c0"], "b0": C["b0"], "lam": lam, "c1": C["c1"] * C["theta0_m"] ** 3,
            "u0R": u0R}
    errs = {k: e["err"][k] for k in ("Ev", "Eu", "Eu0", "ER")}
    errs.update({k: "rounding" for k in ("Kv", "us", "c0", "b0", "lam", "c1", "u0R")})
    errs.update({"rk": 0, "rkj": 0, "rkj2": 0})
    return Measurement(values=vals, errors=errs, coords={"t": e["T1"], "j": e["jv"]},
                       info={"kappa*": kap, "b_1 (Remark B.7 bound)": C["b1"], "b_1 sampled (lower estimate)":
                             C["b1_sampled"], "lambda": lam, "T_1": e["T1"], "c_0": C["c0"], "c_1": C["c1"],
                             "a": C["a"], "K_v": C["K_v"], "E_v / r^kappa*": float(e["Ev"] / rk),
                             "2 tan(alpha_0/2) (linearised closed form, designed init)": 2 * math.tan(
                                 math.radians(float(p.get("alpha0", 30.0))) / 2) if p.get("init") == "designed"
                             else None,
                             "balance | ln|u| - ln||v|| |": e["balance"], "R neuron": jR, "lambda_R": lam_R})


EV, EU, EU0, ER, KV, RK, RKJ, RKJ2 = sp.symbols("Ev Eu Eu0 ER Kv rk rkj rkj2", nonnegative=True)
US, C0, B0, LAM, C1, U0R = sp.symbols("us c0 b0 lam c1 u0R", positive=True)
T41_NAMES = {"Ev": r"\max_{j\in P}\|\hat v_j(T_1) - \hat v^*_j\|", "Kv": "K_v", "rk": r"r^{\kappa^*}",
             "Eu": r"\max_{j\in P}|u_j(T_1) - r u^*_j|/r", "Eu0": r"\min_{j\in P}|u_j(T_1) - r u_{0j}|/r",
             "ER": r"\max_{j\in R}|u_j(T_1)|/r", "rkj": r"r^{\kappa_j}", "rkj2": r"r^{\kappa^*(2-\lambda_j/\lambda)}",
             "us": r"\max_{j\in P}|u^*_j|", "c0": "c_0", "b0": "b_0", "lam": r"\lambda", "c1": r"c_1\|\theta_0\|^3_{[m]}",
             "u0R": r"|u_{0j}|"}
T41_DOC = {"Ev": "largest direction error of a prominent neuron at T_1", "Kv": "c_0 + 2a||theta_0||^2_[m]/(b_1 - "
           "2 lambda) (proof constants)", "rk": "r^kappa*", "Eu": "largest scale error of a prominent neuron / r",
           "ER": "largest |u_j(T_1)|/r over R", "c1": "c_1 ||theta_0||^3_[m] (l.2689)", "us": "max |u*_j| over P"}
T41_COMMON = dict(latex_names=T41_NAMES, symbols_doc=T41_DOC, instances=_t41_instances, measure=_t41_measure,
                  result="theorem4.1", share=run_group("theorem4.1"), catalog_ref="E03 (Recipe B), E04, E12",
                  data_instances=lambda ds: user_aligned(ds, "sigma = r^(1 + kappa*), state at T_1", grid=R_GRID_FAST))

claims.add(
    "theorem4.1.direction", "Theorem 4.1: ||v̂_j(T₁) − v̂*_j|| ≤ O(r^κ*), j ∈ P", "§4.1, l.417-430; App. B.1.2-B.3",
    "flow-inequality", statement=sp.Le(EV, KV * RK),
    quantifier="r -> 0 (smallest grid r decides), with the proof's constant K_v",
    mutant=Mutant(sp.Le(EV, KV * RK ** 2), "O(r^{2 kappa*}) (catalog E03 mutation (i))"),
    display=("E_v", EV, "K_v r^kappa*", KV * RK), extra_hypotheses=[H_ALIGNED] + DATA_HYPOTHESES,
    notes="kappa* = 2 lambda/(b_1 - lambda) with b_1 = Remark B.7's bound (35.0 on D3A at xi = 0.01: kappa* = "
          "0.0064); measured E_v = 2 tan(alpha_0/2) r^kappa* (the linearised closed form) against K_v = 1.109.",
    **T41_COMMON)

claims.add(
    "theorem4.1.scale", "Theorem 4.1: |u_j(T₁) − r u*_j| ≤ O(r^{1+κ*}), j ∈ P", "§4.1, l.417-430; App. B.1.2 (d), "
    "B.2.3", "flow-inequality",
    statement=sp.Le(EU, US * (sp.exp(C0 * B0 * RK / LAM) - 1) + C1 * RK), provides=("Eu0",),
    quantifier="r -> 0 (smallest grid r decides); both sides divided by r",
    mutant=Mutant(sp.Le(EU0, US * (sp.exp(C0 * B0 * RK / LAM) - 1) + C1 * RK),
                  "u*_j replaced by u_0j (the cos^2(alpha_0/2) factor dropped; catalog E03 mutation (ii))"),
    display=("E_u/r", EU, "bound/r", US * (sp.exp(C0 * B0 * RK / LAM) - 1) + C1 * RK),
    extra_hypotheses=[H_ALIGNED] + DATA_HYPOTHESES,
    **T41_COMMON)

claims.add(
    "theorem4.1.R", "Theorem 4.1: |u_j(T₁)| = ||v_j(T₁)|| ≤ O(r^{1+κ_j}), j ∈ R", "§4.1, l.430-433; App. B.1.2 (b), "
    "B.2.3", "flow-inequality",
    statement=sp.Le(ER, U0R * RKJ + C1 * RKJ * RK), provides=("rkj2",),
    quantifier="r -> 0; kappa_j = kappa*(1 - lambda_j/lambda); both sides divided by r",
    mutant=Mutant(sp.Le(ER, U0R * RKJ2 + C1 * RKJ2 * RK),
                  "kappa_j = kappa*(2 - lambda_j/lambda) (catalog E03 mutation (iii))"),
    display=("|u_R(T_1)|/r", ER, "bound/r", U0R * RKJ + C1 * RKJ * RK),
    extra_hypotheses=[H_ALIGNED, H_HAS_R] + DATA_HYPOTHESES,
    notes="The R-neuron sits in the flat cap around e_3 where G = 0 under the smoothing too (every point is "
          "xi-regular there): lambda_j = 0, kappa_j = kappa*, and |u_j(T_1)| = sigma |u_0j| = |u_0j| r^{1 + kappa*} "
          "exactly; the bound's excess is the coupling term c_1 r^{1+2 kappa*}.",
    **T41_COMMON)

# =========================================================================== App. B.1.1-B.1.2 (the linearised system)


def _b1_instances(tier):
    return [Instance("D3A, xi = 0.01, designed init (alpha_0 = 30 deg)",
                     {"dataset": "D3A", "xi": 0.01, "init": "designed", "alpha0": 30.0}),
            Instance("D3A, xi = 0.02, designed init (alpha_0 = 20 deg)",
                     {"dataset": "D3A", "xi": 0.02, "init": "designed", "alpha0": 20.0})]


def _mono_instances(tier):
    seeds = (0,) if tier == "fast" else (0, 1, 2, 3)
    return [Instance(f"D3A, xi = 0.01, isotropic m = 16 (seed {s})",
                     {"dataset": "D3A", "xi": 0.01, "init": "isotropic", "m": 16, "seed": s}) for s in seeds] + [
        Instance("D3(0.92, 0.08, 0.05), xi = 0.05, isotropic m = 4 (seed 1), t <= 100",
                 {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.05, "init": "isotropic", "m": 4, "seed": 1, "T": 100.0})]


def _mono_measure(inst, point, precision):
    """Along (2) from the isotropic init (101 samples of t in [0, 200], rtol 1e-12, and 1e-9 for the error): the
    largest drop of s_j G(v^l_j(t)) below its running maximum (non-decreasing <=> 0) and the largest rise above its
    running minimum (the mutant's non-increasing <=> 0)."""
    out = {}
    for rtol in (1e-9, 1e-12):
        G = np.array(linear_path(inst.params, float(inst.params.get("T", 200.0)), 101, rtol)["G"])
        drop = np.max(np.maximum.accumulate(G, axis=0) - G)
        rise = np.max(G - np.minimum.accumulate(G, axis=0))
        out[rtol] = (float(drop), float(rise))
    (d1, r1), (d0, r0) = out[1e-12], out[1e-9]
    lam = constants(inst.params)["lam"]
    return Measurement(values={"drop": d1, "rise": r1}, errors={"drop": abs(d1 - d0) + 1e-16 * lam,
                                                                "rise": abs(r1 - r0) + 1e-16 * lam},
                       info={"lambda": lam})


DROP, RISE = sp.symbols("drop rise", nonnegative=True)
claims.add(
    "appendixB.1.monotone", "App. B.1.1: s_j G(r_j(t)) is non-decreasing along (5)-(6)", "App. B.1.1, l.1375-1396",
    "flow-inequality", statement=sp.Eq(DROP, 0), eq_atol=1e-12,
    latex_names={"drop": r"\max_{j,t}\,[\max_{t'\le t} s_jG(r_j(t')) - s_jG(r_j(t))]",
                 "rise": r"\max_{j,t}\,[s_jG(r_j(t)) - \min_{t'\le t} s_jG(r_j(t'))]"},
    symbols_doc={"drop": "largest decrease of s_j G along (2)", "rise": "largest increase (mutant: non-increasing)"},
    quantifier="all neurons, 101 times in [0, T] (T = 200)", instances=_mono_instances, measure=_mono_measure,
    extra_hypotheses=DATA_HYPOTHESES, data_instances=lambda ds: user_isotropic(ds, "linearised system (2)", m=16,
                                                                               T=200.0, runs=2),
    provides=("rise",), mutant=Mutant(sp.Eq(DROP + RISE, 0), "s_j G(r_j) constant along the flow (non-decreasing and "
                                                             "non-increasing)"),
    catalog_ref="E04 (a)", result="appendixB.1",
    notes="eq_atol = 1e-12 (1e-11 lambda): the integration accuracy of s_j G (rtol 1e-12).")


def _align_measure(inst, point, precision):
    """Along (2) from the designed init (151 samples of t in [0, 150]): ||v^l_j(t) - v^*_j|| for the prominent
    neurons, against c_0 e^{-lambda t} (t_{0,j} = 0) and the mutant's c_0 e^{-2 lambda t}; u^l_j e^{-lambda t} against
    u*_j exp(c_0 b_0 e^{-lambda t}/lambda) (B.1.2 (d)). Errors: rtol 1e-12 vs 1e-9."""
    p = inst.params
    L = linear_limit(p)
    C = proof_constants(p)
    P = np.flatnonzero(L["P"])
    vals = {}
    for rtol in (1e-9, 1e-12):
        path = linear_path(p, 150.0, 151, rtol)
        t = np.array(path["t"])
        D = np.array(path["dir"])[:, P, :]
        dist = np.linalg.norm(D - np.array(L["vstar"])[P][None], axis=2)
        ue = np.exp(np.array(path["log_abs_u"])[:, P] - C["lam"] * t[:, None])
        vals[rtol] = (dist, ue, t)
    dist, ue, t = vals[1e-12]
    ddist = np.abs(dist - vals[1e-9][0]) + 1e-15
    due = np.abs(ue - vals[1e-9][1]) + 1e-15 * ue
    ust = np.abs(np.array(L["ustar"])[P])
    T = np.repeat(t, len(P))
    J = np.tile(P, len(t))
    return Measurement(values={"dist": dist.ravel(), "c0": C["c0"], "lam": C["lam"], "t": T, "ue": ue.ravel(),
                               "us": np.tile(ust, len(t)), "b0": C["b0"]},
                       errors={"dist": ddist.ravel(), "c0": "rounding", "lam": "rounding", "t": 0, "ue": due.ravel(),
                               "us": 1e-12 * np.tile(ust, len(t)), "b0": "rounding"},
                       coords={"t": T.tolist(), "j": J.tolist()})


DIST, TT, UE = sp.symbols("dist t ue", nonnegative=True)
B1_NAMES = {"dist": r"\|\hat v^l_j(t) - \hat v^*_j\|", "c0": "c_0", "lam": r"\lambda", "t": "t",
            "ue": r"|u^l_j(t)| e^{-\lambda t}", "us": r"|u^*_j|", "b0": "b_0"}
claims.add(
    "appendixB.1.alignment", "App. B.1.2 (c): ||v̂ˡ_j(t) − v̂*_j|| ≤ c₀ e^{−λt}, t ≥ t₀", "App. B.1.2, l.2240-2270",
    "flow-inequality", statement=sp.Le(DIST, C0 * sp.exp(-LAM * TT)), latex_names=B1_NAMES,
    symbols_doc={"dist": "direction error of a prominent neuron of (2)", "c0": "max_j 2||v^l_j(t_0) - v^*_j|| "
                 "e^{lambda t_0} with t_0 = 0", "t": "time"},
    quantifier="prominent neurons, t in [0, 150]", instances=_b1_instances, measure=_align_measure,
    provides=("ue", "us", "b0"), extra_hypotheses=[H_ALIGNED] + DATA_HYPOTHESES,
    data_instances=lambda ds: user_aligned(ds, "linearised system (2)"),
    mutant=Mutant(sp.Le(DIST, C0 * sp.exp(-2 * LAM * TT)), "alignment rate e^{-2 lambda t} (catalog E04 mutation)"),
    catalog_ref="E04 (c)", result="appendixB.1", share=run_group("b1align"),
    notes="l.2265 prints ||v^l_j - v^_j||; read v^*_j (catalog F10).")

claims.add(
    "appendixB.1.sandwich", "App. B.1.2 (d): u^l_j e^{−λt} ≤ u*_j exp(c₀b₀e^{−λt}/λ)", "App. B.1.2, l.2280-2356",
    "flow-inequality", statement=sp.Le(UE, US * sp.exp(C0 * B0 * sp.exp(-LAM * TT) / LAM)), latex_names=B1_NAMES,
    symbols_doc={"ue": "|u^l_j(t)| e^{-lambda t}", "us": "|u*_j| = lim |u^l_j| e^{-lambda t} (t = 400)"},
    quantifier="prominent neurons, t in [0, 150]", instances=_b1_instances, measure=_align_measure,
    provides=("dist",), extra_hypotheses=[H_ALIGNED] + DATA_HYPOTHESES,
    data_instances=lambda ds: user_aligned(ds, "linearised system (2)"), mutant=Mutant(sp.Le(UE, US), "u^l_j e^{-lambda t} <= u*_j (the growth factor dropped)"),
    catalog_ref="E04 (d)", result="appendixB.1", share=run_group("b1align"),
    notes="b_0 = (1 + xi)/2 (Remark B.4's bound, a valid Lipschitz constant of G).")

# =========================================================================== Lemma B.1's use: the Lojasiewicz exponent


def _loj_instances(tier):
    return [Instance("D3A, xi = 0.01, near e_1 (tilts 0.3 ... 0.001 rad towards e_3 and e_2 + e_3)",
                     {"dataset": "D3A", "xi": 0.01}),
            Instance("D3(0.92, 0.08, 0.05), xi = 0.02, near e_1",
                     {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.02})]


def _loj_measure(inst, point, precision):
    """f = lambda - G(v) and ||P_v g(v)|| at unit v at angle alpha from the maximiser e_1 (two tilt directions):
    Lojasiewicz with exponent 1/2, ||grad f||^2 >= lambda f (G = lambda cos alpha in the regular region: ratio
    lambda (1 + cos alpha) -> 2 lambda, catalog E07)."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    lam = constants(p)["lam"]
    centre = np.array(p.get("centre", [1.0, 0.0, 0.0]))
    s = float(p.get("s", 1.0))
    W = p.get("tilts", [[0.0, 0.0, 1.0], [0.0, 1.0 / math.sqrt(2), 1.0 / math.sqrt(2)]])
    F, GN, A = [], [], []
    for w in np.array(W):
        for a in (0.3, 0.1, 0.03, 0.01, 0.003, 0.001):
            v = math.cos(a) * centre + math.sin(a) * w
            g = s * act.g(v[None], X, y)[0]
            F.append(lam - s * float(act.G(v[None], X, y)[0]))
            GN.append(float(np.linalg.norm(g - (g @ v) * v)))
            A.append(a)
    F, GN = np.array(F), np.array(GN)
    return Measurement(values={"f": F, "gn": GN, "lam": lam},
                       errors={"f": 1e-16 + 1e-15 * F, "gn": 1e-16 + 1e-15 * GN, "lam": 1e-16},
                       coords={"alpha": A})


def _loj_data(ds):
    """User data: near a global extremum v* of |G| (s = sign G(v*); the first argmax, else argmin), tilted towards
    two orthonormal directions orthogonal to v* (default_rng(seed))."""
    u = UserSettings(ds)
    p = {"X": np.asarray(ds.X).tolist(), "y": np.asarray(ds.y).tolist(), "xi": DATA_XI}
    ext = global_extrema(p)
    lam = ext["lam"]
    s = 1.0 if ext["max"] >= lam * (1 - 1e-9) else -1.0
    c = np.asarray((ext["argmax"] if s > 0 else ext["argmin"])[0])
    rng = np.random.default_rng(int(u.get("seed", 0)))
    Q, _ = np.linalg.qr(np.column_stack([c, rng.standard_normal((len(c), 2))]))
    w1, w2 = Q[:, 1], Q[:, 2] if len(c) > 2 else Q[:, 1]
    tilts = [w1.tolist(), ((w1 + w2) / np.linalg.norm(w1 + w2)).tolist()]
    return [u.instance(f"xi = {DATA_XI:g}, near the global extremum {np.round(c, 4).tolist()} of |G| (s = {s:+g})",
                       {"xi": DATA_XI, "centre": c.tolist(), "s": s, "tilts": tilts})]


FL, GNL = sp.symbols("f gn", nonnegative=True)
claims.add(
    "lemmaB.1.exponent", "Lemma B.1's use: Łojasiewicz inequality ||∇f|| ≥ √λ f^{1/2}, f = λ − G, near e₁",
    "App. B.1.1, l.1396-1414", "closed-form", statement=sp.Ge(GNL ** 2, LAM * FL),
    latex_names={"f": r"\lambda - G(r)", "gn": r"\|P_r g(r)\|", "lam": r"\lambda"},
    symbols_doc={"f": "lambda - G at a tilted direction", "gn": "tangent gradient norm"},
    quantifier="every tilt", hypotheses=SETTING[:3] + DATA_HYPOTHESES, instances=_loj_instances,
    measure=_loj_measure, data_instances=lambda ds: _loj_data(ds),
    mutant=Mutant(sp.Ge(GNL, LAM ** sp.Rational(3, 4) * FL ** sp.Rational(1, 4)), "exponent 1/4 (catalog E07)"),
    catalog_ref="E07", result="lemmaB.1")
