"""min2024, shared by the parts: the inits of the catalog, the paper's constants, the paper-wide hypotheses and the
flow runs.

Setting (§2.1, Eq. (1)-(3)): f(x; W, v) = sum_j v_j sigma(<w_j, x>), ReLU, L = sum_i ell(y_i, f(x_i)) (a SUM over the
data), ell = e^{-y yhat} (``loss="exponential"``; the two printed logistic scalings are finding F5), gradient flow as a
Caratheodory solution with sigma'(0) = 0 (l.112-117): ``solve_flow(..., kink="convention")`` with
``Model.sigma_prime_zero = 0``, i.e. 1_{z > 0} in every indicator. Balanced init (3): W(0) = eps W_0,
v_j(0) = s_j ||w_j(0)||. The engine integrates each neuron theta_j = (v_j, w_j) in log-polar coordinates, so eps enters
only through r_j(0) = ln eps + ln(sqrt 2 ||[W_0]_j||): eps_2 = e^{-1273.77} (about 10^-553.19) costs what eps = 1e-6
costs (float64 throughout; e^{2 r} underflows harmlessly while negligible).

Conventions of this package: W0 is stored as rows w_j(0)/eps (shape (h, D), the columns of the paper's W_0); s_j =
sign(v_j(0)); x_+ = sum_{I_+} x_i, x_- = sum_{I_-} x_i (sums, l.343); "log" is the natural log (finding F21).

Shared runs (``lru_cache`` on the JSON of the data and init): :func:`run` integrates the flow at two tolerances
(RTOL_TIGHT, RTOL_LOOSE) and returns a :class:`Run` (events, per-neuron activation histories, trap times, sampled
states); :func:`t2_times` locates t_2^+- (l.3318) by bisection on the trajectory.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from numerics.backend import get_backend
from numerics.flows import PolarState, solve_flow
from numerics.geometry import mu_separation, x_plus_minus
from numerics.network import Model
from theory.claims import Hypothesis, Instance

from . import datasets
from .paper import KEY

LN10 = math.log(10.0)
RTOL_TIGHT, RTOL_LOOSE = 1e-11, 1e-9
#: the engine's solution concept for the paper's Caratheodory solutions with sigma'(0) = 0 (l.112-117)
KINK = "convention"

# =========================================================================== data and inits

IA8_ANGLES = (100.0, 135.0, 180.0, 265.0, 300.0, 60.0, 115.0, 280.0, 320.0)
IA8_SIGNS = (1.0, 1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0)


def data_params(ds, loss: str | None = None) -> dict:
    """Instance parameters of a dataset: its name, data and the model settings (ReLU, sum, the loss)."""
    return {"dataset": ds.name.removeprefix(f"{KEY}."), "X": np.asarray(ds.X, float).tolist(),
            "y": np.asarray(ds.y, float).tolist(), "gamma": 0.0, "loss": loss or ds.loss, "reduction": "sum"}


def init_angles(angles_deg, signs):
    """2-D unit columns of W_0 at the given angles (degrees), signs s_j (catalog I-A8 style): (W0 rows, s)."""
    a = np.deg2rad(np.asarray(angles_deg, float))
    return np.stack([np.cos(a), np.sin(a)], axis=1), np.asarray(signs, float)


def init_random(D: int, h: int, seed: int):
    """The catalog's random init (R-A, DS-B): rng = default_rng(seed), W0 = rng.normal(0, 1/sqrt(D), (D, h)) (the
    paper's [W_0]_ij ~ N(0, 1/D), l.404), then s = rng.choice([-1, 1], h). Returns (W0 rows (h, D), s)."""
    rng = np.random.default_rng(seed)
    W0 = rng.normal(0.0, 1.0 / math.sqrt(D), (D, h))
    s = rng.choice([-1.0, 1.0], h)
    return W0.T.copy(), s


def init_params(W0, s, name: str) -> dict:
    return {"init": name, "W0": np.asarray(W0, float).tolist(), "s": np.asarray(s, float).tolist()}


def ia8_params(loss: str = "exponential") -> dict:
    """DS-A with the deterministic balanced init I-A8 (catalog §1.1): h = 9 unit columns."""
    W0, s = init_angles(IA8_ANGLES, IA8_SIGNS)
    return {**data_params(datasets.ds_a(), loss), **init_params(W0, s, "I-A8")}


