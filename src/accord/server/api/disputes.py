"""Disputes: a party challenges a verdict or a credit with evidence (its own data among it,
compared side by side with ours at ``…/comparison``); the ladder runs; the outcome is
recorded and a credit's ledger follows it. Both parties see the exchange.

Evidence files ride in the JSON bodies as base64 while they are small (a JSON body is held to
64 KiB); larger ones go as ``multipart/form-data`` to ``…/disputes/{id}/evidence``, whose
body has its own limit (``Limits.max_evidence_bytes``) and is counted as it streams."""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal
from typing import Annotated, Final

from fastapi import APIRouter, Depends, File, Form, UploadFile, status
from pydantic import BaseModel, Field

from accord.core.disputes import DisputeOutcome
from accord.server.api.params import IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.dispute_data import DisputeComparison
from accord.services.disputes import (
    DecideDispute,
    DisputeView,
    EvidenceData,
    EvidenceFile,
    RaiseDispute,
    Submission,
)
from accord.services.errors import Invalid

__all__ = ["router"]

router = APIRouter(tags=["disputes"])

_MAX_FILES: Final = 10


class FileIn(BaseModel):
    name: str = Field(max_length=255, description="The file's name.")
    content_base64: str = Field(description="The file's bytes, base64 (small files only).")


class DataIn(FileIn):
    source: str = Field(
        max_length=64, description="The agreement's source the party's own rows stand for."
    )


def _decoded(item: FileIn) -> EvidenceFile:
    try:
        content = base64.b64decode(item.content_base64, validate=True)
    except binascii.Error:
        raise Invalid(f"file {item.name!r}: content_base64 is not base64") from None
    return EvidenceFile(item.name, content)


class SubmissionIn(BaseModel):
    text: str = Field(max_length=4000, description="What the party says.")
    files: list[FileIn] = Field(default_factory=list, max_length=_MAX_FILES)
    links: list[str] = Field(default_factory=list, max_length=20)
    incidents: list[int] = Field(default_factory=list, max_length=20)
    data: list[DataIn] = Field(
        default_factory=list,
        max_length=_MAX_FILES,
        description="The party's own measurements (CSV, JSON lines or Parquet) for a source, "
        "judged beside ours in the dispute's comparison.",
    )

    def submission(self) -> Submission:
        return Submission(
            text=self.text,
            files=tuple(_decoded(item) for item in self.files),
            links=tuple(self.links),
            incidents=tuple(self.incidents),
            data=tuple(EvidenceData(item.source, _decoded(item)) for item in self.data),
        )


class DisputeIn(SubmissionIn):
    verdict: int | None = Field(default=None, ge=1, description="The verdict disputed.")
    scheme: str | None = Field(default=None, description="The credit's scheme.")
    window: str | None = Field(default=None, description="The credit's window, e.g. 2026-10.")
    amount: Decimal | None = Field(default=None, description="The credit the party holds owed.")


class EscalationIn(BaseModel):
    reason: str = Field(max_length=4000)


class DecisionIn(BaseModel):
    outcome: DisputeOutcome
    reason: str = Field(max_length=4000)
    amount: Decimal | None = Field(default=None, description="For adjusted: what is owed.")


@router.get("/disputes", summary="The disputes of every agreement the caller sees")
def all_disputes(principal: CurrentPrincipal, services: ServicesDep) -> list[DisputeView]:
    return services.disputes.list(principal)


@router.get("/agreements/{slug}/disputes", summary="The agreement's disputes")
def disputes(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> list[DisputeView]:
    return services.disputes.list(principal, slug)


@router.post(
    "/agreements/{slug}/disputes",
    status_code=status.HTTP_201_CREATED,
    summary="Dispute a verdict or a credit (as the caller's party)",
)
def raise_dispute(
    slug: str, body: DisputeIn, principal: CurrentPrincipal, services: ServicesDep
) -> DisputeView:
    command = RaiseDispute(
        agreement=slug,
        submission=body.submission(),
        verdict=body.verdict,
        scheme=body.scheme,
        window=body.window,
        amount=body.amount,
    )
    return services.disputes.raise_(principal, command)


@router.get("/agreements/{slug}/disputes/{dispute_id}", summary="A dispute and its exchange")
def dispute(
    slug: str, dispute_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> DisputeView:
    return services.disputes.show(principal, slug, dispute_id)


@router.get(
    "/agreements/{slug}/disputes/{dispute_id}/comparison",
    summary="The disputed window judged with our data and with each party's data evidence",
    description="Computed on request, never recorded: no run, verdict or ledger entry.",
)
def comparison(
    slug: str, dispute_id: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> DisputeComparison:
    return services.disputes.compare(principal, slug, dispute_id)


@router.post(
    "/agreements/{slug}/disputes/{dispute_id}/responses",
    status_code=status.HTTP_201_CREATED,
    summary="Answer, or add evidence (as the caller's party)",
)
def respond(
    slug: str,
    dispute_id: IdPath,
    body: SubmissionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> DisputeView:
    return services.disputes.respond(principal, slug, dispute_id, body.submission())


@router.post(
    "/agreements/{slug}/disputes/{dispute_id}/escalation",
    summary="Take the dispute to its next step",
)
def escalate(
    slug: str,
    dispute_id: IdPath,
    body: EscalationIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> DisputeView:
    return services.disputes.escalate(principal, slug, dispute_id, body.reason)


@router.post(
    "/agreements/{slug}/disputes/{dispute_id}/decision",
    summary="Record the outcome reached at the current step (company)",
)
def decide(
    slug: str,
    dispute_id: IdPath,
    body: DecisionIn,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> DisputeView:
    command = DecideDispute(
        agreement=slug,
        dispute=dispute_id,
        outcome=body.outcome,
        reason=body.reason,
        amount=body.amount,
    )
    return services.disputes.decide(principal, command)


def _uploaded(
    text: Annotated[str, Form(max_length=4000, description="What the party says.")],
    files: Annotated[list[UploadFile], File(description="The files (each kept by SHA-256).")],
    links: Annotated[list[str] | None, Form(description="http(s) addresses.")] = None,
    data_for: Annotated[
        str | None,
        Form(
            max_length=64,
            description="The files are the party's own measurements for this source (CSV, "
            "JSON lines or Parquet), judged beside ours in the dispute's comparison.",
        ),
    ] = None,
) -> Submission:
    """The multipart form as a submission (its files read from their spooled copies)."""
    if len(files) > _MAX_FILES:
        raise Invalid(f"files: at most {_MAX_FILES} in one upload")
    evidence = tuple(EvidenceFile(item.filename or "evidence", item.file.read()) for item in files)
    if data_for is not None:
        data = tuple(EvidenceData(data_for, item) for item in evidence)
        return Submission(text=text, data=data, links=tuple(links or ()))
    return Submission(text=text, files=evidence, links=tuple(links or ()))


@router.post(
    "/agreements/{slug}/disputes/{dispute_id}/evidence",
    status_code=status.HTTP_201_CREATED,
    summary="Answer with evidence files as multipart/form-data (as the caller's party)",
)
def upload_evidence(
    slug: str,
    dispute_id: IdPath,
    submission: Annotated[Submission, Depends(_uploaded)],
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> DisputeView:
    return services.disputes.respond(principal, slug, dispute_id, submission)
