"""The identity outputs of a publication: `identity_review.csv` (and the workbook's *Identity
review* sheet), and the identity part of the run manifest. Ids, probabilities and which fields
agree; names only when output.include_names is on."""

from __future__ import annotations

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.settings import Settings

FILE = "identity_review.csv"
SHEET = "Identity review"

COLUMN_HELP: dict[str, str] = {
    "review_rank": "Order of review: merges that would create or remove a serial perpetrator first, then those changing a listed one, then by probability.",
    "person_id_a": "First nominal record (source person_id).",
    "person_id_b": "Second nominal record.",
    "resolved_person_id_a": "The person the first record belongs to now.",
    "resolved_person_id_b": "The person the second record belongs to now.",
    "match_probability": "The model's probability that the two records are one human.",
    "why": "review_band (below identity.link_threshold) or cut (a link refused because it would join two PNC ids or two records an analyst keeps apart).",
    "list_effect": "What merging them would do to the list: 'creates a serial perpetrator', 'removes <id>' (two of their victims are one person), 'changes <id>'.",
    "fields_agree": "Fields on which the two records agree (exactly or nearly).",
    "fields_disagree": "Fields on which they disagree.",
    "fields_missing": "Fields missing on one side.",
}


def review_frame(con: duckdb.DuckDBPyConnection, settings: Settings) -> pd.DataFrame:
    df = db.run(con, "publish/identity_review", {
        "min_incidents": settings.rule.min_incidents, "min_victims": settings.rule.min_victims,
    }).fetchdf()
    if settings.output.include_names:
        names = db.run(con, "publish/identity_review_names").fetchdf()
        for side in ("a", "b"):
            df = df.merge(names.rename(columns={"person_id": f"person_id_{side}",
                                                "surname": f"surname_{side}",
                                                "forenames": f"forenames_{side}"}),
                          on=f"person_id_{side}", how="left")
    df["match_probability"] = df["match_probability"].astype(float)
    return df


def manifest(con: duckdb.DuckDBPyConnection, settings: Settings) -> dict:
    """Counts and the model's hash for the run manifest (no personal data)."""
    s = settings.identity
    summary = db.one_row(con, "publish/identity_summary")
    try:  # none with pnc_only, nor in a database last linked by an older version
        cur = db.run(con, "identity/identity_linking_summary")
        row = next(iter(cur.fetchall()), None)
    except duckdb.CatalogException:
        row = None
    linking = {"linking": dict(zip([d[0] for d in cur.description], row))} if row else {}
    return {"method": s.method, "model": s.model or None, **summary, **linking,
            "decisions_file": s.decisions or None,
            "link_threshold": s.link_threshold, "review_threshold": s.review_threshold}
