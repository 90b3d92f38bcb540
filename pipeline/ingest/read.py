"""Read extract folders (three tables, CSV or Parquet) into the raw DuckDB tables.

Bulk data never passes through pandas: CSV and Parquet are streamed by DuckDB's own readers
(Parquet with other spellings of the column names by an Arrow dataset scanner that DuckDB
consumes batch by batch). Every value lands as text; parsing
and quarantine happen in the staging SQL, so that nothing is lost on the way in.
"""

from __future__ import annotations

import codecs
import contextlib
import mmap
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as pads

from pipeline.core import db
from pipeline.core.contract import COLUMNS, TABLES
from pipeline.core.steps import StepResult
from pipeline.ingest import cache
from pipeline.ingest.discover import CHUNK, Extract, ExtractError, FileInfo, prepare

ARROW_BATCH_ROWS = 256_000


def _work_file(source: Path, suffix: str, work_dir: Path) -> tuple[int, str]:
    """A new temporary file in the run's work folder, named after `source` (fd, path)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix=f"{source.stem}.", suffix=suffix, dir=work_dir)


def _utf8_copy(info: FileInfo, work_dir: Path, lf_only: bool) -> Path:
    """A UTF-8 copy of a CSV file (streamed) for DuckDB's strict reader: from another encoding
    (Windows-1252, UTF-16, UTF-32; checked when the file was inspected), and with `lf_only`
    every line break as LF (CRLF and LF mixed in one file, or a lone CR, which counts as a
    line break as in Excel, pandas and Python's csv module)."""
    fd, tmp = _work_file(info.path, ".utf8.csv", work_dir)
    codec = {"windows-1252": "cp1252"}.get(info.encoding or "utf-8", info.encoding)
    raw = codec == "utf-8"
    cr, lf, crlf = (b"\r", b"\n", b"\r\n") if raw else ("\r", "\n", "\r\n")
    decoder = codecs.getincrementaldecoder(codec)()
    held = cr[:0]  # a CR ending a chunk waits for the next one, which may start with LF
    with open(info.path, "rb") as src, os.fdopen(fd, "wb") as dst:
        while True:
            chunk = src.read(CHUNK)
            text = held + (chunk if raw else decoder.decode(chunk, final=not chunk))
            held = cr[:0]
            if chunk and text.endswith(cr):
                text, held = text[:-1], cr
            if lf_only:
                text = text.replace(crlf, lf).replace(cr, lf)
            dst.write(text if raw else text.encode("utf-8"))
            if not chunk:
                return Path(tmp)


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


def load(
    con: duckdb.DuckDBPyConnection,
    extracts: Sequence[Extract],
    work_dir: Path,
    progress: Callable[[str], None] | None = None,
    rebuild: bool = False,
) -> dict[str, dict[str, int]]:
    """Re-create the raw tables and register every file; read the files not kept from an
    earlier run (`pipeline.ingest.cache`). Returns rows read per table and file."""
    say = progress or (lambda _msg: None)
    for name in ("files", "incidents", "persons", "involvements", "malformed_rows"):
        db.run(con, f"raw/create_raw_{name}")
    kept = cache.kept_files(con, rebuild)
    next_rowid = {t: 0 for t in TABLES}
    counts: dict[str, dict[str, int]] = {t: {} for t in TABLES}
    file_id = 0
    for extract in extracts:
        for table in TABLES:
            info = extract.files[table]
            file_id += 1
            key = cache.file_key(info.sha256, table)
            params = {"file_id": file_id, "file_key": key, "loaded": key not in kept,
                      "first_rowid": None, "raw_rows": None}
            start = time.perf_counter()
            if params["loaded"]:
                raw_rows = _load_file(con, info, file_id, work_dir)
                malformed, unterminated = db.run(con, "raw/count_malformed_rows", params).fetchone()
                kept[key] = raw_rows + int(malformed)
                params.update(first_rowid=next_rowid[table], raw_rows=raw_rows)
                next_rowid[table] += raw_rows
            _register(con, extract, info, params, rows=kept[key])
            counts[table][str(info.path)] = kept[key]
            done = "read" if params["loaded"] else "reused"
            say(f"{done} {extract.name}/{info.path.name}: {kept[key]:,} rows"
                + (f" in {time.perf_counter() - start:.1f}s" if params["loaded"]
                   else " (already loaded: same sha256)")
                + (_malformed_note(malformed, unterminated) if params["loaded"] else ""))
    return counts


def _malformed_note(malformed: int, unterminated: list[int]) -> str:
    """', 2 rows the CSV reader could not split (set aside); a quote opened in row 5 is not
    closed on its line'."""
    if not malformed:
        return ""
    note = f", {malformed:,} row{'s' * (malformed != 1)} the CSV reader could not split (set aside)"
    if unterminated:
        rows = ", ".join(map(str, unterminated[:5])) + (" ..." if len(unterminated) > 5 else "")
        note += (f"; a quote opened in row{'s' * (len(unterminated) != 1)} {rows} is not closed "
                 "on its line")
    return note


def _register(con, extract: Extract, info: FileInfo, params: dict, rows: int) -> None:
    db.run(con, "raw/register_file", {
        **params,
        "extract_seq": extract.seq,
        "extract_name": extract.name,
        "table_name": info.table,
        "path": str(info.path),
        "file_format": info.file_format,
        "encoding": info.encoding,
        "size_bytes": info.size_bytes,
        "sha256": info.sha256,
        "rows_read": rows,
        "extra_columns": info.extra_columns,
    })


def _load_file(con, info: FileInfo, file_id: int, work_dir: Path) -> int:
    """Append one file to its raw table; returns rows appended (malformed rows excluded)."""
    keep = [c for c in info.columns if c in COLUMNS[info.table]]
    if info.file_format != "csv":
        return _append(con, info, file_id, keep, lambda: _parquet_source(con, info, keep))
    copies: list[Path] = []

    def from_copy(lf_only: bool) -> Path:
        copies.append(_utf8_copy(info, work_dir, lf_only))
        return copies[-1]

    try:
        path = info.path if info.encoding == "utf-8" else from_copy(lf_only=False)
        columns = {name: "VARCHAR" for name in info.read_names()}

        def read(final: bool = True) -> tuple[int, list]:
            return _read_csv_once(con, file_id, path, lambda: _append(
                con, info, file_id, keep, lambda: db.relation(
                    con, "raw/read_csv", {"path": str(path), "columns": columns}), final=final))

        try:
            inserted, stray = read(final=False)
        except duckdb.InvalidInputException:
            # DuckDB's strict reader stops at line breaks mixed in one file (CRLF and LF, a
            # lone CR): read the file again from a copy with LF line breaks only.
            path = from_copy(lf_only=True)
            inserted, stray = read()
        cut: list[int] = []
        while stray:  # read again from a copy where each such row is one the reader rejects
            cut += [row for row, _ in stray]
            copies.append(_cut_lines(path, [pos for _, pos in stray], len(columns), work_dir))
            path = copies[-1]
            inserted, stray = read()
        if cut:
            db.run(con, "raw/mark_unterminated_quotes", {"file_id": file_id, "rows": cut})
        return inserted
    finally:
        for copy in copies:
            copy.unlink(missing_ok=True)


def _read_csv_once(con, file_id: int, path: Path, append: Callable[[], int]) -> tuple[int, list]:
    """One read of a CSV file into its raw table, its rejected rows into raw_malformed_rows, in
    one transaction. A quote opened in a row and never closed makes the reader take the rows
    after it as part of that row: then the read is undone (nothing appended) and those rows
    (source row, byte position) are returned."""
    con.begin()
    try:
        inserted = append()
        db.run(con, "raw/collect_malformed_rows", {"file_id": file_id, "path": str(path)})
        stray = db.run(con, "raw/unterminated_quotes", {"path": str(path)}).fetchall()
    except BaseException:
        con.rollback()
        raise
    (con.rollback if stray else con.commit)()
    return inserted, stray


def _cut_lines(path: Path, positions: list[int], fields: int, work_dir: Path) -> Path:
    """A copy of a UTF-8 CSV file in which each line holding a byte of `positions` is replaced
    by `fields` + 1 empty fields and an 'x' (a row with too many columns, rejected on its own),
    keeping its line break: every other row keeps its bytes and its row number."""
    fd, tmp = _work_file(path, ".cut.csv", work_dir)
    with open(path, "rb") as src, os.fdopen(fd, "wb") as dst, \
            mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) as data:
        def copy(a: int, b: int) -> None:
            for i in range(a, b, CHUNK):
                dst.write(data[i:min(i + CHUNK, b)])

        done = 0
        for pos in sorted(positions):
            start = data.rfind(b"\n", 0, pos) + 1
            end = data.find(b"\n", pos)
            end = len(data) if end < 0 else end - (data[end - 1:end] == b"\r")
            copy(done, start)
            dst.write(b"," * fields + b"x")
            done = end
        copy(done, len(data))
    return Path(tmp)


