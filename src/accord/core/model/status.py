"""The public status page: whether the agreement has one, and what it may show.

A status page is opt-in: only an agreement with a ``status_page`` section has one, and it
shows only what the section names: each component's current state (from the latest verdicts
of the objectives it lists) and, if ``uptime`` is on, each closed month's value of those
objectives as it stood when the month closed, if ``incidents`` is on, the incidents open
now (severity, state, when reported), and, if ``maintenance`` is on, the maintenance announced
for the components (start, end, components). Nothing else of the agreement is public.
"""

from __future__ import annotations

from pydantic import Field

from accord.core.spec import Identifier, Spec

__all__ = ["StatusComponent", "StatusPage"]


class StatusComponent(Spec):
    """A part of the service as the public sees it, judged by some of the objectives."""

    name: str = Field(min_length=1, max_length=100, description="Name shown on the page.")
    objectives: list[Identifier] = Field(
        min_length=1, description="Objectives whose verdicts give the component's state."
    )


class StatusPage(Spec):
    """A public page, without sign-in, showing the components' state."""

    title: str = Field(min_length=1, max_length=200, description="Heading of the page.")
    components: list[StatusComponent] = Field(min_length=1, description="What is shown.")
    uptime: bool = Field(
        default=False,
        description="Also show each closed month's value of the components' objectives.",
    )
    months: int = Field(default=6, ge=1, le=24, description="How many closed months to show.")
    incidents: bool = Field(
        default=False,
        description="Also show the incidents open now: their severity's name, state and when "
        "they were reported; never their title, text or who works on them, and never "
        "security incidents.",
    )
    maintenance: bool = Field(
        default=False,
        description="Also show the maintenance announced for the components, in progress or "
        "ahead: when it starts and ends and which components it touches, from the periods "
        "the sources of their objectives' maintenance exclusions list (files, pushed "
        "batches, what the polls of a partner's status feed kept); never its name, text or "
        "other columns.",
    )
