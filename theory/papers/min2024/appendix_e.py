"""min2024 Appendix E, Caratheodory solutions: the no-Zeno condition (46) (catalog E49, with finding F17 on its sign),
E.3's non-existence for sigma'(0) = a > 0 (E50), E.4's non-uniqueness with the splice (47) (E51, and finding F6:
Lemma 12 (i) fails for the irregular solution), E.5's growth bound (50) (E52) and its set-theoretic slip (F16:
Theta_1 is not positively invariant).

The Caratheodory residual of a trajectory theta(t) is R(t) = ||theta(t) - theta_0 - int_0^t F(theta) ds|| (Eq. (45)),
F the gradient field with the fixed sigma'(0) (numerics.network.gradient, ``Model.sigma_prime_zero``).
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy.integrate import quad, solve_ivp

from numerics.flows import PolarState, solve_flow
from numerics.network import Model, gradient
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import (DATA_SETTING, FLOW_SETTING, KINK, arrays, data_params, dsb_instance, g_minus_y,
                     generic_eps2_instance, ia8_instance, run_for, state_arrays)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)

# =========================================================================== (46): no Zeno behaviour


def _eq46_instances(tier):
    return [Instance("DS-A, 200 random balanced (v, W), h = 5", {**data_params(datasets.ds_a()), "seed": 46}),
            Instance("DS-B, 200 random balanced (v, W), h = 5", {**data_params(datasets.ds_b()), "seed": 47})]


def _eq46_measure(inst, point, precision) -> Measurement:
    """At random balanced points (v_j = s_j ||w_j||, scale 10^U(-3, 0)), for every neuron j outside S_dead and every
    datum i (active or not): qd = y_i s_j <x_i, dw_j/dt>/||w_j|| (the flow) and qg = y_i s_j <x_i, grad_{w_j} L>/||w_j||
    (the gradient, = -qd), exp loss, sigma'(0) = 0; y_i in the measurement for the mutant."""
    X, y = arrays(inst.params)
    rng = np.random.default_rng(int(inst.params["seed"]))
    model = Model(X, y, loss=inst.params["loss"], reduction="sum")
    qd, qg, yi, lab = [], [], [], []
    for q in range(200):
        W = rng.standard_normal((5, X.shape[1])) * 10 ** rng.uniform(-3, 0)
        s = rng.choice([-1.0, 1.0], 5)
        v = s * np.linalg.norm(W, axis=1)
        _, gW = gradient(model, v, W)
        for j in range(5):
            if not np.any(X @ W[j] > 0):
                continue
            nw = np.linalg.norm(W[j])
            for i in range(len(y)):
                g = float(y[i] * s[j] * (X[i] @ gW[j]) / nw)
                qg.append(g)
                qd.append(-g)
                yi.append(float(y[i]))
                lab.append(f"point {q}, j={j}, x_{i + 1}")
    return Measurement(values={"qd": qd, "qg": qg, "y_i": yi},
                       errors={"qd": "rounding", "qg": "rounding"}, exact=("y_i",), coords={"at": lab})


QD, QG, YI = sp.symbols("qd qg y_i", real=True)
claims.add(
    "existence.eq46", "(46) (read with dw_j/dt = -grad L): y_i sign(v_j) <x_i, dw_j/dt> > 0 for every i outside S_dead",
    "App. E.2, l.4420-4432 (proof l.4670-4707)", "closed-form", catalog_ref="E49", result="existence",
    hypotheses=DATA_SETTING, statement=sp.Gt(QD, 0), measure=_eq46_measure, instances=_eq46_instances,
    share=f"{KEY}.eq46", provides=("y_i",),
    mutant=Mutant(sp.Gt(QD * YI, 0), "the y_i dropped: sign(v_j) <x_i, dw_j/dt> > 0 (fails on I_-)"),
    latex_names={"qd": r"y_i\,\mathrm{sign}(v_j)\langle x_i,\dot w_j\rangle/\|w_j\|", "y_i": "y_i"},
    symbols_doc={"qd": "y_i s_j <x_i, dw_j/dt>/||w_j||"}, quantifier="every datum i and neuron j not in S_dead",
    notes="Every hyperplane {<x_i, w_j> = 0} is crossed transversally in one direction: no Zeno behaviour "
          "(activation.monotone counts at most one crossing per pair along the runs). Printed with grad L: F17.")