def ra_params(seed: int = 0, h: int = 20, loss: str = "exponential") -> dict:
    """DS-A with the random init R-A (catalog §1.1), seed ``seed``, width h."""
    W0, s = init_random(2, h, seed)
    return {**data_params(datasets.ds_a(), loss), **init_params(W0, s, f"R-A seed {seed}, h = {h}")}


def dsb_params(seed: int = 0, h: int = 30, loss: str = "exponential") -> dict:
    """DS-B with the catalog's random init (seed 0, h = 30)."""
    W0, s = init_random(3, h, seed)
    return {**data_params(datasets.ds_b(), loss), **init_params(W0, s, f"random seed {seed}, h = {h}")}


def arrays(p: dict):
    X, y = np.asarray(p["X"], float), np.asarray(p["y"], float)
    return X, y


def init_arrays(p: dict):
    return np.asarray(p["W0"], float), np.asarray(p["s"], float)


# =========================================================================== the paper's constants


@dataclass
class Constants:
    """The constants of Theorem 1's proof on one (data, init): Assumption 1's mu, X_min/max, W_min/max, x_+-, zeta_1
    (Lemma 8, its sup min_i cos^2(x_+, u_i) over both caps), zeta_2 (Eq. (26), its sup 1 - max(0, max_j c_j)^2), xi
    (Lemma 9: exactly mu^2, the sup in (27) is sqrt(1 - mu^2), catalog E34), zeta = min(zeta_1, zeta_2) (finding F2:
    printed max), t_1 = 16 ln n/(min(zeta, xi) sqrt(mu) X_min) (l.2535), the two branches of (28) (ln eps_1 as printed
    and with the 4 -> 8 correction of finding F1, ln eps_2), alpha = (mu X_min)^2/(32 X_max) (l.3500)."""

    n: int
    n_plus: int
    n_minus: int
    h: int
    D: int
    mu: float
    Xmin: float
    Xmax: float
    Wmax: float
    Wmin: float
    x_plus: np.ndarray
    x_minus: np.ndarray
    zeta1: float
    zeta2: float
    xi: float
    zeta: float
    zeta_printed: float
    t1: float
    log_eps1: float
    log_eps1_corrected: float
    log_eps2: float
    alpha: float

    @property
    def c(self) -> float:
        """min{zeta, xi} sqrt(mu) X_min, the rate constant of the alignment proof (Delta t = 4/(c n_a))."""
        return min(self.zeta, self.xi) * math.sqrt(self.mu) * self.Xmin

    def T(self, log_eps: float) -> float:
        """T = ln(1/(sqrt(h) eps))/(4 n X_max) (Lemma 1/3, l.1125)."""
        return (-log_eps - 0.5 * math.log(self.h)) / (4 * self.n * self.Xmax)

    def log_eps28(self, corrected: bool = False) -> float:
        """ln of the right-hand side of (28): min of the two branches (printed, or with F1's 4 -> 8)."""
        return min(self.log_eps1_corrected if corrected else self.log_eps1, self.log_eps2)


def zeta1_star(X, y) -> float:
    """sup of zeta_1 in Lemma 8: the caps S^zeta_{x_+} and S^zeta_{x_-} lie in S_+, S_- iff zeta < min_i cos^2(x_+, u_i)
    and zeta < min_i cos^2(-x_-, u_i) (u_i = y_i x_i/||x_i||; a cap of half-angle rho stays in {<u, z> > 0} iff
    angle(x, u) + rho < 90 deg). Needs mu > 0 (every cosine positive)."""
    xp, xm = x_plus_minus(X, y)
    U = (y[:, None] * X) / np.linalg.norm(X, axis=1)[:, None]
    cp = U @ (xp / np.linalg.norm(xp))
    cm = U @ (-xm / np.linalg.norm(xm))
    return float(min(np.min(cp), np.min(cm)) ** 2) if min(np.min(cp), np.min(cm)) > 0 else 0.0


def zeta2_star(X, y, W0, s) -> float:
    """sup of zeta_2 in (26): 1 - max(0, max_j cos(w_j(0), x_{-s_j}))^2."""
    xp, xm = x_plus_minus(X, y)
    Wn = W0 / np.linalg.norm(W0, axis=1, keepdims=True)
    c = np.where(s > 0, Wn @ (xm / np.linalg.norm(xm)), Wn @ (xp / np.linalg.norm(xp)))
    return float(1.0 - max(0.0, float(np.max(c))) ** 2)


