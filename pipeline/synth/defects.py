"""Dirty data: defects injected at about ``dirty`` per row per table, each one listed in
``_truth/defects.csv`` (row = 1-based data row in the written file, 0 = header), plus tolerated
variation that is not a defect (UK and timed dates in CSV).

Every choice is drawn from the chunk's own stream in row order; changing the order of draws
changes the output."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.synth.draws import pick
from pipeline.synth.names import FORENAME_MARK, SYLLABLES

DEFECT_KINDS = [
    "unparseable_date", "blank_required", "unknown_enum", "duplicate_id", "orphan_reference",
    "bad_optional", "enum_case_space", "header_case_space",
]
_BAD_DATES = ["31/02/{y}", "{y}-13-01", "n/a", "30/02/{y}", "{y}-00-10", "unknown",
              "32/01/{y}", "{y}-02-30"]
# per table: the defect kinds a data row may get, with their relative weights
_ROW_DEFECTS = {
    "incidents": (["unparseable_date", "blank_required", "unknown_enum", "duplicate_id",
                   "bad_optional", "enum_case_space"], [0.2, 0.15, 0.15, 0.1, 0.2, 0.2]),
    "persons": (["unparseable_date", "blank_required", "duplicate_id", "bad_optional",
                 "enum_case_space"], [0.2, 0.15, 0.15, 0.25, 0.25]),
    "involvements": (["blank_required", "unknown_enum", "orphan_reference", "bad_optional",
                      "enum_case_space"], [0.15, 0.2, 0.2, 0.15, 0.3]),
}
_DATE_COLUMN = {"incidents": "occurred_date", "persons": "date_of_birth"}
_BLANKABLE = {"incidents": ["incident_id", "incident_id", "occurred_date", "record_type"],
              "persons": ["person_id"],
              "involvements": ["incident_id", "person_id", "role"]}
# (column, wrong values) per table
_UNKNOWN_ENUM = {"incidents": ("record_type", ["crme", "incident", "NCI", "tbc"]),
                 "involvements": ("role", ["suspcet", "vicitm", "perp", "wittness"])}
_BAD_OPTIONAL = {"incidents": ("dash_risk", ["hgih", "v.high", "meduim", "3"]),
                 "persons": ("gender", ["x", "F?", "9", "mle"]),
                 "involvements": ("relationship", ["partnr", "husbnd", "exx", "?"])}
_CASE_SPACE = {"incidents": "record_type", "persons": "gender", "involvements": "role"}


@dataclass
class DirtyCtx:
    rng: np.random.Generator
    rate: float
    fmt: str
    n_incidents: int
    person_bound: int


def _choice(rng: np.random.Generator, options: list):
    return options[int(rng.integers(0, len(options)))]


def _mixed_case(rng: np.random.Generator, value: str) -> str:
    v = int(rng.integers(0, 4))
    if v == 0:
        return value.upper()
    if v == 1:
        return " " + value.capitalize() + " "
    if v == 2:
        return value.title()
    return value.capitalize() + " "


def header_variants(rng: np.random.Generator, cols: list[str]) -> tuple[list[str], list[tuple]]:
    """The header with ~30% of its names (at least one) in another case or with spaces, and
    the changes as (0, column, "header_case_space", written name)."""
    out, changed = [], []
    chosen = rng.random(len(cols)) < 0.3
    if not chosen.any():
        chosen[int(rng.integers(0, len(cols)))] = True
    for c, p in zip(cols, chosen.tolist(), strict=True):
        if p:
            v = int(rng.integers(0, 4))
            h = [c.upper(), " " + c.title(), c.title() + " ", " " + c + " "][v]
            out.append(h)
            changed.append((0, c, "header_case_space", h))
        else:
            out.append(c)
    return out, changed


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


def _row_defect(kind: str, table: str, py: dict[str, np.ndarray], r: int,
                ctx: DirtyCtx) -> tuple[str, str | None] | None:
    """(column, new value) of a defect of `kind` in row r; None when the row cannot have it."""
    rng = ctx.rng
    if kind == "unparseable_date":
        col = _DATE_COLUMN[table]
        cur = py[col][r] or ""
        y = cur[:4] if cur[:4].isdigit() else cur[6:10] if cur[6:10].isdigit() else "2024"
        return col, _choice(rng, _BAD_DATES).format(y=y)
    if kind == "blank_required":
        return _choice(rng, _BLANKABLE[table]), None
    if kind == "orphan_reference":
        if rng.random() < 0.5:
            return "incident_id", f"INC{ctx.n_incidents + 1 + int(rng.integers(0, 1_000_000)):07d}"
        return "person_id", f"P{ctx.person_bound + 1 + int(rng.integers(0, 1_000_000)):07d}"
    if kind == "enum_case_space":
        col = _CASE_SPACE[table]
        cur = py[col][r]
        if cur is None and table == "persons":
            return None
        return col, _mixed_case(rng, cur)
    col, wrong = (_UNKNOWN_ENUM if kind == "unknown_enum" else _BAD_OPTIONAL)[table]
    return col, _choice(rng, wrong)


def _conflicting_copies(rng: np.random.Generator, table: str, py: dict[str, np.ndarray],
                        cols: dict[str, pa.Array], found: list[tuple], dups: list[int],
                        n: int) -> tuple[dict[str, np.ndarray], list[tuple]]:
    """Insert a second, conflicting row with the same id right after each row in `dups`
    (incidents: other record type/offence/DASH; persons: other forename, no date of birth).
    Moves the rows of `found` to their new positions and adds the copies."""
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
        if table == "incidents":
            flip = py["record_type"][p] != "crime"
            py["record_type"][p] = "crime" if flip else "non_crime"
            py["offence_code"][p] = "105A" if flip else None
            py["dash_risk"][p] = _choice(rng, ["standard", "medium", "high"])
            found.append((p, "incident_id", "duplicate_id", py["incident_id"][p]))
        else:
            pool = _choice(rng, SYLLABLES)
            py["forenames"][p] = FORENAME_MARK + pool.capitalize() + "ra"
            py["date_of_birth"][p] = None
            found.append((p, "person_id", "duplicate_id", py["person_id"][p]))
    found.sort(key=lambda t: t[0])
    return py, found


def inject_defects(table: str, tbl: pa.Table, ctx: DirtyCtx) -> tuple[pa.Table, list[tuple]]:
    """Inject defects into one chunk. Returns the new table and (row0, column, kind, value)
    with row0 the 0-based row in the returned chunk."""
    rng = ctx.rng
    cols = {name: tbl.column(name).combine_chunks() for name in tbl.column_names}
    for dname in ("occurred_date", "date_of_birth"):
        if dname in cols:
            cols[dname] = _legal_date_variants(rng, cols[dname], ctx.fmt)
    py = {name: np.array(col.to_pylist(), dtype=object) for name, col in cols.items()
          if name != "domestic_abuse_flag"}
    rows = np.flatnonzero(rng.random(tbl.num_rows) < ctx.rate)
    kinds, weights = _ROW_DEFECTS[table]
    kind_of = pick(rng, len(rows), weights)
    found: list[tuple] = []
    dups: list[int] = []
    for r, ki in zip(rows.tolist(), kind_of.tolist(), strict=True):
        kind = kinds[ki]
        if kind == "duplicate_id":  # a second, conflicting row with the same id follows
            dups.append(r)
            continue
        defect = _row_defect(kind, table, py, r, ctx)
        if defect is None:
            continue
        col, val = defect
        py[col][r] = val
        found.append((r, col, kind, val))
    if dups:
        py, found = _conflicting_copies(rng, table, py, cols, found, dups, tbl.num_rows)
    out = {}
    for name in tbl.column_names:
        if name == "domestic_abuse_flag":
            out[name] = cols[name]
        else:
            out[name] = pa.array(py[name].tolist(), type=pa.string())
    return pa.table(out), found
