"""min2024, the results registered as not numerically checkable, each with the reason the report shows (definitions,
prior-work statements, qualitative remarks, existence constructions), and where their checkable content lives."""
from __future__ import annotations

from theory.claimset import ClaimSet

from .paper import CATALOG, PAPER

claims = ClaimSet(PAPER, catalog=CATALOG)

claims.not_checkable(
    "setting.caratheodory", "Eq. (44)-(45): Caratheodory solutions; results stated for sigma'(0) = 0", "§2.1 l.112-117; "
    "App. E.1 l.4339", reason="a definition (the solution concept). The engine's kink='convention' with sigma'(0) = 0 "
    "is that concept; the residual of (45) is computed in min2024.e3.nonexistence and min2024.e4.nonuniqueness, and "
    "the gradient formulas in min2024.eq2.descent", result="caratheodory", catalog_ref="E01, E48")
claims.not_checkable(
    "remarks1_3", "Remarks 1-3 (balancedness is technical; zero columns; dependence on max/min ||w_j(0)||)",
    "§2.1, l.137-148", reason="qualitative. Remark 2's zero column is a fixed point of the field (every term of "
    "grad_{w_j} L carries v_j, of grad_{v_j} L carries sigma(<x, w_j>)); Remark 3's W_max, W_min enter every check "
    "through (28), (39) and the bounds of Lemmas 1, 3", result="remarks1_3", catalog_ref="E03")
claims.not_checkable(
    "eq4.extreme_vectors", "Maennel et al.'s extreme vectors (prior work)", "§2.2, l.222-233",
    reason="a prior-work statement about the eps -> 0 limit (finitely many local extrema of G on the sphere). The "
    "directional field (4)-(5) is checked as the sphere gradient of G (min2024.eq4.sphere_gradient) and its exact flow "
    "(numerics.directional) drives the mu-sweep", result="eq4", catalog_ref="E04")
claims.not_checkable(
    "prior.theta_log", "'The alignment phase only holds for Theta(log 1/eps) time' (prior work)", "§2.2, l.246-250",
    reason="prior work, made precise by Lemma 3 (T ~ log(1/eps)/(4 n X_max), min2024.lemma3.*) and by t_2 "
    "(min2024.theorem1.ii.t2_lower, min2024.theorem1.ii.t2_slope: slope 1/min||x_+-||)", result="eq4",
    catalog_ref="E05")
claims.not_checkable(
    "definition1", "Definition 1 (regular solution)", "§3.1, l.322", reason="a definition; it is evaluated as the "
    "hypothesis 'regular solution (Definition 1)' on every flow instance (the engine's sigma'(0) = 0 solutions never "
    "leave S_dead), and the irregular E.4 splice is exhibited in min2024.finding.F6", result="definition1",
    catalog_ref="E08")
claims.not_checkable(
    "cone_K", "The cone K (18), x_i y_i in K, x_a(w) in K", "App. C.1, l.1699-1713", reason="true by definition: "
    "x_a(w) = sum_i sigma'(<x_i, w>) y_i x_i has coefficients in {0, alpha, 1}", result="cone_K", catalog_ref="E29")
claims.not_checkable(
    "lemma6", "Lemma 6 (S_+- convex cones, excluding the origin)", "App. C.1, l.1773", reason="definitional: S_+- are "
    "intersections of the open half-spaces {<x_i, z> > 0} and closed {<x_i, z> <= 0}; 0 is not in them since <x_i, 0> "
    "= 0 is not > 0. S_dead always contains 0 and span(X)^perp (finding F18: 'not necessarily non-empty' means 'may be "
    "{0}'; the centred digits have D - rank X = 0 but DS-A has a 20.6-degree dead arc)", result="lemma6",
    catalog_ref="E31, F18")
claims.not_checkable(
    "remark5", "Remark 5 (leaky ReLU)", "App. B.1, l.1251", reason="qualitative; Lemmas 1, 3, 4 are checked with "
    "alpha = 0.1 (and 0.5 on the full tier) in min2024.lemma1 / lemma3.* / lemma4", result="remark5",
    catalog_ref="E28")
