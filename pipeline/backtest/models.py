"""Which models a back-test measures: the configured settings, each `--compare` (a preset name
or a settings file), and the simple baselines, with their names and what they are."""

from __future__ import annotations

from pathlib import Path

from pipeline.backtest.compute import Model
from pipeline.core.settings import Settings, SettingsError, load_settings, preset_names

# Baselines: the configured model's list at each date in another order (see
# sql/backtest/save_baselines.sql and save_random.sql), measured the same way.
BASELINES = {
    "frequency only": "the list ordered by qualifying incidents in the window (most first)",
    "harm last 12 months": "the list ordered by the harm of its qualifying incidents in the "
                           "12 months before the date (most first)",
    "DASH-high count": "the list ordered by qualifying incidents graded DASH high (most first)",
    "random": "the list in random order (seeded; measures averaged over the draws)",
}


def _scoring_rule(settings: Settings) -> dict:
    d = settings.as_dict()
    return {"rule": d["rule"], "scoring": d["scoring"]}


def _name(settings: Settings, label: str) -> str:
    """The preset's name when the model is that preset as shipped, else `label`."""
    preset = settings.scoring.preset
    pure = load_settings(overrides={"scoring": {"preset": preset}})
    return preset if _scoring_rule(settings) == _scoring_rule(pure) else label


def resolve(config: str | None, compare: list[str] | tuple[str, ...] = (),
            overrides: dict | None = None) -> list[Model]:
    """The configured model first, then each `--compare` in order. A preset name means the
    configured settings with that preset (your file's own scoring keys still win); a file is a
    settings file of its own. Raises SettingsError for a bad name or file."""
    base = load_settings(config, overrides)
    stem = Path(config).stem if config else "settings"
    models = [Model(_name(base, stem), base, config or "defaults")]
    for item in compare:
        if item in preset_names():
            layered = {**(overrides or {})}
            layered["scoring"] = {**layered.get("scoring", {}), "preset": item}
            settings = load_settings(config, layered)
            models.append(Model(_name(settings, f"{item}+{stem}"), settings, item))
        elif Path(item).is_file():
            settings = load_settings(item, overrides)
            models.append(Model(_name(settings, Path(item).stem), settings, item))
        else:
            raise SettingsError(
                f"--compare {item}: neither a preset ({', '.join(preset_names())}) nor a "
                "settings file")
    seen: dict[str, int] = {}
    named = []
    for m in models:
        seen[m.name] = seen.get(m.name, 0) + 1
        if seen[m.name] > 1 or m.name in BASELINES:
            m = Model(f"{m.name} ({seen[m.name]})", m.settings, m.source)
        named.append(m)
    return named


def describe(model: Model) -> dict:
    """A model as backtest.json records it: name, source and its rule and scoring settings."""
    return {"name": model.name, "kind": "scored", "source": str(model.source),
            "settings": _scoring_rule(model.settings)}
