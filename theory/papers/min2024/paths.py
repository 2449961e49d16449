"""min2024 Appendix C.2, "bound on total travel time" (l.2523-2744): the activation-count paths, the maximal path P_max
and t_1 = 16 log n/c (catalog E40), with the findings on that part: the printed path definition is reversed and too
weak (F7), the intermediate bound 2 H_n + 1/2 <= 4 log n fails at n = 2 (F8), and every log must be natural (F21).

Travel times are in units of 4/c (c = min{zeta, xi} sqrt(mu) X_min): an edge leaving the count pair (k_+, k_-) costs
1/(k_+ + k_-). The longest path is computed by dynamic programming over the DAG of count pairs with k_+ non-decreasing,
k_- non-increasing, one strict change per step, never (0, 0), ending at (n_+, 0): exact rationals.
"""
from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import FLOW_SETTING, ia8_instance, ra_instance, run_for
from .paper import CATALOG, KEY, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64)


def harmonic(n: int) -> Fraction:
    return sum((Fraction(1, k) for k in range(1, n + 1)), Fraction(0))


@lru_cache(maxsize=None)
def longest(kp: int, km: int, n_plus: int) -> Fraction:
    """Longest travel time (units of 4/c) from the count pair (kp, km) to (n_plus, 0) along monotone steps."""
    if (kp, km) == (n_plus, 0):
        return Fraction(0)
    best = None
    for a in range(kp, n_plus + 1):
        for b in range(0, km + 1):
            if (a, b) == (kp, km) or (a, b) == (0, 0):
                continue
            v = Fraction(1, kp + km) + longest(a, b, n_plus)
            best = v if best is None or v > best else best
    return best


def dp_max(n_plus: int, n_minus: int) -> Fraction:
    """max over every start (k_+, k_-) != (0, 0) of the longest path to (n_+, 0)."""
    return max(longest(a, b, n_plus) for a in range(n_plus + 1) for b in range(n_minus + 1) if (a, b) != (0, 0))


def t_pmax(n_plus: int, n_minus: int) -> Fraction:
    """T(P_max) in units of 4/c: H_{n_-} + 1/2 + H_{n_+ - 1} (l.2690)."""
    return harmonic(n_minus) + Fraction(1, 2) + harmonic(n_plus - 1)


