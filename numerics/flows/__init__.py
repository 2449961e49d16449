"""Gradient FLOW of two-layer (leaky) ReLU networks, in float64 or mpmath, with kinks handled.

Coordinates (neuron-wise log-polar). Each neuron theta_j = (a_j, w_j) in R^{1+d} is written
theta_j = e^{r_j} v_j with ||v_j|| = 1. Because h is 2-homogeneous and each neuron's velocity is
1-homogeneous in theta_j (for a fixed residual), the flow d theta/dt = -grad L becomes

    F_j(v)  = ( -sum_k c_k sigma(<v_w, x_k>),  -v_a sum_k c_k eta_jk x_k ),   c_k = w ell'(h_k, y_k),
    r_j'    = <v_j, F_j(v_j)>,        v_j' = F_j(v_j) - r_j' v_j,
    h_k     = sum_j e^{2 r_j} v_aj sigma(<v_wj, x_k>),

(boursier2022 Eq. (9) is the balanced special case with rho_j = r_j - ln sqrt 2). lambda enters
only through r_j(0) = ln lambda + O(1), so lambda = 1e-300 or e^{-10^4} costs the same as 1e-3.
Kinks: between activation switches the field is smooth; every switch z_jk = <w_j, x_k> = 0 is
located as an event and resolved by Filippov sliding (``kink="filippov"``, the small-step limit of
gradient descent, boursier2024 Eq. (6)) or by the fixed sigma'(0) (``kink="convention"``, the
classical ODE of boursier2022 App. D / Prop. 2).

The package is split by role, in the manner of scipy's ``integrate._ivp``:

* :mod:`~numerics.flows.state` - :class:`PolarState` (theta_j = e^{r_j} v_j and the paper
  quantities read off it) and :func:`balanced_gaussian_state` (boursier2022 Eq. (4));
* :mod:`~numerics.flows.field` - the smooth field of one frozen activation pattern (``Mode``,
  ``Field``, :func:`frozen_pattern_field`), Filippov projectors included;
* :mod:`~numerics.flows.kinks` - event functions and the classification of a switch (crossing /
  sliding / exit, or the sigma'(0) convention), recorded as :class:`KinkEvent`;
* :mod:`~numerics.flows.gbs` - the Gragg-Bulirsch-Stoer extrapolation integrator (float64 and
  mpmath) and the Illinois root finder that locates events;
* :mod:`~numerics.flows.trajectory` - the result, :class:`Trajectory`, and the ``STATUS`` codes;
* :mod:`~numerics.flows.driver` - the loop, :func:`solve_flow`.
"""
from .driver import solve_flow
from .field import frozen_pattern_field
from .kinks import KinkEvent
from .state import PolarState, balanced_gaussian_state
from .trajectory import STATUS, Trajectory

__all__ = ["PolarState", "balanced_gaussian_state", "solve_flow", "Trajectory", "KinkEvent", "frozen_pattern_field",
           "STATUS"]
