"""Declaring a paper's claims once: :class:`ClaimSet` writes the paper key, the catalog file, the
precision ladder and the paper-wide hypotheses once per part of a paper, and :func:`in_paper_order`
puts a paper's claims in the order of its result graph.

A part of a paper (``theory/papers/<key>/phase1.py``) reads::

    from theory.claimset import ClaimSet
    from .paper import PAPER, CATALOG
    from .common import SETTING           # the paper-wide hypotheses

    claims = ClaimSet(PAPER, catalog=CATALOG, hypotheses=SETTING)
    claims.add("lemma2.i", "Lemma 2 (i)", "§4.2, l.619", "flow-inequality", result="lemma2",
               statement=..., measure=..., instances=..., mutant=..., catalog_ref="L2 (i)")
    claims.not_checkable("assumption1", "Assumption 1", "§2.1", reason="...", result="assumption1")

and the package's ``__init__`` collects ``CLAIMS = in_paper_order(PAPER, phase1.claims, phase3.claims, ...)``.
"""
from __future__ import annotations

from typing import Iterable

from .claims import LADDER_DEFAULT, Claim
from .paper import Paper

__all__ = ["ClaimSet", "in_paper_order"]


class ClaimSet:
    """The claims of one part of a paper, with the defaults written once.

    ``paper``: the :class:`~theory.paper.Paper` (its ``key`` prefixes every id); ``catalog``: the catalog
    file (``claims_004.md``), prefixed to each claim's ``catalog_ref``; ``ladder``: the default precision
    ladder; ``hypotheses``: hypotheses every claim of the set carries first (a claim adds its own with
    ``extra_hypotheses=`` or replaces them with ``hypotheses=``); ``defaults``: any other
    :class:`~theory.claims.Claim` field shared by the set (``share``, ``tags``, ``data_instances``...).
    """

    def __init__(self, paper: Paper, *, catalog: str = "", ladder: tuple = LADDER_DEFAULT,
                 hypotheses: Iterable = (), **defaults):
        if not isinstance(paper, Paper):
            raise TypeError(f"ClaimSet needs a theory.paper.Paper, got {type(paper).__name__}")
        bad = {"id", "paper", "label", "where", "kind"} & set(defaults)
        if bad:
            raise TypeError(f"ClaimSet defaults cannot set {sorted(bad)}: they are per claim")
        self.paper = paper
        self.key = paper.key
        self.catalog = catalog or (paper.catalog.rsplit("/", 1)[-1] if paper.catalog else "")
        self.ladder = tuple(ladder)
        self.hypotheses = list(hypotheses)
        self.defaults = defaults
        self._claims: list[Claim] = []

    # ------------------------------------------------------------------ declaring
    def _catalog(self, catalog_ref: str | None, catalog: str | None) -> str:
        if catalog is not None:
            return catalog
        if not catalog_ref:
            return self.catalog
        return f"{self.catalog} {catalog_ref}".strip()

    def add(self, cid: str, label: str, where: str, kind: str, *, catalog_ref: str | None = None,
            catalog: str | None = None, hypotheses: Iterable | None = None, extra_hypotheses: Iterable = (),
            **fields) -> Claim:
        """Register the claim ``<paper>.<cid>`` and return it.

        ``catalog_ref`` is the catalog entry (``"L2 (i), F-6"``), written after the set's catalog file;
        ``catalog`` overrides the whole string. ``hypotheses`` replaces the set's hypotheses,
        ``extra_hypotheses`` appends to them. Other keywords are :class:`~theory.claims.Claim` fields and
        override the set's defaults.
        """
        kw = {"ladder": self.ladder, **self.defaults, **fields}
        hyps = list(self.hypotheses if hypotheses is None else hypotheses) + list(extra_hypotheses)
        claim = Claim(id=f"{self.key}.{cid}", paper=self.key, label=label, where=where, kind=kind,
                      hypotheses=hyps, catalog=self._catalog(catalog_ref, catalog), **kw)
        return self._append(claim)

    def not_checkable(self, cid: str, label: str, where: str, reason: str, *, result: str = "",
                      catalog_ref: str | None = None, catalog: str | None = None, tags: tuple = (),
                      notes: str = "") -> Claim:
        """Register a result that is not numerically checkable (kind "qualitative"), with the reason shown."""
        claim = Claim(id=f"{self.key}.{cid}", paper=self.key, label=label, where=where, kind="qualitative",
                      reason=reason, result=result, catalog=self._catalog(catalog_ref, catalog), tags=tuple(tags),
                      notes=notes)
        return self._append(claim)

    def _append(self, claim: Claim) -> Claim:
        if any(c.id == claim.id for c in self._claims):
            raise ValueError(f"claim id {claim.id!r} declared twice")
        self._claims.append(claim)
        return claim

    # ------------------------------------------------------------------ reading
    @property
    def claims(self) -> list[Claim]:
        return list(self._claims)

    def __iter__(self):
        return iter(self._claims)

    def __len__(self):
        return len(self._claims)

    def __repr__(self):
        return f"ClaimSet({self.key!r}, {len(self._claims)} claims)"


def in_paper_order(paper: Paper, *parts: Iterable[Claim]) -> list[Claim]:
    """The claims of ``parts`` (ClaimSets or lists), in the order of the paper's result graph.

    A claim sorts by the position of its ``result`` in ``paper.results`` (claims of one result keep
    their declaration order); a claim whose result is not in the graph comes after all the others.
    Duplicate ids are an error.
    """
    pos = {r.id: i for i, r in enumerate(paper.results)}
    seen, flat = set(), []
    for part in parts:
        for c in part:
            if c.paper != paper.key:
                raise ValueError(f"claim {c.id!r} belongs to paper {c.paper!r}, not {paper.key!r}")
            if c.id in seen:
                raise ValueError(f"claim id {c.id!r} declared twice")
            seen.add(c.id)
            flat.append(c)
    order = {c.id: i for i, c in enumerate(flat)}
    return sorted(flat, key=lambda c: (pos.get(c.result, len(pos)), order[c.id]))
