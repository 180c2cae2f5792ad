"""The sentences that say what changed: renamings, additions, redefined indicators."""

from __future__ import annotations

from typing import Any

from accord.core.diff import Category, Change, ChangeKind, Effect
from accord.core.model import Agreement
from tests.core.diff.edits import (
    entry,
    only_change,
    set_value,
)


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
