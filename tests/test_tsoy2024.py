"""tsoy2024 package (theory/papers/tsoy2024): its numbers against independent values: the closed forms of catalog
claims_000 §1.3 (the linearised flow in a regular extremum's region), exact multinomials by brute-force enumeration,
exact cap fractions, the catalog's pre-checked constants of Prop. 5.7 (E25), rational arithmetic for the max margin,
a separate numpy computation of Remark B.7's bound, and a t-distribution integrated with mpmath."""
import math
from fractions import Fraction
from itertools import product

import mpmath
import numpy as np
import pytest

from numerics.sphere import maximize_on_sphere
from theory import registry
from theory.claims import Instance, Status
from theory.papers.tsoy2024 import common, lemma5_3, max_margin, prop5_7, section7
from theory.papers.tsoy2024 import datasets as tsoy_datasets
from theory.papers.tsoy2024.datasets import DATASETS

D3A = {"dataset": "D3A", "xi": 0.01, "init": "designed", "alpha0": 30.0}


def _claim(cid):
    return next(c for c in registry.claims() if c.id == cid)


# --------------------------------------------------------------------------- phase 1 against §1.3


def test_linear_limit_matches_the_closed_form():
    L = common.linear_limit(D3A)
    u0 = np.array(L["u0"])
    assert L["P"] == [True, True, True, True, False]
    c2 = math.cos(math.radians(15)) ** 2                      # u* = u_0 cos^2(alpha_0/2), catalog §1.3
    assert np.allclose(L["ustar"][:4], u0[:4] * c2, rtol=1e-8)
    assert L["lam_j"][4] == pytest.approx(0.0, abs=1e-15)       # the flat cap: G = 0
    assert np.allclose(np.abs(np.array(L["vstar"])[:4]), np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0]]),
                       atol=1e-12)


def test_kappa_star_from_an_independent_remark_b7_bound():
    xi, lam = 0.01, 0.1125                                    # lambda = (p1 - p2)/8 on D3A
    nx2 = 0.95 ** 2 + 2 * 0.05 ** 2
    c = np.linspace(-1, 1, 200001)
    hess = xi * 3 * (1 - c * c) ** 2 / 16 + 0.75 * (1 - c * c) * (nx2 - xi * xi * c * c) / xi   # d = 3, §1.3
    b1 = (1 + xi) + 0.5 * hess.max()
    C = common.constants(D3A)
    assert C["lam"] == pytest.approx(lam, rel=1e-12)
    assert C["b1"] == pytest.approx(b1, rel=1e-6)
    assert C["kappa_star"] == pytest.approx(2 * lam / (b1 - lam), rel=1e-6)
    assert C["b1_sampled"] * xi == pytest.approx(0.085, abs=0.003)   # catalog E13 (b_1 xi ~ 0.085)


def test_theorem41_direction_error_is_the_linearised_closed_form():
    kap = common.constants(D3A)["kappa_star"]
    for r10 in (-400, -800):
        e = common.phase1_errors(D3A, r10)
        rk = 10.0 ** (kap * r10)
        a = 2 * math.atan(math.tan(math.radians(15)) * rk)     # tan(alpha/2) = tan(alpha_0/2) e^{-lambda T_1}
        assert e["Ev"] == pytest.approx(2 * math.sin(a / 2), rel=1e-7)
        assert e["ER"] == pytest.approx(rk, rel=1e-9)          # the cap neuron: |u(T_1)| = sigma |u_0| exactly


# --------------------------------------------------------------------------- Lemma 5.3


def _brute_p_all(m, p):
    q = list(p) + [1 - sum(p)]
    tot = 0.0
    for cells in product(range(5), repeat=m):
        if all(k in cells for k in range(4)):
            tot += math.prod(q[c] for c in cells)
    return tot


@pytest.mark.parametrize("m", [4, 5, 6])
def test_inclusion_exclusion_against_enumeration(m):
    p = [0.245, 0.25, 0.243, 0.249]
    assert lemma5_3.p_all(m, p) == pytest.approx(_brute_p_all(m, p), rel=1e-12)
    assert lemma5_3.p_all(4, [0.25] * 4) == pytest.approx(24 / 256, rel=1e-14)


