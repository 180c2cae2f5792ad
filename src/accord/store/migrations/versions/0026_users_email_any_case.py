"""A user's e-mail address is unique in any case: a unique index on ``lower(email)``.
Users are found by address case-insensitively, so two accounts differing only in case
would be one person with two sets of roles. A database that already holds such pairs is
refused, naming them: which account to keep is a human decision (merge or rename by hand,
then upgrade again)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from accord.store.migrations import MigrationRefused

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

_INDEX = "uq_users_lower_email"


class DuplicateEmails(MigrationRefused):
    """Users whose addresses differ only in case: the index cannot be created."""


def _same_in_any_case(connection: sa.Connection) -> list[list[str]]:
    users = sa.table("users", sa.column("email", sa.String()))
    lowered = sa.func.lower(users.c.email)
    clashing = sa.select(lowered).group_by(lowered).having(sa.func.count() > 1).subquery()
    rows = connection.execute(
        sa.select(lowered, users.c.email)
        .where(lowered.in_(sa.select(clashing)))
        .order_by(lowered, users.c.email)
    ).all()
    groups: dict[str, list[str]] = {}
    for key, email in rows:
        groups.setdefault(key, []).append(email)
    return list(groups.values())


def upgrade() -> None:
    clashes = _same_in_any_case(op.get_bind())
    if clashes:
        named = "; ".join(" and ".join(group) for group in clashes)
        raise DuplicateEmails(
            f"users' e-mail addresses must be unique in any case, but these differ only in "
            f"case: {named}. Merge or rename these accounts by hand, then upgrade again."
        )
    op.create_index(_INDEX, "users", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="users")
