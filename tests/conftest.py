"""Shared fixtures. ``fast_run``: the default (fast) tier of every registered claim, computed once per session in
one parallel batch (2 processes) and cached on disk under a directory keyed by the code version, which the CLI
tests (test_cli, test_report) reuse through EARLYALIGN_CACHE_DIR. Test modules read their claims from it."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from checks.cache import Cache, code_version

SHARED_CACHE = Path(tempfile.gettempdir()) / f"earlyalign-test-cache-{code_version()}"


@pytest.fixture(scope="session")
def fast_run():
    from checks.runner import run_claims
    from theory import registry

    registry.reload()
    assert registry.load_errors() == []
    return run_claims(registry.claims(), tier="fast", jobs=2, cache=Cache(SHARED_CACHE), quiet=True)
