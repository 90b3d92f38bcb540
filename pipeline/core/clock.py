"""Dates: today in the schedule's time zone, and the cycle dates MATAC panels meet on
(`schedule.cycle_start + k * schedule.cycle_days`). The one place for both."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from pipeline.core.settings import Settings


def today_in(settings: Settings, moment: dt.datetime | None = None) -> dt.date:
    """The calendar date of `moment` (default now) in the schedule's timezone."""
    tz = zoneinfo.ZoneInfo(settings.schedule.timezone)
    moment = moment or dt.datetime.now(tz)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(tz).date()


def cycle_dates(settings: Settings, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every cycle date in [start, end], ascending."""
    s = settings.schedule
    step = dt.timedelta(days=s.cycle_days)
    if end < s.cycle_start or end < start:
        return []
    k = max(0, -(-(start - s.cycle_start).days // s.cycle_days))  # ceil, never before cycle_start
    day = s.cycle_start + k * step
    out = []
    while day <= end:
        out.append(day)
        day += step
    return out


def latest_complete_cycle(settings: Settings, today: dt.date) -> dt.date | None:
    """The latest cycle date strictly before `today` (its day is over); None before the first."""
    s = settings.schedule
    last_day = today - dt.timedelta(days=1)
    if last_day < s.cycle_start:
        return None
    k = (last_day - s.cycle_start).days // s.cycle_days
    return s.cycle_start + dt.timedelta(days=k * s.cycle_days)
