"""Publication: what a reader of the output folder can rely on.

- The published set (priority_list.csv/.xlsx, priority_incidents.csv, left_list.csv,
  run_manifest.json, and the data-quality report) switches in one step: a run killed with
  SIGKILL at any file boundary of publication leaves the complete old set or the complete new
  set, never a mix; the next run removes what the killed one left behind.
- A full disk stops the run with one line naming the path and "No space left on device"
  (exit 2) and leaves the previous set unchanged.
- Published CSVs are RFC 4180 (a field holding CR or LF is quoted) and text cells that a
  spreadsheet would run as a formula are neutralised (OWASP: a leading single quote); numbers
  are never touched.
- The manifest's `extra_columns` is a JSON list and it records the sha256 of every file.

Real `matac run` runs (in-process and as subprocesses), real DuckDB files, real folders, a
real (small) tmpfs for the full disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from helpers import REPO, SAMPLES, Story
from pipeline.orchestration import runner

DATA_FILES = ("priority_list.csv", "priority_list.xlsx", "priority_incidents.csv", "left_list.csv")
CLEAN = [SAMPLES / "clean" / "2026-09", SAMPLES / "clean" / "2026-10"]
OLD_AS_OF, NEW_AS_OF = "2026-09-30", "2026-10-30"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "run_manifest.json").read_text(encoding="utf-8"))


def assert_one_complete_set(folder: Path) -> dict[str, bytes]:
    """The folder holds one whole publication: every file present, the incidents are those of
    the listed people at their ranks, and the manifest's hashes match the files. Returns the
    data files' bytes."""
    for name in DATA_FILES + ("run_manifest.json",):
        assert (folder / name).is_file(), f"{name} missing"
    ranks = {(r[0], r[1]) for r in _rows(folder / "priority_list.csv")[1:]}
    incident_ranks = {(r[0], r[1]) for r in _rows(folder / "priority_incidents.csv")[1:]}
    assert incident_ranks == ranks, "priority_incidents.csv and priority_list.csv disagree"
    files = _manifest(folder)["outputs"]["files"]
    for name in DATA_FILES:
        assert files[name]["sha256"] == _sha(folder / name), f"{name} is not the manifest's"
        assert files[name]["size_bytes"] == (folder / name).stat().st_size
    return {name: (folder / name).read_bytes() for name in DATA_FILES}


# ------------------------------------------------------------------ an in-process real run
def _gravity_table(path: Path) -> Path:
    """The default table plus codes whose descriptions are hostile text: spreadsheet formulas
    and line breaks inside a value."""
    with open(REPO / "reference" / "gravity_table.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows += [
        ["X1", '=HYPERLINK("http://example.invalid","click")', "500", "test"],
        ["X2", "+SUM(1;2)", "400", "test"],
        ["X3", "@cmd", "300", "test"],
        ["X4", "-2+3", "200", "test"],
        ["X5", "\tTabbed first", "150", "test"],
        ["X6", "Assault\rwith a bare carriage return", "120", "test"],
        ["X7", "two\nlines", "110", "test"],
        ["X8", "\rCR first", "105", "test"],
    ]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


