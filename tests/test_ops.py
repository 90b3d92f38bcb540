"""Operations: definitions, the Dagster instance settings, cycles, the cycle schedule, the
landing-folder sensor, back-fills of as-of partitions, movement between cycles, and crash safety
(a run killed with SIGKILL loses nothing). Real Dagster runs on a private instance, real DuckDB
files, real folders."""

import datetime as dt
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from helpers import REPO, Story, Workspace
from pipeline import cli
from pipeline.core.settings import load_settings
from pipeline.orchestration import runner
from pipeline.orchestration.definitions import build_definitions
from pipeline.orchestration.resources import MatacResource

LONDON = zoneinfo.ZoneInfo("Europe/London")
LISTS = ("priority_list.csv", "priority_list.xlsx", "left_list.csv", "priority_incidents.csv")
PREVIOUS, CURRENT = "2026-02-01", "2026-03-01"  # two consecutive default cycle dates (28 days)


def two_cycle_story() -> Story:
    """Hand-made history around the cycles P = 2026-02-01 and D = 2026-03-01 (window 2 years,
    default bands; nobody has a date of birth, so every age is unknown and counts). Worked by
    hand (R + F + G points):

    at P: H 5+1+5=11 (g 15958), E 5+1+5=11 (g 3930), C 4+1+3=8, B 2+1+2=5, F 1+1+2=4 (g 26),
          G 2+1+1=4 (g 2)                          -> ranks H1 E2 C3 B4 F5 G6; A has 1 incident
    at D: H 5+2+5=12 (g 23937), B 5+3+4=12 (g 394), E 4+1+5=10, C 4+1+3=8 (g 254),
          A 5+1+2=8 (g 26)                         -> ranks H1 B2 E3 C4 A5
    so: H same, B up 2, E down 1, C down 1, A new; F left (both incidents before D's window:
    out_of_window), G left (one incident still in the window: no_longer_serial)."""
    return Story().table("""
        incident  date        type       code  suspect  victim
        IH1       2026-01-20  -          1     PH       V13
        IH2       2026-01-30  -          1     PH       V14
        IH3       2026-02-28  -          1     PH       V13
        IE1       2026-01-20  -          5D    PE       V7
        IE2       2026-01-25  -          5D    PE       V8
        IC1       2025-12-01  -          8G    PC       V11
        IC2       2025-12-15  -          8G    PC       V12
        IB1       2025-03-01  -          105A  PB       V9
        IB2       2025-04-01  -          105A  PB       V10
        IB3       2026-02-20  -          8N    PB       V9
        IB4       2026-02-25  -          8N    PB       V10
        IF1       2024-02-10  -          105A  PF       V3
        IF2       2024-02-20  -          105A  PF       V4
        IG1       2024-02-15  non_crime  -     PG       V5
        IG2       2025-06-01  non_crime  -     PG       V6
        IA1       2026-01-10  -          105A  PA       V1
        IA2       2026-02-15  -          105A  PA       V2
    """)


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _bytes(folder: Path, names=LISTS) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in names}


# --------------------------------------------------------------------------- definitions
def test_definitions_list_assets_jobs_schedule_sensor_and_resources(workspace):
    cfg = workspace.config(schedule={"cron": "30 7 * * 2", "timezone": "Europe/Dublin"})
    defs = build_definitions(MatacResource(config_file=str(cfg)))
    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    assert {"ingest_job", "publish_job", "matac_job"} <= set(repo.job_names)
    schedule = defs.get_schedule_def("matac_cycle_schedule")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 7 * * 2", "Europe/Dublin")
    assert schedule.job_name == "matac_job"
    sensor = defs.get_sensor_def("landing_folder_sensor")
    assert sensor.job_name == "matac_job"
    assert {"matac", "duckdb"} <= set(repo.get_top_level_resources())
    specs = {spec.key.to_user_string(): spec for spec in defs.resolve_all_asset_specs()}
    assert "published_priority_list" in specs
    for name, spec in specs.items():
        assert spec.kinds and spec.owners and spec.description, name
    publish = defs.resolve_assets_def("published_priority_list")
    assert isinstance(publish.partitions_def, dg.DynamicPartitionsDefinition)
    assert publish.partitions_def.name == "as_of"

    import pipeline.orchestration.definitions as module  # the module-level defs the UI and CLI load

    dg.Definitions.validate_loadable(module.defs)


