"""tsoy2024 §5.4.1 and App. D.3: the four-neuron network. Lemma D.1 (the features stay in span{e_1, e_2}),
Proposition D.2 (the features never tilt beyond arcsin(delta + xi); on D2B the exact flow slides along the kink where
the far cluster's point deactivates, sin alpha = p_2/||x|| = 0.005025: catalog pitfall P1), Proposition 5.7 (perfect
accuracy with margin 4.67): its numerical chain in high precision and a direct simulation, and the margin bounds used in
its proof (D.3).

Flows with xi = 0 run through the kink-aware engine (Filippov sliding); gradient descent follows §5.4.2's schedule.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import DATA_KEYS, XOR_SETTING, activation, arrays, declared, four_flow, four_gd, run_group, xor_delta
from .datasets import DATA_HYPOTHESES, DATA_XI, UserSettings, tilt
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=XOR_SETTING)

# =========================================================================== Prop. 5.7: the numerical chain


def chain(dps: int, b=None):
    """The constants of App. D.3 (l.4585-4872) at ``dps`` digits: A, B, C, h(Y(T)), the lower bound of h(X(T)),
    x(T) = sqrt(h^{-1}(31.52)/(1 - 2a)) and the margin (1 - 2a)(9/4)^2 - 4 q^2 a; h(x) = ln x + C (Ei(x) - Ei(1))."""
    with mpmath.workdps(dps):
        a, bb, c, q = mpmath.mpf("0.01"), mpmath.mpf(b or "0.001"), mpmath.mpf(1000), mpmath.mpf(8) / 3
        A = ((1 - 2 * a) * mpmath.exp(-7 * q * q * a) - 4 * a) / 2
        B = (1 + a) / 2
        C = mpmath.exp(-4 * q * q * a)
        h = lambda x: mpmath.log(x) + C * (mpmath.ei(x) - mpmath.ei(1))
        YT = (1 - 2 * a) * q * q
        t1 = A / B * h(YT)
        t2 = (B - A) / B * (1 + C * mpmath.e) * mpmath.log((1 - 2 * a) * bb * bb)
        t3 = -(1 + C * mpmath.exp((1 - 2 * a) / 4)) * mpmath.log(c * c)
        lower = t1 + t2 + t3
        X = mpmath.findroot(lambda x: h(x) - mpmath.mpf("31.52"), 5)
        xT = mpmath.sqrt(X / (1 - 2 * a))
        margin = (1 - 2 * a) * mpmath.mpf(9) / 4 * mpmath.mpf(9) / 4 - 4 * q * q * a
        return {"A": A, "B": B, "C": C, "hYT": h(YT), "terms": (t1, t2, t3), "lower": lower, "xT": xT,
                "margin": margin, "h(9/4)": h((1 - 2 * a) * mpmath.mpf(81) / 16)}


def _chain_instances(tier):
    return [Instance("App. D.3 constants: a = 0.01, b = 0.001, c = 1000, q = 8/3", {"b": "0.001"}),
            Instance("the same at 60 digits (error: the change from 50)", {"b": "0.001", "dps": 60})]


def _chain_measure(inst, point, precision):
    """The three links of the chain at 40 digits (error: change from 30 digits): h(X(T)) >= 31.528 >= 31.52,
    x(T) >= 2.2696 >= 9/4, margin 4.6768 > 4.67; the mutant thresholds 31.6, 2.3, 4.7."""
    dps = int(inst.params.get("dps", 40))
    hi, lo = chain(dps, inst.params["b"]), chain(dps - 10, inst.params["b"])
    vals = [hi["lower"], hi["xT"], hi["margin"]]
    errs = [abs(hi["lower"] - lo["lower"]), abs(hi["xT"] - lo["xT"]), abs(hi["margin"] - lo["margin"])]
    note = chain(40, "0.0005")
    return Measurement(values={"val": vals, "thr": [mpmath.mpf("31.52"), mpmath.mpf(9) / 4, mpmath.mpf("4.67")],
                               "thr_m": [mpmath.mpf("31.6"), mpmath.mpf("2.3"), mpmath.mpf("4.7")]},
                       errors={"val": [e + mpmath.mpf(10) ** -35 for e in errs], "thr": 0, "thr_m": 0},
                       coords={"link": ["h(X(T)) lower bound", "x(T)", "margin at T"]}, precision=40,
                       info={"A": float(hi["A"]), "B": float(hi["B"]), "C": float(hi["C"]), "A/B": float(hi["A"] / hi["B"]),
                             "h(Y(T))": float(hi["hYT"]), "terms": [float(t) for t in hi["terms"]],
                             "h((1-2a)(9/4)^2)": float(hi["h(9/4)"]),
                             "authors' notebook (b = 0.0005): lower bound": float(note["lower"])})


VAL, THR, THR_M = sp.symbols("val thr thr_m", real=True)
claims.add(
    "prop5.7.chain", "Proposition 5.7 proof: h(X(T)) ≥ 31.52 ⇒ x(T) ≥ 9/4 ⇒ margin > 4.67", "App. D.3, l.4585-4872",
    "closed-form", statement=sp.Gt(VAL, THR),
    latex_names={"val": r"\text{link value}", "thr": r"\text{printed threshold}", "thr_m": r"\text{mutant threshold}"},
    symbols_doc={"val": "31.528 (h(X(T)) lower bound), 2.2696 (x(T)), 4.6768 (margin)", "thr": "31.52, 9/4, 4.67"},
    quantifier="every link of the chain", instances=_chain_instances, measure=_chain_measure, provides=("thr_m",),
    hypotheses=[declared("App. D.3's constants (a = 0.01 >= delta + xi, b, c from the ratio <= 1000, q = 8/3)",
                         "the proof's values", "l.4585-4600")],
    mutant=Mutant(sp.Gt(VAL, THR_M), "thresholds 31.6, 2.3, 4.7 (catalog E25 mutations)"), ladder=(40,),
    catalog_ref="E25 (Recipe 1)", result="prop5.7",
    notes="The authors' notebook (code-prop-5-7.ipynb) checks bound(a=0.01, bmin=0.0005, ...) in float64: it uses b = "
          "0.0005 where the proof has b = 0.001 (lower bound 29.63 instead of 31.528) and compares it with h at 9/4 "
          "(29.56); both versions imply x(T) >= 9/4.")

# =========================================================================== Prop. 5.7: direct simulation


def _four_data(ds):
    """User data: the 4-neuron ReLU flow (xi = 0, as the paper's experiments) from the admissible aligned init
    (0.4, -0.04, 4e-4, -4e-3) on +e_1, +e_2, -e_1, -e_2 (the proofs' indexing, F5), t in [0, T] (T = 1000: the
    proof's T ~ 400 on D2B), 1001 samples."""
    u = UserSettings(ds)
    T = float(u.get("T", 1000.0))
    return [u.instance(f"xi = 0, flow from the admissible init (0.4, -0.04, 4e-4, -4e-3), t <= {T:g}",
                       {"xi": 0.0, "scales": [0.4, -0.04, 4e-4, -4e-3], "t_end": T, "n": 1001, "run": "flow"},
                       cost=f"cost: n = {len(ds.y)}, m = 4, t in [0, {T:g}], 2 kink-aware flows")]


#: a generic XOR set in R^2 with delta + xi <= 0.01 (Prop. 5.7's condition): the authors' gen_sym_data construction
XOR2 = {"dataset": "xor-random", "ds_n": 16, "d": 2, "mu": 0.995, "delta": 0.004, "sigma": 0.002, "ds_seed": 3, "xi": 0.0}


def _flow_instances(tier):
    n = 1001 if tier == "fast" else 4001
    out = [Instance("D2B (ReLU), admissible init (0.4, -0.04, 4e-4, -4e-3)",
                    {"dataset": "D2B", "xi": 0.0, "scales": [0.4, -0.04, 4e-4, -4e-3], "t_end": 1000.0, "n": n}),
           Instance("random XOR clusters in R^2 (n = 16, mu = 0.995, delta = 0.004, seed 3; ReLU), admissible init "
                    "(0.2, -0.03, 2e-3, -3e-4), t <= 600", {**XOR2, "scales": [0.2, -0.03, 2e-3, -3e-4],
                                                              "t_end": 600.0, "n": 601})]
    if tier == "full":
        out.append(Instance("D3B, xi = 0.001, admissible init (0.3, -0.01, 3e-3, -3e-4)",
                            {"dataset": "D3B", "xi": 0.001, "scales": [0.3, -0.01, 3e-3, -3e-4], "t_end": 1000.0,
                             "n": n}))
    return out


def _prop57_hyp(inst):
    u = np.abs(np.array(inst.params["scales"]))
    ok = u.max() / u.min() <= 1000 and 0.001 < u.max() < 0.5 and xor_delta(inst.params) + float(inst.params["xi"]) <= 0.01
    return ok, (f"max/min |u(0)| = {u.max() / u.min():g}, max |u(0)| = {u.max():g}, delta + xi = "
                f"{xor_delta(inst.params) + float(inst.params['xi']):.6g}; implicit (F11): aligned, balanced, one neuron "
                "per cluster with signs (+, -, +, -)")


H_PROP57 = Hypothesis("Prop. 5.7 conditions (ratio <= 1000, max |u(0)| in (0.001, 0.5), delta + xi <= 0.01)",
                      _prop57_hyp, "l.965-968")


def _run(p, rtol):
    q = {k: p[k] for k in (*DATA_KEYS, "xi", "scales", "indexing") if k in p and k != "n"}   # shared across claims
    return four_flow(q, float(p["t_end"]), int(p["n"]), rtol)


def _prop57_measure(inst, point, precision):
    """The flow of the 4-neuron net (rtol 1e-10; error: change at 1e-8): min_i y_i f at T = inf{t: max_k |u_k| >= 8/3}
    (the proof's time) and at T' = inf{t: max_k |u_k| >= 2} (the catalog's mutant), on the sampling grid."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    out = []
    for rtol in (1e-8, 1e-10):
        r = _run(p, rtol)
        U = np.abs(np.array(r["u"]))
        res = {}
        for key, q in (("T", 8 / 3), ("Tp", 2.0)):
            hit = U.max(axis=1) >= q
            if hit.any():
                k = int(np.argmax(hit))
            else:       # the proof's T beyond the run (user data, short T): the best sampled margin, for "exists T^0"
                k = int(np.argmax([np.min(y * act.forward(np.array(uu), np.array(VV), X))
                                   for uu, VV in zip(r["u"], r["V"])]))
            u, V = np.array(r["u"][k]), np.array(r["V"][k])
            res[key] = (float(np.min(y * act.forward(u, V, X))), r["t"][k], float(U[k].min()), bool(hit.any()))
        out.append(res)
    (hi, lo) = out[1], out[0]
    return Measurement(values={"margin": hi["T"][0]}, errors={"margin": abs(hi["T"][0] - lo["T"][0]) + 1e-12},
                       coords={"t": hi["T"][1]},
                       info={"T": hi["T"][1], "min_k |u_k(T)|": hi["T"][2], "T'": hi["Tp"][1],
                             "T reached in the run (else: the best sampled time)": hi["T"][3],
                             "margin at T' = inf{max |u_k| >= 2} (catalog E25 mutant)": hi["Tp"][0]})


MARGIN = sp.Symbol("margin", real=True)
claims.add(
    "prop5.7", "Proposition 5.7: ∃T⁰, f(θᵉ(T⁰), x_i) y_i > 4.67 for all i", "§5.4.1, l.965-970; App. D.3",
    "flow-inequality", statement=sp.Gt(MARGIN, sp.Rational(467, 100)),
    latex_names={"margin": r"\min_i y_if(\theta^e(T), x_i)"},
    symbols_doc={"margin": "smallest margin at T = inf{max |u_k| >= 8/3}"},
    quantifier="at T (the proof's time)", extra_hypotheses=[H_PROP57] + DATA_HYPOTHESES, instances=_flow_instances,
    measure=_prop57_measure, data_instances=_four_data,
    mutant=Mutant(sp.Gt(MARGIN, 7), "the constant 4.67 raised to 7 (the flow's margin at T is 6.83; the catalog's "
                  "other mutant, margin > 4.67 at T' = inf{max|u| >= 2}, is in info)"),
    catalog_ref="E25 (Recipe 2), F11", result="prop5.7", share=run_group("four_flow"),
    notes="Catalog: T ~ 401, min |u(T)| = 2.62, margin 6.83 on D2B (the proof's 4.67 has slack 2.2).")

# --------------------------------------------------------------------------- F11: the unstated hypotheses


def _f11_instances(tier):
    return [Instance("D2B (ReLU), admissible scales (0.4, -0.04, 4e-4, -4e-3): §5.4.2's printed directions vs aligned",
                     {"dataset": "D2B", "xi": 0.0, "scales": [0.4, -0.04, 4e-4, -4e-3], "t_end": 1000.0,
                      "n": 1001}),
            Instance("random XOR clusters in R^2 (n = 16, seed 3; ReLU), scales (0.2, -0.03, 2e-3, -3e-4): printed vs "
                     "aligned", {**XOR2, "scales": [0.2, -0.03, 2e-3, -3e-4], "t_end": 600.0, "n": 601})]


def _best_margin(r, X, y, act):
    return max(float(np.min(y * act.forward(np.array(u), np.array(V), X))) for u, V in zip(r["u"], r["V"]))


def _f11_measure(inst, point, precision):
    """Prop. 5.7 with its printed conditions only (ratio <= 1000, max |u(0)| in (0.001, 0.5), delta + xi <= 0.01) at
    an init that meets them but starts every neuron where s_k G = -lambda (§5.4.2's printed v^e_k(0) = u^e_k(0)
    e_{a(k)+1}, finding F5): the best margin min_i y_i f over the run's samples (t <= 200: the directions are
    stationary there and every |u_k| decays, so the margin never grows); the same scales aligned
    (the proofs' unstated hypotheses: aligned, balanced, one neuron per cluster, signs + - + -): the margin at the
    proof's T. Flows rtol 1e-10 (error: change at 1e-8)."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    # printed init: every neuron sits on a stationary direction where s_k G = -lambda and decays: t <= 200 shows it
    q = {**p, "indexing": "printed", "t_end": min(200.0, float(p["t_end"])), "n": 201}
    pr = [_best_margin(_run(q, rt), X, y, act) for rt in (1e-8, 1e-10)]
    al = []
    for rt in (1e-8, 1e-10):
        r = _run(p, rt)
        U = np.abs(np.array(r["u"]))
        k = int(np.argmax(U.max(axis=1) >= 8 / 3))
        al.append(float(np.min(y * act.forward(np.array(r["u"][k]), np.array(r["V"][k]), X))))
    return Measurement(values={"m_printed": pr[1], "m_aligned": al[1]},
                       errors={"m_printed": abs(pr[1] - pr[0]) + 1e-12, "m_aligned": abs(al[1] - al[0]) + 1e-12},
                       info={"printed init v_k(0)": "0.4 e_2, -0.04 e_1, 4e-4 e_2, -4e-3 e_1 (s_k G = -lambda each)"})


MPR, MAL = sp.symbols("m_printed m_aligned", real=True)
claims.add(
    "finding.F11", "Finding F11: Prop. 5.7 under its printed conditions only (ratio, max |u(0)|, δ + ξ)",
    "§5.4.1, l.965-970; App. D.3", "flow-inequality", statement=sp.Gt(MPR, sp.Rational(467, 100)),
    latex_names={"m_printed": r"\max_{t}\min_i y_if(\theta^e(t),x_i)\ (\text{printed init})",
                 "m_aligned": r"\min_i y_if(\theta^e(T),x_i)\ (\text{aligned})"},
    symbols_doc={"m_printed": "best margin along the run from the printed §5.4.2 directions",
                 "m_aligned": "margin at the proof's T from the aligned init"},
    quantifier="exists T^0 (the best sampled time)", instances=_f11_instances, measure=_f11_measure,
    mutant=Mutant(sp.Gt(MPR, 1), "a margin of 1 at some time"),
    control=Mutant(sp.Gt(MAL, sp.Rational(467, 100)), "with the proofs' unstated hypotheses (aligned, balanced, one "
                   "neuron per cluster with signs + - + -): margin > 4.67 at T (catalog F11)"),
    catalog_ref="E25, F11, F5", result="prop5.7", tags=("finding",), share=run_group("four_flow"),
    notes="The printed conditions constrain the scales only; Theorem 4.4's theta^{eps,*} is aligned, which Prop. 5.7 "
          "uses (D.2's |sin alpha_k(0)| <= delta + xi) without stating it. Conversely Fig. 1's init (max |u(0)| = "
          "1e-4, outside (0.001, 0.5)) reaches the conclusion (tsoy2024.propD.2's GD run; catalog E25).")

# --------------------------------------------------------------------------- F12: the signed angle of Prop. D.2


def _f12_instances(tier):
    return [Instance("the four cluster directions, both indexings (exact integers)", {}),
            Instance("the same maps acting on R^3 (R_r = diag(1, 1, -1) fixes the plane)", {"d": 3})]


def _f12_measure(inst, point, precision):
    """|| R_1^{floor((k-1)/2)} P^{a(k)} d_k - e_{a(k)+1} || for k = 1..4 (d_k the cluster direction of neuron k): the
    printed definition with a(k) = k mod 2 under the printed indexing (d_k = b(k) e_{a(k)+1}) and under the proofs'
    (d_k = e_1, e_2, -e_1, -e_2); and the corrected map R_1^{floor((k-1)/2)} P^{(k+1) mod 2} d_k against e_1 (proofs'
    indexing). Exact: each neuron's reference direction must be e_{a(k)+1} for the angle to be the tilt."""
    d = int(inst.params.get("d", 2))
    R1 = np.diag([-1] + [1] * (d - 1))
    P = np.eye(d, dtype=int)
    P[:2, :2] = [[0, 1], [1, 0]]
    e = np.eye(d, dtype=int)
    mp = lambda k, a: np.linalg.matrix_power(R1, (k - 1) // 2) @ np.linalg.matrix_power(P, a)
    proofs = [e[0], e[1], -e[0], -e[1]]
    printed = [(2 * ((k - 1) // 2) - 1) * e[k % 2] for k in range(1, 5)]
    res_pr, res_pf, res_c = [], [], []
    for k in range(1, 5):
        a = k % 2
        res_pr.append(float(np.linalg.norm(mp(k, a) @ printed[k - 1] - e[a])))
        res_pf.append(float(np.linalg.norm(mp(k, a) @ proofs[k - 1] - e[a])))
        res_c.append(float(np.linalg.norm(mp(k, (k + 1) % 2) @ proofs[k - 1] - e[0])))
    return Measurement(values={"r_printed": res_pr, "r_proofs": res_pf, "r_fixed": res_c}, exact=True,
                       coords={"k": [1, 2, 3, 4]}, precision="float64")


RPR, RPF, RFX = sp.symbols("r_printed r_proofs r_fixed", nonnegative=True)
claims.add(
    "finding.F12", "Finding F12: Prop. D.2's signed angle between R_1^⌊(k−1)/2⌋ P^a(k) v^e_k and e_a(k)+1",
    "App. D.3, l.4491-4495", "closed-form", statement=sp.Eq(RPR * RPF, 0),
    hypotheses=[declared("Assumption 5.1's four clusters at +-e_1, +-e_2", "the cluster directions", "l.776-800")],
    latex_names={"r_printed": r"\|R_1^{\lfloor (k-1)/2\rfloor}P^{a(k)}d_k-e_{a(k)+1}\|\ (\text{printed } d_k)",
                 "r_proofs": r"\|R_1^{\lfloor (k-1)/2\rfloor}P^{a(k)}d_k-e_{a(k)+1}\|\ (\text{proofs' } d_k)",
                 "r_fixed": r"\|R_1^{\lfloor (k-1)/2\rfloor}P^{(k+1)\ \mathrm{mod}\ 2}d_k-e_1\|"},
    symbols_doc={"r_printed": "mismatch of the printed map at neuron k, printed indexing",
                 "r_proofs": "the same under the proofs' indexing", "r_fixed": "the corrected map against e_1"},
    quantifier="every k: the definition must work under one of the two indexings", instances=_f12_instances,
    measure=_f12_measure, provides=("r_fixed",),
    mutant=Mutant(sp.Eq(RPR, 0), "consistent under the printed indexing"),
    control=Mutant(sp.Eq(RFX, 0), "corrected: the signed angle between R_1^{floor((k-1)/2)} P^{(k+1) mod 2} v^e_k "
                   "and e_1 (proofs' indexing), i.e. the tilt of common.tilt / the authors' atan2 angles"),
    catalog_ref="E31, F12", result="propD.2", tags=("finding",),
    notes="Printed indexing: the map misses at every k; proofs' indexing: it works for k = 1 only. The checks "
          "(tsoy2024.propD.2, the figures) use the natural tilt |sin alpha_k| to the cluster direction.")

# =========================================================================== D.3: margin bounds along the run (E32)


def _d3_measure(inst, point, precision):
    """Along the flow for t <= T (every sample): for every data point i in cluster S_k, f(theta^e, x_i) y_i against
    the lower bound (u_k)^2 (1 - 2a) - 4 q^2 a of App. D.3 (a = 0.01, q = 8/3) and the mutant's (u_k)^2 (1 - 2a)."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    k_of = np.argmax(X[:, :2] @ np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], dtype=float).T, axis=1)
    F, U2, E, T = [], [], [], []
    rs = [_run(p, rt) for rt in (1e-8, 1e-10)]
    Um = np.abs(np.array(rs[1]["u"]))
    hit = Um.max(axis=1) >= 8 / 3
    kT = int(np.argmax(hit)) if hit.any() else len(hit) - 1      # T beyond the run: every sample has t <= T
    for k in range(0, kT + 1):
        vals = []
        for r in rs:
            u, V = np.array(r["u"][k]), np.array(r["V"][k])
            vals.append((y * act.forward(u, V, X), u[k_of] ** 2))
        (f1, q1), (f0, _) = vals[1], vals[0]
        F += f1.tolist()
        U2 += q1.tolist()
        E += (np.abs(f1 - f0) + 1e-15).tolist()
        T += [rs[1]["t"][k]] * len(y)
    return Measurement(values={"fy": F, "u2": U2}, errors={"fy": E, "u2": "rounding"},
                       coords={"t": T, "i": list(range(len(y))) * (kT + 1)})


FY, U2S = sp.symbols("fy u2", real=True)
claims.add(
    "appendixD.3.margin", "App. D.3: f(θᵉ, x_i) y_i ≥ (u_k)²(1 − 2a) − 4q²a for i ∈ S_k, t ≤ T", "App. D.3, l.4585-4620",
    "flow-inequality", statement=sp.Ge(FY, U2S * (1 - 2 * sp.Rational(1, 100)) - 4 * (sp.Rational(8, 3)) ** 2 / 100),
    latex_names={"fy": r"y_if(\theta^e(t), x_i)", "u2": r"u_k(t)^2"},
    symbols_doc={"fy": "margin of data point i", "u2": "squared scale of the neuron of i's cluster"},
    quantifier="every data point and every sampled t <= T", extra_hypotheses=[H_PROP57] + DATA_HYPOTHESES,
    instances=_flow_instances, measure=_d3_measure, data_instances=_four_data,
    mutant=Mutant(sp.Ge(FY, U2S * (1 - 2 * sp.Rational(1, 100))), "the -4 q^2 a term dropped (catalog E32 mutation)"),
    catalog_ref="E32", result="prop5.7", share=run_group("four_flow"),
    notes="The display at l.4447 lacks the 1/n of Eq. (3); the later bounds include it (the 1/4 is |S_k|/n).")

# =========================================================================== Prop. D.2: the tilt bound


def _d2_instances(tier):
    n = 1001 if tier == "fast" else 4001
    out = [Instance("D2B (ReLU), flow from the admissible init (0.4, -0.04, 4e-4, -4e-3)",
                    {"dataset": "D2B", "xi": 0.0, "scales": [0.4, -0.04, 4e-4, -4e-3], "t_end": 1000.0, "n": n,
                     "run": "flow"}),
           Instance("D2B (ReLU), gradient descent with §5.4.2's schedule, 2^15 epochs",
                    {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "run": "gd", "epochs": 32768}),
           Instance("XOR clusters (n = 256, mu = 0.99, delta = 0.01, sigma = 0.005, seed 100), GD with §5.4.2's "
                    "schedule", {"dataset": "xor", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "run": "gd",
                                 "epochs": 32768})]
    if tier == "full":
        out.append(Instance("D2B (ReLU), flow from Fig. 1's init, t <= 1e4",
                            {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "t_end": 1e4,
                             "n": 10001, "run": "flow"}))
    return out


def _d2_measure(inst, point, precision):
    """max_t |sin alpha_k(t)| per neuron (common.tilt) along the run (flow: rtol 1e-10, error: change at 1e-8; GD:
    exact iterates, error: rounding), against delta + xi (delta of Assumption 5.1)."""
    p = inst.params
    if p["run"] == "flow":
        mx = []
        for rt in (1e-8, 1e-10):
            r = _run(p, rt)
            mx.append(np.max(tilt(r["V"]), axis=0))
        val, err = mx[1], np.abs(mx[1] - mx[0]) + 1e-12
        info = {"final tilt": tilt(r["V"][-1]).tolist(), "t_end": r["t"][-1]}
    else:
        g = four_gd(p, int(p["epochs"]))
        Tl = tilt(g["V"])
        val, err = Tl.max(axis=0), 1e-13 * np.ones(4)
        info = {"epoch of the largest tilt": Tl.argmax(axis=0).tolist(), "final flow time": g["t"][-1]}
    return Measurement(values={"tilt": val, "dx": xor_delta(p) + float(p["xi"])}, errors={"tilt": err, "dx": "rounding"},
                       coords={"k": [1, 2, 3, 4]}, info=info)


TILT, DX = sp.symbols("tilt dx", nonnegative=True)
claims.add(
    "propD.2", "Proposition D.2: |sin α_k(t)| ≤ δ + ξ for all t", "App. D.3, l.4491-4584", "flow-inequality",
    statement=sp.Le(TILT, DX), latex_names={"tilt": r"\max_t|\sin\alpha_k(t)|", "dx": r"\delta+\xi"},
    symbols_doc={"tilt": "largest tilt of neuron k from its cluster direction", "dx": "delta + xi"},
    quantifier="every neuron, every sampled time / epoch", instances=_d2_instances, measure=_d2_measure,
    extra_hypotheses=DATA_HYPOTHESES, data_instances=_four_data,
    mutant=Mutant(sp.Le(TILT, DX / 2), "(delta + xi)/2 (catalog E31 mutation)"),
    catalog_ref="E31, F12, P1", result="propD.2", share=run_group("four_flow"),
    notes="D2B: the exact flow saturates at p_2/||x|| = 0.005025 (sliding on the kink where the far cluster's point "
          "deactivates, Filippov); gradient descent overshoots it. Implicit hypothesis: |sin alpha_k(0)| <= delta + xi "
          "(here 0). The printed definition of the signed angle is inconsistent under both indexings (F12).")

# =========================================================================== §5.4.2 / Fig. 1, Figs. 5-7 (E27)


def _fig_instances(tier):
    out = [Instance("D2B (ReLU), GD with §5.4.2's schedule from Fig. 1's init, 2^15 epochs",
                    {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "run": "gd", "epochs": 32768}),
           Instance("XOR clusters (n = 256, mu = 0.99, delta = 0.01, sigma = 0.005, seed 100), GD with §5.4.2's "
                    "schedule from Fig. 1's init", {"dataset": "xor", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6],
                                                    "run": "gd", "epochs": 32768})]
    if tier == "full":
        for lab, sc in (("Fig. 6", [1e-4, -1e-5, 1e-6, -1e-7]), ("Fig. 7", [1e-4, -1e-6, 1e-5, -1e-7])):
            out.append(Instance(f"XOR clusters (n = 256, mu = 0.99, seed 100), GD from {lab}'s init",
                                {"dataset": "xor", "xi": 0.0, "scales": sc, "run": "gd", "epochs": 32768}))
    return out


def _fig_measure(inst, point, precision):
    """Along §5.4.2's gradient descent (exact iterates; error: rounding): A_k = max_t |sin alpha_k(t)| (common.tilt);
    the gaps |A_1 - A_3|, |A_2 - A_4| (the paper's alpha_1 ~ alpha_3, alpha_2 ~ alpha_4), their amplitudes, and the
    mutant's gaps |A_1 - A_2|, |A_3 - A_4|; the scale ratio max ||v_k|| / min ||v_k|| at the end (info: the scales
    equalise, Assumption 5.4)."""
    p = inst.params
    g = four_gd(p, int(p["epochs"]))
    A = np.max(tilt(g["V"]), axis=0)
    sc = np.linalg.norm(np.array(g["V"][-1]), axis=1)
    return Measurement(values={"gap": [abs(A[0] - A[2]), abs(A[1] - A[3])], "amp": [max(A[0], A[2]), max(A[1], A[3])],
                               "gap_mut": [abs(A[0] - A[1]), abs(A[2] - A[3])]},
                       errors={"gap": 1e-13, "amp": 1e-13, "gap_mut": 1e-13}, coords={"pair": ["(1, 3)", "(2, 4)"]},
                       info={"max_t |sin alpha_k|": A.tolist(), "scale ratio at the end": float(sc.max() / sc.min()),
                             "final flow time": g["t"][-1]})


GAPF, AMPF, GAPM = sp.symbols("gap amp gap_mut", nonnegative=True)
claims.add(
    "section5.4.2.angles", "§5.4.2 / Figs. 1, 5-7: α₁ ≈ α₃ and α₂ ≈ α₄ along training (largest tilts within 5 %)",
    "§5.4.2, l.1045-1100; App. E, l.5195-5236", "flow-inequality", statement=sp.Le(GAPF, AMPF / 20),
    latex_names={"gap": r"|A_k - A_{k+2}|", "amp": r"\max(A_k, A_{k+2})", "gap_mut": r"|A_1 - A_2|,\ |A_3 - A_4|"},
    symbols_doc={"gap": "|A_k - A_{k+2}|, A_k = max_t |sin alpha_k| (neurons k, k + 2: opposite clusters)",
                 "amp": "their size", "gap_mut": "the same for neurons 1, 2 and 3, 4 (adjacent clusters)"},
    quantifier="both pairs (1, 3) and (2, 4); '~' read as within 5 % of the tilt", instances=_fig_instances,
    measure=_fig_measure, provides=("gap_mut",),
    mutant=Mutant(sp.Le(GAPM, AMPF / 20), "alpha_1 ~ alpha_2 (adjacent clusters; catalog E27: 0.0059 vs 0.0062 on "
                  "its data, farther apart here)"),
    catalog_ref="E27", result="section5.4.2", share=run_group("four_flow"),
    notes="The paper reads the figures qualitatively; the 5 % tolerance is this check's reading of '~'. The scales "
          "equalise (ratio 1.0001 at the end of the schedule, info); the margin's limit is tsoy2024.assumption5.4.")

# --------------------------------------------------------------------------- F17: margin 4.67 and Lyu-Li's precondition


def _f17_instances(tier):
    return [Instance("D2B (ReLU, n = 8), GD with §5.4.2's schedule from Fig. 1's init",
                     {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "run": "gd", "epochs": 32768}),
            Instance("XOR clusters (n = 256, mu = 0.99, seed 100; Fig. 1's data size), GD with §5.4.2's schedule from "
                     "Fig. 1's init", {"dataset": "xor", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6], "run": "gd",
                                       "epochs": 32768})]


def _f17_measure(inst, point, precision):
    """The sum of the logistic losses that a margin of 4.67 certifies, n ln(1 + e^{-4.67}) (every y_i f >= 4.67),
    and the trained network's actual sum of losses at the proof's T = inf{max |u_k| >= 8/3} (§5.4.2's gradient
    descent, the runs of tsoy2024.propD.2; error: rounding), against Lyu & Li's precondition sum_i ln(1 + e^{-y_i f})
    < ln 2 (l.1000-1004: 'suggests')."""
    p = inst.params
    X, y = arrays(p)
    g = four_gd(p, int(p["epochs"]))
    U = np.abs(np.array(g["u"]))
    k = int(np.argmax(U.max(axis=1) >= 8 / 3))
    u, V = np.array(g["u"][k]), np.array(g["V"][k])
    q = y * (u @ np.maximum(V @ X.T, 0.0))
    loss = float(np.sum(np.logaddexp(0.0, -q)))
    cert = len(y) * math.log1p(math.exp(-4.67))
    return Measurement(values={"cert": cert, "loss_T": loss, "ln2": math.log(2)},
                       errors={"cert": "rounding", "loss_T": 1e-13 * len(y), "ln2": "rounding"},
                       info={"n": len(y), "largest n certified": int(math.log(2) / math.log1p(math.exp(-4.67))),
                             "T (flow time of the GD)": g["t"][k], "min margin at T": float(q.min())})


CERT, LOSST, LN2 = sp.symbols("cert loss_T ln2", positive=True)
claims.add(
    "finding.F17", "Finding F17: margin 4.67 (Prop. 5.7) certifies Lyu & Li's precondition sum_i l_i < ln 2",
    "§5.4.1, l.1000-1004", "closed-form", statement=sp.Lt(CERT, LN2),
    latex_names={"cert": r"n\ln(1+e^{-4.67})", "loss_T": r"\sum_i\ln(1+e^{-y_if(\theta^e(T),x_i)})", "ln2": r"\ln 2"},
    symbols_doc={"cert": "the sum of losses a margin of 4.67 guarantees", "loss_T": "the net's sum of losses at T",
                 "ln2": "Lyu & Li's threshold"},
    quantifier="the paper's data sizes (n = 8 here; Fig. 1: n = 256)", instances=_f17_instances,
    measure=_f17_measure, provides=("loss_T",),
    mutant=Mutant(sp.Lt(CERT, LN2 / 10), "sum < ln 2 / 10"),
    control=Mutant(sp.Lt(LOSST, LN2), "the trained net's own loss at T (margins ~6.8, not 4.67) is below ln 2"),
    catalog_ref="E25, F17", result="prop5.7", tags=("finding",), share=run_group("four_flow"),
    notes="Informational (the text says 'suggests'): 4.67 alone certifies the precondition only for n <= 74; the "
          "trained net is past it at T on the paper's data size.")

# =========================================================================== Lemma D.1: span{e_1, e_2} is invariant


def _d1_instances(tier):
    return [Instance("D3A, xi = 0.01, m = 8 in-plane random init (seed 2), scale 0.1",
                     {"dataset": "D3A", "xi": 0.01, "m": 8, "seed": 2, "scale": 0.1, "T": 300.0}),
            Instance("D3(0.92, 0.08, 0.05), xi = 0.01, m = 4 in-plane random init (seed 5), scale 0.3",
                     {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.01, "m": 4, "seed": 5, "scale": 0.3,
                      "T": 100.0})]


def _d1_measure(inst, point, precision):
    """max_{j, t} |v_j^3(t)| / ||v_j(t)|| along the full flow from an init in span{e_1, e_2} (R_r D_x = D_x), and the
    mutant's max |v_j^2|/||v_j|| (invariance of span{e_1})."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    rng = np.random.default_rng(p["seed"])
    V = np.zeros((int(p["m"]), X.shape[1]))
    V[:, :2] = rng.standard_normal((int(p["m"]), 2))
    u = rng.choice([-1.0, 1.0], int(p["m"])) * np.linalg.norm(V, axis=1)
    s = float(p["scale"])
    ts = np.linspace(0, float(p["T"]), 31)
    res = smooth_flow(X, y, act, *polar_from_cartesian(s * u, s * V), ts, rtol=1e-12)
    D = np.array([res.direction(k) for k in range(len(ts))])
    return Measurement(values={"off": float(np.max(np.abs(D[:, :, 2:]))), "off2": float(np.max(np.abs(D[:, :, 1])))},
                       errors={"off": 1e-15, "off2": 1e-15}, info={"ts": len(ts)})


H_D3 = Hypothesis("d >= 3 (a direction outside span{e_1, e_2})", lambda inst: (
    arrays(inst.params)[0].shape[1] >= 3, f"d = {arrays(inst.params)[0].shape[1]}"), "App. D.3, l.4431")


def _d1_data(ds):
    """User data: m in-plane random neurons (default 8; default_rng(seed), seed default 2) at scale sigma (default
    0.1), xi = datasets.DATA_XI, t in [0, T] (T = 300)."""
    u = UserSettings(ds)
    p = {"xi": DATA_XI, "m": int(u.get("m", 8)), "seed": int(u.get("seed", 2)), "scale": u.sigma(0.1),
         "T": float(u.get("T", 300.0))}
    return [u.instance(f"xi = {DATA_XI:g}, m = {p['m']} in-plane random init (seed {p['seed']}), scale {p['scale']:g}, "
                       f"t <= {p['T']:g}", p)]


OFF, OFF2 = sp.symbols("off off2", nonnegative=True)
claims.add(
    "lemmaD.1", "Lemma D.1: the features stay in span{e₁, e₂} (R_r D_x = D_x)", "App. D.3, l.4431-4445",
    "flow-inequality", statement=sp.Eq(OFF, 0), eq_atol=1e-14,
    latex_names={"off": r"\max_{j,t}|\hat v_j^3(t)|", "off2": r"\max_{j,t}|\hat v_j^2(t)|"},
    symbols_doc={"off": "largest component outside span{e_1, e_2}", "off2": "largest e_2 component (mutant)"},
    instances=_d1_instances, measure=_d1_measure, provides=("off2",),
    extra_hypotheses=[H_D3] + DATA_HYPOTHESES, data_instances=lambda ds: _d1_data(ds),
    mutant=Mutant(sp.Eq(OFF + OFF2, 0), "span{e_1} is invariant (a smaller subspace)"),
    catalog_ref="E30", result="lemmaD.1",
    notes="eq_atol = 1e-14: the third component starts at exactly 0 and the field keeps it there up to rounding.")
