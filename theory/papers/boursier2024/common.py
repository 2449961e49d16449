"""boursier2024, shared by the parts: the catalog instances, the paper-wide hypotheses, the D.1 constants and the
flow runs.

Setting (§2, Eq. (1)-(7)): h(x) = sum_j a_j sigma(<w_j, x>), sigma = ReLU (gamma = 0 in §4), loss
L = (1/n) sum_k 1/2 (h(x_k) - y_k)^2 (Eq. (10)), Clarke subgradient flow (2)/(6) with the min-norm
selection D(w, theta) (exactly the Filippov sliding of :func:`numerics.flows.solve_flow`), init
(a_j^0, w_j^0) = (lambda/sqrt(m)) (a~_j, w~_j) with |a~_j| >= ||w~_j|| (Eq. (3)-(5);
:func:`numerics.network.init_mean_field`, "sphere-sign" = the paper's example, dominated; "balanced":
w~ ~ N(0, I), a~ = s ||w~||, App. B.1).

All flows are integrated by :func:`numerics.flows.solve_flow` in log-polar coordinates of the full neuron
(a_j, w_j), which do NOT impose balancedness. Shared runs (``lru_cache``; the claims of one instance run in one
worker because they share ``share="boursier2024.flow"``): :func:`run` integrates to
T = ln(1/lambda)/||D*|| + 60 at two tolerances and samples 60 times; :func:`phases` reads off tau (Theorem 1),
tau_2 (l.1350), tau_3 (l.1450) by bisection on the trajectory, with the states there.
"""
from __future__ import annotations

import itertools
import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from numerics.backend import get_backend
from numerics.datasets import Dataset
from numerics.flows import PolarState, solve_flow
from numerics.gd import gradient_descent
from numerics.geometry import G, cone_constants, face_selections, null_space, sign_pattern
from numerics.network import Model, init_mean_field
from theory.claims import Hypothesis, Instance, NeedsPrecision
from theory.usersettings import read_settings

from . import datasets
from .paper import KEY

# =========================================================================== instances of the catalog datasets

DATASET_BUILDERS = {
    "DS-G": datasets.ds_g, "DS-P(0.1)": lambda: datasets.three_point(0.1), "DS-S6": datasets.ds_s6,
    "DS-V": datasets.ds_v, "DS-2N": lambda: datasets.ds_2n((1.0, 1.0)),
    "DS-2N(-)": lambda: datasets.ds_2n((-1.0, -1.0)), "box(0.1, seed 7)": lambda: datasets.three_point_box(0.1, 7),
}


def ds_params(name: str) -> dict:
    """Instance parameters of a catalog dataset (catalog §1.1): its name, data and model settings."""
    ds = DATASET_BUILDERS[name]()
    return {"dataset": name, "X": ds.X.tolist(), "y": ds.y.tolist(), "gamma": 0.0, "loss": "square"}


def catalog_instance(name, extra=None, desc=""):
    """The instance named after a catalog dataset, with extra parameters, built on the one data path
    (:meth:`Instance.from_dataset`, as the user's data are). The reduction is left at its default (the mean of Eq.
    (10), which is what the dataset says) so that the instance keys stay those published before issue 12."""
    ds = DATASET_BUILDERS[name]().with_data(reduction=None)
    return Instance.from_dataset(ds, name=name, params={"dataset": name, **(extra or {})}, description=desc)


def beta_star(X, y):
    """beta* = (X^T X)^{-1} X^T y (l.240) in float64 (exact rational cross-check: numerics.convex.ols)."""
    return np.linalg.solve(X.T @ X, X.T @ y)


def ols_loss(X, y):
    """L_{beta*} = (1/2n) sum_k (<beta*, x_k> - y_k)^2 (l.1766), the spurious loss level."""
    b = beta_star(X, y)
    return float(0.5 * np.mean((X @ b - y) ** 2))


# =========================================================================== hypotheses


def _validated(prefix):
    """The check of :func:`datasets.validate` whose name starts with ``prefix``, on the instance's data (data too
    large for the validator's exact enumerations fail here, naming the limit: :func:`enumeration_size`)."""
    def test(inst):
        X, y = inst.arrays()
        ok, why = enumeration_size(X)
        if not ok:
            return False, why
        chk = _validation(X.tobytes(), X.shape, y.tobytes(), inst.params.get("loss", "square"))[prefix]
        return chk.passed, chk.reason
    return test


@lru_cache(maxsize=32)
def _validation(xb, shape, yb, loss):
    """:func:`datasets.validate` of the data (memoised: the hypotheses of every claim read it)."""
    X = np.frombuffer(xb, dtype=float).reshape(shape)
    return datasets.validate(Dataset(X, np.frombuffer(yb, dtype=float), "instance data", "instance"),
                             loss=loss)


#: the exact enumerations of this package (the arrangement of the hyperplanes x_k^perp in numerics.geometry, the
#: families of <= d points of Lemma 2 (ii) and Assumption 4): their cost grows like n^(rank X - 1) and C(n, <= d);
#: data beyond these limits get NOT_APPLICABLE naming them (the arrangement of n = 40 points of rank 3 takes ~1 s)
MAX_ARRANGEMENT, MAX_FAMILIES, MAX_POINTS = 1600, 100_000, 200


def enumeration_size(X) -> tuple[bool, str]:
    """(ok, detail): are the data within the limits of the exact enumerations (:data:`MAX_ARRANGEMENT`: n^(rank X - 1),
    :data:`MAX_FAMILIES`: the number of families of <= d points, :data:`MAX_POINTS`: n)?"""
    X = np.asarray(X, float)
    n, d = X.shape
    r = int(np.linalg.matrix_rank(X))
    arr = float(n) ** max(r - 1, 0)
    fam = sum(math.comb(n, k) for k in range(1, min(n, d) + 1))
    if n > MAX_POINTS or arr > MAX_ARRANGEMENT or fam > MAX_FAMILIES:
        return False, (f"too large for the exact enumerations: n = {n}, rank X = {r}, n^(rank-1) = {arr:.3g} (limit "
                       f"{MAX_ARRANGEMENT}), {fam} families of <= d points (limit {MAX_FAMILIES}), n limit {MAX_POINTS}")
    return True, f"n = {n}, rank X = {r}: within the exact enumerations' limits"


