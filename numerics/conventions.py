"""Time conventions between the papers' gradient flow and the authors' gradient-descent code.

The papers' loss is L = (1/2n) sum_k (h(x_k) - y_k)^2 and their gradient flow is d theta/dt = -grad L.
The authors' published code (boursier2022 ``training_dynamics.ipynb``, boursier2024 experiments) trains
with ``torch.nn.MSELoss(reduction='mean')`` = (1/n) sum_k (h - y)^2 = 2 L. Gradient descent with learning
rate eta on 2 L moves by 2 eta grad L per step, i.e. it follows the flow of L with time step 2 eta:

    t (flow time, paper units) = 2 * eta * k (GD iterations).

Reproduced figures plot both the flow time and the equivalent GD iteration, and the code's loss 2 L
when the paper's figure shows it (catalog claims_004 §3, "global reproduction note").
"""
from __future__ import annotations

__all__ = ["flow_time_from_gd", "gd_iterations_from_flow", "TORCH_MSE_MEAN_NOTE"]

TORCH_MSE_MEAN_NOTE = ("gradient FLOW of the paper's loss L = (1/2n) sum (h - y)^2; GD-iteration axis = t / (2 eta) "
                       "(authors' torch MSELoss(reduction='mean') = 2L, learning rate eta); plotted loss = 2L (code)")


def flow_time_from_gd(iterations, eta: float, mse_mean: bool = True):
    """Flow time of ``iterations`` GD steps of size ``eta``: 2 eta k on torch's MSE-mean loss (= 2 L),
    eta k when GD runs on the paper's L itself (``mse_mean=False``)."""
    return (2.0 if mse_mean else 1.0) * eta * iterations


def gd_iterations_from_flow(t, eta: float, mse_mean: bool = True):
    """Inverse of :func:`flow_time_from_gd`."""
    return t / ((2.0 if mse_mean else 1.0) * eta)
