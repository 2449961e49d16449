"""Sweeps on a Dask cluster (issue 13, item 5): the same tasks on a LocalCluster give the same JSON and cache
as the local run, and an unreachable scheduler is a clear error before any work."""
import json

import pytest

from checks.cache import Cache
from checks.cli import main
from checks.runner import SchedulerError, run_claims
from theory import registry

distributed = pytest.importorskip("distributed")

# volatile fields: wall-clock times and where a result came from
VOLATILE = {"runtime_s", "cached", "wall_s", "jobs", "cache_hits"}


def _stable(obj):
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in obj.items() if k not in VOLATILE}
    if isinstance(obj, list):
        return [_stable(v) for v in obj]
    return obj


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    # processes with one thread each, as `dask worker --nthreads 1` (mpmath's global context is not thread-safe)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as c:
        yield c


def _same_run(claims, cluster, tmp_path):
    serial = run_claims(claims, jobs=1, quiet=True)
    cache = Cache(tmp_path / "cache")
    dask_run = run_claims(claims, scheduler=cluster.scheduler_address, cache=cache, quiet=True)
    a, b = _stable(serial.to_json()), _stable(dask_run.to_json())
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    # the cache written from the cluster's results serves a later local run, identically
    again = run_claims(claims, jobs=1, cache=Cache(tmp_path / "cache"), quiet=True)
    assert again.cache_hits == sum(1 for e in dask_run.evidences if not e.cached and e.status.value != "ERROR" and
                                   e.status.value != "NOT_CHECKABLE")
    assert json.dumps(_stable(again.to_json()), sort_keys=True) == json.dumps(a, sort_keys=True)


def test_paper_claims_on_a_local_cluster_match_the_serial_run(cluster, tmp_path):
    registry.reload()
    ids = ("boursier2022.prop2", "boursier2022.a3.width", "boursier2022.finding.F12")
    claims = [c for c in registry.claims("boursier2022") if c.id in ids]
    assert len(claims) == len(ids)
    _same_run(claims, cluster, tmp_path)


def test_plugin_claims_travel_to_the_cluster(cluster, tmp_path, monkeypatch):
    """Claims of a plugin loaded from a file path (not importable by name on a worker) are shipped by value."""
    from pathlib import Path
    monkeypatch.setenv("EARLYALIGN_PLUGINS", str(Path(__file__).with_name("fixture_claims.py")))
    monkeypatch.delenv("EARLYALIGN_FIXTURE_ERROR", raising=False)
    registry.reload()
    try:
        _same_run(registry.claims("fixture"), cluster, tmp_path)
    finally:
        monkeypatch.delenv("EARLYALIGN_PLUGINS")
        registry.reload()


def test_cli_scheduler_option_and_environment(cluster, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EARLYALIGN_CACHE_DIR", str(tmp_path / "c"))
    out1, out2 = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["check", "boursier2022.prop2", "-q", "--no-cache", "--jobs", "1", "--json", str(out1)]) in (0, 1)
    monkeypatch.setenv("EARLYALIGN_SCHEDULER", cluster.scheduler_address)
    assert main(["check", "boursier2022.prop2", "-q", "--no-cache", "--json", str(out2)]) in (0, 1)
    a, b = json.loads(out1.read_text()), json.loads(out2.read_text())
    assert _stable(a) == _stable(b)


def test_unreachable_scheduler_is_a_clear_error(monkeypatch, capsys):
    monkeypatch.setenv("EARLYALIGN_SCHEDULER_TIMEOUT", "2")
    registry.reload()
    claims = [c for c in registry.claims("boursier2022") if c.id == "boursier2022.prop2"]
    with pytest.raises(SchedulerError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_claims(claims, scheduler="tcp://127.0.0.1:9", quiet=True)
    with pytest.raises(SchedulerError, match="not a Dask scheduler address"):
        run_claims(claims, scheduler="   ", quiet=True)
    assert main(["check", "boursier2022.prop2", "-q", "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler" in err and "dask scheduler" in err


@pytest.mark.slow
def test_fast_tier_of_a_paper_on_a_local_cluster_matches_the_serial_run(cluster, tmp_path):
    """The whole fast tier of boursier2022 on 2 Dask workers vs the serial run (minutes: marked slow)."""
    registry.reload()
    _same_run(registry.claims("boursier2022"), cluster, tmp_path)
