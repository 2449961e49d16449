"""Benchmark of the gradient-flow engine (issue 2, item 8). Prints ratios measured in one run.

1. High-precision engine (numerics.flows, GBS extrapolation in mpmath) against
   (a) a naive fixed-step RK4 in mpmath on the SAME right-hand side at the SAME digits, with its
       step count chosen so that its error matches a target accuracy (equal accuracy), and
   (b) mpmath.odefun (Taylor, absolute tolerance), whose error is reported too.
   The flow: orthonormal data x = e_1, e_2, y = (1, -0.6), m = 4 balanced neurons (seed 3), lambda = 1e-3,
   t in [0, 12], chosen so that no activation switch occurs (both baselines would be silently
   wrong across a kink: see ANCHORS §3.2). Reference: the engine at dps 60, rtol 1e-52.
2. Step counts of the float64 engine for lambda = 1e-5, 1e-20, 1e-80, 1e-300 (DS-A, m = 8,
   horizon 2.5 ln(1/lambda)/||D-|| + 60, so that all three phases are covered), and of the
   mpmath engine at dps 30 for lambda = 1e-300.

Run: python bench/flows.py [--quick]
"""
from __future__ import annotations

import argparse
import math
import time

import mpmath
import numpy as np

from numerics.backend import MP, get_backend
from numerics.flows import balanced_gaussian_state, frozen_pattern_field, solve_flow
from numerics.network import Model


def relerr(a, b):
    """max_i |a_i - b_i| / max(1, |b_i|) in high precision."""
    return max(float(abs(x - y) / max(1, abs(y))) for x, y in zip(a, b))


def rk4(f, y, T, N, xp):
    h = xp.scalar(T) / N
    for _ in range(N):
        k1 = f(y)
        k2 = f(y + (h / 2) * k1)
        k3 = f(y + (h / 2) * k2)
        k4 = f(y + h * k3)
        y = y + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    return y


def part1(dps, target, T=12.0):
    model = Model(np.eye(2), np.array([1.0, -0.6]))
    s_ref = balanced_gaussian_state(4, 2, lam=1e-3, seed=3, precision=60)
    ref = solve_flow(model, s_ref, T, precision=60, rtol=1e-52)
    assert not ref.events, "benchmark flow must not cross a kink"
    Yref = ref.final.to_vector()

    s0 = balanced_gaussian_state(4, 2, lam=1e-3, seed=3, precision=dps)
    xp = get_backend(dps)
    # --- our engine, at the target accuracy
    t0 = time.perf_counter()
    ours = solve_flow(model, s0, T, precision=dps, rtol=target / 10)
    t_ours = time.perf_counter() - t0
    e_ours = relerr(ours.final.to_vector(), Yref)

    # --- our engine at (nearly) full digits, to compare with odefun's accuracy
    t0 = time.perf_counter()
    full = solve_flow(model, s0, T, precision=dps, rtol=10.0 ** (-(dps - 4)))
    t_full = time.perf_counter() - t0
    e_full = relerr(full.final.to_vector(), Yref)

    # --- naive RK4 on the same field: calibrate N for equal accuracy (error ~ N^-4)
    f = frozen_pattern_field(model, s0)
    Y0 = s0.to_vector()
    N0 = 200
    e0 = relerr(rk4(f, Y0, T, N0, xp), Yref)
    N = max(N0, int(math.ceil(N0 * (e0 / max(e_ours, target / 10)) ** 0.25)))
    t0 = time.perf_counter()
    Yrk = rk4(f, Y0, T, N, xp)
    t_rk = time.perf_counter() - t0
    e_rk = relerr(Yrk, Yref)

    # --- mpmath.odefun on the same field (global context at the same digits)
    old = mpmath.mp.dps
    try:
        # the same field, built on the GLOBAL context: odefun raises its working precision there
        fg = frozen_pattern_field(model, s0, xp=MP(dps, ctx=mpmath.mp))
        Y0l = [mpmath.mpf(v) for v in Y0]
        F = lambda t, y: list(fg(np.array(y, dtype=object)))  # noqa: E731
        t0 = time.perf_counter()
        sol = mpmath.odefun(F, 0, Y0l)
        Yod = sol(mpmath.mpf(T))
        t_od = time.perf_counter() - t0
        e_od = relerr(Yod, Yref)
    finally:
        mpmath.mp.dps = old
    return dict(dps=dps, target=target, t_ours=t_ours, e_ours=e_ours, nfev=ours.nfev, steps=ours.nsteps,
                N_rk=N, t_rk=t_rk, e_rk=e_rk, t_od=t_od, e_od=e_od, t_full=t_full, e_full=e_full)