def test_cap_fractions_exact():
    for t in (0.01, 0.1, 0.3):
        assert float(lemma5_3.cap_fraction(t, 3)) == pytest.approx((1 - t) / 2, rel=1e-14)
        # d = 5: marginal density of x_1 on S^4 is proportional to (1 - x^2)
        assert float(lemma5_3.cap_fraction(t, 5)) == pytest.approx((2 / 3 - t + t ** 3 / 3) / (4 / 3), rel=1e-14)


def test_finding_f2_witness_of_the_catalog():
    c = _claim("tsoy2024.finding.F2")
    inst = [i for i in c.instances("fast") if i.params["d"] == 3][0]
    ev = c.evaluate(inst)
    row = next(r for r in ev.grid if r["label"] == "t=0.1")
    assert float(mpmath.mpf(row["lhs"])) == pytest.approx(0.45, rel=1e-12)
    assert float(mpmath.mpf(row["rhs"])) == pytest.approx(0.5 - 2 / (4 * math.pi) * math.asin(0.1), rel=1e-12)
    assert ev.status == Status.VIOLATED and ev.control["status"] == "HOLDS"


def test_finding_f1_distribution_free_threshold():
    # the printed (1 - h^m)^4 exceeds max_p P_all = 1 - 4(3/4)^m + 6(1/2)^m - 4(1/4)^m exactly for m <= 5 at
    # delta + xi = 0.0966 (h = 1 - (1 - t)/4 for d = 3)
    h = 1 - (1 - 0.0966025403784) / 4
    pm = lambda m: sum((-1) ** k * math.comb(4, k) * (1 - k / 4) ** m for k in range(5))
    assert [m for m in range(1, 30) if (1 - h ** m) ** 4 > pm(m)] == [1, 2, 3, 4, 5]
    ev = _claim("tsoy2024.finding.F1.distribution_free").evaluate(
        _claim("tsoy2024.finding.F1.distribution_free").instances("fast")[0])
    st = {r["label"]: r["status"] for r in ev.grid}
    assert st["m=4"] == "VIOLATED" and st["m=6"] == "HOLDS" and st["m=16"] == "HOLDS"


def test_capture_probabilities_match_the_catalog():
    o = common.capture_outcomes({"dataset": "D3A", "xi": 0.01}, 10000, 0, t_max=200.0, dt=0.25)
    freq = [np.mean(o == k) for k in range(4)]
    assert all(abs(f - 0.247) < 0.015 for f in freq), freq        # catalog E03-C: 0.245, 0.250, 0.243, 0.249


# --------------------------------------------------------------------------- Prop. 5.7, Prop. D.2, Prop. 5.8


def test_prop57_chain_against_the_catalog():
    c = prop5_7.chain(40)
    exp = {"A": 0.277861202, "B": 0.505, "C": 0.752432156, "hYT": 140.990991, "lower": 31.528291, "margin": 4.676806}
    for k, v in exp.items():
        assert float(c[k]) == pytest.approx(v, abs=2e-6), k
    for got, want in zip(c["terms"], (77.576091, -18.951117, -27.096684)):
        assert float(got) == pytest.approx(want, abs=2e-6)
    assert float(c["h(9/4)"]) == pytest.approx(29.560, abs=5e-4)
    # x(T) = sqrt(h^{-1}(31.52)/(1 - 2a)), solved here independently; the catalog's 2.269640 is h^{-1}(31.528291)
    C = math.exp(-4 * (8 / 3) ** 2 * 0.01)
    h = lambda x: mpmath.log(x) + C * (mpmath.ei(x) - mpmath.ei(1))
    for level, xT in ((31.52, float(c["xT"])), (31.528291, 2.269640)):
        X = mpmath.findroot(lambda x: h(x) - level, 5.0)
        assert float(mpmath.sqrt(X / 0.98)) == pytest.approx(xT, abs=2e-6)


def test_four_neuron_flow_slides_on_the_kink():
    # D2B: the tilt saturates where the far cluster's point deactivates, sin alpha = p_2/||x|| (catalog E31)
    p = {"dataset": "D2B", "xi": 0.0, "scales": [1e-4, -1e-5, 1e-7, -1e-6]}
    r = common.four_flow(p, 200.0, 201, 1e-9)
    tilt = np.max([tsoy_datasets.tilt(V) for V in r["V"]], axis=0)
    assert np.allclose(tilt, 0.005 / math.hypot(0.995, 0.005), rtol=1e-6)


