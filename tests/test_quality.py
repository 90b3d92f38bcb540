"""The data-quality gate on real runs: real Dagster runs (in this process) on real DuckDB files,
real Great Expectations validations of the suites in expectations/, real report files.

The hand-made defect extract (`_defect_extract`) plants one defect per check, so every expected
count below is worked out from the rows written here, not taken from a run:

incidents: 40 good crimes I01..I40 (2015-2016, code 8N, a suspect and a victim each), then
  a blank id (1 row), two different rows with id IDUP (2), an exact copy of I01 (1), IBADDATE
  31/02/2015 (1), IBADTYPE record_type 'crme' (1)                      -> 6 of 52 quarantined
  and usable rows with a defect each: IFUTURE dated 2099, IDASH dash_risk 'hgih', IFLAG flag
  'maybe', ICODE offence code 'ZZZ' (1 of 46 crimes), INOVICTIM (suspect only), INOSUSPECT
  (victim only).
persons: the suspect and victim of each usable incident (90: S01 with gender 'x', VD born
  after IDASH, SF/VF born 1990 so 109 in 2099), W07, PBADDOB (date '1990-13-45'), POLD (born
  1890, witness in 2015); then a blank id (1) and two different rows with id PDUP (2)
                                                                       -> 3 of 96 quarantined
involvements: the 90 good rows, POLD as witness, then a blank person id (1), role 'suspcet'
  on I04/S04 (1), unknown incident INOPE (1), unknown person PNOPE (1), W07 twice on I07 with
  different relationships (2); relationship 'husbnd' on I06/V06 (kept) -> 6 of 97 quarantined
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import dagster as dg
import pytest
import yaml

from helpers import REPO, Story, run_isolated, write_extract

AS_OF = dt.date(2016, 12, 31)
INC_HEAD = ["incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
            "domestic_abuse_flag"]
PER_HEAD = ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"]
INV_HEAD = ["incident_id", "person_id", "role", "relationship"]
PUBLISHED = ("priority_list.csv", "priority_list.xlsx", "priority_incidents.csv", "left_list.csv",
             "run_manifest.json")


def _defect_extract(folder: Path) -> dict:
    inc, per, inv = [], [], []
    day = dt.date(2015, 1, 1)

    def person(pid, dob="1975-05-05", gender="female"):
        per.append([pid, "", "", dob, gender, ""])

    def incident(iid, date, *, rtype="crime", code="8N", dash="standard", flag="true",
                 suspect=None, victim=None):
        inc.append([iid, date, rtype, code, dash, flag])
        for pid, role, rel in ((suspect, "suspect", ""), (victim, "victim", "partner")):
            if pid:
                inv.append([iid, pid, role, rel])

    for k in range(1, 41):
        incident(f"I{k:02d}", (day + dt.timedelta(days=15 * k)).isoformat(),
                 suspect=f"S{k:02d}", victim=f"V{k:02d}")
    rows = {}
    inc.append(["", "2015-05-05", "crime", "8N", "", ""]); rows["inc_blank"] = len(inc)
    inc.append(["IDUP", "2015-06-01", "crime", "8N", "", ""])
    inc.append(["IDUP", "2015-06-02", "crime", "8N", "", ""])
    inc.append(list(inc[0]))  # exact copy of I01
    inc.append(["IBADDATE", "31/02/2015", "crime", "8N", "", ""])
    inc.append(["IBADTYPE", "2015-07-07", "crme", "8N", "", ""])
    incident("IFUTURE", "2099-01-01", suspect="SF", victim="VF")
    incident("IDASH", "2015-03-01", dash="hgih", suspect="SD", victim="VD")
    incident("IFLAG", "2015-03-02", flag="maybe", suspect="SG", victim="VG")
    incident("ICODE", "2015-03-03", code="ZZZ", suspect="SC", victim="VC")
    incident("INOVICTIM", "2015-03-04", suspect="SN")
    incident("INOSUSPECT", "2015-03-05", victim="VN")

    for k in range(1, 41):
        person(f"S{k:02d}", "1970-01-01", "x" if k == 1 else "male")
        person(f"V{k:02d}")
    for pid in ("SF", "VF"):
        person(pid, dob="1990-01-01")      # 109 on the day of IFUTURE: plausible
    for pid in ("SD", "SG", "VG", "SC", "VC", "SN", "VN", "W07"):
        person(pid)
    person("VD", dob="2016-06-01")          # born after IDASH (2015-03-01)
    person("PBADDOB", dob="1990-13-45")     # not a date: kept, date of birth unknown
    person("POLD", dob="1890-01-01")        # 125 on the day of I02
    per.append(["", "", "", "1980-01-01", "male", ""]); rows["per_blank"] = len(per)
    per.append(["PDUP", "", "", "1981-01-01", "male", ""])
    per.append(["PDUP", "", "", "1982-02-02", "male", ""])

    inv.append(["I02", "POLD", "witness", ""])
    inv[inv.index(["I06", "V06", "victim", "partner"])][3] = "husbnd"
    inv.append(["I03", "", "witness", ""]); rows["inv_blank"] = len(inv)
    inv.append(["I04", "S04", "suspcet", ""])
    inv.append(["INOPE", "S01", "suspect", ""])
    inv.append(["I05", "PNOPE", "witness", ""])
    inv.append(["I07", "W07", "witness", "family"])
    inv.append(["I07", "W07", "witness", "other"])
    write_extract(folder, (INC_HEAD, inc), (PER_HEAD, per), (INV_HEAD, inv))
    return {"folder": folder, "rows": rows, "read": (len(inc), len(per), len(inv))}


def _story(extra: bool) -> Story:
    """Two serial perpetrators (KA, KB) in 2016; `extra` doubles every table (KC, KD)."""
    s = Story().table("""
        incident  date        type       code  suspect  victim
        A1        2016-12-01  -          8N    KA       VA1
        A2        2016-06-01  -          8G    KA       VA2
        B1        2016-11-11  non_crime  -     KB       VB1
        B2        2016-03-03  -          9A    KB       VB2
    """)
    if extra:
        s.table("""
            incident  date        code  suspect  victim
            C1        2016-10-01  8L    KC       VC1
            C2        2016-05-01  8L    KC       VC2
            D1        2016-09-01  105A  KD       VD1
            D2        2016-04-01  105A  KD       VD2
        """)
    return s


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three real `matac run` executions (in this process, each its own Dagster run):
    a = a small clean extract (published), d = the defect extract into the same output folder
    (blocked), b = a delivery twice the size of a from the same source folder."""
    from pipeline.orchestration import runner

    root = tmp_path_factory.mktemp("quality")
    (root / "state").mkdir()
    config = root / "settings.yaml"
    config.write_text(yaml.safe_dump({
        "storage": {"database": str(root / "matac.duckdb")},
        "output": {"directory": str(root / "output")},
    }), encoding="utf-8")
    a = _story(False).write(root / "deliveries" / "2016-11")
    b = _story(True).write(root / "deliveries" / "2016-12")
    d = _defect_extract(root / "other_source" / "2016-12")
    out, out_b = root / "out", root / "out_b"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(REPO))
        mp.setenv("MATAC_STATE_DIR", str(root / "state"))
        mp.delenv("MATAC_CONFIG", raising=False)
        result = {"root": root, "out": out, "out_b": out_b, "defects": d}
        result["a"] = runner.run_cycle([str(a)], as_of=AS_OF, out=str(out), config=str(config))
        result["published"] = {n: (out / n).read_bytes() for n in PUBLISHED if (out / n).exists()}
        result["a_doc"] = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
        result["d"] = runner.run_cycle([str(d["folder"])], as_of=AS_OF, out=str(out), config=str(config))
        result["d_doc"] = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
        result["b"] = runner.run_cycle([str(b)], as_of=AS_OF, out=str(out_b), config=str(config))
        result["b_doc"] = json.loads((out_b / "data_quality.json").read_text(encoding="utf-8"))
        instance = dg.DagsterInstance.get()
        result["events"] = {
            key: [e.dagster_event for e in instance.all_logs(result[key].run_ids[-1]) if e.dagster_event]
            for key in ("a", "d", "b")
        }
        instance.dispose()
    return result


