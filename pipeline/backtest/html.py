"""backtest.html: one self-contained page for an analyst and a panel chair (Jinja2 template in
templates/, CSS inline, no script, font or network request), with plots drawn by matplotlib as
inline SVG (text as text, fixed hash salt, no date: same numbers, same bytes)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from pipeline.backtest.report import MEASURES
from pipeline.outputs.charts import plot_rc, svg

PLOT_RC = plot_rc("matac-backtest")
# Fixed colours: scored models first, then baselines; 'best possible' always black, dashed.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"]
BASELINE_STYLE = {"frequency only": "#ff7f0e", "harm last 12 months": "#17becf",
                  "DASH-high count": "#bcbd22", "random": "#7f7f7f"}
BEST = "best possible order"

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)


def _colours(doc: dict) -> dict[str, str]:
    colours = {m["name"]: PALETTE[i % len(PALETTE)] for i, m in enumerate(doc["models"])}
    colours.update(BASELINE_STYLE)
    colours[BEST] = "#000000"
    return colours


def _figure(width: float = 7.5, height: float = 4.2):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def _finish(fig, ax, title: str, xlabel: str, ylabel: str, bottom: float = 0.13) -> str:
    ax.set_title(title, loc="left", fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, color="#dddddd")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
    fig.subplots_adjust(left=0.09, right=0.70, top=0.91, bottom=bottom)
    return svg(fig)


def curve_svg(doc: dict) -> str:
    """Share of all future harm caused by the top x% of each model's list (averaged over dates)."""
    import matplotlib

    colours = _colours(doc)
    curves = doc["capture_curve"]
    names = [m["name"] for m in doc["models"]] + list(doc["baselines"])
    with matplotlib.rc_context(PLOT_RC):
        fig, ax = _figure()
        for name in [n for n in names if n in curves]:
            label = "random order (expected)" if name == "random" else name
            ax.plot([p[0] for p in curves[name]], [100 * (p[1] or 0) for p in curves[name]],
                    color=colours[name], linewidth=1.6, label=label)
        if BEST in curves:
            ax.plot([p[0] for p in curves[BEST]], [100 * (p[1] or 0) for p in curves[BEST]],
                    color="#000000", linestyle="--", linewidth=1.2, label="best possible order")
        ax.set_xlim(0, 100)
        ax.set_ylim(bottom=0)
        return _finish(fig, ax, "Harm-capture curve: who on the list caused the future harm",
                       "top x% of the list at the date", "% of all future harm")


def top_k_svg(doc: dict) -> str:
    """harm_captured_top_k per cycle date and model, with the best possible top k."""
    import matplotlib

    colours = _colours(doc)
    dates = doc["as_of_dates"]
    xs = list(range(len(dates)))
    with matplotlib.rc_context(PLOT_RC):
        fig, ax = _figure()
        names = [m["name"] for m in doc["models"]] + list(doc["baselines"])
        for name in names:
            ys = [_share(r["harm_captured_top_k"]) for r in doc["cycles"] if r["model"] == name]
            ax.plot(xs, ys, marker="o", markersize=3, color=colours[name], linewidth=1.4,
                    label=name)
        best = [_share(r["best_possible_top_k"]) for r in doc["cycles"]
                if r["model"] == names[0]]
        ax.plot(xs, best, color="#000000", linestyle="--", linewidth=1.2,
                label=f"best possible {doc['backtest']['top_k']}")
        step = max(1, len(dates) // 8)
        ax.set_xticks(xs[::step])
        ax.set_xticklabels(dates[::step], rotation=30, ha="right")
        ax.set_ylim(bottom=0)
        return _finish(fig, ax, f"Top {doc['backtest']['top_k']}: share of the next "
                       f"{doc['backtest']['horizon_months']} months' harm, per cycle date",
                       "cycle date", "% of all future harm", bottom=0.24)


def calibration_svg(doc: dict) -> str:
    """Mean future harm per score band, for each scored model (pooled over dates)."""
    import matplotlib

    colours = _colours(doc)
    with matplotlib.rc_context(PLOT_RC):
        fig, ax = _figure()
        for m in doc["models"]:
            rows = sorted((r for r in doc["calibration"] if r["model"] == m["name"]),
                          key=lambda r: r["score"])
            ax.plot([r["score"] for r in rows], [r["mean_future_harm"] for r in rows],
                    marker="o", markersize=3, color=colours[m["name"]], linewidth=1.4,
                    label=m["name"])
        ax.set_ylim(bottom=0)
        return _finish(fig, ax, "Calibration: future harm per person by score band",
                       "score at the date", "mean future harm (weight units)")


def _share(value) -> float | None:
    return None if value is None else 100 * value


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _num(value, digits: int = 2) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.{digits}f}".rstrip("0").rstrip(".")


def render(doc: dict) -> str:
    template = _ENV.get_template("backtest.html.j2")
    names = [m["name"] for m in doc["models"]] + list(doc["baselines"])
    return template.render(
        doc=doc, names=names, measures=MEASURES, pct=_pct, num=_num,
        curve_svg=curve_svg(doc), top_k_svg=top_k_svg(doc),
        calibration_svg=calibration_svg(doc),
    )
