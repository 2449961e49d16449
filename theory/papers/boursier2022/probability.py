"""boursier2022 Assumption 3 as a probability over the initialisation (catalog A3, DC-8, IC-1).

For orthonormal inputs and the balanced Gaussian init (4), a neuron is in S_{+,1} iff s_j = +1 and
<g_j, x_k> >= 0 for the n_+ positive-label inputs: probability p_+ = 2^{-(n_+ + 1)} (independent fair signs,
rotation-invariant Gaussian). Over m independent neurons (DC-8):

    P(A3) = 1 - (1 - p_+)^m - (1 - p_-)^m + (1 - p_+ - p_-)^m.

* ``boursier2022.a3.probability``: DC-8 against a Monte Carlo estimate (fixed seed; 2e4 draws fast, 2e5 full): the
  deviation |P_MC - P_DC8| must be below 4 binomial standard errors (a two-sided test at level 6e-5; the frequency
  and its standard error are exact functions of the integer hit count, DC-8 an exact rational).
* ``boursier2022.a3.width``: the width rule of l.460-462 / catalog A3 recipe: m >= 2^{n_+-+1} ln(2/delta)
  gives P(A3) >= 1 - delta (exact, from DC-8).
"""
from __future__ import annotations

import math

import mpmath
import numpy as np
import sympy as sp

from theory.claims import LADDER_F64, Hypothesis, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import PAPER_INIT, USER_M, user_instance, user_settings
from .paper import CATALOG, PAPER


def p_a3(n_plus, n_minus, m, extra_coin: bool = True):
    """DC-8 closed form (sympy expression; ``extra_coin=False`` is the catalog mutant p = 2^{-n})."""
    e = 1 if extra_coin else 0
    pp, pm = sp.Integer(2) ** (-(n_plus + e)), sp.Integer(2) ** (-(n_minus + e))
    return 1 - (1 - pp) ** m - (1 - pm) ** m + (1 - pp - pm) ** m


