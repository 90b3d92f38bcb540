"""Who is involved in each incident: the suspect/offender and the victim of its dyad (with
counter-allegations now and then), an occasional child victim under 16, some co-suspects,
witnesses and 'other' roles. Involvements refer to humans (local index) here; duplicate nominal
records are chosen later (identities.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.careers import Careers
from pipeline.synth.config import (
    KIND_FAMILY,
    KIND_INTIMATE,
    KIND_OTHER,
    R_OFFENDER,
    R_OTHER,
    R_SUSPECT,
    R_VICTIM,
    R_WITNESS,
    REL_EX,
    REL_FAMILY,
    REL_PARTNER,
    Config,
)
from pipeline.synth.draws import pick
from pipeline.synth.incidents import Offences
from pipeline.synth.perpetrators import Dyads, Perpetrators


@dataclass
class OtherPeople:
    """Humans besides perpetrators and their victims, by the incidents they appear in: child
    victims (some dyads have a child; `child_of_incident` numbers the child of each incident
    in `child_inc`) and one new co-suspect, witness or 'other' per incident flagged in
    `co_inc`, `wit_inc`, `oth_inc`. Their local human indexes start at the `base_*` values,
    in that order, up to `n_humans`."""

    child_inc: np.ndarray
    child_dyads: np.ndarray
    child_of_incident: np.ndarray
    co_inc: np.ndarray
    wit_inc: np.ndarray
    oth_inc: np.ndarray
    base_child: int
    base_cosuspect: int
    base_witness: int
    base_other: int
    n_humans: int


@dataclass
class Involvements:
    """One row per (incident, human, role): incident (career index), human (local index),
    role (ROLES), relationship of a victim to the suspect (RELATIONSHIPS, -1 blank) and the
    incident's occurrence day (relative)."""

    inc: np.ndarray
    human: np.ndarray
    role: np.ndarray
    rel: np.ndarray
    day: np.ndarray


def draw_other_people(rng: np.random.Generator, car: Careers, perps: Perpetrators,
                      dyads: Dyads) -> OtherPeople:
    n = len(car.perp)
    inc_dyad = dyads.of_incident
    # children: some dyads have a child who is sometimes a victim too
    dyad_has_child = (rng.random(len(dyads.perp)) < 0.35) & (dyads.kind != KIND_OTHER)
    child_inc = dyad_has_child[inc_dyad] & (rng.random(n) < 0.08)
    child_dyads, inc_child = np.unique(inc_dyad[child_inc], return_inverse=True)
    co_inc = rng.random(n) < np.where(perps.kind[car.perp] == KIND_INTIMATE, 0.02, 0.06)
    wit_inc = rng.random(n) < 0.18
    oth_inc = rng.random(n) < 0.04
    base_c = car.m + dyads.n_victims
    base_co = base_c + len(child_dyads)
    base_w = base_co + int(co_inc.sum())
    base_o = base_w + int(wit_inc.sum())
    return OtherPeople(
        child_inc=child_inc, child_dyads=child_dyads, child_of_incident=inc_child,
        co_inc=co_inc, wit_inc=wit_inc, oth_inc=oth_inc, base_child=base_c,
        base_cosuspect=base_co, base_witness=base_w, base_other=base_o,
        n_humans=base_o + int(oth_inc.sum()),
    )


def _victim_relationships(rng: np.random.Generator, cfg: Config, dyad_kind: np.ndarray,
                          code: np.ndarray) -> np.ndarray:
    """Relationship of the victim to the suspect, per incident (-1 blank)."""
    n = len(dyad_kind)
    rel_v = np.where(
        dyad_kind == KIND_INTIMATE,
        pick(rng, n, [0.62, 0.35, 0.0, 0.0, 0.02, 0.01]),
        np.where(dyad_kind == KIND_FAMILY,
                 pick(rng, n, [0.0, 0.0, 0.96, 0.0, 0.03, 0.01]),
                 pick(rng, n, [0.0, 0.0, 0.0, 0.7, 0.29, 0.01])),
    )
    # harassment, stalking and breaches are more often against an ex-partner
    exish = np.isin(code, [cfg.codes.index(c) for c in ("8L", "8Q", "BREACH") if c in cfg.codes])
    rel_v = np.where((rel_v == REL_PARTNER) & exish & (rng.random(n) < 0.6), REL_EX, rel_v)
    return np.where(rel_v == 5, -1, rel_v)


def draw_involvements(rng: np.random.Generator, cfg: Config, car: Careers, dyads: Dyads,
                      off: Offences, others: OtherPeople) -> Involvements:
    perp, n = car.perp, len(car.perp)
    inc_dyad = dyads.of_incident
    inc_idx = np.arange(n, dtype=np.int64)
    role_p = np.where(off.crime & (rng.random(n) < 0.28), R_OFFENDER, R_SUSPECT)
    rel_v = _victim_relationships(rng, cfg, dyads.kind[inc_dyad], off.code)
    # counter-allegations: in a few low-level partner incidents the usual victim is recorded
    # as the suspect and the perpetrator as the victim (people with both roles)
    counter = (dyads.kind[inc_dyad] == KIND_INTIMATE) & (off.sev <= 1) & (rng.random(n) < 0.03)
    susp_h = np.where(counter, dyads.victim[inc_dyad], perp)
    vict_h = np.where(counter, perp, dyads.victim[inc_dyad])
    role_p = np.where(counter, R_SUSPECT, role_p)
    inc_child = others.child_of_incident
    nc = len(inc_child)
    parts = [
        (inc_idx, susp_h, role_p, np.full(n, -1)),
        (inc_idx, vict_h, np.full(n, R_VICTIM), rel_v),
        (inc_idx[others.child_inc], others.base_child + inc_child, np.full(nc, R_VICTIM),
         np.full(nc, REL_FAMILY)),
    ]
    for mask, base, role in ((others.co_inc, others.base_cosuspect, R_SUSPECT),
                             (others.wit_inc, others.base_witness, R_WITNESS),
                             (others.oth_inc, others.base_other, R_OTHER)):
        cnt = int(mask.sum())
        parts.append((inc_idx[mask], base + np.arange(cnt), np.full(cnt, role), np.full(cnt, -1)))
    inv_inc = np.concatenate([p[0] for p in parts]).astype(np.int64)
    return Involvements(
        inc=inv_inc,
        human=np.concatenate([p[1] for p in parts]).astype(np.int64),
        role=np.concatenate([p[2] for p in parts]).astype(np.int8),
        rel=np.concatenate([p[3] for p in parts]).astype(np.int8),
        day=car.occ[inv_inc],
    )
