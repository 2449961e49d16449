"""Offline rendering of LaTeX statements with matplotlib's mathtext (no TeX, no network).

:func:`latex_svg` returns an SVG string for ``$...$``; :func:`latex_img_tag` an ``<img>`` tag with
the SVG base64-inlined (so several formulas never clash on glyph ids) and the LaTeX as ``alt``.
mathtext covers a subset of LaTeX; a formula it cannot parse is shown as escaped LaTeX source.
"""
from __future__ import annotations

import base64
import html
import io
import re
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
from matplotlib import mathtext  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

__all__ = ["latex_svg", "latex_img_tag", "png_data_uri", "mathtext_safe", "prerender"]

_PRE: dict = {}  # (latex, fontsize) -> SVG or None, filled by :func:`prerender`

_REPLACE = [
    (r"\operatorname{", r"\mathrm{"),
    (r"\left\|", r"\|"), (r"\right\|", r"\|"),
    (r"\geq", r"\geq"), (r"\leq", r"\leq"),
]


def mathtext_safe(latex: str) -> str:
    """Small rewrites of sympy LaTeX that mathtext does not know."""
    s = latex
    for a, b in _REPLACE:
        s = s.replace(a, b)
    s = re.sub(r"\\text\{([^}]*)\}", r"\\mathrm{\1}", s)
    return s


def _render(item):
    latex, fontsize = item
    buf = io.BytesIO()
    try:
        mathtext.math_to_image(f"${mathtext_safe(latex)}$", buf, prop=FontProperties(size=fontsize), format="svg")
    except Exception:
        return item, None
    return item, buf.getvalue().decode("utf-8")


def prerender(items, pool=None) -> None:
    """Render the (latex, fontsize) pairs, in ``pool`` (a concurrent.futures executor) when given, into the cache
    :func:`latex_svg` reads first (the report renders some thousand formulas; mathtext parsing dominates)."""
    todo = sorted({(str(a), float(b)) for a, b in items if a} - set(_PRE))
    results = pool.map(_render, todo, chunksize=16) if pool is not None else map(_render, todo)
    for item, svg in results:
        _PRE[item] = svg


@lru_cache(maxsize=4096)
def latex_svg(latex: str, fontsize: float = 13.0) -> str | None:
    """SVG (string) of the formula, or None if mathtext cannot parse it."""
    if (latex, float(fontsize)) in _PRE:
        return _PRE[(latex, float(fontsize))]
    buf = io.BytesIO()
    try:
        mathtext.math_to_image(f"${mathtext_safe(latex)}$", buf, prop=FontProperties(size=fontsize), format="svg")
    except Exception:
        return None
    return buf.getvalue().decode("utf-8")


def latex_img_tag(latex: str, fontsize: float = 13.0, cls: str = "math") -> str:
    """``<img class=math alt=LaTeX src=data:image/svg+xml;base64,...>`` or a ``<code>`` fallback."""
    svg = latex_svg(latex, fontsize)
    alt = html.escape(latex, quote=True)
    if svg is None:
        return f'<code class="{cls}-src" title="LaTeX (not renderable by mathtext)">{html.escape(latex)}</code>'
    b64 = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="{cls}" alt="{alt}" src="data:image/svg+xml;base64,{b64}">'


def png_data_uri(path) -> str:
    with open(path, "rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode("ascii")
