"""tsoy2024 Lemma 5.3 (the probability that an isotropic init of m neurons captures all four extrema of G), its proof's
ingredients (App. D.2: the attracting cap A, the cap-volume bound), the neuron-capture statement of App. B.1 and the
"m = O(-ln delta)" part of Theorem 4.1.

Capture probabilities come from a Monte Carlo of the direction flow of the linearised system (2) (common.
capture_outcomes: isotropic directions and Rademacher signs, RK4 until a neuron of the right sign is inside the
activation region of an extremum). Since the neurons of (2) are independent, the per-neuron outcome probabilities
p = (p_+e1, p_-e1, p_+e2, p_-e2) determine P(all four captured) exactly, by inclusion-exclusion over the cells of a
multinomial: P_all(m) = sum_{S subset [4]} (-1)^|S| (1 - sum_{k in S} p_k)^m. Its error is a 99% interval by the delta
method over the multinomial covariance of p-hat (unresolved neurons counted for every cell at the upper end), capped by
the maximum P_all(m; q/4, q/4, q/4, q/4) at the captured mass q (the all-cells-hit probability is Schur-concave in p). Disjoint groups of m neurons of the
pool give a direct Monte Carlo of the same probability (info).
"""
from __future__ import annotations

import math
from itertools import combinations

import mpmath
import numpy as np
import sympy as sp

from numerics.margins import wilson_interval
from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import H_XOR_IF_DATA, XOR_SETTING, activation, arrays, capture_outcomes, run_group, xor_delta
from .datasets import DATA_HYPOTHESES, UserSettings
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=XOR_SETTING)


def cap_fraction(t, d):
    """Vol(A)/Vol(S^{d-1}) for A = {x in S^{d-1}: e_1^T x >= t}, 0 <= t <= 1: (1/2) I_{1-t^2}((d-1)/2, 1/2) (mpmath)."""
    t = mpmath.mpf(t)
    return mpmath.betainc(mpmath.mpf(d - 1) / 2, mpmath.mpf(1) / 2, 0, 1 - t * t, regularized=True) / 2


def p_all(m, p):
    """P(every cell hit) for m i.i.d. draws with cell probabilities p (inclusion-exclusion)."""
    out = 0.0
    for k in range(len(p) + 1):
        for S in combinations(range(len(p)), k):
            out += (-1) ** k * (1 - sum(p[i] for i in S)) ** m
    return out


def _delta_xi(p):
    """delta of Assumption 5.1 and xi."""
    return xor_delta(p), float(p.get("xi", 0.0))


def capture_stats(p):
    """Per-neuron outcome frequencies with 99% Wilson intervals (unresolved neurons added to every upper end), from
    ``n_mc`` neurons."""
    n = int(p["n_mc"])
    o = capture_outcomes(p, n, seed=int(p.get("mc_seed", 0)), t_max=200.0, dt=0.25)
    unres = int(np.sum(o == -1))
    ph, lo, hi = [], [], []
    for k in range(4):
        c = int(np.sum(o == k))
        a, b = wilson_interval(c, n)
        ph.append(c / n)
        lo.append(a)
        hi.append(min(1.0, b + unres / n))
    return o, np.array(ph), np.array(lo), np.array(hi), unres / n


Z99 = 2.5758293035489004


def _p_all_grad(m, p):
    g = np.zeros(len(p))
    for k in range(len(p) + 1):
        for S in combinations(range(len(p)), k):
            if k:
                d = (-1) ** k * m * (1 - sum(p[i] for i in S)) ** (m - 1) * -1
                for i in S:
                    g[i] += d
    return g


def p_all_interval(m, ph, unres, n):
    """P_all(m; p-hat) with a 99% interval: the delta method with the multinomial covariance (p_k delta_kl - p_k p_l)/n,
    the unresolved mass added to every cell for the upper end, the upper end capped by the Schur maximum
    P_all(m; q_hi/4, ..., q_hi/4), q_hi = sum p_k + unresolved + 99% binomial margin."""
    ph = np.asarray(ph, dtype=float)
    g = _p_all_grad(m, ph)
    cov = (np.diag(ph) - np.outer(ph, ph)) / n
    sd = math.sqrt(max(float(g @ cov @ g), 0.0))
    P = p_all(m, ph)
    q = float(ph.sum())
    q_hi = min(1.0, q + unres + Z99 * math.sqrt(q * (1 - q) / n))
    hi = min(p_all(m, ph + unres / 4) + Z99 * sd, p_all(m, [q_hi / 4] * 4))
    lo = P - Z99 * sd
    return P, lo, hi


