"""Identity resolution on hand-built nominals, on a real DuckDB file with the real Splink model:
each comparison level, the PNC constraint through a chain, namesakes that must stay apart, the
analyst's decisions overriding the model both ways (and bad decision rows quarantined), the
review queue, determinism, and no Splink tables or log lines left behind."""

from __future__ import annotations

import json
import logging

import pytest

from helpers import write_table
from pipeline.core.settings import SettingsError
from pipeline.identity import cluster, linkage

DECISION_HEADER = ["person_id_a", "person_id_b", "decision", "decided_on", "decided_by", "note"]


FIRST = ["Sarah", "Emma", "Laura", "David", "James", "Daniel", "Paul", "Claire", "Mark", "Lisa"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Patel", "Hughes",
        "Wood", "Hall", "Green"]


def _crowd(story, n=60):
    """People around the story (their own incidents), so that name frequencies are not those
    of four records: a shared 'Joanne' means little among four people."""
    for i in range(n):
        story.person(f"Z{i:03}", surname=LAST[i % len(LAST)], forenames=FIRST[i % len(FIRST)],
                     dob=f"19{50 + i % 45}-{1 + i % 12:02}-{1 + i % 28:02}",
                     gender="female" if i % 2 else "male")
    for i in range(0, n, 2):
        story.incident(f"Z{i:03}", "2025-01-01", suspect=f"Z{i:03}", victim=f"Z{i + 1:03}")
    return story


def _two_victims(story, a: dict, b: dict, *, perp="K1", perp2=None):
    """Perpetrator K1 (and, if given, another perpetrator) against victims A then B: two
    incidents, so K1 is serial exactly when A and B are two people."""
    _crowd(story)
    story.person("K1", dob="1980-01-01", pnc="80/1K", surname="Harrow", forenames="Keith")
    story.person("A", **a).person("B", **b)
    story.incident("I1", "2026-01-10", suspect=perp, victim="A")
    story.incident("I2", "2026-03-10", suspect=perp2 or perp, victim="B")
    return story


def _resolved(lay) -> dict[str, str]:
    return dict(lay.rows("SELECT person_id, resolved_person_id FROM int_person_identity"))


def _assert_counts_are_the_plain_counts(lay) -> None:
    """The identity counts (counted per nominal_records, for speed) against the plain way:
    distinct resolved ids, persons per number of records, persons with two PNC ids."""
    c = lay.identity.counts
    persons = lay.rows("SELECT count(DISTINCT resolved_person_id) FROM int_person_identity")[0][0]
    sizes = lay.rows("SELECT n, count(*) FROM (SELECT count(*) AS n FROM int_person_identity "
                     "GROUP BY resolved_person_id) GROUP BY n")
    two_pnc = lay.rows("SELECT count(*) FROM (SELECT resolved_person_id FROM int_person_identity "
                       "JOIN stg_persons USING (person_id) WHERE is_current "
                       "GROUP BY resolved_person_id HAVING count(DISTINCT pnc_id) > 1)")[0][0]
    assert c["persons"] == persons
    assert c["cluster_sizes"] == {str(n): k for n, k in sorted(sizes)}
    assert c["persons_with_two_pnc_ids"] == two_pnc
    assert max(int(n) for n in c["cluster_sizes"]) > 1  # the case joins records


def _model(lay) -> dict:
    return json.loads(lay.rows("SELECT model FROM identity_model")[0][0])


def _level_cases(text: str) -> list[tuple[dict, dict, str, str]]:
    """(A's fields, B's fields, field, expected level) from a text table: `field | A | B | level`,
    each side as `key=value` words (`-`: no fields)."""
    def fields(words: str) -> dict:
        return dict(w.split("=", 1) for w in words.split() if w != "-")

    rows = []
    for line in text.strip().splitlines():
        field, a, b, level = (part.strip() for part in line.split("|"))
        rows.append((fields(a), fields(b), field, level))
    return rows


