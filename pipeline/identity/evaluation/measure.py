"""Measure identity resolution where it matters, on the serial list, against a synthetic
extract's ground truth (`_truth/ground_truth.parquet`: the human behind each nominal).

For a database the pipeline has staged (raw and staged tables of one extract), and for each
identity setting tried, it resolves identities, applies the MATAC rule at the as-of date and
compares the serial perpetrators with those the rule finds when every nominal is resolved to
its true human:

* recall: true serial humans found on the list (a listed person whose nominals are mostly that
  human's); `split`: true serial humans listed under two or more persons;
* wrongly listed: listed persons whose (majority) human is not truly serial;
* two-PNC persons (must be 0); pairwise link precision and recall (nominal pairs);
* hard: duplicate nominals sharing no PNC id with their human's other records, by name
  variation (the harsh copy's `variation`) and missing date of birth, and the share joined;
* bound: the same for an ideal linker that uses the truth but joins a duplicate nominal only
  when there is evidence beyond its name - a date of birth, a PNC id, or an associate it shares
  with another record of its human (generously: every such record joins its human's others).
  No linker that declines a name-only match can do better on the serial list.

    python -m pipeline.identity.evaluation.measure DB EXTRACT [--threshold T ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import duckdb

from pipeline.core.settings import load_settings
from pipeline.identity.resolve import build_candidates, build_identity
from pipeline.rule.score import apply_rule, latest_occurred_date

_SQL = {
    "truth": "CREATE OR REPLACE TABLE eval_truth AS SELECT * FROM read_parquet($truth_path)",
    "oracle": """CREATE OR REPLACE TABLE int_person_identity AS
        SELECT p.person_id, min(p.person_id) OVER (PARTITION BY t.human_id) AS resolved_person_id,
               count(*) OVER (PARTITION BY t.human_id) AS nominal_records, p.date_of_birth,
               p.gender, p.pnc_id IS NOT NULL AS has_pnc, NULL::VARCHAR AS identity_basis
        FROM stg_persons p JOIN eval_truth t USING (person_id) WHERE p.is_current""",
    "serial": "SELECT perpetrator_id FROM int_perpetrator_scores WHERE cycle = 'current'",
    "bound": """CREATE OR REPLACE TABLE int_person_identity AS
        WITH n AS (
            SELECT p.person_id, t.human_id, p.date_of_birth, p.gender, p.pnc_id,
                   NOT t.is_duplicate OR p.date_of_birth IS NOT NULL OR p.pnc_id IS NOT NULL
                       AS evident
            FROM stg_persons p JOIN eval_truth t USING (person_id) WHERE p.is_current),
        ties AS (
            SELECT DISTINCT a.person_id, b.person_id AS associate
            FROM stg_involvements a JOIN stg_involvements b
              ON b.incident_id = a.incident_id AND b.person_id <> a.person_id AND b.is_current
            WHERE a.is_current),
        shared AS (
            SELECT DISTINCT x.person_id FROM ties x
            JOIN ties y ON y.associate = x.associate AND y.person_id <> x.person_id
            JOIN n nx ON nx.person_id = x.person_id
            JOIN n ny ON ny.person_id = y.person_id AND ny.human_id = nx.human_id),
        j AS (
            SELECT n.*, CASE WHEN n.evident OR s.person_id IS NOT NULL
                             THEN min(n.person_id) FILTER (WHERE n.evident OR s.person_id IS NOT NULL)
                                  OVER (PARTITION BY n.human_id)
                             ELSE n.person_id END AS resolved_person_id
            FROM n LEFT JOIN shared s USING (person_id))
        SELECT person_id, resolved_person_id,
               count(*) OVER (PARTITION BY resolved_person_id) AS nominal_records, date_of_birth,
               gender, pnc_id IS NOT NULL AS has_pnc, NULL::VARCHAR AS identity_basis
        FROM j""",
}


def _majority(con) -> dict[str, str]:
    rows = con.execute("""
        SELECT resolved_person_id, arg_max(human_id, n ORDER BY human_id) FROM (
            SELECT i.resolved_person_id, t.human_id, count(*) AS n
            FROM int_person_identity i JOIN eval_truth t USING (person_id) GROUP BY ALL)
        GROUP BY resolved_person_id""").fetchall()
    return dict(rows)


def _pairs(con) -> dict:
    row = con.execute("""
        WITH linked AS (SELECT i.person_id, i.resolved_person_id, t.human_id
                        FROM int_person_identity i JOIN eval_truth t USING (person_id))
        SELECT
          (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM linked GROUP BY resolved_person_id)),
          (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM linked GROUP BY human_id)),
          (SELECT sum(n * (n - 1) / 2) FROM (SELECT count(*) n FROM linked
                                             GROUP BY resolved_person_id, human_id))
        """).fetchone()
    predicted, true, correct = (float(x or 0) for x in row)
    two_pnc = con.execute("""
        SELECT count(*) FROM (SELECT i.resolved_person_id FROM int_person_identity i
            JOIN stg_persons p USING (person_id) WHERE p.is_current AND p.pnc_id IS NOT NULL
            GROUP BY ALL HAVING count(DISTINCT p.pnc_id) > 1)""").fetchone()[0]
    return {"pair_precision": round(correct / predicted, 4) if predicted else 1.0,
            "pair_recall": round(correct / true, 4) if true else 1.0, "two_pnc_persons": two_pnc}


def _hard(con) -> list[dict]:
    """Duplicate nominals that share no PNC id with another record of their human, by how the
    harsh copy varied the name (`variation`; blank without one) and whether the date of birth
    is missing: how many, and the share joined to another record of their human."""
    columns = {r[0] for r in con.execute("DESCRIBE eval_truth").fetchall()}
    variation = "t.variation" if "variation" in columns else "''"
    rows = con.execute(f"""
        WITH n AS (
            SELECT i.person_id, t.human_id, t.is_duplicate, {variation} AS variation,
                   p.date_of_birth IS NULL AS no_dob,
                   count(*) OVER (PARTITION BY t.human_id, i.resolved_person_id) > 1 AS joined,
                   p.pnc_id IS NOT NULL AND count(*) OVER (
                       PARTITION BY t.human_id, p.pnc_id) > 1 AS pnc_shared
            FROM int_person_identity i JOIN eval_truth t USING (person_id)
            JOIN stg_persons p USING (person_id) WHERE p.is_current)
        SELECT variation, no_dob, count(*), round(avg(joined::INT), 4)
        FROM n WHERE is_duplicate AND NOT pnc_shared
        GROUP BY ALL ORDER BY variation, no_dob""").fetchall()
    return [{"variation": v, "no_dob": d, "duplicates": n, "joined": j} for v, d, n, j in rows]


def _list_humans(con) -> tuple[list[str], dict[str, str]]:
    listed = [r[0] for r in con.execute(_SQL["serial"]).fetchall()]
    return listed, _majority(con)


def true_serial(con, settings, as_of) -> set[str]:
    con.execute(_SQL["oracle"])
    apply_rule(con, settings, as_of)
    listed, majority = _list_humans(con)
    return {majority[p] for p in listed}


def evaluate(con, settings, as_of, truth: set[str]) -> dict:
    start = time.perf_counter()
    build_identity(con, settings)
    return _on_the_list(con, settings, as_of, truth, time.perf_counter() - start)


def bound(con, settings, as_of, truth: set[str]) -> dict:
    """The serial list of the ideal evidence-only linker (`_SQL['bound']`), measured alike."""
    start = time.perf_counter()
    con.execute(_SQL["bound"])
    return _on_the_list(con, settings, as_of, truth, time.perf_counter() - start)


def _on_the_list(con, settings, as_of, truth: set[str], seconds: float) -> dict:
    apply_rule(con, settings, as_of)
    listed, majority = _list_humans(con)
    humans = [majority[p] for p in listed]
    found = {h for h in humans if h in truth}
    wrong = sum(1 for h in humans if h not in truth)
    split = len(humans) - len(set(humans))
    return {"listed": len(listed), "true_serial": len(truth),
            "recall": round(len(found) / len(truth), 4) if truth else 1.0,
            "missed": len(truth - found), "wrongly_listed": wrong,
            "wrongly_listed_share": round(wrong / len(listed), 4) if listed else 0.0,
            "split": split, **_pairs(con), "cluster_seconds": round(seconds, 2),
            "hard": _hard(con)}


def measure(db_path: Path, extract: Path, thresholds: list[float], config: str | None = None,
            overrides: dict | None = None) -> dict:
    con = duckdb.connect(str(db_path))
    try:
        con.execute(_SQL["truth"], {"truth_path": str(extract / "_truth" / "ground_truth.parquet")})
        base = load_settings(config, overrides)
        as_of = latest_occurred_date(con)
        truth = true_serial(con, base, as_of)
        out: dict = {"as_of": str(as_of), "runs": {}}
        pnc = load_settings(config, {**(overrides or {}), "identity": {"method": "pnc_only"}})
        build_candidates(con, pnc)
        out["runs"]["pnc_only"] = evaluate(con, pnc, as_of, truth)
        out["runs"]["bound"] = bound(con, base, as_of, truth)
        start = time.perf_counter()
        low = min(thresholds + [base.identity.review_threshold])
        cand = build_candidates(con, load_settings(config, _merge(overrides, low, low)))
        out["candidates"] = {"seconds": round(time.perf_counter() - start, 2),
                             "timings": cand.timings, "counts": cand.counts}
        for t in thresholds:
            s = load_settings(config, _merge(overrides, t, min(t, base.identity.review_threshold)))
            out["runs"][f"linked>={t}"] = evaluate(con, s, as_of, truth)
        return out
    finally:
        con.close()


def _merge(overrides: dict | None, link: float, review: float) -> dict:
    o = json.loads(json.dumps(overrides or {}))
    o.setdefault("identity", {}).update(link_threshold=link, review_threshold=review)
    return o


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("extract", type=Path)
    ap.add_argument("--threshold", type=float, action="append")
    ap.add_argument("--model", default=None, help="identity.model ('' = train on the data)")
    ap.add_argument("--no-network", action="store_true", help="identity.max_associates: 0")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    identity = {"model": args.model} if args.model is not None else {}
    if args.no_network:
        identity["max_associates"] = 0
    overrides = {"identity": identity} if identity else None
    result = measure(args.db, args.extract, args.threshold or [0.5, 0.9, 0.99, 0.999],
                     overrides=overrides)
    text = json.dumps(result, indent=1, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
