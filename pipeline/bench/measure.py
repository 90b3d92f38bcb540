"""Wall time and peak resident memory of a subprocess and all its descendants."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
MB = 1024 * 1024


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""


def _tree_rss(root) -> int:
    """Resident bytes of `root` and all its descendants now (processes that vanish count 0)."""
    import psutil

    try:
        members = [root, *root.children(recursive=True)]
    except psutil.Error:
        members = []
    total = 0
    for p in members:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Measured:
    """Run `cmd`, sampling the resident memory of its whole process tree; wall time and peak.

    The peak is the larger of the sampled tree total (children included) and the kernel's
    own high-water mark for the process (which catches spikes between samples)."""
    import psutil

    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err)
    root = psutil.Process(proc.pid)
    peak = 0
    status = 0
    usage = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        peak = max(peak, _tree_rss(root))
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    kernel_peak = usage.ru_maxrss * 1024 if usage is not None else 0  # KiB on Linux
    out.seek(0)
    err.seek(0)
    return Measured(
        seconds=seconds,
        peak_mb=max(peak, kernel_peak) / MB,
        returncode=proc.returncode,
        stdout=out.read().decode("utf-8", "replace"),
        stderr=err.read().decode("utf-8", "replace"),
    )
