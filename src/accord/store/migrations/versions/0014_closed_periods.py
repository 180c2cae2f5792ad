"""Closed periods and restatements: the windows whose verdicts and credits became final (with
the versions and data they were judged from), requests to restate them, and the steps of each
credit's lifecycle (claimed, accepted, disputed, settled)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "closed_windows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("window_label", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_closed_windows_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["evaluation_runs.id"],
            name=op.f("fk_closed_windows_run_id_evaluation_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closed_windows")),
        sa.UniqueConstraint(
            "agreement_id", "window_label", name=op.f("uq_closed_windows_agreement_id_window_label")
        ),
    )
    op.create_index(
        op.f("ix_closed_windows_agreement_id"), "closed_windows", ["agreement_id"], unique=False
    )
    op.create_table(
        "restatements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=32), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=255), nullable=False),
        sa.Column("requested_by_user", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=255), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_restatements_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["evaluation_runs.id"], name=op.f("fk_restatements_run_id_evaluation_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restatements")),
    )
    op.create_index(
        op.f("ix_restatements_agreement_id"), "restatements", ["agreement_id"], unique=False
    )

    op.create_table(
        "credit_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("window_label", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_credit_claims_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_claims")),
    )
    op.create_index(
        op.f("ix_credit_claims_agreement_id_scheme_window_label"),
        "credit_claims",
        ["agreement_id", "scheme", "window_label"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_credit_claims_agreement_id_scheme_window_label"), table_name="credit_claims"
    )
    op.drop_table("credit_claims")
    op.drop_index(op.f("ix_restatements_agreement_id"), table_name="restatements")
    op.drop_table("restatements")
    op.drop_index(op.f("ix_closed_windows_agreement_id"), table_name="closed_windows")
    op.drop_table("closed_windows")
