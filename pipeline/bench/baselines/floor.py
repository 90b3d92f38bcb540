"""The floor: the rule and score as one hand-written DuckDB query straight over the Parquet
files (`sql/bench/floor.sql`, bench only), in memory, with the pipeline's connection config.
Its parameters are the pipeline's own (`rule_params` at the extract's latest occurred_date,
`band_params`), the gravity table the settings' one."""

from __future__ import annotations

from pathlib import Path

from pipeline.bench.extract import TABLES
from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.rule.reference import band_params
from pipeline.rule.score import rule_params


def extract_paths(folder: Path) -> dict[str, str]:
    return {f"{t}_path": str(folder / f"{t}.parquet") for t in TABLES}


def floor_params(folder: Path, settings: Settings, as_of) -> dict:
    return {
        **extract_paths(folder),
        "gravity_path": str(settings.gravity_table_path),
        **rule_params(settings, as_of),
        **band_params(settings),
    }


def floor_baseline(folder: Path, settings: Settings):
    """The ranked list (rank, perpetrator_id, rfg_score) from the floor query."""
    import duckdb

    with duckdb.connect(":memory:", config=db.connection_config(settings)) as con:
        as_of = db.run(con, "bench/floor_as_of", extract_paths(folder)).fetchone()[0]
        return db.run(con, "bench/floor", floor_params(folder, settings, as_of)).fetchdf()
