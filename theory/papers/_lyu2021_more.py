"""lyu2021, part 3: closed-form and sampled lemmas, the appendix findings, and the numbered results registered
as not numerically checkable (with the reason). Imported by :mod:`theory.papers.lyu2021`.

Sampled checks draw their random parameters from numpy default_rng(instance seed); a statement "for all theta"
is judged on every sample (the witness names the worst one); a sampled HOLDS means "no counterexample among
these samples", never a proof.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Hypothesis, Instance, Measurement, Mutant
from theory.papers import lyu2021 as L

CAT, K = L.CAT, L.K
F64 = ("float64",)


def _sym_instances(tier, n=2000):
    """DS-S (alpha = 1/2) and a generic symmetric set (d = 3, alpha = 0.3), ``n`` random samples each."""
    nn = n if tier == "fast" else 10 * n
    return [Instance(f"DS-S, {nn} samples", {"dataset": "DS-S", "samples": nn, "rng": 0}),
            Instance(f"generic symmetric (n=12, d=3, seed 1), alpha = 0.3, {nn} samples",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "samples": nn,
                      "rng": 1})]


def _rand_theta(rng, m, d, scale):
    W = rng.standard_normal((m, d)) * scale
    a = rng.standard_normal(m) * scale
    return a, W


def _grads(X, y, alpha, a, W):
    """Exact gradient of L (Eq. (10), App. B.1) at a smooth point: (dL/da, dL/dW), and the margins q."""
    n = len(y)
    Z = W @ X.T
    q = y * (a @ L.phi(Z, alpha))
    lp = -1.0 / (1.0 + np.exp(np.clip(q, -700, 700)))          # ell'(q) = -expit(-q)
    c = lp * y / n
    ga = L.phi(Z, alpha) @ c
    gW = a[:, None] * ((np.where(Z > 0, 1.0, alpha) * c[None, :]) @ X)
    return ga, gW, q


def _gradq(X, y, alpha, a, W, i):
    """Gradient of q_i(theta) = y_i f_theta(x_i) (Eq. (9)): (dq/da, dq/dW)."""
    z = W @ X[i]
    return y[i] * L.phi(z, alpha), y[i] * (a * np.where(z > 0, 1.0, alpha))[:, None] * X[i][None, :]


# =========================================================================== Theorems B.2-B.3 (Euler)


def _euler_measure(inst, point, precision):
    """Theorem B.3 for q_i (L = 2): <grad q_i(theta), theta> = 2 q_i(theta) at random smooth theta."""
    X, y, alpha = L.data(inst.params)
    rng = np.random.default_rng(inst.params["rng"])
    lhs, q2 = [], []
    for _ in range(inst.params["samples"] // 20):
        m = int(rng.integers(1, 6))
        a, W = _rand_theta(rng, m, X.shape[1], 10 ** rng.uniform(-2, 1))
        for i in range(len(y)):
            ga, gW = _gradq(X, y, alpha, a, W, i)
            lhs.append(float(ga @ a + np.sum(gW * W)))
            q2.append(float(y[i] * (a @ L.phi(W @ X[i], alpha))))
    sc = np.abs(np.asarray(lhs)) + np.abs(np.asarray(q2))
    return Measurement(values={"euler": lhs, "q": q2}, errors={"euler": (1e-14 * sc + 1e-300).tolist(),
                                                                 "q": (1e-14 * sc + 1e-300).tolist()},
                       coords={"sample": list(range(len(lhs)))})


EUL, Q = sp.symbols("euler q", real=True)
EULER = Claim(
    id=f"{K}.theoremB.3", paper=K, label="Theorems B.2-B.3 (homogeneity; Euler: <∂q_i, θ> = 2 q_i)",
    where="App. B.1, l.1529-1539", kind="closed-form", statement=sp.Eq(EUL, 2 * Q),
    latex_names={"euler": r"\langle \nabla q_i(\theta), \theta\rangle", "q": r"q_i(\theta)"},
    symbols_doc={"euler": "<grad q_i, theta> at a random smooth theta", "q": "q_i(theta)"},
    quantifier="for all samples and all i", hypotheses=[L.H_LOGISTIC], instances=_sym_instances,
    measure=_euler_measure, mutant=Mutant(sp.Eq(EUL, Q), "homogeneity degree L = 1 (catalog E35 mutation)"),
    catalog=f"{CAT} E35", result="theoremB.2", ladder=F64)

# =========================================================================== Lemmas B.4-B.5


def _b4_measure(inst, point, precision):
    """Lemma B.5: at the maximiser w of |G| on the sphere (exact, numerics.geometry.G_extrema), grad G(w) =
    G(w) w, with grad G(w) = (1/2n) sum y_i phi'(<w, x_i>) x_i (G is smooth there: Assumption 4.5)."""
    from numerics.geometry import G_extrema

    X, y, alpha = L.data(inst.params)
    g = G_extrema(X, y, gamma=alpha, loss="logistic")
    w = np.asarray(g.argmax, dtype=float).ravel()[: X.shape[1]]
    w = w / np.linalg.norm(w)
    Gw = float((L.phi(X @ w, alpha) @ y) / (2 * len(y)))
    grad = (np.where(X @ w > 0, 1.0, alpha) * y) @ X / (2 * len(y))
    return Measurement(values={"gradG": grad.tolist(), "Gw": (Gw * w).tolist()},
                       errors={"gradG": [1e-13] * len(w), "Gw": [1e-13] * len(w)},
                       coords={"component": list(range(1, len(w) + 1))}, info={"G(w)": Gw, "w": w.tolist()})


