"""Amendments: bravo (the provider) proposes a lenient target, acme (the consumer) approves,
and the new version takes effect only after the notice period — by itself, as the version in
force — while the month it straddles stays judged by the version in force at its start."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.core.loader import load_agreement
from accord.services.amendments import AmendmentAct, ProposeAmendment
from accord.services.errors import Conflict, Invalid, NotFound
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.services.world import CONSOLE, NOW, World, agreement_document, events

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BERLIN = ZoneInfo("Europe/Berlin")
SEPTEMBER_1 = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)
PROPOSED_AT = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)
OCTOBER_15 = dt.datetime(2026, 10, 15, tzinfo=BERLIN)
CHANGES = {
    "notice": "30 days",
    "approval": ["acme", "bravo"],
    "rollback": "The previous version is restored by a new amendment.",
    "change_types": [
        {"id": "data-location", "name": "Data location", "notice": "60 days"},
        {"id": "maintenance-window", "notice": "7 days", "approval": ["acme"]},
    ],
    "freezes": [{"name": "Year-end peak", "dates": [{"from": "2026-12-15", "to": "2027-01-05"}]}],
}


def _text(target: str, version: str) -> str:
    document: dict[str, Any] = agreement_document("bravo", target=target, version=version)
    document["change_management"] = CHANGES
    return json.dumps(document)


@pytest.fixture
def governed(world: World) -> World:
    return govern(world)


def govern(world: World) -> World:
    """Version 2 of bravo's agreement declares change management, from 1 September."""
    world.clock.at = SEPTEMBER_1
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=_text("99%", "2")))
    world.clock.at = PROPOSED_AT
    return world


def _propose(world: World, email: str = "partner@bravo.example", **fields: Any) -> Any:
    command = ProposeAmendment(
        agreement="acme-bravo",
        summary=fields.pop("summary", "A 97% target"),
        text=fields.pop("text", _text("97%", "3")),
        **fields,
    )
    return world.services.amendments.propose(world.principal(email), command)


def _act(world: World, email: str, verb: str, amendment: int, note: str = "") -> Any:
    act = AmendmentAct(agreement="acme-bravo", amendment=amendment, note=note)
    return getattr(world.services.amendments, verb)(world.principal(email), act)


def test_partner_proposes_consumer_approves_and_it_takes_effect_after_notice(
    governed: World,
) -> None:
    proposed = _propose(governed, effective_at=OCTOBER_15)
    assert (proposed.state, proposed.party, proposed.base_version) == ("proposed", "bravo", 2)
    assert (proposed.approved_by, proposed.awaiting_approval) == (["bravo"], ["acme"])
    assert proposed.earliest_without_waiver == PROPOSED_AT + dt.timedelta(days=30)
    changed = [c["path"] for c in proposed.diff["changes"]]
    assert any("target" in path for path in changed), changed
    # The consumer sees the same diff before approving.
    seen = governed.services.amendments.show(
        governed.principal("viewer@acme.example"), "acme-bravo", proposed.id
    )
    assert seen.diff == proposed.diff

    governed.clock.at = PROPOSED_AT + dt.timedelta(days=2)
    approved = _act(governed, "manager@acme.example", "approve", proposed.id)
    assert (approved.state, approved.version_number, approved.in_force) == ("approved", 3, False)

    portfolio = governed.services.portfolio
    before = OCTOBER_15 - dt.timedelta(microseconds=1)
    assert portfolio.in_force(CONSOLE, "acme-bravo", before).number == 2
    assert portfolio.in_force(CONSOLE, "acme-bravo", OCTOBER_15).number == 3
    governed.clock.at = NOW
    assert governed.services.amendments.show(CONSOLE, "acme-bravo", proposed.id).in_force


def test_the_straddled_month_follows_the_version_in_force_at_its_start(governed: World) -> None:
    """Version 3 (97%) takes effect on 15 October: October began under version 2 (99%) and
    stays its: 98% is a deviation, judged by version 2."""
    proposed = _propose(governed, effective_at=OCTOBER_15)
    _act(governed, "admin@acme.example", "approve", proposed.id)
    governed.services.ingestion.push(
        governed.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=events(1000, failing_every=50),
        ),
    )
    governed.clock.at = NOW
    manager = governed.principal("manager@acme.example")
    governed.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    page = governed.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery())
    assert [(v.window, v.outcome, v.version) for v in page.items] == [("2026-10", "deviation", 2)]


