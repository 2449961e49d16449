"""Paper metadata: :class:`Paper` (key, citation, result graph), :class:`Result` (a numbered result and the
results its proof uses) and :class:`Figure` (a reproducible figure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

__all__ = ["Paper", "Result", "Figure"]

@dataclass
class Result:
    """A numbered result of a paper (node of its dependency graph), with the results its proof uses."""

    id: str
    label: str
    where: str = ""
    kind: str = "lemma"  # assumption | definition | lemma | theorem | proposition | fact | corollary
    uses: tuple = ()
    note: str = ""


@dataclass
class Paper:
    """Metadata of a paper module: key, citation, and its results graph (Lean-blueprint style)."""

    key: str
    title: str
    authors: str = ""
    venue: str = ""
    source: str = ""
    catalog: str = ""
    results: list = field(default_factory=list)
    order: int = 0

    def result(self, rid: str) -> Result | None:
        return next((r for r in self.results if r.id == rid), None)


@dataclass
class Figure:
    """A reproducible figure of a paper: ``make(out_dir: Path, tier: str) -> list[Path]``."""

    id: str
    paper: str
    label: str
    where: str
    description: str
    make: Callable

