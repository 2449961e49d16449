"""Runs claims on their instances: process-parallel jobs or a Dask cluster, progress bar, on-disk cache.

One *task* is a claim on an instance; tasks of claims sharing a computation (``Claim.share``, e.g.
the three parts of a lemma read off one trajectory) on the same instance are grouped and run in
one worker call so the shared computation is done once. Results come back in the paper's claim
order. A worker exception never crashes the run: it becomes an ERROR evidence with its message.

Where the tasks run: in this process (``jobs=1``), in a local process pool (``jobs=N``), or on an existing
Dask distributed cluster (``scheduler="tcp://host:8786"``, a ``distributed.Client`` or a cluster object such
as ``LocalCluster``; the CLI's ``--scheduler`` / ``EARLYALIGN_SCHEDULER``). The task payload is the same
cloudpickled (claims, instance, precision, timeout) in all three, results are stored in the cache by this
process, so a cluster run gives the same JSON and the same cache as a local one.
"""
from __future__ import annotations

import importlib.machinery
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import cloudpickle
import mpmath
from tqdm import tqdm

from theory import registry
from theory.claims import Claim, Evidence, Instance, Status, aggregate_status

from .cache import Cache, claim_code_version, code_version
from .witness import num, tightened

__all__ = ["run_claims", "RunResult", "summarize_claim", "exit_code_for", "SchedulerError"]

STATUSES = [s.value for s in Status]


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that Claim.evaluate's error capture does not swallow it."""


def _alarm(signum, frame):
    raise _Timeout()


def _run_group(claims: list, inst: Instance, precision, timeout) -> list:
    """Evaluate ``claims`` (the Claim objects themselves) on one instance; returns evidence dicts.

    A timeout (SIGALRM, ``timeout`` seconds, fractions honoured) becomes an ERROR evidence naming it."""
    out = []
    # SIGALRM works only in a main thread (a Dask worker runs tasks in threads: there the timeout is not enforced)
    use_alarm = bool(timeout) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    for claim in claims:
        t0 = time.perf_counter()
        old = None
        if use_alarm:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.setitimer(signal.ITIMER_REAL, float(timeout))
        try:
            ev = claim.evaluate(inst, precision=precision)
        except _Timeout:
            ev = Evidence(claim.id, inst.name, inst.key(), Status.ERROR,
                          message=f"timed out after {timeout:g} s (raise --timeout)")
            ev.runtime_s = time.perf_counter() - t0
        finally:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
        out.append(ev.to_json())
    return out


def _ship(claims) -> None:
    """Make the claims' own modules travel by value when a worker could not import them by name (a plugin
    loaded from a file path, a notebook's ``__main__``): cloudpickle then sends their code."""
    for c in claims:
        for fn in (c.measure, c.instances, *(h.test for h in c.hypotheses)):
            modname = getattr(fn, "__module__", None)
            mod = sys.modules.get(modname or "")
            if mod is None or modname == "__main__" or modname in _BY_VALUE:
                continue
            try:  # PathFinder ignores sys.modules: can a fresh worker find this module by name?
                top = modname.split(".")[0]
                importable = top in sys.builtin_module_names or importlib.machinery.PathFinder.find_spec(top) is not None
            except (ImportError, ValueError):
                importable = False
            if not importable:
                cloudpickle.register_pickle_by_value(mod)
                _BY_VALUE.add(modname)


_BY_VALUE: set = set()


def _run_pickled(payload: bytes) -> list:
    """Worker entry point: the task (claims, instance, precision, timeout) arrives serialised with cloudpickle,
    so a claim runs in a worker without being looked up in the registry (an unregistered claim, a plugin's,
    a notebook's, runs in parallel too)."""
    claims, inst, precision, timeout = cloudpickle.loads(payload)
    os.environ["EARLYALIGN_PROGRESS"] = "0"  # a worker's flow progress bars would garble the runner's
    return _run_group(claims, inst, precision, timeout)


class SchedulerError(RuntimeError):
    """The Dask scheduler given by ``--scheduler`` / ``EARLYALIGN_SCHEDULER`` cannot be used."""


