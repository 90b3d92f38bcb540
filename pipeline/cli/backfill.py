"""`matac backfill`: what would the list have been on each cycle date? Ingests the extracts once,
then publishes every cycle date in [--from, --to] as its own as-of partition run (incidents after
each date are ignored, so the history is honest). Each list goes to <out-root>/<as-of>/.

Re-running a date with the same extracts and settings rewrites byte-identical lists.
Exit codes as `matac run` (0 all published; 1 internal error; 2 usage/extract/settings error;
3 blocked by the data-quality gate); the first failing date stops the back-fill.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.cli.run import (
    EXIT_OK,
    EXIT_USAGE,
    _date,
    _failure,
    _run_config,
    ensure_dagster_home,
    fail_orphaned_runs,
    run_tags,
)
from pipeline.core.settings import SettingsError, load_settings

TAG_BACKFILL = "matac/backfill"


def register(sub) -> None:
    p = sub.add_parser(
        "backfill",
        help="publish the list for every cycle date in a date range (back-testing history)",
        description="Ingest the extracts once, then publish the priority list as of every "
        "cycle date (schedule.cycle_start + k * schedule.cycle_days) between --from and --to, "
        "each as one as-of partition run, to <out-root>/<as-of>/.",
    )
    p.add_argument("--extract", action="extend", nargs="+", required=True, metavar="DIR",
                   help="extract folder(s) (repeatable; applied in the order given)")
    p.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD",
                   help="first date of the range (included)")
    p.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD",
                   help="last date of the range (included)")
    p.add_argument("--config", metavar="FILE", help="settings file overriding the defaults")
    p.add_argument("--out-root", metavar="DIR",
                   help="write each list to DIR/<as-of>/ (default: output.directory)")
    p.set_defaults(func=main)


@dataclass
class BackfillOutcome:
    exit_code: int
    dates: list[dt.date] = field(default_factory=list)
    out_dirs: dict[dt.date, Path] = field(default_factory=dict)
    run_ids: list[str] = field(default_factory=list)
    backfill_id: str = ""
    message: str = ""


def execute(
    extracts: list[str],
    start: dt.date,
    end: dt.date,
    config: str | None = None,
    out_root: str | None = None,
    instance=None,
) -> BackfillOutcome:
    ensure_dagster_home()
    import dagster as dg

    from pipeline.orchestration.definitions import build_definitions
    from pipeline.orchestration.resources import MatacResource
    from pipeline.orchestration.schedules import cycle_dates, ensure_partitions

    settings = load_settings(config)
    s = settings.schedule
    outcome = BackfillOutcome(EXIT_OK, backfill_id=uuid.uuid4().hex[:8])
    if end < start:
        outcome.exit_code, outcome.message = EXIT_USAGE, f"--to {end} is before --from {start}"
        return outcome
    outcome.dates = cycle_dates(settings, start, end)
    if not outcome.dates:
        outcome.exit_code = EXIT_USAGE
        outcome.message = (f"no cycle date between {start} and {end} (cycle dates are "
                           f"{s.cycle_start} + k * {s.cycle_days} days)")
        return outcome

    config_file = str(Path(config).resolve()) if config else None
    extract_dirs = [str(Path(e).resolve()) for e in extracts]
    root = Path(out_root).resolve() if out_root else None
    instance = instance or dg.DagsterInstance.get()
    for run_id in fail_orphaned_runs(instance):
        print(f"marked run {run_id} failed: its process was killed", file=sys.stderr)
    tags = {**run_tags("backfill"), TAG_BACKFILL: outcome.backfill_id}

    def matac_for(key: str | None) -> MatacResource:
        publish_dir = str(root / key) if root is not None and key else None
        return MatacResource(config_file=config_file, extracts=extract_dirs, publish_dir=publish_dir)

    ingest = build_definitions(matac_for(None)).resolve_job_def("ingest_job")
    result = ingest.execute_in_process(
        instance=instance, run_config=_run_config(), raise_on_error=False, tags=tags
    )
    outcome.run_ids.append(result.run_id)
    if not result.success:
        outcome.exit_code, outcome.message = _failure(result)
        return outcome

    keys = [d.isoformat() for d in outcome.dates]
    ensure_partitions(instance, keys)
    for day, key in zip(outcome.dates, keys):
        matac = matac_for(key)
        job = build_definitions(matac).resolve_job_def("publish_job")
        result = job.execute_in_process(
            instance=instance, partition_key=key, run_config=_run_config(),
            raise_on_error=False, tags=tags,
        )
        outcome.run_ids.append(result.run_id)
        if not result.success:
            code, message = _failure(result)
            outcome.exit_code, outcome.message = code, f"as of {key}: {message}"
            return outcome
        outcome.out_dirs[day] = matac.output_dir(key)
        print(f"published as of {key}: {outcome.out_dirs[day]}", file=sys.stderr, flush=True)
    return outcome


def main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        outcome = execute(args.extract, args.start, args.end, args.config, args.out_root)
    except SettingsError as exc:
        print(f"matac backfill: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if outcome.exit_code != EXIT_OK:
        print(f"matac backfill: {outcome.message}", file=sys.stderr)
        return outcome.exit_code
    print(f"published {len(outcome.out_dirs)} cycle dates ({outcome.dates[0]} to "
          f"{outcome.dates[-1]}) in {time.perf_counter() - start:.1f}s "
          f"(back-fill {outcome.backfill_id})")
    return EXIT_OK
