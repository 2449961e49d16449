"""lyu2021's numbered results registered as not numerically checkable, each with the reason: the hypotheses
(evaluated on every instance by :func:`theory.papers.lyu2021.datasets.validate` instead), the qualitative
assumptions (non-branching flows) and the cited Kurdyka-Lojasiewicz machinery of App. F.2.
"""
from __future__ import annotations

from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG)

#: the reason of a hypothesis of the paper
HYPOTHESIS = "a hypothesis, not a claim: evaluated by theory.papers.lyu2021.datasets.validate as the named " \
             "hypothesis on every instance that needs it (NOT_APPLICABLE when it fails; validator tests in " \
             "tests/test_lyu2021.py)"

claims.not_checkable(
    "assumption3.2", "Assumption 3.2 (linear separability)", "§3.2, l.298",
    reason=HYPOTHESIS + " (an LP)",
    result="assumption3.2", catalog_ref="E02")
claims.not_checkable(
    "assumption4.1", "Assumption 4.1 (symmetric data)", "§4, l.309",
    reason=HYPOTHESIS,
    result="assumption4.1", catalog_ref="E05")
claims.not_checkable(
    "assumption4.5", "Assumption 4.5 (<mu, x_i> != 0)", "§4.2, l.410",
    reason=HYPOTHESIS,
    result="assumption4.5", catalog_ref="E09")
claims.not_checkable(
    "assumption4.6", "Assumption 4.6 (non-branching starting points)", "§4.2, l.418-421",
    reason="qualitative: uniqueness of Clarke-flow solutions cannot be decided numerically (catalog E10); listed as "
           "'assumed' in the hypotheses of Theorem 4.3",
    result="assumption4.6", catalog_ref="E10")
claims.not_checkable(
    "assumptionA.1-A.3", "Assumptions A.1-A.3", "App. A.1, l.958-1005",
    reason=HYPOTHESIS + " (A.1 at w^⊙ = w*; A.1 asks for some w^⊙)",
    result="assumptionA.1", catalog_ref="E23-E25")
claims.not_checkable(
    "assumptionA.6", "Assumption A.6 (non-branching, non-symmetric)", "App. A.1, l.1074-1081",
    reason="qualitative (as Assumption 4.6, catalog E29)",
    result="assumptionA.5", catalog_ref="E29")
claims.not_checkable(
    "theorem5.6", "Theorem 5.6 (local convergence near a local-max-margin direction)", "§5.3, l.807-820",
    reason="existence of unspecified constants epsilon_0, rho_0 (catalog E18 class [qualitative]); a proxy sweep "
           "is not encoded",
    result="theorem5.6", catalog_ref="E18")
claims.not_checkable(
    "lemmaF.4-F.5", "Lemmas F.4-F.5 (Kurdyka-Lojasiewicz inequalities, cited)", "App. F.2, l.5662-5699",
    reason="existence of a definable desingularising function (qualitative, catalog E68)",
    result="lemmaF.4", catalog_ref="E68")
claims.not_checkable(
    "lemmaF.7", "Lemma F.7 (finitely many asymptotic Clarke critical values, cited)", "App. F.2, l.5730-5735",
    reason="qualitative (definability; catalog E70)",
    result="lemmaF.4", catalog_ref="E70")
claims.not_checkable(
    "theoremF.9", "Theorem F.9 (the limit margin is an asymptotic Clarke critical value)", "App. F.2, l.5745",
    reason="qualitative conclusion (catalog E72); its consequence 'the limit direction is KKT' is checked by "
           "lyu2021.theorem3.1.kkt",
    result="theoremF.9", catalog_ref="E72")
claims.not_checkable(
    "lemmaF.10", "Lemma F.10 (KL inequalities around a local max)", "App. F.2, l.5932-6000",
    reason="existence statement (catalog E73)",
    result="lemmaF.4", catalog_ref="E73")
claims.not_checkable(
    "lemmaF.11", "Lemma F.11 (arc length bounded by the desingularised margin gap)", "App. F.2, l.6007-6540",
    reason="involves the non-explicit Psi of Lemma F.10 (catalog E74, [qualitative]); typos (47), (54) recorded as F12",
    result="lemmaF.4", catalog_ref="E74, F12")
claims.not_checkable(
    "assumptionA.5", "Assumption A.5 (all-negative nets below γ+/2 on the support set)", "App. A.1, l.1063-1070",
    reason="a hypothesis (a min-max LP, Lemma G.10); the quantity the proofs actually use (A.5*) is computed by "
           "lyu2021.finding.F2",
    result="assumptionA.5", catalog_ref="E28")
claims.not_checkable(
    "assumptionA.8-A.9", "Assumptions A.8-A.9 (reversed case ||mu^+|| < ||mu^-||)", "App. A.3, l.1218-1259",
    reason="hypotheses, not claims: evaluated as the hypotheses of lyu2021.theoremA.10 on every instance (A.8: the "
           "norm comparison; A.9: the A.5 LP of Lemma G.10 on the flipped labels, with the sign corrected to a_k >= 0, "
           "because A.9 as printed is unsatisfiable: lyu2021.finding.A9)",
    result="theoremA.10", catalog_ref="E32")
claims.not_checkable(
    "definitionE.3", "Definition E.3 (well-aligned parameter vector)", "App. E.2, l.3468-3483",
    reason="a definition; its content 'w_k/||w_k|| maximises |G|, a_k = sgn(G) ||w_k||' is Lemmas B.4-B.5 "
           "(lyu2021.lemmaB.4) at mu_bar",
    result="definitionE.3", catalog_ref="E54")
