"""Incremental identity linking: Splink compares only the pairs that involve a new or changed
nominal; the other pairs' comparison levels are kept in the DuckDB file from earlier runs.

What Splink gives for a pair - whether the blocking rules pair the two nominals (and which rule
first: match_key), and each field's comparison level (gamma) - depends only on the two
nominals' rows of `identity_nominals` and on the model's comparisons and blocking rules (not on
its m/u parameters). So every blocked pair is kept with its levels (`identity_kept_pairs`),
with a hash of each nominal's row when it was scored (`identity_kept_nominals`). A run hashes
every nominal again; the pairs of a nominal that is new, changed or gone are forgotten, and
Splink scores only the pairs with a changed side (each blocking rule ANDed with
`(l.changed OR r.changed)`, an equi-join still). The match weight and probability of every pair
are then computed by our SQL (`identity_pair_weights`) from the levels, the model's m/u, this
run's name frequencies and prior - the same statement in a full and an incremental run, so the
two publish the same bytes.

Everything kept is forgotten (a full re-link) when `fingerprint` changes - the model's
comparisons or blocking rules, the identity SQL, this module, Splink's or DuckDB's version - and
on `relink` (`matac run --relink`, implied by `--rebuild`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math

import duckdb
import pyarrow as pa

from pipeline.core import db
from pipeline.ingest import cache

FLAGGED = "identity_nominals_flagged"
TF_FIELDS = ("forename", "surname")  # the name frequencies identity_tf computes
FINGERPRINT_SOURCES = ("sql/identity", "pipeline/identity/incremental.py")
WEIGHT_SCHEMA = pa.schema([("field", pa.string()), ("gamma", pa.int32()), ("mw", pa.float64()),
                           ("tf_log2_u", pa.float64()), ("tf_weight", pa.float64()),
                           ("tf_min_u", pa.float64())])


def _definitions(model_dict: dict) -> dict:
    """What decides the blocked pairs and their levels: the comparisons' level conditions and
    term-frequency columns, and the blocking rules (not the m/u parameters)."""
    keep = ("sql_condition", "is_null_level", "tf_adjustment_column")
    return {
        "comparisons": [[c["output_column_name"],
                         [{k: lv.get(k) for k in keep} for lv in c["comparison_levels"]]]
                        for c in model_dict["comparisons"]],
        "blocking": model_dict["blocking_rules_to_generate_predictions"],
        "link_type": model_dict.get("link_type"),
        "unique_id": model_dict.get("unique_id_column_name"),
    }


def fingerprint(model_dict: dict) -> str:
    import splink

    digest = hashlib.sha256(f"splink {splink.__version__}; duckdb {duckdb.__version__}\n".encode())
    digest.update(json.dumps(_definitions(model_dict), sort_keys=True).encode())
    return cache.sources_digest(digest, FINGERPRINT_SOURCES)


def prepare(con: duckdb.DuckDBPyConnection, model_dict: dict, relink: bool) -> str:
    """Make the kept tables ready; 'full' when nothing is kept (first run, `relink`, or another
    fingerprint: the kept tables are dropped), else 'incremental'. Then hash the nominals and
    write the table Splink reads (`identity_nominals_flagged`)."""
    fp = fingerprint(model_dict)
    db.run(con, "identity/identity_kept_fingerprint")
    saved = next(iter(db.run(con, "identity/identity_kept_saved_fingerprint").fetchall()), None)
    if relink or saved is None or saved[0] != fp:
        db.run(con, "identity/identity_kept_drop_pairs")
        db.run(con, "identity/identity_kept_drop_nominals")
        db.run(con, "identity/identity_kept_save_fingerprint", {"fingerprint": fp})
    db.run(con, "identity/identity_kept_pairs")
    db.run(con, "identity/identity_kept_nominals")
    kept = db.run(con, "identity/identity_kept_nominal_count").fetchall()[0][0]
    db.run(con, "identity/identity_nominal_hashes")
    db.run(con, "identity/identity_nominals_flagged")
    return "incremental" if kept else "full"


def scoring_model(model_dict: dict) -> dict:
    """The model as Splink scores with it here: every blocking rule asks for a changed side,
    and the levels (gamma columns) are kept in its output."""
    scoring = copy.deepcopy(model_dict)
    for rule in scoring["blocking_rules_to_generate_predictions"]:
        rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.changed OR r.changed)"
    scoring["retain_matching_columns"] = True  # Splink 5 keeps gamma_ columns only with this
    scoring["retain_intermediate_calculation_columns"] = True
    return scoring


def level_weights(linker) -> pa.Table:
    """The model's weight per comparison level as Splink derives it (log2 m/u, 0 for a null
    level) and, for a term-frequency adjusted level, its exact match's log2 u, the adjustment
    weight and the minimum u."""
    rows = []
    for comparison in linker._settings_obj.comparisons:
        levels = comparison.comparison_levels
        for level in levels:
            tf = (None, None, None)
            if (level._has_tf_adjustments and level._tf_adjustment_weight != 0
                    and level.comparison_vector_value != -1 and not level._is_else_level):
                column = level._tf_adjustment_input_column_name
                if column not in TF_FIELDS:
                    raise ValueError(f"identity model: term-frequency adjustment on {column!r}; "
                                     f"only {', '.join(TF_FIELDS)} are supported")
                u_exact = level._u_probability_corresponding_to_exact_match(levels)
                tf = (math.log2(u_exact), float(level._tf_adjustment_weight),
                      float(level._tf_minimum_u_value))
            rows.append((comparison.output_column_name, level.comparison_vector_value,
                         level._match_weight, *tf))
    columns = list(zip(*rows))
    return pa.table([pa.array(c, t.type) for c, t in zip(columns, WEIGHT_SCHEMA)],
                    schema=WEIGHT_SCHEMA)


def keep(con: duckdb.DuckDBPyConnection, scored_table: str | None) -> None:
    """In one transaction: forget the pairs of changed or vanished nominals, keep the pairs
    Splink scored (`scored_table`, None: none), and the nominals' hashes. A killed run keeps
    nothing half."""
    if scored_table is not None:
        con.execute(f"CREATE OR REPLACE TEMP VIEW identity_scored AS SELECT * FROM {scored_table}")
    con.begin()
    try:
        db.run(con, "identity/identity_kept_prune")
        if scored_table is not None:
            db.run(con, "identity/identity_kept_add")
        db.run(con, "identity/identity_kept_nominals_save")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        if scored_table is not None:
            con.execute("DROP VIEW IF EXISTS identity_scored")


def counts(con: duckdb.DuckDBPyConnection) -> dict:
    """Nominals new or changed, and kept pairs reused (touching none of them), before scoring."""
    return {k: int(v) for k, v in db.one_row(con, "identity/identity_change_counts").items()}
