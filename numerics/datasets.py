"""Datasets, knowing no paper: the :class:`Dataset` container, assumption-check results, input checking and
the user-file loader (``earlyalign --data``).

A :class:`Dataset` is data (X (n, d), y (n,)) plus provenance (``name``, ``source`` = paper + label /
section, ``params``) and optional default model settings (``gamma``, ``loss``, ``reduction``). Every random
construction takes a ``seed`` for ``numpy.random.default_rng`` (:func:`as_rng`); the same seed gives the
same bits.

Validators return a :class:`Validation`: a list of :class:`AssumptionCheck` triples
``(name, passed, reason)`` whose reasons carry the numbers, so a claim can report
``NOT_APPLICABLE: Assumption 1 (orthonormal inputs) fails: <x_1,x_2> = 0.3``.

Each paper's datasets and validators live in its package, ``theory/papers/<key>/datasets.py``
(``DATASETS`` and ``validate``); :func:`theory.registry.datasets` lists them all as ``"<paper>.<name>"``.

Bias: a hidden bias is an appended constant coordinate (boursier2022 l.156, boursier2024 §2).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .network import CLASSIFICATION_LOSSES, LOSSES, Model

__all__ = [
    "Dataset",
    "DatasetError",
    "AssumptionCheck",
    "Validation",
    "assumption_check",
    "fmt_number",
    "fmt_vector",
    "unit_vector",
    "as_rng",
    "append_bias",
    "symmetrize",
    "load_user_dataset",
]


class DatasetError(ValueError):
    """A dataset is malformed (shapes, values, labels, file format); the message names the problem."""


# ============================================================================ core types


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs X (n, d), labels y (n,), provenance and default model settings.

    ``source`` names the paper and its label/section ("boursier2022 §1.3 DS-A (catalog); Eq. (4) ...");
    ``params`` records every construction parameter (seed included) so the dataset can be rebuilt.
    ``gamma``/``loss``/``reduction`` are the paper's model settings (None: not fixed by the paper).
    """

    X: np.ndarray
    y: np.ndarray
    name: str
    source: str
    paper: str | None = None
    params: dict = field(default_factory=dict)
    gamma: float | None = None
    loss: str | None = None
    reduction: str | None = None
    notes: str = ""

    def __post_init__(self):
        X, y = _checked_arrays(self.X, self.y, where=f"dataset {self.name!r}")
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        _check_settings(self.gamma, self.loss, self.reduction, y, where=f"dataset {self.name!r}")

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def d(self) -> int:
        return self.X.shape[1]

    def model(self, **overrides) -> Model:
        """A :class:`numerics.network.Model` with this data and the paper's settings (overridable)."""
        kw = {k: v for k, v in (("gamma", self.gamma), ("loss", self.loss), ("reduction", self.reduction))
              if v is not None}
        kw.update(overrides)
        return Model(np.array(self.X), np.array(self.y), meta={"dataset": self.name}, **kw)

    def with_data(self, X=None, y=None, name=None, **changes) -> "Dataset":
        """A copy with replaced data (e.g. a perturbed negative control), keeping the provenance."""
        return replace(self, X=self.X if X is None else X, y=self.y if y is None else y,
                       name=name or self.name, **changes)

    def __repr__(self):
        return f"Dataset({self.name!r}, n={self.n}, d={self.d}, source={self.source!r})"


class AssumptionCheck(NamedTuple):
    """One evaluated hypothesis: (name, passed, reason with the numbers)."""

    name: str
    passed: bool
    reason: str


class Validation(list):
    """A list of :class:`AssumptionCheck` for one dataset, in the paper's order."""

    def __init__(self, checks=(), dataset: str = ""):
        super().__init__(checks)
        self.dataset = dataset

    @property
    def ok(self) -> bool:
        return all(c.passed for c in self)

    @property
    def failures(self) -> list[AssumptionCheck]:
        return [c for c in self if not c.passed]

    def __getitem__(self, key):
        if isinstance(key, str):
            for c in self:
                if c.name == key or c.name.startswith(key):
                    return c
            raise KeyError(f"no check named {key!r}; have {[c.name for c in self]}")
        return super().__getitem__(key)

    def not_applicable(self) -> str | None:
        """"NOT_APPLICABLE: <name> fails: <reason>" for the first failed check, None if all pass."""
        f = self.failures
        return None if not f else f"NOT_APPLICABLE: {f[0].name} fails: {f[0].reason}"

    def summary(self) -> str:
        head = f"{self.dataset}: " if self.dataset else ""
        return head + "; ".join(f"[{'ok' if c.passed else 'FAIL'}] {c.name}: {c.reason}" for c in self)


