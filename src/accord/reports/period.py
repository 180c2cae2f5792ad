"""Period reports rendered: an executive summary written from the numbers, the verdict and
credit tables, a chart of outcomes against the previous period and the definitions; as HTML
and PDF with the rendered agreement's look, and the tables as CSV and JSON.

Everything here is deterministic: the same ``PeriodReport`` gives the same HTML, CSV and JSON
bytes (the PDF is the HTML printed by WeasyPrint).
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from decimal import Decimal
from functools import cache
from typing import Any, Final

import jinja2
from markupsafe import Markup, escape

from accord.core.period_report import OUTCOME_ORDER, PeriodReport
from accord.reports.glossary import GLOSSARY

__all__ = [
    "FORMAT",
    "executive_summary",
    "render_files",
    "report_html",
    "report_json",
    "template_environment",
]

FORMAT: Final = "accord.report/v1"
_TERMS: Final = (
    "Met",
    "Deviation",
    "Breach",
    "Error budget",
    "Objective (SLO)",
    "Indicator (SLI)",
    "Exclusion",
    "Claim window",
)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 'es' if word.endswith('ch') else 's'}"


def _money(amounts: dict[str, Decimal]) -> str:
    return " and ".join(f"{amount:,.2f} {currency}" for currency, amount in sorted(amounts.items()))


def _trend(now: dict[str, int], before: dict[str, int], previous: str) -> str:
    bad_now = now.get("breach", 0) + now.get("deviation", 0)
    bad_before = before.get("breach", 0) + before.get("deviation", 0)
    if not sum(before.values()):
        return f"There are no verdicts for {previous} to compare with."
    if bad_now < bad_before:
        return f"That is better than {previous}, which had {bad_before} missed objectives."
    if bad_now > bad_before:
        return f"That is worse than {previous}, which had {bad_before} missed objectives."
    return f"That is as many missed objectives as in {previous}."


def executive_summary(report: PeriodReport) -> list[str]:
    """Plain sentences from the numbers: what was met, what breached and where, credits,
    and the trend against the previous period."""
    totals = report.totals()
    judged = sum(totals.values())
    if not judged:
        return [f"No verdict was recorded for {report.period}."]
    sentences = [
        f"In {report.period}, {totals['met']} of {_plural(judged, 'objective verdict')} "
        f"across {_plural(len(report.agreements), 'agreement')} were met; "
        f"{_plural(totals['deviation'], 'deviation')} stayed within tolerance and "
        f"{_plural(totals['breach'], 'breach')} did not."
    ]
    for agreement in report.agreements:
        breached = [v for v in agreement.verdicts if v.outcome == "breach"]
        if breached:
            worst = ", ".join(
                f"{v.objective} ({v.scope}) at {v.value} against {v.target}" for v in breached[:3]
            )
            more = f" and {len(breached) - 3} more" if len(breached) > 3 else ""
            sentences.append(f"{agreement.title} breached {worst}{more}.")
    if totals.get("no_data"):
        sentences.append(
            f"{_plural(totals['no_data'], 'verdict')} had no data and could not be judged."
        )
    credits = report.credits()
    sentences.append(
        f"Service credits owed for the period: {_money(credits)}."
        if credits
        else "No service credit is owed for the period."
    )
    sentences.append(_trend(totals, report.totals(previous=True), report.previous_period))
    return sentences


def _outcome_bars(report: PeriodReport) -> str:
    """Outcome counts of this period beside the previous one, as horizontal bars (SVG)."""
    now, before = report.totals(), report.totals(previous=True)
    biggest = max([1, *now.values(), *before.values()])
    colours = {"met": "#1a7f37", "deviation": "#8a5300", "breach": "#b42318", "no_data": "#5b6475"}
    rows = []
    for index, outcome in enumerate(OUTCOME_ORDER):
        y = 8 + index * 34
        for offset, (label, counts) in enumerate(
            ((report.period, now), (report.previous_period, before))
        ):
            width = 300 * counts.get(outcome, 0) / biggest
            rows.append(
                f'<rect x="150" y="{y + offset * 14}" width="{width:.1f}" height="12" '
                f'fill="{colours[outcome]}" fill-opacity="{1 if offset == 0 else 0.45}"/>'
                f'<text x="{156 + width:.1f}" y="{y + offset * 14 + 10}" font-size="10">'
                f"{counts.get(outcome, 0)} ({label})</text>"
            )
        rows.append(
            f'<text x="140" y="{y + 17}" font-size="11" text-anchor="end">'
            f"{outcome.replace('_', ' ')}</text>"
        )
    description = "; ".join(
        f"{o}: {now.get(o, 0)} in {report.period}, {before.get(o, 0)} in {report.previous_period}"
        for o in OUTCOME_ORDER
    )
    return (
        '<svg class="chart" role="img" viewBox="0 0 520 150" width="520" height="150" '
        'xmlns="http://www.w3.org/2000/svg"><title>Verdicts by outcome against the previous '
        f"period</title><desc>{escape(description)}</desc>" + "".join(rows) + "</svg>"
    )


@cache
def template_environment() -> jinja2.Environment:
    """The Jinja environment of the reports' templates (shared by the period report and the
    governance review pack)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("accord.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["percent"] = lambda r: "—" if r is None else f"{r * 100:.1f}%"
    return environment


def report_html(report: PeriodReport) -> str:
    return (
        template_environment()
        .get_template("period.html.j2")
        .render(
            report=report,
            summary=executive_summary(report),
            totals=report.totals(),
            credits=_money(report.credits()) or "none",
            chart=Markup(_outcome_bars(report)),
            outcomes=OUTCOME_ORDER,
            terms=[(term, GLOSSARY[term][0]) for term in _TERMS if term in GLOSSARY],
        )
    )


def report_json(report: PeriodReport) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "scope": report.scope,
        "subject": report.subject,
        "period": report.period,
        "previous_period": report.previous_period,
        "summary": executive_summary(report),
        "totals": report.totals(),
        "previous_totals": report.totals(previous=True),
        "credits": {c: str(a) for c, a in sorted(report.credits().items())},
        "agreements": [
            {
                "id": a.id,
                "title": a.title,
                "partners": a.partners,
                "outcomes": a.outcomes,
                "credits": {c: str(v) for c, v in sorted(a.credits.items())},
                "verdicts": [
                    {
                        "objective": v.objective,
                        "scope": v.scope,
                        "window": v.window,
                        "outcome": v.outcome,
                        "value": v.value,
                        "target": v.target,
                        "coverage": None if v.coverage_ratio is None else str(v.coverage_ratio),
                    }
                    for v in a.verdicts
                ],
            }
            for a in report.agreements
        ],
    }


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _pdf(html: str) -> bytes:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        import weasyprint  # noqa: PLC0415 (slow to import; only PDF output needs it)

    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_files(report: PeriodReport) -> dict[str, bytes]:
    """Every file of a report: ``report.html``, ``report.pdf``, ``report.json`` and one CSV
    per table (``verdicts.csv``, ``credits.csv``)."""
    html = report_html(report)
    verdicts = [
        [
            a.id,
            v.objective,
            v.scope,
            v.window,
            v.outcome,
            v.value,
            v.target,
            "" if v.coverage_ratio is None else str(v.coverage_ratio),
        ]
        for a in report.agreements
        for v in a.verdicts
    ]
    credits = [
        [a.id, currency, str(amount)]
        for a in report.agreements
        for currency, amount in sorted(a.credits.items())
    ]
    header = [
        "agreement",
        "objective",
        "scope",
        "window",
        "outcome",
        "value",
        "target",
        "coverage_ratio",
    ]
    return {
        "report.html": html.encode(),
        "report.pdf": _pdf(html),
        "report.json": (json.dumps(report_json(report), indent=2, sort_keys=True) + "\n").encode(),
        "verdicts.csv": _csv(header, verdicts),
        "credits.csv": _csv(["agreement", "currency", "owed"], credits),
    }
