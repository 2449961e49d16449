"""Data handling shared by the convex programs: float64 and exact rational views of the data, the
label and slope checks, and exact rational solves.

Data may be given as floats (taken as their exact binary values), ints, Fractions, sympy Rationals
or decimal strings (:func:`numerics.patterns.to_fraction`); the cvxpy programs see float64 copies
(:func:`float_data`), the exact polishing steps (:func:`numerics.convex.polish_svm`,
:func:`numerics.convex.min_norm_least_squares`) see Fractions (:func:`exact_data`).
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..patterns import rational_inverse, to_fraction

__all__ = ["float_data", "exact_data", "check_pm1_labels", "check_gamma", "solve_exact", "fraction_to_mpf"]


def float_data(X, y=None):
    """float64 copies of (possibly exact: Fraction / sympy / str) data: ``Xf`` (n, d), or ``(Xf, yf)``
    when ``y`` is given; raises ValueError on wrong shapes or non-finite values."""
    def conv(A):
        A = np.asarray(A)
        if A.dtype == object or A.dtype.kind in "US":
            return np.vectorize(lambda v: float(to_fraction(v)), otypes=[float])(A)
        return np.asarray(A, dtype=float)

    Xf = conv(X)
    if Xf.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n, d); got shape {Xf.shape}")
    if y is None:
        return Xf
    yf = conv(y)
    if yf.ndim != 1 or yf.shape[0] != Xf.shape[0]:
        raise ValueError(f"y must have shape ({Xf.shape[0]},); got {yf.shape}")
    if not (np.all(np.isfinite(Xf)) and np.all(np.isfinite(yf))):
        raise ValueError("X and y must be finite")
    return Xf, yf


def exact_data(A) -> list:
    """Exact rational copy of a vector (list of Fractions) or matrix (list of rows), see :func:`to_fraction`."""
    A = np.asarray(A, dtype=object)
    if A.ndim == 1:
        return [to_fraction(v) for v in A]
    return [[to_fraction(v) for v in row] for row in A]


def check_pm1_labels(y, what):
    """Raise ValueError unless every label is -1 or +1 (``what`` names the caller in the message)."""
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError(f"{what} needs labels in {{-1, +1}}; got {np.unique(y)}")


def check_gamma(gamma):
    """Raise ValueError unless the leaky slope gamma lies in [0, 1]."""
    if not (0.0 <= float(gamma) <= 1.0):
        raise ValueError(f"leaky slope gamma must lie in [0, 1]; got {gamma}")


def solve_exact(A, b) -> list[Fraction]:
    """Solve a square invertible rational system exactly (via the exact Gauss-Jordan inverse)."""
    inv = rational_inverse(A)
    bb = [Fraction(v) for v in b]
    return [sum((row[j] * bb[j] for j in range(len(bb))), Fraction(0)) for row in inv]


def fraction_to_mpf(ctx, v: Fraction):
    """The rational ``v`` as an mpf of the mpmath context ``ctx`` (numerator / denominator, rounded once)."""
    v = Fraction(v)
    return ctx.mpf(v.numerator) / v.denominator
