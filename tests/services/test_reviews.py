"""The governance review pack: the period's verdicts and credits, compliance findings, term,
open obligations and the commitments to rate, for those who see the agreement."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from accord.bootstrap import build
from accord.reports.review import review_html
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.obligations import ObligationQuery
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.services.ports import FixedClock
from accord.services.reviews import RateCommitment, RecordDecision, RecordMinutes
from accord.services.verdicts import RunEvaluation
from accord.settings import Settings
from tests.mailbox import Mailbox
from tests.services.world import (
    CONSOLE,
    FAST_HASHES,
    NOW,
    World,
    agreement_document,
    data_handling,
    events,
    populate,
)


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
    assert {d.kind for d in pack.obligations} == {
        "renewal_notice",
        "termination_notice",
        "governance_review",  # this quarter's own review, scheduled from the cadence
    }
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
    # Its key names its review, so that pages link the duty to that review.
    duties = world.services.obligations.list(CONSOLE, ObligationQuery(agreement="acme-bravo"))
    (action,) = [d for d in duties if d.kind == "review_action"]
    assert action.key.startswith("review_action:2026-Q4:")
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


# Reviews scheduled from the cadence, with the participants invited by e-mail.

WORKER = Principal.console("worker")
#: The fourth quarter ends at 1 January 2027 00:00 in Berlin; its review is due a month on.
Q4_ENDS = dt.datetime(2026, 12, 31, 23, tzinfo=dt.UTC)
Q4_DUE = dt.datetime(2027, 1, 31, 23, tzinfo=dt.UTC)


@pytest.fixture
def invited(database_url: str, tmp_path: Path, smtp: Mailbox) -> Iterator[World]:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        mail_from="accord@acme.example",
    )
    clock = FixedClock(NOW)
    services = build(settings, clock=clock, passwords=FAST_HASHES)
    world = populate(services, clock)
    document = agreement_document("bravo", version="2")
    document["parties"][0]["contacts"] = [{"name": "Vendor desk", "email": "vendors@acme.example"}]
    document["parties"][1]["contacts"] = [
        {"name": "Bravo account", "email": "account@bravo.example"}
    ]
    document["governance"] = {
        "review_cadence": "quarterly",
        "participants": ["acme", "bravo"],
        "data_sharing": "Monthly exports.",
    }
    services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    yield world
    services.close()


def _reviews(world: World) -> list[tuple[str, dt.datetime, str]]:
    found = world.services.reviews.schedule(CONSOLE, "acme-bravo")
    return [(r.period, r.obligation.due_at, r.obligation.state) for r in found]


def test_the_cadence_schedules_reviews_and_invites_the_participants_when_the_period_ends(
    invited: World, smtp: Mailbox
) -> None:
    services = invited.services
    # The third quarter's review was due before the agreement was uploaded: not scheduled.
    assert _reviews(invited) == [("2026-Q4", Q4_DUE, "open")]
    assert services.obligations.check(WORKER).invited == 0  # the quarter has not ended

    invited.clock.at = Q4_ENDS + dt.timedelta(hours=9)
    report = services.obligations.check(WORKER)

    assert report.invited == 2
    assert services.obligations.check(WORKER).invited == 0  # once per review
    assert services.notifications.deliver_due(WORKER).delivered == 2
    assert sorted(m["To"] for m in smtp.messages) == [
        "account@bravo.example",
        "vendors@acme.example",
    ]
    (message,) = smtp.to("account@bravo.example")
    assert message["Subject"] == "[Accord] Invitation: 2026-Q4 governance review of Acme and bravo"
    body = message.get_body(("plain",))
    assert body is not None
    assert "participants: Acme Retail, Bravo" in body.get_content()
    assert "held by: 2027-01-31" in body.get_content()
    # The next quarter's review is scheduled as soon as its quarter runs.
    assert _reviews(invited)[1][:2] == ("2027-Q1", dt.datetime(2027, 4, 30, 22, tzinfo=dt.UTC))


def test_minutes_say_the_review_was_held_and_one_not_held_in_time_is_missed(
    invited: World,
) -> None:
    services = invited.services
    manager = invited.principal("manager@acme.example")
    invited.clock.at = Q4_ENDS + dt.timedelta(days=10)
    services.obligations.check(WORKER)
    record = services.reviews.minutes(
        manager,
        RecordMinutes(agreement="acme-bravo", period="2026-Q4", text="Went through the pack."),
    )
    assert [(m.text, m.party) for m in record.minutes] == [("Went through the pack.", "acme")]
    assert _reviews(invited)[0] == ("2026-Q4", Q4_DUE, "met")

    invited.clock.at = dt.datetime(2027, 5, 2, tzinfo=dt.UTC)
    services.obligations.check(WORKER)
    assert _reviews(invited)[1] == (
        "2027-Q1",
        dt.datetime(2027, 4, 30, 22, tzinfo=dt.UTC),
        "missed",
    )
