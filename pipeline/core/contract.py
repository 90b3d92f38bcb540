"""The extract contract (see README): the three tables, their columns and enum sets."""

from __future__ import annotations

# Raise when the contract changes what a file means (columns, parsing, reasons): files kept from
# earlier runs are then read again (pipeline/ingest/cache.py).
VERSION = 1

TABLES = ("incidents", "persons", "involvements")

REQUIRED: dict[str, tuple[str, ...]] = {
    "incidents": ("incident_id", "occurred_date", "record_type"),
    "persons": ("person_id",),
    "involvements": ("incident_id", "person_id", "role"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "incidents": ("offence_code", "dash_risk", "domestic_abuse_flag", "area"),
    "persons": ("surname", "forenames", "date_of_birth", "gender", "pnc_id"),
    "involvements": ("relationship",),
}
COLUMNS = {t: REQUIRED[t] + OPTIONAL[t] for t in TABLES}

# incidents.area: the local area (local authority or policing district) where the incident
# happened, as the force names it; blank = UNKNOWN_AREA. Panels meet per area.
UNKNOWN_AREA = "unknown"

# Personal data: never logged, never in Dagster metadata or the data-quality report.
PERSONAL_COLUMNS = ("surname", "forenames", "date_of_birth", "pnc_id")

FORMATS = ("csv", "parquet")


def normalise_name(name: str) -> str:
    """Column names match case-insensitively with surrounding spaces ignored."""
    return name.strip().lower()
