"""A security incident's notices as the service records them: met at the due instant itself,
missed a minute after whatever zone the sending time is written in; retried notices kept
once; DORA's initial notification due by the earlier of its two clocks; refused by name when
the notice is incomplete; only the agreement's parties see or record any of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.services.breach_notices import RecordNotice
from accord.services.credentials import CreateToken
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.incidents import OpenIncident
from accord.services.organisations import CreateOrganisation, CreateUser
from accord.services.permissions import Role
from accord.services.portfolio import UploadVersion
from tests.services.world import CONSOLE, World

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"
NOC = "noc@payco.example"
H = dt.timedelta(hours=1)
DETECTED = dt.datetime(2026, 11, 6, 16, 50, tzinfo=dt.UTC)
#: The contract's own breach notice: 24 hours after awareness (the agreement's setting).
CONTRACT_DUE = DETECTED + 24 * H


@pytest.fixture
def payco(world: World) -> World:
    """The world plus PayCo's payments-api agreement (every notice regime) and its NOC."""
    organisations = world.services.organisations
    organisations.create_organisation(CONSOLE, CreateOrganisation(slug="payco", name="PayCo"))
    organisations.create_user(
        CONSOLE, CreateUser(organisation="payco", email=NOC, name="NOC", roles=[Role.PARTNER])
    )
    world.services.portfolio.upload(CONSOLE, UploadVersion(text=EXAMPLE.read_text()))
    world.tokens[NOC] = world.services.credentials.create_token(
        CONSOLE, CreateToken(name="noc", user=NOC)
    ).secret
    return world


def _breach(world: World, *, security: bool = True) -> int:
    world.clock.at = DETECTED + H
    command = OpenIncident(
        agreement="payments-api",
        title="Card data exposed",
        severity="sev1",
        security=security,
        detected_at=DETECTED,
    )
    return world.services.incidents.open(world.principal(NOC), command).id


def _notice(**changes: Any) -> RecordNotice:
    fields: dict[str, Any] = {
        "regime": "contract",
        "notice": "notice",
        "recipient": "Acme security desk",
        "content": "What happened, what is affected, what we did",
        **changes,
    }
    return RecordNotice(**fields)


def test_a_notice_sent_at_its_due_instant_is_met_and_recorded_as_told(payco: World) -> None:
    incident = _breach(payco)
    payco.clock.at = CONTRACT_DUE
    noc = payco.principal(NOC)
    sent = payco.services.breach_notices.record(
        noc, incident, _notice(recipient="  Acme security desk ", content=" Keys rotated. ")
    )
    assert (sent.sent_at, sent.recorded_at, sent.recorded_by) == (CONTRACT_DUE, CONTRACT_DUE, NOC)
    assert (sent.recipient, sent.content) == ("Acme security desk", "Keys rotated.")
    assert sent.obligation is not None
    assert (sent.obligation.state, sent.obligation.due_at) == ("met", CONTRACT_DUE)
    assert payco.services.breach_notices.sent(payco.principal("viewer@acme.example"), incident) == [
        sent
    ]
    [entry] = [
        e for e in payco.services.incidents.get(noc, incident).timeline if e.kind == "notice_sent"
    ]
    assert entry.text == f"contract notice sent {CONTRACT_DUE.isoformat()} to Acme security desk"


@pytest.mark.parametrize(
    ("local", "state"),
    [
        (dt.datetime(2026, 11, 7, 17, 50), "met"),  # 16:50 UTC: the due instant
        (dt.datetime(2026, 11, 7, 17, 51), "missed"),
    ],
)
def test_the_sending_time_is_an_instant_whatever_its_zone(
    payco: World, local: dt.datetime, state: str
) -> None:
    incident = _breach(payco)
    payco.clock.at = DETECTED + 30 * H
    sent_at = local.replace(tzinfo=ZoneInfo("Europe/Berlin"))
    sent = payco.services.breach_notices.record(
        payco.principal(NOC), incident, _notice(sent_at=sent_at)
    )
    assert sent.sent_at == sent_at
    assert sent.obligation is not None
    assert sent.obligation.state == state
    if state == "missed":  # missed as of its due instant, not as of when it was sent
        assert sent.obligation.state_at == CONTRACT_DUE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sent_at": dt.datetime(2026, 11, 6, 18, 0)}, "sent_at needs a time zone"),
        ({"sent_at": DETECTED + 2 * H}, "sent_at is in the future"),
        ({"recipient": "   "}, "names its recipient and its content"),
        ({"content": ""}, "names its recipient and its content"),
        ({"regime": "hipaa"}, "no notice regime 'hipaa'; regimes: contract, gdpr-art-33"),
        ({"notice": "initial"}, "contract has no notice 'initial'; notices: notice"),
    ],
)
def test_an_incomplete_notice_is_refused_by_name_and_nothing_is_kept(
    payco: World, changes: dict[str, object], message: str
) -> None:
    incident = _breach(payco)
    noc = payco.principal(NOC)
    with pytest.raises(Invalid, match=message):
        payco.services.breach_notices.record(noc, incident, _notice(**changes))
    assert payco.services.breach_notices.sent(noc, incident) == []


