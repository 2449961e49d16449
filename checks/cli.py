"""Command line interface ``earlyalign`` (console script ``checks.cli:main``).

Contract (relied on by users' scripts):

* ``earlyalign list [--paper P] [--json]``: JSON = list of objects with at least
  ``id, paper, label, where, kind, statement_latex, has_mutant``.
* ``earlyalign check [IDS...] [--paper P] [--tier fast|full] [--data FILE] [--json FILE] [--jobs N]``:
  JSON = ``{"results": [{id, instance, status, lhs, rhs, slack, error_estimate, precision, witness,
  runtime_s, ...}], "summary": {status: count}, ...}``. IDS are claim ids or dotted prefixes
  (``boursier2022.lemma2``). Exit 0 when nothing is VIOLATED or ERROR, 1 when something is VIOLATED
  (and nothing is ERROR), 2 on an ERROR or bad usage (unknown id / paper, malformed --data, ...).
* ``earlyalign report [--out DIR] [--tier fast|full]``: writes report.md, index.html, results.json,
  plots; exit 0 when written (VIOLATED claims are findings, not failures), 2 if a claim ERRORed or
  a paper module failed to load.
* ``earlyalign inspect ID [--instance K] [--out DIR]``: one claim in detail, with plots.
* ``earlyalign reproduce FIGURE [--out DIR]`` (``--list`` lists the registered figures).

Progress bars go to stderr and are off when stderr is not a terminal or with ``--quiet``.
Results are cached in ``--cache-dir`` (default ``$EARLYALIGN_CACHE_DIR`` or ``./.earlyalign-cache``)
keyed by claim, instance, precision and code version; ``--no-cache`` disables it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

from numerics.datasets import DatasetError, load_user_dataset
from theory import registry

from .cache import Cache
from .runner import SchedulerError, fmt_num, run_claims

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_VIOLATED, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """Bad input from the user: message printed, exit code 2."""


def _seconds(text: str) -> float:
    """argparse type of --timeout: a finite number of seconds > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds > 0, got {text!r}")
    return v


def _positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {v}")
    return v


