"""lyu2021: Lyu, Li, Wang, Arora, "Gradient Descent on Two-layer Nets: Margin Maximization and Simplicity
Bias" (NeurIPS 2021). Seed text ``seeds/002_*.txt``, claim catalog ``claims/claims_002.md`` (entries cited
as "catalog E06", findings as "F1", ...).

Setting (§3.2, l.255-296): f_theta(x) = sum_k a_k phi(<w_k, x>), phi(z) = max(z, alpha z), alpha in (0, 1),
theta = (w_1..w_m, a_1..a_m); logistic loss L = (1/n) sum_i ln(1 + e^{-q_i}), q_i = y_i f_theta(x_i); the
Clarke gradient flow from small initialisation theta_0 = sigma_init theta_bar_0 with
theta_bar_0 ~ D_init(1) (w_k ~ N(0, I), a_k ~ N(0, c_a^2), drawn W then a: numerics.network.init_gaussian)
or the balanced D~_init(1) of §6. Weights diverge: every t -> infinity claim is judged on normalised
quantities (gamma = q_min/||theta||^2, theta/||theta||, f_theta/||theta||^2), extrapolated in
s = 1/||theta||^2 from log-spaced samples up to t = 1e200 (numerics.margins; catalog NP rate rule).

This module: the headline checks (Theorems 4.2, 4.3, Corollary 4.4 + its probability, Lemmas 5.2, 5.3,
Theorem 5.5, Theorem 6.2, the KKT test of Theorem 3.1 / Definitions B.7-B.8, finding F1). The remaining
numbered results and the closed-form findings are in :mod:`theory.papers._lyu2021_more`.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Hypothesis, Instance, Measurement, Mutant, Paper, Result

CAT = "claims_002.md"
K = "lyu2021"


def _R(rid, label, where, kind, uses=(), note=""):
    return Result(rid, label, where, kind, tuple(uses), note)


PAPER = Paper(
    key=K,
    title="Gradient Descent on Two-layer Nets: Margin Maximization and Simplicity Bias",
    authors="K. Lyu, Z. Li, R. Wang, S. Arora",
    venue="NeurIPS 2021",
    source="seeds/002_2603aa44007c41f1.txt",
    catalog="claims/claims_002.md",
    order=2,
    results=[
        _R("theorem3.1", "Theorem 3.1", "§3.1, l.272", "theorem", (), "cited (Lyu & Li 2020; Ji & Telgarsky 2020a)"),
        _R("assumption3.2", "Assumption 3.2", "§3.2, l.298", "assumption"),
        _R("definition3.3", "Definition 3.3", "§3.2, l.299", "definition", ("assumption3.2",)),
        _R("assumption4.1", "Assumption 4.1", "§4, l.309", "assumption"),
        _R("definitionB.6", "Definitions B.6-B.8", "App. B.2, l.1558-1620", "definition"),
        _R("lemmaB.9", "Lemma B.9", "App. B.2, l.1625", "lemma", ("definitionB.6",)),
        _R("theorem4.2", "Theorem 4.2", "§4.1, l.326 (proof App. C)", "theorem",
           ("assumption3.2", "assumption4.1", "definition3.3")),
        _R("assumption4.5", "Assumption 4.5", "§4.2, l.410", "assumption"),
        _R("assumption4.6", "Assumption 4.6", "§4.2, l.418", "assumption"),
        _R("definition5.1", "Definition 5.1", "§5.1, l.595", "definition"),
        _R("linearization", "Eq. (2)-(3): G(w) = <w, mu~>, lambda_0 = ||mu~||", "§5.1, l.429-593", "definition",
           ("assumption4.1",), "printed mu~ = (1+alpha)/2 mu is off by 2 (F1)"),
        _R("lemmaB.1", "Lemma B.1 (Gronwall)", "App. B.1, l.1481", "lemma"),
        _R("theoremB.2", "Theorems B.2-B.3 (homogeneity, Euler)", "App. B.1, l.1529-1539", "theorem"),
        _R("lemmaB.4", "Lemmas B.4-B.5", "App. B.1, l.1542-1554", "lemma", ("theoremB.2",)),
        _R("lemmaB.10", "Lemma B.10", "App. B.3, l.1667", "lemma", ("definition5.1",)),
        _R("lemmaB.11", "Lemma B.11", "App. B.3, l.1724", "lemma", ("lemmaB.10",)),
        _R("lemmaB.12", "Lemma B.12, Corollary B.13", "App. B.3, l.1973-2004", "lemma", ("lemmaB.11",)),
        _R("lemmaB.14", "Lemma B.14", "App. B.3, l.2006", "lemma", ("lemmaB.11",)),
        _R("lemmaB.15", "Lemma B.15", "App. B.4, l.2115", "lemma"),
        _R("lemmaB.16", "Lemma B.16", "App. B.4, l.2138", "lemma", ("lemmaB.15",)),
        _R("corollaryB.18", "Lemma B.17, Corollary B.18", "App. B.4, l.2336-2381", "corollary", ("lemmaB.16",)),
        _R("lemmaB.20", "Lemma B.20", "App. B.5, l.2394", "lemma", ("lemmaB.15",)),
        _R("theoremB.19", "Theorem B.19", "App. B.5, l.2387", "theorem", ("lemmaB.20", "corollaryB.18")),
        _R("lemmaD.1", "Lemma D.1", "App. D, l.2919", "lemma", ("linearization",)),
        _R("lemmaD.2", "Lemma D.2", "App. D, l.2942", "lemma", ("lemmaD.1", "lemmaB.12", "lemmaB.1")),
        _R("lemma5.2", "Lemma 5.2", "§5.1, l.597 (proof App. D, l.3094)", "lemma",
           ("lemmaD.2", "linearization", "definition5.1")),
        _R("lemmaE.1", "Lemmas E.1-E.2", "App. E.1, l.3288-3441", "lemma"),
        _R("lemma5.3", "Lemma 5.3", "§5.2, l.718", "lemma", ("lemmaE.1",)),
        _R("definitionE.3", "Definition E.3", "App. E.2, l.3468", "definition", ("lemmaB.4",)),
        _R("lemmaE.10", "Lemma E.10", "App. E, l.4583", "lemma"),
        _R("lemmaE.5", "Lemmas E.5-E.6", "App. E.2, l.3572-4328", "lemma", ("lemmaB.12", "lemmaB.14")),
        _R("theoremE.4", "Theorem E.4", "App. E.2, l.3491", "theorem", ("definitionE.3", "lemmaE.5")),
        _R("lemmaE.7", "Lemma E.7", "App. E.3, l.4445", "lemma"),
        _R("lemmaE.8", "Lemmas E.8-E.9, E.11", "App. E.3, l.4472-4670", "lemma",
           ("theoremE.4", "lemma5.2", "lemmaE.10")),
        _R("lemma5.4", "Lemma 5.4", "§5.2, l.729", "lemma", ("lemma5.2", "lemma5.3", "lemmaE.7", "lemmaE.8")),
        _R("lemmaF.1", "Lemmas F.1-F.3", "App. F.1, l.4847-5220", "lemma", ("definitionB.6",)),
        _R("theorem5.5", "Theorem 5.5", "§5.3, l.774 (proof F.1)", "theorem", ("lemmaF.1", "lemmaB.20")),
        _R("lemmaF.4", "Lemmas F.4-F.8, F.10, F.11", "App. F.2, l.5662-6540", "lemma", (), "cited KL machinery"),
        _R("theoremF.9", "Theorem F.9", "App. F.2, l.5745", "theorem", ("lemmaF.4",)),
        _R("theorem5.6", "Theorem 5.6", "§5.3, l.807", "theorem", ("lemmaF.4",)),
        _R("theorem4.3", "Theorem 4.3", "§4.2, l.362 (proof F.3)", "theorem",
           ("lemma5.4", "theorem5.5", "theorem5.6", "theorem4.2", "assumption4.5", "assumption4.6")),
        _R("corollary4.4", "Corollary 4.4", "§4.2, l.387", "corollary", ("theorem4.3", "theorem4.2")),
        _R("definition6.1", "Definition 6.1", "§6, l.849", "definition", ("definition3.3",)),
        _R("assumptionA.1", "Assumptions A.1-A.3", "App. A.1, l.958-1005", "assumption"),
        _R("lemmaG.1", "Lemmas G.1-G.2", "App. G.1, l.6881-7053", "lemma", ("assumptionA.1",)),
        _R("lemmaA.4", "Lemma A.4", "App. A.1, l.1046", "lemma", ("definitionB.6",)),
        _R("assumptionA.5", "Assumptions A.5-A.6", "App. A.1, l.1063-1081", "assumption"),
        _R("theoremA.7", "Theorem A.7", "App. A.1, l.1084 (proof G.3-G.5)", "theorem",
           ("assumptionA.1", "assumptionA.5", "lemmaG.1", "lemmaA.4"), "false under A.5 as stated (F2)"),
        _R("theoremA.10", "Assumptions A.8-A.9, Theorem A.10", "App. A.3, l.1218-1281", "theorem", ("theoremA.7",)),
        _R("theoremH.2", "Definition H.1, Theorem H.2, Lemma H.3", "App. H, l.8867-9142", "theorem",
           ("definitionB.6",), "orthogonally separable data (ReLU)"),
        _R("theorem6.2", "Theorem 6.2", "§6, l.857 (proof App. A.2)", "theorem",
           ("definition6.1", "theoremA.7"), "corollary of Theorem A.7 with w^+ = w*"),
    ],
)

# --------------------------------------------------------------------------- datasets


def dataset(p: dict):
    """The instance's dataset (numerics.datasets), from JSON-able params (``dataset`` + options); ``flip=True``
    negates every label (the reversed case of App. A.3, l.1218-1221: "flipping all the labels")."""
    ds = _dataset_base(p)
    return ds.with_data(y=-ds.y, name=ds.name + " (labels flipped)") if p.get("flip") else ds


def _dataset_base(p: dict):
    from numerics import datasets as D

    name = p["dataset"]
    alpha = float(p.get("alpha", 0.5))
    if name == "DS-S":
        return D.lyu2021_ds_s(alpha)
    if name == "DS-S2":
        return D.lyu2021_ds_s2(alpha)
    if name == "DS-A":
        return D.lyu2021_ds_a(alpha)
    if name == "DS-O":
        return D.lyu2021_ds_o()
    if name == "DS-O-rot":   # DS-O rotated by 40 degrees (orthogonal separability is rotation invariant)
        ds = D.lyu2021_ds_o()
        c, s_ = math.cos(math.radians(40)), math.sin(math.radians(40))
        return ds.with_data(X=ds.X @ np.array([[c, s_], [-s_, c]]), name="lyu2021.DS-O-rot")
    if name == "DS-K":
        return D.lyu2021_ds_k(alpha)
    if name == "DS-H":
        return D.lyu2021_ds_h(H=float(p.get("H", 70.0)), K=float(p.get("K", 1.0)), eps=float(p.get("eps", 0.1)),
                              scale=float(p.get("scale", 1.0)), alpha=alpha)
    if name == "symmetric":
        return D.symmetric_separable(n_half=int(p.get("n_half", 6)), d=int(p.get("d", 3)),
                                     margin=float(p.get("margin", 0.2)), seed=int(p.get("ds_seed", 0)), alpha=alpha)
    if name == "hinted-generic":
        return hinted_generic(int(p.get("ds_seed", 4)), alpha)
    raise ValueError(f"unknown lyu2021 dataset {name!r}")


@lru_cache(maxsize=8)
def hinted_generic(seed: int = 4, alpha: float = 0.5):
    """A generic (H, K, eps, w_perp)-hinted dataset (Definition 6.1) on a random separable base set S
    (3 positives, 3 negatives in d = 2, numerics.datasets.symmetric_separable(n_half=3, margin=0.3)),
    K = 1, eps = alpha min_S y<w*,x>/2, H = 2 max(H_0, (||sum y x^-|| + ||sum y x^+||)/(1 - alpha)) (App. A.2
    with the explicit form of catalog F6), all inputs divided by max ||x|| so ||x|| <= 1 (l.296)."""
    from numerics import datasets as D
    from numerics import geometry as geo

    base = D.symmetric_separable(n_half=3, d=2, margin=0.3, seed=seed, alpha=alpha)
    X, y = base.X, base.y
    ws, gs = D._max_margin(X, y)
    eps = 0.5 * alpha * gs
    probe = D.hinted(X, y, 1.0, 1.0, eps, w_star=ws, alpha=alpha)
    th = D.hinted_thresholds(probe, alpha)
    Xp, Xm = geo.x_pm(probe.X, probe.y, alpha)
    expl = (np.linalg.norm((probe.y[1:, None] * Xm[1:]).sum(0)) + np.linalg.norm((probe.y[1:, None] * Xp[1:]).sum(0)))
    H = 2.0 * max(th["H0"], expl / (1 - alpha), eps)
    ds = D.hinted(X, y, H, 1.0, eps, w_star=ws, alpha=alpha, name="hinted-generic",
                  source="Definition 6.1 on random separable data")
    sc = 1.0 / float(np.max(np.linalg.norm(ds.X, axis=1)))
    return ds.with_data(X=ds.X * sc, params={**ds.params, "scale": sc})


def data(p: dict):
    ds = dataset(p)
    return ds.X, ds.y, float(p.get("alpha", 0.5)) if not p["dataset"].startswith("DS-O") else 0.0


def model(p: dict):
    from numerics.network import Model

    X, y, alpha = data(p)
    return Model(X, y, gamma=alpha, loss="logistic")


@lru_cache(maxsize=64)
def _svm(pj: str):
    from numerics.convex import svm_hard_margin

    X, y, _ = data(json.loads(pj))
    s = svm_hard_margin(X, y)
    return s.direction, float(s.margin), float(abs(s.duality_gap or 0.0))


def svm(p):
    """(w*, gamma_w*, duality gap) of Definition 3.3 (hard-margin SVM, cvxpy + Clarabel)."""
    return _svm(json.dumps(p, sort_keys=True))


def mu_bar(X, y):
    mu = (y[:, None] * X).mean(axis=0)
    return mu / np.linalg.norm(mu), mu


def test_points(d: int, seed: int = 11) -> np.ndarray:
    """Points where normalised functions are compared: an 8 x 8 grid on [-0.9, 0.9]^2 (d = 2; no point on the
    coordinate axes, where an axis-aligned w* would make the target exactly 0), else 40 uniform points of
    [-1, 1]^d (seeded)."""
    if d == 2:
        g = np.linspace(-0.9, 0.9, 8)
        return np.array([[u, v] for u in g for v in g])
    return np.random.default_rng(seed).uniform(-1, 1, size=(40, d))


def phi(z, alpha):
    return np.where(z > 0, z, alpha * z)


# --------------------------------------------------------------------------- hypotheses


def _validation(p, setting):
    from numerics.datasets import validate_lyu2021

    return validate_lyu2021(dataset(p), alpha=float(p.get("alpha", 0.5)), setting=setting)


def hyp(name, setting, where, key=None):
    """Hypothesis from numerics.datasets.validate_lyu2021 (``key``: the check's name prefix)."""
    def test(inst):
        v = _validation(inst.params, inst.params.get("setting", setting))
        pre = (key or name).split(" (")[0]
        hits = [c for c in v if c.name == (key or name) or c.name.split(" (")[0] == pre]
        if not hits:
            return False, f"validator has no check {pre!r} for setting {inst.params.get('setting', setting)!r}"
        return hits[0].passed, hits[0].reason
    return Hypothesis(name, test, where)


H_NORM = hyp("||x_i|| <= 1 (l.296)", "symmetric", "§3.2, l.296")
H_32 = hyp("Assumption 3.2 (linearly separable)", "symmetric", "l.298")
H_41 = hyp("Assumption 4.1 (symmetric)", "symmetric", "l.309")
H_45 = hyp("Assumption 4.5 (<mu, x_i> != 0)", "symmetric", "l.410")
H_DEF61 = hyp("Definition 6.1 (hinted dataset)", "hinted", "l.849")
H_T62 = hyp("Theorem 6.2 conditions (App. A.2)", "hinted", "App. A.2, l.1113-1140")
H_A2 = hyp("Assumption A.2", "nonsymmetric", "l.986")
H_A3 = hyp("Assumption A.3 (||mu^+|| > ||mu^-||)", "nonsymmetric", "l.1005")


def _m_ge(k):
    def test(inst):
        m = int(inst.params.get("m", 2))
        return m >= k, f"width m = {m}"
    return test


H_M2 = Hypothesis("width m >= 2", _m_ge(2), "Theorem 4.2/4.3, l.326, l.362")
H_46 = Hypothesis("Assumption 4.6 (non-branching starts)", lambda inst: (True, "assumed: not verifiable numerically "
                  "(catalog E10); the engine's Filippov selection is the unique small-step limit here"), "l.418")
H_LOGISTIC = Hypothesis("logistic loss, leaky ReLU alpha in (0, 1)",
                        lambda inst: (0 < float(inst.params.get("alpha", 0.5)) < 1,
                                      f"alpha = {inst.params.get('alpha', 0.5)}"), "§3.2, l.255-294")
SYM_HYP = [H_LOGISTIC, H_NORM, H_32, H_41]

# --------------------------------------------------------------------------- inits


def init_bar(p):
    """theta_bar_0: D_init(1) (w ~ N(0, I), a ~ N(0, c_a^2); W drawn first, then a) or the balanced
    D~_init(1) of §6 (``init="balanced"``: w_k ~ N(0, I), a_k = s_k ||w_k|| with signs ``s`` or drawn)."""
    from numerics.network import init_gaussian

    X, y, _ = data(p)
    m, d = int(p["m"]), X.shape[1]
    if p.get("init", "gaussian") == "balanced":
        rng = np.random.default_rng(int(p["seed"]))
        Wb = rng.standard_normal((m, d))
        s = np.asarray(p["s"], dtype=float) if "s" in p else rng.choice([-1.0, 1.0], size=m)
        return s * np.linalg.norm(Wb, axis=1), Wb
    a, W, _ = init_gaussian(m, d, 1.0, c_a=float(p.get("c_a", 1.0)), seed=int(p["seed"]))
    return a, W


def b_bar(p):
    """b_bar_k = (<w_bar_k, mu_bar> + a_bar_k)/(2 sqrt(m) ||theta_bar_0||_M) (Lemma 5.2, l.618-624)."""
    from numerics.margins import m_norm

    X, y, _ = data(p)
    a, W = init_bar(p)
    mb, _ = mu_bar(X, y)
    return (W @ mb + a) / (2 * math.sqrt(len(a)) * m_norm(a, W))


def _good_b(inst):
    b = b_bar(inst.params)
    ok = bool(np.all(b != 0) and b.max() > 0 and b.min() < 0)
    return ok, f"b_bar = {np.round(b, 6).tolist()} ({'mixed signs: good' if ok else 'one sign: the 2^-(m-1) event'})"


H_GOOD_B = Hypothesis("b_bar good (the 1 - 2^-(m-1) event of Lemma E.7)", _good_b, "l.642-643, l.4445")


def lam0(X, y, alpha):
    """lambda_0 = max_{||w|| = 1} |G(w)| (exact, numerics.geometry.G_extrema; the corrected value of F1)."""
    from numerics.geometry import G_extrema

    g = G_extrema(X, y, gamma=alpha, loss="logistic")
    return max(g.max_value, -g.min_value)


# --------------------------------------------------------------------------- t -> infinity runs

LOG10_T = 250.0
RTOL = 1e-10


@lru_cache(maxsize=32)
def limit_run(pj: str) -> dict:
    """Flow from sigma_init theta_bar_0 to t = 1e200 sampled twice a decade (numerics.margins), with the
    limits of gamma, gamma~, theta/||theta|| and f_theta/||theta||^2 (test points) extrapolated in
    s = 1/||theta||^2 over the last 20 samples (40 decades), error from the 40-sample fit (numerics.margins)."""
    from numerics.convex import kkt_margin_residual
    from numerics.flows import PolarState
    from numerics.margins import extrapolate_limit, flow_to_infinity, normalized_function, split_theta

    p = json.loads(pj)
    X, y, alpha = data(p)
    mdl = model(p)
    a0, W0 = init_bar(p)
    sig = float(p["sigma"])
    if "theta0" in p:   # an explicit start (Theorem 5.5): ((w_1..w_m), (a_1..a_m))
        W0 = np.asarray(p["theta0"][0], dtype=float)
        a0 = np.asarray(p["theta0"][1], dtype=float)
        sig = 1.0
    st0 = PolarState.from_cartesian(sig * a0, sig * W0)
    run = flow_to_infinity(mdl, st0, float(p.get("log10_t", LOG10_T)), per_decade=0.5, rtol=RTOL, atol=1e-13)
    Xt = test_points(X.shape[1])
    F = np.array([normalized_function(Xt, a, W, alpha) for a, W in zip(run.a, run.W)])
    g_inf, g_err, g_slope = extrapolate_limit(run.s, run.gamma)
    f_inf, f_err, _ = extrapolate_limit(run.s, F)
    d_inf, d_err, _ = extrapolate_limit(run.s, run.direction)
    m, d = len(a0), X.shape[1]
    # accumulated integration error floor (relative): rtol per step
    flo = RTOL * (run.nsteps + 1)
    kk = kkt_margin_residual(X, y, run.a[-1], run.W[-1], alpha, active_rtol=1e-3)
    return {"t": run.t.tolist(), "n2": run.n2.tolist(), "gamma": run.gamma.tolist(),
            "gamma_tilde": [None if not np.isfinite(v) else float(v) for v in run.gamma_tilde],
            "g_inf": g_inf, "g_err": g_err + flo * abs(g_inf), "gap_times_n2": g_slope,
            "f_inf": f_inf.tolist(), "f_err": (f_err + flo * np.abs(f_inf) + 1e-12).tolist(),
            "d_inf": d_inf.tolist(), "d_err": (d_err + flo).tolist(), "Xt": Xt.tolist(),
            "dir_final": run.direction[-1].tolist(), "a_T": run.a[-1].tolist(), "W_T": run.W[-1].tolist(),
            "a_all": [np.asarray(a).tolist() for a in run.a], "W_all": [np.asarray(W).tolist() for W in run.W],
            "kkt_final": float(kk.residual), "kkt_active": kk.active.tolist(), "nsteps": run.nsteps,
            "events": run.events, "m": m, "d": d, "alpha": alpha}


def lrun(inst):
    return limit_run(json.dumps(inst.params, sort_keys=True))


def _lr_info(r):
    return {"t_final": r["t"][-1], "nsteps": r["nsteps"], "events": r["events"], "rtol": RTOL,
            "gamma(t=1e100)": r["gamma"][len(r["gamma"]) // 2], "gamma(t_end)": r["gamma"][-1],
            "gamma_inf (extrapolated)": r["g_inf"], "extrapolation error": r["g_err"],
            "gap * ||theta||^2 (fitted, rate rule)": -r["gap_times_n2"], "||theta(t_end)||^2": r["n2"][-1]}


def _lr_series(r, target=None, label="gamma(theta(t))"):
    ser = {"margin": {"x": [math.log10(t) for t in r["t"]], "y": {label: r["gamma"]},
                      "xlabel": "log10 t", "ylabel": "normalised margin", "logy": False}}
    if target is not None:
        ser["margin"]["hline"] = {"target": float(target)}
    return ser


# =========================================================================== Theorem 4.2 (convex)

ALPHAS = [0.1, 0.5, 0.9]


def _t42_instances(tier):
    grid = [{"alpha": a} for a in (ALPHAS if tier == "fast" else [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95])]
    kw = dict(grid=grid, grid_param="alpha", grid_symbol="α",
              description="global max normalised margin of the network class (exact convex reformulation over "
                          "activation patterns, numerics.convex.max_margin_network) vs the linear SVM")
    out = [Instance("DS-S", {"dataset": "DS-S", "m": 2}, **kw),
           Instance("generic symmetric (n=12, d=3, seed 1)", {"dataset": "symmetric", "n_half": 6, "d": 3,
                                                              "ds_seed": 1, "m": 2}, **kw)]
    if tier == "full":
        out.append(Instance("DS-S2", {"dataset": "DS-S2", "m": 2}, **kw))
    return out


@lru_cache(maxsize=64)
def _mmn(pj: str):
    from numerics.convex import max_margin_network

    p = json.loads(pj)
    X, y, alpha = data(p)
    return max_margin_network(X, y, alpha)


def _t42_common(inst, point):
    p = {**inst.params, "alpha": float(point["alpha"])}
    X, y, alpha = data(p)
    ws, gs, gap_s = svm(p)
    r = _mmn(json.dumps(p, sort_keys=True))
    val = float(r.value)
    gmax = 1.0 / (2.0 * val)
    rel = abs(float(r.duality_gap or 0.0)) / val + 1e-9
    return p, X, y, alpha, ws, gs, gap_s, r, gmax, rel


def _t42_measure(inst, point, precision):
    """Theorem 4.2 value: gamma_max (convex, certified when every pattern is enumerated) against
    (1+alpha)/4 gamma_w*; also the explicit witness 1/2(w*, -w*, 1, -1) zero-padded to m = 2, 3, 5."""
    from numerics.margins import normalized_margin

    p, X, y, alpha, ws, gs, gap_s, r, gmax, rel = _t42_common(inst, point)
    wit = []
    for m in (2, 3, 5):
        W = np.zeros((m, X.shape[1]))
        a = np.zeros(m)
        W[0], W[1], a[0], a[1] = ws / 2, -ws / 2, 0.5, -0.5
        wit.append(normalized_margin(X, y, a, W, alpha))
    return Measurement(values={"g_max": gmax, "g_w": gs, "alpha": mpmath.mpf(point["alpha"])},
                       errors={"g_max": gmax * rel, "g_w": gs * (gap_s + 1e-9), "alpha": 0},
                       info={"certified": bool(r.certified), "duality_gap": float(r.duality_gap or 0),
                             "witness margins (m = 2, 3, 5)": wit, "patterns": int(len(r.patterns_used))
                             if hasattr(r, "patterns_used") else None})


def _t42_linear_measure(inst, point, precision):
    """Theorem 4.2 (function): the convex optimum network f/||theta||^2 at test points vs (1+alpha)/4 <w*, x>."""
    p, X, y, alpha, ws, gs, gap_s, r, gmax, rel = _t42_common(inst, point)
    from numerics.margins import normalized_function

    Xt = test_points(X.shape[1])
    from numerics.margins import normalized_margin

    f = normalized_function(Xt, r.a, r.W, alpha)
    lin = Xt @ ws
    # the recovered network is optimal up to its margin defect delta; near the (function-unique) optimum the
    # margin decays quadratically in the distance, so its function is accurate to ~ sqrt(delta) max|f|
    delta = abs(normalized_margin(X, y, r.a, r.W, alpha) - gmax) / gmax + rel
    err = np.abs(f) * rel + math.sqrt(delta) * float(np.max(np.abs(f))) + 1e-12
    return Measurement(values={"f_opt": f.tolist(), "lin": lin.tolist(), "alpha": mpmath.mpf(point["alpha"])},
                       errors={"f_opt": err.tolist(), "lin": (1e-9 * np.abs(lin) + 1e-12).tolist(), "alpha": 0},
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]},
                       info={"width of the optimum": int(np.sum(np.abs(r.a) > 1e-9)),
                             "certified": bool(r.certified)})


