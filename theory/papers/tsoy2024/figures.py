"""tsoy2024's figures: §5.4.2 / Fig. 1 and App. E Figs. 5-7 (the four-neuron net with the paper's step schedule, as
gradient descent and as the gradient flow) and §6 / Fig. 2 (the wide net on skewed XOR).

Conventions printed on every panel: logistic loss, mean reduction (the authors' BCEWithLogitsLoss), so gradient
descent with step eta_t follows the flow of the paper's L with flow time t = sum eta_t (ANCHORS §1.7). The data are
generated like the authors' gen_sym_data / gen_skew_data but with numpy's generator (seed 100), not torch's: the
draws differ, the construction does not. Labels follow the paper (+-e_1 positive); the authors' BCE labels have the
opposite sign, which only flips the signs of the output weights.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from numerics.flows import PolarState
from numerics.margins import flow_to_infinity
from numerics.network import Model
from numerics.smooth_relu import SmoothReLU
from numerics.sphere import maximize_on_sphere
from theory.paper import Figure

from . import datasets
from .common import four_gd, four_neuron_init
from .datasets import signed_angles, tilt, wide_gd
from .paper import PAPER

KEY = PAPER.key
CONV = "logistic loss (mean), GD flow time t = sum eta_t; ReLU"
INITS = {"fig1": [1e-4, -1e-5, 1e-7, -1e-6], "fig6": [1e-4, -1e-5, 1e-6, -1e-7], "fig7": [1e-4, -1e-6, 1e-5, -1e-7]}
WINDOWS = [(0, 32769), (0, 3584), (3584, 15872), (15872, 32769)]


def _pyplot():
    """matplotlib.pyplot with the Agg backend, imported on first use (0.3 s; lyu2021.figures)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# =========================================================================== Fig. 1, Figs. 5-7


