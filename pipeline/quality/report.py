"""The data-quality report data owners read: `data_quality_report.html` (one self-contained
file: inline CSS and SVG, no scripts, fonts or images; prints on A4) and `data_quality.json`
(the same facts, machine-readable). Both are written atomically, also when publication is
blocked. They hold counts, ids, row numbers and file fingerprints only: never names, dates of
birth or PNC ids."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

from pipeline.core import db
from pipeline.core.contract import TABLES
from pipeline.outputs.publish import atomic_path
from pipeline.quality.checks import (
    ERROR,
    FAIL,
    WARN,
    Assessment,
    Check,
    failed,
    verdict,
)

HTML_NAME = "data_quality_report.html"
JSON_NAME = "data_quality.json"

TABLE_TITLES = {
    "incidents": "Incidents",
    "persons": "Persons (nominal records)",
    "involvements": "Involvements",
    "priority_list": "Priority list self-check",
}
REASONS = {
    "missing_incident_id": "incident_id is blank",
    "missing_person_id": "person_id is blank",
    "missing_occurred_date": "occurred_date is blank",
    "missing_record_type": "record_type is blank",
    "missing_role": "role is blank",
    "unparseable_occurred_date": "occurred_date is not a real date (YYYY-MM-DD or DD/MM/YYYY)",
    "unknown_record_type": "record_type is not crime or non_crime",
    "unknown_role": "role is not suspect, offender, victim, witness or other",
    "orphan_incident": "refers to an incident that is not in the extracts (or was set aside)",
    "orphan_person": "refers to a person who is not in the extracts (or was set aside)",
    "duplicate_incident_id": "two different rows of one file share this incident id: neither is used",
    "duplicate_person_id": "two different rows of one file share this person id: neither is used",
    "duplicate_involvement": "the same person in the same role on an incident twice, with different details: neither is used",
    "duplicate_row": "an exact copy of an earlier row of the same file: the first copy is used",
    "malformed_row": "the line could not be split into fields (broken quotes or separators)",
}
SERIES_COLOURS = {"incidents": "#1570ef", "persons": "#7a5af8", "involvements": "#0e9384"}


# ------------------------------------------------------------------------------------ document
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


def build_document(a: Assessment, max_failing_ids: int,
                   generated_at: dt.datetime | None = None) -> dict:
    """The JSON document (and everything the HTML shows)."""
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    tables = {}
    for t in TABLES:
        c = a.counts[t]
        tables[t] = {
            "rows_read": int(c["rows_read"]),
            "rows_loaded": int(c["rows_loaded"]),
            "rows_quarantined": int(c["rows_quarantined"]),
            "rows_used": int(c.get("rows_current", c["rows_loaded"])),
            "rows_superseded": int(c.get("rows_superseded", 0)),
            "quarantine_rate": (c["rows_quarantined"] / c["rows_read"]) if c["rows_read"] else 0.0,
            "quarantine_reasons": dict(sorted(c["quarantine_reasons"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "quarantine_samples": [
                {"reason": s["reason"], "file": s["file"], "rows": s["rows"]}
                for s in a.samples if s["table"] == t
            ],
        }
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
        "extracts": [
            {"extract": f["extract_name"], "table": f["table_name"], "file": Path(f["path"]).name,
             "path": f["path"], "format": f["file_format"], "encoding": f.get("encoding"),
             "size_bytes": f["size_bytes"], "sha256": f["sha256"], "rows_read": f["rows_read"]}
            for f in a.files
        ],
        "tables": tables,
        "listed": a.listed,
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


def write(document: dict, out_dir: Path) -> dict[str, Path]:
    """Write the JSON and the HTML report atomically; returns their paths."""
    paths = {"json": out_dir / JSON_NAME, "html": out_dir / HTML_NAME}
    with atomic_path(paths["json"]) as tmp:
        tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with atomic_path(paths["html"]) as tmp:
        tmp.write_text(render_html(document), encoding="utf-8")
    return paths


def save(con, document: dict, out_dir: Path) -> None:
    """Keep the document in DuckDB for the second pass (the list checks and the gate)."""
    db.run(con, "quality/create_reports")
    db.run(con, "quality/save_report", {
        "run_id": document["run_id"], "out_dir": str(out_dir), "document": json.dumps(document),
    })


def load(con, run_id: str) -> tuple[dict, Path] | None:
    db.run(con, "quality/create_reports")
    row = db.run(con, "quality/load_report", {"run_id": run_id}).fetchone()
    return None if row is None else (json.loads(row[1]), Path(row[0]))


# ---------------------------------------------------------------------------------------- HTML
def e(value) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _w(value) -> str:
    """Escape an identifier and let it wrap after underscores and commas."""
    return e(value).replace("_", "_<wbr>").replace(",", ",<wbr>").replace("/", "/<wbr>")


def _n(value) -> str:
    return "–" if value is None else f"{int(value):,}"


def _pct(value) -> str:
    return "–" if value is None else f"{value:.1%}"


def _bytes(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "B" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} B"


CSS = """
:root { --ink:#101828; --muted:#475467; --line:#eaecf0; --soft:#f9fafb;
  --fail:#b42318; --fail-bg:#fef3f2; --fail-line:#fda29b;
  --warn:#b54708; --warn-bg:#fffaeb; --warn-line:#fec84b;
  --pass:#067647; --pass-bg:#ecfdf3; --pass-line:#75e0a7; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #f2f4f7;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 24px 48px; }
.sheet { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 22px 26px; margin-bottom: 18px; }
.eyebrow { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); margin: 0 0 4px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0 0 16px; }
h2 { font-size: 19px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
.verdict { display: flex; gap: 18px; align-items: center; border: 1px solid; border-radius: 10px; padding: 14px 18px; }
.verdict .word { font-size: 30px; font-weight: 800; letter-spacing: .04em; min-width: 96px; text-align: center; }
.verdict .text { font-size: 16px; }
.v-fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail-line); }
.v-warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn-line); }
.v-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass-line); }
.verdict .text { color: var(--ink); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px 24px; margin: 16px 0 0; }
.facts div { border-top: 1px solid var(--line); padding-top: 6px; }
.facts dt { font-size: 12px; color: var(--muted); }
.facts dd { margin: 2px 0 0; font-weight: 600; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 14px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card h3 { margin: 0 0 8px; }
.nums { display: flex; gap: 18px; margin-bottom: 8px; }
.nums div { display: flex; flex-direction: column; }
.nums b { font-size: 20px; }
.nums span { font-size: 12px; color: var(--muted); }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
table.checks { table-layout: fixed; min-width: 900px; }
table.checks td { overflow-wrap: break-word; }
td.nowrap { white-space: nowrap; }
th, td { text-align: left; vertical-align: top; padding: 7px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.row-fail td { background: #fffbfa; }
tr.row-pass td { color: #344054; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid; }
.p-fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail-line); }
.p-warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn-line); }
.p-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass-line); }
.p-none { color: var(--muted); background: var(--soft); border-color: var(--line); }
.ids { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; overflow-wrap: anywhere; }
.attention { list-style: none; padding: 0; margin: 0; }
.attention li { border-left: 4px solid; border-radius: 6px; padding: 8px 12px; margin-bottom: 8px; }
.attention li.a-fail { border-color: var(--fail); background: var(--fail-bg); }
.attention li.a-warn { border-color: var(--warn-line); background: var(--warn-bg); }
.attention .what { font-weight: 600; }
.ok { color: var(--pass); font-weight: 600; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--muted); margin: 4px 0 8px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 14px; }
.chart { border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
.chart h3 { margin: 0 0 4px; font-size: 13px; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.scroll { overflow-x: auto; }
footer { font-size: 12px; color: var(--muted); }
footer dt { font-weight: 600; color: var(--ink); margin-top: 6px; }
footer dd { margin: 0 0 4px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .sheet { border: none; border-radius: 0; padding: 0; margin: 0 0 14pt; }
  h2 { break-after: avoid; }
  .sheet[id^="table-"], #trend { break-before: page; }
  tr, .card, .chart, .verdict, .attention li { break-inside: avoid; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""


def _status_pill(c: dict) -> str:
    if c["status"] == "not_run":
        return '<span class="pill p-none">– not run</span>'
    if c["success"]:
        return '<span class="pill p-pass">✓ pass</span>'
    cls = "p-fail" if c["severity"] == ERROR else "p-warn"
    return f'<span class="pill {cls}">✗ fail</span>'


def _severity_pill(c: dict) -> str:
    if c["severity"] == ERROR:
        return '<span class="pill p-fail" title="a failure blocks publication">error · blocks</span>'
    return '<span class="pill p-warn" title="a failure is reported, publication goes ahead">warn</span>'


def _ids_cell(c: dict, limit: int) -> str:
    ids = c["failing_ids"]
    if not ids:
        return '<span class="muted">–</span>'
    more = ""
    if len(ids) >= limit and (c["failing_rows"] or 0) > len(ids):
        more = f' <span class="muted">(first {len(ids)})</span>'
    return f'<span class="ids">{_w(", ".join(ids))}</span>{more}'


def _stacked_bar(loaded: int, quarantined: int) -> str:
    total = loaded + quarantined
    w = 100.0 * loaded / total if total else 100.0
    label = f"{loaded:,} loaded, {quarantined:,} quarantined"
    return (
        f'<svg viewBox="0 0 100 6" width="100%" height="12" preserveAspectRatio="none" role="img" '
        f'aria-label="{e(label)}"><title>{e(label)}</title>'
        f'<rect x="0" y="0" width="100" height="6" rx="1" fill="#eaecf0"/>'
        f'<rect x="0" y="0" width="{w:.3f}" height="6" fill="#1570ef"/>'
        f'<rect x="{w:.3f}" y="0" width="{100 - w:.3f}" height="6" fill="#d92d20"/></svg>'
    )


def _reason_bar(rows: int, most: int) -> str:
    w = 100.0 * rows / most if most else 0.0
    return (
        f'<svg viewBox="0 0 100 8" width="120" height="10" preserveAspectRatio="none" role="img" '
        f'aria-label="{e(f"{rows:,} rows")}"><rect x="0" y="0" width="100" height="8" fill="#f2f4f7"/>'
        f'<rect x="0" y="0" width="{w:.3f}" height="8" fill="#d92d20"/></svg>'
    )


def _line_chart(title: str, labels: list[str], series: list[tuple[str, str, list]],
                fmt, threshold: float | None = None) -> str:
    """A small inline SVG line chart: one polyline per series, x = runs, oldest first."""
    width, height, left, right, top, bottom = 560, 190, 58, 34, 14, 40
    values = [v for _, _, vs in series for v in vs if v is not None]
    top_value = max(values + ([threshold] if threshold is not None else []) + [0])
    top_value = top_value * 1.12 if top_value > 0 else 1
    n = len(labels)

    def x(i: int) -> float:
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return top + (height - top - bottom) * (1 - v / top_value)

    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{e(title)}">'
        f"<title>{e(title)}</title>"
    ]
    for k in range(5):
        v = top_value * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eaecf0"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end" fill="#667085">{e(fmt(v))}</text>'
        )
    step = max(1, (n + 5) // 6)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else "start" if i == 0 and n > 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="{anchor}" '
                f'fill="#667085">{e(label)}</text>'
            )
    if threshold is not None:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(threshold):.1f}" y2="{y(threshold):.1f}" '
            f'stroke="#d92d20" stroke-dasharray="5 4"/>'
            f'<text x="{left + 6}" y="{y(threshold) - 5:.1f}" font-size="11" text-anchor="start" '
            f'fill="#b42318">limit {e(fmt(threshold))}</text>'
        )
    for name, colour, vs in series:
        points = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
        for (px, py), v in zip(points, [v for v in vs if v is not None]):
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.6" fill="#fff" stroke="{colour}" stroke-width="2">'
                f"<title>{e(name)}: {e(fmt(v))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: list[tuple[str, str]]) -> str:
    return '<div class="legend">' + "".join(
        f'<span><i style="background:{colour}"></i>{e(name)}</span>' for name, colour in series
    ) + "</div>"