GMAX, GW, AL = sp.symbols("g_max g_w alpha", positive=True)
FOPT, LIN = sp.symbols("f_opt lin", real=True)

THEOREM42 = Claim(
    id="lyu2021.theorem4.2", paper=K, label="Theorem 4.2 (global max margin = (1+α)/4 γ_w*)",
    where="§4.1, l.326-332; proof App. C, l.2621-2888", kind="convex",
    statement=sp.Eq(GMAX, (1 + AL) / 4 * GW),
    latex_names={"g_max": r"\gamma_{\max}", "g_w": r"\gamma_{w^*}", "alpha": r"\alpha"},
    symbols_doc={"g_max": "max over ||theta|| = 1 of q_min(theta) (any width >= 2; exact convex reformulation)",
                 "g_w": "linear max margin gamma_w* (SVM)", "alpha": "leaky slope"},
    quantifier="for every width m >= 2 (the optimum of the convex program uses at most 2 patterns here; the "
               "witness 1/2(w*, -w*, 1, -1) attains it at m = 2, 3, 5)",
    hypotheses=[H_NORM, H_32, H_41, H_M2], instances=_t42_instances, measure=_t42_measure,
    mutant=Mutant(sp.Eq(GMAX, (1 + AL) / 2 * GW), "value (1+alpha)/2 gamma_w* (catalog E06 mutation (i))"),
    catalog=f"{CAT} E06", result="theorem4.2", share="lyu2021.t42", ladder=("float64",))

