"""Reference data the rule joins to: the gravity table (offence weights) and the scoring bands
from the settings (`sql/ref/`)."""

from __future__ import annotations

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings, SettingsError
from pipeline.core.steps import StepResult


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
    """The scoring bands as four parallel lists (component, position, threshold, points)."""
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
