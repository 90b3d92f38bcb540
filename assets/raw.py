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
    """Every file of the extracts the run names, registered with its sha256; the files not
    loaded by an earlier run (all with --rebuild) read as they are, every value as text. A run
    depends only on the extracts it names: what is kept of other files is never used."""
    dirs = matac.extract_dirs()
    if not dirs:
        raise dg.Failure("no extract to read: give --extract or land a complete extract folder")

    def progress(message: str) -> None:
        context.log.info(message)
        print(f"  {message}", file=sys.stderr, flush=True)

    quality.preload()
    return run_step(
        context, duckdb, lambda con: load_extracts(con, dirs, matac.work_dir(), progress,
                                                   matac.rebuild),
        extracts=dg.MetadataValue.json([str(d) for d in dirs]),
    )
