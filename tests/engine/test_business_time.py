"""Business time in DuckDB equals the pure clock of accord.core.calendars.clock, ticket by ticket,
and the same queries transpiled for PostgreSQL measure the same."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from sqlglot import exp

from accord.connectors.files import FileReader
from accord.core.calendars.clock import BusinessCalendar, Interval
from accord.core.calendars.spec import Calendar
from accord.core.model import Agreement
from accord.core.periods import parse_period
from accord.core.units import Duration
from accord.engine.business_time import (
    business_durations,
    due_instants,
    pause_intervals,
    register_schedule,
)
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.planner import clock_statement
from accord.engine.spark import SparkEngine
from accord.engine.sql import POSTGRES_PRELUDE, instant, portable, render, table
from tests.engine.builders import agreement_of, batch_members, evaluate_period, write_csv

RANGE_START = datetime(2025, 12, 1, tzinfo=UTC)
RANGE_END = datetime(2027, 3, 1, tzinfo=UTC)
AS_OF = datetime(2026, 12, 31, 12, tzinfo=UTC)


def spec(timezone: str, hours: dict[str, Any], country: str | None = None) -> Calendar:
    return Calendar.model_validate(
        {"id": "c", "timezone": timezone, "hours": hours, "holidays": {"country": country}}
    )


CALENDARS = {
    "berlin_lunch_break": BusinessCalendar.from_spec(
        spec("Europe/Berlin", {"mon-fri": ["08:30-12:30", "13:15-17:45"]}, "DE")
    ),
    "new_york_with_saturdays": BusinessCalendar.from_spec(
        spec("America/New_York", {"mon-fri": ["08:00-20:00"], "sat": ["10:00-14:00"]}, "US")
    ),
    "lord_howe_nights": BusinessCalendar.from_spec(
        spec("Australia/Lord_Howe", {"daily": ["01:00-02:15", "09:00-17:00"]}, "AU")
    ),
    "kolkata": BusinessCalendar.from_spec(spec("Asia/Kolkata", {"mon-sat": ["09:30-18:30"]}, "IN")),
    "around_the_clock": BusinessCalendar.from_spec(None),
}

Ticket = tuple[int, datetime, datetime | None]
Pause = tuple[int, datetime, datetime | None]


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect()
    yield connection
    connection.close()


def load(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    values = {name: [row[index] for row in rows] for index, name in enumerate(columns)}
    select = ", ".join(f"unnest(${name})::{kind} AS {name}" for name, kind in columns.items())
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {select}", values)


def load_tickets(con: duckdb.DuckDBPyConnection, rows: Sequence[Ticket]) -> None:
    load(
        con, "tickets", {"key": "BIGINT", "start_at": "TIMESTAMPTZ", "end_at": "TIMESTAMPTZ"}, rows
    )


def load_pauses(con: duckdb.DuckDBPyConnection, rows: Sequence[Pause]) -> None:
    columns = {"key": "BIGINT", "pause_start": "TIMESTAMPTZ", "pause_end": "TIMESTAMPTZ"}
    load(con, "pauses", columns, rows)


def generate(seed: int, count: int) -> tuple[list[Ticket], list[Pause]]:
    """Tickets to the microsecond: long and short, open, ending before they start; pauses
    that overlap, stick out of their ticket, or are still running."""
    rng = random.Random(seed)
    tickets: list[Ticket] = []
    pauses: list[Pause] = []
    for key in range(count):
        start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(
            microseconds=rng.randrange(360 * 86400 * 10**6)
        )
        length = timedelta(microseconds=rng.randrange(-3600 * 10**6, 20 * 86400 * 10**6))
        end = None if rng.random() < 0.05 else start + length
        tickets.append((key, start, end))
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            pause_start = start + timedelta(minutes=rng.randrange(-600, 20 * 1440))
            pause_end = pause_start + timedelta(seconds=rng.randrange(0, 4 * 86400))
            pauses.append((key, pause_start, None if rng.random() < 0.1 else pause_end))
    return tickets, pauses


def expected(
    calendar: BusinessCalendar, tickets: Sequence[Ticket], pauses: Sequence[Pause], as_of: datetime
) -> dict[int, float]:
    """The pure clock, ticket by ticket; an open ticket runs to ``as_of``."""
    by_key: dict[int, list[Interval]] = {}
    results: dict[int, float] = {}
    ends = {key: end or as_of for key, _, end in tickets}
    for key, pause_start, pause_end in pauses:
        by_key.setdefault(key, []).append((pause_start, pause_end or ends[key]))
    for key, start, _ in tickets:
        results[key] = calendar.business_seconds(start, ends[key], by_key.get(key, []))
    return results


def run(
    con: duckdb.DuckDBPyConnection, pauses: str | None, as_of: datetime | None = AS_OF
) -> dict[int, float | None]:
    query = durations(pauses and table(pauses), as_of)
    return dict(con.execute(render(query)).fetchall())


def durations(
    pauses: exp.Expr | None = None, as_of: datetime | None = AS_OF, unit: str = "business_seconds"
) -> exp.Select:
    """The tickets' business time on the schedule, measured up to ``as_of``: (key, time) in
    seconds (``business_seconds``) or whole microseconds (``business_us``)."""
    until = instant(as_of) if as_of is not None else exp.null()
    measured = business_durations(table("tickets"), "schedule", until, pauses)
    return exp.select("key", unit).from_(measured.subquery("d"))


def waiting(states: Sequence[str] = ("waiting_on_customer",)) -> exp.Expr:
    """The pauses of the tickets, from their status changes."""
    return pause_intervals(table("tickets"), table("changes"), states).subquery()


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_duckdb_equals_the_pure_clock_on_generated_tickets(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    calendar = CALENDARS[name]
    tickets, pauses = generate(seed=len(name), count=250)
    register_schedule(con, calendar, RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    load_pauses(con, pauses)
    assert run(con, "pauses") == expected(calendar, tickets, pauses, AS_OF)


def test_without_pauses_the_query_counts_the_working_time_between_start_and_end(
    con: duckdb.DuckDBPyConnection,
) -> None:
    calendar = CALENDARS["berlin_lunch_break"]
    tickets, _ = generate(seed=7, count=200)
    register_schedule(con, calendar, RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    assert run(con, None) == expected(calendar, tickets, [], AS_OF)


def test_open_tickets_are_null_without_an_as_of(con: duckdb.DuckDBPyConnection) -> None:
    register_schedule(con, CALENDARS["kolkata"], RANGE_START, RANGE_END, "schedule")
    start = datetime(2026, 3, 2, 4, tzinfo=UTC)
    load_tickets(con, [(1, start, None), (2, start, start + timedelta(hours=2))])
    assert run(con, None, as_of=None) == {1: None, 2: 7200.0}


def test_ticket_ending_before_it_starts_measures_zero(con: duckdb.DuckDBPyConnection) -> None:
    register_schedule(con, CALENDARS["around_the_clock"], RANGE_START, RANGE_END, "schedule")
    start = datetime(2026, 3, 2, 12, tzinfo=UTC)
    load_tickets(con, [(1, start, start - timedelta(hours=5))])
    load_pauses(con, [(1, start - timedelta(hours=4), start)])
    assert run(con, "pauses") == {1: 0.0}


def test_overlapping_pauses_are_removed_once(con: duckdb.DuckDBPyConnection) -> None:
    register_schedule(con, CALENDARS["around_the_clock"], RANGE_START, RANGE_END, "schedule")
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    load_tickets(con, [(1, start, start + timedelta(hours=8))])
    hour = timedelta(hours=1)
    load_pauses(
        con,
        [
            (1, start + hour, start + 3 * hour),
            (1, start + 2 * hour, start + 4 * hour),
            (1, start + 2 * hour, start + 2 * hour + timedelta(minutes=30)),
        ],
    )
    assert run(con, "pauses") == {1: 5 * 3600.0}


def test_ticket_outside_the_schedule_range_fails_loudly(con: duckdb.DuckDBPyConnection) -> None:
    register_schedule(con, CALENDARS["kolkata"], RANGE_START, RANGE_END, "schedule")
    load_tickets(con, [(42, datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC))])
    with pytest.raises(duckdb.Error, match="ticket 42 lies outside the registered schedule"):
        run(con, None)


def test_schedule_holds_cumulative_working_time(con: duckdb.DuckDBPyConnection) -> None:
    office = CALENDARS["berlin_lunch_break"]
    start, end = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)
    register_schedule(con, office, start, end, "schedule")
    rows = con.execute("SELECT start_us, end_us, cum_before_us FROM schedule").fetchall()
    assert rows[0][:2] == (rows[0][0], rows[0][0])  # a zero-length row marks the range start
    assert rows[-1][2] + rows[-1][1] - rows[-1][0] == office.business_time(start, end) // (
        timedelta(microseconds=1)
    )


def test_a_schedule_name_is_quoted_never_run(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE y (x INTEGER)")
    register_schedule(con, CALENDARS["kolkata"], RANGE_START, RANGE_END, "x; DROP TABLE y")

    assert con.execute('SELECT count(*) FROM "x; DROP TABLE y"').fetchone() != (0,)
    assert con.execute("SELECT count(*) FROM y").fetchone() == (0,)


def test_short_of_the_target_exactly_when_ending_before_the_deadline(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The deadline is the first instant the target is reached; business time then stays
    # equal to the target until the next working window opens.
    calendar = CALENDARS["berlin_lunch_break"]
    target = Duration.parse("2 business days")
    tickets, pauses = generate(seed=11, count=150)
    tickets = [(key, start, end) for key, start, end in tickets if end is not None]
    pauses = [(key, low, high) for key, low, high in pauses if high is not None]
    register_schedule(con, calendar, RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    load_pauses(con, pauses)
    allowed = calendar.target_time(target).total_seconds()
    short = {
        key: seconds is not None and seconds < allowed
        for key, seconds in run(con, "pauses").items()
    }
    for key, start, end in tickets:
        mine = [(low, high) for pause_key, low, high in pauses if pause_key == key and high]
        assert end is not None
        assert short[key] == (end < calendar.deadline(start, target, mine))


@pytest.mark.parametrize("name", sorted(CALENDARS))
def test_the_due_instant_is_the_pure_clock_s_deadline(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    # Open tickets measured up to a late as_of, so that no pause is clipped by the clock's
    # end; pauses that overlap, start before their ticket or come after the deadline.
    calendar = CALENDARS[name]
    target = Duration.parse("2 business days")
    tickets, pauses = generate(seed=len(name) + 7, count=150)
    tickets = [(key, start, None) for key, start, _ in tickets]
    pauses = [(key, low, high) for key, low, high in pauses if high is not None]
    register_schedule(con, calendar, RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    load_pauses(con, pauses)
    as_of = RANGE_END - timedelta(days=20)
    query = due_instants(
        table("tickets"), "schedule", instant(as_of), calendar.target_time(target), table("pauses")
    )
    found = dict(con.execute(render(query)).fetchall())
    for key, start, _ in tickets:
        mine = [(low, high) for pause_key, low, high in pauses if pause_key == key and high]
        assert found[key] == calendar.deadline(start, target, mine), key


def test_without_pauses_the_due_instant_follows_the_working_hours(
    con: duckdb.DuckDBPyConnection,
) -> None:
    calendar = CALENDARS["berlin_lunch_break"]
    target = Duration.parse("4 business hours")
    tickets: list[Ticket] = [(1, datetime(2026, 3, 6, 14, tzinfo=UTC), None)]  # a Friday
    register_schedule(con, calendar, RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    query = due_instants(table("tickets"), "schedule", instant(AS_OF), calendar.target_time(target))
    ((_key, due),) = con.execute(render(query)).fetchall()
    assert due == calendar.deadline(tickets[0][1], target)
    assert due.weekday() == 0  # runs over the weekend into Monday


# --- Pauses from status changes ------------------------------------------------------------

T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)


def at(hour: float) -> datetime:
    return T0 + timedelta(hours=hour)


def derive_pauses(
    con: duckdb.DuckDBPyConnection,
    tickets: Sequence[Ticket],
    changes: Sequence[tuple[int, datetime, str]],
    states: Sequence[str] = ("waiting_on_customer",),
) -> list[Pause]:
    load_tickets(con, tickets)
    load(
        con, "changes", {"key": "BIGINT", "changed_at": "TIMESTAMPTZ", "status": "VARCHAR"}, changes
    )
    query = render(pause_intervals(table("tickets"), table("changes"), states)) + " ORDER BY 1, 2"
    return [
        (key, low.astimezone(UTC), None if high is None else high.astimezone(UTC))
        for key, low, high in con.execute(query).fetchall()
    ]


def test_pause_lasts_until_the_next_status_change(con: duckdb.DuckDBPyConnection) -> None:
    changes = [(1, at(0), "open"), (1, at(2), "waiting_on_customer"), (1, at(3), "open")]
    assert derive_pauses(con, [(1, at(0), at(5))], changes) == [(1, at(2), at(3))]


def test_paused_straight_to_resolved_pauses_until_the_resolution(
    con: duckdb.DuckDBPyConnection,
) -> None:
    with_row = [(1, at(0), "open"), (1, at(2), "waiting_on_customer"), (1, at(4), "resolved")]
    without_row = [(2, at(0), "open"), (2, at(2), "waiting_on_customer")]
    tickets = [(1, at(0), at(4)), (2, at(0), at(4))]
    assert derive_pauses(con, tickets, with_row + without_row) == [
        (1, at(2), at(4)),
        (2, at(2), at(4)),
    ]


def test_pause_still_running_has_no_end(con: duckdb.DuckDBPyConnection) -> None:
    changes = [(1, at(0), "open"), (1, at(2), "waiting_on_customer")]
    assert derive_pauses(con, [(1, at(0), None)], changes) == [(1, at(2), None)]


def test_pauses_are_clipped_to_the_ticket(con: duckdb.DuckDBPyConnection) -> None:
    changes = [
        (1, at(-2), "waiting_on_customer"),
        (1, at(1), "open"),
        (1, at(6), "waiting_on_customer"),
        (1, at(7), "open"),
    ]
    assert derive_pauses(con, [(1, at(0), at(5))], changes) == [(1, at(0), at(1))]


def test_reopened_ticket_is_paused_while_resolved(con: duckdb.DuckDBPyConnection) -> None:
    changes = [
        (1, at(0), "open"),
        (1, at(2), "resolved"),
        (1, at(5), "reopened"),
        (1, at(6), "resolved"),
    ]
    states = ("waiting_on_customer", "resolved")
    assert derive_pauses(con, [(1, at(0), at(6))], changes, states) == [(1, at(2), at(5))]


def test_pauses_from_status_changes_feed_the_business_clock(
    con: duckdb.DuckDBPyConnection,
) -> None:
    office = CALENDARS["berlin_lunch_break"]
    tickets: list[Ticket] = [(1, at(0), at(50)), (2, at(1), None)]
    changes = [
        (1, at(0), "open"),
        (1, at(3), "waiting_on_customer"),
        (1, at(30), "open"),
        (2, at(1), "open"),
        (2, at(4), "waiting_on_customer"),
    ]
    pauses = derive_pauses(con, tickets, changes)
    register_schedule(con, office, RANGE_START, RANGE_END, "schedule")
    query = durations(waiting(), as_of=at(80))
    got = dict(con.execute(render(query)).fetchall())
    assert got == expected(office, tickets, pauses, at(80))
    assert got[2] == office.business_seconds(at(1), at(4))


def test_of_changes_at_the_same_instant_the_paused_one_comes_first(
    con: duckdb.DuckDBPyConnection,
) -> None:
    changes = [
        (1, at(0), "open"),
        (1, at(2), "waiting_on_customer"),
        (1, at(2), "open"),
        (1, at(3), "waiting_on_customer"),
        (1, at(4), "open"),
    ]
    assert derive_pauses(con, [(1, at(0), at(5))], changes) == [(1, at(3), at(4))]


# -- the same queries on PostgreSQL ------------------------------------------------------


def generate_changes(seed: int, tickets: Sequence[Ticket]) -> list[tuple[int, datetime, str]]:
    """Status changes around each ticket: waiting spells, reopenings, changes at one instant."""
    rng = random.Random(seed)
    states = ("open", "waiting_on_customer", "open", "resolved")
    changes = []
    for key, start, _ in tickets:
        at_ = start - timedelta(hours=rng.randrange(0, 3))
        for _ in range(rng.randrange(1, 7)):
            changes.append((key, at_, rng.choice(states)))
            at_ += timedelta(minutes=rng.choice([0, 5, 90, 600, 2000]))
    return changes


def copy_to_postgres(
    postgres: psycopg.Connection[tuple[object, ...]],
    table: str,
    columns: dict[str, str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    definition = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    postgres.execute(f"CREATE TABLE {table} ({definition})")
    values = ", ".join(["%s"] * len(columns))
    with postgres.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} VALUES ({values})", rows)


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["berlin_lunch_break", "lord_howe_nights"])
def test_postgresql_measures_the_same_business_time_as_duckdb(
    con: duckdb.DuckDBPyConnection, postgres: psycopg.Connection[tuple[object, ...]], name: str
) -> None:
    tickets, _ = generate(seed=len(name), count=150)
    changes = generate_changes(len(name), tickets)
    register_schedule(con, CALENDARS[name], RANGE_START, RANGE_END, "schedule")
    load_tickets(con, tickets)
    change_columns = {"key": "BIGINT", "changed_at": "TIMESTAMPTZ", "status": "VARCHAR"}
    load(con, "changes", change_columns, changes)
    query = durations(waiting())
    in_duckdb = dict(con.execute(render(query)).fetchall())
    exact = durations(waiting(), unit="business_us")
    micros_in_duckdb = dict(con.execute(render(exact)).fetchall())

    schedule = con.execute("SELECT start_us, end_us, cum_before_us FROM schedule").fetchall()
    postgres.execute(POSTGRES_PRELUDE)
    copy_to_postgres(
        postgres,
        "schedule",
        {"start_us": "BIGINT", "end_us": "BIGINT", "cum_before_us": "BIGINT"},
        schedule,
    )
    ticket_columns = {"key": "BIGINT", "start_at": "TIMESTAMPTZ", "end_at": "TIMESTAMPTZ"}
    copy_to_postgres(postgres, "tickets", ticket_columns, tickets)
    copy_to_postgres(postgres, "changes", change_columns, changes)
    rows = postgres.execute(portable(query, "postgres")).fetchall()
    in_postgres = {key: float(seconds) for key, seconds in rows}
    micros_in_postgres = dict(postgres.execute(portable(exact, "postgres")).fetchall())

    assert in_postgres == in_duckdb
    assert micros_in_postgres == micros_in_duckdb  # whole microseconds: equal as integers
    assert all(isinstance(micros, int) for micros in micros_in_postgres.values())
    assert sum(1 for seconds in in_duckdb.values() if seconds > 0) > 100


@pytest.mark.postgres
def test_postgresql_fails_loudly_on_a_ticket_outside_the_schedule(
    postgres: psycopg.Connection[tuple[object, ...]],
) -> None:
    postgres.execute(POSTGRES_PRELUDE)
    copy_to_postgres(
        postgres,
        "schedule",
        {"start_us": "BIGINT", "end_us": "BIGINT", "cum_before_us": "BIGINT"},
        [(0, 10**15, 0)],
    )
    ticket_columns = {"key": "BIGINT", "start_at": "TIMESTAMPTZ", "end_at": "TIMESTAMPTZ"}
    copy_to_postgres(postgres, "tickets", ticket_columns, [(7, AS_OF, AS_OF + timedelta(days=1))])
    query = portable(durations(), "postgres")

    with pytest.raises(psycopg.errors.RaiseException, match="ticket 7 lies outside"):
        postgres.execute(query)


# Ticket clocks judged to the microsecond: each ticket's business time is whole microseconds
# (``business_us``); the mean sums them, the median and percentiles rank them, and the
# reading divides once, in decimal (a mean of seconds as DOUBLE is off in the last digits).

OFFICE = {
    "id": "office",
    "timezone": "Europe/Berlin",
    # Sunday's night shift covers the autumn clock change (03:00 CEST → 02:00 CET).
    "hours": {"mon-fri": "09:00-17:00", "sun": "00:00-06:00"},
    "holidays": {"dates": ["2026-10-14"]},
}
LONDON = {**OFFICE, "id": "london", "timezone": "Europe/London"}
TICKETS = {
    "id": "tickets",
    "kind": "tickets",
    "format": "csv",
    "path": "tickets.csv",
    "timestamp": "opened_at",
    "key": "ticket",
    "columns": {
        "ticket": {"column": "ticket", "type": "string"},
        "opened_at": {"column": "opened_at", "type": "timestamp"},
        "answered_at": {"column": "answered_at", "type": "timestamp"},
    },
}
# 4.483428 s inside Tuesday's hours (seconds as DOUBLE: 4.483428000000001 for the mean).
SUB_SECOND = ["t1", "2026-10-06T09:00:00.000001Z", "2026-10-06T09:00:04.483429Z"]
# Sunday 25 October, Berlin: 01:30:00.25 summer time to 03:30:00.5 winter time is 3 h 0.25 s
# of working time (the repeated hour counts twice), not 2 h 0.25 s.
ACROSS_DST = ["t2", "2026-10-25T01:30:00.25+02:00", "2026-10-25T03:30:00.5+01:00"]
TENTH = ["t3", "2026-10-12T14:00:00.1Z", "2026-10-12T14:00:00.2Z"]
# Tuesday 16:00 to Thursday 10:00:00.5 in Berlin over Wednesday 14 October, a holiday:
# 1 h on Tuesday and 1 h 0.5 s on Thursday.
OVER_HOLIDAY = ["t4", "2026-10-13T16:00:00+02:00", "2026-10-15T10:00:00.5+02:00"]
# Still open at the end of October: not among the finished tickets a statistic reads.
OPEN = ["t5", "2026-10-20T09:00:00Z", ""]


def _clock_agreement(calendar: str = "office", **indicator: Any) -> Agreement:
    """One business-duration indicator of the tickets, judged by month."""
    targets = (
        {"target": "90%", "tolerance": "80%"}
        if indicator.get("statistic") == "within"
        else {"target": "4 business hours", "tolerance": "8 business hours"}
    )
    return agreement_of(
        {
            "calendars": [OFFICE, LONDON],
            "sources": [TICKETS],
            "indicators": [
                {
                    "id": "answer",
                    "name": "Answer",
                    "kind": "business_duration",
                    "source": "tickets",
                    "start": "opened_at",
                    "end": "answered_at",
                    "calendar": calendar,
                    **indicator,
                }
            ],
            "objectives": [
                {
                    "id": "answer",
                    "name": "Answer",
                    "indicator": "answer",
                    **targets,
                    "window": "month",
                }
            ],
        }
    )


def _clock_value(
    folder: Path, tickets: list[list[str]], calendar: str = "office", **indicator: Any
) -> Decimal | None:
    """The October value of a business-duration indicator over the tickets."""
    agreement = _clock_agreement(calendar, **indicator)
    write_csv(folder, "tickets", ["ticket", "opened_at", "answered_at"], tickets)
    [verdict] = evaluate_period(agreement, folder).verdicts
    return verdict.value


def _seconds(micros: int) -> Decimal:
    return Decimal(micros) / 1_000_000


def test_a_sub_second_business_time_is_exact(tmp_path: Path) -> None:
    assert _clock_value(tmp_path, [SUB_SECOND], statistic="mean") == Decimal("4.483428")
    assert _clock_value(tmp_path, [SUB_SECOND], statistic="median") == Decimal("4.483428")
    assert _clock_value(tmp_path, [TENTH], statistic="mean") == Decimal("0.1")


def test_the_mean_of_three_tickets_divides_their_whole_microseconds_once(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    rows = [SUB_SECOND, ACROSS_DST, TENTH, OPEN]
    micros = 4_483_428 + 10_800_250_000 + 100_000
    # What the mean of the three as DOUBLE seconds says: not the exact mean.
    doubles = "SELECT avg(us / 1e6) FROM (VALUES (4483428), (10800250000), (100000)) AS v(us)"
    row = con.execute(doubles).fetchone()
    assert row is not None
    assert Decimal(str(row[0])) != _seconds(micros) / 3

    assert _clock_value(tmp_path, rows, statistic="mean") == _seconds(micros) / 3


def test_a_ticket_across_the_autumn_clock_change_counts_the_repeated_hour(
    tmp_path: Path,
) -> None:
    assert _clock_value(tmp_path, [ACROSS_DST], statistic="mean") == Decimal("10800.25")
    # London falls back an hour earlier in UTC terms of its own wall clock: 00:30:00.25
    # summer time to 01:30:00.5 winter time is 2 h 0.25 s, all of it on Sunday's shift.
    london = ["t6", "2026-10-25T00:30:00.25+01:00", "2026-10-25T01:30:00.5+00:00"]
    assert _clock_value(tmp_path, [london], "london", statistic="mean") == Decimal("7200.25")


def test_a_holiday_inside_a_ticket_is_not_working_time(tmp_path: Path) -> None:
    assert _clock_value(tmp_path, [OVER_HOLIDAY], statistic="mean") == Decimal("7200.5")


def test_the_median_and_percentiles_rank_whole_microseconds(tmp_path: Path) -> None:
    rows = [SUB_SECOND, ACROSS_DST, TENTH, OVER_HOLIDAY, OPEN]
    # Ranked: 0.1, 4.483428, 7200.5, 10800.25; the median halfway between the middle two.
    assert _clock_value(tmp_path, rows, statistic="median") == Decimal("3602.491714")
    # The discrete percentile is one ticket's own time.
    p50 = _clock_value(tmp_path, rows, statistic="percentile", percentile=50)
    p90 = _clock_value(tmp_path, rows, statistic="percentile", percentile=90)
    assert (p50, p90) == (Decimal("4.483428"), Decimal("10800.25"))


def test_within_compares_whole_microseconds_with_the_threshold(tmp_path: Path) -> None:
    # 2 h 0.000001 s of Thursday's hours is past a 2-hour threshold by one microsecond.
    on_time = ["t7", "2026-10-15T09:00:00+02:00", "2026-10-15T11:00:00+02:00"]
    late = ["t8", "2026-10-15T09:00:00+02:00", "2026-10-15T11:00:00.000001+02:00"]
    share = _clock_value(
        tmp_path, [on_time, late], statistic="within", threshold="2 business hours"
    )
    assert share == Decimal("0.5")


TICKET_COLUMNS = '"ticket" VARCHAR, "opened_at" TIMESTAMPTZ, "answered_at" TIMESTAMPTZ'
EXACT_ROWS = [SUB_SECOND, ACROSS_DST, TENTH, OVER_HOLIDAY, OPEN]


@pytest.mark.postgres
@pytest.mark.parametrize(
    "indicator",
    [
        {"statistic": "mean"},
        {"statistic": "median"},
        {"statistic": "percentile", "percentile": 90},
        {"statistic": "within", "threshold": "2 business hours"},
    ],
)
def test_postgresql_gives_the_same_exact_ticket_statistics(
    con: duckdb.DuckDBPyConnection,
    postgres: psycopg.Connection[tuple[object, ...]],
    indicator: dict[str, Any],
) -> None:
    span, (member,) = batch_members(_clock_agreement(**indicator))
    clock = member.plan.clock
    assert clock is not None
    rows = [(key, opened, answered or None) for key, opened, answered in EXACT_ROWS]
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f'CREATE TABLE "src_tickets" ({TICKET_COLUMNS})')
    con.executemany('INSERT INTO "src_tickets" VALUES (?, ?, ?)', rows)
    clock.prepare(con, span.end_at)
    schedule = con.execute('SELECT * FROM "schedule_answer"').fetchall()
    statement = clock_statement(span, member, span.end_at).query
    expected = con.execute(render(statement)).fetchall()

    postgres.execute(POSTGRES_PRELUDE)
    copy_to_postgres(
        postgres,
        '"schedule_answer"',
        {"start_us": "BIGINT", "end_us": "BIGINT", "cum_before_us": "BIGINT"},
        schedule,
    )
    copy_to_postgres(
        postgres,
        '"src_tickets"',
        {"ticket": "VARCHAR", "opened_at": "TIMESTAMPTZ", "answered_at": "TIMESTAMPTZ"},
        rows,
    )
    got = postgres.execute(portable(statement, "postgres")).fetchall()

    # Counts and whole microseconds (a median halfway between two: .5), equal exactly.
    assert [tuple(Decimal(str(v)) for v in row) for row in got] == [
        tuple(Decimal(str(v)) for v in row) for row in expected
    ]
    assert len(expected) == 1


def test_spark_gives_the_same_exact_ticket_statistics(spark: SparkEngine, tmp_path: Path) -> None:
    write_csv(tmp_path, "tickets", ["ticket", "opened_at", "answered_at"], EXACT_ROWS)
    for indicator, value in [
        ({"statistic": "mean"}, _seconds(18_005_333_428) / 4),
        ({"statistic": "median"}, Decimal("3602.491714")),
        ({"statistic": "percentile", "percentile": 90}, Decimal("10800.25")),
    ]:
        agreement = _clock_agreement(**indicator)
        period = parse_period("2026-10", agreement.timezone)
        request = EvaluationRequest(
            reader=FileReader(), data_dir=tmp_path, period=period, as_of=period.end_at, spark=spark
        )
        [verdict] = evaluate(agreement, request).verdicts
        assert verdict.value == value, indicator
