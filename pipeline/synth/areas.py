"""Where incidents happen: the local area of each incident. Each perpetrator has a home area
(areas of different sizes, `AREA_P`); most of their incidents are there, the others anywhere,
and a few are recorded without an area. Drawn from their own stream (seed, block, 2), so adding
areas changed no other value of the generated files."""

from __future__ import annotations

import numpy as np

from pipeline.synth.careers import Careers
from pipeline.synth.config import AREA_BLANK, AREA_HOME, AREA_P
from pipeline.synth.draws import pick


def draw_areas(rng: np.random.Generator, car: Careers) -> np.ndarray:
    """Per incident in career order: index into AREAS, -1 for no area."""
    n = len(car.perp)
    home = pick(rng, car.m, AREA_P)
    elsewhere = pick(rng, n, AREA_P)
    area = np.where(rng.random(n) < AREA_HOME, home[car.perp], elsewhere)
    return np.where(rng.random(n) < AREA_BLANK, -1, area).astype(np.int8)