def heyoka_reference(dps_list, T=12.0):
    """heyoka (Taylor + LLVM JIT) on the same flow in Cartesian coordinates with the pattern frozen
    (valid here: the benchmark flow crosses no kink). A speed reference, not an engine: it knows
    nothing of kinks or sliding. Returns rows (digits, compile s, integrate s, error) or None."""
    try:
        import heyoka as hy
    except ImportError:
        return None
    model = Model(np.eye(2), np.array([1.0, -0.6]))
    ref = solve_flow(model, balanced_gaussian_state(4, 2, lam=1e-3, seed=3, precision=60), T, precision=60,
                     rtol=1e-52).final
    ref_cart = [v for j in range(4) for v in [ref.a()[j], *ref.W()[j]]]
    s = balanced_gaussian_state(4, 2, lam=1e-3, seed=3)
    a0, W0 = s.a(), s.W()
    m, d = W0.shape
    X, y, n = model.X, model.y, model.n
    eta = (W0 @ X.T > 0).astype(float)
    av = [hy.make_vars(f"a{j}") for j in range(m)]
    wv = [[hy.make_vars(f"w{j}_{i}") for i in range(d)] for j in range(m)]
    pre = [[sum(wv[j][i] * X[k, i] for i in range(d) if X[k, i] != 0) for k in range(n)] for j in range(m)]
    h = [sum(av[j] * pre[j][k] for j in range(m) if eta[j, k]) for k in range(n)]
    c = [(h[k] - y[k]) / n for k in range(n)]
    sys = []
    for j in range(m):
        sys.append((av[j], 0.0 * av[j] - sum(c[k] * pre[j][k] for k in range(n) if eta[j, k])))
        for i in range(d):
            sys.append((wv[j][i], 0.0 * wv[j][i] - av[j] * sum(c[k] * X[k, i] for k in range(n) if eta[j, k])))
    ic = [v for j in range(m) for v in [a0[j], *W0[j]]]
    rows = []
    for dps in dps_list:
        t0 = time.perf_counter()
        if dps is None:
            ta = hy.taylor_adaptive(sys, ic, compact_mode=True)
        else:
            bits = int(dps * 3.33) + 4
            sp = balanced_gaussian_state(4, 2, lam=1e-3, seed=3, precision=dps)
            icp = [str(v) for j in range(m) for v in [sp.a()[j], *sp.W()[j]]]
            ta = hy.taylor_adaptive(sys, [hy.real(v, bits) for v in icp], fp_type=hy.real, prec=bits,
                                    compact_mode=True)
        t1 = time.perf_counter()
        ta.propagate_until(T if dps is None else hy.real(T, bits))
        t2 = time.perf_counter()
        err = max(float(abs(mpmath.mpf(str(v)) - r) / max(1, abs(r))) for v, r in zip(ta.state, ref_cart))
        rows.append((dps or 15, t1 - t0, t2 - t1, err))
    return rows


def part2(lams, m=8):
    model = Model(np.eye(4), np.array([1.0, 0.6, -0.5, -0.3]))
    rows = []
    for lam in lams:
        L = -math.log(lam)
        t0 = time.perf_counter()
        tr = solve_flow(model, balanced_gaussian_state(m, 4, lam=lam, seed=0), 2.5 * L / 0.1457738 + 60)
        rows.append((lam, L, tr.nsteps, len(tr.events), time.perf_counter() - t0, tr.status))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller accuracy target for RK4 (faster)")
    args = ap.parse_args()
    targets = [(30, 1e-10)] if args.quick else [(30, 1e-12), (40, 1e-16)]
    print("== 1. high-precision engine vs baselines (same field, same digits, equal accuracy) ==")
    print(f"{'dps':>4} {'target':>8} | {'engine s':>9} {'err':>8} {'steps':>5} | {'RK4 N':>7} {'RK4 s':>8} "
          f"{'err':>8} {'ratio':>7} | {'odefun s':>8} {'err':>8} | {'engine@full s':>13} {'err':>8} {'ratio':>7}")
    for dps, target in targets:
        r = part1(dps, target)
        print(f"{r['dps']:>4} {r['target']:>8.0e} | {r['t_ours']:>9.3f} {r['e_ours']:>8.1e} {r['steps']:>5} | "
              f"{r['N_rk']:>7} {r['t_rk']:>8.2f} {r['e_rk']:>8.1e} {r['t_rk'] / r['t_ours']:>6.1f}x | "
              f"{r['t_od']:>8.2f} {r['e_od']:>8.1e} | {r['t_full']:>13.3f} {r['e_full']:>8.1e} "
              f"{r['t_od'] / r['t_full']:>6.1f}x")
    rows = heyoka_reference([None, 30, 40])
    if rows is None:
        print("(heyoka not installed: pip install heyoka for the Taylor/JIT speed reference)")
    else:
        print("\n   heyoka reference (same flow, Cartesian, pattern frozen: it has no kink handling)")
        print(f"{'dps':>4} | {'compile s':>9} {'integrate s':>11} {'err':>8}")
        for dps, tc, ti, err in rows:
            print(f"{dps:>4} | {tc:>9.3f} {ti:>11.5f} {err:>8.1e}")
    print("\n== 2. step count vs lambda (float64 engine, DS-A, m = 8, horizon 2.5 ln(1/lambda)/||D-|| + 60) ==")
    print(f"{'lambda':>8} {'ln(1/lambda)':>12} {'steps':>6} {'steps/ln':>8} {'events':>6} {'seconds':>8}")
    for lam, L, n, ne, sec, st in part2([1e-5, 1e-20, 1e-80, 1e-300]):
        print(f"{lam:>8.0e} {L:>12.1f} {n:>6} {n / L:>8.2f} {ne:>6} {sec:>8.2f}" + ("" if st == 0 else f"  status {st}"))


if __name__ == "__main__":
    main()
