"""Builders the tests share: an isolated workspace (settings file, DuckDB file, output folder),
writers for small hand-made extracts (`write_table`, `write_extract`, `Story`), and the pipeline's
layers run as plain functions on a real DuckDB file (`Layered`). The fixtures that hand them to
tests are in conftest.py."""

from __future__ import annotations

import csv
import shlex
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data_samples"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class Workspace:
    def __init__(self, root: Path):
        self.root = root
        self.database = root / "matac.duckdb"
        self.output = root / "output"

    def config(self, name: str = "settings.yaml", **sections) -> Path:
        """Write a settings file: storage/output point into the workspace; `sections` (nested
        dicts, e.g. rule={"window_years": 3}) override the rest."""
        data = {
            "storage": {"database": str(self.database)},
            "output": {"directory": str(self.output)},
        }
        for key, value in sections.items():
            data.setdefault(key, {}).update(value)
        path = self.root / name
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    def settings(self, **sections):
        from pipeline.core.settings import load_settings

        return load_settings(self.config(**sections))


def run_isolated(root: Path, extracts: list[str], **kwargs):
    """`runner.run_cycle` (in-process Dagster) with its own settings file, DuckDB file and
    Dagster state under `root`, publishing to `root / "out"`; returns the outcome."""
    import pytest

    from pipeline.orchestration import runner

    config = root / "settings.yaml"
    config.write_text(yaml.safe_dump({"storage": {"database": str(root / "matac.duckdb")},
                                      "output": {"directory": str(root / "output")}}), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(REPO))
        mp.setenv("MATAC_STATE_DIR", str(root / "state"))
        mp.delenv("MATAC_CONFIG", raising=False)
        return runner.run_cycle(extracts, out=str(root / "out"), config=str(config), **kwargs)


