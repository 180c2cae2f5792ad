"""The drill-down of a recorded verdict: the items behind it (``accord.engine.drill``).

A verdict's tickets with their due instants, its bad slices or its worst hours are not
stored; they are recomputed from what the verdict was judged on: the agreement version that
judged it, the run's period and as-of instant, the data files, the batches pushed by the
time the run started (their ids and digests are part of the answer) and the rows of fetched
sources (Prometheus, status feeds), read again for the same span. The recomputation runs
outside any transaction; the reads that authorise it are the verdict's own (a partner sees
only its agreements' verdicts, and another partner's answers 404).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from accord.core.documents import items_csv, items_of
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.model.measurement import SourceFormat
from accord.core.periods import parse_period
from accord.engine.evaluate import EvaluationRequest, evaluate
from accord.engine.records import Records
from accord.services.errors import Invalid, NotFound
from accord.services.evaluation import BadRowPolicy, DataError
from accord.services.external import External, fetch_external
from accord.services.in_force import parsed
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_agreement
from accord.services.recorded import read_records
from accord.services.uow import ServiceContext

__all__ = [
    "MAX_ITEMS",
    "BatchRead",
    "Drilldowns",
    "ItemsPage",
    "JudgedFrom",
    "fetched_for",
    "judge_again",
    "judged_from",
]
MAX_ITEMS: Final = 500


@dataclass(frozen=True)
class BatchRead:
    """A pushed batch a verdict was judged on."""

    source: str
    batch_id: str
    digest: str
    received_at: dt.datetime
    path: Path


@dataclass(frozen=True)
class JudgedFrom:
    """What a recorded verdict was judged on, enough to judge it again."""

    slug: str
    verdict_id: int
    objective: str
    scope: dict[str, str]
    scope_label: str
    window: str
    agreement: Agreement
    version_text: str
    period: str
    as_of: dt.datetime
    batches: tuple[BatchRead, ...] = ()
    #: The service's own records (incidents, obligations) of its recorded sources.
    recorded: Mapping[str, Records] = field(default_factory=dict)

    def pushed(self) -> dict[str, list[Path]]:
        """The batch files of each pushed source (a source without batches has none)."""
        found: dict[str, list[Path]] = {
            s.id: [] for s in self.agreement.sources if s.format is SourceFormat.PUSH
        }
        for batch in self.batches:
            found.setdefault(batch.source, []).append(batch.path)
        return found


def judged_from(
    context: ServiceContext, principal: Principal, slug: str, verdict_id: int
) -> JudgedFrom:
    """The verdict's inputs, read as the principal (``NotFound`` for a verdict it may not
    see); batches are those received by the time the verdict's run started."""
    principal.require(Permission.READ)
    with context.uow(principal) as uow:
        row = get_agreement(uow, slug)
        verdict = uow.verdicts.find(row.id, verdict_id)
        if verdict is None:
            raise NotFound(f"agreement {slug!r} has no verdict {verdict_id}")
        version = uow.agreements.find_version_by_id(verdict.version_id)
        run = uow.runs.find(verdict.run_id)
        assert version is not None  # recorded with the verdict
        assert run is not None
        batches = tuple(
            BatchRead(b.source, b.batch_id, b.digest, b.received_at, context.data_dir / b.file_path)
            for b in uow.batches.all(row.id)
            if b.file_path and b.received_at <= run.started_at
        )
        agreement = parsed(version)
        recorded = read_records(uow, row.id, [agreement], run.as_of)
        return JudgedFrom(
            slug=slug,
            verdict_id=verdict.id,
            objective=verdict.objective,
            scope=json.loads(verdict.scope_key),
            scope_label=verdict.scope_label,
            window=verdict.window_label,
            agreement=agreement,
            version_text=version.text,
            period=run.period,
            as_of=run.as_of,
            batches=batches,
            recorded=recorded,
        )


def fetched_for(context: ServiceContext, judged: JudgedFrom) -> External:
    """The fetched sources' rows for the span the verdict's run read (``Invalid`` when an
    outside source cannot be read)."""
    period = parse_period(judged.period, judged.agreement.timezone)
    try:
        return fetch_external(
            judged.agreement,
            period,
            judged.as_of,
            fetcher=context.fetcher,
            now=context.clock.now(),
            policy=BadRowPolicy.QUARANTINE,
        )
    except DataError as exc:
        raise Invalid(f"the verdict's data cannot be read again: {exc}") from None