def _checks(doc: dict) -> dict[str, dict]:
    return {c["name"]: c for c in doc["checks"]}


# ------------------------------------------------------------------------- the defect extract
def test_defects_block_publication_with_exit_3_naming_the_failed_checks(runs):
    outcome = runs["d"]
    assert outcome.exit_code == 3
    for name in ("incidents__date_not_future", "incidents__quarantine_rate",
                 "involvements__quarantine_rate"):
        assert name in outcome.message
    assert "data_quality_report.html" in outcome.message
    doc = runs["d_doc"]
    assert doc["verdict"] == "fail" and doc["publication"] == "blocked"
    assert doc["run_id"] == outcome.run_ids[-1]
    failed_errors = {c["name"] for c in doc["checks"] if c["success"] is False and c["severity"] == "error"}
    assert failed_errors == {"incidents__date_not_future", "incidents__quarantine_rate",
                             "involvements__quarantine_rate"}


def test_defects_counted_per_table_with_reasons_and_sample_rows(runs):
    d, doc = runs["defects"], runs["d_doc"]
    inc, per, inv = doc["tables"]["incidents"], doc["tables"]["persons"], doc["tables"]["involvements"]
    assert (inc["rows_read"], per["rows_read"], inv["rows_read"]) == d["read"] == (52, 96, 97)
    assert (inc["rows_loaded"], inc["rows_quarantined"]) == (46, 6)
    assert (per["rows_loaded"], per["rows_quarantined"]) == (93, 3)
    assert (inv["rows_loaded"], inv["rows_quarantined"]) == (91, 6)
    assert inc["quarantine_reasons"] == {"duplicate_incident_id": 2, "duplicate_row": 1,
                                         "missing_incident_id": 1, "unknown_record_type": 1,
                                         "unparseable_occurred_date": 1}
    assert per["quarantine_reasons"] == {"duplicate_person_id": 2, "missing_person_id": 1}
    assert inv["quarantine_reasons"] == {"duplicate_involvement": 2, "missing_person_id": 1,
                                         "orphan_incident": 1, "orphan_person": 1, "unknown_role": 1}
    samples = {s["reason"]: s for s in inc["quarantine_samples"]}
    # data rows counted from 1: the 40 good rows, then the blank id, IDUP, IDUP, the copy ...
    assert samples["missing_incident_id"]["rows"] == [41]
    assert samples["duplicate_incident_id"]["rows"] == [42, 43]
    assert samples["duplicate_row"]["rows"] == [44]
    assert samples["duplicate_incident_id"]["file"] == "2016-12/incidents.csv"


