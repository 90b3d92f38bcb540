"""The data-quality report as a data owner sees it: opened in a real headless Chromium (Debian's
`chromium`, driven by Playwright), offline, on screen and in print. Saves a screenshot under
output/test_screenshots/. Skips with a reason when no Chromium is installed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from test_quality import AS_OF, _defect_extract, _story

from helpers import REPO, offline_page

SHOTS = REPO / "output" / "test_screenshots"


def _report(layers, workspace) -> tuple[Path, dict]:
    """Two deliveries from one source folder, assessed as the pipeline does: a clean one
    (list checked, published) and then the defect extract (blocked before the list)."""
    from pipeline import quality
    from pipeline.quality import report

    first = _story(False).write(workspace.root / "deliveries" / "2016-11")
    second = _defect_extract(workspace.root / "deliveries" / "2016-12")["folder"]
    lay = layers(first).score(AS_OF)
    a = quality.assess_staged(lay.con, lay.settings, AS_OF, "run-1")
    doc = report.build_document(a, lay.settings.quality.max_failing_ids)
    checks, listed = quality.assess_list(lay.con, lay.settings, AS_OF, a.parameters)
    doc = report.with_list_checks(doc, checks, listed)
    quality.record_list(lay.con, "run-1", [quality.Check.from_dict(c) for c in doc["checks"]], listed)
    lay = layers(second).score(AS_OF)
    b = quality.assess_staged(lay.con, lay.settings, AS_OF, "run-2")
    doc = report.build_document(b, lay.settings.quality.max_failing_ids)
    paths = report.write(doc, workspace.root / "out")
    return paths["html"], doc


def test_report_opens_offline_in_chromium_and_shows_verdict_tables_and_trend(layers, workspace):
    html, doc = _report(layers, workspace)
    assert doc["verdict"] == "fail" and len(doc["trend"]) == 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with offline_page(outside) as page:
        page.goto(html.as_uri())
        verdict = page.locator("[data-verdict]")
        assert verdict.is_visible()
        assert verdict.get_attribute("data-verdict") == "fail"
        assert "FAIL" in verdict.inner_text() and "Not fit to publish" in verdict.inner_text()
        assert AS_OF.isoformat() in page.locator("h1").inner_text()
        top = page.locator("#verdict")  # verdict, as-of, run id and the extracts with sha256
        assert top.locator("#extracts").is_visible()
        assert doc["run_id"] in top.inner_text()
        for f in doc["extracts"]:
            assert f["sha256"] in top.inner_text()
        for table in ("incidents", "persons", "involvements"):
            card = page.locator(f'.card[data-table="{table}"]')
            assert card.is_visible()
            assert f"{doc['tables'][table]['rows_read']:,}" in card.inner_text()
        tables = page.locator("table.checks")
        assert tables.count() == 4
        for i in range(4):
            assert tables.nth(i).is_visible()
        assert page.locator("table.checks tbody tr").count() == len(doc["checks"]) == 46
        row = page.locator("table.checks tbody tr", has_text="incidents__date_not_future")
        assert row.is_visible() and "error · blocks" in row.inner_text() and "IFUTURE" in row.inner_text()
        attention = page.locator("#attention li")
        assert attention.count() == len(doc["summary"]["failed_checks"])
        assert page.locator("#trend svg").count() == 2 and page.locator("#trend svg").first.is_visible()
        # nothing wider than the window, nothing fetched from outside the file
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SHOTS / "data_quality_report.png"), full_page=True)
        page.emulate_media(media="print")
        assert page.locator("[data-verdict]").is_visible()
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
        (SHOTS / "data_quality_report.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert outside == []
    assert (SHOTS / "data_quality_report.png").stat().st_size > 50_000


def test_values_are_escaped(layers, workspace):
    """A hostile value (say an id that is markup) is shown as text, never run as HTML."""
    from pipeline.quality import report

    _, doc = _report(layers, workspace)
    doc = json.loads(json.dumps(doc))
    doc["checks"][1]["failing_ids"] = ['<script>alert("x")</script>', "a&b"]
    doc["extracts"][0]["extract"] = "<img src=x onerror=alert(1)>"
    html = report.render_html(doc)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "a&amp;b" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert dt.date.fromisoformat(doc["as_of"]) == AS_OF
