"""Support: the channels customers and the consumer reach, and their hours."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.core.spec import CalendarRef, Identifier, Spec

__all__ = ["Support", "SupportChannel"]


class SupportChannel(Spec):
    """One way to reach support, with the hours it is staffed."""

    channel: Literal["phone", "email", "chat", "portal", "api"] = Field(description="Channel.")
    address: str = Field(min_length=1, description="Number, address or URL.")
    calendar: CalendarRef = Field(default="24x7", description="When it is staffed.")
    severities: list[Identifier] = Field(
        default_factory=list, description="Severities it accepts; empty means all."
    )


class Support(Spec):
    """How customers and the consumer get help."""

    channels: list[SupportChannel] = Field(min_length=1, description="Support channels.")
    languages: list[str] = Field(min_length=1, description="Languages, as BCP 47 tags.")
    accessibility: list[str] = Field(
        default_factory=list, description="Accessibility commitments, e.g. WCAG 2.2 AA."
    )
