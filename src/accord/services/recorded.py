"""The service's own records as sources: the incidents and obligations of an agreement, read
from the store for each of its sources of format ``recorded`` when it is evaluated, so that
MTTA/MTTD/MTTM/MTTR and "updates on time" are measured like any other indicator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accord.core.model import Agreement
from accord.core.model.sources import SourceFormat, SourceKind
from accord.engine.records import Records
from accord.services.uow import UnitOfWork

__all__ = ["read_records"]


def read_records(
    uow: UnitOfWork, agreement_id: int, versions: Iterable[Agreement], as_of: dt.datetime
) -> dict[str, Records]:
    """The rows of every recorded source of any of the versions, by source id: obligations
    in their state as of ``as_of``."""
    kinds = {
        source.id: source.kind
        for agreement in versions
        for source in agreement.sources
        if source.format is SourceFormat.RECORDED
    }
    found: dict[str, Records] = {}
    incidents: Records | None = None
    obligations: Records | None = None
    for source_id, kind in sorted(kinds.items()):
        if kind is SourceKind.INCIDENTS:
            incidents = incidents or Records(uow.incidents.recorded(agreement_id))
            found[source_id] = incidents
        elif kind is SourceKind.OBLIGATIONS:
            obligations = obligations or Records(uow.obligations.recorded(agreement_id, as_of))
            found[source_id] = obligations
    return found
