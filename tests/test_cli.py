"""The `earlyalign` console script, through a subprocess: JSON contracts, exit codes, bad input.

Fixture claims (tests/fixture_claims.py, loaded with EARLYALIGN_PLUGINS) give known verdicts
(HOLDS / VIOLATED / ERROR / NOT_APPLICABLE) cheaply; the real boursier2022 claims are run through
the shared result cache of test_mutants.py.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from checks.cache import code_version

FIXTURE = str(Path(__file__).with_name("fixture_claims.py"))
SHARED_CACHE = Path(tempfile.gettempdir()) / f"earlyalign-test-cache-{code_version()}"
EXE = shutil.which("earlyalign")

if EXE is None:  # the console script is part of the contract: fail loudly rather than skip
    raise RuntimeError("console script `earlyalign` not on PATH: install the project with `pip install -e .`")


def ea(*args, plugins=False, error_fixture=False, cwd=None, timeout=600):
    env = dict(os.environ)
    env.pop("EARLYALIGN_PLUGINS", None)
    env.pop("EARLYALIGN_FIXTURE_ERROR", None)
    env["EARLYALIGN_CACHE_DIR"] = str(SHARED_CACHE)
    if plugins:
        env["EARLYALIGN_PLUGINS"] = FIXTURE
    if error_fixture:
        env["EARLYALIGN_FIXTURE_ERROR"] = "1"
    return subprocess.run([EXE, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)


def no_traceback(p):
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout, p.stderr


def test_script_is_the_declared_entry_point():
    assert EXE is not None
    p = ea("--help")
    assert p.returncode == 0 and "report" in p.stdout and "check" in p.stdout


def test_list_json_contract():
    p = ea("list", "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert isinstance(rows, list) and rows
    for r in rows:
        for key in ("id", "paper", "label", "where", "kind", "statement_latex", "has_mutant"):
            assert key in r, key
        assert isinstance(r["has_mutant"], bool)
    ids = [r["id"] for r in rows]
    assert "boursier2022.lemma1" in ids and "boursier2022.lemma2.iii" in ids
    p = ea("list", "--paper", "boursier2022", "--json")
    assert {r["paper"] for r in json.loads(p.stdout)} == {"boursier2022"}


def test_unknown_paper_and_claim_exit_2_with_a_message():
    p = ea("list", "--paper", "nosuchpaper")
    assert p.returncode == 2 and "unknown paper" in p.stderr
    no_traceback(p)
    p = ea("check", "boursier2022.lemma9.zz")
    assert p.returncode == 2 and "unknown claim id" in p.stderr
    no_traceback(p)
    p = ea("inspect", "nope.claim")
    assert p.returncode == 2 and "unknown claim id" in p.stderr
    p = ea("check", "--tier", "huge")
    assert p.returncode == 2 and "invalid choice" in p.stderr
    p = ea("frobnicate")
    assert p.returncode == 2


def test_check_exit_codes_and_json_shape(tmp_path):
    out = tmp_path / "r.json"
    p = ea("check", "fixture.amgm", "fixture.scaling", "--json", str(out), "--no-cache", plugins=True)
    assert p.returncode == 0, p.stdout + p.stderr
    d = json.loads(out.read_text())
    assert set(d) >= {"results", "summary"}
    for r in d["results"]:
        for key in ("id", "instance", "status", "lhs", "rhs", "slack", "error_estimate", "precision", "witness",
                    "runtime_s"):
            assert key in r, key
    assert d["summary"]["HOLDS"] == 2 and sum(d["summary"].values()) == len(d["results"]) == 2
    # one VIOLATED claim -> exit 1, witness in the JSON
    p = ea("check", "fixture.amgm", "fixture.taylor", "--json", "-", "--no-cache", plugins=True)
    assert p.returncode == 1, p.stderr
    d = json.loads(p.stdout)
    bad = [r for r in d["results"] if r["id"] == "fixture.taylor"][0]
    assert bad["status"] == "VIOLATED" and bad["witness"]["x_point"] == 1.0 and bad["slack"] < 0
    # an ERROR -> exit 2 even with a VIOLATED claim present; the message is kept
    p = ea("check", "fixture", "--json", "-", "--no-cache", plugins=True, error_fixture=True)
    assert p.returncode == 2
    d = json.loads(p.stdout)
    err = [r for r in d["results"] if r["id"] == "fixture.boom"][0]
    assert err["status"] == "ERROR" and "fixture failure on purpose" in err["message"]
    assert d["summary"]["ERROR"] == 1 and d["summary"]["VIOLATED"] == 1
    no_traceback(p)


def test_progress_bar_is_off_when_not_a_tty():
    p = ea("check", "fixture.amgm", "--no-cache", plugins=True)
    assert p.returncode == 0
    assert "\r" not in p.stderr and "task/s" not in p.stderr


def test_bad_data_files_exit_2(tmp_path):
    cases = {
        "bad.json": "{not json",
        "noy.json": json.dumps({"X": [[1, 0], [0, 1]]}),
        "ragged.json": json.dumps({"X": [[1, 0], [0]], "y": [1, -1]}),
        "shape.json": json.dumps({"X": [[1, 0], [0, 1]], "y": [1, -1, 2]}),
        "data.txt": "1 2 3",
    }
    for name, text in cases.items():
        f = tmp_path / name
        f.write_text(text)
        p = ea("check", "boursier2022.lemma2", "--data", str(f))
        assert p.returncode == 2, (name, p.stdout, p.stderr)
        assert "bad --data file" in p.stderr, (name, p.stderr)
        no_traceback(p)
    p = ea("check", "boursier2022.lemma2", "--data", str(tmp_path / "missing.npz"))
    assert p.returncode == 2 and "no such file" in p.stderr


def test_data_on_a_dataset_breaking_assumption_1(tmp_path):
    """boursier2022's DS-B (orthogonal, not normalised) must make Lemma 2 NOT_APPLICABLE, naming Assumption 1."""
    f = tmp_path / "dsb.json"
    f.write_text(json.dumps({"X": [[-0.5, 1.0], [2.0, 1.0]], "y": [-1.0, 1.0], "name": "DS-B"}))
    p = ea("check", "boursier2022.lemma2", "--data", str(f), "--json", "-", "--no-cache")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert [r["status"] for r in d["results"]] == ["NOT_APPLICABLE"] * 3
    assert all("Assumption 1" in r["message"] and "not normalised" in r["message"] for r in d["results"])


