"""Period reports generated on schedule once their period closed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("report_hash", sa.String(length=64), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("emails", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_scheduled_reports_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_reports")),
        sa.UniqueConstraint(
            "organisation_id",
            "period",
            "scope",
            name=op.f("uq_scheduled_reports_organisation_id_period_scope"),
        ),
    )
    op.create_index(
        op.f("ix_scheduled_reports_organisation_id"), "scheduled_reports", ["organisation_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_scheduled_reports_organisation_id"), table_name="scheduled_reports")
    op.drop_table("scheduled_reports")
