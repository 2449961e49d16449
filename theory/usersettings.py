"""The settings of a user's dataset as one claim reads them (issue 12: every setting honoured or refused by name).

``ds.params`` (numerics.datasets.USER_PARAMS) are read by a claim's ``data_instances`` through :meth:`get`,
:meth:`sigma` and the paper's own readers (a subclass in the paper's ``datasets.py`` adds e.g. ``init``);
:meth:`instance` then refuses, by name, every given setting the claim did not read (the paper's SETTINGS hypothesis
makes the claim NOT_APPLICABLE, never silently ignoring it) and says in the instance's description where each value
came from and what the run will cost.
"""
from __future__ import annotations

import math

from .instances import Hypothesis, Instance


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


def read_settings(ds, uses=(), init_names: dict | None = None, **defaults) -> tuple[dict, list]:
    """The settings a claim runs with on a user's dataset ``ds`` (boursier2022's and boursier2024's convention): for
    each key of ``uses`` the user's value from ``ds.params`` (validated by numerics.datasets.check_user_params), else
    ``defaults[key]`` (a key whose default is None stays out). ``grid``: log10 lambda values (``lam10_grid``, else the
    single ``lam10`` or ``lam``); ``lam10``: one lambda (``lam10`` or ``lam``); ``init``: the user's name mapped by
    ``init_names`` when given (else kept as named). Returns (settings, the keys of the user's params the claim does
    not use), which the caller shows in the instance, never silently dropping them."""
    given = dict(ds.params or {})
    out, used = {}, set()
    for k in uses:
        if k == "grid":
            src = next((g for g in ("lam10_grid", "lam10", "lam") if g in given), None)
            if src is None:
                out["grid"] = [float(v) for v in defaults["grid"]]
            else:
                v = given[src]
                out["grid"] = ([float(t) for t in v] if src == "lam10_grid" else
                               [float(v) if src == "lam10" else math.log10(float(v))])
                used.add(src)
        elif k == "lam10":
            src = next((g for g in ("lam10", "lam") if g in given), None)
            out["lam10"] = (float(defaults["lam10"]) if src is None else
                            float(given["lam10"]) if src == "lam10" else math.log10(float(given["lam"])))
            used.update({src} - {None})
        elif k == "init" and init_names is not None:
            out["init"] = init_names[given["init"]] if "init" in given else defaults["init"]
            used.update({"init"} & set(given))
        elif k in given:
            out[k] = given[k]
            used.add(k)
        elif defaults.get(k) is not None:
            out[k] = defaults[k]
    return out, sorted(set(given) - used)


def _settings_apply(inst):
    p = inst.params
    if "X" not in p:   # a catalog instance (a user's instance carries the arrays X, y)
        return True, "catalog instance"
    bad = p.get("refused") or {}
    if bad:
        return False, "; ".join(bad[k] for k in sorted(bad))
    return True, "every setting given in the data file's params is used by this claim"


#: the hypothesis of a claim reading a user's settings through :class:`UserSettings`: NOT_APPLICABLE, naming each,
#: when the file gives a setting the claim cannot take (``params["refused"]`` written by :meth:`UserSettings.instance`)
SETTINGS = Hypothesis("the data file's settings apply to this claim", _settings_apply, "numerics.datasets.USER_PARAMS")
