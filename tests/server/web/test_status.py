"""The public status page: opt-in in the agreement, no sign-in, only what the agreement
allows, closed months' values as they stood when the month closed."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from accord.services.incidents import OpenIncident
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.connectors.test_status_feeds import _serving
from tests.server.web.conftest import month_of_requests, screenshot
from tests.server.web.test_accessibility import _violations, axe_source
from tests.server.web.test_incidents import _with_incident_policy
from tests.services.world import CONSOLE, World, agreement_document

__all__ = ["axe_source"]

_PAGE = {
    "title": "Payments status",
    "components": [{"name": "Payments API", "objectives": ["availability"]}],
    "uptime": True,
}


def _publish(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["status_page"] = _PAGE
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))


def test_the_status_page_shows_only_what_the_agreement_allows(
    evaluated_world: World, page: Page
) -> None:
    _publish(evaluated_world)
    response = page.goto("/status/acme-bravo")
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments status")
    rows = page.locator("#components tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("th, td").all_inner_texts()
    assert cells == ["Payments API", "disrupted", "100%", "79.9615%"]
    headers = page.locator("#components thead th").all_inner_texts()
    assert headers == ["Component", "State", "2026-09", "2026-10"]
    shown = page.locator("main").inner_text()
    for internal in ("acme-bravo", "Bravo", "Acme", "availability", "EUR", "credit", "breach"):
        assert internal not in shown
    screenshot(page, "status")


def test_a_closed_months_value_does_not_change_with_later_data(
    evaluated_world: World, page: Page
) -> None:
    _publish(evaluated_world)
    evaluated_world.services.ingestion.push(
        evaluated_world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="late",
            events=month_of_requests(2026, 10, prefix="late"),
        ),
    )
    run = evaluated_world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10", reason="late data")
    )
    assert run.verdicts_recorded == 1
    page.goto("/status/acme-bravo")
    cells = page.locator("#components tbody tr").first.locator("td").all_inner_texts()
    assert cells[-1] == "79.9615%"


def test_an_agreement_without_a_status_page_is_not_found_like_none(page: Page) -> None:
    without = page.goto("/status/acme-charlie")
    missing_text = page.locator("main").inner_text().replace("acme-charlie", "X")
    nowhere = page.goto("/status/acme-nowhere")
    assert without is not None
    assert nowhere is not None
    assert without.status == nowhere.status == 404
    assert page.locator("main").inner_text().replace("acme-nowhere", "X") == missing_text


def test_open_incidents_show_only_when_allowed_and_say_nothing_of_themselves(
    evaluated_world: World, page: Page
) -> None:
    _publish(evaluated_world)
    page.goto("/status/acme-bravo")
    expect(page.locator("#incidents")).to_have_count(0)  # not allowed: no section at all
    document = _with_incident_policy()
    document["status_page"] = {**_PAGE, "incidents": True}
    manager = evaluated_world.principal("manager@acme.example")
    evaluated_world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    page.goto("/status/acme-bravo")
    expect(page.locator("main")).to_contain_text("No incident is open.")
    for title, security in (("Ledger database of Acme down", False), ("Key leaked", True)):
        evaluated_world.services.incidents.open(
            manager,
            OpenIncident(agreement="acme-bravo", title=title, severity="sev1", security=security),
        )
    page.goto("/status/acme-bravo")
    rows = page.locator("#open-incidents tbody tr")
    expect(rows).to_have_count(1)  # the security incident is never public
    assert rows.first.locator("th, td").all_inner_texts()[:2] == ["Critical", "open"]
    shown = page.locator("main").inner_text()
    for internal in ("Ledger", "Key leaked", "Acme", "bravo", "manager", "sev1", "security"):
        assert internal not in shown
    screenshot(page, "status-incidents")


_MAINTENANCE_SOURCE = {
    "id": "maintenance",
    "kind": "maintenance",
    "format": "push",
    "owner": "bravo",
    "timestamp": "starts_at",
    "key": "id",
    "columns": {
        "id": {"column": "id", "type": "string"},
        "starts_at": {"column": "starts_at", "type": "timestamp"},
        "ends_at": {"column": "ends_at", "type": "timestamp"},
        "announced_at": {"column": "announced_at", "type": "timestamp"},
        "name": {"column": "name", "type": "string"},
        "region": {"column": "region", "type": "string"},
    },
}
#: What bravo announces, with details that are its own business: the page shows none of them.
_ANNOUNCED = [
    ("m-past", "2026-10-11T01:00:00+00:00", "2026-10-11T03:00:00+00:00", "Old DB patch OPS-4000"),
    ("m-now", "2026-11-03T08:00:00+00:00", "2026-11-03T10:00:00+00:00", "Rotate HSM keys OPS-4710"),
    ("m-next", "2026-11-15T01:00:00+00:00", "2026-11-15T03:00:00+00:00", "Upgrade ldb-7 OPS-4711"),
]


def _with_maintenance(*, public: bool) -> dict[str, object]:
    document = agreement_document("bravo", version="3" if public else "2")
    document["sources"].append(_MAINTENANCE_SOURCE)
    document["exclusions"] = [
        {
            "id": "planned-maintenance",
            "kind": "maintenance",
            "description": "Maintenance announced five days ahead does not count.",
            "source": "maintenance",
            "notice": "5 days",
        }
    ]
    document["status_page"] = {**_PAGE, "maintenance": public}
    return document


def test_announced_maintenance_shows_only_when_allowed_and_only_when_and_where(
    evaluated_world: World, page: Page
) -> None:
    world = evaluated_world
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(
        manager, UploadVersion(text=json.dumps(_with_maintenance(public=False)))
    )
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="maintenance",
            batch_id="announced",
            events=[
                {"id": key, "starts_at": start, "ends_at": end, "name": name,
                 "announced_at": "2026-10-01T09:00:00+00:00", "region": "eu-internal-3"}
                for key, start, end, name in _ANNOUNCED
            ],
        ),
    )  # fmt: skip
    page.goto("/status/acme-bravo")
    expect(page.get_by_role("heading", level=1)).to_have_text("Payments status")
    expect(page.locator("#maintenance")).to_have_count(0)  # not allowed: no section at all
    hidden = page.locator("main").inner_text()
    assert "OPS-47" not in hidden
    assert "2026-11-15" not in hidden

    world.services.portfolio.upload(
        manager, UploadVersion(text=json.dumps(_with_maintenance(public=True)))
    )
    page.goto("/status/acme-bravo")
    rows = page.locator("#announced-maintenance tbody tr")
    expect(rows).to_have_count(2)  # the past one is gone
    assert rows.nth(0).locator("td").all_inner_texts() == [
        "2026-11-03 08:00 UTC",
        "2026-11-03 10:00 UTC",
        "Payments API",
        "in progress",
    ]
    assert rows.nth(1).locator("td").all_inner_texts() == [
        "2026-11-15 01:00 UTC",
        "2026-11-15 03:00 UTC",
        "Payments API",
        "scheduled",
    ]
    shown = page.locator("main").inner_text()
    for internal in ("OPS-4", "HSM", "ldb-7", "eu-internal", "planned-maintenance", "m-next",
                     "2026-10-01", "2026-10-11", "five days", "Bravo", "acme"):  # fmt: skip
        assert internal not in shown, internal
    screenshot(page, "status-maintenance")


def _feed_source(url: str) -> dict[str, object]:
    return {
        "id": "partner-maintenance",
        "kind": "maintenance",
        "format": "status_feed",
        "status_feed": {"url": url},
        "timestamp": "started_at",
        "key": "id",
        "columns": {
            "id": {"column": "id", "type": "string"},
            "name": {"column": "name", "type": "string"},
            "started_at": {"column": "started_at", "type": "timestamp"},
            "ends_at": {"column": "ended_at", "type": "timestamp"},
            "announced_at": {"column": "announced_at", "type": "timestamp"},
        },
    }


def _statuspage(folder: Path) -> None:
    """A partner's Statuspage feed: a switch replacement ahead, a patch done in October."""
    api = folder / "api" / "v2"
    api.mkdir(parents=True)
    (api / "incidents.json").write_text(json.dumps({"incidents": []}), encoding="utf-8")
    maintenances = [
        {"id": "m-ahead", "name": "Replace core switch sw-fra-2 (CHG-881)", "status": "scheduled",
         "impact": "maintenance", "created_at": "2026-11-01T08:00:00Z",
         "scheduled_for": "2026-11-20T02:00:00Z", "scheduled_until": "2026-11-20T04:00:00Z",
         "components": [{"name": "core-net-fra"}]},
        {"id": "m-done", "name": "Patch CHG-870", "status": "completed", "impact": "maintenance",
         "created_at": "2026-10-01T08:00:00Z", "scheduled_for": "2026-10-25T02:00:00Z",
         "scheduled_until": "2026-10-25T03:00:00Z", "components": []},
    ]  # fmt: skip
    summary = {"incidents": [], "scheduled_maintenances": maintenances}
    (api / "summary.json").write_text(json.dumps(summary), encoding="utf-8")


