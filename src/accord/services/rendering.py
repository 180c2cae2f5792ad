"""The rendering port: records and agreements as people read them.

Declared by the services, implemented by ``accord.reports.rendering`` and wired by the
composition root, so that no service imports a renderer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from accord.core.amendments import SignOff
from accord.core.evaluation import Evaluation
from accord.core.model import Agreement
from accord.core.period_report import PeriodReport
from accord.core.records import VerdictRecord
from accord.core.verdicts import Verdict

__all__ = ["BundledRows", "DocumentFormat", "ReadmeFacts", "RenderedReport", "Rendering"]


class BundledRows(Protocol):
    """The rows of one source in an evidence bundle."""

    @property
    def source(self) -> str: ...
    @property
    def files(self) -> tuple[str, ...]: ...
    @property
    def rows(self) -> int: ...
    @property
    def roles(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class ReadmeFacts:
    """What an evidence bundle's README speaks of."""

    evaluation: Evaluation
    verdicts: Sequence[Verdict]
    scope: Mapping[str, str]
    window: str | None
    sources: Sequence[BundledRows]
    bundle_name: str
    #: Whether the bundle holds ``items.csv`` (the verdicts' drill-down).
    items: bool = False
    #: The bundled inputs' sources, one per pushed batch or fetched file (``inputs/``).
    inputs: Sequence[str] = ()


DocumentFormat = Literal["html", "markdown", "pdf"]


@dataclass(frozen=True)
class RenderedReport:
    """A period report's files (``report.html``, ``report.pdf``, ``report.json``, CSVs) and
    its executive summary as sentences."""

    files: Mapping[str, bytes]
    summary: Sequence[str]


class Rendering(Protocol):
    """Records and agreements as people read them; the services never import a renderer."""

    def explain(self, agreement: Agreement, record: VerdictRecord) -> str:
        """One verdict in plain language, with every number behind it."""
        ...

    def evidence_readme(self, facts: ReadmeFacts) -> str:
        """The README of an evidence bundle: what it holds and how to recompute it."""
        ...

    def agreement_document(
        self, agreement: Agreement, output: DocumentFormat, signoff: Sequence[SignOff] = ()
    ) -> bytes:
        """The agreement as the document people sign; ``signoff``: the approvals of the
        amendment that made this version, shown as a sign-off block."""
        ...

    def period_report(self, report: PeriodReport) -> RenderedReport:
        """A monthly or quarterly report in every format, as ``accord report`` writes it."""
        ...
