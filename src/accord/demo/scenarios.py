"""The story the sample data tells, per example agreement: explicit, month by month.

Nothing in the generated data goes wrong by accident. Every miss below is written down:

- ``payments-api``: an outage in eu-central in July (a breach, 15 % credit), a slow August
  (fast authorisations: a deviation), maintenance over the monthly cap in August, one
  announced too late in September (a deviation in us-east, where 01:00 in Berlin is the
  evening rush), an outage caused by Acme itself in September (excluded), and a short
  outage in eu-west in October (a deviation that still earns the 5 % credit).
- ``cloud-hosting``: a kubernetes upgrade in June announced a week late (a breach), object
  storage maintenance over the 4-hour cap in August (a breach), a force-majeure flood in
  August, a database incident in eu-west in October (a deviation, 10 % credit), and small
  business customers churning more from August on.
- ``logistics-carrier``: Rapid Riders' same-day deliveries in Germany slip from August and
  are breached in September and October: a 4,000 EUR credit and the chronic-lateness clause
  (2 breaches in 3 months) triggered. A July heatwave in France, a week of late delivery
  scans in October, more damaged parcels in Belgium in October, storms and a road closure
  (force majeure), and three malformed survey rows that the quarantine catches.
- ``support-outsourcer``: the Americas hub resolves P3 tickets too slowly in August
  (deviation) and October (breach, 3 % credit); French-speaking travellers are less
  satisfied in October (deviation); e-mail first-contact resolution dips in October; a
  Wanderly booking outage in August causes a surge of tickets that the exclusion removes.

Monthly values are listed oldest first for the six months that end with the last generated
month (May to October 2026 with the defaults); months further back repeat the first value.
Events name their month by how many months before the last one it is (``back=0``: the last).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from accord.demo.base import Monthly, Span

__all__ = [
    "CLOUD",
    "LOGISTICS",
    "PAYMENTS",
    "SUPPORT",
    "At",
    "Cloud",
    "Logistics",
    "Maintenance",
    "Payments",
    "Support",
    "at_instant",
]

_WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class At:
    """A local moment ``back`` months before the last generated month: a day of the month,
    or the ``nth`` ``weekday`` of it, at a local time ``HH:MM``."""

    back: int
    day: int = 1
    time: str = "00:00"
    weekday: str | None = None
    nth: int = 1


def at_instant(at: At, span: Span, timezone: str) -> dt.datetime | None:
    """The UTC instant of ``at`` in ``timezone``, or None when its month is not generated."""
    month = span.month(at.back)
    if month is None:
        return None
    day = month.first_day.replace(day=at.day)
    if at.weekday is not None:
        offset = (_WEEKDAYS.index(at.weekday) - month.first_day.weekday()) % 7
        day = month.first_day + dt.timedelta(days=offset + 7 * (at.nth - 1))
    hour, minute = (int(part) for part in at.time.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)


# -- payments-api ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApiRegion:
    name: str
    timezone: str  # where the region's day and night are
    peak_per_minute: float  # requests per minute in the busiest hour
    median_latency_ms: float


@dataclass(frozen=True)
class Outage:
    at: At  # local time in the agreement's time zone
    minutes: int
    region: str
    failing: float  # share of requests answered 5xx while it lasts
    cause: str = "payco"  # 'consumer': Acme's own doing, excluded by the agreement


@dataclass(frozen=True)
class Maintenance:
    at: At  # local time in the agreement's time zone
    minutes: int
    notice_days: float  # how long before the start it was announced
    failing: float  # share of requests (or probes) failing while it lasts
    region: str | None = None
    service: str | None = None


@dataclass(frozen=True)
class Payments:
    regions: tuple[ApiRegion, ...]
    failed: Mapping[str, Monthly]  # share of 5xx answers outside outages, per region
    slow: Monthly  # share of requests on the slow path (a long tail of seconds)
    outages: tuple[Outage, ...]
    maintenance: tuple[Maintenance, ...]
    peak_traffic: float  # traffic multiplier on the agreement's peak-period dates


PAYMENTS: Final = Payments(
    regions=(
        ApiRegion("eu-central", "Europe/Berlin", 15.0, 150),
        ApiRegion("eu-west", "Europe/Dublin", 10.0, 165),
        ApiRegion("us-east", "America/New_York", 5.0, 230),
    ),
    failed={
        #              May      Jun      Jul      Aug      Sep      Oct
        "eu-central": (0.00012, 0.00010, 0.00011, 0.00013, 0.00010, 0.00011),
        "eu-west": (0.00010, 0.00011, 0.00012, 0.00010, 0.00012, 0.00014),
        "us-east": (0.00015, 0.00014, 0.00016, 0.00013, 0.00015, 0.00014),
    },
    #     May    Jun    Jul    Aug    Sep    Oct: August's capacity shortage slows checkout
    slow=(0.010, 0.011, 0.012, 0.045, 0.012, 0.011),
    outages=(
        # July: a failed database switch-over in eu-central, 2.5 hours on a busy evening.
        Outage(At(3, day=14, time="19:05"), minutes=150, region="eu-central", failing=0.8),
        # September: Acme's checkout release sends malformed calls that crash a gateway.
        Outage(
            At(1, day=9, time="10:00"), minutes=45, region="eu-west", failing=0.3, cause="consumer"
        ),
        # October: a certificate rotation goes wrong in eu-west for 35 minutes.
        Outage(At(0, day=8, time="11:20"), minutes=35, region="eu-west", failing=0.45),
    ),
    maintenance=(
        Maintenance(
            At(5, weekday="sun", nth=2, time="02:00"), minutes=90, notice_days=12, failing=0.1
        ),
        Maintenance(
            At(4, weekday="sun", nth=2, time="01:30"), minutes=120, notice_days=9, failing=0.1
        ),
        Maintenance(
            At(3, weekday="sun", nth=3, time="02:00"), minutes=60, notice_days=14, failing=0.1
        ),
        # August: 3 h + 2.5 h of maintenance; the 1.5 h beyond the 4 h cap count as downtime.
        Maintenance(
            At(2, weekday="sun", nth=1, time="01:00"), minutes=180, notice_days=10, failing=0.1
        ),
        Maintenance(
            At(2, weekday="sun", nth=3, time="01:00"), minutes=150, notice_days=10, failing=0.1
        ),
        # September: announced 3 days ahead, less than the 5 days' notice: downtime.
        Maintenance(
            At(1, weekday="sun", nth=2, time="02:00"), minutes=90, notice_days=3, failing=0.1
        ),
        Maintenance(
            At(0, weekday="sun", nth=2, time="02:00"), minutes=120, notice_days=7, failing=0.1
        ),
    ),
    peak_traffic=2.5,
)


# -- cloud-hosting --------------------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    at: At  # local time in the agreement's time zone (UTC)
    region: str
    service: str
    severity: str
    impact_minutes: int  # probes fail from the start for this long
    detect_minutes: float
    repair_minutes: float  # start of impact to resolution
    failing: float = 1.0  # share of probes failing during the impact
    cause: str = "stratus"


@dataclass(frozen=True)
class Cloud:
    regions: tuple[str, ...]
    services: tuple[str, ...]
    probe_locations: tuple[str, ...]
    probe_failing: float  # share of probes failing at random (network blips)
    incidents_per_day: float  # minor incidents (sev2, sev3) without probe failures
    sev2_share: float
    detect_minutes: float  # median time to detect
    repair_minutes: Mapping[str, float]  # median time to repair, per severity
    incidents: tuple[Incident, ...]
    maintenance: tuple[Maintenance, ...]
    customers: Mapping[str, int]  # Lumen's customers per segment in the first month
    growth: float  # monthly growth of Lumen's customer base
    churn: Mapping[str, Monthly]  # share of customers lost in the month
    renewal: Mapping[str, Monthly]  # share of subscriptions due that renew


CLOUD: Final = Cloud(
    regions=("eu-central", "eu-west"),
    services=("kubernetes", "database", "object-storage"),
    probe_locations=("frankfurt", "amsterdam", "paris"),
    probe_failing=0.00001,
    incidents_per_day=0.9,
    sev2_share=0.2,
    detect_minutes=3.0,
    repair_minutes={"sev2": 35.0, "sev3": 360.0},
    incidents=(
        # August: a flash flood cuts power to an Amsterdam data hall (force majeure).
        Incident(
            At(2, day=19, time="03:40"),
            region="eu-west",
            service="kubernetes",
            severity="sev1",
            impact_minutes=35,
            detect_minutes=6,
            repair_minutes=140,
            cause="force_majeure",
        ),
        # October: a database failover in eu-west hangs for 12 minutes (a deviation).
        Incident(
            At(0, day=21, time="14:02"),
            region="eu-west",
            service="database",
            severity="sev2",
            impact_minutes=12,
            detect_minutes=4,
            repair_minutes=55,
        ),
        # October: Lumen's runaway migration exhausts its own database (Lumen-caused).
        Incident(
            At(0, day=27, time="09:15"),
            region="eu-central",
            service="database",
            severity="sev2",
            impact_minutes=3,
            detect_minutes=2,
            repair_minutes=25,
            cause="customer",
        ),
    ),
    maintenance=(
        Maintenance(
            At(5, weekday="tue", nth=2, time="22:00"),
            minutes=120,
            notice_days=21,
            failing=0.0,
            region="eu-central",
            service="kubernetes",
        ),
        # June: the kubernetes upgrade is announced 7 days ahead instead of 14: downtime.
        Maintenance(
            At(4, weekday="tue", nth=3, time="22:00"),
            minutes=90,
            notice_days=7,
            failing=1.0,
            region="eu-central",
            service="kubernetes",
        ),
        # August: three 2-hour object-storage windows; the third is beyond the 4-hour cap.
        Maintenance(
            At(2, weekday="tue", nth=1, time="22:00"),
            minutes=120,
            notice_days=20,
            failing=1.0,
            region="eu-west",
            service="object-storage",
        ),
        Maintenance(
            At(2, weekday="tue", nth=2, time="22:00"),
            minutes=120,
            notice_days=20,
            failing=1.0,
            region="eu-west",
            service="object-storage",
        ),
        Maintenance(
            At(2, weekday="tue", nth=3, time="22:00"),
            minutes=120,
            notice_days=20,
            failing=1.0,
            region="eu-west",
            service="object-storage",
        ),
        Maintenance(
            At(0, weekday="tue", nth=2, time="23:00"),
            minutes=60,
            notice_days=15,
            failing=1.0,
            region="eu-west",
            service="database",
        ),
    ),
    customers={"smb": 1400, "enterprise": 210},
    growth=0.02,
    churn={
        #              May    Jun    Jul    Aug    Sep    Oct
        "smb": (0.011, 0.012, 0.012, 0.017, 0.020, 0.021),
        "enterprise": (0.004, 0.003, 0.005, 0.004, 0.004, 0.003),
    },
    renewal={
        "smb": (0.93, 0.92, 0.91, 0.90, 0.89, 0.90),
        "enterprise": (0.97, 0.96, 0.98, 0.96, 0.97, 0.96),
    },
)


# -- logistics-carrier ----------------------------------------------------------------------


@dataclass(frozen=True)
class Disruption:
    at: At  # local time in the agreement's time zone
    hours: float
    region: str
    cause: str  # severe_weather, road_closure, civil_unrest are force majeure
    late: float  # extra share of the region's parcels late while it lasts


@dataclass(frozen=True)
class Backlog:
    """Handhelds that upload delivery scans late for a while (tracking freshness)."""

    at: At
    days: int
    late_uploads: float


@dataclass(frozen=True)
class Logistics:
    parcels_per_day: float  # Monday to Friday; Saturday 60 %, no deliveries on Sunday
    regions: Mapping[str, float]  # share of parcels per destination country
    services: Mapping[str, float]  # share per service level (same-day only where listed)
    late: Mapping[tuple[str, str], Monthly]  # share of parcels attempted after the promise
    damaged: Mapping[str, Monthly]  # share of delivered parcels damaged, per country
    claims_in_time: Monthly  # share of claims settled within 10 business days
    disruptions: tuple[Disruption, ...]
    backlogs: tuple[Backlog, ...]
    late_uploads: float  # share of scans uploaded more than 15 minutes late, normally
    survey_rate: float  # share of delivered parcels whose recipient answers the survey
    peak_traffic: float  # parcel multiplier on the agreement's peak-period dates


LOGISTICS: Final = Logistics(
    parcels_per_day=1300,
    regions={"nl": 0.40, "be": 0.20, "de": 0.25, "fr": 0.15},
    services={"standard": 0.70, "next_day": 0.22, "same_day": 0.08},
    late={
        #                      May    Jun    Jul    Aug    Sep    Oct
        ("nl", "standard"): (0.021, 0.020, 0.024, 0.022, 0.021, 0.022),
        ("nl", "next_day"): (0.026, 0.027, 0.028, 0.025, 0.027, 0.026),
        ("nl", "same_day"): (0.028, 0.030, 0.029, 0.031, 0.027, 0.029),
        ("be", "standard"): (0.023, 0.022, 0.025, 0.024, 0.026, 0.023),
        ("be", "next_day"): (0.027, 0.028, 0.030, 0.027, 0.028, 0.029),
        ("de", "standard"): (0.020, 0.021, 0.022, 0.021, 0.022, 0.021),
        ("de", "next_day"): (0.025, 0.024, 0.026, 0.027, 0.025, 0.026),
        # Rapid Riders (the subcontractor) loses drivers: deviation, then two breaches.
        ("de", "same_day"): (0.030, 0.032, 0.034, 0.048, 0.075, 0.085),
        # A heatwave in July: vans may only drive in the morning.
        ("fr", "standard"): (0.024, 0.025, 0.050, 0.026, 0.024, 0.025),
        ("fr", "next_day"): (0.028, 0.027, 0.045, 0.029, 0.028, 0.027),
    },
    damaged={
        "nl": (0.0008, 0.0007, 0.0009, 0.0008, 0.0007, 0.0008),
        "be": (0.0009, 0.0010, 0.0008, 0.0009, 0.0010, 0.0035),  # a faulty sorter in Ghent
        "de": (0.0010, 0.0009, 0.0010, 0.0011, 0.0009, 0.0010),
        "fr": (0.0011, 0.0010, 0.0012, 0.0010, 0.0011, 0.0010),
    },
    claims_in_time=(0.95, 0.96, 0.94, 0.93, 0.88, 0.95),  # September: a deviation
    disruptions=(
        Disruption(
            At(3, day=22, time="06:00"), hours=21, region="nl", cause="severe_weather", late=0.35
        ),
        Disruption(
            At(1, day=17, time="05:00"), hours=20, region="be", cause="road_closure", late=0.15
        ),
        # Not force majeure: SwiftParcel's own sorting centre fails, and it counts.
        Disruption(
            At(0, day=20, time="04:00"),
            hours=19,
            region="fr",
            cause="sorting_centre_outage",
            late=0.20,
        ),
    ),
    backlogs=(Backlog(At(0, day=12), days=7, late_uploads=0.032),),
    late_uploads=0.008,
    survey_rate=0.07,
    peak_traffic=1.8,
)


# -- support-outsourcer ---------------------------------------------------------------------


@dataclass(frozen=True)
class Hub:
    region: str
    calendar: str  # the agreement's calendar of the hub's working hours
    timezone: str
    peak_per_hour: float  # tickets per hour in the busiest hour
    languages: Mapping[str, float]


@dataclass(frozen=True)
class Surge:
    """A Wanderly booking-platform outage: extra tickets, caused by Wanderly."""

    at: At
    hours: float
    extra: float  # extra tickets as a multiple of normal traffic


@dataclass(frozen=True)
class Support:
    hubs: tuple[Hub, ...]
    priorities: Mapping[str, float]
    first_response_minutes: Mapping[str, float]  # median, business minutes (P1: 24x7)
    resolve_p1_minutes: float  # median P1 resolution, round the clock
    resolved_in_time: Mapping[tuple[str, str], Monthly]  # within 3 business days
    satisfied: Mapping[str, Monthly]  # share of CSAT answers 4 or 5, per language
    first_contact: Mapping[str, Monthly]  # share solved in one contact, per channel
    waiting_share: float  # tickets that wait on the customer once
    survey_rate: float
    surges: tuple[Surge, ...]


SUPPORT: Final = Support(
    hubs=(
        Hub(
            "europe",
            "lisbon-hub",
            "Europe/Lisbon",
            26.0,
            {"en": 0.30, "de": 0.30, "fr": 0.20, "es": 0.10, "pt": 0.10},
        ),
        Hub(
            "americas",
            "mexico-hub",
            "America/Mexico_City",
            12.0,
            {"en": 0.50, "es": 0.40, "pt": 0.10},
        ),
    ),
    priorities={"P1": 0.04, "P2": 0.16, "P3": 0.55, "P4": 0.25},
    first_response_minutes={"P1": 6.0, "P2": 22.0, "P3": 75.0, "P4": 85.0},
    resolve_p1_minutes=80.0,
    resolved_in_time={
        #                           May   Jun   Jul   Aug   Sep   Oct
        ("europe", "P2"): (0.95, 0.96, 0.95, 0.94, 0.95, 0.96),
        ("europe", "P3"): (0.94, 0.95, 0.93, 0.94, 0.95, 0.94),
        ("europe", "P4"): (0.93, 0.94, 0.94, 0.93, 0.94, 0.95),
        ("americas", "P2"): (0.95, 0.94, 0.95, 0.93, 0.94, 0.95),
        # Summer attrition at the Mexico City hub: a deviation in August, a breach in October.
        ("americas", "P3"): (0.94, 0.93, 0.92, 0.875, 0.91, 0.82),
        ("americas", "P4"): (0.93, 0.94, 0.93, 0.92, 0.93, 0.92),
    },
    satisfied={
        "en": (0.90, 0.89, 0.90, 0.88, 0.90, 0.89),
        "de": (0.88, 0.89, 0.88, 0.89, 0.90, 0.88),
        # October: new French-speaking agents without enough training.
        "fr": (0.89, 0.88, 0.89, 0.88, 0.87, 0.832),
        "es": (0.90, 0.91, 0.89, 0.90, 0.89, 0.90),
        "pt": (0.89, 0.90, 0.91, 0.89, 0.90, 0.89),
    },
    first_contact={
        "phone": (0.83, 0.82, 0.83, 0.82, 0.83, 0.83),
        "chat": (0.81, 0.82, 0.80, 0.81, 0.82, 0.81),
        "email": (0.80, 0.81, 0.80, 0.79, 0.80, 0.725),  # October: a new macro misfires
        "portal": (0.80, 0.79, 0.81, 0.80, 0.80, 0.80),
    },
    waiting_share=0.3,
    survey_rate=0.22,
    surges=(Surge(At(2, day=6, time="14:00"), hours=3, extra=4.0),),
)
