"""`run_backtest`: ingest the extracts once, rank every covered cycle date for every model, find
what each person did in each date's horizon, measure, and write backtest_cycles.csv,
backtest.json and backtest.html. Shared by `matac backtest` and the Dagster `backtest` asset."""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.backtest import compute, models, report
from pipeline.core import db
from pipeline.core.clock import cycle_dates
from pipeline.core.settings import SettingsError
from pipeline.rule.score import EARLIEST_AS_OF


class BacktestError(ValueError):
    """Nothing to back-test: no cycle date in the range, or none whose horizon the data covers."""


@dataclass
class BacktestResult:
    out_dir: Path
    paths: dict[str, Path]
    document: dict
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months, the day clamped to the month's end (as DuckDB does)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dates(settings, start: dt.date, end: dt.date) -> list[dt.date]:
    if end < start:
        raise BacktestError(f"--to {end} is before --from {start}")
    if start < EARLIEST_AS_OF:
        raise BacktestError(f"--from {start}: not a plausible date (before {EARLIEST_AS_OF})")
    dates = cycle_dates(settings, start, end)
    if not dates:
        s = settings.schedule
        raise BacktestError(f"no cycle date between {start} and {end} (cycle dates are "
                            f"{s.cycle_start} + k * {s.cycle_days} days)")
    return dates


def _covered(dates: list[dt.date], latest: dt.date | None, horizon: int) -> list[dt.date]:
    covered = [d for d in dates if latest is not None and add_months(d, horizon) <= latest]
    if not covered:
        raise BacktestError(
            f"no cycle date from {dates[0]} to {dates[-1]} has its {horizon}-month horizon "
            f"covered by the data (latest incident loaded: {latest}); choose earlier dates")
    return covered


def run_backtest(
    extracts: Sequence[str | Path],
    start: dt.date,
    end: dt.date,
    horizon_months: int | None = None,
    config: str | None = None,
    compare: Sequence[str] = (),
    out: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BacktestResult:
    """The whole back-test. SettingsError / ExtractError / BacktestError are the caller's
    usage errors (exit 2)."""
    began = time.perf_counter()
    say = progress or (lambda _m: None)
    overrides = {"backtest": {"horizon_months": horizon_months}} if horizon_months else None
    scored = models.resolve(config, list(compare), overrides)
    base = scored[0].settings
    horizon = base.backtest.horizon_months
    dates = _dates(base, start, end)
    out_dir = Path(out) if out else base.path(base.output.directory) / "backtest"
    work_root = base.path(base.output.directory) / ".work"
    work_root.mkdir(parents=True, exist_ok=True)
    passes = compute.Passes()
    with tempfile.TemporaryDirectory(prefix="backtest-", dir=work_root) as work:
        con = db.connect(base, Path(work) / "backtest.duckdb")
        try:
            compute.ingest(con, base, [str(e) for e in extracts], Path(work), passes, say)
            measured = _covered(dates, compute.latest_occurred_date(con), horizon)
            say(f"back-test: {len(measured)} cycle dates from {measured[0]} to {measured[-1]}, "
                f"{len(scored)} models and {len(models.BASELINES)} baselines")
            document = _measure(con, scored, measured, passes)
        finally:
            con.close()
    document["skipped_dates"] = [d.isoformat() for d in dates if d.isoformat()
                                 not in document["as_of_dates"]]
    paths = passes.timed("write", lambda: report.write(document, out_dir))
    return BacktestResult(out_dir, paths, document, round(time.perf_counter() - began, 3),
                          passes.timings)


def _measure(con, scored: list[compute.Model], measured: list[dt.date], passes) -> dict:
    """Rank, find the future, measure; the back-test's document (without skipped dates)."""
    from pipeline.outputs.publish import code_version

    base = scored[0].settings
    bt = base.backtest
    previous = measured[0] - dt.timedelta(days=base.schedule.cycle_days)
    compute.rank_models(con, scored, [previous, *measured], measured, bt.horizon_months, passes,
                        after_first=lambda: compute.baselines(con, bt.random_draws,
                                                              bt.random_seed, passes))
    names = [m.name for m in scored] + list(models.BASELINES)
    params = {"dates": measured, "serious_weight": bt.serious_weight, "top_k": bt.top_k,
              "cycle_days": base.schedule.cycle_days, "horizon_months": bt.horizon_months,
              "models": names,
              "scored": [m.name for m in scored], "base": scored[0].name}
    passes.timed("measure/scored", lambda: db.run(con, "backtest/scored", params))
    cycles = passes.timed("measure/cycles", lambda: _records(con, "backtest/measures", params))
    calibration = passes.timed("measure/calibration",
                               lambda: _records(con, "backtest/calibration", params))
    curve = passes.timed("measure/curve", lambda: _records(con, "backtest/capture_curve", params))
    return report.document(
        cycles=cycles, calibration=calibration, curve=curve,
        models=[models.describe(m) for m in scored], baselines=models.BASELINES,
        as_of_dates=[d.isoformat() for d in measured], backtest=bt.model_dump(mode="json"),
        inputs=_records(con, "ops/input_files", {}), code_version=code_version(),
    )


def _records(con, name: str, params: dict) -> list[dict]:
    cur = db.run(con, name, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


__all__ = ["BacktestError", "BacktestResult", "SettingsError", "add_months", "run_backtest"]
