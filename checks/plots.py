"""PNG plots of evidence (matplotlib, Agg): slack vs the grid parameter, LHS vs RHS, time series.

All numbers come from the evidence (JSON numbers: floats, or decimal strings beyond float range,
plotted through their log10).
"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mpmath  # noqa: E402

__all__ = ["STATUS_COLORS", "claim_figure", "series_figure", "safe_name"]

STATUS_COLORS = {
    "HOLDS": "#4caf50", "VIOLATED": "#e53935", "INCONCLUSIVE": "#ffb300", "NOT_APPLICABLE": "#90a4ae",
    "ERROR": "#6a1b9a", "NOT_CHECKABLE": "#cfd8dc", None: "#ffffff",
}


def safe_name(s: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in s)


def _log10(x):
    """log10 |x| of a JSON number (float or decimal string); None for 0/None."""
    if x is None:
        return None
    v = mpmath.mpf(x) if isinstance(x, str) else mpmath.mpf(float(x))
    if v == 0 or not mpmath.isfinite(v):
        return None
    return float(mpmath.log10(abs(v)))


def _sign(x):
    if x is None:
        return 0
    v = mpmath.mpf(x) if isinstance(x, str) else mpmath.mpf(float(x))
    return 1 if v > 0 else (-1 if v < 0 else 0)


def compress_png(path: Path, colors: int = 96) -> Path:
    """Re-encode a matplotlib PNG with an adaptive palette (plots have few colours; 3-5x smaller, same look)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - pillow ships with matplotlib
        return path
    with Image.open(path) as im:
        q = im.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    q.save(path, optimize=True)
    return path


