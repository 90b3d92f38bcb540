"""Running the pipeline's Dagster jobs in this process against the project's Dagster instance
(so every run shows in the UI): one cycle (`run_cycle`, behind `matac run`) or a range of cycle
dates (`backfill`, behind `matac backfill`). Maps a failed run to an exit code and one line.

Exit codes: 0 published; 1 internal error; 2 usage error, unreadable extract, missing column,
bad settings or an output folder that cannot take the list (disk full); 3 publication blocked by
the data-quality gate.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.settings import (
    REPO_ROOT,
    folder_problem,
    load_settings,
    prepare_storage,
)
from pipeline.orchestration import lock
from pipeline.rule.score import EARLIEST_AS_OF

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BLOCKED = 0, 1, 2, 3
USAGE_ERRORS = ("ExtractError", "SettingsError", "StateBusyError", "AsOfError", "PublicationError")
TAG_BACKFILL = "matac/backfill"


def ensure_dagster_home() -> None:
    """DAGSTER_HOME defaults to the repository root (where dagster.yaml lives); Dagster's own
    storage defaults to .dagster_home/ inside it."""
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT))
    os.environ.setdefault("MATAC_STATE_DIR", str(REPO_ROOT / ".dagster_home"))
    Path(os.environ["MATAC_STATE_DIR"]).mkdir(parents=True, exist_ok=True)


@dataclass
class RunOutcome:
    exit_code: int
    as_of: dt.date | None = None
    out_dir: Path | None = None
    run_ids: list[str] = field(default_factory=list)
    message: str = ""
    timings: dict | None = None  # where the time went, by part (pipeline.orchestration.timing)


def _error_chain(error):
    while error is not None:
        yield error
        error = error.cause or getattr(error, "context", None)


def _blocked(result, out_dir: Path | None) -> str | None:
    """Why the data-quality gate blocked publication in this run (None if it did not): the
    failed blocking checks by name, or publication skipped without any step failing."""
    import dagster as dg

    failed = sorted({
        name
        for ev in result.get_asset_check_evaluations()
        if not ev.passed and ev.blocking and ev.severity == dg.AssetCheckSeverity.ERROR
        for name in _failed_expectations(ev)
    })
    published = any(
        ev.asset_key == dg.AssetKey("published_priority_list")
        for ev in result.get_asset_materialization_events()
    )
    if not failed and (published or not result.success):
        return None
    report = f"; see {out_dir / 'data_quality_report.html'}" if out_dir else ""
    if not failed:
        return f"publication did not run{report}; the previously published list is unchanged"
    return (
        f"publication blocked by the data-quality gate: {len(failed)} blocking "
        f"check{'s' if len(failed) > 1 else ''} failed ({', '.join(failed)}){report}; "
        "the previously published list is unchanged"
    )


def _failed_expectations(evaluation) -> list[str]:
    """The expectations a failed check stands for (its `failed_expectations` metadata; the gate
    stands for itself)."""
    listed = evaluation.metadata.get("failed_expectations")
    return list(listed.value) if listed is not None and listed.value else [evaluation.check_name]


def failure(result, out_dir: Path | None = None) -> tuple[int, str]:
    """Map a failed Dagster run to an exit code and a one-line message (no row values)."""
    blocked = _blocked(result, out_dir)
    if blocked:
        return EXIT_BLOCKED, blocked
    for event in result.all_events:
        if not event.is_step_failure:
            continue
        error = event.step_failure_data.error
        for err in _error_chain(error):
            if err.cls_name in USAGE_ERRORS:
                if debugging():
                    print(error.to_string(), file=sys.stderr)
                return EXIT_USAGE, _without_class(err.message, err.cls_name)
        print(error.to_string(), file=sys.stderr)  # a bug: the traceback helps to report it
        return EXIT_ERROR, (f"step {event.step_key} failed: {error.message.strip()} "
                            f"(run {result.run_id}; please report it)")
    return EXIT_ERROR, f"run {result.run_id} failed"


def _without_class(message: str, cls_name: str) -> str:
    """The exception's own text: Dagster records `module.Class: text`."""
    head, sep, text = message.strip().partition(": ")
    return text.strip() if sep and head.split(".")[-1] == cls_name else message.strip()


def debugging() -> bool:
    """`matac --debug`: tracebacks and Dagster's own log lines also for expected failures."""
    return os.environ.get("MATAC_DEBUG") == "1"


def run_config() -> dict:
    """Dagster's console log in this process: silent unless --debug (an expected failure is one
    line from the CLI; every event, with tracebacks, stays in the Dagster event log)."""
    level = "DEBUG" if debugging() else "CRITICAL"
    return {"loggers": {"console": {"config": {"log_level": level}}}}


TAG_HOST, TAG_PID = "matac/host", "matac/pid"


def run_tags(trigger: str = "cli") -> dict[str, str]:
    """Tags of a run started from this process: who started it, on which machine, which pid
    (so a later run can tell that it was killed; see `fail_orphaned_runs`)."""
    import socket

    return {"matac/trigger": trigger, TAG_HOST: socket.gethostname(), TAG_PID: str(os.getpid())}


