"""The dispute pages in a real browser: bravo raising a dispute of October's breach from the
agreement's disputes page (claim, a link as evidence), the dispute with its evidence, frozen
ladder and the current step's due instant; acme's manager recording the outcome; bravo
escalating to the ladder's next step from the dispute's page, where an auditor sees no such
form and its forged post is refused; each dispute's duty linking to the dispute itself; another
partner's dispute the same 404 as a missing one; a form without its CSRF token refused;
axe-core on both pages (the manager's dispute page with every form). Bravo answers with its
own probe data for the source, and both sides see it judged beside ours; evidence the
retention purge removed says so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accord.core.disputes import DisputeOutcome
from accord.services.disputes import DecideDispute, EvidenceFile, RaiseDispute, Submission
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import VerdictQuery
from tests.server.web.conftest import month_of_requests, screenshot, sign_in
from tests.server.web.test_accessibility import _violations, axe_source
from tests.services.test_dispute_data import probe_csv
from tests.services.world import CONSOLE, World, agreement_document, data_handling

__all__ = ["axe_source"]

DISPUTES = {
    "raise_within": "30 days",
    "steps": [
        {"name": "Operational review", "within": "5 business days", "decided_by": "Managers"},
        {"name": "Executive meeting", "within": "10 business days", "decided_by": "CIO and CEO"},
    ],
    "mediation": {"provider": "DIS mediation, Frankfurt", "costs": "Shared equally"},
}  # fmt: skip


@pytest.fixture
def governed(evaluated_world: World) -> World:
    """Version 2 of bravo's agreement declares the dispute ladder; an hour later it is in force."""
    document = agreement_document("bravo", version="2")
    document["disputes"] = DISPUTES
    manager = evaluated_world.principal("manager@acme.example")
    evaluated_world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    evaluated_world.clock.at += dt.timedelta(hours=1)
    return evaluated_world


def _breach(world: World) -> int:
    found = world.services.verdicts.verdicts(
        CONSOLE, "acme-bravo", VerdictQuery(outcome="breach", window="2026-10")
    )
    return found.items[0].id


@pytest.fixture
def dispute(governed: World) -> int:
    command = RaiseDispute(
        agreement="acme-bravo",
        submission=Submission(text="Your probe counted our planned restart.", links=()),
        verdict=_breach(governed),
    )
    return governed.services.disputes.raise_(
        governed.principal("partner@bravo.example"), command
    ).id


def test_the_partner_raises_a_dispute_and_the_manager_decides_it(
    page: Page, governed: World
) -> None:
    breach = _breach(governed)
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_role("link", name="Disputes").click()
    expect(page.locator("#disputes tbody tr")).to_contain_text("No dispute")
    page.get_by_label("What you dispute").select_option(f"verdict:{breach}")
    page.get_by_label("Your claim").fill("The failures were our announced maintenance.")
    page.get_by_label("Links to evidence, one a line (optional)").fill(
        "https://status.bravo.example/maintenance/2026-10-14"
    )
    page.get_by_role("button", name="Raise the dispute").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("The failures were our announced maintenance.")
    expect(facts).to_contain_text("1. Operational review, decided by Managers; lapses")
    expect(page.locator("#ladder + table tbody tr")).to_have_count(len(DISPUTES["steps"]) + 1)
    current = page.locator('#ladder + table tr[aria-current="step"]')
    expect(current).to_contain_text("current, due 2026-11-")
    expect(page.locator("#evidence + table")).to_contain_text("status.bravo.example")
    expect(page.get_by_role("button", name="Record the outcome")).to_have_count(0)
    screenshot(page, "dispute")
    dispute_url = page.url

    page.context.clear_cookies()
    sign_in(page, "manager@acme.example")
    page.goto(dispute_url)
    page.get_by_label("Outcome reached at step 1").select_option("rejected")
    page.get_by_label("Reason").fill("The maintenance was not announced in time.")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("decided")
    expect(page.locator("dl.facts")).to_contain_text("rejected, recorded")
    page.goto("/agreements/acme-bravo/disputes")
    expect(page.locator("#disputes tbody tr")).to_contain_text("rejected")
    screenshot(page, "disputes")


def test_a_raise_too_late_or_without_a_subject_is_a_clear_refusal(
    page: Page, governed: World
) -> None:
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo/disputes")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    refused = page.request.post(
        "/agreements/acme-bravo/disputes", form={"csrf_token": token, "claim": "x"}
    )
    assert refused.status == 422
    assert "choose the verdict or the credit" in refused.text()
    governed.clock.at += dt.timedelta(days=40)
    page.context.clear_cookies()
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo/disputes")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    assert token
    late = page.request.post(
        "/agreements/acme-bravo/disputes",
        form={"csrf_token": token, "claim": "x", "subject": f"verdict:{_breach(governed)}"},
    )
    assert late.status == 422
    assert "too late" in late.text()


