"""Sample data of ``cloud-hosting``: probes, incidents, maintenance and business figures.

Every minute each service in each region is probed once, from one of three locations in
turn, so that every 1-minute slice has evidence. Probes fail at random very rarely, and
reliably during the story's incidents and unannounced or over-cap maintenance. Minor
incidents (sev2, sev3) happen about once a day without visible downtime; the story adds
the ones that matter. Lumen's monthly business figures follow the scenario's churn and
renewal rates.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlglot import exp

from accord.demo.base import Context
from accord.demo.scenarios import CLOUD, Cloud, at_instant
from accord.demo.sql import (
    maintenance_rows,
    maintenance_table,
    monthly_table,
    pick,
    table_from_rows,
    ts,
)
from accord.demo.writer import SourceRows
from accord.engine import sql

__all__ = ["generate"]


def _story_tables(ctx: Context, scenario: Cloud) -> None:
    """``sd_story_incidents``, ``sd_windows`` and ``sd_impact`` (failing probes per minute)."""
    con, span, zone = ctx.con, ctx.span, ctx.agreement.timezone
    incidents = []
    for item in scenario.incidents:
        start = at_instant(item.at, span, zone)
        if start is None:
            continue
        minutes = dt.timedelta(minutes=1)
        incidents.append(
            (
                start,
                start + item.detect_minutes * minutes,
                start + item.repair_minutes * minutes,
                start + item.impact_minutes * minutes,
                item.region,
                item.service,
                item.severity,
                item.cause,
                item.failing,
            )
        )
    table_from_rows(
        con,
        "sd_story_incidents",
        (
            "started_at TIMESTAMPTZ",
            "detected_at TIMESTAMPTZ",
            "resolved_at TIMESTAMPTZ",
            "impact_end TIMESTAMPTZ",
            "region VARCHAR",
            "service VARCHAR",
            "severity VARCHAR",
            "caused_by VARCHAR",
            "failing DOUBLE",
        ),
        incidents,
    )
    maintenance_table(con, scenario.maintenance, span, zone, scoped=True)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE sd_impact AS
        SELECT minute_at, region, service, max(failing) AS failing
        FROM (
            SELECT unnest(generate_series(date_trunc('minute', started_at),
                                          impact_end - INTERVAL 1 MINUTE,
                                          INTERVAL 1 MINUTE)) AS minute_at,
                   region, service, failing
            FROM sd_story_incidents
            UNION ALL
            SELECT unnest(generate_series(start_at, end_at - INTERVAL 1 MINUTE,
                                          INTERVAL 1 MINUTE)), region, service, failing
            FROM sd_windows
        )
        GROUP BY ALL
        """
    )