def test_an_instant_before_the_notice_runs_out_needs_every_party_s_waiver(
    governed: World,
) -> None:
    early = dt.datetime(2026, 9, 20, tzinfo=BERLIN)
    proposed = _propose(governed, effective_at=early, waive_notice=True)
    assert proposed.awaiting_waiver == ["acme"]
    approved = _act(governed, "manager@acme.example", "approve", proposed.id)
    assert (approved.state, approved.awaiting_waiver) == ("proposed", ["acme"])
    waived = _act(governed, "manager@acme.example", "waive", proposed.id, "urgent fix")
    assert (waived.state, waived.version_number) == ("approved", 3)
    assert [(e.kind, e.party) for e in waived.events] == [
        ("proposed", "bravo"),
        ("approved", "bravo"),
        ("waived", "bravo"),
        ("approved", "acme"),
        ("waived", "acme"),
    ]


def test_change_types_carry_their_own_notice_and_approvals(governed: World) -> None:
    with pytest.raises(Invalid, match=r"notice period \(60 days\)"):
        _propose(governed, change_type="data-location", effective_at=OCTOBER_15)
    with pytest.raises(Invalid, match="no change type 'dns'"):
        _propose(governed, change_type="dns")
    proposed = _propose(governed, change_type="maintenance-window")
    assert proposed.effective_at == PROPOSED_AT + dt.timedelta(days=7)
    assert (proposed.approvers, proposed.awaiting_approval) == (["acme"], ["acme"])
    with pytest.raises(Conflict, match="bravo does not approve"):
        _act(governed, "partner@bravo.example", "approve", proposed.id)


def test_no_change_takes_effect_inside_a_freeze_window(governed: World) -> None:
    with pytest.raises(Invalid, match="freeze window 'Year-end peak'"):
        _propose(governed, effective_at=dt.datetime(2026, 12, 24, tzinfo=BERLIN))


def _example_changes() -> dict[str, Any]:
    """The change management of examples/cloud-hosting.yaml, its parties (lumen the consumer,
    stratus the provider) read as acme and bravo."""
    path = EXAMPLES / "cloud-hosting.yaml"
    loaded = load_agreement(path.read_text(encoding="utf-8"), str(path))
    assert loaded.agreement is not None
    assert loaded.agreement.change_management is not None
    dumped = json.dumps(loaded.agreement.change_management.model_dump(mode="json", by_alias=True))
    return dict(json.loads(dumped.replace('"lumen"', '"acme"').replace('"stratus"', '"bravo"')))


def test_the_example_s_change_types_and_freeze_are_enforced(world: World) -> None:
    document: dict[str, Any] = agreement_document("bravo", target="99%", version="2")
    document["change_management"] = _example_changes()
    world.clock.at = SEPTEMBER_1
    manager = world.principal("manager@acme.example")
    world.services.portfolio.upload(manager, UploadVersion(text=json.dumps(document)))
    world.clock.at = PROPOSED_AT
    proposal = json.loads(_text("97%", "3"))
    proposal["change_management"] = document["change_management"]
    text = json.dumps(proposal)

    with pytest.raises(Invalid, match="2026-12-01 is inside the freeze window 'Year-end trading"):
        _propose(
            world, text=text, change_type="maintenance-window",
            effective_at=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
        )  # fmt: skip
    with pytest.raises(Invalid, match=r"notice period \(6 months\)"):
        _propose(
            world, text=text, change_type="data-location",
            effective_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        )  # fmt: skip
    # A sub-processor change is not frozen: it takes effect after its own 90 days' notice,
    # inside the year-end freeze of the other types, approved by the consumer alone.
    proposed = _propose(world, text=text, change_type="sub-processor")
    assert proposed.effective_at == PROPOSED_AT + dt.timedelta(days=90)
    assert proposed.awaiting_approval == ["acme"]
    _act(world, "partner@bravo.example", "withdraw", proposed.id)
    # A maintenance-window change outside the freeze needs only its 14 days.
    window = _propose(world, text=text, change_type="maintenance-window")
    assert window.effective_at == PROPOSED_AT + dt.timedelta(days=14)


