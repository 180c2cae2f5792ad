"""What one evaluation found: a source's rejected rows, the bad events of an hour, and the
credit each verdict triggered (of its objective, scope and window, never the ledger's
consistency or chronic-failure credits), which its record carries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accord.core.evaluation import Evaluation, HourItem, SourceReport, WindowCredit
from accord.core.periods import WindowSpan, parse_period
from accord.core.records import CreditRecord
from accord.core.units import Money
from accord.core.verdicts import CreditOwed
from tests.core.test_records import CREDIT, END, START, verdict
from tests.engine.builders import agreement_of

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return Evaluation(agreement_of({}), parse_period("2026-10", "Europe/Berlin"), END)


def credited(evaluation: Evaluation, *credits: tuple[str, CreditOwed]) -> Evaluation:
    return dataclasses.replace(evaluation, credits=[WindowCredit(*pair) for pair in credits])


def test_the_rows_rejected_are_those_read_and_not_accepted() -> None:
    report = SourceReport("requests", ["requests.csv"], rows_read=10, rows_accepted=7)

    assert report.rows_rejected == 3
    assert (report.issues, report.quarantine_path, report.rows_outside_windows) == ([], None, 0)
    assert SourceReport("requests", []).rows_rejected == 0


def test_the_bad_events_of_an_hour_are_the_valid_ones_not_good() -> None:
    hour = dt.datetime(2026, 10, 12, 14, tzinfo=BERLIN)

    assert HourItem("uptime", "2026-10", "all", hour, good=9_990, valid=10_000).bad == 10
    assert HourItem("uptime", "2026-10", "all", hour, good=0, valid=0).bad == 0


def test_a_verdict_carries_the_credit_of_its_objective_scope_and_window(
    evaluation: Evaluation,
) -> None:
    found = credited(evaluation, ("2026-09", CREDIT), ("2026-10", CREDIT))

    assert found.credit_for(verdict()) is CREDIT
    assert found.record(verdict()).credit == CreditRecord.of(CREDIT)


def test_a_verdict_without_a_credit_of_its_own_carries_none(evaluation: Evaluation) -> None:
    other_scope = dataclasses.replace(CREDIT, scope="region=us")
    other_objective = dataclasses.replace(CREDIT, objective="latency")
    # The ledger's consistency and chronic-failure credits belong to no single verdict.
    consistency = dataclasses.replace(
        CREDIT, scheme="consistency-availability", scope="region: eu vs us", tier=0
    )
    chronic = dataclasses.replace(
        CREDIT, scheme="chronic", objective="chronic", scope="chronic failure", tier=0
    )
    found = credited(
        evaluation,
        ("2026-09", CREDIT),
        ("2026-10", other_scope),
        ("2026-10", other_objective),
        ("2026-10", consistency),
        ("2026-10", chronic),
    )

    assert found.credit_for(verdict()) is None
    assert found.record(verdict()).credit is None


def test_a_verdict_of_every_scope_matches_a_credit_for_all(evaluation: Evaluation) -> None:
    whole = dataclasses.replace(CREDIT, scope="all", amount=Money.parse("100 EUR"))
    found = credited(evaluation, ("2026-10", whole))

    assert found.credit_for(verdict(scope={})) is whole
    assert found.credit_for(verdict()) is None


def test_a_window_is_matched_by_its_label_not_its_instants(evaluation: Evaluation) -> None:
    relabelled = verdict(window=WindowSpan("2026-10-rolling", START, END))

    assert credited(evaluation, ("2026-10", CREDIT)).credit_for(relabelled) is None
