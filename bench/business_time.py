"""Benchmark (b): business-time clocks for 1 million support tickets under three calendars.

Usage: .venv/bin/python -m bench.business_time [--tickets 1000000] [--repeat 3]

Generates tickets deterministically (numpy, fixed seed) across three calendars in different
time zones with public holidays, then measures, as tickets per second (median of --repeat
runs; CPU seconds too, as the machine may be shared), two workloads with
``accord.engine.business_time``:

- first response: business time from opening to first response, no pauses;
- resolution: business time from opening to resolution (open tickets up to an as-of instant),
  paused while waiting on the customer, the pauses derived from status changes.

In the same run and on the same data it times a simpler hand-written DuckDB query (a range
join summing each ticket's overlap with every working interval it spans, and the same for
its pauses), prints the ratio and counts the tickets on which the two disagree (expected: 0).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd
import sqlglot
from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.core.calendars.spec import Calendar
from accord.engine.business_time import (
    business_durations,
    pause_intervals,
    register_schedule,
)
from accord.engine.sql import render, table

SEED = 20260101
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
AS_OF = datetime(2027, 1, 15, tzinfo=UTC)
PAUSED = ["waiting_on_customer"]

CALENDARS = {
    "berlin": {
        "timezone": "Europe/Berlin",
        "hours": {"mon-fri": ["08:30-12:30", "13:15-17:45"]},
        "holidays": {"country": "DE", "subdivision": "BE"},
    },
    "new_york": {
        "timezone": "America/New_York",
        "hours": {"mon-fri": ["08:00-20:00"], "sat": ["10:00-14:00"]},
        "holidays": {"country": "US"},
    },
    "bangalore": {
        "timezone": "Asia/Kolkata",
        "hours": {"mon-sat": ["09:30-13:30", "14:30-18:30"]},
        "holidays": {"country": "IN"},
    },
}

HAND_WRITTEN = """
SELECT t.key,
       (coalesce(sum(least(t.end_us, s.end_us) - greatest(t.start_us, s.start_us))
                 FILTER (WHERE s.start_us IS NOT NULL), 0)
        - coalesce(any_value(p.paused_us), 0)) / 1e6 AS business_seconds
FROM (SELECT key, epoch_us(start_at) AS start_us,
             epoch_us(coalesce(end_at, $as_of::TIMESTAMPTZ)) AS end_us FROM {tickets}) AS t
LEFT JOIN {schedule} AS s ON s.start_us < t.end_us AND s.end_us > t.start_us
LEFT JOIN (
    SELECT p.key, sum(least(p.end_us, s.end_us) - greatest(p.start_us, s.start_us)) AS paused_us
    FROM (SELECT key, epoch_us(pause_start) AS start_us,
                 epoch_us(coalesce(pause_end, $as_of::TIMESTAMPTZ)) AS end_us
          FROM {pauses}) AS p
    JOIN {schedule} AS s ON s.start_us < p.end_us AND s.end_us > p.start_us
    GROUP BY p.key
) AS p ON p.key = t.key
GROUP BY t.key
"""

HAND_WRITTEN_NO_PAUSES = """
SELECT t.key,
       coalesce(sum(least(t.end_us, s.end_us) - greatest(t.start_us, s.start_us))
                FILTER (WHERE s.start_us IS NOT NULL), 0) / 1e6 AS business_seconds
FROM (SELECT key, epoch_us(start_at) AS start_us,
             epoch_us(coalesce(end_at, $as_of::TIMESTAMPTZ)) AS end_us FROM {tickets}) AS t
