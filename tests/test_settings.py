"""Settings: the defaults are domain.md's; a user file overrides only what it names; an unknown
key or a bad value is an error naming the key - in `load_settings` and as CLI exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.core.settings import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[1]


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "user.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_documented_ones():
    s = load_settings()
    # domain.md: window 2 years, 2 incidents, 2 victims, aged 16
    assert (s.rule.window_years, s.rule.min_incidents, s.rule.min_victims, s.rule.min_age) == (
        2, 2, 2, 16)
    sc = s.scoring
    assert sc.include_victims is False
    assert (sc.weights.recency, sc.weights.frequency, sc.weights.gravity, sc.weights.victims) == (
        1, 1, 1, 1)
    assert [(b.max_days, b.points) for b in sc.recency_bands] == [
        (30, 5), (90, 4), (180, 3), (365, 2), (None, 1)]
    assert [(b.min, b.points) for b in sc.frequency_bands] == [
        (10, 5), (6, 4), (4, 3), (3, 2), (2, 1)]
    assert [(b.min, b.points) for b in sc.gravity_bands] == [
        (1000, 5), (300, 4), (100, 3), (20, 2), (0, 1)]
    assert [(b.min, b.points) for b in sc.victims_bands] == [(5, 5), (4, 4), (3, 3), (2, 2)]
    assert (sc.non_crime_weight, sc.unknown_crime_weight) == (1, 5)
    assert s.gravity_table_path == REPO / "reference" / "gravity_table.csv"
    assert s.schedule.cycle_days == 28  # panels every 4 weeks


def test_user_file_overrides_only_what_it_names(tmp_path):
    base = load_settings().as_dict()
    user = _file(tmp_path, "rule:\n  window_years: 3\nscoring:\n  weights:\n    gravity: 2\n")
    s = load_settings(user)
    assert s.rule.window_years == 3
    assert s.scoring.weights.gravity == 2
    got = s.as_dict()
    # everything else is untouched: put the two changes back and compare whole
    got["rule"]["window_years"] = base["rule"]["window_years"]
    got["scoring"]["weights"]["gravity"] = base["scoring"]["weights"]["gravity"]
    assert got == base


def test_empty_user_file_is_the_defaults(tmp_path):
    assert load_settings(_file(tmp_path, "# nothing\n")).as_dict() == load_settings().as_dict()


@pytest.mark.parametrize("text,key", [
    ("rule:\n  window_yaers: 3\n", "rule.window_yaers"),
    ("rules:\n  window_years: 3\n", "rules"),
    ("scoring:\n  weights:\n    harm: 1\n", "scoring.weights.harm"),
])
def test_unknown_key_is_an_error_naming_it(tmp_path, text, key):
    with pytest.raises(SettingsError) as err:
        load_settings(_file(tmp_path, text))
    assert f"'{key}'" in str(err.value)


@pytest.mark.parametrize("text,key", [
    ("rule:\n  window_years: two\n", "rule.window_years"),
    ("rule:\n  window_years: 0\n", "rule.window_years"),
    ("rule:\n  min_age: -1\n", "rule.min_age"),
    ("scoring:\n  include_victims: perhaps\n", "scoring.include_victims"),
    ("scoring:\n  weights:\n    recency: -1\n", "scoring.weights.recency"),
    # bands must be monotonic: min decreasing top to bottom
    ("scoring:\n  gravity_bands:\n    - {min: 20, points: 2}\n    - {min: 100, points: 3}\n",
     "scoring.gravity_bands"),
    # recency: max_days increasing, the catch-all last
    ("scoring:\n  recency_bands:\n    - {max_days: 90, points: 4}\n    - {max_days: 30, points: 5}\n",
     "scoring.recency_bands"),
    ("scoring:\n  recency_bands:\n    - {max_days: null, points: 1}\n    - {max_days: 30, points: 5}\n",
     "scoring.recency_bands"),
    ("scoring:\n  frequency_bands:\n    - {min: 3, points: 1}\n", "scoring.frequency_bands"),
    ("rule: 3\n", "rule"),
])
def test_bad_value_is_an_error_naming_the_key(tmp_path, text, key):
    with pytest.raises(SettingsError) as err:
        load_settings(_file(tmp_path, text))
    assert key in str(err.value)


def test_unreadable_settings_files_are_errors(tmp_path):
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(tmp_path / "missing.yaml")
    with pytest.raises(SettingsError, match="not valid YAML"):
        load_settings(_file(tmp_path, "rule: [unclosed\n"))
    with pytest.raises(SettingsError, match="scoring.gravity_table"):
        load_settings(_file(tmp_path, f"scoring:\n  gravity_table: {tmp_path / 'none.csv'}\n"))


def test_bad_gravity_table_content_is_a_settings_error(tmp_path, workspace):
    from pipeline.core import db
    from pipeline.rule.reference import load_reference

    table = tmp_path / "g.csv"
    table.write_text("offence_code,description,weight,source\n8N,a,184,x\n8N,b,12,x\n9A,c,-1,x\n",
                     encoding="utf-8")
    settings = workspace.settings(scoring={"gravity_table": str(table)})
    con = db.connect(settings)
    with pytest.raises(SettingsError, match="scoring.gravity_table"):
        load_reference(con, settings)
    con.close()


def test_cli_exits_2_on_an_unknown_key_and_names_it(tmp_path, workspace, capsys):
    from pipeline import cli

    config = workspace.config(rule={"window_yaers": 3})
    assert cli.main(["run", "--extract", str(tmp_path), "--config", str(config)]) == 2
    assert "'rule.window_yaers'" in capsys.readouterr().err
    assert not workspace.output.exists() or not any(workspace.output.rglob("priority_list.csv"))


def test_cli_entry_point_exits_2_on_a_bad_value(tmp_path, workspace, capsys):
    from pipeline import cli

    config = workspace.config(rule={"window_years": "two"})
    assert yaml.safe_load(config.read_text())["rule"]["window_years"] == "two"
    assert cli.main(["run", "--extract", str(tmp_path), "--config", str(config)]) == 2
    assert "'rule.window_years'" in capsys.readouterr().err
