"""The back-test's computation on one DuckDB file: ingest once, then, per model, one set-based
pass of the rule's own SQL (`sql/intermediate/`) over every cycle date at once: `int_cycles`
first holds one all-time cycle (every qualifying link at any time: the rule's conditions do not
depend on the date, only its window does), then every date with its window, into which
`sql/backtest/explode_links.sql` cuts the links of the persons who could be serial. What every
person did in each date's horizon comes from the same all-time qualifying incidents.

Because the rankings come from the very models `matac run` uses, the ranking at D is the list a
run at D publishes (tested against real runs); because each date's window ends at D, nothing
after D can change it (tested)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.core import db
from pipeline.core.settings import Settings
from pipeline.identity.resolve import build_candidates, build_identity
from pipeline.ingest.read import load_extracts
from pipeline.ingest.stage import build_staging
from pipeline.panel.decisions import load_decisions
from pipeline.rule.reference import band_params, load_reference
from pipeline.rule.score import rule_params

# One model's pass, in order. Segment A finds every qualifying link at any time with the rule's
# own models (int_cycles = one all-time cycle) and keeps the candidates' links; segment B cuts
# them into every date's window and runs the rule's own remaining models on all dates at once.
SEGMENT_A = ("backtest/all_time_cycles", "intermediate/int_incidents",
             "intermediate/int_involvements", "intermediate/int_qualifying_links",
             "backtest/save_links")
SEGMENT_B = ("backtest/rule_cycles", "backtest/explode_links",
             "intermediate/int_qualifying_incidents", "intermediate/int_perpetrator_stats",
             "intermediate/int_perpetrator_scores")
# The configured model's pass also keeps every person's incidents at any time (the future).
FUTURE = ("intermediate/int_qualifying_incidents", "backtest/save_future")
RULE_MODELS = tuple(m for m in db.models("intermediate") if m != "intermediate/int_cycles")
assert set(RULE_MODELS) == set(SEGMENT_A[1:4] + SEGMENT_B[2:]), "a rule model is not in the pass"


@dataclass(frozen=True)
class Model:
    """One scored model of a back-test: a name and its validated settings."""

    name: str
    settings: Settings
    source: str  # 'settings', a preset name or a settings file


@dataclass
class Passes:
    """What the passes ran, and how long each took (seconds, by step)."""

    timings: dict[str, float] = field(default_factory=dict)
    reused: dict[str, list[str]] = field(default_factory=dict)

    def timed(self, name: str, func: Callable[[], object]):
        start = time.perf_counter()
        out = func()
        self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 3)
        return out


def ingest(con: duckdb.DuckDBPyConnection, settings: Settings, extracts: Sequence[str | Path],
           work_dir: Path, passes: Passes, progress: Callable[[str], None] | None = None) -> dict:
    """Raw, staging and identity layers, once, exactly as a run with `settings` (the configured
    model's: its identity section resolves the persons every model ranks). Returns staging
    counts."""
    passes.timed("ingest/raw", lambda: load_extracts(con, extracts, work_dir, progress))
    staged = passes.timed("ingest/staging", lambda: build_staging(con))
    passes.timed("ingest/identity_candidates", lambda: build_candidates(con, settings))
    passes.timed("ingest/identity", lambda: build_identity(con, settings))
    # panel decisions (empty without panel.decisions): adopted people are flagged, since a
    # panel's intervention changes what they go on to do
    passes.timed("ingest/panel_decisions", lambda: load_decisions(con, settings))
    return staged.counts


def latest_occurred_date(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    return db.run(con, "intermediate/int_latest_occurred_date").fetchone()[0]


def _param_key(name: str, params: dict) -> tuple:
    """What a rule model's result depends on besides its upstream models: its bound
    parameters and the reference tables its text reads."""
    text = db.sql_text(name)
    key = tuple((p, repr(params[p])) for p in sorted(db.sql_params(name)))
    if "ref_gravity" in text:
        key += (("gravity_table", params["gravity_table"]),)
    if "ref_score_bands" in text:
        key += tuple((k, repr(v)) for k, v in sorted(params.items()) if k.startswith("band_"))
    return key


def _model_params(settings: Settings, dates: list[dt.date], horizon_months: int) -> dict:
    params = {**rule_params(settings, dates[-1]), **band_params(settings)}
    params.update(dates=dates, gravity_table=str(settings.gravity_table_path),
                  horizon_months=horizon_months)
    return params


def _start(chain: tuple[str, ...], keys: dict[str, tuple], previous: dict[str, tuple]) -> int:
    """Where a model's pass must start: at the first step whose parameters differ from the
    previous model's; a change in segment A (which replaces int_cycles) restarts it whole."""
    for i, name in enumerate(chain):
        if previous.get(name) != keys[name]:
            return 0 if name in SEGMENT_A else i
    return len(chain)


def rank_models(con, models: Sequence[Model], rule_dates: list[dt.date], measured: list[dt.date],
                horizon_months: int, passes: Passes,
                after_first: Callable[[], None] | None = None) -> None:
    """bt_future (what everyone did in each measured date's horizon, under the configured
    model's rule and weights: one yardstick for every model) and bt_rankings (each model's
    ranking at every date in `rule_dates`). A model whose parameters agree with the previous
    model's up to some step reuses the tables made before it (presets differ only in scoring).
    `after_first` runs while the configured model's tables are still there."""
    db.run(con, "backtest/create_results")
    previous: dict[str, tuple] = {}
    for i, model in enumerate(models):
        params = _model_params(model.settings, rule_dates, horizon_months)
        chain = SEGMENT_A + SEGMENT_B
        if i == 0:
            chain = SEGMENT_A + FUTURE + SEGMENT_B
        keys = {name: _param_key(name, params) for name in chain}
        start = _start(chain, keys, previous)
        passes.timed(f"rank/{model.name}/reference",
                     lambda s=model.settings: load_reference(con, s))
        passes.reused[model.name] = [n.split("/")[-1] for n in chain[:start]]
        for pos in range(start, len(chain)):
            name = chain[pos]
            future = i == 0 and len(SEGMENT_A) <= pos < len(SEGMENT_A) + len(FUTURE)
            p = {**params, "dates": measured} if future else params
            passes.timed(f"rank/{'future' if future else model.name}/{name.split('/')[-1]}",
                         lambda n=name, p=p: db.run(con, n, p))
        passes.timed(f"rank/{model.name}/save", lambda m=model.name: db.run(
            con, "backtest/save_ranking", {"model": m}))
        if i == 0 and after_first is not None:
            after_first()
        previous = keys


def baselines(con, draws: int, seed: int, passes: Passes) -> None:
    """The simple baselines, from the configured model's tables (run inside `rank_models`)."""
    passes.timed("baselines/inputs", lambda: db.run(con, "backtest/save_baseline_inputs"))
    passes.timed("baselines/orders", lambda: db.run(con, "backtest/save_baselines"))
    passes.timed("baselines/random", lambda: db.run(
        con, "backtest/save_random", {"draws": draws, "seed": seed}))
