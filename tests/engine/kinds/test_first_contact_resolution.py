"""First-contact resolution: of the resolved tickets, the share resolved in one contact."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.engine.kinds.judging import judge

FCR = {
    "id": "fcr",
    "kind": "first_contact_resolution",
    "contacts": "contacts",
    "resolved": "status = 'resolved'",
}
COLUMNS = {"contacts": "integer", "status": "string"}


def test_only_resolved_tickets_count_and_one_contact_is_good(tmp_path: Path) -> None:
    tickets = [[1, "resolved"], [1, "resolved"], [3, "resolved"], [1, "open"], [2, "open"]]

    verdict = judge(tmp_path, FCR, COLUMNS, tickets, target="70%", tolerance="50%")

    assert (verdict.counts["good"], verdict.counts["valid"]) == (2, 3)
    assert verdict.value == Decimal(2) / 3


def test_a_ticket_resolved_without_any_contact_is_not_a_first_contact_resolution(
    tmp_path: Path,
) -> None:
    verdict = judge(
        tmp_path, FCR, COLUMNS, [[0, "resolved"], [1, "resolved"]], target="70%", tolerance="50%"
    )

    assert (verdict.counts["good"], verdict.counts["valid"]) == (1, 2)


def test_without_resolved_tickets_there_is_no_value(tmp_path: Path) -> None:
    verdict = judge(tmp_path, FCR, COLUMNS, [[1, "open"]], target="70%", tolerance="50%")

    assert verdict.value is None