LEVEL_CASES = _level_cases("""
    forename | surname=Smith forenames=Sarah    | surname=Smith forenames=Sarah       | Exact match on forename
    forename | surname=Smith forenames=Sarah    | surname=Sarah forenames=Smith       | swapped with surname
    forename | surname=Smith forenames=Robert   | surname=Smith forenames=Bob         | nickname
    forename | surname=Smith forenames=Jessica  | surname=Smith forenames=Jesisca     | Damerau-Levenshtein distance of forename <= 1
    forename | surname=Smith forenames=Katherine| surname=Smith forenames=Kathryn     | Jaro-Winkler distance of forename >= 0.88
    forename | surname=Smith forenames=Sarah    | surname=Smith forenames=Ann         | All other comparisons
    surname  | surname=Okafor forenames=Ann     | surname=Okafro forenames=Ann        | Damerau-Levenshtein distance of surname <= 1
    surname  | surname=Smith forenames=Ann      | surname=Smith-Jones forenames=Ann   | shares a part
    dob      | dob=1990-04-07                   | dob=1990-04-07                      | Exact match on dob
    dob      | dob=1990-04-07                   | dob=1990-07-04                      | one edit or day/month swapped
    dob      | dob=1990-04-07                   | dob=1990-04-08                      | one edit or day/month swapped
    dob      | dob=1990-04-07                   | dob=1990-11-20                      | within a year
    dob      | dob=1990-04-07                   | dob=1970-01-01                      | All other comparisons
    dob      | dob=1990-04-07                   | -                                   | dob is NULL
    gender   | gender=female                    | gender=female                       | Exact match on gender
    gender   | gender=female                    | gender=unknown                      | gender is NULL
    pnc_id   | pnc=01/1A                        | pnc=01/1A                           | Exact match on pnc_id
    pnc_id   | pnc=01/1A                        | pnc=02/2B                           | All other comparisons
""")


def test_each_comparison_level(story, workspace, layers):
    s = story()
    for i, (a, b, _field, _level) in enumerate(LEVEL_CASES):
        s.person(f"A{i:02}", **a).person(f"B{i:02}", **b)
        s.incident(f"I{i:02}", "2026-01-10", suspect=f"A{i:02}", victim=f"B{i:02}")
    lay = layers(s.write(workspace.root / "ex"))
    model = _model(lay)
    got = [linkage.field_levels(lay.con, model, f"A{i:02}", f"B{i:02}")[field]
           for i, (_a, _b, field, _lv) in enumerate(LEVEL_CASES)]
    assert got == [level for *_x, level in LEVEL_CASES]
    # the network: two victims of one perpetrator share an associate
    s2 = _two_victims(story(), dict(surname="Lane", forenames="Ann"),
                      dict(surname="Lane", forenames="Anne"))
    lay = layers(s2.write(workspace.root / "ex2"))
    assert linkage.field_levels(lay.con, _model(lay), "A", "B")["associates"] == \
        "shares an associate"


def test_one_victim_recorded_twice_is_one_victim(story, workspace, layers):
    """A typo in the surname, no date of birth on the second record, no PNC: the shared
    perpetrator ties them; K1 is not serial."""
    s = _two_victims(story(), dict(surname="Whitworth", forenames="Joanne", dob="1985-06-02",
                                   gender="female"),
                     dict(surname="Whitwroth", forenames="Joanne", gender="female"))
    lay = layers(s.write(workspace.root / "ex")).score()
    assert _resolved(lay)["B"] == "A"
    assert lay.listed() == []
    basis = lay.rows("SELECT identity_basis FROM int_person_identity WHERE person_id = 'B'")[0][0]
    assert basis.startswith("linked p=0.9")
    # PNC-only: two victims, so K1 is listed
    lay = layers(s.write(workspace.root / "ex"), identity={"method": "pnc_only"}).score()
    assert lay.listed() == ["K1"]


