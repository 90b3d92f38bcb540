"""Identity resolution: which nominal records are one person (`sql/identity/`).

Two steps (two Dagster assets): `build_candidates` scores pairs of nominals with the Splink
model (`identity_candidate_pairs`; incrementally, see `pipeline.identity.incremental`);
`build_identity` turns PNC ids, model links above the link threshold and the analyst's
decisions into persons under the hard constraints (`int_person_identity`, `identity_links`,
`identity_review_pairs`).
"""

from __future__ import annotations

import json
import time

import duckdb
import pyarrow as pa

from pipeline.core import db
from pipeline.core.settings import Settings, SettingsError
from pipeline.core.steps import StepResult
from pipeline.identity import cluster, counts, incremental, linkage
from pipeline.identity.model import NAME_RECORDS_CAP

DECISION_COLUMNS = ("person_id_a", "person_id_b", "decision", "decided_on", "decided_by", "note")


def _timed(result: StepResult, name: str, fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    result.timings[name] = round(time.perf_counter() - start, 3)
    return out


def _params(settings: Settings) -> dict:
    s = settings.identity
    return {"link_threshold": s.link_threshold, "review_threshold": s.review_threshold,
            "max_associates": s.max_associates, "name_records_cap": NAME_RECORDS_CAP,
            "nicknames_path": str(settings.path(s.nicknames))}


def current_model(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple[dict, str]:
    """The model to score with: the saved file (identity.model), or trained on the nominals."""
    saved = linkage.saved_model(settings)
    if saved is not None:
        return saved, "file"
    return linkage.trained_model(con), "trained"


def _link(con: duckdb.DuckDBPyConnection, model: dict, relink: bool, params: dict,
          result: StepResult) -> dict:
    """Splink compares the pairs with a new or changed nominal (all of them on a full re-link);
    our SQL weighs every kept pair (`pipeline.identity.incremental`). Returns the mode and
    counts for the metadata and manifest."""
    mode = _timed(result, "changes", incremental.prepare, con, model, relink)
    stats = incremental.counts(con)
    try:
        api, weights, prior_weight, scored = _timed(result, "score", linkage.score, con, model,
                                                    stats["nominals_changed"])
        try:
            _timed(result, "keep", incremental.keep, con, scored)
        finally:
            api.delete_tables_created_by_splink_from_db()
    finally:
        db.run(con, "identity/identity_nominals_flagged_drop")
    kept = db.run(con, "identity/identity_kept_pair_count").fetchall()[0][0]
    stats["pairs_scored"] = int(kept) - stats["pairs_reused"]
    con.register("identity_level_weights", weights)
    try:
        for name in ("identity/identity_tf", "identity/identity_pair_weights",
                     "identity/identity_candidate_pairs"):
            result.timings[name] = round(db.run_timed(
                con, name, {**params, "prior_weight": prior_weight}), 3)
    finally:
        con.unregister("identity_level_weights")
    linking = {"mode": mode, **stats}
    db.run(con, "identity/identity_linking", linking)
    return linking


def build_candidates(con: duckdb.DuckDBPyConnection, settings: Settings,
                     relink: bool = False) -> StepResult:
    """The nominals' comparison features and, unless identity.method is pnc_only, the pairs the
    model scores at or above the review threshold. Only pairs with a nominal new or changed
    since the last run are compared again, unless `relink` (a full re-link)."""
    result = StepResult()
    params = _params(settings)
    model_info = {"method": settings.identity.method, "source": None, "sha256": None}
    linking = None
    if settings.identity.method == "pnc_only":
        for name in ("identity/identity_nominals_empty", "identity/identity_candidate_pairs_empty",
                     "identity/identity_model_none", "identity/identity_linking_none"):
            db.run(con, name)
    else:
        for name in ("identity/ref_nicknames", "identity/identity_nominals"):
            result.timings[name] = round(db.run_timed(con, name, params), 3)
        with linkage.quiet_splink() as warnings:
            model, source = _timed(result, "train" if not settings.identity.model else "load",
                                   current_model, con, settings)
            linking = _link(con, model, relink, params, result)
        model_info.update(source=source, sha256=linkage.model_hash(model),
                          path=settings.identity.model or None, splink_warnings=warnings.count)
        db.run(con, "identity/identity_model_save",
               {"model_json": json.dumps(model, sort_keys=True), "sha256": model_info["sha256"],
                "source": source})
    result.counts = {**db.one_row(con, "identity/identity_candidate_counts", params),
                     "model": model_info}
    if linking is not None:
        result.counts["linking"] = linking
    return result


def _decisions(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """Load and check the analyst's decisions file (identity.decisions) like an extract."""
    path = settings.identity.decisions
    if not path:
        db.run(con, "identity/identity_decisions_empty")
    else:
        full = str(settings.path(path))
        try:
            cols = {r[0] for r in db.run(con, "identity/identity_decision_columns",
                                         {"decisions_path": full}).fetchall()}
        except duckdb.Error as exc:
            raise SettingsError(f"setting 'identity.decisions': cannot read {full}: {exc}") from None
        missing = [c for c in DECISION_COLUMNS if c not in cols]
        if missing:
            raise SettingsError(f"{full}: missing column {missing[0]!r} (identity decisions need "
                                f"{', '.join(DECISION_COLUMNS)})")
        db.run(con, "identity/identity_decisions_checked", {"decisions_path": full})
    db.run(con, "identity/identity_decisions")


LINK_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string()), ("basis", pa.string()),
                         ("probability", pa.float64()), ("status", pa.string()),
                         ("reason", pa.string())])


def _store(con: duckdb.DuckDBPyConnection, c: cluster.Clusters, links: list[tuple]) -> None:
    """The clustering's result as tables: each nominal's person, each offered link's fate."""
    ids = sorted(c.parent)
    persons = pa.table({"person_id": ids, "resolved_person_id": [c.find(p) for p in ids]})
    columns = list(zip(*[(*link, *st) for link, st in zip(links, c.status)])) or [()] * 6
    link_rows = pa.table([pa.array(col, t.type) for col, t in zip(columns, LINK_SCHEMA)],
                         schema=LINK_SCHEMA)
    con.register("identity_cluster_arrow", persons)
    con.register("identity_link_rows", link_rows)
    try:
        db.run(con, "identity/identity_cluster_rows")
        db.run(con, "identity/identity_links")
    finally:
        con.unregister("identity_cluster_arrow")
        con.unregister("identity_link_rows")


def build_identity(con: duckdb.DuckDBPyConnection, settings: Settings) -> StepResult:
    """Persons: PNC ids, model links >= identity.link_threshold and analyst decisions, joined
    strongest first under the hard constraints; the review queue; counts for the metadata."""
    result = StepResult()
    params = _params(settings)
    _timed(result, "decisions", _decisions, con, settings)
    links = db.run(con, "identity/identity_link_input", params).fetchall()
    nominals = db.run(con, "identity/identity_nominal_pncs", params).fetchall()
    different = db.run(con, "identity/identity_different").fetchall()
    c = _timed(result, "cluster", cluster.resolve, nominals, links, different)
    _timed(result, "store", _store, con, c, links)
    for name in ("identity/int_person_identity", "identity/identity_review_pairs"):
        result.timings[name] = round(db.run_timed(con, name, params), 3)
    result.counts = counts.counts(con, settings.identity.max_cluster_size)
    return result
