"""The agreement and verdict pages, in a real browser: from a breach on the portfolio to its
explanation, the charts, the document, versions and their diff, the credit ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import event

from accord.bootstrap import evidence_bundles
from accord.server.app import create_app
from accord.services.ledger import CreditState, LedgerStep
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.server.conftest import TestClient
from tests.server.web.conftest import screenshot, sign_in
from tests.services.world import CONSOLE, PASSWORD, World, agreement_text


def test_a_manager_walks_from_a_breach_to_its_explanation(page: Page) -> None:
    sign_in(page, "manager@acme.example")
    page.get_by_role("link", name="1 breaches in acme-bravo").click()
    expect(page.get_by_role("heading", name="Acme and bravo")).to_be_visible()
    verdicts = page.locator("#verdict-table tbody tr")
    expect(verdicts).to_have_count(1)
    expect(verdicts).to_contain_text("breach")
    chart = page.locator("svg.chart").first
    expect(chart.locator("desc")).to_contain_text("2026-09: 100%")
    expect(chart.locator("desc")).to_contain_text("2026-10: 79.96")
    screenshot(page, "agreement")
    verdicts.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("availability, 2026-10")
    expect(page.locator("pre")).to_contain_text("99%")
    expect(page.locator("dl.facts").first).to_contain_text("Coverage")
    # Beside the explanation, the drill-down: the worst hours, in Berlin time (a request
    # every 43 minutes from 01:00 UTC on 1 October, one in five failing: one bad event per
    # failing hour, earliest first).
    drill = page.locator("section.drill-down")
    expect(drill.get_by_role("heading")).to_have_text("Drill-down: worst hours")
    hours = drill.locator("tbody tr")
    expect(hours).to_have_count(10)
    expect(hours.first).to_contain_text("2026-10-01 03:00 +0200")
    screenshot(page, "verdict")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all 10 as CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [row["hour"] for row in rows[:1]] == ["2026-10-01T03:00:00+02:00"]
    assert all(row["objective"] == "availability" for row in rows)
    # The evidence bundle of a verdict on pushed batches: the batches, the items, and it
    # recomputes the verdict.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the evidence bundle (zip)").click()
    verification = evidence_bundles().verify(Path(download.value.path()))
    assert verification.ok, verification
    assert verification.recomputed[0]["outcome"] == "breach"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the verdict record (JSON)").click()
    record = json.loads(download.value.path().read_text())
    assert record["verdict"]["outcome"] == "breach"
    assert record["evidence"]["agreement_version"]


def test_the_document_opens_as_html_and_pdf(page: Page) -> None:
    sign_in(page, "manager@acme.example")
    page.goto("/agreements/acme-bravo")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Read it (HTML)").click()
    expect(page.locator("h1").first).to_contain_text("Acme and bravo")


def test_two_versions_are_compared_on_the_page(evaluated_world: World, page: Page) -> None:
    manager = evaluated_world.principal("manager@acme.example")
    evaluated_world.services.portfolio.upload(
        manager, UploadVersion(text=agreement_text("bravo", target="99.5%", version="2"))
    )
    sign_in(page, "manager@acme.example")
    page.goto("/agreements/acme-bravo")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#diff")).to_contain_text("99.5%")
    expect(page.locator("#diff")).to_contain_text("tightened")
    screenshot(page, "agreement-diff")


def test_a_partner_gets_the_same_404_for_another_partners_agreement(page: Page) -> None:
    sign_in(page, "partner@bravo.example")
    other = page.goto("/agreements/acme-charlie")
    assert other is not None
    assert other.status == 404
    other_text = page.locator("main").inner_text().replace("acme-charlie", "X")
    missing = page.goto("/agreements/acme-nowhere")
    assert missing is not None
    assert missing.status == 404
    assert page.locator("main").inner_text().replace("acme-nowhere", "X") == other_text
    assert page.goto("/agreements/acme-charlie/verdicts/1") is not None
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


def test_credits_show_where_they_stand_on_the_portfolio_and_the_ledger(
    evaluated_world: World, page: Page
) -> None:
    sign_in(page, "manager@acme.example")
    bravo = page.locator("#agreements tbody tr").filter(has_text="acme-bravo")
    expect(bravo).to_contain_text("100.00 EUR owed by acme-bravo")
    page.goto("/agreements/acme-bravo#credits")
    expect(page.locator("#ledger tbody tr")).to_contain_text("provisional")
    # October closes (its data cutoff passed) and the company claims its credit.
    evaluated_world.clock.at = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    evaluated_world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    evaluated_world.services.ledger.step(
        evaluated_world.principal("manager@acme.example"),
        LedgerStep(
            agreement="acme-bravo",
            scheme="availability-credits",
            window="2026-10",
            state=CreditState.CLAIMED,
        ),
    )
    sign_in(page, "manager@acme.example")  # the clock moved past the session's end
    expect(bravo).to_contain_text("100.00 EUR claimed by acme-bravo")
    expect(page.locator(".cards")).to_contain_text("100.00 EUR credits claimed")
    page.goto("/agreements/acme-bravo#credits")
    row = page.locator("#ledger tbody tr")
    expect(row.locator(".state")).to_have_text("claimed")
    expect(row).to_contain_text("2026-11-30 23:00 UTC")  # claim by: 30 days after October
    screenshot(page, "agreement-ledger")


def test_the_agreement_page_reads_in_one_unit_of_work(evaluated_world: World) -> None:
    """One transaction for the signed-in user, one for everything the page shows; the
    statements counted so that a read added per row (or per part) shows here."""
    context = evaluated_world.services.context
    begun: list[object] = []
    statements: list[str] = []

    def on_begin(session: object, transaction: object, connection: object) -> None:
        begun.append(session)

    def on_statement(connection: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    with TestClient(create_app(evaluated_world.services)) as client:
        form = client.get("/sign-in").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token is not None
        signed = {"email": "manager@acme.example", "password": PASSWORD}
        client.post("/sign-in", data={**signed, "csrf_token": token.group(1)})
        event.listen(context.sessions, "after_begin", on_begin)
        event.listen(context.engine, "before_cursor_execute", on_statement)
        try:
            response = client.get("/agreements/acme-bravo")
        finally:
            event.remove(context.sessions, "after_begin", on_begin)
            event.remove(context.engine, "before_cursor_execute", on_statement)
    assert response.status_code == 200
    assert "Acme and bravo" in response.text
    assert len(begun) == 2, begun
    assert len(statements) <= 31, "\n".join(statements)
