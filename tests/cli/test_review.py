"""accord review pack: the review pack of a stored agreement written as PDF or HTML."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli.main import app

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