def _checks_table(text: str) -> dict[str, tuple]:
    """{check: (severity, success, failing rows, failing ids)} from a text table, one check a
    line: `-` is no failing-rows count (None) or no failing ids ([])."""
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, severity, result, rows, ids = line.split()
            out[name] = (severity, result == "pass", None if rows == "-" else int(rows),
                         [] if ids == "-" else ids.split(","))
    return out


EXPECTED = _checks_table("""
    # check                                  severity  result  failing_rows  failing_ids
    incidents__has_rows                      error     pass    -             -
    incidents__id_present                    warn      fail    1             2016-12/incidents.csv:41
    incidents__id_valid                      warn      pass    0             -
    incidents__id_unique                     warn      fail    2             IDUP
    incidents__date_parseable                warn      fail    1             IBADDATE
    incidents__date_not_future               error     fail    1             IFUTURE
    incidents__record_type_valid             warn      fail    1             IBADTYPE
    incidents__dash_risk_valid               warn      fail    1             IDASH
    incidents__da_flag_valid                 warn      fail    1             IFLAG
    incidents__offence_code_known            warn      fail    1             ICODE
    incidents__has_perpetrator               warn      fail    1             INOSUSPECT
    incidents__has_victim                    warn      fail    1             INOVICTIM
    incidents__area_given                    warn      pass    46            I01,I02,I03,I04,I05,I06,I07,I08,I09,I10
    incidents__quarantine_rate               error     fail    6             -
    incidents__volume_change                 warn      pass    -             -
    incidents__usable_ids_unique             error     pass    0             -
    persons__has_rows                        error     pass    -             -
    persons__id_present                      warn      fail    1             2016-12/persons.csv:94
    persons__id_valid                        warn      pass    0             -
    persons__id_unique                       warn      fail    2             PDUP
    persons__dob_parseable                   warn      fail    1             PBADDOB
    persons__dob_missing_rate                warn      pass    1             PBADDOB
    persons__dob_before_incidents            warn      fail    1             VD
    persons__age_plausible                   warn      fail    1             POLD
    persons__gender_valid                    warn      fail    1             S01
    persons__quarantine_rate                 error     pass    3             -
    persons__volume_change                   warn      pass    -             -
    persons__usable_ids_unique               error     pass    0             -
    involvements__has_rows                   error     pass    -             -
    involvements__ids_present                warn      fail    1             2016-12/involvements.csv:92
    involvements__ids_valid                  warn      pass    0             -
    involvements__role_valid                 warn      fail    1             I04/S04
    involvements__incident_known             warn      fail    1             INOPE
    involvements__person_known               warn      fail    1             PNOPE
    involvements__no_conflicting_duplicates  warn      fail    2             I07/W07
    involvements__relationship_valid         warn      fail    1             I06/V06
    involvements__quarantine_rate            error     fail    6             -
    involvements__volume_change              warn      pass    -             -
    involvements__usable_refs_resolve        error     pass    0             -
""")


