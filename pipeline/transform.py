"""The layers of the pipeline as plain functions over a DuckDB connection. Dagster assets
(`assets/`) are thin wiring around these; tests and benchmarks call them too.

Every function runs SQL files from `sql/` in order and returns timings and row counts, so the
assets can report them as metadata.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline import db, ingest
from pipeline.contract import TABLES
from pipeline.settings import Settings, SettingsError

MACROS = ("macros/extract_date", "macros/extract_enum", "macros/extract_id", "macros/age_years")
STAGING = (
    "staging/stg_row_gaps",
    "staging/stg_incidents_checked",
    "staging/stg_persons_checked",
    "staging/stg_involvements_checked",
    "staging/stg_incidents",
    "staging/stg_persons",
    "staging/stg_involvements",
    "staging/quarantine_incidents",
    "staging/quarantine_persons",
    "staging/quarantine_involvements",
    "staging/quarantine_malformed_rows",
)
IDENTITY = ("intermediate/int_person_identity",)
RULE = (
    "intermediate/int_cycles",
    "intermediate/int_incidents",
    "intermediate/int_involvements",
    "intermediate/int_qualifying_links",
    "intermediate/int_qualifying_incidents",
    "intermediate/int_perpetrator_stats",
    "intermediate/int_perpetrator_scores",
)
MARTS = ("marts/mart_priority_list", "marts/mart_priority_incidents", "marts/mart_left_list")


class InternalError(RuntimeError):
    """The pipeline broke one of its own invariants (a bug, not bad input)."""


@dataclass
class StepResult:
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return round(sum(self.timings.values()), 3)


def _run_all(con, names: Sequence[str], params: dict, result: StepResult) -> None:
    for name in names:
        result.timings[name] = round(db.run_timed(con, name, params), 3)


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for name in MACROS:
        db.run(con, name)


# ----------------------------------------------------------------------------------- ingest
def load_extracts(
    con: duckdb.DuckDBPyConnection,
    extract_dirs: Sequence[str | Path],
    work_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> StepResult:
    """Raw layer: check every file's header, then stream every file into the raw tables."""
    result = StepResult()
    start = time.perf_counter()
    extracts = ingest.prepare(extract_dirs)
    result.timings["inspect"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    per_file = ingest.load(con, extracts, work_dir, progress)
    result.timings["load"] = round(time.perf_counter() - start, 3)
    result.counts = {t: sum(per_file[t].values()) for t in TABLES}
    return result


def build_staging(con: duckdb.DuckDBPyConnection) -> StepResult:
    """Staging layer: parse, quarantine, supersede; checks that read = loaded + quarantined."""
    result = StepResult()
    install_macros(con)
    _run_all(con, STAGING, {}, result)
    result.counts = table_counts(con)
    for table, c in result.counts.items():
        if c["rows_read"] != c["rows_loaded"] + c["rows_quarantined"]:
            raise InternalError(
                f"{table}: rows read {c['rows_read']} != loaded {c['rows_loaded']} "
                f"+ quarantined {c['rows_quarantined']}"
            )
    return result


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Per table: rows read, loaded, quarantined (by reason), current and superseded."""
    counts = {
        t: {"rows_read": 0, "rows_loaded": 0, "rows_quarantined": 0, "quarantine_reasons": {}}
        for t in TABLES
    }
    for table, rows_read, files in db.run(con, "staging/stg_file_counts").fetchall():
        counts[table]["rows_read"] = int(rows_read)
        counts[table]["files"] = int(files)
    for table, reason, rows in db.run(con, "staging/stg_reason_counts").fetchall():
        if reason is None:
            counts[table]["rows_loaded"] += int(rows)
        else:
            counts[table]["rows_quarantined"] += int(rows)
            counts[table]["quarantine_reasons"][reason] = int(rows)
    for table, current, superseded in db.run(con, "staging/stg_current_counts").fetchall():
        counts[table]["rows_current"] = int(current)
        counts[table]["rows_superseded"] = int(superseded)
    return counts


def build_identity(con: duckdb.DuckDBPyConnection) -> StepResult:
    result = StepResult()
    _run_all(con, IDENTITY, {}, result)
    result.counts = db.one_row(con, "intermediate/int_identity_counts")
    return result


# -------------------------------------------------------------------------------- reference
def load_reference(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """The gravity table and the scoring bands, as tables the rule SQL joins to."""
    result = StepResult()
    path = settings.gravity_table_path
    try:
        result.timings["ref/ref_gravity"] = db.run_timed(con, "ref/ref_gravity", {"path": str(path)})
    except duckdb.Error as exc:
        raise SettingsError(f"setting 'scoring.gravity_table': cannot read {path}: {exc}") from None
    problems = db.run(con, "ref/check_gravity").fetchall()
    if problems:
        codes = ", ".join(repr(p[0]) for p in problems[:5])
        raise SettingsError(
            f"setting 'scoring.gravity_table': {path} has blank or repeated offence codes or "
            f"weights that are not non-negative numbers (codes {codes})"
        )
    result.timings["ref/ref_score_bands"] = db.run_timed(
        con, "ref/ref_score_bands", band_params(settings)
    )
    result.counts = db.one_row(con, "ref/ref_counts")
    return result


def band_params(settings: Settings) -> dict[str, list]:
    s = settings.scoring
    rows: list[tuple[str, int, float | None, float]] = []
    rows += [("recency", i, b.max_days, b.points) for i, b in enumerate(s.recency_bands)]
    for component, bands in (
        ("frequency", s.frequency_bands),
        ("gravity", s.gravity_bands),
        ("victims", s.victims_bands),
    ):
        rows += [(component, i, b.min, b.points) for i, b in enumerate(bands)]
    return {
        "band_component": [r[0] for r in rows],
        "band_position": [r[1] for r in rows],
        "band_threshold": [r[2] for r in rows],
        "band_points": [r[3] for r in rows],
    }


# ------------------------------------------------------------------------------------- rule
def latest_occurred_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    return db.run(con, "intermediate/int_latest_occurred_date").fetchone()[0]


def previous_as_of(settings: Settings, as_of: dt.date) -> dt.date:
    return as_of - dt.timedelta(days=settings.schedule.cycle_days)


def rule_params(settings: Settings, as_of: dt.date) -> dict:
    r, s = settings.rule, settings.scoring
    return {
        "as_of": as_of,
        "previous_as_of": previous_as_of(settings, as_of),
        "window_years": r.window_years,
        "min_age": r.min_age,
        "min_incidents": r.min_incidents,
        "min_victims": r.min_victims,
        "non_crime_weight": s.non_crime_weight,
        "unknown_crime_weight": s.unknown_crime_weight,
        "include_victims": s.include_victims,
        "weight_recency": s.weights.recency,
        "weight_frequency": s.weights.frequency,
        "weight_gravity": s.weights.gravity,
        "weight_victims": s.weights.victims,
    }


def apply_rule(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> StepResult:
    """Intermediate layer: the MATAC rule and RFG scoring at `as_of` (and one cycle before)."""
    result = StepResult()
    _run_all(con, RULE, rule_params(settings, as_of), result)
    result.counts = db.one_row(con, "intermediate/int_rule_counts")
    return result


def build_marts(con: duckdb.DuckDBPyConnection) -> StepResult:
    result = StepResult()
    _run_all(con, MARTS, {}, result)
    result.counts = db.one_row(con, "marts/mart_counts")
    return result
