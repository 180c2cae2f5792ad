"""Incidents with their lifecycle instants, timeline and inbound sources; obligations learn
their incident and when a missed one was done."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _instants() -> list[sa.Column[object]]:
    columns: list[sa.Column[object]] = []
    for name in ("impact_started", "detected"):
        columns.append(sa.Column(f"{name}_at", sa.DateTime(timezone=True), nullable=True))
        columns.append(sa.Column(f"{name}_by", sa.String(length=255), nullable=True))
    columns.append(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False))
    columns.append(sa.Column("reported_by", sa.String(length=255), nullable=False))
    for name in ("acknowledged", "mitigated", "resolved", "closed"):
        columns.append(sa.Column(f"{name}_at", sa.DateTime(timezone=True), nullable=True))
        columns.append(sa.Column(f"{name}_by", sa.String(length=255), nullable=True))
    return columns


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("security", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=True),
        sa.Column("party", sa.String(length=64), nullable=False),
        sa.Column("ladder", sa.Text(), nullable=False),
        *_instants(),
        sa.ForeignKeyConstraint(
            ["agreement_id"], ["agreements.id"], name=op.f("fk_incidents_agreement_id_agreements")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint(
            "agreement_id",
            "source",
            "source_key",
            name=op.f("uq_incidents_agreement_id_source_source_key"),
        ),
    )
    op.create_index(op.f("ix_incidents_agreement_id_state"), "incidents", ["agreement_id", "state"])
    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_incident_events_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_events_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_events")),
    )
    op.create_index(op.f("ix_incident_events_incident_id"), "incident_events", ["incident_id"])
    op.create_table(
        "incident_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("severity", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_incident_sources_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_sources")),
        sa.UniqueConstraint(
            "agreement_id", "name", name=op.f("uq_incident_sources_agreement_id_name")
        ),
        sa.UniqueConstraint("secret_sha256", name=op.f("uq_incident_sources_secret_sha256")),
    )
    with op.batch_alter_table("obligations") as batch:
        batch.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_obligations_incident_id"), ["incident_id"])
        batch.create_foreign_key(
            batch.f("fk_obligations_incident_id_incidents"), "incidents", ["incident_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("obligations") as batch:
        batch.drop_constraint(batch.f("fk_obligations_incident_id_incidents"), type_="foreignkey")
        batch.drop_index(batch.f("ix_obligations_incident_id"))
        batch.drop_column("done_at")
        batch.drop_column("incident_id")
    op.drop_table("incident_sources")
    op.drop_index(op.f("ix_incident_events_incident_id"), table_name="incident_events")
    op.drop_table("incident_events")
    op.drop_index(op.f("ix_incidents_agreement_id_state"), table_name="incidents")
    op.drop_table("incidents")
