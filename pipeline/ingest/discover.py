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
from typing import Any

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
    encoding: str | None = None  # csv: utf-8 | windows-1252 | utf-16 | utf-32
    raw_columns: list[str] = field(default_factory=list)  # as the header spells them
    columns: list[str] = field(default_factory=list)  # normalised, in file order
    extra_columns: list[str] = field(default_factory=list)

    def read_names(self) -> list[str]:
        """Unique names to read the columns under, in file order: the contract columns by
        their names, every other column by its position (extra columns may repeat a name)."""
        return [n if n in COLUMNS[self.table] else f"_extra_{i + 1}"
                for i, n in enumerate(self.columns)]


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
        if ext.lower() in FORMATS:
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
        if not path.is_file():
            what = "a folder" if path.is_dir() else "a broken link" if path.is_symlink() else \
                "not a regular file"
            raise ExtractError(f"{path}: cannot be read: {what}, not a file")
        files[table] = FileInfo(table, path, path.suffix.lower().lstrip("."))
    return Extract(seq, folder, files)


# Byte-order marks of the encodings read besides UTF-8 and Windows-1252 (UTF-32 first: its
# little-endian mark starts with UTF-16's).
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Bytes Windows-1252 leaves undefined: a file holding them (and not UTF-8) is not text.
NOT_CP1252 = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


@dataclass
class _Scan:
    """What one pass over a CSV file finds (see `_scan_csv`)."""

    digest: Any = field(default_factory=hashlib.sha256)
    size: int = 0
    bom: str | None = None
    text_ok: bool = True  # valid UTF-8 (or valid in the encoding its byte-order mark names)
    not_cp1252_at: int | None = None  # offset of the first byte Windows-1252 leaves undefined


def _scan_csv(path: Path) -> _Scan:
    """One pass over the file: sha256, size and what tells its encoding."""
    scan = _Scan()
    with open(path, "rb") as fh:
        chunk = fh.read(CHUNK)
        scan.bom = next((name for bom, name in BOMS if chunk.startswith(bom)), None)
        decoder = codecs.getincrementaldecoder(scan.bom or "utf-8")()
        while chunk:
            scan.digest.update(chunk)
            ascii_only = chunk.isascii()
            # ASCII is valid UTF-8: such a chunk needs no decoding unless a sequence is open
            if scan.text_ok and not (ascii_only and scan.bom is None and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    scan.text_ok = False
            if scan.bom is None and scan.not_cp1252_at is None and not ascii_only:
                found = [i for i in (chunk.find(b) for b in NOT_CP1252) if i >= 0]
                if found:
                    scan.not_cp1252_at = scan.size + min(found)
            scan.size += len(chunk)
            chunk = fh.read(CHUNK)
        if scan.text_ok:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                scan.text_ok = False
    return scan


def _line_at(path: Path, offset: int) -> int:
    """The line (counted by LF) holding byte `offset`."""
    lines, left = 1, offset
    with open(path, "rb") as fh:
        while left > 0 and (chunk := fh.read(min(CHUNK, left))):
            lines += chunk.count(b"\n")
            left -= len(chunk)
    return lines


def _inspect_csv(info: FileInfo) -> list[str]:
    """Hash the file, decide its encoding and return its header."""
    try:
        scan = _scan_csv(info.path)
    except OSError as exc:
        raise ExtractError(f"{info.path}: cannot be read: {exc.strerror}") from None
    info.sha256, info.size_bytes = scan.digest.hexdigest(), scan.size
    if scan.bom is not None:
        if not scan.text_ok:
            raise ExtractError(f"{info.path}: not valid {scan.bom.upper()} text (it starts with a "
                               f"{scan.bom.upper()} byte-order mark); save it as UTF-8")
        info.encoding = scan.bom
    elif scan.text_ok:
        info.encoding = "utf-8"
    elif scan.not_cp1252_at is None:
        info.encoding = "windows-1252"
    else:
        line = _line_at(info.path, scan.not_cp1252_at)
        raise ExtractError(f"{info.path}: line {line} is neither UTF-8 nor Windows-1252 text "
                           "(not a CSV file?); save it as UTF-8")
    return _csv_header(info.path, info.encoding)


def _csv_header(path: Path, encoding: str) -> list[str]:
    text_encoding = {"utf-8": "utf-8-sig", "windows-1252": "cp1252"}.get(encoding, encoding)
    with open(path, encoding=text_encoding, newline="") as fh:
        try:
            first = next(csv.reader(io.StringIO(fh.readline())))
        except StopIteration:
            raise ExtractError(f"{path}: file is empty (no header row)") from None
        except csv.Error as exc:
            raise ExtractError(f"{path}: the header row cannot be read as CSV ({exc})") from None
    return first


def _parquet_header(path: Path) -> tuple[list[str], pa.Schema]:
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise ExtractError(f"{path}: not a readable Parquet file ({exc})") from None
    return list(schema.names), schema


def _check_parquet_types(info: FileInfo, schema: pa.Schema) -> None:
    """Contract columns hold one value per cell: a list, struct or map column cannot be read
    as text (Arrow refuses the cast; DuckDB would write the whole list as one string)."""
    for norm, typ in zip(info.columns, schema.types):
        if norm in COLUMNS[info.table] and pa.types.is_nested(typ):
            raise ExtractError(f"{info.path}: column '{norm}' holds {typ} values, not one value "
                               "per cell")


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise ExtractError(f"{path}: cannot be read: {exc.strerror}") from None
    return digest.hexdigest(), size


def _check_columns(info: FileInfo, raw_names: list[str]) -> None:
    """Every required column present, no contract column twice. Extra columns are ignored,
    even when one name repeats."""
    info.raw_columns = list(raw_names)
    names = [normalise_name(n) or f"column_{i + 1}" for i, n in enumerate(raw_names)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen and name in COLUMNS[info.table]:
            raise ExtractError(
                f"{info.path}: column '{name}' appears twice (columns {seen[name] + 1} and {i + 1})"
            )
        seen.setdefault(name, i)
    for column in REQUIRED[info.table]:
        if column not in seen:
            raise ExtractError(f"{info.path}: required column '{column}' is missing")
    info.columns = names
    info.extra_columns = list(dict.fromkeys(n for n in names if n not in COLUMNS[info.table]))


def inspect(extract: Extract) -> None:
    """Check every file's header before anything is loaded (fail fast, exit code 2)."""
    for info in extract.files.values():
        if info.file_format == "csv":
            _check_columns(info, _inspect_csv(info))
        else:
            raw_names, schema = _parquet_header(info.path)
            _check_columns(info, raw_names)
            _check_parquet_types(info, schema)
            info.sha256, info.size_bytes = _sha256(info.path)


def prepare(extract_dirs: Sequence[str | Path]) -> list[Extract]:
    """Discover and inspect every extract, in the order given (later supersedes earlier). The
    same folder given twice is refused: its rows would supersede themselves."""
    if not extract_dirs:
        raise ExtractError("no extract given")
    seen: dict[Path, str | Path] = {}
    for folder in extract_dirs:
        real = Path(folder).resolve()
        if real in seen:
            raise ExtractError(f"extract folder {folder} is given more than once"
                               + (f" (also as {seen[real]})" if str(seen[real]) != str(folder)
                                  else ""))
        seen[real] = folder
    extracts = [discover(d, seq=i + 1) for i, d in enumerate(extract_dirs)]
    for extract in extracts:
        inspect(extract)
    return extracts
