"""A compiled backend for the smooth segments: heyoka.py (Taylor method, LLVM JIT), float64 or ``real`` precision.

``solve_flow(..., backend="heyoka")`` integrates the same log-polar field as :class:`numerics.flows.field.Field`
with heyoka's adaptive Taylor integrator. The system is compiled **once** per (data, loss, width, precision)
in compact mode and the activation pattern enters only through runtime parameters, so a kink changes
parameters and never recompiles:

* ``sc[j, k]`` = sigma(z)/z of the frozen pattern, ``eta[j, k]`` = the free sigma'(z) (see :class:`Mode`);
* ``P[j]`` (d x d) = the Filippov projector of neuron j (the identity when j is not sliding);
* ``side[j, k]`` and ``hyst[k]``: the crossing functions side_jk <v_wj, x_k> + hyst_k are heyoka **terminal
  events** (direction negative), so crossings are located by heyoka on its Taylor polynomials; a pair on its
  surface has side 0 and its crossing function stays at hyst > 0.

On top of it our own logic is unchanged: the sliding exit functions (nonlinear in the whole state) are
evaluated with :func:`numerics.flows.kinks.event_values` after each heyoka step and located on heyoka's dense
output (the Taylor polynomial of the step) by Illinois iterations; every switch is decided by
:func:`numerics.flows.kinks.classify` (crossing, Filippov sliding / exit, sigma'(0) convention) exactly as in
the GBS engine, and the result is the same :class:`Trajectory` (its :meth:`~Trajectory.at` re-integrates
between the stored nodes with GBS).

Error control is heyoka's: relative above 1 and absolute below on the infinity norm of the state. The state
holds the log norms r_j (|r_j| ~ ln(1/lambda)), so the tolerance passed to heyoka is rtol / (1 + max |r_j|):
the direction coordinates are then controlled to about rtol absolutely, not relatively (the GBS engine's
relative control keeps the sign of a component decaying below rtol; heyoka's does not, see the engine tests).

Precision: float64, or mpmath at ``dps`` digits mapped to heyoka ``real`` at the same number of bits
(state converted through decimal strings with guard digits at each event).
"""
from __future__ import annotations

import math
import time

import numpy as np

from ..network import Model
from .field import Mode
from .gbs import illinois
from .kinks import event_keys, event_values, settle
from .trajectory import STATUS, Segment

__all__ = ["available", "HeyokaSystem", "solve_heyoka"]

_CACHE: dict = {}


def available() -> bool:
    try:
        import heyoka  # noqa: F401
    except ImportError:
        return False
    return True