claims.add(
    "finding.F17", "Finding F17: (46) as printed, y_i sign(v_j) <x_i, grad_{w_j} L> > 0, has the wrong sign",
    "App. E.2, l.4425; E.5 l.4670-4707", "closed-form", catalog_ref="F17, E49", result="existence",
    hypotheses=DATA_SETTING, tags=("finding",), statement=sp.Gt(QG, 0), measure=_eq46_measure,
    instances=_eq46_instances, share=f"{KEY}.eq46", provides=("qd", "y_i"),
    mutant=Mutant(sp.Gt(-QG * YI, 0), "near miss of the control: the y_i dropped, sign(v_j) <x_i, dw_j/dt> > 0 (fails "
                                      "on I_-); rejected where the control holds"),
    control=Mutant(sp.Gt(QD, 0), "with dw_j/dt = -grad_{w_j} L in place of grad L (what E.5's display computes)"),
    latex_names={"qg": r"y_i\,\mathrm{sign}(v_j)\langle x_i,\nabla_{w_j}\mathcal{L}\rangle/\|w_j\|",
                 "qd": r"y_i\,\mathrm{sign}(v_j)\langle x_i,\dot w_j\rangle/\|w_j\|"},
    symbols_doc={"qg": "with the true gradient", "qd": "with the flow's velocity"},
    notes="'On the entire parameter space' also needs w_j outside S_dead (and w_j != 0).")

# =========================================================================== E.3 / E.4: one datum on a hyperplane


def _one_datum(label, x=(1.0, 0.0), w0=(0.0, 1.0), v0=1.0, name=None):
    """Params of a one-datum example: x (label), w(0), v(0) (App. E.3: x = (1, 0), y = -1; E.4: y = +1; w(0) = (0, 1),
    v(0) = 1). Generic members use dyadic coordinates so that <w(0), x> = 0 holds exactly in float64."""
    ds = datasets.ds_e(label)
    p = data_params(ds.with_data(X=np.array([x], float)) if x != (1.0, 0.0) else ds)
    return {**p, "w0": list(w0), "v0": float(v0), **({"dataset": name} if name else {})}


def _e3_instances(tier):
    w = (-0.25, 0.625)
    return [Instance("DS-E3: x = (1, 0), y = -1, w(0) = (0, 1), v(0) = 1", _one_datum(-1.0)),
            Instance("generic: x = (1.25, 0.5), y = +1, w(0) = (-0.25, 0.625), v(0) = -||w(0)|| (y v(0) < 0)",
                     _one_datum(1.0, (1.25, 0.5), w, -math.hypot(*w), "E.3 generic"))]


def _e4_instances(tier):
    w = (1.5, 1.0)
    return [Instance("DS-E4: x = (1, 0), y = +1, w(0) = (0, 1), v(0) = 1", _one_datum(1.0)),
            Instance("generic: x = (-0.5, 0.75), y = +1, w(0) = (1.5, 1), v(0) = ||w(0)|| (y v(0) > 0)",
                     _one_datum(1.0, (-0.5, 0.75), w, math.hypot(*w), "E.4 generic"))]


def _one(inst):
    X, y = arrays(inst.params)
    return X, y, np.asarray(inst.params["w0"], float), float(inst.params["v0"])


def _boundary(sign):
    """App. E.3 (sign -1) / E.4 (sign +1): one datum, w(0) != 0 on its hyperplane, |v(0)| = ||w(0)|| and the sign of
    y v(0) (-1: the flow would push w into Int S_dead; +1: it may leave S_dead)."""
    def test(inst):
        X, y, w, v = _one(inst)
        ok = (len(y) == 1 and float(X[0] @ w) == 0.0 and np.linalg.norm(w) > 0 and abs(abs(v) - np.linalg.norm(w))
              <= 1e-15 * np.linalg.norm(w) and np.sign(y[0] * v) == sign and y[0] in (-1.0, 1.0))
        return ok, (f"n = {len(y)}, <w(0), x> = {float(X[0] @ w):.3g}, |v(0)| - ||w(0)|| = "
                    f"{abs(v) - np.linalg.norm(w):.3g}, y v(0) = {float(y[0] * v):.4g}")
    return test


