"""Property-based fuzzing of the input (reliability issue): extracts made of odd rows (ids with
commas, quotes, line breaks, control and formula characters; impossible and half-dates; rows
with a field too many or too few; mixed line breaks; several encodings) and raw bytes.

Properties:
- ingest and staging either load the files or stop with an ExtractError (one line naming the
  file) - never another exception, and never for well-formed files (quoted as the csv module
  does, in any of the encodings and line breaks); every row read is loaded or quarantined
  (read = loaded + quarantined), and all of a well-formed file's rows are read;
- a whole `matac run` ends with exit 0, 2 or 3 and, when it fails, exactly one line on stderr
  (never a traceback).

`make test` runs a few fixed (derandomized) examples; MATAC_FUZZ_EXAMPLES=200 runs more,
randomly, e.g. `MATAC_FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/test_fuzz.py`."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.core.contract import REQUIRED
from pipeline.ingest.discover import ExtractError

LONG = int(os.environ.get("MATAC_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG or 12, deadline=None, derandomize=not LONG, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
CLI_FUZZ = settings(FUZZ, max_examples=max(LONG // 10, 2) if LONG else 2)

HEADERS = {
    "incidents": ["incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
                  "domestic_abuse_flag"],
    "persons": ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"],
    "involvements": ["incident_id", "person_id", "role", "relationship"],
}
IDS = ["I1", "I2", "I3", "P1", "P2", "V1", "V2", " I1 ", "", "=HYPERLINK(\"http://x\",\"c\")",
       "+1", "-1", "@x", "\tI1", "I\r1", "I\n1", "I,1", 'I"1', "\x00", "Ï1", "NULL"]
DATES = ["2024-01-01", "2024-02-10", "01/03/2024", "2024-02-30", "2025-06-01 garbage",
         "2025-06-01T25:99", "2024-03-05T10:15:00", "0001-01-01", "9999-12-31", "", "n/a",
         "2024-1-1", "31/12/1899", "1900-01-01", "05/03/24"]
WORDS = ["crime", "non_crime", "Non-Crime", "suspect", "victim", "offender", "witness",
         "partner", "ex_partner", "high", "true", "false", "8N", "8L", "9A", "male", "F", "",
         "x", "=1+1", "Synth", "O’Neill", "Zoë"]
CELL = {
    "incident_id": IDS, "person_id": IDS, "occurred_date": DATES, "date_of_birth": DATES,
}


def _cell(column: str):
    pool = st.sampled_from(CELL.get(column, WORDS))
    return st.one_of(pool, pool, pool, st.text(max_size=8))


@st.composite
def _table(draw, name: str):
    """(header, rows, well_formed): rows of strings, sometimes a field too many or too few."""
    header = HEADERS[name][: draw(st.integers(len(REQUIRED[name]), len(HEADERS[name])))]
    if draw(st.booleans()):
        header = header + ["notes"]
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(_cell(c)) for c in header]
        if draw(st.integers(0, 9)) == 0:
            row = row + ["extra"] if draw(st.booleans()) else row[:-1]
        rows.append(row)
    return header, rows


@dataclass
class Written:
    rows: int | None  # data rows a CSV reader must find (None: not a well-formed file)


def _write(path: Path, header: list[str], rows: list[list[str]], how: dict) -> Written:
    """Write one table as CSV: quoted by the csv module or joined raw, with the chosen line
    breaks and encoding."""
    if how["quoted"]:  # CRLF line ends make the csv module quote values holding a lone CR
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
        lines = out.getvalue().replace("\r\n", "\n")
    else:
        lines = "".join(",".join(r) + "\n" for r in [header, *rows])
    if how["newline"] == "crlf":
        lines = lines.replace("\n", "\r\n")
    elif how["newline"] == "mixed":  # the header ends with CRLF, the rows with LF
        lines = lines.replace("\n", "\r\n", 1)
    try:
        data = lines.encode(how["encoding"])
    except UnicodeEncodeError:
        data = lines.encode("utf-8")
    path.write_bytes(data)
    sound = how["quoted"] and all(len(r) == len(header) for r in rows)
    return Written(len(rows) if sound else None)


_HOW = st.fixed_dictionaries({
    "quoted": st.booleans(),
    "newline": st.sampled_from(["lf", "crlf", "mixed"]),
    "encoding": st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
})


@st.composite
def extracts(draw):
    """Three tables of odd rows, or one table replaced by raw bytes."""
    tables = {name: (draw(_table(name)), draw(_HOW)) for name in HEADERS}
    raw = None
    if draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(sorted(HEADERS)))
        head = (",".join(HEADERS[name]) + "\n").encode() if draw(st.booleans()) else b""
        raw = (name, head + draw(st.binary(max_size=120)))
    return tables, raw


def _make(folder: Path, example) -> dict[str, Written]:
    tables, raw = example
    folder.mkdir(parents=True)
    written = {}
    for name, ((header, rows), how) in tables.items():
        written[name] = _write(folder / f"{name}.csv", header, rows, how)
    if raw is not None:
        (folder / f"{raw[0]}.csv").write_bytes(raw[1])
        written[raw[0]] = Written(None)
    return written


def _check_counts(con, written: dict[str, Written]) -> None:
    from pipeline.ingest.stage import table_counts

    for table, c in table_counts(con).items():
        assert c["rows_read"] == c["rows_loaded"] + c["rows_quarantined"], (table, c)
        if written[table].rows is not None:
            assert c["rows_read"] == written[table].rows, (table, c)


@FUZZ
@given(example=extracts())
def test_ingest_and_staging_load_or_refuse_with_one_line(workspace, example):
    from pipeline.core import db
    from pipeline.ingest.read import load_extracts
    from pipeline.ingest.stage import build_staging

    folder = Path(tempfile.mkdtemp(dir=workspace.root)) / "ex"
    written = _make(folder, example)
    con = db.connect(workspace.settings())
    try:
        try:
            load_extracts(con, [folder], workspace.root / "work")
        except ExtractError as exc:
            message = str(exc)
            assert "\n" not in message and str(folder) in message, message
            # well-formed files (any encoding, any line breaks) are read, never refused
            assert any(w.rows is None for w in written.values()), message
            return
        build_staging(con)
        _check_counts(con, written)
    finally:
        con.close()


@CLI_FUZZ
@given(example=extracts())
def test_matac_run_exits_0_2_or_3_with_one_line(workspace, example):
    from pipeline import cli
    from pipeline.core import db

    root = Path(tempfile.mkdtemp(dir=workspace.root))
    written = _make(root / "ex", example)
    database = root / "matac.duckdb"
    config = workspace.config(f"{root.name}.yaml", storage={"database": str(database)})
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = cli.main(["run", "--extract", str(root / "ex"), "--config", str(config),
                         "--out", str(root / "out")])
    lines = [x for x in err.getvalue().splitlines() if x.strip()]
    assert code in (0, 2, 3), err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    if code:
        assert len([x for x in lines if x.startswith("matac run: ")]) == 1, lines
        assert lines[-1].startswith("matac run: "), lines
    if not database.exists():
        return
    gc.collect()  # a failed step's traceback may still hold its DuckDB connection
    with db.connect(workspace.settings(), path=database) as con:
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                       "'stg_incidents_checked'").fetchone()[0]:
            _check_counts(con, written)
