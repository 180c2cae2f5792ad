"""Incident metrics and obligations on time from the service's own records: a month of
incidents opened, acknowledged, updated and resolved through the services yields the MTTR
and the "status updates on time" of that month's verdicts, and a credit, through the job
the worker runs when the month closes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from accord.services.incidents import OpenIncident
from accord.services.portfolio import UploadVersion
from accord.services.scheduling import JobKind
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, World, agreement_document

SLUG = "acme-bravo-operations"


def _utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def _document() -> dict[str, Any]:
    document = agreement_document("bravo")
    document["metadata"]["id"] = SLUG
    document["escalation"] = [
        {
            "id": "operational",
            "levels": [
                {"level": 1, "party": "bravo", "owner": "Duty manager", "within": "30m",
                 "authority": "Roll back"},
            ],
        }
    ]  # fmt: skip
    document["incidents"] = {
        "escalation": "operational",
        "on_call": "Bravo NOC, 24x7",
        "severities": [
            {
                "id": "sev1",
                "name": "Critical",
                "classification": "Payments failing",
                "acknowledge": "15m",
                "update_every": "1h",
                "resolve": "4h",
            }
        ],
        "review": {"required_for": ["sev1"], "deadline": "5 business days"},
        "security_breach_notification": "24h",
    }
    document["sources"] += [
        {"id": "incident-records", "kind": "incidents", "format": "recorded"},
        {"id": "duties", "kind": "obligations", "format": "recorded"},
    ]
    document["indicators"] += [
        {"id": "mttr", "name": "Mean time to resolve", "kind": "incident_metric",
         "source": "incident-records", "metric": "mttr"},
        {"id": "updates", "name": "Status updates on time", "kind": "obligations_on_time",
         "source": "duties", "obligations": ["update"]},
    ]  # fmt: skip
    document["objectives"] = [
        {"id": "restore", "name": "Restore service", "indicator": "mttr", "target": "1h",
         "tolerance": "3h", "window": "month"},
        {"id": "updates-on-time", "name": "Status updates on time", "indicator": "updates",
         "target": "95%", "tolerance": "90%", "window": "month"},
    ]  # fmt: skip
    document["remedies"] = {
        "claim_window": "30 days",
        "credits": [
            {"id": "late-updates", "objectives": ["updates-on-time"], "basis": "1000 EUR",
             "tiers": [{"below": "95%", "credit": "5%"}], "cap": "10%"}
        ],
    }  # fmt: skip
    return document


class _Desk:
    """Acme opens incidents; Bravo's partner acknowledges, updates and resolves them, each
    at the instant the clock is set to."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.manager = world.principal("manager@acme.example")
        self.partner = world.principal("partner@bravo.example")

    def at(self, instant: dt.datetime) -> _Desk:
        self.world.clock.at = instant
        return self

    def open(self, **instants: dt.datetime) -> int:
        command = OpenIncident(
            agreement=SLUG, title="Payments failing", severity="sev1", **instants
        )
        return self.world.services.incidents.open(self.manager, command).id

    def acknowledge(self, incident: int) -> None:
        self.world.services.incidents.acknowledge(self.partner, incident)

    def update(self, incident: int) -> None:
        self.world.services.incidents.post_update(self.partner, incident, "Still on it.")

    def resolve(self, incident: int) -> None:
        self.world.services.incidents.resolve(self.partner, incident)


@pytest.fixture
def month(world: World) -> World:
    """October 2026, sev1 clocks (24x7): acknowledge in 15 minutes, update every hour."""
    world.clock.at = _utc(2026, 10, 1, 8)
    world.services.portfolio.upload(
        world.principal("manager@acme.example"), UploadVersion(text=json.dumps(_document()))
    )
    desk = _Desk(world)
    # A: impact 09:50, reported 10:00; acknowledged 10:10, update 10:40 (on time), resolved
    # 11:20: 90 minutes from the impact start.
    a = desk.at(_utc(2026, 10, 5, 10)).open(impact_started_at=_utc(2026, 10, 5, 9, 50))
    desk.at(_utc(2026, 10, 5, 10, 10)).acknowledge(a)
    desk.at(_utc(2026, 10, 5, 10, 40)).update(a)
    desk.at(_utc(2026, 10, 5, 11, 20)).resolve(a)
    # B: impact start not recorded, detected 14:00; acknowledged late at 14:30, its first
    # update late at 15:45 (due 15:30), resolved 16:00: 120 minutes from the detection.
    b = desk.at(_utc(2026, 10, 12, 14, 5)).open(detected_at=_utc(2026, 10, 12, 14))
    desk.at(_utc(2026, 10, 12, 14, 30)).acknowledge(b)
    desk.at(_utc(2026, 10, 12, 15, 45)).update(b)
    desk.at(_utc(2026, 10, 12, 16)).resolve(b)
    # C: impact 08:00; two updates on time; resolved 10:30: 150 minutes.
    c = desk.at(_utc(2026, 10, 20, 8, 30)).open(impact_started_at=_utc(2026, 10, 20, 8))
    desk.at(_utc(2026, 10, 20, 8, 35)).acknowledge(c)
    desk.at(_utc(2026, 10, 20, 9)).update(c)
    desk.at(_utc(2026, 10, 20, 9, 50)).update(c)
    desk.at(_utc(2026, 10, 20, 10, 30)).resolve(c)
    # D: still open when the month ends; its first update, due 23:05, never came. No
    # worker check has marked it missed: it lapsed at its due instant all the same.
    d = desk.at(_utc(2026, 10, 30, 22)).open()
    desk.at(_utc(2026, 10, 30, 22, 5)).acknowledge(d)
    return world


