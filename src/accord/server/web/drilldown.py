"""The verdict page's drill-down: the first items behind a verdict (late tickets first, bad
slices, worst hours in the agreement's local time) as a table, and all of them as CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from fastapi.responses import Response

from accord.server.downloads import verdict_items_csv
from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal
from accord.server.web.rendering import percent
from accord.services.drilldown import MAX_ITEMS, ItemsPage
from accord.services.errors import Invalid, NotFound
from accord.services.permissions import Principal

__all__ = ["SHOWN", "DrillView", "drill_view", "router"]

router = APIRouter()

#: How many items the verdict page shows; the CSV has them all.
SHOWN: Final = 20
_LATE: Final = ("late", "overdue")
_TITLES: Final = {
    "tickets": "Tickets",
    "bad_slices": "Bad slices",
    "worst_hours": "Worst hours",
}
_COLUMNS: Final = {
    "tickets": ("Ticket", "Started", "Due", "Ended", "Business time", "Status"),
    "bad_slices": ("Start", "End", "Events", "Good events", "Why"),
    "worst_hours": ("Hour (local time)", "Bad events", "Valid events", "Bad share"),
}


@dataclass(frozen=True)
class DrillView:
    """What the verdict page shows of the drill-down."""

    kind: str | None
    title: str = "Drill-down"
    total: int = 0
    columns: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)
    #: In words: how many items of each status, and what is shown.
    summary: str = ""
    #: Why there is no drill-down (data that cannot be read again).
    problem: str | None = None


def drill_view(
    services: ServicesDep, principal: Principal, slug: str, verdict_id: int
) -> DrillView:
    """The first items of the verdict, late tickets first."""
    try:
        found = services.drilldowns.items(principal, slug, verdict_id, limit=MAX_ITEMS)
    except Invalid as exc:
        return DrillView(kind=None, problem=str(exc))
    if found.kind is None:
        return DrillView(kind=None)
    zone = ZoneInfo(found.timezone)
    items = found.items
    if found.kind == "tickets":
        items = sorted(items, key=lambda item: item["status"] not in _LATE)
    rows = [_row(found.kind, item, zone) for item in items[:SHOWN]]
    return DrillView(
        kind=found.kind,
        title=_TITLES[found.kind],
        total=found.total,
        columns=_COLUMNS[found.kind],
        rows=rows,
        summary=_summary(found, len(rows)),
    )


def _summary(found: ItemsPage, shown: int) -> str:
    counts = "; ".join(f"{n:,} {status}" for status, n in sorted(found.counts.items()))
    noun = {"tickets": "tickets", "bad_slices": "bad slices", "worst_hours": "worst hours"}
    parts = [f"{found.total:,} {noun.get(found.kind or '', 'items')}"]
    if counts:
        parts[0] += f" ({counts})"
    if shown < found.total:
        parts.append(f"the first {shown:,} shown")
    if found.kind == "tickets":
        parts.append("late ones first")
    return f"{', '.join(parts)}. Times in {found.timezone}, with their UTC offset."


def _local(text: str | None, zone: ZoneInfo) -> str:
    if not text:
        return "—"
    return dt.datetime.fromisoformat(text).astimezone(zone).strftime("%Y-%m-%d %H:%M %z")


def _business(seconds: str) -> str:
    minutes = int(Decimal(seconds) // 60)
    return f"{minutes // 60}h {minutes % 60:02d}m"


def _row(kind: str, item: dict[str, Any], zone: ZoneInfo) -> tuple[str, ...]:
    if kind == "tickets":
        return (
            str(item["key"]),
            _local(item["start"], zone),
            _local(item["due"], zone),
            _local(item["end"], zone) if item["end"] else "open",
            _business(item["business_seconds"]),
            str(item["status"]),
        )
    if kind == "bad_slices":
        good = item["good"]
        return (
            _local(item["start"], zone),
            _local(item["end"], zone),
            f"{item['events']:,}",
            "—" if good is None else f"{good:,}",
            str(item["reason"]),
        )
    share = percent(Decimal(item["bad"]) / item["valid"], 2) if item["valid"] else "—"
    return (_local(item["hour"], zone), f"{item['bad']:,}", f"{item['valid']:,}", share)


@router.get("/agreements/{slug}/verdicts/{verdict_id}/items.csv", include_in_schema=False)
def items_csv(
    slug: str, verdict_id: int, principal: PagePrincipal, services: ServicesDep
) -> Response:
    """Every item behind the verdict as CSV."""
    if not 1 <= verdict_id <= 2**31:
        raise NotFound(f"agreement {slug!r} has no verdict {verdict_id}")
    return verdict_items_csv(services, principal, slug, verdict_id)
