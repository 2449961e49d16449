"""boursier2024, App. D.1-D.2: the constants of the early-alignment analysis. Lemma 9 (alpha_min > 0, D_min > 0),
Lemma 10 (delta_0 > 0, with lambda* of Eq. (22)) and Lemma 11 (the extremal cones are stable while the residual
perturbation stays below delta_0; delta_0 is exactly tight)."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from numerics.geometry import D_u, extremal_vectors, face_selections
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (HYP_ASSUMPTION1, HYP_GENERIC_DATA, HYP_LEMMA2_BOUNDARY, HYP_RELU_SQUARE, catalog_instance,
                     d1_constants, data_constant_instances, ds_params, invariant_errors, lambda_star)
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[HYP_RELU_SQUARE, HYP_GENERIC_DATA],
                  data_instances=data_constant_instances)

# =========================================================================== Lemmas 9, 10 and the D.1 constants


def _d1_instances(tier):
    return [catalog_instance("DS-P(0.1)"), catalog_instance("DS-G"), catalog_instance("DS-2N"),
            catalog_instance("DS-S6"),
            catalog_instance("DS-2N(-)", desc="negative labels: the extremal vectors lie in -A^{-1}(u) (local minima "
                                              "of G, the attractors of negative neurons)")]


def _d1_values(X, y) -> dict:
    """The D.1 constants (delta_0 = min(delta_0', delta_0''), Eq. (21); alpha_min with alpha_min,- in the symmetric
    reading of Eq. (24), alpha_min_printed with its printed index set, F9), and the two near misses of Lemmas 9 and 10 on
    the same enumeration of the cones: D_min without the index-set condition 0 not in 𝔇_u (min over every face u != 0
    of ||D_u||), and delta_0'' with k ranging over all k (u_k = 0 included) for the extremal u."""
    c = d1_constants(X, y)
    norms = [np.linalg.norm(s.D) for s in face_selections(X, y, 0.0, "square", "mean", 1e-10) if np.any(s.pattern)]
    d0_all = np.inf
    for e in extremal_vectors(X, y):
        nz = np.flatnonzero(e.pattern != 0)
        d0_all = min(d0_all, float(np.min(np.abs(X[nz] @ e.D) / np.linalg.norm(X[nz], axis=1))))
        if np.any(e.pattern == 0):  # <D_u, x_k> = 0 for u_k = 0: exactly, since D_u is in +-A^{-1}(u) (Def. 1)
            d0_all = 0.0
    return {"D_min": c["D_min"], "alpha_min": c["alpha_min_sym"], "alpha_min_printed": c["alpha_min"],
            "D_max": c["D_max"], "delta0p": c["delta0_prime"],
            "delta0s": c["delta0_second"], "D_min_all": float(min(norms)), "delta0s_all": d0_all}


def _d1_measure(inst, point, precision) -> Measurement:
    """D_max, D_min, alpha_min (closure reading of Eq. (24)), delta_0 (Eq. (21)) and the near-miss quantities of
    :func:`_d1_values`, with error estimates measured on rotated copies of the data (:func:`common.invariant_errors`);
    alpha_min = sqrt(1 - c^2) also gets the rounding of its cosine c propagated (c/alpha 4 ulp), a bias that every
    rotated copy shares (on DS-P(0.1) it is 1.1e-15, against 8.6e-16 between copies).
    The values are returned whatever their sign: a zero alpha_min D_min or delta_0 is Lemma 9's or Lemma 10's
    conclusion failing, and the judgement says VIOLATED. lambda* of Eq. (22) (which divides by them) is in info."""
    X, y = inst.arrays()
    vals, errs = invariant_errors(_d1_values, X, y)
    for key in ("alpha_min", "alpha_min_printed"):
        a = vals[key]
        if 0 < a < 1:  # alpha = sqrt(1 - c^2) amplifies the rounding of the cosine c by c/alpha (shared by every copy)
            errs[key] = max(errs[key], math.sqrt(1 - a * a) / a * 4 * np.finfo(float).eps)
    c = d1_constants(X, y)
    info = {k: (v if (not isinstance(v, float) or math.isfinite(v)) else "inf") for k, v in c.items()}
    for reading in ("printed", "symmetric"):
        try:
            info[f"lambda_star_{reading}"] = lambda_star(X, y, reading=reading)
        except ValueError as exc:
            info[f"lambda_star_{reading}"] = f"undefined: {exc}"
    fin = {k: (v if math.isfinite(v) else 1e300) for k, v in vals.items()}  # min of an empty set = +inf (l.791)
    errs = {k: (e if math.isfinite(vals[k]) else 0.0) for k, e in errs.items()}
    return Measurement(values=fin, errors=errs, info=info)


D_MIN, ALPHA_MIN, ALPHA_MIN_PRINTED, D_MAX, DELTA0_P, DELTA0_S, D_MIN_ALL, DELTA0_S_ALL = sp.symbols(
    "D_min alpha_min alpha_min_printed D_max delta0p delta0s D_min_all delta0s_all", real=True)
D1_LATEX = {"D_min": r"D_{\min}", "alpha_min": r"\alpha_{\min}", "alpha_min_printed": r"\alpha_{\min}^{\mathrm{printed}}",
            "D_max": r"D_{\max}", "delta0p": r"\delta_0'", "delta0s": r"\delta_0''",
            "D_min_all": r"\min_{u\neq0}\|D_u\|", "delta0s_all": r"\delta_0''|_{\forall k}"}
D1_DOC = {"D_min": "min_{u: 0 not in 𝔇_u} ||D_u|| (l.796)",
          "alpha_min": "Eq. (23)-(24), closure reading, alpha_min,- over u with 𝔇_u ∩ -A^{-1}(u) = ∅ (F9)",
          "alpha_min_printed": "the same with alpha_min,- over the printed index set 𝔇_u ∩ A^{-1}(u) = ∅",
          "D_max": "max_u ||D_u|| (l.159)", "delta0p": "delta_0' of Eq. (21) (+inf, shown 1e300, if no extremal u "
          "has a zero entry)", "delta0s": "delta_0'' of Eq. (21)",
          "D_min_all": "min over every face u != 0 of ||D_u|| (D_min without its index-set condition)",
          "delta0s_all": "delta_0'' with k ranging over every k (u_k = 0 included)"}
D1_PROVIDES = ("D_min", "alpha_min", "alpha_min_printed", "D_max", "delta0p", "delta0s", "D_min_all", "delta0s_all")
claims.add(
    "lemma9", "Lemma 9 (alpha_min > 0 and D_min > 0), alpha_min,- read symmetrically (F9)", "App. D.1, l.796-823",
    "closed-form", catalog_ref="E31, F9", result="lemma9", statement=sp.Gt(ALPHA_MIN * D_MIN, 0),
    latex_names=D1_LATEX, symbols_doc=D1_DOC, quantifier="a.s. over the data", instances=_d1_instances,
    measure=_d1_measure, extra_hypotheses=[HYP_LEMMA2_BOUNDARY], provides=D1_PROVIDES,
    mutant=Mutant(sp.Gt(ALPHA_MIN * D_MIN_ALL, 0), "D_min with its index set widened from {u: 0 not in 𝔇_u} to every "
                                                   "face u != 0 (the dead cones, D_u = 0, then count)"),
    notes="alpha_min,- is read with the index set 𝔇_u ∩ -A^{-1}(u) = ∅ that its symmetric role asks for (F9); with "
          "the printed index set Lemma 9 fails on DS-2N(-) (boursier2024.lemma9.printed). The mutant drops the "
          "condition 0 not in 𝔇_u of D_min: on data with a dead arc of G (every instance here) it is 0. Error "
          "estimates: deviation over rotated copies of the data (+ the rounding of the cosine propagated through "
          "sqrt(1 - c^2) for alpha). A zero alpha_min D_min is returned, not raised, so the claim can be VIOLATED (a "
          "measure-zero dataset with D_u on a cone boundary has alpha_min = 0: the hypothesis 'Lemma 2 (i)' then "
          "fails, NOT_APPLICABLE).")
claims.add(
    "lemma9.printed", "Lemma 9 with Eq. (24) as printed (alpha_min,- over u with 𝔇_u ∩ A^{-1}(u) = ∅)",
    "App. D.1, l.796-823", "closed-form", catalog_ref="E31, F9", result="lemma9",
    statement=sp.Gt(ALPHA_MIN_PRINTED * D_MIN, 0), latex_names=D1_LATEX, symbols_doc=D1_DOC,
    quantifier="a.s. over the data", instances=_d1_instances, measure=_d1_measure,
    extra_hypotheses=[HYP_LEMMA2_BOUNDARY], provides=D1_PROVIDES, tags=("finding",),
    mutant=Mutant(sp.Gt(ALPHA_MIN_PRINTED * D_MIN_ALL, 0), "D_min over every face u != 0"),
    control=Mutant(sp.Gt(ALPHA_MIN * D_MIN, 0), "alpha_min,- over the symmetric index set 𝔇_u ∩ -A^{-1}(u) = ∅ "
                                                 "(catalog F9)"),
    notes="With the printed index set, alpha_min,- ranges over the u with D_u in -A^{-1}(u) (an extremal vector of a "
          "local minimum of G), where the minimal cosine is -1: alpha_min,- = 0. That happens on an open set of "
          "data, e.g. DS-2N(-) (labels (-1, -1)), which satisfies Lemma 2 (i) and (ii): Lemma 9 as printed is false "
          "there, lambda* of Eq. (22) is 0 and Theorem 1 is vacuous. The symmetric reading (control) holds.")
claims.add(
    "lemma10", "Lemma 10 (delta_0 > 0) and Eq. (22) lambda*", "App. D.1, l.784-835", "closed-form",
    catalog_ref="E31, F8", result="lemma10", statement=sp.Gt(sp.Min(DELTA0_P, DELTA0_S), 0), latex_names=D1_LATEX,
    symbols_doc=D1_DOC,
    quantifier="a.s. over the data", instances=_d1_instances, measure=_d1_measure,
    extra_hypotheses=[HYP_LEMMA2_BOUNDARY], provides=D1_PROVIDES,
    mutant=Mutant(sp.Gt(sp.Min(DELTA0_P, DELTA0_S_ALL), 0), "delta_0'' with k ranging over every k (the condition "
                                                            "u_k != 0 dropped): 0 for an extremal vector on a ray "
                                                            "(DS-2N)"),
    notes="lambda*_{alpha0} (Eq. (22)) depends on eps through its exponent 1/(2 - 4 eps) although Theorem 1 says "
          "it depends only on the data and alpha0 (F8): info['lambda_star_eps']; it is computed only where Lemmas "
          "9, 10 hold (it divides by alpha_min^2 D_min^2). delta_0 = +inf (min of an empty set, l.791) is shown as "
          "1e300. The mutant is rejected on DS-2N, whose ray extremal vectors have <D_u, x_k> = 0 for u_k = 0.")

# =========================================================================== Lemma 11 (tightness of delta_0)


def _pattern_margin(X, y, h):
    """Pattern-preservation margin of Lemma 11 for every extremal u at residual perturbation h: for
    D_u^theta (min-norm, with ell'(h_k, y_k)), min over u_k != 0 of s u_k <D_u^theta, x_k>/||x_k|| and over
    u_k = 0 of sigma_min-free box margin min(eta_k, 1 - eta_k) (> 0 iff the pattern is kept)."""
    out = math.inf
    for e in extremal_vectors(X, y):
        sel = D_u(e.pattern, X, y, h)
        u = e.pattern
        nz = np.flatnonzero(u != 0)
        m1 = float(np.min(e.sign * u[nz] * (X[nz] @ sel.D) / np.linalg.norm(X[nz], axis=1)))
        z = np.flatnonzero(u == 0)
        m2 = float(np.min(np.minimum(sel.eta[z], 1 - sel.eta[z]))) if z.size else math.inf
        out = min(out, m1, m2)
    return out


#: perturbation levels rho (size rho delta_0): inside the lemma's hypothesis (< 1) and beyond it, where the statement
#: claims nothing but the near miss (threshold 1.05 delta_0) claims a positive margin
RHO_GRID = (0.5, 0.999, 1.02)


def _lemma11_instances(tier):
    kw = dict(grid=[{"rho": r} for r in RHO_GRID], grid_param="rho", grid_symbol="ρ")
    return [Instance("DS-G", {**ds_params("DS-G"), "nsamp": 60}, **kw),
            Instance("DS-P(0.1)", {**ds_params("DS-P(0.1)"), "nsamp": 60}, **kw),
            Instance("DS-2N", {**ds_params("DS-2N"), "nsamp": 60}, **kw)]


def _lemma11_data_instances(ds):
    return data_constant_instances(ds, extra={"nsamp": 60}, grid=[{"rho": r} for r in RHO_GRID], grid_param="rho",
                                   grid_symbol="ρ")


def _concentrated(X, y, delta0, rho):
    """The concentrated perturbation of catalog E32: all the mass (1/n) sum |h_k| ||x_k|| = rho delta_0 on the k
    (and sign) that minimises the margin."""
    n = len(y)
    best = (math.inf, None)
    for k in range(n):
        for s in (1, -1):
            h = np.zeros(n)
            h[k] = s * n * rho * delta0 / np.linalg.norm(X[k])
            val = _pattern_margin(X, y, h)
            if val < best[0]:
                best = (val, (k, s))
    return best


def _lemma11_margin(X, y, rho, nsamp):
    """min over nsamp random perturbations h (directions uniform, scaled so (1/n) sum |h_k| ||x_k|| = rho delta_0;
    seed 0) and over the concentrated one of the pattern-preservation margin, with the concentrated one's (k, sign)."""
    n = len(y)
    d0 = d1_constants(X, y)["delta0"]
    rng = np.random.default_rng(0)
    xn = np.linalg.norm(X, axis=1)
    worst = math.inf
    for _ in range(nsamp):
        g = rng.standard_normal(n)
        h = g * rho * d0 * n / float(np.abs(g) @ xn)
        worst = min(worst, _pattern_margin(X, y, h))
    conc, ks = _concentrated(X, y, d0, rho)
    return min(worst, conc), ks


def _lemma11_measure(inst, point, precision) -> Measurement:
    """At perturbation level rho: the worst pattern-preservation margin (:func:`_lemma11_margin`), error estimate
    measured on rotated copies of the data (:func:`common.invariant_errors`: the margins are rotation invariant);
    the indicators [rho >= 1] (outside the lemma's hypothesis) and [rho >= 1.05] (outside the near miss's), exact;
    pad, a bound on -margin (exact: the smallest power of 2 above (1/n) sum |y_k| ||x_k|| + rho delta_0 >= ||D_u^theta||
    >= -margin, and at least 2); rho_crit in info: where the concentrated perturbation first breaks the pattern
    (bisection)."""
    X, y = inst.arrays()
    rho, nsamp = float(point["rho"]), int(inst.params["nsamp"])
    vals, errs = invariant_errors(lambda X_, y_: {"margin": _lemma11_margin(X_, y_, rho, nsamp)[0]}, X, y)
    _, ks = _lemma11_margin(X, y, rho, 0)
    d0 = d1_constants(X, y)["delta0"]
    lo, hi = 0.5, 1.5
    for _ in range(34):
        mid = 0.5 * (lo + hi)
        if _concentrated(X, y, d0, mid)[0] > 0:
            lo = mid
        else:
            hi = mid
    bound = float(np.abs(y) @ np.linalg.norm(X, axis=1)) / len(y) + rho * d0
    pad = max(2.0, 2.0 ** math.ceil(math.log2(1.01 * bound)))
    return Measurement(values={"margin": vals["margin"], "out1": float(rho >= 1), "out105": float(rho >= 1.05),
                               "pad": pad},
                       errors={"margin": errs["margin"]}, exact=("out1", "out105", "pad"),
                       coords={"k": ks[0] + 1, "sign": ks[1]}, info={"delta0": d0, "rho_crit": hi})


MARGIN, OUTSIDE, OUTSIDE_105, PAD = sp.symbols("margin out1 out105 pad", real=True)
claims.add(
    "lemma11", "Lemma 11 (extremal cones stable while (1/n) sum ||h_k x_k|| < delta_0)", "App. D.2, l.839-904",
    "closed-form", catalog_ref="E32, E31", result="lemma11", statement=sp.Gt(MARGIN, -PAD * OUTSIDE),
    latex_names={"margin": r"\min_{h}\ \mathrm{margin}(D_u^\theta)", "out1": r"\mathbb{1}[\rho\geq1]",
                 "out105": r"\mathbb{1}[\rho\geq1.05]", "pad": r"p"},
    symbols_doc={"margin": "min over perturbations of size rho delta_0 of the pattern-preservation margin",
                 "out1": "1 if rho >= 1 (the perturbation is outside the lemma's hypothesis: nothing is claimed)",
                 "out105": "1 if rho >= 1.05 (outside the near miss's hypothesis)",
                 "pad": "a bound on -margin (a power of 2, >= 2): outside the hypothesis the statement is trivial"},
    quantifier="for every theta with (1/n) sum ||h_theta(x_k) x_k|| = rho delta_0 < delta_0",
    hypotheses=[HYP_RELU_SQUARE, HYP_ASSUMPTION1, HYP_GENERIC_DATA], instances=_lemma11_instances,
    measure=_lemma11_measure, provides=("out105",), data_instances=_lemma11_data_instances,
    mutant=Mutant(sp.Gt(MARGIN, -PAD * OUTSIDE_105), "the lemma with threshold 1.05 delta_0 (catalog E32 mutation): "
                                                     "rejected at rho = 1.02"),
    notes="delta_0 is exactly tight: the concentrated perturbation breaks the pattern at rho_crit = 1 (info), so the "
          "near miss with threshold 1.05 delta_0 is rejected at rho = 1.02, where the lemma claims nothing (its "
          "statement reads margin > -p there, p a bound on -margin: 2 on the catalog data, a larger power of 2 on data "
          "with large labels).")
