"""Identity in numbers (the run manifest, the assets' metadata and the data-quality report's
identity section): how many nominal records the run joined into persons, on what
basis, what was cut or left for review, and whether the hard constraints held (counts only,
from the tables `sql/identity/` leaves in the DuckDB file).

For a data owner the section answers "how often is one human recorded as several nominals?":
every record joined to another is a duplicate nominal that recording at source could have
avoided, and one joined without a shared PNC id is one the force's systems did not connect."""

from __future__ import annotations

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings


def section(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """The identity counts of this run (ints only; no ids, names or dates)."""
    counts = db.one_row(con, "identity/int_identity_counts")
    decisions = db.one_row(con, "identity/identity_decision_counts")
    checks = db.one_row(con, "identity/identity_check_counts",
                        {"max_cluster_size": settings.identity.max_cluster_size})
    sizes = {int(k): int(v) for k, v in db.run(con, "identity/identity_cluster_sizes").fetchall()}
    as_int = {k: int(v or 0) for k, v in {**counts, **decisions, **checks}.items()}
    return {
        "method": settings.identity.method,
        "link_threshold": settings.identity.link_threshold,
        "review_threshold": settings.identity.review_threshold,
        "max_cluster_size": settings.identity.max_cluster_size,
        **as_int,
        "persons_with_several_records": sum(v for k, v in sizes.items() if k > 1),
        "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
    }
