"""The HTML of the data-quality report, rendered from the document (`report`) with the Jinja2
template `templates/data_quality_report.html.j2`.

The page is self-contained: its CSS (`templates/report.css`) is inlined into a <style> element
at render time and its charts are inline SVG drawn here (`stacked_bar`, `reason_bar`,
`line_chart`); no script, font or image is loaded from anywhere, so it works offline and prints
on A4. Every value is escaped (`html.escape`) unless it is markup built here (`Markup`)."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.core.contract import TABLES
from pipeline.quality.suites import ERROR

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "data_quality_report.html.j2"
CSS = "report.css"
SERIES_COLOURS = {"incidents": "#1570ef", "persons": "#7a5af8", "involvements": "#0e9384"}
TABLE_ORDER = {t: i for i, t in enumerate((*TABLES, "priority_list"))}


# ---------------------------------------------------------------------------------- values
def e(value) -> str:
    """Escape any value for HTML text or attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _finalize(value):
    """Every `{{ value }}` of the template: markup built here as it is, anything else escaped."""
    return value if isinstance(value, Markup) else Markup(e(value))


def wrap(value) -> Markup:
    """Escape an identifier and let it wrap after underscores, commas and slashes."""
    return Markup(e(value).replace("_", "_<wbr>").replace(",", ",<wbr>").replace("/", "/<wbr>"))


def number(value) -> str:
    return "–" if value is None else f"{int(value):,}"


def pct(value) -> str:
    return "–" if value is None else f"{value:.1%}"


def size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{n} B"


def share(part, whole) -> float:
    return part / whole if whole else 0.0


# ---------------------------------------------------------------------------------- charts
def stacked_bar(loaded: int, quarantined: int) -> Markup:
    total = loaded + quarantined
    w = 100.0 * loaded / total if total else 100.0
    label = f"{loaded:,} loaded, {quarantined:,} quarantined"
    return Markup(
        f'<svg viewBox="0 0 100 6" width="100%" height="12" preserveAspectRatio="none" role="img" '
        f'aria-label="{e(label)}"><title>{e(label)}</title>'
        f'<rect x="0" y="0" width="100" height="6" rx="1" fill="#eaecf0"/>'
        f'<rect x="0" y="0" width="{w:.3f}" height="6" fill="#1570ef"/>'
        f'<rect x="{w:.3f}" y="0" width="{100 - w:.3f}" height="6" fill="#d92d20"/></svg>'
    )


def reason_bar(rows: int, most: int) -> Markup:
    w = 100.0 * rows / most if most else 0.0
    return Markup(
        f'<svg viewBox="0 0 100 8" width="120" height="10" preserveAspectRatio="none" role="img" '
        f'aria-label="{e(f"{rows:,} rows")}"><rect x="0" y="0" width="100" height="8" fill="#f2f4f7"/>'
        f'<rect x="0" y="0" width="{w:.3f}" height="8" fill="#d92d20"/></svg>'
    )


def line_chart(title: str, labels: list[str], series: list[tuple[str, str, list]],
               fmt, threshold: float | None = None) -> Markup:
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
        (f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{e(title)}">'
         f"<title>{e(title)}</title>")
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
    return Markup("".join(parts))


def trend_charts(doc: dict) -> dict[str, Markup] | None:
    """The two trend charts (usable rows, share quarantined per delivery); None before the
    second delivery of the source."""
    runs = doc["trend"]
    if len(runs) < 2:
        return None
    labels = [(r["extracts"] or [str(r["as_of"])])[-1] for r in runs]  # the newest extract
    used = [(t.capitalize(), SERIES_COLOURS[t], [r[f"{t}_used"] for r in runs]) for t in TABLES]
    rates = [
        (t.capitalize(), SERIES_COLOURS[t], [share(r[f"{t}_quarantined"], r[f"{t}_read"]) for r in runs])
        for t in TABLES
    ]
    return {
        "used": line_chart("Usable rows per delivery", labels, used, lambda v: f"{v:,.0f}"),
        "rates": line_chart("Share of rows quarantined", labels, rates, lambda v: f"{v:.1%}",
                            threshold=doc["thresholds"]["max_quarantine_rate"]),
    }


# ---------------------------------------------------------------------------------- page
def attention(checks: list[dict]) -> list[dict]:
    """The failed checks, blocking ones first, then in table order."""
    bad = [c for c in checks if c["success"] is False]
    return sorted(bad, key=lambda c: (c["severity"] != ERROR, TABLE_ORDER.get(c["table"], 9)))


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(wrap=wrap, number=number, pct=pct, size=size)
    env.globals.update(
        tables=TABLES, error=ERROR, colours=SERIES_COLOURS, share=share,
        stacked_bar=stacked_bar, reason_bar=reason_bar,
    )
    return env.get_template(TEMPLATE)


def render_html(doc: dict) -> str:
    """The report page for one document."""
    return _template().render(
        doc=doc,
        css=Markup((TEMPLATES / CSS).read_text(encoding="utf-8")),
        attention=attention(doc["checks"]),
        charts=trend_charts(doc),
    )
