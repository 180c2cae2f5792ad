"""Signing in and the portfolio, in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.server.web.conftest import screenshot, sign_in


def test_a_manager_signs_in_and_sees_every_agreement_judged(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url("/sign-in?next=%2F")
    screenshot(page, "sign-in")
    sign_in(page, "manager@acme.example")
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()
    rows = page.locator("#agreements tbody tr")
    expect(rows).to_have_count(2)
    bravo = rows.filter(has_text="acme-bravo")
    expect(bravo.locator(".status")).to_have_text("breach")
    expect(bravo).to_contain_text("2026-10")
    expect(bravo).to_contain_text("Bravo")
    expect(bravo.locator("svg.sparkline title")).to_contain_text("2026-09 100%")
    charlie = rows.filter(has_text="acme-charlie")
    expect(charlie.locator(".status")).to_have_text("deviation")
    expect(page.locator(".cards")).to_contain_text("1 breaches")
    duties = page.locator("#duties + table tbody tr")
    expect(duties.first).to_contain_text("acme-bravo")
    screenshot(page, "portfolio")


def test_the_portfolio_filters_by_status(page: Page) -> None:
    sign_in(page, "manager@acme.example")
    page.get_by_label("Status").select_option("deviation")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#agreements tbody tr")).to_have_count(1)
    expect(page.locator("#agreements tbody tr")).to_contain_text("acme-charlie")


def test_a_wrong_password_is_refused_on_the_form(page: Page) -> None:
    page.goto("/sign-in")
    page.get_by_label("E-mail address").fill("manager@acme.example")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")


def test_signing_out_ends_the_session(page: Page) -> None:
    sign_in(page, "manager@acme.example")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url("/sign-in")
    page.goto("/")
    expect(page).to_have_url("/sign-in?next=%2F")


def test_a_partner_sees_only_its_own_agreements(page: Page) -> None:
    sign_in(page, "partner@bravo.example")
    expect(page.locator("#agreements tbody tr")).to_have_count(1)
    expect(page.locator("#agreements tbody tr")).to_contain_text("acme-bravo")
