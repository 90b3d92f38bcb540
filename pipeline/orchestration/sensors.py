"""The landing-folder sensor: a new, complete extract folder triggers ingest plus a run.

Every `schedule.sensor_interval_seconds` the sensor scans `schedule.landing_folder`
(`pipeline.landing.scan`). A folder counts once it holds the ready marker and no symbolic link
in it leads outside the landing folder. Each folder is picked up at most once: its name goes into
the sensor's cursor (and into the run key, which Dagster also never launches twice). One tick
with new folders requests one `matac_job` run for the latest complete cycle, reading every ready
folder of the landing folder in name order (older extracts give the history, newer supersede),
pinned in the run config so the run reads exactly what the tick saw.
"""

import json

import dagster as dg

from pipeline.core.clock import latest_complete_cycle, today_in
from pipeline.core.settings import Settings
from pipeline.ingest import landing
from pipeline.orchestration.resources import MatacResource
from pipeline.orchestration.schedules import (
    PARTITIONS,
    cycle_keys_up_to,
    cycle_run_request,
    missing_partitions,
)


def read_cursor(cursor: str | None) -> set[str]:
    if not cursor:
        return set()
    try:
        data = json.loads(cursor)
    except ValueError:
        return set()
    return set(data.get("seen", [])) if isinstance(data, dict) else set()


def write_cursor(seen: set[str]) -> str:
    return json.dumps({"seen": sorted(seen)})


def build_landing_sensor(settings: Settings, job) -> dg.SensorDefinition:
    s = settings.schedule

    @dg.sensor(
        name="landing_folder_sensor",
        job=job,
        minimum_interval_seconds=s.sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            f"Watches the landing folder ({s.landing_folder}) for new extract folders holding "
            f"'{s.ready_marker}'; each triggers ingest and the list for the latest complete cycle."
        ),
    )
    def landing_folder_sensor(context: dg.SensorEvaluationContext, matac: MatacResource):
        cfg = matac.settings
        seen = read_cursor(context.cursor)
        found = landing.scan(cfg)
        new = [p for p in found.ready if p.name not in seen]
        if not new:
            return dg.SkipReason(f"no new complete extract ({found.summary()})")
        target = latest_complete_cycle(cfg, today_in(cfg))
        if target is None:
            return dg.SkipReason(
                f"new extracts waiting, but no cycle is complete yet "
                f"(first cycle date {cfg.schedule.cycle_start})"
            )
        key = target.isoformat()
        names = [p.name for p in new]
        context.log.info(f"new extracts {names}: publishing cycle {key} ({found.summary()})")
        request = cycle_run_request(
            matac, key, found.ready, "sensor", run_key="landing:" + "+".join(names)
        )
        missing = missing_partitions(context.instance, cycle_keys_up_to(cfg, target))
        return dg.SensorResult(
            run_requests=[request],
            cursor=write_cursor(seen | set(names)),
            dynamic_partitions_requests=(
                [dg.AddDynamicPartitionsRequest(PARTITIONS, missing)] if missing else []
            ),
        )

    return landing_folder_sensor
