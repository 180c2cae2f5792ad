"""Sample data of ``logistics-carrier``: parcels, scans, surveys, claims and disruptions.

Parcels are planned per promised day, country and service level (fewer on Saturdays, none
on Sundays, more on peak dates). Each parcel's journey follows from a few named draws: its
status, whether it is late and why, when it was collected, attempted and delivered, whether
it arrived damaged. Scans, survey answers and claims are derived from the parcels, so
they agree with each other: a late or damaged parcel gets a worse rating, a damaged or lost
one a claim, settled in the claims desk's business days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from sqlglot import exp

from accord.core.calendars.clock import BusinessCalendar
from accord.core.model.measurement import BusinessDurationIndicator
from accord.demo.base import Context
from accord.demo.scenarios import LOGISTICS, Logistics, at_instant
from accord.demo.sql import (
    local_ts,
    monthly_table,
    peak_table,
    register_schedules,
    shift_business,
    table_from_rows,
    ts,
)
from accord.demo.writer import SourceRows
from accord.engine import sql

__all__ = ["generate"]

_CONSUMER_LATE = 0.004  # parcels handed over after 18:00 or wrongly addressed by Northwind


def _scopes(scenario: Logistics) -> list[tuple[int, str, str, float]]:
    """(index, region, service, share of all parcels) for every scope the scenario lists."""
    rows = []
    for index, (region, service) in enumerate(scenario.late):
        offered = {s for r, s in scenario.late if r == region}
        total = sum(scenario.services[s] for s in offered)
        share = scenario.regions[region] * scenario.services[service] / total
        rows.append((index, region, service, share))
    return rows


def _story_tables(ctx: Context, scenario: Logistics) -> None:
    con, span, zone = ctx.con, ctx.span, ctx.agreement.timezone
    table_from_rows(
        con,
        "sd_scopes",
        ("idx INTEGER", "region VARCHAR", "service VARCHAR", "share DOUBLE"),
        _scopes(scenario),
    )
    late = {f"{region}/{service}": values for (region, service), values in scenario.late.items()}
    monthly_table(con, "sd_late", "scope", late, span)
    monthly_table(con, "sd_damaged", "region", scenario.damaged, span)
    monthly_table(con, "sd_claims_in_time", "all_claims", {"all": scenario.claims_in_time}, span)
    peak_table(con, ctx.agreement)
    disruptions: list[tuple[object, ...]] = []
    for item in scenario.disruptions:
        start = at_instant(item.at, span, zone)
        if start is not None:
            end = start + dt.timedelta(hours=item.hours)
            disruptions.append((len(disruptions), start, end, item.region, item.cause, item.late))
    table_from_rows(
        con,
        "sd_disruptions",
        (
            "idx INTEGER",
            "start_at TIMESTAMPTZ",
            "end_at TIMESTAMPTZ",
            "region VARCHAR",
            "cause VARCHAR",
            "late DOUBLE",
        ),
        disruptions,
    )
    backlogs = []
    for backlog in scenario.backlogs:
        start = at_instant(backlog.at, span, zone)
        if start is not None:
            backlogs.append((start, start + dt.timedelta(days=backlog.days), backlog.late_uploads))
    table_from_rows(
        con,
        "sd_backlogs",
        ("start_at TIMESTAMPTZ", "end_at TIMESTAMPTZ", "late_uploads DOUBLE"),
        backlogs,
    )


#: Parcels per promised day ($first to $last) and scope, as rows with an id each: $volume
#: times $parcels_per_day by the scope's share and the weekday, $peak_traffic times on a
#: peak date (from its local $midnight).
_PLANNED: Final = {
    "days": """
        SELECT CAST(g.d AS DATE) AS day
        FROM generate_series($first, $last, INTERVAL 1 DAY) AS g(d)
    """,
    "planned": """
        SELECT d.day, (d.day - DATE '2000-01-01') * 64 + s.idx AS slot, s.idx, s.region,
               s.service,
               $parcels_per_day * $volume * s.share
                 * [1, 1, 1, 1, 1, 0.6, 0][isodow(d.day)]
                 * CASE WHEN EXISTS (SELECT 1 FROM sd_peaks AS p
                                     WHERE $midnight >= p.start_at AND $midnight < p.end_at)
                        THEN $peak_traffic ELSE 1 END AS expected
        FROM days AS d CROSS JOIN sd_scopes AS s
    """,
    "parcels": """
        SELECT *, slot * 10000 + k AS id
        FROM (SELECT *, unnest(range(n)) AS k
              FROM (SELECT *, least(floor(expected * (0.9 + 0.2 * rnd(slot, 'volume'))
                                          + rnd(slot, 'count')), 9999)::BIGINT AS n
                    FROM planned))
    """,
}


#: Each planned parcel with its promise (in $zone) and the draws its journey follows.
_DRAWS_PROMISED: Final = {
    "promised": """
        SELECT p.*, CAST(p.day AS TIMESTAMP) AS midnight,
               timezone($zone, CAST(p.day AS TIMESTAMP) + CASE p.service WHEN 'same_day'
                               THEN INTERVAL 22 HOUR ELSE INTERVAL 21 HOUR END) AS promised_by
        FROM parcels AS p
    """,
}
_DRAWS: Final = sql.with_ctes(
    """
    SELECT p.*, l.value AS late_share, dm.value AS damaged_share,
           d.cause AS disruption, coalesce(d.late, 0) AS disruption_late,
           -- golden-ratio draws per scope and month keep the monthly shares as planned
           spread(p.region || p.service || m.back, 'late', row_number() OVER (
               PARTITION BY p.region, p.service, m.back ORDER BY p.id)) AS u_late,
           spread(p.region || m.back, 'damage', row_number() OVER (
               PARTITION BY p.region, m.back ORDER BY p.id)) AS u_damage,
           CASE WHEN rnd(id, 'status') < 0.008 THEN 'cancelled'
                WHEN rnd(id, 'status') < 0.0085 THEN 'lost'
                WHEN rnd(id, 'status') < 0.02 THEN 'returned'
                ELSE 'delivered' END AS status
    FROM promised AS p
    JOIN sd_months AS m ON p.promised_by >= m.start_at AND p.promised_by < m.end_at
    JOIN sd_late AS l ON l.scope = p.region || '/' || p.service AND l.back = m.back
    JOIN sd_damaged AS dm ON dm.region = p.region AND dm.back = m.back
    LEFT JOIN sd_disruptions AS d
      ON d.region = p.region AND p.promised_by >= d.start_at AND p.promised_by < d.end_at
    """,
    _PLANNED,
    _DRAWS_PROMISED,
)

#: Each parcel's journey in local time ($zone): who caused a delay ($consumer_late of
#: parcels are the consumer's), collection, attempts and delivery.
_PARCELS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_parcels AS
    WITH caused AS (
        SELECT *,
               CASE WHEN status = 'cancelled' THEN NULL
                    WHEN u_late < $consumer_late THEN 'consumer'
                    WHEN u_late < $consumer_late + late_share
                      THEN 'carrier'
                    WHEN rnd(id, 'disrupted') < disruption_late THEN disruption
               END AS caused_by
        FROM sd_parcel_draws
    ),
    attempted AS (
        SELECT *,
               CASE WHEN status IN ('cancelled', 'lost') THEN NULL
                    WHEN caused_by IS NOT NULL
                      THEN midnight + to_days((1 + floor(rnd(id, 'delay') * 2))::INTEGER)
                           + to_microseconds(((9 + 10 * rnd(id, 'attempt')) * 3600e6)::BIGINT)
                    WHEN service = 'same_day'
                      THEN midnight + to_microseconds(
                               ((14 + 7 * rnd(id, 'attempt')) * 3600e6)::BIGINT)
                    ELSE midnight + to_microseconds(
                             ((8 + 12.5 * rnd(id, 'attempt')) * 3600e6)::BIGINT)
               END AS attempt_local,
               midnight - INTERVAL 1 DAY * CASE service WHEN 'standard' THEN 2
                                                        WHEN 'next_day' THEN 1 ELSE 0 END
               + to_microseconds(((CASE service WHEN 'same_day' THEN 9 ELSE 19 END
                                   + 3 * rnd(id, 'collected')) * 3600e6)::BIGINT)
                 AS collected_local
        FROM caused
    )
    SELECT id AS __order,
           'SP' || strftime(day, '%y%m%d') || lpad((idx * 10000 + k)::VARCHAR, 6, '0')
             AS parcel_id,
           promised_by,
           CASE WHEN status <> 'cancelled' THEN timezone($zone, collected_local) END
             AS collected_at,
           timezone($zone, attempt_local) AS first_attempt_at,
           CASE WHEN status <> 'delivered' THEN NULL
                WHEN rnd(id, 'at home') < 0.88 THEN timezone($zone, attempt_local)
                ELSE timezone($zone, attempt_local) + INTERVAL 1 DAY
                     + to_microseconds(((rnd(id, 'second attempt') - 0.5) * 4 * 3600e6)::BIGINT)
           END AS delivered_at,
           region, service AS service_level, status,
           status = 'delivered' AND u_damage < damaged_share AS damaged,
           round(0.1 + lognormal(id, 'weight', 1.6, 0.7), 2) AS weight,
           caused_by
    FROM attempted
    """
)