def _relu_square(inst):
    """The model settings every check of this package computes with: ReLU (sigma of Eq. (1)), the 1/2 square loss and
    the mean of Eq. (10). A user's gamma, loss or reduction that differs fails here, named with its value."""
    p = inst.params
    g, loss, red = float(p.get("gamma") or 0.0), p.get("loss") or "square", p.get("reduction") or "mean"
    bad = [f"{k} = {v!r} (the paper: {w})" for k, v, ok, w in
           (("gamma", g, g == 0.0, "ReLU, gamma = 0"), ("loss", loss, loss == "square", "1/2 (yhat - y)^2, Eq. (10); "
            "the logistic loss Assumption 1 allows is not implemented by these checks"),
            ("reduction", red, red == "mean", "the mean (1/n) sum of Eq. (10)")) if not ok]
    if bad:
        return False, "; ".join(bad)
    return True, f"gamma = {g:g}, loss = {loss}, reduction = {red} (§4: ReLU and 1/2 square loss, Eq. (10))"


def min_family_singular_value(X, y) -> float:
    """min over families S of <= d points of sigma_min((y_k x_k)_{k in S}) (ell'(0, y_k) = -y_k, Lemma 2)."""
    d = X.shape[1]
    smin = math.inf
    for size in range(1, min(d, len(y)) + 1):
        for sub in itertools.combinations(range(len(y)), size):
            smin = min(smin, float(np.linalg.svd(y[list(sub), None] * X[list(sub)], compute_uv=False)[-1]))
    return smin


def generic_data(inst):
    """Assumption 2 (generic data) is probabilistic; what the proofs use of it (Lemma 2's linear independence
    of every family of <= d vectors ell'(0,y_k) x_k, and y_k != 0) is tested on the fixed data."""
    X, y = inst.arrays()
    if np.any(y == 0):
        return False, "a label is 0 (ell'(0, y_k) = 0)"
    ok, why = enumeration_size(X)
    if not ok:
        return False, why
    smin = min_family_singular_value(X, y)
    return smin > 1e-9, f"min over families of <= d vectors y_k x_k of sigma_min = {smin:.4g}"


def local_type(w, X, y, tol=0.0):
    """Local max / min of G at the unit w on the circle: compare with the two neighbours at angle 1e-6 (strict for
    tol = 0; with tol > 0, a side where G differs by <= tol is flat and counts for both: 'flat' if both sides are
    flat, 'saddle' if G increases on one side and decreases on the other)."""
    c, sn = math.cos(1e-6), math.sin(1e-6)
    R = np.array([[c, -sn], [sn, c]])
    g0, g1, g2 = (float(G(v, X, y)) for v in (w, R @ w, R.T @ w))
    if tol == 0.0:
        return "max" if g0 > max(g1, g2) else ("min" if g0 < min(g1, g2) else "neither")
    up = [g > g0 + tol for g in (g1, g2)]
    down = [g < g0 - tol for g in (g1, g2)]
    if not any(up) and not any(down):
        return "flat"
    return "min" if not any(down) else ("max" if not any(up) else "saddle")


def critical_manifolds(X, y):
    """Critical manifolds M_u of the data at theta = 0 (D.4 l.932-942, catalog E34; d = 2): faces u != 0 with
    D_u = 0 or D_u in M_u or -M_u. Each entry: u, D_u, inp / inm (D_u in M_u / -M_u), ray (u has a zero), w (a
    unit critical direction in cl(M_u): +-D^_u if D_u != 0, else the ray's direction; None for a flat sector) and
    kind (local type of G at w: strict when D_u != 0, flat sides allowed when D_u = 0)."""
    out = []
    for s in face_selections(X, y, 0.0, "square", "mean", 1e-10):
        u = s.pattern
        if not np.any(u):
            continue
        nD = float(np.linalg.norm(s.D))
        ray = bool(np.any(u == 0))
        inp = nD >= 1e-14 and np.array_equal(sign_pattern(s.D, X, 1e-9), u)
        inm = nD >= 1e-14 and np.array_equal(sign_pattern(-s.D, X, 1e-9), u)
        if nD >= 1e-14 and not (inp or inm):
            continue
        if nD >= 1e-14:
            w = (s.D if inp else -s.D) / nD
        elif ray:
            w = null_space(X[u == 0])[:, 0]
            w = w if np.array_equal(sign_pattern(w, X, 1e-9), u) else -w
        else:
            w = None
        flat_tol = 0.0 if nD >= 1e-14 else 1e-12 * (1 + float(np.abs(y).max()))
        kind = "flat" if w is None else local_type(w, X, y, flat_tol)
        out.append({"u": u, "D": s.D, "nD": nD, "inp": inp, "inm": inm, "ray": ray, "w": w, "kind": kind})
    return out


def _no_saddle(inst):
    """'G has no saddle point' (Theorem 1, l.159), evaluated on the circle (d = 2): every critical point of G
    (the critical directions +-D^_u of the critical manifolds, and the rays bounding flat arcs, :func:`critical_manifolds`)
    is classified by comparing G with its two neighbours at angle 1e-6 (flat sides allowed, F28); a point where G
    increases on one side and decreases on the other is a saddle."""
    X, y = inst.arrays()
    if X.shape[1] != 2:
        return False, f"not decided for d = {X.shape[1]} != 2 (the critical points are enumerated on the circle only)"
    ok, why = enumeration_size(X)
    if not ok:
        return False, why
    kinds = [(cm["u"].tolist(), cm["kind"]) for cm in critical_manifolds(X, y)]
    saddles = [u for u, k in kinds if k == "saddle"]
    counts = {k: sum(1 for _, kk in kinds if kk == k) for k in ("max", "min", "flat", "neither")}
    if saddles:
        return False, f"G has a saddle on the manifolds {saddles}"
    return True, (f"{len(kinds)} critical manifolds on the circle, none a saddle ({counts['max']} max, {counts['min']} "
                  f"min, {counts['flat']} flat, {counts['neither']} neither; flat arcs of G are non-strict minima, F28)")


