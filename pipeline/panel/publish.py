"""Writing the panel outputs of one as-of date under `<out>/panel/`: per area
`<area>/panel_pack.html` (and `.pdf` when `panel.pdf`), and `panel_outcomes.csv`,
`outcomes.html` and `decisions_quarantine.csv`. Every file is written to a temporary name and
renamed into place."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.core.steps import StepResult
from pipeline.outputs.publish import PANEL_FOLDER, atomic_path, write_csv
from pipeline.panel import cache, outcomes, pack, render
from pipeline.panel.tables import build_tables

PACK_NAME = "panel_pack"


def _write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def _render(settings: Settings, data: pack.PackData, area: str, as_of: dt.date,
            draw: bool = True) -> tuple[str, bytes | None, dict]:
    """One area's pack: the HTML, the PDF (when `panel.pdf`) and its facts. Runs in a worker
    process when there are several areas to draw (WeasyPrint and matplotlib are CPU-bound).
    `draw=False`: only from charts and PDFs an earlier run drew (else cache.Missing)."""
    start = time.perf_counter()
    with cache.kept_in(cache.folder_for(settings), draw):
        document = pack.area_document(settings, data, area, as_of)
        html = render.html("pack.html.j2", document)
        pdf = (render.pdf(render.html("pack.html.j2", {**document, "for_print": True}))
               if settings.panel.pdf else None)
    counts = document["cover"]["counts"]
    facts = {
        "listed": int(counts.get("listed", 0)),
        "in_pack": len(document["members"]),
        "adopted": sum(1 for m in document["members"]
                       if (m["panel_status"] or "").startswith("adopted")),
        "seconds": round(time.perf_counter() - start, 3),
    }
    return html, pdf, facts


def _rendered(settings: Settings, data: pack.PackData, areas: list[str], as_of: dt.date):
    """(area, html, pdf, facts) for every area, in area order: in this process those whose
    charts and PDF an earlier run drew (pipeline.panel.cache), then the others, on several
    processes (one per core, at most one per area) when there is more than a small pack to draw."""
    kept = {}
    for area in areas:
        try:
            kept[area] = _render(settings, data, area, as_of, draw=False)
        except cache.Missing:
            pass
    drawn = _drawn(settings, data, [a for a in areas if a not in kept], as_of)
    for area in areas:
        yield (area, *(kept[area] if area in kept else next(drawn)[1:]))


def _drawn(settings: Settings, data: pack.PackData, areas: list[str], as_of: dt.date):
    """(area, html, pdf, facts) for `areas`, in their order, drawn (see `_rendered`)."""
    workers = min(os.cpu_count() or 1, len(areas))
    members = data.members["area"].isin(areas).sum()
    if workers < 2 or members <= 2 * settings.panel.size:
        for area in areas:
            yield (area, *_render(settings, data, area, as_of))
        return
    context = multiprocessing.get_context("spawn")  # nothing of this process (DuckDB) copied
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_render, settings, data, area, as_of) for area in areas]
            for area, future in zip(areas, futures):
                result = future.result()
                done += 1
                yield (area, *result)
    except BrokenProcessPool:  # e.g. a __main__ that cannot be re-imported: same files, slower
        for area in areas[done:]:
            yield (area, *_render(settings, data, area, as_of))


def write_packs(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                out_dir: Path) -> dict:
    """One pack per area with someone listed. Returns, per area, its folder, how many are
    listed and in the pack, the adopted among them, the files and the seconds taken."""
    since = cache.now()
    data = pack.read(con, settings)
    areas = pack.areas(data)
    folders = pack.folder_names(areas)
    written: dict[str, dict] = {}
    for area, html, pdf, facts in _rendered(settings, data, areas, as_of):
        folder = out_dir / PANEL_FOLDER / folders[area]
        paths = {"html": folder / f"{PACK_NAME}.html"}
        _write_text(paths["html"], html)
        if pdf is not None:
            paths["pdf"] = folder / f"{PACK_NAME}.pdf"
            _write_bytes(paths["pdf"], pdf)
        written[area] = {"folder": folders[area], **facts,
                         "paths": {k: str(v) for k, v in paths.items()}}
    cache.prune(cache.folder_for(settings), since)  # parts of earlier cycles no longer shown
    return written


def pack_step(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
              out_dir: Path) -> StepResult:
    """The panel_pack step: the panel tables at `as_of`, then every area's pack. Counts (Dagster
    metadata, ids and numbers only): areas, pack members, adoption episodes, adopted,
    discharged, and per area: listed, in the pack, adopted among them."""
    result = build_tables(con, settings, as_of)
    start = time.perf_counter()
    written = write_packs(con, settings, as_of, out_dir)
    result.timings["write_packs"] = round(time.perf_counter() - start, 3)
    for key in ("listed", "in_pack", "adopted", "seconds"):
        result.counts[f"{key}_per_area"] = {a: w[key] for a, w in written.items()}
    return result


def outcomes_step(con: duckdb.DuckDBPyConnection, settings: Settings, out_dir: Path
                  ) -> StepResult:
    """The panel_outcomes step (after pack_step, which built the tables at the as-of date)."""
    start = time.perf_counter()
    as_of = db.one_row(con, "panel/panel_as_of")["as_of"]
    written = write_outcomes(con, settings, as_of, out_dir)
    return StepResult(timings={"write_outcomes": round(time.perf_counter() - start, 3)},
                      counts={k: v for k, v in written.items() if k != "paths"})


def write_outcomes(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   out_dir: Path) -> dict:
    """panel_outcomes.csv (one row per adoption), outcomes.html (with the cohort figures and
    the comparison group) and decisions_quarantine.csv (rows of the decisions file not used)."""
    folder = out_dir / PANEL_FOLDER
    result = outcomes.gather(con, settings, as_of)
    paths = {
        "csv": folder / "panel_outcomes.csv",
        "html": folder / "outcomes.html",
        "quarantine_csv": folder / "decisions_quarantine.csv",
    }
    for frame, target in ((result["table"], paths["csv"]),
                          (result["quarantine"], paths["quarantine_csv"])):
        with atomic_path(target) as tmp:
            write_csv(frame, tmp)
    _write_text(paths["html"], render.html("outcomes.html.j2", result["document"]))
    return {"paths": {k: str(v) for k, v in paths.items()}, **result["counts"]}
