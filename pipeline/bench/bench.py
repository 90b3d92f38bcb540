"""`matac bench`: how long a whole `matac run` takes and how much memory it needs at a given
size, against two baselines on the same data, in the same process run.

For N incidents (default 1M) it generates a clean synthetic Parquet extract with
`pipeline.synth.generate` (cached in `.bench_cache/` by N and seed), then, R times (default 3):

1. runs `matac run` on it as a subprocess in a private workspace (DuckDB file, output folder,
   Dagster state) and measures its wall time and the peak resident memory of its process tree
   (sampled with psutil, children included; the kernel's own peak for the process is taken
   when it is higher);
2. reads each stage's time from the run's own `run_manifest.json` (`steps`, `publish_seconds`);
3. runs two baselines, each in a fresh process: a plain pandas implementation of the same rule
   and score (what an analyst would otherwise write) and one hand-written DuckDB query straight
   over the Parquet files (`sql/bench/floor.sql`: the floor). Their time is the work only
   (reading the files and computing the list; not the interpreter start-up).

Both baselines must give exactly the list the pipeline published (same ids, ranks and scores),
or the bench fails. It prints a table (medians of the repetitions) and a last line

    bench incidents=N run_s=.. peak_mb=.. pandas_s=.. floor_s=.. vs_floor=..x vs_pandas=..x

(vs_floor = run / floor, vs_pandas = pandas / run, each the median of the per-repetition
ratios) and writes the same as JSON to `output/bench/bench-<N>.json`, plus a scaling plot of
every size measured so far (`output/bench/scaling.svg`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.settings import REPO_ROOT, Settings, load_settings

DEFAULT_INCIDENTS = 1_000_000
DEFAULT_REPEAT = 3
DEFAULT_SEED = 1
CACHE_DIR = REPO_ROOT / ".bench_cache"
SAMPLE_SECONDS = 0.05
TABLES = ("incidents", "persons", "involvements")
BASELINES = ("pandas", "floor")
# The stages of a run as its manifest names them, in pipeline order.
STAGES = ("raw_extracts", "staged_tables", "reference_data", "person_identity",
          "scored_perpetrators", "priority_list")
MB = 1024 * 1024


class BenchError(RuntimeError):
    """The bench could not measure (a run failed) or a baseline disagrees with the pipeline."""


# --------------------------------------------------------------------------------- data
def extract_dir(incidents: int, seed: int, cache: Path = CACHE_DIR) -> Path:
    return cache / f"synth-{incidents}-seed{seed}"


def ensure_extract(incidents: int, seed: int, cache: Path = CACHE_DIR, say=print) -> Path:
    """The cached synthetic Parquet extract for (N, seed); generated once, atomically."""
    target = extract_dir(incidents, seed, cache)
    if (target / "_COMPLETE").is_file():
        return target
    from pipeline.synth import generate as synth

    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache))
    try:
        say(f"bench: generating {incidents:,} incidents (seed {seed}) into {target}")
        summary = synth.generate(tmp, incidents, seed=seed, fmt="parquet")
        (tmp / "_COMPLETE").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def extract_rows(folder: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    return {t: pq.ParquetFile(folder / f"{t}.parquet").metadata.num_rows for t in TABLES}


# --------------------------------------------------------------------- process measurement
@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Measured:
    """Run `cmd`, sampling the resident memory of its whole process tree; wall time and peak.

    The peak is the larger of the sampled tree total (children included) and the kernel's
    own high-water mark for the process (which catches spikes between samples)."""
    import psutil

    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
    root = psutil.Process(proc.pid)
    peak = 0
    status = 0
    usage = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        total = 0
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.Error:
            members = []
        for p in members:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, total)
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    kernel_peak = usage.ru_maxrss * 1024 if usage is not None else 0  # KiB on Linux
    out.seek(0)
    err.seek(0)
    return Measured(
        seconds=seconds,
        peak_mb=max(peak, kernel_peak) / MB,
        returncode=proc.returncode,
        stdout=out.read().decode("utf-8", "replace"),
        stderr=err.read().decode("utf-8", "replace"),
    )


# ------------------------------------------------------------------------------- the run
@dataclass
class Workspace:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "settings.yaml"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def state(self) -> Path:
        return self.root / "dagster_state"

    def reset(self) -> None:
        """A fresh DuckDB file and output folder for each repetition (the Dagster instance is
        kept, as it is between a user's runs)."""
        for name in ("matac.duckdb", "matac.duckdb.wal", "output", "out"):
            p = self.root / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        self.state.mkdir(parents=True, exist_ok=True)
        import yaml

        self.config.write_text(yaml.safe_dump({
            "storage": {"database": str(self.root / "matac.duckdb")},
            "output": {"directory": str(self.root / "output")},
        }), encoding="utf-8")

    def env(self) -> dict:
        env = dict(os.environ)
        env["DAGSTER_HOME"] = str(REPO_ROOT)
        env["MATAC_STATE_DIR"] = str(self.state)
        env.pop("MATAC_CONFIG", None)
        return env


def run_pipeline(extract: Path, ws: Workspace) -> dict:
    """One whole `matac run` as a subprocess: wall time, peak memory, stage times."""
    ws.reset()
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--extract", str(extract),
           "--config", str(ws.config), "--out", str(ws.out)]
    m = measure(cmd, env=ws.env(), cwd=REPO_ROOT)
    if m.returncode != 0:
        tail = "\n".join(m.stderr.strip().splitlines()[-15:])
        raise BenchError(f"matac run failed (exit {m.returncode}):\n{tail}")
    manifest = json.loads((ws.out / "run_manifest.json").read_text(encoding="utf-8"))
    steps = manifest.get("steps", {})
    stages = {s: float(steps[s]["seconds"]) for s in STAGES if s in steps}
    stages["publish"] = float(manifest.get("publish_seconds") or 0.0)
    stages["other"] = max(0.0, m.seconds - sum(stages.values()))
    return {
        "run_s": m.seconds,
        "peak_mb": m.peak_mb,
        "stages": stages,
        "as_of": manifest["as_of"],
        "listed": manifest["outputs"]["listed"],
        "incident_rows": manifest["outputs"]["incident_rows"],
    }


