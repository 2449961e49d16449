"""boursier2022: Boursier, Pillaud-Vivien, Flammarion, "Gradient flow dynamics of shallow ReLU networks for square
loss and orthogonal inputs" (NeurIPS 2022), one module per part of the paper (theory/papers/README.md):

* :mod:`.paper` the result graph, :mod:`.datasets` the datasets and Assumptions 1-3, :mod:`.common` the shared
  instances, hypotheses and long flows;
* :mod:`.lemma1` balancedness; :mod:`.phase1` Lemmas 2, 7, 8 (iii), 9 and F-6; :mod:`.phase2` Lemma 3, F-1 and
  Fact 1; :mod:`.phase3` Lemmas 3 (i), 4, 11 (iv), 12; :mod:`.lemma6`; :mod:`.theorem1` Theorem 1, Lemma 5 on
  the trajectory and Theorem 2's rate; :mod:`.ball` Lemma 5's ball form and F-17; :mod:`.lemma13` Lemma 13 and
  F-8; :mod:`.closed_forms` Lemmas 14 and 16; :mod:`.prop1` Proposition 1 and F-5; :mod:`.prop2`;
  :mod:`.probability` Assumption 3's probability; :mod:`.findings` F-12, IC-3, F-13; :mod:`.not_checkable`;
* :mod:`.figures` Figures 2-5 and :mod:`.lambda_star` the IC-2 table.

On a user's dataset (``earlyalign check --paper boursier2022 --data FILE``, issue 12) every claim stated for orthonormal
data runs through its ``data_instances`` (built by :mod:`.common`'s ``user_settings`` / ``data_long_instances`` /
``data_limit_instances`` on the one data path): Assumptions 1-3, r > 1, eps admissible, the model settings and the
init (4) are evaluated on the data (NOT_APPLICABLE naming what fails), the file's m, seed, init, eps and lambda grid
are used (defaults m = 40, seed 0, eps = 0.05 where admissible, grids reaching the lemmas' regimes computed from the
data), the settings a claim does not use are listed, and the flows' cost is said before they start. Instance-specific
(no ``data_instances``): IC-3 (data without Assumption 3), F-1 (an eps admissible only under the printed alpha),
Lemma 14 / F-4 and Prop. 1 (a) / F-3 (counterexamples at given points), Lemma 16 (not about data), F-12 (non-unit
norms), F-13 (gradient descent), Prop. 2 (sigma'(0) on DS-D(iii)).
"""
from theory.claimset import in_paper_order

from . import (ball, closed_forms, datasets, figures, findings, lambda_star, lemma1, lemma6, lemma13,
               not_checkable, phase1, phase2, phase3, probability, prop1, prop2, theorem1)
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, not_checkable.claims, probability.claims, lemma1.claims, lemma6.claims,
                        phase1.claims, phase2.claims, phase3.claims, closed_forms.claims, prop1.claims,
                        lemma13.claims, ball.claims, theorem1.claims, findings.claims, prop2.claims)
FIGURES = figures.FIGURES + lambda_star.FIGURES
DATASETS = datasets.DATASETS

__all__ = ["PAPER", "CLAIMS", "FIGURES", "DATASETS"]
