"""The data-quality gate: what is checked, how, and the verdict.

Every check is an expectation of a Great Expectations 1.x suite stored as JSON in
`expectations/` (one suite per staged table and one on the list), loaded into an ephemeral GX
context and executed by GX on every run:

* `stg_incidents`, `stg_persons`, `stg_involvements`: DuckDB computes one row of measures per
  table over every row (`sql/quality/profile_<table>.sql`: set-based, bounded memory at any
  size) and GX validates that row (column = check; value = failing rows, a rate or a change).
  Big tables never pass through pandas.
* `priority_list`: GX validates the list itself, row by row, joined with the counts recomputed
  from the qualifying incidents (`sql/quality/priority_list_recount.sql`).

Severity is the expectation's GX severity: `critical` = **error** (blocks publication),
`warning` = **warn** (reported). Thresholds are settings (`quality`, `rule`) passed to GX as
expectation parameters (`{"$PARAMETER": ...}` in the JSON). Results carry counts and ids only:
never names, dates of birth or PNC ids.

GX is imported only when a suite runs (it takes seconds to import); reading the suites to
declare the Dagster asset checks needs only `json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import sys
import threading
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core import db
from pipeline.core.contract import TABLES
from pipeline.core.settings import REPO_ROOT, Settings

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
STAGED_SUITES = {table: f"stg_{table}" for table in TABLES}
LIST_SUITE = "priority_list"
SUITES = (*STAGED_SUITES.values(), LIST_SUITE)
ERROR, WARN = "error", "warn"
PASS, FAIL = "pass", "fail"
SEVERITY = {"critical": ERROR, "warning": WARN, "info": WARN}
# The list check names failing rows by this column.
LIST_ID = "perpetrator_id"
# What the report shows of each input file (no row values).
FILE_FIELDS = ("extract_seq", "extract_name", "table_name", "path", "file_format", "encoding",
               "size_bytes", "sha256", "rows_read")


class QualityError(RuntimeError):
    """GX could not evaluate an expectation, or a suite file is inconsistent (a bug, not bad data)."""


@dataclass
class Check:
    """One check's outcome, as the report, the JSON and the Dagster asset check show it."""

    name: str                  # '<table>__<check>': also the Dagster asset check name
    suite: str
    table: str
    column: str | None
    title: str                 # plain language, settings filled in
    severity: str              # error | warn
    expected: str
    unit: str
    success: bool | None = None     # None: not run
    observed: float | int | None = None
    observed_text: str = "not run"
    failing_rows: int | None = None
    failing_ids: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict) -> Check:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__})

    @property
    def status(self) -> str:
        return "not_run" if self.success is None else PASS if self.success else FAIL

    def as_dict(self) -> dict:
        out = asdict(self)
        out["status"] = self.status
        return out


# ------------------------------------------------------------------------------- suite files
@lru_cache(maxsize=None)
def suite_spec(name: str) -> dict:
    """The suite as stored in `expectations/<name>.json` (plain JSON; GX not needed)."""
    path = EXPECTATIONS_DIR / f"{name}.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    checks = [e.get("meta", {}).get("check") for e in spec["expectations"]]
    if None in checks or len(set(checks)) != len(checks):
        raise QualityError(f"{path}: every expectation needs a unique meta.check")
    return spec


def definitions(suite: str) -> list[dict]:
    """The checks of one suite: name, table, title template, severity, column, unit."""
    spec = suite_spec(suite)
    table = spec["meta"]["table"]
    out = []
    for exp in spec["expectations"]:
        meta = exp["meta"]
        out.append({
            "name": f"{table}__{meta['check']}",
            "check": meta["check"],
            "suite": suite,
            "table": table,
            "title": meta["title"],
            "column": meta.get("column"),
            "unit": meta.get("unit", "rows"),
            "expected": meta.get("expected", ""),
            "severity": SEVERITY[exp.get("severity", "critical")],
        })
    return out


def all_definitions() -> list[dict]:
    return [d for suite in SUITES for d in definitions(suite)]


# ------------------------------------------------------------------------------- parameters
def today(settings: Settings) -> dt.date:
    """Today in the schedule's timezone: the reference date of the 'not in the future' check."""
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(settings.schedule.timezone)).date()


