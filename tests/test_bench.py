"""`matac bench` (a small smoke run: the benchmark itself is not part of `make test`) and the
column-wise XLSX writer that made publication fast."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from pipeline.bench import BenchError, report
from pipeline.bench.baselines import compare
from pipeline.bench.baselines.floor import floor_baseline, persisted_baseline
from pipeline.bench.baselines.pandas_rule import pandas_baseline
from pipeline.bench.extract import ensure_extract, extract_dir
from pipeline.bench.measure import measure
from pipeline.outputs import xlsx

SMOKE_INCIDENTS = 10_000
LINE = re.compile(
    r"^bench incidents=(\d+) run_s=([\d.]+) peak_mb=(\d+) pandas_s=([\d.]+) floor_s=([\d.]+) "
    r"persisted_s=([\d.]+) vs_floor=([\d.]+)x vs_persisted=([\d.]+)x core_vs_floor=([\d.]+)x "
    r"vs_pandas=([\d.]+)x$"
)


def bench_cli(root: Path, *args: str) -> dict:
    """`matac bench ARGS` through the CLI with a private cache and results folder under `root`:
    its exit code and stdout."""
    import contextlib
    import io

    cache, out = root / "cache", root / "results"
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli.main(["bench", *args, "--cache", str(cache), "--out", str(out)])
    return {"code": code, "stdout": stdout.getvalue(), "cache": cache, "out": out}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    """One real `matac bench --incidents 10000 --repeat 1` through the CLI: synthetic extract, a
    whole `matac run` subprocess, the three baselines."""
    return bench_cli(tmp_path_factory.mktemp("bench"), "--incidents", str(SMOKE_INCIDENTS),
                     "--repeat", "1", "--seed", "7")


def test_bench_smoke_prints_the_table_and_the_final_line(smoke):
    assert smoke["code"] == 0
    lines = smoke["stdout"].strip().splitlines()
    m = LINE.match(lines[-1])
    assert m, lines[-1]
    assert int(m.group(1)) == SMOKE_INCIDENTS
    (run_s, peak_mb, pandas_s, floor_s, persisted_s, vs_floor, vs_persisted, core_vs_floor,
     vs_pandas) = map(float, m.groups()[1:])
    assert run_s > 0 and peak_mb > 50 and pandas_s > 0 and floor_s > 0 and persisted_s > 0
    summary = json.loads(
        (smoke["out"] / f"bench-{SMOKE_INCIDENTS}.json").read_text(encoding="utf-8"))["summary"]
    # one repetition: the ratios are those of the run's own times
    assert summary["vs_floor"] == pytest.approx(summary["run_s"] / summary["floor_s"])
    assert summary["vs_pandas"] == pytest.approx(summary["pandas_s"] / summary["run_s"])
    assert summary["vs_persisted"] == pytest.approx(summary["run_s"] / summary["persisted_s"])
    assert summary["core_vs_floor"] == pytest.approx(summary["core_s"] / summary["floor_s"])
    assert 0 < summary["core_s"] < summary["run_s"]
    assert 0 < summary["persisted_load_s"] < summary["persisted_s"]
    assert vs_persisted == pytest.approx(summary["vs_persisted"], abs=0.006)
    assert core_vs_floor == pytest.approx(summary["core_vs_floor"], abs=0.006)
    assert vs_floor == pytest.approx(summary["vs_floor"], abs=0.006)
    assert vs_pandas == pytest.approx(summary["vs_pandas"], abs=0.006)
    assert run_s == pytest.approx(summary["run_s"], abs=0.05)
    table = "\n".join(lines)
    for row in ("staged_tables", "scored_perpetrators", "publish", "matac run (wall, s)",
                "pandas baseline (s)", "floor: one DuckDB query (s)",
                "persisted floor: load + query (s)", "rule+identity+marts / floor"):
        assert row in table


def test_bench_writes_json_with_stages_from_the_run_manifest_and_a_plot(smoke):
    doc = json.loads((smoke["out"] / f"bench-{SMOKE_INCIDENTS}.json").read_text(encoding="utf-8"))
    assert doc["incidents"] == SMOKE_INCIDENTS and doc["seed"] == 7 and doc["repeat"] == 1
    assert doc["line"] == smoke["stdout"].strip().splitlines()[-1]
    rows = doc["rows"]
    assert rows["incidents"] == SMOKE_INCIDENTS and rows["involvements"] > rows["incidents"]
    rep = doc["repetitions"][0]
    assert rep["listed"] > 0
    stages = rep["stages"]
    assert set(report.STAGES) <= set(stages)
    # the stage times are the run's own, and the rest of the wall time is 'other'
    assert sum(stages.values()) == pytest.approx(rep["run_s"], rel=0.01)
    # and the run's own `time:` parts explain the fixed cost (printed in the table too)
    parts = rep["parts"]
    assert {"imports", "dagster", "checks", "writing", "packs"} <= set(parts)
    assert 0 < sum(parts.values()) <= rep["run_s"]
    assert doc["summary"]["parts"] == parts
    assert "run's time: packs" in smoke["stdout"]
    assert rep["pandas"]["peak_mb"] > 0 and rep["floor"]["peak_mb"] > 0
    assert rep["persisted"]["peak_mb"] > 0 and "linked" not in rep  # linked only when asked
    svg = (smoke["out"] / "scaling.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "matac run" in svg


def test_bench_caches_the_extract_and_leaves_no_database_behind(smoke):
    extract = extract_dir(SMOKE_INCIDENTS, 7, smoke["cache"])
    assert (extract / "_COMPLETE").is_file()
    assert {p.name for p in extract.glob("*.parquet")} == {
        "incidents.parquet", "persons.parquet", "involvements.parquet"}
    stamp = (extract / "incidents.parquet").stat().st_mtime_ns
    assert ensure_extract(SMOKE_INCIDENTS, 7, smoke["cache"], say=lambda m: None) == extract
    assert (extract / "incidents.parquet").stat().st_mtime_ns == stamp  # not generated again
    work = smoke["cache"] / f"work-{SMOKE_INCIDENTS}-seed7"
    assert not (work / "matac.duckdb").exists()


def test_baselines_give_the_published_list_and_a_difference_fails_loudly(smoke, tmp_path):
    """Both baselines, run again on the smoke extract, equal the list the pipeline published;
    a changed score or a swapped rank is a BenchError naming the row."""
    from pipeline.core.settings import load_settings

    extract = extract_dir(SMOKE_INCIDENTS, 7, smoke["cache"])
    settings = load_settings()
    floor = floor_baseline(extract, settings)
    pandas_list = pandas_baseline(extract, settings)
    assert len(floor) > 10
    compare("pandas", floor, pandas_list)
    database = tmp_path / "persisted.duckdb"
    persisted, info = persisted_baseline(extract, settings, database)
    compare("persisted", floor, persisted)
    assert info["load_s"] > 0 and not database.exists()  # a fresh file, removed afterwards

    changed = pandas_list.copy()
    changed.loc[5, "rfg_score"] += 1
    with pytest.raises(BenchError, match="row 6"):
        compare("pandas", floor, changed)
    swapped = floor.copy()
    swapped.loc[[0, 1], "perpetrator_id"] = swapped.loc[[1, 0], "perpetrator_id"].to_numpy()
    with pytest.raises(BenchError, match="floor baseline disagrees"):
        compare("floor", floor, swapped)
    with pytest.raises(BenchError, match="lists"):
        compare("floor", floor, floor.head(3))


def _parquet_extract(story, folder: Path) -> Path:
    """A hand-made story written as the bench's clean Parquet extracts are (typed columns)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.synth.writer import table_schema

    folder.mkdir(parents=True)
    tables = {"incidents": story.incidents, "persons": list(story.persons.values()),
              "involvements": story.involvements}
    def cell(text: str, kind):
        if text == "":
            return None
        return dt.date.fromisoformat(text) if kind == pa.date32() else text

    for name, records in tables.items():
        schema = table_schema(name, dirty=False)
        typed = [{f.name: cell(r[f.name], f.type) for f in schema} for r in records]
        pq.write_table(pa.Table.from_pylist(typed, schema=schema), folder / f"{name}.parquet")
    return folder


