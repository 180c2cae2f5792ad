"""Chronic-failure and consistency findings: recorded by the run that finds them (a changed
one appended, an unchanged one not), served by the service and the API, and counted in the
ledger where the agreement gives the clause or the consistency rule a credit."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from accord.services.errors import Invalid
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, agreement_document, events

OCTOBER = RunEvaluation(agreement="acme-regional", period="2026-10")


def regional_document(*, credits: bool = True) -> dict[str, Any]:
    """acme-regional: availability per region (99%, breach below 96%), consistency across
    regions within 1%, and a chronic clause (1 breach within 2 months) — with credits of
    500 EUR (chronic) and 200 EUR (consistency) when ``credits``."""
    document = agreement_document("bravo")
    document["metadata"] = {"id": "acme-regional", "title": "Regional", "version": "1"}
    document["sources"][0]["columns"]["region"] = {"column": "region", "type": "string"}
    objective = document["objectives"][0]
    objective |= {"tolerance": "96%", "scope": ["region"]}
    objective["consistency"] = {"across": "region", "max_spread": "1%"}
    chronic = {
        "id": "chronic-availability",
        "objectives": ["availability"],
        "breaches": 1,
        "within_windows": 2,
        "consequence": "Acme may terminate.",
    }
    if credits:
        objective["consistency"]["credit"] = "200 EUR"
        chronic["credit"] = "500 EUR"
    document["remedies"]["chronic"] = [chronic]
    return document


def regional_world(world: World, *, credits: bool = True) -> World:
    text = json.dumps(regional_document(credits=credits))
    world.services.portfolio.upload(
        world.principal("manager@acme.example"), UploadVersion(text=text)
    )
    eu = [{**e, "region": "eu"} for e in events(500, prefix="eu")]
    us = [{**e, "region": "us"} for e in events(500, prefix="us", failing_every=20)]  # 95%
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(agreement="acme-regional", source="requests", batch_id="oct", events=eu + us),
    )
    return world


def test_findings_are_recorded_and_served(world: World) -> None:
    regional_world(world)
    world.services.verdicts.evaluate(CONSOLE, OCTOBER)

    chronic, consistency = world.services.findings.current(CONSOLE, "acme-regional")
    assert (chronic.kind, chronic.subject, chronic.window, chronic.outcome) == (
        "chronic",
        "chronic-availability",
        "2026-10",
        "triggered",
    )
    assert chronic.finding["breached_windows"] == ["2026-10"]
    assert (consistency.kind, consistency.subject, consistency.outcome) == (
        "consistency",
        "availability",
        "breach",
    )
    assert consistency.finding["worst_scope"] == "region=us"
    assert consistency.finding["spread"] == "0.05"
    [only] = world.services.findings.current(CONSOLE, "acme-regional", "consistency")
    assert only == consistency
    with pytest.raises(Invalid, match="no finding kind"):
        world.services.findings.current(CONSOLE, "acme-regional", "gossip")


def test_an_unchanged_finding_is_not_recorded_again(world: World) -> None:
    regional_world(world)
    world.services.verdicts.evaluate(CONSOLE, OCTOBER)
    world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-regional", period="2026-10", reason="again")
    )
    runs = {finding.run for finding in world.services.findings.current(CONSOLE, "acme-regional")}
    assert len(runs) == 1
    actions = world.services.audit.entries(CONSOLE, limit=100)
    recorded = [e for e in actions if e["action"] == "evaluation.recorded"]
    assert sorted(len(e["after"].get("findings", [])) for e in recorded) == [0, 2]


def test_findings_count_in_the_ledger_where_the_agreement_gives_them_a_credit(
    world: World,
) -> None:
    regional_world(world)
    world.services.verdicts.evaluate(CONSOLE, OCTOBER)

    balances = {
        b.scheme: b.amount
        for b in world.services.verdicts.credits(CONSOLE, "acme-regional", "2026-10").balances
    }
    assert balances == {
        "availability-credits": Decimal("100.00"),
        "chronic-availability": Decimal("500.00"),
        "consistency-availability": Decimal("200.00"),
    }
    entries = world.services.verdicts.credits(CONSOLE, "acme-regional", "2026-10").entries
    reasons = {e.scheme: e.reason for e in entries}
    assert (
        "chronic failure chronic-availability: 1 of the last 2 windows breached (2026-10)"
        in (reasons["chronic-availability"])
    )
    assert "region=us and region=eu differ by more than 1%" in reasons["consistency-availability"]


def test_findings_without_a_credit_book_nothing(world: World) -> None:
    regional_world(world, credits=False)
    world.services.verdicts.evaluate(CONSOLE, OCTOBER)

    schemes = {
        b.scheme
        for b in world.services.verdicts.credits(CONSOLE, "acme-regional", "2026-10").balances
    }
    assert schemes == {"availability-credits"}
    assert len(world.services.findings.current(CONSOLE, "acme-regional")) == 2
