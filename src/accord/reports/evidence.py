"""The README of an evidence bundle: what it holds and how to recompute its verdicts, by hand
and with Accord, in plain words."""

from __future__ import annotations

import datetime as dt
import shlex
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Final

from accord.core.evaluation import Evaluation
from accord.core.exclusions.spec import Exclusion
from accord.core.model import Agreement
from accord.core.model.measurement import Direction, Source
from accord.core.verdicts import Verdict
from accord.services.rendering import BundledRows, ReadmeFacts

__all__ = ["readme_text"]

_WIDTH: Final = 92


_RULE = """\
WHICH ROWS ARE IN data/
  - Of the indicator's source: every row placed in the window (by the source's timestamp,
    from the window's start up to but not including its end) that the indicator's and the
    objective's conditions select. For every scope value the objective has ever seen, one
    row of that scope is kept too (a row in the window where there is one): a scope without
    data in the window is then still reported, as no data. Such a row lies outside the
    window and counts for nothing.
  - Of a status-change source that pauses a clock: every change of every ticket taken,
    whenever it happened, because a pause lasts from one change to the next.
  - Of a source listing excluded periods: every period that overlaps the window, and every
    period that starts in the same calendar month (in the agreement's time zone) as one of
    them, because a monthly cap is used up by the periods that start in a month, earliest
    first.
  - Objectives that share a credit scheme with this one have their rows in the same window
    too: the worst of them decides which credit tier is owed, and to which verdict.
  - Every other source of the agreement has a file with its columns and no rows, so that an
    evaluation finds every source it reads.
  - Rows that failed the data checks when the verdict was made (set aside as bad) are not
    in the bundle: they did not count.
  Files keep each source's format and column names. Durations are in the column's unit;
  times are in UTC with an explicit zone.
"""


def readme_text(facts: ReadmeFacts) -> str:
    """The README, as text."""
    evaluation = facts.evaluation
    agreement = evaluation.agreement
    first = facts.verdicts[0]
    objective = next(o for o in agreement.objectives if o.id == first.objective)
    lines = [
        "EVIDENCE BUNDLE",
        f"{agreement.metadata.title}: agreement {agreement.metadata.id}, "
        f"version {agreement.metadata.version}",
        "",
        *_wrap(
            f"This bundle holds what is needed to recompute {_count(len(facts.verdicts))} of "
            f'the objective "{objective.name}" ({objective.id}), evaluated for the period '
            f"{evaluation.period.label} as of {evaluation.as_of.isoformat()}:",
            "",
        ),
        "",
    ]
    for verdict in facts.verdicts:
        lines += [*_verdict_lines(evaluation, verdict), ""]
    lines += [*_contents(agreement, facts), "", _RULE]
    lines += [*_with_accord(facts), "", *_by_hand(facts), ""]
    return "\n".join(lines)