def test_maintenance_a_partner_s_status_feed_announced_shows_without_polling_it(
    evaluated_world: World, page: Page, tmp_path: Path
) -> None:
    world = evaluated_world
    _statuspage(tmp_path / "feed")
    with _serving(tmp_path / "feed") as url:
        document = _with_maintenance(public=True)
        document["sources"] = [*agreement_document("bravo")["sources"], _feed_source(url)]
        document["exclusions"][0]["source"] = "partner-maintenance"  # type: ignore[index]
        world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
        world.services.verdicts.evaluate(
            CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-11")
        )  # the evaluation polls the feed
    # The feed is gone: the page shows what the poll kept, and polls nothing itself.
    page.goto("/status/acme-bravo")
    rows = page.locator("#announced-maintenance tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.locator("td").all_inner_texts() == [
        "2026-11-20 02:00 UTC",
        "2026-11-20 04:00 UTC",
        "Payments API",
        "scheduled",
    ]
    shown = page.locator("main").inner_text()
    for internal in ("CHG-8", "sw-fra", "core-net", "m-ahead", "partner-maintenance", "2026-10-25"):
        assert internal not in shown, internal


def test_the_status_page_has_no_serious_accessibility_violation(
    evaluated_world: World, browser: Browser, live_url: str, axe_source: str
) -> None:
    document = _with_maintenance(public=True)
    document["status_page"] = {**_PAGE, "maintenance": True, "incidents": True}
    evaluated_world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    audited.goto("/status/acme-bravo")
    expect(audited.locator("#maintenance")).to_have_count(1)
    found = _violations(audited, axe_source)
    context.close()
    assert found == []