def test_paper_schedule():
    assert common.paper_lr(0) == 4 and common.paper_lr(11) == 4 and common.paper_lr(12) == 2 ** -7
    assert sum(common.paper_lr(e) for e in range(12)) == 48
    for e in (8192, 16384):  # continuous at the switches
        assert common.paper_lr(e) == pytest.approx(common.paper_lr(e - 1), rel=5e-3)
    assert common.paper_lr(16384) == pytest.approx(33 * 2 ** -7)


def test_theta_mm_margin_exact():
    ds = DATASETS["D2B"]()
    X = [[Fraction(v).limit_denominator(10 ** 6) for v in row] for row in ds.X]
    U, V = max_margin._split_net([(Fraction(3, 5), Fraction(4, 5))] * 4, 2)
    assert max_margin._frac_margin(X, [int(v) for v in ds.y], U, V) == Fraction(199 - 1, 200 * 8)
    U2, V2 = max_margin._split_net([(Fraction(20, 29), Fraction(21, 29))] * 4, 2)
    assert max_margin._frac_margin(X, [int(v) for v in ds.y], U2, V2) == Fraction(99, 800)


# --------------------------------------------------------------------------- extrema


def test_global_extrema():
    ext = common.global_extrema({"dataset": "D3A", "xi": 0.01})
    assert ext["lam"] == pytest.approx(0.1125, rel=1e-12)
    for a in ext["argmax"]:
        assert min(np.linalg.norm(a - [1, 0, 0]), np.linalg.norm(a + [1, 0, 0])) < 1e-7
    sk = common.global_extrema({"dataset": "skew-pi/3"})
    degs = sorted(round(math.degrees(math.atan2(v[1], v[0])), 4) for v in sk["argmax"] + sk["argmin"])
    assert degs == [-90.0, -30.0, 90.0, 150.0]
    assert sk["max"] == pytest.approx(0.99 * math.sqrt(3) / 16, rel=1e-10)


def test_sphere_maximiser_on_a_quadratic():
    A = np.diag([3.0, 1.0, -2.0])
    best = maximize_on_sphere(lambda V: np.einsum("ij,jk,ik->i", V, A, V), 3)[0]
    assert best.value == pytest.approx(3.0, abs=1e-10) and abs(abs(best.point[0]) - 1) < 1e-5


# --------------------------------------------------------------------------- §7


def _t_sf(t, nu):
    """Survival function of Student's t by quadrature of its density (mpmath), independent of scipy."""
    c = mpmath.gamma((nu + 1) / 2) / (mpmath.sqrt(nu * mpmath.pi) * mpmath.gamma(nu / 2))
    return float(mpmath.quad(lambda x: c * (1 + x * x / nu) ** (-(nu + 1) / 2), [t, mpmath.inf]))


def test_reported_p_values_are_one_sided_over_six_runs():
    meas = section7._pv_measure(Instance("x", {}), {}, None)
    for (m, s), lp in zip(((8.13, 0.80), (6.43, 2.43)), meas.values["lp"]):
        assert lp == pytest.approx(math.log10(_t_sf(m * math.sqrt(6) / s, 5)), abs=1e-9)
    assert 10 ** meas.values["lp"][0] == pytest.approx(9.76e-7, rel=1e-2)


def test_texture_block_is_invisible_to_linear_features():
    rng = np.random.default_rng(0)
    B = section7.texture_block(np.full(4000, 3), rng, noise=0.0)
    assert np.max(np.abs(B.mean(axis=0))) < 0.05          # zero class mean: no linear signal
    assert np.max(np.abs(B)) <= 1 + 1e-12


# --------------------------------------------------------------------------- the findings F9, F12, F17, F18


def _measure(cid, prefix):
    c = _claim(cid)
    inst = next(i for i in c.instances("fast") if i.name.startswith(prefix))
    return c.measure(inst, inst.grid[0], "float64")


