"""The pandas baseline: the MATAC rule and the RFG score the way an analyst would write them in
pandas (read the three Parquet files, merge, group by). Clean input assumed (no quarantine,
one extract). Every parameter comes from the pipeline's own `rule_params` and `band_params`,
the gravity table from the settings."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.settings import Settings
from pipeline.rule.reference import band_params
from pipeline.rule.score import rule_params

ROLES = ["suspect", "offender", "victim"]


def _read(folder: Path):
    import pandas as pd

    inc = pd.read_parquet(folder / "incidents.parquet",
                          columns=["incident_id", "occurred_date", "record_type", "offence_code",
                                   "domestic_abuse_flag"])
    per = pd.read_parquet(folder / "persons.parquet",
                          columns=["person_id", "date_of_birth", "pnc_id"])
    inv = pd.read_parquet(folder / "involvements.parquet",
                          columns=["incident_id", "person_id", "role"])
    return inc, per, inv


def _gravity_weights(settings: Settings) -> dict:
    import pandas as pd

    gravity = pd.read_csv(settings.gravity_table_path, dtype=str)
    return dict(zip(gravity["offence_code"].str.strip().str.upper(),
                    pd.to_numeric(gravity["weight"].str.strip(), errors="coerce")))


def _window_incidents(inc, as_of, params: dict, weights: dict):
    """Domestic-abuse incidents in the window ending at `as_of`, with their gravity weight."""
    import numpy as np
    import pandas as pd

    window_start = as_of - pd.DateOffset(years=params["window_years"])
    da = inc["domestic_abuse_flag"].fillna(True).astype(bool)
    inc = inc[da & inc["occurred_date"].between(window_start, as_of)].copy()
    inc["weight"] = np.where(
        inc["record_type"] == "non_crime", params["non_crime_weight"],
        inc["offence_code"].str.upper().map(weights).astype(float)
        .fillna(params["unknown_crime_weight"]),
    )
    return inc


def _links(inc, per, inv, min_age, max_age):
    """(perpetrator, victim, incident) triples between resolved persons of age. A date of birth
    after the incident (impossible) or giving an age above `max_age` (implausible) is an unknown
    age, which counts, as a missing one does."""
    import pandas as pd

    # identity: nominals sharing a pnc_id are one person, the smallest person_id
    per["date_of_birth"] = pd.to_datetime(per["date_of_birth"])
    per["resolved_id"] = per["person_id"].where(
        per["pnc_id"].isna(), per.groupby("pnc_id")["person_id"].transform("min"))

    inv = inv[inv["role"].isin(ROLES)]
    inv = inv.merge(inc[["incident_id", "occurred_date"]], on="incident_id")
    inv = inv.merge(per[["person_id", "resolved_id", "date_of_birth"]], on="person_id")
    day, dob = inv["occurred_date"], inv["date_of_birth"]
    age = (day.dt.year - dob.dt.year
           - ((day.dt.month * 100 + day.dt.day) < (dob.dt.month * 100 + dob.dt.day)).astype(int))
    unknown = dob.isna() | (dob > day) | (age > max_age)
    inv = inv[unknown | (age >= min_age)]

    victim = inv["role"] == "victim"
    perps = inv.loc[~victim, ["incident_id", "resolved_id"]].rename(
        columns={"resolved_id": "perpetrator_id"})
    victims = inv.loc[victim, ["incident_id", "resolved_id"]].rename(
        columns={"resolved_id": "victim_id"})
    links = perps.merge(victims, on="incident_id")
    return links[links["perpetrator_id"] != links["victim_id"]].drop_duplicates()


def _serial_stats(links, inc, as_of, params: dict):
    """Incidents (n), gravity (g), last date, victims (v) and days since (d) of each serial
    perpetrator."""
    per_incident = links[["perpetrator_id", "incident_id"]].drop_duplicates().merge(
        inc[["incident_id", "occurred_date", "weight"]], on="incident_id")
    stats = per_incident.groupby("perpetrator_id").agg(
        n=("incident_id", "size"), g=("weight", "sum"), last=("occurred_date", "max"))
    stats["v"] = links.groupby("perpetrator_id")["victim_id"].nunique()
    stats = stats[(stats["n"] >= params["min_incidents"])
                  & (stats["v"] >= params["min_victims"])].copy()
    stats["d"] = (as_of - stats["last"]).dt.days
    return stats


def band_points(values, bands: dict[str, list], component: str):
    """Points of each value from `component`'s bands (from `band_params`), checked in position
    order: recency matches days <= threshold (None = any), the others value >= threshold."""
    import numpy as np

    rows = sorted(
        (pos, threshold, points)
        for comp, pos, threshold, points in zip(bands["band_component"], bands["band_position"],
                                                bands["band_threshold"], bands["band_points"])
        if comp == component
    )
    conds = [np.ones(len(values), dtype=bool) if t is None
             else (values <= t if component == "recency" else values >= t)
             for _, t, _ in rows]
    return np.select(conds, [p for _, _, p in rows], default=0)


def pandas_baseline(folder: Path, settings: Settings):
    """The ranked list (rank, perpetrator_id, rfg_score) computed in pandas."""
    import numpy as np
    import pandas as pd

    inc, per, inv = _read(folder)
    inc["occurred_date"] = pd.to_datetime(inc["occurred_date"])
    as_of = inc["occurred_date"].max()
    params = rule_params(settings, as_of.date())
    bands = band_params(settings)
    inc = _window_incidents(inc, as_of, params, _gravity_weights(settings))
    links = _links(inc, per, inv, params["min_age"], params["max_age"])
    stats = _serial_stats(links, inc, as_of, params)

    r = band_points(stats["d"], bands, "recency")
    f = band_points(stats["n"], bands, "frequency")
    g = band_points(stats["g"], bands, "gravity")
    v = band_points(stats["v"], bands, "victims")
    stats["rfg_score"] = (r * params["weight_recency"] + f * params["weight_frequency"]
                          + g * params["weight_gravity"]
                          + (v * params["weight_victims"] if params["include_victims"] else 0))
    ranked = stats.reset_index().sort_values(
        ["rfg_score", "g", "last", "n", "perpetrator_id"],
        ascending=[False, False, False, False, True], kind="mergesort")
    ranked["rank"] = np.arange(1, len(ranked) + 1)
    return ranked[["rank", "perpetrator_id", "rfg_score"]].reset_index(drop=True)