def lemma2_boundary_distance(X, y) -> float:
    """Lemma 2's first part (l.121-129) on the data: for every face u != 0 with 0 not in 𝔇_u whose D_u lies in
    +-cl A^{-1}(u), the relative distance of D_u to the boundary of that closed cone, min over k with u_k != 0 of
    |<D_u, x_k>|/(||D_u|| ||x_k||) (0: D_u on a boundary, which Lemma 2 excludes almost surely); 1 if no D_u lies
    in its closed cone."""
    bd = math.inf
    for s in face_selections(X, y, 0.0, "square", "mean", 1e-10):
        nD = np.linalg.norm(s.D)
        if nD < 1e-14 or not np.any(s.pattern):
            continue
        u = s.pattern
        for sg in (1, -1):
            p = sign_pattern(sg * s.D, X, 1e-9)
            if all((u[k] == 0 and p[k] == 0) or (u[k] != 0 and p[k] * u[k] >= 0) for k in range(len(u))):
                nz = np.flatnonzero(u != 0)
                bd = min(bd, float(np.min(np.abs(X[nz] @ s.D) / (nD * np.linalg.norm(X[nz], axis=1)))))
    return bd if bd < math.inf else 1.0


def _lemma2_boundary(inst):
    X, y = inst.arrays()
    ok, why = enumeration_size(X)
    if not ok:
        return False, why
    bd = lemma2_boundary_distance(X, y)
    return bd > 1e-9, (f"min relative distance of a D_u in its closed cone +-cl A^(-1)(u) to the cone's boundary = "
                       f"{bd:.4g} (Lemma 2 (i): > 0 almost surely)")


HYP_RELU_SQUARE = Hypothesis("ReLU, 1/2 square loss, mean reduction (Eq. (10))", _relu_square, "§4, l.222")
HYP_ASSUMPTION1 = Hypothesis("Assumption 1 (loss regularity)", _validated("Assumption 1"), "§2, l.60")
HYP_GENERIC_DATA = Hypothesis("Assumption 2 through Lemma 2 (ii): every family of <= d vectors ell'(0,y_k) x_k "
                              "linearly independent, y_k != 0", generic_data, "§3, l.117-129")
HYP_NO_SADDLE = Hypothesis("G has no saddle point (evaluated on the circle)", _no_saddle, "Theorem 1, l.159")
HYP_LEMMA2_BOUNDARY = Hypothesis("Assumption 2 through Lemma 2 (i): no D_u on the boundary of its closed cone "
                                 "(what the proofs of Lemmas 9, 10 use)", _lemma2_boundary, "§3, l.121; App. D.2, l.817")
HYP_ASSUMPTION3 = Hypothesis("Assumption 3 with eta < 1/6", _validated("Theorem 2 (Assumption 3"), "§4, l.226-240")
HYP_ASSUMPTION4 = Hypothesis("Assumption 4", _validated("Assumption 4"), "App. A, l.513")
HYP_ASSUMPTION5 = Hypothesis("Assumption 5 (printed)", _validated("Assumption 5"), "App. A, l.517")


def _assumption6(inst):
    """Assumption 6, both items (:func:`datasets.validate`: (ii) reduces to (i) for n = 3, is evaluated on the circle
    for other data in R^2, and is not decided for d > 2)."""
    one, two = (_validated(f"Assumption 6 ({i})")(inst) for i in ("i", "ii"))
    return one[0] and two[0], f"(i): {one[1]}; (ii): {two[1]}"


def _planar(inst):
    d = np.asarray(inst.params["X"]).shape[1]
    return d == 2, f"d = {d} (the method works on the circle: d = 2)"


def _init_eq4(inst):
    """Eq. (4) on the instance's init draw: |a~_j| >= ||w~_j||."""
    p = inst.params
    if "init" not in p:  # the one balanced neuron of :func:`branch_state`
        return True, "one balanced neuron: |a~| = ||w~||"
    if p.get("seed") is None:
        return False, "no init drawn (no seed; see the instance)"
    a, W = init_draw(int(p["m"]), np.asarray(p["X"]).shape[1], 1.0, int(p["seed"]), p["init"])
    gap = float(np.min(np.abs(a) - np.linalg.norm(W, axis=1)))
    return gap >= -1e-15 * float(np.max(np.abs(a))), (f"init {p['init']}: min_j |a~_j| - ||w~_j|| = {gap:.3g} "
                                                        "(Eq. (4) needs >= 0)")


def _scales(inst):
    """Theorem 1's eps in (0, 1/3) and every initialisation scale of the instance below 1 (small init)."""
    p = inst.params
    eps = eps_of(p)
    lam10 = [float(pt["lam10"]) for pt in inst.grid if "lam10" in pt] + [float(p[k]) for k in ("lam10", "lam10_converged") if k in p]
    if "log_lam" in p:
        lam10.append(float(p["log_lam"]) / LN10)
    bad = ([f"eps = {eps:g} not in (0, 1/3)"] if not 0 < eps < 1 / 3 else []) + \
          [f"lambda = 10^{v:g} >= 1" for v in lam10 if not v < 0]
    return not bad, "; ".join(bad) or f"eps = {eps:g} in (0, 1/3), lambda in {{{', '.join(f'10^{v:g}' for v in lam10)}}}"


HYP_ASSUMPTION6 = Hypothesis("Assumption 6", _assumption6, "App. A, l.530-546")
HYP_PLANAR = Hypothesis("inputs in R^2 (d = 2)", _planar, "§4 (x_k in R^2); the method's circle")
HYP_INIT_EQ4 = Hypothesis("initialisation (3)-(4): |a~_j| >= ||w~_j||", _init_eq4, "Eq. (3)-(5), l.66-76")
HYP_SCALES = Hypothesis("eps in (0, 1/3) and lambda < 1 (Theorem 1)", _scales, "Theorem 1, l.159")