LEFT JOIN {schedule} AS s ON s.start_us < t.end_us AND s.end_us > t.start_us
GROUP BY t.key
"""


def generate(con: duckdb.DuckDBPyConnection, count: int) -> None:
    """Tables ``tickets`` and ``status_changes``, the same for the same count."""
    rng = np.random.default_rng(SEED)
    hour, day = 3_600_000_000, 86_400_000_000
    year_start = int(YEAR_START.timestamp()) * 1_000_000
    opened = year_start + rng.integers(0, 350 * day, count)
    responded = opened + rng.exponential(6 * hour, count).astype(np.int64)
    resolved = responded + rng.exponential(3 * day, count).astype(np.int64)
    still_open = rng.random(count) < 0.05
    tickets = pd.DataFrame(
        {
            "key": np.arange(count, dtype=np.int64),
            "calendar": np.array(list(CALENDARS))[rng.integers(0, len(CALENDARS), count)],
            "opened_us": opened,
            "responded_us": responded,
            "resolved_us": resolved,
            "still_open": still_open,
        }
    )
    # 35% wait on the customer once; the wait may outlast the resolution (paused → resolved).
    waits = rng.random(count) < 0.35
    wait_start = responded + (rng.random(count) * (resolved - responded)).astype(np.int64)
    wait_end = wait_start + rng.exponential(1 * day, count).astype(np.int64)
    keys = np.arange(count, dtype=np.int64)
    changes = pd.DataFrame(
        {
            "key": np.concatenate([keys, keys[waits], keys[waits], keys[~still_open]]),
            "changed_us": np.concatenate(
                [opened, wait_start[waits], wait_end[waits], resolved[~still_open]]
            ),
            "status": np.concatenate(
                [
                    np.full(count, "open"),
                    np.full(waits.sum(), "waiting_on_customer"),
                    np.full(waits.sum(), "open"),
                    np.full((~still_open).sum(), "resolved"),
                ]
            ),
        }
    )
    con.register("ticket_frame", tickets)
    con.register("change_frame", changes)
    con.execute(
        """
        CREATE OR REPLACE TABLE tickets AS
        SELECT key, calendar,
               make_timestamp(opened_us)::TIMESTAMPTZ AS opened_at,
               make_timestamp(responded_us)::TIMESTAMPTZ AS first_response_at,
               CASE WHEN still_open THEN NULL
                    ELSE make_timestamp(resolved_us)::TIMESTAMPTZ END AS resolved_at
        FROM ticket_frame
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE status_changes AS
        SELECT key, make_timestamp(changed_us)::TIMESTAMPTZ AS changed_at, status
        FROM change_frame
        """
    )
    con.unregister("ticket_frame")
    con.unregister("change_frame")


def register_schedules(con: duckdb.DuckDBPyConnection) -> None:
    low, high = con.execute(
        "SELECT min(opened_at), max(greatest(resolved_at, first_response_at)) FROM tickets"
    ).fetchone() or (None, None)
    assert low is not None
    assert high is not None
    start = low.astimezone(UTC) - timedelta(days=1)
    end = max(high.astimezone(UTC), AS_OF) + timedelta(days=1)
    for name, spec in CALENDARS.items():
        calendar = BusinessCalendar.from_spec(Calendar.model_validate({"id": name, **spec}))
        register_schedule(con, calendar, start, end, f"schedule_{name}")


def _tickets(name: str, end_column: str) -> str:
    return (
        f"(SELECT key, opened_at AS start_at, {end_column} AS end_at "
        f"FROM tickets WHERE calendar = '{name}')"
    )


def workload(end_column: str, with_pauses: bool, hand_written: bool) -> str:
    """One statement over the three calendars (UNION ALL of one query per calendar)."""
    parts = []
    for name in CALENDARS:
        tickets, schedule = _tickets(name, end_column), f"schedule_{name}"
        tree = sqlglot.parse_one(tickets, read="duckdb")
        pauses = pause_intervals(tree, table("status_changes"), PAUSED).subquery()
        if hand_written:
            template = HAND_WRITTEN if with_pauses else HAND_WRITTEN_NO_PAUSES
            query = template.format(tickets=tickets, schedule=schedule, pauses=render(pauses))
        else:
            # The as-of instant stays a parameter ($as_of), as in the hand-written query.
            as_of = exp.Placeholder(this="as_of")
            engine = business_durations(tree, schedule, as_of, pauses if with_pauses else None)
            query = render(engine)
        parts.append(f"SELECT * FROM ({query})")
    return "\nUNION ALL\n".join(parts)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _time(
    con: duckdb.DuckDBPyConnection, query: str, repeat: int, table: str
) -> tuple[float, float]:
    """Median wall and CPU seconds to materialise ``query`` into temp table ``table``."""
    walls, cpus = [], []
    for _ in range(repeat):
        began, cpu = time.perf_counter(), _cpu()
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {query}", {"as_of": AS_OF})
        walls.append(time.perf_counter() - began)
        cpus.append(_cpu() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def _differing_rows(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        """
        SELECT count(*) FROM engine_result FULL JOIN baseline_result USING (key)
        WHERE engine_result.business_seconds IS DISTINCT FROM baseline_result.business_seconds
        """
    ).fetchone()
    return row[0] if row else -1


def _report(
    label: str,
    count: int,
    timed: Callable[[bool], tuple[float, float]],
    con: duckdb.DuckDBPyConnection,
) -> None:
    engine, engine_cpu = timed(False)
    print(
        f"{label:<28} {engine:7.3f} s  {count / engine:13,.0f} tickets/s  (CPU {engine_cpu:.2f} s)"
    )
    floor, floor_cpu = timed(True)
    print(
        f"{'  hand-written range join':<28} {floor:7.3f} s  {count / floor:13,.0f} tickets/s"
        f"  (CPU {floor_cpu:.2f} s; engine / hand-written time: {engine / floor:.2f}×, "
        f"tickets that differ: {_differing_rows(con)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    began = time.perf_counter()
    generate(con, args.tickets)
    generated = time.perf_counter() - began
    began = time.perf_counter()
    register_schedules(con)
    scheduled = time.perf_counter() - began
    intervals = sum(
        (con.execute(f"SELECT count(*) FROM schedule_{name}").fetchone() or (0,))[0]
        for name in CALENDARS
    )
    changes = (con.execute("SELECT count(*) FROM status_changes").fetchone() or (0,))[0]
    threads = (con.execute("SELECT current_setting('threads')").fetchone() or ("?",))[0]
    print(
        f"{args.tickets:,} tickets, {changes:,} status changes, 3 calendars; "
        f"DuckDB {duckdb.__version__}, {threads} threads"
    )
    print(f"generate {generated:.2f} s; schedules {scheduled:.2f} s ({intervals:,} intervals)")
    print(f"median of {args.repeat} runs:")

    def first_response(hand: bool) -> tuple[float, float]:
        query = workload("first_response_at", False, hand)
        return _time(con, query, args.repeat, "baseline_result" if hand else "engine_result")

    def resolution(hand: bool) -> tuple[float, float]:
        query = workload("resolved_at", True, hand)
        return _time(con, query, args.repeat, "baseline_result" if hand else "engine_result")

    _report("first response", args.tickets, first_response, con)
    _report("resolution, paused states", args.tickets, resolution, con)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MB")


if __name__ == "__main__":
    main()
