"""The panel's files as people meet them: the pack (HTML in headless Chromium, PDF pages as
images via pdftoppm, text via pdftotext), the priority-list workbook opened and converted back
by LibreOffice, and a whole cycle run through Dagster. Screenshots go to
output/test_screenshots/. Tools that are not installed make their test skip with the reason."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import panel_case as case
import pytest

from helpers import REPO, offline_page

SHOTS = REPO / "output" / "test_screenshots"
SOFFICE = shutil.which("soffice")
PDFTOPPM, PDFTOTEXT = shutil.which("pdftoppm"), shutil.which("pdftotext")
ALL_NAMES = [n for pair in {**case.NAMES, **case.VICTIM_NAMES}.values() for n in pair]


def _published(layers, workspace, story, include_names=False):
    """The case scored, published (list, workbook) and its packs and outcomes written."""
    from pipeline.outputs import publish as list_publish
    from pipeline.panel import publish
    from pipeline.panel.tables import build_tables

    extract, decisions = case.write(story, workspace.root)
    lay = layers(extract, **case.sections(decisions, output={"include_names": include_names}))
    lay.score(case.AS_OF)
    build_tables(lay.con, lay.settings, case.AS_OF)
    out = workspace.root / "out"
    list_publish.publish(lay.con, lay.settings, out, case.AS_OF, manifest={}, version="test")
    packs = publish.write_packs(lay.con, lay.settings, case.AS_OF, out)
    outcomes = publish.write_outcomes(lay.con, lay.settings, case.AS_OF, out)
    return out, packs, outcomes


def _pdf_text(path: Path) -> str:
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_packs_html_and_pdf_pages_ids_only(layers, workspace, story):
    if not (PDFTOPPM and PDFTOTEXT):
        pytest.skip("pdftoppm/pdftotext not found (Debian: apt-get install poppler-utils)")
    _, packs, outcomes = _published(layers, workspace, story)
    assert {a: w["folder"] for a, w in packs.items()} == {
        "North": "north", "South": "south", "unknown": "unknown"}
    assert {a: (w["listed"], w["in_pack"], w["adopted"]) for a, w in packs.items()} == {
        "North": (2, 2, 0), "South": (2, 2, 1), "unknown": (1, 1, 0)}
    SHOTS.mkdir(parents=True, exist_ok=True)
    for area, pages in (("North", 3), ("South", 3), ("unknown", 2)):
        pdf = Path(packs[area]["paths"]["pdf"])
        html = Path(packs[area]["paths"]["html"]).read_text(encoding="utf-8")
        prefix = SHOTS / f"panel_pack_{packs[area]['folder']}"
        for old in SHOTS.glob(f"{prefix.name}-*.png"):
            old.unlink()
        subprocess.run([PDFTOPPM, "-png", "-r", "50", str(pdf), str(prefix)], check=True)
        assert len(list(SHOTS.glob(f"{prefix.name}-*.png"))) == pages  # cover + one per person
        text = _pdf_text(pdf)
        assert f"MATAC panel pack: {area}" in text and "Page 1 of" in text
        assert "as of 2025-03-02" in text
        for name in ALL_NAMES + ["OFFICIAL-SENSITIVE"]:
            assert name not in html and name not in text, name
    south = _pdf_text(Path(packs["South"]["paths"]["pdf"]))
    assert "discharged 2025-02-26" in south and "adopted 2024-09-01" in south
    assert "<script" not in html and not any(
        ref in html for ref in ('src="http', 'href="http', "url(http", "@import"))
    outcomes_html = Path(outcomes["paths"]["html"]).read_text(encoding="utf-8")
    assert "not a controlled trial" in outcomes_html and "Aldric" not in outcomes_html
    assert outcomes["decisions_quarantined"] == 4


def test_pack_with_names_is_marked(layers, workspace, story):
    if not PDFTOTEXT:
        pytest.skip("pdftotext not found (Debian: apt-get install poppler-utils)")
    _, packs, _ = _published(layers, workspace, story, include_names=True)
    html = Path(packs["North"]["paths"]["html"]).read_text(encoding="utf-8")
    text = _pdf_text(Path(packs["North"]["paths"]["pdf"]))
    for doc in (html, text):
        assert "QUENBY, Bartholomew" in doc and "RAVENSWORTH, Cuthbert" in doc
        assert doc.count("OFFICIAL-SENSITIVE") >= 2
    pages = text.split("\f")
    assert all("OFFICIAL-SENSITIVE" in p for p in pages if p.strip())  # header/footer of each page
    assert "Victimsurname" not in html and "Victimsurname" not in text  # victims: ids only


def test_pack_in_chromium(layers, workspace, story):
    _, packs, _ = _published(layers, workspace, story)
    outside: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    with offline_page(outside, {"width": 1100, "height": 900}) as page:
        page.goto(Path(packs["South"]["paths"]["html"]).as_uri())
        assert "MATAC panel pack: South" in page.locator("h1").first.inner_text()
        rows = page.locator("#pack-table tbody tr")
        assert rows.count() == 2 and "PA" in rows.nth(0).inner_text()
        assert "discharged 2025-02-26" in rows.nth(0).inner_text()
        assert page.locator("section.perpetrator").count() == 2
        assert page.locator("#harm-chart svg").is_visible()
        assert page.locator("section.perpetrator .trajectory svg").count() == 2
        timeline = page.locator('[data-perpetrator="PA"] table.timeline tbody tr')
        assert timeline.count() == 4 and "V13 (partner)" in timeline.nth(3).inner_text()
        person = page.locator('section.perpetrator[data-perpetrator="PA"]').inner_text()
        assert "(one person by: shared PNC id)" in person, person[:300]  # identity basis
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(SHOTS / "panel_pack_south.png"), full_page=True)
    assert outside == []
    assert (SHOTS / "panel_pack_south.png").stat().st_size > 30_000


def _read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_workbook_opens_in_libreoffice_with_area_sheets_and_print_setup(layers, workspace, story, tmp_path):
    if not SOFFICE:
        pytest.skip("LibreOffice not found (Debian: apt-get install libreoffice-calc-nogui)")
    openpyxl = pytest.importorskip("openpyxl")
    out, _, _ = _published(layers, workspace, story)
    xlsx = out / "priority_list.xlsx"
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Priority list", "North", "South", "unknown", "Incidents",
                             "Identity review", "About"]
    ws = wb["Priority list"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$1"
    assert "as of 2025-03-02" in ws.oddFooter.left.text and ws.oddFooter.right.text == "Page &P of &N"
    conv = tmp_path / "lo"
    filt = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", filt, "--outdir", str(conv), str(xlsx)], check=False,
        capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    listed = _read_csv(out / "priority_list.csv")
    assert _read_csv(conv / "priority_list-Priority list.csv") == listed
    area_col = listed[0].index("area")
    for area in ("North", "South", "unknown"):
        expected = [listed[0]] + [r for r in listed[1:] if r[area_col] == area]
        assert _read_csv(conv / f"priority_list-{area}.csv") == expected
    incidents = _read_csv(conv / "priority_list-Incidents.csv")
    assert incidents == _read_csv(out / "priority_incidents.csv")


def test_cycle_run_publishes_packs_and_outcomes_through_dagster(workspace, story):
    """`matac run` on the case at its as-of date: the panel assets run after publication, write
    every area's pack and the outcomes, and report areas, listed per area and adoptions as
    metadata (no names)."""
    import dagster as dg

    from pipeline.orchestration import runner

    extract, decisions = case.write(story, workspace.root)
    config = workspace.config(**case.sections(decisions, panel={"pdf": False}))
    out = workspace.root / "run"
    outcome = runner.run_cycle([str(extract)], as_of=case.AS_OF, out=str(out), config=str(config))
    assert outcome.exit_code == 0, outcome.message
    for folder in ("north", "south", "unknown"):
        assert (out / "panel" / folder / "panel_pack.html").is_file()
        assert not (out / "panel" / folder / "panel_pack.pdf").exists()  # panel.pdf: false
    rows = _read_csv(out / "panel" / "panel_outcomes.csv")
    assert [r[0] for r in rows[1:]] == ["PA", "PD"]
    instance = dg.DagsterInstance.get()
    pack_meta = instance.get_latest_materialization_event(
        dg.AssetKey("panel_pack")).asset_materialization.metadata
    assert pack_meta["areas"].value == 3
    assert pack_meta["listed_per_area"].value == {"North": 2, "South": 2, "unknown": 1}
    assert pack_meta["adopted_per_area"].value == {"North": 0, "South": 1, "unknown": 0}
    assert (pack_meta["adopted"].value, pack_meta["discharged"].value) == (1, 1)
    outcome_meta = instance.get_latest_materialization_event(
        dg.AssetKey("panel_outcomes")).asset_materialization.metadata
    assert (outcome_meta["adopted"].value, outcome_meta["discharged"].value) == (1, 1)
    assert outcome_meta["decisions_quarantined"].value == 4
    decisions_meta = instance.get_latest_materialization_event(
        dg.AssetKey("panel_decisions")).asset_materialization.metadata
    assert decisions_meta["rows_quarantined"].value == 4
    shown = str({k: v.value for k, v in {**pack_meta, **outcome_meta, **decisions_meta}.items()})
    assert not any(name in shown for name in ALL_NAMES)
