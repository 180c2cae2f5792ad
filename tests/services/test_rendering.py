"""The rendering port: the services render only through the ``Rendering`` they are given. With
another renderer swapped in (plain text, no templates), a recorded verdict keeps the
explanation that renderer wrote for its record, the agreement document is its bytes for the
format asked, and an evidence bundle's README is its text, written from facts that describe
exactly the verdicts, scope, window and sources bundled."""

from __future__ import annotations

import dataclasses
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from accord.bootstrap import file_evaluations
from accord.connectors.archives import ZipArchive
from accord.core.amendments import SignOff
from accord.core.model import Agreement
from accord.core.period_report import PeriodReport
from accord.core.records import VerdictRecord
from accord.services.container import Services
from accord.services.evaluation import EvaluateCommand
from accord.services.evidence import EvidenceBundles, ExportCommand, Selection
from accord.services.rendering import DocumentFormat, ReadmeFacts, RenderedReport, Rendering
from accord.services.verdicts import VerdictQuery
from tests.services.months import two_months
from tests.services.test_evidence import NOW, write_ratio_files
from tests.services.world import CONSOLE, World


class PlainRendering:
    """Renders everything as one line of plain text, and keeps what it was asked."""

    def __init__(self) -> None:
        self.readmes: list[ReadmeFacts] = []

    def explain(self, agreement: Agreement, record: VerdictRecord) -> str:
        window, outcome = record.window.label, record.outcome.value
        return f"{agreement.metadata.id} {record.objective} {window}: {outcome}"

    def evidence_readme(self, facts: ReadmeFacts) -> str:
        self.readmes.append(facts)
        return f"plain README of {len(facts.verdicts)} verdicts\n"

    def agreement_document(
        self, agreement: Agreement, output: DocumentFormat, signoff: Sequence[SignOff] = ()
    ) -> bytes:
        return f"{output}: {agreement.metadata.title} ({len(signoff)} sign-offs)".encode()

    def period_report(self, report: PeriodReport) -> RenderedReport:
        return RenderedReport({"report.json": report.scope.encode()}, [report.period])


@pytest.fixture
def plain(services: Services) -> tuple[Services, PlainRendering]:
    rendering = PlainRendering()
    swapped: Rendering = rendering
    return Services.create(dataclasses.replace(services.context, rendering=swapped)), rendering


@pytest.fixture
def plain_world(world: World, plain: tuple[Services, PlainRendering]) -> World:
    return two_months(dataclasses.replace(world, services=plain[0]))


def test_a_recorded_verdict_keeps_the_explanation_the_port_wrote_for_its_record(
    plain_world: World,
) -> None:
    verdicts = plain_world.services.verdicts
    [_september, october] = verdicts.verdicts(CONSOLE, "acme-bravo", VerdictQuery()).items

    detail = verdicts.verdict(CONSOLE, "acme-bravo", october.id)

    assert detail.explanation == "acme-bravo availability 2026-10: breach"


def test_the_agreement_document_is_the_port_s_bytes_for_the_format_asked(
    plain: tuple[Services, PlainRendering], world: World
) -> None:
    services, _ = plain
    document = services.portfolio.document(CONSOLE, "acme-bravo", None, "markdown")

    assert document.content == b"markdown: Acme and bravo (0 sign-offs)"
    assert document.filename == "acme-bravo-v1.md"


def test_an_evidence_readme_is_the_port_s_text_from_facts_of_what_is_bundled(
    tmp_path: Path,
) -> None:
    rendering = PlainRendering()
    bundles = EvidenceBundles(rendering, ZipArchive(), file_evaluations())
    agreement, data = write_ratio_files(tmp_path)
    bundle = tmp_path / "us.zip"

    bundles.export(
        ExportCommand(
            evaluation=EvaluateCommand(
                agreement=agreement, data_dir=data, period="2026-10", now=NOW
            ),
            selection=Selection(objective="availability", scope={"region": "us"}, window="2026-10"),
            output=bundle,
        )
    )

    with zipfile.ZipFile(bundle) as archive:
        assert archive.read("README.txt") == b"plain README of 1 verdicts\n"
        recorded = json.loads(archive.read("verdict.json"))["verdicts"]
    [facts] = rendering.readmes
    assert [(v.objective, v.scope, v.window.label) for v in facts.verdicts] == [
        ("availability", {"region": "us"}, "2026-10")
    ]
    assert [(v["objective"], v["scope"]) for v in recorded] == [("availability", {"region": "us"})]
    assert (facts.scope, facts.window, facts.bundle_name) == ({"region": "us"}, "2026-10", "us.zip")
    assert {s.source for s in facts.sources} == {"requests", "maintenance"}
    requests = next(s for s in facts.sources if s.source == "requests")
    assert requests.rows > 0
    assert requests.roles
    assert list(facts.inputs) == []