HOSTILE = {  # description in the gravity table -> what the published CSV cell holds
    '=HYPERLINK("http://example.invalid","click")': "'=HYPERLINK(\"http://example.invalid\",\"click\")",
    "+SUM(1;2)": "'+SUM(1;2)",
    "@cmd": "'@cmd",
    "-2+3": "'-2+3",
    "\tTabbed first": "'\tTabbed first",
    "Assault\rwith a bare carriage return": "Assault\rwith a bare carriage return",
    "two\nlines": "two\nlines",
    "\rCR first": "'\rCR first",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """One real run: F1 has one incident of each hostile code (each against another victim),
    F2 two ordinary ones; the incidents file has an extra column `beat` (not in the contract)."""
    root = tmp_path_factory.mktemp("hostile")
    s = Story()
    for i in range(1, 9):
        s.incident(f"H{i}", f"2024-06-{10 + i:02d}", code=f"X{i}", suspect="F1", victim=f"HV{i}")
    s.incident("N1", "2024-05-01", code="8N", suspect="F2", victim="NV1")
    s.incident("N2", "2024-05-02", code="8G", suspect="F2", victim="NV2")
    extract = s.write(root / "extract")
    incidents = pd.read_csv(extract / "incidents.csv", dtype=str, keep_default_na=False)
    incidents["beat"] = "North 4"
    incidents.to_csv(extract / "incidents.csv", index=False)
    config = root / "settings.yaml"
    config.write_text(json.dumps({
        "storage": {"database": str(root / "matac.duckdb")},
        "output": {"directory": str(root / "output")},
        "scoring": {"gravity_table": str(_gravity_table(root / "gravity.csv"))},
    }), encoding="utf-8")
    (root / "state").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAGSTER_HOME", str(REPO))
        mp.setenv("MATAC_STATE_DIR", str(root / "state"))
        mp.delenv("MATAC_CONFIG", raising=False)
        outcome = runner.run_cycle([str(extract)], dt.date(2024, 6, 30), str(root / "out"),
                                   str(config))
    assert outcome.exit_code == 0, outcome.message
    return root / "out"


def test_a_bare_cr_or_lf_inside_a_value_is_quoted_and_reads_back_whole(hostile_run):
    path = hostile_run / "priority_incidents.csv"
    raw = path.read_bytes()
    assert b'"Assault\rwith a bare carriage return"' in raw
    assert b'"two\nlines"' in raw
    rows = _rows(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert [list(r) for r in frame.itertuples(index=False)] == rows[1:]
    assert list(frame.columns) == rows[0]
    assert len(rows) == 1 + 10 and {len(r) for r in rows} == {len(rows[0])}
    described = {r[rows[0].index("offence_code")]: r[rows[0].index("offence_description")]
                 for r in rows[1:]}
    assert described["X6"] == "Assault\rwith a bare carriage return"
    assert described["X7"] == "two\nlines"


def test_text_that_a_spreadsheet_would_run_is_neutralised_numbers_are_not(hostile_run):
    rows = _rows(hostile_run / "priority_incidents.csv")
    head = rows[0]
    got = {r[head.index("offence_code")]: r[head.index("offence_description")] for r in rows[1:]}
    gravity = {row[0]: row[1] for row in
               csv.reader(open(hostile_run.parent / "gravity.csv", encoding="utf-8", newline=""))}
    for code in (f"X{i}" for i in range(1, 9)):
        assert got[code] == HOSTILE[gravity[code]], code
    assert all(r[head.index("weight")].isdigit() for r in rows[1:])  # numbers stay numbers
    lst = _rows(hostile_run / "priority_list.csv")
    f1 = dict(zip(lst[0], next(r for r in lst[1:] if r[1] == "F1")))
    assert f1["most_serious_offence_description"] == "'=HYPERLINK(\"http://example.invalid\",\"click\")"
    assert f1["most_serious_offence"] == "X1"
    # the workbook keeps the text as it is: its cells are text, never formulas
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(hostile_run / "priority_list.xlsx")
    ws = wb["Priority list"]
    header = [c.value for c in ws[1]]
    col = header.index("most_serious_offence_description") + 1
    cells = [ws.cell(row=r, column=col) for r in range(2, ws.max_row + 1)]
    assert '=HYPERLINK("http://example.invalid","click")' in [c.value for c in cells]
    assert all(c.data_type == "s" for c in cells if c.value)


def test_manifest_lists_extra_columns_as_json_and_hashes_every_file(hostile_run):
    manifest = _manifest(hostile_run)
    extra = {Path(i["path"]).name: i["extra_columns"] for i in manifest["inputs"]}
    assert extra == {"incidents.csv": ["beat"], "persons.csv": [], "involvements.csv": []}
    assert_one_complete_set(hostile_run)


# ---------------------------------------------------------------------------- CSV writer
def _written(df: pd.DataFrame) -> bytes:
    from pipeline.outputs import csvfile

    buf = io.BytesIO()
    csvfile.write_csv(df, buf)
    return buf.getvalue()


def _pandas_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n").encode("utf-8")


def test_csv_writer_gives_the_bytes_pandas_gives_for_ordinary_values(monkeypatch):
    from pipeline.outputs import csvfile

    monkeypatch.setattr(csvfile, "BLOCK_ROWS", 4)  # several blocks
    plain = pd.DataFrame({
        "text": ["x,y", 'say "hi"', "two\nlines", "", None, " spaces ", "é ✓", "P<2>&"],
        "n": pd.array([1, None, 3, -4, 5, 6, 7, 8], dtype="Int64"),
        "f": [1.5, 3.0, float("nan"), 1e-05, 1e20, 0.1, -2.25, 7.0],
        "d": [dt.date(2024, 1, 1), None, dt.date(1999, 12, 31), None, None, None, None, None],
        "none": [None] * 8,
        "i": range(8),
        "b": [True, False] * 4,
        "t": pd.to_datetime(["2024-01-02"] * 7 + [None]),
    })
    for df in (plain, plain.head(0), pd.DataFrame({"a,b": ["x"]}), plain[["b"]], plain[["t"]]):
        assert _written(df) == _pandas_csv(df)


def test_csv_writer_quotes_cr_and_lf_and_neutralises_formula_text_only(monkeypatch):
    from pipeline.outputs import csvfile

    monkeypatch.setattr(csvfile, "BLOCK_ROWS", 3)
    df = pd.DataFrame({
        "text": ["=1+2", "+1", "-1", "@x", "\tt", "\rr", "a\rb", "c\nd", "ok", None, "'quoted"],
        "n": pd.array([-1, -2, None, 4, 5, 6, 7, 8, 9, 10, -11], dtype="Int64"),
        "f": [-1.5, 2.0, -0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, float("nan"), -1e-05],
        "mixed": [-3, "=x", None, 1.5, "y", "-z", 0, 0, 0, 0, 0],
    })
    text = _written(df)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'=1+2", "'+1", "'-1", "'@x", "'\tt", "'\rr", "a\rb",
                                        "c\nd", "ok", "", "'quoted"]
    assert [r[1] for r in rows[1:]] == ["-1", "-2", "", "4", "5", "6", "7", "8", "9", "10", "-11"]
    assert [r[2] for r in rows[1:]] == ["-1.5", "2.0", "-0.0", "1.0", "2.0", "3.0", "4.0", "5.0",
                                        "6.0", "", "-1e-05"]
    assert [r[3] for r in rows[1:6]] == ["-3", "'=x", "", "1.5", "y"]
    assert rows[6][3] == "'-z"
    assert b'"a\rb"' in text and b'"\'\rr"' in text
    back = pd.read_csv(io.BytesIO(text), dtype=str, keep_default_na=False)
    assert [list(r) for r in back.itertuples(index=False)] == rows[1:]


# ------------------------------------------------------------------------ the folder switch
def test_the_switch_keeps_other_files_recovers_a_set_left_aside_and_refuses_subfolders(tmp_path):
    from pipeline.outputs import folder

    out = tmp_path / "out"
    out.mkdir()
    (out / "priority_list.csv").write_text("old")
    (out / "left_list.csv").write_text("old, not in the new set")
    (out / "data_quality.json").write_text("report")
    (out / ".priority_list.csv.k1ll3d.tmp").write_text("half-writ")
    (tmp_path / ".out.matac-killed").mkdir()
    report = (out / "data_quality.json").stat().st_ino
    published = {"priority_list.csv", "left_list.csv"}
    with folder.staged(out, "v1", published) as stage:
        (stage / "priority_list.csv").write_text("v1")
    assert sorted(p.name for p in out.iterdir()) == ["data_quality.json", "priority_list.csv"]
    assert (out / "priority_list.csv").read_text() == "v1"
    assert (out / "data_quality.json").stat().st_ino == report  # linked, not copied
    assert [p.name for p in tmp_path.iterdir()] == ["out"]

    # where the file system cannot exchange two names: two renames
    stage = tmp_path / ".out.matac-v2"
    stage.mkdir()
    (stage / "priority_list.csv").write_text("v2")
    folder.switch(stage, out, exchange=False)
    assert (out / "priority_list.csv").read_text() == "v2"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]

    # killed between those two renames: no folder, the set aside; the next publication puts it
    # back before anything else
    out.rename(tmp_path / ".out.matac-v3.previous")
    (tmp_path / ".out.matac-v3").mkdir()
    folder.recover(out)
    assert (out / "priority_list.csv").read_text() == "v2"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]

    # a folder holding other data is refused, and stays as it was
    (out / "sub").mkdir()
    refused = re.escape(f"cannot publish to {out}: it holds the folder 'sub'")
    with pytest.raises(folder.PublicationError, match=refused):
        with folder.staged(out, "v4", published) as stage:
            (stage / "priority_list.csv").write_text("v4")
    assert (out / "priority_list.csv").read_text() == "v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# ------------------------------------------------------------------ subprocess runs, kills