def constants(X, y, W0, s) -> Constants:
    X, y, W0, s = (np.asarray(v, float) for v in (X, y, W0, s))
    n, h, D = len(y), len(s), X.shape[1]
    mu = mu_separation(X, y)
    nx = np.linalg.norm(X, axis=1)
    wn = np.linalg.norm(W0, axis=1)
    xp, xm = x_plus_minus(X, y)
    z1, z2 = zeta1_star(X, y), zeta2_star(X, y, W0, s)
    xi = mu * mu
    zeta, zeta_pr = min(z1, z2), max(z1, z2)
    cm = min(zeta, xi)
    Xmin, Xmax, Wmax, Wmin = float(nx.min()), float(nx.max()), float(wn.max()), float(wn.min())
    t1 = 16 * math.log(n) / (cm * math.sqrt(mu) * Xmin) if n > 1 else 0.0
    first = min(mu, zeta, xi) * math.sqrt(mu) * Xmin / (4 * math.sqrt(h) * n * Xmax ** 2 * Wmax ** 2)
    log_e1 = math.log(first)
    log_e2 = -0.5 * math.log(h) - 64 * n * Xmax * math.log(n) / (cm * math.sqrt(mu) * Xmin)
    return Constants(n, int((y > 0).sum()), int((y < 0).sum()), h, D, mu, Xmin, Xmax, Wmax, Wmin, xp, xm, z1, z2, xi,
                     zeta, zeta_pr, t1, log_e1, log_e1 - math.log(2), log_e2, (mu * Xmin) ** 2 / (32 * Xmax))


def inst_constants(inst) -> Constants:
    p = inst.params
    return constants(*arrays(p), *init_arrays(p))


# =========================================================================== hypotheses


def _validated(prefix, with_init=False):
    def test(inst):
        kw = {}
        if with_init:
            W0, s = init_arrays(inst.params)
            kw = {"W0": W0, "s": s}
        chk = datasets.validate(inst.dataset(), **kw)[prefix]
        return chk.passed, chk.reason
    return test


def _loss_lemma2(inst):
    loss = inst.params.get("loss", "exponential")
    return loss in ("exponential", "logistic2"), (f"loss = {loss}: Lemma 2 (-ell'(y, 0) = y, |-ell' - y| <= 2|yhat|) "
                                                 "holds for e^{-y yhat} and 2 ln(1 + e^{-y yhat}), not for the "
                                                 "main-text ln(1 + e^{-y yhat}) (finding F5)")


def _balanced_init(inst):
    W0, s = init_arrays(inst.params)
    nz = np.linalg.norm(W0, axis=1)
    ok = bool(np.all(nz > 0) and np.all(np.isin(s, (-1.0, 1.0))))
    return ok, (f"(3): W(0) = eps W_0 with {len(s)} non-zero columns (min ||[W_0]_j|| = {nz.min():.4g}, Remark 2), "
                f"v_j(0) = s_j ||w_j(0)|| exactly (the polar state has |v_j| = ||w_j|| by construction)")


def _eps_lemma3(inst, point=None):
    C = inst_constants(inst)
    le = log_eps_of(inst, point)
    bound = -math.log(4 * math.sqrt(C.h) * C.Xmax * C.Wmax ** 2)
    return le <= bound, f"ln eps = {le:.6g} <= ln(1/(4 sqrt(h) X_max W_max^2)) = {bound:.6g}"


def _eps28(inst):
    C = inst_constants(inst)
    le = log_eps_of(inst)
    return le <= C.log_eps28(), (f"ln eps = {le:.6g}; (28): ln eps_1 = {C.log_eps1:.6g} (corrected, F1: "
                                 f"{C.log_eps1_corrected:.6g}), ln eps_2 = {C.log_eps2:.6g} (eps_2 = "
                                 f"10^{C.log_eps2 / LN10:.6g})")


def log_eps_of(inst, point=None) -> float:
    """ln eps of an instance (params["log_eps"], or the grid point's log10 eps)."""
    if point and "eps10" in point:
        return float(point["eps10"]) * LN10
    if "log_eps" in inst.params:
        return float(inst.params["log_eps"])
    grid = [float(p["eps10"]) for p in inst.grid if "eps10" in p]
    if grid:
        return max(grid) * LN10  # the hypothesis must hold at every grid point: test the largest eps
    raise KeyError(f"instance {inst.name!r} has no eps")


def _regular(inst):
    """Definition 1 on the instance's own run: no neuron regains an activation after reaching S_dead."""
    R = run_for(inst)
    bad = [(j, t) for j, t in R.resurrections()]
    return not bad, ("the engine's sigma'(0) = 0 solution: " + ("no neuron leaves S_dead" if not bad else
                                                                 f"neurons leave S_dead: {bad[:3]}"))


