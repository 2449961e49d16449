"""The result of :func:`numerics.flows.solve_flow`: a :class:`Trajectory` (in the manner of scipy's ``OdeResult``).

The trajectory keeps the accepted nodes of each smooth segment (one :class:`Segment` per mode, i.e.
between two kink events) and gives the state at any time by re-integrating inside the segment
(:meth:`Trajectory.at`, to the integrator's tolerance). ``STATUS`` lists the termination codes.
"""
from __future__ import annotations

from dataclasses import dataclass

from .field import Field, Mode
from .gbs import GBS
from .kinks import KinkEvent
from .state import PolarState, renormalise

__all__ = ["STATUS", "Segment", "Trajectory"]

STATUS = {
    0: "reached t_end",
    -1: "max_steps reached",
    -2: "no classical solution continues through a kink (sigma'(0) convention)",
    -3: "chattering: repeated switches without progress in time",
    -4: "step size underflow",
}


@dataclass
class Segment:
    """One smooth piece of a trajectory: the mode it was integrated in, its node times ``t``, flat
    states ``Y`` and the extrapolation order ``k`` used from each node."""

    mode: Mode
    t: list
    Y: list
    k: list  # order used from each node


class Trajectory:
    """Result of :func:`numerics.flows.solve_flow` (in the manner of scipy's ``OdeResult``).

    Attributes: ``t`` (node times), ``states`` (:class:`PolarState` per node), ``events``
    (:class:`KinkEvent` list), ``status`` / ``message``, ``nsteps``, ``nfev``, ``precision``,
    ``t_eval`` / ``sampled`` (states at the requested times). ``at(t)`` gives the state at any
    time in [t0, t_final] to the integrator's tolerance.
    """

    def __init__(self, model, xp, m, d, solver_opts):
        self.model, self.xp, self.m, self.d = model, xp, m, d
        self.segments: list[Segment] = []
        self.events: list[KinkEvent] = []
        self.status = 0
        self.message = STATUS[0]
        self.nsteps = 0
        self.nfev = 0
        self.nrelocate = 0  # exact re-integrations spent locating events
        self.precision = xp.name
        self._opts = solver_opts
        self.t_eval = None
        self.sampled = None

    @property
    def t(self):
        out = []
        for s in self.segments:
            out.extend(s.t if not out else s.t[1:] if out[-1] == s.t[0] else s.t)
        return out

    @property
    def states(self):
        out, last = [], None
        for s in self.segments:
            for t, Y in zip(s.t, s.Y):
                if last is not None and t == last:
                    out[-1] = self._state(Y)
                    continue
                out.append(self._state(Y))
                last = t
        return out

    @property
    def t_final(self):
        return self.segments[-1].t[-1]

    @property
    def final(self) -> PolarState:
        return self._state(self.segments[-1].Y[-1])

    def _state(self, Y):
        return PolarState.from_vector(Y, self.m, self.d, self.xp)

    def at(self, t) -> PolarState:
        """State at time t, integrating from the last node before t inside its smooth segment."""
        xp = self.xp
        t = xp.scalar(t)
        if t < self.segments[0].t[0] or t > self.t_final:
            raise ValueError(f"t = {t} outside the integrated interval [{self.segments[0].t[0]}, {self.t_final}]")
        seg = self.segments[-1]
        for s in self.segments:
            if s.t[0] <= t <= s.t[-1]:
                seg = s
                break
        i = max(i for i, ti in enumerate(seg.t) if ti <= t)
        if seg.t[i] == t:
            return self._state(seg.Y[i])
        dense = getattr(seg, "dense", None)
        if dense is not None:  # a heyoka segment: its continuous output (Taylor polynomials of the steps)
            c_out, hy_sys = dense
            return self._state(renormalise(hy_sys.from_heyoka(c_out(hy_sys._num(t) if hy_sys.real else float(t))),
                                           self.m, self.d, xp))
        X, y = self.model.data(xp)
        f = Field(self.model, seg.mode, X, y, xp)
        gbs = GBS(f, xp, *self._opts)
        Y = _integrate_to(gbs, f, seg.t[i], seg.Y[i], t, seg.k[i])
        self.nfev += gbs.nfev
        return self._state(Y)

    def sample(self, times):
        return [self.at(t) for t in times]

    def loss(self, t=None):
        """L(theta(t)) (at every node if t is None)."""
        if t is None:
            return [s.loss(self.model) for s in self.states]
        return self.at(t).loss(self.model)

    def __repr__(self):
        return (f"Trajectory(precision={self.precision}, t_final={float(self.t_final):.6g}, nodes={len(self.t)}, "
                f"events={len(self.events)}, nsteps={self.nsteps}, nfev={self.nfev}, status={self.status}: {self.message})")


def _integrate_to(gbs, f, t0, Y0, t1, k):
    """Adaptive integration inside one mode from t0 to t1 (no event handling)."""
    t, Y, H = t0, Y0, (t1 - t0)
    while t < t1:
        H = min(H, t1 - t)
        res = gbs.step(Y, f(Y), H, k, t_scale=t)
        gbs.nfev += 1
        t, Y, H, k = t + res.H, res.y1, res.H_next, res.k_next
        if t1 - t <= 16 * gbs.xp.eps * max(1.0, abs(float(t1))):
            break
    return Y
