"""Settings: one YAML file of defaults (`pipeline/core/defaults.yaml`), optionally overridden by a
user file that names only what it changes. Everything is validated at start; an unknown key or
a bad value is a `SettingsError` naming the key, never a silent fallback to a default."""

from __future__ import annotations

import copy
import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULTS_FILE = Path(__file__).with_name("defaults.yaml")
PRESETS_DIR = Path(__file__).with_name("presets")


class SettingsError(ValueError):
    """A settings file is unreadable, names an unknown key, or gives a bad value."""


class _Strict(BaseModel):
    """Unknown keys are errors; values are taken as YAML typed them (`true` is not 1, "2" is
    not 2; an integer is accepted where a number is expected)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _iso_date(value: Any) -> Any:
    """A date as YAML reads it (unquoted) or as ISO text (quoted); nothing else."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"not a date (YYYY-MM-DD): {value!r}") from None
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

# DuckDB's memory_limit: a number and a unit (1000- or 1024-based), or a share of the RAM.
_MEMORY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*|\s*(\d+(?:\.\d+)?)\s*%\s*",
                     re.IGNORECASE)
_UNIT = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
         "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}
MIN_MEMORY_BYTES = 100e6


def _memory_limit(value: str) -> str:
    match = _MEMORY.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a memory size: give a number and a unit (KB, MB, GB, "
                         "TB or KiB, MiB, GiB, TiB), e.g. '3GB', or a share of the RAM, e.g. '80%'")
    if match.group(3) is not None:
        if not 0 < float(match.group(3)) <= 100:
            raise ValueError(f"{value!r}: a share of the RAM must be above 0% and at most 100%")
    elif float(match.group(1)) * _UNIT[match.group(2).lower()] < MIN_MEMORY_BYTES:
        raise ValueError(f"{value!r} is too small: DuckDB needs at least 100MB")
    return value


def _cron(value: str) -> str:
    """A cron expression Dagster accepts: valid for croniter (the parser Dagster vendors) and of
    five fields; 30 or 31 February never comes."""
    from croniter import croniter

    if not croniter.is_valid(value):
        raise ValueError(f"{value!r} is not a valid cron expression, e.g. '0 6 * * 1'")
    fields = croniter.expand(value)[0]
    if len(fields) != 5:
        raise ValueError(f"{value!r}: must have 5 fields (minute hour day month weekday), "
                         "e.g. '0 6 * * 1'")
    if fields[3] == [2] and len(fields[2]) == 1 and fields[2][0] in (30, 31):
        raise ValueError(f"{value!r}: 30 and 31 February never come")
    return value


class RecencyBand(_Strict):
    max_days: int | None = Field(ge=0)
    points: int = Field(ge=0)


class MinBand(_Strict):
    min: float = Field(ge=0)
    points: int = Field(ge=0)


def _check_descending(bands: list, key: str, label: str) -> list:
    values = [getattr(b, key) for b in bands]
    if not bands:
        raise ValueError(f"{label} must have at least one band")
    if key == "max_days":
        finite = [v for v in values if v is not None]
        if finite != sorted(finite) or len(set(finite)) != len(finite):
            raise ValueError(f"{label}: max_days must increase strictly from top to bottom")
        if None in values and values.index(None) != len(values) - 1:
            raise ValueError(f"{label}: the catch-all band (max_days: null) must be last")
    else:
        if values != sorted(values, reverse=True) or len(set(values)) != len(values):
            raise ValueError(f"{label}: min must decrease strictly from top to bottom")
    return bands


class Rule(_Strict):
    window_years: int = Field(ge=1, le=20)
    min_incidents: int = Field(ge=1)
    min_victims: int = Field(ge=1)
    min_age: int = Field(ge=0, le=120)


class Weights(_Strict):
    recency: float = Field(ge=0)
    frequency: float = Field(ge=0)
    gravity: float = Field(ge=0)
    victims: float = Field(ge=0)


def preset_names() -> tuple[str, ...]:
    """The scoring presets shipped in the project (`pipeline/core/presets/<name>.yaml`)."""
    return tuple(sorted(p.stem for p in PRESETS_DIR.glob("*.yaml")))


