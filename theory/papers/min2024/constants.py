"""min2024 Eq. (26)-(29) and the choice of eps (App. C.2 l.2162-2243, §3.3 l.695-725, the remark on t_1 l.436-456):
finding F1 ((29) does not follow from (28) and Lemma 3: a factor 2), finding F2 (zeta := max{zeta_1, zeta_2} must be
the min), the identity T(eps_2) = t_1 (catalog E15), finding F19 (eps_2 "beats" eps_1 only for normalised W_0) and
finding F22 (Lemma 1/3's T can be non-positive under their hypothesis).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import (GENERIC_2D, HYP_A1, HYP_A2, HYP_EPS3, HYP_INIT, HYP_LABELS, arrays, constants,
                     data_params, dsb_params, generic_name, generic_params, ia8_params, init_angles, init_arrays,
                     init_params, inst_constants, ra_params)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)

# symbols of the proof's constants (all positive)
MU_, ZE, XI, XMIN, XMAX, WMAX, N_, H_ = sp.symbols("mu zeta xi X_min X_max W_max n h", positive=True)

# =========================================================================== F1: (28) + Lemma 3 => (29)?


def f1_ratio(corrected: bool = False):
    """sympy: Lemma 3's max|f| bound 2 eps sqrt(h) X_max W_max^2 at eps = (28)'s first branch, divided by (29)'s
    right side min{mu, zeta, xi} sqrt(mu) X_min/(4 n X_max); exactly 2 as printed, 1 with the 4 -> 8 correction."""
    m = sp.Min(MU_, ZE, XI)
    eps1 = m * sp.sqrt(MU_) * XMIN / ((8 if corrected else 4) * sp.sqrt(H_) * N_ * XMAX ** 2 * WMAX ** 2)
    lemma3 = 2 * eps1 * sp.sqrt(H_) * XMAX * WMAX ** 2
    rhs29 = m * sp.sqrt(MU_) * XMIN / (4 * N_ * XMAX)
    return sp.simplify(lemma3 / rhs29)


#: the constants of (28) on a (data, init): Assumption 1, Assumption 2 (zeta_2 > 0), labels and a non-zero init
CONSTANTS_SETTING = [HYP_LABELS, HYP_A1, HYP_A2, HYP_INIT]


def _f1_positive(inst):
    """The symbolic instance: every symbol of the ratio is declared positive (sympy); a numeric instance: the
    constants of its (data, init) are positive (Assumptions 1-2, non-zero init)."""
    if "X" not in inst.params:
        syms = f1_ratio(False).free_symbols | {MU_, ZE, XI, XMIN, XMAX, WMAX, N_, H_}
        bad = sorted(str(v) for v in syms if not v.is_positive)
        return not bad, "every symbol declared positive" if not bad else f"not declared positive: {bad}"
    C = inst_constants(inst)
    vals = {"mu": C.mu, "zeta": C.zeta, "xi": C.xi, "X_min": C.Xmin, "X_max": C.Xmax, "W_max": C.Wmax}
    bad = [k for k, v in vals.items() if not v > 0]
    return not bad, ", ".join(f"{k} = {v:.4g}" for k, v in vals.items()) + (f"; not positive: {bad}" if bad else "")


def _f1_measure(inst, point, precision) -> Measurement:
    """rho = (Lemma 3's bound at eps_1)/(29)'s bound, as printed and with F1's 4 -> 8: symbolically (sympy: a number for
    all positive parameter values) on the symbolic instance, numerically from the constants of (28) on a (data, init)
    instance (float64); the I-A8 numbers in info."""
    if "X" in inst.params:
        C = inst_constants(inst)
        rhs29 = min(C.mu, C.zeta, C.xi) * math.sqrt(C.mu) * C.Xmin / (4 * C.n * C.Xmax)
        r, rc = (2 * math.exp(le) * math.sqrt(C.h) * C.Xmax * C.Wmax ** 2 / rhs29
                 for le in (C.log_eps1, C.log_eps1_corrected))
        return Measurement(values={"rho": r, "rho_fixed": rc}, errors={"rho": "rounding", "rho_fixed": "rounding"},
                           info={"eps_1 printed": math.exp(C.log_eps1),
                                 "eps_1 corrected": math.exp(C.log_eps1_corrected), "rhs_29": rhs29})
    r, rc = f1_ratio(False), f1_ratio(True)
    if not (r.is_Number and rc.is_Number):
        raise RuntimeError(f"the ratio is not a constant: {r}, {rc}")
    p = ia8_params()
    C = constants(*arrays(p), *init_arrays(p))
    return Measurement(values={"rho": str(r), "rho_fixed": str(rc)}, exact=True,
                       info={"symbolic_ratio_printed": str(r), "symbolic_ratio_corrected": str(rc),
                             "I-A8 eps_1 printed": math.exp(C.log_eps1), "I-A8 eps_1 corrected":
                             math.exp(C.log_eps1_corrected),
                             "side claim (28) <= 1/(4 sqrt h X_max W_max^2) on I-A8":
                             C.log_eps28() <= -math.log(4 * 3 * C.Xmax * C.Wmax ** 2)})


RHO, RHO_F = sp.symbols("rho rho_fixed", positive=True)
claims.add(
    "finding.F1", "Finding F1: (29) does not follow from (28) and Lemma 3 (a factor 2)", "App. C.2, l.2192-2243",
    "closed-form", catalog_ref="F1, E37", result="constants", tags=("finding",),
    hypotheses=[Hypothesis("the constants of (28)-(29) are positive", _f1_positive, "App. C.2, l.2162-2192")],
    statement=sp.Le(RHO, 1), measure=_f1_measure, provides=("rho_fixed",),
    instances=lambda tier: [Instance("symbolic: all mu, zeta, xi, X_min, X_max, W_max, n, h > 0", {}),
                            Instance(f"{generic_name(GENERIC_2D)}: its constants of (28)",
                                     generic_params(**GENERIC_2D))],
    mutant=Mutant(sp.Le(4 * RHO / 7, 1), "near miss of the control: (28)'s first branch with 7 instead of 8 (the ratio "
                                        "is 8/k for the constant k, i.e. 4 rho/7 = 8/7); rejected where the control "
                                        "holds"),
    control=Mutant(sp.Eq(RHO_F, 1), "(28)'s first branch with 8 instead of 4 (I-A8: eps_1 = 0.0029 instead of 0.0058): "
                                    "Lemma 3's bound then equals (29)'s right side, so (29) follows (an equality: a "
                                    "numeric instance cannot resolve '<= 1' at 1 exactly)"),
    latex_names={"rho": r"\frac{2\epsilon_1\sqrt{h}X_{\max}W_{\max}^2}{\min\{\mu,\zeta,\xi\}\sqrt{\mu} X_{\min}/(4nX_{\max})}",
                 "rho_fixed": r"\rho\ (\text{4}\to\text{8 in (28)})"},
    symbols_doc={"rho": "Lemma 3's |f| bound at the printed eps_1 over (29)'s", "rho_fixed": "same with 8"},
    notes="With the printed (28), the C.2 steps '... >= mu^{3/2} X_min/2', '>= xi sqrt(mu) n_a X_min/2' and "
          "'<= -zeta sqrt(mu) X_min/2' only give >= 0 / <= 0 and Delta t would be infinite. The side claim (28) <= "
          "1/(4 sqrt h X_max W_max^2) holds since mu <= 1 (info).")

# =========================================================================== F2: zeta := max{zeta_1, zeta_2}


def _f2_params():
    W0, s = init_angles((0.0, 45.0, 225.0), (1.0, 1.0, -1.0))
    return {**data_params(datasets.ds_a()), **init_params(W0, s, "V_+ at 0, 45 deg, V_- at 225 deg (zeta_2 -> 1)")}


def _f2_generic_params(seed: int = 2, h: int = 6):
    """GENERIC_2D's data with a random init (default_rng(seed)) whose V_+ directions lie in {<w, x_-> < 0} and V_-
    directions in {<w, x_+> < 0} (zeta_2* = 1 > zeta_1*: the class where max and min differ)."""
    p = generic_params(**GENERIC_2D)
    X, y = arrays(p)
    xs = {1.0: -X[y < 0].sum(0), -1.0: -X[y > 0].sum(0)}  # the half-plane centres, away from x_{-s}
    rng = np.random.default_rng(seed)
    s = np.where(np.arange(h) % 2 == 0, 1.0, -1.0)
    ang = [math.atan2(xs[v][1], xs[v][0]) + rng.uniform(-0.45, 0.45) * math.pi for v in s]
    W0, _ = init_angles(np.degrees(ang), s)
    return {**p, **init_params(W0, s, f"random directions away from x_(-s_j) (seed {seed}, h = {h})")}


def _cap_margin(X, y, center, zeta, sign):
    """min over the two boundary points of the 2-D cap S^zeta_center of the membership margin in S_sign."""
    c = center / np.linalg.norm(center)
    rho = math.acos(math.sqrt(max(0.0, 1 - zeta)))
    perp = np.array([-c[1], c[0]])
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    return min(float(np.min(sign * U @ (math.cos(rho) * c + d * math.sin(rho) * perp))) for d in (1.0, -1.0))


def _f2_measure(inst, point, precision) -> Measurement:
    """Membership margin in S_- of the cap S^zeta_{x_-} used in C.2's Case 2, with zeta = max{zeta_1, zeta_2} (printed)
    and zeta = min{zeta_1, zeta_2}; zeta_1, zeta_2 at 99% of their sups (Lemma 8 and (26) allow any smaller value; at
    the sup the cap touches the boundary of S_-)."""
    C = inst_constants(inst)
    X, y = arrays(inst.params)
    z2 = 0.99 * C.zeta2
    z1 = 0.99 * C.zeta1
    zmax, zmin = max(z1, z2), min(z1, z2)
    return Measurement(values={"m_max": _cap_margin(X, y, C.x_minus, zmax, -1.0),
                               "m_min": _cap_margin(X, y, C.x_minus, zmin, -1.0)},
                       errors={"m_max": "rounding", "m_min": "rounding"},
                       info={"zeta1_sup": C.zeta1, "zeta2_sup": C.zeta2, "zeta1_used": z1, "zeta2_used": z2})


M_MAX, M_MIN = sp.symbols("m_max m_min", real=True)
claims.add(
    "finding.F2", "Finding F2: with zeta := max{zeta_1, zeta_2} the cap S^zeta_{x_-} is not inside S_-",
    "App. C.2, l.2178 (used l.2404-2455)", "closed-form", catalog_ref="F2, E37, E39", result="constants",
    hypotheses=CONSTANTS_SETTING, tags=("finding",), statement=sp.Gt(M_MAX, 0), measure=_f2_measure,
    provides=("m_min",),
    instances=lambda tier: [Instance("DS-A, V_+ at 0 and 45 deg, V_- at 225 deg (zeta_2 > zeta_1)", _f2_params()),
                            Instance("generic: mu-separated (n_+ = n_- = 2, d = 2, seed 2), random init away from "
                                     "x_(-s_j) (zeta_2 = 1 > zeta_1)", _f2_generic_params())],
    mutant=Mutant(sp.Gt(M_MAX, -1), "margin > -1"),
    control=Mutant(sp.Gt(M_MIN, 0), "zeta := min{zeta_1, zeta_2}: Lemma 8's cap, inside S_-"),
    latex_names={"m_max": r"\min_{z\in\partial\mathcal{S}^{\max\{\zeta_1,\zeta_2\}}_{x_-}}m_{\mathcal{S}_-}(z)",
                 "m_min": r"\min_{z\in\partial\mathcal{S}^{\min\{\zeta_1,\zeta_2\}}_{x_-}}m_{\mathcal{S}_-}(z)"},
    symbols_doc={"m_max": "S_- membership margin of the printed cap", "m_min": "same with min"},
    notes="Case 2 needs x_a(w_j) = -x_- on the cap boundary (cap inside S_-, zeta <= zeta_1, Lemma 8) and w_j(0) outside "
          "the cap (zeta <= zeta_2, (26)): zeta = min{zeta_1, zeta_2}. On I-A8 both give min{zeta, xi} = xi = 9/25.")

# =========================================================================== E15: T(eps_2) = t_1


def _e15_instances(tier):
    return [Instance("DS-A + I-A8", ia8_params()), Instance("DS-A + R-A (seed 0, h = 20)", ra_params()),
            Instance("DS-B + random init (seed 0, h = 30)", dsb_params())]


def _e15_measure(inst, point, precision) -> Measurement:
    """ln eps solving T(eps) = t_1 (Lemma 3's T = ln(1/(sqrt h eps))/(4 n X_max)), the same with T's constant halved
    (1/(2 n X_max)), and (28)'s second branch ln eps_2 = -ln sqrt h - 64 n X_max log n/(min{zeta, xi} sqrt(mu) X_min)."""
    C = inst_constants(inst)
    le = -0.5 * math.log(C.h) - 4 * C.n * C.Xmax * C.t1
    le_half = -0.5 * math.log(C.h) - 2 * C.n * C.Xmax * C.t1
    return Measurement(values={"le_T": le, "le_half": le_half, "le_2": C.log_eps2},
                       errors={"le_T": "rounding", "le_half": "rounding", "le_2": "rounding"},
                       info={"t1": C.t1, "eps2_log10": C.log_eps2 / math.log(10)})


LE_T, LE_HALF, LE_2 = sp.symbols("le_T le_half le_2", real=True)
claims.add(
    "remark.t1_vs_T", "Remark (importance of t_1): eps = O(e^{-n t_1}/sqrt h) makes t_1 <= T; T(eps_2) = t_1 exactly",
    "§3.1, l.436-456; (28) l.2192", "closed-form", catalog_ref="E15", result="remarks_theorem1",
    hypotheses=CONSTANTS_SETTING,
    statement=sp.Eq(LE_T, LE_2), measure=_e15_measure, instances=_e15_instances, provides=("le_half",),
    mutant=Mutant(sp.Eq(LE_HALF, LE_2), "T = ln(1/(sqrt h eps))/(2 n X_max) (exponent 64 -> 32)"),
    latex_names={"le_T": r"\log\epsilon:\ T(\epsilon)=t_1", "le_half": r"\log\epsilon:\ 2T(\epsilon)=t_1",
                 "le_2": r"\log\epsilon_2"},
    symbols_doc={"le_T": "ln eps with T(eps) = t_1", "le_2": "ln of (28)'s second branch"},
    notes="I-A8: ln eps_2 = -1273.772976 (eps_2 = 10^-553.19); R-A: -10670; DS-B: -357175 (zeta_2 = 0.0073): finding "
          "F4's hidden dependence on the init through zeta_2.")

# =========================================================================== F19: eps_2 beats eps_1?


def _f19_instances(tier):
    p = ia8_params()
    big = {**p, "log_W_scale": 700.0, "init": "I-A8 directions, ||[W_0]_j|| = e^700"}
    g = generic_params(**GENERIC_2D)
    gbig = {**g, "log_W_scale": 1000.0, "init": g["init"] + ", scaled by e^1000"}
    return [Instance("DS-A + I-A8 (W_max = 1)", p), Instance("DS-A + I-A8 scaled: W_max = e^700", big),
            Instance(f"{generic_name(GENERIC_2D)} scaled by e^1000", gbig)]


def _f19_measure(inst, point, precision) -> Measurement:
    """ln eps_1 (printed (28)) and ln eps_2, and ln eps_1 for W_0 normalised to W_max = 1 (Remark 3: eps is the
    init scale relative to W_0)."""
    C = inst_constants(inst)  # W_0 as stored (unit columns); a scale e^s is applied in logs (W_max^2 overflows)
    lw = math.log(C.Wmax) + float(inst.params.get("log_W_scale", 0.0))
    le1 = C.log_eps1 + 2 * math.log(C.Wmax) - 2 * lw
    return Measurement(values={"le_1": le1, "le_2": C.log_eps2, "le_1n": le1 + 2 * lw},
                       errors={"le_1": "rounding", "le_2": "rounding", "le_1n": "rounding"},
                       info={"ln_W_max": lw})


LE_1, LE_1N = sp.symbols("le_1 le_1n", real=True)
claims.add(
    "finding.F19", "Finding F19: 'eps_2 beats eps_1' (Theorem 1 states only eps_2) is not uniform in W_0",
    "§3.3, l.720-725; Theorem 1 l.355", "closed-form", catalog_ref="F19, E22", result="sketch",
    hypotheses=CONSTANTS_SETTING, tags=("finding",), statement=sp.Le(LE_2, LE_1), measure=_f19_measure,
    instances=_f19_instances, provides=("le_1n",),
    mutant=Mutant(sp.Le(LE_2, LE_1N - 1280), "near miss of the control: the comparison kept up to W_max^2 = e^{1280} "
                                             "(I-A8 keeps it up to e^{1268.6}); rejected where the control holds"),
    control=Mutant(sp.Le(LE_2, LE_1N), "the branches compared for W_0 normalised to W_max = 1"),
    latex_names={"le_1": r"\log\epsilon_1", "le_2": r"\log\epsilon_2", "le_1n": r"\log\epsilon_1|_{W_{\max}=1}"},
    symbols_doc={"le_1": "ln of (28)'s first branch", "le_2": "ln of the second", "le_1n": "the first at W_max = 1"},
    notes="eps_1 ~ 1/W_max^2 while eps_2 does not depend on W_max: for W_max^2 > e^{1268} (I-A8) the theorem's eps_2 "
          "does not imply (28). Remark 3 reads eps relative to W_0; with W_max = 1 the claim holds.")

# =========================================================================== F22: T <= 0 is allowed


def _f22_instance(name, p):
    """The init rescaled to X_max W_max^2 = 0.1 and eps at 90% of the largest eps Lemma 3 allows."""
    C = constants(*arrays(p), *init_arrays(p))
    W0, s = init_arrays(p)
    W0 = W0 * math.sqrt(0.1 / (C.Xmax * C.Wmax ** 2))
    eps = 0.9 / (4 * math.sqrt(len(s)) * 0.1)
    return Instance(f"{name} with X_max W_max^2 = 0.1, eps = 0.9/(4 sqrt h X_max W_max^2) = {eps:.4g}",
                    {**p, "W0": W0.tolist(), "log_eps": math.log(eps)})


def _f22_instances(tier):
    return [_f22_instance("DS-A + I-A8", ia8_params()), _f22_instance(generic_name(GENERIC_2D),
                                                                     generic_params(**GENERIC_2D))]


def _f22_measure(inst, point, precision) -> Measurement:
    C = inst_constants(inst)
    le = float(inst.params["log_eps"])
    return Measurement(values={"T": C.T(le), "XW2": C.Xmax * C.Wmax ** 2, "nX": C.n * C.Xmax},
                       errors={"T": "rounding", "XW2": "rounding", "nX": "rounding"},
                       info={"sqrt_h_eps": math.sqrt(C.h) * math.exp(le)})


T_ = sp.Symbol("T", real=True)
XW2, NX = sp.symbols("XW2 nX", positive=True)
claims.add(
    "finding.F22", "Finding F22: under eps <= 1/(4 sqrt h X_max W_max^2), Lemma 1/3's T can be <= 0", "App. B.1, l.1114",
    "closed-form", catalog_ref="F22, E25", result="lemma3", hypotheses=[HYP_LABELS, HYP_INIT, HYP_EPS3],
    tags=("finding",), statement=sp.Gt(T_, 0), measure=_f22_measure, instances=_f22_instances, provides=("XW2", "nX"),
    mutant=Mutant(sp.Ge(T_, sp.log(5 * XW2) / (4 * NX)), "near miss of the control: constant 4 -> 5 (the instances "
                                                          "sit at 90% of the hypothesis' bound, 4/0.9 < 5); rejected "
                                                          "where the control holds"),
    control=Mutant(sp.Ge(T_, sp.log(4 * XW2) / (4 * NX)), "what the hypothesis gives: sqrt(h) eps <= 1/(4 X_max "
                                                          "W_max^2), i.e. T >= log(4 X_max W_max^2)/(4 n X_max) (> 0 "
                                                          "only when X_max W_max^2 > 1/4)"),
    latex_names={"T": r"T=\frac{1}{4nX_{\max}}\log\frac{1}{\sqrt{h}\epsilon}", "XW2": r"X_{\max}W_{\max}^2",
                 "nX": r"nX_{\max}"},
    symbols_doc={"T": "Lemma 1/3's T", "XW2": "X_max W_max^2", "nX": "n X_max"},
    notes="The lemmas are then vacuous, not wrong (catalog F22).")
