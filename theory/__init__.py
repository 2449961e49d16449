"""What the papers claim: the claim model (:mod:`theory.claims`), the registry of paper modules
(:mod:`theory.registry`) and one module per paper (:mod:`theory.papers`).

Notebook use::

    from theory import registry
    claim = registry.get_claim("boursier2022.lemma2.i")
    ev = claim.evaluate(claim.instances("fast")[0])   # Evidence: status, slack, witness, grid, mutant
"""
from .claims import (KINDS, Claim, Evidence, Figure, Hypothesis, Instance, Knob, Measurement, Mutant,
                     NeedsPrecision, Paper, Result, Status, aggregate_status)

__all__ = ["KINDS", "Claim", "Evidence", "Figure", "Hypothesis", "Instance", "Knob", "Measurement", "Mutant",
           "NeedsPrecision", "Paper", "Result", "Status", "aggregate_status"]
