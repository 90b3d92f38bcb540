"""`matac bench --incremental`: the cost of one incremental cycle against a fresh run.

For N incidents and E monthly extracts (as `matac synth --extracts E` writes them: the first
holds the history up to its month, each later one re-exports the last 12 months), cached like
the single extract. Each repetition, in a private workspace:

1. fresh: `matac run` over all E extracts into a new database (every file read);
2. history: `matac run` over the first E-1 extracts into a new database (not timed against);
3. incremental: `matac run` over all E, keeping that database, so the E-1 extracts' files are
   reused (README, Incremental cycles) and only the new extract is read.

The two runs over all E must publish the same `priority_list.csv`, byte for byte, and the
incremental one must have reused every earlier file, or the bench fails. Final line:

    bench-incremental incidents=N extracts=E fresh_s=.. incremental_s=.. ratio=.. stages_ratio=..

(ratio = incremental / fresh, the median of the per-repetition ratios; stages_ratio the same
without 'other', the start-up, Dagster and data-quality time every run pays); the JSON document is
`incremental-<N>.json` beside the `bench-<N>.json` files, and feeds the same scaling plot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipeline.bench import BenchError, report
from pipeline.bench.extract import (
    CACHE_DIR,
    TABLES,
    ensure_extract,
    extract_rows,
    monthly_extracts,
)
from pipeline.bench.run import Workspace, context, repeated, run_pipeline
from pipeline.core import db
from pipeline.core.settings import load_settings


def _timed(months: list[Path], ws: Workspace, identity: str | None) -> tuple[dict, bytes]:
    """One run; with the files it read and reused (the raw step's counts in the step log)."""
    import duckdb

    run = run_pipeline(months, ws, identity)
    with duckdb.connect(str(ws.root / "matac.duckdb"), read_only=True) as con:
        log = db.run(con, "ops/read_step_log").fetchall()
    counts = json.loads(next(r[-1] for r in log if r[0] == "raw_extracts"))
    run["files_read"], run["files_reused"] = counts["files_read"], counts["files_reused"]
    return run, (ws.out / "priority_list.csv").read_bytes()


def repetition(i: int, repeat: int, months: list[Path], ws: Workspace, identity: str,
               say) -> dict:
    """Fresh over all extracts, then the history and the incremental run over all of them."""
    tag = f"bench: incremental {i + 1}/{repeat}"
    say(f"{tag}: fresh run over all {len(months)} extracts ...")
    fresh, fresh_list = _timed(months, ws, identity)
    say(f"{tag}: history run over the first {len(months) - 1} extracts ...")
    history, _ = _timed(months[:-1], ws, identity)
    shutil.rmtree(ws.out, ignore_errors=True)  # the database and its kept files stay
    say(f"{tag}: incremental run adding {months[-1].name} ...")
    inc, inc_list = _timed(months, ws, None)
    if inc_list != fresh_list:
        raise BenchError("the incremental run published another priority_list.csv than the "
                         "fresh run over the same extracts")
    expected_reused = len(TABLES) * (len(months) - 1)
    if inc["files_reused"] != expected_reused:
        raise BenchError(f"the incremental run reused {inc['files_reused']} files, not the "
                         f"{expected_reused} of the earlier extracts")
    say(f"{tag}: fresh {fresh['run_s']:.1f}s, incremental {inc['run_s']:.1f}s "
        f"({inc['run_s'] / fresh['run_s']:.0%}); {inc['listed']:,} listed (same list)")
    return {"fresh": fresh, "history": history, "incremental": inc}


def _work(run: dict) -> float:
    return run["run_s"] - run["stages"].get("other", 0.0)


def summarise(reps: list[dict]) -> dict:
    med = report._median

    def stages(kind):
        names = [*report.STAGES, "publish", "other"]
        return {n: med([r[kind]["stages"][n] for r in reps if n in r[kind]["stages"]])
                for n in names if any(n in r[kind]["stages"] for r in reps)}

    return {
        "fresh_s": med([r["fresh"]["run_s"] for r in reps]),
        "incremental_s": med([r["incremental"]["run_s"] for r in reps]),
        "ratio": med([r["incremental"]["run_s"] / r["fresh"]["run_s"] for r in reps]),
        # the same without 'other' (start-up, Dagster, data quality), a cost paid by every run
        "stages_ratio": med([_work(r["incremental"]) / _work(r["fresh"]) for r in reps]),
        "fresh_peak_mb": max(r["fresh"]["peak_mb"] for r in reps),
        "incremental_peak_mb": max(r["incremental"]["peak_mb"] for r in reps),
        "fresh_stages": stages("fresh"),
        "incremental_stages": stages("incremental"),
        "fresh_parts": report.median_parts([r["fresh"] for r in reps]),
        "incremental_parts": report.median_parts([r["incremental"] for r in reps]),
    }


def final_line(incidents: int, extracts: int, s: dict) -> str:
    return (f"bench-incremental incidents={incidents} extracts={extracts} "
            f"fresh_s={s['fresh_s']:.2f} incremental_s={s['incremental_s']:.2f} "
            f"ratio={s['ratio']:.2f} stages_ratio={s['stages_ratio']:.2f} fresh_peak_mb={s['fresh_peak_mb']:.0f} "
            f"incremental_peak_mb={s['incremental_peak_mb']:.0f}")


def table(s: dict) -> str:
    rows = [(f"  {n}", s["fresh_stages"].get(n), s["incremental_stages"].get(n))
            for n in [*report.STAGES, "publish", "other"]]
    rows += [(f"    run's time: {n}", s["fresh_parts"].get(n), s["incremental_parts"].get(n))
             for n in dict.fromkeys([*s["fresh_parts"], *s["incremental_parts"]])]
    rows += [("matac run (wall, s)", s["fresh_s"], s["incremental_s"]),
             ("peak memory (MB)", s["fresh_peak_mb"], s["incremental_peak_mb"])]
    width = max(len(r[0]) for r in rows) + 2
    lines = [" " * width + f"{'fresh':>12}{'incremental':>12}"]
    for label, a, b in rows:
        cells = "".join(f"{'' if v is None else format(v, '.0f' if v >= 100 else '.2f'):>12}"
                        for v in (a, b))
        lines.append(f"{label:<{width}}{cells}")
    lines.append(f"{'incremental / fresh':<{width}}{'':>12}{s['ratio']:>12.2f}")
    lines.append(f"{'  the same without other':<{width}}{'':>12}{s['stages_ratio']:>12.2f}")
    return "\n".join(lines)


def incremental_bench(incidents: int, extracts: int, repeat: int, seed: int,
                      cache: Path = CACHE_DIR, out_dir: Path | None = None, say=print,
                      identity: str = "pnc_only") -> dict:
    """Measure; returns the JSON document (also written to `out_dir`)."""
    if incidents < 1 or repeat < 1 or extracts < 2:
        raise BenchError("--incidents and --repeat must be at least 1, --extracts at least 2")
    settings = load_settings()
    out_dir = out_dir or settings.path(settings.output.directory) / "bench"
    folder = ensure_extract(incidents, seed, cache, say, extracts)
    months = monthly_extracts(folder)
    reps, load_before, started = repeated(
        Workspace(cache / f"work-incremental-{incidents}-seed{seed}"), repeat,
        lambda i, ws: repetition(i, repeat, months, ws, identity, say))
    summary = summarise(reps)
    doc = {
        "incidents": incidents,
        "extracts": [m.name for m in months],
        "seed": seed,
        "repeat": repeat,
        "identity": identity,
        "rows": extract_rows(folder),
        "rows_new_extract": extract_rows(months[-1]),
        **context(settings, load_before, started),
        "summary": summary,
        "repetitions": reps,
        "line": final_line(incidents, len(months), summary),
        "table": table(summary),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"incremental-{incidents}.json").write_text(json.dumps(doc, indent=2) + "\n",
                                                          encoding="utf-8")
    report.write_plot(out_dir)
    return doc