def test_finding_f9_factor_two_on_d3a():
    # S_2 u S_4 = the 8 points (+-0.05, +-0.95, +-0.05): 4 have x^1 = 0.05 > xi, phi(e_1, x) = 0.05 each; the printed
    # side counts the 2 points of S_2 with x^1 > 0 once: int |0.05 + xi z^1| Q(dz) = 0.05 (no sign change for xi = 0.01)
    m = _measure("tsoy2024.finding.F9", "D3A")
    assert m.values["lhs"] == pytest.approx(4 * 0.05, rel=1e-12)
    assert m.values["rhs"] == pytest.approx(2 * 0.05, rel=1e-12)


def test_finding_f12_residuals_by_hand():
    # printed indexing d_k = -e_2, -e_1, e_2, e_1; proofs' e_1, e_2, -e_1, -e_2; map R_1^floor((k-1)/2) P^(k mod 2)
    r2 = math.sqrt(2)
    m = _measure("tsoy2024.finding.F12", "the four")
    assert m.values["r_printed"] == pytest.approx([r2, 2, r2, 2], abs=1e-15)
    assert m.values["r_proofs"] == pytest.approx([0, r2, 2, r2], abs=1e-15)
    assert m.values["r_fixed"] == [0.0, 0.0, 0.0, 0.0]


def test_finding_f17_certified_size():
    # sum_i ln(1 + e^{-4.67}) < ln 2 iff n <= 74
    assert max(n for n in range(1, 200) if n * math.log1p(math.exp(-4.67)) < math.log(2)) == 74
    m = _measure("tsoy2024.finding.F17", "XOR clusters")
    assert m.values["cert"] == pytest.approx(256 * math.log(1 + math.exp(-4.67)), rel=1e-14)
    assert m.values["loss_T"] < math.log(2) < m.values["cert"]


def test_finding_f18_on_d2b_near_theta_mm():
    # theta^mm (|u_k| = 1) on D2B: every point of the 8-point orbit has margin x^1 - x^2 = 0.99 (catalog E26), so the
    # mean is 0.99 and the printed (1/16) sum is 0.495
    m = _measure("tsoy2024.finding.F18", "D2B")
    assert np.allclose(m.values["mean"], 0.99, atol=0.01) and np.allclose(m.values["s16"], 0.495, atol=0.005)
    assert np.all(np.array(m.values["qmin"]) <= np.array(m.values["mean"]))


# --------------------------------------------------------------------------- audit i15: mutants judged where they can fail


def test_finding_f5_all_printed_neurons_on_minus_lambda_and_half_fix_rejected():
    c = _claim("tsoy2024.finding.F5")
    for inst in c.instances("fast"):
        ev = c.evaluate(inst)
        g = ev.grid[0]
        assert g["status"] == "VIOLATED" and g["n_violated"] == 4          # all four neurons start on -lambda
        assert g["control"]["status"] == "HOLDS"
        assert g["mutant"]["status"] == "VIOLATED"                          # the half-fix is no fix


def test_propb5_adversarial_instance_is_measured_and_rejects_the_mutant():
    from theory.papers.tsoy2024 import appendix_b
    for cid in ("tsoy2024.propB.5.value", "tsoy2024.propB.5.gradient"):
        c = _claim(cid)
        inst = next(i for i in c.instances("fast") if i.name.startswith("D1 adversarial"))
        meas = appendix_b._b5_measure(inst, {}, None)
        closed = [0.5 * math.tanh(m * r * r / 2) for m in (4, 32) for r in (1e-2, 3e-3)]
        assert np.allclose(meas.values["lin1"], closed, rtol=1e-9)
        assert np.allclose(meas.values["lin2"], closed, rtol=1e-9)
        g = c.evaluate(inst).grid[0]
        assert g["status"] == "HOLDS" and g["mutant"]["status"] == "VIOLATED"
    for i in _claim("tsoy2024.propB.5.value").instances("fast"):
        assert "adversarial" not in i.name or i.params.get("dataset") == "D1"


def test_finding_f1_mutant_rejected_where_the_control_holds():
    c = _claim("tsoy2024.finding.F1")
    for inst in c.instances("fast"):
        for g in c.evaluate(inst).grid:
            assert g["control"]["status"] == "HOLDS"
            assert g["mutant"]["status"] == "VIOLATED", g["label"]
