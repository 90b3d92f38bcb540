"""Ingest and staging: the input contract (dates, names, enums, encodings, Parquet, extra
columns), supersession across extracts, quarantine with file and row, reconciliation, header
errors, bad optional values and PNC identity - on a real DuckDB file via the transform layers.

Row numbers (`source_row`) are 1-based data rows: the header is not counted (the first row
under the header is row 1), the convention of the synthetic generator's defect list too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import write_extract, write_table
from pipeline.ingest.discover import ExtractError

D = dt.date

INC_HEADER = ["incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
              "domestic_abuse_flag"]
PER_HEADER = ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"]
INV_HEADER = ["incident_id", "person_id", "role", "relationship"]


def _persons(*ids):
    return (["person_id"], [[i] for i in ids])


def _stg(lay, table: str, key: str, where: str = "true") -> dict:
    cur = lay.con.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY {key}")
    names = [d[0] for d in cur.description]
    return {row[key]: row for row in (dict(zip(names, r)) for r in cur.fetchall())}


# ------------------------------------------------------------------------------ contract parsing
def test_dates_iso_uk_with_time_part_and_unparseable(tmp_path, layers):
    rows = [
        ["I01", "2024-03-05", "crime"],            # ISO
        ["I02", "05/03/2024", "crime"],            # UK day first: 5 March, not 3 May
        ["I03", "2024-03-05T22:15:00", "crime"],   # ISO with a time part (ignored)
        ["I04", "2024-03-05 22:15", "crime"],
        ["I05", "05/03/2024 22:15:00", "crime"],   # UK with a time part
        ["I06", " 2024-3-5 ", "crime"],            # spaces around, one-digit month/day
        ["I07", "29/02/2024", "crime"],            # leap day exists in 2024
        ["I08", "2023-02-29", "crime"],            # ... not in 2023
        ["I09", "31/02/2024", "crime"],            # no 31 February
        ["I10", "03/13/2024", "crime"],            # US month-first: month 13 -> unparseable
        ["I11", "05/03/24", "crime"],              # two-digit year: not the contract
        ["I12", "24-03-05", "crime"],              # two-digit year, ISO order
        ["I13", "n/a", "crime"],
        ["I14", "", "crime"],                      # blank: missing, not unparseable
    ]
    write_extract(tmp_path / "ex", (INC_HEADER[:3], rows), _persons("P1"),
                  (INV_HEADER[:3], [["I01", "P1", "suspect"]]))
    lay = layers(tmp_path / "ex")
    got = _stg(lay, "stg_incidents_checked", "incident_id")
    march5 = D(2024, 3, 5)
    for iid in ("I01", "I02", "I03", "I04", "I05", "I06"):
        assert got[iid]["occurred_date"] == march5 and got[iid]["reason"] is None, iid
    assert got["I07"]["occurred_date"] == D(2024, 2, 29)
    for iid in ("I08", "I09", "I10", "I11", "I12", "I13"):
        assert got[iid]["reason"] == "unparseable_occurred_date", iid
    assert got["I14"]["reason"] == "missing_occurred_date"


def test_date_of_birth_formats(tmp_path, layers):
    persons = (PER_HEADER, [
        ["P1", "", "", "2000-02-29", "", ""],
        ["P2", "", "", "29/02/2000", "", ""],
        ["P3", "", "", "2000-02-29T00:00:00", "", ""],
        ["P4", "", "", "29/02/00", "", ""],        # two-digit year -> unknown, row kept
        ["P5", "", "", "", "", ""],                 # blank -> unknown, no issue
    ])
    write_extract(tmp_path / "ex", (INC_HEADER[:3], [["I1", "2024-01-01", "crime"]]), persons,
                  (INV_HEADER[:3], [["I1", "P1", "suspect"]]))
    got = _stg(layers(tmp_path / "ex"), "stg_persons_checked", "person_id")
    for pid in ("P1", "P2", "P3"):
        assert got[pid]["date_of_birth"] == D(2000, 2, 29), pid
    assert got["P4"]["reason"] is None and got["P4"]["date_of_birth"] is None
    assert list(got["P4"]["issues"]) == ["date_of_birth_unparseable"]
    assert got["P5"]["reason"] is None and list(got["P5"]["issues"]) == []


def test_column_names_and_enum_values_ignore_case_and_spaces(tmp_path, layers):
    incidents = ([" Incident_ID ", "OCCURRED_DATE", "Record_Type ", " offence_code", "Dash_Risk",
                  "DOMESTIC_ABUSE_FLAG"], [
        ["I1", "2024-01-01", "CRIME", "8n", " HIGH ", "TRUE"],
        ["I2", "2024-01-02", " Non-Crime ", "", "Standard", "Yes"],
        ["I3", "2024-01-03", "non crime", "", "not assessed", "N"],
        ["I4", "2024-01-04", "Non_Crime", "", "", ""],
    ])
    persons = ([" PERSON_ID", "Gender ", "PNC_Id"], [
        ["P1", " FEMALE ", ""], ["P2", "Male", ""], ["P3", "m", ""]])
    involvements = (["Incident_Id", " Person_ID", "ROLE", "Relationship"], [
        ["I1", "P1", " SUSPECT ", ""],
        ["I1", "P2", "Victim", "Ex-Partner"],
        ["I2", "P1", "OFFENDER", ""],
        ["I2", "P3", "victim ", " FAMILY"],
        ["I3", "P2", "Witness", ""],
    ])
    write_extract(tmp_path / "ex", incidents, persons, involvements)
    lay = layers(tmp_path / "ex")
    assert lay.staging.counts["incidents"]["rows_quarantined"] == 0
    assert lay.staging.counts["involvements"]["rows_quarantined"] == 0
    inc = _stg(lay, "stg_incidents", "incident_id")
    assert [inc[i]["record_type"] for i in ("I1", "I2", "I3", "I4")] == [
        "crime", "non_crime", "non_crime", "non_crime"]
    assert inc["I1"]["offence_code"] == "8N"
    assert [inc[i]["dash_risk"] for i in ("I1", "I2", "I3", "I4")] == [
        "high", "standard", "not_assessed", "not_assessed"]
    assert [inc[i]["domestic_abuse_flag"] for i in ("I1", "I2", "I3", "I4")] == [
        True, True, False, True]
    per = _stg(lay, "stg_persons", "person_id")
    assert [per[p]["gender"] for p in ("P1", "P2", "P3")] == ["female", "male", "male"]
    inv = lay.rows("SELECT incident_id, person_id, role, relationship FROM stg_involvements "
                   "ORDER BY ALL")
    assert inv == [("I1", "P1", "suspect", None), ("I1", "P2", "victim", "ex_partner"),
                   ("I2", "P1", "offender", None), ("I2", "P3", "victim", "family"),
                   ("I3", "P2", "witness", None)]


def test_windows_1252_and_utf8_bom_files_load(tmp_path, layers):
    names = [["P1", "O’Neill", "Zoé"], ["P2", "Brontë", "Renée"]]
    incidents = (INC_HEADER[:3], [["I1", "2024-01-01", "crime"]])
    involvements = (INV_HEADER[:3], [["I1", "P1", "suspect"], ["I1", "P2", "victim"]])
    write_extract(tmp_path / "cp", incidents, (["person_id", "surname", "forenames"], names),
                  involvements, encoding="cp1252")
    raw = (tmp_path / "cp" / "persons.csv").read_bytes()
    assert b"O\x92Neill" in raw and b"Zo\xe9" in raw  # really Windows-1252 on disk
    write_extract(tmp_path / "bom", incidents, (["person_id", "surname", "forenames"], names),
                  involvements, encoding="utf-8-sig")
    assert (tmp_path / "bom" / "persons.csv").read_bytes().startswith(b"\xef\xbb\xbfperson_id")

    for folder in ("cp", "bom"):  # a malformed third row, to check rows are still placed
        with open(tmp_path / folder / "persons.csv", "a", encoding="utf-8" if folder == "bom"
                  else "cp1252", newline="") as fh:
            fh.write("P3,Café,Zoë,extra field\r\nP4,Noël,Anaïs\r\n")

    for folder, encoding in (("cp", "windows-1252"), ("bom", "utf-8")):
        lay = layers(tmp_path / folder)
        got = lay.rows("SELECT person_id, surname, forenames, source_row FROM stg_persons "
                       "ORDER BY 1")
        assert got == [("P1", "O’Neill", "Zoé", 1), ("P2", "Brontë", "Renée", 2),
                       ("P4", "Noël", "Anaïs", 4)], folder
        assert lay.rows("SELECT encoding FROM raw_files WHERE table_name = 'persons'") == [
            (encoding,)]
        assert lay.rows("SELECT source_file, source_row FROM quarantine_malformed_rows") == [
            (str(tmp_path / folder / "persons.csv"), 3)]
        assert lay.staging.counts["involvements"]["rows_loaded"] == 2


def _story_rows(story):
    s = story()
    s.person("P1", dob="1990-05-01", pnc="2001/1A", gender="male", surname="Synth")
    s.person("V1", dob="1992-01-31")
    s.incident("I1", "2024-01-10", code="8N", dash="high", suspect="P1", victim="V1")
    s.incident("I2", "2024-02-10", type="non_crime", suspect="P1", victim="V2", witness="W1")
    s.incident("I3", "2024-03-10", code="8L", da="false", offender="P1", victim="V3")
    return s


def _parquet_extract(folder: Path, s) -> Path:
    """The same rows as Parquet with real types: dates as date32, the flag as boolean."""
    folder.mkdir(parents=True, exist_ok=True)
    inc = s.incidents
    pq.write_table(pa.table({
        "incident_id": [r["incident_id"] for r in inc],
        "occurred_date": pa.array([dt.date.fromisoformat(r["occurred_date"]) for r in inc],
                                  pa.date32()),
        "record_type": [r["record_type"] for r in inc],
        "offence_code": [r["offence_code"] or None for r in inc],
        "dash_risk": [r["dash_risk"] or None for r in inc],
        "domestic_abuse_flag": pa.array([r["domestic_abuse_flag"] != "false" for r in inc],
                                        pa.bool_()),
    }), folder / "incidents.parquet")
    per = list(s.persons.values())
    pq.write_table(pa.table({
        "Person_ID": [r["person_id"] for r in per],  # header case ignored in Parquet too
        "surname": [r["surname"] or None for r in per],
        "date_of_birth": pa.array([dt.date.fromisoformat(r["date_of_birth"])
                                   if r["date_of_birth"] else None for r in per], pa.date32()),
        "gender": [r["gender"] or None for r in per],
        "pnc_id": [r["pnc_id"] or None for r in per],
    }), folder / "persons.parquet")
    pq.write_table(pa.table({k: [r[k] or None for r in s.involvements] for k in INV_HEADER}),
                   folder / "involvements.parquet")
    return folder


def test_parquet_extract_loads_the_same_as_csv(tmp_path, layers, story):
    s = _story_rows(story)
    s.write(tmp_path / "csv")
    _parquet_extract(tmp_path / "pq", s)
    queries = {
        "incidents": "SELECT incident_id, occurred_date, record_type, offence_code, dash_risk, "
                     "domestic_abuse_flag, reason FROM stg_incidents_checked ORDER BY ALL",
        "persons": "SELECT person_id, date_of_birth, gender, pnc_id, reason "
                   "FROM stg_persons_checked ORDER BY ALL",
        "involvements": "SELECT incident_id, person_id, role, relationship, reason "
                        "FROM stg_involvements_checked ORDER BY ALL",
        "qualifying": "SELECT perpetrator_id, incident_id, weight FROM int_qualifying_incidents "
                      "WHERE cycle = 'current' ORDER BY ALL",
    }
    results = {}
    for fmt in ("csv", "pq"):
        lay = layers(tmp_path / fmt).score("2024-06-30")
        results[fmt] = {name: lay.rows(q) for name, q in queries.items()}
        assert lay.rows("SELECT DISTINCT file_format FROM raw_files") == [
            ("csv" if fmt == "csv" else "parquet",)]
    assert results["pq"] == results["csv"]
    # hand check of what both must hold: I1 (8N, 184) and I2 (non-crime, 1) qualify for P1;
    # I3 is not domestic abuse.
    assert results["csv"]["qualifying"] == [("P1", "I1", 184.0), ("P1", "I2", 1.0)]


def test_extra_columns_are_kept_out_and_do_not_break(tmp_path, layers):
    incidents = (INC_HEADER[:3] + ["notes", "Officer Name"], [
        ["I1", "2024-01-01", "crime", 'said "leave", then left', "PC X"],
        ["I2", "2024-01-02", "crime", "line one\nline two", "PC Y"],  # quoted new line
    ])
    persons = (["person_id", "nickname"], [["P1", "x"], ["V1", ""], ["V2", "z"]])
    involvements = (INV_HEADER[:3] + ["comment"], [
        ["I1", "P1", "suspect", "c"], ["I1", "V1", "victim", ""],
        ["I2", "P1", "suspect", ""], ["I2", "V2", "victim", ""]])
    write_extract(tmp_path / "ex", incidents, persons, involvements)
    lay = layers(tmp_path / "ex").score("2024-01-31")
    extra = dict(lay.rows("SELECT table_name, extra_columns FROM raw_files"))
    assert extra == {"incidents": ["notes", "officer name"], "persons": ["nickname"],
                     "involvements": ["comment"]}
    for table in ("incidents", "persons", "involvements"):
        c = lay.staging.counts[table]
        assert c["rows_quarantined"] == 0 and c["rows_loaded"] == c["rows_read"], table
    assert lay.listed() == ["P1"]  # 2 incidents, 2 victims


# ---------------------------------------------------------------------------------- supersession
def test_newer_extract_supersedes_incidents_persons_and_involvement_lists(tmp_path, layers):
    old = (tmp_path / "2024-05")
    write_extract(old,
                  (INC_HEADER[:4], [["I1", "2024-01-01", "crime", "8N"],
                                    ["I2", "2024-02-01", "crime", "8L"]]),
                  (["person_id", "date_of_birth", "pnc_id"],
                   [["P1", "1990-01-01", ""], ["V1", "", ""], ["V2", "", ""], ["V3", "", ""]]),
                  (INV_HEADER[:3], [["I1", "P1", "suspect"], ["I1", "V1", "victim"],
                                    ["I1", "V2", "victim"],
                                    ["I2", "P1", "suspect"], ["I2", "V2", "victim"]]))
    new = (tmp_path / "2024-06")
    write_extract(new,
                  # I1 revised: now a non-crime on another date; I3 is new
                  (INC_HEADER[:4], [["I1", "2024-01-03", "non_crime", ""],
                                    ["I3", "2024-03-01", "crime", "9A"]]),
                  (["person_id", "date_of_birth", "pnc_id"],
                   [["P1", "1991-01-01", "PNC9"], ["V3", "", ""]]),
                  # I1's list of people is replaced whole (V1 and V2 gone, V3 in); I2 untouched
                  (INV_HEADER[:3], [["I1", "P1", "suspect"], ["I1", "V3", "victim"],
                                    ["I3", "P1", "offender"], ["I3", "V3", "victim"]]))
    lay = layers([old, new])
    cur = _stg(lay, "stg_incidents", "incident_id", "is_current")
    assert {k: (v["occurred_date"], v["record_type"], v["extract_seq"])
            for k, v in cur.items()} == {
        "I1": (D(2024, 1, 3), "non_crime", 2), "I2": (D(2024, 2, 1), "crime", 1),
        "I3": (D(2024, 3, 1), "crime", 2)}
    per = _stg(lay, "stg_persons", "person_id", "is_current")
    assert per["P1"]["date_of_birth"] == D(1991, 1, 1) and per["P1"]["pnc_id"] == "PNC9"
    inv = lay.rows("SELECT incident_id, person_id, role FROM stg_involvements WHERE is_current "
                   "ORDER BY ALL")
    assert inv == [("I1", "P1", "suspect"), ("I1", "V3", "victim"),
                   ("I2", "P1", "suspect"), ("I2", "V2", "victim"),
                   ("I3", "P1", "offender"), ("I3", "V3", "victim")]
    c = lay.staging.counts
    assert (c["incidents"]["rows_current"], c["incidents"]["rows_superseded"]) == (3, 1)
    assert (c["persons"]["rows_current"], c["persons"]["rows_superseded"]) == (4, 2)
    assert (c["involvements"]["rows_current"], c["involvements"]["rows_superseded"]) == (6, 3)

    # the order the extracts are given decides: old after new -> the old versions win
    lay = layers([new, old])
    cur = _stg(lay, "stg_incidents", "incident_id", "is_current")
    assert cur["I1"]["occurred_date"] == D(2024, 1, 1)
    assert cur["I1"]["record_type"] == "crime"
    assert lay.rows("SELECT person_id FROM stg_involvements WHERE is_current AND "
                    "incident_id = 'I1' ORDER BY 1") == [("P1",), ("V1",), ("V2",)]


# ------------------------------------------------------------------------------------ quarantine
def _quarantine(lay) -> set[tuple]:
    rows = lay.rows("""
        SELECT 'incidents', source_file, source_row, reason FROM quarantine_incidents
        UNION ALL SELECT 'persons', source_file, source_row, reason FROM quarantine_persons
        UNION ALL SELECT 'involvements', source_file, source_row, reason FROM quarantine_involvements
        UNION ALL SELECT table_name, source_file, source_row, reason FROM quarantine_malformed_rows
    """)
    return {(t, Path(f).parent.name + "/" + Path(f).name, int(r), reason)
            for t, f, r, reason in rows}


def _bad_extract(folder: Path) -> Path:
    """Every quarantine reason once (data rows numbered from 1 under the header)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "incidents.csv").write_text(
        "incident_id,occurred_date,record_type,offence_code\n"
        "I1,2024-01-01,crime,8N\n"             # 1 ok
        ",2024-01-02,crime,8N\n"               # 2 missing_incident_id
        "I3,,crime,8N\n"                       # 3 missing_occurred_date
        "I4,soon,crime,8N\n"                   # 4 unparseable_occurred_date
        "I5,2024-01-05,,\n"                    # 5 missing_record_type
        "I6,2024-01-06,incident,\n"            # 6 unknown_record_type
        "I7,2024-01-07,crime,8N\n"             # 7 duplicate_incident_id (conflicts with 8)
        "I7,2024-01-08,crime,8N\n"             # 8 duplicate_incident_id
        "I9,2024-01-09,crime,8L\n"             # 9 ok (first copy kept)
        "I9,09/01/2024,CRIME,8l\n"             # 10 duplicate_row (same values once parsed)
        "I11,2024-01-11,crime,8N,extra\n"      # 11 malformed_row (too many fields)
        "I12,2024-01-12\n"                     # 12 malformed_row (too few fields)
        'I13,"2024-01-13"x,crime,8N\n'         # 13 malformed_row (text after a quote)
        "I14,2024-01-14,crime,8N\n",           # 14 ok: numbering continues after bad rows
        encoding="utf-8")
    (folder / "persons.csv").write_text(
        "person_id,date_of_birth,gender\n"
        "P1,1990-01-01,male\n"                 # 1 ok
        " ,1990-01-01,male\n"                  # 2 missing_person_id (blank after trimming)
        "P3,1990-01-01,male\n"                 # 3 duplicate_person_id
        "P3,1991-01-01,male\n"                 # 4 duplicate_person_id
        "V1,,female\n"                         # 5 ok
        "V1,,female\n"                         # 6 duplicate_row
        "V2,,\n",                              # 7 ok
        encoding="utf-8")
    (folder / "involvements.csv").write_text(
        "incident_id,person_id,role,relationship\n"
        "I1,P1,suspect,\n"                     # 1 ok
        ",P1,suspect,\n"                       # 2 missing_incident_id
        "I1,,victim,\n"                        # 3 missing_person_id
        "I1,V1,,\n"                            # 4 missing_role
        "I1,V1,perp,\n"                        # 5 unknown_role
        "I99,V1,victim,\n"                     # 6 orphan_incident (not in the extract)
        "I1,P99,victim,\n"                     # 7 orphan_person
        "I7,V1,victim,\n"                      # 8 orphan_incident (I7 is quarantined)
        "I1,V1,victim,partner\n"               # 9 duplicate_involvement (conflicts with 10)
        "I1,V1,victim,family\n"                # 10 duplicate_involvement
        "I1,P1,suspect,\n"                     # 11 duplicate_row (copy of 1)
        "I9,V2,victim,partner\n"               # 12 ok
        "I9,P1,suspect\n",                     # 13 malformed_row (too few fields)
        encoding="utf-8")
    return folder


