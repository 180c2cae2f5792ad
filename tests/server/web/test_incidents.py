"""The incident pages in a real browser: the list, an incident's state, clocks and timeline,
the partner acknowledging it and posting an update through CSRF-checked forms, another
partner's 404, and axe-core on both pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.services.incidents import OpenIncident
from accord.services.portfolio import UploadVersion
from tests.server.web.conftest import screenshot, sign_in
from tests.server.web.test_accessibility import _violations, axe_source
from tests.services.world import World, agreement_document, incident_policy

__all__ = ["axe_source"]


def _with_incident_policy() -> dict[str, Any]:
    return {**agreement_document("bravo", version="2"), **incident_policy("bravo")}


@pytest.fixture
def incident(evaluated_world: World) -> int:
    manager = evaluated_world.principal("manager@acme.example")
    evaluated_world.services.portfolio.upload(
        manager, UploadVersion(text=json.dumps(_with_incident_policy()))
    )
    command = OpenIncident(agreement="acme-bravo", title="Payments failing", severity="sev1")
    return evaluated_world.services.incidents.open(manager, command).id


def test_the_partner_acknowledges_and_updates_its_incident(page: Page, incident: int) -> None:
    sign_in(page, "partner@bravo.example")
    page.get_by_role("link", name="Incidents").click()
    row = page.locator("#incidents tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("open")
    row.get_by_role("link", name=f"#{incident} Payments failing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")
    clocks = page.locator("#clocks + table tbody tr")
    expect(clocks.first).to_contain_text("open")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("acknowledged")
    page.get_by_label("Status update").fill("Rolled back the release; watching.")
    page.get_by_role("button", name="Post the update").click()
    expect(page.locator(".timeline")).to_contain_text("Rolled back the release; watching.")
    expect(page.locator("dl.facts")).to_contain_text("by partner")
    screenshot(page, "incident")
    page.goto("/agreements/acme-bravo")
    expect(page.locator("#incidents + table")).to_contain_text("Payments failing")
    expect(page.locator("#duties + table tbody tr").first).to_be_visible()
    screenshot(page, "agreement-incidents-duties")


def test_another_partner_gets_the_same_404_for_the_incident(page: Page, incident: int) -> None:
    sign_in(page, "partner@charlie.example")
    page.goto("/incidents")
    expect(page.locator("#incidents tbody tr")).to_contain_text("No incident")
    other = page.goto(f"/incidents/{incident}")
    assert other is not None
    assert other.status == 404
    shown = page.locator("main").inner_text().replace(str(incident), "N")
    missing = page.goto("/incidents/999999")
    assert missing is not None
    assert missing.status == 404
    assert page.locator("main").inner_text().replace("999999", "N") == shown
    refused = page.request.post(f"/incidents/{incident}/acknowledge", form={"csrf_token": "x"})
    assert refused.status in (403, 404)


def test_an_acknowledgement_without_the_csrf_token_is_refused(page: Page, incident: int) -> None:
    sign_in(page, "partner@bravo.example")
    refused = page.request.post(f"/incidents/{incident}/acknowledge", form={})
    assert refused.status == 403
    page.goto(f"/incidents/{incident}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")


def test_the_incident_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_url: str, incident: int, axe_source: str
) -> None:
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    sign_in(audited, "partner@bravo.example")
    found = {}
    for path in ("/incidents", f"/incidents/{incident}", "/agreements/acme-bravo"):
        audited.goto(path)
        found[path] = _violations(audited, axe_source)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
