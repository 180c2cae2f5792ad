"""Chronic-failure and consistency findings, recorded by the runs that find them."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("window_label", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_findings_agreement_id_agreements")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_findings_run_id_evaluation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
    )
    op.create_index(
        op.f("ix_findings_agreement_id_kind_subject_window_label"),
        "findings",
        ["agreement_id", "kind", "subject", "window_label"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_findings_agreement_id_kind_subject_window_label"), table_name="findings")
    op.drop_table("findings")
