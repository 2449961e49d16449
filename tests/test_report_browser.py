"""The HTML report opened in a real headless browser (Debian's ``chromium``, driven over the DevTools protocol
by tests/headless.py, no third-party package).

A small report is written from the fixture plugins (papers "fixture" and "fxreport": a few seconds) and
opened offline at 1280 x 900 CSS px. Checked: the page loads with no network request (everything is file: or
data:), every image decodes, every formula is drawn (its ``<use>`` resolves to a symbol whose glyphs exist, and
it has a size), the findings table and each paper's section (with its graph) are present, every in-page link
has a target, and nothing makes the page wider than the window (with every ``<details>`` unfolded).

Set ``EARLYALIGN_BROWSER_REPORT=/path/to/index.html`` to check a real report too (e.g. the full run's), and
``EARLYALIGN_SHOTS=DIR`` to save screenshots. Skips, saying why, only when no Chromium-family browser exists
(``.ci/run`` installs Debian's ``chromium``).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from headless import Browser, find_browser  # noqa: E402

HERE = Path(__file__).parent
PLUGINS = f"{HERE / 'fixture_claims.py'},{HERE / 'fixture_report_claims.py'}"
BROWSER = find_browser()

pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium-family browser on PATH (Debian: apt-get install "
                                                        "-y chromium; .ci/run installs it): browser test not run")

PROBE = r"""
(async () => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const de = document.documentElement;
  const imgs = await Promise.all([...document.images].map(i => i.decode().then(
      () => ({ok: i.naturalWidth > 0, alt: i.alt}), () => ({ok: false, alt: i.alt}))));
  const math = [...document.querySelectorAll('svg.math')].map(s => {
    const u = s.querySelector('use');
    const id = u ? (u.getAttribute('href') || '').slice(1) : '';
    const sym = id ? document.getElementById(id) : null;
    const glyphs = sym ? [...sym.querySelectorAll('use')].map(g => (g.getAttribute('href') || '').slice(1)) : [];
    const missing = glyphs.filter(g => !document.getElementById(g));
    const r = s.getBoundingClientRect();
    return {ok: !!sym && sym.tagName === 'symbol' && missing.length === 0 && r.width > 0 && r.height > 0,
            label: s.getAttribute('aria-label')};
  });
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    if (e.closest('.scroll, .graphwrap, #math-sprite')) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > de.clientWidth + 1;
  }).slice(0, 8).map(e => e.tagName + '.' + (e.className.baseVal ?? e.className) + '#' + e.id);
  const links = [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1))
      .filter(id => id && !document.getElementById(id));
  return {scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, innerWidth: window.innerWidth, imgs, math,
          wide, brokenLinks: [...new Set(links)],
          mathSource: document.querySelectorAll('code.math-src').length,
          findingsTables: document.querySelectorAll('#findings table.findings').length,
          findingRows: [...document.querySelectorAll('#findings tr[data-finding]')].map(t => t.dataset.finding),
          overviewRows: [...document.querySelectorAll('#overview-table tr[data-paper]')].map(t => t.dataset.paper),
          papers: [...document.querySelectorAll('section.paper')].map(s => ({
              key: s.dataset.paper, graph: !!s.querySelector('svg.graph a.node'),
              claims: s.querySelectorAll('article.claim').length}))};
})()
"""


def _check_page(page, data: dict, shots: str | None, name: str):
    bad_requests = [u for u in page.requests if not u.startswith(("file://", "data:"))]
    assert bad_requests == [], f"network requests from an offline report: {bad_requests[:5]}"
    assert page.failed == [], page.failed
    r = page.eval(PROBE, timeout=120)
    assert r["innerWidth"] == 1280
    assert r["scrollWidth"] <= r["clientWidth"], f"horizontal overflow at 1280 px: {r['wide']}"
    assert r["wide"] == [], f"elements wider than the window: {r['wide']}"
    assert r["imgs"] and all(i["ok"] for i in r["imgs"]), [i["alt"] for i in r["imgs"] if not i["ok"]]
    assert r["math"] and all(m["ok"] for m in r["math"]), [m["label"] for m in r["math"] if not m["ok"]][:5]
    assert r["brokenLinks"] == [], r["brokenLinks"][:10]
    findings = [f["id"] for f in data["findings"]]
    assert r["findingRows"] == findings and (r["findingsTables"] >= 1 or not findings)
    keys = [p["key"] for p in data["papers"]]
    assert r["overviewRows"] == keys
    assert [p["key"] for p in r["papers"]] == keys
    for p in r["papers"]:
        assert p["graph"] and p["claims"] == len([c for c in data["claims"] if c["paper"] == p["key"]]), p
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.eval("window.scrollTo(0, 0)")
        page.screenshot(str(Path(shots) / f"{name}-front.png"))
    return r


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    """The fixture papers' report, written in-process (claims of two plugin papers, no flow engine: seconds)."""
    from theory import registry

    from checks.report import write_report
    from checks.runner import run_claims

    old = os.environ.get("EARLYALIGN_PLUGINS")
    os.environ["EARLYALIGN_PLUGINS"] = PLUGINS
    registry.reload()
    try:
        claims = registry.claims("fixture") + registry.claims("fxreport")
        run = run_claims(claims, quiet=True)
        out = tmp_path_factory.mktemp("browser") / "earlyalign-report"
        write_report(run, out)
    finally:
        if old is None:
            os.environ.pop("EARLYALIGN_PLUGINS", None)
        else:
            os.environ["EARLYALIGN_PLUGINS"] = old
        registry.reload()
    return out


def test_report_in_a_real_browser(small_report):
    data = json.loads((small_report / "results.json").read_text())
    assert {p["key"] for p in data["papers"]} == {"fixture", "fxreport"}
    with Browser(BROWSER) as b:
        page = b.open((small_report / "index.html").resolve().as_uri(), width=1280, height=900, offline=True)
        r = _check_page(page, data, os.environ.get("EARLYALIGN_SHOTS"), "fixture")
    assert "fxreport.printed" in r["findingRows"] and len(r["imgs"]) >= 2


@pytest.mark.skipif(not os.environ.get("EARLYALIGN_BROWSER_REPORT"),
                    reason="set EARLYALIGN_BROWSER_REPORT=path/to/index.html to check a real report in the browser")
def test_real_report_in_a_real_browser():
    html = Path(os.environ["EARLYALIGN_BROWSER_REPORT"]).resolve()
    data = json.loads((html.parent / "results.json").read_text())
    with Browser(BROWSER, timeout=180) as b:
        page = b.open(html.as_uri(), width=1280, height=900, offline=True, timeout=180)
        _check_page(page, data, os.environ.get("EARLYALIGN_SHOTS"), "real")
