"""accord incident open|ack|update|resolve|show, as the operator."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()
EXAMPLE = Path(__file__).parents[2] / "examples" / "payments-api.yaml"


def test_an_incident_from_open_to_resolved(payments_dir: Path) -> None:
    steps = [
        ["incident", "open", "payments-api", "--title", "Auth errors", "--severity", "sev1"],
        ["incident", "ack", "1"],
        ["incident", "update", "1", "Rolled back the release"],
        ["incident", "resolve", "1"],
    ]
    for step in steps:
        result = runner.invoke(app, step)
        assert result.exit_code == 0, result.output
    assert "resolved (sev1)" in result.stdout
    shown = json.loads(runner.invoke(app, ["incident", "show", "1", "--json"]).stdout)
    assert [e["kind"] for e in shown["timeline"]] == [
        "opened",
        "acknowledged",
        "update",
        "resolved",
    ]
    # Resolving a sev1 starts the post-incident review's clock.
    assert {o["kind"] for o in shown["obligations"]} == {
        "acknowledge",
        "resolve",
        "update",
        "review",
    }


def test_a_bad_severity_or_id_is_a_clear_error(payments_dir: Path) -> None:
    bad = runner.invoke(
        app, ["incident", "open", "payments-api", "--title", "x", "--severity", "p9"]
    )
    assert bad.exit_code == 1
    assert "severities: sev1, sev2" in " ".join(bad.stderr.split())
    missing = runner.invoke(app, ["incident", "ack", "42"])
    assert missing.exit_code == 1
    assert "no incident 42" in missing.stderr


def test_a_security_incident_s_notices_from_the_command_line(payments_dir: Path) -> None:
    opened = runner.invoke(
        app,
        ["incident", "open", "payments-api", "--title", "Leak", "--severity", "sev1", "--security"],
    )
    assert opened.exit_code == 0, opened.output
    classified = runner.invoke(app, ["incident", "classify", "1"])
    assert classified.exit_code == 0, classified.output
    assert "DORA Art. 19" in classified.stdout
    sent = runner.invoke(
        app,
        ["incident", "notice", "1", "dora-art-19", "initial", "--to", "BaFin", "--content", "x"],
    )
    assert sent.exit_code == 0, sent.output
    assert "dora-art-19 initial sent" in sent.stdout
    assert ": met (due" in sent.stdout
    future = runner.invoke(
        app,
        [
            "incident", "notice", "1", "gdpr-art-33", "notification", "--to", "DPA",
            "--content", "x", "--sent-at", "2999-01-01T00:00:00Z",
        ],
    )  # fmt: skip
    assert future.exit_code == 1
    assert "in the future" in future.stderr
