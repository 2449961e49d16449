"""The eps -> 0 limit of the neuron directions in the plane, solved exactly (piecewise closed forms).

For a vanishing initialisation every neuron direction u_j = w_j/||w_j|| of a two-layer ReLU network follows, while the
output is negligible, the sphere gradient flow of G(u) = sum_i y_i sigma(<x_i, u>) with the sign s_j of its output
weight (Maennel et al. 2018; min2024 Eq. (4)-(5), Lemma 1; boursier2024 Eq. (7) up to the loss normalisation):

    du/dt = s P_u x_a(u),   x_a(u) = sum_{i : <x_i, u> > 0} y_i x_i   (sigma'(0) = 0: strict activation).

In d = 2 write u = (cos th, sin th). Inside one activation region x_a = c is constant and th' = |c| sin(phi - th) with
phi the angle of s c, so tan((th - phi)/2) = tan((th0 - phi)/2) e^{-|c| t}: the time to reach a region boundary beta is
ln(tan((th0 - phi)/2)/tan((beta - phi)/2))/|c| in closed form, and the direction converges to phi without leaving the
region if phi lies inside it. :func:`directional_flow_2d` chains these pieces exactly (no integrator, no step size):
at a boundary the pattern on the far side is used (Caratheodory with sigma'(0) = 0); a neuron whose far side is dead
stays on the boundary (it is in S_dead); a far side pushing back (no classical continuation, sliding) raises.

This is paper-free geometry (the data, labels and sign are inputs); min2024 uses it for the mu-sweep of its alignment
time (catalog E21) and the engine's log-polar flow at ln eps = -10^4 reproduces it (tests/test_directional.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["DirectionalPath", "directional_flow_2d", "boundary_angles"]

TWO_PI = 2.0 * math.pi


def _wrap(a: float) -> float:
    """Angle in (-pi, pi]."""
    a = math.fmod(a + math.pi, TWO_PI)
    if a <= 0:
        a += TWO_PI
    return a - math.pi


def boundary_angles(X) -> np.ndarray:
    """Sorted angles in [0, 2 pi) of the lines <x_i, u> = 0 (two per datum)."""
    X = np.asarray(X, float)
    a = np.arctan2(X[:, 1], X[:, 0])
    return np.sort(np.mod(np.concatenate([a + math.pi / 2, a - math.pi / 2]), TWO_PI))


@dataclass
class DirectionalPath:
    """The exact eps -> 0 path of one neuron: ``times[k]`` is when the activation pattern becomes ``patterns[k]``
    (``times[0] = 0``), ``angles[k]`` the direction then; ``final`` says how it ends: "converges" (to
    ``limit_angle`` inside its last region), "dead" (no active datum: constant), "equilibrium" (x_a parallel to u)."""

    times: list = field(default_factory=list)
    patterns: list = field(default_factory=list)
    angles: list = field(default_factory=list)
    final: str = ""
    limit_angle: float | None = None

    def first_time(self, pred) -> float:
        """First time the pattern satisfies ``pred`` (inf if never)."""
        for t, p in zip(self.times, self.patterns):
            if pred(p):
                return t
        return math.inf


def _pattern(X, th: float) -> np.ndarray:
    return (X @ np.array([math.cos(th), math.sin(th)])) > 0


def directional_flow_2d(X, y, s: float, theta0: float, t_max: float = math.inf, max_switches: int = 10_000,
                        tol: float = 1e-13) -> DirectionalPath:
    """Exact eps -> 0 directional path of one neuron of sign ``s`` from angle ``theta0`` (radians) on 2-D data.

    ``tol`` (radians) is the angular resolution used to step across a boundary and to decide that a neuron sits on
    one. Stops at ``t_max`` or when the neuron can no longer change its pattern (converges inside a region, dead).
    """
    X, y = np.asarray(X, float), np.asarray(y, float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"directional_flow_2d needs 2-D data; got shape {X.shape}")
    bnd = boundary_angles(X)
    th = float(theta0)
    t = 0.0
    pat = _pattern(X, th)
    out = DirectionalPath(times=[0.0], patterns=[pat.copy()], angles=[th])
    for _ in range(max_switches):
        c = s * (y[pat] @ X[pat]) if pat.any() else np.zeros(2)
        cn = float(np.hypot(c[0], c[1]))
        if cn == 0.0:
            out.final = "dead" if not pat.any() else "equilibrium"
            return out
        phi = math.atan2(c[1], c[0])
        psi0 = _wrap(th - phi)
        if abs(psi0) <= tol or abs(abs(psi0) - math.pi) <= tol:
            out.final, out.limit_angle = "equilibrium", th
            return out
        d = -1.0 if psi0 > 0 else 1.0  # direction of motion (towards phi)
        # distance in direction d to the next boundary (strictly ahead) and to the attractor phi
        gaps = np.mod(d * (bnd - th), TWO_PI)
        gaps = gaps[gaps > tol]
        gap_b = float(np.min(gaps)) if gaps.size else math.inf
        gap_phi = abs(psi0)
        if gap_phi <= gap_b:
            out.final, out.limit_angle = "converges", phi
            return out
        beta = th + d * gap_b
        psib = _wrap(beta - phi)
        dt = math.log(math.tan(abs(psi0) / 2) / math.tan(abs(psib) / 2)) / cn
        if t + dt > t_max:
            out.final = "t_max"
            return out
        t += dt
        th = beta
        far = _pattern(X, beta + d * 10 * tol)
        cf = s * (y[far] @ X[far]) if far.any() else np.zeros(2)
        if not far.any():
            # the far side is dead: the neuron stays on the boundary of S_dead (with sigma'(0) = 0 it is dead there)
            out.times.append(t)
            out.patterns.append(far.copy())
            out.angles.append(th)
            out.final = "dead"
            return out
        push = d * (-math.sin(beta) * cf[0] + math.cos(beta) * cf[1])
        if push <= 0:
            raise RuntimeError(f"no classical continuation at angle {math.degrees(beta):.6f} deg (t = {t:.6g}): the "
                               "field beyond the boundary points back (sliding); Assumption 1 excludes this")
        pat = far
        th = beta + d * 10 * tol
        out.times.append(t)
        out.patterns.append(pat.copy())
        out.angles.append(th)
    raise RuntimeError(f"more than {max_switches} pattern switches")
