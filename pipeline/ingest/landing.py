"""The landing folder: where a force drops extract folders (one per month, named by date) for the
sensor and the schedule to pick up.

An extract folder is *ready* when it holds the ready marker (`schedule.ready_marker`, default
`_READY`), written by whoever copies the extract once the copy is complete. Files are only ever
read from inside the landing folder: a folder that is itself a symbolic link, or that contains a
symbolic link (at any depth, the marker included) resolving outside the landing folder or to
nothing, is *refused* - reported, never read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.settings import Settings


@dataclass
class LandingScan:
    """What the landing folder holds right now, in folder-name order."""

    root: Path
    ready: list[Path] = field(default_factory=list)  # complete and safe to read
    incomplete: list[str] = field(default_factory=list)  # no ready marker yet
    refused: dict[str, str] = field(default_factory=dict)  # folder name -> why it is not read

    def summary(self) -> str:
        if not self.root.is_dir():
            return f"landing folder {self.root} not found"
        parts = [f"{len(self.ready)} ready"]
        if self.incomplete:
            parts.append(f"{len(self.incomplete)} incomplete ({', '.join(self.incomplete)})")
        if self.refused:
            parts.append(
                "refused: " + "; ".join(f"{name}: {why}" for name, why in self.refused.items())
            )
        return ", ".join(parts)


def landing_folder(settings: Settings) -> Path:
    return settings.path(settings.schedule.landing_folder)


def _inside(path: Path, root_real: Path) -> bool:
    return path == root_real or root_real in path.parents


def _unsafe_link(folder: Path, root_real: Path) -> str | None:
    """The first symbolic link under `folder` that resolves outside the landing folder (or to
    nothing), as a reason; None when every entry stays inside."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in sorted(dirnames + filenames):
            entry = Path(dirpath) / name
            if not entry.is_symlink():
                continue
            rel = entry.relative_to(folder)
            try:
                target = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                return f"'{rel}' is a broken or looping symbolic link"
            if not _inside(target, root_real):
                return f"'{rel}' is a symbolic link to outside the landing folder"
    return None


def check_extract(folder: Path, root_real: Path, marker: str) -> tuple[str, str | None]:
    """('ready' | 'incomplete' | 'refused', reason) for one entry of the landing folder."""
    if folder.is_symlink():
        return "refused", "the folder is a symbolic link"
    if folder.resolve().parent != root_real:
        return "refused", "the folder resolves outside the landing folder"
    marker_path = folder / marker
    if not marker_path.exists() and not marker_path.is_symlink():
        return "incomplete", None
    reason = _unsafe_link(folder, root_real)
    if reason:
        return "refused", reason
    if marker_path.is_symlink() or not marker_path.is_file():
        return "refused", f"the ready marker '{marker}' is not a regular file"
    return "ready", None


def scan(settings: Settings) -> LandingScan:
    """Every extract folder directly inside the landing folder, classified. Names starting with
    '.' (copies in progress, editor files) and plain files are ignored."""
    root = landing_folder(settings)
    result = LandingScan(root)
    if not root.is_dir():
        return result
    root_real = root.resolve()
    marker = settings.schedule.ready_marker
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir() and not entry.is_symlink():
            continue
        state, reason = check_extract(entry, root_real, marker)
        if state == "ready":
            result.ready.append(entry)
        elif state == "incomplete":
            result.incomplete.append(entry.name)
        else:
            result.refused[entry.name] = reason or "refused"
    return result


def ready_extracts(settings: Settings) -> list[Path]:
    """Complete, safe extract folders directly inside the landing folder, in folder-name order."""
    return scan(settings).ready


def fingerprint(folders: list[Path]) -> str:
    """A short digest of the extract folders' names, file names, sizes and modification times:
    it changes when an extract is added, replaced or re-landed (cheap: no file is read)."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"{folder.name}\0".encode())
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            st = entry.lstat()
            digest.update(f"{entry.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]
