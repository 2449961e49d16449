"""tsoy2024: the results registered as not numerically checkable, each with the reason the report shows (qualitative
remarks, definitions and assumptions that the checks evaluate as hypotheses, cited results, and the t -> infinity
exact limit of Lemma 5.5)."""
from __future__ import annotations

from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG)

claims.not_checkable(
    "lemmaB.1", "Lemma B.1 (cited: Lemma B.11 of Ji & Telgarsky 2020)", "App. B.1.1, l.1398-1410",
    reason="Cited Kurdyka-Lojasiewicz inequality for definable functions (existence of a desingularizer); "
           "qualitative. Its use, the convergence of the direction flow of (2) with finite length, is checked on our "
           "instances by tsoy2024.appendixB.1.monotone and .alignment, and its Lojasiewicz exponent 1/2 near a regular "
           "extremum by tsoy2024.lemmaB.1.exponent.", result="lemmaB.1", catalog_ref="E07")

claims.not_checkable(
    "remark4.2", "Remark 4.2 (the even-d extension)", "§4.1, l.459-466",
    reason="A conjecture (the authors expect Theorem 4.1 for even d, via o-minimal structures with arcsin); not a "
           "claim. The experiments of §5.4.2 and §6 run in d = 2 (with ReLU): see the figures and tsoy2024.propD.2, "
           "tsoy2024.assumption5.4, tsoy2024.section6.extrema.", result="remark4.2", catalog_ref="E03a")

claims.not_checkable(
    "definition4.3", "Definition 4.3 (Delta-regular direction)", "§4.2, l.623",
    reason="A definition. It is evaluated on every Theorem 4.4 instance as the hypothesis 'global extrema (xi + 2 "
           "Delta)-regular' (common.H_REGULAR), e.g. e_1 is 0.05-regular on D3A.", result="definition4.3",
    catalog_ref="E14")

claims.not_checkable(
    "remark4.5", "Remark 4.5 (regularity only for a locally NSD Hessian of |G|)", "§4.2, l.686-691",
    reason="Qualitative remark on the role of a hypothesis. Note (catalog E18): the proof (C.1.2) uses regularity to "
           "make g constant near v^*, a stronger property than a negative semi-definite Hessian.",
    result="remark4.5", catalog_ref="E18")

claims.not_checkable(
    "assumption5.1", "Assumption 5.1 (XOR-like data)", "§5.1, l.776-800",
    reason="An assumption on the data: evaluated as a hypothesis on every XOR instance by datasets.validate (items "
           "1-4, delta, Delta, with the failing numbers); its indexing is tsoy2024.finding.F5.",
    result="assumption5.1", catalog_ref="E19")

claims.not_checkable(
    "theorem5.6", "Theorem 5.6 (cited: Theorem 5.6 of Lyu et al. 2021)", "§5.3, l.925-932",
    reason="Cited local directional convergence near a local max-margin direction (existence of omega, rho; an "
           "equal-margin limit zeta-close). Checked where it matters here: tsoy2024.assumption5.4 (the 4-neuron flow's "
           "margin converges to gamma(theta^mm)); it gives an equal-margin limit, not theta^* itself, which is why "
           "Lemma 5.5 needs the strictness refuted by tsoy2024.finding.F3.", result="theorem5.6", catalog_ref="E24")

claims.not_checkable(
    "lemma5.5", "Lemma 5.5 (the m-neuron net converges in direction to chi(theta^mm))", "§5.3, l.886-900; App. D.5",
    reason="An exact t -> infinity limit at fixed sigma, for sigma < sigma*. Its proof's last step uses the strictness "
           "of Prop. 5.8 (ii), false for m > 4 (tsoy2024.finding.F3), so the lemma is unproven; numerically it is "
           "undecided: on D3A (xi = 0.01, m = 8, two neurons per cluster, sigma = 1e-2) the within-cluster shares "
           "differ from chi's by 2.0e-7 at t = 1e3 and still drift at t = 1e8 (8.7e-8), scaling like sigma^2, and "
           "the limit of a 1/ln t drift cannot be resolved. The corrected statement (an equal-margin limit zeta-close "
           "to chi(theta^mm) for sigma small) is consistent with the margin trend (tsoy2024.assumption5.4). D.5 also "
           "has exp(c||theta||) for exp(c||theta||^2) and 2a for 4a in b (catalog F10).",
    result="lemma5.5", catalog_ref="E23, F3, F10")

