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

**Which periods.** Only periods that close after the service began generating reports: the
first time it generates any (``ACCORD_SCHEDULED_REPORTS`` turned on, or a new installation),
it generates the most recent final month (and the quarter it ends) and none before it; from
then on, every period from the first one generated on. Earlier periods are not sent out
months late; ``accord report`` still makes any of them.

**Restated periods.** When a restatement of a period a report covers is applied after the
report was generated (``accord.services.books``), the report is generated again as its next
edition: a new row (``edition`` one more, ``restated`` naming the restatements) beside the
earlier one, which is kept and marked superseded, its files copied into ``edition-<n>/``
beside the new ones. Its email says that it is a restatement, of what and why.

**Who is emailed.** For each agreement in the report: the recipients of its
``governance.reports`` of the period's cadence (monthly, quarterly), or, where it declares no
reports, its governance participants; their contacts' addresses — only those of the
company's parties and, for a partner's report, that partner's (a partner never gets another's
figures). An agreement without governance names nobody: its reports are kept and listed,
not sent. Users may mute ``report`` emails in their notification preferences.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from accord.core.model import Agreement
from accord.core.period_report import PORTFOLIO
from accord.services.errors import Conflict, Invalid
from accord.services.in_force import parsed
from accord.services.messages import Notice
from accord.services.notifications import contacts_of, enqueue
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import get_version_in_force
from accord.services.reports import ReportQuery, Reports, StoredReport, period_labels
from accord.services.uow import ServiceContext, UnitOfWork
from accord.store.report_rows import ScheduledReportRow
from accord.store.tables import AgreementRow, OrganisationRow, RestatementRow

__all__ = [
    "GeneratedReport",
    "ScheduledReports",
    "due_periods",
    "last_month",
    "lies_in",
    "since_first",
]

_MONTH: Final = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER: Final = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class GeneratedReport:
    """A report generated on schedule: its scope, period, hash and emails written; an
    edition after the first is a restated period's."""

    scope: str
    period: str
    report_hash: str
    emails: int
    edition: int = 1


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


@dataclass(frozen=True)
class _Due:
    """A report to generate: a period's first edition, or the next one of a restated
    period (``earlier`` the edition it supersedes, ``restated`` the restatements why)."""

    scope: _Scope
    period: str
    earlier: ScheduledReportRow | None = None
    restated: tuple[str, ...] = ()

    @property
    def edition(self) -> int:
        return 1 if self.earlier is None else self.earlier.edition + 1


def last_month(period: str) -> str:
    """The last month of a report's period: ``2026-10`` → itself, ``2026-Q4`` → ``2026-12``."""
    found = _QUARTER.match(period)
    if found is None:
        return period
    return f"{found[1]}-{int(found[2]) * 3:02d}"


def since_first(periods: Iterable[str], generated: Iterable[str]) -> list[str]:
    """The periods due by when reports began: those ending at or after the first period
    ever generated; before any was, only the most recent month and its quarter."""
    candidates = list(periods)
    months = [last_month(p) for p in generated]
    if months:
        start = min(months)
    else:
        ends = [last_month(p) for p in candidates]
        start = max(ends, default="")
    return [p for p in candidates if last_month(p) >= start]


def _months(period: str) -> set[str]:
    """The months of a month or quarter; any other window label stands for itself."""
    try:
        labels, _ = period_labels(period)
    except Invalid:
        return {period}
    return {label for label in labels if _MONTH.match(label)}


def lies_in(restated: str, period: str) -> bool:
    """Whether a restated window (a month, a quarter) lies in a report's period."""
    return bool(_months(restated) & _months(period))


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


def _notice(due: _Due, kept: StoredReport, summary: Sequence[str], base: str) -> Notice:
    """The report's email: a restated edition's says so, what it replaces and why."""
    scope = due.scope
    about = "the portfolio" if scope.name == PORTFOLIO else scope.organisation.name
    cadence = "Monthly" if _MONTH.match(kept.period) else "Quarterly"
    link = f"{base}/reports/{kept.scope}/{kept.period}"
    facts = {
        "Period": kept.period,
        "About": about,
        "Summary": " ".join(summary),
        "Read it": f"{link}/report.html",
        "PDF": f"{link}/report.pdf",
        "SHA-256 of the JSON export": kept.report_hash,
    }
    title = f"{cadence} report {kept.period}: {about}"
    key = f"report:{kept.scope}:{kept.period}"
    if due.earlier is not None:
        title = f"Restated {cadence.lower()} report {kept.period}: {about}"
        key = f"{key}:edition-{due.edition}"
        earlier = f"edition {due.earlier.edition} of {due.earlier.generated_at:%Y-%m-%d}"
        facts = {
            "Restatement": f"edition {due.edition}, replacing {earlier} "
            f"(SHA-256 {due.earlier.report_hash}): " + "; ".join(due.restated),
            **facts,
        }
    return Notice(event="report", key=key, agreement=about, title=title, facts=facts)


