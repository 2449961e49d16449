"""boursier2022 Lemma 4 (i), (iii), (iv) (third phase, §4.2, l.711-732; Lemma 11, App. B.5) on the measured t_2, t_3.

t_2, t_3 are the hitting times of Lemma 3 (ii) / Lemma 4 (ii) (sum_{S_{+-,1}} ||w_j||^2 reaching n||D_+-|| minus
lambda^{eps/5}, lambda^{eps/29}), read off the cached long runs of boursier2022.lemma3.time / lemma4.time
(theory.papers._boursier2022_more._phase_times), at two tolerances.

* (i)   for j in S_{-,1}: <bold w_j^{t_3}, -D_-> >= ||D_-|| - lambda^{eps/14};
* (iii) for j in S_{+,1}: ||w_j^{t_2} - w_j^{t_3}|| <= lambda^{eps/15} (main text only; not in Lemma 11, F-16);
* (iv)  for j outside S_{+,1} ∪ S_{-,1}: ||w_j^{t_3}|| <= 3c lambda^eps.

The t_3 level is non-vacuous only if lambda^{eps/29} < ||y_-|| (catalog §1.5): on DS-A with an admissible eps
(0.02) that means lambda < 1e-340, so the fast tier uses DS-C (eps = 0.14) and a generic orthonormal instance with
||y_-|| > 1 (non-vacuous at every lambda), and the full tier adds the catalog's literal runs, DS-A at eps = 0.02,
lambda = 1e-400 and 1e-900 (catalog: t_3 = 6302.08 and 14209.03), and the generic n = 5 instance at 1e-400.
"""
from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Instance, Measurement, Mutant
from theory.papers import _boursier2022_more as M
from theory.papers import boursier2022 as B

CAT = B.CATALOG
F64 = ("float64",)
LN10 = math.log(10.0)


def _generic4(eps=0.025):
    """Orthonormal x_k = e_k in R^5 (n = 4), y = (2, 1.5, -1, -0.7): ||y_-|| = 1.22 > 1, so the t_3 level
    n||D_-|| - lambda^{eps/29} is positive for every lambda < 1; corrected eps_max = 0.0268; m = 30, seed 4."""
    return {"dataset": "orthonormal(n=4, d=5), y = (2, 1.5, -1, -0.7)", "X": np.eye(4, 5).tolist(),
            "y": [2.0, 1.5, -1.0, -0.7], "m": 30, "seed": 4, "eps": eps, "gamma": 0.0, "loss": "square"}


def _instances(tier):
    fast = [-8, -16, -32]
    desc = "t_2, t_3 = measured hitting times (Lemmas 3 (ii), 4 (ii)); non-vacuous t_3 level at every lambda"
    out = [Instance("DS-C, eps = 0.14", M._ds_c_params(0.14), **M._grid_kw(fast, desc)),
           Instance("generic orthonormal (n=4, d=5), eps = 0.025", _generic4(0.025), **M._grid_kw(fast, desc))]
    if tier == "full":
        lit = "catalog literal mode: eps = 0.02, t_3 level non-vacuous below lambda = 1e-340"
        out += [Instance("DS-A, eps = 0.02 (literal)", B._ds_a_params(0.02), **M._grid_kw([-400, -900], lit)),
                Instance("generic orthonormal (n=5, d=6), eps = 0.02 (literal)", M._generic_params(0.02),
                         **M._grid_kw([-400], lit))]
    return out


@lru_cache(maxsize=32)
def _phase3(core: str, lam10: float, eps: float) -> dict:
    """The Lemma 4 quantities at the measured t_2, t_3 of both tolerance runs."""
    q, X, y, dp, dm, nDp, nDm = M._geom(core)
    kp = M._kappa(core)
    P = M._phase_times(core, lam10, eps)
    plus, minus = kp["plus"], kp["minus"]
    m = len(kp["s"])
    others = [j for j in range(m) if j not in plus and j not in minus]
    out = {"vacuous": P["vacuous3"], "c": kp["c"], "plus": plus, "minus": minus, "others": others}
    for name, rt in (("tight", M.RT_TIGHT), ("loose", M.RT_LOOSE)):
        t2, t3 = P[name]["t2"], P[name]["t3"]
        if t2 is None or t3 is None:
            raise RuntimeError("t_2 or t_3 not reached before the horizon")
        tr = M._run(core, lam10, rt)
        s2, s3 = tr.at(t2), tr.at(t3)
        U3 = np.asarray(s3.u(), float)
        ln3 = np.asarray(s3.log_norm_w(), float)
        W2, W3 = np.asarray(s2.W(), float), np.asarray(s3.W(), float)
        a3 = np.asarray(s3.a(), float)
        U2 = np.asarray(s2.u(), float)
        h3 = np.asarray(s3.output(tr.model), float)
        Dp3 = -((h3 - y) * (y > 0)) @ X / len(y)   # D_+^t of l.975-991 at t_3
        out[name] = {"t2": t2, "t3": t3, "nsteps": tr.nsteps + len(tr.events),
                     "A2": [float(U2[j] @ dp) for j in plus], "Dp_t3": float(np.linalg.norm(Dp3)),
                     "dist_star": M._dist(a3, W3, kp["a"], kp["W"]), "dist_eq": M._dist(a3, W3, kp["a_eq"], kp["W_eq"]),
                     "B": [float(U3[j] @ (-dm)) for j in minus],
                     "move": [float(np.linalg.norm(W2[j] - W3[j])) for j in plus],
                     "log_nw_others": [float(ln3[j]) for j in others]}
    return out


