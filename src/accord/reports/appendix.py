"""The appendix of technical definitions: indicators with their formulas, data sources and
column mappings, thresholds and tolerance bands, credit tiers, the RACI matrix, the
escalation ladders and a glossary of the terms the document uses.
"""

from __future__ import annotations

from accord.core.model import Agreement
from accord.core.model.incidents import EscalationLadder
from accord.core.model.measurement import Direction, Indicator, Pauses, Source
from accord.core.model.objectives import Objective
from accord.core.remedies.spec import CreditScheme, CreditTier
from accord.core.units import Money, Percentage, format_decimal
from accord.core.validation import value_kind_of
from accord.reports.describe import measured_as, tier_condition, window_phrase, words_of
from accord.reports.document import Block, Code, Facts, Inline, Paragraph, Section, Table
from accord.reports.glossary import glossary
from accord.reports.phrasing import (
    band_of,
    decimals,
    indicator_of,
    join_words,
    party_name,
    show_measure,
)

__all__ = ["appendix"]

_PAYMENT = {
    "invoice_deduction": "deduction from the next invoice",
    "refund": "refund",
    "service_extension": "extension of the service",
}


def appendix(agreement: Agreement) -> Section:
    parts = [
        _indicators(agreement),
        _sources(agreement),
        _objectives(agreement),
        _credits(agreement),
        _raci(agreement),
        _ladders(agreement),
        glossary(agreement),
    ]
    present = [part for part in parts if part is not None]
    numbered = tuple(
        Section(part.key, f"A.{number} {part.title}", part.blocks, part.sections)
        for number, part in enumerate(present, start=1)
    )
    return Section("appendix", "Appendix: technical definitions", (), numbered)


def _source_of(agreement: Agreement, source_id: str) -> Source | None:
    return next((source for source in agreement.sources if source.id == source_id), None)


def _indicator(agreement: Agreement, indicator: Indicator) -> Section:
    source = _source_of(agreement, indicator.source)
    better = "higher" if indicator.direction() is Direction.HIGHER_IS_BETTER else "lower"
    facts = Facts.of(
        [
            ("Identifier", Code(indicator.id)),
            ("Kind", Code(indicator.kind)),
            ("Measures", measured_as(indicator, agreement)),
            ("Formula", Code(indicator.formula())),
            ("Counts only rows where", Code(indicator.where.text) if indicator.where else None),
            ("Data source", Code(indicator.source)),
            ("Clock pauses", _pauses(indicator)),
            ("Value", f"a {value_kind_of(indicator, source)}; {better} is better"),
            ("Description", indicator.description),
        ]
    )
    blocks: list[Block] = [facts]
    if source is not None:
        used = sorted(indicator.columns_used() | {source.timestamp})
        rows = tuple(
            (Code(name), Code(source.columns[name].column), _column_type(source, name))
            for name in used
            if name in source.columns
        )
        blocks.append(
            Table(("Logical column", f"Column in {source.id}", "Type"), rows, "Column mapping")
        )
    return Section(f"indicator-{indicator.id}", indicator.name, tuple(blocks))


def _pauses(indicator: Indicator) -> Inline | None:
    """Where a business-duration clock reads the states that pause it."""
    pauses = getattr(indicator, "pauses", None)
    if not isinstance(pauses, Pauses):
        return None
    states = join_words(pauses.states, "or")
    return (
        "while ",
        Code(pauses.status),
        f" is {states}, read from the ",
        Code(pauses.source),
        " data",
    )


def _column_type(source: Source, name: str) -> str:
    column = source.columns[name]
    return f"{column.type} ({column.unit})" if column.unit else str(column.type)


def _indicators(agreement: Agreement) -> Section | None:
    if not agreement.indicators:
        return None
    lead = Paragraph(
        "Each indicator's value is computed exactly as its formula states, over the rows of "
        "its data source that fall in the window and scope being judged."
    )
    subsections = tuple(_indicator(agreement, item) for item in agreement.indicators)
    return Section("indicators", "Indicators", (lead,), subsections)


def _source(agreement: Agreement, source: Source) -> Section:
    facts = Facts.of(
        [
            ("Kind", source.kind),
            ("Format", source.format),
            ("Location", Code(source.path) if source.path else "pushed to the Accord API"),
            ("Supplied by", party_name(agreement, source.owner) if source.owner else None),
            ("Time of a row", Code(source.timestamp)),
            ("Row key", Code(source.key) if source.key else None),
            (
                "Data expected on",
                f"the working days of calendar {source.expected_on} (data coverage counts "
                "those days only)"
                if source.expected_on
                else None,
            ),
            ("Description", source.description),
        ]
    )
    rows = tuple(
        (Code(name), Code(column.column), _column_type(source, name))
        for name, column in source.columns.items()
    )
    table = Table(("Logical column", "Column in the data", "Type"), rows, "Column mapping")
    return Section(f"source-{source.id}", source.id, (facts, table))


def _sources(agreement: Agreement) -> Section | None:
    if not agreement.sources:
        return None
    subsections = tuple(_source(agreement, source) for source in agreement.sources)
    return Section("sources", "Data sources", (), subsections)


def _error_budget(objective: Objective, indicator: Indicator) -> str:
    """1 − target of the valid events, for share indicators where higher is better."""
    if not isinstance(objective.target, Percentage):
        return "—"
    if indicator.direction() is not Direction.HIGHER_IS_BETTER:
        return "—"
    budget = format_decimal((1 - objective.target.ratio) * 100)
    return f"{budget}% of counted {indicator.counts}"


