"""Small readers of a RunResult shared by the paper test modules (imported as a plain module: pytest puts tests/
on sys.path)."""
from __future__ import annotations

import mpmath


def ev(run, cid, prefix):
    """The evidence of claim ``cid`` on the first instance whose name starts with ``prefix``."""
    return [e for e in run.by_claim(cid) if e.instance.startswith(prefix)][0]


def rows(run, cid, prefix):
    """That evidence's grid rows by label (e.g. "λ=1e-8")."""
    return {r["label"]: r for r in ev(run, cid, prefix).grid}


def num(v):
    """A JSON number (float, or a decimal string beyond float range) as a float."""
    return float(mpmath.mpf(v)) if isinstance(v, str) else float(v)
