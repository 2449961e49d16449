"""Global extrema of a function on the unit sphere S^{d-1} (paper-free geometry): a dense grid, then a derivative-free
pattern search on each of the best grid points (robust at kinks, where a piecewise-linear G of a ReLU network has its
extrema), and the distinct local maxima found. Used for lambda = max |G| and the argmax sets of tsoy2024 (Lemma 5.2,
§6), where G may be smooth (smoothed ReLU) or piecewise linear (ReLU).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["sphere_grid", "SphereMax", "maximize_on_sphere", "angle_between"]


def sphere_grid(d: int, n: int, seed: int = 0) -> np.ndarray:
    """About n points covering S^{d-1}: equally spaced angles (d = 2), a Fibonacci lattice (d = 3), Gaussian samples
    (d > 3, seeded)."""
    if d == 1:
        return np.array([[1.0], [-1.0]])
    if d == 2:
        t = np.linspace(0, 2 * math.pi, n, endpoint=False)
        return np.stack([np.cos(t), np.sin(t)], axis=1)
    if d == 3:
        k = np.arange(n) + 0.5
        z = 1 - 2 * k / n
        phi = math.pi * (1 + math.sqrt(5)) * k
        rr = np.sqrt(1 - z * z)
        return np.stack([rr * np.cos(phi), rr * np.sin(phi), z], axis=1)
    g = np.random.default_rng(seed).standard_normal((n, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def angle_between(u, v) -> float:
    """Angle in [0, pi] between two nonzero vectors (atan2 form, accurate near 0 and pi)."""
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    u = u / np.linalg.norm(u)
    v = v / np.linalg.norm(v)
    return float(math.atan2(np.linalg.norm(u - v * (u @ v)), u @ v))


@dataclass
class SphereMax:
    """A local maximum found on the sphere: ``point`` (unit), ``value``, ``error`` (value change of the last
    refinement round + rounding: an estimate of how far below the true local max the value may be)."""

    point: np.ndarray
    value: float
    error: float


def _refine(f, x, rho, rng, rounds=60, k=24):
    d = len(x)
    fx = float(f(x[None])[0])
    last_gain = abs(fx) * 1e-16
    for _ in range(rounds):
        z = rng.standard_normal((k, d))
        z -= np.outer(z @ x, x)
        z /= np.linalg.norm(z, axis=1, keepdims=True)
        cand = x[None] + rho * z
        cand /= np.linalg.norm(cand, axis=1, keepdims=True)
        fc = f(cand)
        i = int(np.argmax(fc))
        if fc[i] > fx:
            last_gain = float(fc[i] - fx)
            x, fx = cand[i], float(fc[i])
            rho *= 1.3
        else:
            rho *= 0.5
        if rho < 1e-13:
            break
    return x, fx, last_gain + 4 * np.finfo(float).eps * (abs(fx) + 1)


def maximize_on_sphere(f, d: int, n_grid: int = 20000, n_start: int = 20, seed: int = 0,
                       merge_angle: float = 1e-4, extra_starts=()) -> list[SphereMax]:
    """Distinct local maxima of ``f`` (vectorised: rows of an (k, d) array -> (k,)) on S^{d-1}, best first.

    The ``n_start`` best grid points at least 5 degrees apart (plus ``extra_starts``) are refined by a shrinking random
    pattern search in the tangent space; maxima closer than ``merge_angle`` are merged. A local maximum on a plateau (f constant near it)
    is reported once per start that lands there (not merged unless close)."""
    rng = np.random.default_rng(seed)
    G = sphere_grid(d, n_grid, seed)
    vals = f(G)
    spacing = math.sqrt(4 * math.pi / n_grid) if d == 3 else (2 * math.pi / n_grid if d == 2 else 0.2)
    # the best grid points, at least ``sep`` apart: distinct peaks (nearly equal peaks far apart, e.g. antipodal
    # extrema of slightly asymmetric data, are not crowded out by the neighbours of the best one)
    sep = math.cos(math.radians(5.0))
    starts = []
    for i in np.argsort(-vals):
        if len(starts) >= n_start:
            break
        if all(G[i] @ s_ < sep for s_ in starts):
            starts.append(G[i])
    starts += [np.asarray(s, dtype=float) / np.linalg.norm(s) for s in extra_starts]
    found: list[SphereMax] = []
    for x0 in starts:
        x, fx, err = _refine(f, x0, spacing, rng)
        for s in found:
            if angle_between(s.point, x) < merge_angle:
                if fx > s.value:
                    s.point, s.value, s.error = x, fx, err
                break
        else:
            found.append(SphereMax(x, fx, err))
    return sorted(found, key=lambda s: -s.value)