GG, GWW = sp.symbols("gradG Gw", real=True)
LEMMAB5 = Claim(
    id=f"{K}.lemmaB.4", paper=K, label="Lemmas B.4-B.5 (∇G(w) = G(w) w at a maximiser of |G|)",
    where="App. B.1, l.1542-1554", kind="closed-form", statement=sp.Eq(GG, GWW),
    latex_names={"gradG": r"\nabla G(w)", "Gw": r"G(w)\,w"},
    symbols_doc={"gradG": "component of grad G at the maximiser", "Gw": "component of G(w) w"},
    quantifier="every component", hypotheses=[L.H_LOGISTIC, L.H_41, L.H_45],
    instances=lambda tier: _sym_instances(tier, 20)[:2], measure=_b4_measure,
    mutant=Mutant(sp.Eq(GG, 2 * GWW), "grad G = 2 G(w) w (the L = 2 version; catalog E36 mutation)"),
    catalog=f"{CAT} E36", result="lemmaB.4", ladder=F64)

# =========================================================================== Lemma B.10


def _b10_measure(inst, point, precision):
    """Lemma B.10: |f_theta(x)| <= m ||theta||_M^2 for ||x|| <= 1, random theta and x (plus the tight witness:
    all neurons equal, w_k parallel to x, a_k = ||w_k||)."""
    from numerics.margins import m_norm

    X, y, alpha = L.data(inst.params)
    d = X.shape[1]
    rng = np.random.default_rng(inst.params["rng"])
    F, B, M = [], [], []
    for k in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = _rand_theta(rng, m, d, 10 ** rng.uniform(-2, 1))
        if k % 10 == 0:   # aligned (tight) samples
            u = rng.standard_normal(d)
            u /= np.linalg.norm(u)
            W = np.outer(np.ones(m), u) * abs(a[0])
            a = np.full(m, abs(a[0]))
            x = 0.99 * u        # |f| = 0.99 m ||theta||_M^2: near-tight (equality is not resolvable in float)
        else:
            x = rng.standard_normal(d)
            x /= max(1.0, np.linalg.norm(x))
        F.append(abs(float(a @ L.phi(W @ x, alpha))))
        M.append(m_norm(a, W))
        B.append(m)
    return Measurement(values={"absf": F, "mM": M, "m": B},
                       errors={"absf": (1e-14 * np.asarray(F) + 1e-300).tolist(), "mM": (1e-15 * np.asarray(M)).tolist(),
                               "m": 0},
                       coords={"sample": list(range(len(F)))})


