"""Two runs on one project state never interleave (reliability issue, defect 1).

Before the fix, each Dagster step opened its own DuckDB connection and in-process runs
bypassed the run queue, so the steps of two overlapping `matac run`s interleaved: run A could
publish run B's list with exit 0. Now a run holds the project state from its first step to
publication (pipeline.orchestration.lock); a second run waits, saying who holds it, or gives up
after its wait timeout with exit 2.

Real subprocess runs of the CLI on one settings file (one DuckDB file, one Dagster state
folder), with the two clean sample extracts (different lists). MATAC_CONCURRENCY_TRIALS sets
the number of overlapping trials (default 2; the closing note reports 20).
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
    landing folder (no --extract), against the same project state as a CLI run."""
    landing = workspace.root / "landing"
    (landing / "2026-10").mkdir(parents=True)
    for f in B[0].iterdir():
        (landing / "2026-10" / f.name).write_bytes(f.read_bytes())
    (landing / "2026-10" / "_READY").write_text("")
    config = workspace.config("daemon.yaml", schedule={"landing_folder": str(landing)},
                              output={"directory": str(workspace.root / "daemon_out")})
    code, text = _finish(_start(workspace, *B, workspace.root / "alone_b"))
    assert code == 0, text
    code, text = _finish(_start(workspace, *A, workspace.root / "alone_a"))
    assert code == 0, text
    env = {**os.environ, "DAGSTER_HOME": str(REPO)}
    daemon = subprocess.Popen([sys.executable, "-c", SENSOR_RUN, str(config), B[1]], cwd=REPO,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    cli_run = _start(workspace, *A, workspace.root / "cli_a")
    code_cli, text_cli = _finish(cli_run)
    out, err = daemon.communicate(timeout=600)
    assert daemon.returncode == 0, err[-3000:]
    assert code_cli == 0, text_cli
    daemon_list = workspace.root / "daemon_out" / B[1] / "priority_list.csv"
    assert daemon_list.read_bytes() == (workspace.root / "alone_b" / "priority_list.csv").read_bytes()
    assert (workspace.root / "cli_a" / "priority_list.csv").read_bytes() == (
        workspace.root / "alone_a" / "priority_list.csv").read_bytes()