HYP_E3 = Hypothesis("one datum, w(0) on its hyperplane, balanced, y v(0) < 0", _boundary(-1.0), "App. E.3, l.4463")
HYP_E4 = Hypothesis("one datum, w(0) on its hyperplane, balanced, y v(0) > 0", _boundary(1.0), "App. E.4, l.4512")


def _e3_measure(inst, point, precision) -> Measurement:
    """One datum x, one neuron at (w(0), v(0)) with <w(0), x> = 0 (DS-E3: x = (1, 0), y = -1, w = (0, 1), v = 1): the
    Caratheodory residual of the constant trajectory, R(t) = ||int_0^t F(theta_0) ds|| = t ||grad L(theta_0)||, for
    sigma'(0) = a in {0, 0.25, 0.5} and t in {0.5, 1, 2}, and g = |v(0)| ||x|| (|-ell'(y, 0)| = 1 for the exp loss);
    the engine's status with sigma'(0) = a in info."""
    X, y, w, v = _one(inst)
    R, A, T, lab, info = [], [], [], [], {}
    for a in (0.0, 0.25, 0.5):
        model = Model(X, y, loss="exponential", reduction="sum", sigma_prime_zero=a)
        ga, gW = gradient(model, np.array([v]), w[None, :])
        F = float(math.sqrt(ga @ ga + np.sum(gW * gW)))
        for t in (0.5, 1.0, 2.0):
            R.append(t * F)
            A.append(a)
            T.append(t)
            lab.append(f"sigma'(0) = {a:g}, t = {t:g}")
        st = PolarState.from_cartesian(np.array([v]), w[None, :])
        tr = solve_flow(model, st, 1.0, rtol=1e-11, kink=KINK)
        info[f"engine sigma'(0)={a:g}"] = f"status {tr.status}: {tr.message}"
    return Measurement(values={"R": R, "a": A, "t": T, "g": abs(v) * float(np.linalg.norm(X[0]))},
                       errors={"R": "rounding", "g": "rounding"}, exact=("a", "t"), coords={"at": lab}, info=info)


RR, AA, TT, GG = sp.symbols("R a t g", real=True)
claims.add(
    "e3.nonexistence", "E.3: the constant trajectory has Caratheodory residual a t (a solution iff sigma'(0) = 0)",
    "App. E.3, l.4463-4510", "closed-form", catalog_ref="E50", result="e3", hypotheses=[HYP_E3],
    statement=sp.Eq(RR, AA * TT * GG), measure=_e3_measure, instances=_e3_instances,
    provides=("a", "t"), mutant=Mutant(sp.Le(RR, 0), "w = w(0) is a Caratheodory solution for every sigma'(0) (catalog "
                                                     "E50 mutation)"),
    latex_names={"R": r"\|\theta(t)-\theta_0-\int_0^tF(\theta)\|", "a": r"\sigma'(0)", "t": "t",
                 "g": r"|v(0)|\,\|x\|"},
    symbols_doc={"R": "Caratheodory residual of the constant trajectory", "a": "sigma'(0)",
                 "g": "|v(0)| ||x|| (= 1 on DS-E3)"},
    quantifier="sigma'(0) in {0, 0.25, 0.5}, t in {0.5, 1, 2}",
    notes="With a > 0 the neuron can neither stay (R > 0) nor enter Int S_dead (no flow there): no Caratheodory "
          "solution. The engine in convention mode stops (status -2) for a > 0 and stays put for a = 0 (info); the "
          "small-step limit of gradient descent (Filippov) slides instead. DS-E3 has |v(0)| ||x|| = 1 (the paper's "
          "a t); the generic member scales it.")

# =========================================================================== E.4: non-uniqueness


