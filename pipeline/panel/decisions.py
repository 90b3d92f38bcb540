"""The panel coordinator's decisions file (`panel.decisions`): one row per adoption episode,
`perpetrator_id, area, adopted_on, discharged_on, tactic, note` (`discharged_on` blank = still
adopted). Read like an extract: column names match case-insensitively, UTF-8 or Windows-1252,
ISO or UK dates. Rows that cannot be used are quarantined with a reason
(`quarantine_panel_decisions`), counted and reported one line each (file, row, column, reason),
never silently dropped. A missing required column or an unreadable file stops the run (exit 2).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.contract import normalise_name
from pipeline.core.settings import Settings
from pipeline.core.steps import StepResult, run_layer
from pipeline.ingest.discover import ExtractError

COLUMNS = ("perpetrator_id", "area", "adopted_on", "discharged_on", "tactic", "note")
REQUIRED = ("perpetrator_id", "adopted_on")
LAYER = "panel/decisions"
MAX_LINES = 50  # quarantine lines kept in the step's counts (all are in the table)

# reason -> the column it is about
REASON_COLUMN = {
    "malformed_row": "(row)",
    "missing_perpetrator_id": "perpetrator_id",
    "unknown_person": "perpetrator_id",
    "unknown_area": "area",
    "missing_adopted_on": "adopted_on",
    "unparseable_adopted_on": "adopted_on",
    "unparseable_discharged_on": "discharged_on",
    "discharge_before_adoption": "discharged_on",
    "overlapping_adoption": "adopted_on",
}


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: panel decisions file cannot be read ({exc.strerror})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_rows(path: Path) -> pd.DataFrame:
    """The data rows of the decisions file, every value as text (raw_panel_decisions)."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    header = next(reader, None)
    if not header:
        raise ExtractError(f"{path}: panel decisions file is empty (no header row)")
    names = [normalise_name(h) for h in header]
    for column in REQUIRED:
        if column not in names:
            raise ExtractError(f"{path}: required column '{column}' is missing")
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        raise ExtractError(f"{path}: column '{repeated[0]}' appears twice")
    rows = []
    for fields in reader:
        if not fields or fields == [""]:
            continue  # blank line
        malformed = len(fields) != len(names)
        values = {} if malformed else dict(zip(names, fields))
        rows.append({"source_row": len(rows) + 1, "malformed": malformed,
                     **{c: values.get(c) for c in COLUMNS}})
    frame = pd.DataFrame(rows, columns=["source_row", "malformed", *COLUMNS])
    return frame.astype({"source_row": "int64", "malformed": "bool",
                         **{c: "object" for c in COLUMNS}})


def load_decisions(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Read, check and resolve the decisions (empty tables when `panel.decisions` is null)."""
    db.run(con, f"{LAYER}/create_raw_panel_decisions")
    path = settings.decisions_path
    counts: dict = {"file": str(path) if path else None}
    if path is not None:
        if not path.is_file():
            raise ExtractError(f"setting 'panel.decisions': file not found: {path}")
        counts["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        con.register("decision_rows", read_rows(path))
        try:
            db.run(con, f"{LAYER}/load_raw_panel_decisions")
        finally:
            con.unregister("decision_rows")
    result = run_layer(con, LAYER)
    counts.update(db.one_row(con, f"{LAYER}/decision_counts"))
    quarantined = quarantine_lines(con, path)
    counts["quarantine_reasons"] = quarantine_reasons(con)
    counts["quarantined"] = quarantined[:MAX_LINES]
    result.counts = counts
    return result


def quarantine_reasons(con) -> dict[str, int]:
    rows = db.run(con, f"{LAYER}/quarantine_reason_counts").fetchall()
    return {reason: int(n) for reason, n in rows}


def quarantine_lines(con, path: Path | None) -> list[str]:
    """One line per quarantined decision: file, row, column and reason (ids and dates only:
    the free-text note is never shown)."""
    lines = []
    for row, reason, pid, area, adopted, discharged, _tactic in db.run(
        con, f"{LAYER}/quarantine_panel_decisions_rows"
    ).fetchall():
        column = REASON_COLUMN.get(reason, "(row)")
        value = {"perpetrator_id": pid, "area": area, "adopted_on": adopted,
                 "discharged_on": discharged}.get(column)
        shown = f" {value!r}" if value not in (None, "") else ""
        lines.append(f"{path}: row {row}: column {column}{shown}: {reason}; decision quarantined")
    return lines
