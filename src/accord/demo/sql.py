"""SQL building blocks for set-based generation in DuckDB.

Randomness is a hash, not a generator with state: ``rnd(key, 'purpose')`` is a uniform number
in [0, 1) computed from the row's key, the name of the decision and the seed. The same seed
gives the same data whatever the order or parallelism of the query, and each decision of a
row ("is it late?", "how long did it take?") draws from its own stream.

Business time is shifted with a calendar's working schedule (``register_schedules``): the
instant at which ``x`` business seconds have run since ``t`` is found with two ASOF joins,
one forward (``B(t)``, the business time up to ``t``) and one inverse (the working interval
in which ``B(t) + x`` falls), exactly the clock that the engine measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Final
from zoneinfo import ZoneInfo

import duckdb
from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.core.model import Agreement
from accord.demo.base import Monthly, Span, monthly_value
from accord.demo.scenarios import Maintenance, at_instant
from accord.engine import sql

__all__ = [
    "install",
    "local_ts",
    "maintenance_rows",
    "maintenance_table",
    "monthly_table",
    "peak_table",
    "pick",
    "register_schedules",
    "shift_business",
    "table_from_rows",
    "ts",
]

_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND: Final = dt.timedelta(microseconds=1)


def ts(instant: dt.datetime) -> exp.Expr:
    """A TIMESTAMPTZ literal."""
    return sql.instant(instant)


def local_ts(zone: str, naive: exp.Expr) -> exp.Expr:
    """A naive local ``TIMESTAMP`` expression as an instant in ``zone``."""
    return exp.Anonymous(this="timezone", expressions=[sql.text(zone), naive])


def install(con: duckdb.DuckDBPyConnection, seed: int, span: Span) -> None:
    """Session settings, the random macros for ``seed`` and the ``sd_months`` table."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE OR REPLACE TEMP MACRO rnd(key, purpose) AS "
        f"(hash(key, purpose, {int(seed)}) >> 11)::DOUBLE / 9007199254740992.0"
    )
    # Box-Muller: a standard normal number from two uniform ones.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO gauss(key, purpose) AS "
        "sqrt(-2 * ln(1 - rnd(key, purpose || '/r'))) * cos(2 * pi() * rnd(key, purpose || '/a'))"
    )
    # The k-th number of a golden-ratio sequence started at random: within a group (a minute,
    # a day's parcels), shares come out almost exactly as planned instead of drifting with
    # chance, so the story holds at any volume.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO spread(key, purpose, k) AS "
        "(rnd(key, purpose) + k * 0.6180339887498949) % 1"
    )
    # A log-normal number with the given median and shape: the long tail of waiting times.
    con.execute(
        "CREATE OR REPLACE TEMP MACRO lognormal(key, purpose, median, sigma) AS "
        "median * exp(sigma * gauss(key, purpose))"
    )
    table_from_rows(
        con,
        "sd_months",
        ("back INTEGER", "label VARCHAR", "start_at TIMESTAMPTZ", "end_at TIMESTAMPTZ"),
        [(m.back, m.label, m.start_at, m.end_at) for m in span.months],
    )


def table_from_rows(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    """A small temp table (scenario parameters, events of the story) from Python rows;
    ``columns`` are written ``name TYPE``."""
    typed = dict(written.split(" ", 1) for written in columns)
    con.execute(sql.render(sql.create_temp_table(name, typed)))
    listed = [tuple(row) for row in rows]
    if listed:
        con.executemany(sql.render(sql.insert_rows(name, len(typed))), listed)


def maintenance_table(
    con: duckdb.DuckDBPyConnection,
    windows: Iterable[Maintenance],
    span: Span,
    timezone: str,
    *,
    scoped: bool,
) -> None:
    """``sd_windows``: the story's maintenance windows that fall in the span (``idx``,
    ``start_at``, ``end_at``, ``announced_at``, with ``scoped`` also ``region`` and
    ``service``, then ``failing``)."""
    rows: list[tuple[object, ...]] = []
    for window in windows:
        start = at_instant(window.at, span, timezone)
        if start is None:
            continue
        end = start + dt.timedelta(minutes=window.minutes)
        announced = start - dt.timedelta(days=window.notice_days)
        where = (window.region, window.service) if scoped else ()
        rows.append((len(rows), start, end, announced, *where, window.failing))
    columns = ["idx INTEGER", "start_at TIMESTAMPTZ", "end_at TIMESTAMPTZ"]
    columns += ["announced_at TIMESTAMPTZ"]
    columns += ["region VARCHAR", "service VARCHAR"] if scoped else []
    table_from_rows(con, "sd_windows", [*columns, "failing DOUBLE"], rows)


def monthly_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    key_column: str,
    values: Mapping[str, Monthly],
    span: Span,
) -> None:
    """Table ``name`` (``key_column``, ``back``, ``value``): a scenario's monthly values."""
    table_from_rows(
        con,
        name,
        (f"{key_column} VARCHAR", "back INTEGER", "value DOUBLE"),
        [
            (key, month.back, monthly_value(monthly, month.back))
            for key, monthly in values.items()
            for month in span.months
        ],
    )


