"""`matac bench`: how long a whole `matac run` takes and how much memory it needs at a given
size, against two baselines on the same data, in the same process run.

For N incidents (default 1M) it generates a clean synthetic Parquet extract with
`pipeline.synth.generate` (cached in `.bench_cache/` by N and seed: `extract`), then, R times
(default 3; `run`):

1. runs `matac run` on it as a subprocess in a private workspace (DuckDB file, output folder,
   Dagster state) and measures its wall time and the peak resident memory of its process tree
   (`measure`: sampled with psutil, children included; the kernel's own peak for the process
   is taken when it is higher);
2. reads each stage's time from the run's own `run_manifest.json` (`steps`, `publish_seconds`);
3. runs two baselines (`baselines`), each in a fresh process: a plain pandas implementation of
   the same rule and score (what an analyst would otherwise write) and one hand-written DuckDB
   query straight over the Parquet files (`sql/bench/floor.sql`: the floor). Both take the
   rule's parameters from the pipeline's own `rule_params` and `band_params`. Their time is the
   work only (reading the files and computing the list; not the interpreter start-up).

Both baselines must give exactly the list the pipeline published (same ids, ranks and scores),
or the bench fails. It prints a table (medians of the repetitions) and a last line

    bench incidents=N run_s=.. peak_mb=.. pandas_s=.. floor_s=.. vs_floor=..x vs_pandas=..x

(vs_floor = run / floor, vs_pandas = pandas / run, each the median of the per-repetition
ratios) and writes the same as JSON to `output/bench/bench-<N>.json`, plus a scaling plot of
every size measured so far (`output/bench/scaling.svg`, drawn with matplotlib; `report`).
The command itself is `cli`.
"""


class BenchError(RuntimeError):
    """The bench could not measure (a run failed) or a baseline disagrees with the pipeline."""
