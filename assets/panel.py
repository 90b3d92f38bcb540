"""Panel assets: the coordinator's decisions (read with the extracts), and after publication the
per-area panel packs and the outcomes of adopted people (pipeline/panel/)."""

import sys

import dagster as dg
from dagster_duckdb import DuckDBResource

from assets.publish import published_priority_list
from assets.identity import person_identity
from assets.staging import staged_tables
from pipeline.orchestration.partitions import as_of_date, as_of_partitions
from pipeline.orchestration.resources import MatacResource, run_step
from pipeline.panel import publish
from pipeline.panel.decisions import load_decisions


@dg.asset(
    group_name="ingest",
    kinds={"duckdb", "csv"},
    owners=["team:matac-analysts"],
    deps=[staged_tables, person_identity],
)
def panel_decisions(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """The panel coordinator's decisions (panel.decisions: perpetrator_id, area, adopted_on,
    discharged_on, tactic, note), any nominal id resolved to the person; bad rows quarantined
    (quarantine_panel_decisions) with file, row, column and reason."""

    def step(con):
        result = load_decisions(con, matac.settings)
        for line in result.counts.get("quarantined", []):
            context.log.warning(line)
            print(f"  {line}", file=sys.stderr, flush=True)
        return result

    return run_step(context, duckdb, step)


# What the two assets after publication share: group, owner, the as-of partitions.
AFTER_PUBLICATION = {"group_name": "panel", "owners": ["team:matac-analysts"],
                     "partitions_def": as_of_partitions}


@dg.asset(**AFTER_PUBLICATION, kinds={"html", "pdf"}, deps=[published_priority_list])
def panel_pack(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Per area, the panel pack of the area's top panel.size: <out>/panel/<area>/panel_pack.html
    (self-contained) and .pdf: a cover (counts, movement, who left and why, harm concentration)
    and one page per perpetrator (RFG breakdown, timeline, trajectory)."""
    as_of = as_of_date(context)
    out_dir = matac.output_dir(str(as_of))
    return run_step(context, duckdb,
                    lambda con: publish.pack_step(con, matac.settings, as_of, out_dir),
                    output_dir=dg.MetadataValue.path(str(out_dir / "panel")))


@dg.asset(**AFTER_PUBLICATION, kinds={"csv", "html"}, deps=[panel_pack])
def panel_outcomes(
    context: dg.AssetExecutionContext, matac: MatacResource, duckdb: DuckDBResource
) -> dg.MaterializeResult:
    """Outcomes of adopted people: <out>/panel/panel_outcomes.csv (RFG and parts at adoption,
    discharge, +6 and +12 months; new incidents and victims after adoption and discharge),
    outcomes.html (cohort median and mean with n beside a comparison group) and
    decisions_quarantine.csv."""
    out_dir = matac.output_dir(str(as_of_date(context)))
    return run_step(context, duckdb,
                    lambda con: publish.outcomes_step(con, matac.settings, out_dir),
                    outcomes=dg.MetadataValue.path(str(out_dir / "panel" / "outcomes.html")))
