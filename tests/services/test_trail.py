"""The audit trail through the services: who reads it, and that it verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from accord.services.errors import Forbidden, Invalid
from accord.services.ingestion import PushBatch
from accord.services.organisations import CreateOrganisation
from accord.services.verdicts import RunEvaluation
from tests.services.world import CONSOLE, World, events


@pytest.mark.parametrize("email", ["auditor@acme.example", "admin@acme.example"])
def test_the_company_s_auditors_and_admins_read_the_trail(world: World, email: str) -> None:
    entries = world.services.audit.entries(world.principal(email), limit=5)
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0]["action"] == "organisation.created"


@pytest.mark.parametrize(
    "email", ["viewer@acme.example", "manager@acme.example", "auditor@bravo.example"]
)
def test_others_do_not_read_the_trail(world: World, email: str) -> None:
    with pytest.raises(Forbidden):
        world.services.audit.entries(world.principal(email))


def test_the_trail_is_read_in_pages(world: World) -> None:
    auditor = world.principal("auditor@acme.example")
    page = world.services.audit.entries(auditor, after_seq=3, limit=2)
    assert [e["seq"] for e in page] == [4, 5]
    with pytest.raises(Invalid):
        world.services.audit.entries(auditor, limit=0)


def test_an_untouched_trail_verifies_and_an_edited_one_does_not(world: World) -> None:
    check = world.services.audit.verify(CONSOLE)
    assert check.ok
    assert check.entries == len(list(world.services.audit.export(CONSOLE)))
    with world.services.context.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 4"))
    check = world.services.audit.verify(CONSOLE)
    assert [(f.seq, f.kind) for f in check.findings] == [(4, "edited")]


def test_a_failed_change_leaves_no_audit_entry(world: World) -> None:
    before = world.services.audit.verify(CONSOLE).entries
    with pytest.raises(Invalid):
        world.services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug="Bad Slug", name="x")
        )
    assert world.services.audit.verify(CONSOLE).entries == before


def test_a_batch_file_overwritten_after_it_was_received_is_a_finding(world: World) -> None:
    command = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(10))
    world.services.ingestion.push(world.principal("partner@bravo.example"), command)
    assert world.services.audit.verify(CONSOLE).ok
    stored = world.services.context.data_dir / "measurements/acme-bravo/requests/b1.parquet"
    stored.write_bytes(stored.read_bytes() + b"\0")
    [finding] = world.services.audit.verify(CONSOLE).findings
    assert (finding.kind, finding.message) == (
        "batch-file",
        "batch 'b1': the file measurements/acme-bravo/requests/b1.parquet no longer matches "
        "its digest",
    )
    stored.unlink()
    assert "is missing" in world.services.audit.verify(CONSOLE).findings[0].message


def test_the_worker_s_checkpoint_verifies_until_the_newest_entry_goes(
    world: World, tmp_path: Path
) -> None:
    written = world.services.audit.write_checkpoint(CONSOLE, tmp_path / "anchors")
    checkpoint = json.loads(written.read_text())
    assert world.services.audit.verify(CONSOLE, checkpoint).ok
    head = checkpoint["head_seq"]
    with world.services.context.engine.begin() as connection:
        connection.execute(text(f"DELETE FROM audit_entries WHERE seq = {head}"))
    [finding] = world.services.audit.verify(CONSOLE, checkpoint).findings
    assert (finding.seq, finding.kind) == (head, "deleted")


def test_verdict_and_batch_rows_edited_in_the_database_are_findings(world: World) -> None:
    partner = world.principal("partner@bravo.example")
    command = PushBatch(agreement="acme-bravo", source="requests", batch_id="b1", events=events(50))
    world.services.ingestion.push(partner, command)
    manager = world.principal("manager@acme.example")
    world.services.verdicts.evaluate(
        manager, RunEvaluation(agreement="acme-bravo", period="2026-10")
    )
    assert world.services.audit.verify(CONSOLE).ok
    engine = world.services.context.engine
    with engine.begin() as connection:
        verdict = connection.execute(text("SELECT min(id) FROM verdicts")).scalar_one()
        connection.execute(text(f"UPDATE verdicts SET outcome = 'breach' WHERE id = {verdict}"))
        connection.execute(text("UPDATE measurement_batches SET digest = 'forged'"))
    messages = [f.message for f in world.services.audit.verify(CONSOLE).findings]
    assert f"verdict {verdict} was edited after it was recorded" in messages
    assert "batch 'b1': its recorded digest was changed after it arrived" in messages
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM verdicts WHERE id = {verdict}"))
    messages = [f.message for f in world.services.audit.verify(CONSOLE).findings]
    assert f"verdict {verdict} was deleted" in messages
