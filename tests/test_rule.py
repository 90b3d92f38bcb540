"""The MATAC rule and RFG scoring, hand-worked from domain.md, on a real DuckDB file via the
transform layers; plus the explanation table and an independent reference implementation
(`reference_impl.py`) compared with the pipeline on generated extracts.

Unless a test says otherwise: as-of D = 2024-06-30, so the default 2-year window starts on
2022-06-30; incidents are crimes coded 8N (weight 184) or non-crimes (weight 1); people have
no date of birth (unknown age counts)."""

from __future__ import annotations

import datetime as dt

import pytest
import reference_impl as ref

D = dt.date(2024, 6, 30)


def days_before(n: int, day: dt.date = D) -> str:
    return (day - dt.timedelta(days=n)).isoformat()


def stats(lay) -> dict[str, dict]:
    """int_perpetrator_stats (every perpetrator with a qualifying incident) at the current as-of."""
    cur = lay.con.execute("SELECT * FROM int_perpetrator_stats WHERE cycle = 'current'")
    names = [d[0] for d in cur.description]
    return {r["perpetrator_id"]: r for r in (dict(zip(names, row)) for row in cur.fetchall())}


def listed(lay) -> dict[str, dict]:
    cur = lay.con.execute("SELECT * FROM mart_priority_list ORDER BY rank")
    names = [d[0] for d in cur.description]
    return {r["perpetrator_id"]: r for r in (dict(zip(names, row)) for row in cur.fetchall())}


def incidents_of(lay, perpetrator: str) -> dict[str, float]:
    return dict(lay.rows("SELECT incident_id, weight FROM mart_priority_incidents "
                         "WHERE perpetrator_id = ?", [perpetrator]))


