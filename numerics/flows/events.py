"""Event location inside an accepted step: on a dense output first, then polished on the exact integrator.

An accepted GBS step from ``Y0`` (slope ``f0``) to ``Y1`` (slope ``f1``) over ``H`` carries the cubic
Hermite interpolant

    u(s) = Y0 + s f0 + (s/H)^2 [3 (Y1 - Y0) - H (2 f0 + f1)] + (s/H)^3 [H (f0 + f1) - 2 (Y1 - Y0)]

(:class:`Hermite`). Every event function of the mode (all surfaces at once, vectorised over neurons and
data: :func:`numerics.flows.kinks.event_values`) is evaluated on it, the earliest sign change is
bracketed on a grid of the step and refined by Illinois iterations, all without integrating. The
interpolant is accurate to O(H^4) only, so the root found there is the starting point of Newton
iterations on the exact solution: ``gbs.advance`` re-integrates the step to the estimated event time
with the accepted order (the integrator's accuracy), the derivative dg/dt comes from the field at
that state, and one to three re-integrations bring the event time to the time resolution (the
interpolant's root is typically 1e-6 relative: one Newton step gives 1e-12, the next confirms). Newton
keeps a bracket [lo, hi] (g(lo) >= 0 > g(hi)) from the exact evaluations and bisects if an iterate
leaves it; if it does not converge, the exact Illinois iteration of the previous engine runs on the
bracket. The old engine re-integrated the step at every Illinois iteration (about ten per event).

If another event function is already negative at the polished point and its own Newton estimate
lies clearly earlier (the interpolant misordered two near-simultaneous events), that one is located
instead; functions that cross within the time resolution switch together (the caller collects them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gbs import illinois
from .kinks import event_values

__all__ = ["Hermite", "Located", "locate_event"]


class Hermite:
    """Cubic Hermite interpolant of one step (dense output), evaluated at s in [0, H]."""

    def __init__(self, Y0, f0, Y1, f1, H):
        self.Y0, self.f0, self.H = Y0, f0, H
        dY = Y1 - Y0
        self.c2 = dY * 3 - (f0 * 2 + f1) * H
        self.c3 = (f0 + f1) * H - dY * 2

    def __call__(self, s):
        th = s / self.H
        return self.Y0 + self.f0 * s + self.c2 * (th * th) + self.c3 * (th * th * th)


@dataclass
class Located:
    index: int  # the event function that fired first
    s: object  # its time from the step start
    Y: object  # the state there, to the integrator's accuracy
    advances: int  # exact re-integrations spent


def locate_event(f, gbs, Y0, f0, Y1, H, s_hi, kk, g0, fired, tol, xtol, grid=8):
    """The earliest root of the event functions ``fired`` (negative at ``s_hi``) in (0, s_hi] of the step.

    ``gbs.advance(Y0, f0, s, kk)`` gives the exact solution at s. Returns :class:`Located`, or None when a sign
    change seen only at a midpoint-rule probe is not confirmed by the exact solution (no event in the step)."""
    xp = f.xp
    f1 = f(Y1)
    gbs.nfev += 1
    dense = Hermite(Y0, f0, Y1, f1, H)

    def g_dense(s):
        return event_values(f, dense(s), tol)

    # ---- earliest sign change on the interpolant, from a grid of the bracket
    zero = xp.scalar(0)
    g_hi = g_dense(s_hi)
    cand = [int(i) for i in fired if g_hi[i] < 0]
    s0 = None
    if cand:
        prev_s, prev_g = zero, g0
        for q in range(1, grid + 1):
            s = s_hi * xp.scalar(q / grid) if q < grid else s_hi
            gq = g_hi if q == grid else g_dense(s)
            neg = [i for i in cand if gq[i] < 0]
            if neg:
                # among the functions negative first here, the earliest by linear interpolation
                def est(i):
                    a0, a1 = prev_g[i], gq[i]
                    return prev_s + (s - prev_s) * (a0 / (a0 - a1)) if a0 - a1 != 0 else s
                i0 = min(neg, key=est)
                if prev_g[i0] >= 0:
                    lo_i, hi_i, _, _ = illinois(lambda x: g_dense(x)[i0], prev_s, s, prev_g[i0], gq[i0],
                                                abs(s - prev_s) * xp.scalar(1e-9))
                    s0 = (i0, hi_i)
                break
            prev_s, prev_g = s, gq
    if s0 is None:  # the interpolant does not confirm the sign change (a probe-detected double crossing)
        if s_hi != H:
            # the probes are states of the low-order midpoint rule: confirm with the exact solution there, else
            # the "crossing" was the probe's own error (a decaying z at -1e-8 read as positive), not an event
            g_ex = event_values(f, gbs.advance(Y0, f0, s_hi, kk), tol)
            if not np.any(g_ex[np.asarray(fired)] < 0):
                return None
        return _exact_illinois(f, gbs, Y0, f0, kk, s_hi, g0, fired, tol, xtol)
    i0, s = s0
    # |Y''| along the step, from the slopes at its ends (for the Taylor correction of the polished root)
    curv = abs(f1 - f0) / abs(H) * 2
    out = _newton(f, gbs, Y0, f0, kk, i0, s, zero, s_hi, g0[i0], tol, xtol, curv=curv)
    if out is None:
        return _exact_illinois(f, gbs, Y0, f0, kk, s_hi, g0, fired, tol, xtol)
    for _ in range(len(g0) + 1):  # an earlier root that the interpolant misordered?
        s_ev, Y_ev, fs, adv = out
        g_ev = event_values(f, Y_ev, tol)
        neg = [i for i in np.nonzero(g_ev < 0)[0] if i != i0]
        if not neg:
            break
        dg = _slopes(f, Y_ev, fs, tol, H)
        earliest = None
        for i in neg:
            if dg[i] < 0:
                si = s_ev - g_ev[i] / dg[i]
                if si < s_ev - 1e3 * xtol and (earliest is None or si < earliest[1]):
                    earliest = (int(i), si)
        if earliest is None:
            break
        i0, s = earliest
        nxt = _newton(f, gbs, Y0, f0, kk, i0, max(s, zero), zero, s_ev, g0[i0], tol, xtol, curv=curv)
        if nxt is None:
            break
        out = (nxt[0], nxt[1], nxt[2], out[3] + nxt[3])
    s_ev, Y_ev, _, adv = out
    return Located(i0, s_ev, Y_ev, adv)


def _slopes(f, Y, fY, tol, H):
    """d g_i / dt at Y along the flow, by a central difference along the exact slope (exact for crossings)."""
    xp = f.xp
    dt = abs(H) * xp.scalar(1e-6)
    return (event_values(f, Y + fY * dt, tol) - event_values(f, Y - fY * dt, tol)) / (2 * dt)


def _taylor_fits(gbs, Y, ds, curv):
    """ds^2 |Y''| / 2 <= 0.1 (atol + rtol |Y|) in every component (|Y''| estimated by ``curv``)."""
    return bool(np.all((ds * ds / 2) * curv <= (gbs.atol + gbs.rtol * abs(Y)) / 10))


def _newton(f, gbs, Y0, f0, kk, i, s, lo, hi, g_lo, tol, xtol, maxit=12, curv=None):
    """Newton on g_i(Y(s)) with exact re-integrations, safeguarded by the bracket [lo, hi].

    Returns (s, Y(s), f(Y(s)), re-integrations) or None if it did not converge."""
    xp = f.xp
    H = hi - lo if hi > lo else hi
    taylor_ok = xp.sqrt(xp.asarray([gbs.rtol]))[0] / 10
    adv = 0
    for _ in range(maxit):
        Ys = gbs.advance(Y0, f0, s, kk)
        adv += 1
        fs = f(Ys)
        gbs.nfev += 1
        gi = event_values(f, Ys, tol)[i]
        if gi >= 0:
            lo = max(lo, s)
        else:
            hi = min(hi, s)
        dt = abs(H) * xp.scalar(1e-6)
        dg = (event_values(f, Ys + fs * dt, tol)[i] - event_values(f, Ys - fs * dt, tol)[i]) / (2 * dt)
        if gi == 0:
            return s, Ys, fs, adv
        if dg == 0:
            return None
        ds = -gi / dg
        if abs(ds) <= max(xtol, abs(s) * taylor_ok) or (curv is not None and _taylor_fits(gbs, Ys, ds, curv)):
            # the root is within a Taylor step of the exact state: its error ds^2 |Y''| / 2 is below the
            # integrator's tolerance (|Y''| from the slopes at the step's ends, or |ds| <= 0.1 sqrt(rtol) s)
            s_new = s + ds
            if s_new <= 0:
                return s, Ys, fs, adv
            return s_new, Ys + fs * ds, fs, adv
        s_new = s + ds
        if not (lo < s_new < hi) or (hi - lo) <= xtol:
            if (hi - lo) <= xtol:
                return hi, (Ys if s == hi else gbs.advance(Y0, f0, hi, kk)), fs, adv + (s != hi)
            s_new = lo + (hi - lo) / 2
        s = s_new
    return None


def _exact_illinois(f, gbs, Y0, f0, kk, s_hi, g0, fired, tol, xtol):
    """The previous engine's locator: Illinois iterations, each re-integrating the step (a fallback)."""
    xp = f.xp
    cache = {}
    adv = [0]

    def state_at(s):
        if s not in cache:
            cache[s] = gbs.advance(Y0, f0, s, kk)
            adv[0] += 1
        return cache[s]

    lo, hi = xp.scalar(0), s_hi
    g_hi_all = event_values(f, state_at(hi), tol)
    cand = [i for i in range(len(g0)) if g_hi_all[i] < 0] or [int(i) for i in fired]
    first = None
    for _ in range(len(g0) + 1):
        def est(i):
            a0, a1 = g0[i], g_hi_all[i]
            return hi * (a0 / (a0 - a1)) if a0 - a1 != 0 else hi
        cand.sort(key=est)
        i0 = cand[0]
        _, hi_i, _, _ = illinois(lambda s: event_values(f, state_at(s), tol)[i0], lo, hi, g0[i0], g_hi_all[i0], xtol)
        progressed = first is None or hi - hi_i > xtol
        first = (i0, hi_i)
        g_at = event_values(f, state_at(hi_i), tol)
        earlier = [i for i in range(len(g0)) if i != i0 and g_at[i] < 0]
        if not earlier or not progressed:
            break
        hi, g_hi_all, cand = hi_i, g_at, earlier
    i0, s_ev = first
    return Located(i0, s_ev, state_at(s_ev), adv[0])
