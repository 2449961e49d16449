"""`earlyalign report` through the console script: every claim has a row in index.html (and report.md,
results.json), the HTML is self-contained, statements are rendered as math, findings list the
VIOLATED fixture claim with its witness, and the dependency graphs are drawn.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checks.cache import code_version

FIXTURE = str(Path(__file__).with_name("fixture_claims.py"))
SHARED_CACHE = Path(tempfile.gettempdir()) / f"earlyalign-test-cache-{code_version()}"
EXE = shutil.which("earlyalign")

if EXE is None:  # the console script is part of the contract: fail loudly rather than skip
    raise RuntimeError("console script `earlyalign` not on PATH: install the project with `pip install -e .`")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows = {}
        self.refs = []
        self.math = []
        self.ids = set()
        self._row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "tr" and "data-claim-id" in a:
            self.rows[a["data-claim-id"]] = a.get("data-status")
        for k in ("src", "href"):
            if k in a:
                self.refs.append(a[k])
        if tag == "img" and a.get("class") == "math":
            self.math.append(a)
        if tag in ("script", "link", "iframe"):
            self.refs.append(f"<{tag}>")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("rep") / "earlyalign-report"
    env = dict(os.environ)
    env["EARLYALIGN_CACHE_DIR"] = str(SHARED_CACHE)
    env["EARLYALIGN_PLUGINS"] = FIXTURE
    env.pop("EARLYALIGN_FIXTURE_ERROR", None)
    p = subprocess.run([EXE, "report", "--out", str(out), "--jobs", "2"], capture_output=True, text=True, env=env,
                       timeout=900)
    return p, out


def test_report_exit_code_and_files(report):
    p, out = report
    assert p.returncode == 0, p.stdout + p.stderr
    for f in ("index.html", "report.md", "results.json"):
        assert (out / f).is_file(), f
    assert (out / "graphs" / "boursier2022.png").is_file() and (out / "graphs" / "fixture.png").is_file()
    assert list((out / "plots").glob("*.png"))
    assert "report written to" in p.stdout


def test_every_claim_has_a_row_with_its_status(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    expected = {c["id"]: c["status"] for c in data["claims"]}
    listed = subprocess.run([EXE, "list", "--json"], capture_output=True, text=True,
                            env={**os.environ, "EARLYALIGN_PLUGINS": FIXTURE}).stdout
    assert set(expected) == {r["id"] for r in json.loads(listed)}
    h = _Collect()
    h.feed((out / "index.html").read_text(encoding="utf-8"))
    assert h.rows == expected
    md = (out / "report.md").read_text(encoding="utf-8")
    for cid, st in expected.items():
        assert f"| `{cid}` |" in md and f"**{st}**" in md
    # the paper's claims are in the paper's order (the order of `earlyalign list`, the module's order)
    paper_order = [r["id"] for r in json.loads(listed) if r["id"].startswith("boursier2022.")]
    assert [cid for cid in h.rows if cid.startswith("boursier2022.")] == paper_order
    # ... which is the order of the paper's result graph: the assumptions first, Lemma 1 before Lemma 2
    i = paper_order.index("boursier2022.lemma2.i")
    assert paper_order[0] == "boursier2022.assumption1" and paper_order.index("boursier2022.lemma1") < i
    assert paper_order[i:i + 3] == ["boursier2022.lemma2.i", "boursier2022.lemma2.ii", "boursier2022.lemma2.iii"]


def test_html_is_self_contained_with_rendered_math(report):
    _, out = report
    h = _Collect()
    h.feed((out / "index.html").read_text(encoding="utf-8"))
    assert all(r.startswith(("data:", "#")) for r in h.refs), [r for r in h.refs if not r.startswith(("data:", "#"))]
    assert h.math and all(m["src"].startswith("data:image/svg+xml;base64,") for m in h.math)
    alts = {m["alt"] for m in h.math}
    assert r"\langle \mathbf{w}_j^{t_1}, D_+\rangle \geq \|D_+\| \left(1 - 2 \lambda^{\varepsilon}\right)" in alts
    assert {"legend", "summary", "findings", "paper-boursier2022"} <= h.ids
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "never a proof" in html


def test_findings_and_summary_are_computed(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    f = {(x["kind"], x["id"]) for x in data["findings"]}
    assert ("VIOLATED", "fixture.taylor") in f
    assert ("THRESHOLD", "fixture.scaling") in f and ("NOT_APPLICABLE", "fixture.hyp") in f
    tay = [x for x in data["findings"] if x["id"] == "fixture.taylor" and x["kind"] == "VIOLATED"][0]
    assert "x_point=1" in tay["text"] and "holds iff coefficient K of x^2 <=" in tay["text"]
    # summary counts agree with the per-claim statuses
    counts = {}
    for c in data["claims"]:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    assert all(data["claim_summary"][k] == v for k, v in counts.items())
    fx = [c["status"] for c in data["claims"] if c["id"].startswith("fixture.")]
    assert fx.count("NOT_CHECKABLE") == 1 and fx.count("VIOLATED") == 1
    # graph statuses: Lemma B (VIOLATED) makes Theorem C rest on a failing result
    g = [p for p in data["papers"] if p["key"] == "fixture"][0]["graph"]
    assert g["status"]["bad"] == "VIOLATED" and g["rests_on_violated"] == ["main"]
    b = [p for p in data["papers"] if p["key"] == "boursier2022"][0]["graph"]
    assert b["status"]["lemma2"] == "HOLDS" and b["claims"]["lemma2"] >= 3
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Findings" in md and "fixture.taylor" in md.split("## Findings")[1]


def test_graph_node_status_ignores_findings_unless_alone():
    from checks.report import graph_status
    from theory.claims import Paper, Result

    paper = Paper(key="p", title="t", authors="a", venue="v", source="s", catalog="c", order=0,
                  results=[Result("r1", "Lemma 1", "§1", "lemma", (), ""), Result("r2", "Lemma 2", "§2", "lemma", (), "")])
    rows = [{"paper": "p", "result": "r1", "status": "HOLDS", "tags": []},
            {"paper": "p", "result": "r1", "status": "VIOLATED", "tags": ["finding"]},
            {"paper": "p", "result": "r2", "status": "VIOLATED", "tags": ["finding"]}]
    st, cnt = graph_status(paper, rows)
    assert st == {"r1": "HOLDS", "r2": "VIOLATED"} and cnt == {"r1": 2, "r2": 1}
