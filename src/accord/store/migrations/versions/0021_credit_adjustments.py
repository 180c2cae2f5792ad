"""Manual ledger adjustments: requested, applied (booked as a credit entry that names its
adjustment and has no run) or rejected."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credit_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("window_label", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("requested_by_user", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_credit_adjustments_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_adjustments")),
    )
    op.create_index(
        op.f("ix_credit_adjustments_agreement_id"),
        "credit_adjustments",
        ["agreement_id"],
        unique=False,
    )
    with op.batch_alter_table("credit_entries") as batch:
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("adjustment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_credit_entries_adjustment_id_credit_adjustments"),
            "credit_adjustments",
            ["adjustment_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_entries") as batch:
        batch.drop_constraint(
            op.f("fk_credit_entries_adjustment_id_credit_adjustments"), type_="foreignkey"
        )
        batch.drop_column("adjustment_id")
        batch.alter_column("run_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_credit_adjustments_agreement_id"), table_name="credit_adjustments")
    op.drop_table("credit_adjustments")
