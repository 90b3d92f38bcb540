"""`matac synth`: real files written to tmp_path and read back; the calibration figures are
computed from the generated data, not taken from the generator's parameters."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import cli
from pipeline.core.settings import REPO_ROOT
from pipeline.synth import generate as synth

CONTRACT = {
    "incidents": ["incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
                  "domestic_abuse_flag", "area"],
    "persons": ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"],
    "involvements": ["incident_id", "person_id", "role", "relationship"],
}
ENUMS = {
    "record_type": {"crime", "non_crime"},
    "dash_risk": {"standard", "medium", "high", "not_assessed"},
    "gender": {"female", "male", "other", "unknown"},
    "role": {"suspect", "offender", "victim", "witness", "other"},
    "relationship": {"partner", "ex_partner", "family", "other", "unknown"},
}


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


def _read(folder: Path, table: str) -> pd.DataFrame:
    csv_path = folder / f"{table}.csv"
    if csv_path.exists():
        return _read_csv(csv_path)
    return pq.read_table(folder / f"{table}.parquet").to_pandas()


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _gravity() -> dict[str, float]:
    g = pd.read_csv(REPO_ROOT / "reference" / "gravity_table.csv", dtype={"offence_code": str})
    return dict(zip(g.offence_code, g.weight.astype(float)))


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("synth20k")
    summary = synth.generate(out, 20_000, seed=1)
    return {
        "summary": summary,
        "incidents": _read(out, "incidents"),
        "persons": _read(out, "persons"),
        "involvements": _read(out, "involvements"),
        "truth": pq.read_table(out / "_truth" / "ground_truth.parquet").to_pandas(),
        "out": out,
    }


# ---------------------------------------------------------------------------------------------
# Determinism, format, contract


def test_same_seed_same_bytes_different_seed_differs(tmp_path):
    kw = dict(dirty=0.02, extracts=2)
    synth.generate(tmp_path / "a", 2_000, seed=5, **kw)
    synth.generate(tmp_path / "b", 2_000, seed=5, **kw)
    synth.generate(tmp_path / "c", 2_000, seed=6, **kw)
    a, b, c = (_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert "_truth/defects.csv" in a and "2026-10/incidents.csv" in a
    assert a.keys() == c.keys()
    assert all(a[k] != c[k] for k in ("2026-09/incidents.csv", "2026-09/persons.csv"))


def test_parquet_deterministic_and_typed(tmp_path):
    synth.generate(tmp_path / "a", 1_500, seed=3, fmt="parquet")
    synth.generate(tmp_path / "b", 1_500, seed=3, fmt="parquet")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    for table, cols in CONTRACT.items():
        t = pq.read_table(tmp_path / "a" / f"{table}.parquet")
        assert t.column_names == cols
    inc = pq.read_table(tmp_path / "a" / "incidents.parquet")
    assert inc.schema.field("occurred_date").type == pa.date32()
    assert inc.schema.field("domestic_abuse_flag").type == pa.bool_()
    assert inc.num_rows == 1_500
    assert not (tmp_path / "a" / "incidents.csv").exists()


def test_csv_columns_ids_and_enums_match_contract(big):
    out = big["out"]
    for table, cols in CONTRACT.items():
        with open(out / f"{table}.csv", encoding="utf-8") as f:
            assert next(csv.reader(f)) == cols
    inc, per, inv = big["incidents"], big["persons"], big["involvements"]
    assert len(inc) == 20_000 and inc.incident_id.is_unique and per.person_id.is_unique
    assert inc.incident_id.str.fullmatch(r"INC\d{7}").all()
    assert per.person_id.str.fullmatch(r"P\d{7}").all()
    assert per.pnc_id.dropna().str.fullmatch(r"\d{4}/\d{7}[A-Z]").all()
    # realistic names with realistic frequencies: no marker shared by all, namesakes exist
    assert not per.surname.str.startswith("Synth").any()
    assert per.surname.value_counts().index[0] == "Smith"
    assert per.duplicated(["surname", "forenames"]).sum() > len(per) * 0.05
    # clean data: ISO dates, every enum value legal, no dangling reference
    assert pd.to_datetime(inc.occurred_date, format="%Y-%m-%d").max() <= pd.Timestamp(
        "2026-10-31")
    pd.to_datetime(per.date_of_birth.dropna(), format="%Y-%m-%d")
    for frame, col in ((inc, "record_type"), (inc, "dash_risk"), (per, "gender"),
                       (inv, "role"), (inv, "relationship")):
        assert set(frame[col].dropna()) <= ENUMS[col], col
    assert set(inv.incident_id) == set(inc.incident_id)
    assert set(inv.person_id) == set(per.person_id)
    assert set(inc.domestic_abuse_flag.dropna()) == {"true", "false"}
    # incident ids are issued chronologically (by recording date, which is >= occurred)
    first = pd.to_datetime(inc.sort_values("incident_id").occurred_date)
    assert first.iloc[:200].max() < first.iloc[-200:].min()
    assert not (out / "_truth" / "defects.csv").exists()
    # ground truth covers every person_id and nothing else
    assert set(big["truth"].person_id) == set(per.person_id)
    assert set(big["truth"].columns) >= {"person_id", "human_id", "serial_type"}


def test_dates_spread_over_years_with_growth(big):
    occ = pd.to_datetime(big["incidents"].occurred_date)
    assert occ.min() >= pd.Timestamp("2021-11-01") and occ.max() <= pd.Timestamp("2026-10-31")
    assert occ.dt.year.nunique() == 6
    first_half = (occ < pd.Timestamp("2024-05-01")).sum()
    second_half = len(occ) - first_half
    assert first_half < second_half < 1.4 * first_half  # slight growth over time


# ---------------------------------------------------------------------------------------------
# Calibration, computed from the generated data


def _perp_gravity(big) -> pd.DataFrame:
    inc, inv = big["incidents"], big["involvements"]
    g = _gravity()
    w = np.where(inc.record_type == "non_crime", 1.0, inc.offence_code.map(g).fillna(5.0))
    inc = inc.assign(w=w)
    perp = inv[inv.role.isin(["suspect", "offender"])]
    return perp.merge(inc[["incident_id", "w"]], on="incident_id")


def test_most_perpetrators_appear_once_and_harm_is_concentrated(big):
    perp = _perp_gravity(big)
    per_perp = perp.groupby("person_id").incident_id.nunique()
    one = (per_perp == 1).mean()
    assert 0.6 <= one <= 0.8, one
    assert per_perp.max() >= 20  # heavy tail
    grav = perp.groupby("person_id").w.sum().sort_values(ascending=False)
    top = int(np.ceil(0.03 * len(grav)))
    share = grav.iloc[:top].sum() / grav.sum()
    assert share >= 0.45, share


def test_careers_persist_escalate_and_desist(big):
    """Careers have a pace (pipeline/synth/careers.py): desisting careers slow down before they
    stop, persisting ones keep or speed up their pace and escalate. Computed from the data: for
    perpetrators with 6+ incidents, the mean of the last two gaps against the first two. With
    gaps spread evenly (no pace) both shares would be ~26% (an F(4, 4) ratio above 2 or below
    1/2); with desistance slowing down clearly dominates."""
    perp = _perp_gravity(big)
    occ = pd.to_datetime(big["incidents"].set_index("incident_id").occurred_date)
    perp = perp.assign(day=perp.incident_id.map(occ)).drop_duplicates(["person_id", "incident_id"])
    slower = faster = n = 0
    heavier = lighter = 0
    for _, g in perp.sort_values(["person_id", "day"]).groupby("person_id"):
        if len(g) < 6:
            continue
        gaps = np.diff(g.day.values).astype("timedelta64[D]").astype(float) + 0.5
        ratio = gaps[-2:].mean() / gaps[:2].mean()
        slower += ratio > 2
        faster += ratio < 0.5
        n += 1
        w = g.w.values
        heavier += w[-3:].mean() > w[:3].mean()
        lighter += w[-3:].mean() < w[:3].mean()
    assert n >= 100, n
    assert slower / n >= 0.38 and slower / n >= faster / n + 0.1, (slower / n, faster / n)
    assert heavier > lighter  # escalation outweighs de-escalation among the long careers


def test_incident_mix(big):
    inc = big["incidents"]
    non_crime = (inc.record_type == "non_crime").mean()
    assert abs(non_crime - 0.4) <= 0.05, non_crime
    dash = inc.dash_risk.fillna("blank").value_counts(normalize=True)
    assert dash.index[0] == "standard" and 0.5 <= dash["standard"] <= 0.7
    assert 0.18 <= dash["medium"] <= 0.32 and 0.05 <= dash["high"] <= 0.15
    crimes = inc[inc.record_type == "crime"]
    codes = crimes.offence_code.value_counts(normalize=True)
    assert set(codes.index[:5]) <= {"105A", "8N", "8U", "58A", "8L", "8G"}
    assert codes.get("1", 0) < 0.005 and codes.get("2", 0) < 0.005
    unknown = (~crimes.offence_code.isin(_gravity().keys())).mean()
    assert 0.003 <= unknown <= 0.03, unknown  # blank/unknown codes on clean data (legal)
    assert 0.01 <= (inc.domestic_abuse_flag == "false").mean() <= 0.06


def test_people_and_relationships(big):
    inc, per, inv, truth = big["incidents"], big["persons"], big["involvements"], big["truth"]
    perp = inv[inv.role.isin(["suspect", "offender"])][["incident_id", "person_id"]]
    vic = inv[inv.role == "victim"][["incident_id", "person_id", "relationship"]]
    pv = perp.merge(vic, on="incident_id", suffixes=("_p", "_v"))
    # some victims are victimised by several perpetrators over time
    assert (pv.groupby("person_id_v").person_id_p.nunique() >= 2).sum() >= 20
    # serial perpetrators move on to new partners
    partners = pv[pv.relationship.isin(["partner", "ex_partner"])]
    assert (partners.groupby("person_id_p").person_id_v.nunique() >= 2).sum() >= 50
    rel = vic.relationship.value_counts(normalize=True)
    assert rel.get("partner", 0) + rel.get("ex_partner", 0) >= 0.6
    assert rel.get("family", 0) >= 0.08 and rel.get("other", 0) > 0
    roles = set(inv.role)
    assert {"witness", "other", "offender", "suspect", "victim"} <= roles
    assert (perp.groupby("incident_id").person_id.nunique() >= 2).any()  # two suspects
    # child victims under 16, and ~2% with no date of birth
    dob = pd.to_datetime(per.set_index("person_id").date_of_birth)
    occ = pd.to_datetime(inc.set_index("incident_id").occurred_date)
    age = (vic.incident_id.map(occ) - vic.person_id.map(dob)).dt.days / 365.25
    assert (age < 16).sum() >= 50
    assert 0.01 <= per.date_of_birth.isna().mean() <= 0.04
    # duplicate nominals: ~5% of humans, some sharing the pnc_id
    human = per.person_id.map(truth.set_index("person_id").human_id)
    nominals = human.value_counts()
    assert 0.03 <= (nominals >= 2).mean() <= 0.08
    dup = per.assign(human=human)[human.isin(nominals[nominals >= 2].index)]
    shared = dup.groupby("human").pnc_id.agg(lambda s: s.notna().sum() >= 2 and s.nunique() == 1)
    assert 0.3 <= shared.mean() <= 0.7
    # a pnc_id never spans two humans
    assert (per.assign(human=human).dropna(subset=["pnc_id"])
            .groupby("pnc_id").human.nunique() == 1).all()
    # pnc coverage: offenders much more often than victims
    perp_ids = set(perp.person_id)
    victim_only = set(vic.person_id) - perp_ids
    p_off = per[per.person_id.isin(perp_ids)].pnc_id.notna().mean()
    p_vic = per[per.person_id.isin(victim_only)].pnc_id.notna().mean()
    assert 0.5 <= p_off <= 0.7 and 0.12 <= p_vic <= 0.3
    assert truth.serial_type.sum() > 0


# ---------------------------------------------------------------------------------------------
# Monthly extracts


def test_monthly_extracts_overlap_and_later_supersedes(tmp_path):
    summary = synth.generate(tmp_path, 20_000, seed=4, extracts=3)
    assert summary["extracts"] == ["2026-08", "2026-09", "2026-10"]
    assert (tmp_path / "_truth" / "ground_truth.parquet").exists()
    assert not (tmp_path / "incidents.csv").exists()
    frames = {}
    for name, cut in (("2026-08", "2026-08-31"), ("2026-09", "2026-09-30"),
                      ("2026-10", "2026-10-31")):
        folder = tmp_path / name
        inc, per, inv = (_read(folder, t) for t in CONTRACT)
        assert pd.to_datetime(inc.occurred_date).max() <= pd.Timestamp(cut)
        assert set(inv.incident_id) <= set(inc.incident_id)
        assert set(inv.person_id) == set(per.person_id)  # persons = those referenced
        frames[name] = inc.set_index("incident_id").fillna("")
    early, mid, late = frames["2026-08"], frames["2026-09"], frames["2026-10"]
    assert len(early) > 3 * len(late)  # earliest holds the full history
    span = pd.to_datetime(late.occurred_date)
    # the last 12 months by recording date (a few historic reports occurred earlier)
    assert span.quantile(0.05) >= pd.Timestamp("2025-10-01")
    rank = {"": 0, "not_assessed": 0, "standard": 1, "medium": 2, "high": 3}
    g = _gravity()
    for before, after in ((early, mid), (mid, late)):
        common = before.index.intersection(after.index)
        assert len(common) > 0.8 * len(after)
        assert len(after.index.difference(before.index)) > 0  # new incidents
        a, b = before.loc[common], after.loc[common]
        changed = (a != b).any(axis=1)
        assert 0.008 <= changed.mean() <= 0.04, changed.mean()
        a, b = a[changed], b[changed]
        assert (a.occurred_date == b.occurred_date).all()
        # revisions only ever go "up": reclassified as crime, DASH upgraded or heavier code
        up = ((a.record_type == "non_crime") & (b.record_type == "crime")) | (
            b.dash_risk.map(rank) > a.dash_risk.map(rank)) | (
            b.offence_code.map(g).fillna(0) > a.offence_code.map(g).fillna(0))
        assert up.all()
        assert ((a.record_type == "non_crime") & (b.record_type == "crime")).any()


# ---------------------------------------------------------------------------------------------
# Dirty data


def test_every_defect_kind_injected_and_recorded(tmp_path):
    synth.generate(tmp_path, 4_000, seed=11, dirty=0.03)
    defects = pd.read_csv(tmp_path / "_truth" / "defects.csv", dtype=str, keep_default_na=False)
    assert list(defects.columns) == ["extract", "table", "row", "column", "kind", "value"]
    assert set(defects.kind) == set(synth.DEFECT_KINDS)
    for table in CONTRACT:
        assert {"blank_required", "enum_case_space"} <= set(
            defects[defects.table == table].kind)
    with_rows = defects[defects.row != "0"]
    n_rows = {t: sum(1 for _ in open(tmp_path / f"{t}.csv", encoding="utf-8")) - 1
              for t in CONTRACT}
    for table, rate in with_rows.groupby("table").size().items():
        assert 0.015 <= rate / n_rows[table] <= 0.05, (table, rate / n_rows[table])

    # every recorded defect is where defects.csv says it is
    for table, cols in CONTRACT.items():
        with open(tmp_path / f"{table}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        header, data = rows[0], rows[1:]
        assert [h.strip().lower() for h in header] == cols
        for d in defects[defects.table == table].itertuples():
            i = cols.index(d.column)
            if d.row == "0":
                assert header[i] == d.value and header[i] != d.column
                continue
            row = data[int(d.row) - 1]
            assert row[i] == d.value, (table, d)
            if d.kind == "duplicate_id":
                same = [r for r in data if r[0] == d.value]
                assert len(same) == 2 and same[0] != same[1]
            if d.kind == "orphan_reference":
                target = "incidents" if d.column == "incident_id" else "persons"
                ids = {r[0] for r in csv.reader(open(tmp_path / f"{target}.csv"))}
                assert d.value not in ids

    # legal variation, not defects: ~10% UK dates in a dirty CSV
    inc = pd.read_csv(tmp_path / "incidents.csv", dtype=str, keep_default_na=False)
    uk = inc.iloc[:, 1].str.fullmatch(r"\d{2}/\d{2}/\d{4}").mean()
    assert 0.05 <= uk <= 0.15


def test_dirty_parquet_keeps_text_dates(tmp_path):
    synth.generate(tmp_path, 1_000, seed=2, dirty=0.05, fmt="parquet")
    t = pq.read_table(tmp_path / "incidents.parquet")
    assert t.schema.field(1).type == pa.string()
    assert (tmp_path / "_truth" / "defects.csv").exists()


# ---------------------------------------------------------------------------------------------
# CLI


def test_cli_synth(tmp_path, capsys):
    code = cli.main(["synth", "--incidents", "500", "--out", str(tmp_path / "x"), "--seed", "9",
                     "--format", "parquet", "--as-of", "2025-06-30", "--years", "2"])
    assert code == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert summary["generated"]["incidents"] == 500
    assert summary["rows_written"]["incidents"] == 500
    assert "rows/s" in captured.err
    inc = pq.read_table(tmp_path / "x" / "incidents.parquet").to_pandas()
    assert inc.occurred_date.max() <= dt.date(2025, 6, 30)
    assert inc.occurred_date.min() >= dt.date(2023, 7, 1)
    assert cli.main(["synth", "--incidents", "0", "--out", str(tmp_path / "y")]) == 2


def test_a_tiny_history_without_any_pnc_holder(tmp_path):
    """One incident (seed 5): nobody in the block holds a PNC id; this used to raise an
    IndexError while issuing PNC ids."""
    summary = synth.generate(tmp_path / "tiny", 1, seed=5)
    assert (tmp_path / "tiny" / "incidents.csv").exists()
    assert summary["rows_written"]["incidents"] == 1


def test_areas_of_different_sizes_and_a_plausible_decisions_file(big):
    """Incidents name one of five areas of different sizes (about 1% none); a perpetrator's
    incidents are mostly in one area; the decisions file is read by the pipeline's reader and
    names real nominal records, known areas and ordered dates within the last year."""
    from pipeline.panel.decisions import read_rows
    from pipeline.synth.config import AREAS

    inc, inv = big["incidents"], big["involvements"]
    shares = inc["area"].value_counts(normalize=True, dropna=False)
    assert set(shares.index.dropna()) == set(AREAS)
    assert 0.003 < inc["area"].isna().mean() < 0.02
    sizes = [shares[a] for a in AREAS]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 3 * sizes[-1]
    perp = inv[inv["role"].isin(["suspect", "offender"])].merge(inc, on="incident_id")
    perp = perp.dropna(subset=["area"])
    per_person = perp.groupby("person_id")["area"].agg(lambda a: a.value_counts().iloc[0] / len(a))
    many = perp.groupby("person_id").size() >= 5
    assert per_person[many].mean() > 0.8  # home area
    rows = read_rows(big["out"] / "panel_decisions.csv")
    assert 15 <= len(rows) <= 6 * len(AREAS) and not rows["malformed"].any()
    assert set(rows["perpetrator_id"]) <= set(big["persons"]["person_id"])
    assert set(rows["area"]) <= set(AREAS)
    adopted = pd.to_datetime(rows["adopted_on"])
    discharged = pd.to_datetime(rows["discharged_on"].replace("", None))
    as_of = pd.Timestamp(big["summary"]["as_of"])
    assert (adopted <= as_of).all() and (adopted > as_of - pd.Timedelta(days=380)).all()
    assert (discharged.dropna() > adopted[discharged.notna()]).all()
    assert 0 < discharged.notna().sum() < len(rows)
    assert big["summary"]["decisions"] == len(rows)
