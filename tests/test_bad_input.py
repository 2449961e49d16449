"""Bad input corpus (issue 11, item 18): every malformed dataset, option, environment value, output path and
plugin gives a clean exit (code 2, or the documented warning), a message naming the problem, no traceback, and
leaves every input file byte-for-byte unchanged.

The cases run in-process through ``checks.cli.main`` (what the console script calls) on the fixture plugin's
cheap claims; a few go through the console script itself (``test_console_script_cases``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest

from checks import cli
from theory import registry

FIXTURE = str(Path(__file__).with_name("fixture_claims.py"))
GOOD = {"X": [[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], "y": [1.0, -1.0, 1.0]}


def _json_case(obj=None, raw=None):
    def make(d: Path) -> Path:
        p = d / "data.json"
        p.write_text(raw if raw is not None else json.dumps(obj))
        return p
    return make


def _npz_case(**arrays):
    def make(d: Path) -> Path:
        p = d / "data.npz"
        np.savez(p, **arrays)
        return p
    return make


def _npz_member_not_npy(d: Path) -> Path:
    p = d / "data.npz"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("X.npy", _npy_bytes(np.eye(2)))
        z.writestr("y", b"not an array")
    return p


def _npy_bytes(a):
    import io

    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def _single_npy(d: Path) -> Path:
    p = d / "data.npz"
    p.write_bytes(_npy_bytes(np.eye(2)))
    return p


def _deep_json(d: Path) -> Path:
    p = d / "data.json"
    p.write_text('{"X": ' + "[" * 100_000 + "]" * 100_000 + ', "y": [1]}')
    return p


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


def _with(**kw):
    return _json_case({**GOOD, **kw})


def _params(**kw):
    return _json_case({**GOOD, "params": kw})


# (name, dataset maker, expected message fragment); all through `check fixture.cauchy --data FILE`
DATA_CASES = [
    ("invalid JSON", _json_case(raw="{bad json"), "invalid JSON"),
    ("empty file", _json_case(raw=""), "invalid JSON"),
    ("not UTF-8", lambda d: _write(d / "data.json", b"\xff\xfe{"), "not UTF-8"),
    ("top level a list", _json_case([1, 2]), "top level must be an object"),
    ("missing X", _json_case({"y": [1.0]}), "missing key 'X'"),
    ("missing y", _json_case({"X": [[1.0]]}), "missing key 'y'"),
    ("unknown key", _with(Z=1), "unknown key(s) ['Z']"),
    ("X not a list", _with(X=5), "'X' must be a non-empty list"),
    ("X empty", _with(X=[]), "'X' must be a non-empty list"),
    ("X row not a list", _with(X=[1.0, 2.0, 3.0]), "X row 0 is float"),
    ("ragged X", _with(X=[[1.0, 2.0], [3.0], [0.5, 0.5]]), "ragged X"),
    ("string entry", _with(X=[[1.0, "a"], [3.0, -1.0], [0.5, 0.5]]), "X[0][1] = 'a' is not a number"),
    ("bool entry", _with(X=[[True, 1.0], [3.0, -1.0], [0.5, 0.5]]), "is not a number"),
    ("NaN entry", _json_case(raw='{"X": [[NaN, 1.0], [3.0, -1.0], [0.5, 0.5]], "y": [1, -1, 1]}'), "is not finite"),
    ("Infinity entry", _json_case(raw='{"X": [[Infinity, 1.0], [3.0, -1.0], [0.5, 0.5]], "y": [1, -1, 1]}'),
     "is not finite"),
    ("1e400 literal", _json_case(raw='{"X": [[1e400, 1.0], [3.0, -1.0], [0.5, 0.5]], "y": [1, -1, 1]}'),
     "is not finite"),
    ("integer of 400 digits", _json_case(raw='{"X": [[1' + "0" * 400 + ', 1.0], [3.0, -1.0], [0.5, 0.5]], '
                                                '"y": [1, -1, 1]}'), "too large for a float"),
    ("integer of 5000 digits", _json_case(raw='{"X": [[1' + "0" * 5000 + ', 1.0]], "y": [1]}'),
     "unreadable JSON number"),
    ("nesting 100k deep", _deep_json, "nested too deeply"),
    ("y not a list", _with(y=3), "'y' must be a list"),
    ("y too short", _with(y=[1.0, -1.0]), "y"),
    ("y string entry", _with(y=[1.0, "b", 1.0]), "y[1] = 'b' is not a number"),
    ("name not a string", _with(name=5), "'name' must be a string"),
    ("params not an object", _with(params=[1]), "'params' must be an object"),
    ("params unknown key", _params(width=3), "unknown params ['width']"),
    ("m not an integer", _params(m=2.9), "params.m = 2.9 must be an integer"),
    ("m a string", _params(m="abc"), "params.m = 'abc' must be an integer"),
    ("m zero", _params(m=0), "params.m = 0 must be >= 1"),
    ("seed negative", _params(seed=-1), "params.seed = -1 must be >= 0"),
    ("eps negative", _params(eps=-0.1), "params.eps = -0.1 must be > 0"),
    ("lam negative", _params(lam=-1), "params.lam = -1 must be > 0"),
    ("lam10_grid empty", _params(lam10_grid=[]), "params.lam10_grid = [] must be a non-empty list"),
    ("init unknown", _params(init="xavier"), "params.init = 'xavier' must be one of"),
    ("gamma a string", _with(gamma="x"), "gamma"),
    ("gamma out of range", _with(gamma=2.0), "gamma"),
    ("loss unknown", _with(loss="hinge"), "loss"),
    ("reduction unknown", _with(reduction="median"), "reduction"),
    ("logistic with labels 0/1", _with(loss="logistic", y=[1.0, 0.0, 1.0]), "labels"),
    ("npz: a single .npy", _single_npy, "single .npy array"),
    ("npz: not a zip", lambda d: _write(d / "data.npz", b"hello"), "not a readable NPZ"),
    ("npz: missing X", _npz_case(y=np.ones(2)), "missing array 'X'"),
    ("npz: missing y", _npz_case(X=np.eye(2)), "missing array 'y'"),
    ("npz: unknown array", _npz_case(X=np.eye(2), y=np.ones(2), Z=np.ones(1)), "unknown array(s) ['Z']"),
    ("npz: object array", _npz_case(X=np.array([[1, "a"]], dtype=object), y=np.ones(1)), "without pickles"),
    ("npz: string dtype", _npz_case(X=np.array([["a", "b"]]), y=np.ones(1)), "not numbers"),
    ("npz: member not .npy", _npz_member_not_npy, "is not a .npy array"),
    ("npz: X 1-D", _npz_case(X=np.ones(3), y=np.ones(3)), "X"),
    ("npz: NaN in X", _npz_case(X=np.array([[np.nan, 1.0]]), y=np.ones(1)), "finite"),
    ("directory as --data", lambda d: (d / "data.json").mkdir() or d / "data.json", "is a directory"),
    ("directory without extension as --data", lambda d: (d / "adir").mkdir() or d / "adir", "is a directory"),
    ("no such file", lambda d: d / "absent.json", "no such file"),
    ("unknown extension", lambda d: _write(d / "data.csv", b"1,2"), "unknown extension"),
]


def _digest(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture
def fixture_plugin(monkeypatch, tmp_path):
    monkeypatch.setenv("EARLYALIGN_PLUGINS", FIXTURE)
    monkeypatch.setenv("EARLYALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("EARLYALIGN_MP_BUDGET_S", raising=False)
    registry.reload()
    yield
    registry.reload()


def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_clean(code, out, err, fragment, expect_code=2):
    assert code == expect_code, (code, out[-500:], err[-2000:])
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert fragment in err, (fragment, err)


@pytest.mark.parametrize("name,make,fragment", DATA_CASES, ids=[c[0] for c in DATA_CASES])
def test_bad_dataset(name, make, fragment, tmp_path, capsys, fixture_plugin):
    d = tmp_path / "in"
    d.mkdir()
    path = make(d)
    before = _digest(d)
    code, out, err = run_cli(capsys, "check", "fixture.cauchy", "--data", str(path), "--jobs", "1", "--quiet")
    assert_clean(code, out, err, fragment)
    assert _digest(d) == before, "an input file changed"


# (name, argv (DATA / OUT are replaced by paths), env, expected code, message fragment)
OPTION_CASES = [
    ("--timeout inf", ["check", "fixture.amgm", "--timeout", "inf"], {}, 2, "argument --timeout: must be a finite number"),
    ("--timeout nan", ["check", "fixture.amgm", "--timeout", "nan"], {}, 2, "argument --timeout: must be a finite number"),
    ("--timeout -1", ["check", "fixture.amgm", "--timeout", "-1"], {}, 2, "argument --timeout: must be a finite number"),
    ("--timeout abc", ["check", "fixture.amgm", "--timeout", "abc"], {}, 2, "not a number of seconds"),
    ("--jobs 0", ["check", "fixture.amgm", "--jobs", "0"], {}, 2, "argument --jobs/-j: must be >= 1"),
    ("--jobs -2", ["check", "fixture.amgm", "--jobs", "-2"], {}, 2, "argument --jobs/-j: must be >= 1"),
    ("--jobs x", ["check", "fixture.amgm", "--jobs", "x"], {}, 2, "argument --jobs/-j: not an integer"),
    ("--tier medium", ["check", "fixture.amgm", "--tier", "medium"], {}, 2, "invalid choice: 'medium'"),
    ("budget abc", ["check", "fixture.amgm"], {"EARLYALIGN_MP_BUDGET_S": "abc"}, 2,
     "EARLYALIGN_MP_BUDGET_S='abc' is not a number"),
    ("budget -5", ["check", "fixture.amgm"], {"EARLYALIGN_MP_BUDGET_S": "-5"}, 2, "must be a finite number of seconds"),
    ("budget inf", ["check", "fixture.amgm"], {"EARLYALIGN_MP_BUDGET_S": "inf"}, 2, "must be a finite number of seconds"),
    ("--json ''", ["check", "fixture.amgm", "--json", ""], {}, 2, "--json needs a file name"),
    ("--json = --data", ["check", "fixture.cauchy", "--data", "DATA", "--json", "DATA"], {}, 2,
     "is the --data input: refusing to write over it"),
    ("--json a directory", ["check", "fixture.amgm", "--json", "OUTDIR"], {}, 2, "is a directory"),
    ("unknown claim", ["check", "fixture.nope"], {}, 2, "unknown claim id 'fixture.nope'"),
    ("unknown paper", ["check", "--paper", "nopaper"], {}, 2, "unknown paper 'nopaper'"),
    ("--data but no data claim", ["check", "fixture.amgm", "--data", "DATA"], {}, 2,
     "none of the selected claims is stated for a general dataset"),
    ("inspect --out a file", ["inspect", "fixture.amgm", "--out", "AFILE"], {}, 2, "it is a file, not a directory"),
    ("inspect --out under a file", ["inspect", "fixture.amgm", "--out", "AFILE/sub"], {}, 2, "cannot write to --out"),
    ("inspect --instance 99", ["inspect", "fixture.amgm", "--instance", "99"], {}, 2, "has 1 instance(s)"),
    ("inspect --data not general", ["inspect", "fixture.amgm", "--data", "DATA"], {}, 2,
     "not stated for a general dataset"),
    ("reproduce --out a file", ["reproduce", "fixture.fig1", "--out", "AFILE"], {}, 2, "it is a file, not a directory"),
    ("reproduce unknown figure", ["reproduce", "fixture.fig9"], {}, 2, "unknown figure 'fixture.fig9'"),
    ("report --out a file", ["report", "--paper", "fixture", "--out", "AFILE"], {}, 2, "it is a file, not a directory"),
    ("unusable --cache-dir", ["check", "fixture.amgm", "--cache-dir", "AFILE"], {}, 0,
     "cache directory AFILE is unusable (it is a file); running without a cache"),
]


@pytest.mark.parametrize("name,argv,env,code,fragment", OPTION_CASES, ids=[c[0] for c in OPTION_CASES])
def test_bad_option(name, argv, env, code, fragment, tmp_path, capsys, monkeypatch, fixture_plugin):
    d = tmp_path / "in"
    d.mkdir()
    data = d / "data.json"
    data.write_text(json.dumps(GOOD))
    afile = d / "afile.txt"
    afile.write_text("keep me")
    (d / "outdir").mkdir()
    subst = {"DATA": str(data), "AFILE": str(afile), "AFILE/sub": str(afile / "sub"), "OUTDIR": str(d / "outdir")}
    argv = [subst.get(a, a) for a in argv] + ["--quiet"] * (argv[0] in ("check", "report"))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    before = _digest(d)
    got, out, err = run_cli(capsys, *argv)
    fragment = fragment.replace("AFILE", str(afile))
    assert_clean(got, out, err, fragment, expect_code=code)
    assert _digest(d) == before, "an input file changed"


PLUGINS = [
    ("CLAIMS = 5", "CLAIMS = 5\n", "CLAIMS must be a list of Claim, got int"),
    ("CLAIMS = ['x']", "CLAIMS = ['x']\n", "CLAIMS must hold only Claim objects, found str"),
    ("PAPER = 'x'", "PAPER = 'x'\n", "PAPER must be a theory.paper.Paper, got str"),
    ("FIGURES = {}", "FIGURES = {}\n", "FIGURES must be a list of Figure, got dict"),
    ("DATASETS = 3", "DATASETS = 3\n", "DATASETS must be a dict of name -> callable"),
    ("sys.exit at import", "import sys\nsys.exit(3)\n", "called sys.exit(3) while being imported"),
    ("syntax error", "def f(:\n", "SyntaxError"),
    ("import error", "import no_such_module_xyz\n", "No module named 'no_such_module_xyz'"),
    ("raises at import", "raise RuntimeError('plugin broke')\n", "RuntimeError: plugin broke"),
]


@pytest.mark.parametrize("name,source,fragment", PLUGINS, ids=[p[0] for p in PLUGINS])
def test_bad_plugin_is_named_and_skipped(name, source, fragment, tmp_path, capsys, monkeypatch):
    plugin = tmp_path / "badplugin.py"
    plugin.write_text(source)
    monkeypatch.setenv("EARLYALIGN_PLUGINS", f"{plugin},{FIXTURE}")
    registry.reload()
    try:
        code, out, err = run_cli(capsys, "list")
    finally:
        monkeypatch.delenv("EARLYALIGN_PLUGINS")
        registry.reload()
    assert code == 0 and "fixture.amgm" in out          # the good plugin and the papers still load
    assert str(plugin) in err and fragment in err, err  # the bad one is named, with the reason
    assert "Traceback" not in out + err


def test_malformed_cache_entries_are_misses(tmp_path, capsys, fixture_plugin, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("EARLYALIGN_CACHE_DIR", str(cache))
    code, _, _ = run_cli(capsys, "check", "fixture.amgm", "--quiet")
    assert code == 0
    entries = list(cache.rglob("*.json"))
    assert len(entries) == 1
    for bad in ("{}", "[]", '{"id": "fixture.amgm", "instance": "x", "instance_key": "k", "status": "MAYBE"}'):
        entries[0].write_text(bad)
        code, out, err = run_cli(capsys, "check", "fixture.amgm", "--quiet")
        assert code == 0 and "HOLDS" in out
        assert f"ignoring malformed cache entry {entries[0]}" in err
        assert json.loads(entries[0].read_text())["status"] == "HOLDS"   # rewritten
    good = json.loads(entries[0].read_text())
    for field, value in (("hypotheses", [1, 2]), ("mutant", []), ("grid", ["x"]), ("slack", {"a": 1}),
                         ("control", {"no": "status"})):   # valid shapes at the top, wrong one level down
        entries[0].write_text(json.dumps({**good, field: value}))
        for cmd in (("check", "fixture.amgm", "--quiet"), ("inspect", "fixture.amgm", "--out", str(tmp_path / "i"))):
            code, out, err = run_cli(capsys, *cmd)
            assert code == 0 and "Traceback" not in out + err and "internal error" not in out + err, (field, cmd, err)
            assert f"ignoring malformed cache entry {entries[0]}" in err, (field, cmd, err)
            entries[0].write_text(json.dumps({**good, field: value}))


def test_budget_is_part_of_the_cache_key(tmp_path, capsys, fixture_plugin, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("EARLYALIGN_CACHE_DIR", str(cache))
    monkeypatch.setenv("EARLYALIGN_MP_BUDGET_S", "5")
    run_cli(capsys, "check", "fixture.amgm", "--quiet")
    monkeypatch.setenv("EARLYALIGN_MP_BUDGET_S", "500")
    run_cli(capsys, "check", "fixture.amgm", "--quiet")
    assert len(list(cache.rglob("*.json"))) == 2   # a refusal under one budget is never served under another


EXE = shutil.which("earlyalign")


@pytest.mark.skipif(EXE is None, reason="console script not installed")
@pytest.mark.parametrize("argv,fragment", [
    (["check", "fixture.amgm", "--timeout", "nan"], "must be a finite number of seconds"),
    (["check", "fixture.cauchy", "--data", "{d}/absent.json"], "no such file"),
    (["inspect", "fixture.amgm", "--out", "{d}/f.txt"], "it is a file, not a directory"),
])
def test_console_script_cases(argv, fragment, tmp_path):
    (tmp_path / "f.txt").write_text("x")
    env = {**os.environ, "EARLYALIGN_PLUGINS": FIXTURE, "EARLYALIGN_CACHE_DIR": str(tmp_path / "c")}
    env.pop("EARLYALIGN_MP_BUDGET_S", None)
    p = subprocess.run([EXE, *[a.format(d=tmp_path) for a in argv]], capture_output=True, text=True, env=env,
                       timeout=300)
    assert p.returncode == 2 and fragment in p.stderr and "Traceback" not in p.stderr + p.stdout, p.stderr


def test_corpus_size():
    assert len(DATA_CASES) + len(OPTION_CASES) + len(PLUGINS) >= 60
