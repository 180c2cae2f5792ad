"""Period reports: what the stored verdicts say about a month or a quarter, per partner or for
the whole portfolio, with the previous period beside it for the trend; and the reports kept.

``Reports.content`` reads the verdicts and credits (nothing else: the same stored verdicts
give the same report). The interfaces render it (``accord.reports.period``) and hand the
files to ``Reports.store``, which keeps them under ``reports/<scope>/<period>/`` in the data
directory with a manifest recording the SHA-256 of each file and the report's hash (the hash
of its JSON export, which depends on the verdicts alone).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final

from accord.core.period_report import PORTFOLIO, AgreementResults, PeriodReport, VerdictLine
from accord.services.errors import Forbidden, Invalid, NotFound
from accord.services.organisations import OrganisationKind, get_organisation
from accord.services.permissions import Permission, Principal
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.repositories import VerdictFilter
from accord.store.tables import AgreementRow

__all__ = ["ReportQuery", "Reports", "StoredReport", "period_labels"]

_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_QUARTER: Final = re.compile(r"(\d{4})-Q([1-4])")
_MAX_VERDICTS: Final = 5000
_MANIFEST: Final = "manifest.json"


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _label(period: str) -> str:
    """The period as windows are labelled: ``2026-q4`` is ``2026-Q4``, as the core's period
    parser (``accord.core.periods.parse_period``) reads it."""
    text = period.strip()
    return text.upper() if _QUARTER.fullmatch(text.upper()) else text


def period_labels(period: str) -> tuple[set[str], str]:
    """The window labels a month or quarter report covers (a quarter: itself and its three
    months), and the label of the period before it; a lowercase ``q`` is read as ``Q``."""
    label = _label(period)
    if found := _MONTH.fullmatch(label):
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise Invalid(f"period {period!r}: there is no month {month}")
        before = _month(year - (month == 1), 12 if month == 1 else month - 1)
        return {label}, before
    if found := _QUARTER.fullmatch(label):
        year, quarter = int(found[1]), int(found[2])
        months = {_month(year, 3 * (quarter - 1) + m) for m in (1, 2, 3)}
        before = f"{year - (quarter == 1)}-Q{4 if quarter == 1 else quarter - 1}"
        return {label, *months}, before
    raise Invalid(f"period {period!r}: reports are monthly (2026-10) or quarterly (2026-Q4)")


@dataclass(frozen=True, kw_only=True)
class ReportQuery:
    #: Normalised as windows are labelled (``2026-q4`` is ``2026-Q4``).
    period: str
    #: A partner organisation's id; ``None``: the whole portfolio (the caller's own
    #: organisation, for a partner).
    partner: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "period", _label(self.period))


@dataclass(frozen=True)
class StoredReport:
    scope: str
    period: str
    #: SHA-256 of the JSON export: the same verdicts give the same hash.
    report_hash: str
    generated_at: dt.datetime
    files: dict[str, str]
    #: Who kept it: the worker once the period closed, or who ran ``accord report``.
    generated_by: str = ""


def _scope_key(scope: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(scope.items())) or "all"


def _results(
    uow: UnitOfWork, row: AgreementRow, labels: set[str], before: set[str]
) -> AgreementResults:
    results = AgreementResults(row.slug, row.title, [])
    rows, _ = uow.verdicts.search(row.id, VerdictFilter(), limit=_MAX_VERDICTS, offset=0)
    for verdict in rows:
        if verdict.window_label in before:
            results.previous_outcomes[verdict.outcome] = (
                results.previous_outcomes.get(verdict.outcome, 0) + 1
            )
        if verdict.window_label not in labels:
            continue
        evidence = json.loads(verdict.evidence)
        coverage = (evidence.get("coverage") or {}).get("ratio")
        results.verdicts.append(
            VerdictLine(
                objective=verdict.objective,
                scope=_scope_key(json.loads(verdict.scope_key)),
                window=verdict.window_label,
                outcome=verdict.outcome,
                value=str(evidence.get("value_display") or "—"),
                target=str(evidence.get("target_display") or ""),
                coverage_ratio=None if coverage is None else Decimal(str(coverage)),
            )
        )
        results.outcomes[verdict.outcome] = results.outcomes.get(verdict.outcome, 0) + 1
    for (_scheme, window), (amount, currency) in uow.credits.balances(row.id).items():
        if window in labels and amount:
            results.credits[currency] = results.credits.get(currency, Decimal(0)) + amount
    return results


class Reports:
    """Period reports: their content from the stored verdicts, and the reports kept."""

    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    @property
    def _folder(self) -> Path:
        return self._context.data_dir / "reports"

    def _scope(self, uow: UnitOfWork, query: ReportQuery) -> tuple[str, str, int | None]:
        """The report's scope, subject and the partner organisation's id (``None``: all)."""
        principal = uow.principal
        if not principal.company:
            own = uow.organisations.find(principal.organisation_id or -1)
            if own is None or query.partner not in (None, own.slug):
                raise NotFound(f"no organisation {query.partner!r}")
            return own.slug, own.name, own.id
        if query.partner is None:
            company = uow.organisations.find_company()
            return PORTFOLIO, company.name if company else "the portfolio", None
        partner = get_organisation(uow, query.partner)
        if partner.kind == OrganisationKind.COMPANY:
            raise Invalid(
                f"{partner.slug!r} is the company, not a partner: its report is the "
                "portfolio's (ask without a partner)"
            )
        return partner.slug, partner.name, partner.id

    def content(self, principal: Principal, query: ReportQuery) -> PeriodReport:
        principal.require(Permission.READ)
        labels, previous = period_labels(query.period)
        before = period_labels(previous)[0]
        with self._context.uow(principal) as uow:
            scope, subject, partner_id = self._scope(uow, query)
            parties = uow.agreements.all_parties()
            # The agreement's partners are its parties other than the company, whoever asks.
            names = {o.id: o.name for o in uow.organisations.all() if o.kind != "company"}
            agreements = []
            for row in uow.agreements.all():
                linked = set(parties.get(row.id, {}).values())
                if partner_id is not None and partner_id not in linked:
                    continue
                results = _results(uow, row, labels, before)
                results.partners = sorted(names[o] for o in linked if o in names)
                agreements.append(results)
        return PeriodReport(scope, subject, query.period, previous, agreements)

    def store(
        self, principal: Principal, report: PeriodReport, files: Mapping[str, bytes]
    ) -> StoredReport:
        """Keep the rendered files (``report.json`` among them) with their manifest; a
        partner keeps only its own organisation's (another's is not found, as in
        ``content``)."""
        principal.require(Permission.READ)
        if "report.json" not in files:
            raise Invalid("a stored report needs its JSON export, report.json")
        own = self._own_scope(principal)
        if own is not None and report.scope == PORTFOLIO:
            raise Forbidden("only the company keeps portfolio reports")
        if own is not None and report.scope != own:
            raise NotFound(f"no organisation {report.scope!r}")
        folder = self._folder / report.scope / report.period
        folder.mkdir(parents=True, exist_ok=True)
        digests = {}
        for name, content in sorted(files.items()):
            (folder / name).write_bytes(content)
            digests[name] = hashlib.sha256(content).hexdigest()
        stored = StoredReport(
            report.scope,
            report.period,
            digests["report.json"],
            self._context.clock.now(),
            digests,
            principal.name,
        )
        manifest = {
            "scope": stored.scope,
            "period": stored.period,
            "report_hash": stored.report_hash,
            "generated_at": stored.generated_at.isoformat(),
            "generated_by": stored.generated_by,
            "files": digests,
        }
        (folder / _MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return stored

    def keep_edition(self, principal: Principal, scope: str, period: str, edition: int) -> None:
        """Copy the kept files of a report into ``edition-<n>/`` beside them, before a later
        edition (a restated period's) replaces them; once: a copy already made stays."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        folder = self._folder / scope / period
        target = folder / f"edition-{edition}"
        if target.exists() or not folder.is_dir():
            return
        partial = folder / f".edition-{edition}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for path in folder.iterdir():
            if path.is_file():
                shutil.copy2(path, partial / path.name)
        partial.rename(target)

    def stored(self, principal: Principal) -> list[StoredReport]:
        """The reports kept that the principal may read: all for the company, its own
        organisation's for a partner."""
        principal.require(Permission.READ)
        own = self._own_scope(principal)
        found = []
        for manifest in sorted(self._folder.glob(f"*/*/{_MANIFEST}")):
            data = json.loads(manifest.read_text(encoding="utf-8"))
            if own is not None and data["scope"] != own:
                continue
            found.append(
                StoredReport(
                    data["scope"],
                    data["period"],
                    data["report_hash"],
                    dt.datetime.fromisoformat(data["generated_at"]),
                    data["files"],
                    data.get("generated_by", ""),
                )
            )
        return sorted(found, key=lambda r: (r.period, r.scope), reverse=True)

    def file(self, principal: Principal, scope: str, period: str, name: str) -> bytes:
        """One kept file; what the principal may not read is not found."""
        kept = next(
            (r for r in self.stored(principal) if (r.scope, r.period) == (scope, period)), None
        )
        if kept is None or name not in kept.files:
            raise NotFound(f"no report file {scope}/{period}/{name}")
        return (self._folder / scope / period / name).read_bytes()

    def _own_scope(self, principal: Principal) -> str | None:
        if principal.company:
            return None
        with self._context.uow(principal) as uow:
            own = uow.organisations.find(principal.organisation_id or -1)
            if own is None:
                raise NotFound("no organisation")
            return own.slug