def _dask_client(scheduler, connect_timeout: float | None = None):
    """(client, owned): a ``distributed.Client`` for an address, a cluster object or a client (connection timeout
    ``EARLYALIGN_SCHEDULER_TIMEOUT`` seconds, default 10)."""
    if connect_timeout is None:
        connect_timeout = float(os.environ.get("EARLYALIGN_SCHEDULER_TIMEOUT", "") or 10.0)
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise SchedulerError(f"a Dask scheduler needs the 'distributed' package ({exc}): pip install distributed") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    address = getattr(scheduler, "scheduler_address", scheduler)
    if not isinstance(address, str) or not address.strip():
        raise SchedulerError(f"not a Dask scheduler address: {scheduler!r}")
    address = address.strip()
    try:
        client = Client(address, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address} within {connect_timeout:g} s "
                             f"({type(exc).__name__}: {exc}); start one with `dask scheduler` and workers with "
                             f"`dask worker {address} --nthreads 1`, or drop --scheduler to use local processes") from None
    except ValueError as exc:
        raise SchedulerError(f"not a Dask scheduler address: {address!r} ({exc})") from None
    return client, True


def _run_on_dask(scheduler, items, precision, timeout, store):
    """Run the task groups on a Dask cluster; results are stored as they complete."""
    from distributed import as_completed as dask_completed

    client, owned = _dask_client(scheduler)
    try:
        info = client.scheduler_info()
        workers = info.get("workers", {})
        if not workers:
            client.wait_for_workers(1, timeout=30)
            workers = client.scheduler_info().get("workers", {})
        if any(w.get("nthreads", 1) > 1 for w in workers.values()):
            # mpmath's global context is not thread-safe (mpmath #683, #975): claims share a worker process
            print("earlyalign: warning: Dask workers with several threads run claims concurrently in one process "
                  "(mpmath's global context is not thread-safe); start them with --nthreads 1", file=sys.stderr)
        futs = {}
        for inst, group in items:
            payload = cloudpickle.dumps((group, inst, precision, timeout))
            fut = client.submit(_run_pickled, payload, pure=False,
                                key=f"earlyalign-{group[0].id}-{inst.key()}-{time.monotonic_ns()}")
            futs[fut] = (inst, group)
        with client.as_current():  # as_completed looks up the current client (ours is not the global default)
            for fut in dask_completed(list(futs)):
                inst, group = futs[fut]
                try:
                    store(fut.result())
                except Exception as exc:  # a worker that died or a task that raised outside Claim.evaluate
                    store([Evidence(c.id, inst.name, inst.key(), Status.ERROR,
                                    message=f"Dask task failed: {type(exc).__name__}: {exc}").to_json() for c in group])
    except BaseException:
        if owned:
            client.cancel(list(futs) if "futs" in locals() else [])
        raise
    finally:
        if owned:
            client.close()


@dataclass
class RunResult:
    """Evidence of a run, with the claims it covers and run metadata."""

    claims: list
    evidences: list
    tier: str = "fast"
    code_version: str = ""
    wall_s: float = 0.0
    jobs: int = 1
    cache_hits: int = 0
    skipped: list = field(default_factory=list)
    load_errors: list = field(default_factory=list)
    data: str | None = None
    dataset: object = None
    _summaries: list | None = field(default=None, init=False, repr=False)

    def by_claim(self, claim_id: str) -> list:
        """The evidences of a claim as computed (and cached)."""
        return [e for e in self.evidences if e.claim_id == claim_id]

    def shown(self, claim_id: str) -> list:
        """The evidences of a claim as the report, ``inspect`` and the JSON show them: the witness of each
        instance re-selected by :func:`checks.witness.tightened` (HOLDS: smallest slack; VIOLATED: most
        negative slack)."""
        return [tightened(e) for e in self.by_claim(claim_id)]

    def summary(self) -> dict:
        """Counts per status over all (claim, instance) results."""
        counts = {s: 0 for s in STATUSES}
        for e in self.evidences:
            counts[str(e.status)] += 1
        return counts

    def claim(self, claim_id: str) -> Claim:
        """The Claim object of a claim of this run (the report reads statements from here)."""
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def claim_summaries(self) -> list:
        """Claim-level rows (:func:`summarize_claim`), computed once per run."""
        if self._summaries is None:
            self._summaries = [summarize_claim(c, self.by_claim(c.id)) for c in self.claims]
        return self._summaries

    def exit_code(self) -> int:
        return exit_code_for([e.status for e in self.evidences])

    def data_summary(self) -> dict | None:
        """The user dataset of a ``--data`` run: name, file, shape, the settings given, and every assumption the
        claims evaluated on it, per paper, with its state (holds / fails / assumed / error) and detail."""
        ds = self.dataset
        if ds is None:
            return None
        assumptions: dict = {}
        for e in self.evidences:
            paper = e.claim_id.split(".")[0]
            for h in e.hypotheses:
                key = (paper, h["name"])
                rec = assumptions.setdefault(key, {"paper": paper, "name": h["name"], "where": h.get("where", ""),
                                                   "state": h.get("state", "holds" if h["ok"] else "fails"),
                                                   "detail": h["detail"], "claims": []})
                if e.claim_id not in rec["claims"]:
                    rec["claims"].append(e.claim_id)
        return {"name": ds.name, "file": self.data, "n": int(ds.n), "d": int(ds.d),
                "settings": {"gamma": ds.gamma, "loss": ds.loss, "reduction": ds.reduction, **dict(ds.params or {})},
                "assumptions": sorted(assumptions.values(), key=lambda r: (r["paper"], r["state"] != "fails", r["name"])),
                "claims_run": len({e.claim_id for e in self.evidences}), "claims_skipped": len(self.skipped)}

    def to_json(self) -> dict:
        return {
            "tool": "earlyalign", "code_version": self.code_version, "tier": self.tier, "jobs": self.jobs,
            "wall_s": round(self.wall_s, 3), "cache_hits": self.cache_hits, "data": self.data,
            "data_summary": self.data_summary(),
            "results": [tightened(e).to_json() for e in self.evidences],
            "claims": self.claim_summaries(),
            "summary": self.summary(),
            "claim_summary": _count([s["status"] for s in self.claim_summaries()]),
            "skipped": self.skipped, "load_errors": self.load_errors,
        }


