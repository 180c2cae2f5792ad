"""accord dispute: bravo disputes a verdict with a file of evidence (recorded for its user
with --as), both sides see the exchange, the company records the outcome; bad input is named."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.cli.conftest import open_world
from tests.services.world import CONSOLE, agreement_document, events

runner = CliRunner()


def _judged(folder: Path) -> int:
    """Version 2 declares a dispute ladder; October is judged; the verdict's id."""
    world = open_world(folder)
    try:
        document = agreement_document("bravo", version="2")
        document["disputes"] = {
            "raise_within": "3650 days",
            "steps": [{"name": "Review", "within": "5 business days", "decided_by": "Managers"}],
        }
        services = world.services
        services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
        services.ingestion.push(
            CONSOLE,
            PushBatch(agreement="acme-bravo", source="requests", batch_id="b", events=events(50)),
        )
        services.verdicts.evaluate(CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10"))
        return services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items[0].id
    finally:
        world.services.close()


def test_a_verdict_disputed_with_evidence_and_decided(world_dir: Path, tmp_path: Path) -> None:
    verdict = _judged(world_dir)
    evidence = tmp_path / "probe.csv"
    evidence.write_text("ts,ok\n2026-10-02T10:00:00Z,1\n")
    raised = runner.invoke(
        app,
        ["dispute", "raise", "acme-bravo", "--verdict", str(verdict), "--claim", "Our probes",
         "--file", str(evidence), "--link", "https://probes.bravo.example/oct",
         "--as", "partner@bravo.example"],
    )  # fmt: skip
    assert raised.exit_code == 0, raised.output
    assert "dispute 1 of acme-bravo" in raised.stdout
    assert "by bravo: open, step 1 Review" in raised.stdout
    shown = runner.invoke(app, ["dispute", "show", "acme-bravo", "1"])
    assert "evidence file probe.csv sha256" in shown.stdout
    decided = runner.invoke(
        app, ["dispute", "decide", "acme-bravo", "1", "--outcome", "rejected", "--reason", "ok"]
    )
    assert decided.exit_code == 0, decided.output
    assert "outcome: rejected" in decided.stdout
    listed = json.loads(
        runner.invoke(app, ["dispute", "list", "--json", "--as", "auditor@bravo.example"]).stdout
    )
    assert [(d["id"], d["outcome"]) for d in listed] == [(1, "rejected")]


def test_bad_input_is_named(world_dir: Path) -> None:
    undeclared = runner.invoke(
        app, ["dispute", "raise", "acme-bravo", "--verdict", "1", "--claim", "x"]
    )
    assert undeclared.exit_code == 1
    assert "declares no dispute procedure" in undeclared.stderr
    amount = runner.invoke(
        app,
        ["dispute", "raise", "acme-bravo", "--scheme", "s", "--window", "2026-10", "--claim",
         "x", "--amount", "ten"],
    )  # fmt: skip
    assert amount.exit_code == 1
    assert "--amount 'ten' is not a number" in amount.stderr
    assert "no disputes" in runner.invoke(app, ["dispute", "list"]).stdout