def years_before(day: dt.date, years: int) -> dt.date:
    """`day` minus whole calendar years (29 February -> 28 February), as the rule's SQL does."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def parameters(settings: Settings, reference_day: dt.date, as_of: dt.date | None = None) -> dict:
    """GX expectation parameters (and the values the plain-language texts quote)."""
    q, r = settings.quality, settings.rule
    params: dict[str, Any] = {
        "max_quarantine_rate": q.max_quarantine_rate,
        "max_missing_dob_rate": q.max_missing_dob_rate,
        "max_unknown_offence_rate": q.max_unknown_offence_rate,
        "max_blank_area_rate": q.max_blank_area_rate,
        "max_volume_change": q.max_volume_change,
        "min_volume_change": -q.max_volume_change,
        "max_age": q.max_age,
        "min_incidents": r.min_incidents,
        "min_victims": r.min_victims,
        "window_years": r.window_years,
        "today": reference_day.isoformat(),
    }
    if as_of is not None:
        params["window_days"] = (as_of - years_before(as_of, r.window_years)).days
    return params


# ------------------------------------------------------------------------------------ GX glue
def _gx():
    import great_expectations as gx

    return gx


def _import_great_expectations() -> None:
    try:
        _gx()
    except Exception:  # validate() imports it again and reports any real error
        pass


def preload() -> None:
    """Import Great Expectations (about 3 s of pure-Python import) on a background thread. Called
    by the raw step just before DuckDB reads the extracts: DuckDB releases the GIL while it
    works, so the import overlaps that work instead of delaying Dagster's own Python (start-up,
    events), and the data-quality step finds the module loaded."""
    if "great_expectations" not in sys.modules:
        threading.Thread(target=_import_great_expectations, name="gx-preload", daemon=True).start()


def _raised(info) -> str | None:
    """The error of an expectation GX could not evaluate. GX reports it either on the result or,
    for a metric that failed, nested under the metric's id - with success False and no other
    sign, which must not be mistaken for a failed check."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def validate(suite: str, frame, params: dict, result_format: dict | str = "SUMMARY") -> dict:
    """Run one stored suite on a pandas DataFrame in a fresh ephemeral GX context; returns the
    GX ExpectationValidationResult of each check (keyed by meta.check). A metric GX could not
    compute raises QualityError: it must never pass as a silent failure."""
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    spec = suite_spec(suite)
    gx_suite = context.suites.add(
        gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"], meta=spec["meta"])
    )
    batch = (
        context.data_sources.add_pandas("matac")
        .add_dataframe_asset(suite)
        .add_batch_definition_whole_dataframe("whole")
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite, data=batch, suite=gx_suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=params,
        result_format=result_format,
    )
    by_check = {}
    for res in result.results:
        check = res.expectation_config.meta["check"]
        problem = _raised(res.exception_info)
        if problem is not None:
            raise QualityError(f"GX could not evaluate {suite}.{check}: {problem[:200]}")
        by_check[check] = res
    missing = {d["check"] for d in definitions(suite)} - by_check.keys()
    if missing:
        raise QualityError(f"GX returned no result for {suite}: {sorted(missing)}")
    return by_check


# ---------------------------------------------------------------------------------- formatting
def _plural(noun: str, n: int | float) -> str:
    return noun[:-1] if n == 1 and noun.endswith("s") else noun


def _noun(expected: str) -> str:
    return expected[3:] if expected.startswith("no ") else "rows"


def _number(value) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(f) or math.isinf(f):
        return None
    return int(f) if f.is_integer() and not isinstance(value, float) else f


def _ids(values, limit: int) -> list[str]:
    out: list[str] = []
    if limit <= 0:
        return out
    for v in values or []:
        text = "(blank)" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
        if text not in out:
            out.append(text)
        if len(out) >= limit:
            break
    return out


def _build(defn: dict, params: dict, success: bool | None) -> Check:
    return Check(
        name=defn["name"], suite=defn["suite"], table=defn["table"], column=defn["column"],
        title=defn["title"].format(**params), severity=defn["severity"],
        expected=defn["expected"].format(**params), unit=defn["unit"], success=success,
    )