def write_table(path: Path, rows: list[dict] | list[list], header: list[str] | None = None,
                encoding: str = "utf-8") -> Path:
    """Write a CSV: `rows` as dicts (header = keys of the first row) or lists with `header`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        if rows and isinstance(rows[0], dict):
            header = header or list(rows[0].keys())
            w.writerow(header)
            for r in rows:
                w.writerow([r.get(h, "") for h in header])
        else:
            w.writerow(header)
            w.writerows(rows)
    return path


def write_extract(folder: Path, incidents, persons, involvements, encoding="utf-8") -> Path:
    """A three-table CSV extract. Each argument: list of dicts (or (header, rows) tuple)."""
    for name, rows in (("incidents", incidents), ("persons", persons), ("involvements", involvements)):
        if isinstance(rows, tuple):
            write_table(folder / f"{name}.csv", rows[1], rows[0], encoding)
        else:
            write_table(folder / f"{name}.csv", rows, encoding=encoding)
    return folder


@contextmanager
def offline_page(outside: list[str]):
    """A 1280x900 page in headless Chromium (Debian's `chromium`, driven by Playwright) that may
    load file:// URLs only: any other request is aborted and its URL appended to `outside`.
    Skips the test with a reason when Chromium or Playwright is not installed."""
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium found (Debian: apt-get install chromium); browser test skipped")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def block(route):
                if not route.request.url.startswith("file://"):
                    outside.append(route.request.url)
                    return route.abort()
                return route.continue_()

            page.route("**/*", block)
            yield page
        finally:
            browser.close()


# ---------------------------------------------------------------------------------------------
# Hand-made stories and the transform layers on a real DuckDB file (fast unit-level runs).

ROLES = ("suspect", "offender", "victim", "witness", "other")


class Story:
    """A small extract told as incidents and who was in them:

        s = Story()
        s.person("P1", dob="1990-01-01", pnc="PNC1")
        s.incident("I1", "2024-05-01", code="8N", suspect="P1", victim=["V1", "V2"])
        s.write(tmp_path / "ex")

    Persons named in an incident but not declared get a record with no date of birth."""

    def __init__(self):
        self.persons: dict[str, dict] = {}
        self.incidents: list[dict] = []
        self.involvements: list[dict] = []

    def person(self, pid: str, dob="", pnc="", gender="", surname="", forenames="") -> "Story":
        self.persons[pid] = {
            "person_id": pid, "surname": surname, "forenames": forenames,
            "date_of_birth": str(dob or ""), "gender": gender, "pnc_id": pnc,
        }
        return self

    def incident(self, iid: str, date, *, type="crime", code="8N", da="", dash="",
                 relationship="partner", **roles) -> "Story":
        unknown = set(roles) - set(ROLES)
        assert not unknown, f"unknown roles {unknown}"
        self.incidents.append({
            "incident_id": iid, "occurred_date": str(date), "record_type": type,
            "offence_code": code if type == "crime" else "", "dash_risk": dash,
            "domestic_abuse_flag": da,
        })
        for role in ROLES:
            ids = roles.get(role, [])
            for pid in [ids] if isinstance(ids, str) else ids:
                if pid not in self.persons:
                    self.person(pid)
                self.involvements.append({
                    "incident_id": iid, "person_id": pid, "role": role,
                    "relationship": relationship if role == "victim" else "",
                })
        return self

    def table(self, text: str) -> "Story":
        """People or incidents as a text table, one a line in the given order. The first line
        names the columns: `person` then keywords of `person()` (dob, pnc, ...), or `incident
        date` then keywords of `incident()` (type, code, da, roles ...). A cell `-` is left to
        the default; a role cell `A,B` names several people; `#` starts a comment; quotes keep
        spaces or an empty value (`' No '`, `''`).

            s.table('''
                incident  date        code  suspect  victim
                K1a       2024-06-30  8N    K1       Ka,Kb   # two victims
            ''')"""
        lines = [shlex.split(line, comments=True) for line in text.splitlines()]
        header, *rows = [cells for cells in lines if cells]
        assert header[0] in ("person", "incident"), f"unknown table {header}"
        for cells in rows:
            assert len(cells) == len(header), f"{cells} does not match the columns {header}"
            given = {k: v for k, v in zip(header[1:], cells[1:]) if v != "-"}
            if header[0] == "person":
                self.person(cells[0], **given)
            else:
                given = {k: v.split(",") if k in ROLES and "," in v else v
                         for k, v in given.items()}
                self.incident(cells[0], given.pop("date"), **given)
        return self

    def write(self, folder: Path) -> Path:
        return write_extract(
            folder,
            (list(_INCIDENT_HEADER), self.incidents),
            (list(_PERSON_HEADER), list(self.persons.values())),
            (list(_INVOLVEMENT_HEADER), self.involvements),
        )


_INCIDENT_HEADER = ("incident_id", "occurred_date", "record_type", "offence_code", "dash_risk",
                    "domestic_abuse_flag")
_PERSON_HEADER = ("person_id", "surname", "forenames", "date_of_birth", "gender", "pnc_id")
_INVOLVEMENT_HEADER = ("incident_id", "person_id", "role", "relationship")


class Layered:
    """The transform layers run on one real DuckDB file (what the Dagster assets call)."""

    def __init__(self, workspace: "Workspace", extracts, settings):
        from pipeline.core import db
        from pipeline.identity.resolve import build_identity
        from pipeline.ingest.read import load_extracts
        from pipeline.ingest.stage import build_staging

        self.workspace = workspace
        self.settings = settings
        self.con = db.connect(settings)
        self.load = load_extracts(self.con, [str(e) for e in extracts],
                                            workspace.root / "work")
        self.staging = build_staging(self.con)
        self.identity = build_identity(self.con)
        self.as_of = None

    def score(self, as_of=None, **sections) -> "Layered":
        """Reference data, rule and marts at `as_of` (default: latest occurred_date), with
        settings sections overridden (e.g. rule={"window_years": 3})."""
        import datetime as dt

        from pipeline.rule.reference import load_reference
        from pipeline.rule.score import apply_rule, build_marts, latest_occurred_date

        if sections:
            self.settings = self.workspace.settings(**sections)
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        self.as_of = as_of or latest_occurred_date(self.con)
        load_reference(self.con, self.settings)
        self.rule = apply_rule(self.con, self.settings, self.as_of)
        self.marts = build_marts(self.con)
        return self

    def df(self, sql: str, params=None):
        return self.con.execute(sql, params or []).fetchdf()

    def rows(self, sql: str, params=None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def priority(self):
        """mart_priority_list in rank order, indexed by perpetrator_id."""
        return self.df("SELECT * FROM mart_priority_list ORDER BY rank").set_index(
            "perpetrator_id", drop=False)

    def listed(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT perpetrator_id FROM mart_priority_list ORDER BY rank")]

    def close(self):
        self.con.close()