THEOREM42_LINEAR = Claim(
    id="lyu2021.theorem4.2.linear", paper=K, label="Theorem 4.2 (the global max-margin f is (1+α)/4 <w*, x>)",
    where="§4.1, l.326-332", kind="convex",
    statement=sp.Eq(FOPT, (1 + AL) / 4 * LIN),
    latex_names={"f_opt": r"f_{\theta^*}(x)", "lin": r"\langle w^*, x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_opt": "f of the convex optimum, normalised to ||theta|| = 1, at a test point",
                 "lin": "<w*, x> at the test point"},
    quantifier="for all test points x (7 x 7 grid of [-1,1]^2, or 40 points of [-1,1]^d)",
    hypotheses=[H_NORM, H_32, H_41, H_M2], instances=_t42_instances, measure=_t42_linear_measure,
    mutant=Mutant(sp.Eq(FOPT, (1 + AL) / 2 * LIN), "scaling (1+alpha)/2 (catalog E07 mutation (i))"),
    catalog=f"{CAT} E06 (b)", result="theorem4.2", share="lyu2021.t42", ladder=("float64",))

# =========================================================================== Theorem 4.3, Corollary 4.4, KKT


def _t43_instances(tier):
    """DS-S INIT-A (catalog E07) and a generic symmetric set in d = 2; the full tier adds a generic d = 3 set
    (only two support vectors in d = 3: the normalised function converges like 1/sqrt(ln t) along the flat
    directions of the max-margin set and is resolved to ~1e-8 only, INCONCLUSIVE at that level) and DS-S2."""
    out = [Instance("DS-S, INIT-A (m=4, seed 2), sigma = 1e-6",
                    {"dataset": "DS-S", "m": 4, "seed": 2, "sigma": 1e-6, "c_a": 1.0},
                    description="D_init(1) draw numpy default_rng(2) (catalog INIT-A), flow to t = 1e250"),
           Instance("generic symmetric (n=10, d=2, seed 2), m=4, seed 5, sigma = 1e-6",
                    {"dataset": "symmetric", "n_half": 5, "d": 2, "ds_seed": 2, "m": 4, "seed": 5,
                     "sigma": 1e-6, "c_a": 1.0},
                    description="D_init(1) draw default_rng(5), flow to t = 1e250")]
    if tier == "full":
        out.append(Instance("generic symmetric (n=12, d=3, seed 1), m=4, seed 5, sigma = 1e-6",
                            {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 4, "seed": 5,
                             "sigma": 1e-6, "c_a": 1.0}, description="flow to t = 1e250"))
        out.append(Instance("DS-S2, m=6, seed 0, sigma = 1e-8",
                            {"dataset": "DS-S2", "m": 6, "seed": 0, "sigma": 1e-8, "c_a": 1.0},
                            description="catalog E07 stress test (mu_bar not a separator)"))
    return out


