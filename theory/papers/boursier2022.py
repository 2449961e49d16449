"""boursier2022: Boursier, Pillaud-Vivien, Flammarion, "Gradient flow dynamics of shallow ReLU
networks for square loss and orthogonal inputs" (NeurIPS 2022). Seed text ``seeds/004_*.txt``,
claim catalog ``claims/claims_004.md`` (entries cited as "catalog L1", "catalog L2", ...).

Setting (§2.1, Eq. (1)-(4)): h(x) = sum_j a_j sigma(<w_j, x>), sigma = ReLU with sigma'(0) = 0,
L = (1/2n) sum_k (h(x_k) - y_k)^2, gradient flow (2)/(3), balanced init w_j^0 = lambda g_j,
a_j^0 = s_j ||w_j^0|| (Eq. (4)); draws g = rng.standard_normal((m, d)) then
s = rng.choice([-1, 1], m) with rng = default_rng(seed) (catalog §1.3).

Registered here: Lemma 1 (balancedness) and Lemma 2 (i)-(iii) (first phase). The dependency graph
below lists every numbered result with the results its proof uses (read from the proofs; line
numbers of the seed text), so the report can show which theorem rests on which lemma.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp

from theory.claims import Claim, Hypothesis, Instance, Knob, Measurement, Mutant, NeedsPrecision, Paper, Result

PAPER = Paper(
    key="boursier2022",
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

CATALOG = "claims_004.md"
LN10 = math.log(10.0)

# --------------------------------------------------------------------------- datasets and instances

DS_A_Y = [1.0, 0.6, -0.5, -0.3]


def _ds_a_params(eps=0.05):
    """DS-A (catalog §1.3): n = d = 4, x_k = e_k, y = (1, 0.6, -0.5, -0.3), m = 40, seed 0."""
    return {"dataset": "DS-A", "X": np.eye(4).tolist(), "y": list(DS_A_Y), "m": 40, "seed": 0, "eps": eps,
            "gamma": 0.0, "loss": "square"}


def _generic_params(eps=0.05):
    """Generic instance: random orthonormal inputs x_k = Q e_k in R^7 (n = 5), random labels of both
    signs (numerics.datasets.orthonormal_inputs, seed 3), width m = 60, init seed 3."""
    from numerics.datasets import orthonormal_inputs

    ds = orthonormal_inputs(5, 7, seed=3, rotate=True)
    return {"dataset": "orthonormal(n=5, d=7, seed=3, rotated)", "X": ds.X.tolist(), "y": ds.y.tolist(),
            "m": 60, "seed": 3, "eps": eps, "gamma": 0.0, "loss": "square"}


def _data(inst: Instance):
    return np.asarray(inst.params["X"], dtype=float), np.asarray(inst.params["y"], dtype=float)


def _draws(inst: Instance):
    """(g, s) of Eq. (4) with the catalog's draw order."""
    from numerics.network import init_balanced_gaussian

    X, _ = _data(inst)
    _, _, info = init_balanced_gaussian(int(inst.params["m"]), X.shape[1], 1.0, seed=int(inst.params["seed"]))
    return info["g"], info["s"]


def _D_pm(X, y):
    """D_+ = (1/n) sum_{y_k>0} y_k x_k and D_- = (1/n) sum_{y_k<0} y_k x_k (§4.1, l.495-511;
    numerics.geometry.D_plus_minus)."""
    from numerics.geometry import D_plus_minus

    return D_plus_minus(np.asarray(X, float), np.asarray(y, float))


def _key_sets(X, y, g, s):
    """S_{+,1}, S_{-,1} of Eqs. (5)-(6) (numerics.datasets.key_sets), as lists of ints."""
    from numerics.datasets import key_sets

    plus, minus = key_sets(np.asarray(X, float), np.asarray(y, float), g, s)
    return [int(j) for j in plus], [int(j) for j in minus]


# --------------------------------------------------------------------------- hypotheses


def _validation(inst: Instance):
    from numerics.datasets import Dataset, validate_boursier2022

    X, y = _data(inst)
    g, s = _draws(inst)
    ds = Dataset(X, y, name=inst.params.get("dataset", inst.name), source="earlyalign instance")
    return validate_boursier2022(ds, g=g, s=s)


def _assumption(prefix):
    def test(inst):
        chk = _validation(inst)[prefix]
        return chk.passed, chk.reason
    return test


def _square_relu(inst):
    loss, gamma = inst.params.get("loss", "square"), float(inst.params.get("gamma", 0.0))
    return (loss == "square" and gamma == 0.0,
            f"loss = {loss}, gamma = {gamma:g} (the paper: square loss, ReLU, sigma'(0) = 0)")


