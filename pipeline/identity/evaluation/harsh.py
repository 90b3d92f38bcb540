"""A harsher copy of a synthetic extract for measuring identity resolution: every human gets a
realistic British name (with realistic frequencies, so namesakes exist), and each duplicate
nominal is recorded the way police systems do it: typos, nicknames, names swapped between the
fields, hyphenated or changed surnames, an added middle name, a missing date of birth or PNC.

It reads an extract written by `matac synth` (and its `_truth/ground_truth.parquet`), keeps
incidents, involvements, dates of birth and genders, and rewrites `persons`. The truth is
copied; a column `variation` says what was done to each duplicate. Deterministic for a seed.

    python -m pipeline.identity.evaluation.harsh SRC DST [--seed S]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.identity.evaluation.names import pools, title, typo

# What happens to a duplicate nominal's name (shares; the rest keeps the name as it was).
VARIATIONS = {
    "surname_typo": 0.14, "forename_typo": 0.10, "nickname": 0.10, "swapped_fields": 0.05,
    "hyphenated_surname": 0.05, "changed_surname": 0.04, "middle_name": 0.05, "both_typos": 0.03,
}
DROP_DOB = {"victim": 0.35, "other": 0.15}  # duplicates losing their date of birth
DROP_PNC = 0.3                               # duplicates losing a PNC id they carried


def _humans(truth: pa.Table, persons: pa.Table, rng: np.random.Generator) -> dict:
    """A realistic name per human; relatives who shared a surname in the source still do."""
    p = pools()
    src_surname = {}
    for pid, sn, dup in zip(persons["person_id"].to_pylist(), persons["surname"].to_pylist(),
                            _is_dup(truth, persons)):
        if not dup:
            src_surname[pid] = sn
    names: dict[str, tuple[str, str]] = {}
    core_map: dict[str, str] = {}
    genders = dict(zip(persons["person_id"].to_pylist(), persons["gender"].to_pylist()))
    for pid, hid in sorted(zip(truth["person_id"].to_pylist(), truth["human_id"].to_pylist())):
        if hid in names or pid not in src_surname:
            continue
        core = src_surname[pid] or ""
        if core not in core_map:
            core_map[core] = p.surnames[int(rng.choice(len(p.surnames), p=p.surname_p))]
        g = genders.get(pid) or ""
        female = g == "female" or (g not in ("male",) and rng.random() < 0.5)
        pool, prob = (p.female, p.female_p) if female else (p.male, p.male_p)
        names[hid] = (pool[int(rng.choice(len(pool), p=prob))], core_map[core])
    return names


def _is_dup(truth: pa.Table, persons: pa.Table) -> list[bool]:
    dup = dict(zip(truth["person_id"].to_pylist(), truth["is_duplicate"].to_pylist()))
    return [bool(dup.get(pid)) for pid in persons["person_id"].to_pylist()]


def _vary(rng: np.random.Generator, forename: str, surname: str) -> tuple[str, str, str]:
    p = pools()
    kinds = list(VARIATIONS)
    shares = np.array([VARIATIONS[k] for k in kinds])
    u = rng.random()
    cum = np.cumsum(shares)
    kind = kinds[int(np.searchsorted(cum, u))] if u < cum[-1] else "same"
    if kind == "surname_typo":
        surname = typo(rng, surname)
    elif kind == "forename_typo":
        forename = typo(rng, forename)
    elif kind == "both_typos":
        forename, surname = typo(rng, forename), typo(rng, surname)
    elif kind == "nickname":
        options = p.nicknames.get(forename)
        if options:
            forename = options[int(rng.integers(0, len(options)))]
        else:
            kind = "same"
    elif kind == "swapped_fields":
        forename, surname = surname, forename
    elif kind == "hyphenated_surname":
        other = p.surnames[int(rng.choice(len(p.surnames), p=p.surname_p))]
        surname = f"{surname}-{other}" if rng.random() < 0.5 else f"{other}-{surname}"
    elif kind == "changed_surname":
        surname = p.surnames[int(rng.choice(len(p.surnames), p=p.surname_p))]
    elif kind == "middle_name":
        pool = p.female if rng.random() < 0.5 else p.male
        forename = f"{forename} {pool[int(rng.integers(0, len(pool)))]}"
    return forename, surname, kind


def rewrite(src: Path, dst: Path, seed: int = 1) -> dict:
    """Write the harsher copy of extract `src` to `dst`; returns counts per variation."""
    rng = np.random.Generator(np.random.PCG64(seed))
    truth = pq.read_table(src / "_truth" / "ground_truth.parquet")
    opts = pacsv.ConvertOptions(column_types={c: pa.string() for c in (
        "person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id")})
    persons = pacsv.read_csv(src / "persons.csv", convert_options=opts)
    names = _humans(truth, persons, rng)
    human = dict(zip(truth["person_id"].to_pylist(), truth["human_id"].to_pylist()))
    kind_of = dict(zip(truth["person_id"].to_pylist(), truth["role_kind"].to_pylist()))
    dup = _is_dup(truth, persons)
    rows = persons.to_pylist()
    variation: dict[str, str] = {}
    for row, is_dup in zip(rows, dup):
        forename, surname = names[human[row["person_id"]]]
        if is_dup:
            forename, surname, kind = _vary(rng, forename, surname)
            variation[row["person_id"]] = kind
            role = "victim" if kind_of[row["person_id"]] == "victim" else "other"
            if rng.random() < DROP_DOB[role]:
                row["date_of_birth"] = None
            if row["pnc_id"] and rng.random() < DROP_PNC:
                row["pnc_id"] = None
        row["forenames"], row["surname"] = title(forename), title(surname)
    dst.mkdir(parents=True, exist_ok=True)
    for name in ("incidents.csv", "involvements.csv"):
        shutil.copyfile(src / name, dst / name)
    pacsv.write_csv(pa.Table.from_pylist(rows, schema=persons.schema), dst / "persons.csv")
    (dst / "_truth").mkdir(exist_ok=True)
    kinds = [variation.get(pid, "") for pid in truth["person_id"].to_pylist()]
    pq.write_table(truth.append_column("variation", pa.array(kinds)),
                   dst / "_truth" / "ground_truth.parquet")
    counts: dict[str, int] = {}
    for k in variation.values():
        counts[k] = counts.get(k, 0) + 1
    return dict(sorted(counts.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(rewrite(args.src, args.dst, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
