"""The panel's tables in DuckDB (`sql/panel/`, run in dependency order): the pack of each area
(members, trajectories, timelines) and the outcomes of adoption episodes, beside a comparison
group. Scores at other dates come from one macro, `panel_rfg_at`, over dated pairs."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.core.steps import StepResult, run_layer
from pipeline.rule.score import rule_params

LAYER = "panel"


def panel_params(settings: Settings, as_of: dt.date) -> dict:
    p, s = settings.panel, settings.schedule
    return {**rule_params(settings, as_of), "size": p.size, "cycle_days": s.cycle_days,
            "cycle_start": s.cycle_start, "trajectory_cycles": p.trajectory_cycles}


def build_tables(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> StepResult:
    """Every model of sql/panel/ at `as_of` (after the marts of the same as-of date)."""
    result = run_layer(con, LAYER, panel_params(settings, as_of))
    result.counts = db.one_row(con, "panel/panel_counts")
    return result


def frame(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """A panel query or table as a DataFrame (`name`: a file of sql/panel/)."""
    return db.run(con, f"{LAYER}/{name}", params).fetchdf()


def _plain(value):
    """A cell as a template shows it: missing values (NaN, NaT, NA) as None."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # lists and other non-scalars
        return value


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts, missing values as None."""
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
