"""The public status page as a use case: each component's state is the worst outcome of its
objectives' latest window (superseded verdicts do not count); each closed month shows the
lowest value among the verdicts first recorded after it closed (a restatement later does not
change it; an open window is no month yet); open incidents and announced maintenance only
when the agreement publishes them, and never what names or describes them."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from accord.services.errors import NotFound
from accord.services.incidents import OpenIncident
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.status import ComponentStatus, MonthValue, PublicMaintenance
from tests.engine.builders import MAINTENANCE_SOURCE
from tests.services.months import NOW, evaluate, push, requests, two_months
from tests.services.world import CONSOLE, World, agreement_document, incident_policy

#: Every request is served (status < 600): its value is 100% whatever the failures.
_SERVED = {
    "id": "served",
    "name": "Served",
    "kind": "ratio",
    "source": "requests",
    "good": "status < 600",
}
_PAGE = {
    "title": "Payments status",
    "components": [
        {"name": "Payments API", "objectives": ["availability", "served"]},
        {"name": "Edge", "objectives": ["served"]},
    ],
    "uptime": True,
}


def _document(version: str, **page: object) -> dict[str, Any]:
    document = agreement_document("bravo", version=version)
    document["indicators"].append(_SERVED)
    document["objectives"].append(
        {"id": "served", "name": "Served", "indicator": "served", "target": "99%",
         "tolerance": "90%", "window": "month"}
    )  # fmt: skip
    # A copy: a test may add components without changing the next test's page.
    document["status_page"] = {**copy.deepcopy(_PAGE), **page}
    return document


def _publish(world: World, document: dict[str, Any]) -> None:
    """A version in force from the start of the term, so that every month is judged by it."""
    upload = UploadVersion(
        text=json.dumps(document),
        effective_at=dt.datetime(2025, 12, 31, 23, tzinfo=dt.UTC),
        backdated="the status page's tests judge every month by this version",
    )
    world.services.portfolio.upload(CONSOLE, upload)


@pytest.fixture
def published(world: World) -> World:
    _publish(world, _document("2"))
    return two_months(world)


def _components(world: World) -> list[ComponentStatus]:
    return world.services.status.page("acme-bravo").components


def test_a_component_shows_its_objectives_worst_latest_outcome_and_lowest_monthly_value(
    published: World,
) -> None:
    view = published.services.status.page("acme-bravo")

    assert (view.title, view.as_of, view.incidents, view.maintenance) == (
        "Payments status",
        NOW,
        None,
        None,
    )
    assert view.components == [
        ComponentStatus(
            "Payments API",
            "disrupted",
            [MonthValue("2026-09", "100%"), MonthValue("2026-10", "80%")],
        ),
        ComponentStatus(
            "Edge", "operational", [MonthValue("2026-09", "100%"), MonthValue("2026-10", "100%")]
        ),
    ]


def test_a_restated_month_changes_the_state_but_not_the_value_the_public_was_shown(
    published: World,
) -> None:
    push(published, "bravo", "late", [
        {**event, "http_status": 200}
        for n in range(20)
        for event in requests(2026, 10, prefix=f"late{n}-")
    ])  # fmt: skip
    # Both objectives' October verdicts are restated (their counts changed).
    assert evaluate(published, "acme-bravo", "2026-10", "late data") == 2

    [api, _edge] = _components(published)
    assert api.state == "operational"  # the superseded breach no longer counts
    assert api.months[-1] == MonthValue("2026-10", "80%")


def test_an_open_month_is_no_month_yet_and_only_the_last_months_are_shown(
    published: World,
) -> None:
    evaluate(published, "acme-bravo", "2026-11")
    _publish(published, _document("3", months=1))

    [api, edge] = _components(published)
    assert api.months == [MonthValue("2026-10", "80%")]
    # November has no data yet: its verdict is the latest window, and says nothing is known.
    assert (api.state, edge.state) == ("unknown", "unknown")


def test_a_component_without_verdicts_is_unknown(world: World) -> None:
    _publish(world, _document("2"))

    assert _components(world) == [
        ComponentStatus("Payments API", "unknown", []),
        ComponentStatus("Edge", "unknown", []),
    ]


def test_an_agreement_without_a_status_page_is_not_found_like_one_that_does_not_exist(
    world: World,
) -> None:
    status = world.services.status
    with pytest.raises(NotFound) as unpublished:
        status.page("acme-charlie")
    with pytest.raises(NotFound) as missing:
        status.page("acme-nowhere")
    assert str(unpublished.value).replace("acme-charlie", "X") == str(missing.value).replace(
        "acme-nowhere", "X"
    )


def test_only_open_incidents_other_than_security_ones_are_public_by_their_severity_s_name(
    world: World,
) -> None:
    _publish(world, _document("2"))
    assert world.services.status.page("acme-bravo").incidents is None
    _publish(world, {**_document("3", incidents=True), **incident_policy("bravo")})
    incidents, manager = world.services.incidents, world.principal("manager@acme.example")
    opened = []
    for title, security in (("Ledger down", False), ("Key leaked", True), ("DNS", False)):
        command = OpenIncident(
            agreement="acme-bravo", title=title, severity="sev1", security=security
        )
        opened.append(incidents.open(manager, command))
        world.clock.at += dt.timedelta(minutes=5)
    incidents.resolve(manager, opened[2].id)

    shown = world.services.status.page("acme-bravo").incidents
    assert shown is not None
    assert [(i.severity, i.state, i.reported_at) for i in shown] == [("Critical", "open", NOW)]


#: Announced maintenance, pushed by bravo.
_MAINTENANCE = {k: v for k, v in MAINTENANCE_SOURCE.items() if k != "path"} | {
    "format": "push",
    "owner": "bravo",
}


def _announce(world: World, *periods: tuple[str, str, str]) -> None:
    document = _document("3", maintenance=True)
    document["sources"].append(_MAINTENANCE)
    document["exclusions"] = [
        {"id": "planned", "kind": "maintenance", "description": "Announced a day ahead.",
         "source": "maintenance", "notice": "1 day"}
    ]  # fmt: skip
    _publish(world, document)
    events = [
        {"starts_at": start, "ends_at": end, "announced_at": announced}
        for start, end, announced in periods
    ]
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-bravo", source="maintenance", batch_id="m", events=events),
    )


def test_maintenance_in_progress_or_ahead_shows_once_announced_with_the_components_it_touches(
    world: World,
) -> None:
    _announce(
        world,
        ("2026-11-01T01:00:00Z", "2026-11-01T03:00:00Z", "2026-10-20T00:00:00Z"),
        ("2026-11-03T08:00:00Z", "2026-11-03T10:00:00Z", "2026-10-20T00:00:00Z"),
        ("2026-11-15T01:00:00Z", "2026-11-15T03:00:00Z", "2026-11-01T00:00:00Z"),
        ("2026-11-20T01:00:00Z", "2026-11-20T03:00:00Z", "2026-11-10T00:00:00Z"),
    )

    both = ["Payments API", "Edge"]
    at = dt.datetime.fromisoformat
    assert world.services.status.page("acme-bravo").maintenance == [
        PublicMaintenance(at("2026-11-03T08:00:00Z"), at("2026-11-03T10:00:00Z"), both, True),
        PublicMaintenance(at("2026-11-15T01:00:00Z"), at("2026-11-15T03:00:00Z"), both, False),
    ]


def test_a_quarter_is_not_shown_as_a_month(world: World) -> None:
    document = _document("2")
    document["objectives"].append(
        {"id": "served-quarter", "name": "Served in the quarter", "indicator": "served",
         "target": "99%", "tolerance": "90%", "window": "quarter"}
    )  # fmt: skip
    document["status_page"]["components"].append(
        {"name": "Quarterly", "objectives": ["served-quarter"]}
    )
    _publish(world, document)
    world.clock.at = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    push(world, "bravo", "september", requests(2026, 9, prefix="s"))
    world.clock.at = NOW
    evaluate(world, "acme-bravo", "2026-Q3")

    [api, _edge, quarterly] = _components(world)
    assert quarterly.state == "operational"  # the quarter's verdict still gives the state
    assert quarterly.months == []
    assert api.months == [MonthValue("2026-09", "100%")]  # July and August had no data
