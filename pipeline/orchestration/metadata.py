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