def _add_run_options(p, jobs_default=None):
    p.add_argument("--tier", choices=("fast", "full"), default="fast",
                   help="fast (default, minutes on 2 cores) or full (long sweeps)")
    p.add_argument("--jobs", "-j", type=_positive_int, default=jobs_default,
                   help="worker processes (default: number of CPUs)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on an existing Dask distributed cluster (e.g. tcp://127.0.0.1:8786; default "
                        "$EARLYALIGN_SCHEDULER; start it with `dask scheduler` and `dask worker ADDRESS --nthreads 1`) "
                        "instead of local processes: same results, same cache")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the result cache")
    p.add_argument("--cache-dir", default=None, help="cache directory (default $EARLYALIGN_CACHE_DIR or .earlyalign-cache)")
    p.add_argument("--timeout", type=_seconds, default=None, help="seconds allowed per claim evaluation (default: none)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar, less output")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="earlyalign",
        description="Claim-by-claim checks of the theory of two-layer (leaky) ReLU networks trained by gradient "
                    "flow from small initialisation. Main job: `earlyalign report --out earlyalign-report`.")
    sub = ap.add_subparsers(dest="cmd", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("list", help="list the registered claims")
    p.add_argument("--paper", help="only this paper (e.g. boursier2022)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("check", help="check claims; exit 0 / 1 (VIOLATED) / 2 (ERROR or bad usage)")
    p.add_argument("ids", nargs="*", metavar="ID", help="claim ids or dotted prefixes (default: all)")
    p.add_argument("--paper", help="only this paper")
    p.add_argument("--data", help="a dataset (.npz with X, y or .json {\"X\": [[...]], \"y\": [...]}) for the "
                                  "claims stated for a general dataset")
    p.add_argument("--json", dest="json_out", metavar="FILE", help="write the results as JSON ('-' for stdout)")
    _add_run_options(p)

    p = sub.add_parser("report", help="run everything and write the lemma-by-lemma report (the main job)")
    p.add_argument("--out", default="earlyalign-report", help="output directory (default earlyalign-report)")
    p.add_argument("--paper", help="only this paper")
    p.add_argument("--data", help="the report for a user dataset: every claim stated for a general dataset, run on it "
                                  "(the front page says which assumptions hold and which fail)")
    _add_run_options(p)

    p = sub.add_parser("inspect", help="one claim in detail: statement, hypotheses, evidence, witness, plots")
    p.add_argument("id", metavar="ID")
    p.add_argument("--instance", help="instance index (as listed) or a substring of its name")
    p.add_argument("--out", default=None, help="directory for the plots (default earlyalign-inspect/<ID>)")
    p.add_argument("--data", help="inspect on a user dataset (see check --data)")
    p.add_argument("--json", action="store_true", help="print the evidence as JSON")
    _add_run_options(p, jobs_default=1)

    p = sub.add_parser("reproduce", help="reproduce a figure of a paper")
    p.add_argument("figure", nargs="?", metavar="FIGURE")
    p.add_argument("--out", default="earlyalign-figures", help="output directory (default earlyalign-figures)")
    p.add_argument("--tier", choices=("fast", "full"), default="fast")
    p.add_argument("--list", action="store_true", help="list the registered figures")
    p.add_argument("--quiet", "-q", action="store_true")
    return ap


def _cache(args):
    """The result cache; an unusable directory is warned about and the run goes uncached (never silently)."""
    cache = Cache(args.cache_dir, enabled=not args.no_cache)
    if cache.enabled:
        why = cache.unusable()
        if why:
            print(f"earlyalign: warning: cache directory {cache.dir} is unusable ({why}); running without a cache",
                  file=sys.stderr)
            cache.enabled = False
    return cache


def _writable_dir(path, option: str) -> Path:
    """An output directory that can be created and written, else a UsageError naming the option."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise UsageError(f"cannot write to {option} {p}: it is a file, not a directory")
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / f".earlyalign-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to {option} {p}: {exc.strerror or exc}") from None
    return p


def check_environment() -> None:
    """Environment variables the toolkit reads, validated up front (a bad value is a usage error)."""
    raw = os.environ.get("EARLYALIGN_MP_BUDGET_S")
    if raw is not None and raw.strip() != "":
        try:
            v = float(raw)
        except ValueError:
            raise UsageError(f"EARLYALIGN_MP_BUDGET_S={raw!r} is not a number of seconds") from None
        if not math.isfinite(v) or v <= 0:
            raise UsageError(f"EARLYALIGN_MP_BUDGET_S={raw!r} must be a finite number of seconds > 0")


def _scheduler(args):
    """--scheduler, else $EARLYALIGN_SCHEDULER, else None (local processes)."""
    addr = getattr(args, "scheduler", None) or os.environ.get("EARLYALIGN_SCHEDULER", "").strip()
    return addr or None


def _jobs(args):
    return args.jobs if args.jobs is not None else (os.cpu_count() or 1)


def _load_data(path):
    """A user dataset (:class:`numerics.datasets.Dataset`), handed as is to the claims' ``data_instances``;
    DatasetError -> UsageError."""
    try:
        ds = load_user_dataset(path)
    except DatasetError as exc:
        raise UsageError(f"bad --data file: {exc}") from None
    except OSError as exc:
        raise UsageError(f"bad --data file {path}: {exc}") from None
    return ds


def _same_file(a, b) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(a).exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _warn_load_errors(quiet=False):
    errs = registry.load_errors()
    for e in errs:
        print(f"earlyalign: warning: module {e['module']} failed to load: {e['error']}", file=sys.stderr)
    return errs


def _select(args):
    try:
        return registry.select(getattr(args, "ids", None) or None, paper=getattr(args, "paper", None))
    except registry.UnknownName as exc:
        raise UsageError(str(exc)) from None


# ----------------------------------------------------------------------------- commands


def cmd_list(args) -> int:
    _warn_load_errors()
    claims = _select(args)
    rows = [c.describe() for c in claims]
    if args.json:
        print(json.dumps(rows, indent=1))
        return EXIT_OK
    if not rows:
        print("no claims registered")
        return EXIT_OK
    w = max(len(r["id"]) for r in rows)
    for r in rows:
        mut = "mutant" if r["has_mutant"] else ("not checkable" if not r["checkable"] else "NO MUTANT")
        print(f"{r['id']:<{w}}  {r['label']:<16} {r['kind']:<16} {mut:<13} {r['where']}")
    return EXIT_OK


def _print_table(run, stream):
    evs = run.evidences
    if not evs:
        print("no results", file=stream)
        return
    w = max(len(e.claim_id) for e in evs)
    wi = min(48, max(len(e.instance) for e in evs))
    ds = run.data_summary()
    if ds is not None:
        print(f"data: {ds['name']} ({ds['file']}), n = {ds['n']}, d = {ds['d']}; settings "
              + ", ".join(f"{k} = {v}" for k, v in ds["settings"].items() if v is not None), file=stream)
    print(f"{'claim':<{w}}  {'instance':<{wi}}  {'status':<14} {'slack':>11} {'error':>10} {'precision':>9} "
          f"{'time':>7}  mutant", file=stream)
    paper = None
    for e in evs:
        if ds is not None and e.claim_id.split(".")[0] != paper:
            paper = e.claim_id.split(".")[0]
            failing = [a for a in ds["assumptions"] if a["paper"] == paper and a["state"] == "fails"]
            print(f"-- {paper}" + (": fails " + "; ".join(f"{a['name']} ({a['detail']})" for a in failing)
                                   if failing else ": every assumption evaluated holds"), file=stream)
        mu = e.mutant["status"] if e.mutant else "-"
        print(f"{e.claim_id:<{w}}  {e.instance[:wi]:<{wi}}  {str(e.status):<14} {fmt_num(e.slack):>11} "
              f"{fmt_num(e.error_estimate):>10} {e.precision:>9} {e.runtime_s:>6.1f}s  {mu}", file=stream)
        if e.status in ("VIOLATED", "ERROR", "NOT_APPLICABLE", "INCONCLUSIVE") and e.message:
            print(f"{'':<{w}}  -> {e.message}" + (f"; witness {e.witness}" if e.status == "VIOLATED" else ""),
                  file=stream)
    s = run.summary()
    print("summary (claim, instance) pairs: " + ", ".join(f"{k} {v}" for k, v in s.items() if v), file=stream)
    cs = run.claim_summaries()
    counts: dict = {}
    for c in cs:
        counts[str(c["status"])] = counts.get(str(c["status"]), 0) + 1
    print("claims: " + ", ".join(f"{k} {v}" for k, v in counts.items()), file=stream)
    for c in cs:   # a claim whose verdict differs from its rows (rules 8-9: a mutant never rejected where it holds)
        rows = {str(e.status) for e in run.by_claim(c["id"])}
        if rows and str(c["status"]) not in rows and c.get("message"):
            print(f"claim {c['id']}: {c['status']} ({c['message']})", file=stream)
    for sk in run.skipped:
        print(f"skipped {sk['id']}: {sk['reason']}", file=stream)


def cmd_check(args) -> int:
    load_errs = _warn_load_errors()
    if args.json_out is not None and args.json_out.strip() == "":
        raise UsageError("--json needs a file name (or - for standard output)")
    if args.json_out and args.json_out != "-" and args.data and _same_file(args.json_out, args.data):
        raise UsageError(f"--json {args.json_out} is the --data input: refusing to write over it")
    if args.json_out and args.json_out != "-" and Path(args.json_out).is_dir():
        raise UsageError(f"--json {args.json_out} is a directory; give a file name")
    claims = _select(args)
    data = _load_data(args.data) if args.data else None
    if data is not None and not any(c.data_instances is not None for c in claims):
        raise UsageError("none of the selected claims is stated for a general dataset (--data)")
    if not claims:
        raise UsageError("no claim selected")
    run = run_claims(claims, tier=args.tier, data=data, jobs=_jobs(args), cache=_cache(args), quiet=args.quiet,
                     timeout=args.timeout, data_name=args.data, scheduler=_scheduler(args))
    out = run.to_json()
    to_stdout = args.json_out == "-"
    if args.json_out:
        text = json.dumps(out, indent=1)
        if to_stdout:
            print(text)
        else:
            try:
                Path(args.json_out).parent.mkdir(parents=True, exist_ok=True)
                Path(args.json_out).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot write --json {args.json_out}: {exc}") from None
    if not args.quiet or not to_stdout:
        _print_table(run, sys.stderr if to_stdout else sys.stdout)
    code = run.exit_code()
    if load_errs and not args.ids and not args.paper:
        code = EXIT_ERROR  # a paper module failed to load: some claims could not be checked at all
    return code


def cmd_report(args) -> int:
    from .report import write_report  # here, not at the top: it loads matplotlib, +0.34 s (measured) to every command

    load_errs = _warn_load_errors()
    claims = _select(args)
    data = _load_data(args.data) if args.data else None
    if data is not None:
        claims = [c for c in claims if c.data_instances is not None]
        if not claims:
            raise UsageError("none of the selected claims is stated for a general dataset (--data)")
    _writable_dir(args.out, "--out")
    run = run_claims(claims, tier=args.tier, data=data, jobs=_jobs(args), cache=_cache(args), quiet=args.quiet,
                     timeout=args.timeout, desc="report", data_name=args.data, scheduler=_scheduler(args))
    _writable_dir(args.out, "--out")
    try:
        paths = write_report(run, args.out, jobs=_jobs(args))
    except OSError as exc:
        raise UsageError(f"cannot write the report to {args.out}: {exc}") from None
    s = run.claim_summaries()
    counts = {}
    for row in s:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    if not args.quiet:
        _print_summary_table(s)
    print(f"report written to {paths['dir']}/ (index.html, report.md, results.json, "
          f"{len(paths['plots'])} plots, {len(paths['graphs'])} graphs); claims: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return EXIT_ERROR if (load_errs or any(e.status == "ERROR" for e in run.evidences)) else EXIT_OK


def _print_summary_table(summaries):
    if not summaries:
        return
    w = max(len(r["id"]) for r in summaries)
    print(f"{'claim':<{w}}  {'label':<14} {'status':<14} {'slack':>11} {'error':>10} {'precision':<14} "
          f"{'time':>7}  mutant rejected")
    for r in summaries:
        m = r.get("mutant")
        mr = "-" if not m or not m["instances"] else (f"yes {m['rejected_on']}/{m['instances']}" if m["rejected"]
                                                       else f"NO ({m['status']})")
        print(f"{r['id']:<{w}}  {r['label']:<14} {r['status']:<14} {fmt_num(r['slack']):>11} "
              f"{fmt_num(r['error_estimate']):>10} {','.join(r['precision']) or '-':<14} {r['runtime_s']:>6.1f}s  {mr}")


def cmd_inspect(args) -> int:
    from .inspection import inspect_plots, inspect_text  # here, not at the top: matplotlib (see cmd_report)

    _warn_load_errors()
    try:
        claim = registry.get_claim(args.id)
    except registry.UnknownName as exc:
        raise UsageError(str(exc)) from None
    data = _load_data(args.data) if args.data else None
    if data is not None and claim.data_instances is None:
        raise UsageError(f"{claim.id} is not stated for a general dataset (--data)")
    out = Path(args.out) if args.out else Path("earlyalign-inspect") / claim.id
    if claim.checkable:
        _writable_dir(out, "--out")
    run = run_claims([claim], tier=args.tier, data=data, jobs=_jobs(args), cache=_cache(args), quiet=args.quiet,
                     timeout=args.timeout, desc="inspect", scheduler=_scheduler(args))
    if args.instance is not None and claim.checkable:
        evs = run.evidences
        k = args.instance
        if k.isdigit():
            if int(k) >= len(evs):
                raise UsageError(f"--instance {k}: {claim.id} has {len(evs)} instance(s) (0..{len(evs) - 1})")
            keep = [evs[int(k)]]
        else:
            keep = [e for e in evs if k.lower() in e.instance.lower()]
            if not keep:
                raise UsageError(f"--instance {k!r} matches none of: " + "; ".join(e.instance for e in evs))
        run.evidences = keep
    if args.json:
        from .witness import tightened

        print(json.dumps({"claim": claim.describe(), "results": [tightened(e).to_json() for e in run.evidences]},
                         indent=1))
    else:
        print(inspect_text(claim, run))
    if claim.checkable:
        try:
            paths = inspect_plots(claim, run, out)
        except OSError as exc:
            raise UsageError(f"cannot write the plots to {out}: {exc.strerror or exc}") from None
        if not args.json:
            print("\nplots: " + (", ".join(str(p) for p in paths) if paths else
                                 "none (one grid point per instance and no time series: nothing to draw)"))
    return run.exit_code()


def cmd_reproduce(args) -> int:
    _warn_load_errors()
    if args.list or not args.figure:
        figs = registry.figures()
        if not figs:
            print("no figures registered")
        for f in figs:
            print(f"{f.id:<28} {f.label:<10} {f.where:<22} {f.description}")
        return EXIT_OK
    try:
        fig = registry.get_figure(args.figure)
    except registry.UnknownName as exc:
        raise UsageError(str(exc)) from None
    out = _writable_dir(args.out, "--out")
    try:
        paths = fig.make(out, args.tier)
    except OSError as exc:
        raise UsageError(f"cannot write the figure to {out}: {exc.strerror or exc}") from None
    for p in paths or []:
        print(p)
    return EXIT_OK


COMMANDS = {"list": cmd_list, "check": cmd_check, "report": cmd_report, "inspect": cmd_inspect,
            "reproduce": cmd_reproduce}


def main(argv=None) -> int:
    """Entry point; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or bad usage (2)
        return int(exc.code or 0)
    try:
        check_environment()
        return COMMANDS[args.cmd](args)
    except UsageError as exc:
        print(f"earlyalign {args.cmd}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SchedulerError as exc:
        print(f"earlyalign {args.cmd}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("earlyalign: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `earlyalign list | head`
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("EARLYALIGN_DEBUG"):
            raise
        print(f"earlyalign {args.cmd}: internal error: {type(exc).__name__}: {exc} "
              "(set EARLYALIGN_DEBUG=1 for the traceback)", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
