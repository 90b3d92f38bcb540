"""Dagster metadata built from step results: counts and timings only, never personal data."""

from __future__ import annotations

import dagster as dg


def step_metadata(result, **extra) -> dict:
    meta: dict = {"seconds": dg.MetadataValue.float(float(result.seconds))}
    for key, value in result.counts.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            meta[key] = dg.MetadataValue.int(value)
        elif isinstance(value, float):
            meta[key] = dg.MetadataValue.float(value)
        elif isinstance(value, dict):
            meta[key] = dg.MetadataValue.json(value)
    meta["timings_s"] = dg.MetadataValue.json(result.timings)
    meta.update(extra)
    return meta


def staging_metadata(result) -> dict:
    """Staging's counts per table, flat (`incidents_rows_read`, ...), and the quarantine
    reasons per table."""
    flat: dict = {}
    for table, c in result.counts.items():
        for key in ("rows_read", "rows_loaded", "rows_quarantined", "rows_current"):
            flat[f"{table}_{key}"] = dg.MetadataValue.int(int(c.get(key, 0)))
        flat[f"{table}_quarantine_reasons"] = dg.MetadataValue.json(c["quarantine_reasons"])
    return {"seconds": dg.MetadataValue.float(result.seconds),
            "timings_s": dg.MetadataValue.json(result.timings), **flat}
