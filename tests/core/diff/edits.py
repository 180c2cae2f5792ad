"""Edits of the payments example that make a new version, for the diff's tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from accord.core.diff import (
    Change,
    diff_agreements,
)
from accord.core.loader import load_agreement
from accord.core.model import Agreement

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"

Edit = Callable[[dict[str, Any]], None]


def example() -> Agreement:
    """The payments example, as loaded from its file."""
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
