"""min2024: Min, Mallada, Vidal, "Early neuron alignment in two-layer ReLU networks with small initialization" (ICLR
2024). Seed text ``seeds/001_1053144fae6e145d.txt``, claim catalog ``claims/claims_001.md``.

The parts: :mod:`.setting` (Eq. (2)-(5), Assumptions 1-2, the cones), :mod:`.lemma1` (App. B: Lemmas 1-4, Remark 4,
Lemma 10), :mod:`.conic` (App. C.1: Lemmas 5, 7, 8, 9, 11), :mod:`.constants` ((26)-(29), the eps choice: F1, F2,
F19, F22), :mod:`.alignment` (C.2: boundary push, monotone patterns, dwell times, cap avoidance), :mod:`.paths` (C.2:
travel time, t_1; F7, F8, F21), :mod:`.mu_dependence` (the mu-sweep; F3), :mod:`.theorem1` (Theorem 1 parts 1-2), :mod:`.convergence` (App. D.1-D.2: Lemmas 12-15, (34), (39)),
:mod:`.low_rank` (D.3; F13), :mod:`.refined` ((37), refined alignment F10, final signs), :mod:`.appendix_e` (App. E: (46), E.3, E.4, (50); F6, F16,
F17), :mod:`.findings` (F5, F9, F12, F14), :mod:`.remarks` (random init, centring F11), :mod:`.not_checkable`.
"""
from theory.claimset import in_paper_order

from . import (alignment, appendix_e, conic, constants, convergence, datasets, figures, findings, lemma1, low_rank,
               mu_dependence, not_checkable, paths, refined, remarks, setting, theorem1)
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, setting.claims, lemma1.claims, conic.claims, constants.claims, alignment.claims,
                        paths.claims, mu_dependence.claims, theorem1.claims, convergence.claims, low_rank.claims,
                        refined.claims, appendix_e.claims, findings.claims, remarks.claims, not_checkable.claims)
FIGURES = figures.FIGURES
DATASETS = datasets.DATASETS

__all__ = ["PAPER", "CLAIMS", "FIGURES", "DATASETS"]
