"""Verdicts carry copies of their error budget left and data coverage (read from each
verdict's evidence), so that the portfolio sums them up in the database, from an index that
covers what it reads."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_BATCH = 1000
_PORTFOLIO = (
    "agreement_id",
    "window_end",
    "window_start",
    "window_label",
    "outcome",
    "budget_left_ratio",
    "coverage_ratio",
)


def _figures(text: str) -> dict[str, float | None]:
    evidence: dict[str, Any] = json.loads(text)
    consumed = (evidence.get("budget") or {}).get("consumed_ratio")
    coverage = (evidence.get("coverage") or {}).get("ratio")
    return {
        "left": None if consumed is None else 1 - float(consumed),
        "coverage": None if coverage is None else float(coverage),
    }


def upgrade() -> None:
    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(sa.Column("budget_left_ratio", sa.Float(), nullable=True))
        batch.add_column(sa.Column("coverage_ratio", sa.Float(), nullable=True))
    op.create_index("ix_verdicts_portfolio", "verdicts", list(_PORTFOLIO), unique=False)
    connection = op.get_bind()
    verdicts = sa.table(
        "verdicts",
        sa.column("id", sa.Integer()),
        sa.column("evidence", sa.Text()),
        sa.column("budget_left_ratio", sa.Float()),
        sa.column("coverage_ratio", sa.Float()),
    )
    update = (
        sa.update(verdicts)
        .where(verdicts.c.id == sa.bindparam("verdict"))
        .values(budget_left_ratio=sa.bindparam("left"), coverage_ratio=sa.bindparam("coverage"))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(verdicts.c.id, verdicts.c.evidence)
            .where(verdicts.c.id > last)
            .order_by(verdicts.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        connection.execute(update, [{"verdict": i, **_figures(text)} for i, text in rows])
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_verdicts_portfolio", table_name="verdicts")
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("coverage_ratio")
        batch.drop_column("budget_left_ratio")
