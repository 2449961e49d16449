"""min2024 figures (``earlyalign reproduce min2024.figN``), as gradient FLOWS where the width allows and as gradient
DESCENT (the paper's own protocol) otherwise. Every panel states the loss, its reduction, the init and the time
convention: flow time t of L = sum_i ell (the paper's loss, l.100) for the flows; GD iterations k with step eta on the
stated loss for GD (flow time t = eta k).

The paper's experiments (§4, App. A) use unbalanced Gaussian init [W]_ij, v_j ~ N(0, alpha^2), alpha = 1e-6, h = 50, GD
with eta = 2e-3, and never say which loss nor sum vs mean (finding F20); as the catalog recommends, the 2-D toys use
the exponential loss summed (its definition) and the digits the exponential loss averaged (the reported time scales
need a mean). MNIST is replaced offline by scikit-learn's bundled 8x8 digits (catalog DIG).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from numerics.directional import directional_flow_2d
from numerics.flows import solve_flow
from numerics.network import Model, gradient, total_loss
from theory.paper import Figure

from . import datasets
from .common import IA8_ANGLES, IA8_SIGNS, init_random, polar_init, region
from .paper import KEY

ALPHA_INIT, ETA, H = 1e-6, 2e-3, 50
GD_NOTE = "GD, eta = 2e-3, unbalanced init [W]_ij, v_j ~ N(0, 1e-6^2), h = 50; time = iterations k (flow time 2e-3 k)"


def _plt():
    # lazy: importing matplotlib.pyplot takes ~0.3 s, paid by every registry load if done at the top
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, out, name, data):
    p = Path(out) / f"{KEY}_{name}.png"
    fig.savefig(p, dpi=110)
    (Path(out) / f"{KEY}_{name}.json").write_text(json.dumps(data, indent=1, default=float))
    return [p, Path(out) / f"{KEY}_{name}.json"]


def gd_run(X, y, loss, reduction, iters, seed, every=100, first_layer_only=False, h=H):
    """Full-batch GD from the paper's unbalanced init (l.761-779): snapshots (k, v, W, L) every ``every`` steps; with
    ``first_layer_only`` v_j in {+-1} is fixed (App. A.5's baseline)."""
    rng = np.random.default_rng(seed)
    D = X.shape[1]
    W = rng.normal(0.0, ALPHA_INIT, (h, D))
    v = rng.choice([-1.0, 1.0], h) if first_layer_only else rng.normal(0.0, ALPHA_INIT, h)
    model = Model(X, y, loss=loss, reduction=reduction)
    snaps = []
    for k in range(iters + 1):
        if k % every == 0:
            snaps.append((k, v.copy(), W.copy(), float(total_loss(model, v, W))))
        ga, gW = gradient(model, v, W)
        W = W - ETA * gW
        if not first_layer_only:
            v = v - ETA * ga
    return snaps, model


# =========================================================================== X1: Figures 1-4 on DS-A


def make_fig1_4(out, tier):
    """DS-A: the data, the cones S_+, S_-, S_dead on the circle, and the I-A8 neuron routes (angles over time) of the
    exact eps -> 0 directional flow (identical switch times to the flow at eps = 1e-6 and eps_2; catalog §1.1)."""
    plt = _plt()
    ds = datasets.ds_a()
    X, y = ds.X, ds.y
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(12, 5.2))
    th = np.linspace(0, 2 * math.pi, 3600, endpoint=False)
    col = {"S+": "tab:red", "S-": "tab:blue", "dead": "0.5", "mixed": "0.85"}
    for t in th:
        r = region(X @ np.array([math.cos(t), math.sin(t)]) > 0, y)
        a0.plot([0.9 * math.cos(t), math.cos(t)], [0.9 * math.sin(t), math.sin(t)], color=col[r], lw=1)
    for x, yy in zip(X, y):
        a0.annotate("", xy=x, xytext=(0, 0), arrowprops=dict(arrowstyle="->", color="tab:red" if yy > 0 else "tab:blue"))
    xp, xm = X[y > 0].sum(0), X[y < 0].sum(0)
    for v, nm in ((xp, "x_+"), (xm, "x_-")):
        u = v / np.linalg.norm(v)
        a0.plot([0, 1.15 * u[0]], [0, 1.15 * u[1]], "k--", lw=0.8)
        a0.text(1.2 * u[0], 1.2 * u[1], nm)
    a0.set_aspect("equal")
    a0.set_title("DS-A: S_+ (red), S_- (blue), S_dead (grey) on the circle", fontsize=9)
    routes = {}
    for ang, s in zip(IA8_ANGLES, IA8_SIGNS):
        p = directional_flow_2d(X, y, s, math.radians(ang))
        ts = list(p.times) + [1.0]
        angs = [math.degrees(a) % 360 for a in p.angles]
        # angle over time inside each region from the closed form: sample the exact path on a grid
        grid = np.linspace(0, 1.0, 400)
        curve = [math.degrees(_angle_at(X, y, s, math.radians(ang), t)) % 360 for t in grid]
        a1.plot(grid, curve, color="tab:red" if s > 0 else "tab:blue", lw=1)
        a1.plot(ts[1:-1], [c % 360 for c in angs[1:]], "ko", ms=3)
        routes[str(ang)] = {"switch_times": p.times[1:], "fate": region(p.patterns[-1], y)}
    a1.set_xlabel("flow time t (L = sum exp(-y f), eps -> 0 directional flow)")
    a1.set_ylabel("neuron angle (deg)")
    a1.set_title("I-A8 routes: V_+ red, V_- blue; dots = activation switches", fontsize=9)
    fig.text(0.01, 0.01, "exp loss, sum; balanced init (3) I-A8; gradient-flow time; sigma'(0) = 0", fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return _save(fig, out, "fig1_4", {"routes": routes})


def _angle_at(X, y, s, th0, t):
    """Angle of the exact eps -> 0 path at time t (re-solving up to t)."""
    p = directional_flow_2d(X, y, s, th0, t_max=t)
    t_last, th, pat = p.times[-1], p.angles[-1], p.patterns[-1]
    c = s * (y[pat] @ X[pat]) if pat.any() else np.zeros(2)
    cn = float(np.hypot(*c))
    if cn == 0:
        return th
    phi = math.atan2(c[1], c[0])
    psi = math.atan2(math.sin(th - phi), math.cos(th - phi))
    return phi + 2 * math.atan(math.tan(psi / 2) * math.exp(-cn * (t - t_last)))


# =========================================================================== X3: Figure 6 (toy 2-D, one vs two drops)


def make_fig6(out, tier):
    """Loss of the flow on DS-A (||x_+|| = ||x_-||: one drop) and DS-B (3.740 vs 3.266: two drops) from a balanced
    random init (h = 50, seed 0) at eps = 1e-8, with the predicted drop times ln(1/eps)/||x_+-||."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 4.6))
    data = {}
    for ds, c in ((datasets.ds_a(), "C0"), (datasets.ds_b(), "C3")):
        W0, s = init_random(ds.X.shape[1], 50, 0)
        model = Model(ds.X, ds.y, loss="exponential", reduction="sum")
        le = math.log(1e-8)
        T = 12.0
        tr = solve_flow(model, polar_init(W0, s, le), T, rtol=1e-9, kink="convention",
                        t_eval=np.linspace(0, T, 300))
        L = [float(st.loss(model)) for st in tr.sampled]
        ax.plot(np.linspace(0, T, 300), L, c, label=ds.name.removeprefix(f"{KEY}."))
        xp, xm = ds.X[ds.y > 0].sum(0), ds.X[ds.y < 0].sum(0)
        for v in (xp, xm):
            ax.axvline(-le / np.linalg.norm(v), color=c, ls=":", lw=0.8)
        data[ds.name] = {"t": np.linspace(0, T, 300).tolist(), "L": L,
                         "predicted_drops": [-le / float(np.linalg.norm(xp)), -le / float(np.linalg.norm(xm))]}
    ax.set_yscale("log")
    ax.set_xlabel("flow time t of L = sum exp(-y f)")
    ax.set_ylabel("L")
    ax.legend()
    ax.set_title("Fig. 6 (A.1) substitute: one drop (DS-A) vs two drops at ln(1/eps)/||x_+-|| (DS-B)", fontsize=9)
    fig.text(0.01, 0.01, "exp loss, sum; balanced init (3), W_0 ~ N(0, 1/D), h = 50, seed 0, eps = 1e-8; "
             "gradient flow (sigma'(0) = 0); dotted: ln(1/eps)/||x_+-||", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return _save(fig, out, "fig6", data)


# =========================================================================== X4, X5: Figures 7-9 (two positive points)


def _outside_counts(X, y, snaps):
    """Alive v > 0 neurons (some active datum) outside S_+ per snapshot."""
    out = []
    for k, v, W, _ in snaps:
        P = W @ X.T > 0
        alive = (v > 0) & P.any(axis=1)
        out.append(int(np.sum(alive & ~np.all(P[:, y > 0], axis=1))))
    return out


def make_fig7_9(out, tier):
    """A.2 (two positive points, delta = 0.1 and 0.001) and A.3 (orthogonal): GD as in the paper; alive v > 0 neurons
    outside S_+ over iterations (seeds 0-4), and for the orthogonal data the S_+ / x_1-only / x_2-only counts and
    norms at iteration 21000 (seeds 0-2)."""
    plt = _plt()
    iters = 21000
    seeds = range(5) if tier == "full" else range(3)
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(12, 4.6))
    data = {}
    for delta, c in ((0.1, "C0"), (0.001, "C3")):
        ds = datasets.ds_a2(delta)
        rows = []
        for sd in seeds:
            snaps, _ = gd_run(ds.X, ds.y, "exponential", "sum", iters, sd, every=500)
            cnt = _outside_counts(ds.X, ds.y, snaps)
            rows.append(cnt)
            a0.plot([s[0] for s in snaps], cnt, c, alpha=0.6, lw=1)
        data[f"delta={delta}"] = {"iterations": [k for k, *_ in snaps], "outside_S_plus": rows}
    a0.set_xlabel("GD iteration")
    a0.set_ylabel("alive v > 0 neurons outside S_+")
    a0.set_title("Figs. 7-8: delta = 0.1 (blue) vs 0.001 (red), seeds", fontsize=9)
    ds = datasets.ds_a3()
    orth = []
    for sd in range(3):
        snaps, _ = gd_run(ds.X, ds.y, "exponential", "sum", iters, sd, every=iters)
        k, v, W, _ = snaps[-1]
        P = W @ ds.X.T > 0
        alive = (v > 0) & P.any(axis=1)
        both, only1, only2 = alive & P.all(axis=1), alive & P[:, 0] & ~P[:, 1], alive & P[:, 1] & ~P[:, 0]
        nrm = np.linalg.norm(W, axis=1)
        orth.append({"S_plus": int(both.sum()), "x1_only": int(only1.sum()), "x2_only": int(only2.sum()),
                     "max_norm_x1_only": float(nrm[only1].max(initial=0)),
                     "median_norm_S_plus": float(np.median(nrm[both])) if both.any() else 0.0})
        a1.scatter(W[alive, 0], W[alive, 1], s=8, label=f"seed {sd}")
    a1.set_title("Fig. 9 (orthogonal x_1, x_2): final v > 0 neurons (iteration 21000)", fontsize=9)
    a1.legend(fontsize=7)
    data["orthogonal"] = orth
    fig.text(0.01, 0.01, "exp loss, SUM; " + GD_NOTE, fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return _save(fig, out, "fig7_9", data)


# =========================================================================== X2, X6: Figures 5, 10, 11 on digits


def _digits_panels(pos, neg, iters, out, name, seed=0):
    plt = _plt()
    ds = datasets.digits_pair(pos, neg)
    X, y = ds.X, ds.y
    snaps, model = gd_run(X, y, "exponential", "mean", iters, seed, every=250)
    xp, xm = X[y > 0].sum(0), X[y < 0].sum(0)
    ks, band, rank, loss, spec = [], [], [], [], []
    for k, v, W, L in snaps:
        Vp, Vm = W[v > 0], W[v < 0]
        cp = (Vp @ xp) / (np.linalg.norm(Vp, axis=1) * np.linalg.norm(xp))
        cm = (Vm @ xm) / (np.linalg.norm(Vm, axis=1) * np.linalg.norm(xm))
        wbp = Vp.mean(0)
        sv = np.linalg.svd(W, compute_uv=False)
        ks.append(k)
        band.append([float(wbp @ xp / (np.linalg.norm(wbp) * np.linalg.norm(xp))), float(cp.min()), float(cp.max()),
                     float(cm.min()), float(cm.max())])
        rank.append(float(np.sum(sv ** 2) / sv[0] ** 2))
        loss.append(L)
        spec.append(float(sv[0] ** 2))
    fig, ax = plt.subplots(1, 4, figsize=(17, 4.2))
    order = np.argsort(-y)
    ax[0].imshow((X @ X.T)[np.ix_(order, order)], cmap="RdBu_r")
    ax[0].set_title(f"<x_i, x_j> (digit {pos} first, centred)", fontsize=9)
    b = np.array(band)
    ax[1].plot(ks, b[:, 0], "r", label="cos(w_+bar, x_+)")
    ax[1].fill_between(ks, b[:, 1], b[:, 2], color="r", alpha=0.2)
    ax[1].fill_between(ks, b[:, 3], b[:, 4], color="g", alpha=0.2, label="band V_- vs x_-")
    ax[1].set_title("alignment band over V_+(t) (red), V_-(t) (green)", fontsize=9)
    ax[1].legend(fontsize=7)
    ax[2].semilogy(ks, loss, label="L (mean exp)")
    ax[2].plot(ks, rank, label="stable rank")
    ax[2].plot(ks, spec, label="||W||_2^2")
    ax[2].legend(fontsize=7)
    ax[2].set_title("loss, stable rank, ||W||_2^2", fontsize=9)
    k, v, W, _ = snaps[-1]
    img = np.concatenate([W[v > 0].mean(0).reshape(8, 8), W[v < 0].mean(0).reshape(8, 8),
                          (xp / (y > 0).sum()).reshape(8, 8), (xm / (y < 0).sum()).reshape(8, 8)], axis=1)
    ax[3].imshow(img, cmap="gray")
    ax[3].set_title(f"w_+bar, w_-bar, x_+bar, x_-bar at iteration {k}", fontsize=9)
    for a in ax[1:3]:
        a.set_xlabel("GD iteration")
    fig.text(0.01, 0.01, f"DIG({pos},{neg}) = sklearn digits, pixels/16, centred; exp loss, MEAN; " + GD_NOTE
             + f"; seed {seed}", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    table = {str(kk): {"cos_wbar_xplus": bb[0], "band_min": bb[1], "stable_rank": r, "loss": L, "W2": s2}
             for kk, bb, r, L, s2 in zip(ks, band, rank, loss, spec) if kk in (2000, 5000, 6000, 7000, 8000, 10000,
                                                                             15000)}
    return _save(fig, out, name, {"table": table, "n": len(y), "D": X.shape[1],
                                  "cos_xplus_xminus": float(xp @ xm / (np.linalg.norm(xp) * np.linalg.norm(xm)))})


def make_fig5(out, tier):
    """Figure 5 (§4) on DIG(1, 0): Gram heatmap, alignment band, loss / stable rank / ||W||_2^2, mean neurons vs class
    means (catalog DIG table: band > 0.99 by ~7000 iterations, loss drop from ~8000, stable rank ~ 1)."""
    return _digits_panels(1, 0, 15000 if tier == "full" else 10000, out, "fig5")


def make_fig10_11(out, tier):
    """Figures 10-11 (App. A.4) on DIG(3, 8) and DIG(1, 7)."""
    iters = 15000 if tier == "full" else 8000
    return _digits_panels(3, 8, iters, out, "fig10") + _digits_panels(1, 7, iters, out, "fig11")


# =========================================================================== X7: Figures 12-13 (two-phase training)


def make_fig12_13(out, tier):
    """App. A.5 on DIG(1, 0), full-batch GD (n = 360 < the paper's batch 2000): per snapshot, the 'changes in neuron
    norms' sum_j 2 <-grad_{w_j} L, w_j> (divided by sum_j ||w_j||^2) and 'changes in neuron directions' sum_j
    ||P_{w_j}(-grad_{w_j} L)/||w_j|| || (the printed sum over i is over j, F14), for both layers trained and for the
    first layer only (v_j = +-1 fixed)."""
    plt = _plt()
    ds = datasets.digits_pair(1, 0)
    iters = 12000 if tier == "full" else 8000
    fig, ax = plt.subplots(1, 2, figsize=(12, 4.4))
    data = {}
    for a, flo, title in ((ax[0], False, "both layers"), (ax[1], True, "first layer only (v = +-1 fixed)")):
        snaps, model = gd_run(ds.X, ds.y, "exponential", "mean", iters, 0, every=200, first_layer_only=flo)
        ks, dn, dd = [], [], []
        for k, v, W, _ in snaps:
            _, gW = gradient(model, v, W)
            nw = np.linalg.norm(W, axis=1)
            ks.append(k)
            dn.append(float(np.sum(2 * np.sum(-gW * W, axis=1)) / np.sum(nw ** 2)))
            U = W / nw[:, None]
            Pg = -gW - np.sum(-gW * U, axis=1, keepdims=True) * U
            dd.append(float(np.sum(np.linalg.norm(Pg, axis=1) / nw)))
        a.semilogy(ks, np.abs(dn), label="norm change / sum ||w||^2")
        a.semilogy(ks, dd, label="direction change")
        a.set_title(title, fontsize=9)
        a.set_xlabel("GD iteration")
        a.legend(fontsize=7)
        data[title] = {"iterations": ks, "norm_change_rel": dn, "direction_change": dd}
    fig.text(0.01, 0.01, "DIG(1,0); exp loss, MEAN; full-batch " + GD_NOTE, fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return _save(fig, out, "fig12_13", data)


# =========================================================================== X8: Figures 14-17 (paths)


def make_fig14_17(out, tier):
    """The count-pair grid for (n_+, n_-) = (2, 2), the maximal path P_max = (0,2),(0,1),(1,1),(1,0),(2,0) (travel
    time 3 x 4/c) and a shorter path (1/2 + 1/3 + 1/4 + 1/3 = 1.417, the 'gain positives first' path of catalog E40)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5, 5))
    pts = [(a, b) for a in range(3) for b in range(3) if (a, b) != (0, 0)]
    ax.scatter([p[0] for p in pts], [p[1] for p in pts], c="k")
    pmax = [(0, 2), (0, 1), (1, 1), (1, 0), (2, 0)]
    alt = [(0, 2), (1, 2), (2, 2), (2, 1), (2, 0)]
    ax.plot(*zip(*pmax), "r-o", label="P_max: H_2 + 1/2 + H_1 = 3")
    ax.plot(*zip(*alt), "b--o", label="positives first: 1.417")
    ax.set_xlabel("k_+ (active positives)")
    ax.set_ylabel("k_- (active negatives)")
    ax.legend(fontsize=8)
    ax.set_title("Figs. 14-17: activation-count paths, (n_+, n_-) = (2, 2)", fontsize=9)
    fig.text(0.01, 0.01, "travel time in units of 4/(min{zeta, xi} sqrt(mu) X_min); no loss / init / time involved",
             fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return _save(fig, out, "fig14_17", {"P_max": pmax, "T_Pmax": 3.0, "alternative": alt, "T_alt": 1 / 2 + 1 / 3
                                         + 1 / 4 + 1 / 3})


FIGURES = [
    Figure(id=f"{KEY}.fig1_4", paper=KEY, label="Figures 1-4", where="§2-§3 (l.167-179, 267-277, 650-672)",
           description="DS-A cones and the I-A8 neuron routes (exact eps -> 0 directional flow)", make=make_fig1_4),
    Figure(id=f"{KEY}.fig5", paper=KEY, label="Figure 5", where="§4, l.741-831",
           description="digits 1 vs 0 (offline MNIST stand-in): alignment band, loss, stable rank", make=make_fig5),
    Figure(id=f"{KEY}.fig6", paper=KEY, label="Figure 6", where="App. A.1, l.849-881",
           description="toy 2-D loss: one drop (DS-A) vs two drops (DS-B), gradient flow", make=make_fig6),
    Figure(id=f"{KEY}.fig7_9", paper=KEY, label="Figures 7-9", where="App. A.2-A.3, l.883-951",
           description="two positive points (delta = 0.1, 0.001) and orthogonal data, GD", make=make_fig7_9),
    Figure(id=f"{KEY}.fig10_11", paper=KEY, label="Figures 10-11", where="App. A.4, l.953-960",
           description="digits 3 vs 8 and 1 vs 7", make=make_fig10_11),
    Figure(id=f"{KEY}.fig12_13", paper=KEY, label="Figures 12-13", where="App. A.5, l.962-1065",
           description="two-phase training vs first-layer-only training (digits)", make=make_fig12_13),
    Figure(id=f"{KEY}.fig14_17", paper=KEY, label="Figures 14-17", where="App. C.2, l.2578-2714",
           description="activation-count paths and the maximal path", make=make_fig14_17),
]
