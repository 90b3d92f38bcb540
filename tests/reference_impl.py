"""An independent reference implementation of the MATAC rule and RFG scoring, in plain Python,
written from /work/shared/domain.md (not from the pipeline's SQL). Tests run it next to the
real pipeline on the same extract files and compare the lists.

It reads the CSV (or Parquet) extract files itself, applies the contract (dates, enums, the
unusable-row rules, supersession across extracts, PNC identity), then the rule and scoring.
Settings are given as nested dicts shaped like the settings file (`rule`, `scoring`); anything
not given takes the domain.md default below.

Decisions where domain.md is silent (the pipeline is tested against the same decisions):
- Dates: ISO `YYYY-M(M)-D(D)` or UK `D(D)/M(M)/YYYY`, four-digit year, anything after a space or
  `T` ignored; anything else is unparseable.
- Enums: case and surrounding spaces ignored, inner spaces/hyphens read as `_`
  (`Non-Crime` -> `non_crime`, `Ex-Partner` -> `ex_partner`).
- `domestic_abuse_flag`: true/t/yes/y/1 and false/f/no/n/0; blank or unreadable -> the default
  (true: the extract is a domestic-abuse extract; an unreadable value is reported, not dropped).
- Age is taken from the date of birth on the nominal record named in the involvement. A date of
  birth after the incident day (impossible) or giving an age above `quality.max_age` that day
  (implausible) means the age is unknown, which counts: a bad date of birth never drops anybody.
- Duplicate keys: incidents by incident_id, persons by person_id, involvements by
  (incident_id, person_id, role); rows that differ (after parsing) -> all of them unusable;
  exact copies -> the first is used.
- Perpetrator ids compare as text (`P10` sorts before `P9`).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# ------------------------------------------------------------------ defaults from domain.md
def _bands(key: str, *thresholds) -> list[dict]:
    """Score bands, best first: the first threshold gives 5 points, the next 4, and so on."""
    return [{key: t, "points": 5 - i} for i, t in enumerate(thresholds)]


DEFAULTS = {
    "rule": {"window_years": 2, "min_incidents": 2, "min_victims": 2, "min_age": 16},
    "quality": {"max_age": 110},
    "scoring": {
        "preset": "rfg",
        # frequency and gravity counted over the last N days of the window (None = whole window)
        "count_window_days": None,
        "include_victims": False,
        "weights": {"recency": 1, "frequency": 1, "gravity": 1, "victims": 1},
        # recency: days <= max_days (None = any); others: value >= min. First match wins.
        "recency_bands": _bands("max_days", 30, 90, 180, 365, None),
        "frequency_bands": _bands("min", 10, 6, 4, 3, 2),
        "gravity_bands": _bands("min", 1000, 300, 100, 20, 0),
        "victims_bands": _bands("min", 5, 4, 3, 2),
        "non_crime_weight": 1,
        "unknown_crime_weight": 5,
        "gravity_table": "reference/gravity_table.csv",
    },
}

# The scoring presets as domain.md and the README describe them: RFGV adds the victims band;
# RFH (Met Police) counts frequency and harm over the last 365 days of the window, with the
# README's documented bands (frequency 8+/5+/3+/2+/1+ -> 5..1; harm 1000/300/100/20/1 -> 5..1).
PRESETS = {
    "rfg": {},
    "rfgv": {"include_victims": True},
    "rfh": {
        "count_window_days": 365,
        "frequency_bands": _bands("min", 8, 5, 3, 2, 1),
        "gravity_bands": _bands("min", 1000, 300, 100, 20, 1),
    },
}

TABLES = ("incidents", "persons", "involvements")
RECORD_TYPES = {"crime", "non_crime"}
ROLES = {"suspect", "offender", "victim", "witness", "other"}
PERPETRATOR_ROLES = {"suspect", "offender"}
TRUE = {"true", "t", "yes", "y", "1"}
FALSE = {"false", "f", "no", "n", "0"}

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def settings_with(overrides: dict | None = None) -> dict:
    """The defaults, then the preset `overrides` names (scoring.preset), then `overrides`."""
    out = copy.deepcopy(DEFAULTS)
    preset = (overrides or {}).get("scoring", {}).get("preset", "rfg")
    out["scoring"].update(copy.deepcopy(PRESETS[preset]))
    for section, values in (overrides or {}).items():
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(out[section].get(key), dict):
                out[section][key].update(value)
            else:
                out[section][key] = value
    return out


# ---------------------------------------------------------------------------- value parsing
def parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    head = text.strip().replace("T", " ").split(" ")[0]
    for pattern, order in ((_ISO, (0, 1, 2)), (_UK, (2, 1, 0))):
        m = pattern.fullmatch(head)
        if m:
            parts = [int(g) for g in m.groups()]
            y, mo, d = (parts[i] for i in order)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def parse_enum(text: str | None) -> str | None:
    if text is None:
        return None
    value = re.sub(r"[\s\-]+", "_", text.strip().lower())
    return value or None


def parse_id(text: str | None) -> str | None:
    if text is None:
        return None
    return text.strip() or None


def parse_flag(text: str | None) -> bool:
    value = parse_enum(text)
    if value in FALSE:
        return False
    return True  # blank, true-ish, or unreadable -> the default (true)


def age_on(dob: dt.date | None, day: dt.date, max_age: int) -> int | None:
    """Whole years on `day`; None (unknown) when the date of birth is missing, after the day or
    gives more than `max_age` years."""
    if dob is None or dob > day:
        return None
    age = day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    return age if age <= max_age else None


def minus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year - years, day=28)


# ------------------------------------------------------------------------------ file reading
def _find(folder: Path, table: str) -> Path:
    hits = [p for p in folder.iterdir()
            if p.is_file() and p.stem.strip().lower() == table
            and p.suffix.lower() in (".csv", ".parquet")]
    assert len(hits) == 1, f"{folder}: {table} not found exactly once"
    return hits[0]


def read_table(path: Path) -> list[dict | None]:
    """Rows as dicts keyed by normalised column name (values as text, blank -> None).
    A CSV row with the wrong number of fields is None (malformed)."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        names = [n.strip().lower() for n in table.column_names]
        out = []
        for rec in table.to_pylist():
            row = {}
            for raw, name in zip(table.column_names, names):
                v = rec[raw]
                row[name] = None if v is None else (str(v).lower() if isinstance(v, bool) else str(v))
            out.append(row)
        return out
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader)]
    out: list[dict | None] = []
    for fields in reader:
        if not fields:  # a blank line is not a row
            continue
        if len(fields) != len(header):
            out.append(None)
            continue
        out.append({h: (v if v.strip() != "" else None) for h, v in zip(header, fields)})
    return out