def test_every_quarantine_reason_with_file_and_row(tmp_path, layers):
    lay = layers(_bad_extract(tmp_path / "2024-01"))
    f = "2024-01/"
    expected = {
        ("incidents", f + "incidents.csv", 2, "missing_incident_id"),
        ("incidents", f + "incidents.csv", 3, "missing_occurred_date"),
        ("incidents", f + "incidents.csv", 4, "unparseable_occurred_date"),
        ("incidents", f + "incidents.csv", 5, "missing_record_type"),
        ("incidents", f + "incidents.csv", 6, "unknown_record_type"),
        ("incidents", f + "incidents.csv", 7, "duplicate_incident_id"),
        ("incidents", f + "incidents.csv", 8, "duplicate_incident_id"),
        ("incidents", f + "incidents.csv", 10, "duplicate_row"),
        ("incidents", f + "incidents.csv", 11, "malformed_row"),
        ("incidents", f + "incidents.csv", 12, "malformed_row"),
        ("incidents", f + "incidents.csv", 13, "malformed_row"),
        ("persons", f + "persons.csv", 2, "missing_person_id"),
        ("persons", f + "persons.csv", 3, "duplicate_person_id"),
        ("persons", f + "persons.csv", 4, "duplicate_person_id"),
        ("persons", f + "persons.csv", 6, "duplicate_row"),
        ("involvements", f + "involvements.csv", 2, "missing_incident_id"),
        ("involvements", f + "involvements.csv", 3, "missing_person_id"),
        ("involvements", f + "involvements.csv", 4, "missing_role"),
        ("involvements", f + "involvements.csv", 5, "unknown_role"),
        ("involvements", f + "involvements.csv", 6, "orphan_incident"),
        ("involvements", f + "involvements.csv", 7, "orphan_person"),
        ("involvements", f + "involvements.csv", 8, "orphan_incident"),
        ("involvements", f + "involvements.csv", 9, "duplicate_involvement"),
        ("involvements", f + "involvements.csv", 10, "duplicate_involvement"),
        ("involvements", f + "involvements.csv", 11, "duplicate_row"),
        ("involvements", f + "involvements.csv", 13, "malformed_row"),
    }
    assert _quarantine(lay) == expected
    # usable rows keep their own source row numbers, after the malformed ones too
    assert lay.rows("SELECT incident_id, source_row FROM stg_incidents ORDER BY 2") == [
        ("I1", 1), ("I9", 9), ("I14", 14)]
    # reconciliation: read = loaded + quarantined, per table, counted by hand from the files
    c = lay.staging.counts
    assert {t: (c[t]["rows_read"], c[t]["rows_loaded"], c[t]["rows_quarantined"])
            for t in c} == {"incidents": (14, 3, 11), "persons": (7, 3, 4),
                            "involvements": (13, 2, 11)}
    assert c["incidents"]["quarantine_reasons"] == {
        "missing_incident_id": 1, "missing_occurred_date": 1, "unparseable_occurred_date": 1,
        "missing_record_type": 1, "unknown_record_type": 1, "duplicate_incident_id": 2,
        "duplicate_row": 1, "malformed_row": 3}


