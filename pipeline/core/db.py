"""DuckDB access: connections and running the SQL files under `sql/` with bound parameters."""

from __future__ import annotations

import re
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from pipeline.core.settings import REPO_ROOT, Settings

SQL_DIR = REPO_ROOT / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    """The text of `sql/<name>.sql` (e.g. 'staging/stg_incidents')."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def sql_params(name: str) -> frozenset[str]:
    """Names of the `$parameters` a SQL file uses (comments stripped first)."""
    text = re.sub(r"--[^\n]*", "", sql_text(name))
    return frozenset(_PARAM.findall(text))


def bind(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The values a SQL file needs, taken from `params`; a missing one is a programming error."""
    needed = sql_params(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"sql/{name}.sql needs parameters {sorted(missing)}")
    return {k: params[k] for k in needed}


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    """Execute one SQL file; values reach SQL only as bound parameters."""
    return con.execute(sql_text(name), bind(name, params or {}))


def one_row(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> dict:
    """The single row a SQL file returns, as a dict keyed by column name."""
    cur = run(con, name, params)
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row))


def run_timed(con, name: str, params: dict[str, Any] | None = None) -> float:
    start = time.perf_counter()
    run(con, name, params)
    return time.perf_counter() - start


def relation(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None):
    return con.sql(sql_text(name), params=bind(name, params or {}))


def connection_config(settings: Settings) -> dict[str, Any]:
    """DuckDB's configuration for every connection the pipeline opens (the one place)."""
    config: dict[str, Any] = {
        "memory_limit": settings.storage.memory_limit,
        "preserve_insertion_order": True,
    }
    if settings.storage.threads:
        config["threads"] = settings.storage.threads
    return config


def connect(settings: Settings, path: Path | None = None, read_only: bool = False):
    db_path = Path(path) if path else settings.database_path
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(db_path), read_only=read_only, config=connection_config(settings))


# --------------------------------------------------------------------------------- models
_CREATES = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(?:TABLE|VIEW|MACRO)\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_][a-z0-9_]*)",
    re.IGNORECASE | re.MULTILINE,
)


@lru_cache(maxsize=None)
def models(layer: str) -> tuple[str, ...]:
    """The models of `sql/<layer>/` in the order they must run, as dbt derives it: a model is
    a file that creates the table or view named after the file, and it depends on every other
    model of the layer whose name its text mentions. Other files in the folder are queries,
    run by name. Ties are broken by name, so the order is stable."""
    folder = SQL_DIR / layer
    names = sorted(p.stem for p in folder.glob("*.sql"))
    own = {
        n for n in names
        if any(m.lower() == n for m in _CREATES.findall(sql_text(f"{layer}/{n}")))
    }
    deps = {}
    for n in own:
        text = re.sub(r"--[^\n]*", "", sql_text(f"{layer}/{n}"))
        deps[n] = {m for m in own - {n} if re.search(rf"\b{m}\b", text)}
    ordered: list[str] = []
    while len(ordered) < len(own):
        ready = sorted(n for n in own if n not in ordered and deps[n] <= set(ordered))
        if not ready:
            raise RuntimeError(f"sql/{layer}: models depend on each other in a cycle")
        ordered.append(ready[0])
    return tuple(f"{layer}/{n}" for n in ordered)