def test_every_staged_check_has_the_worked_out_severity_result_and_failing_ids(runs):
    d, checks = runs["defects"], _checks(runs["d_doc"])
    assert d["rows"] == {"inc_blank": 41, "per_blank": 94, "inv_blank": 92}  # the ids above
    staged = {n: c for n, c in checks.items() if not n.startswith("priority_list__")}
    assert set(staged) == set(EXPECTED)
    for name, (severity, success, failing, ids) in EXPECTED.items():
        c = checks[name]
        assert (c["severity"], c["success"], c["failing_rows"], c["failing_ids"]) == (
            severity, success, failing, ids), name
    assert checks["incidents__quarantine_rate"]["observed"] == pytest.approx(6 / 52)
    assert checks["involvements__quarantine_rate"]["observed"] == pytest.approx(6 / 97)
    assert checks["incidents__offence_code_known"]["observed"] == pytest.approx(1 / 46)
    assert checks["incidents__offence_code_known"]["observed_text"] == "2.2% (1 of 46)"
    assert checks["persons__dob_missing_rate"]["observed"] == pytest.approx(1 / 93)
    # the list was never checked: publication was blocked before it
    assert {c["status"] for n, c in checks.items() if n.startswith("priority_list__")} == {"not_run"}


def test_blocked_run_leaves_the_published_list_byte_for_byte_unchanged(runs):
    assert runs["a"].exit_code == 0, runs["a"].message
    assert set(runs["published"]) == set(PUBLISHED)
    out = runs["out"]
    for name, before in runs["published"].items():
        assert (out / name).read_bytes() == before, name
    assert not list(out.glob(".*.tmp"))
    # ... while the report in the same folder is the blocked run's
    assert (out / "data_quality_report.html").read_text(encoding="utf-8").count('data-verdict="fail"') == 1


def test_dagster_records_blocking_checks_and_skips_publication(runs):
    events = runs["events"]["d"]
    evaluations = {
        e.event_specific_data.check_name: e.event_specific_data
        for e in events if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    }
    # identity's own checks (test_identity.py) ran and passed before the data-quality gate
    assert evaluations.pop("no_person_with_two_pnc_ids").passed
    assert evaluations.pop("cluster_size").passed
    # one Dagster check per table and severity: <table>_errors (blocking), <table>_warnings
    groups: dict[str, tuple[str, list[str], list[str]]] = {}
    for name, (severity, ok, _, _) in EXPECTED.items():
        group = f"{name.split('__')[0]}_{'errors' if severity == 'error' else 'warnings'}"
        _, members, failed = groups.setdefault(group, (severity, [], []))
        members.append(name)
        if not ok:
            failed.append(name)
    assert set(evaluations) == set(groups)  # the list checks never ran: publication blocked
    assert {n for n, ev in evaluations.items() if not ev.passed} == {
        g for g, (_, _, failed) in groups.items() if failed}
    for group, (severity, members, failed) in groups.items():
        ev = evaluations[group]
        assert ev.blocking is (severity == "error"), group
        assert ev.severity == (dg.AssetCheckSeverity.ERROR if severity == "error" else dg.AssetCheckSeverity.WARN)
        assert ev.metadata["checks"].value == len(members), group
        assert sorted(ev.metadata["failed_expectations"].value) == sorted(failed), group
        table = ev.metadata["results"].value
        assert all(f"| {m} | {'FAIL' if m in failed else 'pass'} |" in table for m in members), group
    materialized = {e.asset_key.to_user_string() for e in events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION}
    assert "data_quality_report" in materialized
    assert "published_priority_list" not in materialized
    assert "priority_list_quality" not in {e.step_key for e in events if e.is_step_success}
    report = next(e for e in events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
                  and e.asset_key.to_user_string() == "data_quality_report")
    meta = report.event_specific_data.materialization.metadata
    assert meta["verdict"].value == "fail"
    assert meta["errors_failed"].value == 3
    assert meta["incidents_rows_quarantined"].value == 6
    assert Path(meta["report"].value) == runs["out"] / "data_quality_report.html"


