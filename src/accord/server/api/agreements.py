"""Agreements and their immutable versions: upload, list, read, diff and render."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from accord.server.api.params import MAX_ID, IdPath
from accord.server.security import CurrentPrincipal, ServicesDep
from accord.services.errors import Invalid
from accord.services.portfolio import AgreementView, UploadVersion, VersionText, VersionView

__all__ = ["router"]

router = APIRouter(prefix="/agreements", tags=["agreements"])


class VersionIn(BaseModel):
    text: str = Field(description="The agreement as YAML text.")
    parties: dict[str, str] = Field(
        default_factory=dict,
        description="Party id → organisation id, for parties not linked yet (parties named "
        "like an organisation link to it).",
    )
    effective_at: dt.datetime | None = Field(
        default=None,
        description="When the version takes effect, if the text does not say "
        "(metadata.effective). Default: now; the first version: from the start of its term.",
    )
    backdated: str | None = Field(
        default=None,
        max_length=500,
        description="Why the version takes effect before now: a backdated correction must say.",
    )


def _upload(
    services: ServicesDep, principal: CurrentPrincipal, body: VersionIn, response: Response
) -> VersionView:
    version = services.portfolio.upload(
        principal,
        UploadVersion(
            text=body.text,
            parties=body.parties,
            effective_at=body.effective_at,
            backdated=body.backdated,
        ),
    )
    response.status_code = status.HTTP_201_CREATED if version.created else status.HTTP_200_OK
    return version


@router.get("", summary="Agreements the caller sees")
def list_agreements(principal: CurrentPrincipal, services: ServicesDep) -> list[AgreementView]:
    return services.portfolio.agreements(principal)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Upload an agreement version (new agreement or next version)",
    responses={200: {"description": "Same meaning as the latest version: nothing added"}},
)
def upload(
    body: VersionIn, response: Response, principal: CurrentPrincipal, services: ServicesDep
) -> VersionView:
    return _upload(services, principal, body, response)


@router.get("/{slug}", summary="One agreement with its versions and parties")
def get_agreement(slug: str, principal: CurrentPrincipal, services: ServicesDep) -> AgreementView:
    return services.portfolio.agreement(principal, slug)


@router.get("/{slug}/versions", summary="The versions of an agreement")
def list_versions(
    slug: str, principal: CurrentPrincipal, services: ServicesDep
) -> list[VersionView]:
    return services.portfolio.agreement(principal, slug).versions


@router.post(
    "/{slug}/versions",
    status_code=status.HTTP_201_CREATED,
    summary="Upload the next version of an agreement",
    responses={200: {"description": "Same meaning as the latest version: nothing added"}},
)
def upload_version(
    slug: str,
    body: VersionIn,
    response: Response,
    principal: CurrentPrincipal,
    services: ServicesDep,
) -> VersionView:
    services.portfolio.agreement(principal, slug)
    version = _upload(services, principal, body, response)
    if version.agreement != slug:
        raise Invalid(f"the text is agreement {version.agreement!r}, not {slug!r}")
    return version


@router.get("/{slug}/in-force", summary="The version in force at an instant")
def version_in_force(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    at: Annotated[
        dt.datetime | None, Query(description="An instant with its offset. Default: now.")
    ] = None,
) -> VersionView:
    return services.portfolio.in_force(principal, slug, at)


@router.get("/{slug}/versions/{number}", summary="One version with its text")
def get_version(
    slug: str, number: IdPath, principal: CurrentPrincipal, services: ServicesDep
) -> VersionText:
    return services.portfolio.version(principal, slug, number)


@router.get("/{slug}/diff", summary="What changed between two versions (accord.diff/v1)")
def diff(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    old: Annotated[int, Query(alias="from", ge=1, le=MAX_ID, description="Older version.")],
    new: Annotated[int, Query(alias="to", ge=1, le=MAX_ID, description="Newer version.")],
) -> dict[str, Any]:
    return services.portfolio.diff(principal, slug, old, new)


@router.get(
    "/{slug}/document",
    summary="The agreement as the document people sign",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/html": {},
                "text/markdown": {},
                "application/pdf": {},
            }
        }
    },
)
def document(
    slug: str,
    principal: CurrentPrincipal,
    services: ServicesDep,
    output: Annotated[Literal["html", "markdown", "pdf"], Query(alias="format")] = "html",
    version: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Default: the latest.")
    ] = None,
) -> Response:
    rendered = services.portfolio.document(principal, slug, version, output)
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={"Content-Disposition": f'inline; filename="{rendered.filename}"'},
    )
