"""The governance review pages in a real browser: the quarter's review scheduled from the
cadence, its pack as HTML and PDF, both sides rating the commitment, a decision with an owner
and a due date, the minutes; another partner's reviews the same 404 as a missing agreement's;
axe-core on both pages."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.services.portfolio import UploadVersion
from tests.server.web.conftest import screenshot, sign_in
from tests.server.web.test_accessibility import _violations, axe_source
from tests.services.world import CONSOLE, World, agreement_document

__all__ = ["axe_source"]


@pytest.fixture
def governed(evaluated_world: World) -> World:
    """Version 2 of bravo's agreement: quarterly reviews, one commitment of bravo's."""
    document = agreement_document("bravo", version="2")
    document["governance"] = {
        "review_cadence": "quarterly",
        "participants": ["acme", "bravo"],
        "data_sharing": "Monthly exports.",
    }
    document["commitments"] = [
        {"id": "early-warning", "party": "bravo", "behaviour": "Warn of capacity limits early."}
    ]
    evaluated_world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    evaluated_world.services.obligations.check(CONSOLE)
    return evaluated_world


def test_both_sides_rate_decide_and_record_the_quarter_s_review(
    page: Page, governed: World
) -> None:
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_role("link", name="Governance reviews").click()
    row = page.locator("#reviews tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2026-Q4 review")
    expect(row).to_contain_text("open")
    pdf = page.request.get("/agreements/acme-bravo/reviews/2026-Q4/pack.pdf")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    html = page.request.get("/agreements/acme-bravo/reviews/2026-Q4/pack.html")
    assert "default-src 'none'" in html.headers["content-security-policy"]
    assert "Warn of capacity limits early." in html.text()
    page.goto("/agreements/acme-bravo/reviews/2026-Q4/pack.html")
    expect(page.get_by_text("Warn of capacity limits early.")).to_be_visible()
    screenshot(page, "review-pack")
    page.go_back()
    row.get_by_role("link", name="2026-Q4 review").click()
    expect(page.locator("#scorecard + table")).to_contain_text("not rated yet")
    page.get_by_label("Rating").select_option("4")
    page.get_by_label("Comment").fill("Told us two weeks ahead.")
    page.get_by_role("button", name="Record the rating").click()
    expect(page.locator("#scorecard + table")).to_contain_text("4/5 by bravo")

    page.context.clear_cookies()
    sign_in(page, "manager@acme.example")
    page.goto("/agreements/acme-bravo/reviews/2026-Q4")
    page.get_by_label("Rating").select_option("2")
    page.get_by_role("button", name="Record the rating").click()
    page.get_by_label("Decision", exact=True).fill("Bravo adds a second region before the peak.")
    page.get_by_label("Owner").select_option("bravo")
    page.get_by_label("Due on (optional)").fill("2026-12-01")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decisions + table")).to_contain_text("2026-12-01")
    page.get_by_label("What the review covered and concluded").fill("Held on site; Q4 reviewed.")
    page.get_by_role("button", name="Record the minutes").click()
    expect(page.locator("#scorecard + table")).to_contain_text("2/5 by acme")
    expect(page.locator("blockquote")).to_contain_text("Held on site; Q4 reviewed.")
    screenshot(page, "review")
    page.goto("/agreements/acme-bravo/reviews")
    expect(page.locator("#reviews tbody tr").first).to_contain_text("met")
    page.goto("/")
    expect(page.locator("#duties + table")).to_contain_text("Bravo adds a second region")
    action = page.get_by_role("link", name="2026-Q4 review: Bravo adds a second region").first
    # The decision's action links to its own review, on the portfolio and the agreement page.
    expect(action).to_have_attribute("href", "/agreements/acme-bravo/reviews/2026-Q4")
    page.goto("/agreements/acme-bravo")
    action = page.locator("#duties + table").get_by_role(
        "link", name="2026-Q4 review: Bravo adds a second region"
    )
    expect(action).to_have_attribute("href", "/agreements/acme-bravo/reviews/2026-Q4")
    action.click()
    expect(page.locator("#decisions + table")).to_contain_text("Bravo adds a second region")


def test_another_partner_gets_the_same_404_for_the_reviews(page: Page, governed: World) -> None:
    sign_in(page, "partner@charlie.example")
    shown = []
    for path in (
        "/agreements/acme-bravo/reviews",
        "/agreements/nowhere/reviews",
        "/agreements/acme-bravo/reviews/2026-Q4",
        "/agreements/nowhere/reviews/2026-Q4",
        "/agreements/acme-bravo/reviews/2026-Q4/pack.pdf",
        "/agreements/nowhere/reviews/2026-Q4/pack.pdf",
    ):
        response = page.goto(path) if not path.endswith(".pdf") else None
        if response is None:
            fetched = page.request.get(path)
            assert fetched.status == 404, path
            shown.append(fetched.text().replace("acme-bravo", "nowhere"))
            continue
        assert response.status == 404, path
        shown.append(page.locator("main").inner_text().replace("acme-bravo", "nowhere"))
    assert shown[0] == shown[1]
    assert shown[2] == shown[3]
    assert shown[4] == shown[5]
    missing = page.goto("/agreements/acme-charlie/reviews/2026-W44")
    assert missing is not None
    assert missing.status == 404


def test_the_review_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_url: str, governed: World, axe_source: str
) -> None:
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    sign_in(audited, "manager@acme.example")
    found = {}
    for path in ("/agreements/acme-bravo/reviews", "/agreements/acme-bravo/reviews/2026-Q4"):
        audited.goto(path)
        found[path] = _violations(audited, axe_source)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_the_scheduled_review_s_duty_links_to_its_own_review(page: Page, governed: World) -> None:
    sign_in(page, "partner@bravo.example")
    for where in ("/", "/agreements/acme-bravo"):
        page.goto(where)
        link = page.locator("#duties + table").get_by_role(
            "link", name=re.compile(r"hold the 2026-Q4 governance review")
        )
        expect(link).to_have_attribute("href", "/agreements/acme-bravo/reviews/2026-Q4")
    link.click()
    expect(page.locator("#scorecard + table")).to_contain_text("not rated yet")