def _direct(o, m, cells=(0, 1, 2, 3)):
    """Direct Monte Carlo over disjoint groups of m neurons of the pool: (successes, groups) for 'every cell hit'."""
    g = len(o) // m
    G = o[: g * m].reshape(g, m)
    ok = np.all([np.any(G == k, axis=1) for k in cells], axis=0)
    return int(ok.sum()), g


# =========================================================================== Lemma 5.3: the product bound (F1)


def _l53_instances(tier):
    ms = [4, 5, 6, 8, 12] if tier == "fast" else [4, 5, 6, 8, 12, 16, 24]
    n = 10000 if tier == "fast" else 40000
    out = [Instance(f"D3A, xi = 0.01, {n} isotropic neurons", {"dataset": "D3A", "xi": 0.01, "n_mc": n},
                    grid=[{"m": m} for m in ms],
                    grid_param="m", grid_symbol="m", description="Monte Carlo of (2) per neuron, exact multinomial")]
    out.append(Instance(f"D3A, xi = 0 (ReLU: the catalog's h = 0.77165), {n} isotropic neurons",
                        {"dataset": "D3A", "xi": 0.0, "n_mc": n}, grid=[{"m": m} for m in ms], grid_param="m",
                        grid_symbol="m", description="Monte Carlo of (2) per neuron, exact multinomial"))
    if tier == "full":
        out.append(Instance(f"D3B, xi = 0.001, {n} isotropic neurons", {"dataset": "D3B", "xi": 0.001, "n_mc": n},
                            grid=[{"m": m} for m in ms], grid_param="m", grid_symbol="m"))
    return out


def _l53_measure(inst, point, precision):
    """P_all(m) from the Monte Carlo capture probabilities (value at p-hat; error: the 99% interval of
    :func:`p_all_interval`), h = 1 - (1/2)
    Vol(A)/Vol(S^{d-1}) with A = {e_1^T x >= delta + xi} (exact), and the direct Monte Carlo (info)."""
    p = inst.params
    m = int(point["m"])
    o, ph, lo, hi, unres = capture_stats(p)
    X, _ = arrays(p)
    delta, xi = _delta_xi(p)
    h = float(1 - cap_fraction(delta + xi, X.shape[1]) / 2)
    P, P_lo, P_hi = p_all_interval(m, ph, unres, int(p["n_mc"]))
    s, g = _direct(o, m)
    dlo, dhi = wilson_interval(s, g)
    return Measurement(values={"P": P, "h": h, "m": m}, errors={"P": max(P_hi - P, P - P_lo), "h": "rounding", "m": 0},
                       coords={"m": m},
                       info={"p-hat (+e1, -e1, +e2, -e2)": ph.tolist(), "unresolved fraction": unres,
                             "P_all 99% interval (delta method, Schur-capped)": [P_lo, P_hi],
                             "Schur maximum P_all(m; 1/4 each)": p_all(m, [0.25] * 4),
                             "direct Monte Carlo (groups of m)": [s, g, dlo, dhi], "delta + xi": delta + xi,
                             "paper bound (1 - h^m)^4": (1 - h ** m) ** 4, "union bound 1 - 4 h^m": 1 - 4 * h ** m})


def _capture_data(ds, ms, what):
    """User data: the capture Monte Carlo of 10000 isotropic neurons (mc_seed = the user's seed, default 0) under the
    ReLU (xi = 0, as the paper's experiments) direction flow of (2); widths m of the grid, or the user's m."""
    u = UserSettings(ds)
    m = [int(u.get("m", 0))] if "m" in u.given else list(ms)
    return [u.instance(f"xi = 0, 10000 isotropic neurons (seed {int(u.get('seed', 0))}){what}",
                       {"xi": 0.0, "n_mc": 10000, "mc_seed": int(u.get("seed", 0))}, grid=[{"m": k} for k in m],
                       grid_param="m", grid_symbol="m", description="Monte Carlo of (2) per neuron",
                       cost=f"cost: n = {len(ds.y)}, 10000 neurons, t <= 200: estimated ~{1 + 2e-4 * len(ds.y) * 100:.0f} s")]


