"""Sample data of ``support-outsourcer``: tickets, their status changes and surveys.

Tickets arrive hour by hour with each hub's daily rhythm. Their clocks are drawn in business
time on the hub's calendar (round the clock for P1): the first response after a log-normal
number of business minutes, the resolution within or beyond 3 business days as the
scenario says, with a third of the tickets waiting on the customer once in between. The
instants are placed on the calendar's working schedule, so the engine measures exactly the
business time drawn. Status changes and survey answers follow from the tickets.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.core.calendars.spec import ALWAYS
from accord.demo.base import Context, SampleDataError
from accord.demo.scenarios import SUPPORT, Support, at_instant
from accord.demo.sql import (
    monthly_table,
    pick,
    register_schedules,
    shift_business,
    table_from_rows,
    ts,
)
from accord.demo.writer import SourceRows
from accord.engine import sql

__all__ = ["generate"]

#: Tickets by local hour (peak = 1): travellers write from early morning to late evening.
_HOUR: Final = sql.template(
    "(0.08 + 0.75 * exp(-power($h - 10.5, 2) / 7) + 0.92 * exp(-power($h - 17.5, 2) / 9))"
)
_LOCAL: Final = sql.template("(g.hour_at AT TIME ZONE h.zone)")
_RESOLVE_DAYS = 3  # the agreement's "within 3 business days"


def _calendar(ctx: Context, calendar_id: str) -> BusinessCalendar:
    for calendar in ctx.agreement.calendars:
        if calendar.id == calendar_id:
            return BusinessCalendar.from_spec(calendar)
    raise SampleDataError(f"agreement {ctx.agreement.metadata.id!r} has no calendar {calendar_id}")


def _story_tables(ctx: Context, scenario: Support) -> None:
    con, span = ctx.con, ctx.span
    calendars = [_calendar(ctx, hub.calendar) for hub in scenario.hubs]
    table_from_rows(
        con,
        "sd_hubs",
        (
            "idx INTEGER",
            "region VARCHAR",
            "calendar VARCHAR",
            "zone VARCHAR",
            "peak DOUBLE",
            "day_s DOUBLE",
        ),
        [
            (
                index,
                hub.region,
                hub.calendar,
                hub.timezone,
                hub.peak_per_hour,
                calendar.business_day_seconds(),
            )
            for index, (hub, calendar) in enumerate(zip(scenario.hubs, calendars, strict=True))
        ],
    )
    register_schedules(
        con,
        [*calendars, BusinessCalendar.always()],
        span.start_at - dt.timedelta(days=1),
        span.end_at + dt.timedelta(days=120),
    )
    in_time = {f"{hub}/{priority}": v for (hub, priority), v in scenario.resolved_in_time.items()}
    monthly_table(con, "sd_in_time", "scope", in_time, span)
    monthly_table(con, "sd_satisfied", "language", scenario.satisfied, span)
    monthly_table(con, "sd_first_contact", "channel", scenario.first_contact, span)
    surges = []
    for surge in scenario.surges:
        start = at_instant(surge.at, span, ctx.agreement.timezone)
        if start is not None:
            surges.append((start, start + dt.timedelta(hours=surge.hours), surge.extra))
    table_from_rows(
        con, "sd_surges", ("start_at TIMESTAMPTZ", "end_at TIMESTAMPTZ", "extra DOUBLE"), surges
    )


#: Tickets hour by hour per hub: $volume times the hub's traffic by local hour ($local,
#: $traffic) and weekday, more during surges, each with its drawn priority, channel and
#: language.
_ARRIVALS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_tickets AS
    WITH hours AS (
        SELECT (epoch(g.hour_at)::BIGINT // 3600) * 8 + h.idx AS hour_id, g.hour_at,
               h.region, h.calendar, h.day_s, hour($local) AS local_hour,
               h.peak * $volume * $traffic
                 * [1, 1, 1, 1, 1, 0.85, 0.8][isodow($local)] AS expected,
               coalesce(s.extra, 0) AS surge
        FROM generate_series($start, $end - INTERVAL 1 HOUR,
                             INTERVAL 1 HOUR) AS g(hour_at)
        CROSS JOIN sd_hubs AS h
        LEFT JOIN sd_surges AS s ON g.hour_at >= s.start_at AND g.hour_at < s.end_at
    ),
    arrived AS (
        SELECT *, hour_id * 1024 + k AS id,
               hour_at + to_microseconds(((k + rnd(hour_id * 1024 + k, 'offset'))
                                          * 3600e6 / n)::BIGINT) AS opened_at
        FROM (SELECT *, unnest(range(n)) AS k
              FROM (SELECT *, least(floor(expected * (1 + surge) + rnd(hour_id, 'count')),
                                    1000)::BIGINT AS n
                    FROM hours))
    )
    SELECT id, hour_id, k, opened_at, region,
           $priority AS priority,
           CASE WHEN local_hour BETWEEN 8 AND 19 THEN $open_channels
                ELSE $closed_channels END AS channel,
           $language AS language,
           CASE WHEN rnd(id, 'surge') < surge / (1 + surge) THEN 'wanderly_outage' END
             AS caused_by,
           calendar AS hub_calendar, day_s
    FROM arrived
    """
)

