"""Raw layer: the extract folders, read as they are into DuckDB."""

import sys

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import quality
from pipeline.ingest.read import load_extracts
from pipeline.orchestration.resources import MatacResource, run_step


@dg.asset(group_name="ingest", kinds={"duckdb", "csv", "parquet"}, owners=["team:matac-analysts"])
def raw_extracts(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Every row of the three tables of each extract, as text, with source file and row. Re-read on
    every run so that a run depends only on the extracts it names."""
    dirs = matac.extract_dirs()
    if not dirs:
        raise dg.Failure("no extract to read: give --extract or land a complete extract folder")

    def progress(message: str) -> None:
        context.log.info(message)
        print(f"  {message}", file=sys.stderr, flush=True)

    quality.preload()
    return run_step(
        context, duckdb, lambda con: load_extracts(con, dirs, matac.work_dir(), progress),
        extracts=dg.MetadataValue.json([str(d) for d in dirs]),
    )
