"""`matac` command line. Each subcommand lives in its own module and registers itself here."""

from __future__ import annotations

import argparse


def build_parser() -> argparse.ArgumentParser:
    from pipeline.bench import cli as bench
    from pipeline.cli import backfill, backtest, run, ui
    from pipeline.synth import cli as synth

    parser = argparse.ArgumentParser(
        prog="matac", description="Serial domestic-abuse perpetrator identification (MATAC)"
    )
    parser.add_argument("--debug", action="store_true",
                        help="print tracebacks and Dagster's log lines also for expected errors")
    sub = parser.add_subparsers(dest="command", required=True)
    run.register(sub)
    synth.register(sub)
    backfill.register(sub)
    ui.register(sub)
    bench.register(sub)
    backtest.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.debug:
        import os

        os.environ["MATAC_DEBUG"] = "1"
    code = args.func(args)
    return int(code or 0)

