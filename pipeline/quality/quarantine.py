"""Every row set aside, as files data owners can open: `quarantine.csv` and `quarantine.xlsx`
beside the data-quality report (written with it, also when publication is blocked; the report
links to them). One line per quarantined row: table, source_file (extract/file), row_number
(data rows counted from 1, the header not counted), record_id, reason, column (what the reason
is about) and value (that column's value as read). The value of a personal column
(`contract.PERSONAL_COLUMNS`: names, date of birth, PNC id) is left blank, and so is every value
of a row the CSV reader could not split (`malformed_row`): the files hold ids, row numbers and
the offending non-personal values only. The rows come from `sql/quality/quarantine_rows.sql`,
in a fixed order, so the same extracts give byte-identical files.

Both files are written atomically (`publish.atomic_path`) into the output folder, like the
report, and a publication carries them over into its new folder with the report. The CSV is
written by `pipeline.outputs.csvfile` (quoting and formula neutralising: a quarantined id such as
`=HYPERLINK(...)` arrives as text); the workbook by `pipeline.outputs.xlsx`, with the rows on a
"Quarantine" sheet (left out, with a note, when they do not fit Excel) and an "About" sheet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.contract import PERSONAL_COLUMNS, TABLES
from pipeline.outputs import csvfile, xlsx
from pipeline.outputs.publish import EXCEL_MAX_ROWS, atomic_path

CSV_NAME = "quarantine.csv"
XLSX_NAME = "quarantine.xlsx"
COLUMNS = ("table", "source_file", "row_number", "record_id", "reason", "column", "value")

COLUMN_HELP = {
    "table": "The extract table the row was read from: incidents, persons or involvements.",
    "source_file": "The file: extract folder / file name.",
    "row_number": "The row in that file: data rows counted from 1, the header row not counted "
                  "(in a spreadsheet showing the header on line 1, the row is on line row_number + 1).",
    "record_id": "The row's id as read (without surrounding spaces): incident_id, person_id, or "
                 "incident_id/person_id for an involvement; blank when missing.",
    "reason": "Why the row was set aside (its first reason; see the README's quarantine reasons).",
    "column": "The column the reason is about (blank for a duplicate_row or a malformed_row).",
    "value": "That column's value as read. Blank when the value is blank, when the column holds "
             "personal data (" + ", ".join(PERSONAL_COLUMNS) + ") and for a malformed_row.",
}


def frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every quarantined row, in the file's order (see the module docstring)."""
    df = db.run(con, "quality/quarantine_rows",
                {"tables": list(TABLES), "personal": list(PERSONAL_COLUMNS)}).fetchdf()
    return df[list(COLUMNS)]


def _about(rows: int, in_sheet: bool, as_of: str) -> xlsx.TextSheet:
    lines: list[tuple[str, str]] = [
        ("MATAC quarantine", f"rows set aside for the run as of {as_of}: {rows:,}"),
        ("", ("Every row the pipeline could not use, for the data owner to fix at source. "
              "Values of personal columns are left blank.")),
        ("", ""),
        ("Column", "Meaning"),
    ]
    lines += list(COLUMN_HELP.items())
    if not in_sheet:
        lines += [("", ""), ("Quarantine", f"Too many rows for Excel: see {CSV_NAME}.")]
    return xlsx.TextSheet(
        "About",
        [((k, v), xlsx.HEADER if k == "Column" else xlsx.WRAP) for k, v in lines],
        widths=[20, 110],
    )


def write(con: duckdb.DuckDBPyConnection, out_dir: Path, as_of: str, workbook: bool) -> dict:
    """Write `quarantine.csv` (and, with `workbook`, `quarantine.xlsx`; else an earlier one is
    removed) into `out_dir`. Returns what the report shows: file names and the row count."""
    df = frame(con)
    out_dir = Path(out_dir)
    with atomic_path(out_dir / CSV_NAME) as tmp, open(tmp, "wb") as fh:
        csvfile.write_csv(df, fh)
    fits = len(df) <= EXCEL_MAX_ROWS
    if workbook:
        sheets = ([xlsx.DataSheet("Quarantine", df)] if fits else []) + [_about(len(df), fits, as_of)]
        with atomic_path(out_dir / XLSX_NAME) as tmp:
            xlsx.write_workbook(tmp, sheets, title=f"MATAC quarantine as of {as_of}",
                                created=dt.datetime.combine(dt.date.fromisoformat(as_of), dt.time()))
    else:
        (out_dir / XLSX_NAME).unlink(missing_ok=True)
    return {"csv": CSV_NAME, "xlsx": XLSX_NAME if workbook else None,
            "xlsx_has_rows": bool(workbook and fits), "rows": len(df)}
