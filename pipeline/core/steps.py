"""What every pipeline step returns (timings and counts, reported as Dagster metadata and in
the run manifest), and running one SQL layer in its dependency order."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from pipeline.core import db


class InternalError(RuntimeError):
    """The pipeline broke one of its own invariants (a bug, not bad input)."""


@dataclass
class StepResult:
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return round(sum(self.timings.values()), 3)


def run_layer(
    con: duckdb.DuckDBPyConnection, layer: str, params: dict | None = None,
    result: StepResult | None = None, skip: tuple[str, ...] = (),
) -> StepResult:
    """Run every model of `sql/<layer>/` but those in `skip` in dependency order (see
    `db.models`), timing each."""
    result = result or StepResult()
    for name in db.models(layer):
        if name in skip:
            continue
        result.timings[name] = round(db.run_timed(con, name, params or {}), 3)
    return result
