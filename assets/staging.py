"""Staging layer: parsed, typed rows; quarantine with reasons; supersession; reference data.
(Identity resolution: assets/identity.py.)"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.raw import raw_extracts
from pipeline.ingest.stage import build_staging
from pipeline.orchestration.metadata import staging_metadata
from pipeline.orchestration.resources import MatacResource, run_step
from pipeline.rule.reference import load_reference


@dg.asset(
    group_name="ingest", kinds={"duckdb", "sql"}, owners=["team:data-owners"], deps=[raw_extracts],
)
def staged_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """Usable rows of each table (contract-parsed, newest extract's version marked current) and the
    quarantine: every unusable row with file, row number and reason. Checks that rows read =
    rows loaded + rows quarantined."""
    return run_step(context, duckdb, build_staging, metadata=staging_metadata)


@dg.asset(group_name="ingest", kinds={"duckdb", "csv"}, owners=["team:matac-analysts"])
def reference_data(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """The gravity table (offence weights, from scoring.gravity_table) and the scoring bands from
    the settings, as tables the rule joins to."""
    settings = matac.settings
    return run_step(context, duckdb, lambda con: load_reference(con, settings),
                    gravity_table=str(settings.gravity_table_path))
