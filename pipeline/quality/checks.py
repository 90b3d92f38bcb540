"""Each check's outcome (`Check`) from the GX results, and the verdict over all checks.

A check is one expectation of a suite (`suites`), validated by GX (`gx`) on the measures of a
staged table (`measures`) or on the list itself. Its outcome carries counts and ids only: never
names, dates of birth or PNC ids."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from pipeline.core.settings import Settings
from pipeline.quality.gx import release, validate
from pipeline.quality.measures import Measure, gx_frame
from pipeline.quality.suites import (
    ERROR,
    LIST_SUITE,
    STAGED_SUITES,
    WARN,
    QualityError,
    definitions,
)

PASS, FAIL = "pass", "fail"
# The list check names failing rows by this column.
LIST_ID = "perpetrator_id"


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


def verdict(checks: list[Check]) -> str:
    if any(c.success is False and c.severity == ERROR for c in checks):
        return FAIL
    if any(c.success is False for c in checks):
        return WARN
    return PASS


def failed(checks: list[Check], severity: str) -> list[Check]:
    return [c for c in checks if c.success is False and c.severity == severity]


# ---------------------------------------------------------------------------------- formatting
def _plural(noun: str, n: float) -> str:
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


def not_run(suite: str, params: dict) -> list[Check]:
    """A suite's checks before it runs."""
    return [_build(d, params, None) for d in definitions(suite)]


# ------------------------------------------------------------------------------ staged checks
def _staged_check(defn: dict, res, measure: Measure, params: dict, max_ids: int) -> Check:
    c = _build(defn, params, bool(res.success))
    value = _number(measure.value)
    observed = _number(res.result.get("observed_value", value)) if res.result else value
    c.observed = observed if observed is not None else value
    c.failing_ids = _ids(measure.ids, max_ids)
    if c.unit == "rows":
        n = int(c.observed or 0)
        c.failing_rows = n
        c.observed_text = f"{n:,} {_plural(_noun(c.expected), n)}"
    elif c.unit == "count":
        n = int(c.observed or 0)
        c.observed_text = f"{n:,} usable {_plural('rows', n)}"
    elif c.unit == "rate":
        failing, total = int(measure.failing), int(measure.total)
        c.failing_rows = failing
        c.observed_text = f"{(c.observed or 0):.1%} ({failing:,} of {total:,})"
    elif c.unit == "change":
        if c.observed is None:
            c.observed_text = "no earlier delivery from this source to compare with"
        else:
            c.observed_text = f"{c.observed:+.1%} ({int(measure.previous):,} → {int(measure.current):,})"
    else:
        raise QualityError(f"{defn['suite']}.{defn['check']}: unknown unit {c.unit!r}")
    return c


def staged_checks(measures: dict[str, dict[str, Measure]], settings: Settings,
                  params: dict) -> list[Check]:
    """Run the three staged-table suites on their measures."""
    checks = []
    for table, suite in STAGED_SUITES.items():
        results = validate(suite, gx_frame(measures[table]), params)
        for defn in definitions(suite):
            checks.append(_staged_check(
                defn, results[defn["check"]], measures[table][defn["check"]], params,
                settings.quality.max_failing_ids,
            ))
    return checks


# -------------------------------------------------------------------------------- list checks
def list_checks(frame, settings: Settings, params: dict) -> list[Check]:
    """Run the list suite on the list with its recount (`measures.list_frame`)."""
    params = {**params, "listed": len(frame)}
    result_format = {"result_format": "COMPLETE", "unexpected_index_column_names": [LIST_ID]}
    results = validate(LIST_SUITE, frame, params, result_format)
    release()  # the last suite of a cycle
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