def _objectives(agreement: Agreement) -> Section | None:
    if not agreement.objectives:
        return None
    thresholds = []
    windows = []
    for objective in agreement.objectives:
        indicator = indicator_of(agreement, objective)
        band = band_of(objective, indicator.direction())
        places = max(decimals(objective.target), decimals(objective.tolerance))
        thresholds.append(
            (
                objective.name,
                show_measure(objective.target, places),
                show_measure(objective.tolerance, places),
                band.met,
                band.deviation or "— (no tolerance band)",
                band.breach,
            )
        )
        windows.append(
            (
                objective.name,
                indicator.name,
                window_phrase(objective),
                join_words(words_of(dimension) for dimension in objective.scope) or "—",
                _filter(agreement, objective),
                _error_budget(objective, indicator),
            )
        )
    lead = Paragraph(
        "For each window and scope an objective is met when the value reaches the target, a "
        "deviation when it misses the target but stays within the tolerance band, and a "
        "breach beyond the tolerance."
    )
    return Section(
        "thresholds",
        "Objectives, breach thresholds and tolerance bands",
        (
            lead,
            Table(
                ("Objective", "Target", "Tolerance", "Met", "Deviation", "Breach"),
                tuple(thresholds),
                "Thresholds",
            ),
            Table(
                ("Objective", "Indicator", "Window", "Judged per", "Restricted to", "Error budget"),
                tuple(windows),
                "Windows and scopes",
            ),
        ),
    )


def _filter(agreement: Agreement, objective: Objective) -> Inline:
    parts: list[str | Code] = []
    if objective.during:
        peak = next((p for p in agreement.peak_periods if p.id == objective.during), None)
        parts.append(f"during {(peak.name or peak.id) if peak else objective.during}")
    if objective.where is not None:
        parts += ["; " if parts else "", Code(objective.where.text)]
    return tuple(part for part in parts if part != "") or "—"


def _tier_credit(scheme: CreditScheme, tier: CreditTier) -> str:
    if isinstance(tier.credit, Money):
        return "fixed amount"
    return f"{tier.credit} of the {scheme.basis_description}"


def _scheme(agreement: Agreement, scheme: CreditScheme) -> Section:
    assert agreement.remedies is not None
    names = {objective.id: objective.name for objective in agreement.objectives}
    cap = (
        str(scheme.cap)
        if isinstance(scheme.cap, Money)
        else f"{scheme.cap} of the basis = {scheme.cap_amount()}"
    )
    facts = Facts.of(
        [
            ("Objectives", join_words(names.get(o, o) for o in scheme.objectives)),
            ("Basis", f"{scheme.basis} ({scheme.basis_description})"),
            ("Cap per window", cap),
            ("Claim within", str(agreement.remedies.claim_window)),
            ("Paid as", _PAYMENT[agreement.remedies.payment]),
        ]
    )
    rows = tuple(
        (
            tier_condition(tier),
            _tier_credit(scheme, tier),
            str(scheme.tier_amount(tier)),
        )
        for tier in scheme.tiers
    )
    table = Table(("When the window's value is", "Credit", "Amount"), rows, "Credit tiers")
    return Section(f"credits-{scheme.id}", f"Credit scheme {scheme.id}", (facts, table))


def _credits(agreement: Agreement) -> Section | None:
    if agreement.remedies is None or not agreement.remedies.credits:
        return None
    lead = Paragraph(
        "Thresholds are strict: a tier applies when the value is strictly worse than its "
        "threshold. Only the worst tier reached applies, and the total is capped."
    )
    subsections = tuple(_scheme(agreement, scheme) for scheme in agreement.remedies.credits)
    return Section("credits", "Service credit tiers", (lead,), subsections)


def _raci(agreement: Agreement) -> Section | None:
    if not agreement.responsibilities:
        return None
    parties = agreement.parties
    rows = []
    for row in agreement.responsibilities:
        cells: list[Inline] = [row.element]
        for party in parties:
            letters = [
                letter
                for letter, holds in (
                    ("R", party.id in row.responsible),
                    ("A", party.id == row.accountable),
                    ("C", party.id in row.consulted),
                    ("I", party.id in row.informed),
                )
                if holds
            ]
            cells.append(", ".join(letters) or "—")
        rows.append(tuple(cells))
    table = Table(("Service element", *(party.name for party in parties)), tuple(rows))
    legend = Paragraph(
        "R: responsible (does the work); A: accountable (answers for it); C: consulted; "
        "I: informed."
    )
    return Section("raci", "Responsibility matrix (RACI)", (table, legend))


def _ladder_table(agreement: Agreement, ladder: EscalationLadder) -> Table:
    rows = tuple(
        (
            str(level.level),
            party_name(agreement, level.party),
            level.owner,
            level.contact or "—",
            str(level.within),
            level.authority,
        )
        for level in ladder.levels
    )
    headers = ("Level", "Party", "Owner", "Contact", "Time at level", "Decision authority")
    return Table(headers, rows, ladder.name or ladder.id)


def _ladders(agreement: Agreement) -> Section | None:
    if not agreement.escalation:
        return None
    lead = Paragraph(
        "An issue not resolved within a level's time goes to the next level, whose owner has "
        "the decision authority listed."
    )
    tables = tuple(_ladder_table(agreement, ladder) for ladder in agreement.escalation)
    return Section("escalation", "Escalation ladders", (lead, *tables))