def _both_classes(inst):
    R = run_for(inst)
    fin = R.final_regions()
    s = np.asarray(inst.params["s"], float)
    npl = int(sum(1 for j, r in enumerate(fin) if r == "S+" and s[j] > 0))
    nmi = int(sum(1 for j, r in enumerate(fin) if r == "S-" and s[j] < 0))
    return npl > 0 and nmi > 0, f"|V~_+| = {npl}, |V~_-| = {nmi} at t_1 (Theorem 1 (2): both non-empty)"


HYP_LABELS = Hypothesis("labels in {-1, +1}", _validated("labels"), "§2.1, l.85")
HYP_A1 = Hypothesis("Assumption 1 (mu > 0)", _validated("Assumption 1"), "§3, l.281")
HYP_A2 = Hypothesis("Assumption 2 (init not aligned with x_-s)", _validated("Assumption 2", True), "§3.1, l.329")
HYP_INIT = Hypothesis("balanced init (3)", _balanced_init, "§2.1, l.119-136")
HYP_LOSS = Hypothesis("exponential or appendix logistic loss (Lemma 2)", _loss_lemma2, "App. B, l.1068")
HYP_EPS3 = Hypothesis("eps <= 1/(4 sqrt(h) X_max W_max^2)", _eps_lemma3, "Lemma 1/3, l.1114")
HYP_EPS28 = Hypothesis("eps <= (28)", _eps28, "Theorem 1 / (28), l.2192")
HYP_REGULAR = Hypothesis("regular solution (Definition 1)", _regular, "§3.1, l.322")
HYP_BOTH = Hypothesis("S_+ and S_- each contain a neuron at t_1", _both_classes, "Theorem 1 (2), l.373")

DATA_SETTING = [HYP_LABELS, HYP_A1]
FLOW_SETTING = [HYP_LABELS, HYP_A1, HYP_A2, HYP_INIT, HYP_LOSS]
THEOREM1_SETTING = FLOW_SETTING + [HYP_EPS28, HYP_REGULAR]

# =========================================================================== flow runs


def polar_init(W0, s, log_eps: float, precision="float64") -> PolarState:
    """theta_j = (v_j, w_j) = e^{r_j}(s_j, w^_j)/sqrt 2 with r_j = ln eps + ln(sqrt 2 ||[W_0]_j||) (init (3))."""
    xp = get_backend(precision)
    W0, s = np.asarray(W0, float), np.asarray(s, float)
    nz = np.linalg.norm(W0, axis=1)
    V = np.concatenate([s[:, None], W0 / nz[:, None]], axis=1) / math.sqrt(2)
    r = log_eps + np.log(nz) + 0.5 * math.log(2)
    return PolarState(xp.asarray(r), xp.asarray(V), xp)


def core_key(p: dict) -> str:
    """The memo key of a run: data, loss, leaky slope, init."""
    return json.dumps({k: p.get(k) for k in ("X", "y", "loss", "gamma", "W0", "s")}, sort_keys=True)


def region(pattern, y) -> str:
    """'S+' if the active set is exactly I_+ (S_+, l.287), 'S-' if exactly I_-, 'dead' if empty, else 'mixed'."""
    pattern = np.asarray(pattern, bool)
    if not pattern.any():
        return "dead"
    if np.array_equal(pattern, y > 0):
        return "S+"
    if np.array_equal(pattern, y < 0):
        return "S-"
    return "mixed"


