"""Retention of audit logs and dispute evidence: bravo disputes October's credit; months later
the purge removes the content of the agreement's old audit entries, the files of decided
disputes and the batches of October, while the chain, its signatures and an earlier
checkpoint still verify; an open dispute and a legal hold keep what they reference; an entry
emptied by hand is still an edit."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from accord.core.disputes import DisputeOutcome
from accord.services.disputes import (
    DecideDispute,
    EvidenceData,
    EvidenceFile,
    RaiseDispute,
    Submission,
)
from accord.services.ingestion import PushBatch
from accord.services.ledger import CreditState, LedgerStep
from accord.services.portfolio import UploadVersion
from accord.services.retention import PlaceHold
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, agreement_document, data_handling, events

SEPTEMBER_1 = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
AFTER_CLOSE = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
#: 90 days after the dispute: past the 30 days both rules keep.
LATER = dt.datetime(2027, 2, 10, 9, tzinfo=dt.UTC)
DISPUTES = {
    "raise_within": "30 days",
    "steps": [
        {"name": "Operational review", "within": "5 business days", "decided_by": "Managers"}
    ],
}
RULES = [
    {"data": "request logs", "period": "30 days", "applies_to": "performance_data"},
    {"data": "audit trail of the agreement", "period": "30 days", "applies_to": "audit_logs"},
    {"data": "dispute evidence", "period": "30 days", "applies_to": "evidence"},
]


@pytest.fixture
def disputed(world: World) -> World:
    """Version 2 (from 1 September) keeps audit logs and evidence 30 days; bravo disputes
    October's claimed credit on 9 November with a file."""
    world.clock.at = SEPTEMBER_1
    manager = world.principal("manager@acme.example")
    document = agreement_document("bravo", version="2")
    document["disputes"] = DISPUTES
    document["data_handling"] = data_handling(retention=RULES)
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    world.clock.at = AFTER_CLOSE
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    world.services.ledger.step(
        manager,
        LedgerStep(
            agreement="acme-bravo",
            scheme="availability-credits",
            window="2026-10",
            state=CreditState.CLAIMED,
        ),
    )
    world.services.disputes.raise_(
        world.principal("partner@bravo.example"),
        RaiseDispute(
            agreement="acme-bravo",
            submission=Submission(
                text="The failures of 2 October were acme's own deployment.",
                files=(EvidenceFile("deploy log.txt", b"02 Oct 10:14 acme deploy 4.2\n"),),
            ),
            scheme="availability-credits",
            window="2026-10",
            amount=Decimal(0),
        ),
    )
    return world


def _decide(world: World) -> None:
    world.clock.at = AFTER_CLOSE + dt.timedelta(days=1)
    world.services.disputes.decide(
        world.principal("manager@acme.example"),
        DecideDispute(
            agreement="acme-bravo",
            dispute=1,
            outcome=DisputeOutcome.REJECTED,
            reason="The deployment was bravo's.",
        ),
    )


def _evidence_files(world: World) -> list[Path]:
    return sorted((world.services.context.data_dir / "disputes").rglob("*deploy_log.txt"))


def _trail(world: World) -> list[dict[str, Any]]:
    return list(world.services.audit.export(CONSOLE))


def test_old_entries_lose_their_content_and_the_trail_still_verifies(disputed: World) -> None:
    world = disputed
    _decide(world)
    checkpoint = world.services.audit.anchor(CONSOLE)
    before = {entry["seq"]: entry for entry in _trail(world)}
    world.clock.at = LATER

    (purged,) = [item for item in world.services.retention.purge(CONSOLE).agreements]

    assert purged.audit_entries_removed > 0
    assert purged.removed == ["requests/october"]
    assert purged.evidence_removed == ["dispute 1: deploy_log.txt"]
    assert _evidence_files(world) == []
    after = _trail(world)
    redacted = [entry for entry in after if entry["action"] == "redacted"]
    assert len(redacted) == purged.audit_entries_removed
    assert all(entry["actor"] == "" and entry["after"] is None for entry in redacted)
    # What was redacted was bravo's agreement, its obligations and its dispute …
    assert {before[entry["seq"]]["entity"] for entry in redacted} >= {
        "agreement",
        "dispute",
        "obligation",
    }
    # … never users, the other agreement, or the seals of the credit ledger and verdicts.
    kept_entities = {before[e["seq"]]["entity"] for e in redacted}
    assert not kept_entities & {"user", "token", "organisation", "credit_entry", "credit_claim"}
    assert not any(before[e["seq"]]["entity_id"] == "acme-charlie" for e in redacted)
    records = [e for e in after if e["action"] == "retention.purged"]
    assert [record["after"]["data"] for record in records] == [
        "performance_data",
        "evidence",
        "audit_logs",
    ]
    assert records[-1]["after"]["entries"] == purged.audit_entries_removed
    check = world.services.audit.verify(CONSOLE, checkpoint)
    assert check.ok, check.findings
    assert world.services.retention.purge(CONSOLE).agreements[0].audit_entries_removed == 0


