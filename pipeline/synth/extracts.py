"""Which extracts are written and what each holds.

One extract holds the whole history. Monthly extracts (``extracts`` > 1) end at the last day of
each month up to ``as_of`` (the latest at ``as_of``); the first holds the full history up to
its cutoff and each later one re-exports the last 12 months (by recording date), showing each
incident as it was known on that extract's cutoff."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np
import pyarrow as pa

from pipeline.synth.block import Block
from pipeline.synth.config import EPOCH, Config, add_years
from pipeline.synth.tables import incident_table, involvement_table, person_table


class Extract(NamedTuple):
    name: str  # folder under the output ("" = the output itself)
    cutoff: int  # last recording day held (days since epoch)
    after: int  # recording days up to this one are not held


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _extract_cutoffs(as_of: dt.date, k: int) -> list[tuple[str, dt.date]]:
    out = []
    y, m = as_of.year, as_of.month
    for i in range(k):
        cut = as_of if i == 0 else _month_end(y, m)
        out.append((f"{y:04d}-{m:02d}", cut))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def extract_plan(as_of: dt.date, extracts: int) -> list[Extract]:
    if extracts == 1:
        return [Extract("", (as_of - EPOCH).days, -10**9)]
    plan = []
    for i, (name, cut) in enumerate(_extract_cutoffs(as_of, extracts)):
        lo = -10**9 if i == 0 else (add_years(cut, -1) - EPOCH).days
        plan.append(Extract(name, (cut - EPOCH).days, lo))
    return plan


def extract_tables(cfg: Config, blk: Block, ex: Extract) -> dict[str, pa.Table]:
    """The block's incidents recorded in (ex.after, ex.cutoff], their involvements and the
    persons these refer to."""
    isel = np.flatnonzero((blk.rec <= ex.cutoff) & (blk.rec > ex.after))
    imask = np.zeros(len(blk.inc_num), dtype=bool)
    imask[isel] = True
    vsel = np.flatnonzero(imask[blk.inv_inc])
    pmask = np.zeros(len(blk.per_num), dtype=bool)
    pmask[blk.inv_per[vsel]] = True
    psel = np.flatnonzero(pmask)
    return {
        "incidents": incident_table(cfg, blk, isel, ex.cutoff),
        "persons": person_table(cfg, blk, psel),
        "involvements": involvement_table(blk, vsel),
    }
