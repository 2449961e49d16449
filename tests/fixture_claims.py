"""Test-only claims (a plugin loaded through EARLYALIGN_PLUGINS=<this file>); never registered as paper claims.

Closed-form statements whose verdicts are known by hand, so the framework, the CLI and the report
can be tested without the flow engine:

* fixture.amgm         (x + y)/2 >= sqrt(x y) on seeded random pairs: HOLDS; mutant <= : VIOLATED
* fixture.taylor       e^x >= 1 + x + x^2 on x in {-0.5, 0.5, 1, 2}: VIOLATED (fails for x >= ~0.6)
* fixture.scaling      v(lam) = lam + 1e6 lam^2 <= 2 lam for lam <= lam*: holds iff lam <= 1e-6
* fixture.ladder       (1 + d) - 1 >= d/2 with d = 1e-17: unresolvable in float64, HOLDS in mpmath
* fixture.pythagoras   sin^2 + cos^2 = 1 (equality): HOLDS; mutant sin^2 - cos^2 = 1: VIOLATED
* fixture.hyp          a hypothesis that fails: NOT_APPLICABLE
* fixture.cauchy       |<x_i, x_j>| <= ||x_i|| ||x_j|| on a dataset (accepts --data; needs n >= 2)
* fixture.exponent     Q = 3 lam^2 (1 + lam) ~ lam^2: fitted exponent 2 (scaling law); mutant 1.9 * 2: VIOLATED
* fixture.qualitative  not numerically checkable
* fixture.boom         measure raises: ERROR (only when EARLYALIGN_FIXTURE_ERROR=1)
"""
from __future__ import annotations

import math
import os

import mpmath
import numpy as np
import sympy as sp

from numerics.datasets import Dataset

from theory.claims import (Claim, Figure, Hypothesis, Instance, Knob, Measurement, Mutant, NeedsPrecision,
                           Paper, Result)

PAPER = Paper("fixture", "Fixture paper (tests only)", authors="earlyalign tests", order=99,
              results=[Result("basics", "Lemma A", "§1", "lemma"),
                       Result("bad", "Lemma B", "§2", "lemma", ("basics",)),
                       Result("main", "Theorem C", "§3", "theorem", ("bad", "basics"))])

X_, Y_, V_, LAM_, K_, D_, S_, C_ = sp.symbols("x y v lam K d s c", real=True)


def _pairs(inst, point, precision):
    rng = np.random.default_rng(inst.params["seed"])
    x = rng.uniform(0.1, 5.0, 20)
    y = rng.uniform(0.1, 5.0, 20)
    return Measurement(values={"x": list(x), "y": list(y)}, coords={"j": list(range(20))}, precision=precision)


def _one(tier):
    return [Instance("seed 7", {"seed": 7})]


def _taylor(inst, point, precision):
    xs = [-0.5, 0.5, 1.0, 2.0]
    return Measurement(values={"x": xs}, coords={"x_point": xs}, precision=precision)


def _scaling_instances(tier):
    return [Instance("grid", {}, grid=[{"lam10": v} for v in (-2, -4, -8, -16)], grid_param="lam10",
                     grid_symbol="λ", grid_log10=True, asymptotic="small")]


def _scaling(inst, point, precision):
    lam = mpmath.mpf(10) ** point["lam10"]
    return Measurement(values={"v": lam + 10 ** 6 * lam ** 2, "lam": lam}, errors={"v": 0, "lam": 0},
                       precision=precision)


def _ladder(inst, point, precision):
    d = 1e-17
    if precision in (None, "float64"):
        val = (1.0 + d) - 1.0          # 0.0: the difference is below float64 resolution
        return Measurement(values={"s": val, "d": d}, errors={"s": 2.3e-16, "d": 0}, precision="float64")
    with mpmath.workdps(int(precision)):
        val = (mpmath.mpf(1) + mpmath.mpf(d)) - 1
    return Measurement(values={"s": val, "d": mpmath.mpf(d)}, errors={"s": mpmath.mpf(10) ** (-int(precision)),
                                                                      "d": 0}, precision=precision)


def _angles(inst, point, precision):
    t = np.linspace(0.1, 3.0, 7)
    return Measurement(values={"x": list(np.sin(t)), "y": list(np.cos(t))}, coords={"t": list(t)},
                       precision=precision)


def _data_cauchy(ds):
    return [Instance(f"user {ds.name}", {"X": np.asarray(ds.X).tolist()})]


def _cauchy_measure(inst, point, precision):
    X = np.asarray(inst.params["X"], dtype=float)
    n = len(X)
    ii, jj = np.triu_indices(n, 1)
    G = X @ X.T
    nr = np.linalg.norm(X, axis=1)
    return Measurement(values={"c": [abs(G[i, j]) for i, j in zip(ii, jj)],
                               "v": [nr[i] * nr[j] for i, j in zip(ii, jj)]},
                       coords={"i": list(ii), "j": list(jj)}, precision=precision)


def _exponent(inst, point, precision):
    from theory.asymptotics import scaling_measurement

    lams = [mpmath.mpf(10) ** -k for k in (2, 4, 8, 16, 40, 80, 160)]
    vals = [3 * lam ** 2 * (1 + lam) for lam in lams]   # Q(lambda) = 3 lambda^2 (1 + lambda): exponent 2
    return scaling_measurement(lams, vals, claimed=2, precision=precision)


