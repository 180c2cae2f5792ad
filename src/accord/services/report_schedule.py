"""Reports the service generates by itself once a period closes.

When the books of a month close (``accord.services.books``: its data cutoff passed and a run
made it final), the worker generates that month's report for each partner whose agreements
have all closed it, and the portfolio report once every agreement judged in the month has
closed it; a quarter's, once its last month is so closed. Each report is rendered and kept
as ``accord report`` keeps it (``Reports.store``: files, manifest, hash), then recorded with
its emails in one transaction: a row keyed by organisation, period and scope, and one outbox
email per recipient. A second tick, a restarted worker, or one that crashed after writing
the files and before the commit, finds the row (or writes the same files again and then
records them): a report is recorded and sent exactly once.

**Who is emailed.** For each agreement in the report: the recipients of its
``governance.reports`` of the period's cadence (monthly, quarterly), or, where it declares no
reports, its governance participants; their contacts' addresses — only those of the
company's parties and, for a partner's report, that partner's (a partner never gets another's
figures). An agreement without governance names nobody: its reports are kept and listed,
not sent. Users may mute ``report`` emails in their notification preferences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from accord.core.model import Agreement
from accord.core.period_report import PORTFOLIO
from accord.services.errors import Conflict
from accord.services.in_force import parsed
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_version_in_force
from accord.services.reports import ReportQuery, Reports, StoredReport
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.report_rows import ScheduledReportRow
from accord.store.tables import AgreementRow, OrganisationRow

__all__ = ["GeneratedReport", "ScheduledReports", "due_periods"]

_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class GeneratedReport:
    """A report generated on schedule: its scope, period, hash and emails written."""

    scope: str
    period: str
    report_hash: str
    emails: int


@dataclass(frozen=True)
class _Scope:
    """Whom a report is about: the portfolio (the company) or one partner, and the
    agreements it covers."""

    name: str
    organisation: OrganisationRow
    agreements: tuple[AgreementRow, ...]
    #: The organisations whose contacts may receive it.
    readers: frozenset[int]


def due_periods(
    agreements: Iterable[int], judged: set[tuple[int, str]], closed: set[tuple[int, str]]
) -> list[str]:
    """The months final for a set of agreements — closed by at least one, and by every one
    that judged it — and the quarters whose last month is among them."""
    ids = set(agreements)
    months = {label for agreement, label in closed if agreement in ids and _MONTH.match(label)}
    final = [
        month
        for month in sorted(months)
        if all((a, month) in closed for a in ids if (a, month) in judged)
    ]
    quarters = []
    for month in final:
        found = _MONTH.match(month)
        assert found is not None
        if int(found[2]) % 3 == 0:
            quarters.append(f"{found[1]}-Q{int(found[2]) // 3}")
    return sorted(final + quarters)


def _scopes(uow: UnitOfWork) -> list[_Scope]:
    company = uow.organisations.find_company()
    if company is None:
        return []
    rows = uow.agreements.all()
    parties = uow.agreements.all_parties()
    scopes = [_Scope(PORTFOLIO, company, tuple(rows), frozenset({company.id}))]
    for organisation in uow.organisations.all():
        if organisation.id == company.id:
            continue
        mine = tuple(r for r in rows if organisation.id in parties.get(r.id, {}).values())
        if mine:
            readers = frozenset({company.id, organisation.id})
            scopes.append(_Scope(organisation.slug, organisation, mine, readers))
    return scopes


def _declared(agreement: Agreement, period: str) -> list[str]:
    """The parties an agreement sends this period's report to."""
    governance = agreement.governance
    if governance is None:
        return []
    if not governance.reports:
        return list(governance.participants)
    cadence = "monthly" if _MONTH.match(period) else "quarterly"
    return [
        party
        for report in governance.reports
        if report.schedule == cadence
        for party in report.recipients
    ]


def _recipients(
    uow: UnitOfWork, scope: _Scope, period: str
) -> list[tuple[AgreementRow, Agreement, list[str]]]:
    """Per agreement of the scope, the addresses its report email goes to (each address
    once, under the first agreement that names it)."""
    parties = uow.agreements.all_parties()
    seen: set[str] = set()
    found = []
    for row in scope.agreements:
        if uow.agreements.latest_version(row.id) is None:
            continue
        agreement = parsed(get_version_in_force(uow, row, uow.now()))
        organisations = parties.get(row.id, {})
        addresses = [
            address
            for party in dict.fromkeys(_declared(agreement, period))
            if organisations.get(party) in scope.readers
            for address in contacts_of(agreement, party)
            if address not in seen
        ]
        seen.update(addresses)
        if addresses:
            found.append((row, agreement, addresses))
    return found