claims.not_checkable(
    "section7", "§7: extreme simplicity bias on domino MNIST-CIFAR (ResNet-18, Figs. 3-4, 8-10)",
    "§7, l.1152-1290; App. F, l.5238-5290",
    reason="Needs MNIST and CIFAR-10 (no download here) and a GPU-scale ResNet-18 training (256 epochs x 6 seeds): not "
           "runnable as published. Its statement (the out-of-distribution probe accuracy of the complex feature falls "
           "late in training) is tested by a CPU-scale analogue, the figure tsoy2024.section7-analogue (earlyalign "
           "reproduce; an experiment, not a claim), and its reported p-values by tsoy2024.section7.pvalues.",
    result="section7", catalog_ref="E29")

# --------------------------------------------------------------------------- findings that are not numerical claims

claims.not_checkable(
    "finding.F10", "Finding F10: typos in App. B-D (e^{c_g t}, v^_j for v^*_j, theta(T_1) for theta(t), a missing "
    "factor 2 and 1/n, 2a for 4a and exp(c||theta||) for exp(c||theta||^2) in D.5)", "l.2265, 2710, 2737, 2852, 2978, "
    "4447, 5131-5192",
    reason="Typos in intermediate formulas, each read as the catalog corrects it where a check uses the formula: "
           "e^{b_1 t} for e^{c_g t} (tsoy2024.coupling.exponents), v^*_j (tsoy2024.appendixB.1.alignment), the 1/n of "
           "Eq. (3) in D.3 (tsoy2024.appendixD.3.margin: the bounds hold with it); D.5's exponents are in the unproven "
           "Lemma 5.5 (NOT_CHECKABLE).", result="coupling", catalog_ref="F10")

claims.not_checkable(
    "finding.F13", "Finding F13: the experiments (§5.4.2, §6: d = 2, ReLU; alpha = pi/3 non-regular) lie outside the "
    "theorems' hypotheses", "§4.1 l.417-419; §5.4.2; §6",
    reason="A statement about hypotheses, evaluated where the checks run: on the §6 data (earlyalign check --data) "
           "Theorems 4.1/4.4 are NOT_APPLICABLE naming 'd = 2' (and the experiments' ReLU, xi = 0, fails the "
           "hypothesis 'xi > 0' of every smoothed claim); the alpha = pi/3 extrema are kinks "
           "(tsoy2024.section6.extrema: G's extrema at directions orthogonal to a cluster, min_i |v*^T x_i| = 0), "
           "so not (xi + 2 Delta)-regular. The experiments still show the predicted alignment "
           "(tsoy2024.section6.alignment, tsoy2024.section5.4.2.angles).", result="section6", catalog_ref="F13")

claims.not_checkable(
    "finding.F14", "Finding F14: overloaded notation (u*_j, P, R, delta, a, h, c, b, eps, lambda)", "§3-App. D",
    reason="Notation: each check states which meaning it uses (e.g. u*_j sigma-free as in Theorem 4.1, App. B's "
           "carries a factor sigma; h of Lemma 5.3's statement, not its proof's complement).", result="eq1",
    catalog_ref="F14")

claims.not_checkable(
    "finding.F15", "Finding F15: under-specified experiments (n, cluster spread, class placement, init, the 't < 12' "
    "step, §7's seeds and '+-')", "§5.4.2, §6, §7",
    reason="Specification gaps: the figures state the reading taken on every panel (the authors' gen_sym_data / "
           "gen_skew_data constructions with numpy seed 100, 't < 12' = 12 epochs of step 4 as in the authors' code, "
           "both init readings of Fig. 2); §7's '+-' is a sample std over 6 seeds (tsoy2024.section7.pvalues).",
    result="section5.4.2", catalog_ref="F15")
