"""Scaling laws for O(.)-statements with hidden constants (DESIGN.md, "The claim model").

A claim "Q(lambda) = O(lambda^p)" (or "~ lambda^p") is checked by sweeping lambda over a geometric
grid, fitting the log-log slope of Q against lambda with its standard error, and comparing the
fitted exponent with the claimed one: the statement of such a claim is a relational over the
symbols ``slope`` and the claimed exponent, and :func:`scaling_measurement` provides them with the
fit's uncertainty as the error estimate, so the generic judgement applies unchanged.

Values may be floats or mpf far outside the float64 range (lambda = 1e-300 and below): only their
log10 enters the fit.
"""
from __future__ import annotations

import math

import mpmath
import numpy as np

from .claims import Measurement

__all__ = ["log10_value", "fit_loglog", "scaling_measurement"]


def log10_value(v) -> float:
    """log10 |v| for a float, int, mpf or decimal string (finite far outside float64)."""
    x = mpmath.mpf(v) if not isinstance(v, mpmath.mpf) else v
    if x == 0:
        return -math.inf
    return float(mpmath.log10(abs(x)))


def fit_loglog(params, values) -> dict:
    """Least-squares fit of log10 |values| = slope * log10 params + intercept.

    Returns ``{"slope", "stderr", "intercept", "n", "max_residual"}``; ``stderr`` is the OLS standard
    error of the slope (inf with fewer than 3 points). Points with a zero value are dropped.
    """
    pts = [(log10_value(p), log10_value(v)) for p, v in zip(params, values)]
    pts = [(a, b) for a, b in pts if math.isfinite(a) and math.isfinite(b)]
    n = len(pts)
    if n < 2:
        raise ValueError(f"need at least 2 non-zero points for a log-log fit, got {n}")
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    xm = x.mean()
    sxx = float(np.sum((x - xm) ** 2))
    if sxx == 0:
        raise ValueError("all grid values are equal: no slope to fit")
    slope = float(np.sum((x - xm) * (y - y.mean())) / sxx)
    intercept = float(y.mean() - slope * xm)
    res = y - (slope * x + intercept)
    stderr = math.sqrt(float(np.sum(res ** 2)) / (n - 2) / sxx) if n > 2 else math.inf
    return {"slope": slope, "stderr": stderr, "intercept": intercept, "n": n,
            "max_residual": float(np.max(np.abs(res)))}


def scaling_measurement(params, values, claimed, k_sigma: float = 3.0, floor: float = 0.0,
                        precision="float64", symbol="slope", claimed_symbol="p") -> Measurement:
    """Measurement for an exponent claim: ``slope`` (fitted) with error ``k_sigma * stderr + floor`` and
    ``p`` (the claimed exponent, exact). Series: log10 values vs log10 params for plots."""
    fit = fit_loglog(params, values)
    err = k_sigma * fit["stderr"] + floor if math.isfinite(fit["stderr"]) else abs(fit["slope"]) + 1.0
    return Measurement(
        values={symbol: fit["slope"], claimed_symbol: mpmath.mpf(claimed)},
        errors={symbol: err, claimed_symbol: 0},
        coords={"n_points": fit["n"]}, precision=precision,
        info={"fit": fit, "k_sigma": k_sigma},
        series={"scaling": {"x": [log10_value(p) for p in params], "y": {"log10 |Q|": [log10_value(v) for v in values]},
                            "xlabel": "log10 lambda", "ylabel": "log10 |Q|", "logy": False}})
