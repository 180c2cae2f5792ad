"""accord review pack: the review pack of a stored agreement written as PDF or HTML."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.portfolio import UploadVersion
from tests.cli.conftest import open_world
from tests.services.world import CONSOLE, agreement_document

runner = CliRunner()


def test_the_pack_is_written_as_pdf_and_html(world_dir: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "review.pdf"
    result = runner.invoke(app, ["review", "pack", "acme-bravo", "2026-Q4", "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    html = tmp_path / "review.html"
    result = runner.invoke(
        app, ["review", "pack", "acme-bravo", "2026-10", "--format", "html", "-o", str(html)]
    )
    assert result.exit_code == 0, result.output
    assert "Governance review 2026-10" in html.read_text()


def test_a_bad_period_is_named(world_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["review", "pack", "acme-bravo", "2026-W44", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "period '2026-W44'" in result.stderr


def test_ratings_and_decisions_from_the_console(world_dir: Path) -> None:
    decided = runner.invoke(
        app,
        ["review", "decide", "acme-bravo", "2026-Q4", "Meet monthly", "--owner", "bravo",
         "--due", "2027-01-31"],
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    assert "1 decisions recorded for the 2026-Q4 review of acme-bravo" in decided.stdout
    unknown = runner.invoke(app, ["review", "rate", "acme-bravo", "2026-Q4", "speed", "3"])
    assert unknown.exit_code == 1
    assert "commitment: no 'speed' in the agreement; its commitments are none" in unknown.stderr


def test_the_reviews_of_the_cadence_are_listed_and_minutes_say_one_was_held(
    world_dir: Path,
) -> None:
    world = open_world(world_dir)
    document = agreement_document("bravo", version="2")
    document["governance"] = {
        "review_cadence": "quarterly",
        "participants": ["acme", "bravo"],
        "data_sharing": "Monthly exports.",
    }
    try:
        world.services.portfolio.upload(CONSOLE, UploadVersion(text=json.dumps(document)))
    finally:
        world.services.close()

    listed = runner.invoke(app, ["review", "schedule", "acme-bravo"])
    assert listed.exit_code == 0, listed.output
    assert "2026-Q4" in listed.stdout
    assert "2027-01-31 23:00" in listed.stdout
    held = runner.invoke(app, ["review", "minutes", "acme-bravo", "2026-Q4", "Went through it."])
    assert held.exit_code == 0, held.output
    assert "minutes recorded for the 2026-Q4 review of acme-bravo: the review is" in held.stdout
    none = runner.invoke(app, ["review", "schedule", "acme-charlie"])
    assert "no governance reviews scheduled for acme-charlie" in none.stdout
