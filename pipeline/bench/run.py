"""One bench at one size: the cached extract, R repetitions of a whole `matac run` (as a
subprocess in a private workspace) and of both baselines, then the results document."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from pipeline.bench import BenchError, report
from pipeline.bench.baselines import BASELINES, MODULE, compare
from pipeline.bench.extract import CACHE_DIR, ensure_extract, extract_rows
from pipeline.bench.measure import measure
from pipeline.core.settings import REPO_ROOT, load_settings


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

    def reset(self, identity: str = "pnc_only") -> None:
        """A fresh DuckDB file and output folder for each repetition (the Dagster instance is
        kept, as it is between a user's runs); runs with `identity.method` `identity`."""
        for name in ("matac.duckdb", "matac.duckdb.wal", "output", "out"):
            p = self.root / name
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        self.state.mkdir(parents=True, exist_ok=True)
        import yaml

        # PNC-only identity unless asked: the baselines join nominals by PNC id alone, so they
        # compute the same list (the linked run is timed on its own: `--linked`).
        self.config.write_text(yaml.safe_dump({
            "storage": {"database": str(self.root / "matac.duckdb")},
            "output": {"directory": str(self.root / "output")},
            "identity": {"method": identity},
            # the panel's PDF packs are timed on their own (README, panel packs); the HTML
            # packs stay in the run
            "panel": {"pdf": False},
        }), encoding="utf-8")

    def env(self) -> dict:
        env = dict(os.environ)
        env["DAGSTER_HOME"] = str(REPO_ROOT)
        env["MATAC_STATE_DIR"] = str(self.state)
        env.pop("MATAC_CONFIG", None)
        return env


def _stderr_tail(stderr: str) -> str:
    return "\n".join(stderr.strip().splitlines()[-15:])


def run_pipeline(extract: Path | list[Path], ws: Workspace, identity: str | None = "pnc_only"
                 ) -> dict:
    """One whole `matac run` over one extract or several (in order) as a subprocess: wall time,
    peak memory, stage times. A fresh workspace first, with `identity` (None: keep the
    workspace, its database and kept files, as an incremental cycle does)."""
    if identity:
        ws.reset(identity)
    extracts = extract if isinstance(extract, list) else [extract]
    cmd = [sys.executable, "-m", "pipeline.cli", "run",
           *[a for e in extracts for a in ("--extract", str(e))],
           "--config", str(ws.config), "--out", str(ws.out)]
    m = measure(cmd, env=ws.env(), cwd=REPO_ROOT)
    if m.returncode != 0:
        raise BenchError(f"matac run failed (exit {m.returncode}):\n{_stderr_tail(m.stderr)}")
    manifest = json.loads((ws.out / "run_manifest.json").read_text(encoding="utf-8"))
    steps = manifest.get("steps", {})
    stages = {s: float(steps[s]["seconds"]) for s in report.STAGES if s in steps}
    stages["publish"] = float(manifest.get("publish_seconds") or 0.0)
    stages["other"] = max(0.0, m.seconds - sum(stages.values()))
    return {
        "run_s": m.seconds,
        "peak_mb": m.peak_mb,
        "stages": stages,
        # the run's own `time:` parts (imports, Dagster, steps, checks, writing, packs...)
        "parts": (manifest.get("timings") or {}).get("parts", {}),
        "as_of": manifest["as_of"],
        "listed": manifest["outputs"]["listed"],
        "incident_rows": manifest["outputs"]["incident_rows"],
    }


def published_list(ws: Workspace):
    import pandas as pd

    return pd.read_csv(ws.out / "priority_list.csv", dtype={"perpetrator_id": str},
                       usecols=["rank", "perpetrator_id", "rfg_score"])


def run_baseline(kind: str, extract: Path, ws: Workspace) -> tuple[dict, object]:
    """One baseline in a fresh process: its own work time, process time, peak memory, list."""
    import pandas as pd

    result = ws.root / f"baseline_{kind}.csv"
    cmd = [sys.executable, "-m", MODULE, kind, "--extract", str(extract),
           "--config", str(ws.config), "--result", str(result)]
    m = measure(cmd, env=ws.env(), cwd=REPO_ROOT)
    if m.returncode != 0:
        raise BenchError(f"{kind} baseline failed (exit {m.returncode}):\n{_stderr_tail(m.stderr)}")
    info = json.loads(m.stdout.strip().splitlines()[-1])
    df = pd.read_csv(result, dtype={"perpetrator_id": str})
    return {"seconds": info["seconds"], "process_s": m.seconds, "peak_mb": m.peak_mb,
            **({"load_s": info["load_s"]} if "load_s" in info else {})}, df


def repetition(i: int, repeat: int, incidents: int, extract: Path, ws: Workspace, say,
               linked: bool = False) -> dict:
    """The run and the baselines once (a baseline that disagrees with the run fails), then with
    `linked` the run again with identity linkage (its own list: not compared)."""
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
        f"floor {rep['floor']['seconds']:.1f}s, persisted floor {rep['persisted']['seconds']:.1f}s;"
        f" {rep['listed']:,} listed (same list)")
    if linked:
        say(f"bench: repetition {i + 1}/{repeat}: matac run, identity linked ...")
        rep["linked"] = run_pipeline(extract, ws, identity="linked")
    return rep


def _code_version() -> str:
    from pipeline.outputs.publish import code_version

    return code_version()


def context(settings, load_before, started: dt.datetime) -> dict:
    """What every results document records besides its numbers: when, under what load, on what
    machine, with which versions and settings."""
    import psutil

    return {
        "started": started.isoformat(timespec="seconds"),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "machine": report.machine(),
        "versions": report.versions(),
        "code_version": _code_version(),
        "settings": {"memory_limit": settings.storage.memory_limit,
                     "threads": settings.storage.threads or psutil.cpu_count()},
    }


def repeated(ws: Workspace, repeat: int, one) -> tuple[list, tuple, dt.datetime]:
    """`one(i, ws)` for each of `repeat` repetitions in workspace `ws`, emptied afterwards (no
    multi-GB database is left behind); with the load average and the time before."""
    ws.root.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = dt.datetime.now().astimezone()
    try:
        return [one(i, ws) for i in range(repeat)], load_before, started
    finally:
        ws.reset()


def bench(incidents: int, repeat: int, seed: int, cache: Path = CACHE_DIR,
          out_dir: Path | None = None, say=print, linked: bool = False) -> dict:
    """Measure; returns the JSON document (also written to `out_dir`)."""
    if incidents < 1 or repeat < 1:
        raise BenchError("--incidents and --repeat must be at least 1")
    settings = load_settings()
    out_dir = out_dir or settings.path(settings.output.directory) / "bench"
    extract = ensure_extract(incidents, seed, cache, say)
    rows = extract_rows(extract)
    reps, load_before, started = repeated(
        Workspace(cache / f"work-{incidents}-seed{seed}"), repeat,
        lambda i, ws: repetition(i, repeat, incidents, extract, ws, say, linked))
    summary = report.summarise(reps)
    doc = {
        "incidents": incidents,
        "seed": seed,
        "repeat": repeat,
        "rows": rows,
        **context(settings, load_before, started),
        "summary": summary,
        "repetitions": reps,
        "line": report.final_line(incidents, summary),
        "table": report.table(reps, summary),
    }
    report.write_results(doc, out_dir)
    return doc
