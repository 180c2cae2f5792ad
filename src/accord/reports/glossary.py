"""The glossary: the terms a rendered agreement uses, each defined once in plain words.

A term appears only when the agreement uses the concept, and terms are listed in
alphabetical order so the output is stable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from accord.core.model import Agreement
from accord.core.model.objectives import WindowKind
from accord.reports.document import Facts, Section

__all__ = ["GLOSSARY", "glossary"]

Uses = Callable[[Agreement], bool]


def _always(agreement: Agreement) -> bool:
    return True


def _kinds(*kinds: str) -> Uses:
    def uses(agreement: Agreement) -> bool:
        return any(indicator.kind in kinds for indicator in agreement.indicators)

    return uses


def _has(attribute: str) -> Uses:
    def uses(agreement: Agreement) -> bool:
        return bool(getattr(agreement, attribute))

    return uses


def _credits(agreement: Agreement) -> bool:
    return bool(agreement.remedies and agreement.remedies.credits)


def _chronic(agreement: Agreement) -> bool:
    return bool(agreement.remedies and agreement.remedies.chronic)


def _business_time(agreement: Agreement) -> bool:
    return bool(agreement.calendars) or _kinds("business_duration")(agreement)


def _rolling(agreement: Agreement) -> bool:
    return any(o.window.kind is WindowKind.ROLLING for o in agreement.objectives)


def _scoped(agreement: Agreement) -> bool:
    return any(objective.scope for objective in agreement.objectives)


def _reviews(agreement: Agreement) -> bool:
    return agreement.incidents is not None


#: term → (definition, whether the agreement uses it)
GLOSSARY: Final[dict[str, tuple[str, Uses]]] = {
    "Breach": (
        "The value for a window is worse than the tolerance: the objective is broken and the "
        "remedies apply.",
        _always,
    ),
    "Business hours": (
        "The working hours of a calendar in its time zone, without its holidays and closed "
        "dates. A business duration ('4 business hours') counts only this time.",
        _business_time,
    ),
    "Chronic failure": (
        "Repeated breaches of an objective within a number of consecutive windows, which "
        "give rise to a further consequence such as a right to terminate.",
        _chronic,
    ),
    "Claim window": (
        "The time after a window's report within which the consumer must claim a credit.",
        _credits,
    ),
    "CSAT and NPS": (
        "Customer satisfaction: the mean or share of satisfied survey scores. Net Promoter "
        "Score: the percentage of promoters (9–10) minus the percentage of detractors (0–6).",
        _kinds("survey_score"),
    ),
    "Deviation": (
        "The value for a window misses the target but stays within the tolerance band: it is "
        "reported and reviewed, and is not a breach.",
        _always,
    ),
    "Error budget": (
        "How much failure the target still allows in a window: for a target of 99.9% of "
        "events, 0.1% of the counted events may fail.",
        _always,
    ),
    "Escalation ladder": (
        "Ordered levels, each with an owner, a time limit and decision authority; an issue "
        "not resolved in time moves to the next level.",
        _has("escalation"),
    ),
    "Exclusion": (
        "Time or events that do not count against an objective: announced maintenance within "
        "its rules, force majeure, or failures caused by the consumer.",
        _has("exclusions"),
    ),
    "First-contact resolution": (
        "The share of resolved tickets that needed only one contact with the customer.",
        _kinds("first_contact_resolution"),
    ),
    "Indicator (SLI)": (
        "An exactly defined measurement: a data source, a formula and a unit.",
        _always,
    ),
    "Met": ("The value for a window reaches the target.", _always),
    "MTTD and MTTR": (
        "Mean time to detect and mean time to repair: the average time from one recorded "
        "incident timestamp to another, as each indicator defines.",
        _kinds("mean_time"),
    ),
    "Objective (SLO)": (
        "A target for an indicator over a window and scope, with a tolerance band.",
        _always,
    ),
    "Peak period": (
        "Dates or hours of higher load in which an objective may be judged on its own.",
        _has("peak_periods"),
    ),
    "Percentile": (
        "The value below which the given share of measurements fall; p99 latency is the "
        "latency that 99% of requests do not exceed (nearest rank).",
        _kinds("percentile", "business_duration"),
    ),
    "Post-incident review": (
        "A written account of an incident's root cause, contributing factors and preventive "
        "actions, due by a deadline after resolution.",
        _reviews,
    ),
    "RACI": (
        "Responsible (does the work), Accountable (answers for it), Consulted (asked before "
        "decisions), Informed (told of outcomes).",
        _has("responsibilities"),
    ),
    "Rolling window": (
        "A window of the last N days, judged again each day, rather than a calendar period.",
        _rolling,
    ),
    "Scope": (
        "The dimensions judged separately, such as region or priority: each scope has its "
        "own verdict.",
        _scoped,
    ),
    "Service credit": (
        "An amount the provider owes the consumer when an objective's value falls past a "
        "tier's threshold; a share of the basis (e.g. the monthly fee) or a fixed amount, "
        "capped per window.",
        _credits,
    ),
    "Severity": (
        "The class of an incident by its impact, which sets the times to acknowledge, update "
        "and resolve it.",
        _reviews,
    ),
    "Time slice": (
        "A fixed interval (e.g. one minute); a slice is good when its own share of good "
        "events reaches the slice target, and availability is good slices over counted slices.",
        _kinds("timeslice"),
    ),
    "Tolerance band": (
        "The range between the target and the tolerance: values there are a deviation, "
        "values beyond the tolerance a breach.",
        _always,
    ),
    "Window": (
        "The period an objective is judged over: a calendar day, week, month, quarter or year "
        "in the agreement's time zone, or a rolling number of days.",
        _always,
    ),
}


def glossary(agreement: Agreement) -> Section:
    rows = [
        (term, definition)
        for term, (definition, uses) in sorted(GLOSSARY.items(), key=lambda item: item[0].lower())
        if uses(agreement)
    ]
    return Section("glossary", "Glossary", (Facts.of(rows),))
