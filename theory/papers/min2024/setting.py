"""min2024 §2-§3 setting: the gradient flow (2) of the SUM loss (catalog E01), balancedness and sign invariance under
init (3) (E02), the directional field (4)-(5) as the sphere gradient of G (E04), Assumption 1 (E06), the cones S_+-
(E07) and Assumption 2 (E09). Assumptions 1 and 2 also run on user data (``--data``: Assumption 2 with the catalog's
random init, h = 20, seed 0).
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import sympy as sp

from numerics.flows import PolarState, frozen_pattern_field
from numerics.network import Model, total_loss
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from . import datasets
from .common import (DATA_SETTING, HYP_LABELS, data_params, ia8_instance, ia8_params, init_arrays, init_params,
                     init_random, ra_instance, ra_params, dsb_params, run_for, arrays)
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


def data_instance(ds, extra=None, name=None):
    return Instance(name or ds.name.removeprefix(f"{KEY}."), {**data_params(ds), **(extra or {})})


# =========================================================================== (2): the descent flow of the SUM loss


def _eq2_instances(tier):
    return [data_instance(datasets.ds_a(), {"m": 5, "seed": 1, "npts": 8}, "DS-A, exp loss, 8 random (v, W), m = 5"),
            data_instance(datasets.ds_b(), {"m": 5, "seed": 2, "npts": 8, "loss": "logistic2"},
                          "DS-B, 2 ln(1 + e^{-y yhat}), 8 random (v, W), m = 5")]


def _fd_grad(model, a, W, h):
    ga, gW = np.zeros_like(a), np.zeros_like(W)
    for j in range(len(a)):
        e = np.zeros_like(a)
        e[j] = h
        ga[j] = (total_loss(model, a + e, W) - total_loss(model, a - e, W)) / (2 * h)
        for k in range(W.shape[1]):
            E = np.zeros_like(W)
            E[j, k] = h
            gW[j, k] = (total_loss(model, a, W + E) - total_loss(model, a, W - E)) / (2 * h)
    return np.concatenate([ga[:, None], gW], axis=1).ravel()


def _eq2_measure(inst, point, precision) -> Measurement:
    """The engine's field (numerics.flows, log-polar, mapped back to d(v, W)/dt) against the central finite-difference
    gradient of L = sum_i ell(y_i, f(x_i)) at random points (steps 1e-4 and 5e-5; error: their difference plus
    round-off), both scaled by the largest gradient entry at the point."""
    p = inst.params
    X, y = arrays(p)
    model = Model(X, y, loss=p["loss"], reduction="sum")
    rng = np.random.default_rng(int(p["seed"]))
    vel, gfd, err, idx = [], [], [], []
    for q in range(int(p["npts"])):
        a = rng.standard_normal(int(p["m"])) * 0.7
        W = rng.standard_normal((int(p["m"]), X.shape[1])) * 0.7
        st = PolarState.from_cartesian(a, W)
        F = frozen_pattern_field(model, st)(st.to_vector())
        m, d1 = st.m, st.d + 1
        rdot, Vdot = F[:m], F[m:].reshape(m, d1)
        theta_dot = (np.exp(st.r)[:, None] * (rdot[:, None] * st.V + Vdot)).ravel()
        g1, g2 = _fd_grad(model, a, W, 1e-4), _fd_grad(model, a, W, 5e-5)
        sc = float(np.max(np.abs(g2)))
        e = np.abs(g1 - g2) / sc + 1e-10
        vel += (theta_dot / sc).tolist()
        gfd += (g2 / sc).tolist()
        err += e.tolist()
        idx += [f"point {q}, entry {k}" for k in range(len(g2))]
    return Measurement(values={"theta_dot": vel, "grad_fd": gfd}, errors={"theta_dot": "rounding", "grad_fd": err},
                       coords={"entry": idx}, info={"loss": p["loss"], "reduction": "sum"})


THETA_DOT, GRAD_FD = sp.symbols("theta_dot grad_fd", real=True)
claims.add(
    "eq2.descent", "Eq. (2): the flow is the gradient DESCENT of the sum loss", "§2.1, l.100-117", "closed-form",
    catalog_ref="E01, F14", result="setting", hypotheses=[HYP_LABELS], statement=sp.Eq(THETA_DOT, -GRAD_FD),
    measure=_eq2_measure, instances=_eq2_instances, eq_atol=1e-6,
    mutant=Mutant(sp.Eq(THETA_DOT, GRAD_FD), "the printed inclusion W' in +dL (ascent sign, F14)"),
    latex_names={"theta_dot": r"\dot\theta/\|\nabla\mathcal{L}\|_\infty", "grad_fd": r"\nabla\mathcal{L}/\|\nabla\mathcal{L}\|_\infty"},
    symbols_doc={"theta_dot": "the engine's velocity d(v, W)/dt (scaled)",
                 "grad_fd": "central finite-difference gradient of L = sum ell (scaled)"},
    quantifier="every entry of (v, W) at 8 random points",
    notes="eq_atol = 1e-6 on entries scaled by the largest gradient entry of the point (entries of an inactive pair "
          "vanish, so a purely relative tolerance would be 0); the finite-difference error is measured (two steps). "
          "(2) is printed with the ascent sign (catalog F14): the descent flow is implemented and checked.")

# =========================================================================== (3): balancedness and signs


def _balance_instances(tier):
    return [ia8_instance("1e-6", T=60.0), ra_instance(-6.0, T=60.0)]


def _balance_measure(inst, point, precision) -> Measurement:
    """Over 40 times of the run, per neuron: v_j(t)^2 and ||w_j(t)||^2 divided by ||theta_j(t)||^2 = v_j^2 + ||w_j||^2
    (the engine's polar components, scale-free), and the growth g = ||theta_j(t)||^2/||theta_j(0)||^2 (two
    tolerances); sign flips of v_j in info."""
    R = run_for(inst)
    times = np.linspace(0.0, R.T, 40)
    vals = {}
    for which in ("tight", "loose"):
        r0 = np.asarray(R.tr[which].segments[0].Y[0][:R.h], float)
        v2, w2, g, flips = [], [], [], 0
        for st in R.states(times, which):
            r, V = np.asarray(st.r, float), np.asarray(st.V, float)
            v2 += (V[:, 0] ** 2).tolist()
            w2 += np.sum(V[:, 1:] ** 2, axis=1).tolist()
            g += np.exp(2 * (r - r0)).tolist()
            flips += int(np.sum(np.sign(V[:, 0]) != R.s))
        vals[which] = (np.array(v2), np.array(w2), np.array(g), flips)
    (v2, w2, g, flips), (v2l, w2l, gl, _) = vals["tight"], vals["loose"]
    return Measurement(values={"v2": v2.tolist(), "w2": w2.tolist(), "g": g.tolist()},
                       errors={"v2": (np.abs(v2 - v2l) + 1e-15).tolist(), "w2": (np.abs(w2 - w2l) + 1e-15).tolist(),
                               "g": (np.abs(g - gl) + 1e-14 * g).tolist()},
                       coords={"t": np.repeat(times, R.h).tolist(), "j": list(range(R.h)) * len(times)},
                       info={"sign_flips": flips, "max_growth": float(np.max(g)),
                             "max_relative_imbalance": float(np.max(np.abs(v2 - w2)))})


V2, W2, GROW = sp.symbols("v2 w2 g", nonnegative=True)
claims.add(
    "eq3.balancedness", "Balancedness v_j(t)^2 = ||w_j(t)||^2 under init (3)", "§2.1, l.130-136", "flow-inequality",
    catalog_ref="E02", result="balancedness", hypotheses=[HYP_LABELS], statement=sp.Eq(V2, W2),
    measure=_balance_measure, instances=_balance_instances, share=f"{KEY}.flow", provides=("g",),
    mutant=Mutant(sp.Eq(GROW * (V2 + W2), 1), "v_j^2 + ||w_j||^2 conserved (catalog E02 mutation: S_+ neurons grow)"),
    latex_names={"v2": r"v_j(t)^2/\|\theta_j(t)\|^2", "w2": r"\|w_j(t)\|^2/\|\theta_j(t)\|^2",
                 "g": r"\|\theta_j(t)\|^2/\|\theta_j(0)\|^2"},
    symbols_doc={"v2": "v_j(t)^2 / ||theta_j(t)||^2", "w2": "||w_j(t)||^2 / ||theta_j(t)||^2",
                 "g": "growth ||theta_j(t)||^2 / ||theta_j(0)||^2"},
    quantifier="every neuron j, 40 times in [0, 60]",
    notes="The engine integrates (v_j, w_j) without imposing balancedness (log-polar, event-located kinks): the "
          "relative imbalance stays ~1e-14 (info; the default 1e-6 relative tolerance decides). The sign of v_j never "
          "changes (info.sign_flips; Boursier et al. 2022).")

# =========================================================================== (4)-(5): P_w x_a is the sphere gradient of G


def _eq4_instances(tier):
    return [data_instance(datasets.ds_a(), {"seed": 3, "npts": 20}, "DS-A, 20 random directions"),
            data_instance(datasets.ds_b(), {"seed": 4, "npts": 20}, "DS-B, 20 random directions")]


def _G(X, y, w):
    return float(y @ np.maximum(X @ w, 0.0))


def _eq4_measure(inst, point, precision) -> Measurement:
    """At random unit w: P_w x_a(w) (5), x_a(w) itself, and the finite-difference gradient of G(u) = sum_i y_i
    sigma(<x_i, u>) along the sphere (tangent basis, steps 1e-5 and 5e-6), all divided by ||x_a(w)||."""
    p = inst.params
    X, y = arrays(p)
    rng = np.random.default_rng(int(p["seed"]))
    D = X.shape[1]
    pxa, xa, gfd, err, lab = [], [], [], [], []
    for q in range(int(p["npts"])):
        w = rng.standard_normal(D)
        w /= np.linalg.norm(w)
        act = X @ w > 0
        xav = y[act] @ X[act] if act.any() else np.zeros(D)
        sc = max(float(np.linalg.norm(xav)), 1.0)
        B = np.linalg.svd(np.eye(D) - np.outer(w, w))[0][:, :D - 1]
        gs = []
        for hstep in (1e-5, 5e-6):
            g = np.zeros(D)
            for k in range(D - 1):
                e = B[:, k]
                up, dn = w + hstep * e, w - hstep * e
                g += (_G(X, y, up / np.linalg.norm(up)) - _G(X, y, dn / np.linalg.norm(dn))) / (2 * hstep) * e
            gs.append(g)
        pxa += ((xav - (xav @ w) * w) / sc).tolist()
        xa += (xav / sc).tolist()
        gfd += (gs[1] / sc).tolist()
        err += (np.abs(gs[0] - gs[1]) / sc + 1e-9).tolist()
        lab += [f"w {q}, coord {k}" for k in range(D)]
    return Measurement(values={"Pxa": pxa, "xa": xa, "gradG": gfd},
                       errors={"Pxa": "rounding", "xa": "rounding", "gradG": err}, coords={"entry": lab})


PXA, XA, GRADG = sp.symbols("Pxa xa gradG", real=True)
claims.add(
    "eq4.sphere_gradient", "(4)-(5): P_w x_a(w) is the sphere gradient of G(w) = sum_i y_i sigma(<x_i, w>)",
    "§2.2, l.181-233", "closed-form", catalog_ref="E04", result="eq4", hypotheses=[HYP_LABELS],
    statement=sp.Eq(PXA, GRADG), measure=_eq4_measure, instances=_eq4_instances, eq_atol=1e-6, provides=("xa",),
    mutant=Mutant(sp.Eq(XA, GRADG), "the projection P_w dropped (x_a itself)"),
    latex_names={"Pxa": r"P_w x_a(w)", "xa": r"x_a(w)", "gradG": r"\nabla_{S^{D-1}}G(w)"},
    symbols_doc={"Pxa": "P_w x_a(w)/||x_a||", "xa": "x_a(w)/||x_a||", "gradG": "finite-difference sphere gradient"},
    quantifier="each coordinate, at 20 random unit w (off the hyperplanes a.s.)",
    notes="eq_atol = 1e-6 on coordinates scaled by ||x_a(w)|| (a coordinate may vanish). Maennel et al.'s extreme "
          "vectors (local extrema of G) are prior work (NOT_CHECKABLE here; on DS-A the only V_+ attractor is x_+^).")

# =========================================================================== Assumption 1, cones


def _a1_instances(tier):
    out = [data_instance(datasets.ds_a()), data_instance(datasets.ds_b()), data_instance(datasets.ds_c(0.1),
                                                                                         name="DS-C(0.1)"),
           data_instance(datasets.mu_separated(4, 6, 3, 0.3, seed=0), name="mu-separated (d = 3, mu >= 0.3, seed 0)"),
           data_instance(datasets.ds_a3(), name="DS-A3 (orthogonal, App. A.3)"),
           data_instance(datasets.digits_pair(1, 0), name="DIG(1,0) (centred digits, §4 stand-in)")]
    return out


def _a1_data_instances(ds):
    return [data_instance(ds, name=f"user data {ds.name}")]


def _a1_measure(inst, point, precision) -> Measurement:
    """mu = min_{i,j} <u_i, u_j>, u_i = y_i x_i/||x_i|| (includes i = j), with the attaining pair."""
    X, y = arrays(inst.params)
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    G = U @ U.T
    i, j = np.unravel_index(np.argmin(G), G.shape)
    frac = float(np.mean((G > 0)[~np.eye(len(y), dtype=bool)])) if len(y) > 1 else 1.0
    return Measurement(values={"mu": float(G[i, j])}, errors={"mu": "rounding"},
                       coords={"pair": f"({i + 1}, {j + 1})"},
                       info={"fraction_of_positive_pairs": frac, "n": len(y), "D": X.shape[1]})


MU = sp.Symbol("mu", real=True)
claims.add(
    "assumption1", "Assumption 1: mu = min_{i,j} <x_i y_i, x_j y_j>/(||x_i|| ||x_j||) > 0", "§3, l.281",
    "closed-form", catalog_ref="E06", result="assumption1", hypotheses=[HYP_LABELS], statement=sp.Gt(MU, 0),
    measure=_a1_measure, instances=_a1_instances, data_instances=_a1_data_instances,
    mutant=Mutant(sp.Gt(MU, sp.Rational(1, 2)), "every signed pair within 60 degrees (mu > 1/2; DS-B: 0.28)"),
    latex_names={"mu": r"\mu"}, symbols_doc={"mu": "min_{i,j} cos(x_i y_i, x_j y_j)"},
    notes="An assumption, evaluated: VIOLATED on DS-A3 (orthogonal: mu = 0, the A.3 boundary case) and on the "
          "centred digits (mu = -0.718, 93.3% of the pairs sign-consistent: §4's 'approximately satisfies').")


def _cones_measure(inst, point, precision) -> Measurement:
    """Per datum: m_i = min(min_{k: y_k = y_i} cos(x_k, x_i), min_{k: y_k != y_i} -cos(x_k, x_i)); x_i lies in its
    own cone S_{y_i} if m_i > 0 (and in the opposite one only if -m_i > 0)."""
    X, y = arrays(inst.params)
    Xn = X / np.linalg.norm(X, axis=1)[:, None]
    C = Xn @ Xn.T
    m = [float(min(np.min(C[i, y == y[i]]), np.min(-C[i, y != y[i]], initial=np.inf))) for i in range(len(y))]
    return Measurement(values={"m": m}, errors={"m": "rounding"}, coords={"i": list(range(1, len(y) + 1)),
                                                                             "y_i": y.tolist()})


M_CONE = sp.Symbol("m", real=True)
claims.add(
    "cones.data", "S_+ (S_-) is a cone containing every positive (negative) datum", "§3, l.287-296", "closed-form",
    catalog_ref="E07", result="cones", hypotheses=DATA_SETTING, statement=sp.Gt(M_CONE, 0), measure=_cones_measure,
    instances=lambda tier: _a1_instances(tier)[:4],
    mutant=Mutant(sp.Gt(-M_CONE, 0), "x_i also in the opposite cone (catalog E07 mutation: x_i in S_+ for i in I_-)"),
    latex_names={"m": r"m_i"}, symbols_doc={"m": "membership margin of x_i in S_{y_i}"},
    quantifier="for every datum i",
    notes="S_dead always contains 0 and span(X)^perp (finding F18: 'not necessarily non-empty' means 'may be {0}'); "
          "convexity of the cones is Lemma 6 (definitional).")

# =========================================================================== Assumption 2


def _a2_instances(tier):
    bad = ia8_params()
    W0, s = init_arrays(bad)
    W0[0] = [-1.4, -1.4]  # x_- itself (225 deg): cos = 1 exactly
    bad.update(W0=W0.tolist(), init="I-A8 with the 100-deg V_+ neuron moved to x_- (225 deg)")
    return [Instance("DS-A + I-A8", ia8_params()), Instance("DS-A + R-A (seed 0, h = 20)", ra_params()),
            Instance("DS-B + random init (seed 0, h = 30)", dsb_params()),
            Instance("DS-A + a V_+ neuron at x_-^ (catalog E09 mutation)", bad)]


def _a2_data_instances(ds):
    W0, s = init_random(ds.X.shape[1], 20, 0)
    return [Instance(f"user data {ds.name}, random init h = 20 seed 0", {**data_params(ds),
                                                                        **init_params(W0, s, "random h=20 seed 0")})]


def _a2_measure(inst, point, precision) -> Measurement:
    """c_j = cos(w_j(0), x_{-s_j}) for every neuron (x_+- = sums over the classes)."""
    X, y = arrays(inst.params)
    W0, s = init_arrays(inst.params)
    xp, xm = X[y > 0].sum(axis=0), X[y < 0].sum(axis=0)
    c, err = [], []
    for w, sj in zip(W0, s):
        x = xm if sj > 0 else xp
        # c^2 = <w, x>^2/(||w||^2 ||x||^2) in exact rationals of the float inputs: c = 1 exactly is decided exactly
        num = sum(Fraction(a) * Fraction(b) for a, b in zip(w, x))
        c2 = num * num / (sum(Fraction(a) ** 2 for a in w) * sum(Fraction(b) ** 2 for b in x))
        cj = math.copysign(math.sqrt(float(c2)), float(num))
        c.append(cj)
        err.append(0.0 if c2 in (0, 1) else 4 * np.finfo(float).eps * abs(cj))
    c = np.array(c)
    return Measurement(values={"c": c.tolist()}, errors={"c": err},
                       coords={"j": list(range(len(s))), "s_j": s.astype(int).tolist()},
                       info={"zeta2_sup": 1 - max(0.0, float(np.max(c))) ** 2})


def _two_classes(inst):
    _, y = arrays(inst.params)
    return bool((y > 0).any() and (y < 0).any()), f"n_+ = {int((y > 0).sum())}, n_- = {int((y < 0).sum())} " \
                                                   "(x_+- must be non-zero)"


C_OPP = sp.Symbol("c", real=True)
claims.add(
    "assumption2", "Assumption 2: max_{V_+} cos(w_j(0), x_-) < 1 and max_{V_-} cos(w_j(0), x_+) < 1",
    "§3.1, l.329-352", "closed-form", catalog_ref="E09", result="assumption2",
    hypotheses=[HYP_LABELS, Hypothesis("both classes present", _two_classes, "l.343")], statement=sp.Lt(C_OPP, 1),
    measure=_a2_measure, instances=_a2_instances, data_instances=_a2_data_instances,
    mutant=Mutant(sp.Lt(C_OPP, 1 / sp.sqrt(2)), "zeta_2 >= 1/2: every neuron 45 deg from x_-s (I-A8: 0.766)"),
    latex_names={"c": r"\cos(w_j(0),x_{-s_j})"}, symbols_doc={"c": "cos(w_j(0), x_{-s_j})"},
    quantifier="for every neuron j",
    notes="zeta_2* = 1 - max(0, max_j c_j)^2 (info): 0.413 (I-A8), 0.043 (R-A), 0.0073 (DS-B, h = 30): it shrinks "
          "with h (finding F4). VIOLATED on the catalog's mutation (a V_+ neuron exactly at x_-^, an unstable fixed "
          "point of the directional flow).")