def test_another_partner_gets_the_same_404_for_the_dispute(page: Page, dispute: int) -> None:
    sign_in(page, "partner@charlie.example")
    shown = []
    for path in (
        f"/agreements/acme-bravo/disputes/{dispute}",
        f"/agreements/nowhere/disputes/{dispute}",
        "/agreements/acme-bravo/disputes",
        "/agreements/nowhere/disputes",
    ):
        response = page.goto(path)
        assert response is not None
        assert response.status == 404, path
        shown.append(page.locator("main").inner_text().replace("acme-bravo", "nowhere"))
    assert shown[0] == shown[1]
    assert shown[2] == shown[3]
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "accord_csrf")
    refused = page.request.post(
        f"/agreements/acme-bravo/disputes/{dispute}/responses",
        form={"csrf_token": token, "text": "x"},
    )
    assert refused.status == 404


def test_an_answer_without_the_csrf_token_is_refused(page: Page, dispute: int) -> None:
    sign_in(page, "partner@bravo.example")
    refused = page.request.post(
        f"/agreements/acme-bravo/disputes/{dispute}/responses", form={"text": "x"}
    )
    assert refused.status == 403
    page.goto(f"/agreements/acme-bravo/disputes/{dispute}")
    expect(page.locator(".timeline li")).to_have_count(1)


def test_the_dispute_pages_have_no_serious_accessibility_violation(
    browser: Browser, live_url: str, dispute: int, axe_source: str
) -> None:
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    sign_in(audited, "manager@acme.example")
    found = {}
    for path in ("/agreements/acme-bravo/disputes", f"/agreements/acme-bravo/disputes/{dispute}"):
        audited.goto(path)
        found[path] = _violations(audited, axe_source)
    context.close()
    assert {path: v for path, v in found.items() if v} == {}


def test_the_partner_disputes_a_credit_with_the_amount_it_holds_owed(
    page: Page, governed: World
) -> None:
    sign_in(page, "partner@bravo.example")
    page.goto("/agreements/acme-bravo/disputes")
    page.get_by_label("What you dispute").select_option("credit:2026-10:availability-credits")
    page.get_by_label("Your claim").fill("Half of the failures were announced maintenance.")
    page.get_by_label("For a credit: the amount you hold owed (optional)").fill("50")
    page.get_by_role("button", name="Raise the dispute").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("credit availability-credits")
    expect(page.locator("dl.facts")).to_contain_text("50.00 EUR")
    refused = page.request.post(
        "/agreements/acme-bravo/disputes",
        form={
            "csrf_token": next(
                c["value"] for c in page.context.cookies() if c["name"] == "accord_csrf"
            ),
            "subject": "credit:2026-10:availability-credits",
            "claim": "x",
            "amount": "a lot",
        },
    )
    assert refused.status == 422
    assert "a lot" in refused.text()
    assert "is not a number" in refused.text()