def _count(statuses) -> dict:
    counts = {s: 0 for s in STATUSES}
    for s in statuses:
        counts[str(s)] += 1
    return counts


def exit_code_for(statuses) -> int:
    """0: nothing VIOLATED or ERROR; 1: something VIOLATED (and no ERROR); 2: an ERROR."""
    st = {Status(s) for s in statuses}
    if Status.ERROR in st:
        return 2
    if Status.VIOLATED in st:
        return 1
    return 0


MUTANT_NOT_REJECTED = "mutant not rejected on an instance where the statement holds: the check could not fail"


def mutant_shares_measurement(claim: Claim) -> bool:
    """Does the mutant use at least one symbol the statement measures (a near miss judged on the same
    measurements, not an unrelated inequality)?"""
    if claim.mutant is None or claim.statement is None:
        return False
    return bool({s.name for s in claim.mutant.statement.free_symbols}
                & {s.name for s in claim.statement.free_symbols})


def summarize_claim(claim: Claim, evs: list) -> dict:
    """Claim-level row: aggregated status over instances, the deciding instance's numbers, the mutant
    verdict and the control's.

    Rules (DESIGN.md, "The claim model"): a checkable claim with no evidence is ERROR; a claim whose
    aggregate is HOLDS but whose mutant is rejected (VIOLATED) on no instance where the statement HOLDS
    is INCONCLUSIVE ("the check could not fail"); the mutant counts as rejected only there.
    """
    evs = [tightened(e) for e in evs]
    if not claim.checkable:
        status = Status.NOT_CHECKABLE
    elif not evs:
        status = Status.ERROR
    else:
        status = aggregate_status([e.status for e in evs])
    mut = [e for e in evs if e.mutant]
    rejected_on_holding = sum(1 for e in mut if e.status == Status.HOLDS and e.mutant["status"] == "VIOLATED")
    rejected = sum(1 for e in mut if e.mutant["status"] == "VIOLATED")
    mstat = aggregate_status([e.mutant["status"] for e in mut]) if mut else None
    if rejected:
        mstat = Status.VIOLATED
    message_override = None
    if status == Status.HOLDS and claim.mutant is not None and not rejected_on_holding:
        status = Status.INCONCLUSIVE
        message_override = MUTANT_NOT_REJECTED
    if status == Status.HOLDS and claim.mutant is not None and not mutant_shares_measurement(claim):
        status = Status.INCONCLUSIVE
        message_override = ("the mutant shares no measured symbol with the statement (a strawman): the check was "
                            "never shown able to fail")
    if status == Status.HOLDS and claim.mutant is None:
        status = Status.INCONCLUSIVE
        message_override = "no mutant: the check was never shown able to fail"
    same = [e for e in evs if e.status == status]
    if status in (Status.HOLDS, Status.VIOLATED) and len(same) > 1:  # the tightest / worst instance
        same.sort(key=lambda e: num(e.slack))
    worst = same[0] if same else (evs[0] if evs else None)
    ctl = [(e.control, e.instance) for e in evs if e.control]
    cstat = aggregate_status([c["status"] for c, _ in ctl]) if ctl else None
    cw = sorted([(c, i) for c, i in ctl if c["status"] == str(cstat)], key=lambda ci: num(ci[0].get("slack")))
    cw = cw[0] if cw else (None, None)
    prec = [e.precision for e in evs if e.status not in (Status.NOT_APPLICABLE, Status.NOT_CHECKABLE)]
    if message_override:
        message = message_override
    elif worst is not None:
        message = worst.message
    else:
        message = claim.reason or "no instance: the claim was never evaluated"
    return {
        "id": claim.id, "paper": claim.paper, "label": claim.label, "where": claim.where, "kind": claim.kind,
        "result": claim.result, "catalog": claim.catalog, "status": str(status), "tags": list(claim.tags),
        "statement_latex": claim.statement_latex(), "quantifier": claim.quantifier,
        "slack": worst.slack if worst else None, "error_estimate": worst.error_estimate if worst else None,
        "lhs": worst.lhs if worst else None, "rhs": worst.rhs if worst else None,
        "witness": worst.witness if worst else {}, "instance": worst.instance if worst else None,
        "message": message,
        "precision": sorted(set(prec)) if prec else [],
        "runtime_s": round(sum(e.runtime_s for e in evs), 3),
        "instances": [{"instance": e.instance, "status": str(e.status), "grid": e.grid_description,
                       "threshold": e.threshold, "message": e.message} for e in evs],
        "mutant": None if not claim.mutant else {
            "description": claim.mutant.description, "latex": claim.mutant_latex(),
            "status": str(mstat) if mstat else None, "rejected": bool(rejected_on_holding),
            "rejected_on": rejected_on_holding, "rejected_anywhere": rejected, "instances": len(mut),
            "shares_measurement": mutant_shares_measurement(claim)},
        "control": None if not claim.control else {
            "description": claim.control.description, "statement_latex": claim.control_latex(),
            "status": str(cstat) if cstat else None,
            "slack": cw[0]["slack"] if cw[0] else None,
            "error_estimate": cw[0]["error_estimate"] if cw[0] else None,
            "lhs": cw[0].get("lhs") if cw[0] else None, "rhs": cw[0].get("rhs") if cw[0] else None,
            "witness": cw[0].get("witness", {}) if cw[0] else {}, "instance": cw[1],
            "holds_on": sum(1 for c, _ in ctl if c["status"] == "HOLDS"), "instances": len(ctl)},
        "reason": claim.reason if not claim.checkable else "",
    }


