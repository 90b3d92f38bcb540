"""pytest fixtures: an isolated Dagster state folder, DuckDB file and output folder per test
(`workspace`), a hand-made story (`story`) and the layers on a real DuckDB file (`layers`). The
builders themselves are in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, Layered, Story, Workspace


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


@pytest.fixture
def story():
    """A fresh `Story` (see the class): a small hand-made extract."""
    return Story


@pytest.fixture
def layers(workspace):
    """`layers(extract_dirs, **sections)` -> `Layered`: load, stage and resolve identities on a
    real DuckDB file in the workspace; then `.score(as_of, **sections)`."""
    opened: list[Layered] = []

    def run(extracts, **sections) -> Layered:
        if isinstance(extracts, (str, Path)):
            extracts = [extracts]
        for old in opened:
            old.close()
        lay = Layered(workspace, extracts, workspace.settings(**sections))
        opened.append(lay)
        return lay

    yield run
    for lay in opened:
        lay.close()
