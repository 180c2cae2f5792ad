"""accord renewal: record a decision about the term from the console and read the term."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

runner = CliRunner()


def test_a_termination_is_recorded_for_the_consumer_and_ends_the_term(world_dir: Path) -> None:
    before = runner.invoke(app, ["renewal", "status", "acme-bravo"])
    assert before.exit_code == 0, before.output
    assert "auto renewal, initial term to 2027-12-31; renews indefinitely" in before.stdout
    decided = runner.invoke(
        app, ["renewal", "decide", "acme-bravo", "terminate", "--note", "moving in-house"]
    )
    assert decided.exit_code == 0, decided.output
    found = re.search(
        r"terminate recorded for acme-bravo by acme \(term ending (\S+)\)", decided.stdout
    )
    assert found is not None, decided.stdout
    after = runner.invoke(app, ["renewal", "status", "acme-bravo"])
    assert f"ends after {found[1]}" in after.stdout
    assert "terminate by acme (console)" in after.stdout
    assert "moving in-house" in after.stdout


def test_an_unknown_decision_or_agreement_is_named(world_dir: Path) -> None:
    wrong = runner.invoke(app, ["renewal", "decide", "acme-bravo", "extend"])
    assert wrong.exit_code == 2
    assert "extend" in wrong.output
    missing = runner.invoke(app, ["renewal", "status", "acme-delta"])
    assert missing.exit_code == 1
    assert "no agreement 'acme-delta'" in missing.stderr
