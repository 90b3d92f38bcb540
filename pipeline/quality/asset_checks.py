"""The gate as Dagster asset checks: one per suite and severity (`<table>_errors`, blocking;
`<table>_warnings`), each with its expectations' results in its metadata, and the metadata of
the report. Not one Dagster check per expectation: every check costs two events in Dagster's
event log (~20 ms each on SQLite), and 44 expectations made ~90 of the ~190 events of a run.
Metadata: counts, verdict, paths, check names and ids only."""

from __future__ import annotations

import dagster as dg

from pipeline.quality.checks import FAIL, Check, failed
from pipeline.quality.suites import ERROR, LIST_SUITE, STAGED_SUITES, WARN, definitions

SEVERITY = {ERROR: dg.AssetCheckSeverity.ERROR, WARN: dg.AssetCheckSeverity.WARN}
GATE = "data_quality_gate"


def groups(suite: str) -> list[tuple[str, str, list[dict]]]:
    """A suite's checks grouped by severity: (Dagster check name, severity, definitions)."""
    defs = definitions(suite)
    out = []
    for severity, word in ((ERROR, "errors"), (WARN, "warnings")):
        members = [d for d in defs if d["severity"] == severity]
        if members:
            out.append((f"{members[0]['table']}_{word}", severity, members))
    return out


STAGED_GROUPS = [g for s in STAGED_SUITES.values() for g in groups(s)]
LIST_GROUPS = groups(LIST_SUITE)


def spec(name: str, severity: str, members: list[dict], asset: dg.AssetKey, **kwargs):
    suite = members[0]["suite"]
    names = "; ".join(d["name"] for d in members)
    return dg.AssetCheckSpec(
        name, asset=asset, blocking=severity == ERROR,
        description=f"[{severity}] the {len(members)} {severity} check"
        f"{'s' if len(members) > 1 else ''} of expectations/{suite}.json ({names})",
        **kwargs,
    )


def gate_spec(asset: dg.AssetKey, **kwargs):
    return dg.AssetCheckSpec(
        GATE, asset=asset, blocking=True,
        description="[error] Publication gate: this run's data-quality report has no failed "
        "error check (staged tables and list).",
        **kwargs,
    )


def _cell(value) -> str:
    return str(value).replace("|", "/").replace("\n", " ")


def group_results(groups, checks: list[Check], asset: dg.AssetKey):
    """One AssetCheckResult per group: passed when every expectation in it passed; metadata:
    the failed expectations by name and a table of every expectation (ids only)."""
    by_name = {c.name: c for c in checks}
    for name, severity, members in groups:
        group = [by_name[d["name"]] for d in members if d["name"] in by_name]
        failing = [c.name for c in failed(group, severity)]
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
            passed=not failing,
            severity=SEVERITY[severity],
            metadata={
                "checks": dg.MetadataValue.int(len(group)),
                "failed": dg.MetadataValue.int(len(failing)),
                "failed_expectations": dg.MetadataValue.json(failing),
                "results": dg.MetadataValue.md(
                    "| check | result | expected | observed | failing rows | failing ids |\n"
                    "|---|---|---|---|---|---|\n" + rows
                ),
            },
        )


def report_metadata(document: dict, written: dict | None = None) -> dict:
    """The report's verdict and counts (and the paths of its files, when given)."""
    s = document["summary"]
    meta = {
        "verdict": document["verdict"],
        "publication": document["publication"],
        **({"report": dg.MetadataValue.path(str(written["html"])),
            "json": dg.MetadataValue.path(str(written["json"]))} if written else {}),
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


def gate_result(document: dict, written: dict, listed: int, asset: dg.AssetKey) -> dg.AssetCheckResult:
    """The publication gate: passed unless the report's verdict is fail."""
    return dg.AssetCheckResult(
        asset_key=asset, check_name=GATE, passed=document["verdict"] != FAIL,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={**report_metadata(document, written), "listed": dg.MetadataValue.int(listed)},
    )


def no_report(asset: dg.AssetKey) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset, check_name=GATE, passed=False,
        metadata={"reason": "no data-quality report was recorded for this run"},
    )

