"""min2024: H. Min, E. Mallada, R. Vidal, "Early neuron alignment in two-layer ReLU networks with small initialization" (ICLR 2024). Seed text ``seeds/001_1053144fae6e145d.txt``, claim catalog ``claims/claims_001.md``.

The result graph and the claims are the subject of their own issue; this package holds the paper's datasets and
validators (moved out of ``numerics``) so far.
"""
from __future__ import annotations

from theory.paper import Paper

KEY = "min2024"
CATALOG = "claims_001.md"

PAPER = Paper(
    key=KEY,
    title="Early neuron alignment in two-layer ReLU networks with small initialization",
    authors="H. Min, E. Mallada, R. Vidal",
    venue="ICLR 2024",
    source="seeds/001_1053144fae6e145d.txt",
    catalog="claims/claims_001.md",
    order=1,
    results=[],
)
