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
