"""A data directory the CLI's settings point at, holding the services world (acme, bravo,
charlie, their users and agreements), built through the services with the tests' clock; or
holding Acme, PayCo and the payments-api example, made as an operator would."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.bootstrap import build
from accord.cli.main import app
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.settings import Settings, sqlite_url
from tests.populated import place_populated
from tests.services.world import NOW, World, make_services, populate

PAYMENTS_API = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


@pytest.fixture
def world_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    if place_populated(sqlite_url(folder), folder, FixedClock(NOW)) is None:
        services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
        try:
            populate(services, FixedClock(NOW))
        finally:
            services.close()
    return folder


def open_world(folder: Path) -> World:
    """The world in ``folder`` again, to change it further (close its services after)."""
    services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
    return World(services, FixedClock(NOW), {})


@pytest.fixture
def payments_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Acme (the company) and PayCo made with ``accord admin``, and the payments-api example
    stored, at the real clock."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    for command in (
        ["admin", "create-organisation", "acme", "Acme Retail GmbH", "--company"],
        ["admin", "create-organisation", "payco", "PayCo Payments Ltd"],
    ):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 0, result.output
    services = build(Settings.load())
    try:
        text = PAYMENTS_API.read_text()
        services.portfolio.upload(Principal.console(), UploadVersion(text=text))
    finally:
        services.close()
    return folder