def _profile_check(defn: dict, res, measures: dict, params: dict, max_ids: int) -> Check:
    c = _build(defn, params, bool(res.success))
    key = defn["check"]
    value = _number(measures.get(key))
    observed = _number(res.result.get("observed_value", value)) if res.result else value
    c.observed = observed if observed is not None else value
    c.failing_ids = _ids(measures.get(f"{key}__ids"), max_ids)
    if c.unit == "rows":
        n = int(c.observed or 0)
        c.failing_rows = n
        c.observed_text = f"{n:,} {_plural(_noun(c.expected), n)}"
    elif c.unit == "count":
        n = int(c.observed or 0)
        c.observed_text = f"{n:,} usable {_plural('rows', n)}"
    elif c.unit == "rate":
        failing, total = int(measures[f"{key}__failing"]), int(measures[f"{key}__total"])
        c.failing_rows = failing
        c.observed_text = f"{(c.observed or 0):.1%} ({failing:,} of {total:,})"
    elif c.unit == "change":
        previous, current = measures.get(f"{key}__previous"), measures.get(f"{key}__current")
        if c.observed is None:
            c.observed_text = "no earlier delivery from this source to compare with"
        else:
            c.observed_text = f"{c.observed:+.1%} ({int(previous):,} → {int(current):,})"
    else:
        raise QualityError(f"{defn['suite']}.{key}: unknown unit {c.unit!r}")
    return c


# ------------------------------------------------------------------------------ staged checks
def staged_measures(
    con: duckdb.DuckDBPyConnection, settings: Settings, reference_day: dt.date,
    counts: dict[str, dict], previous: dict | None,
) -> dict[str, dict]:
    """Per table, the measures its suite validates: DuckDB profile + quarantine rate + volume."""
    q = settings.quality
    params = {"max_ids": max(1, q.max_failing_ids), "today": reference_day, "max_age": q.max_age}
    out = {}
    for table in TABLES:
        m = db.one_row(con, f"quality/profile_{table}", params)
        c = counts[table]
        m["quarantine_rate"] = c["rows_quarantined"] / c["rows_read"] if c["rows_read"] else 0.0
        m["quarantine_rate__failing"] = c["rows_quarantined"]
        m["quarantine_rate__total"] = c["rows_read"]
        for key in [k for k in m if k.endswith("__failing") and k != "quarantine_rate__failing"]:
            check = key[: -len("__failing")]
            total = m.get(f"{check}__total") or 0
            m[check] = m[key] / total if total else 0.0
        used = int(c.get("rows_current", c["rows_loaded"]))
        before = (previous or {}).get(f"{table}_used")
        m["volume_change"] = (used - before) / before if before else None
        m["volume_change__previous"], m["volume_change__current"] = before, used
        out[table] = m
    return out


def _gx_frame(measures: dict):
    import pandas as pd

    row = {k: (float("nan") if v is None else v) for k, v in measures.items() if "__" not in k}
    return pd.DataFrame([row])


def staged_checks(measures: dict[str, dict], settings: Settings, params: dict) -> list[Check]:
    checks = []
    for table, suite in STAGED_SUITES.items():
        results = validate(suite, _gx_frame(measures[table]), params)
        for defn in definitions(suite):
            checks.append(_profile_check(
                defn, results[defn["check"]], measures[table], params, settings.quality.max_failing_ids
            ))
    return checks


# -------------------------------------------------------------------------------- list checks
def list_frame(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date):
    """The list to be published, with counts recomputed from the qualifying incidents."""
    start = years_before(as_of, settings.rule.window_years)
    return db.run(
        con, "quality/priority_list_recount", {"as_of": as_of, "window_start": start}
    ).fetchdf()


def list_checks(frame, settings: Settings, params: dict) -> list[Check]:
    params = {**params, "listed": len(frame)}
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [LIST_ID]}
    results = validate(LIST_SUITE, frame, params, result_format)
    checks = []
    for defn in definitions(LIST_SUITE):
        res = results[defn["check"]]
        c = _build(defn, params, bool(res.success))
        n = int(res.result.get("unexpected_count") or 0)
        c.observed = c.failing_rows = n
        c.observed_text = f"{n:,} {_plural(_noun(c.expected), n)} of {len(frame):,}"
        index = res.result.get("unexpected_index_list") or []
        c.failing_ids = _ids([row.get(LIST_ID) for row in index], settings.quality.max_failing_ids)
        checks.append(c)
    return checks


def verdict(checks: list[Check]) -> str:
    if any(c.success is False and c.severity == ERROR for c in checks):
        return FAIL
    if any(c.success is False for c in checks):
        return "warn"
    return PASS


def failed(checks: list[Check], severity: str) -> list[Check]:
    return [c for c in checks if c.success is False and c.severity == severity]


