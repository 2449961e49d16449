"""Full-batch gradient DESCENT, for comparison with the gradient flow (numerics.flows).

Not the papers' dynamics: the papers analyse the flow d theta/dt = -grad L. The authors' figures are GD runs
(torch SGD on MSELoss(mean) = 2L with learning rate eta_code, i.e. theta <- theta - 2 eta_code grad L); the
step ``dt`` here is the flow-time step, dt = 2 eta_code (numerics.conventions). GD breaks the flow's invariants
at O(dt) (balancedness, boursier2022 Lemma 1) and biases the limit at O(dt^2) (catalog 004 F-13), and with a large
step can flip an output weight's sign (catalog 003).
"""
from __future__ import annotations

import numpy as np

from numerics.network import Model, gradient, total_loss

__all__ = ["gradient_descent"]


def gradient_descent(model: Model, a, W, dt: float, T: float, tol_loss: float = 0.0, stop_on_flip: bool = False):
    """theta <- theta - dt grad L (numerics.network.gradient, the model's sigma'(0)) for round(T/dt) steps, or until
    L <= tol_loss. Returns ``(a, W, info)`` with info: steps taken, final loss, and the first (step, neuron) where
    an output weight changed sign (None if none did)."""
    a = np.array(a, dtype=float, copy=True)
    W = np.array(W, dtype=float, copy=True)
    s0 = np.sign(a)
    flip = None
    steps = int(round(T / dt))
    k = 0
    for k in range(1, steps + 1):
        ga, gW = gradient(model, a, W)
        a -= dt * ga
        W -= dt * gW
        if flip is None and np.any((np.sign(a) != s0) & (s0 != 0)):
            flip = (k, int(np.flatnonzero((np.sign(a) != s0) & (s0 != 0))[0]))
            if stop_on_flip:
                break
        if tol_loss and k % 100 == 0 and float(total_loss(model, a, W)) <= tol_loss:
            break
    return a, W, {"steps": k, "loss": float(total_loss(model, a, W)), "flip": flip}
