"""Discovery of the papers: every ``theory.papers.<key>`` package (or module), every module named in
``EARLYALIGN_PLUGINS`` and every entry point of the group ``earlyalign.papers``, each exposing

* ``PAPER``: a :class:`theory.paper.Paper` (metadata and the results dependency graph),
* ``CLAIMS``: the list of :class:`theory.claims.Claim`, in the paper's order,
* optionally ``FIGURES`` (:class:`theory.paper.Figure`) and ``DATASETS`` (name -> constructor).

``EARLYALIGN_PLUGINS`` is a comma-separated list of importable module names or ``.py`` file paths. A
third party ships a paper as its own distribution by declaring, in its ``pyproject.toml``::

    [project.entry-points."earlyalign.papers"]
    mypaper = "mypackage.mypaper"

A module that fails to import, exits, or exposes malformed attributes does not take the others down:
it is skipped and its error, naming the module, is kept in :func:`load_errors` (shown by the CLI and
the report).
"""
from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import importlib.util
import os
import pkgutil
import sys
import traceback
from functools import lru_cache

from . import papers as pkg
from .claims import Claim, Figure, Paper

__all__ = ["papers", "claims", "get_claim", "select", "figures", "get_figure", "load_errors", "UnknownName",
           "PLUGIN_ENV", "ENTRY_POINT_GROUP", "datasets", "reload"]

PLUGIN_ENV = "EARLYALIGN_PLUGINS"
ENTRY_POINT_GROUP = "earlyalign.papers"


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


def _error(module: str, exc: BaseException | str, tb: bool = True) -> dict:
    msg = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return {"module": module, "error": msg,
            "traceback": traceback.format_exc(limit=3) if tb and not isinstance(exc, str) else ""}


def _guarded_import(label: str, importer, errors: list):
    """Import one paper module; any failure (an exception, ``sys.exit``, Ctrl-C excepted) is recorded by name."""
    try:
        return importer()
    except KeyboardInterrupt:
        raise
    except SystemExit as exc:
        errors.append(_error(label, f"the module called sys.exit({exc.code!r}) while being imported", tb=False))
    except BaseException as exc:  # noqa: BLE001 - a plugin must never take the program down
        errors.append(_error(label, exc))
    return None


def _check_module(mod) -> str | None:
    """Why a loaded module's PAPER / CLAIMS / FIGURES / DATASETS are malformed (None if they are fine)."""
    paper = getattr(mod, "PAPER", None)
    if paper is not None and not isinstance(paper, Paper):
        return f"PAPER must be a theory.paper.Paper, got {type(paper).__name__}"
    for attr, typ in (("CLAIMS", Claim), ("FIGURES", Figure)):
        val = getattr(mod, attr, [])
        if not isinstance(val, (list, tuple)):
            return f"{attr} must be a list of {typ.__name__}, got {type(val).__name__}"
        bad = [type(v).__name__ for v in val if not isinstance(v, typ)]
        if bad:
            return f"{attr} must hold only {typ.__name__} objects, found {', '.join(sorted(set(bad)))}"
    ds = getattr(mod, "DATASETS", {})
    if not isinstance(ds, dict) or not all(callable(v) for v in ds.values()):
        return "DATASETS must be a dict of name -> callable"
    return None


def _discover(errors: list) -> list:
    """(label, module) of the built-in papers, the plugins and the entry points, in that order."""
    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        name = f"{pkg.__name__}.{info.name}"
        found.append((name, _guarded_import(name, lambda n=name: importlib.import_module(n), errors)))
    for spec in os.environ.get(PLUGIN_ENV, "").split(","):
        if spec.strip():
            found.append((spec.strip(), _guarded_import(spec.strip(), lambda s_=spec: _import_plugin(s_), errors)))
    try:
        eps = list(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))
    except Exception as exc:  # pragma: no cover - broken installation metadata
        errors.append(_error(f"entry points {ENTRY_POINT_GROUP}", exc))
        eps = []
    for ep in sorted(eps, key=lambda e: e.name):
        label = f"{ep.name} = {ep.value} (entry point)"
        found.append((label, _guarded_import(label, ep.load, errors)))
    return found


@lru_cache(maxsize=1)
def _load():
    """Import every paper module once per process: returns (papers, claims, figures, errors, datasets)."""
    errors: list = []
    paper_map: dict[str, Paper] = {}
    claim_list: list[Claim] = []
    figure_list: list[Figure] = []
    dataset_map: dict = {}
    seen, seen_mods = set(), set()
    for label, mod in _discover(errors):
        if mod is None or id(mod) in seen_mods:
            continue
        seen_mods.add(id(mod))
        why = _check_module(mod)
        if why:
            errors.append(_error(label, f"malformed paper module: {why}", tb=False))
            continue
        paper = getattr(mod, "PAPER", None)
        if paper is not None:
            if paper.key in paper_map and paper_map[paper.key] is not paper:
                errors.append(_error(label, f"duplicate paper key {paper.key!r}", tb=False))
                continue
            paper_map.setdefault(paper.key, paper)
        for c in getattr(mod, "CLAIMS", []):
            if c.id in seen:
                errors.append(_error(label, f"duplicate claim id {c.id!r}", tb=False))
                continue
            seen.add(c.id)
            if c.paper not in paper_map:
                paper_map[c.paper] = Paper(key=c.paper, title=c.paper)
            claim_list.append(c)
        figure_list.extend(getattr(mod, "FIGURES", []))
        key = paper.key if paper is not None else label
        for name, make in getattr(mod, "DATASETS", {}).items():
            dataset_map[f"{key}.{name}" if not name.startswith(key + ".") else name] = make
    return paper_map, claim_list, figure_list, errors, dataset_map


def reload():
    """Forget the loaded modules (tests, notebooks that change ``EARLYALIGN_PLUGINS`` or edit a plugin file): the
    next lookup re-imports every plugin loaded from a file path."""
    _load.cache_clear()
    for name in [n for n in sys.modules if n.startswith("earlyalign_plugin_")]:
        del sys.modules[name]


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
    """Modules that failed to load or were malformed, each ``{"module", "error", "traceback"}``."""
    return list(_load()[3])


def datasets() -> dict:
    """Every paper's named datasets: ``"<paper>.<name>" -> constructor`` (from the packages' ``DATASETS``)."""
    return dict(_load()[4])


def _unknown_message(what, name, known) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {what} {name!r}{hint} (`earlyalign list` shows the registered ids)"