class HeyokaSystem:
    """The compiled log-polar field of a (data, loss, width, precision), pattern and projectors as parameters."""

    def __init__(self, model: Model, m: int, xp, tol: float, compact_mode=True):
        import heyoka as hy

        self.hy, self.xp = hy, xp
        X, y = np.asarray(model.X, float), np.asarray(model.y, float)
        n, d = X.shape
        self.m, self.n, self.d = m, n, d
        self.real = xp.name != "float64"
        self.prec = int(xp.ctx.prec) if self.real else None
        w = float(model.weight)
        names = [f"r{j}" for j in range(m)] + [f"v{j}_{i}" for j in range(m) for i in range(d + 1)]
        allv = hy.make_vars(*names)
        r = allv[:m]
        V = [allv[m + j * (d + 1): m + (j + 1) * (d + 1)] for j in range(m)]
        par = hy.par
        mn = m * n
        self.o_sc, self.o_eta, self.o_side, self.o_hyst, self.o_P = 0, mn, 2 * mn, 3 * mn, 3 * mn + n
        self.npar = 3 * mn + n + m * d * d

        def lin(coefs, terms):
            parts = [t * float(c) for c, t in zip(coefs, terms) if c != 0]
            return hy.sum(parts) if parts else hy.expression(0.)

        Z = [[lin(X[k], V[j][1:]) for k in range(n)] for j in range(m)]
        S = [[par[self.o_sc + j * n + k] * Z[j][k] for k in range(n)] for j in range(m)]
        e2r = [hy.exp(2. * r[j]) for j in range(m)]
        h = [hy.sum([e2r[j] * V[j][0] * S[j][k] for j in range(m)]) for k in range(n)]
        if model.loss == "square":
            c = [(h[k] - float(y[k])) * w for k in range(n)]
        else:  # ell' = -y / (1 + e^{y h}) (the sigmoid form, no underflow at large margins)
            c = [(-float(y[k]) * w) / (1. + hy.exp(float(y[k]) * h[k])) for k in range(n)]
        rhs = [None] * (m * (d + 2))
        for j in range(m):
            Fa = -hy.sum([c[k] * S[j][k] for k in range(n)])
            B = [hy.sum([par[self.o_eta + j * n + k] * c[k] * float(X[k, i]) for k in range(n) if X[k, i] != 0] or
                        [hy.expression(0.)]) for i in range(d)]
            G = [-V[j][0] * B[i] for i in range(d)]
            Fw = [hy.sum([par[self.o_P + j * d * d + a * d + b] * G[b] for b in range(d)]) for a in range(d)]
            rdot = V[j][0] * Fa + hy.sum([V[j][a + 1] * Fw[a] for a in range(d)])
            rhs[j] = rdot
            rhs[m + j * (d + 1)] = Fa - rdot * V[j][0]
            for a in range(d):
                rhs[m + j * (d + 1) + a + 1] = Fw[a] - rdot * V[j][a + 1]
        sys_ = list(zip(allv, rhs))
        kw = dict(compact_mode=compact_mode)
        ev_kw = dict(direction=hy.event_direction.negative)
        if self.real:
            kw.update(fp_type=hy.real, prec=self.prec)
            ev_kw.update(fp_type=hy.real)
        events = [hy.t_event(par[self.o_side + j * n + k] * Z[j][k] + par[self.o_hyst + k], **ev_kw)
                  for j in range(m) for k in range(n)]
        t0 = time.perf_counter()
        ic = [self._num(0.)] * len(allv)
        self.ta = hy.taylor_adaptive(sys_, ic, t_events=events, pars=[self._num(0.)] * self.npar,
                                     tol=self._num(tol), **kw)
        self.compile_s = time.perf_counter() - t0

    # ----- conversions between our numbers and heyoka's
    def _num(self, v):
        if not self.real:
            return float(v)
        return self.hy.real(v if isinstance(v, (int, float)) else _mpf_str(v, self.prec), self.prec)

    def to_heyoka(self, Y):
        if not self.real:
            return np.asarray(Y, dtype=float)
        return np.array([self._num(v) for v in Y], dtype=self.ta.state.dtype)

    def from_heyoka(self, arr):
        if not self.real:
            return np.array(arr, dtype=float)
        mpf = self.xp.ctx.mpf
        return np.array([mpf(str(v)) for v in arr], dtype=object)

    def params(self, mode: Mode, hyst):
        """The runtime parameters of ``mode`` (pattern, surfaces, projectors) and the hysteresis band."""
        m, n, d = self.m, self.n, self.d
        sc = np.asarray(mode.sig_coef, dtype=float).ravel()
        eta = np.asarray(mode.eta_free, dtype=float).ravel()
        side = np.asarray(mode.side, dtype=float).ravel()
        P = np.tile(np.eye(d), (m, 1, 1))
        vals = np.concatenate([sc, eta, side, np.asarray(hyst, dtype=float).ravel(), P.ravel()]).astype(object)
        if len(mode.slide_idx):
            P_obj = np.empty((m, d, d), dtype=object)
            P_obj[...] = np.eye(d)
            for j in mode.slide_idx:
                P_obj[j] = mode.proj[int(j)]
            vals[self.o_P:] = P_obj.ravel()
        return np.array([self._num(v) for v in vals], dtype=self.ta.pars.dtype) if self.real else vals.astype(float)


