"""How the suites run: Great Expectations validates a pandas DataFrame against one stored suite
in a fresh ephemeral GX context. For a staged table the frame is the one row of measures DuckDB
computed (`measures`), for the list it is the list itself with its recount.

GX is imported only when a suite runs (about 3 s of pure-Python import), or ahead of time: in a
worker process where the suites then run (`start_worker`, by `matac run`), else on a background
thread (`preload`, by the raw step)."""

from __future__ import annotations

import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from pipeline.quality.suites import QualityError, definitions, suite_spec

_worker: ProcessPoolExecutor | None = None  # the process that imported GX (`preload`)


@dataclass(frozen=True)
class Checked:
    """What the checks read of GX's result for one expectation."""

    success: bool
    result: dict = field(default_factory=dict)


def _gx():
    import great_expectations as gx

    return gx


def _import_great_expectations() -> None:
    try:
        _gx()
    except Exception:  # validate() imports it again and reports any real error
        pass


def start_worker() -> None:
    """Import Great Expectations (about 3 s of pure-Python import) in a worker process, which
    then runs the suites (`validate`): the import runs on another core beside Dagster's start-up
    and the ingest (on a thread it holds this process's GIL and delays Dagster's own Python
    whenever DuckDB has little to read). Called by `matac run` before any step runs (a step's
    output is captured by Dagster; the worker should not inherit that). Not when GX is already
    imported here."""
    global _worker
    if _worker is None and "great_expectations" not in sys.modules:
        context = multiprocessing.get_context("spawn")  # nothing of this process (DuckDB) copied
        _worker = ProcessPoolExecutor(max_workers=1, mp_context=context)
        _worker.submit(_import_great_expectations)


def preload() -> None:
    """Without a worker (`start_worker`), import Great Expectations on a background thread.
    Called by the raw step just before DuckDB reads the extracts: DuckDB releases the GIL while
    it works, so the import overlaps that work, and the data-quality step finds it loaded."""
    if _worker is None and "great_expectations" not in sys.modules:
        threading.Thread(target=_import_great_expectations, name="gx-preload", daemon=True).start()


def release() -> None:
    """Let the worker process go (after the last suite of a cycle, the list's): it ends while
    the run goes on instead of at this process's exit. A later suite runs in this process."""
    global _worker
    if _worker is not None:
        _worker.shutdown(wait=False)
        _worker = None


def _raised(info) -> str | None:
    """The error of an expectation GX could not evaluate. GX reports it either on the result or,
    for a metric that failed, nested under the metric's id - with success False and no other
    sign, which must not be mistaken for a failed check."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def validate(suite: str, frame, params: dict, result_format: dict | str = "SUMMARY"
             ) -> dict[str, Checked]:
    """Run one stored suite on a pandas DataFrame in a fresh ephemeral GX context (in the
    worker process when `preload` started one); returns success and result of each check
    (keyed by meta.check). A metric GX could not compute raises QualityError: it must never
    pass as a silent failure."""
    global _worker
    if _worker is not None:
        try:
            return _worker.submit(_validate, suite, frame, params, result_format).result()
        except BrokenProcessPool:  # e.g. a __main__ that cannot be re-imported: here instead
            _worker = None
    return _validate(suite, frame, params, result_format)


def _validate(suite: str, frame, params: dict, result_format: dict | str) -> dict[str, Checked]:
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    spec = suite_spec(suite)
    gx_suite = context.suites.add(
        gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"], meta=spec["meta"])
    )
    batch = (
        context.data_sources.add_pandas("matac")
        .add_dataframe_asset(suite)
        .add_batch_definition_whole_dataframe("whole")
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=suite, data=batch, suite=gx_suite)
    )
    result = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=params,
        result_format=result_format,
    )
    by_check = {}
    for res in result.results:
        check = res.expectation_config.meta["check"]
        problem = _raised(res.exception_info)
        if problem is not None:
            raise QualityError(f"GX could not evaluate {suite}.{check}: {problem[:200]}")
        by_check[check] = Checked(bool(res.success), dict(res.result or {}))
    missing = {d["check"] for d in definitions(suite)} - by_check.keys()
    if missing:
        raise QualityError(f"GX returned no result for {suite}: {sorted(missing)}")
    return by_check
