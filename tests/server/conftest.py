"""The API over the services world (acme, bravo, charlie), through an in-process client; the
incident desk: that world plus PayCo's payments-api agreement (its partner's token), a real
SMTP server and a worker tick driven by the clock."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (locked) still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from accord.bootstrap import build
from accord.server.app import create_app
from accord.services.container import Services
from accord.services.credentials import CreateToken
from accord.services.organisations import CreateOrganisation, CreateUser
from accord.services.permissions import Principal, Role
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.settings import Settings
from tests.mailbox import Mailbox
from tests.migrated import at_head
from tests.populated import place_populated
from tests.services.world import FAST_HASHES, NOW, World, populate

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
WORKER = Principal.console("worker")


class Api:
    """A client that signs requests as one of the world's users."""

    def __init__(self, client: TestClient, world: World) -> None:
        self.client = client
        self.world = world

    def headers(self, email: str | None) -> dict[str, str]:
        return {} if email is None else {"Authorization": f"Bearer {self.world.tokens[email]}"}

    def get(self, path: str, email: str | None, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, headers=self.headers(email), **kwargs)

    def post(self, path: str, email: str | None, **kwargs: Any) -> httpx.Response:
        return self.client.post(path, headers=self.headers(email), **kwargs)

    def put(self, path: str, email: str | None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(email), **kwargs.pop("headers", {})}
        return self.client.put(path, headers=headers, **kwargs)

    def delete(self, path: str, email: str | None) -> httpx.Response:
        return self.client.delete(path, headers=self.headers(email))


@pytest.fixture
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.services)) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient, world: World) -> Api:
    return Api(client, world)


@dataclass
class Desk:
    world: World
    client: TestClient
    tokens: dict[str, str]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def tick(self, at: dt.datetime) -> None:
        self.world.clock.at = at
        self.world.services.obligations.check(WORKER)
        self.world.services.notifications.deliver_due(WORKER)


def _payco(services: Services) -> dict[str, str]:
    console = Principal.console()
    services.organisations.create_organisation(
        console, CreateOrganisation(slug="payco", name="PayCo Payments Ltd")
    )
    services.organisations.create_user(
        console,
        CreateUser(
            organisation="payco", email="noc@payco.example", name="NOC", roles=[Role.PARTNER]
        ),
    )
    services.portfolio.upload(console, UploadVersion(text=EXAMPLE.read_text()))
    token = services.credentials.create_token(
        console, CreateToken(name="noc", user="noc@payco.example")
    )
    return {"payco": token.secret}


@pytest.fixture
def desk(database_url: str, tmp_path: Path, smtp: Mailbox) -> Iterator[Desk]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
    )
    clock = FixedClock(NOW)
    populated = place_populated(database_url, settings.data_dir, clock)
    at_head(database_url)
    services = build(settings, clock=clock, passwords=FAST_HASHES)
    world = populate(services, clock) if populated is None else World(services, clock, populated)
    tokens = {
        **_payco(services),
        "manager": world.tokens["manager@acme.example"],
        "charlie": world.tokens["partner@charlie.example"],
        "viewer": world.tokens["viewer@acme.example"],
    }
    with TestClient(create_app(services)) as client:
        yield Desk(world, client, tokens)
    services.close()
