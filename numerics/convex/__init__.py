"""Convex programs behind the papers' limit objects (cvxpy + Clarabel, exact polishing).

Conventions (:mod:`numerics.network`): data X (n, d) with rows x_k, labels y (n,);
h_theta(x) = sum_j a_j sigma(<w_j, x>), sigma(z) = max(z, gamma z), gamma in [0, 1]
(lyu2021 calls the slope alpha); no biases (append a constant coordinate);
||theta||^2 = sum_j a_j^2 + ||W||_F^2.

What is computed, with the paper quantity it stands for, and the module that holds it:

* :mod:`~numerics.convex.svm` -- :func:`svm_hard_margin`, the max-margin linear separator
  w*, gamma_{w*} (lyu2021 Def. 3.3; catalog 002 E03): min 1/2||w||^2 s.t. y_k <w, x_k> >= 1;
  :func:`polish_svm` re-solves its KKT system exactly on the support set;
  :func:`separability_certificate` proves non-separability (catalog 002 E02).
* :mod:`~numerics.convex.least_squares` -- :func:`min_norm_least_squares` / :func:`ols`:
  beta* = X^+ y and the OLS estimator (X^T X)^{-1} X^T y with its loss
  L(beta*) = 1/(2n)||X beta* - y||^2 (boursier2024 Thm 2 and l.1766: the spurious stationary point).
* :mod:`~numerics.convex.reformulation` -- the exact convex reformulation of two-layer (leaky)
  ReLU training over activation patterns (Pilanci & Ergen, ICML 2020, extended to leaky ReLU),
  with the network recovered: :func:`min_norm_interpolator`, min 1/2||theta||^2 over networks of
  any width with h(x_k) = y_k (boursier2022 problem (34), Eq. (8); catalog 004 P1, L12, E8), and
  :func:`max_margin_network`, val(P) = min 1/2||theta||^2 s.t. y_k h(x_k) >= 1 and the global max
  normalised margin gamma_max = 1/(2 val(P)) (lyu2021 problems (M), (P), l.224-253, and Thm 4.2;
  catalog 002 E04, E06).
* :mod:`~numerics.convex.kkt` -- :func:`kkt_margin_residual`, the KKT-margin test of a given
  direction (Lyu & Li 2020; lyu2021 Defs. B.6-B.8; catalog 002 E37).
* :mod:`~numerics.convex.solver` -- the shared plumbing: ``DEFAULT_SOLVER`` (Clarabel, always
  passed explicitly), :class:`ConvexSolverError` / :class:`InfeasibleProblemError` (cvxpy's status
  and message and the raw solver status), the base :class:`ConvexResult`;
  :mod:`~numerics.convex.data` -- float64 / exact rational views of the data.

:func:`normalized_margin` (q_min/||theta||^2) lives in :mod:`numerics.network` and is re-exported here.
"""
from ..network import normalized_margin
from .kkt import KKTResult, kkt_margin_residual
from .least_squares import LeastSquaresResult, min_norm_least_squares, ols
from .reformulation import POLISH_OPTS_CLARABEL, NetworkConvexResult, max_margin_network, min_norm_interpolator
from .solver import DEFAULT_SOLVER, ConvexResult, ConvexSolverError, InfeasibleProblemError
from .svm import SVMPolish, SVMResult, polish_svm, separability_certificate, svm_hard_margin

__all__ = [
    "DEFAULT_SOLVER",
    "ConvexSolverError",
    "InfeasibleProblemError",
    "ConvexResult",
    "SVMResult",
    "SVMPolish",
    "LeastSquaresResult",
    "NetworkConvexResult",
    "KKTResult",
    "svm_hard_margin",
    "separability_certificate",
    "polish_svm",
    "min_norm_least_squares",
    "ols",
    "min_norm_interpolator",
    "max_margin_network",
    "normalized_margin",
    "kkt_margin_residual",
    "POLISH_OPTS_CLARABEL",
]
