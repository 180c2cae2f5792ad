"""The audit trail over the API: entries after a sequence number, each with its hash."""

from __future__ import annotations

from tests.server.conftest import Api


def test_the_audit_trail_is_read_after_a_sequence_number(api: Api) -> None:
    entries = api.get("/api/v1/audit", "auditor@acme.example", params={"after": 2, "limit": 3})
    assert [e["seq"] for e in entries.json()] == [3, 4, 5]
    assert all(len(e["hash"]) == 64 for e in entries.json())
