"""Perpetrators, their relationships ("dyads") and their victims.

Each perpetrator has a sequence of relationships lasting months (a new victim every `dur` days
of the career); serial perpetrators move on to new partners. Some victims are re-used by another
perpetrator of the same kind (partner or family), so they are victimised by several people over
time. Humans are numbered locally: perpetrators [0, m), then victims [m, m + n_victims)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.careers import Careers
from pipeline.synth.config import (
    G_FEMALE,
    G_MALE,
    G_OTHER,
    KIND_FAMILY,
    KIND_INTIMATE,
    KIND_OTHER,
)
from pipeline.synth.draws import pick


@dataclass
class Perpetrators:
    """One row per career: relationship kind (KIND_*), date of birth (relative day), gender
    and `harm` (how steeply a chronic offender escalates)."""

    kind: np.ndarray
    dob: np.ndarray
    gender: np.ndarray
    harm: np.ndarray


@dataclass
class Dyads:
    """One row per relationship: its perpetrator, kind, first incident day and victim (local
    human index); `fresh` marks the dyads whose victim is new (not re-used). `of_incident` is
    the dyad of each incident."""

    of_incident: np.ndarray
    perp: np.ndarray
    kind: np.ndarray
    first_day: np.ndarray
    victim: np.ndarray
    fresh: np.ndarray
    n_victims: int


@dataclass
class Victims:
    """One row per fresh dyad (victims in local human order): the perpetrator who first
    victimised them, date of birth, gender, and whether they share the perpetrator's surname."""

    perp: np.ndarray
    dob: np.ndarray
    gender: np.ndarray
    shares_surname: np.ndarray


def draw_perpetrators(rng: np.random.Generator, car: Careers) -> Perpetrators:
    m = car.m
    kind = np.where(
        car.type == 2, pick(rng, m, [0.85, 0.12, 0.03]), pick(rng, m, [0.74, 0.21, 0.05])
    ).astype(np.int8)
    first_day = car.occ[np.concatenate(([0], np.cumsum(car.count)[:-1]))]
    age0 = 16.0 + rng.gamma(2.0, 7.5, m)
    young = (kind == KIND_FAMILY) & (rng.random(m) < 0.04)
    age0[young] = 14.0 + rng.random(int(young.sum())) * 2.0
    age0 = np.minimum(age0, 85.0)
    dob = first_day - (age0 * 365.25).astype(np.int64)
    gender = np.where(
        kind == KIND_INTIMATE, pick(rng, m, [0.18, 0.80, 0.005, 0.015]),
        np.where(kind == KIND_FAMILY, pick(rng, m, [0.30, 0.68, 0.005, 0.015]),
                 pick(rng, m, [0.28, 0.70, 0.005, 0.015])),
    ).astype(np.int8)
    harm = rng.uniform(0.5, 1.6, m)
    return Perpetrators(kind=kind, dob=dob, gender=gender, harm=harm)


def _reused_victims(rng: np.random.Generator, dyad_perp: np.ndarray, dyad_kind: np.ndarray,
                    dyad_first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which dyads re-use the victim of an earlier-met dyad of the same kind (`reuse`), and
    the dyad whose victim each dyad has (`src`, itself when fresh)."""
    nd = len(dyad_perp)
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
    return reuse, dyad_src


def draw_relationships(rng: np.random.Generator, car: Careers, perps: Perpetrators,
                       horizon: int) -> Dyads:
    """A new victim every `dur` days of the career (long for family, short for partners)."""
    m, perp, kind = car.m, car.perp, perps.kind
    dur = np.where(
        kind == KIND_INTIMATE, rng.lognormal(np.log(270.0), 0.7, m),
        np.where(kind == KIND_FAMILY, rng.lognormal(np.log(2000.0), 0.8, m),
                 rng.lognormal(np.log(365.0), 0.7, m)),
    )
    phase = rng.random(m) * dur
    slot = np.floor((car.time + phase[perp]) / dur[perp]).astype(np.int64)
    dkey = perp * 1_000_000 + slot
    ukeys, inc_dyad = np.unique(dkey, return_inverse=True)
    nd = len(ukeys)
    dyad_perp = ukeys // 1_000_000
    dyad_kind = kind[dyad_perp]
    dyad_first = np.full(nd, horizon, dtype=np.int64)
    np.minimum.at(dyad_first, inc_dyad, car.occ)
    reuse, dyad_src = _reused_victims(rng, dyad_perp, dyad_kind, dyad_first)
    fresh = ~reuse
    victim_of_fresh = np.cumsum(fresh) - 1  # victim number for fresh dyads
    return Dyads(
        of_incident=inc_dyad, perp=dyad_perp, kind=dyad_kind, first_day=dyad_first,
        victim=m + victim_of_fresh[dyad_src], fresh=fresh, n_victims=int(fresh.sum()),
    )


def draw_victims(rng: np.random.Generator, dyads: Dyads, perps: Perpetrators) -> Victims:
    """Ages follow the relationship (partner near the perpetrator's age; parent, sibling,
    child or other relative for family); partners are mostly of the opposite gender."""
    nv = dyads.n_victims
    fd = np.flatnonzero(dyads.fresh)
    fp = dyads.perp[fd]
    fk = dyads.kind[fd]
    perp_age_at = (dyads.first_day[fd] - perps.dob[fp]) / 365.25
    fam_sub = pick(rng, nv, [0.5, 0.25, 0.15, 0.10])  # parent, sibling, child, other relative
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
    ppg = perps.gender[fp]
    opp = np.where(ppg == G_MALE, G_FEMALE, G_MALE)
    v_gender = np.where(
        fk == KIND_INTIMATE,
        np.where(
            ppg <= G_MALE,
            np.where(rng.random(nv) < 0.93, opp, np.where(rng.random(nv) < 0.8, ppg, G_OTHER)),
            pick(rng, nv, [0.6, 0.4]),
        ),
        pick(rng, nv, [0.6, 0.39, 0.005, 0.005]),
    ).astype(np.int8)
    shares = rng.random(nv) < np.where(fam, 0.8, np.where(fk == KIND_INTIMATE, 0.3, 0.05))
    return Victims(
        perp=fp, dob=dyads.first_day[fd] - (v_age * 365.25).astype(np.int64), gender=v_gender,
        shares_surname=shares,
    )