def published_list(ws: Workspace):
    import pandas as pd

    df = pd.read_csv(ws.out / "priority_list.csv", dtype={"perpetrator_id": str},
                     usecols=["rank", "perpetrator_id", "rfg_score"])
    return df


# ---------------------------------------------------------------------------- baselines
def pandas_baseline(folder: Path, settings: Settings):
    """The rule and the RFG score the way an analyst would write them in pandas: read the
    three Parquet files, merge, group by. Clean input assumed (no quarantine, one extract)."""
    import numpy as np
    import pandas as pd

    rule, sc = settings.rule, settings.scoring
    inc = pd.read_parquet(folder / "incidents.parquet",
                          columns=["incident_id", "occurred_date", "record_type", "offence_code",
                                   "domestic_abuse_flag"])
    per = pd.read_parquet(folder / "persons.parquet",
                          columns=["person_id", "date_of_birth", "pnc_id"])
    inv = pd.read_parquet(folder / "involvements.parquet",
                          columns=["incident_id", "person_id", "role"])
    gravity = pd.read_csv(settings.gravity_table_path, dtype=str)
    weights = dict(zip(gravity["offence_code"].str.strip().str.upper(),
                       pd.to_numeric(gravity["weight"].str.strip(), errors="coerce")))

    inc["occurred_date"] = pd.to_datetime(inc["occurred_date"])
    as_of = inc["occurred_date"].max()
    window_start = as_of - pd.DateOffset(years=rule.window_years)
    da = inc["domestic_abuse_flag"].fillna(True).astype(bool)
    inc = inc[da & inc["occurred_date"].between(window_start, as_of)].copy()
    inc["weight"] = np.where(
        inc["record_type"] == "non_crime", sc.non_crime_weight,
        inc["offence_code"].str.upper().map(weights).astype(float).fillna(sc.unknown_crime_weight),
    )

    # identity: nominals sharing a pnc_id are one person, the smallest person_id
    per["date_of_birth"] = pd.to_datetime(per["date_of_birth"])
    per["resolved_id"] = per["person_id"].where(
        per["pnc_id"].isna(), per.groupby("pnc_id")["person_id"].transform("min"))

    inv = inv[inv["role"].isin(["suspect", "offender", "victim"])]
    inv = inv.merge(inc[["incident_id", "occurred_date"]], on="incident_id")
    inv = inv.merge(per[["person_id", "resolved_id", "date_of_birth"]], on="person_id")
    day, dob = inv["occurred_date"], inv["date_of_birth"]
    age = (day.dt.year - dob.dt.year
           - ((day.dt.month * 100 + day.dt.day) < (dob.dt.month * 100 + dob.dt.day)).astype(int))
    inv = inv[dob.isna() | (age >= rule.min_age)]

    victim = inv["role"] == "victim"
    perps = inv.loc[~victim, ["incident_id", "resolved_id"]].rename(
        columns={"resolved_id": "perpetrator_id"})
    victims = inv.loc[victim, ["incident_id", "resolved_id"]].rename(
        columns={"resolved_id": "victim_id"})
    links = perps.merge(victims, on="incident_id")
    links = links[links["perpetrator_id"] != links["victim_id"]].drop_duplicates()

    per_incident = links[["perpetrator_id", "incident_id"]].drop_duplicates().merge(
        inc[["incident_id", "occurred_date", "weight"]], on="incident_id")
    stats = per_incident.groupby("perpetrator_id").agg(
        n=("incident_id", "size"), g=("weight", "sum"), last=("occurred_date", "max"))
    stats["v"] = links.groupby("perpetrator_id")["victim_id"].nunique()
    stats = stats[(stats["n"] >= rule.min_incidents) & (stats["v"] >= rule.min_victims)].copy()
    stats["d"] = (as_of - stats["last"]).dt.days

    def points(values, bands, test):
        conds = [test(values, b) for b in bands]
        return np.select(conds, [b.points for b in bands], default=0)

    r = points(stats["d"], sc.recency_bands, lambda x, b: x <= b.max_days if b.max_days is not None
               else np.ones(len(x), dtype=bool))
    f = points(stats["n"], sc.frequency_bands, lambda x, b: x >= b.min)
    g = points(stats["g"], sc.gravity_bands, lambda x, b: x >= b.min)
    v = points(stats["v"], sc.victims_bands, lambda x, b: x >= b.min)
    w = sc.weights
    stats["rfg_score"] = (r * w.recency + f * w.frequency + g * w.gravity
                          + (v * w.victims if sc.include_victims else 0))
    ranked = stats.reset_index().sort_values(
        ["rfg_score", "g", "last", "n", "perpetrator_id"],
        ascending=[False, False, False, False, True], kind="mergesort")
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return ranked[["rank", "perpetrator_id", "rfg_score"]].reset_index(drop=True)