@pytest.mark.parametrize("max_age,listed", [(110, ["B1", "B3", "B4"]),
                                             (13, ["B1", "B3", "B4", "Y1"])])
def test_baselines_count_an_impossible_or_implausible_date_of_birth_as_an_unknown_age(
        layers, story, tmp_path, max_age, listed):
    """A date of birth after the incident (born 2034, 2099) or giving an age above
    quality.max_age is an unknown age, which counts, as in the pipeline's rule: both baselines
    list exactly what the pipeline lists on the same Parquet extract."""
    from test_rule_birth_dates import _story

    s = _story(story).person("Y1", dob="2009-01-01")  # 15: a child unless above max_age
    s.incident("Y1a", "2024-01-10", suspect="Y1", victim="Y1v1")
    s.incident("Y1b", "2024-03-10", suspect="Y1", victim="Y1v2")
    folder = _parquet_extract(s, tmp_path / "ex")
    lay = layers(folder, quality={"max_age": max_age}).score()
    pipeline_list = lay.df("SELECT rank, perpetrator_id, rfg_score FROM mart_priority_list "
                           "ORDER BY rank")
    assert sorted(pipeline_list["perpetrator_id"]) == listed
    compare("floor", pipeline_list, floor_baseline(folder, lay.settings))
    compare("pandas", pipeline_list, pandas_baseline(folder, lay.settings))
    compare("persisted", pipeline_list,
            persisted_baseline(folder, lay.settings, tmp_path / "p.duckdb")[0])


