"""One run at a time on the project state.

A run holds the project state - the DuckDB file and what the Dagster instance records about
it - exclusively from its first step to publication, whoever started it: `matac run` and
`matac backfill` take the lock before their first Dagster run and keep it across their runs;
a run launched by the daemon (schedule, sensor, UI) takes it when its resources are set up
(`ProjectDuckDB`, below, is the DuckDB resource every asset uses) and releases it at the end.
A second run waits, saying who holds the lock (run id, pid, host, since when), up to its wait
timeout, then fails with a clear message (exit 2 from the CLI); it never interleaves.

The lock is an OS file lock (`filelock`) on `<database>.lock`: the operating system releases it
when the holder dies, even with kill -9. The holder is described in `<database>.lock.json`
(ids only, no personal data). Within one process the lock is re-entrant, so the CLI's runs do
not wait for themselves.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import filelock

POLL_SECONDS = 0.5
_HELD: dict[str, list] = {}  # lock path -> [FileLock, depth] held by this process
_GUARD = threading.Lock()


class StateBusyError(RuntimeError):
    """The project state stayed in use by another run for longer than the wait timeout."""


def lock_path(database: Path) -> Path:
    return Path(f"{database}.lock")


def holder(database: Path) -> dict | None:
    """Who holds the lock, as the holder described itself (None if nobody says)."""
    try:
        return json.loads(Path(f"{database}.lock.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def describe(info: dict | None) -> str:
    if not info:
        return "another run"
    return (f"{info.get('run', '?')} ({info.get('trigger', '?')}, pid {info.get('pid', '?')} "
            f"on {info.get('host', '?')}, since {info.get('since', '?')})")


@contextmanager
def hold(database: Path, run: str, trigger: str, wait_seconds: float,
         say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project state lock for `database`; wait at most `wait_seconds` for it."""
    database = Path(database).resolve()
    key = str(lock_path(database))
    with _GUARD:
        if key in _HELD:
            _HELD[key][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _GUARD:
                _HELD[key][1] -= 1
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(key, thread_local=False)
    _acquire(lock, database, wait_seconds, say)
    info_path = Path(f"{database}.lock.json")
    info = {"run": run, "trigger": trigger, "pid": os.getpid(), "host": socket.gethostname(),
            "since": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    info_path.write_text(json.dumps(info), encoding="utf-8")
    with _GUARD:
        _HELD[key] = [lock, 1]
    try:
        yield
    finally:
        with _GUARD:
            del _HELD[key]
        info_path.unlink(missing_ok=True)
        lock.release()


def _acquire(lock: filelock.FileLock, database: Path, wait_seconds: float,
             say: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + max(0.0, wait_seconds)
    told = None
    while True:
        try:
            lock.acquire(timeout=0)
            return
        except filelock.Timeout:
            pass
        who = describe(holder(database))
        if time.monotonic() >= deadline:
            raise StateBusyError(
                f"the project state ({database}) is in use by {who}; gave up after waiting "
                f"{wait_seconds:g}s (raise --wait-timeout or storage.lock_wait_seconds, or try "
                "again later)"
            )
        if say is not None and who != told:
            say(f"waiting for {who} to finish with {database} (up to {wait_seconds:g}s)")
            told = who
        time.sleep(POLL_SECONDS)
