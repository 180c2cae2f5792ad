"""The diff as a document: the versioned JSON format and changes grouped by category."""

from __future__ import annotations

import json
from typing import Any

from accord.core.diff import FORMAT, Category, diff_agreements
from accord.core.model import Agreement
from tests.core.diff.edits import (
    edited,
    objective,
    step,
    tiers,
)


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
