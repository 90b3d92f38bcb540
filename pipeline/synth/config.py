"""The generator's fixed vocabulary (contract columns, code lists, calibration tables) and the
per-run configuration derived from the arguments and the gravity table."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

import numpy as np

from pipeline.synth.names import name_pools, name_weights

BLOCK_INCIDENTS = 200_000
EPOCH = dt.date(1970, 1, 1)
DEFAULT_AS_OF = dt.date(2026, 10, 31)

INCIDENT_COLUMNS = [
    "incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
    "domestic_abuse_flag", "area",
]
PERSON_COLUMNS = ["person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id"]
INVOLVEMENT_COLUMNS = ["incident_id", "person_id", "role", "relationship"]
TABLES = {
    "incidents": INCIDENT_COLUMNS,
    "persons": PERSON_COLUMNS,
    "involvements": INVOLVEMENT_COLUMNS,
}

# Local areas (panels meet per area), of different sizes: a perpetrator's incidents are mostly
# in their home area; a few incidents are recorded without an area.
AREAS = ["Northdale", "Eastmoor", "Riverside", "Westfield", "Southbrook"]
AREA_P = [0.34, 0.26, 0.18, 0.14, 0.08]
AREA_HOME = 0.88   # share of a perpetrator's incidents in their home area
AREA_BLANK = 0.01  # share of incidents without an area

ROLES = ["suspect", "offender", "victim", "witness", "other"]
R_SUSPECT, R_OFFENDER, R_VICTIM, R_WITNESS, R_OTHER = range(5)
RELATIONSHIPS = ["partner", "ex_partner", "family", "other", "unknown"]
REL_PARTNER, REL_EX, REL_FAMILY, REL_OTHER, REL_UNKNOWN = range(5)
DASH = ["standard", "medium", "high", "not_assessed"]  # -1 = blank
GENDERS = ["female", "male", "other", "unknown"]
G_FEMALE, G_MALE, G_OTHER, G_UNKNOWN = range(4)
CAREERS = ["one_off", "occasional", "chronic"]
ROLE_KINDS = ["perpetrator", "victim", "child_victim", "co_suspect", "witness", "other"]
K_PERP, K_VICTIM, K_CHILD, K_COSUSPECT, K_WITNESS, K_OTHER = range(6)
KIND_INTIMATE, KIND_FAMILY, KIND_OTHER = range(3)

# Relative frequencies of principal offences among DA crimes (codes of the default gravity
# table; a code missing here gets a small default share).
OFFENCE_FREQ = {
    "105A": 0.30, "8N": 0.14, "8L": 0.13, "8U": 0.10, "58A": 0.10, "8G": 0.06,
    "BREACH": 0.05, "8Q": 0.04, "9A": 0.03, "17A": 0.012, "8F": 0.01, "19C": 0.008,
    "5D": 0.0025, "2": 0.0002, "1": 0.00004,
}
UNKNOWN_CODES = ["28E", "46", "126", "8M", "66"]  # plausible codes absent from the table

# Career mixture and shape.
CAREER_P = [0.655, 0.285, 0.06]
# DASH given severity class (0 non-crime, 1 low, 2 mid, 3 high): standard, medium, high,
# not_assessed, blank.
DASH_TABLE = np.array([
    [0.72, 0.18, 0.04, 0.02, 0.04],
    [0.60, 0.27, 0.08, 0.02, 0.03],
    [0.42, 0.35, 0.19, 0.01, 0.03],
    [0.15, 0.35, 0.47, 0.01, 0.02],
])
THETA_GRID = np.linspace(0.0, 0.9, 19)

# PNC ids: YYYY/NNNNNNNL, numbers issued in sequence per year from PNC_YEAR0 on.
PNC_YEAR0 = 1900
PNC_LETTERS = np.array(list("ZABCDEFGHJKLMNPQRTUVWXY"))


def load_gravity() -> tuple[list[str], np.ndarray]:
    from pipeline.core.settings import REPO_ROOT

    codes, weights = [], []
    with open(REPO_ROOT / "reference" / "gravity_table.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes.append(row["offence_code"].strip())
            weights.append(float(row["weight"]))
    return codes, np.array(weights)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@dataclass
class Config:
    seed: int
    n_incidents: int
    as_of: dt.date
    years: int
    t0: int  # first day (days since epoch)
    horizon: int  # number of days in the history
    codes: list[str]
    weights: np.ndarray
    code_cdf: np.ndarray  # (len(THETA_GRID), n_codes)
    code_class: np.ndarray  # severity class 1..3 per code
    person_bound: int
    pools: dict[str, list[str]]
    name_p: dict[str, np.ndarray]  # frequency of each name (first half of each pool)


def make_config(seed: int, n: int, as_of: dt.date, years: int) -> Config:
    codes, weights = load_gravity()
    base = np.array([OFFENCE_FREQ.get(c, 0.002) for c in codes])
    base /= base.sum()
    tilted = base[None, :] * np.power(weights[None, :], THETA_GRID[:, None])
    cdf = np.cumsum(tilted / tilted.sum(axis=1, keepdims=True), axis=1)
    cdf[:, -1] = 1.0
    code_class = np.where(weights >= 300, 3, np.where(weights >= 100, 2, 1)).astype(np.int8)
    first = add_years(as_of, -years) + dt.timedelta(days=1)
    return Config(
        seed=seed, n_incidents=n, as_of=as_of, years=years,
        t0=(first - EPOCH).days, horizon=(as_of - first).days + 1,
        codes=codes, weights=weights, code_cdf=cdf, code_class=code_class,
        person_bound=12 * n + 1000, pools=name_pools(), name_p=name_weights(),
    )