def floor_params(folder: Path, settings: Settings) -> dict:
    rule, sc = settings.rule, settings.scoring
    return {
        "incidents_path": str(folder / "incidents.parquet"),
        "persons_path": str(folder / "persons.parquet"),
        "involvements_path": str(folder / "involvements.parquet"),
        "gravity_path": str(settings.gravity_table_path),
        "window_years": rule.window_years,
        "min_age": rule.min_age,
        "min_incidents": rule.min_incidents,
        "min_victims": rule.min_victims,
        "non_crime_weight": sc.non_crime_weight,
        "unknown_crime_weight": sc.unknown_crime_weight,
        "include_victims": sc.include_victims,
        "weight_recency": sc.weights.recency,
        "weight_frequency": sc.weights.frequency,
        "weight_gravity": sc.weights.gravity,
        "weight_victims": sc.weights.victims,
        "recency_max": [b.max_days for b in sc.recency_bands],
        "recency_points": [b.points for b in sc.recency_bands],
        "frequency_min": [b.min for b in sc.frequency_bands],
        "frequency_points": [b.points for b in sc.frequency_bands],
        "gravity_min": [b.min for b in sc.gravity_bands],
        "gravity_points": [b.points for b in sc.gravity_bands],
        "victims_min": [b.min for b in sc.victims_bands],
        "victims_points": [b.points for b in sc.victims_bands],
    }