FLOW_SETTING = [HYP_INIT_EQ4, HYP_SCALES]                                  # a flow from the init (3)-(5), lambda < 1
SECTION4_SETTING = [HYP_RELU_SQUARE, HYP_ASSUMPTION3]                      # §4: ReLU, square loss, 3-point data
THEOREM1_SETTING = [HYP_ASSUMPTION1, HYP_GENERIC_DATA, HYP_NO_SADDLE]      # Theorem 1's hypotheses
# the general versions of App. F (l.1321-1326): Lemma 4 needs Assumption 4 only, Lemmas 5 and 6 Assumptions 4 and 5,
# Lemma 7 (and phase 3, Theorem 4) Assumptions 4, 5 and 6
LEMMA4_SETTING = [HYP_RELU_SQUARE, HYP_ASSUMPTION4] + FLOW_SETTING
LEMMA56_SETTING = LEMMA4_SETTING + [HYP_ASSUMPTION5]
PHASE3_SETTING = LEMMA56_SETTING + [HYP_ASSUMPTION6]                       # Theorem 4's

# =========================================================================== measured error estimates


def rotation(theta: float, d: int = 2) -> np.ndarray:
    """The rotation by ``theta`` (radians) of R^d: in 2-D the plane rotation; for d > 2 the product of the plane
    rotations by ``theta`` in the coordinate planes (0, 1), (1, 2), ..., (d-2, d-1), which moves every coordinate."""
    c, s_ = math.cos(theta), math.sin(theta)
    R = np.eye(d)
    for i in range(d - 1):
        Gi = np.eye(d)
        Gi[i:i + 2, i:i + 2] = [[c, -s_], [s_, c]]
        R = Gi @ R
    return R


#: the rotations of the data used to measure the rounding error of rotation-invariant quantities
ROTATIONS = (0.7, 2.3)


def invariant_errors(f, X, y, rotations=ROTATIONS) -> tuple[dict, dict]:
    """Values of ``f(X, y)`` (a dict of scalars or equally indexed arrays) and their measured error estimates.

    Every quantity of the cone geometry at theta = 0 (norms, inner products, cosines, D_u, the constants of App.
    D.1, counts of cones) is invariant under a rotation of the inputs x_k, while every rounding of the computation
    changes with it: the error estimate of each value is its largest deviation over the rotated copies of the data
    (two evaluations, each with its own rounding), plus 4 ulp of the value. A count (an integer) that changes under
    rotation gets that change as its error (the classification is then not robust), and 0 otherwise."""
    base = f(X, y)
    errs = {k: np.zeros(np.shape(v)) for k, v in base.items()}
    for th in rotations:
        other = f(X @ rotation(th, X.shape[1]).T, y)
        for k, v in base.items():
            a, b = np.asarray(v, float), np.asarray(other[k], float)
            both_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
            with np.errstate(invalid="ignore"):
                dev = np.where(both_inf, 0.0, np.abs(a - b))
            errs[k] = np.maximum(errs[k], dev)
    out = {}
    for k, v in base.items():
        a = np.asarray(v, float)
        counted = np.asarray(v).dtype.kind in "iub"  # a count has no rounding error, only a classification one
        e = errs[k] + (0.0 if counted else 4 * np.finfo(float).eps * np.where(np.isfinite(a), np.abs(a), 0.0))
        out[k] = e.tolist() if np.ndim(e) else float(e)
    return base, out


def as_rational(v) -> sp.Rational:
    """The exact rational value of a float (the data are given as float64 numbers: exactly these)."""
    return sp.Rational(float(v))


@lru_cache(maxsize=64)
def _ols_exact_key(key: str):
    q = json.loads(key)
    X = sp.Matrix([[as_rational(v) for v in row] for row in q["X"]])
    y = sp.Matrix([as_rational(v) for v in q["y"]])
    beta = (X.T * X).LUsolve(X.T * y)
    fit = X * beta
    res = y - fit
    loss = sum(r ** 2 for r in res) / (2 * len(q["y"]))
    return {"beta": [float(b) for b in beta], "fit": [float(v) for v in fit], "residual": [float(r) for r in res],
            "loss": float(loss), "beta_exact": tuple(beta)}


def ols_exact(X, y) -> dict:
    """beta* = (X^T X)^{-1} X^T y (l.240), <beta*, x_k>, the residuals y_k - <beta*, x_k> and L_{beta*} (l.1766) in
    exact rational arithmetic on the data as given; each float is the rounding of an exact value (error estimate
    ``"rounding"``)."""
    return _ols_exact_key(json.dumps({"X": np.asarray(X, float).tolist(), "y": np.asarray(y, float).tolist()}))


def gram_exact(X) -> np.ndarray:
    """The Gram matrix <x_k, x_k'> in exact rational arithmetic, rounded once to float64 (error ``"rounding"``)."""
    Xe = [[as_rational(v) for v in row] for row in np.asarray(X, float)]
    n = len(Xe)
    return np.array([[float(sum(a * b for a, b in zip(Xe[i], Xe[j]))) for j in range(n)] for i in range(n)])


# =========================================================================== App. D.1 constants (Lemmas 9, 10, 11, 12)