def test_dagster_yaml_keeps_state_out_of_the_repository(cycles):
    ws, _, _, outcome = cycles
    state = Path(os.environ["MATAC_STATE_DIR"])
    assert state == ws.root / "state"
    with dg.DagsterInstance.get() as instance:
        assert Path(instance.root_directory) == state
        assert not instance.telemetry_enabled and not instance.nux_enabled
        assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
        assert instance.run_monitoring_enabled
        assert instance.get_run_by_id(outcome.run_ids[0]) is not None
    assert (state / "history" / "runs.db").is_file()
    for run_id in outcome.run_ids:
        assert list((state / run_id / "compute_logs").iterdir())  # step logs: state folder
        assert not (REPO / "storage" / run_id).exists()  # ... not $DAGSTER_HOME/storage
    assert not (REPO / "history").exists()


# ---------------------------------------------------------------------------------- cycles
def test_cycle_dates_follow_the_settings():
    from pipeline.core.clock import cycle_dates, latest_complete_cycle

    s = load_settings(overrides={"schedule": {"cycle_start": "2025-01-05", "cycle_days": 14}})
    # by hand: 2025-01-05, -19, 02-02, 02-16, 03-02 ...
    assert cycle_dates(s, dt.date(2025, 1, 10), dt.date(2025, 3, 2)) == [
        dt.date(2025, 1, 19), dt.date(2025, 2, 2), dt.date(2025, 2, 16), dt.date(2025, 3, 2)]
    assert cycle_dates(s, dt.date(2024, 1, 1), dt.date(2025, 1, 5)) == [dt.date(2025, 1, 5)]
    assert cycle_dates(s, dt.date(2024, 1, 1), dt.date(2025, 1, 4)) == []
    # a cycle is complete once its day is over
    assert latest_complete_cycle(s, dt.date(2025, 2, 2)) == dt.date(2025, 1, 19)
    assert latest_complete_cycle(s, dt.date(2025, 2, 3)) == dt.date(2025, 2, 2)
    assert latest_complete_cycle(s, dt.date(2025, 1, 5)) is None


# ------------------------------------------------------------------------------- landing
def test_landing_scan_refuses_links_out_of_the_landing_folder(tmp_path):
    from pipeline.ingest.landing import scan

    landing, outside = tmp_path / "landing", tmp_path / "outside"
    outside.mkdir()
    (outside / "persons.csv").write_text("person_id\nX\n")
    (outside / "_READY").write_text("")

    def folder(name, marker=True):
        f = landing / name
        f.mkdir(parents=True)
        for t in ("incidents", "persons", "involvements"):
            (f / f"{t}.csv").write_text("x\n")
        if marker:
            (f / "_READY").write_text("")
        return f

    folder("2026-01")
    folder("2026-02", marker=False)
    (folder("2026-03") / "persons.csv").unlink()
    (landing / "2026-03" / "persons.csv").symlink_to(outside / "persons.csv")
    folder("2026-04")
    (landing / "2026-04" / "sub").mkdir()
    (landing / "2026-04" / "sub" / "x.csv").symlink_to(outside / "persons.csv")
    folder("2026-05")
    (landing / "2026-05" / "extra.csv").symlink_to(landing / "2026-01" / "persons.csv")  # inside
    (landing / "2026-06").symlink_to(outside, target_is_directory=True)
    g = folder("2026-07", marker=False)
    (g / "_READY").symlink_to(outside / "_READY")
    h = folder("2026-08")
    (h / "dangling.csv").symlink_to(tmp_path / "missing.csv")
    folder(".2026-09.partial")
    (landing / "notes.txt").write_text("not an extract")

    found = scan(load_settings(overrides={"schedule": {"landing_folder": str(landing)}}))
    assert [p.name for p in found.ready] == ["2026-01", "2026-05"]
    assert found.incomplete == ["2026-02"]
    assert sorted(found.refused) == ["2026-03", "2026-04", "2026-06", "2026-07", "2026-08"]
    assert "outside the landing folder" in found.refused["2026-03"]
    assert "sub/x.csv" in found.refused["2026-04"]


