"""lyu2021, part 3: closed-form lemmas and findings, and the numbered results registered as not numerically
checkable (with the reason). Imported by :mod:`theory.papers.lyu2021`.
"""
from __future__ import annotations

from theory.claims import Claim
from theory.papers import lyu2021 as L

CAT, K = L.CAT, L.K


def _nc(cid, label, where, reason, result, catalog):
    return Claim(id=f"{K}.{cid}", paper=K, label=label, where=where, kind="qualitative", reason=reason,
                 result=result, catalog=f"{CAT} {catalog}")


HYP = "a hypothesis, not a claim: evaluated by numerics.datasets.validate_lyu2021 as the named hypothesis on every " \
      "instance that needs it (NOT_APPLICABLE when it fails; validator tests in tests/test_lyu2021.py)"

NOT_CHECKABLE = [
    _nc("assumption3.2", "Assumption 3.2 (linear separability)", "§3.2, l.298", HYP + " (an LP)", "assumption3.2",
        "E02"),
    _nc("assumption4.1", "Assumption 4.1 (symmetric data)", "§4, l.309", HYP, "assumption4.1", "E05"),
    _nc("assumption4.5", "Assumption 4.5 (<mu, x_i> != 0)", "§4.2, l.410", HYP, "assumption4.5", "E09"),
    _nc("assumption4.6", "Assumption 4.6 (non-branching starting points)", "§4.2, l.418-421",
        "qualitative: uniqueness of Clarke-flow solutions cannot be decided numerically (catalog E10); listed as "
        "'assumed' in the hypotheses of Theorem 4.3", "assumption4.6", "E10"),
    _nc("assumptionA.1-A.3", "Assumptions A.1-A.3", "App. A.1, l.958-1005",
        HYP + " (A.1 at w^⊙ = w*; A.1 asks for some w^⊙)", "assumptionA.1", "E23-E25"),
    _nc("assumptionA.6", "Assumption A.6 (non-branching, non-symmetric)", "App. A.1, l.1074-1081",
        "qualitative (as Assumption 4.6, catalog E29)", "assumptionA.5", "E29"),
    _nc("theorem5.6", "Theorem 5.6 (local convergence near a local-max-margin direction)", "§5.3, l.807-820",
        "existence of unspecified constants epsilon_0, rho_0 (catalog E18 class [qualitative]); a proxy sweep is not "
        "encoded", "theorem5.6", "E18"),
    _nc("lemmaF.4-F.5", "Lemmas F.4-F.5 (Kurdyka-Lojasiewicz inequalities, cited)", "App. F.2, l.5662-5699",
        "existence of a definable desingularising function (qualitative, catalog E68)", "lemmaF.4", "E68"),
    _nc("lemmaF.7", "Lemma F.7 (finitely many asymptotic Clarke critical values, cited)", "App. F.2, l.5730-5735",
        "qualitative (definability; catalog E70)", "lemmaF.4", "E70"),
    _nc("theoremF.9", "Theorem F.9 (the limit margin is an asymptotic Clarke critical value)", "App. F.2, l.5745",
        "qualitative conclusion (catalog E72); its consequence 'the limit direction is KKT' is checked by "
        "lyu2021.theorem3.1.kkt", "theoremF.9", "E72"),
    _nc("lemmaF.10", "Lemma F.10 (KL inequalities around a local max)", "App. F.2, l.5932-6000",
        "existence statement (catalog E73)", "lemmaF.4", "E73"),
    _nc("lemmaF.11", "Lemma F.11 (arc length bounded by the desingularised margin gap)", "App. F.2, l.6007-6540",
        "involves the non-explicit Psi of Lemma F.10 (catalog E74, [qualitative]); typos (47), (54) recorded as F12",
        "lemmaF.4", "E74, F12"),
]

CLAIMS_MORE = NOT_CHECKABLE