def _boom(inst, point, precision):
    raise RuntimeError("fixture failure on purpose")


def _need(inst, point, precision):
    raise NeedsPrecision("never reached")


CLAIMS = [
    Claim(id="fixture.amgm", paper="fixture", label="Lemma A (i)", where="§1", kind="closed-form",
          statement=sp.Ge((X_ + Y_) / 2, sp.sqrt(X_ * Y_)), instances=_one, measure=_pairs,
          mutant=Mutant(sp.Le((X_ + Y_) / 2, sp.sqrt(X_ * Y_)), "inequality reversed"), result="basics",
          catalog="none", quantifier="20 seeded pairs"),
    Claim(id="fixture.taylor", paper="fixture", label="Lemma B", where="§2", kind="closed-form",
          statement=sp.Ge(sp.exp(X_), 1 + X_ + X_ ** 2), instances=_one, measure=_taylor,
          mutant=Mutant(sp.Ge(sp.exp(X_), 1 + X_ + X_ ** 2 / 2 + 1), "constant 1 added"), result="bad",
          knobs=[Knob("coefficient K of x^2", K_, sp.Ge(sp.exp(X_), 1 + X_ + K_ * X_ ** 2), 1.0)]),
    Claim(id="fixture.scaling", paper="fixture", label="Lemma A (ii)", where="§1", kind="closed-form",
          statement=sp.Le(V_, 2 * LAM_), instances=_scaling_instances, measure=_scaling,
          mutant=Mutant(sp.Le(V_, LAM_), "constant 1 instead of 2"), result="basics",
          knobs=[Knob("constant K in K lambda", K_, sp.Le(V_, K_ * LAM_), 2.0)],
          display=("v", V_, "2 lambda", 2 * LAM_)),
    Claim(id="fixture.ladder", paper="fixture", label="Lemma A (iii)", where="§1", kind="closed-form",
          statement=sp.Ge(S_, D_ / 2), instances=_one, measure=_ladder,
          mutant=Mutant(sp.Ge(S_, 2 * D_), "factor 2"), result="basics"),
    Claim(id="fixture.pythagoras", paper="fixture", label="Lemma A (iv)", where="§1", kind="closed-form",
          statement=sp.Eq(X_ ** 2 + Y_ ** 2, 1), instances=_one, measure=_angles,
          mutant=Mutant(sp.Eq(X_ ** 2 - Y_ ** 2, 1), "sign flipped"), result="basics"),
    Claim(id="fixture.hyp", paper="fixture", label="Lemma A (v)", where="§1", kind="closed-form",
          statement=sp.Ge(X_, 0), instances=_one, measure=_need,
          hypotheses=[Hypothesis("Assumption Z (never true)", lambda inst: (False, "Z fails by design"), "§0")],
          mutant=Mutant(sp.Le(X_, -1), "absurd"), result="basics"),
    Claim(id="fixture.cauchy", paper="fixture", label="Lemma A (vi)", where="§1", kind="closed-form",
          statement=sp.Le(C_, V_), instances=lambda tier: _data_cauchy(Dataset(np.eye(3), np.ones(3), "eye", "tests")),
          measure=_cauchy_measure, data_instances=_data_cauchy,
          hypotheses=[Hypothesis("n >= 2 points", lambda inst: (len(inst.params["X"]) >= 2,
                                                                f"n = {len(inst.params['X'])}"), "§1")],
          mutant=Mutant(sp.Le(C_ + 1, V_ / 2), "absurd"), result="basics"),
    Claim(id="fixture.exponent", paper="fixture", label="Lemma A (vii)", where="§1", kind="asymptotic",
          statement=sp.Eq(sp.Symbol("slope"), sp.Symbol("p")), instances=_one, measure=_exponent,
          mutant=Mutant(sp.Eq(sp.Symbol("slope"), sp.Rational(19, 10) * sp.Symbol("p")), "exponent 1.9 p"),
          result="basics"),
    Claim(id="fixture.qualitative", paper="fixture", label="Theorem C", where="§3", kind="qualitative",
          reason="existence statement without a quantitative form", result="main"),
]

if os.environ.get("EARLYALIGN_FIXTURE_ERROR") == "1":
    CLAIMS.append(Claim(id="fixture.boom", paper="fixture", label="Lemma B (ii)", where="§2", kind="closed-form",
                        statement=sp.Ge(X_, 0), instances=_one, measure=_boom,
                        mutant=Mutant(sp.Le(X_, -1), "absurd"), result="bad"))


def _make_fig(out, tier):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.linspace(-1, 2, 50)
    fig, ax = plt.subplots()
    ax.plot(x, np.exp(x), label="e^x")
    ax.plot(x, 1 + x + x ** 2, label="1 + x + x^2")
    ax.legend()
    p = out / "fixture_fig1.png"
    fig.savefig(p)
    plt.close(fig)
    return [p]


FIGURES = [Figure("fixture.fig1", "fixture", "Figure 1", "§2", "e^x against 1 + x + x^2", _make_fig)]

# by hand: e^x >= 1 + x + K x^2 on the four points iff K <= min_x (e^x - 1 - x)/x^2, attained at x = -0.5
EXPECTED_TAYLOR_K = (math.exp(-0.5) - 1 + 0.5) / 0.25
