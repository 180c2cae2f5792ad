"""Parameter types shared by the routes: numbers bounded to what the database stores."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import Path

__all__ = ["MAX_ID", "IdPath"]

#: Ids and version numbers are 32-bit integers in every supported database.
MAX_ID: Final = 2**31 - 1

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
