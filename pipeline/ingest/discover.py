"""Find and inspect extract folders: the three tables of each, their format, size, sha256,
encoding and header, checked against the contract before anything is loaded (fail fast,
exit code 2, a message naming the file and the column)."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.contract import COLUMNS, FORMATS, REQUIRED, TABLES, normalise_name

CHUNK = 8 * 1024 * 1024


class ExtractError(Exception):
    """An extract cannot be read at all: missing folder or table, unreadable file, missing
    required column, bad encoding. Names the file and the column; never carries row values."""


@dataclass
class FileInfo:
    table: str
    path: Path
    file_format: str
    size_bytes: int = 0
    sha256: str = ""
    encoding: str | None = None
    raw_columns: list[str] = field(default_factory=list)  # as the header spells them
    columns: list[str] = field(default_factory=list)  # normalised, in file order
    extra_columns: list[str] = field(default_factory=list)


@dataclass
class Extract:
    seq: int
    path: Path
    files: dict[str, FileInfo]

    @property
    def name(self) -> str:
        return self.path.name


def discover(extract_dir: str | Path, seq: int = 1) -> Extract:
    """Find the three tables in one extract folder (file names match case-insensitively)."""
    folder = Path(extract_dir)
    if not folder.is_dir():
        raise ExtractError(f"extract folder not found: {folder}")
    by_name: dict[str, list[Path]] = {}
    for entry in sorted(folder.iterdir()):
        stem, _, ext = entry.name.rpartition(".")
        if entry.is_file() and ext.lower() in FORMATS:
            by_name.setdefault(stem.strip().lower(), []).append(entry)
    files: dict[str, FileInfo] = {}
    for table in TABLES:
        found = by_name.get(table, [])
        if not found:
            raise ExtractError(
                f"{folder}: table '{table}' is missing (expected {table}.csv or {table}.parquet)"
            )
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ExtractError(f"{folder}: table '{table}' is given more than once ({names})")
        path = found[0]
        files[table] = FileInfo(table, path, path.suffix.lower().lstrip("."))
    return Extract(seq, folder, files)


def _hash_and_encoding(path: Path) -> tuple[str, int, str]:
    """One pass over the file: sha256, size, and whether it is UTF-8 (else Windows-1252)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    return digest.hexdigest(), size, "utf-8" if utf8 else "windows-1252"


def _csv_header(path: Path, encoding: str) -> list[str]:
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else "cp1252", newline="") as fh:
        try:
            first = next(csv.reader(io.StringIO(fh.readline())))
        except StopIteration:
            raise ExtractError(f"{path}: file is empty (no header row)") from None
    return first


def _parquet_header(path: Path) -> list[str]:
    try:
        return list(pq.read_schema(path).names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ExtractError(f"{path}: not a readable Parquet file ({exc})") from None


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_columns(info: FileInfo, raw_names: list[str]) -> None:
    info.raw_columns = list(raw_names)
    names = [normalise_name(n) or f"column_{i + 1}" for i, n in enumerate(raw_names)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ExtractError(
                f"{info.path}: column '{name}' appears twice (columns {seen[name] + 1} and {i + 1})"
            )
        seen[name] = i
    for column in REQUIRED[info.table]:
        if column not in seen:
            raise ExtractError(f"{info.path}: required column '{column}' is missing")
    info.columns = names
    info.extra_columns = [n for n in names if n not in COLUMNS[info.table]]


def inspect(extract: Extract) -> None:
    """Check every file's header before anything is loaded (fail fast, exit code 2)."""
    for info in extract.files.values():
        if info.file_format == "csv":
            info.sha256, info.size_bytes, info.encoding = _hash_and_encoding(info.path)
            raw_names = _csv_header(info.path, info.encoding)
        else:
            raw_names = _parquet_header(info.path)
            info.sha256, info.size_bytes = _sha256(info.path)
        _check_columns(info, raw_names)


def prepare(extract_dirs: Sequence[str | Path]) -> list[Extract]:
    """Discover and inspect every extract, in the order given (later supersedes earlier)."""
    if not extract_dirs:
        raise ExtractError("no extract given")
    extracts = [discover(d, seq=i + 1) for i, d in enumerate(extract_dirs)]
    for extract in extracts:
        inspect(extract)
    return extracts
