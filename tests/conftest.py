"""Shared fixtures: an isolated Dagster instance, DuckDB file and output folder per test, and a
writer for small hand-made extracts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data_samples"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A private DAGSTER_HOME state dir, DuckDB file and output root; returns a helper with
    `.config(**sections)` writing a settings file that points storage and output there."""
    state = tmp_path / "dagster_state"
    state.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(REPO))
    monkeypatch.setenv("MATAC_STATE_DIR", str(state))
    monkeypatch.delenv("MATAC_CONFIG", raising=False)
    return Workspace(tmp_path)


class Workspace:
    def __init__(self, root: Path):
        self.root = root
        self.database = root / "matac.duckdb"
        self.output = root / "output"

    def config(self, name: str = "settings.yaml", **sections) -> Path:
        """Write a settings file: storage/output point into the workspace; `sections` (nested
        dicts, e.g. rule={"window_years": 3}) override the rest."""
        data = {
            "storage": {"database": str(self.database)},
            "output": {"directory": str(self.output)},
        }
        for key, value in sections.items():
            data.setdefault(key, {}).update(value)
        path = self.root / name
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    def settings(self, **sections):
        from pipeline.settings import load_settings

        return load_settings(self.config(**sections))


def write_table(path: Path, rows: list[dict] | list[list], header: list[str] | None = None,
                encoding: str = "utf-8") -> Path:
    """Write a CSV: `rows` as dicts (header = keys of the first row) or lists with `header`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        if rows and isinstance(rows[0], dict):
            header = header or list(rows[0].keys())
            w.writerow(header)
            for r in rows:
                w.writerow([r.get(h, "") for h in header])
        else:
            w.writerow(header)
            w.writerows(rows)
    return path


def write_extract(folder: Path, incidents, persons, involvements, encoding="utf-8") -> Path:
    """A three-table CSV extract. Each argument: list of dicts (or (header, rows) tuple)."""
    for name, rows in (("incidents", incidents), ("persons", persons), ("involvements", involvements)):
        if isinstance(rows, tuple):
            write_table(folder / f"{name}.csv", rows[1], rows[0], encoding)
        else:
            write_table(folder / f"{name}.csv", rows, encoding=encoding)
    return folder