# ------------------------------------------------------------------------------- schedule
def _land(landing: Path, name: str, story: Story, ready=True) -> Path:
    folder = story.write(landing / name)
    if ready:
        (folder / "_READY").write_text("")
    return folder


def test_schedule_requests_latest_complete_cycle_once_per_set_of_extracts(workspace):
    landing = workspace.root / "landing"
    cfg = workspace.config(schedule={"landing_folder": str(landing)})
    matac = MatacResource(config_file=str(cfg))
    defs = build_definitions(matac)
    schedule = defs.get_schedule_def("matac_cycle_schedule")
    job = defs.resolve_job_def("matac_job")

    with dg.DagsterInstance.get() as instance:
        def tick(y, m, d, hour=6):
            with dg.build_schedule_context(
                instance=instance,
                scheduled_execution_time=dt.datetime(y, m, d, hour, tzinfo=LONDON),
                resources={"matac": matac},
                repository_def=defs.get_repository_def(),
            ) as context:  # closes the instance the context opens from the instance ref
                return schedule.evaluate_tick(context)

        # the first cycle date (2024-01-07) is not complete on its own morning
        assert not tick(2024, 1, 7).run_requests
        # Monday 2026-03-02: the cycle ending Sunday 2026-03-01 is complete, but nothing landed
        data = tick(2026, 3, 2)
        assert not data.run_requests and "no complete extract" in data.skip_message
        partitions = set(instance.get_dynamic_partitions("as_of"))
        assert {"2024-01-07", "2025-12-07", "2026-02-01", CURRENT} <= partitions
        assert "2026-03-29" not in partitions

        first = _land(landing, "2026-02", two_cycle_story())
        _land(landing, "2026-03", Story().incident("X1", "2026-02-27", suspect="PX", victim="VX"),
              ready=False)  # still being copied: not read
        (request,) = tick(2026, 3, 2).run_requests
        assert request.partition_key == CURRENT
        assert request.tags["matac/trigger"] == "schedule"
        assert request.run_config["resources"]["matac"]["config"]["extracts"] == [str(first)]

        # the run the schedule asks for, as the daemon would launch it
        result = job.execute_in_process(
            instance=instance, partition_key=request.partition_key,
            run_config=request.run_config, tags=request.tags,
        )
        assert result.success
        listed = _csv(workspace.output / CURRENT / "priority_list.csv")
        assert list(listed.perpetrator_id) == ["PH", "PB", "PE", "PC", "PA"]

        # the same cycle from the same extracts: nothing to do (also on the cycle day itself)
        assert "already success" in tick(2026, 3, 9).skip_message
        assert "already success" in tick(2026, 3, 29, hour=5).skip_message
        # the next cycle is complete the day after
        (nxt,) = tick(2026, 3, 30).run_requests
        assert nxt.partition_key == "2026-03-29"
        # a newly completed extract changes the inputs: the same cycle is requested again
        (ready := landing / "2026-03" / "_READY").write_text("")
        (again,) = tick(2026, 3, 9).run_requests
        assert again.partition_key == CURRENT
        assert again.run_config["resources"]["matac"]["config"]["extracts"] == [
            str(first), str(ready.parent)]
        assert again.tags["matac/extracts"] != request.tags["matac/extracts"]


