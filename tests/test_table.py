"""checks.table: the markdown claims table of a results file (used by closing notes)."""
import json

from checks import table


def test_rows_follow_the_results_file(tmp_path, capsys):
    data = {"claims": [
        {"id": "p.a", "paper": "p", "status": "HOLDS", "slack": 0.0123456, "error_estimate": 1e-9, "precision": "mp30",
         "instance": "DS | x", "mutant": {"status": "VIOLATED"}, "control": None},
        {"id": "q.b", "paper": "q", "status": "VIOLATED", "slack": -2, "error_estimate": None, "precision": "float64",
         "instance": "I", "mutant": {"status": "VIOLATED"}, "control": {"status": "HOLDS"}}]}
    f = tmp_path / "r.json"
    f.write_text(json.dumps(data))
    assert table.main([str(f), "--paper", "p"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == "| p.a | HOLDS | 0.0123 | 1e-09 | mp30 | DS / x | VIOLATED | - |" and len(out) == 3
    assert table.main([str(f)]) == 0
    assert capsys.readouterr().out.splitlines()[3] == "| q.b | VIOLATED | -2 | - | float64 | I | VIOLATED | HOLDS |"


def test_not_a_results_file_is_a_clear_error(tmp_path, capsys):
    f = tmp_path / "x.json"
    f.write_text("[1, 2]")
    assert table.main([str(f)]) == 2
    assert "no 'claims' list" in capsys.readouterr().err
    assert table.main([str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
