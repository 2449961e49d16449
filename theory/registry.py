"""Discovery of the paper modules: every ``theory.papers.<key>`` module (or package) exposing

* ``PAPER``: a :class:`theory.claims.Paper` (metadata and the results dependency graph),
* ``CLAIMS``: the list of :class:`theory.claims.Claim`, in the paper's order,
* optionally ``FIGURES``: a list of :class:`theory.claims.Figure`.

Extra modules (a user's own claims, or test fixtures) are loaded from the environment variable
``EARLYALIGN_PLUGINS``: a comma-separated list of importable module names or ``.py`` file paths
with the same three attributes. A module that fails to import does not take the others down: its
error is kept in :func:`load_errors` and shown by the CLI and the report.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import sys
import traceback
from functools import lru_cache

from .claims import Claim, Figure, Paper

__all__ = ["papers", "claims", "get_claim", "select", "figures", "get_figure", "load_errors", "UnknownName",
           "PLUGIN_ENV"]

PLUGIN_ENV = "EARLYALIGN_PLUGINS"


class UnknownName(KeyError):
    """An unknown claim id, paper key or figure id (the CLI turns it into exit code 2)."""

    def __str__(self):
        return str(self.args[0]) if self.args else "unknown name"


def _import_plugin(spec: str):
    spec = spec.strip()
    if not spec:
        return None
    if spec.endswith(".py") or os.path.sep in spec:
        path = os.path.abspath(spec)
        name = "earlyalign_plugin_" + os.path.splitext(os.path.basename(path))[0]
        if name in sys.modules:
            return sys.modules[name]
        sp_ = importlib.util.spec_from_file_location(name, path)
        if sp_ is None or sp_.loader is None:
            raise ImportError(f"cannot load plugin file {path}")
        mod = importlib.util.module_from_spec(sp_)
        sys.modules[name] = mod
        sp_.loader.exec_module(mod)
        return mod
    return importlib.import_module(spec)


@lru_cache(maxsize=1)
def _load():
    """Import every paper module once per process: returns (papers, claims, figures, errors)."""
    from . import papers as pkg

    mods, errors = [], []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            mods.append(importlib.import_module(f"{pkg.__name__}.{info.name}"))
        except Exception as exc:
            errors.append({"module": f"theory.papers.{info.name}", "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc(limit=3)})
    for spec in os.environ.get(PLUGIN_ENV, "").split(","):
        if not spec.strip():
            continue
        try:
            mods.append(_import_plugin(spec))
        except Exception as exc:
            errors.append({"module": spec, "error": f"{type(exc).__name__}: {exc}",
                           "traceback": traceback.format_exc(limit=3)})
    paper_map: dict[str, Paper] = {}
    claim_list: list[Claim] = []
    figure_list: list[Figure] = []
    seen = set()
    for mod in mods:
        if mod is None:
            continue
        paper = getattr(mod, "PAPER", None)
        if paper is not None:
            if paper.key in paper_map and paper_map[paper.key] is not paper:
                errors.append({"module": mod.__name__, "error": f"duplicate paper key {paper.key!r}", "traceback": ""})
            paper_map.setdefault(paper.key, paper)
        for c in getattr(mod, "CLAIMS", []):
            if c.id in seen:
                errors.append({"module": mod.__name__, "error": f"duplicate claim id {c.id!r}", "traceback": ""})
                continue
            seen.add(c.id)
            if c.paper not in paper_map:
                paper_map[c.paper] = Paper(key=c.paper, title=c.paper)
            claim_list.append(c)
        figure_list.extend(getattr(mod, "FIGURES", []))
    return paper_map, claim_list, figure_list, errors


def reload():
    """Forget the loaded modules (tests that change ``EARLYALIGN_PLUGINS``)."""
    _load.cache_clear()


def papers() -> list[Paper]:
    """All papers, in a stable order (``Paper.order`` then key)."""
    pm = _load()[0]
    return sorted(pm.values(), key=lambda p: (p.order, p.key))


def get_paper(key: str) -> Paper:
    pm = _load()[0]
    if key not in pm:
        raise UnknownName(f"unknown paper {key!r}; known papers: {', '.join(sorted(pm)) or '(none)'}")
    return pm[key]


def claims(paper: str | None = None) -> list[Claim]:
    """Registered claims (all, or one paper's), in registration (= the paper's) order."""
    cl = _load()[1]
    if paper is not None:
        get_paper(paper)
        return [c for c in cl if c.paper == paper]
    return list(cl)


def get_claim(cid: str) -> Claim:
    for c in _load()[1]:
        if c.id == cid:
            return c
    raise UnknownName(_unknown_message("claim id", cid, [c.id for c in _load()[1]]))


def select(ids=None, paper: str | None = None) -> list[Claim]:
    """Claims matching ``ids`` (exact ids or dotted prefixes such as ``boursier2022.lemma2``) and ``paper``.

    Raises :class:`UnknownName` for an id or paper that matches nothing.
    """
    pool = claims(paper)
    if not ids:
        return pool
    out, allc = [], _load()[1]
    for i in ids:
        hit = [c for c in pool if c.id == i or c.id.startswith(i + ".")]
        if not hit:
            known = [c.id for c in allc]
            if any(c.id == i or c.id.startswith(i + ".") for c in allc):
                raise UnknownName(f"claim {i!r} is not in paper {paper!r}")
            raise UnknownName(_unknown_message("claim id", i, known))
        out.extend(c for c in hit if c not in out)
    return out


def figures() -> list[Figure]:
    return list(_load()[2])


def get_figure(fid: str) -> Figure:
    for f in _load()[2]:
        if f.id == fid:
            return f
    raise UnknownName(_unknown_message("figure", fid, [f.id for f in _load()[2]]))


def load_errors() -> list[dict]:
    return list(_load()[3])


def _unknown_message(what, name, known) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {what} {name!r}{hint} (`earlyalign list` shows the registered ids)"
