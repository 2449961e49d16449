"""The settings of a user's dataset as one claim reads them (issue 12: every setting honoured or refused by name).

``ds.params`` (numerics.datasets.USER_PARAMS) are read by a claim's ``data_instances`` through :meth:`get`,
:meth:`sigma` and the paper's own readers (a subclass in the paper's ``datasets.py`` adds e.g. ``init``);
:meth:`instance` then refuses, by name, every given setting the claim did not read (the paper's SETTINGS hypothesis
makes the claim NOT_APPLICABLE, never silently ignoring it) and says in the instance's description where each value
came from and what the run will cost.
"""
from __future__ import annotations

from .instances import Instance


class UserSettings:
    """One claim's reading of ``ds.params``: ``given`` (the user's), ``used`` (read so far), ``refused`` (key ->
    reason), ``source`` (value -> "given" / "default" / ...)."""

    def __init__(self, ds):
        self.ds = ds
        self.given = dict(ds.params or {})
        self.used: list = []
        self.refused: dict = {}
        self.source: dict = {}

    def _use(self, key, default, label=None):
        if key not in self.used:
            self.used.append(key)
        self.source[label or key] = "given" if key in self.given else "default"
        return self.given.get(key, default)

    def get(self, key, default):
        """The user's ``key`` (m, seed, T, eps, lam10_grid, ...) or the claim's default."""
        return self._use(key, default)

    def sigma(self, default):
        """The init scale sigma (the toolkit's lambda): params.lam, or 10^lam10, or the claim's default."""
        self.used += ["lam", "lam10"]
        if "lam" in self.given and "lam10" in self.given:
            self.refused["lam10"] = "params.lam and params.lam10 both given: give one init scale"
        if "lam" in self.given:
            self.source["sigma"] = "given (lam)"
            return float(self.given["lam"])
        if "lam10" in self.given:
            self.source["sigma"] = "given (lam10)"
            return 10.0 ** float(self.given["lam10"])
        self.source["sigma"] = "default"
        return float(default)

    def extra_params(self) -> dict:
        """Parameters every instance of this reading carries (a paper's subclass: e.g. lyu2021's alpha)."""
        return {}

    def instance(self, what: str, params: dict, description: str = "", cost: str = "", **kw) -> Instance:
        """The :class:`Instance` (Instance.from_dataset: the data in params) with ``params``; the unread settings
        refused by name."""
        refused = dict(self.refused)
        for k, v in self.given.items():
            if k not in self.used:
                uses = ", ".join(k2 for k2 in self.used if k2 != "lam10") or "none"
                refused[k] = f"params.{k} = {v!r} is not a setting of this claim (it uses: {uses})"
        p = {**self.extra_params(), **params}
        if refused:
            p["refused"] = refused
        src = ", ".join(f"{k}: {v}" for k, v in self.source.items())
        desc = "; ".join(x for x in (description, f"settings ({src})" if src else "", cost) if x)
        return Instance.from_dataset(self.ds, name=f"{self.ds.name} (user data), {what}", params=p,
                                     description=desc, **kw)
