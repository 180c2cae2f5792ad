"""Sample data of ``payments-api``: card authorisations per region and PayCo's maintenance.

Requests arrive minute by minute with the shop's daily and weekly rhythm in each region's
local time. Each request fails (5xx) with the month's background rate, more during the
story's outages and maintenance; rate-limited (429) and malformed (400) calls appear too.
Latency is log-normal around the region's median, with a heavy-tailed slow path.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from accord.demo.base import Context
from accord.demo.scenarios import PAYMENTS, Payments, at_instant
from accord.demo.sql import (
    maintenance_rows,
    maintenance_table,
    monthly_table,
    peak_table,
    table_from_rows,
    ts,
)
from accord.demo.writer import SourceRows
from accord.engine import sql

__all__ = ["generate"]

#: Traffic of a web shop by local hour $h (peak = 1): a lunch bump and a larger evening peak.
_SHOP_HOUR: Final = sql.template(
    "(0.06 + 0.55 * exp(-power($h - 12.5, 2) / 8) + 0.94 * exp(-power($h - 20.5, 2) / 5))"
)
#: By ISO weekday of the local time $local, Monday first: Sunday evenings are the busiest.
_SHOP_WEEK: Final = sql.template("[1.0, 0.97, 0.97, 1.0, 0.95, 0.9, 1.1][isodow($local)]")
#: The minute in the region's local time, and its hour with the minutes as a fraction.
_LOCAL: Final = sql.template("(g.minute_at AT TIME ZONE r.zone)")
_HOUR: Final = sql.fill(sql.template("(hour($local) + minute($local) / 60.0)"), {"local": _LOCAL})
#: $peak_traffic times the usual traffic during the agreement's peaks.
_PEAK: Final = sql.template(
    """
    CASE WHEN EXISTS (SELECT 1 FROM sd_peaks AS p WHERE g.minute_at >= p.start_at
                      AND g.minute_at < p.end_at) THEN $peak_traffic ELSE 1 END
    """
)
_MINUTES: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_minutes AS
    WITH outage_minutes AS (
        SELECT region, unnest(generate_series(start_at, end_at - INTERVAL 1 MINUTE,
                                              INTERVAL 1 MINUTE)) AS minute_at,
               failing, cause
        FROM sd_outages
    ),
    window_minutes AS (
        SELECT unnest(generate_series(start_at, end_at - INTERVAL 1 MINUTE,
                                      INTERVAL 1 MINUTE)) AS minute_at, failing
        FROM sd_windows
    )
    SELECT (epoch(g.minute_at)::BIGINT // 60) * 8 + r.idx AS minute_id, g.minute_at,
           r.region, r.median_s,
           r.peak * $volume * $shop_hour * $shop_week * ($peak) AS expected,
           f.value AS p_failed, coalesce(o.failing, 0) AS p_outage, o.cause AS outage_cause,
           coalesce(w.failing, 0) AS p_window, s.value AS p_slow
    FROM generate_series($start, $end - INTERVAL 1 MINUTE, INTERVAL 1 MINUTE) AS g(minute_at)
    CROSS JOIN sd_regions AS r
    JOIN sd_months AS m ON g.minute_at >= m.start_at AND g.minute_at < m.end_at
    JOIN sd_failed AS f ON f.region = r.region AND f.back = m.back
    JOIN sd_slow AS s ON s.back = m.back
    LEFT JOIN outage_minutes AS o ON o.region = r.region AND o.minute_at = g.minute_at
    LEFT JOIN window_minutes AS w ON w.minute_at = g.minute_at
    """
)


