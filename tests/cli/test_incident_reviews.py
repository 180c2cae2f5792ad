"""accord incident review show|write|file|comment, accord incident rates and accord action
add|list|done|cancel, as the operator."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def test_a_review_with_two_actions_from_the_command_line(payments_dir: Path) -> None:
    _run("incident", "open", "payments-api", "--title", "Auth errors", "--severity", "sev1")
    _run("incident", "resolve", "1")
    written = _run(
        "incident", "review", "write", "1",
        "--summary", "A release broke token refresh",
        "--root-cause", "The token cache was flushed on deploy",
        "--impact", "customers affected=1200",
        "--factor", "no canary stage",
    )  # fmt: skip
    assert "impact: customers affected = 1200" in written
    _run("incident", "review", "comment", "1", "Please add the refund count")
    assert "filed" in _run("incident", "review", "file", "1")
    rewrite = runner.invoke(app, ["incident", "review", "write", "1", "--summary", "later"])
    assert rewrite.exit_code == 1
    assert "a filed review is not rewritten" in " ".join(rewrite.stderr.split())
    _run(
        "action",
        "add",
        "1",
        "--title",
        "Add a canary",
        "--owner",
        "Release eng",
        "--due",
        "2099-01-31",
    )
    _run("action", "add", "1", "--title", "Alert on ratio", "--owner", "NOC", "--due", "2099-02-28")
    assert "done" in _run("action", "done", "1")
    assert "cancelled" in _run("action", "cancel", "2", "--reason", "covered by action 1")
    assert _run("action", "list", "--state", "open") == ""
    shown = json.loads(runner.invoke(app, ["incident", "review", "show", "1", "--json"]).stdout)
    assert (shown["state"], shown["obligation"]) == ("filed", "met")
    assert shown["timeline"][-4:] == [
        "action_added",
        "action_added",
        "action_done",
        "action_cancelled",
    ]
    rates = " ".join(_run("incident", "rates").replace("│", " ").split())
    assert "review 1 0 0 100.0%" in rates
    assert "action 1 0 0 100.0%" in rates


def test_bad_review_input_is_a_clear_error(payments_dir: Path) -> None:
    _run("incident", "open", "payments-api", "--title", "Auth errors", "--severity", "sev1")
    bad = runner.invoke(app, ["incident", "review", "write", "1", "--impact", "many"])
    assert bad.exit_code == 1
    assert "write a name and a number" in bad.stderr
    unresolved = runner.invoke(app, ["incident", "review", "write", "1", "--summary", "s"])
    assert unresolved.exit_code == 0
    early = runner.invoke(app, ["incident", "review", "file", "1"])
    assert early.exit_code == 1
    assert "resolve it first" in early.stderr
    missing = runner.invoke(app, ["action", "done", "9"])
    assert missing.exit_code == 1
    assert "no preventive action 9" in missing.stderr
