"""`matac synth`: a realistic synthetic police extract generator.

Writes extracts in the input contract of `/work/shared/domain.md` (incidents, persons,
involvements) plus a ground truth under `_truth/`. Everything is synthetic: names carry the
markers ``Synthsurname-`` / ``Synthforename-`` and PNC ids are computed, not sampled.

How the data is made (all vectorised with numpy, one block of incidents at a time):

* Perpetrator careers: a mixture of one-off, occasional and chronic offenders. Counts are
  heavy tailed (chronic = 5 + lognormal); careers are spread over ``years`` years up to
  ``as_of`` with a slight growth in volume (a monotone time warp).
* Each perpetrator has a sequence of relationships ("dyads") lasting months; serial
  perpetrators move on to new partners. Some victims are re-used by another perpetrator of
  the same kind (partner or family), so they are victimised by several people over time.
* Offences come from the gravity table with realistic frequencies; chronic offenders escalate
  (the offence distribution is tilted towards heavier weights as their career progresses).
  DASH risk follows severity. About 40% of incidents are non-crime.
* Involvements: suspect/offender, victim (+ occasional child victim under 16), some witnesses,
  'other' roles and co-suspects.
* Duplicate nominal records: a second person_id for the same human, used from some point in
  their history on, with the same or a mistyped name / date of birth and, about half the time,
  the same pnc_id. Two different humans never share a pnc_id.
* Incident ids are chronological by recording date across the whole output (a cheap first
  pass counts incidents per day and block).
* Monthly extracts (``extracts`` > 1) re-export the last 12 months (by recording date);
  incidents revised after they were first recorded (about 2% of the overlap per month) show
  their earlier version in the earlier extract.
* ``dirty`` injects defects at about that rate per row per table, all listed in
  ``_truth/defects.csv`` (row = 1-based data row in the written file, 0 = header).

Determinism: every random number comes from ``numpy.random.Generator(PCG64(...))`` seeded
from (seed, block, stream); nothing depends on the clock, so the same arguments give
byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

BLOCK_INCIDENTS = 200_000
_BACKGROUND_WRITES = True
EPOCH = dt.date(1970, 1, 1)
DEFAULT_AS_OF = dt.date(2026, 10, 31)

INCIDENT_COLUMNS = [
    "incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
    "domestic_abuse_flag",
]
PERSON_COLUMNS = ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"]
INVOLVEMENT_COLUMNS = ["incident_id", "person_id", "role", "relationship"]
TABLES = {
    "incidents": INCIDENT_COLUMNS,
    "persons": PERSON_COLUMNS,
    "involvements": INVOLVEMENT_COLUMNS,
}

ROLES = ["suspect", "offender", "victim", "witness", "other"]
R_SUSPECT, R_OFFENDER, R_VICTIM, R_WITNESS, R_OTHER = range(5)
RELATIONSHIPS = ["partner", "ex_partner", "family", "other", "unknown"]
REL_PARTNER, REL_EX, REL_FAMILY, REL_OTHER, REL_UNKNOWN = range(5)
DASH = ["standard", "medium", "high", "not_assessed"]  # -1 = blank
GENDERS = ["female", "male", "other", "unknown"]
G_FEMALE, G_MALE, G_OTHER, G_UNKNOWN = range(4)
CAREERS = ["one_off", "occasional", "chronic"]
ROLE_KINDS = ["perpetrator", "victim", "child_victim", "co_suspect", "witness", "other"]
K_PERP, K_VICTIM, K_CHILD, K_COSUSPECT, K_WITNESS, K_OTHER = range(6)
KIND_INTIMATE, KIND_FAMILY, KIND_OTHER = range(3)

# Relative frequencies of principal offences among DA crimes (codes of the default gravity
# table; a code missing here gets a small default share).
OFFENCE_FREQ = {
    "105A": 0.30, "8N": 0.14, "8L": 0.13, "8U": 0.10, "58A": 0.10, "8G": 0.06,
    "BREACH": 0.05, "8Q": 0.04, "9A": 0.03, "17A": 0.012, "8F": 0.01, "19C": 0.008,
    "5D": 0.0025, "2": 0.0002, "1": 0.00004,
}
UNKNOWN_CODES = ["28E", "46", "126", "8M", "66"]  # plausible codes absent from the table
UNKNOWN_CRIME_WEIGHT = 5.0
NON_CRIME_WEIGHT = 1.0

# Career mixture and shape.
CAREER_P = [0.655, 0.285, 0.06]
# DASH given severity class (0 non-crime, 1 low, 2 mid, 3 high): standard, medium, high,
# not_assessed, blank.
DASH_TABLE = np.array([
    [0.72, 0.18, 0.04, 0.02, 0.04],
    [0.60, 0.27, 0.08, 0.02, 0.03],
    [0.42, 0.35, 0.19, 0.01, 0.03],
    [0.15, 0.35, 0.47, 0.01, 0.02],
])
THETA_GRID = np.linspace(0.0, 0.9, 19)

SYLLABLES = [
    "ka", "lo", "mir", "ven", "dra", "sel", "tor", "bri", "nox", "pel", "qua", "ris", "zan",
    "fen", "gul", "hap", "jor", "lus", "mav", "nel", "oro", "pry", "sav", "tem", "ulv", "vor",
    "wex", "yal", "zor", "bek", "cad", "dun", "eth", "fro", "gav", "hol", "isk", "jas", "kel",
]
SURNAME_MARK = "Synthsurname-"
FORENAME_MARK = "Synthforename-"


# --------------------------------------------------------------------------------------------
# Reference data


def _load_gravity() -> tuple[list[str], np.ndarray]:
    from pipeline.core.settings import REPO_ROOT

    codes, weights = [], []
    with open(REPO_ROOT / "reference" / "gravity_table.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes.append(row["offence_code"].strip())
            weights.append(float(row["weight"]))
    return codes, np.array(weights)


def _name_pools() -> dict[str, list[str]]:
    """Fixed (seed-independent) pools of obviously synthetic names, with one typo variant each."""
    rng = np.random.Generator(np.random.PCG64(20261031))
    syl = np.array(SYLLABLES)

    def cores(n: int, lo: int, hi: int, ending: list[str] | None) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        while len(out) < n:
            k = int(rng.integers(lo, hi + 1))
            core = "".join(syl[rng.integers(0, len(syl), k)])
            if ending:
                core += ending[int(rng.integers(0, len(ending)))]
            core = core.capitalize()
            if core not in seen:
                seen.add(core)
                out.append(core)
        return out

    def typo(core: str) -> str:
        # change one letter of the core (never the marker): swap, drop, double or replace
        n = len(core)
        i = int(rng.integers(1, n - 1))
        op = int(rng.integers(0, 4))
        if op == 0:
            s = core[:i] + core[i + 1] + core[i] + core[i + 2:]
        elif op == 1:
            s = core[:i] + core[i + 1:]
        elif op == 2:
            s = core[:i] + core[i] + core[i:]
        else:
            s = core[:i] + ("e" if core[i] != "e" else "a") + core[i + 1:]
        return s if s != core else core + "e"

    surnames = cores(4000, 2, 3, None)
    female = cores(700, 1, 2, ["a", "ia", "elle", "ine"])
    male = cores(700, 1, 2, ["o", "an", "ek", "us"])
    pools = {}
    for name, lst, mark in (
        ("surname", surnames, SURNAME_MARK),
        ("female", female, FORENAME_MARK),
        ("male", male, FORENAME_MARK),
    ):
        pools[name] = [mark + c for c in lst] + [mark + typo(c) for c in lst]
    return pools


# --------------------------------------------------------------------------------------------
# Small helpers


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def _pick(rng: np.random.Generator, n: int, p) -> np.ndarray:
    """n draws from a categorical distribution (fast inverse-CDF)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int8)


