"""Intermediate layer: the MATAC rule and RFG scoring at the partition's as-of date."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.identity import person_identity
from assets.staging import reference_data, staged_tables
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, run_step
from pipeline.rule.score import apply_rule, check_as_of, latest_occurred_date


@dg.asset(
    group_name="rule",
    kinds={"duckdb", "sql"},
    owners=["team:matac-analysts"],
    partitions_def=as_of_partitions,
    deps=[staged_tables, person_identity, reference_data],
)
def scored_perpetrators(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Qualifying incidents per perpetrator (DA, in the window, ages 16+ or unknown, a victim other
    than the perpetrator), serial perpetrators, RFG points, score and rank - at the as-of
    date and one cycle earlier (for movement)."""
    as_of = as_of_date(context)

    explicit = context.run.tags.get("matac/trigger") == "cli"  # `matac run --as-of`

    def step(con):
        if explicit:
            check_as_of(matac.settings, as_of, latest_occurred_date(con))
        return apply_rule(con, matac.settings, as_of)

    return run_step(context, duckdb, step, as_of=str(as_of))
