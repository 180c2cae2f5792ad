"""The application as built: health, the OpenAPI description of every resource, and a 404
problem for a route that does not exist."""

from __future__ import annotations

import gc

from accord.server.app import settle_heap
from tests.server.conftest import Api

PROBLEM = "application/problem+json"


def test_health_answers_when_the_database_does(api: Api) -> None:
    response = api.get("/healthz", None)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_the_openapi_description_covers_every_resource(api: Api) -> None:
    paths = api.get("/openapi.json", None).json()["paths"]
    for path in (
        "/api/v1/organisations",
        "/api/v1/users",
        "/api/v1/tokens",
        "/api/v1/sessions",
        "/api/v1/agreements/{slug}/versions/{number}",
        "/api/v1/agreements/{slug}/diff",
        "/api/v1/agreements/{slug}/document",
        "/api/v1/agreements/{slug}/sources/{source}/batches/{batch_id}",
        "/api/v1/agreements/{slug}/verdicts/{verdict_id}",
        "/api/v1/agreements/{slug}/budgets",
        "/api/v1/agreements/{slug}/credits",
        "/api/v1/audit",
    ):
        assert path in paths


def test_an_unknown_route_is_a_404_problem(api: Api) -> None:
    response = api.get("/api/v1/nothing-here", "viewer@acme.example")
    assert (response.status_code, response.headers["content-type"]) == (404, PROBLEM)


def test_settling_the_heap_moves_what_lives_out_of_the_collector_s_way() -> None:
    before = gc.get_freeze_count()
    kept = [[] for _ in range(1000)]  # lists are tracked by the collector
    try:
        settle_heap()
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
