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


def register(sub) -> None:
    p = sub.add_parser(
        "bench",
        help="benchmark a whole run against a pandas and a single-query baseline",
        description="Generate (once, cached in .bench_cache/) a synthetic Parquet extract of N "
        "incidents, then time `matac run` on it (wall time, peak memory, each stage) and two "
        "baselines on the same data: plain pandas and one DuckDB query. The baselines must "
        "produce the same list. Results: output/bench/bench-<N>.json and scaling.svg.",
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
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    from pipeline.bench.run import bench

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        doc = bench(args.incidents, args.repeat, args.seed, args.cache.resolve(),
                    args.out.resolve() if args.out else None, say)
    except BenchError as exc:
        print(f"matac bench: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"matac bench: {args.incidents:,} incidents, seed {args.seed}, "
          f"{args.repeat} repetition(s), medians; load average before "
          f"{doc['load_average_before'][0]:.2f}, after {doc['load_average_after'][0]:.2f}")
    print(doc["table"])
    print(doc["line"])
    return 0
