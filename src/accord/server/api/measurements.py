"""Pushed measurements: ``PUT`` a batch by its id (idempotent) to an agreement's source.

The body is JSON (``{"events": [...]}``) or JSON lines (``application/x-ndjson``, one event
per line), each event keyed by the source's column names. It is read up to the configured
byte limit; JSON lines are streamed to a spool file rather than held in memory.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request, Response, status
from starlette.concurrency import run_in_threadpool

from accord.server.guard import NDJSON, json_depth, lone_surrogate
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.errors import Invalid, TooLarge
from accord.services.ingestion import BatchReceipt, PushBatch
from accord.services.uow import Limits

__all__ = ["router"]

router = APIRouter(prefix="/agreements/{slug}/sources/{source}/batches", tags=["measurements"])
_BODY: Final[dict[str, Any]] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {
                        "events": {"type": "array", "items": {"type": "object"}},
                    },
                }
            },
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


async def _limited(chunks: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > limit:
            raise TooLarge(f"the request is larger than {limit:,} bytes")
        yield chunk


async def _json_events(request: Request, limits: Limits) -> tuple[list[dict[str, object]], int]:
    body = b"".join([chunk async for chunk in _limited(request.stream(), limits.max_batch_bytes)])
    if json_depth(body, limits.max_json_depth) > limits.max_json_depth:
        raise Invalid(f"the body nests deeper than {limits.max_json_depth} levels")
    if lone_surrogate(body):
        raise Invalid(
            "the body escapes half a surrogate pair (e.g. \\ud800); send whole characters"
        )
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"the body is not JSON: {exc}") from None
    events = document.get("events") if isinstance(document, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise Invalid('send {"events": [{...}, ...]}: a list of objects keyed by column names')
    return events, len(body)


async def _spool(request: Request, folder: Path, limit: int) -> tuple[Path, int]:
    handle, name = tempfile.mkstemp(dir=folder, prefix=".push-", suffix=".jsonl")
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            async for chunk in _limited(request.stream(), limit):
                out.write(chunk)
                size += len(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name), size


@dataclass
class BatchAddress:
    """Where a batch goes: agreement, source and the batch's own id."""

    slug: str
    source: str
    batch_id: str


@router.put(
    "/{batch_id}",
    status_code=status.HTTP_201_CREATED,
    summary="Push a batch of events (a retried batch id changes nothing)",
    responses={200: {"description": "This batch id was received before: nothing changed"}},
    openapi_extra=_BODY,
)
async def push_batch(
    address: Annotated[BatchAddress, Depends()],
    request: Request,
    response: Response,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> BatchReceipt:
    limit = services.limits.max_batch_bytes
    media = request.headers.get("content-type", "application/json").split(";")[0].strip()
    spooled: Path | None = None
    if media in NDJSON:
        spooled, size = await _spool(request, services.ingestion.spool_dir, limit)
        events: list[dict[str, object]] | Path = spooled
    elif media in ("application/json", ""):
        events, size = await _json_events(request, services.limits)
    else:
        raise Invalid(f"send application/json or application/x-ndjson, not {media}")
    command = PushBatch(
        agreement=address.slug,
        source=address.source,
        batch_id=address.batch_id,
        events=events,
        size_bytes=size,
    )
    try:
        receipt = await run_in_threadpool(services.ingestion.push, principal, command)
    finally:
        if spooled is not None:
            spooled.unlink(missing_ok=True)
    if receipt.status != "accepted":
        response.status_code = status.HTTP_200_OK
    return receipt


@router.get("", summary="Batches received for a source")
def list_batches(
    slug: str, source: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[BatchReceipt]:
    return services.ingestion.batches(principal, slug, source)
