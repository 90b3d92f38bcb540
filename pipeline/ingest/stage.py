"""Staging: parse every raw row once, quarantine the unusable ones with a reason, mark the
newest extract's version of each id current (`sql/staging/`). Parsing and the checks within a
file are kept per file across runs (`pipeline.ingest.cache`, `sql/cache/`)."""

from __future__ import annotations

import duckdb

from pipeline.core import db
from pipeline.core.contract import TABLES
from pipeline.core.steps import InternalError, StepResult, run_layer
from pipeline.ingest import cache


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for name in db.models("macros"):
        db.run(con, name)


def build_staging(con: duckdb.DuckDBPyConnection) -> StepResult:
    """Staging layer: parse and check the files read in this run and keep them, then build the
    run's staging tables from the kept files it names (quarantine, supersession); checks that
    read = loaded + quarantined."""
    install_macros(con)
    result = StepResult(timings=cache.keep_new_files(con))
    run_layer(con, "staging", result=result)
    result.counts = table_counts(con)
    for table, c in result.counts.items():
        if c["rows_read"] != c["rows_loaded"] + c["rows_quarantined"]:
            raise InternalError(
                f"{table}: rows read {c['rows_read']} != loaded {c['rows_loaded']} "
                f"+ quarantined {c['rows_quarantined']}"
            )
    return result


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Per table: rows read, loaded, quarantined (by reason), current and superseded."""
    counts = {
        t: {"rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0, "quarantine_reasons": {}}
        for t in TABLES
    }
    for table, rows_read, files in db.run(con, "staging/stg_file_counts").fetchall():
        counts[table]["rows_read"] = int(rows_read)
        counts[table]["files"] = int(files)
    for table, reason, rows in db.run(con, "staging/stg_reason_counts").fetchall():
        if reason is None:
            counts[table]["rows_loaded"] += int(rows)
        else:
            counts[table]["rows_quarantined"] += int(rows)
            counts[table]["quarantine_reasons"][reason] = int(rows)
    for table, current, superseded in db.run(con, "staging/stg_current_counts").fetchall():
        counts[table]["rows_current"] = int(current)
        counts[table]["rows_superseded"] = int(superseded)
    return counts
