"""``earlyalign check ... --json -`` run in this process (``checks.cli.main``), for tests that judge the numbers a
command prints rather than the console script itself (``tests/test_cli.py`` and ``tests/test_bad_input.py`` keep
the subprocess runs): a fresh interpreter costs ~2.5 s of imports per call."""
from __future__ import annotations

import contextlib
import io
import json
import os

from checks import cli


def check_json(args: list, cache_dir) -> tuple[dict, int, str]:
    """Run ``earlyalign check *args --json - --jobs 1 --quiet`` with ``EARLYALIGN_CACHE_DIR=cache_dir``; the parsed
    JSON, the exit code and stderr."""
    out, err = io.StringIO(), io.StringIO()
    old = os.environ.get("EARLYALIGN_CACHE_DIR")
    os.environ["EARLYALIGN_CACHE_DIR"] = str(cache_dir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = cli.main(["check", *args, "--json", "-", "--jobs", "1", "--quiet"])
    finally:
        if old is None:
            os.environ.pop("EARLYALIGN_CACHE_DIR", None)
        else:
            os.environ["EARLYALIGN_CACHE_DIR"] = old
    assert out.getvalue().strip(), err.getvalue()
    return json.loads(out.getvalue()), rc, err.getvalue()
