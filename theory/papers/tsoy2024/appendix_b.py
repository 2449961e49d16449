"""tsoy2024 App. B: Proposition B.2 (the closed form of the smoothed ReLU, its identities, gradient, Hessian (finding
F8: the printed Hessian misses 1/||v||), C^2 smoothness), Remark B.3 (even d: an arcsin term), Remark B.4 (b_0 <=
(-ell'(0))(1 + xi)), Proposition B.5 (the linearisation error, a = m(1 + xi)^2/4, asymptotically tight), Lemma B.6
(norm growth), Remark B.7 (b_1 = O(1/xi), hence kappa* = Theta(xi): catalog F4) and the exponent bookkeeping of
App. B.3.

Sampled checks draw their random parameters from numpy default_rng(instance seed); a sampled HOLDS means "no
counterexample among these samples", never a proof.
"""
from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp
from scipy.special import expit

from numerics.smooth_flow import polar_from_cartesian, smooth_flow
from numerics.smooth_relu import SmoothReLU, kappa_vol, phi_monte_carlo, profile_coefficients
from numerics.sphere import sphere_grid
from theory.claims import LADDER_F64, Instance, Measurement, Mutant
from theory.claimset import ClaimSet

from .common import (H_BALANCED, H_PHI, H_UNIT_BALL, activation, arrays, b1_sampled, constants, declared, hess_sup,
                     init_of, run_group, user_isotropic, user_static)
from .datasets import DATA_HYPOTHESES, UserSettings
from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG, ladder=LADDER_F64, hypotheses=[])
EPS = float(np.finfo(float).eps)

# =========================================================================== Prop. B.2: closed form vs Monte Carlo


def _mc_instances(tier):
    n = 400_000 if tier == "fast" else 4_000_000
    return [Instance(f"d = {d}, xi = 0.3, 4 random (v, x) in the band, {n} samples each",
                     {"d": d, "xi": 0.3, "pairs": 4, "samples": n, "rng": 10 + d}) for d in (3, 5)]


def _mc_measure(inst, point, precision):
    """phi(v, x) by the closed form (numerics.smooth_relu) and by Monte Carlo of the defining integral
    E_{z ~ U(D^d)} (v^T(x + xi z))_+ with its standard error; the mutant closed form with the inverted volume ratio
    1/K_d in place of K_d (catalog E06 mutation (ii))."""
    p = inst.params
    d, xi = int(p["d"]), float(p["xi"])
    act = SmoothReLU(xi, d)
    rng = np.random.default_rng(p["rng"])
    K = kappa_vol(d)
    ph, mc, se, mut = [], [], [], []
    for _ in range(int(p["pairs"])):
        v = rng.standard_normal(d) * rng.uniform(0.5, 2)
        x = rng.standard_normal(d)
        x *= rng.uniform(0.05, 0.25) / np.linalg.norm(x)
        mean, s = phi_monte_carlo(v, x, xi, int(p["samples"]), seed=int(rng.integers(1 << 30)))
        val = float(act.values(v, x)[0, 0])
        c = float(np.clip(v @ x / (xi * np.linalg.norm(v)), -1, 1))
        m0 = float(act.m0(c)) / K ** 2        # K_d replaced by 1/K_d
        m1 = float(act.m1(c)) / K ** 2
        ph.append(val)
        mc.append(mean)
        se.append(s)
        mut.append(float(v @ x) * m0 + xi * float(np.linalg.norm(v)) * m1)
    return Measurement(values={"phi": ph, "phimc": mc, "se": se, "phimut": mut},
                       errors={"phi": "rounding", "phimc": "rounding", "se": "rounding", "phimut": "rounding"},
                       coords={"pair": list(range(len(ph)))})


PHI, PHIMC, SE, PHIMUT = sp.symbols("phi phimc se phimut", nonnegative=True)
claims.add(
    "propB.2.closed_form", "Proposition B.2: closed form of φ_{Q,ξ} (odd d) = the defining integral",
    "App. B.1.1, l.1415-1600", "closed-form", statement=sp.Le(sp.Abs(PHI - PHIMC), 4 * SE),
    latex_names={"phi": r"\phi_{\rm closed}(v,x)", "phimc": r"\hat\phi_{\rm MC}(v,x)", "se": r"\mathrm{se}",
                 "phimut": r"\phi_{1/K_d}(v,x)"},
    symbols_doc={"phi": "closed form of Prop. B.2", "phimc": "Monte Carlo mean of (v^T(x + xi z))_+",
                 "se": "its standard error", "phimut": "closed form with the volume ratio inverted"},
    quantifier="every pair: a 4-standard-error test of the Monte Carlo estimate", instances=_mc_instances,
    extra_hypotheses=[H_PHI],
    measure=_mc_measure, provides=("phimut",),
    mutant=Mutant(sp.Le(sp.Abs(PHIMUT - PHIMC), 4 * SE), "volume ratio Vol(D^d)/Vol(D^{d-1}) (inverted; E06 (ii))"),
    catalog_ref="E06 (1)", result="propB.2",
    notes="The statistical error of the Monte Carlo mean is in the statement (4 standard errors, i.e. a two-sided "
          "test at level 6e-5 per pair); the values themselves carry rounding only.")

# =========================================================================== Prop. B.2: the two identities


def _id_instances(tier):
    return [Instance(f"d = {d}, c on a grid of 21 points in (-1, 1), mpmath quadrature at 30 and 40 digits",
                     {"d": d}) for d in (3, 5, 7)]


