"""Offending careers: a mixture of one-off, occasional and chronic perpetrators, their incident
counts (heavy tailed: chronic = 5 + lognormal) and the days of their incidents, spread over the
history with a slight growth in volume (a monotone time warp).

Careers have a pace: the gaps between successive incidents are exponential, scaled by
exp(pace * k / count) for the k-th incident. A desisting career (DESIST_P of occasional and of
chronic careers) slows down towards its end (pace > 0: its last gaps 4-20 times its first) and
then stops; a persisting career keeps its pace or speeds up (pace <= 0). So recent frequency
says more about the next year than old frequency, and a long silence often means desistance.
Persisting chronic careers also escalate in harm (incidents.py); desisting ones do not.

Careers have their own random stream (seed, block, 0), so the first pass (chronological
incident numbering) can re-run them cheaply."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.synth.config import CAREER_P, Config
from pipeline.synth.draws import pick, stream


def warp(x: np.ndarray, g: float = 0.3) -> np.ndarray:
    """Monotone map of [0,1] to itself giving density proportional to 1 + g*y (growth)."""
    return (np.sqrt(1.0 + 2.0 * g * x * (1.0 + g / 2.0)) - 1.0) / g


@dataclass
class Careers:
    """The careers of one block. Per perpetrator (m): `type` (index into CAREERS), `count`.
    Per incident (in career order): `perp`, `k` (rank in the career), `time` (continuous day),
    `occ` and `rec` (occurrence and recording day, relative to the first day)."""

    m: int
    type: np.ndarray
    count: np.ndarray
    perp: np.ndarray
    k: np.ndarray
    time: np.ndarray
    occ: np.ndarray
    rec: np.ndarray
    desist: np.ndarray  # per perpetrator: the career slows down and stops


# Share of careers that desist (one_off, occasional, chronic) and the pace ranges.
DESIST_P = np.array([0.0, 0.6, 0.4])
DESIST_PACE = (1.4, 3.0)
PERSIST_PACE = (-0.7, 0.0)


def _paced_positions(rng: np.random.Generator, perp: np.ndarray, count: np.ndarray,
                     pace: np.ndarray) -> np.ndarray:
    """Each incident's position in its career, 0 (first) .. 1 (last); 0 for a single incident.
    Gap k is Exp(1) * exp(pace * k / count) (k = 0 .. count - 1)."""
    n = len(perp)
    first = np.concatenate(([0], np.cumsum(count)[:-1]))
    k = np.arange(n, dtype=np.int64) - first[perp]
    gaps = rng.exponential(1.0, n) * np.exp(pace[perp] * k / count[perp])
    gaps[k == 0] = 0.0  # the career starts with its first incident
    done = np.cumsum(gaps)
    start = done[first][perp]
    total = np.maximum(done[first + count - 1][perp] - start, 1e-12)
    return np.where(count[perp] > 1, (done - start) / total, 0.0)


def _career_counts(rng: np.random.Generator, n_inc: int) -> tuple[np.ndarray, np.ndarray]:
    """Career types and incident counts, drawn until they hold n_inc incidents (the last
    career is cut to fit)."""
    types, counts, total = [], [], 0
    while total < n_inc:
        est = max(32, int((n_inc - total) / 2.4) + 32)
        t = pick(rng, est, CAREER_P)
        c = np.ones(est, dtype=np.int64)
        occ = t == 1
        c[occ] = 1 + rng.geometric(0.42, int(occ.sum()))
        chronic = t == 2
        c[chronic] = 5 + np.minimum(rng.lognormal(2.0, 0.85, int(chronic.sum())), 250).astype(
            np.int64)
        types.append(t)
        counts.append(c)
        total += int(c.sum())
    t = np.concatenate(types)
    c = np.concatenate(counts)
    cs = np.cumsum(c)
    m = int(np.searchsorted(cs, n_inc)) + 1
    t, c = t[:m], c[:m].copy()
    c[-1] -= cs[m - 1] - n_inc
    return t, c


def draw_careers(cfg: Config, block: int, n_inc: int) -> Careers:
    """Perpetrator careers of one block: incident counts, dates."""
    rng = stream(cfg.seed, block, 0)
    H = cfg.horizon
    t, c = _career_counts(rng, n_inc)
    m = len(t)

    span = np.zeros(m)
    occ = t == 1
    span[occ] = rng.lognormal(np.log(200.0), 0.8, int(occ.sum()))
    chronic = t == 2
    span[chronic] = rng.lognormal(np.log(900.0), 0.5, int(chronic.sum()))
    span = np.minimum(span, 0.9 * H)
    span[c == 1] = 0.0
    # career centres uniform over the history; incidents spread over the span around it and
    # reflected at both ends (keeps the overall density flat; growth comes from the warp)
    centre = rng.random(m) * H
    perp = np.repeat(np.arange(m, dtype=np.int64), c)
    desist = (rng.random(m) < DESIST_P[t]) & (c > 1)
    pace = np.where(desist, rng.uniform(*DESIST_PACE, m), rng.uniform(*PERSIST_PACE, m))
    tm = centre[perp] + span[perp] * (_paced_positions(rng, perp, c, pace) - 0.5)
    tm = np.where(tm < 0, -tm, tm)
    tm = np.where(tm >= H, 2 * H - tm - 1e-6, tm)
    tm = tm[np.lexsort((tm, perp))]
    first_pos = np.concatenate(([0], np.cumsum(c)[:-1]))
    k = np.arange(n_inc, dtype=np.int64) - first_pos[perp]
    occ_day = np.clip((warp(tm / H) * H).astype(np.int64), 0, H - 1)
    u = rng.random(n_inc)
    lag = np.where(
        u < 0.85, rng.integers(0, 3, n_inc),
        np.where(u < 0.98, rng.integers(3, 31, n_inc), rng.integers(31, 700, n_inc)),
    )
    rec_day = np.minimum(occ_day + lag, H - 1)
    return Careers(m=m, type=t, count=c, perp=perp, k=k, time=tm, occ=occ_day, rec=rec_day,
                   desist=desist)
