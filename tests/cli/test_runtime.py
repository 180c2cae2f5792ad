"""Opening the service for one command: settings read from the environment (a bad value is an
error naming it, exit 1), and a refusal inside the command printed as an error (with every
problem placed when it has them), exit 1, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from sqlalchemy import MetaData, Table, insert

from accord.cli.runtime import load_settings, open_services
from accord.core.problems import Problem
from accord.services.errors import Invalid, NotFound
from accord.settings import sqlite_url
from accord.store.db import make_engine
from accord.store.migrations import current_revision, upgrade
from tests.store.seed import seed


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    for name in ("ACCORD_DATABASE_URL", "ACCORD_CONFIG", "ACCORD_PORT"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_settings_come_from_the_environment(data_dir: Path) -> None:
    assert load_settings().data_dir == data_dir


def test_a_bad_setting_is_an_error_naming_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACCORD_PORT", "eighty")
    with pytest.raises(typer.Exit) as raised:
        load_settings()
    assert raised.value.exit_code == 1
    assert "ACCORD_PORT must be a whole number" in capsys.readouterr().err


def test_a_refusal_inside_a_command_is_an_error_not_a_traceback(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def command() -> None:
        with open_services() as services:
            assert services.context.data_dir == data_dir
            raise NotFound("no agreement 'acme-x'")

    with pytest.raises(typer.Exit) as raised:
        command()
    assert raised.value.exit_code == 1
    assert capsys.readouterr().err.strip() == "error: no agreement 'acme-x'"


def test_invalid_input_prints_every_problem_or_the_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    problem = Problem("agreement.yaml", 3, 7, "kind", "must be Agreement")
    with pytest.raises(typer.Exit) as raised, open_services():
        raise Invalid("the agreement is not valid", [problem])
    assert raised.value.exit_code == 1
    assert capsys.readouterr().err.strip() == "agreement.yaml:3:7: error: kind: must be Agreement"
    with pytest.raises(typer.Exit), open_services():
        raise Invalid("period: 'soon' is not a month")
    assert capsys.readouterr().err.strip() == "error: period: 'soon' is not a month"


def test_a_migration_the_data_refuses_is_an_error_not_a_traceback(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database at 0025 holding two addresses that differ only in case cannot take 0026's
    index: the command stops naming them, and the database stays as it was."""
    data_dir.mkdir()
    engine = make_engine(sqlite_url(data_dir))
    upgrade(engine, "0025")
    world = seed(engine)
    users = Table("users", MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        for email in ("ops@x.example", "Ops@X.example"):
            connection.execute(
                insert(users).values(
                    organisation_id=world.partner_c,
                    email=email,
                    name="n",
                    created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
                )
            )
    with pytest.raises(typer.Exit) as raised, open_services():
        pass
    assert raised.value.exit_code == 1
    error = capsys.readouterr().err
    assert "these differ only in case: Ops@X.example and ops@x.example" in error
    assert "Traceback" not in error
    assert current_revision(engine) == "0025"
    engine.dispose()
