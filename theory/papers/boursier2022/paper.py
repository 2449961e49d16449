"""boursier2022: Boursier, Pillaud-Vivien, Flammarion, "Gradient flow dynamics of shallow ReLU networks for
square loss and orthogonal inputs" (NeurIPS 2022). Seed text ``seeds/004_*.txt``, claim catalog
``claims/claims_004.md`` (entries cited as "catalog L1", "catalog L2", ...).

The result graph below lists every numbered result with the results its proof uses (read from the proofs;
line numbers of the seed text), so the report can show which theorem rests on which lemma; the claims come
out in this order.
"""
from __future__ import annotations

from theory.paper import Paper, Result

KEY = "boursier2022"

PAPER = Paper(
    key=KEY,
    title="Gradient flow dynamics of shallow ReLU networks for square loss and orthogonal inputs",
    authors="E. Boursier, L. Pillaud-Vivien, N. Flammarion",
    venue="NeurIPS 2022",
    source="seeds/004_60719483e069f78c.txt",
    catalog="claims/claims_004.md",
    order=4,
    results=[
        Result("assumption1", "Assumption 1", "§2.1, l.161", "assumption", (), "orthonormal inputs"),
        Result("assumption2", "Assumption 2", "§2.1, l.166", "assumption", (), "non-zero labels, r != 1"),
        Result("assumption3", "Assumption 3", "§2.1, l.293", "assumption", (), "S_{+,1}, S_{-,1} non-empty"),
        Result("lemma1", "Lemma 1", "§2.2, l.240", "lemma", (), "balancedness"),
        Result("lemma6", "Lemma 6", "App. B.2, l.1056", "lemma", ("assumption1",), "via Eq. (11)"),
        Result("lemma2", "Lemma 2", "§4.2, l.619 (= Lemmas 7, 8, App. B.3)", "lemma",
               ("lemma1", "lemma6", "assumption3"), "proof of Lemma 7: balancedness l.1112, Lemma 6"),
        Result("lemma9", "Lemma 9", "App. B.3, l.1795", "lemma", ("lemma2",), "proof refers to Lemma 7"),
        Result("lemma3", "Lemma 3", "§4.2, l.655 (= Lemma 10, App. B.4)", "lemma",
               ("lemma2", "lemma6", "lemma9", "assumption2"), "proof l.1957-2716 uses Lemmas 6-9"),
        Result("lemma16", "Lemma 16", "App. B.7, l.4605", "lemma", (), "integro-differential Gronwall"),
        Result("lemma4", "Lemma 4", "§4.2, l.711 (= Lemma 11, App. B.5)", "lemma",
               ("lemma3", "lemma2", "lemma16"), "proof l.2781-3560 uses Lemmas 7, 8, 10, 16"),
        Result("fact1", "Fact 1", "§4.2, l.681", "fact", ("lemma3", "lemma4"), "no proof in the paper"),
        Result("prop1", "Proposition 1", "App. C, l.4758", "proposition", (), "min-norm interpolators"),
        Result("lemma12", "Lemma 12", "App. B.6, l.3568", "lemma",
               ("lemma3", "lemma4", "lemma2", "lemma1", "prop1"), "l.3575: Lemmas 10, 11; l.4046: Prop. 1"),
        Result("lemma13", "Lemma 13", "App. B.6, l.4087", "lemma", ("lemma4",), "conditions (i)-(iv) at t_3"),
        Result("lemma14", "Lemma 14", "App. B.6, l.4236", "lemma", ("lemma1",), "balancedness, l.4258"),
        Result("lemma5", "Lemma 5", "§4.2, l.747 (= Lemma 15)", "lemma", ("lemma13", "lemma14"),
               "l.3566: Lemmas 13-15 feed Chatterjee's theorem"),
        Result("theorem1", "Theorem 1", "§3.1, l.309 (= Theorem 2, App. B.6)", "theorem",
               ("lemma12", "lemma5", "lemma1", "assumption1", "assumption2", "assumption3"),
               "proof l.4556-4600: Lemma 15, Lemma 12"),
        Result("prop2", "Proposition 2", "App. D, l.4983", "proposition", (), "existence iff sigma'(0) = 0"),
    ],
)

#: the catalog file, prefixed to every claim's catalog reference ("claims_004.md L2")
CATALOG = PAPER.catalog.rsplit("/", 1)[-1]
