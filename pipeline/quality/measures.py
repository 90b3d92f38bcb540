"""What GX validates: the measures DuckDB computes per staged table, and the list with its recount.

Big tables never pass through pandas. For each staged table one query,
`sql/quality/profile_<table>.sql`, computes one row over every row of the table (set-based,
bounded memory at any size), and GX validates that one row against the table's suite.

**The link between a suite and its measures is the check's name.** An expectation of
`expectations/stg_<table>.json` with `meta.check = "X"` validates the column `"X"` of the frame
built here (its `kwargs.column` is `"X"` too), and the profile query returns that measure as
its column `X`, in one of two shapes:

* a plain number: `count(*) AS has_rows` (unit `count`);
* a STRUCT built by one of the aggregate macros in `sql/quality/macros/` - `failing_rows`,
  `failing_distinct`, `failing_first` (fields `rows` = failing rows, `ids` = up to `$max_ids`
  failing ids; unit `rows`) or `failing_share` (adds `total`; the value validated is
  `rows / total`; unit `rate`).

Every profile has the same three parts: checks on the rows read that were set aside (over the
table macro `quarantined_rows`), checks on the usable rows (the current version of each id),
and the self-check that each id has one current row (table macro `repeated_ids`).

Two measures are not in the profile but computed here from counts: `quarantine_rate` (rows
quarantined / rows read) and `volume_change` (usable rows against the previous delivery of the
same source; None when there is none). `Measure` holds each as value (what GX sees) and detail
(what the report quotes); nothing relies on column-name suffixes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from pipeline.core import db
from pipeline.core.contract import TABLES
from pipeline.core.settings import Settings
from pipeline.quality.suites import years_before

MACROS = "quality/macros"


@dataclass(frozen=True)
class Measure:
    """One check's measure: `value` is what GX validates; the rest is what the report quotes."""

    value: float | int | None
    ids: tuple = ()                 # failing ids (at most max_failing_ids), smallest first
    failing: int | None = None      # failing rows (row and rate checks)
    total: int | None = None        # rows judged (rate checks)
    previous: int | None = None     # usable rows of the previous delivery (change checks)
    current: int | None = None      # usable rows now (change checks)


def _measure(value) -> Measure:
    """A profile column as a Measure: a plain count, or one of the macros' STRUCTs."""
    if not isinstance(value, dict):
        return Measure(value)
    ids = tuple(value["ids"] or ())
    if "total" in value:
        failing, total = value["rows"], value["total"]
        return Measure(failing / total if total else 0.0, ids, failing, total)
    return Measure(value["rows"], ids, value["rows"])


def table_measures(con: duckdb.DuckDBPyConnection, table: str, params: dict, counts: dict,
                   before: int | None) -> dict[str, Measure]:
    """The measures of one staged table, keyed by check: profile + quarantine rate + volume."""
    row = db.one_row(con, f"quality/profile_{table}", params)
    out = {check: _measure(value) for check, value in row.items()}
    read, quarantined = counts["rows_read"], counts["rows_quarantined"]
    out["quarantine_rate"] = Measure(quarantined / read if read else 0.0, (), quarantined, read)
    used = int(counts.get("rows_current", counts["rows_loaded"]))
    change = (used - before) / before if before else None
    out["volume_change"] = Measure(change, previous=before, current=used)
    return out


def staged_measures(
    con: duckdb.DuckDBPyConnection, settings: Settings, reference_day: dt.date,
    counts: dict[str, dict], previous: dict | None,
) -> dict[str, dict[str, Measure]]:
    """Per table, the measures its suite validates (`previous`: the last delivery's key
    figures from the history, for the volume change)."""
    for name in db.models(MACROS):
        db.run(con, name)
    q = settings.quality
    params = {"max_ids": max(1, q.max_failing_ids), "today": reference_day, "max_age": q.max_age}
    return {
        table: table_measures(con, table, params, counts[table], (previous or {}).get(f"{table}_used"))
        for table in TABLES
    }


def gx_frame(measures: dict[str, Measure]):
    """The one-row frame GX validates: one column per check (None as NaN)."""
    import pandas as pd

    return pd.DataFrame([{k: (float("nan") if m.value is None else m.value) for k, m in measures.items()}])


def list_frame(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date):
    """The list to be published, with counts recomputed from the qualifying incidents."""
    start = years_before(as_of, settings.rule.window_years)
    return db.run(
        con, "quality/priority_list_recount", {"as_of": as_of, "window_start": start}
    ).fetchdf()
