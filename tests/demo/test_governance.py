"""The demo's governance story on the test world: bravo proposes, acme approves, bravo
disputes October's verdict and acme answers."""

from __future__ import annotations

import json

from accord.demo.governance import amend_and_dispute, amended_text
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, agreement_document, events


def _governed_text() -> str:
    document = agreement_document("bravo", version="2")
    document["change_management"] = {
        "notice": "30 days",
        "approval": ["acme", "bravo"],
        "rollback": "a new amendment",
    }
    document["disputes"] = {
        "raise_within": "60 days",
        "steps": [{"name": "Review", "within": "5 business days", "decided_by": "Managers"}],
    }
    return json.dumps(document, indent=2)


def test_the_story_amends_and_disputes(world: World) -> None:
    services = world.services
    manager = world.principal("manager@acme.example")
    text = _governed_text()
    services.portfolio.upload(manager, UploadVersion(text=text))
    services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(100, failing_every=10),
        ),
    )
    services.verdicts.evaluate(manager, RunEvaluation(agreement="acme-bravo", period="2026-10"))
    proposal = amended_text(text, {'"tolerance": "90%"': '"tolerance": "85%"'})
    assert proposal is not None
    story = amend_and_dispute(
        services, (world.principal("partner@bravo.example"), manager), "acme-bravo", proposal
    )
    assert story.lines[0] == "amendment 1 proposed by bravo (loosened); awaiting acme"
    assert story.lines[1].startswith("amendment 1 approved: version 3 takes effect 2026-12-03")
    assert story.lines[2].startswith("dispute 1 of the 2026-10 availability verdict: step 1")
    (dispute,) = services.disputes.list(CONSOLE, "acme-bravo")
    assert [e.kind for e in dispute.events] == ["raised", "responded"]


def test_a_replacement_that_is_not_found_gives_no_text() -> None:
    assert amended_text("a: 1", {"b": "c"}) is None
    assert amended_text("a: 1\na: 1", {"a": "b"}) == "b: 1\na: 1"