def _e4_traj(t0, x=(1.0, 0.0), w0=(0.0, 1.0), v0=1.0):
    """The E.4 splice (exp loss, y = +1, <w(0), x> = 0, v(0) > 0): stay at (w(0), v(0)) until t0, then follow (47)
    in the coordinates a = <w, x^>, b = <w, x^perp> (r = ||x||): da/dt = e^{-v r a} v r, db/dt = 0, dv/dt = e^{-v r a} r a
    from a = 0 (DS-E4: x = (1, 0), w(0) = (0, 1), v(0) = 1). Returns theta(t) = (w_1, w_2, v): dense solution."""
    x, w0 = np.asarray(x, float), np.asarray(w0, float)
    r = float(np.linalg.norm(x))
    xh = x / r
    b0 = float(w0 @ np.array([-xh[1], xh[0]]))

    def f(t, z):
        a, v = z
        e = math.exp(-v * r * a)
        return [e * v * r, e * r * a]

    sol = solve_ivp(f, (0.0, 10.0), [0.0, float(v0)], rtol=1e-13, atol=1e-15, dense_output=True)
    th0 = np.array([*w0, v0])

    def theta(t):
        if t < t0:
            return th0.copy()
        a, v = sol.sol(t - t0)
        return np.array([*(a * xh + b0 * np.array([-xh[1], xh[0]])), v])
    return theta


def _field(z, X, y):
    """The Caratheodory field with sigma'(0) = 0 (numerics.network.gradient): -grad L at (w, v) = (z[:2], z[2])."""
    model = Model(X, y, loss="exponential", reduction="sum")
    ga, gW = gradient(model, np.array([z[2]]), np.array([[z[0], z[1]]]))
    return -np.array([gW[0, 0], gW[0, 1], ga[0]])


def _e4_measure(inst, point, precision) -> Measurement:
    """For the splices t0 in {0, 0.5, 1}: theta(t) and theta_0 + int_0^t F(theta) (scipy quad, two tolerances), at
    t in {0.25, 1.5, 3}, every component; regularity (Definition 1) in info."""
    X, y, w, v = _one(inst)
    th0_ = [*w.tolist(), v]
    th, rhs, th0, err, lab = [], [], [], [], []
    for t0 in (0.0, 0.5, 1.0):
        traj = _e4_traj(t0, tuple(X[0]), tuple(w), v)
        for t in (0.25, 1.5, 3.0):
            integ = []
            for tol in (1e-12, 1e-9):
                integ.append(np.array([quad(lambda s: _field(traj(s), X, y)[c], 0.0, t, epsabs=tol, epsrel=tol,
                                            points=[t0] if 0 < t0 < t else None, limit=200)[0] for c in range(3)]))
            th += traj(t).tolist()
            rhs += (np.array(th0_) + integ[0]).tolist()
            th0 += th0_
            err += (np.abs(integ[0] - integ[1]) + 1e-12).tolist()
            lab += [f"t0={t0:g}, t={t:g}, {c}" for c in ("w_1", "w_2", "v")]
    return Measurement(values={"theta": th, "theta0_plus_int": rhs, "theta0": th0},
                       errors={"theta": 1e-11, "theta0_plus_int": err}, exact=("theta0",), coords={"at": lab},
                       info={"regular": "no: every splice with t >= t0 leaves S_dead = {<w, x> <= 0} (Definition 1 "
                                        "fails)"})


TH, THI, TH0 = sp.symbols("theta theta0_plus_int theta0", real=True)
claims.add(
    "e4.nonuniqueness", "E.4: the splice 'stay until t0, then follow (47)' is a Caratheodory solution for every t0",
    "App. E.4, l.4512-4550", "flow-inequality", catalog_ref="E51", result="e4", hypotheses=[HYP_E4],
    statement=sp.Eq(TH, THI), measure=_e4_measure, eq_atol=1e-9, instances=_e4_instances,
    provides=("theta0",), mutant=Mutant(sp.Eq(TH, TH0), "uniqueness: the constant trajectory is the only solution"),
    latex_names={"theta": r"\theta(t)", "theta0_plus_int": r"\theta_0+\int_0^tF(\theta(s))ds", "theta0": r"\theta_0"},
    symbols_doc={"theta": "the spliced trajectory", "theta0_plus_int": "theta_0 + int F (quad)"},
    quantifier="t0 in {0, 0.5, 1}, t in {0.25, 1.5, 3}, every component",
    notes="eq_atol = 1e-9: components that vanish (w_2 = 1 stays, w_1 = 0 before t0) are compared absolutely, at the "
          "quadrature's accuracy (two tolerances measured). Remark 7: random inits avoid the boundary a.s.")


