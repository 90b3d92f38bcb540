"""The data-quality report data owners read: `data_quality.json` (the document: every fact,
machine-readable) and `data_quality_report.html` (the same document rendered by `render`: one
self-contained file, prints on A4). Both are written atomically to the run's output folder,
also when publication is blocked. They hold counts, ids, row numbers and file fingerprints
only: never names, dates of birth or PNC ids.

The document is also how the two passes of the gate meet: the `data_quality_report` asset's
value is the document, stored as `data_quality.json` (`storage.ReportIOManager`), and the list check
reads it back (`read`), adds the list's checks (`with_list_checks`) and writes it again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.contract import TABLES
from pipeline.outputs.publish import atomic_path
from pipeline.quality.checks import FAIL, Check, failed, verdict
from pipeline.quality.render import render_html
from pipeline.quality.suites import ERROR, WARN

if TYPE_CHECKING:
    from pipeline.quality.assess import Assessment

HTML_NAME = "data_quality_report.html"
JSON_NAME = "data_quality.json"


def _s(noun: str, n: int) -> str:
    return noun if n == 1 else noun + "s"


def verdict_text(result: str, checks: list[Check]) -> str:
    errors, warnings = len(failed(checks, ERROR)), len(failed(checks, WARN))
    pending = sum(c.success is None for c in checks)
    if result == FAIL:
        return (f"Not fit to publish: {errors} blocking {_s('check', errors)} failed. The priority "
                "list for this date was not published; a list published earlier is left unchanged.")
    if pending:
        return (f"No blocking problem in the extracts so far ({warnings} {_s('warning', warnings)}); "
                f"{pending} {_s('check', pending)} of the list itself {'has' if pending == 1 else 'have'} "
                "not run yet.")
    if result == WARN:
        return (f"Fit to publish, with {warnings} {_s('warning', warnings)} for the data owner to "
                "review.")
    return "Fit to publish: every check passed."


def _iso(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _refresh(doc: dict) -> dict:
    """Recompute the verdict and the summary from the document's checks."""
    checks = [Check.from_dict(c) for c in doc["checks"]]
    result = verdict(checks)
    pending = sum(c.success is None for c in checks)
    doc["verdict"] = result
    doc["verdict_text"] = verdict_text(result, checks)
    doc["publication"] = "blocked" if result == FAIL else "pending" if pending else "allowed"
    doc["summary"] = {
        "checks": len(checks),
        "passed": sum(c.success is True for c in checks),
        "errors_failed": len(failed(checks, ERROR)),
        "warnings_failed": len(failed(checks, WARN)),
        "not_run": pending,
        "failed_checks": [c.name for c in checks if c.success is False],
    }
    return doc


def _table(c: dict, samples: list[dict]) -> dict:
    """One staged table's rows read, loaded, set aside (with reasons and sample rows) and used."""
    return {
        "rows_read": int(c["rows_read"]),
        "rows_loaded": int(c["rows_loaded"]),
        "rows_quarantined": int(c["rows_quarantined"]),
        "rows_used": int(c.get("rows_current", c["rows_loaded"])),
        "rows_superseded": int(c.get("rows_superseded", 0)),
        "quarantine_rate": (c["rows_quarantined"] / c["rows_read"]) if c["rows_read"] else 0.0,
        "quarantine_reasons": dict(sorted(c["quarantine_reasons"].items(), key=lambda kv: (-kv[1], kv[0]))),
        "quarantine_samples": [{"reason": s["reason"], "file": s["file"], "rows": s["rows"]} for s in samples],
    }


def _extract(f: dict) -> dict:
    return {"extract": f["extract_name"], "table": f["table_name"], "file": Path(f["path"]).name,
            "path": f["path"], "format": f["file_format"], "encoding": f.get("encoding"),
            "size_bytes": f["size_bytes"], "sha256": f["sha256"], "rows_read": f["rows_read"]}


def build_document(a: Assessment, max_failing_ids: int,
                   generated_at: dt.datetime | None = None) -> dict:
    """The JSON document (and everything the HTML shows)."""
    generated_at = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    return _refresh({
        "report": "MATAC data-quality report",
        "verdict": None,
        "verdict_text": "",
        "publication": None,
        "as_of": a.as_of.isoformat(),
        "run_id": a.run_id,
        "generated_at": generated_at.isoformat(),
        "reference_date": a.reference_day.isoformat(),
        "source": a.source,
        "fingerprint": a.fingerprint,
        "extracts": [_extract(f) for f in a.files],
        "tables": {t: _table(a.counts[t], [s for s in a.samples if s["table"] == t]) for t in TABLES},
        "listed": a.listed,
        "identity": None,  # set once identity and the list have run (`assess.add_list_checks`)
        "quarantine_file": None,  # set when quarantine.csv is written (`quarantine.write`)
        "summary": {},
        "checks": [c.as_dict() for c in a.checks],
        "trend": trend_rows(a.trend),
        "thresholds": {k: v for k, v in a.parameters.items() if k != "today"},
        "max_failing_ids": max_failing_ids,
    })


def trend_rows(rows: list[dict]) -> list[dict]:
    return [{k: _iso(v) for k, v in row.items()} for row in rows]


def with_list_checks(doc: dict, checks: list[Check], listed: int) -> dict:
    """The document once the list suite has run: its checks replace the 'not run' ones."""
    by_name = {c.name: c.as_dict() for c in checks}
    doc["checks"] = [by_name.pop(c["name"], c) for c in doc["checks"]] + list(by_name.values())
    doc["listed"] = listed
    return _refresh(doc)


def paths(out_dir: Path) -> dict[str, Path]:
    return {"json": out_dir / JSON_NAME, "html": out_dir / HTML_NAME}


def write(document: dict, out_dir: Path) -> dict[str, Path]:
    """Write the JSON and the HTML report atomically; returns their paths."""
    written = paths(out_dir)
    with atomic_path(written["json"]) as tmp:
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with atomic_path(written["html"]) as tmp:
        tmp.write_text(render_html(document), encoding="utf-8")
    return written


def read(out_dir: Path) -> dict | None:
    """The document written to `out_dir` (None when there is none)."""
    path = paths(out_dir)["json"]
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
