"""Write the published outputs of a run: the priority list (CSV and XLSX), the incidents behind
each score, the left-list, and the run manifest (with the sha256 of every file). The whole set
is written into a new folder beside the output folder and switched into place in one step
(`pipeline.outputs.folder`): a failed, blocked or killed run leaves the previous set as it was,
and a reader never sees a mix of two publications."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.core import db
from pipeline.core.contract import UNKNOWN_AREA
from pipeline.core.settings import REPO_ROOT, Settings
from pipeline.outputs import folder, identity_review

EXCEL_MAX_ROWS = 1_048_575  # one row is the header

# Column -> plain-language meaning, shown on the XLSX "About" sheet (and in the README).
COLUMN_HELP: dict[str, str] = {
    "rank": "Position on the list (1 = task first). Ties are broken by gravity, then recency, then frequency, then id.",
    "perpetrator_id": "Resolved person id: the smallest source person_id among the nominal records of one person (see identity_basis).",
    "surname": "Surname from the source record (only when output.include_names is on).",
    "forenames": "Forenames from the source record (only when output.include_names is on).",
    "rfg_score": "Recency + Frequency + Gravity (+ Victims when RFGV is on) points, each times its weight.",
    "recency_points": "Points for days since the latest qualifying incident.",
    "frequency_points": "Points for the number of qualifying incidents in the window.",
    "gravity_points": "Points for the summed gravity weight of qualifying incidents.",
    "victims_points": "Points for the number of distinct victims (RFGV only).",
    "incidents_in_window": "Qualifying domestic-abuse incidents in the look-back window.",
    "victims_in_window": "Distinct victims aged 16+ (or unknown age) across those incidents.",
    "last_incident_date": "Date of the latest qualifying incident.",
    "days_since_last_incident": "Days from the latest qualifying incident to the as-of date.",
    "gravity_total": "Sum of incident weights (offence gravity; non-crime and unknown-crime weights from the settings).",
    "merged_person_ids": "Source person_ids (nominal records) resolved into this person, separated by ';'.",
    "identity_basis": "Why those records are one person: pnc (a shared PNC id), linked p=0.998 (the identity model; the weakest link's probability), analyst (an analyst's decision). Blank: one record.",
    "high_risk_incidents": "Qualifying incidents with a DASH risk grade of high.",
    "most_serious_offence": "Offence code of the heaviest qualifying incident ('non_crime' when none was a crime); among equally heavy incidents the latest, then the largest incident id.",
    "most_serious_offence_description": "Description of that offence from the gravity table.",
    "movement": "Change since the previous cycle's list (same data, as-of one cycle earlier): new, up N, down N, same.",
    "previous_rank": "Rank on the previous cycle's list (blank if not listed then).",
    "area": "Local area of the person's latest qualifying incident (ties: the area with most incidents that day, then by name); 'unknown' when the incident has none.",
    "panel_status": "The panel's latest decision on or before the as-of date: 'adopted YYYY-MM-DD', 'discharged YYYY-MM-DD', or blank.",
}

LIST_COLUMNS = [
    "rank", "perpetrator_id", "rfg_score", "recency_points", "frequency_points",
    "gravity_points", "victims_points", "incidents_in_window", "victims_in_window",
    "last_incident_date", "days_since_last_incident", "gravity_total", "merged_person_ids",
    "identity_basis", "high_risk_incidents", "most_serious_offence", "most_serious_offence_description",
    "movement", "previous_rank", "area", "panel_status",
]


def code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=10, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import version

        return version("matac-pipeline")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds
    (for single files written outside the published set, e.g. the data-quality report)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; published files follow the umask
    try:
        yield tmp_path
        folder.fsync(tmp_path)  # the content is on disk before the name points at it (power loss)
        os.replace(tmp_path, target)
        folder.fsync(target.parent)
    finally:
        tmp_path.unlink(missing_ok=True)


LIST_SETTINGS = ("rule", "scoring")  # shown on the workbook's About sheet

PANEL_FOLDER = "panel"  # <out>/panel/: the panel packs and outcomes (pipeline/panel)
PUBLISHED_FILES = ("priority_list.csv", "priority_list.xlsx", "priority_incidents.csv",
                   "left_list.csv", "run_manifest.json", "identity_review.csv")


def _integral(series: pd.Series) -> pd.Series:
    """Show whole numbers without a trailing .0 (scores and gravity are usually whole)."""
    if series.dropna().eq(series.dropna().round()).all():
        return series.round().astype("Int64")
    return series


def priority_frame(con: duckdb.DuckDBPyConnection, settings: Settings) -> pd.DataFrame:
    df = _fetch(con, "publish/priority_list")
    columns = [c for c in LIST_COLUMNS if c != "victims_points" or settings.scoring.include_victims]
    if settings.output.include_names:
        names = _fetch(con, "publish/priority_list_names")
        df = df.merge(names, on="perpetrator_id", how="left")
        columns = columns[:2] + ["surname", "forenames"] + columns[2:]
    df = df[columns].copy()
    for col in ("rfg_score", "gravity_total"):
        df[col] = _integral(df[col])
    for col in ("last_incident_date",):
        df[col] = pd.to_datetime(df[col]).dt.date
    df["previous_rank"] = df["previous_rank"].astype("Int64")
    return df


def _fetch(con, name: str, params: dict | None = None) -> pd.DataFrame:
    return db.run(con, name, params).fetchdf()


def incidents_frame(con) -> pd.DataFrame:
    df = _fetch(con, "publish/priority_incidents")
    df["weight"] = _integral(df["weight"])
    df["occurred_date"] = pd.to_datetime(df["occurred_date"]).dt.date
    return df


def left_frame(con) -> pd.DataFrame:
    df = _fetch(con, "publish/left_list")
    df["last_incident_date"] = pd.to_datetime(df["last_incident_date"]).dt.date
    return df


def write_csv(df: pd.DataFrame, target: Path) -> None:
    """RFC 4180 CSV, formula-like text neutralised (see `pipeline.outputs.csvfile`)."""
    from pipeline.outputs import csvfile

    with open(target, "wb") as fh:
        csvfile.write_csv(df, fh)


def write_xlsx(
    lst: pd.DataFrame, incidents: pd.DataFrame, settings: Settings, as_of: dt.date, target: Path,
    review: pd.DataFrame | None = None,
) -> bool:
    """The workbook a panel opens: frozen header, filters, readable widths, dates as dates,
    an Incidents sheet (when it fits Excel), and an About sheet explaining columns and settings.
    Returns whether the incidents sheet was included. Written column-wise by `pipeline.xlsx`
    (xlsxwriter's cell-by-cell writer took most of a large run)."""
    from pipeline.outputs import xlsx

    include_incidents = len(incidents) <= EXCEL_MAX_ROWS
    rows: list[tuple[str, str]] = [
        ("MATAC priority list", f"as of {as_of}"),
        ("Rule", f"serial = at least {settings.rule.min_incidents} qualifying DA incidents and "
                 f"{settings.rule.min_victims} distinct victims (both aged {settings.rule.min_age}+ "
                 f"or unknown) in the {settings.rule.window_years} years up to the as-of date"),
        ("", ""),
        ("Column", "Meaning"),
    ]
    rows += [(c, COLUMN_HELP.get(c, "")) for c in lst.columns]
    if area_sheet_names(lst):
        rows += [("", ""), ("Area sheets", "The list of each area (same columns, force-wide rank).")]
    if include_incidents:
        rows += [("", ""), ("Incidents sheet", "The qualifying incidents behind each score, by rank.")]
    else:
        rows += [("", ""), ("Incidents", "Too many rows for Excel: see priority_incidents.csv.")]
    rows += [("", ""), ("Setting", "Value")]
    # the settings that decide who is listed and how; storage, schedule and UI settings (paths,
    # threads) do not change the list, so the workbook does not depend on them (the run
    # manifest has every setting)
    rows += _flatten({k: v for k, v in settings.as_dict().items() if k in LIST_SETTINGS})
    about = xlsx.TextSheet(
        "About",
        [((k, v), xlsx.HEADER if k in ("Column", "Setting") else xlsx.WRAP) for k, v in rows],
        widths=[34, 110],
    )
    footer = f"MATAC priority list as of {as_of}"
    sheets = [xlsx.DataSheet("Priority list", lst, f"{footer} · Priority list")]
    for area, name in area_sheet_names(lst).items():
        rows_of_area = lst[lst["area"] == area].reset_index(drop=True)
        sheets.append(xlsx.DataSheet(name, rows_of_area, f"{footer} · area {area}"))
    if include_incidents:
        sheets.append(xlsx.DataSheet("Incidents", incidents, f"{footer} · Incidents"))
    if review is not None:
        sheets.append(xlsx.DataSheet(identity_review.SHEET, review, f"{footer} · {identity_review.SHEET}"))
    sheets.append(about)
    xlsx.write_workbook(target, sheets, title=f"MATAC priority list as of {as_of}",
                        created=dt.datetime.combine(as_of, dt.time()))
    return include_incidents


SHEETS_TAKEN = ("Priority list", "Incidents", identity_review.SHEET, "About")


def area_sheet_names(lst: pd.DataFrame) -> dict[str, str]:
    """A sheet per area, in area order, when the list names any area (not only 'unknown'):
    Excel's rules for sheet names (at most 31 characters, none of []:*?/\\, distinct ignoring
    case) applied to the area's name."""
    areas = sorted(set(lst["area"].dropna())) if "area" in lst.columns else []
    if not any(a != UNKNOWN_AREA for a in areas):
        return {}
    used = {t.lower() for t in SHEETS_TAKEN}
    out = {}
    for area in areas:
        base = re.sub(r"[\[\]:*?/\\]", "-", area).strip().strip("'")[:31] or "Area"
        name, n = base, 1
        while name.lower() in used:
            n += 1
            name = f"{base[:31 - len(str(n)) - 3]} ({n})"
        used.add(name.lower())
        out[area] = name
    return out


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out += _flatten(v, key + ".")
        else:
            out.append((key, json.dumps(v) if not isinstance(v, str) else v))
    return out


def input_files(con) -> list[dict]:
    """The files behind the raw tables, as plain JSON values (`extra_columns` a list)."""
    cur = db.run(con, "ops/input_files")
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row)) for row in cur.fetchall()]


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _write(out_dir: Path, stage: Path, name: str, writer: Callable[[Path], object]):
    """Write one file of the set into the staging folder and flush it to disk."""
    with folder.writing(out_dir, name):
        result = writer(stage / name)
        folder.fsync(stage / name)
    return result


