"""An agreement's objectives over time: the value of each objective × scope per window against
its target and tolerance (the charts of the agreement page), and how the error budget of the
open window was spent evaluation after evaluation (its burn-down)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import VerdictFilter, VerdictSummaryRow
from accord.store.tables import AgreementRow, VerdictRow

__all__ = ["BurnPoint", "History", "ObjectiveHistory", "WindowPoint", "objective_histories"]

#: Enough windows for two years of months; older ones stay on the verdict list.
_MAX_VERDICTS: Final = 5000
_MAX_WINDOWS: Final = 12


@dataclass(frozen=True)
class WindowPoint:
    window: str
    verdict_id: int
    outcome: str
    #: The value as charted (ratios in percent); ``None`` without data.
    value: float | None
    value_display: str


@dataclass(frozen=True)
class BurnPoint:
    recorded_at: dt.datetime
    #: Error budget left, in [0, 1].
    left_ratio: Decimal


@dataclass
class ObjectiveHistory:
    objective: str
    scope: str
    #: The latest window's target and tolerance, as charted and as written.
    target: float | None = None
    tolerance: float | None = None
    target_display: str = ""
    tolerance_display: str = ""
    higher_is_better: bool = True
    unit: str = ""
    points: list[WindowPoint] = field(default_factory=list)
    #: The open (latest) window's budget, evaluation by evaluation.
    burn_down: list[BurnPoint] = field(default_factory=list)


def _charted(value: Any, unit: str) -> float | None:
    if value is None:
        return None
    return float(value) * 100 if unit == "ratio" else float(value)


def _add(histories: dict[tuple[str, str], ObjectiveHistory], row: VerdictRow) -> None:
    evidence = json.loads(row.evidence)
    unit = str(evidence.get("unit", ""))
    key = (row.objective, row.scope_label or "all")
    history = histories.setdefault(key, ObjectiveHistory(row.objective, key[1]))
    history.unit = unit
    history.target = _charted(evidence.get("target"), unit)
    history.tolerance = _charted(evidence.get("tolerance"), unit)
    history.target_display = str(evidence.get("target_display", ""))
    history.tolerance_display = str(evidence.get("tolerance_display") or "")
    history.higher_is_better = evidence.get("direction") != "lower_is_better"
    history.points.append(
        WindowPoint(
            row.window_label,
            row.id,
            row.outcome,
            _charted(evidence.get("value"), unit),
            str(evidence.get("value_display", "—")),
        )
    )


def _charted_ids(summaries: Sequence[VerdictSummaryRow]) -> list[int]:
    """The verdicts the charts show: per objective × scope the last ``_MAX_WINDOWS``
    windows, oldest first (the list is ordered by window start)."""
    by_key: dict[tuple[str, str], list[int]] = {}
    for row in summaries:
        by_key.setdefault((row.objective, row.scope_label), []).append(row.id)
    return sorted(i for ids in by_key.values() for i in ids[-_MAX_WINDOWS:])


def _left(row: VerdictRow) -> Decimal | None:
    consumed = (json.loads(row.evidence).get("budget") or {}).get("consumed_ratio")
    return None if consumed is None else max(Decimal(0), 1 - Decimal(str(consumed)))


class History:
    """The agreement page's charts."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def objectives(self, principal: Principal, slug: str) -> list[ObjectiveHistory]:
        """Per objective × scope, the last twelve windows of a window length (months, for a
        monthly objective), oldest first, and the open window's burn-down."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            return objective_histories(uow, get_agreement(uow, slug))


def objective_histories(uow: UnitOfWork, row: AgreementRow) -> list[ObjectiveHistory]:
    """``History.objectives`` inside a unit of work the caller opened (the agreement page's)."""
    summaries = uow.verdicts.current_summaries(row.id)
    charted = uow.verdicts.by_ids(_charted_ids(summaries))
    histories: dict[tuple[str, str], ObjectiveHistory] = {}
    for verdict_id in sorted(charted, key=lambda i: (charted[i].window_start, i)):
        _add(histories, charted[verdict_id])
    # Each objective × scope's own open window: a quarter opened before a month.
    latest = {(s.objective, s.scope_label): s.window_label for s in summaries}
    every = [
        verdict
        for label in sorted(set(latest.values()))
        for verdict in uow.verdicts.search(
            row.id,
            VerdictFilter(window_label=label, include_superseded=True),
            limit=_MAX_VERDICTS,
            offset=0,
        )[0]
        if latest.get((verdict.objective, verdict.scope_label)) == label
    ]
    for verdict in sorted(every, key=lambda v: v.recorded_at):
        left = _left(verdict)
        history = histories.get((verdict.objective, verdict.scope_label or "all"))
        if left is not None and history is not None:
            history.burn_down.append(BurnPoint(verdict.recorded_at, left))
    return sorted(histories.values(), key=lambda h: (h.objective, h.scope))