def test_rejection_and_withdrawal_are_recorded(governed: World) -> None:
    first = _propose(governed, effective_at=OCTOBER_15)
    with pytest.raises(Conflict, match="open amendment"):
        _propose(governed, effective_at=OCTOBER_15)
    with pytest.raises(Invalid, match="note: must not be empty"):
        _act(governed, "manager@acme.example", "reject", first.id)
    rejected = _act(governed, "manager@acme.example", "reject", first.id, "too lenient")
    assert rejected.state == "rejected"
    second = _propose(governed, effective_at=OCTOBER_15)
    with pytest.raises(Conflict, match="only bravo, who proposed it"):
        _act(governed, "manager@acme.example", "withdraw", second.id)
    assert _act(governed, "partner@bravo.example", "withdraw", second.id).state == "withdrawn"
    with pytest.raises(Conflict, match="already withdrawn"):
        _act(governed, "manager@acme.example", "approve", second.id)
    actions = [e["action"] for e in governed.services.audit.entries(CONSOLE, limit=1000)]
    assert {"amendment.rejected", "amendment.withdrawn", "amendment.proposed"} <= set(actions)
    assert governed.services.portfolio.agreement(CONSOLE, "acme-bravo").latest.number == 2  # type: ignore[union-attr]


def test_a_rollback_is_a_new_amendment_with_an_earlier_text(governed: World) -> None:
    proposed = _propose(governed, effective_at=OCTOBER_15)
    _act(governed, "manager@acme.example", "approve", proposed.id)
    governed.clock.at = dt.datetime(2026, 10, 20, tzinfo=dt.UTC)
    rollback = governed.services.amendments.propose(
        governed.principal("manager@acme.example"),
        ProposeAmendment(agreement="acme-bravo", summary="Back to 99%", rollback_to=2),
    )
    assert (rollback.rollback_of, rollback.awaiting_approval) == (2, ["bravo"])
    done = _act(governed, "partner@bravo.example", "approve", rollback.id)
    assert done.version_number == 4
    versions = governed.services.portfolio.agreement(CONSOLE, "acme-bravo").versions
    assert versions[3].version_hash == versions[1].version_hash


def test_the_approved_version_s_document_carries_its_sign_off(governed: World) -> None:
    proposed = _propose(governed, effective_at=OCTOBER_15)
    _act(governed, "manager@acme.example", "approve", proposed.id)
    document = governed.services.portfolio.document(CONSOLE, "acme-bravo", 3, "markdown")
    text = document.content.decode()
    assert "Sign-off" in text
    assert "partner@bravo.example" in text
    assert "manager@acme.example" in text
    assert "2026-09-10 11:00 CEST" in text  # the proposal (bravo's approval), Berlin time
    uploaded = governed.services.portfolio.document(CONSOLE, "acme-bravo", 2, "markdown")
    assert "Sign-off" not in uploaded.content.decode()
    approvals = [
        e
        for e in governed.services.audit.entries(CONSOLE, limit=1000)
        if e["action"] == "amendment.approval"
    ]
    assert [e["after"]["party"] for e in approvals] == ["bravo", "acme"]


def test_each_party_is_offered_only_the_acts_it_may_take(governed: World) -> None:
    early = dt.datetime(2026, 9, 20, tzinfo=BERLIN)
    proposed = _propose(governed, effective_at=early, waive_notice=True)

    def offered(email: str) -> set[str]:
        principal = governed.principal(email)
        return set(governed.services.amendments.permitted(principal, "acme-bravo", proposed.id))

    assert offered("partner@bravo.example") == {"reject", "withdraw"}
    assert offered("manager@acme.example") == {"approve", "waive", "reject"}
    assert offered("viewer@acme.example") == set()
    _act(governed, "manager@acme.example", "approve", proposed.id)
    assert offered("manager@acme.example") == {"waive", "reject"}
    _act(governed, "manager@acme.example", "waive", proposed.id)
    assert offered("manager@acme.example") == offered("partner@bravo.example") == set()
    with pytest.raises(NotFound):
        offered("partner@charlie.example")


def test_another_partner_cannot_see_or_act_on_the_amendment(governed: World) -> None:
    proposed = _propose(governed, effective_at=OCTOBER_15)
    charlie = governed.principal("partner@charlie.example")
    with pytest.raises(NotFound):
        governed.services.amendments.show(charlie, "acme-bravo", proposed.id)
    with pytest.raises(NotFound):
        governed.services.amendments.approve(
            charlie, AmendmentAct(agreement="acme-bravo", amendment=proposed.id)
        )
    with pytest.raises(NotFound, match="no amendment"):
        governed.services.amendments.show(CONSOLE, "acme-charlie", proposed.id)


def test_a_proposal_takes_effect_no_earlier_than_the_version_it_amends(governed: World) -> None:
    with pytest.raises(Invalid, match="after it is proposed"):
        _propose(governed, effective_at=dt.datetime(2026, 9, 5, tzinfo=BERLIN), waive_notice=True)
    with pytest.raises(Invalid, match="nothing to amend"):
        _propose(governed, text=_text("99%", "2"))