class Run:
    """A flow from init (3) at one eps, integrated at two tolerances: events (activation switches, event-located),
    per-neuron activation histories, trap times, and states at given times."""

    def __init__(self, p: dict, log_eps: float, T: float):
        self.X, self.y = arrays(p)
        self.W0, self.s = init_arrays(p)
        self.log_eps, self.T = log_eps, T
        self.model = Model(self.X, self.y, gamma=float(p.get("gamma", 0.0)), loss=p.get("loss", "exponential"),
                           reduction="sum")
        self.tr = {}
        for name, rtol in (("tight", RTOL_TIGHT), ("loose", RTOL_LOOSE)):
            tr = solve_flow(self.model, polar_init(self.W0, self.s, log_eps), T, rtol=rtol, kink=KINK)
            if tr.status != 0:
                raise RuntimeError(f"flow solver ({name}): {tr.message}")
            self.tr[name] = tr
        self.h, self.n = len(self.s), len(self.y)
        ev = {k: [(float(e.t), e.kind, int(e.j), int(e.k)) for e in tr.events] for k, tr in self.tr.items()}
        if [e[1:] for e in ev["tight"]] != [e[1:] for e in ev["loose"]]:
            raise RuntimeError("the event sequences differ between the two tolerances: "
                               f"{[e[1:] for e in ev['tight']][:6]} vs {[e[1:] for e in ev['loose']][:6]}")
        self.events = ev["tight"]
        self.event_err = [abs(a[0] - b[0]) + 1e-12 for a, b in zip(ev["tight"], ev["loose"])]
        Z0 = self.W0 @ self.X.T
        self.pattern0 = Z0 > 0

    # ------------------------------------------------------------------ activation histories
    def history(self, j: int) -> list:
        """[(t, pattern, err_t)] of neuron j: its initial pattern at t = 0, then one entry per switch (strict > 0:
        a pair stuck on z = 0 is inactive, sigma'(0) = 0)."""
        pat = self.pattern0[j].copy()
        out = [(0.0, pat.copy(), 0.0)]
        for (t, kind, jj, k), e in zip(self.events, self.event_err):
            if jj != j:
                continue
            pat[k] = kind == "activate"
            out.append((t, pat.copy(), e))
        return out

    def trap_time(self, j: int):
        """(tau_j, err): the first time neuron j's region is its trap set (S_+ or dead for s_j = +1, S_- or dead for
        s_j = -1, the sets of Theorem 1 (1)); inf if never."""
        trap = ("S+", "dead") if self.s[j] > 0 else ("S-", "dead")
        for t, pat, e in self.history(j):
            if region(pat, self.y) in trap:
                return t, e
        return math.inf, 0.0

    def final_regions(self) -> list:
        return [region(self.history(j)[-1][1], self.y) for j in range(self.h)]

    def resurrections(self) -> list:
        """(j, t) where a neuron gains an activation after having been dead (Definition 1 fails)."""
        out = []
        for j in range(self.h):
            dead = False
            for t, pat, _ in self.history(j):
                if dead and pat.any():
                    out.append((j, t))
                dead = dead or not pat.any()
        return out

    # ------------------------------------------------------------------ states
    def states(self, times, which="tight") -> list:
        tr = self.tr[which]
        return [tr.at(min(float(t), float(tr.t_final))) for t in times]

    def outputs(self, st) -> np.ndarray:
        return np.asarray(st.output(self.model), float)


@lru_cache(maxsize=64)
def _run(core: str, log_eps: float, T: float) -> Run:
    return Run(json.loads(core), log_eps, T)


def run(p: dict, log_eps: float, T: float) -> Run:
    """The shared, memoised run of the instance parameters ``p`` at ln eps = ``log_eps`` up to ``T``."""
    return _run(core_key(p), float(log_eps), float(T))


def horizon(p: dict, log_eps: float) -> float:
    """Long enough to pass t_2 (l.3318): t_2 ~ ln(1/eps)/min ||x_+-|| (catalog E05) + 40."""
    X, y = arrays(p)
    xp, xm = x_plus_minus(X, y)
    m = min(v for v in (np.linalg.norm(xp), np.linalg.norm(xm)) if v > 0)
    return -log_eps / m + 40.0


def run_for(inst, point=None) -> Run:
    """The instance's run at its (grid point's) eps, to its horizon (params["T"] or :func:`horizon`)."""
    le = log_eps_of(inst, point)
    T = float(inst.params.get("T", horizon(inst.params, le)))
    return run(inst.params, le, T)


def first_time(tr, model, pred, lo: float, hi: float, iters: int = 48) -> float:
    """First t in [lo, hi] with pred(state) True (False at lo, True at hi), by bisection on the trajectory."""
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if pred(tr.at(mid)):
            hi = mid
        else:
            lo = mid
    return hi


