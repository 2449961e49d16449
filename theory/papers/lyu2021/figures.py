"""lyu2021's figures, reproduced as gradient FLOWS: Figure 1 (a non-linear KKT-margin direction on DS-K and the
suboptimal linear limit on hinted data), Figure 2 (the flow from small init reaches a linear boundary) and the
margin convergence of Theorem 4.3 / D1 on DS-S.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from numerics.network import normalized_margin
from theory.paper import Figure

from .common import dataset, hinted_limit_instances, limit_run, phi, svm
from .datasets import dsk_kkt_point
from .paper import PAPER

KEY = PAPER.key


def _pyplot():
    """matplotlib.pyplot with the Agg backend, imported on first use: importing it costs ~0.3 s (python -X
    importtime: 315 ms cumulative), which every command that loads the registry (``earlyalign list``) would pay
    for a figure it does not draw."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _contour(ax, f, X, y, lim, title, lines=()):
    g = np.linspace(-lim, lim, 241)
    U, V = np.meshgrid(g, g)
    P = np.stack([U.ravel(), V.ravel()], 1)
    Z = f(P).reshape(U.shape)
    ax.contourf(U, V, np.sign(Z), levels=[-2, 0, 2], colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
    ax.contour(U, V, Z, levels=[0], colors="k", linewidths=1.5)
    for lab, h in lines:
        ax.contour(U, V, h(P).reshape(U.shape), levels=[0], colors="tab:green", linestyles="--", linewidths=1.2)
    ax.scatter(X[y > 0, 0], X[y > 0, 1], c="tab:blue", marker="o", s=25, label="y = +1")
    ax.scatter(X[y < 0, 0], X[y < 0, 1], c="tab:red", marker="x", s=25, label="y = -1")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    far = np.max(np.abs(X), axis=1) > lim
    if far.any():
        ax.annotate(f"{int(far.sum())} point(s) outside the window (e.g. H w* = {np.round(X[far][0], 3).tolist()})",
                    (0.02, 0.02), xycoords="axes fraction", fontsize=7)
    ax.set_title(title, fontsize=8)
    ax.set_aspect("equal")


def _net(a, W, alpha):
    return lambda P: np.asarray(a) @ phi(np.asarray(W) @ P.T, alpha)


def _make_fig1(out: Path, tier: str) -> list:
    """Figure 1 (l.161-169, App. I.1): left, the I.1.1 KKT-margin direction with a non-linear boundary (DS-K,
    alpha = 1/2) against the global-max-margin linear classifier; right, the hinted dataset DS-H/70 where the flow
    from small init converges to 1/2 phi(<w*, x>) (black) while a 2-neuron net with a non-linear boundary
    (green, catalog F7 competitor) has a larger margin. Margins printed in the titles are computed."""
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    fig, axs = plt.subplots(1, 2, figsize=(10, 4.6))
    p = {"dataset": "DS-K", "alpha": 0.5}
    ds = dataset(p)
    a, W = dsk_kkt_point(0.5, float(ds.params["beta"]))
    gk = normalized_margin(ds.X, ds.y, a, W, 0.5)
    ws, gs, _ = svm(p)
    _contour(axs[0], _net(a, W, 0.5), ds.X, ds.y, 2.5,
             f"DS-K (alpha = 1/2): KKT-margin direction, gamma = {gk:.6f}\n"
             f"vs global max (1+alpha)/4 gamma_w* = {0.375 * gs:.6f} (linear, dashed)",
             lines=[("linear", lambda P: P @ ws)])
    pr = hinted_limit_instances("fast")[0].params
    r = limit_run(pr)
    dsh = dataset(pr)
    aT, WT = np.asarray(r["a_T"]), np.asarray(r["W_T"])
    gflow = normalized_margin(dsh.X, dsh.y, aT, WT, 0.5)
    c = 10 / 9 / 70
    Wc = np.array([[c, 1 / 70], [c, -1 / 70]])
    ac = np.linalg.norm(Wc, axis=1)
    gc = normalized_margin(dsh.X, dsh.y, ac, Wc, 0.5)
    _contour(axs[1], _net(aT, WT, 0.5), dsh.X, dsh.y, 0.02,
             f"DS-H/70: flow limit (black) gamma = {gflow:.3e}\ncompetitor (green) gamma = {gc:.3e}",
             lines=[("competitor", _net(ac, Wc, 0.5))])
    axs[1].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path = out / f"{KEY}_fig1.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


def _make_fig_margin(out: Path, tier: str) -> list:
    """Normalised margin gamma(theta(t)) against log10 t on DS-S from small init (Theorem 4.3 / D1): INIT-A (good
    b_bar) rises to the global (1+alpha)/4 gamma_w*, INIT-B (one-signed b_bar) to the one-neuron alpha gamma_w*/2;
    inset: the rate rule gap * ||theta||^2."""
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    ws, gs, _ = svm({"dataset": "DS-S"})
    fig, axs = plt.subplots(1, 2, figsize=(10, 4))
    for seed, lab, tgt in ((2, "INIT-A (good b_bar)", 0.375 * gs), (1, "INIT-B (one-signed b_bar)", 0.25 * gs)):
        r = limit_run({"dataset": "DS-S", "m": 4, "seed": seed, "sigma": 1e-6, "c_a": 1.0})
        lt = np.log10(r["t"])
        g = np.asarray(r["gamma"])
        axs[0].plot(lt, g, label=lab)
        axs[0].axhline(tgt, ls="--", lw=0.8, color="gray")
        sel = g > 0
        axs[1].semilogy(lt[sel], np.abs(tgt - g[sel]) * np.asarray(r["n2"])[sel], label=lab)
    axs[0].set_xlabel("log10 t")
    axs[0].set_ylabel("normalised margin q_min/||theta||^2")
    axs[0].set_ylim(0.1, 0.22)
    axs[0].legend(fontsize=8)
    axs[1].set_xlabel("log10 t")
    axs[1].set_ylabel("(gamma_limit - gamma) ||theta||^2")
    axs[1].legend(fontsize=8)
    fig.suptitle("DS-S, m = 4, sigma_init = 1e-6: margin convergence (dashed: (1+alpha)/4 and alpha/2 times gamma_w*)",
                 fontsize=9)
    fig.tight_layout()
    path = out / f"{KEY}_margin_convergence.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


def _make_fig2(out: Path, tier: str) -> list:
    """Figure 2 (App. I.1.3): the flow from small initialisation on the Figure-1 datasets converges to a linear
    decision boundary. Gradient FLOW (numerics.flows), not the paper's GD (width, learning rate, steps unstated);
    m = 8, D_init(1) seed 0, sigma_init = 1e-6, t = 1e60. Left: DS-K (alpha = 1/2; Theorem 4.3 predicts
    (1+alpha)/4 <w*, x>); right: DS-H/70 (balanced init; Theorem 6.2 predicts 1/2 phi(<w*, x>)). The middle panel
    of the paper (a Shah-et-al. dataset) is not reproduced: its parameters are not given (catalog E94)."""
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    fig, axs = plt.subplots(1, 2, figsize=(10, 4.6))
    cases = [({"dataset": "DS-K", "alpha": 0.5, "m": 8, "seed": 0, "sigma": 1e-6, "c_a": 1.0, "log10_t": 60.0}, 2.5),
             ({"dataset": "DS-H", "scale": 1 / 70, "m": 8, "seed": 0, "init": "balanced", "sigma": 1e-6,
               "setting": "hinted", "log10_t": 60.0}, 0.02)]
    for ax, (p, lim) in zip(axs, cases):
        r = limit_run(p)
        ds = dataset(p)
        ws = np.asarray(ds.params["w_star"]) if "w_star" in ds.params else svm(p)[0]
        _contour(ax, _net(r["a_T"], r["W_T"], 0.5), ds.X, ds.y, lim,
                 f"{ds.name}: flow limit at t = 1e60 (black), <w*, x> = 0 (green)\n"
                 f"gamma = {r['gamma'][-1]:.4e}", lines=[("w*", lambda P, w=ws: P @ w)])
    fig.tight_layout()
    path = out / f"{KEY}_fig2.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return [path]


FIGURES = [
    Figure(f"{KEY}.fig1", KEY, "Figure 1 (left and right)", "§1, l.161-169; App. I.1",
           "left: I.1.1 KKT-margin direction with a non-linear boundary vs the global linear max-margin classifier "
           "(DS-K, alpha = 1/2); right: hinted dataset DS-H/70, flow limit 1/2 phi(<w*, x>) vs a non-linear "
           "competitor with a larger margin", _make_fig1),
    Figure(f"{KEY}.fig2", KEY, "Figure 2 (flow version)", "App. I.1.3, l.9244-9255",
           "gradient flow from small init converges to a linear boundary on the Figure-1 datasets (left, right)",
           _make_fig2),
    Figure(f"{KEY}.margin", KEY, "Margin convergence (Theorem 4.3 / D1)", "§4.2; catalog NP rate rule",
           "normalised margin vs log10 t on DS-S, INIT-A and INIT-B, and the rate rule gap ||theta||^2",
           _make_fig_margin),
]


