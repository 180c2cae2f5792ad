"""accord notifications list|show|preferences, over an embedded store and a real SMTP server:
an incident opened at the command line writes its emails to the outbox; a user who muted
incident emails gets none (suppressed, with the reason), the others are delivered by the
worker and each attempt shows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.cli.notifications import Mutable
from accord.services.notifications import MUTABLE
from tests.mailbox import Mailbox

runner = CliRunner()
EXAMPLES = Path(__file__).parents[2] / "examples"


def _run(*command: str, code: int = 0) -> str:
    result = runner.invoke(app, list(command))
    assert result.exit_code == code, result.output
    return str(result.stdout if code == 0 else result.stderr)


def _json(*command: str) -> Any:
    return json.loads(_run(*command, "--format", "json"))


@pytest.fixture
def store(payments_dir: Path, monkeypatch: pytest.MonkeyPatch, smtp: Mailbox) -> Path:
    monkeypatch.setenv("ACCORD_SMTP_HOST", smtp.host)
    monkeypatch.setenv("ACCORD_SMTP_PORT", str(smtp.port))
    _run(
        "admin",
        "create-user",
        "--organisation",
        "payco",
        "--email",
        "noc@payco.example",
        "--name",
        "NOC",
        "--role",
        "partner",
    )
    return payments_dir


def test_the_mutable_events_are_the_service_s() -> None:
    assert tuple(item.value for item in Mutable) == MUTABLE


def test_a_user_who_muted_incident_emails_gets_none_and_the_others_are_delivered(
    store: Path, smtp: Mailbox
) -> None:
    assert _json("notifications", "preferences", "noc@payco.example") == {
        "user": "noc@payco.example",
        "email": True,
        "muted": [],
    }
    said = _run("notifications", "preferences", "noc@payco.example", "--mute", "incident")
    assert "noc@payco.example takes email, except incident" in said
    _run("incident", "open", "payments-api", "--title", "Auth errors", "--severity", "sev1")
    pending = _json("notifications", "list", "--state", "pending")
    emails = sorted(n["recipient"] for n in pending if n["channel"] == "email")
    assert "noc@payco.example" in emails
    assert len(emails) == 4  # both parties' contacts

    # The agreement's data files are not there (its evaluations fail: exit 1); the outbox is
    # delivered all the same. The webhook fails: no webhook secret is configured.
    worked = runner.invoke(app, ["worker", "--once"])
    assert "3 notifications delivered, 1 failed" in worked.output, worked.output

    delivered = {n["recipient"] for n in _json("notifications", "list", "--state", "delivered")}
    assert delivered == set(emails) - {"noc@payco.example"}
    assert sorted(str(m["To"]) for m in smtp.messages) == sorted(delivered)
    [muted] = _json("notifications", "list", "--state", "suppressed")
    assert muted["recipient"] == "noc@payco.example"
    assert "muted incident emails" in muted["last_error"]
    [sent] = [n for n in _json("notifications", "list") if n["state"] == "delivered"][:1]
    shown = _json("notifications", "show", str(sent["id"]))
    assert [(a["number"], a["outcome"]) for a in shown["history"]] == [(1, "delivered")]
    assert "delivered" in _run("notifications", "show", str(sent["id"]))


def test_preferences_change_step_by_step_and_bad_input_is_named(store: Path) -> None:
    user = "noc@payco.example"
    _run("notifications", "preferences", user, "--mute", "reminder", "--mute", "review")
    said = _json("notifications", "preferences", user, "--unmute", "review")
    assert said["muted"] == ["reminder"]
    said = _json("notifications", "preferences", user, "--no-email")
    assert (said["email"], said["muted"]) == (False, ["reminder"])
    assert "takes no email" in _run("notifications", "preferences", user)
    assert "no user 'nobody@payco.example'" in _run(
        "notifications", "preferences", "nobody@payco.example", code=1
    )
    bad = runner.invoke(app, ["notifications", "preferences", user, "--mute", "escalation"])
    assert bad.exit_code == 2
    assert "escalation" in bad.stderr
    assert "no notification 99" in _run("notifications", "show", "99", code=1)
    assert "no notifications match" in _run("notifications", "list")