def _t43_measure(inst, point, precision):
    """Theorem 4.3: f_inf(x) = lim f_{theta(t)/||theta(t)||}(x) (extrapolated in 1/||theta||^2 from t <= 1e200)
    against (1+alpha)/4 <w*, x>."""
    r = lrun(inst)
    ws, gs, _ = svm(inst.params)
    Xt = np.asarray(r["Xt"])
    lin = Xt @ ws
    return Measurement(values={"f_inf": r["f_inf"], "lin": lin.tolist(), "alpha": mpmath.mpf(r["alpha"])},
                       errors={"f_inf": r["f_err"], "lin": (1e-9 * np.abs(lin) + 1e-12).tolist(), "alpha": 0},
                       coords={"x": [str(np.round(x, 3).tolist()) for x in Xt]}, info=_lr_info(r),
                       series=_lr_series(r, (1 + r["alpha"]) / 4 * gs))


FINF = sp.Symbol("f_inf", real=True)
GINF, GGLOB = sp.symbols("g_inf g_glob", positive=True)

THEOREM43 = Claim(
    id="lyu2021.theorem4.3", paper=K, label="Theorem 4.3 (flow converges to (1+α)/4 <w*, x>)",
    where="§4.2, l.362-383; proof F.3, l.6621-6707", kind="asymptotic",
    statement=sp.Eq(FINF, (1 + AL) / 4 * LIN),
    latex_names={"f_inf": r"f_\infty(x)", "lin": r"\langle w^*, x\rangle", "alpha": r"\alpha"},
    symbols_doc={"f_inf": "lim_t f_theta(t)(x)/||theta(t)||^2, extrapolated in 1/||theta||^2 (rate rule)",
                 "lin": "<w*, x>"},
    quantifier="for all test points x, on a draw of the success event (b_bar good), sigma_init small",
    hypotheses=SYM_HYP + [H_45, H_46, H_M2, H_GOOD_B], instances=_t43_instances, measure=_t43_measure,
    mutant=Mutant(sp.Eq(FINF, (1 + AL) / 2 * LIN), "scaling (1+alpha)/2 (catalog E07 mutation (i))"),
    catalog=f"{CAT} E07", result="theorem4.3", share="lyu2021.symrun", ladder=("float64",),
    notes="Order of limits: t -> infinity at a fixed small sigma_init (the theorem's order). The limit is read "
          "from the trend in s = 1/||theta||^2 (gap ~ c s), not from one end point.")


