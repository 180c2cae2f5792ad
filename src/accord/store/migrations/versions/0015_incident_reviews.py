"""Post-incident reviews and preventive actions."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def _who(name: str, *, nullable: bool = False) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{name}_at", sa.DateTime(timezone=True), nullable=nullable),
        sa.Column(f"{name}_by", sa.String(length=255), nullable=nullable),
    ]


def upgrade() -> None:
    op.create_table(
        "incident_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        *(
            sa.Column(name, sa.Text(), nullable=False)
            for name in (
                "summary",
                "customer_impact",
                "root_cause",
                "contributing_factors",
                "went_well",
                "went_wrong",
            )
        ),
        *_who("created"),
        *_who("updated"),
        *_who("filed", nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_incident_reviews_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_reviews_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_reviews")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_incident_reviews_incident_id")),
    )
    op.create_table(
        "preventive_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("party", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        *_who("created"),
        *_who("state", nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_preventive_actions_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_preventive_actions_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preventive_actions")),
    )
    op.create_index(
        op.f("ix_preventive_actions_incident_id"), "preventive_actions", ["incident_id"]
    )
    op.create_index(
        op.f("ix_preventive_actions_agreement_id_state"),
        "preventive_actions",
        ["agreement_id", "state"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_preventive_actions_agreement_id_state"), table_name="preventive_actions")
    op.drop_index(op.f("ix_preventive_actions_incident_id"), table_name="preventive_actions")
    op.drop_table("preventive_actions")
    op.drop_table("incident_reviews")
