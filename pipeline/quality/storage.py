"""Where the report document lives between the two passes of the gate: it is the value of the
`data_quality_report` asset, and this IO manager stores it as the report files of the run's
output folder (`data_quality.json` and `data_quality_report.html`, `report.write`). The list
check (`priority_list_quality`) takes the asset as an input: the document is read back from
`data_quality.json` of the run's as-of partition (`report.read`; None when there is none).

The folder is that of the run's partition (`partition_key`), not of the input's partitions:
the check itself is not partitioned, so Dagster hands it every partition of the asset, while
the document it needs is the one this run wrote."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipeline.quality import report

IO_MANAGER_KEY = "quality_report_io_manager"


def _out_dir(context: dg.OutputContext | dg.InputContext) -> Path:
    return context.resources.matac.output_dir(context.partition_key)


class ReportIOManager(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: dict) -> None:
        written = report.write(obj, _out_dir(context))
        context.add_output_metadata({
            "report": dg.MetadataValue.path(str(written["html"])),
            "json": dg.MetadataValue.path(str(written["json"])),
        })

    def load_input(self, context: dg.InputContext) -> dict | None:
        return report.read(_out_dir(context)) if context.has_partition_key else None


@dg.io_manager(
    required_resource_keys={"matac"},
    description="The data-quality report document, as data_quality.json (and its HTML) in the "
    "run's output folder.",
)
def report_io_manager(_init_context) -> ReportIOManager:
    return ReportIOManager()
