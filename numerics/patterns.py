"""Exact enumeration of the activation patterns of one ReLU neuron on a data set.

A neuron w in R^d splits the samples by the sign of <w, x_k>. The patterns
D(w) = diag(1[<x_k, w> > 0])_k that hold on an open set of w are the *chambers*
(full-dimensional cells) of the central hyperplane arrangement
{ {u : <x_k, u> = 0} : x_k != 0 } in R^d. These are the patterns D_i of the
convex reformulation of two-layer ReLU training (Pilanci & Ergen, ICML 2020;
see :mod:`numerics.convex`). Every u in R^d lies in the closure of some chamber,
so the chambers are all the convex program needs.

Counting (used as a test oracle): n hyperplanes through the origin of R^d whose
normals are in general position (any min(n, d) of them linearly independent)
have exactly C(n, d) = 2 sum_{k=0}^{d-1} binom(n-1, k) chambers (Cover 1965,
Thm 1; Zaslavsky 1975 in general); any central arrangement of n distinct
hyperplanes in R^d has at most that many.

Algorithm (exact, no sampling, no LP tolerances). The data are converted to
rationals exactly (a float is a dyadic rational; ints, ``fractions.Fraction``,
sympy ``Rational`` and decimal strings are accepted too) and each row is scaled
to a primitive integer vector, which changes no sign. Then, recursively:

* if the normals span only an r-dimensional subspace (r < d), work in
  coordinates of that subspace (u = B^T c for a basis B of independent rows);
* if there are exactly d independent normals, the chambers are the 2^d orthants
  of the coordinates <a_k, u>;
* otherwise the arrangement is essential, so every chamber is a pointed cone and
  has an extreme ray on a line L = intersection of hyperplanes of rank d-1. For
  every such line (generalised cross product of d-1 normals, de-duplicated) and
  each of its two rays r, the chambers having r on their boundary are
  u = r + eps v, v ranging over the chambers of the *local* arrangement of the
  hyperplanes containing r (recursion in dimension d-1), with an exact eps small
  enough to keep the signs of the other hyperplanes.

All arithmetic is in Python integers / Fractions, so the result is exact for the
numbers given (decide beforehand whether 0.1 + 0.2 should be 0.3: the float data
are taken literally). Cost: C(n, d-1) lines, e.g. 780 for n = 40, d = 3 and 56
for n = 8, d = 6 (both well under a second).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, product

import numpy as np

__all__ = [
    "PatternSet",
    "enumerate_patterns",
    "cover_bound",
    "in_general_position",
    "sample_patterns",
    "pattern_of",
    "to_fraction",
    "independent_rows",
    "rational_inverse",
]


# --------------------------------------------------------------------------- exact input


def to_fraction(v) -> Fraction:
    """Exact rational value of a number: float (its exact binary value), int, Fraction,
    sympy Rational/Integer/Float, numpy scalar, or a decimal string such as ``"1.1"``."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(f"boolean {v!r} is not a data value")
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    if isinstance(v, (float, np.floating)):
        if not math.isfinite(float(v)):
            raise ValueError(f"non-finite data value {v!r}")
        return Fraction(float(v))
    if isinstance(v, str):
        return Fraction(v.strip())
    p, q = getattr(v, "p", None), getattr(v, "q", None)  # sympy Rational / Integer
    if p is not None and q is not None:
        return Fraction(int(p), int(q))
    if hasattr(v, "is_Float") and v.is_Float:  # sympy Float: its decimal string
        return Fraction(str(v))
    raise TypeError(f"cannot convert {v!r} (type {type(v).__name__}) to an exact rational")


def _exact_matrix(X) -> list[tuple[Fraction, ...]]:
    kind = np.asarray(X).dtype.kind
    X = np.asarray(X, dtype=object if kind in "OUS" else float)  # decimal strings stay exact
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n, d); got shape {X.shape}")
    return [tuple(to_fraction(v) for v in row) for row in X]