def _restated(
    applied: Mapping[int, Sequence[RestatementRow]], scope: _Scope, period: str, since: dt.datetime
) -> list[str]:
    """The restatements of the scope's agreements applied to the period after ``since``
    (``applied``: each agreement's applied restatements)."""
    found = []
    for row in scope.agreements:
        for restatement in applied.get(row.id, ()):
            decided = restatement.decided_at
            if decided is None or decided <= since:
                continue
            if lies_in(restatement.period, period):
                found.append(
                    f"{row.slug} {restatement.period} restated on {decided:%Y-%m-%d} "
                    f"({restatement.reason_code}: {restatement.reason})"
                )
    return found


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
        """(scope, period) of every report due and not generated yet (or restated since),
        oldest period first."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        with self._context.uow(principal) as uow:
            return [(due.scope.name, due.period) for due in self._due(uow)]

    def generate(self, principal: Principal, scope: str, period: str) -> GeneratedReport | None:
        """Generate, keep and send one due report; ``None`` when it is not due (any more)."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        with self._context.uow(principal) as uow:
            found = next(
                (d for d in self._due(uow) if (d.scope.name, d.period) == (scope, period)), None
            )
        return None if found is None else self._generate(principal, found)

    def generate_due(self, principal: Principal) -> list[GeneratedReport]:
        """Generate every due report once; nothing when the settings turned them off."""
        principal.require(Permission.MANAGE_AGREEMENTS)
        if not self.enabled:
            return []
        with self._context.uow(principal) as uow:
            due = self._due(uow)
        generated = []
        for item in due:
            done = self._generate(principal, item)
            if done is not None:
                generated.append(done)
        return generated

    def _due(self, uow: UnitOfWork) -> list[_Due]:
        scopes = _scopes(uow)
        ids = [row.id for row in uow.agreements.all()]
        judged = uow.scheduled_reports.judged(ids)
        closed = set(uow.books.closed_of(ids))
        current = uow.scheduled_reports.current()
        applied = uow.books.applied_restatements(ids)
        final = {
            scope.name: due_periods((a.id for a in scope.agreements), judged, closed)
            for scope in scopes
        }
        begun = since_first(
            {p for periods in final.values() for p in periods}, (p for _, p in current)
        )
        due = []
        for scope in scopes:
            for period in final[scope.name]:
                earlier = current.get((scope.name, period))
                if earlier is None:
                    if period in begun:
                        due.append(_Due(scope, period))
                    continue
                restated = _restated(applied, scope, period, earlier.generated_at)
                if restated:
                    due.append(_Due(scope, period, earlier, tuple(restated)))
        return sorted(due, key=lambda d: (d.period, d.scope.name == PORTFOLIO, d.scope.name))

    def _generate(self, principal: Principal, due: _Due) -> GeneratedReport | None:
        scope, period = due.scope, due.period
        partner = None if scope.name == PORTFOLIO else scope.name
        content = self._reports.content(principal, ReportQuery(period=period, partner=partner))
        rendered = self._context.rendering.period_report(content)
        if due.earlier is not None:  # its files stay readable beside the new edition's
            self._reports.keep_edition(principal, scope.name, period, due.earlier.edition)
        # The files first: a crash before the commit below leaves files that the next tick
        # writes again (the same verdicts give the same files) and then records.
        kept = self._reports.store(principal, content, rendered.files)
        notice = _notice(due, kept, rendered.summary, self._context.public_url)
        try:
            with self._context.uow(principal, write=True) as uow:
                emails = self._record(uow, due, kept, notice)
                if emails is None:
                    return None
                uow.commit()
        except Conflict:  # another worker recorded it first: it sent the emails
            return None
        return GeneratedReport(scope.name, period, kept.report_hash, emails, due.edition)

    def _record(self, uow: UnitOfWork, due: _Due, kept: StoredReport, notice: Notice) -> int | None:
        """The report's row, its emails and audit entry (the edition it supersedes marked);
        ``None`` when another worker recorded this edition first."""
        scope, period = due.scope, due.period
        latest = uow.scheduled_reports.current().get((scope.name, period))
        if (latest.edition if latest else 0) != due.edition - 1:
            return None
        emails = sum(
            enqueue(uow, row, agreement, notice, addresses)
            for row, agreement, addresses in _recipients(uow, scope, period)
        )
        if latest is not None:
            latest.superseded_at = uow.now()
        uow.scheduled_reports.add(
            ScheduledReportRow(
                organisation_id=scope.organisation.id,
                scope=scope.name,
                period=period,
                report_hash=kept.report_hash,
                files=json.dumps(kept.files, sort_keys=True),
                generated_at=uow.now(),
                emails=emails,
                edition=due.edition,
                restated="; ".join(due.restated) or None,
            )
        )
        after: dict[str, object] = {
            "report_hash": kept.report_hash,
            "files": kept.files,
            "emails": emails,
        }
        if latest is not None:
            after |= {"edition": due.edition, "restated": list(due.restated)}
        uow.audit(
            "report.restated" if latest is not None else "report.generated",
            "report",
            f"{scope.name}/{period}",
            before=None
            if latest is None
            else {"edition": latest.edition, "report_hash": latest.report_hash},
            after=after,
        )
        return emails
