"""`matac run`: ingest extracts and publish the priority list, as Dagster runs in this process
against the project's Dagster instance (so every run shows in the UI).

Exit codes: 0 published; 1 internal error; 2 usage error, unreadable extract, missing column or
bad settings; 3 publication blocked by the data-quality gate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.settings import REPO_ROOT, SettingsError, load_settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BLOCKED = 0, 1, 2, 3
USAGE_ERRORS = ("ExtractError", "SettingsError", "PublicationError")


def ensure_dagster_home() -> None:
    """DAGSTER_HOME defaults to the repository root (where dagster.yaml lives); Dagster's own
    storage defaults to .dagster_home/ inside it."""
    os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT))
    os.environ.setdefault("MATAC_STATE_DIR", str(REPO_ROOT / ".dagster_home"))
    Path(os.environ["MATAC_STATE_DIR"]).mkdir(parents=True, exist_ok=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub) -> None:
    p = sub.add_parser(
        "run",
        help="ingest extracts and publish the priority list",
        description="Ingest one or more extracts (later supersedes earlier), apply the MATAC "
        "rule at the as-of date and publish the priority list and data-quality report.",
    )
    p.add_argument("--extract", action="append", required=True, metavar="DIR",
                   help="extract folder (repeat; applied in the order given)")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                   help="as-of date (default: the latest occurred_date loaded)")
    p.add_argument("--out", metavar="DIR", help="output folder (default output/<as-of>/)")
    p.add_argument("--config", metavar="FILE", help="settings file overriding the defaults")
    p.set_defaults(func=main)


@dataclass
class RunOutcome:
    exit_code: int
    as_of: dt.date | None = None
    out_dir: Path | None = None
    run_ids: list[str] = field(default_factory=list)
    message: str = ""


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


def _failure(result, out_dir: Path | None = None) -> tuple[int, str]:
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
                return EXIT_USAGE, err.message.strip()
        return EXIT_ERROR, f"step {event.step_key} failed: {error.message.strip()}"
    return EXIT_ERROR, "run failed"


def _run_config() -> dict:
    return {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


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


def execute(
    extracts: list[str],
    as_of: dt.date | None = None,
    out: str | None = None,
    config: str | None = None,
    instance=None,
) -> RunOutcome:
    """Run ingest and publication; returns the exit code and where the list went."""
    ensure_dagster_home()
    settings = load_settings(config)  # SettingsError -> exit 2 before anything heavy loads
    import dagster as dg

    from pipeline.core import db
    from pipeline.orchestration.definitions import build_definitions
    from pipeline.orchestration.resources import MatacResource
    from pipeline.rule.score import latest_occurred_date

    matac = MatacResource(
        config_file=str(Path(config).resolve()) if config else None,
        extracts=[str(Path(e).resolve()) for e in extracts],
        publish_dir=str(Path(out).resolve()) if out else None,
    )
    defs = build_definitions(matac)
    instance = instance or dg.DagsterInstance.get()
    outcome = RunOutcome(EXIT_OK)
    for run_id in fail_orphaned_runs(instance):
        print(f"marked run {run_id} failed: its process was killed", file=sys.stderr)

    if as_of is None:
        result = defs.resolve_job_def("ingest_job").execute_in_process(
            instance=instance, run_config=_run_config(), raise_on_error=False, tags=run_tags()
        )
        outcome.run_ids.append(result.run_id)
        if not result.success:
            outcome.exit_code, outcome.message = _failure(result)
            return outcome
        with db.connect(settings, read_only=True) as con:
            as_of = latest_occurred_date(con)
        if as_of is None:
            outcome.exit_code, outcome.message = EXIT_USAGE, "no usable incident was loaded"
            return outcome
        print(f"as-of date: {as_of} (latest occurred_date loaded)", file=sys.stderr)
        job_name = "publish_job"
    else:
        job_name = "matac_job"

    key = as_of.isoformat()
    if not instance.has_dynamic_partition("as_of", key):
        instance.add_dynamic_partitions("as_of", [key])
    result = defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, partition_key=key, run_config=_run_config(), raise_on_error=False,
        tags=run_tags(),
    )
    outcome.run_ids.append(result.run_id)
    outcome.as_of = as_of
    outcome.out_dir = matac.output_dir(key)
    if not result.success or _blocked(result, outcome.out_dir):
        outcome.exit_code, outcome.message = _failure(result, outcome.out_dir)
    return outcome


def main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        outcome = execute(args.extract, args.as_of, args.out, args.config)
    except SettingsError as exc:
        print(f"matac run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    elapsed = time.perf_counter() - start
    if outcome.exit_code == EXIT_OK:
        print(f"published: {outcome.out_dir} (as of {outcome.as_of}) in {elapsed:.1f}s")
    else:
        print(f"matac run: {outcome.message}", file=sys.stderr)
    return outcome.exit_code
