"""Identity resolution: which nominal records are one person (`sql/identity/`)."""

from __future__ import annotations

import duckdb

from pipeline.core import db
from pipeline.core.steps import StepResult, run_layer


def build_identity(con: duckdb.DuckDBPyConnection) -> StepResult:
    """Nominal records sharing a PNC id are one person (the smallest person_id)."""
    result = run_layer(con, "identity")
    result.counts = db.one_row(con, "identity/int_identity_counts")
    return result
