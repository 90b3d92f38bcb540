"""Two runs on one project state never interleave (reliability issue, defect 1).

Before the fix, each Dagster step opened its own DuckDB connection and in-process runs
bypassed the run queue, so the steps of two overlapping `matac run`s interleaved: run A could
publish run B's list with exit 0. Now a run holds the project state from its first step to
publication (pipeline.orchestration.lock); a second run waits, saying who holds it, or gives up
after its wait timeout with exit 2.

Real subprocess runs of the CLI on one settings file (one DuckDB file, one Dagster state
folder), with the two clean sample extracts (different lists). MATAC_CONCURRENCY_TRIALS sets
the number of overlapping trials of each kind (two CLI runs; a CLI run against a sensor-triggered
run), default 2 (README reports 20); each test prints how many trials waited (run with -s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO, SAMPLES

TRIALS = int(os.environ.get("MATAC_CONCURRENCY_TRIALS", "2"))
A = (SAMPLES / "clean" / "2026-09", "2026-09-30")
B = (SAMPLES / "clean" / "2026-10", "2026-10-30")


def _start(workspace, extract: Path, as_of: str, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "DAGSTER_HOME": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "run", "--extract", str(extract), "--as-of", as_of,
         "--out", str(out), "--config", str(workspace.config()), *extra],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out + err


def _lock_info(workspace) -> Path:
    return Path(f"{workspace.database}.lock.json")


def _waited(text: str) -> bool:
    """Whether a run's output says it waited for another run (lock.hold's message)."""
    return "waiting for " in text and "to finish with" in text


def _wait_for(path: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_overlapping_runs_each_publish_their_own_list(workspace):
    alone = {}
    for name, (extract, as_of) in {"a": A, "b": B}.items():
        code, text = _finish(_start(workspace, extract, as_of, workspace.root / f"alone_{name}"))
        assert code == 0, text
        alone[name] = (workspace.root / f"alone_{name}" / "priority_list.csv").read_bytes()
    assert alone["a"] != alone["b"]
    waited = {"a": 0, "b": 0}
    for trial in range(TRIALS):
        out_a, out_b = workspace.root / f"a{trial}", workspace.root / f"b{trial}"
        first = _start(workspace, *A, out_a)
        time.sleep(0.3 + 0.4 * (trial % 3))  # B starts while A is in ingest or staging
        second = _start(workspace, *B, out_b)
        (code_a, text_a), (code_b, text_b) = _finish(first), _finish(second)
        assert code_a == 0, text_a
        assert code_b == 0, text_b
        for name, out in (("a", out_a), ("b", out_b)):
            got = (out / "priority_list.csv").read_text()
            want = alone[name].decode()
            diff = [(x, y) for x, y in zip(got.splitlines(), want.splitlines()) if x != y]
            assert got == want, f"trial {trial}, run {name}: first differences {diff[:3]}"
        assert str(A[0]) in (out_a / "run_manifest.json").read_text()
        assert str(B[0]) not in (out_a / "run_manifest.json").read_text()
        waited["a"] += _waited(text_a)
        waited["b"] += _waited(text_b)
        assert _waited(text_a) or _waited(text_b), f"trial {trial}: neither run waited"
    print(f"\nconcurrency: {TRIALS} trials of two overlapping CLI runs: both exit 0, each list "
          f"equal to its extract's alone; refused 0; the first run waited {waited['a']}, the "
          f"second waited {waited['b']}")


def test_a_second_run_names_the_holder_and_gives_up_after_its_wait_timeout(workspace):
    first = _start(workspace, *A, workspace.root / "a")
    _wait_for(_lock_info(workspace))
    code, text = _finish(_start(workspace, *B, workspace.root / "b", "--wait-timeout", "0"))
    assert code == 2, text
    lines = [line for line in text.splitlines() if line.startswith("matac run:")]
    assert len(lines) == 1, text
    assert "is in use by matac run" in lines[0] and f"pid {first.pid}" in lines[0], lines[0]
    assert "Traceback" not in text
    assert not (workspace.root / "b").exists()
    code_a, text_a = _finish(first)
    assert code_a == 0, text_a
    assert not _lock_info(workspace).exists()


def test_a_waiting_run_says_whom_it_waits_for_then_runs(workspace):
    first = _start(workspace, *A, workspace.root / "a")
    _wait_for(_lock_info(workspace))
    second = _start(workspace, *B, workspace.root / "b", "--wait-timeout", "600")
    code_a, text_a = _finish(first)
    code_b, text_b = _finish(second)
    assert (code_a, code_b) == (0, 0), text_a + text_b
    assert f"waiting for matac run (cli, pid {first.pid}" in text_b, text_b


SENSOR_RUN = """
import sys
from pipeline.orchestration.definitions import build_definitions
from pipeline.orchestration.resources import MatacResource
from pipeline.orchestration.runner import ensure_dagster_home, run_tags
import dagster as dg
ensure_dagster_home()
config, key = sys.argv[1], sys.argv[2]
defs = build_definitions(MatacResource(config_file=config))
instance = dg.DagsterInstance.get()
instance.add_dynamic_partitions("as_of", [key])
result = defs.resolve_job_def("matac_job").execute_in_process(
    instance=instance, partition_key=key, raise_on_error=False, tags=run_tags("sensor"))