@lru_cache(maxsize=64)
def _t2(core: str, log_eps: float, T: float) -> dict:
    """t_2^+ = inf{t : max_{I_+} |f_+(x_i)| > 1/4} and t_2^- (l.3318-3345; f_-'s sum over V~_- as meant, F14), f_+- the
    sub-networks of the neurons in S_+ (S_-) at the end, at both tolerances."""
    R = _run(core, log_eps, T)
    fin = R.final_regions()
    vp = [j for j in range(R.h) if fin[j] == "S+"]
    vm = [j for j in range(R.h) if fin[j] == "S-"]
    out = {"V+": vp, "V-": vm}
    for which in ("tight", "loose"):
        tr = R.tr[which]

        def fsub(st, idx, I):
            W = np.asarray(st.W(), float)[idx]
            a = np.asarray(st.a(), float)[idx]
            return np.abs(a @ np.maximum(W @ R.X[I].T, 0.0))

        for tag, idx, I in (("+", vp, R.y > 0), ("-", vm, R.y < 0)):
            if not idx:
                out[which + tag] = math.inf
                continue
            grid = np.linspace(0.0, T, 121)
            vals = [float(np.max(fsub(st, idx, I))) for st in R.states(grid, which)]
            k = next((i for i, v in enumerate(vals) if v > 0.25), None)
            if k is None:
                out[which + tag] = math.inf
                continue
            out[which + tag] = first_time(tr, R.model, lambda st: float(np.max(fsub(st, idx, I))) > 0.25,
                                          float(grid[k - 1]), float(grid[k]))
    return out


def t2_times(p: dict, log_eps: float, T: float) -> dict:
    """{"t2+", "t2-", "t2", and their errors (two tolerances)} of a run."""
    d = _t2(core_key(p), float(log_eps), float(T))
    out = {"V+": d["V+"], "V-": d["V-"]}
    for tag in ("+", "-"):
        out["t2" + tag] = d["tight" + tag]
        out["err" + tag] = abs(d["tight" + tag] - d["loose" + tag]) + 1e-10
    out["t2"] = max(out["t2+"], out["t2-"])
    out["err"] = out["err+"] if out["t2+"] >= out["t2-"] else out["err-"]
    return out


# =========================================================================== catalog instances

#: ln eps_2 of I-A8 (catalog §1.1: -1273.772976; computed from (28) in :func:`constants`)
def ia8_log_eps2() -> float:
    p = ia8_params()
    return constants(*arrays(p), *init_arrays(p)).log_eps2


def flow_instance(name: str, p: dict, log_eps: float | None = None, T: float | None = None, desc: str = "",
                  **kw) -> Instance:
    params = dict(p)
    if log_eps is not None:
        params["log_eps"] = float(log_eps)
    if T is not None:
        params["T"] = float(T)
    return Instance(name, params, description=desc or "flow (2) from init (3), exp loss (sum), sigma'(0) = 0", **kw)


def ia8_instance(which: str = "eps2", T: float | None = None) -> Instance:
    """DS-A + I-A8 at eps_2 (the rigorous regime, about 10^-553.19) or at eps = 1e-6."""
    if which == "eps2":
        le = ia8_log_eps2()
        return flow_instance(f"DS-A + I-A8, eps = eps_2 = 10^{le / LN10:.2f}", ia8_params(), le, T)
    return flow_instance("DS-A + I-A8, eps = 1e-6", ia8_params(), math.log(1e-6), T)


def ra_instance(eps10: float = -6.0, seed: int = 0, h: int = 20, T: float | None = None) -> Instance:
    return flow_instance(f"DS-A + R-A (seed {seed}, h = {h}), eps = 1e{eps10:g}", ra_params(seed, h),
                         eps10 * LN10, T)


def ra_eps2_instance(T=None) -> Instance:
    """DS-A + R-A (seed 0, h = 20) at its own eps_2 (e^{-10670}), up to its t_1 (667) unless T is given."""
    p = ra_params()
    C = constants(*arrays(p), *init_arrays(p))
    return flow_instance(f"DS-A + R-A (seed 0, h = 20), eps = eps_2 = 10^{C.log_eps2 / LN10:.1f}", p, C.log_eps2,
                         T if T is not None else C.t1 + 1.0)


def user_flow_instance(ds, eps10: float = -6.0, h: int = 20, seed: int = 0) -> Instance:
    """A user dataset (``--data``) with the catalog's random init (h = 20, seed 0, W_0 ~ N(0, 1/D), random signs) at
    eps = 1e-6 (params ``h``, ``seed``, ``eps10`` of the dataset override), exponential loss summed, run to its t_2
    horizon; Assumptions 1-2 and Definition 1 are evaluated on it as hypotheses."""
    prm = ds.params or {}
    h, seed, eps10 = int(prm.get("h", h)), int(prm.get("seed", seed)), float(prm.get("eps10", eps10))
    W0, s = init_random(ds.X.shape[1], h, seed)
    p = {**data_params(ds, loss=ds.loss if ds.loss in ("exponential", "logistic2") else "exponential"),
         **init_params(W0, s, f"random h = {h}, seed {seed}")}
    return flow_instance(f"user data {ds.name}, random init h = {h} seed {seed}, eps = 1e{eps10:g}", p, eps10 * LN10)


