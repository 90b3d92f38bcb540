"""The floors: the rule and score as one hand-written DuckDB query (`sql/bench/floor.sql`, bench
only) with the pipeline's connection config. The in-memory floor runs it straight over the
Parquet files; the persisted floor first has DuckDB load the three files into typed tables of a
fresh database file (`sql/bench/incidents.sql` etc., then a checkpoint), then runs the same
query over those tables. Their parameters are the pipeline's own (`rule_params` at the
extract's latest occurred_date, `band_params`), the gravity table the settings' one."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.bench.extract import TABLES
from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.rule.reference import band_params
from pipeline.rule.score import rule_params


def extract_paths(folder: Path) -> dict[str, str]:
    return {f"{t}_path": str(folder / f"{t}.parquet") for t in TABLES}


def floor_params(sources: dict[str, str], settings: Settings, as_of) -> dict:
    return {
        **sources,
        "gravity_path": str(settings.gravity_table_path),
        **rule_params(settings, as_of),
        **band_params(settings),
    }


def _floor_query(con, sources: dict[str, str], settings: Settings):
    as_of = db.run(con, "bench/floor_as_of", sources).fetchone()[0]
    return db.run(con, "bench/floor", floor_params(sources, settings, as_of)).fetchdf()


def floor_baseline(folder: Path, settings: Settings):
    """The ranked list (rank, perpetrator_id, rfg_score) from the floor query over the files."""
    import duckdb

    sources = {f"{t}_table": str(folder / f"{t}.parquet") for t in TABLES}
    with duckdb.connect(":memory:", config=db.connection_config(settings)) as con:
        return _floor_query(con, sources, settings)


def persisted_baseline(folder: Path, settings: Settings, database: Path):
    """The persisted floor: load the three files into a fresh database file `database` (removed
    first and afterwards), then the floor query over its tables. The list, and the seconds the
    load took (part of the whole)."""
    import duckdb

    for p in (database, database.with_name(database.name + ".wal")):
        p.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(database), config=db.connection_config(settings)) as con:
            start = time.perf_counter()
            for t in TABLES:
                db.run(con, f"bench/{t}", extract_paths(folder))
            con.execute("CHECKPOINT")
            load_s = time.perf_counter() - start
            return _floor_query(con, {f"{t}_table": t for t in TABLES}, settings), {"load_s": load_s}
    finally:
        for p in (database, database.with_name(database.name + ".wal")):
            p.unlink(missing_ok=True)