def test_quarantine_names_the_right_file_across_extracts(tmp_path, layers):
    good = tmp_path / "2024-01"
    write_extract(good, (INC_HEADER[:3], [["I1", "2024-01-01", "crime"],
                                          ["I2", "2024-01-02", "crime"]]),
                  _persons("P1", "V1"),
                  (INV_HEADER[:3], [["I1", "P1", "suspect"], ["I1", "V1", "victim"]]))
    bad = _bad_extract(tmp_path / "2024-02")
    lay = layers([good, bad])
    q = _quarantine(lay)
    assert {name.split("/")[0] for _, name, _, _ in q} == {"2024-02"}
    assert ("incidents", "2024-02/incidents.csv", 13, "malformed_row") in q
    c = lay.staging.counts
    assert (c["incidents"]["rows_read"], c["incidents"]["rows_loaded"]) == (16, 5)
    assert c["incidents"]["rows_read"] == c["incidents"]["rows_loaded"] + c["incidents"]["rows_quarantined"]


# ------------------------------------------------------------------------------ header problems
@pytest.mark.parametrize("table,header,missing", [
    ("incidents", ["incident_id", "record_type"], "occurred_date"),
    ("persons", ["id", "surname"], "person_id"),
    ("involvements", ["incident_id", "person_id", "relationship"], "role"),
])
def test_missing_required_column_stops_the_load_naming_file_and_column(
        tmp_path, workspace, table, header, missing):
    from pipeline.core import db
    from pipeline.ingest.read import load_extracts

    tables = {
        "incidents": (INC_HEADER[:3], [["I1", "2024-01-01", "crime"]]),
        "persons": _persons("P1"),
        "involvements": (INV_HEADER[:3], [["I1", "P1", "suspect"]]),
    }
    tables[table] = (header, [["x"] * len(header)])
    write_extract(tmp_path / "ex", tables["incidents"], tables["persons"], tables["involvements"])
    con = db.connect(workspace.settings())
    with pytest.raises(ExtractError) as err:
        load_extracts(con, [tmp_path / "ex"], tmp_path / "work")
    con.close()
    message = str(err.value)
    assert str(tmp_path / "ex" / f"{table}.csv") in message
    assert f"'{missing}'" in message
    assert "x" not in message.replace(str(tmp_path), "").replace("ex/", "")  # no row values


