"""Obligations in the store: found by key within an agreement, filtered by agreement, state,
kind and due instant (earliest due first, with the agreement's slug), and read as a
recorded source sees them as of an instant: a state set later reads as open, or as missed
once the due instant has passed."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.core.model.recorded import RECORDED_COLUMNS
from accord.store.repositories import Obligations
from accord.store.repositories.obligations import ObligationFilter
from accord.store.tenancy import Tenant
from tests.store.rows import DAY, duty
from tests.store.seed import AT, open_session, seed


def test_obligations_are_found_by_key_and_filtered_earliest_due_first(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        duties = Obligations(session)
        late = duties.add(duty(world.agreement_b, "report:2026-10", AT + 9 * DAY))
        early = duties.add(duty(world.agreement_b, "notice", AT + 2 * DAY, kind="renewal_notice"))
        done = duties.add(duty(world.agreement_b, "report:2026-09", AT + DAY, state="met"))
        theirs = duties.add(duty(world.agreement_c, "report:2026-10", AT + 3 * DAY))
        assert duties.find_by_key(world.agreement_b, "report:2026-10") is late
        assert duties.find_by_key(world.agreement_c, "notice") is None

        def ids(where: ObligationFilter) -> list[int]:
            return [row.id for row, _ in duties.matching(where)]

        assert ids(ObligationFilter()) == [done.id, early.id, theirs.id, late.id]
        assert ids(ObligationFilter(agreement_id=world.agreement_b, states=("open",))) == [
            early.id,
            late.id,
        ]
        assert ids(ObligationFilter(kinds=("renewal_notice",))) == [early.id]
        assert ids(ObligationFilter(due_before=AT + 3 * DAY, states=("open",))) == [
            early.id,
            theirs.id,
        ]
        slugs = {
            slug for _, slug in duties.matching(ObligationFilter(agreement_id=world.agreement_c))
        }
        assert slugs == {f"with-{world.partner_c}"}


def test_recorded_states_are_read_as_they_stood_at_the_instant(engine: Engine) -> None:
    world = seed(engine)
    with open_session(engine, Tenant.system()) as session:
        duties = Obligations(session)
        met_early = duty(world.agreement_b, "a", AT + 5 * DAY, state="met", state_at=AT + DAY)
        met_late = duty(world.agreement_b, "b", AT + 2 * DAY, state="met", state_at=AT + 4 * DAY)
        open_ = duty(world.agreement_b, "c", AT + 9 * DAY)
        for row in (met_early, met_late, open_):
            duties.add(row)
        as_of = AT + 3 * DAY
        rows = duties.recorded(world.agreement_b, as_of)
        state = list(RECORDED_COLUMNS["obligations"]).index("state")
        states = [(row[0], row[state]) for row in rows]
        assert states == [(met_early.id, "met"), (met_late.id, "missed"), (open_.id, "open")]
        later = duties.recorded(world.agreement_b, AT + 5 * DAY)
        assert [row[state] for row in later] == ["met", "met", "open"]
