"""accord dispute: bravo disputes a verdict with a file of evidence (recorded for its user
with --as), both sides see the exchange, the company records the outcome; bad input is named.
Bravo adds its own probe data for the source and compares its met with our breach."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.portfolio import UploadVersion
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.cli.conftest import open_world
from tests.services.test_dispute_data import probe_csv
from tests.services.world import CONSOLE, agreement_document, events

runner = CliRunner()
MANAGER = "manager@acme.example"


def _judged(folder: Path, events_pushed: list[dict[str, object]] | None = None) -> int:
    """Version 2 declares a dispute ladder; October is judged (from 50 good requests unless
    told otherwise); the verdict's id."""
    world = open_world(folder)
    try:
        document = agreement_document("bravo", version="2")
        document["disputes"] = {
            "raise_within": "3650 days",
            "steps": [{"name": "Review", "within": "5 business days", "decided_by": "Managers"}],
        }
        services = world.services
        services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
        pushed = events(50) if events_pushed is None else events_pushed
        services.ingestion.push(
            CONSOLE,
            PushBatch(agreement="acme-bravo", source="requests", batch_id="b", events=pushed),
        )
        services.verdicts.evaluate(CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10"))
        return services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items[0].id
    finally:
        world.services.close()


def _breached(folder: Path) -> int:
    """October is a breach by our data (80%)."""
    return _judged(folder, events(1000, failing_every=5))


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
        runner.invoke(
            app, ["dispute", "list", "--format", "json", "--as", "auditor@bravo.example"]
        ).stdout
    )
    assert [(d["id"], d["outcome"]) for d in listed] == [(1, "rejected")]
    shown_json = json.loads(
        runner.invoke(app, ["dispute", "show", "acme-bravo", "1", "--format", "json"]).stdout
    )
    assert (shown_json["id"], shown_json["outcome"]) == (1, "rejected")
    # --json, the spelling before --format, still works for scripts written for it
    old = runner.invoke(app, ["dispute", "show", "acme-bravo", "1", "--json"])
    assert json.loads(old.stdout) == shown_json
    old_list = runner.invoke(app, ["dispute", "list", "--json", "--as", "auditor@bravo.example"])
    assert json.loads(old_list.stdout) == listed


def test_dispute_commands_offer_format_and_hide_the_old_json_spelling() -> None:
    for command in ("show", "list", "compare"):
        shown = runner.invoke(app, ["dispute", command, "--help"], env={"COLUMNS": "200"})
        assert shown.exit_code == 0, shown.output
        assert "--format" in shown.stdout
        assert "--json" not in shown.stdout


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


def test_a_partner_adds_its_data_and_compares_its_met_with_our_breach(
    world_dir: Path, tmp_path: Path
) -> None:
    verdict = _breached(world_dir)
    partner = ["--as", "partner@bravo.example"]
    raised = runner.invoke(
        app,
        [
            "dispute",
            "raise",
            "acme-bravo",
            "--verdict",
            str(verdict),
            "--claim",
            "We met",
            *partner,
        ],
    )
    assert raised.exit_code == 0, raised.output
    probes = tmp_path / "probes.csv"
    probes.write_bytes(probe_csv(events(1000)))
    added = runner.invoke(
        app,
        ["dispute", "evidence", "acme-bravo", "1", "--file", str(probes),
         "--data-for", "requests", *partner],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "evidence data probes.csv sha256" in added.stdout
    assert "for source requests: 1000 of 1000 rows accepted, 0 rejected" in added.stdout

    table = runner.invoke(app, ["dispute", "compare", "acme-bravo", "1", *partner])
    assert table.exit_code == 0, table.output
    assert "nothing recorded" in table.stdout
    [line] = [line for line in table.stdout.splitlines() if "│ availability " in line]
    assert [cell.strip() for cell in line.split("│")[1:-1]] == [
        "availability", "all", "breach 80%", "met 100%", "+20%", "100.00", "—"
    ]  # fmt: skip
    as_json = runner.invoke(
        app, ["dispute", "compare", "acme-bravo", "1", "--format", "json", "--as", MANAGER]
    )
    [data] = json.loads(as_json.stdout)["data"]
    [row] = data["objectives"]
    assert (row["ours"]["value"], row["theirs"]["value"], row["difference"]) == ("0.8", "1", "0.2")
    assert [(c["ours"], c["theirs"]) for c in data["credits"]] == [("100.00", "0")]
    listed = json.loads(runner.invoke(app, ["dispute", "list", "--json"]).stdout)
    assert [v.outcome for v in _verdicts(world_dir)] == ["breach"]  # ours unchanged
    assert listed[0]["evidence"][0]["source"] == "requests"


def _verdicts(folder: Path) -> list[Any]:
    world = open_world(folder)
    try:
        return list(world.services.verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items)
    finally:
        world.services.close()


def test_bad_data_and_another_partner_are_refused_by_name(world_dir: Path, tmp_path: Path) -> None:
    verdict = _breached(world_dir)
    runner.invoke(
        app, ["dispute", "raise", "acme-bravo", "--verdict", str(verdict), "--claim", "x"]
    )
    short = tmp_path / "short.csv"
    short.write_text("ts,request_id\n2026-10-02T00:00:00Z,r1\n")
    refused = runner.invoke(
        app,
        ["dispute", "evidence", "acme-bravo", "1", "--file", str(short), "--data-for", "requests"],
    )
    assert refused.exit_code == 1
    assert "data for source 'requests' (short.csv)" in refused.stderr
    assert "http_status" in refused.stderr
    assert "Traceback" not in refused.output
    missing = runner.invoke(
        app, ["dispute", "evidence", "acme-bravo", "1", "--file", str(tmp_path / "none.csv")]
    )
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    charlie = runner.invoke(
        app, ["dispute", "compare", "acme-bravo", "1", "--as", "partner@charlie.example"]
    )
    assert charlie.exit_code == 1
    assert "acme-bravo" in charlie.stderr