@lru_cache(maxsize=32)
def _gglob(pj):
    p = json.loads(pj)
    r = _mmn(json.dumps({k: v for k, v in p.items() if k in ("dataset", "alpha", "n_half", "d", "ds_seed", "H",
                                                              "K", "eps", "scale", "margin")}, sort_keys=True))
    val = float(r.value)
    return 1 / (2 * val), abs(float(r.duality_gap or 0)) / val + 1e-9


def _c44_measure(inst, point, precision):
    """Corollary 4.4: the limit normalised margin gamma_inf (extrapolated) against the global max margin
    gamma_glob of the network class (convex reformulation, not the closed form)."""
    r = lrun(inst)
    gg, rel = _gglob(json.dumps(inst.params, sort_keys=True))
    ws, gs, _ = svm(inst.params)
    return Measurement(values={"g_inf": r["g_inf"], "g_glob": gg, "g_w": gs, "alpha": mpmath.mpf(r["alpha"])},
                       errors={"g_inf": r["g_err"], "g_glob": gg * rel, "g_w": 1e-9 * gs, "alpha": 0},
                       info=_lr_info(r), series=_lr_series(r, gg))


COROLLARY44 = Claim(
    id="lyu2021.corollary4.4", paper=K, label="Corollary 4.4 (the flow reaches the global max margin)",
    where="§4.2, l.387-388", kind="asymptotic",
    statement=sp.Eq(GINF, GGLOB),
    latex_names={"g_inf": r"\lim_t \gamma(\theta(t))", "g_glob": r"\max_{S^{D-1}}\gamma", "g_w": r"\gamma_{w^*}",
                 "alpha": r"\alpha"},
    symbols_doc={"g_inf": "limit normalised margin of the flow (extrapolated)",
                 "g_glob": "global max normalised margin (convex reformulation)"},
    quantifier="on a draw of the success event, sigma_init small",
    hypotheses=SYM_HYP + [H_45, H_46, H_M2, H_GOOD_B], instances=_t43_instances, measure=_c44_measure,
    mutant=Mutant(sp.Eq(GINF, AL / 2 * GW), "the one-neuron KKT margin alpha gamma_w*/2 (Lemma F.3 cases 2-3)"),
    provides=("g_w", "alpha"),
    catalog=f"{CAT} E08", result="corollary4.4", share="lyu2021.symrun", ladder=("float64",))

