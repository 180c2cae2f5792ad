"""Chronic-failure and consistency findings as evaluations recorded them
(``accord.services.recording``): the current finding per clause or objective and window,
with the run that found it. Where the agreement gives a clause or a consistency rule a
``credit``, the ledger books it like a scheme's (``accord.core.remedies``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Final

from accord.services.errors import Invalid
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext

__all__ = ["FindingView", "Findings"]

KINDS: Final = ("chronic", "consistency")


@dataclass(frozen=True)
class FindingView:
    kind: str
    #: The chronic-failure clause, or the objective whose consistency was judged.
    subject: str
    window: str
    #: triggered | not_triggered (chronic), met | breach (consistency).
    outcome: str
    finding: dict[str, Any]
    run: int
    recorded_at: dt.datetime


class Findings:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def current(
        self, principal: Principal, agreement: str, kind: str | None = None
    ) -> list[FindingView]:
        """The latest finding per kind, subject and window, in window order."""
        principal.require(Permission.READ)
        if kind is not None and kind not in KINDS:
            raise Invalid(f"no finding kind {kind!r}; kinds: {', '.join(KINDS)}")
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, agreement)
            found = uow.findings.current(row.id)
        return [
            FindingView(
                kind=r.kind,
                subject=r.subject,
                window=r.window_label,
                outcome=r.outcome,
                finding=json.loads(r.record),
                run=r.run_id,
                recorded_at=r.recorded_at,
            )
            for (k, subject, window), r in sorted(found.items(), key=lambda i: (i[0][2], i[0]))
            if kind is None or k == kind
        ]
