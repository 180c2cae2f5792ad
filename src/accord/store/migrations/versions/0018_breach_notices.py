"""Breach notices as sent, and the instant an incident was classified as major."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("classified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("classified_by", sa.String(length=255), nullable=True))
    op.create_table(
        "incident_notices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("regime", sa.String(length=64), nullable=False),
        sa.Column("notice", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_incident_notices_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_notices_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_notices")),
    )
    op.create_index(op.f("ix_incident_notices_incident_id"), "incident_notices", ["incident_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_incident_notices_incident_id"), table_name="incident_notices")
    op.drop_table("incident_notices")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("classified_by")
        batch.drop_column("classified_at")