claims.not_checkable(
    "comparison", "§3.2 / App. A.3: orthogonal data (only neurons activating all positives reach S_+); h = Theta(1) "
    "vs exponential in n", "§3.2 l.488-525; App. A.3 l.935-951", reason="comparison with prior work; the orthogonal "
    "case is reproduced as Figure 9 (min2024.fig9: S_+ / x_1-only / x_2-only counts) and P(w activates all n_+ "
    "orthogonal positives) = 2^{-n_+} is elementary", result="comparison", catalog_ref="E18")
claims.not_checkable(
    "remark.final_rate_tlogt", "Remark: O(1/(t log t)) loss rate (Lyu & Li; Ji & Telgarsky)", "§3.1, l.474-480",
    reason="a prior-work asymptotic rate without constants; the explicit O(1/t) bound is checked "
    "(min2024.theorem1.ii.rate). Catalog sanity check: L t ln t = 0.75-0.78 on DS-B over [100, 3000]",
    result="remarks_theorem1", catalog_ref="E17 (iii)")
claims.not_checkable(
    "finding.F4", "Finding F4: hidden dependence of t_1 and eps_2 on the init (through zeta_2) and on h",
    "§3.1 l.389-435, l.945", reason="t_1 = O(log n/sqrt(mu)) hides data- and init-dependent constants by the paper's "
    "own wording, so no printed inequality fails; the dependence is measured: zeta_2* = 0.413 (I-A8, h = 9), 0.043 "
    "(R-A, h = 20), 0.0073 (DS-B, h = 30) give t_1 = 79.5, 667, 7441 and ln eps_2 = -1274, -10670, -357175 "
    "(min2024.remark.t1_vs_T, min2024.assumption2 info), while the actual alignment ends at 0.66, 1.36, 0.98",
    result="remarks_theorem1", catalog_ref="F4, E09, E10")
claims.not_checkable(
    "finding.F20", "Finding F20: experimental under-specification (loss, sum vs mean, MNIST n, pixel scale, seeds)",
    "§4 l.761-779; App. A", reason="a statement about what the paper does not say; the reproduced figures state loss, "
    "reduction, init and time convention on every panel (min2024.fig*)", result="experiments", catalog_ref="F20")
claims.not_checkable(
    "e4.remarks6_7", "Remarks 6-7 (Filippov solutions have the same issue; irregular solutions are rare)",
    "App. E.4, l.4540-4550", reason="qualitative; Remark 7's 'random inits avoid them' is a probability-zero event "
    "(a neuron exactly on a hyperplane at t = 0); along the flow a V_+ neuron reaches the boundary of S_dead only by "
    "losing a negative datum, where the outside field points into S_dead (the engine records 'stick' events there, "
    "I-A8 neurons 135 and 180 deg)", result="e4", catalog_ref="E51")
claims.not_checkable(
    "e5.construction", "E.5: Persson's theorem (48), the Theta-sets, Tietze extension (51)-(52), the splice (56), "
    "Remark 8", "App. E.5, l.4552-4870", reason="an existence construction; its quantitative ingredient (50) is "
    "checked (min2024.e5.eq50) and its slip 'Theta_1 is the positive invariant set' is finding F16",
    result="e5", catalog_ref="E52, F16")
claims.not_checkable(
    "appendix_f", "App. F: Theorem 1 holds for regular Filippov solutions", "App. F, l.4871-4893",
    reason="no proof is given ('can be done'). Under Assumption 1 every hyperplane is crossed transversally "
    "(min2024.existence.eq46), so Filippov sliding does not occur away from S_dead and the engine's kink='filippov' "
    "run of I-A8 has the same switch times as the convention run (the dead neurons slide on the boundary of S_dead "
    "instead of 'sticking')", result="appendix_f", catalog_ref="E53")
