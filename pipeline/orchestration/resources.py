"""Dagster resources: what a run reads (settings, extracts) and where it writes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline.core import db
from pipeline.core.settings import Settings, load_settings
from pipeline.orchestration import lock
from pipeline.orchestration.metadata import step_metadata

CONFIG_ENV = "MATAC_CONFIG"


class MatacResource(dg.ConfigurableResource):
    """The inputs of a run. `extracts` empty means: every complete extract folder in the
    landing folder, in folder-name order (name them by date). `rebuild`: read every file again
    (`matac run --rebuild`; otherwise files loaded by an earlier run are not read again).
    `relink`: compare every pair of nominals again (`matac run --relink`, implied by rebuild;
    otherwise only pairs with a new or changed nominal)."""

    config_file: str | None = None
    extracts: list[str] = []
    publish_dir: str | None = None  # exact output folder; default <output.directory>/<as-of>/
    rebuild: bool = False
    relink: bool = False

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.config_file or os.environ.get(CONFIG_ENV) or None)

    def extract_dirs(self) -> list[Path]:
        if self.extracts:
            return [Path(p) for p in self.extracts]
        from pipeline.ingest.landing import ready_extracts

        return ready_extracts(self.settings)

    def output_dir(self, as_of: str) -> Path:
        if self.publish_dir:
            return Path(self.publish_dir)
        return self.settings.path(self.settings.output.directory) / as_of

    def work_dir(self) -> Path:
        return self.settings.path(self.settings.output.directory) / ".work"


class ProjectDuckDB(DuckDBResource):
    """The DuckDB file every asset reads and writes. Setting it up for a run takes the project
    state lock (`pipeline.orchestration.lock`), held until the run ends: two runs never
    interleave, whoever started them."""

    wait_seconds: float = 600.0

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        current = context.run
        run = f"run {current.run_id if current else None}"
        tags = current.tags if current else {}
        with lock.hold(Path(self.database), run, tags.get("matac/trigger", "dagster"),
                       self.wait_seconds, say=context.log.info if context.log else None):
            with super().yield_for_execution(context) as value:
                yield value


def duckdb_resource(settings: Settings, wait_seconds: float | None = None) -> ProjectDuckDB:
    settings.database_path.parent.mkdir(parents=True, exist_ok=True)
    return ProjectDuckDB(
        database=str(settings.database_path), connection_config=db.connection_config(settings),
        wait_seconds=settings.storage.lock_wait_seconds if wait_seconds is None else wait_seconds,
    )


@contextmanager
def connection(duckdb: DuckDBResource):
    with duckdb.get_connection() as con:
        db.run(con, "ops/create_step_log")
        yield con


def log_step(con, context: dg.AssetExecutionContext, step: str, result) -> None:
    """Record a step's timings and counts in the database (read back into the run manifest)."""
    db.run(
        con,
        "ops/log_step",
        {
            "step": step,
            "run_id": context.run.run_id,
            "seconds": result.seconds,
            "timings": json.dumps(result.timings),
            "counts": json.dumps(result.counts, default=str),
        },
    )


def run_step(context: dg.AssetExecutionContext, duckdb: DuckDBResource,
             step: Callable[[Any], Any], metadata: Callable[..., dict] = step_metadata,
             **extra) -> dg.MaterializeResult:
    """What every SQL asset does: run one plain pipeline function on a DuckDB connection,
    record its timings and counts (for the run manifest) and report them as metadata."""
    with connection(duckdb) as con:
        result = step(con)
        log_step(con, context, context.asset_key.path[-1], result)
    return dg.MaterializeResult(metadata=metadata(result, **extra))
