"""lyu2021: Lyu, Li, Wang, Arora, "Gradient Descent on Two-layer Nets: Margin Maximization and Simplicity
Bias" (NeurIPS 2021). Seed text ``seeds/002_*.txt``, claim catalog ``claims/claims_002.md`` (entries cited
as "catalog E06", findings as "F1", ...).

``PAPER`` carries the result graph: each result with the results its proof uses (line numbers of the seed
text); the package's claims come out in this order.
"""
from __future__ import annotations

from theory.paper import Paper, Result

CATALOG = "claims_002.md"

PAPER = Paper(
    key="lyu2021",
    title="Gradient Descent on Two-layer Nets: Margin Maximization and Simplicity Bias",
    authors="K. Lyu, Z. Li, R. Wang, S. Arora",
    venue="NeurIPS 2021",
    source="seeds/002_2603aa44007c41f1.txt",
    catalog="claims/claims_002.md",
    order=2,
    results=[
        Result("theorem3.1", "Theorem 3.1", "§3.1, l.272", "theorem", (),
               "cited (Lyu & Li 2020; Ji & Telgarsky 2020a)"),
        Result("assumption3.2", "Assumption 3.2", "§3.2, l.298", "assumption"),
        Result("definition3.3", "Definition 3.3", "§3.2, l.299", "definition", ("assumption3.2",)),
        Result("assumption4.1", "Assumption 4.1", "§4, l.309", "assumption"),
        Result("definitionB.6", "Definitions B.6-B.8", "App. B.2, l.1558-1620", "definition"),
        Result("lemmaB.9", "Lemma B.9", "App. B.2, l.1625", "lemma", ("definitionB.6",)),
        Result("theorem4.2", "Theorem 4.2", "§4.1, l.326 (proof App. C)", "theorem",
           ("assumption3.2", "assumption4.1", "definition3.3")),
        Result("assumption4.5", "Assumption 4.5", "§4.2, l.410", "assumption"),
        Result("assumption4.6", "Assumption 4.6", "§4.2, l.418", "assumption"),
        Result("definition5.1", "Definition 5.1", "§5.1, l.595", "definition"),
        Result("linearization", "Eq. (2)-(3): G(w) = <w, mu~>, lambda_0 = ||mu~||", "§5.1, l.429-593", "definition",
           ("assumption4.1",), "printed mu~ = (1+alpha)/2 mu is off by 2 (F1)"),
        Result("lemmaB.1", "Lemma B.1 (Gronwall)", "App. B.1, l.1481", "lemma"),
        Result("theoremB.2", "Theorems B.2-B.3 (homogeneity, Euler)", "App. B.1, l.1529-1539", "theorem"),
        Result("lemmaB.4", "Lemmas B.4-B.5", "App. B.1, l.1542-1554", "lemma", ("theoremB.2",)),
        Result("lemmaB.10", "Lemma B.10", "App. B.3, l.1667", "lemma", ("definition5.1",)),
        Result("lemmaB.11", "Lemma B.11", "App. B.3, l.1724", "lemma", ("lemmaB.10",)),
        Result("lemmaB.12", "Lemma B.12, Corollary B.13", "App. B.3, l.1973-2004", "lemma", ("lemmaB.11",)),
        Result("lemmaB.14", "Lemma B.14", "App. B.3, l.2006", "lemma", ("lemmaB.11",)),
        Result("lemmaB.15", "Lemma B.15", "App. B.4, l.2115", "lemma"),
        Result("lemmaB.16", "Lemma B.16", "App. B.4, l.2138", "lemma", ("lemmaB.15",)),
        Result("corollaryB.18", "Lemma B.17, Corollary B.18", "App. B.4, l.2336-2381", "corollary", ("lemmaB.16",)),
        Result("lemmaB.20", "Lemma B.20", "App. B.5, l.2394", "lemma", ("lemmaB.15",)),
        Result("theoremB.19", "Theorem B.19", "App. B.5, l.2387", "theorem", ("lemmaB.20", "corollaryB.18")),
        Result("lemmaD.1", "Lemma D.1", "App. D, l.2919", "lemma", ("linearization",)),
        Result("lemmaD.2", "Lemma D.2", "App. D, l.2942", "lemma", ("lemmaD.1", "lemmaB.12", "lemmaB.1")),
        Result("lemma5.2", "Lemma 5.2", "§5.1, l.597 (proof App. D, l.3094)", "lemma",
           ("lemmaD.2", "linearization", "definition5.1")),
        Result("lemmaE.1", "Lemmas E.1-E.2", "App. E.1, l.3288-3441", "lemma"),
        Result("lemma5.3", "Lemma 5.3", "§5.2, l.718", "lemma", ("lemmaE.1",)),
        Result("definitionE.3", "Definition E.3", "App. E.2, l.3468", "definition", ("lemmaB.4",)),
        Result("lemmaE.10", "Lemma E.10", "App. E, l.4583", "lemma"),
        Result("lemmaE.5", "Lemmas E.5-E.6", "App. E.2, l.3572-4328", "lemma", ("lemmaB.12", "lemmaB.14")),
        Result("theoremE.4", "Theorem E.4", "App. E.2, l.3491", "theorem", ("definitionE.3", "lemmaE.5")),
        Result("lemmaE.7", "Lemma E.7", "App. E.3, l.4445", "lemma"),
        Result("lemmaE.8", "Lemmas E.8-E.9, E.11", "App. E.3, l.4472-4670", "lemma",
           ("theoremE.4", "lemma5.2", "lemmaE.10")),
        Result("lemma5.4", "Lemma 5.4", "§5.2, l.729", "lemma", ("lemma5.2", "lemma5.3", "lemmaE.7", "lemmaE.8")),
        Result("lemmaF.1", "Lemmas F.1-F.3", "App. F.1, l.4847-5220", "lemma", ("definitionB.6",)),
        Result("theorem5.5", "Theorem 5.5", "§5.3, l.774 (proof F.1)", "theorem", ("lemmaF.1", "lemmaB.20")),
        Result("lemmaF.4", "Lemmas F.4-F.8, F.10, F.11", "App. F.2, l.5662-6540", "lemma", (), "cited KL machinery"),
        Result("theoremF.9", "Theorem F.9", "App. F.2, l.5745", "theorem", ("lemmaF.4",)),
        Result("theorem5.6", "Theorem 5.6", "§5.3, l.807", "theorem", ("lemmaF.4",)),
        Result("theorem4.3", "Theorem 4.3", "§4.2, l.362 (proof F.3)", "theorem",
           ("lemma5.4", "theorem5.5", "theorem5.6", "theorem4.2", "assumption4.5", "assumption4.6")),
        Result("corollary4.4", "Corollary 4.4", "§4.2, l.387", "corollary", ("theorem4.3", "theorem4.2")),
        Result("definition6.1", "Definition 6.1", "§6, l.849", "definition", ("definition3.3",)),
        Result("assumptionA.1", "Assumptions A.1-A.3", "App. A.1, l.958-1005", "assumption"),
        Result("lemmaG.1", "Lemmas G.1-G.2", "App. G.1, l.6881-7053", "lemma", ("assumptionA.1",)),
        Result("lemmaA.4", "Lemma A.4", "App. A.1, l.1046", "lemma", ("definitionB.6",)),
        Result("assumptionA.5", "Assumptions A.5-A.6", "App. A.1, l.1063-1081", "assumption"),
        Result("theoremA.7", "Theorem A.7", "App. A.1, l.1084 (proof G.3-G.5)", "theorem",
           ("assumptionA.1", "assumptionA.5", "lemmaG.1", "lemmaA.4"), "false under A.5 as stated (F2)"),
        Result("theoremA.10", "Assumptions A.8-A.9, Theorem A.10", "App. A.3, l.1218-1281", "theorem", ("theoremA.7",)),
        Result("theoremH.2", "Definition H.1, Theorem H.2, Lemma H.3", "App. H, l.8867-9142", "theorem",
           ("definitionB.6",), "orthogonally separable data (ReLU)"),
        Result("theorem6.2", "Theorem 6.2", "§6, l.857 (proof App. A.2)", "theorem",
           ("definition6.1", "theoremA.7"), "corollary of Theorem A.7 with w^+ = w*"),
    ],
)
