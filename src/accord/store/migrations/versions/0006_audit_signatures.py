"""Audit entries carry the service key's signature of their hash (issue 10 §5)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("signature", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("signature")
