"""Editions of a scheduled report: a restated period's report is a new edition beside the
earlier one, which is kept and marked superseded."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scheduled_reports") as batch:
        batch.add_column(sa.Column("edition", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("restated", sa.Text(), nullable=True))
        batch.drop_constraint(
            batch.f("uq_scheduled_reports_organisation_id_period_scope"), type_="unique"
        )
        batch.create_unique_constraint(
            batch.f("uq_scheduled_reports_organisation_id_period_scope_edition"),
            ["organisation_id", "period", "scope", "edition"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM scheduled_reports WHERE edition > 1")
    with op.batch_alter_table("scheduled_reports") as batch:
        batch.drop_constraint(
            batch.f("uq_scheduled_reports_organisation_id_period_scope_edition"), type_="unique"
        )
        batch.create_unique_constraint(
            batch.f("uq_scheduled_reports_organisation_id_period_scope"),
            ["organisation_id", "period", "scope"],
        )
        batch.drop_column("restated")
        batch.drop_column("superseded_at")
        batch.drop_column("edition")