def assumption_check(name: str, passed, reason: str) -> AssumptionCheck:
    """An :class:`AssumptionCheck` (``passed`` coerced to bool): the building block of every validator."""
    return AssumptionCheck(name, bool(passed), reason)


def fmt_number(x) -> str:
    """Compact number formatting for reasons."""
    return f"{float(x):.6g}"


def fmt_vector(v) -> str:
    """Compact vector formatting for reasons: ``(0.5, 1, -2)``."""
    return "(" + ", ".join(fmt_number(t) for t in np.ravel(v)) + ")"


def unit_vector(v):
    """v / ||v||."""
    return v / np.linalg.norm(v)


def as_rng(seed):
    """A numpy Generator: ``seed`` itself if it is one, else ``default_rng(seed)``."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def append_bias(Z, value: float = 1.0) -> np.ndarray:
    """Append a constant coordinate: x <- (z, value) (the papers' hidden bias, boursier2022 l.156)."""
    Z = np.asarray(Z, dtype=float)
    Z = Z[:, None] if Z.ndim == 1 else Z
    return np.hstack([Z, np.full((Z.shape[0], 1), float(value))])


def symmetrize(X, y):
    """lyu2021's augmentation (x, y) -> {(x, y), (-x, -y)} in Assumption 4.1 order.

    Returns (X', y') with X'_i = x_i, y'_i = +1 for the points relabelled so that y = +1 comes first
    (x_i <- y_i x_i), and X'_{i+n} = -X'_i, y'_{i+n} = -1.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    P = np.sign(y)[:, None] * X
    return np.vstack([P, -P]), np.concatenate([np.ones(len(y)), -np.ones(len(y))])


# ============================================================================ input checking (shared by all)


def _checked_arrays(X, y, where: str):
    """Convert to float64 and check shapes / finiteness; raise DatasetError naming the problem."""
    for label, A in (("X", X), ("y", y)):
        arr = np.asarray(A)
        if arr.dtype == object or arr.dtype.kind not in "biuf":
            raise DatasetError(f"{where}: {label} must be numeric, got dtype {arr.dtype}")
        if arr.dtype.kind == "b":
            raise DatasetError(f"{where}: {label} must be numeric, got booleans")
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    if X.ndim != 2:
        raise DatasetError(f"{where}: X must be a 2-D array (n, d); got shape {X.shape}")
    n, d = X.shape
    if n == 0 or d == 0:
        raise DatasetError(f"{where}: X is empty (shape {X.shape}); need n >= 1 points and d >= 1 coordinates")
    if y.ndim != 1 or y.shape[0] != n:
        hint = " (flatten it to a 1-D array)" if y.ndim == 2 and y.shape == (n, 1) else ""
        raise DatasetError(f"{where}: y must be a 1-D array of length n = {n}; got shape {y.shape}{hint}")
    for label, A in (("X", X), ("y", y)):
        bad = np.argwhere(~np.isfinite(A))
        if bad.size:
            idx = tuple(int(i) for i in bad[0])
            raise DatasetError(f"{where}: {label} has a non-finite value {A[idx]} at index {idx} "
                               f"({len(bad)} non-finite entries in total)")
    return X, y


def _check_settings(gamma, loss, reduction, y, where: str):
    if gamma is not None:
        if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.integer, np.floating)):
            raise DatasetError(f"{where}: gamma must be a number in [0, 1]; got {gamma!r}")
        if not (math.isfinite(float(gamma)) and 0.0 <= float(gamma) <= 1.0):
            raise DatasetError(f"{where}: gamma must lie in [0, 1]; got {gamma!r}")
    if loss is not None and loss not in LOSSES:
        raise DatasetError(f"{where}: loss must be one of {LOSSES}; got {loss!r}")
    if reduction is not None and reduction not in ("mean", "sum"):
        raise DatasetError(f"{where}: reduction must be 'mean' or 'sum'; got {reduction!r}")
    if loss in CLASSIFICATION_LOSSES and not np.all(np.isin(y, (-1.0, 1.0))):
        bad = np.flatnonzero(~np.isin(y, (-1.0, 1.0)))
        raise DatasetError(f"{where}: {loss} loss needs labels in {{-1, +1}}; y[{bad[0]}] = {y[bad[0]]}")


# ============================================================================ user files

_SETTINGS = ("gamma", "loss", "reduction")
_JSON_KEYS = {"X", "y", "name", "source", "notes", "params", *_SETTINGS}


def _json_matrix(rows, where):
    if not isinstance(rows, list) or not rows:
        raise DatasetError(f"{where}: 'X' must be a non-empty list of rows (lists of numbers)")
    width = None
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, list):
            raise DatasetError(f"{where}: X row {i} is {type(row).__name__}, not a list of numbers "
                               f"(X must be a list of rows, e.g. [[0.5, 1.0], [2.0, 1.0]])")
        if width is None:
            width = len(row)
        if len(row) != width:
            raise DatasetError(f"{where}: ragged X: row {i} has {len(row)} entries, row 0 has {width}")
        out.append([_json_number(v, f"X[{i}][{j}]", where) for j, v in enumerate(row)])
    return out


def _json_number(v, label, where):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DatasetError(f"{where}: {label} = {_short(v)} is not a number")
    try:
        f = float(v)
    except OverflowError:
        raise DatasetError(f"{where}: {label} = {_short(v)} is too large for a float") from None
    if not math.isfinite(f):
        raise DatasetError(f"{where}: {label} = {_short(v)} is not finite")
    return f


def _short(v, n=40) -> str:
    r = repr(v)
    return r if len(r) <= n else r[:n] + "..."


#: settings a user dataset may carry in ``params`` (JSON), with their types and ranges; anything else is refused
USER_PARAMS = {
    "m": ("int", 1, "width m (number of neurons)"),
    "seed": ("int", 0, "seed of the initialisation draw"),
    "eps": ("float>0", None, "the paper's epsilon"),
    "lam": ("float>0", None, "initialisation scale lambda"),
    "lam10": ("float", None, "log10 of the initialisation scale"),
    "lam10_grid": ("floats", None, "grid of log10 lambda values"),
    "T": ("float>0", None, "flow horizon"),
    "init": ("str", ("balanced-gaussian", "sphere-sign", "gaussian"), "initialisation scheme"),
}


def check_user_params(params: dict, where: str) -> dict:
    """Validate the ``params`` of a user dataset against :data:`USER_PARAMS`: unknown keys, wrong types
    (``m: 2.9``, ``m: "abc"``), out-of-range values (``m: 0``, ``seed: -1``, ``eps < 0``, ``lam: -1``) are
    refused by name. Returns a clean copy."""
    if not isinstance(params, dict):
        raise DatasetError(f"{where}: 'params' must be an object")
    unknown = sorted(set(params) - set(USER_PARAMS))
    if unknown:
        raise DatasetError(f"{where}: unknown params {unknown}; allowed: "
                           + ", ".join(f"{k} ({v[2]})" for k, v in USER_PARAMS.items()))
    out = {}
    for k, v in params.items():
        kind, rng, what = USER_PARAMS[k]
        bad = f"{where}: params.{k} = {_short(v)}"
        if kind == "int":
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not float(v).is_integer():
                raise DatasetError(f"{bad} must be an integer ({what})")
            if int(v) < rng:
                raise DatasetError(f"{bad} must be >= {rng} ({what})")
            out[k] = int(v)
        elif kind in ("float", "float>0"):
            f = _json_number(v, f"params.{k}", where)
            if kind == "float>0" and not f > 0:
                raise DatasetError(f"{bad} must be > 0 ({what})")
            out[k] = f
        elif kind == "floats":
            if not isinstance(v, list) or not v:
                raise DatasetError(f"{bad} must be a non-empty list of numbers ({what})")
            out[k] = [_json_number(x, f"params.{k}[{i}]", where) for i, x in enumerate(v)]
        else:
            if not isinstance(v, str) or v not in rng:
                raise DatasetError(f"{bad} must be one of {list(rng)} ({what})")
            out[k] = v
    return out


def _load_json(path: Path):
    where = str(path)
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DatasetError(f"{where}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}") from None
    except UnicodeDecodeError as e:
        raise DatasetError(f"{where}: not UTF-8 text ({e.reason})") from None
    except RecursionError:
        raise DatasetError(f"{where}: JSON nested too deeply to be a dataset") from None
    except ValueError as e:  # e.g. an integer literal beyond Python's digit limit
        raise DatasetError(f"{where}: unreadable JSON number ({e})") from None
    if not isinstance(obj, dict):
        raise DatasetError(f"{where}: the top level must be an object {{\"X\": [[...]], \"y\": [...]}}")
    for key in ("X", "y"):
        if key not in obj:
            raise DatasetError(f"{where}: missing key {key!r} (need 'X' (n x d) and 'y' (n))")
    unknown = sorted(set(obj) - _JSON_KEYS)
    if unknown:
        raise DatasetError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_JSON_KEYS)}")
    X = _json_matrix(obj["X"], where)
    if not isinstance(obj["y"], list):
        raise DatasetError(f"{where}: 'y' must be a list of numbers")
    y = [_json_number(v, f"y[{i}]", where) for i, v in enumerate(obj["y"])]
    params = check_user_params(obj["params"], where) if obj.get("params") is not None else {}
    meta = {k: obj[k] for k in ("name", "source", "notes") if k in obj}
    for k, v in meta.items():
        if not isinstance(v, str):
            raise DatasetError(f"{where}: {k!r} must be a string; got {v!r}")
    return X, y, {k: obj[k] for k in _SETTINGS if k in obj}, meta, params


def _load_npz(path: Path):
    where = str(path)
    with open(path, "rb") as fh:
        magic = fh.read(6)
        if magic == b"\x93NUMPY":
            raise DatasetError(f"{where}: this is a single .npy array, not an .npz archive; "
                               "save with numpy.savez(path, X=X, y=y)")
        if not magic.startswith(b"PK"):
            raise DatasetError(f"{where}: not a readable NPZ archive (not a zip file)")
        fh.seek(0)
        try:
            with np.load(fh, allow_pickle=False) as f:
                files = {k: f[k] for k in f.files}
        except ValueError as e:
            if "pickle" not in str(e):
                raise DatasetError(f"{where}: not a readable NPZ archive ({e})") from None
            raise DatasetError(f"{where}: cannot read NPZ without pickles (an object array); "
                               "store X, y as numeric arrays") from None
        except Exception as e:  # zipfile.BadZipFile, EOFError, OSError, ...
            raise DatasetError(f"{where}: not a readable NPZ archive ({type(e).__name__}: {e})") from None
    for key in ("X", "y"):
        if key not in files:
            raise DatasetError(f"{where}: missing array {key!r}; found {sorted(files)}")
    for key, a in files.items():
        if not isinstance(a, np.ndarray):
            raise DatasetError(f"{where}: member {key!r} is not a .npy array (save with numpy.savez(path, X=X, y=y))")
        if key in ("X", "y") and not np.issubdtype(a.dtype, np.number):
            raise DatasetError(f"{where}: array {key!r} has dtype {a.dtype}, not numbers")
    unknown = sorted(set(files) - {"X", "y", *_SETTINGS})
    if unknown:
        raise DatasetError(f"{where}: unknown array(s) {unknown}; allowed: X, y, {', '.join(_SETTINGS)}")
    settings = {}
    for k in _SETTINGS:
        if k in files:
            a = files[k]
            if a.ndim != 0:
                raise DatasetError(f"{where}: {k!r} must be a scalar; got shape {a.shape}")
            settings[k] = a.item()
    return files["X"], files["y"], settings, {}, {}


def load_user_dataset(path) -> Dataset:
    """Load a user dataset: ``.npz`` with arrays X (n, d), y (n,) [, gamma, loss, reduction scalars], or
    ``.json`` {"X": [[...], ...], "y": [...], optional "gamma", "loss", "reduction", "name", "source",
    "notes", "params"}. Every malformed input raises :class:`DatasetError` naming the problem (missing key,
    ragged or non-numeric rows, wrong shapes, NaN/inf, empty data, labels not +-1 for logistic loss,
    unknown keys or extension).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise DatasetError(f"{path}: is a directory, not a dataset file")
    if suffix not in (".npz", ".json"):
        raise DatasetError(f"{path}: unknown extension {path.suffix!r}; use .npz or .json")
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        X, y, settings, meta, params = (_load_json if suffix == ".json" else _load_npz)(path)
    except PermissionError as e:
        raise DatasetError(f"{path}: cannot read ({e.strerror})") from None
    where = str(path)
    X, y = _checked_arrays(X, y, where)
    gamma = settings.get("gamma")
    if gamma is not None and (isinstance(gamma, bool) or not isinstance(gamma, (int, float))):
        raise DatasetError(f"{where}: gamma must be a number in [0, 1]; got {gamma!r}")
    for k in ("loss", "reduction"):
        if k in settings and not isinstance(settings[k], str):
            raise DatasetError(f"{where}: {k} must be a string; got {settings[k]!r}")
    _check_settings(None if gamma is None else float(gamma), settings.get("loss"), settings.get("reduction"), y, where)
    return Dataset(X, y, name=meta.get("name", path.stem), source=meta.get("source", f"user file {path.name}"),
                   paper=None, params=dict(params), gamma=None if gamma is None else float(gamma),
                   loss=settings.get("loss"), reduction=settings.get("reduction"), notes=meta.get("notes", ""))
