"""What `matac bench` reports: the medians of the repetitions, the printed table and final line,
the JSON document per size and the scaling plot of every size measured so far."""

from __future__ import annotations

import json
import os
import platform
import statistics
from pathlib import Path

from pipeline.outputs.charts import plot_rc, svg

# The stages of a run as its manifest names them, in pipeline order.
STAGES = ("raw_extracts", "staged_tables", "reference_data", "identity_candidates",
          "person_identity", "scored_perpetrators", "priority_list")
# The stages that compute the list once the data is staged: the rule, identity and the marts
# (`core_s`, compared with the in-memory floor, which does only that).
CORE_STAGES = ("reference_data", "identity_candidates", "person_identity", "scored_perpetrators",
               "priority_list")
PLOT_NAME = "scaling.svg"
PLOT_TITLE = "matac bench: cost against extract size (log-log; slope 1 = linear)"
# Fixed so that the same numbers give the same bytes (matplotlib salts its SVG ids at random).
PLOT_RC = plot_rc("matac-bench")


def _median(values):
    return statistics.median(values) if values else None


def core_seconds(rep: dict) -> float:
    """The rule, identity and marts stages of one run, together."""
    return sum(rep["stages"].get(s, 0.0) for s in CORE_STAGES)


def median_parts(runs: list[dict]) -> dict:
    """The median of each `time:` part (imports, dagster, ...) over runs that recorded it."""
    names = dict.fromkeys(k for r in runs for k in r.get("parts", {}))
    return {n: _median([r["parts"][n] for r in runs if n in r.get("parts", {})]) for n in names}


def summarise(reps: list[dict]) -> dict:
    def med(key):
        return _median([r[key] for r in reps])

    stages = {}
    for name in [*STAGES, "publish", "other"]:
        vals = [r["stages"][name] for r in reps if name in r["stages"]]
        if vals:
            stages[name] = _median(vals)
    parts = median_parts(reps)
    linked = [r["linked"] for r in reps if "linked" in r]
    if linked:
        linked_summary = {
            "linked_s": _median([r["run_s"] for r in linked]),
            "linked_peak_mb": max(r["peak_mb"] for r in linked),
            "linked_vs_persisted": _median([r["linked"]["run_s"] / r["persisted"]["seconds"]
                                            for r in reps if "linked" in r]),
        }
    else:
        linked_summary = {}
    return {
        "run_s": med("run_s"),
        "peak_mb": max(r["peak_mb"] for r in reps),
        "peak_mb_median": med("peak_mb"),
        "pandas_s": _median([r["pandas"]["seconds"] for r in reps]),
        "pandas_peak_mb": _median([r["pandas"]["peak_mb"] for r in reps]),
        "floor_s": _median([r["floor"]["seconds"] for r in reps]),
        "floor_peak_mb": _median([r["floor"]["peak_mb"] for r in reps]),
        "persisted_s": _median([r["persisted"]["seconds"] for r in reps]),
        "persisted_load_s": _median([r["persisted"]["load_s"] for r in reps]),
        "persisted_peak_mb": _median([r["persisted"]["peak_mb"] for r in reps]),
        "core_s": _median([core_seconds(r) for r in reps]),
        # ratios are taken within each repetition (same machine load), then the median
        "vs_floor": _median([r["run_s"] / r["floor"]["seconds"] for r in reps]),
        "vs_persisted": _median([r["run_s"] / r["persisted"]["seconds"] for r in reps]),
        "core_vs_floor": _median([core_seconds(r) / r["floor"]["seconds"] for r in reps]),
        "vs_pandas": _median([r["pandas"]["seconds"] / r["run_s"] for r in reps]),
        **linked_summary,
        "stages": stages,
        "parts": parts,
    }


def final_line(incidents: int, s: dict) -> str:
    line = (f"bench incidents={incidents} run_s={s['run_s']:.2f} peak_mb={s['peak_mb']:.0f} "
            f"pandas_s={s['pandas_s']:.2f} floor_s={s['floor_s']:.2f} "
            f"persisted_s={s['persisted_s']:.2f} vs_floor={s['vs_floor']:.2f}x "
            f"vs_persisted={s['vs_persisted']:.2f}x core_vs_floor={s['core_vs_floor']:.2f}x "
            f"vs_pandas={s['vs_pandas']:.2f}x")
    if "linked_s" in s:
        line += (f" linked_s={s['linked_s']:.2f} linked_peak_mb={s['linked_peak_mb']:.0f} "
                 f"linked_vs_persisted={s['linked_vs_persisted']:.2f}x")
    return line


