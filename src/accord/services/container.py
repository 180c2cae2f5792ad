"""Every use case, built once by the composition root (``accord.bootstrap``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from accord.services.adjustments import Adjustments
from accord.services.agreement_page import AgreementPages
from accord.services.amendments import Amendments
from accord.services.books import Books
from accord.services.breach_notices import BreachNotices
from accord.services.bundles import Bundles
from accord.services.compliance import Compliance
from accord.services.credentials import Credentials
from accord.services.disputes import Disputes
from accord.services.drilldown import Drilldowns
from accord.services.findings import Findings
from accord.services.history import History
from accord.services.inbound import Inbound
from accord.services.incident_reviews import IncidentReviews
from accord.services.incidents import Incidents
from accord.services.ingestion import Ingestion
from accord.services.ledger import Ledger
from accord.services.notifications import Notifications
from accord.services.obligations import Obligations
from accord.services.organisations import Organisations
from accord.services.overview import Overview
from accord.services.permissions import Principal
from accord.services.portfolio import Portfolio
from accord.services.recorded import RecordedSources
from accord.services.register import Register
from accord.services.renewals import Renewals
from accord.services.report_schedule import ScheduledReports
from accord.services.reports import Reports
from accord.services.retention import Retention
from accord.services.reviews import Reviews
from accord.services.scheduling import Scheduling
from accord.services.status import Status
from accord.services.trail import AuditTrail
from accord.services.uow import Limits, ServiceContext
from accord.services.verdicts import Verdicts

__all__ = ["Services"]


@dataclass(frozen=True)
class Services:
    context: ServiceContext
    organisations: Organisations
    credentials: Credentials
    portfolio: Portfolio
    overview: Overview
    history: History
    agreement_pages: AgreementPages
    reports: Reports
    scheduled_reports: ScheduledReports
    status: Status
    bundles: Bundles
    drilldowns: Drilldowns
    ingestion: Ingestion
    verdicts: Verdicts
    scheduling: Scheduling
    books: Books
    ledger: Ledger
    adjustments: Adjustments
    findings: Findings
    audit: AuditTrail
    obligations: Obligations
    compliance: Compliance
    register: Register
    renewals: Renewals
    retention: Retention
    reviews: Reviews
    notifications: Notifications
    incidents: Incidents
    inbound: Inbound
    incident_reviews: IncidentReviews
    amendments: Amendments
    disputes: Disputes
    breach_notices: BreachNotices
    recorded: RecordedSources

    @classmethod
    def create(cls, context: ServiceContext) -> Services:
        verdicts = Verdicts(context)
        reports = Reports(context)
        renewals = Renewals(context)
        return cls(
            context=context,
            organisations=Organisations(context),
            credentials=Credentials(context),
            portfolio=Portfolio(context),
            overview=Overview(context),
            history=History(context),
            agreement_pages=AgreementPages(context),
            reports=reports,
            scheduled_reports=ScheduledReports(context, reports),
            status=Status(context),
            bundles=Bundles(context),
            drilldowns=Drilldowns(context),
            ingestion=Ingestion(context),
            verdicts=verdicts,
            scheduling=Scheduling(context, verdicts),
            books=Books(context, verdicts),
            ledger=Ledger(context),
            adjustments=Adjustments(context),
            findings=Findings(context),
            audit=AuditTrail(context),
            obligations=Obligations(context),
            compliance=Compliance(context),
            register=Register(context),
            renewals=renewals,
            retention=Retention(context),
            reviews=Reviews(context, reports, renewals),
            notifications=Notifications(context),
            incidents=Incidents(context),
            inbound=Inbound(context),
            incident_reviews=IncidentReviews(context),
            amendments=Amendments(context),
            disputes=Disputes(context),
            breach_notices=BreachNotices(context),
            recorded=RecordedSources(context),
        )

    @property
    def limits(self) -> Limits:
        return self.context.limits

    def ready(self) -> bool:
        """Whether the database answers."""
        with self.context.uow(Principal.console("health")) as uow:
            uow.session.execute(text("SELECT 1"))
        return True

    def close(self) -> None:
        self.context.engine.dispose()
