"""Matching two versions item by item: reordering is no change, and no difference is missed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.core.diff import Category, Change, ChangeKind, Effect, diff_agreements
from accord.core.loader import load_agreement
from accord.core.model import Agreement
from tests.core.diff.edits import (
    EXAMPLE,
    Edit,
    changes_between,
    edited,
    only_change,
    set_value,
    tiers,
)


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