def d1_constants(X, y) -> dict:
    """D_max, D_min, alpha_min(+-), delta_0', delta_0'', delta_0 of App. D.1 (Eqs. (20)-(24),
    :func:`numerics.geometry.cone_constants`), whatever their values; alpha_min follows the printed index set of
    Eq. (24) for alpha_min,- (u with 𝔇_u ∩ A^{-1}(u) = ∅), alpha_min_sym the symmetric reading (𝔇_u ∩ -A^{-1}(u) = ∅,
    catalog F9): Lemmas 9 and 10 state they are > 0, and their
    claims must be able to show the contrary (a zero is returned, not raised). What divides by them, lambda*_{alpha0}
    of Eq. (22) and the constant (37), is :func:`lambda_star`."""
    cc = cone_constants(X, y)
    return {"D_max": cc.D_max, "D_min": cc.D_min, "alpha_min_plus": cc.alpha_min_plus,
            "alpha_min_minus": cc.alpha_min_minus, "alpha_min_minus_sym": cc.alpha_min_minus_sym,
            "alpha_min": cc.alpha_min, "alpha_min_sym": min(cc.alpha_min_plus, cc.alpha_min_minus_sym),
            "delta0": cc.delta0, "delta0_prime": cc.delta0_prime,
            "delta0_second": cc.delta0_second, "n_extremal": cc.n_extremal}


def lambda_star(X, y, eps=0.25, alpha0=1.0, reading="printed") -> dict:
    """lambda*_{alpha0} of Eq. (22): (min{(n/sum||x_k||^2) min(alpha_min^2 D_min/8, alpha0^2 D_min/4, delta_0);
    min_k |ell'(0,y_k)|/||x_k||})^{1/(2-4 eps)}, at eps and at eps in {0.1, 0.25, 0.3} (F8), with the constant (37)
    of Theorem 1 (ii) (log10: it overflows float64 for the 3-point data) and the entry-time bound
    4 D_max/(D_min^2 min(alpha_min, alpha0)^2) of D.7, with alpha_min as printed or in the symmetric reading of
    alpha_min,- (``reading="symmetric"``, F9). Raises ValueError, naming the failing lemma, when Lemma 9's or
    Lemma 10's conclusion fails on the data (the formulas divide by alpha_min^2 D_min^2)."""
    c = d1_constants(X, y)
    if reading == "symmetric":
        c["alpha_min"] = c["alpha_min_sym"]
    if not (c["alpha_min"] > 0 and c["D_min"] > 0 and math.isfinite(c["D_min"])):
        raise ValueError(f"Lemma 9's conclusion fails on this data (alpha_min = {c['alpha_min']:.6g}, D_min = "
                         f"{c['D_min']:.6g}): lambda* of Eq. (22) and the constant (37) are undefined (they divide by "
                         "alpha_min^2 D_min^2); the extremal-vector analysis of App. D does not apply")
    if not c["delta0"] > 0:
        raise ValueError(f"Lemma 10's conclusion fails on this data (delta_0 = {c['delta0']:.6g}): lambda* of Eq. (22) "
                         "is 0")
    n = len(y)
    sx = float(np.sum(np.asarray(X, float) ** 2))
    inner = (n / sx) * min(c["alpha_min"] ** 2 * c["D_min"] / 8, alpha0 ** 2 * c["D_min"] / 4, c["delta0"])
    other = float(np.min(np.abs(y) / np.linalg.norm(X, axis=1)))
    am = min(c["alpha_min"], alpha0)
    log_c37 = (math.log(4 * c["D_max"] / am ** 2) + 4 * c["D_max"] ** 2 / (c["D_min"] ** 2 * am ** 2)
               + math.sqrt(2 * sx / (n * c["D_max"] * math.e ** 2)))
    return {"lambda_star": min(inner, other) ** (1 / (2 - 4 * eps)),
            "lambda_star_eps": {str(e): min(inner, other) ** (1 / (2 - 4 * e)) for e in (0.1, 0.25, 0.3)},
            "log10_c_alpha0_eq37": log_c37 / math.log(10), "t2_bound": 4 * c["D_max"] / (c["D_min"] ** 2 * am ** 2)}


# =========================================================================== flow runs

LN10 = math.log(10.0)
RTOL_TIGHT, RTOL_LOOSE = 1e-10, 1e-8
EPSILON = 0.25                        # the eps of Theorem 1 (tau = eps ln(1/lambda)/D_max)
EPSILON_2, EPSILON_3 = 0.05, 0.05     # eps_2 (tau_2, Lemma 5) and eps_3 (tau_3, Lemma 6)
N_SAMPLES = 60                        # equally spaced sample times of a run
N_WINDOW = 240                        # equally spaced sample times of a phase window (window_states)
T_EXTRA = 60.0                        # a run lasts ln(1/lambda)/||D*|| + T_EXTRA
FLOW_SHARE = f"{KEY}.flow"


def init_draw(m, d, lam, seed=0, scheme="sphere-sign"):
    """(a^0, W^0) = (lam/sqrt(m)) (a~_j, w~_j) of Eq. (3): ``"sphere-sign"`` (the paper's example, l.80) and
    ``"balanced"`` (App. B.1) satisfy Eq. (4) (:func:`numerics.network.init_mean_field`); ``"gaussian"`` is App. B.2's
    unbalanced init a~_j ~ N(0, 1), w~_j ~ N(0, I_d) (drawn a first, then W, from ``default_rng(seed)``), which does
    not (the hypothesis 'initialisation (3)-(4)' then fails)."""
    if scheme == "gaussian":
        rng = np.random.default_rng(seed)
        at, wt = rng.standard_normal(m), rng.standard_normal((m, d))
        return lam / math.sqrt(m) * at, lam / math.sqrt(m) * wt
    a, W, _ = init_mean_field(m, d, lam, seed=seed, scheme=scheme)
    return a, W


def init_state(X, m, seed, scheme, log_lam, precision="float64"):
    """PolarState of the init (3)-(5) at lambda = e^{log_lam} (any log_lam: the polar form never underflows)."""
    xp = get_backend(precision)
    at, wt = init_draw(m, X.shape[1], 1.0, seed, scheme)  # = (a~, w~)/sqrt(m)
    th = np.concatenate([at[:, None], wt], axis=1)
    nrm = np.linalg.norm(th, axis=1)
    st = PolarState(xp.asarray(log_lam + np.log(nrm)), xp.asarray(th / nrm[:, None]), xp)
    st.info = {"a0": at, "W0": wt}
    return st