def _notice(scope: _Scope, kept: StoredReport, summary: Sequence[str], base: str) -> Notice:
    about = "the portfolio" if scope.name == PORTFOLIO else scope.organisation.name
    cadence = "Monthly" if _MONTH.match(kept.period) else "Quarterly"
    link = f"{base}/reports/{kept.scope}/{kept.period}"
    return Notice(
        event="report",
        key=f"report:{kept.scope}:{kept.period}",
        agreement=about,
        title=f"{cadence} report {kept.period}: {about}",
        facts={
            "Period": kept.period,
            "About": about,
            "Summary": " ".join(summary),
            "Read it": f"{link}/report.html",
            "PDF": f"{link}/report.pdf",
            "SHA-256 of the JSON export": kept.report_hash,
        },
    )


class ScheduledReports:
    """The worker's use case: generate, keep and send the reports of closed periods."""

    def __init__(self, context: ServiceContext, reports: Reports) -> None:
        self._context = context
        self._reports = reports

    @property
    def enabled(self) -> bool:
        """Whether the settings let the worker generate reports (``ACCORD_SCHEDULED_REPORTS``)."""
        return self._context.scheduled_reports

    def due(self, principal: Principal) -> list[tuple[str, str]]:
        """(scope, period) of every report due and not generated yet, oldest period first."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        with self._context.uow(principal) as uow:
            return [(scope.name, period) for scope, period in self._due(uow)]

    def generate(self, principal: Principal, scope: str, period: str) -> GeneratedReport | None:
        """Generate, keep and send one due report; ``None`` when it is not due (any more)."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        with self._context.uow(principal) as uow:
            found = next((s for s, p in self._due(uow) if (s.name, p) == (scope, period)), None)
        return None if found is None else self._generate(principal, found, period)

    def generate_due(self, principal: Principal) -> list[GeneratedReport]:
        """Generate every due report once; nothing when the settings turned them off."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        if not self.enabled:
            return []
        with self._context.uow(principal) as uow:
            due = self._due(uow)
        generated = []
        for scope, period in due:
            done = self._generate(principal, scope, period)
            if done is not None:
                generated.append(done)
        return generated

    def _due(self, uow: UnitOfWork) -> list[tuple[_Scope, str]]:
        scopes = _scopes(uow)
        ids = [row.id for row in uow.agreements.all()]
        judged = uow.scheduled_reports.judged(ids)
        closed = set(uow.books.closed_of(ids))
        done = uow.scheduled_reports.generated()
        due = [
            (scope, period)
            for scope in scopes
            for period in due_periods((a.id for a in scope.agreements), judged, closed)
            if (scope.name, period) not in done
        ]
        return sorted(due, key=lambda item: (item[1], item[0].name == PORTFOLIO, item[0].name))

    def _generate(self, principal: Principal, scope: _Scope, period: str) -> GeneratedReport | None:
        partner = None if scope.name == PORTFOLIO else scope.name
        content = self._reports.content(principal, ReportQuery(period=period, partner=partner))
        rendered = self._context.rendering.period_report(content)
        # The files first: a crash before the commit below leaves files that the next tick
        # writes again (the same verdicts give the same files) and then records.
        kept = self._reports.store(principal, content, rendered.files)
        notice = _notice(scope, kept, rendered.summary, self._context.public_url)
        try:
            with self._context.uow(principal, write=True) as uow:
                if (scope.name, period) in uow.scheduled_reports.generated():
                    return None
                emails = sum(
                    enqueue(uow, row, agreement, notice, addresses)
                    for row, agreement, addresses in _recipients(uow, scope, period)
                )
                uow.scheduled_reports.add(
                    ScheduledReportRow(
                        organisation_id=scope.organisation.id,
                        scope=scope.name,
                        period=period,
                        report_hash=kept.report_hash,
                        files=json.dumps(kept.files, sort_keys=True),
                        generated_at=uow.now(),
                        emails=emails,
                    )
                )
                uow.audit(
                    "report.generated",
                    "report",
                    f"{scope.name}/{period}",
                    after={"report_hash": kept.report_hash, "files": kept.files, "emails": emails},
                )
                uow.commit()
        except Conflict:  # another worker recorded it first: it sent the emails
            return None
        return GeneratedReport(scope.name, period, kept.report_hash, emails)
