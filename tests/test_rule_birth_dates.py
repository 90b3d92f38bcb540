"""A bad date of birth never drops a perpetrator or a victim: a date of birth after the
incident (impossible, e.g. a typo in the year, or in the future) or one giving an age above
`quality.max_age` on the incident day (implausible) means the age is unknown, and an unknown age
counts (domain rule clause 3). The data-quality report still warns about such dates. Checked on
the pipeline (real DuckDB file) and on the independent reference implementation."""

from __future__ import annotations

import datetime as dt

import reference_impl as ref

D = dt.date(2024, 6, 30)


def _story(story):
    return story().table("""
        person  dob
        # B1 was "born" after both incidents (2034 for 1984): unknown age, stays on the list
        B1      2034-03-01
        # B2 is born between the two incidents: the first is impossible (unknown: counts), on
        # the second B2 is a baby (0 years: does not count) -> one qualifying incident, not serial
        B2      2024-02-01
        # victims born after the incident count as victims of unknown age
        BV1     2099-12-31
        BV2     2025-01-01
        # implausible: 1850 (174 years old) and 1913-06-29 (111 on the day, max_age 110) ->
        # unknown; exactly 110 on the day is a plausible age (110 >= 16: counts either way)
        B4      1850-05-05
        BV4     1913-06-29
        BV5     1914-06-29
        # a real child stays a child: 10 years old, not a perpetrator
        C1      2014-01-01
    """).table("""
        incident  date        suspect  offender  victim
        B1a       2024-01-10  B1       -         B1v1
        B1b       2024-03-10  B1       -         B1v2
        B2a       2024-01-10  B2       -         B2v1
        B2b       2024-03-10  B2       -         B2v2
        B3a       2024-01-10  -        B3        BV1
        B3b       2024-03-10  -        B3        BV2
        B4a       2024-06-29  B4       -         BV4
        B4b       2024-06-29  B4       -         BV5
        C1a       2024-01-10  C1       -         C1v1
        C1b       2024-03-10  C1       -         C1v2
    """)


def test_a_date_of_birth_after_the_incident_is_an_unknown_age_and_counts(tmp_path, layers, story):
    extract = _story(story).write(tmp_path / "ex")
    lay = layers(extract).score(D)
    assert sorted(lay.listed()) == ["B1", "B3", "B4"]
    ages = dict(lay.rows("SELECT incident_id || '/' || person_id, age_on_day "
                         "FROM int_involvements"))
    assert ages["B1a/B1"] is None and ages["B1b/B1"] is None
    assert ages["B2a/B2"] is None and ages["B2b/B2"] == 0
    assert ages["B4a/B4"] is None and ages["B4a/BV4"] is None and ages["B4b/BV5"] == 110
    assert ages["C1a/C1"] == 10
    counts = dict(lay.rows("SELECT perpetrator_id, incidents_in_window FROM int_perpetrator_stats "
                           "WHERE cycle = 'current'"))
    assert counts["B2"] == 1 and "C1" not in counts
    expected = ref.priority_list(ref.load([extract]), D)
    assert [r["perpetrator_id"] for r in expected] == lay.listed()


def test_max_age_is_the_quality_setting(tmp_path, layers, story):
    s = story().table("""
        person  dob
        O1      1950-01-01  # 74 on the day
        OV      2010-01-01  # 14: not a victim ... unless 14 is above max_age
    """).table("""
        incident  date        suspect  victim
        O1a       2024-01-10  O1       OV
        O1b       2024-03-10  O1       OV2
    """)
    extract = s.write(tmp_path / "ex")
    as_of = dt.date(2024, 3, 31)
    lay = layers(extract).score(as_of)
    assert lay.listed() == []
    overrides = {"quality": {"max_age": 13}}
    lay = layers(extract, **overrides).score(as_of)
    assert lay.listed() == ["O1"]  # 74 and 14 are both implausible now: unknown ages count
    expected = ref.priority_list(ref.load([extract]), as_of, overrides)
    assert [r["perpetrator_id"] for r in expected] == ["O1"]
