"""What a use case can refuse, in terms every interface maps to its own (HTTP status, exit code).

``NotFound`` is also the answer for what exists but belongs to another tenant, so that a
partner cannot learn that an agreement it is not party to exists.
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.core.problems import Problem

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "ServiceError",
    "Throttled",
    "TooLarge",
    "Unauthenticated",
    "WorkTimedOut",
]


class ServiceError(Exception):
    """A refusal with a message meant for the person who asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """No such thing, or not one the principal may see."""


class Forbidden(ServiceError):
    """The principal sees the thing but may not do this to it."""


class Unauthenticated(ServiceError):
    """No valid credentials: unknown, expired or revoked token or session, wrong password."""


class Invalid(ServiceError):
    """Input that cannot be used; ``problems`` places each finding (line, column, path)."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


class Conflict(ServiceError):
    """The request contradicts what is stored (a duplicate name, a party linked elsewhere)."""


class TooLarge(ServiceError):
    """More than the configured limit (events per batch, bytes per request)."""


class Throttled(Unauthenticated):
    """Too many failed attempts from this account or address: try again after a wait."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class WorkTimedOut(ServiceError):
    """The work of a request passed its time limit; nothing it did was kept
    (``accord.services.deadline``)."""

    def __init__(self, message: str, *, retry_after_seconds: int, seconds: float) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds
        self.seconds = seconds
