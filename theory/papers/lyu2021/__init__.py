"""lyu2021: Lyu, Li, Wang, Arora, "Gradient Descent on Two-layer Nets: Margin Maximization and Simplicity
Bias" (NeurIPS 2021). Seed text ``seeds/002_*.txt``, claim catalog ``claims/claims_002.md`` (entries cited
as "catalog E06", findings as "F1", ...).

Parts, by the paper's structure: :mod:`.section4` (§3-4: Definition 3.3, Theorems 3.1, 4.2, 4.3, Corollary
4.4), :mod:`.phase1` (§5.1 and App. D), :mod:`.phase2` (§5.2 and App. E.3), :mod:`.appendix_e` (App. E.1-E.2,
E.10), :mod:`.appendix_f` (§5.3 and App. F), :mod:`.section6` (§6), :mod:`.appendix_a` (App. A and G),
:mod:`.appendix_b` (App. B.1-B.3, B.5), :mod:`.appendix_b4` (App. B.4, the flow invariants), :mod:`.appendix_h`,
:mod:`.not_checkable`; shared runs in :mod:`.common`, the data in :mod:`.datasets`, the figures in :mod:`.figures`.
Claims stated for a class of datasets also run on a user's data (``earlyalign --data``, their ``data_instances``).
"""
from theory.claimset import in_paper_order

from . import (appendix_a, appendix_b, appendix_b4, appendix_e, appendix_f, appendix_h, datasets, figures,
               not_checkable, phase1, phase2, section4, section6)
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, section4.claims, phase1.claims, phase2.claims, appendix_e.claims, appendix_b.claims,
                        appendix_b4.claims, appendix_f.claims, section6.claims, appendix_a.claims, appendix_h.claims,
                        not_checkable.claims)
FIGURES = figures.FIGURES
DATASETS = datasets.DATASETS
