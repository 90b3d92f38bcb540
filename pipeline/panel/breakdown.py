"""The RFG breakdown shown on each perpetrator's page: per component, the value, the points,
the band that gave them, the thresholds crossed and the next one (from the settings' bands).
Frequency and gravity are the counts the points were given for (scored_*: the last
count_window_days days with RFH, else the whole window)."""

from __future__ import annotations

from pipeline.core.settings import Settings

COMPONENTS = ("recency", "frequency", "gravity", "victims")
LABELS = {"recency": "Recency", "frequency": "Frequency", "gravity": "Gravity", "victims": "Victims"}
UNITS = {"recency": "days since the latest incident", "frequency": "qualifying incidents",
         "gravity": "summed gravity", "victims": "distinct victims"}


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _band_text(component: str, threshold) -> str:
    if component == "recency":
        return "any" if threshold is None else f"≤ {_num(threshold)} days"
    return f"≥ {_num(threshold)}"


def _matches(component: str, value: float, threshold) -> bool:
    if component == "recency":
        return threshold is None or value <= threshold
    return value >= threshold


def component_rows(settings: Settings, bands: dict[str, list[tuple]], member: dict) -> list[dict]:
    """One row per scored component: value, points (x weight), band, crossed thresholds and
    the next band up. `bands`: component -> [(threshold, points), ...] in checking order."""
    values = {"recency": member["days_since_last_incident"],
              "frequency": member["scored_incidents"],
              "gravity": member["scored_gravity"], "victims": member["victims_in_window"]}
    days = settings.scoring.count_window_days
    units = {**UNITS, **({c: f"{UNITS[c]} in the last {days} days"
                          for c in ("frequency", "gravity")} if days else {})}
    weights = settings.scoring.weights
    rows = []
    for component in COMPONENTS:
        if component == "victims" and not settings.scoring.include_victims:
            continue
        value = float(values[component])
        own = bands.get(component, [])
        matched = next((b for b in own if _matches(component, value, b[0])), None)
        crossed = [_band_text(component, t) for t, _ in own if _matches(component, value, t)]
        better = [b for b in own if not _matches(component, value, b[0])]
        next_band = better[-1] if better and matched is not None else None
        rows.append({
            "component": LABELS[component],
            "value": f"{_num(value)} {units[component]}",
            "points": member[f"{component}_points"],
            "weight": getattr(weights, component),
            "band": _band_text(component, matched[0]) if matched else "none",
            "crossed": ", ".join(crossed) or "none",
            "next": (f"{_band_text(component, next_band[0])} → {next_band[1]} points"
                     if next_band else "top band"),
        })
    return rows
