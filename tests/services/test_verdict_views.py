"""What evaluations recorded, as the interfaces read it: each verdict with the number of the
version that judged its window, its window in UTC, its value and target as shown; each run
with who asked for it, as the reader may see them (a partner sees company staff, not their
addresses)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.months import evaluate, two_months
from tests.services.world import CONSOLE, World, agreement_document

MANAGER = "manager@acme.example"


@pytest.fixture
def months(world: World) -> World:
    return two_months(world)


def test_a_verdict_shows_its_window_in_utc_and_its_value_and_target_as_people_read_them(
    months: World,
) -> None:
    [september, october] = months.services.verdicts.verdicts(
        CONSOLE, "acme-bravo", VerdictQuery()
    ).items

    assert (october.window, october.outcome, october.value) == ("2026-10", "breach", Decimal("0.8"))
    assert (october.value_display, october.target_display) == ("80%", "99%")
    # October in Berlin: from 00:00 CEST on the 1st to 00:00 CET on 1 November.
    assert (october.window_start, october.window_end) == (
        dt.datetime(2026, 9, 30, 22, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC),
    )
    assert september.window_end == october.window_start
    assert (october.agreement, october.scope, october.supersedes) == ("acme-bravo", {}, None)


def test_each_verdict_carries_the_number_of_the_version_that_judged_its_window(
    months: World,
) -> None:
    version_2 = agreement_document("bravo", target="99.5%", version="2")
    upload = UploadVersion(
        text=json.dumps(version_2),
        effective_at=dt.datetime(2026, 10, 31, 23, tzinfo=dt.UTC),
        backdated="the new target applies from November",
    )
    months.services.portfolio.upload(months.principal(MANAGER), upload)
    evaluate(months, "acme-bravo", "2026-11")

    page = months.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    assert [(v.window, v.version, v.target_display) for v in page.items] == [
        ("2026-09", 1, "99%"),
        ("2026-10", 1, "99%"),
        ("2026-11", 2, "99.5%"),
    ]
    runs = months.services.verdicts.runs(CONSOLE, "acme-bravo")
    assert [(r.period, r.version) for r in runs] == [
        ("2026-11", 2),
        ("2026-10", 1),
        ("2026-09", 1),
    ]


def test_a_partner_sees_who_asked_for_a_run_as_company_staff_and_the_company_sees_who(
    months: World,
) -> None:
    evaluate(months, "acme-bravo", "2026-11")  # by the console
    again = RunEvaluation(agreement="acme-bravo", period="2026-11", reason="looked again")
    months.services.verdicts.evaluate(months.principal(MANAGER), again)
    asked = {
        who: [
            r.requested_by
            for r in months.services.verdicts.runs(months.principal(who), "acme-bravo")
        ]
        for who in (MANAGER, "partner@bravo.example")
    }

    assert asked[MANAGER][:2] == [MANAGER, "console"]
    assert asked["partner@bravo.example"][:2] == ["company staff", "console"]
