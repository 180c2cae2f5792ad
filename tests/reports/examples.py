"""Agreements the report tests render: the shipped examples, and a minimal agreement."""

from __future__ import annotations

from pathlib import Path

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.services.agreements import AgreementFiles

EXAMPLES = sorted(Path(__file__).parents[2].joinpath("examples").glob("*.yaml"))

MINIMAL = """\
apiVersion: accord/v1
kind: Agreement
metadata: {id: minimal, title: Minimal agreement, version: "1"}
timezone: Europe/Berlin
parties:
  - {id: shop, name: Shop GmbH, role: consumer}
  - {id: vendor, name: Vendor Ltd, role: provider}
term:
  effective: 2026-01-01
  end: 2026-12-31
  renewal: {mode: manual, notice: 30 days}
  termination_notice: 3 months
"""


def load(path: Path) -> Agreement:
    agreement = AgreementFiles().load_valid(path).agreement
    assert agreement is not None
    return agreement


def example(name: str) -> Agreement:
    return load(next(path for path in EXAMPLES if path.stem == name))


def parse(text: str) -> Agreement:
    loaded = load_agreement(text, "test.yaml")
    assert loaded.ok, loaded.problems
    assert loaded.agreement is not None
    return loaded.agreement


def section(markdown: str, heading: str) -> str:
    """The text of one '## ' section of a Markdown document."""
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start : end if end != -1 else None]
