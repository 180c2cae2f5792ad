"""Who did something, as shown to the one asking: a partner sees the names of its own
organisation's people, and the company's staff only as such, never their e-mail addresses."""

from __future__ import annotations

from typing import Final

from accord.services.uow import UnitOfWork

__all__ = ["COMPANY_STAFF", "shown_actor"]

COMPANY_STAFF: Final = "company staff"


def shown_actor(uow: UnitOfWork, name: str) -> str:
    """``name`` (an e-mail, or ``console``/``worker``) as the unit of work's principal may
    see it: a user outside a partner's own organisation is ``company staff``."""
    principal = uow.principal
    if principal.company or "@" not in name or name == principal.name:
        return name
    # The partner's tenant sees only its own organisation's users.
    return name if uow.users.find_by_email(name) is not None else COMPANY_STAFF
