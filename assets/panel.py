"""Panel assets: the coordinator's decisions (read with the extracts), and after publication the
per-area panel packs and the outcomes of adopted people (pipeline/panel/)."""

import sys

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.staging import person_identity, staged_tables
from pipeline.orchestration.resources import MatacResource, run_step
from pipeline.panel.decisions import load_decisions


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