sys.exit(0 if result.success else 1)
"""


def test_a_cli_run_and_a_landing_folder_run_do_not_interleave(workspace):
    """What the daemon launches for a sensor tick: matac_job in its own process reading the
    landing folder (no --extract), against the same project state as a CLI run; TRIALS times:
    in even trials the CLI run starts 0.5-5 s after the sensor-triggered run (which is then
    usually still importing Dagster, so the CLI run takes the lock first), in odd trials once
    the sensor-triggered run holds the lock."""
    landing = workspace.root / "landing"
    (landing / "2026-10").mkdir(parents=True)
    for f in B[0].iterdir():
        (landing / "2026-10" / f.name).write_bytes(f.read_bytes())
    (landing / "2026-10" / "_READY").write_text("")
    code, text = _finish(_start(workspace, *B, workspace.root / "alone_b"))
    assert code == 0, text
    code, text = _finish(_start(workspace, *A, workspace.root / "alone_a"))
    assert code == 0, text
    alone_a = (workspace.root / "alone_a" / "priority_list.csv").read_bytes()
    alone_b = (workspace.root / "alone_b" / "priority_list.csv").read_bytes()
    env = {**os.environ, "DAGSTER_HOME": str(REPO)}
    waited = {"sensor": 0, "cli": 0}
    for trial in range(TRIALS):
        daemon_out = workspace.root / f"daemon_out{trial}"
        config = workspace.config(f"daemon{trial}.yaml", schedule={"landing_folder": str(landing)},
                                  output={"directory": str(daemon_out)})
        daemon = subprocess.Popen([sys.executable, "-c", SENSOR_RUN, str(config), B[1]], cwd=REPO,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        if trial % 2:  # the sensor run holds the project state: the CLI run must wait
            _wait_for(_lock_info(workspace))
        else:  # the sensor run is still starting up (importing Dagster) or already running
            time.sleep(0.5 + 1.5 * (trial % 4))
        cli_run = _start(workspace, *A, workspace.root / f"cli_a{trial}")
        code_cli, text_cli = _finish(cli_run)
        out, err = daemon.communicate(timeout=600)
        assert daemon.returncode == 0, f"trial {trial}: {err[-3000:]}"
        assert code_cli == 0, f"trial {trial}: {text_cli}"
        daemon_list = daemon_out / B[1] / "priority_list.csv"
        assert daemon_list.read_bytes() == alone_b, f"trial {trial}: the sensor run's list"
        assert (workspace.root / f"cli_a{trial}" / "priority_list.csv").read_bytes() == alone_a, (
            f"trial {trial}: the CLI run's list")
        waited["sensor"] += _waited(out + err)
        waited["cli"] += _waited(text_cli)
        assert _waited(out + err) or _waited(text_cli), f"trial {trial}: neither run waited"
        assert _waited(text_cli) or not trial % 2, f"trial {trial}: the CLI run did not wait"
    print(f"\nconcurrency: {TRIALS} trials of a CLI run against a sensor-triggered run: both "
          f"exit 0, each list equal to its extract's alone; refused 0; the sensor run waited "
          f"{waited['sensor']}, the CLI run waited {waited['cli']}")
