"""The driver: :func:`solve_flow` integrates the gradient flow d theta/dt = -grad L(theta) through kinks.

The loop, in the manner of scipy's ``solve_ivp``: take a controlled step of the extrapolation
integrator (:class:`numerics.flows.gbs.GBS`) in the current mode's smooth field
(:mod:`numerics.flows.field`); if an event function of :mod:`numerics.flows.kinks` changed sign during
the step (or at a midpoint-rule probe inside it), locate the earliest switch z_jk = <w_j, x_k> = 0 by
Illinois root finding to the time resolution, let :func:`numerics.flows.kinks.classify` decide the
new mode (crossing, Filippov sliding / exit, or the sigma'(0) convention of boursier2022 App. D),
record the :class:`~numerics.flows.kinks.KinkEvent` and restart the integrator there. The result is
a :class:`~numerics.flows.trajectory.Trajectory`.
"""
from __future__ import annotations

import math
import os

import numpy as np

from ..backend import get_backend
from ..network import Model
from .field import Field, Mode, PiecewiseLinear, activation_for
from .events import locate_event
from .gbs import GBS, StepSizeTooSmall
from .kinks import classify, cross_values, event_keys, event_values, project_surfaces, settle
from .progress import flow_progress
from .state import PolarState, renormalise, to_balanced
from .trajectory import STATUS, Segment, Trajectory

__all__ = ["solve_flow", "DIRECTION_FLOOR_ULPS"]

#: the absolute floor of the error control on the direction coordinates v_j, in units of the precision's eps
DIRECTION_FLOOR_ULPS = 64