def _r_gt_1(inst):
    X, y = _data(inst)
    dp, dm = _D_pm(X, y)
    nm = np.linalg.norm(dm)
    r = np.linalg.norm(dp) / nm if nm > 0 else math.inf
    return r > 1, f"r = ||D_+||/||D_-|| = {r:.6g} (the paper assumes r > 1 WLOG, l.516; swap the label signs otherwise)"


def eps_admissible(X, y, eps):
    """App. B.2 (l.1013-1038): (1+3 eps) max(1-alpha, ||D_-||/||D_+||) <= 1-eps and (1+3 r eps)(1-beta) <= 1-eps.

    Returns (printed_ok, corrected_ok, eps_max_printed, eps_max_corrected): alpha, beta as printed
    (min y_k^2/(2||D_+||^2)) and corrected by a factor n^2 (catalog F-1, D9).
    """
    n = len(y)
    dp, dm = _D_pm(X, y)
    Dp, Dm = np.linalg.norm(dp), np.linalg.norm(dm)
    r = Dp / Dm

    def emax(alpha, beta):
        M = max(1 - alpha, 1 / r)
        return min((1 - M) / (1 + 3 * M), beta / (1 + 3 * r * (1 - beta)) if beta < 1 else math.inf)

    def ok(alpha, beta):
        return ((1 + 3 * eps) * max(1 - alpha, Dm / Dp) <= 1 - eps) and ((1 + 3 * r * eps) * (1 - beta) <= 1 - eps)

    ap = min(v * v for v in y[y > 0]) / (2 * Dp * Dp)
    bp = min(v * v for v in y[y < 0]) / (2 * Dm * Dm)
    ac, bc = ap / n ** 2, bp / n ** 2
    return ok(ap, bp), ok(ac, bc), emax(ap, bp), emax(ac, bc)


def _eps_ok(inst):
    X, y = _data(inst)
    eps = float(inst.params["eps"])
    dp, dm = _D_pm(X, y)
    r = np.linalg.norm(dp) / np.linalg.norm(dm)
    pr, co, ep, ec = eps_admissible(X, y, eps)
    ok = pr and r * eps < 1
    return ok, (f"eps = {eps:g}: printed condition (App. B.2) {'holds' if pr else 'fails'} (eps_max = {ep:.4g}); "
                f"r eps = {r * eps:.3g} < 1 needed for 2c lambda^(1-r eps) -> 0. With the corrected alpha, beta of "
                f"catalog F-1 eps_max = {ec:.4g} ({'admissible' if co else 'not admissible'}); Lemma 2's proof "
                f"(Lemmas 7-8) uses neither alpha nor beta.")


def _balanced_note(inst):
    return True, "balanced Gaussian init, Eq. (4) (numerics.flows.balanced_gaussian_state)"


H_A1 = Hypothesis("Assumption 1 (orthonormal inputs)", _assumption("Assumption 1"), "§2.1, l.161")
H_A2 = Hypothesis("Assumption 2 (non-zero labels, ||y_+|| != ||y_-||)", _assumption("Assumption 2"), "§2.1, l.166")
H_A3 = Hypothesis("Assumption 3 (S_{+,1}, S_{-,1} non-empty)", _assumption("Assumption 3"), "§2.1, l.293")
H_R = Hypothesis("r = ||D_+||/||D_-|| > 1 (WLOG)", _r_gt_1, "§4.1, l.514-516")
H_EPS = Hypothesis("eps admissible", _eps_ok, "App. B.2, l.1013-1038")
H_MODEL = Hypothesis("square loss, ReLU with sigma'(0) = 0", _square_relu, "Eq. (1)-(3), App. D")


def _general_flow(inst):
    g = float(inst.params.get("gamma", 0.0))
    loss = inst.params.get("loss", "square")
    return (loss == "square" and g == 0.0,
            f"loss = {loss}, gamma = {g:g}: Lemma 1 is stated for the flow (2)/(3) of the square loss with ReLU")


H_FLOW = Hypothesis("gradient flow of Eq. (2)/(3) (square loss, ReLU)", _general_flow, "§2.1-2.2, Eq. (1)-(3)")

# =========================================================================== Lemma 1


