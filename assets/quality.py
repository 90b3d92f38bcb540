"""The data-quality gate as Dagster assets and checks: wiring around `pipeline/quality/`.

1. `data_quality_report` (after staging): the three staged-table suites; its value is the
   report document, which its IO manager writes to the run's output folder as
   `data_quality_report.html` and `data_quality.json` (also when publication is blocked), with
   every quarantined row beside them in `quarantine.csv` and `quarantine.xlsx`; its
   asset checks are one per suite and severity (`<table>_errors`, blocking; `<table>_warnings`).
2. `priority_list_quality` (after the list is built in DuckDB, before publication): takes the
   document as its input, runs the list suite and `data_quality_gate`, all blocking, and
   rewrites the report with the list's results.

Publication (`published_priority_list`) is downstream of `priority_list`, so it waits for these
blocking checks: it does not run when a list check or the gate fails, nor when a blocking check
of the report failed (then step 2 does not run at all).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.marts import priority_list
from assets.staging import reference_data, staged_tables
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, connection
from pipeline.quality import assess, quarantine, report
from pipeline.quality import asset_checks as gate
from pipeline.quality.storage import IO_MANAGER_KEY

REPORT_KEY = dg.AssetKey("data_quality_report")
LIST_KEY = priority_list.key


@dg.asset(
    key=REPORT_KEY,
    group_name="quality",
    kinds={"html", "json"},
    owners=["team:data-owners"],
    partitions_def=as_of_partitions,
    deps=[staged_tables, reference_data],
    io_manager_key=IO_MANAGER_KEY,
    check_specs=[gate.spec(n, sev, m, REPORT_KEY) for n, sev, m in gate.STAGED_GROUPS],
    description="Great Expectations suites on the staged tables (expectations/stg_*.json) and "
    "the data-quality report for data owners: data_quality_report.html and data_quality.json in "
    "the run's output folder, written also when publication is blocked, with every quarantined "
    "row in quarantine.csv and quarantine.xlsx beside it. One asset check per suite "
    "and severity (<table>_errors blocking, <table>_warnings not), the expectations' results in its "
    "metadata. The list checks are added by priority_list's checks.",
)
def data_quality_report(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
):
    with connection(duckdb) as con:
        document, checks = assess.staged_report(con, matac.settings, as_of_date(context), context.run.run_id)
        document["quarantine_file"] = quarantine.write(
            con, matac.output_dir(document["as_of"]), document["as_of"], matac.settings.output.xlsx)
    s = document["summary"]
    context.log.info(
        f"data quality of the extracts: {document['verdict']} ({s['errors_failed']} errors, "
        f"{s['warnings_failed']} warnings); report {report.paths(matac.output_dir(document['as_of']))['html']}"
    )
    yield dg.Output(document, metadata=gate.report_metadata(document))
    yield from gate.group_results(gate.STAGED_GROUPS, checks, REPORT_KEY)


@dg.multi_asset_check(
    specs=[gate.spec(n, sev, m, LIST_KEY, additional_deps=[REPORT_KEY]) for n, sev, m in gate.LIST_GROUPS]
    + [gate.gate_spec(LIST_KEY, additional_deps=[REPORT_KEY])],
    ins={"document": dg.AssetIn(key=REPORT_KEY)},
    name="priority_list_quality",
    description="The list suite (expectations/priority_list.json: recount of the MATAC rule, "
    "ranks 1..n) and the publication gate; adds the results to the data-quality report.",
)
def priority_list_quality(
    context: dg.AssetCheckExecutionContext, matac: MatacResource, duckdb: DuckDBResource,
    document: dict | None,
):
    if document is None or document["run_id"] != context.run.run_id:  # none, or an earlier run's
        yield gate.no_report(LIST_KEY)
        return
    with connection(duckdb) as con:
        document, checks, listed = assess.add_list_checks(con, matac.settings, document)
    written = report.write(document, matac.output_dir(document["as_of"]))
    context.log.info(f"data quality of the list: {document['verdict']}; report {written['html']}")
    yield from gate.group_results(gate.LIST_GROUPS, checks, LIST_KEY)
    yield gate.gate_result(document, written, listed, LIST_KEY)