def _checks_table(checks: list[dict], limit: int) -> str:
    rows = []
    for c in checks:
        cls = "row-fail" if c["success"] is False else "row-pass"
        rows.append(
            f'<tr class="{cls}"><td>{_status_pill(c)}</td><td>{e(c["title"])}'
            f'<div class="muted mono">{_w(c["name"])}</div></td>'
            f'<td class="mono">{_w(c["column"] or "–")}</td><td>{_severity_pill(c)}</td>'
            f'<td>{e(c["expected"])}</td><td>{e(c["observed_text"])}</td>'
            f'<td class="num">{_n(c["failing_rows"])}</td><td>{_ids_cell(c, limit)}</td></tr>'
        )
    return (
        '<div class="scroll"><table class="checks"><colgroup><col style="width:84px"><col style="width:26%">'
        '<col style="width:12%"><col style="width:124px"><col style="width:11%"><col style="width:13%">'
        '<col style="width:78px"><col></colgroup><thead><tr><th>Status</th><th>Check</th><th>Column</th>'
        '<th>Severity</th><th>Expected</th><th>Observed</th><th class="num">Failing<br>rows</th>'
        '<th>Failing ids (ids only)</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>"
    )


def _quarantine_table(table: dict) -> str:
    reasons = table["quarantine_reasons"]
    if not reasons:
        return '<p class="ok">No row was set aside.</p>'
    most = max(reasons.values())
    samples: dict[str, list[str]] = {}
    for s in table["quarantine_samples"]:
        samples.setdefault(s["reason"], []).append(
            f'{s["file"]}: row{"s" if len(s["rows"]) > 1 else ""} {", ".join(str(r) for r in s["rows"])}'
        )
    rows = []
    for reason, count in reasons.items():
        share = count / table["rows_read"] if table["rows_read"] else 0
        rows.append(
            f'<tr><td class="mono">{e(reason)}</td><td>{e(REASONS.get(reason, ""))}</td>'
            f'<td class="num">{count:,}</td><td class="num">{_pct(share)}</td>'
            f"<td>{_reason_bar(count, most)}</td>"
            f'<td class="ids">{"<br>".join(e(s) for s in samples.get(reason, []))}</td></tr>'
        )
    return (
        '<div class="scroll"><table><thead><tr><th>Reason</th><th>Meaning</th><th class="num">Rows</th>'
        '<th class="num">Share of rows read</th><th></th><th>Sample rows (data rows counted from 1, '
        "header not counted)</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )


def _attention(checks: list[dict]) -> str:
    bad = [c for c in checks if c["success"] is False]
    if not bad:
        return '<p class="ok">✓ Nothing needs attention: every check passed.</p>'
    bad.sort(key=lambda c: (c["severity"] != ERROR, TABLE_ORDER.get(c["table"], 9)))
    items = []
    for c in bad:
        cls = "a-fail" if c["severity"] == ERROR else "a-warn"
        where = TABLE_TITLES.get(c["table"], c["table"]) + (f' · {c["column"]}' if c["column"] else "")
        ids = f' — ids: <span class="ids">{e(", ".join(c["failing_ids"]))}</span>' if c["failing_ids"] else ""
        items.append(
            f'<li class="{cls}">{_severity_pill(c)} <span class="what">{e(c["title"])}</span>'
            f'<div>{e(where)}: observed <b>{e(c["observed_text"])}</b>, expected {e(c["expected"])}{ids}</div></li>'
        )
    return '<ul class="attention">' + "".join(items) + "</ul>"


TABLE_ORDER = {t: i for i, t in enumerate((*TABLES, "priority_list"))}


def _trend(doc: dict) -> str:
    runs = doc["trend"]
    if len(runs) < 2:
        return ('<p class="muted">The trend appears from the second delivery of this source '
                f'({e(doc["source"])}). Only this run is recorded so far.</p>')
    labels = [(r["extracts"] or [str(r["as_of"])])[-1] for r in runs]  # the newest extract
    used = [(t.capitalize(), SERIES_COLOURS[t], [r[f"{t}_used"] for r in runs]) for t in TABLES]
    rates = [
        (t.capitalize(), SERIES_COLOURS[t],
         [(r[f"{t}_quarantined"] / r[f"{t}_read"]) if r[f"{t}_read"] else 0.0 for r in runs])
        for t in TABLES
    ]
    legend = _legend([(name, colour) for name, colour, _ in used])
    charts = (
        '<div class="charts"><div class="chart"><h3>Usable rows per delivery (newest extract)</h3>'
        + legend + _line_chart("Usable rows per delivery", labels, used, lambda v: f"{v:,.0f}")
        + '</div><div class="chart"><h3>Share of rows quarantined</h3>' + legend
        + _line_chart("Share of rows quarantined", labels, rates, lambda v: f"{v:.1%}",
                      threshold=doc["thresholds"]["max_quarantine_rate"])
        + "</div></div>"
    )
    head = ('<tr><th>Recorded</th><th>As of</th><th>Extracts</th><th>Verdict</th>'
            + "".join(f'<th class="num">{t.capitalize()}<br><span class="muted">used</span></th>' for t in TABLES)
            + '<th class="num">Quarantined<br><span class="muted">inc. / pers. / inv.</span></th>'
            '<th class="num">Warnings</th><th class="num">Errors</th><th class="num">Listed</th></tr>')
    body = []
    for r in runs:
        cls = ' style="font-weight:600"' if r["run_id"] == doc["run_id"] else ""
        outcome = r["verdict"]
        pill = {"fail": "p-fail", "warn": "p-warn", "pass": "p-pass"}.get(outcome, "p-none")
        shares = " / ".join(
            _pct(r[f"{t}_quarantined"] / r[f"{t}_read"] if r[f"{t}_read"] else 0) for t in TABLES
        )
        body.append(
            f"<tr{cls}><td class=\"nowrap\">{e(str(r['recorded_at'])[:16].replace('T', ' '))}</td>"
            f"<td class=\"nowrap\">{e(r['as_of'])}</td>"
            f"<td class=\"mono\">{_w(', '.join(r['extracts'] or []))}</td>"
            f'<td><span class="pill {pill}">{e(outcome)}</span></td>'
            + "".join(f'<td class="num">{_n(r[f"{t}_used"])}</td>' for t in TABLES)
            + f'<td class="num">{e(shares)}</td>'
            + f'<td class="num">{_n(r["warnings_failed"])}</td><td class="num">{_n(r["errors_failed"])}</td>'
            f'<td class="num">{_n(r["listed"])}</td></tr>'
        )
    return charts + ('<h3>Deliveries from this source</h3><div class="scroll"><table><thead>'
                     + head + "</thead><tbody>" + "".join(body) + "</tbody></table></div>")


def _table_numbers(tb: dict) -> str:
    return (
        '<div class="nums">'
        f'<div><b>{_n(tb["rows_read"])}</b><span>read</span></div>'
        f'<div><b>{_n(tb["rows_loaded"])}</b><span>loaded</span></div>'
        f'<div><b>{_n(tb["rows_quarantined"])}</b><span>quarantined ({_pct(tb["quarantine_rate"])})</span></div>'
        f'<div><b>{_n(tb["rows_used"])}</b><span>used (newest version)</span></div></div>'
    )


def _extracts_table(files: list[dict]) -> str:
    rows = []
    for f in files:
        fmt = f["format"] + (f" · {f['encoding']}" if f.get("encoding") else "")
        rows.append(
            f'<tr><td>{e(f["extract"])}</td><td>{e(f["table"])}</td><td>{e(f["file"])} '
            f'<span class="muted">({e(fmt)})</span></td><td class="num">{_n(f["rows_read"])}</td>'
            f'<td class="num">{e(_bytes(f["size_bytes"]))}</td><td class="mono">{e(f["sha256"])}</td></tr>'
        )
    return ('<h3>Extracts read</h3><div class="scroll"><table id="extracts"><thead><tr><th>Extract</th>'
            '<th>Table</th><th>File</th><th class="num">Rows read</th><th class="num">Size</th>'
            "<th>SHA-256</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>")


def render_html(doc: dict) -> str:
    verdict = doc["verdict"]
    word = {"fail": "FAIL", "warn": "WARN", "pass": "PASS"}[verdict]
    s = doc["summary"]
    facts = [
        ("As-of date", doc["as_of"]),
        ("Publication", {"blocked": "blocked by this report", "pending": "waiting for the list self-check",
                         "allowed": "allowed by this report"}[doc["publication"]]),
        ("Checks", f"{s['passed']} of {s['checks']} passed · {s['errors_failed']} errors failed · "
                   f"{s['warnings_failed']} warnings" + (f" · {s['not_run']} not run" if s["not_run"] else "")),
        ("Perpetrators on the list", f"{doc['listed']:,}" if doc["listed"] is not None else
         "not checked (publication blocked)" if verdict == FAIL else "not checked yet"),
        ("Run id", doc["run_id"]),
        ("Generated (UTC)", doc["generated_at"].replace("T", " ").replace("+00:00", "")),
        ("Today (for ‘not in the future’)", doc["reference_date"]),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Data-quality report · as of {e(doc['as_of'])} · {e(word)}</title>",
        f"<style>{CSS}</style></head><body><main>",
        '<section class="sheet" id="verdict">',
        '<p class="eyebrow">MATAC serial-perpetrator pipeline · data-quality report</p>',
        f"<h1>Are the extracts fit to publish the priority list as of {e(doc['as_of'])}?</h1>",
        f'<div class="verdict v-{e(verdict)}" data-verdict="{e(verdict)}"><div class="word">{e(word)}</div>'
        f'<div class="text">{e(doc["verdict_text"])}</div></div>',
        '<dl class="facts">' + "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts) + "</dl>",
        _extracts_table(doc["extracts"]),
        "</section>",
        '<section class="sheet" id="attention"><h2>What needs attention</h2>',
        _attention(doc["checks"]),
        "</section>",
        '<section class="sheet" id="tables"><h2>Rows read, loaded and set aside</h2>',
        '<div class="legend"><span><i style="background:#1570ef"></i>loaded</span>'
        '<span><i style="background:#d92d20"></i>quarantined (set aside, with a reason)</span></div>',
        '<div class="cards">',
    ]
    for t in TABLES:
        tb = doc["tables"][t]
        out.append(
            f'<div class="card" data-table="{e(t)}"><h3>{e(TABLE_TITLES[t])}</h3>{_table_numbers(tb)}'
            f'{_stacked_bar(tb["rows_loaded"], tb["rows_quarantined"])}</div>'
        )
    out.append("</div></section>")
    for t in (*TABLES, "priority_list"):
        checks = [c for c in doc["checks"] if c["table"] == t]
        bad = sum(c["success"] is False for c in checks)
        out.append(f'<section class="sheet" id="table-{e(t)}"><h2>{e(TABLE_TITLES[t])}</h2>')
        if t in doc["tables"]:
            out.append(_table_numbers(doc["tables"][t]))
            out.append("<h3>Rows set aside (quarantine)</h3>" + _quarantine_table(doc["tables"][t]))
            out.append(f"<h3>Checks <span class=\"muted\">({len(checks) - bad} of {len(checks)} passed)</span></h3>")
        else:
            ran = [c for c in checks if c["status"] != "not_run"]
            status = (f"{len(ran) - bad} of {len(checks)} checks passed." if ran else
                      "Not run: publication was already blocked by the checks above."
                      if doc["verdict"] == FAIL else "Not run yet.")
            out.append('<p class="muted">Before publication the list is recounted from the qualifying '
                       "incidents: every listed person must meet the MATAC rule and the ranks must run "
                       f"1, 2, 3 … without gaps. <b>{e(status)}</b></p>")
        out.append(_checks_table(checks, doc["max_failing_ids"]) + "</section>")
    out.append('<section class="sheet" id="trend"><h2>Trend over earlier deliveries</h2>')
    out.append(_trend(doc) + "</section>")
    th = doc["thresholds"]
    out.append(
        '<section class="sheet"><footer><dl>'
        "<dt>How to read this report</dt><dd>A check marked <b>error · blocks</b> stops publication when "
        "it fails; a <b>warn</b> check is reported and publication goes ahead. Quarantined rows are never "
        "used and never lost: they are in the quarantine tables of the DuckDB file with file, row and "
        "reason. Row checks count the rows read (each set-aside row under its first reason); the other "
        "checks count the rows the rule uses (the newest version of each id).</dd>"
        "<dt>Thresholds (settings, section quality)</dt><dd>"
        f"quarantine at most {_pct(th['max_quarantine_rate'])} of a table · missing dates of birth at most "
        f"{_pct(th['max_missing_dob_rate'])} · unknown offence codes at most {_pct(th['max_unknown_offence_rate'])} "
        f"of crimes · volume change within ±{_pct(th['max_volume_change'])} · age at most {e(th['max_age'])} years</dd>"
        "<dt>Personal data</dt><dd>This report shows ids, row numbers and counts only: never names, dates "
        "of birth or PNC ids.</dd>"
        f"<dt>Source and fingerprint</dt><dd class=\"mono\">{e(doc['source'])} · {e(doc['fingerprint'])}</dd>"
        "</dl></footer></section>"
    )
    out.append("</main></body></html>\n")
    return "\n".join(out)
