"""Incremental ingest: a file loaded by an earlier run (same sha256, same contract and code) is
not read, parsed or checked again, and the run publishes exactly what a fresh load would.

The equality tests run the real CLI twice on one DuckDB file (the second run reuses the first
run's files) and compare every published file with a `--rebuild` run on a copy of the same
database (same earlier history, so the data-quality report's trend is the same): lists and
workbook byte for byte, the manifest and the reports with only run ids, times and the files'
reuse counts taken out."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from helpers import SAMPLES
from pipeline import cli

CLEAN = SAMPLES / "clean"
# what differs between two runs of the same inputs: ids, times, how the files were loaded, and
# where the DuckDB file is (settings.storage.database: the rebuild runs on a copy)
RUN_SPECIFIC = {"run_id", "generated_at", "recorded_at", "finished_at", "seconds", "timings",
                "publish_seconds", "files_read", "files_reused", "database",
                "linking"}  # identity linking: incremental here, full on --rebuild
STAMP = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # run ids
                   r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)?")


def _run(config: Path, extracts: list[Path], out: Path, *flags: str) -> None:
    args = ["run", "--config", str(config), "--out", str(out), *flags]
    for extract in extracts:
        args += ["--extract", str(extract)]
    assert cli.main(args) == 0


def _without(value, out_dir: str):
    """A published JSON document without what differs between two runs of the same inputs."""
    if isinstance(value, dict):
        return {k: _without(v, out_dir) for k, v in value.items() if k not in RUN_SPECIFIC}
    if isinstance(value, list):
        return [_without(v, out_dir) for v in value]
    return value.replace(out_dir, "<out>") if isinstance(value, str) else value


def _published(out: Path) -> dict[str, object]:
    """Every published file: bytes, or for the manifest and reports, their run-independent part."""
    files: dict[str, object] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        name = str(path.relative_to(out))  # the panel packs sit in sub-folders
        if path.suffix == ".json":
            files[name] = _without(json.loads(path.read_text("utf-8")), str(out))
        elif path.suffix == ".html":
            files[name] = STAMP.sub("<stamp>", path.read_text("utf-8").replace(str(out), "<out>"))
        else:
            files[name] = path.read_bytes()
    return files


def _raw_counts(database: Path) -> dict:
    with duckdb.connect(str(database), read_only=True) as con:
        counts = con.execute("SELECT counts FROM ops_step_log WHERE step = 'raw_extracts'").fetchone()
    return json.loads(counts[0])


def _incremental_vs_rebuild(workspace, history: list[Path], new: Path) -> tuple[dict, dict]:
    """Run `history`, then `history + [new]` incrementally; and the same second run with
    --rebuild on a copy of the database after the first run. Returns both runs' outputs."""
    config = workspace.config()
    _run(config, history, workspace.root / "first")
    copy = workspace.root / "copy.duckdb"
    shutil.copyfile(workspace.database, copy)
    _run(config, [*history, new], workspace.root / "incremental")
    counts = _raw_counts(workspace.database)
    assert (counts["files_read"], counts["files_reused"]) == (3, 3 * len(history))
    rebuild = workspace.config("rebuild.yaml", storage={"database": str(copy)})
    _run(rebuild, [*history, new], workspace.root / "rebuild", "--rebuild")
    counts = _raw_counts(copy)
    assert (counts["files_read"], counts["files_reused"]) == (3 * (len(history) + 1), 0)
    return _published(workspace.root / "incremental"), _published(workspace.root / "rebuild")


def test_next_monthly_extract_publishes_what_a_fresh_load_does(workspace):
    incremental, fresh = _incremental_vs_rebuild(workspace, [CLEAN / "2026-09"], CLEAN / "2026-10")
    assert "priority_list.xlsx" in fresh and "data_quality_report.html" in fresh
    assert incremental.keys() == fresh.keys()
    for name in fresh:
        assert incremental[name] == fresh[name], f"{name} differs from a fresh load"


@pytest.fixture(scope="module")
def dirty_months(tmp_path_factory) -> Path:
    """Three monthly extracts with defects in every table; each re-exports (and revises) the
    incidents of the last 12 months."""
    root = tmp_path_factory.mktemp("dirty") / "x"
    assert cli.main(["synth", "--incidents", "2500", "--extracts", "3", "--dirty", "0.01",
                     "--seed", "5", "--out", str(root)]) == 0
    return root


def test_dirty_extract_revising_earlier_incidents_publishes_what_a_fresh_load_does(
        workspace, dirty_months):
    months = sorted(p for p in dirty_months.iterdir() if not p.name.startswith("_"))
    incremental, fresh = _incremental_vs_rebuild(workspace, months[:2], months[2])
    for name in fresh:
        assert incremental[name] == fresh[name], f"{name} differs from a fresh load"
    tables = fresh["data_quality.json"]["tables"]
    assert all(t["rows_quarantined"] > 0 for t in tables.values())  # dirty in every table
    assert tables["incidents"]["rows_superseded"] > 0  # the new month revises earlier incidents


