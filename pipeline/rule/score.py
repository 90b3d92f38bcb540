"""The MATAC rule and RFG scoring at an as-of date (`sql/intermediate/`) and the marts built
from it (`sql/marts/`). `rule_params` is the one source of the rule's parameters: the
benchmark's baselines take theirs from it too."""

from __future__ import annotations

import datetime as dt

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.core.steps import StepResult, run_layer


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
        "max_age": settings.quality.max_age,  # older on the incident day = implausible = unknown
        "min_incidents": r.min_incidents,
        "min_victims": r.min_victims,
        "non_crime_weight": s.non_crime_weight,
        "unknown_crime_weight": s.unknown_crime_weight,
        "include_victims": s.include_victims,
        "count_window_days": s.count_window_days,
        "weight_recency": s.weights.recency,
        "weight_frequency": s.weights.frequency,
        "weight_gravity": s.weights.gravity,
        "weight_victims": s.weights.victims,
    }


EARLIEST_AS_OF = dt.date(1900, 1, 1)


class AsOfError(ValueError):
    """The as-of date cannot give a meaningful list for the extracts loaded."""


def check_as_of(settings: Settings, as_of: dt.date, latest: dt.date | None) -> None:
    """Refuse to publish as of a date before 1900 or more than two cycles after the latest
    incident loaded (a list "as of" a date the extracts say nothing about would be empty or
    stale, yet pass). Two, not one: a month-end as-of on a monthly extract sits up to a month
    after its last incident. The cycle asset checks it for `matac run --as-of`; the schedule and
    the sensor publish the latest complete cycle as before, and the plain rule functions (tests,
    back-test) do not check it."""
    if as_of < EARLIEST_AS_OF:
        raise AsOfError(f"as-of date {as_of} is before {EARLIEST_AS_OF}: not a plausible date")
    grace = 2 * settings.schedule.cycle_days
    if latest is not None and as_of > latest + dt.timedelta(days=grace):
        raise AsOfError(
            f"as-of date {as_of} is more than two cycles ({grace} days) after the latest "
            f"incident loaded ({latest}): deliver a newer extract or give an earlier --as-of"
        )


def apply_rule(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> StepResult:
    """Intermediate layer: the MATAC rule and RFG scoring at `as_of` (and one cycle before)."""
    result = run_layer(con, "intermediate", rule_params(settings, as_of))
    result.counts = db.one_row(con, "intermediate/int_rule_counts")
    return result


def build_marts(con: duckdb.DuckDBPyConnection) -> StepResult:
    """Marts: the priority list, the incidents behind it and who left the list."""
    result = run_layer(con, "marts")
    result.counts = db.one_row(con, "marts/mart_counts")
    return result
