"""accord incident open|ack|update|resolve|show, as the operator."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.bootstrap import build
from accord.cli.main import app
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.settings import Settings

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


def test_a_source_omitting_its_severity_is_refused_when_the_policy_has_several(
    payments_dir: Path,
) -> None:
    omitted = runner.invoke(app, ["incident", "source", "payments-api", "prometheus"])
    assert omitted.exit_code == 1
    said = " ".join(omitted.stderr.split())
    assert "name the one for alerts that name none" in said
    assert "payments-api has severities: sev1, sev2" in said
    chosen = ["incident", "source", "payments-api", "prometheus", "--severity", "sev2"]
    created = runner.invoke(app, chosen)
    assert created.exit_code == 0, created.output
    assert "naming no severity open sev2" in " ".join(created.stdout.split())


def test_a_source_naming_an_unknown_severity_is_refused_naming_it(payments_dir: Path) -> None:
    unknown = runner.invoke(
        app, ["incident", "source", "payments-api", "prometheus", "--severity", "p1"]
    )
    assert unknown.exit_code == 1
    said = " ".join(unknown.stderr.split())
    assert "severity 'p1' is not in the incident policy of payments-api" in said
    assert "severities: sev1, sev2" in said


def _one_severity(text: str) -> str:
    """payments-api as ``payments-one``, whose incident policy has sev1 only."""
    head, sev2 = text.split("    - id: sev2\n", 1)
    rest = sev2.split("  review:\n", 1)[1]
    text = f"{head}  review:\n{rest}".replace("[sev1, sev2]", "[sev1]")
    return text.replace("  id: payments-api\n", "  id: payments-one\n", 1)


def test_a_source_omitting_its_severity_takes_the_policy_s_only_one(
    payments_dir: Path,
) -> None:
    services = build(Settings.load())
    try:
        upload = UploadVersion(text=_one_severity(EXAMPLE.read_text()))
        services.portfolio.upload(Principal.console(), upload)
    finally:
        services.close()
    created = runner.invoke(app, ["incident", "source", "payments-one", "prometheus"])
    assert created.exit_code == 0, created.output
    assert "naming no severity open sev1" in " ".join(created.stdout.split())
