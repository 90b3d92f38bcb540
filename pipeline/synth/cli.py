"""`matac synth`: the command line of the generator (prints the summary as JSON on stdout,
progress on stderr; exit code 2 on bad arguments)."""

from __future__ import annotations

import argparse
import json

from pipeline.cli.args import command, fail, iso_date
from pipeline.synth.generate import DEFAULT_AS_OF, SynthError, generate


def _run(args: argparse.Namespace) -> int:
    try:
        summary = generate(
            args.out, args.incidents, seed=args.seed, fmt=args.format, as_of=args.as_of,
            dirty=args.dirty, years=args.years, extracts=args.extracts, progress=True,
        )
    except SynthError as exc:
        return fail("synth", f"error: {exc}")
    print(json.dumps(summary, indent=2))
    return 0


def register(subparsers) -> None:
    p = command(
        subparsers, "synth",
        help="generate a realistic synthetic police extract",
        description="Generate synthetic incidents/persons/involvements tables in the input "
                    "contract, with a ground truth in OUT/_truth/.",
        func=_run,
    )
    p.add_argument("--incidents", type=int, required=True, metavar="N",
                   help="number of incidents to generate (whole history)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv",
                   help="file format (default csv)")
    p.add_argument("--as-of", type=iso_date, default=DEFAULT_AS_OF, metavar="YYYY-MM-DD",
                   help="last day of the history (default 2026-10-31)")
    p.add_argument("--dirty", type=float, default=0.0, metavar="RATE",
                   help="defects injected per row per table (default 0)")
    p.add_argument("--years", type=int, default=5, metavar="Y",
                   help="history length in years (default 5)")
    p.add_argument("--extracts", type=int, default=1, metavar="K",
                   help="monthly overlapping extracts ending at --as-of (default 1)")
