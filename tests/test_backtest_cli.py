"""`matac backtest` as an analyst runs it: exit codes and files, byte-identical reruns, no personal
data in anything it writes or prints, the Dagster `backtest` asset in its own job, and the HTML
report opened offline in a real headless Chromium (skipped with a reason when none is
installed). Data: the sample extracts in data_samples/clean (synthetic)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from helpers import REPO, SAMPLES, offline_page

CLEAN = [str(SAMPLES / "clean" / "2026-09"), str(SAMPLES / "clean" / "2026-10")]
RANGE = ["--from", "2025-01-01", "--to", "2025-06-30"]  # 7 cycle dates, all covered


def _backtest(*args: str) -> int:
    from pipeline import cli

    extracts = [a for e in CLEAN for a in ("--extract", e)]
    return cli.main(["backtest", *extracts, *args])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """One `matac backtest` comparing rfgv and rfh, and a second one into another folder."""
    root = tmp_path_factory.mktemp("bt")
    config = root / "settings.yaml"
    config.write_text(f"output:\n  directory: {root / 'output'}\n", encoding="utf-8")
    outs = [root / "first", root / "second"]
    codes = [_backtest(*RANGE, "--config", str(config), "--compare", "rfgv", "--compare", "rfh",
                       "--out", str(out)) for out in outs]
    return {"root": root, "config": config, "outs": outs, "codes": codes}


def test_writes_the_three_files_and_exits_0(written, capsys):
    assert written["codes"] == [0, 0]
    out = written["outs"][0]
    assert sorted(p.name for p in out.iterdir()) == [
        "backtest.html", "backtest.json", "backtest_cycles.csv"]
    with open(out / "backtest_cycles.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    models = ["rfg", "rfgv", "rfh", "frequency only", "harm last 12 months", "DASH-high count",
              "random"]
    assert [r["model"] for r in rows[:7]] == models
    assert len(rows) == 7 * 7 and {r["as_of"] for r in rows} == {
        d.isoformat() for d in (dt.date(2025, 1, 5) + dt.timedelta(days=28 * k) for k in range(7))}
    doc = json.loads((out / "backtest.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in doc["models"]] == ["rfg", "rfgv", "rfh"]
    assert doc["models"][2]["settings"]["scoring"]["count_window_days"] == 365
    assert list(doc["means"]) == models
    # the working DuckDB file is gone; nothing else was left in the output root
    assert not list((written["root"] / "output" / ".work").iterdir())


def test_a_rerun_gives_the_same_bytes(written):
    first, second = written["outs"]
    for name in ("backtest_cycles.csv", "backtest.json", "backtest.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_nothing_written_names_a_person(written):
    """Aggregates only: no person id, surname, forename, date of birth or PNC id of the input."""
    values: set[str] = set()
    for extract in CLEAN:
        with open(Path(extract) / "persons.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                values |= {row[c] for c in ("person_id", "surname", "forenames", "pnc_id",
                                            "date_of_birth") if row[c]}
    text = "\n".join((written["outs"][0] / n).read_text(encoding="utf-8")
                     for n in ("backtest_cycles.csv", "backtest.json", "backtest.html"))
    leaked = sorted(v for v in values if len(v) >= 8 and v in text)
    assert not leaked, leaked[:5]
    assert "Synthsurname" not in text and "P00" not in text


@pytest.mark.parametrize("args,message", [
    (["--from", "2025-06-30", "--to", "2025-01-01"], "before --from"),
    (["--from", "2025-01-06", "--to", "2025-01-20"], "no cycle date between"),
    (["--from", "2026-01-01", "--to", "2026-06-30"], "horizon"),
    (RANGE + ["--compare", "rfx"], "--compare rfx: neither a preset"),
    (RANGE + ["--horizon-months", "0"], "--horizon-months"),
    (["--from", "1066-01-01", "--to", "1066-12-31"], "not a plausible date"),
])
def test_usage_errors_exit_2_with_one_line(args, message, tmp_path, workspace, capsys):
    code = _backtest(*args, "--config", str(workspace.config()), "--out", str(tmp_path / "o"))
    err = capsys.readouterr().err
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 or "read " in err  # the progress lines, then one error line
    assert not (tmp_path / "o").exists()


def test_bad_settings_and_missing_extract_exit_2(tmp_path, workspace, capsys):
    from pipeline import cli

    bad = workspace.config(scoring={"preset": "rfx"})
    assert _backtest(*RANGE, "--config", str(bad)) == 2
    assert "'scoring.preset'" in capsys.readouterr().err
    assert cli.main(["backtest", "--extract", str(tmp_path / "nowhere"), *RANGE,
                     "--config", str(workspace.config())]) == 2
    assert "extract folder not found" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["backtest", "--extract", CLEAN[0], "--from", "2025-01-01"])  # --to missing
    assert exc.value.code == 2


def test_dagster_backtest_asset_in_its_own_job(workspace, tmp_path):
    import dagster as dg

    from pipeline.orchestration.definitions import build_definitions
    from pipeline.orchestration.resources import MatacResource

    defs = build_definitions(MatacResource(config_file=str(workspace.config()), extracts=CLEAN))
    job = defs.resolve_job_def("backtest_job")
    assert [n.name for n in job.graph.node_defs] == ["backtest"]
    assert "backtest" not in {n.name for n in defs.resolve_job_def("matac_job").graph.node_defs}
    out = tmp_path / "asset"
    result = job.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        run_config={"ops": {"backtest": {"config": {
            "start": "2025-01-01", "end": "2025-03-02", "compare": ["rfh"], "out": str(out)}}}},
    )
    assert result.success
    [mat] = result.asset_materializations_for_node("backtest")
    meta = mat.metadata
    assert meta["report"].value == str(out / "backtest.html")
    assert (out / "backtest.html").is_file()
    assert meta["cycle_dates"].value == 3 and meta["models"].value[:2] == ["rfg", "rfh"]
    assert "top 10" in meta["summary"].value


def test_report_opens_offline_in_chromium(written):
    html = written["outs"][0] / "backtest.html"
    doc = json.loads((written["outs"][0] / "backtest.json").read_text(encoding="utf-8"))
    outside: list[str] = []
    shots = REPO / "output" / "test_screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with offline_page(outside) as page:
        page.goto(html.as_uri())
        summary = page.locator("#summary")
        assert summary.is_visible()
        assert summary.get_attribute("data-best") == doc["summary"]["best_top_k"]
        assert doc["summary"]["lines"][0] in summary.inner_text()
        assert page.locator("section.plot svg").count() == 3
        for section in ("#curve", "#topk", "#calibration"):
            box = page.locator(f"{section} svg").bounding_box()
            assert box and box["width"] > 400 and box["height"] > 200, section
        rows = page.locator("table.means tbody tr")
        assert rows.count() == 7
        assert "rfg (configured)" in rows.first.inner_text()
        assert page.locator("#caution").is_visible()
        assert page.locator("script").count() == 0
        page.screenshot(path=str(shots / "backtest.png"), full_page=True)
    assert outside == []