# --------------------------------------------------------------------------------- contract
@dataclass
class Data:
    incidents: dict[str, dict] = field(default_factory=dict)      # current version
    persons: dict[str, dict] = field(default_factory=dict)        # current version
    involvements: list[tuple[str, str, str]] = field(default_factory=list)  # current lists
    quarantined: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _usable(rows: list[dict | None], key, parse, table: str, quarantined) -> dict:
    """Parsed usable rows of one file, keyed; duplicate keys handled per the module doc."""
    parsed: dict = defaultdict(list)
    for row in rows:
        if row is None:
            quarantined[table] += 1
            continue
        value = parse(row)
        if value is None:
            quarantined[table] += 1
            continue
        parsed[key(value)].append(value)
    out = {}
    for k, versions in parsed.items():
        if any(v != versions[0] for v in versions):
            quarantined[table] += len(versions)
        else:
            out[k] = versions[0]
            quarantined[table] += len(versions) - 1
    return out


def _parsed(row: dict, parsers: dict) -> dict:
    """The named columns of a raw row, each read by its parser."""
    return {column: parse(row.get(column)) for column, parse in parsers.items()}


def _incident(row: dict) -> dict | None:
    key = _parsed(row, {"incident_id": parse_id, "occurred_date": parse_date,
                        "record_type": parse_enum})
    if (key["incident_id"] is None or key["occurred_date"] is None
            or key["record_type"] not in RECORD_TYPES):
        return None
    code = parse_id(row.get("offence_code"))
    return {
        **key,
        "offence_code": code.upper() if code else None,
        "dash_risk": parse_enum(row.get("dash_risk")),
        "da": parse_flag(row.get("domestic_abuse_flag")),
        "da_text": parse_enum(row.get("domestic_abuse_flag")),
    }


