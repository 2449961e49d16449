"""tsoy2024: N. Tsoy, N. Konstantinov, "Simplicity bias of two-layer networks beyond linearly separable data" (ICML
2024). Seed text ``seeds/000_04b3009b2a6b214d.txt``, claim catalog ``claims/claims_000.md`` (entries cited as
"catalog E03", findings as "F1", ...).

``PAPER`` carries the result graph: each result with the results its proof uses (line numbers of the seed text;
the extracted text prints every cross-reference as "Theorem", catalog note); the package's claims come out in this
order.
"""
from __future__ import annotations

from theory.paper import Paper, Result

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
    results=[
        Result("eq1", "Eq. (1): setting, homogeneity, conservation law", "§3, l.272-333", "definition", (),
               "smoothed ReLU phi_{Q,xi}, logistic mean loss, balanced init sigma theta_0"),
        Result("eq2", "Eq. (2): the linearised system", "§4.1, l.360-405", "definition", ("eq1",)),
        Result("lemmaB.1", "Lemma B.1 (cited: Lemma B.11 of Ji & Telgarsky 2020)", "App. B.1.1, l.1398-1410", "lemma",
               (), "Kurdyka-Lojasiewicz inequality for definable functions (cited)"),
        Result("propB.2", "Proposition B.2", "App. B.1.1, l.1415-1600 (derivatives l.1638-1978)", "proposition",
               ("eq1",), "closed form of phi for odd d; the printed Hessian misses 1/||v|| (F8)"),
        Result("remarkB.3", "Remark B.3", "App. B.1.1, l.1603-1606", "fact", ("propB.2",), "even d: arcsin term"),
        Result("appendixB.1", "App. B.1.1-B.1.2: convergence of Eq. (2)", "App. B.1, l.1318-2356", "lemma",
               ("eq2", "lemmaB.1", "propB.2")),
        Result("remarkB.4", "Remark B.4", "App. B.1.2, l.2357", "fact", ("propB.2",)),
        Result("capture", "App. B.1: neuron capture", "l.2358-2366", "fact", ("appendixB.1",),
               "the sign factor 1/2 is missing (F7)"),
        Result("propB.5", "Proposition B.5", "App. B.2.1, l.2372-2430", "proposition", ("eq1",)),
        Result("lemmaB.6", "Lemma B.6", "App. B.2.1, l.2431-2500", "lemma", ("propB.5",)),
        Result("remarkB.7", "Remark B.7", "App. B.2.2, l.2542-2545", "fact", ("propB.2",),
               "b_1 = O(1/xi): kappa* = Theta(xi) (F4)"),
        Result("coupling", "App. B.2.2-B.3: coupling bounds and exponents", "l.2505-2800", "lemma",
               ("propB.5", "lemmaB.6", "remarkB.4", "remarkB.7", "appendixB.1")),
        Result("theorem4.1", "Theorem 4.1", "§4.1, l.417-457 (proof App. B)", "theorem",
               ("appendixB.1", "coupling", "capture")),
        Result("remark4.2", "Remark 4.2", "§4.1, l.459-466", "fact", ("theorem4.1",), "conjecture (even d)"),
        Result("definition4.3", "Definition 4.3", "§4.2, l.623", "definition"),
        Result("eq3", "Eqs. (3)-(4): the p-neuron system and the embedding chi", "§4.2, l.505-615", "definition",
               ("theorem4.1",), "printed v^e_k(T_1) carries a spurious factor r (F6)"),
        Result("appendixC", "App. C.1-C.2: angle, norm and coupling bounds", "l.2842-3885", "lemma",
               ("eq3", "propB.5", "lemmaB.6")),
        Result("theorem4.4", "Theorem 4.4", "§4.2, l.630-684 (proof App. C)", "theorem",
               ("theorem4.1", "definition4.3", "eq3", "appendixC")),
        Result("remark4.5", "Remark 4.5", "§4.2, l.686-691", "fact", ("theorem4.4",)),
        Result("assumption5.1", "Assumption 5.1", "§5.1, l.776-800", "assumption", (),
               "a(k), b(k) index the clusters differently from the proofs and Fig. 1 (F5)"),
        Result("lemma5.2", "Lemma 5.2", "§5.2, l.809-812 (proof App. D.1, l.3890-4250)", "lemma", ("assumption5.1",)),
        Result("lemma5.3", "Lemma 5.3", "§5.2, l.818-832 (proof App. D.2, l.4251-4425)", "lemma",
               ("lemma5.2", "theorem4.1", "capture"), "the product bound is false (F1); the cap constant (F2)"),
        Result("assumption5.4", "Assumption 5.4", "§5.3, l.867-871", "assumption", ("lemma5.2",)),
        Result("lemmaD.1", "Lemma D.1", "App. D.3, l.4431-4445", "lemma", ("assumption5.1",)),
        Result("propD.2", "Proposition D.2", "App. D.3, l.4491-4584", "proposition", ("lemmaD.1",)),
        Result("prop5.7", "Proposition 5.7", "§5.4.1, l.965-970 (proof App. D.3, l.4585-4873)", "proposition",
               ("propD.2", "lemmaD.1")),
        Result("theorem5.6", "Theorem 5.6 (cited: Theorem 5.6 of Lyu et al. 2021)", "§5.3, l.925-932", "theorem", (),
               "local directional convergence (cited)"),
        Result("prop5.8", "Proposition 5.8", "§5.4.1, l.1020-1024 (proof App. D.4, l.4874-5063)", "proposition",
               ("lemma5.2",), "part (ii), strictness in the m-neuron space, is false for m > 4 (F3)"),
        Result("lemma5.5", "Lemma 5.5", "§5.3, l.886-900 (proof App. D.5, l.5065-5193)", "lemma",
               ("assumption5.4", "theorem5.6", "prop5.8", "theorem4.4", "lemma5.3"),
               "the exact limit rests on the strictness of Prop. 5.8 (ii) (F3)"),
        Result("section5.4.2", "§5.4.2, Fig. 1, App. E Figs. 5-7", "l.1026-1100, l.5195-5236", "fact",
               ("assumption5.4", "propD.2")),
        Result("section6", "§6, Fig. 2", "l.1101-1150", "fact", ("theorem4.1", "lemma5.2")),
        Result("section7", "§7, Figs. 3-4, 8-10 (domino MNIST-CIFAR)", "l.1152-1290, l.5238-5290", "fact",
               ("lemma5.5",)),
    ],
)
