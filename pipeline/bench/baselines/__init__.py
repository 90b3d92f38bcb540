"""The bench's three baselines, each run in a fresh process by `matac bench`:

    python -m pipeline.bench.baselines {pandas,floor,persisted} --extract DIR [--config FILE]
        --result CSV

computes the list, writes it to CSV and prints `{"seconds": .., "rows": ..}` (the work only:
imports are start-up; the persisted floor adds `load_s`, the part of it spent loading).
`pandas_rule` is the plain pandas version, `floor` the single DuckDB query over the files in
memory, `persisted` DuckDB loading the files into a database file (next to the result CSV) and
then the same query. All must give exactly the pipeline's list (`compare`)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.bench import BenchError

BASELINES = ("pandas", "floor", "persisted")
MODULE = "pipeline.bench.baselines"


def main(argv: list[str]) -> int:
    """Entry point of a baseline subprocess: compute the list, write it, print the seconds."""
    from pipeline.core.settings import load_settings

    p = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    p.add_argument("kind", choices=BASELINES)
    p.add_argument("--extract", required=True)
    p.add_argument("--config")
    p.add_argument("--result", required=True)
    args = p.parse_args(argv)
    settings = load_settings(args.config)
    import duckdb  # noqa: F401
    import pandas  # noqa: F401  (imports are start-up, not work)

    from pipeline.bench.baselines import floor
    from pipeline.bench.baselines.pandas_rule import pandas_baseline

    folder, extra = Path(args.extract), {}
    start = time.perf_counter()
    if args.kind == "persisted":
        df, extra = floor.persisted_baseline(folder, settings, Path(args.result).with_suffix(".duckdb"))
    else:
        df = (pandas_baseline if args.kind == "pandas" else floor.floor_baseline)(folder, settings)
    seconds = time.perf_counter() - start
    df.to_csv(args.result, index=False)
    print(json.dumps({"seconds": seconds, "rows": len(df), **extra}))
    return 0


def compare(kind: str, expected, got) -> None:
    """The baseline's list must be the pipeline's: same length, ids, ranks and scores."""
    import pandas as pd

    cols = ["rank", "perpetrator_id", "rfg_score"]
    a = expected[cols].reset_index(drop=True).astype({"rank": "int64", "rfg_score": "float64",
                                                     "perpetrator_id": str})
    b = got[cols].reset_index(drop=True).astype({"rank": "int64", "rfg_score": "float64",
                                                "perpetrator_id": str})
    if len(a) != len(b):
        raise BenchError(f"{kind} baseline lists {len(b):,} perpetrators, the pipeline {len(a):,}")
    diff = ~((a["rank"] == b["rank"]) & (a["perpetrator_id"] == b["perpetrator_id"])
             & (a["rfg_score"] == b["rfg_score"]))
    if diff.any():
        i = int(diff.to_numpy().nonzero()[0][0])
        raise BenchError(
            f"{kind} baseline disagrees with the pipeline at row {i + 1} ({int(diff.sum()):,} rows "
            f"differ): pipeline {a.iloc[i].to_dict()} vs {kind} {b.iloc[i].to_dict()}"
        )
    if not pd.api.types.is_integer_dtype(a["rank"]):
        raise BenchError("ranks are not integers")
