"""Arrow tables in the input contract (incidents, persons, involvements) and the ground truth,
built from a block's arrays."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.synth.block import Block
from pipeline.synth.config import (
    AREAS,
    CAREERS,
    DASH,
    GENDERS,
    PNC_LETTERS,
    RELATIONSHIPS,
    ROLE_KINDS,
    ROLES,
    UNKNOWN_CODES,
    Config,
)


def ids(prefix: str, nums: np.ndarray, width: int = 7) -> pa.Array:
    s = pc.utf8_lpad(pc.cast(pa.array(nums, type=pa.int64()), pa.string()), width=width,
                     padding="0")
    return pc.binary_join_element_wise(prefix, s, "")


def labels(names: list[str], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes)
    idx = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.array(names, type=pa.string()).take(idx)


def dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=missing).cast(pa.date32())


def incident_table(cfg: Config, b: Block, sel: np.ndarray, cutoff: int) -> pa.Table:
    """Incidents `sel` as known on day `cutoff`: the first version unless revised by then."""
    revised = b.rev_day[sel] <= cutoff
    crime = np.where(revised, b.crime[sel], b.early_crime[sel])
    code = np.where(revised, b.code[sel], b.early_code[sel])
    dash = np.where(revised, b.dash[sel], b.early_dash[sel])
    code_labels = cfg.codes + UNKNOWN_CODES
    cidx = np.where(code >= 0, code, np.where(code <= -2, len(cfg.codes) - 2 - code, -1))
    da = b.da[sel]
    return pa.table({
        "incident_id": ids("INC", b.inc_num[sel]),
        "occurred_date": dates(b.occ[sel]),
        "record_type": labels(["non_crime", "crime"], crime.astype(np.int8)),
        "offence_code": labels(code_labels, cidx),
        "dash_risk": labels(DASH, dash),
        "domestic_abuse_flag": pa.array(da == 1, mask=da < 0),
        "area": labels(AREAS, b.area[sel]),
    })


def _pnc_ids(b: Block, sel: np.ndarray) -> pa.Array:
    """YYYY/NNNNNNNL (check letter from year and number), null without a PNC id."""
    num = b.pnc_num[sel]
    year = b.pnc_year[sel]
    letter = PNC_LETTERS[((year % 100) * 10_000_000 + num) % 23]
    pnc = pc.binary_join_element_wise(
        pc.cast(pa.array(year), pa.string()), "/",
        pc.utf8_lpad(pc.cast(pa.array(num), pa.string()), width=7, padding="0"),
        pa.array(letter), "",
    )
    return pc.if_else(pa.array(b.has_pnc[sel]), pnc, pa.scalar(None, pa.string()))


def person_table(cfg: Config, b: Block, sel: np.ndarray) -> pa.Table:
    pools = cfg.pools
    sn = pa.array(pools["surname"]).take(pa.array(b.surname[sel]))
    fem = pa.array(pools["female"]).take(pa.array(b.forename[sel]))
    mal = pa.array(pools["male"]).take(pa.array(b.forename[sel]))
    fn = pc.if_else(pa.array(b.forename_male[sel]), mal, fem)
    return pa.table({
        "person_id": ids("P", b.per_num[sel]),
        "surname": sn,
        "forenames": fn,
        "date_of_birth": dates(b.dob[sel], b.dob_missing[sel]),
        "gender": labels(GENDERS, b.gender[sel]),
        "pnc_id": _pnc_ids(b, sel),
    })


def involvement_table(b: Block, sel: np.ndarray) -> pa.Table:
    return pa.table({
        "incident_id": ids("INC", b.inc_num[b.inv_inc[sel]]),
        "person_id": ids("P", b.per_num[b.inv_per[sel]]),
        "role": labels(ROLES, b.inv_role[sel]),
        "relationship": labels(RELATIONSHIPS, b.inv_rel[sel]),
    })


def truth_table(b: Block) -> pa.Table:
    return pa.table({
        "person_id": ids("P", b.per_num),
        "human_id": ids("H", b.human_num),
        "role_kind": labels(ROLE_KINDS, b.role_kind),
        "offender_career": labels(CAREERS, b.career),
        "serial_type": pa.array(b.serial),
        "is_duplicate": pa.array(b.is_dup),
    })