def _run_pid(instance, run) -> int | None:
    if run.tags.get(TAG_PID, "").isdigit():
        return int(run.tags[TAG_PID])
    import dagster as dg

    for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        meta = entry.dagster_event.event_specific_data.metadata if entry.dagster_event else {}
        pid = getattr(meta.get("pid"), "value", None)
        if pid is not None and str(pid).isdigit():
            return int(pid)
    return None


def fail_orphaned_runs(instance) -> list[str]:
    """Mark as failed the runs left STARTING/STARTED by a process that no longer exists (killed
    with SIGKILL, out of memory, machine restarted). Such a run would otherwise show as running
    for ever and hold the instance's one run slot (run_queue.max_concurrent_runs: 1).

    A run's process is its `matac/pid` tag or the pid Dagster records when it starts executing
    steps; it is gone when no process has that pid or the process with that pid started after
    the run did (pid reused). Only runs of this machine are judged: tagged with this host, or
    any run when the run storage is SQLite (a local file, so every run in it ran here)."""
    import socket

    import dagster as dg
    import psutil

    host = socket.gethostname()
    local_storage = "sqlite" in type(instance.run_storage).__module__
    failed = []
    records = instance.get_run_records(
        filters=dg.RunsFilter(
            statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
        )
    )
    for record in records:
        run = record.dagster_run
        run_host = run.tags.get(TAG_HOST)
        if run_host != host and not (run_host is None and local_storage):
            continue
        pid = _run_pid(instance, run)
        if pid is None or pid == os.getpid():
            continue
        started = record.start_time or record.create_timestamp.timestamp()
        try:
            alive = psutil.Process(pid).create_time() <= started + 1.0
        except psutil.Error:
            alive = False
        if alive:
            continue
        instance.report_run_failed(
            run, f"run process (pid {pid}) is gone (killed or machine restarted); marked failed"
        )
        failed.append(run.run_id)
    return failed


def run_cycle(
    extracts: list[str],
    as_of: dt.date | None = None,
    out: str | None = None,
    config: str | None = None,
    instance=None,
    wait_timeout: float | None = None,
    rebuild: bool = False,
    relink: bool = False,
    started: float | None = None,
) -> RunOutcome:
    """Run ingest and publication holding the project state; returns the exit code and where
    the list went. `rebuild`: read every file again (no file kept from an earlier run); `relink`:
    compare every pair of nominals again (implied by `rebuild`). `started`: when the work began
    (epoch seconds; the CLI gives its process start), from which the run's time is reported by
    part (`RunOutcome.timings`, the manifest's `timings`)."""
    from pipeline.orchestration.timing import RunClock

    clock = RunClock(time.time() if started is None else started)
    ensure_dagster_home()
    settings = load_settings(config)  # SettingsError -> exit 2 before anything heavy loads
    if as_of is not None and as_of < EARLIEST_AS_OF:  # before DuckDB or Python date limits bite
        return RunOutcome(EXIT_USAGE, message=f"--as-of {as_of}: not a plausible date "
                          f"(before {EARLIEST_AS_OF})")
    if out is not None and (problem := folder_problem(Path(out).resolve())):
        return RunOutcome(EXIT_USAGE, message=f"--out {out}: {problem}")
    prepare_storage(settings)
    wait = settings.storage.lock_wait_seconds if wait_timeout is None else wait_timeout
    try:
        with lock.hold(settings.database_path, "matac run", "cli", wait,
                       say=_say):
            return _run_cycle(settings, extracts, as_of, out, config, instance, rebuild,
                              relink, clock)
    except lock.StateBusyError as exc:
        return RunOutcome(EXIT_USAGE, message=str(exc))


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_cycle(settings, extracts, as_of, out, config, instance, rebuild, relink,
               clock) -> RunOutcome:
    from pipeline.quality import gx

    gx.start_worker()  # Great Expectations loads in its own process while Dagster loads, ingests
    import dagster as dg

    from pipeline.core import db
    from pipeline.orchestration import timing
    from pipeline.orchestration.definitions import build_definitions
    from pipeline.orchestration.resources import MatacResource
    from pipeline.rule.score import latest_occurred_date

    clock.mark("imports")

    matac = MatacResource(
        config_file=str(Path(config).resolve()) if config else None,
        extracts=[str(Path(e).resolve()) for e in extracts],
        publish_dir=str(Path(out).resolve()) if out else None,
        rebuild=rebuild,
        relink=relink,
    )
    defs = build_definitions(matac)
    instance = instance or dg.DagsterInstance.get()
    outcome = RunOutcome(EXIT_OK)
    for run_id in fail_orphaned_runs(instance):
        _say(f"marked run {run_id} failed: its process was killed")
    clock.mark("dagster")

    if as_of is None:
        result = defs.resolve_job_def("ingest_job").execute_in_process(
            instance=instance, run_config=run_config(), raise_on_error=False, tags=run_tags()
        )
        outcome.run_ids.append(result.run_id)
        clock.add_run(instance, "ingest_job", result.run_id)
        if not result.success:
            outcome.exit_code, outcome.message = failure(result)
            return outcome
        with db.connect(settings, read_only=True) as con:
            as_of = latest_occurred_date(con)
        clock.mark("steps")
        if as_of is None:
            outcome.exit_code, outcome.message = EXIT_USAGE, "no usable incident was loaded"
            return outcome
        _say(f"as-of date: {as_of} (latest occurred_date loaded)")
        job_name = "publish_job"
    else:
        job_name = "matac_job"

    key = as_of.isoformat()
    if not instance.has_dynamic_partition("as_of", key):
        instance.add_dynamic_partitions("as_of", [key])
    clock.mark("dagster")
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, partition_key=key, run_config=run_config(), raise_on_error=False,
        tags=run_tags(),
    )
    outcome.run_ids.append(result.run_id)
    clock.add_run(instance, job_name, result.run_id)
    outcome.as_of = as_of
    outcome.out_dir = matac.output_dir(key)
    if not result.success or _blocked(result, outcome.out_dir):
        outcome.exit_code, outcome.message = failure(result, outcome.out_dir)
        return outcome
    outcome.timings = clock.summary()
    timing.add_to_manifest(outcome.out_dir, outcome.timings)
    return outcome


