"""The rules of a change: approvals, notice and its waiver, freeze windows, change types."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accord.core.amendments import change_rules, earliest_effective, effective_problem
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from tests.services.world import agreement_document

BERLIN = ZoneInfo("Europe/Berlin")
PROPOSED = dt.datetime(2026, 9, 10, 9, tzinfo=dt.UTC)


def _agreement(changes: dict[str, Any] | None) -> Agreement:
    document = agreement_document("bravo")
    if changes is not None:
        document["change_management"] = changes
    loaded = load_agreement(json.dumps(document), "a.yaml")
    assert loaded.agreement is not None, loaded.problems
    return loaded.agreement


CHANGES = {
    "notice": "1 month",
    "approval": ["bravo", "acme"],
    "rollback": "by a new amendment",
    "change_types": [{"id": "sub-processor", "notice": "90 days", "approval": ["acme"]}],
    "freezes": [
        {"name": "Peak", "dates": [{"from": "2026-11-27", "to": "2026-11-30"}]},
        {"name": "Audit", "dates": [{"from": "2026-10-01", "to": "2026-10-02"}],
         "change_types": ["sub-processor"]},
    ],
}  # fmt: skip


def test_without_change_management_consumer_and_provider_approve_with_no_notice() -> None:
    rules = change_rules(_agreement(None), None)
    assert (rules.approvers, str(rules.notice)) == (("acme", "bravo"), "0 days")
    assert earliest_effective(rules, PROPOSED) == PROPOSED
    with pytest.raises(KeyError, match="declares none"):
        change_rules(_agreement(None), "sub-processor")


def test_approvers_follow_the_agreement_s_order_and_months_step_local_dates() -> None:
    rules = change_rules(_agreement(CHANGES), None)
    assert rules.approvers == ("acme", "bravo")
    assert earliest_effective(rules, PROPOSED) == dt.datetime(2026, 10, 10, 9, tzinfo=dt.UTC)


def test_a_change_type_has_its_own_notice_approvals_and_freezes() -> None:
    rules = change_rules(_agreement(CHANGES), "sub-processor")
    assert (rules.approvers, rules.waivers_needed) == (("acme",), ("acme", "bravo"))
    assert [f.name for f in rules.freezes] == ["Peak", "Audit"]
    general = change_rules(_agreement(CHANGES), None)
    assert [f.name for f in general.freezes] == ["Peak"]


@pytest.mark.parametrize(
    ("effective", "waived", "problem"),
    [
        (dt.datetime(2026, 10, 10, 9, tzinfo=dt.UTC), (), None),
        (dt.datetime(2026, 10, 10, 8, 59, tzinfo=dt.UTC), (), "still to waive: acme, bravo"),
        (dt.datetime(2026, 10, 1, tzinfo=dt.UTC), ("acme",), "still to waive: bravo"),
        (dt.datetime(2026, 10, 1, tzinfo=dt.UTC), ("acme", "bravo"), None),
        (dt.datetime(2026, 11, 27, tzinfo=BERLIN), (), "freeze window 'Peak'"),
        (dt.datetime(2026, 11, 30, 23, 59, tzinfo=BERLIN), (), "freeze window 'Peak'"),
        (dt.datetime(2026, 12, 1, tzinfo=BERLIN), (), None),
        (dt.datetime(2026, 9, 1, tzinfo=dt.UTC), ("acme", "bravo"), "after it is proposed"),
    ],
)
def test_when_a_change_may_take_effect(
    effective: dt.datetime, waived: tuple[str, ...], problem: str | None
) -> None:
    rules = change_rules(_agreement(CHANGES), None)
    found = effective_problem(rules, PROPOSED, effective, waived)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert problem in found


def test_a_freeze_names_only_declared_change_types() -> None:
    freeze = {"name": "X", "dates": [{"from": "2026-01-01", "to": "2026-01-02"}]}
    changes = {**CHANGES, "freezes": [{**freeze, "change_types": ["dns"]}]}
    document = agreement_document("bravo")
    document["change_management"] = changes
    loaded = load_agreement(json.dumps(document), "a.yaml")
    assert any("no change type 'dns'" in p.message for p in loaded.problems)
