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


_FITS = """() => {
    const table = document.querySelector('#agreements').getBoundingClientRect();
    const main = document.querySelector('main');
    const padding = parseFloat(getComputedStyle(main).paddingRight);
    const right = main.getBoundingClientRect().right - padding;
    return [table.right, right, document.documentElement.scrollWidth, window.innerWidth];
}"""


def test_the_portfolio_table_fits_its_container_at_the_default_viewport(page: Page) -> None:
    for email, who in (("manager@acme.example", "manager"), ("partner@bravo.example", "partner")):
        page.context.clear_cookies()
        sign_in(page, email)
        expect(page.locator("#agreements tbody tr")).to_have_count(2 if who == "manager" else 1)
        table_right, content_right, scroll_width, viewport = page.evaluate(_FITS)
        assert table_right <= content_right + 0.5, (email, table_right, content_right)
        assert scroll_width <= viewport
        screenshot(page, f"portfolio-{who}")


def test_a_partner_s_portfolio_has_no_empty_partner_column(page: Page) -> None:
    sign_in(page, "partner@bravo.example")
    headers = page.locator("#agreements thead th")
    expect(headers.filter(has_text="Agreement")).to_have_count(1)
    expect(headers.filter(has_text="Partner")).to_have_count(0)
    expect(page.get_by_label("Partner")).to_have_count(0)
    cells = page.locator("#agreements tbody tr").first.locator("td")
    expect(cells.first).to_contain_text("2026-10")
    expect(headers).to_have_count(cells.count() + 1)
