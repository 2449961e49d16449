"""boursier2024 figures (``earlyalign reproduce boursier2024.fig1`` / ``boursier2024.fig2``), as gradient FLOWS.

Time convention, stated on every figure: the paper's loss is Eq. (10), L = (1/2n) sum (h - y)^2, and the figures
here are in its flow time t. The authors' code (eboursier/early_alignment) trains with torch SGD on
``MSELoss(reduction='mean')`` = (1/n) sum (h - y)^2 = 2L, so one GD step of learning rate lr is a step 2 lr on L:
flow time t = 2 x lr x iterations (their 2e6 iterations at lr = 1e-3 are t = 4000).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from theory.paper import Figure

from .common import RTOL_TIGHT, beta_star, ols_loss, run, run_key
from .datasets import ds_s6, three_point
from .paper import KEY

CONVENTION = ("flow time t of Eq. (10), L = (1/2n) sum (h-y)^2; the authors' code (MSELoss(mean) = 2L, SGD lr): "
              "t = 2 x lr x iterations")


def _plt():
    # lazy: importing matplotlib.pyplot takes 0.3 s (measured), paid by every registry load (earlyalign list)
    # if done at the top; only making a figure needs it
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _flow(X, y, m, seed, init, lam10, T, nsamp):
    core = run_key({"X": np.asarray(X).tolist(), "y": np.asarray(y).tolist(), "m": m, "seed": seed, "init": init})
    return run(core, float(lam10), RTOL_TIGHT, float(T), nsamp)


def _h(a, W, Z):
    Xz = np.stack([Z, np.ones_like(Z)], axis=1)
    return a @ np.maximum(W @ Xz.T, 0)


def make_fig1(out: Path, tier: str) -> list:
    """Figure 1 (§4, l.234-236): the univariate 3-point data of Assumption 3 (boxes drawn for eta = 1/6, the
    value of the paper's figure, F24), DS-P(eta) at eta = 0.1, its OLS line, the exact 2-neuron interpolator
    (catalog DS-P: b = eta s/(4 - eta), c = 1/(s + b)) and the limit of the flow (balanced init, lambda = 1e-4).
    Writes ``boursier2024_fig1.png`` and ``boursier2024_fig1.json`` (every number the figure shows: the boxes, the
    data, beta*, the interpolator's b, c and the three curves on the plotted z grid, the flow's settings, its
    final loss against L_{beta*}, the time convention)."""
    plt = _plt()
    eta_box, eta = 1 / 6, 0.1
    ds = three_point(0.1)
    X, y = ds.X, ds.y
    bs = beta_star(X, y)
    m = 40 if tier == "fast" else 400
    R = _flow(X, y, m, 0, "balanced", -4, 80.0, 2)
    s = 1 - eta
    b = eta * s / (4 - eta)
    c = 1 / (s + b)
    Z = np.linspace(-1.6, 1.6, 801)
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    for (z0, z1), (y0, y1) in (((-1, -1 + eta_box), (1, 1 + eta_box)), ((-eta_box, eta_box), (0, eta_box)),
                               ((1 - eta_box, 1), (1, 1 + eta_box))):
        ax.add_patch(plt.Rectangle((z0, y0), z1 - z0, y1 - y0, color="0.85", zorder=0))
    ax.plot(Z, bs[0] * Z + bs[1], "C0--", label=r"OLS $\langle\beta^*,(z,1)\rangle$")
    ax.plot(Z, c * np.maximum(b - Z, 0) + c * np.maximum(Z + b, 0), "C2:", lw=2,
            label="exact 2-neuron interpolator (L = 0)")
    ax.plot(Z, _h(R["a"][-1], R["W"][-1], Z), "C3", label=f"flow limit (m = {m}, balanced, λ = 1e-4)")
    ax.scatter(X[:, 0], y, color="k", zorder=5, label=r"DS-P($\eta$ = 0.1)")
    ax.set_xlabel("z  (x = (z, 1))")
    ax.set_ylabel("y, h(z)")
    ax.set_ylim(-0.3, 1.9)
    ax.set_title("boursier2024 Figure 1: Assumption-3 boxes (η = 1/6, grey) and the spurious OLS limit", fontsize=10)
    ax.legend(fontsize=8, loc="upper center")
    fig.text(0.01, 0.005, "time: " + CONVENTION, fontsize=6.5)
    p = Path(out) / "boursier2024_fig1.png"
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(p, dpi=120)
    plt.close(fig)
    hT = R["h"][-1]
    nums = {
        "figure": "boursier2024 Figure 1 (§4, l.234-236)", "time_convention": CONVENTION,
        "loss": "1/2 (h - y)^2, mean over the data (Eq. (10))", "activation": "ReLU",
        "assumption3_boxes_eta": eta_box,
        "assumption3_boxes": {"x_1": [[-1, -1 + eta_box], [1, 1 + eta_box]], "x_2": [[-eta_box, eta_box],
                                                                                  [0, eta_box]],
                              "x_3": [[1 - eta_box, 1], [1, 1 + eta_box]], "axes": ["z", "y"]},
        "data": {"name": "DS-P(0.1)", "X": X.tolist(), "y": y.tolist(), "eta": eta},
        "beta_star": bs.tolist(), "L_beta_star": ols_loss(X, y),
        "two_neuron_interpolator": {"b": b, "c": c, "h(z)": "c relu(b - z) + c relu(z + b)",
                                    "outputs_on_data": (c * np.maximum(b - X[:, 0], 0)
                                                        + c * np.maximum(X[:, 0] + b, 0)).tolist()},
        "flow": {"m": m, "init": "balanced (App. B.1)", "seed": 0, "lambda": 1e-4, "T": float(R["T"]),
                 "rtol": RTOL_TIGHT, "outputs_on_data_at_T": hT.tolist(),
                 "loss_at_T": float(0.5 * np.mean((hT - y) ** 2))},
        "curves": {"z": Z.tolist(), "ols": (bs[0] * Z + bs[1]).tolist(),
                   "interpolator": (c * np.maximum(b - Z, 0) + c * np.maximum(Z + b, 0)).tolist(),
                   "flow_limit": _h(R["a"][-1], R["W"][-1], Z).tolist()},
    }
    pj = Path(out) / "boursier2024_fig1.json"
    pj.write_text(json.dumps(nums, indent=1))
    return [p, pj]


def make_fig2(out: Path, tier: str) -> list:
    """Figure 2 (§6, App. B.1) as a flow: DS-S6 (z = (-0.75, -0.5, 0.125), y = (1.1, 0.1, 0.8)), perfectly balanced
    init w~ ~ N(0, I_2), a~ = s ||w~||, lambda = 1e-3, m = 200 (fast) / 2000 (full; the paper: 200 000).
    Panels: loss L(t) against L_{beta*}; the final function h against the OLS line (they differ beyond the zero
    z = 251/24 of the OLS line, F2); the neurons (angle of w_j, |a_j| ||w_j||) at the end. Writes
    ``boursier2024_fig2.png`` and ``boursier2024_fig2.json`` (the loss curve, both functions on the plotted z grid,
    the neurons' angles, signs and |a_j| ||w_j||, the beta* and D* directions, the settings)."""
    plt = _plt()
    ds = ds_s6()
    X, y = ds.X, ds.y
    bs = beta_star(X, y)
    Lb = ols_loss(X, y)
    m = 200 if tier == "fast" else 2000
    R = _flow(X, y, m, 0, "balanced", -3, 100.0, 401)
    t = R["t"]
    L = 0.5 * np.mean((R["h"] - y) ** 2, axis=1)
    fig, axs = plt.subplots(1, 3, figsize=(14, 4.4))
    ax = axs[0]
    ax.semilogy(t, np.maximum(L - Lb, 1e-17), "C3", label=r"$L(\theta^t) - L_{\beta^*}$")
    ax.semilogy(t, L, "C0", label=r"$L(\theta^t)$")
    ax.axhline(Lb, color="k", ls="--", lw=0.8, label=fr"$L_{{\beta^*}}$ = {Lb:.7f}")
    ax2 = ax.secondary_xaxis("top", functions=(lambda tt: tt / (2 * 1e-3), lambda k: 2 * 1e-3 * k))
    ax2.set_xlabel("authors' GD iterations at lr = 1e-3 (t = 2 lr k)", fontsize=8)
    ax.set_xlabel("flow time t (Eq. (10))")
    ax.legend(fontsize=8)
    ax.set_title("loss", fontsize=10)
    ax = axs[1]
    Z = np.linspace(-1.5, 14, 600)
    ax.plot(Z, bs[0] * Z + bs[1], "C0--", label=r"OLS $\langle\beta^*,(z,1)\rangle$")
    ax.plot(Z, _h(R["a"][-1], R["W"][-1], Z), "C3", label=f"flow limit h (t = {t[-1]:g})")
    ax.axvline(-bs[1] / bs[0], color="0.6", lw=0.8, ls=":")
    ax.scatter(X[:, 0], y, color="k", zorder=5, label="DS-S6")
    ax.set_xlabel("z")
    ax.set_title("final function (equal on the data cone, not beyond z = 251/24)", fontsize=9)
    ax.legend(fontsize=8)
    ax = axs[2]
    a, W = R["a"][-1], R["W"][-1]
    ang = np.degrees(np.arctan2(W[:, 1], W[:, 0]))
    mass = np.abs(a) * np.linalg.norm(W, axis=1)
    ax.scatter(ang[a > 0], np.maximum(mass[a > 0], 1e-30), s=8, c="C3", label="a > 0")
    ax.scatter(ang[a < 0], np.maximum(mass[a < 0], 1e-30), s=8, c="C0", label="a < 0")
    ax.axvline(math.degrees(math.atan2(bs[1], bs[0])), color="k", lw=0.8, ls="--", label="β* direction")
    Ds = (y @ X) / len(y)
    ax.axvline(math.degrees(math.atan2(Ds[1], Ds[0])), color="C2", lw=0.8, ls=":", label="D* direction")
    ax.set_yscale("log")
    ax.set_xlabel("angle of w_j (degrees)")
    ax.set_ylabel("|a_j| ||w_j||")
    ax.set_title(f"neurons at the end (m = {m})", fontsize=10)
    ax.legend(fontsize=7)
    fig.suptitle("boursier2024 Figure 2 (§6) as a gradient flow: DS-S6, balanced init, λ = 1e-3", fontsize=11)
    fig.text(0.01, 0.005, "time: " + CONVENTION, fontsize=7)
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    p = Path(out) / "boursier2024_fig2.png"
    fig.savefig(p, dpi=110)
    plt.close(fig)
    nums = {
        "figure": "boursier2024 Figure 2 (§6, l.377-415; App. B.1)", "time_convention": CONVENTION,
        "loss": "1/2 (h - y)^2, mean over the data (Eq. (10))", "activation": "ReLU",
        "data": {"name": "DS-S6", "X": X.tolist(), "y": y.tolist()},
        "flow": {"m": m, "init": "balanced (App. B.1)", "seed": 0, "lambda": 1e-3, "T": float(t[-1]),
                 "rtol": RTOL_TIGHT},
        "beta_star": bs.tolist(), "L_beta_star": Lb, "zero_of_ols_line_z": float(-bs[1] / bs[0]),
        "loss_curve": {"t": t.tolist(), "L": L.tolist()},
        "final_function": {"z": Z.tolist(), "ols": (bs[0] * Z + bs[1]).tolist(), "h": _h(a, W, Z).tolist()},
        "neurons_at_T": {"angle_deg": ang.tolist(), "sign_a": np.sign(a).tolist(), "abs_a_norm_w": mass.tolist()},
        "beta_star_angle_deg": math.degrees(math.atan2(bs[1], bs[0])),
        "D_star_angle_deg": math.degrees(math.atan2(Ds[1], Ds[0])),
    }
    pj = Path(out) / "boursier2024_fig2.json"
    pj.write_text(json.dumps(nums, indent=1))
    return [p, pj]


FIGURES = [
    Figure(f"{KEY}.fig1", KEY, "Figure 1", "§4, l.234-236",
           "3-point data (Assumption 3), OLS line, exact 2-neuron interpolator, flow limit", make_fig1),
    Figure(f"{KEY}.fig2", KEY, "Figure 2", "§6, l.377-415; App. B.1",
           "DS-S6 flow from balanced init: loss curve, final function vs OLS, neurons", make_fig2),
]