P_ALL, H_CAP, M_W = sp.symbols("P h m", positive=True)
L53_NAMES = {"P": r"P(\text{all four extrema captured})", "h": r"h",
             "m": "m"}
L53_DOC = {"P": "probability that m isotropic neurons capture +-e_1 and +-e_2 (exact multinomial of the Monte Carlo "
                "per-neuron probabilities)", "h": "the statement's h (exact cap fraction)", "m": "width"}

claims.add(
    "finding.F1", "Finding F1: Lemma 5.3, P(success) > (1 − h^m)⁴ (as printed)", "§5.2, l.818-832; App. D.2, l.4287",
    "probabilistic", statement=sp.Gt(P_ALL, (1 - H_CAP ** M_W) ** 4), latex_names=L53_NAMES, symbols_doc=L53_DOC,
    quantifier="every m of the grid", instances=_l53_instances, measure=_l53_measure,
    extra_hypotheses=DATA_HYPOTHESES, data_instances=lambda ds: _capture_data(ds, [4, 5, 8, 12], ""),
    mutant=Mutant(sp.Gt(P_ALL, 1 - 2 * H_CAP ** M_W), "1 - 2 h^m (a near miss of the union bound 1 - 4 h^m)"),
    control=Mutant(sp.Ge(P_ALL, 1 - 4 * H_CAP ** M_W), "the union bound 1 - 4 h^m (catalog F1)"),
    catalog_ref="E21 (iii), F1", result="lemma5.3", tags=("finding",), share=run_group("capture"),
    notes="The four capture events are disjoint cells of one multinomial, hence negatively dependent: the product "
          "of their marginals over-estimates the joint probability. At m = 4 the violation is distribution-free: "
          "P_all(4) <= 4!/4^4 = 0.094 for every p, while (1 - h^4)^4 >= 0.17 for delta + xi <= 0.1. Mutant: 1 - 2 h^m "
          "replaces the catalog's E21 mutation 1 - 3 h^m, which was never rejected at xi = 0.01 and only narrowly at "
          "xi = 0; the catalog's justification of it ('at m=4 it predicts 0.17 > 0.089') is arithmetically wrong: "
          "1 - 3 h^4 = -0.064 at h = 0.77165 (0.17 is the printed (1 - h^4)^4).")



def _df_instances(tier):
    ms = [4, 6, 8, 11, 16]
    return [Instance(f"delta + xi = {t:g} ({name}), d = 3, every capture distribution", {"t": t, "d": 3},
                     grid=[{"m": m} for m in ms], grid_param="m", grid_symbol="m")
            for t, name in ((0.0966025403784, "D3A, xi = 0.01"), (0.00966025403784, "D3B, xi = 0.001"))]


def _td_data(ds, grid_param):
    """User data: t = delta + xi from the data (delta of Assumption 5.1, xi = 0 as the paper's experiments), its d;
    F1 (distribution-free) over m in {4, 6, 8, 11, 16} (or the user's m), F2 at that t."""
    u = UserSettings(ds)
    X = np.asarray(ds.X, dtype=float)
    t = xor_delta({"X": X.tolist(), "y": np.asarray(ds.y).tolist()})
    p = {"xi": 0.0, "d": int(X.shape[1])}
    if grid_param == "m":
        ms = [int(u.get("m", 0))] if "m" in u.given else [4, 6, 8, 11, 16]
        p["t"] = t
        kw = dict(grid=[{"m": m} for m in ms], grid_param="m", grid_symbol="m")
    else:
        kw = dict(grid=[{"t": t}], grid_param="t", grid_symbol="t")
    return [u.instance(f"delta + xi = {t:.6g} (xi = 0), d = {X.shape[1]}", p, **kw)]


