"""Names for the harsher evaluation copy (`harsh`): the synthetic generator's realistic pools
(`pipeline.synth.names`) with their frequencies, and the nickname list."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from pipeline.core.settings import REPO_ROOT
from pipeline.synth.names import realistic, title, typo

__all__ = ["Pools", "pools", "title", "typo"]


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
    r = realistic()
    nick: dict[str, list[str]] = {}
    with open(REPO_ROOT / "reference" / "nicknames.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            nick.setdefault(row["name"], []).append(row["nickname"])
    return Pools(*r["surname"], *r["female"], *r["male"], nick)
