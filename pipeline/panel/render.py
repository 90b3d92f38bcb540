"""Panel documents as files: Jinja2 templates (pipeline/panel/templates/) to one
self-contained HTML file (CSS inlined, charts as inline SVG, no scripts), and WeasyPrint to
PDF from the same HTML. Same data and settings, same bytes."""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")
REASONS = {"out_of_window": "no qualifying incident left in the window",
           "no_longer_serial": "below the thresholds (incidents or victims)"}


def _num(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"


def _day(value) -> str:
    if value is None:
        return ""
    return f"{value:%Y-%m-%d}" if isinstance(value, (dt.date, dt.datetime)) else str(value)


def _css_string(value: str) -> str:
    """Text inside a CSS double-quoted string (in the <style> of the page)."""
    out = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return out.replace("<", "\\3C ").replace(">", "\\3E ")


def _reason(value: str) -> str:
    return REASONS.get(value, value)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=False, keep_trailing_newline=True,
    )
    env.filters.update(num=_num, day=_day, css_string=_css_string, reason=_reason)
    return env


def html(template: str, context: dict, css: str = "pack.css") -> str:
    """The document as one HTML string, its stylesheet inlined."""
    style = (TEMPLATES / css).read_text(encoding="utf-8")
    # the stylesheet is ours, not data: inserted as it is (escaped, its quoted font names broke)
    return environment().get_template(template).render(css=Markup(style), **context)


def pdf(document: str) -> bytes:
    """The HTML document printed to PDF by WeasyPrint, or the PDF an earlier run printed from
    the same HTML (pipeline.panel.cache)."""
    from pipeline.panel import cache

    key = "\n".join((cache.version("weasyprint", __file__), cache.version("pydyf", __file__),
                     document))
    return cache.remembered("pdf", key, lambda: _print(document))


def _print(document: str) -> bytes:
    """Nothing is fetched from outside: only `data:` URIs (the charts' PNGs) are read; any
    other reference stops the render. WeasyPrint is imported here, only when a PDF is asked for
    (its import takes about a second)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"], fail_on_errors=True)
    return weasyprint.HTML(string=document, url_fetcher=fetcher, base_url=str(TEMPLATES)).write_pdf()
