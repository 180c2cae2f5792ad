"""Which agreement governs an instant: stored versions parsed once per process, and the one
function every use case asks for the terms in force."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.versions import VersionSpan, in_force
from accord.services.uow import UnitOfWork
from accord.store.tables import AgreementRow, AgreementVersionRow

__all__ = ["agreement_in_force", "parsed"]


@lru_cache(maxsize=128)
def _parse(version_hash: str, text: str) -> Agreement:
    loaded = load_agreement(text, version_hash)
    if loaded.agreement is None:
        raise AssertionError(f"stored version {version_hash} no longer loads")
    return loaded.agreement


def parsed(version: AgreementVersionRow) -> Agreement:
    """The agreement of a stored version (it was valid when stored; parsed once per process)."""
    return _parse(version.version_hash, version.text)


def agreement_in_force(uow: UnitOfWork, row: AgreementRow, at: dt.datetime) -> Agreement | None:
    """The agreement version in force at ``at`` (``accord.core.versions``); ``None`` when the
    agreement has no version."""
    spans = {VersionSpan(v.effective_at, v.number): v for v in uow.agreements.versions(row.id)}
    if not spans:
        return None
    return parsed(spans[in_force(spans, at)])
