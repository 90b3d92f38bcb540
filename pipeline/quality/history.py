"""The key figures of every assessment, kept across runs in the DuckDB table
`ops_quality_history` (counts only): the volume checks compare with the previous delivery of
the same source, and the report shows the trend (`sql/quality/*history*.sql`, `trend.sql`)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from pipeline.core import db
from pipeline.core.contract import TABLES
from pipeline.quality.checks import Check, failed, verdict
from pipeline.quality.suites import ERROR, WARN


def source_of(files: list[dict]) -> tuple[str, str, list[str]]:
    """(source, fingerprint, extract names) of the input files: the source is the folder that
    holds the newest extract (a landing folder, say); the fingerprint identifies the files."""
    if not files:
        return "", hashlib.sha256(b"").hexdigest(), []
    newest = max(files, key=lambda f: f["extract_seq"])
    source = str(Path(newest["path"]).resolve().parent.parent)
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f['extract_seq']}:{f['table_name']}:{f['sha256']}\n".encode())
    names: list[str] = []
    for f in sorted(files, key=lambda f: f["extract_seq"]):
        if f["extract_name"] not in names:
            names.append(f["extract_name"])
    return source, digest.hexdigest(), names


def previous_run(con, source: str, fingerprint: str, run_id: str) -> dict | None:
    """The latest earlier delivery of the same source (other files): its usable rows per table."""
    db.run(con, "quality/create_history")
    cur = db.run(con, "quality/previous_run", {"source": source, "fingerprint": fingerprint, "run_id": run_id})
    row = cur.fetchone()
    if row is None:
        return None
    names = [d[0] for d in cur.description]
    rec = dict(zip(names, row))
    return {f"{t}_used": rec[f"{t}_used"] for t in TABLES} | {"run_id": rec["run_id"]}


def _outcome(checks: list[Check]) -> dict[str, Any]:
    return {"verdict": verdict(checks), "errors_failed": len(failed(checks, ERROR)),
            "warnings_failed": len(failed(checks, WARN))}


def record_run(con, *, run_id: str, as_of: dt.date, source: str, fingerprint: str,
               extracts: list[str], checks: list[Check], counts: dict, listed: int | None) -> None:
    """Record this run's key figures (after the staged suites)."""
    db.run(con, "quality/create_history")
    params: dict[str, Any] = {
        "run_id": run_id, "as_of": as_of, "source": source, "fingerprint": fingerprint,
        "extracts": extracts, "listed": listed, **_outcome(checks),
    }
    for t in TABLES:
        c = counts[t]
        params[f"{t}_read"], params[f"{t}_loaded"] = c["rows_read"], c["rows_loaded"]
        params[f"{t}_quarantined"] = c["rows_quarantined"]
        params[f"{t}_used"] = c.get("rows_current", c["rows_loaded"])
    db.run(con, "quality/record_history", params)


def record_list(con, run_id: str, checks: list[Check], listed: int) -> None:
    """Update this run's history row once the list suite has run."""
    db.run(con, "quality/create_history")
    db.run(con, "quality/update_history", {"run_id": run_id, "listed": listed, **_outcome(checks)})


def trend(con, source: str, runs: int) -> list[dict]:
    """The last `runs` deliveries of a source (latest run of each), oldest first."""
    db.run(con, "quality/create_history")
    cur = db.run(con, "quality/trend", {"source": source, "runs": runs})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