def monte_carlo_a3(n_plus: int, n_minus: int, m: int, draws: int, seed: int = 0, chunk: int = 20000) -> float:
    """Fraction of draws (g_j ~ N(0, I_n), s_j = +-1 fair; x_k = e_k, the first n_+ labels positive) in which
    S_{+,1} and S_{-,1} are both non-empty (Eqs. (5)-(6))."""
    rng = np.random.default_rng(seed)
    n = n_plus + n_minus
    if m * n > 400:  # a user's large width: chunks of ~8e6 normals (the catalog's cells, m n <= 160, keep 20000)
        chunk = max(1, min(chunk, 8_000_000 // (m * n)))
    hits = 0
    done = 0
    while done < draws:
        c = min(chunk, draws - done)
        g = rng.standard_normal((c, m, n))
        s = rng.choice([-1, 1], size=(c, m))
        plus = np.any((s > 0) & np.all(g[:, :, :n_plus] >= 0, axis=2), axis=1)
        minus = np.any((s < 0) & np.all(g[:, :, n_plus:] >= 0, axis=2), axis=1)
        hits += int(np.sum(plus & minus))
        done += c
    return hits / draws


def _law(inst):
    """The cell's parameters: labels of both signs (n_+, n_- >= 1) and m >= 1 neurons. The Monte Carlo draws x_k = e_k
    (Assumption 1) and the balanced Gaussian init (4) by construction (:func:`monte_carlo_a3`)."""
    q = inst.params
    vals = [q.get("n_plus"), q.get("n_minus")] + ([q["m"]] if "m" in q else [])
    ok = all(isinstance(v, int) and v >= 1 for v in vals)
    why = (f"n_+ = {q.get('n_plus')}, n_- = {q.get('n_minus')}" + (f", m = {q['m']}" if "m" in q else "")
           + " (labels of both signs; inputs x_k = e_k and the balanced Gaussian init (4) by construction)")
    if "X" not in q:
        return ok, why
    # a user's data: the law is that of x_k = e_k for any orthonormal inputs (the Gaussian draw is rotation-invariant),
    # and of the init (4) only
    X = np.asarray(q["X"], float)
    dev = float(np.max(np.abs(X @ X.T - np.eye(len(X)))))
    init = q.get("init") or PAPER_INIT
    bad = ([f"inputs not orthonormal (Assumption 1): max |X X^T - I| = {dev:.3g}"] if dev > 1e-14 else []) + \
        ([f"init {init} (the law is that of Eq. (4), {PAPER_INIT})"] if init != PAPER_INIT else [])
    return ok and not bad, "; ".join(bad + [why])


H_LAW = Hypothesis("orthonormal inputs, balanced Gaussian init (4), labels of both signs", _law, "§2.1, Eq. (4)-(6)")

claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=[H_LAW], ladder=LADDER_F64)

P_MC, P_DC8, SE = sp.symbols("P_MC P_DC8 SE", positive=True)
CELLS = [(2, 2, 10), (2, 2, 40), (3, 1, 20), (1, 1, 2)]


def _mc_instances(tier):
    draws = 20000 if tier == "fast" else 200000
    return [Instance(f"n+ = {a}, n- = {b}, m = {m}", {"n_plus": a, "n_minus": b, "m": m, "draws": draws, "seed": 0},
                     description=f"{draws} Monte Carlo draws (seed 0) of the balanced Gaussian init on x_k = e_k")
            for a, b, m in CELLS]


def _signs(ds):
    return int(np.sum(ds.y > 0)), int(np.sum(ds.y < 0))


def _mc_data_instances(ds):
    """P(A3) on a user's dataset: its numbers of positive and negative labels and the file's width ``m`` (default 40);
    the law is over the init draw, so the file's seed is not used (the Monte Carlo has its own, 0)."""
    s, unused = user_settings(ds, ("m", "init"), m=USER_M)
    a, b = _signs(ds)
    draws = 20000
    p = {"n_plus": a, "n_minus": b, "m": int(s["m"]), "draws": draws, "seed": 0, **({"init": s["init"]} if "init" in s
                                                                                   else {})}
    desc = (f"{draws} Monte Carlo draws (seed 0) of the balanced Gaussian init (4) on x_k = e_k (the law of any "
            f"orthonormal inputs); cost: {draws} x m x n = {draws * p['m'] * (a + b):.3g} normal draws")
    return [user_instance(ds, p, unused, f"n+ = {a}, n- = {b}, m = {p['m']}", None, desc)]


def _mc_measure(inst, point, precision) -> Measurement:
    """Monte Carlo P(A3) and its binomial standard error, against DC-8 evaluated exactly (sympy rationals), all at 40
    digits: the frequency hits/draws and sqrt(max(p(1-p), 1/N)/N) are functions of the integer count, DC-8 a rational
    (errors: 1e-35 relative, the 40-digit rounding)."""
    q = inst.params
    p = monte_carlo_a3(q["n_plus"], q["n_minus"], q["m"], q["draws"], q["seed"])
    hits, N = round(p * q["draws"]), q["draws"]
    cf = p_a3(sp.Integer(q["n_plus"]), sp.Integer(q["n_minus"]), sp.Integer(q["m"]))
    mut = p_a3(sp.Integer(q["n_plus"]), sp.Integer(q["n_minus"]), sp.Integer(q["m"]), extra_coin=False)
    with mpmath.workdps(40):
        pm = mpmath.mpf(hits) / N
        se = mpmath.sqrt(max(pm * (1 - pm), mpmath.mpf(1) / N) / N)
        v = {"P_MC": pm, "SE": se, "P_DC8": mpmath.mpf(sp.Rational(cf).p) / sp.Rational(cf).q,
             "P_DC8_no_coin": mpmath.mpf(sp.Rational(mut).p) / sp.Rational(mut).q}
    return Measurement(values=v, errors={k: 1e-35 * abs(x) for k, x in v.items()}, precision=40,
                       info={"draws": N, "hits": hits, "standard_error": float(se), "DC8_exact": str(cf),
                             "deviation_in_standard_errors": float(abs(pm - v["P_DC8"]) / se)})


P_NO_COIN = sp.Symbol("P_DC8_no_coin", positive=True)

claims.add(
    "a3.probability", "Assumption 3: P(A3) (DC-8 closed form vs Monte Carlo)", "§2.1, l.293-301, l.460-462 (IC-1)",
    "probabilistic", result="assumption3", catalog_ref="A3, DC-8",
    statement=sp.Le(sp.Abs(P_MC - P_DC8), 4 * SE),
    latex_names={"P_MC": r"\hat P(\mathrm{A3})", "P_DC8": r"P_{\mathrm{DC8}}", "P_DC8_no_coin": r"P_{p=2^{-n}}",
                 "SE": r"\hat\sigma"},
    symbols_doc={"P_MC": "Monte Carlo frequency of S_{+,1}, S_{-,1} both non-empty",
                 "SE": "its binomial standard error sqrt(max(p(1-p), 1/N)/N)",
                 "P_DC8": "1 - (1-p_+)^m - (1-p_-)^m + (1-p_+-p_-)^m, p_+- = 2^{-(n_+- + 1)}, exact"},
    quantifier="over the balanced Gaussian initialisation (4), orthonormal inputs",
    instances=_mc_instances, measure=_mc_measure, provides=("P_DC8_no_coin",), data_instances=_mc_data_instances,
    mutant=Mutant(sp.Le(sp.Abs(P_MC - P_NO_COIN), 4 * SE),
                  "p_+- = 2^{-n_+-} (forgetting the sign coin; catalog A3 mutation: 0.888 vs 0.530 at n_+ = n_- = 2, "
                  "m = 10)"),
    display=("|P_MC - P_DC8|", sp.Abs(P_MC - P_DC8), "4 standard errors", 4 * SE),
    notes="The paper only says A3 holds with probability -> 1 as m -> infinity and that m must be exponential in n; "
          "DC-8 is the exact law for orthonormal inputs. A probability is checked statistically: the statement is "
          "the test |P_MC - P_DC8| <= 4 standard errors (false rejection 6e-5 per cell), not an equality to 1e-6, "
          "which 2e4 draws cannot resolve.")

P_REQUIRED, DELTA = sp.symbols("P_at_m_req delta", positive=True)


def _width_instances(tier):
    ns = [(1, 1), (2, 2), (3, 1), (4, 4), (6, 3)] if tier == "fast" else [(a, b) for a in range(1, 9)
                                                                         for b in range(1, 9)]
    return [Instance(f"delta sweep, n+ = {a}, n- = {b}", {"n_plus": a, "n_minus": b},
                     grid=[{"delta10": v} for v in (-1, -2, -3, -6)], grid_param="delta10", grid_symbol="δ",
                     grid_log10=True, description="m_req = ceil(2^{max(n+, n-)+1} ln(2/delta)); P(A3) exact at m_req")
            for a, b in ns]


def _width_data_instances(ds):
    """The width rule at a user's numbers of positive and negative labels (a function of n_+, n_- and delta: the file's
    settings are listed as not used)."""
    _, unused = user_settings(ds)
    a, b = _signs(ds)
    return [user_instance(ds, {"n_plus": a, "n_minus": b}, unused, f"n+ = {a}, n- = {b}", None,
                          "m_req = ceil(2^{max(n+, n-)+1} ln(2/delta)); P(A3) exact at m_req",
                          grid=[{"delta10": v} for v in (-1, -2, -3, -6)], grid_param="delta10", grid_symbol="δ",
                          grid_log10=True)]


def _width_measure(inst, point, precision) -> Measurement:
    """P(A3) (DC-8, exact rationals) at m_req = ceil(2^{max(n_+, n_-)+1} ln(2/delta)), and at the mutant width
    ceil(2^{max(n_+, n_-)} ln(2/delta)) (sign coin forgotten)."""
    a, b = int(inst.params["n_plus"]), int(inst.params["n_minus"])
    delta = 10.0 ** float(point["delta10"])
    nmax = max(a, b)
    m_req = math.ceil(2 ** (nmax + 1) * math.log(2 / delta))
    m_mut = math.ceil(2 ** nmax * math.log(2 / delta))
    with mpmath.workdps(50):
        pr = p_a3(sp.Integer(a), sp.Integer(b), sp.Integer(m_req))
        pm = p_a3(sp.Integer(a), sp.Integer(b), sp.Integer(m_mut))
        v, vm = mpmath.mpf(sp.Rational(pr).p) / sp.Rational(pr).q, mpmath.mpf(sp.Rational(pm).p) / sp.Rational(pm).q
        dl = mpmath.mpf(10) ** int(point["delta10"])
    # exact rationals evaluated at 50 digits: errors 1e-45 relative
    return Measurement(values={"P_at_m_req": v, "delta": dl, "P_at_m_half": vm},
                       errors={"P_at_m_req": 1e-45 * abs(v), "delta": 1e-45 * dl, "P_at_m_half": 1e-45 * abs(vm)},
                       precision=50,
                       info={"m_req": m_req, "m_half": m_mut})


P_HALF_WIDTH = sp.Symbol("P_at_m_half", positive=True)

claims.add(
    "a3.width", "Assumption 3 width rule (m >= 2^{n+1} ln(2/delta) => P(A3) >= 1 - delta)",
    "l.460-462 (IC-1); catalog A3 recipe", "closed-form", result="assumption3", catalog_ref="A3 recipe, IC-1",
    statement=sp.Ge(P_REQUIRED, 1 - DELTA),
    latex_names={"P_at_m_req": r"P_{m_{\mathrm{req}}}(\mathrm{A3})", "delta": r"\delta",
                 "P_at_m_half": r"P_{m_{\mathrm{req}}/2}(\mathrm{A3})"},
    symbols_doc={"P_at_m_req": "DC-8 at m_req = ceil(2^{max(n+,n-)+1} ln(2/delta)), exact", "delta": "failure level"},
    quantifier="for all n_+-, delta (grid)", instances=_width_instances, measure=_width_measure,
    data_instances=_width_data_instances,
    provides=("P_at_m_half",),
    mutant=Mutant(sp.Ge(P_HALF_WIDTH, 1 - DELTA),
                  "width 2^{n} ln(2/delta) (half): P(A3) ~ 1 - sqrt(2 delta) < 1 - delta"),
    display=("1 - P(A3) at m_req", 1 - P_REQUIRED, "delta", DELTA))