# ---------------------------------------------------------------------------------- sensor
def test_sensor_picks_up_each_complete_extract_once(workspace, tmp_path):
    landing = workspace.root / "landing"
    landing.mkdir()
    today = dt.datetime.now(LONDON).date()
    # one-day cycles: the latest complete cycle is yesterday (London)
    cfg = workspace.config(schedule={"landing_folder": str(landing), "cycle_days": 1,
                                     "cycle_start": str(today - dt.timedelta(days=5))})
    matac = MatacResource(config_file=str(cfg))
    defs = build_definitions(matac)
    sensor = defs.get_sensor_def("landing_folder_sensor")
    yesterday = str(today - dt.timedelta(days=1))
    outside = tmp_path / "outside"
    Story().incident("Z1", "2026-01-01", suspect="PZ", victim="VZ").write(outside)

    with dg.DagsterInstance.get() as instance:
        def tick(cursor):
            with dg.build_sensor_context(
                instance=instance, instance_ref=instance.get_ref(), cursor=cursor,
                resources={"matac": matac}, definitions=defs,
            ) as context:
                return sensor.evaluate_tick(context)

        empty = tick(None)
        assert not empty.run_requests and empty.cursor is None

        first = _land(landing, "2026-02", two_cycle_story(), ready=False)
        incomplete = tick(None)
        assert not incomplete.run_requests and "1 incomplete (2026-02)" in incomplete.skip_message

        (first / "_READY").write_text("")
        complete = tick(None)
        (request,) = complete.run_requests
        assert request.partition_key == yesterday
        assert request.run_config["resources"]["matac"]["config"]["extracts"] == [str(first)]
        assert request.run_key == "landing:2026-02"
        (added,) = complete.dynamic_partitions_requests
        assert yesterday in added.partition_keys

        repeat = tick(complete.cursor)
        assert not repeat.run_requests and "no new complete extract" in repeat.skip_message

        linked = _land(landing, "2026-03", two_cycle_story())
        (linked / "persons.csv").unlink()
        (linked / "persons.csv").symlink_to(outside / "persons.csv")
        (landing / "2026-04").symlink_to(outside, target_is_directory=True)
        refused = tick(complete.cursor)
        assert not refused.run_requests
        assert "2026-03: 'persons.csv' is a symbolic link to outside" in refused.skip_message
        assert "2026-04: the folder is a symbolic link" in refused.skip_message

        second = _land(landing, "2026-05", Story().incident("Y1", "2026-02-01", suspect="PY",
                                                             victim="VY"))
        (request2,) = tick(refused.cursor or complete.cursor).run_requests
        assert request2.run_config["resources"]["matac"]["config"]["extracts"] == [
            str(first), str(second)]  # history first, newest last
        assert request2.run_key == "landing:2026-05"


# ------------------------------------------------------------- back-fill and movement
@pytest.fixture(scope="module")
def cycles(tmp_path_factory):
    """The two-cycle story back-filled over three cycle dates with `matac backfill`, and the
    same three dates published by three separate `matac run --as-of` calls."""
    ws = Workspace(tmp_path_factory.mktemp("cycles"))
    (ws.root / "state").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(REPO))
        mp.setenv("MATAC_STATE_DIR", str(ws.root / "state"))
        mp.delenv("MATAC_CONFIG", raising=False)
        extract = two_cycle_story().write(ws.root / "extract")
        cfg = ws.config()
        outcome = runner.backfill([str(extract)], dt.date(2026, 1, 1), dt.date(2026, 3, 15),
                                   str(cfg), str(ws.root / "backfill"))
        assert outcome.exit_code == 0, outcome.message
        for day in outcome.dates:
            code = cli.main(["run", "--extract", str(extract), "--as-of", day.isoformat(),
                             "--config", str(cfg), "--out", str(ws.root / "single" / str(day))])
            assert code == 0
        yield ws, extract, cfg, outcome


