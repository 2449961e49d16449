"""boursier2022 Lemma 13 (App. B.6, l.4087-4089) by sampling its parameter set, and finding F-8 (the sign of
condition (iv) on S_{-,1}).

Lemma 13: if theta satisfies the conditions (i)-(iv) of l.4048-4084 (catalog D12) with budget eta = lambda^{eps'}
(eps' = eps/30), then L(theta) <= lambda^{eps'/2} = eta^{1/2}. Conditions (catalog D12):
  (i) theta in Theta (|a_j| = ||w_j||); (ii) ||w_j|| <= eta off S_{+,1} ∪ S_{-,1};
  (iii) |(1/n) sum_{S_{+-,1}} ||w_j||^2 - ||D_+-|| | <= eta;
  (iv) |<bold w_j, D_+> - ||D_+||| <= eta on S_{+,1} and |<bold w_j, -D_-> - ||D_-||| <= eta on S_{-,1}
       (printed with D_- instead of -D_-: catalog F-8).

The sampler draws points of the set (S_{+-,1} and signs s_j from the instance's draw; directions tilted off
+-D_hat_+- by a uniformly random admissible angle in a random orthogonal direction, norms with a random split
and a total at a random admissible offset, the other neurons at random norm <= eta) plus the extreme points
(every constraint at its bound), and reports the largest L found: a lower bound on the sup, so HOLDS means "no
point of the set found above eta^{1/2}".
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.network import Model, total_loss
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (SETTING, core_geometry, data_limit_instances, ds_a_params, flow_core, generic_params,
                     limit_objects, loss_grad_two_precisions)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING, ladder=LADDER_F64, share=f"{PAPER.key}.lemma13")

N_SAMPLES = 3000


def _unit_perp(u, rng):
    v = rng.standard_normal(u.shape)
    v -= (v @ u) * u
    return v / np.linalg.norm(v)


def sample_max_loss(params, eta: float, printed_sign: bool = False, seed: int = 0, n_samples: int = N_SAMPLES) -> dict:
    """Largest L(theta) found over the Lemma 13 set with budget eta (module docstring)."""
    kp = limit_objects(flow_core(params))
    q, X, y, dp, dm, nDp, nDm = core_geometry(flow_core(params))
    n, m, d = len(y), len(kp["s"]), X.shape[1]
    model = Model(X, y)
    rng = np.random.default_rng(seed)
    plus, minus = kp["plus"], kp["minus"]
    others = [j for j in range(m) if j not in plus and j not in minus]
    dirs = {"plus": dp / nDp, "minus": (dm if printed_sign else -dm) / nDm}
    best = {"loss": -1.0}
    for i in range(n_samples + 2):
        extreme = i >= n_samples  # the last two: every constraint at its bound (both signs of the norm offset)
        W = np.zeros((m, d))
        for key, js, D in (("plus", plus, nDp), ("minus", minus, nDm)):
            u = dirs[key]
            # (iv): <bold w, u> >= 1 - eta/||D||  <=>  tilt angle <= acos(1 - eta/||D||)
            phimax = math.acos(max(-1.0, 1.0 - eta / D))
            wts = rng.dirichlet(np.ones(len(js)))
            # (iii): (1/n) sum ||w||^2 = ||D|| + off, |off| <= eta
            off = (eta if i == n_samples else -eta) if extreme else rng.uniform(-eta, eta)
            tot = max(n * (D + off), 0.0)
            for j, wt in zip(js, wts):
                phi = phimax if extreme else rng.uniform(0, phimax)
                e = _unit_perp(u, rng)
                W[j] = math.sqrt(tot * wt) * (math.cos(phi) * u + math.sin(phi) * e)
        for j in others:
            v = rng.standard_normal(d)
            W[j] = (eta if extreme else rng.uniform(0, eta)) * v / np.linalg.norm(v)
        a = kp["s"] * np.linalg.norm(W, axis=1)   # (i): balanced, signs of the draw
        Lv = float(total_loss(model, a, W))
        if Lv > best["loss"]:
            best = {"loss": Lv, "sample": i, "extreme": extreme, "a": a, "W": W}
    # the best point's loss evaluated again in mpmath (two precisions: its rounding error)
    best["loss_err"] = float(loss_grad_two_precisions(model, best["a"], best["W"])["L_err"])
    return best


ETA_GRID = [-1, -2, -3, -4]
L_MAX, ETA, L_MAX_CORR = sp.symbols("L_max eta L_max_corrected", positive=True)


def _instances(tier, grid=ETA_GRID):
    ns = 800 if tier == "fast" else 20000
    kw = dict(grid=[{"eta10": v} for v in grid], grid_param="eta10", grid_symbol="η", grid_log10=True,
              asymptotic="small", description=f"{ns} random points of the set + 2 extreme points, around "
                                               "theta* of the draw (S_{+-,1}, s_j)")
    return [Instance("DS-A", {**ds_a_params(0.05), "samples": ns}, **kw),
            Instance("generic orthonormal (n=5, d=6)", {**generic_params(0.05), "samples": ns}, **kw)]


def _printed_instances(tier):
    return _instances(tier, [-2, -4, -6])


def _data_kw(grid, ns=800):
    return dict(extra={"samples": ns}, grid=[{"eta10": v} for v in grid], grid_param="eta10", grid_symbol="η",
                grid_log10=True, asymptotic="small",
                what=f"{ns} random points of the set + 2 extreme points, around theta* of the draw (S_{{+-,1}}, s_j)")


def _data_instances(ds):
    """Lemma 13 on a user's dataset: the set of conditions (i)-(iv) around theta* of the file's draw (``m``, ``seed``,
    ``init``), eta = 1e-1 .. 1e-4 (eta = lambda^{eps/30}: the budget itself is the grid, so lambda and eps are not
    used)."""
    return data_limit_instances(ds, **_data_kw(ETA_GRID))


def _printed_data_instances(ds):
    """F-8 on a user's dataset: the same sampler with (iv) as printed, eta = 1e-2 .. 1e-6."""
    return data_limit_instances(ds, **_data_kw([-2, -4, -6]))


