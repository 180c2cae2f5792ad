"""The agreement every diff test edits: the payments example."""

from __future__ import annotations

import pytest

from accord.core.model import Agreement
from tests.core.diff.edits import example


@pytest.fixture(scope="module")
def agreement() -> Agreement:
    return example()