# -------------------------------------------------------------------- warnings and the list
def test_warnings_alone_publish_with_exit_0_and_the_list_checks_pass(runs):
    doc, checks = runs["a_doc"], _checks(runs["a_doc"])
    assert runs["a"].exit_code == 0
    assert doc["verdict"] == "warn" and doc["publication"] == "allowed"
    # Story persons have no date of birth: 100% missing > 20%, the only failure
    assert doc["summary"]["failed_checks"] == ["persons__dob_missing_rate"]
    assert checks["persons__dob_missing_rate"]["observed"] == 1.0
    assert doc["listed"] == 2  # KA and KB
    listed = [c for n, c in checks.items() if n.startswith("priority_list__")]
    assert len(listed) == 8 and all(c["success"] is True for c in listed)
    assert all(c["severity"] == "error" for c in listed)
    gate = [e.event_specific_data for e in runs["events"]["a"]
            if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
            and e.event_specific_data.check_name == "data_quality_gate"]
    assert len(gate) == 1 and gate[0].passed and gate[0].blocking


def test_volume_change_against_the_previous_delivery_of_the_same_source(runs):
    assert runs["b"].exit_code == 0
    checks = _checks(runs["b_doc"])
    # a: 4 incidents, 6 persons, 8 involvements; b: twice as many of each -> +100% > 30%
    for table in ("incidents", "persons", "involvements"):
        c = checks[f"{table}__volume_change"]
        assert (c["success"], c["severity"], c["observed"]) == (False, "warn", 1.0), table
    assert checks["incidents__volume_change"]["observed_text"] == "+100.0% (4 → 8)"
    assert runs["a_doc"]["summary"]["failed_checks"] == ["persons__dob_missing_rate"]  # no previous
    trend = runs["b_doc"]["trend"]
    assert [t["incidents_used"] for t in trend] == [4, 8]
    assert [t["verdict"] for t in trend] == ["warn", "warn"]
    assert [t["listed"] for t in trend] == [2, 4]
    assert [t["run_id"] for t in trend] == [runs["a"].run_ids[-1], runs["b"].run_ids[-1]]
    # the defect extract came from another folder: its own history, no volume comparison
    assert [t["run_id"] for t in runs["d_doc"]["trend"]] == [runs["d"].run_ids[-1]]


def test_report_files_written_atomically_next_to_the_list(runs):
    for out in (runs["out"], runs["out_b"]):
        html = (out / "data_quality_report.html").read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
        # nothing loaded from anywhere (an inline SVG's xmlns names a namespace, fetches nothing)
        offline = re.sub(r'\sxmlns(:\w+)?="[^"]*"', "", html)
        assert "<script" not in offline and "http://" not in offline and "https://" not in offline
        assert not list(out.glob(".*.tmp"))


def test_a_rerun_of_the_same_files_is_no_new_delivery(layers, workspace):
    """Re-assessing the same files compares with the last *other* delivery from the source
    (not with itself), and the trend keeps one row per delivery (its latest run)."""
    from pipeline import quality

    first = _story(False).write(workspace.root / "deliveries" / "2016-11")
    second = _story(True).write(workspace.root / "deliveries" / "2016-12")
    quality.assess_staged(layers(first).score(AS_OF).con, workspace.settings(), AS_OF, "r1")
    lay = layers(second).score(AS_OF)
    for run_id in ("r2", "r3"):
        a = quality.assess_staged(lay.con, lay.settings, AS_OF, run_id)
        c = {c.name: c for c in a.checks}["involvements__volume_change"]
        assert (c.success, c.observed) == (False, 1.0), run_id   # 8 -> 16, both times
    assert [(t["run_id"], t["involvements_used"]) for t in a.trend] == [("r1", 8), ("r3", 16)]
    lay.settings = workspace.settings(quality={"max_volume_change": 1.5})
    a = quality.assess_staged(lay.con, lay.settings, AS_OF, "r4")
    assert {c.name: c for c in a.checks}["involvements__volume_change"].success is True