def _story_tables(ctx: Context, scenario: Payments) -> None:
    con, span, zone = ctx.con, ctx.span, ctx.agreement.timezone
    table_from_rows(
        con,
        "sd_regions",
        ("idx INTEGER", "region VARCHAR", "zone VARCHAR", "peak DOUBLE", "median_s DOUBLE"),
        [
            (index, r.name, r.timezone, r.peak_per_minute, r.median_latency_ms / 1000)
            for index, r in enumerate(scenario.regions)
        ],
    )
    monthly_table(con, "sd_failed", "region", scenario.failed, span)
    monthly_table(con, "sd_slow", "all_regions", {"all": scenario.slow}, span)
    peak_table(con, ctx.agreement)
    outages = []
    for outage in scenario.outages:
        start = at_instant(outage.at, span, zone)
        if start is not None:
            end = start + dt.timedelta(minutes=outage.minutes)
            outages.append((outage.region, start, end, outage.failing, outage.cause))
    table_from_rows(
        con,
        "sd_outages",
        (
            "region VARCHAR",
            "start_at TIMESTAMPTZ",
            "end_at TIMESTAMPTZ",
            "failing DOUBLE",
            "cause VARCHAR",
        ),
        outages,
    )
    maintenance_table(con, scenario.maintenance, span, zone, scoped=False)


def _minutes(ctx: Context, scenario: Payments) -> None:
    """Per region and minute: expected requests and the chances of each kind of failure."""
    values = {
        "volume": sql.number(ctx.options.volume),
        "shop_hour": sql.fill(_SHOP_HOUR, {"h": _HOUR}),
        "shop_week": sql.fill(_SHOP_WEEK, {"local": _LOCAL}),
        "peak": sql.fill(_PEAK, {"peak_traffic": sql.number(scenario.peak_traffic)}),
        "start": ts(ctx.span.start_at),
        "end": ts(ctx.span.end_at),
    }
    ctx.con.execute(sql.render(sql.fill(_MINUTES, values)))


_REQUESTS = """
CREATE OR REPLACE TEMP TABLE sd_authorisations AS
WITH counted AS (
    SELECT *, least(floor(expected + rnd(minute_id, 'count')), 1000)::BIGINT AS n
    FROM sd_minutes
),
requests AS (
    SELECT *, minute_id * 1024 + k AS id
    FROM (SELECT *, unnest(range(n)) AS k FROM counted WHERE n > 0)
),
drawn AS (
    SELECT *, spread(minute_id, 'failure', k) AS r, rnd(id, 'answer') AS a FROM requests
),
answered AS (
    SELECT *,
        CASE WHEN r < p_failed THEN [500, 502, 503, 504][1 + floor(rnd(id, 'code') * 4)::INT]
             WHEN r < p_failed + p_outage THEN [500, 502, 503, 504][
                 1 + floor(rnd(id, 'code') * 4)::INT]
             WHEN r < p_failed + p_outage + p_window THEN 503
             WHEN a < 0.004 THEN 429
             WHEN a < 0.016 THEN 400
             ELSE 200 END AS status,
        CASE WHEN r < p_failed THEN 'payco'
             WHEN r < p_failed + p_outage THEN outage_cause
             WHEN r < p_failed + p_outage + p_window THEN 'payco'
             WHEN a >= 0.004 AND a < 0.016 THEN 'consumer' END AS caused_by
    FROM drawn
)
SELECT id AS __order,
       minute_at + to_microseconds(((k + rnd(id, 'offset')) * 60e6 / n)::BIGINT) AS "timestamp",
       region, status, caused_by,
       CASE WHEN status = 504 THEN 10 + rnd(id, 'timeout')
            WHEN status >= 500 THEN lognormal(id, 'error latency', 0.05, 0.5)
            WHEN status = 429 THEN lognormal(id, 'limit latency', 0.01, 0.3)
            WHEN rnd(id, 'slow') < p_slow
                 THEN least(30, lognormal(id, 'latency', median_s, 0.45) * 2
                                * power(1 - rnd(id, 'tail'), -1 / 1.2))
            ELSE lognormal(id, 'latency', median_s, 0.45) END AS latency
FROM answered
"""


def generate(ctx: Context) -> list[SourceRows]:
    """Fill ``authorisations`` and ``maintenance``."""
    scenario = PAYMENTS
    _story_tables(ctx, scenario)
    _minutes(ctx, scenario)
    ctx.con.execute(_REQUESTS)
    return [
        SourceRows("authorisations", "sd_authorisations"),
        SourceRows("maintenance", maintenance_rows(ctx.con, ctx.source("maintenance").timestamp)),
    ]
