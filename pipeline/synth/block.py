"""One block of careers with everything that hangs off them, as flat arrays ready to be cut
into extracts (extracts.py) and written as tables (tables.py).

All draws of a block after its careers come from one stream (seed, block, 1), in the order of
the steps in `generate_block`; changing that order changes every file."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.areas import draw_areas
from pipeline.synth.careers import draw_careers
from pipeline.synth.config import Config
from pipeline.synth.draws import stream
from pipeline.synth.humans import draw_humans
from pipeline.synth.identities import Nominals, draw_nominals, issue_pnc_ids, person_order
from pipeline.synth.incidents import (
    Offences,
    Revisions,
    chronological_order,
    draw_offences,
    draw_revisions,
)
from pipeline.synth.involvements import draw_involvements, draw_other_people
from pipeline.synth.perpetrators import draw_perpetrators, draw_relationships, draw_victims


@dataclass
class Block:
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
    area: np.ndarray  # int8 index into AREAS, -1 blank
    # involvements
    inv_inc: np.ndarray  # local incident index
    inv_per: np.ndarray  # local person (nominal) index
    inv_role: np.ndarray
    inv_rel: np.ndarray
    # persons (local order = by first appearance, person_num ascending)
    per_num: np.ndarray
    human_num: np.ndarray
    surname: np.ndarray  # index into pools["surname"]
    forename: np.ndarray  # index into pools["female"] or pools["male"] (by forename_male)
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


def generate_block(cfg: Config, block: int, n_inc: int, inc_base: np.ndarray,
                   person_offset: int, human_offset: int, pnc_next: np.ndarray) -> Block:
    """One block of careers with everything that hangs off them. `inc_base[day]`: incidents
    recorded before this block's first on that day; `pnc_next` (last PNC number issued per
    year) is updated in place."""
    car = draw_careers(cfg, block, n_inc)
    rng = stream(cfg.seed, block, 1)
    perps = draw_perpetrators(rng, car)
    dyads = draw_relationships(rng, car, perps, cfg.horizon)
    victims = draw_victims(rng, dyads, perps)
    off = draw_offences(rng, cfg, car, perps)
    revs = draw_revisions(rng, cfg, car, off)
    others = draw_other_people(rng, car, perps, dyads)
    inv = draw_involvements(rng, cfg, car, dyads, off, others)
    humans = draw_humans(rng, cfg, car, perps, dyads, victims, others)
    noms = draw_nominals(rng, cfg, humans, inv)
    p_order, p_rank = person_order(inv, noms)
    h_pnc_year, h_pnc_num = issue_pnc_ids(rng, cfg, humans, inv, pnc_next)
    i_order, i_pos, inc_num = chronological_order(car.rec, inc_base)
    # involvements sorted by incident, role, person
    inv_inc = i_pos[inv.inc]
    inv_per = p_rank[noms.of_involvement]
    o = np.lexsort((inv_per, inv.role, inv_inc))
    t0 = cfg.t0
    area = draw_areas(stream(cfg.seed, block, 2), car)
    return Block(
        inc_num=inc_num, area=area[i_order],
        **_incident_fields(off, revs, t0 + car.occ, t0 + car.rec, i_order),
        inv_inc=inv_inc[o], inv_per=inv_per[o], inv_role=inv.role[o], inv_rel=inv.rel[o],
        **_person_fields(rng, cfg, noms, humans.role_kind, humans.career, humans.serial,
                         h_pnc_year, h_pnc_num, p_order),
        per_num=person_offset + 1 + np.arange(noms.n),
        human_num=(human_offset + noms.human + 1)[p_order],
        n_humans=humans.n,
    )


def _incident_fields(off: Offences, revs: Revisions, occ: np.ndarray, rec: np.ndarray,
                     order: np.ndarray) -> dict[str, np.ndarray]:
    return dict(
        occ=occ[order], rec=rec[order], crime=off.crime[order], code=off.code[order],
        dash=off.dash[order], da=off.da[order], rev_day=revs.day[order],
        early_crime=revs.early_crime[order], early_code=revs.early_code[order],
        early_dash=revs.early_dash[order],
    )


def _person_fields(rng: np.random.Generator, cfg: Config, noms: Nominals,
                   role_kind: np.ndarray, career: np.ndarray, serial: np.ndarray,
                   h_pnc_year: np.ndarray, h_pnc_num: np.ndarray,
                   order: np.ndarray) -> dict[str, np.ndarray]:
    """Per-nominal details in person-number order (1% of genders blanked here)."""
    h = noms.human
    n_surnames = len(cfg.pools["surname"]) // 2
    n_forenames = len(cfg.pools["female"]) // 2
    gender = np.where(rng.random(noms.n) < 0.01, -1, noms.gender).astype(np.int8)
    return dict(
        surname=(noms.surname + noms.s_typo * n_surnames)[order],
        forename=(noms.forename + noms.f_typo * n_forenames)[order],
        forename_male=(~noms.female_name)[order],
        dob=(noms.dob + cfg.t0)[order], dob_missing=noms.dob_missing[order],
        gender=gender[order],
        pnc_year=h_pnc_year[h][order], pnc_num=h_pnc_num[h][order],
        has_pnc=noms.has_pnc[order],
        role_kind=role_kind[h][order], career=career[h][order], serial=serial[h][order],
        is_dup=noms.is_dup[order],
    )
