"""The output folder a reader opens, switched to a new publication in one step.

A publication to `DIR` is written into a new sibling folder `.DIR.matac-<run id>` (every file
flushed to disk, then the folder), and that folder then takes `DIR`'s place in one atomic
`renameat2(RENAME_EXCHANGE)` (Linux 3.15+: ext4, xfs, btrfs, tmpfs, overlayfs): a reader
opening `DIR` sees the whole previous set or the whole new set, never a mix, and `DIR` stays a
real folder. The previous set, now at the sibling's name, is then removed. Where the kernel or
file system cannot exchange two names (macOS, NFS, SMB), the switch is two renames: for a
moment there is no `DIR` (never a mixed one), and a run killed in that moment leaves the
previous set at `.DIR.matac-<run id>.previous`, which the next publication puts back.

Nothing else in `DIR` is lost: files the set does not name (the data-quality report the quality
step wrote there, a note a user left) are hard-linked into the new folder (no copy, no extra
space). A sub-folder in `DIR` stops publication: `DIR` must be a folder of its own, not one
holding other data (`--out .`). Killed publications leave `.DIR.matac-*` siblings and
`.<name>.<random>.tmp` files; the next publication removes them first.

A failure while writing (disk full, no permission) removes the half-written sibling and raises
`PublicationError`, one line naming the folder and the file: `DIR` is left as it was.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INFIX = ".matac-"
PREVIOUS = ".previous"
_TEMP_FILE = re.compile(r"^\..+\.tmp$")  # atomic_path's `.<name>.<random>.tmp`
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class PublicationError(Exception):
    """The output folder cannot take the publication (disk full, no permission, a folder that
    is not the pipeline's own). The message is one line naming the path."""


def fsync(path: Path) -> None:
    """Flush a file's (or a folder's) content to disk."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. directories on Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _prefix(out_dir: Path) -> str:
    return f".{out_dir.name}{INFIX}"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def recover(out_dir: Path) -> list[Path]:
    """Before a publication: put back a set a killed two-rename switch left aside, then remove
    what killed publications left (`.DIR.matac-*` siblings, temporary files in `DIR`)."""
    removed: list[Path] = []
    if not out_dir.parent.is_dir():
        return removed
    siblings = sorted(p for p in out_dir.parent.iterdir() if p.name.startswith(_prefix(out_dir)))
    aside = [p for p in siblings if p.name.endswith(PREVIOUS) and p.is_dir()]
    if aside and not os.path.lexists(out_dir):
        os.rename(aside[-1], out_dir)
        siblings.remove(aside[-1])
    for stale in siblings:
        _remove(stale)
        removed.append(stale)
    if out_dir.is_dir():
        for stale in out_dir.iterdir():
            if _TEMP_FILE.match(stale.name) and stale.is_file():
                stale.unlink(missing_ok=True)
                removed.append(stale)
    return removed


def _carry_over(out_dir: Path, staging: Path, replaced: set[str]) -> None:
    """Hard-link (or copy) into the new folder what `DIR` holds besides the published set."""
    if not out_dir.is_dir():
        return
    shutil.copymode(out_dir, staging)  # the folder keeps its permissions
    for entry in sorted(out_dir.iterdir()):
        if entry.name in replaced or _TEMP_FILE.match(entry.name):
            continue
        if entry.is_dir():
            raise PublicationError(
                f"cannot publish to {out_dir}: it holds the folder {entry.name!r}; publish to a "
                "folder of its own (the previously published files are unchanged)")
        try:
            os.link(entry, staging / entry.name, follow_symlinks=False)
        except OSError:
            shutil.copy2(entry, staging / entry.name, follow_symlinks=False)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two names atomically (renameat2 RENAME_EXCHANGE); False where not supported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def switch(staging: Path, out_dir: Path, exchange: bool = True) -> None:
    """Put the complete new folder `staging` in `out_dir`'s place; remove the previous one.
    Without `exchange` (or where it is not supported): two renames."""
    fsync(staging)
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
    elif exchange and _exchange(staging, out_dir):
        fsync(out_dir.parent)
        _remove(staging)  # now the previous set
    else:
        aside = staging.with_name(staging.name + PREVIOUS)
        os.rename(out_dir, aside)
        os.rename(staging, out_dir)
        fsync(out_dir.parent)
        _remove(aside)
    fsync(out_dir.parent)


def _message(out_dir: Path, what: str, exc: OSError) -> str:
    return (f"cannot publish {what} to {out_dir}: {exc.strerror or exc}; the previously "
            "published files are unchanged")


@contextmanager
def writing(out_dir: Path, name: str) -> Iterator[None]:
    """Turn an OSError while writing the file `name` of the set into a PublicationError."""
    try:
        yield
    except OSError as exc:
        raise PublicationError(_message(out_dir, name, exc)) from None


@contextmanager
def staged(out_dir: Path, version: str, replaced: set[str]) -> Iterator[Path]:
    """Yield a new empty folder beside `out_dir` to write the set into (after `recover`). When
    the block succeeds, the rest of `out_dir` (all but the names in `replaced`) is carried over
    and the folder takes `out_dir`'s place in one step; when it fails, the folder is removed
    and `out_dir` is untouched."""
    staging = out_dir.parent / f"{_prefix(out_dir)}{version}"
    try:
        with writing(out_dir, "the new folder"):
            recover(out_dir)
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            staging.mkdir()
        yield staging
        with writing(out_dir, "the other files of the folder"):
            _carry_over(out_dir, staging, replaced)
        with writing(out_dir, "the new files"):
            switch(staging, out_dir)
    except BaseException:
        _remove(staging)
        raise
