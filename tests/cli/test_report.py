"""accord report: the period's report for a partner, every partner or the portfolio, rendered
from the stored verdicts, kept under the data directory with its manifest and hash (and copied
with --out); a bad period or an unknown partner is refused by name, and nothing is kept."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.services.ingestion import PushBatch
from accord.services.ports import FixedClock
from accord.services.verdicts import RunEvaluation
from accord.settings import sqlite_url
from tests.services.world import CONSOLE, NOW, events, make_services, populate

runner = CliRunner()
FILES = {"report.html", "report.pdf", "report.json", "verdicts.csv", "credits.csv"}


@pytest.fixture(scope="module")
def october(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The services world with October judged for acme-bravo (2 % of requests failing);
    charlie has no verdicts. Built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("october") / "data"
    services = make_services(folder, sqlite_url(folder), FixedClock(NOW))
    try:
        populate(services, FixedClock(NOW))
        services.ingestion.push(
            CONSOLE,
            PushBatch(
                agreement="acme-bravo",
                source="requests",
                batch_id="october",
                events=events(500, failing_every=50),
            ),
        )
        services.verdicts.evaluate(CONSOLE, RunEvaluation(agreement="acme-bravo", period="2026-10"))
    finally:
        services.close()
    return folder


@pytest.fixture
def judged(october: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the October world that the CLI's settings point at."""
    folder = tmp_path / "data"
    shutil.copytree(october, folder)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(folder))
    monkeypatch.delenv("ACCORD_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACCORD_CONFIG", raising=False)
    return folder


def _kept(folder: Path) -> dict[str, set[str]]:
    """The files kept per scope/period under the data directory's reports."""
    reports = folder / "reports"
    return {
        f"{path.parent.name}/{path.name}": {p.name for p in path.iterdir()}
        for path in sorted(reports.glob("*/*"))
    }


def test_a_partner_s_report_is_kept_with_its_manifest_and_hash(judged: Path) -> None:
    result = runner.invoke(app, ["report", "2026-10", "--partner", "bravo"])
    assert result.exit_code == 0, result.output
    assert _kept(judged) == {"bravo/2026-10": FILES | {"manifest.json"}}
    folder = judged / "reports" / "bravo" / "2026-10"
    manifest = json.loads((folder / "manifest.json").read_text())
    digest = hashlib.sha256((folder / "report.json").read_bytes()).hexdigest()
    assert manifest["report_hash"] == digest
    assert manifest["files"] == {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES
    }
    assert f"bravo 2026-10: sha256 {digest}" in " ".join(result.stdout.split())
    report = json.loads((folder / "report.json").read_text())
    assert (report["scope"], report["period"]) == ("bravo", "2026-10")
    assert "acme-bravo" in (folder / "verdicts.csv").read_text()
    assert "acme-charlie" not in (folder / "verdicts.csv").read_text()


def test_without_a_partner_the_portfolio_report_is_kept(judged: Path) -> None:
    result = runner.invoke(app, ["report", "2026-10"])
    assert result.exit_code == 0, result.output
    assert list(_kept(judged)) == ["portfolio/2026-10"]


def test_all_keeps_every_partner_s_report_and_the_portfolio_s(judged: Path, tmp_path: Path) -> None:
    out = tmp_path / "copies"
    result = runner.invoke(app, ["report", "2026-10", "--all", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert list(_kept(judged)) == ["bravo/2026-10", "charlie/2026-10", "portfolio/2026-10"]
    for scope in ("bravo", "charlie", "portfolio"):
        kept = judged / "reports" / scope / "2026-10"
        copied = out / scope / "2026-10"
        assert {p.name for p in copied.iterdir()} == FILES, scope
        for name in FILES:
            assert (copied / name).read_bytes() == (kept / name).read_bytes(), (scope, name)
    charlie = (judged / "reports" / "charlie" / "2026-10" / "verdicts.csv").read_text()
    assert "acme-bravo" not in charlie


def test_the_same_verdicts_give_the_same_report_hash(judged: Path) -> None:
    first = runner.invoke(app, ["report", "2026-10", "--partner", "bravo"])
    second = runner.invoke(app, ["report", "2026-10", "--partner", "bravo"])
    assert first.exit_code == second.exit_code == 0
    assert first.stdout.split("sha256")[1].split()[0] == second.stdout.split("sha256")[1].split()[0]


def test_a_quarter_reports_its_months_verdicts(judged: Path) -> None:
    result = runner.invoke(app, ["report", "2026-Q4", "--partner", "bravo"])
    assert result.exit_code == 0, result.output
    verdicts = (judged / "reports" / "bravo" / "2026-Q4" / "verdicts.csv").read_text()
    assert "2026-10" in verdicts


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-13", "period '2026-13': there is no month 13"),
        ("2026-00", "there is no month 0"),
        ("October", "reports are monthly (2026-10) or quarterly (2026-Q4)"),
        ("2026-Q5", "reports are monthly (2026-10) or quarterly (2026-Q4)"),
    ],
)
def test_a_bad_period_is_refused_by_name_and_nothing_is_kept(
    judged: Path, period: str, message: str
) -> None:
    result = runner.invoke(app, ["report", period, "--all"])
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert _kept(judged) == {}


def test_an_unknown_partner_is_refused_by_name(judged: Path) -> None:
    result = runner.invoke(app, ["report", "2026-10", "--partner", "delta"])
    assert result.exit_code == 1
    assert "no organisation 'delta'" in result.stderr
    assert _kept(judged) == {}


def test_an_unknown_partner_among_several_keeps_none_of_their_reports(judged: Path) -> None:
    result = runner.invoke(app, ["report", "2026-10", "--partner", "bravo", "--partner", "delta"])
    assert result.exit_code == 1
    assert "no organisation 'delta'" in result.stderr
    assert _kept(judged) == {}
