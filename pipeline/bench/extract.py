"""The synthetic Parquet extracts the bench measures, generated once per (N, seed) and cached."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from pipeline.core.settings import REPO_ROOT

CACHE_DIR = REPO_ROOT / ".bench_cache"
TABLES = ("incidents", "persons", "involvements")


def extract_dir(incidents: int, seed: int, cache: Path = CACHE_DIR, extracts: int = 1) -> Path:
    return cache / (f"synth-{incidents}-seed{seed}" + (f"-x{extracts}" if extracts > 1 else ""))


def ensure_extract(incidents: int, seed: int, cache: Path = CACHE_DIR, say=print,
                   extracts: int = 1) -> Path:
    """The cached synthetic Parquet extract for (N, seed) (with `extracts` > 1: that many monthly
    extracts in subfolders, as `matac synth --extracts` writes them); generated once, atomically."""
    target = extract_dir(incidents, seed, cache, extracts)
    if (target / "_COMPLETE").is_file():
        return target
    from pipeline.synth import generate as synth

    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=cache))
    try:
        say(f"bench: generating {incidents:,} incidents (seed {seed}, {extracts} extract(s)) "
            f"into {target}")
        summary = synth.generate(tmp, incidents, seed=seed, fmt="parquet", extracts=extracts)
        (tmp / "_COMPLETE").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def extract_rows(folder: Path) -> dict[str, int]:
    """Rows per table of one extract, or of all the monthly extracts under `folder`."""
    import pyarrow.parquet as pq

    return {t: sum(pq.ParquetFile(f).metadata.num_rows for f in sorted(folder.rglob(f"{t}.parquet")))
            for t in TABLES}


def monthly_extracts(folder: Path) -> list[Path]:
    """The monthly extract folders under `folder`, oldest first (their names are YYYY-MM)."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / "incidents.parquet").is_file())
