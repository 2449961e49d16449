"""A markdown table of the claims in a results file: ``python -m checks.table results.json [--paper P]``.

One row per claim (the claim-level verdict of :func:`checks.runner.summarize_claim`, as written in the ``claims``
list of ``earlyalign check --json`` / ``earlyalign report``'s results.json): status, the deciding instance, its slack,
error estimate and precision, the mutant's verdict and the control's. Used for the closing notes of issues, so that
every number there names the command that printed it.
"""
from __future__ import annotations

import argparse
import json
import sys


def _num(v) -> str:
    if v is None or v == "":
        return "-"
    try:
        return f"{float(v):.3g}"
    except (TypeError, ValueError):
        return str(v)


def rows(data: dict, paper: str | None = None) -> list[str]:
    out = ["| claim | status | slack | error | precision | instance | mutant | control |",
           "|---|---|---|---|---|---|---|---|"]
    for c in data.get("claims", []):
        if paper and c.get("paper") != paper:
            continue
        m, ctl = c.get("mutant") or {}, c.get("control") or {}
        inst = (c.get("instance") or "-").replace("|", "/")
        out.append(f"| {c['id']} | {c['status']} | {_num(c.get('slack'))} | {_num(c.get('error_estimate'))} | "
                   f"{c.get('precision') or '-'} | {inst[:60]} | {m.get('status') or '-'} | "
                   f"{ctl.get('status') or '-'} |")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m checks.table", description=__doc__.splitlines()[0])
    ap.add_argument("results", help="a JSON file written by earlyalign check --json or earlyalign report")
    ap.add_argument("--paper", default=None, help="only this paper")
    args = ap.parse_args(argv)
    try:
        with open(args.results, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        print(f"python -m checks.table: cannot read {args.results}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        print(f"python -m checks.table: {args.results} has no 'claims' list (not an earlyalign results file)",
              file=sys.stderr)
        return 2
    try:
        print("\n".join(rows(data, args.paper)))
    except BrokenPipeError:   # piped into head
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