def test_an_entry_emptied_by_hand_is_still_an_edit(disputed: World) -> None:
    world = disputed
    world.clock.at = LATER
    world.services.retention.purge(CONSOLE)
    intact = next(entry for entry in _trail(world) if entry["entity"] == "user")
    with world.services.context.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE audit_entries SET actor = '', action = 'redacted', entity = '', "
                "entity_id = '', before = NULL, after = NULL WHERE seq = :seq"
            ),
            {"seq": intact["seq"]},
        )

    findings = world.services.audit.verify(CONSOLE).findings
    assert [(f.seq, f.kind) for f in findings] == [(intact["seq"], "edited")]


def test_an_open_dispute_keeps_its_entries_and_its_evidence(disputed: World) -> None:
    world = disputed
    world.clock.at = LATER

    (purged,) = world.services.retention.purge(CONSOLE).agreements

    assert purged.audit_entries_kept_by_disputes > 0
    assert (purged.removed, purged.held) == ([], ["requests/october"])  # October is disputed
    assert purged.evidence_removed == []
    assert len(_evidence_files(world)) == 1
    trail = _trail(world)
    disputes = [e for e in trail if e["entity"] == "dispute"]
    assert disputes
    assert all(entry["after"] is not None for entry in disputes)
    assert world.services.audit.verify(CONSOLE).ok


def test_a_legal_hold_keeps_what_its_span_covers(disputed: World) -> None:
    world = disputed
    _decide(world)
    world.services.retention.place_hold(
        world.principal("manager@acme.example"),
        PlaceHold(
            agreement="acme-bravo",
            reason="Litigation about October",
            held_from=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            held_until=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        ),
    )
    world.clock.at = LATER

    (purged,) = world.services.retention.purge(CONSOLE).agreements

    assert purged.evidence_held == ["dispute 1: deploy_log.txt"]
    assert purged.evidence_removed == []
    assert len(_evidence_files(world)) == 1
    assert purged.audit_entries_kept_by_holds > 0
    assert purged.audit_entries_removed > 0  # September's entries are outside the hold
    november = [
        e for e in _trail(world) if e["at"].startswith("2026-11") and e["entity"] == "dispute"
    ]
    assert november
    assert all(entry["action"] != "redacted" for entry in november)
    assert world.services.audit.verify(CONSOLE).ok


def test_a_dry_run_redacts_and_removes_nothing(disputed: World) -> None:
    world = disputed
    _decide(world)
    world.clock.at = LATER
    before = _trail(world)

    report = world.services.retention.purge(CONSOLE, dry_run=True)

    assert report.agreements[0].audit_entries_removed > 0
    assert "would remove" in report.summary()
    assert _trail(world) == before
    assert len(_evidence_files(world)) == 1


def test_purged_evidence_leaves_its_record_marked_and_its_data_rows_go_too(
    disputed: World,
) -> None:
    world = disputed
    rows = "ts,request_id,http_status\n2026-10-02T00:00:00Z,p1,200\n2026-10-02T00:05:00Z,p2,x\n"
    world.services.disputes.respond(
        world.principal("partner@bravo.example"),
        "acme-bravo",
        1,
        Submission(
            text="Our probes.",
            data=(EvidenceData("requests", EvidenceFile("probes.csv", rows.encode())),),
        ),
    )
    folder = world.services.context.data_dir / "disputes"
    assert list(folder.rglob("*-probes.csv.checked/rows/requests/*.parquet"))
    assert list(folder.rglob("*-probes.csv.checked/rejected/requests/*/requests.csv"))
    _decide(world)
    world.clock.at = LATER

    (purged,) = world.services.retention.purge(CONSOLE).agreements

    assert purged.evidence_removed == ["dispute 1: deploy_log.txt", "dispute 1: probes.csv"]
    assert [path for path in folder.rglob("*") if path.is_file()] == []
    shown = world.services.disputes.show(CONSOLE, "acme-bravo", 1)
    assert [(e.reference, e.purged_at) for e in shown.evidence] == [
        ("deploy_log.txt", LATER),
        ("probes.csv", LATER),
    ]
    assert world.services.disputes.compare(CONSOLE, "acme-bravo", 1).data == []
    again = world.services.retention.purge(CONSOLE).agreements
    assert [item.evidence_removed for item in again] in ([], [[]])
