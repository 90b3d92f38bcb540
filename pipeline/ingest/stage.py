"""Staging: parse every raw row once, quarantine the unusable ones with a reason, mark the
newest extract's version of each id current (`sql/staging/`). Parsing and the checks within a
file are kept per file across runs (`pipeline.ingest.cache`, `sql/cache/`).

The stg_*_checked tables hold a row for every row of every file of the run. Writing them is
most of staging's time, and a monthly cycle adds one extract to years of history, so a run
whose files are those the tables hold (same numbers and order, kept, built by this code)
followed by newer extracts appends the new files' rows instead of building the tables again
(`sql/staging/can_append.sql`): the rows already there change only where a new extract
supersedes them or brings an orphan's incident or person (`append_*`, `adopt_involvements`,
`settle_*`). Any other run (a removed or corrected extract, an older one, `--rebuild`, other
code) builds them whole. Both give the same rows.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

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
    appended = append_new_files(con, result.timings)
    run_layer(con, "staging", result=result, skip=CHECKED if appended else ())
    if not appended:
        db.run(con, "staging/record_built_files", {"fingerprint": fingerprint()})
    result.counts = table_counts(con)
    for table, c in result.counts.items():
        if c["rows_read"] != c["rows_loaded"] + c["rows_quarantined"]:
            raise InternalError(
                f"{table}: rows read {c['rows_read']} != loaded {c['rows_loaded']} "
                f"+ quarantined {c['rows_quarantined']}"
            )
    return result


CHECKED = tuple(f"staging/stg_{t}_checked" for t in TABLES)
APPEND = ("append_incidents", "settle_incidents", "append_persons", "settle_persons",
          "append_involvements", "adopt_involvements", "settle_involvements")


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """What built the stg_*_checked tables: the kept files' fingerprint and the staging SQL."""
    digest = hashlib.sha256(cache.fingerprint().encode())
    return cache.sources_digest(digest, ("sql/staging",))


def append_new_files(con: duckdb.DuckDBPyConnection, timings: dict[str, float]) -> bool:
    """Append the run's new files to the stg_*_checked tables in one transaction, if it can
    (see the module's text); otherwise forget what the tables hold, to be built whole."""
    db.run(con, "staging/stg_built_files")
    db.run(con, "staging/stg_new_files")
    if not db.run(con, "staging/can_append", {"fingerprint": fingerprint()}).fetchone()[0]:
        db.run(con, "staging/forget_built_files")
        return False
    con.begin()
    try:
        for name in APPEND:
            timings[f"staging/{name}"] = round(db.run_timed(con, f"staging/{name}"), 3)
        db.run(con, "staging/record_built_files", {"fingerprint": fingerprint()})
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return True


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