def run_key(params) -> str:
    """The memo key of a run: the data and the init of the instance's params, and the horizon ``T`` and Theorem 1's
    ``eps`` when the instance sets them (a user's settings; the catalog instances use the defaults)."""
    return json.dumps({k: params[k] for k in ("X", "y", "m", "seed", "init", "T", "eps") if k in params
                       and (k not in ("T", "eps") or params[k] is not None)}, sort_keys=True)


def eps_of(params) -> float:
    """Theorem 1's eps of an instance (default :data:`EPSILON`)."""
    return float(params.get("eps") or EPSILON)


def horizon(X, y, lam10):
    Ds = (y @ X) / len(y)
    return -lam10 * LN10 / float(np.linalg.norm(Ds)) + T_EXTRA


@lru_cache(maxsize=48)
def run(core: str, lam10: float, rtol: float, T: float | None = None, nsamp: int = N_SAMPLES):
    """The flow from the init (3)-(5) at lambda = 10^lam10 up to T (default :func:`horizon`). Samples: the
    integrator's accepted nodes plus ``nsamp`` equally spaced times (indices ``iu``, the same at every tolerance);
    returns float arrays (t, a, W, h, balancedness B per sample) and the trajectory."""
    q = json.loads(core)
    X, y = np.asarray(q["X"], float), np.asarray(q["y"], float)
    T = (float(q["T"]) if q.get("T") is not None else horizon(X, y, lam10)) if T is None else T
    s0 = init_state(X, int(q["m"]), int(q["seed"]), q["init"], lam10 * LN10)
    times = np.linspace(0.0, T, nsamp)
    model = Model(X, y)
    tr = solve_flow(model, s0, T, rtol=rtol, t_eval=times)
    if tr.status != 0:
        raise RuntimeError(f"flow solver at lambda = 1e{lam10:g}: {tr.message}")
    pairs = [(float(t), 1, st) for t, st in zip(times, tr.sampled)]
    pairs += [(float(t), 0, st) for t, st in zip(tr.t, tr.states) if not np.any(np.isclose(float(t), times,
                                                                                            rtol=0, atol=1e-12))]
    pairs.sort(key=lambda p: p[0])
    tt = np.array([p[0] for p in pairs])
    iu = np.flatnonzero([p[1] for p in pairs])
    sts = [p[2] for p in pairs]
    A = np.array([np.asarray(s.a(), float) for s in sts])
    W = np.array([np.asarray(s.W(), float) for s in sts])
    H = np.array([np.asarray(s.output(model), float) for s in sts])
    B = np.array([np.asarray(s.balancedness(), float) for s in sts])
    return {"t": tt, "iu": iu, "a": A, "W": W, "h": H, "B": B, "tr": tr, "X": X, "y": y, "model": model, "T": T,
            "a0": A[0], "W0": W[0], "nsteps": tr.nsteps, "events": len(tr.events)}


def neuron_sets(X, a0, W0):
    """I = {a^0 > 0, exists k <w^0, x_k> > 0}, N = {a^0 < 0}, dead = the rest (l.266-268)."""
    act = np.any(W0 @ X.T > 0, axis=1)
    I = np.flatnonzero((a0 > 0) & act)
    N = np.flatnonzero(a0 < 0)
    dead = np.flatnonzero((a0 > 0) & ~act)
    return I, N, dead


def _state_arrays(st, model):
    return (np.asarray(st.a(), float), np.asarray(st.W(), float), np.asarray(st.output(model), float))


def window_states(R, t0: float, t1: float, n: int = N_WINDOW):
    """The run ``R`` on the window [t0, t1]: its samples strictly inside plus ``n`` equally spaced times of the window
    (ends included), the states read from the trajectory's dense output (``Trajectory.at``). A minimum or maximum over
    a phase is taken over these, not over the integrator's nodes alone: with dense output the engine takes long
    steps, and a window of a few nodes misses where a quantity turns (Lemma 18's sum_I a_i^2 right after tau_2).
    Returns (t, a, W, h) as float arrays, t increasing."""
    t = R["t"]
    tt = np.union1d(t[(t > t0) & (t < t1)], np.linspace(t0, t1, n))
    tr, model = R["tr"], R["model"]
    st = [_state_arrays(tr.at(min(max(float(x), t0), R["T"])), model) for x in tt]
    return (tt, np.array([s_[0] for s_ in st]), np.array([s_[1] for s_ in st]), np.array([s_[2] for s_ in st]))


def _first_time(tr, model, pred, t_lo, t_hi, iters=32):
    """First t in [t_lo, t_hi] where pred(a, W, h) becomes True (pred False at t_lo, True at t_hi), bisection."""
    for _ in range(iters):
        mid = 0.5 * (t_lo + t_hi)
        if pred(*_state_arrays(tr.at(mid), model)):
            t_hi = mid
        else:
            t_lo = mid
    return t_hi


