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
    s = re.sub(r"\\text\{([^}]*)\}", lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}", s)
    # short forms mathtext does not know: \le, \ge, \ne -> \leq, \geq, \neq
    s = re.sub(r"\\(le|ge|ne)(?![A-Za-z])", r"\\\1q", s)
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


# ----------------------------------------------------------------------------- inline SVG, once per formula

_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
#: the size formulas are rendered at (points); the page scales them with CSS (em), so one rendering serves all
BASE_SIZE = 13.0
_NUM = re.compile(r"-?\d+\.\d{3,}")


def _round(m) -> str:
    v = float(m.group())
    t = f"{v:.2f}" if abs(v) >= 10 else f"{v:.4g}"   # positions to 1/100 unit; scale factors to 4 digits
    return t.rstrip("0").rstrip(".") if "." in t and "e" not in t else t


def _short(s: str) -> str:
    """Collapse whitespace and round long decimals (glyph placement far below a pixel, scales to 4 digits)."""
    return _NUM.sub(_round, " ".join(s.split()))


def _xml(el) -> str:
    tag = el.tag.replace(_SVG_NS, "")
    attrs = []
    for k, v in el.attrib.items():
        if k == _XLINK_HREF:
            k = "href"
        elif k.startswith("{") or k == "id" and tag == "g":
            continue
        attrs.append(f'{k}="{html.escape(_short(v) if k in ("d", "transform") else v, quote=True)}"')
    inner = "".join(_xml(c) for c in el)
    a = (" " + " ".join(attrs)) if attrs else ""
    return f"<{tag}{a}>{inner}</{tag}>" if inner else f"<{tag}{a}/>"


def split_svg(svg: str):
    """A mathtext SVG as (width, height, glyphs {id: path element}, body): the glyph outlines (shared by every
    formula: matplotlib names them by font and glyph, e.g. ``DejaVuSans-Oblique-44``) apart from the formula's
    own placement of them; the white background, metadata and comments dropped."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    vb = [float(v) for v in root.attrib["viewBox"].split()]
    glyphs = {}
    for parent in root.iter():
        for child in list(parent):
            t = child.tag.replace(_SVG_NS, "")
            if t == "defs":
                for g in child:
                    if g.attrib.get("id"):
                        glyphs[g.attrib["id"]] = _xml(g)
                parent.remove(child)
            elif t == "metadata" or (t == "g" and child.attrib.get("id", "").startswith("patch_")):
                parent.remove(child)
    body = "".join(_xml(c) for c in root)
    return vb[2], vb[3], glyphs, body


class MathBook:
    """Formulas of one HTML page, each rendered once (at :data:`BASE_SIZE`) into a hidden sprite of inline
    SVG ``<symbol>``\\ s sharing one set of glyph outlines; every occurrence is a small ``<svg><use></svg>``
    scaled in em. LaTeX that mathtext cannot parse is shown as its source in ``<code>``."""

    def __init__(self):
        self._ids: dict = {}      # latex -> (symbol id, w, h) or None
        self._symbols: list = []
        self._glyphs: dict = {}   # glyph outline (path without id) -> our id

    def _add(self, latex: str):
        if latex in self._ids:
            return self._ids[latex]
        svg = latex_svg(latex, BASE_SIZE)
        entry = None
        if svg is not None:
            try:
                w, h, glyphs, body = split_svg(svg)
            except Exception:
                w = None
            if w:
                sid = f"m{len(self._symbols)}"
                # glyph ids are not unique across formulas (matplotlib names some by character code, some by glyph
                # index): share an outline only when its drawing is the same, under a short id of our own
                for gid, el in glyphs.items():
                    shape = re.sub(r'^<path id="[^"]*"', "<path", el)
                    if shape not in self._glyphs:
                        self._glyphs[shape] = f"g{len(self._glyphs)}"
                    body = body.replace(f'href="#{gid}"', f'href="#{self._glyphs[shape]}"')
                self._symbols.append(f'<symbol id="{sid}" viewBox="0 0 {w:g} {h:g}">{body}</symbol>')
                entry = (sid, w, h)
        self._ids[latex] = entry
        return entry

    def tag(self, latex: str, scale: float = 1.0, cls: str = "math") -> str:
        """Inline ``<svg class=math>`` of ``latex`` (``scale`` 1 = the size of the surrounding text)."""
        if not latex:
            return ""
        entry = self._add(latex)
        alt = html.escape(latex, quote=True)
        if entry is None:
            return f'<code class="{cls}-src" title="LaTeX (not renderable by mathtext)">{html.escape(latex)}</code>'
        sid, w, h = entry
        k = scale / BASE_SIZE
        return (f'<svg class="{cls}" role="img" aria-label="{alt}" viewBox="0 0 {w:g} {h:g}" '
                f'style="width:{w * k:.2f}em;height:{h * k:.2f}em"><title>{alt}</title><use href="#{sid}"/></svg>')

    def sprite(self) -> str:
        """The hidden ``<svg>`` holding every glyph and formula (put it once, anywhere in the body)."""
        return ('<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" id="math-sprite" '
                'style="position:absolute;width:0;height:0;overflow:hidden"><defs>'
                + "".join(shape.replace("<path", f'<path id="{gid}"', 1) for shape, gid in self._glyphs.items())
                + "".join(self._symbols) + "</defs></svg>")

    @property
    def count(self) -> int:
        return sum(1 for v in self._ids.values() if v)