# ------------------------------------------------------------------------ plain layers
def _stage_run(database: Path, extracts: list[Path], work: Path, rebuild: bool = False):
    """Raw and staging layers on a real DuckDB file; the raw counts, every staged and
    quarantined row, the files kept, and staging's timings (which name the statements it ran:
    append_* when it appended to the staged rows)."""
    from pipeline.ingest.read import load_extracts
    from pipeline.ingest.stage import build_staging

    with duckdb.connect(str(database)) as con:
        raw = load_extracts(con, extracts, work, rebuild=rebuild).counts
        staging = build_staging(con)
        rows = {t: con.execute(f"FROM {t} ORDER BY ALL").fetchall() for t in (
            "stg_incidents_checked", "stg_persons_checked", "stg_involvements_checked",
            "quarantine_incidents", "quarantine_persons", "quarantine_involvements",
            "quarantine_malformed_rows")}
        kept = con.execute("SELECT count(*) FROM cache_files").fetchone()[0]
    return raw, staging.counts, rows, kept, staging.timings


def _stage(database: Path, extracts: list[Path], work: Path, rebuild: bool = False):
    """_stage_run without the timings."""
    return _stage_run(database, extracts, work, rebuild)[:4]


def test_a_corrected_delivery_is_read_again_and_a_removed_extract_forgotten(
        workspace, dirty_months):
    months = sorted(p for p in dirty_months.iterdir() if not p.name.startswith("_"))
    copies = [shutil.copytree(m, workspace.root / "landing" / m.name) for m in months[:2]]
    db, work = workspace.root / "inc.duckdb", workspace.root / "work"
    raw, *_ = _stage(db, copies, work)
    assert (raw["files_read"], raw["files_reused"]) == (6, 0)

    raw, _, again, kept = _stage(db, copies, work)
    assert (raw["files_read"], raw["files_reused"]) == (0, 6)
    assert kept == 6

    # a corrected delivery: the second month's incidents re-sent with one incident revised
    incidents = Path(copies[1]) / "incidents.csv"
    lines = incidents.read_text("utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if ",crime," in line)
    lines[row] = lines[row].replace(",crime,", ",non_crime,", 1)
    incidents.write_text("".join(lines), "utf-8")
    raw, staged, corrected, kept = _stage(db, copies, work)
    assert (raw["files_read"], raw["files_reused"]) == (1, 5)
    assert kept == 6  # the old bytes are forgotten
    assert corrected["stg_incidents_checked"] != again["stg_incidents_checked"]
    assert _stage(workspace.root / "fresh.duckdb", copies, work)[1:3] == (staged, corrected)

    # the first month alone: the second month's files are forgotten, the first's reused
    raw, staged, alone, kept = _stage(db, copies[:1], work)
    assert (raw["files_read"], raw["files_reused"], kept) == (0, 3, 3)
    assert _stage(workspace.root / "fresh1.duckdb", copies[:1], work)[1:3] == (staged, alone)

    raw, _, rebuilt, kept = _stage(db, copies[:1], work, rebuild=True)
    assert (raw["files_read"], raw["files_reused"], kept) == (3, 0, 3)
    assert rebuilt == alone


def test_a_file_given_twice_in_one_run_is_read_once(workspace, tmp_path):
    """Two extracts holding byte-identical persons files: read once, staged for each."""
    first = shutil.copytree(CLEAN / "2026-10", tmp_path / "a")
    second = shutil.copytree(CLEAN / "2026-10", tmp_path / "b")
    raw, staged, rows, kept = _stage(tmp_path / "twice.duckdb", [first, second], tmp_path / "w")
    assert (raw["files_read"], raw["files_reused"], kept) == (3, 3, 3)
    assert staged["persons"]["rows_read"] == raw["persons"]
    assert staged["persons"]["rows_superseded"] == staged["persons"]["rows_current"]


def test_staging_run_again_on_the_same_raw_tables_keeps_each_file_once(workspace, tmp_path):
    """Materialising the staging asset alone (e.g. from the UI) after a run re-keeps the files
    that run read, without doubling their rows."""
    from pipeline.ingest.read import load_extracts
    from pipeline.ingest.stage import build_staging

    with duckdb.connect(str(tmp_path / "again.duckdb")) as con:
        load_extracts(con, [CLEAN / "2026-09"], tmp_path / "w")
        first = build_staging(con).counts
        assert build_staging(con).counts == first
        assert con.execute("SELECT count(*) FROM cache_incidents").fetchone()[0] == \
            first["incidents"]["rows_read"]


def test_tables_kept_by_another_version_are_made_again(workspace, tmp_path):
    """A database whose kept tables were made by another version (another fingerprint, here
    without the `area` column) is read afresh: the tables are dropped and made with this
    version's columns, every file is read, and the rows are what a new database gives."""
    db = tmp_path / "upgrade.duckdb"
    _, _, fresh, _ = _stage(tmp_path / "new.duckdb", [CLEAN / "2026-09"], tmp_path / "w1")
    _stage(db, [CLEAN / "2026-09"], tmp_path / "w2")
    with duckdb.connect(str(db)) as con:  # as an older version would have left it
        con.execute("ALTER TABLE cache_incidents DROP COLUMN area")
        con.execute("UPDATE cache_fingerprint SET fingerprint = 'an older version'")
    raw, _, rows, kept = _stage(db, [CLEAN / "2026-09"], tmp_path / "w3")
    assert (raw["files_read"], raw["files_reused"], kept) == (3, 0, 3)
    assert rows == fresh
    raw, *_ = _stage(db, [CLEAN / "2026-09"], tmp_path / "w4")  # and reused from then on
    assert (raw["files_read"], raw["files_reused"]) == (0, 3)


# ------------------------------------------------------------------ appended staging
def test_a_newer_extract_is_appended_to_the_staged_rows_a_fresh_build_gives(workspace, dirty_months):
    """Dirty months revising earlier incidents: staging appends the third month to the rows of
    the first two, and holds the rows (reasons, superseded and current versions) that building
    all three at once gives; an older extract added, or one taken away, builds them whole."""
    months = sorted(p for p in dirty_months.iterdir() if p.is_dir() and not p.name.startswith("_"))
    db, work = workspace.root / "append.duckdb", workspace.root / "work"
    *_, first = _stage_run(db, months[:2], work)
    assert "staging/append_incidents" not in first and "staging/stg_incidents_checked" in first
    _, _, appended, _, timings = _stage_run(db, months, work)
    assert "staging/append_involvements" in timings and "staging/stg_incidents_checked" not in timings
    assert appended == _stage(workspace.root / "fresh.duckdb", months, work)[2]
    superseded = [r for r in appended["stg_incidents_checked"] if r[-1] is False]
    assert superseded, "the third month revises earlier incidents"

    *_, timings = _stage_run(db, months, work)  # the same files again: nothing to append
    assert "staging/append_incidents" in timings
    # not the files held, plus newer ones: built whole
    for i, extracts in enumerate((months[:1] + months[2:], months[1:])):
        _, _, rows, _, timings = _stage_run(db, extracts, work)
        assert "staging/append_incidents" not in timings
        assert rows == _stage(workspace.root / f"fresh{i}.duckdb", extracts, work)[2]


def _drop_rows(path: Path, keep) -> list[list[str]]:
    """Rewrite a CSV file without the rows `keep` rejects; returns the dropped rows."""
    import csv

    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    kept = [r for r in rows if keep(dict(zip(header, r)))]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *kept])
    return [r for r in rows if r not in kept]