def test_measure_counts_memory_of_children_and_their_children():
    """A child that starts a grandchild holding ~300 MB: the peak covers the whole tree."""
    code = (
        "import subprocess, sys; "
        "subprocess.run([sys.executable, '-c', "
        "'import time; b = bytearray(300 * 1024 * 1024); b[::4096] = b\"x\" * len(b[::4096]); "
        "time.sleep(1.0)'], check=True)"
    )
    m = measure([sys.executable, "-c", code])
    assert m.returncode == 0
    assert m.peak_mb > 300
    assert m.seconds >= 1.0
    failed = measure([sys.executable, "-c", "import sys; sys.exit(3)"])
    assert failed.returncode == 3



# README's scaling table: incidents, run s, peak MB, pandas s, floor s
README_SIZES = [(100_000, 11.2, 498, 0.5, 0.25), (1_000_000, 24.3, 984, 3.7, 1.25),
                (3_000_000, 63.0, 2084, 15.9, 3.65), (10_000_000, 195.7, 3357, 62.7, 14.25)]


def _results(sizes):
    return [{"incidents": n, "summary": {"run_s": r, "peak_mb": m, "pandas_s": p, "floor_s": f}}
            for n, r, m, p, f in sizes]


def test_scaling_plot_is_drawn_by_matplotlib_with_text_as_text():
    import matplotlib

    svg = report.scaling_svg(_results(README_SIZES))
    assert svg.startswith("<svg")
    # matplotlib's generator mark in the SVG metadata, and no creation date
    assert f"<dc:title>Matplotlib v{matplotlib.__version__}, https://matplotlib.org/</dc:title>" in svg
    assert "<dc:date>" not in svg
    # svg.fonttype none: labels are <text> elements, no glyph paths and no font files
    for label in ("matac run (s)", "floor query (s)", "pandas (s)", "peak memory (GB)",
                  "100k", "1M", "3M", "10M", "incidents"):
        assert f">{label}</text>" in svg, label
    assert "@font-face" not in svg and 'id="DejaVuSans-' not in svg
    assert svg.count("<path") > 20  # drawn, not a stub


def test_scaling_plot_is_the_same_bytes_for_the_same_numbers(tmp_path):
    """Same numbers give the same bytes, in this process and in a fresh one (matplotlib salts
    its SVG ids at random unless told otherwise); other numbers give other bytes."""
    results = _results(README_SIZES)
    svg = report.scaling_svg(results)
    assert report.scaling_svg(list(reversed(results))) == svg
    code = ("import json, sys; from pipeline.bench import report; "
            "sys.stdout.write(report.scaling_svg(json.loads(sys.argv[1])))")
    fresh = subprocess.run([sys.executable, "-c", code, json.dumps(results)], check=True,
                           capture_output=True, text=True).stdout
    assert fresh == svg
    assert report.scaling_svg(_results(README_SIZES[:3])) != svg
    # write_plot draws every bench-<N>.json of a folder, in size order
    for r in reversed(results):
        (tmp_path / f"bench-{r['incidents']}.json").write_text(json.dumps(r), encoding="utf-8")
    assert report.write_plot(tmp_path).read_text(encoding="utf-8") == svg


# ------------------------------------------------------------------------------ XLSX writer
def _frames():
    lst = pd.DataFrame({
        "rank": [1, 2, 3],
        "perpetrator_id": ["P1", " P<2>&", "P_x0041_3"],
        "rfg_score": pd.array([15, 12, None], dtype="Int64"),
        "last_incident_date": [dt.date(2024, 6, 30), None, dt.date(1900, 1, 1)],
        "gravity_total": [26783.5, float("nan"), 3.0],
        "note": ["tab\tinside", "bell\x07", ""],
    })
    incidents = pd.DataFrame({
        "rank": [1, 1, 2],
        "incident_id": ["I1", "I2", "I3"],
        "occurred_date": [dt.date(2024, 6, 30), dt.date(2024, 1, 2), dt.date(2023, 3, 1)],
    })
    return lst, incidents


