"""The identity measurement (`pipeline.identity.evaluation.measure`) on a real harsh synthetic
extract and DuckDB file: the evidence-only bound is recomputed independently from the CSV files
and the truth (plain Python), and its list is compared with PNC-only linkage and the truth."""

from __future__ import annotations

import csv
from collections import defaultdict

import pyarrow.parquet as pq

from pipeline import cli
from pipeline.core import db
from pipeline.identity.evaluation import harsh, measure


def _expected_bound(extract) -> dict[str, str]:
    """Each nominal's person under the bound, from the files: a duplicate record joins its
    human's others when it has a date of birth or a PNC id, or shares an associate (another
    record in one of its incidents) with another record of its human; the person's id is the
    smallest of its records."""
    truth = pq.read_table(extract / "_truth" / "ground_truth.parquet").to_pylist()
    human = {t["person_id"]: t["human_id"] for t in truth}
    duplicate = {t["person_id"]: t["is_duplicate"] for t in truth}
    with open(extract / "persons.csv", newline="", encoding="utf-8") as f:
        persons = {r["person_id"]: r for r in csv.DictReader(f)}
    by_incident = defaultdict(set)
    with open(extract / "involvements.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by_incident[r["incident_id"]].add(r["person_id"])
    ties = defaultdict(set)
    for people in by_incident.values():
        for p in people:
            ties[p] |= people - {p}
    holders = defaultdict(set)
    for p, others in ties.items():
        for o in others:
            holders[o].add(p)
    joins = {}
    for p, row in persons.items():
        shared = any(q != p and human[q] == human[p] for o in ties[p] for q in holders[o])
        joins[p] = (not duplicate[p] or bool(row["date_of_birth"]) or bool(row["pnc_id"])
                    or shared)
    first = {}
    for p in sorted(persons):
        if joins[p]:
            first.setdefault(human[p], p)
    return {p: first[human[p]] if joins[p] else p for p in persons}


def test_the_evidence_only_bound_is_recounted_and_bounds_pnc_linkage(tmp_path, workspace,
                                                                     layers):
    src, extract = tmp_path / "synth", tmp_path / "harsh"
    assert cli.main(["synth", "--incidents", "3000", "--seed", "11", "--out", str(src)]) == 0
    harsh.rewrite(src, extract, seed=1)
    lay = layers(extract).score()  # loads the reference tables the rule needs
    lay.close()
    db_path = workspace.database

    result = measure.measure(db_path, extract, [0.9],
                             config=str(workspace.config()))
    runs = result["runs"]
    bound, pnc, linked = runs["bound"], runs["pnc_only"], runs["linked>=0.9"]
    assert bound["pair_precision"] == 1.0 and bound["two_pnc_persons"] == 0
    assert bound["true_serial"] == pnc["true_serial"] == linked["true_serial"] > 0
    # PNC ids join only records of one human that carry evidence: the bound joins them all
    assert bound["recall"] >= pnc["recall"] and bound["pair_recall"] >= pnc["pair_recall"]
    assert bound["pair_recall"] < 1.0  # the harsh copy leaves some duplicates with no evidence

    import duckdb

    con = duckdb.connect(str(db_path))
    try:
        measure.load_truth(con, extract)
        db.run(con, "evaluation/eval_identity_bound")
        got = dict(con.execute(
            "SELECT person_id, resolved_person_id FROM int_person_identity").fetchall())
    finally:
        con.close()
    expected = _expected_bound(extract)
    assert got == expected
    assert sum(1 for p, r in expected.items() if p != r) > 0