def _frac(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


GRID = [(a, b) for a in range(1, 7) for b in range(1, 7)]


def _random_pairs(seed: int, k: int, top: int):
    rng = np.random.default_rng(seed)
    return sorted({(int(a), int(b)) for a, b in rng.integers(1, top + 1, size=(k, 2))})


def _pairs_instance(tier):
    k, top = (6, 12) if tier == "fast" else (20, 16)
    return [Instance("count pairs n_+, n_- in 1..6 (36 cases)", {"pairs": GRID}),
            Instance(f"generic: {k} random count pairs (n_+, n_-) in [1, {top}]^2 (seed 8)",
                     {"pairs": [list(pq) for pq in _random_pairs(8, k, top)]})]


def _pairs_ok(inst):
    bad = [pq for pq in inst.params["pairs"] if not (int(pq[0]) >= 1 and int(pq[1]) >= 1)]
    return not bad, (f"{len(inst.params['pairs'])} pairs, all n_+, n_- >= 1" if not bad else f"empty class in {bad}")


#: C.2 counts paths of a neuron of V_+ with both classes present (n_+, n_- >= 1; Theorem 1 (2), Assumption 2)
HYP_PAIRS = Hypothesis("both classes non-empty: n_+, n_- >= 1", _pairs_ok, "§3.1 l.343; App. C.2 l.2578")


def _maximal_measure(inst, point, precision) -> Measurement:
    """DP maximum, T(P_max) and the catalog's wrong formula H_{n_-} + H_{n_+}, exact rationals."""
    pairs = [tuple(p) for p in inst.params["pairs"]]
    return Measurement(values={"T_dp": [_frac(dp_max(a, b)) for a, b in pairs],
                               "T_pmax": [_frac(t_pmax(a, b)) for a, b in pairs],
                               "T_wrong": [_frac(harmonic(b) + harmonic(a)) for a, b in pairs]},
                       exact=True, coords={"(n_+, n_-)": [f"({a}, {b})" for a, b in pairs]})


T_DP, T_PMAX, T_WRONG = sp.symbols("T_dp T_pmax T_wrong", positive=True)
claims.add(
    "paths.maximal", "C.2: every path is at most as long as P_max, T(P_max) = (4/c)(H_{n_-} + 1/2 + H_{n_+ - 1})",
    "App. C.2, l.2578-2714", "closed-form", catalog_ref="E40, X8", result="paths", hypotheses=[HYP_PAIRS],
    statement=sp.Eq(T_DP, T_PMAX), measure=_maximal_measure, instances=_pairs_instance, provides=("T_wrong",),
    mutant=Mutant(sp.Eq(T_DP, T_WRONG), "(4/c)(H_{n_-} + H_{n_+}) (the 1/2 dropped, index shifted; catalog E40)"),
    latex_names={"T_dp": r"\max_{\mathcal{P}}\mathcal{T}(\mathcal{P})", "T_pmax": r"\mathcal{T}(\mathcal{P}_{\max})",
                 "T_wrong": r"H_{n_-}+H_{n_+}"},
    symbols_doc={"T_dp": "longest monotone path (DP, units of 4/c)", "T_pmax": "H_{n_-} + 1/2 + H_{n_+-1}"},
    quantifier="all 36 pairs (n_+, n_-) in [1, 6]^2 (and random pairs up to 16)",
    notes="The DP uses the corrected path definition (finding F7: k_+ non-decreasing, k_- non-increasing, one strict "
          "change per step); the paper's edge-correspondence argument (Figures 16-17) is confirmed.")


def _t1_measure(inst, point, precision) -> Measurement:
    """T(P_max) (units of 4/c) and ln n for n = n_+ + n_-."""
    pairs = [tuple(p) for p in inst.params["pairs"]]
    return Measurement(values={"T_pmax": [_frac(t_pmax(a, b)) for a, b in pairs],
                               "ln_n": [math.log(a + b) for a, b in pairs]},
                       errors={"ln_n": "rounding"}, exact=("T_pmax",),
                       coords={"(n_+, n_-)": [f"({a}, {b})" for a, b in pairs]},
                       info={"max_ratio": max(float(t_pmax(a, b)) / (4 * math.log(a + b)) for a, b in pairs)})


LN_N = sp.Symbol("ln_n", positive=True)
claims.add(
    "paths.t1", "C.2: T(P_max) <= 16 log n/c = t_1 (log natural)", "App. C.2, l.2686-2707", "closed-form",
    catalog_ref="E40, F21", result="paths", hypotheses=[HYP_PAIRS], statement=sp.Le(T_PMAX, 4 * LN_N),
    measure=_t1_measure, instances=_pairs_instance,
    mutant=Mutant(sp.Le(T_PMAX, 2 * LN_N), "constant 16 -> 8 ((1, 1): 1.5 > 2 ln 2)"),
    latex_names={"T_pmax": r"\frac{c}{4}\mathcal{T}(\mathcal{P}_{\max})", "ln_n": r"\log n"},
    quantifier="all 36 pairs (n_+, n_-) in [1, 6]^2 (and random pairs up to 16)",
    notes="Catalog E40: max ratio 0.569 (info).")


def _n_instances(tier):
    big = [61, 80, 100, 150, 200, 300] + ([500, 1000] if tier == "full" else [])
    return [Instance("n = 2..60", {"ns": list(range(2, 61))}),
            Instance(f"generic: larger n in {{{', '.join(map(str, big))}}}", {"ns": big})]


def _n_ok(inst):
    ns = [int(n) for n in inst.params["ns"]]
    return min(ns) >= 2, f"n in [{min(ns)}, {max(ns)}] ({len(ns)} values): n_+, n_- >= 1 possible iff n >= 2"


HYP_N = Hypothesis("n >= 2 (both classes non-empty)", _n_ok, "§3.1 l.343; App. C.2 l.2686")


def _harmonic_measure(inst, point, precision) -> Measurement:
    """For every n of the instance: 2 H_n + 1/2 (the intermediate step), max_{n_+ + n_- = n} T(P_max) (exact: H_{n_-} +
    1/2 + H_{n_+ - 1} over the splits, from one table of harmonic numbers), ln n, log10 n."""
    ns = [int(n) for n in inst.params["ns"]]
    H = [Fraction(0)]
    for k in range(1, max(ns) + 1):
        H.append(H[-1] + Fraction(1, k))
    worst = [max(H[n - a] + Fraction(1, 2) + H[a - 1] for a in range(1, n)) for n in ns]
    return Measurement(values={"H2": [_frac(2 * H[n] + Fraction(1, 2)) for n in ns],
                               "T_worst": [_frac(w) for w in worst], "ln_n": [math.log(n) for n in ns],
                               "log10_n": [math.log10(n) for n in ns]},
                       errors={"ln_n": "rounding", "log10_n": "rounding"}, exact=("H2", "T_worst"),
                       coords={"n": ns})


H2, T_WORST, LOG10_N = sp.symbols("H2 T_worst log10_n", positive=True)
HARM_NAMES = {"H2": r"2H_n+\frac{1}{2}", "T_worst": r"\max_{n_++n_-=n}\frac{c}{4}\mathcal{T}(\mathcal{P}_{\max})",
              "ln_n": r"\ln n", "log10_n": r"\log_{10}n"}
claims.add(
    "finding.F8", "Finding F8: the intermediate bound 2 H_n + 1/2 <= 4 log n (l.2686-2707) fails at n = 2",
    "App. C.2, l.2686-2707", "closed-form", catalog_ref="F8, E40", result="paths", hypotheses=[HYP_N],
    tags=("finding",), statement=sp.Le(H2, 4 * LN_N), measure=_harmonic_measure, instances=_n_instances,
    provides=("T_worst",),
    mutant=Mutant(sp.Le(T_WORST, 2 * LN_N), "near miss of the control: constant 16 -> 8 (T(P_max) ~ 2 ln n + 0.27 for "
                                            "large n); rejected where the control holds"),
    control=Mutant(sp.Le(T_WORST, 4 * LN_N), "the final bound T(P_max) <= 16 log n/c, which still holds"),
    latex_names=HARM_NAMES, symbols_doc={"H2": "2 H_n + 1/2", "T_worst": "worst T(P_max) over n_+ + n_- = n"},
    quantifier="n = 2..60 (generic: n up to 300, 1000 in the full tier)",
    notes="At n = 2: 3.5 > 4 ln 2 = 2.77; it holds from n = 3 on (the generic instance, n >= 61, holds). t_1 itself is "
          "not affected.")
claims.add(
    "finding.F21", "Finding F21: the log in t_1 = 16 log n/c must be natural (with log10 T(P_max) <= t_1 fails for all "
    "n)", "App. C.2, l.2535-2707", "closed-form", catalog_ref="F21, F8", result="paths", hypotheses=[HYP_N],
    tags=("finding",), statement=sp.Le(T_WORST, 4 * LOG10_N), measure=_harmonic_measure, instances=_n_instances,
    provides=("ln_n",),
    mutant=Mutant(sp.Le(T_WORST, 2 * LN_N), "near miss of the control: natural log with constant 8 instead of 16 "
                                            "(T(P_max) ~ 2 ln n + 0.27); rejected where the control holds"),
    control=Mutant(sp.Le(T_WORST, 4 * LN_N), "natural log: T(P_max) <= 16 ln n/c"), latex_names=HARM_NAMES,
    symbols_doc={"T_worst": "worst T(P_max) over n_+ + n_- = n", "log10_n": "log10 n"},
    quantifier="n = 2..60 (generic: n up to 300, 1000 in the full tier)",
    notes="2 H_n > 2 ln n > 1.74 ln n = 4 log10 n: with log10 (or log2 read as ln-free) the bound fails everywhere.")

# =========================================================================== F7: the path definition


def _f7_measure(inst, point, precision) -> Measurement:
    """Consecutive count pairs (k_own, k_opp) of every neuron that ends in its own cone (V_+: (k_+, k_-); V_-:
    (k_-, k_+)), from the event-located run: ok_printed = 1[k_own decreases or k_opp increases] (the printed
    condition 2, l.2588-2594), ok_fixed = 1[k_own non-decreasing, k_opp non-increasing, one strict]."""
    R = run_for(inst)
    okp, okf, lab = [], [], []
    for j in range(R.h):
        own = R.y > 0 if R.s[j] > 0 else R.y < 0
        hist = R.history(j)
        regs = [p for _, p, _ in hist]
        if not np.array_equal(regs[-1], own):
            continue
        cnt = [(int(p[own].sum()), int(p[~own].sum())) for p in regs]
        for (a0, b0), (a1, b1) in zip(cnt, cnt[1:]):
            if (a0, b0) == (a1, b1):
                continue
            okp.append(int(a0 > a1 or b0 < b1))
            okf.append(int(a1 >= a0 and b1 <= b0))
            lab.append(f"j={j}: ({a0}, {b0}) -> ({a1}, {b1})")
    if not okp:
        raise RuntimeError("no neuron path on this run")
    return Measurement(values={"ok_printed": okp, "ok_fixed": okf}, exact=True, coords={"step": lab})


OKP, OKF = sp.symbols("ok_printed ok_fixed", real=True)
claims.add(
    "finding.F7", "Finding F7: the printed path condition (k_+ decreases or k_- increases) is reversed",
    "App. C.2, l.2588-2594", "flow-inequality", catalog_ref="F7, E40", result="paths", hypotheses=FLOW_SETTING,
    tags=("finding",), statement=sp.Ge(OKP, 1), measure=_f7_measure, share=f"{KEY}.flow",
    instances=lambda tier: [ia8_instance("eps2", T=705.0), ra_instance(-6.0, T=60.0)], provides=("ok_fixed",),
    mutant=Mutant(sp.Ge(OKP, 0), "no condition at all"),
    control=Mutant(sp.Ge(OKF, 1), "k_+ non-decreasing, k_- non-increasing, one strict change (the dynamics, (7)-(8))"),
    latex_names={"ok_printed": r"\mathbb{1}[k_+^{(l)}>k_+^{(l+1)}\vee k_-^{(l)}<k_-^{(l+1)}]",
                 "ok_fixed": r"\mathbb{1}[k_+^{(l)}\le k_+^{(l+1)}\wedge k_-^{(l)}\ge k_-^{(l+1)}]"},
    symbols_doc={"ok_printed": "the printed condition 2 holds for the step", "ok_fixed": "the corrected one"},
    quantifier="every step of every neuron that ends in its own cone",
    notes="The printed 'either ... or' would also let one count move the wrong way; the flow gains positives and loses "
          "negatives (V_+), so every real path violates the printed condition.")