def test_missing_table_and_missing_folder_are_extract_errors(tmp_path, workspace):
    from pipeline.core import db
    from pipeline.ingest.read import load_extracts

    folder = tmp_path / "ex"
    write_table(folder / "incidents.csv", [["I1", "2024-01-01", "crime"]], INC_HEADER[:3])
    write_table(folder / "persons.csv", [["P1"]], ["person_id"])
    con = db.connect(workspace.settings())
    with pytest.raises(ExtractError, match="involvements"):
        load_extracts(con, [folder], tmp_path / "work")
    with pytest.raises(ExtractError, match="not found"):
        load_extracts(con, [tmp_path / "nowhere"], tmp_path / "work")
    con.close()


def test_repeated_column_and_empty_file_are_extract_errors(tmp_path, workspace):
    from pipeline.core import db
    from pipeline.ingest.read import load_extracts

    con = db.connect(workspace.settings())
    twice = write_extract(tmp_path / "twice", (["incident_id", "occurred_date", "record_type",
                                                " Record_Type"], [["I1", "2024-01-01", "crime", "crime"]]),
                          _persons("P1"), (INV_HEADER[:3], [["I1", "P1", "suspect"]]))
    with pytest.raises(ExtractError, match="'record_type' appears twice"):
        load_extracts(con, [twice], tmp_path / "work")
    empty = write_extract(tmp_path / "empty", (INC_HEADER[:3], [["I1", "2024-01-01", "crime"]]),
                          _persons("P1"), (INV_HEADER[:3], [["I1", "P1", "suspect"]]))
    (empty / "persons.csv").write_bytes(b"")
    with pytest.raises(ExtractError, match="persons.csv: file is empty"):
        load_extracts(con, [empty], tmp_path / "work")
    con.close()


