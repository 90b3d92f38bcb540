"""Expected failures say one clear line, without a traceback (reliability issue, defect 9).

Before the fix, `matac run` printed 6-44 frames of Dagster traceback (its console logger at
WARNING shows step failures) before the message of an expected error (exit 2 or 3). Now the
console log is silent unless `matac --debug`; tracebacks stay in the Dagster event log and are
printed for internal errors (exit 1)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, write_table


def _matac(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DAGSTER_HOME": str(REPO)}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def _extract_without_record_type(folder):
    write_table(folder / "incidents.csv", [{"incident_id": "I1", "occurred_date": "2024-01-01"}])
    write_table(folder / "persons.csv", [{"person_id": "P1"}])
    write_table(folder / "involvements.csv",
                [{"incident_id": "I1", "person_id": "P1", "role": "suspect"}])
    return folder


def test_an_expected_error_is_one_line_without_traceback(workspace):
    folder = _extract_without_record_type(workspace.root / "ex")
    done = _matac("run", "--extract", str(folder), "--config", str(workspace.config()))
    assert done.returncode == 2, done.stderr
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert lines == [f"matac run: {folder / 'incidents.csv'}: required column 'record_type' is "
                     "missing"], done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_debug_shows_the_traceback(workspace):
    folder = _extract_without_record_type(workspace.root / "ex")
    done = _matac("--debug", "run", "--extract", str(folder), "--config", str(workspace.config()))
    assert done.returncode == 2, done.stderr
    assert "Traceback" in done.stderr or "File \"" in done.stderr, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("matac run: ")


def test_implausible_as_of_dates_are_refused(workspace):
    """--as-of 0001-01-01 used to abort the process (exit 134) and 0002-06-01 to end in a
    traceback; an as-of far after the data published an empty list with PASS."""
    sample = REPO / "data_samples" / "clean" / "2026-09"
    config = str(workspace.config())
    for day in ("0001-01-01", "0002-06-01"):
        done = _matac("run", "--extract", str(sample), "--as-of", day, "--config", config)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == f"matac run: --as-of {day}: not a plausible date (before " \
                                      "1900-01-01)", done.stderr
    done = _matac("run", "--extract", str(sample), "--as-of", "2030-01-01", "--config", config,
                  "--out", str(workspace.root / "future"))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("matac run: as-of date 2030-01-01 is more than one cycle (28 "
                                "days) after the latest incident loaded (2026-09-"), done.stderr
    assert "Traceback" not in done.stderr
    assert not (workspace.root / "future" / "priority_list.csv").exists()
