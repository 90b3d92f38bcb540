"""`generate(...)`: the synthetic extract generator behind `matac synth`.

Two passes over the blocks of ``BLOCK_INCIDENTS`` careers' incidents: the first re-runs only
the careers to count incidents per (block, recording day), so that incident ids are
chronological by recording date across the whole output; the second generates each block
(block.py), cuts it into the extracts (extracts.py), injects defects when asked (defects.py)
and hands the tables to the background writer (writer.py)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pipeline.synth import decisions
from pipeline.synth.block import Block, generate_block
from pipeline.synth.careers import draw_careers
from pipeline.synth.config import (
    BLOCK_INCIDENTS,
    DEFAULT_AS_OF,
    PNC_YEAR0,
    TABLES,
    Config,
    make_config,
)
from pipeline.synth.defects import DEFECT_KINDS, DirtyCtx, header_variants, inject_defects
from pipeline.synth.draws import stream
from pipeline.synth.extracts import Extract, extract_plan, extract_tables
from pipeline.synth.tables import truth_table
from pipeline.synth.writer import OutputFiles

__all__ = ["DEFAULT_AS_OF", "DEFECT_KINDS", "SynthError", "generate"]

Key = tuple[str, str]  # (extract name, table)


class SynthError(ValueError):
    """Bad arguments to the generator."""


def _validate(incidents: int, fmt: str, dirty: float, years: int, extracts: int) -> None:
    if incidents < 1:
        raise SynthError("--incidents must be at least 1")
    if fmt not in ("csv", "parquet"):
        raise SynthError("--format must be csv or parquet")
    if not 0.0 <= dirty <= 0.5:
        raise SynthError("--dirty must be between 0 and 0.5")
    if not 1 <= years <= 50:
        raise SynthError("--years must be between 1 and 50")
    if not 1 <= extracts <= 120:
        raise SynthError("--extracts must be between 1 and 120")


def _reporter(progress) -> Callable[[str], None] | None:
    if not progress:
        return None
    if callable(progress) and not hasattr(progress, "write"):
        return progress
    stream_ = sys.stderr if progress is True else progress

    def emit(msg: str) -> None:
        print(msg, file=stream_, flush=True)

    return emit


def _incident_numbering(cfg: Config, sizes: list[int]) -> np.ndarray:
    """Pass 1: incidents per (block, recording day) -> for each block and day, the number of
    incidents recorded before the block's first one on that day (blocks x days)."""
    hist = np.zeros((len(sizes), cfg.horizon), dtype=np.int64)
    for bi, size in enumerate(sizes):
        hist[bi] = np.bincount(draw_careers(cfg, bi, size).rec, minlength=cfg.horizon)
    per_day = hist.sum(axis=0)
    day_base = np.concatenate(([0], np.cumsum(per_day)[:-1]))
    return day_base[None, :] + np.cumsum(hist, axis=0) - hist


def _headers(plan: list[Extract], seed: int, dirty: bool) -> tuple[dict[Key, list[str]],
                                                                    list[list]]:
    """The header of every table file and, with defects, the header changes as defect rows."""
    headers: dict[Key, list[str]] = {}
    defect_rows: list[list] = []
    for ei, ex in enumerate(plan):
        for ti, (table, cols) in enumerate(TABLES.items()):
            if dirty:
                hdr, changed = header_variants(stream(seed, 1_000_000, ei, ti), cols)
                defect_rows.extend([ex.name, table, r, c, k, v] for r, c, k, v in changed)
            else:
                hdr = cols
            headers[(ex.name, table)] = hdr
    return headers, defect_rows


def _block_tables(cfg: Config, blk: Block, bi: int, plan: list[Extract], queued: dict[Key, int],
                  dirty: float, fmt: str) -> tuple[list[tuple[Key, pa.Table]], list[list]]:
    """One block's tables for every extract (with defects injected when `dirty`) and the
    defect rows, numbered after the `queued` rows of each file (updated here)."""
    tables: list[tuple[Key, pa.Table]] = []
    defect_rows: list[list] = []
    for ei, ex in enumerate(plan):
        for ti, (table, tbl) in enumerate(extract_tables(cfg, blk, ex).items()):
            key = (ex.name, table)
            if dirty > 0:
                ctx = DirtyCtx(stream(cfg.seed, bi, 100 + 3 * ei + ti), dirty, fmt,
                               cfg.n_incidents, cfg.person_bound)
                tbl, found = inject_defects(table, tbl, ctx)
                defect_rows.extend(
                    [ex.name, table, queued[key] + r + 1, c, k, "" if v is None else v]
                    for r, c, k, v in found
                )
            queued[key] += tbl.num_rows
            tables.append((key, tbl))
    return tables, defect_rows


