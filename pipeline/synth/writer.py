"""The files of one `generate` call: per extract the three tables (CSV or Parquet), the ground
truth and, with defects, the defect list. Blocks are written in order by a background thread
while the next block is generated."""

from __future__ import annotations

import csv
import queue
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.synth.config import INVOLVEMENT_COLUMNS

BACKGROUND_WRITES = True
DEFECT_HEADER = ["extract", "table", "row", "column", "kind", "value"]


class BackgroundWriter(threading.Thread):
    """Writes blocks in the background (in order) while the next block is generated; the
    bounded queue keeps at most two blocks in flight."""

    def __init__(self) -> None:
        super().__init__(name="synth-writer", daemon=True)
        self.q: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        while True:
            job = self.q.get()
            if job is None:
                return
            if self.error is None:
                try:
                    job()
                except BaseException as exc:  # re-raised in the main thread
                    self.error = exc

    def submit(self, job) -> None:
        if self.error is not None:
            raise self.error
        if not BACKGROUND_WRITES:
            job()
            return
        self.q.put(job)

    def finish(self) -> None:
        self.q.put(None)
        self.join()
        if self.error is not None:
            raise self.error


class Sink:
    """One output table file, written in chunks (CSV or Parquet)."""

    def __init__(self, path: Path, fmt: str, header: list[str]):
        self.path, self.fmt, self.header = path, fmt, header
        self._w: Any = None
        self._f: Any = None
        self.rows = 0

    def write(self, tbl: pa.Table) -> None:
        tbl = tbl.rename_columns(self.header)
        if self._w is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.fmt == "csv":
                self._f = open(self.path, "wb")
                self._f.write((",".join(self.header) + "\n").encode("utf-8"))
                self._w = pacsv.CSVWriter(
                    self._f, tbl.schema,
                    write_options=pacsv.WriteOptions(include_header=False,
                                                     quoting_style="none"),
                )
            else:
                self._w = pq.ParquetWriter(self.path, tbl.schema, compression="zstd")
        self._w.write_table(tbl)
        self.rows += tbl.num_rows

    def close(self, empty_schema: pa.Schema | None = None) -> None:
        if self._w is None and empty_schema is not None:  # nothing written: header only
            self.write(empty_schema.empty_table())
        if self._w is not None:
            self._w.close()
        if self._f is not None:
            self._f.close()


def table_schema(table: str, dirty: bool) -> pa.Schema:
    """The schema a table is written with (dates are text once defects are injected)."""
    date_t = pa.string() if dirty else pa.date32()
    if table == "incidents":
        return pa.schema([("incident_id", pa.string()), ("occurred_date", date_t),
                          ("record_type", pa.string()), ("offence_code", pa.string()),
                          ("dash_risk", pa.string()), ("domestic_abuse_flag", pa.bool_()),
                          ("area", pa.string())])
    if table == "persons":
        return pa.schema([("person_id", pa.string()), ("surname", pa.string()),
                          ("forenames", pa.string()), ("date_of_birth", date_t),
                          ("gender", pa.string()), ("pnc_id", pa.string())])
    return pa.schema([(c, pa.string()) for c in INVOLVEMENT_COLUMNS])


class OutputFiles:
    """Every file of one run, keyed (extract name, table) for the tables. Use as a context
    manager: it starts the background writer and, on leaving (also on error), waits for it
    and closes every file (a table that got no rows is written with its header only).

    `queued` counts the rows handed over per table file, so a chunk's defects can be given
    their row in the written file before it is written."""

    def __init__(self, out: Path, fmt: str, headers: dict[tuple[str, str], list[str]],
                 dirty: bool):
        ext = "csv" if fmt == "csv" else "parquet"
        self.sinks = {
            (name, table): Sink((out / name if name else out) / f"{table}.{ext}", fmt, hdr)
            for (name, table), hdr in headers.items()
        }
        self.queued = {key: 0 for key in self.sinks}
        self.dirty = dirty
        truth_dir = out / "_truth"
        truth_dir.mkdir(parents=True, exist_ok=True)
        self._truth_path = truth_dir / "ground_truth.parquet"
        self._truth: pq.ParquetWriter | None = None
        self._defects_f = None
        self._defects_w = None
        if dirty:
            self._defects_f = open(truth_dir / "defects.csv", "w", newline="", encoding="utf-8")
            self._defects_w = csv.writer(self._defects_f, lineterminator="\n")
            self._defects_w.writerow(DEFECT_HEADER)
        self._thread = BackgroundWriter()

    def __enter__(self) -> OutputFiles:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self._thread.finish()
        finally:
            for (_, table), sink in self.sinks.items():
                sink.close(table_schema(table, self.dirty))
            if self._truth is not None:
                self._truth.close()
            if self._defects_f is not None:
                self._defects_f.close()

    @property
    def rows_written(self) -> int:
        return sum(s.rows for s in self.sinks.values())

    def write_defects(self, rows: list[list]) -> None:
        """Defect rows written now (before any block is submitted)."""
        self._defects_w.writerows(rows)

    def submit(self, tables: list[tuple[tuple[str, str], pa.Table]], truth: pa.Table,
               defect_rows: list[list], then: Callable[[], None] | None = None) -> None:
        """Write one block's tables, ground truth and defect rows in the background, then
        call `then` (in the writer thread)."""
        jobs = [(self.sinks[key], tbl) for key, tbl in tables]
        self._thread.submit(partial(self._write, jobs, truth, defect_rows, then))

    def _write(self, jobs: list[tuple[Sink, pa.Table]], truth: pa.Table,
               defect_rows: list[list], then: Callable[[], None] | None) -> None:
        if self._truth is None:
            self._truth = pq.ParquetWriter(self._truth_path, truth.schema, compression="zstd")
        self._truth.write_table(truth)
        for sink, tbl in jobs:
            sink.write(tbl)
        if defect_rows:
            self._defects_w.writerows(defect_rows)
        if then is not None:
            then()