# ------------------------------------------------------------------------------------ history
def source_of(files: list[dict]) -> tuple[str, str, list[str]]:
    """(source, fingerprint, extract names) of the input files: the source is the folder that
    holds the newest extract (a landing folder, say); the fingerprint identifies the files."""
    if not files:
        return "", hashlib.sha256(b"").hexdigest(), []
    newest = max(files, key=lambda f: f["extract_seq"])
    source = str(Path(newest["path"]).resolve().parent.parent)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f['extract_seq']}:{f['table_name']}:{f['sha256']}\n".encode())
    names: list[str] = []
    for f in sorted(files, key=lambda f: f["extract_seq"]):
        if f["extract_name"] not in names:
            names.append(f["extract_name"])
    return source, digest.hexdigest(), names


def previous_run(con, source: str, fingerprint: str, run_id: str) -> dict | None:
    db.run(con, "quality/create_history")
    cur = db.run(con, "quality/previous_run", {"source": source, "fingerprint": fingerprint, "run_id": run_id})
    row = cur.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cur.description]
    rec = dict(zip(names, row))
    return {f"{t}_used": rec[f"{t}_used"] for t in TABLES} | {"run_id": rec["run_id"]}


def record_run(con, *, run_id: str, as_of: dt.date, source: str, fingerprint: str,
               extracts: list[str], checks: list[Check], counts: dict, listed: int | None) -> None:
    db.run(con, "quality/create_history")
    params: dict[str, Any] = {
        "run_id": run_id, "as_of": as_of, "source": source, "fingerprint": fingerprint,
        "extracts": extracts, "verdict": verdict(checks),
        "errors_failed": len(failed(checks, ERROR)), "warnings_failed": len(failed(checks, WARN)),
        "listed": listed,
    }
    for t in TABLES:
        c = counts[t]
        params[f"{t}_read"], params[f"{t}_loaded"] = c["rows_read"], c["rows_loaded"]
        params[f"{t}_quarantined"] = c["rows_quarantined"]
        params[f"{t}_used"] = c.get("rows_current", c["rows_loaded"])
    db.run(con, "quality/record_history", params)


def trend(con, source: str, runs: int) -> list[dict]:
    db.run(con, "quality/create_history")
    cur = db.run(con, "quality/trend", {"source": source, "runs": runs})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


# --------------------------------------------------------------------------------- assessment
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


def assess_staged(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                  run_id: str) -> Assessment:
    """Run the three staged-table suites and record this run's key figures in the history.
    The list suite has not run yet: its checks are 'not run' until `assess_list`."""
    from pipeline.ingest.stage import table_counts

    reference_day = today(settings)
    counts = table_counts(con)
    files = [
        {k: (int(v) if k in ("extract_seq", "size_bytes", "rows_read") else v) for k, v in f.items()
         if k in FILE_FIELDS}
        for f in db.run(con, "ops/input_files").fetchdf().to_dict(orient="records")
    ]
    source, fingerprint, extracts = source_of(files)
    previous = previous_run(con, source, fingerprint, run_id)
    params = parameters(settings, reference_day, as_of)
    measures = staged_measures(con, settings, reference_day, counts, previous)
    checks = staged_checks(measures, settings, params)
    checks += [_build(d, params, None) for d in definitions(LIST_SUITE)]
    record_run(con, run_id=run_id, as_of=as_of, source=source, fingerprint=fingerprint,
               extracts=extracts, checks=checks, counts=counts, listed=None)
    samples = db.run(
        con, "staging/sample_quarantine_rows", {"per_reason": settings.quality.sample_rows}
    ).fetchall() if settings.quality.sample_rows else []
    return Assessment(
        run_id=run_id, as_of=as_of, reference_day=reference_day, counts=counts, checks=checks,
        files=files, source=source, fingerprint=fingerprint, extracts=extracts, listed=None,
        samples=[
            {"table": t, "reason": r, "file": f"{Path(f).parent.name}/{Path(f).name}",
             "rows": [int(x) for x in rows][: settings.quality.sample_rows]}
            for t, r, f, rows in samples
        ],
        trend=trend(con, source, settings.quality.trend_runs),
        parameters=params,
    )


def assess_list(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                params: dict) -> tuple[list[Check], int]:
    """Run the list suite on the list about to be published; returns its checks and length."""
    frame = list_frame(con, settings, as_of)
    return list_checks(frame, settings, params), len(frame)


def record_list(con, run_id: str, checks: list[Check], listed: int) -> None:
    """Update this run's history row once the list suite has run."""
    db.run(con, "quality/create_history")
    db.run(con, "quality/update_history", {
        "run_id": run_id, "verdict": verdict(checks), "listed": listed,
        "errors_failed": len(failed(checks, ERROR)), "warnings_failed": len(failed(checks, WARN)),
    })
