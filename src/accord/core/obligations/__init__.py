"""Obligations: every dated duty an agreement creates, with its owner, trigger, due instant on
the agreement's calendars, state and escalation (``model``), and the duties that exist without
any incident: the last days to give renewal and termination notice (``notices``)."""

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

__all__ = [
    "KINDS",
    "NoticeDeadline",
    "Obligation",
    "ObligationKind",
    "ObligationState",
    "due_at",
    "kind_of",
    "lapsed",
    "notice_deadlines",
    "term_end",
]