def _f6_measure(inst, point, precision) -> Measurement:
    """Exits from S_dead of (a) the E.4 splice with t0 = 0.5 (an irregular Caratheodory solution) and (b) the engine's
    solution from the same init (convention mode, sigma'(0) = 0: it stays)."""
    X, y, w, v = _one(inst)
    traj = _e4_traj(0.5, tuple(X[0]), tuple(w), v)
    e_splice = int(float(X[0] @ traj(0.0)[:2]) <= 0 and float(X[0] @ traj(3.0)[:2]) > 0)
    model = Model(X, y, loss="exponential", reduction="sum")
    tr = solve_flow(model, PolarState.from_cartesian(np.array([v]), w[None, :]), 3.0, rtol=1e-11, kink=KINK)
    e_engine = int(float(np.asarray(tr.final.W(), float)[0] @ X[0]) > 0)
    return Measurement(values={"e_splice": e_splice, "e_engine": e_engine}, exact=True,
                       info={"engine_events": [f"{e.kind} t={float(e.t):.3g}" for e in tr.events]})


ESP, EEN = sp.symbols("e_splice e_engine", real=True)
claims.add(
    "finding.F6", "Finding F6: Lemma 12 (i) 'S_dead traps any solution' fails for the irregular solutions of E.4",
    "App. D.1, l.2760; App. E.4", "flow-inequality", catalog_ref="F6, E41, E51", result="lemma12",
    hypotheses=[HYP_E4], tags=("finding",), statement=sp.Le(ESP, 0), measure=_f6_measure, provides=("e_engine",),
    instances=_e4_instances,
    mutant=Mutant(sp.Le(ESP, 1), "at most one exit"),
    control=Mutant(sp.Le(EEN, 0), "'any regular solution' (Definition 1): the engine's solution stays in S_dead"),
    latex_names={"e_splice": r"\#\text{exits}(\text{E.4 splice})", "e_engine": r"\#\text{exits}(\text{regular})"},
    symbols_doc={"e_splice": "exits of the splice from S_dead", "e_engine": "exits of the engine's solution"})

# =========================================================================== (50): the growth bound of E.5


def _eq50_instances(tier):
    return [ia8_instance("1e-6", T=60.0), dsb_instance(-8.0, T=20.0)]


def _eq50_measure(inst, point, precision) -> Measurement:
    """rho(t) = ||grad L(theta(t))||_F/||theta(t)||_F at 150 times (balanced manifold: ||grad_{w_j} L|| = ||w_j||
    ||sum_i sigma' (-ell'_i) x_i||, |grad_{v_j} L| = ||w_j|| |sum_i (-ell'_i) sigma(<x_i, w^_j>)|), L(theta(0)), X_max."""
    R = run_for(inst)
    times = np.linspace(0.0, R.T, 150)
    out = {}
    for which in ("tight", "loose"):
        rho = []
        for st in R.states(times, which):
            U, lnw = state_arrays(st)
            m = float(np.max(lnw))
            sc = np.exp(2 * (lnw - m))
            Z = U @ R.X.T
            f = (R.s * np.exp(2 * lnw)) @ np.maximum(Z, 0)
            gneg = R.y + g_minus_y(f, R.y, R.model.loss)
            gw = np.linalg.norm(((Z > 0) * gneg[None, :]) @ R.X, axis=1)
            gv = np.abs((gneg[None, :] * np.maximum(Z, 0)).sum(axis=1))
            rho.append(float(math.sqrt(np.sum(sc * (gw ** 2 + gv ** 2)) / np.sum(2 * sc))))
        out[which] = np.array(rho)
    L0 = float(R.states([0.0])[0].loss(R.model))
    return Measurement(values={"rho": out["tight"].tolist(), "L0": L0, "X_max": float(np.max(np.linalg.norm(R.X,
                                                                                                            axis=1))),
                               "n": len(R.y)},
                       errors={"rho": (np.abs(out["tight"] - out["loose"]) + 1e-14).tolist(), "L0": "rounding",
                               "X_max": "rounding"}, exact=("n",), coords={"t": times.tolist()})


