"""Repositories: reading and adding rows inside the caller's transaction. They flush so that
new rows get their ids, and never commit: the service that owns the unit of work does."""

from accord.store.repositories.agreements import Agreements
from accord.store.repositories.books import Books
from accord.store.repositories.compliance import Compliance
from accord.store.repositories.credentials import Tokens
from accord.store.repositories.credits import CreditEntrySummary, Credits
from accord.store.repositories.findings import Findings
from accord.store.repositories.governance import Amendments, Disputes
from accord.store.repositories.incidents import Incidents
from accord.store.repositories.measurements import Batches
from accord.store.repositories.notifications import Outbox
from accord.store.repositories.obligations import ObligationFilter, Obligations
from accord.store.repositories.organisations import Organisations, Users
from accord.store.repositories.reports import ScheduledReports
from accord.store.repositories.runs import RunMark, Runs
from accord.store.repositories.verdicts import (
    VerdictFilter,
    VerdictKey,
    Verdicts,
    VerdictSummaryRow,
    WindowOutcomesRow,
    evidence_figures,
)

__all__ = [
    "Agreements",
    "Amendments",
    "Batches",
    "Books",
    "Compliance",
    "CreditEntrySummary",
    "Credits",
    "Disputes",
    "Findings",
    "Incidents",
    "ObligationFilter",
    "Obligations",
    "Organisations",
    "Outbox",
    "RunMark",
    "Runs",
    "ScheduledReports",
    "Tokens",
    "Users",
    "VerdictFilter",
    "VerdictKey",
    "VerdictSummaryRow",
    "Verdicts",
    "WindowOutcomesRow",
    "evidence_figures",
]
