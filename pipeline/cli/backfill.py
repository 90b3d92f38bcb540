"""`matac backfill`: what would the list have been on each cycle date? Ingests the extracts once,
then publishes every cycle date in [--from, --to] as its own as-of partition run (incidents after
each date are ignored, so the history is honest). Each list goes to <out-root>/<as-of>/.

Re-running a date with the same extracts and settings rewrites byte-identical lists.
Exit codes as `matac run`; the first failing date stops the back-fill.
"""

from __future__ import annotations

import argparse

from pipeline.cli import args as opts
from pipeline.orchestration.runner import backfill


def register(sub) -> None:
    p = opts.command(
        sub, "backfill",
        "publish the list for every cycle date in a date range (back-testing history)",
        "Ingest the extracts once, then publish the priority list as of every cycle date "
        "(schedule.cycle_start + k * schedule.cycle_days) between --from and --to, each as one "
        "as-of partition run, to <out-root>/<as-of>/.", main,
    )
    opts.add_extracts(p, action="extend")
    p.add_argument("--from", dest="start", type=opts.iso_date, required=True, metavar="YYYY-MM-DD",
                   help="first date of the range (included)")
    p.add_argument("--to", dest="end", type=opts.iso_date, required=True, metavar="YYYY-MM-DD",
                   help="last date of the range (included)")
    opts.add_config(p)
    opts.add_wait_timeout(p)
    p.add_argument("--out-root", metavar="DIR",
                   help="write each list to DIR/<as-of>/ (default: output.directory)")


def main(args: argparse.Namespace) -> int:
    return opts.report(
        "backfill",
        lambda: backfill(args.extract, args.start, args.end, args.config, args.out_root,
                         wait_timeout=args.wait_timeout),
        lambda o, seconds: f"published {len(o.out_dirs)} cycle dates ({o.dates[0]} to "
        f"{o.dates[-1]}) in {seconds:.1f}s (back-fill {o.backfill_id})",
    )
