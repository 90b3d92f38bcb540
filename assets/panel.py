"""Panel assets: the coordinator's decisions (read with the extracts), and after publication the
per-area panel packs and the outcomes of adopted people (pipeline/panel/)."""

import sys
import time

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.publish import published_priority_list
from assets.staging import person_identity, staged_tables
from pipeline.orchestration.metadata import step_metadata
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, connection, log_step, run_step
from pipeline.panel import publish
from pipeline.panel.decisions import load_decisions
from pipeline.panel.tables import build_tables


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "csv"},
    owners=["team:matac-analysts"],
    deps=[staged_tables, person_identity],
    description="The panel coordinator's decisions (panel.decisions: perpetrator_id, area, "
    "adopted_on, discharged_on, tactic, note), any nominal id resolved to the person; bad rows "
    "quarantined (quarantine_panel_decisions) with file, row, column and reason.",
)
def panel_decisions(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    def step(con):
        result = load_decisions(con, matac.settings)
        for line in result.counts.get("quarantined", []):
            context.log.warning(line)
            print(f"  {line}", file=sys.stderr, flush=True)
        return result

    return run_step(context, duckdb, step)


def _per_area_md(written: dict) -> str:
    rows = "\n".join(
        f"| {area} | {w['folder']} | {w['listed']} | {w['in_pack']} | {w['adopted']} | {w['seconds']} |"
        for area, w in written.items()
    )
    return ("| area | folder | listed | in pack | adopted | seconds |\n|---|---|---|---|---|---|\n"
            + rows) if written else "(no one listed)"


@dg.asset(
    group_name="panel",
    kinds={"html", "pdf"},
    owners=["team:matac-analysts"],
    partitions_def=as_of_partitions,
    deps=[published_priority_list],
    description="Per area, the panel pack of the area's top panel.size: <out>/panel/<area>/"
    "panel_pack.html (self-contained) and .pdf: a cover (counts, movement, who left and why, "
    "harm concentration) and one page per perpetrator (RFG breakdown, timeline, trajectory).",
)
def panel_pack(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    settings = matac.settings
    as_of = as_of_date(context)
    out_dir = matac.output_dir(str(as_of))
    with connection(duckdb) as con:
        result = build_tables(con, settings, as_of)
        start = time.perf_counter()
        written = publish.write_packs(con, settings, as_of, out_dir)
        result.timings["write_packs"] = round(time.perf_counter() - start, 3)
        result.counts["listed_per_area"] = {a: w["listed"] for a, w in written.items()}
        log_step(con, context, "panel_pack", result)
    context.log.info(f"panel packs for {len(written)} areas in {out_dir / 'panel'}")
    return dg.MaterializeResult(metadata=step_metadata(
        result,
        areas=dg.MetadataValue.json(sorted(written)),
        per_area=dg.MetadataValue.md(_per_area_md(written)),
        output_dir=dg.MetadataValue.path(str(out_dir / "panel")),
    ))


@dg.asset(
    group_name="panel",
    kinds={"csv", "html"},
    owners=["team:matac-analysts"],
    partitions_def=as_of_partitions,
    deps=[panel_pack],
    description="Outcomes of adopted people: <out>/panel/panel_outcomes.csv (RFG and parts at "
    "adoption, discharge, +6 and +12 months; new incidents and victims after adoption and "
    "discharge), outcomes.html (cohort median and mean with n beside a comparison group) and "
    "decisions_quarantine.csv.",
)
def panel_outcomes(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    as_of = as_of_date(context)
    out_dir = matac.output_dir(str(as_of))
    start = time.perf_counter()
    with connection(duckdb) as con:
        written = publish.write_outcomes(con, matac.settings, as_of, out_dir)
    meta = {k: dg.MetadataValue.int(v) for k, v in written.items() if isinstance(v, int)}
    return dg.MaterializeResult(metadata={
        **meta,
        "seconds": dg.MetadataValue.float(round(time.perf_counter() - start, 3)),
        "outcomes": dg.MetadataValue.path(written["paths"]["html"]),
    })