def dsb_instance(eps10: float = -8.0, T: float | None = None) -> Instance:
    return flow_instance(f"DS-B + random init (seed 0, h = 30), eps = 1e{eps10:g}", dsb_params(), eps10 * LN10, T)


# the generic instances: random mu-separated data (datasets.mu_separated) with the catalog's random init, drawn with
# the same seed; the 2-D one small enough (n = 4, h = 6) that its own eps_2 (e^{-1942}) is run past t_2 in ~1.7 s
GENERIC_2D = {"n_plus": 2, "n_minus": 2, "d": 2, "mu": 0.5, "seed": 2, "h": 6}
GENERIC_3D = {"n_plus": 3, "n_minus": 3, "d": 3, "mu": 0.3, "seed": 1, "h": 12}


def generic_data(g: dict, loss: str = "exponential") -> dict:
    """The data parameters of a generic setting: random mu-separated data (n_+, n_-, d, mu lower bound, seed)."""
    return data_params(datasets.mu_separated(g["n_plus"], g["n_minus"], g["d"], g["mu"], seed=g["seed"]), loss)


def generic_params(n_plus: int, n_minus: int, d: int, mu: float, seed: int, h: int,
                   loss: str = "exponential") -> dict:
    """Random mu-separated data (n_+, n_-, d, mu lower bound, seed) with the random init (h, the same seed)."""
    W0, s = init_random(d, h, seed)
    g = {"n_plus": n_plus, "n_minus": n_minus, "d": d, "mu": mu, "seed": seed}
    return {**generic_data(g, loss), **init_params(W0, s, f"random seed {seed}, h = {h}")}


def generic_data_name(g: dict) -> str:
    return f"generic: mu-separated (n_+ = {g['n_plus']}, n_- = {g['n_minus']}, d = {g['d']}, seed {g['seed']})"


def generic_name(g: dict) -> str:
    return f"{generic_data_name(g)} + random init (h = {g['h']}, seed {g['seed']})"


def generic_eps2_instance(T: float | None = None) -> Instance:
    """GENERIC_2D at its own eps_2 (the second branch of (28) is the smaller), run past t_2 (:func:`horizon`)."""
    p = generic_params(**GENERIC_2D)
    C = constants(*arrays(p), *init_arrays(p))
    le = C.log_eps28()
    return flow_instance(f"{generic_name(GENERIC_2D)}, eps = eps_2 = 10^{le / LN10:.1f}", p, le,
                         T if T is not None else horizon(p, le))


def generic_practical_instance(eps10: float = -8.0, T: float = 3000.0) -> Instance:
    """GENERIC_3D (3-D data: the stable rank is not <= 2 by dimension) at a practical eps, outside (28)."""
    return flow_instance(f"{generic_name(GENERIC_3D)}, eps = 1e{eps10:g}", generic_params(**GENERIC_3D),
                         eps10 * LN10, T)



# =========================================================================== quantities read off a run


def trap_counts(R: Run):
    """Per neuron: e_trap = region changes after tau_j (its trap set is left), e_opp = exits from the opposite cone
    S_{-s_j} (a V_+ neuron leaving S_-). Combinatorial, from the event-located switches."""
    et, eo = [], []
    for j in range(R.h):
        tau, _ = R.trap_time(j)
        regs = [(t, region(p, R.y)) for t, p, _ in R.history(j)]
        et.append(sum(1 for (t0, r0), (_, r1) in zip(regs, regs[1:]) if t0 >= tau and r1 != r0))
        opp = "S-" if R.s[j] > 0 else "S+"
        eo.append(sum(1 for (_, r0), (_, r1) in zip(regs, regs[1:]) if r0 == opp and r1 != opp))
    return et, eo


def g_minus_y(f, y, loss: str, half: bool = False):
    """-ell'(y_i, f_i) - y_i, evaluated without cancellation (the Lemma 2 / Lemma 4 quantity): exponential
    y expm1(-y f); doubled logistic -y tanh(y f/2); main-text logistic -y expit(y f) (= -y/2 at f = 0, finding F5);
    square -f. ``half=True`` (main-text logistic only): -ell' - y/2 = -(y/2) tanh(y f/2), the deviation from the
    corrected approximation (4) with the factor 1/2."""
    f, y = np.asarray(f, float), np.asarray(y, float)
    if half:
        if loss != "logistic":
            raise ValueError("half=True is the main-text logistic's corrected reading")
        return -(y / 2) * np.tanh(y * f / 2)
    if loss == "exponential":
        return y * np.expm1(-y * f)
    if loss == "logistic2":
        return -y * np.tanh(y * f / 2)
    if loss == "logistic":
        return -y / (1 + np.exp(-y * f))
    if loss == "square":
        return -f
    raise ValueError(f"unknown loss {loss!r}")