#: Four scans per parcel journey between $start and $end, in the journey's order: the hub
#: scan in the first 40 % of the time from collection to the first attempt,
#: out for delivery in the last 30 % (a same-day parcel has a few hours for both);
#: $late_uploads of them (more during backlogs) uploaded late.
_SCANS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_scans AS
    WITH journeys AS (
        SELECT *, epoch_us(first_attempt_at) - epoch_us(collected_at) AS journey_us
        FROM sd_parcels
    ),
    scans AS (
        SELECT __order * 4 AS id, collected_at AS scanned_at, parcel_id, region,
               'collected' AS scan_type
        FROM sd_parcels WHERE collected_at IS NOT NULL
        UNION ALL
        SELECT __order * 4 + 1, collected_at + to_microseconds(least(
                   (3 + 4 * rnd(__order, 'hub')) * 3600e6,
                   (0.1 + 0.3 * rnd(__order, 'hub')) * journey_us)::BIGINT),
               parcel_id, region, 'hub'
        FROM journeys WHERE collected_at IS NOT NULL AND first_attempt_at IS NOT NULL
        UNION ALL
        SELECT __order * 4 + 2, first_attempt_at - to_microseconds(least(
                   (1 + 5 * rnd(__order, 'van')) * 3600e6,
                   (0.05 + 0.25 * rnd(__order, 'van')) * journey_us)::BIGINT),
               parcel_id, region, 'out_for_delivery'
        FROM journeys WHERE first_attempt_at IS NOT NULL
        UNION ALL
        SELECT __order * 4 + 3, delivered_at, parcel_id, region, 'delivered'
        FROM sd_parcels WHERE delivered_at IS NOT NULL
    ),
    placed AS (
        SELECT s.*, $late_uploads + coalesce(b.late_uploads, 0) AS p_late
        FROM scans AS s
        LEFT JOIN sd_backlogs AS b ON s.scanned_at >= b.start_at AND s.scanned_at < b.end_at
        WHERE s.scanned_at >= $start AND s.scanned_at < $end
    )
    SELECT id AS __order, scanned_at, parcel_id, region, scan_type,
           CASE WHEN rnd(id, 'upload') < p_late THEN 900 + 9000 * rnd(id, 'offline')
                ELSE least(lognormal(id, 'upload delay', 25, 0.9), 880) END AS upload_delay
    FROM placed
    """
)

#: Ratings of $survey_rate of delivered parcels, answered before $end ($rating).
_SURVEYS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_surveys AS
    WITH answered AS (
        SELECT __order, parcel_id, region,
               delivered_at + to_microseconds(
                   ((2 + 70 * rnd(__order, 'answered')) * 3600e6)::BIGINT) AS answered_at,
               CASE WHEN damaged THEN 'damaged'
                    WHEN first_attempt_at > promised_by THEN 'late'
                    ELSE 'fine' END AS experience
        FROM sd_parcels
        WHERE status = 'delivered' AND rnd(__order, 'survey') < $survey_rate
    )
    SELECT __order, 'DS-' || parcel_id AS response_id, answered_at, parcel_id, region,
           $rating AS rating
    FROM answered
    WHERE answered_at < $end
    """
)

