"""min2024: Min, Mallada, Vidal, "Early neuron alignment in two-layer ReLU networks with small initialization" (ICLR
2024). Seed text ``seeds/001_1053144fae6e145d.txt``, claim catalog ``claims/claims_001.md``.

The parts: :mod:`.theorem1` (Theorem 1, parts 1 and 2).
"""
from theory.claimset import in_paper_order

from . import conic, datasets, lemma1, setting, theorem1
from .paper import PAPER

CLAIMS = in_paper_order(PAPER, setting.claims, lemma1.claims, conic.claims, theorem1.claims)
FIGURES: list = []
DATASETS = datasets.DATASETS

__all__ = ["PAPER", "CLAIMS", "FIGURES", "DATASETS"]
