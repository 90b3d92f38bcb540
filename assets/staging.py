"""Staging layer: parsed, typed rows; quarantine with reasons; supersession; identity."""


import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.raw import raw_extracts
from pipeline.identity.resolve import build_identity
from pipeline.ingest.stage import build_staging
from pipeline.orchestration.metadata import step_metadata
from pipeline.orchestration.resources import MatacResource, connection, log_step
from pipeline.rule.reference import load_reference


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "sql"},
    owners=["team:data-owners"],
    deps=[raw_extracts],
    description="Usable rows of each table (contract-parsed, newest extract's version marked "
    "current) and the quarantine: every unusable row with file, row number and reason. "
    "Checks that rows read = rows loaded + rows quarantined.",
)
def staged_tables(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    with connection(duckdb) as con:
        result = build_staging(con)
        log_step(con, context, "staged_tables", result)
    flat = {}
    for table, c in result.counts.items():
        for key in ("rows_read", "rows_loaded", "rows_quarantined", "rows_current"):
            flat[f"{table}_{key}"] = dg.MetadataValue.int(int(c.get(key, 0)))
        flat[f"{table}_quarantine_reasons"] = dg.MetadataValue.json(c["quarantine_reasons"])
    return dg.MaterializeResult(
        metadata={"seconds": dg.MetadataValue.float(result.seconds),
                  "timings_s": dg.MetadataValue.json(result.timings), **flat}
    )


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "csv"},
    owners=["team:matac-analysts"],
    description="The gravity table (offence weights, from scoring.gravity_table) and the "
    "scoring bands from the settings, as tables the rule joins to.",
)
def reference_data(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    with connection(duckdb) as con:
        result = load_reference(con, matac.settings)
        log_step(con, context, "reference_data", result)
    return dg.MaterializeResult(
        metadata=step_metadata(result, gravity_table=str(matac.settings.gravity_table_path))
    )


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "sql"},
    owners=["team:matac-analysts"],
    deps=[staged_tables],
    description="Exact identity resolution: nominal records sharing a PNC id are one person "
    "(smallest person_id). Two different PNC ids are never merged.",
)
def person_identity(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    with connection(duckdb) as con:
        result = build_identity(con)
        log_step(con, context, "person_identity", result)
    return dg.MaterializeResult(metadata=step_metadata(result))