def _pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row, row i from probs[i] (n x k)."""
    cdf = np.cumsum(probs, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(probs))
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int8)


def _group_first(keys: np.ndarray) -> np.ndarray:
    """For sorted keys, a boolean mask of the first element of each run."""
    m = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        m[1:] = keys[1:] != keys[:-1]
    return m


def _ids(prefix: str, nums: np.ndarray, width: int = 7) -> pa.Array:
    s = pc.utf8_lpad(pc.cast(pa.array(nums, type=pa.int64()), pa.string()), width=width,
                     padding="0")
    return pc.binary_join_element_wise(prefix, s, "")


def _labels(labels: list[str], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes)
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.array(labels, type=pa.string()).take(idx)


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=missing).cast(pa.date32())


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


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


def _warp(x: np.ndarray, g: float = 0.3) -> np.ndarray:
    """Monotone map of [0,1] to itself giving density proportional to 1 + g*y (growth)."""
    return (np.sqrt(1.0 + 2.0 * g * x * (1.0 + g / 2.0)) - 1.0) / g


# --------------------------------------------------------------------------------------------
# Generation


@dataclass
class _Config:
    seed: int
    n_incidents: int
    as_of: dt.date
    years: int
    t0: int  # first day (days since epoch)
    horizon: int  # number of days in the history
    codes: list[str]
    weights: np.ndarray
    code_cdf: np.ndarray  # (len(THETA_GRID), n_codes)
    code_class: np.ndarray  # severity class 1..3 per code
    person_bound: int
    pools: dict[str, list[str]]


def _make_config(seed: int, n: int, as_of: dt.date, years: int) -> _Config:
    codes, weights = _load_gravity()
    base = np.array([OFFENCE_FREQ.get(c, 0.002) for c in codes])
    base /= base.sum()
    tilted = base[None, :] * np.power(weights[None, :], THETA_GRID[:, None])
    cdf = np.cumsum(tilted / tilted.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    code_class = np.where(weights >= 300, 3, np.where(weights >= 100, 2, 1)).astype(np.int8)
    first = _add_years(as_of, -years) + dt.timedelta(days=1)
    return _Config(
        seed=seed, n_incidents=n, as_of=as_of, years=years,
        t0=(first - EPOCH).days, horizon=(as_of - first).days + 1,
        codes=codes, weights=weights, code_cdf=cdf, code_class=code_class,
        person_bound=12 * n + 1000, pools=_name_pools(),
    )


def _careers(cfg: _Config, block: int, n_inc: int) -> dict[str, np.ndarray]:
    """Perpetrator careers of one block: incident counts, dates. Own random stream, so the
    first pass (incident-id numbering) can re-run it cheaply."""
    rng = _rng(cfg.seed, block, 0)
    H = cfg.horizon
    types, counts, total = [], [], 0
    while total < n_inc:
        est = max(32, int((n_inc - total) / 2.4) + 32)
        t = _pick(rng, est, CAREER_P)
        c = np.ones(est, dtype=np.int64)
        occ = t == 1
        c[occ] = 1 + rng.geometric(0.42, int(occ.sum()))
        chronic = t == 2
        c[chronic] = 5 + np.minimum(rng.lognormal(2.0, 0.85, int(chronic.sum())), 250).astype(
            np.int64)
        types.append(t)
        counts.append(c)
        total += int(c.sum())
    t = np.concatenate(types)
    c = np.concatenate(counts)
    cs = np.cumsum(c)
    m = int(np.searchsorted(cs, n_inc)) + 1
    t, c = t[:m], c[:m].copy()
    c[-1] -= cs[m - 1] - n_inc

    span = np.zeros(m)
    occ = t == 1
    span[occ] = rng.lognormal(np.log(200.0), 0.8, int(occ.sum()))
    chronic = t == 2
    span[chronic] = rng.lognormal(np.log(900.0), 0.5, int(chronic.sum()))
    span = np.minimum(span, 0.9 * H)
    span[c == 1] = 0.0
    # career centres uniform over the history; incidents spread over the span around it and
    # reflected at both ends (keeps the overall density flat; growth comes from the warp)
    centre = rng.random(m) * H
    perp = np.repeat(np.arange(m, dtype=np.int64), c)
    tm = centre[perp] + span[perp] * (rng.random(n_inc) - 0.5)
    tm = np.where(tm < 0, -tm, tm)
    tm = np.where(tm >= H, 2 * H - tm - 1e-6, tm)
    tm = tm[np.lexsort((tm, perp))]
    first_pos = np.concatenate(([0], np.cumsum(c)[:-1]))
    k = np.arange(n_inc, dtype=np.int64) - first_pos[perp]
    occ_day = np.clip((_warp(tm / H) * H).astype(np.int64), 0, H - 1)
    u = rng.random(n_inc)
    lag = np.where(
        u < 0.85, rng.integers(0, 3, n_inc),
        np.where(u < 0.98, rng.integers(3, 31, n_inc), rng.integers(31, 700, n_inc)),
    )
    rec_day = np.minimum(occ_day + lag, H - 1)
    return {
        "m": np.int64(m), "type": t, "count": c, "span": span, "perp": perp, "k": k,
        "time": tm, "occ": occ_day, "rec": rec_day,
    }


@dataclass
class _Block:
    # incidents (local order = by recording day then career order)
    inc_num: np.ndarray
    occ: np.ndarray  # days since epoch
    rec: np.ndarray
    crime: np.ndarray  # bool, final version
    code: np.ndarray  # int16: index into codes, -1 blank, -(2+j) UNKNOWN_CODES[j]
    dash: np.ndarray  # int8 index into DASH, -1 blank
    da: np.ndarray  # int8 1 true, 0 false, -1 blank
    rev_day: np.ndarray  # days since epoch of a revision, huge if none
    early_crime: np.ndarray
    early_code: np.ndarray
    early_dash: np.ndarray
    # involvements
    inv_inc: np.ndarray  # local incident index
    inv_per: np.ndarray  # local person (nominal) index
    inv_role: np.ndarray
    inv_rel: np.ndarray
    # persons (local order = by first appearance, person_num ascending)
    per_num: np.ndarray
    human_num: np.ndarray
    surname: np.ndarray  # index into pools["surname"]
    forename: np.ndarray  # index into pools["female"] (>=0) or pools["male"] (encoded below)
    forename_male: np.ndarray
    dob: np.ndarray
    dob_missing: np.ndarray
    gender: np.ndarray
    pnc_year: np.ndarray
    pnc_num: np.ndarray
    has_pnc: np.ndarray
    role_kind: np.ndarray
    career: np.ndarray
    serial: np.ndarray
    is_dup: np.ndarray
    n_humans: int = 0
    stats: dict = field(default_factory=dict)


def _gen_block(cfg: _Config, block: int, n_inc: int, inc_base: np.ndarray, person_offset: int,
               human_offset: int, pnc_next: np.ndarray) -> _Block:
    """One block of careers with everything that hangs off them. `pnc_next` (last PNC number
    issued per year) is updated in place."""
    car = _careers(cfg, block, n_inc)
    rng = _rng(cfg.seed, block, 1)
    H, t0 = cfg.horizon, cfg.t0
    m = int(car["m"])
    ptype, pcount, perp, k = car["type"], car["count"], car["perp"], car["k"]
    n = n_inc
    occ_rel = car["occ"]
    progress = np.where(pcount[perp] > 1, k / np.maximum(pcount[perp] - 1, 1), 0.0)
    itype = ptype[perp]

    # --- perpetrator attributes -------------------------------------------------------------
    kind = np.where(
        ptype == 2, _pick(rng, m, [0.85, 0.12, 0.03]), _pick(rng, m, [0.74, 0.21, 0.05])
    ).astype(np.int8)
    first_day = occ_rel[np.concatenate(([0], np.cumsum(pcount)[:-1]))]
    age0 = 16.0 + rng.gamma(2.0, 7.5, m)
    young = (kind == KIND_FAMILY) & (rng.random(m) < 0.04)
    age0[young] = 14.0 + rng.random(int(young.sum())) * 2.0
    age0 = np.minimum(age0, 85.0)
    perp_dob = first_day - (age0 * 365.25).astype(np.int64)
    pg = np.where(
        kind == KIND_INTIMATE, _pick(rng, m, [0.18, 0.80, 0.005, 0.015]),
        np.where(kind == KIND_FAMILY, _pick(rng, m, [0.30, 0.68, 0.005, 0.015]),
                 _pick(rng, m, [0.28, 0.70, 0.005, 0.015])),
    ).astype(np.int8)
    harm = rng.uniform(0.5, 1.6, m)

    # --- relationships (dyads): a new victim every `dur` days of the career ----------------
    dur = np.where(
        kind == KIND_INTIMATE, rng.lognormal(np.log(270.0), 0.7, m),
        np.where(kind == KIND_FAMILY, rng.lognormal(np.log(2000.0), 0.8, m),
                 rng.lognormal(np.log(365.0), 0.7, m)),
    )
    phase = rng.random(m) * dur
    slot = np.floor((car["time"] + phase[perp]) / dur[perp]).astype(np.int64)
    dkey = perp * 1_000_000 + slot
    ukeys, inc_dyad = np.unique(dkey, return_inverse=True)
    nd = len(ukeys)
    dyad_perp = ukeys // 1_000_000
    dyad_kind = kind[dyad_perp]
    dyad_first = np.full(nd, H, dtype=np.int64)
    np.minimum.at(dyad_first, inc_dyad, occ_rel)
    # some victims are re-used by another perpetrator of the same kind
    reuse = rng.random(nd) < np.where(dyad_kind == KIND_FAMILY, 0.04, 0.075)
    reuse[0] = False
    dyad_src = np.arange(nd)
    for kd in range(3):
        fresh_k = np.flatnonzero(~reuse & (dyad_kind == kd))
        want = np.flatnonzero(reuse & (dyad_kind == kd))
        if len(fresh_k) == 0:
            reuse[want] = False
            continue
        src = fresh_k[rng.integers(0, len(fresh_k), len(want))]
        # not the same perpetrator, and the victim not first met years after this dyad
        same = (dyad_perp[src] == dyad_perp[want]) | (dyad_first[src] > dyad_first[want] + 365)
        reuse[want[same]] = False
        dyad_src[want[~same]] = src[~same]
    fresh = ~reuse
    nv = int(fresh.sum())
    victim_of_fresh = np.cumsum(fresh) - 1  # victim number for fresh dyads
    dyad_victim = m + victim_of_fresh[dyad_src]  # human local index

    # victim attributes (one per fresh dyad)
    fd = np.flatnonzero(fresh)
    fp = dyad_perp[fd]
    fk = dyad_kind[fd]
    perp_age_at = (dyad_first[fd] - perp_dob[fp]) / 365.25
    fam_sub = _pick(rng, nv, [0.5, 0.25, 0.15, 0.10])  # parent, sibling, child, other relative
    child_ok = perp_age_at >= 32
    fam_sub = np.where((fam_sub == 2) & ~child_ok, 0, fam_sub)
    v_age = perp_age_at + rng.normal(-1.5, 5.0, nv)
    fam = fk == KIND_FAMILY
    v_age = np.where(fam & (fam_sub == 0), perp_age_at + rng.uniform(18, 38, nv), v_age)
    v_age = np.where(fam & (fam_sub == 1), np.maximum(perp_age_at + rng.normal(0, 5, nv), 10),
                     v_age)
    v_age = np.where(fam & (fam_sub == 2), rng.uniform(2, 16, nv), v_age)
    v_age = np.where(fam & (fam_sub == 3), perp_age_at + rng.normal(0, 15, nv), v_age)
    v_age = np.where(fk == KIND_OTHER, perp_age_at + rng.normal(0, 10, nv), v_age)
    v_age = np.where(fam & (fam_sub >= 1) & (fam_sub <= 2), v_age, np.maximum(v_age, 16.0))
    v_age = np.minimum(v_age, 95.0)
    v_dob = dyad_first[fd] - (v_age * 365.25).astype(np.int64)
    ppg = pg[fp]
    opp = np.where(ppg == G_MALE, G_FEMALE, G_MALE)
    v_gender = np.where(
        fk == KIND_INTIMATE,
        np.where(
            ppg <= G_MALE,
            np.where(rng.random(nv) < 0.93, opp, np.where(rng.random(nv) < 0.8, ppg, G_OTHER)),
            _pick(rng, nv, [0.6, 0.4]),
        ),
        _pick(rng, nv, [0.6, 0.39, 0.005, 0.005]),
    ).astype(np.int8)
    v_share_surname = rng.random(nv) < np.where(fam, 0.8, np.where(fk == KIND_INTIMATE, 0.3, 0.05))

    # --- incident attributes ------------------------------------------------------------------
    p_crime = np.select([itype == 0, itype == 1], [0.56, 0.60], 0.48 + 0.37 * progress)
    crime = rng.random(n) < p_crime
    theta = np.select(
        [itype == 0, itype == 1], [0.0, 0.12 * progress], (0.15 + 0.5 * progress) * harm[perp]
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
    dash5 = _pick_rows(rng, DASH_TABLE[sev])  # 0..3 = DASH index, 4 = blank
    dash = np.where(dash5 == 4, -1, dash5).astype(np.int8)
    da = _pick(rng, n, [0.025, 0.97, 0.005])
    da = np.where(da == 2, -1, da).astype(np.int8)

    # revisions: the first recorded version is "lower" than the final one
    c_105a = cfg.codes.index("105A") if "105A" in cfg.codes else -1
    inj_codes = [cfg.codes.index(c) for c in ("8N", "8G", "8F") if c in cfg.codes]
    can_crime = crime & (code >= 0) & (sev <= 2)
    can_dash = (dash == 1) | (dash == 2)
    can_code = crime & np.isin(code, inj_codes) & (c_105a >= 0)
    any_rev = can_crime | can_dash | can_code
    rev = any_rev & (rng.random(n) < 0.35)
    options = np.stack([can_crime, can_dash, can_code], axis=1).astype(float)
    options[~any_rev] = 1.0
    rev_kind = _pick_rows(rng, options)
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
    rec_rel = car["rec"]
    rev_day = np.where(rev, t0 + rec_rel + 1 + rng.integers(0, 365, n), np.iinfo(np.int32).max)

    # --- humans --------------------------------------------------------------------------------
    # perpetrators [0, m), victims [m, m+nv), then children, co-suspects, witnesses, others
    # children: some dyads have a child who is sometimes a victim too
    dyad_has_child = (rng.random(nd) < 0.35) & (dyad_kind != KIND_OTHER)
    child_inc = dyad_has_child[inc_dyad] & (rng.random(n) < 0.08)
    child_dyads, inc_child = np.unique(inc_dyad[child_inc], return_inverse=True)
    nc = len(child_dyads)
    co_inc = rng.random(n) < np.where(kind[perp] == KIND_INTIMATE, 0.02, 0.06)
    wit_inc = rng.random(n) < 0.18
    oth_inc = rng.random(n) < 0.04
    nco, nw, no = int(co_inc.sum()), int(wit_inc.sum()), int(oth_inc.sum())
    base_c = m + nv
    base_co = base_c + nc
    base_w = base_co + nco
    base_o = base_w + nw
    nh = base_o + no

    # per-incident involvements
    inc_idx = np.arange(n, dtype=np.int64)
    role_p = np.where(crime & (rng.random(n) < 0.28), R_OFFENDER, R_SUSPECT)
    rel_v = np.where(
        dyad_kind[inc_dyad] == KIND_INTIMATE,
        _pick(rng, n, [0.62, 0.35, 0.0, 0.0, 0.02, 0.01]),
        np.where(dyad_kind[inc_dyad] == KIND_FAMILY,
                 _pick(rng, n, [0.0, 0.0, 0.96, 0.0, 0.03, 0.01]),
                 _pick(rng, n, [0.0, 0.0, 0.0, 0.7, 0.29, 0.01])),
    )
    # harassment, stalking and breaches are more often against an ex-partner
    exish = np.isin(code, [cfg.codes.index(c) for c in ("8L", "8Q", "BREACH") if c in cfg.codes])
    rel_v = np.where((rel_v == REL_PARTNER) & exish & (rng.random(n) < 0.6), REL_EX, rel_v)
    rel_v = np.where(rel_v == 5, -1, rel_v)
    # counter-allegations: in a few low-level partner incidents the usual victim is recorded
    # as the suspect and the perpetrator as the victim (people with both roles)
    counter = (dyad_kind[inc_dyad] == KIND_INTIMATE) & (sev <= 1) & (rng.random(n) < 0.03)
    susp_h = np.where(counter, dyad_victim[inc_dyad], perp)
    vict_h = np.where(counter, perp, dyad_victim[inc_dyad])
    role_p = np.where(counter, R_SUSPECT, role_p)
    parts = [
        (inc_idx, susp_h, role_p, np.full(n, -1)),
        (inc_idx, vict_h, np.full(n, R_VICTIM), rel_v),
        (inc_idx[child_inc], base_c + inc_child, np.full(len(inc_child), R_VICTIM),
         np.full(len(inc_child), REL_FAMILY)),
        (inc_idx[co_inc], base_co + np.arange(nco), np.full(nco, R_SUSPECT), np.full(nco, -1)),
        (inc_idx[wit_inc], base_w + np.arange(nw), np.full(nw, R_WITNESS), np.full(nw, -1)),
        (inc_idx[oth_inc], base_o + np.arange(no), np.full(no, R_OTHER), np.full(no, -1)),
    ]
    inv_inc = np.concatenate([p[0] for p in parts]).astype(np.int64)
    inv_hum = np.concatenate([p[1] for p in parts]).astype(np.int64)
    inv_role = np.concatenate([p[2] for p in parts]).astype(np.int8)
    inv_rel = np.concatenate([p[3] for p in parts]).astype(np.int8)
    inv_day = occ_rel[inv_inc]

    # human attribute arrays
    gender = np.empty(nh, dtype=np.int8)
    dob = np.empty(nh, dtype=np.int64)
    role_kind = np.empty(nh, dtype=np.int8)
    career = np.full(nh, -1, dtype=np.int8)
    surname = rng.integers(0, len(cfg.pools["surname"]) // 2, nh)
    p_pnc = np.empty(nh)

    gender[:m] = pg
    dob[:m] = perp_dob
    role_kind[:m] = K_PERP
    career[:m] = ptype
    p_pnc[:m] = np.array([0.55, 0.7, 0.88])[ptype]
    sl = slice(m, base_c)
    gender[sl] = v_gender
    dob[sl] = v_dob
    role_kind[sl] = K_VICTIM
    p_pnc[sl] = 0.2
    surname[sl] = np.where(v_share_surname, surname[fp], surname[sl])
    # children
    sl = slice(base_c, base_co)
    cd_first = np.full(nc, H, dtype=np.int64)
    np.minimum.at(cd_first, inc_child, occ_rel[child_inc])
    gender[sl] = _pick(rng, nc, [0.5, 0.5])
    dob[sl] = cd_first - (rng.uniform(0.2, 15.5, nc) * 365.25).astype(np.int64)
    role_kind[sl] = K_CHILD
    p_pnc[sl] = 0.02
    c_perp = dyad_perp[child_dyads]
    c_vict = dyad_victim[child_dyads]
    surname[sl] = np.where(rng.random(nc) < 0.6, surname[c_perp], surname[c_vict])
    # co-suspects
    sl = slice(base_co, base_w)
    co_perp = perp[co_inc]
    gender[sl] = _pick(rng, nco, [0.3, 0.68, 0.005, 0.015])
    co_age = np.maximum((occ_rel[co_inc] - perp_dob[co_perp]) / 365.25 + rng.normal(0, 8, nco),
                        14.0)
    dob[sl] = occ_rel[co_inc] - (co_age * 365.25).astype(np.int64)
    role_kind[sl] = K_COSUSPECT
    p_pnc[sl] = 0.45
    surname[sl] = np.where((kind[co_perp] == KIND_FAMILY) & (rng.random(nco) < 0.7),
                           surname[co_perp], surname[sl])
    # witnesses and others
    for sl, cnt, mask, rk in ((slice(base_w, base_o), nw, wit_inc, K_WITNESS),
                              (slice(base_o, nh), no, oth_inc, K_OTHER)):
        gender[sl] = _pick(rng, cnt, [0.52, 0.46, 0.005, 0.015])
        age = 18.0 + rng.gamma(2.0, 11.0, cnt)
        kid = rng.random(cnt) < (0.12 if rk == K_WITNESS else 0.03)
        age[kid] = rng.uniform(5, 16, int(kid.sum()))
        dob[sl] = occ_rel[mask] - (np.minimum(age, 95) * 365.25).astype(np.int64)
        role_kind[sl] = rk
        p_pnc[sl] = 0.08 if rk == K_WITNESS else 0.15
    has_pnc = rng.random(nh) < p_pnc
    female_name = np.where(gender == G_FEMALE, True,
                           np.where(gender == G_MALE, False, rng.random(nh) < 0.5))
    npool = len(cfg.pools["female"]) // 2
    forename = rng.integers(0, npool, nh)

    # serial-type truth: a repeat perpetrator with >= 2 distinct victims over the history
    pv = np.unique(dyad_perp * (nh + 1) + dyad_victim)
    n_victims = np.bincount(pv // (nh + 1), minlength=m)
    serial = np.zeros(nh, dtype=bool)
    serial[:m] = (pcount >= 2) & (n_victims >= 2)

    # --- duplicate nominals ---------------------------------------------------------------
    inv_count = np.bincount(inv_hum, minlength=nh)
    p_dup = np.where(role_kind == K_PERP, np.where(career == 2, 0.3, 0.2), 0.16)
    dup = (inv_count >= 2) & (rng.random(nh) < p_dup)
    dup_h = np.flatnonzero(dup)
    ndup = len(dup_h)
    dup_index = np.full(nh, -1, dtype=np.int64)
    dup_index[dup_h] = nh + np.arange(ndup)
    # involvements of dup humans: from a split point on (in date order) use the duplicate
    sel = np.flatnonzero(dup[inv_hum])
    o = np.lexsort((sel, inv_day[sel], inv_hum[sel]))
    sel = sel[o]
    hs = inv_hum[sel]
    firsts = _group_first(hs)
    start_pos = np.flatnonzero(firsts)
    grp = np.cumsum(firsts) - 1
    rank = np.arange(len(sel)) - start_pos[grp]
    split = 1 + (rng.random(ndup) * (inv_count[dup_h] - 1)).astype(np.int64)
    use_dup = rank >= split[grp]
    inv_nom = inv_hum.copy()
    inv_nom[sel[use_dup]] = dup_index[hs[use_dup]]

    nn = nh + ndup
    nom_human = np.concatenate([np.arange(nh), dup_h])
    nom_is_dup = np.concatenate([np.zeros(nh, bool), np.ones(ndup, bool)])
    nom_gender = gender[nom_human].copy()
    nom_gender[nh:] = np.where(rng.random(ndup) < 0.08, G_UNKNOWN, nom_gender[nh:])
    nom_dob = dob[nom_human].copy()
    nom_surname = surname[nom_human].copy()
    nom_forename = forename[nom_human].copy()
    nom_female = female_name[nom_human]
    s_typo = np.zeros(nn, dtype=bool)
    f_typo = np.zeros(nn, dtype=bool)
    s_typo[nh:] = rng.random(ndup) < 0.35
    f_typo[nh:] = rng.random(ndup) < 0.2
    dob_missing = rng.random(nn) < 0.02
    dd = nom_dob[nh:]
    dch = _pick(rng, ndup, [0.7, 0.1, 0.1, 0.1])  # same, day/month swap, off by one, missing
    dts = (dd + t0).astype("datetime64[D]")
    yy = dts.astype("datetime64[Y]")
    mo = (dts.astype("datetime64[M]") - dts.astype("datetime64[Y]")).astype(np.int64) + 1
    dy = (dts - dts.astype("datetime64[M]")).astype(np.int64) + 1
    swap_ok = (dch == 1) & (dy <= 12) & (dy != mo)
    swapped = (yy + (dy - 1).astype("timedelta64[M]")).astype("datetime64[D]") + (mo - 1)
    dd = np.where(swap_ok, swapped.astype(np.int64) - t0, dd)
    dd = np.where(dch == 2, dd + np.where(rng.random(ndup) < 0.5, -1, 1), dd)
    nom_dob[nh:] = dd
    dob_missing[nh:] |= dch == 3
    # about half of the duplicates carry the original's pnc_id (the original then has one);
    # the others have none (never someone else's)
    share_pnc = rng.random(ndup) < 0.5
    has_pnc[dup_h[share_pnc]] = True
    nom_has_pnc = has_pnc[nom_human].copy()
    nom_has_pnc[nh:] = share_pnc

    # order nominals by first appearance -> person numbers
    o = np.lexsort((inv_day, inv_nom))
    firsts = _group_first(inv_nom[o])
    first_inv = o[firsts]
    assert len(first_inv) == nn, "every nominal must be referenced"
    first_day_nom = inv_day[first_inv]
    p_order = np.lexsort((np.arange(nn), first_day_nom))
    p_rank = np.empty(nn, dtype=np.int64)
    p_rank[p_order] = np.arange(nn)

    # PNC ids: the year of the person's first record (after age 14, before their first
    # incident here), then a number issued in sequence within that year (with gaps for the
    # people outside this data). Counters run across blocks, so no two humans share one.
    h_first = np.full(nh, H, dtype=np.int64)
    np.minimum.at(h_first, inv_hum, inv_day)
    first_year = (h_first + t0).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970
    birth_year = (dob + t0).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    lo_year = np.minimum(np.maximum(birth_year + 14, cfg.as_of.year - 25), first_year)
    h_pnc_year = lo_year + (rng.random(nh) * (first_year - lo_year + 1)).astype(np.int64)
    h_pnc_num = np.zeros(nh, dtype=np.int64)
    holders = np.flatnonzero(has_pnc)
    hy = h_pnc_year[holders]
    o = np.lexsort((holders, hy))
    gaps = 1 + rng.geometric(0.15, len(o))
    yk = hy[o]
    yfirst = _group_first(yk)
    csum = np.cumsum(gaps)
    run_base = np.maximum.accumulate(np.where(yfirst, csum - gaps, 0))
    nums = pnc_next[yk - PNC_YEAR0] + csum - run_base
    h_pnc_num[holders[o]] = nums
    last = np.flatnonzero(np.r_[yfirst[1:], True])
    pnc_next[yk[last] - PNC_YEAR0] = nums[last]
    pnc_year = h_pnc_year[nom_human]
    pnc_num = h_pnc_num[nom_human]

    # --- incident order and ids -------------------------------------------------------------
    i_order = np.lexsort((inc_idx, rec_rel))
    i_pos = np.empty(n, dtype=np.int64)
    i_pos[i_order] = np.arange(n)
    rec_sorted = rec_rel[i_order]
    day_first = _group_first(rec_sorted)
    run_start = np.flatnonzero(day_first)
    run_id = np.cumsum(day_first) - 1
    within = np.arange(n) - run_start[run_id]
    inc_num = inc_base[rec_sorted] + within + 1

    # involvements sorted by incident, role, person
    inv_inc_sorted = i_pos[inv_inc]
    inv_per = p_rank[inv_nom]
    o = np.lexsort((inv_per, inv_role, inv_inc_sorted))

    blk = _Block(
        inc_num=inc_num,
        occ=(t0 + occ_rel)[i_order], rec=(t0 + rec_rel)[i_order],
        crime=crime[i_order], code=code[i_order], dash=dash[i_order], da=da[i_order],
        rev_day=rev_day[i_order], early_crime=early_crime[i_order],
        early_code=early_code[i_order], early_dash=early_dash[i_order],
        inv_inc=inv_inc_sorted[o], inv_per=inv_per[o], inv_role=inv_role[o],
        inv_rel=inv_rel[o],
        per_num=person_offset + 1 + np.arange(nn),
        human_num=(human_offset + nom_human + 1)[p_order],
        surname=(nom_surname + s_typo * (len(cfg.pools["surname"]) // 2))[p_order],
        forename=(nom_forename + f_typo * npool)[p_order],
        forename_male=(~nom_female)[p_order],
        dob=(nom_dob + t0)[p_order], dob_missing=dob_missing[p_order],
        gender=np.where(rng.random(nn) < 0.01, -1, nom_gender).astype(np.int8)[p_order],
        pnc_year=pnc_year[p_order], pnc_num=pnc_num[p_order], has_pnc=nom_has_pnc[p_order],
        role_kind=role_kind[nom_human][p_order], career=career[nom_human][p_order],
        serial=serial[nom_human][p_order], is_dup=nom_is_dup[p_order],
        n_humans=nh,
    )
    return blk


# --------------------------------------------------------------------------------------------
# Tables


PNC_YEAR0 = 1900
PNC_LETTERS = np.array(list("ZABCDEFGHJKLMNPQRTUVWXY"))


def _incident_table(cfg: _Config, b: _Block, sel: np.ndarray, cutoff: int) -> pa.Table:
    revised = b.rev_day[sel] <= cutoff
    crime = np.where(revised, b.crime[sel], b.early_crime[sel])
    code = np.where(revised, b.code[sel], b.early_code[sel])
    dash = np.where(revised, b.dash[sel], b.early_dash[sel])
    code_labels = cfg.codes + UNKNOWN_CODES
    cidx = np.where(code >= 0, code, np.where(code <= -2, len(cfg.codes) - 2 - code, -1))
    da = b.da[sel]
    return pa.table({
        "incident_id": _ids("INC", b.inc_num[sel]),
        "occurred_date": _dates(b.occ[sel]),
        "record_type": _labels(["non_crime", "crime"], crime.astype(np.int8)),
        "offence_code": _labels(code_labels, cidx),
        "dash_risk": _labels(DASH, dash),
        "domestic_abuse_flag": pa.array(da == 1, mask=da < 0),
    })


def _person_table(cfg: _Config, b: _Block, sel: np.ndarray) -> pa.Table:
    pools = cfg.pools
    sn = pa.array(pools["surname"]).take(pa.array(b.surname[sel]))
    fem = pa.array(pools["female"]).take(pa.array(b.forename[sel]))
    mal = pa.array(pools["male"]).take(pa.array(b.forename[sel]))
    fn = pc.if_else(pa.array(b.forename_male[sel]), mal, fem)
    has = b.has_pnc[sel]
    num = b.pnc_num[sel]
    year = b.pnc_year[sel]
    letter = PNC_LETTERS[((year % 100) * 10_000_000 + num) % 23]
    pnc = pc.binary_join_element_wise(
        pc.cast(pa.array(year), pa.string()), "/",
        pc.utf8_lpad(pc.cast(pa.array(num), pa.string()), width=7, padding="0"),
        pa.array(letter), "",
    )
    pnc = pc.if_else(pa.array(has), pnc, pa.scalar(None, pa.string()))
    return pa.table({
        "person_id": _ids("P", b.per_num[sel]),
        "surname": sn,
        "forenames": fn,
        "date_of_birth": _dates(b.dob[sel], b.dob_missing[sel]),
        "gender": _labels(GENDERS, b.gender[sel]),
        "pnc_id": pnc,
    })


def _involvement_table(b: _Block, sel: np.ndarray, inc_num: np.ndarray,
                       per_num: np.ndarray) -> pa.Table:
    return pa.table({
        "incident_id": _ids("INC", inc_num[b.inv_inc[sel]]),
        "person_id": _ids("P", per_num[b.inv_per[sel]]),
        "role": _labels(ROLES, b.inv_role[sel]),
        "relationship": _labels(RELATIONSHIPS, b.inv_rel[sel]),
    })


def _truth_table(b: _Block) -> pa.Table:
    return pa.table({
        "person_id": _ids("P", b.per_num),
        "human_id": _ids("H", b.human_num),
        "role_kind": _labels(ROLE_KINDS, b.role_kind),
        "offender_career": _labels(CAREERS, b.career),
        "serial_type": pa.array(b.serial),
        "is_duplicate": pa.array(b.is_dup),
    })


# --------------------------------------------------------------------------------------------
# Dirty data


DEFECT_KINDS = [
    "unparseable_date", "blank_required", "unknown_enum", "duplicate_id", "orphan_reference",
    "bad_optional", "enum_case_space", "header_case_space",
]
_BAD_DATES = ["31/02/{y}", "{y}-13-01", "n/a", "30/02/{y}", "{y}-00-10", "unknown",
              "32/01/{y}", "{y}-02-30"]


def _mixed_case(rng: np.random.Generator, value: str) -> str:
    v = int(rng.integers(0, 4))
    if v == 0:
        return value.upper()
    if v == 1:
        return " " + value.capitalize() + " "
    if v == 2:
        return value.title()
    return value.capitalize() + " "


def _legal_date_variants(rng: np.random.Generator, arr: pa.Array, fmt: str) -> pa.Array:
    """Dates as text; in CSV ~10% UK DD/MM/YYYY and ~2% with a time part (legal)."""
    iso = arr.cast(pa.string())
    if fmt != "csv" or len(arr) == 0:
        return iso
    u = rng.random(len(arr))
    uk = pc.strftime(arr.cast(pa.timestamp("s")), format="%d/%m/%Y")
    timed = pc.binary_join_element_wise(iso, " 00:00:00", "")
    out = pc.if_else(pa.array(u < 0.10), uk, iso)
    return pc.if_else(pa.array(u > 0.98), timed, out)


@dataclass
class _DirtyCtx:
    rng: np.random.Generator
    rate: float
    fmt: str
    n_incidents: int
    person_bound: int


def _dirty(table_name: str, tbl: pa.Table, ctx: _DirtyCtx) -> tuple[pa.Table, list[tuple]]:
    """Inject defects into one chunk. Returns the new table and (row0, column, kind, value)
    with row0 the 0-based row in the returned chunk."""
    rng = ctx.rng
    cols = {name: tbl.column(name).combine_chunks() for name in tbl.column_names}
    for dname in ("occurred_date", "date_of_birth"):
        if dname in cols:
            cols[dname] = _legal_date_variants(rng, cols[dname], ctx.fmt)
    n = tbl.num_rows
    py = {name: np.array(col.to_pylist(), dtype=object) for name, col in cols.items()
          if name != "domestic_abuse_flag"}
    rows = np.flatnonzero(rng.random(n) < ctx.rate)
    if table_name == "incidents":
        kinds = ["unparseable_date", "blank_required", "unknown_enum", "duplicate_id",
                 "bad_optional", "enum_case_space"]
        w = [0.2, 0.15, 0.15, 0.1, 0.2, 0.2]
    elif table_name == "persons":
        kinds = ["unparseable_date", "blank_required", "duplicate_id", "bad_optional",
                 "enum_case_space"]
        w = [0.2, 0.15, 0.15, 0.25, 0.25]
    else:
        kinds = ["blank_required", "unknown_enum", "orphan_reference", "bad_optional",
                 "enum_case_space"]
        w = [0.15, 0.2, 0.2, 0.15, 0.3]
    kind_of = _pick(rng, len(rows), w)
    found: list[tuple] = []
    dups: list[int] = []
    for r, ki in zip(rows.tolist(), kind_of.tolist()):
        kind = kinds[ki]
        if kind == "unparseable_date":
            col = "occurred_date" if table_name == "incidents" else "date_of_birth"
            cur = py[col][r] or ""
            y = cur[:4] if cur[:4].isdigit() else cur[6:10] if cur[6:10].isdigit() else "2024"
            val = _BAD_DATES[int(rng.integers(0, len(_BAD_DATES)))].format(y=y)
        elif kind == "blank_required":
            options = {"incidents": ["incident_id", "incident_id", "occurred_date", "record_type"],
                       "persons": ["person_id"],
                       "involvements": ["incident_id", "person_id", "role"]}[table_name]
            col = options[int(rng.integers(0, len(options)))]
            val = None
        elif kind == "unknown_enum":
            if table_name == "incidents":
                col, choices = "record_type", ["crme", "incident", "NCI", "tbc"]
            else:
                col, choices = "role", ["suspcet", "vicitm", "perp", "wittness"]
            val = choices[int(rng.integers(0, len(choices)))]
        elif kind == "orphan_reference":
            if rng.random() < 0.5:
                col = "incident_id"
                val = "INC%07d" % (ctx.n_incidents + 1 + int(rng.integers(0, 1_000_000)))
            else:
                col = "person_id"
                val = "P%07d" % (ctx.person_bound + 1 + int(rng.integers(0, 1_000_000)))
        elif kind == "bad_optional":
            if table_name == "incidents":
                col, choices = "dash_risk", ["hgih", "v.high", "meduim", "3"]
            elif table_name == "persons":
                col, choices = "gender", ["x", "F?", "9", "mle"]
            else:
                col, choices = "relationship", ["partnr", "husbnd", "exx", "?"]
            val = choices[int(rng.integers(0, len(choices)))]
        elif kind == "enum_case_space":
            col = {"incidents": "record_type", "persons": "gender",
                   "involvements": "role"}[table_name]
            cur = py[col][r]
            if cur is None and table_name == "persons":
                continue
            val = _mixed_case(rng, cur)
        else:  # duplicate_id: a second, conflicting row with the same id follows this one
            dups.append(r)
            continue
        py[col][r] = val
        found.append((r, col, kind, val))

    # duplicate ids: insert a conflicting copy after the original row
    if dups:
        dup_set = np.zeros(n, dtype=bool)
        dup_set[dups] = True
        order = np.repeat(np.arange(n), 1 + dup_set)
        copy_pos = np.flatnonzero(np.r_[False, order[1:] == order[:-1]])
        py = {k: v[order] for k, v in py.items()}
        if "domestic_abuse_flag" in cols:
            cols["domestic_abuse_flag"] = cols["domestic_abuse_flag"].take(pa.array(order))
        new_pos = np.cumsum(1 + dup_set) - 1 - dup_set  # where original row r now sits
        found = [(int(new_pos[r]), c, k, v) for r, c, k, v in found]
        for p in copy_pos.tolist():
            if table_name == "incidents":
                flip = py["record_type"][p] != "crime"
                py["record_type"][p] = "crime" if flip else "non_crime"
                py["offence_code"][p] = "105A" if flip else None
                py["dash_risk"][p] = ["standard", "medium", "high"][int(rng.integers(0, 3))]
                found.append((p, "incident_id", "duplicate_id", py["incident_id"][p]))
            else:
                pool = SYLLABLES[int(rng.integers(0, len(SYLLABLES)))]
                py["forenames"][p] = FORENAME_MARK + pool.capitalize() + "ra"
                py["date_of_birth"][p] = None
                found.append((p, "person_id", "duplicate_id", py["person_id"][p]))
        found.sort(key=lambda t: t[0])
    out = {}
    for name in tbl.column_names:
        if name == "domestic_abuse_flag":
            out[name] = cols[name]
        else:
            out[name] = pa.array(py[name].tolist(), type=pa.string())
    return pa.table(out), found


# --------------------------------------------------------------------------------------------
# Writers


class _Writer(threading.Thread):
    """Writes blocks in the background (in order) while the next block is generated; the
    bounded queue keeps at most two blocks in flight."""

    def __init__(self) -> None:
        super().__init__(name="synth-writer", daemon=True)
        self.q: queue.Queue = queue.Queue(maxsize=2)
        self.error: BaseException | None = None

    def run(self) -> None:
        while True:
            job = self.q.get()
            if job is None:
                return
            if self.error is None:
                try:
                    job()
                except BaseException as exc:  # re-raised in the main thread
                    self.error = exc

    def submit(self, job) -> None:
        if self.error is not None:
            raise self.error
        if not _BACKGROUND_WRITES:
            job()
            return
        self.q.put(job)

    def finish(self) -> None:
        self.q.put(None)
        self.join()
        if self.error is not None:
            raise self.error


class _Sink:
    """One output table file, written in chunks (CSV or Parquet)."""

    def __init__(self, path: Path, fmt: str, header: list[str]):
        self.path, self.fmt, self.header = path, fmt, header
        self._w: Any = None
        self._f: Any = None
        self.rows = 0

    def write(self, tbl: pa.Table) -> None:
        tbl = tbl.rename_columns(self.header)
        if self._w is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.fmt == "csv":
                self._f = open(self.path, "wb")
                self._f.write((",".join(self.header) + "\n").encode("utf-8"))
                self._w = pacsv.CSVWriter(
                    self._f, tbl.schema,
                    write_options=pacsv.WriteOptions(include_header=False,
                                                     quoting_style="none"),
                )
            else:
                self._w = pq.ParquetWriter(self.path, tbl.schema, compression="zstd")
        self._w.write_table(tbl)
        self.rows += tbl.num_rows

    def close(self, empty_schema: pa.Schema | None = None) -> None:
        if self._w is None and empty_schema is not None:  # nothing written: header only
            self.write(empty_schema.empty_table())
        if self._w is not None:
            self._w.close()
        if self._f is not None:
            self._f.close()


def _schema(table: str, fmt: str, dirty: bool) -> pa.Schema:
    date_t = pa.string() if dirty else pa.date32()
    if table == "incidents":
        return pa.schema([("incident_id", pa.string()), ("occurred_date", date_t),
                          ("record_type", pa.string()), ("offence_code", pa.string()),
                          ("dash_risk", pa.string()), ("domestic_abuse_flag", pa.bool_())])
    if table == "persons":
        return pa.schema([("person_id", pa.string()), ("surname", pa.string()),
                          ("forenames", pa.string()), ("date_of_birth", date_t),
                          ("gender", pa.string()), ("pnc_id", pa.string())])
    return pa.schema([(c, pa.string()) for c in INVOLVEMENT_COLUMNS])


def _header_variants(rng: np.random.Generator, cols: list[str]) -> tuple[list[str], list[tuple]]:
    out, changed = [], []
    pick = rng.random(len(cols)) < 0.3
    if not pick.any():
        pick[int(rng.integers(0, len(cols)))] = True
    for c, p in zip(cols, pick.tolist()):
        if p:
            v = int(rng.integers(0, 4))
            h = [c.upper(), " " + c.title(), c.title() + " ", " " + c + " "][v]
            out.append(h)
            changed.append((0, c, "header_case_space", h))
        else:
            out.append(c)
    return out, changed


# --------------------------------------------------------------------------------------------
# Main entry


def _reporter(progress) -> Callable[[str], None] | None:
    if not progress:
        return None
    if callable(progress) and not hasattr(progress, "write"):
        return progress
    stream = sys.stderr if progress is True else progress

    def emit(msg: str) -> None:
        print(msg, file=stream, flush=True)

    return emit


class SynthError(ValueError):
    """Bad arguments to the generator."""


def _validate(incidents: int, fmt: str, dirty: float, years: int, extracts: int) -> None:
    if incidents < 1:
        raise SynthError("--incidents must be at least 1")
    if fmt not in ("csv", "parquet"):
        raise SynthError("--format must be csv or parquet")
    if not 0.0 <= dirty <= 0.5:
        raise SynthError("--dirty must be between 0 and 0.5")
    if not 1 <= years <= 50:
        raise SynthError("--years must be between 1 and 50")
    if not 1 <= extracts <= 120:
        raise SynthError("--extracts must be between 1 and 120")


def generate(out_dir, incidents: int, seed: int = 1, fmt: str = "csv",
             as_of: dt.date = DEFAULT_AS_OF, dirty: float = 0.0, years: int = 5,
             extracts: int = 1, progress=None) -> dict:
    """Generate a synthetic extract (or `extracts` monthly extracts) into `out_dir`.

    Returns a summary: rows written per table (and per extract), unique counts generated,
    seconds and rows per second."""
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    _validate(incidents, fmt, dirty, years, extracts)
    started = time.perf_counter()
    report = _reporter(progress)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cfg = _make_config(seed, incidents, as_of, years)
    H, t0 = cfg.horizon, cfg.t0

    n_blocks = (incidents + BLOCK_INCIDENTS - 1) // BLOCK_INCIDENTS
    sizes = [min(BLOCK_INCIDENTS, incidents - i * BLOCK_INCIDENTS) for i in range(n_blocks)]

    # pass 1: incidents per (block, recording day) -> chronological incident numbers
    hist = np.zeros((n_blocks, H), dtype=np.int64)
    for bi, size in enumerate(sizes):
        hist[bi] = np.bincount(_careers(cfg, bi, size)["rec"], minlength=H)
    per_day = hist.sum(axis=0)
    day_base = np.concatenate(([0], np.cumsum(per_day)[:-1]))
    block_base = day_base[None, :] + np.cumsum(hist, axis=0) - hist  # (blocks, days)

    # extracts
    if extracts == 1:
        plan = [("", (as_of - EPOCH).days, -10**9)]
    else:
        plan = []
        for i, (name, cut) in enumerate(_extract_cutoffs(as_of, extracts)):
            lo = -10**9 if i == 0 else (_add_years(cut, -1) - EPOCH).days
            plan.append((name, (cut - EPOCH).days, lo))
    dirty_on = dirty > 0
    sinks: dict[tuple[str, str], _Sink] = {}
    header_defects: dict[tuple[str, str], list[tuple]] = {}
    for ei, (name, _, _) in enumerate(plan):
        folder = out / name if name else out
        for ti, table in enumerate(TABLES):
            cols = TABLES[table]
            if dirty_on:
                hdr, changed = _header_variants(_rng(seed, 1_000_000, ei, ti), cols)
                header_defects[(name, table)] = changed
            else:
                hdr = cols
            ext = "csv" if fmt == "csv" else "parquet"
            sinks[(name, table)] = _Sink(folder / f"{table}.{ext}", fmt, hdr)
    truth_dir = out / "_truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    defects_f = None
    defects_w = None
    if dirty_on:
        defects_f = open(truth_dir / "defects.csv", "w", newline="", encoding="utf-8")
        defects_w = csv.writer(defects_f, lineterminator="\n")
        defects_w.writerow(["extract", "table", "row", "column", "kind", "value"])
        for (name, table), changed in header_defects.items():
            for r, c, k, v in changed:
                defects_w.writerow([name, table, r, c, k, v])

    person_offset = 0
    human_offset = 0
    # PNC numbers already issued in each year before the first person here
    pnc_next = _rng(seed, 2_000_000).integers(50_000, 1_500_000, as_of.year - PNC_YEAR0 + 1)
    totals = {"incidents": 0, "persons": 0, "involvements": 0, "humans": 0}
    queued = {key: 0 for key in sinks}  # rows handed to the writer, per file
    n_defects = 0
    truth: dict[str, pq.ParquetWriter] = {}
    writer = _Writer()
    writer.start()

    def write_block(jobs, tt, defect_rows, msg):
        if "w" not in truth:
            truth["w"] = pq.ParquetWriter(truth_dir / "ground_truth.parquet", tt.schema,
                                          compression="zstd")
        truth["w"].write_table(tt)
        for sink, tbl in jobs:
            sink.write(tbl)
        if defect_rows:
            defects_w.writerows(defect_rows)
        if report:
            done = sum(s.rows for s in sinks.values())
            secs = time.perf_counter() - started
            report(f"{msg}, rows written {done:,}, {done / max(secs, 1e-9):,.0f} rows/s")

    try:
        for bi, size in enumerate(sizes):
            blk = _gen_block(cfg, bi, size, block_base[bi], person_offset, human_offset,
                             pnc_next)
            totals["incidents"] += len(blk.inc_num)
            totals["persons"] += len(blk.per_num)
            totals["involvements"] += len(blk.inv_inc)
            totals["humans"] += blk.n_humans
            person_offset += len(blk.per_num)
            human_offset += blk.n_humans
            jobs: list[tuple[_Sink, pa.Table]] = []
            defect_rows: list[list] = []
            for ei, (name, cut, lo) in enumerate(plan):
                isel = np.flatnonzero((blk.rec <= cut) & (blk.rec > lo))
                imask = np.zeros(len(blk.inc_num), dtype=bool)
                imask[isel] = True
                vsel = np.flatnonzero(imask[blk.inv_inc])
                pmask = np.zeros(len(blk.per_num), dtype=bool)
                pmask[blk.inv_per[vsel]] = True
                psel = np.flatnonzero(pmask)
                tables = {
                    "incidents": _incident_table(cfg, blk, isel, cut),
                    "persons": _person_table(cfg, blk, psel),
                    "involvements": _involvement_table(blk, vsel, blk.inc_num, blk.per_num),
                }
                for ti, (table, tbl) in enumerate(tables.items()):
                    key = (name, table)
                    if dirty_on:
                        ctx = _DirtyCtx(_rng(seed, bi, 100 + 3 * ei + ti), dirty, fmt,
                                        incidents, cfg.person_bound)
                        tbl, found = _dirty(table, tbl, ctx)
                        defect_rows.extend(
                            [name, table, queued[key] + r + 1, c, k, "" if v is None else v]
                            for r, c, k, v in found
                        )
                        n_defects += len(found)
                    queued[key] += tbl.num_rows
                    jobs.append((sinks[key], tbl))
            msg = (f"synth: block {bi + 1}/{n_blocks}, "
                   f"incidents {totals['incidents']:,}/{incidents:,}")
            tt = _truth_table(blk)
            del blk
            writer.submit(lambda j=jobs, t=tt, d=defect_rows, m=msg: write_block(j, t, d, m))
    finally:
        try:
            writer.finish()
        finally:
            for (name, table), sink in sinks.items():
                sink.close(_schema(table, fmt, dirty_on))
            if "w" in truth:
                truth["w"].close()
            if defects_f is not None:
                defects_f.close()

    secs = time.perf_counter() - started
    written = sum(s.rows for s in sinks.values())
    per_extract = {
        (name or "."): {t: sinks[(name, t)].rows for t in TABLES} for name, _, _ in plan
    }
    rows_written = {t: sum(sinks[(name, t)].rows for name, _, _ in plan) for t in TABLES}
    summary = {
        "out": str(out),
        "format": fmt,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "extracts": [name or "." for name, _, _ in plan],
        "generated": totals,
        "rows_written": rows_written,
        "per_extract": per_extract,
        "defects": n_defects + sum(len(v) for v in header_defects.values()),
        "seconds": round(secs, 3),
        "rows_per_second": round(written / max(secs, 1e-9)),
    }
    if report:
        report(f"synth: done, {written:,} rows in {secs:,.1f} s "
               f"({summary['rows_per_second']:,} rows/s)")
    return summary


# --------------------------------------------------------------------------------------------
# CLI


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _run(args: argparse.Namespace) -> int:
    try:
        summary = generate(
            args.out, args.incidents, seed=args.seed, fmt=args.format, as_of=args.as_of,
            dirty=args.dirty, years=args.years, extracts=args.extracts, progress=True,
        )
    except SynthError as exc:
        print(f"matac synth: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "synth",
        help="generate a realistic synthetic police extract",
        description="Generate synthetic incidents/persons/involvements tables in the input "
                    "contract, with a ground truth in OUT/_truth/.",
    )
    p.add_argument("--incidents", type=int, required=True, metavar="N",
                   help="number of incidents to generate (whole history)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--format", choices=["csv", "parquet"], default="csv",
                   help="file format (default csv)")
    p.add_argument("--as-of", type=_date_arg, default=DEFAULT_AS_OF, metavar="YYYY-MM-DD",
                   help="last day of the history (default 2026-10-31)")
    p.add_argument("--dirty", type=float, default=0.0, metavar="RATE",
                   help="defects injected per row per table (default 0)")
    p.add_argument("--years", type=int, default=5, metavar="Y",
                   help="history length in years (default 5)")
    p.add_argument("--extracts", type=int, default=1, metavar="K",
                   help="monthly overlapping extracts ending at --as-of (default 1)")
    p.set_defaults(func=_run)
