"""Nominal records (person_id) and PNC ids.

Duplicate nominal records: a second person_id for the same human, used from some point in
their history on, with the same or a mistyped name / date of birth and, about half the time,
the same pnc_id. Two different humans never share a pnc_id. Person numbers follow the first
appearance of each nominal."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.config import G_UNKNOWN, K_PERP, PNC_YEAR0, Config
from pipeline.synth.draws import group_first, pick
from pipeline.synth.humans import Humans
from pipeline.synth.involvements import Involvements


@dataclass
class Nominals:
    """One row per nominal record: the humans [0, nh) themselves, then their duplicates. Per
    nominal: human, is_dup, gender, dob (relative day), dob_missing, surname / forename (pool
    index) with s_typo / f_typo (use the typo variant), female_name, has_pnc. `of_involvement`
    is the nominal each involvement refers to."""

    human: np.ndarray
    is_dup: np.ndarray
    gender: np.ndarray
    dob: np.ndarray
    dob_missing: np.ndarray
    surname: np.ndarray
    forename: np.ndarray
    s_typo: np.ndarray
    f_typo: np.ndarray
    female_name: np.ndarray
    has_pnc: np.ndarray
    of_involvement: np.ndarray

    @property
    def n(self) -> int:
        return len(self.human)


def _duplicated_humans(rng: np.random.Generator, h: Humans,
                       inv: Involvements) -> tuple[np.ndarray, np.ndarray]:
    """Humans with a duplicate record (involved at least twice), and the nominal of each
    involvement: a duplicated human's involvements from a split point on (in date order) use
    the duplicate, numbered nh + i."""
    nh = h.n
    inv_hum = inv.human
    inv_count = np.bincount(inv_hum, minlength=nh)
    p_dup = np.where(h.role_kind == K_PERP, np.where(h.career == 2, 0.3, 0.2), 0.16)
    dup = (inv_count >= 2) & (rng.random(nh) < p_dup)
    dup_h = np.flatnonzero(dup)
    dup_index = np.full(nh, -1, dtype=np.int64)
    dup_index[dup_h] = nh + np.arange(len(dup_h))
    sel = np.flatnonzero(dup[inv_hum])
    o = np.lexsort((sel, inv.day[sel], inv_hum[sel]))
    sel = sel[o]
    hs = inv_hum[sel]
    firsts = group_first(hs)
    start_pos = np.flatnonzero(firsts)
    grp = np.cumsum(firsts) - 1
    rank = np.arange(len(sel)) - start_pos[grp]
    split = 1 + (rng.random(len(dup_h)) * (inv_count[dup_h] - 1)).astype(np.int64)
    use_dup = rank >= split[grp]
    inv_nom = inv_hum.copy()
    inv_nom[sel[use_dup]] = dup_index[hs[use_dup]]
    return dup_h, inv_nom


def _mistyped_dobs(rng: np.random.Generator, dd: np.ndarray,
                   t0: int) -> tuple[np.ndarray, np.ndarray]:
    """Dates of birth of duplicates: the same (70%), day and month swapped, off by one day,
    or missing. Returns the dates and the missing mask."""
    ndup = len(dd)
    dch = pick(rng, ndup, [0.7, 0.1, 0.1, 0.1])  # same, day/month swap, off by one, missing
    dts = (dd + t0).astype("datetime64[D]")
    yy = dts.astype("datetime64[Y]")
    mo = (dts.astype("datetime64[M]") - dts.astype("datetime64[Y]")).astype(np.int64) + 1
    dy = (dts - dts.astype("datetime64[M]")).astype(np.int64) + 1
    swap_ok = (dch == 1) & (dy <= 12) & (dy != mo)
    swapped = (yy + (dy - 1).astype("timedelta64[M]")).astype("datetime64[D]") + (mo - 1)
    dd = np.where(swap_ok, swapped.astype(np.int64) - t0, dd)
    dd = np.where(dch == 2, dd + np.where(rng.random(ndup) < 0.5, -1, 1), dd)
    return dd, dch == 3


def draw_nominals(rng: np.random.Generator, cfg: Config, h: Humans,
                  inv: Involvements) -> Nominals:
    """Choose the duplicates and give them their (sometimes mistyped) details. About half of
    the duplicates carry the original's pnc_id (the original then has one, so `h.has_pnc` is
    updated); the others have none (never someone else's)."""
    nh = h.n
    dup_h, inv_nom = _duplicated_humans(rng, h, inv)
    ndup = len(dup_h)
    nn = nh + ndup
    nom_human = np.concatenate([np.arange(nh), dup_h])
    nom_gender = h.gender[nom_human].copy()
    nom_gender[nh:] = np.where(rng.random(ndup) < 0.08, G_UNKNOWN, nom_gender[nh:])
    nom_dob = h.dob[nom_human].copy()
    s_typo = np.zeros(nn, dtype=bool)
    f_typo = np.zeros(nn, dtype=bool)
    s_typo[nh:] = rng.random(ndup) < 0.35
    f_typo[nh:] = rng.random(ndup) < 0.2
    dob_missing = rng.random(nn) < 0.02
    nom_dob[nh:], dup_dob_missing = _mistyped_dobs(rng, nom_dob[nh:], cfg.t0)
    dob_missing[nh:] |= dup_dob_missing
    share_pnc = rng.random(ndup) < 0.5
    h.has_pnc[dup_h[share_pnc]] = True
    nom_has_pnc = h.has_pnc[nom_human].copy()
    nom_has_pnc[nh:] = share_pnc
    return Nominals(
        human=nom_human, is_dup=np.concatenate([np.zeros(nh, bool), np.ones(ndup, bool)]),
        gender=nom_gender, dob=nom_dob, dob_missing=dob_missing,
        surname=h.surname[nom_human].copy(), forename=h.forename[nom_human].copy(),
        s_typo=s_typo, f_typo=f_typo, female_name=h.female_name[nom_human],
        has_pnc=nom_has_pnc, of_involvement=inv_nom,
    )


def person_order(inv: Involvements, noms: Nominals) -> tuple[np.ndarray, np.ndarray]:
    """Nominals ordered by first appearance (day, then nominal index): `order` (nominal of
    each person number) and `rank` (person number of each nominal, 0-based)."""
    nn = noms.n
    inv_nom = noms.of_involvement
    o = np.lexsort((inv.day, inv_nom))
    firsts = group_first(inv_nom[o])
    first_inv = o[firsts]
    assert len(first_inv) == nn, "every nominal must be referenced"
    first_day_nom = inv.day[first_inv]
    p_order = np.lexsort((np.arange(nn), first_day_nom))
    p_rank = np.empty(nn, dtype=np.int64)
    p_rank[p_order] = np.arange(nn)
    return p_order, p_rank


def issue_pnc_ids(rng: np.random.Generator, cfg: Config, h: Humans, inv: Involvements,
                  pnc_next: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PNC (year, number) per human holding one: the year of the person's first record (after
    age 14, before their first incident here), then a number issued in sequence within that
    year (with gaps for the people outside this data). `pnc_next` (last number issued per
    year since PNC_YEAR0) runs across blocks and is updated in place, so no two humans share
    one."""
    nh, H, t0 = h.n, cfg.horizon, cfg.t0
    h_first = np.full(nh, H, dtype=np.int64)
    np.minimum.at(h_first, inv.human, inv.day)
    first_year = (h_first + t0).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970
    birth_year = (h.dob + t0).astype("datetime64[D]").astype("datetime64[Y]").astype(
        np.int64) + 1970
    lo_year = np.minimum(np.maximum(birth_year + 14, cfg.as_of.year - 25), first_year)
    h_pnc_year = lo_year + (rng.random(nh) * (first_year - lo_year + 1)).astype(np.int64)
    h_pnc_num = np.zeros(nh, dtype=np.int64)
    holders = np.flatnonzero(h.has_pnc)
    if not len(holders):  # a tiny block where nobody holds a PNC id
        return h_pnc_year, h_pnc_num
    hy = h_pnc_year[holders]
    o = np.lexsort((holders, hy))
    gaps = 1 + rng.geometric(0.15, len(o))
    yk = hy[o]
    yfirst = group_first(yk)
    csum = np.cumsum(gaps)
    run_base = np.maximum.accumulate(np.where(yfirst, csum - gaps, 0))
    nums = pnc_next[yk - PNC_YEAR0] + csum - run_base
    h_pnc_num[holders[o]] = nums
    last = np.flatnonzero(np.r_[yfirst[1:], True])
    pnc_next[yk[last] - PNC_YEAR0] = nums[last]
    return h_pnc_year, h_pnc_num
