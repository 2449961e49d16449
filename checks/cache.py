"""On-disk cache of evidence, keyed by (claim, instance, precision, code version).

The code version is a hash of every ``*.py`` source file of the packages ``theory``, ``numerics``
and ``checks`` (paths and contents), so any change to the code invalidates every cached verdict:
a stale verdict is never served. Entries are JSON files written atomically; an unreadable entry
counts as a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

__all__ = ["code_version", "claim_code_version", "Cache", "default_cache_dir", "CACHE_ENV"]

CACHE_ENV = "EARLYALIGN_CACHE_DIR"
PACKAGES = ("theory", "numerics", "checks")


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 (first 16 hex digits) over the sources of theory/, numerics/, checks/ (paths and contents)."""
    import importlib

    h = hashlib.sha256()
    for pkg in PACKAGES:
        mod = importlib.import_module(pkg)
        root = Path(mod.__file__).resolve().parent
        for f in sorted(root.rglob("*.py")):
            if "__pycache__" in f.parts:
                continue
            h.update(f"{pkg}/{f.relative_to(root).as_posix()}\0".encode())
            h.update(f.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:16]


@lru_cache(maxsize=64)
def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"


def claim_code_version(claim) -> str:
    """Code version for one claim: :func:`code_version`, plus the hash of the claim's own module when it
    lives outside the three packages (a plugin: its claims are code too, so editing it invalidates them)."""
    import importlib
    import sys

    base = code_version()
    fn = claim.measure if claim.measure is not None else None
    mod = sys.modules.get(getattr(fn, "__module__", "") or "")
    f = getattr(mod, "__file__", None)
    if not f:
        return base
    f = str(Path(f).resolve())
    roots = [str(Path(importlib.import_module(p).__file__).resolve().parent) for p in PACKAGES]
    if any(f.startswith(r + os.sep) for r in roots):
        return base
    return f"{base}+{_file_hash(f)}"


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
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return d

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
