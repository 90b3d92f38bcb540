"""Identity resolution as two assets: the model's candidate links, and the persons (clusters)
with their hard-constraint checks."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.staging import staged_tables
from pipeline.identity.resolve import build_candidates, build_identity
from pipeline.orchestration.metadata import step_metadata
from pipeline.orchestration.resources import MatacResource, connection, log_step, run_step

TWO_PNC_CHECK = "no_person_with_two_pnc_ids"
SIZE_CHECK = "cluster_size"


@dg.asset(
    group_name="ingest", kinds={"duckdb", "sql"}, owners=["team:matac-analysts"],
    deps=[staged_tables],
)
def identity_candidates(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Pairs of nominal records scored by the Splink model (names, date of birth, gender, PNC
    id, shared associates) at or above identity.review_threshold; the model is the saved
    identity.model or is estimated on the run's nominals. Only pairs with a nominal new or
    changed since the last run are compared again (all with relink or rebuild)."""
    settings = matac.settings
    relink = matac.relink or matac.rebuild
    return run_step(context, duckdb, lambda con: build_candidates(con, settings, relink))


@dg.asset(
    group_name="ingest", kinds={"duckdb", "sql"}, owners=["team:matac-analysts"],
    deps=[identity_candidates],
    check_specs=[
        dg.AssetCheckSpec(TWO_PNC_CHECK, asset="person_identity", blocking=True,
                          description="No person holds two different PNC ids."),
        dg.AssetCheckSpec(SIZE_CHECK, asset="person_identity",
                          description="No person holds more nominal records than "
                          "identity.max_cluster_size (a warning: review such persons)."),
    ],
)
def person_identity(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Persons: nominal records sharing a PNC id, linked by the model at or above
    identity.link_threshold, or joined by an analyst, strongest link first; two PNC ids or an
    analyst's 'different' are never one person. Resolved id = smallest person_id."""
    settings = matac.settings
    with connection(duckdb) as con:
        result = build_identity(con, settings)
        log_step(con, context, context.asset_key.path[-1], result)
    two, big = result.counts["persons_with_two_pnc_ids"], result.counts["oversized_persons"]
    return dg.MaterializeResult(
        metadata=step_metadata(result),
        check_results=[
            dg.AssetCheckResult(check_name=TWO_PNC_CHECK, passed=two == 0,
                                severity=dg.AssetCheckSeverity.ERROR,
                                metadata={"persons_with_two_pnc_ids": two}),
            dg.AssetCheckResult(check_name=SIZE_CHECK, passed=big == 0,
                                severity=dg.AssetCheckSeverity.WARN,
                                metadata={"oversized_persons": big,
                                          "max_cluster_size": settings.identity.max_cluster_size,
                                          "largest_person": result.counts["largest_person"]}),
        ],
    )
