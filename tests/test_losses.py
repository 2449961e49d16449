"""The classification losses of numerics.network (exponential, logistic, doubled logistic; min2024 §2.1 and App. B)
against independent values: closed forms, central finite differences, mpmath at 50 digits, and a closed-form flow
(one balanced neuron on one datum: f' = 2||x|| f e^{-f}, so Ei(f(t)) - Ei(f(0)) = 2||x|| t)."""
import math

import mpmath
import numpy as np
import pytest
from scipy.special import expi

from numerics.backend import get_backend
from numerics.datasets import Dataset, DatasetError
from numerics.flows import PolarState, solve_flow
from numerics.network import Model, gradient, log_loss_value, loss_derivative, loss_value, total_loss

Q = np.array([-30.0, -2.0, -0.3, 0.0, 1e-3, 0.7, 5.0, 36.0, 40.0, 300.0])


def _mp_reference(loss, q):
    with mpmath.workdps(50):
        q = mpmath.mpf(q)
        val = {"exponential": mpmath.exp(-q), "logistic": mpmath.log1p(mpmath.exp(-q)),
               "logistic2": 2 * mpmath.log1p(mpmath.exp(-q))}[loss]
        der = {"exponential": -mpmath.exp(-q), "logistic": -1 / (1 + mpmath.exp(q)),
               "logistic2": -2 / (1 + mpmath.exp(q))}[loss]
        return val, der


@pytest.mark.parametrize("loss", ["exponential", "logistic", "logistic2"])
@pytest.mark.parametrize("y", [1.0, -1.0])
def test_value_and_derivative_match_mpmath_at_every_margin(loss, y):
    h = Q / y  # margins q = y h
    val = loss_value(h, np.full_like(h, y), loss)
    der = loss_derivative(h, np.full_like(h, y), loss)
    for qi, v, d in zip(Q, val, der):
        rv, rd = _mp_reference(loss, qi)
        assert float(v) == pytest.approx(float(rv), rel=1e-14, abs=0), (loss, qi)
        # d ell/d h = y d ell/d q
        assert float(d) == pytest.approx(y * float(rd), rel=1e-14, abs=0), (loss, qi)


@pytest.mark.parametrize("loss", ["exponential", "logistic", "logistic2", "square"])
def test_derivative_is_the_finite_difference_of_the_value(loss):
    y = np.array([1.0, -1.0, 1.0, -1.0])
    h = np.array([0.3, -1.2, 2.5, 0.05])
    step = 1e-6
    fd = (loss_value(h + step, y, loss) - loss_value(h - step, y, loss)) / (2 * step)
    np.testing.assert_allclose(loss_derivative(h, y, loss), fd, rtol=1e-8, atol=1e-10)


def test_closed_forms_at_zero_margin():
    y = np.array([1.0, -1.0])
    h = np.zeros(2)
    np.testing.assert_allclose(loss_value(h, y, "exponential"), [1.0, 1.0], rtol=0)
    np.testing.assert_allclose(loss_value(h, y, "logistic"), [math.log(2)] * 2, rtol=1e-15)
    np.testing.assert_allclose(loss_value(h, y, "logistic2"), [2 * math.log(2)] * 2, rtol=1e-15)
    # -ell'(y, 0) = y for exp and the doubled logistic (min2024 Lemma 2 needs it), y/2 for the plain logistic (F5)
    np.testing.assert_allclose(-loss_derivative(h, y, "exponential"), y, rtol=0)
    np.testing.assert_allclose(-loss_derivative(h, y, "logistic2"), y, rtol=0)
    np.testing.assert_allclose(-loss_derivative(h, y, "logistic"), y / 2, rtol=0)


def test_mpmath_backend_agrees_and_does_not_underflow():
    xp = get_backend(40)
    y = xp.asarray(np.array([1.0, -1.0]))
    h = xp.asarray(np.array([1000.0, -2000.0]))  # margins 1000, 2000: e^{-q} far below float64
    v = loss_value(h, y, "exponential", xp)
    d = loss_derivative(h, y, "exponential", xp)
    assert float(mpmath.log(v[0])) == pytest.approx(-1000.0, rel=1e-30)
    assert float(mpmath.log(v[1])) == pytest.approx(-2000.0, rel=1e-30)
    assert float(mpmath.log(-d[0])) == pytest.approx(-1000.0, rel=1e-30) and d[1] > 0


