"""min2024 Appendix B: Lemma 2 (loss regularity, catalog E23), Remark 4 (E24), Lemma 3 (neuron norms and |f| before T,
E26), Lemma 4 (directional dynamics, E27), Lemma 1 formal (alpha-leaky, E25) and main-text (the O(eps n sqrt h)
scaling, E19), Lemma 10 (projected dynamics, E35).

Lemmas 1, 3, 4, 10 are checked along flows from init (3) on DS-A with the random init R-A (seed 0, h = 20; catalog
recipe; Lemma 10 and Lemma 1 main text also on the generic random 2-D instance, common.GENERIC_2D), eps = 1e-6, ReLU
and leaky alpha = 0.1, sampled at 200 times of [0, 6T], T = ln(1/(sqrt h eps))/(4 n X_max). Lemma 2 and Remark 4
are closed forms on a grid of yhat in [-1, 1] and on uniform random yhat (the generic instance).
The directional deviation d/dt w^_j - s_j P x_a(w_j) is O(|f|) ~ 1e-12 there, below the engine's ~1e-14 relative
imbalance times ||P x_a||; it is therefore evaluated on the balanced manifold v_j = s_j ||w_j|| (which the exact flow
keeps, Eq. (3); :func:`common.balanced_quantities`, no cancellation: -ell' - y = y expm1(-y f)) at the engine's states,
with the error estimate from the two tolerances.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (GENERIC_2D, HYP_EPS3, HYP_INIT, HYP_LABELS, HYP_LOSS, HYP_YHAT, LN10, YH, balanced_quantities,
                     generic_name, generic_params, inst_constants, log_eps_of, ra_params, run_for, state_arrays,
                     yhat_instances, yhat_points)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)
LEMMA_SETTING = [HYP_LABELS, HYP_INIT, HYP_LOSS, HYP_EPS3]
NSAMP = 200

# =========================================================================== Lemma 2 and Remark 4


def _loss_grid_instances(tier):
    return [Instance(f"{nm}, yhat in [-1, 1], y = +-1", {"loss": loss}) for nm, loss in
            (("exponential e^{-y yhat}", "exponential"), ("appendix logistic 2 ln(1 + e^{-y yhat})", "logistic2"))]


def _dev(loss, y, yh):
    """|-ell'(y, yhat) - y| per loss (closed forms; expm1 / tanh: no cancellation near yhat = 0)."""
    if loss == "exponential":
        return np.abs(y * np.expm1(-y * yh))
    if loss == "logistic2":
        return np.abs(np.tanh(y * yh / 2))
    if loss == "logistic":
        return np.abs(1 / (1 + np.exp(-y * yh)))
    if loss == "square_half":
        return np.abs(yh)
    if loss == "square":
        return np.abs(2 * yh - y)
    raise ValueError(loss)


def _lemma2_measure(inst, point, precision) -> Measurement:
    """dev = |-ell'(y, yhat) - y| and |yhat| on a 4001-point grid of [-1, 1] (yhat = 0 included), y = +-1."""
    loss = inst.params["loss"]
    dev, ay, lab = [], [], []
    for y in (1.0, -1.0):
        dev += _dev(loss, y, YH).tolist()
        ay += np.abs(YH).tolist()
        lab += [f"y={y:+g}, yhat={v:.4f}" for v in YH]
    return Measurement(values={"dev": dev, "ay": ay}, errors={"dev": "rounding"}, exact=("ay",),
                       coords={"at": lab}, info={"sup_ratio": float(max(d / a for d, a in zip(dev, ay) if a > 0))})


DEV, AY = sp.symbols("dev ay", nonnegative=True)
claims.add(
    "lemma2", "Lemma 2: |-d ell/d yhat - y| <= 2|yhat| for |yhat| <= 1", "App. B, l.1070-1097", "closed-form",
    catalog_ref="E23, F5", result="lemma2", hypotheses=[HYP_LOSS], statement=sp.Le(DEV, 2 * AY),
    measure=_lemma2_measure, instances=_loss_grid_instances,
    mutant=Mutant(sp.Le(DEV, sp.Rational(17, 10) * AY), "constant 2 -> 1.7 (exp: sup ratio e - 1 = 1.718)"),
    latex_names={"dev": r"|-\nabla_{\hat y}\ell(y,\hat y)-y|", "ay": r"|\hat y|"},
    symbols_doc={"dev": "|-ell'(y, yhat) - y|", "ay": "|yhat|"}, quantifier="y = +-1, yhat on a grid of [-1, 1]",
    notes="Sup ratio e - 1 = 1.718 (exponential, at yhat = -y) and 1/2 (2 ln(1 + e^{-z}), at yhat -> 0): info. The "
          "main-text logistic ln(1 + e^{-z}) fails at yhat = 0 (1/2 > 0): min2024.finding.F5.")


