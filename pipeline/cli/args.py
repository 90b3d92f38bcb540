"""What the `matac` commands share: date arguments, the common options, and turning an
expected error into one line on stderr and an exit code (no traceback)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any

EXIT_USAGE = 2


def iso_date(text: str) -> dt.date:
    """argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def command(sub, name: str, help: str, description: str,
            func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """Add the sub-command `name`, whose `func(args)` returns the exit code."""
    p = sub.add_parser(name, help=help, description=description)
    p.set_defaults(func=func)
    return p


def add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="settings file overriding the defaults")


def add_extracts(p: argparse.ArgumentParser, action: str = "append") -> None:
    kwargs = {"nargs": "+"} if action == "extend" else {}
    p.add_argument("--extract", action=action, required=True, metavar="DIR", **kwargs,
                   help="extract folder (repeat; applied in the order given, later supersedes "
                   "earlier)")


def add_wait_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait-timeout", type=float, metavar="SECONDS",
                   help="how long to wait while another run holds the project state, then fail "
                   "with exit 2 (default: setting storage.lock_wait_seconds; 0 = do not wait)")


def report(name: str, call: Callable[[], Any], success: Callable[[Any, float], str]) -> int:
    """Run `call()` (returning an outcome with `exit_code` and `message`), then print one line:
    `success(outcome, seconds)` on stdout, or `matac <name>: <message>` on stderr."""
    from pipeline.core.settings import SettingsError

    start = time.perf_counter()
    try:
        outcome = call()
    except SettingsError as exc:
        return fail(name, str(exc))
    if outcome.exit_code != 0:
        return fail(name, outcome.message, outcome.exit_code)
    print(success(outcome, time.perf_counter() - start))
    return 0


def fail(name: str, message: str, code: int = EXIT_USAGE) -> int:
    """Print `matac <name>: <message>` on stderr and return the exit code."""
    print(f"matac {name}: {message}", file=sys.stderr)
    return code