KKT_TOL = 1e-5


def _rotated(ws, angle=0.2):
    d = len(ws)
    e = np.zeros(d)
    e[int(np.argmin(np.abs(ws)))] = 1.0
    e = e - (e @ ws) * ws
    e /= np.linalg.norm(e)
    return math.cos(angle) * ws + math.sin(angle) * e


def _kkt_measure(inst, point, precision):
    """Theorem 3.1 / Definitions B.7-B.8: KKT residual (numerics.convex.kkt_margin_residual, an SOCP over the
    multipliers lambda_i >= 0 and the Clarke slopes at kinks; near-active set q_i <= (1 + 1e-3) q_min) of the
    flow's extrapolated limit direction (the residual at t_end, reported in info, still carries the
    O(1/sqrt(ln t)) distance to the limit). Mutant input: the linear classifier direction
    1/2(w, -w, 1, -1) with w = w* rotated by 0.2 rad (not KKT)."""
    from numerics.convex import kkt_margin_residual
    from numerics.margins import split_theta

    r = lrun(inst)
    X, y, alpha = data(inst.params)
    m, d = r["m"], r["d"]
    a_l, W_l = split_theta(np.asarray(r["d_inf"]), m, d)
    kl = kkt_margin_residual(X, y, a_l, W_l, alpha, active_rtol=1e-3)
    ws, _, _ = svm(inst.params)
    w = _rotated(ws)
    Wm = np.zeros((m, d))
    am = np.zeros(m)
    Wm[0], Wm[1], am[0], am[1] = w / 2, -w / 2, 0.5, -0.5
    km = kkt_margin_residual(X, y, am, Wm, alpha, active_rtol=1e-3)
    return Measurement(values={"kkt": float(kl.residual), "tol": KKT_TOL, "kkt_mut": float(km.residual)},
                       errors={"kkt": 1e-9 + float(np.max(r["d_err"])), "tol": 0, "kkt_mut": 1e-9},
                       coords={"direction": "extrapolated limit"},
                       info={**_lr_info(r), "near-active set": r["kkt_active"], "multipliers (limit)": kl.lam.tolist(),
                             "kkt residual of the flow direction at t_end (not yet the limit)": r["kkt_final"],
                             "kkt residual rotated-w* direction": float(km.residual)})