def _common(inst, point):
    core = M._core(inst.params)
    lam10 = float(point["lam10"])
    eps = float(inst.params["eps"])
    return core, lam10, eps, _phase3(core, lam10, eps), mpmath.power(10, mpmath.mpf(lam10))


def _info(P, eps, lam10):
    t = P["tight"]
    return {"t2": t["t2"], "t3": t["t3"], "vacuous_t3_level": P["vacuous"], "S_plus": P["plus"], "S_minus": P["minus"],
            "eps": eps, "lambda": f"1e{lam10:g}"}


def _err(a, b, t):
    return abs(a - b) + M.RT_TIGHT * (t["nsteps"] + 1) * abs(a) + 1e-15


def _listed(inst, point, key, sym, js=None, t_key=None, extra=None):
    """Measurement of the per-neuron list ``key`` of :func:`_phase3` (both tolerances) as symbol ``sym``, with
    lambda, eps and the constant symbols of ``extra`` ({symbol: function of the geometry})."""
    core, lam10, eps, P, lam = _common(inst, point)
    t, lo = P["tight"], P["loose"]
    geo = M._geom(core)
    vals = {sym: t[key], "lam": lam, "eps": mpmath.mpf(eps)}
    errs = {sym: [_err(a, b, t) for a, b in zip(t[key], lo[key])] if isinstance(t[key], list)
            else _err(t[key], lo[key], t), "lam": 0, "eps": 0}
    for name, fn in (extra or {}).items():
        vals[name], errs[name] = fn(geo), 1e-15
    coords = {}
    if js is not None:
        coords["j"] = P[js]
    if t_key is not None:
        coords["t"] = t[t_key]
    return Measurement(values=vals, errors=errs, coords=coords, precision="float64", info=_info(P, eps, lam10))


def _i_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (i): <bold w_j^{t_3}, -D_-> for j in S_{-,1}, with ||D_-||."""
    return _listed(inst, point, "B", "B", "minus", "t3", {"Dm": lambda g: g[6]})


def _iii_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (iii): ||w_j^{t_2} - w_j^{t_3}|| for j in S_{+,1}."""
    return _listed(inst, point, "move", "mv", "plus")


def _iv_measure(inst, point, precision) -> Measurement:
    """Lemma 4 (iv): ||w_j^{t_3}|| off S_{+,1} ∪ S_{-,1} (from ln||w_j||, exact far below float64), with c."""
    core, lam10, eps, P, lam = _common(inst, point)
    t, lo = P["tight"], P["loose"]
    if not P["others"]:
        raise ValueError("every neuron is in S_{+,1} ∪ S_{-,1}")
    v = [mpmath.exp(mpmath.mpf(a)) for a in t["log_nw_others"]]
    e = [x * (abs(a - b) + M.RT_TIGHT * (t["nsteps"] + 1) + 1e-13 * abs(a))
         for x, a, b in zip(v, t["log_nw_others"], lo["log_nw_others"])]
    return Measurement(values={"nw": v, "c": P["c"], "lam": lam, "eps": mpmath.mpf(eps)},
                       errors={"nw": e, "c": 1e-15, "lam": 0, "eps": 0}, coords={"j": P["others"]},
                       precision="float64", info=_info(P, eps, lam10))


Bq, DMq, LAM, EPS, MV, NW, C = sp.symbols("B Dm lam eps mv nw c", positive=True)
NAMES = {"B": r"\langle\mathbf{w}_j^{t_3}, -D_-\rangle", "Dm": r"\|D_-\|", "lam": r"\lambda", "eps": r"\varepsilon",
         "mv": r"\|w_j^{t_2}-w_j^{t_3}\|", "nw": r"\|w_j^{t_3}\|", "c": "c"}