def _config(root: Path) -> Path:
    path = root / "settings.yaml"
    path.write_text(json.dumps({"storage": {"database": str(root / "matac.duckdb")},
                                "output": {"directory": str(root / "output")}}), encoding="utf-8")
    return path


def _env(root: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "MATAC_CONFIG"}
    env.update(DAGSTER_HOME=str(REPO), MATAC_STATE_DIR=str(root / "state"))
    return env


def _args(root: Path, out: Path, as_of: str) -> list[str]:
    args = [sys.executable, "-m", "pipeline.cli", "run", "--as-of", as_of, "--out", str(out),
            "--config", str(_config(root))]
    for extract in CLEAN:
        args += ["--extract", str(extract)]
    return args


def _publication_entries(out: Path) -> set[str]:
    """Every name a publication to `out` creates around it: hidden siblings `.<out>...` (and
    their files) and hidden temporary files inside `out`, but not the data-quality report's own
    temporary files (the quality step writes those before publication)."""
    seen: set[str] = set()
    try:
        with os.scandir(out.parent) as entries:
            for e in entries:
                if e.name.startswith(f".{out.name}"):
                    seen.add(e.name)
                    if e.is_dir(follow_symlinks=False):
                        seen.update(f"{e.name}/{x}" for x in os.listdir(e.path))
    except OSError:  # a folder renamed or removed while we looked: look again next time
        pass
    try:
        seen.update(f"{out.name}/{x}" for x in os.listdir(out)
                    if x.startswith(".") and not x.startswith(".data_quality"))
    except OSError:
        pass
    return seen