def publish(con: duckdb.DuckDBPyConnection, settings: Settings, out_dir: Path, as_of: dt.date,
            manifest: dict, version: str) -> dict:
    """Publish the set to `out_dir` in one step (see the module docstring): the lists, then the
    manifest, completed with `outputs` (paths, counts and the sha256 of each file) and
    `publish_seconds`. `version` (the run id) names the staging folder. Returns paths and row
    counts; raises folder.PublicationError when the folder cannot take the set."""
    start = time.perf_counter()
    out_dir = Path(out_dir).resolve()
    lst, incidents, left = priority_frame(con, settings), incidents_frame(con), left_frame(con)
    review = identity_review.review_frame(con, settings)
    names = {"priority_list_csv": "priority_list.csv",
             "priority_incidents_csv": "priority_incidents.csv", "left_list_csv": "left_list.csv",
             "identity_review_csv": identity_review.FILE}
    if settings.output.xlsx:
        names["priority_list_xlsx"] = "priority_list.xlsx"
    incidents_in_xlsx = None
    # the panel folder (written after publication by the panel assets) is not carried over:
    # the new set starts without the previous cycle's packs
    with folder.staged(out_dir, version, {*PUBLISHED_FILES, PANEL_FOLDER}) as stage:
        _write(out_dir, stage, "priority_incidents.csv", lambda p: write_csv(incidents, p))
        _write(out_dir, stage, "left_list.csv", lambda p: write_csv(left, p))
        _write(out_dir, stage, identity_review.FILE, lambda p: write_csv(review, p))
        if settings.output.xlsx:
            incidents_in_xlsx = _write(out_dir, stage, "priority_list.xlsx", lambda p: write_xlsx(
                lst, incidents, settings, as_of, p, review))
        _write(out_dir, stage, "priority_list.csv", lambda p: write_csv(lst, p))
        manifest["outputs"] = {
            **{key: str(out_dir / name) for key, name in names.items()},
            "listed": len(lst), "incident_rows": len(incidents), "left_list": len(left),
            "identity_review": len(review),
            "files": {name: {"sha256": _sha256(stage / name),
                             "size_bytes": (stage / name).stat().st_size}
                      for name in sorted(names.values())},
        }
        manifest["publish_seconds"] = round(time.perf_counter() - start, 3)
        _write(out_dir, stage, "run_manifest.json", lambda p: p.write_text(
            json.dumps(manifest, indent=2, default=str) + "\n", encoding="utf-8"))
    return {
        "paths": {key: str(out_dir / name) for key, name in names.items()},
        "listed": len(lst),
        "incident_rows": len(incidents),
        "left_list": len(left),
        "identity_review": len(review),
        "incidents_in_xlsx": incidents_in_xlsx,
        "seconds": manifest["publish_seconds"],
        "top": lst.head(10)[["rank", "perpetrator_id", "rfg_score", "incidents_in_window",
                            "victims_in_window", "last_incident_date", "movement"]],
    }