def test_the_partner_escalates_and_a_reader_sees_no_form_and_is_refused(
    page: Page, dispute: int
) -> None:
    url = f"/agreements/acme-bravo/disputes/{dispute}"
    sign_in(page, "auditor@acme.example")
    page.goto(url)
    expect(page.locator("dl.facts")).to_contain_text("1. Operational review")
    expect(page.get_by_role("button", name="Escalate to step 2")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "accord_csrf")
    forged = page.request.post(f"{url}/escalation", form={"csrf_token": token, "reason": "forged"})
    assert forged.status == 403
    page.context.clear_cookies()

    sign_in(page, "partner@bravo.example")
    refused = page.request.post(f"{url}/escalation", form={"reason": "no token"})
    assert refused.status == 403
    page.goto(url)
    expect(page.locator(".timeline li")).to_have_count(1)
    page.get_by_label("Why it goes up now").fill("The managers cannot agree on the probe.")
    page.get_by_role("button", name="Escalate to step 2").click()
    expect(page).to_have_url(f"{page.url.split('/agreements')[0]}{url}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("open")
    expect(page.locator("dl.facts")).to_contain_text("2. Executive meeting, decided by CIO")
    expect(page.locator('#ladder + table tr[aria-current="step"]')).to_contain_text(
        "2. Executive meeting"
    )
    escalated = page.locator(".timeline li").filter(has_text="escalated")
    expect(escalated).to_contain_text("The managers cannot agree on the probe.")
    screenshot(page, "dispute-escalated")
    # Step 3 (mediation) is the last: there is nowhere further to go.
    page.get_by_label("Why it goes up now").fill("Still no agreement.")
    page.get_by_role("button", name="Escalate to step 3").click()
    expect(page.locator("dl.facts")).to_contain_text("3. ")
    expect(page.get_by_role("heading", name="Escalate")).to_have_count(0)
    expect(page.get_by_role("button", name="Send the answer")).to_be_visible()


def test_each_dispute_duty_links_to_its_own_dispute(page: Page, dispute: int) -> None:
    own = f"/agreements/acme-bravo/disputes/{dispute}"
    sign_in(page, "manager@acme.example")
    for where in ("/", "/agreements/acme-bravo"):
        page.goto(where)
        link = page.locator("#duties + table").get_by_role(
            "link", name=f"dispute {dispute}, step 1: Operational review"
        )
        expect(link).to_have_attribute("href", own)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{dispute} Dispute")


def test_the_partner_answers_with_its_own_data_and_both_sides_see_it_beside_ours(
    page: Page, dispute: int, tmp_path: Path, browser: Browser, live_url: str, axe_source: str
) -> None:
    probes = tmp_path / "probes.csv"
    probes.write_bytes(probe_csv(month_of_requests(2026, 10, prefix="probe")))
    url = f"/agreements/acme-bravo/disputes/{dispute}"
    sign_in(page, "partner@bravo.example")
    page.goto(url)
    expect(page.get_by_role("heading", name="Their data beside ours")).to_have_count(0)
    page.get_by_label("Your answer").fill("Our own probes saw every request succeed.")
    page.get_by_label("An evidence file (optional)").set_input_files(str(probes))
    page.get_by_label("If the file is your own measurements").fill("requests")
    page.get_by_role("button", name="Send the answer").click()
    evidence = page.locator("#evidence + table")
    expect(evidence).to_contain_text("data for source requests, 1036 of 1036 rows accepted")
    compared = page.locator("table.comparison")
    expect(compared).to_contain_text("ours beside bravo's probes.csv")
    row = compared.locator("tbody tr").first  # one request in five failed by our data
    expect(row).to_contain_text("breach 79.9615%")
    expect(row).to_contain_text("met 100%")
    expect(row).to_contain_text("+20.0385%")
    expect(
        compared.locator("tbody tr").filter(has_text="credit availability-credits")
    ).to_contain_text("100.00 EUR")
    screenshot(page, "dispute-comparison")
    page.context.clear_cookies()

    sign_in(page, "manager@acme.example")
    page.goto(url)
    expect(page.locator("table.comparison tbody tr").first).to_contain_text("met 100%")
    refused = page.request.post(
        f"{url}/responses",
        multipart={
            "csrf_token": next(
                c["value"] for c in page.context.cookies() if c["name"] == "accord_csrf"
            ),
            "text": "ours",
            "data_for": "pings",
            "file": {"name": "pings.csv", "mimeType": "text/csv", "buffer": probes.read_bytes()},
        },
    )
    assert refused.status == 422
    assert "has no such source" in refused.text()
    context = browser.new_context(base_url=live_url, bypass_csp=True)
    audited = context.new_page()
    sign_in(audited, "manager@acme.example")
    audited.goto(url)
    assert _violations(audited, axe_source) == []
    context.close()


def test_evidence_removed_by_retention_says_so_instead_of_naming_a_file(
    page: Page, governed: World
) -> None:
    """Version 3 keeps dispute evidence 30 days; a decided dispute's file is purged later."""
    document = agreement_document("bravo", version="3")
    document["disputes"] = DISPUTES
    document["data_handling"] = data_handling(
        retention=[{"data": "dispute evidence", "period": "30 days", "applies_to": "evidence"}]
    )
    manager = governed.principal("manager@acme.example")
    governed.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    governed.clock.at += dt.timedelta(hours=1)
    raised = governed.services.disputes.raise_(
        governed.principal("partner@bravo.example"),
        RaiseDispute(
            agreement="acme-bravo",
            submission=Submission(
                text="See the probe log.", files=(EvidenceFile("probe.log", b"all green\n"),)
            ),
            verdict=_breach(governed),
        ),
    )
    governed.services.disputes.decide(
        manager,
        DecideDispute(
            agreement="acme-bravo",
            dispute=raised.id,
            outcome=DisputeOutcome.REJECTED,
            reason="The probe ran from inside bravo's network.",
        ),
    )
    governed.clock.at += dt.timedelta(days=40)
    governed.services.retention.purge(CONSOLE)

    sign_in(page, "partner@bravo.example")
    page.goto(f"/agreements/acme-bravo/disputes/{raised.id}")
    evidence = page.locator("#evidence + table tbody tr")
    expect(evidence).to_contain_text("probe.log (10 bytes); removed by retention on 2026-12-")
