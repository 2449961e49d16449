"""Precision backends: one function body, two number systems.

Every numerical routine of :mod:`numerics` is written once against a small
array namespace ``xp`` and runs either in float64 (numpy, vectorised) or in
arbitrary precision (numpy object arrays holding ``mpmath`` numbers of a
private :class:`mpmath.MPContext`, so no global ``mp.dps`` is touched; this is
the mpmath advice on thread safety, mpmath #683/#975).

``get_backend("float64")`` or ``get_backend(40)`` (digits) returns a backend.
"""
from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
from scipy import special

__all__ = ["Float64", "MP", "get_backend", "Backend"]


class Backend:
    """Common interface. Subclasses define the elementwise functions."""

    name: str
    dps: int
    eps: float

    def asarray(self, x):  # pragma: no cover - interface
        raise NotImplementedError

    def to_float(self, x):
        """Convert (array of) numbers to float64 (may under/overflow: for display only)."""
        return np.asarray(np.vectorize(float, otypes=[float])(x) if np.ndim(x) else float(x))


class Float64(Backend):
    """IEEE double precision, numpy vectorised."""

    name = "float64"
    dps = 15
    eps = float(np.finfo(float).eps)

    def asarray(self, x):
        return np.asarray(x, dtype=float)

    def scalar(self, x):
        return float(x)

    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sqrt = staticmethod(np.sqrt)
    log1p = staticmethod(np.log1p)

    @staticmethod
    def expit(z):
        """Logistic sigmoid 1/(1+e^{-z}), stable for all z."""
        return special.expit(z)

    @staticmethod
    def log1pexp(z):
        """ln(1 + e^{z}) without overflow (the logistic loss at margin -z)."""
        return np.logaddexp(0.0, z)

    def zeros(self, shape):
        return np.zeros(shape)

    def __repr__(self):
        return "Float64()"


class MP(Backend):
    """mpmath at ``dps`` decimal digits in a private context."""

    def __init__(self, dps: int = 40, ctx=None):
        if int(dps) < 15:
            raise ValueError(f"mpmath backend needs dps >= 15, got {dps}")
        # a private context by default; ``ctx=mpmath.mp`` shares the global one (for baselines such
        # as mpmath.odefun that change the working precision of the global context themselves)
        self.ctx = mpmath.MPContext() if ctx is None else ctx
        self.ctx.dps = int(dps)
        self.dps = int(dps)
        self.name = f"mpmath{self.dps}"
        self.eps = float(self.ctx.mpf(2) ** (-self.ctx.prec))
        c = self.ctx
        self._exp = np.frompyfunc(c.exp, 1, 1)
        self._log = np.frompyfunc(c.log, 1, 1)
        self._sqrt = np.frompyfunc(c.sqrt, 1, 1)
        self._log1p = np.frompyfunc(c.log1p, 1, 1)
        self._mpf = np.frompyfunc(c.mpf, 1, 1)

    def asarray(self, x):
        x = np.asarray(x)
        if x.dtype == object:
            return self._mpf(x) if x.ndim else self.ctx.mpf(x[()])
        out = np.empty(x.shape, dtype=object)
        flat = x.ravel()
        out_flat = out.ravel()
        for i, v in enumerate(flat):
            out_flat[i] = self.ctx.mpf(v.item() if hasattr(v, "item") else v)
        return out if x.ndim else out[()]

    def scalar(self, x):
        return self.ctx.mpf(x)

    def exp(self, x):
        return self._exp(x)

    def log(self, x):
        return self._log(x)

    def sqrt(self, x):
        return self._sqrt(x)

    def log1p(self, x):
        return self._log1p(x)

    def expit(self, z):
        c = self.ctx
        return np.frompyfunc(lambda v: 1 / (1 + c.exp(-v)), 1, 1)(z)

    def log1pexp(self, z):
        c = self.ctx

        def f(v):
            return v + c.log1p(c.exp(-v)) if v > 0 else c.log1p(c.exp(v))

        return np.frompyfunc(f, 1, 1)(z)

    def zeros(self, shape):
        out = np.empty(shape, dtype=object)
        out.fill(self.ctx.zero)
        return out

    def __repr__(self):
        return f"MP(dps={self.dps})"


FLOAT64 = Float64()


@lru_cache(maxsize=32)
def _mp(dps: int) -> MP:
    return MP(dps)


def get_backend(precision="float64") -> Backend:
    """``"float64"``/``None`` -> :class:`Float64`; an int or ``"mp40"`` -> :class:`MP` at that many digits."""
    if isinstance(precision, Backend):
        return precision
    if precision is None or precision == "float64":
        return FLOAT64
    if isinstance(precision, str):
        s = precision.lower().removeprefix("mpmath").removeprefix("mp").removeprefix(":")
        try:
            precision = int(s)
        except ValueError:
            raise ValueError(f"unknown precision {precision!r}: use 'float64' or a number of digits") from None
    if isinstance(precision, (int, np.integer)) and not isinstance(precision, bool):
        return _mp(int(precision))
    raise ValueError(f"unknown precision {precision!r}")


def log10_abs(x) -> float:
    """log10 |x| for a float or mpf, valid far outside the float64 range."""
    if isinstance(x, float) or isinstance(x, (int, np.floating)):
        return math.log10(abs(x)) if x != 0 else -math.inf
    return float(mpmath.log10(abs(x))) if x != 0 else -math.inf
