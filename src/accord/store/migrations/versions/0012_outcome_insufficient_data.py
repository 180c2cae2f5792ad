"""Verdict outcomes up to 32 characters: 'insufficient_data' (issue 8 §4) is 17."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.alter_column(
            "outcome", existing_type=sa.String(length=16), type_=sa.String(length=32)
        )


def downgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.alter_column(
            "outcome", existing_type=sa.String(length=32), type_=sa.String(length=16)
        )
