"""`matac bench`: the command (registered by `pipeline.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.bench import BenchError
from pipeline.bench.extract import CACHE_DIR

DEFAULT_INCIDENTS = 1_000_000
DEFAULT_REPEAT = 3
DEFAULT_SEED = 1
DEFAULT_EXTRACTS = 6


def register(sub) -> None:
    p = sub.add_parser(
        "bench",
        help="benchmark a whole run against pandas and single-query baselines",
        description="Generate (once, cached in .bench_cache/) a synthetic Parquet extract of N "
        "incidents, then time `matac run` on it (wall time, peak memory, each stage) and three "
        "baselines on the same data: plain pandas, one DuckDB query over the files (floor) and "
        "DuckDB loading them into a database file before that query (persisted floor). The "
        "baselines must produce the same list. With --incremental: E monthly extracts, a fresh "
        "run over all of them against an incremental run adding the last one. Results: "
        "output/bench/bench-<N>.json (incremental-<N>.json) and scaling.svg.",
    )
    p.add_argument("--incidents", type=int, default=DEFAULT_INCIDENTS, metavar="N",
                   help=f"incidents in the synthetic extract (default {DEFAULT_INCIDENTS:,})")
    p.add_argument("--repeat", type=int, default=DEFAULT_REPEAT, metavar="R",
                   help=f"repetitions; medians are quoted (default {DEFAULT_REPEAT})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="synthetic data seed (default 1)")
    p.add_argument("--cache", type=Path, default=CACHE_DIR, metavar="DIR",
                   help="where extracts and the run workspace are kept (default .bench_cache/)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="where results are written (default <output.directory>/bench/)")
    p.add_argument("--linked", action="store_true",
                   help="also time the run with identity linkage (its own list; the baselines "
                   "and the default run resolve identity by PNC id only); with --incremental: "
                   "run both incremental runs linked")
    p.add_argument("--incremental", action="store_true",
                   help="measure an incremental cycle: a fresh run over E monthly extracts "
                   "against a run adding the last extract to a database holding the others")
    p.add_argument("--extracts", type=int, default=DEFAULT_EXTRACTS, metavar="E",
                   help=f"with --incremental: monthly extracts in all, as `matac synth "
                   f"--extracts` writes them (default {DEFAULT_EXTRACTS})")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pipeline.bench.incremental import incremental_bench
    from pipeline.bench.run import bench

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    out = args.out.resolve() if args.out else None
    try:
        if args.incremental:
            doc = incremental_bench(args.incidents, args.extracts, args.repeat, args.seed,
                                    args.cache.resolve(), out, say,
                                    "linked" if args.linked else "pnc_only")
        else:
            doc = bench(args.incidents, args.repeat, args.seed, args.cache.resolve(), out, say,
                        args.linked)
    except BenchError as exc:
        print(f"matac bench: FAILED: {exc}", file=sys.stderr)
        return 1
    what = f"{args.extracts} monthly extracts, " if args.incremental else ""
    print(f"matac bench: {args.incidents:,} incidents, {what}seed {args.seed}, "
          f"{args.repeat} repetition(s), medians; load average before "
          f"{doc['load_average_before'][0]:.2f}, after {doc['load_average_after'][0]:.2f}")
    print(doc["table"])
    print(doc["line"])
    return 0