def _lemma1_instances(tier):
    """DS-A with the catalog's unbalanced init a^0 = 2 s_j ||w_j^0||, lambda = 1e-3, T = 300 (catalog L1
    recipe (b)), and the generic orthonormal instance with a^0 = s_j u_j ||w_j^0||, u_j ~ U[0.25, 2]
    (seeded); the full tier adds DS-A at lambda = 1e-8."""
    T = 300.0
    out = [Instance("DS-A, unbalanced a0 = 2 s |w0|, lambda = 1e-3",
                    {**_ds_a_params(), "lam": 1e-3, "unbalance": "factor2", "T": T},
                    description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)"),
           Instance("generic orthonormal (n=5, d=7), unbalanced, lambda = 1e-2",
                    {**_generic_params(), "lam": 1e-2, "unbalance": "uniform", "T": T},
                    description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)")]
    if tier == "full":
        out.append(Instance("DS-A, unbalanced a0 = 2 s |w0|, lambda = 1e-8",
                            {**_ds_a_params(), "lam": 1e-8, "unbalance": "factor2", "T": T},
                            description=f"flow from an unbalanced init, t in [0, {T:g}] (61 sample times)"))
    return out


def _lemma1_data(data: dict):
    p = {"dataset": data.get("name", "user data"), "X": np.asarray(data["X"]).tolist(),
         "y": np.asarray(data["y"]).tolist(), "m": int(data.get("params", {}).get("m", 20)),
         "seed": int(data.get("params", {}).get("seed", 0)), "eps": 0.05,
         "gamma": float(data.get("gamma") or 0.0), "loss": data.get("loss") or "square",
         "lam": float(data.get("params", {}).get("lam", 1e-2)), "unbalance": "uniform",
         "T": float(data.get("params", {}).get("T", 300.0))}
    return [Instance(f"user data {p['dataset']}, unbalanced, lambda = {p['lam']:g}", p,
                     description="raw (a, W) flow from an unbalanced init")]


def _unbalanced_init(inst):
    """Unbalanced init: w_j^0 = lambda g_j (Eq. (4) draws), a_j^0 = 2 s_j ||w_j^0|| (DS-A recipe) or
    s_j u_j ||w_j^0|| with u_j ~ U[0.25, 2] from default_rng(seed + 1000)."""
    from numerics.network import init_balanced_gaussian

    X, _ = _data(inst)
    a, W, info = init_balanced_gaussian(int(inst.params["m"]), X.shape[1], float(inst.params["lam"]),
                                        seed=int(inst.params["seed"]))
    if inst.params["unbalance"] == "factor2":
        a = 2.0 * a
    else:
        u = np.random.default_rng(int(inst.params["seed"]) + 1000).uniform(0.25, 2.0, size=len(a))
        a = u * a
    return a, W


def _model(inst):
    from numerics.network import Model

    X, y = _data(inst)
    return Model(X, y, gamma=float(inst.params.get("gamma", 0.0)), loss=inst.params.get("loss", "square"))


def _rtols(precision):
    if precision in (None, "float64"):
        return 1e-10, 1e-12
    dps = int(precision)
    return 10.0 ** (-(dps - 8)), 10.0 ** (-(dps - 5))


def _err(v_tight, v_loose, tight, precision):
    """Error estimate of a quantity read off the tight run: |tight - loose| (two tolerances) plus the tight
    run's relative tolerance accumulated linearly over its steps and events (a conservative floor the
    two-tolerance comparison misses when both runs share a systematic error), plus 4 ulp."""
    rt = tight.rtol if hasattr(tight, "rtol") else tight["rtol"]
    steps = (tight.nsteps + len(tight.events)) if hasattr(tight, "nsteps") else tight["nsteps"] + tight["events"]
    return abs(v_tight - v_loose) + (rt * (steps + 1) + 4 * _ulp(precision)) * abs(v_tight)


def _lemma1_measure(inst: Instance, point: dict, precision) -> Measurement:
    """Lemma 1 on one instance: a_j^t, ||w_j^t|| on a time grid, from the flow integrated in the
    coordinates theta_j = e^{r_j} v_j of the full neuron (a_j, w_j) (numerics.flows), which do not
    impose balancedness (the balanced log-polar coordinates of Eq. (9) would enforce the conclusion).
    Error estimate (see :func:`_err`): |loose - tight| between the rtol and rtol/100 runs, plus the
    tight run's tolerance accumulated over its steps, plus 4 ulp."""
    from numerics.flows import PolarState, solve_flow

    model = _model(inst)
    a0, W0 = _unbalanced_init(inst)
    T = float(inst.params["T"])
    times = np.linspace(0.0, T, 61)
    runs = []
    for rtol in _rtols(precision):
        s0 = PolarState.from_cartesian(a0, W0, precision=precision or "float64")
        tr = solve_flow(model, s0, T, precision=precision, rtol=rtol, t_eval=times)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        tr.rtol = float(rtol)
        runs.append(tr)
    loose, tight = runs
    m = len(a0)
    at, nwt, ea, enw, tt, jj = [], [], [], [], [], []
    for ti, (sl, st) in enumerate(zip(loose.sampled, tight.sampled)):
        a_t, a_l = st.a(), sl.a()
        n_t = st.xp.sqrt(np.sum(st.W() * st.W(), axis=1))
        n_l = sl.xp.sqrt(np.sum(sl.W() * sl.W(), axis=1))
        for j in range(m):
            at.append(a_t[j])
            nwt.append(n_t[j])
            ea.append(_err(a_t[j], a_l[j], tight, precision))
            enw.append(_err(n_t[j], n_l[j], tight, precision))
            tt.append(float(times[ti]))
            jj.append(j)
    npts = len(at)
    a0n = np.asarray([float(v) for v in a0])
    w0n = np.linalg.norm(np.asarray(W0, dtype=float), axis=1)
    B0 = a0n ** 2 - w0n ** 2
    drift = [max(abs(float(at[i * m + j]) ** 2 - float(nwt[i * m + j]) ** 2 - B0[j]) for j in range(m))
             for i in range(len(times))]
    return Measurement(
        values={"a_t": at, "nw_t": nwt, "a_0": [a0n[j] for j in jj], "nw_0": [w0n[j] for j in jj]},
        errors={"a_t": ea, "nw_t": enw},
        coords={"t": tt, "j": jj},
        precision=precision or "float64",
        info={"rtol": [float(r) for r in _rtols(precision)], "nsteps": tight.nsteps, "events": len(tight.events),
              "T": T, "points": npts, "loss_T": float(tight.final.loss(model)),
              "max_abs_invariant": float(np.max(np.abs(B0)))},
        series={"drift": {"x": [float(t) for t in times],
                          "y": {"max_j |(a^2-|w|^2)(t) - (a^2-|w|^2)(0)|": [float(v) for v in drift]},
                          "xlabel": "t", "ylabel": "drift of the invariant", "logy": True}},
    )


A_T, NW_T, A_0, NW_0 = sp.symbols("a_t nw_t a_0 nw_0", real=True)
L1_NAMES = {"a_t": r"a_j(t)", "nw_t": r"\|w_j(t)\|", "a_0": r"a_j(0)", "nw_0": r"\|w_j(0)\|"}

LEMMA1 = Claim(
    id="boursier2022.lemma1",
    paper="boursier2022",
    label="Lemma 1",
    where="§2.2, l.240-253",
    kind="flow-inequality",
    statement=sp.Eq(A_T ** 2 - NW_T ** 2, A_0 ** 2 - NW_0 ** 2),
    latex_names=L1_NAMES,
    symbols_doc={"a_t": "output weight a_j at time t", "nw_t": "||w_j^t||", "a_0": "a_j^0", "nw_0": "||w_j^0||"},
    quantifier="for all t >= 0 (time grid of 61 points on [0, T]) and every neuron j",
    quantifier_latex=r"\forall t \geq 0,\ \forall j \in [m]",
    hypotheses=[H_FLOW],
    instances=_lemma1_instances,
    measure=_lemma1_measure,
    display=("|a^2 - |w|^2 (t) - (a^2 - |w|^2)(0)|", sp.Abs(A_T ** 2 - NW_T ** 2 - A_0 ** 2 + NW_0 ** 2),
             "|a_j(0)^2 - ||w_j(0)||^2|", sp.Abs(A_0 ** 2 - NW_0 ** 2)),
    mutant=Mutant(sp.Eq(A_T ** 2 + NW_T ** 2, A_0 ** 2 + NW_0 ** 2),
                  "a_j^2 + ||w_j||^2 conserved (catalog L1 mutation): it grows by about 2||y||"),
    catalog=f"{CATALOG} L1",
    result="lemma1",
    data_instances=_lemma1_data,
    notes="Checked on an unbalanced init (the first statement of Lemma 1 is for any init); the balanced "
          "corollary a_j = s_j ||w_j|| is what the log-polar coordinates of Eq. (9) assume.",
)

# =========================================================================== Lemma 2 (i)-(iii)

FAST_GRID = [-4, -8, -16, -32, -64]
FULL_GRID = [-2, -4, -8, -16, -32, -64, -128, -192]


def _lemma2_instances(tier):
    """DS-A with eps = 0.05 (catalog L2 recipe) and the generic orthonormal instance, over a lambda grid."""
    grid = [{"lam10": v} for v in (FAST_GRID if tier == "fast" else FULL_GRID)]
    kw = dict(grid=grid, grid_param="lam10", grid_symbol="λ", grid_log10=True, asymptotic="small",
              description="balanced init (4), state at t_1 = -eps ln(lambda)/||D_-||")
    return [Instance("DS-A, eps = 0.05", _ds_a_params(0.05), **kw),
            Instance("generic orthonormal (n=5, d=7), eps = 0.05", _generic_params(0.05), **kw)]


def _lemma2_data(data: dict):
    prm = data.get("params", {}) or {}
    p = {"dataset": data.get("name", "user data"), "X": np.asarray(data["X"]).tolist(),
         "y": np.asarray(data["y"]).tolist(), "m": int(prm.get("m", 40)), "seed": int(prm.get("seed", 0)),
         "eps": float(prm.get("eps", 0.05)), "gamma": float(data.get("gamma") or 0.0),
         "loss": data.get("loss") or "square"}
    grid = [{"lam10": v} for v in prm.get("lam10_grid", FAST_GRID)]
    return [Instance(f"user data {p['dataset']}, eps = {p['eps']:g}", p, grid=grid, grid_param="lam10",
                     grid_symbol="λ", grid_log10=True, asymptotic="small",
                     description="balanced init (4), state at t_1 = -eps ln(lambda)/||D_-||")]


N_TIME = 25  # uniform sample times on [0, t_1] (Lemma 9's minima over time); plus t_{+1}
N_EARLY, EARLY_T = 81, 8.0  # plus a fixed grid of 81 times on [0, 8] (the lambda-free early window)
MP_SLOWDOWN = 300.0  # measured: mp30 flow to t_1 on DS-A ~130-300x the float64 time (numerics.flows, 2026-11)


def _mp_budget() -> float:
    import os

    return float(os.environ.get("EARLYALIGN_MP_BUDGET_S", "900"))


@lru_cache(maxsize=64)
def _phase1_seconds(params_json: str, lam10: float) -> float:
    import time

    t0 = time.perf_counter()
    _phase1(params_json, lam10, "float64")
    return time.perf_counter() - t0


def _phase1(params_json: str, lam10: float, precision) -> dict:
    """:func:`_phase1_run`, refusing (NeedsPrecision) an mpmath run estimated above the budget
    ``$EARLYALIGN_MP_BUDGET_S`` (default 900 s) from the float64 run time."""
    if precision not in (None, "float64"):
        est = MP_SLOWDOWN * _phase1_seconds(params_json, lam10) * int(precision) / 30
        if est > _mp_budget():
            raise NeedsPrecision(f"mpmath flow at {precision} digits estimated at ~{est:.0f} s, above the budget "
                                 f"of {_mp_budget():.0f} s (set EARLYALIGN_MP_BUDGET_S to allow it)")
    return _phase1_run(params_json, lam10, precision)


@lru_cache(maxsize=64)
def _phase1_run(params_json: str, lam10: float, precision) -> dict:
    """Integrate the balanced flow (Eq. (4) init, log-polar, numerics.flows) to t_1 = -eps ln(lambda)/||D_-||
    at two tolerances; return the Lemma 2 quantities of both runs (shared by parts (i)-(iii)) and the
    appendix-form quantities of Lemmas 7-9 (state at t_{+1} = -eps ln(lambda)/||D_+||, coordinates
    <bold w_j, x_k> on opposite-sign labels, min over sampled times of ||w_j^t||/lambda), so that one flow
    serves all of them (theory.papers._boursier2022_phase1)."""
    from numerics.flows import balanced_gaussian_state, solve_flow
    from numerics.network import Model

    p = json.loads(params_json)
    X, y = np.asarray(p["X"], dtype=float), np.asarray(p["y"], dtype=float)
    m, d, eps = int(p["m"]), X.shape[1], float(p["eps"])
    model = Model(X, y)
    prec = precision or "float64"
    log_lam = lam10 * LN10
    dp, dm = _D_pm(X, y)
    out = {"runs": []}
    neg, pos = np.flatnonzero(y < 0), np.flatnonzero(y > 0)
    for rtol in _rtols(precision):
        s0 = balanced_gaussian_state(m, d, log_lam=log_lam, seed=int(p["seed"]), precision=prec)
        xp = s0.xp
        Dp, Dm = xp.asarray(dp), xp.asarray(dm)
        nDp, nDm = xp.sqrt(np.sum(Dp * Dp)), xp.sqrt(np.sum(Dm * Dm))
        t1 = -xp.scalar(eps) * xp.scalar(log_lam) / nDm
        tp = -xp.scalar(eps) * xp.scalar(log_lam) / nDp
        # samples: t_{+1} (Lemma 7) and a uniform grid on [0, t_1] (Lemma 9 minima over time)
        # the early O(1) window is lambda-free (directions align on an O(1) time scale), so it gets its own
        # fixed grid: a norm dip there (Lemma 9) would fall between coarse samples at small lambda
        early = [xp.scalar(EARLY_T * k / (N_EARLY - 1)) for k in range(1, N_EARLY)]
        te = sorted(set([tp] + [t1 * k / (N_TIME - 1) for k in range(N_TIME - 1)] + [v for v in early if v < t1]),
                    key=float)
        ip = [float(v) for v in te].index(float(tp))
        tr = solve_flow(model, s0, t1, precision=prec, rtol=rtol, t_eval=te)
        if tr.status != 0:
            raise RuntimeError(f"flow solver: {tr.message}")
        st = tr.final
        U = st.u()
        # alignment gaps along the trajectory nodes (for plots only)
        g, s = s0.info["g"], s0.info["s"]
        plus, minus = _key_sets(X, y, g, s)
        ser_t, ser_p, ser_m, ser_n = [], [], [], []
        for tt, stt in zip(tr.t, tr.states):
            Ut = stt.u()
            ser_t.append(float(tt))
            ser_p.append(float(nDp - min(Ut[j] @ Dp for j in plus)) if plus else float("nan"))
            ser_m.append(float(nDm - min(-(Ut[j] @ Dm) for j in minus)) if minus else float("nan"))
            ser_n.append(float(max(stt.log_norm_w())) / LN10)
        # Lemmas 7-9 (App. B.3): state at t_{+1}; min over sampled t of ln||w_j^t|| - ln(lambda)
        Sp = tr.sampled[ip]
        Up = Sp.u()
        lnw = [list(sm.log_norm_w()) for sm in tr.sampled] + [list(st.log_norm_w())]
        out["runs"].append({
            "A": [U[j] @ Dp for j in plus], "B": [-(U[j] @ Dm) for j in minus],
            "log_nw": list(st.log_norm_w()), "nDp": nDp, "nDm": nDm, "t1": t1, "nsteps": tr.nsteps,
            "events": len(tr.events), "rtol": float(rtol),
            "series": {"t": ser_t, "gap_plus": ser_p, "gap_minus": ser_m, "log10_max_norm": ser_n},
            "tp": tp, "log_nw_tp": list(Sp.log_norm_w()), "A_tp": [Up[j] @ Dp for j in plus],
            "z_plus": [(Up[j] @ xp.asarray(X[k]), (j, int(k))) for j in plus for k in neg],
            "z_minus": [(U[j] @ xp.asarray(X[k]), (j, int(k))) for j in minus for k in pos],
            "U_tp": Up, "U_t1": U,
            "rho_plus": [min(row[j] for row in lnw[: ip + 1]) - log_lam for j in plus],
            "rho_minus": [min(row[j] for row in lnw) - log_lam for j in minus],
            "sample_t": [float(v) for v in te] + [float(t1)],
            "sample_min_plus": [float(min(row[j] for j in plus) - log_lam) / LN10 if plus else None for row in lnw],
            "sample_min_minus": [float(min(row[j] for j in minus) - log_lam) / LN10 if minus else None
                                 for row in lnw]})
    out.update(plus=plus, minus=minus, c=float(np.max(np.linalg.norm(g, axis=1))),
               c_low=float(np.min(np.linalg.norm(g, axis=1))),
               r=float(np.linalg.norm(dp) / np.linalg.norm(dm)), eps=eps, log_lam=log_lam)
    return out


def _ulp(precision):
    return np.finfo(float).eps if precision in (None, "float64") else 10.0 ** (-int(precision))


def _l2_common(inst, point, precision):
    p = dict(inst.params)
    res = _phase1(json.dumps(p, sort_keys=True), float(point["lam10"]), precision)
    loose, tight = res["runs"]
    lam = mpmath.exp(mpmath.mpf(res["log_lam"]))
    return res, loose, tight, lam


def _info(res, tight):
    return {"rtol": [r["rtol"] for r in res["runs"]], "t1": float(tight["t1"]), "nsteps": tight["nsteps"],
            "events": tight["events"], "S_plus": res["plus"], "S_minus": res["minus"], "c": res["c"],
            "r": res["r"]}


def _series(tight, key, label, bound, bound_label, logy=True):
    s = tight["series"]
    return {"alignment": {"x": s["t"], "y": {label: s[key]}, "xlabel": "t", "ylabel": label, "logy": logy,
                          "hline": {bound_label: float(bound)}, "vline": {"t_1": float(tight["t1"])}}}


def _l2i_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (i): A_j = <bold w_j^{t_1}, D_+> for j in S_{+,1}, with ||D_+||, lambda, eps."""
    res, loose, tight, lam = _l2_common(inst, point, precision)
    u = _ulp(precision)
    A = tight["A"]
    errA = [_err(a, b, tight, precision) for a, b in zip(tight["A"], loose["A"])]
    bound = 2 * lam ** res["eps"] * mpmath.mpf(tight["nDp"])
    return Measurement(
        values={"A": A, "Dp": tight["nDp"], "lam": lam, "eps": mpmath.mpf(res["eps"]), "r": res["r"]},
        errors={"A": errA, "Dp": 4 * u * float(tight["nDp"]), "lam": 0, "eps": 0, "r": 8 * u * res["r"]},
        coords={"j": res["plus"], "t": float(tight["t1"])}, precision=precision or "float64",
        info=_info(res, tight),
        series=_series(tight, "gap_plus", "||D_+|| - min_{S+,1} <w_j, D_+>", bound, "2 lambda^eps ||D_+||"))


def _l2ii_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (ii): B_j = <bold w_j^{t_1}, -D_-> for j in S_{-,1}, with ||D_-||, lambda, eps."""
    res, loose, tight, lam = _l2_common(inst, point, precision)
    u = _ulp(precision)
    errB = [_err(a, b, tight, precision) for a, b in zip(tight["B"], loose["B"])]
    bound = 2 * lam ** res["eps"] * mpmath.mpf(tight["nDm"])
    return Measurement(
        values={"B": tight["B"], "Dm": tight["nDm"], "lam": lam, "eps": mpmath.mpf(res["eps"])},
        errors={"B": errB, "Dm": 4 * u * float(tight["nDm"]), "lam": 0, "eps": 0},
        coords={"j": res["minus"], "t": float(tight["t1"])}, precision=precision or "float64",
        info=_info(res, tight),
        series=_series(tight, "gap_minus", "||D_-|| - min_{S-,1} <w_j, -D_->", bound, "2 lambda^eps ||D_-||"))


def _l2iii_measure(inst, point, precision) -> Measurement:
    """Lemma 2 (iii): ||w_j^{t_1}|| for every j (from ln||w_j||, exact far below float64), with c, r, lambda, eps."""
    res, loose, tight, lam = _l2_common(inst, point, precision)
    u = _ulp(precision)
    nw, err = [], []
    for lt, ll in zip(tight["log_nw"], loose["log_nw"]):
        v = mpmath.exp(mpmath.mpf(lt))
        nw.append(v)
        # ln||w|| carries an absolute error: |tight - loose| + rtol (steps + 1) (the engine's absolute
        # tolerance on r_j) + ulp |ln||w|||; exp turns it into a relative error of ||w||
        rt, steps = tight["rtol"], tight["nsteps"] + tight["events"]
        err.append(v * (abs(mpmath.mpf(lt) - mpmath.mpf(ll)) + rt * (steps + 1) + 8 * u * abs(mpmath.mpf(lt))))
    c, r = res["c"], res["r"]
    bound = 2 * c * lam ** (1 - r * res["eps"])
    s = tight["series"]
    return Measurement(
        values={"nw": nw, "c": c, "r": r, "lam": lam, "eps": mpmath.mpf(res["eps"])},
        errors={"nw": err, "c": 4 * u * c, "r": 8 * u * r, "lam": 0, "eps": 0},
        coords={"j": list(range(len(nw))), "t": float(tight["t1"])}, precision=precision or "float64",
        info=_info(res, tight),
        series={"norm": {"x": s["t"], "y": {"log10 max_j ||w_j||": s["log10_max_norm"]}, "xlabel": "t",
                         "ylabel": "log10 max_j ||w_j^t||", "logy": False,
                         "hline": {"log10 2c lambda^(1-r eps)": float(mpmath.log10(bound))},
                         "vline": {"t_1": float(tight["t1"])}}})


A, B, NW, LAM, EPS, DP, DM, C, R = sp.symbols("A B nw lam eps Dp Dm c r", positive=True)
KC, KP = sp.symbols("K_c p", positive=True)
L2_NAMES = {"A": r"\langle \mathbf{w}_j^{t_1}, D_+\rangle", "B": r"\langle \mathbf{w}_j^{t_1}, -D_-\rangle",
            "nw": r"\|w_j^{t_1}\|", "lam": r"\lambda", "eps": r"\varepsilon", "Dp": r"\|D_+\|",
            "Dm": r"\|D_-\|", "c": "c", "r": "r", "K_c": "K", "p": "p"}
L2_HYP = [H_A1, H_A2, H_A3, H_R, H_EPS, H_MODEL]
L2_COMMON = dict(paper="boursier2022", where="§4.2, l.619-625 (appendix: Lemmas 7-8, l.1080, l.1542)",
                 kind="flow-inequality", latex_names=L2_NAMES, hypotheses=L2_HYP, instances=_lemma2_instances,
                 catalog=f"{CATALOG} L2", result="lemma2", share="boursier2022.lemma2",
                 data_instances=_lemma2_data)
L2_DOC = {"lam": "initialisation scale lambda", "eps": "the constant epsilon (App. B.2)",
          "Dp": "||D_+||", "Dm": "||D_-||", "c": "max_j ||w_j^0||/lambda", "r": "||D_+||/||D_-||"}

LEMMA2_I = Claim(
    id="boursier2022.lemma2.i", label="Lemma 2 (i)",
    statement=sp.Ge(A, (1 - 2 * LAM ** EPS) * DP),
    symbols_doc={"A": "<bold w_j^{t_1}, D_+> for j in S_{+,1}", **L2_DOC},
    quantifier="for all j in S_{+,1}, at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in S_{+,1},\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2i_measure,
    provides=("r",),
    display=("gap ||D_+|| - <w_j, D_+>", DP - A, "allowed 2 lambda^eps ||D_+||", 2 * LAM ** EPS * DP),
    mutant=Mutant(sp.Ge(A, (1 - 2 * LAM ** (3 * R * EPS)) * DP),
                  "exponent 3 r eps instead of eps (the sharp gap exponent is 2 r eps, catalog L2)"),
    knobs=[Knob("constant K in 1 - K lambda^eps", KC, sp.Ge(A, (1 - KC * LAM ** EPS) * DP), 2.0),
           Knob("exponent p in 1 - 2 lambda^(p eps)", KP, sp.Ge(A, (1 - 2 * LAM ** (KP * EPS)) * DP), 1.0)],
    **L2_COMMON)

LEMMA2_II = Claim(
    id="boursier2022.lemma2.ii", label="Lemma 2 (ii)",
    statement=sp.Ge(B, (1 - 2 * LAM ** EPS) * DM),
    symbols_doc={"B": "<bold w_j^{t_1}, -D_-> for j in S_{-,1}", **L2_DOC},
    quantifier="for all j in S_{-,1}, at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in S_{-,1},\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2ii_measure,
    display=("gap ||D_-|| - <w_j, -D_->", DM - B, "allowed 2 lambda^eps ||D_-||", 2 * LAM ** EPS * DM),
    mutant=Mutant(sp.Ge(B, (1 - 2 * LAM ** (3 * EPS)) * DM),
                  "2 lambda^(3 eps) instead of 2 lambda^eps (catalog L2 mutation; sharp exponent 2 eps)"),
    knobs=[Knob("constant K in 1 - K lambda^eps", KC, sp.Ge(B, (1 - KC * LAM ** EPS) * DM), 2.0),
           Knob("exponent p in 1 - 2 lambda^(p eps)", KP, sp.Ge(B, (1 - 2 * LAM ** (KP * EPS)) * DM), 1.0)],
    **L2_COMMON)

LEMMA2_III = Claim(
    id="boursier2022.lemma2.iii", label="Lemma 2 (iii)",
    statement=sp.Le(NW, 2 * C * LAM ** (1 - R * EPS)),
    symbols_doc={"nw": "||w_j^{t_1}|| for every neuron j", **L2_DOC},
    quantifier="for all j in [m], at t_1 = -eps ln(lambda)/||D_-||, for lambda <= lambda*",
    quantifier_latex=r"\forall j \in [m],\ t_1 = -\varepsilon \ln(\lambda)/\|D_-\|",
    measure=_l2iii_measure,
    display=("||w_j^{t_1}||", NW, "2 c lambda^(1 - r eps)", 2 * C * LAM ** (1 - R * EPS)),
    mutant=Mutant(sp.Le(NW, 2 * C * LAM ** (1 - R * EPS / 2)),
                  "2 c lambda^(1 - r eps/2) (catalog L2 mutation; the norms scale like lambda^(1 - r eps))"),
    knobs=[Knob("constant K in K c lambda^(1 - r eps)", KC, sp.Le(NW, KC * C * LAM ** (1 - R * EPS)), 2.0),
           Knob("exponent p in 2 c lambda^(1 - p r eps)", KP, sp.Le(NW, 2 * C * LAM ** (1 - KP * R * EPS)), 1.0)],
    **L2_COMMON)

CLAIMS = [LEMMA1, LEMMA2_I, LEMMA2_II, LEMMA2_III]
FIGURES: list = []

# Part 2 (long-time flow, Theorem 1, Prop. 1-2, Fact 1, Lemmas 3, 4, 6, 14, 16, findings, not-checkable rows)
from theory.papers._boursier2022_more import CLAIMS_MORE  # noqa: E402

from theory.papers._boursier2022_figures import FIGURES as _FIGURES  # noqa: E402
from theory.papers._boursier2022_phase1 import CLAIMS_PHASE1  # noqa: E402
from theory.papers._boursier2022_ball import CLAIMS_BALL  # noqa: E402
from theory.papers._boursier2022_prob import CLAIMS_PROB  # noqa: E402
from theory.papers._boursier2022_findings import CLAIMS_FINDINGS  # noqa: E402
from theory.papers._boursier2022_lemma13 import CLAIMS_L13  # noqa: E402
from theory.papers._boursier2022_phase3 import CLAIMS_PHASE3  # noqa: E402

CLAIMS = (CLAIMS + CLAIMS_MORE + CLAIMS_PHASE1 + CLAIMS_BALL + CLAIMS_PROB + CLAIMS_FINDINGS + CLAIMS_L13
          + CLAIMS_PHASE3)
FIGURES = FIGURES + _FIGURES
