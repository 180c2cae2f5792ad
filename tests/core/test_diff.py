"""The semantic diff: what changed between two versions of an agreement, and for whom."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from accord.core.diff import (
    FORMAT,
    Category,
    Change,
    ChangeKind,
    Effect,
    diff_agreements,
)
from accord.core.loader import load_agreement
from accord.core.model import Agreement

EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert loaded.ok, loaded.problems
    assert loaded.agreement is not None
    return loaded.agreement


def edited(agreement: Agreement, edit: Edit) -> Agreement:
    """A new version: the agreement's written form, edited, read again."""
    data = copy.deepcopy(agreement.dump())
    edit(data)
    return Agreement.model_validate(data)


def entry(data: dict[str, Any], *path: str, key: str, field: str = "id") -> dict[str, Any]:
    """The item of a list (found under ``path``) whose ``field`` is ``key``."""
    node: Any = data
    for part in path:
        node = node[part]
    found: dict[str, Any] = next(item for item in node if item[field] == key)
    return found


def objective(data: dict[str, Any], objective_id: str) -> dict[str, Any]:
    return entry(data, "objectives", key=objective_id)


def tiers(data: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data["remedies"]["credits"][0]["tiers"]
    return found


def changes_between(agreement: Agreement, edit: Edit) -> list[Change]:
    return list(diff_agreements(agreement, edited(agreement, edit)).changes)


def only_change(agreement: Agreement, edit: Edit) -> Change:
    changes = changes_between(agreement, edit)
    assert len(changes) == 1, [change.summary for change in changes]
    return changes[0]


def step(node: Any, part: str | int) -> Any:
    """One step down a path: a mapping key, a list index, or the id of a list item."""
    if isinstance(node, list) and isinstance(part, str):
        return next(item for item in node if part in (item.get("id"), item.get("channel")))
    return node[part]


def set_value(*path: str | int, value: object) -> Edit:
    """An edit that sets the value at a path such as ("objectives", "peak-latency", "target")."""

    def edit(data: dict[str, Any]) -> None:
        node: Any = data
        for part in path[:-1]:
            node = step(node, part)
        node[path[-1]] = value

    return edit


# --- Nothing changed --------------------------------------------------------------------------


def test_identical_versions_have_no_changes(agreement: Agreement) -> None:
    result = diff_agreements(agreement, agreement)
    assert result.changes == ()
    assert not result.has_changes
    assert result.counts()["total"] == 0


def test_a_version_read_back_from_its_written_form_has_no_changes(agreement: Agreement) -> None:
    assert changes_between(agreement, lambda data: None) == []


def test_reordered_lists_and_mappings_are_not_changes(agreement: Agreement) -> None:
    def reorder(data: dict[str, Any]) -> None:
        for section in ("parties", "journey", "sources", "indicators", "objectives", "exclusions"):
            data[section].reverse()
        for section in ("responsibilities", "commitments"):
            data[section].reverse()
        data["parties"][0]["contacts"].reverse()
        tiers(data).reverse()
        data["incidents"]["severities"].reverse()
        data["support"]["channels"].reverse()
        data["support"]["languages"].reverse()
        data["metadata"]["labels"] = dict(reversed(data["metadata"]["labels"].items()))
        columns = data["sources"][0]["columns"]
        data["sources"][0]["columns"] = dict(reversed(columns.items()))

    assert changes_between(agreement, reorder) == []


def test_other_spellings_of_the_same_value_are_not_changes(agreement: Agreement) -> None:
    def respell(data: dict[str, Any]) -> None:
        entry(data, "incidents", "severities", key="sev1")["resolve"] = "240m"
        objective(data, "api-availability")["target"] = "99.950%"
        entry(data, "indicators", key="availability")["good"] = "status<500"

    assert changes_between(agreement, respell) == []


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


def test_money_is_written_exactly_and_shown_rounded(agreement: Agreement) -> None:
    edit = set_value("remedies", "credits", "availability-credits", "basis", value="45000 EUR")
    change = only_change(agreement, edit)
    assert (change.old, change.new) == ("40000 EUR", "45000 EUR")
    assert change.effect is Effect.TIGHTENED
    assert change.summary == (
        "Basis of credit scheme 'availability-credits' raised from 40,000.00 EUR to 45,000.00 EUR."
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


def test_a_renamed_party_is_one_change(agreement: Agreement) -> None:
    change = only_change(agreement, set_value("parties", "payco", "name", value="PayCo Ltd"))
    assert change == Change(
        path="parties[payco].name",
        category=Category.PARTIES,
        kind=ChangeKind.CHANGED,
        old="PayCo Payments Ltd",
        new="PayCo Ltd",
        effect=Effect.NEUTRAL,
        summary="Party 'PayCo Payments Ltd' renamed to 'PayCo Ltd'.",
    )


def test_a_new_party_is_added(agreement: Agreement) -> None:
    auditor = {"id": "audit-co", "name": "Audit Co", "role": "auditor"}
    change = only_change(agreement, lambda data: data["parties"].append(auditor))
    assert (change.path, change.kind) == ("parties[audit-co]", ChangeKind.ADDED)
    assert change.summary == "Party 'Audit Co' added."


def test_a_faster_acknowledgement_clock_tightens(agreement: Agreement) -> None:
    edit = set_value("incidents", "severities", "sev1", "acknowledge", value="10m")
    change = only_change(agreement, edit)
    assert (change.category, change.effect) == (Category.INCIDENT, Effect.TIGHTENED)
    assert change.summary == (
        "Time to acknowledge 'Critical' incidents shortened from 15 minutes to 10 minutes."
    )


def test_business_time_and_wall_time_are_not_compared(agreement: Agreement) -> None:
    change = only_change(
        agreement, set_value("incidents", "severities", "sev2", "resolve", value="8h")
    )
    assert change.effect is Effect.NEUTRAL
    assert change.summary == (
        "Time to resolve 'Major' incidents changed from 1 business day to 8 hours."
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


def test_an_indicator_of_another_kind_is_explained_by_its_formulas(agreement: Agreement) -> None:
    def redefine(data: dict[str, Any]) -> None:
        indicator = entry(data, "indicators", key="availability")
        for name in ("good", "valid"):
            del indicator[name]
        indicator.update(kind="threshold", measure="latency", threshold="5s")

    change = only_change(agreement, redefine)
    assert change.path == "indicators[availability]"
    assert change.summary == (
        "Indicator 'Authorisation availability' redefined from ratio to threshold: its formula "
        "is now 'count of events with latency ≤ 5 seconds / count of events' "
        "(was 'count of events where status < 500 / count of events where status <> 429')."
    )


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


# --- Nothing is silently missed ---------------------------------------------------------------


def test_a_field_without_a_rule_is_still_reported(agreement: Agreement) -> None:
    edit = set_value(
        "commitments", "proactive-outage-notice", "evidence", value="Monthly outage log."
    )
    change = only_change(agreement, edit)
    assert change == Change(
        path="commitments[proactive-outage-notice].evidence",
        category=Category.COMMITMENT,
        kind=ChangeKind.CHANGED,
        old="Share of sev1 incidents first reported by PayCo, reviewed quarterly.",
        new="Monthly outage log.",
        effect=Effect.NEUTRAL,
        summary="Evidence of commitment 'proactive-outage-notice' changed from "
        "'Share of sev1 incidents first reported by PayCo, reviewed quarterly.' "
        "to 'Monthly outage log.'.",
    )


EDITS_IN_EVERY_SECTION: list[tuple[str, Edit]] = [
    ("metadata.summary", set_value("metadata", "summary", value="Shorter.")),
    ("metadata.labels.risk_tier", set_value("metadata", "labels", "risk_tier", value="high")),
    ("timezone", set_value("timezone", value="Europe/Paris")),
    (
        "parties[acme].contacts[Vendor management desk].email",
        set_value("parties", "acme", "contacts", 0, "email", value="desk@acme.example"),
    ),
    ("term.effective", set_value("term", "effective", value="2026-02-01")),
    ("term.renewal.mode", set_value("term", "renewal", "mode", value="manual")),
    ("journey[checkout].kind", set_value("journey", "checkout", "kind", value="delivery")),
    (
        "calendars[london-support].hours.mon",
        set_value("calendars", "london-support", "hours", "mon", value=["09:00-17:00"]),
    ),
    (
        "calendars[london-support].holidays.dates",
        set_value("calendars", "london-support", "holidays", "dates", value=["2026-12-24"]),
    ),
    (
        "peak_periods[black-friday].dates",
        set_value(
            "peak_periods",
            "black-friday",
            "dates",
            value=[{"from": "2026-11-26", "to": "2026-11-30"}],
        ),
    ),
    (
        "sources[authorisations].path",
        set_value("sources", "authorisations", "path", value="auth/*.parquet"),
    ),
    (
        "sources[authorisations].columns.region.column",
        set_value("sources", "authorisations", "columns", "region", "column", value="region_code"),
    ),
    (
        "indicators[availability].valid",
        set_value("indicators", "availability", "valid", value="status <> 418"),
    ),
    (
        "objectives[checkout-speed].minimum_events",
        set_value("objectives", "checkout-speed", "minimum_events", value=100),
    ),
    (
        "exclusions[acme-caused].description",
        set_value("exclusions", "acme-caused", "description", value="Acme's own errors."),
    ),
    ("remedies.payment", set_value("remedies", "payment", value="refund")),
    (
        "responsibilities[Authorisation API availability and latency].consulted",
        set_value("responsibilities", 0, "consulted", value=[]),
    ),
    (
        "escalation[operational].levels[3].owner",
        set_value("escalation", "operational", "levels", 2, "owner", value="CEO"),
    ),
    ("incidents.on_call", set_value("incidents", "on_call", value="PayCo NOC by phone")),
    (
        "incidents.review.deadline",
        set_value("incidents", "review", "deadline", value="3 business days"),
    ),
    (
        "support.channels[portal].address",
        set_value("support", "channels", "portal", "address", value="https://help.payco.example"),
    ),
    (
        "commitments[proactive-outage-notice].behaviour",
        set_value("commitments", "proactive-outage-notice", "behaviour", value="Call Acme first."),
    ),
]


@pytest.mark.parametrize(
    ("path", "edit"), EDITS_IN_EVERY_SECTION, ids=[path for path, _ in EDITS_IN_EVERY_SECTION]
)
def test_an_edit_anywhere_is_reported_at_its_path(
    agreement: Agreement, path: str, edit: Edit
) -> None:
    new = edited(agreement, edit)
    change = only_change(agreement, edit)
    assert change.path == path
    assert change.category is not Category.OTHER
    assert change.summary.endswith(".")
    assert new.version_hash() != agreement.version_hash()


# --- JSON -------------------------------------------------------------------------------------


def test_json_is_the_versioned_documented_format(agreement: Agreement) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["metadata"]["version"] = "3.2"
        objective(data, "api-availability")["target"] = "99.99%"
        data["objectives"].remove(objective(data, "checkout-speed"))

    new = edited(agreement, edit)
    document = diff_agreements(agreement, new).to_json()
    assert json.loads(json.dumps(document)) == document
    assert document["format"] == FORMAT == "accord.diff/v1"
    assert document["old"] == {
        "id": "payments-api",
        "version": "3.1",
        "hash": agreement.version_hash(),
    }
    assert document["new"] == {"id": "payments-api", "version": "3.2", "hash": new.version_hash()}
    assert document["summary"] == {
        "total": 3,
        "tightened": 1,
        "loosened": 1,
        "neutral": 1,
        "unknown": 0,
        "added": 0,
        "removed": 1,
        "changed": 2,
    }
    assert isinstance(document["changes"], list)
    first = document["changes"][0]
    assert first == {
        "path": "metadata.version",
        "category": "metadata",
        "kind": "changed",
        "old": "3.1",
        "new": "3.2",
        "effect": "neutral",
        "summary": "Version label changed from '3.1' to '3.2'.",
    }


def test_changes_group_by_category_in_a_fixed_order(agreement: Agreement) -> None:
    def edit(data: dict[str, Any]) -> None:
        tiers(data)[1]["credit"] = "20%"
        step(data["parties"], "payco")["name"] = "PayCo Ltd"

    groups = diff_agreements(agreement, edited(agreement, edit)).by_category()
    assert list(groups) == [Category.PARTIES, Category.CREDIT]


def examples() -> list[Path]:
    return sorted(EXAMPLE.parent.glob("*.yaml"))


@pytest.mark.parametrize("other", examples(), ids=lambda path: path.stem)
def test_every_section_that_differs_between_two_examples_has_changes(
    agreement: Agreement, other: Path
) -> None:
    loaded = load_agreement(other.read_text(encoding="utf-8"), str(other))
    assert loaded.agreement is not None, loaded.problems
    before, after = agreement.dump(), loaded.agreement.dump()
    paths = [change.path for change in diff_agreements(agreement, loaded.agreement).changes]
    for section in before.keys() | after.keys():
        if before.get(section) != after.get(section):
            assert any(path.startswith(section) for path in paths), section
