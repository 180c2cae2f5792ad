"""Business duration: ticket clocks on a business calendar. A ticket belongs to the window
its clock starts in; its time counts only working hours (holidays closed, summer time
ending changes nothing); 'within' a threshold includes the threshold itself; open tickets
are late, left out or pending; the other statistics read finished tickets only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from accord.core.verdicts import Outcome, Verdict, WorkingTime
from tests.engine.builders import BERLIN, TICKETS_SOURCE, agreement_of, evaluate_period, write_csv

#: Monday to Friday 09:00-17:00 in Berlin, closed on Friday 16 October 2026.
OFFICE = {
    "id": "office",
    "timezone": "Europe/Berlin",
    "hours": {"mon-fri": "09:00-17:00"},
    "holidays": {"dates": ["2026-10-16"]},
}
#: The end of October 2026 in Berlin, as of which the month is judged.
MONTH_END = dt.datetime(2026, 11, 1, tzinfo=BERLIN)


def berlin(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def judge(
    folder: Path,
    tickets: list[tuple[dt.datetime, dt.datetime | None]],
    as_of: dt.datetime = MONTH_END,
    **indicator: Any,
) -> Verdict:
    """The October verdict of the time to answer, on the office calendar."""
    fields = indicator or {"statistic": "within", "threshold": "4 business hours"}
    target = ("90%", "80%") if fields["statistic"] == "within" else ("4 business hours",) * 2
    agreement = agreement_of(
        {
            "calendars": [OFFICE],
            "sources": [TICKETS_SOURCE],
            "indicators": [
                {
                    "id": "answer",
                    "name": "Time to answer",
                    "kind": "business_duration",
                    "source": "tickets",
                    "start": "opened",
                    "end": "answered",
                    "calendar": "office",
                    **fields,
                }
            ],
            "objectives": [
                {
                    "id": "answer-time",
                    "name": "Time to answer",
                    "indicator": "answer",
                    "target": target[0],
                    "tolerance": target[1],
                    "window": "month",
                }
            ],
        }
    )
    rows = [
        [f"T-{n}", opened, "" if answered is None else answered]
        for n, (opened, answered) in enumerate(tickets)
    ]
    write_csv(folder, "tickets", ["ticket_id", "opened_at", "answered_at"], rows)
    [verdict] = evaluate_period(agreement, folder, as_of=as_of).verdicts
    return verdict


def mean_hours(folder: Path, opened: dt.datetime, answered: dt.datetime) -> Decimal | None:
    verdict = judge(folder, [(opened, answered)], statistic="mean")
    return None if verdict.value is None else verdict.value / 3600


def test_a_ticket_answered_exactly_at_the_threshold_is_within_it(tmp_path: Path) -> None:
    """Friday 15:00 to Monday 11:00 is 2 + 2 business hours: within 4 business hours; one
    minute later it is not."""
    on_time = (berlin(9, 15), berlin(12, 11))
    late = (berlin(9, 15), berlin(12, 11, 1))

    verdict = judge(tmp_path, [on_time, late])

    assert verdict.counts == {"good": 1, "valid": 2, "open": 0, "overdue": 0}
    assert verdict.value == Decimal("0.5")


def test_a_business_day_is_the_calendar_s_working_day(tmp_path: Path) -> None:
    """Within 1 business day on an 8-hour calendar: Monday 16:00 to Tuesday 16:00 is 1 + 7
    business hours, exactly a day; a minute more is late."""
    on_time = (berlin(5, 16), berlin(6, 16))
    late = (berlin(5, 16), berlin(6, 16, 1))

    verdict = judge(tmp_path, [on_time, late], statistic="within", threshold="1 business day")

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 2)


def test_a_closed_day_does_not_count(tmp_path: Path) -> None:
    """Thursday 16:00 to Monday 10:00 with the Friday closed: 1 + 1 business hours."""
    assert mean_hours(tmp_path, berlin(15, 16), berlin(19, 10)) == 2


def test_the_night_summer_time_ends_changes_no_business_hour(tmp_path: Path) -> None:
    """Friday 16:00 to Monday 10:00 around Sunday 25 October (25 hours long)."""
    assert mean_hours(tmp_path, berlin(23, 16), berlin(26, 10)) == 2


def test_a_ticket_opened_and_answered_outside_working_hours_took_no_business_time(
    tmp_path: Path,
) -> None:
    assert mean_hours(tmp_path, berlin(10, 10), berlin(11, 18)) == 0  # a weekend


def test_a_ticket_belongs_to_the_window_its_clock_starts_in(tmp_path: Path) -> None:
    """Opened on 30 September at 16:00 in Berlin and answered in October: September's."""
    september = (berlin(30, 16, month=9), berlin(1, 10))
    october = (berlin(1, 16), berlin(2, 10))

    verdict = judge(tmp_path, [september, october], statistic="mean")

    assert verdict.counts["valid"] == 1
    assert verdict.value == 2 * 3600


@pytest.mark.parametrize(
    ("unfinished", "counts", "note"),
    [
        (
            "count_as_late",
            {"good": 1, "valid": 2, "open": 1, "overdue": 1},
            "1 open ticket(s) already past the threshold, counted as late",
        ),
        (
            "exclude",
            {"good": 1, "valid": 1, "open": 1, "overdue": 1},
            "1 open ticket(s) already past the threshold, left out",
        ),
    ],
)
def test_an_open_ticket_past_the_threshold_is_late_or_left_out_and_one_inside_pending(
    tmp_path: Path, unfinished: str, counts: dict[str, int], note: str
) -> None:
    as_of = berlin(20, 12)
    answered = (berlin(19, 9), berlin(19, 10))
    overdue = (berlin(19, 9), None)  # 7 business hours open by Tuesday noon
    pending = (berlin(20, 10), None)  # 2 business hours open

    verdict = judge(
        tmp_path,
        [answered, overdue, pending],
        as_of,
        statistic="within",
        threshold="4 business hours",
        unfinished=unfinished,
    )

    assert verdict.counts == counts
    assert note in verdict.notes
    assert "1 ticket(s) still open and not yet judged" in verdict.notes


@pytest.mark.parametrize(
    ("statistic", "hours"),
    [
        ({"statistic": "mean"}, 3),
        ({"statistic": "median"}, 2),
        ({"statistic": "percentile", "percentile": 90}, 6),
    ],
)
def test_the_statistics_read_finished_tickets_only(
    tmp_path: Path, statistic: dict[str, Any], hours: int
) -> None:
    tickets: list[tuple[dt.datetime, dt.datetime | None]] = [
        (berlin(5, 9), berlin(5, 10)),
        (berlin(5, 9), berlin(5, 11)),
        (berlin(5, 9), berlin(5, 15)),
        (berlin(5, 9), None),
    ]

    verdict = judge(tmp_path, tickets, berlin(30, 12), **statistic)

    assert verdict.value == hours * 3600
    assert (verdict.counts["valid"], verdict.counts["open"]) == (3, 1)


def test_a_ticket_answered_before_it_was_opened_took_no_time(tmp_path: Path) -> None:
    assert mean_hours(tmp_path, berlin(6, 12), berlin(6, 10)) == 0


def test_the_verdict_says_how_long_the_calendar_s_business_day_is(tmp_path: Path) -> None:
    verdict = judge(tmp_path, [(berlin(5, 9), berlin(5, 10))])

    assert verdict.working_time == WorkingTime("office", Decimal(8 * 3600))
    assert verdict.outcome is Outcome.MET