def _four_neuron(out: Path, tier: str, which: str) -> list:
    p = {"dataset": "xor-authors", "scales": INITS[which]}
    epochs = 2 ** 15
    g = four_gd(p, epochs)
    V = np.array(g["V"])
    ang = np.array([signed_angles(v) for v in V])
    sc = np.linalg.norm(V, axis=2)
    t = np.array(g["t"])
    ds = datasets.xor_clusters()
    # in d = 2 the reflection R_r is the identity, so every point of the orbit appears twice: the mean loss over the
    # distinct points is the same, and the kink engine does not see simultaneous switches of identical points
    XY, idx = np.unique(np.c_[ds.X, ds.y], axis=0, return_index=True)
    X, y = ds.X[np.sort(idx)], ds.y[np.sort(idx)]
    u0, V0 = four_neuron_init(p)
    log10_t = 12.0 if tier == "fast" else 40.0
    run = flow_to_infinity(Model(X, y, gamma=0.0, loss="logistic"), PolarState.from_cartesian(u0, V0), log10_t,
                           per_decade=4, rtol=1e-9)
    fW = [np.asarray(W) for W in run.W]
    plt = _pyplot()
    fig, axs = plt.subplots(3, 4, figsize=(15, 9.5))
    for j, (s, e) in enumerate(WINDOWS):
        ep = np.arange(s, min(e, epochs + 1))
        for k in range(4):
            axs[0, j].plot(ep, ang[ep, k], lw=0.8, label=f"k={k + 1}")
            axs[1, j].plot(ep, sc[ep, k], lw=0.8, label=f"k={k + 1}")
        axs[0, j].set_title(f"signed angles alpha_k (GD), epochs [{s}, {min(e, epochs + 1) - 1}]", fontsize=8)
        axs[1, j].set_title(f"scales ||v_k|| (GD), epochs [{s}, {min(e, epochs + 1) - 1}]", fontsize=8)
        axs[1, j].set_xlabel("epoch")
    axs[0, 0].legend(fontsize=7)
    lt = np.log10(run.t)
    fa = np.array([signed_angles(W) for W in fW])
    fs = np.array([np.linalg.norm(W, axis=1) for W in fW])
    tg = np.log10(np.maximum(t[1:], 1e-300))
    for k in range(4):
        axs[2, 0].plot(lt, fa[:, k], lw=0.9, label=f"flow k={k + 1}")
        axs[2, 0].plot(tg, ang[1:, k], lw=0.5, ls="--")
        axs[2, 1].plot(lt, fs[:, k], lw=0.9, label=f"flow k={k + 1}")
        axs[2, 1].plot(tg, sc[1:, k], lw=0.5, ls="--")
    axs[2, 0].set_title("angles: flow (solid) vs GD (dashed) against log10 t", fontsize=8)
    axs[2, 1].set_title("scales: flow (solid) vs GD (dashed) against log10 t", fontsize=8)
    axs[2, 0].legend(fontsize=6)
    ratio_gd = sc.max(1) / sc.min(1)
    ratio_fl = fs.max(1) / fs.min(1)
    axs[2, 2].semilogy(tg, ratio_gd[1:], lw=0.8, label="GD")
    axs[2, 2].semilogy(lt, ratio_fl, lw=0.8, label="flow")
    axs[2, 2].set_title("max_k ||v_k|| / min_k ||v_k|| (scales equalise: Assumption 5.4)", fontsize=8)
    axs[2, 2].legend(fontsize=7)
    axs[2, 3].plot(lt, run.gamma, lw=0.9)
    axs[2, 3].axhline(0.125, color="gray", ls=":", lw=0.8)
    axs[2, 3].set_title("normalised margin of the flow against log10 t", fontsize=8)
    for ax in axs[2]:
        ax.set_xlabel("log10 t (flow time)")
    lab = {"fig1": "Fig. 1 / Fig. 5", "fig6": "Fig. 6", "fig7": "Fig. 7"}[which]
    fig.suptitle(f"tsoy2024 {lab}: 4-neuron net, init |u(0)| = {[abs(v) for v in INITS[which]]} on e1, e2, -e1, -e2; "
                 f"data n = 256 (gen_sym_data, mu = 1, delta = 0.01, sigma = 0.005, numpy seed 100);\nGD with §5.4.2's "
                 f"schedule (eta = 4 for the first 12 epochs, the code's 'epoch < 12'); {CONV}", fontsize=9)
    fig.tight_layout()
    png = out / f"tsoy2024_{which}.png"
    fig.savefig(png, dpi=100)
    plt.close(fig)
    mt = np.max(tilt(V), axis=0)
    nums = {"init": INITS[which], "epochs": epochs, "final flow time (GD)": float(t[-1]),
            "final scales (GD)": sc[-1].tolist(), "final angles (GD)": ang[-1].tolist(),
            "max_t |sin alpha_k| (GD)": mt.tolist(), "scale ratio at the end (GD)": float(ratio_gd[-1]),
            "flow: final t": float(run.t[-1]), "flow: final scales": fs[-1].tolist(),
            "flow: final margin": float(run.gamma[-1]), "flow: max |sin alpha_k|":
                np.max(tilt(np.array(fW)), axis=0).tolist(),
            "alpha_1 vs alpha_3 at the end (GD)": [float(ang[-1, 0]), float(ang[-1, 2])],
            "alpha_2 vs alpha_4 at the end (GD)": [float(ang[-1, 1]), float(ang[-1, 3])]}
    js = out / f"tsoy2024_{which}.json"
    js.write_text(json.dumps(nums, indent=1))
    return [png, js]


def _mk(which):
    def make(out_dir, tier):
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        return _four_neuron(out, tier, which)
    return make


# =========================================================================== Fig. 2


