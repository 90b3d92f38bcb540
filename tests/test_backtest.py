"""`matac backtest` on real DuckDB files and real extract files: the measures worked by hand on
a small story, no look into the future, the rankings equal to real `matac run --as-of` lists,
the CLI's exit codes and files (byte-identical on a rerun, no personal data), the Dagster asset.

Cycle dates are the defaults: 2024-01-07 + k * 28 days (2024-05-26, 2024-06-23, 2024-07-21...)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from helpers import SAMPLES
from pipeline.backtest import compute, models
from pipeline.backtest.run import run_backtest
from pipeline.core import db
from pipeline.core.clock import cycle_dates

D = dt.date(2024, 6, 23)
CLEAN = [SAMPLES / "clean" / "2026-09", SAMPLES / "clean" / "2026-10"]


def _story(story, folder: Path) -> Path:
    """As of D = 2024-06-23 (window 2022-06-23 .. D; one cycle earlier P = 2024-05-26), horizon
    12 months: the future is (D, 2025-06-23]. Weights: 5D 1965, 8N 184, 8G 127, 105A 13, nc 1.

    Listed at D (RFG; at P):
      A: 8N 2024-01-10, 8N 2024-03-01, 8N 2024-06-13 (victims Av1, Av2): d=10 R5, n=3 F2,
         g=552 G4 -> 11.  At P: n=2 F1, g=368 G4, d=86 R4 -> 9.
      B: 8G 2023-01-01, 8G on D itself (Bv2, Bv1): R5 F1, g=254 G3 -> 9.  At P: 1 incident.
      C: nc 2024-05-01, nc 2024-05-20, both DASH high (Cv1, Cv2): d=34 R4 F1 G1 -> 6.  P: 7.
      E: nc 2023-05-01, nc 2023-06-01 (Ev1, Ev2): d=388 R1 F1 G1 -> 3.  At P: d=360 R2 -> 4.
      Order at D: A, B, C, E (listed 4).  At P: A 9, C 7, E 4.
    Not listed: X (8N 2024-01-01, one incident).
    Future, in (D, D + 12 months]:
      A 8N 2024-08-01 -> 184 (serious: >= 100);  B: a 5D on 2024-09-01 that is not DA -> 0;
      C nc 2024-07-01 + nc 2024-07-02 -> 2;  E 105A on 2025-06-23 (the last day) -> 13, and an
      8G on 2025-06-24 (one day late) does not count;  X 5D 2024-12-01 -> 1965;  Y (never seen
      before) 8G 2025-01-15 -> 127;  Z murders a child (aged 9): not qualifying -> nothing.
      Total future harm = 184 + 2 + 13 + 1965 + 127 = 2291.
    Latest incident 2025-06-24: D's horizon is covered, 2024-07-21's (to 2025-07-21) is not."""
    s = story()
    s.person("Kid", dob="2015-01-01")
    s.incident("A1", "2024-01-10", code="8N", suspect="A", victim="Av1")
    s.incident("A2", "2024-03-01", code="8N", suspect="A", victim="Av2")
    s.incident("A3", "2024-06-13", code="8N", suspect="A", victim="Av1")
    s.incident("B1", "2023-01-01", code="8G", suspect="B", victim="Bv2")
    s.incident("B2", "2024-06-23", code="8G", suspect="B", victim="Bv1")
    s.incident("C1", "2024-05-01", type="non_crime", dash="high", suspect="C", victim="Cv1")
    s.incident("C2", "2024-05-20", type="non_crime", dash="high", suspect="C", victim="Cv2")
    s.incident("E1", "2023-05-01", type="non_crime", suspect="E", victim="Ev1")
    s.incident("E2", "2023-06-01", type="non_crime", suspect="E", victim="Ev2")
    s.incident("X1", "2024-01-01", code="8N", suspect="X", victim="Xv1")
    # the future
    s.incident("A4", "2024-08-01", code="8N", suspect="A", victim="Av1")
    s.incident("B3", "2024-09-01", code="5D", da="false", suspect="B", victim="Bv1")
    s.incident("C3", "2024-07-01", type="non_crime", suspect="C", victim="Cv1")
    s.incident("C4", "2024-07-02", type="non_crime", suspect="C", victim="Cv2")
    s.incident("E3", "2025-06-23", code="105A", suspect="E", victim="Ev1")
    s.incident("E4", "2025-06-24", code="8G", suspect="E", victim="Ev2")
    s.incident("X2", "2024-12-01", code="5D", suspect="X", victim="Xv2")
    s.incident("Y1", "2025-01-15", code="8G", suspect="Y", victim="Yv1")
    s.incident("Z1", "2024-10-01", code="1", suspect="Z", victim="Kid")
    return s.write(folder)


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def hand(story, tmp_path, workspace):
    extract = _story(story, tmp_path / "story")
    config = workspace.config(backtest={"top_k": 2})
    result = run_backtest([extract], D, dt.date(2024, 7, 21), config=str(config),
                          out=tmp_path / "bt")
    return result


def test_measures_worked_by_hand(hand):
    """k = 2. RFG's top 2 at D = A, B: 184 of 2291; the best 2 (X 1965, A 184) = 2149; the list
    (A 184, B 0, C 2, E 13) = 199; not on it 2092. Precision: A offended again (seriously), B
    did not: 1/2, 1/2. AUC: positives A (1), C (3), E (4), negative B (2): only A is above B ->
    1 of 3 pairs. Churn: top 2 at P was A, C -> B is new: 1/2. Top 1% and 5% = ceil(0.04),
    ceil(0.2) = rank 1 = A: 184/2291."""
    doc = hand.document
    assert doc["as_of_dates"] == ["2024-06-23"] and doc["skipped_dates"] == ["2024-07-21"]
    rows = {r["model"]: r for r in _rows(hand.paths["csv"])}
    assert list(rows) == ["rfg", "frequency only", "harm last 12 months", "DASH-high count",
                          "random"]
    assert list(rows["rfg"]) == [
        "as_of", "model", "listed", "top_k", "total_future_harm", "harm_captured_top_k",
        "best_possible_top_k", "harm_captured_list", "unseen_harm_share",
        "precision_at_k_repeat", "precision_at_k_serious", "auc_list", "churn_top_k",
        "harm_captured_top_1pct", "harm_captured_top_5pct", "adopted_top_k"]
    r = {k: (v if k in ("as_of", "model") else float(v)) for k, v in rows["rfg"].items()}
    assert r == pytest.approx({
        "as_of": "2024-06-23", "model": "rfg", "listed": 4, "top_k": 2,
        "total_future_harm": 2291, "harm_captured_top_k": 184 / 2291,
        "best_possible_top_k": 2149 / 2291, "harm_captured_list": 199 / 2291,
        "unseen_harm_share": 2092 / 2291, "precision_at_k_repeat": 0.5,
        "precision_at_k_serious": 0.5, "auc_list": 1 / 3, "churn_top_k": 0.5,
        "harm_captured_top_1pct": 184 / 2291, "harm_captured_top_5pct": 184 / 2291,
        "adopted_top_k": 0}, abs=1e-6)


def test_people_a_panel_adopted_are_flagged(story, tmp_path, workspace):
    """Decisions: B adopted 2024-07-01 (in D's horizon), A adopted and discharged before D, C
    adopted after the horizon (2025-07-01). RFG's top 2 at D = A, B: one of them (B) was under a
    panel's adoption in [D, D + 12 months]; the rankings and the other measures do not change."""
    extract = _story(story, tmp_path / "story")
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("perpetrator_id,area,adopted_on,discharged_on,tactic,note\n"
                         "B,unknown,2024-07-01,,DVPO,\n"
                         "A,unknown,2024-01-01,2024-02-01,IDVA,\n"
                         "C,unknown,2025-07-01,,Housing,\n", encoding="utf-8")
    config = workspace.config(backtest={"top_k": 2}, panel={"decisions": str(decisions)})
    result = run_backtest([extract], D, dt.date(2024, 7, 21), config=str(config),
                          out=tmp_path / "bt")
    rows = {r["model"]: r for r in _rows(result.paths["csv"])}
    assert float(rows["rfg"]["adopted_top_k"]) == 1
    assert float(rows["rfg"]["harm_captured_top_k"]) == pytest.approx(184 / 2291, abs=1e-6)
    assert result.document["means"]["rfg"]["adopted_top_k"] == 1
    assert "adopted by a panel" in result.paths["html"].read_text(encoding="utf-8")


def test_baselines_worked_by_hand(hand):
    """Frequency (A 3, B 2, C 2, E 2; ties by id) and harm in the 12 months before D (A 552,
    B 127, C 2, E 0) both order A, B, C, E: RFG's numbers. DASH-high (C 2, the rest 0) orders
    C, A, B, E: top 2 = 2 + 184 = 186; both offended again, A seriously; AUC: C and A above B,
    E below -> 2/3; top 2 at P was C, A as well -> churn 0."""
    rows = {r["model"]: r for r in _rows(hand.paths["csv"])}
    same = ["harm_captured_top_k", "precision_at_k_repeat", "auc_list", "harm_captured_list"]
    for name in ("frequency only", "harm last 12 months"):
        assert {c: rows[name][c] for c in same} == {c: rows["rfg"][c] for c in same}, name
    dash = {k: float(v) for k, v in rows["DASH-high count"].items() if k not in ("as_of", "model")}
    assert dash["harm_captured_top_k"] == pytest.approx(186 / 2291, abs=1e-6)
    assert (dash["precision_at_k_repeat"], dash["precision_at_k_serious"]) == (1.0, 0.5)
    assert dash["auc_list"] == pytest.approx(2 / 3, abs=1e-6)
    assert dash["churn_top_k"] == 0
    rnd = {k: float(v) for k, v in rows["random"].items() if k not in ("as_of", "model")}
    assert rnd["listed"] == 4 and 0 <= rnd["auc_list"] <= 1
    assert 0 <= rnd["harm_captured_top_k"] <= 199 / 2291 + 1e-6


def test_calibration_curve_and_summary(hand):
    doc = json.loads(hand.paths["json"].read_text(encoding="utf-8"))
    cal = {(c["model"], c["score"]): c for c in doc["calibration"]}
    assert cal[("rfg", 11.0)]["mean_future_harm"] == 184 and cal[("rfg", 11.0)]["serious_share"] == 1
    assert cal[("rfg", 9.0)]["repeat_share"] == 0
    assert cal[("rfg", 3.0)]["mean_future_harm"] == 13
    curve = {p: s for p, s in doc["capture_curve"]["rfg"]}
    # top ceil(4 p / 100): p 1..25 -> A; 26..50 -> A, B; 51..75 -> + C; 76..100 -> all four
    assert (curve[25], curve[50], curve[75], curve[100]) == pytest.approx(
        (184 / 2291, 184 / 2291, 186 / 2291, 199 / 2291), abs=1e-6)
    best = {p: s for p, s in doc["capture_curve"]["best possible order"]}
    assert best[25] == pytest.approx(184 / 2291, abs=1e-6)   # A did most on the list
    assert doc["models"][0]["settings"]["scoring"]["preset"] == "rfg"
    assert [f["table_name"] for f in doc["inputs"]] == ["incidents", "persons", "involvements"]
    assert all(len(f["sha256"]) == 64 for f in doc["inputs"])
    assert doc["summary"]["best_top_k"] == "DASH-high count"   # 186 > 184
    assert "2291" not in " ".join(doc["summary"]["lines"])      # shares, not raw sums


# ---------------------------------------------------------------------- rankings and the future
def _rankings(workspace, extracts, presets, rule_dates, measured) -> dict:
    """bt_rankings of the back-test's own pass on a fresh DuckDB file:
    {(model, as_of): [perpetrator ids in rank order]}, and bt_future as {(as_of, id): harm}."""
    config = str(workspace.config())
    scored = models.resolve(config, presets[1:], {"scoring": {"preset": presets[0]}})
    settings = scored[0].settings
    passes = compute.Passes()
    path = workspace.root / f"bt-{len(list(workspace.root.glob('bt-*.duckdb')))}.duckdb"
    with db.connect(settings, path) as con:
        compute.ingest(con, settings, [str(e) for e in extracts], workspace.root / "work", passes)
        compute.rank_models(con, scored, rule_dates, measured, 12, passes,
                            after_first=lambda: compute.baselines(con, 3, 1, passes))
        out: dict = {}
        for model, as_of, pid in con.execute(
                "SELECT model, as_of, perpetrator_id FROM bt_rankings "
                "ORDER BY model, as_of, rank").fetchall():
            out.setdefault((model, as_of), []).append(pid)
        future = {(a, p): float(h) for a, p, h in con.execute(
            "SELECT as_of, perpetrator_id, future_harm FROM bt_future").fetchall()}
    return {"rankings": out, "future": future, "reused": passes.reused}


def _shift_the_future(src: list[Path], dst: Path, after: dt.date) -> list[Path]:
    """Copies of the extracts in which every incident after `after` is changed: a third are
    deleted (their involvements become orphans), the rest become murders graded DASH high, and
    new incidents after `after` give known perpetrators new victims."""
    import reference_impl as ref

    out = []
    for folder in src:
        target = dst / folder.name
        shutil.copytree(folder, target)
        rows = _rows(target / "incidents.csv")
        kept, changed = [], 0
        for k, row in enumerate(rows):
            day = ref.parse_date(row["occurred_date"])
            if day is not None and day > after:
                changed += 1
                if k % 3 == 0:
                    continue
                row.update(record_type="crime", offence_code="1", dash_risk="high")
            kept.append(row)
        links = _rows(target / "involvements.csv")
        perps = sorted({r["person_id"] for r in links if r["role"] == "offender"})[:50]
        for n, pid in enumerate(perps):
            kept.append({**kept[0], "incident_id": f"NEW{n}", "record_type": "crime",
                         "offence_code": "5D",
                         "occurred_date": (after + dt.timedelta(days=1 + n)).isoformat()})
            links += [{"incident_id": f"NEW{n}", "person_id": pid, "role": "suspect",
                       "relationship": ""},
                      {"incident_id": f"NEW{n}", "person_id": perps[(n + 1) % len(perps)],
                       "role": "victim", "relationship": "partner"}]
        assert changed > 50
        for name, table in (("incidents", kept), ("involvements", links)):
            with open(target / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
                w = csv.DictWriter(fh, fieldnames=list(table[0]))
                w.writeheader()
                w.writerows(table)
        out.append(target)
    return out


def test_changing_incidents_after_d_leaves_every_ranking_at_d_unchanged(workspace, tmp_path):
    last = dt.date(2025, 5, 25)  # a cycle date
    settings = workspace.settings()
    dates = cycle_dates(settings, dt.date(2024, 6, 1), last)
    assert dates[-1] == last and len(dates) == 13
    changed = _shift_the_future(CLEAN, tmp_path / "changed", last)
    before = _rankings(workspace, CLEAN, ["rfg", "rfh"], dates, dates)
    after = _rankings(workspace, changed, ["rfg", "rfh"], dates, dates)
    assert before["rankings"].keys() == after["rankings"].keys()
    for key, ids in before["rankings"].items():    # every model incl. baselines, every date
        assert after["rankings"][key] == ids, key
    assert len(before["rankings"][("rfg", last)]) > 30
    # ... while what happened after the last date did change (the test can fail)
    assert {k: v for k, v in before["future"].items() if k[0] == last} != {
        k: v for k, v in after["future"].items() if k[0] == last}
    assert before["reused"]["rfh"][-1] == "int_perpetrator_stats"  # only scoring re-ran


def test_rankings_equal_the_lists_matac_run_publishes(workspace, tmp_path):
    """Two cycle dates, two presets: the back-test's ranking at D is the priority list a real
    `matac run --as-of D` publishes (here through `matac backfill`: one ingest, one publish run
    per date, real Dagster), rank for rank."""
    from pipeline.orchestration import runner

    dates = [dt.date(2025, 3, 2), dt.date(2025, 3, 30)]
    got = _rankings(workspace, CLEAN, ["rfg", "rfh"], dates, dates)["rankings"]
    for preset in ("rfg", "rfh"):
        config = workspace.config(f"{preset}.yaml", scoring={"preset": preset})
        outcome = runner.backfill([str(e) for e in CLEAN], dates[0], dates[1], str(config),
                                  str(tmp_path / preset))
        assert outcome.exit_code == 0, outcome.message
        for day in dates:
            published = _rows(outcome.out_dirs[day] / "priority_list.csv")
            assert [int(r["rank"]) for r in published] == list(range(1, len(published) + 1))
            assert [r["perpetrator_id"] for r in published] == got[(preset, day)], (preset, day)
            assert len(published) > 30
    assert got[("rfg", dates[1])] != got[("rfh", dates[1])]  # the presets do rank differently
