"""Sending measurements from the browser: a CSV, Parquet or JSON-lines file uploaded to one
of the agreement's pushed sources goes through the same checks as a batch pushed to the API,
and the page shows the same receipt: received, accepted, duplicates, rejected, and why each
rejected event was set aside (reason, count, samples)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal, checked_form
from accord.server.web.rendering import page
from accord.services.errors import Invalid
from accord.services.ingestion import BatchReceipt, PushBatch

__all__ = ["router"]

router = APIRouter()
_SUFFIXES: Final = (".csv", ".parquet", ".jsonl")
_UNSAFE: Final = re.compile(r"[^A-Za-z0-9._-]+")


def _batch_id(given: str, upload: UploadFile) -> str:
    """The batch id typed in, or one made from the file's name."""
    if given.strip():
        return given.strip()
    stem = Path(upload.filename or "upload").stem
    return _UNSAFE.sub("-", stem).strip(".-")[:100] or "upload"


def _upload(form_value: object) -> UploadFile:
    if not isinstance(form_value, UploadFile) or not form_value.filename:
        raise Invalid("choose a file to send (CSV, Parquet or JSON lines)")
    suffix = Path(form_value.filename).suffix.lower()
    if suffix not in _SUFFIXES:
        raise Invalid(
            f"{form_value.filename!r} is not a CSV, Parquet or JSON-lines file "
            f"(name it {', '.join(_SUFFIXES)})"
        )
    return form_value


async def _push(
    slug: str, form: FormData, principal: PagePrincipal, services: ServicesDep
) -> BatchReceipt:
    upload = _upload(form.get("file"))
    suffix = Path(upload.filename or "").suffix.lower()
    handle, name = tempfile.mkstemp(dir=services.ingestion.spool_dir, prefix=".upload-")
    spooled = Path(name).with_suffix(suffix)
    try:
        with open(handle, "wb") as out:
            shutil.copyfileobj(upload.file, out)
        Path(name).rename(spooled)
        command = PushBatch(
            agreement=slug,
            source=str(form.get("source", "")),
            batch_id=_batch_id(str(form.get("batch_id", "")), upload),
            events=spooled,
            size_bytes=spooled.stat().st_size,
        )
        return await run_in_threadpool(services.ingestion.push, principal, command)
    finally:
        Path(name).unlink(missing_ok=True)
        spooled.unlink(missing_ok=True)


@router.post("/agreements/{slug}/batches", include_in_schema=False)
async def send_batch(
    slug: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    try:
        receipt = await _push(slug, form, principal, services)
    finally:
        await form.close()
    return page(request, "batch.html", principal, slug=slug, receipt=receipt)
