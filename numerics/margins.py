"""Normalised margins, directions and t -> infinity drivers for the logistic-loss gradient flow.

Homogeneous networks trained with the logistic loss have ||theta(t)|| -> infinity, so only normalised
quantities have limits (Lyu & Li 2020; lyu2021 §3.1, l.206-253). For the two-layer net
f_theta(x) = sum_k a_k phi(<w_k, x>) (L = 2):

* q_i(theta) = y_i f_theta(x_i), q_min = min_i q_i (output margin);
* normalised margin gamma(theta) = q_min(theta)/||theta||^2 (lyu2021 l.209-222);
* smoothed margin gamma~(theta) = ell^{-1}(n L(theta))/||theta||^2 = -ln(expm1(n L))/||theta||^2
  (lyu2021 F.2, l.5615-5619; non-decreasing once n L < ln 2, Lyu & Li Lemma B.1);
* direction theta/||theta|| in the paper's ordering theta = (w_1, ..., w_m, a_1, ..., a_m);
* M-norm ||theta||_M = max_k max(||w_k||, |a_k|) (lyu2021 Definition 5.1).

The late phase converges like 1/||theta||^2 ~ 1/ln t (catalog 002 NP "rate rule"), so a limit is
reported by its trend, not one end point: :func:`flow_to_infinity` samples the flow at
log-spaced times up to t = 10^k (numerics.flows is adaptive in t, so reaching 10^200 costs a few
hundred steps), and :func:`extrapolate_limit` fits the trend in s = 1/||theta||^2 (series in s or in
s^{1/2}) over the last samples, with an error estimate from two windows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from numerics.flows import solve_flow
from numerics.network import Model, margins, normalized_margin, sigma

__all__ = ["theta_vector", "split_theta", "m_norm", "margins", "normalized_margin", "smoothed_margin", "LimitRun",
           "flow_to_infinity", "extrapolate_limit", "wilson_interval", "normalized_function"]


def theta_vector(a, W) -> np.ndarray:
    """theta = (w_1, ..., w_m, a_1, ..., a_m) (lyu2021 §3.2, l.282-294), float64."""
    a = np.asarray(a, dtype=float).ravel()
    W = np.asarray(W, dtype=float).reshape(a.size, -1)
    return np.concatenate([W.ravel(), a])


def split_theta(theta, m: int, d: int):
    """Inverse of :func:`theta_vector`: (a, W)."""
    theta = np.asarray(theta, dtype=float)
    return theta[m * d:], theta[:m * d].reshape(m, d)


def m_norm(a, W) -> float:
    """||theta||_M = max_k max(||w_k||_2, |a_k|) (lyu2021 Definition 5.1, l.595)."""
    a = np.asarray(a, dtype=float)
    W = np.asarray(W, dtype=float)
    return float(max(np.max(np.abs(a)), np.max(np.linalg.norm(W, axis=1))))


def smoothed_margin(q, n2: float) -> float:
    """gamma~ = ell^{-1}(n L)/||theta||^2 with n L = sum_i ln(1 + e^{-q_i}) (lyu2021 l.5615-5619).

    Stable for n L down to 1e-300: -ln(expm1(nL)). Returns -inf when n L >= ... (never: expm1 > 0).
    """
    nL = float(np.sum(np.logaddexp(0.0, -np.asarray(q, dtype=float))))
    if nL <= 0:
        return math.inf
    return -math.log(math.expm1(nL)) / n2


def normalized_function(Xtest, a, W, alpha: float) -> np.ndarray:
    """f_{theta/||theta||}(x) = f_theta(x)/||theta||^2 at the rows of Xtest (2-homogeneity)."""
    a = np.asarray(a, dtype=float)
    W = np.asarray(W, dtype=float)
    n2 = float(a @ a + np.sum(W * W))
    return (a @ sigma(W @ np.asarray(Xtest, dtype=float).T, alpha)) / n2


@dataclass
class LimitRun:
    """Samples of a logistic flow at log-spaced times (see :func:`flow_to_infinity`)."""

    t: np.ndarray
    n2: np.ndarray            # ||theta(t)||^2
    gamma: np.ndarray         # q_min/||theta||^2
    gamma_tilde: np.ndarray   # smoothed margin (nan while n L >= ln 2)
    direction: np.ndarray     # (len(t), D) rows theta/||theta||, paper ordering
    a: list = field(default_factory=list)
    W: list = field(default_factory=list)
    nsteps: int = 0
    events: int = 0
    rtol: float = 0.0
    status: int = 0
    message: str = ""

    @property
    def s(self) -> np.ndarray:
        """s = 1/||theta||^2, the late-phase rate variable (gap ~ c s)."""
        return 1.0 / self.n2


def flow_to_infinity(model: Model, state0, log10_t_max: float = 200.0, log10_t_min: float = 0.0,
                     per_decade: float = 1.0, rtol: float = 1e-10, precision=None, kink="filippov",
                     extra_times=(), atol: float | None = None, max_steps: int = 100_000) -> LimitRun:
    """Integrate the (logistic) gradient flow of ``model`` to t = 10^log10_t_max and sample it at
    t = 10^k, k = log10_t_min .. log10_t_max (``per_decade`` samples per decade) plus ``extra_times``.

    Uses numerics.flows.solve_flow (log-polar coordinates: ||theta|| may grow without overflow; the
    adaptive step grows with t, so the late phase where the flow slows like 1/t costs O(log t) steps).
    float64 reaches t ~ 1e300 (margins q ~ 690, e^{-q} ~ 1e-300); beyond, pass an mpmath precision.

    ``atol`` is the absolute tolerance on the direction components (default: solve_flow's, relative control
    down to the round-off level of the coordinates; that floor lets a limit direction with an exact zero
    coordinate, e.g. w* = (1, 0) on the hinted DS-H, converge without the controller thrashing).
    """
    ks = np.arange(log10_t_min, log10_t_max + 1e-9, 1.0 / per_decade)
    times = np.unique(np.concatenate([10.0 ** ks, np.asarray(extra_times, dtype=float)]))
    tr = solve_flow(model, state0, float(times[-1]), precision=precision, rtol=rtol, atol=atol, t_eval=times,
                    kink=kink, max_steps=max_steps)
    if tr.status != 0:
        raise RuntimeError(f"flow solver stopped: {tr.message}")
    X, y, alpha = model.X, model.y, float(model.gamma)
    n2s, gs, gts, dirs, As, Ws = [], [], [], [], [], []
    for st in tr.sampled:
        a = np.array([float(v) for v in st.a()])
        W = np.array([[float(v) for v in row] for row in st.W()])
        q = margins(X, y, a, W, alpha)
        n2 = float(a @ a + np.sum(W * W))
        n2s.append(n2)
        gs.append(float(q.min()) / n2)
        nL = float(np.sum(np.logaddexp(0.0, -q)))
        gts.append(-math.log(math.expm1(nL)) / n2 if nL < math.log(2.0) else math.nan)
        dirs.append(theta_vector(a, W) / math.sqrt(n2))
        As.append(a)
        Ws.append(W)
    return LimitRun(t=times, n2=np.array(n2s), gamma=np.array(gs), gamma_tilde=np.array(gts),
                    direction=np.array(dirs), a=As, W=Ws, nsteps=tr.nsteps, events=len(tr.events),
                    rtol=float(rtol), status=tr.status, message=tr.message)


RICHARDSON = 4.0


def extrapolate_limit(s, v, last: int = 20, bases=((0.0, 1.0, 2.0), (0.0, 0.5, 1.0, 1.5))):
    """Limit of v as s -> 0 from samples (s_k, v_k), s = 1/||theta||^2 decreasing (rate rule).

    Two asymptotic models are fitted by least squares on the last ``last`` and the last ``2 last`` samples:
    a power series in s (the normalised margin gap decays like s, catalog NP: gap ||theta||^2 -> c) and a
    series in s^{1/2} (directions and normalised functions converge like sqrt(gap) ~ s^{1/2} along flat
    directions of the max-margin set: observed on a generic d = 3 symmetric set, sup-error / sqrt(s) constant
    over t = 1e100..1e200). Per column the model whose two windows agree best is kept. Returns
    (v_inf, err, slope) with err = RICHARDSON |v_inf(last) - v_inf(2 last)| + the largest fit residual
    (a bias growing with the window; on the known-answer runs DS-S INIT-A/B and the generic set the true
    error was <= 3.0 times the window difference) and slope = the coefficient of s in the chosen model.
    Works columnwise for 2-D v.
    """
    s = np.asarray(s, dtype=float)
    v = np.asarray(v, dtype=float)
    one = v.ndim == 1
    V = v[:, None] if one else v

    def fit(k, basis):
        k = min(k, len(s))
        idx = np.arange(len(s) - k, len(s))
        A = np.stack([s[idx] ** q for q in basis], axis=1)
        coef, *_ = np.linalg.lstsq(A, V[idx], rcond=None)
        res = np.max(np.abs(A @ coef - V[idx]), axis=0)
        return coef, res

    best = None
    for basis in bases:
        c1, r1 = fit(last, basis)
        c2, _ = fit(2 * last, basis)
        cons = np.abs(c1[0] - c2[0])
        sl = c1[list(basis).index(1.0)] if 1.0 in basis else np.full(V.shape[1], np.nan)
        cand = (c1[0], RICHARDSON * cons + r1, sl, cons)
        if best is None:
            best = cand
        else:
            pick = cand[3] < best[3]
            best = tuple(np.where(pick, c, b) for c, b in zip(cand, best))
    vinf, err, slope, _ = best
    if one:
        return float(vinf[0]), float(err[0]), float(slope[0])
    return vinf, err, slope


def wilson_interval(successes: int, n: int, z: float = 2.5758293035489004):
    """Wilson score interval for a binomial proportion (default z: two-sided 99%)."""
    if n <= 0:
        raise ValueError("need n > 0 draws")
    p = successes / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, centre - half), min(1.0, centre + half)
