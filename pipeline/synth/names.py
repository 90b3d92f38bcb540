"""Obviously synthetic names: fixed (seed-independent) pools of surnames and female/male
forenames built from syllables, each name with one typo variant for duplicate records."""

from __future__ import annotations

import numpy as np

SYLLABLES = [
    "ka", "lo", "mir", "ven", "dra", "sel", "tor", "bri", "nox", "pel", "qua", "ris", "zan",
    "fen", "gul", "hap", "jor", "lus", "mav", "nel", "oro", "pry", "sav", "tem", "ulv", "vor",
    "wex", "yal", "zor", "bek", "cad", "dun", "eth", "fro", "gav", "hol", "isk", "jas", "kel",
]
SURNAME_MARK = "Synthsurname-"
FORENAME_MARK = "Synthforename-"


def name_pools() -> dict[str, list[str]]:
    """Pools "surname", "female", "male": the names, then their typo variants in the same
    order (variant of name i at i + len(pool) // 2)."""
    rng = np.random.Generator(np.random.PCG64(20261031))
    syl = np.array(SYLLABLES)

    def cores(n: int, lo: int, hi: int, ending: list[str] | None) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        while len(out) < n:
            k = int(rng.integers(lo, hi + 1))
            core = "".join(syl[rng.integers(0, len(syl), k)])
            if ending:
                core += ending[int(rng.integers(0, len(ending)))]
            core = core.capitalize()
            if core not in seen:
                seen.add(core)
                out.append(core)
        return out

    def typo(core: str) -> str:
        # change one letter of the core (never the marker): swap, drop, double or replace
        n = len(core)
        i = int(rng.integers(1, n - 1))
        op = int(rng.integers(0, 4))
        if op == 0:
            s = core[:i] + core[i + 1] + core[i] + core[i + 2:]
        elif op == 1:
            s = core[:i] + core[i + 1:]
        elif op == 2:
            s = core[:i] + core[i] + core[i:]
        else:
            s = core[:i] + ("e" if core[i] != "e" else "a") + core[i + 1:]
        return s if s != core else core + "e"

    surnames = cores(4000, 2, 3, None)
    female = cores(700, 1, 2, ["a", "ia", "elle", "ine"])
    male = cores(700, 1, 2, ["o", "an", "ek", "us"])
    pools = {}
    for name, lst, mark in (
        ("surname", surnames, SURNAME_MARK),
        ("female", female, FORENAME_MARK),
        ("male", male, FORENAME_MARK),
    ):
        pools[name] = [mark + c for c in lst] + [mark + typo(c) for c in lst]
    return pools
