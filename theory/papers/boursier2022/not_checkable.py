"""boursier2022 results registered as not numerically checkable, each with the reason the report shows (and where
the checkable part of it lives)."""
from __future__ import annotations

from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG)

claims.not_checkable(
    "assumption1", "Assumption 1", "§2.1, l.161", result="assumption1", catalog_ref="A1",
    reason="a hypothesis, not a claim: evaluated as the named hypothesis 'Assumption 1' on every instance "
           "(NOT_APPLICABLE when it fails)")
claims.not_checkable(
    "assumption2", "Assumption 2", "§2.1, l.166", result="assumption2", catalog_ref="A2",
    reason="a hypothesis, evaluated exactly (rationals) on every instance as 'Assumption 2'")
claims.not_checkable(
    "assumption3", "Assumption 3", "§2.1, l.293", result="assumption3", catalog_ref="A3, DC-8",
    reason="a hypothesis, evaluated on the draw as 'Assumption 3'; its probability over the init is "
           "boursier2022.a3.probability (DC-8 vs Monte Carlo) and the width rule boursier2022.a3.width")
claims.not_checkable(
    "ic2", "IC-2 (lambda* = Theta(1)/sqrt(m) e^{-Theta(n)})", "§3.2, l.469-483", result="theorem1",
    catalog_ref="IC-2, F-10",
    reason="a Theta(.) remark with unspecified constants, and the empirical lambda* depends on the draw (F-10): "
           "measured as a table, `earlyalign reproduce boursier2022.lambda_star` (median lambda*_emp over A3 draws "
           "vs n, m, with the fitted exponents)")
claims.not_checkable(
    "theorem1.as", "Theorem 1 ('almost surely' over the init)", "§3.1, l.309", result="theorem1",
    catalog_ref="T1, F-10",
    reason="probabilistic over the draw and lambda* depends on the draw (F-10): only fixed seeded draws are checked")