def test_backfill_publishes_every_cycle_date_as_a_partition(cycles):
    ws, _, _, outcome = cycles
    expected = [dt.date(2026, 1, 4), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]  # 2024-01-07 + 28k
    assert outcome.dates == expected
    keys = [d.isoformat() for d in expected]
    assert {d: p.name for d, p in outcome.out_dirs.items()} == dict(zip(expected, keys))
    with dg.DagsterInstance.get() as instance:
        assert set(keys) <= set(instance.get_dynamic_partitions("as_of"))
        published = instance.get_materialized_partitions(dg.AssetKey("published_priority_list"))
        assert set(keys) <= published
        runs = instance.get_runs(filters=dg.RunsFilter(
            tags={"matac/backfill": outcome.backfill_id}))
        assert sorted(r.job_name for r in runs) == ["ingest_job"] + ["publish_job"] * 3  # ingest once
        assert sorted(r.tags.get("dagster/partition", "") for r in runs) == [""] + keys
        assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs)


def test_backfill_equals_separate_runs_and_reruns_are_byte_identical(cycles):
    ws, extract, cfg, outcome = cycles
    for day in outcome.dates:
        assert _bytes(ws.root / "backfill" / str(day)) == _bytes(ws.root / "single" / str(day)), day
    before = {d: _bytes(ws.root / "backfill" / str(d)) for d in outcome.dates}
    manifests = {d: (ws.root / "backfill" / str(d) / "run_manifest.json").read_text()
                 for d in outcome.dates}
    day = outcome.dates[-1]  # re-run one partition
    again = runner.backfill([str(extract)], day, day, str(cfg), str(ws.root / "backfill"))
    assert again.exit_code == 0 and again.dates == [day]
    folder = ws.root / "backfill" / str(day)
    assert (folder / "run_manifest.json").read_text() != manifests[day]  # really re-run
    for d in outcome.dates:
        assert _bytes(ws.root / "backfill" / str(d)) == before[d], d


def test_movement_and_left_list_between_two_cycles(cycles):
    ws = cycles[0]
    previous = _csv(ws.root / "backfill" / PREVIOUS / "priority_list.csv")
    current = _csv(ws.root / "backfill" / CURRENT / "priority_list.csv")
    assert list(previous.perpetrator_id) == ["PH", "PE", "PC", "PB", "PF", "PG"]
    assert list(current.perpetrator_id) == ["PH", "PB", "PE", "PC", "PA"]
    assert dict(zip(current.perpetrator_id, current.movement)) == {
        "PH": "same", "PB": "up 2", "PE": "down 1", "PC": "down 1", "PA": "new"}
    # previous_rank is the rank on the list published for the previous cycle date
    ranks_then = dict(zip(previous.perpetrator_id, previous["rank"]))
    assert dict(zip(current.perpetrator_id, current.previous_rank)) == {
        p: ranks_then.get(p, "") for p in current.perpetrator_id}
    left = _csv(ws.root / "backfill" / CURRENT / "left_list.csv")
    assert left.to_dict(orient="records") == [
        {"perpetrator_id": "PF", "previous_rank": "5", "reason": "out_of_window",
         "incidents_in_window": "0", "victims_in_window": "0", "last_incident_date": "",
         "previous_area": "unknown"},  # the extract names no areas
        {"perpetrator_id": "PG", "previous_rank": "6", "reason": "no_longer_serial",
         "incidents_in_window": "1", "victims_in_window": "1", "last_incident_date": "2025-06-01",
         "previous_area": "unknown"},
    ]


def test_backfill_rejects_a_range_without_cycle_dates(workspace, capsys):
    code = cli.main(["backfill", "--extract", str(workspace.root), "--from", "2026-01-05",
                     "--to", "2026-01-31", "--config", str(workspace.config())])
    assert code == 2
    assert "no cycle date between 2026-01-05 and 2026-01-31" in capsys.readouterr().err


# ---------------------------------------------------------------------------- crash safety
def _start(args: list[str]) -> tuple[subprocess.Popen, queue.Queue]:
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()
    return proc, lines


def _kill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def _run_of(instance, pid: int):
    runs = instance.get_runs(filters=dg.RunsFilter(tags={"matac/pid": str(pid)}))
    return runs[0] if runs else None


