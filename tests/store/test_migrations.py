"""Migrations create exactly the tables the code declares, on every backend."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, Table, insert, inspect, select

from accord.store.db import make_engine
from accord.store.migrations import alembic_config, current_revision, head_revision, upgrade
from accord.store.tables import Base, EvaluationRunRow, VerdictRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


# SQLite's indexes over an expression cannot be reflected, so Alembic cannot compare this
# one there (PostgreSQL's it does); test_tables proves it refuses on both databases.
def test_migrations_create_exactly_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_migrated_database_is_at_the_head_revision(engine: Engine) -> None:
    assert current_revision(engine) == head_revision() == "0028"


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    upgrade(engine)
    assert sorted(inspect(engine).get_table_names()) == before
    assert set(Base.metadata.tables) <= set(before)


def _at(database_url: str, revision: str) -> Iterator[Engine]:
    """A database migrated up to ``revision`` (to put rows of its time in, then upgrade)."""
    created = make_engine(database_url)
    upgrade(created, revision)
    yield created
    created.dispose()


@pytest.fixture
def engine_before_figures(database_url: str) -> Iterator[Engine]:
    yield from _at(database_url, "0019")


def _verdict(run: EvaluationRunRow, n: int, evidence: dict[str, object]) -> dict[str, object]:
    return {
        "agreement_id": run.agreement_id,
        "version_id": run.version_id,
        "run_id": run.id,
        "objective": f"o{n}",
        "scope_key": "{}",
        "scope_label": "all",
        "window_label": "2026-09",
        "window_start": AT,
        "window_end": AT,
        "outcome": "met",
        "value": None,
        "evidence": json.dumps(evidence),
        "digest": "d",
        "recorded_at": AT,
    }


def test_verdicts_recorded_before_0020_get_their_budget_and_coverage_figures(
    engine_before_figures: Engine,
) -> None:
    world = seed(engine_before_figures)
    with open_session(engine_before_figures, Tenant.system()) as session:
        run = EvaluationRunRow(
            agreement_id=world.agreement_b,
            version_id=1,
            period="2026-09",
            as_of=AT,
            started_at=AT,
            requested_by="u",
            reason="r",
            verdicts_recorded=3,
            verdicts_unchanged=0,
        )
        session.add(run)
        session.commit()
        old = Table("verdicts", MetaData(), autoload_with=engine_before_figures)
        evidences: list[dict[str, object]] = [
            {"budget": {"consumed_ratio": "0.25"}, "coverage": {"ratio": "0.9"}},
            {"budget": {"consumed_ratio": "1.5"}, "coverage": None},
            {"budget": None},
        ]
        with engine_before_figures.begin() as connection:
            for n, evidence in enumerate(evidences):
                connection.execute(insert(old).values(**_verdict(run, n, evidence)))
    upgrade(engine_before_figures)
    with open_session(engine_before_figures, Tenant.system()) as session:
        figures = session.execute(
            select(VerdictRow.budget_left_ratio, VerdictRow.coverage_ratio).order_by(VerdictRow.id)
        ).all()
    assert [tuple(f) for f in figures] == [(0.75, 0.9), (-0.5, None), (None, None)]


@pytest.fixture
def engine_before_email_index(database_url: str) -> Iterator[Engine]:
    yield from _at(database_url, "0025")


def _users(engine: Engine, *emails: str) -> None:
    world = seed(engine)
    users = Table("users", MetaData(), autoload_with=engine)
    with engine.begin() as connection:
        for email in emails:
            connection.execute(
                insert(users).values(
                    organisation_id=world.partner_c, email=email, name="n", created_at=AT
                )
            )


def test_users_differing_only_in_case_stop_the_upgrade_naming_them(
    engine_before_email_index: Engine,
) -> None:
    _users(engine_before_email_index, "ops@x.example", "Ops@X.example", "dev@x.example")
    with pytest.raises(RuntimeError) as refused:
        upgrade(engine_before_email_index)
    assert str(refused.value) == (
        "users' e-mail addresses must be unique in any case, but these differ only in case: "
        "Ops@X.example and ops@x.example. Merge or rename these accounts by hand, then "
        "upgrade again."
    )
    assert current_revision(engine_before_email_index) == "0025"


def test_the_upgrade_goes_on_once_the_accounts_are_told_apart(
    engine_before_email_index: Engine,
) -> None:
    _users(engine_before_email_index, "ops@x.example", "Ops@X.example")
    with pytest.raises(RuntimeError):
        upgrade(engine_before_email_index)
    users = Table("users", MetaData(), autoload_with=engine_before_email_index)
    with engine_before_email_index.begin() as connection:
        connection.execute(
            users.update().where(users.c.email == "Ops@X.example").values(email="ops2@x.example")
        )
    upgrade(engine_before_email_index)
    assert current_revision(engine_before_email_index) == head_revision()


@pytest.fixture
def engine_before_review_keys(database_url: str) -> Iterator[Engine]:
    yield from _at(database_url, "0027")


def _entry(connection: Connection, agreement: int, period: str) -> int:
    entries = Table("review_entries", MetaData(), autoload_with=connection)
    added = connection.execute(
        insert(entries).values(
            agreement_id=agreement,
            period=period,
            kind="decision",
            party="acme",
            text="t",
            recorded_by="u",
            recorded_at=AT,
        )
    )
    key: int = added.inserted_primary_key[0]
    return key


def _duties(connection: Connection, agreement: int, *keys: tuple[str, str]) -> None:
    obligations = Table("obligations", MetaData(), autoload_with=connection)
    for kind, key in keys:
        connection.execute(
            insert(obligations).values(
                agreement_id=agreement,
                kind=kind,
                key=key,
                party="acme",
                subject="s",
                trigger_at=AT,
                due_at=AT,
                calendar="24x7",
                state="open",
                escalated_level=0,
                created_at=AT,
            )
        )


def _keys(engine: Engine) -> list[str]:
    obligations = Table("obligations", MetaData(), autoload_with=engine)
    with engine.connect() as connection:
        return list(connection.scalars(select(obligations.c.key).order_by(obligations.c.id)))


def test_review_decisions_duties_keyed_by_entry_alone_take_their_reviews_period(
    engine_before_review_keys: Engine,
) -> None:
    world = seed(engine_before_review_keys)
    with engine_before_review_keys.begin() as connection:
        quarter = _entry(connection, world.agreement_b, "2026-Q4")
        month = _entry(connection, world.agreement_b, "2026-10")
        elsewhere = _entry(connection, world.agreement_c, "2026-Q3")
        _duties(
            connection,
            world.agreement_b,
            ("review_action", f"review_action:{quarter}"),
            ("review_action", f"review_action:2026-10:{month}"),
            # its entry is gone, and one of another agreement is not its entry
            ("review_action", "review_action:9999"),
            ("review_action", f"review_action:{elsewhere}"),
            ("governance_review", "governance_review:2026-Q4"),
        )
        _duties(connection, world.agreement_c, ("review_action", f"review_action:{elsewhere}"))
    upgrade(engine_before_review_keys)
    upgraded = [
        f"review_action:2026-Q4:{quarter}",
        f"review_action:2026-10:{month}",
        "review_action:9999",
        f"review_action:{elsewhere}",
        "governance_review:2026-Q4",
        f"review_action:2026-Q3:{elsewhere}",
    ]
    assert _keys(engine_before_review_keys) == upgraded
    command.downgrade(alembic_config(engine_before_review_keys), "0027")
    assert _keys(engine_before_review_keys) == [
        f"review_action:{quarter}",
        f"review_action:{month}",
        "review_action:9999",
        f"review_action:{elsewhere}",
        "governance_review:2026-Q4",
        f"review_action:{elsewhere}",
    ]
    upgrade(engine_before_review_keys)
    assert _keys(engine_before_review_keys) == upgraded
