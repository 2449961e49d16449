"""What a claim is checked on and what a measurement hands back: :class:`Hypothesis` (an assumption
evaluated on an instance), :class:`Instance` (a seeded setting with its grid) and :class:`Measurement`
(the statement's symbols measured at one grid point)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable

import mpmath
import numpy as np

from numerics.datasets import Dataset
from numerics.network import Model

from .status import canon

__all__ = ["Hypothesis", "Instance", "Measurement", "canon_json"]

# ============================================================================ building blocks


@dataclass(frozen=True)
class Hypothesis:
    """A named assumption of the paper, evaluated on an instance.

    ``test(instance) -> (ok, detail)`` (or a bare bool). ``where`` cites the paper. A hypothesis the toolkit
    cannot evaluate on an instance (e.g. "the flow reaches a KKT point") is declared ``assumed=True`` with
    ``test=None`` and a ``detail`` saying why: it is shown as "assumed", never as satisfied.

    :meth:`evaluate` gives ``{"name", "where", "state", "ok", "detail"}`` with state one of
    ``"holds"``, ``"fails"`` (the claim is NOT_APPLICABLE), ``"assumed"``, ``"error"`` (the test raised:
    the claim is ERROR, the message kept).
    """

    name: str
    test: Callable[["Instance"], Any] | None = None
    where: str = ""
    assumed: bool = False
    detail: str = ""

    def __post_init__(self):
        if self.test is None and not self.assumed:
            raise ValueError(f"hypothesis {self.name!r}: give a test, or declare it assumed=True with a detail")

    def evaluate(self, instance: "Instance") -> dict:
        rec = {"name": self.name, "where": self.where}
        if self.assumed:
            return {**rec, "state": "assumed", "ok": True, "detail": self.detail or "assumed, not evaluated"}
        try:
            out = self.test(instance)
        except Exception as exc:  # a hypothesis that cannot be evaluated is an error, never a pass or a skip
            return {**rec, "state": "error", "ok": False,
                    "detail": f"could not be evaluated: {type(exc).__name__}: {exc}"}
        ok, detail = (out if isinstance(out, tuple) else (bool(out), ""))
        return {**rec, "state": "holds" if ok else "fails", "ok": bool(ok), "detail": str(detail)}


@dataclass
class Instance:
    """A concrete, seeded setting a claim is checked on.

    ``params`` is JSON-able (data, seed, eps, width, ...). ``grid`` is a list of grid points (dicts);
    ``grid_param`` names the swept key, ``grid_log10`` says the key is log10 of the parameter
    (``lam10 = -16`` means lambda = 1e-16), and ``asymptotic="small"`` says the claim is stated for
    the parameter small enough ("for lambda <= lambda*", lambda* unspecified): the verdict is then
    decided at the smallest grid value and the empirical threshold is reported.

    Data: ``params["X"]`` (n x d) and ``params["y"]`` (n,) with the model settings ``gamma``, ``loss``,
    ``reduction`` (and ``dataset``, its name). The data and the model are built in one place,
    :meth:`arrays`, :meth:`dataset` and :meth:`model`, memoised on the instance; build an instance from a
    dataset with :meth:`from_dataset`.
    """

    name: str
    params: dict
    grid: list = field(default_factory=lambda: [{}])
    grid_param: str | None = None
    grid_symbol: str = ""
    grid_log10: bool = False
    asymptotic: str | None = None
    description: str = ""
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def settings(self) -> dict:
        """The settings the instance actually runs with: its params without the data arrays (JSON-able)."""
        return canon_json({k: v for k, v in self.params.items() if k not in ("X", "y")})

    # ------------------------------------------------------------------ data, built once
    @classmethod
    def from_dataset(cls, ds, name: str | None = None, **kw) -> "Instance":
        """An instance on a :class:`numerics.datasets.Dataset`: its data, name and model settings go into
        ``params`` (JSON-able, hashed into the cache key); extra ``params=`` entries are merged in; the
        other keywords are Instance fields (grid, grid_param, ...)."""
        params = {"dataset": ds.name, "X": np.asarray(ds.X, dtype=float).tolist(),
                  "y": np.asarray(ds.y, dtype=float).tolist()}
        for k in ("gamma", "loss", "reduction"):
            if getattr(ds, k, None) is not None:
                params[k] = getattr(ds, k)
        params.update(kw.pop("params", {}))
        inst = cls(name=name or ds.name, params=params, **kw)
        inst._memo["dataset"] = ds
        return inst

    def arrays(self):
        """(X, y) as read-only float arrays (memoised)."""
        if "arrays" not in self._memo:
            try:
                X = np.array(self.params["X"], dtype=float)
                y = np.array(self.params["y"], dtype=float)
            except KeyError as exc:
                raise KeyError(f"instance {self.name!r} carries no data (params[{exc.args[0]!r}])") from None
            X.setflags(write=False)
            y.setflags(write=False)
            self._memo["arrays"] = (X, y)
        return self._memo["arrays"]

    def dataset(self):
        """The instance's data as a :class:`numerics.datasets.Dataset` (memoised), with its model settings."""
        if "dataset" not in self._memo:
            X, y = self.arrays()
            self._memo["dataset"] = Dataset(X, y, name=str(self.params.get("dataset", self.name)),
                                            source="earlyalign instance " + self.name,
                                            gamma=self.params.get("gamma"), loss=self.params.get("loss"),
                                            reduction=self.params.get("reduction"))
        return self._memo["dataset"]

    def model(self, **overrides):
        """The :class:`numerics.network.Model` of the instance: its data with ``gamma``, ``loss``, ``reduction``
        from ``params`` (defaults ReLU, square loss, mean), overridable; memoised when not overridden."""
        if overrides or "model" not in self._memo:
            X, y = self.arrays()
            kw = {k: self.params[k] for k in ("gamma", "loss", "reduction") if self.params.get(k) is not None}
            kw.update(overrides)
            model = Model(X, y, meta={"instance": self.name}, **kw)
            if overrides:
                return model
            self._memo["model"] = model
        return self._memo["model"]

    def key(self) -> str:
        blob = json.dumps(canon({"name": self.name, "params": self.params, "grid": self.grid,
                                  "grid_param": self.grid_param, "asymptotic": self.asymptotic}),
                          sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    def to_json(self) -> dict:
        return {"name": self.name, "params": canon_json(self.params), "grid": self.grid,
                "grid_param": self.grid_param, "grid_symbol": self.grid_symbol, "grid_log10": self.grid_log10,
                "asymptotic": self.asymptotic, "description": self.description}

    @classmethod
    def from_json(cls, d: dict) -> "Instance":
        return cls(**{k: v for k, v in d.items() if not k.startswith("_")})

    def param_value(self, point: dict):
        """The swept parameter's value at a grid point (10**v when ``grid_log10``), as mpf."""
        if self.grid_param is None or self.grid_param not in point:
            return None
        v = point[self.grid_param]
        return mpmath.mpf(10) ** mpmath.mpf(v) if self.grid_log10 else mpmath.mpf(v)

    def point_label(self, point: dict) -> str:
        if not point:
            return "-"
        if self.grid_param in point:
            sym = self.grid_symbol or self.grid_param
            v = point[self.grid_param]
            if self.grid_log10:
                v = float(v)
                return f"{sym}=1e{int(v)}" if float(v).is_integer() else f"{sym}=10^{v:g}"
            return f"{sym}={v}"
        return ", ".join(f"{k}={v}" for k, v in point.items())

    def grid_description(self) -> str:
        """Human-readable grid, e.g. 'λ ∈ {1e-4, 1e-8, 1e-16}'."""
        if self.grid == [{}] or not self.grid:
            return "single point"
        if self.grid_param:
            vals = []
            for p in self.grid:
                lab = self.point_label(p)
                vals.append(lab.split("=", 1)[1] if "=" in lab else lab)
            return f"{self.grid_symbol or self.grid_param} ∈ {{{', '.join(vals)}}}"
        return f"{len(self.grid)} grid points"


def canon_json(obj):
    """JSON-able copy (numpy arrays -> lists)."""
    if isinstance(obj, dict):
        return {k: canon_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [canon_json(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


@dataclass
class Measurement:
    """Values of a statement's symbols at the points of one grid point.

    ``values[name]`` is a scalar or a 1-D sequence (float64 or mpf) over the points (scalars are
    broadcast); ``errors[name]`` the absolute error estimate, always explicit: a number or sequence
    (measured: two tolerances / two precisions), or ``"rounding"`` (a closed form evaluated once in
    float64: 4 ulp); ``exact`` names the symbols computed exactly (error 0; ``True`` for all), so
    that exact arithmetic says so;
    ``coords[name]`` per-point coordinates used in the witness (``j``, ``t``, ...).
    ``info`` is JSON-able (solver status, tolerances, notes), ``series`` small arrays for plots:
    ``{name: {"x": [...], "y": {label: [...]}, "xlabel": str, "ylabel": str, "logy": bool}}``.
    """

    values: dict
    errors: dict = field(default_factory=dict)
    coords: dict = field(default_factory=dict)
    precision: str = "float64"
    info: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)
    exact: Any = ()

    @property
    def npoints(self) -> int:
        n = 1
        for v in list(self.values.values()) + list(self.coords.values()):
            if np.ndim(v) == 1:
                n = max(n, len(v))
        return n


