"""boursier2022 figures reproduced as gradient FLOWS (catalog claims_004 §3).

* ``boursier2022.fig2``: Figure 2 (four panels: init, end of phases 1, 2, 3; x = kink position
  -w_{j,2}/w_{j,1}, y = a_j = s_j ||w_j||) and Figure 3 (loss with the intermediate saddle) on DS-B,
  x_1 = (-0.5, 1), y_1 = -1, x_2 = (2, 1), y_2 = 1, m = 60, balanced init at lambda = 1e-6/sqrt(m).
* ``boursier2022.fig4``: Appendix A.1, Figure 4 (non-orthogonal 1-D data with a bias coordinate,
  the 5 points of the authors' code, lambda = 1e-4/sqrt(m)): snapshots and loss.
* ``boursier2022.fig5``: Appendix A.1, Figure 5 (same data, large init lambda = 10/sqrt(m): lazy regime).

(The IC-2 table ``boursier2022.lambda_star`` is in :mod:`.lambda_star`.)

Time convention (stated on every panel): the authors train with GD on torch's MSELoss(reduction='mean')
= 2 L with eta = 1e-3, so GD iteration k is flow time t = 2 eta k (numerics.conventions). Snapshot
iterations are the paper's (Fig. 2: 0, 4000, 8000, 15000; Fig. 4: 0, 15000, 94000, 150000, 300000).
Each figure also writes a JSON file with the numbers it shows (computed, not typed): transition
iterations of the loss, final ||theta||^2 against the min-norm value, kink positions.
"""
from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import numpy as np

from numerics.conventions import TORCH_MSE_MEAN_NOTE
from numerics.convex import min_norm_interpolator
from numerics.datasets import append_bias
from numerics.flows import balanced_gaussian_state, solve_flow
from numerics.geometry import D_plus_minus
from numerics.network import Model
from theory.paper import Figure

from .datasets import ds_b
from .paper import KEY

ETA = 1e-3  # the authors' learning rate (Figs. 2-5)


def _run(X, y, m, lam, T, seed=0, n_eval=801, snapshots=()):
    """Balanced-init flow (Eq. (4)) of the square loss on (X, y) to time T (numerics.flows), sampled on a
    uniform grid plus the snapshot times."""
    model = Model(np.asarray(X, float), np.asarray(y, float))
    s0 = balanced_gaussian_state(m, X.shape[1], lam=lam, seed=seed)
    te = np.union1d(np.linspace(0.0, T, n_eval), np.asarray(snapshots, float))
    tr = solve_flow(model, s0, T, rtol=1e-10, t_eval=te)
    if tr.status != 0:
        raise RuntimeError(f"flow solver stopped: {tr.message}")
    L = np.array([float(s.loss(model)) for s in tr.sampled])
    return model, tr, te, L


def _neurons(st):
    """(kink position -w_2/w_1, a_j) of every neuron of a 1-D-with-bias network."""
    W = np.asarray(st.W(), float)
    a = np.asarray(st.a(), float)
    with np.errstate(divide="ignore", invalid="ignore"):
        kink = -W[:, 1] / W[:, 0]
    return kink, a


def _first_below(it, Lc, level, after=0.0):
    idx = np.flatnonzero((Lc < level) & (it >= after))
    return float(it[idx[0]]) if idx.size else None