class Scoring(_Strict):
    preset: str
    count_window_days: int | None = Field(ge=1, le=7320)
    include_victims: bool
    weights: Weights
    recency_bands: list[RecencyBand]
    frequency_bands: list[MinBand]
    gravity_bands: list[MinBand]
    victims_bands: list[MinBand]
    non_crime_weight: float = Field(ge=0)
    unknown_crime_weight: float = Field(ge=0)
    gravity_table: str

    @field_validator("preset")
    @classmethod
    def _preset(cls, v: str) -> str:
        if v not in preset_names():
            raise ValueError(f"unknown preset {v!r} (one of {', '.join(preset_names())})")
        return v

    @field_validator("recency_bands")
    @classmethod
    def _recency(cls, v):
        return _check_descending(v, "max_days", "scoring.recency_bands")

    @field_validator("frequency_bands", "gravity_bands", "victims_bands")
    @classmethod
    def _mins(cls, v, info):
        return _check_descending(v, "min", f"scoring.{info.field_name}")


class Backtest(_Strict):
    horizon_months: int = Field(ge=1, le=120)
    top_k: int = Field(ge=1)
    serious_weight: float = Field(ge=0)
    random_draws: int = Field(ge=1, le=1000)
    random_seed: int


class Quality(_Strict):
    max_quarantine_rate: float = Field(ge=0, le=1)
    max_missing_dob_rate: float = Field(ge=0, le=1)
    max_unknown_offence_rate: float = Field(ge=0, le=1)
    max_volume_change: float = Field(ge=0)
    max_age: int = Field(ge=1, le=150)
    max_failing_ids: int = Field(ge=0, le=1000)
    sample_rows: int = Field(ge=0, le=1000)
    trend_runs: int = Field(ge=1, le=1000)
    max_blank_area_rate: float = Field(ge=0, le=1)


class Output(_Strict):
    directory: str
    include_names: bool
    xlsx: bool


class Panel(_Strict):
    size: int = Field(ge=1, le=1000)
    decisions: str | None
    trajectory_cycles: int = Field(ge=1, le=120)
    pdf: bool


class Storage(_Strict):
    database: str
    memory_limit: str
    threads: int = Field(ge=0, le=256)
    lock_wait_seconds: float = Field(ge=0)

    @field_validator("memory_limit")
    @classmethod
    def _memory(cls, v: str) -> str:
        return _memory_limit(v)


class Schedule(_Strict):
    cycle_days: int = Field(ge=1, le=366)
    cycle_start: IsoDate
    cron: str
    timezone: str
    landing_folder: str
    ready_marker: str
    sensor_interval_seconds: int = Field(ge=5)

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str) -> str:
        return _cron(v)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, v: str) -> str:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(v)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {v!r} (use an IANA name, e.g. 'Europe/London')") from None
        return v

    @field_validator("ready_marker")
    @classmethod
    def _marker(cls, v: str) -> str:
        if not v or "/" in v or "\\" in v or v in (".", ".."):
            raise ValueError("must be a plain file name, e.g. '_READY'")
        return v


class Identity(_Strict):
    method: str
    link_threshold: float = Field(gt=0, lt=1)
    review_threshold: float = Field(gt=0, lt=1)
    max_cluster_size: int = Field(ge=2)
    decisions: str
    model: str
    nicknames: str
    max_associates: int = Field(ge=0, le=1000)

    @field_validator("method")
    @classmethod
    def _method(cls, v: str) -> str:
        if v not in ("linked", "pnc_only"):
            raise ValueError("must be 'linked' (PNC ids and the Splink model) or 'pnc_only'")
        return v

    @model_validator(mode="after")
    def _band(self):
        if self.review_threshold > self.link_threshold:
            raise ValueError("review_threshold must not exceed link_threshold")
        return self


class Ui(_Strict):
    host: str
    port: int = Field(ge=1, le=65535)

    @field_validator("host")
    @classmethod
    def _loopback(cls, v: str) -> str:
        import ipaddress

        try:
            loopback = v == "localhost" or ipaddress.ip_address(v).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(
                "must be a loopback address (127.0.0.1, ::1 or localhost): the Dagster UI has "
                "no login; publish it through an authenticating reverse proxy instead"
            )
        return v