ABSF, MM_, MW = sp.symbols("absf mM m", positive=True)
LEMMAB10 = Claim(
    id=f"{K}.lemmaB.10", paper=K, label="Lemma B.10 (|f_θ(x)| ≤ m ||θ||_M^2 for ||x|| ≤ 1)",
    where="App. B.3, l.1667-1721", kind="closed-form", statement=sp.Le(ABSF, MW * MM_ ** 2),
    latex_names={"absf": r"|f_\theta(x)|", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"absf": "|f_theta(x)| at a random (theta, x)", "mM": "M-norm (Def. 5.1)", "m": "width"},
    quantifier="for all samples (10% aligned with ||x|| = 0.99: |f| = 0.99 m ||theta||_M^2, near-tight)", hypotheses=[L.H_LOGISTIC],
    instances=_sym_instances, measure=_b10_measure,
    mutant=Mutant(sp.Le(ABSF, MM_ ** 2), "drop the factor m (catalog E39 mutation)"),
    catalog=f"{CAT} E39", result="lemmaB.10", ladder=F64)

# =========================================================================== Lemma B.12 / Corollary B.13


def _b12_measure(inst, point, precision):
    """Lemma B.12 / Corollary B.13: ||grad L - grad L~||_M <= m ||theta||_M^3 at random smooth theta (||x|| <= 1),
    with L~ = ell(0) - sum_k a_k G(w_k) (l.1463)."""
    from numerics.margins import m_norm

    X, y, alpha = L.data(inst.params)
    n, d = X.shape
    rng = np.random.default_rng(inst.params["rng"])
    lhs, Ms, ms = [], [], []
    for _ in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = _rand_theta(rng, m, d, 10 ** rng.uniform(-2, 0.5))
        ga, gW, _ = _grads(X, y, alpha, a, W)
        Z = W @ X.T
        Gk = (L.phi(Z, alpha) @ y) / (2 * n)                                   # G(w_k)
        gGa = -Gk
        gGW = -a[:, None] * ((np.where(Z > 0, 1.0, alpha) * (y / (2 * n))[None, :]) @ X)
        lhs.append(m_norm(ga - gGa, gW - gGW))
        Ms.append(m_norm(a, W))
        ms.append(m)
    return Measurement(values={"dg": lhs, "mM": Ms, "m": ms},
                       errors={"dg": (1e-13 * np.asarray(lhs) + 1e-300).tolist(), "mM": (1e-15 * np.asarray(Ms)).tolist(),
                               "m": 0}, coords={"sample": list(range(len(lhs)))},
                       info={"max ratio": float(np.max(np.asarray(lhs) / (np.asarray(ms) * np.asarray(Ms) ** 3)))})


DG = sp.Symbol("dg", positive=True)
LEMMAB12 = Claim(
    id=f"{K}.lemmaB.12", paper=K, label="Lemma B.12 / Corollary B.13 (||∇L − ∇L~||_M ≤ m ||θ||_M^3)",
    where="App. B.3, l.1973-2004", kind="closed-form", statement=sp.Le(DG, MW * MM_ ** 3),
    latex_names={"dg": r"\|\nabla(\mathcal{L} - \tilde{L})\|_M", "mM": r"\|\theta\|_M", "m": "m"},
    symbols_doc={"dg": "M-norm of grad(L - L~) at a random smooth theta"},
    quantifier="for all samples", hypotheses=[L.H_LOGISTIC, L.H_NORM], instances=_sym_instances,
    measure=_b12_measure,
    mutant=Mutant(sp.Le(DG, MW * MM_ ** 3 / 20), "m ||theta||_M^3 / 20 (catalog E41 mutation; true slack ~4-9)"),
    catalog=f"{CAT} E40, E41, F18", result="lemmaB.12", ladder=F64,
    notes="The proof uses |ell''| <= 1 where 1/4 holds (F18): the bound is loose by about 4.")