def _plt():
    # matplotlib is imported here, not at the top: it selects the Agg backend (a global side effect) and costs
    # ~0.3 s (measured: python -X importtime, matplotlib.pyplot 0.27 s), paid only when a figure is drawn
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _snapshot_panels(plt, tr, te, snaps, labels, X, title, path, xlim):
    fig, axes = plt.subplots(1, len(snaps), figsize=(4.2 * len(snaps), 3.8), sharex=True)
    xs = X[:, 0] / X[:, 1]
    for ax, ts, lab in zip(axes, snaps, labels):
        st = tr.sampled[int(np.argmin(np.abs(te - ts)))]
        kink, a = _neurons(st)
        ax.axhline(0, color="0.7", lw=0.8)
        for xk in xs:
            ax.axvline(xk, color="0.85", lw=0.8, ls=":")
        ax.scatter(np.clip(kink, *xlim), a, s=14, c=np.where(a > 0, "#1565c0", "#c62828"))
        ax.set_xlim(*xlim)
        ax.set_title(f"{lab}\nt = {ts:g} (GD iteration {ts / (2 * ETA):.0f})", fontsize=9)
        ax.set_xlabel("kink position  -w_{j,2}/w_{j,1}")
    axes[0].set_ylabel("a_j = s_j ||w_j||")
    fig.suptitle(f"{title}\n{TORCH_MSE_MEAN_NOTE}", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _loss_panel(plt, te, L, title, path, marks, logy=False):
    fig, ax = plt.subplots(figsize=(7, 4))
    it = te / (2 * ETA)
    ax.plot(it, 2 * L, color="k")
    if logy:
        ax.set_yscale("log")
    for lab, (x, col) in marks.items():
        if x is not None:
            ax.axvline(x, color=col, ls="--", lw=1, label=lab)
    ax.set_xlabel("GD iteration k = t / (2 eta), eta = 1e-3")
    ax.set_ylabel("code loss 2L = mean (h - y)^2")
    sec = ax.secondary_xaxis("top", functions=(lambda k: 2 * ETA * k, lambda t: t / (2 * ETA)))
    sec.set_xlabel("flow time t (paper units)")
    ax.set_title(title + "\n" + "\n".join(textwrap.wrap(TORCH_MSE_MEAN_NOTE, 95)), fontsize=8)
    if marks:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def ds_b_min_norm():
    """Min-norm interpolator value on DS-B from the exact convex reformulation (numerics.convex), as
    ||theta||^2 = 2 x (group-lasso optimum) for a balanced network (catalog IC-11: 2 x 1.3416408)."""
    ds = ds_b()
    res = min_norm_interpolator(ds.X, ds.y)
    return 2.0 * float(res.value)


def make_fig2(out: Path, tier: str) -> list[Path]:
    """Figures 2-3 (§5, l.768-850) as a flow on DS-B: panels at GD iterations 0, 4000, 8000, 15000
    (t = 0, 8, 16, 30) and the code loss 2L up to iteration 20000 (t = 40), with the predicted phase
    times ln(1/lambda)/||D_+|| and ln(1/lambda)/||D_-|| (catalog §3)."""
    plt = _plt()
    ds = ds_b()
    X, y = ds.X, ds.y
    m = 60
    lam = 1e-6 / math.sqrt(m)
    snaps = [0.0, 8.0, 16.0, 30.0]
    model, tr, te, L = _run(X, y, m, lam, 40.0, snapshots=snaps, n_eval=2001)
    Dp, Dm = (np.linalg.norm(v) for v in D_plus_minus(X, y))
    it = te / (2 * ETA)
    Lc = 2 * L
    t_plus, t_minus = math.log(1 / lam) / Dp, math.log(1 / lam) / Dm
    fin = tr.sampled[-1]
    kink, a = _neurons(fin)
    big = np.abs(a) > 0.05 * np.max(np.abs(a))
    nums = {
        "convention": "t = 2 eta k, eta = 1e-3; code loss 2L",
        "leave_saddle_1_iteration (2L < 0.95)": _first_below(it, Lc, 0.95),
        "reach_plateau_iteration (2L < 0.55)": _first_below(it, Lc, 0.55),
        "leave_plateau_iteration (2L < 0.45)": _first_below(it, Lc, 0.45),
        "converged_iteration (2L < 1e-3)": _first_below(it, Lc, 1e-3),
        "predicted_ln(1/lam)/||D_+||_iteration": t_plus / (2 * ETA),
        "predicted_ln(1/lam)/||D_-||_iteration": t_minus / (2 * ETA),
        "final_norm2": float(fin.norm2()), "min_norm2_convex": ds_b_min_norm(),
        "final_kinks_of_large_neurons": sorted({round(float(k), 4) for k in kink[big]}),
        "final_loss_L": float(L[-1]), "flow_steps": tr.nsteps, "kink_events": len(tr.events),
    }
    p1 = _snapshot_panels(plt, tr, te, snaps, ["(a) initialisation", "(b) end of phase 1", "(c) end of phase 2",
                                                "(d) end of phase 3"], X,
                          "boursier2022 Fig. 2 (DS-B, m = 60, lambda = 1e-6/sqrt(m)), gradient flow",
                          out / "boursier2022_fig2.png", (-3, 4))
    p2 = _loss_panel(plt, te, L, "boursier2022 Fig. 3: loss, with the intermediate saddle at 2L = 0.5",
                     out / "boursier2022_fig3_loss.png",
                     {"ln(1/lam)/||D_+|| (predicted)": (t_plus / (2 * ETA), "#1565c0"),
                      "ln(1/lam)/||D_-|| (predicted)": (t_minus / (2 * ETA), "#c62828")})
    pj = out / "boursier2022_fig2.json"
    pj.write_text(json.dumps(nums, indent=1))
    return [p1, p2, pj]


FIG4_X = [-1.5, -1.0, 0.0, 0.25, 2.0]   # authors' code (the paper does not print the points; catalog §3)
FIG4_Y = [0.7, -0.3, -0.4, 0.4, 0.2]


def make_fig4(out: Path, tier: str) -> list[Path]:
    """Figure 4 (App. A.1, l.859-905): non-orthogonal 1-D data with bias, m = 60, lambda = 1e-4/sqrt(m),
    snapshots at GD iterations 0, 15000, 94000, 150000, 300000 (t = 0, 30, 188, 300, 600) and the loss."""
    plt = _plt()
    X, y = append_bias(FIG4_X), np.asarray(FIG4_Y)
    m = 60
    snaps = [0.0, 30.0, 188.0, 300.0, 600.0]
    model, tr, te, L = _run(X, y, m, 1e-4 / math.sqrt(m), 600.0, snapshots=snaps, n_eval=1201)
    it = te / (2 * ETA)
    fin = tr.sampled[-1]
    kink, a = _neurons(fin)
    big = np.abs(a) > 0.05 * np.max(np.abs(a))
    nums = {"convention": "t = 2 eta k, eta = 1e-3; code loss 2L",
            "code_loss_at_iterations": {str(k): float(2 * L[int(np.argmin(np.abs(it - k)))])
                                        for k in (0, 15000, 50000, 94000, 150000, 200000, 300000)},
            "final_kinks_of_large_neurons": sorted({round(float(k), 3) for k in kink[big]}),
            "flow_steps": tr.nsteps, "kink_events": len(tr.events)}
    p1 = _snapshot_panels(plt, tr, te, snaps, ["(a) init", "(b) end of early alignment", "(c) intermediate saddle",
                                                "(d) growth and realignment", "(e) final"], X,
                          "boursier2022 Fig. 4 (App. A.1, non-orthogonal, m = 60, lambda = 1e-4/sqrt(m)), "
                          "gradient flow", out / "boursier2022_fig4.png", (-4, 5))
    p2 = _loss_panel(plt, te, L, "boursier2022 Fig. 4 (f): loss", out / "boursier2022_fig4_loss.png", {},
                     logy=True)
    pj = out / "boursier2022_fig4.json"
    pj.write_text(json.dumps(nums, indent=1))
    return [p1, p2, pj]


def make_fig5(out: Path, tier: str) -> list[Path]:
    """Figure 5 (App. A.1, l.884-911): same data, large init lambda = 10/sqrt(m) (lazy regime), 5000 GD
    iterations (t = 10); reports the relative weight movement ||W^T - W^0|| / ||W^0||."""
    plt = _plt()
    X, y = append_bias(FIG4_X), np.asarray(FIG4_Y)
    m = 60
    model, tr, te, L = _run(X, y, m, 10 / math.sqrt(m), 10.0, snapshots=[0.0, 10.0], n_eval=501)
    W0, WT = np.asarray(tr.sampled[0].W(), float), np.asarray(tr.sampled[-1].W(), float)
    it = te / (2 * ETA)
    nums = {"convention": "t = 2 eta k, eta = 1e-3; code loss 2L",
            "code_loss_at_iterations": {str(k): float(2 * L[int(np.argmin(np.abs(it - k)))]) for k in (0, 1000, 4999)},
            "relative_weight_movement": float(np.linalg.norm(WT - W0) / np.linalg.norm(W0))}
    p1 = _snapshot_panels(plt, tr, te, [0.0, 10.0], ["(a) init", "(b) end of training"], X,
                          "boursier2022 Fig. 5 (App. A.1, lambda = 10/sqrt(m): lazy), gradient flow",
                          out / "boursier2022_fig5.png", (-4, 5))
    p2 = _loss_panel(plt, te, L, "boursier2022 Fig. 5: loss (lazy regime)", out / "boursier2022_fig5_loss.png", {},
                     logy=True)
    pj = out / "boursier2022_fig5.json"
    pj.write_text(json.dumps(nums, indent=1))
    return [p1, p2, pj]


FIGURES = [
    Figure(f"{KEY}.fig2", KEY, "Figures 2-3", "§5, l.768-850",
           "DS-B toy: neurons at init / end of phases 1-3 and the loss with its intermediate saddle (flow)", make_fig2),
    Figure(f"{KEY}.fig4", KEY, "Figure 4", "App. A.1, l.859-905",
           "non-orthogonal 1-D data with bias, small init: saddle-to-saddle, sparse kinks (flow)", make_fig4),
    Figure(f"{KEY}.fig5", KEY, "Figure 5", "App. A.1, l.884-911",
           "same data, large init 10/sqrt(m): lazy regime, relative weight movement (flow)", make_fig5),
]
