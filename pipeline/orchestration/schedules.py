"""Cycles and the cycle schedule.

A *cycle date* is `schedule.cycle_start + k * schedule.cycle_days` (default every 28 days: MATAC
panels meet every 4 weeks). Each cycle date is an as-of partition of the publish path (key
YYYY-MM-DD in the dynamic partitions definition "as_of", which also takes any other date for
`matac run --as-of`). A cycle is *complete* once its date is over in `schedule.timezone`: the
list as of D is produced on the first schedule tick after D.

The schedule (cron `schedule.cron`) runs `matac_job` for the latest complete cycle with the
complete extracts of the landing folder, unless that partition was already published (or is
queued/running) from exactly those extracts. Each tick also registers every cycle partition from
`cycle_start` up to that cycle, so back-fills from the UI find them.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

from pipeline.core.clock import cycle_dates, latest_complete_cycle, today_in
from pipeline.core.settings import Settings
from pipeline.ingest import landing
from pipeline.orchestration.partitions import as_of_partitions
from pipeline.orchestration.resources import MatacResource

PARTITIONS = as_of_partitions.name
TAG_EXTRACTS = "matac/extracts"  # fingerprint of the extract folders a run reads
TAG_TRIGGER = "matac/trigger"  # schedule | sensor | cli | backfill
PARTITION_TAG = "dagster/partition"
ACTIVE_OR_DONE = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.SUCCESS,
]


def cycle_keys_up_to(settings: Settings, last: dt.date) -> list[str]:
    return [d.isoformat() for d in cycle_dates(settings, settings.schedule.cycle_start, last)]


def missing_partitions(instance: dg.DagsterInstance, keys: Sequence[str]) -> list[str]:
    existing = set(instance.get_dynamic_partitions(PARTITIONS))
    return [k for k in keys if k not in existing]


def ensure_partitions(instance: dg.DagsterInstance, keys: Sequence[str]) -> list[str]:
    """Add the as-of partitions that do not exist yet; returns those added."""
    missing = missing_partitions(instance, keys)
    if missing:
        instance.add_dynamic_partitions(PARTITIONS, missing)
    return missing


# ------------------------------------------------------------------------------ run requests
def run_config(matac: MatacResource, extracts: Sequence[Path]) -> dict:
    """Run config pinning the extract folders a run reads (the resource's other fields are
    repeated: run config replaces a resource's whole config)."""
    return {
        "resources": {
            "matac": {
                "config": {
                    "config_file": matac.config_file,
                    "extracts": [str(p) for p in extracts],
                    "publish_dir": matac.publish_dir,
                }
            }
        }
    }


def existing_run(instance: dg.DagsterInstance, key: str, fingerprint: str) -> dg.DagsterRun | None:
    """A queued, running or successful run of partition `key` from the same extracts."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            tags={PARTITION_TAG: key, TAG_EXTRACTS: fingerprint}, statuses=ACTIVE_OR_DONE
        ),
        limit=1,
    )
    return runs[0] if runs else None


def cycle_run_request(matac: MatacResource, key: str, extracts: Sequence[Path], trigger: str, run_key: str):
    fp = landing.fingerprint(list(extracts))
    return dg.RunRequest(
        run_key=run_key,
        partition_key=key,
        run_config=run_config(matac, extracts),
        tags={TAG_EXTRACTS: fp, TAG_TRIGGER: trigger},
    )


# ---------------------------------------------------------------------------------- schedule
def build_cycle_schedule(settings: Settings, job) -> dg.ScheduleDefinition:
    s = settings.schedule

    @dg.schedule(
        name="matac_cycle_schedule",
        cron_schedule=s.cron,
        execution_timezone=s.timezone,
        job=job,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=(
            f"Every '{s.cron}' ({s.timezone}): publish the list for the latest complete "
            f"{s.cycle_days}-day cycle from the complete extracts in the landing folder, unless "
            "already published from the same extracts."
        ),
    )
    def matac_cycle_schedule(context: dg.ScheduleEvaluationContext, matac: MatacResource):
        cfg = matac.settings
        today = today_in(cfg, context.scheduled_execution_time)
        target = latest_complete_cycle(cfg, today)
        if target is None:
            return dg.SkipReason(
                f"no cycle is complete yet (first cycle date {cfg.schedule.cycle_start})"
            )
        key = target.isoformat()
        ensure_partitions(context.instance, cycle_keys_up_to(cfg, target))
        found = landing.scan(cfg)
        if not found.ready:
            return dg.SkipReason(f"no complete extract in the landing folder ({found.summary()})")
        fp = landing.fingerprint(found.ready)
        previous = existing_run(context.instance, key, fp)
        if previous is not None:
            return dg.SkipReason(
                f"cycle {key} already {previous.status.value.lower()} from the same extracts "
                f"(run {previous.run_id[:8]})"
            )
        return cycle_run_request(
            matac, key, found.ready, "schedule", run_key=f"cycle:{key}:{fp}"
        )

    return matac_cycle_schedule