def floor_baseline(folder: Path, settings: Settings):
    """The floor: one hand-written DuckDB query straight over the Parquet files, in memory,
    with the pipeline's memory and thread settings."""
    import duckdb

    from pipeline.core import db

    config = {"memory_limit": settings.storage.memory_limit}
    if settings.storage.threads:
        config["threads"] = settings.storage.threads
    with duckdb.connect(":memory:", config=config) as con:
        return db.run(con, "bench/floor", floor_params(folder, settings)).fetchdf()


def _baseline_main(argv: list[str]) -> int:
    """Entry point of a baseline subprocess: compute the list, write it, print the seconds."""
    p = argparse.ArgumentParser(prog="python -m pipeline.bench")
    p.add_argument("kind", choices=BASELINES)
    p.add_argument("--extract", required=True)
    p.add_argument("--config")
    p.add_argument("--result", required=True)
    args = p.parse_args(argv)
    settings = load_settings(args.config)
    fn = pandas_baseline if args.kind == "pandas" else floor_baseline
    import duckdb  # noqa: F401
    import pandas  # noqa: F401  (imports are start-up, not work)

    start = time.perf_counter()
    df = fn(Path(args.extract), settings)
    seconds = time.perf_counter() - start
    df.to_csv(args.result, index=False)
    print(json.dumps({"seconds": seconds, "rows": len(df)}))
    return 0


def run_baseline(kind: str, extract: Path, ws: Workspace) -> tuple[dict, object]:
    import pandas as pd

    result = ws.root / f"baseline_{kind}.csv"
    cmd = [sys.executable, "-m", "pipeline.bench.bench", kind, "--extract", str(extract),
           "--config", str(ws.config), "--result", str(result)]
    m = measure(cmd, env=ws.env(), cwd=REPO_ROOT)
    if m.returncode != 0:
        tail = "\n".join(m.stderr.strip().splitlines()[-15:])
        raise BenchError(f"{kind} baseline failed (exit {m.returncode}):\n{tail}")
    info = json.loads(m.stdout.strip().splitlines()[-1])
    df = pd.read_csv(result, dtype={"perpetrator_id": str})
    return {"seconds": info["seconds"], "process_s": m.seconds, "peak_mb": m.peak_mb}, df


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


# -------------------------------------------------------------------------------- report
def _median(values):
    return statistics.median(values) if values else None


def summarise(reps: list[dict]) -> dict:
    def med(key):
        return _median([r[key] for r in reps])

    stages = {}
    for name in [*STAGES, "publish", "other"]:
        vals = [r["stages"][name] for r in reps if name in r["stages"]]
        if vals:
            stages[name] = _median(vals)
    return {
        "run_s": med("run_s"),
        "peak_mb": max(r["peak_mb"] for r in reps),
        "peak_mb_median": med("peak_mb"),
        "pandas_s": _median([r["pandas"]["seconds"] for r in reps]),
        "pandas_peak_mb": _median([r["pandas"]["peak_mb"] for r in reps]),
        "floor_s": _median([r["floor"]["seconds"] for r in reps]),
        "floor_peak_mb": _median([r["floor"]["peak_mb"] for r in reps]),
        # ratios are taken within each repetition (same machine load), then the median
        "vs_floor": _median([r["run_s"] / r["floor"]["seconds"] for r in reps]),
        "vs_pandas": _median([r["pandas"]["seconds"] / r["run_s"] for r in reps]),
        "stages": stages,
    }


