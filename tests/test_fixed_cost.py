"""What makes a run's fixed cost smaller must not change what it makes: pack parts kept from an
earlier run give the same bytes (and are found without drawing), and the suites run in the
Great Expectations worker process give the same verdicts and errors as in this process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import panel_case as case
import pytest

from helpers import REPO


def test_kept_pack_parts_give_the_same_bytes_without_drawing(layers, workspace, story):
    from pipeline.panel import cache, pack, publish
    from pipeline.panel.tables import build_tables

    extract, decisions = case.write(story, workspace.root)
    lay = layers(extract, **case.sections(decisions))
    lay.score(case.AS_OF)
    build_tables(lay.con, lay.settings, case.AS_OF)
    packs = publish.write_packs(lay.con, lay.settings, case.AS_OF, workspace.root / "out")
    settings, data = lay.settings, pack.read(lay.con, lay.settings)
    kept = cache.folder_for(settings)
    parts = sorted(p.name for p in kept.iterdir())
    assert any(p.startswith("chart-") for p in parts) and any(p.startswith("pdf-") for p in parts)
    since = cache.now()
    for area, written in packs.items():
        html, pdf, _facts = publish._render(settings, data, area, case.AS_OF, draw=False)
        assert html == Path(written["paths"]["html"]).read_text(encoding="utf-8")
        assert pdf == Path(written["paths"]["pdf"]).read_bytes()

    stale = kept / "chart-0000"
    stale.write_bytes(b"from an earlier cycle")
    old = stale.stat().st_mtime - 3600
    os.utime(stale, (old, old))
    assert cache.prune(kept, since) == 1 and not stale.exists()  # only the part not used
    for path in kept.iterdir():  # an empty store: nothing is found, drawing is asked for
        path.unlink()
    with pytest.raises(cache.Missing):
        publish._render(settings, data, "North", case.AS_OF, draw=False)


def test_suites_in_the_worker_process_pass_fail_and_raise_as_here(tmp_path):
    script = textwrap.dedent("""
        import datetime as dt, sys
        import pandas as pd
        from pipeline import quality
        from pipeline.quality import gx
        from pipeline.core.settings import load_settings

        gx.start_worker()
        gx.preload()  # no thread beside the worker
        assert gx._worker is not None and "great_expectations" not in sys.modules
        params = quality.parameters(load_settings(), dt.date(2030, 1, 1), dt.date(2025, 1, 1))
        try:
            quality.validate("stg_incidents", pd.DataFrame([{"has_rows": 1}]), params)
        except quality.QualityError as exc:
            print("raised:", str(exc)[:40])
        gx.release()
        assert "great_expectations" not in sys.modules  # never imported in this process
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "raised: GX could not evaluate stg_incidents." in done.stdout
