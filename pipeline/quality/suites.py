"""What is checked: the Great Expectations 1.x suites stored as JSON in `expectations/`, one per
staged table (`stg_incidents`, `stg_persons`, `stg_involvements`) and one on the list
(`priority_list`), and the values their `{"$PARAMETER": ...}` placeholders take.

Each expectation carries its own plain-language definition in `meta`: `check` (the check's
name; also the name of the measure it validates, see `measures`), `title`, `column`, `unit`
(rows | count | rate | change | listed) and `expected`. Severity is the expectation's GX
severity: `critical` = **error** (blocks publication), `warning` = **warn** (reported).
Thresholds are settings (`quality`, `rule`). Reading the suites needs only `json`, not GX.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from pipeline.core.contract import TABLES
from pipeline.core.settings import REPO_ROOT, Settings

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
STAGED_SUITES = {table: f"stg_{table}" for table in TABLES}
LIST_SUITE = "priority_list"
SUITES = (*STAGED_SUITES.values(), LIST_SUITE)
ERROR, WARN = "error", "warn"
SEVERITY = {"critical": ERROR, "warning": WARN, "info": WARN}


class QualityError(RuntimeError):
    """GX could not evaluate an expectation, or a suite file is inconsistent (a bug, not bad data)."""


@cache
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
