"""boursier2024: Boursier, Flammarion, "Early alignment in two-layer networks training is a two-edged sword".
Seed text ``seeds/003_ca14e658bf765476.txt``, claim catalog ``claims/claims_003.md``.

The parts: :mod:`.assumptions` (Assumptions 1, 3-6), :mod:`.lemma8_box` (Lemma 8 over the box), :mod:`.extremal`
(Definition 1, Lemmas 2, 3, Condition 1), :mod:`.constants` (Lemmas 9-11), :mod:`.critical_points` (Lemmas 12,
14), :mod:`.balancedness` (Lemma 1 and the GD pitfall), :mod:`.alignment` (Theorems 1, 3, Lemmas 13, 15),
:mod:`.phase1`, :mod:`.phase2`, :mod:`.phase3` (Lemmas 4-7, 16-24, Corollary 1), :mod:`.limit` (Theorems 2, 4,
Lemma 7 and the findings on them), :mod:`.not_checkable`; :mod:`.figures` (Figures 1, 2 as flows).

A user's dataset (``earlyalign check --paper boursier2024 --data FILE``): every claim stated for a class of datasets
declares ``data_instances`` (built by :mod:`.common`'s ``data_*_instances`` on the one data path,
``Instance.from_dataset``); the paper's assumptions are evaluated on the data as hypotheses (the lemmas of App. F in
their general versions: Lemma 4 under Assumption 4, Lemmas 5-6 under Assumptions 4-5, phase 3, Lemma 7 and Theorem 4
under Assumptions 4-6), the file's settings (m, seed, init, eps, lambda, T) are used where the claim has them and
listed as not used where it has not, and the model settings the paper fixes (ReLU, 1/2 square loss, mean) are a
hypothesis naming the value that differs. Instance-specific: Assumption 1 as printed for MSELoss (F12), Lemma 8 over
the whole box (worst case, step (b), step (a)) and F23 (gradient descent against the engine).
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