def judge_again(context: ServiceContext, judged: JudgedFrom, *, items: bool = False) -> Evaluation:
    """The verdict's agreement judged again from what ``judged`` holds (its agreement, period,
    as-of instant, batches and records, as the caller may have narrowed or replaced them),
    fetched sources read again; nothing is recorded."""
    external = fetched_for(context, judged)
    request = EvaluationRequest(
        data_dir=context.data_dir / "files",
        period=parse_period(judged.period, judged.agreement.timezone),
        as_of=judged.as_of,
        reader=context.reader,
        pushed={**judged.pushed(), **external.files},
        items=items,
        recorded=judged.recorded,
    )
    try:
        return external.restore(evaluate(external.agreement, request))
    except DataError as exc:
        raise Invalid(f"the verdict's data cannot be read again: {exc}") from None


def _judge_again(context: ServiceContext, judged: JudgedFrom) -> Evaluation:
    """The verdict's objective alone judged again with its items: the other objectives and
    the remedies change nothing about its rows, so they are left out (and their sources
    unread)."""
    alone = judged.agreement.model_copy(
        update={
            "objectives": [o for o in judged.agreement.objectives if o.id == judged.objective],
            "remedies": None,
        }
    )
    return judge_again(context, replace(judged, agreement=alone), items=True)


@dataclass(frozen=True)
class ItemsPage:
    """A page of a verdict's items: ``kind`` says which list (``tickets``, ``bad_slices``,
    ``worst_hours``; None: the verdict's kind has none, or it found none)."""

    verdict: int
    kind: str | None
    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[dict[str, Any]] = field(default_factory=list)
    #: All the items by status (tickets) or reason (bad slices); empty for worst hours.
    counts: dict[str, int] = field(default_factory=dict)
    #: The agreement's time zone (worst hours are its local hours).
    timezone: str = "UTC"
    #: The pushed batches the items were computed from: source, batch id, digest.
    batches: list[dict[str, str]] = field(default_factory=list)


def _items(context: ServiceContext, judged: JudgedFrom) -> tuple[str | None, list[dict[str, Any]]]:
    evaluation = _judge_again(context, judged)
    return items_of(evaluation, judged.objective, judged.window, judged.scope_label)


@dataclass(frozen=True)
class _Computed:
    """A verdict's items, as kept: which list, the items, the zone, the batches read."""

    kind: str | None
    items: list[dict[str, Any]]
    timezone: str
    batches: list[dict[str, str]]


class Drilldowns:
    """Use cases on the items behind recorded verdicts.

    A recorded verdict never changes, nor do its inputs (its version, its run's as-of
    instant, the batches received by the run's start), so its items are kept once computed:
    the last ``KEPT`` verdicts' in this process, by verdict id. Every call still reads the
    verdict as the principal first (tenancy and roles are checked each time); only the
    recomputation is spared. Fetched sources are read once, then kept as read.
    """

    KEPT: Final = 64

    def __init__(self, context: ServiceContext) -> None:
        self._context = context
        self._kept: OrderedDict[int, _Computed] = OrderedDict()
        self._lock = threading.Lock()

    def _computed(self, principal: Principal, slug: str, verdict_id: int) -> _Computed:
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            if uow.verdicts.find(row.id, verdict_id) is None:
                raise NotFound(f"agreement {slug!r} has no verdict {verdict_id}")
        with self._lock:
            if verdict_id in self._kept:
                self._kept.move_to_end(verdict_id)
                return self._kept[verdict_id]
        judged = judged_from(self._context, principal, slug, verdict_id)
        kind, items = _items(self._context, judged)
        computed = _Computed(
            kind,
            items,
            judged.agreement.timezone,
            [
                {"source": b.source, "batch_id": b.batch_id, "digest": b.digest}
                for b in judged.batches
            ],
        )
        with self._lock:
            self._kept[verdict_id] = computed
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
        return computed

    def items(
        self, principal: Principal, slug: str, verdict_id: int, *, limit: int = 100, offset: int = 0
    ) -> ItemsPage:
        """A page of the verdict's items, in the engine's order."""
        if not 1 <= limit <= MAX_ITEMS:
            raise Invalid(f"limit must be between 1 and {MAX_ITEMS}")
        if offset < 0:
            raise Invalid("offset must not be negative")
        found = self._computed(principal, slug, verdict_id)
        items = found.items
        end = offset + limit
        return ItemsPage(
            verdict=verdict_id,
            kind=found.kind,
            total=len(items),
            limit=limit,
            offset=offset,
            next_offset=end if end < len(items) else None,
            items=items[offset:end],
            counts=dict(
                Counter(str(i.get("status") or i.get("reason")) for i in items if "hour" not in i)
            ),
            timezone=found.timezone,
            batches=found.batches,
        )

    def csv(self, principal: Principal, slug: str, verdict_id: int) -> tuple[str | None, str]:
        """All the verdict's items as CSV, with which list they are."""
        found = self._computed(principal, slug, verdict_id)
        return found.kind, items_csv(found.items)
