"""Areas, panel decisions, outcomes and the panel pack on the hand-built case worked out in
tests/panel_case.py (real DuckDB file, the real SQL), and the files a panel receives."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import panel_case as case
import pytest

D = dt.date


@pytest.fixture
def panel(layers, workspace, story):
    """The case scored at its as-of date with the panel tables built."""
    from pipeline.panel.tables import build_tables

    extract, decisions = case.write(story, workspace.root)
    lay = layers(extract, **case.sections(decisions)).score(case.AS_OF)
    lay.panel = build_tables(lay.con, lay.settings, case.AS_OF)
    lay.decisions_file = decisions
    return lay


def _frame(lay, name, params=None) -> pd.DataFrame:
    from pipeline.panel.tables import frame

    return frame(lay.con, name, params)


def test_areas_ranks_and_status_on_the_list(panel):
    lst = panel.priority()
    assert panel.listed() == ["PA", "PB", "PC", "PE", "PD"]
    assert list(lst["rfg_score"]) == [12, 12, 11, 9, 7]
    assert dict(zip(lst["perpetrator_id"], lst["area"])) == {
        "PA": "South", "PB": "North", "PC": "North", "PE": "unknown", "PD": "South"}
    status = dict(zip(lst["perpetrator_id"], lst["panel_status"].fillna("")))
    assert status == {"PA": "discharged 2025-02-26", "PB": "", "PC": "", "PE": "",
                      "PD": "adopted 2024-09-01"}
    previous = dict(panel.rows("SELECT perpetrator_id, area FROM mart_perpetrator_areas "
                               "WHERE cycle = 'previous'"))
    assert previous["PA"] == "North" and previous["PE"] == "unknown" and previous["PD"] == "South"


def test_decisions_quarantined_with_reasons(panel):
    c = panel.decisions.counts
    assert (c["rows_read"], c["rows_used"], c["rows_quarantined"]) == (6, 2, 4)
    assert c["quarantine_reasons"] == {"discharge_before_adoption": 1, "overlapping_adoption": 1,
                                       "unknown_area": 1, "unknown_person": 1}
    lines = c["quarantined"]
    assert lines[0] == (f"{panel.decisions_file}: row 3: column perpetrator_id 'ZZZ': "
                        "unknown_person; decision quarantined")
    assert [line.split(": ")[1] for line in lines] == ["row 3", "row 4", "row 5", "row 6"]
    used = panel.rows("SELECT perpetrator_id, nominal_id, area, adopted_on, discharged_on "
                      "FROM stg_panel_decisions ORDER BY source_row")
    assert used == [("PA", "PA2", "North", D(2025, 2, 3), D(2025, 2, 26)),
                    ("PD", "PD", "South", D(2024, 9, 1), None)]


def test_area_packs_counts_and_who_left(panel):
    members = _frame(panel, "pack_members")
    got = {a: list(g["perpetrator_id"]) for a, g in members.groupby("area")}
    assert got == {"North": ["PB", "PC"], "South": ["PA", "PD"], "unknown": ["PE"]}
    moves = dict(zip(members["perpetrator_id"], members["area_movement"]))
    assert moves == {"PB": "new", "PC": "new", "PA": "new", "PD": "down 1", "PE": "same"}
    counts = _frame(panel, "area_counts").set_index("area")
    assert counts.loc["North", ["listed", "previously_listed", "joined", "left_list"]].tolist() == [2, 1, 2, 1]
    assert counts.loc["South", ["listed", "joined", "left_list", "adopted", "discharged"]].tolist() == [2, 1, 0, 1, 1]
    left = _frame(panel, "area_left")
    assert left[["area", "perpetrator_id", "previous_area_rank", "reason"]].values.tolist() == [
        ["North", "PA", 1, "moved to South"]]
    harm = _frame(panel, "area_harm")
    north = harm[harm["area"] == "North"].set_index("top_percent")
    assert north.loc[1, "top_people"] == 1 and north.loc[1, "top_harm"] == 736
    assert north.loc[1, "total_harm"] == 1288 and north.loc[10, "top_people"] == 1


def test_trajectory_matches_the_lists(panel):
    traj = _frame(panel, "pack_trajectory")
    pa = traj[traj["perpetrator_id"] == "PA"].set_index("eval_date")
    assert len(pa) == 12
    assert pa.loc[pd.Timestamp(case.AS_OF), "rfg_score"] == 12
    assert pa.loc[pd.Timestamp(case.PREVIOUS), "rfg_score"] == 10
    assert not pa.loc[pd.Timestamp(D(2025, 1, 5)), "listed"]
    assert pa.loc[pd.Timestamp(D(2025, 1, 5)), "rfg_score"] == 0


def test_outcomes_by_hand(panel):
    from pipeline.panel.outcomes import outcome_table

    rows = outcome_table(_frame(panel, "outcome_rows", {"cohort": "adopted"}), False)
    pa, pd_ = rows.iloc[0], rows.iloc[1]
    assert (pa["perpetrator_id"], pa["area"], pa["cycle_date"], pa["rfg_at_cycle"]) == (
        "PA", "North", D(2025, 2, 2), 10)
    assert (pa["rfg_at_adoption"], pa["recency_at_adoption"], pa["frequency_at_adoption"],
            pa["gravity_at_adoption"]) == (10, 5, 1, 4)
    assert (pa["rfg_at_discharge"], pa["frequency_at_discharge"]) == (11, 2)
    assert pd.isna(pa["rfg_at_6m"]) and pa["listed_at_6m"] == ""
    assert (pa["new_incidents_after_adoption"], pa["new_victims_after_adoption"],
            pa["new_incidents_after_discharge"], pa["new_victims_after_discharge"]) == (1, 0, 1, 1)
    assert pa["comparison_group"] == 1
    assert (pd_["perpetrator_id"], pd_["cycle_date"], pd_["rfg_at_cycle"]) == ("PD", D(2024, 8, 18), 10)
    assert (pd_["rfg_at_adoption"], pd_["rfg_at_6m"], pd_["recency_at_6m"]) == (9, 7, 2)
    assert pd.isna(pd_["rfg_at_12m"]) and pd.isna(pd_["rfg_at_discharge"])
    assert (pd_["new_incidents_after_adoption"], pd_["comparison_group"]) == (0, 0)
    comparison = _frame(panel, "outcome_rows", {"cohort": "comparison"})
    assert comparison[["perpetrator_id", "adoption_rfg", "discharge_rfg"]].values.tolist() == [["PE", 9, 9]]
    s = _frame(panel, "outcome_summary").set_index(["cohort", "measure"])
    assert s.loc[("adopted", "rfg_at_adoption"), ["n", "median", "mean"]].tolist() == [2, 9.5, 9.5]
    assert s.loc[("adopted", "rfg_change_to_discharge"), ["n", "mean"]].tolist() == [1, 1.0]
    assert s.loc[("adopted", "rfg_change_to_6m"), ["n", "mean"]].tolist() == [1, -2.0]
    assert s.loc[("comparison", "rfg_change_to_discharge"), ["n", "people", "mean"]].tolist() == [1, 1, 0.0]
    assert ("comparison", "rfg_change_to_6m") not in s.index


@pytest.mark.parametrize("scoring, bad_births",
                         [({"include_victims": True}, False),
                          ({"preset": "rfh", "include_victims": True}, False),
                          ({"include_victims": True}, True)],
                         ids=["rfgv", "rfh_with_victims", "rfgv_bad_dates_of_birth"])
def test_rfg_at_a_date_is_the_score_of_the_list_at_that_date(layers, scoring, bad_births):
    """panel_rfg_at (the outcomes' and trajectories' scores) against the real rule: for every
    person listed at several earlier dates, and for people not listed then, the macro gives the
    list's score at that date (0 and not listed otherwise) - on the synthetic sample, with victims
    so that every component counts, and with RFH (frequency and gravity over the last year).
    `bad_births`: a third of the nominals get a date of birth after their incidents (impossible)
    or 130 years before (implausible); the rule counts both as an unknown age, and so must the
    panel."""
    from helpers import SAMPLES
    from pipeline.panel.tables import build_tables

    lay = layers([SAMPLES / "clean" / "2026-09", SAMPLES / "clean" / "2026-10"],
                 scoring=scoring)
    if bad_births:
        lay.con.execute("UPDATE int_person_identity SET date_of_birth = CASE "
                        "WHEN hash(person_id) % 3 = 0 THEN DATE '2026-12-31' "
                        "WHEN hash(person_id) % 3 = 1 THEN DATE '1896-01-01' "
                        "ELSE date_of_birth END")
    dates = [D(2026, 10, 30), D(2026, 6, 14), D(2025, 12, 1)]
    for day in dates:
        lay.score(day, scoring=scoring)
        build_tables(lay.con, lay.settings, dates[0])  # panel tables as of the latest date
        listed = lay.df("SELECT perpetrator_id, rfg_score, recency_points, frequency_points, "
                        "gravity_points, victims_points FROM mart_priority_list")
        assert len(listed) > 20
        others = lay.df("SELECT DISTINCT perpetrator_id FROM panel_links "
                        "WHERE perpetrator_id NOT IN (SELECT perpetrator_id FROM mart_priority_list)")
        pairs = pd.concat([listed[["perpetrator_id"]], others]).assign(eval_date=day)
        lay.con.register("wanted_pairs", pairs)
        got = lay.df("SELECT * FROM panel_rfg_at('wanted_pairs')").set_index("perpetrator_id")
        lay.con.unregister("wanted_pairs")
        mine = got.loc[listed["perpetrator_id"]]
        assert mine["listed"].all(), day
        for col in ("rfg_score", "recency_points", "frequency_points", "gravity_points",
                    "victims_points"):
            assert mine[col].tolist() == listed[col].tolist(), (day, col)
        rest = got.loc[others["perpetrator_id"]]
        assert not rest["listed"].any() and (rest["rfg_score"] == 0).all(), day


def test_pdf_fetches_nothing_from_outside():
    """The PDF printer reads only data: URIs (the charts' PNGs); a reference to a file or a
    server stops the render instead of being fetched."""
    from weasyprint.urls import FatalURLFetchingError

    from pipeline.panel import charts, render

    for url in ("file:///etc/hostname", "http://127.0.0.1:9/chart.png"):
        with pytest.raises(FatalURLFetchingError):
            render.pdf(f'<p>x</p><img src="{url}">')
    chart = charts.harm_concentration(
        [{"top_percent": 1, "top_people": 1, "people": 10, "share": 0.5}], png=True)
    assert chart["png"].startswith("data:image/png;base64,") and chart["svg"].startswith("<svg")
    assert render.pdf(f'<img src="{chart["png"]}">').startswith(b"%PDF")