# ------------------------------------------------------------------------------------ the rule
def test_window_includes_both_ends_and_ignores_incidents_after_the_as_of(tmp_path, layers, story):
    s = story().table("""
        incident  date        suspect  victim
        # W1: on the window start (D - 2 calendar years = 2022-06-30) and on D itself: both count
        W1a       2022-06-30  W1       W1v1
        W1b       2024-06-30  W1       W1v2
        # W2: the day before the window start is out -> 1 incident -> not serial
        W2a       2022-06-29  W2       W2v1
        W2b       2024-06-30  W2       W2v2
        # W3: the day after D is ignored -> 1 incident -> not serial
        W3a       2024-01-01  W3       W3v1
        W3b       2024-07-01  W3       W3v2
        # leap day: D = 2024-02-29 -> window starts 2022-02-28
        L1a       2022-02-28  L1       L1v1
        L1b       2024-02-29  L1       L1v2
        L2a       2022-02-27  L2       L2v1
        L2b       2024-02-29  L2       L2v2
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert lay.listed() == ["W1"]
    w1 = listed(lay)["W1"]
    assert (w1["incidents_in_window"], w1["days_since_last_incident"]) == (2, 0)
    assert set(incidents_of(lay, "W1")) == {"W1a", "W1b"}
    st = stats(lay)
    assert st["W2"]["incidents_in_window"] == 1 and st["W3"]["incidents_in_window"] == 1
    assert st["W3"]["last_incident_date"] == dt.date(2024, 1, 1)

    lay.score("2024-02-29")
    assert lay.listed() == ["L1"]
    assert stats(lay)["L2"]["incidents_in_window"] == 1


def test_age_16_on_the_day_counts_the_day_before_the_birthday_does_not(tmp_path, layers, story):
    s = story().table("""
        person  dob
        # perpetrators: A16 turns 16 on 2024-01-15 (counts); A15 turns 16 a day later (15 that day)
        A16     2008-01-15
        A15     2008-01-16
        # victims: VA is 16 on the day (counts); VC is 15 on the day (does not)
        VA      2008-01-15
        VC      2008-01-16
        CH      2015-01-01
        # unknown (blank or unreadable) date of birth counts, for perpetrator and victim
        U1      unknown
        U1v1    'not known'
    """).table("""
        incident  date        suspect  offender  victim
        A16a      2024-01-15  A16      -         A16v1
        A16b      2024-05-01  A16      -         A16v2
        A15a      2024-01-15  A15      -         A15v1
        A15b      2024-05-01  A15      -         A15v2
        B1a       2024-01-15  -        B1        VA
        B1b       2024-05-01  -        B1        B1v2
        B2a       2024-01-15  -        B2        VC
        B2b       2024-05-01  -        B2        B2v2
        # a child victim beside an adult one: the incident counts, the child is not a victim
        B3a       2024-02-01  B3       -         CH,B3v1
        B3b       2024-03-01  B3       -         B3v2
        U1a       2024-02-01  U1       -         U1v1
        U1b       2024-03-01  U1       -         U1v2
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert sorted(lay.listed()) == ["A16", "B1", "B3", "U1"]
    st = stats(lay)
    assert st["A15"]["incidents_in_window"] == 1       # only A15b (age 16 by May)
    assert st["B2"]["incidents_in_window"] == 1        # B2a has no victim aged 16+
    assert st["B3"]["victims_in_window"] == 2          # B3v1, B3v2; not CH (aged 9)
    assert st["B3"]["incidents_in_window"] == 2


def test_crime_and_non_crime_count_non_da_never_counts(tmp_path, layers, story):
    s = story().table("""
        incident  date        type       da      suspect  victim
        N1a       2024-01-01  non_crime  -       N1       N1v1
        N1b       2024-02-01  non_crime  -       N1       N1v2
        # D1: only one DA incident: 'false', 'No' and '0' are all not domestic abuse
        D1a       2024-01-01  -          -       D1       D1v1
        D1b       2024-02-01  -          false   D1       D1v2
        D1c       2024-03-01  -          ' No '  D1       D1v3
        D1d       2024-04-01  -          0       D1       D1v4
        # D2: two DA incidents against the same victim, a second victim only in a non-DA one
        D2a       2024-01-01  -          -       D2       D2v1
        D2b       2024-02-01  -          -       D2       D2v1
        D2c       2024-03-01  -          FALSE   D2       D2v2
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert lay.listed() == ["N1"]
    assert listed(lay)["N1"]["gravity_total"] == 2  # 1 + 1
    st = stats(lay)
    assert st["D1"]["incidents_in_window"] == 1
    assert (st["D2"]["incidents_in_window"], st["D2"]["victims_in_window"]) == (2, 1)


def test_victims_are_other_people_in_the_victim_role(tmp_path, layers, story):
    s = story().table("""
        person  pnc
        # S2's second nominal (same PNC) as victim is still S2
        S2      PNC-S2
        S2x     PNC-S2
    """).table("""
        incident  date        suspect  victim   witness  other
        # S1 is named as victim of their own incident: not a victim; S1b then has no victim
        S1a       2024-01-01  S1       S1,S1v1  -        -
        S1b       2024-02-01  S1       S1       -        -
        S2a       2024-01-01  S2       S2v1     -        -
        S2b       2024-02-01  S2       S2x      -        -
        # witnesses and 'other' are never victims
        O1a       2024-01-01  O1       O1v1     O1w      O1o
        O1b       2024-02-01  O1       -        O1v2     O1v3
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert lay.listed() == []
    st = stats(lay)
    assert (st["S1"]["incidents_in_window"], st["S1"]["victims_in_window"]) == (1, 1)
    assert (st["S2"]["incidents_in_window"], st["S2"]["victims_in_window"]) == (1, 1)
    assert (st["O1"]["incidents_in_window"], st["O1"]["victims_in_window"]) == (1, 1)
    # victims, witnesses and others are not perpetrators
    assert set(st) == {"S1", "S2", "O1"}


def test_every_suspect_and_offender_of_an_incident_gets_it(tmp_path, layers, story):
    s = story()
    s.incident("M1", "2024-01-01", suspect=["MA", "MB"], offender="MC", victim="MV1")
    s.incident("M2", "2024-02-01", suspect=["MA", "MB", "MC"], victim="MV2")
    lay = layers(s.write(tmp_path / "ex")).score(D)
    got = listed(lay)
    assert sorted(got) == ["MA", "MB", "MC"]
    for p in got.values():
        assert (p["incidents_in_window"], p["victims_in_window"]) == (2, 2)
        assert p["gravity_total"] == 368  # 184 + 184


def test_thresholds_need_two_incidents_and_two_victims(tmp_path, layers, story):
    s = story().table("""
        incident  date        suspect  victim
        T1a       2024-01-01  T1       T1v        # 3 incidents, 1 victim
        T1b       2024-02-01  T1       T1v
        T1c       2024-03-01  T1       T1v
        T2a       2024-01-01  T2       T2v1,T2v2  # 1 incident
        T3a       2024-01-01  T3       T3v1       # exactly 2 and 2
        T3b       2024-02-01  T3       T3v2
        T4a       2024-01-01  T4       T4v1,T4v2  # 3 and 3
        T4b       2024-02-01  T4       T4v3
        T4c       2024-03-01  T4       T4v3
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert sorted(lay.listed()) == ["T3", "T4"]
    # thresholds are settings: 3 incidents and 3 victims leaves T4 only
    lay.score(D, rule={"min_incidents": 3, "min_victims": 3})
    assert lay.listed() == ["T4"]


def test_pnc_merges_perpetrators_and_victims_and_never_merges_different_pncs(
        tmp_path, layers, story):
    s = story().table("""
        person  dob         surname  pnc
        # PA1/PA2: one human (same PNC), one incident each -> one serial perpetrator 'PA1'
        PA2     1990-01-01  -        2001/77A
        PA1     1990-01-01  -        2001/77a
        # PB1/PB2: same name and date of birth but different PNCs -> two people, neither serial
        PB1     1985-05-05  Synth    2002/1B
        PB2     1985-05-05  Synth    2002/2B
        # PV: two victim nominals of one human -> one victim
        PVv1    -           -        2003/5C
        PVv2    -           -        2003/5C
    """).table("""
        incident  date        suspect  victim
        PAa       2024-01-01  PA2      PAv1
        PAb       2024-02-01  PA1      PAv2
        PBa       2024-01-01  PB1      PBv1
        PBb       2024-02-01  PB2      PBv2
        PVa       2024-01-01  PV       PVv1
        PVb       2024-02-01  PV       PVv2
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert lay.listed() == ["PA1"]
    pa = listed(lay)["PA1"]
    assert (pa["incidents_in_window"], pa["victims_in_window"]) == (2, 2)
    assert pa["merged_person_ids"] == "PA1;PA2"
    st = stats(lay)
    assert st["PB1"]["incidents_in_window"] == 1 and st["PB2"]["incidents_in_window"] == 1
    assert (st["PV"]["incidents_in_window"], st["PV"]["victims_in_window"]) == (2, 1)
    assert "PA2" not in st


def test_supersession_changes_the_result(tmp_path, layers, story):
    base = story()
    base.incident("X1", "2024-01-01", suspect="SU", victim="SV1")
    base.incident("X2", "2024-02-01", suspect="SU", victim="SV2")
    old = base.write(tmp_path / "2024-03")
    # a later extract re-records X2 as not domestic abuse
    rev = story()
    rev.incident("X2", "2024-02-01", da="false", suspect="SU", victim="SV2")
    revised = rev.write(tmp_path / "2024-04")
    # another later extract corrects who the victim of X2 was: SV1 again
    cor = story()
    cor.incident("X2", "2024-02-01", suspect="SU", victim="SV1")
    corrected = cor.write(tmp_path / "2024-05")

    assert layers([old]).score(D).listed() == ["SU"]
    assert layers([old, revised]).score(D).listed() == []
    assert layers([revised, old]).score(D).listed() == ["SU"]  # given order decides
    lay = layers([old, corrected]).score(D)
    assert lay.listed() == []
    assert stats(lay)["SU"]["victims_in_window"] == 1


# ------------------------------------------------------------------------------------- scoring
def test_recency_band_edges(tmp_path, layers, story):
    # two non-crimes (n=2 -> F=1, g=2 -> G=1), the later d days before D
    expected_r = {0: 5, 30: 5, 31: 4, 90: 4, 91: 3, 180: 3, 181: 2, 365: 2, 366: 1, 700: 1}
    s = story()
    for d in expected_r:
        s.incident(f"R{d}a", days_before(d + 1), type="non_crime", suspect=f"R{d}", victim=f"R{d}v1")
        s.incident(f"R{d}b", days_before(d), type="non_crime", suspect=f"R{d}", victim=f"R{d}v2")
    lay = layers(s.write(tmp_path / "ex")).score(D)
    got = listed(lay)
    assert {int(p[1:]): (r["days_since_last_incident"], r["recency_points"], r["rfg_score"])
            for p, r in got.items()} == {d: (d, r, r + 1 + 1) for d, r in expected_r.items()}


def test_frequency_band_edges(tmp_path, layers, story):
    # n non-crimes, alternating two victims; last one the day before D (R=5); g=n<20 (G=1)
    expected_f = {2: 1, 3: 2, 4: 3, 5: 3, 6: 4, 9: 4, 10: 5, 11: 5}
    s = story()
    for n in expected_f:
        for k in range(n):
            s.incident(f"F{n}i{k}", days_before(k + 1), type="non_crime", suspect=f"F{n}",
                       victim=f"F{n}v{k % 2}")
    s.incident("F1i0", days_before(1), type="non_crime", suspect="F1", victim=["F1v0", "F1v1"])
    lay = layers(s.write(tmp_path / "ex")).score(D)
    got = listed(lay)
    assert "F1" not in got  # one incident is below the rule's threshold, not a band
    assert {int(p[1:]): (r["incidents_in_window"], r["frequency_points"], r["rfg_score"])
            for p, r in got.items()} == {n: (n, f, 5 + f + 1) for n, f in expected_f.items()}


def test_gravity_band_edges_with_a_custom_gravity_table(tmp_path, layers, story):
    # one non-crime (1) + one crime whose code weighs total-1, in a force's own table
    expected_g = {19: 1, 19.99: 1, 20: 2, 99: 2, 100: 3, 299: 3, 300: 4, 999: 4, 1000: 5}
    table = tmp_path / "force_gravity.csv"
    table.write_text("offence_code,description,weight,source\n" + "".join(
        f"G{g},Test offence,{round(g - 1, 2)},test\n" for g in expected_g), encoding="utf-8")
    s = story()
    for g in expected_g:
        s.incident(f"G{g}a", days_before(2), type="non_crime", suspect=f"P{g}", victim=f"P{g}v1")
        s.incident(f"G{g}b", days_before(1), code=f"G{g}", suspect=f"P{g}", victim=f"P{g}v2")
    lay = layers(s.write(tmp_path / "ex")).score(D, scoring={"gravity_table": str(table)})
    got = listed(lay)
    assert {float(p[1:]): (round(r["gravity_total"], 2), r["gravity_points"], r["rfg_score"])
            for p, r in got.items()} == {float(g): (g, pts, 5 + 1 + pts)
                                         for g, pts in expected_g.items()}


def test_gravity_weights_known_code_non_crime_unknown_and_missing_code(tmp_path, layers, story):
    s = story().table("""
        incident  date        type       code    suspect  victim
        GW1       2024-06-01  -          8N      GW       V1      # 184
        GW2       2024-06-02  non_crime  -       GW       V2      # 1
        GW3       2024-06-03  -          ZZ9     GW       V1      # unknown: 5
        GW4       2024-06-04  -          ''      GW       V1      # missing: 5
        GW5       2024-06-05  -          ' 8n '  GW       V1      # 8N: 184
        GW6       2024-06-06  non_crime  -       GW       V1
    """)
    s.incidents[-1]["offence_code"] = "1"  # a murder code on a non-crime record: still 1
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert incidents_of(lay, "GW") == {"GW1": 184, "GW2": 1, "GW3": 5, "GW4": 5, "GW5": 184,
                                       "GW6": 1}
    gw = listed(lay)["GW"]
    # g = 184+1+5+5+184+1 = 380 -> G=4; n=6 -> F=4; d=24 -> R=5; score 13
    assert (gw["gravity_total"], gw["gravity_points"], gw["frequency_points"],
            gw["recency_points"], gw["rfg_score"]) == (380, 4, 4, 5, 13)
    known = dict(lay.rows("SELECT incident_id, offence_known FROM int_incidents"))
    assert [known[f"GW{i}"] for i in (1, 3, 4, 5)] == [True, False, False, True]

    # the two weights are settings: non-crime 2, unknown crime 50 -> g = 368 + 2*2 + 2*50 = 472
    lay.score(D, scoring={"non_crime_weight": 2, "unknown_crime_weight": 50})
    assert listed(lay)["GW"]["gravity_total"] == 472


def test_order_score_then_gravity_then_latest_date_then_count_then_id(tmp_path, layers, story):
    s = story()

    def career(pid, last_days_before, *codes):
        for k, code in enumerate(codes):
            kind = {"type": "non_crime"} if code == "nc" else {"code": code}
            s.incident(f"{pid}-{k}", days_before(last_days_before + k), suspect=pid,
                       victim=f"{pid}v{k % 2}", **kind)

    # score 10 = R5 + F3 + G2, g = 45:
    career("T5", 1, "105A", "105A", "58A", "58A", "nc")  # 13+13+9+9+1, n=5, last D-1
    career("T4", 1, "BREACH", "105A", "nc", "nc")         # 30+13+1+1,   n=4, last D-1
    career("T6", 2, "105A", "105A", "58A", "58A", "nc")  # n=5 but last D-2
    # score 9 = R5 + F1 + G3: more gravity than the 10s, still below them
    career("T0", 1, "9A", "nc")                           # 100+1 = 101
    # score 8 = R5 + F1 + G2:
    career("T1", 1, "8U", "nc")                           # 60+1 = 61
    career("T2", 1, "8L", "nc")                           # 40+1 = 41, last D-1
    career("T3", 5, "8Q", "nc")                           # 40+1 = 41, last D-5
    # score 7 = R4 + F1 + G2, identical otherwise: id ascending as text ('P10' < 'P9')
    career("P9", 40, "8L", "nc")
    career("P10", 40, "8L", "nc")
    lay = layers(s.write(tmp_path / "ex")).score(D)
    got = listed(lay)
    assert list(got) == ["T5", "T4", "T6", "T0", "T1", "T2", "T3", "P10", "P9"]
    assert [r["rank"] for r in got.values()] == list(range(1, 10))  # contiguous, no ties
    assert [r["rfg_score"] for r in got.values()] == [10, 10, 10, 9, 8, 8, 8, 7, 7]
    assert [r["gravity_total"] for r in got.values()] == [45, 45, 45, 101, 61, 41, 41, 41, 41]


def test_rfgv_adds_victim_points_column_and_changes_scores(tmp_path, layers, story):
    from pipeline.outputs.publish import priority_frame

    s = story()
    # two non-crimes each (R5 F1 G1 = 7); v victims in all
    for v in (2, 3, 4, 5, 6):
        s.incident(f"RV{v}a", days_before(2), type="non_crime", suspect=f"RV{v}", victim=f"RV{v}x0")
        s.incident(f"RV{v}b", days_before(1), type="non_crime", suspect=f"RV{v}",
                   victim=[f"RV{v}x{k}" for k in range(1, v)])
    lay = layers(s.write(tmp_path / "ex")).score(D)
    off = listed(lay)
    assert list(off) == ["RV2", "RV3", "RV4", "RV5", "RV6"]  # all 7: id order
    assert {r["rfg_score"] for r in off.values()} == {7}
    assert "victims_points" not in priority_frame(lay.con, lay.settings).columns

    lay.score(D, scoring={"include_victims": True})
    on = listed(lay)
    # V: 6 -> 5, 5 -> 5, 4 -> 4, 3 -> 3, 2 -> 2; score 7 + V
    assert {p: (r["victims_in_window"], r["victims_points"], r["rfg_score"]) for p, r in on.items()} == {
        "RV2": (2, 2, 9), "RV3": (3, 3, 10), "RV4": (4, 4, 11), "RV5": (5, 5, 12), "RV6": (6, 5, 12)}
    assert list(on) == ["RV5", "RV6", "RV4", "RV3", "RV2"]
    frame = priority_frame(lay.con, lay.settings)
    assert "victims_points" in frame.columns
    assert list(frame["victims_points"]) == [5, 5, 4, 3, 2]

    lay.score(D, scoring={"include_victims": True, "weights": {"victims": 2}})
    assert listed(lay)["RV6"]["rfg_score"] == 17  # 7 + 2 * 5


def test_component_weights(tmp_path, layers, story):
    s = story()
    # A: d=1 (R5), n=2 (F1), g=185 (G3); B: d=100 (R3), n=4 (F3), g=4 (G1)
    s.incident("A1", days_before(2), code="8N", suspect="A", victim="Av1")
    s.incident("A2", days_before(1), type="non_crime", suspect="A", victim="Av2")
    for k in range(4):
        s.incident(f"B{k}", days_before(100 + k), type="non_crime", suspect="B", victim=f"Bv{k % 2}")
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert {p: r["rfg_score"] for p, r in listed(lay).items()} == {"A": 9, "B": 7}  # 5+1+3, 3+3+1
    lay.score(D, scoring={"weights": {"recency": 0.5, "frequency": 3, "gravity": 0, "victims": 9}})
    got = listed(lay)
    # A: 0.5*5 + 3*1 + 0*3 = 5.5; B: 0.5*3 + 3*3 + 0*1 = 10.5 (victims off: weight unused)
    assert {p: r["rfg_score"] for p, r in got.items()} == {"A": 5.5, "B": 10.5}
    assert list(got) == ["B", "A"]


def test_three_year_window_is_a_setting(tmp_path, layers, story):
    s = story().table("""
        incident  date        suspect  victim
        Y1a       2021-06-30  Y1       Y1v1    # D - 3 years: in
        Y1b       2024-01-01  Y1       Y1v2
        Y2a       2021-06-29  Y2       Y2v1    # a day earlier: out
        Y2b       2024-01-01  Y2       Y2v2
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert lay.listed() == []
    lay.score(D, rule={"window_years": 3})
    assert lay.listed() == ["Y1"]


# ------------------------------------------------------------------------------ explainability
def test_priority_incidents_are_exactly_the_qualifying_incidents_behind_each_score(
        tmp_path, layers, story):
    s = story().person("Kid", dob="2012-01-01").table("""
        incident  date        type       code  da     suspect  offender  victim   witness
        E1        2024-01-01  -          8G    -      E        -         Ev1      -     # 127
        E2        2024-02-01  -          8L    -      E        -         Ev2,Ev3  -     # 40
        E3        2024-03-01  non_crime  -     -      E        -         Ev1      -     # 1
        E4        2024-04-01  -          1     false  E        -         Ev4      -     # not DA
        E5        2024-05-01  -          2     -      E        -         Kid      -     # child only
        E6        2022-01-01  -          1     -      E        -         Ev5      -     # out of window
        E7        2024-05-02  -          5D    -      E        -         -        Ev6   # no victim
        F1        2024-01-01  non_crime  -     -      F        -         Fv1      -
        F2        2024-02-01  -          8N    -      -        F         Fv2      -
        F3        2024-03-01  -          8N    -      F        -         Ev1      -     # a shared victim
    """)
    lay = layers(s.write(tmp_path / "ex")).score(D)
    assert incidents_of(lay, "E") == {"E1": 127, "E2": 40, "E3": 1}
    assert incidents_of(lay, "F") == {"F1": 1, "F2": 184, "F3": 184}
    got = listed(lay)
    for pid, r in got.items():
        rows = lay.rows("SELECT count(*), sum(weight), max(occurred_date) "
                        "FROM mart_priority_incidents WHERE perpetrator_id = ?", [pid])[0]
        assert rows == (r["incidents_in_window"], r["gravity_total"], r["last_incident_date"])
    assert (got["E"]["gravity_total"], got["E"]["victims_in_window"]) == (168, 3)  # 127+40+1
    assert lay.rows("SELECT victims, victim_ids FROM mart_priority_incidents "
                    "WHERE incident_id = 'E2'") == [(2, "Ev2;Ev3")]
    # both last on 2024-03-01: d = 30 (March) + 30 + 31 + 30 = 121 -> R3; n=3 -> F2
    # F: g = 1+184+184 = 369 -> G4 -> 9; E: g = 168 -> G3 -> 8
    assert [(p, r["rfg_score"]) for p, r in got.items()] == [("F", 9), ("E", 8)]


# ------------------------------------------------------------------- independent reference check
COMPARED = ["rank", "perpetrator_id", "rfg_score", "recency_points", "frequency_points",
            "gravity_points", "incidents_in_window", "victims_in_window", "last_incident_date",
            "days_since_last_incident", "gravity_total"]

SETTINGS = {
    "default": {},
    "window_3y": {"rule": {"window_years": 3}},
    "rfgv": {"scoring": {"include_victims": True, "weights": {"victims": 2}}},
    "preset_rfgv": {"scoring": {"preset": "rfgv"}},
    "preset_rfh": {"scoring": {"preset": "rfh"}},
    "strict": {"rule": {"min_incidents": 3, "min_victims": 2, "min_age": 18},
               "scoring": {"non_crime_weight": 3, "unknown_crime_weight": 25,
                           "weights": {"recency": 2, "gravity": 0.5}}},
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    synth = pytest.importorskip("pipeline.synth.generate")
    root = tmp_path_factory.mktemp("synth")
    synth.generate(root / "clean", 3000, seed=20240630, extracts=2)
    synth.generate(root / "dirty", 3000, seed=7, extracts=2, dirty=0.03)
    synth.generate(root / "parquet", 2000, seed=3, extracts=2, fmt="parquet")
    return {name: sorted(p for p in (root / name).iterdir() if p.is_dir() and p.name != "_truth")
            for name in ("clean", "dirty", "parquet")}


def _compare(lay, extracts, as_of, overrides):
    lay.score(as_of, **overrides)
    expected = ref.priority_list(ref.load(extracts), lay.as_of, overrides)
    sc = overrides.get("scoring", {})
    victims = sc.get("include_victims") or sc.get("preset") == "rfgv"
    cols = COMPARED + (["victims_points"] if victims else [])
    got = [dict(zip(cols, r)) for r in lay.rows(
        f"SELECT {', '.join(cols)} FROM mart_priority_list ORDER BY rank")]
    want = [{c: e[c] for c in cols} for e in expected]
    assert len(got) == len(want) and len(want) > 20, (as_of, overrides)
    for g, w in zip(got, want):
        assert g == pytest.approx(w), (as_of, overrides)
    behind = {}
    for pid, iid, weight in lay.rows("SELECT perpetrator_id, incident_id, weight "
                                     "FROM mart_priority_incidents"):
        behind.setdefault(pid, {})[iid] = weight
    assert behind == {e["perpetrator_id"]: e["incidents"] for e in expected}


def test_reference_implementation_agrees_on_clean_monthly_extracts(synthetic, layers):
    extracts = synthetic["clean"]
    lay = layers(extracts)
    for name, overrides in SETTINGS.items():
        for as_of in (None, dt.date(2026, 6, 30), dt.date(2025, 12, 31)):
            _compare(lay, extracts, as_of, overrides)


def test_reference_implementation_agrees_on_dirty_extracts(synthetic, layers):
    extracts = synthetic["dirty"]
    lay = layers(extracts)
    data = ref.load(extracts)
    assert {t: c["rows_quarantined"] for t, c in lay.staging.counts.items()} == dict(
        data.quarantined)
    for name in ("default", "rfgv"):
        _compare(lay, extracts, None, SETTINGS[name])
    _compare(lay, extracts, dt.date(2026, 3, 31), SETTINGS["window_3y"])


def test_reference_implementation_agrees_on_parquet_extracts(synthetic, layers):
    extracts = synthetic["parquet"]
    assert all((e / "incidents.parquet").is_file() for e in extracts)
    lay = layers(extracts)
    for name in ("default", "strict"):
        _compare(lay, extracts, None, SETTINGS[name])