#: The first survey answered from $start, as exported.
_LAST_SURVEY: Final = sql.template(
    """
    SELECT response_id, strftime(answered_at AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ'),
           parcel_id, region, rating::VARCHAR
    FROM sd_surveys WHERE answered_at >= $start ORDER BY __order LIMIT 1
    """
)

#: Claims for damaged and lost parcels, settled in $day-second business days of $calendar.
_CLAIMS: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_claims AS
    WITH filed AS (
        SELECT __order, parcel_id,
               CASE WHEN status = 'lost' THEN 'loss' ELSE 'damage' END AS claim_type,
               CASE WHEN status = 'lost'
                    THEN promised_by + INTERVAL 4 DAY
                         + to_microseconds((rnd(__order, 'filed') * 86400e6)::BIGINT)
                    ELSE delivered_at + INTERVAL 20 HOUR
                         + to_microseconds((rnd(__order, 'filed') * 50 * 3600e6)::BIGINT)
               END AS filed_at,
               round(CASE WHEN status = 'lost' THEN 20 + lognormal(__order, 'amount', 60, 0.7)
                          ELSE 15 + lognormal(__order, 'amount', 45, 0.8) END, 2) AS amount
        FROM sd_parcels
        WHERE status = 'lost' OR (damaged AND rnd(__order, 'claimed') < 0.8)
    )
    SELECT f.*, $calendar AS calendar,
           $day * CASE WHEN spread(m.back, 'settled', row_number() OVER (
                               PARTITION BY m.back ORDER BY f.__order)) < c.value
                        THEN 0.5 + 9.3 * rnd(__order, 'settle time')
                        ELSE 10.3 + 8 * rnd(__order, 'settle time') END AS settle_seconds
    FROM filed AS f
    JOIN sd_months AS m ON f.filed_at >= m.start_at AND f.filed_at < m.end_at
    JOIN sd_claims_in_time AS c ON c.back = m.back
    """
)

#: Claims as exported at $end.
_SETTLED: Final = sql.template(
    """
    CREATE OR REPLACE TEMP TABLE sd_claims AS
    SELECT __order, 'CL-' || parcel_id AS claim_id, filed_at,
           CASE WHEN settled < $end THEN settled END AS settled_at,
           claim_type, amount
    FROM sd_claims
    """
)


def _planned(ctx: Context, scenario: Logistics) -> dict[str, exp.Expr]:
    """The values of ``_PLANNED``."""
    first = ctx.span.months[0].first_day
    last = ctx.span.months[-1].end_at.astimezone(ctx.span.zone).date() - dt.timedelta(days=1)
    naive = sql.typed(exp.column("day", table="d"), "TIMESTAMP")
    return {
        "first": sql.typed(sql.text(first.isoformat()), "DATE"),
        "last": sql.typed(sql.text(last.isoformat()), "DATE"),
        "parcels_per_day": sql.number(scenario.parcels_per_day),
        "volume": sql.number(ctx.options.volume),
        "midnight": local_ts(ctx.agreement.timezone, naive),
        "peak_traffic": sql.number(scenario.peak_traffic),
    }


def _parcels(ctx: Context, scenario: Logistics) -> str:
    zone = sql.text(ctx.agreement.timezone)
    draws = sql.fill(_DRAWS, {**_planned(ctx, scenario), "zone": zone})
    ctx.con.execute(sql.render(sql.create_temp("sd_parcel_draws", draws)))
    values = {"zone": zone, "consumer_late": sql.number(_CONSUMER_LATE)}
    ctx.con.execute(sql.render(sql.fill(_PARCELS, values)))
    return "sd_parcels"


def _scans(ctx: Context, scenario: Logistics) -> str:
    """Four scans per parcel journey; the handhelds upload most within a minute."""
    values = {
        "late_uploads": sql.number(scenario.late_uploads),
        "start": ts(ctx.span.start_at),
        "end": ts(ctx.span.end_at),
    }
    ctx.con.execute(sql.render(sql.fill(_SCANS, values)))
    return "sd_scans"


#: Chances of ratings 5, 4, 3, 2 (1 is the rest), by how the delivery went.
_RATINGS: Mapping[str, tuple[float, float, float, float]] = {
    "damaged": (0.05, 0.10, 0.20, 0.25),
    "late": (0.22, 0.28, 0.25, 0.15),
    "fine": (0.64, 0.25, 0.07, 0.025),
}


def _rating() -> exp.Expr:
    """A rating drawn with the chances of the row's ``experience``."""
    drawn = exp.Anonymous(this="rnd", expressions=[exp.column("__order"), sql.text("rating")])
    cases = []
    for experience, chances in _RATINGS.items():
        bounds, total = [], 0.0
        for rating, chance in zip((5, 4, 3, 2), chances, strict=True):
            total += chance
            below = exp.LT(this=drawn.copy(), expression=exp.Literal.number(repr(total)))
            bounds.append(exp.If(this=below, true=sql.number(rating)))
        rated = exp.Case(ifs=bounds, default=sql.number(1))
        cases.append(exp.If(this=sql.text(experience), true=rated))
    return exp.Case(this=exp.column("experience"), ifs=cases)