def _remark4_measure(inst, point, precision) -> Measurement:
    """For 1/2 (y - yhat)^2 (Remark 4): dev_half = |yhat|; for (y - yhat)^2 without the 1/2: dev_full = |2 yhat - y|,
    at the instance's (y, yhat) pairs (:func:`yhat_points`)."""
    y, yh = yhat_points(inst)
    return Measurement(values={"dev_half": _dev("square_half", y, yh).tolist(),
                               "dev_full": _dev("square", y, yh).tolist(), "ay": np.abs(yh).tolist()}, exact=True)


DEV_H, DEV_F = sp.symbols("dev_half dev_full", nonnegative=True)
claims.add(
    "remark4", "Remark 4: the square loss 1/2 (y - yhat)^2 satisfies Lemma 2", "App. B, l.1098-1103", "closed-form",
    catalog_ref="E24", result="remark4", hypotheses=[HYP_YHAT], statement=sp.Le(DEV_H, 2 * AY),
    measure=_remark4_measure, instances=lambda tier: yhat_instances("square loss, ", len(YH)), provides=("dev_full",),
    mutant=Mutant(sp.Le(DEV_F, 2 * AY), "(y - yhat)^2 without the 1/2 (-ell'(y, 0) = 2y: rejected at yhat = 0)"),
    latex_names={"dev_half": r"|y-\hat y-y|", "dev_full": r"|2(y-\hat y)-y|", "ay": r"|\hat y|"},
    symbols_doc={"dev_half": "|-ell' - y| for 1/2 (y - yhat)^2", "dev_full": "same for (y - yhat)^2"},
    notes="Lemma 2 implicitly needs the normalisation -ell'(y, 0) = y: the same issue as the logistic factor 2 (F5).")

# =========================================================================== flows for Lemmas 1, 3, 4, 10


def _ra_window(gamma=0.0, loss="exponential", name_extra="", generic=False):
    p = generic_params(**GENERIC_2D, loss=loss) if generic else ra_params(loss=loss)
    p["gamma"] = gamma
    C = inst_constants(Instance("tmp", p))
    le = math.log(1e-6)
    T6 = 6 * C.T(le)
    name = generic_name(GENERIC_2D) if generic else "DS-A + R-A (seed 0, h = 20)"
    return Instance(f"{name}, eps = 1e-6{name_extra}, t in [0, 6T]", {**p, "log_eps": le, "T": T6 + 0.05})


def _lemma_instances(tier):
    out = [_ra_window(), _ra_window(0.1, name_extra=", leaky alpha = 0.1")]
    if tier == "full":
        out.append(_ra_window(0.5, name_extra=", leaky alpha = 0.5"))
        out.append(_ra_window(loss="logistic2", name_extra=", 2 ln(1 + e^{-y yhat})"))
    return out


def _samples(inst, half=False):
    """Per sample time (200 in [0, 6T]) and both tolerances: the balanced quantities, max_j ||w_j||^2 and the window
    indicators t <= T, t <= 6T."""
    R = run_for(inst)
    C = inst_constants(inst)
    le = log_eps_of(inst)
    T = C.T(le)
    times = np.linspace(0.0, 6 * T, NSAMP)
    g = float(inst.params.get("gamma", 0.0))
    out = {}
    for which in ("tight", "loose"):
        rows = []
        for st in R.states(times, which):
            U, lnw = state_arrays(st)
            q = balanced_quantities(R.X, R.y, R.s, U, lnw, R.model.loss, g, half)
            # the same state read with the main-text logistic ln(1 + e^{-y yhat}) (catalog E25 mutation, F5)
            q["dev_ml"] = balanced_quantities(R.X, R.y, R.s, U, lnw, "logistic", g)["dev"]
            rows.append((q, float(np.max(np.exp(2 * lnw)))))
        out[which] = rows
    return R, C, le, T, times, out