COMMON = dict(paper="boursier2022", kind="flow-inequality", latex_names=NAMES, hypotheses=M.HYP_EPS,
              instances=_instances, result="lemma4", share="boursier2022.longrun", ladder=F64)

LEMMA4_I = Claim(
    id="boursier2022.lemma4.i", label="Lemma 4 (i) (S_{-,1} aligned with -D_- at t_3)",
    where="§4.2, l.711-732 (= Lemma 11 (iii))", statement=sp.Ge(Bq, DMq - LAM ** (EPS / 14)),
    symbols_doc={"B": "<bold w_j^{t_3}, -D_-> for j in S_{-,1}", "Dm": "||D_-||", "lam": "lambda", "eps": "epsilon"},
    quantifier="for all j in S_{-,1}, at the measured t_3, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{-,1}", measure=_i_measure,
    mutant=Mutant(sp.Ge(Bq, DMq + LAM ** (EPS / 14)), "sign of the correction flipped (alignment beyond ||D_-||: "
                                                        "impossible by Cauchy-Schwarz)"),
    display=("gap ||D_-|| - <w_j, -D_->", DMq - Bq, "lambda^(eps/14)", LAM ** (EPS / 14)),
    catalog=f"{CAT} L4/L11 (i)", **COMMON)

LEMMA4_III = Claim(
    id="boursier2022.lemma4.iii", label="Lemma 4 (iii) (S_{+,1} neurons barely move in phase 3)",
    where="§4.2, l.711-732 (main text only; F-16)", statement=sp.Le(MV, LAM ** (EPS / 15)),
    symbols_doc={"mv": "||w_j^{t_2} - w_j^{t_3}|| for j in S_{+,1}", "lam": "lambda", "eps": "epsilon"},
    quantifier="for all j in S_{+,1}, for lambda <= lambda*", quantifier_latex=r"\forall j\in S_{+,1}",
    measure=_iii_measure,
    mutant=Mutant(sp.Le(MV, LAM ** EPS), "lambda^eps (exponent 15x larger): the S_{+,1} neurons do move by O(lambda^{"
                                         "small})"),
    display=("max ||w^{t_2} - w^{t_3}||", MV, "lambda^(eps/15)", LAM ** (EPS / 15)),
    catalog=f"{CAT} L4 (iii), F-16, IC-10", **COMMON)