def test_a_perpetrator_with_both_names_misspelt_is_found_by_date_of_birth(story, workspace,
                                                                         layers):
    """One man recorded twice against two women: 'Neil Cromham' (with PNC id) and 'Nel
    Croomham' (no PNC id), the same date of birth. No two of his names are equal, so only the
    rule "same date of birth and the same initials" pairs the records; linked, he is one person
    and serial (PNC-only: two people, one victim each, nobody listed)."""
    s = _crowd(story())
    s.person("P1", surname="Cromham", forenames="Neil", dob="1987-09-25", pnc="87/1N",
             gender="male")
    s.person("P2", surname="Croomham", forenames="Nel", dob="1987-09-25", gender="male")
    s.person("V1", surname="Hartfield", forenames="Hannah", dob="1990-06-17", gender="female")
    s.person("V2", surname="Ellis", forenames="Rachel", dob="1992-10-13", gender="female")
    s.incident("I1", "2026-01-10", suspect="P1", victim="V1")
    s.incident("I2", "2026-03-10", suspect="P2", victim="V2")
    lay = layers(s.write(workspace.root / "ex")).score()
    assert linkage.field_levels(lay.con, _model(lay), "P1", "P2")["forename"] != \
        "Exact match on forename"
    assert _resolved(lay)["P2"] == "P1"
    assert lay.listed() == ["P1"]
    lay = layers(s.write(workspace.root / "ex"), identity={"method": "pnc_only"}).score()
    assert lay.listed() == []


def test_namesakes_with_different_dates_of_birth_stay_apart(story, workspace, layers):
    """Father and son: same name, 28 years apart, both victims of K1. Two victims."""
    s = _two_victims(story(), dict(surname="Smith", forenames="John", dob="1960-02-03",
                                   gender="male"),
                     dict(surname="Smith", forenames="John", dob="1988-09-14", gender="male"))
    lay = layers(s.write(workspace.root / "ex")).score()
    assert _resolved(lay)["B"] == "B"
    assert lay.listed() == ["K1"]


def test_two_pnc_ids_never_one_person_even_through_a_chain(story, workspace, layers):
    """A and C carry different PNC ids; B (no PNC) matches both closely. The chain is cut at
    its weaker link, reported in identity_links and the review queue."""
    s = _crowd(story())
    s.person("A", surname="Carter", forenames="Liam", dob="1991-05-05", pnc="91/1A",
             gender="male")
    s.person("B", surname="Carter", forenames="Liam", dob="1991-05-05", gender="male")
    s.person("C", surname="Carter", forenames="Liam", dob="1991-05-05", pnc="91/2C",
             gender="male")
    s.incident("I1", "2026-01-01", suspect="A", victim="V1")
    s.incident("I2", "2026-02-01", suspect="B", victim="V2")
    s.incident("I3", "2026-03-01", suspect="C", victim="V3")
    lay = layers(s.write(workspace.root / "ex")).score()
    res = _resolved(lay)
    assert res["A"] != res["C"] and res["B"] in (res["A"], res["C"])
    assert lay.rows("SELECT count(*) FROM identity_links WHERE status = 'cut' "
                    "AND reason = 'two_pnc_ids'")[0][0] >= 1
    assert lay.rows("SELECT count(*) FROM identity_review_pairs WHERE why = 'cut: two_pnc_ids'")[0][0] >= 1
    assert lay.identity.counts["links_cut"] >= 1
    _assert_counts_are_the_plain_counts(lay)


def test_clustering_cuts_at_the_weakest_link_and_is_order_free():
    nominals = [("A", "P1"), ("B", None), ("C", "P2"), ("D", None)]
    links = [("A", "B", "linked", 0.999), ("B", "C", "linked", 0.995), ("C", "D", "linked", 0.99)]
    one = cluster.resolve(nominals, links, [])
    two = cluster.resolve(list(reversed(nominals)), list(reversed(links)), [])
    assert {p: one.find(p) for p in "ABCD"} == {"A": "A", "B": "A", "C": "C", "D": "C"}
    assert {p: two.find(p) for p in "ABCD"} == {p: one.find(p) for p in "ABCD"}
    assert one.status[1] == ("cut", "two_pnc_ids")
    apart = cluster.resolve(nominals, links, [("B", "D")])
    assert apart.find("B") == "A" and apart.find("D") == "C"


def _decisions(workspace, rows) -> str:
    path = workspace.root / "decisions.csv"
    write_table(path, rows, DECISION_HEADER)
    return str(path)


