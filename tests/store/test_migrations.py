"""Migrations create exactly the tables the code declares, on every backend."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, Table, insert, inspect, select

from accord.store.db import make_engine
from accord.store.migrations import current_revision, head_revision, upgrade
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
    assert current_revision(engine) == head_revision() == "0027"


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    before = sorted(inspect(engine).get_table_names())
    upgrade(engine)
    assert sorted(inspect(engine).get_table_names()) == before
    assert set(Base.metadata.tables) <= set(before)


@pytest.fixture
def engine_before_figures(database_url: str) -> Iterator[Engine]:
    created = make_engine(database_url)
    upgrade(created, "0019")
    yield created
    created.dispose()


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
    created = make_engine(database_url)
    upgrade(created, "0025")
    yield created
    created.dispose()


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
