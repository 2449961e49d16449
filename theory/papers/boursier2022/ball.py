"""boursier2022 Lemma 5 in its ball form (catalog L5 recipe (a), DC-6) and finding F-17 (the literal radius
lambda^{eps/240} contains a spurious critical point).

Lemma 5 (§4.2, l.747-760): for lambda <= lambda*, inf over theta in B(theta*, lambda^{eps/240}) ∩ Theta of
||grad L(theta)||^2 / L(theta) >= ||D_-||, with Theta = {|a_j| = ||w_j||} the balanced set (catalog D10).

* ``boursier2022.lemma5.ball``: the infimum over balls B(theta*, rho_B), rho_B = 1e-2 ... 1e-4 (grid), estimated
  from below-biased search: the adversarial tilt of catalog L5 (a) (all S_{-,1} neurons rotated by the same
  angle inside the negative block, orthogonally to D_-) at 8 radii, plus 400 random balanced perturbations at
  radii uniform in (0, rho_B]. The infimum tends to 2||D_-|| (DC-6). A search can only show the infimum is
  not smaller than what it found: HOLDS means "no point of the ball found below ||D_-||".
* ``boursier2022.finding.F17``: the drop-a-label points theta'_k (theta* of the labels with y_k set to 0, same
  kappa weights) are critical points (grad L = 0 under sigma'(0) = 0) with L = y_k^2/(2n) > 0, at an exactly
  computable distance from theta*. Whenever lambda^{eps/240} exceeds min_k ||theta'_k - theta*|| the ball of
  Lemma 5 contains one, and the infimum is 0 < ||D_-||. Catalog: 0.4003 on DS-A, so with eps = 0.02 the lemma
  needs lambda < 10^{-4771}.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from numerics.geometry import D_plus_minus
from numerics.network import Model, gradient, total_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (SETTING, core_geometry, data_limit_instances, distance, ds_a_params, flow_core, generic_params,
                     limit_objects, loss_grad_two_precisions)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING, ladder=LADDER_F64, share=f"{PAPER.key}.ball")

N_RANDOM = 400
N_TILT = 8


def _theta_star(params):
    core = flow_core(params)
    kp = limit_objects(core)
    q, X, y, dp, dm, nDp, nDm = core_geometry(core)
    return kp, X, y, nDp, nDm


def _ratio(model, a, W):
    """||grad L||^2 / L at (a, W) (numerics.network, sigma'(0) = 0), with L."""
    ga, gW = gradient(model, a, W)
    L = float(total_loss(model, a, W))
    return (float(ga @ ga + np.sum(gW * gW)) / L if L > 0 else math.inf), L


def _tilt(kp, X, y, nDm, phi):
    """theta* with every S_{-,1} neuron rotated by phi towards e_perp (unit, orthogonal to D_-, inside the span of
    the negative-label inputs), norms kept (catalog L5 (a) adversarial direction)."""
    neg = np.flatnonzero(y < 0)
    dm = D_plus_minus(X, y)[1]
    u = -dm / nDm
    if len(neg) < 2:
        return None
    v = X[neg[0]] - (X[neg[0]] @ u) * u
    e = v / np.linalg.norm(v)
    a, W = kp["a"].copy(), kp["W"].copy()
    for j in kp["minus"]:
        r = np.linalg.norm(W[j])
        W[j] = r * (math.cos(phi) * u + math.sin(phi) * e)
    return a, W


def ball_search(params, rho_B: float, seed: int = 0) -> dict:
    """Smallest ||grad L||^2/L found in B(theta*, rho_B) ∩ Theta (module docstring), with the point's distance."""
    kp, X, y, nDp, nDm = _theta_star(params)
    model = Model(X, y)
    a0, W0 = kp["a"], kp["W"]
    best = {"ratio": math.inf}

    def consider(a, W, how):
        d = distance(a, W, a0, W0)
        if d > rho_B or d == 0:
            return
        R, L = _ratio(model, a, W)
        if L > 1e-28 and R < best["ratio"]:
            best.update(ratio=R, loss=L, dist=d, how=how, a=a, W=W)

    # adversarial tilt: distance = sqrt(sum_j ||w_j||^2 |2 sin(phi/2)|^2 (both a_j unchanged and w_j rotated))
    Sm = math.sqrt(float(np.sum(kp["W"][kp["minus"]] ** 2)))
    for f in np.linspace(1.0 / N_TILT, 1.0, N_TILT):
        phi = 2 * math.asin(min(1.0, f * rho_B / (2 * Sm)))
        t = _tilt(kp, X, y, nDm, phi)
        if t is not None:
            consider(*t, f"tilt S_-1 by {phi:.3g} rad")
    rng = np.random.default_rng(seed)
    s = np.where(kp["a"] != 0, np.sign(kp["a"]), kp["s"])
    for i in range(N_RANDOM):
        dW = rng.standard_normal(W0.shape)
        dW *= rho_B * rng.uniform() / (math.sqrt(2) * np.linalg.norm(dW))
        W = W0 + dW
        a = s * np.linalg.norm(W, axis=1)  # balanced: |a_j| = ||w_j||, sign kept
        consider(a, W, f"random balanced #{i}")
    if math.isfinite(best["ratio"]):
        best["ratio_err"] = _ratio_error(model, best["a"], best["W"])
    return best


def _ratio_error(model, a, W) -> float:
    """Rounding error of the float64 ||grad L||^2/L at (a, W): the same ratio in mpmath (two precisions)."""
    q = loss_grad_two_precisions(model, a, W)
    return float(abs(mpmath.mpf(q["grad2"]) / q["L"] - q["grad2_mp"] / q["L_mp"])) + 4 * np.finfo(float).eps * abs(
        q["grad2"] / q["L"]) if q["L"] > 0 else math.inf


def drop_label_points(params) -> list[dict]:
    """theta'_k for every label k (module docstring): distance to theta*, L, ||grad L||^2 (sigma'(0) = 0)."""
    kp, X, y, nDp, nDm = _theta_star(params)
    model = Model(X, y)
    out = []
    for k in range(len(y)):
        yk = y.copy()
        yk[k] = 0.0
        dp, dm = ((yk * (yk > 0)) @ X) / len(y), ((yk * (yk < 0)) @ X) / len(y)
        yp, ym = np.linalg.norm(np.maximum(yk, 0)), np.linalg.norm(np.minimum(yk, 0))
        a, W = np.zeros_like(kp["a"]), np.zeros_like(kp["W"])
        for js, d_, yy, K, sg in ((kp["plus"], dp, yp, kp["K_plus"], 1.0), (kp["minus"], dm, ym, kp["K_minus"], -1.0)):
            nd = np.linalg.norm(d_)
            if nd == 0:
                continue
            for j in js:
                W[j] = sg * math.sqrt(yy * kp["kappa"][j] ** 2 / K) * d_ / nd
                a[j] = sg * np.linalg.norm(W[j])
        ga, gW = gradient(model, a, W)
        q = loss_grad_two_precisions(model, a, W)
        out.append({"k": k, "dist": distance(a, W, kp["a"], kp["W"]), "loss": float(total_loss(model, a, W)),
                    "grad2": float(ga @ ga + np.sum(gW * gW)), "ratio_err": _ratio_error(model, a, W),
                    "grad2_mp": float(q["grad2_mp"]),
                    # theta'_k and theta* share the kappa weights: both move by at most theta_star_err
                    "dist_err": 2 * kp["theta_star_err"] + 8 * np.finfo(float).eps})
    return out


# =========================================================================== claims

PL_RATIO, DM_NORM = sp.symbols("pl_ratio Dm_norm", positive=True)
NAMES = {"pl_ratio": r"\inf_{B}\|\nabla L\|^2/L", "Dm_norm": r"\|D_-\|", "dist": r"\|\theta'-\theta^*\|",
         "radius": r"\lambda^{\varepsilon/240}"}


def _ball_instances(tier):
    radii = [-2, -3, -4] if tier == "fast" else [-1, -2, -3, -4, -5]
    kw = dict(grid=[{"rho10": v} for v in radii], grid_param="rho10", grid_symbol="ρ_B", grid_log10=True,
              description=f"theta* (DC-2, kappa from the lambda-free flow); {N_TILT} adversarial tilts + "
                          f"{N_RANDOM} random balanced perturbations in B(theta*, rho_B)")
    return [Instance("DS-A", ds_a_params(0.05), **kw),
            Instance("generic orthonormal (n=5, d=6)", generic_params(0.05), **kw)]


def _ball_data_instances(ds):
    """Lemma 5 (ball form) on a user's dataset: balls of radius 1e-2 .. 1e-4 around theta* of the file's draw
    (``m``, ``seed``, ``init``); the radius is the grid (the paper's lambda^{eps/240}), so lambda and eps are not
    used."""
    return data_limit_instances(ds, grid=[{"rho10": v} for v in (-2, -3, -4)], grid_param="rho10", grid_symbol="ρ_B",
                                grid_log10=True, what=f"theta* (DC-2, kappa from the lambda-free flow); {N_TILT} "
                                f"adversarial tilts + {N_RANDOM} random balanced perturbations in B(theta*, rho_B)")


def _ball_measure(inst, point, precision) -> Measurement:
    """Lemma 5 (a): smallest ||grad L||^2/L found in B(theta*, rho_B) ∩ Theta (see :func:`ball_search`)."""
    rho = 10.0 ** float(point["rho10"])
    best = ball_search(dict(inst.params), rho)
    if not math.isfinite(best["ratio"]):
        raise RuntimeError("no point with L > 0 found in the ball")
    _, X, y, nDp, nDm = _theta_star(inst.params)
    R = best["ratio"]
    return Measurement(values={"pl_ratio": R, "Dm_norm": nDm}, errors={"pl_ratio": best["ratio_err"],
                                                                      "Dm_norm": "rounding"},
                       coords={"rho_B": rho, "dist": best["dist"]}, precision="float64",
                       info={"found_by": best["how"], "loss_there": best["loss"], "ratio_over_Dm": R / nDm,
                             "two_Dm_DC6": 2 * nDm})


claims.add(
    "lemma5.ball", "Lemma 5 (ball form: inf over B(theta*, rho) of ||grad L||^2/L >= ||D_-||)",
    "§4.2, l.747-760 / Lemma 15, l.4398-4409", "flow-inequality", result="lemma5", catalog_ref="L5 (a), DC-6, F-18",
    statement=sp.Ge(PL_RATIO, DM_NORM), latex_names=NAMES,
    symbols_doc={"pl_ratio": "smallest ||grad L||^2/L found in B(theta*, rho_B) ∩ Theta (L > 0)",
                 "Dm_norm": "||D_-||"},
    quantifier="inf over theta in B(theta*, rho_B) ∩ Theta, rho_B small (the paper: rho_B = lambda^{eps/240})",
    quantifier_latex=r"\inf_{\theta\in B(\theta^*,\rho_B)\cap\Theta}",
    instances=_ball_instances, measure=_ball_measure, data_instances=_ball_data_instances,
    mutant=Mutant(sp.Ge(PL_RATIO, sp.Rational(5, 2) * DM_NORM),
                  "2.5||D_-|| (catalog L5 mutation): the adversarial tilt reaches 2||D_-|| (DC-6)"),
    display=("inf ratio found", PL_RATIO, "||D_-||", DM_NORM),
    notes="A search bounds the infimum from above only: HOLDS = no point of the ball was found below ||D_-||. "
          "The adversarial tilt attains ~2||D_-|| (DC-6), so the lemma's constant ||D_-|| is loose by 2 (F-18).")


#: lambda grid of F-17 (log10): three representable lambdas, where the ball holds the spurious critical point, and
#: 10^-6000, below the critical lambda of both instances (10^-4771 on DS-A, 10^-5370 on the generic one, eps = 0.02)
F17_GRID = (-32, -300, -4000, -6000)


def _f17_instances(tier):
    kw = dict(grid=[{"lam10": v} for v in F17_GRID], grid_param="lam10", grid_symbol="λ", grid_log10=True,
              description="eps = 0.02 (admissible on DS-A); the ball B(theta*, lambda^{eps/240}): the drop-a-label "
                          "critical points theta'_k inside it and a search of the ball")
    return [Instance("DS-A, eps = 0.02", ds_a_params(0.02), **kw),
            Instance("generic orthonormal (n=5, d=6), eps = 0.02", generic_params(0.02), **kw)]


def _f17_data_instances(ds):
    """F-17 on a user's dataset: theta* of the file's draw (``m``, ``seed``, ``init``), Lemma 5's ``eps`` (the file's,
    else :func:`.common.default_eps`), the ball radius lambda^{eps/240} on the grid lambda = 1e-32 .. 1e-6000 (the
    radius is a closed form in lambda: no flow at lambda, so the file's lambda settings are not used)."""
    return data_limit_instances(ds, uses=("m", "seed", "init", "eps"), grid=[{"lam10": v} for v in F17_GRID],
                                grid_param="lam10", grid_symbol="λ", grid_log10=True,
                                what="the ball B(theta*, lambda^{eps/240}): the drop-a-label critical points theta'_k "
                                     "inside it and a search of the ball")


def _f17_measure(inst, point, precision) -> Measurement:
    """The smallest ||grad L||^2/L found in B(theta*, lambda^{eps/240}) ∩ Theta: at the drop-a-label critical points
    theta'_k inside the ball (exact distances to theta*) and by the ball search of :func:`ball_search` at that radius;
    the closest theta'_k's distance and the radius (the control's symbols)."""
    pts = drop_label_points(dict(inst.params))
    _, X, y, nDp, nDm = _theta_star(inst.params)
    eps = float(inst.params["eps"])
    radius = mpmath.power(10, mpmath.mpf(point["lam10"]) * eps / 240)
    closest = min(pts, key=lambda q: q["dist"])
    inside = [q for q in pts if q["dist"] <= float(radius)]
    cands = [(q["grad2"] / q["loss"], q["ratio_err"], f"drop-a-label point theta'_{q['k']}") for q in inside]
    search = ball_search(dict(inst.params), float(min(radius, 1e300)))
    if math.isfinite(search["ratio"]):
        cands.append((search["ratio"], search["ratio_err"], f"ball search: {search['how']}"))
    if not cands:
        raise RuntimeError("no point with L > 0 found in the ball")
    R, Rerr, how = min(cands)
    return Measurement(
        values={"pl_ratio": R, "Dm_norm": nDm, "dist": closest["dist"], "radius": radius},
        errors={"pl_ratio": Rerr, "Dm_norm": "rounding", "dist": closest["dist_err"], "radius": "rounding"},
        coords={"found_at": how}, precision="float64",
        info={"closest_drop_label_point": closest["k"], "its_loss": closest["loss"], "its_grad2": closest["grad2"],
              "dist": closest["dist"], "radius": float(radius), "inside_ball": [q["k"] for q in inside],
              "log10_lambda_needed": 240 / eps * math.log10(closest["dist"]),
              "all_drop_label_points": [{k: v for k, v in q.items()} for q in pts]})


RADIUS, DIST = sp.symbols("radius dist", positive=True)

claims.add(
    "finding.F17", "Finding F-17: Lemma 5's ball B(theta*, lambda^{eps/240}) holds a critical point",
    "§4.2, l.747-760 (radius lambda^{eps/240})", "flow-inequality", result="lemma5",
    catalog_ref="L5 ball-radius witness, F-17",
    statement=sp.Ge(PL_RATIO, DM_NORM), latex_names=NAMES,
    symbols_doc={"pl_ratio": "smallest ||grad L||^2/L found in B(theta*, lambda^{eps/240}) ∩ Theta (the drop-a-label "
                             "critical points theta'_k inside it, and a search of the ball)",
                 "Dm_norm": "||D_-||", "dist": "||theta'_k - theta*|| of the closest drop-a-label point",
                 "radius": "lambda^{eps/240}"},
    quantifier="inf over B(theta*, lambda^{eps/240}) ∩ Theta, at every lambda of the grid",
    quantifier_latex=r"\inf_{\theta\in B(\theta^*,\lambda^{\varepsilon/240})\cap\Theta}",
    instances=_f17_instances, measure=_f17_measure, provides=("dist", "radius"), data_instances=_f17_data_instances,
    mutant=Mutant(sp.Ge(PL_RATIO, DM_NORM / 100),
                  "a 100x weaker constant ||D_-||/100: still fails, theta'_k is critical"),
    control=Mutant(sp.Gt(sp.Max(PL_RATIO - DM_NORM, RADIUS - DIST), 0),
                   "Lemma 5 for lambda below lambda_c = ||theta'_k - theta*||^{240/eps} (10^-4771 on DS-A): wherever "
                   "the ball excludes the closest spurious critical point (radius < dist), the ratio exceeds "
                   "||D_-||"),
    display=("smallest ratio found", PL_RATIO, "||D_-||", DM_NORM),
    tags=("finding",),
    notes="theta'_k is theta* with label k dropped (same kappa weights): h = y except h(x_k) = 0, no neuron active "
          "on x_k, so grad L = 0 with L = y_k^2/(2n). Its distance to theta* is exact, so the ball of Lemma 5 "
          "contains it for every lambda above 10^(240/eps log10 dist): for eps = 0.02 on DS-A, 10^-4771 (info). "
          "The lemma is asymptotically true but vacuous at every representable lambda: at 10^-6000, below that "
          "threshold on both instances, the search finds nothing below 2||D_-|| (the control: Lemma 5 restricted to "
          "lambda < lambda_c).")