# =========================================================================== Lemma E.10


def _e10_measure(inst, point, precision):
    """Lemma E.10: ||grad L(theta)||_2 <= ||theta||_2 at random smooth theta (||x|| <= 1)."""
    X, y, alpha = L.data(inst.params)
    rng = np.random.default_rng(inst.params["rng"])
    g, t = [], []
    for _ in range(inst.params["samples"]):
        m = int(rng.integers(1, 6))
        a, W = _rand_theta(rng, m, X.shape[1], 10 ** rng.uniform(-3, 1))
        ga, gW, _ = _grads(X, y, alpha, a, W)
        g.append(float(math.sqrt(ga @ ga + np.sum(gW * gW))))
        t.append(float(math.sqrt(a @ a + np.sum(W * W))))
    return Measurement(values={"g": g, "th": t}, errors={"g": (1e-14 * np.asarray(g)).tolist(),
                                                         "th": (1e-15 * np.asarray(t)).tolist()},
                       coords={"sample": list(range(len(g)))},
                       info={"max ratio": float(np.max(np.asarray(g) / np.asarray(t)))})


GN, TH = sp.symbols("g th", positive=True)
LEMMAE10 = Claim(
    id=f"{K}.lemmaE.10", paper=K, label="Lemma E.10 (||g||_2 ≤ ||θ||_2 for g ∈ ∂°L(θ))",
    where="App. E, l.4583-4646", kind="closed-form", statement=sp.Le(GN, TH),
    latex_names={"g": r"\|\nabla\mathcal{L}(\theta)\|", "th": r"\|\theta\|"}, symbols_doc={},
    quantifier="for all samples", hypotheses=[L.H_LOGISTIC, L.H_NORM], instances=_sym_instances,
    measure=_e10_measure, mutant=Mutant(sp.Le(GN, TH / 4), "||g|| <= ||theta||/4 (catalog E61 mutation)"),
    catalog=f"{CAT} E61", result="lemmaE.10", ladder=F64)

# =========================================================================== Lemma E.2 (embedding of gradients)


