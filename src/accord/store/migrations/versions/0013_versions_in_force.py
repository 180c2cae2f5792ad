"""Versions in force: each agreement version records when it takes effect, and why when that
is before its upload (a backdated correction). Versions stored before take effect when they
were uploaded, the first of each agreement from the start."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement_versions") as batch:
        batch.add_column(sa.Column("effective_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("backdated", sa.Text(), nullable=True))
    op.execute("UPDATE agreement_versions SET effective_at = uploaded_at")
    with op.batch_alter_table("agreement_versions") as batch:
        batch.alter_column("effective_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("agreement_versions") as batch:
        batch.drop_column("backdated")
        batch.drop_column("effective_at")
