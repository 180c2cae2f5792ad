"""accord.demo.cloud: a probe per service, region and minute from three locations in turn,
failing during the cloud story's incidents and maintenance; incidents numbered in order of
start; Lumen's customers growing and churning month by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from accord.demo.base import SampleOptions
from tests.demo.conftest import Generated, example, generated

UTC = dt.UTC
#: September and October 2026 (the agreement's time zone is UTC).
OPTIONS = SampleOptions(months=2, end="2026-10")
MINUTES = (30 + 31) * 24 * 60


@pytest.fixture(scope="module")
def story() -> Iterator[Generated]:
    with generated(example("cloud-hosting"), OPTIONS) as made:
        yield made


def _failed_minutes(story: Generated, region: str, service: str) -> list[dt.datetime]:
    rows = story.con.execute(
        """SELECT date_trunc('minute', probed_at) FROM sd_probes
           WHERE region = ? AND service = ? AND NOT ok ORDER BY 1""",
        [region, service],
    ).fetchall()
    return [row[0] for row in rows]


def _minutes(start: dt.datetime, count: int) -> list[dt.datetime]:
    return [start + dt.timedelta(minutes=n) for n in range(count)]


def test_the_sources_have_every_column_the_agreement_maps(story: Generated) -> None:
    assert set(story.rows) == {"probes", "incidents", "maintenance", "business-figures"}
    for source in story.agreement.sources:
        if source.id in story.rows:
            assert set(source.columns) <= story.columns(source.id), source.id


def test_every_scope_is_probed_once_a_minute_from_each_location_in_turn(
    story: Generated,
) -> None:
    per_scope = story.con.execute(
        """SELECT region, service, count(*), count(DISTINCT date_trunc('minute', probed_at)),
                  count(DISTINCT location), max(abs(epoch(probed_at) % 60))
           FROM sd_probes GROUP BY ALL"""
    ).fetchall()
    assert len(per_scope) == 6
    for region, service, probes, minutes, locations, second in per_scope:
        assert probes == minutes == MINUTES, (region, service)
        assert locations == 3
        assert second < 50
    rotation = story.con.execute(
        """SELECT location, count(*) FROM sd_probes
           WHERE region = 'eu-west' AND service = 'database' GROUP BY ALL"""
    ).fetchall()
    assert sorted(n for _, n in rotation) in ([MINUTES // 3] * 3, [MINUTES // 3 + 1] * 3)


def test_probes_keep_their_cadence_whatever_the_volume() -> None:
    options = SampleOptions(months=1, end="2026-10", volume=0.1)
    with generated(example("cloud-hosting"), options) as made:
        (probes,) = made.con.execute("SELECT count(*) FROM sd_probes").fetchone() or (0,)
    assert probes == 31 * 24 * 60 * 6


def test_the_october_database_incident_fails_eu_west_for_12_minutes(story: Generated) -> None:
    failed = _failed_minutes(story, "eu-west", "database")
    incident = _minutes(dt.datetime(2026, 10, 21, 14, 2, tzinfo=UTC), 12)
    maintenance = _minutes(dt.datetime(2026, 10, 13, 23, tzinfo=UTC), 60)
    assert set(incident) <= set(failed)
    assert set(maintenance) <= set(failed)
    # Outside them, only the rare network blip: 1 in 100,000 probes, about 5 in all scopes.
    assert len(set(failed) - set(incident) - set(maintenance)) <= 3
    (failures,) = story.con.execute("SELECT count(*) FROM sd_probes WHERE NOT ok").fetchone() or (
        0,
    )
    assert failures - len(incident) - len(maintenance) - 3 <= 15
    latencies = story.con.execute("SELECT DISTINCT latency FROM sd_probes WHERE NOT ok").fetchall()
    assert latencies == [(10.0,)]


def test_the_customer_caused_incident_leaves_the_probes_failing_for_3_minutes(
    story: Generated,
) -> None:
    failed = set(_failed_minutes(story, "eu-central", "database"))
    assert set(_minutes(dt.datetime(2026, 10, 27, 9, 15, tzinfo=UTC), 3)) <= failed


def test_the_story_s_incidents_are_numbered_among_the_minor_ones(story: Generated) -> None:
    rows = story.con.execute(
        """SELECT incident_id, started_at, detected_at, resolved_at, severity, region, caused_by
           FROM sd_incidents ORDER BY __order"""
    ).fetchall()
    assert [row[0] for row in rows] == [f"INC-{n:04d}" for n in range(1, len(rows) + 1)]
    assert [row[1] for row in rows] == sorted(row[1] for row in rows)
    # Minor incidents about 0.9 a day over 61 days, and the two October ones of the story.
    assert 30 < len(rows) < 90
    story_rows = {row[1]: row[2:] for row in rows if row[1].second == 0}
    started = dt.datetime(2026, 10, 21, 14, 2, tzinfo=UTC)
    assert story_rows[started] == (
        started + dt.timedelta(minutes=4),
        started + dt.timedelta(minutes=55),
        "sev2",
        "eu-west",
        "stratus",
    )
    customer = dt.datetime(2026, 10, 27, 9, 15, tzinfo=UTC)
    assert story_rows[customer][-1] == "customer"
    end = dt.datetime(2026, 11, 1, tzinfo=UTC)
    for _, started_at, detected_at, resolved_at, *_ in rows:
        assert detected_at is None or started_at < detected_at < end
        assert resolved_at is None or (detected_at is not None and detected_at < resolved_at < end)


def test_the_maintenance_rows_name_their_region(story: Generated) -> None:
    rows = story.con.execute(
        'SELECT "starts_at", ends_at, announced_at, region FROM sd_maintenance'
    ).fetchall()
    october = dt.datetime(2026, 10, 13, 23, tzinfo=UTC)
    assert rows == [
        (october, october + dt.timedelta(hours=1), october - dt.timedelta(days=15), "eu-west")
    ]


def test_lumen_grows_by_2_percent_a_month_and_loses_customers_at_the_story_s_rate(
    story: Generated,
) -> None:
    figures = story.con.execute(
        """SELECT month_start, segment, customers_at_start, customers_lost, subscriptions_due,
                  subscriptions_renewed
           FROM sd_business ORDER BY __order"""
    ).fetchall()
    september, october = dt.datetime(2026, 9, 1, tzinfo=UTC), dt.datetime(2026, 10, 1, tzinfo=UTC)
    assert [(row[0], row[1], row[2]) for row in figures] == [
        (september, "smb", 1400),
        (september, "enterprise", 210),
        (october, "smb", 1428),
        (october, "enterprise", 214),
    ]
    churn = {(september, "smb"): 0.020, (october, "smb"): 0.021}
    for month, segment, customers, lost, due, renewed in figures:
        if (month, segment) in churn:
            assert lost / customers == pytest.approx(churn[month, segment], rel=0.11)
        assert 0 < renewed <= due
