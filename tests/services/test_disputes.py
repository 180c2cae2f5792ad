"""Disputes: bravo disputes October's credit; the first step of the ladder lapses and the
dispute escalates by itself at the step's due instant (the worker's tick, the clock moved, no
sleeping); the outcome adjusts the ledger with a new entry naming the dispute, and the
verdict is never edited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.core.disputes import DisputeOutcome
from accord.services.disputes import DecideDispute, EvidenceFile, RaiseDispute, Submission
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.ledger import CreditState, LedgerQuery, LedgerStep
from accord.services.obligations import ObligationQuery
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from accord.worker.tick import tick
from tests.services.world import CONSOLE, World, agreement_document, events

BERLIN = ZoneInfo("Europe/Berlin")
AFTER_CLOSE = dt.datetime(2026, 11, 9, 9, tzinfo=dt.UTC)
#: 5 business days from the day after 9 November: the end of Monday 16 November, Berlin.
STEP_1_DUE = dt.datetime(2026, 11, 17, tzinfo=BERLIN)
DISPUTES = {
    "raise_within": "30 days",
    "steps": [
        {"name": "Operational review", "within": "5 business days", "decided_by": "Managers"},
        {"name": "Executive meeting", "within": "10 business days", "decided_by": "CIO and CEO"},
    ],
    "mediation": {"provider": "DIS mediation, Frankfurt", "costs": "Shared equally"},
}  # fmt: skip


def _text(disputes: dict[str, Any] | None = DISPUTES) -> str:
    document = agreement_document("bravo", version="2")
    if disputes is not None:
        document["disputes"] = disputes
    return json.dumps(document)


def _evaluate(world: World) -> None:
    world.services.verdicts.evaluate(
        world.principal("manager@acme.example"),
        RunEvaluation(agreement="acme-bravo", period="2026-10"),
    )


@pytest.fixture
def claimed(world: World) -> World:
    return claim_october(world)


def claim_october(world: World) -> World:
    """October's credit (98% against 99%: 100 EUR) is final, claimed by acme on 9 November,
    under version 2, which declares the dispute ladder from 1 September."""
    world.clock.at = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_text()))
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
    _evaluate(world)
    world.services.ledger.step(
        manager,
        LedgerStep(
            agreement="acme-bravo",
            scheme="availability-credits",
            window="2026-10",
            state=CreditState.CLAIMED,
        ),
    )
    return world


def _credit(world: World) -> Any:
    report = world.services.ledger.report(CONSOLE, LedgerQuery(agreement="acme-bravo"))
    (line,) = report.lines
    return line


def _raise(world: World, **fields: Any) -> Any:
    submission = fields.pop(
        "submission",
        Submission(
            text="The failures of 2 October were caused by acme's own deployment.",
            files=(EvidenceFile("deploy log.txt", b"02 Oct 10:14 acme deploy 4.2\n"),),
            links=("https://status.bravo.example/incidents/17",),
        ),
    )
    command = RaiseDispute(
        agreement="acme-bravo",
        submission=submission,
        **{"scheme": "availability-credits", "window": "2026-10", "amount": Decimal(0), **fields},
    )
    return world.services.disputes.raise_(world.principal("partner@bravo.example"), command)


def test_a_credit_dispute_escalates_by_itself_and_its_outcome_adjusts_the_ledger(
    claimed: World,
) -> None:
    raised = _raise(claimed)
    assert (raised.state, raised.step, raised.step_name) == ("open", 1, "Operational review")
    assert raised.step_due_at == STEP_1_DUE
    assert _credit(claimed).state == "disputed"
    october_before = _october_verdicts(claimed)

    claimed.clock.at = STEP_1_DUE  # the due instant itself is still in time
    assert tick(claimed.services).disputes_escalated == ()
    claimed.clock.at = STEP_1_DUE + dt.timedelta(days=2)
    report = tick(claimed.services)
    ((escalated),) = report.disputes_escalated
    assert (escalated.step, escalated.step_name) == (2, "Executive meeting")
    assert escalated.decided_by_authority == "CIO and CEO"
    assert escalated.events[-1].kind == "escalated"
    assert escalated.events[-1].at == claimed.clock.at  # recorded now …
    assert STEP_1_DUE.astimezone(dt.UTC).isoformat() in escalated.events[-1].text  # … lapse
    duties = claimed.services.obligations.list(CONSOLE, _duties_query())
    assert [(d.subject.split(":")[0], d.state) for d in duties] == [
        ("dispute 1, step 1", "missed"),
        ("dispute 1, step 2", "open"),
    ]
    assert duties[1].trigger_at == STEP_1_DUE
    assert duties[1].party == "acme"  # bravo raised it: acme answers

    decided = claimed.services.disputes.decide(
        claimed.principal("manager@acme.example"),
        DecideDispute(
            agreement="acme-bravo",
            dispute=raised.id,
            outcome=DisputeOutcome.ADJUSTED,
            reason="half of the failures followed acme's deployment",
            amount=Decimal(50),
        ),
    )
    assert (decided.state, decided.outcome, decided.outcome_amount) == (
        "decided",
        "adjusted",
        Decimal(50),
    )
    line = _credit(claimed)
    assert (line.owed, line.state, line.entries) == (Decimal(50), "accepted", 2)
    credits = claimed.services.verdicts.credits(CONSOLE, "acme-bravo", "2026-10")
    assert any("dispute 1" in entry.reason for entry in credits.entries)
    assert _october_verdicts(claimed) == october_before  # the verdict is never edited
    assert claimed.services.audit.verify(CONSOLE).ok


def _october_verdicts(world: World) -> list[Any]:
    page = world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    return [v for v in page.items if v.window == "2026-10"]


def _duties_query() -> ObligationQuery:
    return ObligationQuery(agreement="acme-bravo", kinds=("dispute_step",))


def test_evidence_is_stored_with_its_hash_and_both_parties_see_the_exchange(
    claimed: World, tmp_path: Path
) -> None:
    raised = _raise(claimed)
    content = b"02 Oct 10:14 acme deploy 4.2\n"
    link, file = raised.evidence
    assert (file.kind, file.reference, file.sha256, file.size) == (
        "file",
        "deploy_log.txt",
        hashlib.sha256(content).hexdigest(),
        len(content),
    )
    assert link.reference == "https://status.bravo.example/incidents/17"
    stored = list((tmp_path / "data" / "disputes").rglob(f"{file.sha256}-*"))
    assert [path.read_bytes() for path in stored] == [content]
    answered = claimed.services.disputes.respond(
        claimed.principal("manager@acme.example"),
        "acme-bravo",
        raised.id,
        Submission(text="Our deployment was at 11:00, after the failures."),
    )
    seen = claimed.services.disputes.show(
        claimed.principal("auditor@bravo.example"), "acme-bravo", raised.id
    )
    assert [(e.kind, e.party) for e in seen.events] == [("raised", "bravo"), ("responded", "acme")]
    assert [e.text for e in seen.events] == [e.text for e in answered.events]
    assert seen.events[1].actor == "company staff"  # partners see the company's people so


def test_a_dispute_is_raised_in_time_and_only_under_a_declared_procedure(
    claimed: World,
) -> None:
    claimed.clock.at = AFTER_CLOSE + dt.timedelta(days=31)
    with pytest.raises(Invalid, match="too late: a dispute is raised within 30 days"):
        _raise(claimed)
    claimed.clock.at = AFTER_CLOSE
    claimed.services.portfolio.upload(
        claimed.principal("manager@acme.example"), UploadVersion(text=_text(None))
    )
    with pytest.raises(Conflict, match="declares no dispute procedure"):
        _raise(claimed)


def test_a_verdict_dispute_is_upheld_or_rejected_never_adjusted(claimed: World) -> None:
    verdict = claimed.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items[0]
    raised = _raise(claimed, scheme=None, window=None, amount=None, verdict=verdict.id)
    assert (raised.subject, raised.window) == ("verdict", "2026-10")
    manager = claimed.principal("manager@acme.example")
    with pytest.raises(Invalid, match="restatement"):
        claimed.services.disputes.decide(
            manager,
            DecideDispute(
                agreement="acme-bravo",
                dispute=raised.id,
                outcome=DisputeOutcome.ADJUSTED,
                reason="x",
                amount=Decimal(1),
            ),
        )
    rejected = claimed.services.disputes.decide(
        manager,
        DecideDispute(
            agreement="acme-bravo", dispute=raised.id, outcome=DisputeOutcome.REJECTED, reason="no"
        ),
    )
    assert rejected.outcome == "rejected"
    assert _credit(claimed).owed == Decimal(100)
    with pytest.raises(Conflict, match="already decided"):
        claimed.services.disputes.respond(manager, "acme-bravo", raised.id, Submission(text="more"))


def test_a_party_escalates_and_the_ladder_ends_in_mediation(claimed: World) -> None:
    raised = _raise(claimed)
    bravo = claimed.principal("partner@bravo.example")
    second = claimed.services.disputes.escalate(bravo, "acme-bravo", raised.id, "no answer")
    assert second.step == 2
    third = claimed.services.disputes.escalate(bravo, "acme-bravo", raised.id, "deadlock")
    assert (third.step, third.step_name, third.step_due_at) == (3, "Mediation", None)
    with pytest.raises(Conflict, match="last step"):
        claimed.services.disputes.escalate(bravo, "acme-bravo", raised.id, "again")


def test_only_the_company_records_an_outcome_and_other_partners_see_nothing(
    claimed: World,
) -> None:
    raised = _raise(claimed)
    with pytest.raises(NotFound):
        claimed.services.disputes.show(
            claimed.principal("partner@charlie.example"), "acme-bravo", raised.id
        )
    assert claimed.services.disputes.list(claimed.principal("partner@charlie.example")) == []
    with pytest.raises(Forbidden):
        claimed.services.disputes.decide(
            claimed.principal("partner@bravo.example"),
            DecideDispute(
                agreement="acme-bravo",
                dispute=raised.id,
                outcome=DisputeOutcome.UPHELD,
                reason="we say so",
            ),
        )