def _id_measure(inst, point, precision):
    """int_{-asin c}^{pi/2} sin t cos^d t dt and int_{-asin c}^{pi/2} cos^d t dt by mpmath quadrature (50 digits,
    error = change from 40 digits) against the printed right-hand sides (1 - c^2)^{(d+1)/2}/(d+1) and
    sum_{k <= (d-1)/2} C(d,k) (sin((d-2k) asin c) + sin((d-2k) pi/2)) / ((d-2k) 2^{d-1})."""
    d = int(inst.params["d"])
    cs = [mpmath.mpf(k) / 10 - 1 for k in range(1, 20, 1)] + [mpmath.mpf("-0.999"), mpmath.mpf("0.999")]
    out = {}
    for dps in (40, 50):
        with mpmath.workdps(dps):
            I1, I2, R1, R2, R1m = [], [], [], [], []
            for c in cs:
                lo = -mpmath.asin(c)
                I1.append(mpmath.quad(lambda t: mpmath.sin(t) * mpmath.cos(t) ** d, [lo, mpmath.pi / 2]))
                I2.append(mpmath.quad(lambda t: mpmath.cos(t) ** d, [lo, mpmath.pi / 2]))
                R1.append((1 - c * c) ** (mpmath.mpf(d + 1) / 2) / (d + 1))
                R1m.append((1 - c * c) ** (mpmath.mpf(d + 1) / 2) / d)
                R2.append(mpmath.fsum(math.comb(d, k) * (mpmath.sin((d - 2 * k) * mpmath.asin(c)) + mpmath.sin(
                    (d - 2 * k) * mpmath.pi / 2)) / ((d - 2 * k) * 2 ** (d - 1)) for k in range((d - 1) // 2 + 1)))
            out[dps] = (I1, I2, R1, R2, R1m)
    a, b = out[50], out[40]
    err = [[abs(x - y) + mpmath.mpf(10) ** -45 for x, y in zip(a[i], b[i])] for i in range(2)]
    n = len(cs)
    return Measurement(values={"I": a[0] + a[1], "R": a[2] + a[3], "Rm": a[4] + a[3]},
                       errors={"I": err[0] + err[1], "R": [mpmath.mpf(10) ** -48] * (2 * n),
                               "Rm": [mpmath.mpf(10) ** -48] * (2 * n)},
                       coords={"c": [float(c) for c in cs] * 2, "identity": ["sin cos^d"] * n + ["cos^d"] * n},
                       precision=50)


I_INT, R_RHS, R_MUT = sp.symbols("I R Rm", real=True)
claims.add(
    "propB.2.identities", "Proposition B.2: the two trigonometric identities of the proof", "App. B.1.1, l.1440-1600",
    "closed-form", statement=sp.Eq(I_INT, R_RHS), eq_rtol=1e-20,
    latex_names={"I": r"\int_{-\arcsin c}^{\pi/2}(\cdot)\,d\varphi", "R": r"\mathrm{RHS}(c)", "Rm": r"\mathrm{RHS}'(c)"},
    symbols_doc={"I": "the integral (sin cos^d, then cos^d) by quadrature", "R": "the printed closed form",
                 "Rm": "the first closed form with 1/(d+1) replaced by 1/d (mutant)"},
    quantifier="21 values of c, both identities", instances=_id_instances, measure=_id_measure, provides=("Rm",),
    extra_hypotheses=[H_PHI],
    mutant=Mutant(sp.Eq(I_INT, R_MUT), "(1 - c^2)^{(d+1)/2}/d in the first identity"),
    catalog_ref="E06 (2)", result="propB.2", ladder=(50,),
    notes="eq_rtol = 1e-20: the identities are exact; quadrature at 50 digits (error: the change from 40 digits) "
          "resolves them to ~1e-40.")

# =========================================================================== Prop. B.2: C^2, not C^3


def _c2_instances(tier):
    return [Instance(f"d = {d}, exact rational profile", {"d": d}) for d in (3, 5, 7)]


def _deriv(coefs, k, c):
    out = Fraction(0)
    for i, a in enumerate(coefs):
        if i >= k:
            out += a * math.perm(i, k) * Fraction(c) ** (i - k)
    return out


def _c2_measure(inst, point, precision):
    """Exact (rational) jumps of the k-th c-derivative of phi/(xi||v||) = c M0(c) + M1(c) across the band edges
    c = +-1 (outside: c, resp. 0), k = 0, 1, 2 (statement) and k = 3 (mutant: C^3)."""
    d = int(inst.params["d"])
    _, shape, _ = profile_coefficients(d)
    outside = {1: [Fraction(1), Fraction(1), Fraction(0), Fraction(0)], -1: [Fraction(0)] * 4}
    jumps, order, lab = [], [], []
    for edge in (1, -1):
        for k in range(4):
            jumps.append(float(_deriv(shape, k, edge) - outside[edge][k]))
            order.append(1.0 if k <= 2 else 0.0)
            lab.append(f"c = {edge:+d}, k = {k}")
    return Measurement(values={"jump": jumps, "w": order}, exact=True, coords={"where": lab}, precision="float64")


JUMP, WK = sp.symbols("jump w", real=True)
claims.add(
    "propB.2.C2", "Proposition B.2: φ is C² (derivatives up to order 2 continuous at |c| = 1)", "App. B.1.1, l.1600",
    "closed-form", statement=sp.Eq(WK * JUMP, 0),
    latex_names={"jump": r"[\partial_c^k \phi]_{c=\pm1}", "w": r"\mathbb{1}[k \le 2]"},
    symbols_doc={"jump": "jump of the k-th c-derivative of phi/(xi||v||) across c = +-1 (k = 0..3), exact",
                 "w": "1 for the orders the claim covers (k <= 2), 0 for k = 3"},
    quantifier="k = 0, 1, 2 at both edges", instances=_c2_instances, measure=_c2_measure, provides=("w",),
    extra_hypotheses=[H_PHI],
    mutant=Mutant(sp.Eq(JUMP, 0), "phi is C^3 (k = 3 too; catalog §1.3: it is not for d = 3)"),
    catalog_ref="E06 (3), §1.3", result="propB.2",
    notes="The mutant (C^3) is rejected for d = 3 only: the profile vanishes to order (d+1)/2 at c = -1 and M_1 to "
          "order (d+1)/2 at c = 1, so phi is C^{(d-1)/2} ... in fact C^{(d+1)/2 - 1} at least: C^3 for d = 5, 7 "
          "(measured: zero third-derivative jumps). Along a ray v -> v + t w the c-derivatives carry smooth factors, so continuity in c of the profile and its "
          "first two derivatives is continuity of phi, grad phi, hess phi in v != 0.")

# =========================================================================== Prop. B.2: gradient and Hessian (F8)


def _hess_instances(tier):
    return [Instance("d = 3, xi = 0.1, 6 random (v, x) with ||v|| = 2 in the band", {"d": 3, "xi": 0.1, "norm": 2.0,
                                                                                      "pairs": 6, "rng": 5}),
            Instance("d = 5, xi = 0.05, 6 random (v, x) with ||v|| = 3 in the band", {"d": 5, "xi": 0.05, "norm": 3.0,
                                                                                       "pairs": 6, "rng": 6})]


def _hess_measure(inst, point, precision):
    """Largest entry gap between a Hessian formula and central finite differences of the closed-form gradient (steps
    1e-5 and 2e-5: the error is the change), for the printed formula (grad_v c = P_v x/xi) and the corrected one
    (P_v x/(xi ||v||)), at ||v|| != 1; and the scale of the Hessian (its largest entry)."""
    p = inst.params
    d, xi = int(p["d"]), float(p["xi"])
    act = SmoothReLU(xi, d)
    rng = np.random.default_rng(p["rng"])
    gp, gc, sc, er = [], [], [], []
    for _ in range(int(p["pairs"])):
        v = rng.standard_normal(d)
        v *= float(p["norm"]) / np.linalg.norm(v)
        x = rng.standard_normal(d)
        x -= (x @ v) / (v @ v) * v
        x = x / np.linalg.norm(x) * 0.3 + rng.uniform(-0.5, 0.5) * xi * v / np.linalg.norm(v)
        fd = []
        for h in (1e-5, 2e-5):
            fd.append(np.array([(act.grad(v + h * e, x)[0, 0] - act.grad(v - h * e, x)[0, 0]) / (2 * h)
                                for e in np.eye(d)]))
        H, Hp = act.hessian(v, x), act.hessian_printed(v, x)
        gp.append(float(np.max(np.abs(Hp - fd[0]))))
        gc.append(float(np.max(np.abs(H - fd[0]))))
        sc.append(float(np.max(np.abs(fd[0]))))
        er.append(float(np.max(np.abs(fd[0] - fd[1]))) * 2 + 1e-9 * sc[-1])
    return Measurement(values={"gap_printed": gp, "gap": gc, "scale": sc},
                       errors={"gap_printed": er, "gap": er, "scale": er}, coords={"pair": list(range(len(gp)))})


GAP_P, GAP_C, SCALE = sp.symbols("gap_printed gap scale", nonnegative=True)
HESS_NAMES = {"gap_printed": r"\|\nabla^2\phi_{\rm printed} - \nabla^2_{\rm FD}\phi\|_{\max}",
              "gap": r"\|\nabla^2\phi_{1/\|v\|} - \nabla^2_{\rm FD}\phi\|_{\max}", "scale": r"\|\nabla^2\phi\|_{\max}"}
claims.add(
    "finding.F8", "Finding F8: Prop. B.2's Hessian with ∇_v c = P_v x/ξ (as printed)", "App. B.1.1, l.1638-1978",
    "closed-form", statement=sp.Le(GAP_P, SCALE / 10 ** 6), latex_names=HESS_NAMES,
    symbols_doc={"gap_printed": "largest entry gap, printed Hessian vs finite differences of the gradient",
                 "gap": "the same with grad_v c = P_v x/(xi ||v||)", "scale": "largest entry of the Hessian"},
    quantifier="every pair, ||v|| != 1 (agreement to 1e-6 of the Hessian's size)", instances=_hess_instances,
    extra_hypotheses=[H_PHI],
    measure=_hess_measure, provides=("gap",),
    mutant=Mutant(sp.Le(GAP_P, SCALE / 10 ** 12), "agreement to 1e-12 (beyond the finite differences)"),
    control=Mutant(sp.Le(GAP_C, SCALE / 10 ** 6), "corrected: grad_v c = P_v x/(xi ||v||) (catalog F8)"),
    catalog_ref="E06 (5), F8", result="propB.2", tags=("finding",), share=run_group("hessian"),
    notes="On the unit sphere the two formulas coincide (the paper uses the Hessian at v^ only), so the slip is "
          "harmless for the proofs; off the sphere the printed formula is off by the factor ||v||.")

# =========================================================================== F16: "phi in xi||v|| Poly(c, sqrt(1 - c^2))"

#: phi/(xi||v||) inside the band as a polynomial in c (catalog §1.3), written out here, not read from the module
PROFILE = {3: lambda c: (1 + c) ** 3 * (3 - c) / 16, 5: lambda c: (1 + c) ** 4 * (c * c - 4 * c + 5) / 32}


def _f16_instances(tier):
    return [Instance(f"d = {d}, xi = 0.1, 40 random (v, x), |v^T x| up to 5 xi ||v||", {"d": d, "xi": 0.1, "rng": d})
            for d in (3, 5)]


def _f16_measure(inst, point, precision):
    """phi(v, x) (closed form of numerics.smooth_relu) against the statement's form xi||v|| P_d(c), c = clip(v^T x/
    (xi||v||), -1, 1), P_d the band profile of catalog §1.3, and the excess (v^T x - xi||v||)_+ beyond the band."""
    p = inst.params
    d, xi = int(p["d"]), float(p["xi"])
    act = SmoothReLU(xi, d)
    rng = np.random.default_rng(p["rng"])
    ph, po, ex, cs = [], [], [], []
    for k in range(40):
        v = rng.standard_normal(d)
        x = rng.standard_normal(d)
        x -= (x @ v) / (v @ v) * v
        x *= 0.5 / np.linalg.norm(x)
        c0 = np.linspace(-5, 5, 40)[k]
        x = x + c0 * xi * v / np.linalg.norm(v)      # v^T x = c0 xi ||v||
        nv = float(np.linalg.norm(v))
        c = float(np.clip(v @ x / (xi * nv), -1, 1))
        ph.append(float(act.values(v, x)[0, 0]))
        po.append(xi * nv * PROFILE[d](c))
        ex.append(max(float(v @ x) - xi * nv, 0.0))
        cs.append(float(v @ x / (xi * nv)))
    ph, po, ex = map(np.array, (ph, po, ex))
    return Measurement(values={"phi": ph, "poly": po, "excess": ex},
                       errors={"phi": 1e-14 * (1 + np.abs(ph)), "poly": 1e-14 * (1 + np.abs(po)), "excess": 1e-14},
                       coords={"c": cs})


PHI16, POLY16, EXC16 = sp.symbols("phi poly excess", nonnegative=True)
claims.add(
    "finding.F16", "Finding F16: Prop. B.2, φ ∈ ξ||v|| Poly(c, √(1−c²)) with c = clip(vᵀx/(ξ||v||), −1, 1)",
    "App. B.1.1, l.1415-1440", "closed-form", statement=sp.Eq(PHI16, POLY16), eq_atol=1e-12,
    latex_names={"phi": r"\phi(v,x)", "poly": r"\xi\|v\|P_d(c)", "excess": r"(v^Tx-\xi\|v\|)_+"},
    symbols_doc={"phi": "the smoothed ReLU", "poly": "xi||v|| times the band polynomial at the clipped c",
                 "excess": "(v^T x - xi ||v||)_+, nonzero above the band"},
    quantifier="every sample, inside and outside the band |v^T x| <= xi ||v||", instances=_f16_instances,
    extra_hypotheses=[H_PHI],
    measure=_f16_measure, provides=("excess",),
    mutant=Mutant(sp.Eq(PHI16, POLY16 + 2 * EXC16), "twice the excess"),
    control=Mutant(sp.Eq(PHI16, POLY16 + EXC16), "corrected: xi||v|| P_d(c) inside the band, plus (v^T x - "
                   "xi||v||)_+ above it (phi = (v^T x)_+ outside, catalog F16)"),
    catalog_ref="E06, F16", result="propB.2", tags=("finding",),
    notes="Informational: the proof uses the form inside the band only. For odd d, phi/(xi||v||) is a polynomial in c "
          "alone inside the band.")

# =========================================================================== Remark B.3 (even d)


def _b3_instances(tier):
    return [Instance(f"d = 2 vs d = 3: least squares by polynomials of degree <= {k} in (c, sqrt(1 - c^2))", {"deg": k})
            for k in (6, 8)]


def _b3_measure(inst, point, precision):
    """Largest residual on 2001 points of c in [-1, 1] of the least-squares fit of phi/(xi||v||) by the polynomials of
    total degree <= ``deg`` in (c, s = sqrt(1 - c^2)) (QR in float64; rounding ~1e-14), for d = 2 and for d = 3."""
    deg = int(inst.params["deg"])
    c = np.linspace(-1, 1, 2001)
    s = np.sqrt(1 - c * c)
    A = np.stack([c ** i * s ** j for i in range(deg + 1) for j in range(deg + 1 - i)], axis=1)
    res = {}
    for d in (2, 3):
        f = SmoothReLU(1.0, d).shape(c)
        coef, *_ = np.linalg.lstsq(A, f, rcond=None)
        res[d] = float(np.max(np.abs(A @ coef - f)))
    return Measurement(values={"res_even": res[2], "res_odd": res[3]}, errors={"res_even": 1e-12, "res_odd": 1e-12},
                       info={"basis size": A.shape[1]})


RES_EVEN, RES_ODD = sp.symbols("res_even res_odd", nonnegative=True)
claims.add(
    "remarkB.3", "Remark B.3: for even d, φ has an arcsin term (not polynomial in c, √(1−c²))",
    "App. B.1.1, l.1603-1606", "closed-form", statement=sp.Gt(RES_EVEN, 0),
    latex_names={"res_even": r"\mathrm{res}_{d=2}", "res_odd": r"\mathrm{res}_{d=3}"},
    symbols_doc={"res_even": "least-squares residual of the d = 2 profile (polynomials in c, sqrt(1-c^2))",
                 "res_odd": "the same for d = 3 (a polynomial: residual at rounding)"},
    instances=_b3_instances, measure=_b3_measure, provides=("res_odd",),
    extra_hypotheses=[declared("d = 2 even (arcsin profile), d = 3 odd as the comparison", "the instances' d",
                               "l.1603-1606")],
    mutant=Mutant(sp.Eq(RES_EVEN, 0), "phi in xi||v|| Poly(c, sqrt(1 - c^2)) also for d = 2 (catalog E08 mutation)"),
    catalog_ref="E08", result="remarkB.3",
    notes="d = 2 profile (catalog E08): ((2 + c^2) sqrt(1 - c^2)/3 + c (pi/2 + asin c))/pi.")

# =========================================================================== Remark B.4


def _b4_instances(tier):
    return [Instance("D1 (e_1, +1) in R^3, xi = 0.05", {"dataset": "D1", "xi": 0.05}),
            Instance("D3A, xi = 0.01", {"dataset": "D3A", "xi": 0.01}),
            Instance("D3B, xi = 0.001", {"dataset": "D3B", "xi": 0.001})]


def _b4_measure(inst, point, precision):
    """sup_{v^} ||grad G(v^)|| on a Fibonacci grid of 20000 points plus +-e_k (a lower estimate of the Lipschitz
    constant b_0 of the 1-homogeneous G), against (-ell'(0))(1 + xi)."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    V = np.vstack([sphere_grid(X.shape[1], 20000), np.eye(X.shape[1]), -np.eye(X.shape[1])])
    g = np.linalg.norm(act.g(V, X, y), axis=1)
    return Measurement(values={"b0": float(g.max()), "xi": act.xi}, errors={"b0": 1e-14, "xi": 0},
                       info={"argmax": V[int(np.argmax(g))].tolist()})


B0S, XI = sp.symbols("b0 xi", nonnegative=True)
claims.add(
    "remarkB.4", "Remark B.4: b₀ ≤ (−ℓ'(0))(1 + ξ)", "App. B.1.2, l.2357", "closed-form",
    statement=sp.Le(B0S, (1 + XI) / 2), latex_names={"b0": r"\sup_{\hat v}\|\nabla G(\hat v)\|", "xi": r"\xi"},
    symbols_doc={"b0": "sampled sup of ||grad G|| (lower estimate of b_0)", "xi": "smoothing radius"},
    hypotheses=[H_UNIT_BALL] + DATA_HYPOTHESES, instances=_b4_instances, measure=_b4_measure,
    data_instances=lambda ds: user_static(ds),
    mutant=Mutant(sp.Le(B0S, sp.Rational(45, 100) * (1 + XI)), "b_0 <= 0.45 (1 + xi) (catalog E09 mutation)"),
    catalog_ref="E09", result="remarkB.4",
    notes="On D1 the sup is 1/2 (G(v) = phi(v, e_1)/2 has gradient e_1/2 where v^T e_1 >= xi||v||): the bound is "
          "tight up to the factor (1 + xi).")

# =========================================================================== Prop. B.5


def _b5_instances(tier):
    n = 2000 if tier == "fast" else 20000
    return [Instance(f"D3A, xi in {{0, 0.02}}, m in {{1, 4, 32}}, {n} random theta (balanced and not)",
                     {"dataset": "D3A", "samples": n, "rng": 0}),
            Instance(f"D3(0.92, 0.08, 0.05), xi in {{0, 0.02}}, m in {{1, 4, 32}}, {n // 4} random theta",
                     {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "samples": n // 4, "rng": 1}),
            Instance("D1 adversarial (catalog E10): all v_j = rho e_1, u_j = rho, v^ = e_1, xi = 0, m in {4, 32}, "
                     "rho in {1e-2, 3e-3}", {"dataset": "D1", "adversarial": True, "ms": [4, 32],
                                            "rhos": [1e-2, 3e-3]})]


def _b5_measure(inst, point, precision):
    """The two linearisation errors of Prop. B.5, |(1/n) sum_i (-ell'(q_i) + ell'(0)) phi(v^, x_i) y_i| and
    ||(1/n) sum_i (...) grad phi(v^, x_i) y_i||, q_i = f(theta, x_i) y_i, against a ||theta||^2_[m], a = m(1 + xi)^2/4:
    at random theta (||theta||_[m] in [1e-3, 3], balanced or not) and v^ on the instance's data, or (``adversarial``)
    at the catalog's adversarial point on D1: all v_j = rho e_1, u_j = rho, v^ = e_1, xi = 0, measured through the
    same SmoothReLU values / gradient contraction (closed form for comparison, in info: tanh(m rho^2/2)/2 vs
    m rho^2/4)."""
    p = inst.params
    X, y = arrays(p)
    d = X.shape[1]
    L1, L2, RA, lab = [], [], [], []

    def sample(act, u, V, vh, xi, m, label):
        q = (u @ act.values(V, X)) * y
        w = (expit(-q) - 0.5) * y / len(y)            # (-ell'(q) + ell'(0)) y / n
        L1.append(abs(float(act.values(vh[None], X)[0] @ w)))
        L2.append(float(np.linalg.norm(act.grad_contract(vh[None], X, w)[0])))
        nm = max(np.max(np.abs(u)), np.max(np.linalg.norm(V, axis=1)))
        RA.append(m * (1 + xi) ** 2 / 4 * nm ** 2)
        lab.append(label)

    info = {}
    if p.get("adversarial"):
        act = SmoothReLU(0.0, d)
        e1 = np.eye(d)[0]
        closed = []
        for m in p["ms"]:
            for rho in p["rhos"]:
                sample(act, rho * np.ones(m), rho * np.tile(e1, (m, 1)), e1, 0.0, m, f"D1 adversarial m={m}, rho={rho}")
                closed.append(0.5 * math.tanh(m * rho * rho / 2))
        info["closed form tanh(m rho^2/2)/2 (not used for the verdict)"] = closed
    else:
        rng = np.random.default_rng(p["rng"])
        ms = p.get("ms", (1, 4, 32))
        for k in range(int(p["samples"])):
            xi = (0.0, 0.02)[k % 2]
            act = SmoothReLU(xi, d)
            m = ms[k % len(ms)]
            V = rng.standard_normal((m, d))
            u = rng.standard_normal(m) if k % 4 else np.sign(rng.standard_normal(m)) * np.linalg.norm(V, axis=1)
            s = 10 ** rng.uniform(-3, np.log10(3)) / max(np.max(np.abs(u)), np.max(np.linalg.norm(V, axis=1)))
            u, V = s * u, s * V
            vh = rng.standard_normal(d)
            vh /= np.linalg.norm(vh)
            sample(act, u, V, vh, xi, m, f"random m={m}, xi={xi}")
    L1, L2, RA = map(np.array, (L1, L2, RA))
    info["largest ratio lin1 / aT"] = float(np.max(L1 / RA))
    info["largest ratio lin2 / aT"] = float(np.max(L2 / RA))
    return Measurement(values={"lin1": L1, "lin2": L2, "aT": RA},
                       errors={"lin1": 64 * EPS * L1 + 1e-300, "lin2": 64 * EPS * L2 + 1e-300, "aT": "rounding"},
                       coords={"sample": lab}, info=info)


def _b5_data(ds):
    """User data: 2000 random theta (rng = the user's seed, default 0) at the widths {1, 4, 32} or the user's m, xi in
    {0, 0.02} (the D1 adversarial instance is catalog data, not the user's)."""
    u = UserSettings(ds)
    p = {"samples": 2000, "rng": int(u.get("seed", 0))}
    if "m" in u.given:
        p["ms"] = [int(u.get("m", 1))]
    return [u.instance(f"xi in {{0, 0.02}}, m in {p.get('ms', [1, 4, 32])}, 2000 random theta (rng {p['rng']})", p)]


LIN1, LIN2, AT = sp.symbols("lin1 lin2 aT", nonnegative=True)
B5_NAMES = {"lin1": r"\left|\frac{1}{n}\sum_i(-\ell'(q_i)+\ell'(0))\phi(\hat v,x_i)y_i\right|",
            "lin2": r"\left\|\frac{1}{n}\sum_i(-\ell'(q_i)+\ell'(0))\nabla\phi(\hat v,x_i)y_i\right\|",
            "aT": r"a\|\theta\|^2_{[m]}"}
B5_DOC = {"lin1": "value linearisation error", "lin2": "gradient linearisation error",
          "aT": "a ||theta||^2_[m], a = m(1 + xi)^2/4"}
for part, sym, other in (("value", LIN1, "lin2"), ("gradient", LIN2, "lin1")):
    claims.add(
        f"propB.5.{part}", f"Proposition B.5 ({part}): linearisation error ≤ a||θ||²_[m], a = m(1+ξ)²/4",
        "App. B.2.1, l.2372-2430", "closed-form", statement=sp.Le(sym, AT), latex_names=B5_NAMES,
        symbols_doc=B5_DOC, quantifier="every sample (random and adversarial)",
        hypotheses=[H_UNIT_BALL] + DATA_HYPOTHESES, instances=_b5_instances, measure=_b5_measure, provides=(other,),
        data_instances=lambda ds: _b5_data(ds),
        mutant=Mutant(sp.Le(sym, sp.Rational(9, 10) * AT), "a' = 0.9 a (catalog E10 mutation): fails on D1"),
        catalog_ref="E10", result="propB.5", share=run_group("b5"),
        notes="Adversarial D1 instance (its own instance, measured through SmoothReLU on D1 data): LHS/RHS = "
              "tanh(m rho^2/2)/(m rho^2/2) -> 1: a is asymptotically tight, and the mutant 0.9a is rejected there. "
              "On the random-theta D3A / D3 instances the largest measured ratio is about 0.22 (fast tier), so the "
              "mutant is not rejected there (random theta are far from the worst case).")

# =========================================================================== Lemma B.6


def _b6_instances(tier):
    seeds, m = ((0,), 16) if tier == "fast" else ((0, 1, 2, 3, 4), 32)
    return [Instance(f"D3A, xi = 0.02, isotropic m = {m} (seed {s}), sigma = 1e-6",
                     {"dataset": "D3A", "xi": 0.02, "init": "isotropic", "m": m, "seed": s, "sigma": 1e-6})
            for s in seeds] + [Instance("D3(0.92, 0.08, 0.05), xi = 0.05, isotropic m = 4 (seed 2), sigma = 1e-3",
                                        {"dataset": "orbit", "p": [0.92, 0.08, 0.05], "xi": 0.05, "init": "isotropic", "m": 4, "seed": 2,
                                         "sigma": 1e-3})]


def _b6_measure(inst, point, precision):
    """||theta(t)||^2_[m] along the full flow (1) at 200 times of [0, t_1], t_1 = (1/(2 lambda)) ln(lambda/(2 a y_0)),
    y_0 = ||theta(0)||^2_[m] (rtol 1e-12; error = change at 1e-9), against 2 y_0 e^{2 lambda t} (statement), the
    sharper y_0 e^{2 lambda t}/(1 - (a/lambda) y_0 (e^{2 lambda t} - 1)) (info) and 2 y_0 e^{1.8 lambda t} (mutant)."""
    p = inst.params
    X, y = arrays(p)
    act = activation(p)
    u0, V0 = init_of(p)
    s = float(p["sigma"])
    lam = constants(p)["lam"]
    a = len(u0) * (1 + act.xi) ** 2 / 4
    y0 = float(s * s * max(np.max(u0 * u0), np.max(np.sum(V0 * V0, axis=1))))
    t1 = math.log(lam / (2 * a * y0)) / (2 * lam)
    ts = np.linspace(0, t1, 200)
    r0, Q0 = polar_from_cartesian(s * u0, s * V0)
    out = []
    for rtol in (1e-9, 1e-12):
        res = smooth_flow(X, y, act, r0, Q0, ts, rtol=rtol)
        out.append(np.array([max(np.max(res.u(k) ** 2), np.max(np.sum(res.V(k) ** 2, axis=1)))
                             for k in range(len(ts))]))
    n2 = out[1]
    sharp = y0 * np.exp(2 * lam * ts) / (1 - a / lam * y0 * (np.exp(2 * lam * ts) - 1))
    return Measurement(values={"n2": n2 / y0, "t": ts, "lam": lam},
                       errors={"n2": np.abs(out[1] - out[0]) / y0 + 1e-14 * n2 / y0, "t": 0, "lam": 1e-14},
                       coords={"t": ts.tolist()},
                       info={"t_1": t1, "y_0": y0, "a": a, "largest ratio to the sharper bound": float(np.max(n2 / sharp)),
                             "largest ratio to 2 y_0 e^{2 lambda t}": float(np.max(n2 / (2 * y0 * np.exp(
                                 2 * lam * ts))))})


N2, TB6 = sp.symbols("n2 t", nonnegative=True)
LAM_B6 = sp.Symbol("lam", positive=True)
claims.add(
    "lemmaB.6", "Lemma B.6: ||θ(t)||²_[m] ≤ 2||θ(0)||²_[m] e^{2λt} for t ≤ t₁", "App. B.2.1, l.2431-2500",
    "flow-inequality", statement=sp.Le(N2, 2 * sp.exp(2 * LAM_B6 * TB6)),
    latex_names={"n2": r"\|\theta(t)\|^2_{[m]}/\|\theta(0)\|^2_{[m]}", "t": "t", "lam": r"\lambda"},
    symbols_doc={"n2": "||theta(t)||^2_[m] relative to its initial value", "t": "time in [0, t_1]"},
    quantifier="200 times in [0, t_1]", hypotheses=[H_UNIT_BALL, H_BALANCED] + DATA_HYPOTHESES,
    instances=_b6_instances, measure=_b6_measure,
    data_instances=lambda ds: user_isotropic(ds, "full flow (1) on [0, t_1]", m=16, sigma=1e-6, xi=0.02),
    mutant=Mutant(sp.Le(N2, 2 * sp.exp(sp.Rational(9, 5) * LAM_B6 * TB6)), "exponent 1.8 lambda t (catalog E11)"),
    catalog_ref="E11", result="lemmaB.6",
    notes="Dropping the factor 2 is not a near miss the data reject (the bound has slack): prominent neurons grow "
          "like u* e^{lambda t} with u* <= u_0 (catalog E11).")

# =========================================================================== Remark B.7 and kappa* = Theta(xi) (F4)


def _b7_instances(tier):
    xis = (0.05, 0.01, 0.001) if tier == "fast" else (0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
    return [Instance(f"D3A, xi = {x:g}", {"dataset": "D3A", "xi": x}) for x in xis]


def _b7_measure(inst, point, precision):
    """A sampled lower estimate of b_1 (common.b1_sampled: difference quotients of the tangent field P_v g(v) at
    distance 1e-4 xi, half of them within the curvature band of a data hyperplane), Remark B.7's bound 2 sup ||g|| +
    (-ell'(0)) sup ||hess phi|| (sup ||g|| by the Remark B.4 bound (1 + xi)/2, sup ||hess phi|| in closed form), the
    mutant's 2 sup||g|| alone, and kappa*_max = 2 lambda/(b_1,sampled - lambda) (the largest kappa* the true b_1
    allows) against xi."""
    p = inst.params
    X, _ = arrays(p)
    act = activation(p)
    C = constants(p)
    b1s = C["b1_sampled"]
    b1s2 = b1_sampled(p, seed=1)
    hs = hess_sup(act, X)
    return Measurement(values={"b1": b1s, "gsup": 0.5 * (1 + act.xi), "hsup": hs,
                               "kmax": 2 * C["lam"] / (b1s - C["lam"]), "xi": act.xi},
                       errors={"b1": abs(b1s - b1s2) + 1e-9 * b1s, "gsup": "rounding", "hsup": 1e-6 * hs,
                               "kmax": 2 * C["lam"] * (abs(b1s - b1s2) + 1e-9 * b1s) / (b1s - C["lam"]) ** 2,
                               "xi": 0},
                       info={"b_1 xi (sampled)": b1s * act.xi, "b_1 bound": C["b1_up"], "kappa* (bound)":
                             C["kappa_star"], "lambda": C["lam"], "second sample (seed 1)": b1s2})


B1S, GSUP, HSUP, KMAX = sp.symbols("b1 gsup hsup kmax", positive=True)
B7_NAMES = {"b1": r"\hat b_1", "gsup": r"\sup\|g\|", "hsup": r"\sup\|\nabla^2\phi\|", "kmax": r"\kappa^*_{\max}",
            "xi": r"\xi"}
claims.add(
    "remarkB.7", "Remark B.7: b₁ ≤ 2 sup||g|| + (−ℓ'(0)) sup||∇²φ|| (hence b₁ = O(1/ξ))", "App. B.2.2, l.2542-2545",
    "closed-form", statement=sp.Le(B1S, 2 * GSUP + HSUP / 2), latex_names=B7_NAMES,
    symbols_doc={"b1": "sampled lower estimate of b_1", "gsup": "(1 + xi)/2 >= sup ||g|| (Remark B.4)",
                 "hsup": "sup over i, v^ of ||hess phi(v^, x_i)|| (closed form)"},
    hypotheses=[H_UNIT_BALL] + DATA_HYPOTHESES, instances=_b7_instances, measure=_b7_measure, provides=("kmax", "xi"),
    data_instances=lambda ds: user_static(ds),
    mutant=Mutant(sp.Le(B1S, 2 * GSUP), "b_1 <= 2 sup ||g|| (the Hessian term dropped: b_1 = O(1))"),
    catalog_ref="E13", result="remarkB.7", share=run_group("b7"))

claims.add(
    "remarkB.7.kappa", "Remark B.7 ⇒ κ* = 2λ/(b₁ − λ) = Θ(ξ): κ* ≤ 3ξ (catalog F4)", "App. B.2.2-B.3, l.2542, l.2781",
    "closed-form", statement=sp.Le(KMAX, 3 * XI), latex_names=B7_NAMES,
    symbols_doc={"kmax": "2 lambda/(b_1,sampled - lambda): an upper estimate of the proof's kappa*", "xi": "xi"},
    quantifier="every xi of the grid", hypotheses=[H_UNIT_BALL], instances=_b7_instances, measure=_b7_measure,
    provides=("b1", "gsup", "hsup"),
    mutant=Mutant(sp.Le(KMAX, 2 * XI), "kappa* <= 2 xi (the measured ratio is 2.6)"),
    catalog_ref="E13, F4", result="remarkB.7", share=run_group("b7"),
    notes="Confirms catalog F4: b_1 xi ~ 0.085 on D3A, so kappa* ~ 2.6 xi and T_1 = (kappa*/lambda) ln(1/r): with "
          "xi below machine precision (l.282-286) the proven rates r^kappa* are vacuous for any representable r.")

# =========================================================================== App. B.3: the exponent bookkeeping


def _exp_instances(tier):
    return [Instance("D3A, xi = 0.01 (b_1 by Remark B.7)", {"dataset": "D3A", "xi": 0.01}),
            Instance("D3B, xi = 0.001 (b_1 by Remark B.7)", {"dataset": "D3B", "xi": 0.001})]


def _exp_measure(inst, point, precision):
    """kappa* = 2 lambda/(b_1 - lambda) and q = b_1/lambda (exact rationals of the float64 constants): the two
    direction-error exponents of App. B.3 with sigma = r^{1 + kappa}, T_1 = (1/lambda) ln(r/sigma), are
    2 - kappa (q - 2) (coupling) and kappa (linearised)."""
    C = constants(inst.params)
    lam, b1 = Fraction(C["lam"]), Fraction(C["b1"])
    with mpmath.workdps(60):
        fr = lambda f: mpmath.mpf(f.numerator) / f.denominator
        K, q = fr(2 * lam / (b1 - lam)), fr(b1 / lam)
    return Measurement(values={"K": K, "q": q}, errors={"K": mpmath.mpf(10) ** -55 * K, "q": mpmath.mpf(10) ** -55 * q},
                       precision=50,
                       info={"b_1": C["b1"], "lambda": C["lam"], "kappa*": C["kappa_star"]})


K_S, Q_S = sp.symbols("K q", positive=True)
claims.add(
    "coupling.exponents", "App. B.3: κ* = 2λ/(b₁ − λ) balances the two direction exponents", "App. B.3, l.2770-2800",
    "closed-form", statement=sp.Eq(2 - K_S * (Q_S - 2), K_S),
    latex_names={"K": r"\kappa^*", "q": r"b_1/\lambda"},
    symbols_doc={"K": "kappa* of the proof (l.2781)", "q": "b_1/lambda"},
    instances=_exp_instances, measure=_exp_measure, extra_hypotheses=DATA_HYPOTHESES,
    data_instances=lambda ds: user_static(ds, "b_1 by Remark B.7"),
    mutant=Mutant(sp.Eq(K_S, 2 / (Q_S + 1)), "kappa* = 2 lambda/(b_1 + lambda), the sign of lambda changed (catalog "
                  "E12's kappa')"),
    catalog_ref="E12", result="coupling", ladder=(50,),
    notes="The printed 'e^{c_g t}' (l.2710, l.2737) is read as e^{b_1 t} (catalog F10).")