def pick(key: str, purpose: str, shares: Mapping[str, float]) -> exp.Expr:
    """One of the names in ``shares``, chosen with those relative probabilities by the
    row's column ``key``."""
    total = sum(shares.values())
    names = list(shares)
    cumulative = 0.0
    whens = []
    for name in names[:-1]:
        cumulative += shares[name] / total
        drawn = exp.Anonymous(this="rnd", expressions=[exp.column(key), sql.text(purpose)])
        chance = exp.Literal.number(repr(cumulative))
        whens.append(exp.If(this=exp.LT(this=drawn, expression=chance), true=sql.text(name)))
    if not whens:
        return sql.text(names[-1])
    return exp.Case(ifs=whens, default=sql.text(names[-1]))


def peak_table(con: duckdb.DuckDBPyConnection, agreement: Agreement) -> None:
    """Table ``sd_peaks`` (``start_at``, ``end_at``): the dates of the agreement's peaks."""
    rows = []
    for peak in agreement.peak_periods:
        zone = ZoneInfo(peak.timezone)
        for dates in peak.dates:
            start = dt.datetime.combine(dates.start, dt.time(), tzinfo=zone)
            end = dt.datetime.combine(dates.end + dt.timedelta(days=1), dt.time(), tzinfo=zone)
            rows.append((start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    table_from_rows(con, "sd_peaks", ("start_at TIMESTAMPTZ", "end_at TIMESTAMPTZ"), rows)


def _epoch_us(instant: dt.datetime) -> int:
    return (instant - _EPOCH) // _MICROSECOND


def register_schedules(
    con: duckdb.DuckDBPyConnection,
    calendars: Sequence[BusinessCalendar],
    start: dt.datetime,
    end: dt.datetime,
) -> None:
    """Table ``sd_schedule``: every calendar's working intervals in [start, end), in UTC
    epoch microseconds, with the working time before each one (``cum_before_us``)."""
    rows = []
    for calendar in calendars:
        cumulative = 0
        for low, high in calendar.working_intervals(start, end):
            low_us, high_us = _epoch_us(low), _epoch_us(high)
            rows.append((calendar.id, low_us, high_us, cumulative))
            cumulative += high_us - low_us
    table_from_rows(
        con,
        "sd_schedule",
        ("calendar VARCHAR", "start_us BIGINT", "end_us BIGINT", "cum_before_us BIGINT"),
        rows,
    )


#: The instant at which $seconds of business time have run since $start, on the calendar
#: named in each row's ``calendar`` column, as column ``__shifted`` of the rows of $rows.
_SHIFTED: Final = sql.template(
    """
    WITH forward AS (
        SELECT t.*,
               s.cum_before_us
               + least(epoch_us($start) - s.start_us, s.end_us - s.start_us)
               + round(($seconds) * 1e6)::BIGINT AS __target_us
        FROM rows AS t
        ASOF LEFT JOIN sd_schedule AS s
          ON t.calendar = s.calendar AND epoch_us($start) >= s.start_us
    )
    SELECT f.* EXCLUDE (__target_us),
           CASE WHEN f.__target_us - s.cum_before_us <= s.end_us - s.start_us
                THEN to_timestamp(0) + to_microseconds(s.start_us + f.__target_us
                                                       - s.cum_before_us)
           END AS __shifted
    FROM forward AS f
    ASOF LEFT JOIN sd_schedule AS s
      ON f.calendar = s.calendar AND f.__target_us >= s.cum_before_us
    """
)


def shift_business(
    con: duckdb.DuckDBPyConnection, table: str, start: str, seconds: str, out: str
) -> None:
    """Add column ``out`` to ``table``: the instant at which ``seconds`` (a column) of
    business time have run since the instant in column ``start``, on the calendar named in
    the row's ``calendar`` column. NULL where ``start`` or ``seconds`` is NULL or beyond
    the schedule."""
    values = {
        "rows": sql.table(table),
        "start": exp.column(start, table="t"),
        "seconds": exp.column(seconds),
    }
    shifted = sql.query(sql.fill(_SHIFTED, values))
    for alias in shifted.find_all(exp.Alias):
        if alias.alias == "__shifted":
            alias.set("alias", exp.to_identifier(out))
    con.execute(sql.render(sql.create_temp(table, shifted)))


def maintenance_rows(con: duckdb.DuckDBPyConnection, timestamp: str, *extra: str) -> str:
    """Table ``sd_maintenance``: the story's maintenance windows as a source's rows (the
    start under the source's ``timestamp``, ``ends_at``, ``announced_at``, ``extra``)."""
    windows = exp.select(
        exp.alias_(exp.column("idx"), "__order"),
        exp.alias_(exp.column("start_at"), timestamp, quoted=True),
        exp.alias_(exp.column("end_at"), "ends_at"),
        exp.column("announced_at"),
        *(exp.column(name) for name in extra),
    ).from_(exp.to_table("sd_windows"))
    con.execute(sql.render(sql.create_temp("sd_maintenance", windows)))
    return "sd_maintenance"
