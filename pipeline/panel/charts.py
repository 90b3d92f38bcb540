"""The pack's charts, drawn by matplotlib: inline SVG for the HTML (text as text, fixed hash salt,
no date: the same numbers give the same bytes) and, when the pack is also printed to PDF, the same
figure as a PNG data URI (no metadata). WeasyPrint lays out every element of an inline SVG like
HTML (a chart is ~110 elements, half of a page's); a PNG is one element, so the PDF takes about
40% less time."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence

from pipeline.outputs import charts as drawing
from pipeline.outputs.charts import plot_rc, png_data_uri, svg
from pipeline.panel import cache

PLOT_RC = plot_rc("matac-panel", **{"font.family": "DejaVu Sans"})
INK, ACCENT, MUTED = "#1f2937", "#1d4ed8", "#9ca3af"
PNG_DPI = 200  # sharp on paper at the chart's printed width (~15 cm)


def _drawn(fig, prefix: str, png: bool) -> dict:
    """{"svg": inline SVG with ids prefixed, "png": PNG data URI or None}."""
    return {"svg": svg(fig, prefix), "png": png_data_uri(fig, PNG_DPI) if png else None}


def _kept(draw):
    """Draw the chart only when no earlier run drew it from the same numbers (pipeline.panel.cache)."""
    @functools.wraps(draw)
    def kept(*args, **kwargs) -> dict:
        key = repr((draw.__name__, args, sorted(kwargs.items()),
                    cache.version("matplotlib", __file__, drawing.__file__)))
        return json.loads(cache.remembered(
            "chart", key, lambda: json.dumps(draw(*args, **kwargs)).encode("utf-8")))
    return kept


@_kept
def harm_concentration(rows: Sequence[dict], prefix: str = "harm", png: bool = False) -> dict:
    """Bars: the share of the area's harm caused by its top 1%, 5% and 10% of perpetrators.
    `rows`: {top_percent, top_people, people, share} (share 0..1). Returns {"svg", "png"}."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(PLOT_RC):
        fig = Figure(figsize=(5.6, 1.55))
        ax = fig.add_subplot()
        labels = [f"top {r['top_percent']}%\n({r['top_people']:,} of {r['people']:,})" for r in rows]
        shares = [100.0 * r["share"] for r in rows]
        bars = ax.barh(labels, shares, color=ACCENT, height=0.55)
        for bar, share in zip(bars, shares):
            ax.text(min(share + 1.5, 88.0), bar.get_y() + bar.get_height() / 2, f"{share:.0f}%",
                    va="center", color=INK)
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        ax.set_xlabel("share of the area's harm (gravity in the window), %")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.subplots_adjust(left=0.22, right=0.97, top=0.95, bottom=0.27)  # no layout pass
        return _drawn(fig, prefix, png)


@_kept
def trajectory(dates: Sequence, scores: Sequence[float], listed: Sequence[bool], top: float,
               prefix: str = "trajectory", png: bool = False) -> dict:
    """RFG score at each cycle date (oldest first); hollow points where the person was not
    listed (score 0). Returns {"svg", "png"}."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(PLOT_RC):
        fig = Figure(figsize=(5.6, 1.9))
        ax = fig.add_subplot()
        x = list(range(len(dates)))
        ax.plot(x, scores, color=ACCENT, linewidth=1.5, zorder=1)
        on = [i for i in x if listed[i]]
        off = [i for i in x if not listed[i]]
        ax.scatter(on, [scores[i] for i in on], color=ACCENT, s=16, zorder=2)
        ax.scatter(off, [scores[i] for i in off], facecolor="white", edgecolor=MUTED, s=16,
                   zorder=2, label="not listed")
        ax.set_ylim(0, max(top, max(scores, default=0)) + 1)
        ax.set_xticks(x[::2] if len(x) > 6 else x)
        ax.set_xticklabels([f"{dates[i]:%d %b %y}" for i in (x[::2] if len(x) > 6 else x)])
        ax.set_ylabel("RFG")
        ax.grid(axis="y", color="#e5e7eb", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if off:
            ax.legend(loc="lower left", frameon=False, fontsize=7)
        fig.subplots_adjust(left=0.09, right=0.98, top=0.95, bottom=0.16)  # no layout pass
        return _drawn(fig, prefix, png)
