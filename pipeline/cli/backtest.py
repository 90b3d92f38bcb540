"""`matac backtest`: rank every cycle date in a range as `matac run --as-of D` would, and measure
how much of the harm in the following months each model's list found (see
`pipeline.backtest.run.run_backtest`). Exit codes: 0 written; 1 internal error; 2 usage error,
unreadable extract, bad settings or nothing to back-test."""

from __future__ import annotations

import argparse
import sys

from pipeline.cli.args import add_config, add_extracts, command, fail, iso_date


def register(sub) -> None:
    p = command(
        sub, "backtest", "measure how well the ranking found the harm that followed",
        "Ingest the extracts once, rank every cycle date between --from and --to whose "
        "horizon the data covers (exactly as `matac run --as-of` would), and measure what the "
        "people on each list did next: harm captured by the top k, precision, AUC, churn, "
        "calibration, against simple baselines. Writes backtest_cycles.csv, backtest.json and "
        "backtest.html.", main,
    )
    add_extracts(p)
    p.add_argument("--from", dest="start", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help="first cycle date considered")
    p.add_argument("--to", dest="end", type=iso_date, required=True, metavar="YYYY-MM-DD",
                   help="last cycle date considered")
    p.add_argument("--horizon-months", type=int, metavar="N",
                   help="months after each date in which harm is counted (default: setting "
                   "backtest.horizon_months, 12)")
    add_config(p)
    p.add_argument("--compare", action="append", default=[], metavar="PRESET_OR_FILE",
                   help="another model to measure: a preset (rfg, rfgv, rfh) applied to your "
                   "settings, or a settings file (repeat)")
    p.add_argument("--out", metavar="DIR",
                   help="output folder (default <output.directory>/backtest/)")


def main(args: argparse.Namespace) -> int:
    from pipeline.backtest.run import BacktestError, run_backtest
    from pipeline.core.settings import SettingsError
    from pipeline.ingest.discover import ExtractError

    if args.horizon_months is not None and args.horizon_months < 1:
        return fail("backtest", f"--horizon-months must be at least 1 (got {args.horizon_months})")

    def say(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    try:
        result = run_backtest(args.extract, args.start, args.end, args.horizon_months,
                              args.config, args.compare, args.out, progress=say)
    except (SettingsError, ExtractError, BacktestError) as exc:
        return fail("backtest", str(exc))
    for line in result.document["summary"]["lines"]:
        print(line)
    print(f"back-test written: {result.out_dir} ({len(result.document['as_of_dates'])} cycle "
          f"dates, {len(result.document['means'])} models) in {result.seconds:.1f}s")
    return 0