def balanced_quantities(X, y, s, U, lnw, loss="exponential", gamma=0.0, half: bool = False) -> dict:
    """The quantities of Lemmas 3, 4 and 10 at a state on the balanced manifold v_j = s_j ||w_j|| (which the exact flow
    keeps, Eq. (3); the engine's relative imbalance, ~1e-14, would otherwise swamp the O(|f|) differences at small
    eps): f_i = sum_j s_j ||w_j||^2 sigma(<u_j, x_i>), x_a(w_j) = sum_i sigma'(<x_i, w_j>) y_i x_i (leaky, l.1156),
    P_j x_a, d/dt w^_j = s_j P_j sum_i sigma' (-ell'_i) x_i (16)-(17), and its deviation
    d/dt w^_j - s_j P_j x_a = s_j P_j sum_i sigma' (-ell'_i - y_i) x_i, computed from :func:`g_minus_y` (no cancellation)."""
    X, y, s, U, lnw = (np.asarray(v, float) for v in (X, y, s, U, lnw))
    Z = U @ X.T
    sig = np.where(Z > 0, Z, gamma * Z)
    sp_ = np.where(Z > 0, 1.0, gamma)
    f = (s * np.exp(2 * lnw)) @ sig
    gm = g_minus_y(f, y, loss, half)
    xa = (sp_ * y[None, :]) @ X
    dev_raw = (sp_ * gm[None, :]) @ X
    P = lambda V: V - np.sum(V * U, axis=1, keepdims=True) * U  # noqa: E731
    pxa = P(xa)
    dev = s[:, None] * P(dev_raw)
    c = 0.5 if half else 1.0
    return {"f": f, "xa": xa, "pxa": pxa, "dev": dev, "wdot_hat": c * s[:, None] * pxa + dev, "Z": Z}


def state_arrays(st):
    """(U, ln||w||) of a PolarState in float64 (directions and log norms never underflow)."""
    return np.asarray(st.u(), float), np.asarray(st.log_norm_w(), float)


# =========================================================================== (y, yhat) instances of the closed-form loss claims

YH = np.concatenate([np.linspace(-1.0, 1.0, 4001)])


def yhat_points(inst):
    """The (y, yhat) pairs of a closed-form loss instance: every label of params["labels"] (default +-1) with the
    yhat of params["n"] equally spaced points of [-1, 1] (yhat = 0 included for odd n), or, with params["seed"],
    params["n"] uniform draws of [-1, 1] (numpy default_rng(seed))."""
    p = inst.params
    n = int(p.get("n", len(YH)))
    yh = (np.random.default_rng(int(p["seed"])).uniform(-1.0, 1.0, n) if "seed" in p else np.linspace(-1.0, 1.0, n))
    labels = [float(v) for v in p.get("labels", (1.0, -1.0))]
    return np.repeat(labels, len(yh)), np.tile(yh, len(labels))


def _loss_domain(inst):
    y, yh = yhat_points(inst)
    ok = bool(np.all(np.isin(y, (-1.0, 1.0))) and np.max(np.abs(yh)) <= 1.0)
    return ok, f"labels {sorted(set(y.tolist()))}, max |yhat| = {np.max(np.abs(yh)):.6g} ({len(y)} pairs)"


#: Lemma 2's domain, evaluated on the instance's own (y, yhat) pairs
HYP_YHAT = Hypothesis("y in {-1, +1} and |yhat| <= 1", _loss_domain, "Lemma 2, App. B l.1070")


def yhat_instances(what: str, n_grid: int, n_random: int = 1000, seed: int = 4, extra=None):
    """The paper's grid of yhat in [-1, 1] and a generic instance: uniform random yhat (seed ``seed``), y = +-1."""
    extra = extra or {}
    return [Instance(f"{what}yhat in [-1, 1], y = +-1", {"n": n_grid, **extra}),
            Instance(f"generic: {what}yhat uniform on [-1, 1] ({n_random} draws, seed {seed}), y = +-1",
                     {"n": n_random, "seed": seed, **extra})]
