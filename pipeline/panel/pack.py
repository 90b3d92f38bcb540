"""What each area's pack shows, gathered from the panel tables (pipeline/panel/tables.py):
a cover (counts, movement, who left and why, harm concentration) and one page per member of
the area's top panel.size. Ids only, unless `output.include_names`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.panel import breakdown, charts
from pipeline.panel.tables import frame, records

MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class PackData:
    """Everything the packs of one as-of date show, read once for every area."""

    members: pd.DataFrame
    trajectory: pd.DataFrame
    timeline: pd.DataFrame
    counts: pd.DataFrame
    left: pd.DataFrame
    harm: pd.DataFrame
    bands: dict[str, list[tuple]]
    names: dict[str, tuple[str, str]] = field(default_factory=dict)


def folder_names(areas: list[str]) -> dict[str, str]:
    """A safe, distinct folder name per area: lower case, runs of other characters as '-'."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for area in sorted(areas):
        base = re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-") or "area"
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        out[area] = name
    return out


def read(con: duckdb.DuckDBPyConnection, settings: Settings) -> PackData:
    bands: dict[str, list[tuple]] = {}
    for component, _pos, threshold, points in db.run(con, "panel/score_bands").fetchall():
        bands.setdefault(component, []).append((threshold, points))
    data = PackData(
        members=frame(con, "pack_members"), trajectory=frame(con, "pack_trajectory"),
        timeline=frame(con, "pack_timeline"), counts=frame(con, "area_counts"),
        left=frame(con, "area_left"), harm=frame(con, "area_harm"), bands=bands,
    )
    if settings.output.include_names:
        wanted = set(data.members["perpetrator_id"])
        for pid, surname, forenames in db.run(con, "publish/priority_list_names").fetchall():
            if pid in wanted:
                data.names[pid] = (surname or "", forenames or "")
    return data


def _rule_text(settings: Settings) -> dict:
    r, s = settings.rule, settings.scoring
    return {
        "preset": s.preset.upper(),
        "rule": (f"at least {r.min_incidents} qualifying domestic-abuse incidents and "
                 f"{r.min_victims} distinct victims (both aged {r.min_age}+ or unknown) in the "
                 f"{r.window_years} years up to the as-of date"),
        "components": "recency + frequency + gravity" + (" + victims" if s.include_victims else "")
        + (f", frequency and gravity over the last {s.count_window_days} days"
           if s.count_window_days else ""),
    }


def _cover(data: PackData, area: str, png: bool) -> dict:
    counts = records(data.counts[data.counts["area"] == area])
    harm = [
        {**h, "share": (h["top_harm"] / h["total_harm"]) if h["total_harm"] else 0.0}
        for h in records(data.harm[data.harm["area"] == area])
    ]
    return {
        "counts": counts[0] if counts else {},
        "left": records(data.left[data.left["area"] == area]),
        "harm": harm,
        "harm_chart": charts.harm_concentration(harm, png=png) if harm else None,
    }


def _member_page(settings: Settings, data: PackData, member: dict) -> dict:
    pid = member["perpetrator_id"]
    traj = data.trajectory[data.trajectory["perpetrator_id"] == pid]
    dates = [d.date() if hasattr(d, "date") else d for d in traj["eval_date"]]
    scores = [float(s) for s in traj["rfg_score"]]
    top = sum(max((p for _, p in data.bands.get(c, [])), default=0) for c in
              ("recency", "frequency", "gravity", "victims")
              if c != "victims" or settings.scoring.include_victims)
    timeline = records(data.timeline[data.timeline["perpetrator_id"] == pid])
    surname, forenames = data.names.get(pid, ("", ""))
    return {
        **member,
        "name": f"{surname.upper()}, {forenames}".strip(", ") if pid in data.names else None,
        "breakdown": breakdown.component_rows(settings, data.bands, member),
        "timeline": timeline,
        "trajectory": list(zip(dates, scores, traj["listed"].tolist())),
        "trajectory_chart": charts.trajectory(dates, scores, traj["listed"].tolist(), top,
                                              prefix=f"t{member['area_rank']}",
                                              png=settings.panel.pdf),
    }


def area_document(settings: Settings, data: PackData, area: str, as_of: dt.date) -> dict:
    """The context of one area's pack template."""
    members = records(data.members[data.members["area"] == area])
    return {
        "area": area,
        "as_of": as_of,
        "size": settings.panel.size,
        "include_names": settings.output.include_names,
        "marking": MARKING if settings.output.include_names else None,
        "min_incidents": settings.rule.min_incidents,
        "min_victims": settings.rule.min_victims,
        "cycle_days": settings.schedule.cycle_days,
        "trajectory_cycles": settings.panel.trajectory_cycles,
        "for_print": False,  # True: the variant printed to PDF (charts as PNG)
        **_rule_text(settings),
        "cover": _cover(data, area, settings.panel.pdf),
        "members": [_member_page(settings, data, m) for m in members],
    }


def areas(data: PackData) -> list[str]:
    """Areas with a pack: those with someone listed now."""
    return sorted(set(data.members["area"]))
