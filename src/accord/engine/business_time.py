"""Business-time clocks in DuckDB: a calendar's working schedule and set-based durations.

The schedule is a small table of a calendar's working intervals in UTC microseconds with the
working time before each one (``cum_before_us``). Business time up to an instant ``t`` is then

    B(t) = cum_before_us + least(t - start_us, end_us - start_us)

of the last interval starting at or before ``t`` (an ASOF join), and a ticket's business time
is ``B(end) - B(start)`` minus, for each pause, ``B(pause_end) - B(pause_start)``. Each lookup
is an ASOF (sort-merge) join against a table of a few thousand rows, so the cost grows with
the number of tickets and pauses, not with how long they run or how many working intervals
they span (the naive range join grows with both). The rules (what counts as working time on a
DST change, holidays, pauses, start after end) are those of ``accord.core.calendars.clock``, which
generates the schedule; the tests prove both equal.

The queries are DuckDB SQL templates (``accord.engine.sql.template``) into which relations
and values are put as trees; ``portable`` turns each ASOF join into a lateral lookup for
PostgreSQL, where the schedule is a table of the same rows (``register_schedule`` writes it
with DuckDB) and ``error`` comes from ``POSTGRES_PRELUDE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.engine.connection import Connection
from accord.engine.sql import fill, query, render, table, template, text, with_ctes

__all__ = [
    "business_durations",
    "due_instants",
    "pause_intervals",
    "register_schedule",
]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def _epoch_us(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICROSECOND


_SCHEDULE: Final = template(
    """
    CREATE OR REPLACE TEMP TABLE schedule AS
    SELECT start_us, end_us,
           coalesce(sum(end_us - start_us) OVER (
               ORDER BY start_us ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ), 0)::BIGINT AS cum_before_us
    FROM (SELECT unnest($starts)::BIGINT AS start_us, unnest($ends)::BIGINT AS end_us)
    ORDER BY start_us
    """
)


def register_schedule(
    con: Connection,
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    name: str,
) -> None:
    """Create (or replace) temp table ``name`` with the calendar's working time in [start, end).

    Columns: ``start_us``, ``end_us`` (UTC epoch microseconds of one working interval) and
    ``cum_before_us`` (working microseconds from ``start`` to the interval's start). Zero-length
    rows mark ``start`` and ``end`` when no working interval begins or ends there, so the table
    always knows the range it covers: ``business_durations`` fails on an instant outside
    it rather than clipping silently. One row per working window per local day: the Python
    work is per calendar day, never per ticket.
    """
    if end <= start:
        raise ValueError(f"the schedule range ends ({end}) before it starts ({start})")
    intervals = [
        (_epoch_us(low), _epoch_us(high)) for low, high in calendar.working_intervals(start, end)
    ]
    first, last = _epoch_us(start), _epoch_us(end)
    if not intervals or intervals[0][0] != first:
        intervals.insert(0, (first, first))
    if intervals[-1][1] != last:
        intervals.append((last, last))
    # The bounds are parameters ($starts, $ends), bound by DuckDB: only the name is filled in.
    statement = fill(_SCHEDULE, {"schedule": table(name)})
    con.execute(
        render(statement),
        {"starts": [low for low, _ in intervals], "ends": [high for _, high in intervals]},
    )


_CLOCK: Final = {
    "bounds": """
        SELECT min(start_us) AS low_us, max(end_us) AS high_us FROM schedule
    """,
    "given": """
        SELECT t.key, epoch_us(t.start_at) AS start_us,
               epoch_us(coalesce(t.end_at, $as_of::TIMESTAMPTZ)) AS end_us
        FROM tickets AS t
    """,
    "clock": """
        -- a clock that stops before it starts measures nothing
        SELECT g.key,
               CASE WHEN g.start_us < b.low_us OR g.end_us > b.high_us
                    THEN error('business time: ticket ' || g.key::VARCHAR
                               || ' lies outside the registered schedule range')
                    ELSE g.start_us END AS start_us,
               CASE WHEN g.end_us < g.start_us THEN g.start_us ELSE g.end_us END AS end_us
        FROM given AS g CROSS JOIN bounds AS b
    """,
}

# B(t) of each pause's start and end: the time paused, in business microseconds.
_PAUSED: Final = {
    "pause_spans": """
        -- each pause clipped to its ticket's clock; an open pause (no end yet) runs to the end
        SELECT c.key,
               greatest(epoch_us(p.pause_start), c.start_us) AS start_us,
               least(coalesce(epoch_us(p.pause_end), c.end_us), c.end_us) AS end_us
        FROM pauses AS p JOIN clock AS c ON p.key = c.key
        WHERE p.pause_start IS NOT NULL
    """,
    "pause_fresh": """
        -- the part of each pause not already covered by an earlier one: overlaps count once
        SELECT key, end_us,
               greatest(start_us, coalesce(max(end_us) OVER (
                   PARTITION BY key ORDER BY start_us, end_us
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
               ), start_us)) AS start_us
        FROM pause_spans
        WHERE start_us < end_us
    """,
    "pause_at_start": """
        SELECT f.key, f.end_us,
               s.cum_before_us + least(f.start_us - s.start_us, s.end_us - s.start_us) AS start_b
        FROM pause_fresh AS f ASOF JOIN schedule AS s ON f.start_us >= s.start_us
        WHERE f.start_us < f.end_us
    """,
    "paused": """
        SELECT a.key,
               sum(s.cum_before_us + least(a.end_us - s.start_us, s.end_us - s.start_us)
                   - a.start_b) AS paused_us
        FROM pause_at_start AS a ASOF JOIN schedule AS s ON a.end_us >= s.start_us
        GROUP BY a.key
    """,
}

# B(start) and B(end) of each clock.
_BUSINESS: Final = {
    "at_start": """
        SELECT c.key, c.end_us,
               s.cum_before_us + least(c.start_us - s.start_us, s.end_us - s.start_us) AS start_b
        FROM clock AS c ASOF LEFT JOIN schedule AS s ON c.start_us >= s.start_us
    """,
    "at_end": """
        SELECT a.key, a.start_b,
               s.cum_before_us + least(a.end_us - s.start_us, s.end_us - s.start_us) AS end_b
        FROM at_start AS a ASOF LEFT JOIN schedule AS s ON a.end_us >= s.start_us
    """,
}

_DURATIONS: Final = with_ctes(
    """
    SELECT e.key, (e.end_b - e.start_b)::BIGINT AS business_us,
           (e.end_b - e.start_b) / 1e6 AS business_seconds
    FROM at_end AS e
    """,
    _CLOCK,
    _BUSINESS,
)
_PAUSED_DURATIONS: Final = with_ctes(
    """
    SELECT e.key, (e.end_b - e.start_b - coalesce(p.paused_us, 0))::BIGINT AS business_us,
           (e.end_b - e.start_b - coalesce(p.paused_us, 0)) / 1e6 AS business_seconds
    FROM at_end AS e LEFT JOIN paused AS p ON p.key = e.key
    """,
    _CLOCK,
    _PAUSED,
    _BUSINESS,
)


def business_durations(
    tickets: exp.Expr,
    schedule: str,
    as_of: exp.Expr,
    pauses: exp.Expr | None = None,
) -> exp.Select:
    """A query of ``(key, business_us, business_seconds)``: each ticket's business time on a
    schedule.

    ``tickets`` is a relation with ``key``, ``start_at`` and ``end_at`` (TIMESTAMPTZ);
    ``pauses``, if given, one with ``key``, ``pause_start`` and ``pause_end`` (NULL while
    still paused), for example ``pause_intervals``. A ticket still open (``end_at`` NULL) is
    measured up to ``as_of`` (an instant; NULL gives open tickets NULL). A ticket ending
    before it starts measures 0. An instant outside the schedule's range raises an error
    instead of being clipped. ``business_us`` is the business time in whole microseconds
    (an integer: exact, to be summed, compared or ranked); ``business_seconds`` the same /
    1e6 as a DOUBLE, for showing one ticket (a sum or mean of it is not exact).
    """
    values = {"tickets": tickets, "schedule": table(schedule), "as_of": as_of}
    if pauses is None:
        return query(fill(_DURATIONS, values))
    return query(fill(_PAUSED_DURATIONS, {**values, "pauses": pauses}))


# The due instant of each clock: where its running business time reaches $threshold_us.
# In business coordinates (B), the clock runs from B(start) except during pauses; before the
# first pause that starts once the clock has run the threshold, the due instant is
# B(start) + threshold + the pauses before it; with no such pause, + every pause. B⁻¹ is an
# ASOF lookup on the working intervals' cumulative time.
_DUE_AT: Final = {
    "pause_b": """
        SELECT a.key, a.start_b,
               s.cum_before_us + least(a.end_us - s.start_us, s.end_us - s.start_us) AS end_b
        FROM pause_at_start AS a ASOF JOIN schedule AS s ON a.end_us >= s.start_us
    """,
    "pause_run": """
        SELECT p.key, p.start_b - c.start_b - coalesce(sum(p.end_b - p.start_b) OVER (
                   PARTITION BY p.key ORDER BY p.start_b
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS run_b,
               coalesce(sum(p.end_b - p.start_b) OVER (
                   PARTITION BY p.key ORDER BY p.start_b
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS paused_before
        FROM pause_b AS p JOIN at_start AS c ON c.key = p.key
    """,
    "all_paused": """
        SELECT key, sum(end_b - start_b) AS paused_b FROM pause_b GROUP BY key
    """,
    "due": """
        SELECT a.key, a.start_b + $threshold_us + coalesce(
                   (SELECT min(CASE WHEN r.run_b >= $threshold_us THEN r.paused_before END)
                    FROM pause_run AS r WHERE r.key = a.key),
                   t.paused_b, 0) AS due_b
        FROM at_start AS a LEFT JOIN all_paused AS t ON t.key = a.key
    """,
    "working": """
        SELECT start_us, end_us, cum_before_us FROM schedule WHERE end_us > start_us
    """,
}
_DUE: Final = with_ctes(
    """
    SELECT d.key,
           CASE WHEN d.due_b - w.cum_before_us <= w.end_us - w.start_us
                THEN make_timestamp((w.start_us + d.due_b - w.cum_before_us)::BIGINT)::TIMESTAMPTZ
           END AS due_at
    FROM due AS d ASOF LEFT JOIN working AS w ON d.due_b > w.cum_before_us
    """,
    _CLOCK,
    _PAUSED,
    _BUSINESS,
    _DUE_AT,
)


_NO_PAUSES: Final = template(
    "SELECT key, start_at AS pause_start, end_at AS pause_end FROM tickets WHERE false"
)


def due_instants(
    tickets: exp.Expr,
    schedule: str,
    as_of: exp.Expr,
    threshold: timedelta,
    pauses: exp.Expr | None = None,
) -> exp.Select:
    """A query of ``(key, due_at)``: the instant each ticket's clock reaches ``threshold``
    of business time on a schedule, pauses applied (relations as for
    ``business_durations``). A pause still running at ``as_of`` counts up to ``as_of``: the
    due instant is as if the clock resumed then. ``due_at`` is NULL beyond the schedule."""
    # Without pauses: an empty relation of the tickets' own column types.
    empty = query(fill(_NO_PAUSES, {"tickets": tickets}))
    values = {
        "tickets": tickets,
        "schedule": table(schedule),
        "as_of": as_of,
        "threshold_us": exp.Literal.number(str(threshold // _MICROSECOND)),
        "pauses": pauses if pauses is not None else empty,
    }
    return query(fill(_DUE, values))


_PAUSE_INTERVALS: Final = template(
    """
    SELECT key, pause_start, pause_end
    FROM (
        -- join first, so that the window runs over the changes of these tickets only
        SELECT c.key, c.paused,
               greatest(c.changed_at, t.start_at) AS pause_start,
               least(
                   lead(c.changed_at) OVER (
                       PARTITION BY c.key ORDER BY c.changed_at, c.paused DESC
                   ),
                   t.end_at
               ) AS pause_end
        FROM (SELECT key, changed_at, status IN ($states) AS paused FROM changes) AS c
        JOIN tickets AS t ON c.key = t.key
    ) AS spells
    WHERE paused AND (pause_end IS NULL OR pause_start < pause_end)
    """
)


def pause_intervals(
    tickets: exp.Expr, status_changes: exp.Expr, paused_states: Sequence[str]
) -> exp.Select:
    """A query of ``(key, pause_start, pause_end)``: when each ticket's clock was stopped.

    ``status_changes`` has ``key``, ``changed_at`` (TIMESTAMPTZ) and ``status``, one row per
    change to a new status. A spell in a paused status lasts until the next change (LEAD over
    the ticket's changes), clipped to the ticket's ``[start_at, end_at]``: a ticket that goes
    straight from a paused status to resolved is paused until the resolution, whether or not
    the resolution appears as a status change. A pause still running has ``pause_end`` NULL.
    Reopened tickets: with ``end_at`` the final resolution, list the resolved status among the
    paused states, and the clock stops from each resolution to the reopening that follows it.
    Of changes at the same instant, a paused status is taken to come first: the clock runs.
    """
    if not paused_states:
        raise ValueError("pause_intervals needs at least one paused status")
    intervals = query(fill(_PAUSE_INTERVALS, {"tickets": tickets, "changes": status_changes}))
    membership = intervals.find(exp.In)
    assert membership is not None
    membership.set("expressions", [text(state) for state in paused_states])
    return intervals
