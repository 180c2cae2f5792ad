"""The amendment pages in a real browser: bravo's proposal listed from the agreement page, its
semantic diff, approvals collected and required, notice and effective instant; the consumer's
manager approving it through a CSRF-checked form, the proposer offered only to withdraw;
another partner's amendment the same 404 as a missing one; axe-core on both pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.services.amendments import ProposeAmendment
from accord.services.portfolio import UploadVersion
from tests.server.web.conftest import screenshot, sign_in
from tests.server.web.test_accessibility import _violations, axe_source
from tests.services.world import World, agreement_document

__all__ = ["axe_source"]

CHANGES = {
    "notice": "30 days",
    "approval": ["acme", "bravo"],
    "rollback": "The previous version is restored by a new amendment.",
}


def _text(target: str, version: str) -> str:
    document = agreement_document("bravo", target=target, version=version)
    document["change_management"] = CHANGES
    return json.dumps(document)


@pytest.fixture
def amendment(evaluated_world: World) -> int:
    """Version 2 declares change management; a day later bravo proposes a 97% target."""
    world = evaluated_world
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_text("99%", "2")))
    world.clock.at += dt.timedelta(days=1)
    command = ProposeAmendment(
        agreement="acme-bravo", summary="A 97% availability target", text=_text("97%", "3")
    )
    return world.services.amendments.propose(world.principal("partner@bravo.example"), command).id


def test_the_consumer_approves_the_partner_s_amendment(page: Page, amendment: int) -> None:
    sign_in(page, "manager@acme.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_role("link", name="Amendments").click()
    row = page.locator("#amendments tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("proposed")
    expect(row).to_contain_text("1 of 2")
    row.get_by_role("link", name=f"#{amendment} A 97% availability target").click()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("30 days")
    expect(facts).to_contain_text("Still required")
    expect(facts).to_contain_text("acme")
    expect(page.locator("#diff + table")).to_contain_text("target")
    expect(page.get_by_role("button", name="Withdraw")).to_have_count(0)
    screenshot(page, "amendment")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("approved")
    expect(page.locator(".timeline")).to_contain_text("approved by manager@acme.example (acme)")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)


def test_the_proposer_may_only_withdraw_and_reject_needs_a_reason(
    page: Page, amendment: int
) -> None:
    sign_in(page, "partner@bravo.example")
    page.goto(f"/agreements/acme-bravo/amendments/{amendment}")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_label("Why reject it")).to_have_attribute("required", "")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("withdrawn")
    expect(page.locator("#act")).to_have_count(0)


def test_another_partner_gets_the_same_404_for_the_amendment(page: Page, amendment: int) -> None:
    sign_in(page, "partner@charlie.example")
    shown = []
    for path in (
        f"/agreements/acme-bravo/amendments/{amendment}",
        f"/agreements/nowhere/amendments/{amendment}",
        "/agreements/acme-bravo/amendments",
        "/agreements/nowhere/amendments",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 404, path
        shown.append(page.locator("main").inner_text().replace("acme-bravo", "nowhere"))
    assert shown[0] == shown[1]
    assert shown[2] == shown[3]
    refused = page.request.post(
        f"/agreements/acme-bravo/amendments/{amendment}/approve", form={"csrf_token": "x"}
    )
    assert refused.status in (403, 404)


def test_an_approval_without_the_csrf_token_is_refused(page: Page, amendment: int) -> None:
    sign_in(page, "manager@acme.example")
    refused = page.request.post(f"/agreements/acme-bravo/amendments/{amendment}/approve", form={})
    assert refused.status == 403
    page.goto(f"/agreements/acme-bravo/amendments/{amendment}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("proposed")


def test_the_amendment_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_url: str, amendment: int, axe_source: str
) -> None:
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    sign_in(audited, "manager@acme.example")
    found = {}
    for path in (
        "/agreements/acme-bravo/amendments",
        f"/agreements/acme-bravo/amendments/{amendment}",
    ):
        audited.goto(path)
        found[path] = _violations(audited, axe_source)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}
