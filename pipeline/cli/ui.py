"""`matac ui`: the Dagster UI (webserver) and daemon (schedule, sensor, run queue, back-fills) for
this project, on a loopback address only (`ui.host`, `ui.port`).

It runs `dagster dev` with DAGSTER_HOME = the repository root (dagster.yaml there), Dagster's
state in MATAC_STATE_DIR (default .dagster_home/), and MATAC_CONFIG = the settings file given
with --config (the code location, schedule and sensor read it). Before starting it registers
every cycle partition up to the latest complete cycle (so UI back-fills can pick them) and marks
failed any run left "started" by a killed process (it would hold the one run slot).
Stop it with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.cli.args import add_config, command, fail
from pipeline.core.settings import REPO_ROOT, SettingsError, load_settings
from pipeline.orchestration.runner import ensure_dagster_home, fail_orphaned_runs

MODULE = "pipeline.orchestration.definitions"


def register(sub) -> None:
    p = command(
        sub, "ui", "start the Dagster UI and daemon on this machine (loopback only)",
        "Start the Dagster webserver and daemon (schedule, landing-folder sensor, run queue) on "
        "ui.host:ui.port. Stop with Ctrl-C.", main,
    )
    p.add_argument("--port", type=int, metavar="PORT", help="port (default: setting ui.port)")
    add_config(p)


def dagster_command(host: str, port: int) -> list[str]:
    dagster = Path(sys.executable).with_name("dagster")
    exe = [str(dagster)] if dagster.exists() else [sys.executable, "-m", "dagster"]
    return exe + ["dev", "-m", MODULE, "-d", str(REPO_ROOT), "-h", host, "-p", str(port)]


def prepare(config: str | None, port: int | None) -> tuple[list[str], dict[str, str]]:
    """Validate settings, set the environment, register partitions, clear orphaned runs;
    returns the command line and environment of the Dagster processes."""
    ensure_dagster_home()
    os.environ["MATAC_STATE_DIR"] = str(Path(os.environ["MATAC_STATE_DIR"]).resolve())
    config = config or os.environ.get("MATAC_CONFIG")
    if config:  # absolute: the Dagster processes run from the repository root
        os.environ["MATAC_CONFIG"] = str(Path(config).resolve())
    settings = load_settings(os.environ.get("MATAC_CONFIG") or None)
    host = settings.ui.host
    port = port or settings.ui.port
    if not 1 <= port <= 65535:
        raise SettingsError(f"--port {port}: not a port number")

    import dagster as dg

    from pipeline.core.clock import latest_complete_cycle, today_in
    from pipeline.orchestration.schedules import cycle_keys_up_to, ensure_partitions

    with dg.DagsterInstance.get() as instance:
        last = latest_complete_cycle(settings, today_in(settings))
        if last is not None:
            added = ensure_partitions(instance, cycle_keys_up_to(settings, last))
            if added:
                print(f"registered {len(added)} cycle partitions up to {last}", file=sys.stderr)
        for run_id in fail_orphaned_runs(instance):
            print(f"marked run {run_id} failed: its process was killed", file=sys.stderr)
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(REPO_ROOT))
    return dagster_command(host, port), env


def main(args: argparse.Namespace) -> int:
    try:
        argv, env = prepare(args.config, args.port)
    except SettingsError as exc:
        return fail("ui", str(exc))
    host, port = argv[-3], argv[-1]
    print(f"Dagster UI on http://{host}:{port} (state in {env['MATAC_STATE_DIR']}); "
          "Ctrl-C stops it", file=sys.stderr, flush=True)
    # Started from the state folder: the Dagster CLI would otherwise apply the repository's .env
    # (MATAC_STATE_DIR=.dagster_home) over the state folder chosen here; -d gives the code's.
    os.chdir(env["MATAC_STATE_DIR"])
    os.execve(argv[0], argv, env)
    return 1  # not reached
