"""Notice regimes: the breach-notification clocks a security incident starts, as data.

A regime is a list of notices; each notice is owed by a party to a recipient, within an
offset after a triggering instant, with the content the recipient expects:

- ``after: aware`` — when the incident was detected (else reported): the instant someone
  became aware of it;
- ``after: classified`` — when it was classified as major (DORA); no duty before that;
- ``after: <notice id>`` — when an earlier notice of the same regime was sent (while it is
  unsent, its due instant, so the later clock never runs from an unknown instant).

``not_later_than`` bounds a notice by a second clock (DORA's initial notification: 4 hours
after classification, and no later than 24 hours after awareness). Regulatory clocks run on
the wall clock; months step calendar dates.

Accord ships the regimes every agreement may name (``BUILT_IN_REGIMES``, written here as
data and read by the same model as an agreement's own ``incidents.notice_regimes``): the
contract's own breach notice, GDPR Art. 33, NIS2 Art. 23 and DORA Art. 19.
"""

from __future__ import annotations

import functools
from typing import Any, Final, Literal

from pydantic import Field, model_validator

from accord.core.spec import DurationField, Identifier, Spec, problem

__all__ = ["BUILT_IN_REGIMES", "NoticeBound", "NoticeRegime", "NoticeStep", "built_in_regimes"]

#: The instants a notice can run from, besides an earlier notice of its regime.
TRIGGERS: Final = ("aware", "classified")


class NoticeBound(Spec):
    """A second clock that caps a notice's due instant."""

    after: Identifier = Field(description="aware, classified, or an earlier notice's id.")
    within: DurationField = Field(description="Time allowed after that instant.")


class NoticeStep(Spec):
    """One notice of a regime."""

    id: Identifier = Field(description="Identifier within the regime, e.g. early-warning.")
    name: str = Field(min_length=1, description="Name, e.g. 'Early warning'.")
    owed_by: Literal["provider", "consumer"] = Field(
        description="Which party of the agreement sends it."
    )
    recipient: str = Field(
        min_length=1, description="Who receives it: 'consumer', 'provider' or an authority."
    )
    after: Identifier = Field(description="aware, classified, or an earlier notice's id.")
    within: DurationField | None = Field(
        default=None,
        description="Time allowed after that instant; none: the agreement's "
        "incidents.security_breach_notification.",
    )
    not_later_than: NoticeBound | None = Field(
        default=None, description="A second clock; the notice is due by the earlier of both."
    )
    content: list[str] = Field(default_factory=list, description="What the notice must say.")


class NoticeRegime(Spec):
    """A set of notices a security incident owes under one law or the contract."""

    id: Identifier = Field(description="Identifier named in incidents.regimes.")
    name: str = Field(min_length=1, description="Name, e.g. 'GDPR Art. 33'.")
    reference: str | None = Field(default=None, description="The legal text it follows.")
    notices: list[NoticeStep] = Field(min_length=1, description="Its notices, in order.")

    @model_validator(mode="after")
    def _known_triggers(self) -> NoticeRegime:
        earlier: list[str] = []
        for index, step in enumerate(self.notices):
            bound = [] if step.not_later_than is None else [step.not_later_than.after]
            for field, after in (("after", step.after), *(("not_later_than", b) for b in bound)):
                if after not in TRIGGERS and after not in earlier:
                    raise problem(
                        "notice_trigger",
                        f"notice {step.id!r} runs after {after!r}, which is neither an instant "
                        f"of the incident ({', '.join(TRIGGERS)}) nor an earlier notice",
                        "name aware, classified or the id of a notice listed before it",
                        ("notices", index, field),
                    )
            earlier.append(step.id)
        return self


_AUTHORITY_GDPR: Final = "the supervisory authority (GDPR Art. 33(1))"
_CONTENT_GDPR: Final = [
    "nature of the breach, categories and approximate numbers of data subjects and records",
    "name and contact details of the data protection officer",
    "likely consequences of the breach",
    "measures taken or proposed, including mitigation",
]

#: The built-in regimes, as data (read by ``NoticeRegime`` like an agreement's own).
BUILT_IN_REGIMES: Final[tuple[dict[str, Any], ...]] = (
    {
        "id": "contract",
        "name": "The contract's breach notice",
        "notices": [
            {
                "id": "notice",
                "name": "Breach notice",
                "owed_by": "provider",
                "recipient": "consumer",
                "after": "aware",
                "content": ["what happened", "data and services affected", "measures taken"],
            }
        ],
    },
    {
        "id": "gdpr-art-33",
        "name": "GDPR Art. 33",
        "reference": "Regulation (EU) 2016/679, Art. 33",
        "notices": [
            {
                "id": "notification",
                "name": "Notification to the supervisory authority",
                "owed_by": "consumer",
                "recipient": _AUTHORITY_GDPR,
                "after": "aware",
                "within": "72h",
                "content": _CONTENT_GDPR,
            }
        ],
    },
    {
        "id": "nis2-art-23",
        "name": "NIS2 Art. 23",
        "reference": "Directive (EU) 2022/2555, Art. 23(4)",
        "notices": [
            {
                "id": "early-warning",
                "name": "Early warning",
                "owed_by": "consumer",
                "recipient": "the CSIRT or competent authority",
                "after": "aware",
                "within": "24h",
                "content": [
                    "whether unlawful or malicious acts are suspected",
                    "cross-border impact",
                ],
            },
            {
                "id": "notification",
                "name": "Incident notification",
                "owed_by": "consumer",
                "recipient": "the CSIRT or competent authority",
                "after": "aware",
                "within": "72h",
                "content": ["initial assessment: severity and impact", "indicators of compromise"],
            },
            {
                "id": "final-report",
                "name": "Final report",
                "owed_by": "consumer",
                "recipient": "the CSIRT or competent authority",
                "after": "notification",
                "within": "1 month",
                "content": [
                    "detailed description, severity and impact",
                    "type of threat or root cause",
                    "mitigation measures applied and ongoing",
                    "cross-border impact",
                ],
            },
        ],
    },
    {
        "id": "dora-art-19",
        "name": "DORA Art. 19",
        "reference": "Regulation (EU) 2022/2554, Art. 19(4), and its technical standards on "
        "the time limits of incident reports",
        "notices": [
            {
                "id": "initial",
                "name": "Initial notification of a major ICT-related incident",
                "owed_by": "consumer",
                "recipient": "the competent authority",
                "after": "classified",
                "within": "4h",
                "not_later_than": {"after": "aware", "within": "24h"},
                "content": ["classification criteria met", "initial description"],
            },
            {
                "id": "intermediate",
                "name": "Intermediate report",
                "owed_by": "consumer",
                "recipient": "the competent authority",
                "after": "initial",
                "within": "72h",
                "content": ["updated description, impact and status", "actions taken"],
            },
            {
                "id": "final",
                "name": "Final report",
                "owed_by": "consumer",
                "recipient": "the competent authority",
                "after": "intermediate",
                "within": "1 month",
                "content": ["root cause", "measures taken and lessons learnt", "costs and losses"],
            },
        ],
    },
)


@functools.cache
def built_in_regimes() -> dict[str, NoticeRegime]:
    """The built-in regimes by id, read from ``BUILT_IN_REGIMES``."""
    return {item["id"]: NoticeRegime.model_validate(item) for item in BUILT_IN_REGIMES}
