"""The agreement page's reads gathered in one unit of work: the same as each use case reads
on its own, and another organisation's agreement as missing as one that does not exist."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from accord.services.agreement_page import PageQuery
from accord.services.errors import NotFound
from accord.services.ingestion import PushBatch
from accord.services.ledger import LedgerQuery
from accord.services.obligations import ObligationQuery
from accord.services.verdicts import MAX_PAGE, RunEvaluation, VerdictQuery
from tests.server.web.conftest import month_of_requests
from tests.services.world import CONSOLE, World


def _evaluated(world: World) -> None:
    world.services.ingestion.push(
        world.principal("partner@bravo.example"),
        PushBatch(
            agreement="acme-bravo",
            source="requests",
            batch_id="october",
            events=month_of_requests(2026, 10, failing_every=5),
        ),
    )
    world.services.verdicts.evaluate(
        CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )


@pytest.mark.parametrize("email", ["manager@acme.example", "partner@bravo.example"])
def test_the_page_shows_what_each_use_case_reads(world: World, email: str) -> None:
    _evaluated(world)
    services, who = world.services, world.principal(email)
    shown = services.agreement_pages.page(who, "acme-bravo", PageQuery())
    assert shown.agreement == services.portfolio.agreement(who, "acme-bravo")
    assert shown.histories == services.history.objectives(who, "acme-bravo")
    assert shown.windows == ["2026-10"]
    assert shown.window == "2026-10"
    listed = VerdictQuery(window="2026-10", limit=MAX_PAGE)
    assert shown.verdicts == services.verdicts.verdicts(who, "acme-bravo", listed)
    assert shown.verdicts.items, "the breach of October is listed"
    assert shown.ledger == services.verdicts.credits(who, "acme-bravo", None)
    assert shown.credits == services.ledger.report(who, LedgerQuery(agreement="acme-bravo"))
    assert shown.incidents == services.incidents.list(who, agreement="acme-bravo")
    open_duties = ObligationQuery(agreement="acme-bravo", states=("open",))
    assert shown.duties == services.obligations.list(who, open_duties)
    assert shown.push_sources == services.ingestion.sources(who, "acme-bravo")


def test_the_page_lists_the_chosen_window_and_outcome(world: World) -> None:
    _evaluated(world)
    manager = world.principal("manager@acme.example")
    chosen = PageQuery(window="2026-09", outcome="breach")
    shown = world.services.agreement_pages.page(manager, "acme-bravo", chosen)
    assert shown.window == "2026-09"
    assert shown.verdicts.items == []
    assert shown.windows == ["2026-10"]


def test_the_page_reads_in_one_transaction(world: World) -> None:
    _evaluated(world)
    begun: list[object] = []

    def count(session: object, transaction: object, connection: object) -> None:
        begun.append(session)

    manager = world.principal("manager@acme.example")
    sessions = world.services.context.sessions
    event.listen(sessions, "after_begin", count)
    try:
        world.services.agreement_pages.page(manager, "acme-bravo", PageQuery())
    finally:
        event.remove(sessions, "after_begin", count)
    assert len(begun) == 1


def test_another_partners_agreement_is_as_missing_as_none(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    pages = world.services.agreement_pages
    with pytest.raises(NotFound) as other:
        pages.page(partner, "acme-charlie", PageQuery())
    with pytest.raises(NotFound) as missing:
        pages.page(partner, "acme-nowhere", PageQuery())
    assert str(other.value).replace("acme-charlie", "X") == str(missing.value).replace(
        "acme-nowhere", "X"
    )