def _surveys(ctx: Context, scenario: Logistics) -> SourceRows:
    values = {
        "survey_rate": sql.number(scenario.survey_rate),
        "rating": _rating(),
        "end": ts(ctx.span.end_at),
    }
    ctx.con.execute(sql.render(sql.fill(_SURVEYS, values)))
    return SourceRows("delivery-surveys", "sd_surveys", _bad_surveys(ctx))


def _bad_surveys(ctx: Context) -> tuple[dict[str, str], ...]:
    """An unparseable rating, a timestamp without zone, and a row exported twice."""
    if not ctx.options.bad_rows:
        return ()
    last = ctx.span.months[-1]
    first = sql.fill(_LAST_SURVEY, {"start": ts(last.start_at)})
    row = ctx.con.execute(sql.render(first)).fetchone()
    day = last.first_day
    bad: list[dict[str, str]] = [
        {
            "response_id": "DS-MANUAL-0001",
            "answered_at": f"{day:%Y-%m}-14T18:22:05Z",
            "region": "nl",
            "rating": "five",
        },
        {
            "response_id": "DS-MANUAL-0002",
            "answered_at": f"{day:%Y-%m}-15 09:41:00",
            "region": "de",
            "rating": "4",
        },
    ]
    if row is not None:
        names = ("response_id", "answered_at", "parcel_id", "region", "rating")
        bad.append({name: str(value) for name, value in zip(names, row, strict=True)})
    return tuple(bad)