def _df_measure(inst, point, precision):
    """The largest possible success probability max_p P_all(m; p) = P_all(m; 1/4, 1/4, 1/4, 1/4) (Schur-concavity of
    the all-cells-hit probability; exact rational arithmetic) and h = 1 - (1/2) Vol(A)/Vol(S^{d-1}) at t = delta + xi."""
    from fractions import Fraction
    m = int(point["m"])
    h = float(1 - cap_fraction(inst.params["t"], int(inst.params["d"])) / 2)
    pmax = float(sum((-1) ** k * math.comb(4, k) * (1 - Fraction(k, 4)) ** m for k in range(5)))
    return Measurement(values={"Pmax": pmax, "h": h, "m": m}, errors={"Pmax": "rounding", "h": "rounding", "m": 0},
                       coords={"m": m})


def _t_d(inst):
    p = inst.params
    ts = [p["t"]] if "t" in p else [g["t"] for g in inst.grid]
    d = int(p["d"])
    return all(0 < t < 1 for t in ts) and d >= 2, f"t = delta + xi in {ts}, d = {d}"


#: Lemma 5.3's cap A = {e_1^T x >= t} on S^{d-1} with 0 < t = delta + xi < 1
H_TD = Hypothesis("0 < delta + xi < 1 and d >= 2 (the cap A of Lemma 5.3)", _t_d, "l.818-832")


P_MAX = sp.Symbol("Pmax", positive=True)
claims.add(
    "finding.F1.distribution_free", "Finding F1 (distribution-free): the printed (1 − h^m)⁴ exceeds every achievable "
    "P(success)", "§5.2, l.818-832; App. D.2, l.4287", "closed-form",
    statement=sp.Ge(P_MAX, (1 - H_CAP ** M_W) ** 4),
    latex_names={"Pmax": r"\max_p P_{\rm all}(m; p)", "h": L53_NAMES["h"], "m": "m"},
    symbols_doc={"Pmax": "P_all(m; 1/4 each) = 1 - 4(3/4)^m + 6(1/2)^m - 4(1/4)^m, the largest success probability "
                         "of any per-neuron capture distribution", "h": L53_DOC["h"], "m": "width"},
    quantifier="every m of the grid (the printed bound must be achievable for it to be a lower bound)",
    hypotheses=[H_TD, H_XOR_IF_DATA] + DATA_HYPOTHESES,
    instances=_df_instances, measure=_df_measure, data_instances=lambda ds: _td_data(ds, "m"),
    mutant=Mutant(sp.Ge(P_MAX, (1 - H_CAP ** (2 * M_W)) ** 4), "(1 - h^{2m})^4"),
    control=Mutant(sp.Ge(P_MAX, 1 - 4 * H_CAP ** M_W), "the union bound 1 - 4 h^m"),
    catalog_ref="E21 (iii), F1", result="lemma5.3", tags=("finding",),
    notes="New beyond the catalog: no Monte Carlo is needed. (1 - x)^4 with x = h^m -> (3/4)^m exceeds 1 - 4(3/4)^m + "
          "6(1/2)^m - 4(1/4)^m because 6(9/16)^m > 6(1/2)^m: as delta + xi -> 0 the printed bound fails at every m; at "
          "delta + xi = 0.0966 (D3A, xi = 0.01) for m <= 5, at 0.00966 (D3B, xi = 0.001) for m <= 11.")

# =========================================================================== Lemma 5.3 proof: the cap bound (F2)


def _cap_instances(tier):
    ts = [0.01, 0.05, 0.1, 0.2, 0.3]
    return [Instance(f"d = {d}, t = delta + xi in {{0.01, ..., 0.3}}", {"d": d}, grid=[{"t": t} for t in ts],
                     grid_param="t", grid_symbol="t") for d in (3, 5)]


