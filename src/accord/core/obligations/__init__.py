"""Obligations: every dated duty an agreement creates, with its owner, trigger, due instant on
the agreement's calendars, state and escalation (``model``), and the duties that exist without
any incident: the last days to give renewal and termination notice (``notices``); what a
resolved incident still owes: its review and preventive actions (``reviews``); the
governance reviews of the agreement's cadence (``governance``)."""

from accord.core.obligations.breach_notices import (
    NoticeInstants,
    notice_key,
    notice_obligations,
    regimes_of,
)
from accord.core.obligations.governance import (
    DEFAULT_REVIEW_WITHIN,
    ReviewPeriod,
    governance_reviews,
    review_period,
)
from accord.core.obligations.incidents import (
    FrozenLevel,
    calendar_of,
    escalation_instants,
    freeze_ladder,
    incident_obligations,
    ladder_from_json,
    ladder_to_json,
    severity_of,
    update_obligation,
)
from accord.core.obligations.model import (
    KINDS,
    Obligation,
    ObligationKind,
    ObligationState,
    due_at,
    kind_of,
    lapsed,
)
from accord.core.obligations.notices import NoticeDeadline, notice_deadlines, term_end
from accord.core.obligations.reviews import (
    DutyRate,
    action_due_at,
    action_obligation,
    duty_rates,
    review_obligation,
)

__all__ = [
    "DEFAULT_REVIEW_WITHIN",
    "KINDS",
    "DutyRate",
    "FrozenLevel",
    "NoticeDeadline",
    "NoticeInstants",
    "Obligation",
    "ObligationKind",
    "ObligationState",
    "ReviewPeriod",
    "action_due_at",
    "action_obligation",
    "calendar_of",
    "due_at",
    "duty_rates",
    "escalation_instants",
    "freeze_ladder",
    "governance_reviews",
    "incident_obligations",
    "kind_of",
    "ladder_from_json",
    "ladder_to_json",
    "lapsed",
    "notice_deadlines",
    "notice_key",
    "notice_obligations",
    "regimes_of",
    "review_obligation",
    "review_period",
    "severity_of",
    "term_end",
    "update_obligation",
]
