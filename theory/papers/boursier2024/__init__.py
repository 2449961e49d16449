"""boursier2024: Boursier, Flammarion, "Early alignment in two-layer networks training is a two-edged sword".
Seed text ``seeds/003_ca14e658bf765476.txt``, claim catalog ``claims/claims_003.md``.

The parts: :mod:`.assumptions` (Assumptions 1, 3-6), :mod:`.lemma8_box` (Lemma 8 over the box), :mod:`.extremal`
(Definition 1, Lemmas 2, 3, Condition 1), :mod:`.constants` (Lemmas 9-11), :mod:`.critical_points` (Lemmas 12,
14), :mod:`.balancedness` (Lemma 1 and the GD pitfall), :mod:`.alignment` (Theorems 1, 3, Lemmas 13, 15),
:mod:`.phase1`, :mod:`.phase2`, :mod:`.phase3` (Lemmas 4-7, 16-24, Corollary 1), :mod:`.limit` (Theorems 2, 4,
Lemma 7 and the findings on them), :mod:`.not_checkable`; :mod:`.figures` (Figures 1, 2 as flows).
"""
from theory.claimset import in_paper_order

from . import (alignment, assumptions, balancedness, constants, critical_points, datasets, extremal, figures,
               lemma8_box, limit, not_checkable, phase1, phase2, phase3)
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, assumptions.claims, lemma8_box.claims, extremal.claims, constants.claims,
                        critical_points.claims, balancedness.claims, alignment.claims, phase1.claims, phase2.claims,
                        phase3.claims, limit.claims, not_checkable.claims)
FIGURES = figures.FIGURES
DATASETS = datasets.DATASETS
