"""accord.demo.scenarios: the story each example tells, checked against the agreement it is
told about, and local moments placed in the agreement's time zone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import duckdb
import pytest

from accord.core.exclusions.spec import Exclusion, ExclusionKind
from accord.demo.base import Monthly, SampleOptions, span_of
from accord.demo.scenarios import (
    CLOUD,
    LOGISTICS,
    PAYMENTS,
    SUPPORT,
    At,
    Maintenance,
    at_instant,
)
from tests.demo.conftest import example

UTC = dt.UTC
#: The six months the scenarios list, May to October 2026.
SIX = span_of(SampleOptions(months=6, end="2026-10"), "Europe/Berlin")
OCTOBER = span_of(SampleOptions(months=1, end="2026-10"), "Europe/Berlin")


def test_a_day_of_the_month_is_placed_in_the_time_zone() -> None:
    # The payments October outage: 8 October, 11:20 in Berlin (summer time).
    assert at_instant(At(0, day=8, time="11:20"), OCTOBER, "Europe/Berlin") == dt.datetime(
        2026, 10, 8, 9, 20, tzinfo=UTC
    )
    assert at_instant(At(0, day=8, time="11:20"), OCTOBER, "UTC") == dt.datetime(
        2026, 10, 8, 11, 20, tzinfo=UTC
    )


def test_the_same_local_time_moves_in_utc_when_summer_time_ends() -> None:
    before = at_instant(At(0, day=24, time="04:00"), OCTOBER, "Europe/Berlin")
    after = at_instant(At(0, day=25, time="04:00"), OCTOBER, "Europe/Berlin")
    assert before == dt.datetime(2026, 10, 24, 2, tzinfo=UTC)
    assert after == dt.datetime(2026, 10, 25, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("weekday", "nth", "day"),
    [("sun", 1, 4), ("sun", 2, 11), ("thu", 1, 1), ("thu", 5, 29), ("wed", 1, 7)],
)
def test_the_nth_weekday_of_the_month(weekday: str, nth: int, day: int) -> None:
    # 1 October 2026 is a Thursday.
    at = At(0, weekday=weekday, nth=nth, time="00:00")
    instant = at_instant(at, OCTOBER, "UTC")
    assert instant == dt.datetime(2026, 10, day, tzinfo=UTC)


def test_a_moment_in_a_month_not_generated_is_none() -> None:
    assert at_instant(At(1, day=3), OCTOBER, "UTC") is None
    assert at_instant(At(5, day=3), SIX, "UTC") == dt.datetime(2026, 5, 3, tzinfo=UTC)


def _monthlies() -> Iterable[tuple[str, Monthly]]:
    yield "payments slow", PAYMENTS.slow
    yield "logistics claims", LOGISTICS.claims_in_time
    for name, table in (
        ("payments failed", PAYMENTS.failed),
        ("cloud churn", CLOUD.churn),
        ("cloud renewal", CLOUD.renewal),
        ("logistics late", LOGISTICS.late),
        ("logistics damaged", LOGISTICS.damaged),
        ("support in time", SUPPORT.resolved_in_time),
        ("support satisfied", SUPPORT.satisfied),
        ("support first contact", SUPPORT.first_contact),
    ):
        for key, values in table.items():
            yield f"{name} {key}", values


def test_every_monthly_value_is_a_share_for_each_of_the_six_months() -> None:
    for name, values in _monthlies():
        assert len(values) == 6, name
        assert all(0 <= value <= 1 for value in values), name


def _maintenance(agreement: str) -> Exclusion:
    exclusions = example(agreement).exclusions
    return next(e for e in exclusions if e.kind is ExclusionKind.MAINTENANCE)


def _late_and_over_cap(
    windows: Iterable[Maintenance], exclusion: Exclusion
) -> tuple[set[str], set[str]]:
    """The months with a window announced too late, and those over the monthly cap (per
    region when the windows name one)."""
    assert exclusion.notice is not None
    assert exclusion.monthly_cap is not None
    notice = dt.timedelta(seconds=float(exclusion.notice.seconds))
    cap = dt.timedelta(seconds=float(exclusion.monthly_cap.seconds))
    late, used = set(), defaultdict[tuple[str, str | None], dt.timedelta](dt.timedelta)
    for window in windows:
        month = SIX.month(window.at.back)
        assert month is not None
        if dt.timedelta(days=window.notice_days) < notice:
            late.add(month.label)
        used[month.label, window.region] += dt.timedelta(minutes=window.minutes)
    return late, {label for (label, _), total in used.items() if total > cap}


def test_payments_maintenance_is_late_in_september_and_over_the_cap_in_august() -> None:
    exclusion = _maintenance("payments-api")
    late, over = _late_and_over_cap(PAYMENTS.maintenance, exclusion)
    assert (late, over) == ({"2026-09"}, {"2026-08"})
    # Every window is in the agreed one: Sundays 01:00-05:00 in Berlin.
    assert exclusion.window == "Sundays 01:00-05:00 Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    for window in PAYMENTS.maintenance:
        start = at_instant(window.at, SIX, "Europe/Berlin")
        assert start is not None
        local = start.astimezone(berlin)
        end = (start + dt.timedelta(minutes=window.minutes)).astimezone(berlin)
        assert local.weekday() == 6
        assert dt.time(1) <= local.time()
        assert end.date() == local.date()
        assert end.time() <= dt.time(5)


def test_cloud_maintenance_is_late_in_june_and_over_the_cap_in_august() -> None:
    late, over = _late_and_over_cap(CLOUD.maintenance, _maintenance("cloud-hosting"))
    assert (late, over) == ({"2026-06"}, {"2026-08"})


def test_the_payments_outages_name_regions_the_scenario_has() -> None:
    regions = {region.name for region in PAYMENTS.regions}
    assert set(PAYMENTS.failed) == regions
    assert {outage.region for outage in PAYMENTS.outages} <= regions
    october = [o for o in PAYMENTS.outages if o.at.back == 0]
    assert [(o.region, o.cause) for o in october] == [("eu-west", "payco")]


def test_logistics_shares_add_up_and_every_scope_is_a_known_country_and_service() -> None:
    assert sum(LOGISTICS.regions.values()) == pytest.approx(1)
    assert sum(LOGISTICS.services.values()) == pytest.approx(1)
    assert {region for region, _ in LOGISTICS.late} == set(LOGISTICS.regions)
    assert {service for _, service in LOGISTICS.late} == set(LOGISTICS.services)
    assert set(LOGISTICS.damaged) == set(LOGISTICS.regions)


def test_only_the_force_majeure_disruptions_are_causes_the_agreement_excludes() -> None:
    exclusions = example("logistics-carrier").exclusions
    force_majeure = next(e for e in exclusions if e.kind is ExclusionKind.FORCE_MAJEURE)
    assert force_majeure.where is not None
    causes = [(d.cause,) for d in LOGISTICS.disruptions]
    with duckdb.connect() as con:
        con.execute("CREATE TABLE disruptions (cause VARCHAR)")
        con.executemany("INSERT INTO disruptions VALUES (?)", causes)
        where = force_majeure.where.text
        excluded = {
            str(row[0]) for row in con.execute(f"FROM disruptions WHERE {where}").fetchall()
        }
    assert excluded == {"severe_weather", "road_closure"}
    counted = [d for d in LOGISTICS.disruptions if d.cause not in excluded]
    assert [(d.at.back, d.region) for d in counted] == [(0, "fr")]


def test_support_hubs_work_on_calendars_the_agreement_declares() -> None:
    agreement = example("support-outsourcer")
    calendars = {c.id: c for c in agreement.calendars}
    for hub in SUPPORT.hubs:
        assert hub.calendar in calendars, hub.region
        assert calendars[hub.calendar].timezone == hub.timezone, hub.region
        assert sum(hub.languages.values()) == pytest.approx(1), hub.region
    assert sum(SUPPORT.priorities.values()) == pytest.approx(1)
    assert {hub for hub, _ in SUPPORT.resolved_in_time} == {h.region for h in SUPPORT.hubs}
    languages = {language for hub in SUPPORT.hubs for language in hub.languages}
    assert set(SUPPORT.satisfied) == languages
