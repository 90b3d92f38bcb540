"""Writing the panel outputs of one as-of date under `<out>/panel/`: per area
`<area>/panel_pack.html` (and `.pdf` when `panel.pdf`), and `panel_outcomes.csv`,
`outcomes.html` and `decisions_quarantine.csv`. Every file is written to a temporary name and
renamed into place."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import duckdb

from pipeline.core.settings import Settings
from pipeline.outputs.publish import atomic_path, write_csv
from pipeline.panel import outcomes, pack, render

PACK_NAME = "panel_pack"


def _write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_packs(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                out_dir: Path) -> dict:
    """One pack per area with someone listed. Returns, per area, its folder, how many are
    listed and in the pack, the adopted among them, the files and the seconds taken."""
    data = pack.read(con, settings)
    areas = pack.areas(data)
    folders = pack.folder_names(areas)
    written: dict[str, dict] = {}
    for area in areas:
        start = time.perf_counter()
        document = pack.area_document(settings, data, area, as_of)
        folder = out_dir / "panel" / folders[area]
        html = render.html("pack.html.j2", document)
        paths = {"html": folder / f"{PACK_NAME}.html"}
        _write_text(paths["html"], html)
        if settings.panel.pdf:
            paths["pdf"] = folder / f"{PACK_NAME}.pdf"
            _write_bytes(paths["pdf"], render.pdf(html))
        counts = document["cover"]["counts"]
        written[area] = {
            "folder": folders[area],
            "listed": int(counts.get("listed", 0)),
            "in_pack": len(document["members"]),
            "adopted": sum(1 for m in document["members"]
                           if (m["panel_status"] or "").startswith("adopted")),
            "paths": {k: str(v) for k, v in paths.items()},
            "seconds": round(time.perf_counter() - start, 3),
        }
    return written


def write_outcomes(con: duckdb.DuckDBPyConnection, settings: Settings, as_of: dt.date,
                   out_dir: Path) -> dict:
    """panel_outcomes.csv (one row per adoption), outcomes.html (with the cohort figures and
    the comparison group) and decisions_quarantine.csv (rows of the decisions file not used)."""
    folder = out_dir / "panel"
    result = outcomes.gather(con, settings, as_of)
    paths = {
        "csv": folder / "panel_outcomes.csv",
        "html": folder / "outcomes.html",
        "quarantine_csv": folder / "decisions_quarantine.csv",
    }
    write_csv(result["table"], paths["csv"])
    write_csv(result["quarantine"], paths["quarantine_csv"])
    _write_text(paths["html"], render.html("outcomes.html.j2", result["document"]))
    return {"paths": {k: str(v) for k, v in paths.items()}, **result["counts"]}
