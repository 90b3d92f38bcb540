"""Hostile input files (reliability issue, defects 6, 7 and 10): every file the pipeline cannot
use stops the run with exit 2 and one line naming the file (never a traceback, exit 1); a file
that can be read is read, and only the rows that cannot be split are set aside.

Tests run as root, who may read any file: a really unreadable file is made by running the CLI
without the capabilities that let root ignore file permissions (`setpriv`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import REPO, write_extract
from pipeline.ingest.discover import ExtractError

SAMPLE = REPO / "data_samples" / "clean" / "2026-09"
INC = "incident_id,occurred_date,record_type\n"


def _small(folder: Path) -> Path:
    return write_extract(
        folder,
        (["incident_id", "occurred_date", "record_type"], [["I1", "2024-01-01", "crime"],
                                                           ["I2", "2024-01-02", "crime"]]),
        (["person_id", "surname"], [["P1", "Synth"], ["V1", "Synth"]]),
        (["incident_id", "person_id", "role"], [["I1", "P1", "suspect"], ["I1", "V1", "victim"]]),
    )


def _load(workspace, *folders):
    from pipeline.core import db
    from pipeline.ingest.read import load_extracts

    con = db.connect(workspace.settings())
    try:
        return load_extracts(con, [str(f) for f in folders], workspace.root / "work")
    finally:
        con.close()


def _extract_error(workspace, *folders) -> str:
    with pytest.raises(ExtractError) as err:
        _load(workspace, *folders)
    return str(err.value)


# ------------------------------------------------------------------- files that cannot be used
def test_random_bytes_named_incidents_csv(tmp_path, workspace):
    """Used to end in a UnicodeDecodeError traceback (exit 1)."""
    folder = _small(tmp_path / "ex")
    (folder / "incidents.csv").write_bytes(bytes(range(256)) * 20)
    message = _extract_error(workspace, folder)
    assert message == (f"{folder / 'incidents.csv'}: line 2 is neither UTF-8 nor Windows-1252 "
                       "text (not a CSV file?); save it as UTF-8")


def test_a_folder_or_broken_link_named_like_a_table(tmp_path, workspace):
    """Used to say the table is missing although something of that name is there."""
    folder = _small(tmp_path / "ex")
    (folder / "incidents.csv").unlink()
    (folder / "incidents.csv").mkdir()
    assert _extract_error(workspace, folder) == (
        f"{folder / 'incidents.csv'}: cannot be read: a folder, not a file")
    (folder / "incidents.csv").rmdir()
    (folder / "incidents.csv").symlink_to(tmp_path / "gone.csv")
    assert _extract_error(workspace, folder) == (
        f"{folder / 'incidents.csv'}: cannot be read: a broken link, not a file")


@pytest.mark.parametrize("name", ["surname", " Surname"])  # DuckDB's reader, Arrow's renaming one
def test_parquet_list_column_is_refused_naming_it(tmp_path, workspace, name):
    """A list column used to stop the run with an Arrow cast error (exit 1) when the names
    needed renaming, and otherwise to load each list as one string like '[Synth]'."""
    folder = _small(tmp_path / "ex")
    (folder / "persons.csv").unlink()
    pq.write_table(pa.table({"person_id": ["P1", "V1"], name: [["Synth"], ["Synth", "X"]]}),
                   folder / "persons.parquet")
    assert _extract_error(workspace, folder) == (
        f"{folder / 'persons.parquet'}: column 'surname' holds list<element: string> values, "
        "not one value per cell")


def test_the_same_extract_folder_twice_is_refused(tmp_path, workspace):
    """Used to run, each row superseding its own copy, and gave another list."""
    folder = _small(tmp_path / "ex")
    alias = tmp_path / "alias"
    alias.symlink_to(folder)
    assert _extract_error(workspace, folder, folder) == (
        f"extract folder {folder} is given more than once")
    assert _extract_error(workspace, folder, alias) == (
        f"extract folder {alias} is given more than once (also as {folder})")


def test_repeated_extra_columns_are_ignored_repeated_contract_columns_are_not(tmp_path,
                                                                               workspace):
    folder = _small(tmp_path / "ex")
    (folder / "incidents.csv").write_text(
        "incident_id,note,occurred_date,Note,record_type,,\n"
        "I1,a,2024-01-01,b,crime,c,d\nI2,a,2024-01-02,b,crime,,\n", encoding="utf-8")
    result = _load(workspace, folder)
    assert result.counts["incidents"] == 2
    from pipeline.core import db

    with db.connect(workspace.settings(), read_only=True) as con:
        assert con.execute("SELECT incident_id, occurred_date, record_type FROM raw_incidents "
                           "ORDER BY 1").fetchall() == [("I1", "2024-01-01", "crime"),
                                                        ("I2", "2024-01-02", "crime")]
        assert con.execute("SELECT extra_columns FROM raw_files WHERE table_name = 'incidents'"
                           ).fetchone()[0] == ["note", "column_6", "column_7"]
    (folder / "incidents.csv").write_text(
        "incident_id,occurred_date,Record_Type,record_type\nI1,2024-01-01,crime,crime\n",
        encoding="utf-8")
    assert "column 'record_type' appears twice" in _extract_error(workspace, folder)


# ------------------------------------------------------------------------------- UTF-16 / 32
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_load(tmp_path, layers, encoding):
    """Used to say "required column 'incident_id' is missing"."""
    folder = _small(tmp_path / "ex")
    text = ("person_id,surname\r\nP1,Brontë\r\nV1,O’Neill\r\n")
    bom = {"utf-16-le": "\ufeff", "utf-16-be": "\ufeff", "utf-32-le": "\ufeff"}[encoding]
    (folder / "persons.csv").write_bytes((bom + text).encode(encoding))
    lay = layers(folder)
    assert lay.rows("SELECT person_id, surname, source_row FROM stg_persons ORDER BY 1") == [
        ("P1", "Brontë", 1), ("V1", "O’Neill", 2)]
    assert lay.rows("SELECT encoding FROM raw_files WHERE table_name = 'persons'") == [
        (encoding[:6],)]


def test_broken_utf16_says_what_the_encoding_is(tmp_path, workspace):
    folder = _small(tmp_path / "ex")
    (folder / "persons.csv").write_bytes(
        "\ufeffperson_id\r\nP1\r\n".encode("utf-16-le") + b"\x00\xdc")  # a lone low surrogate
    assert _extract_error(workspace, folder) == (
        f"{folder / 'persons.csv'}: not valid UTF-16 text (it starts with a UTF-16 byte-order "
        "mark); save it as UTF-8")


# ------------------------------------------------------------ line breaks (defect 7)
def _incidents(folder: Path, data: bytes) -> Path:
    _small(folder)
    (folder / "incidents.csv").write_bytes(data)
    return folder


def _placed(lay) -> tuple[list, list]:
    usable = lay.rows("SELECT incident_id, source_row FROM stg_incidents_checked "
                      "WHERE reason IS NULL ORDER BY source_row")
    malformed = lay.rows("SELECT source_row FROM quarantine_malformed_rows "
                         "WHERE table_name = 'incidents' ORDER BY 1")
    return usable, [r for (r,) in malformed]


@pytest.mark.parametrize("data,usable,malformed,invalid", [
    # a CRLF file with lines a data owner added by hand with LF
    (INC.encode().replace(b"\n", b"\r\n") + b"I1,2024-01-01,crime\r\nI2,2024-01-02,crime\n"
     b"I3,2024-01-03,crime\r\nI4,2024-01-04,crime,extra\nI5,2024-01-05,crime\r\n",
     [("I1", 1), ("I2", 2), ("I3", 3), ("I5", 5)], [4], 0),
    # an LF file with one CRLF line
    (INC.encode() + b"I1,2024-01-01,crime\nI2,2024-01-02,crime\r\nI3,2024-01-03,crime\n",
     [("I1", 1), ("I2", 2), ("I3", 3)], [], 0),
    # a lone CR ends a line (as Excel, pandas and Python's csv module read it)
    (INC.encode() + b"I1,2024-01-01,crime\rI2,2024-01-02,crime\nI3,2024-01-03\nI4,2024-01-04,"
     b"crime\n", [("I1", 1), ("I2", 2), ("I4", 4)], [3], 0),
    # a lone CR inside a line splits it: both halves are malformed rows, later rows stay placed
    (INC.encode() + b"I1,2024-01-01,crime\nI2,2024-01\r-02,crime\nI3,2024-01-03,crime\n",
     [("I1", 1), ("I3", 4)], [2, 3], 0),
    # a quoted value holding CR or CRLF in an LF file is read as it is (one row), and an id
    # holding a control character is then set aside as invalid_id
    (INC.encode() + b'I1,2024-01-01,crime\n"I\r2",2024-01-02,crime\nI3,2024-01-03,crime\n',
     [("I1", 1), ("I3", 3)], [], 1),
])
def test_mixed_line_breaks_set_aside_only_rows_that_cannot_be_split(tmp_path, layers, data,
                                                                     usable, malformed, invalid):
    """Mixed LF/CRLF line breaks or one bare CR used to reject the whole file ("cannot be read
    (InvalidInputException)", exit 2)."""
    lay = layers(_incidents(tmp_path / "ex", data))
    assert _placed(lay) == (usable, malformed)
    c = lay.staging.counts["incidents"]
    assert c["rows_read"] == len(usable) + len(malformed) + invalid == c["rows_loaded"] + \
        c["rows_quarantined"]
    assert c["quarantine_reasons"].get("invalid_id", 0) == invalid


@pytest.mark.parametrize("data,usable,malformed,cut", [
    # a quote opened in row 2 and never closed: the rows after it are still read
    (INC.encode() + b'I1,2024-01-01,crime\nI2,"2024-01-02,crime\nI3,2024-01-03,crime\n'
     b'I4,2024-01-04,crime\n', [("I1", 1), ("I3", 3), ("I4", 4)], [2], [2]),
    # the same in a CRLF file, the stray quote in the last field, a quoted field before it
    (INC.encode().replace(b"\n", b"\r\n") + b'"I1",2024-01-01,crime\r\nI2,2024-01-02,"crime\r\n'
     b'I3,2024-01-03,crime\r\nI4,2024-01-04,crime\r\n', [("I1", 1), ("I3", 3), ("I4", 4)], [2], [2]),
    # two stray quotes (the reader pairs them up across rows 2-4): every other row is read
    (INC.encode() + b'I1,2024-01-01,crime\nI2,"2024-01-02,crime\nI3,2024-01-03,crime\n'
     b'I4,2024-01-04,"crime\nI5,2024-01-05,crime\n', [("I1", 1), ("I3", 3), ("I5", 5)], [2, 4],
     [2, 4]),
    # a quoted value over two lines with text after its closing quote: both lines are set aside
    # (counted as lines), the row after them is read
    (INC.encode() + b'I1,2024-01-01,crime\nI2,"2024-01\n-02"x,crime\nI3,2024-01-03,crime\n',
     [("I1", 1), ("I3", 4)], [2, 3], [2]),
])
def test_an_unterminated_quote_sets_aside_its_own_row_only(tmp_path, layers, data, usable,
                                                           malformed, cut):
    """A quote never closed used to swallow every row after it into one malformed row (rows
    lost); now its own row is set aside, named in the progress line, and the rest are read."""
    import duckdb

    from pipeline.ingest.read import load_extracts

    folder = _incidents(tmp_path / "ex", data)
    lay = layers(folder)
    said: list[str] = []
    with duckdb.connect() as con:  # the progress lines of a load on its own
        load_extracts(con, [str(folder)], tmp_path / "work", progress=said.append)
    assert _placed(lay) == (usable, malformed)
    assert lay.rows("SELECT source_row FROM quarantine_malformed_rows "
                    "WHERE error_type = 'UNTERMINATED QUOTE' ORDER BY 1") == [(r,) for r in cut]
    rows = ", ".join(map(str, cut))
    assert any(f"quote opened in row{'s' * (len(cut) > 1)} {rows} is not closed on its line"
               in line for line in said), said
    c = lay.staging.counts["incidents"]
    assert c["rows_read"] == len(usable) + len(malformed) == c["rows_loaded"] + c["rows_quarantined"]


def test_mixed_line_breaks_in_a_windows_1252_file(tmp_path, layers):
    folder = _small(tmp_path / "ex")
    (folder / "persons.csv").write_bytes(
        "person_id,surname\r\nP1,Brontë\nV1,O’Neill\r\nP2,Zoë,x\rP3,Noël\n".encode("cp1252"))
    lay = layers(folder)
    assert lay.rows("SELECT person_id, surname, source_row FROM stg_persons ORDER BY 3") == [
        ("P1", "Brontë", 1), ("V1", "O’Neill", 2), ("P3", "Noël", 4)]
    assert lay.rows("SELECT source_row FROM quarantine_malformed_rows") == [(3,)]
    assert lay.rows("SELECT encoding FROM raw_files WHERE table_name = 'persons'") == [
        ("windows-1252",)]


# ------------------------------------------------------------------------ the CLI: exit code 2
def _matac(root: Path, *args: str, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MATAC_CONFIG"}
    env.update(DAGSTER_HOME=str(REPO), MATAC_STATE_DIR=str(root / "state"))
    return subprocess.run([*prefix, sys.executable, "-m", "pipeline.cli", "run", *args],
                          capture_output=True, text=True, timeout=600, cwd=REPO, env=env)


def _one_line(done: subprocess.CompletedProcess, *parts: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("matac run: "), done.stderr
    for part in parts:
        assert part in lines[0], done.stderr


@pytest.mark.skipif(shutil.which("setpriv") is None and os.geteuid() == 0,
                    reason="needs setpriv to read files as root without DAC capabilities")
def test_cli_unreadable_file_exits_2_naming_it(tmp_path, workspace):
    """Permission denied used to end in a PermissionError traceback (exit 1)."""
    folder = tmp_path / "ex"
    shutil.copytree(SAMPLE, folder)
    (folder / "persons.csv").chmod(0)
    prefix = ()
    if os.geteuid() == 0:  # root reads anything unless it drops these capabilities
        caps = "-dac_override,-dac_read_search"
        prefix = ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}")
    done = _matac(tmp_path, "--extract", str(folder), "--config", str(workspace.config()),
                  prefix=prefix)
    _one_line(done, f"{folder / 'persons.csv'}: cannot be read: Permission denied")


def test_cli_out_pointing_at_a_file_exits_2_before_any_run(tmp_path, workspace, capsys):
    """--out naming an existing file used to fail at the report step (exit 1, traceback)."""
    from pipeline import cli

    target = tmp_path / "a_file"
    target.write_text("keep me")
    code = cli.main(["run", "--extract", str(SAMPLE), "--config", str(workspace.config()),
                     "--out", str(target)])
    assert code == 2
    assert capsys.readouterr().err == f"matac run: --out {target}: {target} is a file, not a " \
                                      "folder\n"
    assert target.read_text() == "keep me"
    assert not workspace.database.exists()  # refused before any Dagster run


def test_cli_hostile_files_exit_2_with_one_line(tmp_path, workspace):
    config = str(workspace.config())
    rand = _small(tmp_path / "rand")
    (rand / "incidents.csv").write_bytes(bytes(range(256)) * 20)
    _one_line(_matac(tmp_path, "--extract", str(rand), "--config", config),
              str(rand / "incidents.csv"), "neither UTF-8 nor Windows-1252")
    listed = _small(tmp_path / "list")
    (listed / "persons.csv").unlink()
    pq.write_table(pa.table({"Person_ID": ["P1"], "surname": [["Synth"]]}),
                   listed / "persons.parquet")
    _one_line(_matac(tmp_path, "--extract", str(listed), "--config", config),
              str(listed / "persons.parquet"), "column 'surname' holds list")


# ------------------------------------------------------------- text after a date (defect 10)
def test_a_date_followed_by_anything_but_a_time_of_day_is_unparseable(tmp_path, layers):
    """'2025-06-01 garbage' and '2025-06-01T25:99' used to be read as 2025-06-01."""
    dates = {
        "I01": ("2025-06-01 garbage", None), "I02": ("2025-06-01T25:99", None),
        "I03": ("01/06/2025 noon", None), "I04": ("2025-06-01T", None),
        "I05": ("2025-06-01 10:15:60", None), "I06": ("01/06/2025T10:15", None),
        "I07": ("2025-06-01 10:15", "2025-06-01"), "I08": ("2025-06-01T10:15:00Z", "2025-06-01"),
        "I09": ("2025-06-01 23:59:59.123+01:00", "2025-06-01"),
        "I10": ("01/06/2025 10:15:00", "2025-06-01"), "I11": (" 2025-6-1  7:05 ", "2025-06-01"),
    }
    folder = _small(tmp_path / "ex")
    write_extract(folder, (["incident_id", "occurred_date", "record_type"],
                           [[i, d, "crime"] for i, (d, _) in dates.items()]),
                  (["person_id", "date_of_birth"], [["P1", "1990-01-01 garbage"],
                                                    ["V1", "1990-01-01T08:00"]]),
                  (["incident_id", "person_id", "role"], [["I07", "P1", "suspect"]]))
    lay = layers(folder)
    got = {i: (str(d) if d else None, r) for i, d, r in lay.rows(
        "SELECT incident_id, occurred_date, reason FROM stg_incidents_checked")}
    for iid, (_, expected) in dates.items():
        assert got[iid] == (expected, None if expected else "unparseable_occurred_date"), iid
    persons = {p: (str(d) if d else None, list(i)) for p, d, i in lay.rows(
        "SELECT person_id, date_of_birth, issues FROM stg_persons_checked")}
    assert persons == {"P1": (None, ["date_of_birth_unparseable"]), "V1": ("1990-01-01", [])}


# --------------------------------------------------------------- ids that are not ids (defect 3)
def test_ids_with_control_or_formula_characters_are_quarantined_as_invalid_id(tmp_path, layers):
    """An id like `=HYPERLINK("http://x","click")` or `=cmd|' /C calc'!A0` used to reach the
    published CSVs verbatim; ids with a tab or a line break too."""
    bad = ['=HYPERLINK("http://x","click")', "+447700900123", "-1", "@SUM(A1)", "I\t2", "\tI3",
           "I\r4", "I\n5", "I\x006", "I\u200b7", "I\u202e8", "I\x7f9"]
    good = ["I1", " I10 ", "I-11", "a=b", "Brontë-12"]
    folder = tmp_path / "ex"
    write_extract(
        folder,
        (["incident_id", "occurred_date", "record_type"],
         [[i, "2024-01-01", "crime"] for i in good + bad]),
        (["person_id"], [["P1"], ["V1"], ["=cmd|' /C calc'!A0"], ["P\t2"]]),
        (["incident_id", "person_id", "role"],
         [["I1", "P1", "suspect"], ["I1", "V1", "victim"], [bad[0], "P1", "suspect"],
          ["I1", "=cmd|' /C calc'!A0", "victim"], ["I1", "-V1", "witness"]]),
    )
    lay = layers(folder)
    reasons = dict(lay.rows("SELECT source_row, reason FROM stg_incidents_checked"))
    assert reasons == {**{k + 1: None for k in range(len(good))},
                       **{len(good) + k + 1: "invalid_id" for k in range(len(bad))}}
    assert lay.rows("SELECT source_row FROM stg_persons_checked WHERE reason = 'invalid_id' "
                    "ORDER BY 1") == [(3,), (4,)]
    assert lay.rows("SELECT source_row, reason FROM stg_involvements_checked ORDER BY 1") == [
        (1, None), (2, None), (3, "invalid_id"), (4, "invalid_id"), (5, "invalid_id")]
    c = lay.staging.counts
    assert (c["incidents"]["quarantine_reasons"], c["persons"]["quarantine_reasons"],
            c["involvements"]["quarantine_reasons"]) == (
        {"invalid_id": len(bad)}, {"invalid_id": 2}, {"invalid_id": 3})
    # the data-quality measure names the rows, never the id itself
    from pipeline.quality.measures import staged_measures
    from pipeline.rule.reference import load_reference

    load_reference(lay.con, lay.settings)
    m = staged_measures(lay.con, lay.settings, lay.settings.schedule.cycle_start,
                        c, None)
    assert (m["incidents"]["id_valid"].value, m["persons"]["id_valid"].value,
            m["involvements"]["ids_valid"].value) == (len(bad), 2, 3)
    assert m["persons"]["id_valid"].ids == ("ex/persons.csv:3", "ex/persons.csv:4")