#: Each ticket's drawn clocks: response ($p1 … $p4 minutes at the median), work (P1 in
#: $resolve_p1 seconds, others within $resolve_days business days or not), waits.
_TIMED: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_tickets AS
    WITH timed AS (
        SELECT t.*, CASE WHEN priority = 'P1' THEN $always ELSE hub_calendar END
                      AS calendar,
               lognormal(id, 'response', CASE priority
                   WHEN 'P1' THEN $p1 WHEN 'P2' THEN $p2
                   WHEN 'P3' THEN $p3 ELSE $p4 END * 60, 0.55)
                 AS response_s,
               coalesce(it.value, 1.0) AS in_time, c.value AS first_contact,
               -- golden-ratio draws per scope and day keep monthly shares as planned
               spread(t.region || t.priority || CAST(t.opened_at AS DATE), 'in time',
                      row_number() OVER (PARTITION BY t.region, t.priority,
                                         CAST(t.opened_at AS DATE) ORDER BY t.id)) AS u_in_time,
               spread(t.channel || CAST(t.opened_at AS DATE), 'one contact',
                      row_number() OVER (PARTITION BY t.channel, CAST(t.opened_at AS DATE)
                                         ORDER BY t.id)) AS u_one_contact
        FROM sd_tickets AS t
        JOIN sd_months AS m ON t.opened_at >= m.start_at AND t.opened_at < m.end_at
        LEFT JOIN sd_in_time AS it
          ON it.scope = t.region || '/' || t.priority AND it.back = m.back
        JOIN sd_first_contact AS c ON c.channel = t.channel AND c.back = m.back
    ),
    worked AS (
        SELECT *,
               CASE WHEN priority = 'P1'
                      THEN greatest(response_s + 300,
                                    lognormal(id, 'work', $resolve_p1,
                                              0.6))
                    WHEN u_in_time < in_time
                      THEN response_s + rnd(id, 'work')
                           * greatest($resolve_days * day_s - response_s, 0) * 0.97
                    ELSE $resolve_days * day_s * (1.04 + 1.2 * rnd(id, 'work'))
               END AS work_s,
               rnd(id, 'waits') < CASE WHEN priority = 'P1' THEN 0.1
                                       ELSE $waiting_share END AS waits
        FROM timed
    )
    SELECT *,
           CASE WHEN waits THEN response_s + rnd(id, 'wait at') * (work_s - response_s) END
             AS wait_at_s,
           lognormal(id, 'wait', 18 * 3600, 0.8) AS wait_s,
           CASE WHEN u_one_contact < first_contact THEN 1
                ELSE 2 + floor(3 * rnd(id, 'contacts'))::INT END AS contacts
    FROM worked
    """
)

#: Tickets as exported at $end.
_TICKET_ROWS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_ticket_rows AS
    SELECT id AS __order, 'T' || lpad(row_number() OVER (ORDER BY opened_at, id)::VARCHAR,
                                      7, '0') AS ticket_id,
           opened_at,
           CASE WHEN responded < $end THEN responded END AS first_response_at,
           CASE WHEN resolved < $end THEN resolved END AS resolved_at,
           CASE WHEN wait_start < $end THEN wait_start END AS wait_start,
           CASE WHEN wait_end < $end THEN wait_end END AS wait_end,
           priority, channel, language, region,
           contacts, caused_by
    FROM sd_tickets
    """
)

