"""Roles, permissions and the principal a use case acts for: the one door for permissions.

Organisations hold the data boundary (``accord.store.tenancy``): a principal sees the
agreements its organisation owns or is a party to. Roles decide what it may do there:

| role | may |
| --- | --- |
| admin | everything in its organisation: users, roles, tokens; in the company also partner organisations, agreements, evaluations and the audit trail |
| agreement_manager | upload agreement versions and link their parties, evaluate (recorded) and preview, push measurements, restate closed periods (approve restatements), claim and settle credits, run incidents; record compliance and governance for any organisation |
| partner | read its organisation's agreements, verdicts and credits; push to the sources its party supplies; preview evaluations (computed, never recorded); ask for a restatement; accept or dispute credit claims; record its own organisation's compliance (certifications, data-handling declarations) and its party's governance decisions; open, acknowledge, update, mitigate and resolve its agreements' incidents |
| auditor | read everything its organisation sees, and (in the company) the audit trail |
| viewer | read everything its organisation sees |

Only the company (the organisation that runs Accord) owns agreements, so only its admins and
agreement managers upload them and record evaluations (which can change recorded verdicts and
credits); a partner previews, and asks the company to restate; its admins and auditors alone read the audit trail, which
spans every tenant. A token carries scopes, a subset of its user's permissions.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accord.services.errors import Forbidden
from accord.store.tenancy import Tenant

__all__ = ["ROLE_PERMISSIONS", "Permission", "Principal", "Role", "permissions_of"]


class Role(StrEnum):
    ADMIN = "admin"
    AGREEMENT_MANAGER = "agreement_manager"
    PARTNER = "partner"
    AUDITOR = "auditor"
    VIEWER = "viewer"


class Permission(StrEnum):
    READ = "read"
    MANAGE_AGREEMENTS = "agreements:write"
    #: Evaluate and record: can change recorded verdicts and credits (company only).
    EVALUATE = "evaluations:run"
    #: Evaluate without recording: computed and returned, never kept.
    PREVIEW = "evaluations:preview"
    PUSH = "measurements:push"
    INCIDENTS = "incidents:write"
    #: Approve (apply) a restatement of a closed period (company only).
    RESTATE = "books:restate"
    #: Ask for a closed period to be restated.
    REQUEST_RESTATEMENT = "books:request"
    #: Claim credits owed, and record them settled (the consumer: company only).
    CLAIM_CREDITS = "credits:claim"
    #: Accept or dispute a claim (the provider).
    ANSWER_CLAIMS = "credits:answer"
    #: Book (or approve) a manual adjustment of the credit ledger (company only).
    ADJUST_CREDITS = "credits:adjust"
    GOVERN = "governance:write"
    AUDIT = "audit:read"
    ADMINISTER = "admin"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.AGREEMENT_MANAGER: frozenset(
        {
            Permission.READ,
            Permission.MANAGE_AGREEMENTS,
            Permission.EVALUATE,
            Permission.PREVIEW,
            Permission.PUSH,
            Permission.GOVERN,
            Permission.INCIDENTS,
            Permission.RESTATE,
            Permission.REQUEST_RESTATEMENT,
            Permission.CLAIM_CREDITS,
            Permission.ADJUST_CREDITS,
        }
    ),
    Role.PARTNER: frozenset(
        {
            Permission.READ,
            Permission.PUSH,
            Permission.PREVIEW,
            Permission.GOVERN,
            Permission.INCIDENTS,
            Permission.REQUEST_RESTATEMENT,
            Permission.ANSWER_CLAIMS,
        }
    ),
    Role.AUDITOR: frozenset({Permission.READ, Permission.AUDIT}),
    Role.VIEWER: frozenset({Permission.READ}),
}
#: Permissions that only make sense in the company's organisation.
_COMPANY_ONLY = frozenset(
    {
        Permission.MANAGE_AGREEMENTS,
        Permission.AUDIT,
        Permission.EVALUATE,
        Permission.RESTATE,
        Permission.CLAIM_CREDITS,
        Permission.ADJUST_CREDITS,
    }
)


def permissions_of(roles: set[Role] | frozenset[Role], *, company: bool) -> frozenset[Permission]:
    granted = frozenset().union(*(ROLE_PERMISSIONS[role] for role in roles))
    return granted if company else granted - _COMPANY_ONLY


@dataclass(frozen=True)
class Principal:
    """Who a use case acts for. ``name`` is what the audit trail records as the actor."""

    name: str
    user_id: int | None
    organisation_id: int | None
    company: bool
    permissions: frozenset[Permission]
    #: The API token the principal signed in with (None: a session, the console).
    token_id: int | None = None

    @classmethod
    def console(cls, name: str = "console") -> Principal:
        """The operator at the command line (``accord admin``, ``accord audit``): every
        permission, across every tenant."""
        return cls(name, None, None, company=True, permissions=frozenset(Permission))

    @property
    def tenant(self) -> Tenant:
        if self.organisation_id is None:
            return Tenant.system()
        return Tenant(self.organisation_id, operator=self.company)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise Forbidden(f"{self.name} lacks the permission {permission.value!r}")
