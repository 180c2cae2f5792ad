"""The governance review pack: the period's verdicts and credits, compliance findings, term,
open obligations and the commitments to rate, for those who see the agreement."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from accord.reports.review import review_html
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.reviews import RateCommitment, RecordDecision
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


def test_both_sides_rate_and_a_decision_with_a_due_date_is_an_obligation(world: World) -> None:
    governed(world)
    partner = world.principal("partner@bravo.example")
    manager = world.principal("manager@acme.example")
    rating = RateCommitment(
        agreement="acme-bravo", period="2026-Q4", commitment="early-warning", rating=4
    )
    world.services.reviews.rate(partner, rating)
    world.services.reviews.rate(manager, replace(rating, rating=2, comment="told us late"))
    world.services.reviews.decide(
        manager,
        RecordDecision(
            agreement="acme-bravo",
            period="2026-Q4",
            text="Share a capacity forecast monthly",
            owner="bravo",
            due_on=dt.date(2027, 1, 31),
        ),
    )
    pack = world.services.reviews.pack(CONSOLE, "acme-bravo", "2026-Q4")
    assert [(r.party, r.rating, r.comment) for r in pack.ratings] == [
        ("bravo", 4, ""),
        ("acme", 2, "told us late"),
    ]
    (decision,) = pack.decisions
    assert (decision.owner, decision.due_on) == ("bravo", dt.date(2027, 1, 31))
    (duty,) = [d for d in pack.obligations if d.kind == "review_action"]
    assert (duty.party, duty.due_at) == ("bravo", dt.datetime(2027, 1, 31, 23, tzinfo=dt.UTC))
    assert "Share a capacity forecast monthly" in review_html(pack)
    assert list(world.services.audit.export(CONSOLE))[-1]["action"] == "obligation.scheduled"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"rating": 6}, "rating: 6 is not from 1"),
        ({"commitment": "speed"}, "commitment: no 'speed' in the agreement"),
    ],
)
def test_a_bad_rating_is_refused_naming_the_field(
    world: World, change: dict[str, object], named: str
) -> None:
    governed(world)
    command = RateCommitment(
        agreement="acme-bravo", period="2026-Q4", commitment="early-warning", rating=3
    )
    with pytest.raises(Invalid, match=named):
        world.services.reviews.rate(CONSOLE, replace(command, **change))  # type: ignore[arg-type]


def test_an_auditor_reads_the_record_but_does_not_rate_nor_another_tenant(world: World) -> None:
    governed(world)
    auditor = world.principal("auditor@acme.example")
    with pytest.raises(Forbidden):
        world.services.reviews.rate(
            auditor,
            RateCommitment(
                agreement="acme-bravo", period="2026-Q4", commitment="early-warning", rating=3
            ),
        )
    assert world.services.reviews.record(auditor, "acme-bravo", "2026-Q4").ratings == []
    with pytest.raises(NotFound):
        world.services.reviews.rate(
            world.principal("partner@charlie.example"),
            RateCommitment(
                agreement="acme-bravo", period="2026-Q4", commitment="early-warning", rating=3
            ),
        )
