"""tsoy2024 (ICML 2024): the paper's package (theory/papers/README.md). Claims are not encoded yet; the datasets and
validators are."""
from . import datasets
from .paper import PAPER

CLAIMS: list = []
FIGURES: list = []
DATASETS = datasets.DATASETS

__all__ = ["PAPER", "CLAIMS", "FIGURES", "DATASETS"]