def solve_flow(model: Model, state0: PolarState, t_end, precision=None, rtol=None, atol=None, t_eval=None,
               kink="filippov", max_steps=100_000, kink_tol=None, max_events=100_000, t0=0.0, progress=None,
               backend=None, balanced_manifold=False):
    """Integrate the gradient flow d theta/dt = -grad L(theta) from ``state0`` up to ``t_end``.

    Parameters: ``precision`` "float64" (default: the precision of ``state0``) or digits for mpmath;
    ``rtol`` relative tolerance (default 1e-11 in float64, 10^{-(dps-5)} in mpmath); ``atol``
    absolute tolerance on the direction components (default ``DIRECTION_FLOOR_ULPS`` = 64 eps of the
    precision: relative control down to the round-off level of a unit vector's coordinates, so a decaying
    component keeps its sign down to there, while one that decays to round-off no longer stalls the step
    controller; a switch fires only beyond a hysteresis band far above that floor; the log norms r_j get the
    absolute tolerance rtol, i.e. a relative tolerance on e^{r_j}); ``t_eval`` times at which
    states are returned in ``sampled``; ``kink`` "filippov" (default) or "convention"
    (sigma'(0) = ``model.sigma_prime_zero`` on the surface); ``kink_tol`` relative threshold under
    which a one-sided normal velocity counts as zero (default eps^0.75); ``backend`` "gbs" (default, or
    ``$EARLYALIGN_FLOW_BACKEND``) or "heyoka" (:mod:`numerics.flows.heyoka_backend`); ``progress`` None (a bar on
    stderr for long runs when it is a terminal), False, True or an object with ``update(t, nevents)`` and
    ``close()``; ``balanced_manifold`` (off by default, so that balancedness checks stay non-circular): for an
    exactly balanced init (|a_j| = ||w_j|| for every neuron, to 64 eps), keep every neuron on the balanced
    manifold |v_a| = ||v_w|| = 1/sqrt 2 (the flow preserves a_j^2 - ||w_j||^2, boursier2022 Lemma 1) by
    projecting the state after every step and event.
    """
    backend = backend or os.environ.get("EARLYALIGN_FLOW_BACKEND", "").strip() or "auto"
    if backend not in ("auto", "gbs", "heyoka"):
        raise ValueError(f"backend must be 'auto', 'gbs' or 'heyoka', got {backend!r}")
    from .heyoka_backend import available
    if backend == "auto":
        # heyoka where it is faster and agrees with GBS (tests/test_flows_engine.py): mpmath precisions, where its
        # compiled `real` arithmetic beats numpy object arrays 10-20x; float64 stays on GBS (comparable speed, no
        # compile time). balanced_manifold is a GBS option.
        mp_prec = (precision if precision is not None else state0.xp.name) not in ("float64", None) and \
            get_backend(precision if precision is not None else state0.xp).name != "float64"
        backend = "heyoka" if (mp_prec and not balanced_manifold and available()
                               and isinstance(activation_for(model), PiecewiseLinear)) else "gbs"
    if backend == "heyoka" and not available():
        raise ValueError("backend='heyoka' needs the heyoka package (pip install heyoka)")
    if kink not in ("filippov", "convention"):
        raise ValueError(f"kink must be 'filippov' or 'convention', got {kink!r}")
    xp = get_backend(precision if precision is not None else state0.xp)
    state0 = state0.with_precision(xp) if state0.xp is not xp else state0
    m, d = state0.m, state0.d
    if d != model.d:
        raise ValueError(f"state has input dimension {d} but the data has d = {model.d}")
    if rtol is None:
        rtol = 1e-11 if xp.name == "float64" else 10.0 ** (-(xp.dps - 5))
    # high-order extrapolation amplifies rounding: below these floors the controller cannot converge
    if float(rtol) < (50 if xp.name == "float64" else 1000) * xp.eps:
        raise ValueError(f"rtol = {float(rtol):.1e} is below what {xp.name} can resolve (eps = {xp.eps:.1e}): "
                         f"raise the precision (dps >= {int(-math.log10(float(rtol))) + 5}) or the tolerance")
    rtol = xp.scalar(rtol)
    if atol is None:
        # relative control down to the round-off level of a unit vector's coordinates, absolute below it: a
        # component decaying to round-off no longer makes the controller thrash (its value there is noise:
        # a rounding error of the O(1) coordinates), and no sign that matters is lost, because a switch fires
        # only beyond the hysteresis band max(kink_tol, 10 rtol) ||x_k|| >> DIRECTION_FLOOR_ULPS eps
        atol = DIRECTION_FLOOR_ULPS * xp.eps
    a_tol = xp.scalar(atol)
    atol_vec = np.where(np.arange(m * (d + 2)) < m, rtol, a_tol) if xp.name == "float64" else \
        np.array([rtol if i < m else a_tol for i in range(m * (d + 2))], dtype=object)
    if kink_tol is None:
        kink_tol = xp.eps ** 0.75
    tol = xp.scalar(kink_tol)
    if balanced_manifold:
        if backend != "gbs":
            raise ValueError("balanced_manifold is an option of the GBS backend")
        bal = state0.balancedness_relative()
        worst = max(abs(float(v)) for v in bal)
        if worst > 64 * xp.eps:
            raise ValueError(f"balanced_manifold needs an exactly balanced init (|a_j| = ||w_j||); the relative "
                             f"imbalance reaches {worst:.2e}")
        bal_signs = np.array([1 if v > 0 else -1 for v in state0.V[:, 0]])
    X, y = model.data(xp)
    t = xp.scalar(t0)
    t_end = xp.scalar(t_end)
    traj = Trajectory(model, xp, m, d, (rtol, atol_vec))
    progress = flow_progress(progress, t0, t_end)

    # the direction rows on the unit sphere in the working precision (a float64 state handed to an mpmath run
    # has rows of norm 1 + O(1e-16): the log-polar field assumes ||v_j|| = 1)
    Y = state0.to_vector() if state0.xp is xp and xp.name == "float64" else renormalise(state0.to_vector(), m, d, xp)
    norm_fn = renormalise
    if balanced_manifold:
        def norm_fn(Y_, m_, d_, xp_):
            return to_balanced(Y_, m_, d_, xp_, bal_signs)
        Y = norm_fn(Y, m, d, xp)
    V = Y[m:].reshape(m, d + 1)
    Z = V[:, 1:] @ X.T
    # exact zeros are blurred to ~1e-17 by the normalisation of the state: snap them back
    xn = np.array([float(v) for v in xp.sqrt(np.sum(X * X, axis=1))])
    vn = np.array([float(v) for v in xp.sqrt(np.sum(V[:, 1:] * V[:, 1:], axis=1))])
    snap = np.abs(np.vectorize(float)(Z)) <= 16 * xp.eps * np.outer(vn, xn)
    if not activation_for(model).has_kinks:  # a smooth activation: no kink surface, nothing to snap or classify
        snap = np.zeros_like(snap)
    side = np.where(snap, 0, np.where(Z > 0, 1, -1)).astype(int)
    hyst = xp.asarray(max(float(tol), 10 * float(rtol)) * xn)

    def make_field(mode_):
        fld = Field(model, mode_, X, y, xp)
        fld.hyst = hyst
        return fld

    mode = Mode(side, model, X, xp, kink)
    # pairs exactly on a kink at t0: classify them like an event with no prior side
    if (side == 0).any():
        mode, Y, events, stop = classify(model, mode, Y, list(zip(*np.nonzero(side == 0))), None, t, X, y, xp, kink,
                                         tol)
        _record(traj, events, stop)
        if stop is not None:
            traj.segments.append(Segment(mode, [t], [Y], [3]))
            return _finish(traj, t_eval)
    if backend == "heyoka":
        from .heyoka_backend import solve_heyoka
        traj.segments.append(Segment(mode, [t], [Y], [8]))
        traj.backend = "heyoka"
        solve_heyoka(model, mode, Y, t, t_end, xp, rtol, kink, tol, hyst, traj, make_field, max_steps, max_events,
                     progress)
        if progress is not None:
            progress.close()
        return _finish(traj, t_eval)
    f = make_field(mode)
    gbs = GBS(f, xp, rtol, atol_vec)
    seg = Segment(mode, [t], [Y], [gbs.k0])
    traj.segments.append(seg)
    k = gbs.k0
    H = None
    n_events_here, last_event_t = 0, None

    while t < t_end:
        if traj.nsteps >= max_steps:
            traj.status, traj.message = -1, f"{STATUS[-1]} ({max_steps}) at t = {float(t):.6g}"
            break
        f0 = f(Y)
        gbs.nfev += 1
        if H is None:
            fn = max(float(abs(v)) for v in f0) if len(f0) else 1.0
            H = xp.scalar(min(float(t_end - t), 0.1 / max(fn, 1e-8)))
        H = min(H, t_end - t)
        try:
            res = gbs.step(Y, f0, H, k, t_scale=t, keep_probes=True)
        except StepSizeTooSmall as exc:
            traj.status, traj.message = -4, f"{STATUS[-4]}: {exc}"
            break
        traj.nsteps += 1
        Y1 = res.y1
        # ---------------------------------------------------------------- event detection
        g1 = event_values(f, Y1, tol)
        fired = np.nonzero(g1 < 0)[0]
        s_hi = res.H
        if not len(fired) and len(g1):
            # a double sign change inside the step: look at the midpoint-rule probes
            for frac, Yp in res.probes[:-1]:
                bad = np.nonzero(cross_values(f, Yp) < 0)[0]
                if len(bad):
                    fired, s_hi = bad, res.H * xp.scalar(frac)
                    break
        if not len(fired):
            t, Y = t + res.H, norm_fn(project_surfaces(Y1, mode, m, d), m, d, xp)
            seg.t.append(t)
            seg.Y.append(Y)
            seg.k.append(res.k)
            H, k = res.H_next, res.k_next
            if progress is not None:
                progress.update(t, len(traj.events))
            continue
        # ---------------------------------------------------------------- locate the earliest event
        kk = res.k
        keys = event_keys(f)
        g0 = event_values(f, Y, tol)
        xtol = xp.scalar(8 * xp.eps * max(1.0, abs(float(t)) + abs(float(res.H))))
        loc = locate_event(f, gbs, Y, f0, Y1, res.H, s_hi, kk, g0, fired, tol, xtol)
        if loc is None:  # a probe's sign change that the exact solution does not confirm: no event
            t, Y = t + res.H, norm_fn(project_surfaces(Y1, mode, m, d), m, d, xp)
            seg.t.append(t)
            seg.Y.append(Y)
            seg.k.append(res.k)
            H, k = res.H_next, res.k_next
            continue
        traj.nrelocate += loc.advances
        i0, s_ev, Y_ev = loc.index, loc.s, loc.Y
        t_ev = t + s_ev
        Y_ev = norm_fn(Y_ev, m, d, xp)
        # all pairs whose functions are <= 0 at the event point switch together
        g_ev = event_values(f, Y_ev, tol)
        sw = set(np.nonzero(g_ev < 0)[0].tolist()) | {i0}
        switching = sorted({keys[i] for i in sw})
        seg.t.append(t_ev)
        seg.Y.append(Y_ev)
        seg.k.append(kk)
        # chattering guard
        if last_event_t is not None and abs(float(t_ev - last_event_t)) <= 1e3 * float(xtol):
            n_events_here += 1
        else:
            n_events_here = 0
        last_event_t = t_ev
        if n_events_here > 50 or len(traj.events) >= max_events:
            traj.status, traj.message = -3, f"{STATUS[-3]} at t = {float(t_ev):.6g}, pairs {switching[:4]}"
            t, Y = t_ev, Y_ev
            break
        mode, Y_new, events, stop = settle(model, mode, Y_ev, [(j, kk_) for j, kk_, _ in switching],
                                           {(j, kk_): kind for j, kk_, kind in switching}, t_ev, X, y, xp, kink, tol,
                                           make_field)
        _record(traj, events, stop)
        t, Y = t_ev, (norm_fn(Y_new, m, d, xp) if balanced_manifold else Y_new)
        f = make_field(mode)
        gbs.f = f
        seg = Segment(mode, [t], [Y], [kk])
        traj.segments.append(seg)
        if progress is not None:
            progress.update(t, len(traj.events))
        if stop is not None:
            break
        H, k = max(s_ev, res.H_next * xp.scalar(0.25)), kk
    traj.nfev += gbs.nfev
    if progress is not None:
        progress.close()
    return _finish(traj, t_eval)


def _finish(traj, t_eval):
    if t_eval is not None:
        traj.t_eval = list(t_eval)
        traj.sampled = [traj.at(min(traj.xp.scalar(tt), traj.t_final)) for tt in t_eval]
    return traj


def _record(traj, events, stop):
    """Append the kink events of one switch to ``traj``; a stop reason from :func:`classify` (no classical
    continuation, convention mode) ends the run with status -2."""
    traj.events.extend(events)
    if stop is not None:
        traj.status, traj.message = -2, f"{STATUS[-2]}: {stop}"
