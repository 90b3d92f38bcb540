"""The data-quality gate as Dagster asset checks, and the report data owners read.

Two steps, both thin wiring around `pipeline/quality.py` (checks, GX) and `pipeline/report.py`:

1. `data_quality_report` (after staging): runs the three staged-table suites, writes
   `data_quality_report.html` and `data_quality.json` to the run's output folder, then reports
   the results as asset checks of the report, one per suite and severity (`<table>_errors`,
   blocking; `<table>_warnings`), each listing its expectations' results in its metadata. The
   files are written first, so they exist when publication is blocked. Nothing downstream depends on it
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

from assets.marts import priority_list
from assets.staging import reference_data, staged_tables
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, connection
from pipeline.quality import checks as quality
from pipeline.quality import report

REPORT_KEY = dg.AssetKey("data_quality_report")
LIST_KEY = priority_list.key
GATE = "data_quality_gate"
SEVERITY = {quality.ERROR: dg.AssetCheckSeverity.ERROR, quality.WARN: dg.AssetCheckSeverity.WARN}


def _groups(suite: str) -> list[tuple[str, str, list[dict]]]:
    """A suite's checks grouped by severity: (Dagster check name, severity, definitions)."""
    defs = quality.definitions(suite)
    out = []
    for severity, word in ((quality.ERROR, "errors"), (quality.WARN, "warnings")):
        members = [d for d in defs if d["severity"] == severity]
        if members:
            out.append((f"{members[0]['table']}_{word}", severity, members))
    return out


def _spec(name: str, severity: str, members: list[dict], asset: dg.AssetKey, **kwargs):
    suite = members[0]["suite"]
    names = "; ".join(d["name"] for d in members)
    return dg.AssetCheckSpec(
        name, asset=asset, blocking=severity == quality.ERROR,
        description=f"[{severity}] the {len(members)} {severity} check"
        f"{'s' if len(members) > 1 else ''} of expectations/{suite}.json ({names})",
        **kwargs,
    )


# One Dagster check per suite and severity (each with the expectations' results in its
# metadata), not one per expectation: every check costs two events in Dagster's event log
# (~20 ms each on SQLite), and 44 expectations made ~90 of the ~190 events of a run.
STAGED_GROUPS = [g for s in quality.STAGED_SUITES.values() for g in _groups(s)]
LIST_GROUPS = _groups(quality.LIST_SUITE)
STAGED_SPECS = [_spec(n, sev, m, REPORT_KEY) for n, sev, m in STAGED_GROUPS]
LIST_SPECS = [
    _spec(n, sev, m, LIST_KEY, additional_deps=[REPORT_KEY]) for n, sev, m in LIST_GROUPS
] + [
    dg.AssetCheckSpec(
        GATE, asset=LIST_KEY, blocking=True, additional_deps=[REPORT_KEY],
        description="[error] Publication gate: this run's data-quality report has no failed "
        "error check (staged tables and list).",
    )
]


def _cell(value) -> str:
    return str(value).replace("|", "/").replace("\n", " ")


def _group_results(groups, checks: list[quality.Check], asset: dg.AssetKey):
    """One AssetCheckResult per group: passed when every expectation in it passed; metadata:
    the failed expectations by name and a table of every expectation (ids only)."""
    by_name = {c.name: c for c in checks}
    for name, severity, members in groups:
        group = [by_name[d["name"]] for d in members if d["name"] in by_name]
        failed = [c.name for c in quality.failed(group, severity)]
        rows = "\n".join(
            f"| {c.name} | {'pass' if c.success else 'FAIL' if c.success is False else 'not run'}"
            f" | {_cell(c.expected)} | {_cell(c.observed_text)} | "
            f"{c.failing_rows if c.failing_rows is not None else ''} | "
            f"{_cell(', '.join(c.failing_ids))} |"
            for c in group
        )
        yield dg.AssetCheckResult(
            asset_key=asset,
            check_name=name,
            passed=not failed,
            severity=SEVERITY[severity],
            metadata={
                "checks": dg.MetadataValue.int(len(group)),
                "failed": dg.MetadataValue.int(len(failed)),
                "failed_expectations": dg.MetadataValue.json(failed),
                "results": dg.MetadataValue.md(
                    "| check | result | expected | observed | failing rows | failing ids |\n"
                    "|---|---|---|---|---|---|\n" + rows
                ),
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
    "the run's output folder, written also when publication is blocked. One asset check per suite "
    "and severity (<table>_errors blocking, <table>_warnings not), the expectations' results in its "
    "metadata. The list checks are added by priority_list's checks.",
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
    yield from _group_results(STAGED_GROUPS, assessment.checks, REPORT_KEY)


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
    yield from _group_results(LIST_GROUPS, checks, LIST_KEY)
    yield dg.AssetCheckResult(
        asset_key=LIST_KEY, check_name=GATE, passed=document["verdict"] != quality.FAIL,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={**_report_metadata(document, paths), "listed": dg.MetadataValue.int(listed)},
    )
