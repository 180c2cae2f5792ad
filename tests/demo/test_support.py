"""accord.demo.support: tickets hour by hour with each hub's rhythm in its local time, their
clocks drawn in business time on the hub's calendar (round the clock for P1) and placed so
that the calendar measures exactly what was drawn; status changes and surveys that follow
from the tickets; the support story from August to October 2026."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterator

import pytest

from accord.core.calendars.clock import BusinessCalendar
from accord.demo.base import SampleOptions
from tests.demo.conftest import Generated, example, generated

UTC = dt.UTC
#: August to October 2026: the Wanderly outage in August, the Americas hub's slow P3
#: resolutions in August (deviation) and October (breach), October's French surveys.
OPTIONS = SampleOptions(months=3, end="2026-10")
END = dt.datetime(2026, 10, 31, 23, tzinfo=UTC)  # the end of October in Berlin


@pytest.fixture(scope="module")
def story() -> Iterator[Generated]:
    with generated(example("support-outsourcer"), OPTIONS) as made:
        yield made


def _calendar(story: Generated, calendar_id: str) -> BusinessCalendar:
    return BusinessCalendar.from_spec(
        next(c for c in story.agreement.calendars if c.id == calendar_id)
    )


def _tickets(story: Generated, where: str, *parameters: object) -> list[tuple]:
    return story.con.execute(
        f"""SELECT opened_at, first_response_at, resolved_at, wait_start, wait_end
            FROM sd_ticket_rows WHERE {where} ORDER BY opened_at""",
        list(parameters),
    ).fetchall()


def test_the_sources_have_every_column_the_agreement_maps(story: Generated) -> None:
    assert set(story.rows) == {"tickets", "ticket-status", "surveys"}
    for source in story.agreement.sources:
        if source.id in story.rows:
            assert set(source.columns) <= story.columns(source.id), source.id


def _in_time_share(story: Generated, region: str, start: dt.datetime, days: int) -> float:
    """Share of the hub's P3 tickets opened in ``days`` days from ``start`` that the hub's
    calendar says were resolved within 3 business days, the customer's wait not counted."""
    calendar = _calendar(story, {"americas": "mexico-hub", "europe": "lisbon-hub"}[region])
    allowed = dt.timedelta(seconds=3 * calendar.business_day_seconds())
    tickets = _tickets(
        story,
        "region = ? AND priority = 'P3' AND opened_at >= ? AND opened_at < ?",
        region,
        start,
        start + dt.timedelta(days=days),
    )
    assert len(tickets) > 300
    in_time = 0
    for opened, _, resolved, wait_start, wait_end in tickets:
        assert resolved is not None
        pauses = [(wait_start, wait_end)] if wait_start is not None else []
        in_time += calendar.business_time(opened, resolved, pauses) <= allowed
    return in_time / len(tickets)


def test_the_americas_hub_resolves_p3_tickets_in_time_as_the_story_says(story: Generated) -> None:
    august = dt.datetime(2026, 8, 1, 6, tzinfo=UTC)  # midnight in Mexico City
    october = dt.datetime(2026, 10, 1, 6, tzinfo=UTC)
    assert _in_time_share(story, "americas", august, 20) == pytest.approx(0.875, abs=0.02)
    assert _in_time_share(story, "americas", october, 14) == pytest.approx(0.82, abs=0.02)
    assert _in_time_share(story, "europe", october, 14) == pytest.approx(0.94, abs=0.02)


def test_first_responses_are_drawn_in_business_time_and_p1_round_the_clock(
    story: Generated,
) -> None:
    lisbon, always = _calendar(story, "lisbon-hub"), BusinessCalendar.always()
    start = dt.datetime(2026, 9, 1, tzinfo=UTC)
    for priority, calendar, median_minutes in (("P3", lisbon, 75), ("P1", always, 6)):
        tickets = _tickets(
            story,
            "region = 'europe' AND priority = ? AND opened_at >= ? AND opened_at < ?",
            priority,
            start,
            start + dt.timedelta(days=30),
        )
        waited = [calendar.business_seconds(t[0], t[1]) / 60 for t in tickets]
        assert statistics.median(waited) == pytest.approx(median_minutes, rel=0.1), priority
    # P1 tickets opened at night in Lisbon are answered at night.
    nights = _tickets(
        story,
        """priority = 'P1' AND region = 'europe'
           AND hour(opened_at AT TIME ZONE 'Europe/Lisbon') IN (1, 2, 3)""",
    )
    assert nights
    assert statistics.median((t[1] - t[0]).total_seconds() / 60 for t in nights) < 20


