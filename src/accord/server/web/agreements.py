"""The agreement page (objectives charted month by month against target and tolerance, the
open window's budget burn-down, the verdict table, the rendered document, versions with the
semantic diff between any two, the credit ledger) and the verdict page (the explanation with
its numbers, the drill-down beside it (``drilldown``), counts, coverage, exclusions, version
hash and history)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from accord.bootstrap import evidence_bundles
from accord.core.records import RecordError, VerdictRecord
from accord.reports.charts import Band, Series, Wording, line_chart
from accord.server.security import ServicesDep
from accord.server.web.auth import PagePrincipal
from accord.server.web.drilldown import drill_view
from accord.server.web.rendering import DOCUMENT_CSP, page, percent
from accord.services.agreement_page import PageQuery
from accord.services.errors import NotFound
from accord.services.history import ObjectiveHistory

__all__ = ["router"]

router = APIRouter()
#: Incidents and upcoming duties listed on the page (the latest and the soonest).
_LISTED: Final = 15
_OUTCOMES: Final = ("met", "deviation", "breach", "no_data")


class AgreementFilter(BaseModel):
    window: str = Field(default="", max_length=32)
    outcome: str = Field(default="", max_length=16)
    old: int | None = Field(default=None, ge=1, le=1_000_000)
    new: int | None = Field(default=None, ge=1, le=1_000_000)


def _objective_chart(history: ObjectiveHistory) -> Markup:
    band = (
        None
        if history.target is None
        else Band(history.target, history.tolerance, history.higher_is_better)
    )
    series = Series([p.window for p in history.points], [p.value for p in history.points])
    title = (
        f"{history.objective} ({history.scope}) per window against the target "
        f"{history.target_display}"
        + (f" and the tolerance {history.tolerance_display}" if history.tolerance_display else "")
    )
    shown = [p.value_display for p in history.points]
    unit = "%" if history.unit == "ratio" else ""
    return Markup(line_chart(series, band, Wording(title, shown, unit)))  # escaped inside


def _burn_chart(history: ObjectiveHistory) -> Markup:
    points = history.burn_down
    labels = [p.recorded_at.strftime("%d %b %H:%M") for p in points]
    values = [float(p.left_ratio) * 100 for p in points]
    series = Series(labels, values)
    title = f"Error budget left for {history.objective} ({history.scope}), evaluation by evaluation"
    shown = [percent(p.left_ratio, 1) for p in points]
    wording = Wording(title, shown, "%", (0.0, 100.0))
    return Markup(line_chart(series, None, wording))  # escaped inside


@router.get("/agreements/{slug}", include_in_schema=False)
def agreement(
    slug: str,
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
    chosen: Annotated[AgreementFilter, Query()],
) -> Response:
    outcome = chosen.outcome if chosen.outcome in _OUTCOMES else None
    shown = services.agreement_pages.page(
        principal, slug, PageQuery(window=chosen.window or None, outcome=outcome)
    )
    view = shown.agreement
    numbers = [v.number for v in view.versions]
    diff = _diff(services, principal, slug, chosen, numbers)
    return page(
        request,
        "agreement.html",
        principal,
        agreement=view,
        charts=[
            (h, _objective_chart(h), _burn_chart(h) if len(h.burn_down) > 1 else None)
            for h in shown.histories
        ],
        windows=shown.windows,
        window=shown.window,
        outcome=outcome or "",
        outcomes=_OUTCOMES,
        verdicts=shown.verdicts.items,
        ledger=shown.ledger,
        credits=shown.credits,
        incidents=sorted(shown.incidents, key=lambda i: i.reported_at, reverse=True)[:_LISTED],
        duties=sorted(shown.duties, key=lambda d: d.due_at)[:_LISTED],
        push_sources=shown.push_sources,
        diff=diff,
        numbers=numbers,
        compare=(
            chosen.old or (numbers[-2] if len(numbers) > 1 else None),
            chosen.new or (numbers[-1] if numbers else None),
        ),
    )


def _diff(
    services: ServicesDep,
    principal: PagePrincipal,
    slug: str,
    chosen: AgreementFilter,
    numbers: list[int],
) -> dict[str, Any] | None:
    if chosen.old is None or chosen.new is None:
        return None
    if chosen.old not in numbers or chosen.new not in numbers:
        raise NotFound(f"agreement {slug!r} has no such version")
    return services.portfolio.diff(principal, slug, chosen.old, chosen.new)


@router.get("/agreements/{slug}/document.{output}", include_in_schema=False)
def document(
    slug: str,
    output: str,
    principal: PagePrincipal,
    services: ServicesDep,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    if output not in ("html", "pdf"):
        raise NotFound(f"no document format {output!r}")
    rendered = services.portfolio.document(principal, slug, version, output)
    disposition = "inline" if output == "html" else "attachment"
    return Response(
        rendered.content,
        media_type=rendered.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{rendered.filename}"',
            "Content-Security-Policy": DOCUMENT_CSP,
        },
    )


def _verdict_id(slug: str, verdict_id: int) -> int:
    if not 1 <= verdict_id <= 2**31:
        raise NotFound(f"agreement {slug!r} has no verdict {verdict_id}")
    return verdict_id


@router.get("/agreements/{slug}/verdicts/{verdict_id}/record.json", include_in_schema=False)
def verdict_record(
    slug: str, verdict_id: int, principal: PagePrincipal, services: ServicesDep
) -> Response:
    """The verdict as recorded: explanation, evidence (counts, coverage, exclusions, budget,
    credit, version hash) and its history, as a JSON file."""
    detail = services.verdicts.verdict(principal, slug, _verdict_id(slug, verdict_id))
    body = json.dumps(jsonable_encoder(detail), indent=2, sort_keys=True)
    name = f"{slug}-verdict-{verdict_id}.json"
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/agreements/{slug}/verdicts/{verdict_id}/evidence.zip", include_in_schema=False)
def evidence_bundle(
    slug: str, verdict_id: int, principal: PagePrincipal, services: ServicesDep
) -> Response:
    """The verdict's evidence bundle (``accord evidence verify`` checks it)."""
    exporter = evidence_bundles()
    content = services.bundles.export(principal, slug, _verdict_id(slug, verdict_id), exporter)
    name = f"{slug}-verdict-{verdict_id}-evidence.zip"
    return Response(
        content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/agreements/{slug}/verdicts/{verdict_id}", include_in_schema=False)
def verdict(
    slug: str,
    verdict_id: int,
    request: Request,
    principal: PagePrincipal,
    services: ServicesDep,
) -> Response:
    detail = services.verdicts.verdict(principal, slug, _verdict_id(slug, verdict_id))
    return page(
        request,
        "verdict.html",
        principal,
        slug=slug,
        detail=detail,
        evidence=detail.evidence,
        record=_record(detail.evidence),
        drill=drill_view(services, principal, slug, verdict_id),
    )


def _record(evidence: dict[str, Any]) -> VerdictRecord | None:
    """The evidence as a typed record, for the figures the page computes with."""
    try:
        return VerdictRecord.from_json(evidence)
    except RecordError:
        return None