# ------------------------------------------------------------------- the generator's dirty data
@pytest.fixture(scope="module")
def dirty(tmp_path_factory):
    """One real run on `data_samples/dirty` (made by `matac synth --dirty`), or on a fresh
    `pipeline.synth.generate(dirty=...)` extract when the sample is not there."""
    root = tmp_path_factory.mktemp("dirty")
    src = REPO / "data_samples" / "dirty"
    if not (src / "_truth" / "defects.csv").exists():
        synth = pytest.importorskip("pipeline.synth.generate", reason="no dirty sample and no generator")
        src = root / "dirty"
        synth.generate(src, incidents=1500, seed=11, dirty=0.01)
    outcome = run_isolated(root, [str(src)])
    with open(src / "_truth" / "defects.csv", encoding="utf-8", newline="") as fh:
        defects = [r for r in csv.DictReader(fh) if r["row"] != "0"]  # 0 = header variants (legal)
    doc = json.loads((root / "out" / "data_quality.json").read_text(encoding="utf-8"))
    return {"outcome": outcome, "doc": doc, "defects": defects, "db": root / "matac.duckdb"}


def test_dirty_sample_counts_match_the_generators_defect_list(dirty):
    checks, defects = _checks(dirty["doc"]), dirty["defects"]

    def n(table, kind, *columns):
        return sum(1 for d in defects if d["table"] == table and d["kind"] == kind
                   and (not columns or d["column"] in columns))

    exact = {
        "incidents__id_present": n("incidents", "blank_required", "incident_id"),
        "incidents__id_unique": 2 * n("incidents", "duplicate_id"),  # the original and its copy
        "incidents__date_parseable": n("incidents", "unparseable_date") + n("incidents", "blank_required", "occurred_date"),
        "incidents__record_type_valid": n("incidents", "unknown_enum") + n("incidents", "blank_required", "record_type"),
        "incidents__dash_risk_valid": n("incidents", "bad_optional"),
        "persons__id_present": n("persons", "blank_required", "person_id"),
        "persons__id_unique": 2 * n("persons", "duplicate_id"),
        "persons__dob_parseable": n("persons", "unparseable_date"),
        "persons__gender_valid": n("persons", "bad_optional"),
        "involvements__ids_present": n("involvements", "blank_required", "incident_id", "person_id"),
        "involvements__role_valid": n("involvements", "unknown_enum") + n("involvements", "blank_required", "role"),
    }
    assert sum(exact.values()) > 20
    for name, count in exact.items():
        c = checks[name]
        assert c["failing_rows"] == count, name
        assert c["success"] is (count == 0) and c["severity"] == "warn", name
    # an orphan the generator wrote, plus involvements of rows quarantined in the other tables
    assert checks["involvements__incident_known"]["failing_rows"] >= n("involvements", "orphan_reference", "incident_id")
    assert checks["involvements__person_known"]["failing_rows"] >= n("involvements", "orphan_reference", "person_id")
    # a bad relationship is counted where the involvement itself is usable
    assert 0 < checks["involvements__relationship_valid"]["failing_rows"] <= n("involvements", "bad_optional")
    # the sample rows of a reason are the generator's rows for that defect
    rows = sorted(int(d["row"]) for d in defects if d["table"] == "incidents" and d["kind"] == "unknown_enum")
    sample = next(s for s in dirty["doc"]["tables"]["incidents"]["quarantine_samples"]
                  if s["reason"] == "unknown_record_type")
    assert sample["rows"] == rows[:5]