def _claims_calendar(ctx: Context) -> BusinessCalendar:
    """The calendar the agreement counts claims in (its business-duration indicator's)."""
    for indicator in ctx.agreement.indicators:
        if isinstance(indicator, BusinessDurationIndicator) and indicator.source == "claims":
            spec = next((c for c in ctx.agreement.calendars if c.id == indicator.calendar), None)
            return BusinessCalendar.from_spec(spec)
    return BusinessCalendar.always()


def _claims(ctx: Context) -> str:
    """Claims for most damaged and every lost parcel, settled in business days."""
    calendar = _claims_calendar(ctx)
    span = ctx.span
    register_schedules(
        ctx.con, [calendar], span.start_at - dt.timedelta(days=7), span.end_at + dt.timedelta(90)
    )
    day = calendar.business_day_seconds()
    values = {"calendar": sql.text(calendar.id), "day": sql.number(day)}
    ctx.con.execute(sql.render(sql.fill(_CLAIMS, values)))
    shift_business(ctx.con, "sd_claims", "filed_at", "settle_seconds", "settled")
    ctx.con.execute(sql.render(sql.fill(_SETTLED, {"end": ts(span.end_at)})))
    return "sd_claims"


def _disruptions(ctx: Context) -> str:
    source = ctx.source("disruptions")
    rows = exp.select(
        exp.alias_(exp.column("idx"), "__order"),
        exp.alias_(exp.column("start_at"), source.timestamp, quoted=True),
        exp.alias_(exp.column("end_at"), "ends_at"),
        exp.column("region"),
        exp.column("cause"),
    ).from_(exp.to_table("sd_disruptions"))
    ctx.con.execute(sql.render(sql.create_temp("sd_disruption_rows", rows)))
    return "sd_disruption_rows"


def generate(ctx: Context) -> list[SourceRows]:
    """Fill ``parcels``, ``scans``, ``delivery-surveys``, ``claims`` and ``disruptions``."""
    scenario = LOGISTICS
    _story_tables(ctx, scenario)
    return [
        SourceRows("parcels", _parcels(ctx, scenario)),
        SourceRows("scans", _scans(ctx, scenario)),
        _surveys(ctx, scenario),
        SourceRows("claims", _claims(ctx)),
        SourceRows("disruptions", _disruptions(ctx)),
    ]