KKT, KTOL, KMUT = sp.symbols("kkt tol kkt_mut", nonnegative=True)

KKT_CLAIM = Claim(
    id="lyu2021.theorem3.1.kkt", paper=K, label="Theorem 3.1 / Defs. B.7-B.8 (limit direction is KKT-margin)",
    where="§3.1, l.272-278; App. B.2, l.1576-1620", kind="convex",
    statement=sp.Le(KKT, KTOL),
    latex_names={"kkt": r"\mathrm{res}_{KKT}(\theta/\|\theta\|)", "tol": r"\tau", "kkt_mut": r"\mathrm{res}_{KKT}"},
    symbols_doc={"kkt": "relative KKT residual (Def. B.8) of the flow's limit direction (extrapolated)",
                 "tol": "1e-5 (the SOCP solves to ~1e-8; a non-KKT direction has residual >= 1e-2)"},
    quantifier="at the limit direction the flow reaches (extrapolated from t <= 1e250)",
    hypotheses=SYM_HYP, instances=_t43_instances, measure=_kkt_measure,
    mutant=Mutant(sp.Le(KMUT, KTOL), "the same test passes a linear direction with w* rotated by 0.2 rad"),
    provides=("kkt_mut",),
    catalog=f"{CAT} E01, E37", result="theorem3.1", share="lyu2021.symrun", ladder=("float64",))

# --- D1: the bad event (INIT-B) goes to the one-neuron KKT margin


def _d1_instances(tier):
    return [Instance("DS-S, INIT-B (m=4, seed 1, b_bar all > 0), sigma = 1e-6",
                     {"dataset": "DS-S", "m": 4, "seed": 1, "sigma": 1e-6, "c_a": 1.0},
                     description="catalog INIT-B: default_rng(1), the probability-2^-(m-1) bad event"),
            Instance("generic symmetric (n=12, d=3, seed 1), m=2, seed 3 (b_bar one-signed), sigma = 1e-6",
                     {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 2, "seed": 3, "sigma": 1e-6,
                      "c_a": 1.0},
                     description="a one-signed b_bar draw")]


def _bad_b(inst):
    ok, det = _good_b(inst)
    return (not ok), det


H_BAD_B = Hypothesis("b_bar one-signed (the 2^-(m-1) bad event)", _bad_b, "l.642-643")


def _d1_measure(inst, point, precision):
    """Derived claim D1: on the bad event the limit margin is the one-neuron KKT value alpha gamma_w*/2."""
    return _c44_measure(inst, point, precision)


D1 = Claim(
    id="lyu2021.D1", paper=K, label="Derived D1 (Thm 4.3 bound is attained: bad event -> α γ_w*/2)",
    where="catalog D1 (Theorem 4.3, l.362-383; Lemma F.3, l.5183)", kind="asymptotic",
    statement=sp.Eq(GINF, AL / 2 * GW),
    latex_names=COROLLARY44.latex_names, symbols_doc=COROLLARY44.symbols_doc,
    quantifier="on a draw where b_bar is one-signed",
    hypotheses=SYM_HYP + [H_45, H_BAD_B], instances=_d1_instances, measure=_d1_measure,
    mutant=Mutant(sp.Eq(GINF, GGLOB), "the bad event also reaches the global max margin"),
    provides=("g_glob",), catalog=f"{CAT} D1, F16", result="theorem4.3", share="lyu2021.badrun",
    ladder=("float64",), tags=("finding",),
    notes="The probability bound 1 - 2^-(m-1) of Theorem 4.3 is exact: the one-signed b_bar draws converge to the "
          "one-neuron KKT direction.")

# --- Theorem 4.3 probability (Monte Carlo over the flow)