def test_dirty_sample_report_agrees_with_the_quarantine_tables_and_the_gate(dirty):
    import duckdb

    doc, outcome = dirty["doc"], dirty["outcome"]
    with duckdb.connect(str(dirty["db"]), read_only=True) as con:
        read = dict(con.execute("SELECT table_name, sum(rows_read) FROM raw_files GROUP BY 1").fetchall())
        reasons = {t: dict(con.execute(f"SELECT reason, count(*) FROM quarantine_{t} GROUP BY 1").fetchall())
                   for t in ("incidents", "persons", "involvements")}
        for table_name, count in con.execute(
                "SELECT table_name, count(*) FROM quarantine_malformed_rows GROUP BY 1").fetchall():
            reasons[table_name]["malformed_row"] = count
        latest = con.execute("SELECT max(occurred_date) FROM stg_incidents").fetchone()[0]
    blocked = []
    for table, by_reason in reasons.items():
        t = doc["tables"][table]
        assert t["rows_read"] == read[table]
        assert t["quarantine_reasons"] == by_reason
        assert t["rows_quarantined"] == sum(by_reason.values())
        assert t["rows_loaded"] == read[table] - sum(by_reason.values())
        if sum(by_reason.values()) / read[table] > 0.05:
            blocked.append(f"{table}__quarantine_rate")
    if latest > dt.date.fromisoformat(doc["reference_date"]):
        blocked.append("incidents__date_not_future")
    failed_errors = [c["name"] for c in doc["checks"] if c["success"] is False and c["severity"] == "error"]
    assert sorted(failed_errors) == sorted(blocked)
    assert outcome.exit_code == (3 if blocked else 0), outcome.message
    assert doc["verdict"] == ("fail" if blocked else "warn")  # the sample always has warnings
    if not blocked:
        assert all(c["status"] == "pass" for c in doc["checks"] if c["table"] == "priority_list")
        assert doc["listed"] > 0


def test_report_identity_section_counts_what_the_database_holds(dirty, runs):
    """The identity section (counts only) agrees with persons and links recounted from the
    DuckDB file; a run blocked before the list was built says the section did not run."""
    import duckdb

    doc = dirty["doc"]
    if doc["verdict"] == "fail":
        pytest.skip("the dirty sample was blocked: no identity section to compare")
    idn = doc["identity"]
    with duckdb.connect(str(dirty["db"]), read_only=True) as con:
        nominals = con.execute("SELECT count(*) FROM stg_persons WHERE is_current").fetchone()[0]
        sizes = dict(con.execute(
            "SELECT n, count(*) FROM (SELECT resolved_person_id, count(*) AS n FROM "
            "int_person_identity GROUP BY 1) GROUP BY n").fetchall())
        accepted = dict(con.execute("SELECT basis, count(*) FROM identity_links "
                                    "WHERE status = 'accepted' GROUP BY 1").fetchall())
    assert idn["method"] == "linked" and idn["nominals"] == nominals
    assert idn["persons"] == sum(sizes.values())
    assert idn["nominals_merged"] == nominals - sum(sizes.values()) > 0
    assert idn["persons_with_several_records"] == sum(v for k, v in sizes.items() if k > 1)
    assert idn["cluster_sizes"] == {str(k): v for k, v in sorted(sizes.items())}
    assert (idn["links_pnc"], idn["links_model"]) == (accepted.get("pnc", 0), accepted.get("linked", 0))
    assert idn["links_pnc"] > 0 and idn["links_model"] > 0
    assert idn["persons_with_two_pnc_ids"] == 0
    assert set(idn) >= {"links_cut", "review_queue", "oversized_persons", "decisions_used"}
    html = (dirty["db"].parent / "out" / "data_quality_report.html").read_text(encoding="utf-8")
    section = html[html.index('id="identity"'):html.index('id="trend"')]
    assert f"<b>{idn['nominals_merged']:,}</b><span>records joined to another</span>" in section
    assert runs["d_doc"]["identity"] is None
    blocked = (runs["out"] / "data_quality_report.html").read_text(encoding="utf-8")
    assert "Not run: publication was already blocked" in blocked[blocked.index('id="identity"'):]


