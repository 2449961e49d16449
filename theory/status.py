"""Verdict vocabulary shared by every layer of :mod:`theory`: the statuses, their aggregation,
precision labels and JSON-safe numbers (DESIGN.md, "The claim model", statuses)."""
from __future__ import annotations

import math
from enum import Enum
from typing import Sequence

import mpmath
import numpy as np

__all__ = ["Status", "KINDS", "TIERS", "aggregate_status", "NeedsPrecision", "precision_label", "precision_dps",
           "json_number", "canon", "fmt"]

KINDS = ("closed-form", "flow-inequality", "convex", "asymptotic", "probabilistic", "qualitative")
TIERS = ("fast", "full")


class Status(str, Enum):
    """Verdict of one claim on one instance (or aggregated over instances).

    HOLDS: slack > error estimate on the instance (held at this precision, never "proved").
    VIOLATED: slack < -error estimate, with a witness. INCONCLUSIVE: |slack| within the error
    estimate (or a regime not reached). NOT_APPLICABLE: a hypothesis of the paper fails on the
    instance (named). ERROR: the computation failed (message kept). NOT_CHECKABLE: a qualitative
    statement registered with the reason it is not numerically checkable (never shown as HOLDS).
    """

    HOLDS = "HOLDS"
    VIOLATED = "VIOLATED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    ERROR = "ERROR"
    NOT_CHECKABLE = "NOT_CHECKABLE"

    def __str__(self):
        return self.value


# aggregation: the first status present in this order wins (NOT_APPLICABLE only if nothing else)
_SEVERITY = [Status.ERROR, Status.VIOLATED, Status.INCONCLUSIVE, Status.HOLDS, Status.NOT_APPLICABLE,
             Status.NOT_CHECKABLE]


def aggregate_status(statuses: Sequence[Status | str]) -> Status:
    """Worst status of a collection: ERROR > VIOLATED > INCONCLUSIVE > HOLDS > NOT_APPLICABLE > NOT_CHECKABLE.

    A claim HOLDS only if no instance is VIOLATED, INCONCLUSIVE or ERROR and at least one instance
    HOLDS (instances where a hypothesis fails do not count either way).
    """
    st = {Status(s) for s in statuses}
    for s in _SEVERITY:
        if s in st:
            return s
    return Status.NOT_APPLICABLE


class NeedsPrecision(Exception):
    """Raised by a ``measure`` function when this precision cannot resolve the quantity (the ladder escalates)."""


# ============================================================================ helpers


def precision_label(precision) -> str:
    """'float64' or 'mp<dps>'."""
    if precision in (None, "float64"):
        return "float64"
    if isinstance(precision, str):
        return precision if precision.startswith("mp") else f"mp{precision}"
    return f"mp{int(precision)}"


def precision_dps(precision) -> int:
    """Decimal digits carried by a precision label (float64 = 15)."""
    lab = precision_label(precision)
    return 15 if lab == "float64" else int(lab[2:])


def json_number(x):
    """A JSON-safe number: float when representable (finite, no underflow to 0), else a decimal string."""
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    try:
        mx = mpmath.mpf(x) if not isinstance(x, mpmath.mpf) else x
    except (TypeError, ValueError):
        return str(x)
    if mpmath.isnan(mx):
        return "nan"
    if mpmath.isinf(mx):
        return "inf" if mx > 0 else "-inf"
    f = float(mx)
    if math.isinf(f) or (f == 0.0 and mx != 0):
        return mpmath.nstr(mx, 8)
    return f


def canon(obj):
    """Canonical JSON-able form (numpy -> lists, floats by repr) for hashing instance keys."""
    if isinstance(obj, dict):
        return {str(k): canon(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [canon(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return canon(obj.tolist())
    if isinstance(obj, (np.floating, float)):
        return repr(float(obj))
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, mpmath.mpf):
        return "mpf:" + mpmath.nstr(obj, 50)
    return obj


def fmt(x, digits=3) -> str:
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    try:
        return mpmath.nstr(mpmath.mpf(x), digits, min_fixed=-3, max_fixed=4)
    except Exception:  # pragma: no cover - display only
        return str(x)