def _cap_measure(inst, point, precision):
    """Exact Vol(A)/Vol(S^{d-1}) (regularised incomplete beta, 30 digits; error: change from 40 digits) and the two
    constants: Vol(D^{d-2})/Vol(S^{d-1}) (printed) and |S^{d-2}|/|S^{d-1}| (the (d-2)-measure of the equator)."""
    d = int(inst.params["d"])
    t = mpmath.mpf(point["t"])
    with mpmath.workdps(40):
        f40 = cap_fraction(t, d)
    with mpmath.workdps(30):
        f = cap_fraction(t, d)
        vol_ball = lambda k: mpmath.pi ** (mpmath.mpf(k) / 2) / mpmath.gamma(mpmath.mpf(k) / 2 + 1)
        area = lambda k: 2 * mpmath.pi ** (mpmath.mpf(k + 1) / 2) / mpmath.gamma(mpmath.mpf(k + 1) / 2)  # |S^k|
        printed = vol_ball(d - 2) / area(d - 1)
        corrected = area(d - 2) / area(d - 1)
        asn = mpmath.asin(t)
    return Measurement(values={"frac": f, "kp": printed, "kc": corrected, "asn": asn},
                       errors={"frac": abs(f - f40) + mpmath.mpf(10) ** -28, "kp": mpmath.mpf(10) ** -28,
                               "kc": mpmath.mpf(10) ** -28, "asn": mpmath.mpf(10) ** -28},
                       coords={"t": float(t)}, precision=30)


FRAC, KP, KC, ASN = sp.symbols("frac kp kc asn", positive=True)
CAP_NAMES = {"frac": r"\mathrm{Vol}(A)/\mathrm{Vol}(S^{d-1})", "kp": r"\mathrm{Vol}(D^{d-2})/\mathrm{Vol}(S^{d-1})",
             "kc": r"|S^{d-2}|/|S^{d-1}|", "asn": r"\arcsin(\delta+\xi)"}
claims.add(
    "finding.F2", "Finding F2: Lemma 5.3 proof, Vol(A)/Vol(S^{d−1}) ≥ ½ − Vol(D^{d−2})/Vol(S^{d−1}) arcsin(δ+ξ)",
    "App. D.2, l.4262-4270", "closed-form", statement=sp.Ge(FRAC, sp.Rational(1, 2) - KP * ASN), latex_names=CAP_NAMES,
    symbols_doc={"frac": "exact cap fraction", "kp": "the printed constant", "kc": "|S^{d-2}|/|S^{d-1}|",
                 "asn": "arcsin(t)"},
    quantifier="every t of the grid", hypotheses=[H_TD, H_XOR_IF_DATA] + DATA_HYPOTHESES, instances=_cap_instances,
    measure=_cap_measure, data_instances=lambda ds: _td_data(ds, "t"),
    provides=("kc",), ladder=(30,),
    mutant=Mutant(sp.Ge(FRAC, sp.Rational(1, 2) - 2 * KP * ASN), "twice the printed constant"),
    control=Mutant(sp.Ge(FRAC, sp.Rational(1, 2) - KC * ASN), "corrected: the (d-2)-measure |S^{d-2}| of the equator"),
    catalog_ref="E21 (ii), F2", result="lemma5.3", tags=("finding",),
    notes="d = 3, t = 0.1: exact 0.45 < printed bound 0.48406; corrected bound 0.44990. The asymptotic form "
          "1 - 4(3/4)^m (1 + O(delta + xi)) also needs the factor (1 + O(delta + xi))^m (catalog F2).")

# =========================================================================== App. D.2 (i): attraction rate of A


def _attr_instances(tier):
    n = 6 if tier == "fast" else 24
    return [Instance(f"D3A, xi = 0.01, {n} positive neurons started on the boundary of A", {"dataset": "D3A",
                                                                                            "xi": 0.01, "n": n, "rng": 3}),
            Instance(f"D3(0.92, 0.08, 0.05), xi = 0.01, {n} positive neurons started on the boundary of A",
                     {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.01, "n": n, "rng": 4})]


