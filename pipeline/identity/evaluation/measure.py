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

from pipeline.core import db
from pipeline.core.settings import load_settings
from pipeline.identity.resolve import build_candidates, build_identity
from pipeline.rule.score import apply_rule, latest_occurred_date


def _majority(con) -> dict[str, str]:
    return dict(db.run(con, "evaluation/eval_majority").fetchall())


def _pairs(con) -> dict:
    row = db.one_row(con, "evaluation/eval_pairs")
    predicted, true, correct = (float(row[k] or 0) for k in ("predicted", "true_pairs", "correct"))
    two_pnc = db.one_row(con, "evaluation/eval_two_pnc_persons")["two_pnc_persons"]
    return {"pair_precision": round(correct / predicted, 4) if predicted else 1.0,
            "pair_recall": round(correct / true, 4) if true else 1.0, "two_pnc_persons": two_pnc}


def _hard(con) -> list[dict]:
    """Duplicate nominals sharing no PNC id with their human's other records, by name variation
    (blank without a harsh copy) and missing date of birth: how many, and the share joined."""
    rows = db.run(con, "evaluation/eval_hard").fetchall()
    return [{"variation": v, "no_dob": d, "duplicates": n, "joined": j} for v, d, n, j in rows]


def _list_humans(con) -> tuple[list[str], dict[str, str]]:
    listed = [r[0] for r in db.run(con, "evaluation/eval_listed").fetchall()]
    return listed, _majority(con)


def load_truth(con, extract: Path) -> None:
    """The extract's truth as `eval_truth` (with a blank `variation` if it has none)."""
    db.run(con, "evaluation/eval_truth",
           {"truth_path": str(extract / "_truth" / "ground_truth.parquet")})
    db.run(con, "evaluation/eval_truth_variation")


def true_serial(con, settings, as_of) -> set[str]:
    db.run(con, "evaluation/eval_identity_true")
    apply_rule(con, settings, as_of)
    listed, majority = _list_humans(con)
    return {majority[p] for p in listed}


def evaluate(con, settings, as_of, truth: set[str]) -> dict:
    start = time.perf_counter()
    build_identity(con, settings)
    return _on_the_list(con, settings, as_of, truth, time.perf_counter() - start)


def bound(con, settings, as_of, truth: set[str]) -> dict:
    """The serial list of the ideal evidence-only linker (`eval_identity_bound.sql`), measured
    alike."""
    start = time.perf_counter()
    db.run(con, "evaluation/eval_identity_bound")
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
        load_truth(con, extract)
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
