"""Renewal decisions and the last day of the agreement they leave."""

from __future__ import annotations

import datetime as dt

from accord.core.model import Agreement
from accord.core.renewals import Decision, DecisionKind, end_instant, last_day, takes_effect_at
from tests.services.world import agreement_document

TERMINATE, RENEW, RENEGOTIATE = DecisionKind.TERMINATE, DecisionKind.RENEW, DecisionKind.RENEGOTIATE


def agreement(mode: str = "auto") -> Agreement:
    document = agreement_document("bravo")
    document["term"]["renewal"]["mode"] = mode  # 24 months from 2026-01-01; 3 months' notice
    return Agreement.model_validate(document)


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")


def decided(kind: DecisionKind, day: str, terms: Agreement) -> Decision:
    end = takes_effect_at(terms, kind, at(day))
    assert end is not None
    return Decision(kind, end, at(day))


def test_an_automatic_agreement_without_decisions_renews_indefinitely() -> None:
    assert last_day(agreement(), []) is None


def test_termination_in_time_ends_the_current_term() -> None:
    terms = agreement()
    notice = decided(TERMINATE, "2027-09-30", terms)  # the last day of three months' notice
    assert notice.term_end == dt.date(2027, 12, 31)
    assert last_day(terms, [notice]) == dt.date(2027, 12, 31)
    assert end_instant(terms, dt.date(2027, 12, 31)) == dt.datetime(2027, 12, 31, 23, tzinfo=dt.UTC)


def test_late_termination_ends_the_following_term() -> None:
    terms = agreement()
    late = decided(TERMINATE, "2027-10-01", terms)
    assert late.term_end == dt.date(2028, 12, 31)
    assert last_day(terms, [late]) == dt.date(2028, 12, 31)


def test_renegotiation_ends_the_term_unless_a_renewal_follows() -> None:
    terms = agreement()
    talks = decided(RENEGOTIATE, "2027-06-01", terms)
    assert last_day(terms, [talks]) == dt.date(2027, 12, 31)
    agreed = decided(RENEW, "2027-11-20", terms)
    assert last_day(terms, [talks, agreed]) is None


def test_a_manual_agreement_ends_after_its_term_unless_renewed() -> None:
    terms = agreement("manual")
    assert last_day(terms, []) == dt.date(2027, 12, 31)
    renewed = decided(RENEW, "2027-12-01", terms)
    assert last_day(terms, [renewed]) == dt.date(2028, 12, 31)