def final_line(incidents: int, s: dict) -> str:
    return (f"bench incidents={incidents} run_s={s['run_s']:.2f} peak_mb={s['peak_mb']:.0f} "
            f"pandas_s={s['pandas_s']:.2f} floor_s={s['floor_s']:.2f} "
            f"vs_floor={s['vs_floor']:.2f}x vs_pandas={s['vs_pandas']:.2f}x")


def table(reps: list[dict], s: dict) -> str:
    heads = [f"rep {i + 1}" for i in range(len(reps))] + ["median"]
    rows: list[tuple[str, list]] = []
    for name in [*STAGES, "publish", "other"]:
        if name in s["stages"]:
            label = {"other": "other (start-up, Dagster, data quality)"}.get(name, name)
            rows.append((f"  {label}", [r["stages"].get(name) for r in reps] + [s["stages"][name]]))
    rows.append(("matac run (wall, s)", [r["run_s"] for r in reps] + [s["run_s"]]))
    rows.append(("matac run peak memory (MB)", [r["peak_mb"] for r in reps] + [s["peak_mb_median"]]))
    rows.append(("pandas baseline (s)", [r["pandas"]["seconds"] for r in reps] + [s["pandas_s"]]))
    rows.append(("  pandas peak memory (MB)", [r["pandas"]["peak_mb"] for r in reps]
                 + [s["pandas_peak_mb"]]))
    rows.append(("floor: one DuckDB query (s)", [r["floor"]["seconds"] for r in reps] + [s["floor_s"]]))
    rows.append(("  floor peak memory (MB)", [r["floor"]["peak_mb"] for r in reps]
                 + [s["floor_peak_mb"]]))
    rows.append(("run / floor", [r["run_s"] / r["floor"]["seconds"] for r in reps] + [s["vs_floor"]]))
    rows.append(("pandas / run", [r["pandas"]["seconds"] / r["run_s"] for r in reps]
                 + [s["vs_pandas"]]))
    width = max(len(label) for label, _ in rows) + 2
    lines = [" " * width + "".join(f"{h:>10}" for h in heads)]
    for label, vals in rows:
        cells = "".join(f"{'' if v is None else format(v, '.0f' if v >= 100 else '.2f'):>10}"
                        for v in vals)
        lines.append(f"{label:<{width}}{cells}")
    return "\n".join(lines)


