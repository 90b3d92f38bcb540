"""Dagster Definitions: every asset, check, job, schedule, sensor and resource, listed."""

from __future__ import annotations

import os

import dagster as dg

from assets.backtest import backtest
from assets.identity import identity_candidates, person_identity
from assets.intermediate import scored_perpetrators
from assets.marts import priority_list
from assets.panel import panel_decisions, panel_outcomes, panel_pack
from assets.publish import published_priority_list
from assets.quality import data_quality_report, priority_list_quality
from assets.raw import raw_extracts
from assets.staging import reference_data, staged_tables
from pipeline.orchestration.resources import CONFIG_ENV, MatacResource, duckdb_resource
from pipeline.orchestration.schedules import build_cycle_schedule
from pipeline.orchestration.sensors import build_landing_sensor
from pipeline.quality.storage import IO_MANAGER_KEY, report_io_manager

INGEST_ASSETS = [raw_extracts, staged_tables, reference_data, identity_candidates,
                 person_identity, panel_decisions]
PUBLISH_ASSETS = [scored_perpetrators, priority_list, data_quality_report, published_priority_list,
                  panel_pack, panel_outcomes]
# Selected with priority_list: the list suite and the publication gate (blocking).
ASSET_CHECKS = [priority_list_quality]
ALL_ASSETS = INGEST_ASSETS + PUBLISH_ASSETS

# DuckDB has one writer and the steps are SQL-bound: run them in one process.
ingest_job = dg.define_asset_job(
    "ingest_job", selection=INGEST_ASSETS, executor_def=dg.in_process_executor,
    description="Read the extracts, stage and quarantine rows, resolve identities.",
)
publish_job = dg.define_asset_job(
    "publish_job", selection=PUBLISH_ASSETS, executor_def=dg.in_process_executor,
    description="Apply the rule at an as-of date (the partition) and publish the list.",
)
matac_job = dg.define_asset_job(
    "matac_job", selection=ALL_ASSETS, executor_def=dg.in_process_executor,
    description="The whole cycle: ingest, rule, publish, for one as-of partition.",
)
# The back-test reads the extracts itself into its own DuckDB file: its own job, never the cycle's.
backtest_job = dg.define_asset_job(
    "backtest_job", selection=[backtest], executor_def=dg.in_process_executor,
    description="Back-test the ranking over a range of cycle dates (config: start, end, ...).",
)
JOBS = [ingest_job, publish_job, matac_job, backtest_job]


def build_resources(matac: MatacResource) -> dict:
    return {"matac": matac, "duckdb": duckdb_resource(matac.settings), IO_MANAGER_KEY: report_io_manager}


def build_definitions(matac: MatacResource | None = None) -> dg.Definitions:
    matac = matac or MatacResource(config_file=os.environ.get(CONFIG_ENV) or None)
    return dg.Definitions(
        assets=[*ALL_ASSETS, backtest],
        asset_checks=ASSET_CHECKS,
        jobs=JOBS,
        schedules=[build_cycle_schedule(matac.settings, matac_job)],
        sensors=[build_landing_sensor(matac.settings, matac_job)],
        resources=build_resources(matac),
    )


defs = build_definitions()
