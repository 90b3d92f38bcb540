"""`matac run` end to end: real subprocess runs of the installed CLI (Dagster in-process jobs on a
real DuckDB file), and the CLI entry point in-process for the cheaper cases. Exit codes: 0
published, 2 usage error / unreadable extract / missing column / bad settings. (3, the
data-quality gate, is tested with the gate.)

The runs read one settings file that sets a 3-year window (rule.window_years: 3, the
Northumbria variant), which checks that --config reaches the rule.

The extract (as-of = its latest occurred_date, 2024-06-30; 3-year window from 2021-06-30):
  K1: 2024-06-30 8N (184) vs Ka, 2024-05-01 non-crime (1) vs Kb, 2023-01-10 8G (127) vs Ka
      n=3 (F2), v=2, g=312 (G4), d=0 (R5)                         -> score 11
  K2: 2024-06-01 9A (100) vs Kc, 2024-03-01 8L (40) vs Kd
      n=2 (F1), v=2, g=140 (G3), d=29 (R5)                        -> score 9
  K5: 2021-07-01 and 2021-08-01, 8L each, vs Ki, Kj: in the 3-year window only
      n=2 (F1), v=2, g=80 (G2), d = 365+365+366-32 = 1064 (R1)    -> score 4
  K3: 2023-02-01 and 2023-01-01 non-crimes vs Ke, Kf
      n=2 (F1), v=2, g=2 (G1), d = 365 (to 2024-02-01) + 150 = 515 (R1) -> score 3
  K4: one incident only (not serial).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import REPO, Story, write_table

MATAC = REPO / ".venv" / "bin" / "matac"
AS_OF = "2024-06-30"
EXPECTED = [  # rank, id, score, R, F, G, n, v, last, days, g
    ["1", "K1", "11", "5", "2", "4", "3", "2", "2024-06-30", "0", "312"],
    ["2", "K2", "9", "5", "1", "3", "2", "2", "2024-06-01", "29", "140"],
    ["3", "K5", "4", "1", "1", "2", "2", "2", "2021-08-01", "1064", "80"],
    ["4", "K3", "3", "1", "1", "1", "2", "2", "2023-02-01", "515", "2"],
]
RULE = {"window_years": 3}
HEAD = ["rank", "perpetrator_id", "rfg_score", "recency_points", "frequency_points",
        "gravity_points", "incidents_in_window", "victims_in_window", "last_incident_date",
        "days_since_last_incident", "gravity_total"]


def _extract(folder: Path) -> Path:
    return Story().table("""
        incident  date        type       code  suspect  offender  victim
        K1a       2024-06-30  -          8N    K1       -         Ka
        K1b       2024-05-01  non_crime  -     K1       -         Kb
        K1c       2023-01-10  -          8G    K1       -         Ka
        K2a       2024-06-01  -          9A    K2       -         Kc
        K2b       2024-03-01  -          8L    -        K2        Kd
        K3a       2023-02-01  non_crime  -     K3       -         Ke
        K3b       2023-01-01  non_crime  -     K3       -         Kf
        K4a       2024-06-15  -          8N    K4       -         Kg,Kh
        K5a       2021-07-01  -          8L    K5       -         Ki
        K5b       2021-08-01  -          8L    K5       -         Kj
    """).write(folder)


def _config(root: Path, **sections) -> Path:
    data = {"storage": {"database": str(root / "matac.duckdb")},
            "output": {"directory": str(root / "output")}}
    for key, value in sections.items():
        data.setdefault(key, {}).update(value)
    path = root / "settings.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _matac(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MATAC_CONFIG"}
    env.update(DAGSTER_HOME=str(REPO), MATAC_STATE_DIR=str(root / "state"))
    return subprocess.run([str(MATAC), "run", *args], capture_output=True, text=True,
                          timeout=600, cwd=root, env=env)


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One real `matac run` with the default as-of and the default output folder."""
    root = tmp_path_factory.mktemp("cli")
    (root / "state").mkdir()
    ex = _extract(root / "2024-06")
    proc = _matac(root, "--extract", str(ex), "--config", str(_config(root, rule=RULE)))
    return {"root": root, "extract": ex, "proc": proc, "out": root / "output" / AS_OF}