def _mpf_str(v, prec):
    import mpmath
    return mpmath.nstr(v, int(prec * 0.30103) + 6, strip_zeros=False, min_fixed=1, max_fixed=0) \
        if not isinstance(v, str) else v


def system_for(model: Model, m: int, xp, tol: float) -> HeyokaSystem:
    """The compiled system of (data, loss, width, precision, tolerance) (memoised per process; the tolerance, which
    heyoka fixes at construction with the Taylor order, is rounded down to a power of 10)."""
    tol = 10.0 ** math.floor(math.log10(tol))
    key = (np.asarray(model.X, float).tobytes(), np.asarray(model.y, float).tobytes(), model.X.shape, model.loss,
           float(model.weight), m, xp.name, tol)
    sysm = _CACHE.get(key)
    if sysm is None:
        if len(_CACHE) > 16:
            _CACHE.clear()
        sysm = _CACHE[key] = HeyokaSystem(model, m, xp, tol)
    return sysm


def solve_heyoka(model, mode, Y, t, t_end, xp, rtol, kink, tol, hyst, traj, make_field, max_steps, max_events,
                 progress=None):
    """The driver loop of :func:`numerics.flows.solve_flow` on heyoka (from the state ``Y`` in ``mode`` at ``t``).

    Fills ``traj`` (segments, events, status) and returns it."""
    m = mode.side.shape[0]
    # heyoka's control is absolute below 1 / relative above on the infinity norm of the state, which the log
    # norms r_j dominate: divide the tolerance by 1 + (a bound on) max |r_j| over the run
    rmax = max(1.0, max(abs(float(v)) for v in Y[:m]))
    hy_sys = system_for(model, m, xp, float(rtol) / (1.0 + 2 * rmax))
    hy = hy_sys.hy
    ta = hy_sys.ta
    traj.compile_s = getattr(traj, "compile_s", 0.0) + hy_sys.compile_s
    hy_sys.compile_s = 0.0
    n, d = hy_sys.n, hy_sys.d
    X, y = model.data(xp)
    f = make_field(mode)

    def set_state(Y_, t_, mode_):
        ta.state[:] = hy_sys.to_heyoka(Y_)
        ta.pars[:] = hy_sys.params(mode_, hyst)
        ta.time = hy_sys._num(t_) if hy_sys.real else float(t_)
        ta.reset_cooldowns()

    set_state(Y, t, mode)
    seg = traj.segments[-1]
    n_events_here, last_event_t = 0, None
    t_end_h = hy_sys._num(t_end) if hy_sys.real else float(t_end)
    while t < t_end:
        surf = len(mode.surf_j) > 0
        exits = {}

        def cb(ta_):
            tt = xp.scalar(str(ta_.time)) if hy_sys.real else float(ta_.time)
            Yn = hy_sys.from_heyoka(ta_.state)
            traj.nsteps += 1
            if surf:
                g = event_values(f, Yn, tol)
                fired = np.nonzero(g < 0)[0]
                if len(fired):
                    exits["fired"] = fired
                    exits["t1"], exits["Y1"] = tt, Yn
                    return False
            seg.t.append(tt)
            seg.Y.append(Yn)
            seg.k.append(8)
            if progress is not None:
                progress.update(tt, len(traj.events))
            return traj.nsteps < max_steps

        t_prev = t
        res = ta.propagate_until(t_end_h, callback=cb, c_output=True)
        oc = int(res[0])
        if res[4] is not None:  # heyoka's continuous output of this propagation: Trajectory.at reads the segment
            seg.dense = (res[4], hy_sys)
        traj.nfev += int(res[3])
        crossing = -(2 ** 31) < oc < 0  # a terminal crossing event: index -oc - 1 = j n + k
        if crossing and surf and not exits:  # the callback does not run on a step cut by a terminal event
            Yc = hy_sys.from_heyoka(ta.state)
            g = event_values(f, Yc, tol)
            if np.any(g < 0):
                exits["fired"] = [i for i in np.nonzero(g < 0)[0]]
                exits["t1"] = xp.scalar(str(ta.time)) if hy_sys.real else float(ta.time)
                exits["Y1"] = Yc
        if exits:
            # the earliest exit on the dense output of the last step [t_lo, t1] (before any crossing in that step)
            t1 = exits["t1"]
            t_lo = seg.t[-1]
            g_lo = event_values(f, seg.Y[-1], tol)

            def dense(s):
                ta.update_d_output(hy_sys._num(s) if hy_sys.real else float(s))
                return hy_sys.from_heyoka(ta.d_output)

            fired = list(exits["fired"])
            g_hi = event_values(f, exits["Y1"], tol)
            already = [i for i in fired if g_lo[i] < 0]
            if already:  # negative from the segment's start on: the switch is at t_lo
                i0, t_ev, Y_ev = already[0], t_lo, seg.Y[-1]
            else:
                i0 = min(fired, key=lambda i: t_lo + (t1 - t_lo) * (g_lo[i] / (g_lo[i] - g_hi[i]))
                         if g_lo[i] - g_hi[i] != 0 else t1)
                xtol = xp.scalar(8 * xp.eps * max(1.0, abs(float(t1))))
                _, t_ev, _, _ = illinois(lambda s: event_values(f, dense(s), tol)[i0], t_lo, t1, g_lo[i0], g_hi[i0],
                                         xtol)
                Y_ev = dense(t_ev)
            kind_ev = None
        elif crossing:
            idx = -oc - 1
            t_ev = xp.scalar(str(ta.time)) if hy_sys.real else float(ta.time)
            Y_ev = hy_sys.from_heyoka(ta.state)
            i0 = None
            kind_ev = divmod(idx, n)
        else:
            t = xp.scalar(str(ta.time)) if hy_sys.real else float(ta.time)
            if oc == int(hy.taylor_outcome.cb_stop) and traj.nsteps >= max_steps:
                traj.status, traj.message = -1, f"{STATUS[-1]} ({max_steps}) at t = {float(t):.6g}"
            elif oc == int(hy.taylor_outcome.err_nf_state):
                traj.status, traj.message = -4, f"{STATUS[-4]}: heyoka: non-finite state at t = {float(t):.6g}"
            if seg.t[-1] != t:
                seg.t.append(t)
                seg.Y.append(hy_sys.from_heyoka(ta.state))
                seg.k.append(8)
            break
        from .state import renormalise
        Y_ev = renormalise(Y_ev, m, d, xp)
        keys = event_keys(f)
        g_ev = event_values(f, Y_ev, tol)
        sw = {keys[i] for i in np.nonzero(g_ev < 0)[0]}
        if i0 is not None:
            sw.add(keys[i0])
        else:
            sw.add((int(kind_ev[0]), int(kind_ev[1]), "cross"))
        switching = sorted(sw)
        seg.t.append(t_ev)
        seg.Y.append(Y_ev)
        seg.k.append(8)
        if last_event_t is not None and abs(float(t_ev - last_event_t)) <= 1e3 * 8 * xp.eps * max(1.0, abs(float(t_ev))):
            n_events_here += 1
        else:
            n_events_here = 0
        last_event_t = t_ev
        if n_events_here > 50 or len(traj.events) >= max_events:
            traj.status, traj.message = -3, f"{STATUS[-3]} at t = {float(t_ev):.6g}, pairs {switching[:4]}"
            break
        mode, Y_new, events, stop = settle(model, mode, Y_ev, [(j, k_) for j, k_, _ in switching],
                                           {(j, k_): kind for j, k_, kind in switching}, t_ev, X, y, xp, kink, tol,
                                           make_field)
        traj.events.extend(events)
        t, Y = t_ev, Y_new
        f = make_field(mode)
        seg = Segment(mode, [t], [Y], [8])
        traj.segments.append(seg)
        if stop is not None:
            traj.status, traj.message = -2, f"{STATUS[-2]}: {stop}"
            break
        set_state(Y, t, mode)
        if progress is not None:
            progress.update(t, len(traj.events))
    return traj
