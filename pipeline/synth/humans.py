"""Attributes of every human of a block (local index: perpetrators, victims, children,
co-suspects, witnesses, others): gender, date of birth, surname and forename (pool indexes),
whether they hold a PNC id, and the truth labels (role kind, career, serial type)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.careers import Careers
from pipeline.synth.config import (
    G_FEMALE,
    G_MALE,
    K_CHILD,
    K_COSUSPECT,
    K_OTHER,
    K_PERP,
    K_VICTIM,
    K_WITNESS,
    KIND_FAMILY,
    Config,
)
from pipeline.synth.draws import pick
from pipeline.synth.involvements import OtherPeople
from pipeline.synth.perpetrators import Dyads, Perpetrators, Victims


@dataclass
class Humans:
    """Per human: gender (GENDERS), dob (relative day), role_kind (ROLE_KINDS), career
    (CAREERS, -1 none), surname / forename (index into the first half of their pool),
    female_name (forename from the female pool), has_pnc, serial (truth: a repeat perpetrator
    against two or more victims)."""

    gender: np.ndarray
    dob: np.ndarray
    role_kind: np.ndarray
    career: np.ndarray
    surname: np.ndarray
    p_pnc: np.ndarray
    has_pnc: np.ndarray | None = None
    female_name: np.ndarray | None = None
    forename: np.ndarray | None = None
    serial: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.gender)


def _set_group(h: Humans, sl: slice, gender, dob, role_kind: int, p_pnc: float) -> None:
    h.gender[sl] = gender
    h.dob[sl] = dob
    h.role_kind[sl] = role_kind
    h.p_pnc[sl] = p_pnc


def _children(rng: np.random.Generator, h: Humans, car: Careers, dyads: Dyads,
              others: OtherPeople, horizon: int) -> None:
    """Children under 16 at their first incident; the surname of either parent."""
    sl = slice(others.base_child, others.base_cosuspect)
    nc = len(others.child_dyads)
    cd_first = np.full(nc, horizon, dtype=np.int64)
    np.minimum.at(cd_first, others.child_of_incident, car.occ[others.child_inc])
    _set_group(h, sl, pick(rng, nc, [0.5, 0.5]),
               cd_first - (rng.uniform(0.2, 15.5, nc) * 365.25).astype(np.int64), K_CHILD, 0.02)
    c_perp = dyads.perp[others.child_dyads]
    c_vict = dyads.victim[others.child_dyads]
    h.surname[sl] = np.where(rng.random(nc) < 0.6, h.surname[c_perp], h.surname[c_vict])


def _cosuspects(rng: np.random.Generator, h: Humans, car: Careers, perps: Perpetrators,
                others: OtherPeople) -> None:
    """Co-suspects of about the perpetrator's age; in family cases often a relative."""
    sl = slice(others.base_cosuspect, others.base_witness)
    co_inc = others.co_inc
    nco = others.base_witness - others.base_cosuspect
    co_perp = car.perp[co_inc]
    gender = pick(rng, nco, [0.3, 0.68, 0.005, 0.015])
    co_age = np.maximum((car.occ[co_inc] - perps.dob[co_perp]) / 365.25 + rng.normal(0, 8, nco),
                        14.0)
    _set_group(h, sl, gender, car.occ[co_inc] - (co_age * 365.25).astype(np.int64),
               K_COSUSPECT, 0.45)
    h.surname[sl] = np.where((perps.kind[co_perp] == KIND_FAMILY) & (rng.random(nco) < 0.7),
                             h.surname[co_perp], h.surname[sl])


def _witnesses_and_others(rng: np.random.Generator, h: Humans, car: Careers,
                          others: OtherPeople) -> None:
    for sl, mask, rk in ((slice(others.base_witness, others.base_other), others.wit_inc,
                          K_WITNESS),
                         (slice(others.base_other, others.n_humans), others.oth_inc, K_OTHER)):
        cnt = sl.stop - sl.start
        gender = pick(rng, cnt, [0.52, 0.46, 0.005, 0.015])
        age = 18.0 + rng.gamma(2.0, 11.0, cnt)
        kid = rng.random(cnt) < (0.12 if rk == K_WITNESS else 0.03)
        age[kid] = rng.uniform(5, 16, int(kid.sum()))
        _set_group(h, sl, gender, car.occ[mask] - (np.minimum(age, 95) * 365.25).astype(np.int64),
                   rk, 0.08 if rk == K_WITNESS else 0.15)


def draw_humans(rng: np.random.Generator, cfg: Config, car: Careers, perps: Perpetrators,
                dyads: Dyads, victims: Victims, others: OtherPeople) -> Humans:
    nh, m = others.n_humans, car.m
    h = Humans(
        gender=np.empty(nh, dtype=np.int8), dob=np.empty(nh, dtype=np.int64),
        role_kind=np.empty(nh, dtype=np.int8), career=np.full(nh, -1, dtype=np.int8),
        surname=rng.choice(len(cfg.name_p["surname"]), nh, p=cfg.name_p["surname"]),
        p_pnc=np.empty(nh),
    )
    _set_group(h, slice(0, m), perps.gender, perps.dob, K_PERP,
               np.array([0.55, 0.7, 0.88])[car.type])
    h.career[:m] = car.type
    sl = slice(m, others.base_child)
    _set_group(h, sl, victims.gender, victims.dob, K_VICTIM, 0.2)
    h.surname[sl] = np.where(victims.shares_surname, h.surname[victims.perp], h.surname[sl])
    _children(rng, h, car, dyads, others, cfg.horizon)
    _cosuspects(rng, h, car, perps, others)
    _witnesses_and_others(rng, h, car, others)
    h.has_pnc = rng.random(nh) < h.p_pnc
    h.female_name = np.where(h.gender == G_FEMALE, True,
                             np.where(h.gender == G_MALE, False, rng.random(nh) < 0.5))
    h.forename = np.where(
        h.female_name, rng.choice(len(cfg.name_p["female"]), nh, p=cfg.name_p["female"]),
        rng.choice(len(cfg.name_p["male"]), nh, p=cfg.name_p["male"]))
    # serial-type truth: a repeat perpetrator with >= 2 distinct victims over the history
    pv = np.unique(dyads.perp * (nh + 1) + dyads.victim)
    n_victims = np.bincount(pv // (nh + 1), minlength=m)
    h.serial = np.zeros(nh, dtype=bool)
    h.serial[:m] = (car.count >= 2) & (n_victims >= 2)
    return h
