"""The index of pushed events' identity keys (``batch_keys``) and which batches it covers
(``batch_indexes``): pushes look duplicates up there instead of re-reading every earlier
batch file. Batches recorded before are indexed from their files by the next push to their
source, so nothing is filled in here."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_keys",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("measurement_batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_batch_keys_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["measurement_batch_id"],
            ["measurement_batches.id"],
            name=op.f("fk_batch_keys_measurement_batch_id_measurement_batches"),
        ),
        sa.PrimaryKeyConstraint(
            "agreement_id", "source", "key", "measurement_batch_id", name=op.f("pk_batch_keys")
        ),
    )
    op.create_index(
        op.f("ix_batch_keys_measurement_batch_id"),
        "batch_keys",
        ["measurement_batch_id"],
        unique=False,
    )
    op.create_table(
        "batch_indexes",
        sa.Column("measurement_batch_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=400), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_batch_indexes_agreement_id_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["measurement_batch_id"],
            ["measurement_batches.id"],
            name=op.f("fk_batch_indexes_measurement_batch_id_measurement_batches"),
        ),
        sa.PrimaryKeyConstraint("measurement_batch_id", name=op.f("pk_batch_indexes")),
    )
    op.create_index(
        op.f("ix_batch_indexes_agreement_id"), "batch_indexes", ["agreement_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_batch_indexes_agreement_id"), table_name="batch_indexes")
    op.drop_table("batch_indexes")
    op.drop_index(op.f("ix_batch_keys_measurement_batch_id"), table_name="batch_keys")
    op.drop_table("batch_keys")