def _progress(total, quiet, desc):
    disable = quiet or not sys.stderr.isatty()
    return tqdm(total=total, file=sys.stderr, disable=disable, desc=desc, unit="task", leave=False)


def run_claims(claims: list, tier: str = "fast", data=None, jobs: int = 1, cache: Cache | None = None,
               quiet: bool = False, precision="auto", timeout: float | None = None, desc: str = "checking",
               data_name: str | None = None, scheduler=None) -> RunResult:
    """Evaluate ``claims`` on their instances for ``tier`` (or on the user ``data``, a
    :class:`numerics.datasets.Dataset` handed to each claim's ``data_instances``) and return a RunResult.

    ``jobs`` > 1 runs task groups in that many processes. ``scheduler`` (a Dask scheduler address such as
    ``tcp://127.0.0.1:8786``, a ``distributed.Client`` or a cluster object) runs them on that Dask cluster
    instead (``jobs`` is then ignored); an unreachable scheduler raises :class:`SchedulerError` before any
    work. ``cache`` (a :class:`Cache`) serves evidence computed by the same code version. ``timeout`` bounds
    each claim evaluation (seconds; not enforced on Dask workers, which run tasks in threads).
    """
    client = None
    if scheduler is not None:  # connect first: an unreachable scheduler is an error before any work
        client, owned_client = _dask_client(scheduler)
    t0 = time.perf_counter()
    cache = cache or Cache(enabled=False)
    version = code_version()
    byid = {c.id: c for c in claims}
    skipped = []
    order = []  # (claim, instance) in report order
    for c in claims:
        if not c.checkable:
            order.append((c, None))
            continue
        if data is not None and c.data_instances is None:
            skipped.append({"id": c.id, "reason": "not stated for a general dataset"})
            continue
        try:
            insts = list(c.data_instances(data) if data is not None else c.instances(tier))
        except Exception as exc:  # the instances themselves could not be built: the claim is ERROR
            order.append((c, _failed_instance(c, f"building its instances failed: {type(exc).__name__}: {exc}")))
            continue
        if not insts:
            order.append((c, _failed_instance(c, f"no instance on the {'--data' if data is not None else tier} "
                                                 "tier: the claim was never evaluated")))
            continue
        for inst in insts:
            order.append((c, inst))
    results: dict = {}
    groups: dict = {}
    hits = 0
    for c, inst in order:
        if inst is None:
            results[(c.id, None)] = c.not_checkable_evidence()
            continue
        if isinstance(inst, Evidence):  # a claim whose instances could not be built
            results[(c.id, inst.instance_key)] = inst
            continue
        k = Cache.key(c.id, inst.key(), _precision_key(precision), claim_code_version(c))
        d = cache.get(k)
        if d is not None:
            ev = Evidence.from_json(d)
            ev.cached = True
            results[(c.id, inst.key())] = ev
            hits += 1
            continue
        groups.setdefault((c.share, inst.key()), (inst, []))[1].append(c)
    ntasks = sum(len(v[1]) for v in groups.values())
    bar = _progress(ntasks, quiet, desc) if ntasks else None

    def store(evs_json):
        for d in evs_json:
            ev = Evidence.from_json(d)
            results[(ev.claim_id, ev.instance_key)] = ev
            if ev.status != Status.ERROR:
                cache.put(Cache.key(ev.claim_id, ev.instance_key, _precision_key(precision),
                                    claim_code_version(byid[ev.claim_id])), d)
            if bar is not None:
                bar.update(1)
                bar.set_postfix_str(f"{ev.claim_id}: {ev.status}", refresh=False)

    items = list(groups.values())
    if client is not None:
        _ship([c for _, group in items for c in group])
        try:
            if items:
                _run_on_dask(client, items, precision, timeout, store)
        finally:
            if owned_client:
                client.close()
    elif jobs > 1 and len(items) > 1:
        ctx = multiprocessing.get_context("spawn")
        _ship([c for _, group in items for c in group])
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=ctx)
        try:
            futs = {pool.submit(_run_pickled, cloudpickle.dumps((group, inst, precision, timeout))): (inst, group)
                    for inst, group in items}
            for f in as_completed(futs):
                inst, group = futs[f]
                try:
                    store(f.result())
                except Exception as exc:  # a crashed worker process
                    store([Evidence(c.id, inst.name, inst.key(), Status.ERROR,
                                    message=f"worker failed: {type(exc).__name__}: {exc}").to_json() for c in group])
        except BaseException:  # Ctrl-C (or any abort): stop the workers now instead of draining the queue
            _kill_pool(pool)
            raise
        pool.shutdown(wait=True)
    else:
        for inst, group in items:
            store(_run_group(group, inst, precision, timeout))
    if bar is not None:
        bar.close()
    evidences = []
    for c, inst in order:
        key = (c.id, None if inst is None else inst.instance_key if isinstance(inst, Evidence) else inst.key())
        if key in results:
            evidences.append(results[key])
    return RunResult(claims=[c for c in claims if c.id not in {s["id"] for s in skipped}], evidences=evidences,
                     tier=tier, code_version=version, wall_s=time.perf_counter() - t0, jobs=jobs, cache_hits=hits,
                     skipped=skipped, load_errors=registry.load_errors(), data=data_name,
                     dataset=data)


def _kill_pool(pool) -> None:
    """Cancel the queued tasks and terminate the worker processes (the executor API has no public kill)."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=2)


def _precision_key(precision) -> str:
    """The precision part of a cache key: the requested precision and the mpmath budget that may refuse a
    rung (an INCONCLUSIVE refusal under a small budget must not be served once the budget is raised)."""
    budget = os.environ.get("EARLYALIGN_MP_BUDGET_S", "").strip() or "default"
    return f"{precision}|mp-budget={budget}"


def _failed_instance(claim: Claim, message: str) -> Evidence:
    return Evidence(claim.id, "-", "no-instance", Status.ERROR, message=message)


def fmt_num(x, digits=3) -> str:
    """Compact display of a JSON number (float or decimal string)."""
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, (bool, int)):
        return str(x)
    return mpmath.nstr(mpmath.mpf(x), digits, min_fixed=-3, max_fixed=4)
