"""The result of one claim on one instance: :class:`Evidence` (the unit cached on disk and written to JSON)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .status import Status, json_number

__all__ = ["Evidence"]


@dataclass
class Evidence:
    """Result of one claim on one instance (the unit cached on disk and written to JSON)."""

    claim_id: str
    instance: str
    instance_key: str
    status: Status
    lhs: Any = None
    rhs: Any = None
    slack: Any = None
    error_estimate: Any = None
    precision: str = "float64"
    witness: dict = field(default_factory=dict)
    runtime_s: float = 0.0
    message: str = ""
    hypotheses: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    grid_description: str = ""
    threshold: dict | None = None
    mutant: dict | None = None
    control: dict | None = None
    settings: dict = field(default_factory=dict)
    knobs: list = field(default_factory=list)
    escalations: list = field(default_factory=list)
    series: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    cached: bool = False

    def to_json(self) -> dict:
        d = {
            "id": self.claim_id, "instance": self.instance, "instance_key": self.instance_key,
            "status": str(self.status), "lhs": json_number(self.lhs), "rhs": json_number(self.rhs),
            "slack": json_number(self.slack), "error_estimate": json_number(self.error_estimate),
            "precision": self.precision, "witness": self.witness, "runtime_s": round(float(self.runtime_s), 4),
            "message": self.message, "hypotheses": self.hypotheses, "grid": self.grid,
            "grid_description": self.grid_description, "threshold": self.threshold, "mutant": self.mutant, "control": self.control, "settings": self.settings,
            "knobs": self.knobs, "escalations": self.escalations, "series": self.series, "info": self.info,
            "cached": self.cached,
        }
        return d

    @classmethod
    def from_json(cls, d: dict) -> "Evidence":
        return cls(claim_id=d["id"], instance=d["instance"], instance_key=d["instance_key"],
                   status=Status(d["status"]), lhs=d.get("lhs"), rhs=d.get("rhs"), slack=d.get("slack"),
                   error_estimate=d.get("error_estimate"), precision=d.get("precision", "float64"),
                   witness=d.get("witness") or {}, runtime_s=d.get("runtime_s", 0.0), message=d.get("message", ""),
                   hypotheses=d.get("hypotheses") or [], grid=d.get("grid") or [],
                   grid_description=d.get("grid_description", ""), threshold=d.get("threshold"),
                   mutant=d.get("mutant"), control=d.get("control"), settings=d.get("settings") or {}, knobs=d.get("knobs") or [], escalations=d.get("escalations") or [],
                   series=d.get("series") or {}, info=d.get("info") or {}, cached=d.get("cached", False))

