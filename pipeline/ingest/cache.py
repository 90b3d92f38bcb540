"""Incremental ingest: the files of earlier runs are not read, parsed or checked again.

What staging does to one file - reading it, parsing every value, the reason a row cannot be
used on its own, duplicates within the file, rows the CSV reader rejects - depends only on the
file's bytes and on the code and contract that read it. So it is kept in the DuckDB file, per
file, in the `cache_*` tables (`sql/cache/`), under a `file_key`: the sha256 of the bytes, the
table, and `fingerprint()` of everything that decides how a file is read and checked. A run
reads the files whose key is not kept, keeps what they give, and builds its staging tables from
the kept rows of the files it names, joined to its own order of the files (`raw_files`: file_id,
extract_seq); supersession across extracts and everything after are recomputed every run. The
kept files are exactly those of the latest run: the others are forgotten (a removed extract, a
corrected delivery's old bytes). `rebuild` forgets everything first (`matac run --rebuild`).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import duckdb

from pipeline.core import contract, db
from pipeline.core.settings import REPO_ROOT
from pipeline.core.steps import run_layer

# What decides how one file is read and checked (besides its bytes): the contract, the SQL of
# the raw layer, the per-file checks and their macros, the Python that inspects and reads files.
FINGERPRINT_SOURCES = ("sql/raw", "sql/cache", "sql/macros", "pipeline/ingest/read.py",
                       "pipeline/ingest/discover.py", "pipeline/core/contract.py")
KEPT_TABLES = ("incidents", "persons", "involvements", "malformed_rows")


@lru_cache(maxsize=None)
def fingerprint() -> str:
    """sha256 of the contract version, DuckDB's version and the text of every source in
    FINGERPRINT_SOURCES: a change to any of them makes every file read again."""
    digest = hashlib.sha256(f"contract {contract.VERSION}; duckdb {duckdb.__version__}".encode())
    return sources_digest(digest, FINGERPRINT_SOURCES)


def sources_digest(digest, sources: tuple[str, ...]) -> str:
    """`digest` (a hashlib object) updated with the path and text of each source (a file, or a
    folder's *.sql files, relative to the repository), as hex."""
    for source in sources:
        path = REPO_ROOT / source
        for file in sorted(path.glob("*.sql")) if path.is_dir() else [path]:
            digest.update(f"\n{file.relative_to(REPO_ROOT)}\n".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def file_key(sha256: str, table: str) -> str:
    return hashlib.sha256(f"{sha256}/{table}/{fingerprint()}".encode()).hexdigest()


def kept_files(con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> dict[str, int]:
    """The kept files (file_key -> rows read); with `rebuild`, none (all forgotten). Run after
    raw_files is re-created."""
    _drop_if_stale(con, rebuild)
    db.run(con, "cache/cache_files")
    return {key: int(rows) for key, rows in db.run(con, "cache/cached_files").fetchall()}


def _drop_if_stale(con: duckdb.DuckDBPyConnection, rebuild: bool) -> None:
    """Drop the kept tables when they were made under another fingerprint (another version of
    the code or contract, whose tables may have other columns) or on `rebuild`; they are made
    again, empty, with the current columns."""
    db.run(con, "cache/cache_fingerprint")
    saved = db.run(con, "cache/saved_fingerprint").fetchone()
    if rebuild or saved is None or saved[0] != fingerprint():
        for table in ("files", *KEPT_TABLES):
            db.run(con, f"cache/drop_{table}")
        db.run(con, "cache/save_fingerprint", {"fingerprint": fingerprint()})


def keep_new_files(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Forget the kept files this run does not name, then parse and check the files read in
    this run (`raw_files.loaded`) and keep them, in one transaction (a failed or killed run
    keeps nothing half). Returns timings."""
    timings = run_layer(con, "cache").timings
    con.begin()
    try:
        db.run(con, "cache/forget_files")
        for table in KEPT_TABLES:
            db.run(con, f"cache/prune_{table}")
        for table in KEPT_TABLES:
            timings[f"cache/keep_{table}"] = round(db.run_timed(con, f"cache/keep_{table}"), 3)
        db.run(con, "cache/keep_files")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return timings
