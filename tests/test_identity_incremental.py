"""Incremental identity linking: a run has Splink compare only the pairs with a new or changed
nominal and reuses the other pairs' comparison levels, and publishes exactly what a full
re-link of the same extracts publishes. Our SQL's weights equal Splink's own predictions.

Real runs: the CLI on real DuckDB files (like test_incremental.py), real Splink."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from helpers import SAMPLES

from pipeline import cli

CLEAN = SAMPLES / "clean"
COMPARED = ("priority_list.csv", "identity_review.csv", "priority_list.xlsx")


def _run(config: Path, extracts: list[Path], out: Path, *flags: str) -> dict:
    """`matac run`; returns the manifest's identity section."""
    args = ["run", "--config", str(config), "--out", str(out), *flags]
    for extract in extracts:
        args += ["--extract", str(extract)]
    assert cli.main(args) == 0
    return json.loads((out / "run_manifest.json").read_text("utf-8"))["identity"]


def _pairs(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("FROM identity_candidate_pairs ORDER BY ALL").fetchall()


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> list[Path]:
    """Three monthly extracts (each re-exports and revises the last 12 months' incidents)."""
    root = tmp_path_factory.mktemp("months") / "x"
    assert cli.main(["synth", "--incidents", "2500", "--extracts", "3", "--dirty", "0.01",
                     "--seed", "7", "--out", str(root)]) == 0
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))


@pytest.mark.parametrize("model", ["saved", "trained"])
def test_an_incremental_link_publishes_what_a_full_relink_does(workspace, months, model):
    sections = {} if model == "saved" else {"identity": {"model": ""}}
    config = workspace.config(**sections)
    first = _run(config, months[:2], workspace.root / "first")
    assert first["linking"]["mode"] == "full" and first["linking"]["pairs_reused"] == 0
    incremental = _run(config, months, workspace.root / "incremental")
    fresh_db = workspace.root / "fresh.duckdb"
    fresh_config = workspace.config("fresh.yaml", storage={"database": str(fresh_db)}, **sections)
    fresh = _run(fresh_config, months, workspace.root / "fresh")

    linking = incremental["linking"]
    assert linking["mode"] == "incremental"
    assert linking["pairs_reused"] > 0 and linking["pairs_scored"] > 0
    assert 0 < linking["nominals_changed"] < first["linking"]["nominals_changed"]
    assert fresh["linking"]["mode"] == "full"
    assert linking["pairs_reused"] + linking["pairs_scored"] == fresh["linking"]["pairs_scored"]
    assert incremental["review_queue"] > 0  # the review file is not trivially empty
    for name in COMPARED:
        assert (workspace.root / "incremental" / name).read_bytes() == \
            (workspace.root / "fresh" / name).read_bytes(), f"{name} differs from a full re-link"
    assert _pairs(workspace.database) == _pairs(fresh_db)


def test_relink_and_rebuild_compare_every_pair_again(workspace):
    config = workspace.config()
    extracts = [CLEAN / "2026-09", CLEAN / "2026-10"]
    _run(config, extracts, workspace.root / "a")
    again = _run(config, extracts, workspace.root / "b")["linking"]
    assert again == {"mode": "incremental", "nominals_changed": 0,
                     "pairs_reused": again["pairs_reused"], "pairs_scored": 0}
    assert again["pairs_reused"] > 0
    relinked = _run(config, extracts, workspace.root / "c", "--relink")["linking"]
    assert relinked["mode"] == "full" and relinked["pairs_reused"] == 0
    assert relinked["pairs_scored"] == again["pairs_reused"]
    rebuilt = _run(config, extracts, workspace.root / "d", "--rebuild")["linking"]
    assert rebuilt == relinked
    for name in COMPARED:
        assert len({(workspace.root / d / name).read_bytes() for d in "abcd"}) == 1, name


def test_pnc_only_identity_does_not_link(workspace):
    manifest = _run(workspace.config(identity={"method": "pnc_only"}), [CLEAN / "2026-09"],
                    workspace.root / "out")
    assert "linking" not in manifest