def _wrap(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _count(number: int) -> str:
    return "the verdict" if number == 1 else f"these {number} verdicts"


def _verdict_lines(evaluation: Evaluation, verdict: Verdict) -> list[str]:
    credit = evaluation.credit_for(verdict)
    lines = [
        *_wrap(
            f"scope {verdict.scope_label}, window {verdict.window.label} "
            f"({verdict.window.start_at.isoformat()} to {verdict.window.end_at.isoformat()}): "
            f"{verdict.outcome.value.upper().replace('_', ' ')}",
            "    ",
            "  - ",
        ),
        *_wrap(f"measured: {verdict.computation}", "      ", "    "),
        *_wrap(
            f"target {verdict.show(verdict.target)}, tolerance "
            f"{verdict.show(verdict.tolerance)}: {_band(verdict)}",
            "      ",
            "    ",
        ),
        f"    data coverage: {verdict.coverage.detail}",
    ]
    if verdict.exclusions:
        excluded = ", ".join(f"{count:,} {what}" for what, count in verdict.exclusions.items())
        lines.append(f"    excluded: {excluded}")
    lines += (
        _wrap(
            f"credit: {credit.amount} ({credit.rule}); claim by {credit.claim_deadline}",
            "      ",
            "    ",
        )
        if credit
        else ["    credit: none"]
    )
    return lines


def _band(verdict: Verdict) -> str:
    target, tolerance = verdict.show(verdict.target), verdict.show(verdict.tolerance)
    if verdict.direction is Direction.HIGHER_IS_BETTER:
        return f"met at {target} or more, a deviation down to {tolerance}, below it a breach"
    return f"met at {target} or less, a deviation up to {tolerance}, above it a breach"


def _contents(agreement: Agreement, facts: ReadmeFacts) -> Iterator[str]:
    sources: Sequence[BundledRows] = facts.sources
    yield "WHAT IS IN IT"
    yield "  agreement.yaml  the agreement file exactly as evaluated; its version hash (the sha256"
    yield f"                  of its canonical form) is {agreement.version_hash()}"
    yield "  verdict.json    the verdicts as Accord computed them (format accord.verdicts/v2), with"
    yield "                  the period and the as-of instant used"
    yield "  manifest.json   the sha256 of every other file, and the agreement's version hash"
    yield "  data/           the measurement rows, one entry per source:"
    for item in sources:
        why = "; ".join(item.roles) if item.roles else "not read by these verdicts"
        yield from _wrap(
            f"source {item.source}: {item.rows:,} row{'' if item.rows == 1 else 's'} ({why})",
            "      ",
            "    ",
        )
        for file in item.files:
            yield f"      data/{file}"
    if facts.items:
        yield "  items.csv       the items behind the verdicts, one row each: tickets with their"
        yield "                  due instants and on time or late, bad slices, or worst hours"
    if facts.inputs:
        yield "  inputs.json     which source each file in inputs/ is, with the batch id, the"
        yield "                  sha256 digest recorded at the push and the batch's arrival"
        counted = Counter(facts.inputs)
        for source in sorted(counted):
            number = counted[source]
            yield from _wrap(
                f"source {source}: {number} Parquet file{'' if number == 1 else 's'} as the "
                "evaluation read them (pushed batches byte for byte, or rows fetched from outside)",
                "      ",
                "  inputs/",
            )


def _with_accord(facts: ReadmeFacts) -> list[str]:
    evaluation = facts.evaluation
    common = (
        f"--data data --period {shlex.quote(evaluation.period.label)} "
        f"--as-of {shlex.quote(_as_of(evaluation.as_of))}"
    )
    chosen = f"--objective {shlex.quote(facts.verdicts[0].objective)}"
    chosen += "".join(f" --scope {shlex.quote(f'{k}={v}')}" for k, v in facts.scope.items())
    if facts.window is not None:
        chosen += f" --window {shlex.quote(facts.window)}"
    return [
        "RECOMPUTE WITH ACCORD",
        f"  accord evidence verify {shlex.quote(facts.bundle_name)}",
        "    checks every file against manifest.json and the agreement's version hash, then",
        "    evaluates the bundled data again and compares outcome, value, target, tolerance,",
        "    counts, coverage and credit with verdict.json.",
        "",
        "  Or step by step, in the unzipped folder:",
        "    sha256sum agreement.yaml verdict.json README.txt data/...   (compare manifest.json)",
        f"    accord evaluate agreement.yaml {common} --format json",
        f"    accord explain agreement.yaml {common} {chosen}",
    ]


def _as_of(instant: dt.datetime) -> str:
    """An instant as ``--as-of`` reads it: to the second, with its offset."""
    return instant.replace(microsecond=0).isoformat()


def _by_hand(facts: ReadmeFacts) -> list[str]:
    agreement = facts.evaluation.agreement
    objective = next(o for o in agreement.objectives if o.id == facts.verdicts[0].objective)
    indicator = next(i for i in agreement.indicators if i.id == objective.indicator)
    source = next(s for s in agreement.sources if s.id == indicator.source)
    conditions = [str(c) for c in (indicator.where, objective.where) if c is not None]
    applied = [
        e
        for e in agreement.exclusions
        if objective.exclusions is None or e.id in objective.exclusions
    ]
    take = (
        f"Take the rows of source {source.id} whose {source.timestamp} (column "
        f"{source.columns[source.timestamp].column}) lies in the verdict's window, from its "
        "start up to but not including its end"
        + (f", and where {' and '.join(conditions)}" if conditions else "")
        + (f"; one group per {', '.join(objective.scope)}" if objective.scope else "")
        + ". The columns in its files:"
    )
    excluded = ["Leave out what the exclusions remove:" if applied else "No exclusion applies."]
    for exclusion in applied:
        excluded += _wrap(_exclusion(exclusion), "         ", "       - ")
    lines = [
        "RECOMPUTE BY HAND",
        *_wrap("Check each file's sha256 against manifest.json.", "     ", "  1. "),
        *_wrap(take, "     ", "  2. "),
        *_columns(source),
        *_wrap(excluded[0], "     ", "  3. "),
        *excluded[1:],
        *_periods(facts, {e.id for e in applied}),
        *_wrap(f"Compute: {indicator.formula()}.", "     ", "  4. "),
        *_wrap(
            "Compare with the target and tolerance above. Ratios are shares of 1, shown as "
            "percentages; durations are compared in seconds.",
            "     ",
            "  5. ",
        ),
    ]
    return lines


def _exclusion(exclusion: Exclusion) -> str:
    rules = [
        f"where {exclusion.where}" if exclusion.where else "",
        f"listed in source {exclusion.source}" if exclusion.source else "",
        f"announced at least {exclusion.notice} ahead" if exclusion.notice else "",
        f"at most {exclusion.monthly_cap} a month" if exclusion.monthly_cap else "",
        f"for the same {', '.join(exclusion.match)} only" if exclusion.match else "",
    ]
    shown = ", ".join(rule for rule in rules if rule)
    return f"{exclusion.id} ({shown}): {' '.join(exclusion.description.split())}"


def _periods(facts: ReadmeFacts, applied: set[str]) -> list[str]:
    """The excluded periods of the applied exclusions that touch the verdicts' windows."""
    windows = [v.window for v in facts.verdicts]
    found = sorted(
        {
            (p.start_at, p.end_at, p.exclusion, p.counted, p.reason, p.match)
            for p in facts.evaluation.excluded
            if p.exclusion in applied
            and any(p.start_at < w.end_at and w.start_at < p.end_at for w in windows)
        }
    )
    if not found:
        return []
    lines = ["     The periods listed for them that touch the window:"]
    for start, end, exclusion, counted, reason, match in found:
        scope = "".join(f", {k}={v}" for k, v in match)
        state = "excluded" if counted else "not excluded"
        lines += _wrap(
            f"{exclusion}{scope}: {start.isoformat()} to {end.isoformat()}, {state} ({reason})",
            "         ",
            "       - ",
        )
    return lines


def _columns(source: Source) -> Iterator[str]:
    for name, column in source.columns.items():
        unit = f", in {column.unit}" if column.unit else ""
        yield f"       {name}: column {column.column} ({column.type.value}{unit})"
