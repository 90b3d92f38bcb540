"""How the suites run: Great Expectations validates a pandas DataFrame against one stored suite
in a fresh ephemeral GX context. For a staged table the frame is the one row of measures DuckDB
computed (`measures`), for the list it is the list itself with its recount.

GX is imported only when a suite runs (about 3 s of pure-Python import), or ahead of time on a
background thread (`preload`)."""

from __future__ import annotations

import sys
import threading

from pipeline.quality.suites import QualityError, definitions, suite_spec


def _gx():
    import great_expectations as gx

    return gx


def _import_great_expectations() -> None:
    try:
        _gx()
    except Exception:  # validate() imports it again and reports any real error
        pass


def preload() -> None:
    """Import Great Expectations (about 3 s of pure-Python import) on a background thread. Called
    by the raw step just before DuckDB reads the extracts: DuckDB releases the GIL while it
    works, so the import overlaps that work instead of delaying Dagster's own Python (start-up,
    events), and the data-quality step finds the module loaded."""
    if "great_expectations" not in sys.modules:
        threading.Thread(target=_import_great_expectations, name="gx-preload", daemon=True).start()


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


def validate(suite: str, frame, params: dict, result_format: dict | str = "SUMMARY") -> dict:
    """Run one stored suite on a pandas DataFrame in a fresh ephemeral GX context; returns the
    GX ExpectationValidationResult of each check (keyed by meta.check). A metric GX could not
    compute raises QualityError: it must never pass as a silent failure."""
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
        by_check[check] = res
    missing = {d["check"] for d in definitions(suite)} - by_check.keys()
    if missing:
        raise QualityError(f"GX returned no result for {suite}: {sorted(missing)}")
    return by_check
