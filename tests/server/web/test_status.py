"""The public status page: opt-in in the agreement, no sign-in, only what the agreement
allows, closed months' values as they stood when the month closed."""

from __future__ import annotations

import json

from playwright.sync_api import Page, expect

from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.server.web.conftest import month_of_requests, screenshot
from tests.services.world import CONSOLE, World, agreement_document

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
