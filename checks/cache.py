"""On-disk cache of evidence, keyed by (claim, instance, precision, code version).

The code version of a claim (:func:`claim_code_version`) hashes the code the claim can run: the shared
sources (``numerics/``, ``checks/``, ``theory/*.py`` and ``theory/papers/__init__.py``) plus the claim's
own paper (its package ``theory/papers/<key>/``), or, for a plugin, the plugin's file. Editing one paper
leaves the others' cached results valid; editing shared code invalidates everything; a stale verdict is
never served. Entries are JSON files written atomically; an unreadable or malformed entry counts as a
miss and is rewritten.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

import cloudpickle
import sympy

__all__ = ["code_version", "shared_code_version", "paper_code_version", "claim_code_version", "Cache", "default_cache_dir", "CACHE_ENV"]

CACHE_ENV = "EARLYALIGN_CACHE_DIR"
PACKAGES = ("theory", "numerics", "checks")


def _source_files() -> list[tuple[str, Path]]:
    """(``pkg/relative/path.py``, path) of every source file of the three packages, sorted."""
    out = []
    for pkg in PACKAGES:
        root = Path(importlib.import_module(pkg).__file__).resolve().parent
        for f in sorted(root.rglob("*.py")):
            if "__pycache__" not in f.parts:
                out.append((f"{pkg}/{f.relative_to(root).as_posix()}", f))
    return out


def _paper_of(rel: str) -> str | None:
    """The paper a source file belongs to (``theory/papers/<key>/...``), None for shared code."""
    parts = rel.split("/")
    if len(parts) >= 4 and parts[:2] == ["theory", "papers"]:
        return parts[2]
    return None


def _digest(files) -> str:
    h = hashlib.sha256()
    for rel, f in files:
        h.update(f"{rel}\0".encode())
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 (first 16 hex digits) over every source of theory/, numerics/, checks/ (paths and contents):
    the version of the whole toolkit, shown in reports."""
    return _digest(_source_files())


@lru_cache(maxsize=1)
def shared_code_version() -> str:
    """Hash of the shared code: every source outside the paper packages ``theory/papers/<key>/``."""
    return _digest([(r, f) for r, f in _source_files() if _paper_of(r) is None])


@lru_cache(maxsize=None)
def paper_code_version(key: str) -> str:
    """Hash of one paper package ``theory/papers/<key>/`` ("none" when the paper has no package)."""
    files = [(r, f) for r, f in _source_files() if _paper_of(r) == key]
    return _digest(files) if files else "none"


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"


def _callables(claim):
    """Every callable a claim runs: measure, instances, data_instances, the hypotheses' tests (partials unwrapped)."""
    out = [claim.measure, claim.instances, claim.data_instances, *(h.test for h in claim.hypotheses)]
    flat = []
    for fn in out:
        while isinstance(fn, functools.partial):
            flat.append(("partial-args", repr((fn.args, sorted(fn.keywords.items())))))
            fn = fn.func
        if fn is not None:
            flat.append(("fn", fn))
    return flat


def _in_packages(path: str) -> bool:
    roots = [str(Path(importlib.import_module(p).__file__).resolve().parent) for p in PACKAGES]
    return any(path.startswith(r + os.sep) for r in roots)


def claim_code_version(claim) -> str:
    """Code version for one claim: everything its verdict can depend on.

    * the shared code (:func:`shared_code_version`) and the claim's paper package (:func:`paper_code_version`);
    * the declaration itself: statement, mutant, control, tolerances, ladder (a claim edited in place);
    * for code outside the three packages (a plugin file, an entry-point package, a notebook), every callable the
      claim runs: the file of its module when it has one, else the function itself serialised by value
      (cloudpickle), so that a claim defined in ``__main__`` or ``python -c`` is keyed by its code.
    """
    memo = claim.__dict__.get("_code_version")
    if memo is not None:  # the code does not change within a process
        return memo
    h = hashlib.sha256()
    control = getattr(claim, "control", None)
    for rel in (claim.statement, claim.mutant and claim.mutant.statement, control and control.statement):
        h.update(sympy.srepr(rel).encode() if rel is not None else b"-")
    h.update(repr((getattr(claim, "eq_rtol", None), getattr(claim, "eq_atol", None), tuple(claim.ladder),
                   claim.kind)).encode())
    outside = False
    for kind, fn in _callables(claim):
        if kind == "partial-args":
            h.update(fn.encode())
            continue
        mod = sys.modules.get(getattr(fn, "__module__", "") or "")
        f = getattr(mod, "__file__", None)
        if f and _in_packages(str(Path(f).resolve())):
            continue
        outside = True
        code = getattr(fn, "__code__", None)
        h.update(f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}".encode())
        if code is not None:  # the function's own code, not only its file (two versions defined in one session)
            h.update(code.co_code + repr(code.co_consts).encode())
        if f and getattr(mod, "__name__", "") != "__main__":
            h.update(_file_hash(str(Path(f).resolve())).encode())
        try:  # by value for closures and __main__ functions: their captured values are part of the claim
            h.update(hashlib.sha256(cloudpickle.dumps(fn)).digest())
        except Exception:  # not serialisable: never reuse its results
            h.update(os.urandom(16))
    base = f"{shared_code_version()}+{paper_code_version(claim.paper)}"
    claim.__dict__["_code_version"] = f"{base}+{h.hexdigest()[:16]}" + ("+ext" if outside else "")
    return claim.__dict__["_code_version"]


