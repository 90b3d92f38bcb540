"""Realistic British names with realistic frequencies (so namesakes exist: many Sarah Smiths,
some born the same year), each with one typo variant for duplicate records.

The frequent names come from `reference/names/*.csv` (people per 100,000, rounded); the long
tail of rarer surnames is composed from common English surname parts (Ash+worth, Brad+ley), so
that string similarity between different people is as high as in real data. Fixed
(seed-independent) pools; `name_weights` gives the frequency of each name."""

from __future__ import annotations

import csv
from functools import lru_cache

import numpy as np

from pipeline.core.settings import REPO_ROOT

NAMES_DIR = REPO_ROOT / "reference" / "names"
# Used by the defects only: a conflicting duplicate row gets an obviously made-up forename.
SYLLABLES = ["ka", "lo", "mir", "ven", "dra", "sel", "tor", "bri", "nox", "pel", "qua", "ris"]
FORENAME_MARK = "Synthforename-"
_HEADS = ("ash", "brad", "ald", "black", "bright", "whit", "hol", "wood", "mar", "kings", "craw",
          "hather", "staf", "pem", "rad", "wen", "thorn", "brom", "cal", "dal", "eas", "fair",
          "gold", "hart", "lang", "mid", "nor", "ox", "pen", "red", "shel", "tad", "wal", "win",
          "hay", "brier", "crom", "dun", "ever", "fen", "gar", "hul", "ken", "lind", "mel")
_TAILS = ("ley", "ton", "worth", "ford", "field", "well", "by", "ham", "son", "man", "er",
          "wood", "ridge", "combe", "stead", "croft", "dale", "more", "bury", "wick", "hurst",
          "land", "ing", "kins", "cock", "ett")
TAIL_SHARE = 0.62  # share of people whose surname is outside the frequent list


def _read(name: str) -> tuple[list[str], np.ndarray]:
    with open(NAMES_DIR / name, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    weights = np.array([float(r["per_100k"]) for r in rows])
    return [r["name"].strip() for r in rows], weights / weights.sum()


def title(name: str) -> str:
    """smith -> Smith, o'brien -> O'Brien, smith-jones -> Smith-Jones."""
    out, up = [], True
    for ch in name:
        out.append(ch.upper() if up else ch)
        up = ch in "-' "
    return "".join(out)


def typo(rng: np.random.Generator, name: str) -> str:
    """One keying error: two letters swapped, one dropped, doubled or replaced."""
    if len(name) < 3:
        return name + "e"
    i = int(rng.integers(1, len(name) - 1))
    op = int(rng.integers(0, 4))
    if op == 0:
        s = name[:i] + name[i + 1] + name[i] + name[i + 2:]
    elif op == 1:
        s = name[:i] + name[i + 1:]
    elif op == 2:
        s = name[:i] + name[i] + name[i:]
    else:
        s = name[:i] + ("e" if name[i] != "e" else "a") + name[i + 1:]
    return s if s != name else name + "e"


@lru_cache(maxsize=1)
def realistic() -> dict[str, tuple[list[str], np.ndarray]]:
    """name -> (names in lower case, frequencies) for "surname", "female", "male" (the two
    forename lists cut to one length: a forename index serves either)."""
    common, common_p = _read("surnames.csv")
    tail = sorted({h + t + e for h in _HEADS for t in _TAILS for e in ("", "s")} - set(common))
    tail_p = 1.0 / np.arange(1, len(tail) + 1) ** 0.2
    order = np.random.Generator(np.random.PCG64(1871)).permutation(len(tail))
    surnames = common + [tail[i] for i in order]
    p = np.concatenate([common_p * (1 - TAIL_SHARE), tail_p / tail_p.sum() * TAIL_SHARE])
    female, fp = _read("forenames_female.csv")
    male, mp = _read("forenames_male.csv")
    n = min(len(female), len(male))
    return {"surname": (surnames, p), "female": (female[:n], fp[:n] / fp[:n].sum()),
            "male": (male[:n], mp[:n] / mp[:n].sum())}


def name_pools() -> dict[str, list[str]]:
    """Pools "surname", "female", "male": the names, then their typo variants in the same
    order (variant of name i at i + len(pool) // 2)."""
    rng = np.random.Generator(np.random.PCG64(20261031))
    return {key: [title(v) for v in names] + [title(typo(rng, v)) for v in names]
            for key, (names, _p) in realistic().items()}


def name_weights() -> dict[str, np.ndarray]:
    """The frequency of each name of the pools' first halves."""
    return {key: p for key, (_names, p) in realistic().items()}