def claim_figure(claim_desc: dict, evidences: list, path: Path, tall: bool = False) -> Path | None:
    """Per-claim figure: for grid instances, log10 |slack| (filled: holds, x: violated) and log10 of the
    error estimate and of the mutant's |slack| vs log10 of the grid parameter, plus log10 |LHS|, |RHS|;
    for single-point instances, the first time series of the evidence. ``tall``: the two panels stacked (to sit
    beside the claim in the HTML report), saved as a palette PNG. Returns the path or None."""
    grid_evs = [e for e in evidences if len(e.grid) > 1 and any(r.get("log10_param") is not None for r in e.grid)]
    series_evs = [e for e in evidences if e.series]
    if not grid_evs and not series_evs:
        return None
    if grid_evs:
        fig, axes = plt.subplots(2, 1, figsize=(5.4, 7.2)) if tall else plt.subplots(1, 2, figsize=(11, 4))
        for e, mk in zip(grid_evs, "os^Dv<>"):
            rows = [r for r in e.grid if r.get("log10_param") is not None and r.get("slack") is not None]
            xs = [r["log10_param"] for r in rows]
            ax = axes[0]
            for r, x in zip(rows, xs):
                ls = _log10(r["slack"])
                if ls is None:
                    continue
                st = r["status"]
                ax.plot([x], [ls], marker=mk if _sign(r["slack"]) > 0 else "x", ls="none",
                        color=STATUS_COLORS.get(st, "k"), ms=7)
            ax.plot(xs, [_log10(r.get("error_estimate")) for r in rows], ls=":", color="0.4", marker=mk, ms=3,
                    mfc="none", label=f"error estimate ({e.instance})")
            if all("mutant" in r for r in rows):
                ax.plot(xs, [_log10(r["mutant"]["slack"]) for r in rows], ls="--", color="#e53935", alpha=0.6,
                        marker=mk, ms=3, label=f"mutant |slack| ({e.instance})")
            ax.plot([], [], marker=mk, ls="none", color="k", label=f"|slack| ({e.instance})")
            ax2 = axes[1]
            disp = [r.get("display") for r in rows]
            if all(disp):
                ax2.plot(xs, [_log10(d["measured"]) for d in disp], marker=mk,
                         label=f"{disp[0]['measured_label']} ({e.instance})")
                ax2.plot(xs, [_log10(d["bound"]) for d in disp], marker=mk, ls="--",
                         label=f"{disp[0]['bound_label']} ({e.instance})")
                axes[1].set_title("measured quantity vs the paper's bound at the witness", fontsize=10)
            else:
                ax2.plot(xs, [_log10(r.get("lhs")) for r in rows], marker=mk, label=f"|LHS| ({e.instance})")
                ax2.plot(xs, [_log10(r.get("rhs")) for r in rows], marker=mk, ls="--", label=f"|RHS| ({e.instance})")
                axes[1].set_title("LHS and RHS at the witness", fontsize=10)
        sym = grid_evs[0].witness.get("point", "λ=").split("=")[0] or "λ"
        axes[0].set_xlabel(f"log10 {sym}")
        axes[0].set_ylabel("log10 |slack|  (o: holds side, x: violated side)")
        axes[0].set_title("slack at the witness vs " + sym, fontsize=10)
        axes[0].legend(fontsize=7)
        axes[1].set_xlabel(f"log10 {sym}")
        axes[1].set_ylabel("log10 |value|")
        axes[1].legend(fontsize=7)
        for ax in axes:
            ax.grid(alpha=0.3)
            ax.invert_xaxis()
    else:
        fig, ax = plt.subplots(figsize=(5.4, 3.9) if tall else (6.5, 4))
        for e in series_evs:
            for _, ser in list(e.series.items())[:1]:
                for name, s in list(ser.items())[:1]:
                    _plot_series(ax, s, prefix=f"{e.instance}: ")
        ax.legend(fontsize=7)
    title = f"{claim_desc['id']} ({claim_desc['label']})"
    fig.suptitle(title if not tall or len(title) < 60 else claim_desc["id"], fontsize=10 if tall else 11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return compress_png(path) if tall else path


def _plot_series(ax, s: dict, prefix=""):
    x = s.get("x", [])
    color = None
    for lab, ys in s.get("y", {}).items():
        pts = [(a, b) for a, b in zip(x, ys) if b is not None and not (isinstance(b, float) and math.isnan(b))]
        if s.get("logy"):
            pts = [(a, b) for a, b in pts if b > 0]
        color = None
        if pts:
            (line,) = ax.plot([p[0] for p in pts], [p[1] for p in pts], label=prefix + lab)
            color = line.get_color()
            ax.plot([pts[-1][0]], [pts[-1][1]], marker="o", color=color, ms=4)
    for lab, v in (s.get("hline") or {}).items():
        if v is not None and (not s.get("logy") or v > 0):
            ax.axhline(v, color=color or "#e53935", ls="--", lw=1, label=lab)
    for lab, v in (s.get("vline") or {}).items():
        ax.axvline(v, color="0.5", ls=":", lw=1, label=lab)
    if s.get("logy"):
        ax.set_yscale("log")
    ax.set_xlabel(s.get("xlabel", ""))
    ax.set_ylabel(s.get("ylabel", ""))
    ax.grid(alpha=0.3)


def series_figure(title: str, series: dict, path: Path) -> Path | None:
    """All time series of one evidence (one panel per series name, one line per grid point)."""
    names = []
    for per_point in series.values():
        for nm in per_point:
            if nm not in names:
                names.append(nm)
    if not names:
        return None
    fig, axes = plt.subplots(1, len(names), figsize=(6.2 * len(names), 4), squeeze=False)
    for ax, nm in zip(axes[0], names):
        for pt, per_point in series.items():
            if nm in per_point:
                s = dict(per_point[nm])
                if len(series) > 1:
                    s["hline"] = {f"{k} ({pt})": v for k, v in (s.get("hline") or {}).items()}
                    s["vline"] = {}
                _plot_series(ax, s, prefix=f"{pt}: " if len(series) > 1 else "")
        ax.legend(fontsize=7)
        ax.set_title(nm, fontsize=10)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
