"""The API over the services world (acme, bravo, charlie), through an in-process client."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx (locked) still works.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from accord.server.app import create_app
from tests.services.world import World


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
