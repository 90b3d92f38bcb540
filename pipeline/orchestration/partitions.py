"""The as-of partitions of the publish path: one partition per as-of date (YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt

import dagster as dg

as_of_partitions = dg.DynamicPartitionsDefinition(name="as_of")


def as_of_date(context: dg.AssetExecutionContext) -> dt.date:
    return dt.date.fromisoformat(context.partition_key)