def _generate_blocks(cfg: Config, plan: list[Extract], files: OutputFiles, dirty: float,
                     fmt: str, progress: Callable[[str], None] | None) -> tuple[dict, int, pd.DataFrame]:
    """Pass 2: generate each block and hand its tables to the writer. Returns the counts
    generated, the number of row defects and the candidates for panel decisions."""
    sizes = [min(BLOCK_INCIDENTS, cfg.n_incidents - i * BLOCK_INCIDENTS)
             for i in range((cfg.n_incidents + BLOCK_INCIDENTS - 1) // BLOCK_INCIDENTS)]
    block_base = _incident_numbering(cfg, sizes)
    person_offset = 0
    human_offset = 0
    # PNC numbers already issued in each year before the first person here
    pnc_next = stream(cfg.seed, 2_000_000).integers(50_000, 1_500_000,
                                                    cfg.as_of.year - PNC_YEAR0 + 1)
    totals = {"incidents": 0, "persons": 0, "involvements": 0, "humans": 0}
    n_defects = 0
    candidates = []
    for bi, size in enumerate(sizes):
        blk = generate_block(cfg, bi, size, block_base[bi], person_offset, human_offset,
                             pnc_next)
        totals["incidents"] += len(blk.inc_num)
        totals["persons"] += len(blk.per_num)
        totals["involvements"] += len(blk.inv_inc)
        totals["humans"] += blk.n_humans
        person_offset += len(blk.per_num)
        human_offset += blk.n_humans
        tables, defect_rows = _block_tables(cfg, blk, bi, plan, files.queued, dirty, fmt)
        n_defects += len(defect_rows)
        msg = (f"synth: block {bi + 1}/{len(sizes)}, "
               f"incidents {totals['incidents']:,}/{cfg.n_incidents:,}")
        truth = truth_table(blk)
        candidates.append(decisions.block_candidates(cfg, blk))
        del blk
        files.submit(tables, truth, defect_rows,
                     partial(progress, msg, files) if progress else None)
    return totals, n_defects, pd.concat(candidates, ignore_index=True)


def _write_decisions(cfg: Config, out: Path, candidates) -> int:
    from pipeline.core.settings import load_settings

    schedule = load_settings().schedule
    rows = decisions.choose(cfg, candidates, schedule.cycle_start, schedule.cycle_days)
    decisions.write(out / "panel_decisions.csv", rows)
    return len(rows)


def generate(out_dir, incidents: int, seed: int = 1, fmt: str = "csv",
             as_of: dt.date = DEFAULT_AS_OF, dirty: float = 0.0, years: int = 5,
             extracts: int = 1, progress=None) -> dict:
    """Generate a synthetic extract (or `extracts` monthly extracts) into `out_dir`.

    Returns a summary: rows written per table (and per extract), unique counts generated,
    seconds and rows per second."""
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    _validate(incidents, fmt, dirty, years, extracts)
    started = time.perf_counter()
    report = _reporter(progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cfg = make_config(seed, incidents, as_of, years)
    plan = extract_plan(as_of, extracts)
    headers, header_defects = _headers(plan, seed, dirty > 0)

    def block_written(msg: str, files: OutputFiles) -> None:
        done = files.rows_written
        secs = time.perf_counter() - started
        report(f"{msg}, rows written {done:,}, {done / max(secs, 1e-9):,.0f} rows/s")

    with OutputFiles(out, fmt, headers, dirty > 0) as files:
        if header_defects:
            files.write_defects(header_defects)
        totals, n_defects, candidates = _generate_blocks(cfg, plan, files, dirty, fmt,
                                                         block_written if report else None)
    n_decisions = _write_decisions(cfg, out, candidates)

    secs = time.perf_counter() - started
    written = files.rows_written
    summary = {
        "out": str(out),
        "format": fmt,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "extracts": [ex.name or "." for ex in plan],
        "generated": totals,
        "rows_written": {t: sum(files.sinks[(ex.name, t)].rows for ex in plan) for t in TABLES},
        "per_extract": {
            (ex.name or "."): {t: files.sinks[(ex.name, t)].rows for t in TABLES} for ex in plan
        },
        "defects": n_defects + len(header_defects),
        "decisions": n_decisions,
        "seconds": round(secs, 3),
        "rows_per_second": round(written / max(secs, 1e-9)),
    }
    if report:
        report(f"synth: done, {written:,} rows in {secs:,.1f} s "
               f"({summary['rows_per_second']:,} rows/s)")
    return summary
