"""Where the time of a `matac run` goes, by part: Python start-up and imports, Dagster (building
the definitions, the instance, and each run's own work around its steps: creating the run, its
event-log shard, events), the SQL steps, identity resolution, the data-quality checks and report,
writing the published files, and the panel packs. Step times are those Dagster records (step
start to step success), so a part holds all of its steps' work. Seconds only, no data.

`matac run` prints them as one line and adds them to the run manifest (`timings`)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

# The asset (or asset check) each Dagster step runs -> the part its time counts in.
STEP_PARTS = {
    "raw_extracts": "steps", "reference_data": "steps", "staged_tables": "steps",
    "panel_decisions": "steps", "scored_perpetrators": "steps", "priority_list": "steps",
    "identity_candidates": "identity", "person_identity": "identity",
    "data_quality_report": "checks", "priority_list_quality": "checks",
    "published_priority_list": "writing", "panel_outcomes": "writing",
    "panel_pack": "packs",
}
PARTS = ("imports", "dagster", "steps", "identity", "checks", "writing", "packs")


def process_start() -> float:
    """When this process started (epoch seconds): the imports count from there. On Linux from
    the kernel's start time (clock ticks since boot) and the boot-time clock, to a tick (10 ms);
    psutil's `create_time` adds the boot time in whole seconds, so it can be up to a second
    early (0.84 s measured here), which the `imports` part would absorb."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
        since_start = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - since_start
    except (OSError, ValueError, IndexError, AttributeError):  # not Linux
        import psutil

        return psutil.Process().create_time()


class RunClock:
    """The parts of one `matac run`, filled in as it goes (`mark`, `add_run`)."""

    def __init__(self, start: float | None = None):
        self.start = process_start() if start is None else start
        self.parts = dict.fromkeys(PARTS, 0.0)
        self.runs: list[dict] = []
        self._last = self.start

    def mark(self, part: str) -> None:
        """Count the time since the previous mark (or the process start) in `part`."""
        now = time.time()
        self.parts[part] += now - self._last
        self._last = now

    def add_run(self, instance, job: str, run_id: str) -> None:
        """A Dagster run that ended just now (it began at the previous mark): its steps in their
        parts, the rest of its wall time in `dagster`."""
        now = time.time()
        wall, steps = now - self._last, step_seconds(instance, run_id)
        for step, seconds in steps.items():
            self.parts[STEP_PARTS.get(step, "steps")] += seconds
        self.parts["dagster"] += max(0.0, wall - sum(steps.values()))
        self.runs.append({"job": job, "seconds": round(wall, 3),
                          "steps_seconds": round(sum(steps.values()), 3)})
        self._last = now

    def summary(self) -> dict:
        """{"total_seconds", "parts" (seconds per part; `other`: the rest), "runs"}."""
        total = time.time() - self.start
        parts = {k: round(v, 3) for k, v in self.parts.items()}
        parts["other"] = round(max(0.0, total - sum(self.parts.values())), 3)
        return {"total_seconds": round(total, 3), "parts": parts, "runs": self.runs}


def step_seconds(instance, run_id: str) -> dict[str, float]:
    """Seconds from each step's start to its success or failure, as Dagster recorded them."""
    import dagster as dg

    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS,
             dg.DagsterEventType.STEP_FAILURE}
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in instance.all_logs(run_id, of_type=kinds):
        if entry.dagster_event.event_type == dg.DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif entry.step_key in started:
            seconds[entry.step_key] = entry.timestamp - started[entry.step_key]
    return seconds


def line(summary: dict) -> str:
    """`time: imports 4.1s, dagster 2.3s, ... (total 40.2s)`."""
    parts = ", ".join(f"{k} {v:.1f}s" for k, v in summary["parts"].items())
    return f"time: {parts} (total {summary['total_seconds']:.1f}s)"


def add_to_manifest(out_dir: Path, summary: dict) -> None:
    """Add `timings` to the published run_manifest.json (replaced in one step; the manifest is
    not among the files whose sha256 it lists)."""
    from pipeline.outputs.publish import atomic_path

    target = Path(out_dir) / "run_manifest.json"
    manifest = json.loads(target.read_text(encoding="utf-8"))
    manifest["timings"] = summary
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8")
