"""Pages from Jinja templates: the signed-in user, the CSRF token every form carries, and the
filters that show ratios, money and instants as people read them."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from functools import cache
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from accord.reports.charts import sparkline
from accord.services.permissions import Principal

__all__ = ["CSRF_COOKIE", "CSRF_FIELD", "DOCUMENT_CSP", "csrf_token", "page", "percent"]

CSRF_COOKIE: Final = "accord_csrf"
CSRF_FIELD: Final = "csrf_token"
#: Rendered documents (the agreement, a review pack) carry their own stylesheet inline and
#: run no script.
DOCUMENT_CSP: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


def percent(ratio: Decimal | float | None, places: int = 2) -> str:
    """A ratio in [0, 1] as a percentage, trailing zeros dropped: 0.995 → 99.5%."""
    if ratio is None:
        return "—"
    shown = f"{Decimal(str(ratio)) * 100:.{places}f}"
    if "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    return f"{shown}%"


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _instant(value: dt.datetime | None) -> str:
    return "—" if value is None else value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


#: The page that handles a dated duty of each kind (others: the agreement's duties).
_DUTY_PAGES: Final = {
    "dispute_step": "disputes",
    "governance_review": "reviews",
    "review_action": "reviews",
    "location_notice": "amendments",
}


#: Keys that name the one item a duty is about: its dispute's step, its scheduled review's
#: period, its incident (``services.disputes``, ``core.obligations.governance`` and
#: ``core.obligations.incidents`` key them so).
_DUTY_ITEMS: Final = (
    (re.compile(r"dispute:(\d+):step:\d+"), "/agreements/{agreement}/disputes/{0}"),
    (
        re.compile(r"governance_review:(\d{4}-(?:\d{2}|Q[1-4]))"),
        "/agreements/{agreement}/reviews/{0}",
    ),
    # A review decision's action, keyed by its review's period (migration 0028 gave the
    # older keys, which named the entry alone, their period; one whose entry is gone still
    # names the entry alone and links to the list of reviews).
    (
        re.compile(r"review_action:(\d{4}-(?:\d{2}|Q[1-4])):\d+"),
        "/agreements/{agreement}/reviews/{0}",
    ),
    (re.compile(r"incident:(\d+):.+"), "/incidents/{0}"),
)


def _duty_page(duty: Any) -> str:
    """Where a dated duty is dealt with: its own dispute, review or incident when its key
    names one, else its dispute, review or amendment list, else its agreement."""
    for pattern, target in _DUTY_ITEMS:
        if item := pattern.fullmatch(duty.key):
            return target.format(item[1], agreement=duty.agreement)
    found = _DUTY_PAGES.get(duty.kind)
    return f"/agreements/{duty.agreement}/{found}" if found else f"/agreements/{duty.agreement}"


def _spark(points: list[Any], label: str) -> Markup:
    values = [float(point.left_ratio) for point in points]
    words = ", ".join(f"{p.window} {percent(p.left_ratio, 0)}" for p in points)
    return Markup(sparkline(values, label=f"{label}: {words}"))  # built escaped


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("accord.server.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        percent=percent, money=_money, instant=_instant, spark=_spark, duty_page=_duty_page
    )
    return environment


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser: its ``accord_csrf`` cookie, or a new one."""
    token: str | None = getattr(request.state, "csrf", None) or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = secrets.token_urlsafe(32)
    request.state.csrf = token
    return token


def page(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The rendered page, setting the CSRF cookie its forms are checked against."""
    token = csrf_token(request)
    html = (
        _environment()
        .get_template(template)
        .render(
            request=request,
            principal=principal,
            csrf_field=CSRF_FIELD,
            csrf_token=token,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(
            CSRF_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