# ------------------------------------------------------------------ the self-checks can fail
def test_list_self_check_catches_a_broken_list(layers, workspace):
    """Break the list in DuckDB (a rank gap, a wrong count, a person who is not serial) and run
    the list suite on it: each break fails its check and names the perpetrator."""
    from pipeline import quality

    s = _story(True)
    s.incident("E1", "2016-08-08", code="8N", suspect="KE", victim="VE1")  # one incident only
    lay = layers(s.write(workspace.root / "ex")).score(AS_OF)
    assert sorted(lay.listed()) == ["KA", "KB", "KC", "KD"]  # KE: one incident, not serial
    params = quality.parameters(lay.settings, dt.date(2030, 1, 1), AS_OF)
    ok = quality.list_checks(quality.list_frame(lay.con, lay.settings, AS_OF), lay.settings, params)
    assert all(c.success for c in ok)
    last = lay.listed()[-1]
    lay.con.execute("UPDATE mart_priority_list SET rank = rank + 1 WHERE perpetrator_id = ?", [last])
    first = lay.listed()[0]
    lay.con.execute("UPDATE mart_priority_list SET incidents_in_window = incidents_in_window + 1 "
                    "WHERE perpetrator_id = ?", [first])
    lay.con.execute("INSERT INTO mart_priority_list BY NAME SELECT * REPLACE ('KE' AS perpetrator_id, "
                    "9 AS rank) FROM mart_priority_list WHERE perpetrator_id = ?", [first])
    broken = {c.name: c for c in quality.list_checks(
        quality.list_frame(lay.con, lay.settings, AS_OF), lay.settings, params)}
    assert broken["priority_list__rank_contiguous"].success is False
    assert broken["priority_list__rank_contiguous"].failing_ids == [last, "KE"]
    assert broken["priority_list__incidents_match"].failing_ids == [first, "KE"]
    assert broken["priority_list__min_incidents"].failing_ids == ["KE"]   # 1 incident < 2
    assert broken["priority_list__min_victims"].failing_ids == ["KE"]
    assert broken["priority_list__min_incidents"].severity == "error"
    assert broken["priority_list__perpetrator_id_unique"].success is True
    assert quality.verdict(list(broken.values())) == "fail"


def test_staged_self_check_catches_a_repeated_usable_id(layers, workspace):
    from pipeline import quality

    lay = layers(_story(False).write(workspace.root / "ex"))
    lay.score(AS_OF)
    before = {c.name: c for c in quality.assess_staged(lay.con, lay.settings, AS_OF, "t1").checks}
    assert before["incidents__usable_ids_unique"].success is True
    lay.con.execute("INSERT INTO stg_incidents_checked SELECT * FROM stg_incidents_checked "
                    "WHERE incident_id = 'A2'")
    after = {c.name: c for c in quality.assess_staged(lay.con, lay.settings, AS_OF, "t2").checks}
    c = after["incidents__usable_ids_unique"]
    assert (c.success, c.failing_rows, c.failing_ids, c.severity) == (False, 1, ["A2"], "error")


# ------------------------------------------------------------------------------ the suites
def test_suites_are_gx_suites_with_a_severity_and_plain_language_for_every_check():
    import great_expectations as gx

    from pipeline import quality

    names = set()
    for suite in quality.SUITES:
        path = REPO / "expectations" / f"{suite}.json"
        spec = json.loads(path.read_text(encoding="utf-8"))
        loaded = gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"], meta=spec["meta"])
        dumped = loaded.to_json_dict()
        assert [e["type"] for e in dumped["expectations"]] == [e["type"] for e in spec["expectations"]]
        for mine, theirs in zip(spec["expectations"], dumped["expectations"]):
            assert theirs["severity"] == mine["severity"] in ("critical", "warning")
            assert theirs["meta"] == mine["meta"]
            assert mine["meta"]["title"] and mine["meta"]["unit"] in ("rows", "count", "rate", "change", "listed")
        names |= {d["name"] for d in quality.definitions(suite)}
    assert len(names) == 47
    # every staged check is a column of its DuckDB measure query (the suite validates that row)
    for table in ("incidents", "persons", "involvements"):
        sql = (REPO / "sql" / "quality" / f"profile_{table}.sql").read_text(encoding="utf-8")
        for d in quality.definitions(f"stg_{table}"):
            if d["check"] not in ("quarantine_rate", "volume_change"):
                assert f" AS {d['check']}" in sql or f"AS {d['check']}__failing" in sql, d["name"]


def test_gx_failure_to_compute_is_an_error_not_a_pass():
    import pandas as pd

    from pipeline import quality
    from pipeline.core.settings import load_settings

    params = quality.parameters(load_settings(), dt.date(2030, 1, 1), AS_OF)
    with pytest.raises(quality.QualityError, match="GX could not evaluate"):
        quality.validate("stg_incidents", pd.DataFrame([{"has_rows": 1}]), params)
