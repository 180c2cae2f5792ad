"""accord.demo.payments: authorisations minute by minute with a web shop's rhythm in each
region's local time, failing as the payments story says: the October certificate outage in
eu-west, September's outage caused by Acme itself, maintenance windows, a slow August."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from accord.demo.base import SampleOptions
from tests.demo.conftest import Generated, example, generated

UTC = dt.UTC
#: August to October 2026 at half the volume: the slow August, September's Acme-caused
#: outage and October's outage, in about a second.
OPTIONS = SampleOptions(months=3, end="2026-10", volume=0.5)


@pytest.fixture(scope="module")
def story() -> Iterator[Generated]:
    with generated(example("payments-api"), OPTIONS) as made:
        yield made


def _failures(story: Generated, region: str, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """(minute, 5xx answers, requests, causes of the 5xx) per minute of a region in [start, end)."""
    return story.con.execute(
        """
        SELECT date_trunc('minute', "timestamp") AS minute,
               count(*) FILTER (WHERE status >= 500), count(*),
               list(DISTINCT caused_by) FILTER (WHERE status >= 500)
        FROM sd_authorisations
        WHERE region = ? AND "timestamp" >= ? AND "timestamp" < ?
        GROUP BY ALL ORDER BY minute
        """,
        [region, start, end],
    ).fetchall()


def test_the_sources_have_every_column_the_agreement_maps(story: Generated) -> None:
    for source in story.agreement.sources:
        if source.id in story.rows:
            assert set(source.columns) <= story.columns(source.id), source.id
    assert set(story.rows) == {"authorisations", "maintenance"}


def test_the_october_outage_fails_eu_west_for_35_minutes_from_11_20_in_berlin(
    story: Generated,
) -> None:
    start = dt.datetime(2026, 10, 8, 9, 20, tzinfo=UTC)  # 11:20 in Berlin (summer time)
    end = start + dt.timedelta(minutes=35)
    during = _failures(story, "eu-west", start, end)
    failed, requests = sum(m[1] for m in during), sum(m[2] for m in during)
    assert 0.35 < failed / requests < 0.55
    assert {cause for m in during for cause in m[3] or []} == {"payco"}
    around = _failures(story, "eu-west", start - dt.timedelta(hours=2), start)
    around += _failures(story, "eu-west", end, end + dt.timedelta(hours=2))
    assert sum(m[1] for m in around) <= 2
    elsewhere = _failures(story, "eu-central", start, end) + _failures(story, "us-east", start, end)
    assert sum(m[1] for m in elsewhere) <= 1


def test_september_s_outage_is_caused_by_acme_in_eu_west(story: Generated) -> None:
    start = dt.datetime(2026, 9, 9, 8, tzinfo=UTC)  # 10:00 in Berlin
    during = _failures(story, "eu-west", start, start + dt.timedelta(minutes=45))
    failed, requests = sum(m[1] for m in during), sum(m[2] for m in during)
    assert 0.2 < failed / requests < 0.4
    causes = story.con.execute(
        """SELECT caused_by, count(*) FROM sd_authorisations
           WHERE region = 'eu-west' AND status >= 500 AND "timestamp" >= ? AND "timestamp" < ?
           GROUP BY ALL""",
        [start, start + dt.timedelta(minutes=45)],
    ).fetchall()
    assert max(causes, key=lambda row: row[1])[0] == "consumer"


def test_maintenance_windows_are_the_story_s_in_the_months_generated(story: Generated) -> None:
    rows = story.con.execute(
        'SELECT "timestamp", ends_at, announced_at FROM sd_maintenance ORDER BY __order'
    ).fetchall()
    hour = dt.timedelta(hours=1)
    # August: the first and third Sundays at 01:00 in Berlin, 3 h and 2.5 h, 10 days' notice;
    # September: the second Sunday at 02:00, announced 3 days ahead; October: 11 October.
    august_1, august_3 = (
        dt.datetime(2026, 8, 1, 23, tzinfo=UTC),
        dt.datetime(2026, 8, 15, 23, tzinfo=UTC),
    )
    september, october = dt.datetime(2026, 9, 13, tzinfo=UTC), dt.datetime(2026, 10, 11, tzinfo=UTC)
    assert rows == [
        (august_1, august_1 + 3 * hour, august_1 - dt.timedelta(days=10)),
        (august_3, august_3 + 2.5 * hour, august_3 - dt.timedelta(days=10)),
        (september, september + 1.5 * hour, september - dt.timedelta(days=3)),
        (october, october + 2 * hour, october - dt.timedelta(days=7)),
    ]


def test_maintenance_answers_503_in_every_region_while_it_lasts(story: Generated) -> None:
    start = dt.datetime(2026, 10, 11, tzinfo=UTC)
    shares = story.con.execute(
        """SELECT region, avg((status = 503)::INT) FROM sd_authorisations
           WHERE "timestamp" >= ? AND "timestamp" < ? GROUP BY ALL ORDER BY region""",
        [start, start + dt.timedelta(hours=2)],
    ).fetchall()
    assert [region for region, _ in shares] == ["eu-central", "eu-west", "us-east"]
    assert all(0.05 < share < 0.15 for _, share in shares)


def test_august_is_slow_and_the_other_months_are_not(story: Generated) -> None:
    slow = dict(
        story.con.execute(
            """SELECT strftime("timestamp" AT TIME ZONE 'Europe/Berlin', '%Y-%m'),
                      avg((latency > 1.5)::INT)
               FROM sd_authorisations WHERE status = 200 GROUP BY ALL"""
        ).fetchall()
    )
    assert slow["2026-08"] > 3 * slow["2026-09"]
    assert slow["2026-08"] > 3 * slow["2026-10"]


def test_each_region_is_busiest_in_its_own_evening(story: Generated) -> None:
    busiest = story.con.execute(
        """
        SELECT a.region, arg_max(local_hour, n)
        FROM (SELECT region, hour("timestamp" AT TIME ZONE zone) AS local_hour, count(*) AS n
              FROM sd_authorisations
              JOIN (VALUES ('eu-central', 'Europe/Berlin'), ('eu-west', 'Europe/Dublin'),
                           ('us-east', 'America/New_York')) AS z(name, zone)
                ON z.name = region
              GROUP BY ALL) AS a
        GROUP BY ALL ORDER BY a.region
        """
    ).fetchall()
    assert busiest == [("eu-central", 20), ("eu-west", 20), ("us-east", 20)]


def test_answers_are_the_kinds_the_agreement_judges(story: Generated) -> None:
    statuses = dict(
        story.con.execute("SELECT status, count(*) FROM sd_authorisations GROUP BY ALL").fetchall()
    )
    assert set(statuses) <= {200, 400, 429, 500, 502, 503, 504}
    total = sum(statuses.values())
    assert statuses[429] / total == pytest.approx(0.004, rel=0.15)
    assert statuses[400] / total == pytest.approx(0.012, rel=0.1)
    (wrong,) = story.con.execute(
        """SELECT count(*) FROM sd_authorisations
           WHERE (status = 400) <> (caused_by IS NOT DISTINCT FROM 'consumer' AND status < 500)
              OR (status = 504 AND latency < 10)"""
    ).fetchone()
    assert wrong == 0


def test_the_day_summer_time_ends_has_25_hours_of_requests(story: Generated) -> None:
    hours = dict(
        story.con.execute(
            """SELECT CAST("timestamp" AT TIME ZONE 'Europe/Berlin' AS DATE) AS day,
                      count(DISTINCT date_trunc('hour', "timestamp"))
               FROM sd_authorisations WHERE region = 'eu-central'
               GROUP BY ALL"""
        ).fetchall()
    )
    assert hours[dt.date(2026, 10, 24)] == 24
    assert hours[dt.date(2026, 10, 25)] == 25
    assert hours[dt.date(2026, 10, 26)] == 24


def test_volume_scales_the_requests() -> None:
    agreement = example("payments-api")
    counts = []
    for volume in (0.05, 0.1):
        with generated(agreement, SampleOptions(months=1, volume=volume)) as made:
            counts.append(made.con.execute("SELECT count(*) FROM sd_authorisations").fetchone())
    (small,), (double,) = counts
    assert double / small == pytest.approx(2, rel=0.05)
