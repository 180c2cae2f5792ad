"""A governance review decision's duty is keyed by its review's period and its entry,
``review_action:<period>:<entry id>`` (so the web app links it to its own review); duties
recorded before were keyed ``review_action:<entry id>``. Each old key takes the period of
its entry (``review_entries.period``, of the same agreement). A key already in the new form,
or whose entry is gone, is left as it is (the latter still links to the list of reviews).

Audit entries keep the key as it was when they were written: the audit chain is never
rewritten. The downgrade drops the period again."""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_KIND = "review_action"
_CHUNK = 500
_OLD = re.compile(rf"{_KIND}:(\d+)")
_NEW = re.compile(rf"{_KIND}:([^:]+):(\d+)")

_obligations = sa.table(
    "obligations",
    sa.column("id", sa.Integer()),
    sa.column("agreement_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("key", sa.String()),
)
_entries = sa.table(
    "review_entries",
    sa.column("id", sa.Integer()),
    sa.column("agreement_id", sa.Integer()),
    sa.column("period", sa.String()),
)


def _duties(connection: sa.Connection) -> list[tuple[int, int, str]]:
    """Each review decision's duty: its id, its agreement and its key."""
    rows = connection.execute(
        sa.select(_obligations.c.id, _obligations.c.agreement_id, _obligations.c.key)
        .where(_obligations.c.kind == _KIND)
        .order_by(_obligations.c.id)
    ).all()
    return [(int(duty), int(agreement), str(key)) for duty, agreement, key in rows]


def _rekey(connection: sa.Connection, keys: dict[int, str]) -> None:
    if keys:
        connection.execute(
            sa.update(_obligations)
            .where(_obligations.c.id == sa.bindparam("duty"))
            .values(key=sa.bindparam("new_key")),
            [{"duty": duty, "new_key": key} for duty, key in keys.items()],
        )


def upgrade() -> None:
    connection = op.get_bind()
    old = {}
    for duty, agreement, key in _duties(connection):
        if found := _OLD.fullmatch(key):
            old[duty] = (agreement, int(found[1]))
    entries = sorted({entry for _, entry in old.values()})
    periods = {}
    for start in range(0, len(entries), _CHUNK):
        chosen = _entries.c.id.in_(entries[start : start + _CHUNK])
        for entry, agreement, period in connection.execute(
            sa.select(_entries.c.id, _entries.c.agreement_id, _entries.c.period).where(chosen)
        ):
            periods[(agreement, entry)] = period
    _rekey(
        connection,
        {
            duty: f"{_KIND}:{periods[place]}:{place[1]}"
            for duty, place in old.items()
            if place in periods
        },
    )


def downgrade() -> None:
    connection = op.get_bind()
    _rekey(
        connection,
        {
            duty: f"{_KIND}:{found[2]}"
            for duty, _agreement, key in _duties(connection)
            if (found := _NEW.fullmatch(key))
        },
    )