def test_an_orphan_involvement_is_adopted_when_a_newer_extract_brings_its_person(workspace, tmp_path):
    """September lists an involvement whose person it lacks (an orphan); October brings the
    person but lists nobody for that incident. Appending October makes the September
    involvement usable and the incident's current list, as a fresh build does."""
    import csv

    sep = shutil.copytree(CLEAN / "2026-09", tmp_path / "2026-09")
    oct_ = shutil.copytree(CLEAN / "2026-10", tmp_path / "2026-10")
    with (oct_ / "persons.csv").open(encoding="utf-8") as f:
        october_people = {r["person_id"] for r in csv.DictReader(f)}
    with (sep / "involvements.csv").open(encoding="utf-8") as f:
        incident, person = next((r["incident_id"], r["person_id"]) for r in csv.DictReader(f)
                                if r["person_id"] in october_people)
    assert _drop_rows(sep / "persons.csv", lambda r: r["person_id"] != person)
    _drop_rows(oct_ / "involvements.csv", lambda r: r["incident_id"] != incident)

    db, work = tmp_path / "adopt.duckdb", tmp_path / "work"
    _stage(db, [sep], work)
    row = "SELECT reason, is_current FROM stg_involvements_checked WHERE incident_id = ? AND person_id = ?"
    with duckdb.connect(str(db)) as con:
        assert con.execute(row, [incident, person]).fetchall() == [("orphan_person", None)]
    _, _, appended, _, timings = _stage_run(db, [sep, oct_], work)
    assert "staging/adopt_involvements" in timings
    with duckdb.connect(str(db)) as con:
        assert con.execute(row, [incident, person]).fetchall() == [(None, True)]
    assert appended == _stage(tmp_path / "fresh.duckdb", [sep, oct_], work)[2]
