"""The data-quality gate as Dagster asset checks, and the report data owners read.

Two steps, both thin wiring around `pipeline/quality.py` (checks, GX) and `pipeline/report.py`:

1. `data_quality_report` (after staging): runs the three staged-table suites, writes
   `data_quality_report.html` and `data_quality.json` to the run's output folder, then reports
   every expectation as an asset check of the report (error checks are blocking). The files are
   written first, so they exist when publication is blocked. Nothing downstream depends on it
   but the gate, so a failure here never stops the report itself.
2. `priority_list` checks (after the list is built in DuckDB, before publication): the list suite
   (a recount of the MATAC rule, ranks 1..n) and `data_quality_gate`, all blocking, in one step
   that depends on the report. It adds its results to the report and rewrites it.

Publication (`published_priority_list`) is downstream of `priority_list`, so it waits for these
blocking checks: it does not run when a list check or the gate fails, nor when a blocking check
of the report failed (then step 2 does not run at all). Metadata: counts, verdict, paths, check
names and ids only - never names, dates of birth or PNC ids.
"""


import datetime as dt

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipeline import quality, report
from pipeline.partitions import as_of_date, as_of_partitions
from pipeline.resources import MatacResource, connection

from assets.marts import priority_list
from assets.staging import reference_data, staged_tables

REPORT_KEY = dg.AssetKey("data_quality_report")
LIST_KEY = priority_list.key
GATE = "data_quality_gate"
SEVERITY = {quality.ERROR: dg.AssetCheckSeverity.ERROR, quality.WARN: dg.AssetCheckSeverity.WARN}


def _spec(d: dict, asset: dg.AssetKey, **kwargs) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        d["name"], asset=asset, blocking=d["severity"] == quality.ERROR,
        description=f"[{d['severity']}] {d['title']} (expectations/{d['suite']}.json)", **kwargs,
    )


STAGED_SPECS = [
    _spec(d, REPORT_KEY) for s in quality.STAGED_SUITES.values() for d in quality.definitions(s)
]
LIST_SPECS = [
    _spec(d, LIST_KEY, additional_deps=[REPORT_KEY]) for d in quality.definitions(quality.LIST_SUITE)
] + [
    dg.AssetCheckSpec(
        GATE, asset=LIST_KEY, blocking=True, additional_deps=[REPORT_KEY],
        description="[error] Publication gate: this run's data-quality report has no failed "
        "error check (staged tables and list).",
    )
]


def _check_result(c: quality.Check) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=REPORT_KEY if c.table in quality.STAGED_SUITES else LIST_KEY,
        check_name=c.name,
        passed=bool(c.success),
        severity=SEVERITY[c.severity],
        metadata={
            "table": c.table,
            "column": c.column or "",
            "severity": c.severity,
            "expected": c.expected,
            "observed": c.observed_text,
            "failing_rows": dg.MetadataValue.int(c.failing_rows) if c.failing_rows is not None else "n/a",
            "failing_ids": ", ".join(c.failing_ids),
        },
    )


def _report_metadata(document: dict, paths: dict) -> dict:
    s = document["summary"]
    meta = {
        "verdict": document["verdict"],
        "publication": document["publication"],
        "report": dg.MetadataValue.path(str(paths["html"])),
        "json": dg.MetadataValue.path(str(paths["json"])),
        "checks": dg.MetadataValue.int(s["checks"]),
        "errors_failed": dg.MetadataValue.int(s["errors_failed"]),
        "warnings_failed": dg.MetadataValue.int(s["warnings_failed"]),
        "failed_checks": dg.MetadataValue.json(s["failed_checks"]),
    }
    for table, t in document["tables"].items():
        for key in ("rows_read", "rows_loaded", "rows_quarantined"):
            meta[f"{table}_{key}"] = dg.MetadataValue.int(t[key])
        meta[f"{table}_quarantine_reasons"] = dg.MetadataValue.json(t["quarantine_reasons"])
    return meta


@dg.asset(
    key=REPORT_KEY,
    group_name="quality",
    kinds={"html", "json"},
    owners=["team:data-owners"],
    partitions_def=as_of_partitions,
    deps=[staged_tables, reference_data],
    check_specs=STAGED_SPECS,
    description="Great Expectations suites on the staged tables (expectations/stg_*.json) and "
    "the data-quality report for data owners: data_quality_report.html and data_quality.json in "
    "the run's output folder, written also when publication is blocked. Each expectation is an "
    "asset check; error checks are blocking. The list checks are added by priority_list's checks.",
)
def data_quality_report(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
):
    as_of = as_of_date(context)
    out_dir = matac.output_dir(str(as_of))
    with connection(duckdb) as con:
        assessment = quality.assess_staged(con, matac.settings, as_of, context.run.run_id)
        document = report.build_document(assessment, matac.settings.quality.max_failing_ids)
        report.save(con, document, out_dir)
    paths = report.write(document, out_dir)
    s = document["summary"]
    context.log.info(
        f"data quality of the extracts: {document['verdict']} ({s['errors_failed']} errors, "
        f"{s['warnings_failed']} warnings); report {paths['html']}"
    )
    yield dg.MaterializeResult(metadata=_report_metadata(document, paths))
    for c in assessment.checks:
        if c.table in quality.STAGED_SUITES:
            yield _check_result(c)


@dg.multi_asset_check(
    specs=LIST_SPECS,
    name="priority_list_quality",
    description="The list suite (expectations/priority_list.json: recount of the MATAC rule, "
    "ranks 1..n) and the publication gate; adds the results to the data-quality report.",
)
def priority_list_quality(
    context: dg.AssetCheckExecutionContext, matac: MatacResource, duckdb: DuckDBResource
):
    settings = matac.settings
    with connection(duckdb) as con:
        saved = report.load(con, context.run.run_id)
        if saved is None:
            yield dg.AssetCheckResult(
                asset_key=LIST_KEY, check_name=GATE, passed=False,
                metadata={"reason": "no data-quality report was recorded for this run"},
            )
            return
        document, out_dir = saved
        as_of = dt.date.fromisoformat(document["as_of"])
        params = {**document["thresholds"], "today": document["reference_date"]}
        checks, listed = quality.assess_list(con, settings, as_of, params)
        document = report.with_list_checks(document, checks, listed)
        all_checks = [quality.Check.from_dict(c) for c in document["checks"]]
        quality.record_list(con, context.run.run_id, all_checks, listed)
        document["trend"] = report.trend_rows(
            quality.trend(con, document["source"], settings.quality.trend_runs)
        )
        report.save(con, document, out_dir)
    paths = report.write(document, out_dir)
    context.log.info(
        f"data quality of the list: {document['verdict']}; report {paths['html']}"
    )
    for c in checks:
        yield _check_result(c)
    yield dg.AssetCheckResult(
        asset_key=LIST_KEY, check_name=GATE, passed=document["verdict"] != quality.FAIL,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={**_report_metadata(document, paths), "listed": dg.MetadataValue.int(listed)},
    )