@dataclass
class BackfillOutcome:
    exit_code: int
    dates: list[dt.date] = field(default_factory=list)
    out_dirs: dict[dt.date, Path] = field(default_factory=dict)
    run_ids: list[str] = field(default_factory=list)
    backfill_id: str = ""
    message: str = ""


def backfill(
    extracts: list[str],
    start: dt.date,
    end: dt.date,
    config: str | None = None,
    out_root: str | None = None,
    instance=None,
    wait_timeout: float | None = None,
) -> BackfillOutcome:
    """Ingest once, then publish every cycle date in [start, end] as its own partition run,
    holding the project state throughout."""
    ensure_dagster_home()
    from pipeline.core.clock import cycle_dates

    settings = load_settings(config)
    s = settings.schedule
    outcome = BackfillOutcome(EXIT_OK, backfill_id=uuid.uuid4().hex[:8])
    if out_root is not None and (problem := folder_problem(Path(out_root).resolve())):
        outcome.exit_code, outcome.message = EXIT_USAGE, f"--out-root {out_root}: {problem}"
        return outcome
    prepare_storage(settings)
    if end < start:
        outcome.exit_code, outcome.message = EXIT_USAGE, f"--to {end} is before --from {start}"
        return outcome
    outcome.dates = cycle_dates(settings, start, end)
    if not outcome.dates:
        outcome.exit_code = EXIT_USAGE
        outcome.message = (f"no cycle date between {start} and {end} (cycle dates are "
                           f"{s.cycle_start} + k * {s.cycle_days} days)")
        return outcome
    wait = settings.storage.lock_wait_seconds if wait_timeout is None else wait_timeout
    try:
        with lock.hold(settings.database_path, "matac backfill", "backfill", wait, say=_say):
            return _backfill(outcome, extracts, config, out_root, instance)
    except lock.StateBusyError as exc:
        outcome.exit_code, outcome.message = EXIT_USAGE, str(exc)
        return outcome


def _backfill(outcome: BackfillOutcome, extracts, config, out_root, instance) -> BackfillOutcome:
    import dagster as dg

    from pipeline.orchestration.definitions import build_definitions
    from pipeline.orchestration.resources import MatacResource
    from pipeline.orchestration.schedules import ensure_partitions

    config_file = str(Path(config).resolve()) if config else None
    extract_dirs = [str(Path(e).resolve()) for e in extracts]
    root = Path(out_root).resolve() if out_root else None
    instance = instance or dg.DagsterInstance.get()
    for run_id in fail_orphaned_runs(instance):
        _say(f"marked run {run_id} failed: its process was killed")
    tags = {**run_tags("backfill"), TAG_BACKFILL: outcome.backfill_id}

    def matac_for(key: str | None) -> MatacResource:
        publish_dir = str(root / key) if root is not None and key else None
        return MatacResource(config_file=config_file, extracts=extract_dirs, publish_dir=publish_dir)

    ingest = build_definitions(matac_for(None)).resolve_job_def("ingest_job")
    result = ingest.execute_in_process(
        instance=instance, run_config=run_config(), raise_on_error=False, tags=tags
    )
    outcome.run_ids.append(result.run_id)
    if not result.success:
        outcome.exit_code, outcome.message = failure(result)
        return outcome

    keys = [d.isoformat() for d in outcome.dates]
    ensure_partitions(instance, keys)
    for day, key in zip(outcome.dates, keys):
        matac = matac_for(key)
        job = build_definitions(matac).resolve_job_def("publish_job")
        result = job.execute_in_process(
            instance=instance, partition_key=key, run_config=run_config(),
            raise_on_error=False, tags=tags,
        )
        outcome.run_ids.append(result.run_id)
        if not result.success:
            code, message = failure(result)
            outcome.exit_code, outcome.message = code, f"as of {key}: {message}"
            return outcome
        outcome.out_dirs[day] = matac.output_dir(key)
        _say(f"published as of {key}: {outcome.out_dirs[day]}")
    return outcome
