"""Partner status feeds: the incidents and maintenance a partner declares on its status page.

A source of format ``status_feed`` reads a feed as rows, one per incident or maintenance:
an Atlassian-Statuspage-compatible page (``layout: statuspage``: ``/api/v2/incidents.json``
and ``/api/v2/summary.json`` under ``url``), or any JSON document (``layout: generic``) whose
list under ``records`` holds one record per incident, its fields named under ``fields``.
An ``incidents`` source reads the incidents, a ``maintenance`` source the maintenance; both
provide the columns in ``FEED_COLUMNS``.
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import Field, model_validator

from accord.core.spec import Spec, problem

__all__ = ["FEED_COLUMNS", "StatusFeed"]

#: The columns a feed provides: ``type`` is incident or maintenance; ``announced_at`` when
#: the partner posted it; ``started_at``/``ended_at`` when it began and was resolved (for
#: maintenance, the scheduled start and end); ``components`` the affected components,
#: comma-separated.
FEED_COLUMNS: Final = (
    "id",
    "name",
    "type",
    "impact",
    "status",
    "announced_at",
    "started_at",
    "ended_at",
    "components",
)


class StatusFeed(Spec):
    """Where a partner's status feed is and how to read it."""

    url: str = Field(
        description="The status page (statuspage: its base URL, e.g. "
        "https://status.partner.example) or the JSON document (generic).",
    )
    layout: Literal["statuspage", "generic"] = Field(
        default="statuspage",
        description="statuspage: Atlassian Statuspage's public API; generic: any JSON "
        "document, read through 'records' and 'fields'.",
    )
    records: str | None = Field(
        default=None,
        description="generic: the dotted path to the list of records (e.g. data.incidents); "
        "without it the document itself is the list.",
    )
    fields: dict[str, str] = Field(
        default_factory=dict,
        description="generic: column → dotted path into each record (e.g. started_at: "
        "begin); columns not named are empty. statuspage: replaces the preset's choice.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> StatusFeed:
        if not self.url.startswith(("http://", "https://")):
            raise problem(
                "status_feed", f"url {self.url!r} is not an http(s) URL", "e.g. https://…", ("url",)
            )
        unknown = sorted(set(self.fields) - set(FEED_COLUMNS))
        if unknown:
            raise problem(
                "status_feed",
                f"no feed column {', '.join(map(repr, unknown))}",
                f"use {', '.join(FEED_COLUMNS)}",
                ("fields", unknown[0]),
            )
        if self.layout == "generic" and not {"started_at", "id"} <= set(self.fields):
            raise problem(
                "status_feed",
                "a generic feed needs fields for at least id and started_at",
                "e.g. fields: {id: uid, started_at: begin, ended_at: end}",
                ("fields",),
            )
        return self