def test_a_notice_recorded_again_is_refused_and_kept_once(payco: World) -> None:
    incident = _breach(payco)
    noc = payco.principal(NOC)
    notices = payco.services.breach_notices
    first = notices.record(noc, incident, _notice(sent_at=DETECTED + H / 2))
    with pytest.raises(Conflict, match="notice contract/notice is already recorded"):
        notices.record(noc, incident, _notice())
    assert notices.sent(noc, incident) == [first]


def test_dora_s_initial_notification_is_due_by_the_earlier_of_its_two_clocks(
    payco: World,
) -> None:
    incident = _breach(payco)
    manager = payco.principal("manager@acme.example")
    with pytest.raises(Conflict, match="not owed yet"):
        payco.services.breach_notices.record(
            manager, incident, _notice(regime="dora-art-19", notice="initial")
        )
    classified = DETECTED + 22 * H  # classified late: 24 h after awareness comes first
    payco.clock.at = classified
    duties = payco.services.breach_notices.classify_major(manager, incident)
    dora = {d.key.rsplit(":", 1)[1]: d for d in duties if "dora-art-19" in d.key}
    assert (dora["initial"].trigger_at, dora["initial"].due_at) == (classified, DETECTED + 24 * H)
    # Unsent, the initial notification's due instant starts the intermediate report's clock.
    assert dora["intermediate"].trigger_at == DETECTED + 24 * H
    with pytest.raises(Conflict, match=r"was classified as major at 2026-11-07T14:50:00\+00:00"):
        payco.services.breach_notices.classify_major(manager, incident)


def test_an_incident_that_is_not_a_security_incident_owes_no_notice(payco: World) -> None:
    incident = _breach(payco, security=False)
    with pytest.raises(Conflict, match=f"incident {incident} is not a security incident"):
        payco.services.breach_notices.record(payco.principal(NOC), incident, _notice())


def test_only_the_agreement_s_parties_see_and_only_incident_handlers_record(
    payco: World,
) -> None:
    incident = _breach(payco)
    notices = payco.services.breach_notices
    for outsider in ("partner@bravo.example", "partner@charlie.example"):
        principal = payco.principal(outsider)
        with pytest.raises(NotFound):
            notices.sent(principal, incident)
        with pytest.raises(NotFound):
            notices.record(principal, incident, _notice())
        with pytest.raises(NotFound):
            notices.classify_major(principal, incident)
    viewer = payco.principal("viewer@acme.example")
    assert notices.sent(viewer, incident) == []
    with pytest.raises(Forbidden):
        notices.record(viewer, incident, _notice())
    with pytest.raises(Forbidden):
        notices.classify_major(viewer, incident)


def test_a_partner_records_only_the_notices_its_own_party_owes(payco: World) -> None:
    """GDPR's article 33 notice to the authority is the controller's (the consumer's): the
    provider's NOC may not mark it sent, and nothing is kept; the company's manager may."""
    incident = _breach(payco)
    notices = payco.services.breach_notices
    gdpr = _notice(regime="gdpr-art-33", notice="notification", recipient="The DPA")
    with pytest.raises(Forbidden, match=r"owed by 'acme'.*records only the notices its own"):
        notices.record(payco.principal(NOC), incident, gdpr)
    assert notices.sent(payco.principal(NOC), incident) == []
    sent = notices.record(payco.principal("manager@acme.example"), incident, gdpr)
    assert sent.obligation is not None
    assert sent.obligation.state == "met"


def test_a_notice_sent_before_its_incident_was_detected_is_refused(payco: World) -> None:
    incident = _breach(payco)
    notices = payco.services.breach_notices
    noc = payco.principal(NOC)
    early = _notice(sent_at=DETECTED - dt.timedelta(microseconds=1))
    with pytest.raises(Invalid, match=r"is before incident \d+ was detected"):
        notices.record(noc, incident, early)
    assert notices.record(noc, incident, _notice(sent_at=DETECTED)).sent_at == DETECTED