class Settings(_Strict):
    rule: Rule
    scoring: Scoring
    backtest: Backtest
    quality: Quality
    output: Output
    panel: Panel
    storage: Storage
    identity: Identity
    schedule: Schedule
    ui: Ui

    @model_validator(mode="after")
    def _rfgv_bands(self):
        top = self.scoring.frequency_bands[-1].min
        if top > self.rule.min_incidents:
            raise ValueError(
                f"scoring.frequency_bands: lowest band (min {top:g}) must cover "
                f"rule.min_incidents ({self.rule.min_incidents})"
            )
        return self

    # Derived helpers -------------------------------------------------------------------
    def path(self, value: str) -> Path:
        """Resolve a settings path relative to the repository root."""
        p = Path(value)
        return p if p.is_absolute() else REPO_ROOT / p

    @property
    def gravity_table_path(self) -> Path:
        return self.path(self.scoring.gravity_table)

    @property
    def decisions_path(self) -> Path | None:
        return self.path(self.panel.decisions) if self.panel.decisions else None

    @property
    def database_path(self) -> Path:
        return self.path(self.storage.database)

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _deep_merge(base: dict, override: dict, prefix: str = "") -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        name = f"{prefix}{key}"
        if key not in base:
            raise SettingsError(f"unknown setting '{name}'")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise SettingsError(f"setting '{name}' must be a mapping")
            out[key] = _deep_merge(base[key], value, prefix=f"{name}.")
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SettingsError(f"settings file {path} is not valid YAML: {exc}") from None
    except ValueError as exc:  # an impossible date such as 2024-13-01
        raise SettingsError(f"settings file {path} holds an impossible value: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"settings file {path} must contain a mapping at the top level")
    return data


_VALIDATED: dict[tuple, Settings] = {}


def load_settings(config: str | Path | None = None, overrides: dict | None = None) -> Settings:
    """Defaults, then the scoring preset (`scoring.preset`, as the user file or `overrides`
    name it), then the user file `config`, then `overrides` (a nested dict): any setting still
    overrides its preset. A file already validated in this process with the same text is not
    parsed again (the CLI validates before anything heavy loads, and the Dagster resource reads
    the same file)."""
    key = None
    if not overrides:
        try:
            key = (str(Path(config).resolve()) if config is not None else None,
                   Path(config).read_bytes() if config is not None else b"",
                   DEFAULTS_FILE.read_bytes(),
                   tuple(p.read_bytes() for p in sorted(PRESETS_DIR.glob("*.yaml"))))
        except OSError:
            key = None  # reported by _read_yaml below
    if key in _VALIDATED:
        return _VALIDATED[key].model_copy(deep=True)
    settings = _load(config, overrides)
    if key is not None:
        _VALIDATED[key] = settings.model_copy(deep=True)
    return settings


def _preset_name(*layers: dict) -> object:
    """The preset the last layer naming one asks for (layers in increasing priority)."""
    name = None
    for layer in layers:
        scoring = layer.get("scoring")
        if isinstance(scoring, dict) and "preset" in scoring:
            name = scoring["preset"]
    return name


def _load(config: str | Path | None, overrides: dict | None) -> Settings:
    defaults = _read_yaml(DEFAULTS_FILE)
    user = _read_yaml(Path(config)) if config is not None else {}
    name = _preset_name(defaults, user, overrides or {})
    if isinstance(name, str) and name in preset_names():
        # a preset names only scoring keys (and its own name); an unknown one is reported below
        data = _deep_merge(defaults, _read_yaml(PRESETS_DIR / f"{name}.yaml"))
    else:
        data = defaults
    data = _deep_merge(data, user)
    if overrides:
        data = _deep_merge(data, overrides)
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"'{loc}': {msg}" if loc else msg)
        where = f" in {config}" if config else ""
        raise SettingsError(f"bad setting{where}: " + "; ".join(problems)) from None
    for key, value in (("identity.nicknames", settings.identity.nicknames),
                       ("identity.model", settings.identity.model),
                       ("identity.decisions", settings.identity.decisions)):
        if value and not settings.path(value).is_file():
            raise SettingsError(f"setting '{key}': file not found: {settings.path(value)}")
    if not settings.gravity_table_path.is_file():
        raise SettingsError(
            f"setting 'scoring.gravity_table': file not found: {settings.gravity_table_path}"
        )
    _check_folder("storage.database", settings.database_path.parent)
    if settings.database_path.is_dir():
        raise SettingsError(f"setting 'storage.database': {settings.database_path} is a folder, "
                            "not a database file")
    _check_folder("output.directory", settings.path(settings.output.directory))
    return settings


def _check_folder(key: str, folder: Path) -> None:
    problem = folder_problem(folder)
    if problem:
        raise SettingsError(f"setting '{key}': {problem}")


def folder_problem(folder: Path) -> str | None:
    """Why `folder` can neither be used nor made (None if it can): a file stands at it or above
    it, or its nearest existing ancestor is not writable."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing == folder and not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not existing.is_dir():
        return f"{existing} is a file, so {folder} cannot be a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot create or write {folder} ({existing} is not writable)"
    return None


def prepare_storage(settings: Settings) -> None:
    """Make the database's folder before a run starts: a folder that cannot be made (e.g. under
    /proc) is a settings error naming `storage.database`, not a failure in the middle of a run."""
    folder = settings.database_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(f"setting 'storage.database': cannot create the folder {folder}: "
                            f"{exc.strerror}") from None
