"""Schemathesis against the published OpenAPI description, in process and bounded: whatever a
company admin or a partner sends to any operation, the service answers without a 5xx, with a
documented status code and content type (``application/problem+json`` on errors), a body that
matches the description, a 405 that names the allowed methods, and refusals of invalid input.

Schemathesis' own engine runs every phase (examples, coverage, fuzzing, stateful) with a fixed
seed and deterministic generation, so CI sees the same requests on every run. Its pytest
plugin is not used: its lazy fixture loader does not run on pytest 9. Nothing is written to
the repository: no Hypothesis example database, no Schemathesis cache, and Hypothesis' own
files (its Unicode tables) go to the test's temporary folder, where the service's data lives.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
import schemathesis
from hypothesis.configuration import set_hypothesis_home_dir, storage_directory
from schemathesis.engine import events, from_schema
from starlette.types import ASGIApp, Receive, Scope, Send

from accord.server.app import create_app
from tests.server.conftest import Api
from tests.services.world import World

SEED: Final = 20261103
#: Fuzzed cases per operation; the coverage phase adds its own boundary and negative cases
#: (about 1,200 requests per run in all). Small enough for the file to take well under a
#: minute on two cores.
MAX_EXAMPLES: Final = 10
#: Every built-in check except one: the service checks meaning the schema cannot express (an
#: agreement's text, an organisation id's form) and refuses that with a 422 problem, which
#: ``positive_data_acceptance`` would count as a schema-valid request rejected.
CHECKS_OFF: Final = ("positive_data_acceptance",)
#: What counts as refusing invalid input: schemathesis' defaults, and 413, the guard's answer to
#: a body over the JSON size limit (an invalid array of the longest strings the description
#: allows is larger than that) before any validation runs.
REJECTIONS: Final = (
    *("400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"),
    *("500", "501", "502", "503", "504"),
)


def run_schemathesis(world: World, email: str) -> tuple[list[str], Counter[str]]:
    """Every distinct failure (operation, check, message and a curl command to reproduce it)
    and the number of checked responses per operation."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "cache": {"enabled": False},
            "headers": {"Authorization": f"Bearer {world.tokens[email]}"},
            "generation": {
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "checks": {
                **{name: {"enabled": False} for name in CHECKS_OFF},
                "negative_data_rejection": {"expected-statuses": list(REJECTIONS)},
            },
        }
    )
    app = EachFromItsOwnAddress(create_app(world.services))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    failures: dict[tuple[str, str, str], str] = {}
    checked: Counter[str] = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished) and event.label:
            checked[event.label] += sum(len(checks) for checks in event.recorder.checks.values())
            failures.update(_failures(event))
        elif isinstance(event, events.NonFatalError):
            failures[("error", event.label, "")] = f"{event.label}: {event.info.message}"
        elif isinstance(event, events.FatalError):
            failures[("fatal", "", "")] = f"schemathesis stopped: {event.exception!r}"
    return list(failures.values()), checked


class EachFromItsOwnAddress:
    """Every request arrives from a client address of its own. The fuzz judges each answer on
    its own; hundreds of requests with made-up credentials from one address are, rightly,
    throttled (429), which schemathesis' ``ignored_auth`` check would misread as the
    credentials being ignored. Throttling has its own tests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.addresses = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            n = next(self.addresses)
            scope = {**scope, "client": (f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}", 50000)}
        await self.app(scope, receive, send)


def _failures(event: events.ScenarioFinished) -> dict[tuple[str, str, str], str]:
    found = {}
    for checks in event.recorder.checks.values():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            key = (str(event.label), check.name, failure.title)
            found[key] = (
                f"{event.label}: {check.name}: {failure.title}\n  {failure.message}\n"
                f"  {check.failure_info.code_sample}"
            )
    return found


@pytest.fixture
def hypothesis_home(tmp_path: Path) -> Iterator[None]:
    """Hypothesis writes to a folder of the test's, not to ``.hypothesis`` in the repository."""
    previous = storage_directory(intent_to_write=False).home_directory
    set_hypothesis_home_dir(tmp_path / "hypothesis")
    try:
        yield
    finally:
        set_hypothesis_home_dir(previous)


@pytest.mark.slow
@pytest.mark.usefixtures("hypothesis_home")
@pytest.mark.parametrize("email", ["admin@acme.example", "partner@bravo.example"])
def test_no_request_makes_the_service_fail_or_stray_from_its_description(
    world: World, email: str
) -> None:
    failures, checked = run_schemathesis(world, email)
    assert not failures, "\n\n".join(failures)
    operations = {
        f"{method.upper()} {path}"
        for path, item in create_app(world.services).openapi()["paths"].items()
        for method in item
    }
    assert {label for label, count in checked.items() if count > 0} == operations


def test_every_operation_documents_its_errors_as_problems(api: Api) -> None:
    description = api.get("/openapi.json", None).json()
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, item in description["paths"].items():
        for method, operation in item.items():
            errors = {code: r for code, r in operation["responses"].items() if code[0] in "45"}
            assert errors, f"{method.upper()} {path}"
            for response in errors.values():
                assert response["content"] == {"application/problem+json": {"schema": problem}}
    assert description["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_a_method_a_path_does_not_take_is_a_405_naming_every_method_it_takes(api: Api) -> None:
    response = api.client.request("PATCH", "/api/v1/agreements")
    assert (response.status_code, response.headers["content-type"]) == (
        405,
        "application/problem+json",
    )
    assert response.headers["allow"] == "GET, POST"
