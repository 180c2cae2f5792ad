"""The agreement page's reads, in one unit of work: the agreement with its versions, the
objectives' histories, the verdicts of the chosen window, the credit ledger and its claims,
the incidents, the open duties and the sources the principal may push to.

Each part is the read its own use case makes (``Portfolio.agreement``, ``History.objectives``,
``Verdicts.verdicts``…); gathered here, the page opens one transaction instead of one per
part, and sees one consistent state of the database."""

from __future__ import annotations

from dataclasses import dataclass

from accord.services.history import ObjectiveHistory, objective_histories
from accord.services.incidents import IncidentView, incident_views
from accord.services.ingestion import pushed_sources
from accord.services.ledger import LedgerQuery, LedgerReport, ledger_report
from accord.services.obligations import ObligationQuery, ObligationView, obligation_views
from accord.services.permissions import Permission, Principal
from accord.services.portfolio import AgreementView, agreement_view, get_agreement
from accord.services.uow import ServiceContext
from accord.services.verdict_views import CreditLedger, VerdictPage
from accord.services.verdicts import MAX_PAGE, VerdictQuery, credit_ledger, verdict_page

__all__ = ["AgreementPage", "AgreementPages", "PageQuery"]


@dataclass(frozen=True, kw_only=True)
class PageQuery:
    #: The window whose verdicts are listed; None: the latest window charted.
    window: str | None = None
    outcome: str | None = None


@dataclass(frozen=True, kw_only=True)
class AgreementPage:
    agreement: AgreementView
    histories: list[ObjectiveHistory]
    #: The windows charted, latest first.
    windows: list[str]
    #: The window listed ("" when nothing is charted yet).
    window: str
    verdicts: VerdictPage
    ledger: CreditLedger
    credits: LedgerReport
    incidents: list[IncidentView]
    #: The open duties.
    duties: list[ObligationView]
    push_sources: list[str]


class AgreementPages:
    def __init__(self, context: ServiceContext) -> None:
        self._context = context

    def page(self, principal: Principal, slug: str, query: PageQuery) -> AgreementPage:
        """What the agreement page shows; another organisation's agreement is not found,
        as one that does not exist."""
        principal.require(Permission.READ)
        with self._context.uow(principal) as uow:
            row = get_agreement(uow, slug)
            histories = objective_histories(uow, row)
            windows = sorted({p.window for h in histories for p in h.points}, reverse=True)
            window = query.window or (windows[0] if windows else "")
            listed = VerdictQuery(window=window or None, outcome=query.outcome, limit=MAX_PAGE)
            return AgreementPage(
                agreement=agreement_view(uow, row, with_versions=True),
                histories=histories,
                windows=windows,
                window=window,
                verdicts=verdict_page(uow, row, listed),
                ledger=credit_ledger(uow, row, None),
                credits=ledger_report(uow, [row], LedgerQuery(agreement=slug)),
                incidents=incident_views(uow, row),
                duties=obligation_views(uow, row.id, ObligationQuery(states=("open",))),
                push_sources=pushed_sources(uow, row),
            )