def _attr_measure(inst, point, precision):
    """Angle alpha(t) to e_1 of positive neurons of (2) started on the boundary of A (e_1^T v = delta + xi, random
    azimuth), at the 60 times 5, 10, ..., 300 (rtol 1e-12; error: change at 1e-9), against alpha_0 e^{-t/(8 pi)}."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    delta, xi = _delta_xi(p)
    rng = np.random.default_rng(p["rng"])
    c = delta + xi
    ts = np.linspace(0, 300, 61)
    phs = rng.uniform(0, 2 * math.pi, int(p["n"]))
    d = X.shape[1]
    V0 = np.zeros((len(phs), d))     # e_1^T v = c, the rest in span{e_2, e_3} (d = 2: +-e_2)
    V0[:, 0] = c
    if d >= 3:
        V0[:, 1], V0[:, 2] = math.sqrt(1 - c * c) * np.cos(phs), math.sqrt(1 - c * c) * np.sin(phs)
    else:
        V0[:, 1] = math.sqrt(1 - c * c) * np.sign(np.cos(phs))
    out = []
    for rtol in (1e-9, 1e-12):       # the neurons of (2) are independent: one run carries them all
        res = smooth_flow(X, y, act, *polar_from_cartesian(np.ones(len(phs)), V0), ts, linearized=True, rtol=rtol)
        D = np.array([res.direction(k) for k in range(len(ts))])              # (T, n, 3)
        out.append(np.arctan2(np.linalg.norm(D[:, :, 1:], axis=2), D[:, :, 0])[1:])   # t = 0 is alpha_0 itself
    A = out[1].ravel().tolist()
    E = (np.abs(out[1] - out[0]) + 1e-15).ravel().tolist()
    T = np.repeat(ts[1:], len(phs)).tolist()
    a0 = math.acos(c)
    return Measurement(values={"alpha": A, "alpha0": a0, "t": T}, errors={"alpha": E, "alpha0": "rounding", "t": 0},
                       coords={"t": T})


def _attr_data(ds):
    u = UserSettings(ds)
    rng = int(u.get("seed", 3))
    return [u.instance(f"xi = 0, 6 positive neurons started on the boundary of A (rng {rng})",
                       {"xi": 0.0, "n": 6, "rng": rng})]


ALPHA, ALPHA0, TA = sp.symbols("alpha alpha0 t", nonnegative=True)
claims.add(
    "lemma5.3.attraction", "Lemma 5.3 proof (i): α(t) ≤ α₀ e^{−t/(8π)} for positive neurons started in A",
    "App. D.2, l.4272-4425", "flow-inequality", statement=sp.Le(ALPHA, ALPHA0 * sp.exp(-TA / (8 * sp.pi))),
    latex_names={"alpha": r"\angle(\hat v(t), e_1)", "alpha0": r"\alpha_0", "t": "t"},
    symbols_doc={"alpha": "angle to e_1 along (2)", "alpha0": "arccos(delta + xi)"},
    quantifier="every neuron, 61 times in [0, 300]", instances=_attr_instances, measure=_attr_measure,
    extra_hypotheses=DATA_HYPOTHESES, data_instances=lambda ds: _attr_data(ds),
    mutant=Mutant(sp.Le(ALPHA, ALPHA0 * sp.exp(-TA / 8)), "rate 1/8 (the pi dropped): faster than lambda = 0.1125"),
    catalog_ref="E21 (i)", result="lemma5.3",
    notes="The true rate is lambda = 0.1125 near e_1, three times the proof's 1/(8 pi) = 0.040.")

# =========================================================================== App. B.1 neuron capture (F7), Theorem 4.1


def _miss_instances(tier):
    ms = [4, 8, 12, 16] if tier == "fast" else [4, 8, 12, 16, 24, 32]
    n = 10000 if tier == "fast" else 40000
    return [Instance(f"D3A, xi = 0.01, {n} isotropic neurons, extremum +e_1", {"dataset": "D3A", "xi": 0.01, "n_mc": n},
                     grid=[{"m": m} for m in ms], grid_param="m", grid_symbol="m",
                     description="Monte Carlo of (2) per neuron"),
            Instance("D3(0.92, 0.08, 0.05), xi = 0.01, 4000 isotropic neurons, extremum +e_1",
                     {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.01, "n_mc": 4000},
                     grid=[{"m": m} for m in ms], grid_param="m", grid_symbol="m",
                     description="Monte Carlo of (2) per neuron")]


def _miss_measure(inst, point, precision):
    """P(+e_1 missed by m isotropic neurons) = (1 - p_+e1)^m (independent neurons of (2); error from the 99% Wilson
    interval of p_+e1, unresolved neurons included), the basin fraction of +e_1 among positive neurons (2 p_+e1,
    the 'vol(basin)/vol(sphere)' of App. B.1), and h = 1 - (1/2) Vol(A)/Vol(S^{d-1}) of Lemma 5.3."""
    p = inst.params
    m = int(point["m"])
    o, ph, lo, hi, unres = capture_stats(p)
    X, _ = arrays(p)
    delta, xi = _delta_xi(p)
    h = float(1 - cap_fraction(delta + xi, X.shape[1]) / 2)
    miss = (1 - ph[0]) ** m
    err = max((1 - lo[0]) ** m - miss, miss - (1 - hi[0]) ** m)
    s, g = _direct(o, m, cells=(0,))
    return Measurement(values={"miss": miss, "basin": 2 * ph[0], "h": h, "m": m},
                       errors={"miss": err, "basin": 2 * (hi[0] - lo[0]) / 2, "h": "rounding", "m": 0},
                       coords={"m": m}, info={"p_+e1": ph[0], "direct Monte Carlo miss (groups of m)":
                                              [g - s, g], "printed (1 - basin)^m": (1 - 2 * ph[0]) ** m,
                                              "h^m": h ** m})


MISS, BASIN = sp.symbols("miss basin", nonnegative=True)
MISS_NAMES = {"miss": r"P(+e_1\ \text{missed})", "basin": r"\mathrm{vol(basin)}/\mathrm{vol(sphere)}", "h": "h", "m": "m"}
MISS_DOC = {"miss": "probability that no neuron of m is captured by +e_1", "basin": "fraction of the sphere whose "
            "positive neurons flow to +e_1", "h": "1 - Vol(A)/(2 Vol(S^{d-1}))"}
claims.add(
    "theorem4.1.capture", "Theorem 4.1: capturing an extremum with probability 1 − δ needs m = O(−ln δ) neurons",
    "§4.1, l.434-440; App. D.2", "probabilistic", statement=sp.Le(MISS, H_CAP ** M_W), latex_names=MISS_NAMES,
    symbols_doc=MISS_DOC, quantifier="every m: P(missed) <= h^m, i.e. m >= ln(1/delta)/ln(1/h) suffices",
    instances=_miss_instances, measure=_miss_measure, provides=("basin",), extra_hypotheses=DATA_HYPOTHESES,
    data_instances=lambda ds: _capture_data(ds, [4, 8, 12, 16], ", extremum +e_1"),
    mutant=Mutant(sp.Le(MISS, H_CAP ** (2 * M_W)), "P(missed) <= h^{2m} (twice the rate)"),
    catalog_ref="E03 (Recipe C)", result="theorem4.1", share=run_group("capture"),
    notes="The constant is data-dependent: ln(1/h) = 0.26 on D3A (h = 0.772), so m = 3.9 ln(1/delta); the "
          "measured per-neuron capture probability 0.245 gives 3.56 ln(1/delta) (catalog E03-C).")

claims.add(
    "finding.F7", "Finding F7: App. B.1, P(captured) ≥ 1 − (1 − vol(basin)/vol(sphere))^m (as printed)",
    "App. B.1, l.2358-2366", "probabilistic", statement=sp.Le(MISS, (1 - BASIN) ** M_W), latex_names=MISS_NAMES,
    symbols_doc=MISS_DOC, quantifier="every m of the grid", instances=_miss_instances, measure=_miss_measure,
    provides=("h",), extra_hypotheses=DATA_HYPOTHESES,
    data_instances=lambda ds: _capture_data(ds, [4, 8, 12, 16], ", extremum +e_1"),
    mutant=Mutant(sp.Le(MISS, (1 - 2 * BASIN) ** M_W), "a further factor 2"),
    control=Mutant(sp.Le(MISS, H_CAP ** M_W), "corrected: with the sign factor 1/2 and the attracting cap A inside "
                   "the basin, P(missed) <= (1 - Vol(A)/(2 Vol(S^{d-1})))^m = h^m (as in Lemma 5.3's proof)"),
    catalog_ref="E05, F7", result="capture", tags=("finding",), share=run_group("capture"),
    notes="Only neurons with s_j = sign G(v^*) can be captured: the sign is a fair coin, so the per-neuron capture "
          "probability is half the basin fraction (Lemma 5.3's proof has the 1/2).")
