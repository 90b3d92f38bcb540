"""`matac run`: ingest extracts and publish the priority list (see
`pipeline.orchestration.runner.run_cycle`; exit codes there)."""

from __future__ import annotations

import argparse
import time

from pipeline.cli.args import (
    add_config,
    add_extracts,
    add_wait_timeout,
    command,
    fail,
    iso_date,
)
from pipeline.core.settings import SettingsError
from pipeline.orchestration.runner import EXIT_OK, run_cycle


def register(sub) -> None:
    p = command(
        sub, "run", "ingest extracts and publish the priority list",
        "Ingest one or more extracts (later supersedes earlier), apply the MATAC rule at the "
        "as-of date and publish the priority list and data-quality report.", main,
    )
    add_extracts(p)
    p.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                   help="as-of date (default: the latest occurred_date loaded)")
    p.add_argument("--out", metavar="DIR", help="output folder (default output/<as-of>/)")
    add_config(p)
    add_wait_timeout(p)


def main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        outcome = run_cycle(args.extract, args.as_of, args.out, args.config,
                            wait_timeout=args.wait_timeout)
    except SettingsError as exc:
        return fail("run", str(exc))
    if outcome.exit_code != EXIT_OK:
        return fail("run", outcome.message, outcome.exit_code)
    elapsed = time.perf_counter() - start
    print(f"published: {outcome.out_dir} (as of {outcome.as_of}) in {elapsed:.1f}s")
    return EXIT_OK
