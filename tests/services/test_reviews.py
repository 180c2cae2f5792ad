"""The governance review pack: the period's verdicts and credits, compliance findings, term,
open obligations and the commitments to rate, for those who see the agreement."""

from __future__ import annotations

import json

import pytest

from accord.services.errors import Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, agreement_document, data_handling, events


def governed(world: World) -> None:
    document = agreement_document("bravo", version="2")
    document["governance"] = {
        "review_cadence": "quarterly",
        "participants": ["acme", "bravo"],
        "data_sharing": "Monthly exports.",
    }
    document["commitments"] = [
        {"id": "early-warning", "party": "bravo", "behaviour": "Warn of capacity limits early."}
    ]
    document["data_handling"] = data_handling(certifications=["ISO/IEC 27001"])
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="b1",
            events=events(200, failing_every=5),
        ),
    )
    world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    world.services.obligations.check(CONSOLE)


def test_the_quarter_s_pack_gathers_what_the_review_needs(world: World) -> None:
    governed(world)
    pack = world.services.reviews.pack(
        world.principal("partner@bravo.example"), "acme-bravo", "2026-Q4"
    )
    assert (pack.cadence, pack.participants, pack.previous_period) == (
        "quarterly",
        ("Acme Retail", "Bravo"),
        "2026-Q3",
    )
    assert [(v.objective, v.window, v.outcome) for v in pack.results.verdicts] == [
        ("availability", "2026-10", "breach")
    ]
    assert pack.results.credits
    assert [f.kind.value for f in pack.findings] == ["certification_missing", "declaration_missing"]
    assert {d.kind for d in pack.obligations} == {"renewal_notice", "termination_notice"}
    assert [(c.id, c.party) for c in pack.commitments] == [("early-warning", "Bravo")]
    assert pack.term.initial_term_end is not None


def test_only_those_who_see_the_agreement_get_its_pack(world: World) -> None:
    with pytest.raises(NotFound):
        world.services.reviews.pack(
            world.principal("partner@charlie.example"), "acme-bravo", "2026-Q4"
        )
    with pytest.raises(Invalid, match="monthly"):
        world.services.reviews.pack(CONSOLE, "acme-bravo", "2026-W44")