RHO, L0S, XMAXS, NS = sp.symbols("rho L0 X_max n", positive=True)
claims.add(
    "e5.eq50", "E.5 (50): ||F(theta)||_F <= X_max L(theta(0)) ||theta||_F along the flow (exp loss)",
    "App. E.5, l.4600-4620 (proof l.4708-4860)", "flow-inequality", catalog_ref="E52", result="e5",
    hypotheses=FLOW_SETTING, statement=sp.Le(RHO, XMAXS * L0S), measure=_eq50_measure, instances=_eq50_instances,
    share=f"{KEY}.flow", provides=("n",),
    mutant=Mutant(sp.Le(RHO, XMAXS * L0S / NS), "C = X_max L/n (mean instead of sum; catalog E52)"),
    latex_names={"rho": r"\|\nabla\mathcal{L}(\theta)\|_F/\|\theta\|_F", "L0": r"\mathcal{L}(\theta(0))",
                 "X_max": r"X_{\max}", "n": "n"},
    symbols_doc={"rho": "||grad L||/||theta||", "L0": "the initial loss"}, quantifier="150 times of the run")


def _f16_measure(inst, point, precision) -> Measurement:
    """Per (neuron j, datum i): the number of times <x_i, w_j(t)> leaves its initial sign (event-located switches; a
    pair stuck on the hyperplane has left Theta_1), and whether the pair is active at t = 0."""
    R = run_for(inst)
    cnt, act, lab = [], [], []
    for j in range(R.h):
        hist = R.history(j)
        for i in range(R.n):
            cnt.append(sum(1 for (_, p0, _), (_, p1, _) in zip(hist, hist[1:]) if p0[i] != p1[i]))
            act.append(int(R.pattern0[j, i]))
            lab.append(f"j={j}, x_{i + 1}")
    return Measurement(values={"n_ij": cnt, "act0": act}, exact=True, coords={"pair": lab})


NIJ, ACT0 = sp.symbols("n_ij act0", real=True)
claims.add(
    "finding.F16", "Finding F16: E.5 calls Theta_1 = {<x_i, w_j><x_i, w_j(0)> > 0} 'the positive invariant set'",
    "App. E.5, l.4578-4590", "flow-inequality", catalog_ref="F16, E52", result="e5", hypotheses=FLOW_SETTING,
    tags=("finding",), statement=sp.Le(NIJ, 0), measure=_f16_measure, share=f"{KEY}.flow",
    instances=lambda tier: [ia8_instance("eps2", T=705.0), generic_eps2_instance()], provides=("act0",),
    mutant=Mutant(sp.Le(NIJ, 1 - ACT0), "near miss of the control: at most once, and never from an initially active "
                                        "pair (I-A8's 300-deg neuron loses x_3); rejected where the control holds"),
    control=Mutant(sp.Le(NIJ, 1), "left at most once per pair (the construction's exit time t_0; (46))"),
    latex_names={"n_ij": r"\#\{\text{sign changes of }\langle x_i,w_j(t)\rangle\}",
                 "act0": r"\mathbb{1}[\langle x_i,w_j(0)\rangle>0]"},
    symbols_doc={"n_ij": "sign changes of <x_i, w_j(t)>", "act0": "the pair is active at t = 0"},
    quantifier="every pair (j, i)",
    notes="Also: Theta_2 is defined twice (l.4584 vs 4634), {v : sign(v_j) = sign(v_j(0))} is called closed (it is "
          "open), and 'for all i != i*, j != j*' should read (i, j) != (i*, j*) (not checkable).")