def _bounds(C, le):
    eps = math.exp(le)
    return {"B3w": 2 * eps * C.Wmax ** 2 / math.sqrt(C.h), "B3f": 2 * eps * math.sqrt(C.h) * C.Xmax * C.Wmax ** 2,
            "B1": 4 * eps * C.n * math.sqrt(C.h) * C.Xmax ** 2 * C.Wmax ** 2}


def _lemma3_measure(inst, point, precision) -> Measurement:
    """max_j ||w_j(t)||^2 and max_i |f(x_i)| at 200 times of [0, 6T] (two tolerances), the bounds of (10), and the
    window indicators 1[t <= T], 1[t <= 6T]."""
    R, C, le, T, times, S = _samples(inst)
    n2 = np.array([r[1] for r in S["tight"]])
    n2l = np.array([r[1] for r in S["loose"]])
    fm = np.array([float(np.max(np.abs(r[0]["f"]))) for r in S["tight"]])
    fml = np.array([float(np.max(np.abs(r[0]["f"]))) for r in S["loose"]])
    b = _bounds(C, le)
    first_fail = {k: next((float(t / T) for t, v in zip(times, vals) if v > b[bk]), None)
                  for k, vals, bk in (("norm", n2, "B3w"), ("f", fm, "B3f"))}
    return Measurement(values={"n2": n2.tolist(), "fmax": fm.tolist(), "B3w": b["B3w"], "B3f": b["B3f"],
                               "in_T": (times <= T).astype(float).tolist(), "in_6T": [1.0] * len(times)},
                       errors={"n2": (np.abs(n2 - n2l) + 1e-14 * n2).tolist(),
                               "fmax": (np.abs(fm - fml) + 1e-14 * fm).tolist(), "B3w": "rounding", "B3f": "rounding"},
                       exact=("in_T", "in_6T"), coords={"t": times.tolist(), "t/T": (times / T).tolist()},
                       info={"T": T, "growth_at_T": float(n2[np.searchsorted(times, T) - 1] / n2[0]),
                             "first_failure_in_units_of_T": first_fail})


N2, FMAX, B3W, B3F, IN_T, IN_6T = sp.symbols("n2 fmax B3w B3f in_T in_6T", nonnegative=True)
LEMMA3_NAMES = {"n2": r"\max_j\|w_j(t)\|^2", "fmax": r"\max_i|f(x_i;W,v)|", "B3w": r"\frac{2\epsilon W_{\max}^2}{\sqrt{h}}",
                "B3f": r"2\epsilon\sqrt{h}X_{\max}W_{\max}^2", "in_T": r"\mathbb{1}[t\le T]", "in_6T": r"\mathbb{1}[t\le 6T]"}
claims.add(
    "lemma3.norm", "Lemma 3 (10): max_j ||w_j(t)||^2 <= 2 eps W_max^2/sqrt(h) for t <= T", "App. B.1, l.1171",
    "flow-inequality", catalog_ref="E26", result="lemma3", hypotheses=LEMMA_SETTING,
    statement=sp.Le(N2 * IN_T, B3W), measure=_lemma3_measure, instances=_lemma_instances, share=f"{KEY}.lemma3",
    provides=("in_6T",), mutant=Mutant(sp.Le(N2 * IN_6T, B3W), "holds on [0, 6T] (catalog E26: fails at 4.42 T)"),
    latex_names=LEMMA3_NAMES, symbols_doc={"n2": "max_j ||w_j||^2", "B3w": "2 eps W_max^2/sqrt h",
                                           "in_T": "1[t <= T]", "in_6T": "1 (all samples, t <= 6T)"},
    quantifier="200 times t in [0, 6T] (the statement is about t <= T)")