def _run_and_kill_at(args: list[str], env: dict, out: Path, boundary: int) -> tuple[bool, int]:
    """Start `matac run`; SIGKILL it as soon as the `boundary`-th new publication entry
    appears. Returns (killed, entries seen); (False, n) when the run finished first."""
    before = _publication_entries(out)
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    new: set[str] = set()
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        new |= _publication_entries(out) - before
        if len(new) >= boundary:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            return True, len(new)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=60) == 0, stderr
    return False, len(new)


# One full `matac run` per file boundary of a publication (identity_review.csv added one): on
# the shared machine under load that is more than the default 600 s.
@pytest.mark.timeout(1800)
def test_a_publication_killed_at_any_file_boundary_leaves_the_old_or_the_new_set(tmp_path):
    root = tmp_path
    (root / "state").mkdir()
    out = root / "published"
    env = _env(root)
    first = subprocess.run(_args(root, out, OLD_AS_OF), cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    old = assert_one_complete_set(out)

    seen_sets = []
    kills = []
    boundary = 1
    while True:
        killed, entries = _run_and_kill_at(_args(root, out, NEW_AS_OF), env, out, boundary)
        seen_sets.append(assert_one_complete_set(out))
        if not killed:
            break
        kills.append(entries)
        boundary = entries + 1
        assert boundary < 40, "publication never finished"
    new = seen_sets[-1]
    assert new != old
    for i, got in enumerate(seen_sets):
        assert got in (old, new), f"after kill {i + 1} (at {kills[i:i + 1]}): a mixed set"
    assert len(kills) >= 4, f"too few file boundaries were hit: {kills}"
    assert sum(got == old for got in seen_sets) >= 1  # some kills landed before the switch
    # the run that completed removed everything the killed ones left behind
    assert _publication_entries(out) == set()
    assert not list(out.glob(".*.tmp"))


def _mount_tmpfs(path: Path, kib: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={kib}k", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the full-disk test: {proc.stderr.strip()}")


def _fill(disk: Path, keep: int) -> None:
    """Fill the file system until only `keep` bytes are free."""
    st = os.statvfs(disk)
    with open(disk / "filler", "wb") as fh:
        fh.write(b"\0" * max(0, st.f_bavail * st.f_frsize - keep))


def test_a_full_disk_exits_2_naming_the_path_and_keeps_the_previous_set(tmp_path, workspace):
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    cfg = str(workspace.config())
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, 2048)
    try:
        out = disk / "out"
        first = runner.run_cycle([str(e) for e in CLEAN], dt.date(2026, 9, 30), str(out), cfg)
        assert first.exit_code == 0, first.message
        before = assert_one_complete_set(out)
        stamps = {n: (out / n).stat().st_mtime_ns for n in DATA_FILES}
        # room for the data-quality report to be rewritten (one page to spare), not for the
        # new, longer list
        page = 4096
        report_pages = -(-(out / "data_quality_report.html").stat().st_size // page)
        _fill(disk, (report_pages + 1) * page)
        second = runner.run_cycle([str(e) for e in CLEAN], dt.date(2026, 10, 30), str(out), cfg)
        assert second.exit_code == 2, second.message
        assert "No space left on device" in second.message
        assert str(out) in second.message
        assert "\n" not in second.message.strip()
        assert assert_one_complete_set(out) == before
        assert {n: (out / n).stat().st_mtime_ns for n in DATA_FILES} == stamps
        assert _publication_entries(out) == set()  # the half-written set is gone again
        report = json.loads((out / "data_quality.json").read_text(encoding="utf-8"))
        assert report["as_of"] == "2026-10-30"  # the failed run's report is there to read
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