def _prob_instances(tier):
    n = 64 if tier == "fast" else 400
    out = [Instance(f"DS-S, m=2, {n} draws, sigma = 1e-6", {"dataset": "DS-S", "m": 2, "draws": n, "sigma": 1e-6,
                                                           "c_a": 1.0, "seed0": 1000},
                    description="D_init(1) draws default_rng(1000 + k); success: both output signs carry >= 1e-4 "
                                "of ||theta||^2 at t = 1e8 (see _mc_flows)"),
           Instance(f"generic symmetric (n=12, d=3, seed 1), m=2, {n // 6} draws",
                    {"dataset": "symmetric", "n_half": 6, "d": 3, "ds_seed": 1, "m": 2, "draws": n // 6,
                     "sigma": 1e-6, "c_a": 1.0, "seed0": 2000}, description="as DS-S")]
    if tier == "full":
        out.append(Instance(f"DS-S, m=3, {n} draws", {"dataset": "DS-S", "m": 3, "draws": n, "sigma": 1e-6,
                                                      "c_a": 1.0, "seed0": 3000}))
    return out


@lru_cache(maxsize=16)
def _mc_flows(pj):
    """Flows from N draws of D_init(1) (default_rng(seed0 + k)), sigma_init = 1e-6, to t = 1e8 (rtol 1e-8; Phase
    II ends near T_12 ~ 50). Success: neurons of BOTH output signs carry >= 1e-4 of ||theta||^2 at t = 1e8 (the output signs
    are frozen after Phase I, Cor. B.18 / Lemma B.16; a one-signed net can only reach the one-neuron KKT margin
    alpha gamma_w*/2, and two opposite-sign groups converge to the global direction by Theorem 5.5). Also
    counted: the rigorous but slower certificate gamma~(t) > alpha gamma_w*/2 (gamma~ is non-decreasing)."""
    from numerics.flows import PolarState
    from numerics.margins import flow_to_infinity, wilson_interval
    from numerics.network import init_gaussian

    p = json.loads(pj)
    X, y, alpha = data(p)
    mdl = model(p)
    ws, gs, _ = svm(p)
    m, n = int(p["m"]), int(p["draws"])
    one = alpha / 2 * gs
    mb, _ = mu_bar(X, y)
    succ, agree, cert = 0, 0, 0
    for k in range(n):
        a, W, _ = init_gaussian(m, X.shape[1], 1.0, c_a=float(p["c_a"]), seed=int(p["seed0"]) + k)
        b = W @ mb + a
        good = bool(b.max() > 0 and b.min() < 0)
        s = float(p["sigma"])
        run = flow_to_infinity(mdl, PolarState.from_cartesian(s * a, s * W), 8.0, log10_t_min=8.0, rtol=1e-8)
        aT, WT = run.a[-1], run.W[-1]
        mass = aT ** 2 + np.sum(WT ** 2, axis=1)
        tot = float(mass.sum())
        minority = min(float(mass[aT > 0].sum()), float(mass[aT < 0].sum())) / tot
        ok = minority >= 1e-4
        succ += ok
        agree += ok == good
        gt = run.gamma_tilde[-1]
        cert += bool(np.isfinite(gt) and gt > one * (1 + 1e-9))
    lo, hi = wilson_interval(succ, n)
    return {"succ": succ, "n": n, "lo": lo, "hi": hi, "agree_with_b_bar": agree, "one_neuron": one,
            "gamma_tilde_certified": cert}


def _prob_measure(inst, point, precision):
    """Theorem 4.3 probability: success fraction of the flow over D_init(1) draws, 99% Wilson interval
    [p_lo, p_hi]; the claim P >= 1 - 2^-(m-1) is refuted iff p_hi < 1 - 2^-(m-1)."""
    r = _mc_flows(json.dumps(inst.params, sort_keys=True))
    return Measurement(values={"p_hi": r["hi"], "p_lo": r["lo"], "m": int(inst.params["m"])},
                       errors={"p_hi": 0, "p_lo": 0, "m": 0},
                       info={"successes": r["succ"], "draws": r["n"], "99% Wilson interval": [r["lo"], r["hi"]],
                             "runs whose outcome matches the sign of b_bar": r["agree_with_b_bar"],
                             "runs certified by gamma~(1e8) > alpha gamma_w*/2": r["gamma_tilde_certified"],
                             "one-neuron KKT margin": r["one_neuron"]})


PHI, PLO, MM = sp.symbols("p_hi p_lo m", positive=True)

THEOREM43_PROB = Claim(
    id="lyu2021.theorem4.3.prob", paper=K, label="Theorem 4.3 (success probability ≥ 1 − 2^{−(m−1)})",
    where="§4.2, l.362-383; Lemma E.7, l.4445", kind="probabilistic",
    statement=sp.Ge(PHI, 1 - 2 ** (1 - MM)),
    latex_names={"p_hi": r"\hat p_{\rm up}", "p_lo": r"\hat p_{\rm low}", "m": "m"},
    symbols_doc={"p_hi": "upper end of the 99% Wilson interval of the flow's success fraction",
                 "m": "width"},
    quantifier="over theta_bar_0 ~ D_init(1) (Monte Carlo; the claim is refuted only if the whole interval lies "
               "below the bound)",
    hypotheses=SYM_HYP + [H_45, H_46, H_M2], instances=_prob_instances, measure=_prob_measure,
    mutant=Mutant(sp.Ge(PHI, 1 - 2 ** (-MM)), "probability 1 - 2^-m (catalog E07 mutation (iii))"),
    provides=("p_lo",), catalog=f"{CAT} E07 (6), E58, D1", result="theorem4.3", share="lyu2021.mc43",
    ladder=("float64",))

# from here: Lemma 5.2 / F1, Lemma 5.3, Theorem 5.5, Theorem 6.2 (second part of this file)
from theory.papers._lyu2021_phase import CLAIMS_PHASE, FIGURES  # noqa: E402
from theory.papers._lyu2021_more import CLAIMS_MORE  # noqa: E402

CLAIMS = [THEOREM42, THEOREM42_LINEAR, THEOREM43, COROLLARY44, KKT_CLAIM, D1, THEOREM43_PROB] + CLAIMS_PHASE + \
    CLAIMS_MORE