@pytest.mark.parametrize("loss", ["exponential", "logistic", "logistic2"])
def test_log_loss_is_finite_where_the_loss_underflows(loss):
    y = np.ones(len(Q))
    got = log_loss_value(Q, y, loss)
    for qi, g in zip(Q, got):
        with mpmath.workdps(50):
            ref = {"exponential": -mpmath.mpf(qi), "logistic": mpmath.log(mpmath.log1p(mpmath.exp(-qi))),
                   "logistic2": mpmath.log(2 * mpmath.log1p(mpmath.exp(-qi)))}[loss]
        assert float(g) == pytest.approx(float(ref), rel=1e-13, abs=1e-15), (loss, qi)
    big = log_loss_value(np.array([1e6]), np.array([1.0]), loss)
    assert np.isfinite(big[0]) and big[0] == pytest.approx(-1e6 + (math.log(2) if loss == "logistic2" else 0),
                                                          rel=1e-12)
    # the mpmath backend gives the same numbers
    xp = get_backend(30)
    gm = log_loss_value(xp.asarray(Q[:4]), xp.asarray(y[:4]), loss, xp)
    np.testing.assert_allclose([float(v) for v in gm], got[:4], rtol=1e-13)


def test_model_gradient_of_exponential_sum_loss_matches_finite_differences():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5, 3))
    y = np.array([1.0, -1.0, 1.0, 1.0, -1.0])
    model = Model(X, y, loss="exponential", reduction="sum")
    a = rng.standard_normal(4)
    W = rng.standard_normal((4, 3))
    ga, gW = gradient(model, a, W)
    step = 1e-6
    for j in range(4):
        e = np.zeros(4)
        e[j] = step
        fd = (total_loss(model, a + e, W) - total_loss(model, a - e, W)) / (2 * step)
        assert ga[j] == pytest.approx(fd, rel=1e-7)
        for k in range(3):
            E = np.zeros((4, 3))
            E[j, k] = step
            fd = (total_loss(model, a, W + E) - total_loss(model, a, W - E)) / (2 * step)
            assert gW[j, k] == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_classification_losses_need_pm1_labels():
    for loss in ("exponential", "logistic2"):
        with pytest.raises(ValueError, match=f"{loss} loss needs labels"):
            Model(np.eye(2), np.array([1.0, 0.5]), loss=loss)
        with pytest.raises(DatasetError, match=f"{loss} loss needs labels"):
            Dataset([[1.0]], [0.5], "x", "t", loss=loss)
    Model(np.eye(2), np.array([1.0, -1.0]), loss="exponential", reduction="sum")


def test_one_neuron_exponential_flow_follows_the_exponential_integral():
    """One balanced neuron w = v = rho along x = (1.5, 0), exp loss on one datum y = +1: f = rho^2 ||x|| obeys
    f' = 2 ||x|| f e^{-f}, i.e. Ei(f(t)) = Ei(f(0)) + 2 ||x|| t (scipy.special.expi, independent of the engine)."""
    xn = 1.5
    model = Model(np.array([[xn, 0.0]]), np.array([1.0]), loss="exponential", reduction="sum")
    rho0 = 0.2
    st = PolarState.from_cartesian(np.array([rho0]), np.array([[rho0, 0.0]]))
    T = 3.0
    tr = solve_flow(model, st, T, rtol=1e-12, kink="convention")
    f_T = float(tr.final.output(model)[0])
    f0 = rho0 ** 2 * xn
    assert expi(f_T) == pytest.approx(expi(f0) + 2 * xn * T, rel=1e-9)
    # the loss decreases and balancedness holds
    assert float(tr.final.loss(model)) < math.exp(-f0)
    assert abs(float(tr.final.balancedness_relative()[0])) < 1e-10