def test_run_exits_0_and_publishes_every_file_in_the_default_folder(published):
    proc, out = published["proc"], published["out"]
    assert proc.returncode == 0, proc.stderr
    assert f"as-of date: {AS_OF}" in proc.stderr  # the default as-of is printed
    assert str(out) in proc.stdout
    for name in ("priority_list.csv", "priority_list.xlsx", "priority_incidents.csv",
                 "left_list.csv", "run_manifest.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob(".*.tmp"))  # no temporary file left behind


def test_published_list_is_the_hand_worked_one(published):
    rows = _csv(published["out"] / "priority_list.csv")
    assert [[r[h] for h in HEAD] for r in rows] == EXPECTED
    assert "victims_points" not in rows[0]  # RFGV is off by default
    assert not {"surname", "forenames", "date_of_birth", "pnc_id"} & set(rows[0])


def test_priority_incidents_explain_each_score(published):
    rows = _csv(published["out"] / "priority_incidents.csv")
    got = {}
    for r in rows:
        got.setdefault(r["perpetrator_id"], {})[r["incident_id"]] = float(r["weight"])
    assert got == {"K1": {"K1a": 184, "K1b": 1, "K1c": 127}, "K2": {"K2a": 100, "K2b": 40},
                   "K5": {"K5a": 40, "K5b": 40}, "K3": {"K3a": 1, "K3b": 1}}
    for r in _csv(published["out"] / "priority_list.csv"):
        mine = got[r["perpetrator_id"]]
        assert len(mine) == int(r["incidents_in_window"])
        assert sum(mine.values()) == float(r["gravity_total"])


def test_manifest_records_inputs_with_sha256_and_settings(published):
    manifest = json.loads((published["out"] / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == AS_OF
    files = {Path(i["path"]).name: i for i in manifest["inputs"]}
    assert set(files) == {"incidents.csv", "persons.csv", "involvements.csv"}
    for name, info in files.items():
        data = (published["extract"] / name).read_bytes()
        assert info["sha256"] == hashlib.sha256(data).hexdigest()
        assert info["size_bytes"] == len(data)
    assert manifest["settings"]["rule"]["window_years"] == 3  # from --config
    assert manifest["settings"]["rule"]["min_age"] == 16       # default kept


def test_run_reports_its_time_by_part_on_its_last_line_and_in_the_manifest(published):
    last = published["proc"].stdout.strip().splitlines()[-1]
    assert last.startswith("time: imports ") and "packs " in last and "(total " in last
    timings = json.loads((published["out"] / "run_manifest.json").read_text(encoding="utf-8"))["timings"]
    parts = timings["parts"]
    assert list(parts) == ["imports", "dagster", "steps", "identity", "checks", "writing", "packs",
                           "other"]
    assert all(v >= 0 for v in parts.values()) and parts["imports"] > 0 and parts["steps"] > 0
    assert sum(parts.values()) == pytest.approx(timings["total_seconds"], abs=0.01)
    assert [r["job"] for r in timings["runs"]] == ["ingest_job", "publish_job"]
    assert all(r["seconds"] >= r["steps_seconds"] > 0 for r in timings["runs"])
    assert f"{parts['packs']:.1f}s" in last  # the line shows the manifest's numbers


def test_xlsx_has_frozen_header_filters_real_dates_and_an_explanation_sheet(published):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(published["out"] / "priority_list.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    with open(published["out"] / "priority_list.csv", encoding="utf-8", newline="") as fh:
        assert header == next(csv.reader(fh))  # same columns as the CSV, in the same order
    assert header[:len(HEAD)] == HEAD
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    col = header.index("last_incident_date") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, 6)]
    assert all(c.is_date for c in cells)
    assert [c.value.date() for c in cells] == [dt.date(2024, 6, 30), dt.date(2024, 6, 1),
                                               dt.date(2021, 8, 1), dt.date(2023, 2, 1)]
    assert [ws.cell(row=r, column=2).value for r in range(2, 6)] == ["K1", "K2", "K5", "K3"]
    assert ws.cell(row=6, column=1).value is None
    about = wb["About"]
    text = {(row[0] or ""): (row[1] or "") for row in about.iter_rows(values_only=True)}
    for column in header:
        assert text.get(column), f"column {column} is not explained"
    assert text["rule.window_years"] == "3"
    assert text["scoring.include_victims"] == "false"


def test_failed_run_exits_2_names_file_and_column_and_leaves_the_list_unchanged(published):
    root, out = published["root"], published["out"]
    before = (out / "priority_list.csv").read_bytes()
    stamp = (out / "priority_list.csv").stat().st_mtime_ns
    bad = root / "bad"
    _extract(bad)
    rows = _csv(bad / "involvements.csv")
    write_table(bad / "involvements.csv", [[r["incident_id"], r["person_id"]] for r in rows],
                ["incident_id", "person_id"])  # the role column is gone
    proc = _matac(root, "--extract", str(bad), "--config", str(_config(root, rule=RULE)),
                  "--out", str(out))
    assert proc.returncode == 2, proc.stderr
    assert str(bad / "involvements.csv") in proc.stderr and "'role'" in proc.stderr
    assert (out / "priority_list.csv").read_bytes() == before
    assert (out / "priority_list.csv").stat().st_mtime_ns == stamp


def test_same_inputs_give_a_byte_identical_list(published, tmp_path, workspace, capsys):
    """A second run, in this process, on its own Dagster instance and DuckDB file, with the as-of
    given (one matac_job run instead of ingest_job + publish_job): the same files, byte for byte."""
    from pipeline import cli

    assert published["proc"].returncode == 0
    again = tmp_path / "again"
    code = cli.main(["run", "--extract", str(published["extract"]), "--config",
                     str(workspace.config(rule=RULE)), "--out", str(again), "--as-of", AS_OF])
    assert code == 0, capsys.readouterr().err
    for name in ("priority_list.csv", "priority_incidents.csv", "left_list.csv"):
        assert (again / name).read_bytes() == (published["out"] / name).read_bytes(), name


def test_unreadable_extracts_and_usage_errors_exit_2(tmp_path, workspace, capsys):
    from pipeline import cli

    config = str(workspace.config())
    assert cli.main(["run", "--extract", str(tmp_path / "nowhere"), "--config", config]) == 2
    assert "extract folder not found" in capsys.readouterr().err
    broken = _extract(tmp_path / "broken")
    (broken / "persons.csv").unlink()
    (broken / "persons.parquet").write_bytes(b"PAR1 this is not parquet")
    assert cli.main(["run", "--extract", str(broken), "--config", config]) == 2
    assert "persons.parquet" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--config", config])  # --extract is required
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        cli.main(["run", "--extract", str(broken), "--as-of", "30/06/2024"])
    assert exc.value.code == 2
