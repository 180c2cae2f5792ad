"""The semantic diff's rules: which change tightens or loosens the agreement, for whom."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from accord.core.diff import Category, Change, ChangeKind, Effect, diff_agreements
from accord.core.model import Agreement
from tests.core.diff.edits import (
    changes_between,
    edited,
    objective,
    only_change,
    set_value,
    step,
    tiers,
)

# --- Targets and tolerance bands --------------------------------------------------------------


def test_a_higher_target_for_a_higher_is_better_indicator_is_tightened(
    agreement: Agreement,
) -> None:
    change = only_change(
        agreement, set_value("objectives", "api-availability", "target", value="99.99%")
    )
    assert change == Change(
        path="objectives[api-availability].target",
        category=Category.OBJECTIVE,
        kind=ChangeKind.CHANGED,
        old="99.95%",
        new="99.99%",
        effect=Effect.TIGHTENED,
        summary="Target of 'Monthly authorisation availability' tightened from 99.95% to 99.99%.",
    )


def test_a_lower_target_for_a_higher_is_better_indicator_is_loosened(
    agreement: Agreement,
) -> None:
    change = only_change(
        agreement, set_value("objectives", "api-availability", "target", value="99.92%")
    )
    assert change.effect is Effect.LOOSENED
    assert change.summary == (
        "Target of 'Monthly authorisation availability' loosened from 99.95% to 99.92%."
    )


def test_a_lower_target_for_a_lower_is_better_indicator_is_tightened(
    agreement: Agreement,
) -> None:
    change = only_change(
        agreement, lambda data: objective(data, "peak-latency").update(target="1s")
    )
    assert change.path == "objectives[peak-latency].target"
    assert change.effect is Effect.TIGHTENED
    assert (change.old, change.new) == ("1200 milliseconds", "1 second")
    assert change.summary == (
        "Target of 'p99 latency during Black Friday weekend' tightened "
        "from 1200 milliseconds to 1 second."
    )


def test_a_higher_target_for_a_lower_is_better_indicator_is_loosened(
    agreement: Agreement,
) -> None:
    edit = set_value("objectives", "peak-latency", "target", value="1300ms")
    assert only_change(agreement, edit).effect is Effect.LOOSENED


def test_a_wider_tolerance_band_is_loosened(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("objectives", "api-availability", "tolerance", value="99.5%")
    )
    assert change.category is Category.TOLERANCE
    assert change.effect is Effect.LOOSENED
    assert change.summary == (
        "Tolerance of 'Monthly authorisation availability' loosened from 99.9% to 99.5%."
    )


def test_a_narrower_tolerance_band_for_latency_is_tightened(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("objectives", "peak-latency", "tolerance", value="1400ms")
    )
    assert (change.category, change.effect) == (Category.TOLERANCE, Effect.TIGHTENED)


def test_a_target_whose_indicator_changes_direction_has_no_better_side(
    agreement: Agreement,
) -> None:
    def swap(data: dict[str, Any]) -> None:
        availability = objective(data, "api-availability")
        availability.update(indicator="latency-p99", target="1s", tolerance="2s", scope=[])
        del availability["consistency"]

    changes = {change.path: change for change in changes_between(agreement, swap)}
    assert changes["objectives[api-availability].target"].effect is Effect.NEUTRAL


# --- Objectives added, removed and reshaped ---------------------------------------------------


def test_a_new_objective_is_added_and_tightens(agreement: Agreement) -> None:
    def add(data: dict[str, Any]) -> None:
        extra = copy.deepcopy(objective(data, "checkout-speed"))
        extra.update(id="checkout-speed-eu", name="Fast authorisations in Europe")
        extra["where"] = "region = 'eu'"
        data["objectives"].append(extra)

    change = only_change(agreement, add)
    assert change.path == "objectives[checkout-speed-eu]"
    assert (change.kind, change.effect) == (ChangeKind.ADDED, Effect.TIGHTENED)
    assert change.old is None
    assert isinstance(change.new, dict)
    assert change.new["where"] == "region = 'eu'"
    assert change.summary == "Objective 'Fast authorisations in Europe' added."


def test_a_removed_objective_loosens(agreement: Agreement) -> None:
    def remove(data: dict[str, Any]) -> None:
        data["objectives"].remove(objective(data, "checkout-speed"))

    change = only_change(agreement, remove)
    assert (change.kind, change.effect) == (ChangeKind.REMOVED, Effect.LOOSENED)
    assert change.summary == "Objective 'Fast authorisations' removed."
    assert change.new is None


def test_a_scope_that_gains_a_dimension_names_it(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("objectives", "api-availability", "scope", value=["region", "channel"])
    )
    assert change.path == "objectives[api-availability].scope"
    assert (change.old, change.new) == (["region"], ["region", "channel"])
    assert change.summary == (
        "'channel' added to scope of objective 'Monthly authorisation availability'."
    )


def test_a_new_window_is_reported_without_a_better_side(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("objectives", "checkout-speed", "window", value="rolling 28 days")
    )
    assert change.effect is Effect.NEUTRAL
    assert change.summary == (
        "Window of objective 'Fast authorisations' changed from month to rolling 28 days."
    )


# --- Credits ----------------------------------------------------------------------------------


def test_a_raised_credit_tier_is_tightened(agreement: Agreement) -> None:
    change = only_change(agreement, lambda data: tiers(data)[1].update(credit="20%"))
    assert change == Change(
        path="remedies.credits[availability-credits].tiers[2].credit",
        category=Category.CREDIT,
        kind=ChangeKind.CHANGED,
        old="15%",
        new="20%",
        effect=Effect.TIGHTENED,
        summary="Credit tier 2 of 'availability-credits' raised from 15% to 20%.",
    )


def test_a_lowered_credit_tier_is_loosened(agreement: Agreement) -> None:
    change = only_change(agreement, lambda data: tiers(data)[2].update(credit="25%"))
    assert change.effect is Effect.LOOSENED
    assert change.summary == "Credit tier 3 of 'availability-credits' lowered from 30% to 25%."


def test_a_tier_that_starts_paying_earlier_is_tightened(agreement: Agreement) -> None:
    change = only_change(agreement, lambda data: tiers(data)[1].update(below="99.7%"))
    assert change.effect is Effect.TIGHTENED
    assert change.summary == (
        "Threshold of credit tier 2 of 'availability-credits' raised from 99.5% to 99.7%."
    )


def test_a_new_worst_tier_with_a_higher_cap_tightens_twice(agreement: Agreement) -> None:
    def add(data: dict[str, Any]) -> None:
        tiers(data).append({"below": "95%", "credit": "50%"})
        data["remedies"]["credits"][0]["cap"] = "50%"

    changes = changes_between(agreement, add)
    assert [change.summary for change in changes] == [
        "Credit tier 4 of 'availability-credits' added: 50% credit below 95%.",
        "Cap of credit scheme 'availability-credits' raised from 30% to 50%.",
    ]
    assert {change.effect for change in changes} == {Effect.TIGHTENED}


def test_a_removed_tier_loosens(agreement: Agreement) -> None:
    change = only_change(agreement, lambda data: tiers(data).pop())
    assert (change.kind, change.effect) == (ChangeKind.REMOVED, Effect.LOOSENED)
    assert change.summary == (
        "Credit tier 3 of 'availability-credits' removed (was 30% credit below 99%)."
    )


def test_a_shorter_claim_window_loosens(agreement: Agreement) -> None:
    change = only_change(agreement, set_value("remedies", "claim_window", value="14 days"))
    assert (change.category, change.effect) == (Category.REMEDY, Effect.LOOSENED)
    assert change.summary == "Credit claim window shortened from 30 days to 14 days."


def test_a_chronic_clause_that_triggers_sooner_tightens(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("remedies", "chronic", "chronic-availability", "breaches", value=2)
    )
    assert change.effect is Effect.TIGHTENED
    assert (change.old, change.new) == (3, 2)


# --- Notice periods and term ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "verb"), [("9 months", "lengthened"), ("3 months", "shortened")]
)
def test_termination_notice_binds_both_parties_and_has_no_better_side(
    agreement: Agreement, notice: str, verb: str
) -> None:
    change = only_change(agreement, set_value("term", "termination_notice", value=notice))
    assert (change.category, change.effect) == (Category.NOTICE, Effect.NEUTRAL)
    assert change.summary == f"Termination notice {verb} from 6 months to {notice}."


def test_renewal_notice_is_a_notice_period(agreement: Agreement) -> None:
    change = only_change(agreement, set_value("term", "renewal", "notice", value="120 days"))
    assert change.category is Category.NOTICE
    assert change.summary == "Renewal notice lengthened from 90 days to 120 days."


def test_longer_maintenance_notice_tightens(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("exclusions", "planned-maintenance", "notice", value="7 days")
    )
    assert (change.category, change.effect) == (Category.NOTICE, Effect.TIGHTENED)
    assert change.summary == (
        "Advance notice of exclusion 'planned-maintenance' lengthened from 5 days to 7 days."
    )


def test_a_larger_maintenance_allowance_loosens(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("exclusions", "planned-maintenance", "monthly_cap", value="6h")
    )
    assert (change.category, change.effect) == (Category.EXCLUSION, Effect.LOOSENED)


def test_dropping_the_maintenance_cap_loosens(agreement: Agreement) -> None:
    change = only_change(
        agreement, lambda data: step(data["exclusions"], "planned-maintenance").pop("monthly_cap")
    )
    assert (change.kind, change.effect) == (ChangeKind.REMOVED, Effect.LOOSENED)
    assert change.summary == (
        "Monthly cap of exclusion 'planned-maintenance' removed (was 4 hours)."
    )


def test_longer_notice_before_the_provider_changes_the_service_tightens(
    agreement: Agreement,
) -> None:
    process = {"notice": "30 days", "approval": ["acme"], "rollback": "Within 1 hour."}
    before = edited(agreement, set_value("change_management", value=process))
    after = edited(before, set_value("change_management", "notice", value="60 days"))
    (change,) = diff_agreements(before, after).changes
    assert (change.category, change.effect) == (Category.NOTICE, Effect.TIGHTENED)
    assert change.summary == "Change notice lengthened from 30 days to 60 days."


# --- Parties, process and sections ------------------------------------------------------------


def test_a_faster_acknowledgement_clock_tightens(agreement: Agreement) -> None:
    edit = set_value("incidents", "severities", "sev1", "acknowledge", value="10m")
    change = only_change(agreement, edit)
    assert (change.category, change.effect) == (Category.INCIDENT, Effect.TIGHTENED)
    assert change.summary == (
        "Time to acknowledge 'Critical' incidents shortened from 15 minutes to 10 minutes."
    )


def test_a_longer_escalation_time_limit_loosens(agreement: Agreement) -> None:
    edit = set_value("escalation", "operational", "levels", 1, "within", value="3h")
    change = only_change(agreement, edit)
    assert change.path == "escalation[operational].levels[2].within"
    assert change.effect is Effect.LOOSENED
    assert change.summary == (
        "Time limit of level 2 of escalation ladder 'Operational escalation' "
        "lengthened from 2 hours to 3 hours."
    )


def test_a_stricter_indicator_threshold_tightens(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("indicators", "fast-authorisations", "threshold", value="500ms")
    )
    assert (change.category, change.effect) == (Category.INDICATOR, Effect.TIGHTENED)


@pytest.mark.parametrize(
    ("good", "effect"),
    [
        ("status < 500 or status = 503", Effect.LOOSENED),
        ("status < 400", Effect.TIGHTENED),
        ("status <= 500", Effect.LOOSENED),
        ("status < 500 and latency_ms < 1000", Effect.TIGHTENED),
        ("status >= 0 and status < 500", Effect.TIGHTENED),
        ("status <> 503", Effect.LOOSENED),
        ("status between 200 and 599", Effect.UNKNOWN),
        ("latency_ms < 300", Effect.UNKNOWN),
    ],
)
def test_a_changed_good_condition_loosens_on_more_rows_and_tightens_on_fewer(
    agreement: Agreement, good: str, effect: Effect
) -> None:
    change = only_change(agreement, set_value("indicators", "availability", "good", value=good))

    assert change.path == "indicators[availability].good"
    assert change.effect is effect
    verb = "changed, direction unknown," if effect is Effect.UNKNOWN else effect.value
    assert change.summary == (
        "Condition for a good event of indicator 'Authorisation availability' "
        f"{verb} from 'status < 500' to {good!r}."
    )


def test_narrowing_back_to_the_plain_condition_tightens(agreement: Agreement) -> None:
    looser = edited(
        agreement,
        set_value("indicators", "availability", "good", value="status < 500 or status = 503"),
    )
    (change,) = diff_agreements(looser, agreement).changes

    assert change.effect is Effect.TIGHTENED


def test_a_changed_valid_condition_is_changed_with_its_direction_unknown(
    agreement: Agreement,
) -> None:
    change = only_change(
        agreement, set_value("indicators", "availability", "valid", value="status <> 418")
    )

    assert change.effect is Effect.UNKNOWN
    assert "changed, direction unknown, from 'status <> 429' to 'status <> 418'" in change.summary


def test_a_new_support_language_tightens(agreement: Agreement) -> None:
    change = only_change(agreement, lambda data: data["support"]["languages"].append("fr"))
    assert change.effect is Effect.TIGHTENED
    assert change.summary == "'fr' added to support languages."


def test_a_new_section_of_provider_duties_is_added(agreement: Agreement) -> None:
    governance = {
        "review_cadence": "quarterly",
        "participants": ["acme", "payco"],
        "data_sharing": "Monthly CSV exports",
    }
    change = only_change(agreement, set_value("governance", value=governance))
    assert (change.path, change.kind, change.effect) == (
        "governance",
        ChangeKind.ADDED,
        Effect.TIGHTENED,
    )
    assert change.new == governance
    assert change.summary == "Governance added."


def test_more_frequent_reviews_tighten(agreement: Agreement) -> None:
    governance = {"review_cadence": "quarterly", "participants": ["acme"], "data_sharing": "CSV"}
    before = edited(agreement, set_value("governance", value=governance))
    after = edited(before, set_value("governance", "review_cadence", value="monthly"))
    (change,) = diff_agreements(before, after).changes
    assert change.effect is Effect.TIGHTENED


def test_reordered_dispute_steps_are_a_change_because_steps_run_in_order(
    agreement: Agreement,
) -> None:
    steps = [
        {"name": "Operational review", "within": "10 days", "decided_by": "Service managers"},
        {"name": "Executive meeting", "within": "20 days", "decided_by": "COOs"},
    ]
    before = edited(
        agreement, set_value("disputes", value={"raise_within": "30 days", "steps": steps})
    )
    after = edited(before, lambda data: data["disputes"]["steps"].reverse())
    (change,) = diff_agreements(before, after).changes
    assert change.path == "disputes.steps"
    assert change.summary == (
        "Order of the dispute steps changed from 'Operational review', 'Executive meeting' "
        "to 'Executive meeting', 'Operational review'."
    )