# -------------------------------------------------------------------------- bad optional values
def test_bad_optional_values_keep_the_row_become_unknown_and_are_flagged(tmp_path, layers):
    write_extract(
        tmp_path / "ex",
        (INC_HEADER, [["I1", "2024-01-01", "crime", "8N", "hgih", "maybe"],
                      ["I2", "2024-01-02", "crime", "8N", "", ""]]),
        (PER_HEADER, [["P1", "", "", "unknown", "x", ""], ["V1", "", "", "", "F?", ""],
                      ["V2", "", "", "", "", ""]]),
        (INV_HEADER, [["I1", "P1", "suspect", ""], ["I1", "V1", "victim", "husbnd"],
                      ["I2", "P1", "suspect", ""], ["I2", "V2", "victim", "partner"]]),
    )
    lay = layers(tmp_path / "ex").score("2024-01-31")
    inc = _stg(lay, "stg_incidents_checked", "incident_id")
    assert inc["I1"]["reason"] is None and inc["I1"]["dash_risk"] == "unknown"
    assert list(inc["I1"]["issues"]) == ["dash_risk_invalid", "domestic_abuse_flag_invalid"]
    assert list(inc["I2"]["issues"]) == [] and inc["I2"]["dash_risk"] == "not_assessed"
    per = _stg(lay, "stg_persons_checked", "person_id")
    assert per["P1"]["reason"] is None and per["P1"]["gender"] == "unknown"
    assert per["P1"]["date_of_birth"] is None
    assert list(per["P1"]["issues"]) == ["date_of_birth_unparseable", "gender_invalid"]
    assert per["V1"]["gender"] == "unknown" and list(per["V1"]["issues"]) == ["gender_invalid"]
    inv = lay.rows("SELECT person_id, relationship, issues, reason FROM stg_involvements_checked "
                   "WHERE incident_id = 'I1' AND role = 'victim'")
    assert inv == [("V1", "unknown", ["relationship_invalid"], None)]
    # the rows still count: an unreadable DA flag takes the contract default (true), an
    # unreadable DOB is an unknown age -> P1 has 2 qualifying incidents, 2 victims
    assert lay.listed() == ["P1"]


