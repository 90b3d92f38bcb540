"""Running the Splink model on the pipeline's DuckDB connection: train (or load a saved model),
have Splink compare the blocked pairs that involve a new or changed nominal (their comparison
levels are kept: `pipeline.identity.incremental`).

Personal data stays in the database: Splink's logging is kept out of the process's streams
(only a count of its warnings is reported), no chart is drawn, and every table Splink made is
dropped when it is done. The model itself (comparisons and m/u parameters) holds no values.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core.settings import Settings, SettingsError
from pipeline.identity import incremental, model

NOMINALS = "identity_nominals"
DIGITS = 9  # significant digits kept: the same data gives the same model, bit for bit


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def quiet_splink() -> Iterator[_Count]:
    """Splink's (and its SQL translator sqlglot's) log records go nowhere but a counter of
    warnings while the block runs (they could name values, e.g. the largest blocks); nothing
    reaches stderr or Dagster's captured logs."""
    logs = [logging.getLogger(name) for name in ("splink", "sqlglot")]
    saved = [(log.level, log.propagate, list(log.handlers)) for log in logs]
    counter = _Count()
    for log in logs:
        log.handlers = [counter]
        log.propagate = False
        log.setLevel(logging.WARNING)
    try:
        yield counter
    finally:
        for log, (level, propagate, handlers) in zip(logs, saved):
            log.setLevel(level)
            log.propagate = propagate
            log.handlers = handlers


def _rounded(obj: Any) -> Any:
    if isinstance(obj, float):
        return float(f"{obj:.{DIGITS}g}")
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items() if k != "linker_uid"}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def model_hash(model_dict: dict) -> str:
    text = json.dumps(model_dict, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def saved_model(settings: Settings) -> dict | None:
    """The model file named by identity.model (None: train on the data)."""
    if not settings.identity.model:
        return None
    path = settings.path(settings.identity.model)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"setting 'identity.model': cannot read {path}: {exc}") from None
    if not isinstance(data, dict) or "comparisons" not in data:
        raise SettingsError(f"setting 'identity.model': {path} is not a Splink model (JSON)")
    return data


def _register(con: duckdb.DuckDBPyConnection):
    from splink import DuckDBAPI

    api = DuckDBAPI(con.cursor())
    return api, api.register(NOMINALS, table_name="identity_nominals_input")


def trained_model(con: duckdb.DuckDBPyConnection) -> dict:
    """Estimate the parameters on the current nominals (see `model.train`), rounded."""
    from splink import Linker

    api, sdf = _register(con)
    try:
        linker = Linker(sdf, model.settings_creator(), log_level=None)
        model.train(linker)
        trained = linker.misc.save_model_to_json(out_path=None)
    finally:
        api.delete_tables_created_by_splink_from_db()
    return _rounded(trained)


def score(con: duckdb.DuckDBPyConnection, model_dict: dict, changed: int):
    """Estimate this run's prior on the nominals (probability that two random nominals are one
    human: it falls as the number of nominals grows, so it is estimated even with a saved
    model) and, when `changed` nominals are new or changed, have Splink compare the blocked
    pairs with a changed side (`incremental.scoring_model`). Returns Splink's API (to drop its
    tables), the model's weight per level, the prior as a match weight, and the name of the
    table of scored pairs (None: nothing to score)."""
    from splink import DuckDBAPI, Linker
    from splink.internals.misc import prob_to_match_weight

    api = DuckDBAPI(con.cursor())
    sdf = api.register(incremental.FLAGGED, table_name="identity_nominals_input")
    linker = Linker(sdf, incremental.scoring_model(model_dict), log_level=None)
    model.estimate_prior(linker)
    prior = prob_to_match_weight(linker._settings_obj._probability_two_random_records_match)
    scored = linker.inference.predict().physical_name if changed else None
    return api, incremental.level_weights(linker), prior, scored


def blocking_counts(con: duckdb.DuckDBPyConnection, model_dict: dict) -> list[dict]:
    """Splink's own count of the pairs each blocking rule adds (exact, not sampled)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    api, sdf = _register(con)
    try:
        records = count_comparisons_from_blocking_rules(
            sdf, blocking_rules=model_dict["blocking_rules_to_generate_predictions"],
            link_type="dedupe_only", unique_id_column_name="person_id",
            record_sample_proportion=1.0,
        )
    finally:
        api.delete_tables_created_by_splink_from_db()
    return [{"rule": r["blocking_rule"], "pairs": int(r["marginal_comparison_count"])}
            for r in records]


def field_levels(con: duckdb.DuckDBPyConnection, model_dict: dict, a: str, b: str) -> dict:
    """The comparison level (its label) each field of nominals `a` and `b` falls in under the
    model: the first level whose condition holds, as Splink evaluates them."""
    cols = [r[0] for r in con.execute(f"DESCRIBE {NOMINALS}").fetchall()]
    sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in cols)
    out = {}
    for comparison in model_dict["comparisons"]:
        cases = " ".join(f"WHEN {lv['sql_condition']} THEN {i}"
                         if lv["sql_condition"] != "ELSE" else f"ELSE {i}"
                         for i, lv in enumerate(comparison["comparison_levels"]))
        sql = (f"SELECT CASE {cases} END FROM (SELECT {sides} FROM {NOMINALS} l, {NOMINALS} r "
               f"WHERE l.person_id = $a AND r.person_id = $b)")
        index = con.execute(sql, {"a": a, "b": b}).fetchone()[0]
        level = comparison["comparison_levels"][index]
        out[comparison["output_column_name"]] = level.get("label_for_charts") or level["sql_condition"]
    return out
