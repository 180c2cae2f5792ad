"""The one problem a section of the language finds in what is written: where, what, and how
to fix it, as the loader reports it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

Found = tuple[tuple[str | int, ...], str, str]


def refusal(model: type[BaseModel], data: dict[str, Any]) -> Found:
    """The path (the field's, then the validator's pointer into it), message and hint of the
    one problem ``model`` finds in ``data``."""
    with pytest.raises(ValidationError) as error:
        model.model_validate(data)
    (found,) = error.value.errors()
    context = found.get("ctx") or {}
    return (*found["loc"], *context.get("at", ())), found["msg"], str(context.get("hint", ""))
