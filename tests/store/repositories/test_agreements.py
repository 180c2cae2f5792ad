"""Agreements in the store: version numbers counted per agreement, the latest version of
many agreements in one query, a text's first version found by its hash, and the parties
behind each agreement."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from accord.store.repositories import Agreements
from accord.store.tables import AgreementVersionRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session, seed


def _version(agreement_id: int, number: int, version_hash: str) -> AgreementVersionRow:
    return AgreementVersionRow(
        agreement_id=agreement_id,
        number=number,
        label=str(number),
        version_hash=version_hash,
        text="",
        uploaded_by="u",
        uploaded_at=AT + dt.timedelta(days=number),
        effective_at=AT + dt.timedelta(days=number),
    )


def test_versions_are_numbered_per_agreement_and_the_latest_found(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        agreements = Agreements(session)
        assert agreements.next_version_number(world.agreement_b) == 2
        agreements.add_version(_version(world.agreement_b, 2, "h2"))
        agreements.add_version(_version(world.agreement_b, 3, "h"))  # a rollback to version 1
        assert agreements.next_version_number(world.agreement_b) == 4
        assert agreements.next_version_number(world.agreement_c) == 2
        assert [v.number for v in agreements.versions(world.agreement_b)] == [1, 2, 3]
        latest = agreements.latest_versions([world.agreement_b, world.agreement_c])
        assert {key: row.number for key, row in latest.items()} == {
            world.agreement_b: 3,
            world.agreement_c: 1,
        }
        assert agreements.latest_version(world.agreement_b).number == 3  # type: ignore[union-attr]
        assert agreements.find_version_by_hash(world.agreement_b, "h").number == 1  # type: ignore[union-attr]
        assert agreements.find_version_by_hash(world.agreement_b, "none") is None
        assert agreements.find_version(world.agreement_b, 2).version_hash == "h2"  # type: ignore[union-attr]
        assert agreements.find_version(world.agreement_b, 9) is None


def test_the_parties_behind_each_agreement(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        agreements = Agreements(session)
        assert agreements.parties(world.agreement_b) == {
            "acme": world.company,
            "p": world.partner_b,
        }
        assert agreements.all_parties() == {
            world.agreement_b: {"acme": world.company, "p": world.partner_b},
            world.agreement_c: {"acme": world.company, "p": world.partner_c},
        }
        assert agreements.find_by_slug(f"with-{world.partner_c}").id == world.agreement_c  # type: ignore[union-attr]
    with open_session(engine, Tenant(world.partner_c)) as session:
        assert Agreements(session).all_parties() == {
            world.agreement_c: {"acme": world.company, "p": world.partner_c}
        }