#: Every scope probed every minute from one of the $locations in turn ($count of them);
#: a probe fails with chance $probe_failing, and during the story's impact.
_PROBES: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_probes AS
    WITH probes AS (
        SELECT (epoch(g.minute_at)::BIGINT // 60) * 64 + s.idx AS id, g.minute_at,
               s.idx, s.region, s.service,
               $probe_failing + coalesce(i.failing, 0) AS p_fail
        FROM generate_series($start, $end - INTERVAL 1 MINUTE, INTERVAL 1 MINUTE)
             AS g(minute_at)
        CROSS JOIN sd_scopes AS s
        LEFT JOIN sd_impact AS i
          ON i.minute_at = g.minute_at AND i.region = s.region AND i.service = s.service
    )
    SELECT id AS __order,
           minute_at + to_microseconds((floor(rnd(id, 'offset') * 50) * 1e6)::BIGINT)
             AS probed_at,
           region, service,
           $locations[1 + ((id // 64) + idx) % $count] AS location,
           rnd(id, 'ok') >= p_fail AS ok,
           CASE WHEN rnd(id, 'ok') >= p_fail
                THEN lognormal(id, 'latency', 0.024, 0.35) ELSE 10.0 END AS latency
    FROM probes
    """
)


def _probes(ctx: Context, scenario: Cloud) -> str:
    scopes = [(r, s) for r in scenario.regions for s in scenario.services]
    table_from_rows(
        ctx.con,
        "sd_scopes",
        ("idx INTEGER", "region VARCHAR", "service VARCHAR"),
        [(index, region, service) for index, (region, service) in enumerate(scopes)],
    )
    locations = exp.Array(expressions=[sql.text(loc) for loc in scenario.probe_locations])
    values = {
        "probe_failing": sql.number(scenario.probe_failing),
        "start": ts(ctx.span.start_at),
        "end": ts(ctx.span.end_at),
        "locations": locations,
        "count": sql.number(len(scenario.probe_locations)),
    }
    ctx.con.execute(sql.render(sql.fill(_PROBES, values)))
    return "sd_probes"


#: Minor incidents drawn hour by hour ($per_hour of a chance each), timed from their
#: start by log-normal detection and repair, then the story's incidents, numbered in order.
_INCIDENTS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_incidents AS
    WITH minor AS (
        SELECT h, hour_at + to_microseconds((rnd(h, 'start') * 3600e6)::BIGINT) AS started_at,
               $region AS region, $severity AS severity, $cause AS caused_by
        FROM (SELECT hour_at, epoch(hour_at)::BIGINT AS h
              FROM generate_series($start, $end - INTERVAL 1 HOUR, INTERVAL 1 HOUR)
                   AS g(hour_at))
        WHERE rnd(h, 'incident') < $per_hour
    ),
    timed AS (
        SELECT started_at, region, severity, caused_by,
               started_at + to_microseconds(
                   (lognormal(h, 'detect', $detect_seconds, 0.6) * 1e6)::BIGINT
               ) AS detected_at,
               started_at + to_microseconds((greatest(
                   lognormal(h, 'repair', CASE severity WHEN 'sev2' THEN $repair_sev2
                                                        ELSE $repair_sev3 END, 0.5),
                   lognormal(h, 'detect', $detect_seconds, 0.6) + 300
               ) * 1e6)::BIGINT) AS resolved_at
        FROM minor
        UNION ALL
        SELECT started_at, region, severity, caused_by, detected_at, resolved_at
        FROM sd_story_incidents
    ),
    numbered AS (
        SELECT *, row_number() OVER (ORDER BY started_at, region, severity) AS n FROM timed
    )
    SELECT n AS __order, 'INC-' || lpad(n::VARCHAR, 4, '0') AS incident_id, started_at,
           CASE WHEN detected_at < $end THEN detected_at END AS detected_at,
           CASE WHEN resolved_at < $end THEN resolved_at END AS resolved_at,
           severity, region, caused_by
    FROM numbered
    """
)


def _incidents(ctx: Context, scenario: Cloud) -> str:
    """Minor incidents about once a day, plus the story's, numbered in order of start."""
    regions = {region: 1.0 for region in scenario.regions}
    severity = pick("h", "severity", {"sev2": scenario.sev2_share, "sev3": 1 - scenario.sev2_share})
    causes = {"stratus": 0.85, "third_party": 0.1, "customer": 0.05}
    repair = scenario.repair_minutes
    values = {
        "region": pick("h", "region", regions),
        "severity": severity,
        "cause": pick("h", "cause", causes),
        "start": ts(ctx.span.start_at),
        "end": ts(ctx.span.end_at),
        "per_hour": sql.number(scenario.incidents_per_day / 24),
        "detect_seconds": sql.number(scenario.detect_minutes * 60),
        "repair_sev2": sql.number(repair["sev2"] * 60),
        "repair_sev3": sql.number(repair["sev3"] * 60),
    }
    ctx.con.execute(sql.render(sql.fill(_INCIDENTS, values)))
    return "sd_incidents"


#: Customers per segment and month, growing by $growth a month up to the last month
#: ($first months after the first), with the subscriptions due, renewed and lost.
_BUSINESS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_business AS
    WITH base AS (
        SELECT m.back * 16 + s.idx AS id, m.back, m.start_at, s.segment,
               round(s.customers * power(1 + $growth, $first - m.back))::BIGINT
                 AS customers_at_start
        FROM sd_months AS m CROSS JOIN sd_segments AS s
    ),
    due AS (
        SELECT b.*, c.value AS churn, r.value AS renewal,
               round(b.customers_at_start / 12 * (0.85 + 0.3 * rnd(b.id, 'due')))::BIGINT
                 AS subscriptions_due
        FROM base AS b
        JOIN sd_churn AS c ON c.segment = b.segment AND c.back = b.back
        JOIN sd_renewal AS r ON r.segment = b.segment AND r.back = b.back
    )
    SELECT ($first - back) * 16 + id % 16 AS __order, start_at AS month_start, segment,
           subscriptions_due,
           round(subscriptions_due * renewal)::BIGINT AS subscriptions_renewed,
           customers_at_start,
           round(customers_at_start * churn * (0.9 + 0.2 * rnd(id, 'churn')))::BIGINT
             AS customers_lost
    FROM due
    """
)


def _business_figures(ctx: Context, scenario: Cloud) -> str:
    """Lumen's customers per segment and month: growing, churning and renewing."""
    span = ctx.span
    monthly_table(ctx.con, "sd_churn", "segment", scenario.churn, span)
    monthly_table(ctx.con, "sd_renewal", "segment", scenario.renewal, span)
    table_from_rows(
        ctx.con,
        "sd_segments",
        ("idx INTEGER", "segment VARCHAR", "customers INTEGER"),
        [(index, name, count) for index, (name, count) in enumerate(scenario.customers.items())],
    )
    values = {"growth": sql.number(scenario.growth), "first": sql.number(len(span.months) - 1)}
    ctx.con.execute(sql.render(sql.fill(_BUSINESS, values)))
    return "sd_business"


def generate(ctx: Context) -> list[SourceRows]:
    """Fill ``probes``, ``incidents``, ``maintenance`` and ``business-figures``."""
    scenario = CLOUD
    _story_tables(ctx, scenario)
    return [
        SourceRows("probes", _probes(ctx, scenario)),
        SourceRows("incidents", _incidents(ctx, scenario)),
        SourceRows(
            "maintenance", maintenance_rows(ctx.con, ctx.source("maintenance").timestamp, "region")
        ),
        SourceRows("business-figures", _business_figures(ctx, scenario)),
    ]