def _append(con, info: FileInfo, file_id: int, keep: list[str], source: Callable,
            final: bool = True) -> int:
    """Append the rows of `source()` to the file's raw table. A file DuckDB or Arrow cannot read
    is an ExtractError naming it (unless not `final`: the caller tries another way)."""
    try:
        con.register("source", source())
        try:
            return int(db.run(con, f"raw/load_{info.table}",
                              {"file_id": file_id, "keep": keep}).fetchone()[0])
        finally:
            # after a failed read inside a transaction (CSV) the caller's rollback undoes it
            with contextlib.suppress(duckdb.TransactionException):
                con.unregister("source")
    except (duckdb.Error, pa.ArrowException) as exc:
        if not final and isinstance(exc, duckdb.InvalidInputException):
            raise
        raise ExtractError(f"{info.path}: cannot be read ({type(exc).__name__})") from None


def load_extracts(
    con: duckdb.DuckDBPyConnection,
    extract_dirs: Sequence[str | Path],
    work_dir: Path,
    progress: Callable[[str], None] | None = None,
    rebuild: bool = False,
) -> StepResult:
    """Raw layer: check every file's header, then stream every file not kept from an earlier
    run into the raw tables (every file with `rebuild`). Counts rows per table and files read
    and reused."""
    result = StepResult()
    start = time.perf_counter()
    extracts = prepare(extract_dirs)
    result.timings["inspect"] = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    per_file = load(con, extracts, work_dir, progress, rebuild)
    result.timings["load"] = round(time.perf_counter() - start, 3)
    result.counts = {t: sum(per_file[t].values()) for t in TABLES}
    read = db.run(con, "raw/files_read").fetchone()[0]
    result.counts.update(files_read=int(read), files_reused=len(TABLES) * len(extracts) - int(read))
    return result
