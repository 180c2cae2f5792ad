"""Dispute evidence of a party's own data (the source it stands for and its checks), and
the mark the retention purge leaves on an evidence file it removed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dispute_evidence") as table:
        table.add_column(sa.Column("source", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("checks", sa.Text(), nullable=True))
        table.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dispute_evidence") as table:
        table.drop_column("purged_at")
        table.drop_column("checks")
        table.drop_column("source")
