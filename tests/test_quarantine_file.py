"""Every row set aside, in files a data owner can open (issue 11, "Also"): `quarantine.csv` and
`quarantine.xlsx` beside the data-quality report, linked from it, one line per quarantined row,
personal values left blank, the same bytes on a rerun.

Two real runs (`runner.run_cycle`, in-process Dagster, real DuckDB): the generator's dirty sample
(`data_samples/dirty`), and a hand-built extract holding every kind of row the file must handle:
formula-like and control-character ids, a row the CSV reader cannot split, duplicates, and
quarantined person rows full of names, dates of birth and PNC ids."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from helpers import REPO, run_isolated

AS_OF = "2024-06-30"
INCIDENTS = (
    b"incident_id,occurred_date,record_type,offence_code,dash_risk,domestic_abuse_flag\n"
    b"I1,2024-05-01,crime,8N,high,true\n"
    b"I2,2024-06-01,crime,8N,,true\n"
    b'"=HYPERLINK(""http://x"",""click"")",2024-06-02,crime,8N,,true\n'   # 3 invalid_id
    b'"I\r9",2024-06-03,crime,8N,,true\n'                                 # 4 invalid_id (a CR)
    b"I3,2024-13-01,crime,,,\n"                                           # 5 unparseable date
    b"I4,2024-06-04,incident,,,\n"                                        # 6 unknown_record_type
    b"I1,2024-05-01,crime,8N,high,true\n"                                 # 7 duplicate_row
    b"I5,2024-06-05,crime,8N,,true,extra\n"                               # 8 malformed_row
)
PERSONS = (
    b"person_id,surname,forenames,date_of_birth,gender,pnc_id\n"
    b"P1,Zqsurname-Alpha,Zqforename-Amy,1957-04-13,male,57/000111A\n"
    b"V1,Zqsurname-Bravo,Zqforename-Bea,1962-08-21,female,62/004242K\n"
    b"V2,Zqsurname-Carter,Zqforename-Cyd,1963-02-11,female,\n"
    b"PDUP,Zqsurname-Golf,Zqforename-Gil,1949-07-07,male,49/000001B\n"   # 4, 5 conflicting
    b"PDUP,Zqsurname-Hotel,Zqforename-Hal,1948-06-06,male,48/000002C\n"
    b",Zqsurname-India,Zqforename-Ivy,1950-05-05,female,50/000003D\n"    # 6 missing_person_id
    b"-P7,Zqsurname-Juliet,Zqforename-Jo,1951-03-03,male,51/000005F\n"   # 7 invalid_id
    b"P8,Zqsurname-Kilo,Zqforename-Kim,1970-01-02,male,70/000004E,x\n"   # 8 malformed_row
)
INVOLVEMENTS = (
    b"incident_id,person_id,role,relationship\n"
    b"I1,P1,suspect,\n"
    b"I1,V1,victim,partner\n"          # 2 and 8: duplicate_involvement
    b"I2,P1,suspect,\n"
    b"I2,V2,victim,partner\n"
    b"I2,V2,perp,\n"                   # 5 unknown_role
    b"I404,P1,suspect,\n"              # 6 orphan_incident
    b"I2,@P1,victim,\n"                # 7 invalid_id (the person id)
    b"I1,V1,victim,ex_partner\n"
)
HYPERLINK = '=HYPERLINK("http://x","click")'
EXPECTED = [  # table, source_file, row_number, record_id, reason, column, value (as read)
    ("incidents", "ex/incidents.csv", 3, HYPERLINK, "invalid_id", "incident_id", HYPERLINK),
    ("incidents", "ex/incidents.csv", 4, "I\r9", "invalid_id", "incident_id", "I\r9"),
    ("incidents", "ex/incidents.csv", 5, "I3", "unparseable_occurred_date", "occurred_date", "2024-13-01"),
    ("incidents", "ex/incidents.csv", 6, "I4", "unknown_record_type", "record_type", "incident"),
    ("incidents", "ex/incidents.csv", 7, "I1", "duplicate_row", "", ""),
    ("incidents", "ex/incidents.csv", 8, "", "malformed_row", "", ""),
    ("persons", "ex/persons.csv", 4, "PDUP", "duplicate_person_id", "person_id", "PDUP"),
    ("persons", "ex/persons.csv", 5, "PDUP", "duplicate_person_id", "person_id", "PDUP"),
    ("persons", "ex/persons.csv", 6, "", "missing_person_id", "person_id", ""),
    ("persons", "ex/persons.csv", 7, "-P7", "invalid_id", "person_id", "-P7"),
    ("persons", "ex/persons.csv", 8, "", "malformed_row", "", ""),
    ("involvements", "ex/involvements.csv", 2, "I1/V1", "duplicate_involvement", "relationship", "partner"),
    ("involvements", "ex/involvements.csv", 5, "I2/V2", "unknown_role", "role", "perp"),
    ("involvements", "ex/involvements.csv", 6, "I404/P1", "orphan_incident", "incident_id", "I404"),
    ("involvements", "ex/involvements.csv", 7, "I2/@P1", "invalid_id", "person_id", "@P1"),
    ("involvements", "ex/involvements.csv", 8, "I1/V1", "duplicate_involvement", "relationship", "ex_partner"),
]
HEADER = ["table", "source_file", "row_number", "record_id", "reason", "column", "value"]


def _run(root: Path, extract: Path, as_of: str | None = None):
    import datetime as dt

    return run_isolated(root, [str(extract)],
                        as_of=dt.date.fromisoformat(as_of) if as_of else None)


@pytest.fixture(scope="module")
def handmade(tmp_path_factory):
    root = tmp_path_factory.mktemp("quarantine_handmade")
    ex = root / "ex"
    ex.mkdir()
    for name, data in (("incidents", INCIDENTS), ("persons", PERSONS), ("involvements", INVOLVEMENTS)):
        (ex / f"{name}.csv").write_bytes(data)
    outcome = _run(root, ex, AS_OF)
    return {"root": root, "out": root / "out", "outcome": outcome, "db": root / "matac.duckdb"}


@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    root = tmp_path_factory.mktemp("quarantine_dirty")
    src = REPO / "data_samples" / "dirty"
    if not (src / "persons.csv").exists():
        synth = pytest.importorskip("pipeline.synth.generate", reason="no dirty sample")
        src = root / "dirty"
        synth.generate(src, incidents=1500, seed=11, dirty=0.01)
    outcome = _run(root, src)
    return {"root": root, "out": root / "out", "outcome": outcome, "db": root / "matac.duckdb",
            "src": src}


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _quarantined(db: Path) -> list[tuple]:
    """(table, file name, row, reason) of every quarantined row, from the DuckDB file."""
    with duckdb.connect(str(db), read_only=True) as con:
        return sorted(con.execute(
            "SELECT t, regexp_extract(source_file, '[^/]+$'), source_row, reason FROM ("
            " SELECT 'incidents' t, source_file, source_row, reason FROM quarantine_incidents"
            " UNION ALL SELECT 'persons', source_file, source_row, reason FROM quarantine_persons"
            " UNION ALL SELECT 'involvements', source_file, source_row, reason FROM quarantine_involvements"
            " UNION ALL SELECT table_name, source_file, source_row, reason FROM quarantine_malformed_rows)"
        ).fetchall())


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href"]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


# ---------------------------------------------------------------------- the hand-built extract
def test_every_quarantined_row_is_listed_with_its_column_and_value(handmade):
    assert handmade["outcome"].exit_code == 3, handmade["outcome"].message  # blocked: 30%+ set aside
    out = handmade["out"]
    assert not (out / "priority_list.csv").exists()
    rows = _csv_rows(out / "quarantine.csv")
    assert rows[0] == HEADER
    # the CSV neutralises formula-like text (a leading quote) and quotes the CR
    want = [[t, f, str(n), r, reason, c, v] for t, f, n, r, reason, c, v in EXPECTED]
    for line in want:
        for i in (3, 6):
            if line[i][:1] in ("=", "+", "-", "@"):
                line[i] = "'" + line[i]
    assert rows[1:] == want
    text = (out / "quarantine.csv").read_bytes()
    assert b"'=HYPERLINK" in text and b'"I\r9"' in text
    assert len(rows) - 1 == len(_quarantined(handmade["db"]))
    # the same rows written again give the same bytes
    from pipeline.quality import quarantine

    again = handmade["root"] / "again"
    with duckdb.connect(str(handmade["db"]), read_only=True) as con:
        info = quarantine.write(con, again, AS_OF, workbook=True)
    assert info == {"csv": "quarantine.csv", "xlsx": "quarantine.xlsx", "xlsx_has_rows": True,
                    "rows": len(EXPECTED)}
    for name in ("quarantine.csv", "quarantine.xlsx"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name


def test_the_workbook_holds_the_same_rows_as_text(handmade):
    import openpyxl

    wb = openpyxl.load_workbook(handmade["out"] / "quarantine.xlsx")
    assert wb.sheetnames == ["Quarantine", "About"]
    ws = wb["Quarantine"]
    # (openpyxl leaves the XLSX escape of a control character as it is; Excel decodes it)
    cells = [[("" if v is None else v.replace("_x000D_", "\r") if isinstance(v, str) else v)
              for v in row] for row in ws.iter_rows(values_only=True)]
    assert cells[0] == HEADER
    assert cells[1:] == [list(e) for e in EXPECTED]   # text stays text: no formula in a cell
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    about = "\n".join(str(v) for row in wb["About"].iter_rows(values_only=True) for v in row if v)
    assert "personal" in about and "row_number" in about


def test_no_personal_value_reaches_the_quarantine_files(handmade):
    import zipfile

    secrets = set()
    for line in PERSONS.decode().splitlines()[1:]:
        _pid, surname, forenames, dob, _gender, pnc = line.split(",")[:6]
        secrets |= {v for v in (surname, forenames, dob, pnc) if v}
    assert len(secrets) == 31
    persons_csv = (handmade["root"] / "ex" / "persons.csv").read_text(encoding="utf-8")
    assert all(s in persons_csv for s in secrets)   # the scan looks for what is in the input
    out = handmade["out"]
    with zipfile.ZipFile(out / "quarantine.xlsx") as z:
        blobs = [z.read(n).decode("utf-8") for n in z.namelist()]
    for text in [(out / "quarantine.csv").read_text(encoding="utf-8"), *blobs]:
        assert [s for s in secrets if s in text] == []


def test_a_personal_column_value_is_blanked(handmade):
    """The blanking is by column: were `occurred_date` personal, its values would be blank."""
    from pipeline.core import db
    from pipeline.core.contract import PERSONAL_COLUMNS, TABLES

    with duckdb.connect(str(handmade["db"]), read_only=True) as con:
        def values(personal):
            return db.run(con, "quality/quarantine_rows",
                          {"tables": list(TABLES), "personal": personal}).fetchall()
        normal, blanked = values(list(PERSONAL_COLUMNS)), values([*PERSONAL_COLUMNS, "occurred_date"])
    assert [r[-1] for r in normal if r[5] == "occurred_date"] == ["2024-13-01"]
    assert [r[-1] for r in blanked if r[5] == "occurred_date"] == [None]
    assert [r[:-1] for r in normal] == [r[:-1] for r in blanked]


def test_the_report_links_the_files_with_the_row_count(handmade):
    out = handmade["out"]
    html = (out / "data_quality_report.html").read_text(encoding="utf-8")
    assert "quarantine.csv" in _links(html) and "quarantine.xlsx" in _links(html)
    assert f"({len(EXPECTED)} rows)" in html
    doc = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
    assert doc["quarantine_file"]["rows"] == len(EXPECTED)
    assert doc["quarantine_file"]["csv"] == "quarantine.csv"


# ---------------------------------------------------------------------- the generator's dirty data
def test_dirty_sample_lists_every_quarantined_row_once(dirty):
    assert dirty["outcome"].exit_code in (0, 3), dirty["outcome"].message
    out = dirty["out"]
    rows = _csv_rows(out / "quarantine.csv")
    assert rows[0] == HEADER
    body = [dict(zip(HEADER, r)) for r in rows[1:]]
    in_db = _quarantined(dirty["db"])
    assert len(in_db) > 50
    assert len(body) == len(in_db)
    listed = sorted((r["table"], r["source_file"].split("/")[-1], int(r["row_number"]), r["reason"])
                    for r in body)
    assert listed == in_db
    assert {r["reason"] for r in body} == {q[3] for q in in_db}
    assert all(r["source_file"].startswith("dirty/") for r in body)
    # every reason names its column, except a copied row and a row that cannot be split
    assert all(r["column"] for r in body if r["reason"] not in ("duplicate_row", "malformed_row"))
    doc = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
    assert doc["quarantine_file"]["rows"] == len(body) == sum(
        t["rows_quarantined"] for t in doc["tables"].values())
    html = (out / "data_quality_report.html").read_text(encoding="utf-8")
    assert "quarantine.csv" in _links(html) and f"({len(body)} rows)" in html


def test_dirty_sample_quarantine_holds_no_personal_value(dirty):
    with open(dirty["src"] / "persons.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        persons = [{k.strip().lower(): (v or "").strip() for k, v in r.items() if k} for r in reader]
    secrets = {r[c] for r in persons for c in ("surname", "forenames", "date_of_birth", "pnc_id")
               if r.get(c)}
    # a date of birth recorded as a word ('unknown', a synthetic defect) is no personal value,
    # and the word is also a gender, a role or an area
    secrets = {s for s in secrets if s.lower() != "unknown"}
    assert len(secrets) > 1000
    text = (dirty["out"] / "quarantine.csv").read_text(encoding="utf-8")
    cells = {c for row in csv.reader(io.StringIO(text)) for c in row}
    assert cells & secrets == set()
    long = [s for s in secrets if len(s) >= 6]   # short names could be part of an id
    assert [s for s in long if s in text] == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_workbook(dirty, tmp_path):
    src = dirty["out"] / "quarantine.xlsx"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv", "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    converted = _csv_rows(tmp_path / "quarantine.csv")
    assert converted[0] == HEADER
    assert len(converted) == len(_csv_rows(dirty["out"] / "quarantine.csv"))