def _machine() -> dict:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("duckdb", "dagster", "pandas", "pyarrow"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


# ---------------------------------------------------------------------------------- plot
def scaling_svg(results: list[dict]) -> str:
    """A small log-log SVG of run time and peak memory against incidents (one point per size),
    with the floor and pandas times, drawn by hand (no plotting library needed)."""
    import math

    pts = sorted(results, key=lambda r: r["incidents"])
    W, H, L, R, T, B = 640, 400, 70, 150, 30, 50
    xs = [r["incidents"] for r in pts]
    series = [
        ("matac run (s)", "#1f77b4", [r["summary"]["run_s"] for r in pts]),
        ("floor query (s)", "#2ca02c", [r["summary"]["floor_s"] for r in pts]),
        ("pandas (s)", "#d62728", [r["summary"]["pandas_s"] for r in pts]),
        ("peak memory (GB)", "#9467bd", [r["summary"]["peak_mb"] / 1024 for r in pts]),
    ]
    ys = [v for _, _, vals in series for v in vals if v and v > 0]
    x0, x1 = math.log10(min(xs)) - 0.1, math.log10(max(xs)) + 0.1
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    if x1 - x0 < 0.5:
        x0, x1 = x0 - 0.5, x1 + 0.5
    if y1 <= y0:
        y1 = y0 + 1

    def px(x):
        return L + (math.log10(x) - x0) / (x1 - x0) * (W - L - R)

    def py(y):
        return H - B - (math.log10(y) - y0) / (y1 - y0) * (H - T - B)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{L}" y="18" font-size="13">matac bench: cost against extract size '
           f'(log-log; slope 1 = linear)</text>']
    for e in range(y0, y1 + 1):
        y = py(10 ** e)
        out.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g}</text>')
    for x in xs:
        out.append(f'<line x1="{px(x):.1f}" y1="{T}" x2="{px(x):.1f}" y2="{H - B}" stroke="#eee"/>')
        label = f"{x / 1e6:g}M" if x >= 1e6 else f"{x / 1e3:g}k"
        out.append(f'<text x="{px(x):.1f}" y="{H - B + 16}" text-anchor="middle">{label}</text>')
    out.append(f'<text x="{(L + W - R) / 2}" y="{H - 12}" text-anchor="middle">incidents</text>')
    out.append(f'<line x1="{L}" y1="{H - B}" x2="{W - R}" y2="{H - B}" stroke="black"/>')
    out.append(f'<line x1="{L}" y1="{T}" x2="{L}" y2="{H - B}" stroke="black"/>')
    for i, (name, colour, vals) in enumerate(series):
        coords = [(px(x), py(v)) for x, v in zip(xs, vals) if v and v > 0]
        if len(coords) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for a, b in coords:
            out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>')
        ly = T + 10 + 18 * i
        out.append(f'<line x1="{W - R + 10}" y1="{ly}" x2="{W - R + 30}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{W - R + 35}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_plot(out_dir: Path) -> Path | None:
    results = []
    for path in sorted(out_dir.glob("bench-*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            results.append({"incidents": doc["incidents"], "summary": doc["summary"]})
        except (OSError, ValueError, KeyError):
            continue
    if not results:
        return None
    target = out_dir / "scaling.svg"
    target.write_text(scaling_svg(results), encoding="utf-8")
    return target


# ----------------------------------------------------------------------------------- CLI
def bench(incidents: int, repeat: int, seed: int, cache: Path = CACHE_DIR,
          out_dir: Path | None = None, say=print) -> dict:
    """Measure; returns the JSON document (also written to `out_dir`)."""
    import psutil

    if incidents < 1 or repeat < 1:
        raise BenchError("--incidents and --repeat must be at least 1")
    settings = load_settings()
    out_dir = out_dir or settings.path(settings.output.directory) / "bench"
    extract = ensure_extract(incidents, seed, cache, say)
    rows = extract_rows(extract)
    ws = Workspace(cache / f"work-{incidents}-seed{seed}")
    ws.root.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = dt.datetime.now().astimezone()
    reps = []
    try:
        for i in range(repeat):
            say(f"bench: repetition {i + 1}/{repeat}: matac run on {incidents:,} incidents ...")
            rep = run_pipeline(extract, ws)
            expected = published_list(ws)
            for kind in BASELINES:
                say(f"bench: repetition {i + 1}/{repeat}: {kind} baseline ...")
                info, got = run_baseline(kind, extract, ws)
                compare(kind, expected, got)
                rep[kind] = info
            say(f"bench: repetition {i + 1}/{repeat}: run {rep['run_s']:.1f}s, "
                f"peak {rep['peak_mb']:.0f} MB, pandas {rep['pandas']['seconds']:.1f}s, "
                f"floor {rep['floor']['seconds']:.1f}s; {rep['listed']:,} listed (same list)")
            reps.append(rep)
    finally:
        ws.reset()  # leave no multi-GB database behind
    summary = summarise(reps)
    doc = {
        "incidents": incidents,
        "seed": seed,
        "repeat": repeat,
        "rows": rows,
        "started": started.isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "machine": _machine(),
        "versions": _versions(),
        "code_version": _code_version(),
        "settings": {"memory_limit": settings.storage.memory_limit,
                     "threads": settings.storage.threads or psutil.cpu_count()},
        "summary": summary,
        "repetitions": reps,
        "line": final_line(incidents, summary),
        "table": table(reps, summary),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"bench-{incidents}.json").write_text(json.dumps(doc, indent=2) + "\n",
                                                    encoding="utf-8")
    write_plot(out_dir)
    return doc


def _code_version() -> str:
    from pipeline.outputs.publish import code_version

    return code_version()


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


if __name__ == "__main__":
    sys.exit(_baseline_main(sys.argv[1:]))