def test_analyst_decisions_override_the_model_both_ways(story, workspace, layers):
    s = _two_victims(story(), dict(surname="Whitworth", forenames="Joanne", dob="1985-06-02"),
                     dict(surname="Whitwroth", forenames="Joanne"))
    s.person("X", surname="Nobody", forenames="Zed", dob="1970-01-01")
    s.person("Y", surname="Else", forenames="Una", dob="1999-12-31")
    s.incident("I3", "2026-04-01", suspect="X", victim="Y")
    ex = s.write(workspace.root / "ex")
    path = _decisions(workspace, [
        ["A", "B", "different", "2026-05-01", "analyst1", "sisters, checked"],
        ["X", "Y", "Same", "2026-05-02", "analyst1", ""],
        ["X", "X", "same", "", "", ""],              # same_person_id
        ["A", "Q", "same", "", "", ""],              # unknown_person_id
        ["A", "K1", "maybe", "", "", ""],            # unknown_decision
        ["A", "K1", "same", "31/02/2026", "", ""],   # unparseable_decided_on
    ])
    lay = layers(ex, identity={"decisions": path}).score()
    res = _resolved(lay)
    assert res["B"] == "B" and res["Y"] == "X"
    assert lay.listed() == ["K1"]
    reasons = dict(lay.rows("SELECT source_row, reason FROM identity_decisions_checked"))
    assert reasons == {1: None, 2: None, 3: "same_person_id", 4: "unknown_person_id",
                       5: "unknown_decision", 6: "unparseable_decided_on"}
    assert lay.identity.counts["decisions_used"] == 2
    assert lay.identity.counts["decisions_quarantined"] == 4
    basis = lay.rows("SELECT identity_basis FROM int_person_identity WHERE person_id = 'Y'")[0][0]
    assert basis == "analyst"
    _assert_counts_are_the_plain_counts(lay)


def test_a_decisions_file_without_a_required_column_is_a_settings_error(story, workspace, layers):
    s = _two_victims(story(), dict(surname="Lane"), dict(surname="Lane"))
    path = workspace.root / "decisions.csv"
    write_table(path, [["A", "B", "same"]], ["person_id_a", "person_id_b", "verdict"])
    with pytest.raises(SettingsError, match="missing column 'decision'"):
        layers(s.write(workspace.root / "ex"), identity={"decisions": str(path)})


def test_the_same_input_gives_the_same_identity_and_leaves_no_splink_tables(story, workspace,
                                                                            layers, caplog):
    s = _two_victims(story(), dict(surname="Whitworth", forenames="Joanne", dob="1985-06-02"),
                     dict(surname="Whitwroth", forenames="Joanne"))
    for i in range(30):
        s.person(f"N{i}", surname=["Smith", "Jones", "Patel"][i % 3], forenames="Sam",
                 dob=f"19{60 + i}-0{1 + i % 9}-1{i % 10}")
        s.incident(f"J{i}", "2026-02-01", suspect=f"N{i}", victim="A" if i % 2 else "B")
    ex = s.write(workspace.root / "ex")
    caplog.set_level(logging.DEBUG)
    tables = ("int_person_identity", "identity_candidate_pairs", "identity_links",
              "identity_review_pairs")
    runs = []
    for model in ("", None):  # trained on the data, then the saved model
        for _ in range(2):
            lay = layers(ex, **({"identity": {"model": model}} if model is not None else {}))
            runs.append([lay.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in tables])
            left = lay.rows("SELECT table_name FROM information_schema.tables "
                            "WHERE table_name LIKE '%splink%'")
            assert left == []
    assert runs[0] == runs[1] and runs[2] == runs[3]
    assert not [r for r in caplog.records if r.name.startswith(("splink", "sqlglot"))]


def test_settings_reject_a_review_band_above_the_link_threshold(workspace):
    with pytest.raises(SettingsError, match="review_threshold"):
        workspace.settings(identity={"link_threshold": 0.9, "review_threshold": 0.95})
    with pytest.raises(SettingsError, match="method"):
        workspace.settings(identity={"method": "fuzzy"})
