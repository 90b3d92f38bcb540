"""Scoring presets (`scoring.preset: rfg | rfgv | rfh`): YAML files in pipeline/core/presets/
applied between the defaults and the user's file; RFH's frequency and harm counted over the last
365 days of the window (`scoring.count_window_days`), worked by hand on a real DuckDB file and
checked against the independent reference implementation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import reference_impl as ref

from pipeline.core.settings import SettingsError, load_settings, preset_names

D = dt.date(2024, 6, 30)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_presets_shipped_and_rfg_is_the_default():
    assert preset_names() == ("rfg", "rfgv", "rfh")
    assert load_settings().scoring.preset == "rfg"
    assert load_settings(overrides={"scoring": {"preset": "rfg"}}).as_dict() == load_settings().as_dict()


def test_rfgv_and_rfh_presets_change_only_scoring(tmp_path):
    base = load_settings().as_dict()
    rfgv = load_settings(_file(tmp_path, "scoring:\n  preset: rfgv\n")).as_dict()
    assert rfgv["scoring"]["include_victims"] is True
    rfh = load_settings(overrides={"scoring": {"preset": "rfh"}})
    assert rfh.scoring.count_window_days == 365
    assert [(b.min, b.points) for b in rfh.scoring.frequency_bands] == [
        (8, 5), (5, 4), (3, 3), (2, 2), (1, 1)]
    assert [(b.min, b.points) for b in rfh.scoring.gravity_bands] == [
        (1000, 5), (300, 4), (100, 3), (20, 2), (1, 1)]
    assert rfh.scoring.recency_bands == load_settings().scoring.recency_bands
    for doc in (rfgv, rfh.as_dict()):
        assert {k: v for k, v in doc.items() if k != "scoring"} == {
            k: v for k, v in base.items() if k != "scoring"}


def test_any_setting_in_the_user_file_overrides_the_preset(tmp_path):
    user = _file(tmp_path, "scoring:\n  preset: rfh\n  count_window_days: 180\n"
                 "  frequency_bands:\n    - {min: 2, points: 1}\n")
    s = load_settings(user)
    assert s.scoring.preset == "rfh"
    assert s.scoring.count_window_days == 180                       # user wins
    assert [(b.min, b.points) for b in s.scoring.frequency_bands] == [(2, 1)]
    assert s.scoring.gravity_bands[-1].min == 1                     # still the preset's
    # an override (what `--compare rfgv` does) replaces the file's preset, not its other keys
    t = load_settings(user, overrides={"scoring": {"preset": "rfgv"}})
    assert (t.scoring.preset, t.scoring.include_victims, t.scoring.count_window_days) == (
        "rfgv", True, 180)


@pytest.mark.parametrize("text", ["scoring:\n  preset: rfx\n", "scoring:\n  preset: 3\n",
                                  "scoring:\n  count_window_days: 0\n"])
def test_unknown_preset_or_bad_count_window_is_an_error_naming_the_key(tmp_path, text):
    with pytest.raises(SettingsError) as err:
        load_settings(_file(tmp_path, text))
    key = "scoring.preset" if "preset" in text else "scoring.count_window_days"
    assert f"'{key}'" in str(err.value)


def _rfh_story(story, tmp_path):
    """D = 2024-06-30, so the last 365 days are 2023-07-02 .. 2024-06-30 (D - 365 days =
    2023-07-01 is out). Weights: 8N 184, 8G 127, non-crime 1.

    H: 8N 2023-07-01, 8N 2023-07-02, nc D-10.
       RFG: d=10 R5, n=3 F2, g=369 G4 = 11.  RFH: counted H2, H3: n=2 F2, g=185 G3 -> 10.
    K: 8G on 2022-09-01, 2022-10-01, 2022-11-01, 2023-06-30 (nothing in the last year).
       RFG: d=366 R1, n=4 F3, g=508 G4 = 8.  RFH: R1, n=0 F0, g=0 G0 -> 1 (still serial).
    M: nc D-2, nc D-1.  RFG: R5 F1 G1 = 7.  RFH: R5, n=2 F2, g=2 G1 -> 8.
    N: 8G 2022-12-01, nc D-3, nc D-1.  RFG: R5, n=3 F2, g=129 G3 = 10.  RFH: R5 F2 G1 -> 8,
       tied with M on score, counted harm (2), latest date and counted n: id order, M first
       (the whole-window gravity, 129 against 2, would have put N first).
    RFG order: H 11, N 10, K 8, M 7.  RFH order: H 10, M 8, N 8, K 1."""
    s = story()
    s.incident("H1", "2023-07-01", code="8N", suspect="H", victim="Hv1")
    s.incident("H2", "2023-07-02", code="8N", suspect="H", victim="Hv2")
    s.incident("H3", (D - dt.timedelta(days=10)).isoformat(), type="non_crime", suspect="H",
               victim="Hv1")
    for k, day in enumerate(("2022-09-01", "2022-10-01", "2022-11-01", "2023-06-30")):
        s.incident(f"K{k}", day, code="8G", suspect="K", victim=f"Kv{k % 2}")
    for k in (2, 1):
        s.incident(f"M{k}", (D - dt.timedelta(days=k)).isoformat(), type="non_crime",
                   suspect="M", victim=f"Mv{k}")
    s.incident("N0", "2022-12-01", code="8G", suspect="N", victim="Nv0")
    for k in (3, 1):
        s.incident(f"N{k}", (D - dt.timedelta(days=k)).isoformat(), type="non_crime",
                   suspect="N", victim=f"Nv{k}")
    return s.write(tmp_path / "ex")


def test_rfh_counts_frequency_and_harm_over_the_last_365_days(tmp_path, layers, story):
    extract = _rfh_story(story, tmp_path)
    lay = layers(extract).score(D)
    rfg = lay.rows("SELECT perpetrator_id, rfg_score FROM mart_priority_list ORDER BY rank")
    assert rfg == [("H", 11), ("N", 10), ("K", 8), ("M", 7)]
    lay.score(D, scoring={"preset": "rfh"})
    rfh = lay.rows("SELECT perpetrator_id, rfg_score, recency_points, frequency_points, "
                   "gravity_points, incidents_in_window, gravity_total "
                   "FROM mart_priority_list ORDER BY rank")
    # the list keeps the whole window's n and g (the rule's facts); the points count the year
    assert rfh == [("H", 10, 5, 2, 3, 3, 369), ("M", 8, 5, 2, 1, 2, 2),
                   ("N", 8, 5, 2, 1, 3, 129), ("K", 1, 1, 0, 0, 4, 508)]
    counted = {p: (n, g) for p, n, g in lay.rows(
        "SELECT perpetrator_id, scored_incidents, scored_gravity FROM int_perpetrator_scores "
        "WHERE cycle = 'current'")}
    assert counted == {"H": (2, 185), "K": (0, 0), "M": (2, 2), "N": (2, 2)}
    want = ref.priority_list(ref.load([extract]), D, {"scoring": {"preset": "rfh"}})
    assert [(r["perpetrator_id"], r["rfg_score"]) for r in want] == [(p, s) for p, s, *_ in rfh]


def test_count_window_days_is_a_setting_on_its_own(tmp_path, layers, story):
    """count_window_days 30 with the default (RFG) bands: only M and N's last incidents count;
    H (one in 30 days, F below the lowest band 2 -> 0, g=1 -> G1) R5 F0 G1 = 6;
    K: R1 F0 G1 (g=0 >= 0) = 2; M, N: R5 F1 G1 = 7 (tie: counted harm 2, last D-1, n 2; id)."""
    extract = _rfh_story(story, tmp_path)
    lay = layers(extract).score(D, scoring={"count_window_days": 30})
    got = lay.rows("SELECT perpetrator_id, rfg_score FROM mart_priority_list ORDER BY rank")
    assert got == [("M", 7), ("N", 7), ("H", 6), ("K", 2)]
    want = ref.priority_list(ref.load([extract]), D, {"scoring": {"count_window_days": 30}})
    assert [(r["perpetrator_id"], r["rfg_score"]) for r in want] == got
