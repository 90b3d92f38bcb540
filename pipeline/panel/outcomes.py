"""Outcome tracking of adopted people (domain brief, "Panel decisions and outcomes"): per
adoption, RFG and its parts at adoption, at discharge, 6 and 12 months after adoption, and the
new DA incidents and victims after adoption and after discharge; for the cohort, median and
mean with n, beside a comparison group (listed at the same cycle with the same score, never
adopted). Not a controlled trial: the report says so."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.panel.tables import frame, records

POINTS = ("adoption", "discharge", "6m", "12m")
PARTS = ("rfg", "recency", "frequency", "gravity", "victims")
MEASURES = [  # (measure in outcome_summary.sql, label)
    ("rfg_at_adoption", "RFG at adoption"),
    ("rfg_at_discharge", "RFG at discharge"),
    ("rfg_at_6m", "RFG 6 months after adoption"),
    ("rfg_at_12m", "RFG 12 months after adoption"),
    ("rfg_change_to_discharge", "Change in RFG, adoption to discharge"),
    ("rfg_change_to_6m", "Change in RFG, adoption to 6 months"),
    ("rfg_change_to_12m", "Change in RFG, adoption to 12 months"),
    ("new_incidents_after_adoption", "New DA incidents after adoption"),
    ("new_victims_after_adoption", "New victims after adoption"),
    ("new_incidents_after_discharge", "New DA incidents after discharge"),
    ("new_victims_after_discharge", "New victims after discharge"),
]


def outcome_table(rows: pd.DataFrame, include_victims: bool) -> pd.DataFrame:
    """panel_outcomes.csv: one row per adoption, points as `<part>_at_<point>`; `listed_at_*`
    is 'listed' or 'not listed' (0 points), blank when the date is after the as-of date."""
    out = pd.DataFrame({
        "perpetrator_id": rows["perpetrator_id"], "area": rows["area"],
        "adopted_on": rows["adopted_on"], "discharged_on": rows["discharged_on"],
        "tactic": rows["tactic"], "decision_row": rows["episode"],
        "cycle_date": rows["cycle_date"], "rfg_at_cycle": rows["rfg_at_cycle"],
        "comparison_group": rows["comparison_group"],
    })
    for point in POINTS:
        listed = rows[f"{point}_listed"]
        out[f"listed_at_{point}"] = listed.map(
            lambda v: "" if v is None or v is pd.NA else ("listed" if v else "not listed"))
        for part in PARTS:
            if part == "victims" and not include_victims:
                continue
            out[f"{part}_at_{point}"] = rows[f"{point}_{part}"]
    for period in ("adoption", "discharge"):
        out[f"new_incidents_after_{period}"] = rows[f"after_{period}_incidents"]
        out[f"new_victims_after_{period}"] = rows[f"after_{period}_victims"]
    for col in out.columns:
        if col.endswith(("_on", "cycle_date")):
            out[col] = pd.to_datetime(out[col]).dt.date
        elif out[col].dtype.kind == "f" and out[col].dropna().eq(out[col].dropna().round()).all():
            out[col] = out[col].round().astype("Int64")
    return out


def _summary(summary: pd.DataFrame) -> list[dict]:
    by = {(r["cohort"], r["measure"]): r for r in summary.to_dict(orient="records")}
    rows = []
    for measure, label in MEASURES:
        row = {"measure": measure, "label": label}
        for cohort in ("adopted", "comparison"):
            r = by.get((cohort, measure))
            row[cohort] = ({"n": int(r["n"]), "people": int(r["people"]),
                            "median": float(r["median"]), "mean": float(r["mean"])} if r else None)
        rows.append(row)
    return rows


def gather(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date) -> dict:
    """The outcome table, the decisions quarantine and the outcomes.html context."""
    rows = frame(con, "outcome_rows", {"cohort": "adopted"})
    table = outcome_table(rows, settings.scoring.include_victims)
    quarantine = db.run(con, "panel/decisions/quarantine_panel_decisions_rows").fetchdf()
    counts = db.one_row(con, "panel/panel_counts")
    document = {
        "as_of": as_of,
        "decisions": str(settings.decisions_path) if settings.decisions_path else None,
        "preset": "RFGV" if settings.scoring.include_victims else "RFG",
        "people": records(table),
        "summary": _summary(frame(con, "outcome_summary")),
        "quarantine": records(quarantine),
        "counts": counts,
    }
    return {"table": table, "quarantine": quarantine, "document": document,
            "counts": {"episodes": int(counts["episodes"]), "adopted": int(counts["adopted"]),
                       "discharged": int(counts["discharged"]),
                       "comparison_subjects": int(counts["comparison_subjects"]),
                       "decisions_quarantined": len(quarantine)}}
