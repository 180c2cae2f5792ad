"""The DORA register of information, per agreement or for every agreement the caller sees,
as CSV (one row per agreement) or JSON (``accord.dora-register/v1``). The fields and where
each comes from: ``accord.core.compliance.register`` and docs/dora-register.md."""

from __future__ import annotations

import csv
import io
import json
from typing import Final

from accord.core.compliance.register import REGISTER_FIELDS, Arrangement, register_entry
from accord.services.compliance import declaration_of
from accord.services.errors import Invalid
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import Document, get_agreement, parsed
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.tables import AgreementRow

__all__ = ["REGISTER_FORMAT", "Register"]

REGISTER_FORMAT: Final = "accord.dora-register/v1"
_MEDIA: Final = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class Register:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def entries(self, principal: Principal, slug: str | None = None) -> list[dict[str, str]]:
        """The register's fields for one agreement, or for each agreement the caller sees
        (by id); an agreement without a version has no entry."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            rows = [get_agreement(uow, slug)] if slug else list(uow.agreements.all())
            found = [_arrangement(uow, row) for row in rows]
        return [register_entry(item) for item in found if item is not None]

    def export(self, principal: Principal, slug: str | None, output: str) -> Document:
        if output not in _MEDIA:
            raise Invalid(f"no register format {output!r}; formats: csv, json")
        entries = self.entries(principal, slug)
        name = f"dora-register-{slug or 'all'}.{output}"
        if output == "json":
            content = json.dumps(
                {
                    "format": REGISTER_FORMAT,
                    "generated_at": self._context.clock.now().isoformat(),
                    "fields": [field.name for field in REGISTER_FIELDS],
                    "arrangements": entries,
                },
                indent=2,
                ensure_ascii=False,
            )
            return Document(_MEDIA[output], content.encode(), name)
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=[field.name for field in REGISTER_FIELDS], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(entries)
        return Document(_MEDIA[output], buffer.getvalue().encode(), name)


def _arrangement(uow: UnitOfWork, row: AgreementRow) -> Arrangement | None:
    version = uow.agreements.latest_version(row.id)
    if version is None:
        return None
    agreement = parsed(version)
    links = uow.agreements.parties(row.id)
    slugs = {o.id: o.slug for o in uow.organisations.by_ids(set(links.values())).values()}
    declaration = None
    if agreement.data_handling is not None:
        processor = links.get(agreement.data_handling.processor)
        stored = None if processor is None else uow.compliance.latest_declaration(processor)
        declaration = None if stored is None else declaration_of(stored)
    return Arrangement(
        agreement=agreement,
        version=version.number,
        organisations={party: slugs[org] for party, org in links.items() if org in slugs},
        declaration=declaration,
    )