def _person(row: dict) -> dict | None:
    pid = parse_id(row.get("person_id"))
    if pid is None:
        return None
    pnc = re.sub(r"\s+", "", row.get("pnc_id") or "").upper() or None
    return {
        "person_id": pid,
        "surname": parse_id(row.get("surname")),
        "forenames": parse_id(row.get("forenames")),
        "dob": parse_date(row.get("date_of_birth")),
        "dob_text": parse_id(row.get("date_of_birth")),
        "gender": parse_enum(row.get("gender")),
        "pnc": pnc,
    }


def _involvement(row: dict) -> dict | None:
    key = _parsed(row, {"incident_id": parse_id, "person_id": parse_id, "role": parse_enum})
    if key["incident_id"] is None or key["person_id"] is None or key["role"] not in ROLES:
        return None
    return {**key, "relationship": parse_enum(row.get("relationship"))}


def load(extract_dirs) -> Data:
    """Read extracts in the order given (later supersedes earlier)."""
    data = Data()
    inc_files, per_files, inv_files = [], [], []
    for folder in map(Path, extract_dirs):
        inc_files.append(_usable(read_table(_find(folder, "incidents")),
                                 lambda v: v["incident_id"], _incident, "incidents",
                                 data.quarantined))
        per_files.append(_usable(read_table(_find(folder, "persons")),
                                 lambda v: v["person_id"], _person, "persons", data.quarantined))
        inv_files.append(read_table(_find(folder, "involvements")))
    for versions in inc_files:          # newer extract overwrites
        data.incidents.update(versions)
    for versions in per_files:
        data.persons.update(versions)
    known_incidents = set().union(*[set(v) for v in inc_files])
    known_persons = set().union(*[set(v) for v in per_files])

    def involvement(row):
        v = _involvement(row)
        if v is None or v["incident_id"] not in known_incidents or v["person_id"] not in known_persons:
            return None
        return v

    lists: dict[str, list] = {}
    for rows in inv_files:
        usable = _usable(rows, lambda v: (v["incident_id"], v["person_id"], v["role"]),
                         involvement, "involvements", data.quarantined)
        by_incident: dict[str, list] = defaultdict(list)
        for (iid, pid, role) in usable:
            by_incident[iid].append((iid, pid, role))
        lists.update(by_incident)       # the newest extract listing an incident wins whole
    data.involvements = [link for links in lists.values() for link in links]
    return data


def resolve(data: Data) -> dict[str, str]:
    """person_id -> resolved id (smallest person_id sharing the pnc_id, compared as text)."""
    smallest: dict[str, str] = {}
    for pid, p in data.persons.items():
        if p["pnc"]:
            smallest[p["pnc"]] = min(smallest.get(p["pnc"], pid), pid)
    return {pid: smallest[p["pnc"]] if p["pnc"] else pid for pid, p in data.persons.items()}


def gravity_table(path: Path) -> dict[str, float]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["offence_code"].strip().upper(): float(r["weight"]) for r in csv.DictReader(fh)}


def latest_date(data: Data) -> dt.date:
    return max(i["occurred_date"] for i in data.incidents.values())


# ------------------------------------------------------------------------- rule and scoring
def _points(value, bands, key: str) -> int:
    for band in bands:
        limit = band[key]
        if key == "max_days":
            if limit is None or value <= limit:
                return band["points"]
        elif value >= limit:
            return band["points"]
    return 0