def test_killed_run_loses_nothing_and_the_next_run_completes(workspace):
    first = two_cycle_story().write(workspace.root / "2026-02")
    newer = Story()
    newer.incident("IZ1", "2026-02-10", code="2", suspect="PZ", victim="VZ1")
    newer.incident("IZ2", "2026-02-12", code="2", suspect="PZ", victim="VZ2")
    newer = newer.write(workspace.root / "2026-03")
    cfg, out = str(workspace.config()), workspace.root / "published"
    assert runner.run_cycle([str(first)], dt.date(2026, 3, 1), str(out), cfg).exit_code == 0
    before = _bytes(out, LISTS + ("run_manifest.json",))
    args = ["run", "--extract", str(first), "--extract", str(newer), "--as-of", CURRENT,
            "--out", str(out), "--config", cfg]

    def still_intact():
        assert _bytes(out, LISTS + ("run_manifest.json",)) == before
        with duckdb.connect(str(workspace.database), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM mart_priority_list").fetchone()[0] == 5

    with dg.DagsterInstance.get() as instance:
        # 1. killed while the raw step writes the DuckDB file (after the newer incidents file)
        proc, lines = _start(args)
        deadline = time.monotonic() + 60
        while True:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if "read 2026-03/incidents.csv" in line:
                break
        _kill(proc)
        killed = [_run_of(instance, proc.pid)]
        still_intact()
        assert instance.get_run_by_id(killed[0].run_id).status == dg.DagsterRunStatus.STARTED

        # 2. killed after the raw step, while staging/rule run
        proc, _ = _start(args)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            current = _run_of(instance, proc.pid)
            done = current and instance.all_logs(current.run_id,
                                                 of_type=dg.DagsterEventType.STEP_SUCCESS)
            if done and any(e.step_key == "raw_extracts" for e in done):
                break
            assert proc.poll() is None, "the run ended before it could be killed"
            time.sleep(0.02)
        _kill(proc)
        killed.append(_run_of(instance, proc.pid))
        still_intact()
        # a kill leaves the run "started"; the next matac command marks it failed
        assert [instance.get_run_by_id(r.run_id).status for r in killed] == [
            dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.STARTED]

        # what a publication killed between write and rename leaves behind
        stale = out / ".priority_list.csv.k1ll3d.tmp"
        stale.write_text("rank,perpetrator_id\n1,half-writ")

        # 3. the next run completes normally and publishes the new list
        outcome = runner.run_cycle([str(first), str(newer)], dt.date(2026, 3, 1), str(out), cfg,
                              instance=instance)
        assert outcome.exit_code == 0, outcome.message
        assert [instance.get_run_by_id(r.run_id).status for r in killed] == [
            dg.DagsterRunStatus.FAILURE] * 2  # no longer shown as running / holding the slot
    # PZ: 5 + 1 + 5 = 11 points (two attempted murders, 17 days before) -> between B and E
    listed = _csv(out / "priority_list.csv")
    assert list(listed.perpetrator_id) == ["PH", "PB", "PZ", "PE", "PC", "PA"]
    assert not list(out.glob(".*.tmp"))


def test_dagster_cli_from_the_project_root_needs_only_dagster_home(tmp_path):
    """A Dagster user's habit: `DAGSTER_HOME=$PWD dagster dev` (or dagster-webserver, or
    `dagster definitions validate`) from the project root. dagster.yaml reads MATAC_STATE_DIR,
    which the project's .env gives (the Dagster CLI loads .env from its working folder); the code
    location comes from [tool.dagster] in pyproject.toml."""
    env = {k: v for k, v in os.environ.items() if k not in ("MATAC_STATE_DIR", "MATAC_CONFIG")}
    env["DAGSTER_HOME"] = str(REPO)
    dagster = REPO / ".venv" / "bin" / "dagster"
    info = subprocess.run([str(dagster), "instance", "info"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert info.returncode == 0, info.stderr[-2000:]
    valid = subprocess.run([str(dagster), "definitions", "validate"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=300)
    assert valid.returncode == 0, valid.stderr[-2000:]
    assert "Validation successful for code location matac" in valid.stdout + valid.stderr
