"""Figures to bytes, for every page the project writes (data-quality report, panel packs,
back-test, benchmark): matplotlib figures as SVG with text as text and no date (the same numbers
give the same bytes), optionally as inline SVG with its own ids, or as a PNG data URI."""

from __future__ import annotations

import base64
import io
import re


def plot_rc(salt: str, **extra) -> dict:
    """matplotlib settings for a page's charts: text as <text>, ids hashed with a fixed salt."""
    return {"svg.fonttype": "none", "svg.hashsalt": salt, "font.size": 9, **extra}


def svg(fig, prefix: str | None = None) -> str:
    """The figure as SVG text starting at <svg> (no XML declaration, no date). With a `prefix`
    (for a page holding several charts) the RDF metadata is dropped and every id, and each
    reference to it, is prefixed so the charts' ids stay distinct."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    if prefix is None:
        return text
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    ids = set(re.findall(r'\bid="([^"]+)"', text))

    def own(match: re.Match) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    text = re.sub(r'(\bid=")([^"]+)', own, text)
    return re.sub(r'((?:href="|url\()#)([^")]+)', own, text)


def png_data_uri(fig, dpi: int) -> str:
    """The figure as a PNG data URI (no metadata: same numbers, same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
