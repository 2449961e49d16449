"""Shared fixtures. ``fast_run``: the default (fast) tier of every registered claim, computed once per code version in
one parallel batch (2 processes; pytest-xdist workers share it through a lock) and cached on disk under a directory keyed by the code version, which the CLI
tests (test_cli, test_report) reuse through EARLYALIGN_CACHE_DIR. Test modules read their claims from it."""
from __future__ import annotations

import fcntl
import tempfile
from pathlib import Path

import pytest

from checks.cache import Cache, code_version

SHARED_CACHE = Path(tempfile.gettempdir()) / f"earlyalign-test-cache-{code_version()}"


@pytest.fixture(scope="session")
def fast_run():
    """The fast tier of every registered claim. Under pytest-xdist (the default run: ``-n auto``) every worker asks
    for it: the first to take the lock computes it with 2 processes into the shared on-disk cache, the others wait
    and then read it from there (cache hits: seconds), so the tier is computed once per code version."""
    from checks.runner import run_claims
    from theory import registry

    registry.reload()
    assert registry.load_errors() == []
    SHARED_CACHE.mkdir(parents=True, exist_ok=True)
    with open(SHARED_CACHE.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file closes
        return run_claims(registry.claims(), tier="fast", jobs=2, cache=Cache(SHARED_CACHE), quiet=True)


@pytest.hookimpl(tryfirst=True)   # before xdist's own hook reads the group markers
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``--dist loadgroup``) every test that reads ``fast_run`` goes to one worker, which computes
    the tier (2 processes) while the other workers run the rest, instead of waiting on the lock."""
    for item in items:
        if "fast_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("fast_run"))
