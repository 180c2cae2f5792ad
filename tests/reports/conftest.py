"""The payments-api example and its Markdown rendering, shared by the report tests."""

from __future__ import annotations

import pytest

from accord.core.model import Agreement
from accord.reports.agreement import render_markdown
from tests.reports.examples import example


@pytest.fixture(scope="session")
def payments() -> Agreement:
    return example("payments-api")


@pytest.fixture(scope="session")
def payments_md(payments: Agreement) -> str:
    return render_markdown(payments)
