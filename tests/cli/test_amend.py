"""accord amend: the partner proposes (recorded for its user with --as), the company approves,
and the version is stored; bad input is named, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from tests.services.world import agreement_text

runner = CliRunner()


def test_partner_proposes_and_the_company_approves(world_dir: Path, tmp_path: Path) -> None:
    proposal = tmp_path / "v2.json"
    proposal.write_text(agreement_text("bravo", target="97%", version="2"))
    proposed = runner.invoke(
        app,
        ["amend", "propose", "acme-bravo", "--file", str(proposal), "--summary", "97%",
         "--as", "partner@bravo.example"],
    )  # fmt: skip
    assert proposed.exit_code == 0, proposed.output
    assert "amendment 1 of acme-bravo: proposed" in proposed.stdout
    assert "awaiting approval of: acme" in proposed.stdout
    shown = runner.invoke(app, ["amend", "show", "acme-bravo", "1"])
    assert "loosened" in shown.stdout
    assert "proposed by bravo (partner@bravo.example)" in shown.stdout
    approved = runner.invoke(app, ["amend", "approve", "acme-bravo", "1"])
    assert approved.exit_code == 0, approved.output
    assert "became version 2" in approved.stdout
    listed = json.loads(
        runner.invoke(app, ["amend", "list", "acme-bravo", "--format", "json"]).stdout
    )
    assert [(a["state"], a["approved_by"]) for a in listed] == [("approved", ["bravo", "acme"])]
    one = json.loads(
        runner.invoke(app, ["amend", "show", "acme-bravo", "1", "--format", "json"]).stdout
    )
    assert (one["state"], one["diff"]["format"]) == ("approved", "accord.diff/v1")
    # --json, the spelling before --format, still works (hidden from --help)
    assert (
        json.loads(runner.invoke(app, ["amend", "list", "acme-bravo", "--json"]).stdout) == listed
    )
    assert (
        json.loads(runner.invoke(app, ["amend", "show", "acme-bravo", "1", "--json"]).stdout) == one
    )
    helped = runner.invoke(app, ["amend", "list", "--help"], env={"COLUMNS": "200"})
    assert "--format" in helped.stdout
    assert "--json" not in helped.stdout


def test_bad_input_is_named(world_dir: Path, tmp_path: Path) -> None:
    missing = runner.invoke(
        app, ["amend", "propose", "acme-bravo", "--summary", "x", "--file", str(tmp_path / "no")]
    )
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    nobody = runner.invoke(app, ["amend", "list", "acme-bravo", "--as", "nobody@acme.example"])
    assert nobody.exit_code == 1
    assert "no active user 'nobody@acme.example'" in nobody.stderr
    unknown = runner.invoke(app, ["amend", "approve", "acme-bravo", "7"])
    assert unknown.exit_code == 1
    assert "agreement 'acme-bravo' has no amendment 7" in unknown.stderr
