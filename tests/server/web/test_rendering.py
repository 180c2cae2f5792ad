"""Pages from templates: ratios read as percentages, the CSRF cookie every form is checked
against, set once per browser (HttpOnly) and carried in each form, and where each dated duty
links to."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from starlette.testclient import TestClient

from accord.server.web.rendering import CSRF_COOKIE, CSRF_FIELD, _duty_page, percent


@pytest.mark.parametrize(
    ("ratio", "places", "shown"),
    [
        (Decimal("0.995"), 2, "99.5%"),
        (Decimal("1"), 2, "100%"),
        (Decimal("0.99951"), 2, "99.95%"),
        (0.8, 0, "80%"),
        (None, 2, "—"),
    ],
)
def test_ratios_read_as_percentages_without_trailing_zeros(
    ratio: Decimal | float | None, places: int, shown: str
) -> None:
    assert percent(ratio, places) == shown


def test_the_csrf_cookie_is_set_once_and_carried_in_the_form(client: TestClient) -> None:
    first = client.get("/sign-in")
    assert first.status_code == 200
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "httponly" in cookie.lower()
    token = client.cookies[CSRF_COOKIE]
    field = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', first.text)
    assert field is not None
    assert field.group(1) == token
    again = client.get("/sign-in")
    assert "set-cookie" not in again.headers
    assert f'value="{token}"' in again.text


@pytest.mark.parametrize(
    ("kind", "key", "target"),
    [
        ("dispute_step", "dispute:7:step:2", "/agreements/acme-x/disputes/7"),
        ("governance_review", "governance_review:2026-Q4", "/agreements/acme-x/reviews/2026-Q4"),
        ("governance_review", "governance_review:2026-10", "/agreements/acme-x/reviews/2026-10"),
        ("incident_review", "incident:3:review", "/incidents/3"),
        ("breach_notice", "incident:3:breach_notice:dora:initial", "/incidents/3"),
        # A review's action names its review's period and its entry: that review.
        ("review_action", "review_action:2026-Q4:12", "/agreements/acme-x/reviews/2026-Q4"),
        ("review_action", "review_action:2026-10:12", "/agreements/acme-x/reviews/2026-10"),
        # Keyed before it named the period: the list of reviews.
        ("review_action", "review_action:12", "/agreements/acme-x/reviews"),
        ("review_action", "review_action:2026-Q5:12", "/agreements/acme-x/reviews"),
        ("location_notice", "location_notice:2026-11-01:ab12", "/agreements/acme-x/amendments"),
        ("renewal_notice", "renewal_notice:2027-12-31", "/agreements/acme-x"),
        ("dispute_step", "dispute:x:step:1", "/agreements/acme-x/disputes"),
    ],
)  # fmt: skip
def test_a_duty_links_to_its_own_item_when_its_key_names_one(
    kind: str, key: str, target: str
) -> None:
    duty = SimpleNamespace(agreement="acme-x", kind=kind, key=key)
    assert _duty_page(duty) == target
