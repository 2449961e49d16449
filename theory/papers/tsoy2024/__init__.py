"""tsoy2024: Tsoy & Konstantinov, "Simplicity bias of two-layer networks beyond linearly separable data" (ICML 2024).
Seed text ``seeds/000_04b3009b2a6b214d.txt``, claim catalog ``claims/claims_000.md``.

Parts, by the paper's structure: :mod:`.phase1` (§3-4.1, App. B.1), :mod:`.appendix_b` (App. B: Prop. B.2, Remarks
B.3-B.7, Prop. B.5, Lemma B.6, the coupling exponents), :mod:`.phase2` (§4.2, App. C), :mod:`.extrema` (§5.1-5.2:
Assumption 5.1, Lemma 5.2), :mod:`.lemma5_3` (Lemma 5.3 and the capture probabilities), :mod:`.prop5_7` (§5.4.1 and
App. D.3: Lemma D.1, Prop. D.2, Prop. 5.7), :mod:`.max_margin` (§5.3-5.4: Assumption 5.4, Lemma 5.5, Theorem 5.6,
Prop. 5.8), :mod:`.findings`, :mod:`.section7` (§7 and its CPU analogue), :mod:`.not_checkable`; shared runs in
:mod:`.common`, the data in :mod:`.datasets`, the figures in :mod:`.figures`.
"""
from theory.claimset import in_paper_order

from . import (appendix_b, datasets, extrema, figures, lemma5_3, max_margin, not_checkable, phase1, phase2,
               prop5_7, section7)
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, phase1.claims, appendix_b.claims, phase2.claims,
                        extrema.claims, lemma5_3.claims, prop5_7.claims,
                        max_margin.claims, section7.claims, not_checkable.claims)
FIGURES = figures.FIGURES + section7.FIGURES
DATASETS = datasets.DATASETS

__all__ = ["PAPER", "CLAIMS", "FIGURES", "DATASETS"]
