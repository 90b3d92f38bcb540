"""Back-testing: would the ranking at each past cycle date have found the harm that followed?

- `compute`: ingest once; rank every cycle date per model in one set-based pass of the rule's own
  SQL; every person's qualifying incidents in each date's horizon; the simple baselines.
- `models`: the configured model, `--compare` presets or files, the baselines.
- `run`: `run_backtest`, used by `matac backtest` and the Dagster `backtest` asset.
- `report` / `html`: backtest_cycles.csv, backtest.json, backtest.html (Jinja2, matplotlib SVG).
"""