LEMMA4_IV = Claim(
    id="boursier2022.lemma4.iv", label="Lemma 4 (iv) (other neurons stay small at t_3)",
    where="§4.2, l.711-732 (= Lemma 11 (ii))", statement=sp.Le(NW, 3 * C * LAM ** EPS),
    symbols_doc={"nw": "||w_j^{t_3}||, j outside S_{+,1} ∪ S_{-,1}", "c": "max_j ||g_j||", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="for all j outside S_{+,1} ∪ S_{-,1}, for lambda <= lambda*",
    quantifier_latex=r"\forall j\notin S_{+,1}\cup S_{-,1}", measure=_iv_measure,
    mutant=Mutant(sp.Le(NW, 3 * C * LAM ** 1), "3c lambda (no growth at all): the partial neurons do grow"),
    display=("max others ||w^{t_3}||", NW, "3c lambda^eps", 3 * C * LAM ** EPS),
    catalog=f"{CAT} L4/L11 (iv)", **COMMON)



def _l12_measure(inst, point, precision) -> Measurement:
    """Lemma 12: ||theta^{t_3} - theta*|| with theta* the lambda-free DC-2 interpolator (kappa-weighted), and the
    distance to the equal-split min-norm interpolator (mutant)."""
    m = _listed(inst, point, "dist_star", "dist")
    m2 = _listed(inst, point, "dist_eq", "dist_eq")
    m.values["dist_eq"], m.errors["dist_eq"] = m2.values["dist_eq"], m2.errors["dist_eq"]
    return m


DIST, DISTEQ = sp.symbols("dist dist_eq", positive=True)

LEMMA12 = Claim(
    id="boursier2022.lemma12", label="Lemma 12 (||theta^{t_3} - theta*|| <= lambda^{eps/31})",
    where="App. B.6, l.3568-3573", statement=sp.Le(DIST, LAM ** (EPS / 31)),
    symbols_doc={"dist": "||theta^{t_3} - theta*||, theta* = DC-2 (lambda-independent, in argmin ||theta||^2)",
                 "dist_eq": "distance to the equal-split min-norm interpolator", "lam": "lambda", "eps": "epsilon"},
    quantifier="at the measured t_3, for lambda <= lambda*", quantifier_latex=r"\|\theta^{t_3}-\theta^*\| \le "
                                                                               r"\lambda^{\varepsilon/31}",
    measure=_l12_measure, provides=("dist_eq",),
    mutant=Mutant(sp.Le(DISTEQ, LAM ** (EPS / 31)), "the equal-split interpolator in place of theta* (also a min-norm "
                                                   "interpolator, ignores kappa; catalog L12 mutation)"),
    display=("||theta^{t_3} - theta*||", DIST, "lambda^(eps/31)", LAM ** (EPS / 31)),
    catalog=f"{CAT} L12 (b)", **{**COMMON, "result": "lemma12"},
    notes="Literal bound: on DS-A with eps = 0.02 only non-vacuous below 1e-850 (catalog: 0.2486 <= 0.2626 at "
          "1e-900, full tier); the fast tier uses instances whose t_3 level is non-vacuous at every lambda.")



def _l3i_measure(inst, point, precision) -> Measurement:
    """Lemma 3 (i): <bold w_j^{t_2}, D_+> for j in S_{+,1}, with ||D_+||."""
    return _listed(inst, point, "A2", "A", "plus", "t2", {"Dp": lambda g: g[5]})


def _l11iv_measure(inst, point, precision) -> Measurement:
    """Lemma 11 (iv): ||D_+^{t_3}||, D_+^t = -(1/n) sum_{y_k > 0} (h(x_k) - y_k) x_k (l.975-991)."""
    return _listed(inst, point, "Dp_t3", "Dpt")


Aq, DPq, DPT = sp.symbols("A Dp Dpt", positive=True)

LEMMA3_I = Claim(
    id="boursier2022.lemma3.i", label="Lemma 3 (i) (S_{+,1} aligned with D_+ at t_2)",
    where="§4.2, l.655-674 (= Lemma 10 (iii))", statement=sp.Ge(Aq, DPq - LAM ** (EPS / 2)),
    symbols_doc={"A": "<bold w_j^{t_2}, D_+> for j in S_{+,1}", "Dp": "||D_+||", "lam": "lambda", "eps": "epsilon"},
    quantifier="for all j in S_{+,1}, at the measured t_2, for lambda <= lambda*",
    quantifier_latex=r"\forall j\in S_{+,1}", measure=_l3i_measure,
    mutant=Mutant(sp.Ge(Aq, DPq + LAM ** (EPS / 2)), "sign of the correction flipped (beyond ||D_+||: impossible "
                                                        "by Cauchy-Schwarz)"),
    display=("gap ||D_+|| - <w_j, D_+>", DPq - Aq, "lambda^(eps/2)", LAM ** (EPS / 2)),
    catalog=f"{CAT} L3/L10 (i)", **{**COMMON, "result": "lemma3",
                                   "latex_names": {**NAMES, "A": r"\langle\mathbf{w}_j^{t_2}, D_+\rangle",
                                                   "Dp": r"\|D_+\|"}})

LEMMA11_IV = Claim(
    id="boursier2022.lemma11.iv", label="Lemma 11 (iv) (||D_+^{t_3}|| < lambda^{eps/14})",
    where="App. B.5, l.2757-2772 (not in the main-text Lemma 4, F-16)", statement=sp.Lt(DPT, LAM ** (EPS / 14)),
    symbols_doc={"Dpt": "||D_+^{t_3}||, the positive-label residual correlation at t_3", "lam": "lambda",
                 "eps": "epsilon"},
    quantifier="at the measured t_3, for lambda <= lambda*", quantifier_latex=r"\|D_+^{t_3}\| < \lambda^{\varepsilon/14}",
    measure=_l11iv_measure,
    mutant=Mutant(sp.Ge(DPT, LAM ** (EPS / 14) / 2), "reversed: the positive labels are not yet fitted at t_3 "
                                                     "(||D_+^{t_3}|| >= lambda^{eps/14}/2)"),
    display=("||D_+^{t_3}||", DPT, "lambda^(eps/14)", LAM ** (EPS / 14)),
    catalog=f"{CAT} L4/L11 (iv), F-16", **{**COMMON, "latex_names": {**NAMES, "Dpt": r"\|D_+^{t_3}\|"}})

CLAIMS_PHASE3 = [LEMMA3_I, LEMMA4_I, LEMMA4_III, LEMMA4_IV, LEMMA11_IV, LEMMA12]