def test_data_with_npz_and_skips(tmp_path):
    import numpy as np

    f = tmp_path / "d.npz"
    np.savez(f, X=np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]]), y=np.array([1.0, -1.0, 1.0]))
    p = ea("check", "fixture.cauchy", "fixture.amgm", "--data", str(f), "--json", "-", "--no-cache", plugins=True)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert [r["id"] for r in d["results"]] == ["fixture.cauchy"] and d["results"][0]["status"] == "HOLDS"
    assert d["skipped"] == [{"id": "fixture.amgm", "reason": "not stated for a general dataset"}]
    p = ea("check", "fixture.amgm", "--data", str(f), plugins=True)
    assert p.returncode == 2 and "general dataset" in p.stderr


def test_inspect_shows_hypotheses_witness_knobs_and_writes_plots(tmp_path):
    p = ea("inspect", "fixture.taylor", "--out", str(tmp_path / "insp"), "--no-cache", plugins=True)
    assert p.returncode == 1, p.stderr  # the claim is VIOLATED
    out = p.stdout
    assert "statement:" in out and "VIOLATED" in out and "witness:" in out
    assert "holds iff coefficient K of x^2 <=" in out
    # a single measured grid point and no time series: no plot, and the output says so
    assert not list((tmp_path / "insp").glob("*.png")) and "plots: none (one grid point per instance" in out
    p = ea("inspect", "fixture.scaling", "--out", str(tmp_path / "insp2"), "--no-cache", plugins=True)
    assert p.returncode == 0
    assert "empirical threshold: λ=1e-8" in p.stdout and "not above" in p.stdout
    assert (tmp_path / "insp2" / "fixture.scaling_grid.png").is_file()
    assert f"plots: {tmp_path / 'insp2' / 'fixture.scaling_grid.png'}" in p.stdout
    p = ea("inspect", "fixture.scaling", "--instance", "7", "--no-cache", plugins=True)
    assert p.returncode == 2 and "--instance" in p.stderr


def test_check_real_claims_json(tmp_path, fast_run):  # fast_run: the shared cache is warm
    # Lemmas 1-2 (all HOLDS; the paper's other claims include VIOLATED findings, which give exit code 1)
    p = ea("check", "boursier2022.lemma1", "boursier2022.lemma2", "--json", str(tmp_path / "b.json"), "--jobs", "2")
    assert p.returncode == 0, p.stdout + p.stderr
    d = json.loads((tmp_path / "b.json").read_text())
    assert d["summary"]["HOLDS"] == len(d["results"]) >= 8
    assert {r["id"] for r in d["results"]} == {"boursier2022.lemma1", "boursier2022.lemma2.i",
                                               "boursier2022.lemma2.ii", "boursier2022.lemma2.iii"}


def test_inspect_real_claim_from_the_cache(tmp_path, fast_run):
    p = ea("inspect", "boursier2022.lemma2.ii", "--instance", "DS-A", "--out", str(tmp_path), "--jobs", "1")
    assert p.returncode == 0, p.stderr
    assert "[ok] Assumption 1" in p.stdout and "eps admissible" in p.stdout
    assert "holds iff exponent p in 1 - 2 lambda^(p eps) <=" in p.stdout
    assert (tmp_path / "boursier2022.lemma2.ii_grid.png").is_file()
    assert list(tmp_path.glob("boursier2022.lemma2.ii_series_*.png"))


def test_reproduce(tmp_path):
    p = ea("reproduce", "--list", plugins=True)
    assert p.returncode == 0 and "fixture.fig1" in p.stdout
    p = ea("reproduce", "nosuch.fig", plugins=True)
    assert p.returncode == 2 and "unknown figure" in p.stderr
    p = ea("reproduce", "fixture.fig1", "--out", str(tmp_path), plugins=True)
    assert p.returncode == 0 and (tmp_path / "fixture_fig1.png").is_file()
