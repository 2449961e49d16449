"""boursier2024, App. D.4 and D.6: the critical manifolds M_u of G (d = 2). Lemma 12 (critical manifolds are
locally stable under residual perturbations) and Lemma 14 (D_u in +-M_u, or M_u cap S = {-+D^_u})."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.geometry import D_u
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (HYP_ASSUMPTION1, HYP_GENERIC_DATA, HYP_NO_SADDLE, HYP_PLANAR, HYP_RELU_SQUARE, ROTATIONS,
                     catalog_instance, critical_manifolds, d1_constants, data_constant_instances, ds_params,
                     enumeration_size, rotation)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_RELU_SQUARE, HYP_GENERIC_DATA])


# =========================================================================== Lemma 12 (stable critical manifolds)


def _perturbations(X, y, rho, nsamp, seed=0):
    """Residual perturbations h (h_k = h_theta(x_k)) inside Lemma 12's hypotheses at level rho < 1: Lemma 11's
    (1/n) sum |h_k| ||x_k|| <= rho delta_0 and |h_k| <= rho |ell'(0, y_k)| = rho |y_k|. h = 0, the 2n
    concentrated ones (all the mass on one k, either sign: the worst case of E32) and nsamp Gaussian directions
    scaled to the largest admissible size (seed 0)."""
    n = len(y)
    d0 = d1_constants(X, y)["delta0"]
    xn = np.linalg.norm(X, axis=1)
    lim = np.abs(y)  # |ell'(0, y_k)| for the 1/2 square loss

    def scale(g):
        t = rho * float(np.min(lim[g != 0] / np.abs(g[g != 0])))
        if math.isfinite(d0):
            t = min(t, rho * d0 * n / float(np.abs(g) @ xn))
        return t * g

    hs = [np.zeros(n)] + [scale(sg * np.eye(n)[k]) for k in range(n) for sg in (1, -1)]
    rng = np.random.default_rng(seed)
    hs += [scale(rng.standard_normal(n)) for _ in range(nsamp)]
    return hs, d0


def _sampled_theta_admissible(inst):
    """The theta-hypotheses of Lemma 12, evaluated on the perturbations actually sampled."""
    X, y = inst.arrays()
    ok, why = enumeration_size(X)
    if not ok or np.any(y == 0):
        return False, why if not ok else "a label is 0: |ell'(0, y_k)| = 0 leaves no admissible perturbation"
    n = len(y)
    r1 = r2 = 0.0
    for pt in inst.grid or [{"rho": inst.params.get("rho", 0.99)}]:
        hs, d0 = _perturbations(X, y, float(pt["rho"]), int(inst.params["nsamp"]))
        for h in hs:
            r1 = max(r1, float(np.max(np.abs(h) / np.abs(y))))
            if math.isfinite(d0):
                r2 = max(r2, float(np.abs(h) @ np.linalg.norm(X, axis=1)) / (n * d0))
    return r1 < 1 and r2 < 1, (f"max_k |h_k|/|ell'(0,y_k)| = {r1:.4g} < 1, max (1/n) sum |h_k| ||x_k|| / delta_0 = "
                               f"{r2:.4g} < 1 over the sampled theta")


HYP_THETA_SAMPLED = Hypothesis("theta: Lemma 11's condition and |h_theta(x_k)| < |ell'(0, y_k)| (sampled "
                               "perturbations)", _sampled_theta_admissible, "App. D.4, l.944")


def _lemma12_instances(tier):
    kw = dict(grid=[{"rho": r} for r in (0.5, 0.99)], grid_param="rho", grid_symbol="ρ")
    return [Instance(nm, {**ds_params(nm), "nsamp": 40}, **kw) for nm in ("DS-2N", "DS-G", "DS-P(0.1)")]


def _lemma12_data_instances(ds):
    return data_constant_instances(ds, extra={"nsamp": 40}, grid=[{"rho": r} for r in (0.5, 0.99)], grid_param="rho",
                                   grid_symbol="ρ")


def _lemma12_values(X, y, rho, nsamp) -> dict:
    """{label: (max over theta of eps_M <v, D^theta_{u(v)}>, details)} for every critical ray and both unit normals
    v = +-J w (J the rotation by +90 degrees, so that the labels follow the data under a rotation); sectors counted
    under the key None."""
    hs, d0 = _perturbations(X, y, rho, nsamp)
    out, nsec = {}, 0
    J = np.array([[0.0, -1.0], [1.0, 0.0]])
    for cm in critical_manifolds(X, y):
        if not cm["ray"]:
            nsec += 1
            continue
        if cm["kind"] == "saddle":
            raise ValueError(f"saddle of G on u = {cm['u'].tolist()} (outside the hypothesis)")
        eps = -1 if cm["kind"] == "min" else 1  # 'flat' (both sides flat): either sign, D_{u(v)} = 0
        nrm = J @ cm["w"]
        for sv, v in (("+", nrm), ("-", -nrm)):
            uv = np.where(cm["u"] != 0, cm["u"], np.sign(X @ v)).astype(np.int8)
            ip = [float(v @ D_u(uv, X, y, h).D) for h in hs]
            lab = f"{cm['kind']} ray u = {cm['u'].tolist()}, eps = {eps:+d}, v = {sv}n"
            out[lab] = (max(eps * t for t in ip), {"v": v.tolist(), "u(v)": uv.tolist(),
                                                   "<v,D_u(v)> at theta = 0": ip[0],
                                                   "range over theta": [min(ip), max(ip)]})
    out[None] = (nsec, {"n_theta": len(hs), "delta0": d0})
    return out


def _lemma12_measure(inst, point, precision) -> Measurement:
    """For every critical ray M_u (:func:`critical_manifolds`; sectors have cl(M)^perp = {0}: trivial, counted in
    info) and both unit normals v of cl(M)^perp (d = 2), max over the sampled theta (:func:`_perturbations`) of
    eps_M <v, D^theta_{u(v)}>, with u(v)_k = u_k if u_k != 0, sign<v, x_k> otherwise (l.940), D^theta_{u(v)} the
    min-norm element with ell'(h_k, y_k) = h_k - y_k, and eps_M = +1 / -1 if the critical point of M is a local
    max / min of G (l.950-953). Error estimate: the deviation when data and normals are rotated together (the
    values are rotation invariant; every rounding changes), two rotations, + 4 ulp."""
    X, y = inst.arrays()
    rho, nsamp = float(point["rho"]), int(inst.params["nsamp"])
    base = _lemma12_values(X, y, rho, nsamp)
    labs = [k for k in base if k is not None]
    if not labs:
        raise ValueError("no critical ray")
    vals = np.array([base[k][0] for k in labs])
    err = np.zeros(len(labs))
    for th in ROTATIONS:
        other = _lemma12_values(X @ rotation(th).T, y, rho, nsamp)
        if sorted(k for k in other if k is not None) != sorted(labs):
            raise RuntimeError("the critical rays change under a rotation of the data")
        err = np.maximum(err, np.abs(vals - np.array([other[k][0] for k in labs])))
    err += 4 * np.finfo(float).eps * np.abs(vals)
    nsec, meta = base[None]
    return Measurement(values={"s": vals.tolist()}, errors={"s": err.tolist()}, coords={"manifold_normal": labs},
                       info={"n_sectors_trivial": nsec, **meta, "rays": {k: base[k][1] for k in labs}})


STABILITY = sp.Symbol("s", real=True)
claims.add(
    "lemma12", "Lemma 12 (critical manifolds locally stable: eps_M <v, D^theta_{u(v)}> <= 0)",
    "App. D.4, l.944-1036", "closed-form", catalog_ref="E35, E34", result="lemma12", statement=sp.Le(STABILITY, 0),
    latex_names={"s": r"\max_{\theta}\,\varepsilon_{\mathcal{M}}\langle v,D^{\theta}_{u(v)}\rangle"},
    symbols_doc={"s": "max over the sampled theta of eps_M <v, D^theta_{u(v)}>, per critical ray and unit normal v"},
    quantifier="for every critical manifold, v in cl(M)^perp and sampled theta within the hypotheses (level rho)",
    hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION1, HYP_GENERIC_DATA, HYP_NO_SADDLE, HYP_THETA_SAMPLED],
    instances=_lemma12_instances, data_instances=_lemma12_data_instances, measure=_lemma12_measure,
    mutant=Mutant(sp.Ge(STABILITY, 0), "eps_M flipped (local min <-> local max: +1 for a min)"),
    notes="Sectors have cl(M)^perp = {0} (trivial, counted in info). On the rays bounding the dead arc D_{u(v)} = 0 "
          "exactly on the dead side (eps_M <v, D> = 0, exact).")

# =========================================================================== Lemma 14


def _lemma14_values(X, y) -> dict:
    """{label: (alt1, alt2)} for every critical manifold with D_u != 0 whose critical point is a strict local
    max / min of G (labels by pattern: they follow the data under a rotation)."""
    out = {}
    for cm in critical_manifolds(X, y):
        if cm["nD"] < 1e-14 or cm["kind"] not in ("max", "min"):
            continue
        inp, inm, is_max = cm["inp"], cm["inm"], cm["kind"] == "max"
        if is_max:
            a1, a2 = int(inp), int(cm["ray"] and inm)
        else:
            a1, a2 = int(inm), int(cm["ray"] and inp)
        out[f"{cm['kind']} on u = {cm['u'].tolist()}"] = (a1, a2)
    return out


def _lemma14_measure(inst, point, precision) -> Measurement:
    """Lemma 14 on every critical manifold M_u (:func:`critical_manifolds`) with D_u != 0 whose critical point
    +-D^_u is a strict local max / min of G: alt1 = 1 if D_u in M_u (max) / -M_u (min), alt2 = 1 if
    M_u cap S = {-D^_u} (max) / {D^_u} (min). The indicators are classifications: error estimate = their change on
    rotated copies of the data (0 when robust)."""
    X, y = inst.arrays()
    base = _lemma14_values(X, y)
    if not base:
        raise ValueError("no critical manifold with D_u != 0")
    labs = sorted(base)
    e1, e2 = np.zeros(len(labs)), np.zeros(len(labs))
    for th in ROTATIONS:
        other = _lemma14_values(X @ rotation(th).T, y)
        for i, k in enumerate(labs):
            o = other.get(k, (1 - base[k][0], 1 - base[k][1]))  # a manifold that disappears: both flip
            e1[i] = max(e1[i], abs(base[k][0] - o[0]))
            e2[i] = max(e2[i], abs(base[k][1] - o[1]))
    return Measurement(values={"alt1": [base[k][0] for k in labs], "alt2": [base[k][1] for k in labs]},
                       errors={"alt1": e1.tolist(), "alt2": e2.tolist()}, coords={"manifold": labs})


FIRST_ALTERNATIVE, SECOND_ALTERNATIVE = sp.symbols("alt1 alt2", nonnegative=True)
claims.add(
    "lemma14", "Lemma 14 (critical manifolds: D_u in +-M_u or M_u cap S = {-+D^_u})", "App. D.6, l.1099-1109",
    "closed-form", catalog_ref="E37", result="lemma14", statement=sp.Ge(FIRST_ALTERNATIVE + SECOND_ALTERNATIVE, 1),
    latex_names={"alt1": r"\mathbb{1}[D_u\in\pm M_u]", "alt2": r"\mathbb{1}[M_u\cap\mathbb{S}=\{\mp\hat D_u\}]"},
    symbols_doc={"alt1": "first alternative (D_u in M_u for a max, in -M_u for a min)",
                 "alt2": "second alternative (M_u cap S = {-D^_u} for a max, {D^_u} for a min)"},
    quantifier="for every critical manifold with D_u != 0",
    instances=lambda tier: [catalog_instance("DS-2N"), catalog_instance("DS-2N(-)"), catalog_instance("DS-G")],
    measure=_lemma14_measure, extra_hypotheses=[HYP_PLANAR], data_instances=data_constant_instances,
    mutant=Mutant(sp.Ge(FIRST_ALTERNATIVE, 1), "'local min => D_u in -M_u' alone (catalog E37 mutation)"),
    notes="DS-2N's ray perpendicular to x_2 is a local min with D_u in M_u: only the second alternative holds, "
          "the configuration that breaks Theorem 1 (ii)'s printed branch for a < 0 (F2b).")
