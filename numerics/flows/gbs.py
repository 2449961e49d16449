"""Adaptive Gragg-Bulirsch-Stoer extrapolation, one body for float64 and mpmath.

The extrapolation method (Hairer, Norsett & Wanner, *Solving ODEs I*, §II.9, the ODEX
algorithm) is chosen because its coefficients are exact rationals: at ``dps`` digits it
reaches order 2k with k columns of the extrapolation tableau, so the order adapts to the
precision asked for. A fixed-coefficient Runge-Kutta pair (DOP853) has float64 coefficients
and cannot reach 40 digits. The same code runs on numpy float arrays and on numpy object
arrays of mpmath numbers (see :mod:`numerics.backend`).

Public pieces:

* :class:`GBS` - the stepper: ``step(t, y, H, f0)`` returns an accepted step (with a proposal
  for the next step size and order), ``advance(y, f0, s, k)`` recomputes the solution at a
  fraction ``s`` of a step with a fixed order (used for event location and dense access).
* :func:`illinois` - bracketing root finder (regula falsi with the Illinois modification)
  used to locate activation switches.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..backend import Backend

__all__ = ["GBS", "StepResult", "StepSizeTooSmall", "illinois"]

SEQ = tuple(2 * (i + 1) for i in range(40))  # harmonic (Deuflhard) sequence 2, 4, 6, ...


def _work(k: int) -> int:
    """Right-hand-side evaluations needed for the first k rows (f0 shared)."""
    return 1 + sum(SEQ[i] - 1 for i in range(k))


@dataclass
class StepResult:
    """An accepted GBS step of size ``H`` from ``y0`` to ``y1``."""

    H: object
    y1: object
    k: int  # number of tableau rows used (order 2k of the accepted value)
    err: float
    H_next: object
    k_next: int
    nfev: int
    probes: list = field(default_factory=list)  # (fraction, state) of the finest midpoint row


class StepSizeTooSmall(RuntimeError):
    """The error controller asked for a step below the resolution of the time variable."""


class GBS:
    """Gragg-Bulirsch-Stoer extrapolation with ODEX-style order and step-size control.

    ``f(y)`` is the autonomous right-hand side. ``rtol`` is relative, ``atol`` an array (or
    scalar) of absolute tolerances per component; the scaled error is
    ``|err_i| / (atol_i + rtol * max(|y0_i|, |y1_i|))`` in the RMS norm.
    """

    def __init__(self, f, xp: Backend, rtol, atol, kmax: int | None = None):
        self.f = f
        self.xp = xp
        self.rtol = rtol
        self.atol = atol
        if kmax is None:
            digits = -math.log10(float(rtol))
            kmax = 9 if xp.name == "float64" else int(min(30, max(10, 0.45 * digits + 6)))
        self.kmax = kmax
        digits = -math.log10(float(rtol))
        self.k0 = max(3, min(kmax - 1, int(digits * 0.6 + 1.5)))
        # exact extrapolation coefficients (n_j / n_{j-l})^2 - 1, in the backend's number type
        self._coef = {}
        for j in range(kmax + 1):
            for l in range(1, j + 1):
                num = xp.scalar(SEQ[j] ** 2) / xp.scalar(SEQ[j - l] ** 2) - 1
                self._coef[(j, l)] = num
        self.nfev = 0

    # ------------------------------------------------------------------ basic pieces
    def _midpoint(self, y0, f0, H, n, keep=False):
        """Modified midpoint rule with n substeps; returns the endpoint (and probes if asked)."""
        h = H / n
        z_prev = y0
        z = y0 + f0 * h  # array on the left: mpf * ndarray makes mpmath repr the array
        probes = [(1.0 / n, z)] if keep else None
        two_h = 2 * h
        for i in range(1, n):
            z_prev, z = z, z_prev + self.f(z) * two_h
            if keep:
                probes.append(((i + 1) / n, z))
        self.nfev += n - 1
        return z, probes

    def _extrapolate(self, T, j):
        """Fill row j of the Aitken-Neville tableau from row j-1."""
        row = [T[j][0]]
        for l in range(1, j + 1):
            row.append(row[l - 1] + (row[l - 1] - T[j - 1][l - 1]) / self._coef[(j, l)])
        T[j] = row

    def _err(self, a, b, y0):
        sc = self.atol + self.rtol * np.maximum(abs(y0), abs(a))
        e = (a - b) / sc
        val = np.sum(e * e) / len(e)
        return math.sqrt(float(val))

    def advance(self, y0, f0, H, k):
        """Solution at t0 + H with a fixed number k of rows (no error control)."""
        T = {}
        for j in range(k):
            T[j] = [self._midpoint(y0, f0, H, SEQ[j])[0]]
            if j:
                self._extrapolate(T, j)
        return T[k - 1][k - 1]

    # ------------------------------------------------------------------ one controlled step
    def step(self, y0, f0, H, k, t_scale=1.0, keep_probes=False):
        """Attempt steps from y0 until one is accepted; returns a :class:`StepResult`.

        Rows 1..k+1 of the tableau are computed as needed; the step is accepted at the first
        row j >= k-1 whose error estimate |T_jj - T_j,j-1| is below 1 in the scaled norm, and
        rejected (with a smaller step) otherwise. The next order and step size minimise the
        work per unit step (ODEX). ``keep_probes`` returns the intermediate states of the
        accepted row's midpoint rule, used to detect a sign change inside the step.
        """
        xp = self.xp
        k = max(2, min(k, self.kmax - 1))
        nfev0 = self.nfev
        while True:
            if abs(float(H)) <= 64 * xp.eps * max(1.0, abs(float(t_scale))):
                raise StepSizeTooSmall(
                    f"step size {float(H):.3e} underflows the time resolution at t = {float(t_scale):.6g}")
            T, errs, accepted, probes = {}, {}, None, []
            for j in range(k + 1):
                y_end, probes = self._midpoint(y0, f0, H, SEQ[j], keep=keep_probes)
                T[j] = [y_end]
                if j == 0:
                    continue
                self._extrapolate(T, j)
                errs[j] = self._err(T[j][j], T[j][j - 1], y0)
                if not math.isfinite(errs[j]):
                    break
                if j >= k - 1 and errs[j] <= 1.0:
                    accepted = j
                    break
                if j == k - 1 and errs[j] > 1e4:  # convergence monitor: hopeless at this H
                    break
            if accepted is None:
                jj = max(errs) if errs else 1
                e = errs.get(jj, float("inf"))
                fac = 0.2 if not math.isfinite(e) else max(0.05, min(0.7, 0.94 * (0.65 / e) ** (1.0 / (2 * jj - 1))))
                H = H * fac
                continue
            j = accepted
            H_opt = {}
            for i in (j - 1, j):
                if i in errs:
                    e = max(errs[i], 1e-300)
                    H_opt[i] = H * max(0.02, min(4.0, 0.94 * (0.65 / e) ** (1.0 / (2 * i - 1))))
            W = {i: _work(i + 1) / abs(float(H_opt[i])) for i in H_opt}
            k_next, H_next = j, H_opt[j]
            if (j - 1) in W and j - 1 >= 2 and W[j - 1] < 0.8 * W[j]:
                k_next, H_next = j - 1, H_opt[j - 1]
            elif j + 1 < self.kmax and ((j - 1) not in W or W[j] < 0.9 * W[j - 1]):
                k_next, H_next = j + 1, H_opt[j] * _work(j + 2) / _work(j + 1)
            return StepResult(H=H, y1=T[j][j], k=j + 1, err=errs[j], H_next=H_next, k_next=k_next,
                              nfev=self.nfev - nfev0, probes=probes or [])


def illinois(g, lo, hi, g_lo, g_hi, xtol, maxiter=200):
    """Root of a scalar function with g(lo) >= 0 > g(hi) by the Illinois variant of regula falsi.

    Returns (lo, hi, g_lo, g_hi) with the bracket shrunk below ``xtol``; ``g`` is evaluated at
    the points the method proposes. Works for floats and mpmath numbers alike.
    """
    side = 0
    for _ in range(maxiter):
        if abs(hi - lo) <= xtol:
            break
        denom = g_hi - g_lo
        x = hi - g_hi * (hi - lo) / denom if denom != 0 else (lo + hi) / 2
        if not (lo < x < hi):  # rounding pushed the secant point out of the bracket: bisect
            x = lo + (hi - lo) / 2
            if not (lo < x < hi):
                break
        gx = g(x)
        if gx == 0:
            return x, x, gx, gx
        if gx >= 0:
            lo, g_lo = x, gx
            if side == 1:
                g_hi = g_hi / 2
            side = 1
        else:
            hi, g_hi = x, gx
            if side == -1:
                g_lo = g_lo / 2
            side = -1
    return lo, hi, g_lo, g_hi
