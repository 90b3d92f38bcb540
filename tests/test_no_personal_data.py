"""No surname, forenames, date of birth or PNC id from the input leaves the pipeline through the
data-quality report, its JSON, the CLI's output, the Dagster event log or run storage, or the
published files and the quarantine files beside the report. Two real runs on an extract full of
personal data (and of defects that touch it: a duplicate nominal, conflicting duplicate rows, a
person row without an id, an unparseable and an impossible date of birth): `matac run` as a subprocess, blocked by the gate (exit 3), and an in-process run that
publishes (exit 0). The subprocess is started first and runs while the in-process run does."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from helpers import REPO, write_extract

MATAC = REPO / ".venv" / "bin" / "matac"
AS_OF = "2016-12-31"
PERSONS = [  # person_id, surname, forenames, date_of_birth, gender, pnc_id
    ["KA", "Zqsurname-Alpha", "Zqforename-Amy", "1957-04-13", "female", "57/000111A"],
    ["KA2", "Zqsurname-Alphb", "Zqforename-Amz", "13/04/1957", "f", " 57/000111a "],
    ["VA1", "Zqsurname-Bravo", "Zqforename-Bea", "1962-08-21", "male", "62/004242K"],
    ["VA2", "Zqsurname-Carter", "Zqforename-Cyd", "1963-02-30", "male", ""],
    ["KB", "Zqsurname-Delta", "Zqforename-Dov", "09/09/2016", "male", "88/123456Z"],
    ["VB1", "Zqsurname-Echo", "Zqforename-Eve", "", "female", ""],
    ["VB2", "Zqsurname-Fox", "Zqforename-Fay", "1951-11-30", "female", "51/777777M"],
    ["PDUP", "Zqsurname-Golf", "Zqforename-Gil", "1949-07-07", "male", "49/000001B"],
    ["PDUP", "Zqsurname-Hotel", "Zqforename-Hal", "1948-06-06", "male", "48/000002C"],
    ["", "Zqsurname-India", "Zqforename-Ivy", "1950-05-05", "female", "50/000003D"],  # no id
]
INCIDENTS = [
    ["A1", "2016-12-01", "crime", "8N", "high", "true"],
    ["A2", "2016-06-01", "crime", "8G", "medium", "true"],
    ["B1", "2016-11-11", "non_crime", "", "", ""],
    ["B2", "2016-03-03", "crime", "9A", "standard", "yes"],
]
INVOLVEMENTS = [
    ["A1", "KA", "suspect", ""], ["A1", "VA1", "victim", "partner"],
    ["A2", "KA2", "suspect", ""], ["A2", "VA2", "victim", "ex_partner"],
    ["B1", "KB", "suspect", ""], ["B1", "VB1", "victim", "family"],
    ["B2", "KB", "offender", ""], ["B2", "VB2", "victim", "partner"],
]


def _secrets() -> list[str]:
    """Every personal value as written, and as the pipeline would normalise it."""
    out = {"Zqsurname-", "Zqforename-"}
    for _pid, surname, forenames, dob, _gender, pnc in PERSONS:
        out |= {surname, forenames, surname.upper(), forenames.upper()}
        if dob:
            out.add(dob)
            if "/" in dob:
                d, m, y = dob.split("/")
                out.add(f"{y}-{m}-{d}")
        if pnc.strip():
            out |= {pnc.strip(), pnc.strip().upper()}
    return sorted(out)


def _extract(folder: Path, future: bool) -> Path:
    incidents = INCIDENTS + ([["IFUT", "2099-01-01", "crime", "8N", "", ""]] if future else [])
    involvements = INVOLVEMENTS + ([["IFUT", "KA", "suspect", ""], ["IFUT", "VA1", "victim", ""]]
                                   if future else [])
    return write_extract(
        folder,
        (["incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
          "domestic_abuse_flag"], incidents),
        (["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"], PERSONS),
        (["incident_id", "person_id", "role", "relationship"], involvements),
    )


def _config(root: Path) -> Path:
    path = root / "settings.yaml"
    path.write_text(yaml.safe_dump({"storage": {"database": str(root / "matac.duckdb")},
                                    "output": {"directory": str(root / "output")}}), encoding="utf-8")
    return path


def _leaks(text: str) -> list[str]:
    return [s for s in _secrets() if s in text]


def _file_leaks(folder: Path) -> dict[str, list[str]]:
    """Secrets found in any file under `folder` (bytes; xlsx members unzipped)."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                blobs = [z.read(n) for n in z.namelist()]
        else:
            blobs = [path.read_bytes()]
        hits = [s for s in _secrets() for b in blobs if s.encode("utf-8") in b]
        if hits:
            found[str(path)] = sorted(set(hits))
    return found


