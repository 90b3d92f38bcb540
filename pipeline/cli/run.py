"""`matac run`: ingest extracts and publish the priority list (see
`pipeline.orchestration.runner.run_cycle`; exit codes there)."""

from __future__ import annotations

import argparse

from pipeline.cli import args as opts
from pipeline.orchestration import timing
from pipeline.orchestration.runner import run_cycle
from pipeline.orchestration.timing import process_start


def register(sub) -> None:
    p = opts.command(
        sub, "run", "ingest extracts and publish the priority list",
        "Ingest one or more extracts (later supersedes earlier), apply the MATAC rule at the "
        "as-of date and publish the priority list and data-quality report.", main,
    )
    opts.add_extracts(p)
    p.add_argument("--as-of", type=opts.iso_date, metavar="YYYY-MM-DD",
                   help="as-of date (default: the latest occurred_date loaded)")
    p.add_argument("--out", metavar="DIR", help="output folder (default output/<as-of>/)")
    p.add_argument("--rebuild", action="store_true",
                   help="read every extract file again, even those loaded by an earlier run "
                   "(by default a file with the same sha256 is not read again)")
    p.add_argument("--relink", action="store_true",
                   help="compare every pair of nominal records again (a full identity re-link; "
                   "by default only pairs with a new or changed nominal; --rebuild implies it)")
    opts.add_config(p)
    opts.add_wait_timeout(p)


def main(args: argparse.Namespace) -> int:
    return opts.report(
        "run",
        lambda: run_cycle(args.extract, args.as_of, args.out, args.config,
                          wait_timeout=args.wait_timeout, rebuild=args.rebuild,
                          relink=args.relink, started=process_start()),
        lambda o, seconds: (f"published: {o.out_dir} (as of {o.as_of}) in {seconds:.1f}s\n"
                            + timing.line(o.timings)),
    )
