"""boursier2022, appendix form of the first phase: Lemma 7 (phase +1, at t_{+1}), Lemma 8 (iii) (phase -1,
at t_{-1}), Lemma 9 (no collapse) and finding F-6 (Lemmas 7 (iii) / 8 (iii) print "= 0" for "<= 0").

Times (App. B.3, l.1080-1096, l.1542-1552): t_{+1} = -eps ln(lambda)/||D_+||, t_{-1} = -eps r ln(lambda)/||D_+||
= -eps ln(lambda)/||D_-|| (= Lemma 2's t_1). Lemma 8 (i)-(ii) are therefore Lemma 2 (iii)-(ii) at the same
time and are checked there (boursier2022.lemma2.iii / .ii); only 8 (iii) is new here.

One flow per (instance, lambda) at two tolerances (rtol 1e-10 and 1e-12), float64 in log-polar coordinates
(numerics.flows): the norms are carried as ln||w_j|| (exact far below float64 range) and the directions
bold w_j = w_j/||w_j|| are O(1), so every quantity here is resolved in float64 (no mpmath needed).
"""
from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Instance, Measurement, Mutant
from theory.papers import boursier2022 as B

LN10 = math.log(10.0)
CAT = B.CATALOG


def _get(inst, point, precision):
    """The shared phase-1 flow of Lemma 2 (boursier2022._phase1: one flow per (instance, lambda, precision)
    at two tolerances serves Lemmas 2, 7, 8 (iii) and 9)."""
    P = B._phase1(json.dumps(dict(inst.params), sort_keys=True), float(point["lam10"]), precision)
    lo, ti = P["runs"]
    lam = mpmath.exp(mpmath.mpf(P["log_lam"]))
    return P, lo, ti, lam


def _e(vt, vl, ti, precision, floor=0.0):
    u = B._ulp(precision)
    return (abs(vt - vl) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1) * abs(vt) + 4 * u * abs(vt)
            + floor)


def _info(P, ti):
    return {"t_+1": float(ti["tp"]), "t_-1 (= t_1)": float(ti["t1"]), "rtol": [r["rtol"] for r in P["runs"]],
            "nsteps": ti["nsteps"], "events": ti["events"], "S_plus": P["plus"], "S_minus": P["minus"],
            "c": P["c"], "c_low": P["c_low"], "r": P["r"]}


def _kw(tier):
    grid = [{"lam10": v} for v in (B.FAST_GRID if tier == "fast" else B.FULL_GRID)]
    return dict(grid=grid, grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small",
                description="balanced init (4), states at t_{+1} = -eps ln(lambda)/||D_+|| and t_{-1} = t_1")


def _instances(tier):
    """Lemma 2's instances (the same flows): DS-A and the rotated generic orthonormal instance."""
    return B._lemma2_instances(tier)


def _unrotated_generic(eps=0.05):
    """Generic orthonormal instance in the data basis (x_k = e_k in R^7, n = 5, random labels of both signs,
    seed 3, m = 60). Coordinates <w_j, x_k> are then state components, exactly 0 once they die (Lemma 6);
    in a rotated basis a dead coordinate is left at +-1e-15 by rounding, whose sign float64 cannot decide
    (the rotated instance makes Lemma 7 (iii) INCONCLUSIVE there, honestly, not HOLDS)."""
    from numerics.datasets import orthonormal_inputs

    ds = orthonormal_inputs(5, 7, seed=3, rotate=False)
    return {"dataset": "orthonormal(n=5, d=7, seed=3, data basis)", "X": ds.X.tolist(), "y": ds.y.tolist(),
            "m": 60, "seed": 3, "eps": eps, "gamma": 0.0, "loss": "square"}


def _coord_instances(tier):
    return [Instance("DS-A, eps = 0.05", B._ds_a_params(0.05), **_kw(tier)),
            Instance("generic orthonormal (n=5, d=7, data basis), eps = 0.05", _unrotated_generic(0.05),
                     **_kw(tier))]


# =========================================================================== Lemma 7 (i), (ii)

NW, A, C, LAM, EPS, DP, Z, RHO, CL = sp.symbols("nw A c lam eps Dp z rho c_low", positive=True)
Zr = sp.Symbol("z", real=True)
NAMES = {"nw": r"\|w_j^{t_{+1}}\|", "A": r"\langle \mathbf{w}_j^{t_{+1}}, D_+\rangle", "c": "c",
         "lam": r"\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|", "z": r"\langle w_j, x_k\rangle",
         "rho": r"\min_{t}\|w_j^t\|/\lambda", "c_low": r"\underline{c}"}
HYP = [B.H_A1, B.H_A2, B.H_A3, B.H_R, B.H_EPS, B.H_MODEL]
COMMON = dict(paper="boursier2022", kind="flow-inequality", latex_names=NAMES, hypotheses=HYP,
              share="boursier2022.lemma2")


