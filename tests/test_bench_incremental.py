"""`matac bench --incremental` (a small smoke run): monthly extracts, a fresh run over all of
them against an incremental run adding the last one, the same list from both."""

from __future__ import annotations

import json
import re

import pytest
from test_bench import bench_cli

from pipeline.bench import report
from pipeline.bench.extract import extract_dir, extract_rows, monthly_extracts

# Three whole `matac run`s: on the shared machine under load that is more than the default 600 s.
pytestmark = pytest.mark.timeout(1800)

INCIDENTS = 3_000
EXTRACTS = 3
LINE = re.compile(
    r"^bench-incremental incidents=(\d+) extracts=(\d+) fresh_s=([\d.]+) incremental_s=([\d.]+) "
    r"ratio=([\d.]+) stages_ratio=([\d.]+) fresh_peak_mb=(\d+) incremental_peak_mb=(\d+)$"
)


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    return bench_cli(tmp_path_factory.mktemp("bench_incremental"), "--incremental",
                     "--incidents", str(INCIDENTS), "--extracts", str(EXTRACTS), "--repeat", "1",
                     "--seed", "5")


def test_incremental_bench_prints_the_table_and_the_final_line(smoke):
    assert smoke["code"] == 0
    lines = smoke["stdout"].strip().splitlines()
    m = LINE.match(lines[-1])
    assert m, lines[-1]
    assert int(m.group(1)) == INCIDENTS and int(m.group(2)) == EXTRACTS
    fresh_s, inc_s, ratio = map(float, m.group(3, 4, 5))
    assert fresh_s > 0 and inc_s > 0
    assert ratio == pytest.approx(inc_s / fresh_s, abs=0.01)
    assert "incremental / fresh" in smoke["stdout"] and "raw_extracts" in smoke["stdout"]
    # each run's own `time:` parts, printed and kept (the incremental run's packs among them)
    assert "run's time: packs" in smoke["stdout"]
    summary = json.loads(next(smoke["out"].glob("incremental-*.json")).read_text())["summary"]
    for kind in ("fresh_parts", "incremental_parts"):
        assert {"imports", "dagster", "steps", "checks", "packs"} <= set(summary[kind])
    assert sum(summary["incremental_parts"].values()) <= inc_s


def test_incremental_bench_reuses_the_earlier_extracts_and_publishes_the_same_list(smoke):
    doc = json.loads((smoke["out"] / f"incremental-{INCIDENTS}.json").read_text(encoding="utf-8"))
    assert doc["line"] == smoke["stdout"].strip().splitlines()[-1]
    assert len(doc["extracts"]) == EXTRACTS and doc["identity"] == "pnc_only"
    rep = doc["repetitions"][0]
    fresh, history, inc = rep["fresh"], rep["history"], rep["incremental"]
    # the fresh run reads every file, the history run the first E-1 extracts' files, the
    # incremental run only the new extract's three (the bench fails otherwise)
    assert (fresh["files_read"], fresh["files_reused"]) == (3 * EXTRACTS, 0)
    assert (history["files_read"], history["files_reused"]) == (3 * (EXTRACTS - 1), 0)
    assert (inc["files_read"], inc["files_reused"]) == (3, 3 * (EXTRACTS - 1))
    assert inc["listed"] == fresh["listed"] > 0
    assert inc["incident_rows"] == fresh["incident_rows"]
    s = doc["summary"]
    assert s["ratio"] == pytest.approx(inc["run_s"] / fresh["run_s"])
    work = [r["run_s"] - r["stages"]["other"] for r in (inc, fresh)]
    assert s["stages_ratio"] == pytest.approx(work[0] / work[1]) and 0 < work[0] < inc["run_s"]
    assert set(report.STAGES) <= set(s["fresh_stages"]) and s["incremental_peak_mb"] > 50
    # rows: all the monthly extracts together, and the last one alone
    folder = extract_dir(INCIDENTS, 5, smoke["cache"], EXTRACTS)
    months = monthly_extracts(folder)
    assert [m.name for m in months] == doc["extracts"]
    assert doc["rows_new_extract"] == extract_rows(months[-1])
    assert doc["rows"]["incidents"] > doc["rows_new_extract"]["incidents"] > 0
    assert not (smoke["cache"] / f"work-incremental-{INCIDENTS}-seed5" / "matac.duckdb").exists()


def test_incremental_times_join_the_scaling_plot(smoke):
    svg = (smoke["out"] / "scaling.svg").read_text(encoding="utf-8")
    assert ">incremental (s)</text>" in svg and ">fresh, monthly (s)</text>" in svg
    # no single-extract bench in that folder: no run or floor series
    assert ">floor query (s)</text>" not in svg
