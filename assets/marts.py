"""Marts: the priority list, the incidents behind it and the left-list, in DuckDB."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.intermediate import scored_perpetrators
from pipeline.orchestration.partitions import as_of_partitions
from pipeline.orchestration.resources import run_step
from pipeline.rule.score import build_marts


@dg.asset(
    group_name="rule",
    kinds={"duckdb", "sql"},
    owners=["team:matac-analysts"],
    partitions_def=as_of_partitions,
    deps=[scored_perpetrators, dg.AssetKey("panel_decisions")],  # assets/panel.py
)
def priority_list(context: dg.AssetExecutionContext, duckdb: DuckDBResource) -> dg.MaterializeResult:
    """mart_priority_list (one row per serial perpetrator in rank order, with movement, area
    and panel status), mart_priority_incidents (why each is ranked there) and mart_left_list."""
    return run_step(context, duckdb, build_marts)
