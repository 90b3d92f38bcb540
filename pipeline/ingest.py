"""Read extract folders (three tables, CSV or Parquet) into the raw DuckDB tables.

Bulk data never passes through pandas: CSV and Parquet are streamed by DuckDB's own readers
(Parquet with other spellings of the column names by an Arrow dataset scanner that DuckDB
consumes batch by batch). Every value lands as text; parsing
and quarantine happen in the staging SQL, so that nothing is lost on the way in.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from pipeline import db
from pipeline.contract import COLUMNS, FORMATS, REQUIRED, TABLES, normalise_name

CHUNK = 8 * 1024 * 1024
ARROW_BATCH_ROWS = 256_000


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


# --------------------------------------------------------------------------------------- CSV
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


def _transcode(path: Path, work_dir: Path) -> Path:
    """Copy a Windows-1252 file to UTF-8 (streamed), so DuckDB's reader can take it."""
    work_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{path.stem}.", suffix=".utf8.csv", dir=work_dir)
    line = 1
    with open(path, "rb") as src, os.fdopen(fd, "w", encoding="utf-8", newline="") as dst:
        decoder = codecs.getincrementaldecoder("cp1252")()
        while chunk := src.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_line = line + chunk[: exc.start].count(b"\n")
                raise ExtractError(
                    f"{path}: line {bad_line} is neither UTF-8 nor Windows-1252 text"
                ) from None
            line += chunk.count(b"\n")
            dst.write(text)
    return Path(tmp)


def _csv_header(path: Path, encoding: str) -> list[str]:
    with open(path, encoding="utf-8-sig" if encoding == "utf-8" else "cp1252", newline="") as fh:
        try:
            first = next(csv.reader(io.StringIO(fh.readline())))
        except StopIteration:
            raise ExtractError(f"{path}: file is empty (no header row)") from None
    return first


# ----------------------------------------------------------------------------------- Parquet
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


def _parquet_source(con, info: FileInfo, keep: list[str]):
    """The contract columns `keep`, under their normalised names, every value as text. DuckDB
    scans the file itself (in parallel) when the names are already normalised, the usual case;
    other spellings ("Incident ID") go through an Arrow scanner that renames them."""
    if all(raw == norm for raw, norm in zip(info.raw_columns, info.columns) if norm in keep):
        return db.relation(con, "raw/read_parquet", {"path": str(info.path), "keep": keep})
    return _parquet_reader(info, info.raw_columns)


def _parquet_reader(info: FileInfo, raw_names: list[str]) -> pa.RecordBatchReader:
    """Contract columns only, renamed to their normalised names, every value as text."""
    wanted = set(COLUMNS[info.table])
    projection = {}
    for raw, norm in zip(raw_names, info.columns):
        if norm in wanted:
            projection[norm] = pads.field(raw).cast(pa.string())
    dataset = pads.dataset(str(info.path), format="parquet")
    scanner = dataset.scanner(columns=projection, batch_size=ARROW_BATCH_ROWS, use_threads=True)
    return scanner.to_reader()


# ------------------------------------------------------------------------------------ common
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


def load(
    con: duckdb.DuckDBPyConnection,
    extracts: Sequence[Extract],
    work_dir: Path,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, int]]:
    """Re-create the raw tables and load every file. Returns rows read per table and file."""
    say = progress or (lambda _msg: None)
    for name in ("files", "incidents", "persons", "involvements", "malformed_rows"):
        db.run(con, f"raw/create_raw_{name}")
    next_rowid = {t: 0 for t in TABLES}
    counts: dict[str, dict[str, int]] = {t: {} for t in TABLES}
    file_id = 0
    for extract in extracts:
        for table in TABLES:
            info = extract.files[table]
            file_id += 1
            start = time.perf_counter()
            raw_rows = _load_file(con, info, file_id, work_dir)
            malformed = db.run(con, "raw/count_malformed_rows", {"file_id": file_id}).fetchone()[0]
            rows = raw_rows + int(malformed)
            params = {
                "file_id": file_id,
                "extract_seq": extract.seq,
                "extract_name": extract.name,
                "table_name": table,
                "path": str(info.path),
                "file_format": info.file_format,
                "encoding": info.encoding,
                "size_bytes": info.size_bytes,
                "sha256": info.sha256,
                "first_rowid": next_rowid[table],
                "rows_read": rows,
                "raw_rows": raw_rows,
                "extra_columns": info.extra_columns,
            }
            db.run(con, "raw/register_file", params)
            next_rowid[table] += raw_rows
            counts[table][str(info.path)] = rows
            say(
                f"read {extract.name}/{info.path.name}: {rows:,} rows "
                f"in {time.perf_counter() - start:.1f}s"
            )
    return counts


def _load_file(con, info: FileInfo, file_id: int, work_dir: Path) -> int:
    """Append one file to its raw table; returns rows appended (malformed rows excluded)."""
    transcoded: Path | None = None
    keep = [c for c in info.columns if c in COLUMNS[info.table]]
    try:
        if info.file_format == "csv":
            path = info.path
            if info.encoding != "utf-8":
                transcoded = path = _transcode(info.path, work_dir)
            columns = {name: "VARCHAR" for name in info.columns}
            source = db.relation(con, "raw/read_csv", {"path": str(path), "columns": columns})
        else:
            source = _parquet_source(con, info, keep)
        con.register("source", source)
        try:
            inserted = db.run(
                con, f"raw/load_{info.table}", {"file_id": file_id, "keep": keep}
            ).fetchone()[0]
        except duckdb.Error as exc:
            raise ExtractError(f"{info.path}: cannot be read ({type(exc).__name__})") from None
        finally:
            con.unregister("source")
        if info.file_format == "csv":
            db.run(con, "raw/collect_malformed_rows", {"file_id": file_id, "path": str(path)})
        return int(inserted)
    finally:
        if transcoded is not None:
            transcoded.unlink(missing_ok=True)