def _e2_measure(inst, point, precision):
    """Lemma E.2 at smooth points: grad L(pi_b(theta^)) = pi_b(grad L(theta^)) componentwise (random b, theta^);
    mutant values: the b_k^2/b_+^2 embedding."""
    from theory.papers._lyu2021_phase import pi_b, pi_b_squared

    X, y, alpha = L.data(inst.params)
    d = X.shape[1]
    rng = np.random.default_rng(inst.params["rng"])
    lhs, rhs, mut = [], [], []
    for _ in range(max(1, inst.params["samples"] // 50)):
        m = int(rng.integers(3, 7))
        b = rng.standard_normal(m)
        b[0], b[1] = abs(b[0]), -abs(b[1])
        wh = rng.standard_normal((2, d))
        ah = np.array([abs(rng.standard_normal()), -abs(rng.standard_normal())])
        aM, WM = pi_b(b, wh, ah)
        ga, gW, _ = _grads(X, y, alpha, aM, WM)
        g2a, g2W, _ = _grads(X, y, alpha, ah, wh)
        ea, eW = pi_b(b, g2W, g2a)
        aS, WS = pi_b_squared(b, wh, ah)
        sa, sW, _ = _grads(X, y, alpha, aS, WS)
        lhs += np.concatenate([gW.ravel(), ga]).tolist()
        rhs += np.concatenate([eW.ravel(), ea]).tolist()
        mut += np.concatenate([sW.ravel(), sa]).tolist()
    e = (1e-14 * (np.abs(lhs) + 1e-3)).tolist()
    return Measurement(values={"gl": lhs, "emb": rhs, "mut": mut}, errors={"gl": e, "emb": e, "mut": e},
                       coords={"coordinate": list(range(len(lhs)))})


GL, EMBG, MUTG = sp.symbols("gl emb mut", real=True)
LEMMAE2 = Claim(
    id=f"{K}.lemmaE.2", paper=K, label="Lemmas E.1-E.2 (π_b maps gradients to gradients)",
    where="App. E.1, l.3288-3441", kind="closed-form", statement=sp.Eq(GL, EMBG),
    latex_names={"gl": r"\nabla\mathcal{L}(\pi_b(\hat\theta))", "emb": r"\pi_b(\nabla\mathcal{L}(\hat\theta))",
                 "mut": r"\nabla\mathcal{L}(\pi'_b(\hat\theta))"},
    symbols_doc={"gl": "a coordinate of grad L at the embedded point", "emb": "the embedded gradient"},
    quantifier="every coordinate, random good b and theta^ (a^_1 > 0 > a^_2)", hypotheses=[L.H_LOGISTIC],
    instances=_sym_instances, measure=_e2_measure,
    mutant=Mutant(sp.Eq(MUTG, EMBG), "the b_k^2/b_+^2 embedding (catalog E14 mutation)"), provides=("mut",),
    catalog=f"{CAT} E14, E53", result="lemmaE.1", ladder=F64)

# =========================================================================== Lemma E.7 (probability of a good b)


def _e7_instances(tier):
    n = 20000 if tier == "fast" else 200000
    return [Instance(f"DS-S, m in 2..6, c_a = 1, {n} draws each", {"dataset": "DS-S", "c_a": 1.0, "draws": n,
                                                                    "rng": 7}),
            Instance(f"generic symmetric (n=12, d=3, seed 1), c_a = 10, {n} draws each",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "alpha": 0.3, "c_a": 10.0,
                      "draws": n, "rng": 8})]


def _e7_measure(inst, point, precision):
    """Lemma E.7: Pr[b_bar good] over theta_bar_0 ~ D_init(1) (W ~ N(0, I), a ~ N(0, c_a^2)), Monte Carlo, with the
    99% Wilson half-width as the error; m = 2..6."""
    from numerics.margins import wilson_interval

    X, y, alpha = L.data(inst.params)
    mb, _ = L.mu_bar(X, y)
    rng = np.random.default_rng(inst.params["rng"])
    N = int(inst.params["draws"])
    ps, es, ms = [], [], []
    for m in range(2, 7):
        W = rng.standard_normal((N, m, X.shape[1]))
        a = float(inst.params["c_a"]) * rng.standard_normal((N, m))
        b = W @ mb + a
        good = (b.max(axis=1) > 0) & (b.min(axis=1) < 0)
        k = int(good.sum())
        lo, hi = wilson_interval(k, N)
        ps.append(k / N)
        es.append(max(hi - k / N, k / N - lo))
        ms.append(m)
    return Measurement(values={"p": ps, "m": ms}, errors={"p": es, "m": 0}, coords={"m": ms})


PP = sp.Symbol("p", positive=True)
LEMMAE7 = Claim(
    id=f"{K}.lemmaE.7", paper=K, label="Lemma E.7 (Pr[b̄ good] = 1 − 2^{−(m−1)})",
    where="App. E.3, l.4445-4470", kind="probabilistic", statement=sp.Eq(PP, 1 - 2 ** (1 - MW)),
    latex_names={"p": r"\Pr[\bar b\ \mathrm{good}]", "m": "m"}, symbols_doc={"p": "Monte Carlo frequency"},
    quantifier="m = 2..6 (error: 99% Wilson half-width)", hypotheses=[L.H_41], instances=_e7_instances,
    measure=_e7_measure, mutant=Mutant(sp.Eq(PP, 1 - 2 ** (-MW)), "1 - 2^-m (catalog E58 mutation)"),
    catalog=f"{CAT} E58", result="lemmaE.7", ladder=F64)
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

CLAIMS_MORE = [EULER, LEMMAB5, LEMMAB10, LEMMAB12, LEMMAE10, LEMMAE2, LEMMAE7] + NOT_CHECKABLE
