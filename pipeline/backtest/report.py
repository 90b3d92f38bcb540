"""What a back-test writes: `backtest_cycles.csv` (one row per cycle date and model, the domain
brief's columns, then the top 1% and 5% capture), `backtest.json` (the same, each model's
settings, calibration, the capture curve, the summary and the inputs' sha256) and
`backtest.html`. Aggregates only: no person id, name or date of birth appears in any of them.
Same inputs and settings, same bytes (no timings, no clock)."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from pathlib import Path

from pipeline.outputs.publish import atomic_path

# The domain brief's columns, in its order, then the extra shares of the top 1% and 5%, and how
# many of the top k a panel had adopted in the date's horizon (their outcome may be the panel's).
CYCLE_COLUMNS = [
    "as_of", "model", "listed", "top_k", "total_future_harm", "harm_captured_top_k",
    "best_possible_top_k", "harm_captured_list", "unseen_harm_share", "precision_at_k_repeat",
    "precision_at_k_serious", "auc_list", "churn_top_k",
    "harm_captured_top_1pct", "harm_captured_top_5pct", "adopted_top_k",
]
MEASURES = CYCLE_COLUMNS[5:]
NAMES = {"csv": "backtest_cycles.csv", "json": "backtest.json", "html": "backtest.html"}


def _mean(values) -> float | None:
    kept = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return round(statistics.fmean(kept), 6) if kept else None


def model_means(cycles: list[dict], names: list[str]) -> dict[str, dict]:
    """Each model's measures averaged over the cycle dates (missing values left out)."""
    out = {}
    for name in names:
        rows = [r for r in cycles if r["model"] == name]
        means = {m: _mean(r[m] for r in rows) for m in MEASURES}
        means["listed"] = _mean(r["listed"] for r in rows)
        spread = [r["harm_captured_top_k"] for r in rows if r["harm_captured_top_k"] is not None]
        means["harm_captured_top_k_sd"] = (round(statistics.stdev(spread), 6)
                                           if len(spread) > 1 else None)
        out[name] = means
    return out


def _pct(value: float | None) -> str:
    """A share as a percentage: one decimal, two below 1% (top-k shares of a long list)."""
    if value is None:
        return "n/a"
    return f"{100 * value:.2f}%" if abs(value) < 0.01 else f"{100 * value:.1f}%"


def _wins(cycles: list[dict], a: str, b: str, measure: str) -> tuple[int, int]:
    """In how many cycles `a` beat `b` on `measure`, of the cycles where both have a value."""
    by_date: dict[str, dict] = {}
    for r in cycles:
        by_date.setdefault(str(r["as_of"]), {})[r["model"]] = r[measure]
    pairs = [(v[a], v[b]) for v in by_date.values() if v.get(a) is not None and v.get(b) is not None]
    return sum(x > y for x, y in pairs), len(pairs)


def summary(doc: dict) -> dict:
    """Which model did best at the top k and within the list, by how much, in plain words."""
    means, k = doc["means"], doc["backtest"]["top_k"]
    configured = doc["models"][0]["name"]
    names = [m["name"] for m in doc["models"]] + list(doc["baselines"])
    ranked = [n for n in names if means[n]["harm_captured_top_k"] is not None]
    if not ranked:
        return {"best_top_k": None, "best_auc": None,
                "lines": ["No future harm was recorded after any cycle date: nothing to measure."]}
    best = max(ranked, key=lambda n: (means[n]["harm_captured_top_k"], -names.index(n)))
    with_auc = [n for n in names if means[n]["auc_list"] is not None]
    best_auc = max(with_auc, key=lambda n: (means[n]["auc_list"], -names.index(n))) if with_auc else None
    c, b = means[configured], means[best]
    n = len(doc["as_of_dates"])
    lines = [
        (f"Over {n} cycle date{'s' if n != 1 else ''} ({doc['as_of_dates'][0]} to "
        f"{doc['as_of_dates'][-1]}), the top {k} of the configured model ({configured}) caused "
        f"on average {_pct(c['harm_captured_top_k'])} of all the harm recorded in the next "
        f"{doc['backtest']['horizon_months']} months; the {k} people who went on to cause the "
        f"most harm caused {_pct(c['best_possible_top_k'])}."),
    ]
    if best == configured:
        lines.append(f"No other model or baseline captured more at the top {k}.")
    else:
        wins, of = _wins(doc["cycles"], best, configured, "harm_captured_top_k")
        diff = 100 * (b["harm_captured_top_k"] - c["harm_captured_top_k"])
        points = f"{diff:.2f}" if diff < 0.1 else f"{diff:.1f}"
        lines.append(
            f"Best at the top {k}: {best}, {_pct(b['harm_captured_top_k'])} ({points} "
            f"percentage points more than {configured}; better in {wins} of {of} cycles).")
    sd = c["harm_captured_top_k_sd"]
    if sd is not None:
        spread = f"{100 * sd:.2f}" if sd < 0.001 else f"{100 * sd:.1f}"
        lines.append(f"From one cycle to the next the top-{k} share of {configured} varies by "
                     f"about {spread} points (standard deviation): smaller differences "
                     "between models are not evidence that one is better.")
    if best_auc is not None:
        lines.append(
            f"Best at putting those who offended again above those who did not (AUC within the "
            f"list, 0.5 = chance): {best_auc}, {means[best_auc]['auc_list']:.2f}; "
            f"{configured}: {_fmt(c['auc_list'])}; random order: "
            f"{_fmt(means['random']['auc_list'])}.")
    lines.append(
        f"The whole list held {_pct(c['harm_captured_list'])} of the future harm; "
        f"{_pct(c['unseen_harm_share'])} came from people not on the list at the date, which no "
        "ordering of the list can find.")
    return {"best_top_k": best, "best_auc": best_auc, "lines": lines}


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def document(*, cycles, calibration, curve, models, baselines, as_of_dates, backtest, inputs,
             code_version) -> dict:
    names = [m["name"] for m in models] + list(baselines)
    doc = {
        "as_of_dates": as_of_dates,
        "backtest": backtest,
        "models": models,
        "baselines": baselines,
        "columns": CYCLE_COLUMNS,
        "cycles": [{c: _plain(r[c]) for c in CYCLE_COLUMNS} for r in cycles],
        "calibration": [{k: _plain(v) for k, v in r.items()} for r in calibration],
        "capture_curve": _curves(curve),
        "inputs": [{k: _plain(v) for k, v in f.items()} for f in inputs],
        "code_version": code_version,
    }
    doc["means"] = model_means(doc["cycles"], names)
    doc["summary"] = summary(doc)
    return doc


def _curves(rows: list[dict]) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["model"], []).append([int(r["percent"]), _plain(r["harm_share"])])
    return out


def _plain(value):
    """JSON- and CSV-friendly: dates as ISO text, decimals as floats, NaN as None."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str, list, dict)):
        return value
    value = float(value)
    return None if math.isnan(value) else value


def cycles_csv(doc: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CYCLE_COLUMNS)
    for r in doc["cycles"]:
        w.writerow(["" if r[c] is None else r[c] for c in CYCLE_COLUMNS])
    return buf.getvalue()


def write(doc: dict, out_dir: Path) -> dict[str, Path]:
    """The three files, each written to a temporary name and renamed into place."""
    from pipeline.backtest.html import render

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: out_dir / v for k, v in NAMES.items()}
    texts = {"csv": cycles_csv(doc),
             "json": json.dumps(doc, indent=2, sort_keys=False) + "\n",
             "html": render(doc)}
    for key, text in texts.items():
        with atomic_path(paths[key]) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return paths
