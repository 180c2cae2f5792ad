"""Notice deadlines: the last day to give renewal and termination notice, per term."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.obligations import notice_deadlines, term_end
from accord.core.units import Duration

EXAMPLES = Path(__file__).parents[3] / "examples"


def _example(name: str) -> Agreement:
    loaded = load_agreement((EXAMPLES / f"{name}.yaml").read_text(), name)
    assert loaded.agreement is not None
    return loaded.agreement


def _by_kind(name: str, as_of: dt.date) -> dict[str, tuple[dt.date, dt.date, dt.datetime]]:
    return {
        item.kind: (item.term_end, item.last_day, item.due_at)
        for item in notice_deadlines(_example(name), as_of)
    }


def test_ninety_days_notice_before_a_term_ending_on_new_years_eve() -> None:
    found = _by_kind("payments-api", dt.date(2026, 12, 5))
    # The term ends at midnight into 1 January 2028; 90 days earlier is 3 October 00:00 in
    # Berlin (summer time, UTC+2): notice given on 2 October is the last in time.
    assert found["renewal_notice"] == (
        dt.date(2027, 12, 31),
        dt.date(2027, 10, 2),
        dt.datetime(2027, 10, 2, 22, tzinfo=dt.UTC),
    )
    assert found["termination_notice"][1] == dt.date(2027, 6, 30)


def test_months_of_notice_before_a_leap_day_end() -> None:
    found = _by_kind("logistics-carrier", dt.date(2026, 12, 5))
    assert found["renewal_notice"][:2] == (dt.date(2028, 2, 29), dt.date(2027, 10, 31))
    assert found["termination_notice"][:2] == (dt.date(2028, 2, 29), dt.date(2027, 11, 30))


def test_an_auto_renewing_term_rolls_to_the_next_deadline_once_one_has_passed() -> None:
    found = _by_kind("payments-api", dt.date(2027, 10, 3))
    assert found["renewal_notice"][:2] == (dt.date(2028, 12, 31), dt.date(2028, 10, 2))


def test_the_last_day_itself_still_counts() -> None:
    assert _by_kind("payments-api", dt.date(2027, 10, 2))["renewal_notice"][0] == dt.date(
        2027, 12, 31
    )


def test_a_manual_agreement_has_no_deadline_after_its_term() -> None:
    assert notice_deadlines(_example("logistics-carrier"), dt.date(2028, 3, 1)) == []


def test_every_example_has_its_deadlines() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        kinds = {item.kind for item in notice_deadlines(_example(path.stem), dt.date(2026, 6, 1))}
        assert kinds == {"renewal_notice", "termination_notice"}, path.name


@pytest.mark.parametrize(
    ("effective", "length", "last"),
    [
        (dt.date(2026, 1, 31), "1 month", dt.date(2026, 2, 27)),
        (dt.date(2026, 1, 1), "24 months", dt.date(2027, 12, 31)),
        (dt.date(2026, 3, 1), "2 years", dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 1), "2 weeks", dt.date(2026, 1, 14)),
    ],
)
def test_term_end(effective: dt.date, length: str, last: dt.date) -> None:
    assert term_end(effective, Duration.parse(length)) == last


def test_a_deadline_becomes_an_obligation_with_a_stable_key() -> None:
    deadline = notice_deadlines(_example("payments-api"), dt.date(2026, 12, 5))[0]
    obligation = deadline.obligation()
    assert obligation.key == "termination_notice:2027-12-31"
    assert obligation.due_at == deadline.due_at
    assert obligation.party == "acme"