def _primitive(row) -> tuple[int, ...]:
    """Positive multiple of a rational vector with coprime integer entries."""
    den = 1
    for v in row:
        den = math.lcm(den, Fraction(v).denominator)
    ints = [int(Fraction(v) * den) for v in row]
    g = 0
    for v in ints:
        g = math.gcd(g, v)
    return tuple(v // g for v in ints) if g > 1 else tuple(ints)


# --------------------------------------------------------------------------- exact linear algebra


def _dot(a, b):
    return sum(x * y for x, y in zip(a, b))


def independent_rows(rows) -> list[int]:
    """Indices of a maximal linearly independent subset of ``rows`` (greedy, in order), in exact rational
    arithmetic; its length is the exact rank. Entries may be ints, Fractions or anything ``Fraction``
    accepts (convert floats / sympy numbers with :func:`to_fraction` first)."""
    basis: list[tuple[int, list[Fraction]]] = []  # (pivot column, reduced row)
    chosen = []
    for idx, row in enumerate(rows):
        v = [Fraction(x) for x in row]
        for piv, b in basis:
            if v[piv] != 0:
                f = v[piv] / b[piv]
                v = [vi - f * bi for vi, bi in zip(v, b)]
        piv = next((j for j, x in enumerate(v) if x != 0), None)
        if piv is not None:
            basis.append((piv, v))
            chosen.append(idx)
    return chosen


def _det_int(M) -> int:
    """Determinant of a square integer matrix (Bareiss fraction-free elimination)."""
    A = [list(r) for r in M]
    k = len(A)
    if k == 0:
        return 1
    sign, prev = 1, 1
    for i in range(k - 1):
        if A[i][i] == 0:
            swap = next((r for r in range(i + 1, k) if A[r][i] != 0), None)
            if swap is None:
                return 0
            A[i], A[swap] = A[swap], A[i]
            sign = -sign
        for r in range(i + 1, k):
            for c in range(i + 1, k):
                A[r][c] = (A[r][c] * A[i][i] - A[r][i] * A[i][c]) // prev
        prev = A[i][i]
    return sign * A[k - 1][k - 1]


def _cross(rows, d) -> tuple[int, ...]:
    """Generalised cross product of d-1 integer vectors in Z^d (zero iff dependent)."""
    return tuple((-1) ** j * _det_int([r[:j] + r[j + 1:] for r in rows]) for j in range(d))


def rational_inverse(A) -> list[list[Fraction]]:
    """Exact inverse (list of rows of Fractions) of a square invertible rational matrix, by Gauss-Jordan
    elimination; raises ZeroDivisionError("singular system") if ``A`` is singular."""
    k = len(A)
    M = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(k)] for i, row in enumerate(A)]
    for c in range(k):
        p = next((r for r in range(c, k) if M[r][c] != 0), None)
        if p is None:
            raise ZeroDivisionError("singular system")
        M[c], M[p] = M[p], M[c]
        piv = M[c][c]
        M[c] = [x / piv for x in M[c]]
        for r in range(k):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return [row[k:] for row in M]


def _sign(v) -> int:
    return (v > 0) - (v < 0)


# --------------------------------------------------------------------------- chamber recursion