@lru_cache(maxsize=48)
def phases(core: str, lam10: float, rtol: float = RTOL_TIGHT, eps3: float = EPSILON_3) -> dict:
    """tau = eps ln(1/lambda)/D_max (Theorem 1; eps from the key, default 1/4), tau_2 = first t >= tau with
    sum_I a^2 >= eps_2 (Lemma 5), tau_3 = first t >= tau_2 with ||beta* - sum_I a_i w_i|| <= eps_3 (Lemma 6 (1)),
    located by bisection on the trajectory, with the states there. A phase not reached within the horizon raises
    NeedsPrecision (the instance is then INCONCLUSIVE, with the reason: the horizon T is too short)."""
    R = run(core, lam10, rtol)
    X, y, tr, model, t = R["X"], R["y"], R["tr"], R["model"], R["t"]
    I, N, dead = neuron_sets(X, R["a0"], R["W0"])
    bs = beta_star(X, y)
    Dmax = cone_constants(X, y).D_max
    tau = eps_of(json.loads(core)) * (-lam10 * LN10) / Dmax

    def p2(a, W, h):
        return float(np.sum(a[I] ** 2)) >= EPSILON_2

    def p3(a, W, h):
        return float(np.linalg.norm(bs - (a[I, None] * W[I]).sum(0))) <= eps3

    s2 = np.array([p2(R["a"][i], R["W"][i], None) for i in range(len(t))])
    i2 = int(np.argmax(s2 & (t >= tau)))
    if not s2[i2]:
        raise NeedsPrecision(f"tau_2 not reached by T = {t[-1]:.3g} (set a larger horizon T)")
    tau2 = _first_time(tr, model, p2, float(t[i2 - 1]), float(t[i2]))
    s3 = np.array([p3(R["a"][i], R["W"][i], None) for i in range(len(t))])
    i3 = int(np.argmax(s3 & (t >= tau2)))
    if not s3[i3]:
        raise NeedsPrecision(f"tau_3 not reached by T = {t[-1]:.3g} (set a larger horizon T)")
    tau3 = _first_time(tr, model, p3, max(tau2, float(t[i3 - 1])), float(t[i3]))
    out = {"tau": tau, "tau2": tau2, "tau3": tau3, "I": I.tolist(), "N": N.tolist(), "dead": dead.tolist(),
           "beta_star": bs.tolist(), "D_max": Dmax}
    for nm, tt in (("tau", tau), ("tau2", tau2), ("tau3", tau3)):
        a, W, h = _state_arrays(tr.at(tt), model)
        out[nm + "_a"], out[nm + "_W"], out[nm + "_h"] = a.tolist(), W.tolist(), h.tolist()
    return out


def run_at(inst, point, rtol=RTOL_TIGHT):
    """The shared run of a flow instance at the grid point's lambda."""
    return run(run_key(inst.params), float(point["lam10"]), rtol)


def phases_at(inst, point):
    """The phase times of a flow instance at the grid point's lambda (tight run)."""
    return phases(run_key(inst.params), float(point["lam10"]))


def lambda_at(point):
    """lambda = 10^lam10 of a grid point (mpf; exact power of ten for an integer lam10)."""
    v = float(point["lam10"])
    return mpmath.mpf(10) ** (int(v) if v.is_integer() else mpmath.mpf(v))


# =========================================================================== flow instances

FLOW_GRID_DS_G = {"fast": [-2, -5, -8], "full": [-2, -3, -4, -6, -8]}
FLOW_GRID_DS_P = {"fast": [-4, -8], "full": [-2, -4, -6, -8]}


def flow_params(name, m=40, seed=0, init="sphere-sign"):
    return {**ds_params(name), "m": m, "seed": seed, "init": init}


def flow_instances(tier):
    """DS-G (generic) and DS-P(0.1) (the paper's symmetric 3-point picture), init (3)-(5), m = 40, seed 0,
    over a lambda grid (the 'lambda small enough' regime)."""
    kw = dict(grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small",
              description=f"flow (2)/(6) from the init (3)-(5), t in [0, ln(1/λ)/||D*|| + {T_EXTRA:g}]")
    return [Instance("DS-G, init (3)-(5) sphere-sign, m = 40, seed 0",
                     {**flow_params("DS-G"), "grid": FLOW_GRID_DS_G[tier]},
                     grid=[{"lam10": v} for v in FLOW_GRID_DS_G[tier]], **kw),
            Instance("DS-P(0.1), balanced init (App. B.1), m = 40, seed 0",
                     {**flow_params("DS-P(0.1)", init="balanced"), "grid": FLOW_GRID_DS_P[tier]},
                     grid=[{"lam10": v} for v in FLOW_GRID_DS_P[tier]], **kw)]


# =========================================================================== gradient descent and one-neuron flows


def gd_run(model, a, W, dt, T):
    """Full-batch gradient descent theta <- theta - dt grad L on L = (1/2n) sum (h - y)^2, sigma'(0) = 0 (the
    authors' discretisation: torch SGD on MSELoss(mean) with lr = dt/2), via numerics.gd. Returns final (a, W)
    and the first (step, neuron) where an output weight changes sign."""
    aT, WT, info = gradient_descent(model, a, W, dt, T)
    return aT, WT, info["flip"]


def branch_state(p):
    """One balanced neuron at angle ``angle_deg``, sign ``s``, scale e^{log_lam} (the Theorem 1 branch setting)."""
    th = math.radians(float(p["angle_deg"]))
    v = np.array([[float(p["s"]), math.cos(th), math.sin(th)]]) / math.sqrt(2)
    xp = get_backend("float64")
    return PolarState(xp.asarray(np.array([float(p["log_lam"]) + 0.5 * math.log(2)])), xp.asarray(v), xp)


# =========================================================================== the user's data (earlyalign check --data)

#: the user's names of the initialisation (numerics.datasets.USER_PARAMS) -> the schemes of :func:`init_draw`
USER_INIT = {"sphere-sign": "sphere-sign", "balanced-gaussian": "balanced", "gaussian": "gaussian"}
#: what the settings of a user's file mean here (the instance description lists the ones a claim does not use)
SETTING_ROLES = {"m": "width", "seed": "seed of the init draw", "init": "init scheme", "eps": "Theorem 1's eps",
                 "T": "flow horizon", "lam10_grid": "lambda grid", "lam10": "lambda", "lam": "lambda"}
#: seconds per flow run of ~75 time units with m = 40 neurons on n = 3 points (measured on DS-G, 2.2 s; m = 100: 6 s)
RUN_SECONDS = 2.2


def user_settings(ds, uses=(), **defaults) -> tuple[dict, list]:
    """The settings a claim runs with on a user's dataset ``ds``: for each key of ``uses`` the user's value from
    ``ds.params`` (validated by numerics.datasets.check_user_params), else ``defaults[key]``. Keys: ``m``, ``seed``,
    ``eps``, ``T``; ``init`` (the user's name mapped by :data:`USER_INIT`); ``grid`` (a lambda grid as log10 values:
    ``lam10_grid``, else the single ``lam10`` or ``lam``); ``lam10`` (one lambda: ``lam10`` or ``lam``). Returns
    (settings, the keys of the user's params the claim does not use), the latter shown in the instance's settings
    and description: a setting with no role in a claim (a width for a constant of the data alone) is reported, never
    silently dropped; a value the claim cannot take fails one of its hypotheses, named."""
    return read_settings(ds, uses, init_names=USER_INIT, **defaults)