# ------------------------------------------------------------------------ plain layers
def _splink_predictions(con: duckdb.DuckDBPyConnection) -> dict:
    """Splink's own predict over identity_nominals with the model this run used (its prior
    estimated as the pipeline does): (l, r) -> (match_key, match_weight, match_probability)."""
    from splink import DuckDBAPI, Linker

    from pipeline.identity import linkage, model

    model_dict = json.loads(con.execute("SELECT model FROM identity_model").fetchall()[0][0])
    api = DuckDBAPI(con.cursor())
    try:
        with linkage.quiet_splink():
            linker = Linker(api.register("identity_nominals", table_name="splink_check_input"),
                            model_dict, log_level=None)
            model.estimate_prior(linker)
            scored = linker.inference.predict()
            rows = con.execute(f"SELECT person_id_l, person_id_r, match_key, match_weight, "
                               f"match_probability FROM {scored.physical_name}").fetchall()
    finally:
        api.delete_tables_created_by_splink_from_db()
    return {(r[0], r[1]): r[2:] for r in rows}


@pytest.mark.parametrize("model", ["saved", "trained"])
def test_our_weights_are_splinks_own_predictions(layers, model):
    sections = {} if model == "saved" else {"identity": {"model": ""}}
    lay = layers([CLEAN / "2026-09", CLEAN / "2026-10"], **sections)
    ours = {(r[0], r[1]): r[2:] for r in lay.rows(
        "SELECT person_id_l, person_id_r, match_key, match_weight, match_probability "
        "FROM identity_pair_weights")}
    splink = _splink_predictions(lay.con)
    assert len(ours) > 100 and ours.keys() == splink.keys()
    tf_adjusted = lay.rows("SELECT count(*) FROM identity_pair_weights "
                           "WHERE mw_tf_adj_forename <> 0 AND mw_tf_adj_surname <> 0")[0][0]
    assert tf_adjusted > 0
    for pair, (key, weight, probability) in ours.items():
        s_key, s_weight, s_probability = splink[pair]
        assert key == s_key
        assert abs(weight - s_weight) <= 1e-9 and abs(probability - s_probability) <= 1e-9, pair


def test_another_fingerprint_forgets_the_kept_pairs(layers, workspace):
    from pipeline.identity.resolve import build_candidates

    lay = layers([CLEAN / "2026-09"])
    assert lay.candidates.counts["linking"]["mode"] == "full"
    again = build_candidates(lay.con, lay.settings).counts["linking"]
    assert again["mode"] == "incremental" and again["pairs_scored"] == 0
    lay.con.execute("UPDATE identity_kept_fingerprint SET fingerprint = 'another version'")
    lay.con.execute("ALTER TABLE identity_kept_pairs DROP COLUMN gamma_gender")  # other columns
    after = build_candidates(lay.con, lay.settings).counts["linking"]
    assert after["mode"] == "full" and after["pairs_scored"] == again["pairs_reused"]
    assert lay.rows("SELECT count(*) FROM identity_kept_pairs") == [(after["pairs_scored"],)]


def test_a_changed_nominal_is_compared_again(layers):
    """A nominal whose features change (its surname corrected) has its pairs compared again;
    the result equals a full re-link's."""
    from pipeline.identity.resolve import build_candidates

    lay = layers([CLEAN / "2026-09", CLEAN / "2026-10"])
    before = lay.rows("FROM identity_candidate_pairs ORDER BY ALL")
    a, b = lay.rows("SELECT person_id_a, person_id_b FROM identity_candidate_pairs "
                    "ORDER BY match_probability DESC, person_id_a, person_id_b LIMIT 1")[0]
    lay.con.execute("UPDATE stg_persons_checked SET surname = 'Zzyzx' WHERE person_id = ?", [b])
    changed = build_candidates(lay.con, lay.settings).counts["linking"]
    assert changed["mode"] == "incremental" and changed["nominals_changed"] == 1
    incremental = lay.rows("FROM identity_candidate_pairs ORDER BY ALL")
    was = {(r[0], r[1]): r for r in before}[a, b]
    now = {(r[0], r[1]): r for r in incremental}.get((a, b))
    assert now is None or now[5] < was[5]  # the surnames no longer agree
    build_candidates(lay.con, lay.settings, relink=True)
    assert lay.rows("FROM identity_candidate_pairs ORDER BY ALL") == incremental


def test_the_kept_tables_hold_no_names_or_dates(layers):
    lay = layers([CLEAN / "2026-09"])
    for table in ("identity_kept_pairs", "identity_kept_nominals", "identity_kept_fingerprint"):
        types = {r[1] for r in lay.rows(f"DESCRIBE {table}")}
        assert types <= {"VARCHAR", "INTEGER", "UBIGINT"}, table
    names = {r[0] for r in lay.rows("SELECT surname FROM identity_nominals "
                                    "WHERE surname IS NOT NULL")}
    kept = {v for r in lay.rows("FROM identity_kept_pairs") for v in r} | \
        {v for r in lay.rows("FROM identity_kept_nominals") for v in r}
    assert not names & kept

