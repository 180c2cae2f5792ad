"""Who the agreement binds and for how long: a term ends by a duration or a date (never both,
never neither), and contacts and legal entity identifiers are written as registers write them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from accord.core.model.parties import Contact, Metadata, Party, PartyRole, Term
from accord.core.units import Duration
from tests.core.model.refused import refusal

RENEWAL = {"mode": "auto", "period": "12 months", "notice": "3 months"}


def term(**changes: Any) -> dict[str, Any]:
    written = {
        "effective": "2026-01-01",
        "duration": "24 months",
        "renewal": RENEWAL,
        "termination_notice": "3 months",
        **changes,
    }
    return {name: value for name, value in written.items() if value is not None}


def test_a_term_ends_after_its_duration_or_on_its_end_date() -> None:
    by_duration = Term.model_validate(term())
    by_date = Term.model_validate(term(duration=None, end="2027-12-31"))

    assert (by_duration.duration, by_duration.end) == (Duration.parse("24 months"), None)
    assert (by_date.duration, by_date.end) == (None, dt.date(2027, 12, 31))


def test_a_term_without_an_end_is_refused_with_an_example() -> None:
    assert refusal(Term, term(duration=None)) == (
        (),
        "the term needs 'duration' or 'end'",
        "e.g. duration: 24 months",
    )


def test_a_term_with_both_a_duration_and_an_end_is_refused_at_the_end() -> None:
    assert refusal(Term, term(end="2027-12-31")) == (
        ("end",),
        "give either 'duration' or 'end', not both",
        "remove one of them",
    )


def test_a_renewal_needs_its_notice_but_not_its_period() -> None:
    manual = Term.model_validate(term(renewal={"mode": "manual", "notice": "60 days"}))

    assert (manual.renewal.period, manual.renewal.notice) == (None, Duration.parse("60 days"))
    assert refusal(Term, term(renewal={"mode": "auto"}))[0] == ("renewal", "notice")


@pytest.mark.parametrize("email", ["ops@example.com", "first.last+sla@mail.example.co.uk"])
def test_a_contact_email_has_one_at_and_a_dotted_domain(email: str) -> None:
    assert Contact(name="Ops desk", email=email).email == email


@pytest.mark.parametrize("email", ["ops@example", "ops example.com", "ops@@example.com", "@x.io"])
def test_a_contact_email_that_cannot_be_delivered_is_refused(email: str) -> None:
    assert refusal(Contact, {"name": "Ops desk", "email": email})[0] == ("email",)


def test_a_legal_entity_identifier_is_18_characters_and_two_check_digits() -> None:
    party = {"id": "payco", "name": "PayCo AG", "role": "provider"}

    assert Party.model_validate({**party, "lei": "529900T8BM49AURSDO55"}).lei
    for lei in ("529900t8bm49aursdo55", "529900T8BM49AURSDO5", "529900T8BM49AURSDOAB"):
        assert refusal(Party, {**party, "lei": lei})[0] == ("lei",), lei


def test_a_party_role_outside_the_list_is_refused() -> None:
    written = {"id": "bank", "name": "Bank", "role": "customer"}

    assert refusal(Party, written)[0] == ("role",)
    assert Party.model_validate({**written, "role": "consumer"}).role is PartyRole.CONSUMER


def test_the_effective_instant_is_a_date_a_local_time_or_an_instant() -> None:
    def effective(value: str) -> dt.datetime | None:
        written = {"id": "sla", "title": "SLA", "version": "2", "effective": value}
        return Metadata.model_validate(written).effective

    # Without an offset, the agreement's time zone applies (Agreement.effective_at).
    assert effective("2026-11-01") == dt.datetime(2026, 11, 1)
    assert effective("2026-11-01T08:30:00") == dt.datetime(2026, 11, 1, 8, 30)
    assert effective("2026-11-01T08:30:00+01:00") == dt.datetime(2026, 11, 1, 7, 30, tzinfo=dt.UTC)
