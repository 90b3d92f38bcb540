"""Publication: the files a MATAC panel receives and the run manifest, switched into the
output folder in one step (pipeline/outputs/folder.py)."""


import json

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.marts import priority_list
from pipeline.core import db
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, connection
from pipeline.outputs import identity_review, publish
from pipeline.rule.score import previous_as_of


@dg.asset(
    group_name="publish",
    kinds={"csv", "excel", "json"},
    owners=["team:matac-analysts"],
    partitions_def=as_of_partitions,
    deps=[priority_list],
)
def published_priority_list(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """priority_list.csv/.xlsx, priority_incidents.csv, left_list.csv and run_manifest.json in the
    run's output folder (default output/<as-of>/), switched into place in one step: readers
    see the whole previous set or the whole new one."""
    settings = matac.settings
    as_of = as_of_date(context)
    out_dir = matac.output_dir(str(as_of))
    run_id = context.run.run_id
    with connection(duckdb) as con:
        manifest = {
            "as_of": str(as_of),
            "previous_as_of": str(previous_as_of(settings, as_of)),
            "run_id": run_id,
            "code_version": publish.code_version(),
            "settings": settings.as_dict(),
            "inputs": publish.input_files(con),
            "steps": {
                step: {"run_id": step_run, "seconds": secs, "timings": json.loads(timings),
                       "counts": json.loads(counts)}
                for step, step_run, _finished, secs, timings, counts
                in db.run(con, "ops/read_step_log").fetchall()
            },
            "identity": identity_review.manifest(con, settings),
        }
        written = publish.publish(con, settings, out_dir, as_of, manifest, version=run_id)
    context.log.info(f"published {written['listed']} perpetrators to {out_dir}")
    top = written["top"]
    return dg.MaterializeResult(
        metadata={
            "as_of": str(as_of),
            "output_dir": dg.MetadataValue.path(str(out_dir)),
            "listed": dg.MetadataValue.int(written["listed"]),
            "incident_rows": dg.MetadataValue.int(written["incident_rows"]),
            "left_list": dg.MetadataValue.int(written["left_list"]),
            "seconds": dg.MetadataValue.float(written["seconds"]),
            "top_of_list": dg.MetadataValue.md(top.to_markdown(index=False) if len(top) else "(empty list)"),
        }
    )