def user_instance(ds, settings=None, not_used=(), label="", extra=None, description="", **kw) -> Instance:
    """An instance on the user's dataset (:meth:`Instance.from_dataset`: its data and model settings), with the
    claim's settings (:func:`user_settings`) and fixed method parameters ``extra`` in ``params``; the settings of the
    file the claim does not use are listed in ``params['settings_not_used']`` and in the description; the cost of its
    flows (:func:`flow_cost`, the end of the description) also in ``params['cost']``, so that the JSON shows it."""
    params = {**(settings or {}), **(extra or {})}
    if "cost: " in description:
        params["cost"] = description[description.index("cost: "):]
    if not_used:
        params["settings_not_used"] = [f"{k} ({SETTING_ROLES.get(k, k)})" for k in not_used]
        description += ("; " if description else "") + "settings of the file not used by this claim: " + \
            ", ".join(params["settings_not_used"])
    name = f"user data {ds.name}" + (f", {label}" if label else "")
    return Instance.from_dataset(ds, name=name, params=params, description=description, **kw)


def data_constant_instances(ds, extra=None, label="", **kw):
    """A claim on a constant of the data alone (no initialisation, no flow): one instance on the user's data."""
    _, unused = user_settings(ds)
    return [user_instance(ds, {}, unused, label, extra, "a constant of the data (no init, no flow)", **kw)]


def _init_label(s) -> str:
    return f"init {s['init']}, m = {s['m']}, seed {s['seed']}"


def flow_cost(n, m, Ts, runs=2) -> str:
    """What the flows of an instance will cost, said before they start: n, m, the horizons ``Ts`` (one run each, at
    ``runs`` tolerances) and a wall-time estimate from :data:`RUN_SECONDS` (scaled by m^1.2 n T: the engine's cost
    per unit time grows with the neurons, the points and the activation switches)."""
    est = runs * sum(RUN_SECONDS * (m / 40) ** 1.2 * (n / 3) * (t / 75) for t in Ts)
    return (f"cost: n = {n}, m = {m}, {len(Ts)} run(s) x {runs} tolerances, horizon T = "
            + ", ".join(f"{t:.0f}" for t in Ts) + f"; estimated ~{est:.0f} s on one core (--timeout bounds it)")


def data_flow_instances(ds, label="", **defaults):
    """The flow instances of a user's dataset: the init (3)-(5) (default sphere-sign, the paper's example; the file's
    ``init``, ``m``, ``seed``), Theorem 1's ``eps`` (default 1/4), a lambda grid (default 1e-2, 1e-5, 1e-8; the file's
    ``lam10_grid``, ``lam10`` or ``lam``), the horizon ``T`` (default ln(1/lambda)/||D*|| + 60), decided at the smallest
    lambda as the catalog's flow instances are. ``slope_grid`` adds the value 1e-3 lambda when the grid has one value
    (Lemma 5's slopes need two)."""
    d = {"m": 40, "seed": 0, "init": "sphere-sign", "eps": EPSILON, "grid": FLOW_GRID_DS_G["fast"], **defaults}
    s, unused = user_settings(ds, ("m", "seed", "init", "eps", "T", "grid"), **d)
    grid = s.pop("grid")
    extra = {"grid": grid}
    if len(grid) == 1:
        extra["slope_grid"] = [grid[0], grid[0] - 3]
    if s.get("T") is None and not np.linalg.norm(ds.y @ ds.X) > 1e-12 * np.abs(ds.y) @ np.linalg.norm(ds.X, axis=1):
        s["T"] = 200.0  # D* = 0: the default horizon ln(1/lambda)/||D*|| + 60 is infinite; a fixed one, said here
    T = s.get("T")
    Ts = [float(T) if T is not None else horizon(ds.X, ds.y, v) for v in grid]
    desc = (f"flow (2)/(6) from the init (3)-(5), t in [0, {'T' if T else 'ln(1/λ)/||D*|| + 60'}]; "
            + flow_cost(ds.n, int(s["m"]), Ts))
    return [user_instance(ds, s, unused, label or _init_label(s), extra, desc, grid=[{"lam10": v} for v in grid],
                          grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small")]


def data_smallest_lambda(ds, label_suffix="", side=None):
    """The flow instance of :func:`data_flow_instances` at its smallest lambda only (the claims judged on one run)."""
    out = []
    for inst in data_flow_instances(ds):
        lo = min(inst.grid, key=lambda pt: pt["lam10"])
        params = {k: v for k, v in inst.params.items() if k not in ("X", "y")}
        if side is not None:
            params.update(side=side, off_points="rotated")
        out.append(Instance.from_dataset(ds, name=inst.name + label_suffix, params=params, grid=[lo],
                                         grid_param="lam10", grid_symbol="λ", grid_log10=True,
                                         description=inst.description))
    return out


def data_gflow_instances(ds, T=30.0):
    """The G-flow instance (the lambda -> 0 limit on [0, tau], alignment rates) of a user's dataset: the file's
    ``init``, ``m``, ``seed`` and horizon ``T`` (default 30); lambda is the limit (e^-5000), so the file's lambda
    settings are not used."""
    s, unused = user_settings(ds, ("m", "seed", "init", "T"), m=40, seed=0, init="sphere-sign", T=T)
    desc = "G-flow (lambda-free limit on [0, tau], lambda = e^-5000); " + flow_cost(ds.n, int(s["m"]), [float(s["T"])])
    return [user_instance(ds, s, unused, _init_label(s) + ", lambda -> 0", None, desc)]
