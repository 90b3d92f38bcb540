"""The Dagster UI: `matac ui` serves the asset graph on loopback only, and its daemon runs the
landing-folder sensor unattended. Checked through headless Chromium (Debian's `chromium`).

Set MATAC_UI_SCREENSHOT=docs/asset_graph.png to also save the asset graph as a picture."""

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import dagster as dg
import psutil
import pytest
from test_ops import two_cycle_story

from helpers import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install chromium; CI installs it in .ci/run)",
)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT = 180  # seconds for `dagster dev` (code server, webserver, daemon) to come up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _latest_complete_cycle(today: dt.date) -> str:
    """By hand from the defaults: cycle dates 2024-01-07 + 28k; the latest one before today."""
    day = dt.date(2024, 1, 7)
    while day + dt.timedelta(days=28) < today:
        day += dt.timedelta(days=28)
    return day.isoformat()


@pytest.fixture
def ui(workspace):
    """`matac ui` on a free loopback port, with a complete extract waiting in the landing folder;
    stopped (whole process group) afterwards."""
    landing = workspace.root / "landing"
    two_cycle_story().write(landing / "2026-02")
    (landing / "2026-02" / "_READY").write_text("")
    port = _free_port()
    cfg = workspace.config(schedule={"landing_folder": str(landing), "sensor_interval_seconds": 5},
                           ui={"port": port})
    log = workspace.root / "ui.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "ui", "--config", str(cfg)],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                urllib.request.urlopen(f"{url}/server_info", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, f"matac ui exited: {log.read_text()[-2000:]}"
                assert time.monotonic() < deadline, f"UI not up: {log.read_text()[-2000:]}"
                time.sleep(0.5)
        yield url, port, workspace, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _graph(page, url: str, bare: bool = False):
    """Open the global asset graph with every group expanded, zoomed until full node names
    show (zoomed out, Dagster abbreviates them); `bare` hides the navigation and asset tree."""
    from pipeline.orchestration.definitions import defs

    groups = sorted({spec.group_name for spec in defs.resolve_all_asset_specs()})
    expanded = ",".join(f"global@global:{g}" for g in groups)
    page.goto(f"{url}/asset-groups?expanded={quote(expanded)}", timeout=60_000)
    page.get_by_text("raw_extracts").first.wait_for(timeout=60_000)
    if bare:
        page.get_by_text("Hide navigation").click()
        box = page.get_by_placeholder("Jump to…").bounding_box()  # tree toggle is beside it
        page.mouse.click(box["x"] + box["width"] + 20, box["y"] + box["height"] / 2)
        page.wait_for_timeout(800)
    name = page.get_by_text("raw_extracts", exact=True)  # the graph's first node, full name
    for _ in range(10):
        if name.count():
            break
        page.locator('[aria-label="zoom_in"]').first.click()
        page.wait_for_timeout(300)
    name.first.wait_for(state="visible", timeout=10_000)
    return name


def _wait_for_sensor_run(instance, deadline: float, log: Path):
    while time.monotonic() < deadline:
        runs = instance.get_runs(filters=dg.RunsFilter(tags={"matac/trigger": "sensor"}))
        if runs and runs[0].status == dg.DagsterRunStatus.SUCCESS:
            return runs[0]
        if runs:
            assert runs[0].status not in (dg.DagsterRunStatus.FAILURE,
                                          dg.DagsterRunStatus.CANCELED), runs[0].status
        time.sleep(1)
    pytest.fail(f"no successful sensor run: {log.read_text()[-2000:]}")


def test_ui_serves_the_asset_graph_on_loopback_and_the_daemon_runs_the_sensor(ui):
    from playwright.sync_api import sync_playwright

    url, port, workspace, log = ui
    listening = {c.laddr.ip for c in psutil.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN and c.laddr.port == port}
    assert listening == {"127.0.0.1"}

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1700, "height": 800})
            assert _graph(page, url).first.is_visible()
            assert "Global asset lineage" in page.content()
            # the graph is larger than one screen at a readable zoom: the published list has
            # its own page
            page.goto(f"{url}/assets/published_priority_list", timeout=60_000)
            page.get_by_text("published_priority_list").first.wait_for(timeout=60_000)

            # the daemon: the sensor saw the complete extract and ran ingest + publication
            today = dt.datetime.now(zoneinfo.ZoneInfo("Europe/London")).date()
            key = _latest_complete_cycle(today)
            with dg.DagsterInstance.get() as instance:
                run = _wait_for_sensor_run(instance, time.monotonic() + 150, log)
                assert run.tags["dagster/partition"] == key
                assert key in instance.get_dynamic_partitions("as_of")
            listed = (workspace.output / key / "priority_list.csv").read_text()
            assert ",PH," in listed

            target = os.environ.get("MATAC_UI_SCREENSHOT")
            if target:
                shot = browser.new_page(viewport={"width": 2200, "height": 1000})
                _graph(shot, url, bare=True)
                shot.wait_for_timeout(2500)
                shot.screenshot(path=str(REPO / target),
                                clip={"x": 0, "y": 0, "width": 1720, "height": 830})
        finally:
            browser.close()
