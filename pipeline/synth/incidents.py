"""Incident attributes, revisions and chronological incident numbers.

Offences come from the gravity table with realistic frequencies; persisting offenders escalate
(the offence distribution is tilted towards heavier weights as their career progresses; steeply
for chronic ones), desisting ones do not (chronic desisters ease off). DASH
risk follows severity. About 40% of incidents are non-crime. Some incidents are revised after
they were first recorded: the first version is "lower" than the final one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.careers import Careers
from pipeline.synth.config import DASH_TABLE, THETA_GRID, UNKNOWN_CODES, Config
from pipeline.synth.draws import group_first, pick, pick_rows
from pipeline.synth.perpetrators import Perpetrators


@dataclass
class Offences:
    """Final version of each incident (career order). `code`: index into cfg.codes, -1 blank,
    -(2+j) UNKNOWN_CODES[j]; `sev`: severity class (0 non-crime, 1..3); `dash`: index into
    DASH, -1 blank; `da`: domestic-abuse flag 1/0, -1 blank."""

    crime: np.ndarray
    code: np.ndarray
    sev: np.ndarray
    dash: np.ndarray
    da: np.ndarray


@dataclass
class Revisions:
    """The first recorded version of each incident and the absolute day it was revised to the
    final one (int32 max when never revised)."""

    early_crime: np.ndarray
    early_code: np.ndarray
    early_dash: np.ndarray
    day: np.ndarray


def draw_offences(rng: np.random.Generator, cfg: Config, car: Careers,
                  perps: Perpetrators) -> Offences:
    perp, pcount = car.perp, car.count
    n = len(perp)
    progress = np.where(pcount[perp] > 1, car.k / np.maximum(pcount[perp] - 1, 1), 0.0)
    itype = car.type[perp]
    p_crime = np.select([itype == 0, itype == 1], [0.56, 0.60], 0.48 + 0.37 * progress)
    crime = rng.random(n) < p_crime
    # escalation: persisting careers drift towards heavier offences as they go on (chronic ones
    # steeply, by their own `harm`); desisting careers do not (chronic ones ease off)
    desist = car.desist[perp]
    theta = np.select(
        [itype == 0, (itype == 1) & desist, itype == 1, desist],
        [0.0, 0.0, 0.2 * progress, 0.15 * (1.0 - 0.5 * progress) * perps.harm[perp]],
        (0.15 + 0.5 * progress) * perps.harm[perp],
    )
    lvl = np.clip(np.rint(theta / (THETA_GRID[1] - THETA_GRID[0])), 0, len(THETA_GRID) - 1)
    lvl = lvl.astype(np.int64)
    u = rng.random(n)
    code = (u[:, None] > cfg.code_cdf[lvl]).sum(axis=1).astype(np.int16)
    code = np.minimum(code, len(cfg.codes) - 1)
    unk = crime & (rng.random(n) < 0.01)
    unk_code = np.where(rng.random(n) < 0.5, -1, -2 - rng.integers(0, len(UNKNOWN_CODES), n))
    code = np.where(crime, np.where(unk, unk_code, code), -1).astype(np.int16)
    sev = np.where(crime, np.where(code >= 0, cfg.code_class[np.maximum(code, 0)], 1), 0)
    dash5 = pick_rows(rng, DASH_TABLE[sev])  # 0..3 = DASH index, 4 = blank
    dash = np.where(dash5 == 4, -1, dash5).astype(np.int8)
    da = pick(rng, n, [0.025, 0.97, 0.005])
    da = np.where(da == 2, -1, da).astype(np.int8)
    return Offences(crime=crime, code=code, sev=sev, dash=dash, da=da)


def draw_revisions(rng: np.random.Generator, cfg: Config, car: Careers,
                   off: Offences) -> Revisions:
    """A non-crime reclassified as a crime, a DASH upgrade, or an assault upgraded to assault
    with injury, about a third of the incidents where one applies."""
    crime, code, dash = off.crime, off.code, off.dash
    n = len(crime)
    c_105a = cfg.codes.index("105A") if "105A" in cfg.codes else -1
    inj_codes = [cfg.codes.index(c) for c in ("8N", "8G", "8F") if c in cfg.codes]
    can_crime = crime & (code >= 0) & (off.sev <= 2)
    can_dash = (dash == 1) | (dash == 2)
    can_code = crime & np.isin(code, inj_codes) & (c_105a >= 0)
    any_rev = can_crime | can_dash | can_code
    rev = any_rev & (rng.random(n) < 0.35)
    options = np.stack([can_crime, can_dash, can_code], axis=1).astype(float)
    options[~any_rev] = 1.0
    rev_kind = pick_rows(rng, options)
    early_crime = crime.copy()
    early_code = code.copy()
    early_dash = dash.copy()
    kc = rev & (rev_kind == 0)
    early_crime[kc] = False
    early_code[kc] = -1
    kd_ = rev & (rev_kind == 1)
    early_dash[kd_] = dash[kd_] - 1
    ko = rev & (rev_kind == 2)
    early_code[ko] = c_105a
    day = np.where(rev, cfg.t0 + car.rec + 1 + rng.integers(0, 365, n), np.iinfo(np.int32).max)
    return Revisions(early_crime=early_crime, early_code=early_code, early_dash=early_dash,
                     day=day)


def chronological_order(rec_rel: np.ndarray,
                        inc_base: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Incidents ordered by recording day (then career order): `order` (career index of each
    position), `pos` (position of each career index) and the incident numbers in that order,
    `inc_base[day]` (incidents recorded before this block's first on that day) + rank."""
    n = len(rec_rel)
    i_order = np.lexsort((np.arange(n, dtype=np.int64), rec_rel))
    i_pos = np.empty(n, dtype=np.int64)
    i_pos[i_order] = np.arange(n)
    rec_sorted = rec_rel[i_order]
    day_first = group_first(rec_sorted)
    run_start = np.flatnonzero(day_first)
    run_id = np.cumsum(day_first) - 1
    within = np.arange(n) - run_start[run_id]
    inc_num = inc_base[rec_sorted] + within + 1
    return i_order, i_pos, inc_num
