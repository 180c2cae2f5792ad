"""Requests by region with status and latency, an availability objective on them, and the
helpers that write and judge them: the shared world of the engine's evaluation tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.verdicts import Verdict
from tests.engine.builders import BERLIN, agreement_of, utc, write_csv

REQUESTS_SOURCE = {
    "id": "requests",
    "kind": "events",
    "format": "csv",
    "path": "requests.csv",
    "timestamp": "at",
    "columns": {
        "at": {"column": "at", "type": "timestamp"},
        "region": {"column": "region", "type": "string"},
        "status": {"column": "status", "type": "integer"},
        "latency": {"column": "latency_ms", "type": "duration", "unit": "ms"},
        "blame": {"column": "blame", "type": "string"},
    },
}
SUCCESS = {
    "id": "success",
    "name": "Successful requests",
    "kind": "ratio",
    "source": "requests",
    "good": "status < 500",
}
P90_LATENCY = {
    "id": "tail",
    "name": "p90 latency",
    "kind": "percentile",
    "source": "requests",
    "measure": "latency",
    "percentile": 90,
}
TIERS = [
    {"below": "99%", "credit": "10%"},
    {"below": "90%", "credit": "25%"},
    {"below": "50%", "credit": "100%"},
]


def availability(**changes: Any) -> dict[str, Any]:
    """The availability objective: 99% met, down to 95% a deviation, per region."""
    return {
        "id": "availability",
        "name": "Availability",
        "indicator": "success",
        "target": "99%",
        "tolerance": "95%",
        "window": "month",
        "scope": ["region"],
        **changes,
    }


def credits(cap: str = "100%") -> dict[str, Any]:
    return {
        "claim_window": "2 months",
        "credits": [
            {
                "id": "availability-credits",
                "objectives": ["availability"],
                "basis": "1000 EUR",
                "tiers": TIERS,
                "cap": cap,
            }
        ],
    }


def requests_agreement(*objectives: dict[str, Any], **sections: Any) -> Agreement:
    indicators = [SUCCESS, *sections.pop("indicators", [])]
    requests = sections.pop("requests", REQUESTS_SOURCE)
    return agreement_of(
        {
            "sources": [requests, *sections.pop("sources", [])],
            "indicators": indicators,
            "objectives": list(objectives) or [availability()],
            **sections,
        }
    )


#: A request: when, its region (``None``: a row without one), its status, and optionally its
#: latency and who is to blame.
Row = tuple[dt.datetime, str | None, int] | tuple[dt.datetime, str | None, int, int | None, str]


def write_requests(folder: Path, rows: Sequence[Row]) -> None:
    full = [(*row, None, "provider") if len(row) == 3 else row for row in rows]
    write_csv(folder, "requests", ["at", "region", "status", "latency_ms", "blame"], full)


def write_maintenance(folder: Path, rows: list[tuple[dt.datetime, dt.datetime, dt.datetime]]):
    write_csv(folder, "maintenance", ["starts_at", "ends_at", "announced_at"], rows)


def spread(start: dt.datetime, count: int, status: int, region: str = "eu") -> list[Row]:
    """``count`` events a minute apart from ``start``."""
    return [(start + dt.timedelta(minutes=i), region, status) for i in range(count)]


def daily(first: dt.date, last: dt.date, skip: tuple[int, ...] = ()) -> list[Row]:
    """One good event at noon (Berlin) each day from ``first`` to ``last``, except on the
    weekdays in ``skip`` (Monday is 0)."""
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    return [
        (dt.datetime.combine(day, dt.time(12), BERLIN).astimezone(dt.UTC), "eu", 200)
        for day in days
        if day.weekday() not in skip
    ]


def verdicts_of(evaluation: Evaluation, objective: str = "availability") -> dict[str, Verdict]:
    return {v.scope_label: v for v in evaluation.verdicts if v.objective == objective}


def only(evaluation: Evaluation, objective: str = "availability") -> Verdict:
    (verdict,) = verdicts_of(evaluation, objective).values()
    return verdict


MID_OCTOBER = utc(2026, 10, 15, 12)


def maintenance_exclusion(notice: str = "5 days", cap: str = "1h") -> dict[str, Any]:
    return {
        "id": "planned",
        "kind": "maintenance",
        "description": "Announced maintenance.",
        "source": "maintenance",
        "notice": notice,
        "monthly_cap": cap,
    }


UPTIME = {
    "id": "uptime",
    "name": "Hourly uptime",
    "kind": "timeslice",
    "source": "requests",
    "slice": "1h",
    "good": "status < 500",
    "slice_target": "90%",
}


def uptime_agreement(no_traffic: str, **sections: Any) -> Agreement:
    objective = availability(indicator="uptime", target="99%", tolerance="50%")
    return requests_agreement(
        objective, indicators=[{**UPTIME, "no_traffic": no_traffic}], **sections
    )
