"""boursier2024, the results registered as not numerically checkable, each with the reason the report shows."""
from __future__ import annotations

from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG)

claims.not_checkable(
    "assumption2", "Assumption 2 (data drawn from a density)", "§3, l.117",
    reason="a probabilistic assumption on how the data were drawn, not a property of a fixed dataset; what the "
           "proofs use of it is evaluated on every instance: Lemma 2 (ii) (linear independence, the hypothesis "
           "'Assumption 2 through Lemma 2 (ii)'), Lemma 2 (i) (no D_u on a cone boundary, for Lemmas 9-10), and "
           "Lemmas 9-11 are claims of their own",
    result="assumption2", catalog_ref="E05")
claims.not_checkable(
    "condition2", "Condition 2 (2) (no spontaneous exit from a manifold)", "App. E, l.1223-1230",
    reason="point (2) selects among the non-unique solutions of the inclusion (2): it is a property of the solution "
           "concept, satisfied by construction by the Filippov/min-norm engine (numerics.flows); point (1) is the "
           "selection used in boursier2024.theorem3.ii",
    result="condition2", catalog_ref="E39, E41")
claims.not_checkable(
    "remark3", "Remark 3 (eta < 1/6 is not tight)", "l.256",
    reason="an empirical remark without a quantitative statement; DS-S6 (outside Assumptions 3 and 5) converging to "
           "its OLS line is shown by the reproduced Figure 2 (boursier2024.fig2) and DS-V (Assumption 5 false) by "
           "boursier2024.theorem2.width; §5's unbalanced-init remark is checked as boursier2024.finding.F22",
    result="theorem2", catalog_ref="E17, E24, F29")