def _measure(printed):
    def measure(inst, point, precision) -> Measurement:
        eta = 10.0 ** float(point["eta10"])
        ns = int(inst.params.get("samples", N_SAMPLES))
        best = sample_max_loss(dict(inst.params), eta, printed_sign=printed, n_samples=ns)
        vals = {"L_max": best["loss"], "eta": eta}
        errs = {"L_max": best["loss_err"]}
        info = {"extreme_point": best["extreme"], "ratio_to_eta2": best["loss"] / eta ** 2}
        if printed:  # the control: the same sampler on the corrected set (-D_-), same eta
            corr = sample_max_loss(dict(inst.params), eta, printed_sign=False, n_samples=ns)
            vals["L_max_corrected"], errs["L_max_corrected"] = corr["loss"], corr["loss_err"]
            info["corrected_ratio_to_eta2"] = corr["loss"] / eta ** 2
        # eta is exactly the float64 number the sampler used for the set's budget
        return Measurement(values=vals, errors=errs, exact=("eta",), precision="float64",
                           coords={"sample": best["sample"]}, info=info)
    measure.__doc__ = ("Largest L found on the Lemma 13 set with budget eta, condition (iv) on S_{-,1} with "
                       + ("D_- as printed (and, for the control, with -D_-)" if printed else "-D_- (corrected, F-8)")
                       + "; its error: the same point's loss in mpmath.")
    return measure


COMMON = dict(latex_names={"L_max": r"\sup L(\theta)", "eta": r"\eta", "L_max_corrected": r"\sup L(\theta)|_{-D_-}"},
              result="lemma13")

claims.add(
    "lemma13", "Lemma 13 (L <= eta^{1/2} on the set of conditions (i)-(iv), -D_- read)",
    "App. B.6, l.4087-4089 (conditions l.4048-4084)", "closed-form", catalog_ref="L13, D12",
    statement=sp.Le(L_MAX, sp.sqrt(ETA)),
    symbols_doc={"L_max": "largest L(theta) found on the set with budget eta = lambda^{eps'}",
                 "eta": "the budget lambda^{eps'}, eps' = eps/30"},
    quantifier="for all theta satisfying (i)-(iv) with budget eta, eta small (lambda small enough)",
    quantifier_latex=r"\forall\theta\ \text{with (i)-(iv)}:\ L(\theta)\le\eta^{1/2}",
    measure=_measure(False), instances=_instances, data_instances=_data_instances,
    mutant=Mutant(sp.Le(L_MAX, ETA ** 3),
                  "L <= eta^3 (catalog L13 mutation): first-order perturbations give L ~ eta^2"),
    display=("max L found", L_MAX, "eta^(1/2)", sp.sqrt(ETA)),
    notes="Sampling gives a lower bound on the sup over the set: L ~ eta^2 (info.ratio_to_eta2), far below "
          "eta^{1/2}. The proof's last line gives only 2 eta^{1/2} (F-8).", **COMMON)

claims.add(
    "finding.F8", "Finding F-8: Lemma 13 with condition (iv) as printed (<bold w_j, D_->)", "App. B.6, l.4082-4084",
    "closed-form", catalog_ref="F-8, L13 pitfall",
    statement=sp.Le(L_MAX, sp.sqrt(ETA)), instances=_printed_instances, data_instances=_printed_data_instances,
    symbols_doc={"L_max": "largest L(theta) found on the set with (iv) as printed on S_{-,1}", "eta": "the budget"},
    quantifier="for all theta satisfying (i)-(iv) as printed, eta small",
    quantifier_latex=r"\forall\theta\ \text{with (i)-(iv) as printed}:\ L(\theta)\le\eta^{1/2}",
    measure=_measure(True),
    mutant=Mutant(sp.Le(L_MAX, 10 * sp.sqrt(ETA)), "a 10x weaker bound 10 eta^{1/2}: still fails as eta -> 0"),
    provides=("L_max_corrected",),
    control=Mutant(sp.Le(L_MAX_CORR, sp.sqrt(ETA)),
                   "condition (iv) with the corrected sign -D_- (catalog F-8): the same sampler at the same eta finds "
                   "nothing above eta^{1/2} (= boursier2022.lemma13)"),
    display=("max L found", L_MAX, "eta^(1/2)", sp.sqrt(ETA)),
    tags=("finding",),
    notes="As printed, (iv) puts the S_{-,1} neurons along +D_-, where they are inactive on every negative-label "
          "input: h = 0 there and L >= ||y_-||^2/(2n), which exceeds eta^{1/2} once eta < (||y_-||^2/(2n))^2. The "
          "set is not empty (the catalog's 'otherwise the set is empty' is not right), it contains bad points.",
    **COMMON)
