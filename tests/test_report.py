"""`earlyalign report` through the console script: every claim has its entry in index.html (and report.md,
results.json) in the paper's order, the HTML is self-contained, statements are rendered as inline math (each
formula once), the front page counts claims per paper, the findings table gives the paper's words, the
measurement at the witness and the control (or "no control yet"), the diagnostics list the VIOLATED fixture
claim with its witness, witnesses are the tightest (HOLDS) / worst (VIOLATED) grid point, and the graphs are
drawn with clickable nodes. The report fixture paper is tests/fixture_report_claims.py.
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
FIXTURE2 = str(Path(__file__).with_name("fixture_report_claims.py"))
PLUGINS = f"{FIXTURE},{FIXTURE2}"
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
        self.symbols = []
        self.ids = set()
        self.graph_links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "article" and "data-claim-id" in a:
            self.rows[a["data-claim-id"]] = a.get("data-status")
        for k in ("src", "href"):
            if k in a:
                self.refs.append(a[k])
        if tag == "svg" and a.get("class") == "math":
            self.math.append(a)
        if tag == "symbol":
            self.symbols.append(a["id"])
        if tag == "a" and a.get("class") == "node":
            self.graph_links.append(a["href"])
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.refs.append(f"<{tag}>")


@pytest.fixture(scope="module")
def report(tmp_path_factory, fast_run):
    """The report of every registered claim plus the fixture papers, from the shared cache that ``fast_run`` fills
    (without it the report would compute the whole fast tier a second time)."""
    out = tmp_path_factory.mktemp("rep") / "earlyalign-report"
    env = dict(os.environ)
    env["EARLYALIGN_CACHE_DIR"] = str(SHARED_CACHE)
    env["EARLYALIGN_PLUGINS"] = PLUGINS
    env.pop("EARLYALIGN_FIXTURE_ERROR", None)
    p = subprocess.run([EXE, "report", "--out", str(out), "--jobs", "2"], capture_output=True, text=True, env=env,
                       timeout=900)
    return p, out


def test_report_exit_code_and_files(report):
    p, out = report
    # exit code 2: an ERROR claim (fxreport.noest, by design) is reported, the report is still written
    assert p.returncode == 2, p.stdout + p.stderr
    for f in ("index.html", "report.md", "results.json"):
        assert (out / f).is_file(), f
    assert (out / "graphs" / "boursier2022.png").is_file() and (out / "graphs" / "fixture.png").is_file()
    assert (out / "graphs" / "fxreport.png").is_file()
    assert list((out / "plots").glob("*.png"))
    assert "report written to" in p.stdout


def _html(out):
    h = _Collect()
    h.feed((out / "index.html").read_text(encoding="utf-8"))
    return h


def test_every_claim_has_an_entry_with_its_status_in_the_papers_order(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    expected = {c["id"]: c["status"] for c in data["claims"]}
    listed = subprocess.run([EXE, "list", "--json"], capture_output=True, text=True,
                            env={**os.environ, "EARLYALIGN_PLUGINS": PLUGINS}).stdout
    assert set(expected) == {r["id"] for r in json.loads(listed)}
    h = _html(out)
    assert h.rows == expected
    md = (out / "report.md").read_text(encoding="utf-8")
    for cid, st in expected.items():
        assert f"| `{cid}` |" in md and f"**{st}**" in md
    # the paper's order: by the position of the claim's result in the paper's numbering, then registration order
    for p in data["papers"]:
        order = [cid for cid in h.rows if cid.split(".")[0] == p["key"]]
        assert order == p["claim_order"], p["key"]
        pos = {r["id"]: k for k, r in enumerate(p["results"])}
        res = {c["id"]: c["result"] for c in data["claims"]}
        keys = [pos.get(res[c], len(pos)) for c in order]
        assert keys == sorted(keys), p["key"]
    fx = data["papers"][[p["key"] for p in data["papers"]].index("fxreport")]["claim_order"]
    assert fx == ["fxreport.box", "fxreport.printed", "fxreport.corrected", "fxreport.nocontrol", "fxreport.noest"]


def test_html_is_self_contained_with_each_formula_rendered_once(report):
    _, out = report
    h = _html(out)
    assert all(r.startswith(("data:", "#")) for r in h.refs), [r for r in h.refs if not r.startswith(("data:", "#"))]
    assert h.math and all(m.get("aria-label") for m in h.math)
    alts = {m["aria-label"] for m in h.math}
    assert r"\langle \mathbf{w}_j^{t_1}, D_+\rangle \geq \|D_+\| \left(1 - 2 \lambda^{\varepsilon}\right)" in alts
    # one <symbol> per distinct formula, every <use> of a formula points at one
    assert len(h.symbols) == len(set(h.symbols)) == len(alts)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "data:image/svg+xml" not in page and page.count('id="math-sprite"') == 1
    assert {"overview", "findings", "diagnostics", "legend", "paper-boursier2022", "paper-fxreport"} <= h.ids
    assert "never a proof" in page
    # the legend's emphasis is rendered, not shown as markdown asterisks
    assert "<em>held on these instances at this precision</em>" in page and "*held on" not in page
    # every in-page link has its target (graph nodes, findings -> claims and plots, overview -> papers)
    assert [r for r in h.refs if r.startswith("#") and r[1:] not in h.ids] == []


def test_overview_counts_per_paper(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    ov = {o["paper"]: o for o in data["overview"]}
    assert ov["fxreport"]["counts"] == {"HOLDS": 1, "VIOLATED": 3, "INCONCLUSIVE": 0, "NOT_APPLICABLE": 0,
                                        "ERROR": 1, "NOT_CHECKABLE": 0}
    assert ov["fxreport"]["findings"] == 2 and ov["fxreport"]["anchor"] == "#paper-fxreport"
    assert sum(sum(o["counts"].values()) for o in ov.values()) == len(data["claims"])
    page = (out / "index.html").read_text(encoding="utf-8")
    front = page[page.index("id='overview'"):page.index("id='findings'")]
    assert "href='#paper-fxreport'" in front and "total wall time" in front and data["code_version"] in front
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Overview" in md and "| [fxreport](#fxreport) | 1 | 3 | 0 | 0 | 1 | 0 | 5 | 2 |" in md


def test_findings_table(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    f = {x["id"]: x for x in data["findings"]}
    tagged = {c["id"] for c in data["claims"] if "finding" in c["tags"]}
    assert set(f) == tagged and {"fxreport.printed", "fxreport.nocontrol"} <= set(f)
    pr = f["fxreport.printed"]
    assert pr["label"] == "Lemma 1 (as printed)" and pr["section"] == "§2" and pr["lines"] == "l.20-24"
    assert pr["statement_latex"] == r"x^{2} \leq 2 x" and pr["status"] == "VIOLATED"
    # measured at the witness: the most negative slack, x = 3 (9 vs 6)
    m = pr["measured"]
    assert m["lhs"] == 9.0 and m["rhs"] == 6.0 and m["slack"] == -3.0 and m["witness"]["x_point"] == 3.0
    assert m["instance"] == "four points x in {0.5, 1, 1.5, 3}" and "at x_point=3.0" in m["text"]
    # the control holds, measured on the same points (tightest at x = 0.5: 4 * 0.5 - 0.25 = 1.75)
    c = pr["control"]
    assert c["status"] == "HOLDS" and c["slack"] == 1.75 and c["holds_on"] == c["instances"] == 1
    assert c["statement_latex"] == r"x^{2} \leq 4 x"
    nc = f["fxreport.nocontrol"]
    assert nc["control"] is None and nc["control_text"] == "no control yet"
    # a single measurement with no coordinate: the witness names no point, never an empty "at"
    assert nc["measured"]["witness_text"] == "" and " at " not in nc["measured"]["text"]
    assert pr["anchor"] == "#fxreport.printed"
    page = (out / "index.html").read_text(encoding="utf-8")
    table = page[page.index("id='findings-fxreport'"):page.index("id='diagnostics'")]
    assert "no control yet" in table and "href='#fxreport.printed'" in table and "x_point=3.0" in table
    md = (out / "report.md").read_text(encoding="utf-8")
    fmd = md[md.index("## Findings"):md.index("## Other diagnostics")]
    assert "| result | the paper states | we measured | the control that holds | links |" in fmd
    assert "*no control yet*" in fmd and "$x^{2} \\leq 4 x$" in fmd
    for text in (page, md, json.dumps(data)):
        assert "at ;" not in text and "at ." not in text


def test_diagnostics_and_summary_are_computed(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    f = {(x["kind"], x["id"]) for x in data["diagnostics"]}
    assert ("VIOLATED", "fixture.taylor") in f and ("ERROR", "fxreport.noest") in f
    assert ("THRESHOLD", "fixture.scaling") in f and ("NOT_APPLICABLE", "fixture.hyp") in f
    assert not any(k == "VIOLATED" and cid in {"fxreport.printed", "fxreport.nocontrol"} for k, cid in f)
    tay = [x for x in data["diagnostics"] if x["id"] == "fixture.taylor" and x["kind"] == "VIOLATED"][0]
    assert "x_point=1" in tay["text"] and "holds iff coefficient K of x^2 <=" in tay["text"]
    err = [x for x in data["diagnostics"] if x["id"] == "fxreport.noest"][0]
    assert "no error estimate for symbol 'x'" in err["text"]
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
    assert b["claims"]["lemma2"] >= 3
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Other diagnostics" in md and "fixture.taylor" in md.split("## Other diagnostics")[1]
    page = (out / "index.html").read_text(encoding="utf-8")
    art = page[page.index("id='fxreport.noest'"):]
    assert "no error estimate for symbol" in art[:art.index("</article>")]


def test_witness_is_the_tightest_or_worst_grid_point(report):
    """HOLDS: the grid point of smallest slack; VIOLATED: of most negative slack (rows tied at relative slack
    +-1 used to fall back to the first grid point)."""
    _, out = report
    data = json.loads((out / "results.json").read_text())
    box = [r for r in data["results"] if r["id"] == "fxreport.box"]
    held, viol = box
    assert held["status"] == "HOLDS" and held["witness"]["η"] == pytest.approx(0.16)
    assert held["slack"] == pytest.approx(0.14) and held["lhs"] == pytest.approx(0.14)
    assert viol["status"] == "VIOLATED" and viol["witness"]["η"] == pytest.approx(0.5) and viol["slack"] == pytest.approx(-0.2)
    summ = [c for c in data["claims"] if c["id"] == "fxreport.box"][0]
    assert summ["slack"] == pytest.approx(-0.2) and summ["instance"].startswith("box eta in {0.2")
    env = {**os.environ, "EARLYALIGN_PLUGINS": PLUGINS, "EARLYALIGN_CACHE_DIR": str(SHARED_CACHE)}
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([EXE, "inspect", "fxreport.box", "--out", tmp], capture_output=True, text=True, env=env)
        assert "witness (smallest slack over the grid, where the statement comes closest to failing): η=0.16;" in p.stdout
        assert "witness (most negative slack over the grid, where the statement fails worst): η=0.5;" in p.stdout
        p = subprocess.run([EXE, "inspect", "fxreport.box", "--json", "--out", tmp], capture_output=True, text=True,
                           env=env)
        res = json.loads(p.stdout)["results"]
        assert [r["witness"]["η"] for r in res] == pytest.approx([0.16, 0.5])


def test_graph_nodes_link_to_their_claims_and_colours(report):
    _, out = report
    data = json.loads((out / "results.json").read_text())
    g = [p for p in data["papers"] if p["key"] == "fxreport"][0]["graph"]
    # the printed Lemma 1 is VIOLATED (a finding) while its corrected reading holds: not green
    assert g["status"] == {"a1": "VIOLATED", "l1": "HOLDS_AS_CORRECTED", "l2": "VIOLATED", "t1": "ERROR"}
    h = _html(out)
    for rid in ("a1", "l1", "l2", "t1"):
        assert f"#res-fxreport-{rid}" in h.graph_links and f"res-fxreport-{rid}" in h.ids
    page = (out / "index.html").read_text(encoding="utf-8")
    sec = page[page.index("id='paper-fxreport'"):]
    assert "(no claim yet)" not in sec[:sec.index("</svg>")]


def test_graph_node_status_ignores_findings_unless_alone():
    from checks.graph import AS_CORRECTED
    from checks.report import graph_status
    from theory.claims import Paper, Result

    paper = Paper(key="p", title="t", authors="a", venue="v", source="s", catalog="c", order=0,
                  results=[Result("r1", "Lemma 1", "§1", "lemma", (), ""), Result("r2", "Lemma 2", "§2", "lemma", (), ""),
                           Result("r3", "Lemma 3", "§3", "lemma", (), ""), Result("r4", "Lemma 4", "§4", "lemma", (), "")])
    rows = [{"paper": "p", "result": "r1", "status": "HOLDS", "tags": []},
            {"paper": "p", "result": "r1", "status": "VIOLATED", "tags": ["finding"]},
            {"paper": "p", "result": "r2", "status": "VIOLATED", "tags": ["finding"]},
            {"paper": "p", "result": "r3", "status": "HOLDS", "tags": []},
            {"paper": "p", "result": "r3", "status": "HOLDS", "tags": ["finding"]}]
    st, cnt = graph_status(paper, rows)
    # r1: its printed statement is VIOLATED, so it is not painted green even though its corrected claim holds
    assert st == {"r1": AS_CORRECTED, "r2": "VIOLATED", "r3": "HOLDS", "r4": None}
    assert cnt == {"r1": 2, "r2": 1, "r3": 2, "r4": 0}


def test_graph_svg_says_not_run_rather_than_no_claim_yet():
    from checks.graph import graph_svg
    from theory.claims import Paper, Result

    paper = Paper(key="p", title="t", results=[Result("a5", "Assumption 5", "§1", "assumption"),
                                                Result("l1", "Lemma 1", "§2", "lemma", ("a5",))])
    svg = graph_svg(paper, {"a5": None, "l1": None}, {"a5": 0, "l1": 0}, href=lambda r: f"#res-p-{r}",
                    not_run={"a5"})
    assert ">(not in this run)</text>" in svg and svg.count(">(no claim yet)</text>") == 1 and 'href="#res-p-a5"' in svg


def test_a_result_stated_by_claims_filed_elsewhere_is_not_no_claim_yet():
    """boursier2024's Assumption 5 is stated (as printed) by a claim filed under Lemma 8: its node says so."""
    from checks.graph import graph_svg
    from checks.report import related_claims
    from theory.claims import Paper, Result

    paper = Paper(key="q", title="t", results=[Result("assumption5", "Assumption 5", "§1", "assumption"),
                                                Result("lemma8", "Lemma 8", "§2", "lemma", ("assumption5",)),
                                                Result("lemma1", "Lemma 1", "§3", "lemma")])
    rows = [{"paper": "q", "id": "q.assumption5", "label": "Assumption 5 (printed) on Assumption-3 data (Lemma 8)",
             "result": "lemma8", "status": "VIOLATED", "tags": ["finding"]},
            {"paper": "q", "id": "q.lemma10", "label": "Lemma 10 (i)", "result": "lemma8", "status": "HOLDS",
             "tags": []}]
    rel = related_claims(paper, rows, {"assumption5": 0, "lemma8": 2, "lemma1": 0})
    assert {k: [s["id"] for s in v] for k, v in rel.items()} == {"assumption5": ["q.assumption5"]}
    svg = graph_svg(paper, {"assumption5": None, "lemma8": "VIOLATED", "lemma1": None},
                    {"assumption5": 0, "lemma8": 2, "lemma1": 0}, href=lambda r: f"#res-q-{r}",
                    via={"assumption5": ("Lemma 8", 1)})
    a5 = svg[svg.index('data-result="assumption5"'):svg.index('data-result="lemma8"')]
    assert "claims under Lemma 8" in a5 and "no claim yet" not in a5


def test_unregistered_claims_get_their_paper_section(tmp_path):
    """A run of claims that no registry knows (a notebook's) still gets a section per paper, not only findings."""
    import sympy as sp

    from checks.report import write_report
    from checks.runner import run_claims
    from theory.claims import Claim, Instance, Measurement, Mutant

    x = sp.Symbol("x")
    c = Claim(id="nb.lemma", paper="nb", label="Lemma N", where="-", kind="closed-form", statement=sp.Le(x, 2),
              instances=lambda t: [Instance("i", {})], measure=lambda i, p, q: Measurement({"x": 1.5}, exact=True),
              mutant=Mutant(sp.Le(x, 1), "1"))
    paths = write_report(run_claims([c], quiet=True), tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert "id='paper-nb'" in html or 'id="paper-nb"' in html
    data = json.loads(paths["json"].read_text())
    assert [p["key"] for p in data["papers"]] == ["nb"]
