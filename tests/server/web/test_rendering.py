"""Pages from templates: ratios read as percentages, and the CSRF cookie every form is
checked against, set once per browser (HttpOnly) and carried in each form."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from starlette.testclient import TestClient

from accord.server.web.rendering import CSRF_COOKIE, CSRF_FIELD, percent


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
