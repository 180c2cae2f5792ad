"""The demo's governance story, told through the services as the parties would: the provider
proposes an amendment (its semantic diff shown to both sides), the consumer approves it and the
new version waits for its notice period to take effect; the provider disputes a verdict with a
link as evidence, the consumer answers, and the dispute stands at the first step of its
ladder with its due instant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from accord.services.amendments import AmendmentAct, ProposeAmendment
from accord.services.container import Services
from accord.services.disputes import RaiseDispute, Submission
from accord.services.permissions import Principal
from accord.services.verdicts import VerdictQuery

__all__ = ["GovernanceStory", "amend_and_dispute", "amended_text"]


@dataclass(frozen=True)
class GovernanceStory:
    agreement: str
    #: What happened, one line each, for the demo's output.
    lines: list[str] = field(default_factory=list)


def amended_text(text: str, replacements: Mapping[str, str]) -> str | None:
    """``text`` with each replacement made once; ``None`` when one of them is not found."""
    for old, new in replacements.items():
        if old not in text:
            return None
        text = text.replace(old, new, 1)
    return text


def amend_and_dispute(
    services: Services, parties: tuple[Principal, Principal], slug: str, proposal: str
) -> GovernanceStory:
    """``parties``: the provider's user and the consumer's (the company's) manager.
    ``proposal``: the amended agreement text the provider proposes."""
    partner, manager = parties
    story = GovernanceStory(slug)
    proposed = services.amendments.propose(
        partner,
        ProposeAmendment(
            agreement=slug, summary="Longer notice for emergency changes", text=proposal
        ),
    )
    effects = ", ".join(change["effect"] for change in proposed.diff.get("changes", []))
    story.lines.append(
        f"amendment {proposed.id} proposed by {proposed.party} ({effects}); awaiting "
        f"{', '.join(proposed.awaiting_approval) or 'nobody'}"
    )
    approved = services.amendments.approve(
        manager, AmendmentAct(agreement=slug, amendment=proposed.id, note="agreed in the review")
    )
    story.lines.append(
        f"amendment {approved.id} {approved.state}: version {approved.version_number} takes "
        f"effect {approved.effective_at:%Y-%m-%d %H:%M} UTC, after the {approved.notice} notice"
    )
    page = services.verdicts.verdicts(manager, slug, VerdictQuery())
    judged = [item for item in page.items if item.outcome != "met"] or page.items
    if not judged:
        return story
    disputed = services.disputes.raise_(
        partner,
        RaiseDispute(
            agreement=slug,
            verdict=judged[0].id,
            submission=Submission(
                text=f"Our own probes saw {judged[0].objective} met in {judged[0].window}.",
                links=("https://status.example/history",),
            ),
        ),
    )
    services.disputes.respond(
        manager,
        slug,
        disputed.id,
        Submission(text="Our measurements are in the evidence bundle of the verdict."),
    )
    story.lines.append(
        f"dispute {disputed.id} of the {judged[0].window} {judged[0].objective} verdict: step "
        f"{disputed.step} ({disputed.step_name}) due {disputed.step_due_at:%Y-%m-%d %H:%M} UTC"
    )
    return story
