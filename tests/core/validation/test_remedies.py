"""Checks of credit schemes as the loader reports them: currencies, credits that grow as
performance worsens, thresholds on the right side and in order, the first tier not better
than the target, caps across schemes in one currency."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"
SCHEME = "remedies.credits[0]"  # availability-credits on api-availability (target 99.95%)

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def written() -> dict[str, Any]:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert isinstance(loaded.agreement, Agreement), loaded.problems
    return loaded.agreement.dump()


def problems(written: dict[str, Any], edit: Edit) -> dict[str, str]:
    """The errors of the edited agreement, by path."""
    data = copy.deepcopy(written)
    edit(data)
    loaded = load_agreement(json.dumps(data), "edited.yaml")
    return {p.path: p.message for p in loaded.problems if p.severity == "error"}


def tiers(data: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data["remedies"]["credits"][0]["tiers"]
    return found


def test_the_example_as_written_has_no_problems(written: dict[str, Any]) -> None:
    assert problems(written, lambda data: None) == {}


def test_a_credit_in_another_currency_than_the_basis_is_refused(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[1]["credit"] = "5000 USD"

    assert problems(written, edit) == {
        f"{SCHEME}.tiers[1].credit": "credit 5,000.00 USD is in USD, basis in EUR"
    }


def test_a_cap_in_another_currency_is_reported_once(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["remedies"]["credits"][0]["cap"] = "9000 GBP"
        tiers(data)[1]["credit"] = "5000 USD"  # not reported again beside the cap

    assert problems(written, edit) == {f"{SCHEME}.cap": "cap 9,000.00 GBP is in GBP, basis in EUR"}


def test_credits_must_grow_as_performance_worsens(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[2]["credit"] = "15%"  # as much as tier 2

    assert problems(written, edit) == {
        f"{SCHEME}.tiers[2].credit": "tier 3 credit 15% is not more than tier 2 credit 15%; "
        "credits must grow as performance worsens"
    }


def test_a_tier_above_the_cap_is_allowed_the_cap_clips_it(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[2]["credit"] = "100%"

    assert problems(written, edit) == {}


def test_availability_tiers_are_written_below_a_threshold(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[0] = {"above": "99.95%", "credit": "5%"}

    assert problems(written, edit) == {
        f"{SCHEME}.tiers[0]": "objective 'api-availability' needs tiers written with 'below'"
    }


def test_thresholds_must_worsen_tier_by_tier(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[2]["below"] = "99.5%"

    assert problems(written, edit) == {
        f"{SCHEME}.tiers[2].below": (
            "tier 3 threshold 99.5% is not worse than tier 2 threshold 99.5%"
        )
    }


def test_a_first_tier_at_the_target_is_right_and_one_better_than_it_is_not(
    written: dict[str, Any],
) -> None:
    def at_target(data: dict[str, Any]) -> None:
        tiers(data)[0]["below"] = "99.95%"

    def better(data: dict[str, Any]) -> None:
        tiers(data)[0]["below"] = "99.99%"

    assert problems(written, at_target) == {}
    assert problems(written, better) == {
        f"{SCHEME}.tiers[0].below": "tier threshold 99.99% is better than the target 99.95% of "
        "'api-availability': a met objective would earn credits"
    }


def test_caps_across_schemes_share_the_schemes_currency(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["remedies"]["caps"] = {"per_period": "20000 USD"}

    assert problems(written, edit) == {
        "remedies.caps.per_period": "cap 20,000.00 USD is in USD, scheme 'availability-credits' "
        "pays in EUR"
    }


def test_a_scheme_on_an_unknown_objective_is_named(written: dict[str, Any]) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["remedies"]["credits"][0]["objectives"] = ["api-availabilty"]

    found = problems(written, edit)

    assert list(found) == [f"{SCHEME}.objectives[0]"]
    assert "api-availabilty" in found[f"{SCHEME}.objectives[0]"]
