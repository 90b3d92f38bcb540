"""Seeded random streams and the vectorised draws the generator is built from.

Every random number comes from ``numpy.random.Generator(PCG64(...))`` seeded from (seed, block,
stream); nothing depends on the clock, so the same arguments give byte-identical files. Each
stream is drawn from in a fixed order: reordering draws changes the output."""

from __future__ import annotations

import numpy as np


def stream(seed: int, *key: int) -> np.random.Generator:
    """The random stream of (seed, *key), independent of every other key."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def pick(rng: np.random.Generator, n: int, p) -> np.ndarray:
    """n draws from a categorical distribution (fast inverse-CDF)."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.searchsorted(cdf, rng.random(n), side="right").astype(np.int8)


def pick_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row, row i from probs[i] (n x k)."""
    cdf = np.cumsum(probs, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(probs))
    return (u[:, None] >= cdf).sum(axis=1).astype(np.int8)


def group_first(keys: np.ndarray) -> np.ndarray:
    """For sorted keys, a boolean mask of the first element of each run."""
    m = np.ones(len(keys), dtype=bool)
    if len(keys) > 1:
        m[1:] = keys[1:] != keys[:-1]
    return m
