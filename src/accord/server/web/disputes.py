"""Disputes of an agreement: the list with the form that raises one on a verdict or a credit,
and each dispute's page with the claim, the evidence (files by their SHA-256, links, incident
references), the frozen ladder with the current step's due instant, the exchange and the
outcome; a party answers with more evidence there (a file, or its own data for a source,
shown judged beside ours in a small comparison table) or takes the dispute to the ladder's
next step before the current one lapses, and the company's agreement manager records the
outcome.
The forms appear for roles that allow them; the service decides who may act and whether it is
in time. Another partner's dispute is the same 404 as one that does not exist."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

from fastapi import APIRouter, Request, status
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from accord.core.disputes import DisputeOutcome
from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal, checked_form
from accord.server.web.rendering import page
from accord.services.dispute_data import DisputeComparison
from accord.services.disputes import (
    DecideDispute,
    DisputeView,
    EvidenceData,
    EvidenceFile,
    RaiseDispute,
    Submission,
)
from accord.services.errors import Invalid, NotFound
from accord.services.ledger import LedgerQuery
from accord.services.permissions import Permission
from accord.services.verdicts import VerdictQuery

__all__ = ["router"]

router = APIRouter()
#: Verdicts offered to dispute: the judgements that cost something.
_DISPUTABLE: Final = ("breach", "deviation")
_OFFERED: Final = 24
_MAX_LINKS: Final = 20


def _dispute_id(slug: str, dispute_id: int) -> int:
    if not 1 <= dispute_id <= 2**31:
        raise NotFound(f"agreement {slug!r} has no dispute {dispute_id}")
    return dispute_id


def _back(slug: str, dispute_id: int) -> Response:
    return RedirectResponse(
        f"/agreements/{slug}/disputes/{dispute_id}", status_code=status.HTTP_303_SEE_OTHER
    )


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, ""))[:4000]


def _amount(form: FormData) -> Decimal | None:
    text = _text(form, "amount").strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise Invalid(f"amount: {text!r} is not a number") from None


async def _submission(form: FormData, text_field: str) -> Submission:
    """What the form says and shows; its uploaded file is read and closed (the text fields
    stay readable)."""
    try:
        links = tuple(line.strip() for line in _text(form, "links").splitlines() if line.strip())
        if len(links) > _MAX_LINKS:
            raise Invalid(f"links: at most {_MAX_LINKS}, one a line")
        upload = form.get("file")
        files: tuple[EvidenceFile, ...] = ()
        if isinstance(upload, UploadFile) and upload.filename:
            files = (EvidenceFile(upload.filename, await upload.read()),)
    finally:
        await form.close()
    data_for = _text(form, "data_for").strip()
    if data_for and files:
        data = tuple(EvidenceData(data_for, file) for file in files)
        return Submission(text=_text(form, text_field), data=data, links=links)
    return Submission(text=_text(form, text_field), files=files, links=links)


def _comparison(
    services: ServicesDep, principal: PagePrincipal, shown: DisputeView
) -> tuple[DisputeComparison | None, str | None]:
    """The side-by-side judgement when the dispute holds data evidence, or why it cannot be
    computed now."""
    if not any(e.kind == "data" and e.purged_at is None for e in shown.evidence):
        return None, None
    try:
        return services.disputes.compare(principal, shown.agreement, shown.id), None
    except Invalid as exc:
        return None, exc.message


@router.get("/agreements/{slug}/disputes", include_in_schema=False)
def disputes(
    slug: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    agreement = services.portfolio.agreement(principal, slug)
    found = services.disputes.list(principal, slug)
    may_raise = principal.can(Permission.GOVERN)
    verdicts = [
        v
        for outcome in _DISPUTABLE
        for v in services.verdicts.verdicts(
            principal, slug, VerdictQuery(outcome=outcome, limit=_OFFERED)
        ).items
    ]
    credits = services.ledger.report(principal, LedgerQuery(agreement=slug)).lines
    return page(
        request,
        "disputes.html",
        principal,
        agreement=agreement,
        disputes=sorted(found, key=lambda d: d.raised_at, reverse=True),
        may_raise=may_raise,
        verdicts=sorted(verdicts, key=lambda v: (v.window, v.objective), reverse=True),
        credits=credits,
    )


@router.post("/agreements/{slug}/disputes", include_in_schema=False)
async def raise_dispute(
    slug: str, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    kind, _, rest = _text(form, "subject").partition(":")
    submission = await _submission(form, "claim")
    if kind == "verdict" and rest.isdigit():
        command = RaiseDispute(agreement=slug, submission=submission, verdict=int(rest))
    elif kind == "credit" and ":" in rest:
        window, _, scheme = rest.partition(":")
        command = RaiseDispute(
            agreement=slug,
            submission=submission,
            scheme=scheme,
            window=window,
            amount=_amount(form),
        )
    else:
        raise Invalid("subject: choose the verdict or the credit you dispute")
    raised = services.disputes.raise_(principal, command)
    return _back(slug, raised.id)


@router.get("/agreements/{slug}/disputes/{dispute_id}", include_in_schema=False)
def dispute(
    slug: str, dispute_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    shown = services.disputes.show(principal, slug, _dispute_id(slug, dispute_id))
    is_open = shown.state == "open"
    comparison, not_compared = _comparison(services, principal, shown)
    return page(
        request,
        "dispute.html",
        principal,
        dispute=shown,
        comparison=comparison,
        not_compared=not_compared,
        may_respond=is_open and principal.can(Permission.GOVERN),
        may_escalate=is_open
        and principal.can(Permission.GOVERN)
        and shown.step < len(shown.ladder),
        may_decide=is_open and principal.can(Permission.MANAGE_AGREEMENTS),
        outcomes=[o.value for o in DisputeOutcome],
    )


@router.post("/agreements/{slug}/disputes/{dispute_id}/responses", include_in_schema=False)
async def respond(
    slug: str, dispute_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    submission = await _submission(form, "text")
    services.disputes.respond(principal, slug, _dispute_id(slug, dispute_id), submission)
    return _back(slug, dispute_id)


@router.post("/agreements/{slug}/disputes/{dispute_id}/escalation", include_in_schema=False)
async def escalate(
    slug: str, dispute_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    services.disputes.escalate(
        principal, slug, _dispute_id(slug, dispute_id), _text(form, "reason")
    )
    return _back(slug, dispute_id)


@router.post("/agreements/{slug}/disputes/{dispute_id}/decision", include_in_schema=False)
async def decide(
    slug: str, dispute_id: int, request: Request, principal: PagePrincipal, services: ServicesDep
) -> Response:
    form = await checked_form(request)
    try:
        outcome = DisputeOutcome(_text(form, "outcome"))
    except ValueError:
        raise Invalid("outcome: choose upheld, rejected or adjusted") from None
    command = DecideDispute(
        agreement=slug,
        dispute=_dispute_id(slug, dispute_id),
        outcome=outcome,
        reason=_text(form, "reason"),
        amount=_amount(form),
    )
    services.disputes.decide(principal, command)
    return _back(slug, dispute_id)
