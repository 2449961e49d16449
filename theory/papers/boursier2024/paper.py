"""boursier2024: Boursier, Flammarion, "Early alignment in two-layer networks training is a two-edged
sword". Seed text ``seeds/003_ca14e658bf765476.txt``, claim catalog ``claims/claims_003.md`` (entries cited
as "catalog E16", findings as "F2"). The paper's metadata and its result graph (the results each proof uses).
"""
from __future__ import annotations

from theory.paper import Paper, Result

KEY = "boursier2024"
CATALOG = "claims_003.md"

PAPER = Paper(
    key=KEY,
    title="Early alignment in two-layer networks training is a two-edged sword",
    authors="E. Boursier, N. Flammarion",
    venue="(venue not given in the text)",
    source="seeds/003_ca14e658bf765476.txt",
    catalog="claims/claims_003.md",
    order=3,
    results=[
        Result("assumption1", "Assumption 1", "§2, l.60", "assumption", (), "loss regularity"),
        Result("assumption2", "Assumption 2", "§3, l.117", "assumption", (), "generic data"),
        Result("definition1", "Definition 1", "§3, l.133", "definition", (), "extremal vectors"),
        Result("condition1", "Condition 1", "§3, l.148", "definition", ("definition1",), "per-neuron condition"),
        Result("condition2", "Condition 2", "App. E, l.1223", "definition", (), "per-neuron condition (saddles)"),
        Result("lemma1", "Lemma 1", "§3, l.111 (proof C.1)", "lemma", (), "balancedness"),
        Result("lemma2", "Lemma 2", "§3, l.121 (proof C.2)", "lemma", ("assumption1", "assumption2"), ""),
        Result("lemma3", "Lemma 3", "§3, l.144 (proof C.3)", "lemma", ("assumption2", "definition1"), ""),
        Result("lemma9", "Lemma 9", "App. D.1, l.815", "lemma", ("assumption2", "lemma2"), "alpha_min, D_min > 0"),
        Result("lemma10", "Lemma 10", "App. D.1, l.825", "lemma", ("assumption2", "lemma2"), "delta_0 > 0"),
        Result("lemma11", "Lemma 11", "App. D.2, l.839", "lemma", ("assumption1", "lemma10"), "cone stability"),
        Result("lemma12", "Lemma 12", "App. D.4, l.944", "lemma", ("lemma11",), "critical manifolds"),
        Result("lemma13", "Lemma 13", "App. D.5, l.1040", "lemma", ("lemma11", "lemma12"), "no exit before tau"),
        Result("lemma14", "Lemma 14", "App. D.6, l.1099", "lemma", (), "misalignment quantised"),
        Result("theorem1", "Theorem 1", "§3, l.159 (proof D.3-D.7)", "theorem",
               ("assumption1", "assumption2", "lemma1", "lemma9", "lemma10", "lemma11", "lemma13", "lemma14",
                "condition1"), "early alignment"),
        Result("theorem3", "Theorem 3", "App. E, l.1232", "theorem", ("theorem1", "condition2"), "with saddles"),
        Result("assumption3", "Assumption 3", "§4, l.226", "assumption", (), "3-point data"),
        Result("assumption4", "Assumption 4", "App. A, l.513", "assumption", (), ""),
        Result("assumption5", "Assumption 5", "App. A, l.517", "assumption", (), ""),
        Result("assumption6", "Assumption 6", "App. A, l.530", "assumption", (), ""),
        Result("lemma8", "Lemma 8", "App. A, l.548", "lemma", ("assumption3",), "A3 => A4, A5, A6"),
        Result("lemma4", "Lemma 4", "§4.1.1, l.280 (proof F.1)", "lemma", ("theorem1", "assumption4"), "phase 1"),
        Result("lemma15", "Lemma 15", "App. F.2, l.1420", "lemma", ("lemma4",), ""),
        Result("lemma5", "Lemma 5", "§4.1.2, l.298 (proof F.2)", "lemma", ("lemma4", "lemma15", "assumption5"),
               "phase 2a"),
        Result("lemma16", "Lemma 16", "App. F.3, l.1539", "lemma", (), ""),
        Result("lemma17", "Lemma 17", "App. F.3, l.1580", "lemma", ("assumption5",), ""),
        Result("lemma18", "Lemma 18", "App. F.3, l.1622", "lemma", (), ""),
        Result("lemma6", "Lemma 6", "§4.1.2, l.313 (proof F.3)", "lemma", ("lemma5", "lemma16", "lemma17", "lemma18"),
               "phase 2b"),
        Result("lemma19", "Lemma 19", "App. F.4, l.1647", "lemma", (), ""),
        Result("lemma20", "Lemma 20", "App. F.4, l.1687", "lemma", ("assumption6",), ""),
        Result("lemma21", "Lemma 21", "App. F.4, l.1766", "lemma", ("lemma19", "lemma20"), "local PL"),
        Result("lemma22", "Lemma 22", "App. F.4, l.1840", "lemma", ("lemma21",), "loss rate"),
        Result("lemma23", "Lemma 23", "App. F.4, l.1869", "lemma", ("lemma22",), ""),
        Result("lemma24", "Lemma 24", "App. F.4, l.1890", "lemma", ("lemma23",), ""),
        Result("corollary1", "Corollary 1", "App. F.4, l.1936", "corollary", ("lemma24", "lemma20"), "tau_4 = inf"),
        Result("lemma7", "Lemma 7", "§4.1.3, l.327 (proof F.4)", "lemma", ("lemma6", "corollary1", "lemma22"),
               "phase 3"),
        Result("theorem4", "Theorem 4", "App. F, l.1319", "theorem",
               ("lemma4", "lemma5", "lemma6", "lemma7", "assumption4", "assumption5", "assumption6"), ""),
        Result("theorem2", "Theorem 2", "§4, l.240", "theorem", ("theorem4", "lemma8", "assumption3"),
               "convergence to OLS"),
    ],
)