_STATUSES = ("HOLDS", "VIOLATED", "INCONCLUSIVE", "NOT_APPLICABLE", "ERROR", "NOT_CHECKABLE")


def _malformed_entry(d) -> str | None:
    """Why a decoded cache entry is not an evidence record (None if it is one)."""
    if not isinstance(d, dict):
        return f"a JSON {type(d).__name__}, not an object"
    for k in ("id", "instance", "instance_key", "status"):
        if not isinstance(d.get(k), str):
            return f"field {k!r} missing or not a string"
    if d["status"] not in _STATUSES:
        return f"unknown status {d['status']!r}"
    for k, typ in (("grid", list), ("witness", dict), ("hypotheses", list), ("info", dict), ("series", dict)):
        if k in d and d[k] is not None and not isinstance(d[k], typ):
            return f"field {k!r} is not a {typ.__name__}"
    for k in ("grid", "hypotheses"):
        for i, item in enumerate(d.get(k) or []):
            if not isinstance(item, dict):
                return f"{k}[{i}] is a {type(item).__name__}, not an object"
    for i, h in enumerate(d.get("hypotheses") or []):
        if not isinstance(h.get("name"), str) or not isinstance(h.get("detail", ""), str):
            return f"hypotheses[{i}] has no name/detail strings"
    for k in ("mutant", "control"):
        v = d.get(k)
        if v is not None and not (isinstance(v, dict) and (v == {} or isinstance(v.get("status"), str))):
            return f"field {k!r} is neither null nor a judged statement"
    for k in ("slack", "lhs", "rhs", "error_estimate", "runtime_s"):
        v = d.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float, str))):
            return f"field {k!r} is not a number"
    return None


def default_cache_dir() -> Path:
    """``$EARLYALIGN_CACHE_DIR`` or ``./.earlyalign-cache``."""
    return Path(os.environ.get(CACHE_ENV) or ".earlyalign-cache")


class Cache:
    """JSON evidence store. ``enabled=False`` makes every lookup a miss and every store a no-op."""

    def __init__(self, directory=None, enabled: bool = True):
        self.dir = Path(directory) if directory is not None else default_cache_dir()
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        self.malformed: list[str] = []

    def unusable(self) -> str | None:
        """Why the cache directory cannot be used (None if it can): it must be creatable and writable."""
        if self.dir.exists() and not self.dir.is_dir():
            return "it is a file"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            probe = self.dir / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    @staticmethod
    def key(claim_id: str, instance_key: str, precision, version: str | None = None) -> str:
        blob = json.dumps({"claim": claim_id, "instance": instance_key, "precision": str(precision),
                           "code": version or code_version()}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str):
        if not self.enabled:
            return None
        p = self._path(key)
        try:
            with open(p, encoding="utf-8") as fh:
                d = json.load(fh)
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:
            return self._malformed(p, f"unreadable ({type(exc).__name__})")
        why = _malformed_entry(d)
        if why:
            return self._malformed(p, why)
        self.hits += 1
        return d

    def _malformed(self, path: Path, why: str):
        """A corrupt entry is a miss: say which file, and let the next ``put`` rewrite it."""
        self.misses += 1
        self.malformed.append(str(path))
        print(f"earlyalign: ignoring malformed cache entry {path} ({why}); it will be rewritten", file=sys.stderr)
        return None

    def put(self, key: str, value: dict):
        if not self.enabled:
            return
        p = self._path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_suffix(f".tmp{os.getpid()}")
            with open(tmp, "w", encoding="utf-8") as fh:
                json.dump(value, fh)
            os.replace(tmp, p)
        except OSError:
            pass  # a read-only cache directory degrades to no caching
