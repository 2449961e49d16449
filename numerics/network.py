"""Two-layer (leaky) ReLU network, its losses, gradients and initialisations.

Notation (common to the five papers; see each catalog in shared/claims):

* data ``X`` of shape (n, d) (rows x_k), labels ``y`` of shape (n,);
* parameters theta = (a, W): output weights ``a`` (m,), hidden weights ``W`` (m, d), rows w_j;
* h_theta(x) = sum_j a_j sigma(<w_j, x>), sigma(z) = max(z, gamma z), gamma in [0, 1]
  (gamma = 0 is ReLU; lyu2021 calls the slope alpha);
* L(theta) = (1/n) sum_k ell(h_theta(x_k), y_k) with ell the square loss 1/2 (yhat - y)^2
  (boursier2022 Eq. (1), boursier2024 Eq. (10)), the logistic loss ln(1 + e^{-y yhat}) (lyu2021 Eq. (1),
  min2024 l.105), the exponential loss e^{-y yhat} (min2024 l.104) or the doubled logistic loss
  2 ln(1 + e^{-y yhat}) (``"logistic2"``, min2024 App. B l.1068, the scaling its Lemma 2 needs);
  ``reduction="sum"`` drops the 1/n (min2024's L is a sum over the data, l.100).
* sigma'(z) = 1 for z > 0, gamma for z < 0, and ``sigma_prime_zero`` at z = 0
  (default 0 for ReLU, i.e. 1_{z>0}, the convention of boursier2022 App. D / Prop. 2).

All functions accept float64 arrays or mpmath object arrays (see :mod:`numerics.backend`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .backend import Backend, get_backend

__all__ = [
    "margins",
    "normalized_margin",
    "Model",
    "sigma",
    "sigma_prime",
    "forward",
    "preactivations",
    "activation_pattern",
    "loss_value",
    "log_loss_value",
    "loss_derivative",
    "LOSSES",
    "CLASSIFICATION_LOSSES",
    "gradient",
    "balancedness",
    "init_balanced_gaussian",
    "init_mean_field",
    "init_gaussian",
    "init_gaussian_balanced",
]

LOSSES = ("square", "logistic", "exponential", "logistic2")
#: the losses of a binary classifier (labels in {-1, +1})
CLASSIFICATION_LOSSES = ("logistic", "exponential", "logistic2")


@dataclass(frozen=True)
class Model:
    """A learning problem: data, activation slope and loss.

    ``gamma`` is the leaky slope (0 = ReLU). ``loss`` is one of :data:`LOSSES` (``"square"``,
    ``"logistic"``, ``"exponential"``, ``"logistic2"``).
    ``reduction`` is ``"mean"`` (the papers' 1/n) or ``"sum"``.
    ``sigma_prime_zero`` is the value used for sigma'(0) at an isolated zero (not sliding).
    """

    X: np.ndarray
    y: np.ndarray
    gamma: float = 0.0
    loss: str = "square"
    reduction: str = "mean"
    sigma_prime_zero: float = 0.0
    meta: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        X = np.asarray(self.X, dtype=float) if np.asarray(self.X).dtype != object else np.asarray(self.X)
        y = np.asarray(self.y, dtype=float) if np.asarray(self.y).dtype != object else np.asarray(self.y)
        if X.ndim != 2:
            raise ValueError(f"X must be a 2-D array (n, d); got shape {X.shape}")
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have shape (n,) = ({X.shape[0]},); got {y.shape}")
        if not (0.0 <= float(self.gamma) <= 1.0):
            raise ValueError(f"leaky slope gamma must lie in [0, 1]; got {self.gamma}")
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}; got {self.loss!r}")
        if self.reduction not in ("mean", "sum"):
            raise ValueError(f"reduction must be 'mean' or 'sum'; got {self.reduction!r}")
        if self.loss in CLASSIFICATION_LOSSES and X.dtype != object and not np.all(np.isin(y, (-1.0, 1.0))):
            raise ValueError(f"{self.loss} loss needs labels in {{-1, +1}}")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    @property
    def weight(self) -> float:
        """The normalisation 1/n (mean) or 1 (sum) in front of the sum over data."""
        return 1.0 / self.n if self.reduction == "mean" else 1.0

    def data(self, xp: Backend):
        """(X, y) converted to the backend's number type."""
        return xp.asarray(self.X), xp.asarray(self.y)


def sigma(z, gamma=0.0):
    """Leaky ReLU sigma(z) = max(z, gamma z) (works on object arrays)."""
    return np.where(z > 0, z, z * gamma)


def sigma_prime(z, gamma=0.0, at_zero=0.0):
    """Derivative 1 (z > 0), gamma (z < 0), ``at_zero`` (z == 0)."""
    return np.where(z > 0, 1.0, np.where(z < 0, gamma, at_zero))


def preactivations(W, X):
    """z_jk = <w_j, x_k>, shape (m, n)."""
    return W @ X.T


def activation_pattern(W, X):
    """A(w_j) = (1_{<w_j, x_k> > 0})_k for every neuron: boolean (m, n) (boursier2022 l.237)."""
    return np.asarray(preactivations(W, X) > 0, dtype=bool)


def forward(a, W, X, gamma=0.0):
    """h_theta(x_k) for every row of X, shape (n,)."""
    return a @ sigma(preactivations(W, X), gamma)


def margins(X, y, a, W, gamma=0.0) -> np.ndarray:
    """q_k(theta) = y_k h_theta(x_k), the margins of the data points (lyu2021 l.206)."""
    return np.asarray(y, dtype=float) * forward(np.asarray(a, dtype=float), np.asarray(W, dtype=float),
                                                np.asarray(X, dtype=float), gamma)


def normalized_margin(X, y, a, W, gamma=0.0) -> float:
    """gamma(theta) = q_min(theta)/||theta||_2^2, the normalised margin of a two-layer net (lyu2021 l.209-222,
    homogeneity L = 2); ``gamma`` is the leaky slope (lyu2021's alpha)."""
    a, W = np.asarray(a, dtype=float), np.asarray(W, dtype=float)
    return float(np.min(margins(X, y, a, W, gamma)) / (a @ a + np.sum(W * W)))


def loss_value(h, y, loss="square", xp: Backend | None = None):
    """Per-sample loss ell(h_k, y_k): square 1/2 (h - y)^2; logistic ln(1 + e^{-y h}) (stable log1pexp form);
    logistic2 2 ln(1 + e^{-y h}) (min2024 App. B, l.1068); exponential e^{-y h} (min2024 l.104).

    The exponential loss underflows to 0 in float64 for margins y h > 745 and overflows for y h < -709 (it is
    exact in mpmath): where a claim needs the loss at such margins, use :func:`log_loss_value`.
    """
    xp = xp or get_backend("float64")
    if loss == "square":
        return (h - y) ** 2 / 2
    if loss == "exponential":
        return xp.exp(-(y * h))
    if loss == "logistic2":
        return 2 * xp.log1pexp(-(y * h))
    return xp.log1pexp(-(y * h))


def log_loss_value(h, y, loss="exponential", xp: Backend | None = None):
    """ln ell(h_k, y_k), finite at every margin q = y h (float64 and mpmath): exponential -q exactly; logistic
    ln ln(1 + e^{-q}) evaluated as -q + ln(1 - e^{-q}/2 + ...) through log1p for q > 0 (no underflow for
    q up to ~1e308); logistic2 adds ln 2. Square loss: 2 ln|h - y| - ln 2 (-inf at a perfect fit)."""
    xp = xp or get_backend("float64")
    if loss == "square":
        return 2 * xp.log(abs(h - y)) - xp.log(xp.asarray(2.0))
    q = y * h
    if loss == "exponential":
        return -q
    if xp.name == "float64":
        q = np.asarray(q, dtype=float)
        e = np.exp(-np.abs(q))
        # q > 0: ln(log1p(e^{-q})) = -q + ln(log1p(e)/e); q <= 0: ln(log1pexp(-q)) directly
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ratio = np.where(e > 0, np.log1p(e) / np.where(e > 0, e, 1.0), 1.0)
            out = np.where(q > 0, -q + np.log(ratio), np.log(np.logaddexp(0.0, -q)))
    else:
        c = xp.ctx

        def f(v):
            return c.log(c.log1p(c.exp(-v)))

        out = np.frompyfunc(f, 1, 1)(q)
    if loss == "logistic2":
        out = out + xp.log(xp.asarray(2.0))
    return out


def loss_derivative(h, y, loss="square", xp: Backend | None = None):
    """d ell / d h at (h_k, y_k): square h - y; logistic -y / (1 + e^{y h}) in a stable form; logistic2 twice
    that; exponential -y e^{-y h}.

    The logistic form uses the sigmoid, not 1 - sigmoid, so it does not underflow to 0 at q ~ 37
    (DESIGN.md: a naive derivative fakes convergence); the exponential derivative is -y times the loss value,
    accurate to the last bit wherever the value is representable.
    """
    xp = xp or get_backend("float64")
    if loss == "square":
        return h - y
    if loss == "exponential":
        return -y * xp.exp(-(y * h))
    if loss == "logistic2":
        return -2 * y * xp.expit(-(y * h))
    return -y * xp.expit(-(y * h))


def total_loss(model: Model, a, W, xp: Backend | None = None):
    """L(theta) = weight * sum_k ell(h(x_k), y_k)."""
    xp = xp or get_backend("float64")
    X, y = model.data(xp)
    h = forward(a, W, X, model.gamma)
    return model.weight * np.sum(loss_value(h, y, model.loss, xp))


def gradient(model: Model, a, W, xp: Backend | None = None, eta=None):
    """Exact gradient (dL/da, dL/dW) of L at theta = (a, W).

    dL/da_j = w * sum_k ell'_k sigma(z_jk), dL/dw_j = w * a_j sum_k ell'_k eta_jk x_k with
    eta_jk = sigma'(z_jk) unless an explicit (m, n) array ``eta`` of generalised derivatives
    is given (a Clarke subgradient at kinks).
    """
    xp = xp or get_backend("float64")
    X, y = model.data(xp)
    Z = preactivations(W, X)
    h = a @ sigma(Z, model.gamma)
    c = loss_derivative(h, y, model.loss, xp) * model.weight
    if eta is None:
        eta = sigma_prime(Z, model.gamma, model.sigma_prime_zero)
    ga = sigma(Z, model.gamma) @ c
    gW = a[:, None] * ((eta * c[None, :]) @ X)
    return ga, gW


def balancedness(a, W):
    """a_j^2 - ||w_j||^2 per neuron: conserved by the gradient flow (boursier2022 Lemma 1)."""
    return a * a - np.sum(W * W, axis=1)


# --------------------------------------------------------------------------- initialisations


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def init_balanced_gaussian(m, d, lam, seed=0):
    """Balanced Gaussian init, boursier2022 Eq. (4): w_j = lam g_j, g_j ~ N(0, I_d), a_j = s_j ||w_j||.

    Draw order (fixed, catalog 004 §1.3): g = rng.standard_normal((m, d)), then
    s = rng.choice([-1, 1], size=m). ``lam`` may be an mpf far below float64 range: then
    use :func:`init_balanced_gaussian_logpolar` instead. Returns (a, W, info) with info
    holding g and s.
    """
    rng = _rng(seed)
    g = rng.standard_normal((m, d))
    s = rng.choice([-1.0, 1.0], size=m)
    W = lam * g
    a = s * np.sqrt(np.sum(W * W, axis=1))
    return a, W, {"g": g, "s": s, "lam": lam}


def init_mean_field(m, d, lam, seed=0, scheme="sphere-sign"):
    """boursier2024 Eq. (3)-(5): (a_j, w_j) = (lam/sqrt(m)) (a~_j, w~_j) with |a~_j| >= ||w~_j||.

    ``scheme="sphere-sign"`` is the paper's example: a~_j uniform in {-1, +1}, w~_j uniform in
    the unit ball (dominated init); ``scheme="balanced"``: w~_j ~ N(0, I_d), a~_j = s_j ||w~_j||
    (perfectly balanced, the authors' code ``init='balanced'``). Returns (a, W, info).
    """
    rng = _rng(seed)
    if scheme == "sphere-sign":
        g = rng.standard_normal((m, d))
        r = rng.uniform(size=m) ** (1.0 / d)
        wt = g / np.linalg.norm(g, axis=1, keepdims=True) * r[:, None]
        at = rng.choice([-1.0, 1.0], size=m)
    elif scheme == "balanced":
        wt = rng.standard_normal((m, d))
        at = rng.choice([-1.0, 1.0], size=m) * np.linalg.norm(wt, axis=1)
    else:
        raise ValueError(f"unknown scheme {scheme!r}")
    f = lam / np.sqrt(m)
    return f * at, f * wt, {"a_tilde": at, "w_tilde": wt, "lam": lam}


def init_gaussian(m, d, sigma_init, c_a=1.0, seed=0):
    """lyu2021 D_init(sigma): w_k ~ N(0, sigma^2 I_d), a_k ~ N(0, c_a^2 sigma^2), i.i.d."""
    rng = _rng(seed)
    W = sigma_init * rng.standard_normal((m, d))
    a = c_a * sigma_init * rng.standard_normal(m)
    return a, W, {"sigma": sigma_init, "c_a": c_a}


def init_gaussian_balanced(m, d, sigma_init, seed=0):
    """lyu2021 balanced D~_init(sigma): w_k ~ N(0, sigma^2 I), a_k = s_k ||w_k||, s_k ~ unif{+-1}."""
    return init_balanced_gaussian(m, d, sigma_init, seed)