# ---------------------------------------------------------------------------------- PNC identity
def test_pnc_merges_nominals_to_the_smallest_person_id_as_text(tmp_path, layers):
    persons = (["person_id", "surname", "date_of_birth", "pnc_id"], [
        ["P2", "Synth", "1990-01-01", "2001/123A"],
        ["P10", "Synth", "1990-01-01", " 2001/123a "],   # same PNC once spaces/case ignored
        ["P3", "Synth", "1990-01-01", "2001/999Z"],      # same name and DOB, other PNC
        ["P4", "Synth", "1990-01-01", ""],               # no PNC: stands alone
        ["P5", "Other", "", "2001/999Z"],
    ])
    write_extract(tmp_path / "ex", (INC_HEADER[:3], [["I1", "2024-01-01", "crime"]]), persons,
                  (INV_HEADER[:3], [["I1", "P2", "suspect"]]))
    # PNC ids alone (identity.method pnc_only; the model would join P4, same surname and DOB, to
    # P10's person: test_identity.py)
    lay = layers(tmp_path / "ex", identity={"method": "pnc_only"})
    got = dict(lay.rows("SELECT person_id, resolved_person_id FROM int_person_identity"))
    # 'P10' < 'P2' as text; P3 and P5 share 2001/999Z; P4 alone; never across PNCs
    assert got == {"P2": "P10", "P10": "P10", "P3": "P3", "P5": "P3", "P4": "P4"}
    counts = lay.identity.counts
    assert (counts["nominals"], counts["persons"], counts["nominals_merged"]) == (5, 3, 2)
