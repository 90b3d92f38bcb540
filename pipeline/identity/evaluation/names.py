"""Realistic British names for synthetic nominals: surnames and forenames drawn with their
frequencies in the population (so namesakes exist: many Sarah Smiths, some born the same year),
and the ways a police system records one person differently: typos, nicknames, names in the
wrong fields, hyphenated or changed surnames, an added middle name.

The frequent names come from `reference/names/*.csv` (people per 100,000, rounded); the long
tail of rarer surnames is composed from common English surname parts (Ash+worth, Brad+ley), so
that string similarity between different people is as high as it is in real data.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from pipeline.core.settings import REPO_ROOT

NAMES_DIR = REPO_ROOT / "reference" / "names"
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
    names = [r["name"].strip() for r in rows]
    weights = np.array([float(r["per_100k"]) for r in rows])
    return names, weights / weights.sum()


@dataclass(frozen=True)
class Pools:
    surnames: list[str]
    surname_p: np.ndarray
    female: list[str]
    female_p: np.ndarray
    male: list[str]
    male_p: np.ndarray
    nicknames: dict[str, list[str]]


@lru_cache(maxsize=1)
def pools() -> Pools:
    common, common_p = _read("surnames.csv")
    tail = sorted({h + t + e for h in _HEADS for t in _TAILS for e in ("", "s")} - set(common))
    rank = np.arange(1, len(tail) + 1)
    tail_p = 1.0 / rank ** 0.2
    order = np.random.Generator(np.random.PCG64(1871)).permutation(len(tail))
    tail = [tail[i] for i in order]
    surnames = common + tail
    p = np.concatenate([common_p * (1 - TAIL_SHARE), tail_p / tail_p.sum() * TAIL_SHARE])
    female, female_p = _read("forenames_female.csv")
    male, male_p = _read("forenames_male.csv")
    nick: dict[str, list[str]] = {}
    with open(REPO_ROOT / "reference" / "nicknames.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            nick.setdefault(r["name"], []).append(r["nickname"])
    return Pools(surnames, p, female, female_p, male, male_p, nick)


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