def _table_rows(reps: list[dict], s: dict) -> list[tuple[str, list]]:
    rows: list[tuple[str, list]] = []
    for name in [*STAGES, "publish", "other"]:
        if name in s["stages"]:
            label = {"other": "other (start-up, Dagster, data quality)"}.get(name, name)
            rows.append((f"  {label}", [r["stages"].get(name) for r in reps] + [s["stages"][name]]))
    for name, value in s.get("parts", {}).items():
        rows.append((f"    run's time: {name}", [r.get("parts", {}).get(name) for r in reps]
                     + [value]))
    rows.append(("matac run (wall, s)", [r["run_s"] for r in reps] + [s["run_s"]]))
    rows.append(("matac run peak memory (MB)", [r["peak_mb"] for r in reps] + [s["peak_mb_median"]]))
    rows.append(("pandas baseline (s)", [r["pandas"]["seconds"] for r in reps] + [s["pandas_s"]]))
    rows.append(("  pandas peak memory (MB)", [r["pandas"]["peak_mb"] for r in reps]
                 + [s["pandas_peak_mb"]]))
    rows.append(("floor: one DuckDB query (s)", [r["floor"]["seconds"] for r in reps] + [s["floor_s"]]))
    rows.append(("  floor peak memory (MB)", [r["floor"]["peak_mb"] for r in reps]
                 + [s["floor_peak_mb"]]))
    rows.append(("persisted floor: load + query (s)", [r["persisted"]["seconds"] for r in reps]
                 + [s["persisted_s"]]))
    rows.append(("  of which loading the file (s)", [r["persisted"]["load_s"] for r in reps]
                 + [s["persisted_load_s"]]))
    rows.append(("  persisted floor peak memory (MB)", [r["persisted"]["peak_mb"] for r in reps]
                 + [s["persisted_peak_mb"]]))
    if "linked_s" in s:
        linked = [r.get("linked", {}) for r in reps]
        rows.append(("run, linked (s)", [r.get("run_s") for r in linked]
                     + [s["linked_s"]]))
        rows.append(("  linked peak memory (MB)", [r.get("peak_mb") for r in linked]
                     + [s["linked_peak_mb"]]))
    rows.append(("run / floor", [r["run_s"] / r["floor"]["seconds"] for r in reps] + [s["vs_floor"]]))
    rows.append(("run / persisted floor", [r["run_s"] / r["persisted"]["seconds"] for r in reps]
                 + [s["vs_persisted"]]))
    rows.append(("rule+identity+marts / floor", [core_seconds(r) / r["floor"]["seconds"]
                                                    for r in reps] + [s["core_vs_floor"]]))
    rows.append(("pandas / run", [r["pandas"]["seconds"] / r["run_s"] for r in reps]
                 + [s["vs_pandas"]]))
    return rows


def table(reps: list[dict], s: dict) -> str:
    heads = [f"rep {i + 1}" for i in range(len(reps))] + ["median"]
    rows = _table_rows(reps, s)
    width = max(len(label) for label, _ in rows) + 2
    lines = [" " * width + "".join(f"{h:>10}" for h in heads)]
    for label, vals in rows:
        cells = "".join(f"{'' if v is None else format(v, '.0f' if v >= 100 else '.2f'):>10}"
                        for v in vals)
        lines.append(f"{label:<{width}}{cells}")
    return "\n".join(lines)


def machine() -> dict:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("duckdb", "dagster", "pandas", "pyarrow"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


def write_results(doc: dict, out_dir: Path) -> Path:
    """`bench-<N>.json` in `out_dir`, then the scaling plot of every size there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{doc['incidents']}.json"
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    write_plot(out_dir)
    return path


# ---------------------------------------------------------------------------------- plot
def _size_label(x: float) -> str:
    return f"{x / 1e6:g}M" if x >= 1e6 else f"{x / 1e3:g}k"


def scaling_svg(results: list[dict]) -> str:
    """A log-log plot (matplotlib, SVG with text as text) of run time and peak memory against
    incidents, one point per size, with the floor and pandas times. `results` are
    {"incidents": N, "summary": {...}} as in the JSON documents. Same numbers, same bytes."""
    import math

    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import (
        FixedLocator,
        FuncFormatter,
        NullFormatter,
        NullLocator,
    )

    pts = sorted(results, key=lambda r: r["incidents"])
    xs = [r["incidents"] for r in pts]

    def vals(key, scale=1.0):
        return [r["summary"][key] / scale if r["summary"].get(key) else None for r in pts]

    series = [(name, colour, vs) for name, colour, vs in [
        ("matac run (s)", "#1f77b4", vals("run_s")),
        ("run, linked (s)", "#17becf", vals("linked_s")),
        ("fresh, monthly (s)", "#8c564b", vals("fresh_s")),
        ("incremental (s)", "#ff7f0e", vals("incremental_s")),
        ("floor query (s)", "#2ca02c", vals("floor_s")),
        ("persisted floor (s)", "#bcbd22", vals("persisted_s")),
        ("pandas (s)", "#d62728", vals("pandas_s")),
        ("peak memory (GB)", "#9467bd", vals("peak_mb", 1024)),
    ] if any(vs)]
    with matplotlib.rc_context(PLOT_RC):
        fig = Figure(figsize=(8.0, 5.0))
        ax = fig.add_subplot()
        for name, colour, vals in series:
            kept = [(x, v) for x, v in zip(xs, vals) if v and v > 0]
            ax.plot([x for x, _ in kept], [v for _, v in kept], marker="o", markersize=4,
                    color=colour, linewidth=2, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_major_locator(FixedLocator(xs))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels([_size_label(x) for x in xs])
        if len(xs) == 1:
            ax.set_xlim(xs[0] / 3, xs[0] * 3)
        ys = [v for _, _, vals in series for v in vals if v and v > 0]
        y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
        ax.set_ylim(10 ** y0, 10 ** max(y1, y0 + 1))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("incidents")
        ax.grid(True, which="major", color="#dddddd")
        ax.set_title(PLOT_TITLE, loc="left", fontsize=10)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False)
        fig.subplots_adjust(left=0.08, right=0.76, top=0.92, bottom=0.11)
        return svg(fig)


def write_plot(out_dir: Path) -> Path | None:
    """The plot of every `bench-<N>.json` and `incremental-<N>.json` in `out_dir` (one point per
    size; an incremental bench adds its fresh and incremental times to its size's point)."""
    by_size: dict[int, dict] = {}
    for path in sorted([*out_dir.glob("bench-*.json"), *out_dir.glob("incremental-*.json")]):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            by_size.setdefault(doc["incidents"], {}).update(doc["summary"])
        except (OSError, ValueError, KeyError):
            continue
    results = [{"incidents": n, "summary": s} for n, s in by_size.items()]
    if not results:
        return None
    target = out_dir / PLOT_NAME
    target.write_text(scaling_svg(results), encoding="utf-8")
    return target
