"""Settings: defaults without configuration, then the file, then the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.settings import Settings, SettingsError, sqlite_url


def test_without_configuration_the_data_lives_in_the_user_data_directory() -> None:
    settings = Settings.load({})
    assert settings.data_dir.name == "accord"
    assert settings.database_url == sqlite_url(settings.data_dir)
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_the_data_directory_comes_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.load({"ACCORD_DATA_DIR": str(tmp_path)})
    assert settings.data_dir == tmp_path
    assert settings.database_url == f"sqlite+pysqlite:///{tmp_path / 'accord.db'}"


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    config = tmp_path / "accord.toml"
    config.write_text('port = 9000\nhost = "0.0.0.0"\ntoken_ttl_days = 7\n', encoding="utf-8")
    settings = Settings.load({"ACCORD_CONFIG": str(config), "ACCORD_PORT": "9100"})
    assert (settings.host, settings.port) == ("0.0.0.0", 9100)
    assert settings.token_ttl == dt.timedelta(days=7)


def test_a_database_url_is_taken_as_given() -> None:
    url = "postgresql+psycopg://accord@db/accord"
    assert Settings.load({"ACCORD_DATABASE_URL": url}).database_url == url


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ACCORD_PORT": "eighty"}, "ACCORD_PORT must be a whole number"),
        ({"ACCORD_PORT": "70000"}, "port must be a positive whole number"),
        ({"ACCORD_MAX_BATCH_EVENTS": "0"}, "max_batch_events must be a positive"),
        ({"ACCORD_CONFIG": "/nonexistent/accord.toml"}, "cannot read"),
    ],
)
def test_a_bad_value_is_named(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(environ)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("port = ", "not valid TOML"),
        ("colour = 'blue'", "unknown setting"),
        ("port = '80'", "port must be a whole number"),
        ("host = 8", "host must be text"),
    ],
)
def test_a_bad_file_is_named(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "accord.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        Settings.load({"ACCORD_CONFIG": str(config)})


def test_the_worker_runs_in_the_server_every_15_minutes_unless_told_otherwise(
    tmp_path: Path,
) -> None:
    settings = Settings.load({})
    assert (settings.worker, settings.evaluation_cadence) == (True, dt.timedelta(minutes=15))
    config = tmp_path / "accord.toml"
    config.write_text("worker = false\nevaluation_minutes = 5\n", encoding="utf-8")
    from_file = Settings.load({"ACCORD_CONFIG": str(config)})
    assert (from_file.worker, from_file.evaluation_cadence) == (False, dt.timedelta(minutes=5))
    assert not Settings.load({"ACCORD_WORKER": "off"}).worker
    assert Settings.load({"ACCORD_CONFIG": str(config), "ACCORD_WORKER": "on"}).worker


def test_the_worker_switch_is_on_or_off() -> None:
    with pytest.raises(SettingsError, match="ACCORD_WORKER must be on or off, not 'sometimes'"):
        Settings.load({"ACCORD_WORKER": "sometimes"})


def test_evaluations_measure_on_duckdb_unless_spark_is_chosen() -> None:
    assert Settings.load({}).engine == "duckdb"
    chosen = Settings.load({"ACCORD_ENGINE": "spark", "ACCORD_SPARK_MASTER": "spark://m:7077"})
    assert (chosen.engine, chosen.spark_master) == ("spark", "spark://m:7077")
    with pytest.raises(SettingsError, match="'flink' is not one of duckdb, spark"):
        Settings.load({"ACCORD_ENGINE": "flink"})


def test_reports_of_closed_periods_are_on_unless_turned_off_and_link_to_the_public_url(
    tmp_path: Path,
) -> None:
    default = Settings.load({})
    assert default.scheduled_reports
    assert default.link_base == "http://127.0.0.1:8000"
    assert not Settings.load({"ACCORD_SCHEDULED_REPORTS": "off"}).scheduled_reports
    config = tmp_path / "accord.toml"
    config.write_text('scheduled_reports = false\npublic_url = "https://a.example/"\n')
    from_file = Settings.load({"ACCORD_CONFIG": str(config)})
    assert (from_file.scheduled_reports, from_file.link_base) == (False, "https://a.example")