def test_each_hub_is_busiest_in_its_own_afternoon_and_phones_ring_in_office_hours(
    story: Generated,
) -> None:
    rows = story.con.execute(
        """
        SELECT region, hour(opened_at AT TIME ZONE zone) AS local_hour, count(*) AS n,
               count(*) FILTER (WHERE channel = 'phone') AS spoken
        FROM sd_ticket_rows
        JOIN (VALUES ('europe', 'Europe/Lisbon'), ('americas', 'America/Mexico_City'))
             AS z(hub, zone) ON z.hub = region
        WHERE caused_by IS NULL
        GROUP BY ALL
        """
    ).fetchall()
    for region in ("europe", "americas"):
        hours = {hour: (n, spoken) for hub, hour, n, spoken in rows if hub == region}
        assert max(hours, key=lambda hour: hours[hour][0]) in (17, 18), region
        phone_hours = {hour for hour, (_, spoken) in hours.items() if spoken}
        assert phone_hours <= set(range(8, 20)), region


def test_the_wanderly_outage_brings_five_times_the_tickets_caused_by_wanderly(
    story: Generated,
) -> None:
    start = dt.datetime(2026, 8, 6, 12, tzinfo=UTC)  # 14:00 in Berlin, for 3 hours
    counts = story.con.execute(
        """SELECT opened_at >= ? AND opened_at < ? AS outage, count(*),
                  count(*) FILTER (WHERE caused_by = 'wanderly_outage')
           FROM sd_ticket_rows
           WHERE hour(opened_at) BETWEEN 12 AND 14 AND dayofweek(opened_at) = 4
           GROUP BY ALL""",
        [start, start + dt.timedelta(hours=3)],
    ).fetchall()
    by_outage = {outage: (n, caused) for outage, n, caused in counts}
    usual = by_outage[False][0] / 12  # the other twelve Thursdays at the same hours
    assert by_outage[True][0] / usual == pytest.approx(5, rel=0.2)
    assert by_outage[True][1] / by_outage[True][0] == pytest.approx(0.8, abs=0.05)
    assert by_outage[False][1] == 0


def test_status_changes_follow_each_ticket_in_order(story: Generated) -> None:
    (wrong,) = story.con.execute(
        """
        WITH steps AS (
            SELECT ticket_id, list(status ORDER BY changed_at, __order) AS statuses,
                   max(changed_at) AS last
            FROM sd_status GROUP BY ALL
        )
        SELECT count(*) FROM sd_ticket_rows AS t JOIN steps AS s USING (ticket_id)
        WHERE s.last >= ?
           OR s.statuses <> list_filter(
                  ['new', CASE WHEN t.first_response_at IS NOT NULL THEN 'open' END,
                   CASE WHEN t.wait_start IS NOT NULL THEN 'waiting_on_customer' END,
                   CASE WHEN t.wait_end IS NOT NULL THEN 'open' END,
                   CASE WHEN t.resolved_at IS NOT NULL THEN 'solved' END,
                   CASE WHEN t.resolved_at + INTERVAL 3 DAY < ? THEN 'closed' END],
                  lambda x: x IS NOT NULL)
        """,
        [END, END],
    ).fetchone() or (None,)
    assert wrong == 0
    (tickets, with_steps) = story.con.execute(
        """SELECT count(DISTINCT t.ticket_id), count(DISTINCT s.ticket_id)
           FROM sd_ticket_rows AS t LEFT JOIN sd_status AS s USING (ticket_id)"""
    ).fetchone() or (0, 0)
    assert tickets > 10000
    assert with_steps == tickets


def test_french_speakers_are_less_satisfied_in_october(story: Generated) -> None:
    satisfied = dict(
        story.con.execute(
            """SELECT strftime(answered_at AT TIME ZONE 'Europe/Berlin', '%Y-%m'),
                      avg((csat >= 4)::INT)
               FROM sd_surveys WHERE language = 'fr' AND csat IS NOT NULL GROUP BY ALL"""
        ).fetchall()
    )
    assert satisfied["2026-10"] == pytest.approx(0.832, abs=0.03)
    assert satisfied["2026-09"] == pytest.approx(0.87, abs=0.03)
    (unsolved,) = story.con.execute(
        """SELECT count(*) FROM sd_surveys AS s JOIN sd_ticket_rows AS t USING (ticket_id)
           WHERE t.resolved_at IS NULL OR s.answered_at <= t.resolved_at
              OR s.answered_at >= ? OR s.csat NOT BETWEEN 1 AND 5
              OR s.recommend NOT BETWEEN 0 AND 10""",
        [END],
    ).fetchone() or (None,)
    assert unsolved == 0


def test_email_first_contact_resolution_dips_in_october(story: Generated) -> None:
    one_contact = dict(
        story.con.execute(
            """SELECT strftime(opened_at AT TIME ZONE 'Europe/Berlin', '%Y-%m'),
                      avg((contacts = 1)::INT)
               FROM sd_ticket_rows WHERE channel = 'email' GROUP BY ALL"""
        ).fetchall()
    )
    assert one_contact["2026-10"] == pytest.approx(0.725, abs=0.02)
    assert one_contact["2026-08"] == pytest.approx(0.79, abs=0.02)