#: Each ticket's status changes before $end.
_STATUS_CHANGES: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_status AS
    SELECT __order * 8 + step AS __order, ticket_id, changed_at, status
    FROM (
        SELECT __order, ticket_id, 0 AS step, opened_at AS changed_at, 'new' AS status
        FROM sd_ticket_rows
        UNION ALL
        SELECT __order, ticket_id, 1, first_response_at, 'open' FROM sd_ticket_rows
        UNION ALL
        SELECT __order, ticket_id, 2, wait_start, 'waiting_on_customer' FROM sd_ticket_rows
        UNION ALL
        SELECT __order, ticket_id, 3, wait_end, 'open' FROM sd_ticket_rows
        UNION ALL
        SELECT __order, ticket_id, 4, resolved_at, 'solved' FROM sd_ticket_rows
        UNION ALL
        SELECT __order, ticket_id, 5, resolved_at + INTERVAL 3 DAY, 'closed'
        FROM sd_ticket_rows
    )
    WHERE changed_at IS NOT NULL AND changed_at < $end
    """
)

#: Survey answers ($survey_rate of solved tickets) before $end.
_SURVEYS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_surveys AS
    WITH answered AS (
        SELECT t.__order, t.ticket_id, t.channel, t.language,
               t.resolved_at + to_microseconds(
                   (lognormal(t.__order, 'answered', 5 * 3600, 1.0) * 1e6)::BIGINT
               ) AS answered_at
        FROM sd_ticket_rows AS t
        WHERE t.resolved_at IS NOT NULL AND rnd(t.__order, 'survey') < $survey_rate
    ),
    scored AS (
        SELECT a.*,
               CASE WHEN spread(a.language || CAST(a.answered_at AS DATE), 'satisfied',
                                row_number() OVER (PARTITION BY a.language,
                                                   CAST(a.answered_at AS DATE)
                                                   ORDER BY a.__order)) < s.value
                    THEN CASE WHEN rnd(a.__order, 'delighted') < 0.66 THEN 5 ELSE 4 END
                    ELSE [3, 3, 2, 1][1 + floor(4 * rnd(a.__order, 'unhappy'))::INT]
               END AS score
        FROM answered AS a
        JOIN sd_months AS m ON a.answered_at >= m.start_at AND a.answered_at < m.end_at
        JOIN sd_satisfied AS s ON s.language = a.language AND s.back = m.back
    )
    SELECT __order, 'S' || substr(ticket_id, 2) AS response_id, answered_at, ticket_id,
           channel, language,
           CASE WHEN rnd(__order, 'skip csat') >= 0.04 THEN score END AS csat,
           CASE WHEN rnd(__order, 'skip nps') < 0.07 THEN NULL
                WHEN rnd(__order, 'nps') < [0.03, 0.03, 0.03, 0.38, 0.82][score]
                  THEN 9 + floor(2 * rnd(__order, 'nps score'))::INT
                WHEN rnd(__order, 'nps') < [0.2, 0.2, 0.2, 0.85, 0.97][score]
                  THEN 7 + floor(2 * rnd(__order, 'nps score'))::INT
                ELSE 6 - floor(7 * power(rnd(__order, 'nps score'), 2))::INT
           END AS recommend
    FROM scored
    WHERE answered_at < $end
    """
)


