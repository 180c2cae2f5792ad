"""The tables as the databases keep them: instants are stored as UTC and read back tz-aware
(an instant given in another zone is the same instant; one without a zone is refused), so
they compare and sort by the instant on SQLite too; decimals come back exactly as written;
the keys the tables declare are enforced by the database itself, on both backends; and the
column each table's tenancy names is a reference to what its scope is about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from accord.store.tables import (
    AgreementPartyRow,
    AgreementRow,
    Base,
    ClosedWindowRow,
    CreditAdjustmentRow,
    OrganisationRow,
    TenantScope,
    UserRow,
    VerdictRow,
)
from accord.store.tenancy import Tenant, declared_tenancy
from tests.store.rows import batch, verdict
from tests.store.seed import AT, World, add_run, open_session, seed, version
from tests.store.violations import (
    foreign_key_violated,
    not_null_violated,
    unique_index_violated,
    unique_violated,
)


def _organisation(slug: str, created_at: dt.datetime) -> OrganisationRow:
    return OrganisationRow(slug=slug, name=slug, kind="partner", created_at=created_at)


def test_an_instant_given_in_another_zone_is_read_back_as_the_same_instant_in_utc(
    engine: Engine,
) -> None:
    kolkata = dt.timezone(dt.timedelta(hours=5, minutes=30))
    with open_session(engine, Tenant.system()) as session:
        session.add(_organisation("delta", dt.datetime(2026, 3, 29, 1, 30, tzinfo=kolkata)))
        session.commit()
    with open_session(engine, Tenant.system()) as session:
        created = session.scalars(select(OrganisationRow.created_at)).one()
    assert created == dt.datetime(2026, 3, 28, 20, 0, tzinfo=dt.UTC)
    assert created.utcoffset() == dt.timedelta(0)


def test_instants_compare_and_sort_by_the_instant_not_by_the_wall_clock(engine: Engine) -> None:
    # Late on 1 October in New York is later than early on 2 October in Berlin.
    new_york = dt.datetime(2026, 10, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    berlin = dt.datetime(2026, 10, 2, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with open_session(engine, Tenant.system()) as session:
        session.add_all([_organisation("ny", new_york), _organisation("berlin", berlin)])
        session.commit()
        ordered = session.scalars(select(OrganisationRow.slug).order_by(OrganisationRow.created_at))
        assert list(ordered) == ["berlin", "ny"]
        between = dt.datetime(2026, 10, 2, 0, 0, tzinfo=dt.UTC)
        later = select(OrganisationRow.slug).where(OrganisationRow.created_at > between)
        assert list(session.scalars(later)) == ["ny"]


def test_an_instant_without_a_zone_is_refused(engine: Engine) -> None:
    with open_session(engine, Tenant.system()) as session:
        session.add(_organisation("naive", dt.datetime(2026, 10, 1, 12)))
        with pytest.raises(StatementError, match="instant without a time zone: 2026-10-01 12:00"):
            session.flush()
        session.rollback()
        # Nor may a query compare with one (on SQLite it would compare wall clocks as text).
        naive = select(OrganisationRow).where(OrganisationRow.created_at > dt.datetime(2026, 10, 1))
        with pytest.raises(StatementError, match="instant without a time zone"):
            session.scalars(naive).all()


def test_decimals_are_stored_as_text_and_read_back_exactly(engine: Engine) -> None:
    world = seed(engine)
    amounts = [Decimal("0.1"), Decimal("10.50"), Decimal("-12345678901234567890.123456789")]
    with open_session(engine, Tenant.system()) as session:
        for amount in amounts:
            session.add(
                CreditAdjustmentRow(
                    agreement_id=world.agreement_b,
                    scheme="uptime",
                    window_label="2026-10",
                    amount=amount,
                    currency="EUR",
                    reason="r",
                    state="requested",
                    requested_by="u",
                    requested_at=AT,
                )
            )
        session.commit()
        stored = session.scalars(text("SELECT amount FROM credit_adjustments ORDER BY id"))
        assert list(stored) == ["0.1", "10.50", "-12345678901234567890.123456789"]
    with open_session(engine, Tenant.system()) as session:
        read = session.scalars(select(CreditAdjustmentRow.amount).order_by(CreditAdjustmentRow.id))
        assert [str(amount) for amount in read] == [str(amount) for amount in amounts]


def _verdict(session: Session, world: World, supersedes: int | None) -> VerdictRow:
    run = add_run(session, world.agreement_b, "2026-10", AT)
    return verdict(run, "uptime", "2026-10", supersedes_id=supersedes)


def _original_and_correction(session: Session, world: World) -> list[Base]:
    original = _verdict(session, world, None)
    session.add(original)
    session.flush()
    return [_verdict(session, world, original.id)]


def _closed(session: Session, agreement: int, label: str) -> ClosedWindowRow:
    run = add_run(session, agreement, label, AT)
    return ClosedWindowRow(
        agreement_id=agreement,
        window_label=label,
        window_start=AT,
        window_end=AT,
        closes_at=AT,
        closed_at=AT,
        run_id=run.id,
        record="{}",
    )


#: A unique key: rows that share it but one, which a second row with the same key breaks.
_Rows = Callable[[Session, World], list[Base]]
_UNIQUE_KEYS: dict[str, tuple[str, tuple[str, ...], _Rows, _Rows]] = {
    "an organisation's slug": (
        "organisations",
        ("slug",),
        lambda s, w: [],
        lambda s, w: [_organisation("bravo", AT)],
    ),
    "an agreement's slug for its owner (another owner may use it)": (
        "agreements",
        ("owner_organisation_id", "slug"),
        lambda s, w: [
            AgreementRow(slug="sla", owner_organisation_id=o, title="T", created_at=AT)
            for o in (w.company, w.partner_b)
        ],
        lambda s, w: [
            AgreementRow(slug="sla", owner_organisation_id=w.company, title="U", created_at=AT)
        ],
    ),
    "a version's number within its agreement (another agreement starts at 1 too)": (
        "agreement_versions",
        ("agreement_id", "number"),
        lambda s, w: [version(w.agreement_b, 2)],
        lambda s, w: [version(w.agreement_b, 1)],
    ),
    "a party's id within its agreement": (
        "agreement_parties",
        ("agreement_id", "party_id"),
        lambda s, w: [],
        lambda s, w: [
            AgreementPartyRow(agreement_id=w.agreement_b, organisation_id=w.partner_c, party_id="p")
        ],
    ),
    "a pushed batch's id within its agreement and source": (
        "measurement_batches",
        ("agreement_id", "source", "batch_id"),
        lambda s, w: [
            batch(w.agreement_b, "requests", "b1"),
            batch(w.agreement_b, "tickets", "b1"),
            batch(w.agreement_c, "requests", "b1"),
        ],
        lambda s, w: [batch(w.agreement_b, "requests", "b1")],
    ),
    "the verdict a verdict supersedes (each is superseded once at most)": (
        "verdicts",
        ("supersedes_id",),
        _original_and_correction,
        lambda s, w: [_verdict(s, w, s.scalar(select(func.min(VerdictRow.id))))],
    ),
    "a closed window within its agreement": (
        "closed_windows",
        ("agreement_id", "window_label"),
        lambda s, w: [_closed(s, w.agreement_b, "2026-10"), _closed(s, w.agreement_c, "2026-10")],
        lambda s, w: [_closed(s, w.agreement_b, "2026-10")],
    ),
}


@pytest.mark.parametrize("key", list(_UNIQUE_KEYS))
def test_the_database_refuses_a_second_row_with_the_same_unique_key(
    engine: Engine, key: str
) -> None:
    table, columns, distinct, duplicate = _UNIQUE_KEYS[key]
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        for row in distinct(session, world):
            session.add(row)
            session.flush()
        rows = duplicate(session, world)
        with unique_violated(session, table, *columns):
            session.add_all(rows)
            session.flush()


def _user(world: World, email: str) -> UserRow:
    return UserRow(organisation_id=world.partner_c, email=email, name="n", created_at=AT)


def test_a_second_user_whose_email_differs_only_in_case_is_refused(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add(_user(world, "ops@x.example"))
        session.flush()
        with unique_index_violated(session, "users", "uq_users_lower_email"):
            session.add(_user(world, "Ops@x.example"))
            session.flush()


def test_a_second_user_with_the_same_email_is_refused(engine: Engine) -> None:
    # Two keys refuse it (the exact one and the one in any case); which one the database
    # names first differs between SQLite and PostgreSQL.
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add(_user(world, "u@bravo"))
        with pytest.raises(IntegrityError):
            session.flush()


def test_users_whose_emails_differ_in_more_than_case_are_kept(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        session.add_all([_user(world, "ops@x.example"), _user(world, "ops@x.example.org")])
        session.flush()
        assert session.scalar(select(func.count()).select_from(UserRow)) == 5


def test_a_version_of_an_agreement_that_does_not_exist_is_refused(engine: Engine) -> None:
    seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        foreign_key_violated(session, "agreement_versions", "agreement_id"),
    ):
        session.add(version(999, 1))
        session.flush()


def test_an_agreement_without_a_title_is_refused(engine: Engine) -> None:
    world = seed(engine)
    with (
        open_session(engine, Tenant.system()) as session,
        not_null_violated(session, "agreements", "title"),
    ):
        session.add(AgreementRow(slug="s", owner_organisation_id=world.company, created_at=AT))
        session.flush()


_SCOPE_TABLE = {
    TenantScope.AGREEMENT: "agreements",
    TenantScope.ORGANISATION: "organisations",
    TenantScope.USER: "users",
}


def test_each_table_s_tenancy_column_refers_to_what_its_scope_is_about() -> None:
    # A tenancy naming the wrong column (a run's id taken for an agreement's) would filter
    # every read by the wrong number: a leak no query would show.
    wrong = []
    for row, tenancy in declared_tenancy().items():
        if tenancy.scope is TenantScope.SHARED:
            continue
        column = row.__table__.c[tenancy.column]
        target = _SCOPE_TABLE[tenancy.scope]
        if row.__table__.name == target:
            refers = column.primary_key
        else:
            refers = any(
                (fk.column.table.name, fk.column.name) == (target, "id")
                for fk in column.foreign_keys
            )
        if not refers:
            wrong.append(f"{row.__name__}.{tenancy.column} ({tenancy.scope})")
    assert wrong == []
