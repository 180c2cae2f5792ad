"""Repositories: reading and adding rows inside the caller's transaction. They flush so that
new rows get their ids, and never commit: the service that owns the unit of work does."""

from accord.store.repositories.agreements import Agreements
from accord.store.repositories.identity import Organisations, Tokens, Users
from accord.store.repositories.measurements import Batches
from accord.store.repositories.results import (
    Credits,
    RunMark,
    Runs,
    VerdictFilter,
    Verdicts,
)

__all__ = [
    "Agreements",
    "Batches",
    "Credits",
    "Organisations",
    "RunMark",
    "Runs",
    "Tokens",
    "Users",
    "VerdictFilter",
    "Verdicts",
]
