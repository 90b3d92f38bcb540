"""The back-test as a Dagster asset in its own job (`backtest_job`; not part of the cycle): rank
every cycle date in a range and measure how much of the following harm each model's list found.
A thin wrapper over `pipeline.backtest.run.run_backtest`; metadata: the summary, each model's
averaged measures and the report's path (aggregates only, never a person)."""

import datetime as dt

import dagster as dg

from pipeline.backtest.report import MEASURES
from pipeline.backtest.run import run_backtest
from pipeline.orchestration.resources import MatacResource


class BacktestConfig(dg.Config):
    """Launch-time options, as `matac backtest` takes them."""

    start: str  # first cycle date considered, YYYY-MM-DD
    end: str    # last cycle date considered, YYYY-MM-DD
    horizon_months: int | None = None  # default: setting backtest.horizon_months
    compare: list[str] = []            # presets (rfg, rfgv, rfh) or settings files
    out: str | None = None             # default: <output.directory>/backtest/


def _means_table(doc: dict) -> str:
    cols = ["listed", *MEASURES]
    rows = [f"| {name} | " + " | ".join("" if m[c] is None else f"{m[c]:.3f}" for c in cols) + " |"
            for name, m in doc["means"].items()]
    return ("| model | " + " | ".join(cols) + " |\n|" + "---|" * (len(cols) + 1) + "\n"
            + "\n".join(rows))


@dg.asset(
    group_name="evidence",
    kinds={"duckdb", "sql", "html"},
    owners=["team:matac-analysts"],
    description="Back-test: for every cycle date in the configured range whose horizon the data "
    "covers, the ranking `matac run --as-of D` would publish (configured settings and each "
    "compared preset or file) and simple baselines, measured against the harm recorded after "
    "D. Writes backtest_cycles.csv, backtest.json and backtest.html.",
)
def backtest(context: dg.AssetExecutionContext, config: BacktestConfig,
             matac: MatacResource) -> dg.MaterializeResult:
    dirs = matac.extract_dirs()
    if not dirs:
        raise dg.Failure("no extract to read: give extracts or land a complete extract folder")
    result = run_backtest(
        [str(d) for d in dirs], dt.date.fromisoformat(config.start),
        dt.date.fromisoformat(config.end), config.horizon_months, matac.config_file,
        config.compare, config.out, progress=context.log.info,
    )
    doc = result.document
    return dg.MaterializeResult(metadata={
        "report": dg.MetadataValue.path(str(result.paths["html"])),
        "cycles_csv": dg.MetadataValue.path(str(result.paths["csv"])),
        "summary": dg.MetadataValue.md("\n\n".join(doc["summary"]["lines"])),
        "best_top_k": doc["summary"]["best_top_k"] or "",
        "cycle_dates": dg.MetadataValue.int(len(doc["as_of_dates"])),
        "skipped_dates": dg.MetadataValue.json(doc["skipped_dates"]),
        "models": dg.MetadataValue.json(list(doc["means"])),
        "means": dg.MetadataValue.md(_means_table(doc)),
        "seconds": dg.MetadataValue.float(result.seconds),
        "timings_s": dg.MetadataValue.json(result.timings),
    })