claims.add(
    "lemma3.output", "Lemma 3 (10): max_i |f(x_i)| <= 2 eps sqrt(h) X_max W_max^2 for t <= T", "App. B.1, l.1171",
    "flow-inequality", catalog_ref="E26", result="lemma3", hypotheses=LEMMA_SETTING,
    statement=sp.Le(FMAX * IN_T, B3F), measure=_lemma3_measure, instances=_lemma_instances, share=f"{KEY}.lemma3",
    provides=("in_6T",), mutant=Mutant(sp.Le(FMAX * IN_6T, B3F), "holds on [0, 6T] (catalog E26: fails at 5.13 T)"),
    latex_names=LEMMA3_NAMES, symbols_doc={"fmax": "max_i |f(x_i)|", "B3f": "2 eps sqrt(h) X_max W_max^2"},
    quantifier="200 times t in [0, 6T]")


def _dev_measure(inst, point, precision, half=False) -> Measurement:
    """Per (t, j): e = ||d/dt w^_j - s_j P x_a(w_j)|| (balanced manifold, two tolerances), max_i |f|, the bounds of
    Lemma 4 (2 n X_max max|f|) and Lemma 1 (4 eps n sqrt h X_max^2 W_max^2), window indicators."""
    R, C, le, T, times, S = _samples(inst, half)
    e, el, fm, tt, jj, eml = [], [], [], [], [], []
    for (q, _), (ql, _), t in zip(S["tight"], S["loose"], times):
        e += np.linalg.norm(q["dev"], axis=1).tolist()
        eml += np.linalg.norm(q["dev_ml"], axis=1).tolist()
        el += np.linalg.norm(ql["dev"], axis=1).tolist()
        fm += [float(np.max(np.abs(q["f"])))] * R.h
        tt += [float(t)] * R.h
        jj += list(range(R.h))
    e, el, fm, tt = (np.array(v) for v in (e, el, fm, tt))
    b = _bounds(C, le)
    return Measurement(values={"e": e.tolist(), "fmax": fm.tolist(), "n": C.n, "X_max": C.Xmax, "B1": b["B1"],
                               "in_T": (tt <= T).astype(float).tolist(), "e_ml": eml},
                       errors={"e": (np.abs(e - el) + 1e-14 * e + 1e-300).tolist(), "fmax": (1e-12 * fm).tolist(),
                               "B1": "rounding", "X_max": "rounding", "e_ml": "rounding"},
                       exact=("n", "in_T"), coords={"t": tt.tolist(), "j": jj},
                       info={"T": T, "max_ratio_lemma4": float(np.max(e / np.maximum(2 * C.n * C.Xmax * fm, 1e-300))),
                             "max_ratio_lemma1_on_T": float(np.max((e * (tt <= T)) / b["B1"]))})


E_DEV, NN, XMAX, B1, E_ML = sp.symbols("e n X_max B1 e_ml", positive=True)
DEV_NAMES = {"e": r"\left\|\frac{d}{dt}\frac{w_j}{\|w_j\|}-\mathrm{sign}(v_j(0))P_{w_j}x_a(w_j)\right\|",
             "fmax": r"\max_i|f(x_i)|", "n": "n", "X_max": r"X_{\max}", "B1": r"4\epsilon n\sqrt{h}X_{\max}^2W_{\max}^2",
             "in_T": r"\mathbb{1}[t\le T]", "in_6T": r"\mathbb{1}[t\le 6T]"}
claims.add(
    "lemma4", "Lemma 4 (11): ||d/dt w^_j - s_j P x_a|| <= 2 n X_max max_i |f| whenever max|f| <= 1",
    "App. B.1, l.1208 (proof B.3)", "flow-inequality", catalog_ref="E27", result="lemma4",
    hypotheses=[HYP_LABELS, HYP_INIT, HYP_LOSS], statement=sp.Le(E_DEV, 2 * NN * XMAX * FMAX), measure=_dev_measure,
    instances=_lemma_instances, share=f"{KEY}.lemma3",
    mutant=Mutant(sp.Le(E_DEV, NN * XMAX * FMAX / 2), "constant 2 -> 1/2 (catalog E27: ratio 0.359 > 1/4)"),
    latex_names=DEV_NAMES, symbols_doc={"e": "directional deviation (balanced manifold)", "fmax": "max_i |f(x_i)|"},
    quantifier="every neuron j, 200 times in [0, 6T] (max|f| <= 1 throughout)",
    notes="Printed 'for all i in [n]' means for all j in [h] (F14). As f -> 0 the ratio tends to n_a/(2n) <= 1/2: "
          "the constant 2 could be 1 for small f (catalog E27).")