def _l7i_measure(inst, point, precision) -> Measurement:
    """Lemma 7 (i): ||w_j^{t_{+1}}|| for every j, from ln||w_j|| (log-polar state)."""
    P, lo, ti, lam = _get(inst, point, precision)
    u = B._ulp(precision)
    nw, err = [], []
    for a, b in zip(ti["log_nw_tp"], lo["log_nw_tp"]):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        v = mpmath.exp(a)
        nw.append(v)
        err.append(v * (abs(a - b) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1) + 8 * u * abs(a)))
    return Measurement(values={"nw": nw, "c": P["c"], "lam": lam, "eps": mpmath.mpf(P["eps"])},
                       errors={"nw": err, "c": 4 * u * P["c"], "lam": 0, "eps": 0},
                       coords={"j": list(range(len(nw))), "t": float(ti["tp"])}, precision=precision or "float64",
                       info=_info(P, ti))


LEMMA7_I = Claim(
    id="boursier2022.lemma7.i", instances=_instances, label="Lemma 7 (i)", where="App. B.3, l.1080-1096",
    statement=sp.Le(NW, 2 * C * LAM ** (1 - EPS)),
    symbols_doc={"nw": "||w_j^{t_{+1}}||, every j", "c": "max_j ||g_j|| (w_j^0 = lambda g_j)", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j in [m], at t_{+1} = -eps ln(lambda)/||D_+||, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in[m],\ t_{+1} = -\varepsilon\ln(\lambda)/\|D_+\|",
    measure=_l7i_measure,
    display=("max ||w_j^{t_{+1}}||", NW, "2c lambda^(1-eps)", 2 * C * LAM ** (1 - EPS)),
    mutant=Mutant(sp.Le(NW, 2 * C * LAM ** (1 - EPS / 2)),
                  "2c lambda^(1 - eps/2): the S_{+,1} norms grow like lambda^(1-eps) by t_{+1}"),
    catalog=f"{CAT} L7 (i)", result="lemma2", **COMMON)


def _l7ii_measure(inst, point, precision) -> Measurement:
    """Lemma 7 (ii): <bold w_j^{t_{+1}}, D_+> for j in S_{+,1}."""
    P, lo, ti, lam = _get(inst, point, precision)
    return Measurement(values={"A": ti["A_tp"], "Dp": ti["nDp"], "lam": lam, "eps": mpmath.mpf(P["eps"])},
                       errors={"A": [_e(a, b, ti, precision) for a, b in zip(ti["A_tp"], lo["A_tp"])],
                               "Dp": 4 * B._ulp(precision) * float(ti["nDp"]), "lam": 0, "eps": 0},
                       coords={"j": P["plus"], "t": float(ti["tp"])}, precision=precision or "float64",
                       info=_info(P, ti))


LEMMA7_II = Claim(
    id="boursier2022.lemma7.ii", instances=_instances, label="Lemma 7 (ii)", where="App. B.3, l.1080-1096",
    statement=sp.Ge(A, (1 - 2 * LAM ** EPS) * DP),
    symbols_doc={"A": "<bold w_j^{t_{+1}}, D_+> for j in S_{+,1}", "Dp": "||D_+||", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j in S_{+,1}, at t_{+1}, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{+,1},\ t = t_{+1}",
    measure=_l7ii_measure,
    display=("gap ||D_+|| - <w_j, D_+>", DP - A, "2 lambda^eps ||D_+||", 2 * LAM ** EPS * DP),
    mutant=Mutant(sp.Ge(A, (1 - 2 * LAM ** (3 * EPS)) * DP),
                  "2 lambda^(3 eps) instead of 2 lambda^eps (the gap at t_{+1} decays like lambda^(2 eps))"),
    catalog=f"{CAT} L7 (ii)", result="lemma2", **COMMON)


# =========================================================================== Lemmas 7 (iii), 8 (iii): "<= 0"


def _coord_measure(side):
    def measure(inst, point, precision) -> Measurement:
        P, lo, ti, lam = _get(inst, point, precision)
        if not ti[f"z_{side}"]:
            raise ValueError(f"no (j, k) pair: S_{{{'+' if side == 'plus' else '-'},1}} or the opposite labels empty")
        X = np.asarray(inst.params["X"], float)
        U = np.abs(np.asarray(ti["U_tp" if side == "plus" else "U_t1"], float))
        z = [v for v, _ in ti[f"z_{side}"]]
        zl = [v for v, _ in lo[f"z_{side}"]]
        jk = [p for _, p in ti[f"z_{side}"]]
        # rounding bound of the d-term dot product, gamma_d sum_i |u_i x_ki| (exactly 0 when x_k = e_k)
        d = X.shape[1]
        fl = [(d + 2) * B._ulp(precision) * float(U[j] @ np.abs(X[k])) for j, k in jk]
        return Measurement(values={"z": z}, errors={"z": [_e(a, b, ti, precision, f) for a, b, f in zip(z, zl, fl)]},
                           coords={"j": [p[0] for p in jk], "k": [p[1] for p in jk],
                                   "t": float(ti["tp"] if side == "plus" else ti["t1"])},
                           precision=precision or "float64",
                           info={**_info(P, ti), "exact_zeros": int(sum(v == 0 for v in z)),
                                 "negative": int(sum(v < 0 for v in z)), "positive": int(sum(v > 0 for v in z))})
    measure.__doc__ = (f"<bold w_j, x_k> at t_{{{'+1' if side == 'plus' else '-1'}}} for j in "
                       f"S_{{{'+' if side == 'plus' else '-'},1}} and k with y_k {'<' if side == 'plus' else '>'} 0; "
                       "error: two tolerances + the d-term dot-product rounding bound (0 for x_k = e_k).")
    return measure


L78_NOTE = ("Printed '= 0'; the proofs' first lines (l.1097, l.1554) only give that coordinates which reach 0 stay "
            "0 (Lemma 6) while initially negative ones stay negative, so '<= 0' is checked (catalog F-6; the printed "
            "'= 0' is boursier2022.finding.F6). It holds from a threshold lambda down: before the last death time the "
            "coordinate is still positive (catalog DC-1 death times).")

def _coord_claim(lemma, side, where):
    """Lemma 7 (iii) (side "plus": S_{+,1}, y_k < 0, at t_{+1}) or Lemma 8 (iii) (side "minus": S_{-,1}, y_k > 0,
    at t_{-1}), read '<= 0' (F-6)."""
    S, sgn, t = ("S_{+,1}", "<", "t_{+1}") if side == "plus" else ("S_{-,1}", ">", "t_{-1}")
    return Claim(
        id=f"boursier2022.lemma{lemma}.iii", instances=_coord_instances, label=f"Lemma {lemma} (iii) (read '<= 0', F-6)",
        where=where, statement=sp.Le(Zr, 0), symbols_doc={"z": f"<bold w_j^{{{t}}}, x_k>, j in {S}, y_k {sgn} 0"},
        quantifier=f"for all j in {S} and k with y_k {sgn} 0, at {t}, for lambda <= lambda*",
        quantifier_latex=rf"\forall j\in {S},\ \forall k: y_k{sgn}0,\ t = {t}",
        measure=_coord_measure(side), display=("<w_j, x_k>", Zr, "0", sp.Integer(0)),
        mutant=Mutant(sp.Lt(Zr, 0), f"'< 0' strictly (catalog L{lemma} mutation): coordinates that died are exactly 0"),
        catalog=f"{CAT} L{lemma} (iii), F-6", result="lemma2", notes=L78_NOTE, **COMMON)


LEMMA7_III = _coord_claim(7, "plus", "App. B.3, l.1089-1091")
LEMMA8_III = _coord_claim(8, "minus", "App. B.3, l.1550-1552")


def _f6_instances(tier):
    """The instances of Lemma 7 (iii) (same flows, same worker group): the printed '= 0' is judged on them."""
    return _coord_instances(tier)


FINDING_F6 = Claim(
    id="boursier2022.finding.F6", instances=_f6_instances, label="Finding F-6: Lemma 7 (iii) as printed ('= 0')",
    where="App. B.3, l.1089-1091 (and Lemma 8 (iii), l.1550-1552)",
    statement=sp.Eq(Zr, 0),
    symbols_doc={"z": "<bold w_j^{t_{+1}}, x_k>, j in S_{+,1}, y_k < 0"},
    quantifier="for all j in S_{+,1} and k with y_k < 0, at t_{+1}",
    quantifier_latex=r"\forall j\in S_{+,1},\ \forall k: y_k<0",
    measure=_coord_measure("plus"),
    display=("<w_j, x_k>", Zr, "0", sp.Integer(0)),
    mutant=Mutant(sp.Ge(Zr, 0), "'>= 0' (coordinates on negative labels non-negative)"),
    catalog=f"{CAT} F-6", result="lemma2", tags=("finding",),
    notes="The printed equality fails: an S_{+,1} neuron whose initial coordinate on a negative-label input is "
          "negative keeps it negative (the flow never moves an inactive coordinate, Eq. (11)); the witness is "
          "the most negative one. The corrected '<= 0' is boursier2022.lemma7.iii.", **COMMON)

# =========================================================================== Lemma 9 (no collapse)


def _l9_measure(side):
    def measure(inst, point, precision) -> Measurement:
        P, lo, ti, lam = _get(inst, point, precision)
        u = B._ulp(precision)
        key = f"rho_{side}"
        js = P["plus"] if side == "plus" else P["minus"]
        if not js:
            raise ValueError("S_{+-,1} empty")
        rho = [mpmath.exp(mpmath.mpf(v)) for v in ti[key]]
        err = [r * (abs(mpmath.mpf(a) - mpmath.mpf(b)) + ti["rtol"] * (ti["nsteps"] + ti["events"] + 1)
                    + 8 * u * abs(mpmath.mpf(P["log_lam"])))
               for r, a, b in zip(rho, ti[key], lo[key])]
        ser = {"min_norm": {"x": ti["sample_t"], "y": {"log10 min_j ||w_j^t||/lambda": ti[f"sample_min_{side}"]},
                            "xlabel": "t",
                            "ylabel": "log10 min ||w_j^t||/lambda", "logy": False,
                            "hline": {"log10 c_low lambda^eps / 2": float(mpmath.log10(P["c_low"] * lam ** (
                                P["eps"] * (1 if side == "plus" else P["r"])) / 2))}}}
        return Measurement(values={"rho": rho, "c_low": P["c_low"], "lam": lam, "eps": mpmath.mpf(P["eps"]),
                                   "r": P["r"]},
                           errors={"rho": err, "c_low": 4 * u * P["c_low"], "lam": 0, "eps": 0, "r": 8 * u * P["r"]},
                           coords={"j": js}, precision=precision or "float64", info=_info(P, ti), series=ser)
    measure.__doc__ = (f"Lemma 9 ({'i' if side == 'plus' else 'ii'}): min over the sampled t <= t_{{{'+1' if side == 'plus' else '-1'}}} "
                       f"({B.N_TIME} times on [0, t_1]) of ||w_j^t||/lambda for j in S_{{{'+' if side == 'plus' else '-'},1}}.")
    return measure


R_ = sp.Symbol("r", positive=True)
L9_NOTE = ("c_low = min_j ||g_j|| (printed 'c', catalog reads an underlined c). The minimum over time is taken on "
           f"{B.N_TIME} sample times; the S_{{+-,1}} norms barely dip before they grow (catalog: 1.129 c_low on DS-A).")

LEMMA9_I = Claim(
    id="boursier2022.lemma9.i", instances=_instances, label="Lemma 9 (i) (no collapse of S_{+,1})", where="App. B.3, l.1795-1800",
    statement=sp.Gt(RHO, CL * LAM ** EPS / 2),
    symbols_doc={"rho": "min_{t <= t_{+1}} ||w_j^t||/lambda, j in S_{+,1}", "c_low": "min_j ||g_j||",
                 "lam": "lambda", "eps": "epsilon"},
    quantifier="for all t <= t_{+1} and j in S_{+,1}",
    quantifier_latex=r"\forall t\leq t_{+1},\ \forall j\in S_{+,1}",
    measure=_l9_measure("plus"), provides=("r",),
    display=("min_t ||w_j^t||/lambda", RHO, "c_low lambda^eps / 2", CL * LAM ** EPS / 2),
    mutant=Mutant(sp.Gt(RHO, 2 * CL), "||w_j^t|| > 2 c_low lambda (catalog L9 mutation; 1.129 < 2 on DS-A)"),
    catalog=f"{CAT} L9 (i)", result="lemma9", notes=L9_NOTE, **COMMON)

LEMMA9_II = Claim(
    id="boursier2022.lemma9.ii", instances=_instances, label="Lemma 9 (ii) (no collapse of S_{-,1})", where="App. B.3, l.1795-1800",
    statement=sp.Gt(RHO, CL * LAM ** (R_ * EPS) / 2),
    symbols_doc={"rho": "min_{t <= t_{-1}} ||w_j^t||/lambda, j in S_{-,1}", "c_low": "min_j ||g_j||",
                 "lam": "lambda", "eps": "epsilon", "r": "||D_+||/||D_-||"},
    quantifier="for all t <= t_{-1} and j in S_{-,1}",
    quantifier_latex=r"\forall t\leq t_{-1},\ \forall j\in S_{-,1}",
    measure=_l9_measure("minus"),
    display=("min_t ||w_j^t||/lambda", RHO, "c_low lambda^(r eps) / 2", CL * LAM ** (R_ * EPS) / 2),
    mutant=Mutant(sp.Gt(RHO, 2 * CL), "||w_j^t|| > 2 c_low lambda (catalog L9 mutation)"),
    catalog=f"{CAT} L9 (ii)", result="lemma9", notes=L9_NOTE, **COMMON)

CLAIMS_PHASE1 = [LEMMA7_I, LEMMA7_II, LEMMA7_III, LEMMA8_III, FINDING_F6, LEMMA9_I, LEMMA9_II]
