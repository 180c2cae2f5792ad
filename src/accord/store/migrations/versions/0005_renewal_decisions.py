"""Renewal decisions per agreement (issue 12 §2)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "renewal_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("party", sa.String(length=64), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("notices_met", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_renewal_decisions_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewal_decisions")),
    )
    op.create_index(
        op.f("ix_renewal_decisions_agreement_id"),
        "renewal_decisions",
        ["agreement_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_renewal_decisions_agreement_id"), table_name="renewal_decisions")
    op.drop_table("renewal_decisions")