def _chambers(A: list[tuple[int, ...]], d: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Chambers of the central arrangement {<a, u> = 0 : a in A} in R^d (every a nonzero).

    Returns a list of (sign vector s with s_k = sign <a_k, u>, witness u). Witnesses are
    primitive integer vectors (a positive rescaling keeps a point in its chamber), so the
    whole recursion runs in integer arithmetic.
    """
    m = len(A)
    basis = independent_rows(A)
    r = len(basis)
    if r < d:  # not essential: work in the row space, u = B^T c
        B = [A[i] for i in basis]
        A2 = [_primitive([_dot(a, b) for b in B]) for a in A]
        return [(s, _primitive([sum(c[j] * B[j][t] for j in range(r)) for t in range(d)]))
                for s, c in _chambers(A2, r)]
    if m == d:  # d independent normals: the 2^d orthants of (<a_k, u>)_k
        inv = rational_inverse(A)
        return [(s, _primitive([sum(inv[i][j] * s[j] for j in range(d)) for i in range(d)]))
                for s in product((1, -1), repeat=d)]
    if d == 1:  # several nonzero multiples on a line: u > 0 and u < 0
        return [(tuple(_sign(a[0] * t) for a in A), (t,)) for t in (1, -1)]
    # essential, m > d >= 2: every chamber has an extreme ray on a line of rank d-1
    lines = set()
    for comb in combinations(range(m), d - 1):
        v = _cross([A[i] for i in comb], d)
        if any(v):
            v = _primitive(v)
            lead = next(x for x in v if x != 0)
            lines.add(v if lead > 0 else tuple(-x for x in v))
    found: dict[tuple[int, ...], tuple[int, ...]] = {}
    for line in sorted(lines):
        dots = [_dot(a, line) for a in A]
        K = [k for k in range(m) if dots[k] == 0]
        others = [k for k in range(m) if dots[k] != 0]
        scale_line = max(abs(x) for x in line)
        for s_loc, v in _chambers([A[k] for k in K], d):
            # eps = num/den: the largest step keeping every other sign (halfway to its
            # hyperplane), capped at the scale of the ray; exact integer comparisons
            num, den = scale_line, max(abs(x) for x in v)
            for k in others:
                av = abs(_dot(A[k], v))
                if av and abs(dots[k]) * den < num * 2 * av:
                    num, den = abs(dots[k]), 2 * av
            for t in (1, -1):
                s = [0] * m
                for k, sk in zip(K, s_loc):
                    s[k] = sk
                for k in others:
                    s[k] = _sign(t * dots[k])
                key = tuple(s)
                if key not in found:
                    found[key] = _primitive([den * t * line[i] + num * v[i] for i in range(d)])
    return list(found.items())


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class PatternSet:
    """The chambers of the arrangement {<x_k, u> = 0}: activation patterns with witnesses.

    * ``patterns`` (P, n) bool: D_i = diag(patterns[i]), True where <x_k, u> > 0 on the
      chamber. Zero rows x_k = 0 are False in every pattern (sigma(0) = 0: the entry
      does not affect D_i X, nor (D_i + gamma (I - D_i)) X).
    * ``signs`` (P, n) int8 in {-1, +1} (0 on zero rows): sign <x_k, u>, so the closed
      cone of pattern i is {u : signs[i, k] <x_k, u> >= 0}, i.e. (2 D_i - I) X u >= 0.
    * ``witnesses`` (P, d) float64 unit vectors strictly inside the chambers;
      ``witnesses_exact`` the exact integer witnesses (in the coordinates of X) they were
      rounded from.
    * ``exact``: True when every chamber was enumerated exactly (this module).
    * ``hyperplane`` (n,) int: id of the distinct hyperplane {<x_k, u> = 0} of each row
      (rows x_l = c x_k share it), -1 for zero rows; see :meth:`facet_mask`.
    * ``min_witness_margin``: min_{i,k} signs[i,k] <x_k, u_i> / (||x_k|| ||u_i||) in float64
      over nonzero rows (positive: every float witness is strictly interior).
    """

    patterns: np.ndarray
    signs: np.ndarray
    witnesses: np.ndarray
    exact: bool
    zero_rows: np.ndarray
    n_hyperplanes: int
    min_witness_margin: float
    hyperplane: np.ndarray = field(default=None, repr=False, compare=False)
    witnesses_exact: tuple = field(default=(), repr=False, compare=False)

    @property
    def P(self) -> int:
        return int(self.patterns.shape[0])

    def facet_mask(self) -> np.ndarray:
        """(P, n) bool: True where row k carries a facet of the closed cone of pattern i.

        A closed chamber is the intersection of its facet half-spaces, so the cone
        constraints (2 D_i - I) X u >= 0 may be restricted to these rows without changing
        the cone. Row k (hyperplane H) is a facet of chamber i iff the chamber across H
        -- every row on H (x_l parallel to x_k) with its sign flipped, the others kept --
        is also a chamber; this needs the exact, complete set (``exact`` True).
        """
        if not self.exact or self.hyperplane is None:
            raise ValueError("facet_mask needs an exactly enumerated PatternSet")
        n = self.signs.shape[1]
        weights = [1 << k for k in range(n)]
        codes = [sum(w for w, v in zip(weights, row) if v > 0) for row in self.signs.tolist()]
        present = set(codes)
        groups = [np.flatnonzero(self.hyperplane == h) for h in range(self.n_hyperplanes)]
        gmask = [sum(weights[k] for k in g) for g in groups]
        M = np.zeros(self.signs.shape, dtype=bool)
        for i, c in enumerate(codes):
            for g, gm in zip(groups, gmask):
                if c ^ gm in present:
                    M[i, g] = True
        return M

    def slopes(self, gamma: float = 0.0) -> np.ndarray:
        """(P, n) diagonals of D_i + gamma (I - D_i): sigma(X u) = diag(.) X u on cone i."""
        D = self.patterns.astype(float)
        return D + gamma * (1.0 - D)


def cover_bound(n: int, d: int) -> int:
    """Number of chambers of n central hyperplanes in general position in R^d:
    2 sum_{k=0}^{d-1} binom(n-1, k) (Cover 1965, Thm 1). An upper bound in general."""
    if n < 0 or d < 0:
        raise ValueError("n and d must be non-negative")
    if n == 0 or d == 0:
        return 1
    return 2 * sum(math.comb(n - 1, k) for k in range(d))


def in_general_position(X) -> bool:
    """True iff every row is nonzero and every min(n, d) rows are linearly independent
    (exact rational arithmetic): the hypothesis under which the count is :func:`cover_bound`."""
    rows = [_primitive(r) for r in _exact_matrix(X)]
    n, d = len(rows), (len(rows[0]) if rows else 0)
    if any(not any(r) for r in rows):
        return False
    k = min(n, d)
    if k == d:
        return all(_det_int([rows[i] for i in comb]) != 0 for comb in combinations(range(n), d))
    return len(independent_rows(rows)) == n


def enumerate_patterns(X, *, max_patterns: int = 200_000) -> PatternSet:
    """All activation patterns D = diag(1[X u > 0]) realised on an open set of u in R^d.

    Exact enumeration of the chambers of the central arrangement {<x_k, u> = 0}
    (module docstring). These are the pattern matrices D_i of the convex
    reformulation (Pilanci & Ergen, ICML 2020); their number is at most
    :func:`cover_bound` (n', rank X) with n' the number of distinct hyperplanes, with
    equality in general position. Raises ``ValueError`` if that bound exceeds
    ``max_patterns``.
    """
    rows = _exact_matrix(X)
    n = len(rows)
    d = len(rows[0]) if n else 0
    if n == 0 or d == 0:
        raise ValueError(f"X must have at least one row and one column; got shape ({n}, {d})")
    zero = np.array([not any(r) for r in rows])
    nz = [k for k in range(n) if not zero[k]]
    ints = [_primitive(rows[k]) for k in nz]
    canon = [v if next(x for x in v if x) > 0 else tuple(-x for x in v) for v in ints]
    distinct = {c: h for h, c in enumerate(dict.fromkeys(canon))}  # hyperplane ids, first-seen order
    hyperplane = np.full(n, -1)
    hyperplane[nz] = [distinct[c] for c in canon]
    rank = len(independent_rows(ints)) if ints else 0
    bound = cover_bound(len(distinct), rank)
    if bound > max_patterns:
        raise ValueError(
            f"up to {bound} activation patterns (n' = {len(distinct)} distinct hyperplanes, rank {rank}): "
            f"exceeds max_patterns = {max_patterns}")
    if not ints:  # every row is zero: one chamber, R^d itself
        chambers = [((), tuple(int(i == 0) for i in range(d)))]
    else:
        chambers = _chambers(ints, d)
    chambers.sort(key=lambda c: tuple(-s for s in c[0]))  # deterministic order: all-active first
    P = len(chambers)
    signs = np.zeros((P, n), dtype=np.int8)
    witnesses = np.zeros((P, d))
    exact_w = []
    for i, (s, u) in enumerate(chambers):
        signs[i, nz] = s
        big = max(abs(c) for c in u)
        uf = np.array([c / big for c in u])  # int / int: correctly rounded, no overflow
        witnesses[i] = uf / np.linalg.norm(uf)
        exact_w.append(u)
    Xf = np.array([[float(v) for v in r] for r in rows])
    margin = np.inf
    if nz:
        Xn = Xf[nz] / np.linalg.norm(Xf[nz], axis=1, keepdims=True)
        m = signs[:, nz] * (witnesses @ Xn.T)
        margin = float(m.min())
        if margin <= 0:
            raise ArithmeticError(
                f"a chamber is thinner than float64 resolution (float witness margin {margin:.3e}); "
                "use witnesses_exact")
    return PatternSet(patterns=signs > 0, signs=signs, witnesses=witnesses, exact=True,
                      zero_rows=zero, n_hyperplanes=len(distinct), min_witness_margin=margin,
                      hyperplane=hyperplane, witnesses_exact=tuple(exact_w))


def pattern_of(u, X) -> np.ndarray:
    """The activation pattern 1[<x_k, u> > 0] of a single neuron u (boolean (n,))."""
    return np.asarray(np.asarray(X, dtype=float) @ np.asarray(u, dtype=float) > 0)


def sample_patterns(X, n_samples: int = 10_000, seed=0) -> np.ndarray:
    """Distinct patterns 1[X u > 0] of Gaussian random u (boolean (P, n)), NOT certified:
    thin chambers are missed. A brute-force oracle: it must be a subset of
    :func:`enumerate_patterns`."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    X = np.asarray(X, dtype=float)
    U = rng.standard_normal((n_samples, X.shape[1]))
    return np.unique(U @ X.T > 0, axis=0)
