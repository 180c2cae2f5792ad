"""accord.demo.logistics: parcels planned per promised day, each journey following from a
few draws, and scans, surveys and claims derived from the parcels so that they agree; the
logistics story (Rapid Riders slipping in Germany, a French sorting-centre outage, a week of
late scans, a Belgian road closure) in September and October 2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from accord.core.calendars.clock import BusinessCalendar
from accord.demo.base import SampleOptions
from tests.demo.conftest import Generated, example, generated

UTC = dt.UTC
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OPTIONS = SampleOptions(months=2, end="2026-10")


@pytest.fixture(scope="module")
def story() -> Iterator[Generated]:
    with generated(example("logistics-carrier"), OPTIONS) as made:
        yield made


def _rows(story: Generated, query: str, *parameters: object) -> list[tuple]:
    return story.con.execute(query, list(parameters)).fetchall()


def test_the_sources_have_every_column_the_agreement_maps(story: Generated) -> None:
    assert set(story.rows) == {"parcels", "scans", "delivery-surveys", "claims", "disruptions"}
    for source in story.agreement.sources:
        if source.id in story.rows:
            assert set(source.columns) <= story.columns(source.id), source.id


def test_parcels_are_promised_monday_to_saturday_by_the_evening_in_amsterdam(
    story: Generated,
) -> None:
    by_weekday: dict[int, list[int]] = {}
    for promised, count in _rows(
        story, "SELECT promised_by, count(*) FROM sd_parcels GROUP BY ALL"
    ):
        local = promised.astimezone(AMSTERDAM)
        assert local.time() in (dt.time(21), dt.time(22)), local
        by_weekday.setdefault(local.weekday(), []).append(count)
    assert 6 not in by_weekday  # no deliveries on Sunday
    weekday = sum(sum(by_weekday[day]) for day in range(5)) / sum(
        len(by_weekday[d]) for d in range(5)
    )
    saturday = sum(by_weekday[5]) / len(by_weekday[5])
    assert saturday / weekday == pytest.approx(0.6, abs=0.06)


def test_a_parcel_is_late_exactly_when_its_delay_has_a_cause(story: Generated) -> None:
    (mismatched,) = _rows(
        story,
        """SELECT count(*) FROM sd_parcels
           WHERE status IN ('delivered', 'returned')
             AND (first_attempt_at > promised_by) <> (caused_by IS NOT NULL)""",
    )
    assert mismatched == (0,)
    (undelivered,) = _rows(
        story,
        """SELECT count(*) FROM sd_parcels
           WHERE (status = 'delivered') <> (delivered_at IS NOT NULL)
              OR (status = 'cancelled' AND (collected_at IS NOT NULL OR caused_by IS NOT NULL))
              OR (damaged AND status <> 'delivered')""",
    )
    assert undelivered == (0,)


def test_rapid_riders_same_day_lateness_is_the_story_s_each_month(story: Generated) -> None:
    late = dict(
        _rows(
            story,
            """SELECT strftime(promised_by AT TIME ZONE 'Europe/Amsterdam', '%Y-%m'),
                      avg(coalesce(caused_by = 'carrier', false)::INT)
               FROM sd_parcels
               WHERE region = 'de' AND service_level = 'same_day' AND status <> 'cancelled'
                 AND caused_by IS DISTINCT FROM 'consumer'
               GROUP BY ALL""",
        )
    )
    assert late["2026-09"] == pytest.approx(0.075, abs=0.004)
    assert late["2026-10"] == pytest.approx(0.085, abs=0.004)


def test_the_sorting_centre_outage_delays_french_parcels_promised_while_it_lasts(
    story: Generated,
) -> None:
    start = dt.datetime(2026, 10, 20, 2, tzinfo=UTC)  # 04:00 in Amsterdam, for 19 hours
    end = start + dt.timedelta(hours=19)
    affected = _rows(
        story,
        """SELECT region, min(promised_by), max(promised_by), count(*) FROM sd_parcels
           WHERE caused_by = 'sorting_centre_outage' GROUP BY ALL""",
    )
    assert len(affected) == 1
    region, first, last, count = affected[0]
    assert region == "fr"
    assert start <= first <= last < end
    (promised,) = _rows(
        story,
        """SELECT count(*) FROM sd_parcels WHERE region = 'fr' AND status <> 'cancelled'
           AND promised_by >= ? AND promised_by < ?""",
        start,
        end,
    )
    assert count / promised[0] == pytest.approx(0.2, abs=0.07)


def test_the_week_of_late_scans_starts_on_12_october_in_amsterdam(story: Generated) -> None:
    start = dt.datetime(2026, 10, 11, 22, tzinfo=UTC)
    late = dict(
        _rows(
            story,
            """SELECT scanned_at >= ? AND scanned_at < ?, avg((upload_delay > 900)::INT)
               FROM sd_scans GROUP BY ALL""",
            start,
            start + dt.timedelta(days=7),
        )
    )
    assert late[True] == pytest.approx(0.04, abs=0.006)
    assert late[False] == pytest.approx(0.008, abs=0.002)


def test_surveys_answer_delivered_parcels_and_late_or_damaged_ones_rate_worse(
    story: Generated,
) -> None:
    ratings = dict(
        _rows(
            story,
            """SELECT CASE WHEN p.damaged THEN 'damaged'
                           WHEN p.first_attempt_at > p.promised_by THEN 'late'
                           ELSE 'fine' END, avg(s.rating)
               FROM sd_surveys AS s JOIN sd_parcels AS p USING (parcel_id)
               WHERE p.status = 'delivered' AND s.answered_at > p.delivered_at
               GROUP BY ALL""",
        )
    )
    assert set(ratings) >= {"late", "fine"}
    assert ratings["fine"] > ratings["late"] + 0.8
    (orphans,) = _rows(
        story,
        """SELECT count(*) FROM sd_surveys AS s LEFT JOIN sd_parcels AS p USING (parcel_id)
           WHERE p.status IS DISTINCT FROM 'delivered' OR s.answered_at <= p.delivered_at
              OR s.answered_at >= TIMESTAMPTZ '2026-10-31 23:00Z'""",
    )
    assert orphans == (0,)


def test_three_malformed_survey_rows_are_added_unless_asked_not_to(story: Generated) -> None:
    bad = story.rows["delivery-surveys"].bad_rows
    assert [row["response_id"] for row in bad[:2]] == ["DS-MANUAL-0001", "DS-MANUAL-0002"]
    assert bad[0]["rating"] == "five"
    assert not bad[1]["answered_at"].endswith("Z")
    # The third repeats the first survey answered in October, as exported.
    (first,) = _rows(
        story,
        """SELECT response_id FROM sd_surveys
           WHERE answered_at >= TIMESTAMPTZ '2026-09-30 22:00Z' ORDER BY __order LIMIT 1""",
    )
    assert bad[2]["response_id"] == first[0]
    assert bad[2]["answered_at"].endswith("Z")
    quiet = SampleOptions(months=1, volume=0.05, bad_rows=False)
    with generated(example("logistics-carrier"), quiet) as made:
        assert made.rows["delivery-surveys"].bad_rows == ()


def test_claims_are_settled_while_the_claims_desk_is_open(story: Generated) -> None:
    desk = BusinessCalendar.from_spec(
        next(c for c in story.agreement.calendars if c.id == "claims-desk")
    )
    claims = _rows(story, "SELECT claim_id, filed_at, settled_at, claim_type FROM sd_claims")
    assert claims
    lost = _rows(story, "SELECT 'CL-' || parcel_id FROM sd_parcels WHERE status = 'lost'")
    filed_in_span = {c[0] for c in claims}
    assert {row[0] for row in lost} & filed_in_span
    for claim_id, filed_at, settled_at, claim_type in claims:
        assert claim_type in ("damage", "loss")
        if settled_at is None:
            continue
        assert settled_at > filed_at, claim_id
        just_before = settled_at - dt.timedelta(seconds=1)
        assert desk.working_intervals(just_before, settled_at), claim_id


def test_the_disruptions_are_those_of_the_months_generated(story: Generated) -> None:
    rows = _rows(story, "SELECT starts_at, ends_at, region, cause FROM sd_disruption_rows")
    september = dt.datetime(2026, 9, 17, 3, tzinfo=UTC)  # 05:00 in Amsterdam
    october = dt.datetime(2026, 10, 20, 2, tzinfo=UTC)
    assert rows == [
        (september, september + dt.timedelta(hours=20), "be", "road_closure"),
        (october, october + dt.timedelta(hours=19), "fr", "sorting_centre_outage"),
    ]


def test_every_journey_is_scanned_in_order(story: Generated) -> None:
    (wrong,) = _rows(
        story,
        """
        WITH journey AS (
            SELECT parcel_id, list(scan_type ORDER BY scanned_at) AS types
            FROM sd_scans GROUP BY ALL
        )
        SELECT count(*) FROM sd_parcels AS p JOIN journey AS j USING (parcel_id)
        WHERE p.status = 'delivered' AND p.collected_at >= TIMESTAMPTZ '2026-09-01 00:00Z'
          AND p.delivered_at < TIMESTAMPTZ '2026-10-31 00:00Z'
          AND j.types <> ['collected', 'hub', 'out_for_delivery', 'delivered']
        """,
    )
    assert wrong == (0,)
