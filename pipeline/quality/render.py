"""The HTML of the data-quality report, rendered from the document (`report`) with the Jinja2
template `templates/data_quality_report.html.j2`.

The page is self-contained: its CSS (`templates/report.css`) is inlined into a <style> element
at render time; the trend charts are drawn by matplotlib (`line_chart`, inline SVG) and the bars
in the tables are two-rectangle SVG gauges (`stacked_bar`, `reason_bar`); no script, font or image is loaded from anywhere, so it works offline and prints
on A4. Every value is escaped (`html.escape`) unless it is markup built here (`Markup`)."""

from __future__ import annotations

import html
import json
from functools import cache, lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.core.contract import TABLES
from pipeline.outputs.charts import plot_rc, svg
from pipeline.quality.suites import ERROR

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "data_quality_report.html.j2"
CSS = "report.css"
SERIES_COLOURS = {"incidents": "#1570ef", "persons": "#7a5af8", "involvements": "#0e9384"}
TABLE_ORDER = {t: i for i, t in enumerate((*TABLES, "priority_list"))}
PLOT_RC = plot_rc("matac-quality")


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
               fmt, threshold: float | None = None, prefix: str = "chart") -> Markup:
    """A line chart drawn by matplotlib (inline SVG, text as text, ids prefixed): one line per
    series over the runs (oldest first), y ticks in `fmt`, the threshold as a dashed red line.
    The page gives its heading and legend (series colours); `title` is the chart's accessible
    name."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    with matplotlib.rc_context(PLOT_RC):
        fig = Figure(figsize=(5.6, 2.2))
        ax = fig.add_subplot()
        x = list(range(len(labels)))
        for name, colour, values in series:
            kept = [(i, v) for i, v in zip(x, values) if v is not None]
            ax.plot([i for i, _ in kept], [v for _, v in kept], color=colour, linewidth=2,
                    marker="o", markersize=4, markerfacecolor="white", label=name)
        if threshold is not None:
            ax.axhline(threshold, color="#d92d20", linestyle="--", linewidth=1)
            ax.annotate(f"limit {fmt(threshold)}", (1, threshold), xytext=(0, 3),
                        xycoords=ax.get_yaxis_transform(), textcoords="offset points",
                        ha="right", color="#b42318", fontsize=8)
        step = max(1, (len(x) + 5) // 6)
        shown = sorted({*x[::step], x[-1]}) if x else []
        ax.set_xticks(shown, [labels[i] for i in shown])
        ax.set_xlim(-0.3, max(len(x) - 1, 1) + 0.3)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(v)))
        ax.grid(axis="y", color="#eaecf0")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.subplots_adjust(left=0.12, right=0.97, top=0.95, bottom=0.13)  # no layout pass
        text = svg(fig, prefix)
    return Markup(text.replace("<svg ", f'<svg role="img" aria-label="{e(title)}" ', 1))


def trend_charts(doc: dict) -> dict[str, Markup] | None:
    """The two trend charts (usable rows, share quarantined per delivery); None before the
    second delivery of the source. A run renders its report twice (after the staged checks,
    then with the list's), with the same trend: the charts are drawn once."""
    runs = doc["trend"]
    if len(runs) < 2:
        return None
    return _trend_charts(json.dumps([runs, doc["thresholds"]["max_quarantine_rate"]], default=str))


@lru_cache(maxsize=2)
def _trend_charts(trend: str) -> dict[str, Markup]:
    """trend_charts of `trend`: the JSON of the runs and the quarantine-rate limit."""
    runs, limit = json.loads(trend)
    labels = [(r["extracts"] or [str(r["as_of"])])[-1] for r in runs]  # the newest extract
    used = [(t.capitalize(), SERIES_COLOURS[t], [r[f"{t}_used"] for r in runs]) for t in TABLES]
    rates = [
        (t.capitalize(), SERIES_COLOURS[t], [share(r[f"{t}_quarantined"], r[f"{t}_read"]) for r in runs])
        for t in TABLES
    ]
    return {
        "used": line_chart("Usable rows per delivery", labels, used, lambda v: f"{v:,.0f}",
                           prefix="used"),
        "rates": line_chart("Share of rows quarantined", labels, rates, lambda v: f"{v:.1%}",
                            threshold=limit, prefix="rates"),
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