claims.add(
    "lemma1", "Lemma 1 (formal): ||d/dt w^_j - s_j P x_a|| <= 4 eps n sqrt(h) X_max^2 W_max^2 for t <= T",
    "App. B.1, l.1114 (Lemmas 3 + 4)", "flow-inequality", catalog_ref="E25", result="lemma1",
    hypotheses=LEMMA_SETTING, statement=sp.Le(E_DEV * IN_T, B1), measure=_dev_measure, instances=_lemma_instances,
    share=f"{KEY}.lemma3", provides=("e_ml",),
    mutant=Mutant(sp.Le(E_ML * IN_T, B1), "the main-text logistic ln(1 + e^{-y yhat}) at the same states (catalog E25 "
                                          "mutation: deviation ~ ||P x_a||/2 = O(1))"),
    latex_names={**DEV_NAMES, "e_ml": r"\|\cdot\|_{\ell=\log(1+e^{-y\hat y})}"},
    symbols_doc={"e": "directional deviation", "B1": "4 eps n sqrt h X_max^2 W_max^2",
                 "e_ml": "the deviation of the same state under the main-text logistic loss"},
    quantifier="every neuron j, 200 times in [0, 6T] (the statement is about t <= T)",
    notes="Catalog E25: ratio <= 6.7e-7 on [0, T] (info.max_ratio_lemma1_on_T). The bound is loose: on this run it "
          "holds at every time, also after the loss drop (max ratio 0.021 up to 12 T, measured), so no time-window "
          "mutant can fail; the near miss is the loss normalisation (F5: min2024.finding.F5.lemma1).")


def _lemma10_measure(inst, point, precision) -> Measurement:
    """Per (t, j, r): |<x_r, d/dt w^_j - s_j P x_a>| for the unit references x_r in {u_1..u_n, x_+^, x_-^} (Lemma 10's
    left side: (psi_ra - psi_rj psi_aj)||x_a|| = <x_r, P x_a>), with Lemma 4's bound."""
    R, C, le, T, times, S = _samples(inst)
    refs = [(f"u_{i + 1}", R.y[i] * R.X[i] / np.linalg.norm(R.X[i])) for i in range(R.n)]
    refs += [("x_+^", C.x_plus / np.linalg.norm(C.x_plus)), ("x_-^", C.x_minus / np.linalg.norm(C.x_minus))]
    e, el, fm, lab = [], [], [], []
    for (q, _), (ql, _), t in list(zip(S["tight"], S["loose"], times))[::4]:
        for nm, xr in refs:
            e += np.abs(q["dev"] @ xr).tolist()
            el += np.abs(ql["dev"] @ xr).tolist()
            fm += [float(np.max(np.abs(q["f"])))] * R.h
            lab += [f"t={t:.4f}, j={j}, x_r={nm}" for j in range(R.h)]
    e, el = np.array(e), np.array(el)
    return Measurement(values={"e": e.tolist(), "fmax": fm, "n": C.n, "X_max": C.Xmax},
                       errors={"e": (np.abs(e - el) + 1e-14 * e + 1e-300).tolist(),
                               "fmax": (1e-12 * np.array(fm)).tolist(), "X_max": "rounding"}, exact=("n",),
                       coords={"at": lab})


claims.add(
    "lemma10", "Lemma 10 (24): |d/dt psi_rj - s_j (psi_ra - psi_rj psi_aj)||x_a||| <= 2 n X_max max|f|",
    "App. C.1, l.2014", "flow-inequality", catalog_ref="E35", result="lemma10",
    hypotheses=[HYP_LABELS, HYP_INIT, HYP_LOSS], statement=sp.Le(E_DEV, 2 * NN * XMAX * FMAX),
    measure=_lemma10_measure, instances=lambda tier: _lemma_instances(tier)[:1] + [_ra_window(generic=True)],
    share=f"{KEY}.lemma3",
    mutant=Mutant(sp.Le(E_DEV, NN * XMAX * FMAX / 2), "constant 2 -> 1/2 (as Lemma 4)"),
    latex_names={**DEV_NAMES, "e": r"\left|\frac{d}{dt}\psi_{rj}-s_j(\psi_{ra}-\psi_{rj}\psi_{aj})\|x_a\|\right|"},
    symbols_doc={"e": "|<x_r, Lemma-4 deviation>|"}, quantifier="x_r in {u_i, x_+^, x_-^}, every j, 50 times of [0, 6T]",
    notes="Printed x_r in S^{n-1}: read S^{D-1} (F14); C.2 applies it to the non-unit x_i y_i and x_-, which rescales "
          "both sides by ||x_r||.")

