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
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import SETTING, core_geometry, distance, ds_a_params, flow_core, generic_params, limit_objects
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
            best.update(ratio=R, loss=L, dist=d, how=how)

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
    return best


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
        out.append({"k": k, "dist": distance(a, W, kp["a"], kp["W"]), "loss": float(total_loss(model, a, W)),
                    "grad2": float(ga @ ga + np.sum(gW * gW))})
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


def _ball_measure(inst, point, precision) -> Measurement:
    """Lemma 5 (a): smallest ||grad L||^2/L found in B(theta*, rho_B) ∩ Theta (see :func:`ball_search`)."""
    rho = 10.0 ** float(point["rho10"])
    best = ball_search(dict(inst.params), rho)
    if not math.isfinite(best["ratio"]):
        raise RuntimeError("no point with L > 0 found in the ball")
    _, X, y, nDp, nDm = _theta_star(inst.params)
    R = best["ratio"]
    return Measurement(values={"pl_ratio": R, "Dm_norm": nDm}, errors={"pl_ratio": 1e-9 * R, "Dm_norm": 1e-15},
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
    instances=_ball_instances, measure=_ball_measure,
    mutant=Mutant(sp.Ge(PL_RATIO, sp.Rational(5, 2) * DM_NORM),
                  "2.5||D_-|| (catalog L5 mutation): the adversarial tilt reaches 2||D_-|| (DC-6)"),
    display=("inf ratio found", PL_RATIO, "||D_-||", DM_NORM),
    notes="A search bounds the infimum from above only: HOLDS = no point of the ball was found below ||D_-||. "
          "The adversarial tilt attains ~2||D_-|| (DC-6), so the lemma's constant ||D_-|| is loose by 2 (F-18).")


def _f17_instances(tier):
    grid = [{"lam10": v} for v in (-32, -300, -4000)]
    kw = dict(grid=grid, grid_param="lam10", grid_symbol="λ", grid_log10=True,
              description="eps = 0.02 (admissible on DS-A); the closest drop-a-label critical point theta'_k")
    return [Instance("DS-A, eps = 0.02", ds_a_params(0.02), **kw),
            Instance("generic orthonormal (n=5, d=6), eps = 0.02", generic_params(0.02), **kw)]


def _in_ball(inst):
    pts = drop_label_points(dict(inst.params))
    d = min(p["dist"] for p in pts)
    return True, (f"closest drop-a-label critical point at distance {d:.6g}; it lies in B(theta*, lambda^(eps/240)) "
                  f"iff lambda > 10^{240 / float(inst.params['eps']) * math.log10(d):.1f}")


def _f17_measure(inst, point, precision) -> Measurement:
    """||grad L||^2/L at the closest drop-a-label point theta'_k, its distance to theta*, and the radius."""
    pts = drop_label_points(dict(inst.params))
    p = min(pts, key=lambda q: q["dist"])
    _, X, y, nDp, nDm = _theta_star(inst.params)
    eps = float(inst.params["eps"])
    radius = mpmath.power(10, mpmath.mpf(point["lam10"]) * eps / 240)
    R = p["grad2"] / p["loss"]
    return Measurement(
        values={"pl_ratio": R, "Dm_norm": nDm, "dist": p["dist"], "radius": radius},
        errors={"pl_ratio": 1e-14 + 1e-9 * R, "Dm_norm": 1e-15, "dist": 1e-12, "radius": 0},
        coords={"k_dropped": p["k"]}, precision="float64",
        info={"loss_at_theta_prime": p["loss"], "grad2_at_theta_prime": p["grad2"], "dist": p["dist"],
              "radius": float(radius), "inside_ball": bool(p["dist"] <= float(radius)),
              "log10_lambda_needed": 240 / eps * math.log10(p["dist"]),
              "all_drop_label_points": pts})


claims.add(
    "finding.F17", "Finding F-17: Lemma 5's ball B(theta*, lambda^{eps/240}) holds a critical point",
    "§4.2, l.747-760 (radius lambda^{eps/240})", "flow-inequality", result="lemma5",
    catalog_ref="L5 ball-radius witness, F-17",
    statement=sp.Ge(PL_RATIO, DM_NORM), latex_names=NAMES,
    symbols_doc={"pl_ratio": "||grad L||^2/L at the closest drop-a-label critical point theta'_k (inside the ball)",
                 "Dm_norm": "||D_-||", "dist": "||theta'_k - theta*||", "radius": "lambda^{eps/240}"},
    quantifier="inf over B(theta*, lambda^{eps/240}) ∩ Theta <= the value at theta'_k (which lies in the ball)",
    quantifier_latex=r"\theta'_k\in B(\theta^*,\lambda^{\varepsilon/240})",
    extra_hypotheses=[Hypothesis("theta'_k inside the ball", _in_ball, "catalog L5 ball-radius witness")],
    instances=_f17_instances, measure=_f17_measure, provides=("dist", "radius"),
    mutant=Mutant(sp.Ge(PL_RATIO, DM_NORM / 100),
                  "a 100x weaker constant ||D_-||/100: still fails, theta'_k is critical"),
    display=("ratio at theta'_k", PL_RATIO, "||D_-||", DM_NORM),
    tags=("finding",),
    notes="theta'_k is theta* with label k dropped (same kappa weights): h = y except h(x_k) = 0, no neuron active "
          "on x_k, so grad L = 0 with L = y_k^2/(2n). Its distance to theta* is exact, so the ball of Lemma 5 "
          "contains it for every lambda above the reported 10^(240/eps log10 dist): for eps = 0.02 on DS-A, "
          "10^-4771. The lemma is asymptotically true but vacuous at every representable lambda.")
