"""The data-quality gate, one module per concern:

* `suites`: what is checked - the GX suites in `expectations/` and their parameters;
* `measures`: what GX validates - DuckDB's measures per staged table (and the naming link
  between a suite's checks and the SQL columns), the list with its recount;
* `gx`: running a suite with Great Expectations (imported in the background by `preload`);
* `checks`: each check's outcome and the verdict;
* `history`: `ops_quality_history`, the previous delivery and the trend;
* `assess`: the gate's two passes over a run (staged tables, then the list);
* `report` (the document and its files) and `render` (its HTML, from `templates/`);
* `asset_checks` and `storage`: the Dagster asset checks and the report's IO manager.

The names below are the gate's plain-Python interface (no Dagster)."""

from pipeline.quality.assess import (
    Assessment,
    add_list_checks,
    assess_list,
    assess_staged,
    staged_report,
)
from pipeline.quality.checks import FAIL, PASS, Check, failed, list_checks, verdict
from pipeline.quality.gx import preload, validate
from pipeline.quality.history import record_list
from pipeline.quality.measures import list_frame
from pipeline.quality.suites import (
    ERROR,
    SUITES,
    WARN,
    QualityError,
    definitions,
    parameters,
)

__all__ = [
    "ERROR", "FAIL", "PASS", "SUITES", "WARN", "Assessment", "Check", "QualityError",
    "add_list_checks", "assess_list", "assess_staged", "definitions", "failed", "list_checks",
    "list_frame", "parameters", "preload", "record_list", "staged_report", "validate", "verdict",
]
