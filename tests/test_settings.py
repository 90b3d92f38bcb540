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


def _error(tmp_path: Path, text: str) -> str:
    """The message of the SettingsError that a user file with `text` raises."""
    with pytest.raises(SettingsError) as err:
        load_settings(_file(tmp_path, text))
    return str(err.value)


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
    assert f"'{key}'" in _error(tmp_path, text)


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
    assert key in _error(tmp_path, text)


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


# ------------------------------------------------------------ every setting checked at start
# (reliability issue, defects 6 and 10: these were accepted and failed later with a traceback,
# exit 1, or were silently taken as another value)
@pytest.mark.parametrize("text,expected", [
    ("storage:\n  memory_limit: lots\n", "'storage.memory_limit': 'lots' is not a memory size"),
    ("storage:\n  memory_limit: 3GB please\n", "'storage.memory_limit'"),
    ("storage:\n  memory_limit: 1KB\n", "'storage.memory_limit': '1KB' is too small"),
    ("storage:\n  memory_limit: 150%\n", "'storage.memory_limit'"),
    ("schedule:\n  cron: '99 99 * * *'\n", "'schedule.cron': '99 99 * * *' is not a valid cron"),
    ("schedule:\n  cron: '0 6 * * 1 2030'\n", "'schedule.cron'"),  # 6 fields
    ("schedule:\n  cron: '0 6 30 2 *'\n", "'schedule.cron'"),  # never comes
    ("schedule:\n  cycle_start: 2024-13-01\n", "impossible value: month must be in 1..12"),
    ("schedule:\n  cycle_start: '2024-13-01'\n", "'schedule.cycle_start': not a date"),
    ("schedule:\n  cycle_start: 1704585600\n", "'schedule.cycle_start'"),  # not a timestamp
    # YAML types are kept: true is not 1, 1 is not true, "2" is not 2
    ("rule:\n  min_victims: true\n", "'rule.min_victims': Input should be a valid integer"),
    ("rule:\n  min_incidents: true\n", "'rule.min_incidents': Input should be a valid integer"),
    ("rule:\n  window_years: '2'\n", "'rule.window_years': Input should be a valid integer"),
    ("rule:\n  window_years: 2.0\n", "'rule.window_years': Input should be a valid integer"),
    ("scoring:\n  include_victims: 1\n", "'scoring.include_victims': Input should be a valid bool"),
    ("scoring:\n  weights:\n    gravity: true\n", "'scoring.weights.gravity': Input should be a"),
    ("output:\n  xlsx: 'yes'\n", "'output.xlsx': Input should be a valid boolean"),
    ("storage:\n  threads: 2.5\n", "'storage.threads'"),
])
def test_every_setting_is_checked_at_start(tmp_path, text, expected):
    message = _error(tmp_path, text)
    assert expected in message
    assert "Value error" not in message


def test_numbers_where_floats_are_expected_and_quoted_dates_are_fine(tmp_path):
    s = load_settings(_file(tmp_path, "scoring:\n  weights:\n    gravity: 2\n"
                                      "schedule:\n  cycle_start: '2024-02-04'\n"))
    assert s.scoring.weights.gravity == 2.0
    assert str(s.schedule.cycle_start) == "2024-02-04"
    assert load_settings(_file(tmp_path, "schedule:\n  cycle_start: 2024-02-04\n")
                         ).schedule.cycle_start == s.schedule.cycle_start


@pytest.mark.parametrize("limit", ["3GB", "3 GB", "512MiB", "1.5gb", "2TiB", "80%"])
def test_memory_limits_accepted_are_ones_duckdb_takes(tmp_path, limit):
    import duckdb

    s = load_settings(_file(tmp_path, f"storage:\n  memory_limit: '{limit}'\n"))
    con = duckdb.connect(config={"memory_limit": s.storage.memory_limit})
    con.close()


@pytest.mark.parametrize("cron", ["0 6 * * 1", "*/15 * * * *", "0 6 1-7 * 1", "@daily",
                                  "0 6 L * *", "99 99 * * *", "0 6 * * 1 0", "0 0 31 2 *",
                                  "* * *", "0 25 * * *", "0 6 * * mon"])
def test_cron_is_valid_exactly_when_dagster_accepts_it(tmp_path, cron):
    from dagster._utils.schedules import is_valid_cron_string

    path = _file(tmp_path, f"schedule:\n  cron: '{cron}'\n")
    if is_valid_cron_string(cron):
        assert load_settings(path).schedule.cron == cron
    else:
        with pytest.raises(SettingsError, match="'schedule.cron'"):
            load_settings(path)


def test_storage_and_output_under_a_file_are_settings_errors(tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    with pytest.raises(SettingsError, match=f"'storage.database': {a_file} is a file"):
        load_settings(_file(tmp_path, f"storage:\n  database: {a_file / 'db' / 'x.duckdb'}\n"))
    with pytest.raises(SettingsError, match="'storage.database': .* is a folder"):
        load_settings(_file(tmp_path, f"storage:\n  database: {tmp_path}\n"))
    with pytest.raises(SettingsError, match=f"'output.directory': {a_file} is a file"):
        load_settings(_file(tmp_path, f"output:\n  directory: {a_file}\n"))


def test_cli_exits_2_on_settings_that_fail_only_when_used(tmp_path, workspace, capsys):
    """A database folder that cannot be made (under /proc) and a cron Dagster would refuse:
    exit 2 and one line naming the setting, before any Dagster run (they used to fail with a
    traceback, exit 1)."""
    from pipeline import cli

    sample = str(REPO / "data_samples" / "clean" / "2026-09")
    for section, key, value in (("storage", "database", "/proc/nope/x.duckdb"),
                                ("schedule", "cron", "99 99 * * *"),
                                ("storage", "memory_limit", "lots")):
        config = workspace.config(**{section: {key: value}})
        assert cli.main(["run", "--extract", sample, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"'{section}.{key}'" in err, err
    assert not workspace.output.exists()