def _closing_run(world: World) -> None:
    world.clock.at = _utc(2026, 11, 2, 9)
    (job,) = [
        job
        for job in world.services.scheduling.due(CONSOLE)
        if job.agreement == SLUG and job.kind is JobKind.CLOSING
    ]
    assert job.period == "2026-10"
    assert world.services.scheduling.run(CONSOLE, job) is not None


def _verdicts(world: World) -> dict[str, tuple[str, Decimal | None]]:
    manager = world.principal("manager@acme.example")
    page = world.services.verdicts.verdicts(manager, SLUG, VerdictQuery(window="2026-10"))
    return {v.objective: (v.outcome, v.value) for v in page.items}


def test_a_month_of_recorded_incidents_yields_its_mttr_and_updates_on_time(
    month: World,
) -> None:
    _closing_run(month)

    verdicts = _verdicts(month)
    # (90 + 120 + 150) / 3 minutes; D is not resolved.
    assert verdicts["restore"] == ("deviation", Decimal(120 * 60))
    # Updates met on time: A's, C's two; missed: B's (late), D's (lapsed, never posted).
    assert verdicts["updates-on-time"] == ("breach", Decimal(3) / Decimal(5))


def test_late_status_updates_carry_their_credit(month: World) -> None:
    _closing_run(month)

    ledger = month.services.verdicts.credits(
        month.principal("manager@acme.example"), SLUG, "2026-10"
    )
    assert [(e.scheme, e.amount, e.currency) for e in ledger.entries] == [
        ("late-updates", Decimal("50.00"), "EUR")
    ]


def test_a_duty_met_after_the_evaluated_instant_is_still_open_then(month: World) -> None:
    manager = month.principal("manager@acme.example")
    month.clock.at = _utc(2026, 11, 2, 9)
    # As of 12 October 15:00, B's first update (due 15:30) was still open, and only A's
    # was settled: one met of one.
    asked = RunEvaluation(agreement=SLUG, period="2026-10", as_of=_utc(2026, 10, 12, 15))
    preview = month.services.verdicts.preview(manager, asked)
    values = {v["objective"]: v["value"] for v in preview["verdicts"]}
    assert Decimal(values["updates-on-time"]) == 1


def _made_final(world: World) -> None:
    """October closes five business days after it ends; the first run after that makes its
    verdicts final."""
    _closing_run(world)
    world.clock.at = _utc(2026, 11, 9, 9)
    (job,) = [
        job
        for job in world.services.scheduling.due(CONSOLE)
        if job.agreement == SLUG and job.kind is JobKind.FINAL
    ]
    assert world.services.scheduling.run(CONSOLE, job) is not None


def test_an_incident_resolved_after_its_month_closed_is_late_data(month: World) -> None:
    _made_final(month)
    books = month.services.books
    assert books.late_data(CONSOLE, SLUG).incidents == []
    [d] = month.services.incidents.list(CONSOLE, agreement=SLUG, states=("acknowledged",))
    desk = _Desk(month)
    # E opens and is resolved in November: placed in November, not late for October.
    e = desk.at(_utc(2026, 11, 20, 8)).open()
    desk.at(_utc(2026, 11, 20, 8, 30)).resolve(e)
    # D, reported on 30 October at 22:00, is resolved after October closed.
    desk.at(_utc(2026, 11, 20, 9)).resolve(d.id)

    late = books.late_data(CONSOLE, SLUG)

    assert [(i.incident, i.windows, i.changes) for i in late.incidents] == [
        (d.id, ["2026-10"], ["resolved at 2026-11-20T09:00:00+00:00"])
    ]
    assert late.sources == {"incident-records": {"incidents": 1, "windows": ["2026-10"]}}
    # October's MTTR would take in D's 29,460 minutes; the final verdict stays as it was.
    [change] = late.changes
    assert (change.objective, change.window, change.final_value) == ("restore", "2026-10", "7200")
    assert Decimal(str(change.value)) == Decimal((90 + 120 + 150 + 29460) * 60) / 4
    assert _verdicts(month)["restore"] == ("deviation", Decimal(120 * 60))