def _arrivals(ctx: Context, scenario: Support) -> None:
    """``sd_tickets``: one row per ticket with who, where, how, and the drawn clocks."""
    languages = exp.Case(
        this=exp.column("region"),
        ifs=[
            exp.If(this=sql.text(hub.region), true=pick("id", "language", hub.languages))
            for hub in scenario.hubs
        ],
    )
    open_channels = pick(
        "id", "channel", {"phone": 0.35, "chat": 0.3, "email": 0.2, "portal": 0.15}
    )
    closed_channels = pick("id", "channel", {"email": 0.55, "portal": 0.35, "chat": 0.1})
    minutes = scenario.first_response_minutes
    hour = sql.call("hour", _LOCAL)
    arrivals = {
        "local": _LOCAL,
        "volume": sql.number(ctx.options.volume),
        "traffic": sql.fill(_HOUR, {"h": hour}),
        "start": ts(ctx.span.start_at),
        "end": ts(ctx.span.end_at),
        "priority": pick("id", "priority", scenario.priorities),
        "open_channels": open_channels,
        "closed_channels": closed_channels,
        "language": languages,
    }
    ctx.con.execute(sql.render(sql.fill(_ARRIVALS, arrivals)))
    timed = {
        "always": sql.text(ALWAYS),
        **{
            priority.lower(): sql.number(minutes[priority]) for priority in ("P1", "P2", "P3", "P4")
        },
        "resolve_p1": sql.number(scenario.resolve_p1_minutes * 60),
        "resolve_days": sql.number(_RESOLVE_DAYS),
        "waiting_share": sql.number(scenario.waiting_share),
    }
    ctx.con.execute(sql.render(sql.fill(_TIMED, timed)))


def _clocks(ctx: Context) -> None:
    """Place the drawn business times on the calendars: response, pause, resolution."""
    con = ctx.con
    shift_business(con, "sd_tickets", "opened_at", "response_s", "responded")
    shift_business(con, "sd_tickets", "opened_at", "wait_at_s", "wait_start")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE sd_tickets AS
        SELECT *, wait_start + to_microseconds((wait_s * 1e6)::BIGINT) AS wait_end,
               coalesce(wait_start + to_microseconds((wait_s * 1e6)::BIGINT), opened_at)
                 AS resumed_at,
               CASE WHEN waits THEN work_s - wait_at_s ELSE work_s END AS remaining_s
        FROM sd_tickets
        """
    )
    shift_business(con, "sd_tickets", "resumed_at", "remaining_s", "resolved")


def _ticket_rows(ctx: Context) -> str:
    """Tickets as exported at the end of the last month: later events have not happened."""
    ctx.con.execute(sql.render(sql.fill(_TICKET_ROWS, {"end": ts(ctx.span.end_at)})))
    return "sd_ticket_rows"


def _status_changes(ctx: Context) -> str:
    ctx.con.execute(sql.render(sql.fill(_STATUS_CHANGES, {"end": ts(ctx.span.end_at)})))
    return "sd_status"


def _surveys(ctx: Context, scenario: Support) -> str:
    """CSAT 1-5 and 'would you recommend' 0-10 after a solved ticket; either may be skipped."""
    values = {"end": ts(ctx.span.end_at), "survey_rate": sql.number(scenario.survey_rate)}
    ctx.con.execute(sql.render(sql.fill(_SURVEYS, values)))
    return "sd_surveys"


def generate(ctx: Context) -> list[SourceRows]:
    """Fill ``tickets``, ``ticket-status`` and ``surveys``."""
    scenario = SUPPORT
    _story_tables(ctx, scenario)
    _arrivals(ctx, scenario)
    _clocks(ctx)
    return [
        SourceRows("tickets", _ticket_rows(ctx)),
        SourceRows("ticket-status", _status_changes(ctx)),
        SourceRows("surveys", _surveys(ctx, scenario)),
    ]