def _make_fig2(out_dir, tier):
    """§6 / Fig. 2: m = 4096 ReLU neurons, sigma = 2^-7, lr 2^-4, 8192 epochs (t = 512) on skewed XOR (alpha = pi/2,
    pi/3), both readings of the init; first-layer scale over training and the relative scale of each neuron against
    its angle, with the four extrema of G (computed on the data) marked."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    m, epochs = (4096, 8192) if tier == "full" else (512, 2048)
    plt = _pyplot()
    fig, axs = plt.subplots(2, 4, figsize=(16, 7.5))
    nums = {"m": m, "epochs": epochs, "lr": 2 ** -4, "sigma": 2 ** -7}
    col = 0
    for alpha, name in ((math.pi / 2, "fig2-pi/2"), (math.pi / 3, "fig2-pi/3")):
        ds = datasets.DATASETS[name]()
        act = SmoothReLU(0.0, 2)
        G = lambda V: act.G(V, ds.X, ds.y)
        ext = [s.point for s in maximize_on_sphere(G, 2, n_start=12)[:2]] + \
              [s.point for s in maximize_on_sphere(lambda V: -G(V), 2, n_start=12)[:2]]
        pred = sorted(math.atan2(v[1], v[0]) for v in ext)
        for init in ("torch", "balanced"):
            with threadpool_limits(1):   # measured: 0.9 ms/epoch single-threaded vs 3.5 (idle) to 47 (loaded) threaded
                sc, a, W = wide_gd(ds.X, ds.y, m, epochs, 2.0 ** -4, init, seed=2)
            share = np.sum(W * W, axis=1) / np.sum(W * W)
            ang = np.arctan2(W[:, 1], W[:, 0])
            dev = np.min(np.abs(np.angle(np.exp(1j * (ang[:, None] - np.array(pred)[None, :])))), axis=1)
            mass2 = float(np.sum(share[dev <= math.radians(2)]))
            axs[0, col].plot(np.arange(len(sc)), sc, lw=0.8)
            axs[0, col].set_title(f"alpha = {alpha:.4f}, init '{init}': ||W_1||_F {sc[0]:.3f} -> {sc[-1]:.3f}",
                                  fontsize=8)
            axs[0, col].set_xlabel("epoch (t = epoch / 16)")
            axs[1, col].scatter(share, ang, s=2)
            for q in pred:
                axs[1, col].axhline(q, color="r", lw=0.6, ls=":")
            axs[1, col].set_title(f"angle vs relative scale; mass within 2 deg of argmax/argmin G: {mass2:.3f}",
                                  fontsize=8)
            axs[1, col].set_xlabel("||w_j||^2 / sum ||w||^2")
            nums[f"{name}, {init}"] = {"scale start": sc[0], "scale end": sc[-1], "extrema of G (rad)": pred,
                                       "mass within 2 deg of the extrema": mass2,
                                       "95% quantile of the angular deviation (weighted by count)": float(
                                           np.quantile(dev, 0.95))}
            col += 1
    fig.suptitle(f"tsoy2024 Fig. 2 (§6): m = {m}, sigma = 2^-7, GD lr 2^-4, {epochs} epochs, skewed XOR "
                 "(gen_skew_data: n = 512, delta = 0.2, sigma = 0.1/sqrt 2, numpy seed 100);\ninit 'torch' = PyTorch "
                 "default x 2^-7 (unbalanced), 'balanced' = |a_j| = ||w_j||; red: extrema of G; " + CONV, fontsize=9)
    fig.tight_layout()
    png = out / "tsoy2024_fig2.png"
    fig.savefig(png, dpi=100)
    plt.close(fig)
    js = out / "tsoy2024_fig2.json"
    js.write_text(json.dumps(nums, indent=1))
    return [png, js]


FIGURES = [
    Figure(id=f"{KEY}.fig1", paper=KEY, label="Fig. 1 / Fig. 5", where="§5.4.2, l.1045-1100; App. E",
           description="4-neuron net, init (1e-4, -1e-5, 1e-7, -1e-6): signed angles and scales under the paper's GD "
                       "schedule, and the gradient flow in log time", make=_mk("fig1")),
    Figure(id=f"{KEY}.fig6", paper=KEY, label="Fig. 6", where="App. E, l.5195-5236",
           description="the same with init (1e-4, -1e-5, 1e-6, -1e-7)", make=_mk("fig6")),
    Figure(id=f"{KEY}.fig7", paper=KEY, label="Fig. 7", where="App. E, l.5195-5236",
           description="the same with init (1e-4, -1e-6, 1e-5, -1e-7)", make=_mk("fig7")),
    Figure(id=f"{KEY}.fig2", paper=KEY, label="Fig. 2", where="§6, l.1101-1150",
           description="wide net on skewed XOR (alpha = pi/2, pi/3): first-layer scale growth and mass on the "
                       "extrema of G, both init readings", make=_make_fig2),
]