# =========================================================================== Lemma 1 (main text): O(eps n sqrt h)

E19_GRID = {"fast": [-3, -5, -7, -9], "full": [-3, -4, -5, -6, -7, -8, -9, -10, -12]}
E19_GRID_GENERIC = {"fast": [-8], "full": [-3, -5, -7, -9, -12]}


def _e19_instances(tier):
    out = []
    for name, p, g in (("DS-A + R-A (seed 0, h = 20)", ra_params(), E19_GRID[tier]),
                       (generic_name(GENERIC_2D), generic_params(**GENERIC_2D), E19_GRID_GENERIC[tier])):
        out.append(Instance(f"{name}: max_{{t <= T, j}} deviation over an eps grid", p,
                            grid=[{"eps10": v} for v in g], grid_param="eps10", grid_symbol="ε", grid_log10=True,
                            asymptotic="small", description="local exponent of the deviation between eps and 10 eps"))
    return out


def _max_dev(inst, eps10):
    """max over 120 times of [0, T(eps)] and over j of the deviation, both tolerances."""
    le = eps10 * LN10
    C = inst_constants(inst)
    T = C.T(le)
    Rinst = Instance("tmp", {**inst.params, "log_eps": le, "T": T + 1e-9})
    R = run_for(Rinst)
    out = []
    for which in ("tight", "loose"):
        m = 0.0
        for st in R.states(np.linspace(0.0, T, 120), which):
            U, lnw = state_arrays(st)
            q = balanced_quantities(R.X, R.y, R.s, U, lnw, R.model.loss)
            m = max(m, float(np.max(np.linalg.norm(q["dev"], axis=1))))
        out.append(m)
    return out


def _e19_measure(inst, point, precision) -> Measurement:
    """p = ln(e(eps)/e(10 eps))/ln(1/10): the local exponent of e(eps) = max_{t <= T, j} deviation (e <= C eps^p)."""
    v = float(point["eps10"])
    (a, al), (b, bl) = _max_dev(inst, v), _max_dev(inst, v + 1)
    p = math.log(a / b) / -LN10
    pl = math.log(al / bl) / -LN10
    return Measurement(values={"p": p}, errors={"p": abs(p - pl) + 1e-9}, coords={"eps": f"1e{v:g}"},
                       info={"e_eps": a, "e_10eps": b})


P_EXP = sp.Symbol("p", real=True)
claims.add(
    "lemma1.main", "Lemma 1 (main text): the deviation is O(eps n sqrt h) for t <= T", "§3.3, l.545-568",
    "asymptotic", catalog_ref="E19", result="lemma1_main", hypotheses=[HYP_LABELS, HYP_INIT, HYP_LOSS],
    statement=sp.Ge(P_EXP, 1), measure=_e19_measure, instances=_e19_instances,
    mutant=Mutant(sp.Ge(P_EXP, 3), "O(eps^3) (exponent 1 -> 3)"),
    latex_names={"p": r"\frac{d\log\max_{t\le T,j}\|\cdot\|}{d\log\epsilon}"},
    symbols_doc={"p": "local exponent of the max deviation in eps"},
    notes="Catalog E19: local exponents 1.93, 1.66, 1.70 between 1e-2 and 1e-8 (reproduced: 1.95, 1.66, 1.69). Below "
          "1e-8 the exponent is 2.00 (measured to 1e-14): the maximum over [0, T] is reached at t ~ 1.34, before the "
          "non-dead neurons align (after alignment the deviation P_w sum x_k f_k is nearly along w and stays smaller), "
          "not at T; the catalog's asymptotic 2 - ||x_a||/(2 n X_max) = 1.75 ignores the projection. So the lemma's "
          "O(eps) is loose by about one power of eps here; the rejected near miss is O(eps^3). The deviation is "
          "evaluated without cancellation (expm1), so eps far below 1e-8 stays resolved.")