def _event_log_leaks(state: Path) -> tuple[int, list[str]]:
    """Read every run's event log (and the run records) from the Dagster instance in `state`."""
    import dagster as dg
    from dagster._serdes import serialize_value

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(REPO))
        mp.setenv("MATAC_STATE_DIR", str(state))
        instance = dg.DagsterInstance.get()
        try:
            run_ids = instance.get_run_ids()
            text = "\n".join(
                [serialize_value(entry) for rid in run_ids for entry in instance.all_logs(rid)]
                + [serialize_value(run) for run in instance.get_runs()]
            )
        finally:
            instance.dispose()
    return len(run_ids), _leaks(text)


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """`matac run` as a subprocess on the extract with a future-dated incident (blocked);
    started here, waited for in the test that needs it."""
    root = tmp_path_factory.mktemp("pd_cli")
    (root / "state").mkdir()
    ex = _extract(root / "landing" / "2016-12", future=True)
    env = {k: v for k, v in os.environ.items() if k != "MATAC_CONFIG"}
    env.update(DAGSTER_HOME=str(REPO), MATAC_STATE_DIR=str(root / "state"))
    proc = subprocess.Popen(
        [str(MATAC), "run", "--extract", str(ex), "--as-of", AS_OF, "--config", str(_config(root))],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root, env=env,
    )
    yield {"root": root, "proc": proc}
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_published_run_leaks_no_personal_data(cli, workspace, capfd):
    from pipeline.orchestration import runner

    ex = _extract(workspace.root / "landing" / "2016-12", future=False)
    # 3 of 10 person rows are set aside: allow that much quarantine so it publishes
    config = workspace.config(quality={"max_quarantine_rate": 0.5})
    outcome = runner.run_cycle([str(ex)], as_of=dt.date.fromisoformat(AS_OF), config=str(config))
    captured = capfd.readouterr()
    assert outcome.exit_code == 0, outcome.message
    out = workspace.output / AS_OF
    assert (out / "priority_list.csv").is_file() and (out / "data_quality_report.html").is_file()
    with open(out / "priority_list.csv", encoding="utf-8", newline="") as fh:
        # KA and KA2 share a PNC id; KB was born after his incidents (so under 16): not serial
        assert [r["perpetrator_id"] for r in csv.DictReader(fh)] == ["KA"]
    # the report does talk about the persons whose data is bad: by id only
    report = (out / "data_quality_report.html").read_text(encoding="utf-8")
    assert "PDUP" in report and "VA2" in report and "KB" in report
    # the quarantine files beside the report list the set-aside person rows (scanned below)
    quarantined = (out / "quarantine.csv").read_text(encoding="utf-8")
    assert quarantined.count("duplicate_person_id") == 2 and "missing_person_id" in quarantined
    assert (out / "quarantine.xlsx").is_file()
    assert _leaks(captured.out + captured.err) == []
    assert _file_leaks(workspace.output) == {}
    runs, leaks = _event_log_leaks(workspace.root / "dagster_state")
    assert runs == 1 and leaks == []
    assert _file_leaks(workspace.root / "dagster_state") == {}


def test_blocked_cli_run_leaks_no_personal_data(cli):
    proc, root = cli["proc"], cli["root"]
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 3, stderr[-2000:]
    assert "incidents__date_not_future" in stderr
    assert _leaks(stdout + stderr) == []
    out = root / "output" / AS_OF
    assert (out / "data_quality_report.html").is_file() and (out / "data_quality.json").is_file()
    assert not (out / "priority_list.csv").exists()
    assert "duplicate_person_id" in (out / "quarantine.csv").read_text(encoding="utf-8")
    assert (out / "quarantine.xlsx").is_file()
    assert _file_leaks(root / "output") == {}
    runs, leaks = _event_log_leaks(root / "state")
    assert runs == 1 and leaks == []
    assert _file_leaks(root / "state") == {}


def test_the_scan_looks_for_what_is_in_the_input(tmp_path):
    """The scans can fail: each name, date of birth and PNC id they look for is in the input."""
    persons = (_extract(tmp_path / "ex", future=True) / "persons.csv").read_text(encoding="utf-8")
    for _pid, surname, forenames, dob, _gender, pnc in PERSONS:
        for value in (surname, forenames, dob, pnc.strip()):
            if value:
                assert value in persons and value in _secrets()
    assert len(_secrets()) > 40
    assert len(_file_leaks(tmp_path / "ex")["%s" % (tmp_path / "ex" / "persons.csv")]) >= 30
