"""The README's configuration table and the settings stay in step: every variable the
settings read is in the table, every row changes a setting, every setting has a row, and
the example configuration file loads."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

import accord.settings
from accord.settings import Settings, SettingsError

README = Path(__file__).parents[1] / "README.md"
#: Values tried in turn until one is accepted: a number, then a switch, then an engine.
_SAMPLES = ("7", "off", "spark")
_TOML_SAMPLES = ("7", '"7"', "false", '"spark"')


def _section(title: str) -> str:
    """The README's text from the heading ``title`` to the next heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"### {title}\n")
    following = re.compile(r"^#{2,3} ", re.M).search(text, start + 4)
    return text[start : following.start() if following else len(text)]


def _table() -> dict[str, str]:
    """Variable → file key, from the rows of the configuration table."""
    rows = re.findall(r"^\| `(ACCORD_[A-Z_]+)` \| (\S+) \|", _section("Configuration"), re.M)
    return {variable: key.strip("`") for variable, key in rows}


def _changed(settings: Settings, base: Settings) -> set[str]:
    return {
        field.name
        for field in dataclasses.fields(Settings)
        if getattr(settings, field.name) != getattr(base, field.name)
    }


def _fields_set_by_variable(variable: str, base: Settings) -> set[str]:
    for sample in _SAMPLES:
        try:
            return _changed(Settings.load({variable: sample}), base)
        except SettingsError:
            continue
    pytest.fail(f"{variable}: none of {_SAMPLES} is accepted")


def _fields_set_by_key(key: str, base: Settings, folder: Path) -> set[str]:
    config = folder / f"{key}.toml"
    for sample in _TOML_SAMPLES:
        config.write_text(f"{key} = {sample}\n", encoding="utf-8")
        try:
            return _changed(Settings.load({"ACCORD_CONFIG": str(config)}), base)
        except SettingsError:
            continue
    pytest.fail(f"{key}: none of {_TOML_SAMPLES} is accepted")


def test_every_variable_the_settings_read_is_in_the_readme_table() -> None:
    read = set(re.findall(r"ACCORD_[A-Z_]+", inspect.getsource(accord.settings)))
    assert read == set(_table())


def test_every_setting_is_set_by_a_variable_in_the_readme_table() -> None:
    base = Settings.load({})
    changed = {
        variable: _fields_set_by_variable(variable, base)
        for variable in _table()
        if variable != "ACCORD_CONFIG"
    }
    assert all(changed.values()), f"rows that change nothing: {changed}"
    assert set().union(*changed.values()) == {f.name for f in dataclasses.fields(Settings)}


def test_every_file_key_in_the_readme_table_sets_what_its_variable_sets(tmp_path: Path) -> None:
    base = Settings.load({})
    for variable, key in _table().items():
        if key == "—":  # the configuration file itself, and a secret kept out of files
            continue
        assert _fields_set_by_key(key, base, tmp_path) == _fields_set_by_variable(variable, base)


def test_the_example_configuration_file_loads(tmp_path: Path) -> None:
    [example] = re.findall(r"```toml\n(.*?)```", _section("Configuration"), re.S)
    config = tmp_path / "accord.toml"
    config.write_text(example, encoding="utf-8")
    settings = Settings.load({"ACCORD_CONFIG": str(config)})
    assert (settings.port, settings.worker) == (8080, False)
    assert settings.database_url.startswith("postgresql+psycopg://")