def _write(path: Path, lst, incidents, as_of=dt.date(2026, 10, 31)) -> Path:
    about = xlsx.TextSheet("About", [(("Column", "Meaning"), xlsx.HEADER),
                                     (("rank", "Position"), xlsx.WRAP), (("", ""), xlsx.WRAP)],
                           widths=[34, 110])
    xlsx.write_workbook(path, [xlsx.DataSheet("Priority list", lst),
                               xlsx.DataSheet("Incidents", incidents), about],
                        title=f"MATAC priority list as of {as_of}",
                        created=dt.datetime.combine(as_of, dt.time()))
    return path


def test_xlsx_opens_with_frozen_header_filter_real_dates_and_exact_values(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    lst, incidents = _frames()
    wb = openpyxl.load_workbook(_write(tmp_path / "l.xlsx", lst, incidents))
    assert wb.sheetnames == ["Priority list", "Incidents", "About"]
    ws = wb["Priority list"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F4"
    assert [c.value for c in ws[1]] == list(lst.columns)
    assert ws.cell(1, 1).font.b and ws.cell(1, 1).alignment.wrap_text
    assert ws.row_dimensions[1].height == 30
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0][:5] == [1, "P1", 15, dt.datetime(2024, 6, 30), 26783.5]
    assert rows[1][:5] == [2, " P<2>&", 12, None, None]
    assert rows[2][2] is None and rows[2][3] == dt.datetime(1900, 1, 1)
    assert rows[0][5] == "tab\tinside"
    # control characters and literal _xHHHH_ are stored escaped, as Excel does (openpyxl shows
    # the stored form; Excel and LibreOffice decode it: see the LibreOffice test)
    assert rows[1][5] == "bell_x0007_" and rows[2][1] == "P_x005F_x0041_3"
    assert ws.cell(2, 4).is_date and ws.cell(2, 4).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["D"].width > len("last_incident_date") * 0.9
    inc = wb["Incidents"]
    assert inc.freeze_panes == "A2" and inc.auto_filter.ref == "A1:C4"
    assert inc.cell(3, 3).value == dt.datetime(2024, 1, 2)
    assert wb.properties.title == "MATAC priority list as of 2026-10-31"
    with zipfile.ZipFile(tmp_path / "l.xlsx") as zf:
        workbook = zf.read("xl/workbook.xml").decode()
    assert ('<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            "'Priority list'!$A$1:$F$4</definedName>") in workbook


def test_xlsx_is_byte_identical_when_written_again(tmp_path):
    lst, incidents = _frames()
    a = _write(tmp_path / "a.xlsx", lst, incidents).read_bytes()
    b = _write(tmp_path / "b.xlsx", lst, incidents).read_bytes()
    assert a == b
    c = _write(tmp_path / "c.xlsx", lst, incidents, as_of=dt.date(2026, 11, 28)).read_bytes()
    assert c != a  # the as-of date is in the document properties


def test_xlsx_streams_many_rows_in_blocks(tmp_path, monkeypatch):
    """Rows cross block boundaries without being lost, repeated or misnumbered."""
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(xlsx, "BLOCK_ROWS", 7)
    n = 50
    lst = pd.DataFrame({"rank": range(1, n + 1), "perpetrator_id": [f"P{i}" for i in range(n)],
                        "last_incident_date": [dt.date(2024, 1, 1) + dt.timedelta(days=i)
                                               for i in range(n)]})
    wb = openpyxl.load_workbook(_write(tmp_path / "m.xlsx", lst, lst.head(0)), read_only=True)
    got = list(wb["Priority list"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in got] == list(range(1, n + 1))
    assert got[-1][1] == f"P{n - 1}" and got[-1][2] == dt.datetime(2024, 1, 1) + dt.timedelta(days=n - 1)
    assert list(wb["Incidents"].iter_rows(min_row=2, values_only=True)) == []


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_xlsx_opens_in_libreoffice_with_dates_as_dates(tmp_path):
    lst, incidents = _frames()
    path = _write(tmp_path / "lo.xlsx", lst, incidents)
    subprocess.run(["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path),
                    str(path)], check=True, capture_output=True, timeout=120)
    lines = (tmp_path / "lo.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(lst.columns)
    assert lines[1] == "1,P1,15,2024-06-30,26783.5,tab\tinside"
    assert lines[2] == "2, P<2>&,12,,,bell\x07"
    assert lines[3].startswith("3,P_x0041_3,,")     # a literal escape-lookalike stays literal
