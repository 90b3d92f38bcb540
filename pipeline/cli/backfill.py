"""`matac backfill`: what would the list have been on each cycle date? Ingests the extracts once,
then publishes every cycle date in [--from, --to] as its own as-of partition run (incidents after
each date are ignored, so the history is honest). Each list goes to <out-root>/<as-of>/.

Re-running a date with the same extracts and settings rewrites byte-identical lists.
Exit codes as `matac run`; the first failing date stops the back-fill.
"""

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
from pipeline.orchestration.runner import EXIT_OK, backfill


def register(sub) -> None:
    p = command(
        sub, "backfill",
        "publish the list for every cycle date in a date range (back-testing history)",
        "Ingest the extracts once, then publish the priority list as of every cycle date "
        "(schedule.cycle_start + k * schedule.cycle_days) between --from and --to, each as one "
        "as-of partition run, to <out-root>/<as-of>/.", main,
    )
    add_extracts(p, action="extend")
    p.add_argument("--from", dest="start", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help="first date of the range (included)")
    p.add_argument("--to", dest="end", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help="last date of the range (included)")
    add_config(p)
    add_wait_timeout(p)
    p.add_argument("--out-root", metavar="DIR",
                   help="write each list to DIR/<as-of>/ (default: output.directory)")


def main(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    try:
        outcome = backfill(args.extract, args.start, args.end, args.config, args.out_root,
                           wait_timeout=args.wait_timeout)
    except SettingsError as exc:
        return fail("backfill", str(exc))
    if outcome.exit_code != EXIT_OK:
        return fail("backfill", outcome.message, outcome.exit_code)
    print(f"published {len(outcome.out_dirs)} cycle dates ({outcome.dates[0]} to "
          f"{outcome.dates[-1]}) in {time.perf_counter() - start:.1f}s "
          f"(back-fill {outcome.backfill_id})")
    return EXIT_OK
