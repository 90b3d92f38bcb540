"""The landing folder: where a force drops monthly extract folders for the sensor to pick up."""

from __future__ import annotations

from pathlib import Path

from pipeline.settings import Settings


def landing_folder(settings: Settings) -> Path:
    return settings.path(settings.schedule.landing_folder)


def ready_extracts(settings: Settings) -> list[Path]:
    """Complete extract folders (holding the ready marker) directly inside the landing folder,
    in folder-name order. Symlinks are never followed out of the landing folder."""
    root = landing_folder(settings)
    if not root.is_dir():
        return []
    root_real = root.resolve()
    found = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.is_symlink() or not entry.is_dir():
            continue
        if entry.resolve().parent != root_real:
            continue
        if (entry / settings.schedule.ready_marker).is_file():
            found.append(entry)
    return found
