"""How exclusions are written: maintenance needs notice; only maintenance has notice or a cap."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.core.exclusions.spec import Exclusion, ExclusionKind
from accord.core.units import Duration


def exclusion(kind: str, **fields: Any) -> Exclusion:
    return Exclusion.model_validate(
        {"id": "planned", "kind": kind, "description": "Agreed.", "source": "windows", **fields}
    )


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str, tuple[Any, ...]]:
    (found,) = error.value.errors()
    context = found.get("ctx", {})
    return found["msg"], context.get("hint", ""), tuple(context.get("at", ()))


def test_maintenance_with_notice_and_a_wall_clock_cap_is_accepted() -> None:
    planned = exclusion("maintenance", notice="5 business days", monthly_cap="4h")

    assert planned.kind is ExclusionKind.MAINTENANCE
    assert planned.notice == Duration.parse("5 business days")
    assert planned.monthly_cap == Duration.parse("4h")


def test_maintenance_without_notice_is_refused_with_an_example() -> None:
    with pytest.raises(ValidationError) as error:
        exclusion("maintenance")

    assert refusal(error)[:2] == (
        "maintenance exclusion 'planned' needs a 'notice' period",
        "add e.g. notice: 5 days",
    )


@pytest.mark.parametrize(
    ("fields", "at"),
    [({"notice": "1 day"}, ("notice",)), ({"monthly_cap": "4h"}, ("monthly_cap",))],
)
def test_force_majeure_cannot_be_announced_or_capped(
    fields: dict[str, str], at: tuple[str]
) -> None:
    with pytest.raises(ValidationError) as error:
        exclusion("force_majeure", **fields)

    message, _, where = refusal(error)
    assert (
        message == "only maintenance exclusions have 'notice' or 'monthly_cap', not force_majeure"
    )
    assert where == at


@pytest.mark.parametrize("cap", ["4 business hours", "1 months"])
def test_a_monthly_cap_must_be_wall_clock_time(cap: str) -> None:
    with pytest.raises(ValidationError) as error:
        exclusion("maintenance", notice="5 days", monthly_cap=cap)

    message, _, at = refusal(error)
    assert message.endswith("is not wall-clock time")
    assert at == ("monthly_cap",)


def test_a_consumer_caused_exclusion_needs_no_notice() -> None:
    caused = exclusion("consumer_caused", where="caused_by = 'customer'")

    assert caused.notice is None
    assert caused.monthly_cap is None
    assert caused.where is not None
    assert caused.where.text == "caused_by = 'customer'"


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="maintenance"):
        exclusion("planned_outage")
