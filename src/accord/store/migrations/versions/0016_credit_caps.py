"""Aggregate caps on the credit ledger: what the caps took off a credit entry, and which."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credit_entries") as batch:
        batch.add_column(sa.Column("clipped", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("caps", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credit_entries") as batch:
        batch.drop_column("caps")
        batch.drop_column("clipped")
