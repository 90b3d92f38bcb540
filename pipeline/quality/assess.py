"""The data-quality gate's two passes over one run, as plain functions on a DuckDB connection:

1. after staging (`staged_report`): the three staged-table suites, recorded in the history, and
   the report document with the list's checks still 'not run';
2. once the list is built (`add_list_checks`): the list suite on the list about to be
   published, added to that document, with the identity section (who was joined into one
   person, counts only).

The Dagster wiring is in `assets/quality.py` (with `asset_checks`): the document passes from
the first to the second as the `data_quality_report` asset's value (`storage.ReportIOManager`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.identity import counts as identity_counts
from pipeline.quality import history, report
from pipeline.quality.checks import Check, list_checks, not_run, staged_checks, verdict
from pipeline.quality.measures import list_frame, staged_measures
from pipeline.quality.suites import LIST_SUITE, parameters, today

# What the report shows of each input file (no row values).
FILE_FIELDS = ("extract_seq", "extract_name", "table_name", "path", "file_format", "encoding",
               "size_bytes", "sha256", "rows_read")


@dataclass
class Assessment:
    """Everything the data-quality report shows for one run (counts and ids only)."""

    run_id: str
    as_of: dt.date
    reference_day: dt.date
    counts: dict[str, dict]
    checks: list[Check]
    files: list[dict]
    source: str
    fingerprint: str
    extracts: list[str]
    listed: int | None
    samples: list[dict]
    trend: list[dict]
    parameters: dict

    @property
    def verdict(self) -> str:
        return verdict(self.checks)


def _input_files(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return [
        {k: (int(v) if k in ("extract_seq", "size_bytes", "rows_read") else v) for k, v in f.items()
         if k in FILE_FIELDS}
        for f in db.run(con, "ops/input_files").fetchdf().to_dict(orient="records")
    ]


def _samples(con: duckdb.DuckDBPyConnection, per_reason: int) -> list[dict]:
    """Sample row numbers per table, quarantine reason and file."""
    if not per_reason:
        return []
    rows = db.run(con, "staging/sample_quarantine_rows", {"per_reason": per_reason}).fetchall()
    return [
        {"table": t, "reason": r, "file": f"{Path(f).parent.name}/{Path(f).name}",
         "rows": [int(x) for x in numbers][:per_reason]}
        for t, r, f, numbers in rows
    ]


def assess_staged(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  run_id: str) -> Assessment:
    """Run the three staged-table suites and record this run's key figures in the history.
    The list suite has not run yet: its checks are 'not run' until `assess_list`."""
    from pipeline.ingest.stage import table_counts

    reference_day = today(settings)
    counts = table_counts(con)
    files = _input_files(con)
    source, fingerprint, extracts = history.source_of(files)
    previous = history.previous_run(con, source, fingerprint, run_id)
    params = parameters(settings, reference_day, as_of)
    measures = staged_measures(con, settings, reference_day, counts, previous)
    checks = staged_checks(measures, settings, params) + not_run(LIST_SUITE, params)
    history.record_run(con, run_id=run_id, as_of=as_of, source=source, fingerprint=fingerprint,
                       extracts=extracts, checks=checks, counts=counts, listed=None)
    return Assessment(
        run_id=run_id, as_of=as_of, reference_day=reference_day, counts=counts, checks=checks,
        files=files, source=source, fingerprint=fingerprint, extracts=extracts, listed=None,
        samples=_samples(con, settings.quality.sample_rows),
        trend=history.trend(con, source, settings.quality.trend_runs),
        parameters=params,
    )


def assess_list(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                params: dict) -> tuple[list[Check], int]:
    """Run the list suite on the list about to be published; returns its checks and length."""
    frame = list_frame(con, settings, as_of)
    return list_checks(frame, settings, params), len(frame)


def staged_report(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  run_id: str) -> tuple[dict, list[Check]]:
    """Pass 1: the report document after the staged suites, and their checks."""
    assessment = assess_staged(con, settings, as_of, run_id)
    return report.build_document(assessment, settings.quality.max_failing_ids), assessment.checks


def add_list_checks(con: duckdb.DuckDBPyConnection, settings: Settings,
                    document: dict) -> tuple[dict, list[Check], int]:
    """Pass 2: run the list suite, add its checks to the document (verdict, history and trend
    updated); returns the new document, the list's checks and the list's length."""
    as_of = dt.date.fromisoformat(document["as_of"])
    params = {**document["thresholds"], "today": document["reference_date"]}
    checks, listed = assess_list(con, settings, as_of, params)
    document = report.with_list_checks(document, checks, listed)
    document["identity"] = identity_counts.section(con, settings)
    all_checks = [Check.from_dict(c) for c in document["checks"]]
    history.record_list(con, document["run_id"], all_checks, listed)
    document["trend"] = report.trend_rows(
        history.trend(con, document["source"], settings.quality.trend_runs)
    )
    return document, checks, listed
