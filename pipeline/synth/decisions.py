"""A plausible panel decisions file (`panel_decisions.csv` in the output folder): in each area,
the panel adopted a few of its most active perpetrators at meetings over the last year (a few
days after a cycle date, once they had four incidents) and discharged about half of them three
to six months later. Rows name the nominal record of the person's latest incident (any nominal
id is accepted). Candidates come from each block as it is generated; the choice uses its own
stream (seed, 3_000_000)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.synth.block import Block
from pipeline.synth.config import AREAS, EPOCH, R_OFFENDER, R_SUSPECT, Config
from pipeline.synth.draws import stream

PER_AREA = 6            # adoptions per area over the last year
WINDOW_DAYS = 730       # incidents counted over the last two years
RECENT_DAYS = 180       # a candidate had an incident this recently
TACTICS = ["IDVA support for victims", "Probation and police tasking",
           "DVPO application", "Housing and tenancy action", "Perpetrator programme",
           "Disruption (bail, licence conditions)"]
COLUMNS = ["perpetrator_id", "area", "adopted_on", "discharged_on", "tactic", "note"]


def block_candidates(cfg: Config, blk: Block) -> pd.DataFrame:
    """Per human who was a suspect/offender in the last two years of this block: incidents in
    that window, the latest incident's day, area and nominal (person number)."""
    as_of_day = (cfg.as_of - EPOCH).days
    perp = (blk.inv_role == R_SUSPECT) | (blk.inv_role == R_OFFENDER)
    inc = blk.inv_inc[perp]
    frame = pd.DataFrame({
        "human": blk.human_num[blk.inv_per[perp]], "incident": blk.inc_num[inc],
        "day": blk.occ[inc], "area": blk.area[inc], "person": blk.per_num[blk.inv_per[perp]],
    })
    frame = frame[frame["day"] > as_of_day - WINDOW_DAYS].sort_values(["human", "day", "incident"])
    grouped = frame.groupby("human", sort=True)
    out = grouped.agg(incidents=("incident", "nunique"), day=("day", "last"),
                      area=("area", "last"), person=("person", "last")).reset_index()
    # a panel adopts someone once they are a repeat perpetrator: after their 4th incident here
    fourth = grouped["day"].nth(3)
    out["fourth"] = out["human"].map(dict(zip(frame.loc[fourth.index, "human"], fourth)))
    return out[(out["incidents"] >= 4) & (out["day"] > as_of_day - RECENT_DAYS)
               & (out["area"] >= 0)]


def choose(cfg: Config, candidates: pd.DataFrame, cycle_start: dt.date,
           cycle_days: int) -> list[list[str]]:
    """Up to PER_AREA adoptions per area among its most active candidates, at a meeting a few
    days after a cycle date of the last year that follows their 4th incident in the window;
    about half discharged 12-26 weeks later."""
    rng = stream(cfg.seed, 3_000_000)
    first = cfg.as_of - dt.timedelta(days=365)
    k0 = -(-(first - cycle_start).days // cycle_days)
    cycles = [cycle_start + dt.timedelta(days=cycle_days * k)
              for k in range(k0, (cfg.as_of - cycle_start).days // cycle_days + 1)]
    rows = []
    ordered = candidates.sort_values(["area", "incidents", "day", "human"],
                                     ascending=[True, False, False, True])
    for area, group in ordered.groupby("area", sort=True):
        for cand in group.head(PER_AREA).itertuples():
            after = EPOCH + dt.timedelta(days=int(cand.fourth))
            open_cycles = [c for c in cycles if c >= after]
            if not open_cycles:
                continue
            adopted = open_cycles[int(rng.integers(0, len(open_cycles)))] + dt.timedelta(
                days=int(rng.integers(2, 10)))
            discharged = adopted + dt.timedelta(weeks=int(rng.integers(12, 27)))
            keep_open = rng.random() < 0.5 or discharged > cfg.as_of
            if adopted > cfg.as_of:
                continue
            rows.append([f"P{cand.person:07d}", AREAS[int(area)], adopted.isoformat(),
                         "" if keep_open else discharged.isoformat(),
                         TACTICS[int(rng.integers(0, len(TACTICS)))], ""])
    return sorted(rows, key=lambda r: (r[2], r[1], r[0]))


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
