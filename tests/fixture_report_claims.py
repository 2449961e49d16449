"""Test-only claims for the report (a plugin loaded through EARLYALIGN_PLUGINS, next to fixture_claims.py).

Paper "fxreport", closed forms with verdicts known by hand:

* fxreport.printed   finding: the "printed" bound x^2 <= 2x on x in {0.5, 1, 1.5, 3}: VIOLATED, witness x = 3
                     (slack 2x - x^2 = -3); control x^2 <= 4x (the corrected constant): HOLDS, tightest at x = 0.5
                     (slack 1.75)
* fxreport.corrected the corrected reading of the same result (Lemma 1): HOLDS, so the result's node is
                     "printed: VIOLATED", never green
* fxreport.nocontrol finding without a registered control: 1 + x >= 2 at x = 0.5: VIOLATED on a single
                     measurement with no coordinate (the witness names no point: never an empty "at")
* fxreport.box       margin(eta) = 0.3 - eta > 0 (rhs = 0: every row has relative slack +-1, the tie that made the
                     first grid row the witness). Instance 1, eta in {0.05, 0.1, 0.16}: HOLDS, witness eta = 0.16
                     (slack 0.14, the tightest). Instance 2, eta in {0.2, 0.35, 0.5}: VIOLATED, witness eta = 0.5
                     (slack -0.2, the most negative)
* fxreport.noest     ERROR: a measured symbol without an error estimate (the framework's rule)
"""
from __future__ import annotations

import math

import sympy as sp

from theory.claims import Claim, Instance, Measurement, Mutant, Paper, Result

PAPER = Paper("fxreport", "Report fixture paper (tests only)", authors="earlyalign tests", venue="tests", order=98,
              results=[Result("a1", "Assumption 1", "§1, l.10", "assumption"),
                       Result("l1", "Lemma 1", "§2, l.20-24", "lemma", ("a1",)),
                       Result("l2", "Lemma 2", "§2, l.30", "lemma", ("a1",)),
                       Result("t1", "Theorem 1", "§3, l.40-52", "theorem", ("l1", "l2"))])

X, M = sp.symbols("x margin", real=True)


def _one(tier):
    return [Instance("four points x in {0.5, 1, 1.5, 3}", {})]


def _xs(inst, point, precision):
    xs = [0.5, 1.0, 1.5, 3.0]
    return Measurement(values={"x": xs}, coords={"x_point": xs}, precision=precision, exact=True)


def _half(tier):
    return [Instance("x = 0.5 (one measurement)", {})]


def _x_half(inst, point, precision):
    return Measurement(values={"x": 0.5}, precision=precision, exact=True)


def _box_instances(tier):
    # the grid key is log10(eta) (grid_log10), so the report draws slack against eta
    return [Instance("box eta in {0.05, 0.1, 0.16}", {}, grid=[{"eta10": math.log10(v)} for v in (0.05, 0.1, 0.16)],
                     grid_param="eta10", grid_symbol="η", grid_log10=True),
            Instance("box eta in {0.2, 0.35, 0.5}", {}, grid=[{"eta10": math.log10(v)} for v in (0.2, 0.35, 0.5)],
                     grid_param="eta10", grid_symbol="η", grid_log10=True)]


def _box(inst, point, precision):
    return Measurement(values={"margin": 0.3 - 10 ** point["eta10"]}, errors={"margin": 1e-12}, precision=precision)


def _noest(inst, point, precision):
    return Measurement(values={"x": 1.0}, precision=precision)   # no error estimate: ERROR by the framework's rule


CLAIMS = [
    Claim(id="fxreport.printed", paper="fxreport", label="Lemma 1 (as printed)", where="§2, l.20-24",
          kind="closed-form", statement=sp.Le(X ** 2, 2 * X), instances=_one, measure=_xs, result="l1",
          mutant=Mutant(sp.Le(X ** 2, X / 100), "constant 1/100"), control=Mutant(sp.Le(X ** 2, 4 * X), "constant 4"),
          tags=("finding",), quantifier="for every x in (0, 3]"),
    Claim(id="fxreport.corrected", paper="fxreport", label="Lemma 1 (corrected constant 4)", where="§2, l.20-24",
          kind="closed-form", statement=sp.Le(X ** 2, 4 * X), instances=_one, measure=_xs, result="l1",
          mutant=Mutant(sp.Le(X ** 2, X), "constant 1")),
    Claim(id="fxreport.nocontrol", paper="fxreport", label="Lemma 2 (a remark)", where="§2, l.30", kind="closed-form",
          statement=sp.Ge(1 + X, 2), instances=_half, measure=_x_half, result="l2",
          mutant=Mutant(sp.Ge(1 + X, 3), "constant 3"), tags=("finding",)),
    Claim(id="fxreport.box", paper="fxreport", label="Assumption 1 (margin over the box)", where="§1, l.10",
          kind="closed-form", statement=sp.Gt(M, 0), instances=_box_instances, measure=_box, result="a1",
          mutant=Mutant(sp.Gt(M, sp.Rational(1, 5)), "margin above 0.2")),
    Claim(id="fxreport.noest", paper="fxreport", label="Theorem 1", where="§3, l.40-52", kind="closed-form",
          statement=sp.Ge(X, 0), instances=_half, measure=_noest, result="t1",
          mutant=Mutant(sp.Le(X, -1), "absurd")),
]
