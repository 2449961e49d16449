"""tsoy2024: N. Tsoy, N. Konstantinov, "Simplicity bias of two-layer networks beyond linearly separable data" (ICML 2024). Seed text ``seeds/000_04b3009b2a6b214d.txt``, claim catalog ``claims/claims_000.md``.

The result graph and the claims are the subject of their own issue; this package holds the paper's datasets and
validators (moved out of ``numerics``) so far.
"""
from __future__ import annotations

from theory.paper import Paper

KEY = "tsoy2024"
CATALOG = "claims_000.md"

PAPER = Paper(
    key=KEY,
    title="Simplicity bias of two-layer networks beyond linearly separable data",
    authors="N. Tsoy, N. Konstantinov",
    venue="ICML 2024",
    source="seeds/000_04b3009b2a6b214d.txt",
    catalog="claims/claims_000.md",
    order=0,
    results=[],
)
