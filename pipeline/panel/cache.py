"""Pack parts drawn by an earlier run, kept by content: a chart (SVG and PNG) under the hash of
its numbers, a PDF under the hash of the HTML it prints, each also keyed by the library version
and the source of the code that draws it. A part is drawn only when no earlier run drew the same
one, so the bytes are those drawing it again would give (drawing is deterministic: same data and
settings, same bytes); an unchanged cycle's packs take no drawing at all.

The parts live in `<output.directory>/.work/pack_cache/`, one file each; a run keeps only the
parts it used (`prune`). Deleting the folder only makes the next run draw everything again."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path

_folder: Path | None = None
_draw = True  # False: a part no earlier run drew raises Missing instead of being drawn


class Missing(Exception):
    """A part is not kept and drawing was not allowed (`kept_in(folder, draw=False)`)."""


def folder_for(settings) -> Path:
    return settings.path(settings.output.directory) / ".work" / "pack_cache"


@contextlib.contextmanager
def kept_in(folder: Path | None, draw: bool = True) -> Iterator[None]:
    """Keep and find parts in `folder` while the block runs (None: draw everything).
    `draw=False`: only take kept parts; one that is not kept raises Missing."""
    global _folder, _draw
    before = _folder, _draw
    _folder, _draw = folder, draw
    try:
        yield
    finally:
        _folder, _draw = before


@lru_cache(maxsize=None)
def version(package: str, *sources: str) -> str:
    """What the drawing depends on besides its input: the package's version and the source of
    the modules that draw it."""
    code = hashlib.sha256(b"".join(Path(source).read_bytes() for source in sources))
    return f"{package}=={metadata.version(package)};{code.hexdigest()}"


def remembered(kind: str, key: str | bytes, make: Callable[[], bytes]) -> bytes:
    """The part `make()` draws, or the same part drawn by an earlier run under the same key."""
    if _folder is None:
        return make()
    raw = key.encode("utf-8") if isinstance(key, str) else key
    path = _folder / f"{kind}-{hashlib.sha256(raw).hexdigest()}"
    try:
        data = path.read_bytes()
        os.utime(path)  # used by this run: kept by `prune`
        return data
    except OSError:
        if not _draw:
            raise Missing(kind) from None
    data = make()
    _folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=_folder)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return data


def prune(folder: Path, since: float) -> int:
    """Remove the parts no run used since `since` (epoch seconds); returns how many."""
    removed = 0
    for path in folder.glob("*") if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < since:
                path.unlink()
                removed += 1
    return removed


def now() -> float:
    """A time before anything this run touches (file times are coarser than time.time())."""
    return time.time() - 1.0