def qualifying(data: Data, as_of: dt.date, settings: dict) -> dict[str, dict[str, set]]:
    """perpetrator -> incident_id -> the victims that make it qualify (clauses 1-4)."""
    rule = settings["rule"]
    start = minus_years(as_of, rule["window_years"])
    ids = resolve(data)
    people: dict[str, list] = defaultdict(list)
    for iid, pid, role in data.involvements:
        people[iid].append((pid, role))
    out: dict[str, dict[str, set]] = defaultdict(dict)
    for iid, inc in data.incidents.items():
        day = inc["occurred_date"]
        if not inc["da"] or not (start <= day <= as_of):
            continue

        def old_enough(pid):
            age = age_on(data.persons[pid]["dob"], day, settings["quality"]["max_age"])
            return age is None or age >= rule["min_age"]

        for pid, role in people.get(iid, []):
            if role not in PERPETRATOR_ROLES or not old_enough(pid):
                continue
            perp = ids[pid]
            victims = {ids[v] for v, r in people[iid]
                       if r == "victim" and ids[v] != perp and old_enough(v)}
            if victims:
                out[perp].setdefault(iid, set()).update(victims)
    return out


def priority_list(data: Data, as_of: dt.date | None = None, overrides: dict | None = None,
                  gravity_path: Path | None = None) -> list[dict]:
    """The ranked list of serial perpetrators, one dict per perpetrator, with `incidents`
    (incident_id -> weight) behind each score."""
    settings = settings_with(overrides)
    rule, sc = settings["rule"], settings["scoring"]
    as_of = as_of or latest_date(data)
    table = gravity_table(gravity_path or REPO / sc["gravity_table"])

    def weight(inc) -> float:
        if inc["record_type"] == "non_crime":
            return float(sc["non_crime_weight"])
        return table.get(inc["offence_code"], float(sc["unknown_crime_weight"]))

    rows = []
    for perp, incidents in qualifying(data, as_of, settings).items():
        n = len(incidents)
        victims = set().union(*incidents.values())
        if n < rule["min_incidents"] or len(victims) < rule["min_victims"]:
            continue
        weights = {iid: weight(data.incidents[iid]) for iid in incidents}
        g = sum(weights.values())
        last = max(data.incidents[iid]["occurred_date"] for iid in incidents)
        d = (as_of - last).days
        # what frequency and gravity count: the last N days (day > as_of - N) or everything
        days = sc["count_window_days"]
        counted = [iid for iid in incidents
                   if days is None or data.incidents[iid]["occurred_date"] > as_of - dt.timedelta(days=days)]
        n_scored = len(counted)
        g_scored = sum(weights[iid] for iid in counted)
        r = _points(d, sc["recency_bands"], "max_days")
        f = _points(n_scored, sc["frequency_bands"], "min")
        gp = _points(g_scored, sc["gravity_bands"], "min")
        v = _points(len(victims), sc["victims_bands"], "min")
        w = sc["weights"]
        score = r * w["recency"] + f * w["frequency"] + gp * w["gravity"]
        if sc["include_victims"]:
            score += v * w["victims"]
        row = {
            "perpetrator_id": perp, "rfg_score": score, "recency_points": r,
            "frequency_points": f, "gravity_points": gp, "incidents_in_window": n,
            "victims_in_window": len(victims), "last_incident_date": last,
            "days_since_last_incident": d, "gravity_total": g, "incidents": weights,
            "scored_incidents": n_scored, "scored_gravity": g_scored,
        }
        if sc["include_victims"]:
            row["victims_points"] = v
        rows.append(row)
    # score desc, gravity desc, latest date desc, n desc, id asc: sort by the last key first
    # (gravity and n as scored: over the last count_window_days when set)
    rows.sort(key=lambda x: x["perpetrator_id"])
    rows.sort(key=lambda x: (x["rfg_score"], x["scored_gravity"], x["last_incident_date"],
                             x["scored_incidents"]), reverse=True)
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def from_extracts(extract_dirs, as_of: dt.date | None = None, overrides: dict | None = None):
    data = load(extract_dirs)
    return priority_list(data, as_of, overrides)
