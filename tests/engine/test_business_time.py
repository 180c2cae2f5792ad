"""Business time in DuckDB equals the pure clock of accord.core.calendars.clock, ticket by ticket,
and the same queries transpiled for PostgreSQL measure the same."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import duckdb
import psycopg
import pytest
from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar, Interval
from accord.core.calendars.spec import Calendar
from accord.core.units import Duration
from accord.engine.business_time import (
    business_durations,
    due_instants,
    pause_intervals,
    register_schedule,
)
from accord.engine.sql import POSTGRES_PRELUDE, instant, portable, render, table

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


def durations(pauses: exp.Expr | None = None, as_of: datetime | None = AS_OF) -> exp.Select:
    """The tickets' business time on the schedule, measured up to ``as_of``."""
    until = instant(as_of) if as_of is not None else exp.null()
    return business_durations(table("tickets"), "schedule", until, pauses)


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

    assert in_postgres == in_duckdb
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
