"""Who did something, as shown to the one asking: a partner sees its own people by address
and the company's staff only as such; the company sees everyone; the console, the worker
and the asker itself are always shown by name."""

from __future__ import annotations

from accord.services.actors import COMPANY_STAFF, shown_actor
from tests.services.world import CONSOLE, World


def test_a_partner_sees_its_own_people_and_the_company_s_staff_as_such(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    with world.services.context.uow(partner) as uow:
        assert shown_actor(uow, "admin@bravo.example") == "admin@bravo.example"
        assert shown_actor(uow, "partner@bravo.example") == "partner@bravo.example"
        assert shown_actor(uow, "manager@acme.example") == COMPANY_STAFF
        assert shown_actor(uow, "partner@charlie.example") == COMPANY_STAFF
        assert shown_actor(uow, "worker") == "worker"


def test_the_company_sees_everyone_by_address(world: World) -> None:
    manager = world.principal("manager@acme.example")
    with world.services.context.uow(manager) as uow:
        assert shown_actor(uow, "partner@charlie.example") == "partner@charlie.example"
    with world.services.context.uow(CONSOLE) as uow:
        assert shown_actor(uow, "manager@acme.example") == "manager@acme.example"
