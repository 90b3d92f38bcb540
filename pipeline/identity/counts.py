"""Identity in numbers, for the `person_identity` asset's metadata and checks, the run manifest
and the data-quality report's identity section: how many nominal records the run joined into
persons, on what basis, what was cut or left for review, and whether the hard constraints held
(counts only, from the tables `sql/identity/` leaves in the DuckDB file).

For a data owner the section answers "how often is one human recorded as several nominals?":
every record joined to another is a duplicate nominal that recording at source could have
avoided, and one joined without a shared PNC id is one the force's systems did not connect."""

from __future__ import annotations

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings


def counts(con: duckdb.DuckDBPyConnection, max_cluster_size: int) -> dict:
    """Persons, links by basis and fate, decisions, the two checks' counts and the persons by
    number of records (ints only; no ids, names or dates)."""
    sizes = {int(k): int(v) for k, v in db.run(con, "identity/identity_cluster_sizes").fetchall()}
    links = db.one_row(con, "identity/int_identity_counts")
    rows = {"nominals": links.pop("nominals"), "persons": sum(sizes.values()), **links,
            **db.one_row(con, "identity/identity_decision_counts"),
            **db.one_row(con, "identity/identity_check_counts",
                         {"max_cluster_size": max_cluster_size})}
    return {
        **{k: int(v or 0) for k, v in rows.items()},
        "persons_with_several_records": sum(v for k, v in sizes.items() if k > 1),
        "cluster_sizes": {str(k): v for k, v in sorted(sizes.items())},
    }


def section(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """The data-quality report's identity section: the counts and the settings behind them."""
    s = settings.identity
    return {"method": s.method, "link_threshold": s.link_threshold,
            "review_threshold": s.review_threshold, "max_cluster_size": s.max_cluster_size,
            **counts(con, s.max_cluster_size)}
